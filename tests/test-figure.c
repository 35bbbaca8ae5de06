/* plugins/figure and the figure parts of the plugins: each kind drawn to PNG from known
 * input, checked pixel by pixel where the data must show; SVG and PDF outputs. */

#include <cairo.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include <nl-figure.h>
#include <nl-colormap.h>
#include <nl-raster-figure.h>

#include "nl-testutil.h"

typedef struct {
  cairo_surface_t *s;
  guint32         *px;
  int              w, h, stride;
} Png;

static Png
png_load (const char *path)
{
  Png p;
  p.s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (p.s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (p.s);
  p.px = (guint32 *) cairo_image_surface_get_data (p.s);
  p.w = cairo_image_surface_get_width (p.s);
  p.h = cairo_image_surface_get_height (p.s);
  p.stride = cairo_image_surface_get_stride (p.s) / 4;
  return p;
}

static guint32
png_at (const Png *p, int x, int y)
{
  g_assert_true (x >= 0 && x < p->w && y >= 0 && y < p->h);
  return p->px[(gsize) y * p->stride + x] & 0xffffff;
}

G_GNUC_UNUSED static NlColor
rgb_of (guint32 v)
{
  return (NlColor) { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
}

static gboolean
near_color (guint32 v, NlColor c, int tol)
{
  int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
  return abs (r - (int) lround (c.r * 255)) <= tol && abs (g - (int) lround (c.g * 255)) <= tol
         && abs (b - (int) lround (c.b * 255)) <= tol;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (nl_test_tmpdir (), name, NULL);
}

/* Keeps a copy of each PNG for looking at when NL_FIGURE_KEEP names a folder. */
static void
keep (const char *path)
{
  const char *dir = g_getenv ("NL_FIGURE_KEEP");
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dst = dir ? g_build_filename (dir, base, NULL) : NULL;
  g_autoptr(GFile) a = g_file_new_for_path (path);
  g_autoptr(GFile) b = dst ? g_file_new_for_path (dst) : NULL;
  if (b)
    g_file_copy (a, b, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
}

/* ---- raster ---- */

/* Three populations A (gids 0–9), B (10–29), C (30–39); `per_cell` spikes per cell at
 * pseudo-random times in 0..1000 ms, plus a spike at exactly 1000 ms and one at 0. */
static NlResults *
raster_results (guint n_a, guint n_b, guint n_c, guint per_cell, guint32 seed)
{
  NlResults *r = nl_results_new ();
  guint n = n_a + n_b + n_c, k = 0;
  guint64 ns = (guint64) n * per_cell + 2;
  double *t = g_new (double, ns);
  guint32 *g = g_new (guint32, ns);
  g_autofree guint32 *gids = g_new (guint32, n);
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n; i++)
    gids[i] = i;
  nl_results_add_pop (r, "A", gids, n_a);
  nl_results_add_pop (r, "B", gids + n_a, n_b);
  nl_results_add_pop (r, "C", gids + n_a + n_b, n_c);
  nl_results_set_n_cells (r, n);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < per_cell; j++, k++)
      {
        t[k] = g_rand_double_range (rand, 0, 1000);
        g[k] = i;
      }
  t[k] = 1000, g[k++] = 3;
  t[k] = 0, g[k++] = n - 1;
  nl_results_set_spikes (r, t, g, ns);
  nl_results_set_duration (r, 1000);
  g_rand_free (rand);
  return r;
}

/* Checks every pixel of the plot area against the documented mapping: marked exactly in
 * the pixel cells of the spikes (in the population's colour when `full`), white elsewhere. */
static void
check_raster_pixels (NlResults *r, NlFigure *fig, const char *path, guint n_rows, gboolean full,
                     double t0, double t1)
{
  Png p = png_load (path);
  double x, y, w, h;
  guint W, H;
  g_autofree gint8 *want = NULL;
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 marked = 0;

  nl_axes_get_plot_area (nl_figure_get_axes (fig, 0), &x, &y, &w, &h);
  g_assert_cmpfloat (x, ==, floor (x));
  g_assert_cmpfloat (y, ==, floor (y));
  W = (guint) w, H = (guint) h;
  want = g_new0 (gint8, (gsize) W * H);
  for (guint i = 0; i < W * H; i++)
    want[i] = -1;
  for (guint64 k = 0; k < nl_results_get_n_spikes (r); k++)
    {
      guint row = g[k], col, lo, hi;
      int pop = nl_results_find_pop_of_gid (r, g[k]);
      if (t[k] < t0 || t[k] > t1)
        continue;
      col = MIN ((guint) floor ((t[k] - t0) / (t1 - t0) * W), W - 1);
      lo = (guint) ((guint64) row * H / n_rows);
      hi = MAX (lo + 1, (guint) ((guint64) (row + 1) * H / n_rows));
      if (hi - lo >= 4)
        {
          guint gap = (guint) floor (0.15 * (hi - lo));
          lo += gap, hi -= gap;
        }
      for (guint yy = lo; yy < hi; yy++)
        want[(gsize) (H - 1 - yy) * W + col] = (gint8) pop;
    }
  for (guint yy = 0; yy < H; yy++)
    for (guint xx = 0; xx < W; xx++)
      {
        guint32 v = png_at (&p, (int) x + (int) xx, (int) y + (int) yy);
        int pop = want[(gsize) yy * W + xx];
        if (pop < 0)
          {
            if (v != 0xffffff)
              g_error ("pixel (%u, %u) of the plot area is %06x, expected background", xx, yy, v);
          }
        else
          {
            marked++;
            if (v == 0xffffff)
              g_error ("pixel (%u, %u) of the plot area should be marked", xx, yy);
            if (full && !near_color (v, nl_palette_color ((guint) pop, 3), 2)
                && nl_results_get_n_cells (r) <= H)
              g_error ("pixel (%u, %u) is %06x, not population %d's colour", xx, yy, v, pop);
          }
      }
  g_assert_cmpuint (marked, >, 0);
  cairo_surface_destroy (p.s);
}

static void
test_raster_marks (void)
{
  g_autoptr(NlResults) r = raster_results (10, 20, 10, 8, 1);
  g_autofree char *path = tmp_path ("raster-marks.png");
  g_autoptr(GError) error = NULL;
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = nl_raster_figure_new (r, &o, &error);

  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  g_assert_no_error (error);
  keep (path);
  check_raster_pixels (r, fig, path, 40, TRUE, 0, 1000);
}

/* More cells than pixel rows, density colouring, a time window. */
static void
test_raster_density (void)
{
  g_autoptr(NlResults) r = raster_results (1500, 2500, 1000, 20, 2);
  g_autofree char *path = tmp_path ("raster-density.png");
  g_autoptr(GError) error = NULL;
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;

  o.base.t_start = 200;
  o.base.t_stop = 700;
  o.max_marks = 10;
  fig = nl_raster_figure_new (r, &o, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  check_raster_pixels (r, fig, path, 5000, FALSE, 200, 700);
}

static void
test_raster_bad_pop (void)
{
  g_autoptr(NlResults) r = raster_results (2, 2, 2, 1, 3);
  g_autoptr(GError) error = NULL;
  const char *pops[] = { "A", "X", NULL };
  NlRasterOptions o = { 0 };
  NlFigure *fig;

  o.base.pops = pops;
  fig = nl_raster_figure_new (r, &o, &error);
  g_assert_null (fig);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "'X'"));
  g_assert_nonnull (strstr (error->message, "A, B, C"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/figure/raster/marks", test_raster_marks);
  g_test_add_func ("/figure/raster/density", test_raster_density);
  g_test_add_func ("/figure/raster/bad-pop", test_raster_bad_pop);
  return g_test_run ();
}
