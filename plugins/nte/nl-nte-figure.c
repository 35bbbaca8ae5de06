/* nl-nte-figure.c — transfer entropy matrix figure. */
#include "nl-nte-figure.h"

NlFigure *
nl_nte_figure_new (const double *values, guint n, const char *const *labels,
                   const NlMatrixOptions *options, GError **error)
{
  NlMatrixOptions o = options ? *options : (NlMatrixOptions) { 0 };

  if (!o.xlabel)
    o.xlabel = "Target";
  if (!o.ylabel)
    o.ylabel = "Source";
  if (!o.value_label)
    o.value_label = "Normalized transfer entropy";
  return nl_matrix_figure_new (values, n, n, labels, labels, &o, error);
}
