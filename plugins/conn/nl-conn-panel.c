/* nl-conn-panel.c — the connectivity panel: a heat map of the built network's connections
 * between populations (or between cells, for small networks), as NetPyNE's plotConn, of one
 * feature: strength, mean weight, probability, number of connections, convergence or
 * divergence. The matrix is core/analysis's (the same `netloom conn` writes), computed off
 * the main thread; a new feature or grouping computes again.
 *
 * Actions (prefix "panel."): "feature" (s: NetPyNE's name, "strength", "weight",
 * "probability", "numConns", "convergence" or "divergence"), "group-by" (s: "pop" or "cell"). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <nl-conn-figure.h>
#include <nl-connmatrix.h>
#include <nl-figure-panel.h>

#define NL_TYPE_CONN_PANEL (nl_conn_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlConnPanel, nl_conn_panel, NL, CONN_PANEL, NlFigurePanel)

/* A matrix by cell is offered up to this many cells (it has n² entries, one pixel or less
 * each on screen beyond that). */
#define MAX_CELLS_BY_CELL 2000u

static const struct {
  NlConnFeature feature;
  const char   *label;
  const char   *value_label;
  gboolean      by_cell;      /* defined for a pair of cells */
} features[] = {
  { NL_CONN_STRENGTH, N_("Strength"), N_("Strength (probability × summed weight)"), FALSE },
  { NL_CONN_WEIGHT, N_("Weight"), N_("Mean weight per connection"), TRUE },
  { NL_CONN_PROBABILITY, N_("Probability"), N_("Connection probability"), FALSE },
  { NL_CONN_NUM_CONNS, N_("Number of connections"), N_("Number of connections"), TRUE },
  { NL_CONN_CONVERGENCE, N_("Convergence"), N_("Convergence (connections onto each postsynaptic cell)"), FALSE },
  { NL_CONN_DIVERGENCE, N_("Divergence"), N_("Divergence (connections from each presynaptic cell)"), FALSE },
};

static const char *const group_ids[] = { "pop", "cell" };

struct _NlConnPanel {
  NlFigurePanel  parent_instance;
  GtkDropDown   *feature_dd;
  GtkDropDown   *group_dd;
  GMutex         lock;
  guint          feature;     /* under `lock` (index into features): the worker reads them */
  guint          group;       /* index into group_ids */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (NlConnPanel, nl_conn_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  NlConnMatrix *m;
  guint         feature;
} Conn;

static void
conn_free (gpointer p)
{
  Conn *c = p;
  nl_conn_matrix_free (c->m);
  g_free (c);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlConnPanel *self = NL_CONN_PANEL (panel);
  NlConnMatrixOptions opt = { 0 };
  guint feature, group, n_cells = nl_network_get_n_cells (in->network);
  NlConnMatrix *m;
  Conn *c;

  g_mutex_lock (&self->lock);
  feature = self->feature;
  group = self->group;
  g_mutex_unlock (&self->lock);

  if (group == 1 && n_cells > MAX_CELLS_BY_CELL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A matrix by cell is shown for networks of up to %u cells; this one has %u. "
                     "Group by population, or write the numbers with `netloom analyze conn --group-by cell`."),
                   MAX_CELLS_BY_CELL, n_cells);
      return NULL;
    }
  if (group == 1 && !features[feature].by_cell)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s needs groups of cells: between two single cells only the weight and the "
                     "number of connections exist. Choose one of those, or group by population."),
                   _(features[feature].label));
      return NULL;
    }
  opt.group_by = group == 1 ? NL_CONN_GROUP_CELL : NL_CONN_GROUP_POP;
  opt.feature = features[feature].feature;
  m = nl_conn_matrix_new (in->network, &opt, error);
  if (!m)
    return NULL;
  if (m->n_pre == 0 || m->n_post == 0)
    {
      nl_conn_matrix_free (m);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("The network has no cells to connect"));
      return NULL;
    }
  c = g_new0 (Conn, 1);
  c->m = m;
  c->feature = feature;
  return c;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Conn *c = data;
  NlMatrixOptions o = { 0 };

  o.base.width = width;
  o.base.height = height;
  o.value_label = _(features[c->feature].value_label);
  if (c->m->group_by == NL_CONN_GROUP_CELL)
    {
      o.xlabel = _("Postsynaptic cell (gid)");
      o.ylabel = _("Presynaptic cell (gid)");
    }
  else
    {
      o.xlabel = _("Postsynaptic population");
      o.ylabel = _("Presynaptic population");
    }
  return nl_conn_figure_new (c->m->values, c->m->n_pre, c->m->n_post, (const char *const *) c->m->pre_labels,
                             (const char *const *) c->m->post_labels, &o, error);
}

/* Options ------------------------------------------------------------------------------------ */

static void
feature_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlConnPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  NlConnFeature f;
  guint k = 0;

  if (!nl_conn_feature_from_name (g_variant_get_string (value, NULL), &f, &error))
    {
      g_warning ("connectivity panel: %s", error->message);
      return;
    }
  while (k < G_N_ELEMENTS (features) && features[k].feature != f)
    k++;
  if (k == G_N_ELEMENTS (features))
    {
      g_warning ("connectivity panel: the feature '%s' is not offered", g_variant_get_string (value, NULL));
      return;
    }
  g_mutex_lock (&self->lock);
  if (k == self->feature)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->feature = k;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (a, value);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->feature_dd, k);
  self->syncing = FALSE;
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
group_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlConnPanel *self = user_data;
  const char *id = g_variant_get_string (value, NULL);
  guint k = 0;

  while (k < G_N_ELEMENTS (group_ids) && !g_str_equal (group_ids[k], id))
    k++;
  if (k == G_N_ELEMENTS (group_ids))
    {
      g_warning ("connectivity panel: unknown grouping '%s' (pop or cell)", id);
      return;
    }
  g_mutex_lock (&self->lock);
  if (k == self->group)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->group = k;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (a, value);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->group_dd, k);
  self->syncing = FALSE;
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
feature_selected (GtkDropDown *dd, GParamSpec *pspec, NlConnPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= G_N_ELEMENTS (features))
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "feature",
                                      g_variant_new_string (nl_conn_feature_name (features[i].feature)));
}

static void
group_selected (GtkDropDown *dd, GParamSpec *pspec, NlConnPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= G_N_ELEMENTS (group_ids))
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "group-by",
                                      g_variant_new_string (group_ids[i]));
}

/* Object ------------------------------------------------------------------------------------- */

static void
nl_conn_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_CONN_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_conn_panel_parent_class)->finalize (object);
}

static void
nl_conn_panel_class_init (NlConnPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_conn_panel_finalize;
  fc->title = _("Connectivity");
  fc->icon_name = "view-grid-symbolic";
  fc->needs = NL_SESSION_NETWORK;
  fc->compute = compute;
  fc->free_data = conn_free;
  fc->build_figure = build_figure;
}

static GtkDropDown *
add_drop_down (GtkBox *bar, const char *mnemonic, const char *const *labels, const char *tooltip)
{
  GtkWidget *dd = gtk_drop_down_new_from_strings (labels), *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), dd);
  gtk_widget_set_tooltip_text (dd, tooltip);
  gtk_box_append (bar, label);
  gtk_box_append (bar, dd);
  return GTK_DROP_DOWN (dd);
}

static void
nl_conn_panel_init (NlConnPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));
  const GActionEntry entries[] = {
    { "feature", NULL, "s", "'strength'", feature_change_state, { 0 } },
    { "group-by", NULL, "s", "'pop'", group_change_state, { 0 } },
  };
  const char *labels[G_N_ELEMENTS (features) + 1] = { NULL };
  const char *groups[] = { _("Population"), _("Cell"), NULL };

  g_mutex_init (&self->lock);
  g_action_map_add_action_entries (G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), entries,
                                   G_N_ELEMENTS (entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (features); i++)
    labels[i] = _(features[i].label);
  self->feature_dd = add_drop_down (bar, _("_Feature"), labels,
                                    _("What each cell of the matrix shows about the connections from the row's "
                                      "group onto the column's"));
  g_signal_connect (self->feature_dd, "notify::selected", G_CALLBACK (feature_selected), self);
  self->group_dd = add_drop_down (bar, _("_Group by"), groups,
                                  _("Rows and columns are populations, or single cells (networks of up to "
                                    "2,000 cells)"));
  g_signal_connect (self->group_dd, "notify::selected", G_CALLBACK (group_selected), self);
}

NL_PANEL_MODULE (nl_conn_panel, NL_TYPE_CONN_PANEL, "conn", 15)
