/* nl-matrix-figure.h — a labelled matrix as a heat map with a colour bar (connectivity
 * between populations, transfer entropy between cells …).
 *
 * Row i is drawn as the i-th band from the top (as a table reads), column j the j-th from
 * the left; rows and columns carry their labels as ticks. Small matrices (≤ 12 × 12) also
 * print each value in its cell, in black or white, whichever reads on the cell's colour.
 */
#pragma once

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;
  const char     *xlabel;        /* columns' axis, e.g. "Postsynaptic population" */
  const char     *ylabel;        /* rows' axis, e.g. "Presynaptic population" */
  const char     *value_label;   /* colour bar, e.g. "Weight (µS)" */
  NlColormap      colormap;      /* default NL_COLORMAP_SEQUENTIAL */
  double          vmin, vmax;    /* colour range; both 0 → the data's (symmetric for
                                    NL_COLORMAP_DIVERGING) */
  gboolean        no_values;     /* never print the values in the cells */
} NlMatrixOptions;

/* `values` rows × cols, row-major; labels may be NULL (then 0, 1, …). NULL with an error for
 * an empty matrix. */
NlFigure *nl_matrix_figure_new  (const double          *values,
                                 guint                  rows,
                                 guint                  cols,
                                 const char *const     *row_labels,
                                 const char *const     *col_labels,
                                 const NlMatrixOptions *options,
                                 GError               **error);
gboolean  nl_matrix_figure_draw (NlAxes                *axes,
                                 const double          *values,
                                 guint                  rows,
                                 guint                  cols,
                                 const char *const     *row_labels,
                                 const char *const     *col_labels,
                                 const NlMatrixOptions *options,
                                 GError               **error);

G_END_DECLS
