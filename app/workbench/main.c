/* netloom-workbench — the GTK 4 workbench. */
#include "nl-config.h"
#include "nl-application.h"

#include <glib/gi18n.h>
#include <locale.h>

/* Where the compiled catalogues are. NETLOOM_LOCALEDIR wins (tests, translators trying a
 * catalogue); from the build tree, meson's i18n.gettext leaves <build>/po/<lang>/LC_MESSAGES/
 * netloom.mo, which is a valid bindtextdomain() folder, so an uninstalled workbench speaks
 * the fresh translations — the same rule as the panel modules (NL_BUILD_PLUGINDIR is
 * <build>/plugins). Installed, the build tree is gone and NL_LOCALEDIR is used. */
static char *
nl_locale_dir (void)
{
  const char *env = g_getenv ("NETLOOM_LOCALEDIR");
  g_autofree char *build_root = NULL;
  g_autofree char *build_po = NULL;

  if (env && *env)
    return g_strdup (env);
  build_root = g_path_get_dirname (NL_BUILD_PLUGINDIR);
  build_po = g_build_filename (build_root, "po", NULL);
  if (g_file_test (build_po, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&build_po);
  return g_strdup (NL_LOCALEDIR);
}

int
main (int argc, char **argv)
{
  g_autoptr(NlApplication) app = NULL;
  g_autofree char *localedir = nl_locale_dir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = nl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
