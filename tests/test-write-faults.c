/* Writers under faults (nl_results_write: the native .h5 and NetPyNE JSON): a full
 * filesystem and a writer killed mid-way must leave the previous file byte for byte as it
 * was, and (for a clean failure) no temporary file behind. The full filesystem is a small
 * tmpfs (512 KiB) mounted for the test (skipped where mounting is not permitted). */

#include <nl-h5.h>
#include <nl-h5-private.h>
#include <nl-results-read.h>
#include <nl-results-write.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl-testutil.h"

static NlResults *
make_results (guint64 n, guint n_cells)
{
  NlResults *r = nl_results_new ();
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n);
  guint32 *gids = g_new (guint32, n_cells);
  for (guint64 i = 0; i < n; i++)
    {
      t[i] = (double) i * 0.01;
      g[i] = (guint32) ((i * 2654435761u) % n_cells);
    }
  for (guint i = 0; i < n_cells; i++)
    gids[i] = i;
  nl_results_set_n_cells (r, n_cells);
  nl_results_add_pop (r, "all", gids, n_cells);
  g_free (gids);
  nl_results_set_spikes (r, t, g, n);
  nl_results_set_duration (r, (double) n * 0.01);
  return r;
}

/* Names in `dir` other than `keep`. */
static guint
count_others (const char *dir, const char *keep)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;
  while (d && (name = g_dir_read_name (d)))
    if (!g_str_equal (name, keep))
      {
        g_test_message ("left in %s: %s", dir, name);
        n++;
      }
  return n;
}

static void
remove_others (const char *dir, const char *keep)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    if (!g_str_equal (name, keep))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
}

/* (a) A full filesystem. `h5_in_memory`: the .h5 writer's path for systems that cannot
 * reserve disk space. */
static void
full_disk (const char *filename, gboolean h5_in_memory)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "full", NULL);
  g_autofree char *path = g_build_filename (dir, filename, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  if (mount ("tmpfs", dir, "tmpfs", 0, "size=512k") != 0)
    {
      g_autofree char *msg = g_strdup_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      g_test_skip (msg);
      return;
    }
  /* A previous good file, then something bigger than the filesystem. */
  g_autoptr(NlResults) small = make_results (2000, 100);
  g_assert_true (nl_results_write (small, path, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *before = NULL;
  gsize before_len;
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  g_autoptr(NlResults) big = make_results (200000, 1000);
  if (h5_in_memory)
    g_assert_false (nl_h5_write_mode (path, big, NULL, NULL, TRUE, &error));
  else
    g_assert_false (nl_results_write (big, path, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);

  g_autofree char *after = NULL;
  gsize after_len;
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpuint (after_len, ==, before_len);
  g_assert_cmpint (memcmp (before, after, before_len), ==, 0);
  g_assert_cmpuint (count_others (dir, filename), ==, 0);
  /* And it still reads. */
  g_autoptr(NlResults) back = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (back), ==, 2000);

  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
}

static void
test_full_disk_h5 (void)
{
  full_disk ("results.h5", FALSE);
}

static void
test_full_disk_h5_in_memory (void)
{
  full_disk ("results.h5", TRUE);
}

static void
test_full_disk_json (void)
{
  full_disk ("results.json", FALSE);
}

/* (b) A writer killed mid-way: the child writes a big file; once its temporary file is
 * growing it gets SIGKILL. */
static void
killed (const char *filename, guint64 n_big)
{
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "kill", NULL);
  g_autofree char *path = g_build_filename (dir, filename, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  remove_others (dir, "");
  g_autoptr(NlResults) small = make_results (2000, 100);
  g_assert_true (nl_results_write (small, path, NULL, &error));
  g_autofree char *before = NULL;
  gsize before_len;
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  /* Built before the fork: the child only writes. */
  g_autoptr(NlResults) big = make_results (n_big, 10000);

  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      gboolean ok = nl_results_write (big, path, NULL, NULL);
      _exit (ok ? 0 : 1);
    }

  /* Wait for a temporary file over 1 MiB, then kill. */
  gboolean seen = FALSE;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!seen && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)) && !seen)
        {
          g_autofree char *p = g_build_filename (dir, name, NULL);
          GStatBuf st;
          if (!g_str_equal (name, filename) && g_stat (p, &st) == 0 && st.st_size > (1 << 20))
            seen = TRUE;
        }
      if (!seen)
        g_usleep (200);
    }
  kill (pid, SIGKILL);
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (seen);

  /* Under the name: the previous file (or, had the writer just finished, the complete new
   * one — never a partial file). */
  g_autofree char *after = NULL;
  gsize after_len;
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  if (WIFSIGNALED (status))
    {
      g_assert_cmpuint (after_len, ==, before_len);
      g_assert_cmpint (memcmp (before, after, before_len), ==, 0);
    }
  else
    {
      g_test_message ("the writer finished before the kill");
      g_autoptr(NlResults) back = nl_results_read (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (nl_results_get_n_spikes (back), ==, n_big);
    }
  g_autoptr(NlResults) back = nl_results_read (path, &error);
  g_assert_no_error (error);
  /* A killed writer cannot clean up: its temporary file (a dot-file) stays. */
  remove_others (dir, filename);
}

static void
test_killed_h5 (void)
{
  killed ("results.h5", 10000000);
}

static void
test_killed_json (void)
{
  killed ("results.json", 2000000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/write-faults/full-disk/h5", test_full_disk_h5);
  g_test_add_func ("/write-faults/full-disk/h5-in-memory", test_full_disk_h5_in_memory);
  g_test_add_func ("/write-faults/full-disk/json", test_full_disk_json);
  g_test_add_func ("/write-faults/killed/h5", test_killed_h5);
  g_test_add_func ("/write-faults/killed/json", test_killed_json);
  return g_test_run ();
}
