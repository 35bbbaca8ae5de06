/* nl-application.c — see nl-application.h. */
#include "nl-config.h"
#include "nl-application.h"
#include "nl-window.h"

#include <glib/gi18n-lib.h>

struct _NlApplication {
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (NlApplication, nl_application, ADW_TYPE_APPLICATION)

static void
nl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (!window)
    window = GTK_WINDOW (nl_window_new (GTK_APPLICATION (app)));
  gtk_window_present (window);
}

/* Each file opens into the active window: a model and its results side by side. */
static void
nl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (!window)
    window = GTK_WINDOW (nl_window_new (GTK_APPLICATION (app)));
  for (int i = 0; i < n_files; i++)
    nl_window_open (NL_WINDOW (window), files[i]);
  gtk_window_present (window);
}

static void
about_action (GSimpleAction *action, GVariant *param, gpointer app)
{
  static const char *developers[] = { "The NetLoom developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "application-name", "NetLoom",
                "application-icon", NL_APP_ID,
                "version", NL_VERSION,
                "developer-name", _("The NetLoom developers"),
                "developers", developers,
                "license-type", GTK_LICENSE_MIT_X11,
                "comments", _("Build, simulate and analyse biological neuronal networks with NEURON. "
                              "Opens NetPyNE models and results unchanged."),
                "translator-credits", _("translator-credits"),
                "transient-for", window,
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action, GVariant *param, gpointer app)
{
  g_application_quit (G_APPLICATION (app));
}

static void
nl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "about", about_action, NULL, NULL, NULL },
    { "quit", quit_action, NULL, NULL, NULL },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (nl_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
}

static void
nl_application_class_init (NlApplicationClass *klass)
{
  GApplicationClass *ac = G_APPLICATION_CLASS (klass);

  ac->activate = nl_application_activate;
  ac->open = nl_application_open;
  ac->startup = nl_application_startup;
}

static void
nl_application_init (NlApplication *self)
{
}

NlApplication *
nl_application_new (void)
{
  return g_object_new (NL_TYPE_APPLICATION,
                       "application-id", NL_APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/netloom/Workbench",
                       NULL);
}
