/* nl-spec.h — a model: NetPyNE's netParams and simConfig, as loaded, with defaults.
 *
 * The spec keeps the JSON trees it was given: keys NetLoom does not use are written back
 * unchanged, and a NetPyNE file saved by NetLoom reads the same in NetPyNE. Typed views
 * for the builder read through nl_spec_lookup(), which falls back to NetPyNE's defaults
 * from the schema table.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "nl-problem.h"

G_BEGIN_DECLS

#define NL_SPEC_ERROR (nl_spec_error_quark ())
GQuark nl_spec_error_quark (void);

typedef enum {
  NL_SPEC_ERROR_READ,      /* the file could not be read or is not JSON */
  NL_SPEC_ERROR_LAYOUT,    /* JSON, but not a model NetLoom recognises */
  NL_SPEC_ERROR_INVALID,   /* validation found errors */
  NL_SPEC_ERROR_WRITE,
} NlSpecError;

/* Where the model came from: decides the default layout for saving back. */
typedef enum {
  NL_SPEC_LAYOUT_NETLOOM,          /* {"netParams": …, "simConfig": …} */
  NL_SPEC_LAYOUT_NETPYNE_FILES,    /* {"net": {"params": …}} + {"simConfig": …} */
  NL_SPEC_LAYOUT_NETPYNE_SAVEDATA, /* sim.saveData() output */
} NlSpecLayout;

#define NL_TYPE_SPEC (nl_spec_get_type ())
G_DECLARE_FINAL_TYPE (NlSpec, nl_spec, NL, SPEC, GObject)

/* An empty model: no populations, NetPyNE's default simConfig. */
NlSpec       *nl_spec_new                (void);

/* One file (NetLoom's, or a NetPyNE saveData) or two (NetPyNE's netParams and simConfig,
 * in any order). Problems found while reading (syntax, layout) are appended to `problems`
 * (may be NULL) with file and line; NULL is returned with `error` set when no model could
 * be read. Validation is separate: nl_spec_validate(). */
NlSpec       *nl_spec_load               (const char *const *files,
                                          guint              n_files,
                                          GPtrArray         *problems,
                                          GError           **error);
NlSpec       *nl_spec_load_from_data     (const char        *json,
                                          gssize             length,
                                          GPtrArray         *problems,
                                          GError           **error);

NlSpecLayout  nl_spec_get_layout         (NlSpec            *self);
/* The trees themselves (never NULL); edits through them are saved. */
JsonObject   *nl_spec_get_net_params     (NlSpec            *self);
JsonObject   *nl_spec_get_sim_config     (NlSpec            *self);
gboolean      nl_spec_has_sim_config     (NlSpec            *self);
/* Files the sections came from, for messages (NULL when built in memory). */
const char   *nl_spec_get_net_params_file (NlSpec           *self);
const char   *nl_spec_get_sim_config_file (NlSpec           *self);

/* A value by dotted path from "netParams" or "simConfig" ("simConfig.hParams.celsius",
 * "netParams.popParams.E.numCells"): the model's own value, else NetPyNE's default from
 * the schema, else NULL. The node belongs to the spec. */
JsonNode     *nl_spec_lookup             (NlSpec            *self,
                                          const char        *path);
double        nl_spec_get_double         (NlSpec            *self,
                                          const char        *path,
                                          double             fallback);

/* A netParams constant usable in string functions by name (probLengthConst, propVelocity,
 * sizeX … including NetPyNE's defaults). */
gboolean      nl_spec_lookup_constant    (NlSpec            *self,
                                          const char        *name,
                                          double            *value);

/* Every problem: types, ranges, unknown keys with suggestions, references between
 * sections, string functions. Positions are filled in from the source files. Returns the
 * number of errors. */
guint         nl_spec_validate           (NlSpec            *self,
                                          GPtrArray         *problems);

/* NetLoom's layout, {"netParams": …, "simConfig": …} (".gz" compresses). */
gboolean      nl_spec_save               (NlSpec            *self,
                                          const char        *filename,
                                          GError           **error);
/* NetPyNE's two files, as netParams.save() and simConfig.save() write them. */
gboolean      nl_spec_save_netpyne       (NlSpec            *self,
                                          const char        *net_params_file,
                                          const char        *sim_config_file,
                                          GError           **error);
/* Deep equality of both sections (numbers compared by value). */
gboolean      nl_spec_equal              (NlSpec            *a,
                                          NlSpec            *b);

G_END_DECLS
