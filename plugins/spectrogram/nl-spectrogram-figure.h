/* nl-spectrogram-figure.h — a time × frequency image (spectrogram, Morlet wavelet power),
 * also a time × depth image (current source density) with the diverging map.
 *
 * Row i of `values` is frequency (or channel) i, from y0 at the bottom to y1 at the top
 * (or the top down with `y_inverted`: depth); column j is time j from x0 to x1. The edges are
 * bin edges: with n_cols samples dt apart starting at t, x0 = t − dt/2, x1 = x0 + n_cols·dt.
 */
#pragma once

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;          /* t_start/t_stop narrow the time axis */
  const char     *xlabel;        /* default "Time (ms)" */
  const char     *ylabel;        /* default "Frequency (Hz)" */
  const char     *value_label;   /* default "Power"; "CSD (mV/mm²)" … */
  NlColormap      colormap;      /* default NL_COLORMAP_SEQUENTIAL; DIVERGING for CSD */
  double          vmin, vmax;    /* both 0 → the data's (symmetric when diverging) */
  gboolean        y_inverted;    /* row 0 on top (depth) */
  gboolean        blocks;        /* show cells as blocks instead of interpolating */
} NlSpectrogramOptions;

NlFigure *nl_spectrogram_figure_new  (const double               *values,
                                      guint                       n_rows,
                                      guint                       n_cols,
                                      double                      x0,
                                      double                      x1,
                                      double                      y0,
                                      double                      y1,
                                      const NlSpectrogramOptions *options,
                                      GError                    **error);
gboolean  nl_spectrogram_figure_draw (NlAxes                     *axes,
                                      const double               *values,
                                      guint                       n_rows,
                                      guint                       n_cols,
                                      double                      x0,
                                      double                      x1,
                                      double                      y0,
                                      double                      y1,
                                      const NlSpectrogramOptions *options,
                                      GError                    **error);

G_END_DECLS
