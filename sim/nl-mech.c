/* nl-mech.c — compiling .mod folders with NEURON's own makefile, cached by content hash.
 *
 * The steps are those of NEURON's nrnivmodl script (Debian's copy looks for the makefile in the
 * wrong place, so NetLoom does not run it):
 *   1. copy the folder's .mod files (and the .inc/.h files they may include) into a scratch
 *      directory, so the build sees one consistent snapshot: the one that was hashed;
 *   2. write `makemod2c_inc` (per file: NAME.c from NAME.mod with nocmodl, NAME.o from NAME.c
 *      with the makefile's $(COMPILE) and $(INCLUDES)) and `mod_func.cpp` (modl_reg(), which
 *      calls each file's _NAME_reg());
 *   3. run `make -k -j N -f …/nrnmech_makefile ROOT=<prefix> libdir=<dir of libnrniv>
 *      MODOBJFILES=… UserLDFLAGS= UserINCFLAGS= LinkCoreNEURON=false mech_lib_shared`
 *      in the scratch directory, which links ./libnrnmech.so;
 *   4. rename the scratch directory to mechs/<hash>/ (atomic: of two processes building the
 *      same inputs, one rename wins and the other keeps the winner's copy).
 * Only fixed programs run (make, and through NEURON's makefile nocmodl and the C/C++
 * compiler); file names reach the generated makefile only once checked to be C identifiers. */

/* realpath() and lstat() are POSIX/XSI: visible with -std=c11 too. */
#if !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include "nl-config.h"
#include "nl-mech.h"
#include "nl-neuron.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <signal.h>
#endif

/* Bump when the build steps change, so older cache entries are not reused. */
#define NL_MECH_PIPELINE "netloom-mech-1"
/* A scratch directory this old belongs to a process that died mid-build. */
#define NL_MECH_STALE_SECONDS (24 * 3600)
/* Source files larger than this are not mechanisms. */
#define NL_MECH_MAX_FILE (16u << 20)
/* How much of the compiler's output an error quotes per file. */
#define NL_MECH_MAX_QUOTE 6000

static gint build_count;

guint
nl_mech_build_count (void)
{
  return (guint) g_atomic_int_get (&build_count);
}

/* ------------------------------------------------------------------------------------------ */
/* Where things are                                                                           */

char *
nl_mech_own_dir (void)
{
  const char *env = g_getenv ("NETLOOM_MOD_DIR");
  g_autofree char *installed = NULL;

  if (env && *env)
    return g_strdup (env);
  installed = g_build_filename (NL_DATADIR, "mod", NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
#ifdef NL_SOURCE_MOD_DIR
  if (g_file_test (NL_SOURCE_MOD_DIR, G_FILE_TEST_IS_DIR))
    return g_strdup (NL_SOURCE_MOD_DIR);
#endif
  return NULL;
}

static char *
resolve_dir (const char *mod_dir, GError **error)
{
  char *dir = mod_dir ? g_strdup (mod_dir) : nl_mech_own_dir ();

  if (!dir)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "NetLoom's own mechanisms (sim/mod) were not found; set NETLOOM_MOD_DIR");
      return NULL;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s: no such folder of .mod files", dir);
      g_free (dir);
      return NULL;
    }
  return dir;
}

static char *
cache_root (void)
{
  const char *xdg = g_getenv ("XDG_CACHE_HOME");

  /* Read each time rather than g_get_user_cache_dir()'s first answer, so a test (or a caller)
     can point it elsewhere; a relative value is invalid by the XDG rules and ignored. */
  if (xdg && g_path_is_absolute (xdg))
    return g_build_filename (xdg, "netloom", "mechs", NULL);
  return g_build_filename (g_get_user_cache_dir (), "netloom", "mechs", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* The folder's sources                                                                       */

typedef struct
{
  char   *dir;    /* the folder it comes from */
  char   *name;   /* file name within the folder */
  char   *base;   /* for a .mod: the name without .mod; NULL otherwise */
  GBytes *data;
} Source;

static void
source_free (gpointer p)
{
  Source *s = p;
  if (!s)
    return;
  g_free (s->dir);
  g_free (s->name);
  g_free (s->base);
  g_bytes_unref (s->data);
  g_free (s);
}

static int
source_cmp (gconstpointer a, gconstpointer b)
{
  const Source *sa = *(Source *const *) a, *sb = *(Source *const *) b;
  return strcmp (sa->name, sb->name);
}

static gboolean
is_identifier (const char *s)
{
  if (!*s)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

/* The .mod files of `dir` (and, when `with_includes`, the .inc/.h/.hpp files a .mod may
   INCLUDE or #include), in name order. Subfolders are ignored, as nrnivmodl does. */
static GPtrArray *
read_sources (const char *dir, gboolean with_includes, GError **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (source_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  const char *name;
  guint n_mods = 0;

  if (!d)
    return NULL;
  while ((name = g_dir_read_name (d)))
    {
      gboolean is_mod = g_str_has_suffix (name, ".mod");
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;
      Source *s;

      if (name[0] == '.')
        continue;
      if (!is_mod && !(with_includes && (g_str_has_suffix (name, ".inc")
                                         || g_str_has_suffix (name, ".h")
                                         || g_str_has_suffix (name, ".hpp"))))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (is_mod)
        {
          g_autofree char *base = g_strndup (name, strlen (name) - strlen (".mod"));
          if (!is_identifier (base) || strcmp (base, "mod_func") == 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           "%s: NEURON needs a .mod file name made of letters, digits and '_' "
                           "(other than mod_func); rename the file", path);
              return NULL;
            }
        }
      if (!g_file_get_contents (path, &contents, &len, error))
        return NULL;
      if (len > NL_MECH_MAX_FILE)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %" G_GSIZE_FORMAT " bytes is too large for a mechanism file", path, len);
          return NULL;
        }
      s = g_new0 (Source, 1);
      s->dir = g_strdup (dir);
      s->name = g_strdup (name);
      s->base = is_mod ? g_strndup (name, strlen (name) - strlen (".mod")) : NULL;
      s->data = g_bytes_new_take (g_steal_pointer (&contents), len);
      g_ptr_array_add (sources, s);
      n_mods += is_mod;
    }
  if (n_mods == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no .mod files in this folder", dir);
      return NULL;
    }
  g_ptr_array_sort (sources, source_cmp);
  return g_steal_pointer (&sources);
}

/* ------------------------------------------------------------------------------------------ */
/* Mechanism names: the NEURON { } block of each file                                         */

typedef struct
{
  const char *p, *end;
} Lexer;

enum { TOK_END = 0, TOK_IDENT = 256, TOK_NUMBER };

static const char *
find_word (const char *p, const char *end, const char *word)
{
  gsize n = strlen (word);
  for (; p + n <= end; p++)
    if (memcmp (p, word, n) == 0)
      return p + n;
  return end;
}

/* NMODL tokens, skipping ':' and '?' comments, COMMENT … ENDCOMMENT, VERBATIM … ENDVERBATIM and
   strings. */
static int
lex (Lexer *lx, const char **tok, gsize *len)
{
  for (;;)
    {
      char c;

      while (lx->p < lx->end && g_ascii_isspace (*lx->p))
        lx->p++;
      if (lx->p >= lx->end)
        return TOK_END;
      c = *lx->p;
      if (c == ':' || c == '?')
        {
          while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
          continue;
        }
      if (c == '"')
        {
          lx->p++;
          while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
            lx->p++;
          if (lx->p < lx->end)
            lx->p++;
          continue;
        }
      if (g_ascii_isalpha (c) || c == '_')
        {
          const char *start = lx->p;
          while (lx->p < lx->end && (g_ascii_isalnum (*lx->p) || *lx->p == '_'))
            lx->p++;
          *tok = start;
          *len = (gsize) (lx->p - start);
          if (*len == 7 && memcmp (start, "COMMENT", 7) == 0)
            {
              lx->p = find_word (lx->p, lx->end, "ENDCOMMENT");
              continue;
            }
          if (*len == 8 && memcmp (start, "VERBATIM", 8) == 0)
            {
              lx->p = find_word (lx->p, lx->end, "ENDVERBATIM");
              continue;
            }
          return TOK_IDENT;
        }
      if (g_ascii_isdigit (c) || c == '.')
        {
          while (lx->p < lx->end && (g_ascii_isalnum (*lx->p) || *lx->p == '.'))
            lx->p++;
          return TOK_NUMBER;
        }
      lx->p++;
      return (unsigned char) c;
    }
}

static gboolean
tok_is (const char *tok, gsize len, const char *word)
{
  return strlen (word) == len && memcmp (tok, word, len) == 0;
}

/* Appends to `names` the mechanisms `src` defines. */
static void
mechanisms_of (const Source *src, GPtrArray *names)
{
  gsize size;
  const char *text = g_bytes_get_data (src->data, &size);
  Lexer lx = { text, text + size };
  const char *tok = NULL;
  gsize len = 0;
  int depth = 0, t;
  gboolean found = FALSE;

  while ((t = lex (&lx, &tok, &len)) != TOK_END)
    {
      if (t == '{')
        depth++;
      else if (t == '}')
        depth = MAX (depth - 1, 0);
      else if (t == TOK_IDENT && depth == 0 && tok_is (tok, len, "NEURON"))
        {
          if (lex (&lx, &tok, &len) != '{')
            continue;
          while ((t = lex (&lx, &tok, &len)) != TOK_END && t != '}')
            {
              if (t != TOK_IDENT
                  || !(tok_is (tok, len, "SUFFIX") || tok_is (tok, len, "POINT_PROCESS")
                       || tok_is (tok, len, "ARTIFICIAL_CELL")))
                continue;
              if (lex (&lx, &tok, &len) != TOK_IDENT)
                continue;
              found = TRUE;
              if (!tok_is (tok, len, "nothing"))
                g_ptr_array_add (names, g_strndup (tok, len));
            }
        }
    }
  /* Without a NEURON block (or a name in it) NEURON names the mechanism after the file. */
  if (!found)
    g_ptr_array_add (names, g_strdup (src->base));
}

static GPtrArray *
list_sources (const char *dir, GPtrArray *sources, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *src = g_ptr_array_index (sources, i);
      guint first = names->len;

      if (!src->base)
        continue;
      mechanisms_of (src, names);
      for (guint j = first; j < names->len; j++)
        {
          const char *name = g_ptr_array_index (names, j);
          const char *other = g_hash_table_lookup (seen, name);
          if (other)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           "%s: the mechanism %s is defined both in %s and in %s",
                           dir, name, other, src->name);
              return NULL;
            }
          g_hash_table_insert (seen, (gpointer) name, src->name);
        }
    }
  return g_steal_pointer (&names);
}

GPtrArray *
nl_mech_list (const char *mod_dir, GError **error)
{
  g_autofree char *dir = resolve_dir (mod_dir, error);
  g_autoptr(GPtrArray) sources = NULL;

  if (!dir || !(sources = read_sources (dir, FALSE, error)))
    return NULL;
  return list_sources (dir, sources, error);
}

/* The sources of several folders as one set, in name order. A file is left out when an earlier
   folder has a file of the same name or defines one of its mechanisms. */
static GPtrArray *
gather (const char *const *dirs, GError **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (source_free);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) mechs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint d = 0; dirs[d]; d++)
    {
      g_autoptr(GPtrArray) sources = read_sources (dirs[d], TRUE, error);
      g_autoptr(GPtrArray) names = NULL;

      /* Two files of one folder defining one mechanism would only fail when NEURON loads it. */
      if (!sources || !(names = list_sources (dirs[d], sources, error)))
        return NULL;
      for (guint i = 0; i < sources->len; i++)
        {
          Source *src = g_ptr_array_index (sources, i);
          g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_free);
          gboolean clash = g_hash_table_contains (files, src->name);

          if (src->base)
            {
              mechanisms_of (src, own);
              for (guint j = 0; j < own->len && !clash; j++)
                clash = g_hash_table_contains (mechs, g_ptr_array_index (own, j));
            }
          if (clash)
            continue;
          for (guint j = 0; j < own->len; j++)
            g_hash_table_add (mechs, g_strdup (g_ptr_array_index (own, j)));
          g_hash_table_add (files, g_strdup (src->name));
          g_ptr_array_add (all, src);
          g_ptr_array_index (sources, i) = NULL;
        }
    }
  g_ptr_array_sort (all, source_cmp);
  return g_steal_pointer (&all);
}

/* ------------------------------------------------------------------------------------------ */
/* NEURON's tool chain                                                                        */

typedef struct
{
  char *prefix;     /* ROOT for the makefile: <prefix>/bin/nocmodl, <prefix>/include */
  char *makefile;
  char *libdir;     /* holds libnrniv */
  char *libnrniv;
  char *make;
  char *version;
} Toolchain;

static void
toolchain_clear (Toolchain *tc)
{
  g_free (tc->prefix);
  g_free (tc->makefile);
  g_free (tc->libdir);
  g_free (tc->libnrniv);
  g_free (tc->make);
  g_free (tc->version);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Toolchain, toolchain_clear)

/* `nrniv --version` once per nrniv per process (it is part of every cache key). */
static char *
neuron_version (const char *nrniv, GError **error)
{
  static GMutex lock;
  static char *cached_for, *cached;
  char *version;

  g_mutex_lock (&lock);
  if (cached && g_strcmp0 (cached_for, nrniv) == 0)
    {
      version = g_strdup (cached);
      g_mutex_unlock (&lock);
      return version;
    }
  g_mutex_unlock (&lock);
  version = nl_neuron_version (error);
  if (!version)
    return NULL;
  g_mutex_lock (&lock);
  g_free (cached_for);
  g_free (cached);
  cached_for = g_strdup (nrniv);
  cached = g_strdup (version);
  g_mutex_unlock (&lock);
  return version;
}

static char *
first_existing (const char *const *candidates, GFileTest test)
{
  for (guint i = 0; candidates[i]; i++)
    if (g_file_test (candidates[i], test))
      return g_strdup (candidates[i]);
  return NULL;
}

static gboolean
find_compiler (const char *env_var, const char *fallback, const char *what, GError **error)
{
  const char *env = g_getenv (env_var);
  g_auto(GStrv) words = NULL;
  g_autofree char *found = NULL;

  if (env && *env)
    {
      words = g_strsplit_set (env, " \t", -1);
      if (words[0] && *words[0])
        found = g_path_is_absolute (words[0]) ? (g_file_test (words[0], G_FILE_TEST_IS_EXECUTABLE)
                                                 ? g_strdup (words[0]) : NULL)
                                              : g_find_program_in_path (words[0]);
    }
  else
    found = g_find_program_in_path (fallback);
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no %s compiler (%s) was found to compile mechanisms; install gcc/g++ or set %s",
                   what, env && *env ? env : fallback, env_var);
      return FALSE;
    }
  return TRUE;
}

static gboolean
find_toolchain (Toolchain *tc, GError **error)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autofree char *real = NULL;
  g_autofree char *bindir = NULL;
  g_autofree char *nocmodl = NULL;
  g_autofree char *header = NULL;
  const char *env_mk = g_getenv ("NETLOOM_NRNMECH_MAKEFILE");

  if (!nrniv)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "NEURON's nrniv was not found; install Debian's 'neuron' package or set NETLOOM_NRNIV");
      return FALSE;
    }
  if (!g_path_is_absolute (nrniv))
    {
      char *abs = g_find_program_in_path (nrniv);
      if (abs)
        {
          g_free (nrniv);
          nrniv = abs;
        }
    }
  real = realpath (nrniv, NULL);
  if (!real)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: %s", nrniv, g_strerror (errno));
      return FALSE;
    }
  bindir = g_path_get_dirname (real);
  tc->prefix = g_path_get_dirname (bindir);

  if (env_mk && *env_mk)
    tc->makefile = g_file_test (env_mk, G_FILE_TEST_IS_REGULAR) ? g_strdup (env_mk) : NULL;
  else
    {
      g_autofree char *a = g_build_filename (tc->prefix, "bin", "nrnmech_makefile", NULL);
      g_autofree char *b = g_build_filename (tc->prefix, "lib", "nrn", "nrnmech_makefile", NULL);
      g_autofree char *c = g_build_filename (tc->prefix, "share", "nrn", "nrnmech_makefile", NULL);
      const char *candidates[] = { a, b, c, NULL };
      tc->makefile = first_existing (candidates, G_FILE_TEST_IS_REGULAR);
    }
  if (!tc->makefile)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "NEURON's nrnmech_makefile was not found beside %s (Debian: apt install neuron-dev; "
                   "or set NETLOOM_NRNMECH_MAKEFILE)", real);
      return FALSE;
    }

  {
    g_autofree char *mkdir_ = g_path_get_dirname (tc->makefile);
    g_autofree char *l1 = g_build_filename (tc->prefix, "lib", NULL);
    g_autofree char *l2 = g_build_filename (tc->prefix, "lib", "nrn", NULL);
    const char *dirs[] = { l1, l2, mkdir_, NULL };
    const char *libs[] = { "libnrniv.so", "libnrniv.dylib", NULL };

    for (guint i = 0; dirs[i] && !tc->libdir; i++)
      for (guint j = 0; libs[j] && !tc->libdir; j++)
        {
          g_autofree char *lib = g_build_filename (dirs[i], libs[j], NULL);
          if (g_file_test (lib, G_FILE_TEST_EXISTS))
            {
              tc->libdir = g_strdup (dirs[i]);
              tc->libnrniv = g_steal_pointer (&lib);
            }
        }
    if (!tc->libdir)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "NEURON's libnrniv was not found under %s", tc->prefix);
        return FALSE;
      }
  }

  nocmodl = g_build_filename (tc->prefix, "bin", "nocmodl", NULL);
  if (!g_file_test (nocmodl, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s was not found: NEURON's mod file translator is needed to compile mechanisms "
                   "(Debian: apt install neuron-dev)", nocmodl);
      return FALSE;
    }
  header = g_build_filename (tc->prefix, "include", "nrniv_mf.h", NULL);
  if (!g_file_test (header, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s was not found: NEURON's headers are needed to compile mechanisms "
                   "(Debian: apt install neuron-dev)", header);
      return FALSE;
    }
  tc->make = g_find_program_in_path ("make");
  if (!tc->make)
    tc->make = g_find_program_in_path ("gmake");
  if (!tc->make)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "make was not found; it is needed to compile mechanisms (Debian: apt install make)");
      return FALSE;
    }
  if (!find_compiler ("CC", "cc", "C", error) || !find_compiler ("CXX", "c++", "C++", error))
    return FALSE;
  tc->version = neuron_version (nrniv, error);
  return tc->version != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The cache key                                                                              */

static void
hash_field (GChecksum *sum, const void *data, gsize len)
{
  guint8 n[8];
  guint64 v = len;

  for (int i = 0; i < 8; i++, v >>= 8)
    n[i] = (guint8) (v & 0xff);
  g_checksum_update (sum, n, sizeof n);
  g_checksum_update (sum, data, len);
}

static void
hash_string (GChecksum *sum, const char *s)
{
  hash_field (sum, s ? s : "", s ? strlen (s) : 0);
}

static char *
cache_key (const Toolchain *tc, GPtrArray *sources, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *makefile = NULL;
  g_autofree char *libstamp = NULL;
  gsize len = 0;
  GStatBuf st;

  if (!g_file_get_contents (tc->makefile, &makefile, &len, error))
    return NULL;
  if (g_stat (tc->libnrniv, &st) == 0)
    libstamp = g_strdup_printf ("%lld %lld", (long long) st.st_size, (long long) st.st_mtime);

  hash_string (sum, NL_MECH_PIPELINE);
  hash_string (sum, tc->version);
  hash_string (sum, tc->makefile);
  hash_field (sum, makefile, len);
  hash_string (sum, tc->prefix);
  hash_string (sum, tc->libdir);
  hash_string (sum, libstamp);
  hash_string (sum, g_getenv ("CC"));
  hash_string (sum, g_getenv ("CXX"));
  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      gsize size;
      const void *data = g_bytes_get_data (s->data, &size);
      hash_string (sum, s->name);
      hash_field (sum, data, size);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* ------------------------------------------------------------------------------------------ */
/* Files and folders                                                                          */

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir && (name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Removes scratch folders that processes which died mid-build left behind. */
static void
remove_stale_scratch (const char *root)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, ".build-") && !g_str_has_prefix (name, ".trash-"))
        continue;
      path = g_build_filename (root, name, NULL);
      if (g_lstat (path, &st) == 0 && now - (gint64) st.st_mtime > NL_MECH_STALE_SECONDS)
        remove_tree (path);
    }
}

static gboolean
write_file (const char *dir, const char *name, const char *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (path, data, (gssize) len, error);
}

static gboolean
file_exists_in (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
unlink_in (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_unlink (path);
}

/* ------------------------------------------------------------------------------------------ */
/* The build                                                                                  */

static char *
make_rules (GPtrArray *sources)
{
  GString *mk = g_string_new ("# Written by NetLoom: one translation and one compilation per .mod\n");

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      if (!s->base)
        continue;
      /* Same rules as nrnivmodl writes, with the sources in the build folder itself. */
      g_string_append_printf (mk,
                              "./%s.c: %s.mod\n"
                              "\tMODLUNIT=$(NRNUNITS) $(NOCMODL) %s.mod -o .\n\n"
                              "./%s.o: ./%s.c\n"
                              "\t$(COMPILE) -I. $(INCLUDES) -fPIC -c $< -o $@\n\n",
                              s->base, s->base, s->base, s->base, s->base);
    }
  return g_string_free (mk, FALSE);
}

static char *
mod_func (GPtrArray *sources)
{
  GString *c = g_string_new ("/* Written by NetLoom: registers the mechanisms of this library. */\n"
                             "#include <stdio.h>\n"
                             "#if defined(__cplusplus)\nextern \"C\" {\n#endif\n"
                             "extern int nrnmpi_myid;\nextern int nrn_nobanner_;\n");

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      if (s->base)
        g_string_append_printf (c, "extern void _%s_reg(void);\n", s->base);
    }
  g_string_append (c, "\nvoid modl_reg(void) {\n"
                      "  if (!nrn_nobanner_ && nrnmpi_myid < 1) {\n"
                      "    fprintf(stderr, \"Additional mechanisms from files\\n\");\n");
  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      if (s->base)
        g_string_append_printf (c, "    fprintf(stderr, \" \\\"%s.mod\\\"\");\n", s->base);
    }
  g_string_append (c, "    fprintf(stderr, \"\\n\");\n  }\n");
  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      if (s->base)
        g_string_append_printf (c, "  _%s_reg();\n", s->base);
    }
  g_string_append (c, "}\n#if defined(__cplusplus)\n}\n#endif\n");
  return g_string_free (c, FALSE);
}

static char *
object_list (GPtrArray *sources)
{
  GString *objs = g_string_new (NULL);

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      if (s->base)
        g_string_append_printf (objs, "%s./%s.o", objs->len ? " " : "", s->base);
    }
  return g_string_free (objs, FALSE);
}

/* The compiler's words without the makefile's progress lines, colours and make's own notes. */
static char *
clean_output (const char *raw)
{
  g_auto(GStrv) lines = g_strsplit (raw ? raw : "", "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      GString *line = g_string_new (NULL);
      for (const char *p = lines[i]; *p; p++)
        {
          if (*p == '\033' && p[1] == '[')
            {
              p += 2;
              while (*p && !g_ascii_isalpha (*p))
                p++;
              if (!*p)
                break;
              continue;
            }
          if (*p != '\r')
            g_string_append_c (line, *p);
        }
      if (line->len == 0 || g_str_has_prefix (line->str, " -> ") || g_str_has_prefix (line->str, " => ")
          || g_str_has_prefix (line->str, "Translating ") || g_str_has_prefix (line->str, "Thread Safe")
          || g_str_has_prefix (line->str, "Notice: ")
          || g_str_has_prefix (line->str, "make: ") || g_str_has_prefix (line->str, "make["))
        {
          g_string_free (line, TRUE);
          continue;
        }
      g_string_append_printf (out, "%s\n", line->str);
      g_string_free (line, TRUE);
    }
  return g_string_free (out, FALSE);
}

static char *
indent_quote (const char *text)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new (NULL);

  if (strlen (text) > NL_MECH_MAX_QUOTE)
    {
      const char *end = g_utf8_find_prev_char (text, text + NL_MECH_MAX_QUOTE);
      copy = g_strdup_printf ("%.*s\n[…]", (int) (end ? end - text : 0), text);
    }
  else
    copy = g_strdup (text);
  lines = g_strsplit (g_strchomp (copy), "\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_string_append_printf (out, "%s  %s", i ? "\n" : "", lines[i]);
  return g_string_free (out, FALSE);
}

/* Runs `make … target` in `dir`; *ok tells whether it succeeded, *output is what it printed. */
static gboolean
run_make (const Toolchain *tc, const char *dir, const char *objects, const char *target,
          int jobs, gboolean keep_going, gboolean *ok, char **output,
          GCancellable *cancellable, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                               | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local = NULL;
  const char *data;
  gsize size;

  g_ptr_array_add (argv, g_strdup (tc->make));
  if (keep_going)
    g_ptr_array_add (argv, g_strdup ("-k"));
  g_ptr_array_add (argv, g_strdup_printf ("-j%d", MAX (jobs, 1)));
  g_ptr_array_add (argv, g_strdup ("-f"));
  g_ptr_array_add (argv, g_strdup (tc->makefile));
  g_ptr_array_add (argv, g_strdup_printf ("ROOT=%s", tc->prefix));
  g_ptr_array_add (argv, g_strdup_printf ("libdir=%s", tc->libdir));
  g_ptr_array_add (argv, g_strdup_printf ("MODOBJFILES=%s", objects));
  g_ptr_array_add (argv, g_strdup ("UserLDFLAGS="));
  g_ptr_array_add (argv, g_strdup ("UserINCFLAGS="));
  g_ptr_array_add (argv, g_strdup ("LinkCoreNEURON=false"));
  g_ptr_array_add (argv, g_strdup (target));
  g_ptr_array_add (argv, NULL);

  /* Nothing from a caller's own make may leak into this one (MAKEFILES would add makefiles). */
  g_subprocess_launcher_unsetenv (launcher, "MAKEFILES");
  g_subprocess_launcher_unsetenv (launcher, "MAKEFLAGS");
  g_subprocess_launcher_unsetenv (launcher, "MFLAGS");
  g_subprocess_launcher_unsetenv (launcher, "GNUMAKEFLAGS");
  g_subprocess_launcher_unsetenv (launcher, "MAKELEVEL");
  g_subprocess_launcher_unsetenv (launcher, "VERBOSE");
  g_subprocess_launcher_set_cwd (launcher, dir);

  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (!proc)
    return FALSE;
  if (!g_subprocess_communicate (proc, empty, cancellable, &out, NULL, &local))
    {
#ifdef G_OS_UNIX
      /* make passes SIGTERM on to the compilers it started. */
      g_subprocess_send_signal (proc, SIGTERM);
#else
      g_subprocess_force_exit (proc);
#endif
      g_subprocess_wait (proc, NULL, NULL);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  data = out ? g_bytes_get_data (out, &size) : "";
  if (!out)
    size = 0;
  *output = g_utf8_make_valid (data, (gssize) size);
  *ok = g_subprocess_get_successful (proc);
  return TRUE;
}

/* The error for a failed build: each .mod without an object file, with the translator's or the
   compiler's message (from a rebuild of that file alone, so messages do not interleave). */
static void
set_build_error (const Toolchain *tc, const char *src_dirs, const char *scratch, GPtrArray *sources,
                 const char *objects, const char *output, GCancellable *cancellable, GError **error)
{
  GString *msg = g_string_new (NULL);

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      g_autofree char *obj = NULL, *csrc = NULL, *target = NULL, *out = NULL, *clean = NULL;
      g_autofree char *quoted = NULL, *path = NULL;
      gboolean ok = FALSE;

      if (!s->base)
        continue;
      obj = g_strdup_printf ("%s.o", s->base);
      if (file_exists_in (scratch, obj))
        continue;
      /* nocmodl leaves a partial NAME.c behind when it fails. */
      csrc = g_strdup_printf ("%s.c", s->base);
      unlink_in (scratch, csrc);
      target = g_strdup_printf ("./%s.o", s->base);
      if (!run_make (tc, scratch, objects, target, 1, FALSE, &ok, &out, cancellable, NULL))
        out = g_strdup (output);
      clean = clean_output (out);
      quoted = indent_quote (*g_strstrip (clean) ? clean : "(no message)");
      path = g_build_filename (s->dir, s->name, NULL);
      g_string_append_printf (msg, "%s%s: NEURON could not compile this mechanism:\n%s",
                              msg->len ? "\n" : "", path, quoted);
    }
  if (msg->len == 0)
    {
      g_autofree char *clean = clean_output (output);
      g_autofree char *quoted = indent_quote (*g_strstrip (clean) ? clean : "(no message)");
      g_string_append_printf (msg, "%s: linking the compiled mechanisms failed:\n%s", src_dirs, quoted);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, msg->str);
  g_string_free (msg, TRUE);
}

/* Builds `sources` in `scratch`; on success leaves libnrnmech.so there (and the sources, the
   generated C and build.log), without the object files. */
static gboolean
build (const Toolchain *tc, const char *src_dirs, const char *scratch, GPtrArray *sources,
       GCancellable *cancellable, GError **error)
{
  g_autofree char *rules = make_rules (sources);
  g_autofree char *func = mod_func (sources);
  g_autofree char *objects = object_list (sources);
  g_autofree char *output = NULL;
  g_autofree char *libs = NULL;
  gboolean ok = FALSE;
  int jobs = CLAMP ((int) g_get_num_processors (), 1, 8);

  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      gsize size;
      const char *data = g_bytes_get_data (s->data, &size);
      if (!write_file (scratch, s->name, data ? data : "", size, error))
        return FALSE;
    }
  if (!write_file (scratch, "makemod2c_inc", rules, strlen (rules), error)
      || !write_file (scratch, "mod_func.cpp", func, strlen (func), error))
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_atomic_int_inc (&build_count);
  if (!run_make (tc, scratch, objects, "mech_lib_shared", jobs, TRUE, &ok, &output, cancellable, error))
    return FALSE;
  write_file (scratch, "build.log", output, strlen (output), NULL);
  if (!ok || !file_exists_in (scratch, "libnrnmech.so"))
    {
      set_build_error (tc, src_dirs, scratch, sources, objects, output, cancellable, error);
      return FALSE;
    }

  /* The object files and the makefile's second copy of the library are not needed any more. */
  unlink_in (scratch, "mod_func.o");
  for (guint i = 0; i < sources->len; i++)
    {
      const Source *s = g_ptr_array_index (sources, i);
      g_autofree char *obj = s->base ? g_strdup_printf ("%s.o", s->base) : NULL;
      if (obj)
        unlink_in (scratch, obj);
    }
  libs = g_build_filename (scratch, ".libs", NULL);
  remove_tree (libs);
  return TRUE;
}

/* Puts the finished `scratch` in place as `final`. Another process may have got there first:
   then its copy (complete, since only complete folders are renamed) is the answer. */
static gboolean
publish (const char *root, const char *scratch, const char *final, GError **error)
{
  g_autofree char *so = g_build_filename (final, "libnrnmech.so", NULL);

  for (int attempt = 0; attempt < 2; attempt++)
    {
      int saved;

      if (g_rename (scratch, final) == 0)
        return TRUE;
      saved = errno;
      if (g_file_test (so, G_FILE_TEST_EXISTS))
        {
          remove_tree (scratch);
          return TRUE;
        }
      if ((saved == EEXIST || saved == ENOTEMPTY) && attempt == 0)
        {
          /* A folder without the library is not ours to trust: move it aside and retry. */
          g_autofree char *trash = g_build_filename (root, ".trash-XXXXXX", NULL);
          if (g_mkdtemp (trash) && g_rmdir (trash) == 0 && g_rename (final, trash) == 0)
            remove_tree (trash);
          continue;
        }
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "could not move the compiled mechanisms to %s: %s", final, g_strerror (saved));
      remove_tree (scratch);
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "could not move the compiled mechanisms to %s", final);
  remove_tree (scratch);
  return FALSE;
}

char *
nl_mech_compile_dirs (const char *const *mod_dirs, GCancellable *cancellable, GError **error)
{
  g_auto(Toolchain) tc = { 0 };
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *key = NULL;
  g_autofree char *root = NULL;
  g_autofree char *final = NULL;
  g_autofree char *so = NULL;
  g_autofree char *scratch = NULL;

  for (guint i = 0; mod_dirs && mod_dirs[i]; i++)
    {
      char *dir = resolve_dir (mod_dirs[i], error);
      if (!dir)
        return NULL;
      g_ptr_array_add (dirs, dir);
    }
  if (dirs->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no folder of .mod files was given");
      return NULL;
    }
  g_ptr_array_add (dirs, NULL);
  joined = g_strjoinv (", ", (char **) dirs->pdata);
  if (!(sources = gather ((const char *const *) dirs->pdata, error)))
    return NULL;
  if (!find_toolchain (&tc, error) || !(key = cache_key (&tc, sources, error)))
    return NULL;

  root = cache_root ();
  final = g_build_filename (root, key, NULL);
  so = g_build_filename (final, "libnrnmech.so", NULL);
  if (g_file_test (so, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&so);

  if (g_mkdir_with_parents (root, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: could not create the mechanism cache: %s", root, g_strerror (saved));
      return NULL;
    }
  remove_stale_scratch (root);
  scratch = g_build_filename (root, ".build-XXXXXX", NULL);
  if (!g_mkdtemp (scratch))
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: could not create a build folder: %s", root, g_strerror (saved));
      return NULL;
    }
  if (!build (&tc, joined, scratch, sources, cancellable, error))
    {
      remove_tree (scratch);
      return NULL;
    }
  if (!publish (root, scratch, final, error))
    return NULL;
  return g_steal_pointer (&so);
}

char *
nl_mech_compile (const char *mod_dir, GCancellable *cancellable, GError **error)
{
  g_autofree char *dir = resolve_dir (mod_dir, error);
  const char *dirs[] = { dir, NULL };

  if (!dir)
    return NULL;
  return nl_mech_compile_dirs (dirs, cancellable, error);
}
