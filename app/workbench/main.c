/* netloom-workbench — the GTK 4 workbench. */
#include "nl-config.h"
#include "nl-application.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int argc, char **argv)
{
  g_autoptr(NlApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, NL_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = nl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
