/* nl-conn-figure.h — connectivity between groups (populations or cells) as a heat map:
 * rows are presynaptic groups, columns postsynaptic ones, as `netloom conn` writes its CSV.
 * The numbers (weights, probabilities, counts, convergence …) come computed from core/.
 */
#pragma once

#include <nl-matrix-figure.h>

G_BEGIN_DECLS

/* Options: see NlMatrixOptions; NULL labels default to "Presynaptic population",
 * "Postsynaptic population" and "Connection weight". */
NlFigure *nl_conn_figure_new (const double          *values,
                              guint                  n_pre,
                              guint                  n_post,
                              const char *const     *pre_labels,
                              const char *const     *post_labels,
                              const NlMatrixOptions *options,
                              GError               **error);

G_END_DECLS
