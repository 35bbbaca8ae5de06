/* test-run-exact.c — a NetLoom run of a single cell against the same cell written by hand in
 * plain HOC and run in the same nrniv: the voltage traces must be identical, sample for
 * sample (same NEURON, same dt, same equations: any difference is a translation error). */
#include <nl-build.h>
#include <nl-neuron.h>
#include <nl-run.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

/* One hh soma under an IClamp that makes it fire a few spikes. */
static const char hh_model[] =
  "{\"netParams\": {"
  "  \"popParams\": {\"P\": {\"cellType\": \"HH\", \"numCells\": 1}},"
  "  \"cellParams\": {\"HH\": {\"secs\": {\"soma\": {"
  "     \"geom\": {\"diam\": 18.8, \"L\": 18.8, \"Ra\": 123.0, \"cm\": 1},"
  "     \"mechs\": {\"hh\": {\"gnabar\": 0.12, \"gkbar\": 0.036, \"gl\": 0.003, \"el\": -70}}}}}},"
  "  \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 40, \"amp\": 0.8}},"
  "  \"stimTargetParams\": {\"ic->P\": {\"source\": \"ic\", \"conds\": {\"pop\": \"P\"},"
  "                                   \"sec\": \"soma\", \"loc\": 0.5}}},"
  " \"simConfig\": {\"duration\": 60, \"dt\": 0.025, \"recordStep\": 0.025,"
  "  \"hParams\": {\"celsius\": 6.3, \"v_init\": -65},"
  "  \"recordCells\": [0],"
  "  \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}}}}";

static const char hh_hoc[] =
  "create soma\n"
  "soma { diam = 18.8  L = 18.8  Ra = 123  cm = 1  insert hh\n"
  "       gnabar_hh = 0.12  gkbar_hh = 0.036  gl_hh = 0.003  el_hh = -70 }\n"
  "objref ic\n"
  "soma ic = new IClamp(0.5)\n"
  "{ ic.del = 5  ic.dur = 40  ic.amp = 0.8 }\n";

/* A soma with a 5-segment passive dendrite attached at its end, the IClamp in the dendrite,
 * the trace in the dendrite's middle and the soma. */
static const char two_comp_model[] =
  "{\"netParams\": {"
  "  \"popParams\": {\"P\": {\"cellType\": \"TWO\", \"numCells\": 1}},"
  "  \"cellParams\": {\"TWO\": {\"secs\": {"
  "     \"soma\": {\"geom\": {\"diam\": 18.8, \"L\": 18.8, \"Ra\": 123.0},"
  "                \"mechs\": {\"hh\": {\"gnabar\": 0.12, \"gkbar\": 0.036, \"gl\": 0.003, \"el\": -70}}},"
  "     \"dend\": {\"geom\": {\"diam\": 2.0, \"L\": 200.0, \"Ra\": 150.0, \"nseg\": 5, \"cm\": 1.5},"
  "                \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1.0, \"childX\": 0},"
  "                \"mechs\": {\"pas\": {\"g\": 0.0002, \"e\": -65}}}}}},"
  "  \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"dur\": 40, \"amp\": 1.5}},"
  "  \"stimTargetParams\": {\"ic->P\": {\"source\": \"ic\", \"conds\": {\"pop\": \"P\"},"
  "                                   \"sec\": \"dend\", \"loc\": 0.9}}},"
  " \"simConfig\": {\"duration\": 60, \"dt\": 0.025, \"recordStep\": 0.025,"
  "  \"hParams\": {\"celsius\": 6.3, \"v_init\": -65},"
  "  \"recordCells\": [0],"
  "  \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"},"
  "                    \"V_dend\": {\"sec\": \"dend\", \"loc\": 0.5, \"var\": \"v\"}}}}";

static const char two_comp_hoc[] =
  "create soma, dend\n"
  "soma { diam = 18.8  L = 18.8  Ra = 123  insert hh\n"
  "       gnabar_hh = 0.12  gkbar_hh = 0.036  gl_hh = 0.003  el_hh = -70 }\n"
  "dend { diam = 2  L = 200  Ra = 150  nseg = 5  cm = 1.5  insert pas  g_pas = 0.0002  e_pas = -65 }\n"
  "connect dend(0), soma(1)\n"
  "objref ic\n"
  "dend ic = new IClamp(0.9)\n"
  "{ ic.del = 5  ic.dur = 40  ic.amp = 1.5 }\n";

/* Runs `cell` (HOC that creates the cell) with the standard run loop and writes, one value
 * per line, v at each (section, loc) of `probes` (a HOC list "soma.v(0.5)" …). */
static GPtrArray *
run_plain_hoc (const char *cell, const char *const *probes, guint n_probes)
{
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "plain-XXXXXX", NULL);
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autoptr(GString) hoc = g_string_new (cell);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  GPtrArray *traces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  int status = 0;

  g_assert_nonnull (g_mkdtemp (dir));
  g_string_append (hoc, "celsius = 6.3\nv_init = -65\ndt = 0.025\nsteps_per_ms = 40\ntstop = 60\n");
  g_string_append_printf (hoc, "objref rec[%u], f\n", n_probes);
  for (guint i = 0; i < n_probes; i++)
    g_string_append_printf (hoc, "rec[%u] = new Vector()\nrec[%u].record(&%s, 0.025)\n", i, i,
                            probes[i]);
  g_string_append (hoc, "finitialize(v_init)\nwhile (t < tstop - dt/2) { fadvance() }\n");
  for (guint i = 0; i < n_probes; i++)
    g_string_append_printf (hoc,
                            "f = new File()\nf.wopen(\"probe%u.txt\")\n"
                            "for j = 0, rec[%u].size() - 1 { f.printf(\"%%.17g\\n\", rec[%u].x[j]) }\n"
                            "f.close()\n", i, i, i);
  g_string_append (hoc, "quit()\n");
  script = g_build_filename (dir, "plain.hoc", NULL);
  g_assert_true (g_file_set_contents (script, hoc->str, -1, NULL));

  const char *argv[] = { nrniv, "-nopython", "-nobanner", "-nogui", "plain.hoc", NULL };
  g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  for (guint i = 0; i < n_probes; i++)
    {
      g_autofree char *name = g_strdup_printf ("probe%u.txt", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      GArray *v = g_array_new (FALSE, FALSE, sizeof (double));

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      lines = g_strsplit (text, "\n", -1);
      for (guint j = 0; lines[j] && lines[j][0]; j++)
        {
          double x = g_ascii_strtod (lines[j], NULL);
          g_array_append_val (v, x);
        }
      g_ptr_array_add (traces, v);
    }
  return traces;
}

static NlResults *
run_netloom (const char *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, problems, &error);
  g_autoptr(NlNetwork) net = NULL;
  NlBuildOptions bopt = { 0 };
  NlRunOptions ropt = { 0 };
  NlResults *r;

  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  net = nl_build_network (spec, &bopt, NULL, &error);
  g_assert_no_error (error);
  r = nl_run_full (spec, net, &ropt, &error);
  g_assert_no_error (error);
  return r;
}

static const double *
trace_of (NlResults *r, const char *name, guint64 *n)
{
  guint32 gid;
  for (guint i = 0; i < nl_results_get_n_traces (r); i++)
    if (g_strcmp0 (nl_results_get_trace_name (r, i), name) == 0)
      {
        g_assert_cmpuint (nl_results_get_trace_n_cells (r, i), ==, 1);
        return nl_results_get_trace_values (r, i, 0, &gid, n);
      }
  g_assert_not_reached ();
}

static void
assert_identical (const double *ours, guint64 n, GArray *plain, double v_min_peak)
{
  double peak = -G_MAXDOUBLE;

  /* 60 ms at 0.025 ms: 2400 steps, 2401 samples with t = 0. */
  g_assert_cmpuint (plain->len, ==, 2401);
  g_assert_cmpuint (n, ==, plain->len);
  for (guint64 i = 0; i < n; i++)
    {
      if (ours[i] != g_array_index (plain, double, i))
        g_error ("sample %" G_GUINT64_FORMAT ": NetLoom %.17g, plain HOC %.17g", i, ours[i],
                 g_array_index (plain, double, i));
      peak = MAX (peak, ours[i]);
    }
  /* The trace is not trivially flat: the stimulus did its job. */
  g_assert_cmpfloat (peak, >, v_min_peak);
}

static void
test_hh (void)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  const char *probes[] = { "soma.v(0.5)" };
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  const double *v;
  guint64 n;

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  r = run_netloom (hh_model);
  plain = run_plain_hoc (hh_hoc, probes, 1);
  v = trace_of (r, "V_soma", &n);
  assert_identical (v, n, g_ptr_array_index (plain, 0), 20);   /* action potentials */
  g_assert_cmpuint (nl_results_get_n_spikes (r), >=, 1);
}

static void
test_two_compartments (void)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  const char *probes[] = { "soma.v(0.5)", "dend.v(0.5)" };
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  const double *v;
  guint64 n;

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  r = run_netloom (two_comp_model);
  plain = run_plain_hoc (two_comp_hoc, probes, 2);
  v = trace_of (r, "V_soma", &n);
  assert_identical (v, n, g_ptr_array_index (plain, 0), 0);
  v = trace_of (r, "V_dend", &n);
  assert_identical (v, n, g_ptr_array_index (plain, 1), -60);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-exact/hh", test_hh);
  g_test_add_func ("/run-exact/two-compartments", test_two_compartments);
  return g_test_run ();
}
