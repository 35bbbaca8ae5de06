/* nl-granger.c — Morf's lattice MVAR fit and Geweke's Granger measures (see nl-granger.h).
 *
 * The small L × L algebra (Cholesky, triangular and LU solves) is written out here rather
 * than taken from GSL: GSL reports a matrix that is not positive definite through its
 * global error handler, which aborts by default, and switching that off is process-wide. */

#include "nl-granger.h"
#include "nl-nte.h"
#include "nl-suggest.h"

#include <complex.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

/* A pivot smaller than this fraction of its diagonal entry means "not positive definite":
 * an exactly dependent pair of channels leaves rounding noise there, not zero. */
#define CHOL_REL_EPS 1e-12

/* ---- L × L algebra (row-major) --------------------------------------------------------- */

/* M = Lo·Loᵀ with Lo lower triangular; FALSE when M is not (numerically) positive definite. */
static gboolean
chol_lower (const double *M, double *Lo, guint L)
{
  memset (Lo, 0, sizeof (double) * L * L);
  for (guint j = 0; j < L; j++)
    {
      double d = M[j * L + j];

      for (guint k = 0; k < j; k++)
        d -= Lo[j * L + k] * Lo[j * L + k];
      if (!(d > CHOL_REL_EPS * fabs (M[j * L + j])) || !isfinite (d))
        return FALSE;
      Lo[j * L + j] = sqrt (d);
      for (guint i = j + 1; i < L; i++)
        {
          double s = M[i * L + j];

          for (guint k = 0; k < j; k++)
            s -= Lo[i * L + k] * Lo[j * L + k];
          Lo[i * L + j] = s / Lo[j * L + j];
        }
    }
  return TRUE;
}

/* X = Lo⁻¹·B (B and X L × L; X may be B). */
static void
lower_solve (const double *Lo, const double *B, double *X, guint L)
{
  for (guint c = 0; c < L; c++)
    for (guint i = 0; i < L; i++)
      {
        double s = B[i * L + c];

        for (guint k = 0; k < i; k++)
          s -= Lo[i * L + k] * X[k * L + c];
        X[i * L + c] = s / Lo[i * L + i];
      }
}

/* C = A·B, or A·Bᵀ, Aᵀ·B; C distinct from A and B. */
static void
matmul (const double *A, gboolean ta, const double *B, gboolean tb, double *C, guint L)
{
  for (guint i = 0; i < L; i++)
    for (guint j = 0; j < L; j++)
      {
        double s = 0;

        for (guint k = 0; k < L; k++)
          s += (ta ? A[k * L + i] : A[i * L + k]) * (tb ? B[j * L + k] : B[k * L + j]);
        C[i * L + j] = s;
      }
}

static void
transpose (const double *A, double *T, guint L)
{
  for (guint i = 0; i < L; i++)
    for (guint j = 0; j < L; j++)
      T[j * L + i] = A[i * L + j];
}

/* Solves A·X = B (each L × L) by LU with partial pivoting; FALSE when A is singular. */
static gboolean
lu_solve (const double *A, const double *B, double *X, guint L)
{
  g_autofree double *M = g_memdup2 (A, sizeof (double) * L * L);

  memcpy (X, B, sizeof (double) * L * L);
  for (guint k = 0; k < L; k++)
    {
      guint piv = k;

      for (guint i = k + 1; i < L; i++)
        if (fabs (M[i * L + k]) > fabs (M[piv * L + k]))
          piv = i;
      if (M[piv * L + k] == 0 || !isfinite (M[piv * L + k]))
        return FALSE;
      if (piv != k)
        for (guint j = 0; j < L; j++)
          {
            double t = M[k * L + j];
            M[k * L + j] = M[piv * L + j];
            M[piv * L + j] = t;
            t = X[k * L + j];
            X[k * L + j] = X[piv * L + j];
            X[piv * L + j] = t;
          }
      for (guint i = k + 1; i < L; i++)
        {
          double f = M[i * L + k] / M[k * L + k];

          for (guint j = k; j < L; j++)
            M[i * L + j] -= f * M[k * L + j];
          for (guint j = 0; j < L; j++)
            X[i * L + j] -= f * X[k * L + j];
        }
    }
  for (guint c = 0; c < L; c++)
    for (guint i = L; i-- > 0; )
      {
        double s = X[i * L + c];

        for (guint k = i + 1; k < L; k++)
          s -= M[i * L + k] * X[k * L + c];
        X[i * L + c] = s / M[i * L + i];
      }
  return TRUE;
}

/* ---- Morf's lattice -------------------------------------------------------------------- */

/* Σ_t u[t]·v[t] with four partial sums (the compiler may not reorder a double sum). */
static double
dot (const double *restrict u, const double *restrict v, gsize n)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  gsize t = 0;

  for (; t + 4 <= n; t += 4)
    {
      s0 += u[t] * v[t];
      s1 += u[t + 1] * v[t + 1];
      s2 += u[t + 2] * v[t + 2];
      s3 += u[t + 3] * v[t + 3];
    }
  for (; t < n; t++)
    s0 += u[t] * v[t];
  return (s0 + s1) + (s2 + s3);
}

static void
axpy (double *restrict y, const double *restrict x, double a, gsize n)
{
  for (gsize t = 0; t < n; t++)
    y[t] += a * x[t];
}

/* y += a·x + b·z: two channels per pass over y. */
static void
axpy2 (double *restrict y, const double *restrict x, double a, const double *restrict z,
       double b, gsize n)
{
  for (gsize t = 0; t < n; t++)
    y[t] += a * x[t] + b * z[t];
}

/* Samples per block of the error pass: the block's errors stay in the cache. */
#define BLOCK 1024

/* Forward and backward prediction-error covariances of the current lattice filters a_0 … a_{k−1}
 * and b_0 … b_{k−1} over the data x (L channels × n samples, channel-major):
 *   ef_t = Σ_i a_i x_{t−i},  eb_t = Σ_i b_{k−1−i} x_{t−1−i},  t = k … n−1,
 *   pf = Σ ef efᵀ, pb = Σ eb ebᵀ, pfb = Σ ef ebᵀ.
 * `ef` and `eb` are L × BLOCK scratch. */
static void
error_covariances (const double *x, gsize n, guint L, const double *a, const double *b,
                   guint k, double *pf, double *pb, double *pfb, double *ef, double *eb)
{
  guint LL = L * L;

  memset (pf, 0, sizeof (double) * LL);
  memset (pb, 0, sizeof (double) * LL);
  memset (pfb, 0, sizeof (double) * LL);
  for (gsize t0 = k; t0 < n; t0 += BLOCK)
    {
      gsize len = MIN (BLOCK, n - t0);

      memset (ef, 0, sizeof (double) * L * BLOCK);
      memset (eb, 0, sizeof (double) * L * BLOCK);
      for (guint i = 0; i < k; i++)
        {
          const double *ai = a + (gsize) i * LL, *bi = b + (gsize) (k - 1 - i) * LL;

          for (guint r = 0; r < L; r++)
            {
              double *efr = ef + (gsize) r * BLOCK, *ebr = eb + (gsize) r * BLOCK;
              guint c = 0;

              for (; c + 1 < L; c += 2)
                {
                  const double *xc = x + (gsize) c * n + t0, *xd = xc + n;

                  axpy2 (efr, xc - i, ai[r * L + c], xd - i, ai[r * L + c + 1], len);
                  axpy2 (ebr, xc - 1 - i, bi[r * L + c], xd - 1 - i, bi[r * L + c + 1], len);
                }
              if (c < L)
                {
                  const double *xc = x + (gsize) c * n + t0;

                  axpy (efr, xc - i, ai[r * L + c], len);
                  axpy (ebr, xc - 1 - i, bi[r * L + c], len);
                }
            }
        }
      for (guint r = 0; r < L; r++)
        for (guint c = 0; c < L; c++)
          {
            const double *efr = ef + (gsize) r * BLOCK, *ebr = eb + (gsize) r * BLOCK;

            pf[r * L + c] += dot (efr, ef + (gsize) c * BLOCK, len);
            pb[r * L + c] += dot (ebr, eb + (gsize) c * BLOCK, len);
            pfb[r * L + c] += dot (efr, eb + (gsize) c * BLOCK, len);
          }
    }
}

static gboolean
not_positive_definite (GError **error, const char *what, guint stage)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "autoregressive fit: the %s covariance is not positive definite at lattice "
               "stage %u; the channels are (nearly) linearly dependent or the data too short "
               "for the order", what, stage);
  return FALSE;
}

/* The lattice proper on x (L × n, channel-major, already checked). */
static gboolean
morf (const double *x, gsize n, guint L, guint p, double *coef, double *noise_cov,
      GError **error)
{
  guint LL = L * L;
  g_autofree double *a = g_new0 (double, (gsize) (p + 1) * LL);
  g_autofree double *b = g_new0 (double, (gsize) (p + 1) * LL);
  g_autofree double *na = g_new0 (double, (gsize) (p + 1) * LL);
  g_autofree double *nb = g_new0 (double, (gsize) (p + 1) * LL);
  g_autofree double *w = g_new0 (double, 16 * LL + 2 * (gsize) L * BLOCK);
  double *pf = w, *pb = w + LL, *pfb = w + 2 * LL, *Lpf = w + 3 * LL, *Lpb = w + 4 * LL;
  double *ck = w + 5 * LL, *T = w + 6 * LL, *U = w + 7 * LL, *Ef = w + 8 * LL;
  double *Eb = w + 9 * LL, *Lf = w + 10 * LL, *Lb = w + 11 * LL, *En = w + 12 * LL;
  double *tmp = w + 13 * LL, *tmp2 = w + 14 * LL, *Ln = w + 15 * LL;
  double *ef = w + 16 * LL, *eb = ef + (gsize) L * BLOCK;

  /* Stage 0: a_0 and b_0 whiten x_t (t ≥ 1) and x_{t−1}. bsmart scales the lag covariances
   * by (n − 1) before the Cholesky factor; a common scale of every a_i and b_i cancels in the
   * reflection coefficients and in A_k = a_0⁻¹ a_k, so it is kept only for fidelity. */
  for (guint r = 0; r < L; r++)
    for (guint c = 0; c < L; c++)
      {
        const double *xr = x + (gsize) r * n, *xc = x + (gsize) c * n;

        pf[r * L + c] = dot (xr + 1, xc + 1, n - 1);
        pb[r * L + c] = dot (xr, xc, n - 1);
        En[r * L + c] = pb[r * L + c] + xr[n - 1] * xc[n - 1];
      }
  for (guint i = 0; i < LL; i++)
    {
      pf[i] *= (double) (n - 1);
      pb[i] *= (double) (n - 1);
      En[i] /= (double) n;
    }
  if (!chol_lower (pf, Lpf, L) || !chol_lower (pb, Lpb, L))
    return not_positive_definite (error, "lag-0", 0);
  for (guint i = 0; i < LL; i++)
    tmp[i] = (i % (L + 1) == 0) ? 1.0 : 0.0;
  lower_solve (Lpf, tmp, a, L);
  lower_solve (Lpb, tmp, b, L);
  if (!chol_lower (En, Ln, L))
    return not_positive_definite (error, "signal", 0);
  memcpy (En, Ln, sizeof (double) * LL);
  error_covariances (x, n, L, a, b, 1, pf, pb, pfb, ef, eb);

  for (guint m = 0; m < p; m++)
    {
      /* Reflection coefficient ck = Lpf⁻¹ · pfb · Lpb⁻ᵀ (the normalised partial correlation
       * of forward and backward errors). */
      if (!chol_lower (pf, Lpf, L))
        return not_positive_definite (error, "forward prediction error", m + 1);
      if (!chol_lower (pb, Lpb, L))
        return not_positive_definite (error, "backward prediction error", m + 1);
      lower_solve (Lpf, pfb, T, L);
      transpose (T, tmp, L);
      lower_solve (Lpb, tmp, U, L);
      transpose (U, ck, L);

      matmul (ck, FALSE, ck, TRUE, tmp, L);
      matmul (ck, TRUE, ck, FALSE, tmp2, L);
      for (guint i = 0; i < LL; i++)
        {
          double id = (i % (L + 1) == 0) ? 1.0 : 0.0;

          Ef[i] = id - tmp[i];
          Eb[i] = id - tmp2[i];
        }
      if (!chol_lower (Ef, Lf, L))
        return not_positive_definite (error, "normalised forward error", m + 1);
      if (!chol_lower (Eb, Lb, L))
        return not_positive_definite (error, "normalised backward error", m + 1);

      matmul (En, FALSE, Lf, FALSE, tmp, L);
      memcpy (En, tmp, sizeof (double) * LL);

      /* Order m+1 filters from order m ones (a_{m+1}, b_{m+1} are still zero). */
      for (guint i = 0; i <= m + 1; i++)
        {
          const double *ai = a + (gsize) i * LL, *bi = b + (gsize) i * LL;
          const double *ar = a + (gsize) (m + 1 - i) * LL, *br = b + (gsize) (m + 1 - i) * LL;

          matmul (ck, FALSE, br, FALSE, tmp, L);
          for (guint k = 0; k < LL; k++)
            tmp[k] = ai[k] - tmp[k];
          lower_solve (Lf, tmp, na + (gsize) i * LL, L);
          matmul (ck, TRUE, ar, FALSE, tmp, L);
          for (guint k = 0; k < LL; k++)
            tmp[k] = bi[k] - tmp[k];
          lower_solve (Lb, tmp, nb + (gsize) i * LL, L);
        }
      memcpy (a, na, sizeof (double) * (m + 2) * LL);
      memcpy (b, nb, sizeof (double) * (m + 2) * LL);

      /* The last stage's errors are never used. */
      if (m + 1 < p)
        error_covariances (x, n, L, a, b, m + 2, pf, pb, pfb, ef, eb);
    }

  for (guint k = 1; k <= p; k++)
    if (!lu_solve (a, a + (gsize) k * LL, coef + (gsize) (k - 1) * LL, L))
      return not_positive_definite (error, "leading filter", p);
  matmul (En, FALSE, En, TRUE, noise_cov, L);
  return TRUE;
}

NlMvar *
nl_mvar_new (guint n_channels, guint order)
{
  NlMvar *m = g_new0 (NlMvar, 1);

  m->n_channels = n_channels;
  m->order = order;
  m->coef = g_new0 (double, (gsize) order * n_channels * n_channels);
  m->noise_cov = g_new0 (double, (gsize) n_channels * n_channels);
  return m;
}

void
nl_mvar_free (NlMvar *m)
{
  if (!m)
    return;
  g_free (m->coef);
  g_free (m->noise_cov);
  g_free (m);
}

/* Checks the data and copies it channel-major, demeaned when asked. */
static double *
prepare (const double *const *channels, guint L, gsize n, guint order, gboolean demean,
         GError **error)
{
  double *x;

  if (L == 0 || channels == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "autoregressive fit: no channels given");
      return NULL;
    }
  if (L > NL_MVAR_MAX_CHANNELS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "autoregressive fit: %u channels, more than %u", L, NL_MVAR_MAX_CHANNELS);
      return NULL;
    }
  if (order == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "autoregressive fit: order 0; expected an order of at least 1 "
                   "(NetPyNE uses %d)", NL_GRANGER_DEFAULT_ORDER);
      return NULL;
    }
  /* Each of the n − P equations with a full history must outnumber the L·P unknowns of its
   * row: n > (L + 1)·P. */
  if ((double) n <= ((double) L + 1) * (double) order)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "autoregressive fit: order %u of %u channel%s needs more than %.0f samples, "
                   "got %" G_GSIZE_FORMAT "; lower the order or give a longer signal",
                   order, L, L == 1 ? "" : "s", ((double) L + 1) * order, n);
      return NULL;
    }
  for (guint c = 0; c < L; c++)
    {
      const double *s = channels[c];

      if (s == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "autoregressive fit: channel %u has no data", c + 1);
          return NULL;
        }
      for (gsize t = 0; t < n; t++)
        if (!isfinite (s[t]))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "autoregressive fit: channel %u, sample %" G_GSIZE_FORMAT " is %g; "
                         "expected finite numbers", c + 1, t, s[t]);
            return NULL;
          }
      for (gsize t = 1; t < n && s[t] == s[0]; t++)
        if (t == n - 1)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "autoregressive fit: channel %u is constant (every sample is %g); "
                         "Granger causality needs signals that vary", c + 1, s[0]);
            return NULL;
          }
    }

  x = g_new (double, n * L);
  for (guint c = 0; c < L; c++)
    {
      const double *s = channels[c];
      double mean = 0;

      if (demean)
        {
          for (gsize t = 0; t < n; t++)
            mean += s[t];
          mean /= (double) n;
        }
      for (gsize t = 0; t < n; t++)
        x[(gsize) c * n + t] = s[t] - mean;
    }
  return x;
}

NlMvar *
nl_mvar_fit (const double *const *channels,
             guint                n_channels,
             gsize                n_samples,
             guint                order,
             gboolean             demean,
             GError             **error)
{
  g_autofree double *x = prepare (channels, n_channels, n_samples, order, demean, error);
  NlMvar *m;

  if (!x)
    return NULL;
  m = nl_mvar_new (n_channels, order);
  if (!morf (x, n_samples, n_channels, order, m->coef, m->noise_cov, error))
    {
      nl_mvar_free (m);
      return NULL;
    }
  return m;
}

/* ---- Geweke's measures ----------------------------------------------------------------- */

void
nl_granger_options_init (NlGrangerOptions *opts)
{
  opts->order = NL_GRANGER_DEFAULT_ORDER;
  opts->demean = TRUE;
}

static gboolean
check_fs (double fs, GError **error)
{
  if (!isfinite (fs) || fs <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Granger causality: sampling rate %g Hz; expected a finite rate above 0", fs);
      return FALSE;
    }
  if (floor (fs / 2) + 1 > NL_GRANGER_MAX_FREQS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Granger causality: sampling rate %g Hz gives more than %u frequencies",
                   fs, NL_GRANGER_MAX_FREQS);
      return FALSE;
    }
  return TRUE;
}

static NlGranger *
granger_new (double fs, guint order)
{
  NlGranger *g = g_new0 (NlGranger, 1);
  guint nf = (guint) floor (fs / 2) + 1;

  g->fs = fs;
  g->order = order;
  g->n_freqs = nf;
  g->freq = g_new (double, nf);
  g->x2y = g_new (double, nf);
  g->y2x = g_new (double, nf);
  g->inst = g_new (double, nf);
  g->coherence = g_new (double, nf);
  g->pxx = g_new (double, nf);
  g->pyy = g_new (double, nf);
  g->gc_x2y = g->gc_y2x = NAN;
  return g;
}

void
nl_granger_free (NlGranger *g)
{
  if (!g)
    return;
  g_free (g->freq);
  g_free (g->x2y);
  g_free (g->y2x);
  g_free (g->inst);
  g_free (g->coherence);
  g_free (g->pxx);
  g_free (g->pyy);
  g_free (g);
}

/* Fills the spectral measures of g from a bivariate model. */
static void
spectral (NlGranger *g, const double *coef, guint p, const double *sig)
{
  double fs = g->fs;
  /* Σ of y's noise once x's is regressed out, and of x's once y's is. */
  double eyx = sig[3] - sig[1] * sig[1] / sig[0];
  double exy = sig[0] - sig[2] * sig[2] / sig[3];

  for (guint fi = 0; fi < g->n_freqs; fi++)
    {
      double f = fi;
      double complex M[4] = { 1, 0, 0, 1 }, H[4], S[4], det;
      double d1, d2, detS;

      for (guint k = 1; k <= p; k++)
        {
          double complex z = cexp (-2 * G_PI * I * (double) k * f / fs);
          const double *A = coef + (gsize) (k - 1) * 4;

          for (guint i = 0; i < 4; i++)
            M[i] += A[i] * z;
        }
      det = M[0] * M[3] - M[1] * M[2];
      H[0] = M[3] / det;
      H[1] = -M[1] / det;
      H[2] = -M[2] / det;
      H[3] = M[0] / det;
      /* S = H Σ H* / fs */
      for (guint i = 0; i < 2; i++)
        for (guint j = 0; j < 2; j++)
          {
            double complex s = 0;

            for (guint k = 0; k < 2; k++)
              for (guint l = 0; l < 2; l++)
                s += H[i * 2 + k] * sig[k * 2 + l] * conj (H[j * 2 + l]);
            S[i * 2 + j] = s / fs;
          }
      d1 = cabs (S[0] - H[1] * eyx * conj (H[1]) / fs);
      d2 = cabs (S[3] - H[2] * exy * conj (H[2]) / fs);
      detS = cabs (S[0] * S[3] - S[1] * S[2]);

      g->freq[fi] = f;
      g->y2x[fi] = log (cabs (S[0]) / d1);
      g->x2y[fi] = log (cabs (S[3]) / d2);
      g->inst[fi] = log (d1 * d2 / detS);
      g->coherence[fi] = creal (cabs (S[1]) * cabs (S[1]) / S[0] / S[3]);
      g->pxx[fi] = cabs (2 * S[0]);
      g->pyy[fi] = cabs (2 * S[3]);
    }
}

NlGranger *
nl_granger_from_mvar (const NlMvar *model, double fs, GError **error)
{
  const double *s;
  NlGranger *g;

  g_return_val_if_fail (model != NULL, NULL);
  if (model->n_channels != 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Granger causality: a model of %u channel%s; expected 2",
                   model->n_channels, model->n_channels == 1 ? "" : "s");
      return NULL;
    }
  s = model->noise_cov;
  if (!(s[0] > 0 && s[3] > 0 && s[0] * s[3] - s[1] * s[2] > 0 && s[1] == s[2]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Granger causality: noise covariance [[%g, %g], [%g, %g]] is not "
                   "symmetric positive definite", s[0], s[1], s[2], s[3]);
      return NULL;
    }
  if (!check_fs (fs, error))
    return NULL;
  g = granger_new (fs, model->order);
  memcpy (g->noise_cov, s, sizeof g->noise_cov);
  spectral (g, model->coef, model->order, s);
  return g;
}

/* Noise variance of one channel's own order-P model (the restricted model). */
static gboolean
restricted_variance (const double *x, gsize n, guint p, gboolean demean, double *var,
                     GError **error)
{
  g_autoptr(NlMvar) m = nl_mvar_fit (&x, 1, n, p, demean, error);

  if (!m)
    return FALSE;
  *var = m->noise_cov[0];
  return TRUE;
}

NlGranger *
nl_granger_compute (const double           *x,
                    const double           *y,
                    gsize                   n,
                    double                  fs,
                    const NlGrangerOptions *opts,
                    GError                **error)
{
  NlGrangerOptions o;
  const double *ch[2] = { x, y };
  g_autoptr(NlMvar) m = NULL;
  double vx, vy;
  NlGranger *g;

  if (opts)
    o = *opts;
  else
    nl_granger_options_init (&o);
  if (!check_fs (fs, error))
    return NULL;
  m = nl_mvar_fit (ch, 2, n, o.order, o.demean, error);
  if (!m)
    return NULL;
  if (!restricted_variance (x, n, o.order, o.demean, &vx, error)
      || !restricted_variance (y, n, o.order, o.demean, &vy, error))
    return NULL;
  /* The fit's Σ is symmetric up to rounding; make it exactly so for the checks. */
  m->noise_cov[1] = m->noise_cov[2] = 0.5 * (m->noise_cov[1] + m->noise_cov[2]);
  g = nl_granger_from_mvar (m, fs, error);
  if (!g)
    return NULL;
  g->gc_x2y = log (vy / m->noise_cov[3]);
  g->gc_y2x = log (vx / m->noise_cov[0]);
  return g;
}

GPtrArray *
nl_granger_pairwise (const double *const    *channels,
                     guint                   n_channels,
                     gsize                   n,
                     double                  fs,
                     const NlGrangerOptions *opts,
                     GError                **error)
{
  g_autoptr(GPtrArray) out = NULL;

  if (n_channels < 2 || channels == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Granger causality: %u channel%s; expected at least 2",
                   channels ? n_channels : 0, n_channels == 1 ? "" : "s");
      return NULL;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_granger_free);
  for (guint i = 0; i + 1 < n_channels; i++)
    for (guint j = i + 1; j < n_channels; j++)
      {
        g_autoptr(GError) e = NULL;
        NlGranger *g = nl_granger_compute (channels[i], channels[j], n, fs, opts, &e);

        if (!g)
          {
            g_set_error (error, e->domain, e->code, "channels %u and %u: %s", i + 1, j + 1,
                         e->message);
            return NULL;
          }
        g_ptr_array_add (out, g);
      }
  return g_steal_pointer (&out);
}

/* ---- spikes to signals ------------------------------------------------------------------ */

gboolean
nl_granger_bin_spikes (const double *t1,
                       gsize         n1,
                       const double *t2,
                       gsize         n2,
                       double        t_start,
                       double        t_stop,
                       double        bin_ms,
                       double      **x,
                       double      **y,
                       gsize        *n,
                       double       *fs,
                       GError      **error)
{
  g_autofree guint32 *c1 = NULL;
  g_autofree guint32 *c2 = NULL;
  gsize nb1, nb2;

  g_return_val_if_fail (x != NULL && y != NULL && n != NULL, FALSE);
  if (isnan (t_stop))
    {
      t_stop = -INFINITY;
      for (gsize i = 0; i < n1; i++)
        t_stop = MAX (t_stop, t1[i]);
      for (gsize i = 0; i < n2; i++)
        t_stop = MAX (t_stop, t2[i]);
    }
  c1 = nl_nte_bin_spikes (t1, n1, t_start, t_stop, bin_ms, &nb1, error);
  if (!c1)
    return FALSE;
  c2 = nl_nte_bin_spikes (t2, n2, t_start, t_stop, bin_ms, &nb2, error);
  if (!c2)
    return FALSE;
  *x = g_new (double, nb1);
  *y = g_new (double, nb1);
  for (gsize i = 0; i < nb1; i++)
    {
      (*x)[i] = c1[i];
      (*y)[i] = c2[i];
    }
  *n = nb1;
  if (fs)
    *fs = 1000.0 / bin_ms;
  return TRUE;
}

/* Index of population `name`, or -1 with an error. */
static int
find_pop (NlResults *r, const char *name, GError **error)
{
  guint np = nl_results_get_n_pops (r);
  g_autofree const char **names = g_new0 (const char *, np + 1);
  const char *guess;

  for (guint i = 0; i < np; i++)
    {
      names[i] = nl_results_get_pop_name (r, i);
      if (name && g_strcmp0 (names[i], name) == 0)
        return (int) i;
    }
  guess = name ? nl_suggest (name, names, np) : NULL;
  if (guess)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "no population \"%s\" in the results; did you mean \"%s\"?", name, guess);
  else
    {
      g_autofree char *all = g_strjoinv ("\", \"", (char **) names);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no population \"%s\" in the results%s%s%s", name ? name : "(null)",
                   np ? " (it has \"" : " (it has none)", np ? all : "", np ? "\")" : "");
    }
  return -1;
}

gboolean
nl_granger_bin_pops (NlResults   *results,
                     const char  *pop1,
                     const char  *pop2,
                     double       t_start,
                     double       t_stop,
                     double       bin_ms,
                     double     **x,
                     double     **y,
                     gsize       *n,
                     double      *fs,
                     GError     **error)
{
  int p1, p2;
  guint64 ns;
  const double *t;
  const guint32 *gid;
  g_autoptr(GArray) t1 = NULL;
  g_autoptr(GArray) t2 = NULL;

  g_return_val_if_fail (results != NULL, FALSE);
  if ((p1 = find_pop (results, pop1, error)) < 0 || (p2 = find_pop (results, pop2, error)) < 0)
    return FALSE;
  ns = nl_results_get_n_spikes (results);
  t = nl_results_get_spike_times (results);
  gid = nl_results_get_spike_gids (results);
  t1 = g_array_new (FALSE, FALSE, sizeof (double));
  t2 = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint64 i = 0; i < ns; i++)
    {
      int p = nl_results_find_pop_of_gid (results, gid[i]);

      /* The same population twice is allowed: both signals get its spikes. */
      if (p == p1)
        g_array_append_val (t1, t[i]);
      if (p == p2)
        g_array_append_val (t2, t[i]);
    }
  if (isnan (t_stop) && isfinite (nl_results_get_duration (results)))
    t_stop = nl_results_get_duration (results);
  return nl_granger_bin_spikes ((const double *) t1->data, t1->len,
                                (const double *) t2->data, t2->len,
                                t_start, t_stop, bin_ms, x, y, n, fs, error);
}
