/* nl-conn-figure.c — connectivity matrix figure. */
#include "nl-conn-figure.h"

NlFigure *
nl_conn_figure_new (const double *values, guint n_pre, guint n_post,
                    const char *const *pre_labels, const char *const *post_labels,
                    const NlMatrixOptions *options, GError **error)
{
  NlMatrixOptions o = options ? *options : (NlMatrixOptions) { 0 };

  if (!o.xlabel)
    o.xlabel = "Postsynaptic population";
  if (!o.ylabel)
    o.ylabel = "Presynaptic population";
  if (!o.value_label)
    o.value_label = "Connection weight";
  return nl_matrix_figure_new (values, n_pre, n_post, pre_labels, post_labels, &o, error);
}
