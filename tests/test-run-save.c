/* test-run-save.c — `netloom run` writes what simConfig's NetPyNE save flags ask for, named
 * as NetPyNE names them, besides -o (which never suppresses them). */
#include <nl-h5.h>
#include <nl-results-read.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <stdio.h>
#include <string.h>

#include "nl-run-save.h"
#include "nl-testutil.h"

static NlSpec *
spec_with (const char *sim_config)
{
  g_autofree char *text = g_strdup_printf ("{\"netParams\": {\"popParams\": {\"A\": {\"cellModel\": \"NetStim\", "
                                           "\"numCells\": 2, \"rate\": 20, \"noise\": 0}}}, \"simConfig\": %s}",
                                           sim_config);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  NlSpec *spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_base_names (void)
{
  static const struct { const char *cfg; const char *base; } cases[] = {
    { "{}", "model_output_data" },                               /* NetPyNE's default filename */
    { "{\"filename\": \"out/tut2\"}", "out/tut2_data" },
    { "{\"filename\": \"tut2\", \"saveFolder\": \"runs\"}", "runs/tut2_data" },
    { "{\"filename\": \"tut2\", \"saveFolder\": \"runs\", \"simLabel\": \"v1\"}", "runs/v1_data" },
    { "{\"filename\": \"tut2\", \"simLabel\": \"v1\"}", "tut2_data" },   /* label only with a folder */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NlSpec) spec = spec_with (cases[i].cfg);
      g_autofree char *base = nl_run_save_base (spec);
      g_assert_cmpstr (base, ==, cases[i].base);
    }
  {
    g_autoptr(NlSpec) spec = spec_with ("{\"filename\": \"x\", \"timestampFilename\": true}");
    g_autofree char *base = nl_run_save_base (spec);
    /* x_data-YYYYmmdd_HHMMSS */
    g_assert_true (g_str_has_prefix (base, "x_data-"));
    g_assert_cmpuint (strlen (base), ==, strlen ("x_data-") + 15);
    g_assert_true (base[strlen ("x_data-") + 8] == '_');
  }
}

static void
test_cli_flags (void)
{
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *model = g_build_filename (tmp, "save.json", NULL);
  g_autofree char *base = g_build_filename (tmp, "runs", "v1_data", NULL);
  g_autofree char *json = g_strconcat (base, ".json", NULL);
  g_autofree char *csv = g_strconcat (base, ".csv", NULL);
  g_autofree char *extra = g_build_filename (tmp, "extra.json.gz", NULL);
  g_autofree char *runs = g_build_filename (tmp, "runs", NULL);
  g_autofree char *text = NULL, *out = NULL, *err = NULL;
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  text = g_strdup_printf ("{\"netParams\": {\"popParams\": {\"A\": {\"cellModel\": \"NetStim\", \"numCells\": 3, "
                          "\"rate\": 50, \"noise\": 0, \"start\": 1}}},"
                          " \"simConfig\": {\"duration\": 100, \"filename\": \"ignored\", \"saveFolder\": \"%s\", "
                          "\"simLabel\": \"v1\", \"saveJson\": true, \"saveCSV\": true, \"savePickle\": true,"
                          " \"analysis\": {\"plotRaster\": {\"saveFig\": true}, \"plotSpikeHist\": {\"saveFig\": \"hist.svg\","
                          " \"binSize\": 10}, \"plotTraces\": {\"saveFig\": false}}}}",
                          runs);
  g_assert_true (g_file_set_contents (model, text, -1, NULL));
  {
    const char *argv[] = { "run", model, "-o", extra, NULL };
    int status = nl_test_run_cli (argv, &out, &err);
    if (status != 0)
      g_error ("netloom run: %d\n%s", status, err);
  }
  /* The pickle flag is explained, not silently dropped. */
  g_assert_true (strstr (err, "savePickle") != NULL);
  /* simConfig.analysis: NetPyNE's names, relative to the current folder (the test's). */
  {
    g_autofree char *raster = g_build_filename (tmp, "ignored_raster.png", NULL);
    g_autofree char *hist = g_build_filename (tmp, "hist.svg", NULL);
    g_autofree char *traces = g_build_filename (tmp, "ignored_traces.png", NULL);
    g_autofree char *svg = NULL;
    guchar sig[8] = { 0 };
    FILE *f = fopen (raster, "rb");
    g_assert_nonnull (f);
    g_assert_cmpuint (fread (sig, 1, 8, f), ==, 8);
    fclose (f);
    g_assert_true (memcmp (sig, "\x89PNG\r\n\x1a\n", 8) == 0);
    g_assert_true (g_file_get_contents (hist, &svg, NULL, NULL));
    g_assert_true (strstr (svg, "<svg") != NULL);
    g_assert_false (g_file_test (traces, G_FILE_TEST_EXISTS));   /* saveFig false */
  }

  const char *files[] = { json, csv, extra };
  guint64 counts[3];
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NlResults) r = nl_results_read (files[i], &error);
      g_assert_no_error (error);
      counts[i] = nl_results_get_n_spikes (r);
      if (i == 0)
        {
          /* The simConfig travelled into NetPyNE's layout. */
          g_assert_cmpfloat (nl_results_get_duration (r), ==, 100);
          g_assert_cmpuint (nl_results_get_n_cells (r), ==, 3);
        }
    }
  /* The JSON carries its model (net.params), as NetPyNE's saveData does: it loads as one. */
  {
    const char *one[] = { json };
    const char *src[] = { model };
    g_autoptr(GPtrArray) problems = nl_problems_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(NlSpec) saved = nl_spec_load (one, 1, problems, &error);
    g_autoptr(NlSpec) orig = nl_spec_load (src, 1, problems, NULL);
    g_assert_no_error (error);
    g_assert_true (json_object_equal (nl_spec_get_net_params (saved), nl_spec_get_net_params (orig)));
    g_assert_cmpfloat (nl_spec_get_double (saved, "simConfig.duration", 0), ==, 100);
  }
  /* … and its cells (saveDataInclude 'netCells'): gid, tags, conns, stims per cell. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *netobj;
    JsonArray *cells;
    g_assert_true (json_parser_load_from_file (parser, json, NULL));
    netobj = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "net");
    g_assert_true (json_object_has_member (netobj, "params"));
    g_assert_true (json_object_has_member (netobj, "pops"));
    cells = json_object_get_array_member (netobj, "cells");
    g_assert_cmpuint (json_array_get_length (cells), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        JsonObject *c = json_array_get_object_element (cells, i);
        g_assert_cmpint (json_object_get_int_member (c, "gid"), ==, i);
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "tags"), "pop"), ==, "A");
        g_assert_true (json_object_has_member (c, "conns"));
      }
  }
  /* 3 regular NetStims at 50 Hz from 1 ms over 100 ms: 5 spikes each. */
  g_assert_cmpuint (counts[0], ==, 15);
  g_assert_cmpuint (counts[1], ==, 15);
  g_assert_cmpuint (counts[2], ==, 15);
}

/* -o FILE.h5: NetLoom's file with the model inside; convert takes it on to MAT. */
static void
test_native (void)
{
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *model = g_build_filename (tmp, "native.json", NULL);
  g_autofree char *h5 = g_build_filename (tmp, "native.h5", NULL);
  g_autofree char *mat = g_build_filename (tmp, "native.out", NULL);
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");
  g_autofree char *out = NULL, *err = NULL;
  const char *text = "{\"netParams\": {\"popParams\": {\"A\": {\"cellModel\": \"NetStim\", \"numCells\": 4, "
                     "\"rate\": 40, \"noise\": 0, \"start\": 2}}}, \"simConfig\": {\"duration\": 200}}";

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  g_assert_true (g_file_set_contents (model, text, -1, NULL));
  {
    const char *argv[] = { "run", model, "-o", h5, NULL };
    g_assert_cmpint (nl_test_run_cli (argv, &out, &err), ==, 0);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NlH5File) f = nl_h5_open (h5, &error);
    g_autofree char *spec = NULL;
    g_assert_no_error (error);
    g_assert_cmpuint (nl_h5_get_n_spikes (f), ==, 4 * 8);   /* 40 Hz from 2 ms for 200 ms */
    spec = nl_h5_read_spec_json (f, &error);
    g_assert_no_error (error);
    g_assert_nonnull (spec);
    g_assert_true (strstr (spec, "\"numCells\"") != NULL);
  }
  g_free (out);
  g_free (err);
  {
    const char *argv[] = { "convert", h5, mat, "--to", "netpyne-mat", NULL };
    g_assert_cmpint (nl_test_run_cli (argv, &out, &err), ==, 0);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NlResults) r = nl_results_read (mat, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 32);
  }
}

/* The spike columns' maximum length: unlimited when the file was streamed. */
static gboolean
spikes_extensible (const char *path)
{
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT), ds = H5Dopen2 (f, "/spikes/t", H5P_DEFAULT);
  hid_t sp = H5Dget_space (ds);
  hsize_t dims[1], max[1];
  H5Sget_simple_extent_dims (sp, dims, max);
  H5Sclose (sp);
  H5Dclose (ds);
  H5Fclose (f);
  return max[0] == H5S_UNLIMITED;
}

/* -o FILE.h5 alone streams the 2 ranks' spikes into the file; with a save flag the results are
 * gathered (nl_run_full) and written by nl_h5_write: the same spikes, per-cell index, traces,
 * populations, network and counts. */
static void
test_native_streamed (void)
{
  static const char model[] =
    "{\"netParams\": {\"popParams\": {\"In\": {\"cellModel\": \"NetStim\", \"numCells\": 40, \"rate\": 40,"
    "   \"noise\": 1, \"start\": 0}, \"A\": {\"cellType\": \"PYR\", \"numCells\": 30}},"
    " \"cellParams\": {\"PYR\": {\"conds\": {\"cellType\": \"PYR\"}, \"secs\": {\"soma\": {\"geom\": {\"L\": 18.8,"
    "   \"diam\": 18.8, \"Ra\": 123}, \"mechs\": {\"hh\": {}}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"Exp2Syn\", \"tau1\": 0.1, \"tau2\": 5, \"e\": 0}},"
    " \"connParams\": {\"In->A\": {\"preConds\": {\"pop\": \"In\"}, \"postConds\": {\"pop\": \"A\"},"
    "     \"probability\": 0.3, \"weight\": 0.004, \"delay\": \"1 + uniform(0, 2)\", \"synMech\": \"exc\"}}},"
    " \"simConfig\": {\"duration\": 300, \"recordStep\": 0.5, \"recordCells\": [40, 43, 50],"
    "   \"recordTraces\": {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}}%s}}";
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *m1 = g_build_filename (tmp, "stream.json", NULL), *m2 = g_build_filename (tmp, "mem.json", NULL);
  g_autofree char *h1 = g_build_filename (tmp, "stream.h5", NULL), *h2 = g_build_filename (tmp, "mem.h5", NULL);
  g_autofree char *csv = g_build_filename (tmp, "mem_data", NULL);
  g_autofree char *t1 = g_strdup_printf (model, "");
  g_autofree char *t2 = g_strdup_printf (model, ", \"saveCSV\": true, \"filename\": \"mem\"");
  g_autofree char *nrniv = g_find_program_in_path ("nrniv"), *mpiexec = g_find_program_in_path ("mpiexec");
  g_autofree char *out1 = NULL, *out2 = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!nrniv || !mpiexec)
    {
      g_test_skip ("nrniv or mpiexec not found");
      return;
    }
  (void) csv;
  g_assert_true (g_file_set_contents (m1, t1, -1, NULL));
  g_assert_true (g_file_set_contents (m2, t2, -1, NULL));
  {
    const char *argv[] = { "run", m1, "-n", "2", "--json", "-o", h1, NULL };
    int status = nl_test_run_cli (argv, &out1, &err);
    if (status != 0)
      g_error ("netloom run: %d\n%s", status, err);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { "run", m2, "-n", "2", "--json", "-o", h2, NULL };
    int status = nl_test_run_cli (argv, &out2, &err);
    if (status != 0)
      g_error ("netloom run: %d\n%s", status, err);
  }
  g_assert_true (spikes_extensible (h1));    /* streamed */
  g_assert_false (spikes_extensible (h2));   /* gathered, nl_h5_write */

  g_autoptr(NlResults) a = nl_h5_read_results (h1, &error);
  g_assert_no_error (error);
  g_autoptr(NlResults) b = nl_h5_read_results (h2, &error);
  g_assert_no_error (error);
  guint64 n = nl_results_get_n_spikes (a);
  g_assert_cmpuint (n, >, 200);
  g_assert_cmpuint (n, ==, nl_results_get_n_spikes (b));
  g_assert_cmpint (memcmp (nl_results_get_spike_times (a), nl_results_get_spike_times (b), 8 * n), ==, 0);
  g_assert_cmpint (memcmp (nl_results_get_spike_gids (a), nl_results_get_spike_gids (b), 4 * n), ==, 0);
  /* Both ranks' spikes interleave in time: not one rank's block after the other's. */
  {
    const guint32 *g = nl_results_get_spike_gids (a);
    guint switches = 0;
    for (guint64 i = 1; i < n; i++)
      switches += (g[i] % 2) != (g[i - 1] % 2);
    g_assert_cmpuint (switches, >, 50);
  }
  g_assert_cmpuint (nl_results_get_n_traces (a), ==, 1);
  g_assert_cmpuint (nl_results_get_trace_n_cells (a, 0), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      guint32 ga, gb;
      guint64 na, nb;
      const double *va = nl_results_get_trace_values (a, 0, c, &ga, &na);
      const double *vb = nl_results_get_trace_values (b, 0, c, &gb, &nb);
      g_assert_cmpuint (ga, ==, gb);
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpuint (na, >=, 599);
      g_assert_cmpint (memcmp (va, vb, 8 * na), ==, 0);
    }
  g_assert_cmpuint (nl_results_get_n_pops (a), ==, 2);
  g_assert_cmpfloat (nl_results_get_duration (a), ==, 300);
  g_assert_cmpint (json_object_get_int_member (nl_results_get_meta (a), "ranks"), ==, 2);
  {
    g_autoptr(NlH5File) fa = nl_h5_open (h1, &error);
    g_autoptr(NlH5File) fb = nl_h5_open (h2, &error);
    g_assert_no_error (error);
    for (guint32 gid = 0; gid < 70; gid++)
      {
        g_autofree double *ta = NULL, *tb = NULL;
        guint64 na, nb;
        g_assert_true (nl_h5_read_spikes_of_gid (fa, gid, &ta, &na, &error));
        g_assert_true (nl_h5_read_spikes_of_gid (fb, gid, &tb, &nb, &error));
        g_assert_cmpuint (na, ==, nb);
        if (na)
          g_assert_cmpint (memcmp (ta, tb, 8 * na), ==, 0);
      }
    g_autoptr(NlH5Network) na = nl_h5_read_network (fa, &error);
    g_assert_no_error (error);
    g_autoptr(NlH5Network) nb = nl_h5_read_network (fb, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (na->conns.n, >, 100);
    g_assert_cmpuint (na->conns.n, ==, nb->conns.n);
    g_assert_cmpint (memcmp (na->conns.pre, nb->conns.pre, 4 * na->conns.n), ==, 0);
    g_assert_cmpint (memcmp (na->conns.weight, nb->conns.weight, 4 * na->conns.n), ==, 0);
  }
  /* --json's counts, from the stream's summary and from the results. */
  {
    g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();
    g_assert_true (json_parser_load_from_data (p1, out1, -1, NULL));
    g_assert_true (json_parser_load_from_data (p2, out2, -1, NULL));
    JsonObject *o1 = json_node_get_object (json_parser_get_root (p1));
    JsonObject *o2 = json_node_get_object (json_parser_get_root (p2));
    g_assert_cmpint (json_object_get_int_member (o1, "spikes"), ==, n);
    g_assert_cmpint (json_object_get_int_member (o1, "ranks"), ==, 2);
    JsonObject *pa = json_object_get_object_member (o1, "pops"), *pb = json_object_get_object_member (o2, "pops");
    gint64 sum = 0;
    for (guint k = 0; k < 2; k++)
      {
        const char *pop = k ? "A" : "In";
        gint64 s1 = json_object_get_int_member (json_object_get_object_member (pa, pop), "spikes");
        sum += s1;
        g_assert_cmpint (s1, ==, json_object_get_int_member (json_object_get_object_member (pb, pop), "spikes"));
      }
    g_assert_cmpint (sum, ==, n);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-save/base-names", test_base_names);
  g_test_add_func ("/run-save/cli-flags", test_cli_flags);
  g_test_add_func ("/run-save/native", test_native);
  g_test_add_func ("/run-save/native-streamed", test_native_streamed);
  return g_test_run ();
}
