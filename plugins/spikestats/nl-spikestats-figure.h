/* nl-spikestats-figure.h — per-population distributions of a per-cell statistic (rate,
 * ISI CV, synchrony) as box plots side by side, one colour per population; the values come
 * computed by core/.
 */
#pragma once

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;
  const char     *ylabel;      /* default "Rate (Hz)" */
  const char     *xlabel;      /* default "Population" */
} NlSpikeStatsOptions;

/* values[p] holds n_values[p] per-cell values of group p (NaNs are left out); `labels` the
 * n_groups names (NULL → 0, 1, …). NULL with an error when there is no group. */
NlFigure *nl_spikestats_figure_new (const double *const        *values,
                                    const gsize                *n_values,
                                    guint                       n_groups,
                                    const char *const          *labels,
                                    const NlSpikeStatsOptions  *options,
                                    GError                    **error);

G_END_DECLS
