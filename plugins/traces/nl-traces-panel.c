/* nl-traces-panel.c — the traces panel: one recorded trace (V_soma, a synaptic current …)
 * against time, for every recorded cell or one population's, in a time window; the figure is
 * the one `netloom plot traces` draws. Nothing needs computing: the worker only lists what the
 * results recorded, and every control redraws.
 *
 * Actions (prefix "panel."): "trace" (s, a trace name), "cells" (s, "" for every recorded cell
 * or a population name), "time-range" ((dd), start and stop in ms; stop ≤ start: the whole
 * run). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-cell-selection.h>
#include <nl-figure-panel.h>
#include <nl-traces-figure.h>

#define NL_TYPE_TRACES_PANEL (nl_traces_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlTracesPanel, nl_traces_panel, NL, TRACES_PANEL, NlFigurePanel)

struct _NlTracesPanel {
  NlFigurePanel  parent_instance;
  GtkStringList *trace_list;
  GtkStringList *cells_list;
  GtkDropDown   *trace_dd;
  GtkDropDown   *cells_dd;
  GtkSpinButton *from;
  GtkSpinButton *to;
  /* Main thread only (build_figure runs there): the options of the view. */
  char          *trace;       /* "" until the results are known: their first trace */
  char          *pop;         /* "" for every recorded cell */
  double         t_start, t_stop;
  gboolean       syncing;     /* widgets being set from the state: not a user's change */
};

G_DEFINE_FINAL_TYPE (NlTracesPanel, nl_traces_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  NlResults *results;
  char     **traces;   /* names, in the results' order, each once */
  char     **pops;     /* populations with at least one recorded cell */
  double     t_end;    /* the run's end (ms) */
} Traces;

static void
traces_free (gpointer p)
{
  Traces *d = p;
  nl_results_unref (d->results);
  g_strfreev (d->traces);
  g_strfreev (d->pops);
  g_free (d);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlResults *r = in->results;
  guint n_traces = nl_results_get_n_traces (r), n_pops = nl_results_get_n_pops (r);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) pops = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *recorded = g_new0 (gboolean, n_pops + 1);
  guint64 n_samples = 0;
  double t0, t1;
  Traces *d;

  if (n_traces == 0 || !nl_results_get_trace_time (r, &n_samples) || n_samples == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("These results have no recorded traces. Record some with simConfig.recordTraces "
                     "(e.g. {\"V_soma\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}}) and recordCells."));
      return NULL;
    }
  for (guint i = 0; i < n_traces; i++)
    {
      const char *name = nl_results_get_trace_name (r, i);
      if (g_hash_table_add (seen, (gpointer) name))
        g_strv_builder_add (names, name);
      for (guint c = 0; c < nl_results_get_trace_n_cells (r, i); c++)
        {
          guint32 gid;
          guint64 n;
          int p;
          nl_results_get_trace_values (r, i, c, &gid, &n);
          p = nl_results_find_pop_of_gid (r, gid);
          if (p >= 0 && (guint) p < n_pops)
            recorded[p] = TRUE;
        }
    }
  for (guint p = 0; p < n_pops; p++)
    if (recorded[p])
      g_strv_builder_add (pops, nl_results_get_pop_name (r, p));
  nl_results_figure_window (r, NULL, &t0, &t1);

  d = g_new0 (Traces, 1);
  d->results = nl_results_ref (r);
  d->traces = g_strv_builder_end (names);
  d->pops = g_strv_builder_end (pops);
  d->t_end = t1;
  return d;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  NlTracesPanel *self = NL_TRACES_PANEL (panel);
  Traces *d = data;
  const char *traces[2] = { NULL, NULL }, *pops[2] = { self->pop, NULL };
  NlTracesOptions o = { 0 };

  traces[0] = g_strv_contains ((const char *const *) d->traces, self->trace) ? self->trace : d->traces[0];
  o.traces = traces;
  o.base.width = width;
  o.base.height = height;
  if (*self->pop)
    o.base.pops = pops;
  if (self->t_stop > self->t_start)
    {
      o.base.t_start = self->t_start;
      o.base.t_stop = self->t_stop;
    }
  return nl_traces_figure_new (d->results, &o, error);
}

/* Options ------------------------------------------------------------------------------------ */

static GSimpleAction *
action (NlTracesPanel *self, const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))),
                                                      name));
}

/* A look changed. When the last figure could not be built the panel shows its message
 * instead of the drawing: start again from the data so the new figure replaces it. */
static void
show_again (NlTracesPanel *self)
{
  NlFigurePanel *panel = NL_FIGURE_PANEL (self);
  g_autoptr(GVariant) err = g_action_group_get_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (panel)),
                                                             "error");

  if (*g_variant_get_string (err, NULL) && nl_figure_panel_get_data (panel))
    nl_figure_panel_recompute (panel);
  else
    nl_figure_panel_redraw (panel);
}

static guint
find_string (GtkStringList *list, const char *s, guint from)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = from; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), s) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The drop-downs and spin buttons show the state. */
static void
sync_widgets (NlTracesPanel *self)
{
  guint i;

  self->syncing = TRUE;
  i = find_string (self->trace_list, self->trace, 0);
  gtk_drop_down_set_selected (self->trace_dd, i == GTK_INVALID_LIST_POSITION ? 0 : i);
  i = *self->pop ? find_string (self->cells_list, self->pop, 1) : 0;
  gtk_drop_down_set_selected (self->cells_dd, i == GTK_INVALID_LIST_POSITION ? 0 : i);
  if (self->t_stop > self->t_start)
    {
      gtk_spin_button_set_value (self->from, self->t_start);
      gtk_spin_button_set_value (self->to, self->t_stop);
    }
  self->syncing = FALSE;
}

static void
trace_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlTracesPanel *self = user_data;
  const char *name = g_variant_get_string (value, NULL);
  Traces *d = nl_figure_panel_get_data (NL_FIGURE_PANEL (self));

  if (g_str_equal (name, self->trace))
    return;
  if (d && !g_strv_contains ((const char *const *) d->traces, name))
    {
      g_warning ("traces panel: no trace '%s' in these results", name);
      return;
    }
  g_free (self->trace);
  self->trace = g_strdup (name);
  g_simple_action_set_state (a, value);
  sync_widgets (self);
  show_again (self);
}

static void
cells_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlTracesPanel *self = user_data;
  const char *name = g_variant_get_string (value, NULL);
  Traces *d = nl_figure_panel_get_data (NL_FIGURE_PANEL (self));

  if (g_str_equal (name, self->pop))
    return;
  if (d && *name && !g_strv_contains ((const char *const *) d->pops, name))
    {
      g_warning ("traces panel: no recorded cell of population '%s'", name);
      return;
    }
  g_free (self->pop);
  self->pop = g_strdup (name);
  g_simple_action_set_state (a, value);
  sync_widgets (self);
  show_again (self);
}

static void
range_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlTracesPanel *self = user_data;
  double t0, t1;

  g_variant_get (value, "(dd)", &t0, &t1);
  if (!isfinite (t0) || !isfinite (t1) || (t0 == self->t_start && t1 == self->t_stop))
    return;
  self->t_start = t0;
  self->t_stop = t1;
  g_simple_action_set_state (a, value);
  sync_widgets (self);
  show_again (self);
}

static void
trace_selected (GtkDropDown *dd, GParamSpec *pspec, NlTracesPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i == GTK_INVALID_LIST_POSITION)
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "trace",
                                      g_variant_new_string (gtk_string_list_get_string (self->trace_list, i)));
}

static void
cells_selected (GtkDropDown *dd, GParamSpec *pspec, NlTracesPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i == GTK_INVALID_LIST_POSITION)
    return;
  /* Item 0 is "All recorded cells". */
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "cells",
                                      g_variant_new_string (i == 0 ? "" : gtk_string_list_get_string (self->cells_list, i)));
}

static void
range_edited (GtkSpinButton *spin, NlTracesPanel *self)
{
  if (self->syncing)
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "time-range",
                                      g_variant_new ("(dd)", gtk_spin_button_get_value (self->from),
                                                     gtk_spin_button_get_value (self->to)));
}

/* New results: offer their traces and populations, keep the choices they still have. */
static void
computing_changed (GActionGroup *group, const char *name, GVariant *value, NlTracesPanel *self)
{
  Traces *d = nl_figure_panel_get_data (NL_FIGURE_PANEL (self));
  guint n;

  if (g_variant_get_boolean (value) || !d)
    return;
  /* A window wholly after the new run's end would show nothing: show all of it. */
  if (self->t_stop > self->t_start && self->t_start >= d->t_end)
    {
      self->t_start = self->t_stop = 0;
      g_simple_action_set_state (action (self, "time-range"), g_variant_new ("(dd)", 0.0, 0.0));
    }
  self->syncing = TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->trace_list));
  gtk_string_list_splice (self->trace_list, 0, n, (const char *const *) d->traces);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->cells_list));
  gtk_string_list_splice (self->cells_list, 1, n - 1, (const char *const *) d->pops);
  gtk_spin_button_set_range (self->from, 0, MAX (d->t_end, 1));
  gtk_spin_button_set_range (self->to, 0, MAX (d->t_end, 1));
  if (!(self->t_stop > self->t_start))
    {
      gtk_spin_button_set_value (self->from, 0);
      gtk_spin_button_set_value (self->to, d->t_end);
    }
  self->syncing = FALSE;

  if (!g_strv_contains ((const char *const *) d->traces, self->trace))
    {
      g_free (self->trace);
      self->trace = g_strdup (d->traces[0]);
      g_simple_action_set_state (action (self, "trace"), g_variant_new_string (self->trace));
    }
  if (*self->pop && !g_strv_contains ((const char *const *) d->pops, self->pop))
    {
      g_free (self->pop);
      self->pop = g_strdup ("");
      g_simple_action_set_state (action (self, "cells"), g_variant_new_string (""));
    }
  sync_widgets (self);
}

/* Object ------------------------------------------------------------------------------------- */

static void
nl_traces_panel_finalize (GObject *object)
{
  NlTracesPanel *self = NL_TRACES_PANEL (object);

  g_free (self->trace);
  g_free (self->pop);
  G_OBJECT_CLASS (nl_traces_panel_parent_class)->finalize (object);
}

static void
nl_traces_panel_class_init (NlTracesPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_traces_panel_finalize;
  fc->title = _("Traces");
  fc->icon_name = "utilities-system-monitor-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = traces_free;
  fc->build_figure = build_figure;
}

static GtkWidget *
labelled (GtkBox *bar, const char *text, GtkWidget *w)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), w);
  gtk_box_append (bar, label);
  gtk_box_append (bar, w);
  return w;
}

static void
nl_traces_panel_init (NlTracesPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));
  GSimpleActionGroup *group = nl_figure_panel_get_actions (NL_FIGURE_PANEL (self));
  const char *all[] = { _("All recorded cells"), NULL };
  const GActionEntry entries[] = {
    { "trace", NULL, "s", "''", trace_change_state, { 0 } },
    { "cells", NULL, "s", "''", cells_change_state, { 0 } },
    { "time-range", NULL, "(dd)", "(0.0, 0.0)", range_change_state, { 0 } },
  };
  GtkWidget *spacer;

  self->trace = g_strdup ("");
  self->pop = g_strdup ("");
  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect (group, "action-state-changed::computing", G_CALLBACK (computing_changed), self);

  self->trace_list = gtk_string_list_new (NULL);
  self->trace_dd = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->trace_list), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->trace_dd), _("The recorded variable to show"));
  labelled (bar, _("_Trace"), GTK_WIDGET (self->trace_dd));
  g_signal_connect (self->trace_dd, "notify::selected", G_CALLBACK (trace_selected), self);

  self->cells_list = gtk_string_list_new (all);
  self->cells_dd = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->cells_list), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cells_dd), _("Every recorded cell, or those of one population"));
  labelled (bar, _("_Cells"), GTK_WIDGET (self->cells_dd));
  g_signal_connect (self->cells_dd, "notify::selected", G_CALLBACK (cells_selected), self);

  spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (bar, spacer);
  self->from = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 10));
  self->to = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 10));
  gtk_spin_button_set_digits (self->from, 1);
  gtk_spin_button_set_digits (self->to, 1);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->from), 7);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->to), 7);
  labelled (bar, _("_From (ms)"), GTK_WIDGET (self->from));
  labelled (bar, _("T_o (ms)"), GTK_WIDGET (self->to));
  g_signal_connect (self->from, "value-changed", G_CALLBACK (range_edited), self);
  g_signal_connect (self->to, "value-changed", G_CALLBACK (range_edited), self);
}

NL_PANEL_MODULE (nl_traces_panel, NL_TYPE_TRACES_PANEL, "traces", 30)
