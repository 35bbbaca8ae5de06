/* test-i18n.c — the workbench speaks German from the build tree: the catalogue meson compiles
 * is found by the workbench's own lookup (main.c), and the window (GtkBuilder template and
 * C strings), a panel module (its own dgettext) and plural forms come out in German. Also
 * checks that the .desktop and metainfo files got their German entries merged in. */
#include <adwaita.h>
#include <locale.h>
#include <nl-panel.h>
#include <nl-window.h>
#include <stdlib.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

/* The workbench's real catalogue lookup (a static function of main.c) under test: compile
 * main.c in, its main renamed out of the way. */
int nl_workbench_main (int argc, char **argv);
#define main nl_workbench_main
#include "../app/workbench/main.c"
#undef main

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

static gboolean
has_row (GPtrArray *rows, const char *title)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (rows->pdata[i], title))
      return TRUE;
  return FALSE;
}

static AdwStatusPage *
find_status_page (GtkWidget *w)
{
  if (ADW_IS_STATUS_PAGE (w))
    return ADW_STATUS_PAGE (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      AdwStatusPage *found = find_status_page (c);
      if (found)
        return found;
    }
  return NULL;
}

/* Uninstalled, the catalogues come from <build>/po, where meson's i18n.gettext writes
 * <lang>/LC_MESSAGES/netloom.mo; NETLOOM_LOCALEDIR overrides. */
static void
test_locale_dir (void)
{
  const char *build_root = g_getenv ("NL_BUILD_ROOT");
  g_autofree char *dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *mo = NULL;
  g_autofree char *env_dir = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("NETLOOM_LOCALEDIR"));

  g_assert_nonnull (build_root);
  g_unsetenv ("NETLOOM_LOCALEDIR");
  dir = nl_locale_dir ();
  expected = g_build_filename (build_root, "po", NULL);
  g_assert_cmpstr (dir, ==, expected);
  mo = g_build_filename (dir, "de", "LC_MESSAGES", "netloom.mo", NULL);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));

  g_setenv ("NETLOOM_LOCALEDIR", "/nonexistent/locale", TRUE);
  env_dir = nl_locale_dir ();
  g_assert_cmpstr (env_dir, ==, "/nonexistent/locale");
  if (saved)
    g_setenv ("NETLOOM_LOCALEDIR", saved, TRUE);
  else
    g_unsetenv ("NETLOOM_LOCALEDIR");
}

static void
test_plurals (void)
{
  g_assert_cmpstr (_("Populations"), ==, "Populationen");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u cell", "%u cells", 1), ==, "%u Zelle");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u cell", "%u cells", 2), ==, "%u Zellen");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u cell", "%u cells", 0), ==, "%u Zellen");
  /* A message nobody translated stays itself. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "no such message"), ==, "no such message");
}

static void
test_window (void)
{
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  NlWindow *w = nl_window_new (NULL);
  AdwStatusPage *status;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *panel;
  g_autoptr(GdkTexture) shot = NULL;

  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  nl_ui_settle (50);

  /* The template's strings (translatable="yes", interface domain "netloom"). */
  status = find_status_page (GTK_WIDGET (w));
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Modell oder Ergebnisse öffnen");
  g_assert_true (g_str_has_suffix (adw_status_page_get_description (status),
                                   "Eine Datei hierher ziehen oder Strg+O drücken."));

  /* The window's C strings: the sidebar headings of an opened model. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", model));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));
  nl_ui_settle (100);
  g_assert_null (nl_window_get_last_error (w));
  rows = nl_window_list_sidebar (w);
  g_assert_true (has_row (rows, "Populationen"));
  g_assert_true (has_row (rows, "Zellen"));
  g_assert_true (has_row (rows, "Verbindungen"));
  g_assert_false (has_row (rows, "Populations"));
  g_assert_true (has_row (rows, "E"));     /* population names are data, never translated */

  /* A panel module's strings (gi18n-lib: dgettext with the same domain). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "spikehist"));
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_cmpstr (nl_panel_get_title (NL_PANEL (panel)), ==, "Spike-Histogramm");
  nl_ui_settle (100);
  shot = nl_ui_render (GTK_WIDGET (w), "i18n-de.png");
  gtk_window_destroy (GTK_WINDOW (w));
}

/* The desktop entry and the AppStream metainfo, merged by i18n.merge_file. */
static void
test_merged_files (void)
{
  const char *build_root = g_getenv ("NL_BUILD_ROOT");
  g_autofree char *desktop = g_build_filename (build_root, "ui", "org.netloom.Workbench.desktop", NULL);
  g_autofree char *metainfo = g_build_filename (build_root, "ui", "org.netloom.Workbench.metainfo.xml", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *generic = NULL;
  g_autofree char *xml = NULL;

  if (!g_file_test (desktop, G_FILE_TEST_EXISTS) || !g_file_test (metainfo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("desktop/metainfo files not built (ninja -C build)");
      return;
    }
  g_assert_true (g_key_file_load_from_file (kf, desktop, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  generic = g_key_file_get_locale_string (kf, "Desktop Entry", "GenericName", "de", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (generic, ==, "Werkbank für neuronale Netze");
  g_assert_true (g_file_get_contents (metainfo, &xml, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "<summary xml:lang=\"de\">Neuronale Netze aufbauen"));
  g_assert_nonnull (strstr (xml, "<p xml:lang=\"de\">NetLoom beschreibt biologische"));
  g_assert_nonnull (strstr (xml, "<li xml:lang=\"de\">Jede Ansicht exportiert"));
}

/* gettext needs a locale other than "C"/"POSIX" to honour LANGUAGE; the catalogue is UTF-8,
 * so any UTF-8 locale works: glibc's built-in C.UTF-8 first, a German one if present. */
static const char *
pick_locale (void)
{
  static const char *const candidates[] = { "C.UTF-8", "C.utf8", "de_DE.UTF-8", "de_DE.utf8",
                                            "en_US.UTF-8", NULL };

  for (guint i = 0; candidates[i]; i++)
    if (setlocale (LC_ALL, candidates[i]))
      return candidates[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  const char *loc = pick_locale ();
  g_autofree char *localedir = NULL;

  if (!loc)
    {
      g_printerr ("no UTF-8 locale: gettext ignores LANGUAGE in the C locale\n");
      return 77;
    }
  /* gtk_init calls setlocale (LC_ALL, ""): make that the locale picked. */
  g_setenv ("LC_ALL", loc, TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_unsetenv ("NETLOOM_LOCALEDIR");
  /* What main.c does. */
  localedir = nl_locale_dir ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/i18n/locale-dir", test_locale_dir);
  g_test_add_func ("/i18n/plurals", test_plurals);
  g_test_add_func ("/i18n/window", test_window);
  g_test_add_func ("/i18n/merged-files", test_merged_files);
  return g_test_run ();
}
