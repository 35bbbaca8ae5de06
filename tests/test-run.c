/* test-run.c — simulating built networks in the real NEURON (serial and MPI). */
#include <nl-build.h>
#include <nl-neuron.h>
#include <nl-run.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nl-testutil.h"

static gboolean
have_nrniv (void)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return FALSE;
    }
  return TRUE;
}

static gboolean
have_mpiexec (void)
{
  g_autofree char *m = g_find_program_in_path ("mpiexec");
  if (!m)
    {
      g_test_skip ("mpiexec not found");
      return FALSE;
    }
  return TRUE;
}

static NlSpec *
load_files (const char *a, const char *b)
{
  const char *files[2] = { a, b };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec = nl_spec_load (files, b ? 2 : 1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  return spec;
}

static NlSpec *
load_tut (const char *name)
{
  g_autofree char *np_rel = g_strdup_printf ("reference/netpyne/%s/%s_netParams.json", name, name);
  g_autofree char *sc_rel = g_strdup_printf ("reference/netpyne/%s/%s_simConfig.json", name, name);
  g_autofree char *np = nl_test_shared_file (np_rel);
  g_autofree char *sc = np ? nl_test_shared_file (sc_rel) : NULL;
  if (!np || !sc)
    return NULL;
  return load_files (np, sc);
}

static NlNetwork *
build (NlSpec *spec)
{
  g_autoptr(GError) error = NULL;
  NlBuildOptions opt = { 0 };
  NlNetwork *net = nl_build_network (spec, &opt, NULL, &error);
  g_assert_no_error (error);
  return net;
}

static NlRunResult *
run (NlSpec *spec, NlNetwork *net, guint ranks)
{
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  opt.n_ranks = ranks;
  NlRunResult *res = nl_run (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  g_assert_cmpuint (res->n_ranks, ==, ranks);
  return res;
}

static void
assert_sorted_within (NlRunResult *res, guint n_cells, double duration)
{
  for (guint64 i = 0; i < res->n_spikes; i++)
    {
      g_assert_cmpuint (res->spike_gid[i], <, n_cells);
      g_assert_cmpfloat (res->spike_t[i], >=, 0);
      g_assert_cmpfloat (res->spike_t[i], <=, duration);
      if (i > 0)
        g_assert_true (res->spike_t[i - 1] < res->spike_t[i]
                       || (res->spike_t[i - 1] == res->spike_t[i] && res->spike_gid[i - 1] < res->spike_gid[i]));
    }
}

static guint64
pop_spikes (NlNetwork *net, NlRunResult *res, const char *pop_name)
{
  int p = nl_network_find_pop (net, pop_name);
  guint64 n = 0;
  g_assert_cmpint (p, >=, 0);
  for (guint64 i = 0; i < res->n_spikes; i++)
    n += nl_network_cell_pop (net, res->spike_gid[i]) == (guint) p;
  return n;
}

/* tut2 against NetPyNE's reference (S 204 spikes, M 727 in 1 s): NetLoom's random draws
 * differ from NetPyNE's, so ±35 %. */
static void
test_tut2 (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) res = NULL;

  if (!have_nrniv () || !(spec = load_tut ("tut2")))
    return;
  net = build (spec);
  res = run (spec, net, 1);
  g_assert_cmpfloat (res->duration_ms, ==, 1000);
  assert_sorted_within (res, 40, 1000);
  guint64 s = pop_spikes (net, res, "S"), m = pop_spikes (net, res, "M");
  g_test_message ("tut2: S %" G_GUINT64_FORMAT " spikes, M %" G_GUINT64_FORMAT, s, m);
  g_assert_cmpfloat (s, >=, 204 * 0.65);
  g_assert_cmpfloat (s, <=, 204 * 1.35);
  g_assert_cmpfloat (m, >=, 727 * 0.65);
  g_assert_cmpfloat (m, <=, 727 * 1.35);
}

/* tut5 against NetPyNE's reference, with issue 4's criterion: within 10 % or three Poisson
 * standard deviations of the reference count, whichever is larger. NetLoom's random streams
 * differ from NetPyNE's and tut5's small I5 population swings with the connectivity drawn
 * (199…261 spikes over seeds 1…5 against NetPyNE's 207), so the mean count over five
 * seed sets (conn = stim = loc = cell = 1 … 5, run in parallel) is compared. */
#define TUT5_SEEDS 5

typedef struct {
  NlSpec      *spec;
  NlRunResult *res;
  NlNetwork   *net;
} Tut5Run;

static gpointer
tut5_thread (gpointer data)
{
  Tut5Run *r = data;
  r->net = build (r->spec);
  r->res = run (r->spec, r->net, 1);
  assert_sorted_within (r->res, 300, 1000);
  return NULL;
}

static void
test_tut5 (void)
{
  static const struct { const char *pop; double spikes; } ref[] = {
    { "E2", 1133 }, { "I2", 925 }, { "E4", 1327 }, { "I4", 353 }, { "E5", 863 }, { "I5", 207 },
  };
  Tut5Run runs[TUT5_SEEDS] = { { 0 } };
  GThread *threads[TUT5_SEEDS];

  if (!have_nrniv ())
    return;
  for (guint s = 0; s < TUT5_SEEDS; s++)
    {
      if (!(runs[s].spec = load_tut ("tut5")))
        return;
      JsonObject *seeds = json_object_new ();
      json_object_set_int_member (seeds, "conn", s + 1);
      json_object_set_int_member (seeds, "stim", s + 1);
      json_object_set_int_member (seeds, "loc", s + 1);
      json_object_set_int_member (seeds, "cell", s + 1);
      json_object_set_object_member (nl_spec_get_sim_config (runs[s].spec), "seeds", seeds);
    }
  for (guint s = 0; s < TUT5_SEEDS; s++)
    threads[s] = g_thread_new ("tut5", tut5_thread, &runs[s]);
  for (guint s = 0; s < TUT5_SEEDS; s++)
    g_thread_join (threads[s]);
  for (guint i = 0; i < G_N_ELEMENTS (ref); i++)
    {
      double sum = 0;
      for (guint s = 0; s < TUT5_SEEDS; s++)
        sum += pop_spikes (runs[s].net, runs[s].res, ref[i].pop);
      double mean = sum / TUT5_SEEDS;
      double tol = MAX (0.1 * ref[i].spikes, 3 * sqrt (ref[i].spikes));
      g_test_message ("tut5 %s: mean %g spikes over %d seed sets (NetPyNE %g)", ref[i].pop, mean, TUT5_SEEDS,
                      ref[i].spikes);
      g_assert_cmpfloat (fabs (mean - ref[i].spikes), <=, tol);
    }
  for (guint s = 0; s < TUT5_SEEDS; s++)
    {
      nl_run_result_free (runs[s].res);
      nl_network_unref (runs[s].net);
      g_object_unref (runs[s].spec);
    }
}

typedef struct {
  guint  calls;
  double last;
  double cancel_at;
  GCancellable *cancellable;
} Progress;

static void
on_progress (double t, double duration, gpointer data)
{
  Progress *p = data;
  g_assert_cmpfloat (t, >=, p->last);
  g_assert_cmpfloat (t, <=, duration);
  p->last = t;
  p->calls++;
  if (p->cancellable && t >= p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

/* Merged linear synapses (the default) against one Exp2Syn per NetCon on tut2, which is
 * feedforward (bkg → S → M): the same spikes up to rounding. Progress arrives in order. */
static void
test_merged_synapses (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) merged = NULL, separate = NULL;
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  Progress progress = { 0 };

  if (!have_nrniv () || !(spec = load_tut ("tut2")))
    return;
  net = build (spec);
  opt.progress = on_progress;
  opt.progress_data = &progress;
  merged = nl_run (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >=, 50);
  g_assert_cmpfloat (progress.last, >=, 900);
  opt.progress = NULL;
  opt.one_syn_per_netcon = TRUE;
  separate = nl_run (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (merged->n_spikes, ==, separate->n_spikes);
  for (guint64 i = 0; i < merged->n_spikes; i++)
    {
      g_assert_cmpuint (merged->spike_gid[i], ==, separate->spike_gid[i]);
      g_assert_cmpfloat (fabs (merged->spike_t[i] - separate->spike_t[i]), <=, 1e-6);
    }
}

static NlSpec *
spec_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  return spec;
}

/* A 500-cell feed-forward network (no loops): 100 noisy NetStims In → 200 hh cells A → 200 hh
 * cells B through Exp2Syns at the soma, random connections (so several NetCons share a merged
 * synapse), 300 ms. */
static const char ff_model[] =
  "{\"netParams\": {\"popParams\": {\"In\": {\"cellModel\": \"NetStim\", \"numCells\": 100, \"rate\": 40,"
  "   \"noise\": 1, \"start\": 0},"
  "   \"A\": {\"cellType\": \"PYR\", \"numCells\": 200}, \"B\": {\"cellType\": \"PYR\", \"numCells\": 200}},"
  " \"cellParams\": {\"PYR\": {\"conds\": {\"cellType\": \"PYR\"}, \"secs\": {\"soma\": {\"geom\": {\"L\": 18.8,"
  "   \"diam\": 18.8, \"Ra\": 123}, \"mechs\": {\"hh\": {}}}}}},"
  " \"synMechParams\": {\"exc\": {\"mod\": \"Exp2Syn\", \"tau1\": 0.1, \"tau2\": 5, \"e\": 0},"
  "   \"inh\": {\"mod\": \"ExpSyn\", \"tau\": 8, \"e\": -75}},"
  " \"connParams\": {\"In->A\": {\"preConds\": {\"pop\": \"In\"}, \"postConds\": {\"pop\": \"A\"},"
  "     \"probability\": 0.15, \"weight\": 0.004, \"delay\": \"1 + uniform(0, 2)\", \"synMech\": \"exc\"},"
  "   \"A->B\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"B\"},"
  "     \"probability\": 0.1, \"weight\": 0.003, \"delay\": \"2 + uniform(0, 3)\", \"synMech\": \"exc\"},"
  "   \"In->B\": {\"preConds\": {\"pop\": \"In\"}, \"postConds\": {\"pop\": \"B\"},"
  "     \"probability\": 0.1, \"weight\": 0.002, \"delay\": 5, \"synMech\": \"inh\"}}},"
  " \"simConfig\": {\"duration\": 300, \"dt\": 0.025%s}}";

/* The same network with merged linear synapses (the default) and with NetLoom's
 * simConfig.netloomOneSynPerConn (one point process per connection, as NetPyNE): the same
 * spikes, times within 1e-6 ms. */
static void
test_merged_synapses_ff500 (void)
{
  g_autoptr(NlSpec) merged_spec = NULL, separate_spec = NULL;
  g_autoptr(NlNetwork) net = NULL, net2 = NULL;
  g_autoptr(NlRunResult) merged = NULL, separate = NULL;
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  g_autofree char *run_dir = g_build_filename (nl_test_tmpdir (), "ff500", NULL);
  g_autofree char *t1 = g_strdup_printf (ff_model, "");
  g_autofree char *t2 = g_strdup_printf (ff_model, ", \"netloomOneSynPerConn\": true");
  guint64 n_b = 0;

  if (!have_nrniv ())
    return;
  merged_spec = spec_from_text (t1);
  separate_spec = spec_from_text (t2);
  net = build (merged_spec);
  net2 = build (separate_spec);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 500);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, nl_network_get_n_conns (net2));
  opt.run_dir = run_dir;
  merged = nl_run (merged_spec, net, &opt, &error);
  g_assert_no_error (error);
  /* merged: fewer synapse objects than NetCons in rank_0.bin */
  {
    g_autofree char *p = g_build_filename (run_dir, "rank_0.bin", NULL);
    g_autofree char *data = NULL;
    gsize len;
    double n_cells_block, n_syns;
    g_assert_true (g_file_get_contents (p, &data, &len, NULL));
    memcpy (&n_cells_block, data, 8);
    memcpy (&n_syns, data + 8 * (1 + (gsize) n_cells_block), 8);
    g_test_message ("ff500: %g synapse objects for %" G_GUINT64_FORMAT " NetCons", n_syns / 4,
                    nl_network_get_n_conns (net));
    g_assert_cmpfloat (n_syns / 4, <, nl_network_get_n_conns (net));
  }
  separate = nl_run (separate_spec, net2, &opt, &error);
  g_assert_no_error (error);
  {
    g_autofree char *p = g_build_filename (run_dir, "rank_0.bin", NULL);
    g_autofree char *data = NULL;
    gsize len;
    double n_cells_block, n_syns;
    g_assert_true (g_file_get_contents (p, &data, &len, NULL));
    memcpy (&n_cells_block, data, 8);
    memcpy (&n_syns, data + 8 * (1 + (gsize) n_cells_block), 8);
    g_assert_cmpfloat (n_syns / 4, ==, nl_network_get_n_conns (net2));
  }
  g_assert_cmpuint (merged->n_spikes, ==, separate->n_spikes);
  for (guint64 i = 0; i < merged->n_spikes; i++)
    {
      g_assert_cmpuint (merged->spike_gid[i], ==, separate->spike_gid[i]);
      g_assert_cmpfloat (fabs (merged->spike_t[i] - separate->spike_t[i]), <=, 1e-6);
      n_b += merged->spike_gid[i] >= 300;
    }
  g_test_message ("ff500: %" G_GUINT64_FORMAT " spikes, %" G_GUINT64_FORMAT " in B", merged->n_spikes, n_b);
  g_assert_cmpuint (n_b, >=, 50);
}

/* simConfig.cvode_active: CVode's threshold crossings are interpolated, so spike times leave
 * the fixed step's grid of dt; they agree with a fine fixed step within 0.05 ms. */
static void
test_cvode (void)
{
  static const char model[] =
    "{\"netParams\": {\"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 1}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8},"
    "   \"mechs\": {\"hh\": {}}}}}},"
    " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 100, \"amp\": 0.2}},"
    " \"stimTargetParams\": {\"ic->A\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"A\"}}}},"
    " \"simConfig\": {\"duration\": 100, \"dt\": %s%s}}";
  g_autofree char *t_fixed = g_strdup_printf (model, "0.025", "");
  g_autofree char *t_fine = g_strdup_printf (model, "0.001", "");
  g_autofree char *t_cvode = g_strdup_printf (model, "0.025", ", \"cvode_active\": true, \"cvode_atol\": 1e-6,"
                                                              " \"cache_efficient\": true");
  g_autoptr(NlSpec) s_fixed = NULL, s_fine = NULL, s_cvode = NULL;
  g_autoptr(NlNetwork) n_fixed = NULL, n_fine = NULL, n_cvode = NULL;
  g_autoptr(NlRunResult) fixed = NULL, fine = NULL, cv = NULL;
  guint off_grid_fixed = 0, off_grid_cvode = 0;

  if (!have_nrniv ())
    return;
  s_fixed = spec_from_text (t_fixed);
  s_fine = spec_from_text (t_fine);
  s_cvode = spec_from_text (t_cvode);
  n_fixed = build (s_fixed);
  n_fine = build (s_fine);
  n_cvode = build (s_cvode);
  fixed = run (s_fixed, n_fixed, 1);
  fine = run (s_fine, n_fine, 1);
  cv = run (s_cvode, n_cvode, 1);
  g_assert_cmpuint (fixed->n_spikes, >=, 5);
  g_assert_cmpuint (cv->n_spikes, ==, fine->n_spikes);
  for (guint64 i = 0; i < cv->n_spikes; i++)
    {
      double q = fixed->spike_t[MIN (i, fixed->n_spikes - 1)] / 0.025, c = cv->spike_t[i] / 0.025;
      off_grid_fixed += fabs (q - round (q)) > 1e-6;
      off_grid_cvode += fabs (c - round (c)) > 1e-6;
      g_assert_cmpfloat (fabs (cv->spike_t[i] - fine->spike_t[i]), <=, 0.05);
    }
  g_assert_cmpuint (off_grid_fixed, ==, 0);
  g_assert_cmpuint (off_grid_cvode, ==, cv->n_spikes);
}

static NlResults *run_full (NlSpec *spec, NlNetwork *net, guint ranks);

/* simConfig.recordStim: the spikes of each cell's NetStim stimuli, in NetPyNE's simData['stims']
 * layout {"cell_<gid>": {"<source>": [times]}} in the results' meta; regular NetStims (noise 0,
 * interval 20 ms from 0) give exactly k · 20 ms; 2 ranks give the same. */
static void
test_record_stim (void)
{
  static const char model[] =
    "{\"netParams\": {\"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 3}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8},"
    "   \"mechs\": {\"hh\": {}}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\", \"tau\": 2, \"e\": 0}},"
    " \"stimSourceParams\": {\"bkg\": {\"type\": \"NetStim\", \"rate\": 50, \"noise\": 0, \"start\": 0},"
    "   \"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 10, \"amp\": 0.1}},"
    " \"stimTargetParams\": {\"bkg->A\": {\"source\": \"bkg\", \"sec\": \"soma\", \"loc\": 0.5, \"synMech\": \"exc\","
    "     \"weight\": 0.01, \"delay\": 1, \"conds\": {\"cellList\": [0, 2]}},"
    "   \"ic->A\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"A\"}}}},"
    " \"simConfig\": {\"duration\": 200, \"dt\": 0.025, \"recordStim\": true}}";
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autofree char *mpi = g_find_program_in_path ("mpiexec");

  if (!have_nrniv ())
    return;
  spec = spec_from_text (model);
  net = build (spec);
  for (guint ranks = 1; ranks <= (mpi ? 2u : 1u); ranks++)
    {
      g_autoptr(NlResults) r = run_full (spec, net, ranks);
      JsonObject *stims = json_object_get_object_member (nl_results_get_meta (r), "stims");
      g_assert_nonnull (stims);
      g_assert_cmpuint (json_object_get_size (stims), ==, 2);
      g_assert_false (json_object_has_member (stims, "cell_1"));
      for (guint c = 0; c < 2; c++)
        {
          JsonObject *cell = json_object_get_object_member (stims, c ? "cell_2" : "cell_0");
          g_assert_nonnull (cell);
          g_assert_cmpuint (json_object_get_size (cell), ==, 1);
          JsonArray *t = json_object_get_array_member (cell, "bkg");
          guint n = json_array_get_length (t);
          g_assert_cmpuint (n, >=, 10);
          g_assert_cmpuint (n, <=, 11);
          for (guint k = 0; k < n; k++)
            g_assert_cmpfloat (fabs (json_array_get_double_element (t, k) - 20.0 * k), <=, 1e-9);
        }
    }
}

/* hParams: v_init is the first sample of every trace, and celsius changes hh's kinetics (so
 * the spikes); NetPyNE's defaults (6.3 °C, −65 mV) otherwise. */
static void
test_hparams (void)
{
  static const char model[] =
    "{\"netParams\": {\"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 1}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8},"
    "   \"mechs\": {\"hh\": {}}}}}},"
    " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 100, \"amp\": 0.2}},"
    " \"stimTargetParams\": {\"ic->A\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"A\"}}}},"
    " \"simConfig\": {\"duration\": 100, \"recordCells\": [0],"
    "   \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}}%s}}";
  g_autofree char *t_default = g_strdup_printf (model, "");
  g_autofree char *t_set = g_strdup_printf (model, ", \"hParams\": {\"celsius\": 20, \"v_init\": -70, \"clamp_resist\": 0.001}");
  g_autoptr(NlSpec) s1 = NULL, s2 = NULL;
  g_autoptr(NlNetwork) n1 = NULL, n2 = NULL;
  g_autoptr(NlResults) r1 = NULL, r2 = NULL;
  guint64 n;

  if (!have_nrniv ())
    return;
  s1 = spec_from_text (t_default);
  s2 = spec_from_text (t_set);
  n1 = build (s1);
  n2 = build (s2);
  r1 = run_full (s1, n1, 1);
  r2 = run_full (s2, n2, 1);
  g_assert_cmpfloat (nl_results_get_trace_values (r1, 0, 0, NULL, &n)[0], ==, -65);
  g_assert_cmpfloat (nl_results_get_trace_values (r2, 0, 0, NULL, &n)[0], ==, -70);
  g_assert_cmpuint (nl_results_get_n_spikes (r1), >=, 3);
  gboolean differ = nl_results_get_n_spikes (r1) != nl_results_get_n_spikes (r2)
                    || fabs (nl_results_get_spike_times (r1)[0] - nl_results_get_spike_times (r2)[0]) > 0.1;
  g_assert_true (differ);
  /* a value that is not a number is refused, naming the key */
  g_autofree char *t_bad = g_strdup_printf (model, ", \"hParams\": {\"celsius\": 20, \"ena\": \"high\"}");
  g_autoptr(NlSpec) s3 = spec_from_text (t_bad);
  g_autoptr(NlNetwork) n3 = build (s3);
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  NlResults *r3 = nl_run_full (s3, n3, &opt, &error);
  g_assert_null (r3);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "simConfig.hParams.ena"));
}

/* Cancelling ends the run (and mpiexec with its ranks) promptly. */
static void
test_cancel (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  NlRunOptions opt = { 0 };
  Progress progress = { 0 };

  if (!have_nrniv () || !have_mpiexec () || !(spec = load_tut ("tut5")))
    return;
  net = build (spec);
  progress.cancellable = cancellable;
  progress.cancel_at = 100;
  opt.n_ranks = 2;
  opt.progress = on_progress;
  opt.progress_data = &progress;
  opt.cancellable = cancellable;
  res = nl_run (spec, net, &opt, &error);
  g_assert_null (res);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_CANCELLED);
  g_assert_cmpfloat (progress.last, <, 900);
}

static void
assert_identical (NlRunResult *a, NlRunResult *b)
{
  g_assert_cmpuint (a->n_spikes, ==, b->n_spikes);
  g_assert_cmpuint (a->n_spikes, >, 0);
  g_assert_true (memcmp (a->spike_t, b->spike_t, a->n_spikes * sizeof (double)) == 0);
  g_assert_true (memcmp (a->spike_gid, b->spike_gid, a->n_spikes * sizeof (guint32)) == 0);
}

static void
test_mpi_tut2 (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) one = NULL, two = NULL;

  if (!have_nrniv () || !have_mpiexec () || !(spec = load_tut ("tut2")))
    return;
  net = build (spec);
  one = run (spec, net, 1);
  two = run (spec, net, 2);
  assert_identical (one, two);
}

static void
test_mpi_ei_net (void)
{
  g_autofree char *file = nl_test_source_file ("examples/ei-net.json");
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) one = NULL, two = NULL, three = NULL;

  if (!have_nrniv () || !have_mpiexec ())
    return;
  spec = load_files (file, NULL);
  net = build (spec);
  one = run (spec, net, 1);
  two = run (spec, net, 2);
  assert_sorted_within (one, nl_network_get_n_cells (net), 500);
  assert_identical (one, two);
  three = run (spec, net, 3);
  assert_identical (one, three);
}

/* A model naming a mechanism NEURON does not have: a clear error, no hang. */
static const char missing_mech[] =
  "{\"netParams\": {\"popParams\": {\"P\": {\"cellType\": \"C\", \"numCells\": 3}},"
  " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10},"
  "   \"mechs\": {\"hhx\": {\"gnabar\": 0.12}}}}}},"
  " \"synMechParams\": {\"exc\": {\"mod\": \"Exp2Syn\"}},"
  " \"stimSourceParams\": {\"bkg\": {\"type\": \"NetStim\", \"rate\": 10}},"
  " \"stimTargetParams\": {\"bkg->P\": {\"source\": \"bkg\", \"conds\": {\"pop\": \"P\"}, \"weight\": 0.01, \"synMech\": \"exc\"}}},"
  " \"simConfig\": {\"duration\": 50}}";

static void
test_missing_mech (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) res = NULL;
  NlRunOptions opt = { 0 };

  if (!have_nrniv ())
    return;
  spec = nl_spec_load_from_data (missing_mech, -1, problems, &error);
  g_assert_no_error (error);
  nl_spec_validate (spec, problems);
  net = build (spec);
  res = nl_run (spec, net, &opt, &error);
  g_assert_null (res);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON);
  g_assert_nonnull (strstr (error->message, "mechanism not found: hhx"));

  if (have_mpiexec ())
    {
      g_clear_error (&error);
      opt.n_ranks = 2;
      res = nl_run (spec, net, &opt, &error);
      g_assert_null (res);
      g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON);
      g_assert_nonnull (strstr (error->message, "hhx"));
    }
}

/* A name that is not an identifier never reaches HOC. */
static void
test_bad_name (void)
{
  g_autofree char *text = g_strdup (missing_mech);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) res = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlRunOptions opt = { 0 };
  char *p = strstr (text, "\"hhx\"");

  if (!have_nrniv ())
    return;
  memcpy (p, "\"h;x\"", 5);
  spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  net = build (spec);
  res = nl_run (spec, net, &opt, &error);
  g_assert_null (res);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID);
  g_assert_true (nl_run_is_identifier ("soma_2"));
  g_assert_false (nl_run_is_identifier ("2soma"));
  g_assert_false (nl_run_is_identifier ("a b"));
}

/* ------------------------------------------------------------------------------------------ */
/* Traces                                                                                     */

static NlResults *
run_full (NlSpec *spec, NlNetwork *net, guint ranks)
{
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  opt.n_ranks = ranks;
  NlResults *res = nl_run_full (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  g_assert_cmpint (json_object_get_int_member (nl_results_get_meta (res), "ranks"), ==, ranks);
  return res;
}

static int
find_trace (NlResults *r, const char *name)
{
  for (guint i = 0; i < nl_results_get_n_traces (r); i++)
    if (!strcmp (nl_results_get_trace_name (r, i), name))
      return i;
  return -1;
}

static gboolean
has_warning (NlResults *r, const char *text)
{
  JsonArray *w = json_object_get_array_member (nl_results_get_meta (r), "warnings");
  for (guint i = 0; w && i < json_array_get_length (w); i++)
    if (strstr (json_array_get_string_element (w, i), text))
      return TRUE;
  return FALSE;
}

/* tut2 records V_soma (soma(0.5).v every 0.1 ms) for the cells NetPyNE would: recordCells is
 * [] and analysis.plotTraces.include [1] adds gid 1. 1000/0.1 + 1 samples from v_init, every
 * threshold crossing (10 mV, where the spike detector sits) within a sample of a spike of
 * the cell; 1 and 2 ranks give the same bits. */
static void
check_tut2_v (NlResults *r, guint n_cells_expected)
{
  guint64 n = 0, ns = 0;
  const double *t = nl_results_get_trace_time (r, &n);
  int k = find_trace (r, "V_soma");
  guint32 gid;
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_n_traces (r), ==, 1);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, n_cells_expected);
  g_assert_cmpuint (n, ==, 10001);
  g_assert_cmpfloat (t[0], ==, 0);
  g_assert_cmpfloat (fabs (t[n - 1] - 1000), <, 1e-9);
  const double *v = nl_results_get_trace_values (r, k, 0, &gid, &ns);
  g_assert_cmpuint (gid, ==, 1);
  g_assert_cmpuint (ns, ==, n);
  g_assert_cmpfloat (v[0], ==, -65);
  for (guint64 i = 0; i < n; i++)
    {
      g_assert_cmpfloat (v[i], >=, -100);
      g_assert_cmpfloat (v[i], <=, 60);
    }
  /* Spikes of gid 1 against the trace: each spike (fixed step: detected at the end of the
   * step that crossed 10 mV) has an upward crossing of 10 mV within a sample of it, or a peak
   * between samples (the samples nearest the spike within 1 mV of threshold); every upward
   * crossing of the trace is within a sample of a spike. */
  const double *st = nl_results_get_spike_times (r);
  const guint32 *sg = nl_results_get_spike_gids (r);
  guint64 n_all = nl_results_get_n_spikes (r);
  guint n_spk = 0, n_cross = 0, n_peak = 0;
  for (guint64 i = 0; i < n_all; i++)
    {
      if (sg[i] != 1)
        continue;
      n_spk++;
      gint64 s = (gint64) floor (st[i] / 0.1);
      gboolean found = FALSE;
      double top = -1e9;
      for (gint64 j = MAX (s - 1, 0); j <= s + 1 && j + 1 < (gint64) n; j++)
        {
          found |= v[j] < 10 && v[j + 1] >= 10;
          top = MAX (top, MAX (v[j], v[j + 1]));
        }
      if (!found && top >= 9)
        n_peak++;
      else if (!found)
        g_error ("gid 1 spikes at %g ms but its trace does not reach 10 mV there", st[i]);
    }
  for (guint64 i = 0; i + 1 < n; i++)
    if (v[i] < 10 && v[i + 1] >= 10)
      {
        gboolean near = FALSE;
        n_cross++;
        for (guint64 j = 0; j < n_all && !near; j++)
          near = sg[j] == 1 && st[j] >= t[i] - 0.1 - 1e-9 && st[j] <= t[i + 1] + 0.1 + 1e-9;
        if (!near)
          g_error ("the trace of gid 1 crosses 10 mV at %g ms without a spike", t[i + 1]);
      }
  g_test_message ("tut2 V_soma gid 1: %" G_GUINT64_FORMAT " samples, %u spikes: %u crossed between samples,"
                  " %u peaked between samples", n, n_spk, n_cross, n_peak);
  g_assert_cmpuint (n_spk, >, 0);
  g_assert_cmpuint (n_cross + n_peak, ==, n_spk);
}

static void
test_traces_tut2 (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) one = NULL, two = NULL;

  if (!have_nrniv () || !(spec = load_tut ("tut2")))
    return;
  net = build (spec);
  one = run_full (spec, net, 1);
  check_tut2_v (one, 1);
  JsonObject *meta = nl_results_get_meta (one);
  g_assert_cmpstr (json_object_get_string_member (meta, "neuron_version"), !=, NULL);
  g_assert_true (json_object_has_member (meta, "netloom_version"));
  g_assert_true (json_object_has_member (meta, "seeds"));
  g_assert_cmpfloat (json_object_get_double_member (meta, "wall_s"), >, 0);
  g_assert_cmpuint (nl_results_get_n_pops (one), ==, 2);
  g_assert_cmpuint (nl_results_get_n_cells (one), ==, 40);
  g_assert_cmpfloat (nl_results_get_duration (one), ==, 1000);
  if (!have_mpiexec ())
    return;
  two = run_full (spec, net, 2);
  check_tut2_v (two, 1);
  guint64 n1, n2, m1, m2;
  guint32 g1, g2;
  const double *t1 = nl_results_get_trace_time (one, &n1), *t2 = nl_results_get_trace_time (two, &n2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_true (memcmp (t1, t2, n1 * sizeof (double)) == 0);
  const double *v1 = nl_results_get_trace_values (one, 0, 0, &g1, &m1);
  const double *v2 = nl_results_get_trace_values (two, 0, 0, &g2, &m2);
  g_assert_cmpuint (g1, ==, g2);
  g_assert_true (memcmp (v1, v2, m1 * sizeof (double)) == 0);
  g_assert_cmpuint (nl_results_get_n_spikes (one), ==, nl_results_get_n_spikes (two));
}

/* recordCells [0, 80] of the bundled example: two cells, 500/0.1 + 1 samples, on 1 and 3 ranks. */
static void
test_traces_ei_net (void)
{
  g_autofree char *file = nl_test_source_file ("examples/ei-net.json");
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) one = NULL, three = NULL;
  guint64 n;
  guint32 gid;

  if (!have_nrniv ())
    return;
  spec = load_files (file, NULL);
  net = build (spec);
  one = run_full (spec, net, 1);
  g_assert_cmpuint (nl_results_get_n_traces (one), ==, 1);
  g_assert_cmpstr (nl_results_get_trace_name (one, 0), ==, "V_soma");
  g_assert_cmpuint (nl_results_get_trace_n_cells (one, 0), ==, 2);
  /* NEURON's t after 5000 steps of 0.1 ms is 499.9000000000452 + 0.1 > 500 = tstop, so NEURON
   * (and NetPyNE, which records the same way) stops one sample short of 500 ms here; tut2's t
   * reaches 1000.0000000001588 and has all 10001. */
  const double *t = nl_results_get_trace_time (one, &n);
  g_test_message ("ei-net V_soma: %" G_GUINT64_FORMAT " samples, last t %.17g", n, t[n - 1]);
  g_assert_cmpuint (n, >=, 5000);
  g_assert_cmpuint (n, <=, 5001);
  g_assert_cmpfloat (fabs (t[n - 1] - (n - 1) * 0.1), <, 1e-6);
  nl_results_get_trace_values (one, 0, 0, &gid, &n);
  g_assert_cmpuint (gid, ==, 0);
  nl_results_get_trace_values (one, 0, 1, &gid, &n);
  g_assert_cmpuint (gid, ==, 80);
  if (!have_mpiexec ())
    return;
  three = run_full (spec, net, 3);
  g_assert_cmpuint (nl_results_get_trace_n_cells (three, 0), ==, 2);
  for (guint c = 0; c < 2; c++)
    {
      guint64 a, b;
      const double *x = nl_results_get_trace_values (one, 0, c, NULL, &a);
      const double *y = nl_results_get_trace_values (three, 0, c, NULL, &b);
      g_assert_cmpuint (a, ==, b);
      g_assert_true (memcmp (x, y, a * sizeof (double)) == 0);
    }
}

/* recordCells forms ([pop, [indices]], a gid), a mechanism variable (hh's m), conds, and
 * traces that cannot be recorded (no such section; a variable NEURON does not know): those
 * cells are skipped with a warning, the run goes on. */
static void
test_traces_kinds (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n, ns;
  guint32 gid;

  if (!have_nrniv () || !(spec = load_tut ("tut2")))
    return;
  JsonObject *sc = nl_spec_get_sim_config (spec);
  JsonParser *p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p,
    "{\"recordCells\": [[\"S\", [0, 2]], 3, \"nopop\"], \"recordStep\": 0.5, \"duration\": 200,"
    " \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"},"
    "   \"m_hh\": {\"sec\": \"soma\", \"loc\": 0.5, \"mech\": \"hh\", \"var\": \"m\"},"
    "   \"g_exc\": {\"sec\": \"soma\", \"loc\": 0.5, \"synMech\": \"exc\", \"var\": \"g\"},"
    "   \"g_exc2\": {\"sec\": \"soma\", \"loc\": 0.5, \"synMech\": \"exc\", \"var\": \"g\", \"index\": 5},"
    "   \"ina_S\": {\"sec\": \"soma\", \"var\": \"ina\", \"conds\": {\"pop\": \"S\"}},"
    "   \"V_dend\": {\"sec\": \"dend\", \"loc\": 0.5, \"var\": \"v\"},"
    "   \"bad\": {\"sec\": \"soma\", \"loc\": 0.5, \"mech\": \"hh\", \"var\": \"nosuch\"}}}", -1, &error));
  JsonObject *o = json_node_get_object (json_parser_get_root (p));
  g_autoptr(GList) keys = json_object_get_members (o);
  for (GList *l = keys; l; l = l->next)
    json_object_set_member (sc, l->data, json_node_copy (json_object_get_member (o, l->data)));
  g_object_unref (p);
  net = build (spec);
  int s0 = nl_network_get_pop (net, nl_network_find_pop (net, "S"))->first;
  r = run_full (spec, net, 1);
  nl_results_get_trace_time (r, &n);
  g_assert_cmpuint (n, >=, 400);     /* 200 / 0.5 + 1, or one short as NEURON's t rounds */
  g_assert_cmpuint (n, <=, 401);
  /* gids: 1 (plotTraces include), 3, S[0], S[2] */
  int k = find_trace (r, "V_soma");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 4);
  guint32 expect[4] = { 1, 3, s0, s0 + 2 };
  for (guint c = 0; c < 4; c++)
    {
      nl_results_get_trace_values (r, k, c, &gid, &ns);
      g_assert_cmpuint (gid, ==, expect[c]);
      g_assert_cmpuint (ns, ==, n);
    }
  k = find_trace (r, "m_hh");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 4);
  for (guint c = 0; c < 4; c++)
    {
      const double *m = nl_results_get_trace_values (r, k, c, &gid, &ns);
      double lo = 1, hi = 0;
      for (guint64 i = 0; i < ns; i++)
        {
          g_assert_cmpfloat (m[i], >=, 0);
          g_assert_cmpfloat (m[i], <=, 1);
          lo = MIN (lo, m[i]);
          hi = MAX (hi, m[i]);
        }
      if (c == 0)
        g_test_message ("m_hh gid %u: %g … %g", gid, lo, hi);
      g_assert_cmpfloat (hi, >, lo);
    }
  /* tut2's bkg and S->M NetCons share one merged Exp2Syn 'exc' at soma(0.5) per cell. */
  k = find_trace (r, "g_exc");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 4);
  for (guint c = 0; c < 4; c++)
    {
      const double *gv = nl_results_get_trace_values (r, k, c, &gid, &ns);
      double hi = 0;
      for (guint64 i = 0; i < ns; i++)
        {
          g_assert_cmpfloat (gv[i], >=, 0);
          hi = MAX (hi, gv[i]);
        }
      g_assert_cmpfloat (hi, >, 0);
    }
  g_assert_cmpint (find_trace (r, "g_exc2"), <, 0);
  g_assert_true (has_warning (r, "recordTraces.g_exc2: not recorded for gid 1: no synMech 'exc' at soma(0.5)"));
  k = find_trace (r, "ina_S");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 2);
  g_assert_cmpint (find_trace (r, "V_dend"), <, 0);
  g_assert_cmpint (find_trace (r, "bad"), <, 0);
  g_assert_true (has_warning (r, "recordTraces.V_dend: not recorded for 4 cell(s)"));
  g_assert_true (has_warning (r, "recordTraces.bad: not recorded for gid 1"));
  g_assert_true (has_warning (r, "no population 'nopop'"));
  g_assert_cmpuint (nl_results_get_n_spikes (r), >, 0);

  /* A name that is not an identifier never reaches HOC. */
  g_clear_pointer (&r, nl_results_unref);
  JsonObject *rt = json_object_get_object_member (sc, "recordTraces");
  json_object_set_string_member (json_object_get_object_member (rt, "V_soma"), "var", "v(0.5)); quit(");
  NlRunOptions opt = { 0 };
  r = nl_run_full (spec, net, &opt, &error);
  g_assert_null (r);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID);
}

/* A stimulus variable: IClamp's i on 2 ranks (0 before del, amp during, 0 after). */
static const char iclamp_model[] =
  "{\"netParams\": {\"popParams\": {\"P\": {\"cellType\": \"C\", \"numCells\": 3}},"
  " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8, \"nseg\": 3},"
  "   \"mechs\": {\"hh\": {}}}}}},"
  " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 10, \"amp\": 0.1}},"
  " \"stimTargetParams\": {\"ic->P\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"P\"}}}},"
  " \"simConfig\": {\"duration\": 20, \"dt\": 0.025, \"recordStep\": 0.025, \"recordCells\": [\"all\"],"
  "   \"recordTraces\": {\"I_ic\": {\"sec\": \"soma\", \"loc\": 0.5, \"stim\": \"ic->P\", \"var\": \"i\"},"
  "     \"I_far\": {\"sec\": \"soma\", \"loc\": 0.1, \"stim\": \"ic->P\", \"var\": \"i\"},"
  "     \"V\": {\"sec\": \"soma\", \"var\": \"v\"}}}}";

static void
test_traces_stim (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r = NULL;
  guint64 n, ns;
  guint32 gid;

  if (!have_nrniv () || !have_mpiexec ())
    return;
  spec = nl_spec_load_from_data (iclamp_model, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  net = build (spec);
  r = run_full (spec, net, 2);
  const double *t = nl_results_get_trace_time (r, &n);
  g_assert_cmpuint (n, >=, 800);
  int k = find_trace (r, "I_ic");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      const double *i = nl_results_get_trace_values (r, k, c, &gid, &ns);
      g_assert_cmpuint (gid, ==, c);
      for (guint64 j = 0; j < ns; j++)
        if (t[j] < 4.9 || t[j] > 15.1)
          g_assert_cmpfloat (i[j], ==, 0);
        else if (t[j] > 5.1 && t[j] < 14.9)
          g_assert_cmpfloat (i[j], ==, 0.1);
    }
  g_assert_cmpint (find_trace (r, "I_far"), <, 0);   /* loc 0.1 is another segment of 3 */
  g_assert_true (has_warning (r, "recordTraces.I_far: not recorded for gid 0: no point-process stim 'ic->P' at soma(0.1)"));
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, find_trace (r, "V")), ==, 3);
}

static int
cli (const char *const *argv, char **out, char **err)
{
  return nl_test_run_cli (argv, out, err);
}

static void
test_cli (void)
{
  g_autofree char *file = nl_test_source_file ("examples/ei-net.json");
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *odir = g_strconcat (tmp, "/out/", NULL);
  g_autofree char *bad_mech = g_build_filename (tmp, "missing.json", NULL);
  g_autofree char *invalid = g_build_filename (tmp, "invalid.json", NULL);
  g_autofree char *out = NULL, *err = NULL, *csv = NULL, *csv_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!have_nrniv ())
    return;
  {
    const char *argv[] = { "run", file, "--json", "-o", odir, NULL };
    g_assert_cmpint (cli (argv, &out, &err), ==, 0);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  static const char *const keys[] = { "cells", "conns", "stim_conns", "spikes", "duration_ms", "ranks", "pops" };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  g_assert_cmpint (json_object_get_int_member (o, "cells"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (o, "ranks"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (o, "duration_ms"), ==, 500);
  JsonObject *e = json_object_get_object_member (json_object_get_object_member (o, "pops"), "E");
  gint64 e_spikes = json_object_get_int_member (e, "spikes");
  g_assert_cmpfloat (json_object_get_double_member (e, "rate_hz"), ==, e_spikes / 80.0 / 0.5);
  g_assert_true (json_object_has_member (e, "conns_in"));
  g_assert_true (json_object_has_member (e, "cells"));

  csv_path = g_build_filename (odir, "spikes.csv", NULL);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "t_ms,gid");
  guint n = 0;
  double prev_t = -1;
  guint prev_g = 0;
  for (guint i = 1; lines[i] && *lines[i]; i++, n++)
    {
      char *end;
      double t = g_ascii_strtod (lines[i], &end);
      g_assert_cmpint (*end, ==, ',');
      guint gid = (guint) g_ascii_strtoull (end + 1, NULL, 10);
      g_assert_true (t > prev_t || (t == prev_t && gid > prev_g));
      prev_t = t;
      prev_g = gid;
    }
  g_assert_cmpint (n, ==, json_object_get_int_member (o, "spikes"));

  /* One CSV per trace: header t_ms,cell_<gid>…, one row per sample (500 ms every 0.1 ms). */
  {
    g_autofree char *vpath = g_build_filename (odir, "V_soma.csv", NULL);
    g_autofree char *vcsv = NULL;
    g_assert_true (g_file_get_contents (vpath, &vcsv, NULL, &error));
    g_auto(GStrv) vl = g_strsplit (vcsv, "\n", -1);
    g_assert_cmpstr (vl[0], ==, "t_ms,cell_0,cell_80");
    g_assert_cmpstr (vl[1], ==, "0,-65,-65");
    guint rows = 0;
    for (guint i = 1; vl[i] && *vl[i]; i++, rows++)
      {
        g_auto(GStrv) f = g_strsplit (vl[i], ",", -1);
        g_assert_cmpuint (g_strv_length (f), ==, 3);
        g_assert_cmpfloat (fabs (g_ascii_strtod (f[0], NULL) - rows * 0.1), <, 1e-6);
      }
    g_assert_cmpuint (rows, >=, 5000);   /* NEURON's samples: see test_traces_ei_net */
    g_assert_cmpuint (rows, <=, 5001);
    g_autoptr(GDir) d = g_dir_open (odir, 0, NULL);
    const char *name;
    guint files = 0;
    while ((name = g_dir_read_name (d)))
      {
        g_assert_false (g_str_has_prefix (name, ".netloom-"));
        files++;
      }
    g_assert_cmpuint (files, ==, 2);
  }

  /* Missing mechanism: 3; invalid model: 1. */
  g_assert_true (g_file_set_contents (bad_mech, missing_mech, -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "run", bad_mech, NULL };
    g_assert_cmpint (cli (argv, &out, &err), ==, 3);
    g_assert_nonnull (strstr (err, "hhx"));
  }
  g_assert_true (g_file_set_contents (invalid, "{\"netParams\": {\"popParams\": {\"P\": {\"numcells\": 3}}}}", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "run", invalid, NULL };
    g_assert_cmpint (cli (argv, &out, &err), ==, 1);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Gap junctions (pointer connections through pc.source_var/target_var)                      */

/* The standard electrical synapse, as NetPyNE's ElectSyn: i = weight*g*(v - vpeer), vpeer a
 * RANGE variable fed by pc.target_var. Written here: sim/mod holds only NetLoom's own. */
static const char gap_mod[] =
  "NEURON {\n"
  "  POINT_PROCESS ElectSyn\n"
  "  NONSPECIFIC_CURRENT i\n"
  "  RANGE g, i, weight, vpeer\n"
  "}\n"
  "UNITS { (nA) = (nanoamp) (mV) = (millivolt) (uS) = (microsiemens) }\n"
  "PARAMETER { g = 0.00005 (uS) weight = 1 }\n"
  "ASSIGNED { v (mV) vpeer (mV) i (nA) }\n"
  "BREAKPOINT { i = weight*g*(v - vpeer) }\n";

/* Two single-compartment hh cells: A (gid 0) under IClamp 0.3 nA from 5 to 45 ms, B (gid 1)
 * joined to it by one gap junction A→B of conductance g µS (weight 1). */
static NlSpec *
gap_spec (double g, double weight, const char *bidirectional, const char *target_var)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  char gs[G_ASCII_DTOSTR_BUF_SIZE], ws[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = g_strdup_printf (
    "{\"netParams\": {\"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 1},"
    "   \"B\": {\"cellType\": \"C\", \"numCells\": 1}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8},"
    "   \"mechs\": {\"hh\": {}}}}}},"
    " \"synMechParams\": {\"gap\": {\"mod\": \"ElectSyn\", \"g\": %s,"
    "   \"pointerParams\": {\"target_var\": \"%s\"%s%s}}},"
    " \"connParams\": {\"A->B\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"B\"},"
    "   \"synMech\": \"gap\", \"weight\": %s, \"sec\": \"soma\", \"loc\": 0.5, \"preSec\": \"soma\", \"preLoc\": 0.5}},"
    " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 40, \"amp\": 0.3}},"
    " \"stimTargetParams\": {\"ic->A\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"A\"}}}},"
    " \"simConfig\": {\"duration\": 50, \"dt\": 0.025, \"recordStep\": 0.025, \"recordCells\": [\"all\"],"
    "   \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"},"
    "     \"I_gap\": {\"sec\": \"soma\", \"loc\": 0.5, \"synMech\": \"gap\", \"var\": \"i\"}}}}",
    g_ascii_formatd (gs, sizeof gs, "%g", g), target_var, bidirectional ? ", \"bidirectional\": " : "",
    bidirectional ? bidirectional : "", g_ascii_formatd (ws, sizeof ws, "%g", weight));
  NlSpec *spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  return spec;
}

static char *
gap_mod_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("netloom-gapmod-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *p = g_build_filename (dir, "ElectSyn.mod", NULL);
  g_assert_true (g_file_set_contents (p, gap_mod, -1, NULL));
  return dir;
}

static void
gap_mod_dir_free (char *dir)
{
  g_autofree char *p = g_build_filename (dir, "ElectSyn.mod", NULL);
  g_unlink (p);
  g_rmdir (dir);
  g_free (dir);
}

static NlResults *
gap_run (double g, double weight, const char *bidirectional, const char *mod_dir, guint ranks)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = gap_spec (g, weight, bidirectional, "vpeer");
  g_autoptr(NlNetwork) net = build (spec);
  const char *dirs[] = { mod_dir, NULL };
  NlRunOptions opt = { 0 };
  opt.n_ranks = ranks;
  opt.mod_dirs = dirs;
  NlResults *r = nl_run_full (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

/* V of gid `gid` (trace V_soma). */
static const double *
gap_v (NlResults *r, guint gid, guint64 *n)
{
  guint32 g;
  int k = find_trace (r, "V_soma");
  g_assert_cmpint (k, >=, 0);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, k), ==, 2);
  const double *v = nl_results_get_trace_values (r, k, gid, &g, n);
  g_assert_cmpuint (g, ==, gid);
  return v;
}

static double
max_of (const double *v, guint64 n)
{
  double m = -INFINITY;
  for (guint64 i = 0; i < n; i++)
    m = MAX (m, v[i]);
  return m;
}

static void
assert_same_results (NlResults *a, NlResults *b)
{
  guint64 n = nl_results_get_n_spikes (a), na, nb;
  g_assert_cmpuint (n, ==, nl_results_get_n_spikes (b));
  g_assert_cmpmem (nl_results_get_spike_times (a), n * sizeof (double), nl_results_get_spike_times (b), n * sizeof (double));
  g_assert_cmpmem (nl_results_get_spike_gids (a), n * sizeof (guint32), nl_results_get_spike_gids (b), n * sizeof (guint32));
  for (guint gid = 0; gid < 2; gid++)
    {
      const double *va = gap_v (a, gid, &na), *vb = gap_v (b, gid, &nb);
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpmem (va, na * sizeof (double), vb, nb * sizeof (double));
    }
}

/* A bidirectional junction of 0.01 µS depolarises B well above rest (g = 0: B stays at rest)
 * and loads A; the connection's weight multiplies g (the mechanism's 'weight', as NetPyNE);
 * 1 and 2 ranks (A and B on different ranks) give the same bits. */
static void
test_gap_junction (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(NlResults) on = NULL, off = NULL, on2 = NULL, half = NULL;
  guint64 n, n0;

  if (!have_nrniv ())
    return;
  dir = gap_mod_dir ();
  on = gap_run (0.01, 1, NULL, dir, 1);
  off = gap_run (0, 1, NULL, dir, 1);
  const double *vb = gap_v (on, 1, &n), *vb0 = gap_v (off, 1, &n0);
  const double *va = gap_v (on, 0, &n), *va0 = gap_v (off, 0, &n0);
  g_assert_cmpuint (n, ==, n0);
  g_assert_cmpuint (n, >=, 1999);
  double rest = vb0[0];
  g_test_message ("gap 0.01 uS: max V_B %.3f mV (g=0: %.3f mV, V_B(0) %.3f mV); max V_A %.3f mV (g=0: %.3f mV); "
                  "spikes %" G_GUINT64_FORMAT " (g=0: %" G_GUINT64_FORMAT ")",
                  max_of (vb, n), max_of (vb0, n0), rest, max_of (va, n), max_of (va0, n0),
                  nl_results_get_n_spikes (on), nl_results_get_n_spikes (off));
  /* g = 0: B stays at rest */
  for (guint64 i = 0; i < n0; i++)
    g_assert_cmpfloat (fabs (vb0[i] - rest), <, 1);
  /* coupled: B follows A's spikes, depolarised by more than 10 mV */
  g_assert_cmpfloat (max_of (vb, n) - max_of (vb0, n0), >, 10);
  /* and A, loaded by B, differs from the uncoupled A */
  {
    gboolean differ = FALSE;
    for (guint64 i = 0; i < n; i++)
      differ |= va[i] != va0[i];
    g_assert_true (differ);
  }
  /* the junction's two point processes (B's, and A's for B→A) carry opposite currents */
  {
    int k = find_trace (on, "I_gap");
    guint32 ga, gb;
    guint64 nia, nib;
    g_assert_cmpint (k, >=, 0);
    g_assert_cmpuint (nl_results_get_trace_n_cells (on, k), ==, 2);
    const double *ia = nl_results_get_trace_values (on, k, 0, &ga, &nia);
    const double *ib = nl_results_get_trace_values (on, k, 1, &gb, &nib);
    double imax = 0;
    g_assert_cmpuint (nia, ==, nib);
    for (guint64 i = 0; i < nia; i++)
      {
        g_assert_cmpfloat (ia[i], ==, -ib[i]);
        imax = MAX (imax, fabs (ia[i]));
      }
    g_test_message ("max |i_gap| %.4f nA", imax);
    g_assert_cmpfloat (imax, >, 0.1);
  }
  /* NetPyNE sets the point process's 'weight' to the connection's weight: g 0.02 µS at
     weight 0.5 is the same junction, to the bit */
  half = gap_run (0.02, 0.5, NULL, dir, 1);
  assert_same_results (on, half);
  if (have_mpiexec ())
    {
      on2 = gap_run (0.01, 1, NULL, dir, 2);
      assert_same_results (on, on2);
    }
  gap_mod_dir_free (g_steal_pointer (&dir));
}

/* bidirectional: false — B is driven by A, A is unaffected (the same bits as with g = 0). */
static void
test_gap_unidirectional (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(NlResults) uni = NULL, off = NULL, uni2 = NULL;
  guint64 n, n0;

  if (!have_nrniv ())
    return;
  dir = gap_mod_dir ();
  uni = gap_run (0.01, 1, "false", dir, 1);
  off = gap_run (0, 1, NULL, dir, 1);
  const double *va = gap_v (uni, 0, &n), *va0 = gap_v (off, 0, &n0);
  g_assert_cmpuint (n, ==, n0);
  g_assert_cmpmem (va, n * sizeof (double), va0, n0 * sizeof (double));
  const double *vb = gap_v (uni, 1, &n), *vb0 = gap_v (off, 1, &n0);
  g_test_message ("unidirectional 0.01 uS: max V_B %.3f mV (g=0: %.3f mV)", max_of (vb, n), max_of (vb0, n0));
  g_assert_cmpfloat (max_of (vb, n) - max_of (vb0, n0), >, 10);
  /* only B has a junction point process */
  g_assert_cmpuint (nl_results_get_trace_n_cells (uni, find_trace (uni, "I_gap")), ==, 1);
  g_assert_true (has_warning (uni, "recordTraces.I_gap: not recorded for gid 0"));
  if (have_mpiexec ())
    {
      uni2 = gap_run (0.01, 1, "false", dir, 2);
      assert_same_results (uni, uni2);
    }
  gap_mod_dir_free (g_steal_pointer (&dir));
}

/* A target_var that is not an identifier is refused before anything is written or run. */
static void
test_gap_bad_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *drv = NULL;

  if (!have_nrniv ())
    return;
  spec = gap_spec (0.01, 1, NULL, "vpeer)\\nquit(");
  net = build (spec);
  dir = g_dir_make_tmp ("netloom-gapbad-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_false (nl_run_prepare (spec, net, NULL, dir, &argv, &error));
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "synMechParams.gap.pointerParams.target_var"));
  g_assert_null (argv);
  drv = g_build_filename (dir, "driver.hoc", NULL);
  g_assert_false (g_file_test (drv, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

/* Live spikes: every spike arrives during the run, and the blocks arrive before the end. */
typedef struct {
  GArray *t;
  GArray *gid;
  guint   blocks;
  guint   blocks_before_end;
  double  last_progress;
  double  duration;
} Live;

static void
live_spikes (const double *t, const guint32 *gid, guint64 n, gpointer data)
{
  Live *l = data;
  g_array_append_vals (l->t, t, n);
  g_array_append_vals (l->gid, gid, n);
  l->blocks++;
  if (l->last_progress < l->duration)
    l->blocks_before_end++;
}

static void
live_progress (double t, double duration, gpointer data)
{
  Live *l = data;
  l->last_progress = t;
  l->duration = duration;
}

static int
cmp_spike (const void *a, const void *b)
{
  const double *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1];
}

static void
test_live_spikes (void)
{
  g_autofree char *file = nl_test_source_file ("examples/ei-net.json");
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;

  if (!have_nrniv () || !have_mpiexec ())
    return;
  spec = load_files (file, NULL);
  net = build (spec);
  for (guint ranks = 1; ranks <= 2; ranks++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NlResults) r = NULL;
      Live l = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)), 0, 0, 0, 1 };
      NlRunOptions opt = { 0 };
      guint64 n;
      g_autofree double *pairs = NULL;

      opt.n_ranks = ranks;
      opt.spikes = live_spikes;
      opt.spikes_data = &l;
      opt.progress = live_progress;
      opt.progress_data = &l;
      r = nl_run_full (spec, net, &opt, &error);
      g_assert_no_error (error);
      n = nl_results_get_n_spikes (r);
      g_assert_cmpuint (n, >, 100);
      /* Every spike came live, once. */
      g_assert_cmpuint (l.t->len, ==, n);
      pairs = g_new (double, 2 * n);
      for (guint64 i = 0; i < n; i++)
        {
          pairs[2 * i] = g_array_index (l.t, double, i);
          pairs[2 * i + 1] = g_array_index (l.gid, guint32, i);
        }
      qsort (pairs, n, 2 * sizeof (double), cmp_spike);
      for (guint64 i = 0; i < n; i++)
        {
          g_assert_cmpfloat (pairs[2 * i], ==, nl_results_get_spike_times (r)[i]);
          g_assert_cmpfloat (pairs[2 * i + 1], ==, nl_results_get_spike_gids (r)[i]);
        }
      /* … and during the run, not all at the end (500 ms, a block every 10 ms of simulated time). */
      g_assert_cmpuint (l.blocks_before_end, >=, 10);
      g_array_unref (l.t);
      g_array_unref (l.gid);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Placement of cells on ranks                                                                */

/* Heterogeneous cells: five big cells (soma with hh, a 41-segment passive dendrite: cost
 * 1·2 + 41·2 = 84 plus their synapses) first in gid order, then twelve one-compartment hh
 * cells (cost 2 plus synapses) and two VecStims (cost 1); NetStim noise (per-gid Random123),
 * an IClamp, connections both ways. Round-robin puts three big cells on rank 0 of 2 (two on
 * ranks 0 and 1 of 3); cost placement spreads them. */
static const char placement_model[] =
  "{\"netParams\": {\"popParams\": {"
  "   \"B\": {\"cellType\": \"Big\", \"numCells\": 5},"
  "   \"S\": {\"cellType\": \"Small\", \"numCells\": 12},"
  "   \"drive\": {\"cellModel\": \"VecStim\", \"numCells\": 2, \"spkTimes\": [[20, 60, 100], [40, 80]]}},"
  " \"cellParams\": {"
  "   \"Big\": {\"conds\": {\"cellType\": \"Big\"}, \"secs\": {"
  "     \"soma\": {\"geom\": {\"diam\": 20, \"L\": 20, \"Ra\": 100, \"cm\": 1}, \"mechs\": {\"hh\": {}}, \"threshold\": 0},"
  "     \"dend\": {\"geom\": {\"diam\": 2, \"L\": 400, \"Ra\": 100, \"cm\": 1, \"nseg\": 41},"
  "              \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1.0, \"childX\": 0},"
  "              \"mechs\": {\"pas\": {\"g\": 0.0001, \"e\": -65}}}}},"
  "   \"Small\": {\"conds\": {\"cellType\": \"Small\"}, \"secs\": {"
  "     \"soma\": {\"geom\": {\"diam\": 18.8, \"L\": 18.8, \"Ra\": 123}, \"mechs\": {\"hh\": {}}}}}},"
  " \"synMechParams\": {\"exc\": {\"mod\": \"Exp2Syn\", \"tau1\": 0.1, \"tau2\": 5.0, \"e\": 0}},"
  " \"stimSourceParams\": {\"bkg\": {\"type\": \"NetStim\", \"rate\": 20, \"noise\": 0.5},"
  "                        \"pulse\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 2, \"amp\": 0.5}},"
  " \"stimTargetParams\": {"
  "   \"bkg->all\": {\"source\": \"bkg\", \"conds\": {\"pop\": [\"B\", \"S\"]}, \"weight\": 0.01, \"delay\": 1, \"synMech\": \"exc\"},"
  "   \"pulse->B0\": {\"source\": \"pulse\", \"conds\": {\"pop\": \"B\", \"cellList\": [0]}, \"sec\": \"soma\", \"loc\": 0.5}},"
  " \"connParams\": {"
  "   \"drive->B\": {\"preConds\": {\"pop\": \"drive\"}, \"postConds\": {\"pop\": \"B\"}, \"probability\": 1,"
  "                 \"weight\": 0.01, \"delay\": 1, \"synMech\": \"exc\", \"sec\": \"dend\", \"loc\": 0.8},"
  "   \"S->B\": {\"preConds\": {\"pop\": \"S\"}, \"postConds\": {\"pop\": \"B\"}, \"divergence\": 2,"
  "             \"weight\": 0.005, \"delay\": 3, \"synMech\": \"exc\", \"sec\": \"dend\", \"loc\": 0.5},"
  "   \"B->S\": {\"preConds\": {\"pop\": \"B\"}, \"postConds\": {\"pop\": \"S\"}, \"divergence\": 3,"
  "             \"weight\": \"0.004 + uniform(0, 0.002)\", \"delay\": 2, \"synMech\": \"exc\"}}},"
  " \"simConfig\": {\"duration\": 300, \"dt\": 0.025, \"recordStep\": 0.1, %s"
  "   \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}},"
  "   \"recordCells\": [[\"B\", 1], [\"B\", 4], [\"S\", 3], 16],"
  "   \"recordLFP\": [[0, 0, 0], [50, -100, 20]], \"saveLFPCells\": [1, 4, 8], \"saveLFPPops\": [\"B\"]}}";

static NlResults *
run_placed (NlSpec *spec, NlNetwork *net, guint ranks, NlPlacement placement)
{
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  opt.n_ranks = ranks;
  opt.placement = placement;
  NlResults *res = nl_run_full (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
  JsonObject *meta = nl_results_get_meta (res);
  g_assert_cmpint (json_object_get_int_member (meta, "ranks"), ==, ranks);
  g_assert_cmpstr (json_object_get_string_member (meta, "placement"), ==,
                   placement == NL_PLACEMENT_COST ? "cost" : "roundRobin");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (meta, "rank_costs")), ==, ranks);
  return res;
}

/* max − min of meta rank_costs, and their sum in *total */
static double
rank_spread (NlResults *r, double *total)
{
  JsonArray *a = json_object_get_array_member (nl_results_get_meta (r), "rank_costs");
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  *total = 0;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      double x = json_array_get_double_element (a, i);
      lo = MIN (lo, x);
      hi = MAX (hi, x);
      *total += x;
    }
  return hi - lo;
}

static void
assert_same_placed (NlResults *a, NlResults *b)
{
  guint64 n = nl_results_get_n_spikes (a), na, nb;
  g_assert_cmpuint (nl_results_get_n_spikes (b), ==, n);
  g_assert_cmpmem (nl_results_get_spike_times (a), n * sizeof (double), nl_results_get_spike_times (b), n * sizeof (double));
  g_assert_cmpmem (nl_results_get_spike_gids (a), n * sizeof (guint32), nl_results_get_spike_gids (b), n * sizeof (guint32));
  const double *ta = nl_results_get_trace_time (a, &na), *tb = nl_results_get_trace_time (b, &nb);
  g_assert_cmpmem (ta, na * sizeof (double), tb, nb * sizeof (double));
  g_assert_cmpuint (nl_results_get_n_traces (b), ==, nl_results_get_n_traces (a));
  for (guint k = 0; k < nl_results_get_n_traces (a); k++)
    {
      g_assert_cmpuint (nl_results_get_trace_n_cells (b, k), ==, nl_results_get_trace_n_cells (a, k));
      for (guint c = 0; c < nl_results_get_trace_n_cells (a, k); c++)
        {
          guint32 ga, gb;
          const double *va = nl_results_get_trace_values (a, k, c, &ga, &na);
          const double *vb = nl_results_get_trace_values (b, k, c, &gb, &nb);
          g_assert_cmpuint (ga, ==, gb);
          g_assert_cmpmem (va, na * sizeof (double), vb, nb * sizeof (double));
        }
    }
  /* LFP: the ranks' sums, each over its own segments, so equal up to rounding */
  guint64 sa, sb;
  guint ea, eb;
  double dta, dtb, scale = 0;
  const double *la = nl_results_get_lfp (a, &sa, &ea, &dta), *lb = nl_results_get_lfp (b, &sb, &eb, &dtb);
  g_assert_nonnull (la);
  g_assert_nonnull (lb);
  g_assert_cmpuint (sa, ==, sb);
  g_assert_cmpuint (ea, ==, eb);
  g_assert_cmpuint (sa, >, 100);
  for (guint64 i = 0; i < sa * ea; i++)
    scale = MAX (scale, fabs (la[i]));
  g_assert_cmpfloat (scale, >, 1e-6);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (b), ==, nl_results_get_n_lfp_parts (a));
  g_assert_cmpuint (nl_results_get_n_lfp_parts (a), ==, 4);
  for (int k = -1; k < (int) nl_results_get_n_lfp_parts (a); k++)
    {
      NlLfpPartKind ka, kb;
      const char *pa, *pb;
      guint32 ga, gb;
      const double *xa = k < 0 ? la : nl_results_get_lfp_part (a, k, &ka, &pa, &ga);
      const double *xb = k < 0 ? lb : nl_results_get_lfp_part (b, k, &kb, &pb, &gb);
      if (k >= 0)
        {
          g_assert_cmpint (ka, ==, kb);
          g_assert_cmpuint (ga, ==, gb);
        }
      for (guint64 i = 0; i < sa * ea; i++)
        g_assert_cmpfloat (fabs (xa[i] - xb[i]), <=, 1e-9 * scale);
    }
}

/* 1 rank, and 2 and 3 ranks with either placement: the same spikes and traces, bit for bit.
 * Cost placement's rank totals differ by at most the largest cell's cost (LPT), and by less
 * than round-robin's; both placements share the total. */
static void
test_placement (void)
{
  g_autofree char *text = g_strdup_printf (placement_model, "");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) one = NULL;
  g_autofree double *costs = NULL;
  double max_cost = 0, total1;

  if (!have_nrniv () || !have_mpiexec ())
    return;
  spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  net = build (spec);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 19);
  costs = nl_placement_cell_costs (spec, net, FALSE);
  for (guint gid = 0; gid < 19; gid++)
    {
      guint64 first, n_in = nl_network_conns_of_cell (net, gid, &first);
      gboolean from_s = FALSE;
      for (guint64 i = 0; i < n_in; i++)
        {
          NlConn c;
          nl_network_get_conn (net, first + i, &c);
          from_s |= c.pre >= 5 && c.pre < 17;
        }
      /* big: 84 + the synapses of bkg (soma 0.5), drive (dend 0.8) and S (dend 0.5) + the
         IClamp of gid 0; small: 2 + one synapse (bkg's and B's, soma 0.5, shared); VecStim: 1 */
      double want = gid < 5 ? 84 + 1 + 1 + from_s + (gid == 0) : gid < 17 ? 2 + 1 : 1;
      g_assert_cmpfloat (costs[gid], ==, want);
      max_cost = MAX (max_cost, costs[gid]);
    }
  /* one synapse per connection: every NetCon onto a cell counts */
  {
    g_autofree double *each = nl_placement_cell_costs (spec, net, TRUE);
    guint64 n_sc = nl_network_get_n_stim_conns (net);
    for (guint gid = 5; gid < 17; gid++)
      {
        guint64 first, n_in = nl_network_conns_of_cell (net, gid, &first);
        guint n_stim = 0;
        for (guint64 i = 0; i < n_sc; i++)
          {
            NlConn c;
            nl_network_get_stim_conn (net, i, &c);
            n_stim += c.post == gid;
          }
        g_assert_cmpuint (n_stim, ==, 1);
        g_assert_cmpfloat (each[gid], ==, 2 + n_stim + n_in);
      }
  }
  one = run_placed (spec, net, 1, NL_PLACEMENT_ROUND_ROBIN);
  g_assert_cmpuint (nl_results_get_n_spikes (one), >, 20);
  g_assert_cmpuint (nl_results_get_trace_n_cells (one, 0), ==, 4);
  rank_spread (one, &total1);
  for (guint ranks = 2; ranks <= 3; ranks++)
    {
      g_autoptr(NlResults) rr = run_placed (spec, net, ranks, NL_PLACEMENT_ROUND_ROBIN);
      g_autoptr(NlResults) cost = run_placed (spec, net, ranks, NL_PLACEMENT_COST);
      double tot_rr, tot_cost;
      double s_rr = rank_spread (rr, &tot_rr), s_cost = rank_spread (cost, &tot_cost);
      assert_same_placed (one, rr);
      assert_same_placed (one, cost);
      g_test_message ("%u ranks: rank cost spread round-robin %g, cost %g (largest cell %g, total %g)",
                      ranks, s_rr, s_cost, max_cost, total1);
      g_assert_cmpfloat (tot_rr, ==, total1);
      g_assert_cmpfloat (tot_cost, ==, total1);
      g_assert_cmpfloat (s_cost, <=, max_cost);
      g_assert_cmpfloat (s_cost, <, s_rr);
      g_assert_cmpfloat (s_rr, >, max_cost / 2);
    }
}

/* The placement table itself: round-robin is gid % ranks; LPT on known costs; deterministic
 * ties; simConfig.netloomPlacement "cost" asks for it; a bad value is an error naming the key. */
static void
test_placement_assign (void)
{
  const double c[7] = { 5, 1, 4, 4, 3, 3, 1 };
  double load[3];
  g_autofree guint *rr = nl_placement_assign (NL_PLACEMENT_ROUND_ROBIN, c, 7, 3, load);
  for (guint g = 0; g < 7; g++)
    g_assert_cmpuint (rr[g], ==, g % 3);
  g_assert_cmpfloat (load[0], ==, 5 + 4 + 1);
  g_assert_cmpfloat (load[1], ==, 1 + 3);
  g_assert_cmpfloat (load[2], ==, 4 + 3);
  /* LPT, ties by gid then rank: 5→r0, 4(g2)→r1, 4(g3)→r2, 3(g4)→r1 (4<5, 4=4: lower rank),
     3(g5)→r2, 1(g1)→r0, 1(g6)→r0 (6 < 7, 7) */
  g_autofree guint *lpt = nl_placement_assign (NL_PLACEMENT_COST, c, 7, 3, load);
  const guint want[7] = { 0, 0, 1, 2, 1, 2, 0 };
  for (guint g = 0; g < 7; g++)
    g_assert_cmpuint (lpt[g], ==, want[g]);
  g_assert_cmpfloat (load[0], ==, 7);
  g_assert_cmpfloat (load[1], ==, 7);
  g_assert_cmpfloat (load[2], ==, 7);
  /* more ranks than cells: the empty ranks cost 0 */
  double load5[5];
  g_autofree guint *few = nl_placement_assign (NL_PLACEMENT_COST, c, 2, 5, load5);
  g_assert_cmpuint (few[0], ==, 0);
  g_assert_cmpuint (few[1], ==, 1);
  g_assert_cmpfloat (load5[4], ==, 0);

  NlPlacement p = NL_PLACEMENT_COST;
  g_assert_true (nl_placement_from_name ("round-robin", &p) && p == NL_PLACEMENT_ROUND_ROBIN);
  g_assert_true (nl_placement_from_name ("cost", &p) && p == NL_PLACEMENT_COST);
  g_assert_true (nl_placement_from_name ("roundRobin", &p) && p == NL_PLACEMENT_ROUND_ROBIN);
  g_assert_false (nl_placement_from_name ("Cost", &p));
  g_assert_cmpstr (nl_placement_name (NL_PLACEMENT_COST), ==, "cost");

  if (!have_nrniv ())
    return;
  for (guint bad = 0; bad < 2; bad++)
    {
      g_autofree char *text = g_strdup_printf (placement_model, bad ? "\"netloomPlacement\": \"fastest\","
                                                                    : "\"netloomPlacement\": \"cost\",");
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) problems = nl_problems_new ();
      g_autoptr(NlSpec) spec = nl_spec_load_from_data (text, -1, problems, &error);
      g_autoptr(NlNetwork) net = NULL;
      g_autoptr(NlResults) res = NULL;
      g_autofree char *dir = g_build_filename (nl_test_tmpdir (), bad ? "placement-bad" : "placement-cost", NULL);
      g_auto(GStrv) argv = NULL;
      NlRunOptions opt = { 0 };
      g_assert_no_error (error);
      g_assert_cmpuint (nl_spec_validate (spec, problems), ==, bad);
      net = build (spec);
      opt.n_ranks = 2;
      if (bad)
        {
          g_assert_false (nl_run_prepare (spec, net, &opt, dir, &argv, &error));
          g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, "simConfig.netloomPlacement"));
          g_assert_nonnull (strstr (error->message, "fastest"));
          continue;
        }
      /* the model asks for cost: the rank files hold the cells LPT gives each rank */
      g_assert_true (nl_run_prepare (spec, net, &opt, dir, &argv, &error));
      g_assert_no_error (error);
      g_autofree double *costs = nl_placement_cell_costs (spec, net, FALSE);
      g_autofree guint *want_rank = nl_placement_assign (NL_PLACEMENT_COST, costs, 19, 2, NULL);
      guint seen = 0;
      for (guint r = 0; r < 2; r++)
        {
          g_autofree char *name = g_strdup_printf ("rank_%u.bin", r);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *data = NULL;
          gsize len, off = sizeof (double);
          double n;
          g_assert_true (g_file_get_contents (path, &data, &len, NULL));
          memcpy (&n, data, sizeof n);
          /* block 1: per cell gid, then rule (≥ 0: cell rule, nf values; < 0: artificial, n times) */
          while (off < sizeof (double) * (1 + (gsize) n))
            {
              double h[3];
              memcpy (h, data + off, sizeof h);
              g_assert_cmpuint (want_rank[(guint) h[0]], ==, r);
              seen++;
              off += (3 + (gsize) h[2]) * sizeof (double);
            }
        }
      g_assert_cmpuint (seen, ==, 19);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/tut2", test_tut2);
  g_test_add_func ("/run/tut5", test_tut5);
  g_test_add_func ("/run/merged-synapses", test_merged_synapses);
  g_test_add_func ("/run/merged-synapses-ff500", test_merged_synapses_ff500);
  g_test_add_func ("/run/cvode", test_cvode);
  g_test_add_func ("/run/record-stim", test_record_stim);
  g_test_add_func ("/run/hparams", test_hparams);
  g_test_add_func ("/run/cancel", test_cancel);
  g_test_add_func ("/run/live-spikes", test_live_spikes);
  g_test_add_func ("/run/mpi-tut2", test_mpi_tut2);
  g_test_add_func ("/run/mpi-ei-net", test_mpi_ei_net);
  g_test_add_func ("/run/missing-mech", test_missing_mech);
  g_test_add_func ("/run/bad-name", test_bad_name);
  g_test_add_func ("/run/cli", test_cli);
  g_test_add_func ("/run/traces-tut2", test_traces_tut2);
  g_test_add_func ("/run/traces-ei-net", test_traces_ei_net);
  g_test_add_func ("/run/traces-kinds", test_traces_kinds);
  g_test_add_func ("/run/traces-stim", test_traces_stim);
  g_test_add_func ("/run/gap-junction", test_gap_junction);
  g_test_add_func ("/run/gap-unidirectional", test_gap_unidirectional);
  g_test_add_func ("/run/gap-bad-name", test_gap_bad_name);
  g_test_add_func ("/run/placement", test_placement);
  g_test_add_func ("/run/placement-assign", test_placement_assign);
  return g_test_run ();
}
