/* test-sim.c — the simulation plugin under Xvfb: Run on the bundled example advances the
 * progress, grows the live raster while NEURON runs and fills the other panels with the
 * results; Cancel ends the run and leaves no nrniv or mpiexec process. */
#include <adwaita.h>
#include <nl-panel.h>
#include <nl-window.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

static GVariant *
state (GtkWidget *panel, const char *name)
{
  return g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), name);
}

static gboolean
state_is (GtkWidget *panel, const char *want)
{
  g_autoptr(GVariant) v = state (panel, "state");
  return g_str_equal (g_variant_get_string (v, NULL), want);
}

typedef struct {
  GtkWidget *panel;
  double     max_progress_running;
  guint64    live_running[2];   /* live spikes seen at two moments while running */
  guint      samples;
} Watch;

static gboolean
finished (gpointer data)
{
  Watch *w = data;
  g_autoptr(GVariant) p = state (w->panel, "progress");
  g_autoptr(GVariant) n = state (w->panel, "live-spikes");

  if (state_is (w->panel, "running"))
    {
      w->max_progress_running = MAX (w->max_progress_running, g_variant_get_double (p));
      if (g_variant_get_uint64 (n) > 0)
        {
          if (w->live_running[0] == 0)
            w->live_running[0] = g_variant_get_uint64 (n);
          w->live_running[1] = g_variant_get_uint64 (n);
        }
      w->samples++;
      return FALSE;
    }
  return TRUE;
}

static gboolean
no_neuron_left (gpointer data)
{
  g_autofree char *out = NULL;
  int status = 0;
  /* Only this test's session: other NEURON runs on the machine are not ours to judge. */
  const char *argv[] = { "pgrep", "-s", "0", "-x", "nrniv|mpiexec|orterun|prterun", NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                NULL, &status, NULL);
  return out == NULL || out[0] == '\0';
}

static GtkWidget *
open_and_run (NlWindow *w, const char *model)
{
  GtkWidget *panel;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", model));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.run", NULL));
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_cmpstr (nl_panel_get_title (NL_PANEL (panel)), ==, "Simulation");
  return panel;
}

static void
test_run_example (void)
{
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");
  g_autofree char *src = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *model = g_build_filename (nl_test_tmpdir (), "long.json", NULL);
  g_autofree char *text = NULL;
  NlWindow *w;
  GtkWidget *panel;
  Watch watch = { 0 };
  NlResults *r;

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  /* The example, run 15 s of model time so that the run is watched for a while (also when
   * the UI is slowed down by sanitizers). */
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  {
    g_autoptr(GString) s = g_string_new (text);
    g_string_replace (s, "\"duration\": 500", "\"duration\": 15000", 1);
    g_string_replace (s, "\"saveJson\": true", "\"saveJson\": false", 1);
    g_assert_true (g_file_set_contents (model, s->str, -1, NULL));
  }
  w = nl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  panel = open_and_run (w, model);
  watch.panel = panel;
  g_assert_true (nl_ui_wait (finished, &watch, 240000));
  g_assert_true (state_is (panel, "done"));
  /* The progress advanced and the raster grew while NEURON ran. */
  g_assert_cmpfloat (watch.max_progress_running, >, 0.2);
  g_assert_cmpuint (watch.live_running[0], >, 0);
  g_assert_cmpuint (watch.live_running[1], >, watch.live_running[0]);
  /* The results reached the session, whole. */
  r = nl_session_get_results (nl_window_get_session (w));
  g_assert_nonnull (r);
  g_assert_cmpuint (nl_results_get_n_spikes (r), >=, watch.live_running[1]);
  {
    g_autoptr(GVariant) n = state (panel, "live-spikes");
    g_assert_cmpuint (g_variant_get_uint64 (n), ==, nl_results_get_n_spikes (r));
  }
  nl_ui_settle (200);
  g_object_unref (nl_ui_render (GTK_WIDGET (w), "sim-done.png"));
  /* The other panels show them: the spike histogram computes from the new results. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "spikehist"));
  gtk_window_destroy (GTK_WINDOW (w));
}

static void
test_cancel (void)
{
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");
  g_autofree char *src = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *model = g_build_filename (nl_test_tmpdir (), "endless.json", NULL);
  g_autofree char *text = NULL;
  NlWindow *w;
  GtkWidget *panel;

  if (!nrniv)
    {
      g_test_skip ("nrniv not found");
      return;
    }
  g_assert_true (g_file_get_contents (src, &text, NULL, NULL));
  {
    g_autoptr(GString) s = g_string_new (text);
    g_string_replace (s, "\"duration\": 500", "\"duration\": 600000", 1);
    g_string_replace (s, "\"saveJson\": true", "\"saveJson\": false", 1);
    g_assert_true (g_file_set_contents (model, s->str, -1, NULL));
  }
  w = nl_window_new (NULL);
  gtk_window_present (GTK_WINDOW (w));
  panel = open_and_run (w, model);
  /* Once NEURON is running (its process exists in this test's session), Cancel. */
  {
    gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
    while (!(state_is (panel, "running") && !no_neuron_left (NULL)) && g_get_monotonic_time () < end)
      nl_ui_settle (20);
  }
  if (!state_is (panel, "running"))
    {
      g_autoptr(GVariant) st = state (panel, "state");
      g_autoptr(GVariant) err = state (panel, "error");
      g_autoptr(GVariant) p = state (panel, "progress");
      g_error ("not running: state %s, progress %g, error: %s", g_variant_get_string (st, NULL),
               g_variant_get_double (p), g_variant_get_string (err, NULL));
    }
  g_assert_false (no_neuron_left (NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.cancel-run", NULL));
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    while (!state_is (panel, "cancelled") && g_get_monotonic_time () < end)
      nl_ui_settle (50);
  }
  g_assert_true (state_is (panel, "cancelled"));
  g_assert_true (nl_ui_wait (no_neuron_left, NULL, 10000));
  /* The workbench survives: no results, the window still works. */
  g_assert_null (nl_session_get_results (nl_window_get_session (w)));
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/run-example", test_run_example);
  g_test_add_func ("/sim/cancel", test_cancel);
  return g_test_run ();
}
