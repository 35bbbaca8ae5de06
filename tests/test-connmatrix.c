/* core/analysis/nl-connmatrix: matrices of small networks whose values follow from the rules. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <nl-build.h>
#include <nl-connmatrix.h>

#include "nl-testutil.h"

/* A (3 cells), B (2 cells), an empty population Z, and:
 *   A→B full, weight 0.5, delay 2, exc             6 NetCons
 *   B→A convergence 1, weight 0.25, delay 3, inh   3 NetCons (one per A cell)
 *   B→B full, synMech [exc, inh], weight 0.1       2 pairs × 2 = 4 NetCons (no autapses)
 *   NetStim 'bkg' → A, weight 0.01, delay 1, exc   3 NetCons
 *   IClamp 'ic' → B                                 no NetCons */
static NlNetwork *
build_net (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 3}, \"B\": {\"cellType\": \"C\", \"numCells\": 2},"
    "                 \"Z\": {\"cellType\": \"C\", \"numCells\": 0}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\"}, \"inh\": {\"mod\": \"ExpSyn\", \"e\": -80}},"
    " \"connParams\": {"
    "   \"A->B\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"B\"}, \"weight\": 0.5, \"delay\": 2, \"synMech\": \"exc\"},"
    "   \"B->A\": {\"preConds\": {\"pop\": \"B\"}, \"postConds\": {\"pop\": \"A\"}, \"convergence\": 1, \"weight\": 0.25, \"delay\": 3, \"synMech\": \"inh\"},"
    "   \"B->B\": {\"preConds\": {\"pop\": \"B\"}, \"postConds\": {\"pop\": \"B\"}, \"weight\": 0.1, \"delay\": 4, \"synMech\": [\"exc\", \"inh\"]}},"
    " \"stimSourceParams\": {\"bkg\": {\"type\": \"NetStim\", \"rate\": 10, \"noise\": 0.5},"
    "                        \"ic\": {\"type\": \"IClamp\", \"del\": 1, \"dur\": 5, \"amp\": 0.1}},"
    " \"stimTargetParams\": {\"bkg->A\": {\"source\": \"bkg\", \"conds\": {\"pop\": \"A\"}, \"weight\": 0.01, \"delay\": 1, \"synMech\": \"exc\"},"
    "                        \"ic->B\": {\"source\": \"ic\", \"conds\": {\"pop\": \"B\"}, \"sec\": \"soma\", \"loc\": 0.5}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  NlNetwork *net;

  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 13);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 3);
  return net;
}

static NlConnMatrix *
matrix (NlNetwork *net, NlConnGroupBy by, NlConnFeature f)
{
  NlConnMatrixOptions opt = { by, f, NULL, NULL, FALSE, FALSE, NULL };
  g_autoptr(GError) error = NULL;
  NlConnMatrix *m = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static void
assert_matrix (const NlConnMatrix *m, const double *want, double eps)
{
  for (guint i = 0; i < m->n_pre; i++)
    for (guint j = 0; j < m->n_post; j++)
      if (!(fabs (m->values[i * m->n_post + j] - want[i * m->n_post + j]) <= eps))
        g_error ("%s %s→%s: got %.17g, want %.17g", nl_conn_feature_name (m->feature),
                 m->pre_labels[i], m->post_labels[j], m->values[i * m->n_post + j], want[i * m->n_post + j]);
}

/* By population: rows A, B, bkg (the NetStim source; not the IClamp, not the empty Z),
 * columns A, B. Weights are stored as float32, so the sums are of floats. */
static void
test_by_pop (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  const double w5 = 0.5f, w25 = 0.25f, w1 = 0.1f, w01 = 0.01f;
  struct { NlConnFeature f; double want[6]; } cases[] = {
    /*                           A→A  A→B            B→A            B→B            bkg→A  bkg→B */
    { NL_CONN_NUM_CONNS,      { 0, 6,               3, 4,                          3, 0 } },
    { NL_CONN_WEIGHT,         { 0, w5,              w25, w1,                       w01, 0 } },
    { NL_CONN_DELAY,          { 0, 2,               3, 4,                          1, 0 } },
    /* count / (n_pre · n_post); the source counts n_post NetStims */
    { NL_CONN_PROBABILITY,    { 0, 6.0 / 6,         3.0 / 6, 4.0 / 4,              3.0 / 9, 0 } },
    /* probability × summed weight, as NetPyNE */
    { NL_CONN_STRENGTH,       { 0, 1.0 * 6 * w5,    0.5 * 3 * w25, 1.0 * 4 * w1,   3.0 / 9 * 3 * w01, 0 } },
    /* count / n_post */
    { NL_CONN_CONVERGENCE,    { 0, 6.0 / 2,         3.0 / 3, 4.0 / 2,              3.0 / 3, 0 } },
    /* count / n_pre */
    { NL_CONN_DIVERGENCE,     { 0, 6.0 / 3,         3.0 / 2, 4.0 / 2,              3.0 / 3, 0 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(NlConnMatrix) m = matrix (net, NL_CONN_GROUP_POP, cases[c].f);
      g_assert_cmpuint (m->n_pre, ==, 3);
      g_assert_cmpuint (m->n_post, ==, 2);
      g_assert_cmpstr (m->pre_labels[0], ==, "A");
      g_assert_cmpstr (m->pre_labels[1], ==, "B");
      g_assert_cmpstr (m->pre_labels[2], ==, "bkg");
      g_assert_null (m->pre_labels[3]);
      g_assert_cmpstr (m->post_labels[1], ==, "B");
      g_assert_null (m->pre_gids);
      assert_matrix (m, cases[c].want, 1e-12);
    }
}

/* synOrConn 'conn', a synMech filter, selected populations, no sources. */
static void
test_pop_options (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  g_autoptr(GError) error = NULL;
  NlConnMatrixOptions opt = { NL_CONN_GROUP_POP, NL_CONN_NUM_CONNS, NULL, NULL, TRUE, TRUE, NULL };
  g_autoptr(NlConnMatrix) uniq = nl_conn_matrix_new (net, &opt, &error);
  g_autoptr(NlConnMatrix) inh = NULL;
  g_autoptr(NlConnMatrix) one = NULL;
  g_autoptr(NlConnMatrix) src = NULL;

  g_assert_no_error (error);
  /* B→B: one per pair, not per synMech; no source row */
  g_assert_cmpuint (uniq->n_pre, ==, 2);
  assert_matrix (uniq, (const double[]) { 0, 6, 3, 2 }, 0);

  opt.unique_pre = FALSE;
  opt.skip_stims = FALSE;
  opt.syn_mechs = (const char *const[]) { "inh", NULL };
  inh = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  assert_matrix (inh, (const double[]) { 0, 0, 3, 2, 0, 0 }, 0);

  opt.syn_mechs = NULL;
  opt.pre_pops = (const char *const[]) { "B", NULL };
  opt.post_pops = (const char *const[]) { "A", NULL };
  opt.feature = NL_CONN_CONVERGENCE;
  one = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->n_pre, ==, 1);
  g_assert_cmpuint (one->n_post, ==, 1);
  g_assert_cmpfloat (one->values[0], ==, 1);

  /* a source by name */
  opt.pre_pops = (const char *const[]) { "bkg", NULL };
  opt.feature = NL_CONN_NUM_CONNS;
  src = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (src->pre_labels[0], ==, "bkg");
  g_assert_cmpfloat (src->values[0], ==, 3);
}

/* By cell: gids of A then B; the convergence rule gives each A cell exactly one B input. */
static void
test_by_cell (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  g_autoptr(NlConnMatrix) n = matrix (net, NL_CONN_GROUP_CELL, NL_CONN_NUM_CONNS);
  g_autoptr(NlConnMatrix) w = matrix (net, NL_CONN_GROUP_CELL, NL_CONN_WEIGHT);
  g_autoptr(NlConnMatrix) d = matrix (net, NL_CONN_GROUP_CELL, NL_CONN_DELAY);
  const NlNetPop *a = nl_network_get_pop (net, nl_network_find_pop (net, "A"));
  const NlNetPop *b = nl_network_get_pop (net, nl_network_find_pop (net, "B"));
  double total = 0;

  g_assert_cmpuint (n->n_pre, ==, 5);
  g_assert_cmpuint (n->n_post, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (n->pre_gids[i], ==, i);
      g_assert_cmpuint (n->post_gids[i], ==, i);
      g_assert_cmpuint (atoi (n->pre_labels[i]), ==, i);
    }
  for (guint i = 0; i < 5; i++)
    for (guint j = 0; j < 5; j++)
      {
        gboolean pre_a = i >= a->first && i < a->first + a->n_cells;
        gboolean post_a = j >= a->first && j < a->first + a->n_cells;
        double v = n->values[i * 5 + j];
        total += v;
        if (pre_a && !post_a)
          {
            g_assert_cmpfloat (v, ==, 1);
            g_assert_cmpfloat (w->values[i * 5 + j], ==, (double) 0.5f);
            g_assert_cmpfloat (d->values[i * 5 + j], ==, (double) 2.0f);
          }
        else if (pre_a)
          g_assert_cmpfloat (v, ==, 0);
        else if (!post_a)
          {
            /* B→B: two synMechs per pair, none onto itself */
            g_assert_cmpfloat (v, ==, i == j ? 0 : 2);
            g_assert_cmpfloat (w->values[i * 5 + j], ==, i == j ? 0 : (double) 0.1f);
          }
        else
          g_assert_cmpfloat (w->values[i * 5 + j], ==, v > 0 ? (double) 0.25f : 0);
      }
  /* each A cell: one input from B */
  for (guint j = a->first; j < a->first + a->n_cells; j++)
    {
      double from_b = 0;
      for (guint i = b->first; i < b->first + b->n_cells; i++)
        from_b += n->values[i * 5 + j];
      g_assert_cmpfloat (from_b, ==, 1);
    }
  /* the by-cell matrix has no NetStims: 13 cell→cell NetCons */
  g_assert_cmpfloat (total, ==, 13);

  /* population selections pick the cells */
  {
    NlConnMatrixOptions opt = { NL_CONN_GROUP_CELL, NL_CONN_NUM_CONNS,
                                (const char *const[]) { "A", NULL }, (const char *const[]) { "B", NULL },
                                FALSE, FALSE, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(NlConnMatrix) ab = nl_conn_matrix_new (net, &opt, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ab->n_pre, ==, 3);
    g_assert_cmpuint (ab->n_post, ==, 2);
    g_assert_cmpuint (ab->post_gids[0], ==, b->first);
    for (guint k = 0; k < 6; k++)
      g_assert_cmpfloat (ab->values[k], ==, 1);
  }
}

static char *
csv_of (const NlConnMatrix *m)
{
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (nl_conn_matrix_write_csv (m, mem, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (mem, "", 1, NULL, NULL, NULL);
  g_output_stream_close (mem, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (mem));
}

static void
test_csv_json (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  g_autoptr(NlConnMatrix) m = matrix (net, NL_CONN_GROUP_POP, NL_CONN_NUM_CONNS);
  g_autoptr(NlConnMatrix) p = matrix (net, NL_CONN_GROUP_POP, NL_CONN_PROBABILITY);
  g_autofree char *csv = csv_of (m);
  g_autofree char *csvp = csv_of (p);
  g_autoptr(JsonNode) node = nl_conn_matrix_to_json (p);
  JsonObject *o = json_node_get_object (node);
  JsonArray *values = json_object_get_array_member (o, "values");

  g_assert_cmpstr (csv, ==, "pre,A,B\nA,0.0,6.0\nB,3.0,4.0\nbkg,3.0,0.0\n");
  g_assert_true (g_str_has_prefix (csvp, "pre,A,B\nA,0.0,1.0\nB,0.5,1.0\nbkg,0.3333333333333333,0.0\n"));
  g_assert_cmpstr (json_object_get_string_member (o, "feature"), ==, "probability");
  g_assert_cmpstr (json_object_get_string_member (o, "group_by"), ==, "pop");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o, "pre"), 2), ==, "bkg");
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (values, 1), 0), ==, 0.5);

  /* a label with a comma is quoted */
  g_free (m->pre_labels[0]);
  m->pre_labels[0] = g_strdup ("A,\"x\"");
  g_free (csv);
  csv = csv_of (m);
  g_assert_nonnull (strstr (csv, "\n\"A,\"\"x\"\"\",0.0,6.0\n"));
}

static void
test_features_by_name (void)
{
  NlConnFeature f;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= NL_CONN_DIVERGENCE; i++)
    {
      g_assert_true (nl_conn_feature_from_name (nl_conn_feature_name (i), &f, &error));
      g_assert_cmpint (f, ==, i);
    }
  g_assert_cmpstr (nl_conn_feature_name (NL_CONN_NUM_CONNS), ==, "numConns");
  g_assert_false (nl_conn_feature_from_name ("numconns", &f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "did you mean 'numConns'"));
  g_clear_error (&error);
  g_assert_false (nl_conn_feature_from_name ("zzzzzzzz", &f, &error));
  g_assert_nonnull (strstr (error->message, "expected one of"));
  g_clear_error (&error);
  g_assert_false (nl_conn_feature_from_name (NULL, &f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_bad_options (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  struct { NlConnMatrixOptions opt; const char *expect; } cases[] = {
    { { NL_CONN_GROUP_CELL, NL_CONN_PROBABILITY, NULL, NULL, FALSE, FALSE, NULL }, "group by population" },
    { { NL_CONN_GROUP_CELL, NL_CONN_STRENGTH, NULL, NULL, FALSE, FALSE, NULL }, "group by population" },
    { { NL_CONN_GROUP_POP, NL_CONN_WEIGHT, (const char *const[]) { "AA", NULL }, NULL, FALSE, FALSE, NULL },
      "did you mean 'A'" },
    { { NL_CONN_GROUP_POP, NL_CONN_WEIGHT, (const char *const[]) { "nothing-like-it", NULL }, NULL, FALSE, FALSE, NULL },
      "the network has: A, B, Z, bkg" },
    { { NL_CONN_GROUP_POP, NL_CONN_WEIGHT, NULL, (const char *const[]) { "bkg", NULL }, FALSE, FALSE, NULL },
      "stimulus source" },
    { { NL_CONN_GROUP_POP, (NlConnFeature) 42, NULL, NULL, FALSE, FALSE, NULL }, "unknown connectivity feature" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (nl_conn_matrix_new (net, &cases[c].opt, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      if (!strstr (error->message, cases[c].expect))
        g_error ("case %u: '%s' lacks '%s'", c, error->message, cases[c].expect);
    }
}

/* A by-cell matrix over NL_CONN_MATRIX_MAX_ENTRIES is refused before anything is allocated;
 * by population the same network is fine. */
static void
test_too_large (void)
{
  const char *model =
    "{\"netParams\": {\"popParams\": {\"S\": {\"cellModel\": \"NetStim\", \"numCells\": 5001, \"rate\": 1}}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlConnMatrix) pop = NULL;
  NlConnMatrixOptions opt = { NL_CONN_GROUP_CELL, NL_CONN_NUM_CONNS, NULL, NULL, FALSE, FALSE, NULL };

  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (nl_conn_matrix_new (net, &opt, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "5001 × 5001"));
  g_clear_error (&error);
  opt.group_by = NL_CONN_GROUP_POP;
  pop = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pop->n_pre, ==, 1);
  g_assert_cmpfloat (pop->values[0], ==, 0);
}

/* A stream that fails: the writer returns its error. */
static void
test_csv_write_error (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  g_autoptr(NlConnMatrix) m = matrix (net, NL_CONN_GROUP_POP, NL_CONN_NUM_CONNS);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_close (mem, NULL, NULL);
  g_assert_false (nl_conn_matrix_write_csv (m, mem, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* plotConn's defaults (opt NULL): strength by population, sources included. */
static void
test_defaults (void)
{
  g_autoptr(NlNetwork) net = build_net ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlConnMatrix) m = nl_conn_matrix_new (net, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (m->feature, ==, NL_CONN_STRENGTH);
  g_assert_cmpuint (m->n_pre, ==, 3);
  g_assert_cmpfloat_with_epsilon (m->values[1], 6 * (double) 0.5f, 1e-12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connmatrix/by-pop", test_by_pop);
  g_test_add_func ("/connmatrix/pop-options", test_pop_options);
  g_test_add_func ("/connmatrix/by-cell", test_by_cell);
  g_test_add_func ("/connmatrix/csv-json", test_csv_json);
  g_test_add_func ("/connmatrix/features-by-name", test_features_by_name);
  g_test_add_func ("/connmatrix/bad-options", test_bad_options);
  g_test_add_func ("/connmatrix/defaults", test_defaults);
  g_test_add_func ("/connmatrix/too-large", test_too_large);
  g_test_add_func ("/connmatrix/csv-write-error", test_csv_write_error);
  return g_test_run ();
}
