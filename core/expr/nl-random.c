/* nl-random.c — NEURON Random distributions over NlRng.
 *
 * The parameterisations follow NEURON's src/gnu/ (libg++ heritage)
 * and src/ivoc/ivocrand.cpp, read for their semantics.  The samplers
 * themselves are GSL's where GSL has one: they are O(1) where NEURON's
 * loops are O(mean) or O(n), and the distributions are the same. */
#include <math.h>
#include <gsl/gsl_randist.h>

#include "nl-random.h"

static unsigned long
nl_gsl_get (void *state)
{
  return nl_rng_u32 (state);
}

static double
nl_gsl_get_double (void *state)
{
  return nl_rng_uniform (state);
}

/* set is never called: the stream is positioned by nl_rng_init, not seeded
 * through GSL. */
static const gsl_rng_type nl_gsl_rng_type = {
  "netloom-philox4x32-10",
  0xffffffffUL,
  0,
  0,
  NULL,
  nl_gsl_get,
  nl_gsl_get_double,
};

void
nl_random_wrap_gsl (NlRng *r, gsl_rng *g)
{
  g->type = &nl_gsl_rng_type;
  g->state = r;
}

/* uniform(low, high): low + (high - low)·u.  NEURON documents the open
 * interval, so u never is exactly 0. */
double
nl_random_uniform (NlRng *r, double low, double high)
{
  return low + (high - low) * nl_rng_uniform_pos (r);
}

/* normal(mean, variance): NEURON's second argument is the variance, not
 * the standard deviation (tut5's "normal(5,2)" has sd √2). */
double
nl_random_normal (NlRng *r, double mean, double variance)
{
  gsl_rng g;

  if (!(variance >= 0.0) || isinf (variance))
    return NAN;
  nl_random_wrap_gsl (r, &g);
  return mean + gsl_ran_gaussian_ziggurat (&g, sqrt (variance));
}

/* lognormal(mean, variance): mean and variance of the lognormal variable
 * itself (not of its logarithm).  NEURON's LogNormal::setState turns them
 * into the underlying normal's μ = ln(m²/√(v+m²)), σ = √ln((v+m²)/m²). */
double
nl_random_lognormal (NlRng *r, double mean, double variance)
{
  gsl_rng g;
  double m2, mu, sigma;

  if (!(mean > 0.0) || !(variance >= 0.0) || isinf (mean) || isinf (variance))
    return NAN;
  m2 = mean * mean;
  mu = log (m2 / sqrt (variance + m2));
  sigma = sqrt (log ((variance + m2) / m2));
  if (!isfinite (mu) || !isfinite (sigma))
    return NAN;
  nl_random_wrap_gsl (r, &g);
  return gsl_ran_lognormal (&g, mu, sigma);
}

/* negexp(mean): exponential with the given mean, −mean·ln(u).  NEURON
 * does not check the sign of mean; neither do we. */
double
nl_random_negexp (NlRng *r, double mean)
{
  return -mean * log (nl_rng_uniform_pos (r));
}

/* poisson(mean).  GSL's sampler converts mean·7/8 to an unsigned int, so
 * beyond 1e9 we use the normal approximation, whose relative error there
 * is far below anything a model could see. */
double
nl_random_poisson (NlRng *r, double mean)
{
  gsl_rng g;

  if (!(mean >= 0.0) || isinf (mean))
    return NAN;
  if (mean == 0.0)
    return 0.0;
  nl_random_wrap_gsl (r, &g);
  if (mean > 1e9)
    return fmax (0.0, round (mean + gsl_ran_gaussian_ziggurat (&g, sqrt (mean))));
  return (double) gsl_ran_poisson (&g, mean);
}

/* binomial(n, p): successes in n trials of probability p.  NEURON truncates
 * n to an int and rejects p outside [0, 1] (chkarg). */
double
nl_random_binomial (NlRng *r, double n, double p)
{
  gsl_rng g;

  if (!(n >= 0.0) || !(n <= (double) G_MAXINT) || !(p >= 0.0) || !(p <= 1.0))
    return NAN;
  nl_random_wrap_gsl (r, &g);
  return (double) gsl_ran_binomial (&g, p, (unsigned int) trunc (n));
}

/* discunif(low, high): an integer in [low, high], both ends included; the
 * bounds are truncated toward zero (NEURON's long()) and swapped if given
 * in the wrong order, as DiscreteUniform's constructor does. */
double
nl_random_discunif (NlRng *r, double low, double high)
{
  const double limit = 0x1p62;
  gint64 lo, hi;

  if (!(fabs (low) < limit) || !(fabs (high) < limit))
    return NAN;
  lo = (gint64) trunc (low);
  hi = (gint64) trunc (high);
  if (lo > hi)
    {
      gint64 t = lo;
      lo = hi;
      hi = t;
    }
  return (double) (lo + (gint64) nl_rng_below (r, (guint64) (hi - lo) + 1));
}

/* erlang(mean, variance): NEURON rounds the shape k = mean²/variance to the
 * nearest integer (at least 1) and sums k exponentials of rate k/mean, so
 * the mean is exact and the variance is mean²/k.  A sum of k exponentials
 * is a gamma(k, mean/k) variable, which GSL draws in O(1). */
double
nl_random_erlang (NlRng *r, double mean, double variance)
{
  gsl_rng g;
  double k;

  if (!(mean > 0.0) || !(variance > 0.0) || isinf (mean) || isinf (variance))
    return NAN;
  k = floor (mean * mean / variance + 0.5);
  if (k < 1.0)
    k = 1.0;
  if (!isfinite (k))
    return NAN;
  nl_random_wrap_gsl (r, &g);
  return gsl_ran_gamma (&g, k, mean / k);
}

/* geometric(mean): despite its name the argument is a probability m in
 * [0, 1]: NEURON counts draws until one is ≥ m, so P(X = k) = m^(k-1)(1-m),
 * k ≥ 1, and E[X] = 1/(1-m).  Drawn by inversion (one draw, no loop);
 * m = 1 never stops in NEURON and gives +inf here. */
double
nl_random_geometric (NlRng *r, double mean)
{
  double u;

  if (!(mean >= 0.0) || !(mean <= 1.0))
    return NAN;
  if (mean == 1.0)
    return INFINITY;
  u = nl_rng_uniform_pos (r);
  if (mean == 0.0)
    return 1.0;
  return 1.0 + floor (log (u) / log (mean));
}

/* hypergeo(mean, variance): NEURON's HyperGeometric is in fact a balanced
 * two-phase hyperexponential with the given mean and variance: with
 * z = variance/mean² and p = (1 − √((z−1)/(z+1)))/2 it picks phase p or
 * 1−p and draws an exponential of mean mean/(2·phase).  It needs
 * variance ≥ mean² (coefficient of variation ≥ 1); below that NEURON's
 * formula yields NaN and so does this one. */
double
nl_random_hypergeo (NlRng *r, double mean, double variance)
{
  double z, p, d;

  if (!isfinite (mean) || !isfinite (variance) || mean == 0.0)
    return NAN;
  z = variance / (mean * mean);
  if (!(z >= 1.0) || isinf (z))
    return NAN;
  p = 0.5 * (1.0 - sqrt ((z - 1.0) / (z + 1.0)));
  d = (nl_rng_uniform (r) > p) ? (1.0 - p) : p;
  return -mean * log (nl_rng_uniform_pos (r)) / (2.0 * d);
}

/* weibull(alpha, beta): NEURON returns (beta·E)^(1/alpha) with E a unit
 * exponential, i.e. shape alpha and scale beta^(1/alpha) — beta is the
 * scale raised to the power alpha, not the scale. */
double
nl_random_weibull (NlRng *r, double alpha, double beta)
{
  gsl_rng g;
  double scale;

  if (!(alpha > 0.0) || !(beta > 0.0) || isinf (alpha) || isinf (beta))
    return NAN;
  scale = pow (beta, 1.0 / alpha);
  if (!isfinite (scale))
    return NAN;
  nl_random_wrap_gsl (r, &g);
  return gsl_ran_weibull (&g, scale, alpha);
}
