#include "nl-expr-ctx.h"

/* The names follow NetPyNE's: these are the lambda arguments it builds for each kind of
 * string function (network/conn.py, pop.py, stim.py, cell/compartCell.py). */

static const char *const cell_vars[] = {
  "x", "y", "z", "xnorm", "ynorm", "znorm", NULL
};

static const char *const density_vars[] = {
  "xnorm", "ynorm", "znorm", NULL
};

static const char *const conn_vars[] = {
  "pre_x", "pre_y", "pre_z", "pre_xnorm", "pre_ynorm", "pre_znorm",
  "post_x", "post_y", "post_z", "post_xnorm", "post_ynorm", "post_znorm",
  "dist_x", "dist_y", "dist_z", "dist_3D", "dist_3D_border", "dist_2D",
  "dist_xnorm", "dist_ynorm", "dist_znorm", "dist_norm3D", "dist_norm2D",
  NULL
};

static const char *const stim_vars[] = {
  "post_x", "post_y", "post_z", "post_xnorm", "post_ynorm", "post_znorm", NULL
};

static const char *const syn_vars[] = {
  "post_x", "post_y", "post_z", "post_xnorm", "post_ynorm", "post_znorm",
  "post_dist_path", "post_dist_euclidean", NULL
};

static const char *const no_vars[] = { NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (cell_vars) == NL_CELL_N_VARS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (density_vars) == NL_DENSITY_N_VARS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (conn_vars) == NL_CONN_N_VARS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (stim_vars) == NL_STIM_N_VARS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (syn_vars) == NL_SYN_N_VARS + 1);

const char *const *
nl_expr_ctx_vars (NlExprCtx ctx)
{
  switch (ctx)
    {
    case NL_CTX_CELL: return cell_vars;
    case NL_CTX_DENSITY: return density_vars;
    case NL_CTX_CONN: return conn_vars;
    case NL_CTX_STIM: return stim_vars;
    case NL_CTX_SYN: return syn_vars;
    case NL_CTX_NONE:
    default: return no_vars;
    }
}

const char *
nl_expr_ctx_describe (NlExprCtx ctx)
{
  switch (ctx)
    {
    case NL_CTX_CELL: return "cell property (variables x, y, z, xnorm, ynorm, znorm)";
    case NL_CTX_DENSITY: return "population density (variables xnorm, ynorm, znorm)";
    case NL_CTX_CONN: return "connection rule (variables pre_*, post_*, dist_*)";
    case NL_CTX_STIM: return "stimulation (variables post_x ... post_znorm)";
    case NL_CTX_SYN: return "synaptic mechanism (variables post_*, post_dist_path, post_dist_euclidean)";
    case NL_CTX_NONE:
    default: return "value without variables";
    }
}
