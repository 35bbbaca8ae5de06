/* nl_run_merge_spikes: the ranks' spike files of a run folder merged by (time, gid) — ranks
 * whose times interleave, a rank not in order (sorted through a temporary file, in blocks),
 * empty ranks, malformed files — and merged into the streaming .h5 writer, equal to
 * nl_h5_write of the gathered results. */

#include <nl-h5.h>
#include <nl-run.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

typedef struct {
  GArray *t, *g;
  guint   calls;
  guint64 limit;   /* fail after this many spikes (0: never) */
} Gather;

static gboolean
gather (const double *t, const guint32 *g, guint64 n, gpointer data, GError **error)
{
  Gather *s = data;
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <=, 65536);
  g_array_append_vals (s->t, t, n);
  g_array_append_vals (s->g, g, n);
  s->calls++;
  if (s->limit && s->t->len >= s->limit)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "sink full");
      return FALSE;
    }
  return TRUE;
}

/* A rank file as NEURON's ranks write it: count, times, gids, as doubles. */
static void
write_rank (const char *dir, guint r, const double *t, const guint32 *g, guint64 n)
{
  g_autofree char *name = g_strdup_printf ("spikes_%u.bin", r);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree double *buf = g_new (double, 1 + 2 * n);
  buf[0] = (double) n;
  for (guint64 i = 0; i < n; i++)
    {
      buf[1 + i] = t[i];
      buf[1 + n + i] = g[i];
    }
  g_assert_true (g_file_set_contents (path, (char *) buf, (gssize) ((1 + 2 * n) * sizeof (double)), NULL));
}

typedef struct { double t; guint32 g; } Sp;

static int
sp_cmp (const void *a, const void *b)
{
  const Sp *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return (x->g > y->g) - (x->g < y->g);
}

/* Rank r of 3 owns gids g % 3 == r; times on a 0.025 ms grid so ranks interleave and tie.
 * Rank 2 holds `n2` spikes in no order. */
static Sp *
make_run (const char *dir, guint64 n01, guint64 n2, guint64 *n_all)
{
  GRand *rand = g_rand_new_with_seed (5);
  guint64 n[3] = { n01, 0, n2 }, total = n01 + n2;
  Sp *all = g_new (Sp, MAX (total, 1));
  guint64 at = 0;

  for (guint r = 0; r < 3; r++)
    {
      g_autofree double *t = g_new (double, MAX (n[r], 1));
      g_autofree guint32 *g = g_new (guint32, MAX (n[r], 1));
      g_autofree Sp *v = g_new (Sp, MAX (n[r], 1));
      for (guint64 i = 0; i < n[r]; i++)
        {
          v[i].t = 0.025 * g_rand_int_range (rand, 0, 40000);
          v[i].g = 3 * g_rand_int_range (rand, 0, 300) + r;
        }
      if (r != 2)
        qsort (v, n[r], sizeof (Sp), sp_cmp);
      for (guint64 i = 0; i < n[r]; i++)
        {
          t[i] = v[i].t;
          g[i] = v[i].g;
          all[at++] = v[i];
        }
      write_rank (dir, r, t, g, n[r]);
    }
  g_rand_free (rand);
  qsort (all, total, sizeof (Sp), sp_cmp);
  *n_all = total;
  return all;
}

static void
assert_merged (const char *dir, const Sp *all, guint64 n)
{
  Gather s = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)), 0, 0 };
  g_autoptr(GError) error = NULL;
  g_assert_true (nl_run_merge_spikes (dir, 3, gather, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.t->len, ==, n);
  for (guint64 i = 0; i < n; i++)
    if (g_array_index (s.t, double, i) != all[i].t || g_array_index (s.g, guint32, i) != all[i].g)
      g_error ("spike %" G_GUINT64_FORMAT ": %g/%u, expected %g/%u", i, g_array_index (s.t, double, i),
               g_array_index (s.g, guint32, i), all[i].t, all[i].g);
  g_assert_cmpuint (s.calls, ==, (n + 65535) / 65536);
  g_array_unref (s.t);
  g_array_unref (s.g);
}

static void
test_interleaved (void)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "interleaved", NULL);
  guint64 n;
  g_mkdir (dir, 0755);
  g_autofree Sp *all = make_run (dir, 70000, 5000, &n);
  assert_merged (dir, all, n);
  /* The temporary file of the unsorted rank is gone. */
  g_autofree char *tmp = g_build_filename (dir, "spikes_sorted.tmp", NULL);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
}

/* An unsorted rank of 2.2 million spikes: three sorted blocks, merged as three runs. */
static void
test_unsorted_blocks (void)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "blocks", NULL);
  guint64 n;
  g_mkdir (dir, 0755);
  g_autofree Sp *all = make_run (dir, 1000, 2200000, &n);
  assert_merged (dir, all, n);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "bad", NULL);
  g_autofree char *p1 = g_build_filename (dir, "spikes_1.bin", NULL);
  Gather s = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)), 0, 0 };
  g_autoptr(GError) error = NULL;
  guint64 n;

  g_mkdir (dir, 0755);
  g_free (make_run (dir, 100, 100, &n));
  /* A count that does not match the size. */
  {
    double buf[5] = { 3, 1, 2, 0, 0 };
    g_assert_true (g_file_set_contents (p1, (char *) buf, sizeof buf, NULL));
  }
  g_assert_false (nl_run_merge_spikes (dir, 3, gather, &s, &error));
  g_assert_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON);
  g_assert_true (strstr (error->message, "spikes_1.bin") && strstr (error->message, "malformed"));
  g_clear_error (&error);
  /* Missing. */
  g_unlink (p1);
  g_assert_false (nl_run_merge_spikes (dir, 3, gather, &s, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_true (strstr (error->message, "spikes_1.bin") != NULL);
  g_clear_error (&error);
  /* The sink's error stops the merge and comes back. */
  g_free (make_run (dir, 100000, 100, &n));
  s.limit = 65536;
  g_array_set_size (s.t, 0);
  g_array_set_size (s.g, 0);
  g_assert_false (nl_run_merge_spikes (dir, 3, gather, &s, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (s.t->len, ==, 65536);
  g_array_unref (s.t);
  g_array_unref (s.g);
}

/* The 3 ranks merged into the streaming writer: the same file content as nl_h5_write of the
 * gathered results. */
static gboolean
to_writer (const double *t, const guint32 *g, guint64 n, gpointer data, GError **error)
{
  return nl_h5_writer_add_spikes (data, t, g, n, error);
}

static void
test_into_writer (void)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "writer", NULL);
  g_autofree char *a = g_build_filename (nl_test_tmpdir (), "gathered.h5", NULL);
  g_autofree char *b = g_build_filename (nl_test_tmpdir (), "streamed.h5", NULL);
  g_autoptr(GError) error = NULL;
  guint64 n;
  guint32 gids[900];

  g_mkdir (dir, 0755);
  g_autofree Sp *all = make_run (dir, 150000, 20000, &n);
  g_autoptr(NlResults) r = nl_results_new (), rest = nl_results_new ();
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n);
  for (guint64 i = 0; i < n; i++)
    t[i] = all[i].t, g[i] = all[i].g;
  for (guint i = 0; i < 900; i++)
    gids[i] = i;
  NlResults *both[2] = { r, rest };
  for (guint k = 0; k < 2; k++)
    {
      nl_results_set_n_cells (both[k], 900);
      nl_results_set_duration (both[k], 1000);
      nl_results_add_pop (both[k], "all", gids, 900);
      json_object_set_int_member (nl_results_get_meta (both[k]), "ranks", 3);
    }
  nl_results_set_spikes (r, t, g, n);
  g_assert_true (nl_h5_write (a, r, NULL, NULL, &error));

  NlH5Writer *w = nl_h5_writer_new (b, NULL, NULL, 900, &error);
  g_assert_no_error (error);
  g_assert_true (nl_run_merge_spikes (dir, 3, to_writer, w, &error));
  g_assert_no_error (error);
  g_assert_true (nl_h5_writer_finish (w, rest, &error));
  g_assert_no_error (error);

  g_autoptr(NlResults) ra = nl_h5_read_results (a, &error);
  g_autoptr(NlResults) rb = nl_h5_read_results (b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (rb), ==, n);
  g_assert_cmpint (memcmp (nl_results_get_spike_times (ra), nl_results_get_spike_times (rb), 8 * n), ==, 0);
  g_assert_cmpint (memcmp (nl_results_get_spike_gids (ra), nl_results_get_spike_gids (rb), 4 * n), ==, 0);
  g_autoptr(NlH5File) fa = nl_h5_open (a, &error);
  g_autoptr(NlH5File) fb = nl_h5_open (b, &error);
  for (guint32 gid = 0; gid < 900; gid += 7)
    {
      g_autofree double *x = NULL, *y = NULL;
      guint64 nx, ny;
      g_assert_true (nl_h5_read_spikes_of_gid (fa, gid, &x, &nx, &error));
      g_assert_true (nl_h5_read_spikes_of_gid (fb, gid, &y, &ny, &error));
      g_assert_cmpuint (nx, ==, ny);
      if (nx)
        g_assert_cmpint (memcmp (x, y, 8 * nx), ==, 0);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run-merge/interleaved", test_interleaved);
  g_test_add_func ("/run-merge/unsorted-blocks", test_unsorted_blocks);
  g_test_add_func ("/run-merge/bad-files", test_bad_files);
  g_test_add_func ("/run-merge/into-writer", test_into_writer);
  return g_test_run ();
}
