/* nl-uitest.c — see nl-uitest.h. */
#include "nl-uitest.h"
#include "nl-testutil.h"

#include <adwaita.h>
#include <stdlib.h>

void
nl_ui_init (int *argc, char ***argv)
{
  if (!g_getenv ("DISPLAY") && !g_getenv ("WAYLAND_DISPLAY"))
    {
      g_printerr ("no display: run the UI tests under xvfb-run (tests/run.sh does)\n");
      exit (77);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();
}

gboolean
nl_ui_wait (gboolean (*done) (gpointer data), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
nl_ui_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

GdkTexture *
nl_ui_render (GtkWidget *widget, const char *png)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GdkTexture *texture;

  g_assert_nonnull (renderer);
  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (png)
    {
      g_autofree char *path = g_build_filename (nl_test_tmpdir (), png, NULL);
      const char *keep = g_getenv ("NL_UI_SCREENSHOTS");
      g_assert_true (gdk_texture_save_to_png (texture, path));
      if (keep && *keep)
        {
          g_autofree char *copy = g_build_filename (keep, png, NULL);
          g_mkdir_with_parents (keep, 0755);
          gdk_texture_save_to_png (texture, copy);
        }
    }
  return texture;
}

guchar *
nl_ui_pixels (GdkTexture *texture, int *width, int *height)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  guchar *data = g_malloc ((gsize) w * h * 4);

  /* GdkTextureDownloader is GTK 4.10; 4.8's download gives cairo's ARGB32 (premultiplied,
   * native endian): convert to RGBA. */
  gdk_texture_download (texture, data, (gsize) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      guint32 px = ((guint32 *) data)[i];
      guchar a = px >> 24, r = px >> 16, g = px >> 8, b = px;
      data[4 * i] = r;
      data[4 * i + 1] = g;
      data[4 * i + 2] = b;
      data[4 * i + 3] = a;
    }
  *width = w;
  *height = h;
  return data;
}
