/* VecStim spike trains (core/nl-vecstim.c) against NetPyNE 1.1.0's formulas
 * (netpyne/cell/pointCell.py, netpyne/cell/inputs.py): exact times where NetPyNE draws
 * nothing, statistics where it draws (the numbers themselves come from NetLoom's streams,
 * not NEURON's Random123). Populations are written inline in JSON with single quotes. */

#include <nl-build.h>
#include <nl-vecstim.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

#define PATH "popParams.drive"

static JsonNode *
parse (const char *sq)
{
  g_autofree char *s = g_strdup (sq);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  for (char *p = s; *p; p++)
    if (*p == '\'')
      *p = '"';
  node = json_from_string (s, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

static GArray *
train_full (const char *pop_json, const char *cell_json, guint index, guint gid, double duration,
            guint32 seed)
{
  g_autoptr(JsonNode) pop = parse (pop_json);
  g_autoptr(JsonNode) cell = cell_json ? parse (cell_json) : NULL;
  g_autoptr(GError) error = NULL;
  GArray *a = nl_vecstim_spike_times (json_node_get_object (pop),
                                      cell ? json_node_get_object (cell) : NULL,
                                      index, gid, duration, seed, PATH, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  /* Whatever the source: sorted, within [0, duration]. */
  for (guint i = 0; i < a->len; i++)
    {
      double t = g_array_index (a, double, i);
      g_assert_cmpfloat (t, >=, 0.0);
      g_assert_cmpfloat (t, <=, duration);
      if (i > 0)
        g_assert_cmpfloat (g_array_index (a, double, i - 1), <=, t);
    }
  return a;
}

static GArray *
train (const char *pop_json, guint gid, double duration)
{
  return train_full (pop_json, NULL, gid, gid, duration, 1);
}

static void
assert_times (GArray *a, const double *expect, guint n)
{
  for (guint i = 0; i < MIN (a->len, n); i++)
    if (g_array_index (a, double, i) != expect[i])
      g_error ("spike %u: %.17g, expected %.17g", i, g_array_index (a, double, i), expect[i]);
  g_assert_cmpuint (a->len, ==, n);
}

static gboolean
same_train (GArray *a, GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (double)) == 0;
}

static char *
error_of (const char *pop_json, const char *cell_json)
{
  g_autoptr(JsonNode) pop = parse (pop_json);
  g_autoptr(JsonNode) cell = cell_json ? parse (cell_json) : NULL;
  g_autoptr(GError) error = NULL;
  GArray *a = nl_vecstim_spike_times (json_node_get_object (pop),
                                      cell ? json_node_get_object (cell) : NULL,
                                      0, 0, 1000.0, 1, PATH, &error);
  g_assert_null (a);
  g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID);
  return g_strdup (error->message);
}

/* Running mean and standard deviation. */
typedef struct { double n, sum, sum2; } Stat;

static void   stat_add  (Stat *s, double x) { s->n++; s->sum += x; s->sum2 += x * x; }
static double stat_mean (const Stat *s)     { return s->sum / s->n; }
static double stat_sd   (const Stat *s)
{
  double m = stat_mean (s);
  return sqrt (s->sum2 / s->n - m * m);
}

#define assert_between(x, lo, hi)                                                             \
  G_STMT_START {                                                                             \
    double x_ = (x);                                                                          \
    g_test_message ("%s = %g (expected within [%g, %g])", #x, x_, (double) (lo), (double) (hi)); \
    if (!(x_ >= (lo) && x_ <= (hi)))                                                          \
      g_error ("%s = %g, expected within [%g, %g]", #x, x_, (double) (lo), (double) (hi));     \
  } G_STMT_END

/* ------------------------------------------------------------------------------------------ */
/* rate / interval                                                                             */

/* noise 0: int(duration/interval) spikes at cumsum(interval) + (start − interval), i.e.
 * start + k·interval, k = 0 … n−1 (pointCell.py:148-158). */
static void
test_rate_regular (void)
{
  /* rate 10 Hz → interval 100 ms; n = int(1000/100) = 10: 50, 150, …, 950. */
  static const double expect[] = { 50, 150, 250, 350, 450, 550, 650, 750, 850, 950 };
  /* rate 40 Hz, duration 100 → interval 25, n = int(100/25) = 4: 20, 45, 70, 95. */
  static const double expect40[] = { 20, 45, 70, 95 };
  /* start −120: −120, −20, 80 … 780; negatives become 0, they are not dropped. */
  static const double expect_neg[] = { 0, 0, 80, 180, 280, 380, 480, 580, 680, 780 };
  /* start 950: 950, 1050, … — only 950 is within the duration. */
  static const double expect_late[] = { 950 };
  g_autoptr(GArray) a = train ("{'cellModel': 'VecStim', 'numCells': 10, 'rate': 10, 'noise': 0, 'start': 50}", 3, 1000);
  g_autoptr(GArray) b = train ("{'cellModel': 'VecStim', 'numCells': 10, 'interval': 100, 'start': 50}", 7, 1000);
  g_autoptr(GArray) c = train ("{'cellModel': 'VecStim', 'rate': 10, 'interval': 7, 'start': 50}", 0, 1000);
  g_autoptr(GArray) d = train ("{'cellModel': 'VecStim', 'rate': 40, 'start': 20}", 0, 100);
  g_autoptr(GArray) e = train ("{'cellModel': 'VecStim', 'rate': 10, 'start': -120}", 0, 1000);
  g_autoptr(GArray) f = train ("{'cellModel': 'VecStim', 'rate': 10, 'start': 950}", 0, 1000);
  g_autoptr(GArray) g = train ("{'cellModel': 'VecStim', 'rate': 10}", 0, 1000);

  assert_times (a, expect, G_N_ELEMENTS (expect));
  assert_times (b, expect, G_N_ELEMENTS (expect));      /* interval instead of rate */
  assert_times (c, expect, G_N_ELEMENTS (expect));      /* rate wins over interval */
  assert_times (d, expect40, G_N_ELEMENTS (expect40));
  assert_times (e, expect_neg, G_N_ELEMENTS (expect_neg));
  assert_times (f, expect_late, G_N_ELEMENTS (expect_late));
  g_assert_cmpuint (g->len, ==, 10);                    /* start defaults to 0 */
  g_assert_cmpfloat (g_array_index (g, double, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (g, double, 9), ==, 900.0);
}

/* noise 0.5, rate 20 (interval 50), start 100: int(1.75·1000/50) = 35 intervals of
 * 25 ms + negexp(25); the first spike is at start + negexp, later ISIs are ≥ 25 with mean 50. */
static void
test_rate_noise (void)
{
  const char *pop = "{'cellModel': 'VecStim', 'numCells': 2000, 'rate': 20, 'noise': 0.5, 'start': 100}";
  Stat count = { 0 }, first = { 0 }, isi = { 0 };
  Stat count1 = { 0 };

  for (guint gid = 0; gid < 2000; gid++)
    {
      g_autoptr(GArray) a = train (pop, gid, 1000);
      g_autoptr(GArray) p = train ("{'cellModel': 'VecStim', 'rate': 10, 'noise': 1}", gid, 1000);

      g_assert_cmpuint (a->len, <=, 35);
      g_assert_cmpuint (a->len, >=, 10);
      g_assert_cmpfloat (g_array_index (a, double, 0), >=, 100.0);
      stat_add (&count, a->len);
      stat_add (&first, g_array_index (a, double, 0));
      for (guint i = 1; i < a->len; i++)
        {
          double d = g_array_index (a, double, i) - g_array_index (a, double, i - 1);
          g_assert_cmpfloat (d, >=, 25.0 - 1e-9);      /* the fixed part */
          if (i < 10)                                  /* spikes 1…10 are never cut by the end */
            stat_add (&isi, d);
        }
      g_assert_cmpuint (p->len, <=, 25);               /* int(2.5·1000/100) draws */
      stat_add (&count1, p->len);
    }
  /* first spike = start + negexp(25): mean 125, sd 25 (se 0.56) */
  assert_between (stat_mean (&first), 122.0, 128.0);
  assert_between (stat_sd (&first), 23.0, 27.0);
  /* ISI = 25 + negexp(25): mean 50 = the interval, sd 25 (se 0.19) */
  assert_between (stat_mean (&isi), 49.0, 51.0);
  assert_between (stat_sd (&isi), 23.5, 26.5);
  /* spikes within 1000 ms: 18.11 by simulation of NetPyNE's formula (sd 2.14, se 0.05) */
  assert_between (stat_mean (&count), 17.85, 18.35);
  /* noise 1 is a Poisson train: mean count = rate·duration = 10 (se 0.07) */
  assert_between (stat_mean (&count1), 9.7, 10.3);
  assert_between (stat_sd (&count1), 2.9, 3.45);
}

/* NetPyNE refuses noisy trains of 10⁴ spikes or more (pointCell.py:144-197); without noise
 * there is no limit. */
static void
test_rate_limit (void)
{
  g_autoptr(JsonNode) noisy = parse ("{'cellModel': 'VecStim', 'rate': 100, 'noise': 0.5}");
  g_autoptr(JsonNode) regular = parse ("{'cellModel': 'VecStim', 'rate': 100}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = NULL, b = NULL, c = NULL;

  /* 1.75·100000/10 = 17500 noisy spikes: refused, naming the rate */
  a = nl_vecstim_spike_times (json_node_get_object (noisy), NULL, 0, 0, 100000.0, 1, PATH, &error);
  g_assert_null (a);
  g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, PATH ".rate"));
  g_assert_nonnull (strstr (error->message, "10000"));
  g_clear_error (&error);
  /* 1.75·5000/10 = 875: fine */
  b = nl_vecstim_spike_times (json_node_get_object (noisy), NULL, 0, 0, 5000.0, 1, PATH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, >, 400);
  /* no noise: 10000 spikes, 0 … 99990 ms */
  c = nl_vecstim_spike_times (json_node_get_object (regular), NULL, 0, 0, 100000.0, 1, PATH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 10000);
  g_assert_cmpfloat (g_array_index (c, double, 9999), ==, 99990.0);
}

/* rate [min, max]: one uniform draw per cell, then a regular train at that rate. */
static void
test_rate_range (void)
{
  Stat rate = { 0 };
  double lo = INFINITY, hi = -INFINITY;

  for (guint gid = 0; gid < 2000; gid++)
    {
      g_autoptr(GArray) a = train ("{'cellModel': 'VecStim', 'rate': [5, 20], 'start': 10}", gid, 1000);
      double isi;

      g_assert_cmpuint (a->len, >=, 4);
      g_assert_cmpfloat (g_array_index (a, double, 0), ==, 10.0);
      isi = g_array_index (a, double, 1) - g_array_index (a, double, 0);
      for (guint i = 2; i < a->len; i++)
        g_assert_cmpfloat (fabs (g_array_index (a, double, i) - g_array_index (a, double, i - 1) - isi), <, 1e-9);
      /* n = int(1000/isi) spikes from 10 ms, those ≤ 1000 kept */
      g_assert_cmpuint (a->len, ==, MIN ((guint) (1000.0 / isi), (guint) floor ((1000.0 - 10.0) / isi) + 1));
      g_assert_cmpfloat (isi, >=, 50.0);
      g_assert_cmpfloat (isi, <=, 200.0);
      stat_add (&rate, 1000.0 / isi);
      lo = MIN (lo, 1000.0 / isi);
      hi = MAX (hi, 1000.0 / isi);
    }
  /* uniform on [5, 20]: mean 12.5, sd 4.33 (se 0.1) */
  assert_between (stat_mean (&rate), 12.2, 12.8);
  assert_between (stat_sd (&rate), 4.1, 4.55);
  g_assert_cmpfloat (lo, <, 5.1);
  g_assert_cmpfloat (hi, >, 19.9);
}

/* ------------------------------------------------------------------------------------------ */
/* spkTimes                                                                                    */

static void
test_spk_times (void)
{
  /* negatives → 0, beyond the duration dropped, sorted */
  static const double one[] = { 0, 10, 20, 30 };
  static const double c0[] = { 1, 5 }, c1[] = { 7 }, c2[] = { 3, 9 };
  static const double own[] = { 2, 4 };
  static const double regular[] = { 0, 200, 400, 600, 800 };
  const char *pop_1d = "{'cellModel': 'VecStim', 'numCells': 3, 'spkTimes': [30, 10, -5, 2000, 20]}";
  const char *pop_2d = "{'cellModel': 'VecStim', 'numCells': 5, 'spkTimes': [[5, 1], [7], [9, 3]]}";
  const char *pop_list = "{'cellModel': 'VecStim', 'cellsList': [{'x': 1, 'spkTimes': [4, 2]}]}";

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GArray) a = train_full (pop_1d, NULL, i, 100 + i, 1000, 1);
      assert_times (a, one, G_N_ELEMENTS (one));
    }
  {
    g_autoptr(GArray) a0 = train_full (pop_2d, NULL, 0, 40, 1000, 1);
    g_autoptr(GArray) a1 = train_full (pop_2d, NULL, 1, 41, 1000, 1);
    g_autoptr(GArray) a2 = train_full (pop_2d, NULL, 2, 42, 1000, 1);
    /* NetPyNE (pop.py:162-166): cells past the end keep the previous cell's list — the last */
    g_autoptr(GArray) a4 = train_full (pop_2d, NULL, 4, 44, 1000, 1);
    assert_times (a0, c0, G_N_ELEMENTS (c0));
    assert_times (a1, c1, G_N_ELEMENTS (c1));
    assert_times (a2, c2, G_N_ELEMENTS (c2));
    assert_times (a4, c2, G_N_ELEMENTS (c2));
  }
  {
    /* a cellsList entry's own list */
    g_autoptr(GArray) a = train_full (pop_list, "{'x': 1, 'spkTimes': [4, 2]}", 0, 9, 1000, 1);
    /* rate comes before spkTimes, even a cell's own */
    g_autoptr(GArray) b = train_full ("{'cellModel': 'VecStim', 'rate': 5, 'cellsList': [{'spkTimes': [4, 2]}]}",
                                      "{'spkTimes': [4, 2]}", 0, 9, 1000, 1);
    /* a cellsList entry's params replace the population's */
    g_autoptr(GArray) c = train_full ("{'cellModel': 'VecStim', 'rate': 5, 'cellsList': [{'params': {'spkTimes': [4, 2]}}]}",
                                      "{'params': {'spkTimes': [4, 2]}}", 0, 9, 1000, 1);
    /* nested params: a top-level rate is not a parameter then (pop.py:532-534) */
    g_autoptr(GArray) d = train ("{'cellModel': 'VecStim', 'rate': 1000, 'params': {'interval': 200}}", 0, 1000);
    /* an empty list: no spikes */
    g_autoptr(GArray) e = train ("{'cellModel': 'VecStim', 'spkTimes': []}", 0, 1000);

    assert_times (a, own, G_N_ELEMENTS (own));
    assert_times (b, regular, G_N_ELEMENTS (regular));
    assert_times (c, own, G_N_ELEMENTS (own));
    assert_times (d, regular, G_N_ELEMENTS (regular));
    g_assert_cmpuint (e->len, ==, 0);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* pulses                                                                                      */

static void
test_pulses (void)
{
  /* rate 50 → interval 20; n = int(200/20) = 10: 100, 120, … 280; plus spkTimes 500 */
  static const double expect[] = { 100, 120, 140, 160, 180, 200, 220, 240, 260, 280, 500 };
  /* interval wins over rate in a pulse: n = int(100/40) = 2: 100, 140; two pulses merge */
  static const double expect2[] = { 10, 30, 100, 140 };
  g_autoptr(GArray) a = train ("{'cellModel': 'VecStim', 'spkTimes': [500],"
                               " 'pulses': [{'start': 100, 'end': 300, 'rate': 50}]}", 0, 1000);
  g_autoptr(GArray) b = train ("{'cellModel': 'VecStim', 'spkTimes': [],"
                               " 'pulses': [{'start': 100, 'end': 200, 'interval': 40, 'rate': 50},"
                               " {'start': 10, 'end': 50, 'interval': 20}]}", 0, 1000);
  Stat count = { 0 }, rate = { 0 };
  guint differ = 0;
  double prev_isi = 0.0;

  assert_times (a, expect, G_N_ELEMENTS (expect));
  assert_times (b, expect2, G_N_ELEMENTS (expect2));

  /* noise 0.5, rate 40 (interval 25) from 200 to 700: inside [start, end]; 20.13 spikes by
   * simulation of NetPyNE's formula (sd 2.27, se 0.07) */
  for (guint gid = 0; gid < 1000; gid++)
    {
      g_autoptr(GArray) n = train ("{'cellModel': 'VecStim', 'spkTimes': [900],"
                                   " 'pulses': [{'start': 200, 'end': 700, 'rate': 40, 'noise': 0.5}]}",
                                   gid, 1000);
      g_autoptr(GArray) r = train ("{'cellModel': 'VecStim', 'spkTimes': [],"
                                   " 'pulses': [{'start': 0, 'end': 1000, 'rate': [10, 100]}]}", gid, 1000);
      double isi;

      g_assert_cmpfloat (g_array_index (n, double, n->len - 1), ==, 900.0);
      for (guint i = 0; i + 1 < n->len; i++)
        {
          g_assert_cmpfloat (g_array_index (n, double, i), >=, 200.0);
          g_assert_cmpfloat (g_array_index (n, double, i), <=, 700.0);
        }
      stat_add (&count, n->len - 1);

      /* rate [10, 100]: a regular train from 0 at one rate drawn per cell */
      g_assert_cmpuint (r->len, >=, 10);
      g_assert_cmpfloat (g_array_index (r, double, 0), ==, 0.0);
      isi = g_array_index (r, double, 1);
      g_assert_cmpfloat (isi, >=, 10.0);
      g_assert_cmpfloat (isi, <=, 100.0);
      for (guint i = 2; i < r->len; i++)
        g_assert_cmpfloat (fabs (g_array_index (r, double, i) - g_array_index (r, double, i - 1) - isi), <, 1e-9);
      stat_add (&rate, 1000.0 / isi);
      differ += isi != prev_isi;
      prev_isi = isi;
    }
  assert_between (stat_mean (&count), 19.8, 20.45);
  assert_between (stat_mean (&rate), 53.0, 57.0);   /* uniform on [10, 100]: 55 (se 0.8) */
  g_assert_cmpuint (differ, ==, 1000);
}

/* ------------------------------------------------------------------------------------------ */
/* spikePattern                                                                                */

#define PATTERN(p) "{'cellModel': 'VecStim', 'numCells': 100, 'spikePattern': " p "}"

static void
test_rhythmic (void)
{
  /* arange(100, 600, 100) = 100 … 500; doublets ±5 ms (eventsPerCycle 2 by default) */
  static const double expect[] = { 95, 105, 195, 205, 295, 305, 395, 405, 495, 505 };
  g_autoptr(GArray) a = train (PATTERN ("{'type': 'rhythmic', 'start': 100, 'stop': 600, 'freq': 10}"), 0, 1000);
  /* tstop when there is no stop; eventsPerCycle 3 is taken as 2 */
  g_autoptr(GArray) b = train (PATTERN ("{'type': 'rhythmic', 'start': 100, 'tstop': 600, 'freq': 10,"
                                        " 'eventsPerCycle': 3}"), 0, 1000);
  /* eventsPerCycle 1; a time ≤ 0 is dropped */
  static const double expect1[] = { 200, 400 };
  g_autoptr(GArray) c = train (PATTERN ("{'type': 'rhythmic', 'start': 0, 'stop': 500, 'freq': 5,"
                                        " 'eventsPerCycle': 1}"), 0, 1000);
  /* no freq, or stop -1 (not the duration, for rhythmic): nothing */
  g_autoptr(GArray) d = train (PATTERN ("{'type': 'rhythmic', 'start': 100, 'stop': 600}"), 0, 1000);
  g_autoptr(GArray) e = train (PATTERN ("{'type': 'rhythmic', 'start': 100, 'stop': -1, 'freq': 10}"), 0, 1000);
  Stat jitter = { 0 }, period = { 0 }, start_sd = { 0 }, start_u = { 0 }, uni = { 0 };

  assert_times (a, expect, G_N_ELEMENTS (expect));
  assert_times (b, expect, G_N_ELEMENTS (expect));
  assert_times (c, expect1, G_N_ELEMENTS (expect1));
  g_assert_cmpuint (d->len, ==, 0);
  g_assert_cmpuint (e->len, ==, 0);

  for (guint gid = 0; gid < 1000; gid++)
    {
      /* freqStd 5, repeats 3, one event per cycle: 9 cycles (100 … 900) × 3 spikes */
      g_autoptr(GArray) j = train (PATTERN ("{'type': 'rhythmic', 'start': 100, 'stop': 1000, 'freq': 10,"
                                            " 'freqStd': 5, 'repeats': 3, 'eventsPerCycle': 1}"), gid, 1000);
      /* startStd 25 is NEURON's variance: the start's sd is 5 */
      g_autoptr(GArray) s = train (PATTERN ("{'type': 'rhythmic', 'start': 200, 'startStd': 25, 'stop': 250,"
                                            " 'freq': 10}"), gid, 1000);
      /* start -1: uniform in [startMin, startMax] = [25, 125] by default */
      g_autoptr(GArray) u = train (PATTERN ("{'type': 'rhythmic', 'start': -1, 'stop': 1000, 'freq': 4}"), gid, 1000);
      /* uniform distribution: int(repeats·freq·(stop − start)/1000) = 10 times in (0, 500) */
      g_autoptr(GArray) v = train (PATTERN ("{'type': 'rhythmic', 'start': 0, 'stop': 500, 'freq': 10, 'repeats': 2,"
                                            " 'distribution': 'uniform', 'eventsPerCycle': 1}"), gid, 1000);
      double cycle_mean[9] = { 0 };
      guint per_cycle[9] = { 0 };

      g_assert_cmpuint (j->len, ==, 27);
      for (guint i = 0; i < j->len; i++)
        {
          double t = g_array_index (j, double, i);
          int k = (int) lround ((t - 100.0) / 100.0);
          g_assert_cmpint (k, >=, 0);
          g_assert_cmpint (k, <, 9);
          per_cycle[k]++;
          cycle_mean[k] += t / 3.0;
          stat_add (&jitter, t - (100.0 + 100.0 * k));
        }
      for (int k = 0; k < 9; k++)
        g_assert_cmpuint (per_cycle[k], ==, 3);
      /* mean ISI between cycles → the cycle frequency */
      stat_add (&period, (cycle_mean[8] - cycle_mean[0]) / 8.0);

      g_assert_cmpuint (s->len, ==, 2);
      g_assert_cmpfloat (g_array_index (s, double, 1) - g_array_index (s, double, 0), ==, 10.0);
      stat_add (&start_sd, g_array_index (s, double, 0) + 5.0);

      g_assert_cmpfloat (g_array_index (u, double, 0) + 5.0, >=, 25.0);
      g_assert_cmpfloat (g_array_index (u, double, 0) + 5.0, <=, 125.0);
      stat_add (&start_u, g_array_index (u, double, 0) + 5.0);

      g_assert_cmpuint (v->len, ==, 10);
      g_assert_cmpfloat (g_array_index (v, double, 9), <, 500.0);
      for (guint i = 0; i < v->len; i++)
        stat_add (&uni, g_array_index (v, double, i));
    }
  assert_between (stat_mean (&jitter), -0.3, 0.3);     /* se 5/√27000 = 0.03 */
  assert_between (stat_sd (&jitter), 4.8, 5.2);
  assert_between (1000.0 / stat_mean (&period), 9.95, 10.05);
  assert_between (stat_mean (&start_sd), 199.5, 200.5); /* se 0.16 */
  assert_between (stat_sd (&start_sd), 4.6, 5.4);       /* √25, not 25 */
  assert_between (stat_mean (&start_u), 72.0, 78.0);    /* 75, se 0.9 */
  assert_between (stat_mean (&uni), 245.0, 255.0);      /* 250, se 1.4 */
  assert_between (stat_sd (&uni), 139.0, 150.0);        /* 500/√12 = 144.3 */
}

static void
test_evoked (void)
{
  static const double fixed[] = { 200, 200, 200, 200, 200 };
  g_autoptr(GArray) a = train (PATTERN ("{'type': 'evoked', 'start': 200, 'startStd': 0, 'numspikes': 5}"), 0, 1000);
  Stat t = { 0 };

  assert_times (a, fixed, G_N_ELEMENTS (fixed));
  for (guint gid = 0; gid < 2000; gid++)
    {
      /* startStd 16 is a variance: sd 4 */
      g_autoptr(GArray) e = train (PATTERN ("{'type': 'evoked', 'start': 200, 'startStd': 16, 'numspikes': 5}"),
                                   gid, 1000);
      g_assert_cmpuint (e->len, ==, 5);
      for (guint i = 0; i < e->len; i++)
        stat_add (&t, g_array_index (e, double, i));
    }
  assert_between (stat_mean (&t), 199.8, 200.2);   /* se 0.04 */
  assert_between (stat_sd (&t), 3.85, 4.15);
}

static void
test_poisson (void)
{
  Stat count = { 0 }, t = { 0 }, count2 = { 0 };

  for (guint gid = 0; gid < 2000; gid++)
    {
      g_autoptr(GArray) p = train (PATTERN ("{'type': 'poisson', 'start': 100, 'stop': 600, 'frequency': 40}"),
                                   gid, 1000);
      /* stop -1: the end of the simulation */
      g_autoptr(GArray) q = train (PATTERN ("{'type': 'poisson', 'start': 0, 'stop': -1, 'frequency': 50}"),
                                   gid, 200);
      for (guint i = 0; i < p->len; i++)
        {
          g_assert_cmpfloat (g_array_index (p, double, i), >, 100.0);
          g_assert_cmpfloat (g_array_index (p, double, i), <, 600.0);
          stat_add (&t, g_array_index (p, double, i));
        }
      if (gid < 50) /* frequency·(stop − start) = 20 spikes, sd √20: within 4 sd */
        g_assert_cmpfloat (fabs ((double) p->len - 20.0), <=, 4 * sqrt (20.0));
      stat_add (&count, p->len);
      stat_add (&count2, q->len);
    }
  /* NetPyNE drops the first arrival (inputs.py:162-163): mean 20 − 1 (+e⁻²⁰); se 0.1 */
  assert_between (stat_mean (&count), 18.6, 19.4);
  assert_between (stat_sd (&count), 4.1, 4.85);
  assert_between (stat_mean (&count2), 8.7, 9.3);
  /* mean time: 362.2 by simulation of NetPyNE's code (the dropped first arrival shifts it
   * beyond the window's middle, 350) */
  assert_between (stat_mean (&t), 357.0, 367.0);
}

static void
test_gauss (void)
{
  Stat t = { 0 };

  for (guint gid = 0; gid < 1000; gid++)
    {
      /* sigma 100 is a variance: sd 10; 50 draws, all > 0 here */
      g_autoptr(GArray) g = train (PATTERN ("{'type': 'gauss', 'mu': 300, 'sigma': 100}"), gid, 1000);
      /* mu 5, sd 10: times ≤ 0 are dropped (about 31 %) */
      g_autoptr(GArray) h = train (PATTERN ("{'type': 'gauss', 'mu': 5, 'sigma': 100}"), gid, 1000);

      g_assert_cmpuint (g->len, ==, 50);
      for (guint i = 0; i < g->len; i++)
        stat_add (&t, g_array_index (g, double, i));
      g_assert_cmpuint (h->len, <, 50);
      g_assert_cmpuint (h->len, >, 15);
      g_assert_cmpfloat (g_array_index (h, double, 0), >, 0.0);
    }
  assert_between (stat_mean (&t), 299.8, 300.2);   /* se 0.045 */
  assert_between (stat_sd (&t), 9.85, 10.15);
}

/* sync: one train for every cell (the stream is keyed without the gid). */
static void
test_sync (void)
{
  const char *types[] = {
    "{'type': 'poisson', 'start': 0, 'stop': 500, 'frequency': 30",
    "{'type': 'gauss', 'mu': 300, 'sigma': 100",
    "{'type': 'evoked', 'start': 200, 'startStd': 16, 'numspikes': 5",
    "{'type': 'rhythmic', 'start': 100, 'startStd': 25, 'stop': 800, 'freq': 10, 'freqStd': 3, 'repeats': 2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *ps = g_strconcat (types[i], ", 'sync': true}", NULL);
      g_autofree char *pn = g_strconcat (types[i], "}", NULL);
      g_autofree char *pop_s = g_strdup_printf ("{'cellModel': 'VecStim', 'spikePattern': %s}", ps);
      g_autofree char *pop_n = g_strdup_printf ("{'cellModel': 'VecStim', 'spikePattern': %s}", pn);
      g_autofree char *pop_seed = g_strdup_printf ("{'cellModel': 'VecStim', 'seed': 99, 'spikePattern': %s}", ps);
      g_autoptr(GArray) s3 = train_full (pop_s, NULL, 3, 3, 1000, 1);
      g_autoptr(GArray) s17 = train_full (pop_s, NULL, 17, 17, 1000, 1);
      g_autoptr(GArray) n3 = train_full (pop_n, NULL, 3, 3, 1000, 1);
      g_autoptr(GArray) n17 = train_full (pop_n, NULL, 17, 17, 1000, 1);
      g_autoptr(GArray) x3 = train_full (pop_seed, NULL, 3, 3, 1000, 1);

      g_assert_cmpuint (s3->len, >, 0);
      g_assert_true (same_train (s3, s17));
      g_assert_false (same_train (n3, n17));
      g_assert_false (same_train (s3, n3));
      g_assert_false (same_train (s3, x3));   /* another seed parameter, another train */
    }
}

/* ------------------------------------------------------------------------------------------ */
/* determinism and seeds                                                                       */

static void
test_determinism (void)
{
  const char *pops[] = {
    "{'cellModel': 'VecStim', 'rate': 20, 'noise': 0.7, 'start': 5}",
    "{'cellModel': 'VecStim', 'rate': [5, 50], 'noise': 0.3}",
    PATTERN ("{'type': 'poisson', 'start': 0, 'stop': -1, 'frequency': 30}"),
    PATTERN ("{'type': 'rhythmic', 'start': -1, 'stop': 800, 'freq': 8, 'freqStd': 2, 'repeats': 2}"),
    "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': [{'start': 0, 'end': 900, 'rate': [5, 50], 'noise': 1}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pops); i++)
    {
      g_autoptr(GArray) a = train_full (pops[i], NULL, 4, 12, 1000, 5);
      g_autoptr(GArray) b = train_full (pops[i], NULL, 4, 12, 1000, 5);
      g_autoptr(GArray) c = train_full (pops[i], NULL, 4, 12, 1000, 6);   /* another stim seed */
      g_autoptr(GArray) d = train_full (pops[i], NULL, 4, 13, 1000, 5);   /* another gid */

      g_assert_cmpuint (a->len, >, 3);
      g_assert_true (same_train (a, b));
      g_assert_false (same_train (a, c));
      g_assert_false (same_train (a, d));
    }

  {
    /* A seed parameter replaces seeds.stim for the noise (pointCell.py:130-131, 162) … */
    const char *pop = "{'cellModel': 'VecStim', 'rate': 20, 'noise': 0.5, 'seed': 7}";
    g_autoptr(GArray) a = train_full (pop, NULL, 0, 3, 1000, 1);
    g_autoptr(GArray) b = train_full (pop, NULL, 0, 3, 1000, 2);
    /* … but not for a [min, max] rate, drawn with seeds.stim (pointCell.py:82) */
    const char *pop_r = "{'cellModel': 'VecStim', 'rate': [5, 50], 'seed': 7}";
    g_autoptr(GArray) c = train_full (pop_r, NULL, 0, 3, 1000, 1);
    g_autoptr(GArray) d = train_full (pop_r, NULL, 0, 3, 1000, 2);

    g_assert_true (same_train (a, b));
    g_assert_false (same_train (c, d));
  }
}

/* ------------------------------------------------------------------------------------------ */
/* errors                                                                                      */

static void
test_errors (void)
{
  static const struct { const char *pop, *cell, *expect; } cases[] = {
    { "{'cellModel': 'VecStim', 'numCells': 3}", NULL,
      PATH ": VecStim requires interval, rate, spikePattern or spkTimes" },
    /* pulses alone are not enough (pointCell.py:251-254) */
    { "{'cellModel': 'VecStim', 'pulses': [{'start': 0, 'end': 10, 'rate': 10}]}", NULL,
      PATH ": VecStim requires" },
    { "{'cellModel': 'VecStim', 'rate': 'fast'}", NULL, PATH ".rate: " },
    { "{'cellModel': 'VecStim', 'rate': [1, 2, 3]}", NULL, PATH ".rate: " },
    { "{'cellModel': 'VecStim', 'rate': 0}", NULL, PATH ".rate: " },
    { "{'cellModel': 'VecStim', 'interval': -5}", NULL, PATH ".interval: " },
    { "{'cellModel': 'VecStim', 'params': {'rate': 10, 'noise': 'x'}}", NULL, PATH ".params.noise: " },
    { "{'cellModel': 'VecStim', 'rate': 10, 'seed': 'abc'}", NULL, PATH ".seed: " },
    { "{'cellModel': 'VecStim', 'spikePattern': 3}", NULL, PATH ".spikePattern: " },
    { "{'cellModel': 'VecStim', 'spikePattern': {'start': 3}}", NULL, PATH ".spikePattern.type: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'bursty'}}", NULL, PATH ".spikePattern.type: \"bursty\"" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'rhythmic', 'start': 0, 'freq': 5}}", NULL,
      PATH ".spikePattern.stop: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'rhythmic', 'stop': 100, 'freq': 5}}", NULL,
      PATH ".spikePattern.start: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'rhythmic', 'start': 0, 'stop': 100, 'freq': 5,"
      " 'freqStd': 1}}", NULL, PATH ".spikePattern.repeats: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'rhythmic', 'start': 0, 'stop': 100, 'freq': 5,"
      " 'distribution': 'lognormal'}}", NULL, PATH ".spikePattern.distribution: " },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'evoked', 'start': 10, 'numspikes': 3}}", NULL,
      PATH ".spikePattern.startStd: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'poisson', 'start': 0, 'stop': 100}}", NULL,
      PATH ".spikePattern.frequency: missing" },
    { "{'cellModel': 'VecStim', 'spikePattern': {'type': 'gauss', 'mu': 10}}", NULL,
      PATH ".spikePattern.sigma: missing" },
    { "{'cellModel': 'VecStim', 'spkTimes': 5}", NULL, PATH ".spkTimes: " },
    { "{'cellModel': 'VecStim', 'spkTimes': [1, 'two']}", NULL, PATH ".spkTimes[1]: " },
    { "{'cellModel': 'VecStim', 'spkTimes': [[1, null], [2]]}", NULL, PATH ".spkTimes[0][1]: " },
    { "{'cellModel': 'VecStim', 'cellsList': [{'spkTimes': 'x'}]}", "{'spkTimes': 'x'}",
      PATH ".cellsList[0].spkTimes: " },
    { "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': {'start': 0}}", NULL, PATH ".pulses: " },
    { "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': [{'start': 0, 'end': 10, 'rate': 5},"
      " {'start': 0, 'end': 10}]}", NULL, PATH ".pulses[1]: a pulse needs" },
    { "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': [{'start': 0, 'rate': 5}]}", NULL,
      PATH ".pulses[0].end: missing" },
    { "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': [{'start': 0, 'end': 100, 'rate': 'x'}]}", NULL,
      PATH ".pulses[0].rate: " },
    { "{'cellModel': 'VecStim', 'spkTimes': [1], 'pulses': [{'start': 100, 'end': 0, 'interval': 10}]}", NULL,
      PATH ".pulses[0].end: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *msg = error_of (cases[i].pop, cases[i].cell);
      g_test_message ("%s", msg);
      if (!g_str_has_prefix (msg, cases[i].expect))
        g_error ("case %u: \"%s\", expected it to start with \"%s\"", i, msg, cases[i].expect);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vecstim/rate/regular", test_rate_regular);
  g_test_add_func ("/vecstim/rate/noise", test_rate_noise);
  g_test_add_func ("/vecstim/rate/limit", test_rate_limit);
  g_test_add_func ("/vecstim/rate/range", test_rate_range);
  g_test_add_func ("/vecstim/spkTimes", test_spk_times);
  g_test_add_func ("/vecstim/pulses", test_pulses);
  g_test_add_func ("/vecstim/pattern/rhythmic", test_rhythmic);
  g_test_add_func ("/vecstim/pattern/evoked", test_evoked);
  g_test_add_func ("/vecstim/pattern/poisson", test_poisson);
  g_test_add_func ("/vecstim/pattern/gauss", test_gauss);
  g_test_add_func ("/vecstim/pattern/sync", test_sync);
  g_test_add_func ("/vecstim/determinism", test_determinism);
  g_test_add_func ("/vecstim/errors", test_errors);
  return g_test_run ();
}
