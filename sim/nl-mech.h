/* nl-mech.h — compiling NEURON mechanisms (.mod folders) into a library `nrniv -dll` loads.
 *
 * A .mod folder comes only from the command line (--mod-dir) or an explicit choice in the
 * workbench, never from a model file (CONTRACTS.md, "Code from a model is never run"). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* NetLoom's own mechanisms (Izhi2003a/b, Izhi2007a/b): $NETLOOM_MOD_DIR when set, else the
   installed <datadir>/netloom/mod, else sim/mod of the source tree; NULL when none exists. */
char      *nl_mech_own_dir     (void);

/* Compiles every .mod in `mod_dir` (or NetLoom's own when mod_dir is NULL) into a shared
   library cached under $XDG_CACHE_HOME/netloom/mechs/<content hash>/ (hash over the .mod
   contents and names, NEURON's version and the makefile); returns the path of the .so
   to give `nrniv -dll`. Compiling again with the same inputs is a cache hit (no compiler
   run). A .mod that fails to compile is an error that quotes the compiler's message and
   names the file. Runs `make` via GSubprocess, never a shell; never runs anything named
   in a model file.
   Errors: G_IO_ERROR_NOT_FOUND when the folder has no .mod or NEURON's tools (nrniv, nocmodl,
   nrnmech_makefile, headers), make or a C/C++ compiler are missing; G_IO_ERROR_INVALID_FILENAME
   for a .mod whose name is not a C identifier; G_IO_ERROR_EXISTS when two files of one folder define
   the same mechanism; G_IO_ERROR_FAILED when NEURON's translator or the compiler rejects a file;
   G_IO_ERROR_CANCELLED. Blocking: call it from a worker thread in the workbench. */
char      *nl_mech_compile     (const char   *mod_dir,
                                GCancellable *cancellable,
                                GError      **error);

/* Several folders into one library — nrniv honours a single -dll, and loading a second library
   that defines an already defined mechanism is an error — typically { the model's --mod-dir,
   nl_mech_own_dir () }. A file of a later folder is left out when an earlier folder has a file of
   the same name or defines one of its mechanisms, so a model's own izhi2007b.mod wins over
   NetLoom's. Cached and reported as nl_mech_compile(), which is this with one folder. */
char      *nl_mech_compile_dirs (const char *const *mod_dirs,
                                 GCancellable       *cancellable,
                                 GError            **error);

/* The names of the mechanisms (SUFFIX / POINT_PROCESS / ARTIFICIAL_CELL) a .mod folder defines,
   for checking a model's mechanisms before a run. Files in name order; a .mod without a NEURON
   block defines a density mechanism named after the file, as in NEURON. */
GPtrArray *nl_mech_list        (const char   *mod_dir,
                                GError      **error);

/* How many times this process has run the compiler (cache misses); for tests. */
guint      nl_mech_build_count (void);

G_END_DECLS
