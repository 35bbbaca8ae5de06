/* nl-raster-figure.c — the raster plot, painted as a pixel grid of spike counts. */
#include "nl-raster-figure.h"

#include <math.h>
#include <nl-cell-selection.h>

typedef struct {
  NlResults       *results;
  NlCellSelection *sel;
  NlColor         *colors;       /* per chosen population */
  double           t0, t1;
  guint64          first, last;  /* spikes [first, last) lie in the window */
  guint            max_marks;
} NlRaster;

static void
raster_free (gpointer p)
{
  NlRaster *r = p;
  nl_results_unref (r->results);
  nl_cell_selection_free (r->sel);
  g_free (r->colors);
  g_free (r);
}

/* The first spike at or after t (spikes are sorted by time). */
static guint64
lower_bound (const double *t, guint64 n, double v)
{
  guint64 lo = 0, hi = n;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (t[mid] < v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint64
upper_bound (const double *t, guint64 n, double v)
{
  guint64 lo = 0, hi = n;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (t[mid] <= v)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Pixel rows (from the bottom) marked for row i of n in a grid h pixels tall. */
static void
row_band (guint i, guint n, guint h, guint *lo, guint *hi)
{
  guint64 a = (guint64) i * h / n, b = (guint64) (i + 1) * h / n;
  guint g;

  *lo = (guint) a;
  *hi = (guint) MAX (a + 1, b);
  if (*hi - *lo >= 4)
    {
      g = (guint) floor (0.15 * (*hi - *lo));
      *lo += g;
      *hi -= g;
    }
}

static guint
column_of (const NlRaster *r, double t, guint w)
{
  double f = (t - r->t0) / (r->t1 - r->t0) * w;
  guint c = f <= 0 ? 0 : (guint) f;
  return MIN (c, w - 1);
}

/* Counts spikes into a w × slots grid: one slot per row when the rows fit in h pixels,
 * else one per pixel row. */
static guint32 *
count_grid (const NlRaster *r, guint w, guint h, guint *n_slots, guint32 *max_count)
{
  const double *t = nl_results_get_spike_times (r->results);
  const guint32 *g = nl_results_get_spike_gids (r->results);
  guint n = r->sel->n_rows_total, slots = n <= h ? n : h;
  g_autofree guint32 *slot_of_row = g_new (guint32, n);
  guint32 *grid = g_new0 (guint32, (gsize) w * slots), m = 0;
  double scale = w / (r->t1 - r->t0);

  for (guint i = 0; i < n; i++)
    slot_of_row[i] = n <= h ? i : (guint32) ((guint64) i * h / n);
  for (guint64 k = r->first; k < r->last; k++)
    {
      gint32 row = nl_cell_selection_row (r->sel, g[k]);
      double f;
      guint c;
      guint32 *cell;
      if (row < 0)
        continue;
      f = (t[k] - r->t0) * scale;
      c = f <= 0 ? 0 : (guint) f;
      if (c >= w)
        c = w - 1;
      cell = &grid[(gsize) slot_of_row[row] * w + c];
      if (++*cell > m)
        m = *cell;
    }
  *n_slots = slots;
  *max_count = m;
  return grid;
}

/* The colour of each slot: its population's, or the mix of the populations whose cells
 * share a pixel row. */
static NlColor *
slot_colors (const NlRaster *r, guint slots, guint h)
{
  guint n = r->sel->n_rows_total;
  NlColor *c = g_new0 (NlColor, slots);
  g_autofree guint *k = g_new0 (guint, slots);

  for (guint i = 0; i < n; i++)
    {
      guint s = n <= h ? i : (guint) ((guint64) i * h / n);
      NlColor pc = r->colors[r->sel->pop_of_row[i]];
      c[s].r += pc.r;
      c[s].g += pc.g;
      c[s].b += pc.b;
      k[s]++;
    }
  for (guint s = 0; s < slots; s++)
    if (k[s])
      {
        c[s].r /= k[s];
        c[s].g /= k[s];
        c[s].b /= k[s];
      }
  return c;
}

/* The w × h image (ARGB, transparent where no spike) of the count grid. */
static cairo_surface_t *
density_image (const NlRaster *r, guint w, guint h)
{
  guint slots, n = r->sel->n_rows_total;
  guint32 max_count;
  g_autofree guint32 *grid = count_grid (r, w, h, &slots, &max_count);
  g_autofree NlColor *colors = slot_colors (r, slots, h);
  gboolean marks = r->last - r->first <= r->max_marks;
  double lmax = log1p (MAX (max_count, 1));
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
  guint32 *px = (guint32 *) cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img) / 4;
  guint32 lut[256];

  cairo_surface_flush (img);
  for (guint s = 0; s < slots; s++)
    {
      guint lo, hi;
      const guint32 *src = grid + (gsize) s * w;

      if (n <= h)
        row_band (s, n, h, &lo, &hi);
      else
        lo = s, hi = s + 1;
      /* Premultiplied ARGB for each opacity step of this slot's colour. */
      for (int a = 0; a < 256; a++)
        lut[a] = ((guint32) a << 24) | ((guint32) lround (colors[s].r * a) << 16)
                 | ((guint32) lround (colors[s].g * a) << 8) | (guint32) lround (colors[s].b * a);
      for (guint y = lo; y < hi; y++)
        {
          guint32 *dst = px + (gsize) (h - 1 - y) * stride;
          for (guint x = 0; x < w; x++)
            {
              int a;
              if (!src[x])
                continue;
              a = marks ? 255 : (int) lround (255 * (0.75 + 0.25 * log1p (src[x]) / lmax));
              dst[x] = lut[a];
            }
        }
    }
  cairo_surface_mark_dirty (img);
  return img;
}

/* One rectangle per spike, at the same pixel cells as the image (vector output). */
static void
draw_marks (const NlRaster *r, cairo_t *cr, double x, double y, guint w, guint h)
{
  const double *t = nl_results_get_spike_times (r->results);
  const guint32 *g = nl_results_get_spike_gids (r->results);
  guint n = r->sel->n_rows_total;

  for (guint p = 0; p < r->sel->n_pops; p++)
    {
      for (guint64 k = r->first; k < r->last; k++)
        {
          gint32 row = nl_cell_selection_row (r->sel, g[k]);
          guint lo, hi, c;
          if (row < 0 || r->sel->pop_of_row[row] != p)
            continue;
          c = column_of (r, t[k], w);
          if (n <= h)
            row_band ((guint) row, n, h, &lo, &hi);
          else
            lo = (guint) ((guint64) row * h / n), hi = lo + 1;
          cairo_rectangle (cr, x + c, y + h - hi, 1, hi - lo);
        }
      cairo_set_source_rgb (cr, r->colors[p].r, r->colors[p].g, r->colors[p].b);
      cairo_fill (cr);
    }
}

static void
draw_raster (NlAxes *axes, cairo_t *cr, gpointer data)
{
  NlRaster *r = data;
  double x, y, w, h, dx0, dy0, dx1, dy1;
  cairo_matrix_t m;
  cairo_surface_t *img;

  nl_axes_get_plot_area (axes, &x, &y, &w, &h);
  if (nl_cairo_is_vector (cr))
    {
      /* Figure pixels are the grid; marks stay vectors when there are few. */
      if (r->last - r->first <= r->max_marks)
        {
          draw_marks (r, cr, x, y, (guint) w, (guint) h);
          return;
        }
      img = density_image (r, (guint) w, (guint) h);
      cairo_set_source_surface (cr, img, x, y);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
      cairo_paint (cr);
      cairo_surface_destroy (img);
      return;
    }
  /* Pixels: the grid is the device's pixels under the plot area, painted unscaled. */
  cairo_get_matrix (cr, &m);
  dx0 = x, dy0 = y, dx1 = x + w, dy1 = y + h;
  cairo_user_to_device (cr, &dx0, &dy0);
  cairo_user_to_device (cr, &dx1, &dy1);
  if (m.xy != 0 || m.yx != 0 || dx1 <= dx0 || dy1 <= dy0)
    return;
  dx0 = round (dx0), dy0 = round (dy0), dx1 = round (dx1), dy1 = round (dy1);
  if (dx1 - dx0 < 1 || dy1 - dy0 < 1 || dx1 - dx0 > 32767 || dy1 - dy0 > 32767)
    return;
  img = density_image (r, (guint) (dx1 - dx0), (guint) (dy1 - dy0));
  cairo_identity_matrix (cr);
  cairo_set_source_surface (cr, img, dx0, dy0);
  cairo_paint (cr);
  cairo_set_matrix (cr, &m);
  cairo_surface_destroy (img);
}

static char *
rate_label (const char *name, double hz)
{
  return hz >= 10 ? g_strdup_printf ("%s (%.1f Hz)", name, hz)
                  : g_strdup_printf ("%s (%.2f Hz)", name, hz);
}

gboolean
nl_raster_figure_draw (NlAxes *axes, NlResults *results, const NlRasterOptions *options,
                       GError **error)
{
  NlRasterOptions o = options ? *options : (NlRasterOptions) { 0 };
  NlCellSelection *sel = nl_cell_selection_new (results, &o.base, error);
  const double *t = nl_results_get_spike_times (results);
  const guint32 *g = nl_results_get_spike_gids (results);
  guint64 ns = nl_results_get_n_spikes (results);
  g_autofree guint64 *counts = NULL;
  NlRaster *r;

  if (!sel)
    return FALSE;
  r = g_new0 (NlRaster, 1);
  r->results = nl_results_ref (results);
  r->sel = sel;
  r->max_marks = o.max_marks ? o.max_marks : 50000;
  nl_results_figure_window (results, &o.base, &r->t0, &r->t1);
  r->first = lower_bound (t, ns, r->t0);
  r->last = upper_bound (t, ns, r->t1);
  r->colors = g_new (NlColor, sel->n_pops);
  counts = g_new0 (guint64, sel->n_pops);
  for (guint p = 0; p < sel->n_pops; p++)
    r->colors[p] = nl_palette_color (p, sel->n_pops);
  for (guint64 k = r->first; k < r->last; k++)
    {
      gint32 row = nl_cell_selection_row (sel, g[k]);
      if (row >= 0)
        counts[sel->pop_of_row[row]]++;
    }

  nl_axes_set_xlim (axes, r->t0, r->t1);
  nl_axes_set_ylim (axes, 0, sel->n_rows_total);
  nl_axes_set_xlabel (axes, "Time (ms)");
  nl_axes_set_ylabel (axes, "Cell (by population)");
  /* The legend lists populations top to bottom as they are stacked on screen. */
  for (guint q = sel->n_pops; q-- > 0;)
    {
      double hz = sel->n_rows[q] ? counts[q] / (double) sel->n_rows[q] / ((r->t1 - r->t0) / 1000)
                                 : 0;
      g_autofree char *label = o.no_rates ? g_strdup (sel->names[q]) : rate_label (sel->names[q], hz);
      nl_axes_add_legend_entry (axes, r->colors[q], label);
    }
  nl_axes_add_custom (axes, r->t0, r->t1, 0, sel->n_rows_total, draw_raster, r, raster_free);
  return TRUE;
}

/* Keep in step with nl_raster_figure_draw: the same limits, labels and legend. */
gboolean
nl_raster_figure_draw_frame (NlAxes *axes, NlResults *results, const NlRasterOptions *options,
                             const guint64 *counts, GError **error)
{
  NlRasterOptions o = options ? *options : (NlRasterOptions) { 0 };
  g_autoptr(NlCellSelection) sel = nl_cell_selection_new (results, &o.base, error);
  g_autofree guint64 *own = NULL;
  double t0, t1;

  if (!sel)
    return FALSE;
  nl_results_figure_window (results, &o.base, &t0, &t1);
  if (!counts)
    {
      const double *t = nl_results_get_spike_times (results);
      const guint32 *g = nl_results_get_spike_gids (results);
      guint64 ns = nl_results_get_n_spikes (results);
      guint64 last = upper_bound (t, ns, t1);

      own = g_new0 (guint64, sel->n_pops);
      for (guint64 k = lower_bound (t, ns, t0); k < last; k++)
        {
          gint32 row = nl_cell_selection_row (sel, g[k]);
          if (row >= 0)
            own[sel->pop_of_row[row]]++;
        }
      counts = own;
    }
  nl_axes_set_xlim (axes, t0, t1);
  nl_axes_set_ylim (axes, 0, sel->n_rows_total);
  nl_axes_set_xlabel (axes, "Time (ms)");
  nl_axes_set_ylabel (axes, "Cell (by population)");
  for (guint q = sel->n_pops; q-- > 0;)
    {
      double hz = sel->n_rows[q] ? counts[q] / (double) sel->n_rows[q] / ((t1 - t0) / 1000) : 0;
      g_autofree char *label = o.no_rates ? g_strdup (sel->names[q]) : rate_label (sel->names[q], hz);
      nl_axes_add_legend_entry (axes, nl_palette_color (q, sel->n_pops), label);
    }
  return TRUE;
}

NlFigure *
nl_raster_figure_new (NlResults *results, const NlRasterOptions *options, GError **error)
{
  g_autoptr(NlFigure) fig = nl_figure_new_from_options (options ? &options->base : NULL, NULL);
  NlAxes *axes = nl_figure_add_axes (fig, 0, 0, 1, 1);

  if (!nl_raster_figure_draw (axes, results, options, error))
    return NULL;
  return g_steal_pointer (&fig);
}
