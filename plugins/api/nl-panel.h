/* nl-panel.h — the workbench's panel plugins.
 *
 * A panel is a GtkWidget implementing NlPanel. Each plugin folder under plugins/ builds a
 * loadable module whose g_io_module_load() calls one registrar that implements the
 * NL_PANEL_EXTENSION_POINT with the panel's type; the workbench loads every module of its
 * plugin folders with g_io_modules_load_all_in_directory() and offers one panel per
 * extension. The figure a panel shows is drawn by GTK-free code (the same `netloom plot` uses),
 * so Export writes exactly the view on screen.
 */
#pragma once

#include <gtk/gtk.h>
#include "nl-session.h"

G_BEGIN_DECLS

#define NL_PANEL_EXTENSION_POINT "netloom-panel"

#define NL_TYPE_PANEL (nl_panel_get_type ())
G_DECLARE_INTERFACE (NlPanel, nl_panel, NL, PANEL, GtkWidget)

struct _NlPanelInterface {
  GTypeInterface parent_iface;

  const char    *(*get_title)        (NlPanel    *self);
  const char    *(*get_icon_name)    (NlPanel    *self);
  /* What the panel draws from: it is offered when the session has all of it. */
  NlSessionParts (*get_needs)        (NlPanel    *self);
  /* Show the session's data (again, after "changed"); unload drops every reference to it. */
  void           (*load)             (NlPanel    *self,
                                      NlSession  *session);
  void           (*unload)           (NlPanel    *self);
  /* The panel's actions (zoom, reset, export…), inserted under the prefix "panel". */
  GActionGroup  *(*get_action_group) (NlPanel    *self);
  /* Writes the view as shown (same data, range, selection, colours) to PNG, SVG or PDF by
   * the file's extension. */
  gboolean       (*export_figure)    (NlPanel    *self,
                                      const char *filename,
                                      GError    **error);
};

const char     *nl_panel_get_title        (NlPanel    *self);
const char     *nl_panel_get_icon_name    (NlPanel    *self);
NlSessionParts  nl_panel_get_needs        (NlPanel    *self);
void            nl_panel_load             (NlPanel    *self,
                                           NlSession  *session);
void            nl_panel_unload           (NlPanel    *self);
GActionGroup   *nl_panel_get_action_group (NlPanel    *self);
gboolean        nl_panel_export_figure    (NlPanel    *self,
                                           const char *filename,
                                           GError    **error);

/* A panel module's one registrar and its GIOModule entry points, at the end of the panel's
 * file: NL_PANEL_MODULE (nl_foo_panel, NL_TYPE_FOO_PANEL, "foo", 20) defines
 * nl_foo_panel_register() (implements the extension point with the panel's type, name and
 * priority) and g_io_module_load/unload (the module stays loaded: its types are static). */
#define NL_PANEL_MODULE(prefix, type, name, priority)                                      \
  void prefix##_register (GIOModule *module);                                              \
  void                                                                                     \
  prefix##_register (GIOModule *module)                                                    \
  {                                                                                        \
    nl_panel_ensure_extension_point ();                                                    \
    g_io_extension_point_implement (NL_PANEL_EXTENSION_POINT, type, name, priority);       \
  }                                                                                        \
  G_MODULE_EXPORT void g_io_module_load (GIOModule *module);                               \
  G_MODULE_EXPORT void g_io_module_unload (GIOModule *module);                             \
  void                                                                                     \
  g_io_module_load (GIOModule *module)                                                     \
  {                                                                                        \
    g_type_module_use (G_TYPE_MODULE (module));                                            \
    prefix##_register (module);                                                            \
  }                                                                                        \
  void                                                                                     \
  g_io_module_unload (GIOModule *module)                                                   \
  {                                                                                        \
  }

/* Registers the extension point (idempotent). */
void            nl_panel_ensure_extension_point (void);
/* Loads the panel modules of the build tree or installed folder, and of the folders in
 * NETLOOM_PLUGIN_PATH (colon-separated), once. */
void            nl_panel_load_modules           (void);
/* The panel kinds registered: GIOExtension* in priority order (do not free the list). */
GList          *nl_panel_get_extensions         (void);
/* A new panel of the extension called `name`, or NULL. */
NlPanel        *nl_panel_new_by_name            (const char *name);

G_END_DECLS
