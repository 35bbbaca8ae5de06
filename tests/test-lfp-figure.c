/* test-lfp-figure.c — the LFP figure (plugins/lfp): rendered from results whose LFP is known
 * (one sine per electrode, electrodes at given positions), its pixels show each electrode's
 * trace at its offset, each PSD peaking at its sine's frequency, the spectrogram brightest at
 * the shown electrode's frequency and the electrodes' markers at their positions; bad input
 * gives the errors the header promises. */
#include <gio/gio.h>
#include <math.h>
#include <nl-lfp-figure.h>
#include <cairo.h>
#include <string.h>

#include "nl-testutil.h"

#define N_EL 3
#define N_T  2048
#define DT   1.0     /* ms: fs = 1000 Hz */

/* On Welch frequency bins (multiples of 1000/256 Hz), so each PSD peaks in one bin. */
static const double freq[N_EL] = { 15.625, 31.25, 46.875 };
static const double amp[N_EL] = { 0.1, 0.2, 0.1 };   /* mV */
static const double pos[N_EL][3] = { { 100, 200, 0 }, { 100, 500, 0 }, { 300, 800, 0 } };

static double
sine (guint e, gsize i)
{
  return amp[e] * sin (2 * G_PI * freq[e] * i * DT / 1000);
}

static NlResults *
make_results (gboolean with_lfp)
{
  NlResults *r = nl_results_new ();
  double *lfp, *xyz;

  nl_results_set_duration (r, N_T * DT);
  if (!with_lfp)
    return r;
  lfp = g_new (double, (gsize) N_T * N_EL);
  for (gsize i = 0; i < N_T; i++)
    for (guint e = 0; e < N_EL; e++)
      lfp[i * N_EL + e] = sine (e, i);
  nl_results_set_lfp (r, lfp, N_T, N_EL, DT);
  xyz = g_memdup2 (pos, sizeof pos);
  nl_results_set_lfp_electrodes (r, xyz, N_EL);
  return r;
}

typedef struct {
  cairo_surface_t *s;
  guint32         *px;
  int              w, h, stride;
} Image;

static Image
render (NlFigure *fig)
{
  Image im;
  cairo_t *cr;

  im.w = nl_figure_get_width (fig);
  im.h = nl_figure_get_height (fig);
  im.s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, im.w, im.h);
  cr = cairo_create (im.s);
  nl_figure_render (fig, cr);
  cairo_destroy (cr);
  cairo_surface_flush (im.s);
  im.px = (guint32 *) cairo_image_surface_get_data (im.s);
  im.stride = cairo_image_surface_get_stride (im.s) / 4;
  return im;
}

/* How far the pixel at (x, y) is from colour c (largest channel difference, 0..255). */
static int
distance (const Image *im, int x, int y, NlColor c)
{
  guint32 p = im->px[y * im->stride + x];
  int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
  return MAX (abs (r - (int) lround (255 * c.r)), MAX (abs (g - (int) lround (255 * c.g)),
                                                        abs (b - (int) lround (255 * c.b))));
}

/* Whether the pixel at (x, y) is colour c drawn over white at a coverage of at least 0.45
 * (antialiased thin lines rarely cover a pixel fully). */
static gboolean
is_colour (const Image *im, int x, int y, NlColor c)
{
  guint32 p = im->px[y * im->stride + x];
  double px[3] = { ((p >> 16) & 255) / 255.0, ((p >> 8) & 255) / 255.0, (p & 255) / 255.0 };
  double cc[3] = { c.r, c.g, c.b }, num = 0, den = 0, a, err = 0;

  /* Least-squares coverage a of p = a·c + (1 − a)·white, then the residual. */
  for (int k = 0; k < 3; k++)
    num += (1 - px[k]) * (1 - cc[k]), den += (1 - cc[k]) * (1 - cc[k]);
  a = den > 0 ? num / den : 0;
  for (int k = 0; k < 3; k++)
    err = MAX (err, fabs (a * cc[k] + (1 - a) - px[k]));
  return a >= 0.45 && a <= 1.1 && err < 0.08;
}

static double
lightness_at (const Image *im, int x, int y)
{
  guint32 p = im->px[y * im->stride + x];
  NlColor c = { ((p >> 16) & 255) / 255.0, ((p >> 8) & 255) / 255.0, (p & 255) / 255.0 };
  return nl_color_lightness (c);
}

/* Mean row of the pixels of colour c in column x within the plot area, or NAN. */
static double
mean_row_of_colour (const Image *im, NlAxes *axes, int x, NlColor c)
{
  double ax, ay, aw, ah, sum = 0;
  int n = 0;

  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  for (int y = (int) ay; y < (int) (ay + ah); y++)
    if (is_colour (im, x, y, c))
      sum += y + 0.5, n++;
  return n ? sum / n : NAN;
}

static void
test_timeseries (void)
{
  g_autoptr(NlResults) r = make_results (TRUE);
  NlLfpFigureOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Image im;
  double off = 0.2;   /* the largest |LFP|: electrode 1's amplitude */
  guint checked = 0;

  o.parts = NL_LFP_SHOW_TIMESERIES;
  o.base.width = 900, o.base.height = 600;
  o.base.t_start = 0, o.base.t_stop = 200;
  fig = nl_lfp_figure_new (r, NULL, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_figure_get_n_axes (fig), ==, 1);
  im = render (fig);
  axes = nl_figure_get_axes (fig, 0);

  /* Each electrode's trace is drawn in its colour at its value minus k offsets (first on
   * top), over the whole window. */
  for (guint e = 0; e < N_EL; e++)
    for (gsize i = 3; i < 200; i += 17)
      {
        double x = nl_axes_x_to_px (axes, i * DT), want = nl_axes_y_to_px (axes, sine (e, i) - e * off);
        double got = mean_row_of_colour (&im, axes, (int) x, nl_palette_color (e, N_EL));
        /* Steep parts of a trace spread over several rows in one column: allow for them. */
        double slope = fabs (nl_axes_y_to_px (axes, sine (e, i + 1) - e * off) - want);
        gboolean covered = FALSE;
        /* Neighbouring traces touch (the offset is the largest |LFP|): skip where another
         * electrode's trace passes within a few pixels. */
        for (guint o2 = 0; o2 < N_EL; o2++)
          if (o2 != e && fabs (nl_axes_y_to_px (axes, sine (o2, i) - o2 * off) - want) < 8)
            covered = TRUE;
        if (covered)
          continue;
        if (isnan (got))
          g_error ("electrode %u: no trace at t = %g ms (x = %g px)", e, i * DT, x);
        g_assert_cmpfloat_with_epsilon (got, want, 2.5 + slope);
        checked++;
      }
  g_assert_cmpuint (checked, >=, N_EL * 12 - 6);
  /* The traces are apart: electrode 0's baseline is above electrode 1's by the offset. */
  g_assert_cmpfloat (nl_axes_y_to_px (axes, 0), <, nl_axes_y_to_px (axes, -off) - 20);
  cairo_surface_destroy (im.s);
}

static void
test_psd (void)
{
  g_autoptr(NlResults) r = make_results (TRUE);
  NlLfpFigureOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Image im;
  double ax, ay, aw, ah;

  o.parts = NL_LFP_SHOW_PSD;
  fig = nl_lfp_figure_new (r, NULL, &o, &error);
  g_assert_no_error (error);
  im = render (fig);
  axes = nl_figure_get_axes (fig, 0);
  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  /* Each curve's highest pixel is at its sine's frequency. */
  for (guint e = 0; e < N_EL; e++)
    {
      NlColor c = nl_palette_color (e, N_EL);
      int best_x = -1, best_y = G_MAXINT;
      for (int y = (int) ay; y < (int) (ay + ah) && best_x < 0; y++)
        for (int x = (int) ax; x < (int) (ax + aw); x++)
          if (is_colour (&im, x, y, c))
            {
              best_x = x, best_y = y;
              break;
            }
      g_assert_cmpint (best_x, >=, 0);
      g_assert_cmpfloat_with_epsilon (best_x + 0.5, nl_axes_x_to_px (axes, freq[e]), 4);
      (void) best_y;
    }
  cairo_surface_destroy (im.s);
}

static void
test_spectrogram_and_locations (void)
{
  g_autoptr(NlResults) r = make_results (TRUE);
  NlLfpFigureOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  g_autofree char *png = g_build_filename (nl_test_tmpdir (), "lfp.png", NULL);
  NlAxes *spec, *loc;
  Image im;
  int x;

  o.spectrogram_electrode = 1;
  o.base.width = 1100, o.base.height = 800;
  fig = nl_lfp_figure_new (r, NULL, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_figure_get_n_axes (fig), ==, 4);
  g_assert_true (nl_figure_save (fig, png, &error));
  g_assert_no_error (error);
  im = render (fig);

  /* Spectrogram (third panel): in the middle of the run, electrode 1's 31.25 Hz row is the
   * lightest (the sequential map's lightness rises with power), far above 10 or 70 Hz. */
  spec = nl_figure_get_axes (fig, 2);
  x = (int) nl_axes_x_to_px (spec, N_T * DT / 2);
  {
    double at = lightness_at (&im, x, (int) nl_axes_y_to_px (spec, freq[1]));
    double lo = lightness_at (&im, x, (int) nl_axes_y_to_px (spec, 10));
    double hi = lightness_at (&im, x, (int) nl_axes_y_to_px (spec, 70));
    g_assert_cmpfloat (at, >, lo + 0.3);
    g_assert_cmpfloat (at, >, hi + 0.3);
  }

  /* Locations (fourth panel): each electrode's marker in its colour at its x–y position. */
  loc = nl_figure_get_axes (fig, 3);
  for (guint e = 0; e < N_EL; e++)
    {
      int px = (int) nl_axes_x_to_px (loc, pos[e][0]), py = (int) nl_axes_y_to_px (loc, pos[e][1]);
      g_assert_cmpint (distance (&im, px, py, nl_palette_color (e, N_EL)), <, 30);
    }
  /* y is depth: electrode 0 (y = 200) is drawn above electrode 2 (y = 800). */
  g_assert_cmpfloat (nl_axes_y_to_px (loc, pos[0][1]), <, nl_axes_y_to_px (loc, pos[2][1]));
  cairo_surface_destroy (im.s);
}

static void
test_selection (void)
{
  g_autoptr(NlResults) r = make_results (TRUE);
  NlLfpFigureOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  const guint only[] = { 2 };
  Image im;
  NlAxes *axes;
  double x;

  /* One electrode: its trace alone, in the first palette colour of one, at offset 0. */
  o.parts = NL_LFP_SHOW_TIMESERIES;
  o.electrodes = only;
  o.n_electrodes = 1;
  o.base.t_stop = 100;
  fig = nl_lfp_figure_new (r, NULL, &o, &error);
  g_assert_no_error (error);
  im = render (fig);
  axes = nl_figure_get_axes (fig, 0);
  x = nl_axes_x_to_px (axes, 40);
  g_assert_cmpfloat_with_epsilon (mean_row_of_colour (&im, axes, (int) x, nl_palette_color (0, 1)),
                                  nl_axes_y_to_px (axes, sine (2, 40)), 3);
  cairo_surface_destroy (im.s);
}

/* A long recording is drawn from each stretch's extremes: a one-sample spike among 40,000
 * samples still reaches its height on screen (plain subsampling would lose it). */
static void
test_long_trace (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const gsize n = 40000;
  double *lfp = g_new0 (double, n);
  NlLfpFigureOptions o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes;
  Image im;
  int x, top = G_MAXINT;
  double ax, ay, aw, ah;

  for (gsize i = 0; i < n; i++)
    lfp[i] = 0.01 * sin (i * 0.01);
  lfp[23457] = 1.0;
  nl_results_set_lfp (r, lfp, n, 1, 0.1);
  o.parts = NL_LFP_SHOW_TIMESERIES;
  fig = nl_lfp_figure_new (r, NULL, &o, &error);
  g_assert_no_error (error);
  im = render (fig);
  axes = nl_figure_get_axes (fig, 0);
  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  x = (int) nl_axes_x_to_px (axes, 23457 * 0.1);
  for (int dx = -2; dx <= 2; dx++)
    for (int y = (int) ay; y < (int) (ay + ah); y++)
      if (is_colour (&im, x + dx, y, nl_palette_color (0, 1)))
        {
          top = MIN (top, y);
          break;
        }
  g_assert_cmpfloat_with_epsilon (top, nl_axes_y_to_px (axes, 1.0), 3);
  cairo_surface_destroy (im.s);
}

static void
test_bad_input (void)
{
  g_autoptr(NlResults) none = make_results (FALSE);
  g_autoptr(NlResults) r = make_results (TRUE);
  NlLfpFigureOptions o = { 0 };
  const guint bad[] = { 0, 7 };
  NlLfpData *d;
  GError *error = NULL;

  d = nl_lfp_data_new (none, NULL, NULL, &error);
  g_assert_null (d);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no LFP"));
  g_clear_error (&error);

  o.electrodes = bad;
  o.n_electrodes = 2;
  d = nl_lfp_data_new (r, NULL, &o, &error);
  g_assert_null (d);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "electrode 7"));
  g_clear_error (&error);

  o = (NlLfpFigureOptions) { 0 };
  o.spectrogram_electrode = 3;
  d = nl_lfp_data_new (r, NULL, &o, &error);
  g_assert_null (d);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  o = (NlLfpFigureOptions) { 0 };
  o.base.t_start = 5000, o.base.t_stop = 6000;   /* past the end */
  d = nl_lfp_data_new (r, NULL, &o, &error);
  g_assert_null (d);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpuint (nl_lfp_show_from_name ("psd"), ==, NL_LFP_SHOW_PSD);
  g_assert_cmpuint (nl_lfp_show_from_name ("all"), ==, NL_LFP_SHOW_ALL);
  g_assert_cmpuint (nl_lfp_show_from_name ("raster"), ==, 0);
  g_assert_cmpuint (nl_lfp_show_from_name (NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lfp-figure/timeseries", test_timeseries);
  g_test_add_func ("/lfp-figure/psd", test_psd);
  g_test_add_func ("/lfp-figure/spectrogram-locations", test_spectrogram_and_locations);
  g_test_add_func ("/lfp-figure/selection", test_selection);
  g_test_add_func ("/lfp-figure/long-trace", test_long_trace);
  g_test_add_func ("/lfp-figure/bad-input", test_bad_input);
  return g_test_run ();
}
