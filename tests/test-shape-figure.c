/* plugins/shape: the GTK-free shape figure, checked pixel by pixel. */

#include <math.h>
#include <string.h>
#include <nl-shape-figure.h>

#include "nl-testutil.h"

/* Two sections along +x: soma 0…100 µm, dend 100…200 µm, both 10 µm thick. */
static const char two_secs[] =
  "{\"netParams\": {\"cellParams\": {\"T\": {\"secs\": {"
  " \"soma\": {\"geom\": {\"L\": 100, \"diam\": 10, \"nseg\": 1}},"
  " \"dend\": {\"geom\": {\"L\": 100, \"diam\": 10, \"nseg\": 1}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}"
  "}}}}}";

static NlMorphology *
two_section_cell (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (two_secs, -1, NULL, &error);
  g_assert_no_error (error);
  NlMorphology *m = nl_morphology_new_for_rule (spec, "T", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_morphology_get_n_segments (m), ==, 2);
  return m;
}

static void
pixel (cairo_surface_t *s, int x, int y, double rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (s);
  guint32 p = *(const guint32 *) (data + y * cairo_image_surface_get_stride (s) + 4 * x);
  rgb[0] = ((p >> 16) & 0xff) / 255.0;
  rgb[1] = ((p >> 8) & 0xff) / 255.0;
  rgb[2] = (p & 0xff) / 255.0;
}

static double
distance (const double rgb[3], NlColor c)
{
  return fabs (rgb[0] - c.r) + fabs (rgb[1] - c.g) + fabs (rgb[2] - c.b);
}

static void
test_line_and_colours (void)
{
  g_autoptr(NlMorphology) m = two_section_cell ();
  g_autoptr(GError) error = NULL;
  const double values[] = { 0, 4 };
  NlShapeOptions o = { 0 };
  o.base.width = 600, o.base.height = 400;
  o.color_by = NL_SHAPE_COLOR_VALUES;
  o.values = values, o.n_values = 2;
  o.value_label = "Test value";
  g_autoptr(NlFigure) fig = nl_shape_figure_new (m, NULL, &o, &error);
  g_assert_no_error (error);

  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 600, 400);
  cairo_t *cr = cairo_create (s);
  nl_figure_render (fig, cr);
  cairo_surface_flush (s);
  NlAxes *axes = nl_figure_get_axes (fig, 0);
  double ax, ay, aw, ah;
  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  double yline = nl_axes_y_to_px (axes, 0);
  double px_per_um = nl_axes_x_to_px (axes, 1) - nl_axes_x_to_px (axes, 0);
  double half = 5 * px_per_um;
  g_assert_cmpfloat (px_per_um, >, 1);
  NlColor lo = nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 0), hi = nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, 1);
  NlColor white = { 1, 1, 1 };
  double rgb[3];
  guint n_lo = 0, n_hi = 0, n_bg = 0;

  /* along the line: the soma's colour on 0…100 µm, the dend's on 100…200 µm, across the
   * whole diameter */
  if (g_getenv ("NL_UI_SCREENSHOTS"))
    {
      g_mkdir_with_parents (g_getenv ("NL_UI_SCREENSHOTS"), 0755);
      g_autofree char *p = g_build_filename (g_getenv ("NL_UI_SCREENSHOTS"), "shape-figure.png", NULL);
      cairo_surface_write_to_png (s, p);
    }
  for (double um = 8; um <= 92; um += 2)
    for (double dy = -half + 1.5; dy <= half - 1.5; dy += 1)
      {
        pixel (s, (int) nl_axes_x_to_px (axes, um), (int) (yline + dy), rgb);
        g_assert_cmpfloat (distance (rgb, lo), <, 0.05);
        pixel (s, (int) nl_axes_x_to_px (axes, um + 100), (int) (yline + dy), rgb);
        g_assert_cmpfloat (distance (rgb, hi), <, 0.05);
        n_lo++, n_hi++;
      }
  /* nothing elsewhere in the plot area: background above and below the line (the scale
   * bar sits in the lower right corner) and beyond its rounded ends */
  for (int y = (int) ay + 1; y < (int) (ay + ah) - 1; y++)
    for (int x = (int) ax + 1; x < (int) (ax + aw) - 1; x++)
      {
        gboolean near_line = fabs (y + 0.5 - yline) < half + 2
                             && x + 0.5 > nl_axes_x_to_px (axes, 0) - half - 2
                             && x + 0.5 < nl_axes_x_to_px (axes, 200) + half + 2;
        gboolean scale_bar = x > ax + aw * 0.5 && y > ay + ah - 50;
        if (near_line || scale_bar)
          continue;
        pixel (s, x, y, rgb);
        if (distance (rgb, white) > 0.02)
          g_error ("pixel %d,%d is (%g, %g, %g), expected background", x, y, rgb[0], rgb[1], rgb[2]);
        n_bg++;
      }
  g_assert_cmpuint (n_bg, >, 10000);
  g_assert_cmpuint (n_lo, >, 100);
  /* the scale bar: dark pixels in its corner */
  guint dark = 0;
  for (int y = (int) (ay + ah) - 50; y < (int) (ay + ah); y++)
    for (int x = (int) (ax + aw * 0.5); x < (int) (ax + aw); x++)
      {
        pixel (s, x, y, rgb);
        dark += rgb[0] + rgb[1] + rgb[2] < 0.6;
      }
  g_assert_cmpuint (dark, >, 40);
  if (g_getenv ("NL_UI_SCREENSHOTS"))
    {
      g_mkdir_with_parents (g_getenv ("NL_UI_SCREENSHOTS"), 0755);
      g_autofree char *p = g_build_filename (g_getenv ("NL_UI_SCREENSHOTS"), "shape-figure.png", NULL);
      cairo_surface_write_to_png (s, p);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  g_autofree char *png = g_build_filename (nl_test_tmpdir (), "shape.svg", NULL);
  g_assert_true (nl_figure_save (fig, png, &error));
  g_assert_no_error (error);
}

/* Seen from azimuth 90° the x axis points at the viewer: the cell is a dot-wide column. */
static void
test_projection (void)
{
  const double p[3] = { 10, 20, 30 };
  double u, v, d;
  nl_shape_project (0, 0, p, &u, &v, &d);
  g_assert_cmpfloat_with_epsilon (u, 10, 1e-12);
  g_assert_cmpfloat_with_epsilon (v, 20, 1e-12);
  g_assert_cmpfloat_with_epsilon (d, 30, 1e-12);
  nl_shape_project (90, 0, p, &u, &v, &d);
  g_assert_cmpfloat_with_epsilon (u, 30, 1e-12);
  g_assert_cmpfloat_with_epsilon (v, 20, 1e-12);
  g_assert_cmpfloat_with_epsilon (d, -10, 1e-12);
  nl_shape_project (0, 90, p, &u, &v, &d);
  g_assert_cmpfloat_with_epsilon (u, 10, 1e-12);
  g_assert_cmpfloat_with_epsilon (v, -30, 1e-12);
  g_assert_cmpfloat_with_epsilon (d, 20, 1e-12);

  g_autoptr(NlMorphology) m = two_section_cell ();
  g_autoptr(GError) error = NULL;
  NlShapeOptions o = { 0 };
  o.base.width = 400, o.base.height = 400;
  o.azimuth = 90;
  o.zoom = 1;
  g_autoptr(NlFigure) fig = nl_shape_figure_new (m, NULL, &o, &error);
  g_assert_no_error (error);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 400);
  cairo_t *cr = cairo_create (s);
  nl_figure_render (fig, cr);
  cairo_surface_flush (s);
  NlAxes *axes = nl_figure_get_axes (fig, 0);
  double ax, ay, aw, ah, rgb[3];
  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  /* coloured pixels only within the 10 µm disc around (u, v) = (0, 0) */
  double cx = nl_axes_x_to_px (axes, 0), cy = nl_axes_y_to_px (axes, 0);
  double r = 5 * (nl_axes_x_to_px (axes, 1) - nl_axes_x_to_px (axes, 0)) + 2;
  guint coloured = 0;
  for (int y = (int) ay + 1; y < (int) (ay + ah * 0.75); y++)
    for (int x = (int) ax + 1; x < (int) (ax + aw) - 1; x++)
      {
        pixel (s, x, y, rgb);
        gboolean bg = rgb[0] > 0.98 && rgb[1] > 0.98 && rgb[2] > 0.98;
        if (!bg)
          {
            g_assert_cmpfloat (hypot (x + 0.5 - cx, y + 0.5 - cy), <, r);
            coloured++;
          }
      }
  g_assert_cmpuint (coloured, >, 10);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_bad_options (void)
{
  g_autoptr(NlMorphology) m = two_section_cell ();
  g_autoptr(GError) error = NULL;
  const double one[] = { 1 };
  NlShapeOptions o = { 0 };
  o.color_by = NL_SHAPE_COLOR_VALUES;
  o.values = one, o.n_values = 1;
  g_assert_null (nl_shape_figure_new (m, NULL, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "1 values for 2 segments"));
  g_clear_error (&error);
  o.color_by = NL_SHAPE_COLOR_SYNAPSES;
  g_assert_null (nl_shape_figure_new (m, NULL, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* `netloom plot shape`: a model's cells to PNG at the view asked for; bad options are
 * invalid input. */
static void
test_cli (void)
{
  static const char model[] =
    "{\"netParams\": {\"popParams\": {\"P\": {\"cellType\": \"T\", \"cellsList\": [{\"x\": 0, \"y\": 0, \"z\": 0}]}},"
    " \"cellParams\": {\"T\": {\"conds\": {\"cellType\": \"T\"}, \"secs\": {"
    "  \"soma\": {\"geom\": {\"L\": 100, \"diam\": 10}},"
    "  \"dend\": {\"geom\": {\"L\": 100, \"diam\": 10}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}}},"
    " \"simConfig\": {\"duration\": 10}}";
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "cli-shape.json", NULL);
  g_autofree char *png = g_build_filename (nl_test_tmpdir (), "cli-shape.png", NULL);
  g_assert_true (g_file_set_contents (path, model, -1, NULL));
  const char *argv[] = { "plot", "shape", path, "-o", png, "--size", "400x300", "--azimuth", "30",
                         "--elevation", "10", "--color-by", "synapses", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = nl_test_run_cli (argv, &out, &err);
  if (status != 0)
    g_error ("netloom plot shape: %d, %s", status, err);
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 400);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 300);
  cairo_surface_destroy (s);

  const char *bad[] = { "plot", "shape", path, "-o", png, "--color-by", "voltage", NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (nl_test_run_cli (bad, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--color-by"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shape-figure/line", test_line_and_colours);
  g_test_add_func ("/shape-figure/projection", test_projection);
  g_test_add_func ("/shape-figure/bad-options", test_bad_options);
  g_test_add_func ("/shape-figure/cli", test_cli);
  return g_test_run ();
}
