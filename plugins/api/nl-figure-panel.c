/* nl-figure-panel.c — see nl-figure-panel.h. */
#include "nl-config.h"
#include "nl-figure-panel.h"

#include <glib/gi18n-lib.h>

typedef struct {
  GtkWidget          *box;
  GtkWidget          *toolbar;
  GtkWidget          *stack;
  GtkWidget          *area;
  GtkWidget          *spinner;
  GtkWidget          *message;
  NlSession          *session;
  GCancellable       *cancellable;
  GSimpleActionGroup *actions;
  gpointer            data;
  NlFigure           *figure;
  guint               fig_width, fig_height;
  guint               generation;
} NlFigurePanelPrivate;

static void nl_figure_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (NlFigurePanel, nl_figure_panel, GTK_TYPE_WIDGET,
                                  G_ADD_PRIVATE (NlFigurePanel)
                                  G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_figure_panel_iface_init))

static void
input_clear (NlPanelInput *in)
{
  g_clear_object (&in->spec);
  g_clear_pointer (&in->network, nl_network_unref);
  g_clear_pointer (&in->results, nl_results_unref);
}

typedef struct {
  NlPanelInput input;
  guint        generation;
} Job;

static void
job_free (Job *job)
{
  input_clear (&job->input);
  g_free (job);
}

static void
set_state (NlFigurePanel *self, gboolean computing, const char *error)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);

  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (priv->actions), "computing")),
                             g_variant_new_boolean (computing));
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (priv->actions), "error")),
                             g_variant_new_string (error ? error : ""));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (priv->actions), "cancel")),
                               computing);
  gtk_spinner_set_spinning (GTK_SPINNER (priv->spinner), computing);
  if (computing)
    gtk_stack_set_visible_child_name (GTK_STACK (priv->stack), "computing");
  else if (error)
    {
      gtk_label_set_text (GTK_LABEL (priv->message), error);
      gtk_stack_set_visible_child_name (GTK_STACK (priv->stack), "message");
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (priv->stack), "figure");
}

static void
clear_data (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  NlFigurePanelClass *klass = NL_FIGURE_PANEL_GET_CLASS (self);

  if (priv->data && klass->free_data)
    klass->free_data (priv->data);
  priv->data = NULL;
  g_clear_pointer (&priv->figure, nl_figure_free);
}

static void
compute_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  NlFigurePanel *self = source;
  Job *job = task_data;
  GError *error = NULL;
  gpointer data = NL_FIGURE_PANEL_GET_CLASS (self)->compute (self, &job->input, cancellable, &error);

  if (data)
    g_task_return_pointer (task, data, NL_FIGURE_PANEL_GET_CLASS (self)->free_data);
  else if (error)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("Nothing to show for this data"));
}

static void
compute_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NlFigurePanel *self = NL_FIGURE_PANEL (source);
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gpointer data = g_task_propagate_pointer (G_TASK (result), &error);

  if (job->generation != priv->generation)
    {
      /* A newer computation replaced this one. */
      if (data && NL_FIGURE_PANEL_GET_CLASS (self)->free_data)
        NL_FIGURE_PANEL_GET_CLASS (self)->free_data (data);
      return;
    }
  g_clear_object (&priv->cancellable);
  clear_data (self);
  if (!data)
    {
      set_state (self, FALSE, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Cancelled")
                                                                                       : error->message);
      return;
    }
  priv->data = data;
  set_state (self, FALSE, NULL);
  gtk_widget_queue_draw (priv->area);
}

void
nl_figure_panel_recompute (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->generation++;
  if (!priv->session)
    return;
  job = g_new0 (Job, 1);
  job->generation = priv->generation;
  if (nl_session_get_spec (priv->session))
    job->input.spec = g_object_ref (nl_session_get_spec (priv->session));
  if (nl_session_get_network (priv->session))
    job->input.network = nl_network_ref (nl_session_get_network (priv->session));
  if (nl_session_get_results (priv->session))
    job->input.results = nl_results_ref (nl_session_get_results (priv->session));
  priv->cancellable = g_cancellable_new ();
  task = g_task_new (self, priv->cancellable, compute_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_state (self, TRUE, NULL);
  g_task_run_in_thread (task, compute_thread);
}

void
nl_figure_panel_redraw (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  g_clear_pointer (&priv->figure, nl_figure_free);
  gtk_widget_queue_draw (priv->area);
}

static NlFigure *
build (NlFigurePanel *self, guint width, guint height, GError **error)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  return NL_FIGURE_PANEL_GET_CLASS (self)->build_figure (self, priv->data, width, height, error);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  NlFigurePanel *self = user_data;
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (!priv->data || width < 40 || height < 40)
    return;
  if (!priv->figure || priv->fig_width != (guint) width || priv->fig_height != (guint) height)
    {
      g_autoptr(GError) error = NULL;
      g_clear_pointer (&priv->figure, nl_figure_free);
      priv->figure = build (self, width, height, &error);
      priv->fig_width = width;
      priv->fig_height = height;
      if (!priv->figure)
        {
          set_state (self, FALSE, error ? error->message : _("The figure could not be drawn"));
          return;
        }
    }
  nl_figure_render (priv->figure, cr);
}

/* NlPanel ----------------------------------------------------------------------------------- */

static const char *
get_title (NlPanel *panel)
{
  return NL_FIGURE_PANEL_GET_CLASS (panel)->title;
}

static const char *
get_icon_name (NlPanel *panel)
{
  const char *icon = NL_FIGURE_PANEL_GET_CLASS (panel)->icon_name;
  return icon ? icon : "image-x-generic-symbolic";
}

static NlSessionParts
get_needs (NlPanel *panel)
{
  return NL_FIGURE_PANEL_GET_CLASS (panel)->needs;
}

static void
load (NlPanel *panel, NlSession *session)
{
  NlFigurePanel *self = NL_FIGURE_PANEL (panel);
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);

  g_set_object (&priv->session, session);
  nl_figure_panel_recompute (self);
}

static void
unload (NlPanel *panel)
{
  NlFigurePanel *self = NL_FIGURE_PANEL (panel);
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->generation++;
  g_clear_object (&priv->session);
  clear_data (self);
  set_state (self, FALSE, _("Open data this panel can show"));
}

static GActionGroup *
get_action_group (NlPanel *panel)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (NL_FIGURE_PANEL (panel));
  return G_ACTION_GROUP (priv->actions);
}

static gboolean
export_figure (NlPanel *panel, const char *filename, GError **error)
{
  NlFigurePanel *self = NL_FIGURE_PANEL (panel);
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  g_autoptr(NlFigure) fig = NULL;
  guint w = MAX (gtk_widget_get_width (priv->area), 400), h = MAX (gtk_widget_get_height (priv->area), 300);

  if (!priv->data)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: %s", get_title (panel),
                   _("nothing is shown yet, so there is nothing to export"));
      return FALSE;
    }
  /* The view as shown: same data and options, at the size on screen. */
  fig = build (self, w, h, error);
  return fig && nl_figure_save (fig, filename, error);
}

static void
nl_figure_panel_iface_init (NlPanelInterface *iface)
{
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_needs = get_needs;
  iface->load = load;
  iface->unload = unload;
  iface->get_action_group = get_action_group;
  iface->export_figure = export_figure;
}

/* Actions and object ------------------------------------------------------------------------- */

static void
refresh_activated (GSimpleAction *a, GVariant *p, gpointer self)
{
  nl_figure_panel_recompute (self);
}

static void
cancel_activated (GSimpleAction *a, GVariant *p, gpointer self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  g_cancellable_cancel (priv->cancellable);
}

GtkBox *
nl_figure_panel_get_toolbar (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  gtk_widget_set_visible (priv->toolbar, TRUE);
  return GTK_BOX (priv->toolbar);
}

gpointer
nl_figure_panel_get_data (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  return priv->data;
}

NlFigure *
nl_figure_panel_get_figure (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  return priv->figure;
}

GSimpleActionGroup *
nl_figure_panel_get_actions (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  return priv->actions;
}

static void
nl_figure_panel_dispose (GObject *object)
{
  NlFigurePanel *self = NL_FIGURE_PANEL (object);
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->generation++;
  clear_data (self);
  g_clear_pointer (&priv->box, gtk_widget_unparent);
  g_clear_object (&priv->session);
  g_clear_object (&priv->actions);
  G_OBJECT_CLASS (nl_figure_panel_parent_class)->dispose (object);
}

static void
nl_figure_panel_class_init (NlFigurePanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nl_figure_panel_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
nl_figure_panel_init (NlFigurePanel *self)
{
  NlFigurePanelPrivate *priv = nl_figure_panel_get_instance_private (self);
  static const GActionEntry entries[] = {
    { "refresh", refresh_activated, NULL, NULL, NULL },
    { "cancel", cancel_activated, NULL, NULL, NULL },
    { "computing", NULL, NULL, "false", NULL },
    { "error", NULL, NULL, "''", NULL },
  };
  GtkWidget *busy, *cancel;

  priv->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (priv->actions), entries, G_N_ELEMENTS (entries), self);

  priv->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (priv->box, GTK_WIDGET (self));
  priv->toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (priv->toolbar, 8);
  gtk_widget_set_margin_end (priv->toolbar, 8);
  gtk_widget_set_margin_top (priv->toolbar, 4);
  gtk_widget_set_margin_bottom (priv->toolbar, 4);
  gtk_widget_set_visible (priv->toolbar, FALSE);
  gtk_box_append (GTK_BOX (priv->box), priv->toolbar);

  priv->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (priv->stack, TRUE);
  priv->area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (priv->area), draw, self, NULL);
  gtk_stack_add_named (GTK_STACK (priv->stack), priv->area, "figure");

  busy = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_valign (busy, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (busy, GTK_ALIGN_CENTER);
  priv->spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (priv->spinner, 32, 32);
  gtk_box_append (GTK_BOX (busy), priv->spinner);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "panel.cancel");
  gtk_box_append (GTK_BOX (busy), cancel);
  gtk_stack_add_named (GTK_STACK (priv->stack), busy, "computing");

  priv->message = gtk_label_new (_("Open data this panel can show"));
  gtk_label_set_wrap (GTK_LABEL (priv->message), TRUE);
  gtk_widget_add_css_class (priv->message, "dim-label");
  gtk_stack_add_named (GTK_STACK (priv->stack), priv->message, "message");
  gtk_stack_set_visible_child_name (GTK_STACK (priv->stack), "message");
  gtk_box_append (GTK_BOX (priv->box), priv->stack);
}
