/* nl-expr-ctx.h — the variables each kind of NetPyNE string function may use. */
#pragma once

#include "nl-schema.h"

G_BEGIN_DECLS

/* Variable names, NULL-terminated; the index of a name is its slot in the values array
 * passed to nl_expr_eval (the enums below give the slots). */
const char *const *nl_expr_ctx_vars        (NlExprCtx ctx);
/* "connection rule", "cell property", … for messages. */
const char        *nl_expr_ctx_describe    (NlExprCtx ctx);

typedef enum {
  NL_CELL_VAR_X, NL_CELL_VAR_Y, NL_CELL_VAR_Z,
  NL_CELL_VAR_XNORM, NL_CELL_VAR_YNORM, NL_CELL_VAR_ZNORM,
  NL_CELL_N_VARS
} NlCellVar;

typedef enum {
  NL_DENSITY_VAR_XNORM, NL_DENSITY_VAR_YNORM, NL_DENSITY_VAR_ZNORM,
  NL_DENSITY_N_VARS
} NlDensityVar;

typedef enum {
  NL_CONN_VAR_PRE_X, NL_CONN_VAR_PRE_Y, NL_CONN_VAR_PRE_Z,
  NL_CONN_VAR_PRE_XNORM, NL_CONN_VAR_PRE_YNORM, NL_CONN_VAR_PRE_ZNORM,
  NL_CONN_VAR_POST_X, NL_CONN_VAR_POST_Y, NL_CONN_VAR_POST_Z,
  NL_CONN_VAR_POST_XNORM, NL_CONN_VAR_POST_YNORM, NL_CONN_VAR_POST_ZNORM,
  NL_CONN_VAR_DIST_X, NL_CONN_VAR_DIST_Y, NL_CONN_VAR_DIST_Z,
  NL_CONN_VAR_DIST_3D, NL_CONN_VAR_DIST_3D_BORDER, NL_CONN_VAR_DIST_2D,
  NL_CONN_VAR_DIST_XNORM, NL_CONN_VAR_DIST_YNORM, NL_CONN_VAR_DIST_ZNORM,
  NL_CONN_VAR_DIST_NORM3D, NL_CONN_VAR_DIST_NORM2D,
  NL_CONN_N_VARS
} NlConnVar;

typedef enum {
  NL_STIM_VAR_POST_X, NL_STIM_VAR_POST_Y, NL_STIM_VAR_POST_Z,
  NL_STIM_VAR_POST_XNORM, NL_STIM_VAR_POST_YNORM, NL_STIM_VAR_POST_ZNORM,
  NL_STIM_N_VARS
} NlStimVar;

typedef enum {
  NL_SYN_VAR_POST_X, NL_SYN_VAR_POST_Y, NL_SYN_VAR_POST_Z,
  NL_SYN_VAR_POST_XNORM, NL_SYN_VAR_POST_YNORM, NL_SYN_VAR_POST_ZNORM,
  NL_SYN_VAR_POST_DIST_PATH, NL_SYN_VAR_POST_DIST_EUCLIDEAN,
  NL_SYN_N_VARS
} NlSynVar;

G_END_DECLS
