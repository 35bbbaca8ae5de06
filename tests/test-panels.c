/* test-panels.c — every installed panel, opened on NetPyNE's tut2 results (which carry their
 * model), computes without error and draws its data: rendered through the window's
 * GskRenderer, the panel has coloured pixels (not just white, grey and black text). Panels
 * with their own tests assert more (test-panel-*.c). */
#include <adwaita.h>
#include <nl-panel.h>
#include <nl-window.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

static gboolean
computed (gpointer panel)
{
  GActionGroup *g = nl_panel_get_action_group (panel);
  g_autoptr(GVariant) state = NULL;

  if (!g || !g_action_group_has_action (g, "computing"))
    return TRUE;
  state = g_action_group_get_action_state (g, "computing");
  return !g_variant_get_boolean (state);
}

/* Pixels whose channels differ by more than 40: colour, not greys. */
static guint
coloured_pixels (GdkTexture *texture)
{
  int w, h;
  g_autofree guchar *px = nl_ui_pixels (texture, &w, &h);
  guint n = 0;

  for (int i = 0; i < w * h; i++)
    {
      int r = px[4 * i], g = px[4 * i + 1], b = px[4 * i + 2];
      if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 40)
        n++;
    }
  return n;
}

static void
test_all_panels (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  NlWindow *w;
  guint tested = 0;

  if (!path)
    return;
  w = nl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", path));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));

  for (GList *l = nl_panel_get_extensions (); l; l = l->next)
    {
      const char *name = g_io_extension_get_name (l->data);
      GtkWidget *panel;
      g_autoptr(GdkTexture) shot = NULL;
      g_autofree char *png = g_strdup_printf ("panel-%s.png", name);
      GActionGroup *group;

      if (g_str_equal (name, "sim"))
        continue;   /* runs NEURON: test-sim */
      nl_ui_settle (10);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", name));
      panel = nl_window_get_current_panel (w);
      g_assert_nonnull (panel);
      g_assert_true (nl_ui_wait (computed, panel, 60000));
      nl_ui_settle (150);
      group = nl_panel_get_action_group (NL_PANEL (panel));
      if (group && g_action_group_has_action (group, "error"))
        {
          g_autoptr(GVariant) err = g_action_group_get_action_state (group, "error");
          const char *msg = g_variant_get_string (err, NULL);
          /* tut2 recorded no LFP: those panels must say so, and have nothing to draw. */
          if ((g_str_equal (name, "lfp") || g_str_equal (name, "csd")) && strstr (msg, "no LFP"))
            {
              tested++;
              continue;
            }
          if (*msg)
            g_error ("panel %s: %s", name, msg);
        }
      shot = nl_ui_render (panel, png);
      if (!g_str_equal (name, "editor"))
        {
          guint n = coloured_pixels (shot);
          if (n < 200)
            g_error ("panel %s drew %u coloured pixels: its data is not on screen", name, n);
        }
      /* Export writes the figure shown. */
      {
        g_autofree char *out = g_build_filename (nl_test_tmpdir (), "export.png", NULL);
        g_autoptr(GError) error = NULL;
        g_remove (out);
        if (!g_str_equal (name, "editor"))
          {
            g_assert_true (nl_panel_export_figure (NL_PANEL (panel), out, &error));
            g_assert_no_error (error);
            g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
          }
      }
      tested++;
    }
  g_assert_cmpuint (tested, >=, 2);
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panels/all", test_all_panels);
  return g_test_run ();
}
