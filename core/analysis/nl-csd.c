/* nl-csd.c — NetPyNE's CSD and its Butterworth band-pass (see nl-csd.h).
 *
 * The filter design follows scipy 1.10's iirfilter → buttap, lp2bp_zpk / lp2hp_zpk,
 * bilinear_zpk, then zpk2sos with 'nearest' pairing, step by step. Complex arithmetic is done
 * the way numpy does it (its division multiplies by a reciprocal; C's does not), so that the
 * coefficients agree with scipy's to the last bit or two: poles at 0.05 Hz sit 3·10⁻⁴ from
 * the unit circle, where every bit of a coefficient shows in the output. */

#include "nl-csd.h"

#include <complex.h>
#include <float.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

typedef double complex cplx;

void
nl_csd_options_init (NlCsdOptions *opts)
{
  *opts = (NlCsdOptions) {
    .filter = TRUE, .min_freq = 0.05, .max_freq = 300, .order = 4,
    .vaknin = TRUE, .norm = FALSE, .spacing_um = 100,
  };
}

/* ---- numpy's complex arithmetic -------------------------------------------------------- */

static cplx
cmul (cplx a, cplx b)
{
  double ar = creal (a), ai = cimag (a), br = creal (b), bi = cimag (b);

  return CMPLX (ar * br - ai * bi, ar * bi + ai * br);
}

/* numpy's CDOUBLE_divide (Smith's method). */
static cplx
cdiv (cplx a, cplx b)
{
  double ar = creal (a), ai = cimag (a), br = creal (b), bi = cimag (b);

  if (fabs (br) >= fabs (bi))
    {
      double rat = bi / br, scl = 1.0 / (br + bi * rat);
      return CMPLX ((ar + ai * rat) * scl, (ai - ar * rat) * scl);
    }
  else
    {
      double rat = br / bi, scl = 1.0 / (bi + br * rat);
      return CMPLX ((ar * rat + ai) * scl, (ai * rat - ar) * scl);
    }
}

static cplx
cadd (cplx a, cplx b)
{
  return CMPLX (creal (a) + creal (b), cimag (a) + cimag (b));
}

static cplx
csub (cplx a, cplx b)
{
  return CMPLX (creal (a) - creal (b), cimag (a) - cimag (b));
}

static gboolean
is_real (cplx z)
{
  return cimag (z) == 0;
}

/* ---- design --------------------------------------------------------------------------- */

/* The digital filter's zeros, poles (np of each) and gain. */
typedef struct {
  cplx   z[2 * NL_CSD_MAX_ORDER + 2];
  cplx   p[2 * NL_CSD_MAX_ORDER + 2];
  guint  nz, np;
  double k;
} Zpk;

/* buttap: poles −exp(iπm/(2N)), m = −N+1, −N+3, …, N−1; no zeros, gain 1. */
static void
buttap (guint order, cplx *p)
{
  for (guint i = 0; i < order; i++)
    {
      double m = -(double) order + 1 + 2.0 * i;
      double theta = (G_PI * m) * (1.0 / (2.0 * order));
      p[i] = CMPLX (-cos (theta), -sin (theta));
    }
}

/* Band-pass (lo < hi, both as fractions of Nyquist): lp2bp_zpk then bilinear_zpk, fs = 2. */
static void
design_band (guint order, double lo, double hi, Zpk *d)
{
  const double fs2 = 4.0;
  cplx proto[NL_CSD_MAX_ORDER], prod = 1;
  double w0 = 4.0 * tan (G_PI * lo / 2.0), w1 = 4.0 * tan (G_PI * hi / 2.0);
  double bw = w1 - w0, wo = sqrt (w0 * w1), k;

  buttap (order, proto);
  for (guint i = 0; i < order; i++)
    {
      cplx pl = CMPLX (creal (proto[i]) * bw * 0.5, cimag (proto[i]) * bw * 0.5);
      double r = creal (pl), im = cimag (pl);
      cplx sq = CMPLX ((r * r - im * im) - wo * wo, (r * im + im * r) - 0.0);
      cplx s = csqrt (sq);
      d->p[i] = cadd (pl, s);
      d->p[order + i] = csub (pl, s);
    }
  d->np = 2 * order;
  k = pow (bw, order);
  /* Bilinear: zeros at 0 map to +1, the `order` zeros at infinity to −1. */
  for (guint i = 0; i < d->np; i++)
    {
      prod = cmul (prod, csub (fs2, d->p[i]));
      d->p[i] = cdiv (cadd (fs2, d->p[i]), csub (fs2, d->p[i]));
    }
  d->nz = 2 * order;
  for (guint i = 0; i < order; i++)
    {
      d->z[i] = 1;
      d->z[order + i] = -1;
    }
  d->k = k * creal (cdiv (pow (fs2, order), prod));
}

/* High-pass at `lo` (fraction of Nyquist): lp2hp_zpk then bilinear_zpk. */
static void
design_high (guint order, double lo, Zpk *d)
{
  const double fs2 = 4.0;
  cplx proto[NL_CSD_MAX_ORDER], pneg = 1, prod = 1;
  double wo = 4.0 * tan (G_PI * lo / 2.0), k;

  buttap (order, proto);
  for (guint i = 0; i < order; i++)
    {
      pneg = cmul (pneg, -proto[i]);
      d->p[i] = cdiv (wo, proto[i]);
    }
  k = creal (cdiv (1.0, pneg));
  d->np = d->nz = order;
  for (guint i = 0; i < order; i++)
    {
      prod = cmul (prod, csub (fs2, d->p[i]));
      d->p[i] = cdiv (cadd (fs2, d->p[i]), csub (fs2, d->p[i]));
      d->z[i] = 1;  /* (4 + 0) / (4 − 0) */
    }
  d->k = k * creal (cdiv (pow (fs2, order), prod));
}

/* ---- zpk2sos, 'nearest' pairing ------------------------------------------------------- */

/* scipy's _cplxreal: the complex values with positive imaginary part, then the real ones,
 * each group sorted by real part (then |imag|). Butterworth roots come in exact conjugate
 * pairs, so the average scipy takes of each pair is the root itself. */
static guint
cplxreal (cplx *v, guint n)
{
  cplx out[2 * NL_CSD_MAX_ORDER + 2];
  guint m = 0;

  for (int pass = 0; pass < 2; pass++)
    {
      guint first = m;
      for (guint i = 0; i < n; i++)
        {
          double tol = 100 * DBL_EPSILON * cabs (v[i]);
          gboolean real = fabs (cimag (v[i])) <= tol;
          if (pass == 0 && !real && cimag (v[i]) > 0)
            out[m++] = v[i];
          else if (pass == 1 && real)
            out[m++] = CMPLX (creal (v[i]), 0);
        }
      /* Insertion sort by (real, |imag|), stable as numpy's lexsort. */
      for (guint i = first + 1; i < m; i++)
        for (guint j = i; j > first; j--)
          {
            cplx a = out[j - 1], b = out[j];
            if (creal (a) > creal (b)
                || (creal (a) == creal (b) && fabs (cimag (a)) > fabs (cimag (b))))
              out[j - 1] = b, out[j] = a;
            else
              break;
          }
    }
  memcpy (v, out, m * sizeof (cplx));
  return m;
}

static guint
take (cplx *v, guint *n, guint i)
{
  memmove (v + i, v + i + 1, (*n - i - 1) * sizeof (cplx));
  (*n)--;
  return i;
}

/* argmin |1 − |p||, first on ties; only the real ones when real_only. */
static int
idx_worst (const cplx *p, guint n, gboolean real_only)
{
  int best = -1;

  for (guint i = 0; i < n; i++)
    if ((!real_only || is_real (p[i]))
        && (best < 0 || fabs (1 - cabs (p[i])) < fabs (1 - cabs (p[best]))))
      best = i;
  return best;
}

/* The zero nearest to `to` (any, or real only). */
static int
idx_nearest (const cplx *z, guint n, cplx to, gboolean real_only)
{
  int best = -1;

  for (guint i = 0; i < n; i++)
    if ((!real_only || is_real (z[i]))
        && (best < 0 || cabs (csub (z[i], to)) < cabs (csub (z[best], to))))
      best = i;
  return best;
}

/* numpy.poly of two roots: [1, −r2 + −r1, (−r1)·(−r2)], real parts. */
static void
poly2 (cplx r1, cplx r2, double *c)
{
  c[0] = 1;
  c[1] = creal (cadd (-r2, -r1));
  c[2] = creal (cmul (-r1, -r2));
}

static guint
zpk2sos (Zpk *d, double *sos)
{
  cplx *z = d->z, *p = d->p;
  guint nz = d->nz, np = d->np, n_sections;

  /* 'nearest' pads an odd count with a pole and a zero at 0. */
  n_sections = (MAX (np, nz) + 1) / 2;
  if (np % 2 == 1)
    p[np++] = 0, z[nz++] = 0;
  nz = cplxreal (z, nz);
  np = cplxreal (p, np);

  for (int si = (int) n_sections - 1; si >= 0; si--)
    {
      double *s = sos + 6 * si;
      cplx p1, p2, z1, z2;
      int i;

      i = idx_worst (p, np, FALSE);
      p1 = p[i];
      take (p, &np, i);
      if (is_real (p1) && idx_worst (p, np, TRUE) < 0)
        {
          /* The one real pole left: paired with a pole at 0, and a real zero with a zero at 0. */
          i = idx_nearest (z, nz, p1, TRUE);
          z1 = z[i];
          take (z, &nz, i);
          poly2 (z1, 0, s);
          poly2 (p1, 0, s + 3);
          continue;
        }
      if (is_real (p1))
        {
          i = idx_worst (p, np, TRUE);
          p2 = p[i];
          take (p, &np, i);
        }
      else
        p2 = conj (p1);
      /* Butterworth zeros are real (±1, 0): the nearest, then the nearest real one. */
      i = idx_nearest (z, nz, p1, FALSE);
      z1 = z[i];
      take (z, &nz, i);
      if (!is_real (z1))
        z2 = conj (z1);
      else
        {
          i = idx_nearest (z, nz, p1, TRUE);
          z2 = z[i];
          take (z, &nz, i);
        }
      poly2 (z1, z2, s);
      poly2 (p1, p2, s + 3);
    }
  for (int j = 0; j < 3; j++)
    sos[j] *= d->k;
  return n_sections;
}

double *
nl_csd_filter_sos (double min_freq, double max_freq, double fs, guint order,
                   guint *n_sections, gboolean *is_highpass, GError **error)
{
  double fe = 0.5 * fs, lo = min_freq / fe, hi = max_freq / fe, *sos;
  gboolean high;
  Zpk d;

  *n_sections = 0;
  if (!isfinite (fs) || fs <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD filter: sampling rate %g Hz: expected a finite rate > 0", fs);
      return NULL;
    }
  if (order < 1 || order > NL_CSD_MAX_ORDER)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD filter: order %u: expected 1 to %d (NetPyNE uses 4)", order,
                   NL_CSD_MAX_ORDER);
      return NULL;
    }
  if (!isfinite (min_freq) || !isfinite (max_freq) || min_freq <= 0 || max_freq <= min_freq)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD filter: band %g–%g Hz: expected 0 < low < high", min_freq, max_freq);
      return NULL;
    }
  if (lo >= 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD filter: low corner %g Hz is at or above Nyquist (%g Hz); use a "
                   "lower corner or a higher sampling rate", min_freq, fe);
      return NULL;
    }
  /* NetPyNE: an upper corner at or above Nyquist turns the band-pass into a high-pass. */
  high = hi - 1.0 > -1e-6;
  memset (&d, 0, sizeof d);
  if (high)
    design_high (order, lo, &d);
  else
    design_band (order, lo, hi, &d);
  sos = g_new0 (double, 6 * ((MAX (d.np, d.nz) + 1) / 2));
  *n_sections = zpk2sos (&d, sos);
  if (is_highpass)
    *is_highpass = high;
  return sos;
}

/* ---- filtering ------------------------------------------------------------------------ */

void
nl_csd_sosfilt (const double *sos, guint n_sections, double *x, gsize n)
{
  double zi[2 * NL_CSD_MAX_ORDER + 2] = { 0 };

  g_return_if_fail (n_sections <= NL_CSD_MAX_ORDER + 1);
  for (gsize t = 0; t < n; t++)
    {
      double cur = x[t];
      for (guint s = 0; s < n_sections; s++)
        {
          const double *c = sos + 6 * s;
          double y = c[0] * cur + zi[2 * s];
          zi[2 * s] = c[1] * cur - c[4] * y + zi[2 * s + 1];
          zi[2 * s + 1] = c[2] * cur - c[5] * y;
          cur = y;
        }
      x[t] = cur;
    }
}

static void
reverse (double *x, gsize n)
{
  for (gsize i = 0; i < n / 2; i++)
    {
      double t = x[i];
      x[i] = x[n - 1 - i];
      x[n - 1 - i] = t;
    }
}

void
nl_csd_filtfilt (const double *sos, guint n_sections, double *x, gsize n)
{
  nl_csd_sosfilt (sos, n_sections, x, n);
  reverse (x, n);
  nl_csd_sosfilt (sos, n_sections, x, n);
  reverse (x, n);
}

/* ---- CSD ------------------------------------------------------------------------------ */

double
nl_csd_spacing_um (const double *xyz, guint n, GError **error)
{
  double lo = INFINITY, hi = -INFINITY, s;

  for (guint i = 0; i < n; i++)
    {
      lo = MIN (lo, xyz[3 * i + 1]);
      hi = MAX (hi, xyz[3 * i + 1]);
    }
  s = n >= 2 ? (hi - lo) / (n - 1) : NAN;
  if (!(isfinite (s) && s > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD: cannot take the electrode spacing from %u electrode(s) spanning "
                   "%g µm in y; give the spacing explicitly", n, n ? hi - lo : 0.0);
      return NAN;
    }
  return s;
}

double *
nl_csd (const double *lfp, gsize n_times, guint n_channels, double fs,
        const NlCsdOptions *opts, guint *n_out, GError **error)
{
  NlCsdOptions defaults;
  g_autofree double *sos = NULL;
  double *band, *out, h2;
  guint n_sec = 0, rows, no;

  nl_csd_options_init (&defaults);
  if (!opts)
    opts = &defaults;
  *n_out = 0;
  if (n_times == 0 || !lfp)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "CSD: the LFP has no samples");
      return NULL;
    }
  if (n_channels < (opts->vaknin ? 1u : 3u))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD: %u channel(s): a second difference needs at least 3%s", n_channels,
                   opts->vaknin ? "" : " (or Vaknin's correction, which adds two)");
      return NULL;
    }
  if (!isfinite (opts->spacing_um) || opts->spacing_um <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD: electrode spacing %g µm: expected a finite value > 0",
                   opts->spacing_um);
      return NULL;
    }
  if (!isfinite (fs) || fs <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD: sampling rate %g Hz: expected a finite rate > 0", fs);
      return NULL;
    }
  if (n_times > G_MAXSIZE / sizeof (double) / (n_channels + 2))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "CSD: %" G_GSIZE_FORMAT " samples × %u channels is too large", n_times,
                   n_channels);
      return NULL;
    }
  for (gsize i = 0; i < n_times * n_channels; i++)
    if (!isfinite (lfp[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "CSD: LFP sample %" G_GSIZE_FORMAT " of channel %u is %s; expected "
                     "finite values", i / n_channels, (guint) (i % n_channels),
                     isnan (lfp[i]) ? "NaN" : "infinite");
        return NULL;
      }
  if (opts->filter
      && !(sos = nl_csd_filter_sos (opts->min_freq, opts->max_freq, fs, opts->order, &n_sec,
                                    NULL, error)))
    return NULL;

  /* Channel-major rows, with room for the two Vaknin edge rows. */
  rows = n_channels + (opts->vaknin ? 2 : 0);
  band = g_try_malloc_n ((gsize) rows * n_times, sizeof (double));
  if (!band)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "CSD: not enough memory for %u × %" G_GSIZE_FORMAT " samples", rows, n_times);
      return NULL;
    }
  for (guint c = 0; c < n_channels; c++)
    {
      double *row = band + (gsize) (c + (opts->vaknin ? 1 : 0)) * n_times;
      for (gsize t = 0; t < n_times; t++)
        row[t] = lfp[t * n_channels + c];
      if (sos)
        nl_csd_filtfilt (sos, n_sec, row, n_times);
    }
  if (opts->vaknin)
    {
      memcpy (band, band + n_times, n_times * sizeof (double));
      memcpy (band + (gsize) (rows - 1) * n_times, band + (gsize) (rows - 2) * n_times,
              n_times * sizeof (double));
    }
  if (opts->norm)
    for (gsize t = 0; t < n_times; t++)
      {
        double m = 0;
        for (guint r = 0; r < rows; r++)
          m += band[(gsize) r * n_times + t];
        m /= rows;
        for (guint r = 0; r < rows; r++)
          band[(gsize) r * n_times + t] -= m;
      }

  /* numpy: −diff(x, n=2) / spacing_mm**2, diff of the diff. */
  no = rows - 2;
  h2 = (opts->spacing_um / 1000) * (opts->spacing_um / 1000);
  out = g_try_malloc_n ((gsize) no * n_times, sizeof (double));
  if (!out)
    {
      g_free (band);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "CSD: not enough memory for %u × %" G_GSIZE_FORMAT " samples", no, n_times);
      return NULL;
    }
  for (guint c = 0; c < no; c++)
    {
      const double *a = band + (gsize) c * n_times, *b = a + n_times, *d = b + n_times;
      for (gsize t = 0; t < n_times; t++)
        out[t * no + c] = -((d[t] - b[t]) - (b[t] - a[t])) / h2;
    }
  g_free (band);
  *n_out = no;
  return out;
}
