/* core/analysis/nl-granger: Morf's MVAR fit and Geweke's Granger measures, against the
 * analytic values of Ding, Chen & Bressler (2006) eq. 55 and NetPyNE's numbers on binned
 * spikes (../shared/reference/analysis, README "Analysis reference values"). */

#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <nl-granger.h>
#include <nl-rng.h>

#include "nl-testutil.h"

/* Rows of numbers of a CSV file with one header line: a GArray of double per column. */
static GPtrArray *
read_csv_columns (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *cols = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;

      g_strstrip (lines[i]);
      if (!*lines[i])
        continue;
      f = g_strsplit (lines[i], ",", -1);
      for (guint c = 0; f[c]; c++)
        {
          double v;
          char *end;

          if (cols->len <= c)
            g_ptr_array_add (cols, g_array_new (FALSE, FALSE, sizeof (double)));
          v = g_ascii_strtod (f[c], &end);
          g_assert_true (end != f[c]);
          g_array_append_val ((GArray *) cols->pdata[c], v);
        }
    }
  return cols;
}

#define COL(cols, c) ((const double *) ((GArray *) (cols)->pdata[c])->data)
#define COL_LEN(cols, c) (((GArray *) (cols)->pdata[c])->len)

/* The true model of granger_var2_data.csv: x = 0.9x₋₁ − 0.5x₋₂ + ε,
 * y = 0.8y₋₁ − 0.5y₋₂ + 0.16x₋₁ − 0.2x₋₂ + η, Σ = [[1, 0.4], [0.4, 0.7]], in the form
 * x_t + A₁x_{t−1} + A₂x_{t−2} = e_t. */
static NlMvar *
ding_model (void)
{
  NlMvar *m = nl_mvar_new (2, 2);
  const double A1[4] = { -0.9, 0, -0.16, -0.8 }, A2[4] = { 0.5, 0, 0.2, 0.5 };
  const double sig[4] = { 1, 0.4, 0.4, 0.7 };

  memcpy (m->coef, A1, sizeof A1);
  memcpy (m->coef + 4, A2, sizeof A2);
  memcpy (m->noise_cov, sig, sizeof sig);
  return m;
}

/* The analytic spectra of the true model are the reference's to rounding: this checks
 * H(f), S(f) and the four measures with no estimation in between. */
static void
test_analytic_model (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/granger_analytic.csv");
  g_autoptr(GPtrArray) ref = NULL;
  g_autoptr(NlMvar) m = ding_model ();
  g_autoptr(NlGranger) g = NULL;
  g_autoptr(GError) error = NULL;

  if (!path)
    return;
  ref = read_csv_columns (path);
  g = nl_granger_from_mvar (m, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g->n_freqs, ==, 101);
  g_assert_cmpuint (COL_LEN (ref, 0), ==, 101);
  for (guint i = 0; i < g->n_freqs; i++)
    {
      g_assert_cmpfloat (g->freq[i], ==, COL (ref, 0)[i]);
      g_assert_cmpfloat_with_epsilon (g->x2y[i], COL (ref, 1)[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (g->y2x[i], COL (ref, 2)[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (g->coherence[i], COL (ref, 3)[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (g->inst[i], COL (ref, 4)[i], 1e-12);
      /* pp = 2|S| with S = H Σ H^† / fs, so fs/2 · pp is the two-sided H Σ H^†. */
      g_assert_cmpfloat_with_epsilon (g->pxx[i] * 100 / COL (ref, 5)[i], 1, 1e-12);
      g_assert_cmpfloat_with_epsilon (g->pyy[i] * 100 / COL (ref, 6)[i], 1, 1e-12);
    }
  g_assert_true (isnan (g->gc_x2y));
}

/* An order-10 estimate on the 20,000-sample realisation. */
static void
test_var2_estimate (void)
{
  g_autofree char *dpath = nl_test_shared_file ("reference/analysis/granger_var2_data.csv");
  g_autofree char *apath = nl_test_shared_file ("reference/analysis/granger_analytic.csv");
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(GPtrArray) ref = NULL;
  g_autoptr(NlGranger) g = NULL;
  g_autoptr(GError) error = NULL;
  double worst_inst = 0;

  if (!dpath || !apath)
    return;
  data = read_csv_columns (dpath);
  ref = read_csv_columns (apath);
  g_assert_cmpuint (COL_LEN (data, 0), ==, 20000);

  g = nl_granger_compute (COL (data, 0), COL (data, 1), 20000, 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g->order, ==, 10);
  g_assert_cmpuint (g->n_freqs, ==, 101);
  for (guint i = 0; i < g->n_freqs; i++)
    {
      g_assert_cmpfloat (g->freq[i], ==, i);
      g_assert_cmpfloat_with_epsilon (g->x2y[i], COL (ref, 1)[i], 0.05);
      g_assert_cmpfloat_with_epsilon (g->y2x[i], COL (ref, 2)[i], 0.05);
      g_assert_cmpfloat_with_epsilon (g->coherence[i], COL (ref, 3)[i], 0.05);
      /* The realisation's instantaneous causality is 0.064 below the analytic one at 0 Hz
       * and above 0.05 off at 1–4 and 26–28 Hz; an ordinary least-squares VAR(10) fit of the
       * same samples is as far off (0.063), so this is the sample, not the lattice. */
      g_assert_cmpfloat_with_epsilon (g->inst[i], COL (ref, 4)[i], 0.07);
      worst_inst = MAX (worst_inst, fabs (g->inst[i] - COL (ref, 4)[i]));
      /* Geweke's decomposition of the total interdependence holds for any model. */
      g_assert_cmpfloat_with_epsilon (-log (1 - g->coherence[i]),
                                      g->x2y[i] + g->y2x[i] + g->inst[i], 1e-10);
    }
  g_assert_cmpfloat (worst_inst, >, 0.06);
  g_assert_cmpfloat_with_epsilon (g->gc_x2y, 0.053458, 0.01);
  g_assert_cmpfloat (fabs (g->gc_y2x), <, 0.01);
  g_assert_cmpfloat_with_epsilon (g->noise_cov[0], 1.0, 0.03);
  g_assert_cmpfloat_with_epsilon (g->noise_cov[1], 0.4, 0.03);
  g_assert_cmpfloat_with_epsilon (g->noise_cov[3], 0.7, 0.03);
}

/* An order-2 fit recovers the generating coefficients. */
static void
test_mvar_recovers_model (void)
{
  g_autofree char *dpath = nl_test_shared_file ("reference/analysis/granger_var2_data.csv");
  g_autoptr(GPtrArray) data = NULL;
  g_autoptr(NlMvar) truth = ding_model ();
  g_autoptr(NlMvar) fit = NULL;
  g_autoptr(GError) error = NULL;
  const double *ch[2];

  if (!dpath)
    return;
  data = read_csv_columns (dpath);
  ch[0] = COL (data, 0);
  ch[1] = COL (data, 1);
  fit = nl_mvar_fit (ch, 2, 20000, 2, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat_with_epsilon (fit->coef[i], truth->coef[i], 0.03);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (fit->noise_cov[i], truth->noise_cov[i], 0.03);
}

static void
read_trains (GArray *tr[3])
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/nte_spikes.csv");
  g_autoptr(GPtrArray) cols = NULL;

  for (int k = 0; k < 3; k++)
    tr[k] = NULL;
  if (!path)
    return;
  cols = read_csv_columns (path);
  for (int k = 0; k < 3; k++)
    tr[k] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < COL_LEN (cols, 0); i++)
    {
      int k = (int) COL (cols, 0)[i] - 1;

      g_assert_true (k >= 0 && k < 3);
      g_array_append_val (tr[k], COL (cols, 1)[i]);
    }
}

static double
max_of (const double *v, guint n)
{
  double m = -INFINITY;

  for (guint i = 0; i < n; i++)
    m = MAX (m, v[i]);
  return m;
}

/* NetPyNE's plotGranger on trains 1 and 2 of nte_spikes.csv: 5 ms bins over
 * [0, duration = 60 s], order 10, no demeaning (the values agree to ~1e-14). */
static void
test_netpyne_spikes (void)
{
  GArray *tr[3];
  g_autofree char *jpath = nl_test_shared_file ("reference/analysis/nte_reference.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autoptr(NlGranger) raw = NULL;
  g_autoptr(NlGranger) dm = NULL;
  NlGrangerOptions opts;
  JsonObject *ref;
  double fs, diff = 0;
  gsize n;

  read_trains (tr);
  if (!tr[0] || !jpath)
    return;
  g_assert_true (json_parser_load_from_file (parser, jpath, &error));
  ref = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "granger_spikes_bin5");

  g_assert_true (nl_granger_bin_spikes ((double *) tr[0]->data, tr[0]->len,
                                        (double *) tr[1]->data, tr[1]->len,
                                        0, 60000, NL_GRANGER_DEFAULT_BIN_MS,
                                        &x, &y, &n, &fs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 11999);
  g_assert_cmpfloat (fs, ==, 200);

  nl_granger_options_init (&opts);
  opts.demean = FALSE;
  raw = nl_granger_compute (x, y, n, fs, &opts, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (max_of (raw->x2y, raw->n_freqs) /
                                  json_object_get_double_member (ref, "max_Fx2y"), 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (max_of (raw->y2x, raw->n_freqs) /
                                  json_object_get_double_member (ref, "max_Fy2x"), 1, 1e-12);

  dm = nl_granger_compute (x, y, n, fs, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < dm->n_freqs; i++)
    diff = MAX (diff, fabs (dm->x2y[i] - raw->x2y[i]));
  g_assert_cmpfloat_with_epsilon (diff / json_object_get_double_member
                                  (ref, "demeaned_max_abs_diff_Fx2y"), 1, 1e-12);
  for (int k = 0; k < 3; k++)
    g_array_unref (tr[k]);
}

/* Pairs come in bsmart's order, each the same as the two-signal call. */
static void
test_pairwise (void)
{
  enum { N = 5000 };
  g_autofree double *s = g_new (double, 3 * N);
  const double *ch[3] = { s, s + N, s + 2 * N };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  const guint pairs[3][2] = { { 0, 1 }, { 0, 2 }, { 1, 2 } };
  NlRng rng;

  /* A chain: channel 1 follows channel 0, channel 2 follows channel 1. */
  nl_rng_init (&rng, 7, NL_RNG_USER, 0, 0);
  for (guint t = 0; t < N; t++)
    for (guint c = 0; c < 3; c++)
      {
        double e = nl_rng_uniform (&rng) - 0.5;

        s[c * N + t] = e + (t > 0 ? 0.5 * s[c * N + t - 1] : 0)
                       + (t > 0 && c > 0 ? 0.6 * s[(c - 1) * N + t - 1] : 0);
      }
  all = nl_granger_pairwise (ch, 3, N, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(NlGranger) one = nl_granger_compute (ch[pairs[k][0]], ch[pairs[k][1]], N, 100,
                                                     NULL, &error);
      NlGranger *g = all->pdata[k];

      g_assert_no_error (error);
      g_assert_cmpuint (g->n_freqs, ==, 51);
      for (guint i = 0; i < g->n_freqs; i++)
        g_assert_cmpfloat (g->x2y[i], ==, one->x2y[i]);
      g_assert_cmpfloat (g->gc_x2y, ==, one->gc_x2y);
    }
  /* The driven directions dominate. */
  g_assert_cmpfloat (((NlGranger *) all->pdata[0])->gc_x2y, >, 0.1);
  g_assert_cmpfloat (((NlGranger *) all->pdata[0])->gc_y2x, <, 0.01);
  g_assert_cmpfloat (((NlGranger *) all->pdata[2])->gc_x2y, >, 0.1);
}

static void
expect_error (NlGranger *g, GError *error, const char *needle)
{
  g_assert_null (g);
  g_assert_nonnull (error);
  if (!strstr (error->message, needle))
    g_error ("message \"%s\" lacks \"%s\"", error->message, needle);
}

static void
test_bad_input (void)
{
  enum { N = 200 };
  double x[N], y[N], c[N];
  NlGrangerOptions opts;
  GError *error = NULL;
  NlGranger *g;

  for (guint t = 0; t < N; t++)
    {
      x[t] = sin (0.3 * t) + 0.1 * cos (1.7 * t * t);
      y[t] = cos (0.2 * t) + 0.1 * sin (2.3 * t * t);
      c[t] = 3;
    }
  nl_granger_options_init (&opts);
  g_assert_cmpuint (opts.order, ==, 10);
  g_assert_true (opts.demean);

  /* Order too high for the data: 2 channels need n > 3·order. */
  opts.order = 67;
  g = nl_granger_compute (x, y, N, 100, &opts, &error);
  expect_error (g, error, "order 67 of 2 channels needs more than 201 samples, got 200");
  g_clear_error (&error);
  opts.order = 66;
  g = nl_granger_compute (x, y, N, 100, &opts, &error);
  g_assert_no_error (error);
  nl_granger_free (g);
  opts.order = 0;
  g = nl_granger_compute (x, y, N, 100, &opts, &error);
  expect_error (g, error, "order 0");
  g_clear_error (&error);
  opts.order = 10;

  /* Constant signal, either side, demeaned or not. */
  g = nl_granger_compute (x, c, N, 100, &opts, &error);
  expect_error (g, error, "channel 2 is constant (every sample is 3)");
  g_clear_error (&error);
  opts.demean = FALSE;
  g = nl_granger_compute (c, y, N, 100, &opts, &error);
  expect_error (g, error, "channel 1 is constant");
  g_clear_error (&error);
  opts.demean = TRUE;

  /* NaN and Inf. */
  y[57] = NAN;
  g = nl_granger_compute (x, y, N, 100, &opts, &error);
  expect_error (g, error, "channel 2, sample 57 is nan");
  g_clear_error (&error);
  y[57] = 0.5;
  x[3] = -INFINITY;
  g = nl_granger_compute (x, y, N, 100, &opts, &error);
  expect_error (g, error, "channel 1, sample 3 is -inf");
  g_clear_error (&error);
  x[3] = 0.25;

  /* Exactly dependent channels. */
  for (guint t = 0; t < N; t++)
    c[t] = 2 * x[t];
  g = nl_granger_compute (x, c, N, 100, &opts, &error);
  expect_error (g, error, "not positive definite");
  g_clear_error (&error);

  /* Sampling rate. */
  g = nl_granger_compute (x, y, N, 0, &opts, &error);
  expect_error (g, error, "sampling rate 0 Hz");
  g_clear_error (&error);
  g = nl_granger_compute (x, y, N, NAN, &opts, &error);
  expect_error (g, error, "sampling rate nan Hz");
  g_clear_error (&error);
  g = nl_granger_compute (x, y, N, 1e12, &opts, &error);
  expect_error (g, error, "frequencies");
  g_clear_error (&error);

  /* Fewer than 2 channels. */
  {
    const double *ch[1] = { x };
    GPtrArray *all = nl_granger_pairwise (ch, 1, N, 100, &opts, &error);

    g_assert_null (all);
    g_assert_nonnull (strstr (error->message, "1 channel; expected at least 2"));
    g_clear_error (&error);
  }
  {
    const double *many[2000];
    g_autoptr(NlMvar) m = NULL;

    for (guint i = 0; i < 2000; i++)
      many[i] = x;
    m = nl_mvar_fit (many, 2000, N, 1, TRUE, &error);
    g_assert_null (m);
    g_assert_nonnull (strstr (error->message, "2000 channels, more than 1024"));
    g_clear_error (&error);
  }
  {
    g_autoptr(NlMvar) m = nl_mvar_fit (NULL, 0, N, 10, TRUE, &error);

    g_assert_null (m);
    g_assert_nonnull (strstr (error->message, "no channels"));
    g_clear_error (&error);
  }
  {
    g_autoptr(NlMvar) m3 = nl_mvar_new (3, 1);
    g_autoptr(NlMvar) m2 = nl_mvar_new (2, 1);

    g = nl_granger_from_mvar (m3, 100, &error);
    expect_error (g, error, "a model of 3 channels; expected 2");
    g_clear_error (&error);
    g = nl_granger_from_mvar (m2, 100, &error);   /* Σ = 0 */
    expect_error (g, error, "not symmetric positive definite");
    g_clear_error (&error);
  }
}

static void
test_bin_spikes (void)
{
  const double t1[] = { 0, 5, 19.999, 20, 40, 59.9, 60 };
  const double t2[] = { 39.5, 41, 70 };
  const double bad[] = { 1, NAN };
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  GError *error = NULL;
  double fs;
  gsize n;

  /* np.arange(0, 60, 20) = [0, 20, 40]: bins [0, 20) and [20, 40], the rest ignored. */
  g_assert_true (nl_granger_bin_spikes (t1, 7, t2, 3, 0, 60, 20, &x, &y, &n, &fs, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (fs, ==, 50);
  g_assert_cmpfloat (x[0], ==, 3);
  g_assert_cmpfloat (x[1], ==, 2);
  g_assert_cmpfloat (y[0], ==, 0);
  g_assert_cmpfloat (y[1], ==, 1);
  g_clear_pointer (&x, g_free);
  g_clear_pointer (&y, g_free);

  /* No stop time: up to the latest spike of both (70 ms): edges 0 … 60, 3 bins. */
  g_assert_true (nl_granger_bin_spikes (t1, 7, t2, 3, 0, NAN, 20, &x, &y, &n, &fs, &error));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (x[2], ==, 3);   /* 40, 59.9 and 60, the last edge, included */
  g_assert_cmpfloat (x[1], ==, 1);
  g_assert_cmpfloat (y[1], ==, 1);   /* 39.5 */
  g_assert_cmpfloat (y[2], ==, 1);   /* 41; 70 is past the last edge */
  g_clear_pointer (&x, g_free);
  g_clear_pointer (&y, g_free);

  g_assert_false (nl_granger_bin_spikes (t1, 7, t2, 3, 0, 60, 0, &x, &y, &n, &fs, &error));
  g_assert_nonnull (strstr (error->message, "bin size 0 ms"));
  g_clear_error (&error);
  g_assert_false (nl_granger_bin_spikes (t1, 7, t2, 3, 10, 5, 5, &x, &y, &n, &fs, &error));
  g_assert_nonnull (strstr (error->message, "time range [10, 5] ms"));
  g_clear_error (&error);
  g_assert_false (nl_granger_bin_spikes (t1, 7, t2, 3, 0, 20, 20, &x, &y, &n, &fs, &error));
  g_assert_nonnull (strstr (error->message, "no whole bin"));
  g_clear_error (&error);
  g_assert_false (nl_granger_bin_spikes (t1, 7, bad, 2, 0, 60, 5, &x, &y, &n, &fs, &error));
  g_assert_nonnull (strstr (error->message, "spike 1 has time nan"));
  g_clear_error (&error);
  g_assert_false (nl_granger_bin_spikes (t1, 7, t2, 3, 0, 1e9, 1e-3, &x, &y, &n, &fs, &error));
  g_assert_nonnull (strstr (error->message, "use a larger bin"));
  g_clear_error (&error);
  g_assert_null (x);
  g_assert_null (y);
}

static void
test_bin_pops (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const guint32 ga[] = { 0, 2 }, gb[] = { 1 };
  const double in_t[] = { 1, 2, 6, 7, 8, 12, 14 };
  const guint32 in_g[] = { 0, 1, 2, 1, 0, 2, 1 };
  double *t = g_memdup2 (in_t, sizeof in_t);
  guint32 *g = g_memdup2 (in_g, sizeof in_g);
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  GError *error = NULL;
  double fs;
  gsize n;

  nl_results_add_pop (r, "Exc", ga, 2);
  nl_results_add_pop (r, "Inh", gb, 1);
  nl_results_set_spikes (r, t, g, 7);

  /* No duration: up to the latest spike (14 ms): edges 0, 5, 10 → bins [0,5) [5,10]. */
  g_assert_true (nl_granger_bin_pops (r, "Exc", "Inh", 0, NAN, 5, &x, &y, &n, &fs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (fs, ==, 200);
  g_assert_cmpfloat (x[0], ==, 1);   /* 1 */
  g_assert_cmpfloat (x[1], ==, 2);   /* 6, 8; 12 is past the last edge */
  g_assert_cmpfloat (y[0], ==, 1);   /* 2 */
  g_assert_cmpfloat (y[1], ==, 1);   /* 7 */
  g_clear_pointer (&x, g_free);
  g_clear_pointer (&y, g_free);

  /* With a duration (NetPyNE's [0, simConfig.duration]): edges 0 … 15, 3 bins. */
  nl_results_set_duration (r, 20);
  g_assert_true (nl_granger_bin_pops (r, "Inh", "Exc", 0, NAN, 5, &x, &y, &n, &fs, &error));
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (x[2], ==, 1);   /* 14 */
  g_assert_cmpfloat (y[2], ==, 1);   /* 12 */
  g_clear_pointer (&x, g_free);
  g_clear_pointer (&y, g_free);

  g_assert_false (nl_granger_bin_pops (r, "exc", "Inh", 0, NAN, 5, &x, &y, &n, &fs, &error));
  g_assert_cmpstr (error->message, ==,
                   "no population \"exc\" in the results; did you mean \"Exc\"?");
  g_clear_error (&error);
  g_assert_false (nl_granger_bin_pops (r, "Exc", "Stim", 0, NAN, 5, &x, &y, &n, &fs, &error));
  g_assert_cmpstr (error->message, ==,
                   "no population \"Stim\" in the results (it has \"Exc\", \"Inh\")");
  g_clear_error (&error);
  g_assert_null (x);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/granger/analytic-model", test_analytic_model);
  g_test_add_func ("/granger/var2-estimate", test_var2_estimate);
  g_test_add_func ("/granger/mvar-recovers-model", test_mvar_recovers_model);
  g_test_add_func ("/granger/netpyne-spikes", test_netpyne_spikes);
  g_test_add_func ("/granger/pairwise", test_pairwise);
  g_test_add_func ("/granger/bad-input", test_bad_input);
  g_test_add_func ("/granger/bin-spikes", test_bin_spikes);
  g_test_add_func ("/granger/bin-pops", test_bin_pops);
  return g_test_run ();
}
