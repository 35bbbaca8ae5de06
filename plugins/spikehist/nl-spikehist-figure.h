/* nl-spikehist-figure.h — spike-time histograms: one outline per population (or cell
 * group) over the same bins, counts or rates computed by core/.
 */
#pragma once

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;        /* t_start/t_stop narrow the time axis */
  const char     *ylabel;      /* default "Rate (Hz)" */
  gboolean        bars;        /* filled bars (only sensible for one series) */
  gboolean        stacked;     /* one panel per series instead of overlaid outlines */
} NlSpikeHistOptions;

/* `edges` n_bins + 1 bin edges (ms, increasing); `values` n_series × n_bins (row-major);
 * `labels` NULL or n_series names. NULL with an error for empty input or edges that do not
 * increase. */
NlFigure *nl_spikehist_figure_new (const double             *edges,
                                   guint                     n_bins,
                                   const double             *values,
                                   guint                     n_series,
                                   const char *const        *labels,
                                   const NlSpikeHistOptions *options,
                                   GError                  **error);

G_END_DECLS
