/* nl-psd-figure.c — power spectra figure. */
#include "nl-psd-figure.h"

NlFigure *
nl_psd_figure_new (const double *freq, gsize n, const double *power, guint n_series,
                   const char *const *labels, const NlCurvesOptions *options,
                   gboolean linear_y, GError **error)
{
  NlCurvesOptions o = options ? *options : (NlCurvesOptions) { 0 };

  if (!o.xlabel)
    o.xlabel = "Frequency (Hz)";
  if (!o.ylabel)
    o.ylabel = "Power spectral density";
  o.log_y = !linear_y;
  return nl_curves_figure_new (freq, n, power, n_series, labels, &o, error);
}
