/* test-lfp-run.c — simConfig.recordLFP in real NEURON runs: transmembrane currents, the
 * line-source LFP against nl-lfp applied to the recorded currents, its population and cell
 * parts, and 1 against 2 MPI ranks. */
#include <nl-build.h>
#include <nl-lfp.h>
#include <nl-neuron.h>
#include <nl-run.h>
#include <nl-run-lfp.h>
#include <glib/gstdio.h>
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

#define NSEG_DEND 5
#define DEND_L 200.0
#define SOMA_L 20.0
#define REC_STEP 0.1

static const double electrodes[][3] = { { 30, -50, 10 }, { 0, -150, 0 }, { -40, 200, 60 } };

/* Populations P (2 cells) and Q (1 cell) of a soma (hh, L = diam = 20 µm) with a passive
 * dendrite of NSEG_DEND segments (200 µm, diam 2), no pt3d (define_shape places them), each
 * under an IClamp at the soma from 2 to 12 ms; N, 2 NetStims driving nothing. Every segment's
 * i_membrane_ and the IClamp's current are recorded every REC_STEP ms, and the LFP at three
 * electrodes. `extra` is added to simConfig. */
static NlSpec *
lfp_spec_geom (const char *extra, gboolean pt3d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GString) rec = g_string_new ("\"im_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"i_membrane_\"},"
                                         "\"ic_P\": {\"sec\": \"soma\", \"loc\": 0.5, \"stim\": \"ic->P\", \"var\": \"i\"},"
                                         "\"ic_Q\": {\"sec\": \"soma\", \"loc\": 0.5, \"stim\": \"ic->Q\", \"var\": \"i\"}");
  /* with pt3d: the same shape as define_shape() gives, already along y */
  g_autofree char *soma = pt3d ? g_strdup_printf ("\"pt3d\": [[0, 0, 0, 20], [0, %g, 0, 20]]", SOMA_L)
                               : g_strdup_printf ("\"L\": %g, \"diam\": 20", SOMA_L);
  g_autofree char *dend = pt3d ? g_strdup_printf ("\"pt3d\": [[0, %g, 0, 2], [0, %g, 0, 2]]", SOMA_L, SOMA_L + DEND_L)
                               : g_strdup_printf ("\"L\": %g, \"diam\": 2", DEND_L);
  for (guint i = 0; i < NSEG_DEND; i++)
    g_string_append_printf (rec, ", \"im_dend%u\": {\"sec\": \"dend\", \"loc\": %.17g, \"var\": \"i_membrane_\"}", i,
                            (i + 0.5) / NSEG_DEND);
  g_autofree char *text = g_strdup_printf (
    "{\"netParams\": {\"sizeX\": 200, \"sizeY\": 300, \"sizeZ\": 100,"
    " \"popParams\": {\"P\": {\"cellType\": \"C\", \"numCells\": 2}, \"Q\": {\"cellType\": \"C\", \"numCells\": 1},"
    "   \"N\": {\"cellModel\": \"NetStim\", \"numCells\": 2, \"rate\": 10}},"
    " \"cellParams\": {\"C\": {\"conds\": {\"cellType\": \"C\"}, \"secs\": {"
    "   \"soma\": {\"geom\": {%s}, \"mechs\": {\"hh\": {}}},"
    "   \"dend\": {\"geom\": {%s, \"nseg\": %d}, \"mechs\": {\"pas\": {\"g\": 0.0001, \"e\": -65}},"
    "     \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
    " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 2, \"dur\": 10, \"amp\": 0.3}},"
    " \"stimTargetParams\": {\"ic->P\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"P\"}},"
    "   \"ic->Q\": {\"source\": \"ic\", \"sec\": \"soma\", \"loc\": 0.5, \"conds\": {\"pop\": \"Q\"}}}},"
    " \"simConfig\": {\"duration\": 20, \"dt\": 0.025, \"recordStep\": %g, \"recordCells\": [\"all\"],"
    "   \"recordLFP\": [[30, -50, 10], [0, -150, 0], [-40, 200, 60]],"
    "   \"recordTraces\": {%s}%s}}",
    soma, dend, NSEG_DEND, REC_STEP, rec->str, extra ? extra : "");
  NlSpec *spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  return spec;
}

static NlSpec *
lfp_spec (const char *extra)
{
  return lfp_spec_geom (extra, FALSE);
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

static NlResults *
run_full (NlSpec *spec, NlNetwork *net, guint ranks)
{
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  opt.n_ranks = ranks;
  NlResults *res = nl_run_full (spec, net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (res);
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

/* The recorded series of trace `name` for `gid`, or NULL. */
static const double *
trace_of (NlResults *r, const char *name, guint32 gid, guint64 *n)
{
  int k = find_trace (r, name);
  g_assert_cmpint (k, >=, 0);
  for (guint c = 0; c < nl_results_get_trace_n_cells (r, k); c++)
    {
      guint32 g;
      const double *v = nl_results_get_trace_values (r, k, c, &g, n);
      if (g == gid)
        return v;
    }
  return NULL;
}

/* Current conservation: the i_membrane_ of a cell's segments (nA, capacitive and ionic) sum
 * to the current its IClamp injects, at every sample; and they are not all zero. */
static void
test_imembrane_sum (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r = NULL;

  if (!have_nrniv ())
    return;
  spec = lfp_spec (NULL);
  net = build (spec);
  r = run_full (spec, net, 1);
  for (guint32 gid = 0; gid < 3; gid++)
    {
      guint64 n, m;
      const double *ic = trace_of (r, gid < 2 ? "ic_P" : "ic_Q", gid, &n);
      const double *soma = trace_of (r, "im_soma", gid, &m);
      double peak = 0;
      g_assert_nonnull (ic);
      g_assert_nonnull (soma);
      g_assert_cmpuint (n, ==, m);
      g_assert_cmpuint (n, >=, 200);
      for (guint64 k = 0; k < n; k++)
        {
          double sum = soma[k];
          for (guint i = 0; i < NSEG_DEND; i++)
            {
              g_autofree char *name = g_strdup_printf ("im_dend%u", i);
              sum += trace_of (r, name, gid, &m)[k];
            }
          g_assert_cmpfloat (fabs (sum - ic[k]), <=, 1e-9);
          peak = MAX (peak, fabs (soma[k]));
        }
      g_assert_cmpfloat (peak, >, 0.01);
    }
}

/* The run's LFP against nl_lfp_transfer (LFPykit's line source, NetLoom's default) applied to
 * the recorded currents, with the segments where NetPyNE puts them: define_shape() lays the
 * soma and then the dendrite along x from 0; NetPyNE swaps x and y and moves the cell to
 * (x, −y, z), and negates the electrodes' y. Sample k is the potential at (k + 1) · recordStep,
 * trace sample k + 1. */
static void
check_lfp_against_currents (NlResults *r, NlNetwork *net, NlLfpMethod method)
{
  const double *cx = nl_network_get_coords (net, NL_COORD_X);
  const double *cy = nl_network_get_coords (net, NL_COORD_Y);
  const double *cz = nl_network_get_coords (net, NL_COORD_Z);
  guint64 ns, nt;
  guint ne;
  double dt, peak = 0;
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);

  g_assert_nonnull (lfp);
  g_assert_cmpuint (ne, ==, 3);
  g_assert_cmpfloat (dt, ==, REC_STEP);
  nl_results_get_trace_time (r, &nt);
  g_assert_cmpuint (ns, >=, 199);   /* 20 / 0.1, the last one when NEURON's t reaches 20 */
  g_assert_cmpuint (ns, <=, 200);
  g_assert_cmpuint (nt, >=, ns);     /* traces from t = 0; the last may be missing as well */
  for (guint64 k = 0; k < ns; k++)
    for (guint e = 0; e < ne; e++)
      peak = MAX (peak, fabs (lfp[k * ne + e]));
  g_assert_cmpfloat (peak, >, 1e-6);
  for (guint e = 0; e < ne; e++)
    {
      double el[3] = { electrodes[e][0], -electrodes[e][1], electrodes[e][2] };
      double tr[3][1 + NSEG_DEND];
      for (guint32 gid = 0; gid < 3; gid++)
        {
          double base[3] = { cx[gid], -cy[gid], cz[gid] };
          for (guint s = 0; s <= NSEG_DEND; s++)
            {
              double y0 = s == 0 ? 0 : SOMA_L + (s - 1) * DEND_L / NSEG_DEND;
              double y1 = s == 0 ? SOMA_L : SOMA_L + s * DEND_L / NSEG_DEND;
              double p0[3] = { base[0], base[1] + y0, base[2] }, p1[3] = { base[0], base[1] + y1, base[2] };
              tr[gid][s] = nl_lfp_transfer (method, 0.3, p0, p1, s == 0 ? 20 : 2, el);
            }
        }
      for (guint64 k = 0; k + 1 < nt && k < ns; k++)
        {
          double want = 0;
          guint64 m;
          for (guint32 gid = 0; gid < 3; gid++)
            {
              want += tr[gid][0] * trace_of (r, "im_soma", gid, &m)[k + 1];
              for (guint s = 0; s < NSEG_DEND; s++)
                {
                  g_autofree char *name = g_strdup_printf ("im_dend%u", s);
                  want += tr[gid][s + 1] * trace_of (r, name, gid, &m)[k + 1];
                }
            }
          if (fabs (lfp[k * ne + e] - want) > 1e-12 * peak + 1e-15)
            g_error ("electrode %u sample %" G_GUINT64_FORMAT ": LFP %.17g mV, currents give %.17g", e, k,
                     lfp[k * ne + e], want);
        }
    }
}

static void
test_lfp_line_source (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };
  guint n;

  if (!have_nrniv ())
    return;
  spec = lfp_spec (NULL);
  net = build (spec);
  r = run_full (spec, net, 1);
  check_lfp_against_currents (r, net, NL_LFP_LINE_LFPYKIT);
  const double *xyz = nl_results_get_lfp_electrodes (r, &n);
  g_assert_cmpuint (n, ==, 3);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpfloat (xyz[i], ==, electrodes[i / 3][i % 3]);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "lfp_method"), ==, "lfpykit");
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 0);
  g_clear_pointer (&r, nl_results_unref);
  /* NetPyNE's own formula, chosen by option */
  opt.lfp_method = NL_LFP_LINE_NETPYNE;
  r = nl_run_full (spec, net, &opt, &error);
  g_assert_no_error (error);
  check_lfp_against_currents (r, net, NL_LFP_LINE_NETPYNE);
}

/* Sections with pt3d: their points moved to the cell's position (x, −y, z), as NetPyNE creates
 * them. The points given are define_shape()'s layout after NetPyNE's swap, so the expected
 * segments are the same. */
static void
test_lfp_pt3d (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r = NULL;

  if (!have_nrniv ())
    return;
  spec = lfp_spec_geom (NULL, TRUE);
  net = build (spec);
  r = run_full (spec, net, 1);
  check_lfp_against_currents (r, net, NL_LFP_LINE_LFPYKIT);
}

/* saveLFPPops (true: every population, N's part zero) and saveLFPCells (a list): the parts sum
 * to the total and P's cells to P's part; 2 MPI ranks give the 1-rank LFP and parts within
 * rounding. */
static void
test_lfp_parts_and_ranks (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) r1 = NULL, r2 = NULL;
  g_autofree char *mpi = g_find_program_in_path ("mpiexec");

  if (!have_nrniv ())
    return;
  spec = lfp_spec (", \"saveLFPPops\": true, \"saveLFPCells\": [[\"P\", [0, 1]], 3]");
  net = build (spec);
  r1 = run_full (spec, net, 1);
  guint64 ns;
  guint ne;
  double dt, peak = 0;
  const double *lfp = nl_results_get_lfp (r1, &ns, &ne, &dt);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r1), ==, 3 + 3);
  const double *parts[6];
  for (guint i = 0; i < 6; i++)
    {
      NlLfpPartKind kind;
      const char *pop;
      guint32 gid;
      parts[i] = nl_results_get_lfp_part (r1, i, &kind, &pop, &gid);
      static const char *const pops[] = { "P", "Q", "N" };
      static const guint32 gids[] = { 0, 1, 3 };
      if (i < 3)
        {
          g_assert_cmpint (kind, ==, NL_LFP_PART_POP);
          g_assert_cmpstr (pop, ==, pops[i]);
        }
      else
        {
          g_assert_cmpint (kind, ==, NL_LFP_PART_CELL);
          g_assert_cmpuint (gid, ==, gids[i - 3]);
        }
    }
  /* gids: P 0 1, Q 2, N 3 4 */
  g_assert_cmpint (nl_network_find_pop (net, "P"), ==, 0);
  for (guint64 k = 0; k < ns * ne; k++)
    peak = MAX (peak, fabs (lfp[k]));
  g_assert_cmpfloat (peak, >, 1e-6);
  for (guint64 k = 0; k < ns * ne; k++)
    {
      g_assert_cmpfloat (fabs (parts[0][k] + parts[1][k] + parts[2][k] - lfp[k]), <=, 1e-12 * peak);
      g_assert_cmpfloat (fabs (parts[3][k] + parts[4][k] - parts[0][k]), <=, 1e-12 * peak);
      g_assert_cmpfloat (parts[2][k], ==, 0);
      g_assert_cmpfloat (parts[5][k], ==, 0);
    }
  /* the two cells of P differ (positions), so neither part is the whole */
  double diff = 0;
  for (guint64 k = 0; k < ns * ne; k++)
    diff = MAX (diff, fabs (parts[3][k] - parts[4][k]));
  g_assert_cmpfloat (diff, >, 1e-3 * peak);

  if (!mpi)
    {
      g_test_message ("mpiexec not found: 2 ranks not compared");
      return;
    }
  r2 = run_full (spec, net, 2);
  guint64 ns2;
  guint ne2;
  const double *lfp2 = nl_results_get_lfp (r2, &ns2, &ne2, &dt);
  g_assert_cmpuint (ns2, ==, ns);
  g_assert_cmpuint (ne2, ==, ne);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r2), ==, 6);
  for (guint64 k = 0; k < ns * ne; k++)
    g_assert_cmpfloat (fabs (lfp2[k] - lfp[k]), <=, 1e-12 * peak);
  for (guint i = 0; i < 6; i++)
    {
      const double *p2 = nl_results_get_lfp_part (r2, i, NULL, NULL, NULL);
      for (guint64 k = 0; k < ns * ne; k++)
        g_assert_cmpfloat (fabs (p2[k] - parts[i][k]), <=, 1e-12 * peak);
    }
}

/* saveLFPPops as a list: only the populations named (an unknown one is a warning), the total
 * still counts every cell; Q's part is its one cell's (gid 2). */
static void
test_lfp_pops_list (void)
{
  g_autoptr(NlSpec) spec = NULL, plain_spec = NULL;
  g_autoptr(NlNetwork) net = NULL, plain_net = NULL;
  g_autoptr(NlResults) r = NULL, plain = NULL;
  guint64 ns, ns0;
  guint ne;
  double dt, peak = 0;

  if (!have_nrniv ())
    return;
  spec = lfp_spec (", \"saveLFPPops\": [\"Q\", \"nosuch\"], \"saveLFPCells\": [2]");
  plain_spec = lfp_spec (NULL);
  net = build (spec);
  plain_net = build (plain_spec);
  r = run_full (spec, net, 1);
  plain = run_full (plain_spec, plain_net, 1);
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);
  const double *lfp0 = nl_results_get_lfp (plain, &ns0, &ne, &dt);
  g_assert_cmpuint (ns, ==, ns0);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 2);
  NlLfpPartKind kind;
  const char *pop;
  guint32 gid;
  const double *q = nl_results_get_lfp_part (r, 0, &kind, &pop, &gid);
  g_assert_cmpint (kind, ==, NL_LFP_PART_POP);
  g_assert_cmpstr (pop, ==, "Q");
  const double *c2 = nl_results_get_lfp_part (r, 1, &kind, &pop, &gid);
  g_assert_cmpint (kind, ==, NL_LFP_PART_CELL);
  g_assert_cmpuint (gid, ==, 2);
  JsonArray *w = json_object_get_array_member (nl_results_get_meta (r), "warnings");
  gboolean warned = FALSE;
  for (guint i = 0; i < json_array_get_length (w); i++)
    warned |= strstr (json_array_get_string_element (w, i), "saveLFPPops[1]") != NULL;
  g_assert_true (warned);
  for (guint64 k = 0; k < ns * ne; k++)
    peak = MAX (peak, fabs (lfp0[k]));
  for (guint64 k = 0; k < ns * ne; k++)
    {
      g_assert_cmpfloat (fabs (lfp[k] - lfp0[k]), <=, 1e-12 * peak);
      g_assert_cmpfloat (fabs (q[k] - c2[k]), <=, 1e-12 * peak);
    }
  /* Q's part is not the total (P's cells add to it) */
  double diff = 0;
  for (guint64 k = 0; k < ns * ne; k++)
    diff = MAX (diff, fabs (q[k] - lfp[k]));
  g_assert_cmpfloat (diff, >, 1e-3 * peak);
}

/* A malformed electrode is an error naming it; no run folder is left half written. */
static void
test_lfp_bad_electrode (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(GError) error = NULL;
  NlRunOptions opt = { 0 };

  if (!have_nrniv ())
    return;
  spec = lfp_spec (NULL);
  g_autoptr(JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p, "[[1, 2, 3], [1, 2]]", -1, NULL));
  json_object_set_member (nl_spec_get_sim_config (spec), "recordLFP", json_node_copy (json_parser_get_root (p)));
  net = build (spec);
  NlResults *r = nl_run_full (spec, net, &opt, &error);
  g_assert_null (r);
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "simConfig.recordLFP[1]"));
}

static void
write_doubles (const char *dir, const char *name, const double *x, gsize n)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, (const char *) x, n * sizeof (double), NULL));
}

/* What NEURON wrote is checked before it is used: a truncated or inconsistent geometry file,
 * an LFP file of the wrong shape or missing are errors naming the file, never a crash. */
static void
test_lfp_bad_files (void)
{
  g_autoptr(NlSpec) spec = lfp_spec (NULL);
  g_autoptr(NlNetwork) net = build (spec);
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "bad-lfp", NULL);
  g_autoptr(NlLfpPlan) plan = NULL;
  g_autoptr(NlResults) res = nl_results_new ();
  g_autoptr(GError) error = NULL;
  /* gid 0: 2 sections; the soma (nseg 1, L 20, 2 points) is complete, the dendrite is cut */
  const double truncated[] = { 13, 0, 2, 1, 20, 2, 0, 0, 0, 0, 20, 0, 0, 20, 20, 5, 200, 2, 0 };
  const double wrong_secs[] = { 2, 0, 3 };
  const double bad_gid[] = { 2, 77, 2 };
  const double count_off[] = { 5, 0, 2 };
  const double lfp_bad[] = { 7, 1, 0, 0, 0 };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  plan = nl_lfp_plan_new (spec, net, NL_LFP_LINE_LFPYKIT, 0.3, 0.1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_assert_true (nl_lfp_plan_write_geom_cells (plan, dir, &error));
  g_assert_no_error (error);
  struct { const double *d; gsize n; } cases[] = {
    { truncated, G_N_ELEMENTS (truncated) }, { wrong_secs, 3 }, { bad_gid, 3 }, { count_off, 3 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_doubles (dir, "geom.bin", cases[i].d, cases[i].n);
      g_assert_false (nl_lfp_plan_read_geometry (plan, dir, &error));
      g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON);
      g_assert_nonnull (strstr (error->message, "geom.bin"));
      g_clear_error (&error);
    }
  /* no geometry read: no segments, so rank 0 expects 0 rows; 7 rows × 1 sample is wrong */
  write_doubles (dir, "lfp_0.bin", lfp_bad, G_N_ELEMENTS (lfp_bad));
  g_assert_false (nl_lfp_plan_read_results (plan, dir, 1, res, &error));
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON);
  g_assert_nonnull (strstr (error->message, "lfp_0.bin"));
  g_clear_error (&error);
  g_assert_false (nl_lfp_plan_read_results (plan, dir, 2, res, &error));   /* lfp_1.bin missing */
  g_assert_nonnull (error);
  g_clear_error (&error);
  guint64 ns;
  guint ne;
  double dt;
  g_assert_null (nl_results_get_lfp (res, &ns, &ne, &dt));
  /* a failed geometry leaves no segments behind: 0 rows, 3 samples read as zeros */
  const double empty[] = { 0, 3 };
  write_doubles (dir, "lfp_0.bin", empty, 2);
  g_assert_true (nl_lfp_plan_read_results (plan, dir, 1, res, &error));
  g_assert_no_error (error);
  const double *lfp = nl_results_get_lfp (res, &ns, &ne, &dt);
  g_assert_cmpuint (ns, ==, 3);
  g_assert_cmpuint (ne, ==, 3);
  for (guint i = 0; i < 9; i++)
    g_assert_cmpfloat (lfp[i], ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lfp-run/imembrane-sum", test_imembrane_sum);
  g_test_add_func ("/lfp-run/line-source", test_lfp_line_source);
  g_test_add_func ("/lfp-run/parts-and-ranks", test_lfp_parts_and_ranks);
  g_test_add_func ("/lfp-run/pt3d", test_lfp_pt3d);
  g_test_add_func ("/lfp-run/pops-list", test_lfp_pops_list);
  g_test_add_func ("/lfp-run/bad-electrode", test_lfp_bad_electrode);
  g_test_add_func ("/lfp-run/bad-files", test_lfp_bad_files);
  return g_test_run ();
}
