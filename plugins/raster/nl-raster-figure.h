/* nl-raster-figure.h — the raster plot: every spike as a mark at (time, cell).
 *
 * x is time (ms) over the options' window; y is the cell's row: the chosen cells grouped by
 * population (first population at the bottom, as NetPyNE draws), row i spanning y = i … i+1.
 * Each population has its colour (nl_palette_color) and a legend entry with its mean rate
 * in the window ("E (12.3 Hz)": spikes / cells shown / window in s).
 *
 * Exactness: with a plot area of W × H device pixels whose left edge is t0 and right edge
 * t1, a spike at time t of the cell in row i (of N rows) marks column
 * floor((t − t0) / (t1 − t0) · W) (W − 1 for t = t1) and, counting pixel rows from the
 * bottom, rows lo … hi − 1 with lo = floor(i · H / N), hi = max(lo + 1, floor((i + 1) · H / N));
 * when a row band is 4 px or taller, floor(0.15 · (hi − lo)) px are left blank at each end
 * so neighbouring cells stay apart. Nothing else inside the plot area is painted.
 *
 * Speed: spikes are counted into that pixel grid (one increment per spike) and the grid is
 * painted as one image, so ten million spikes render in well under a second. Below
 * `max_marks` spikes every marked pixel has the full colour; above it the colour's opacity
 * grows from 75 % to 100 % with the log of the pixel's spike count (a density). SVG/PDF get
 * one rectangle per spike below `max_marks`, else the density image embedded. (A GTK
 * drawing area records into a vector surface: it gets the same, at its logical pixels.)
 */
#pragma once

#include <nl-results.h>

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;
  guint           max_marks;   /* 0 → 50,000 */
  gboolean        no_rates;    /* leave the rates out of the legend */
} NlRasterOptions;

/* The raster of `results` as a figure (one panel), or NULL with an error for an unknown
 * population or a selection without cells. */
NlFigure *nl_raster_figure_new  (NlResults             *results,
                                 const NlRasterOptions *options,
                                 GError               **error);
/* The same into an existing panel (labels, limits, legend, the spikes). */
gboolean  nl_raster_figure_draw (NlAxes                *axes,
                                 NlResults             *results,
                                 const NlRasterOptions *options,
                                 GError               **error);
/* For views that paint the spikes themselves (the workbench's GL raster panel): what
 * nl_raster_figure_draw sets up — limits, axis labels, the legend with each population's
 * rate in the window — without the spikes, so the plot area lands on the same pixels.
 * `counts` holds the spikes in the window per chosen population (selection order), as
 * nl_raster_figure_draw counts them: times t_start ≤ t ≤ t_stop; NULL counts them here. */
gboolean  nl_raster_figure_draw_frame (NlAxes                *axes,
                                       NlResults             *results,
                                       const NlRasterOptions *options,
                                       const guint64         *counts,
                                       GError               **error);

G_END_DECLS
