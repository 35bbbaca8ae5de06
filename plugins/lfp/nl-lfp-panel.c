/* nl-lfp-panel.c — the LFP panel: NetPyNE's plotLFP (time series, PSD, spectrogram, electrode
 * locations) drawn by the same figure as `netloom plot lfp`. The part and the electrode are
 * stateful actions ("part": all, timeseries, psd, spectrogram, locations; "electrode": −1 for
 * all, else one electrode, which the spectrogram then shows); changing either computes again.
 * Results without LFP show a message saying how to record it. */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <nl-figure-panel.h>
#include <nl-lfp-figure.h>

#include "nl-panel-controls.h"

#define NL_TYPE_LFP_PANEL (nl_lfp_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlLfpPanel, nl_lfp_panel, NL, LFP_PANEL, NlFigurePanel)

struct _NlLfpPanel {
  NlFigurePanel  parent_instance;
  GtkWidget     *part, *electrode;
  guint          n_electrodes;   /* the drop-down's, main thread */
  /* What the worker reads: copied from the actions' states under the lock. */
  GMutex         lock;
  guint          parts;
  int            electrode_index;
};

static void nl_lfp_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlLfpPanel, nl_lfp_panel, NL_TYPE_FIGURE_PANEL,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_lfp_panel_iface_init))

static NlPanelInterface *parent_iface;

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlLfpPanel *self = NL_LFP_PANEL (panel);
  NlLfpFigureOptions o = { 0 };
  guint one, n_el;
  guint64 n_t;
  double dt;

  if (!nl_results_get_lfp (in->results, &n_t, &n_el, &dt))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("These results have no LFP (NetPyNE records it with simConfig.recordLFP)"));
      return NULL;
    }
  g_mutex_lock (&self->lock);
  o.parts = self->parts;
  if (self->electrode_index >= 0)
    {
      one = (guint) self->electrode_index;
      o.electrodes = &one;
      o.n_electrodes = 1;
      o.spectrogram_electrode = one;
    }
  g_mutex_unlock (&self->lock);
  return nl_lfp_data_new (in->results, in->network, &o, error);
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  return nl_lfp_figure_new_from_data (data, width, height, error);
}

static void
option_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  NlLfpPanel *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "part"))
    {
      guint parts = nl_lfp_show_from_name (g_variant_get_string (value, NULL));
      if (!parts)
        return;
      g_mutex_lock (&self->lock);
      self->parts = parts;
      g_mutex_unlock (&self->lock);
    }
  else
    {
      int e = g_variant_get_int32 (value);
      if (e < -1 || (self->n_electrodes && e >= (int) self->n_electrodes))
        return;
      g_mutex_lock (&self->lock);
      self->electrode_index = e;
      g_mutex_unlock (&self->lock);
    }
  g_simple_action_set_state (action, value);
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

/* The electrodes of the new results in the drop-down (main thread, before computing). */
static void
load (NlPanel *panel, NlSession *session)
{
  NlLfpPanel *self = NL_LFP_PANEL (panel);
  NlResults *r = nl_session_get_results (session);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint64 n = 0;
  guint ne = 0;
  double dt;

  if (!r || !nl_results_get_lfp (r, &n, &ne, &dt))
    ne = 0;
  self->n_electrodes = ne;
  g_ptr_array_add (ids, g_strdup ("-1"));
  g_ptr_array_add (labels, g_strdup (_("All electrodes")));
  for (guint e = 0; e < ne; e++)
    {
      g_ptr_array_add (ids, g_strdup_printf ("%u", e));
      g_ptr_array_add (labels, g_strdup_printf (_("Electrode %u"), e));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);
  if (self->electrode_index >= (int) ne)
    {
      GActionGroup *g = G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self)));
      g_mutex_lock (&self->lock);
      self->electrode_index = -1;
      g_mutex_unlock (&self->lock);
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (g), "electrode")),
                                 g_variant_new_int32 (-1));
    }
  nl_control_dropdown_set_items (self->electrode, (const char *const *) ids->pdata,
                                 (const char *const *) labels->pdata);
  parent_iface->load (panel, session);
}

static void
nl_lfp_panel_iface_init (NlPanelInterface *iface)
{
  parent_iface = g_type_interface_peek_parent (iface);
  iface->load = load;
}

static void
nl_lfp_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_LFP_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_lfp_panel_parent_class)->finalize (object);
}

static void
nl_lfp_panel_class_init (NlLfpPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_lfp_panel_finalize;
  fc->title = _("LFP");
  fc->icon_name = "utilities-system-monitor-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = (GDestroyNotify) nl_lfp_data_free;
  fc->build_figure = build_figure;
}

static void
nl_lfp_panel_init (NlLfpPanel *self)
{
  NlFigurePanel *fp = NL_FIGURE_PANEL (self);
  GSimpleActionGroup *group = nl_figure_panel_get_actions (fp);
  GtkBox *bar = nl_figure_panel_get_toolbar (fp);
  const char *const part_ids[] = { "all", "timeseries", "psd", "spectrogram", "locations", NULL };
  const char *const part_labels[] = { _("All parts"), _("Time series"), _("Power spectrum"),
                                      _("Spectrogram"), _("Electrode locations"), NULL };

  g_mutex_init (&self->lock);
  self->parts = NL_LFP_SHOW_ALL;
  self->electrode_index = -1;
  nl_control_add_action (group, "part", g_variant_new_string ("all"), G_CALLBACK (option_changed), self);
  nl_control_add_action (group, "electrode", g_variant_new_int32 (-1), G_CALLBACK (option_changed), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "panel", G_ACTION_GROUP (group));

  gtk_box_append (bar, gtk_label_new (_("Show")));
  self->part = nl_control_dropdown_new (group, "part");
  nl_control_dropdown_set_items (self->part, part_ids, part_labels);
  gtk_box_append (bar, self->part);
  self->electrode = nl_control_dropdown_new (group, "electrode");
  {
    const char *const ids[] = { "-1", NULL };
    const char *const labels[] = { _("All electrodes"), NULL };
    nl_control_dropdown_set_items (self->electrode, ids, labels);
  }
  gtk_box_append (bar, self->electrode);
}

NL_PANEL_MODULE (nl_lfp_panel, NL_TYPE_LFP_PANEL, "lfp", 40)
