/* core/analysis/nl-spikestats: every value of reference/analysis/spikes_reference.json, the
 * JSON the CLI prints, and the defined results for empty and bad input. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <nl-spikestats.h>
#include <nl-results-read.h>

#include "nl-testutil.h"

#define REL 1e-12

static void
assert_rel (double got, double want, double rel)
{
  if (!(fabs (got - want) <= rel * MAX (fabs (want), 1e-300)))
    g_error ("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

typedef struct {
  GArray     *t;       /* double */
  GArray     *gid;     /* guint32 */
  JsonParser *ref;
  JsonObject *root;
} Ref;

static gboolean
load_ref (Ref *ref)
{
  g_autofree char *csv = nl_test_shared_file ("reference/analysis/spikes_input.csv");
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (!csv)
    return FALSE;
  json = nl_test_shared_file ("reference/analysis/spikes_reference.json");
  if (!json)
    return FALSE;
  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  g_assert_no_error (error);
  ref->t = g_array_new (FALSE, FALSE, sizeof (double));
  ref->gid = g_array_new (FALSE, FALSE, sizeof (guint32));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "spkt_ms,gid");
  for (guint i = 1; lines[i]; i++)
    {
      double t;
      guint g;
      if (!*lines[i])
        continue;
      g_assert_cmpint (sscanf (lines[i], "%lf,%u", &t, &g), ==, 2);
      g_array_append_val (ref->t, t);
      g_array_append_val (ref->gid, g);
    }
  g_assert_cmpuint (ref->t->len, ==, 185);
  ref->ref = json_parser_new ();
  g_assert_true (json_parser_load_from_file (ref->ref, json, &error));
  g_assert_no_error (error);
  ref->root = json_node_get_object (json_parser_get_root (ref->ref));
  return TRUE;
}

static void
free_ref (Ref *ref)
{
  g_clear_pointer (&ref->t, g_array_unref);
  g_clear_pointer (&ref->gid, g_array_unref);
  g_clear_object (&ref->ref);
}

static NlSpikeTrains *
ref_trains (Ref *ref, double t0, double t1)
{
  const guint32 cells[] = { 0, 1, 2, 3, 4 };
  g_autoptr(GError) error = NULL;
  NlSpikeTrains *st = nl_spike_trains_new ((double *) ref->t->data, (guint32 *) ref->gid->data,
                                           ref->t->len, cells, 5, t0, t1, &error);
  g_assert_no_error (error);
  return st;
}

/* NlResults holding the reference spikes (duration 2000 ms), with populations when `pops`. */
static NlResults *
ref_results (Ref *ref, gboolean pops)
{
  NlResults *r = nl_results_new ();
  nl_results_set_spikes (r, g_memdup2 (ref->t->data, sizeof (double) * ref->t->len),
                         g_memdup2 (ref->gid->data, sizeof (guint32) * ref->t->len), ref->t->len);
  nl_results_set_duration (r, 2000);
  if (pops)
    {
      const guint32 a[] = { 0, 1, 2 }, b[] = { 3, 4 };
      nl_results_add_pop (r, "A", a, 3);
      nl_results_add_pop (r, "B", b, 2);
    }
  return r;
}

static JsonArray *
ref_array (Ref *ref, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *o = ref->root;
  for (guint i = 0; parts[i + 1]; i++)
    o = json_object_get_object_member (o, parts[i]);
  return json_object_get_array_member (o, parts[g_strv_length (parts) - 1]);
}

static double
ref_double (Ref *ref, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *o = ref->root;
  for (guint i = 0; parts[i + 1]; i++)
    o = json_object_get_object_member (o, parts[i]);
  return json_object_get_double_member (o, parts[g_strv_length (parts) - 1]);
}

/* ---- The numerics against the reference ------------------------------------------------ */

static void
test_rates (void)
{
  Ref ref = { 0 };
  g_autoptr(NlSpikeTrains) st = NULL;
  double rates[5];
  JsonArray *want;

  if (!load_ref (&ref))
    return;
  st = ref_trains (&ref, 0, 2000);
  g_assert_cmpuint (nl_spike_trains_n_spikes (st), ==, 185);
  assert_rel (nl_spike_trains_rates (st, rates), ref_double (&ref, "popRate_Hz"), REL);
  want = ref_array (&ref, "cellRates_Hz");
  for (guint i = 0; i < 5; i++)
    assert_rel (rates[i], json_array_get_double_element (want, i), REL);
  g_assert_cmpuint (json_object_get_int_member (ref.root, "numCells"), ==, st->n_cells);
  free_ref (&ref);
}

static void
test_hist (void)
{
  Ref ref = { 0 };
  g_autoptr(NlSpikeTrains) st = NULL;
  const char *names[] = { "hist_bin5", "hist_bin7" };
  const double bins[] = { 5, 7 };

  if (!load_ref (&ref))
    return;
  st = ref_trains (&ref, 0, 2000);
  for (guint h = 0; h < 2; h++)
    {
      JsonObject *o = json_object_get_object_member (ref.root, names[h]);
      JsonArray *counts = json_object_get_array_member (o, "counts");
      JsonArray *rate = json_object_get_array_member (o, "rate_Hz");
      JsonArray *ends = json_object_get_array_member (o, "edges_first_last");
      g_autofree double *edges = NULL;
      g_autofree double *c = NULL;
      g_autoptr(GError) error = NULL;
      guint nb;

      g_assert_true (nl_spike_hist_edges (0, 2000, bins[h], &nb, &edges, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (nb, ==, json_object_get_int_member (o, "nbins"));
      g_assert_cmpuint (nb, ==, json_array_get_length (counts));
      g_assert_cmpfloat (edges[0], ==, json_array_get_double_element (ends, 0));
      g_assert_cmpfloat (edges[nb], ==, json_array_get_double_element (ends, 1));
      assert_rel (edges[0] + bins[h] / 2, json_object_get_double_member (o, "bin_centers_first"), REL);
      c = g_new (double, nb);
      nl_spike_hist_count (st, NULL, 0, edges, nb, c);
      for (guint k = 0; k < nb; k++)
        g_assert_cmpfloat (c[k], ==, json_array_get_int_element (counts, k));
      nl_spike_hist_to_rate (c, nb, bins[h], 5);
      for (guint k = 0; k < nb; k++)
        {
          double want = json_array_get_double_element (rate, k);
          if (want == 0)
            g_assert_cmpfloat (c[k], ==, 0);
          else
            assert_rel (c[k], want, REL);
        }
    }
  free_ref (&ref);
}

static void
test_isicv (void)
{
  Ref ref = { 0 };
  g_autoptr(NlSpikeTrains) st = NULL;
  JsonArray *want;
  guint k = 0;

  if (!load_ref (&ref))
    return;
  st = ref_trains (&ref, 0, 2000);
  want = ref_array (&ref, "isicv_cells_with_gt10_spikes");
  for (guint i = 0; i < 5; i++)
    {
      double cv;
      guint64 n = st->first[i + 1] - st->first[i];
      if (nl_spike_isicv (st->times + st->first[i], n, 10, &cv))
        {
          g_assert_cmpuint (n, >, 10);
          assert_rel (cv, json_array_get_double_element (want, k++), REL);
        }
      else
        g_assert_cmpuint (n, <=, 10);
    }
  g_assert_cmpuint (k, ==, json_array_get_length (want));
  free_ref (&ref);
}

static void
test_fano (void)
{
  Ref ref = { 0 };
  g_autoptr(NlSpikeTrains) st = NULL;
  const double windows[] = { 50, 100 };

  if (!load_ref (&ref))
    return;
  st = ref_trains (&ref, 0, 2000);
  for (guint w = 0; w < 2; w++)
    {
      g_autofree char *key = g_strdup_printf ("fano_ddof0.W%.0f", windows[w]);
      g_autofree char *pkey = g_strdup_printf ("fano_ddof0.W%.0f_population", windows[w]);
      JsonArray *want = ref_array (&ref, key);
      double f;
      guint nw;
      for (guint i = 0; i < 5; i++)
        {
          g_assert_true (nl_spike_fano (st->times + st->first[i], st->first[i + 1] - st->first[i],
                                        0, 2000, windows[w], &f, &nw));
          g_assert_cmpuint (nw, ==, 2000 / windows[w]);
          assert_rel (f, json_array_get_double_element (want, i), REL);
        }
      /* the population's value is that of the pooled spikes; ref->t is already sorted */
      g_assert_true (nl_spike_fano ((double *) ref.t->data, ref.t->len, 0, 2000, windows[w], &f, NULL));
      assert_rel (f, ref_double (&ref, pkey), REL);
    }
  free_ref (&ref);
}

static void
test_sync (void)
{
  Ref ref = { 0 };
  g_autoptr(NlSpikeTrains) st = NULL;
  JsonArray *rows;
  JsonObject *toy;
  double m[25], multi, c, mp;

  if (!load_ref (&ref))
    return;
  st = ref_trains (&ref, 0, 2000);
  g_assert_true (nl_spike_sync (st, NULL, 0, 0, &multi, m));
  assert_rel (multi, ref_double (&ref, "spike_sync_multi"), REL);
  assert_rel (multi, ref_double (&ref, "own_spike_sync_multi"), REL);
  rows = ref_array (&ref, "spike_sync_matrix");
  for (guint i = 0; i < 5; i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i);
      for (guint j = 0; j < 5; j++)
        assert_rel (m[i * 5 + j], json_array_get_double_element (row, j), REL);
    }
  /* one pair, and a subset of trains */
  {
    const guint pair[] = { 0, 3 };
    double one;
    g_assert_true (nl_spike_sync (st, pair, 2, 0, &one, NULL));
    assert_rel (one, ref_double (&ref, "spike_sync_bi_0_3"), REL);
    assert_rel (one, ref_double (&ref, "own_spike_sync_bi_0_3"), REL);
  }
  assert_rel (nl_spike_raster_sync ((double *) ref.t->data, ref.t->len, 0, 2000, 1),
              ref_double (&ref, "syncMeasure_raster"), REL);

  /* the toy trains: spikes 10↔11 and 30↔31 coincide, 20/25 and 40/48 do not */
  toy = json_object_get_object_member (ref.root, "toy");
  {
    JsonArray *s1 = json_object_get_array_member (toy, "s1"), *s2 = json_object_get_array_member (toy, "s2");
    JsonArray *e = json_object_get_array_member (toy, "edges");
    double a[4], b[4], csum = 0;
    for (guint k = 0; k < 4; k++)
      {
        a[k] = json_array_get_double_element (s1, k);
        b[k] = json_array_get_double_element (s2, k);
        csum += json_array_get_double_element (json_object_get_array_member (toy, "coinc_s1"), k)
              + json_array_get_double_element (json_object_get_array_member (toy, "coinc_s2"), k);
      }
    nl_spike_sync_pair (a, 4, b, 4, json_array_get_double_element (e, 0),
                        json_array_get_double_element (e, 1), 0, &c, &mp);
    g_assert_cmpfloat (c, ==, csum);
    g_assert_cmpfloat (mp, ==, 8);
    assert_rel (c / mp, json_object_get_double_member (toy, "spike_sync"), REL);
    /* max_tau 0.5 ms: the 1 ms offsets no longer coincide */
    nl_spike_sync_pair (a, 4, b, 4, 0, 50, 0.5, &c, &mp);
    g_assert_cmpfloat (c, ==, 0);
    /* identical spike times are one coincident pair each */
    nl_spike_sync_pair (a, 4, a, 4, 0, 50, 0, &c, &mp);
    g_assert_cmpfloat (c, ==, 8);
    g_assert_cmpfloat (mp, ==, 8);
  }
  free_ref (&ref);
}

/* ---- Smoothing: NetPyNE's _smooth1d, checked by hand ------------------------------------ */

static void
test_smooth (void)
{
  double x[9] = { 0 }, out[9], lin[6] = { 1, 2, 3, 4, 5, 6 }, y[6];
  g_autoptr(GError) error = NULL;

  /* hanning(5) = [0, .5, 1, .5, 0] / 2; NetPyNE keeps from int(5/2 - 1) = 1: a one-sample lag */
  x[4] = 1;
  g_assert_true (nl_smooth_hann (x, 9, 5, out, &error));
  for (guint k = 0; k < 9; k++)
    g_assert_cmpfloat_with_epsilon (out[k], k == 4 ? 0.25 : k == 5 ? 0.5 : k == 6 ? 0.25 : 0, 1e-15);
  /* hanning(4) = [0, .75, .75, 0] / 1.5 */
  g_assert_true (nl_smooth_hann (x, 9, 4, out, &error));
  for (guint k = 0; k < 9; k++)
    g_assert_cmpfloat_with_epsilon (out[k], k == 4 || k == 5 ? 0.5 : 0, 1e-15);
  /* hanning(3) = [0, 1, 0] and offset 0: a shift by one, the first sample reflected */
  g_assert_true (nl_smooth_hann (lin, 6, 3, y, &error));
  {
    const double want[6] = { 2, 1, 2, 3, 4, 5 };
    for (guint k = 0; k < 6; k++)
      g_assert_cmpfloat_with_epsilon (y[k], want[k], 1e-15);
  }
  /* a constant stays constant; in place works */
  for (guint k = 0; k < 9; k++)
    x[k] = 3;
  g_assert_true (nl_smooth_hann (x, 9, 7, x, &error));
  for (guint k = 0; k < 9; k++)
    g_assert_cmpfloat_with_epsilon (x[k], 3, 1e-14);
  /* windows below 3 leave the signal alone */
  g_assert_true (nl_smooth_hann (lin, 6, 2, y, &error));
  g_assert_cmpfloat (y[5], ==, 6);
  /* longer than the signal: an error, as NetPyNE raises */
  g_assert_false (nl_smooth_hann (lin, 6, 7, y, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- Edge cases: the defined results ---------------------------------------------------- */

static void
test_edges (void)
{
  const double t[] = { 1, 2, 2.5, 4 };
  const guint32 g[] = { 0, 1, 0, 0 };
  const guint32 cells[] = { 0, 1, 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpikeTrains) st = NULL;
  g_autoptr(NlSpikeTrains) empty = NULL;
  double rates[3], cv = -1, f = -1, multi = -1, m[9];
  double *edges = NULL;
  guint nb = 99;

  /* [1, 4): the spike at 4 is out; cell 7 is silent and counts */
  st = nl_spike_trains_new (t, g, 4, cells, 3, 1, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spike_trains_n_spikes (st), ==, 3);
  assert_rel (nl_spike_trains_rates (st, rates), 3.0 / 3 / 0.003, REL);
  assert_rel (rates[0], 2 / 0.003, REL);
  assert_rel (rates[1], 1 / 0.003, REL);
  g_assert_cmpfloat (rates[2], ==, 0);

  /* one spike: undefined at NetPyNE's threshold, 0 when allowed; none: always undefined */
  g_assert_false (nl_spike_isicv (st->times + st->first[1], 1, 10, &cv));
  g_assert_true (nl_spike_isicv (st->times + st->first[1], 1, 0, &cv));
  g_assert_cmpfloat (cv, ==, 0);
  g_assert_false (nl_spike_isicv (NULL, 0, 0, &cv));
  /* two intervals 1 and 1.5: sd 0.25, mean 1.25 */
  {
    const double tr[] = { 0, 1, 2.5 };
    g_assert_true (nl_spike_isicv (tr, 3, 2, &cv));
    assert_rel (cv, 0.2, REL);
    g_assert_false (nl_spike_isicv (tr, 3, 3, &cv));
  }
  /* Fano: a silent train and a window longer than the range are undefined */
  g_assert_false (nl_spike_fano (NULL, 0, 0, 100, 10, &f, NULL));
  g_assert_false (nl_spike_fano (t, 4, 0, 5, 10, &f, NULL));
  /* counts 1,1,1,1 in four windows: variance 0 */
  g_assert_true (nl_spike_fano (t, 4, 0.5, 4.5, 1, &f, NULL));
  g_assert_cmpfloat (f, ==, 0);
  /* unsorted spikes are put in order; 2e9 windows of 1 ns cost no memory: counts 1,1,1,1,
   * 0… → mean 2e-9, variance mean - mean², Fano 1 - mean */
  {
    const double tt[] = { 4, 1, 2.5, 2 };
    g_assert_true (nl_spike_fano (tt, 4, 0, 2000, 1e-6, &f, NULL));
    assert_rel (f, 1 - 2e-9, 1e-9);
  }
  /* 0.3/0.1 is 2.9999999999999996 in doubles: still three whole windows */
  {
    guint nw;
    const double tt[] = { 0.05, 0.25 };
    g_assert_true (nl_spike_fano (tt, 2, 0, 0.3, 0.1, &f, &nw));
    g_assert_cmpuint (nw, ==, 3);
    /* counts 1,0,1: mean 2/3, variance 2/9 */
    assert_rel (f, 1.0 / 3, 1e-12);
  }

  /* zero-length window: empty trains, rate 0, no bins, sync of empty trains */
  empty = nl_spike_trains_new (t, g, 4, cells, 3, 2, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spike_trains_n_spikes (empty), ==, 0);
  g_assert_cmpfloat (nl_spike_trains_rates (empty, rates), ==, 0);
  g_assert_cmpfloat (rates[0], ==, 0);
  g_assert_true (nl_spike_hist_edges (2, 2, 5, &nb, &edges, &error));
  g_assert_cmpuint (nb, ==, 0);
  g_free (edges);
  /* a window of 1.5 bins: arange gives [0, 5], one bin */
  g_assert_true (nl_spike_hist_edges (0, 7.5, 5, &nb, &edges, &error));
  g_assert_cmpuint (nb, ==, 1);
  g_free (edges);
  g_assert_true (nl_spike_sync (empty, NULL, 0, 0, &multi, m));
  g_assert_cmpfloat (multi, ==, 1);
  g_assert_cmpfloat (m[1], ==, 1);
  g_assert_cmpfloat (nl_spike_raster_sync (NULL, 0, 2, 2, 1), ==, 0);
  g_assert_cmpfloat (nl_spike_rate (5, 0, 0, 10), ==, 0);
  /* fewer than two trains: undefined */
  multi = -1;
  g_assert_false (nl_spike_sync (st, (const guint[]) { 0 }, 1, 0, &multi, NULL));
  g_assert_cmpfloat (multi, ==, -1);
  /* an empty train against a spiking one: none of its spikes coincide */
  {
    double c, mp;
    nl_spike_sync_pair (t, 4, NULL, 0, 0, 10, 0, &c, &mp);
    g_assert_cmpfloat (c, ==, 0);
    g_assert_cmpfloat (mp, ==, 4);
  }

  /* a spike exactly on the last edge is in the last bin (numpy.histogram) */
  {
    const double tt[] = { 0, 4.999, 5, 10, 15 };
    const guint32 gg[] = { 0, 0, 0, 0, 0 };
    g_autoptr(NlSpikeTrains) s2 = nl_spike_trains_new (tt, gg, 5, cells, 1, 0, 20, &error);
    double c[3];
    g_assert_true (nl_spike_hist_edges (0, 20, 5, &nb, &edges, &error));
    g_assert_cmpuint (nb, ==, 3);
    nl_spike_hist_count (s2, NULL, 0, edges, nb, c);
    g_assert_cmpfloat (c[0], ==, 2);
    g_assert_cmpfloat (c[1], ==, 1);
    g_assert_cmpfloat (c[2], ==, 2);
    g_free (edges);
  }
  /* unsorted input: trains come out sorted */
  {
    const double tt[] = { 5, 1, 3 };
    const guint32 gg[] = { 0, 0, 0 };
    g_autoptr(NlSpikeTrains) s3 = nl_spike_trains_new (tt, gg, 3, cells, 1, 0, 10, &error);
    g_assert_cmpfloat (s3->times[0], ==, 1);
    g_assert_cmpfloat (s3->times[2], ==, 5);
  }
}

static void
test_bad_input (void)
{
  const double t[] = { 1 };
  const guint32 g[] = { 0 };
  const guint32 twice[] = { 3, 3 };
  double *edges = NULL;
  guint nb;
  struct { double t0, t1; } bad[] = { { 5, 1 }, { NAN, 1 }, { 0, INFINITY } };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (nl_spike_trains_new (t, g, 1, g, 1, bad[i].t0, bad[i].t1, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "time range"));
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (nl_spike_trains_new (t, g, 1, twice, 2, 0, 10, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "cell 3"));
  }
  {
    const double bins[] = { 0, -1, NAN, 1e-9 };
    for (guint i = 0; i < G_N_ELEMENTS (bins); i++)
      {
        g_autoptr(GError) error = NULL;
        g_assert_false (nl_spike_hist_edges (0, 2000, bins[i], &nb, &edges, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      }
  }
}

/* ---- The CLI's JSON ---------------------------------------------------------------------- */

static JsonObject *
run_json (NlResults *r, const char *kind, const NlSpikeAnalysisOptions *opt, JsonNode **keep)
{
  g_autoptr(GError) error = NULL;
  *keep = nl_spike_analysis_json (r, kind, opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*keep);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (*keep), "kind"), ==, kind);
  return json_node_get_object (*keep);
}

static double
member_double (JsonObject *o, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i + 1]; i++)
    o = json_object_get_object_member (o, parts[i]);
  return json_object_get_double_member (o, parts[g_strv_length (parts) - 1]);
}

static void
test_json (void)
{
  Ref ref = { 0 };
  g_autoptr(NlResults) flat = NULL;
  g_autoptr(NlResults) popr = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL, n6 = NULL;
  JsonObject *o;
  JsonArray *want;

  if (!load_ref (&ref))
    return;
  flat = ref_results (&ref, FALSE);
  popr = ref_results (&ref, TRUE);

  /* rates: no populations → "all" */
  o = run_json (flat, "rates", NULL, &n1);
  g_assert_cmpfloat (member_double (o, "t0_ms"), ==, 0);
  g_assert_cmpfloat (member_double (o, "t1_ms"), ==, 2000);
  assert_rel (member_double (o, "total.rate_hz"), ref_double (&ref, "popRate_Hz"), REL);
  assert_rel (member_double (o, "pops.all.rate_hz"), ref_double (&ref, "popRate_Hz"), REL);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "spikes"), ==, 185);
  want = ref_array (&ref, "cellRates_Hz");
  for (guint i = 0; i < 5; i++)
    {
      char path[32];
      g_snprintf (path, sizeof path, "cells.%u.rate_hz", i);
      assert_rel (member_double (o, path), json_array_get_double_element (want, i), REL);
    }
  /* with populations: A = {0, 1, 2}, B = {3, 4} */
  o = run_json (popr, "rates", NULL, &n2);
  assert_rel (member_double (o, "pops.A.rate_hz"), (18.0 + 35.0 + 11.5) / 3, REL);
  assert_rel (member_double (o, "pops.B.rate_hz"), (25.0 + 3.0) / 2, REL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
    json_object_get_object_member (o, "cells"), "4"), "pop"), ==, "B");

  /* spikehist: the 7 ms bins' rates */
  {
    NlSpikeAnalysisOptions opt;
    JsonArray *tot, *starts;
    nl_spike_analysis_options_init (&opt);
    opt.bin_ms = 7;
    o = run_json (flat, "spikehist", &opt, &n3);
    tot = json_object_get_array_member (o, "total");
    starts = json_object_get_array_member (o, "bin_start_ms");
    want = ref_array (&ref, "hist_bin7.rate_Hz");
    g_assert_cmpuint (json_array_get_length (tot), ==, json_array_get_length (want));
    g_assert_cmpfloat (json_array_get_double_element (starts, 1), ==, 7);
    for (guint k = 0; k < json_array_get_length (want); k++)
      {
        double w = json_array_get_double_element (want, k);
        double v = json_array_get_double_element (tot, k);
        if (w == 0)
          g_assert_cmpfloat (v, ==, 0);
        else
          assert_rel (v, w, REL);
      }
    /* the CSV: header and the first row */
    {
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_assert_true (nl_spike_hist_write_csv (n3, mem, NULL, &error));
      g_assert_no_error (error);
      g_output_stream_write_all (mem, "", 1, NULL, NULL, NULL);
      g_output_stream_close (mem, NULL, NULL);
      text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
      g_assert_true (g_str_has_prefix (text, "bin_start_ms,all\n0.0,28.571428571428573\n7.0,57.142857142857146\n"));
      g_assert_false (nl_spike_hist_write_csv (n1, mem, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
      /* a stream that fails */
      g_assert_false (nl_spike_hist_write_csv (n3, mem, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
    }
    /* counts per population */
    opt.counts = TRUE;
    opt.bin_ms = 5;
    g_clear_pointer (&n3, json_node_unref);
    o = run_json (popr, "spikehist", &opt, &n3);
    g_assert_cmpstr (json_object_get_string_member (o, "measure"), ==, "count");
    {
      JsonArray *a = json_object_get_array_member (json_object_get_object_member (o, "pops"), "A");
      JsonArray *b = json_object_get_array_member (json_object_get_object_member (o, "pops"), "B");
      JsonArray *c = ref_array (&ref, "hist_bin5.counts");
      for (guint k = 0; k < json_array_get_length (c); k++)
        g_assert_cmpfloat (json_array_get_double_element (a, k) + json_array_get_double_element (b, k),
                           ==, json_array_get_int_element (c, k));
    }
  }

  /* isicv */
  o = run_json (flat, "isicv", NULL, &n4);
  want = ref_array (&ref, "isicv_cells_with_gt10_spikes");
  {
    double mean = 0;
    for (guint i = 0; i < 4; i++)
      {
        char path[32];
        g_snprintf (path, sizeof path, "cells.%u.isicv", i);
        assert_rel (member_double (o, path), json_array_get_double_element (want, i), REL);
        mean += json_array_get_double_element (want, i) / 4;
      }
    g_assert_true (json_object_get_null_member (json_object_get_object_member (
      json_object_get_object_member (o, "cells"), "4"), "isicv"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "cells_used"), ==, 4);
    assert_rel (member_double (o, "total.mean"), mean, 1e-12);
  }

  /* fano at the default 50 ms */
  o = run_json (popr, "fano", NULL, &n5);
  assert_rel (member_double (o, "total.fano"), ref_double (&ref, "fano_ddof0.W50_population"), REL);
  g_assert_cmpint (json_object_get_int_member (o, "windows"), ==, 40);
  want = ref_array (&ref, "fano_ddof0.W50");
  assert_rel (member_double (o, "cells.3.fano"), json_array_get_double_element (want, 3), REL);

  /* sync: multi-train value, matrix, pairsync, raster measure */
  o = run_json (flat, "sync", NULL, &n6);
  assert_rel (member_double (o, "total.spike_sync"), ref_double (&ref, "spike_sync_multi"), REL);
  assert_rel (member_double (o, "total.raster_sync"), ref_double (&ref, "syncMeasure_raster"), REL);
  want = ref_array (&ref, "pairsync_netpyne_colmean_incl_diag");
  for (guint i = 0; i < 5; i++)
    {
      char path[32];
      g_snprintf (path, sizeof path, "cells.%u.pairsync", i);
      assert_rel (member_double (o, path), json_array_get_double_element (want, i), REL);
    }
  {
    JsonObject *mx = json_object_get_object_member (o, "matrix");
    JsonArray *vals = json_object_get_array_member (mx, "values");
    JsonArray *rows = ref_array (&ref, "spike_sync_matrix");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mx, "gids")), ==, 5);
    for (guint i = 0; i < 5; i++)
      for (guint j = 0; j < 5; j++)
        assert_rel (json_array_get_double_element (json_array_get_array_element (vals, i), j),
                    json_array_get_double_element (json_array_get_array_element (rows, i), j), REL);
  }
  /* per population: B = {3, 4} alone is the pair's value */
  {
    g_autoptr(JsonNode) n7 = NULL;
    o = run_json (popr, "sync", NULL, &n7);
    assert_rel (member_double (o, "pops.B.spike_sync"),
                json_array_get_double_element (json_array_get_array_element (ref_array (&ref, "spike_sync_matrix"), 3), 4),
                REL);
  }
  free_ref (&ref);
}

/* Selection by population and gid, silent cells, the default window, and bad options. */
static void
test_json_selection (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const guint32 e[] = { 0, 1, 2, 3 }, i[] = { 4, 5 };
  double *t = g_new (double, 4);
  guint32 *g = g_new (guint32, 4);
  g_autoptr(JsonNode) n = NULL;
  NlSpikeAnalysisOptions opt;
  JsonObject *o;

  t[0] = 1; t[1] = 2; t[2] = 7.5; t[3] = 8;
  g[0] = 0; g[1] = 4; g[2] = 0; g[3] = 5;
  nl_results_set_spikes (r, t, g, 4);
  nl_results_add_pop (r, "E", e, 4);
  nl_results_add_pop (r, "I", i, 2);

  /* unknown duration: [0, floor(8) + 1) */
  o = run_json (r, "rates", NULL, &n);
  g_assert_cmpfloat (member_double (o, "t1_ms"), ==, 9);
  /* E: 2 spikes over 4 cells (three silent) in 9 ms */
  assert_rel (member_double (o, "pops.E.rate_hz"), 2.0 / 4 / 0.009, REL);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (o, "cells")), ==, 6);
  g_clear_pointer (&n, json_node_unref);

  /* pop I plus gid 1 (of E), window [0, 5) */
  nl_spike_analysis_options_init (&opt);
  opt.pops = (const char *const[]) { "I", NULL };
  opt.gids = (const guint32[]) { 1 };
  opt.n_gids = 1;
  opt.has_time_range = TRUE;
  opt.t0_ms = 0;
  opt.t1_ms = 5;
  o = run_json (r, "rates", &opt, &n);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "cells"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "spikes"), ==, 1);
  g_assert_cmpfloat (member_double (o, "pops.E.cells"), ==, 1);
  g_assert_cmpfloat (member_double (o, "pops.E.spikes"), ==, 0);
  assert_rel (member_double (o, "pops.I.rate_hz"), 1.0 / 2 / 0.005, REL);
  g_clear_pointer (&n, json_node_unref);

  /* sync by default uses the cells that fired: 3 of 6 */
  o = run_json (r, "sync", NULL, &n);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "trains"), ==, 3);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (
    json_object_get_object_member (o, "cells"), "1"), "pairsync"));
  /* E has one train that fired: undefined */
  g_assert_true (json_object_get_null_member (json_object_get_object_member (
    json_object_get_object_member (o, "pops"), "E"), "spike_sync"));
  g_clear_pointer (&n, json_node_unref);
  opt = (NlSpikeAnalysisOptions) { 0 };
  nl_spike_analysis_options_init (&opt);
  opt.sync_include_silent = TRUE;
  opt.sync_matrix = FALSE;
  o = run_json (r, "sync", &opt, &n);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "trains"), ==, 6);
  g_assert_false (json_object_has_member (o, "matrix"));
  g_clear_pointer (&n, json_node_unref);

  /* a zero-length window: defined zeros and nulls */
  nl_spike_analysis_options_init (&opt);
  opt.has_time_range = TRUE;
  opt.t0_ms = opt.t1_ms = 3;
  o = run_json (r, "rates", &opt, &n);
  g_assert_cmpfloat (member_double (o, "total.rate_hz"), ==, 0);
  g_clear_pointer (&n, json_node_unref);
  o = run_json (r, "fano", &opt, &n);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (o, "total"), "fano"));
  g_clear_pointer (&n, json_node_unref);
  o = run_json (r, "spikehist", &opt, &n);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "total")), ==, 0);
  g_clear_pointer (&n, json_node_unref);
}

static void
test_json_bad (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  g_autoptr(NlResults) big = nl_results_new ();
  const guint32 e[] = { 0, 1 };
  NlSpikeAnalysisOptions opt;
  struct { const char *kind; const char *pop; guint32 gid; double bin, fano, t0, t1; guint smooth;
           const char *expect; } cases[] = {
    { "ratez", NULL, G_MAXUINT32, 5, 50, 0, 10, 0, "did you mean 'rates'" },
    { NULL, NULL, G_MAXUINT32, 5, 50, 0, 10, 0, "unknown spike analysis" },
    { "rates", "Ex", G_MAXUINT32, 5, 50, 0, 10, 0, "did you mean 'E'" },
    { "rates", "zzzzzz", G_MAXUINT32, 5, 50, 0, 10, 0, "the results have: E" },
    { "rates", NULL, 9, 5, 50, 0, 10, 0, "gid 9" },
    { "rates", NULL, G_MAXUINT32, 5, 50, 10, 0, 0, "time range" },
    { "spikehist", NULL, G_MAXUINT32, 0, 50, 0, 10, 0, "bin size" },
    { "spikehist", NULL, G_MAXUINT32, 5, 50, 0, 10, 5, "smoothing window" },
    { "fano", NULL, G_MAXUINT32, 5, -1, 0, 10, 0, "Fano window" },
  };

  nl_results_add_pop (r, "E", e, 2);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      nl_spike_analysis_options_init (&opt);
      opt.pops = cases[c].pop ? (const char *const[]) { cases[c].pop, NULL } : NULL;
      if (cases[c].gid != G_MAXUINT32)
        {
          opt.gids = &cases[c].gid;
          opt.n_gids = 1;
        }
      opt.bin_ms = cases[c].bin;
      opt.fano_window_ms = cases[c].fano;
      opt.smooth = cases[c].smooth;
      opt.has_time_range = TRUE;
      opt.t0_ms = cases[c].t0;
      opt.t1_ms = cases[c].t1;
      g_assert_null (nl_spike_analysis_json (r, cases[c].kind, &opt, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      if (!strstr (error->message, cases[c].expect))
        g_error ("case %u: '%s' lacks '%s'", c, error->message, cases[c].expect);
    }
  /* 2001 silent cells with their matrix: too large to print */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) n = NULL;
    nl_results_set_n_cells (big, NL_SPIKE_SYNC_MATRIX_MAX_CELLS + 1);
    nl_spike_analysis_options_init (&opt);
    opt.sync_include_silent = TRUE;
    g_assert_null (nl_spike_analysis_json (big, "sync", &opt, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    /* without spikes the results have no spikes and no duration: [0, 0) and all cells */
    n = nl_spike_analysis_json (big, "rates", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
      json_node_get_object (n), "total"), "cells"), ==, NL_SPIKE_SYNC_MATRIX_MAX_CELLS + 1);
    /* a declared cell count too large to list */
    nl_results_set_n_cells (big, NL_SPIKE_MAX_CELLS + 1);
    g_assert_null (nl_spike_analysis_json (big, "rates", NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }
}

/* NetPyNE's own tut5 run: per-population spike counts and mean rates as its summary has them
 * (spikes / cells / 1 s), and a rate histogram whose mean is the population rate. */
static void
test_tut5 (void)
{
  g_autofree char *data = nl_test_shared_file ("reference/netpyne/tut5/tut5_data.json.gz");
  g_autofree char *sum = NULL;
  g_autoptr(JsonParser) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  g_autoptr(JsonNode) rates = NULL, hist = NULL;
  JsonObject *want, *got, *pops;
  g_autoptr(GList) names = NULL;
  NlSpikeAnalysisOptions opt;

  if (!data)
    return;
  sum = nl_test_shared_file ("reference/netpyne/tut5/tut5_summary.json");
  p = json_parser_new ();
  g_assert_true (json_parser_load_from_file (p, sum, &error));
  want = json_node_get_object (json_parser_get_root (p));
  r = nl_results_read (data, &error);
  g_assert_no_error (error);
  rates = nl_spike_analysis_json (r, "rates", NULL, &error);
  g_assert_no_error (error);
  got = json_node_get_object (rates);
  g_assert_cmpfloat (json_object_get_double_member (got, "t1_ms"), ==,
                     json_object_get_double_member (want, "duration_ms"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (got, "total"), "spikes"), ==,
                   json_object_get_int_member (want, "totalSpikes"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (got, "total"), "cells"), ==,
                   json_object_get_int_member (want, "numCells"));
  pops = json_object_get_object_member (want, "pops");
  names = json_object_get_members (pops);
  g_assert_cmpuint (g_list_length (names), ==, 6);
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *w = json_object_get_object_member (pops, l->data);
      JsonObject *g = json_object_get_object_member (json_object_get_object_member (got, "pops"), l->data);
      g_assert_cmpint (json_object_get_int_member (g, "cells"), ==, json_object_get_int_member (w, "numCells"));
      g_assert_cmpint (json_object_get_int_member (g, "spikes"), ==, json_object_get_int_member (w, "spikes"));
      assert_rel (json_object_get_double_member (g, "rate_hz"), json_object_get_double_member (w, "meanRateHz"), REL);
    }
  /* 1 ms bins over [0, 1000): 999 bins (numpy.arange), whose mean rate is the rate of the
   * spikes before 999 ms */
  nl_spike_analysis_options_init (&opt);
  opt.bin_ms = 1;
  opt.pops = (const char *const[]) { "E2", NULL };
  hist = nl_spike_analysis_json (r, "spikehist", &opt, &error);
  g_assert_no_error (error);
  {
    JsonArray *h = json_object_get_array_member (json_node_get_object (hist), "total");
    const double *t = nl_results_get_spike_times (r);
    const guint32 *gid = nl_results_get_spike_gids (r);
    double total = 0;
    guint64 n = 0;
    int e2 = -1;
    for (guint i = 0; i < nl_results_get_n_pops (r); i++)
      if (g_str_equal (nl_results_get_pop_name (r, i), "E2"))
        e2 = (int) i;
    g_assert_cmpint (e2, >=, 0);
    for (guint64 k = 0; k < nl_results_get_n_spikes (r); k++)
      if (nl_results_find_pop_of_gid (r, gid[k]) == e2 && t[k] <= 999)
        n++;
    g_assert_cmpuint (json_array_get_length (h), ==, 999);
    for (guint k = 0; k < 999; k++)
      total += json_array_get_double_element (h, k);
    /* Σ rate = spikes · 1000 / 50 cells */
    assert_rel (total, n * 1000.0 / 50, 1e-12);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spikestats/rates", test_rates);
  g_test_add_func ("/spikestats/hist", test_hist);
  g_test_add_func ("/spikestats/isicv", test_isicv);
  g_test_add_func ("/spikestats/fano", test_fano);
  g_test_add_func ("/spikestats/sync", test_sync);
  g_test_add_func ("/spikestats/smooth", test_smooth);
  g_test_add_func ("/spikestats/edges", test_edges);
  g_test_add_func ("/spikestats/bad-input", test_bad_input);
  g_test_add_func ("/spikestats/json", test_json);
  g_test_add_func ("/spikestats/json-selection", test_json_selection);
  g_test_add_func ("/spikestats/json-bad", test_json_bad);
  g_test_add_func ("/spikestats/tut5", test_tut5);
  return g_test_run ();
}
