/* nl-spikestats.c — spike statistics (see nl-spikestats.h for the definitions). */

#include "nl-spikestats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_statistics_double.h>

#include "nl-json.h"
#include "nl-suggest.h"

/* ---- Spike trains ---------------------------------------------------------------------- */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static gboolean
check_window (double t0, double t1, GError **error)
{
  if (!isfinite (t0) || !isfinite (t1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "time range [%g, %g) ms: both bounds must be finite numbers", t0, t1);
      return FALSE;
    }
  if (t1 < t0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "time range [%g, %g) ms ends before it starts; give the start first", t0, t1);
      return FALSE;
    }
  return TRUE;
}

NlSpikeTrains *
nl_spike_trains_new (const double  *t_ms,
                     const guint32 *gid,
                     guint64        n_spikes,
                     const guint32 *cells,
                     guint          n_cells,
                     double         t0_ms,
                     double         t1_ms,
                     GError       **error)
{
  g_autoptr(GHashTable) index = NULL;
  NlSpikeTrains *st;
  guint64 *fill;

  if (!check_window (t0_ms, t1_ms, error))
    return NULL;
  /* gid + 1 as key: gid 0 must not be the NULL key */
  index = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_cells; i++)
    {
      gpointer key = GUINT_TO_POINTER ((gsize) cells[i] + 1);
      if (g_hash_table_contains (index, key))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "cell %u is listed twice; give each gid once", cells[i]);
          return NULL;
        }
      g_hash_table_insert (index, key, GUINT_TO_POINTER (i + 1));
    }

  st = g_new0 (NlSpikeTrains, 1);
  st->n_cells = n_cells;
  st->gids = g_memdup2 (cells, sizeof (guint32) * n_cells);
  st->first = g_new0 (guint64, (gsize) n_cells + 1);
  st->t0_ms = t0_ms;
  st->t1_ms = t1_ms;

  /* two passes: count, then place, so the times take exactly the memory they need */
  for (guint64 k = 0; k < n_spikes; k++)
    {
      guint c;
      if (!(t_ms[k] >= t0_ms && t_ms[k] < t1_ms))
        continue;
      c = GPOINTER_TO_UINT (g_hash_table_lookup (index, GUINT_TO_POINTER ((gsize) gid[k] + 1)));
      if (c)
        st->first[c]++;
    }
  for (guint i = 0; i < n_cells; i++)
    st->first[i + 1] += st->first[i];
  st->times = g_new (double, st->first[n_cells] ? st->first[n_cells] : 1);
  fill = g_memdup2 (st->first, sizeof (guint64) * ((gsize) n_cells + 1));
  for (guint64 k = 0; k < n_spikes; k++)
    {
      guint c;
      if (!(t_ms[k] >= t0_ms && t_ms[k] < t1_ms))
        continue;
      c = GPOINTER_TO_UINT (g_hash_table_lookup (index, GUINT_TO_POINTER ((gsize) gid[k] + 1)));
      if (c)
        st->times[fill[c - 1]++] = t_ms[k];
    }
  g_free (fill);

  /* NlResults keeps spikes sorted; other callers may not */
  for (guint i = 0; i < n_cells; i++)
    {
      double *t = st->times + st->first[i];
      guint64 n = st->first[i + 1] - st->first[i];
      for (guint64 k = 1; k < n; k++)
        if (t[k] < t[k - 1])
          {
            qsort (t, n, sizeof (double), cmp_double);
            break;
          }
    }
  return st;
}

void
nl_spike_trains_free (NlSpikeTrains *st)
{
  if (!st)
    return;
  g_free (st->gids);
  g_free (st->first);
  g_free (st->times);
  g_free (st);
}

guint64
nl_spike_trains_n_spikes (const NlSpikeTrains *st)
{
  return st->first[st->n_cells];
}

static inline const double *
train (const NlSpikeTrains *st, guint i, guint64 *n)
{
  *n = st->first[i + 1] - st->first[i];
  return st->times + st->first[i];
}

/* ---- Rates ----------------------------------------------------------------------------- */

double
nl_spike_rate (guint64 n_spikes, guint n_cells, double t0_ms, double t1_ms)
{
  double secs = (t1_ms - t0_ms) / 1000.0;
  if (n_cells == 0 || !(secs > 0))
    return 0;
  return (double) n_spikes / n_cells / secs;
}

double
nl_spike_trains_rates (const NlSpikeTrains *st, double *rates)
{
  for (guint i = 0; rates && i < st->n_cells; i++)
    rates[i] = nl_spike_rate (st->first[i + 1] - st->first[i], 1, st->t0_ms, st->t1_ms);
  return nl_spike_rate (nl_spike_trains_n_spikes (st), st->n_cells, st->t0_ms, st->t1_ms);
}

/* ---- Histogram ------------------------------------------------------------------------- */

gboolean
nl_spike_hist_edges (double   t0_ms,
                     double   t1_ms,
                     double   bin_ms,
                     guint   *n_bins,
                     double **edges,
                     GError **error)
{
  double len, step;
  guint64 n_edges;

  if (!check_window (t0_ms, t1_ms, error))
    return FALSE;
  if (!isfinite (bin_ms) || bin_ms <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "bin size %g ms: expected a positive number of ms (NetPyNE's default is 5)", bin_ms);
      return FALSE;
    }
  /* numpy.arange: ceil((stop - start)/step) values start + k·(second - first) */
  len = ceil ((t1_ms - t0_ms) / bin_ms);
  if (len > (double) NL_SPIKE_HIST_MAX_BINS + 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "bin size %g ms over [%g, %g) ms gives %.0f bins, more than %u; use a larger bin",
                   bin_ms, t0_ms, t1_ms, len - 1, NL_SPIKE_HIST_MAX_BINS);
      return FALSE;
    }
  n_edges = len > 0 ? (guint64) len : 0;
  step = (t0_ms + bin_ms) - t0_ms;
  *n_bins = n_edges >= 2 ? (guint) (n_edges - 1) : 0;
  *edges = g_new (double, *n_bins + 1);
  for (guint k = 0; k <= *n_bins; k++)
    (*edges)[k] = t0_ms + k * step;
  return TRUE;
}

void
nl_spike_hist_count (const NlSpikeTrains *st,
                     const guint         *cells,
                     guint                n,
                     const double        *edges,
                     guint                n_bins,
                     double              *counts)
{
  guint n_use = cells ? n : st->n_cells;

  memset (counts, 0, sizeof (double) * n_bins);
  if (n_bins == 0)
    return;
  for (guint c = 0; c < n_use; c++)
    {
      guint64 nt;
      const double *t = train (st, cells ? cells[c] : c, &nt);
      for (guint64 k = 0; k < nt; k++)
        {
          double x = t[k];
          guint lo = 0, hi = n_bins;   /* the last edge ≤ x, searched in edges[0..n_bins] */
          if (x < edges[0] || x > edges[n_bins])
            continue;
          if (x == edges[n_bins])
            {
              counts[n_bins - 1]++;
              continue;
            }
          while (hi - lo > 1)
            {
              guint mid = lo + (hi - lo) / 2;
              if (edges[mid] <= x)
                lo = mid;
              else
                hi = mid;
            }
          counts[lo]++;
        }
    }
}

void
nl_spike_hist_to_rate (double *values, guint n_bins, double bin_ms, guint n_cells)
{
  for (guint k = 0; k < n_bins; k++)
    values[k] = n_cells ? values[k] * (1000.0 / bin_ms) / n_cells : 0;
}

gboolean
nl_smooth_hann (const double *x,
                guint         n,
                guint         window,
                double       *out,
                GError      **error)
{
  g_autofree double *s = NULL;
  g_autofree double *w = NULL;
  double wsum = 0;
  guint off;

  if (window < 3)
    {
      if (out != x)
        memmove (out, x, sizeof (double) * n);
      return TRUE;
    }
  if (n < window)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "smoothing window of %u bins is longer than the %u bins to smooth; "
                   "use a smaller window or a longer time range", window, n);
      return FALSE;
    }
  /* numpy.hanning(M): 0.5 - 0.5 cos(2πk/(M-1)), zero at both ends */
  w = g_new (double, window);
  for (guint k = 0; k < window; k++)
    {
      w[k] = 0.5 - 0.5 * cos (2 * G_PI * k / (window - 1));
      wsum += w[k];
    }
  for (guint k = 0; k < window; k++)
    w[k] /= wsum;
  /* reflected copies without the end samples themselves: x[w-1] … x[1], x, x[n-2] … x[n-w] */
  s = g_new (double, (gsize) n + 2 * (window - 1));
  for (guint k = 0; k < window - 1; k++)
    s[k] = x[window - 1 - k];
  memcpy (s + window - 1, x, sizeof (double) * n);
  for (guint k = 0; k < window - 1; k++)
    s[window - 1 + n + k] = x[n - 1 - k];
  /* 'valid' convolution sample m is Σ w[q]·s[m + window-1 - q]; NetPyNE keeps from
   * int(window/2 - 1), and the first n of those */
  off = (guint) (window / 2.0 - 1);
  for (guint k = 0; k < n; k++)
    {
      guint m = off + k;
      double acc = 0;
      for (guint q = 0; q < window; q++)
        acc += w[q] * s[m + window - 1 - q];
      out[k] = acc;
    }
  return TRUE;
}

/* ---- ISI CV and Fano factor ------------------------------------------------------------ */

gboolean
nl_spike_isicv (const double *t, guint64 n, guint min_spikes, double *cv)
{
  double mean = 0, var = 0;
  guint64 m;

  if (n <= min_spikes)
    return FALSE;
  if (n < 2)
    {
      *cv = 0;
      return TRUE;
    }
  m = n - 1;
  for (guint64 k = 0; k < m; k++)
    mean += t[k + 1] - t[k];
  mean /= m;
  for (guint64 k = 0; k < m; k++)
    {
      double d = (t[k + 1] - t[k]) - mean;
      var += d * d;
    }
  var /= m;
  *cv = mean > 0 ? sqrt (var) / mean : 0;
  return TRUE;
}

static guint64
whole_windows (double t0, double t1, double w)
{
  double q, k;
  if (!(w > 0) || !(t1 > t0))
    return 0;
  q = (t1 - t0) / w;
  k = floor (q);
  if (q - k > 1 - 1e-9)
    k += 1;
  return (guint64) k;
}

gboolean
nl_spike_fano (const double *t,
               guint64       n,
               double        t0_ms,
               double        t1_ms,
               double        window_ms,
               double       *fano,
               guint        *n_windows)
{
  guint64 nw = whole_windows (t0_ms, t1_ms, window_ms);
  g_autofree double *sorted = NULL;
  guint64 counted = 0, nonempty = 0;
  double mean, ss = 0;

  if (n_windows)
    *n_windows = (guint) MIN (nw, G_MAXUINT);
  if (nw == 0)
    return FALSE;
  /* Only windows with spikes are visited (a tiny window over a long run must not cost an
   * array of counts), so the spikes must be in order. */
  for (guint64 k = 1; k < n; k++)
    if (t[k] < t[k - 1])
      {
        sorted = g_memdup2 (t, sizeof (double) * n);
        qsort (sorted, n, sizeof (double), cmp_double);
        t = sorted;
        break;
      }
  for (guint64 k = 0; k < n; k++)
    {
      double x = (t[k] - t0_ms) / window_ms;
      if (x >= 0 && x < (double) nw)
        counted++;
    }
  mean = (double) counted / nw;
  if (counted == 0)
    return FALSE;
  /* Σ (c - mean)² over the windows with spikes, and mean² for each empty one */
  for (guint64 k = 0; k < n;)
    {
      double x = (t[k] - t0_ms) / window_ms, c = 0;
      guint64 w;
      if (!(x >= 0 && x < (double) nw))
        {
          k++;
          continue;
        }
      w = MIN ((guint64) x, nw - 1);
      for (; k < n; k++)
        {
          double y = (t[k] - t0_ms) / window_ms;
          if (!(y >= 0 && y < (double) nw) || MIN ((guint64) y, nw - 1) != w)
            break;
          c++;
        }
      ss += (c - mean) * (c - mean);
      nonempty++;
    }
  ss += (double) (nw - nonempty) * mean * mean;
  *fano = ss / nw / mean;
  return TRUE;
}

/* ---- SPIKE-synchronization ------------------------------------------------------------- */

/* Half the smallest interval around a[i] and b[j] (i, j may be -1: no spike yet). */
static inline double
coinc_window (const double *a, gint64 na, gint64 i,
              const double *b, gint64 nb, gint64 j,
              double m)
{
  if (i >= 0 && i < na - 1)
    m = MIN (m, a[i + 1] - a[i]);
  if (j >= 0 && j < nb - 1)
    m = MIN (m, b[j + 1] - b[j]);
  if (i > 0)
    m = MIN (m, a[i] - a[i - 1]);
  if (j > 0)
    m = MIN (m, b[j] - b[j - 1]);
  return 0.5 * m;
}

void
nl_spike_sync_pair (const double *a,
                    guint64       na,
                    const double *b,
                    guint64       nb,
                    double        t0_ms,
                    double        t1_ms,
                    double        max_tau,
                    double       *coinc,
                    double       *mp)
{
  gint64 i = -1, j = -1, n1 = (gint64) na, n2 = (gint64) nb;
  double c = 0, m = 0;
  double limit = t1_ms - t0_ms;

  if (max_tau > 0)
    limit = MIN (limit, 2 * max_tau);
  /* walk the merged trains; each new spike is compared with the latest spike of the other
   * train, and a coincidence marks both */
  while (i + j < n1 + n2 - 2)
    {
      if (i < n1 - 1 && (j == n2 - 1 || a[i + 1] < b[j + 1]))
        {
          i++;
          m += 1;
          if (j > -1 && a[i] - b[j] < coinc_window (a, n1, i, b, n2, j, limit))
            c += 2;
        }
      else if (j < n2 - 1 && (i == n1 - 1 || a[i + 1] > b[j + 1]))
        {
          j++;
          m += 1;
          if (i > -1 && b[j] - a[i] < coinc_window (a, n1, i, b, n2, j, limit))
            c += 2;
        }
      else
        {
          /* the same time in both: one coincident pair */
          i++;
          j++;
          m += 2;
          c += 2;
        }
    }
  *coinc = c;
  *mp = m;
}

gboolean
nl_spike_sync (const NlSpikeTrains *st,
               const guint         *cells,
               guint                n,
               double               max_tau,
               double              *multi,
               double              *matrix)
{
  guint n_use = cells ? n : st->n_cells;
  double csum = 0, msum = 0;

  for (guint p = 0; p < n_use; p++)
    {
      guint64 na;
      const double *a = train (st, cells ? cells[p] : p, &na);
      if (matrix)
        matrix[(gsize) p * n_use + p] = 1;
      for (guint q = p + 1; q < n_use; q++)
        {
          guint64 nb;
          const double *b = train (st, cells ? cells[q] : q, &nb);
          double c, m;
          nl_spike_sync_pair (a, na, b, nb, st->t0_ms, st->t1_ms, max_tau, &c, &m);
          csum += c;
          msum += m;
          if (matrix)
            matrix[(gsize) p * n_use + q] = matrix[(gsize) q * n_use + p] = m > 0 ? c / m : 1;
        }
    }
  if (n_use < 2)
    return FALSE;
  *multi = msum > 0 ? csum / msum : 1;
  return TRUE;
}

double
nl_spike_raster_sync (const double *t,
                      guint64       n,
                      double        t0_ms,
                      double        t1_ms,
                      double        width_ms)
{
  double prev = t0_ms - width_ms;
  guint64 cnt = 0;

  if (!(t1_ms > t0_ms) || !(width_ms > 0))
    return 0;
  for (guint64 k = 0; k < n; k++)
    if (t[k] >= prev + width_ms)
      {
        prev = t[k];
        cnt++;
      }
  return 1 - cnt / ((t1_ms - t0_ms) / width_ms);
}

/* ---- The CLI's JSON -------------------------------------------------------------------- */

void
nl_spike_analysis_options_init (NlSpikeAnalysisOptions *opt)
{
  memset (opt, 0, sizeof *opt);
  opt->bin_ms = 5;
  opt->isicv_min_spikes = 10;
  opt->fano_window_ms = 50;
  opt->sync_matrix = TRUE;
}

/* The selection: cells (ascending gids) with their population, and the populations. */
typedef struct {
  GPtrArray *pop_names;   /* char* (borrowed or "all") */
  GArray    *gids;        /* guint32, ascending */
  GArray    *pop_of;      /* guint, per selected cell */
  NlSpikeTrains *st;
  double     t0, t1;
} Selection;

static void
selection_clear (Selection *s)
{
  g_clear_pointer (&s->pop_names, g_ptr_array_unref);
  g_clear_pointer (&s->gids, g_array_unref);
  g_clear_pointer (&s->pop_of, g_array_unref);
  g_clear_pointer (&s->st, nl_spike_trains_free);
}

typedef struct {
  guint32 gid;
  guint   pop;
} GidPop;

static int
cmp_gidpop (const void *a, const void *b)
{
  guint32 x = ((const GidPop *) a)->gid, y = ((const GidPop *) b)->gid;
  return (x > y) - (x < y);
}

static gboolean
select_cells (NlResults                    *r,
              const NlSpikeAnalysisOptions *opt,
              Selection                    *s,
              GError                      **error)
{
  guint n_pops = nl_results_get_n_pops (r);
  guint64 n_spikes = nl_results_get_n_spikes (r);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  g_autoptr(GHashTable) pop_of = g_hash_table_new (NULL, NULL);   /* gid+1 → pop+1 */
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);   /* gid+1 → pop+1 */
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (GidPop));
  g_autoptr(GArray) sel = g_array_new (FALSE, FALSE, sizeof (GidPop));
  const guint32 *cells;
  gboolean any = (opt->pops && opt->pops[0]) || opt->n_gids > 0;

  s->pop_names = g_ptr_array_new ();
  /* every cell of the results with its (first) population */
  if (n_pops > 0)
    {
      for (guint p = 0; p < n_pops; p++)
        {
          guint n;
          const guint32 *gids = nl_results_get_pop_gids (r, p, &n);
          g_ptr_array_add (s->pop_names, (gpointer) nl_results_get_pop_name (r, p));
          for (guint k = 0; k < n; k++)
            {
              gpointer key = GUINT_TO_POINTER ((gsize) gids[k] + 1);
              if (!g_hash_table_contains (pop_of, key))
                {
                  GidPop gp = { gids[k], p };
                  g_hash_table_insert (pop_of, key, GUINT_TO_POINTER (p + 1));
                  g_array_append_val (all, gp);
                }
            }
        }
    }
  else
    {
      guint n_cells = nl_results_get_n_cells (r);
      guint32 max_gid = 0;
      g_ptr_array_add (s->pop_names, (gpointer) "all");
      if (n_cells > NL_SPIKE_MAX_CELLS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the results declare %u cells without populations, more than the %u "
                       "analysed without them; the file's cell count is probably wrong",
                       n_cells, NL_SPIKE_MAX_CELLS);
          return FALSE;
        }
      for (guint64 k = 0; k < n_spikes; k++)
        max_gid = MAX (max_gid, g[k]);
      if (n_cells > 0 && (n_spikes == 0 || max_gid < n_cells))
        for (guint32 c = 0; c < n_cells; c++)
          {
            GidPop gp = { c, 0 };
            g_hash_table_insert (pop_of, GUINT_TO_POINTER ((gsize) c + 1), GUINT_TO_POINTER (1));
            g_array_append_val (all, gp);
          }
      else
        for (guint64 k = 0; k < n_spikes; k++)
          {
            gpointer key = GUINT_TO_POINTER ((gsize) g[k] + 1);
            if (!g_hash_table_contains (pop_of, key))
              {
                GidPop gp = { g[k], 0 };
                g_hash_table_insert (pop_of, key, GUINT_TO_POINTER (1));
                g_array_append_val (all, gp);
              }
          }
    }

  if (!any)
    g_array_append_vals (sel, all->data, all->len);
  else
    {
      for (guint i = 0; opt->pops && opt->pops[i]; i++)
        {
          guint p;
          for (p = 0; p < s->pop_names->len; p++)
            if (g_str_equal (opt->pops[i], g_ptr_array_index (s->pop_names, p)))
              break;
          if (p == s->pop_names->len)
            {
              const char *hint;
              g_ptr_array_add (s->pop_names, NULL);
              hint = nl_suggest (opt->pops[i], (const char *const *) s->pop_names->pdata, -1);
              g_ptr_array_remove_index (s->pop_names, s->pop_names->len - 1);
              if (hint)
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "unknown population '%s'; did you mean '%s'?", opt->pops[i], hint);
              else
                {
                  g_autofree char *names = NULL;
                  g_ptr_array_add (s->pop_names, NULL);
                  names = g_strjoinv (", ", (char **) s->pop_names->pdata);
                  g_ptr_array_remove_index (s->pop_names, s->pop_names->len - 1);
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "unknown population '%s'; the results have: %s", opt->pops[i], names);
                }
              return FALSE;
            }
          for (guint k = 0; k < all->len; k++)
            {
              GidPop gp = g_array_index (all, GidPop, k);
              if (gp.pop == p && !g_hash_table_contains (chosen, GUINT_TO_POINTER ((gsize) gp.gid + 1)))
                {
                  g_hash_table_add (chosen, GUINT_TO_POINTER ((gsize) gp.gid + 1));
                  g_array_append_val (sel, gp);
                }
            }
        }
      for (guint i = 0; i < opt->n_gids; i++)
        {
          gpointer key = GUINT_TO_POINTER ((gsize) opt->gids[i] + 1);
          guint p1 = GPOINTER_TO_UINT (g_hash_table_lookup (pop_of, key));
          GidPop gp = { opt->gids[i], p1 - 1 };
          if (!p1)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "gid %u is not a cell of these results (%u cells known)",
                           opt->gids[i], all->len);
              return FALSE;
            }
          if (g_hash_table_contains (chosen, key))
            continue;
          g_hash_table_add (chosen, key);
          g_array_append_val (sel, gp);
        }
    }
  if (sel->len > 1)
    qsort (sel->data, sel->len, sizeof (GidPop), cmp_gidpop);

  s->gids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), sel->len);
  s->pop_of = g_array_sized_new (FALSE, FALSE, sizeof (guint), sel->len);
  for (guint k = 0; k < sel->len; k++)
    {
      GidPop gp = g_array_index (sel, GidPop, k);
      g_array_append_val (s->gids, gp.gid);
      g_array_append_val (s->pop_of, gp.pop);
    }

  /* the window */
  if (opt->has_time_range)
    {
      s->t0 = opt->t0_ms;
      s->t1 = opt->t1_ms;
    }
  else
    {
      double d = nl_results_get_duration (r);
      s->t0 = 0;
      if (isfinite (d) && d > 0)
        s->t1 = d;
      else
        s->t1 = n_spikes > 0 && isfinite (t[n_spikes - 1]) ? MAX (0, floor (t[n_spikes - 1]) + 1) : 0;
    }
  cells = (const guint32 *) s->gids->data;
  s->st = nl_spike_trains_new (t, g, n_spikes, cells, s->gids->len, s->t0, s->t1, error);
  return s->st != NULL;
}

/* Indices (into the selection) of the cells of population p, or of all for p = G_MAXUINT. */
static GArray *
group_cells (const Selection *s, guint p)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < s->gids->len; i++)
    if (p == G_MAXUINT || g_array_index (s->pop_of, guint, i) == p)
      g_array_append_val (a, i);
  return a;
}

static guint64
group_spikes (const Selection *s, GArray *cells)
{
  guint64 n = 0;
  for (guint k = 0; k < cells->len; k++)
    {
      guint i = g_array_index (cells, guint, k);
      n += s->st->first[i + 1] - s->st->first[i];
    }
  return n;
}

/* The pooled, sorted spikes of a group. */
static double *
group_pooled (const Selection *s, GArray *cells, guint64 *n)
{
  double *out;
  guint64 m = 0;
  *n = group_spikes (s, cells);
  out = g_new (double, *n ? *n : 1);
  for (guint k = 0; k < cells->len; k++)
    {
      guint i = g_array_index (cells, guint, k);
      guint64 nt;
      const double *t = train (s->st, i, &nt);
      memcpy (out + m, t, sizeof (double) * nt);
      m += nt;
    }
  qsort (out, *n, sizeof (double), cmp_double);
  return out;
}

static void
add_double_or_null (JsonBuilder *b, const char *name, gboolean defined, double v)
{
  json_builder_set_member_name (b, name);
  if (defined && isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

/* The populations that have selected cells, in order. */
static gboolean
pop_used (const Selection *s, guint p)
{
  for (guint i = 0; i < s->pop_of->len; i++)
    if (g_array_index (s->pop_of, guint, i) == p)
      return TRUE;
  return FALSE;
}

/* Opens the "cells" entry of selected cell i with its pop and spike count. */
static void
begin_cell (JsonBuilder *b, const Selection *s, guint i)
{
  char key[16];
  g_snprintf (key, sizeof key, "%u", g_array_index (s->gids, guint32, i));
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pop");
  json_builder_add_string_value (b, g_ptr_array_index (s->pop_names, g_array_index (s->pop_of, guint, i)));
  add_int (b, "spikes", (gint64) (s->st->first[i + 1] - s->st->first[i]));
}

static void
json_rates (JsonBuilder *b, const Selection *s)
{
  guint n_groups = s->pop_names->len;
  for (guint p = 0; p <= n_groups; p++)
    {
      guint grp = p == 0 ? G_MAXUINT : p - 1;
      g_autoptr(GArray) cells = NULL;
      guint64 ns;
      if (p == 0)
        json_builder_set_member_name (b, "total");
      else if (!pop_used (s, grp))
        continue;
      else
        json_builder_set_member_name (b, g_ptr_array_index (s->pop_names, grp));
      cells = group_cells (s, grp);
      ns = group_spikes (s, cells);
      json_builder_begin_object (b);
      add_int (b, "cells", cells->len);
      add_int (b, "spikes", (gint64) ns);
      add_double_or_null (b, "rate_hz", TRUE, nl_spike_rate (ns, cells->len, s->t0, s->t1));
      json_builder_end_object (b);
      if (p == 0)
        {
          json_builder_set_member_name (b, "pops");
          json_builder_begin_object (b);
        }
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_object (b);
  for (guint i = 0; i < s->gids->len; i++)
    {
      begin_cell (b, s, i);
      add_double_or_null (b, "rate_hz", TRUE,
                          nl_spike_rate (s->st->first[i + 1] - s->st->first[i], 1, s->t0, s->t1));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static void
json_isicv (JsonBuilder *b, const Selection *s, guint min_spikes)
{
  guint n = s->gids->len;
  g_autofree double *cv = g_new (double, n ? n : 1);
  g_autofree gboolean *ok = g_new (gboolean, n ? n : 1);

  add_int (b, "min_spikes", min_spikes);
  for (guint i = 0; i < n; i++)
    {
      guint64 nt;
      const double *t = train (s->st, i, &nt);
      ok[i] = nl_spike_isicv (t, nt, min_spikes, &cv[i]);
    }
  for (guint p = 0; p <= s->pop_names->len; p++)
    {
      guint grp = p == 0 ? G_MAXUINT : p - 1;
      g_autoptr(GArray) cells = NULL;
      g_autofree double *v = NULL;
      guint m = 0;
      if (p == 0)
        json_builder_set_member_name (b, "total");
      else if (!pop_used (s, grp))
        continue;
      else
        json_builder_set_member_name (b, g_ptr_array_index (s->pop_names, grp));
      cells = group_cells (s, grp);
      v = g_new (double, cells->len ? cells->len : 1);
      for (guint k = 0; k < cells->len; k++)
        {
          guint i = g_array_index (cells, guint, k);
          if (ok[i])
            v[m++] = cv[i];
        }
      json_builder_begin_object (b);
      add_int (b, "cells", cells->len);
      add_int (b, "cells_used", m);
      if (m > 0)
        {
          double mean = gsl_stats_mean (v, 1, m);
          qsort (v, m, sizeof (double), cmp_double);
          add_double_or_null (b, "mean", TRUE, mean);
          add_double_or_null (b, "median", TRUE, gsl_stats_median_from_sorted_data (v, 1, m));
          add_double_or_null (b, "sd", TRUE, sqrt (gsl_stats_variance_with_fixed_mean (v, 1, m, mean)));
        }
      else
        {
          add_double_or_null (b, "mean", FALSE, 0);
          add_double_or_null (b, "median", FALSE, 0);
          add_double_or_null (b, "sd", FALSE, 0);
        }
      json_builder_end_object (b);
      if (p == 0)
        {
          json_builder_set_member_name (b, "pops");
          json_builder_begin_object (b);
        }
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      begin_cell (b, s, i);
      add_double_or_null (b, "isicv", ok[i], cv[i]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static gboolean
json_fano (JsonBuilder *b, const Selection *s, double w, GError **error)
{
  guint n = s->gids->len, nw = 0;
  g_autofree double *ff = g_new (double, n ? n : 1);
  g_autofree gboolean *ok = g_new (gboolean, n ? n : 1);
  double sum = 0;
  guint used = 0;

  if (!isfinite (w) || w <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fano window %g ms: expected a positive number of ms", w);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      guint64 nt;
      const double *t = train (s->st, i, &nt);
      ok[i] = nl_spike_fano (t, nt, s->t0, s->t1, w, &ff[i], NULL);
      if (ok[i])
        {
          sum += ff[i];
          used++;
        }
    }
  nl_spike_fano (NULL, 0, s->t0, s->t1, w, &(double){ 0 }, &nw);
  json_builder_set_member_name (b, "window_ms");
  json_builder_add_double_value (b, w);
  add_int (b, "windows", nw);
  for (guint p = 0; p <= s->pop_names->len; p++)
    {
      guint grp = p == 0 ? G_MAXUINT : p - 1;
      g_autoptr(GArray) cells = NULL;
      g_autofree double *pooled = NULL;
      guint64 np;
      double f = 0;
      gboolean def;
      if (p == 0)
        json_builder_set_member_name (b, "total");
      else if (!pop_used (s, grp))
        continue;
      else
        json_builder_set_member_name (b, g_ptr_array_index (s->pop_names, grp));
      cells = group_cells (s, grp);
      pooled = group_pooled (s, cells, &np);
      def = nl_spike_fano (pooled, np, s->t0, s->t1, w, &f, NULL);
      json_builder_begin_object (b);
      add_int (b, "cells", cells->len);
      add_int (b, "spikes", (gint64) np);
      add_double_or_null (b, "fano", def, f);
      if (p == 0)
        add_double_or_null (b, "mean_cell_fano", used > 0, used ? sum / used : 0);
      json_builder_end_object (b);
      if (p == 0)
        {
          json_builder_set_member_name (b, "pops");
          json_builder_begin_object (b);
        }
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      begin_cell (b, s, i);
      add_double_or_null (b, "fano", ok[i], ff[i]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return TRUE;
}

static gboolean
json_sync (JsonBuilder *b, const Selection *s, const NlSpikeAnalysisOptions *opt, GError **error)
{
  guint n = s->gids->len, n_pops = s->pop_names->len;
  g_autoptr(GArray) used = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree int *slot = g_new (int, n ? n : 1);        /* cell → index among used, or -1 */
  g_autofree double *rowsum = NULL;
  g_autofree double *matrix = NULL;
  g_autofree double *pc = g_new0 (double, n_pops + 1);  /* per pop, then total */
  g_autofree double *pm = g_new0 (double, n_pops + 1);
  g_autofree guint *ptrains = g_new0 (guint, n_pops + 1);
  g_autofree guint *pcells = g_new0 (guint, n_pops + 1);
  g_autofree double *pooled = NULL;
  g_autoptr(GArray) everyone = NULL;
  guint64 np;
  guint nu;

  for (guint i = 0; i < n; i++)
    {
      guint p = g_array_index (s->pop_of, guint, i);
      pcells[p]++;
      pcells[n_pops]++;
      slot[i] = -1;
      if (opt->sync_include_silent || s->st->first[i + 1] > s->st->first[i])
        {
          slot[i] = (int) used->len;
          g_array_append_val (used, i);
          ptrains[p]++;
          ptrains[n_pops]++;
        }
    }
  nu = used->len;
  if (opt->sync_matrix && nu > NL_SPIKE_SYNC_MATRIX_MAX_CELLS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the pairwise synchrony matrix of %u cells is too large to print (at most %u); "
                   "select fewer cells or leave the matrix out", nu, NL_SPIKE_SYNC_MATRIX_MAX_CELLS);
      return FALSE;
    }
  rowsum = g_new0 (double, nu ? nu : 1);
  if (opt->sync_matrix)
    matrix = g_new0 (double, (gsize) nu * nu + 1);

  /* every pair once: the totals, the pairs within a population, the row sums */
  for (guint x = 0; x < nu; x++)
    {
      guint i = g_array_index (used, guint, x);
      guint pi = g_array_index (s->pop_of, guint, i);
      guint64 na;
      const double *a = train (s->st, i, &na);
      if (matrix)
        matrix[(gsize) x * nu + x] = 1;
      for (guint y = x + 1; y < nu; y++)
        {
          guint j = g_array_index (used, guint, y);
          guint64 nb;
          const double *bt = train (s->st, j, &nb);
          double c, m, v;
          nl_spike_sync_pair (a, na, bt, nb, s->t0, s->t1, opt->sync_max_tau, &c, &m);
          v = m > 0 ? c / m : 1;
          pc[n_pops] += c;
          pm[n_pops] += m;
          if (g_array_index (s->pop_of, guint, j) == pi)
            {
              pc[pi] += c;
              pm[pi] += m;
            }
          rowsum[x] += v;
          rowsum[y] += v;
          if (matrix)
            matrix[(gsize) x * nu + y] = matrix[(gsize) y * nu + x] = v;
        }
    }

  json_builder_set_member_name (b, "include_silent");
  json_builder_add_boolean_value (b, opt->sync_include_silent);
  everyone = group_cells (s, G_MAXUINT);
  pooled = group_pooled (s, everyone, &np);
  for (guint p = 0; p <= n_pops; p++)
    {
      guint grp = p == 0 ? n_pops : p - 1;
      if (p == 0)
        json_builder_set_member_name (b, "total");
      else if (pcells[grp] == 0)
        continue;
      else
        json_builder_set_member_name (b, g_ptr_array_index (s->pop_names, grp));
      json_builder_begin_object (b);
      add_int (b, "cells", pcells[grp]);
      add_int (b, "trains", ptrains[grp]);
      add_double_or_null (b, "spike_sync", ptrains[grp] >= 2, pm[grp] > 0 ? pc[grp] / pm[grp] : 1);
      if (p == 0)
        add_double_or_null (b, "raster_sync", TRUE, nl_spike_raster_sync (pooled, np, s->t0, s->t1, 1));
      json_builder_end_object (b);
      if (p == 0)
        {
          json_builder_set_member_name (b, "pops");
          json_builder_begin_object (b);
        }
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      begin_cell (b, s, i);
      add_double_or_null (b, "pairsync", slot[i] >= 0,
                          slot[i] >= 0 ? (rowsum[slot[i]] + 1) / nu : 0);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  if (matrix)
    {
      json_builder_set_member_name (b, "matrix");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "gids");
      json_builder_begin_array (b);
      for (guint x = 0; x < nu; x++)
        json_builder_add_int_value (b, g_array_index (s->gids, guint32, g_array_index (used, guint, x)));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint x = 0; x < nu; x++)
        {
          json_builder_begin_array (b);
          for (guint y = 0; y < nu; y++)
            json_builder_add_double_value (b, matrix[(gsize) x * nu + y]);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  return TRUE;
}

static void
add_array (JsonBuilder *b, const double *v, guint n)
{
  json_builder_begin_array (b);
  for (guint k = 0; k < n; k++)
    json_builder_add_double_value (b, v[k]);
  json_builder_end_array (b);
}

static gboolean
json_spikehist (JsonBuilder *b, const Selection *s, const NlSpikeAnalysisOptions *opt, GError **error)
{
  g_autofree double *edges = NULL;
  g_autofree double *h = NULL;
  guint nb;

  if (!nl_spike_hist_edges (s->t0, s->t1, opt->bin_ms, &nb, &edges, error))
    return FALSE;
  if (opt->smooth >= 3 && nb < opt->smooth)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "smoothing window of %u bins is longer than the histogram's %u bins; "
                   "use a smaller window or bin, or a longer time range", opt->smooth, nb);
      return FALSE;
    }
  json_builder_set_member_name (b, "bin_ms");
  json_builder_add_double_value (b, opt->bin_ms);
  json_builder_set_member_name (b, "measure");
  json_builder_add_string_value (b, opt->counts ? "count" : "rate");
  add_int (b, "smooth", opt->smooth);
  json_builder_set_member_name (b, "bin_start_ms");
  add_array (b, edges, nb);
  h = g_new (double, nb ? nb : 1);
  for (guint p = 0; p <= s->pop_names->len; p++)
    {
      guint grp = p == 0 ? G_MAXUINT : p - 1;
      g_autoptr(GArray) cells = NULL;
      if (p == 0)
        json_builder_set_member_name (b, "total");
      else if (!pop_used (s, grp))
        continue;
      else
        json_builder_set_member_name (b, g_ptr_array_index (s->pop_names, grp));
      cells = group_cells (s, grp);
      nl_spike_hist_count (s->st, (const guint *) cells->data, cells->len, edges, nb, h);
      if (!opt->counts)
        nl_spike_hist_to_rate (h, nb, opt->bin_ms, cells->len);
      if (!nl_smooth_hann (h, nb, opt->smooth, h, error))
        return FALSE;
      add_array (b, h, nb);
      if (p == 0)
        {
          json_builder_set_member_name (b, "pops");
          json_builder_begin_object (b);
        }
    }
  json_builder_end_object (b);
  return TRUE;
}

JsonNode *
nl_spike_analysis_json (NlResults                    *r,
                        const char                   *kind,
                        const NlSpikeAnalysisOptions *opt,
                        GError                      **error)
{
  static const char *const kinds[] = { "rates", "isicv", "fano", "sync", "spikehist", NULL };
  NlSpikeAnalysisOptions defaults;
  g_autoptr(JsonBuilder) b = NULL;
  Selection s = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (r != NULL, NULL);
  if (!opt)
    {
      nl_spike_analysis_options_init (&defaults);
      opt = &defaults;
    }
  if (!kind || !g_strv_contains (kinds, kind))
    {
      const char *hint = kind ? nl_suggest (kind, kinds, -1) : NULL;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown spike analysis '%s'%s%s%s; expected rates, isicv, fano, sync or spikehist",
                   kind ? kind : "(none)", hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
      return NULL;
    }
  if (!select_cells (r, opt, &s, error))
    {
      selection_clear (&s);
      return NULL;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "t0_ms");
  json_builder_add_double_value (b, s.t0);
  json_builder_set_member_name (b, "t1_ms");
  json_builder_add_double_value (b, s.t1);
  if (g_str_equal (kind, "rates"))
    json_rates (b, &s);
  else if (g_str_equal (kind, "isicv"))
    json_isicv (b, &s, opt->isicv_min_spikes);
  else if (g_str_equal (kind, "fano"))
    ok = json_fano (b, &s, opt->fano_window_ms, error);
  else if (g_str_equal (kind, "sync"))
    ok = json_sync (b, &s, opt, error);
  else
    ok = json_spikehist (b, &s, opt, error);
  selection_clear (&s);
  if (!ok)
    return NULL;
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- CSV ------------------------------------------------------------------------------- */

/* RFC 4180: a name with a comma, quote or line break goes in quotes, quotes doubled. */
static void
append_csv_field (GString *out, const char *s)
{
  if (!strpbrk (s, ",\"\r\n"))
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

gboolean
nl_spike_hist_write_csv (JsonNode      *hist,
                         GOutputStream *out,
                         GCancellable  *cancellable,
                         GError       **error)
{
  JsonObject *o, *pops;
  JsonArray *starts;
  g_autoptr(GList) names = NULL;
  g_autoptr(GString) text = g_string_new ("bin_start_ms");
  guint nb;

  if (!hist || !JSON_NODE_HOLDS_OBJECT (hist)
      || !(o = json_node_get_object (hist))
      || g_strcmp0 (json_object_get_string_member_with_default (o, "kind", ""), "spikehist") != 0
      || !json_object_has_member (o, "bin_start_ms") || !json_object_has_member (o, "pops"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "not a spikehist result (expected the output of nl_spike_analysis_json (…, \"spikehist\", …))");
      return FALSE;
    }
  starts = json_object_get_array_member (o, "bin_start_ms");
  pops = json_object_get_object_member (o, "pops");
  nb = json_array_get_length (starts);
  names = json_object_get_members (pops);   /* insertion order: the results' */
  for (GList *l = names; l; l = l->next)
    {
      g_string_append_c (text, ',');
      append_csv_field (text, l->data);
    }
  g_string_append_c (text, '\n');
  for (guint k = 0; k < nb; k++)
    {
      char buf[32];
      nl_json_format_double (buf, json_array_get_double_element (starts, k));
      g_string_append (text, buf);
      for (GList *l = names; l; l = l->next)
        {
          JsonArray *col = json_object_get_array_member (pops, l->data);
          nl_json_format_double (buf, k < json_array_get_length (col) ? json_array_get_double_element (col, k) : 0);
          g_string_append_c (text, ',');
          g_string_append (text, buf);
        }
      g_string_append_c (text, '\n');
      /* flush now and then: a long histogram need not sit in memory twice */
      if (text->len > 1 << 16)
        {
          if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (text, 0);
        }
    }
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}
