/* nl-granger-figure.h — spectral Granger causality (x→y, y→x) and coherence against
 * frequency, as `netloom granger` computes them (CONTRACTS.md: freq,x2y,y2x,inst,coherence).
 */
#pragma once

#include <nl-curves-figure.h>

G_BEGIN_DECLS

/* `values` n_series × n over `freq`; labels default to "X → Y", "Y → X", "Instantaneous",
 * "Coherence" for up to 4 series. Axis labels default to "Frequency (Hz)" and
 * "Granger causality". */
NlFigure *nl_granger_figure_new (const double          *freq,
                                 gsize                  n,
                                 const double          *values,
                                 guint                  n_series,
                                 const char *const     *labels,
                                 const NlCurvesOptions *options,
                                 GError               **error);

G_END_DECLS
