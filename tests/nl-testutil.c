#include "nl-testutil.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

static char *tmpdir;

const char *
nl_test_shared_dir (void)
{
  static char *dir;
  if (!dir)
    {
      const char *env = g_getenv ("NETLOOM_SHARED");
      const char *root = g_getenv ("NL_SOURCE_ROOT");
      if (env && *env)
        dir = g_strdup (env);
      else
        dir = g_build_filename (root ? root : ".", "..", "shared", NULL);
    }
  return g_file_test (dir, G_FILE_TEST_IS_DIR) ? dir : NULL;
}

char *
nl_test_shared_file (const char *relative)
{
  const char *dir = nl_test_shared_dir ();
  char *path = dir ? g_build_filename (dir, relative, NULL) : NULL;
  if (!path || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf ("reference data absent: %s", relative);
      g_test_skip (msg);
      g_free (path);
      return NULL;
    }
  return path;
}

char *
nl_test_source_file (const char *relative)
{
  const char *root = g_getenv ("NL_SOURCE_ROOT");
  return g_build_filename (root ? root : ".", relative, NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
cleanup_tmpdir (void)
{
  if (tmpdir)
    remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

const char *
nl_test_tmpdir (void)
{
  if (!tmpdir)
    {
      tmpdir = g_dir_make_tmp ("netloom-test-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
      atexit (cleanup_tmpdir);
    }
  return tmpdir;
}

int
nl_test_run_cli (const char *const *argv,
                 char             **out,
                 char             **err)
{
  const char *cli = g_getenv ("NETLOOM_CLI");
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  char *o = NULL, *e = NULL;

  g_assert_nonnull (cli);
  /* In the test's own folder: files a model's simConfig names (saveJson, figures) land there. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, nl_test_tmpdir ());
  g_ptr_array_add (args, (gpointer) cli);
  for (guint i = 0; argv[i]; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &o, &e, &error);
  g_assert_no_error (error);
  if (out) *out = o; else g_free (o);
  if (err) *err = e; else g_free (e);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}
