/* nl-spectral.c — Welch PSD, FFT spectrogram and Morlet wavelets with NetPyNE's definitions
 * (see nl-spectral.h).
 *
 * The numbers follow the Python code NetPyNE runs (matplotlib.mlab.psd, scipy's spectrogram,
 * netpyne/support/morlet.py) down to the order of some floating-point operations where that
 * order decides the last bits of a result, e.g. numpy.arange's way of filling a range; such
 * places are marked "numpy:". */

#include "nl-spectral.h"

#include <fftw3.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* FFTW's planner keeps global state; only fftw_execute* may run concurrently. */
static GMutex plan_lock;

void
nl_spectral_fftw_lock (void)
{
  g_mutex_lock (&plan_lock);
}

void
nl_spectral_fftw_unlock (void)
{
  g_mutex_unlock (&plan_lock);
}

static void
plan_destroy (fftw_plan p)
{
  if (!p)
    return;
  g_mutex_lock (&plan_lock);
  fftw_destroy_plan (p);
  g_mutex_unlock (&plan_lock);
}

void
nl_spectrum_free (NlSpectrum *s)
{
  if (!s)
    return;
  g_free (s->freqs);
  g_free (s->power);
  g_free (s);
}

void
nl_time_freq_free (NlTimeFreq *tf)
{
  if (!tf)
    return;
  g_free (tf->freqs);
  g_free (tf->times);
  g_free (tf->power);
  g_free (tf);
}

void
nl_spectral_options_init_welch (NlSpectralOptions *opts)
{
  *opts = (NlSpectralOptions) {
    .nperseg = 256, .nfft = 256, .noverlap = 128,
    .window = NL_WINDOW_HANN, .detrend = NL_DETREND_NONE, .max_freq = 0,
  };
}

void
nl_spectral_options_init_spectrogram (NlSpectralOptions *opts)
{
  nl_spectral_options_init_welch (opts);
  opts->window = NL_WINDOW_HANN_PERIODIC;
}

void
nl_morlet_options_init (NlMorletOptions *opts)
{
  *opts = (NlMorletOptions) { .width = 7.0, .n_threads = 0 };
}

void
nl_spectral_db (double *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    values[i] = 10.0 * log10 (values[i]);
}

/* ---- checks -------------------------------------------------------------------------- */

static gboolean
check_signal (const char *what, const double *x, gsize n, double fs, GError **error)
{
  if (n == 0 || !x)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: the signal has no samples", what);
      return FALSE;
    }
  if (!isfinite (fs) || fs <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: sampling rate %g Hz: expected a finite rate > 0", what, fs);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (x[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: sample %" G_GSIZE_FORMAT " is %s; expected finite values "
                     "(interpolate or cut out the gap first)", what, i,
                     isnan (x[i]) ? "NaN" : "infinite");
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_segments (const char *what, const NlSpectralOptions *o, guint *nfft, GError **error)
{
  *nfft = o->nfft ? o->nfft : o->nperseg;
  if (o->nperseg == 0 || o->nperseg > NL_SPECTRAL_MAX_FFT || *nfft > NL_SPECTRAL_MAX_FFT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: segment length %u, FFT length %u: expected 1 to %u samples",
                   what, o->nperseg, *nfft, NL_SPECTRAL_MAX_FFT);
      return FALSE;
    }
  if (*nfft < o->nperseg)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: FFT length %u is shorter than the segment length %u; expected "
                   "nfft >= nperseg", what, *nfft, o->nperseg);
      return FALSE;
    }
  if (o->noverlap >= o->nperseg)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: overlap %u must be less than the segment length %u",
                   what, o->noverlap, o->nperseg);
      return FALSE;
    }
  if (!(o->max_freq >= 0) || isinf (o->max_freq))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: maximum frequency %g: expected 0 (all) or a positive number",
                   what, o->max_freq);
      return FALSE;
    }
  if ((guint) o->window > NL_WINDOW_BOXCAR || (guint) o->detrend > NL_DETREND_LINEAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown window or detrend kind", what);
      return FALSE;
    }
  return TRUE;
}

/* ---- windows and detrending ---------------------------------------------------------- */

static void
make_window (NlWindowKind kind, guint m, double *w)
{
  switch (kind)
    {
    case NL_WINDOW_HANN:
      /* numpy.hanning: 0.5 + 0.5·cos(π·k/(M−1)), k = 1−M, 3−M, …, M−1. */
      if (m == 1)
        w[0] = 1;
      else
        for (guint i = 0; i < m; i++)
          w[i] = 0.5 + 0.5 * cos (G_PI * (double) (2 * (gint64) i + 1 - (gint64) m) / (m - 1));
      break;
    case NL_WINDOW_HANN_PERIODIC:
      /* scipy: the first M of M+1 symmetric points, cosines at linspace(−π, π, M+1). */
      for (guint i = 0; i < m; i++)
        w[i] = 0.5 + 0.5 * cos (i * (2 * G_PI / m) + -G_PI);
      break;
    case NL_WINDOW_BOXCAR:
    default:
      for (guint i = 0; i < m; i++)
        w[i] = 1;
      break;
    }
}

static void
detrend_inplace (NlDetrend kind, double *s, gsize m)
{
  double mean = 0;

  if (kind == NL_DETREND_NONE || m == 0)
    return;
  for (gsize i = 0; i < m; i++)
    mean += s[i];
  mean /= m;
  if (kind == NL_DETREND_MEAN || m == 1)
    {
      for (gsize i = 0; i < m; i++)
        s[i] -= mean;
      return;
    }
  /* Least-squares line against the sample index, centred for accuracy. */
  double ic = (m - 1) / 2.0, sxy = 0, sxx = 0, b;
  for (gsize i = 0; i < m; i++)
    {
      double d = i - ic;
      sxy += d * (s[i] - mean);
      sxx += d * d;
    }
  b = sxy / sxx;
  for (gsize i = 0; i < m; i++)
    s[i] -= mean + b * (i - ic);
}

/* numpy.fft.fftfreq / rfftfreq: k · (1 / (n · (1/fs))). */
static double
fft_freq (guint k, guint nfft, double fs)
{
  return k * (1.0 / (nfft * (1.0 / fs)));
}

/* Frequencies kept: k = 0 … n_freqs−1 with f < max_freq (all when max_freq is 0). */
static guint
kept_freqs (guint n_freqs, guint nfft, double fs, double max_freq)
{
  guint k = n_freqs;

  if (max_freq > 0)
    for (k = 0; k < n_freqs && fft_freq (k, nfft, fs) < max_freq; k++)
      ;
  return k;
}

/* ---- segment periodograms ------------------------------------------------------------ */

typedef struct {
  guint         nperseg, nfft, n_freqs;
  NlDetrend     detrend;
  double       *w;
  double       *in;
  fftw_complex *out;
  fftw_plan     plan;
} Periodogram;

static void
periodogram_init (Periodogram *pg, guint nperseg, guint nfft, NlWindowKind window,
                  NlDetrend detrend)
{
  pg->nperseg = nperseg;
  pg->nfft = nfft;
  pg->n_freqs = nfft / 2 + 1;
  pg->detrend = detrend;
  pg->w = g_new (double, nperseg);
  make_window (window, nperseg, pg->w);
  pg->in = fftw_alloc_real (nfft);
  pg->out = fftw_alloc_complex (pg->n_freqs);
  g_mutex_lock (&plan_lock);
  pg->plan = fftw_plan_dft_r2c_1d ((int) nfft, pg->in, pg->out, FFTW_ESTIMATE);
  g_mutex_unlock (&plan_lock);
}

static void
periodogram_clear (Periodogram *pg)
{
  plan_destroy (pg->plan);
  fftw_free (pg->in);
  fftw_free (pg->out);
  g_free (pg->w);
}

/* |FFT|² of one detrended, windowed, zero-padded segment, into pg->out[k][0]. */
static void
periodogram_run (Periodogram *pg, const double *seg)
{
  memcpy (pg->in, seg, pg->nperseg * sizeof (double));
  detrend_inplace (pg->detrend, pg->in, pg->nperseg);
  for (guint i = 0; i < pg->nperseg; i++)
    pg->in[i] *= pg->w[i];
  memset (pg->in + pg->nperseg, 0, (pg->nfft - pg->nperseg) * sizeof (double));
  fftw_execute (pg->plan);
  for (guint k = 0; k < pg->n_freqs; k++)
    pg->out[k][0] = pg->out[k][0] * pg->out[k][0] + pg->out[k][1] * pg->out[k][1];
}

static double
window_power (const Periodogram *pg)
{
  double s = 0;

  for (guint i = 0; i < pg->nperseg; i++)
    s += pg->w[i] * pg->w[i];
  return s;
}

NlSpectrum *
nl_psd_welch (const double *x, gsize n, double fs, const NlSpectralOptions *opts,
              GError **error)
{
  NlSpectralOptions defaults;
  Periodogram pg;
  g_autofree double *padded = NULL;
  double *acc, scale;
  guint nfft, step, n_keep, first_single;
  gsize n_seg, n_eff;
  NlSpectrum *s;

  nl_spectral_options_init_welch (&defaults);
  if (!opts)
    opts = &defaults;
  if (!check_signal ("Welch PSD", x, n, fs, error)
      || !check_segments ("Welch PSD", opts, &nfft, error))
    return NULL;
  /* mlab: a signal shorter than a segment is zero-padded to one. */
  if (n < opts->nperseg)
    {
      padded = g_new0 (double, opts->nperseg);
      memcpy (padded, x, n * sizeof (double));
      x = padded;
    }
  n_eff = MAX (n, (gsize) opts->nperseg);
  step = opts->nperseg - opts->noverlap;
  n_seg = (n_eff - opts->noverlap) / step;

  periodogram_init (&pg, opts->nperseg, nfft, opts->window, opts->detrend);
  acc = g_new0 (double, pg.n_freqs);
  for (gsize j = 0; j < n_seg; j++)
    {
      periodogram_run (&pg, x + j * step);
      for (guint k = 0; k < pg.n_freqs; k++)
        acc[k] += pg.out[k][0];
    }
  /* mlab doubles all but 0 Hz and, when the segment length (not the FFT length) is even, the
   * last bin; with nfft = nperseg that is exactly the one-sided density. */
  first_single = opts->nperseg % 2 ? pg.n_freqs : pg.n_freqs - 1;
  scale = 1.0 / (fs * window_power (&pg));
  n_keep = kept_freqs (pg.n_freqs, nfft, fs, opts->max_freq);

  s = g_new0 (NlSpectrum, 1);
  s->n = n_keep;
  s->n_segments = n_seg;
  s->freqs = g_new (double, MAX (n_keep, 1));
  s->power = g_new (double, MAX (n_keep, 1));
  for (guint k = 0; k < n_keep; k++)
    {
      double p = acc[k] / n_seg;

      if (k > 0 && k < first_single)
        p *= 2;
      s->freqs[k] = fft_freq (k, nfft, fs);
      s->power[k] = p * scale;
    }
  g_free (acc);
  periodogram_clear (&pg);
  return s;
}

NlTimeFreq *
nl_spectrogram (const double *x, gsize n, double fs, const NlSpectralOptions *opts,
                GError **error)
{
  NlSpectralOptions defaults, o;
  Periodogram pg;
  double scale;
  guint nfft, step, n_keep, last_double;
  gsize n_seg;
  NlTimeFreq *tf;

  nl_spectral_options_init_spectrogram (&defaults);
  if (!opts)
    opts = &defaults;
  if (!check_signal ("spectrogram", x, n, fs, error)
      || !check_segments ("spectrogram", opts, &nfft, error))
    return NULL;
  o = *opts;
  /* scipy: a signal shorter than a segment shrinks the segment (and its window) to it. */
  if (n < o.nperseg)
    {
      o.nperseg = n;
      if (o.noverlap >= o.nperseg)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "spectrogram: the signal (%" G_GSIZE_FORMAT " samples) is shorter "
                       "than the overlap (%u); use a smaller overlap", n, o.noverlap);
          return NULL;
        }
    }
  step = o.nperseg - o.noverlap;
  n_seg = (n - o.noverlap) / step;
  if ((double) n_seg * (nfft / 2 + 1) * sizeof (double) > (double) G_MAXSSIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "spectrogram: %" G_GSIZE_FORMAT " segments × %u frequencies do not fit "
                   "in memory; use a larger step", n_seg, nfft / 2 + 1);
      return NULL;
    }

  periodogram_init (&pg, o.nperseg, nfft, o.window, o.detrend);
  scale = 1.0 / (fs * window_power (&pg));
  /* scipy doubles all bins but 0 Hz and, for an even FFT length, Nyquist. */
  last_double = nfft % 2 ? pg.n_freqs : pg.n_freqs - 1;
  n_keep = kept_freqs (pg.n_freqs, nfft, fs, o.max_freq);

  tf = g_new0 (NlTimeFreq, 1);
  tf->n_freqs = n_keep;
  tf->n_times = n_seg;
  tf->freqs = g_new (double, MAX (n_keep, 1));
  tf->times = g_new (double, MAX (n_seg, 1));
  tf->power = g_try_malloc_n (MAX (n_keep * n_seg, 1), sizeof (double));
  if (!tf->power)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "spectrogram: not enough memory for %u × %" G_GSIZE_FORMAT " values",
                   n_keep, n_seg);
      periodogram_clear (&pg);
      nl_time_freq_free (tf);
      return NULL;
    }
  for (guint k = 0; k < n_keep; k++)
    tf->freqs[k] = fft_freq (k, nfft, fs);
  for (gsize j = 0; j < n_seg; j++)
    {
      /* numpy: arange(nperseg/2, …, step) / fs; NetPyNE multiplies by 1000. */
      tf->times[j] = (o.nperseg / 2.0 + (double) j * step) / fs * 1000.0;
      periodogram_run (&pg, x + j * step);
      for (guint k = 0; k < n_keep; k++)
        {
          double p = pg.out[k][0] * scale;
          if (k > 0 && k < last_double)
            p *= 2;
          tf->power[k * n_seg + j] = p;
        }
    }
  periodogram_clear (&pg);
  return tf;
}

/* ---- Morlet --------------------------------------------------------------------------- */

/* numpy.arange(start, stop, step) for floats: n = ceil((stop − start)/step); the first two
 * values are start and start + step, the rest start + i·((start + step) − start). */
static gsize
arange_len (double start, double stop, double step)
{
  double v = ceil ((stop - start) / step);

  return v > 0 ? (gsize) v : 0;
}

static double
arange_at (double start, double step, gsize i)
{
  double second = start + step;

  if (i == 0)
    return start;
  if (i == 1)
    return second;
  return start + i * (second - start);
}

double *
nl_morlet_freqs (double fmin, double fmax, double step, gsize *n_freqs, GError **error)
{
  double v, *f;
  gsize n;

  *n_freqs = 0;
  if (!isfinite (fmin) || !isfinite (fmax) || !isfinite (step) || fmin <= 0 || fmax < fmin
      || step <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet frequencies %g to %g Hz by %g: expected 0 < fmin <= fmax and "
                   "step > 0", fmin, fmax, step);
      return NULL;
    }
  v = ceil ((fmax + 1 - fmin) / step);
  if (v > 1e6)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet frequencies %g to %g Hz by %g: %.0f frequencies, more than "
                   "10^6; use a larger step", fmin, fmax, step, v);
      return NULL;
    }
  n = arange_len (fmin, fmax + 1, step);
  f = g_new (double, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    f[i] = arange_at (fmin, step, i);
  *n_freqs = n;
  return f;
}

typedef struct {
  double st, A, w, start, dt;
  gsize  len;
} MorletShape;

static gboolean
morlet_shape (double fs, double freq, double width, MorletShape *m, GError **error)
{
  double v;

  if (!isfinite (freq) || freq <= 0 || freq > fs / 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: frequency %g Hz: expected more than 0 and at most Nyquist "
                   "(%g Hz at %g Hz sampling)", freq, fs / 2, fs);
      return FALSE;
    }
  if (!isfinite (width) || width <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: width %g cycles: expected a number > 0 (NetPyNE uses 7)", width);
      return FALSE;
    }
  /* NetPyNE: sf = f/width, st = 1/(2π·sf), t = arange(−3.5·st, 3.5·st, 1/fs). */
  m->dt = 1.0 / fs;
  m->st = 1.0 / (2.0 * G_PI * (freq / width));
  m->A = 1.0 / (m->st * sqrt (2.0 * G_PI));
  m->w = 2.0 * G_PI * freq;
  m->start = -3.5 * m->st;
  v = ceil ((3.5 * m->st - m->start) / m->dt);
  if (!(v <= NL_SPECTRAL_MAX_FFT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: the wavelet for %g Hz (width %g) has %.0f samples, more than "
                   "%u; use a higher frequency or a narrower wavelet", freq, width, v,
                   NL_SPECTRAL_MAX_FFT);
      return FALSE;
    }
  m->len = v > 0 ? (gsize) v : 0;
  if (m->len < 2)
    {
      /* NetPyNE's slicing needs two samples; with one it fails. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: the wavelet for %g Hz (width %g) has fewer than 2 samples at "
                   "%g Hz; use a wider wavelet", freq, width, fs);
      return FALSE;
    }
  return TRUE;
}

/* Sample i of the wavelet, as numpy evaluates A·exp(−t²/(2σ²))·exp(1j·2π·f·t). */
static void
morlet_sample (const MorletShape *m, gsize i, double *re, double *im)
{
  double t = arange_at (m->start, m->dt, i);
  double g = m->A * exp (-(t * t) / (2.0 * (m->st * m->st)));
  double ph = m->w * t;

  *re = g * cos (ph);
  *im = g * sin (ph);
}

double *
nl_morlet_kernel (double fs, double freq, double width, gsize *len, GError **error)
{
  MorletShape m;
  double *k;

  *len = 0;
  if (!isfinite (fs) || fs <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: sampling rate %g Hz: expected a finite rate > 0", fs);
      return NULL;
    }
  if (!morlet_shape (fs, freq, width, &m, error))
    return NULL;
  k = g_new (double, 2 * m.len);
  for (gsize i = 0; i < m.len; i++)
    morlet_sample (&m, i, &k[2 * i], &k[2 * i + 1]);
  *len = m.len;
  return k;
}

/* ---- the Morlet engine ----------------------------------------------------------------
 *
 * MorletVec convolves the whole signal with each wavelet by FFT (scipy's fftconvolve). Here
 * the convolution is by overlap-save blocks instead: a wavelet of L samples is applied in
 * blocks of B >= 4L samples (a power of two), so short wavelets use short, cache-friendly
 * transforms, and the blocks' spectra are computed once for all the wavelets that share B.
 * Long wavelets whose blocks would cover the signal anyway use a single block. */

/* The smallest length >= n whose only prime factors are 2, 3, 5, 7 (FFTW is fast there). */
static gsize
fast_fft_len (gsize n)
{
  for (;; n++)
    {
      gsize r = n;
      for (guint p = 2; p <= 7; p++)
        while (r % p == 0)
          r /= p;
      if (r == 1)
        return n;
    }
}

#define MORLET_MIN_BLOCK 1024

/* The block length for a wavelet of len samples; 0 when one block of the whole signal. */
static gsize
block_len (gsize len, gsize n)
{
  gsize b = MORLET_MIN_BLOCK;

  while (b < 4 * len)
    b *= 2;
  return b >= n + len - 1 ? 0 : b;
}

/* Wavelets sharing a block length. Output sample i of block k is the circular convolution's
 * sample D + (i − k·H) with the block starting at signal sample k·H − D; D and H suit every
 * wavelet of at most lmax samples rotated by ceil(len/2) (see morlet_one). */
typedef struct {
  gsize         B, H, D, n_blocks, half;
  fftw_complex *spectra;  /* n_blocks × (B/2 + 1): the r2c spectra of the signal's blocks */
  fftw_plan     fwd, bwd; /* in-place c2c plans of length B */
  gsize        *members;  /* frequency indices */
  gsize         n_members;
} MorletGroup;

typedef struct {
  const double *sig;      /* the detrended signal, n samples */
  gsize         n;
  double        fs;
  MorletShape  *shapes;
  double       *tfr;      /* n_freqs × n, or NULL */
  double       *psd;      /* n_freqs, or NULL */
  MorletGroup  *group;
  gint          next;
} MorletJob;

static gboolean
group_init (MorletGroup *g, const MorletJob *job, gsize B, gsize lmax)
{
  double *in;
  fftw_complex *out;
  fftw_plan r2c;

  if (B == 0)
    B = fast_fft_len (job->n + lmax - 1);
  if (B > (gsize) G_MAXINT)
    return FALSE;
  g->B = B;
  g->half = B / 2 + 1;
  g->H = B - lmax + 1;
  g->D = lmax / 2 - 1;
  g->n_blocks = (job->n + g->H - 1) / g->H;
  g->spectra = g_try_malloc_n (g->n_blocks, g->half * sizeof (fftw_complex));
  if (!g->spectra)
    return FALSE;

  in = fftw_alloc_real (B);
  out = fftw_alloc_complex (B);
  g_mutex_lock (&plan_lock);
  r2c = fftw_plan_dft_r2c_1d ((int) B, in, out, FFTW_ESTIMATE);
  g->fwd = fftw_plan_dft_1d ((int) B, out, out, FFTW_FORWARD, FFTW_ESTIMATE);
  g->bwd = fftw_plan_dft_1d ((int) B, out, out, FFTW_BACKWARD, FFTW_ESTIMATE);
  g_mutex_unlock (&plan_lock);
  for (gsize k = 0; k < g->n_blocks; k++)
    {
      gint64 q0 = (gint64) (k * g->H) - (gint64) g->D;
      for (gsize m = 0; m < B; m++)
        {
          gint64 q = q0 + (gint64) m;
          in[m] = q >= 0 && q < (gint64) job->n ? job->sig[q] : 0;
        }
      fftw_execute (r2c);
      memcpy (g->spectra + k * g->half, out, g->half * sizeof (fftw_complex));
    }
  plan_destroy (r2c);
  fftw_free (in);
  fftw_free (out);
  return TRUE;
}

static void
group_clear (MorletGroup *g)
{
  plan_destroy (g->fwd);
  plan_destroy (g->bwd);
  g_free (g->spectra);
  g_free (g->members);
}

static void
morlet_one (MorletJob *job, gsize j, fftw_complex *kern, fftw_complex *buf)
{
  const MorletGroup *g = job->group;
  const MorletShape *m = &job->shapes[j];
  gsize B = g->B, lower = (m->len + 1) / 2;
  /* (2·|y/B|/fs)² without a square root: FFTW's inverse is unnormalised. */
  double scale = 4.0 / ((job->fs * (double) B) * (job->fs * (double) B)), sum = 0;
  double *row = job->tfr ? job->tfr + j * job->n : NULL;

  /* The wavelet rotated by ceil(len/2), MorletVec's slice: the circular convolution's sample
   * D + t is then full-convolution sample q0 + D + t + ceil(len/2), i.e. output q0 + D + t. */
  memset (kern, 0, B * sizeof (fftw_complex));
  for (gsize i = 0; i < m->len; i++)
    {
      gsize at = (i + B - lower) % B;
      morlet_sample (m, i, &kern[at][0], &kern[at][1]);
    }
  fftw_execute_dft (g->fwd, kern, kern);

  for (gsize k = 0; k < g->n_blocks; k++)
    {
      const fftw_complex *s = g->spectra + k * g->half;
      gsize first = k * g->H, count = MIN (g->H, job->n - first);

      for (gsize f = 0; f < B; f++)
        {
          /* The block is real: its spectrum above B/2 is the conjugate mirror. */
          double sr, si, kr = kern[f][0], ki = kern[f][1];
          if (f < g->half)
            sr = s[f][0], si = s[f][1];
          else
            sr = s[B - f][0], si = -s[B - f][1];
          buf[f][0] = sr * kr - si * ki;
          buf[f][1] = sr * ki + si * kr;
        }
      fftw_execute_dft (g->bwd, buf, buf);
      for (gsize t = 0; t < count; t++)
        {
          const double *y = buf[g->D + t];
          double p = (y[0] * y[0] + y[1] * y[1]) * scale;
          if (row)
            row[first + t] = p;
          sum += p;
        }
    }
  if (job->psd)
    job->psd[j] = sum / job->n;
}

static gpointer
morlet_worker (gpointer data)
{
  MorletJob *job = data;
  const MorletGroup *g = job->group;
  fftw_complex *kern = fftw_alloc_complex (g->B), *buf = fftw_alloc_complex (g->B);
  gint i;

  while ((i = g_atomic_int_add (&job->next, 1)) < (gint) g->n_members)
    morlet_one (job, g->members[i], kern, buf);
  fftw_free (kern);
  fftw_free (buf);
  return NULL;
}

/* Fills tfr (n_freqs × n) and/or psd (n_freqs). */
static gboolean
morlet_run (const double *x, gsize n, double fs, const double *freqs, gsize n_freqs,
            const NlMorletOptions *opts, double *tfr, double *psd, GError **error)
{
  NlMorletOptions defaults;
  MorletJob job = { .n = n, .fs = fs, .tfr = tfr, .psd = psd };
  g_autofree gsize *blen = NULL;
  g_autofree gboolean *done = NULL;
  double *sig, mean = 0;
  gboolean ok = TRUE;
  guint n_threads;

  nl_morlet_options_init (&defaults);
  if (!opts)
    opts = &defaults;
  if (n_freqs == 0 || !freqs)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: no frequencies given");
      return FALSE;
    }
  if (n_freqs > G_MAXINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Morlet: %" G_GSIZE_FORMAT " frequencies are too many", n_freqs);
      return FALSE;
    }
  job.shapes = g_new (MorletShape, n_freqs);
  blen = g_new (gsize, n_freqs);
  for (gsize j = 0; j < n_freqs; j++)
    {
      if (!morlet_shape (fs, freqs[j], opts->width, &job.shapes[j], error))
        {
          g_free (job.shapes);
          return FALSE;
        }
      blen[j] = block_len (job.shapes[j].len, n);
    }

  /* MorletSpec.transform: subtract the mean, then scipy.signal.detrend (linear). */
  sig = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    mean += x[i];
  mean /= n;
  for (gsize i = 0; i < n; i++)
    sig[i] = x[i] - mean;
  detrend_inplace (NL_DETREND_LINEAR, sig, n);
  job.sig = sig;

  n_threads = opts->n_threads ? opts->n_threads : g_get_num_processors ();
  n_threads = MAX (n_threads, 1u);
  done = g_new0 (gboolean, n_freqs);
  for (gsize j0 = 0; j0 < n_freqs && ok; j0++)
    {
      MorletGroup g = { 0 };
      gsize lmax = 0;
      guint nt;

      if (done[j0])
        continue;
      g.members = g_new (gsize, n_freqs - j0);
      for (gsize j = j0; j < n_freqs; j++)
        if (!done[j] && blen[j] == blen[j0])
          {
            done[j] = TRUE;
            g.members[g.n_members++] = j;
            lmax = MAX (lmax, job.shapes[j].len);
          }
      if (!group_init (&g, &job, blen[j0], lmax))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "Morlet: the transforms of %" G_GSIZE_FORMAT " samples do not fit in "
                       "memory; analyse a shorter stretch", n);
          group_clear (&g);
          ok = FALSE;
          break;
        }
      job.group = &g;
      job.next = 0;
      nt = (guint) MIN ((gsize) n_threads, g.n_members);
      if (nt == 1)
        morlet_worker (&job);
      else
        {
          GThread **threads = g_new (GThread *, nt);
          for (guint i = 0; i < nt; i++)
            threads[i] = g_thread_new ("nl-morlet", morlet_worker, &job);
          for (guint i = 0; i < nt; i++)
            g_thread_join (threads[i]);
          g_free (threads);
        }
      group_clear (&g);
    }

  g_free (sig);
  g_free (job.shapes);
  return ok;
}

NlTimeFreq *
nl_morlet_tfr (const double *x, gsize n, double fs, const double *freqs, gsize n_freqs,
               const NlMorletOptions *opts, GError **error)
{
  NlTimeFreq *tf;

  if (!check_signal ("Morlet", x, n, fs, error))
    return NULL;
  tf = g_new0 (NlTimeFreq, 1);
  tf->power = n_freqs ? g_try_malloc_n (n_freqs, n * sizeof (double)) : NULL;
  if (n_freqs && !tf->power)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Morlet: not enough memory for %" G_GSIZE_FORMAT " frequencies × %"
                   G_GSIZE_FORMAT " samples; use fewer frequencies or the PSD alone",
                   n_freqs, n);
      g_free (tf);
      return NULL;
    }
  if (!morlet_run (x, n, fs, freqs, n_freqs, opts, tf->power, NULL, error))
    {
      nl_time_freq_free (tf);
      return NULL;
    }
  tf->n_freqs = n_freqs;
  tf->n_times = n;
  tf->freqs = g_memdup2 (freqs, n_freqs * sizeof (double));
  tf->times = g_new (double, n);
  /* numpy.linspace(0, 1e3·n/fs, n): i·step, the last value exactly the end. */
  for (gsize i = 0; i < n; i++)
    tf->times[i] = n > 1 ? i * ((1e3 * n / fs) / (n - 1)) : 0;
  if (n > 1)
    tf->times[n - 1] = 1e3 * n / fs;
  return tf;
}

NlSpectrum *
nl_morlet_psd (const double *x, gsize n, double fs, const double *freqs, gsize n_freqs,
               const NlMorletOptions *opts, GError **error)
{
  NlSpectrum *s;

  if (!check_signal ("Morlet PSD", x, n, fs, error))
    return NULL;
  s = g_new0 (NlSpectrum, 1);
  s->power = g_new (double, MAX (n_freqs, 1));
  if (!morlet_run (x, n, fs, freqs, n_freqs, opts, NULL, s->power, error))
    {
      nl_spectrum_free (s);
      return NULL;
    }
  s->n = n_freqs;
  s->freqs = g_memdup2 (freqs, n_freqs * sizeof (double));
  return s;
}
