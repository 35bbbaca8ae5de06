/* nl-nte-figure.h — normalized transfer entropy between groups as a heat map: row i is the
 * source, column j the target (NTE from i to j), values from core/'s computation.
 */
#pragma once

#include <nl-matrix-figure.h>

G_BEGIN_DECLS

/* NULL labels in `options` default to "Target", "Source" and "Normalized transfer entropy". */
NlFigure *nl_nte_figure_new (const double          *values,
                             guint                  n,
                             const char *const     *labels,
                             const NlMatrixOptions *options,
                             GError               **error);

G_END_DECLS
