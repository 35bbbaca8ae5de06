/* nl-sim-panel.c — the simulation plugin: runs the session's model in NEURON in the
 * background (GTask + sim/nl-run), with MPI ranks to choose, progress and ETA, Cancel (which
 * ends nrniv/mpiexec), a raster that fills while NEURON runs, and the results handed to the
 * session (so every panel shows them) when it is done. NEURON's own error text appears in the
 * panel; the workbench survives it.
 */
#include "nl-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <nl-build.h>
#include <nl-panel.h>
#include <nl-raster-figure.h>
#include <nl-run.h>

#define NL_TYPE_SIM_PANEL (nl_sim_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlSimPanel, nl_sim_panel, NL, SIM_PANEL, GtkWidget)

/* What the worker thread shares with the main thread while a run goes on. */
typedef struct {
  GMutex     lock;
  double     t_ms, duration_ms;
  GArray    *spike_t;      /* received so far */
  GArray    *spike_gid;
  gboolean   new_spikes;
  gint64     started;      /* monotonic µs */
} Live;

struct _NlSimPanel {
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkSpinButton      *ranks;
  GtkWidget          *run_button;
  GtkWidget          *cancel_button;
  GtkProgressBar     *progress;
  GtkLabel           *status;
  GtkWidget          *raster;
  GtkLabel           *log;

  NlSession          *session;
  GSimpleActionGroup *actions;
  GCancellable       *cancellable;
  Live               *live;
  NlResults          *live_results;   /* what the raster shows */
  guint               tick;
  guint               state;          /* 0 idle, 1 running, 2 done, 3 failed, 4 cancelled */
};

static void nl_sim_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlSimPanel, nl_sim_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_sim_panel_iface_init))

static const char *const state_names[] = { "idle", "running", "done", "failed", "cancelled" };

static void
live_free (Live *live)
{
  g_mutex_clear (&live->lock);
  g_array_unref (live->spike_t);
  g_array_unref (live->spike_gid);
  g_free (live);
}

static void
set_state (NlSimPanel *self, guint state)
{
  self->state = state;
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "state")),
                             g_variant_new_string (state_names[state]));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "run")),
                               state != 1 && self->session && nl_session_get_spec (self->session));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "cancel")),
                               state == 1);
}

/* Worker thread ------------------------------------------------------------------------------ */

typedef struct {
  NlSpec    *spec;
  NlNetwork *net;
  guint      ranks;
  Live      *live;
} RunData;

static void
run_data_free (RunData *d)
{
  g_clear_object (&d->spec);
  g_clear_pointer (&d->net, nl_network_unref);
  g_free (d);
}

static void
on_progress (double t_ms, double duration_ms, gpointer data)
{
  Live *live = data;
  g_mutex_lock (&live->lock);
  live->t_ms = t_ms;
  live->duration_ms = duration_ms;
  g_mutex_unlock (&live->lock);
}

static void
on_spikes (const double *t, const guint32 *gid, guint64 n, gpointer data)
{
  Live *live = data;
  g_mutex_lock (&live->lock);
  g_array_append_vals (live->spike_t, t, n);
  g_array_append_vals (live->spike_gid, gid, n);
  live->new_spikes = TRUE;
  g_mutex_unlock (&live->lock);
}

static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RunData *d = data;
  NlRunOptions opt = { 0 };
  GError *error = NULL;
  NlResults *r;

  if (!d->net)
    {
      NlBuildOptions bopt = { 0 };
      bopt.cancellable = cancellable;
      d->net = nl_build_network (d->spec, &bopt, NULL, &error);
      if (!d->net)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  opt.n_ranks = d->ranks;
  opt.cancellable = cancellable;
  opt.progress = on_progress;
  opt.progress_data = d->live;
  opt.spikes = on_spikes;
  opt.spikes_data = d->live;
  r = nl_run_full (d->spec, d->net, &opt, &error);
  if (r)
    g_task_return_pointer (task, r, (GDestroyNotify) nl_results_unref);
  else
    g_task_return_error (task, error);
}

/* Main thread -------------------------------------------------------------------------------- */

static void
update_live_results (NlSimPanel *self)
{
  NlNetwork *net = self->session ? nl_session_get_network (self->session) : NULL;
  NlResults *r = nl_results_new ();
  guint64 n;
  double *t;
  guint32 *g;

  g_mutex_lock (&self->live->lock);
  n = self->live->spike_t->len;
  t = g_memdup2 (self->live->spike_t->data, n * sizeof (double));
  g = g_memdup2 (self->live->spike_gid->data, n * sizeof (guint32));
  self->live->new_spikes = FALSE;
  nl_results_set_duration (r, self->live->duration_ms);
  g_mutex_unlock (&self->live->lock);

  nl_results_set_spikes (r, t, g, n);
  if (net)
    {
      nl_results_set_n_cells (r, nl_network_get_n_cells (net));
      for (guint p = 0; p < nl_network_get_n_pops (net); p++)
        {
          const NlNetPop *pop = nl_network_get_pop (net, p);
          g_autofree guint32 *gids = g_new (guint32, MAX (pop->n_cells, 1));
          for (guint i = 0; i < pop->n_cells; i++)
            gids[i] = pop->first + i;
          nl_results_add_pop (r, pop->name, gids, pop->n_cells);
        }
    }
  g_clear_pointer (&self->live_results, nl_results_unref);
  self->live_results = r;
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "live-spikes")),
                             g_variant_new_uint64 (n));
  gtk_widget_queue_draw (self->raster);
}

static gboolean
tick (gpointer data)
{
  NlSimPanel *self = data;
  double t, duration;
  gboolean fresh;
  g_autofree char *text = NULL;
  double elapsed;

  g_mutex_lock (&self->live->lock);
  t = self->live->t_ms;
  duration = self->live->duration_ms;
  fresh = self->live->new_spikes;
  elapsed = (g_get_monotonic_time () - self->live->started) / 1e6;
  g_mutex_unlock (&self->live->lock);

  if (duration > 0)
    {
      double f = CLAMP (t / duration, 0, 1);
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "progress")),
                                 g_variant_new_double (f));
      gtk_progress_bar_set_fraction (self->progress, f);
      if (f > 0.01)
        text = g_strdup_printf (_("%.1f of %.0f ms — about %.0f s left"), t, duration, elapsed * (1 - f) / f);
      else
        text = g_strdup_printf (_("%.1f of %.0f ms"), t, duration);
      gtk_progress_bar_set_text (self->progress, text);
    }
  else
    gtk_progress_bar_pulse (self->progress);
  if (fresh)
    update_live_results (self);
  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NlSimPanel *self = data;
  g_autoptr(GError) error = NULL;
  NlResults *r = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_handle_id (&self->tick, g_source_remove);
  if (r)
    {
      guint64 n = nl_results_get_n_spikes (r);
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s spike in %.0f ms",
                                                            "%s spikes in %.0f ms", (gulong) MIN (n, G_MAXULONG)),
                                               count, nl_results_get_duration (r));
      gtk_progress_bar_set_fraction (self->progress, 1);
      gtk_progress_bar_set_text (self->progress, text);
      gtk_label_set_text (self->status, _("Done: the results are in the other panels"));
      gtk_label_set_text (self->log, "");
      g_clear_pointer (&self->live_results, nl_results_unref);
      self->live_results = nl_results_ref (r);
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "live-spikes")),
                                 g_variant_new_uint64 (n));
      gtk_widget_queue_draw (self->raster);
      set_state (self, 2);
      if (self->session)
        nl_session_set_results (self->session, r, NULL);
      nl_results_unref (r);
    }
  else if (g_error_matches (error, NL_RUN_ERROR, NL_RUN_ERROR_CANCELLED)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->status, _("Cancelled"));
      set_state (self, 4);
    }
  else
    {
      gtk_label_set_text (self->status, _("The simulation failed"));
      gtk_label_set_text (self->log, error->message);
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "error")),
                                 g_variant_new_string (error->message));
      set_state (self, 3);
    }
  g_clear_object (&self->cancellable);
  g_object_unref (self);
}

static void
run_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlSimPanel *self = data;
  NlSpec *spec = self->session ? nl_session_get_spec (self->session) : NULL;
  NlNetwork *net = self->session ? nl_session_get_network (self->session) : NULL;
  g_autoptr(GTask) task = NULL;
  RunData *d;

  if (!spec || self->state == 1)
    return;
  if (self->live)
    live_free (self->live);
  self->live = g_new0 (Live, 1);
  g_mutex_init (&self->live->lock);
  self->live->spike_t = g_array_new (FALSE, FALSE, sizeof (double));
  self->live->spike_gid = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->live->duration_ms = nl_spec_get_double (spec, "simConfig.duration", 1000);
  self->live->started = g_get_monotonic_time ();
  g_clear_pointer (&self->live_results, nl_results_unref);

  d = g_new0 (RunData, 1);
  d->spec = g_object_ref (spec);
  d->net = net ? nl_network_ref (net) : NULL;
  d->ranks = (guint) gtk_spin_button_get_value_as_int (self->ranks);
  d->live = self->live;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, run_done, g_object_ref (self));
  g_task_set_task_data (task, d, (GDestroyNotify) run_data_free);
  gtk_label_set_text (self->status, d->ranks > 1 ? _("Running on MPI ranks…") : _("Running…"));
  gtk_label_set_text (self->log, "");
  gtk_progress_bar_set_fraction (self->progress, 0);
  set_state (self, 1);
  self->tick = g_timeout_add (100, tick, self);
  g_task_run_in_thread (task, run_thread);
}

static void
cancel_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  NlSimPanel *self = data;
  g_cancellable_cancel (self->cancellable);
}

/* The live raster: the same figure `netloom plot raster` draws. */
static void
draw_raster (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  NlSimPanel *self = data;
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (!self->live_results || width < 50 || height < 50)
    return;
  o.base.width = width;
  o.base.height = height;
  if (self->live)
    {
      o.base.t_start = 0;
      o.base.t_stop = self->live->duration_ms;
    }
  fig = nl_raster_figure_new (self->live_results, &o, NULL);
  if (fig)
    nl_figure_render (fig, cr);
}

/* NlPanel ---------------------------------------------------------------------------------- */

static const char *
get_title (NlPanel *panel)
{
  return _("Simulation");
}

static const char *
get_icon_name (NlPanel *panel)
{
  return "media-playback-start-symbolic";
}

static NlSessionParts
get_needs (NlPanel *panel)
{
  return NL_SESSION_SPEC;
}

static void
load (NlPanel *panel, NlSession *session)
{
  NlSimPanel *self = NL_SIM_PANEL (panel);
  g_set_object (&self->session, session);
  set_state (self, self->state);
}

static void
unload (NlPanel *panel)
{
  NlSimPanel *self = NL_SIM_PANEL (panel);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  set_state (self, self->state == 1 ? 1 : 0);
}

static GActionGroup *
get_action_group (NlPanel *panel)
{
  return G_ACTION_GROUP (NL_SIM_PANEL (panel)->actions);
}

static gboolean
export_figure (NlPanel *panel, const char *filename, GError **error)
{
  NlSimPanel *self = NL_SIM_PANEL (panel);
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;

  if (!self->live_results)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Run the model first: there is no raster yet"));
      return FALSE;
    }
  o.base.width = MAX (gtk_widget_get_width (self->raster), 400);
  o.base.height = MAX (gtk_widget_get_height (self->raster), 300);
  fig = nl_raster_figure_new (self->live_results, &o, error);
  return fig && nl_figure_save (fig, filename, error);
}

static void
nl_sim_panel_iface_init (NlPanelInterface *iface)
{
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_needs = get_needs;
  iface->load = load;
  iface->unload = unload;
  iface->get_action_group = get_action_group;
  iface->export_figure = export_figure;
}

/* Object ----------------------------------------------------------------------------------- */

static void
nl_sim_panel_dispose (GObject *object)
{
  NlSimPanel *self = NL_SIM_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->live_results, nl_results_unref);
  G_OBJECT_CLASS (nl_sim_panel_parent_class)->dispose (object);
}

static void
nl_sim_panel_finalize (GObject *object)
{
  NlSimPanel *self = NL_SIM_PANEL (object);
  /* A run still going holds a reference to the panel: by now it has finished. */
  if (self->live)
    live_free (self->live);
  G_OBJECT_CLASS (nl_sim_panel_parent_class)->finalize (object);
}

static void
nl_sim_panel_class_init (NlSimPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nl_sim_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = nl_sim_panel_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
nl_sim_panel_init (NlSimPanel *self)
{
  static const GActionEntry entries[] = {
    { "run", run_activated, NULL, NULL, NULL },
    { "cancel", cancel_activated, NULL, NULL, NULL },
    { "state", NULL, NULL, "'idle'", NULL },
    /* For tests and accessibility: how far the run is, and how many spikes arrived live. */
    { "progress", NULL, NULL, "0.0", NULL },
    { "live-spikes", NULL, NULL, "uint64 0", NULL },
    { "error", NULL, NULL, "''", NULL },
  };
  GtkWidget *bar, *label, *frame;

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (self->box, 8);
  gtk_widget_set_margin_end (self->box, 8);
  gtk_widget_set_margin_top (self->box, 8);
  gtk_widget_set_margin_bottom (self->box, 8);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  label = gtk_label_new (_("MPI ranks"));
  gtk_box_append (GTK_BOX (bar), label);
  self->ranks = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, MAX (4 * g_get_num_processors (), 4), 1));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->ranks), _("1 runs one nrniv; more run mpiexec -n N nrniv -mpi. "
                                                           "Spikes are identical for any number of ranks."));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->ranks));
  self->run_button = gtk_button_new_with_mnemonic (_("_Run"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->run_button), "panel.run");
  gtk_box_append (GTK_BOX (bar), self->run_button);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_add_css_class (self->cancel_button, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button), "panel.cancel");
  gtk_box_append (GTK_BOX (bar), self->cancel_button);
  self->status = GTK_LABEL (gtk_label_new (_("Ready to run the model in NEURON")));
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_label_set_ellipsize (self->status, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (self->box), bar);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_progress_bar_set_text (self->progress, "");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->progress));

  frame = gtk_frame_new (NULL);
  self->raster = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->raster, TRUE);
  gtk_widget_set_hexpand (self->raster, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->raster), draw_raster, self, NULL);
  gtk_frame_set_child (GTK_FRAME (frame), self->raster);
  gtk_box_append (GTK_BOX (self->box), frame);

  self->log = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->log, 0);
  gtk_label_set_wrap (self->log, TRUE);
  gtk_label_set_selectable (self->log, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->log), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->log), "error");
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->log));

  set_state (self, 0);
}

/* The registrar ---------------------------------------------------------------------------- */

NL_PANEL_MODULE (nl_sim_panel, NL_TYPE_SIM_PANEL, "sim", 1)
