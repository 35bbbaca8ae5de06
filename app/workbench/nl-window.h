/* nl-window.h — the workbench window: sidebar of what is open, tabs of plugin panels. */
#pragma once

#include <adwaita.h>
#include <nl-session.h>

G_BEGIN_DECLS

#define NL_TYPE_WINDOW (nl_window_get_type ())
G_DECLARE_FINAL_TYPE (NlWindow, nl_window, NL, WINDOW, AdwApplicationWindow)

NlWindow  *nl_window_new          (GtkApplication *app);
NlSession *nl_window_get_session  (NlWindow       *self);
/* Opens FILE into the window's session (in the background); panels follow. */
void       nl_window_open         (NlWindow       *self,
                                   GFile          *file);
/* TRUE while a file is being read (tests wait on it). */
gboolean   nl_window_is_busy      (NlWindow       *self);
/* The panel of the current tab, or NULL. */
GtkWidget *nl_window_get_current_panel (NlWindow  *self);
/* The sidebar's row titles, in order (tests). */
GPtrArray *nl_window_list_sidebar (NlWindow       *self);
/* The last error shown (tests), or NULL. */
const char *nl_window_get_last_error (NlWindow    *self);

G_END_DECLS
