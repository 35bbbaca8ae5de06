/* nl-panel.c — see nl-panel.h. */
#include "nl-config.h"
#include "nl-panel.h"

G_DEFINE_INTERFACE (NlPanel, nl_panel, GTK_TYPE_WIDGET)

static void
nl_panel_default_init (NlPanelInterface *iface)
{
}

const char *
nl_panel_get_title (NlPanel *self)
{
  g_return_val_if_fail (NL_IS_PANEL (self), NULL);
  return NL_PANEL_GET_IFACE (self)->get_title (self);
}

const char *
nl_panel_get_icon_name (NlPanel *self)
{
  NlPanelInterface *iface = NL_PANEL_GET_IFACE (self);
  return iface->get_icon_name ? iface->get_icon_name (self) : "image-x-generic-symbolic";
}

NlSessionParts
nl_panel_get_needs (NlPanel *self)
{
  NlPanelInterface *iface = NL_PANEL_GET_IFACE (self);
  return iface->get_needs ? iface->get_needs (self) : 0;
}

void
nl_panel_load (NlPanel *self, NlSession *session)
{
  g_return_if_fail (NL_IS_PANEL (self));
  NL_PANEL_GET_IFACE (self)->load (self, session);
}

void
nl_panel_unload (NlPanel *self)
{
  NlPanelInterface *iface = NL_PANEL_GET_IFACE (self);
  if (iface->unload)
    iface->unload (self);
}

GActionGroup *
nl_panel_get_action_group (NlPanel *self)
{
  NlPanelInterface *iface = NL_PANEL_GET_IFACE (self);
  return iface->get_action_group ? iface->get_action_group (self) : NULL;
}

gboolean
nl_panel_export_figure (NlPanel *self, const char *filename, GError **error)
{
  NlPanelInterface *iface = NL_PANEL_GET_IFACE (self);

  if (!iface->export_figure)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: this panel has no figure to export",
                   nl_panel_get_title (self));
      return FALSE;
    }
  return iface->export_figure (self, filename, error);
}

void
nl_panel_ensure_extension_point (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GIOExtensionPoint *ep = g_io_extension_point_register (NL_PANEL_EXTENSION_POINT);
      g_io_extension_point_set_required_type (ep, NL_TYPE_PANEL);
      g_once_init_leave (&once, 1);
    }
}

/* The modules stay loaded for the life of the process: kept here, not leaked. */
static GList *loaded_modules;

static void
load_dir (const char *dir)
{
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return;
  loaded_modules = g_list_concat (loaded_modules, g_io_modules_load_all_in_directory (dir));
}

void
nl_panel_load_modules (void)
{
  static gsize once = 0;

  nl_panel_ensure_extension_point ();
  if (g_once_init_enter (&once))
    {
      const char *path = g_getenv ("NETLOOM_PLUGIN_PATH");

      if (path && *path)
        {
          g_auto(GStrv) dirs = g_strsplit (path, G_SEARCHPATH_SEPARATOR_S, -1);
          for (guint i = 0; dirs[i]; i++)
            if (*dirs[i])
              load_dir (dirs[i]);
        }
      /* Running from the build tree loads the freshly built modules, never stale installed
       * ones. */
      if (g_file_test (NL_BUILD_PLUGINDIR, G_FILE_TEST_IS_DIR))
        load_dir (NL_BUILD_PLUGINDIR);
      else
        load_dir (NL_PLUGINDIR);
      g_once_init_leave (&once, 1);
    }
}

GList *
nl_panel_get_extensions (void)
{
  nl_panel_ensure_extension_point ();
  return g_io_extension_point_get_extensions (g_io_extension_point_lookup (NL_PANEL_EXTENSION_POINT));
}

NlPanel *
nl_panel_new_by_name (const char *name)
{
  GIOExtension *ext;

  nl_panel_ensure_extension_point ();
  ext = g_io_extension_point_get_extension_by_name (
          g_io_extension_point_lookup (NL_PANEL_EXTENSION_POINT), name);
  if (!ext)
    return NULL;
  return g_object_new (g_io_extension_get_type (ext), NULL);
}
