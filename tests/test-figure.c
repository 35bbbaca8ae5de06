/* plugins/figure and the figure parts of the plugins: each kind drawn to PNG from known
 * input, checked pixel by pixel where the data must show; SVG and PDF outputs. */

#include <cairo.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include <nl-figure.h>
#include <nl-colormap.h>
#include <nl-raster-figure.h>
#include <nl-traces-figure.h>
#include <nl-net2d-figure.h>
#include <nl-spikehist-figure.h>
#include <nl-spikestats-figure.h>
#include <nl-conn-figure.h>
#include <nl-nte-figure.h>
#include <nl-psd-figure.h>
#include <nl-granger-figure.h>
#include <nl-spectrogram-figure.h>
#include <nl-spec.h>
#include <nl-build.h>

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

static NlColor
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
                     double t0, double t1, double scale)
{
  Png p = png_load (path);
  double x, y, w, h;
  guint W, H;
  g_autofree gint8 *want = NULL;
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 marked = 0;

  nl_axes_get_plot_area (nl_figure_get_axes (fig, 0), &x, &y, &w, &h);
  x *= scale, y *= scale, w *= scale, h *= scale;
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
  check_raster_pixels (r, fig, path, 40, TRUE, 0, 1000, 1);

  /* At twice the pixel density the grid is the device's pixels. */
  {
    g_autofree char *path2 = tmp_path ("raster-marks-2x.png");
    nl_figure_set_scale (fig, 2);
    g_assert_true (nl_figure_save (fig, path2, &error));
    check_raster_pixels (r, fig, path2, 40, TRUE, 0, 1000, 2);
  }
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
  check_raster_pixels (r, fig, path, 5000, FALSE, 200, 700, 1);
}

/* Results without populations (a spike CSV) and gids far apart: rows follow gid order, no
 * table of 4 × 10^9 entries is made. */
static void
test_raster_sparse_gids (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  double *t = g_new (double, 3);
  guint32 *g = g_new (guint32, 3);
  g_autofree char *path = tmp_path ("raster-sparse.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  const guint32 want_rows[3] = { 1, 0, 1 };
  double x, y, w, h;
  Png p;

  t[0] = 100, g[0] = 4000000000u;
  t[1] = 500, g[1] = 2;
  t[2] = 900, g[2] = 4000000000u;
  nl_results_set_spikes (r, t, g, 3);
  nl_results_set_duration (r, 1000);
  fig = nl_raster_figure_new (r, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  p = png_load (path);
  nl_axes_get_plot_area (nl_figure_get_axes (fig, 0), &x, &y, &w, &h);
  for (int k = 0; k < 3; k++)
    {
      const double *tt = nl_results_get_spike_times (r);
      const guint32 *gg = nl_results_get_spike_gids (r);
      guint col = (guint) floor (tt[k] / 1000 * w), row = gg[k] == 2 ? 0 : 1;
      guint lo = row * (guint) h / 2, hi = (row + 1) * (guint) h / 2;
      guint mid = (lo + hi) / 2;
      g_assert_cmpuint (row, ==, want_rows[k]);
      g_assert_true (near_color (png_at (&p, (int) x + (int) col, (int) y + (int) h - 1 - (int) mid),
                                 nl_palette_color (0, 1), 2));
      g_assert_cmpuint (png_at (&p, (int) x + (int) col + 2, (int) y + (int) h - 1 - (int) mid), ==, 0xffffff);
    }
  cairo_surface_destroy (p.s);
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
  g_clear_error (&error);

  /* Gids outside the chosen populations select no cell. */
  {
    const guint32 gids[] = { 0, 1 };
    const char *only_c[] = { "C", NULL };
    o.base.pops = only_c;
    o.base.gids = gids;
    o.base.n_gids = 2;
    fig = nl_raster_figure_new (r, &o, &error);
    g_assert_null (fig);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* ---- colour maps ---- */

static void
test_colormaps (void)
{
  const NlColormap maps[] = { NL_COLORMAP_SEQUENTIAL, NL_COLORMAP_GREYS };

  /* Sequential maps get lighter at every step, in luminance (what grey printing keeps). */
  for (guint m = 0; m < G_N_ELEMENTS (maps); m++)
    {
      double prev = -1;
      for (int i = 0; i <= 255; i++)
        {
          double y = nl_color_luminance (nl_colormap_eval (maps[m], i / 255.0));
          g_assert_cmpfloat (y, >, prev);
          prev = y;
        }
    }
  g_assert_cmpfloat (nl_color_lightness (nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 0)), <, 0.3);
  g_assert_cmpfloat (nl_color_lightness (nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 1)), >, 0.9);
  /* Diverging: lightest at the centre, darker towards both ends. */
  g_assert_cmpfloat (nl_color_lightness (nl_colormap_eval (NL_COLORMAP_DIVERGING, 0.5)), >,
                     nl_color_lightness (nl_colormap_eval (NL_COLORMAP_DIVERGING, 0.25)));
  g_assert_cmpfloat (nl_color_lightness (nl_colormap_eval (NL_COLORMAP_DIVERGING, 0.75)), >,
                     nl_color_lightness (nl_colormap_eval (NL_COLORMAP_DIVERGING, 1)));

  /* Up to 6 populations, every pair of colours differs in lightness by ≥ 0.05. */
  for (guint n = 2; n <= 6; n++)
    for (guint i = 0; i < n; i++)
      for (guint j = i + 1; j < n; j++)
        g_assert_cmpfloat (fabs (nl_color_lightness (nl_palette_color (i, n))
                                 - nl_color_lightness (nl_palette_color (j, n))), >=, 0.05);
}

/* ---- heat maps ---- */

/* A 4 × 4 matrix whose values are a permutation of 0..15: the colour sampled in each cell
 * (away from the printed value) must get lighter in the order of the values. */
static void
test_heatmap (void)
{
  const double v[16] = { 7, 2, 12, 0, 15, 9, 4, 11, 1, 14, 6, 3, 10, 5, 13, 8 };
  const char *pre[] = { "E2", "I2", "E4", "I4" }, *post[] = { "E2", "I2", "E4", "I4" };
  g_autofree char *path = tmp_path ("heatmap.png");
  g_autoptr(GError) error = NULL;
  NlMatrixOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;
  double lum[16];
  NlAxes *axes;
  Png p;

  o.value_label = "Weight (\xc2\xb5S)";
  o.base.width = 640, o.base.height = 520;
  o.base.title = "Connectivity";
  fig = nl_conn_figure_new (v, 4, 4, pre, post, &o, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 4; j++)
      {
        int x = (int) nl_axes_x_to_px (axes, j + 0.12), y = (int) nl_axes_y_to_px (axes, i + 0.12);
        guint32 px = png_at (&p, x, y);
        NlColor want = nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, v[i * 4 + j] / 15);
        g_assert_true (near_color (px, want, 2));
        lum[(int) v[i * 4 + j]] = nl_color_luminance (rgb_of (px));
      }
  for (int k = 1; k < 16; k++)
    g_assert_cmpfloat (lum[k], >, lum[k - 1]);
  cairo_surface_destroy (p.s);

  g_clear_pointer (&fig, nl_figure_free);
  g_assert_null (nl_conn_figure_new (v, 0, 4, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_nte (void)
{
  double v[9] = { 0, 0.2, 0.05, 0.1, 0, 0.3, 0.02, 0.15, 0 };
  const char *names[] = { "E", "I", "S" };
  g_autofree char *path = tmp_path ("nte.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = nl_nte_figure_new (v, 3, names, NULL, &error);
  NlAxes *axes;
  Png p;

  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  /* The largest value (row 1, column 2) is the lightest cell, the zeros the darkest. */
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (axes, 2.1), (int) nl_axes_y_to_px (axes, 1.1)),
                             nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 1), 2));
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (axes, 0.1), (int) nl_axes_y_to_px (axes, 0.1)),
                             nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 0), 2));
  cairo_surface_destroy (p.s);
}

/* ---- traces ---- */

/* An antialiased line's pixel: nearer to the line's colour than halfway from white. */
static gboolean
line_pixel (guint32 v, NlColor c)
{
  NlColor p = rgb_of (v);
  double d = hypot (hypot (p.r - c.r, p.g - c.g), p.b - c.b);
  double w = hypot (hypot (1 - c.r, 1 - c.g), 1 - c.b);
  return d < 0.5 * w;
}

/* Whether the column x has a pixel of a line of colour c within dy px of height y; `tol`
 * > 0 asks for the colour itself within tol per channel instead. */
static gboolean
column_has_color_near (const Png *p, int x, double y, NlColor c, int dy, int tol)
{
  for (int yy = (int) floor (y) - dy; yy <= (int) ceil (y) + dy; yy++)
    if (tol > 0 ? near_color (png_at (p, x, yy), c, tol) : line_pixel (png_at (p, x, yy), c))
      return TRUE;
  g_test_message ("no colour %02x%02x%02x within %d px of (%d, %.1f); column there: %06x %06x %06x",
                  (int) lround (c.r * 255), (int) lround (c.g * 255), (int) lround (c.b * 255), dy,
                  x, y, png_at (p, x, (int) y - 1), png_at (p, x, (int) y), png_at (p, x, (int) y + 1));
  return FALSE;
}

/* V = −65 + 10 sin(2π t / 100 ms): at each of 40 columns the curve's colour is within 2 px
 * of the expected height, and nowhere in that column more than 6 px away from it. */
static void
test_traces_sine (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const guint32 gids[] = { 0, 1 };
  guint64 n = 2001;
  double *t = g_new (double, n), *v = g_new (double, n), *w = g_new (double, n);
  g_autofree char *path = tmp_path ("traces.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlTracesOptions o = { 0 };
  const guint32 only[] = { 0 };
  double x, y, pw, ph;
  NlAxes *axes;
  NlColor c = nl_palette_color (0, 1);
  Png p;

  for (guint64 i = 0; i < n; i++)
    {
      t[i] = 0.1 * i;
      v[i] = -65 + 10 * sin (2 * G_PI * t[i] / 100);
      w[i] = -70;
    }
  nl_results_add_pop (r, "E", gids, 2);
  nl_results_set_trace_time (r, t, n);
  nl_results_add_trace (r, "V_soma", 0, v, n);
  nl_results_add_trace (r, "V_soma", 1, w, n);
  nl_results_set_duration (r, 200);
  o.base.gids = only;
  o.base.n_gids = 1;
  o.base.title = "Membrane potential";
  fig = nl_traces_figure_new (r, &o, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  nl_axes_get_plot_area (axes, &x, &y, &pw, &ph);
  for (int k = 1; k < 40; k++)
    {
      int col = (int) x + (int) (k * pw / 40);
      double tc = 200.0 * (col + 0.5 - x) / pw;
      double ye = nl_axes_y_to_px (axes, -65 + 10 * sin (2 * G_PI * tc / 100));
      g_assert_true (column_has_color_near (&p, col, ye, c, 2, 40));
      for (int yy = (int) y; yy < (int) (y + ph); yy++)
        if (fabs (yy - ye) > 6)
          g_assert_false (near_color (png_at (&p, col, yy), c, 40));
    }
  cairo_surface_destroy (p.s);

  /* Errors: a trace that is not there, results without traces. */
  {
    const char *names[] = { "i_syn", NULL };
    g_autoptr(NlResults) empty = nl_results_new ();
    NlFigure *bad;
    o.traces = names;
    bad = nl_traces_figure_new (r, &o, &error);
    g_assert_null (bad);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "i_syn"));
    g_clear_error (&error);
    bad = nl_traces_figure_new (empty, NULL, &error);
    g_assert_null (bad);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* ---- histograms, box plots, curves, spectrograms ---- */

static void
test_spikehist (void)
{
  double edges[11], values[20];
  const char *labels[] = { "E", "I" };
  g_autofree char *path = tmp_path ("spikehist.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Png p;

  for (int i = 0; i <= 10; i++)
    edges[i] = 100 * i;
  for (int i = 0; i < 10; i++)
    {
      values[i] = 5 + 3 * i;        /* E rises */
      values[10 + i] = 41 - 2 * i;  /* I falls */
    }
  fig = nl_spikehist_figure_new (edges, 10, values, 2, labels, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  /* The top of each bin's outline at its value, at the middle of the bin. */
  for (int i = 0; i < 10; i++)
    for (int s = 0; s < 2; s++)
      g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 100 * i + 50),
                                            nl_axes_y_to_px (axes, values[10 * s + i]),
                                            nl_palette_color (s, 2), 1, 0));
  cairo_surface_destroy (p.s);

  edges[3] = edges[2];
  g_assert_null (nl_spikehist_figure_new (edges, 10, values, 2, labels, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_spikestats (void)
{
  const double a[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, b[] = { 10, 12, 14, 16, 18, 40 };
  const double *values[] = { a, b };
  const gsize n[] = { 9, 6 };
  const char *labels[] = { "E", "I" };
  g_autofree char *path = tmp_path ("spikestats.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Png p;

  g_assert_null (nl_spikestats_figure_new (values, n, 0, labels, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  fig = nl_spikestats_figure_new (values, n, 2, labels, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  /* Medians 5 and 15 drawn as black lines across the boxes; quartiles 3, 7 and 12.5, 17.5
   * as box edges in the group's colour; 40 is an outlier (above 17.5 + 1.5·5). */
  g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 0.1), nl_axes_y_to_px (axes, 5),
                                        (NlColor) { 0, 0, 0 }, 1, 0));
  g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 1.1), nl_axes_y_to_px (axes, 15),
                                        (NlColor) { 0, 0, 0 }, 1, 0));
  g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 0.1), nl_axes_y_to_px (axes, 7),
                                        nl_palette_color (0, 2), 1, 0));
  g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 1.1), nl_axes_y_to_px (axes, 12.5),
                                        nl_palette_color (1, 2), 1, 0));
  g_assert_false (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 1.0), nl_axes_y_to_px (axes, 30),
                                         nl_palette_color (1, 2), 3, 0));
  cairo_surface_destroy (p.s);
}

/* Power 10^(−f/20) on a log axis is a straight line: check it at 20 frequencies. */
static void
test_psd (void)
{
  double f[201], pw[402];
  const char *labels[] = { "LFP 0", "LFP 1" };
  g_autofree char *path = tmp_path ("psd.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Png p;

  for (int i = 0; i <= 200; i++)
    {
      f[i] = 0.5 * i;
      pw[i] = pow (10, -f[i] / 20);
      pw[201 + i] = 1e-3 * (1 + 0.5 * sin (f[i] / 5));
    }
  fig = nl_psd_figure_new (f, 201, pw, 2, labels, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  for (int k = 1; k < 20; k++)
    {
      double fk = 5.0 * k;
      g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, fk),
                                            nl_axes_y_to_px (axes, pow (10, -fk / 20)),
                                            nl_palette_color (0, 2), 2, 0));
    }
  cairo_surface_destroy (p.s);
}

static void
test_granger (void)
{
  double f[51], v[4 * 51];
  g_autofree char *path = tmp_path ("granger.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Png p;

  for (int i = 0; i <= 50; i++)
    {
      f[i] = i;
      v[i] = 0.4 * exp (-pow ((i - 10) / 4.0, 2));
      v[51 + i] = 0.1 * exp (-pow ((i - 30) / 6.0, 2));
      v[102 + i] = 0.02;
      v[153 + i] = 0.5 + 0.3 * cos (i / 8.0);
    }
  g_assert_null (nl_granger_figure_new (f, 0, v, 4, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  fig = nl_granger_figure_new (f, 51, v, 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  g_assert_true (column_has_color_near (&p, (int) nl_axes_x_to_px (axes, 10), nl_axes_y_to_px (axes, 0.4),
                                        nl_palette_color (0, 4), 2, 0));
  cairo_surface_destroy (p.s);
}

/* Power growing with frequency: along a column, luminance rises from bottom to top. */
static void
test_spectrogram (void)
{
  guint rows = 50, cols = 300;
  g_autofree double *v = g_new (double, rows * cols);
  g_autofree char *path = tmp_path ("spectrogram.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlSpectrogramOptions o = { 0 };
  NlAxes *axes;
  double prev = -1;
  Png p;

  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      v[i * cols + j] = i + 5 * sin (j / 30.0) * (i > 25);
  o.value_label = "Power (mV\xc2\xb2/Hz)";
  fig = nl_spectrogram_figure_new (v, rows, cols, 0, 1000, 0.5, 50.5, &o, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  for (guint i = 0; i < 25; i++)
    {
      double l = nl_color_luminance (rgb_of (png_at (&p, (int) nl_axes_x_to_px (axes, 500),
                                                     (int) nl_axes_y_to_px (axes, i + 1))));
      g_assert_cmpfloat (l, >, prev);
      prev = l;
    }
  cairo_surface_destroy (p.s);

  /* CSD: signed, diverging, depth downwards. */
  {
    g_autofree char *csd = tmp_path ("csd.png");
    NlFigure *f2;
    for (guint i = 0; i < rows; i++)
      for (guint j = 0; j < cols; j++)
        v[i * cols + j] = sin (i / 8.0) * cos (j / 40.0);
    o.colormap = NL_COLORMAP_DIVERGING;
    o.ylabel = "Depth (\xc2\xb5m)";
    o.value_label = "CSD (mV/mm\xc2\xb2)";
    o.y_inverted = TRUE;
    f2 = nl_spectrogram_figure_new (v, rows, cols, 0, 1000, 0, 1000, &o, &error);
    g_assert_no_error (error);
    g_assert_true (nl_figure_save (f2, csd, &error));
    keep (csd);
    nl_figure_free (f2);
  }
  g_assert_null (nl_spectrogram_figure_new (v, rows, cols, 10, 0, 0, 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- net2d ---- */

static void
test_net2d (void)
{
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  const char *files[] = { model };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load (files, 1, NULL, &error);
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlFigure) fig = NULL;
  g_autofree char *path = tmp_path ("net2d.png");
  const double *xs, *ys;
  const NlNetPop *pop;
  NlAxes *axes;
  Png p;

  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  fig = nl_net2d_figure_new (net, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  axes = nl_figure_get_axes (fig, 0);
  /* The last population is drawn last: each of its cells shows its colour at its centre. */
  xs = nl_network_get_coords (net, NL_COORD_X);
  ys = nl_network_get_coords (net, NL_COORD_Y);
  pop = nl_network_get_pop (net, nl_network_get_n_pops (net) - 1);
  for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
    g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (axes, xs[g]),
                                       (int) nl_axes_y_to_px (axes, ys[g])),
                               nl_palette_color (nl_network_get_n_pops (net) - 1,
                                                 nl_network_get_n_pops (net)), 40));
  /* An unknown population is an error. */
  {
    const char *pops[] = { "Q", NULL };
    NlNet2dOptions o = { 0 };
    o.base.pops = pops;
    g_assert_null (nl_net2d_figure_new (net, &o, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "'Q'"));
    g_clear_error (&error);
  }
  /* Equal scales: 100 µm is as many pixels on x as on y. */
  g_assert_cmpfloat_with_epsilon (fabs (nl_axes_x_to_px (axes, 100) - nl_axes_x_to_px (axes, 0)),
                                  fabs (nl_axes_y_to_px (axes, 100) - nl_axes_y_to_px (axes, 0)), 1.0);
  cairo_surface_destroy (p.s);
}

/* ---- primitives ---- */

static NlColor
blend (NlColor c, double alpha)
{
  return (NlColor) { 1 - alpha * (1 - c.r), 1 - alpha * (1 - c.g), 1 - alpha * (1 - c.b) };
}

/* A band, bars, a scatter point and text on fixed limits: each area has the colour its
 * style gives (blended with white by its opacity), and the space between them stays white.
 * A second panel on a log axis puts decades at equal distances. */
static void
test_primitives (void)
{
  g_autoptr(NlFigure) fig = nl_figure_new (600, 700, 100);
  g_autofree char *path = tmp_path ("primitives.png");
  g_autoptr(GError) error = NULL;
  NlColor blue = nl_palette_color (0, 3), red = nl_palette_color (1, 3), green = nl_palette_color (2, 3);
  const double bx[] = { 0, 10 }, lo[] = { 2, 2 }, hi[] = { 4, 4 };
  const double edges[] = { 6, 7, 8 }, heights[] = { 8, 5 };
  const double sx[] = { 2 }, sy[] = { 8 };
  const double lx[] = { 1, 10, 100, 1000 }, ly[] = { 1, 2, 3, 4 };
  NlStyle band = nl_style (blue, "band"), bars = nl_style (red, "bars"), dot = nl_style (green, "dot");
  NlAxes *a, *b;
  Png p;

  nl_figure_set_grid (fig, 2, 1);
  a = nl_figure_add_axes (fig, 0, 0, 1, 1);
  nl_axes_set_xlim (a, 0, 10);
  nl_axes_set_ylim (a, 0, 10);
  nl_axes_band (a, bx, lo, hi, 2, &band);
  nl_axes_bars (a, edges, heights, 2, &bars);
  dot.marker_size = 12;
  nl_axes_scatter (a, sx, sy, 1, &dot);
  b = nl_figure_add_axes (fig, 1, 0, 1, 1);
  nl_axes_set_xscale (b, NL_SCALE_LOG);
  nl_axes_line (b, lx, ly, 4, NULL);
  g_assert_true (nl_figure_save (fig, path, &error));
  keep (path);
  p = png_load (path);
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (a, 3), (int) nl_axes_y_to_px (a, 3)),
                             blend (blue, 0.25), 2));
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (a, 6.5), (int) nl_axes_y_to_px (a, 7)),
                             blend (red, 0.8), 2));
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (a, 7.5), (int) nl_axes_y_to_px (a, 4.5)),
                             blend (red, 0.8), 2));
  g_assert_cmpuint (png_at (&p, (int) nl_axes_x_to_px (a, 7.5), (int) nl_axes_y_to_px (a, 6)), ==, 0xffffff);
  g_assert_true (near_color (png_at (&p, (int) nl_axes_x_to_px (a, 2), (int) nl_axes_y_to_px (a, 8)),
                             green, 2));
  g_assert_cmpuint (png_at (&p, (int) nl_axes_x_to_px (a, 4), (int) nl_axes_y_to_px (a, 8)), ==, 0xffffff);
  g_assert_cmpuint (png_at (&p, (int) nl_axes_x_to_px (a, 3), (int) nl_axes_y_to_px (a, 5)), ==, 0xffffff);
  g_assert_cmpfloat_with_epsilon (nl_axes_x_to_px (b, 10) - nl_axes_x_to_px (b, 1),
                                  nl_axes_x_to_px (b, 1000) - nl_axes_x_to_px (b, 100), 1e-9);
  cairo_surface_destroy (p.s);
}

/* ---- vector output and saving ---- */

static void
assert_file_starts (const char *path, const char *magic, const char *also)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_true (g_str_has_prefix (data, magic));
  if (also)
    g_assert_nonnull (g_strstr_len (data, MIN (len, 4096), also));
}

static void
test_vector_outputs (void)
{
  g_autoptr(NlResults) r = raster_results (10, 20, 10, 8, 1);
  g_autoptr(NlResults) big = raster_results (300, 400, 300, 60, 5);
  g_autoptr(GError) error = NULL;
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) marks = nl_raster_figure_new (r, &o, &error);
  g_autoptr(NlFigure) dense = NULL;
  const char *names[] = { "marks.svg", "marks.pdf", "dense.svg", "dense.pdf" };

  o.max_marks = 1000;
  dense = nl_raster_figure_new (big, &o, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = tmp_path (names[i]);
      gboolean svg = g_str_has_suffix (names[i], ".svg");
      g_assert_true (nl_figure_save (i < 2 ? marks : dense, path, &error));
      g_assert_no_error (error);
      assert_file_starts (path, svg ? "<?xml" : "%PDF-", svg ? "<svg" : NULL);
      /* The dense raster is an embedded image, not 60,000 rectangles. */
      if (i == 2)
        {
          g_autofree char *data = NULL;
          g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
          g_assert_nonnull (strstr (data, "<image"));
        }
    }
}

static void
test_save_errors (void)
{
  g_autoptr(NlFigure) fig = nl_figure_new (200, 100, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (nl_test_tmpdir (), "no-such-dir", "f.png", NULL);
  g_autofree char *odd = tmp_path ("figure.bmp");
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "atomic", NULL);
  g_autofree char *path = g_build_filename (dir, "f.png", NULL);
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint n = 0;

  g_assert_false (nl_figure_save (fig, odd, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, ".bmp"));
  g_clear_error (&error);
  g_assert_false (g_file_test (odd, G_FILE_TEST_EXISTS));
  g_assert_false (nl_figure_save (fig, missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_clear_error (&error);

  /* Replacing a file leaves the new figure and no temporary file beside it. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  nl_figure_set_title (fig, "New");
  g_assert_true (nl_figure_save (fig, path, &error));
  assert_file_starts (path, "\x89PNG", NULL);
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)))
    n++;
  g_assert_cmpuint (n, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/figure/colormaps", test_colormaps);
  g_test_add_func ("/figure/raster/marks", test_raster_marks);
  g_test_add_func ("/figure/raster/density", test_raster_density);
  g_test_add_func ("/figure/raster/bad-pop", test_raster_bad_pop);
  g_test_add_func ("/figure/raster/sparse-gids", test_raster_sparse_gids);
  g_test_add_func ("/figure/heatmap", test_heatmap);
  g_test_add_func ("/figure/nte", test_nte);
  g_test_add_func ("/figure/traces", test_traces_sine);
  g_test_add_func ("/figure/spikehist", test_spikehist);
  g_test_add_func ("/figure/spikestats", test_spikestats);
  g_test_add_func ("/figure/psd", test_psd);
  g_test_add_func ("/figure/granger", test_granger);
  g_test_add_func ("/figure/spectrogram", test_spectrogram);
  g_test_add_func ("/figure/net2d", test_net2d);
  g_test_add_func ("/figure/primitives", test_primitives);
  g_test_add_func ("/figure/vector-outputs", test_vector_outputs);
  g_test_add_func ("/figure/save-errors", test_save_errors);
  return g_test_run ();
}
