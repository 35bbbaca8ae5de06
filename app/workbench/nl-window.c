/* nl-window.c — see nl-window.h. */
#include "nl-config.h"
#include "nl-window.h"

#include <glib/gi18n-lib.h>
#include <nl-build.h>
#include <nl-panel.h>
#include <string.h>

struct _NlWindow {
  AdwApplicationWindow parent_instance;

  AdwWindowTitle  *title;
  GtkListBox      *sidebar;
  GtkStack        *stack;
  AdwTabView      *tabs;
  AdwToastOverlay *toasts;
  GtkMenuButton   *add_panel_button;

  NlSession       *session;
  GCancellable    *cancellable;
  GCancellable    *build_cancellable;
  guint            busy;
  char            *last_error;
};

G_DEFINE_FINAL_TYPE (NlWindow, nl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_error (NlWindow *self, const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toasts, toast);
  g_message ("%s", message);
}

const char *
nl_window_get_last_error (NlWindow *self)
{
  return self->last_error;
}

/* Sidebar ----------------------------------------------------------------------------------- */

static void
add_row (NlWindow *self, const char *title, const char *count, const char *panel, gboolean indent)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_start (box, indent ? 24 : 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  if (!indent)
    gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (count)
    {
      GtkWidget *c = gtk_label_new (count);
      gtk_widget_add_css_class (c, "sidebar-count");
      gtk_box_append (GTK_BOX (box), c);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "nl-title", g_strdup (title), g_free);
  if (panel)
    g_object_set_data_full (G_OBJECT (row), "nl-panel", g_strdup (panel), g_free);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), panel != NULL);
  gtk_list_box_append (self->sidebar, row);
}

static char *
format_count (guint64 n)
{
  /* Thin grouping that reads the same in every locale. */
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *s = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, "\u2009");
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

static void
rebuild_sidebar (NlWindow *self)
{
  NlNetwork *net = nl_session_get_network (self->session);
  NlResults *r = nl_session_get_results (self->session);
  NlSpec *spec = nl_session_get_spec (self->session);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar))))
    gtk_list_box_remove (self->sidebar, child);

  if (net)
    {
      g_autofree char *cells = format_count (nl_network_get_n_cells (net));
      g_autofree char *conns = format_count (nl_network_get_n_conns (net));
      g_autofree char *stims = format_count (nl_network_get_n_stims (net));

      add_row (self, _("Populations"), NULL, "net2d", FALSE);
      for (guint i = 0; i < nl_network_get_n_pops (net); i++)
        {
          const NlNetPop *p = nl_network_get_pop (net, i);
          g_autofree char *n = format_count (p->n_cells);
          add_row (self, p->name, n, "net2d", TRUE);
        }
      add_row (self, _("Cells"), cells, "net2d", FALSE);
      add_row (self, _("Connections"), conns, "conn", FALSE);
      add_row (self, _("Stimuli"), stims, NULL, FALSE);
    }
  else if (r && nl_results_get_n_pops (r) > 0)
    {
      add_row (self, _("Populations"), NULL, "raster", FALSE);
      for (guint i = 0; i < nl_results_get_n_pops (r); i++)
        {
          guint n;
          g_autofree char *count = NULL;
          nl_results_get_pop_gids (r, i, &n);
          count = format_count (n);
          add_row (self, nl_results_get_pop_name (r, i), count, "raster", TRUE);
        }
    }
  if (spec)
    {
      JsonObject *np = nl_spec_get_net_params (spec);
      JsonNode *cp = np && json_object_has_member (np, "cellParams")
                     ? json_object_get_member (np, "cellParams") : NULL;
      if (cp && JSON_NODE_HOLDS_OBJECT (cp) && json_object_get_size (json_node_get_object (cp)) > 0)
        {
          g_autofree char *n = format_count (json_object_get_size (json_node_get_object (cp)));
          add_row (self, _("Morphologies"), n, "shape", FALSE);
        }
    }
  if (r)
    {
      g_autofree char *spikes = format_count (nl_results_get_n_spikes (r));
      guint64 n_samples;
      guint n_el;
      double dt;

      add_row (self, _("Spikes"), spikes, "raster", FALSE);
      if (nl_results_get_n_traces (r) > 0)
        {
          add_row (self, _("Traces"), NULL, "traces", FALSE);
          for (guint i = 0; i < nl_results_get_n_traces (r); i++)
            {
              g_autofree char *cells = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u cell", "%u cells",
                                                                     nl_results_get_trace_n_cells (r, i)),
                                                        nl_results_get_trace_n_cells (r, i));
              add_row (self, nl_results_get_trace_name (r, i), cells, "traces", TRUE);
            }
        }
      if (nl_results_get_lfp (r, &n_samples, &n_el, &dt))
        {
          g_autofree char *what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u electrode", "%u electrodes", n_el),
                                                   n_el);
          add_row (self, _("LFP"), what, "lfp", FALSE);
        }
    }
}

GPtrArray *
nl_window_list_sidebar (NlWindow *self)
{
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar)); row;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *t = g_object_get_data (G_OBJECT (row), "nl-title");
      if (t)
        g_ptr_array_add (titles, g_strdup (t));
    }
  return titles;
}

/* Panels ------------------------------------------------------------------------------------ */

static gboolean
session_has (NlWindow *self, NlSessionParts needs)
{
  NlSessionParts have = 0;

  if (nl_session_get_spec (self->session))
    have |= NL_SESSION_SPEC;
  if (nl_session_get_network (self->session))
    have |= NL_SESSION_NETWORK;
  if (nl_session_get_results (self->session))
    have |= NL_SESSION_RESULTS;
  return (needs & have) == needs;
}

static AdwTabPage *
find_page (NlWindow *self, const char *name)
{
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tabs); i++)
    {
      AdwTabPage *page = adw_tab_view_get_nth_page (self->tabs, i);
      const char *n = g_object_get_data (G_OBJECT (adw_tab_page_get_child (page)), "nl-panel-name");
      if (g_strcmp0 (n, name) == 0)
        return page;
    }
  return NULL;
}

static gboolean
add_panel (NlWindow *self, const char *name, gboolean select)
{
  AdwTabPage *page = find_page (self, name);
  NlPanel *panel;
  GActionGroup *group;

  if (page)
    {
      if (select)
        adw_tab_view_set_selected_page (self->tabs, page);
      return TRUE;
    }
  panel = nl_panel_new_by_name (name);
  if (!panel)
    return FALSE;
  g_object_set_data_full (G_OBJECT (panel), "nl-panel-name", g_strdup (name), g_free);
  group = nl_panel_get_action_group (panel);
  if (group)
    gtk_widget_insert_action_group (GTK_WIDGET (panel), "panel", group);
  page = adw_tab_view_append (self->tabs, GTK_WIDGET (panel));
  adw_tab_page_set_title (page, nl_panel_get_title (panel));
  {
    g_autoptr(GIcon) icon = g_themed_icon_new (nl_panel_get_icon_name (panel));
    adw_tab_page_set_icon (page, icon);
  }
  if (session_has (self, nl_panel_get_needs (panel)))
    nl_panel_load (panel, self->session);
  if (select)
    adw_tab_view_set_selected_page (self->tabs, page);
  gtk_stack_set_visible_child_name (self->stack, "panels");
  return TRUE;
}

static void
rebuild_add_menu (NlWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  for (GList *l = nl_panel_get_extensions (); l; l = l->next)
    {
      GIOExtension *ext = l->data;
      g_autoptr(NlPanel) probe = g_object_ref_sink (g_object_new (g_io_extension_get_type (ext), NULL));
      g_autofree char *action = g_strdup_printf ("win.add-panel::%s", g_io_extension_get_name (ext));

      if (session_has (self, nl_panel_get_needs (probe)))
        g_menu_append (menu, nl_panel_get_title (probe), action);
    }
  gtk_menu_button_set_menu_model (self->add_panel_button, G_MENU_MODEL (menu));
}

/* Default panels for what was opened: the ones a NetPyNE user looks at first. */
static void
open_default_panels (NlWindow *self)
{
  static const char *const order[] = { "raster", "spikehist", "traces", "lfp", "conn", "net2d", "shape" };
  NlResults *r = nl_session_get_results (self->session);
  guint opened = 0;

  for (guint i = 0; i < G_N_ELEMENTS (order) && opened < 4; i++)
    {
      const char *name = order[i];
      guint64 n;
      guint ne;
      double dt;
      g_autoptr(NlPanel) probe = nl_panel_new_by_name (name);

      if (!probe)
        continue;
      g_object_ref_sink (probe);
      if (!session_has (self, nl_panel_get_needs (probe)))
        continue;
      if (g_str_equal (name, "traces") && (!r || nl_results_get_n_traces (r) == 0))
        continue;
      if (g_str_equal (name, "lfp") && (!r || !nl_results_get_lfp (r, &n, &ne, &dt)))
        continue;
      if (add_panel (self, name, opened == 0))
        opened++;
    }
}

/* An edited model's network, built off the main thread; a newer edit cancels an older build. */
static void
build_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  NlBuildOptions opt = { 0 };
  GError *error = NULL;
  NlNetwork *net;

  opt.cancellable = cancellable;
  net = nl_build_network (data, &opt, NULL, &error);
  if (net)
    g_task_return_pointer (task, net, (GDestroyNotify) nl_network_unref);
  else
    g_task_return_error (task, error);
}

static void
build_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlWindow *self = data;
  g_autoptr(GError) error = NULL;
  NlNetwork *net = g_task_propagate_pointer (G_TASK (result), &error);
  NlSpec *spec = g_task_get_task_data (G_TASK (result));

  self->busy--;
  if (net && spec == nl_session_get_spec (self->session))
    nl_session_set_network (self->session, net);
  else if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           && spec == nl_session_get_spec (self->session))
    show_error (self, error->message);
  g_clear_pointer (&net, nl_network_unref);
  g_object_unref (self);
}

static void
rebuild_network (NlWindow *self)
{
  NlSpec *spec = nl_session_get_spec (self->session);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  if (nl_spec_validate (spec, problems) > 0)
    return;
  self->build_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->build_cancellable, build_done, g_object_ref (self));
  g_task_set_task_data (task, g_object_ref (spec), g_object_unref);
  self->busy++;
  g_task_run_in_thread (task, build_thread);
}

static void
session_changed (NlSession *session, guint parts, NlWindow *self)
{
  g_autofree char *title = nl_session_dup_title (session);

  adw_window_title_set_subtitle (self->title, title ? title : "");
  rebuild_sidebar (self);
  rebuild_add_menu (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-command",
                                 nl_session_get_model_file (session) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", nl_session_get_spec (session) != NULL);

  /* Panels already open show the new data; the first file opens the usual ones. */
  for (int i = 0; i < adw_tab_view_get_n_pages (self->tabs); i++)
    {
      NlPanel *panel = NL_PANEL (adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tabs, i)));
      if (session_has (self, nl_panel_get_needs (panel)))
        nl_panel_load (panel, session);
      else
        nl_panel_unload (panel);
    }
  if (adw_tab_view_get_n_pages (self->tabs) == 0)
    open_default_panels (self);
  if (nl_session_get_spec (session) && !nl_session_get_network (session))
    rebuild_network (self);
}

/* Opening ----------------------------------------------------------------------------------- */

static void
open_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlWindow *self = data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_object_get_data (G_OBJECT (result), "nl-file");

  self->busy--;
  if (!nl_session_open_finish (NL_SESSION (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
    }
  else if (file)
    {
      g_autofree char *uri = g_file_get_uri (file);
      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
    }
  g_object_unref (self);
}

void
nl_window_open (NlWindow *self, GFile *file)
{
  self->busy++;
  nl_session_open_async (self->session, file, self->cancellable, open_done, g_object_ref (self));
}

gboolean
nl_window_is_busy (NlWindow *self)
{
  return self->busy > 0;
}

static void
open_response (GtkNativeDialog *dialog, int response, NlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      nl_window_open (self, file);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Open a Model or Results"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Models and results"));
  for (const char *const *p = (const char *const[]) { "*.json", "*.json.gz", "*.h5", "*.hdf5", "*.mat",
                                                      "*.pkl", "*.csv", NULL }; *p; p++)
    gtk_file_filter_add_pattern (filter, *p);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_file_action (GtkWidget *widget, const char *action, GVariant *param)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (param, NULL));
  nl_window_open (NL_WINDOW (widget), file);
}

static void
add_panel_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (!add_panel (self, name, TRUE))
    {
      g_autofree char *msg = g_strdup_printf (_("No panel called “%s” is installed"), name);
      show_error (self, msg);
    }
}

static void
close_panel_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tabs);

  if (page)
    adw_tab_view_close_page (self->tabs, page);
}

GtkWidget *
nl_window_get_current_panel (NlWindow *self)
{
  AdwTabPage *page = adw_tab_view_get_selected_page (self->tabs);
  return page ? adw_tab_page_get_child (page) : NULL;
}

/* Export ------------------------------------------------------------------------------------ */

static void
export_to (NlWindow *self, const char *filename)
{
  GtkWidget *panel = nl_window_get_current_panel (self);
  g_autoptr(GError) error = NULL;

  if (!panel)
    {
      show_error (self, _("Open a panel first: Export writes the figure of the panel shown"));
      return;
    }
  if (!nl_panel_export_figure (NL_PANEL (panel), filename, &error))
    show_error (self, error->message);
}

static void
export_response (GtkNativeDialog *dialog, int response, NlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      export_to (self, path);
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GtkWidget *panel = nl_window_get_current_panel (self);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (!panel)
    {
      show_error (self, _("Open a panel first: Export writes the figure of the panel shown"));
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.png", (char *) g_object_get_data (G_OBJECT (panel), "nl-panel-name"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_to_action (GtkWidget *widget, const char *action, GVariant *param)
{
  export_to (NL_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* Run: the simulation panel runs the session's model in the background. */
static void
run_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GtkWidget *panel;
  GActionGroup *group;

  if (!nl_session_get_spec (self->session))
    {
      show_error (self, _("Open a model first: Run simulates the model in NEURON"));
      return;
    }
  if (!add_panel (self, "sim", TRUE))
    {
      show_error (self, _("The simulation plugin is not installed"));
      return;
    }
  panel = nl_window_get_current_panel (self);
  group = nl_panel_get_action_group (NL_PANEL (panel));
  if (group)
    g_action_group_activate_action (group, "run", NULL);
}

static void
cancel_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  AdwTabPage *page = find_page (self, "sim");
  GActionGroup *group;

  if (page && (group = nl_panel_get_action_group (NL_PANEL (adw_tab_page_get_child (page)))))
    g_action_group_activate_action (group, "cancel", NULL);
}

/* The exact command line that runs the open model on a cluster. */
static void
copy_command_action (GtkWidget *widget, const char *action, GVariant *param)
{
  NlWindow *self = NL_WINDOW (widget);
  GFile *model = nl_session_get_model_file (self->session);
  g_autofree char *path = model ? g_file_get_path (model) : NULL;
  g_autofree char *quoted = NULL, *command = NULL;

  if (!path)
    return;
  quoted = g_shell_quote (path);
  command = g_strdup_printf ("netloom run %s -n 4 -o results.h5", quoted);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), command);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Command copied")));
}

/* Drag and drop ----------------------------------------------------------------------------- */

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, NlWindow *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l; l = l->next)
    nl_window_open (self, l->data);
  return files != NULL;
}

static void
row_activated (GtkListBox *box, GtkListBoxRow *row, NlWindow *self)
{
  const char *panel = g_object_get_data (G_OBJECT (row), "nl-panel");
  if (panel)
    add_panel (self, panel, TRUE);
}

/* Object ------------------------------------------------------------------------------------ */

static void
nl_window_dispose (GObject *object)
{
  NlWindow *self = NL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->build_cancellable);
  g_clear_object (&self->build_cancellable);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NL_TYPE_WINDOW);
  G_OBJECT_CLASS (nl_window_parent_class)->dispose (object);
}

static void
nl_window_finalize (GObject *object)
{
  g_free (NL_WINDOW (object)->last_error);
  G_OBJECT_CLASS (nl_window_parent_class)->finalize (object);
}

static void
nl_window_class_init (NlWindowClass *klass)
{
  GtkWidgetClass *wc = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = nl_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = nl_window_finalize;
  gtk_widget_class_set_template_from_resource (wc, "/org/netloom/Workbench/nl-window.ui");
  gtk_widget_class_bind_template_child (wc, NlWindow, title);
  gtk_widget_class_bind_template_child (wc, NlWindow, sidebar);
  gtk_widget_class_bind_template_child (wc, NlWindow, stack);
  gtk_widget_class_bind_template_child (wc, NlWindow, tabs);
  gtk_widget_class_bind_template_child (wc, NlWindow, toasts);
  gtk_widget_class_bind_template_child (wc, NlWindow, add_panel_button);

  gtk_widget_class_install_action (wc, "win.open", NULL, open_action);
  gtk_widget_class_install_action (wc, "win.open-file", "s", open_file_action);
  gtk_widget_class_install_action (wc, "win.add-panel", "s", add_panel_action);
  gtk_widget_class_install_action (wc, "win.close-panel", NULL, close_panel_action);
  gtk_widget_class_install_action (wc, "win.export", NULL, export_action);
  gtk_widget_class_install_action (wc, "win.export-to", "s", export_to_action);
  gtk_widget_class_install_action (wc, "win.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (wc, "win.run", NULL, run_action);
  gtk_widget_class_install_action (wc, "win.cancel-run", NULL, cancel_action);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_period, GDK_CONTROL_MASK, "win.cancel-run", NULL);

  gtk_widget_class_add_binding_action (wc, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (wc, GDK_KEY_w, GDK_CONTROL_MASK, "win.close-panel", NULL);
}

static void
nl_window_init (NlWindow *self)
{
  static gsize icons_once = 0;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->session = nl_session_new ();
  g_signal_connect (self->session, "changed", G_CALLBACK (session_changed), self);
  g_signal_connect (self->sidebar, "row-activated", G_CALLBACK (row_activated), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  nl_panel_load_modules ();
  if (g_once_init_enter (&icons_once))
    {
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                        "/org/netloom/Workbench/icons");
      g_once_init_leave (&icons_once, 1);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-command", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", FALSE);
  rebuild_add_menu (self);
}

NlWindow *
nl_window_new (GtkApplication *app)
{
  return g_object_new (NL_TYPE_WINDOW, "application", app, NULL);
}

NlSession *
nl_window_get_session (NlWindow *self)
{
  return self->session;
}
