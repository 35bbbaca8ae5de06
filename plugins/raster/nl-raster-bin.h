/* nl-raster-bin.h — the raster panel's data reduced to pixels: spikes counted into the plot
 * area's pixel grid, ready to upload as a texture, and the spike nearest to a point.
 *
 * GTK-free (only the panel module uses it). The mapping is the raster figure's
 * (nl-raster-figure.h): spike at time t of the cell in row i of N → column
 * floor((t − t0) / (t1 − t0) · W) (W − 1 for t = t1), and the row's band of pixel rows
 * counted from the bottom, so the panel shows exactly the pixels `netloom plot raster`
 * paints. Counts are kept per count row ("slot": one per cell row when the rows fit in the
 * height, else one per pixel row); a table of pixel rows gives each its slot and colour
 * (its population's, or the mix of those sharing the pixel row), so one grid holds every
 * population's counts.
 */
#pragma once

#include <nl-cell-selection.h>
#include <nl-results.h>

G_BEGIN_DECLS

/* What the panel keeps of one results set: the selection (all populations), their colours,
 * and spike counts per population at every 4,096th spike, so the spikes of any window are
 * counted per population in constant time (legend rates while zooming). Immutable once
 * made, shared between the main thread and workers by reference. */
typedef struct {
  NlResults       *results;
  NlCellSelection *sel;
  NlColor         *colors;        /* per population of the selection */
  guint64         *block_counts;  /* (n_blocks + 1) × n_pops */
  guint64          n_blocks;
  double           t_min, t_max;  /* the whole run (nl_results_figure_window) */
  gint             ref_count;
} NlRasterData;

NlRasterData *nl_raster_data_new    (NlResults    *results,
                                     GCancellable *cancellable,
                                     GError      **error);
NlRasterData *nl_raster_data_ref    (NlRasterData *d);
void          nl_raster_data_unref  (NlRasterData *d);
/* Spikes with t0 ≤ t ≤ t1 are [first, last). */
void          nl_raster_data_window (NlRasterData *d,
                                     double        t0,
                                     double        t1,
                                     guint64      *first,
                                     guint64      *last);
/* Spikes of each population (selection order) in t0 ≤ t ≤ t1: n_pops values. */
void          nl_raster_data_count  (NlRasterData *d,
                                     double        t0,
                                     double        t1,
                                     guint64      *counts);

/* The count grid of one view: the window t0..t1 over w × h pixels. */
typedef struct {
  double   t0, t1;
  guint    w, h;
  guint    slots;
  guint32 *counts;      /* w × slots, column-major: counts[c · slots + s] (a texture slots
                           wide and w tall, so a column's cells are contiguous while binning) */
  guint32  max_count;
  gboolean marks;       /* at most max_marks spikes in the window: marks at full colour */
  float   *rows;        /* h × 4: r, g, b and slot (−1: blank, between cells) per pixel row
                           from the bottom */
  double   bin_ms;      /* the time binning took */
} NlRasterGrid;

/* Counts the spikes of t0..t1 into a w × h grid, on up to n_threads threads. max_marks 0 →
 * 50,000 (the figure's default). */
NlRasterGrid *nl_raster_grid_new    (NlRasterData *d,
                                     double        t0,
                                     double        t1,
                                     guint         w,
                                     guint         h,
                                     guint         max_marks,
                                     guint         n_threads);
void          nl_raster_grid_free   (NlRasterGrid *g);

/* The spike nearest to the point (x, y) of a w × h view of t0..t1 (pixels, x from the left,
 * y from the bottom edge), within `radius` pixels; FALSE when there is none. */
gboolean      nl_raster_data_nearest (NlRasterData *d,
                                      double        t0,
                                      double        t1,
                                      guint         w,
                                      guint         h,
                                      double        x,
                                      double        y,
                                      double        radius,
                                      guint32      *gid,
                                      guint        *pop,
                                      double       *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlRasterData, nl_raster_data_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlRasterGrid, nl_raster_grid_free)

G_END_DECLS
