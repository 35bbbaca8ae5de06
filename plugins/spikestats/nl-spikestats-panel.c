/* nl-spikestats-panel.c — the spike statistics panel: box plots, one per population, of a
 * per-cell statistic (firing rate, ISI CV or SPIKE-synchronization), as NetPyNE's
 * plotSpikeStats. The numbers are core/analysis's (the same `netloom analyze rates|isicv|sync`
 * prints), computed off the main thread; choosing another statistic computes again.
 *
 * Action (prefix "panel."): "statistic" (s: "rate", "isicv" or "pairsync"). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-figure-panel.h>
#include <nl-spikestats-figure.h>
#include <nl-spikestats.h>

#define NL_TYPE_SPIKESTATS_PANEL (nl_spikestats_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlSpikestatsPanel, nl_spikestats_panel, NL, SPIKESTATS_PANEL, NlFigurePanel)

/* The statistics: the action's name, core's analysis and the per-cell member it reports. */
static const struct {
  const char *id;
  const char *label;
  const char *kind;
  const char *member;
  const char *ylabel;
} statistics[] = {
  { "rate", N_("Firing rate"), "rates", "rate_hz", N_("Firing rate (Hz)") },
  { "isicv", N_("ISI CV"), "isicv", "isicv", N_("ISI CV (cells with more than 10 spikes)") },
  { "pairsync", N_("SPIKE-sync"), "sync", "pairsync", N_("SPIKE-synchronization with the other cells") },
};

struct _NlSpikestatsPanel {
  NlFigurePanel  parent_instance;
  GtkDropDown   *statistic_dd;
  GMutex         lock;
  guint          statistic;   /* under `lock`: the worker reads it */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (NlSpikestatsPanel, nl_spikestats_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  guint     statistic;
  guint     n_groups;
  char    **labels;
  double  **values;     /* per group: its cells' values, NaN where undefined */
  gsize    *n_values;
  gsize    *capacity;
} Stats;

static void
stats_free (gpointer p)
{
  Stats *s = p;
  for (guint g = 0; g < s->n_groups; g++)
    g_free (s->values[g]);
  g_free (s->values);
  g_free (s->n_values);
  g_free (s->capacity);
  g_strfreev (s->labels);
  g_free (s);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlSpikestatsPanel *self = NL_SPIKESTATS_PANEL (panel);
  NlSpikeAnalysisOptions opt;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GList) pop_names = NULL, cell_names = NULL;
  g_autoptr(GHashTable) group_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) groups = NULL;
  JsonObject *o, *pops, *cells;
  Stats *s;
  guint stat, g = 0;

  g_mutex_lock (&self->lock);
  stat = self->statistic;
  g_mutex_unlock (&self->lock);

  nl_spike_analysis_options_init (&opt);
  opt.sync_matrix = FALSE;   /* only each cell's mean (pairsync) is shown */
  json = nl_spike_analysis_json (in->results, statistics[stat].kind, &opt, error);
  if (!json)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  o = json_node_get_object (json);
  pops = json_object_get_object_member (o, "pops");
  cells = json_object_get_object_member (o, "cells");
  pop_names = pops ? json_object_get_members (pops) : NULL;
  if (!pop_names || !cells)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("These results have no cells to show"));
      return NULL;
    }

  s = g_new0 (Stats, 1);
  s->statistic = stat;
  s->n_groups = g_list_length (pop_names);
  s->labels = g_new0 (char *, s->n_groups + 1);
  s->values = g_new0 (double *, s->n_groups);
  s->n_values = g_new0 (gsize, s->n_groups);
  s->capacity = g_new0 (gsize, s->n_groups);
  for (GList *l = pop_names; l; l = l->next, g++)
    {
      JsonObject *p = json_object_get_object_member (pops, l->data);
      s->labels[g] = g_strdup (l->data);
      s->capacity[g] = MAX (json_object_get_int_member (p, "cells"), 0);
      s->values[g] = g_new (double, MAX (s->capacity[g], 1));
      g_hash_table_insert (group_of, l->data, GUINT_TO_POINTER (g + 1));
    }
  /* The cells, in ascending gid order, each to its population's box. */
  cell_names = json_object_get_members (cells);
  for (GList *l = cell_names; l; l = l->next)
    {
      JsonObject *c = json_object_get_object_member (cells, l->data);
      JsonNode *v = json_object_get_member (c, statistics[stat].member);
      guint k = GPOINTER_TO_UINT (g_hash_table_lookup (group_of, json_object_get_string_member (c, "pop")));

      if (k == 0 || s->n_values[k - 1] >= s->capacity[k - 1])
        continue;
      k--;
      s->values[k][s->n_values[k]++] = v && !JSON_NODE_HOLDS_NULL (v) ? json_node_get_double (v) : NAN;
    }
  return s;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Stats *s = data;
  NlSpikeStatsOptions o = { 0 };
  g_auto(GStrv) labels = g_new0 (char *, s->n_groups + 1);

  /* Each box says how many cells it summarises: the ISI CV leaves out cells with few spikes,
   * SPIKE-sync silent ones. */
  for (guint g = 0; g < s->n_groups; g++)
    {
      gsize n = 0;
      for (gsize i = 0; i < s->n_values[g]; i++)
        n += !isnan (s->values[g][i]);
      labels[g] = g_strdup_printf ("%s (n = %" G_GSIZE_FORMAT ")", s->labels[g], n);
    }
  o.base.width = width;
  o.base.height = height;
  o.ylabel = _(statistics[s->statistic].ylabel);
  return nl_spikestats_figure_new ((const double *const *) s->values, s->n_values, s->n_groups,
                                   (const char *const *) labels, &o, error);
}

/* Options ------------------------------------------------------------------------------------ */

static void
statistic_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlSpikestatsPanel *self = user_data;
  const char *id = g_variant_get_string (value, NULL);
  guint k = 0;

  while (k < G_N_ELEMENTS (statistics) && !g_str_equal (statistics[k].id, id))
    k++;
  if (k == G_N_ELEMENTS (statistics))
    {
      g_warning ("spike statistics panel: unknown statistic '%s' (rate, isicv or pairsync)", id);
      return;
    }
  g_mutex_lock (&self->lock);
  if (k == self->statistic)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->statistic = k;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (a, value);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->statistic_dd, k);
  self->syncing = FALSE;
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
statistic_selected (GtkDropDown *dd, GParamSpec *pspec, NlSpikestatsPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= G_N_ELEMENTS (statistics))
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))),
                                      "statistic", g_variant_new_string (statistics[i].id));
}

/* Object ------------------------------------------------------------------------------------- */

static void
nl_spikestats_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_SPIKESTATS_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_spikestats_panel_parent_class)->finalize (object);
}

static void
nl_spikestats_panel_class_init (NlSpikestatsPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_spikestats_panel_finalize;
  fc->title = _("Spike Statistics");
  fc->icon_name = "view-list-bullet-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = stats_free;
  fc->build_figure = build_figure;
}

static void
nl_spikestats_panel_init (NlSpikestatsPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));
  const GActionEntry entries[] = {
    { "statistic", NULL, "s", "'rate'", statistic_change_state, { 0 } },
  };
  const char *labels[G_N_ELEMENTS (statistics) + 1] = { NULL };
  GtkWidget *label;

  g_mutex_init (&self->lock);
  g_action_map_add_action_entries (G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), entries,
                                   G_N_ELEMENTS (entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (statistics); i++)
    labels[i] = _(statistics[i].label);
  self->statistic_dd = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->statistic_dd),
                               _("Each box shows the population's cells: firing rate, the irregularity of "
                                 "their inter-spike intervals, or their spike synchrony with the others"));
  label = gtk_label_new_with_mnemonic (_("_Statistic"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->statistic_dd));
  gtk_box_append (bar, label);
  gtk_box_append (bar, GTK_WIDGET (self->statistic_dd));
  g_signal_connect (self->statistic_dd, "notify::selected", G_CALLBACK (statistic_selected), self);
}

NL_PANEL_MODULE (nl_spikestats_panel, NL_TYPE_SPIKESTATS_PANEL, "spikestats", 25)
