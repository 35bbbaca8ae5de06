/* nl-granger-figure.c — Granger causality figure. */
#include "nl-granger-figure.h"

NlFigure *
nl_granger_figure_new (const double *freq, gsize n, const double *values, guint n_series,
                       const char *const *labels, const NlCurvesOptions *options,
                       GError **error)
{
  static const char *const names[] = { "X \xe2\x86\x92 Y", "Y \xe2\x86\x92 X", "Instantaneous",
                                       "Coherence" };
  NlCurvesOptions o = options ? *options : (NlCurvesOptions) { 0 };

  if (!o.xlabel)
    o.xlabel = "Frequency (Hz)";
  if (!o.ylabel)
    o.ylabel = "Granger causality";
  if (!labels && n_series <= G_N_ELEMENTS (names))
    labels = names;
  return nl_curves_figure_new (freq, n, values, n_series, labels, &o, error);
}
