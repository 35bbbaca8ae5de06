/* nl-schema.h — the shape of a NetPyNE model: every key, its JSON kinds, range, default.
 *
 * The table is data (nl-schema-table.c). Validation, defaults, "did you mean" suggestions
 * and `check`'s notes about keys NetLoom does not use yet are all driven from it, so a key
 * is described exactly once.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JSON kinds a value may take (bit set). */
typedef enum {
  NL_K_NULL = 1 << 0,
  NL_K_BOOL = 1 << 1,
  NL_K_INT  = 1 << 2,   /* a whole number (1 or 1.0) */
  NL_K_NUM  = 1 << 3,   /* any number (implies NL_K_INT) */
  NL_K_STR  = 1 << 4,   /* a plain string (a name, a label) */
  NL_K_FUNC = 1 << 5,   /* a string function, compiled in the key's expression context */
  NL_K_LIST = 1 << 6,
  NL_K_OBJ  = 1 << 7,
} NlKinds;

#define NL_K_ANY (NL_K_NULL | NL_K_BOOL | NL_K_NUM | NL_K_STR | NL_K_LIST | NL_K_OBJ)

/* Which variables a string function may use (see nl-expr-ctx.h). */
typedef enum {
  NL_CTX_NONE = 0,
  NL_CTX_CELL,      /* x, y, z, xnorm, ynorm, znorm: cell geometry and mechanism values */
  NL_CTX_DENSITY,   /* xnorm, ynorm, znorm (and x, y, z): popParams density */
  NL_CTX_CONN,      /* pre_*, post_*, dist_*: connParams */
  NL_CTX_STIM,      /* post_*: stimulation targets and source parameters */
  NL_CTX_SYN,       /* post_*, post_dist_path, post_dist_euclidean: synMechParams values */
} NlExprCtx;

typedef enum {
  NL_SF_NONE       = 0,
  NL_SF_MAP        = 1 << 0, /* object whose keys are user names; `child` is a one-entry table
                                named "*" that describes every value */
  NL_SF_FREE       = 1 << 1, /* object (or list) whose content is free-form, kept unchanged */
  NL_SF_UNUSED     = 1 << 2, /* a NetPyNE key NetLoom keeps but does not use yet: a note in `check` */
  NL_SF_REQUIRED   = 1 << 3,
  NL_SF_DEPRECATED = 1 << 4, /* NetPyNE still reads it but says to use something else (doc says what) */
  NL_SF_TAGS       = 1 << 5, /* unknown keys in this object are user tags (kept, a note), not mistakes */
  NL_SF_CONSTS     = 1 << 6, /* unknown keys in this object are user constants usable in string functions */
} NlSchemaFlags;

typedef struct _NlSchemaKey NlSchemaKey;

struct _NlSchemaKey {
  const char        *name;       /* NULL ends a table */
  guint              kinds;      /* NlKinds accepted */
  guint              elem_kinds; /* for NL_K_LIST: kinds of the elements, 0 = any */
  NlExprCtx          ctx;        /* for NL_K_FUNC (also applies to FUNC list elements) */
  double             min;        /* inclusive numeric range, also of the numbers in a list;
                                    -INFINITY/INFINITY when unbounded */
  double             max;
  const char        *dflt;       /* NetPyNE's default as JSON text, NULL when it has none */
  const NlSchemaKey *child;      /* NL_K_OBJ, or a list of objects: the table of their keys
                                    (NL_SF_MAP: a one-entry table "*" for every value) */
  guint              flags;      /* NlSchemaFlags */
  const char        *doc;        /* one line, shown by `check` and the editor */
  const char        *choices;    /* NL_K_STR: the allowed values, "a|b|c"; NULL = any name */
};

/* The two roots. A table may end its named keys with a "*" entry: it describes every other
 * key (e.g. a mechanism's own parameters) and nl_schema_find() returns it for them. */
extern const NlSchemaKey nl_schema_net_params[];
extern const NlSchemaKey nl_schema_sim_config[];

const NlSchemaKey *nl_schema_find     (const NlSchemaKey *table,
                                       const char        *name);

G_END_DECLS
