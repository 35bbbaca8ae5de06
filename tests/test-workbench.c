/* test-workbench.c — the workbench window under Xvfb, driven through its actions: opening
 * NetPyNE's results and model files fills the sidebar and the session; bad files show an
 * error and leave the window working. */
#include <adwaita.h>
#include <nl-h5.h>
#include <nl-results-read.h>
#include <nl-window.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

static NlWindow *
new_window (void)
{
  NlWindow *w = nl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  nl_ui_settle (50);
  return w;
}

static void
open_and_wait (NlWindow *w, const char *path)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", path));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));
  nl_ui_settle (100);
}

static gboolean
has_row (GPtrArray *rows, const char *title)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (rows->pdata[i], title))
      return TRUE;
  return FALSE;
}

static void
test_open_results (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  NlWindow *w;
  NlResults *r;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GdkTexture) shot = NULL;

  if (!path)
    return;
  w = new_window ();
  open_and_wait (w, path);
  g_assert_null (nl_window_get_last_error (w));
  r = nl_session_get_results (nl_window_get_session (w));
  g_assert_nonnull (r);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 931);   /* tut2_summary.json */
  /* NetPyNE's saveData carries the model too: the network is built alongside. */
  g_assert_nonnull (nl_session_get_network (nl_window_get_session (w)));
  rows = nl_window_list_sidebar (w);
  g_assert_true (has_row (rows, "Spikes"));
  g_assert_true (has_row (rows, "S"));
  g_assert_true (has_row (rows, "M"));
  g_assert_true (has_row (rows, "Connections"));
  g_assert_true (has_row (rows, "Traces"));
  shot = nl_ui_render (GTK_WIDGET (w), "workbench-tut2.png");
  g_assert_cmpint (gdk_texture_get_width (shot), >=, 1000);
  gtk_window_destroy (GTK_WINDOW (w));
}

static void
test_open_bad (void)
{
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *bad = g_build_filename (tmp, "broken.json", NULL);
  g_autofree char *good = nl_test_source_file ("examples/ei-net.json");
  NlWindow *w;
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_true (g_file_set_contents (bad, "{\"netParams\": {\"popParams\": ", -1, NULL));
  w = new_window ();
  open_and_wait (w, bad);
  g_assert_nonnull (nl_window_get_last_error (w));
  g_assert_true (strstr (nl_window_get_last_error (w), "broken.json") != NULL);
  g_assert_null (nl_session_get_spec (nl_window_get_session (w)));

  /* Still working: a model opens after the error. */
  open_and_wait (w, good);
  g_assert_nonnull (nl_session_get_network (nl_window_get_session (w)));
  g_assert_null (nl_session_get_results (nl_window_get_session (w)));
  rows = nl_window_list_sidebar (w);
  g_assert_true (has_row (rows, "E"));
  g_assert_true (has_row (rows, "I"));
  g_assert_true (has_row (rows, "Populations"));
  g_assert_false (has_row (rows, "Spikes"));
  gtk_window_destroy (GTK_WINDOW (w));
}

/* NetLoom's .h5 keeps the model: opening it gives the results and the network. */
static void
test_open_native (void)
{
  g_autofree char *data = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *h5 = g_build_filename (nl_test_tmpdir (), "tut2.h5", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  const char *files[1];
  NlWindow *w;

  if (!data)
    return;
  files[0] = data;
  r = nl_results_read (data, &error);
  g_assert_no_error (error);
  spec = nl_spec_load (files, 1, problems, &error);
  g_assert_no_error (error);
  g_assert_true (nl_h5_write (h5, r, spec, NULL, &error));
  g_assert_no_error (error);
  w = new_window ();
  open_and_wait (w, h5);
  g_assert_null (nl_window_get_last_error (w));
  g_assert_cmpuint (nl_results_get_n_spikes (nl_session_get_results (nl_window_get_session (w))), ==, 931);
  g_assert_nonnull (nl_session_get_network (nl_window_get_session (w)));
  g_assert_cmpuint (nl_network_get_n_cells (nl_session_get_network (nl_window_get_session (w))), ==, 40);
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workbench/open-results", test_open_results);
  g_test_add_func ("/workbench/open-bad", test_open_bad);
  g_test_add_func ("/workbench/open-native", test_open_native);
  return g_test_run ();
}
