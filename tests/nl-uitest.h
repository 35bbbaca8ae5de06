/* nl-uitest.h — what the UI tests share: a display or exit 77, waiting on the main loop,
 * rendering a widget to a texture through its GskRenderer and reading its pixels. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_init + adw_init, or exit(77) when there is no display (run by hand without Xvfb). */
void        nl_ui_init            (int *argc, char ***argv);
/* Iterates the default main context until `done (data)` or `timeout_ms` passed; FALSE on
 * timeout. */
gboolean    nl_ui_wait            (gboolean (*done) (gpointer data),
                                   gpointer  data,
                                   guint     timeout_ms);
/* Lets layout and drawing settle (a few frames). */
void        nl_ui_settle          (guint     ms);
/* The widget drawn by its native's renderer, as it would be on screen. Saved to `png` when
 * not NULL (into the test's temporary folder by name, and kept when NL_UI_SCREENSHOTS is a
 * folder). */
GdkTexture *nl_ui_render          (GtkWidget  *widget,
                                   const char *png) G_GNUC_WARN_UNUSED_RESULT;
/* RGBA8 pixels of a texture (width × height × 4, row stride width × 4). */
guchar     *nl_ui_pixels          (GdkTexture *texture,
                                   int        *width,
                                   int        *height);

G_END_DECLS
