/* nl-psd-figure.h — power spectral densities: power against frequency, one curve per
 * signal (LFP electrode, population rate), log power axis by default.
 */
#pragma once

#include <nl-curves-figure.h>

G_BEGIN_DECLS

/* `power` n_series × n (row-major) over `freq` (Hz). Options: NlCurvesOptions; NULL labels
 * default to "Frequency (Hz)" and "Power spectral density". Log y unless `linear_y`. */
NlFigure *nl_psd_figure_new (const double          *freq,
                             gsize                  n,
                             const double          *power,
                             guint                  n_series,
                             const char *const     *labels,
                             const NlCurvesOptions *options,
                             gboolean               linear_y,
                             GError               **error);

G_END_DECLS
