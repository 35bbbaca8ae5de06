/* data/nl-results-write: NetPyNE JSON, CSV and SONATA writers round-tripped through the
 * readers, spike CSV variants, atomic writes, `netloom convert`. */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <nl-results-read.h>
#include <nl-results-write.h>
#include <nl-signal-csv.h>

#include "nl-testutil.h"

static char *
tmp_path (const char *name)
{
  return g_build_filename (nl_test_tmpdir (), name, NULL);
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
write_ok (NlResults *r, const char *path, const char *format)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = nl_results_write (r, path, format, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
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

static void
assert_same_pops (NlResults *a, NlResults *b)
{
  g_assert_cmpuint (nl_results_get_n_pops (a), ==, nl_results_get_n_pops (b));
  for (guint p = 0; p < nl_results_get_n_pops (a); p++)
    {
      guint na, nb;
      const guint32 *ga = nl_results_get_pop_gids (a, p, &na);
      const guint32 *gb = nl_results_get_pop_gids (b, p, &nb);
      g_assert_cmpstr (nl_results_get_pop_name (a, p), ==, nl_results_get_pop_name (b, p));
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
assert_same_duration (NlResults *a, NlResults *b)
{
  double d1 = nl_results_get_duration (a), d2 = nl_results_get_duration (b);
  g_assert_true ((isnan (d1) && isnan (d2)) || memcmp (&d1, &d2, sizeof d1) == 0);
}

static void
json_round_trip (const char *name)
{
  g_autofree char *src = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!src)
    return;
  g_autoptr(NlResults) a = read_ok (src);
  g_autofree char *out = tmp_path (name);
  write_ok (a, out, NULL);
  g_autoptr(NlResults) b = read_ok (out);
  g_assert_cmpuint (nl_results_get_n_spikes (a), ==, 931);
  assert_same_spikes (a, b);
  assert_same_pops (a, b);
  assert_same_traces (a, b);
  assert_same_duration (a, b);
  g_assert_cmpuint (nl_results_get_n_cells (a), ==, nl_results_get_n_cells (b));
  g_assert_cmpuint (nl_results_get_n_traces (b), ==, 1);
}

static void
test_json (void)
{
  json_round_trip ("tut2.json");
}

static void
test_json_gz (void)
{
  json_round_trip ("tut2.json.gz");
}

/* LFP and a synthetic set of awkward doubles survive the JSON writer bit-exactly. */
static void
test_json_synthetic (void)
{
  g_autoptr(NlResults) a = nl_results_new ();
  guint32 pa[] = { 0, 1, 2 };
  double *t = g_new (double, 4), *lfp = g_new (double, 6), *tt = g_new (double, 2), *v = g_new (double, 2);
  guint32 *g = g_new (guint32, 4);
  t[0] = 0.1; t[1] = 1.0 / 3; t[2] = 5e-324; t[3] = 1e300;
  g[0] = 2; g[1] = 0; g[2] = 1; g[3] = 2;
  for (int i = 0; i < 6; i++)
    lfp[i] = -i * 0.7 + 1e-17;
  tt[0] = 0; tt[1] = 0.025;
  v[0] = -65.123456789012345; v[1] = -0.0;
  nl_results_add_pop (a, "E \"quoted\" é", pa, 3);
  nl_results_set_spikes (a, t, g, 4);
  nl_results_set_duration (a, 12.5);
  nl_results_set_trace_time (a, tt, 2);
  nl_results_add_trace (a, "V_soma", 1, v, 2);
  nl_results_set_lfp (a, lfp, 3, 2, 0.1);
  g_autofree char *out = tmp_path ("synthetic.json");
  write_ok (a, out, "netpyne-json");
  g_autoptr(NlResults) b = read_ok (out);
  assert_same_spikes (a, b);
  assert_same_pops (a, b);
  assert_same_traces (a, b);
  assert_same_duration (a, b);
  guint64 n1, n2;
  guint e1, e2;
  double d1, d2;
  const double *l1 = nl_results_get_lfp (a, &n1, &e1, &d1);
  const double *l2 = nl_results_get_lfp (b, &n2, &e2, &d2);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpuint (e1, ==, e2);
  g_assert_cmpfloat (d1, ==, d2);
  g_assert_true (memcmp (l1, l2, n1 * e1 * sizeof (double)) == 0);
}

static void
test_csv (void)
{
  g_autofree char *src = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!src)
    return;
  g_autoptr(NlResults) a = read_ok (src);
  g_autofree char *out = tmp_path ("tut2.csv");
  write_ok (a, out, NULL);
  g_autoptr(NlResults) b = read_ok (out);
  assert_same_spikes (a, b);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "t_ms,gid\n"));
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (b), "format"), ==, "csv");
}

/* tut2's populations are not in gid order by name (M = 20..39, S = 0..19), and SONATA counts
 * node ids from 0 in each population; NetLoom's netloom_gids dataset gives the gids back:
 * the round trip is exact (times bit for bit, gids, populations). */
static void
test_sonata_tut2 (void)
{
  g_autofree char *src = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!src)
    return;
  g_autoptr(NlResults) a = read_ok (src);
  g_autofree char *out = tmp_path ("tut2.sonata.h5");
  g_assert_true (nl_sonata_write_keeps_gids (a));
  write_ok (a, out, NULL);
  g_autoptr(NlResults) b = read_ok (out);
  guint64 n = nl_results_get_n_spikes (a);
  g_assert_cmpuint (n, ==, nl_results_get_n_spikes (b));
  g_assert_true (memcmp (nl_results_get_spike_times (a), nl_results_get_spike_times (b),
                         n * sizeof (double)) == 0);
  g_assert_true (memcmp (nl_results_get_spike_gids (a), nl_results_get_spike_gids (b),
                         n * sizeof (guint32)) == 0);
  g_assert_cmpuint (nl_results_get_n_pops (b), ==, 2);
  for (guint p = 0; p < 2; p++)
    {
      const char *name = nl_results_get_pop_name (b, p);
      guint nb, na = 0;
      const guint32 *gb = nl_results_get_pop_gids (b, p, &nb);
      const guint32 *ga = NULL;
      for (guint q = 0; q < nl_results_get_n_pops (a); q++)
        if (g_str_equal (nl_results_get_pop_name (a, q), name))
          ga = nl_results_get_pop_gids (a, q, &na);
      g_assert_nonnull (ga);
      g_assert_cmpuint (na, ==, nb);
      g_assert_true (memcmp (ga, gb, na * sizeof (guint32)) == 0);
    }
}

/* Populations in gid order by name, first and last cells spiking: spikes and populations
 * come back exactly; a silent last cell still keeps every spike's gid. */
static void
test_sonata_exact (void)
{
  g_autoptr(NlResults) a = nl_results_new ();
  guint32 pa[10], pb[10];
  double *t = g_new (double, 6);
  guint32 *g = g_new (guint32, 6);
  for (int i = 0; i < 10; i++)
    pa[i] = i, pb[i] = 10 + i;
  nl_results_add_pop (a, "A", pa, 10);
  nl_results_add_pop (a, "B", pb, 10);
  double ts[] = { 0.1, 0.1, 2.5, 3.0 / 7, 9.75, 1e-3 };
  guint32 gs[] = { 0, 9, 10, 19, 15, 3 };
  memcpy (t, ts, sizeof ts);
  memcpy (g, gs, sizeof gs);
  nl_results_set_spikes (a, t, g, 6);
  g_assert_true (nl_sonata_write_keeps_gids (a));
  g_autofree char *out = tmp_path ("exact.sonata.h5");
  write_ok (a, out, "sonata");
  g_autoptr(NlResults) b = read_ok (out);
  assert_same_spikes (a, b);
  assert_same_pops (a, b);

  /* Only spikes of 3..7 and 12..14: gids still exact. */
  g_autoptr(NlResults) c = nl_results_new ();
  nl_results_add_pop (c, "A", pa, 10);
  nl_results_add_pop (c, "B", pb, 10);
  t = g_new (double, 3);
  g = g_new (guint32, 3);
  t[0] = 1; t[1] = 2; t[2] = 3;
  g[0] = 3; g[1] = 7; g[2] = 12;
  nl_results_set_spikes (c, t, g, 3);
  g_assert_true (nl_sonata_write_keeps_gids (c));
  write_ok (c, out, "sonata");
  g_autoptr(NlResults) d = read_ok (out);
  assert_same_spikes (c, d);

  /* No populations: one population "all", node ids = gids. */
  g_autoptr(NlResults) e = nl_results_new ();
  t = g_new (double, 2);
  g = g_new (guint32, 2);
  t[0] = 1; t[1] = 2;
  g[0] = 30; g[1] = 4;
  nl_results_set_spikes (e, t, g, 2);
  write_ok (e, out, "sonata");
  g_autoptr(NlResults) f = read_ok (out);
  assert_same_spikes (e, f);
  g_assert_cmpstr (nl_results_get_pop_name (f, 0), ==, "all");
}

static void
test_sonata_9cells (void)
{
  g_autofree char *src = nl_test_shared_file ("reference/sonata/9_cells/output/spikes.h5");
  if (!src)
    return;
  g_autoptr(NlResults) a = read_ok (src);
  const char *outs[] = { "9cells.json", "9cells.json.gz", "9cells.sonata.h5", "9cells.csv" };
  for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
    {
      g_autofree char *out = tmp_path (outs[i]);
      write_ok (a, out, NULL);
      g_autoptr(NlResults) b = read_ok (out);
      assert_same_spikes (a, b);
      if (!g_str_has_suffix (out, ".csv"))
        assert_same_pops (a, b);
    }
}

static char *
write_text (const char *name, const char *text)
{
  char *path = tmp_path (name);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
check_two_spikes (NlResults *r)
{
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 2);
  g_assert_cmpfloat (nl_results_get_spike_times (r)[0], ==, 1.5);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[0], ==, 7);
  g_assert_cmpfloat (nl_results_get_spike_times (r)[1], ==, 2.25);
  g_assert_cmpuint (nl_results_get_spike_gids (r)[1], ==, 3);
}

static void
test_csv_variants (void)
{
  g_autoptr(GError) error = NULL;
  {
    g_autofree char *p = write_text ("swapped.csv", "gid,t_ms\r\n3,2.25\r\n7,1.5\r\n");
    g_autoptr(NlResults) r = read_ok (p);
    check_two_spikes (r);
  }
  {
    g_autofree char *p = write_text ("names.csv", "\"spkid\";\"spkt\"\n3;2.25\n7;1.5\n");
    g_autoptr(NlResults) r = read_ok (p);
    check_two_spikes (r);
  }
  {
    g_autofree char *p = write_text ("custom.csv", "neuron,when,extra\n3,2.25,x\n7,1.5,y\n");
    g_autoptr(NlResults) r = nl_spikes_csv_read (p, 1, 0, &error);
    g_assert_no_error (error);
    check_two_spikes (r);
    g_autoptr(NlResults) bad = nl_results_read (p, &error);
    g_assert_null (bad);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, ":1:"));
    g_clear_error (&error);
  }
  {
    g_autofree char *p = write_text ("noheader.csv", "2.25,3\n1.5,7\n");
    g_autoptr(NlResults) r = nl_spikes_csv_read (p, 0, 1, &error);
    g_assert_no_error (error);
    check_two_spikes (r);
    g_autoptr(NlResults) bad = nl_results_read (p, &error);
    g_assert_null (bad);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }
  {
    g_autofree char *p = write_text ("bad.csv", "t_ms,gid\n1.5,7\n\n2.25,3\n3.0,seven\n");
    g_autoptr(NlResults) r = nl_results_read (p, &error);
    g_assert_null (r);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_autofree char *where = g_strdup_printf ("%s:5:", p);
    if (!strstr (error->message, where))
      g_error ("no line number: %s", error->message);
    g_clear_error (&error);
  }
  {
    g_autofree char *p = write_text ("neg.csv", "t_ms,gid\n1.5,-1\n");
    g_autoptr(NlResults) r = nl_results_read (p, &error);
    g_assert_null (r);
    g_assert_nonnull (strstr (error->message, ":2:"));
    g_clear_error (&error);
  }
  {
    g_autofree char *p = write_text ("short.csv", "t_ms,gid\n1.5\n");
    g_autoptr(NlResults) r = nl_results_read (p, &error);
    g_assert_null (r);
    g_assert_nonnull (strstr (error->message, ":2:"));
    g_clear_error (&error);
  }
  {
    g_autofree char *p = write_text ("empty-spikes.csv", "t_ms,gid\n");
    g_autoptr(NlResults) r = read_ok (p);
    g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 0);
  }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static void
test_missing_folder (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const char *names[] = { "a.json", "a.json.gz", "a.csv", "a.sonata.h5" };
  g_autofree char *dir = tmp_path ("missing");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *p = g_build_filename (dir, names[i], NULL);
      g_assert_false (nl_results_write (r, p, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, p));
      g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
    }
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *p = tmp_path ("a.txt");
    g_assert_false (nl_results_write (r, p, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
}

/* The writer runs out of room mid-way (RLIMIT_FSIZE): exit 3, the old OUT untouched, no
 * temporary file left behind. */
static void
limit_file_size (gpointer data)
{
  struct rlimit rl = { 8192, 8192 };
  (void) data;
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &rl);
}

static int
run_limited (const char *const *args, char **err)
{
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                                | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) g_getenv ("NETLOOM_CLI"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (l, limit_file_size, NULL, NULL);
  g_autoptr(GSubprocess) p = g_subprocess_launcher_spawnv (l, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, NULL, NULL, NULL, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  return g_subprocess_get_exit_status (p);
}

static void
test_keep_existing (void)
{
  g_autofree char *src = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!src)
    return;
  const char *names[] = { "keep.json", "keep.csv", "keep.sonata.h5" };
  g_autofree char *dir = tmp_path ("keep");
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *out = g_build_filename (dir, names[i], NULL);
      g_autofree char *err = NULL, *text = NULL;
      g_assert_true (g_file_set_contents (out, "previous contents\n", -1, NULL));
      const char *args[] = { "convert", src, out, NULL };
      g_assert_cmpint (run_limited (args, &err), ==, 3);
      g_assert_nonnull (strstr (err, out));
      g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "previous contents\n");
      g_assert_cmpuint (count_files (dir), ==, i + 1);

      /* Unreadable input: exit 1, OUT untouched. */
      g_autofree char *missing = tmp_path ("no-such-input.json");
      const char *args2[] = { "convert", missing, out, NULL };
      g_clear_pointer (&text, g_free);
      g_assert_cmpint (nl_test_run_cli (args2, NULL, NULL), ==, 1);
      g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "previous contents\n");
    }
}

static void
test_cli (void)
{
  g_autofree char *src = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  if (!src)
    return;
  g_autofree char *out = tmp_path ("cli.csv");
  g_autofree char *json = tmp_path ("cli-as-json.dat");
  g_autofree char *bad = write_text ("cli-bad.csv", "t_ms,gid\n1,x\n");
  g_autofree char *cols = write_text ("cli-cols.csv", "7,1.5\n3,2.25\n");
  g_autofree char *missing_dir = tmp_path ("nowhere/out.json");
  g_autofree char *err = NULL;
  {
    const char *a[] = { "convert", src, out, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 0);
    g_autoptr(NlResults) r = read_ok (out);
    g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 931);
  }
  {
    const char *a[] = { "convert", "--to", "netpyne-json", src, json, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 0);
    g_autoptr(NlResults) r = read_ok (json);
    g_assert_cmpuint (nl_results_get_n_pops (r), ==, 2);
  }
  {
    const char *a[] = { "convert", "--columns", "2,1", cols, out, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 0);
    g_autoptr(NlResults) r = read_ok (out);
    check_two_spikes (r);
  }
  {
    const char *a[] = { "convert", src, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 2);
  }
  {
    const char *a[] = { "convert", "--to", "xls", src, out, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 2);
  }
  {
    const char *a[] = { "convert", src, json, NULL };   /* .dat: format unknown */
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 2);
  }
  {
    const char *a[] = { "convert", bad, out, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, ":2:"));
  }
  {
    const char *a[] = { "convert", src, missing_dir, NULL };
    g_assert_cmpint (nl_test_run_cli (a, NULL, NULL), ==, 3);
    g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  }
}

/* A folder of CSVs: spikes.csv and one CSV per trace, read back exactly. */
static void
test_csv_dir (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "csvdir", NULL);
  g_autofree char *spikes = g_build_filename (dir, "spikes.csv", NULL);
  g_autofree char *vsoma = g_build_filename (dir, "V_soma.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL, back = NULL;
  g_autoptr(NlSignals) sig = NULL;
  guint64 n_t;
  guint32 gid;
  guint64 n;
  const double *t, *v;

  if (!path)
    return;
  r = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_true (nl_results_write_csv_dir (r, dir, NULL, &error));
  g_assert_no_error (error);
  back = nl_spikes_csv_read (spikes, -1, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (back), ==, nl_results_get_n_spikes (r));
  for (guint64 i = 0; i < nl_results_get_n_spikes (r); i++)
    {
      g_assert_cmpfloat (nl_results_get_spike_times (back)[i], ==, nl_results_get_spike_times (r)[i]);
      g_assert_cmpuint (nl_results_get_spike_gids (back)[i], ==, nl_results_get_spike_gids (r)[i]);
    }
  sig = nl_signals_csv_read (vsoma, &error);
  g_assert_no_error (error);
  t = nl_results_get_trace_time (r, &n_t);
  v = nl_results_get_trace_values (r, 0, 0, &gid, &n);
  g_assert_cmpuint (sig->n_channels, ==, 2);
  g_assert_cmpuint (sig->n_samples, ==, n_t);
  g_assert_cmpstr (sig->names[1], ==, "cell_1");
  for (guint64 i = 0; i < n_t; i++)
    {
      g_assert_cmpfloat (nl_signals_channel (sig, 0)[i], ==, t[i]);
      g_assert_cmpfloat (nl_signals_channel (sig, 1)[i], ==, v[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results-write/json", test_json);
  g_test_add_func ("/results-write/json-gz", test_json_gz);
  g_test_add_func ("/results-write/json-synthetic", test_json_synthetic);
  g_test_add_func ("/results-write/csv", test_csv);
  g_test_add_func ("/results-write/sonata-tut2", test_sonata_tut2);
  g_test_add_func ("/results-write/sonata-exact", test_sonata_exact);
  g_test_add_func ("/results-write/sonata-9cells", test_sonata_9cells);
  g_test_add_func ("/results-write/csv-variants", test_csv_variants);
  g_test_add_func ("/results-write/missing-folder", test_missing_folder);
  g_test_add_func ("/results-write/keep-existing", test_keep_existing);
  g_test_add_func ("/results-write/cli", test_cli);
  g_test_add_func ("/results-write/csv-dir", test_csv_dir);
  return g_test_run ();
}
