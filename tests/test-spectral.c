/* core/analysis/nl-spectral: Welch PSD, spectrogram, Morlet against NetPyNE's numbers
 * (../shared/reference/analysis, README "Analysis reference values"), scipy's spectrogram
 * (tests/data/spectrogram-ref.csv, from tests/data/gen-spectrogram.py), analytic results and
 * bad input. */

#include <gio/gio.h>
#include <math.h>
#include <string.h>
#include <nl-spectral.h>

#include "nl-testutil.h"
#include "nl-test-csv.h"

#define FS 1000.0

/* spectral_input.csv: 4096 samples at 1 kHz (one column). */
static double *
load_input (gsize *n)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/spectral_input.csv");
  gsize cols;
  double *x;

  if (!path)
    return NULL;
  x = nl_test_read_csv (path, n, &cols);
  g_assert_cmpuint (cols, ==, 1);
  g_assert_cmpuint (*n, ==, 4096);
  return x;
}

static void
test_welch_reference (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/psd_welch.csv");
  g_autofree double *x = NULL, *ref = NULL, *db = NULL;
  g_autoptr(NlSpectrum) s = NULL, sc = NULL;
  g_autoptr(GError) error = NULL;
  NlSpectralOptions o;
  gsize n, rows, cols;

  if (!path || !(x = load_input (&n)))
    return;
  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (rows, ==, 129);
  g_assert_cmpuint (cols, ==, 4);

  /* NetPyNE's defaults: options NULL. */
  s = nl_psd_welch (x, n, FS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n, ==, 129);
  g_assert_cmpuint (s->n_segments, ==, 31);
  db = g_memdup2 (s->power, s->n * sizeof (double));
  nl_spectral_db (db, s->n);
  for (gsize k = 0; k < rows; k++)
    {
      g_assert_cmpfloat_with_epsilon (s->freqs[k], ref[k * 4], 1e-12);
      nl_assert_rel ("psd", k, s->power[k], ref[k * 4 + 1], 1e-10);
      nl_assert_rel ("psd dB", k, db[k], ref[k * 4 + 2], 1e-10);
    }

  /* The fourth column, scipy.signal.welch's defaults: periodic Hann, mean removed. */
  nl_spectral_options_init_welch (&o);
  o.window = NL_WINDOW_HANN_PERIODIC;
  o.detrend = NL_DETREND_MEAN;
  sc = nl_psd_welch (x, n, FS, &o, &error);
  g_assert_no_error (error);
  for (gsize k = 0; k < rows; k++)
    nl_assert_rel ("scipy welch", k, sc->power[k], ref[k * 4 + 3], 1e-10);
}

static void
test_welch_max_freq (void)
{
  g_autofree double *x = NULL;
  g_autoptr(NlSpectrum) all = NULL, cut = NULL;
  NlSpectralOptions o;
  gsize n;

  if (!(x = load_input (&n)))
    return;
  nl_spectral_options_init_welch (&o);
  all = nl_psd_welch (x, n, FS, &o, NULL);
  o.max_freq = 100;  /* NetPyNE's default maxFreq: f < 100 */
  cut = nl_psd_welch (x, n, FS, &o, NULL);
  /* 100 / 3.90625 = 25.6: bins 0 … 25. */
  g_assert_cmpuint (cut->n, ==, 26);
  g_assert_cmpfloat (cut->freqs[25], <, 100);
  g_assert_cmpmem (cut->power, 26 * sizeof (double), all->power, 26 * sizeof (double));
  /* Above Nyquist: every frequency, up to fs/2. */
  g_clear_pointer (&cut, nl_spectrum_free);
  o.max_freq = 2000;
  cut = nl_psd_welch (x, n, FS, &o, NULL);
  g_assert_cmpuint (cut->n, ==, all->n);
  g_assert_cmpfloat (cut->freqs[cut->n - 1], ==, 500);
}

/* Parseval: with a rectangular window and one segment of the whole signal, the one-sided
 * density integrates (Σ P · fs/nfft) to the mean square. */
static void
test_welch_parseval (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(NlSpectrum) s = NULL;
  NlSpectralOptions o;
  double x[1024], ms = 0, integral = 0;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      x[i] = g_rand_double_range (rand, -1, 1) + 0.3;
      ms += x[i] * x[i];
    }
  ms /= G_N_ELEMENTS (x);
  for (guint nfft = 1024; nfft <= 1025; nfft++)
    {
      g_clear_pointer (&s, nl_spectrum_free);
      nl_spectral_options_init_welch (&o);
      o.window = NL_WINDOW_BOXCAR;
      o.nperseg = nfft;  /* 1025: one sample of zero padding, odd length */
      o.nfft = nfft;
      o.noverlap = 0;
      s = nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, NULL);
      g_assert_cmpuint (s->n_segments, ==, 1);
      g_assert_cmpuint (s->n, ==, nfft / 2 + 1);
      integral = 0;
      for (gsize k = 0; k < s->n; k++)
        integral += s->power[k] * FS / nfft;
      /* Zero padding keeps the energy; the mean is over nfft samples. */
      g_assert_cmpfloat (fabs (integral - ms * 1024 / nfft), <, 1e-12 * ms);
    }
}

/* A sine on a bin: the PSD peaks there, and integrates to the sine's power A²/2. */
static void
test_welch_sine (void)
{
  g_autoptr(NlSpectrum) s = NULL;
  double x[4096], integral = 0;
  gsize peak = 0;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 2.0 * sin (2 * G_PI * 125.0 * i / FS);
  s = nl_psd_welch (x, G_N_ELEMENTS (x), FS, NULL, NULL);
  for (gsize k = 0; k < s->n; k++)
    {
      integral += s->power[k] * FS / 256;
      if (s->power[k] > s->power[peak])
        peak = k;
    }
  g_assert_cmpfloat (s->freqs[peak], ==, 125.0);
  g_assert_cmpfloat (fabs (integral - 2.0), <, 0.01 * 2.0);
}

static void
test_welch_detrend (void)
{
  g_autoptr(NlSpectrum) lin = NULL, mean = NULL;
  NlSpectralOptions o;
  double x[512];

  /* A line: linear detrending leaves nothing, mean removal leaves a ramp. */
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 3.0 + 0.25 * i;
  nl_spectral_options_init_welch (&o);
  o.detrend = NL_DETREND_LINEAR;
  lin = nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, NULL);
  o.detrend = NL_DETREND_MEAN;
  mean = nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, NULL);
  for (gsize k = 0; k < lin->n; k++)
    g_assert_cmpfloat (lin->power[k], <, 1e-20);
  g_assert_cmpfloat (mean->power[1], >, 1e-3);
}

static void
test_welch_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpectrum) s = NULL, pad = NULL;
  NlSpectralOptions o;
  double x[100], padded[256] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = padded[i] = cos (i * 0.3);

  g_assert_null (nl_psd_welch (x, 0, FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no samples"));
  g_clear_error (&error);

  x[17] = NAN;
  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "sample 17 is NaN"));
  g_clear_error (&error);
  x[17] = -INFINITY;
  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "sample 17 is infinite"));
  g_clear_error (&error);
  x[17] = padded[17];

  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  nl_spectral_options_init_welch (&o);
  o.noverlap = 256;
  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "overlap 256"));
  g_clear_error (&error);
  nl_spectral_options_init_welch (&o);
  o.nfft = 128;
  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  o.nperseg = o.nfft = NL_SPECTRAL_MAX_FFT + 1;
  o.noverlap = 0;
  g_assert_null (nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* nfft longer than the signal: mlab zero-pads the signal to one segment. */
  s = nl_psd_welch (x, G_N_ELEMENTS (x), FS, NULL, &error);
  g_assert_no_error (error);
  pad = nl_psd_welch (padded, G_N_ELEMENTS (padded), FS, NULL, &error);
  g_assert_cmpuint (s->n_segments, ==, 1);
  g_assert_cmpmem (s->power, s->n * sizeof (double), pad->power, pad->n * sizeof (double));
}

/* A constant: with no taper all power is at 0 Hz (fs·… = c²·n/fs); in dB zero is -inf. */
static void
test_welch_constant (void)
{
  g_autoptr(NlSpectrum) s = NULL;
  NlSpectralOptions o;
  double x[512];

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 1.5;
  nl_spectral_options_init_welch (&o);
  o.window = NL_WINDOW_BOXCAR;
  s = nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, NULL);
  /* |X0|² = (1.5·256)², scaled by 1/(fs·256). */
  g_assert_cmpfloat_with_epsilon (s->power[0], 1.5 * 1.5 * 256 / FS, 1e-14);
  for (gsize k = 1; k < s->n; k++)
    g_assert_cmpfloat (s->power[k], <, 1e-28);
  o.detrend = NL_DETREND_MEAN;
  g_clear_pointer (&s, nl_spectrum_free);
  s = nl_psd_welch (x, G_N_ELEMENTS (x), FS, &o, NULL);
  nl_spectral_db (s->power, s->n);
  g_assert_true (isinf (s->power[0]) && s->power[0] < 0);
}

/* ---- spectrogram -------------------------------------------------------------------- */

static double *
spectrogram_signal (gsize n)
{
  double *x = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    x[i] = sin (2 * G_PI * 37.0 * i / FS) + 0.5 * cos (2 * G_PI * 180.0 * i / FS + 0.2)
           + 0.1 * ((double) (i % 7) - 3.0) + 0.001 * i;
  return x;
}

static void
test_spectrogram_scipy (void)
{
  g_autofree char *path = nl_test_source_file ("tests/data/spectrogram-ref.csv");
  g_autofree double *ref = NULL;
  static const struct { gsize n; guint nperseg, noverlap, nfft; NlDetrend detrend; } cases[] = {
    { 800, 256, 128, 256, NL_DETREND_NONE },
    { 800, 200, 50, 301, NL_DETREND_LINEAR },
    { 100, 256, 50, 256, NL_DETREND_NONE },
  };
  gsize rows, cols, r = 0;
  double peak[G_N_ELEMENTS (cases)] = { 0 };

  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (cols, ==, 6);
  for (gsize i = 0; i < rows; i++)
    peak[(guint) ref[i * 6]] = MAX (peak[(guint) ref[i * 6]], ref[i * 6 + 5]);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree double *x = spectrogram_signal (cases[c].n);
      g_autoptr(NlTimeFreq) tf = NULL;
      g_autoptr(GError) error = NULL;
      NlSpectralOptions o;

      nl_spectral_options_init_spectrogram (&o);
      o.nperseg = cases[c].nperseg;
      o.noverlap = cases[c].noverlap;
      o.nfft = cases[c].nfft;
      o.detrend = cases[c].detrend;
      tf = nl_spectrogram (x, cases[c].n, FS, &o, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (tf->n_freqs, ==, cases[c].nfft / 2 + 1);
      for (gsize k = 0; k < tf->n_freqs; k++)
        for (gsize j = 0; j < tf->n_times; j++, r++)
          {
            const double *row = ref + r * 6;
            g_assert_cmpuint (r, <, rows);
            g_assert_cmpfloat (row[0], ==, c);
            g_assert_cmpfloat (row[1], ==, k);
            g_assert_cmpfloat (row[2], ==, j);
            g_assert_cmpfloat_with_epsilon (tf->freqs[k], row[3], 1e-12);
            g_assert_cmpfloat_with_epsilon (tf->times[j], row[4], 1e-12);
            /* 1e-10 relative, or 1e-14 of the case's largest value for the smallest. */
            nl_assert_close ("spectrogram", r, tf->power[k * tf->n_times + j], row[5], 1e-10,
                             1e-14 * peak[c]);
          }
    }
  g_assert_cmpuint (r, ==, rows);
}

/* With the same options, Welch's PSD is the spectrogram's mean over windows. */
static void
test_spectrogram_mean_is_welch (void)
{
  g_autofree double *x = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  g_autoptr(NlSpectrum) s = NULL;
  NlSpectralOptions o;
  gsize n;

  if (!(x = load_input (&n)))
    return;
  nl_spectral_options_init_welch (&o);
  o.max_freq = 100;
  tf = nl_spectrogram (x, n, FS, &o, NULL);
  s = nl_psd_welch (x, n, FS, &o, NULL);
  g_assert_cmpuint (tf->n_times, ==, 31);
  g_assert_cmpuint (tf->n_freqs, ==, s->n);
  g_assert_cmpfloat (tf->times[0], ==, 128.0);
  g_assert_cmpfloat (tf->times[30], ==, 128.0 + 30 * 128.0);
  for (gsize k = 0; k < s->n; k++)
    {
      double m = 0;
      for (gsize j = 0; j < tf->n_times; j++)
        m += tf->power[k * tf->n_times + j];
      nl_assert_rel ("mean", k, m / tf->n_times, s->power[k], 1e-12);
    }
}

static void
test_spectrogram_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  double x[100] = { 0 };

  g_assert_null (nl_spectrogram (x, 0, FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* Shorter than the overlap (scipy: "noverlap must be less than nperseg"). */
  g_assert_null (nl_spectrogram (x, 100, FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shorter than the overlap"));
  g_clear_error (&error);
  x[3] = INFINITY;
  g_assert_null (nl_spectrogram (x, 100, FS, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* ---- Morlet ------------------------------------------------------------------------- */

static void
test_morlet_kernel (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/morlet_kernel_f40_fs1000.csv");
  g_autofree double *ref = NULL, *k = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { double f; gsize len; } lens[] = {
    { 1, 7799 }, { 2, 3900 }, { 10, 780 }, { 40, 195 }, { 100, 78 },  /* spectral_meta.json */
  };
  gsize rows, cols, len;

  if (!path)
    return;
  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (cols, ==, 2);
  k = nl_morlet_kernel (FS, 40, 7, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, rows);
  for (gsize i = 0; i < len; i++)
    {
      nl_assert_rel ("kernel re", i, k[2 * i], ref[2 * i], 1e-14);
      nl_assert_rel ("kernel im", i, k[2 * i + 1], ref[2 * i + 1], 1e-14);
    }
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autofree double *kk = nl_morlet_kernel (FS, lens[i].f, 7, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (len, ==, lens[i].len);
    }
}

static void
test_morlet_freqs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *a = NULL, *b = NULL, *c = NULL;
  gsize n;

  a = nl_morlet_freqs (1, 100, 1, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpfloat (a[0], ==, 1);
  g_assert_cmpfloat (a[99], ==, 100);
  /* spectral_meta.json "arange_pitfall_fmin1_fmax10_step2.5". */
  b = nl_morlet_freqs (1, 10, 2.5, &n, &error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (b[1], ==, 3.5);
  g_assert_cmpfloat (b[3], ==, 8.5);
  /* NetPyNE's arange(fmin, fmax + 1, step) runs past fmax for a step below 1. */
  c = nl_morlet_freqs (1, 10, 0.5, &n, &error);
  g_assert_cmpuint (n, ==, 20);
  g_assert_cmpfloat (c[19], ==, 10.5);
  g_assert_null (nl_morlet_freqs (0, 10, 1, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_freqs (1, 10, 0, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_freqs (1, 1e9, 1, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_morlet_psd_reference (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/morlet_psd.csv");
  g_autofree double *x = NULL, *ref = NULL, *freqs = NULL;
  g_autoptr(NlSpectrum) s = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  g_autoptr(GError) error = NULL;
  /* spectral_meta.json: TFR_at_t2048 and morlet_psd_peaks. */
  static const struct { guint f; double tfr, psd; } meta[] = {
    { 10, 1.0621098625559253, 0.960954894439707 },
    { 40, 0.31477402854111175, 0.265170881403447 },
    { 60, 0.007050177785328916, NAN },
    { 100, 0.041107710001088274, NAN },
  };
  gsize n, rows, cols, nf;

  if (!path || !(x = load_input (&n)))
    return;
  ref = nl_test_read_csv (path, &rows, &cols);
  g_assert_cmpuint (rows, ==, 100);
  freqs = nl_morlet_freqs (1, 100, 1, &nf, &error);
  s = nl_morlet_psd (x, n, FS, freqs, nf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s->n, ==, rows);
  for (gsize k = 0; k < rows; k++)
    {
      g_assert_cmpfloat (s->freqs[k], ==, ref[2 * k]);
      nl_assert_rel ("morlet psd", k, s->power[k], ref[2 * k + 1], 1e-9);
    }

  tf = nl_morlet_tfr (x, n, FS, freqs, nf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf->n_freqs, ==, 100);
  g_assert_cmpuint (tf->n_times, ==, n);
  g_assert_cmpfloat (tf->times[0], ==, 0);
  g_assert_cmpfloat (tf->times[n - 1], ==, 4096.0);
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      gsize row = meta[i].f - 1;
      double m = 0;

      nl_assert_rel ("TFR at 2048", meta[i].f, tf->power[row * n + 2048], meta[i].tfr, 1e-9);
      for (gsize t = 0; t < n; t++)
        m += tf->power[row * n + t];
      nl_assert_rel ("TFR mean", meta[i].f, m / n, s->power[row], 1e-12);
      if (!isnan (meta[i].psd))
        nl_assert_rel ("PSD peak", meta[i].f, s->power[row], meta[i].psd, 1e-9);
    }
}

/* One thread or several: the same numbers, bit for bit. */
static void
test_morlet_threads (void)
{
  g_autofree double *x = NULL, *freqs = NULL;
  g_autoptr(NlTimeFreq) one = NULL, two = NULL;
  NlMorletOptions o;
  gsize n, nf;

  if (!(x = load_input (&n)))
    return;
  freqs = nl_morlet_freqs (5, 60, 5, &nf, NULL);
  nl_morlet_options_init (&o);
  o.n_threads = 1;
  one = nl_morlet_tfr (x, n, FS, freqs, nf, &o, NULL);
  o.n_threads = 3;
  two = nl_morlet_tfr (x, n, FS, freqs, nf, &o, NULL);
  g_assert_cmpmem (one->power, nf * n * sizeof (double), two->power, nf * n * sizeof (double));
}

/* A sine of amplitude A at f0: away from the edges, the wavelet at f0 gives power A² (less the
 * Gaussian's tails beyond ±3.5σ, erf(3.5/√2)² = 0.99907), the wavelet at f the Gaussian
 * response A²·exp(−width²·(f − f0)²/f²). */
static void
test_morlet_sine (void)
{
  g_autoptr(NlTimeFreq) tf = NULL;
  double x[3000], freqs[] = { 20, 30, 40, 50, 60 };

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 1.5 * sin (2 * G_PI * 40.0 * i / FS + 0.4);
  tf = nl_morlet_tfr (x, G_N_ELEMENTS (x), FS, freqs, G_N_ELEMENTS (freqs), NULL, NULL);
  for (gsize t = 500; t < 2500; t += 100)
    {
      double p = tf->power[2 * 3000 + t];
      g_assert_cmpfloat (fabs (p / (1.5 * 1.5) - 0.99907), <, 1e-3);
      for (gsize r = 0; r < G_N_ELEMENTS (freqs); r++)
        {
          double d = freqs[r] - 40;
          double want = exp (-49 * d * d / (freqs[r] * freqs[r]));
          g_assert_cmpfloat (fabs (tf->power[r * 3000 + t] / p - want), <, 1e-3);
        }
    }
}

static void
test_morlet_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  double x[256], ok[] = { 10, 500 }, above[] = { 10, 500.5 }, zero[] = { 0 };
  gsize len;

  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    x[i] = 0.7;
  /* Above Nyquist. */
  g_assert_null (nl_morlet_tfr (x, 256, FS, above, 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "500.5 Hz"));
  g_clear_error (&error);
  g_assert_null (nl_morlet_psd (x, 256, FS, zero, 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_psd (x, 256, FS, ok, 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_kernel (FS, 600, 7, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* A wavelet longer than NL_SPECTRAL_MAX_FFT. */
  g_assert_null (nl_morlet_kernel (FS, 1e-6, 7, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_kernel (FS, 10, -1, &len, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (nl_morlet_tfr (x, 0, FS, ok, 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A constant: removed with the mean, no power anywhere (Nyquist itself is allowed);
   * a wavelet longer than the signal is fine. */
  tf = nl_morlet_tfr (x, 256, FS, ok, 2, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < 2 * 256; i++)
    g_assert_cmpfloat (tf->power[i], <, 1e-25);
  x[100] = NAN;
  g_assert_null (nl_morlet_psd (x, 256, FS, ok, 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spectral/welch/reference", test_welch_reference);
  g_test_add_func ("/spectral/welch/max-freq", test_welch_max_freq);
  g_test_add_func ("/spectral/welch/parseval", test_welch_parseval);
  g_test_add_func ("/spectral/welch/sine", test_welch_sine);
  g_test_add_func ("/spectral/welch/detrend", test_welch_detrend);
  g_test_add_func ("/spectral/welch/bad-input", test_welch_bad_input);
  g_test_add_func ("/spectral/welch/constant", test_welch_constant);
  g_test_add_func ("/spectral/spectrogram/scipy", test_spectrogram_scipy);
  g_test_add_func ("/spectral/spectrogram/mean-is-welch", test_spectrogram_mean_is_welch);
  g_test_add_func ("/spectral/spectrogram/bad-input", test_spectrogram_bad_input);
  g_test_add_func ("/spectral/morlet/kernel", test_morlet_kernel);
  g_test_add_func ("/spectral/morlet/freqs", test_morlet_freqs);
  g_test_add_func ("/spectral/morlet/psd-reference", test_morlet_psd_reference);
  g_test_add_func ("/spectral/morlet/threads", test_morlet_threads);
  g_test_add_func ("/spectral/morlet/sine", test_morlet_sine);
  g_test_add_func ("/spectral/morlet/bad-input", test_morlet_bad_input);
  return g_test_run ();
}
