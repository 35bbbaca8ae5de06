/* NetLoom's native .h5 (data/nl-h5-*.c): exact round trips of results, spec and network,
 * lazy reads against brute force, NetPyNE's tut2 results through the file, and bad files
 * (truncated, wrong types, mismatched or huge shapes, unsorted spikes, bad indices, links
 * out of the file) that must give a GError naming the file and the object. */

#include <nl-build.h>
#include <nl-format.h>
#include <nl-h5.h>
#include <nl-h5-private.h>
#include <nl-results-read.h>
#include <nl-results-write.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

/* ------------------------------------------------------------------------------------------ */
/* Comparing results                                                                           */

static void
assert_same_doubles (const double *a, const double *b, guint64 n)
{
  if (n == 0)
    return;
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  /* Bit for bit (NaN padding included). */
  g_assert_cmpint (memcmp (a, b, n * sizeof (double)), ==, 0);
}

static void
assert_same_results (NlResults *a, NlResults *b)
{
  g_assert_cmpuint (nl_results_get_n_cells (a), ==, nl_results_get_n_cells (b));
  double da = nl_results_get_duration (a), db = nl_results_get_duration (b);
  g_assert_true ((isnan (da) && isnan (db)) || da == db);

  g_assert_cmpuint (nl_results_get_n_pops (a), ==, nl_results_get_n_pops (b));
  for (guint p = 0; p < nl_results_get_n_pops (a); p++)
    {
      guint na, nb;
      const guint32 *ga = nl_results_get_pop_gids (a, p, &na), *gb = nl_results_get_pop_gids (b, p, &nb);
      g_assert_cmpstr (nl_results_get_pop_name (a, p), ==, nl_results_get_pop_name (b, p));
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpint (memcmp (ga, gb, na * sizeof (guint32)), ==, 0);
    }

  guint64 n = nl_results_get_n_spikes (a);
  g_assert_cmpuint (n, ==, nl_results_get_n_spikes (b));
  assert_same_doubles (nl_results_get_spike_times (a), nl_results_get_spike_times (b), n);
  if (n)
    g_assert_cmpint (memcmp (nl_results_get_spike_gids (a), nl_results_get_spike_gids (b), n * 4), ==, 0);

  guint64 nta, ntb;
  const double *ta = nl_results_get_trace_time (a, &nta), *tb = nl_results_get_trace_time (b, &ntb);
  if (nl_results_get_n_traces (a) > 0)
    {
      g_assert_cmpuint (nta, ==, ntb);
      assert_same_doubles (ta, tb, nta);
    }
  g_assert_cmpuint (nl_results_get_n_traces (a), ==, nl_results_get_n_traces (b));
  for (guint k = 0; k < nl_results_get_n_traces (a); k++)
    {
      g_assert_cmpstr (nl_results_get_trace_name (a, k), ==, nl_results_get_trace_name (b, k));
      g_assert_cmpuint (nl_results_get_trace_n_cells (a, k), ==, nl_results_get_trace_n_cells (b, k));
      for (guint c = 0; c < nl_results_get_trace_n_cells (a, k); c++)
        {
          guint32 gx, gy;
          guint64 nx, ny;
          const double *x = nl_results_get_trace_values (a, k, c, &gx, &nx);
          const double *y = nl_results_get_trace_values (b, k, c, &gy, &ny);
          g_assert_cmpuint (gx, ==, gy);
          g_assert_cmpuint (nx, ==, ny);
          assert_same_doubles (x, y, nx);
        }
    }

  guint64 sa, sb;
  guint ea, eb;
  double dta, dtb;
  const double *la = nl_results_get_lfp (a, &sa, &ea, &dta), *lb = nl_results_get_lfp (b, &sb, &eb, &dtb);
  guint64 lfp_size = la ? sa * ea : 0;
  g_assert_true ((la == NULL) == (lb == NULL));
  if (la)
    {
      g_assert_cmpuint (sa, ==, sb);
      g_assert_cmpuint (ea, ==, eb);
      g_assert_true ((isnan (dta) && isnan (dtb)) || dta == dtb);
      assert_same_doubles (la, lb, sa * ea);
    }
  const double *xa = nl_results_get_lfp_electrodes (a, &ea), *xb = nl_results_get_lfp_electrodes (b, &eb);
  g_assert_cmpuint (ea, ==, eb);
  assert_same_doubles (xa, xb, 3 * (guint64) ea);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (a), ==, nl_results_get_n_lfp_parts (b));
  for (guint i = 0; i < nl_results_get_n_lfp_parts (a); i++)
    {
      NlLfpPartKind ka, kb;
      const char *pa, *pb;
      guint32 gpa, gpb;
      const double *da_ = nl_results_get_lfp_part (a, i, &ka, &pa, &gpa);
      const double *db_ = nl_results_get_lfp_part (b, i, &kb, &pb, &gpb);
      g_assert_cmpint (ka, ==, kb);
      g_assert_cmpstr (pa, ==, pb);
      g_assert_cmpuint (gpa, ==, gpb);
      assert_same_doubles (da_, db_, lfp_size);
    }

  /* Meta: equal except the format each came from (json_node_copy shares objects: compare
   * member by member). */
  JsonObject *ma = nl_results_get_meta (a), *mb = nl_results_get_meta (b);
  g_autoptr(GList) keys = json_object_get_members (ma);
  guint n_keys = 0;
  for (GList *l = keys; l; l = l->next)
    {
      if (g_str_equal (l->data, "format"))
        continue;
      n_keys++;
      g_assert_true (json_object_has_member (mb, l->data));
      g_assert_true (json_node_equal (json_object_get_member (ma, l->data), json_object_get_member (mb, l->data)));
    }
  g_assert_cmpuint (json_object_get_size (mb) - json_object_has_member (mb, "format"), ==, n_keys);
}

/* ------------------------------------------------------------------------------------------ */
/* Results to write                                                                            */

static int
compare_spikes (const void *x, const void *y)
{
  const double *a = x, *b = y;
  if (a[0] != b[0])
    return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1];
}

/* Spikes with many equal times (times on a 0.1 ms grid) so ties are exercised. */
static void
make_spikes (NlResults *r, guint64 n, guint n_cells, double duration, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  double *pairs = g_new (double, 2 * n);
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n);
  for (guint64 i = 0; i < n; i++)
    {
      pairs[2 * i] = floor (g_rand_double (rand) * duration * 10) / 10;
      /* Some cells never spike. */
      pairs[2 * i + 1] = g_rand_int_range (rand, 0, (gint32) (n_cells - n_cells / 5));
    }
  qsort (pairs, n, 2 * sizeof (double), compare_spikes);
  for (guint64 i = 0; i < n; i++)
    {
      t[i] = pairs[2 * i];
      g[i] = (guint32) pairs[2 * i + 1];
    }
  g_free (pairs);
  g_rand_free (rand);
  nl_results_set_spikes (r, t, g, n);
}

static NlResults *
make_results (void)
{
  NlResults *r = nl_results_new ();
  JsonObject *meta = nl_results_get_meta (r);
  guint32 e[30], i_[20];
  const guint64 ns = 200, nlfp = 120;
  const guint ne = 4;

  nl_results_set_n_cells (r, 50);
  nl_results_set_duration (r, 1000.0);
  for (guint k = 0; k < 30; k++)
    e[k] = k;
  for (guint k = 0; k < 20; k++)
    i_[k] = 30 + k;
  nl_results_add_pop (r, "E", e, 30);
  nl_results_add_pop (r, "I/fast", i_, 20);   /* a name HDF5 could not take as a link */
  make_spikes (r, 5000, 50, 1000.0, 7);

  double *t = g_new (double, ns);
  for (guint64 k = 0; k < ns; k++)
    t[k] = 0.1 * (double) k;   /* not exactly t0 + k·dt in binary: stored as a dataset */
  nl_results_set_trace_time (r, t, ns);
  for (guint c = 0; c < 3; c++)
    {
      double *v = g_new (double, ns);
      for (guint64 k = 0; k < ns; k++)
        v[k] = -65.0 + sin ((double) k * 0.1 + c) * 10.0 + 1e-9 * (double) c;
      nl_results_add_trace (r, "V_soma", 3 + 10 * c, v, ns);
    }
  /* A ragged trace: cells with different lengths. */
  for (guint c = 0; c < 2; c++)
    {
      guint64 len = c == 0 ? ns : ns / 2;
      double *v = g_new (double, len);
      for (guint64 k = 0; k < len; k++)
        v[k] = (double) k * 1e-3 - (double) c;
      nl_results_add_trace (r, "i_syn", 40 + c, v, len);
    }

  double *lfp = g_new (double, nlfp * ne);
  for (guint64 k = 0; k < nlfp * ne; k++)
    lfp[k] = cos ((double) k) * 0.01;
  nl_results_set_lfp (r, lfp, nlfp, ne, 0.1);
  double *xyz = g_new (double, ne * 3);
  for (guint k = 0; k < ne * 3; k++)
    xyz[k] = 50.0 * k;
  nl_results_set_lfp_electrodes (r, xyz, ne);
  for (guint p = 0; p < 3; p++)
    {
      double *part = g_new (double, nlfp * ne);
      for (guint64 k = 0; k < nlfp * ne; k++)
        part[k] = lfp[k] * (p + 1);
      if (p == 1)
        nl_results_add_lfp_part (r, NL_LFP_PART_CELL, NULL, 7, part);
      else
        nl_results_add_lfp_part (r, NL_LFP_PART_POP, p == 0 ? "E" : "I/fast", 0, part);
    }

  json_object_set_string_member (meta, "format", "netpyne-json");   /* as if read from one */
  json_object_set_string_member (meta, "netloom_version", "0.1.0");
  json_object_set_string_member (meta, "neuron_version", "8.2.2");
  json_object_set_int_member (meta, "ranks", 4);
  json_object_set_double_member (meta, "wall_time_s", 12.25);
  json_object_set_boolean_member (meta, "cvode", FALSE);
  json_object_set_string_member (meta, "host", "node-π");
  {
    JsonObject *seeds = json_object_new ();
    json_object_set_int_member (seeds, "conn", 1);
    json_object_set_int_member (seeds, "stim", 2);
    json_object_set_object_member (meta, "seeds", seeds);
  }
  return r;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (nl_test_tmpdir (), name, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Round trips                                                                                 */

static void
test_roundtrip (void)
{
  g_autoptr(NlResults) r = make_results ();
  g_autofree char *path = tmp_path ("roundtrip.h5");
  g_autoptr(GError) error = NULL;

  g_assert_true (nl_h5_write (path, r, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nl_format_detect_file (path, &error), ==, NL_FORMAT_NETLOOM_H5);
  g_assert_true (nl_h5_is_native (path));

  g_autoptr(NlResults) back = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  assert_same_results (r, back);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (back), "format"), ==, "netloom-h5");
  {
    /* The file does not carry the format its results came from. */
    g_autoptr(NlH5File) f = nl_h5_open (path, &error);
    g_assert_no_error (error);
    g_assert_false (json_object_has_member (nl_h5_get_meta (f), "format"));
    g_assert_cmpstr (json_object_get_string_member (nl_h5_get_meta (f), "neuron_version"), ==, "8.2.2");
  }
  /* Populations and traces in the order written, whatever their names. */
  g_assert_cmpstr (nl_results_get_pop_name (back, 1), ==, "I/fast");
  g_assert_cmpstr (nl_results_get_trace_name (back, 0), ==, "V_soma");
  g_assert_cmpstr (nl_results_get_trace_name (back, 1), ==, "i_syn");

  /* Results the reader would refuse are not written (and the old file stays). */
  nl_results_set_n_cells (back, 40);
  g_assert_false (nl_h5_write (path, back, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  nl_results_set_n_cells (back, 50);

  /* The in-memory path (systems that cannot reserve disk space) writes the same content. */
  g_autofree char *mem_path = tmp_path ("roundtrip-mem.h5");
  g_assert_true (nl_h5_write_mode (mem_path, r, NULL, NULL, TRUE, &error));
  g_assert_no_error (error);
  g_autoptr(NlResults) mem = nl_results_read (mem_path, &error);
  g_assert_no_error (error);
  assert_same_results (r, mem);

  /* Writing again replaces the file (and keeps no temporary file). */
  g_assert_true (nl_h5_write (path, back, NULL, NULL, &error));
  g_autoptr(GDir) dir = g_dir_open (nl_test_tmpdir (), 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)))
    g_assert_null (strstr (name, ".tmp-"));
}

static void
test_empty (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  g_autofree char *path = tmp_path ("empty.h5");
  g_autoptr(GError) error = NULL;

  g_assert_true (nl_h5_write (path, r, NULL, NULL, &error));
  g_autoptr(NlResults) back = nl_results_read (path, &error);
  g_assert_no_error (error);
  assert_same_results (r, back);
  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_h5_get_n_spikes (f), ==, 0);
  g_assert_null (nl_h5_read_spec_json (f, &error));
  g_assert_no_error (error);
  g_assert_null (nl_h5_read_network (f, &error));
  g_assert_no_error (error);
  double *t;
  guint32 *g;
  guint64 n = 99;
  g_assert_true (nl_h5_read_spikes_range (f, 0, 100, &t, &g, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_free (t);
  g_free (g);
}

/* The extension picks the writer: .h5 native, .sonata.h5 SONATA. */
static void
test_write_dispatch (void)
{
  g_autoptr(NlResults) r = nl_results_new ();   /* SONATA takes no '/' in population names */
  guint32 gids[3] = { 0, 1, 2 };
  nl_results_set_n_cells (r, 3);
  nl_results_add_pop (r, "E", gids, 3);
  make_spikes (r, 100, 3, 50, 1);
  g_autofree char *native = tmp_path ("dispatch.h5");
  g_autofree char *sonata = tmp_path ("dispatch.sonata.h5");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (nl_results_format_for_filename (native), ==, "netloom-h5");
  g_assert_cmpstr (nl_results_format_for_filename (sonata), ==, "sonata");
  g_assert_true (nl_results_write (r, native, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (nl_results_write (r, sonata, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nl_format_detect_file (native, NULL), ==, NL_FORMAT_NETLOOM_H5);
  g_assert_cmpint (nl_format_detect_file (sonata, NULL), ==, NL_FORMAT_HDF5);
  g_assert_false (nl_h5_is_native (sonata));
  g_autoptr(NlResults) back = nl_results_read (sonata, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (back), "format"), ==, "sonata");

  /* A SONATA file is not opened as a native one. */
  g_autoptr(NlH5File) f = nl_h5_open (sonata, &error);
  g_assert_null (f);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "netloom_format"));
}

/* NetPyNE's tut2 results: JSON → .h5 → the same results. */
static void
test_tut2 (void)
{
  g_autofree char *ref = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *path = tmp_path ("tut2.h5");
  g_autoptr(GError) error = NULL;

  if (!ref)
    return;
  g_autoptr(NlResults) r = nl_results_read (ref, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (r), >, 0);
  g_assert_true (nl_results_write (r, path, NULL, &error));
  g_assert_no_error (error);
  g_autoptr(NlResults) back = nl_results_read (path, &error);
  g_assert_no_error (error);
  assert_same_results (r, back);
  g_assert_nonnull (json_object_get_member (nl_results_get_meta (back), "netpyne_version"));
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (back), "format"), ==, "netloom-h5");
}

/* The spec as JSON text and the network as columns, from tut2's model. */
static void
test_spec_network (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autofree char *path = tmp_path ("net.h5");
  g_autoptr(GError) error = NULL;

  if (!np || !sc)
    return;
  const char *files[] = { np, sc };
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = nl_spec_load (files, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  NlBuildOptions opts = { .n_threads = 1 };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_network_get_n_conns (net), >, 0);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), >, 0);

  g_autoptr(NlResults) r = nl_results_new ();
  nl_results_set_n_cells (r, nl_network_get_n_cells (net));
  make_spikes (r, 1000, nl_network_get_n_cells (net), 100, 2);
  g_assert_true (nl_h5_write (path, r, spec, net, &error));
  g_assert_no_error (error);

  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_autofree char *json = nl_h5_read_spec_json (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json);
  g_autoptr(NlSpec) spec2 = nl_spec_load_from_data (json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_spec_equal (spec, spec2));

  g_autoptr(NlH5Network) h = nl_h5_read_network (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h);
  guint nc = nl_network_get_n_cells (net);
  g_assert_cmpuint (h->n_cells, ==, nc);
  g_assert_cmpuint (h->n_pops, ==, nl_network_get_n_pops (net));
  for (guint p = 0; p < h->n_pops; p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      g_assert_cmpstr (h->pop_names[p], ==, pop->name);
      g_assert_cmpstr (h->pop_cell_types[p], ==, pop->cell_type ? pop->cell_type : "");
      g_assert_cmpstr (h->pop_cell_models[p], ==, pop->cell_model ? pop->cell_model : "");
      g_assert_cmpuint (h->pop_first[p], ==, pop->first);
      g_assert_cmpuint (h->pop_n_cells[p], ==, pop->n_cells);
      g_assert_cmpint (h->pop_cell_rule[p], ==, pop->cell_rule);
      g_assert_cmpuint (h->pop_artificial[p], ==, pop->artificial);
    }
  for (guint i = 0; i < nc; i++)
    {
      g_assert_cmpuint (h->cell_pop[i], ==, nl_network_cell_pop (net, i));
      for (guint c = 0; c < NL_N_COORDS; c++)
        g_assert_true (h->coords[c][i] == nl_network_get_coords (net, c)[i]);
    }
  g_assert_cmpuint (h->n_rules, ==, nl_network_get_n_rules (net));
  for (guint i = 0; i < h->n_rules; i++)
    {
      const NlNetRule *rule = nl_network_get_rule (net, i);
      g_assert_cmpstr (h->rule_labels[i], ==, rule->label);
      g_assert_cmpuint (h->rule_kind[i], ==, rule->kind);
      g_assert_cmpstr (h->rule_sources[i], ==, rule->source ? rule->source : "");
      g_assert_cmpstr (h->rule_source_types[i], ==, rule->source_type ? rule->source_type : "");
      g_assert_cmpuint (h->rule_pointer[i], ==, rule->pointer);
    }
  for (guint i = 0; h->syn_mechs[i]; i++)
    g_assert_cmpstr (h->syn_mechs[i], ==, nl_network_get_name (net, NL_NAME_SYN_MECH, i));
  for (guint i = 0; h->secs[i]; i++)
    g_assert_cmpstr (h->secs[i], ==, nl_network_get_name (net, NL_NAME_SEC, i));
  g_assert_cmpuint (g_strv_length (h->cell_rules), ==, nl_network_get_n_cell_rules (net));

  struct { NlH5Conns *c; guint64 n; gboolean stim; } sets[] = {
    { &h->conns, nl_network_get_n_conns (net), FALSE },
    { &h->stim_conns, nl_network_get_n_stim_conns (net), TRUE },
  };
  for (guint s = 0; s < 2; s++)
    {
      g_assert_cmpuint (sets[s].c->n, ==, sets[s].n);
      for (guint64 i = 0; i < sets[s].n; i++)
        {
          NlConn c;
          if (sets[s].stim)
            nl_network_get_stim_conn (net, i, &c);
          else
            nl_network_get_conn (net, i, &c);
          g_assert_cmpuint (sets[s].c->pre[i], ==, c.pre);
          g_assert_cmpuint (sets[s].c->post[i], ==, c.post);
          g_assert_true (sets[s].c->weight[i] == c.weight);
          g_assert_true (sets[s].c->delay[i] == c.delay);
          g_assert_true (sets[s].c->loc[i] == c.loc || (isnan (c.loc) && isnan (sets[s].c->loc[i])));
          g_assert_cmpuint (sets[s].c->rule[i], ==, c.rule);
          g_assert_cmpuint (sets[s].c->syn[i], ==, c.syn);
          g_assert_cmpuint (sets[s].c->sec[i], ==, c.sec);
        }
    }
  g_assert_cmpuint (h->n_stims, ==, nl_network_get_n_stims (net));
  for (guint i = 0; i < h->n_stims; i++)
    {
      NlNetStim s;
      nl_network_get_stim (net, i, &s);
      g_assert_cmpuint (h->stim_cell[i], ==, s.cell);
      g_assert_cmpuint (h->stim_rule[i], ==, s.rule);
      g_assert_cmpuint (h->stim_sec[i], ==, s.sec);
      g_assert_true (h->stim_loc[i] == s.loc);
    }
}

/* VecStim trains go into /network/vecstim. */
static void
test_network_vecstim (void)
{
  const char *json =
    "{\"netParams\": {\"popParams\": {\"V\": {\"cellModel\": \"VecStim\", \"numCells\": 4, \"rate\": 20,"
    " \"noise\": 0.5, \"start\": 10}}}, \"simConfig\": {\"duration\": 500, \"seeds\": {\"stim\": 3}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  NlBuildOptions opts = { .n_threads = 1 };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(NlResults) r = nl_results_new ();
  g_autofree char *path = tmp_path ("vecstim.h5");
  g_assert_true (nl_h5_write (path, r, spec, net, &error));
  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_autoptr(NlH5Network) h = nl_h5_read_network (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h->vecstim_offsets);
  guint total = 0;
  for (guint i = 0; i < 4; i++)
    {
      guint n;
      const double *v = nl_network_get_spike_times (net, i, &n);
      g_assert_cmpuint (h->vecstim_offsets[i + 1] - h->vecstim_offsets[i], ==, n);
      assert_same_doubles (v, h->vecstim_times + h->vecstim_offsets[i], n);
      total += n;
    }
  g_assert_cmpuint (total, >, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Lazy reads                                                                                  */

static void
test_lazy (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  g_autofree char *path = tmp_path ("lazy.h5");
  g_autoptr(GError) error = NULL;
  const guint n_cells = 400;
  const guint64 n = 300000;   /* several chunks of /spikes/t */

  nl_results_set_n_cells (r, n_cells);
  make_spikes (r, n, n_cells, 2000.0, 11);
  g_assert_true (nl_h5_write (path, r, NULL, NULL, &error));
  g_assert_no_error (error);
  const double *T = nl_results_get_spike_times (r);
  const guint32 *G = nl_results_get_spike_gids (r);

  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_h5_get_n_spikes (f), ==, n);
  g_assert_cmpuint (nl_h5_get_n_cells (f), ==, n_cells);

  /* Ranges: edges on spike times (ties), before, after, empty, everything. */
  GRand *rand = g_rand_new_with_seed (3);
  double ranges[][2] = { { -10, 0 }, { -10, 0.05 }, { 0, 0.1 }, { 100.0, 100.0 }, { 100.0, 100.1 },
                         { 1999.9, 5000 }, { -1, 3000 }, { 500.3, 500.2 } };
  for (guint k = 0; k < G_N_ELEMENTS (ranges) + 40; k++)
    {
      double t0, t1;
      if (k < G_N_ELEMENTS (ranges))
        {
          t0 = ranges[k][0];
          t1 = ranges[k][1];
        }
      else
        {
          t0 = T[g_rand_int_range (rand, 0, (gint32) n)];
          t1 = t0 + g_rand_double_range (rand, 0, 300);
        }
      double *t;
      guint32 *g;
      guint64 m;
      g_assert_true (nl_h5_read_spikes_range (f, t0, t1, &t, &g, &m, &error));
      g_assert_no_error (error);
      guint64 first = 0, count = 0;
      for (guint64 i = 0; i < n; i++)
        if (T[i] >= t0 && T[i] < t1)
          {
            if (count++ == 0)
              first = i;
          }
      g_assert_cmpuint (m, ==, count);
      if (count)
        {
          assert_same_doubles (t, T + first, count);
          g_assert_cmpint (memcmp (g, G + first, count * 4), ==, 0);
        }
      g_free (t);
      g_free (g);
    }
  g_rand_free (rand);

  /* Every cell (some never spike), and one beyond the last. */
  g_autofree guint64 *count = g_new0 (guint64, n_cells);
  for (guint64 i = 0; i < n; i++)
    count[G[i]]++;
  for (guint gid = 0; gid <= n_cells; gid++)
    {
      double *t;
      guint64 m, j = 0;
      g_assert_true (nl_h5_read_spikes_of_gid (f, gid, &t, &m, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (m, ==, gid < n_cells ? count[gid] : 0);
      for (guint64 i = 0; i < n && m; i++)
        if (G[i] == gid)
          g_assert_true (t[j++] == T[i]);
      g_free (t);
    }

  /* A slice by position. */
  g_autofree double *t = g_new (double, 1000);
  g_autofree guint32 *g = g_new (guint32, 1000);
  g_assert_true (nl_h5_read_spikes (f, 123456, 1000, t, g, &error));
  assert_same_doubles (t, T + 123456, 1000);
  g_assert_false (nl_h5_read_spikes (f, n - 10, 11, t, g, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_lazy_traces_lfp (void)
{
  g_autoptr(NlResults) r = make_results ();
  g_autofree char *path = tmp_path ("lazy-traces.h5");
  g_autoptr(GError) error = NULL;

  g_assert_true (nl_h5_write (path, r, NULL, NULL, &error));
  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_h5_get_n_traces (f), ==, 2);
  g_assert_cmpuint (nl_h5_get_n_pops (f), ==, 2);
  g_assert_cmpstr (nl_h5_get_pop_name (f, 1), ==, "I/fast");
  g_assert_cmpfloat (nl_h5_get_duration (f), ==, 1000.0);
  g_assert_cmpint (json_object_get_int_member (nl_h5_get_meta (f), "ranks"), ==, 4);
  for (guint k = 0; k < 2; k++)
    {
      guint nc;
      const guint32 *gids = nl_h5_get_trace_gids (f, k, &nc);
      g_assert_cmpstr (nl_h5_get_trace_name (f, k), ==, nl_results_get_trace_name (r, k));
      g_assert_cmpuint (nc, ==, nl_results_get_trace_n_cells (r, k));
      for (guint c = 0; c < nc; c++)
        {
          guint32 gid;
          guint64 ns, m;
          const double *v = nl_results_get_trace_values (r, k, c, &gid, &ns);
          double *w;
          g_assert_cmpuint (gids[c], ==, gid);
          g_assert_true (nl_h5_read_trace (f, k, c, &w, &m, &error));
          g_assert_cmpuint (m, ==, ns);
          assert_same_doubles (v, w, ns);
          g_free (w);
        }
    }
  guint64 ns;
  guint ne;
  double dt;
  g_assert_true (nl_h5_get_lfp_shape (f, &ns, &ne, &dt));
  g_assert_cmpuint (ns, ==, 120);
  g_assert_cmpuint (ne, ==, 4);
  g_assert_cmpfloat (dt, ==, 0.1);
  g_autofree double *lfp = NULL;
  g_assert_true (nl_h5_read_lfp (f, &lfp, &error));
  guint64 ns2;
  guint ne2;
  assert_same_doubles (lfp, nl_results_get_lfp (r, &ns2, &ne2, &dt), ns * ne);
}

/* ------------------------------------------------------------------------------------------ */
/* Bad files                                                                                   */

static void
assert_bad (const char *path, const char *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  if (object)
    g_assert_nonnull (strstr (error->message, object));
}

static char *
good_file (void)
{
  static char *path;
  if (!path)
    {
      g_autoptr(NlResults) r = make_results ();
      g_autoptr(GError) error = NULL;
      path = tmp_path ("good.h5");
      g_assert_true (nl_h5_write (path, r, NULL, NULL, &error));
    }
  return path;
}

typedef void (*Mutate) (hid_t file);

/* A copy of the good file, changed through libhdf5. */
static char *
mutated (const char *name, Mutate mutate)
{
  g_autofree char *data = NULL;
  gsize len;
  char *path = tmp_path (name);
  g_assert_true (g_file_get_contents (good_file (), &data, &len, NULL));
  g_assert_true (g_file_set_contents (path, data, len, NULL));
  hid_t file = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (file, >=, 0);
  mutate (file);
  g_assert_cmpint (H5Fclose (file), >=, 0);
  return path;
}

static void
replace_dataset (hid_t file, const char *path, hid_t type, int rank, const hsize_t *dims, const void *data,
                 gboolean chunked)
{
  hid_t space = H5Screate_simple (rank, dims, NULL);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
  if (chunked)
    {
      hsize_t chunk[3] = { 1024, 1024, 1024 };
      H5Pset_chunk (dcpl, rank, chunk);
    }
  if (H5Lexists (file, path, H5P_DEFAULT) > 0)
    g_assert_cmpint (H5Ldelete (file, path, H5P_DEFAULT), >=, 0);
  hid_t ds = H5Dcreate2 (file, path, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  g_assert_cmpint (ds, >=, 0);
  if (data)
    g_assert_cmpint (H5Dwrite (ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (ds);
  H5Pclose (dcpl);
  H5Sclose (space);
}

static guint64
n_good_spikes (void)
{
  return 5000;
}

static void
gid_as_double (hid_t file)
{
  hsize_t n = n_good_spikes ();
  g_autofree double *v = g_new0 (double, n);
  replace_dataset (file, "/spikes/gid", H5T_NATIVE_DOUBLE, 1, &n, v, FALSE);
}

static void
gid_too_short (hid_t file)
{
  hsize_t n = n_good_spikes () - 1;
  g_autofree guint32 *v = g_new0 (guint32, n);
  replace_dataset (file, "/spikes/gid", H5T_NATIVE_UINT32, 1, &n, v, FALSE);
}

static void
t_huge (hid_t file)
{
  hsize_t n = (hsize_t) 1 << 40;
  replace_dataset (file, "/spikes/t", H5T_NATIVE_DOUBLE, 1, &n, NULL, TRUE);
}

static void
t_two_dims (hid_t file)
{
  hsize_t dims[2] = { n_good_spikes (), 1 };
  g_autofree double *v = g_new0 (double, dims[0]);
  replace_dataset (file, "/spikes/t", H5T_NATIVE_DOUBLE, 2, dims, v, FALSE);
}

static void
t_unsorted (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/spikes/t", H5P_DEFAULT);
  g_autofree double *v = g_new (double, n_good_spikes ());
  H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  double x = v[10];
  v[10] = v[4000];
  v[4000] = x;
  H5Dwrite (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose (ds);
}

static void
t_nan (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/spikes/t", H5P_DEFAULT);
  g_autofree double *v = g_new (double, n_good_spikes ());
  H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  v[n_good_spikes () - 1] = NAN;
  H5Dwrite (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose (ds);
}

static void
gid_out_of_range (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/spikes/gid", H5P_DEFAULT);
  g_autofree guint32 *v = g_new (guint32, n_good_spikes ());
  H5Dread (ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  v[77] = 50;   /* n_cells = 50 */
  H5Dwrite (ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose (ds);
}

static void
future_version (hid_t file)
{
  guint32 v = 99;
  hid_t a = H5Aopen (file, "netloom_format", H5P_DEFAULT);
  H5Awrite (a, H5T_NATIVE_UINT32, &v);
  H5Aclose (a);
}

static void
external_link (hid_t file)
{
  H5Ldelete (file, "/spikes/t", H5P_DEFAULT);
  H5Lcreate_external ("/etc/other.h5", "/t", file, "/spikes/t", H5P_DEFAULT, H5P_DEFAULT);
}

static void
trace_lengths_too_long (hid_t file)
{
  hsize_t n = 2;
  guint64 v[2] = { 200, 1000 };
  replace_dataset (file, "/traces/i_syn/lengths", H5T_NATIVE_UINT64, 1, &n, v, FALSE);
}

static void
trace_gids_mismatch (hid_t file)
{
  hsize_t n = 5;
  guint32 v[5] = { 0 };
  replace_dataset (file, "/traces/V_soma/gids", H5T_NATIVE_UINT32, 1, &n, v, FALSE);
}

static void
lfp_parts_shape (hid_t file)
{
  hsize_t dims[3] = { 3, 119, 4 };
  g_autofree double *v = g_new0 (double, 3 * 119 * 4);
  replace_dataset (file, "/lfp/parts", H5T_NATIVE_DOUBLE, 3, dims, v, FALSE);
}

static void
lfp_electrodes_shape (hid_t file)
{
  hsize_t dims[2] = { 4, 2 };
  double v[8] = { 0 };
  replace_dataset (file, "/lfp/electrodes", H5T_NATIVE_DOUBLE, 2, dims, v, FALSE);
}

static void
meta_not_json (hid_t file)
{
  hid_t t = H5Tcopy (H5T_C_S1), sp = H5Screate (H5S_SCALAR);
  H5Tset_size (t, 5);
  H5Ldelete (file, "/meta/json", H5P_DEFAULT);
  hid_t ds = H5Dcreate2 (file, "/meta/json", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, "{oops");
  H5Dclose (ds);
  H5Sclose (sp);
  H5Tclose (t);
}

static void
pop_offsets_bad (hid_t file)
{
  hsize_t n = 3;
  guint64 v[3] = { 0, 40, 30 };
  replace_dataset (file, "/pops/offsets", H5T_NATIVE_UINT64, 1, &n, v, FALSE);
}

static void
pop_names_vlen (hid_t file)
{
  hid_t t = H5Tcopy (H5T_C_S1);
  H5Tset_size (t, H5T_VARIABLE);
  const char *names[2] = { "E", "I" };
  hsize_t n = 2;
  replace_dataset (file, "/pops/names", t, 1, &n, names, FALSE);
  H5Tclose (t);
}

static void
spikes_is_dataset (hid_t file)
{
  H5Ldelete (file, "/lfp", H5P_DEFAULT);
  hsize_t n = 3;
  double v[3] = { 0 };
  replace_dataset (file, "/lfp", H5T_NATIVE_DOUBLE, 1, &n, v, FALSE);
}

static void
order_scrambled (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/spikes/by_gid/order", H5P_DEFAULT);
  g_autofree guint32 *v = g_new0 (guint32, n_good_spikes ());
  H5Dwrite (ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Dclose (ds);
}

static void
offsets_beyond (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/spikes/by_gid/offsets", H5P_DEFAULT);
  hsize_t dims[1];
  hid_t sp = H5Dget_space (ds);
  H5Sget_simple_extent_dims (sp, dims, NULL);
  g_autofree guint64 *v = g_new0 (guint64, dims[0]);
  for (hsize_t i = 0; i < dims[0]; i++)
    v[i] = i * 1000000;
  H5Dwrite (ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Sclose (sp);
  H5Dclose (ds);
}

static void
test_bad_objects (void)
{
  struct { const char *name; Mutate mutate; const char *object; } cases[] = {
    { "gid-double.h5", gid_as_double, "/spikes/gid" },
    { "gid-short.h5", gid_too_short, "/spikes/gid" },
    { "t-huge.h5", t_huge, "/spikes/t" },
    { "t-2d.h5", t_two_dims, "/spikes/t" },
    { "t-unsorted.h5", t_unsorted, "/spikes/t" },
    { "t-nan.h5", t_nan, "/spikes/t" },
    { "gid-range.h5", gid_out_of_range, "/spikes/gid" },
    { "external.h5", external_link, "/spikes/t" },
    { "trace-lengths.h5", trace_lengths_too_long, "/traces/i_syn/lengths" },
    { "trace-gids.h5", trace_gids_mismatch, "/traces/V_soma/gids" },
    { "lfp-parts.h5", lfp_parts_shape, "/lfp/parts" },
    { "lfp-electrodes.h5", lfp_electrodes_shape, "/lfp/electrodes" },
    { "meta-json.h5", meta_not_json, "/meta/json" },
    { "pop-offsets.h5", pop_offsets_bad, "/pops/offsets" },
    { "pop-names.h5", pop_names_vlen, "/pops/names" },
    { "lfp-dataset.h5", spikes_is_dataset, "/lfp" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = mutated (cases[i].name, cases[i].mutate);
      assert_bad (path, cases[i].object);
    }

  /* A newer format: not supported, rather than invalid. */
  {
    g_autofree char *path = mutated ("future.h5", future_version);
    g_autoptr(GError) error = NULL;
    g_autoptr(NlH5File) f = nl_h5_open (path, &error);
    g_assert_null (f);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  }

  /* Lazy reads check what they read: the open succeeds, the read fails. */
  {
    g_autofree char *path = mutated ("t-unsorted-lazy.h5", t_unsorted);
    g_autoptr(GError) error = NULL;
    g_autoptr(NlH5File) f = nl_h5_open (path, &error);
    g_assert_no_error (error);
    double *t;
    guint32 *g;
    guint64 n;
    g_assert_false (nl_h5_read_spikes_range (f, -1, 2000, &t, &g, &n, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "/spikes/t"));
  }
  const char *index_cases[][2] = { { "order.h5", "/spikes/by_gid/order" }, { "offsets.h5", "/spikes/by_gid/offsets" },
                                   { "t-unsorted-gid.h5", "/spikes/t" } };
  Mutate index_mutations[] = { order_scrambled, offsets_beyond, t_unsorted };
  for (guint k = 0; k < G_N_ELEMENTS (index_mutations); k++)
    {
      g_autofree char *path = mutated (index_cases[k][0], index_mutations[k]);
      g_autoptr(GError) error = NULL;
      g_autoptr(NlH5File) f = nl_h5_open (path, &error);
      g_assert_no_error (error);
      gboolean failed = FALSE;
      for (guint gid = 0; gid < 50 && !failed; gid++)
        {
          double *t = NULL;
          guint64 n;
          if (!nl_h5_read_spikes_of_gid (f, gid, &t, &n, &error))
            failed = TRUE;
          g_free (t);
        }
      g_assert_true (failed);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, index_cases[k][1]));
    }
}

static void
conns_post_beyond (hid_t file)
{
  hid_t ds = H5Dopen2 (file, "/network/conns/post", H5P_DEFAULT);
  hid_t sp = H5Dget_space (ds);
  hsize_t n;
  H5Sget_simple_extent_dims (sp, &n, NULL);
  g_autofree guint32 *v = g_new0 (guint32, n);
  v[n - 1] = 1000000;
  H5Dwrite (ds, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  H5Sclose (sp);
  H5Dclose (ds);
}

static void
test_bad_network (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autoptr(GError) error = NULL;
  if (!np || !sc)
    return;
  const char *files[] = { np, sc };
  g_autoptr(NlSpec) spec = nl_spec_load (files, 2, NULL, &error);
  NlBuildOptions opts = { .n_threads = 1 };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(NlResults) r = nl_results_new ();
  g_autofree char *path = tmp_path ("net-bad.h5");
  g_assert_true (nl_h5_write (path, r, spec, net, &error));
  hid_t file = H5Fopen (path, H5F_ACC_RDWR, H5P_DEFAULT);
  conns_post_beyond (file);
  H5Fclose (file);
  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  g_assert_no_error (error);
  g_autoptr(NlH5Network) h = nl_h5_read_network (f, &error);
  g_assert_null (h);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "/network/conns/post"));
}

/* Cut at many offsets, the file must be refused cleanly (never a crash). */
static void
test_truncated (void)
{
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (good_file (), &data, &len, NULL));
  guint tried = 0;
  for (gsize cut = 0; cut < len; cut += cut < 4096 ? 97 : len / 61)
    {
      g_autofree char *name = g_strdup_printf ("cut-%zu.h5", cut);
      g_autofree char *path = tmp_path (name);
      g_assert_true (g_file_set_contents (path, data, cut, NULL));
      g_autoptr(GError) error = NULL;
      g_autoptr(NlResults) r = nl_results_read (path, &error);
      g_assert_null (r);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      g_autoptr(NlH5File) f = nl_h5_open (path, NULL);
      g_assert_null (f);
      g_unlink (path);
      tried++;
    }
  g_assert_cmpuint (tried, >, 60);
}

/* Bytes flipped all over: whatever happens must be a clean result or a GError. */
static void
test_garbled (void)
{
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (good_file (), &data, &len, NULL));
  GRand *rand = g_rand_new_with_seed (5);
  guint failed = 0;
  for (guint k = 0; k < 60; k++)
    {
      g_autofree char *copy = g_memdup2 (data, len);
      for (guint j = 0; j < 8; j++)
        copy[g_rand_int_range (rand, 0, (gint32) MIN (len, 8192))] ^= (char) g_rand_int_range (rand, 1, 256);
      g_autofree char *path = tmp_path ("garbled.h5");
      g_assert_true (g_file_set_contents (path, copy, len, NULL));
      g_autoptr(GError) error = NULL;
      g_autoptr(NlResults) r = nl_results_read (path, &error);
      g_assert_true ((r == NULL) == (error != NULL));
      failed += r == NULL;
      if (r)
        {
          const double *t = nl_results_get_spike_times (r);
          for (guint64 i = 1; i < nl_results_get_n_spikes (r); i++)
            g_assert_true (t[i - 1] <= t[i]);
        }
    }
  g_rand_free (rand);
  g_assert_cmpuint (failed, >, 0);
}

/* libhdf5 1.10 leaks a little when it fails to open a corrupt file (the truncated and garbled
 * cases): its leaks, not NetLoom's. */
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libhdf5_serial.so\nleak:libhdf5.so\n";
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/h5/roundtrip", test_roundtrip);
  g_test_add_func ("/h5/empty", test_empty);
  g_test_add_func ("/h5/write-dispatch", test_write_dispatch);
  g_test_add_func ("/h5/tut2", test_tut2);
  g_test_add_func ("/h5/spec-network", test_spec_network);
  g_test_add_func ("/h5/network-vecstim", test_network_vecstim);
  g_test_add_func ("/h5/lazy", test_lazy);
  g_test_add_func ("/h5/lazy-traces-lfp", test_lazy_traces_lfp);
  g_test_add_func ("/h5/bad-objects", test_bad_objects);
  g_test_add_func ("/h5/bad-network", test_bad_network);
  g_test_add_func ("/h5/truncated", test_truncated);
  g_test_add_func ("/h5/garbled", test_garbled);
  return g_test_run ();
}
