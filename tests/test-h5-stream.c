/* The streaming .h5 writer (nl_h5_writer_*): files equal, dataset for dataset and through
 * nl_h5_read_results, to what nl_h5_write makes of the same results (tut2's, and synthetic
 * ones added in uneven pieces), bad input refused before anything is written, and the
 * previous file intact when a writer is abandoned or killed mid-way. */

#include <nl-build.h>
#include <nl-h5.h>
#include <nl-h5-private.h>
#include <nl-results-read.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl-testutil.h"

static char *
tmp_path (const char *name)
{
  return g_build_filename (nl_test_tmpdir (), name, NULL);
}

/* ---- Two files compared object by object ---- */

typedef struct {
  hid_t  other;
  guint  n_datasets;
  guint  n_objects;
} Cmp;

static void
assert_same_attrs (hid_t a, hid_t b, const char *path)
{
  H5O_info_t ia, ib;
  g_assert_cmpint (H5Oget_info2 (a, &ia, H5O_INFO_NUM_ATTRS), >=, 0);
  g_assert_cmpint (H5Oget_info2 (b, &ib, H5O_INFO_NUM_ATTRS), >=, 0);
  if (ia.num_attrs != ib.num_attrs)
    g_error ("%s: %" G_GUINT64_FORMAT " vs %" G_GUINT64_FORMAT " attributes", path, (guint64) ia.num_attrs,
             (guint64) ib.num_attrs);
  for (hsize_t i = 0; i < ia.num_attrs; i++)
    {
      hid_t x = H5Aopen_by_idx (a, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT);
      char name[256];
      H5Aget_name (x, sizeof name, name);
      g_assert_true (H5Aexists (b, name) > 0);
      if (g_str_equal (name, "created"))
        {
          H5Aclose (x);
          continue;
        }
      hid_t y = H5Aopen (b, name, H5P_DEFAULT);
      hid_t tx = H5Aget_type (x), ty = H5Aget_type (y);
      g_assert_true (H5Tequal (tx, ty) > 0);
      size_t sz = H5Tget_size (tx);
      g_autofree guint8 *bx = g_malloc0 (sz), *by = g_malloc0 (sz);
      H5Aread (x, tx, bx);
      H5Aread (y, ty, by);
      if (memcmp (bx, by, sz) != 0)
        g_error ("%s attribute %s differs", path, name);
      H5Tclose (tx);
      H5Tclose (ty);
      H5Aclose (x);
      H5Aclose (y);
    }
}

static herr_t
cmp_visit (hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
  Cmp *c = data;
  c->n_objects++;
  g_assert_true (g_str_equal (name, ".") || H5Lexists (c->other, name, H5P_DEFAULT) > 0);
  hid_t a = H5Oopen (obj, name, H5P_DEFAULT), b = H5Oopen (c->other, name, H5P_DEFAULT);
  g_assert_cmpint (a, >=, 0);
  g_assert_cmpint (b, >=, 0);
  assert_same_attrs (a, b, name);
  if (info->type == H5O_TYPE_DATASET)
    {
      hid_t ta = H5Dget_type (a), tb = H5Dget_type (b), sa = H5Dget_space (a), sb = H5Dget_space (b);
      g_assert_true (H5Tequal (ta, tb) > 0);
      /* Same shape (the streamed spike columns differ only in being extensible). */
      hsize_t da[4] = { 0 }, db[4] = { 0 };
      g_assert_cmpint (H5Sget_simple_extent_ndims (sa), ==, H5Sget_simple_extent_ndims (sb));
      H5Sget_simple_extent_dims (sa, da, NULL);
      H5Sget_simple_extent_dims (sb, db, NULL);
      g_assert_cmpint (memcmp (da, db, sizeof da), ==, 0);
      hssize_t n = H5Sget_simple_extent_npoints (sa);
      size_t sz = H5Tget_size (ta);
      g_autofree guint8 *x = g_malloc0 (MAX (n, 1) * sz), *y = g_malloc0 (MAX (n, 1) * sz);
      if (n > 0)
        {
          g_assert_cmpint (H5Dread (a, ta, H5S_ALL, H5S_ALL, H5P_DEFAULT, x), >=, 0);
          g_assert_cmpint (H5Dread (b, tb, H5S_ALL, H5S_ALL, H5P_DEFAULT, y), >=, 0);
        }
      if (memcmp (x, y, MAX (n, 0) * sz) != 0)
        g_error ("dataset %s differs", name);
      c->n_datasets++;
      H5Tclose (ta);
      H5Tclose (tb);
      H5Sclose (sa);
      H5Sclose (sb);
    }
  H5Oclose (a);
  H5Oclose (b);
  return 0;
}

static herr_t
count_visit (hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
  (*(guint *) data)++;
  return 0;
}

/* Every object, attribute (but the creation time) and dataset value of `a` equal in `b`,
 * and as many objects in both. */
static guint
assert_same_files (const char *pa, const char *pb)
{
  nl_h5_init ();
  hid_t a = H5Fopen (pa, H5F_ACC_RDONLY, H5P_DEFAULT), b = H5Fopen (pb, H5F_ACC_RDONLY, H5P_DEFAULT);
  Cmp c = { b, 0, 0 };
  guint nb = 0;
  g_assert_cmpint (a, >=, 0);
  g_assert_cmpint (b, >=, 0);
  g_assert_cmpint (H5Ovisit2 (a, H5_INDEX_NAME, H5_ITER_INC, cmp_visit, &c, H5O_INFO_BASIC), >=, 0);
  g_assert_cmpint (H5Ovisit2 (b, H5_INDEX_NAME, H5_ITER_INC, count_visit, &nb, H5O_INFO_BASIC), >=, 0);
  g_assert_cmpuint (c.n_objects, ==, nb);
  H5Fclose (a);
  H5Fclose (b);
  return c.n_datasets;
}

/* ---- Results ---- */

/* Everything of `r` but its spikes (what a run hands the writer at the end). */
static NlResults *
rest_of (NlResults *r)
{
  NlResults *o = nl_results_new ();
  guint64 n;
  guint ne, nx;
  double dt;
  const double *v;

  nl_results_set_n_cells (o, nl_results_get_n_cells (r));
  nl_results_set_duration (o, nl_results_get_duration (r));
  for (guint p = 0; p < nl_results_get_n_pops (r); p++)
    {
      guint k;
      const guint32 *g = nl_results_get_pop_gids (r, p, &k);
      nl_results_add_pop (o, nl_results_get_pop_name (r, p), g, k);
    }
  if ((v = nl_results_get_trace_time (r, &n)))
    nl_results_set_trace_time (o, g_memdup2 (v, n * sizeof (double)), n);
  for (guint k = 0; k < nl_results_get_n_traces (r); k++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (r, k); c++)
      {
        guint32 gid;
        v = nl_results_get_trace_values (r, k, c, &gid, &n);
        nl_results_add_trace (o, nl_results_get_trace_name (r, k), gid, g_memdup2 (v, MAX (n, 1) * sizeof (double)), n);
      }
  if ((v = nl_results_get_lfp (r, &n, &ne, &dt)))
    {
      nl_results_set_lfp (o, g_memdup2 (v, n * ne * sizeof (double)), n, ne, dt);
      for (guint i = 0; i < nl_results_get_n_lfp_parts (r); i++)
        {
          NlLfpPartKind kind;
          const char *pop;
          guint32 gid;
          const double *d = nl_results_get_lfp_part (r, i, &kind, &pop, &gid);
          nl_results_add_lfp_part (o, kind, pop, gid, g_memdup2 (d, n * ne * sizeof (double)));
        }
    }
  if ((v = nl_results_get_lfp_electrodes (r, &nx)))
    nl_results_set_lfp_electrodes (o, g_memdup2 (v, 3 * nx * sizeof (double)), nx);
  JsonObject *m = nl_results_get_meta (r), *mo = nl_results_get_meta (o);
  g_autoptr(GList) keys = json_object_get_members (m);
  for (GList *l = keys; l; l = l->next)
    json_object_set_member (mo, l->data, json_node_copy (json_object_get_member (m, l->data)));
  return o;
}

/* Writes `r` through the streaming writer, its spikes in pieces of the given sizes (cycled). */
static gboolean
stream_write (const char *path, NlResults *r, NlSpec *spec, NlNetwork *net, const guint64 *pieces,
              guint n_pieces, GError **error)
{
  g_autoptr(NlResults) rest = rest_of (r);
  NlH5Writer *w = nl_h5_writer_new (path, spec, net, nl_results_get_n_cells (r), error);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 n = nl_results_get_n_spikes (r), at = 0;

  if (!w)
    return FALSE;
  for (guint k = 0; at < n; k++)
    {
      guint64 m = MIN (pieces[k % n_pieces], n - at);
      if (!nl_h5_writer_add_spikes (w, t + at, g + at, m, error))
        {
          nl_h5_writer_free (w);
          return FALSE;
        }
      at += m;
    }
  g_assert_cmpuint (nl_h5_writer_get_n_spikes (w), ==, n);
  return nl_h5_writer_finish (w, rest, error);
}

static void
assert_same_read (const char *a, const char *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) ra = nl_h5_read_results (a, &error);
  g_assert_no_error (error);
  g_autoptr(NlResults) rb = nl_h5_read_results (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (ra), ==, nl_results_get_n_spikes (rb));
  guint64 n = nl_results_get_n_spikes (ra);
  if (n)
    {
      g_assert_cmpint (memcmp (nl_results_get_spike_times (ra), nl_results_get_spike_times (rb), 8 * n), ==, 0);
      g_assert_cmpint (memcmp (nl_results_get_spike_gids (ra), nl_results_get_spike_gids (rb), 4 * n), ==, 0);
    }
  /* One cell's spikes through /spikes/by_gid. */
  g_autoptr(NlH5File) fa = nl_h5_open (a, &error);
  g_assert_no_error (error);
  g_autoptr(NlH5File) fb = nl_h5_open (b, &error);
  g_assert_no_error (error);
  for (guint32 gid = 0; gid < MIN (nl_h5_get_n_cells (fa), 64); gid++)
    {
      g_autofree double *ta = NULL, *tb = NULL;
      guint64 na, nb;
      g_assert_true (nl_h5_read_spikes_of_gid (fa, gid, &ta, &na, &error));
      g_assert_true (nl_h5_read_spikes_of_gid (fb, gid, &tb, &nb, &error));
      g_assert_cmpuint (na, ==, nb);
      if (na)
        g_assert_cmpint (memcmp (ta, tb, 8 * na), ==, 0);
    }
}

/* Synthetic results: 3 "ranks" (gid % 3) whose spike times interleave, merged in (t, gid)
 * order; ties on a 0.05 ms grid; traces (one ragged) and LFP with parts. */
static NlResults *
synthetic (guint64 n, guint n_cells)
{
  NlResults *r = nl_results_new ();
  GRand *rand = g_rand_new_with_seed (11);
  double *t = g_new (double, MAX (n, 1));
  guint32 *g = g_new (guint32, MAX (n, 1));
  guint32 *gids = g_new (guint32, n_cells);
  const guint64 ns = 300, nl = 100;

  nl_results_set_n_cells (r, n_cells);
  nl_results_set_duration (r, 500);
  for (guint i = 0; i < n_cells; i++)
    gids[i] = i;
  nl_results_add_pop (r, "E", gids, n_cells - n_cells / 4);
  nl_results_add_pop (r, "I", gids + n_cells - n_cells / 4, n_cells / 4);
  g_free (gids);
  for (guint64 i = 0; i < n; i++)
    {
      t[i] = floor (g_rand_double_range (rand, 0, 500) * 20) / 20;
      g[i] = (guint32) g_rand_int_range (rand, 0, n_cells - 3);   /* the last cells never spike */
    }
  g_rand_free (rand);
  nl_results_set_spikes (r, t, g, n);   /* sorts by (t, gid) */

  double *tt = g_new (double, ns);
  for (guint64 k = 0; k < ns; k++)
    tt[k] = 0.025 * (double) k;
  nl_results_set_trace_time (r, tt, ns);
  for (guint c = 0; c < 3; c++)
    {
      guint64 len = c == 2 ? ns - 7 : ns;
      double *v = g_new (double, len);
      for (guint64 k = 0; k < len; k++)
        v[k] = -70 + cos (0.01 * (double) k + c);
      nl_results_add_trace (r, "V_soma", 5 * c + 1, v, len);
    }
  double *lfp = g_new (double, nl * 2);
  for (guint64 k = 0; k < nl * 2; k++)
    lfp[k] = sin ((double) k) * 1e-3;
  nl_results_set_lfp (r, lfp, nl, 2, 0.1);
  double *xyz = g_new0 (double, 6);
  xyz[4] = 100;
  nl_results_set_lfp_electrodes (r, xyz, 2);
  nl_results_add_lfp_part (r, NL_LFP_PART_POP, "E", 0, g_memdup2 (lfp, nl * 2 * sizeof (double)));
  json_object_set_int_member (nl_results_get_meta (r), "ranks", 3);
  json_object_set_string_member (nl_results_get_meta (r), "netloom_version", "test");
  return r;
}

static void
test_synthetic (void)
{
  /* 300,000 spikes: several 1-MiB chunks, nl_h5_write's threaded index; pieces as a merge
   * hands them (uneven, one spike, empty). */
  g_autoptr(NlResults) r = synthetic (300000, 2000);
  g_autofree char *a = tmp_path ("syn-write.h5"), *b = tmp_path ("syn-stream.h5");
  g_autoptr(GError) error = NULL;
  const guint64 pieces[] = { 1, 0, 7, 65536, 131071, 3 };

  g_assert_true (nl_h5_write (a, r, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (stream_write (b, r, NULL, NULL, pieces, G_N_ELEMENTS (pieces), &error));
  g_assert_no_error (error);
  /* meta, spikes t/gid/by_gid order/offsets, pops 3, traces (gids, lengths, t, data), lfp 5 */
  g_assert_cmpuint (assert_same_files (a, b), >=, 14);
  assert_same_files (b, a);
  assert_same_read (a, b);
}

static void
test_empty (void)
{
  g_autoptr(NlResults) r = synthetic (0, 20);
  g_autofree char *a = tmp_path ("empty-write.h5"), *b = tmp_path ("empty-stream.h5");
  g_autoptr(GError) error = NULL;
  const guint64 pieces[] = { 10 };

  g_assert_true (nl_h5_write (a, r, NULL, NULL, &error));
  g_assert_true (stream_write (b, r, NULL, NULL, pieces, 1, &error));
  g_assert_no_error (error);
  assert_same_files (a, b);
  assert_same_files (b, a);
}

/* tut2: NetPyNE's results, with the model and the built network. */
static void
test_tut2 (void)
{
  g_autofree char *ref = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autofree char *a = tmp_path ("tut2-write.h5"), *b = tmp_path ("tut2-stream.h5");
  g_autoptr(GError) error = NULL;
  const guint64 pieces[] = { 100, 1, 33 };

  if (!ref || !np || !sc)
    return;
  const char *files[] = { np, sc };
  g_autoptr(NlSpec) spec = nl_spec_load (files, 2, NULL, &error);
  g_assert_no_error (error);
  NlBuildOptions opts = { 0 };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(NlResults) r = nl_results_read (ref, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 931);
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, nl_network_get_n_cells (net));

  g_assert_true (nl_h5_write (a, r, spec, net, &error));
  g_assert_no_error (error);
  g_assert_true (stream_write (b, r, spec, net, pieces, G_N_ELEMENTS (pieces), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assert_same_files (a, b), >=, 40);   /* with /spec and /network's columns */
  assert_same_files (b, a);
  assert_same_read (a, b);
}

/* Bad input is refused before it is written; the previous file stays. */
static void
test_bad_input (void)
{
  g_autoptr(NlResults) r = synthetic (1000, 50);
  g_autoptr(NlResults) rest = rest_of (r);
  g_autofree char *path = tmp_path ("bad.h5");
  g_autoptr(GError) error = NULL;
  double t[3] = { 1.0, 2.0, 1.5 };
  guint32 g[3] = { 1, 2, 3 };

  g_assert_true (g_file_set_contents (path, "previous", -1, NULL));
  NlH5Writer *w = nl_h5_writer_new (path, NULL, NULL, 50, &error);
  g_assert_no_error (error);
  /* Out of order within a piece. */
  g_assert_false (nl_h5_writer_add_spikes (w, t, g, 3, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (strstr (error->message, "bad.h5") && strstr (error->message, "sorted by (time, gid)"));
  g_clear_error (&error);
  g_assert_true (nl_h5_writer_add_spikes (w, t, g, 2, &error));
  /* Out of order against the previous piece (same time, lower gid). */
  t[0] = 2.0, g[0] = 1;
  g_assert_false (nl_h5_writer_add_spikes (w, t, g, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* A gid beyond the cells. */
  t[0] = 3.0, g[0] = 50;
  g_assert_false (nl_h5_writer_add_spikes (w, t, g, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (strstr (error->message, "gid 50") != NULL);
  g_clear_error (&error);
  /* Not a number. */
  t[0] = NAN, g[0] = 3;
  g_assert_false (nl_h5_writer_add_spikes (w, t, g, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (strstr (error->message, "finite") != NULL);
  g_clear_error (&error);
  g_assert_cmpuint (nl_h5_writer_get_n_spikes (w), ==, 2);
  /* The end given spikes: refused, the previous file left. */
  g_assert_false (nl_h5_writer_finish (w, r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, "previous");
  }
  /* A folder that does not exist. */
  g_autofree char *nowhere = tmp_path ("no/such/dir/x.h5");
  g_assert_null (nl_h5_writer_new (nowhere, NULL, NULL, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (strstr (error->message, "x.h5") != NULL);
}

static guint
n_temp_files (void)
{
  g_autoptr(GDir) d = g_dir_open (nl_test_tmpdir (), 0, NULL);
  const char *name;
  guint n = 0;
  while ((name = g_dir_read_name (d)))
    n += g_str_has_prefix (name, ".fault.h5.tmp-");
  return n;
}

/* Abandoned, or killed, mid-way: the previous file is intact. */
static void
test_fault (void)
{
  g_autoptr(NlResults) r = synthetic (200000, 500);
  g_autoptr(NlResults) old = synthetic (1000, 20);
  g_autofree char *path = tmp_path ("fault.h5");
  g_autoptr(GError) error = NULL;
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);

  g_assert_true (nl_h5_write (path, old, NULL, NULL, &error));
  /* Freed mid-way: no temporary file left. */
  {
    NlH5Writer *w = nl_h5_writer_new (path, NULL, NULL, 500, &error);
    g_assert_no_error (error);
    g_assert_true (nl_h5_writer_add_spikes (w, t, g, 100000, &error));
    g_assert_cmpuint (n_temp_files (), ==, 1);
    nl_h5_writer_free (w);
    g_assert_cmpuint (n_temp_files (), ==, 0);
  }
  /* Killed mid-way (SIGKILL between two pieces). */
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      NlH5Writer *w = nl_h5_writer_new (path, NULL, NULL, 500, NULL);
      if (w && nl_h5_writer_add_spikes (w, t, g, 100000, NULL))
        raise (SIGKILL);
      _exit (3);
    }
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  {
    g_autoptr(NlResults) back = nl_h5_read_results (path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (nl_results_get_n_spikes (back), ==, 1000);
    g_assert_cmpint (memcmp (nl_results_get_spike_times (back), nl_results_get_spike_times (old), 8000), ==, 0);
  }
  /* The killed writer's temporary file is all it leaves (a dot file beside the target). */
  g_assert_cmpuint (n_temp_files (), ==, 1);
}

/* A full filesystem (a tmpfs of 80 MiB, mounted for the test; skipped where mounting is not
 * permitted): the reservation grows ahead of libhdf5, is refused, and the writer stops with
 * "no space" before libhdf5 writes; the previous file is untouched and nothing is left. */
static void
test_full_disk (void)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "full", NULL);
  g_autofree char *path = g_build_filename (dir, "full.h5", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (mount ("tmpfs", dir, "tmpfs", 0, "size=80m") != 0)
    {
      g_autofree char *msg = g_strdup_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      g_test_skip (msg);
      return;
    }
  g_autoptr(NlResults) old = synthetic (1000, 20);
  g_assert_true (nl_h5_write (path, old, NULL, NULL, &error));
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  const guint64 n = 1u << 20;
  g_autofree double *t = g_new (double, n);
  g_autofree guint32 *g = g_new (guint32, n);
  NlH5Writer *w = nl_h5_writer_new (path, NULL, NULL, 1000, &error);
  g_assert_no_error (error);
  gboolean ok = TRUE;
  guint64 written = 0;
  for (guint k = 0; k < 8 && ok; k++)   /* 8 × 12 MiB of spikes */
    {
      for (guint64 i = 0; i < n; i++)
        t[i] = (double) (k * n + i) * 1e-3, g[i] = (guint32) (i % 1000);
      ok = nl_h5_writer_add_spikes (w, t, g, n, &error);
      written += ok ? n : 0;
    }
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpuint (written, >=, n);   /* it failed growing, not at the start */
  g_assert_cmpuint (nl_h5_writer_get_n_spikes (w), ==, written);
  g_clear_error (&error);
  /* Once failed, it stays failed. */
  g_assert_false (nl_h5_writer_add_spikes (w, t, g, 1, &error));
  g_clear_error (&error);
  g_autoptr(NlResults) rest = rest_of (old);
  nl_results_set_n_cells (rest, 1000);
  g_assert_false (nl_h5_writer_finish (w, rest, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpuint (after_len, ==, before_len);
  g_assert_cmpint (memcmp (before, after, before_len), ==, 0);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    guint files = 0;
    while (g_dir_read_name (d))
      files++;
    g_assert_cmpuint (files, ==, 1);
  }
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/h5-stream/synthetic", test_synthetic);
  g_test_add_func ("/h5-stream/empty", test_empty);
  g_test_add_func ("/h5-stream/tut2", test_tut2);
  g_test_add_func ("/h5-stream/bad-input", test_bad_input);
  g_test_add_func ("/h5-stream/fault", test_fault);
  g_test_add_func ("/h5-stream/full-disk", test_full_disk);
  return g_test_run ();
}
