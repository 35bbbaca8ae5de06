/* nl-nte.c — normalised transfer entropy of binned spike trains (see nl-nte.h). */

#include "nl-nte.h"
#include "nl-rng.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- binning -------------------------------------------------------------------------- */

guint32 *
nl_nte_bin_spikes (const double *t_ms,
                   gsize         n,
                   double        t_start,
                   double        t_stop,
                   double        bin_ms,
                   gsize        *n_bins,
                   GError      **error)
{
  double span, n_edges_f, delta;
  gsize n_edges, nb;
  guint32 *counts;

  g_return_val_if_fail (n_bins != NULL, NULL);
  g_return_val_if_fail (t_ms != NULL || n == 0, NULL);
  *n_bins = 0;

  if (!isfinite (bin_ms) || bin_ms <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "bin size %g ms: expected a finite number of ms above 0", bin_ms);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (t_ms[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "spike %" G_GSIZE_FORMAT " has time %g: expected a finite number of ms",
                     i, t_ms[i]);
        return NULL;
      }
  if (isnan (t_stop))
    {
      /* NetPyNE without a simConfig: up to the latest spike. */
      t_stop = -INFINITY;
      for (gsize i = 0; i < n; i++)
        t_stop = MAX (t_stop, t_ms[i]);
    }
  if (!isfinite (t_start) || !isfinite (t_stop) || t_stop <= t_start)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "time range [%g, %g] ms: expected finite times, start before stop%s",
                   t_start, t_stop, n == 0 ? " (no spikes to take the stop time from)" : "");
      return NULL;
    }

  /* np.arange(t_start, t_stop, bin_ms): ceil((stop - start) / step) edges, the i-th being
   * start + i·delta with delta = (start + step) − start, as numpy fills a float range. */
  span = t_stop - t_start;
  n_edges_f = ceil (span / bin_ms);
  if (n_edges_f < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "time range [%g, %g] ms holds no whole bin of %g ms; "
                   "use a smaller bin or a longer range", t_start, t_stop, bin_ms);
      return NULL;
    }
  if (n_edges_f - 1 > (double) NL_NTE_MAX_BINS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "time range [%g, %g] ms in bins of %g ms gives %.0f bins, more than %"
                   G_GSIZE_FORMAT "; use a larger bin", t_start, t_stop, bin_ms,
                   n_edges_f - 1, (gsize) NL_NTE_MAX_BINS);
      return NULL;
    }
  n_edges = (gsize) n_edges_f;
  nb = n_edges - 1;
  delta = (t_start + bin_ms) - t_start;
  counts = g_new0 (guint32, nb);

#define EDGE(i) (t_start + (double) (i) * delta)
  for (gsize i = 0; i < n; i++)
    {
      double t = t_ms[i], q;
      gsize k;

      if (t < EDGE (0) || t > EDGE (nb))
        continue;
      q = floor ((t - t_start) / delta);
      k = q <= 0 ? 0 : q >= (double) (nb - 1) ? nb - 1 : (gsize) q;
      /* The division may land one bin off; the edges decide, as np.histogram's search. */
      while (k > 0 && t < EDGE (k))
        k--;
      while (k + 1 < nb && t >= EDGE (k + 1))
        k++;
      if (counts[k] < G_MAXUINT32)
        counts[k]++;
    }
#undef EDGE

  *n_bins = nb;
  return counts;
}

/* ---- conditional entropies ------------------------------------------------------------ */

/* One (past of X2, past of X1, future of X2) observation. */
typedef struct {
  guint32 p, q, f;
} Triple;

static int
triple_cmp (const void *a, const void *b)
{
  const Triple *x = a, *y = b;

  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  if (x->q != y->q)
    return x->q < y->q ? -1 : 1;
  if (x->f != y->f)
    return x->f < y->f ? -1 : 1;
  return 0;
}

/* H(X2F | X2P, X1P) in bits over the n − 1 (future, past) pairs; X1P is left out (every q
 * 0) when x1 is NULL, giving H(X2F | X2P). Sorting by (p, q, f) puts each conditioning
 * group together, so one pass counts both c(p,q) and c(p,q,f). `buf` holds n − 1 triples. */
static double
cond_entropy (const guint32 *x2, const guint32 *x1, gsize n, Triple *buf)
{
  gsize m = n - 1, i = 0;
  double ent = 0, dm = (double) m;

  for (gsize k = 0; k < m; k++)
    {
      buf[k].p = x2[k];
      buf[k].q = x1 ? x1[k] : 0;
      buf[k].f = x2[k + 1];
    }
  qsort (buf, m, sizeof *buf, triple_cmp);

  while (i < m)
    {
      gsize g_end = i;
      double p2;

      while (g_end < m && buf[g_end].p == buf[i].p && buf[g_end].q == buf[i].q)
        g_end++;
      p2 = (double) (g_end - i) / dm;
      for (gsize j = i; j < g_end; )
        {
          gsize r = j;
          double p3;

          while (r < g_end && buf[r].f == buf[j].f)
            r++;
          p3 = (double) (r - j) / dm;
          ent -= p3 * log2 (p3 / p2);
          j = r;
        }
      i = g_end;
    }
  return ent;
}

static gboolean
varies (const guint32 *x, gsize n)
{
  for (gsize i = 1; i < n; i++)
    if (x[i] != x[0])
      return TRUE;
  return FALSE;
}

/* ---- nTE ------------------------------------------------------------------------------- */

typedef struct {
  const guint32 *const *perms;   /* given permutations, or NULL for the stream */
  NlRng          rng;
  guint32       *tmp;            /* n values, for applying a permutation */
} Shuffler;

static void
shuffle (Shuffler *s, guint k, guint32 *x, gsize n)
{
  if (s->perms)
    {
      const guint32 *perm = s->perms[k];

      for (gsize i = 0; i < n; i++)
        s->tmp[i] = x[perm[i]];
      memcpy (x, s->tmp, n * sizeof *x);
      return;
    }
  for (gsize i = n - 1; i > 0; i--)
    {
      gsize j = (gsize) nl_rng_below (&s->rng, (guint64) i + 1);
      guint32 v = x[i];

      x[i] = x[j];
      x[j] = v;
    }
}

static gboolean
check_input (const guint32 *x1, const guint32 *x2, gsize n, guint n_shuffles, GError **error)
{
  if (x1 == NULL || x2 == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "transfer entropy: train %d has no data", x1 == NULL ? 1 : 2);
      return FALSE;
    }
  if (n < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "transfer entropy: %" G_GSIZE_FORMAT " bin%s; at least 2 are needed "
                   "(a longer time range or a smaller bin)", n, n == 1 ? "" : "s");
      return FALSE;
    }
  if (n_shuffles > NL_NTE_MAX_SHUFFLES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "transfer entropy: %u shuffles, more than %u", n_shuffles,
                   NL_NTE_MAX_SHUFFLES);
      return FALSE;
    }
  return TRUE;
}

static NlNte *
compute (const guint32 *x1, const guint32 *x2, gsize n, guint n_shuffles, Shuffler *s)
{
  NlNte *r = g_new0 (NlNte, 1);
  g_autofree guint32 *x = NULL;
  g_autofree Triple *buf = NULL;
  double sum = 0, ss = 0;

  r->n_shuffles = n_shuffles;
  r->te_shuffled = g_new0 (double, MAX (n_shuffles, 1));
  /* NetPyNE: a train that never varies gives 0 for everything. */
  if (!varies (x1, n) || !varies (x2, n))
    return r;

  x = g_memdup2 (x1, n * sizeof *x);
  buf = g_new (Triple, n - 1);
  r->h = cond_entropy (x2, NULL, n, buf);
  r->te = r->h - cond_entropy (x2, x, n, buf);
  for (guint k = 0; k < n_shuffles; k++)
    {
      double te;

      shuffle (s, k, x, n);
      te = r->h - cond_entropy (x2, x, n, buf);
      r->te_shuffled[k] = te;
      sum += te;
    }
  if (n_shuffles > 0)
    {
      r->te_shuffled_mean = sum / n_shuffles;
      for (guint k = 0; k < n_shuffles; k++)
        ss += (r->te_shuffled[k] - r->te_shuffled_mean) * (r->te_shuffled[k] - r->te_shuffled_mean);
      r->te_shuffled_sd = sqrt (ss / n_shuffles);
    }
  /* H = 0: X2's future is fixed by its past, so there is nothing for X1 to explain. */
  r->nte = r->h > 0 ? (r->te - r->te_shuffled_mean) / r->h : 0;
  return r;
}

NlNte *
nl_nte_compute (const guint32 *x1,
                const guint32 *x2,
                gsize          n,
                guint          n_shuffles,
                guint32        seed,
                GError       **error)
{
  Shuffler s = { NULL, { { 0 } }, NULL };

  if (!check_input (x1, x2, n, n_shuffles, error))
    return NULL;
  nl_rng_init (&s.rng, seed, NL_RNG_SHUFFLE, 0, 0);
  return compute (x1, x2, n, n_shuffles, &s);
}

NlNte *
nl_nte_compute_with_perms (const guint32        *x1,
                           const guint32        *x2,
                           gsize                 n,
                           const guint32 *const *perms,
                           guint                 n_perms,
                           GError              **error)
{
  Shuffler s = { perms, { { 0 } }, NULL };
  g_autofree guint8 *seen = NULL;
  NlNte *r;

  if (!check_input (x1, x2, n, n_perms, error))
    return NULL;
  if (n_perms > 0 && perms == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "transfer entropy: %u permutations announced, none given", n_perms);
      return NULL;
    }
  seen = g_new (guint8, n);
  for (guint k = 0; k < n_perms; k++)
    {
      if (perms[k] == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "transfer entropy: permutation %u is missing", k + 1);
          return NULL;
        }
      memset (seen, 0, n);
      for (gsize i = 0; i < n; i++)
        {
          guint32 v = perms[k][i];

          if (v >= n || seen[v])
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "transfer entropy: permutation %u, position %" G_GSIZE_FORMAT
                           ": index %u %s; expected each of 0 … %" G_GSIZE_FORMAT " once",
                           k + 1, i, v, v >= n ? "is out of range" : "is repeated", n - 1);
              return NULL;
            }
          seen[v] = 1;
        }
    }
  s.tmp = g_new (guint32, n);
  r = compute (x1, x2, n, n_perms, &s);
  g_free (s.tmp);
  return r;
}

NlNte *
nl_nte_from_spikes (const double *t1,
                    gsize         n1,
                    const double *t2,
                    gsize         n2,
                    double        t_start,
                    double        t_stop,
                    double        bin_ms,
                    guint         n_shuffles,
                    guint32       seed,
                    GError      **error)
{
  g_autofree guint32 *c1 = NULL;
  g_autofree guint32 *c2 = NULL;
  gsize nb1, nb2;

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
    return NULL;
  c2 = nl_nte_bin_spikes (t2, n2, t_start, t_stop, bin_ms, &nb2, error);
  if (!c2)
    return NULL;
  return nl_nte_compute (c1, c2, nb1, n_shuffles, seed, error);
}

void
nl_nte_free (NlNte *r)
{
  if (!r)
    return;
  g_free (r->te_shuffled);
  g_free (r);
}
