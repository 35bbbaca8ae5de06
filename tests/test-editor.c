/* test-editor.c — the model editor panel under Xvfb, driven through its actions: an edited
 * numCells survives save and reload, a misspelt key shows the validator's suggestion and Fix
 * applies it, undo and redo walk the history. */
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

static char *
problems (GtkWidget *panel)
{
  GActionGroup *g = nl_panel_get_action_group (NL_PANEL (panel));
  g_autoptr(GVariant) state = g_action_group_get_action_state (g, "problems");
  return g_variant_dup_string (state, NULL);
}

static void
act (GtkWidget *panel, const char *action, const char *format, ...)
{
  va_list ap;
  GVariant *param = NULL;

  if (format)
    {
      va_start (ap, format);
      param = g_variant_new_va (format, NULL, &ap);
      va_end (ap);
    }
  g_action_group_activate_action (nl_panel_get_action_group (NL_PANEL (panel)), action, param);
  nl_ui_settle (20);
}

static void
test_edit_save_reload (void)
{
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *saved = g_build_filename (nl_test_tmpdir (), "edited.json", NULL);
  g_autofree char *np = g_build_filename (nl_test_tmpdir (), "edited_netParams.json", NULL);
  g_autofree char *sc = g_build_filename (nl_test_tmpdir (), "edited_simConfig.json", NULL);
  NlWindow *w = nl_window_new (NULL);
  GtkWidget *panel;
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;

  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", model));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "editor"));
  nl_ui_settle (100);
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_cmpstr (nl_panel_get_title (NL_PANEL (panel)), ==, "Model");
  p1 = problems (panel);
  g_assert_cmpstr (p1, ==, "");

  /* numCells 80 → 50, saved in both layouts, read back. */
  act (panel, "set", "(ss)", "popParams.E.numCells", "50");
  act (panel, "save", "s", saved);
  act (panel, "save-netpyne", "(ss)", np, sc);
  {
    const char *files[] = { saved };
    const char *pair[] = { np, sc };
    g_autoptr(GPtrArray) probs = nl_problems_new ();
    g_autoptr(NlSpec) a = nl_spec_load (files, 1, probs, NULL);
    g_autoptr(NlSpec) b = nl_spec_load (pair, 2, probs, NULL);
    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_cmpfloat (nl_spec_get_double (a, "netParams.popParams.E.numCells", 0), ==, 50);
    g_assert_cmpfloat (nl_spec_get_double (b, "netParams.popParams.E.numCells", 0), ==, 50);
    g_assert_true (nl_spec_equal (a, b));
  }
  /* The session sees the edit. */
  g_assert_cmpfloat (nl_spec_get_double (nl_session_get_spec (nl_window_get_session (w)),
                                         "netParams.popParams.E.numCells", 0), ==, 50);

  /* A typo: the validator's suggestion is shown, and Fix renames the key back. */
  act (panel, "rename", "(ss)", "popParams.E.numCells", "numcells");
  p2 = problems (panel);
  g_assert_true (strstr (p2, "popParams.E.numcells") != NULL);
  g_assert_true (strstr (p2, "numCells") != NULL);
  g_object_unref (nl_ui_render (GTK_WIDGET (w), "editor-typo.png"));
  act (panel, "fix", "s", "popParams.E.numcells");
  p3 = problems (panel);
  g_assert_cmpstr (p3, ==, "");
  g_assert_cmpfloat (nl_spec_get_double (nl_session_get_spec (nl_window_get_session (w)),
                                         "netParams.popParams.E.numCells", 0), ==, 50);

  /* Undo: the typo is back; undo twice more: 80 again; redo: 50. */
  act (panel, "undo", NULL);
  g_free (p3);
  p3 = problems (panel);
  g_assert_true (strstr (p3, "numcells") != NULL);
  act (panel, "undo", NULL);
  act (panel, "undo", NULL);
  g_assert_cmpfloat (nl_spec_get_double (nl_session_get_spec (nl_window_get_session (w)),
                                         "netParams.popParams.E.numCells", 0), ==, 80);
  act (panel, "redo", NULL);
  g_assert_cmpfloat (nl_spec_get_double (nl_session_get_spec (nl_window_get_session (w)),
                                         "netParams.popParams.E.numCells", 0), ==, 50);
  g_object_unref (nl_ui_render (GTK_WIDGET (w), "editor.png"));

  /* Nested forms: a cell rule's section geometry is a form of its own. */
  act (panel, "select", "s", "cellParams.PYR");
  {
    g_autoptr(GVariant) keys = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "form-keys");
    g_assert_cmpstr (g_variant_get_string (keys, NULL), ==, "secs");
  }
  act (panel, "select", "s", "cellParams.PYR.secs.soma.geom");
  {
    g_autoptr(GVariant) keys = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "form-keys");
    g_assert_cmpstr (g_variant_get_string (keys, NULL), ==, "diam,L,Ra");
  }
  act (panel, "set", "(ss)", "cellParams.PYR.secs.soma.geom.L", "25");
  g_assert_cmpfloat (nl_spec_get_double (nl_session_get_spec (nl_window_get_session (w)),
                                         "netParams.cellParams.PYR.secs.soma.geom.L", 0), ==, 25);
  act (panel, "rename", "(ss)", "cellParams.PYR.secs.soma.geom.diam", "daim");
  g_free (p3);
  p3 = problems (panel);
  g_assert_true (strstr (p3, "cellParams.PYR.secs.soma.geom.daim") != NULL);
  g_assert_true (strstr (p3, "'diam'") != NULL);
  g_object_unref (nl_ui_render (GTK_WIDGET (w), "editor-nested.png"));
  act (panel, "fix", "s", "cellParams.PYR.secs.soma.geom.daim");
  g_free (p3);
  p3 = problems (panel);
  g_assert_cmpstr (p3, ==, "");
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/editor/edit-save-reload", test_edit_save_reload);
  return g_test_run ();
}
