/* test-rng.c — Philox streams and NEURON's distributions.
 *
 * The block function is checked against Random123's published
 * known-answer vectors (tests/kat_vectors of DEShawResearch/random123);
 * the distributions by their sample mean and variance over 200 000 draws
 * with fixed streams, within 5 standard errors.  The standard error of the
 * variance is estimated from the sample's own fourth moment, so heavy-tailed
 * distributions get the tolerance they need and no more. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "nl-rng.h"
#include "nl-random.h"

#define N_SAMPLES 200000

static void
test_kat (void)
{
  static const struct { guint32 ctr[4], key[2], out[4]; } kat[] = {
    { { 0, 0, 0, 0 }, { 0, 0 },
      { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 } },
    { { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, { 0xffffffff, 0xffffffff },
      { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd } },
    { { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, { 0xa4093822, 0x299f31d0 },
      { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kat); i++)
    {
      guint32 out[4];
      nl_philox4x32_10 (kat[i].ctr, kat[i].key, out);
      for (int w = 0; w < 4; w++)
        g_assert_cmphex (out[w], ==, kat[i].out[w]);
    }
}

/* The stream layout is part of the determinism contract: key = (seed,
 * purpose), counter = (block, 0, id0, id1), words in order. */
static void
test_layout (void)
{
  NlRng r;
  guint32 block[4];

  nl_rng_init (&r, 0x243f6a88, NL_RNG_CONN, 17, 42);
  for (guint32 b = 0; b < 3; b++)
    {
      const guint32 ctr[4] = { b, 0, 17, 42 };
      const guint32 key[2] = { 0x243f6a88, NL_RNG_CONN };
      nl_philox4x32_10 (ctr, key, block);
      for (int w = 0; w < 4; w++)
        g_assert_cmphex (nl_rng_u32 (&r), ==, block[w]);
    }
}

static void
test_determinism (void)
{
  NlRng a, b;
  guint32 first;

  nl_rng_init (&a, 5, NL_RNG_CELL, 100, 200);
  nl_rng_init (&b, 5, NL_RNG_CELL, 100, 200);
  for (int i = 0; i < 1000; i++)
    g_assert_cmphex (nl_rng_u32 (&a), ==, nl_rng_u32 (&b));

  nl_rng_init (&a, 5, NL_RNG_CELL, 100, 200);
  first = nl_rng_u32 (&a);
  nl_rng_init (&b, 6, NL_RNG_CELL, 100, 200);
  g_assert_cmphex (nl_rng_u32 (&b), !=, first);
  nl_rng_init (&b, 5, NL_RNG_LOC, 100, 200);
  g_assert_cmphex (nl_rng_u32 (&b), !=, first);
  nl_rng_init (&b, 5, NL_RNG_CELL, 101, 200);
  g_assert_cmphex (nl_rng_u32 (&b), !=, first);
  nl_rng_init (&b, 5, NL_RNG_CELL, 100, 201);
  g_assert_cmphex (nl_rng_u32 (&b), !=, first);
  /* (id0, id1) is ordered: pre→post is not post→pre */
  nl_rng_init (&b, 5, NL_RNG_CELL, 200, 100);
  g_assert_cmphex (nl_rng_u32 (&b), !=, first);
}

static void
test_uniform (void)
{
  NlRng r, twin;
  double sum = 0, sum2 = 0;

  /* 53 bits from two words, high word first */
  nl_rng_init (&r, 1, NL_RNG_USER, 0, 0);
  nl_rng_init (&twin, 1, NL_RNG_USER, 0, 0);
  for (int i = 0; i < 1000; i++)
    {
      guint64 w = ((guint64) nl_rng_u32 (&twin) << 32) | nl_rng_u32 (&twin);
      g_assert_cmpfloat (nl_rng_uniform (&r), ==, (double) (w >> 11) * 0x1p-53);
    }

  nl_rng_init (&r, 2, NL_RNG_USER, 0, 0);
  for (int i = 0; i < N_SAMPLES; i++)
    {
      double u = nl_rng_uniform (&r);
      double p = nl_rng_uniform_pos (&r);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      g_assert_cmpfloat (p, >, 0.0);
      g_assert_cmpfloat (p, <, 1.0);
      sum += u;
      sum2 += u * u;
    }
  {
    double mean = sum / N_SAMPLES, var = sum2 / N_SAMPLES - mean * mean;
    g_assert_cmpfloat (fabs (mean - 0.5), <, 5 * sqrt (1.0 / 12 / N_SAMPLES));
    g_assert_cmpfloat (fabs (var - 1.0 / 12), <, 5 * sqrt ((1.0 / 80 - 1.0 / 144) / N_SAMPLES));
  }
}

static void
test_below (void)
{
  NlRng r;
  guint counts[6] = { 0 };
  double chi2 = 0;

  nl_rng_init (&r, 3, NL_RNG_SHUFFLE, 0, 0);
  g_assert_cmpuint (nl_rng_below (&r, 0), ==, 0);
  g_assert_cmpuint (nl_rng_below (&r, 1), ==, 0);
  for (int i = 0; i < 600000; i++)
    counts[nl_rng_below (&r, 6)]++;
  for (int k = 0; k < 6; k++)
    chi2 += (counts[k] - 100000.0) * (counts[k] - 100000.0) / 100000.0;
  /* 5 degrees of freedom: P(chi2 > 25.7) < 1e-4 */
  g_assert_cmpfloat (chi2, <, 25.7);

  for (int i = 0; i < 10000; i++)
    {
      g_assert_cmpuint (nl_rng_below (&r, G_GUINT64_CONSTANT (1) << 40), <, G_GUINT64_CONSTANT (1) << 40);
      g_assert_cmpuint (nl_rng_below (&r, G_MAXUINT64 - 2), <, G_MAXUINT64 - 2);
      g_assert_cmpuint (nl_rng_below (&r, 3000000000u), <, 3000000000u);
    }
  /* the top half of a wide range is reached as often as the bottom */
  {
    guint64 n = (G_GUINT64_CONSTANT (3) << 62);   /* 3·2^62: plain modulo would favour the bottom third */
    guint top = 0;
    for (int i = 0; i < 90000; i++)
      top += nl_rng_below (&r, n) >= n / 3 * 2;
    g_assert_cmpfloat (fabs (top - 30000.0), <, 5 * sqrt (90000 * (1.0 / 3) * (2.0 / 3)));
  }
}

typedef double (*Sampler) (NlRng *r, double a, double b);

static void
check_moments (const char *name, Sampler f, double a, double b, double mean, double var)
{
  double *x = g_new (double, N_SAMPLES);
  double m = 0, s2 = 0, m4 = 0;
  NlRng r;

  nl_rng_init (&r, 12345, NL_RNG_USER, g_str_hash (name), 0);
  for (int i = 0; i < N_SAMPLES; i++)
    {
      x[i] = f (&r, a, b);
      g_assert_true (isfinite (x[i]));
      m += x[i];
    }
  m /= N_SAMPLES;
  for (int i = 0; i < N_SAMPLES; i++)
    {
      double d = (x[i] - m) * (x[i] - m);
      s2 += d;
      m4 += d * d;
    }
  s2 /= N_SAMPLES - 1;
  m4 /= N_SAMPLES;
  g_free (x);

  if (fabs (m - mean) > 5 * sqrt (var / N_SAMPLES))
    g_error ("%s: mean %g, expected %g", name, m, mean);
  if (fabs (s2 - var) > 5 * sqrt ((m4 - s2 * s2) / N_SAMPLES))
    g_error ("%s: variance %g, expected %g", name, s2, var);
}

static double s_negexp (NlRng *r, double a, double b) { return nl_random_negexp (r, a); }
static double s_poisson (NlRng *r, double a, double b) { return nl_random_poisson (r, a); }
static double s_geometric (NlRng *r, double a, double b) { return nl_random_geometric (r, a); }

static void
test_distributions (void)
{
  const double weibull_mean = sqrt (G_PI);      /* shape 2, scale 4^(1/2) = 2: 2·Γ(3/2) */

  check_moments ("uniform", nl_random_uniform, 2, 5, 3.5, 0.75);
  check_moments ("normal", nl_random_normal, 5, 2, 5, 2);          /* variance, not sd */
  check_moments ("lognormal", nl_random_lognormal, 2, 3, 2, 3);    /* of the variable itself */
  check_moments ("negexp", s_negexp, 2, 0, 2, 4);
  check_moments ("poisson", s_poisson, 3.5, 0, 3.5, 3.5);
  check_moments ("poisson-large", s_poisson, 2e9, 0, 2e9, 2e9);
  check_moments ("binomial", nl_random_binomial, 20, 0.3, 6, 4.2);
  check_moments ("discunif", nl_random_discunif, 1, 6, 3.5, 35.0 / 12);
  check_moments ("erlang", nl_random_erlang, 4, 2, 4, 2);          /* k = 8 */
  check_moments ("erlang-rounded", nl_random_erlang, 4, 3, 4, 3.2);/* k = round(16/3) = 5 */
  check_moments ("geometric", s_geometric, 0.25, 0, 4.0 / 3, 0.25 / 0.5625);
  check_moments ("hypergeo", nl_random_hypergeo, 2, 12, 2, 12);
  check_moments ("weibull", nl_random_weibull, 2, 4, weibull_mean, 4 - G_PI);
}

static void
test_distribution_details (void)
{
  NlRng r, twin;
  guint faces[7] = { 0 };

  /* discunif: both ends included, bounds truncated and put in order */
  nl_rng_init (&r, 8, NL_RNG_USER, 0, 0);
  for (int i = 0; i < 60000; i++)
    {
      double v = nl_random_discunif (&r, 6.9, 1.9);
      g_assert_cmpfloat (v, ==, trunc (v));
      g_assert_cmpfloat (v, >=, 1);
      g_assert_cmpfloat (v, <=, 6);
      faces[(int) v]++;
    }
  for (int k = 1; k <= 6; k++)
    g_assert_cmpuint (faces[k], >, 9000);
  g_assert_cmpfloat (nl_random_discunif (&r, -3, -3), ==, -3);

  /* geometric counts draws: at least 1; integer-valued */
  for (int i = 0; i < 1000; i++)
    {
      double v = nl_random_geometric (&r, 0.9);
      g_assert_cmpfloat (v, >=, 1);
      g_assert_cmpfloat (v, ==, trunc (v));
    }
  g_assert_cmpfloat (nl_random_geometric (&r, 0), ==, 1);
  g_assert_cmpfloat (nl_random_geometric (&r, 1), ==, INFINITY);

  /* negexp is NEURON's −mean·ln(u) on the stream's (0,1) uniform */
  nl_rng_init (&r, 9, NL_RNG_USER, 0, 0);
  nl_rng_init (&twin, 9, NL_RNG_USER, 0, 0);
  for (int i = 0; i < 100; i++)
    g_assert_cmpfloat (nl_random_negexp (&r, 2.5), ==, -2.5 * log (nl_rng_uniform_pos (&twin)));

  /* variance 0 gives the mean */
  g_assert_cmpfloat (nl_random_normal (&r, 3, 0), ==, 3);
  g_assert_cmpfloat (fabs (nl_random_lognormal (&r, 3, 0) - 3), <, 1e-12);
  g_assert_cmpfloat (nl_random_poisson (&r, 0), ==, 0);
  g_assert_cmpfloat (nl_random_binomial (&r, 10, 1), ==, 10);
  g_assert_cmpfloat (nl_random_binomial (&r, 10, 0), ==, 0);

  /* outside NEURON's domains: NaN, never a hang */
  g_assert_true (isnan (nl_random_normal (&r, 0, -1)));
  g_assert_true (isnan (nl_random_lognormal (&r, -1, 1)));
  g_assert_true (isnan (nl_random_lognormal (&r, 0, 1)));
  g_assert_true (isnan (nl_random_poisson (&r, -1)));
  g_assert_true (isnan (nl_random_poisson (&r, INFINITY)));
  g_assert_true (isnan (nl_random_binomial (&r, -1, 0.5)));
  g_assert_true (isnan (nl_random_binomial (&r, 10, 1.5)));
  g_assert_true (isnan (nl_random_binomial (&r, 1e12, 0.5)));
  g_assert_true (isnan (nl_random_discunif (&r, NAN, 1)));
  g_assert_true (isnan (nl_random_discunif (&r, 0, 1e300)));
  g_assert_true (isnan (nl_random_erlang (&r, 1, 0)));
  g_assert_true (isnan (nl_random_geometric (&r, 1.5)));
  g_assert_true (isnan (nl_random_hypergeo (&r, 1, 0.5)));   /* needs variance >= mean² */
  g_assert_true (isnan (nl_random_weibull (&r, 0, 1)));
}

static void
test_gsl_wrap (void)
{
  NlRng r, twin;
  gsl_rng g;

  nl_rng_init (&r, 10, NL_RNG_USER, 1, 2);
  nl_rng_init (&twin, 10, NL_RNG_USER, 1, 2);
  nl_random_wrap_gsl (&r, &g);
  g_assert_cmpuint (gsl_rng_max (&g), ==, 0xffffffffUL);
  g_assert_cmpuint (gsl_rng_min (&g), ==, 0);
  for (int i = 0; i < 100; i++)
    {
      g_assert_cmpuint (gsl_rng_get (&g), ==, nl_rng_u32 (&twin));
      g_assert_cmpfloat (gsl_rng_uniform (&g), ==, nl_rng_uniform (&twin));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rng/philox-kat", test_kat);
  g_test_add_func ("/rng/layout", test_layout);
  g_test_add_func ("/rng/determinism", test_determinism);
  g_test_add_func ("/rng/uniform", test_uniform);
  g_test_add_func ("/rng/below", test_below);
  g_test_add_func ("/rng/distributions", test_distributions);
  g_test_add_func ("/rng/distribution-details", test_distribution_details);
  g_test_add_func ("/rng/gsl-wrap", test_gsl_wrap);
  return g_test_run ();
}
