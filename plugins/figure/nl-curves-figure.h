/* nl-curves-figure.h — curves over a shared x (spectra, Granger causality, coherence):
 * one line per series, in the categorical palette, named in the legend.
 */
#pragma once

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;
  const char     *xlabel;      /* e.g. "Frequency (Hz)" */
  const char     *ylabel;      /* e.g. "Power (mV²/Hz)" */
  gboolean        log_x;
  gboolean        log_y;       /* values ≤ 0 are left out */
  double          x_min, x_max;   /* both 0 → the data's */
  const NlColor  *colors;      /* one per series, NULL → the palette */
} NlCurvesOptions;

/* `values` n_series × n (row-major), one row per series over x[0..n-1]; `labels` NULL or
 * n_series names. NULL with an error for empty input. */
NlFigure *nl_curves_figure_new  (const double          *x,
                                 gsize                  n,
                                 const double          *values,
                                 guint                  n_series,
                                 const char *const     *labels,
                                 const NlCurvesOptions *options,
                                 GError               **error);
gboolean  nl_curves_figure_draw (NlAxes                *axes,
                                 const double          *x,
                                 gsize                  n,
                                 const double          *values,
                                 guint                  n_series,
                                 const char *const     *labels,
                                 const NlCurvesOptions *options,
                                 GError               **error);

G_END_DECLS
