/* core/analysis/nl-csd: NetPyNE's CSD against ../shared/reference/analysis (no filter, no
 * Vaknin), its band-pass against scipy (tests/data/csd-*.csv from gen-csd-filter.py), analytic
 * profiles and bad input. */

#include <gio/gio.h>
#include <math.h>
#include <string.h>
#include <nl-csd.h>

#include "nl-testutil.h"
#include "nl-test-csv.h"

static void
test_reference_nofilter (void)
{
  g_autofree char *in_path = nl_test_shared_file ("reference/analysis/csd_input_lfp.csv");
  g_autofree char *out_path =
    nl_test_shared_file ("reference/analysis/csd_output_nofilter_novaknin.csv");
  g_autofree double *lfp = NULL, *ref = NULL, *csd = NULL;
  g_autoptr(GError) error = NULL;
  NlCsdOptions o;
  gsize nt, nc, rt, rc;
  guint n_out;

  if (!in_path || !out_path)
    return;
  lfp = nl_test_read_csv (in_path, &nt, &nc);
  ref = nl_test_read_csv (out_path, &rt, &rc);
  g_assert_cmpuint (nt, ==, 3000);
  g_assert_cmpuint (nc, ==, 12);
  g_assert_cmpuint (rt, ==, nt);
  g_assert_cmpuint (rc, ==, 10);
  nl_csd_options_init (&o);
  o.filter = FALSE;
  o.vaknin = FALSE;
  o.spacing_um = 100;
  csd = nl_csd (lfp, nt, nc, 1000, &o, &n_out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_out, ==, 10);
  for (gsize i = 0; i < rt * rc; i++)
    nl_assert_rel ("csd", i, csd[i], ref[i], 1e-12);
}

/* The second-order sections of scipy's iirfilter + zpk2sos, NetPyNE's filter. */
static void
test_filter_sos (void)
{
  g_autofree char *path = nl_test_source_file ("tests/data/csd-filter-sos.csv");
  g_autofree double *ref = NULL;
  gsize rows, cols, r = 0;

  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (cols, ==, 12);
  while (r < rows)
    {
      g_autoptr(GError) error = NULL;
      g_autofree double *sos = NULL;
      const double *row = ref + r * cols;
      guint order = (guint) row[1], ns;
      gboolean high = FALSE;

      sos = nl_csd_filter_sos (row[3], row[4], row[2], order, &ns, &high, &error);
      g_assert_no_error (error);
      /* 300 Hz at 500 Hz sampling: NetPyNE's high-pass fallback, (order + 1) / 2 sections. */
      g_assert_cmpint (high, ==, row[2] == 500);
      g_assert_cmpuint (ns, ==, high ? (order + 1) / 2 : order);
      for (guint s = 0; s < ns; s++, r++)
        {
          g_assert_cmpuint (r, <, rows);
          g_assert_cmpfloat (ref[r * cols], ==, row[0]);
          g_assert_cmpfloat (ref[r * cols + 5], ==, s);
          /* 2e-15 (9 ulp; measured ≤ 1.1e-15): numpy may fuse or reorder the products of
           * complex numbers (BLAS), we do not. */
          for (guint j = 0; j < 6; j++)
            nl_assert_close ("sos", r * 6 + j, sos[s * 6 + j], ref[r * cols + 6 + j], 2e-15,
                             0);
        }
    }
  g_assert_cmpuint (r, ==, rows);
}

static double *
signal_1d (gsize n, double fs)
{
  double *x = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    x[i] = sin (2 * G_PI * 5.0 * i / fs) + 0.3 * sin (2 * G_PI * 200.0 * i / fs)
           + 0.2 * cos (2 * G_PI * 0.02 * i) + 0.5 + 0.0005 * i;
  return x;
}

/* NetPyNE's bandpass(zerophase=True) on a signal, against scipy's sosfilt twice. */
static void
test_filter_signal (void)
{
  g_autofree char *path = nl_test_source_file ("tests/data/csd-filter-signal.csv");
  g_autofree double *ref = NULL, *x0 = signal_1d (1000, 1000), *x2 = signal_1d (1000, 500);
  g_autofree double *sos0 = NULL, *sos2 = NULL;
  double peak0 = 0, peak2 = 0;
  gsize rows, cols;
  guint n0, n2;

  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (rows, ==, 1000);
  g_assert_cmpuint (cols, ==, 2);
  sos0 = nl_csd_filter_sos (0.05, 300, 1000, 4, &n0, NULL, NULL);
  sos2 = nl_csd_filter_sos (0.05, 300, 500, 4, &n2, NULL, NULL);
  nl_csd_filtfilt (sos0, n0, x0, 1000);
  nl_csd_filtfilt (sos2, n2, x2, 1000);
  for (gsize i = 0; i < rows; i++)
    {
      peak0 = MAX (peak0, fabs (ref[2 * i]));
      peak2 = MAX (peak2, fabs (ref[2 * i + 1]));
    }
  /* 1e-11 of the signal's peak (measured: 2.3e-12): the 0.05 Hz poles, 3·10⁻⁴ from the unit
   * circle, amplify the last-bit differences of the coefficients. */
  for (gsize i = 0; i < rows; i++)
    {
      nl_assert_close ("band-pass", i, x0[i], ref[2 * i], 0, 1e-11 * peak0);
      nl_assert_close ("high-pass", i, x2[i], ref[2 * i + 1], 0, 1e-11 * peak2);
    }
}

/* prepareCSD with everything on: filter, Vaknin, norm. */
static void
test_pipeline (void)
{
  g_autofree char *path = nl_test_source_file ("tests/data/csd-pipeline.csv");
  g_autofree double *ref = NULL, *lfp = NULL, *csd = NULL, *plain = NULL;
  g_autoptr(GError) error = NULL;
  const gsize n = 300;
  const guint nch = 5;
  double peak = 0;
  NlCsdOptions o;
  gsize rows, cols;
  guint n_out;

  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (rows, ==, n);
  g_assert_cmpuint (cols, ==, nch);
  lfp = g_new (double, n * nch);
  for (gsize t = 0; t < n; t++)
    for (guint c = 0; c < nch; c++)
      lfp[t * nch + c] = sin (2 * G_PI * (3.0 + c) * t / 1000.0 + c)
                         + 0.1 * c * cos (2 * G_PI * 150.0 * t / 1000.0) + 0.05 * c * c;
  nl_csd_options_init (&o);
  o.norm = TRUE;
  csd = nl_csd (lfp, n, nch, 1000, &o, &n_out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_out, ==, nch);
  for (gsize i = 0; i < rows * cols; i++)
    peak = MAX (peak, fabs (ref[i]));
  for (gsize i = 0; i < rows * cols; i++)
    nl_assert_close ("pipeline", i, csd[i], ref[i], 0, 1e-11 * peak);

  /* norm subtracts a constant across channels: no change beyond rounding. */
  o.norm = FALSE;
  plain = nl_csd (lfp, n, nch, 1000, &o, &n_out, &error);
  for (gsize i = 0; i < rows * cols; i++)
    nl_assert_close ("norm", i, plain[i], csd[i], 0, 1e-12 * peak);
}

/* V = a·y² (y in mm) has CSD −2a everywhere inside; a line has none. Vaknin's edges see
 * −(V1 − V0)/h² and −(V_{n−2} − V_{n−1})/h². */
static void
test_analytic_profiles (void)
{
  const guint nch = 6;
  const gsize n = 4;
  double lfp[4 * 6];
  g_autofree double *csd = NULL, *lin = NULL;
  NlCsdOptions o;
  guint n_out;

  nl_csd_options_init (&o);
  o.filter = FALSE;
  o.spacing_um = 50;
  for (gsize t = 0; t < n; t++)
    for (guint c = 0; c < nch; c++)
      {
        double y = c * 0.05;
        lfp[t * nch + c] = (1.0 + t) * y * y;
      }
  csd = nl_csd (lfp, n, nch, 1000, &o, &n_out, NULL);
  g_assert_cmpuint (n_out, ==, nch);
  for (gsize t = 0; t < n; t++)
    {
      double a = 1.0 + t, h = 0.05;
      for (guint c = 1; c + 1 < nch; c++)
        g_assert_cmpfloat_with_epsilon (csd[t * nch + c], -2 * a, 1e-12);
      g_assert_cmpfloat_with_epsilon (csd[t * nch], -(a * h * h) / (h * h), 1e-12);
      g_assert_cmpfloat_with_epsilon (csd[t * nch + nch - 1],
                                      -(a * 16 * h * h - a * 25 * h * h) / (h * h), 1e-12);
    }
  o.vaknin = FALSE;
  for (gsize t = 0; t < n; t++)
    for (guint c = 0; c < nch; c++)
      lfp[t * nch + c] = 3.0 - 0.7 * c + t;
  lin = nl_csd (lfp, n, nch, 1000, &o, &n_out, NULL);
  g_assert_cmpuint (n_out, ==, nch - 2);
  for (gsize i = 0; i < n * n_out; i++)
    g_assert_cmpfloat (fabs (lin[i]), <, 1e-12);
}

/* The zero-phase band-pass keeps a 50 Hz sine (gain |H|² ≈ 1, no phase shift) and removes an
 * offset, away from the edges' transients (20 s of signal, the middle 2 s checked). */
static void
test_filter_passband (void)
{
  g_autofree double *sos = NULL, *x = g_new (double, 20000);
  guint ns;

  sos = nl_csd_filter_sos (1, 300, 1000, 4, &ns, NULL, NULL);
  for (guint i = 0; i < 20000; i++)
    x[i] = sin (2 * G_PI * 50.0 * i / 1000) + 2.0;
  nl_csd_filtfilt (sos, ns, x, 20000);
  for (guint i = 9000; i < 11000; i++)
    g_assert_cmpfloat (fabs (x[i] - sin (2 * G_PI * 50.0 * i / 1000)), <, 1e-3);
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  double lfp[3 * 2] = { 0, 1, 2, 3, 4, 5 }, xyz[] = { 0, 100, 0, 0, 300, 0, 0, 200, 0 };
  NlCsdOptions o;
  guint n_out, ns;

  g_assert_null (nl_csd (lfp, 0, 2, 1000, NULL, &n_out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  nl_csd_options_init (&o);
  o.vaknin = FALSE;
  g_assert_null (nl_csd (lfp, 3, 2, 1000, &o, &n_out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "at least 3"));
  g_clear_error (&error);
  o.vaknin = TRUE;
  o.spacing_um = 0;
  g_assert_null (nl_csd (lfp, 3, 2, 1000, &o, &n_out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_csd (lfp, 3, 2, NAN, NULL, &n_out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  lfp[3] = NAN;
  g_assert_null (nl_csd (lfp, 3, 2, 1000, NULL, &n_out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "sample 1 of channel 1 is NaN"));
  g_clear_error (&error);
  lfp[3] = 3;

  /* Filter corners: low at or above Nyquist, low >= high, low <= 0, order 0. */
  g_assert_null (nl_csd_filter_sos (500, 600, 1000, 4, &ns, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Nyquist"));
  g_clear_error (&error);
  g_assert_null (nl_csd_filter_sos (30, 20, 1000, 4, &ns, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_csd_filter_sos (0, 20, 1000, 4, &ns, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_csd_filter_sos (1, 20, 1000, 0, &ns, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* The default band at 200 Hz sampling: low corner fine, upper above Nyquist → high-pass. */
  nl_csd_options_init (&o);
  g_free (nl_csd (lfp, 3, 2, 200, &o, &n_out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_out, ==, 2);

  /* Spacing from the electrodes' y (NetPyNE: (max − min)/(n − 1)). */
  g_assert_cmpfloat (nl_csd_spacing_um (xyz, 3, &error), ==, 100);
  g_assert_no_error (error);
  g_assert_true (isnan (nl_csd_spacing_um (xyz, 1, &error)));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  xyz[4] = xyz[7] = 100;
  g_assert_true (isnan (nl_csd_spacing_um (xyz, 3, &error)));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csd/reference-nofilter", test_reference_nofilter);
  g_test_add_func ("/csd/filter/sos", test_filter_sos);
  g_test_add_func ("/csd/filter/signal", test_filter_signal);
  g_test_add_func ("/csd/filter/passband", test_filter_passband);
  g_test_add_func ("/csd/pipeline", test_pipeline);
  g_test_add_func ("/csd/analytic", test_analytic_profiles);
  g_test_add_func ("/csd/bad-input", test_bad_input);
  return g_test_run ();
}
