/* data/nl-results-read: NetPyNE JSON and SONATA spikes into NlResults, bad input, `netloom info`. */

#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <nl-json.h>
#include <nl-results-read.h>

#include "nl-testutil.h"

static int
pop_index (NlResults *r, const char *name)
{
  for (guint i = 0; i < nl_results_get_n_pops (r); i++)
    if (g_str_equal (nl_results_get_pop_name (r, i), name))
      return (int) i;
  return -1;
}

static guint64
pop_spikes (NlResults *r, const char *name)
{
  int p = pop_index (r, name);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 n = 0;
  g_assert_cmpint (p, >=, 0);
  for (guint64 i = 0; i < nl_results_get_n_spikes (r); i++)
    n += nl_results_find_pop_of_gid (r, g[i]) == p;
  return n;
}

static guint
pop_cells (NlResults *r, const char *name)
{
  guint n = 0;
  int p = pop_index (r, name);
  g_assert_cmpint (p, >=, 0);
  nl_results_get_pop_gids (r, (guint) p, &n);
  return n;
}

static void
assert_sorted (NlResults *r)
{
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  for (guint64 i = 1; i < nl_results_get_n_spikes (r); i++)
    g_assert_true (t[i - 1] < t[i] || (t[i - 1] == t[i] && g[i - 1] <= g[i]));
}

static char *
write_tmp (const char *name, const char *data, gssize len)
{
  char *path = g_build_filename (nl_test_tmpdir (), name, NULL);
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return path;
}

/* Reading must fail with a GError whose message names the file. */
static void
assert_fails (const char *path, const char *also)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  if (!strstr (error->message, path))
    g_error ("error does not name %s: %s", path, error->message);
  if (also && !strstr (error->message, also))
    g_error ("error does not say '%s': %s", also, error->message);
}

static void
test_tut2 (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  guint64 nt, ns;
  guint32 gid;

  if (!path)
    return;
  r = nl_results_read (path, &error);
  g_assert_no_error (error);
  /* tut2_summary.json: 40 cells, 931 spikes, S 20 cells 204 spikes, M 20 cells 727 spikes. */
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, 40);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 931);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 2);
  g_assert_cmpuint (pop_cells (r, "S"), ==, 20);
  g_assert_cmpuint (pop_cells (r, "M"), ==, 20);
  g_assert_cmpuint (pop_spikes (r, "S"), ==, 204);
  g_assert_cmpuint (pop_spikes (r, "M"), ==, 727);
  g_assert_cmpfloat (nl_results_get_duration (r), ==, 1000.0);
  assert_sorted (r);
  /* NetPyNE recorded V_soma of cell 1 (recordCells [1]), 1000 ms every 0.1 ms: 10001 samples. */
  const double *t = nl_results_get_trace_time (r, &nt);
  g_assert_cmpuint (nt, ==, 10001);
  g_assert_cmpfloat (t[0], ==, 0.0);
  g_assert_cmpuint (nl_results_get_n_traces (r), ==, 1);
  g_assert_cmpstr (nl_results_get_trace_name (r, 0), ==, "V_soma");
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, 0), ==, 1);
  const double *v = nl_results_get_trace_values (r, 0, 0, &gid, &ns);
  g_assert_cmpuint (gid, ==, 1);
  g_assert_cmpuint (ns, ==, nt);
  g_assert_true (v[0] < -30 && v[0] > -100);
  JsonObject *meta = nl_results_get_meta (r);
  g_assert_cmpstr (json_object_get_string_member (meta, "format"), ==, "netpyne-json");
  g_assert_cmpstr (json_object_get_string_member (meta, "netpyne_version"), ==, "1.1.0");
}

static void
test_tut5 (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut5/tut5_data.json.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  /* tut5_summary.json */
  const struct { const char *pop; guint64 spikes; } want[] = {
    { "E2", 1133 }, { "I2", 925 }, { "E4", 1327 }, { "I4", 353 }, { "E5", 863 }, { "I5", 207 },
  };

  if (!path)
    return;
  r = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, 300);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 4808);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_assert_cmpuint (pop_cells (r, want[i].pop), ==, 50);
      g_assert_cmpuint (pop_spikes (r, want[i].pop), ==, want[i].spikes);
    }
  g_assert_cmpfloat (nl_results_get_duration (r), ==, 1000.0);
  assert_sorted (r);
  /* simData.V_soma is {} (no cell recorded): no trace. */
  g_assert_cmpuint (nl_results_get_n_traces (r), ==, 0);
}

static void
test_sonata_9cells (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/sonata/9_cells/output/spikes.h5");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;

  if (!path)
    return;
  r = nl_results_read (path, &error);
  g_assert_no_error (error);
  /* 78: from `h5dump -H spikes.h5` (hdf5-tools 1.10.8), /spikes/cortex/timestamps and node_ids
   * both DATASPACE SIMPLE { ( 78 ) / ( 78 ) }; node ids 0..8 (`h5dump -d
   * /spikes/cortex/node_ids`), one population "cortex", sorting "by_time". */
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 78);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 1);
  g_assert_cmpstr (nl_results_get_pop_name (r, 0), ==, "cortex");
  g_assert_cmpuint (pop_cells (r, "cortex"), ==, 9);
  g_assert_cmpuint (pop_spikes (r, "cortex"), ==, 78);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, 0);
  g_assert_true (isnan (nl_results_get_duration (r)));
  assert_sorted (r);
  JsonObject *meta = nl_results_get_meta (r);
  g_assert_cmpstr (json_object_get_string_member (meta, "format"), ==, "sonata");
  g_assert_cmpstr (json_object_get_string_member (meta, "sonata_version"), ==, "0.1");
}

/* A small saveData file written here: spikes unsorted, a trace without t, LFP. */
static void
test_json_synthetic (void)
{
  const char *text =
    "{\"netpyne_version\": \"1.0.6\", \"simConfig\": {\"duration\": 50, \"recordStep\": 0.5},\n"
    " \"net\": {\"pops\": {\"B\": {\"cellGids\": [2, 3], \"tags\": {}}, \"A\": {\"cellGids\": [0, 1]}}},\n"
    " \"simData\": {\"spkt\": [5.0, 1.5, 1.5, 0.25], \"spkid\": [3.0, 2, 0.0, 1.0],\n"
    "   \"V_soma\": {\"cell_0\": [1, 2, 3], \"cell_3\": [4, 5, 6]},\n"
    "   \"popRates\": {\"A\": 1.0}, \"avgRate\": 2.0, \"empty\": {},\n"
    "   \"LFP\": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]}}";
  g_autofree char *path = write_tmp ("synthetic.json", text, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  guint64 n, ns;
  guint ne;
  double dt;
  guint32 gid;

  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, 4);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 2);
  g_assert_cmpstr (nl_results_get_pop_name (r, 0), ==, "B");   /* file order */
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 4);
  g_assert_cmpfloat (nl_results_get_spike_times (r)[0], ==, 0.25);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[1], ==, 0);   /* (1.5, 0) before (1.5, 2) */
  g_assert_cmpuint (nl_results_get_spike_gids (r)[2], ==, 2);
  assert_sorted (r);
  g_assert_cmpuint (pop_spikes (r, "A"), ==, 2);
  g_assert_cmpuint (pop_spikes (r, "B"), ==, 2);
  g_assert_cmpfloat (nl_results_get_duration (r), ==, 50);
  const double *t = nl_results_get_trace_time (r, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (t[2], ==, 1.0);
  g_assert_cmpuint (nl_results_get_n_traces (r), ==, 1);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, 0), ==, 2);
  const double *v = nl_results_get_trace_values (r, 0, 1, &gid, &ns);
  g_assert_cmpuint (gid, ==, 3);
  g_assert_cmpfloat (v[2], ==, 6);
  const double *lfp = nl_results_get_lfp (r, &n, &ne, &dt);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (ne, ==, 2);
  g_assert_cmpfloat (dt, ==, 0.5);
  g_assert_cmpfloat (lfp[3], ==, 0.4);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "netpyne_version"), ==, "1.0.6");
}

static void
test_json_bad (void)
{
  static const struct { const char *name, *text, *also; } cases[] = {
    { "spkid-string.json", "{\"simData\": {\"spkt\": [1, 2], \"spkid\": [0, \"x\"]}}", "simData.spkid[1]" },
    { "spkid-negative.json", "{\"simData\": {\"spkt\": [1, 2], \"spkid\": [-1, 0]}}", "simData.spkid[0]" },
    { "spkid-fraction.json", "{\"simData\": {\"spkt\": [1], \"spkid\": [1.5]}}", "simData.spkid[0]" },
    { "spkid-huge.json", "{\"simData\": {\"spkt\": [1], \"spkid\": [1e300]}}", "simData.spkid[0]" },
    { "length.json", "{\"simData\": {\"spkt\": [1, 2, 3], \"spkid\": [0, 1]}}", "simData.spkt" },
    { "spkt-string.json", "{\"simData\": {\"spkt\": [1, \"2\"], \"spkid\": [0, 1]}}", "simData.spkt[1]" },
    { "spkt-object.json", "{\"simData\": {\"spkt\": {}, \"spkid\": []}}", "simData.spkt" },
    { "no-spkid.json", "{\"simData\": {\"spkt\": [1]}}", "simData.spkid" },
    { "trace.json", "{\"simData\": {\"V_soma\": {\"cell_0\": [1, null]}}}", "simData.V_soma.cell_0[1]" },
    { "pop.json", "{\"net\": {\"pops\": {\"E\": {\"cellGids\": [0, true]}}}}", "net.pops.E.cellGids[1]" },
    { "pops.json", "{\"net\": {\"pops\": [1]}}", "net.pops" },
    { "lfp.json", "{\"simData\": {\"LFP\": [[1, 2], [3]]}}", "simData.LFP[1]" },
    { "duration.json", "{\"simConfig\": {\"duration\": \"x\"}, \"simData\": {}}", "simConfig.duration" },
    { "model.json", "{\"netParams\": {}}", NULL },
    { "array.json", "[1, 2]", NULL },
    { "syntax.json", "{\"simData\": {\"spkt\": [1,", NULL },
    { "empty.json", "", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_tmp (cases[i].name, cases[i].text, -1);
      assert_fails (path, cases[i].also);
    }
}

static void
test_truncated_gzip (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *data = NULL;
  gsize len;

  if (!path)
    return;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_autofree char *half = write_tmp ("truncated.json.gz", data, len / 2);
  assert_fails (half, NULL);
  /* Flip bytes in the middle of the compressed stream. */
  for (gsize i = len / 2; i < len / 2 + 64; i++)
    data[i] ^= 0x5a;
  g_autofree char *bad = write_tmp ("corrupt.json.gz", data, len);
  assert_fails (bad, NULL);
}

static void
test_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 buf[4096];
  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
  buf[0] = 0xff;   /* not a gzip/pickle/JSON start by chance */
  g_autofree char *path = write_tmp ("random.bin", (const char *) buf, sizeof buf);
  assert_fails (path, NULL);
  g_autofree char *missing = g_build_filename (nl_test_tmpdir (), "does-not-exist.json", NULL);
  assert_fails (missing, NULL);
}

/* Writes a SONATA spikes file with the HDF5 C API: one population per entry. */
typedef struct {
  const char *name;
  const char *sorting;      /* NULL: none written; "enum:by_id": an enum attribute */
  gboolean    signed_ids;
  const char *units;
  guint       n;
  const double *t;
  const gint64 *ids;
} PopSpec;

static char *
write_sonata (const char *name, guint32 magic, const PopSpec *pops, guint n_pops)
{
  char *path = g_build_filename (nl_test_tmpdir (), name, NULL);
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t scalar = H5Screate (H5S_SCALAR);
  hsize_t two = 2;
  hid_t vs = H5Screate_simple (1, &two, NULL);
  guint32 version[2] = { 0, 1 };
  hid_t a = H5Acreate2 (f, "magic", H5T_STD_U32LE, scalar, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite (a, H5T_NATIVE_UINT32, &magic);
  H5Aclose (a);
  a = H5Acreate2 (f, "version", H5T_STD_U32LE, vs, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite (a, H5T_NATIVE_UINT32, version);
  H5Aclose (a);
  hid_t spikes = H5Gcreate2 (f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (guint p = 0; p < n_pops; p++)
    {
      hid_t g = H5Gcreate2 (spikes, pops[p].name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      hsize_t n = pops[p].n;
      hid_t sp = H5Screate_simple (1, &n, NULL);
      if (pops[p].sorting && g_str_has_prefix (pops[p].sorting, "enum:"))
        {
          hid_t et = H5Tenum_create (H5T_NATIVE_UINT8);
          guint8 v0 = 0, v1 = 1, v2 = 2;
          H5Tenum_insert (et, "none", &v0);
          H5Tenum_insert (et, "by_id", &v1);
          H5Tenum_insert (et, "by_time", &v2);
          guint8 val = g_str_equal (pops[p].sorting + 5, "by_id") ? 1 : g_str_equal (pops[p].sorting + 5, "by_time") ? 2 : 0;
          a = H5Acreate2 (g, "sorting", et, scalar, H5P_DEFAULT, H5P_DEFAULT);
          H5Awrite (a, et, &val);
          H5Aclose (a);
          H5Tclose (et);
        }
      else if (pops[p].sorting)
        {
          hid_t st = H5Tcopy (H5T_C_S1);
          H5Tset_size (st, H5T_VARIABLE);
          a = H5Acreate2 (g, "sorting", st, scalar, H5P_DEFAULT, H5P_DEFAULT);
          H5Awrite (a, st, &pops[p].sorting);
          H5Aclose (a);
          H5Tclose (st);
        }
      hid_t d = H5Dcreate2 (g, "timestamps", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (n)
        H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, pops[p].t);
      if (pops[p].units)
        {
          hid_t st = H5Tcopy (H5T_C_S1);
          H5Tset_size (st, strlen (pops[p].units));
          a = H5Acreate2 (d, "units", st, scalar, H5P_DEFAULT, H5P_DEFAULT);
          H5Awrite (a, st, pops[p].units);
          H5Aclose (a);
          H5Tclose (st);
        }
      H5Dclose (d);
      d = H5Dcreate2 (g, "node_ids", pops[p].signed_ids ? H5T_STD_I64LE : H5T_STD_U64LE, sp,
                      H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (n)
        H5Dwrite (d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, pops[p].ids);
      H5Dclose (d);
      H5Sclose (sp);
      H5Gclose (g);
    }
  H5Gclose (spikes);
  H5Sclose (vs);
  H5Sclose (scalar);
  H5Fclose (f);
  return path;
}

static void
test_sonata_synthetic (void)
{
  const double ta[] = { 3.0, 1.0, 2.0 }, tb[] = { 0.001, 0.002 };
  const gint64 ia[] = { 4, 0, 2 }, ib[] = { 1, 0 };
  /* Name order: "a" then "b"; "b" is offset by a's largest id + 1 = 5. */
  const PopSpec pops[] = {
    { "b", "enum:by_id", TRUE, "s", 2, tb, ib },
    { "a", "by_time", FALSE, "ms", 3, ta, ia },
  };
  g_autofree char *path = write_sonata ("two.h5", 0x0A7A, pops, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  const guint32 *gids;
  guint n;

  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_pops (r), ==, 2);
  g_assert_cmpstr (nl_results_get_pop_name (r, 0), ==, "a");
  gids = nl_results_get_pop_gids (r, 1, &n);
  g_assert_cmpstr (nl_results_get_pop_name (r, 1), ==, "b");
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (gids[0], ==, 5);
  g_assert_cmpuint (pop_cells (r, "a"), ==, 5);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 5);
  /* b's times were in seconds: 1 ms (gid 6) and 2 ms (gid 5). */
  g_assert_cmpfloat (nl_results_get_spike_times (r)[0], ==, 1.0);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[0], ==, 0);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[1], ==, 6);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[2], ==, 2);   /* (2 ms, 2) before (2 ms, 5) */
  g_assert_cmpuint (nl_results_get_spike_gids (r)[3], ==, 5);
  assert_sorted (r);
  JsonObject *sorting = json_object_get_object_member (nl_results_get_meta (r), "sonata_sorting");
  g_assert_cmpstr (json_object_get_string_member (sorting, "b"), ==, "by_id");
  g_assert_cmpstr (json_object_get_string_member (sorting, "a"), ==, "by_time");
}

static void
test_sonata_bad (void)
{
  const double t[] = { 1, 2 };
  const gint64 neg[] = { 0, -3 }, ok[] = { 0, 1 };
  PopSpec p = { "x", "by_time", TRUE, NULL, 2, t, neg };
  g_autofree char *negative = write_sonata ("negative.h5", 0x0A7A, &p, 1);
  assert_fails (negative, "/spikes/x/node_ids[1]");

  p.ids = ok;
  g_autofree char *magic = write_sonata ("magic.h5", 0x1234, &p, 1);
  assert_fails (magic, "magic");

  p.sorting = "sideways";
  g_autofree char *sorting = write_sonata ("sorting.h5", 0x0A7A, &p, 1);
  assert_fails (sorting, "/spikes/x");

  p.sorting = NULL;
  p.units = "hours";
  g_autofree char *units = write_sonata ("units.h5", 0x0A7A, &p, 1);
  assert_fails (units, "/spikes/x/timestamps");

  /* A dataset declaring 2^30 values (storage never written) in a small file. */
  {
    g_autofree char *path = g_build_filename (nl_test_tmpdir (), "huge.h5", NULL);
    hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2 (f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t pg = H5Gcreate2 (g, "big", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t n = G_GUINT64_CONSTANT (1) << 30, chunk = 1024;
    hid_t sp = H5Screate_simple (1, &n, NULL);
    hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE);
    H5Pset_chunk (dcpl, 1, &chunk);
    hid_t d = H5Dcreate2 (pg, "timestamps", H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose (d);
    d = H5Dcreate2 (pg, "node_ids", H5T_STD_U64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose (d);
    H5Pclose (dcpl);
    H5Sclose (sp);
    H5Gclose (pg);
    H5Gclose (g);
    H5Fclose (f);
    assert_fails (path, "/spikes/big/timestamps");
  }

  /* Wrong types: node_ids as floats. */
  {
    g_autofree char *path = g_build_filename (nl_test_tmpdir (), "types.h5", NULL);
    hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2 (f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t pg = H5Gcreate2 (g, "p", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t n = 2;
    hid_t sp = H5Screate_simple (1, &n, NULL);
    hid_t d = H5Dcreate2 (pg, "timestamps", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t);
    H5Dclose (d);
    d = H5Dcreate2 (pg, "node_ids", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t);
    H5Dclose (d);
    H5Sclose (sp);
    H5Gclose (pg);
    H5Gclose (g);
    H5Fclose (f);
    assert_fails (path, "/spikes/p/node_ids");
  }

  /* HDF5 without /spikes: another layout, not supported yet. */
  {
    g_autofree char *path = g_build_filename (nl_test_tmpdir (), "other.h5", NULL);
    hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose (f);
    g_autoptr(GError) error = NULL;
    g_autoptr(NlResults) r = nl_results_read (path, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    g_assert_nonnull (strstr (error->message, path));
  }
}

static void
test_hdf5_truncated (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/sonata/9_cells/output/spikes.h5");
  g_autofree char *data = NULL;
  gsize len;

  if (!path)
    return;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize cut = len / 4; cut < len; cut += len / 4)
    {
      g_autofree char *name = g_strdup_printf ("spikes-cut-%zu.h5", cut);
      g_autofree char *trunc = write_tmp (name, data, cut);
      assert_fails (trunc, NULL);
    }
  /* Garbage over everything after the superblock. */
  for (gsize i = 96; i < len; i++)
    data[i] ^= 0xa5;
  g_autofree char *garbled = write_tmp ("spikes-garbled.h5", data, len);
  assert_fails (garbled, NULL);
}

/* MAT files go to their reader (tests/test-mat.c tests it). */
static void
test_mat_dispatch (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.mat");
  g_autoptr(GError) error = NULL;
  if (!path)
    return;
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 931);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, "netpyne-mat");
}

static void
test_cli_info (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!path)
    return;
  const char *argv[] = { "info", "--json", path, NULL };
  g_assert_cmpint (nl_test_run_cli (argv, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (o), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "netpyne-json");
  g_assert_cmpint (json_object_get_int_member (o, "cells"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (o, "spikes"), ==, 931);
  g_assert_cmpfloat (json_object_get_double_member (o, "duration_ms"), ==, 1000.0);
  JsonObject *pops = json_object_get_object_member (o, "pops");
  g_assert_cmpuint (json_object_get_size (pops), ==, 2);
  JsonObject *s = json_object_get_object_member (pops, "S");
  JsonObject *m = json_object_get_object_member (pops, "M");
  g_assert_cmpint (json_object_get_int_member (s, "cells"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (s, "spikes"), ==, 204);
  g_assert_cmpint (json_object_get_int_member (m, "cells"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (m, "spikes"), ==, 727);
  JsonArray *traces = json_object_get_array_member (o, "traces");
  g_assert_cmpuint (json_array_get_length (traces), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (traces, 0), ==, "V_soma");
  g_assert_true (json_object_get_null_member (o, "lfp"));

  g_clear_pointer (&out, g_free);
  const char *text[] = { "info", path, NULL };
  g_assert_cmpint (nl_test_run_cli (text, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "spikes: 931"));

  g_autofree char *bad = write_tmp ("cli-bad.json", "{\"simData\": {\"spkt\": [1], \"spkid\": [-1]}}", -1);
  const char *invalid[] = { "info", bad, NULL };
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (nl_test_run_cli (invalid, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  const char *usage[] = { "info", NULL };
  g_assert_cmpint (nl_test_run_cli (usage, NULL, NULL), ==, 2);
  const char *usage2[] = { "info", "--bogus", path, NULL };
  g_assert_cmpint (nl_test_run_cli (usage2, NULL, NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results-read/tut2", test_tut2);
  g_test_add_func ("/results-read/tut5", test_tut5);
  g_test_add_func ("/results-read/sonata-9cells", test_sonata_9cells);
  g_test_add_func ("/results-read/json-synthetic", test_json_synthetic);
  g_test_add_func ("/results-read/json-bad", test_json_bad);
  g_test_add_func ("/results-read/truncated-gzip", test_truncated_gzip);
  g_test_add_func ("/results-read/random-bytes", test_random_bytes);
  g_test_add_func ("/results-read/sonata-synthetic", test_sonata_synthetic);
  g_test_add_func ("/results-read/sonata-bad", test_sonata_bad);
  g_test_add_func ("/results-read/hdf5-truncated", test_hdf5_truncated);
  g_test_add_func ("/results-read/mat-dispatch", test_mat_dispatch);
  g_test_add_func ("/results-read/cli-info", test_cli_info);
  return g_test_run ();
}
