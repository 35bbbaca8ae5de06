/* data/nl-mat-*, nl-hdf5storage-read: NetPyNE's MAT and hdf5storage results files — the tut2
 * reference against its summary and the JSON reader, savemat's shapes and classes, MAT 7.3
 * write → read round trips, and bad input (truncated, corrupt, wrong types, huge sizes). */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <nl-mat.h>
#include <nl-results-read.h>
#include <nl-results-write.h>

#include "nl-testutil.h"

static char *
tmp_path (const char *name)
{
  return g_build_filename (nl_test_tmpdir (), name, NULL);
}

static char *
data_file (const char *name)
{
  g_autofree char *rel = g_build_filename ("tests", "data", name, NULL);
  return nl_test_source_file (rel);
}

static NlResults *
read_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  NlResults *r = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
write_ok (NlResults *r, const char *path)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = nl_results_write (r, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Reading `path` fails with a message naming the file and containing `what`. */
static void
read_fails (const char *path, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_printerr ("  %s\n", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (what)
    g_assert_nonnull (strstr (error->message, what));
}

static int
find_pop (NlResults *r, const char *name)
{
  for (guint p = 0; p < nl_results_get_n_pops (r); p++)
    if (g_str_equal (nl_results_get_pop_name (r, p), name))
      return (int) p;
  return -1;
}

static guint
pop_spikes (NlResults *r, int pop)
{
  guint n = 0;
  const guint32 *g = nl_results_get_spike_gids (r);
  for (guint64 i = 0; i < nl_results_get_n_spikes (r); i++)
    n += nl_results_find_pop_of_gid (r, g[i]) == pop;
  return n;
}

static void
assert_same_spikes (NlResults *a, NlResults *b)
{
  guint64 n = nl_results_get_n_spikes (a);
  g_assert_cmpuint (n, ==, nl_results_get_n_spikes (b));
  g_assert_true (n == 0 || memcmp (nl_results_get_spike_times (a), nl_results_get_spike_times (b),
                                   n * sizeof (double)) == 0);
  g_assert_true (n == 0 || memcmp (nl_results_get_spike_gids (a), nl_results_get_spike_gids (b),
                                   n * sizeof (guint32)) == 0);
}

/* Same populations, matched by name (MAT keeps NetPyNE's insertion order, JSON sorts). */
static void
assert_same_pops (NlResults *a, NlResults *b, gboolean same_order)
{
  g_assert_cmpuint (nl_results_get_n_pops (a), ==, nl_results_get_n_pops (b));
  for (guint p = 0; p < nl_results_get_n_pops (a); p++)
    {
      guint na, nb;
      int q = find_pop (b, nl_results_get_pop_name (a, p));
      g_assert_cmpint (q, >=, 0);
      if (same_order)
        g_assert_cmpint (q, ==, (int) p);
      const guint32 *ga = nl_results_get_pop_gids (a, p, &na);
      const guint32 *gb = nl_results_get_pop_gids (b, q, &nb);
      g_assert_cmpuint (na, ==, nb);
      g_assert_true (na == 0 || memcmp (ga, gb, na * sizeof (guint32)) == 0);
    }
}

static void
assert_same_traces (NlResults *a, NlResults *b)
{
  guint64 ta, tb;
  const double *t1 = nl_results_get_trace_time (a, &ta);
  const double *t2 = nl_results_get_trace_time (b, &tb);
  g_assert_cmpuint (ta, ==, tb);
  g_assert_true (ta == 0 || memcmp (t1, t2, ta * sizeof (double)) == 0);
  g_assert_cmpuint (nl_results_get_n_traces (a), ==, nl_results_get_n_traces (b));
  for (guint k = 0; k < nl_results_get_n_traces (a); k++)
    {
      g_assert_cmpstr (nl_results_get_trace_name (a, k), ==, nl_results_get_trace_name (b, k));
      g_assert_cmpuint (nl_results_get_trace_n_cells (a, k), ==, nl_results_get_trace_n_cells (b, k));
      for (guint c = 0; c < nl_results_get_trace_n_cells (a, k); c++)
        {
          guint32 g1, g2;
          guint64 n1, n2;
          const double *v1 = nl_results_get_trace_values (a, k, c, &g1, &n1);
          const double *v2 = nl_results_get_trace_values (b, k, c, &g2, &n2);
          g_assert_cmpuint (g1, ==, g2);
          g_assert_cmpuint (n1, ==, n2);
          g_assert_true (n1 == 0 || memcmp (v1, v2, n1 * sizeof (double)) == 0);
        }
    }
}

static void
assert_same_lfp (NlResults *a, NlResults *b)
{
  guint64 n1, n2;
  guint e1, e2, x1 = 0, x2 = 0;
  double d1, d2;
  const double *l1 = nl_results_get_lfp (a, &n1, &e1, &d1);
  const double *l2 = nl_results_get_lfp (b, &n2, &e2, &d2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpuint (e1, ==, e2);
  g_assert_true ((l1 == NULL) == (l2 == NULL));
  if (!l1)
    return;
  g_assert_cmpfloat (d1, ==, d2);
  g_assert_true (memcmp (l1, l2, n1 * e1 * sizeof (double)) == 0);
  const double *p1 = nl_results_get_lfp_electrodes (a, &x1);
  const double *p2 = nl_results_get_lfp_electrodes (b, &x2);
  g_assert_cmpuint (x1, ==, x2);
  g_assert_true (x1 == 0 || memcmp (p1, p2, x1 * 3 * sizeof (double)) == 0);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (a), ==, nl_results_get_n_lfp_parts (b));
  for (guint i = 0; i < nl_results_get_n_lfp_parts (a); i++)
    {
      NlLfpPartKind k1, k2;
      const char *pop1, *pop2;
      guint32 g1, g2;
      const double *q1 = nl_results_get_lfp_part (a, i, &k1, &pop1, &g1);
      const double *q2 = nl_results_get_lfp_part (b, i, &k2, &pop2, &g2);
      g_assert_cmpint (k1, ==, k2);
      g_assert_cmpstr (pop1, ==, pop2);
      g_assert_cmpuint (g1, ==, g2);
      g_assert_true (memcmp (q1, q2, n1 * e1 * sizeof (double)) == 0);
    }
}

static void
assert_same (NlResults *a, NlResults *b)
{
  double d1 = nl_results_get_duration (a), d2 = nl_results_get_duration (b);
  assert_same_spikes (a, b);
  assert_same_pops (a, b, TRUE);
  assert_same_traces (a, b);
  assert_same_lfp (a, b);
  g_assert_true ((isnan (d1) && isnan (d2)) || memcmp (&d1, &d2, sizeof d1) == 0);
  g_assert_cmpuint (nl_results_get_n_cells (a), ==, nl_results_get_n_cells (b));
}

/* tut2's counts as NetPyNE's summary gives them, and everything equal to the JSON file's. */
static void
check_tut2 (NlResults *r, const char *format)
{
  g_autofree char *summary = nl_test_shared_file ("reference/netpyne/tut2/tut2_summary.json");
  g_autofree char *json = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;
  if (!summary || !json)
    return;
  g_assert_true (json_parser_load_from_file (p, summary, &error));
  JsonObject *s = json_node_get_object (json_parser_get_root (p));
  JsonObject *pops = json_object_get_object_member (s, "pops");

  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, format);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, json_object_get_int_member (s, "totalSpikes"));
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, json_object_get_int_member (s, "numCells"));
  g_assert_cmpfloat (nl_results_get_duration (r), ==, json_object_get_double_member (s, "duration_ms"));
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, json_object_get_size (pops));
  g_autoptr(GList) names = json_object_get_members (pops);
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *ps = json_object_get_object_member (pops, l->data);
      int q = find_pop (r, l->data);
      guint n;
      g_assert_cmpint (q, >=, 0);
      nl_results_get_pop_gids (r, q, &n);
      g_assert_cmpuint (n, ==, json_object_get_int_member (ps, "numCells"));
      g_assert_cmpuint (pop_spikes (r, q), ==, json_object_get_int_member (ps, "spikes"));
    }

  g_autoptr(NlResults) j = read_ok (json);
  assert_same_spikes (j, r);
  assert_same_pops (j, r, FALSE);
  assert_same_traces (j, r);
  guint64 nt;
  g_assert_nonnull (nl_results_get_trace_time (r, &nt));
  g_assert_cmpuint (nt, ==, 10001);   /* 1000 ms every 0.1 ms, both ends */
}

static void
test_tut2_mat (void)
{
  g_autofree char *mat = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.mat");
  if (!mat)
    return;
  g_autoptr(NlResults) r = read_ok (mat);
  check_tut2 (r, "netpyne-mat");
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "netpyne_version"), ==,
                   "1.1.0");
}

/* tut2 (JSON) → MAT 7.3 → read: exactly the same results. */
static void
test_tut2_round_trip (void)
{
  g_autofree char *json = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!json)
    return;
  g_autoptr(NlResults) a = read_ok (json);
  g_autofree char *out = tmp_path ("tut2.mat");
  write_ok (a, out);
  g_autoptr(NlResults) b = read_ok (out);
  assert_same (a, b);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (b), "format"), ==, "netpyne-mat");

  /* A MAT 7.3 file: the MATLAB text header, then HDF5 at byte 512. */
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (out, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 520);
  g_assert_true (g_str_has_prefix (bytes, "MATLAB 7.3"));
  g_assert_true (memcmp (bytes + 512, "\211HDF\r\n\032\n", 8) == 0);
}

/* Everything NlResults holds, with the awkward cases: one-element vectors (savemat's 1×1),
 * a 1-sample LFP, an empty population, odd doubles, long names, LFP parts, electrodes, and
 * a simConfig with every JSON kind. */
static NlResults *
synthetic (guint64 n_lfp)
{
  NlResults *a = nl_results_new ();
  static const guint32 pe[] = { 0, 1, 2 }, pi[] = { 3 };
  const char *long_pop = "a_population_name_much_longer_than_31_characters";
  double *t = g_new (double, 4), *tt = g_new (double, 1);
  guint32 *g = g_new (guint32, 4);
  guint n_el = 3;

  t[0] = 0.1; t[1] = 1.0 / 3; t[2] = 5e-324; t[3] = 1e300;
  g[0] = 2; g[1] = 0; g[2] = 3; g[3] = 2;
  nl_results_add_pop (a, "E", pe, 3);
  nl_results_add_pop (a, long_pop, pi, 1);
  nl_results_add_pop (a, "Empty", NULL, 0);
  nl_results_set_n_cells (a, 4);
  nl_results_set_spikes (a, t, g, 4);
  nl_results_set_duration (a, 12.5);
  tt[0] = 0;
  nl_results_set_trace_time (a, tt, 1);
  nl_results_add_trace (a, "V_soma", 1, g_memdup2 ((double[]) { -65.123456789012345 }, sizeof (double)), 1);
  nl_results_add_trace (a, "V_soma", 3, g_memdup2 ((double[]) { -0.0 }, sizeof (double)), 1);
  nl_results_add_trace (a, "i_membrane_of_a_dendrite_with_a_long_name_too", 0,
                        g_memdup2 ((double[]) { NAN }, sizeof (double)), 1);

  double *lfp = g_new (double, n_lfp * n_el), *xyz = g_new (double, n_el * 3);
  double *pp = g_new (double, n_lfp * n_el), *pc = g_new (double, n_lfp * n_el);
  for (guint i = 0; i < n_lfp * n_el; i++)
    {
      lfp[i] = -i * 0.7 + 1e-17;
      pp[i] = i / 7.0;
      pc[i] = -i / 9.0;
    }
  for (guint i = 0; i < n_el * 3; i++)
    xyz[i] = 10.0 * i + 0.5;
  nl_results_set_lfp (a, lfp, n_lfp, n_el, 0.1);
  nl_results_set_lfp_electrodes (a, xyz, n_el);
  nl_results_add_lfp_part (a, NL_LFP_PART_POP, long_pop, 0, pp);
  nl_results_add_lfp_part (a, NL_LFP_PART_CELL, NULL, 3, pc);

  g_autoptr(JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p,
    "{\"dt\": 0.025, \"seeds\": {\"conn\": 1, \"stim\": 2}, \"verbose\": false, \"hParams\": {},"
    " \"filename\": null, \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5}},"
    " \"analysis\": [1, \"x\", true], \"ints\": [1, 2, 3], \"title\": \"é\"}", -1, NULL));
  json_object_set_member (nl_results_get_meta (a), "simConfig",
                          json_node_copy (json_parser_get_root (p)));
  json_object_set_string_member (nl_results_get_meta (a), "netloom_version", "0.1");
  return a;
}

static void
test_round_trip (void)
{
  for (guint64 n_lfp = 1; n_lfp <= 4; n_lfp += 3)
    {
      g_autoptr(NlResults) a = synthetic (n_lfp);
      g_autofree char *out = tmp_path ("synthetic.mat");
      write_ok (a, out);
      g_autoptr(NlResults) b = read_ok (out);
      assert_same (a, b);
      g_assert_cmpstr (nl_results_get_pop_name (b, 1), ==,
                       "a_population_name_much_longer_than_31_characters");
      g_assert_cmpstr (nl_results_get_trace_name (b, 1), ==,
                       "i_membrane_of_a_dendrite_with_a_long_name_too");

      /* simConfig came through with its kinds. */
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) tree = nl_netpyne_mat_read_tree (out, &error);
      g_assert_no_error (error);
      JsonObject *cfg = json_object_get_object_member (json_node_get_object (tree), "simConfig");
      g_assert_cmpfloat (json_object_get_double_member (cfg, "dt"), ==, 0.025);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cfg, "seeds"), "stim"), ==, 2);
      g_assert_false (json_object_get_boolean_member (cfg, "verbose"));
      g_assert_true (json_object_get_null_member (cfg, "filename"));
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (cfg, "hParams")), ==, 0);
      g_assert_cmpstr (json_object_get_string_member (
        json_object_get_object_member (json_object_get_object_member (cfg, "recordTraces"), "V_soma"),
        "sec"), ==, "soma");
      JsonArray *an = json_object_get_array_member (cfg, "analysis");
      g_assert_cmpuint (json_array_get_length (an), ==, 3);
      g_assert_cmpstr (json_array_get_string_element (an, 1), ==, "x");
      g_assert_true (json_array_get_boolean_element (an, 2));
      g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (cfg, "ints"), 2), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (cfg, "title"), ==, "é");
      g_assert_cmpfloat (json_object_get_double_member (cfg, "recordStep"), ==, 0.1);
    }
}

/* Empty results (no populations, spikes, traces or LFP; duration unknown) round-trip too. */
static void
test_empty (void)
{
  g_autoptr(NlResults) a = nl_results_new ();
  g_autofree char *out = tmp_path ("empty.mat");
  write_ok (a, out);
  g_autoptr(NlResults) b = read_ok (out);
  assert_same (a, b);
  g_assert_cmpuint (nl_results_get_n_spikes (b), ==, 0);
  g_assert_true (isnan (nl_results_get_duration (b)));
}

/* savemat's shapes: length-1 lists stored as 1×1 read back as lists where NetPyNE has lists,
 * an empty population, LFP parts, electrodes from simConfig.recordLFP, None → null. */
static void
test_savemat_shapes (void)
{
  g_autofree char *path = data_file ("mat-shapes.mat");
  g_autoptr(NlResults) r = read_ok (path);
  guint n;
  guint64 ns;
  guint ne;
  double dt;

  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 1);
  g_assert_cmpfloat (nl_results_get_spike_times (r)[0], ==, 7.25);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[0], ==, 2);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 3);
  g_assert_cmpstr (nl_results_get_pop_name (r, 0), ==, "S");
  g_assert_cmpuint (nl_results_get_pop_gids (r, 0, &n)[0], ==, 0);
  g_assert_cmpuint (n, ==, 1);
  nl_results_get_pop_gids (r, 2, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, 4);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, 0), ==, 2);
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);
  g_assert_cmpuint (ns, ==, 1);
  g_assert_cmpuint (ne, ==, 2);
  g_assert_cmpfloat (dt, ==, 0.5);
  g_assert_cmpfloat (lfp[1], ==, 2.0);
  const double *xyz = nl_results_get_lfp_electrodes (r, &ne);
  g_assert_cmpuint (ne, ==, 2);
  g_assert_cmpfloat (xyz[3], ==, 40.0);
  g_assert_cmpfloat (xyz[5], ==, 60.0);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 2);
  const char *pop;
  const double *part = nl_results_get_lfp_part (r, 1, NULL, &pop, NULL);
  g_assert_cmpstr (pop, ==, "M");
  g_assert_cmpfloat (part[1], ==, 1.5);

  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tree = nl_netpyne_mat_read_tree (path, &error);
  g_assert_no_error (error);
  JsonObject *top = json_node_get_object (tree);
  JsonObject *cfg = json_object_get_object_member (top, "simConfig");
  g_assert_true (json_object_get_null_member (cfg, "filename"));
  g_assert_false (json_object_get_boolean_member (cfg, "verbose"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cfg, "seeds"), "stim"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (top, "netpyne_version"), ==, "1.1.0");
  JsonArray *cells = json_object_get_array_member (json_object_get_object_member (top, "net"), "cells");
  g_assert_cmpuint (json_array_get_length (cells), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (cells, 3), "gid"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (top, "simData"),
                                                     "avgRate"), ==, 12.5);
}

/* Integer classes, single, logical, char matrices, cell lists, N-d arrays, empty structs. */
static void
test_savemat_classes (void)
{
  g_autofree char *path = data_file ("mat-classes.mat");
  g_autoptr(NlResults) r = read_ok (path);
  guint n;

  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 2);
  g_assert_cmpfloat (nl_results_get_spike_times (r)[0], ==, 1.5);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[0], ==, 5);
  g_assert_cmpuint (nl_results_get_pop_gids (r, 0, &n)[2], ==, 6);

  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tree = nl_netpyne_mat_read_tree (path, &error);
  g_assert_no_error (error);
  JsonObject *sim = json_object_get_object_member (json_node_get_object (tree), "simData");
  JsonArray *flags = json_object_get_array_member (sim, "flags");
  g_assert_cmpuint (json_array_get_length (flags), ==, 3);
  g_assert_true (json_array_get_boolean_element (flags, 0));
  g_assert_false (json_array_get_boolean_element (flags, 1));
  JsonArray *names = json_object_get_array_member (sim, "names");
  g_assert_cmpuint (json_array_get_length (names), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (names, 0), ==, "ab");   /* padding trimmed */
  g_assert_cmpstr (json_array_get_string_element (names, 1), ==, "cde");
  /* numpy's arange(8).reshape(2,2,2): grid[1][0][1] = 5. */
  JsonArray *grid = json_object_get_array_member (sim, "grid");
  JsonArray *g1 = json_array_get_array_element (grid, 1);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (g1, 0), 1), ==, 5);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (g1, 1), 0), ==, 6);
  JsonArray *mixed = json_object_get_array_member (sim, "mixed");
  g_assert_cmpuint (json_array_get_length (mixed), ==, 3);
  g_assert_cmpint (json_array_get_int_element (mixed, 0), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (mixed, 1), ==, "x");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (mixed, 2), "k"), ==, 2.0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (sim, "empty")), ==, 0);
}

static void
test_bad_types (void)
{
  g_autofree char *wrong = data_file ("mat-wrong-type.mat");
  g_autofree char *sparse = data_file ("mat-sparse.mat");
  read_fails (wrong, "simData.spkt");
  read_fails (sparse, "simData.weights: sparse");
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
}

/* Prefixes of a MAT 5 and a MAT 7.3 file, and flipped bytes in a MAT 5 file: an error
 * naming the file (or, for a flip that hits only data, some results), never a crash. */
static void
test_truncated_corrupt (void)
{
  g_autofree char *shapes = data_file ("mat-shapes.mat");
  g_autoptr(NlResults) syn = synthetic (4);
  g_autofree char *m73 = tmp_path ("synthetic73.mat");
  const char *sources[] = { shapes, m73 };
  write_ok (syn, m73);

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autofree char *bytes = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (sources[s], &bytes, &len, NULL));
      g_autofree char *cut = tmp_path (s ? "cut73.mat" : "cut5.mat");
      gsize lens[] = { 0, 10, 127, 128, 136, 200, len / 2, len - 100, len - 1 };
      for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
        {
          write_bytes (cut, bytes, lens[i]);
          g_autoptr(GError) error = NULL;
          g_autoptr(NlResults) r = nl_results_read (cut, &error);
          if (s == 0 || lens[i] < len / 2)
            {
              /* MAT 5 is read whole; an HDF5 file's tail can be free space. */
              g_assert_null (r);
              g_assert_nonnull (error);
              g_assert_true (g_str_has_prefix (error->message, cut));
            }
          else
            g_assert_true ((r == NULL) == (error != NULL));
        }
      /* Flipped bytes in an HDF5 file crash libhdf5 itself (H5HG_read on a corrupt global
       * heap), which is out of NetLoom's hands (CONTRACTS.md, fuzzing scope): MAT 5 only. */
      if (s == 1)
        continue;
      g_autofree char *flip = tmp_path ("flip5.mat");
      for (gsize off = 128; off < len; off += 7)
        {
          g_autofree char *copy = g_memdup2 (bytes, len);
          copy[off] ^= 0x5a;
          write_bytes (flip, copy, len);
          g_autoptr(GError) error = NULL;
          g_autoptr(NlResults) r = nl_results_read (flip, &error);
          g_assert_true ((r == NULL) == (error != NULL));
          if (error)
            g_assert_true (g_str_has_prefix (error->message, flip));
        }
    }
}

static void
put32 (GByteArray *b, guint32 v)
{
  g_byte_array_append (b, (const guint8 *) &v, 4);
}

/* A MAT 5 file (little-endian) with one uncompressed double variable `name` of the given
 * dims and `n_data` doubles of data. */
static GByteArray *
mat5_double (const char *name, guint32 rows, guint32 cols, guint n_data)
{
  GByteArray *b = g_byte_array_new ();
  guint8 header[128];
  guint32 nlen = strlen (name), npad = (nlen + 7) & ~7u;
  memset (header, ' ', 116);
  memcpy (header, "MATLAB 5.0 MAT-file, written by a NetLoom test", 46);
  memset (header + 116, 0, 8);
  header[124] = 0x00; header[125] = 0x01; header[126] = 'I'; header[127] = 'M';
  g_byte_array_append (b, header, 128);
  put32 (b, 14);   /* miMATRIX */
  put32 (b, 16 + 16 + 8 + npad + 8 + n_data * 8);
  put32 (b, 6); put32 (b, 8); put32 (b, 6); put32 (b, 0);   /* flags: mxDOUBLE_CLASS */
  put32 (b, 5); put32 (b, 8); put32 (b, rows); put32 (b, cols);   /* dims: miINT32 */
  put32 (b, 1); put32 (b, nlen);   /* name: miINT8 */
  guint8 pad[8] = { 0 };
  g_byte_array_append (b, (const guint8 *) name, nlen);
  g_byte_array_append (b, pad, npad - nlen);
  put32 (b, 9); put32 (b, n_data * 8);   /* miDOUBLE */
  for (guint i = 0; i < n_data; i++)
    {
      double v = i;
      g_byte_array_append (b, (const guint8 *) &v, 8);
    }
  return b;
}

/* Declared dimensions far beyond the file: refused before anything is allocated for them. */
static void
test_huge_dims (void)
{
  g_autofree char *path = tmp_path ("huge.mat");
  g_autoptr(GByteArray) ok = mat5_double ("simData", 1, 2, 2);
  g_autoptr(GByteArray) huge = mat5_double ("simData", 0x7fffffff, 0x7fffffff, 2);
  g_autoptr(GByteArray) big = mat5_double ("spkt", 1, 0x10000000, 2);

  /* The well-formed one is read (and then is not NetPyNE results: a number, not a struct). */
  write_bytes (path, ok->data, ok->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tree = nl_netpyne_mat_read_tree (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (json_array_get_double_element (
    json_object_get_array_member (json_node_get_object (tree), "simData"), 1), ==, 1.0);
  write_bytes (path, huge->data, huge->len);
  read_fails (path, "simData");
  write_bytes (path, big->data, big->len);
  read_fails (path, "spkt");
}

/* A failed write leaves neither a partial file nor a temporary one, and keeps the old file. */
static void
test_atomic (void)
{
  g_autofree char *dir = tmp_path ("atomic");
  g_autofree char *out = g_build_filename (dir, "keep.mat", NULL);
  g_autoptr(NlResults) good = synthetic (1);
  g_autoptr(NlResults) bad = nl_results_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize l1, l2;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  write_ok (good, out);
  g_assert_true (g_file_get_contents (out, &before, &l1, NULL));
  nl_results_add_pop (bad, "a/b", NULL, 0);
  g_assert_false (nl_results_write (bad, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "a/b"));
  g_assert_true (g_file_get_contents (out, &after, &l2, NULL));
  g_assert_cmpuint (l1, ==, l2);
  g_assert_true (memcmp (before, after, l1) == 0);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint files = 0;
  while (g_dir_read_name (d))
    files++;
  g_assert_cmpuint (files, ==, 1);

  g_clear_error (&error);
  g_autofree char *missing = g_build_filename (dir, "no-such", "x.mat", NULL);
  g_assert_false (nl_results_write (good, missing, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, missing));
}


/* ---- hdf5storage ---------------------------------------------------------------------- */

/* tut2 as NetPyNE's saveHDF5 writes it (without traces; see tests/data/gen-hdf5storage.py). */
static void
test_hdf5storage_tut2 (void)
{
  g_autofree char *gz = data_file ("tut2-spikes.hdf5.gz");
  g_autofree char *path = tmp_path ("tut2-spikes.hdf5");
  g_autofree char *summary = nl_test_shared_file ("reference/netpyne/tut2/tut2_summary.json");
  g_autofree char *json = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autoptr(GFile) in = g_file_new_for_path (gz);
  g_autoptr(GFile) out = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  if (!summary || !json)
    return;

  g_autoptr(GInputStream) raw = G_INPUT_STREAM (g_file_read (in, NULL, &error));
  g_assert_no_error (error);
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) zin = g_converter_input_stream_new (raw, G_CONVERTER (z));
  g_autoptr(GOutputStream) os = G_OUTPUT_STREAM (g_file_replace (out, NULL, FALSE, 0, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_splice (os, zin, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);

  g_assert_true (nl_hdf5storage_sniff (path, FALSE));
  g_autoptr(NlResults) r = read_ok (path);
  g_autoptr(NlResults) j = read_ok (json);
  g_autoptr(JsonParser) p = json_parser_new ();
  g_assert_true (json_parser_load_from_file (p, summary, &error));
  JsonObject *s = json_node_get_object (json_parser_get_root (p));
  JsonObject *pops = json_object_get_object_member (s, "pops");

  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, "netpyne-hdf5");
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, json_object_get_int_member (s, "totalSpikes"));
  g_assert_cmpfloat (nl_results_get_duration (r), ==, json_object_get_double_member (s, "duration_ms"));
  g_autoptr(GList) names = json_object_get_members (pops);
  for (GList *l = names; l; l = l->next)
    {
      int q = find_pop (r, l->data);
      g_assert_cmpint (q, >=, 0);
      g_assert_cmpuint (pop_spikes (r, q), ==,
                        json_object_get_int_member (json_object_get_object_member (pops, l->data), "spikes"));
    }
  assert_same_spikes (j, r);
  assert_same_pops (j, r, FALSE);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, json_object_get_int_member (s, "numCells"));
}

/* The synthetic file equals the same dict saved as JSON; its LFP parts (not in the JSON
 * reader) are the generator's multiples of the LFP. */
static void
test_hdf5storage_synthetic (void)
{
  g_autofree char *h5 = data_file ("hdf5storage-synthetic.hdf5");
  g_autofree char *json = data_file ("hdf5storage-synthetic.json");
  g_autoptr(NlResults) r = read_ok (h5);
  g_autoptr(NlResults) j = read_ok (json);
  guint64 ns;
  guint ne;
  double dt;

  assert_same_spikes (j, r);
  assert_same_pops (j, r, TRUE);   /* hdf5storage sorts keys, as the JSON does */
  assert_same_traces (j, r);
  g_assert_cmpfloat (nl_results_get_duration (r), ==, 2.0);
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);
  const double *lj = nl_results_get_lfp (j, &ns, &ne, &dt);
  g_assert_cmpuint (ns, ==, 4);
  g_assert_cmpuint (ne, ==, 2);
  g_assert_cmpfloat (dt, ==, 0.5);
  g_assert_true (memcmp (lfp, lj, 8 * sizeof (double)) == 0);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat (lfp[i], ==, i * 0.5 - 1.0);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 3);
  static const double factor[] = { 0.75, 0.25, 0.125 };
  for (guint k = 0; k < 3; k++)
    {
      NlLfpPartKind kind;
      const char *pop;
      guint32 gid;
      const double *part = nl_results_get_lfp_part (r, k, &kind, &pop, &gid);
      g_assert_cmpint (kind, ==, k < 2 ? NL_LFP_PART_POP : NL_LFP_PART_CELL);
      if (k < 2)
        g_assert_cmpstr (pop, ==, k == 0 ? "E" : "I");
      else
        g_assert_cmpuint (gid, ==, 3);
      for (guint i = 0; i < 8; i++)
        g_assert_cmpfloat (part[i], ==, lfp[i] * factor[k]);
    }
  const double *xyz = nl_results_get_lfp_electrodes (r, &ne);
  g_assert_cmpuint (ne, ==, 2);
  g_assert_cmpfloat (xyz[4], ==, 40.0);

  /* The tree keeps None, booleans and nested dicts. */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tree = nl_hdf5storage_read_tree (h5, &error);
  g_assert_no_error (error);
  JsonObject *cfg = json_object_get_object_member (json_node_get_object (tree), "simConfig");
  g_assert_true (json_object_get_null_member (cfg, "filename"));
  g_assert_false (json_object_get_boolean_member (cfg, "verbose"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cfg, "seeds"), "stim"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
    json_object_get_object_member (cfg, "recordTraces"), "V_soma"), "sec"), ==, "soma");
  g_assert_false (json_object_has_member (json_node_get_object (tree), "__np_keys__"));
}

/* Which reader an HDF5 file goes to. */
static void
test_hdf5storage_sniff (void)
{
  g_autofree char *h5 = data_file ("hdf5storage-synthetic.hdf5");
  g_autoptr(NlResults) syn = synthetic (2);
  g_autofree char *mat = tmp_path ("sniff.mat");
  g_autofree char *sonata = tmp_path ("sniff.sonata.h5");
  write_ok (syn, mat);
  write_ok (syn, sonata);
  g_assert_true (nl_hdf5storage_sniff (h5, FALSE));
  g_assert_false (nl_hdf5storage_sniff (mat, FALSE));   /* matio's MAT 7.3: no Python.Type */
  g_assert_true (nl_hdf5storage_sniff (mat, TRUE));
  g_assert_false (nl_hdf5storage_sniff (sonata, TRUE));
  g_autoptr(NlResults) r = read_ok (sonata);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, "sonata");

  /* matio's MAT 7.3 read by the hdf5storage walker too: the same results, populations in
   * name order. */
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) b = nl_hdf5storage_read (mat, &error);
  g_assert_no_error (error);
  assert_same_spikes (syn, b);
  assert_same_pops (syn, b, FALSE);
  assert_same_traces (syn, b);
  assert_same_lfp (syn, b);
}

static void
test_hdf5storage_bad (void)
{
  static const char *const cases[][2] = {
    { "h5s-wrong-type.hdf5", "simData.spkt" },
    { "h5s-cycle.hdf5", "simData.spkt[0]: refers to an object already read" },
    { "h5s-shared.hdf5", "simData.spkt[1]: refers to an object already read" },
    { "h5s-huge.hdf5", "simData.spkid: declares" },
    { "h5s-extlink.hdf5", "simData: holds a soft or external link" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = data_file (cases[i][0]);
      read_fails (path, cases[i][1]);
      /* The MAT 7.3 reader checks the same before matio follows references. */
      if (i >= 1 && i <= 3)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(NlResults) r = nl_netpyne_mat_read (path, &error);
          g_assert_null (r);
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, cases[i][1]));
        }
    }

  /* Truncated: an error naming the file, whichever reader the remains go to. */
  g_autofree char *src = data_file ("hdf5storage-synthetic.hdf5");
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  g_autofree char *cut = tmp_path ("cut.hdf5");
  gsize lens[] = { 0, 100, 512, 600, 2048, len / 4, len / 2, len - 1000, len - 1 };
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      write_bytes (cut, bytes, lens[i]);
      read_fails (cut, NULL);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mat/tut2", test_tut2_mat);
  g_test_add_func ("/mat/tut2-round-trip", test_tut2_round_trip);
  g_test_add_func ("/mat/round-trip", test_round_trip);
  g_test_add_func ("/mat/empty", test_empty);
  g_test_add_func ("/mat/savemat-shapes", test_savemat_shapes);
  g_test_add_func ("/mat/savemat-classes", test_savemat_classes);
  g_test_add_func ("/mat/bad-types", test_bad_types);
  g_test_add_func ("/mat/truncated-corrupt", test_truncated_corrupt);
  g_test_add_func ("/mat/huge-dims", test_huge_dims);
  g_test_add_func ("/mat/atomic", test_atomic);
  g_test_add_func ("/mat/hdf5storage-tut2", test_hdf5storage_tut2);
  g_test_add_func ("/mat/hdf5storage-synthetic", test_hdf5storage_synthetic);
  g_test_add_func ("/mat/hdf5storage-sniff", test_hdf5storage_sniff);
  g_test_add_func ("/mat/hdf5storage-bad", test_hdf5storage_bad);
  return g_test_run ();
}
