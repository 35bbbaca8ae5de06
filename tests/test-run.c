/* test-run.c — simulating built networks in the real NEURON (serial and MPI). */
#include <nl-build.h>
#include <nl-neuron.h>
#include <nl-run.h>
#include <nl-spec.h>
#include <math.h>
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/tut2", test_tut2);
  g_test_add_func ("/run/tut5", test_tut5);
  g_test_add_func ("/run/merged-synapses", test_merged_synapses);
  g_test_add_func ("/run/cancel", test_cancel);
  g_test_add_func ("/run/mpi-tut2", test_mpi_tut2);
  g_test_add_func ("/run/mpi-ei-net", test_mpi_ei_net);
  g_test_add_func ("/run/missing-mech", test_missing_mech);
  g_test_add_func ("/run/bad-name", test_bad_name);
  g_test_add_func ("/run/cli", test_cli);
  return g_test_run ();
}
