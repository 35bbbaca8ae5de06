/* test-plot.c — `netloom plot` end to end: every kind renders from known input to PNG (the
 * size asked for, data drawn in colour), SVG and PDF; bad requests get the documented exit
 * status. The pixel-exact checks of each figure are in test-figure.c. */
#include <cairo.h>
#include <math.h>
#include <nl-results-write.h>
#include <string.h>

#include "nl-testutil.h"

static int
cli (char **err, ...)
{
  va_list ap;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  const char *arg;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_free (*err);
  *err = NULL;
  return nl_test_run_cli ((const char *const *) argv->pdata, &out, err);
}

/* Pixels whose channels differ by more than 40 (colour, not greys). */
static guint
coloured (const char *png, int want_w, int want_h)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  int w, h, stride;
  const guchar *data;
  guint n = 0;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  g_assert_cmpint (w, ==, want_w);
  g_assert_cmpint (h, ==, want_h);
  stride = cairo_image_surface_get_stride (s);
  data = cairo_image_surface_get_data (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + 4 * x);
        int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
        if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 40)
          n++;
      }
  cairo_surface_destroy (s);
  return n;
}

static void
test_kinds (void)
{
  g_autofree char *tut2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *sig = nl_test_shared_file ("reference/analysis/spectral_input.csv");
  g_autofree char *lfp = nl_test_shared_file ("reference/analysis/csd_input_lfp.csv");
  g_autofree char *var = nl_test_shared_file ("reference/analysis/granger_var2_data.csv");
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *err = NULL;
  const char *tmp = nl_test_tmpdir ();
  struct { const char *kind; const char *input; const char *extra[6]; } cases[] = {
    { "raster", tut2, { NULL } },
    { "spikehist", tut2, { "--bin", "10", NULL } },
    { "traces", tut2, { NULL } },
    { "spikestats", tut2, { NULL } },
    { "ratepsd", tut2, { NULL } },
    { "nte", tut2, { "--shuffles", "5", NULL } },
    { "psd", sig, { "--fs", "1000", NULL } },
    { "spectrogram", sig, { "--fs", "1000", NULL } },
    { "morlet", sig, { "--fs", "1000", "--fmax", "150", NULL } },
    { "csd", lfp, { "--dt", "1", NULL } },
    { "granger", var, { "--fs", "200", NULL } },
    { "conn", model, { NULL } },
    { "net2d", model, { NULL } },
  };

  if (!tut2 || !sig || !lfp || !var)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%s.png", tmp, cases[i].kind);
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *out = NULL;
      int status;
      guint n;

      g_ptr_array_add (argv, (gpointer) "plot");
      g_ptr_array_add (argv, (gpointer) cases[i].kind);
      g_ptr_array_add (argv, (gpointer) cases[i].input);
      for (guint k = 0; cases[i].extra[k]; k++)
        g_ptr_array_add (argv, (gpointer) cases[i].extra[k]);
      g_ptr_array_add (argv, (gpointer) "--size");
      g_ptr_array_add (argv, (gpointer) "640x480");
      g_ptr_array_add (argv, (gpointer) "-o");
      g_ptr_array_add (argv, png);
      g_ptr_array_add (argv, NULL);
      g_free (err);
      err = NULL;
      status = nl_test_run_cli ((const char *const *) argv->pdata, &out, &err);
      if (status != 0)
        g_error ("plot %s: exit %d: %s", cases[i].kind, status, err);
      n = coloured (png, 640, 480);
      if (n < 300)
        g_error ("plot %s: only %u coloured pixels", cases[i].kind, n);
    }
}

static void
test_vector (void)
{
  g_autofree char *tut2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *svg = g_build_filename (nl_test_tmpdir (), "r.svg", NULL);
  g_autofree char *pdf = g_build_filename (nl_test_tmpdir (), "r.pdf", NULL);
  g_autofree char *err = NULL, *text = NULL;
  gsize len;

  if (!tut2)
    return;
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, "-o", svg, NULL), ==, 0);
  g_assert_true (g_file_get_contents (svg, &text, &len, NULL));
  g_assert_true (strstr (text, "<svg") != NULL);
  g_free (text);
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, "--time-range", "100:300", "-o", pdf, NULL), ==, 0);
  g_assert_true (g_file_get_contents (pdf, &text, &len, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
}

static void
test_bad (void)
{
  g_autofree char *tut2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *png = g_build_filename (nl_test_tmpdir (), "x.png", NULL);
  g_autofree char *bmp = g_build_filename (nl_test_tmpdir (), "x.bmp", NULL);
  g_autofree char *err = NULL;

  if (!tut2)
    return;
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, NULL), ==, 2);                    /* no -o */
  g_assert_cmpint (cli (&err, "plot", "rasterx", tut2, "-o", png, NULL), ==, 2);
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, "-o", bmp, NULL), ==, 2);
  g_assert_true (strstr (err, "bmp") != NULL);
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, "--size", "10x10", "-o", png, NULL), ==, 2);
  g_assert_cmpint (cli (&err, "plot", "raster", tut2, "--include", "Q", "-o", png, NULL), ==, 1);
  g_assert_cmpint (cli (&err, "plot", "traces", tut2, "--trace", "V_nowhere", "-o", png, NULL), ==, 1);
  g_assert_cmpint (cli (&err, "plot", "spikestats", tut2, "--statistic", "median", "-o", png, NULL), ==, 1);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));   /* nothing half-written */
}

/* plot lfp on a results file whose LFP is known: 4 electrodes of sines. */
static void
test_lfp (void)
{
  g_autofree char *h5 = g_build_filename (nl_test_tmpdir (), "lfp.h5", NULL);
  g_autofree char *png = g_build_filename (nl_test_tmpdir (), "lfp.png", NULL);
  g_autofree char *tut2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autoptr(NlResults) r = nl_results_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const guint ne = 4, ns = 4000;
  double *lfp = g_new (double, ne * ns), *xyz = g_new0 (double, 3 * ne);
  guint32 gids[1] = { 0 };

  for (guint i = 0; i < ns; i++)
    for (guint e = 0; e < ne; e++)
      lfp[i * ne + e] = (e + 1) * 0.01 * sin (2 * G_PI * 10 * (e + 1) * i * 1e-4);
  for (guint e = 0; e < ne; e++)
    xyz[3 * e + 1] = 100 * e;
  nl_results_set_n_cells (r, 1);
  nl_results_add_pop (r, "P", gids, 1);
  nl_results_set_duration (r, ns * 0.1);
  nl_results_set_lfp (r, lfp, ns, ne, 0.1);
  nl_results_set_lfp_electrodes (r, xyz, ne);
  g_assert_true (nl_results_write (r, h5, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cli (&err, "plot", "lfp", h5, "--size", "800x600", "-o", png, NULL), ==, 0);
  g_assert_cmpuint (coloured (png, 800, 600), >, 1000);
  g_assert_cmpint (cli (&err, "plot", "lfp", h5, "--method", "psd", "--size", "800x600", "-o", png, NULL), ==, 0);
  g_assert_cmpint (cli (&err, "plot", "lfp", h5, "--method", "phase", "-o", png, NULL), ==, 1);
  if (tut2)
    {
      g_assert_cmpint (cli (&err, "plot", "lfp", tut2, "-o", png, NULL), ==, 1);
      g_assert_true (strstr (err, "LFP") != NULL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/kinds", test_kinds);
  g_test_add_func ("/plot/vector", test_vector);
  g_test_add_func ("/plot/bad", test_bad);
  g_test_add_func ("/plot/lfp", test_lfp);
  return g_test_run ();
}
