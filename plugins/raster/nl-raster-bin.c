/* nl-raster-bin.c — see nl-raster-bin.h. */
#include "nl-raster-bin.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define BLOCK 4096

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

static inline gint32
pop_of_gid (const NlRasterData *d, guint32 gid)
{
  gint32 row = nl_cell_selection_row (d->sel, gid);
  return row < 0 ? -1 : (gint32) d->sel->pop_of_row[row];
}

NlRasterData *
nl_raster_data_new (NlResults *results, GCancellable *cancellable, GError **error)
{
  NlCellSelection *sel = nl_cell_selection_new (results, NULL, error);
  const guint32 *g = nl_results_get_spike_gids (results);
  guint64 ns = nl_results_get_n_spikes (results);
  g_autofree guint64 *run = NULL;
  NlRasterData *d;

  if (!sel)
    return NULL;
  d = g_new0 (NlRasterData, 1);
  d->ref_count = 1;
  d->results = nl_results_ref (results);
  d->sel = sel;
  d->colors = g_new (NlColor, sel->n_pops);
  for (guint p = 0; p < sel->n_pops; p++)
    d->colors[p] = nl_palette_color (p, sel->n_pops);
  nl_results_figure_window (results, NULL, &d->t_min, &d->t_max);

  d->n_blocks = ns / BLOCK;
  d->block_counts = g_new0 (guint64, (d->n_blocks + 1) * sel->n_pops);
  run = g_new0 (guint64, sel->n_pops);
  for (guint64 b = 0; b < d->n_blocks; b++)
    {
      for (guint64 k = b * BLOCK; k < (b + 1) * BLOCK; k++)
        {
          gint32 p = pop_of_gid (d, g[k]);
          if (p >= 0)
            run[p]++;
        }
      memcpy (d->block_counts + (b + 1) * sel->n_pops, run, sel->n_pops * sizeof (guint64));
      if ((b & 255) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          nl_raster_data_unref (d);
          return NULL;
        }
    }
  return d;
}

NlRasterData *
nl_raster_data_ref (NlRasterData *d)
{
  g_atomic_int_inc (&d->ref_count);
  return d;
}

void
nl_raster_data_unref (NlRasterData *d)
{
  if (!d || !g_atomic_int_dec_and_test (&d->ref_count))
    return;
  nl_results_unref (d->results);
  nl_cell_selection_free (d->sel);
  g_free (d->colors);
  g_free (d->block_counts);
  g_free (d);
}

void
nl_raster_data_window (NlRasterData *d, double t0, double t1, guint64 *first, guint64 *last)
{
  const double *t = nl_results_get_spike_times (d->results);
  guint64 ns = nl_results_get_n_spikes (d->results);

  *first = lower_bound (t, ns, t0);
  *last = upper_bound (t, ns, t1);
}

/* Spikes per population among the first k. */
static void
prefix_counts (NlRasterData *d, guint64 k, guint64 *out)
{
  const guint32 *g = nl_results_get_spike_gids (d->results);
  guint64 b = MIN (k / BLOCK, d->n_blocks);

  memcpy (out, d->block_counts + b * d->sel->n_pops, d->sel->n_pops * sizeof (guint64));
  for (guint64 i = b * BLOCK; i < k; i++)
    {
      gint32 p = pop_of_gid (d, g[i]);
      if (p >= 0)
        out[p]++;
    }
}

void
nl_raster_data_count (NlRasterData *d, double t0, double t1, guint64 *counts)
{
  guint64 first, last;
  g_autofree guint64 *before = g_new (guint64, d->sel->n_pops);

  nl_raster_data_window (d, t0, t1, &first, &last);
  prefix_counts (d, first, before);
  prefix_counts (d, last, counts);
  for (guint p = 0; p < d->sel->n_pops; p++)
    counts[p] -= before[p];
}

/* Binning ----------------------------------------------------------------------------------- */

typedef struct {
  const double  *t;
  const guint32 *g;
  guint64        first, last;
  const gint32  *slot_of_gid;   /* NULL: look rows up in the selection */
  guint32        n_gids;
  const guint32 *slot_of_row;
  const NlCellSelection *sel;
  double         t0, scale;
  guint          w, slots;
  guint32       *counts;
} BinJob;

static inline guint
column (double t, double t0, double scale, guint w)
{
  /* The figure's expression, operation for operation, so both land on the same column. */
  double f = (t - t0) * scale;
  guint c = f <= 0 ? 0 : (guint) f;
  return c >= w ? w - 1 : c;
}

static gpointer
bin_range (gpointer data)
{
  BinJob *j = data;
  const double *t = j->t;
  const guint32 *g = j->g;
  const double t0 = j->t0, scale = j->scale;
  const guint w = j->w, slots = j->slots;
  guint32 *counts = j->counts;

  /* The hot loop (a few ns per spike, bound by reading times and gids): no maximum kept
   * here, the grid is scanned for it afterwards. */
  if (j->slot_of_gid)
    {
      const gint32 *slot_of_gid = j->slot_of_gid;
      const guint32 n_gids = j->n_gids;
      for (guint64 k = j->first; k < j->last; k++)
        {
          gint32 s = g[k] < n_gids ? slot_of_gid[g[k]] : -1;
          if (s >= 0)
            counts[(gsize) column (t[k], t0, scale, w) * slots + (guint) s]++;
        }
    }
  else
    for (guint64 k = j->first; k < j->last; k++)
      {
        gint32 row = nl_cell_selection_row (j->sel, g[k]);
        if (row >= 0)
          counts[(gsize) column (t[k], t0, scale, w) * slots + j->slot_of_row[row]]++;
      }
  return NULL;
}

/* Pixel rows (from the bottom) of row i of n in h pixels, as the figure marks them. */
static void
row_band (guint i, guint n, guint h, guint *lo, guint *hi)
{
  guint64 a = (guint64) i * h / n, b = (guint64) (i + 1) * h / n;

  *lo = (guint) a;
  *hi = (guint) MAX (a + 1, b);
  if (*hi - *lo >= 4)
    {
      guint gap = (guint) floor (0.15 * (*hi - *lo));
      *lo += gap;
      *hi -= gap;
    }
}

static void
fill_rows (NlRasterData *d, NlRasterGrid *grid, const guint32 *slot_of_row)
{
  guint n = d->sel->n_rows_total, h = grid->h;
  g_autofree double *mix = g_new0 (double, (gsize) grid->slots * 4);

  /* Each slot's colour: the mean of its rows' population colours. */
  for (guint i = 0; i < n; i++)
    {
      NlColor c = d->colors[d->sel->pop_of_row[i]];
      double *m = mix + (gsize) slot_of_row[i] * 4;
      m[0] += c.r, m[1] += c.g, m[2] += c.b, m[3] += 1;
    }
  for (guint y = 0; y < h; y++)
    {
      float *r = grid->rows + (gsize) y * 4;
      r[0] = r[1] = r[2] = 1, r[3] = -1;
    }
  for (guint s = 0; s < grid->slots; s++)
    {
      const double *m = mix + (gsize) s * 4;
      guint lo, hi;

      if (m[3] == 0)
        continue;
      if (n <= h)
        row_band (s, n, h, &lo, &hi);
      else
        lo = s, hi = s + 1;
      for (guint y = lo; y < hi && y < h; y++)
        {
          float *r = grid->rows + (gsize) y * 4;
          r[0] = (float) (m[0] / m[3]);
          r[1] = (float) (m[1] / m[3]);
          r[2] = (float) (m[2] / m[3]);
          r[3] = (float) s;
        }
    }
}

NlRasterGrid *
nl_raster_grid_new (NlRasterData *d, double t0, double t1, guint w, guint h, guint max_marks,
                    guint n_threads)
{
  const NlCellSelection *sel = d->sel;
  guint n = sel->n_rows_total;
  NlRasterGrid *grid = g_new0 (NlRasterGrid, 1);
  g_autofree guint32 *slot_of_row = g_new (guint32, MAX (n, 1));
  g_autofree gint32 *slot_of_gid = NULL;
  g_autofree BinJob *jobs = NULL;
  g_autofree GThread **threads = NULL;
  guint64 first, last, total;
  gint64 start = g_get_monotonic_time ();

  w = MAX (w, 1), h = MAX (h, 1);
  grid->t0 = t0, grid->t1 = t1, grid->w = w, grid->h = h;
  grid->slots = MAX (n <= h ? n : h, 1);
  grid->counts = g_new0 (guint32, (gsize) w * grid->slots);
  grid->rows = g_new (float, (gsize) h * 4);
  for (guint i = 0; i < n; i++)
    slot_of_row[i] = n <= h ? i : (guint32) ((guint64) i * h / n);
  fill_rows (d, grid, slot_of_row);

  nl_raster_data_window (d, t0, t1, &first, &last);
  total = last - first;
  grid->marks = total <= (max_marks ? max_marks : 50000);
  if (sel->row_of_gid)
    {
      slot_of_gid = g_new (gint32, MAX (sel->n_gids, 1));
      for (guint32 gid = 0; gid < sel->n_gids; gid++)
        {
          gint32 row = sel->row_of_gid[gid];
          slot_of_gid[gid] = row < 0 ? -1 : (gint32) slot_of_row[row];
        }
    }

  /* Threads take consecutive spike ranges cut where the column changes: sorted times give
   * non-decreasing columns, so no two threads ever count into the same column. */
  n_threads = total < 200000 ? 1 : CLAMP (n_threads, 1, 8);
  jobs = g_new0 (BinJob, n_threads);
  threads = g_new0 (GThread *, n_threads);
  {
    const double *t = nl_results_get_spike_times (d->results);
    double scale = w / (t1 - t0);
    guint64 a = first;

    for (guint i = 0; i < n_threads; i++)
      {
        BinJob *j = &jobs[i];
        guint64 b = i + 1 == n_threads ? last : first + total * (i + 1) / n_threads;

        b = MAX (b, a);
        if (b > a && b < last)
          {
            guint c = column (t[b - 1], t0, scale, w);
            while (b < last && column (t[b], t0, scale, w) == c)
              b++;
          }
        j->t = t;
        j->g = nl_results_get_spike_gids (d->results);
        j->first = a, j->last = b;
        j->slot_of_gid = slot_of_gid;
        j->n_gids = sel->n_gids;
        j->slot_of_row = slot_of_row;
        j->sel = sel;
        j->t0 = t0, j->scale = scale, j->w = w, j->slots = grid->slots;
        j->counts = grid->counts;
        a = b;
      }
  }
  for (guint i = 1; i < n_threads; i++)
    threads[i] = g_thread_new ("nl-raster-bin", bin_range, &jobs[i]);
  bin_range (&jobs[0]);
  for (guint i = 0; i < n_threads; i++)
    {
      if (threads[i])
        g_thread_join (threads[i]);
    }
  {
    const guint32 *c = grid->counts;
    guint32 m = 0;
    for (gsize i = 0, n_cells = (gsize) w * grid->slots; i < n_cells; i++)
      m = MAX (m, c[i]);
    grid->max_count = m;
  }
  grid->bin_ms = (g_get_monotonic_time () - start) / 1000.0;
  return grid;
}

void
nl_raster_grid_free (NlRasterGrid *g)
{
  if (!g)
    return;
  g_free (g->counts);
  g_free (g->rows);
  g_free (g);
}

/* Hover ------------------------------------------------------------------------------------- */

gboolean
nl_raster_data_nearest (NlRasterData *d, double t0, double t1, guint w, guint h, double x,
                        double y, double radius, guint32 *gid, guint *pop, double *t_out)
{
  const double *t = nl_results_get_spike_times (d->results);
  const guint32 *g = nl_results_get_spike_gids (d->results);
  guint64 ns = nl_results_get_n_spikes (d->results), first, last;
  double px_ms = (t1 - t0) / w, scale = w / (t1 - t0), best = radius * radius;
  double n = d->sel->n_rows_total;
  gint64 found = -1;

  if (w == 0 || h == 0 || n == 0)
    return FALSE;
  first = lower_bound (t, ns, MAX (t0, t0 + (x - radius) * px_ms));
  last = upper_bound (t, ns, MIN (t1, t0 + (x + radius) * px_ms));
  /* A dense window is scanned outwards from the pointer, at most a few million spikes. */
  if (last - first > 4000000)
    {
      guint64 mid = lower_bound (t, ns, t0 + x * px_ms);
      first = MAX (first, mid > 2000000 ? mid - 2000000 : 0);
      last = MIN (last, mid + 2000000);
    }
  for (guint64 k = first; k < last; k++)
    {
      gint32 row = nl_cell_selection_row (d->sel, g[k]);
      double dx, dy, d2;

      if (row < 0)
        continue;
      /* The mark's centre: its pixel column's middle, its row band's middle. */
      dx = column (t[k], t0, scale, w) + 0.5 - x;
      dy = (row + 0.5) * h / n - y;
      d2 = dx * dx + dy * dy;
      if (d2 <= best)
        best = d2, found = (gint64) k;
    }
  if (found < 0)
    return FALSE;
  *gid = g[found];
  *pop = d->sel->pop_of_row[nl_cell_selection_row (d->sel, g[found])];
  *t_out = t[found];
  return TRUE;
}
