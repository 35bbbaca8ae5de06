/* nl-net2d-panel.c — the 2D network panel: the built network's cells at their positions,
 * coloured by population, over an even sample of their connections, as NetPyNE's plot2Dnet,
 * seen from the front (x–y), from the top (x–z) or from the side (z–y). The vertical axis
 * grows downwards, as NetPyNE draws (y is depth below the pia). Nothing needs computing: the
 * projection only redraws.
 *
 * Action (prefix "panel."): "projection" (s: "xy", "xz" or "zy"). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <nl-figure-panel.h>
#include <nl-net2d-figure.h>

#define NL_TYPE_NET2D_PANEL (nl_net2d_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlNet2dPanel, nl_net2d_panel, NL, NET2D_PANEL, NlFigurePanel)

static const struct {
  const char *id;
  const char *label;
  NlCoord     x, y;
} projections[] = {
  { "xy", N_("x–y (front)"), NL_COORD_X, NL_COORD_Y },
  { "xz", N_("x–z (top)"), NL_COORD_X, NL_COORD_Z },
  { "zy", N_("z–y (side)"), NL_COORD_Z, NL_COORD_Y },
};

struct _NlNet2dPanel {
  NlFigurePanel  parent_instance;
  GtkDropDown   *projection_dd;
  guint          projection;  /* main thread only: build_figure runs there */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (NlNet2dPanel, nl_net2d_panel, NL_TYPE_FIGURE_PANEL)

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  if (nl_network_get_n_cells (in->network) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("The network has no cells"));
      return NULL;
    }
  return nl_network_ref (in->network);
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  NlNet2dPanel *self = NL_NET2D_PANEL (panel);
  NlNet2dOptions o = { 0 };

  o.base.width = width;
  o.base.height = height;
  o.x_coord = projections[self->projection].x;
  o.y_coord = projections[self->projection].y;
  return nl_net2d_figure_new (data, &o, error);
}

static void
projection_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlNet2dPanel *self = user_data;
  const char *id = g_variant_get_string (value, NULL);
  guint k = 0;

  while (k < G_N_ELEMENTS (projections) && !g_str_equal (projections[k].id, id))
    k++;
  if (k == G_N_ELEMENTS (projections))
    {
      g_warning ("2D network panel: unknown projection '%s' (xy, xz or zy)", id);
      return;
    }
  if (k == self->projection)
    return;
  self->projection = k;
  g_simple_action_set_state (a, value);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->projection_dd, k);
  self->syncing = FALSE;
  nl_figure_panel_redraw (NL_FIGURE_PANEL (self));
}

static void
projection_selected (GtkDropDown *dd, GParamSpec *pspec, NlNet2dPanel *self)
{
  guint i = gtk_drop_down_get_selected (dd);

  if (self->syncing || i >= G_N_ELEMENTS (projections))
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))),
                                      "projection", g_variant_new_string (projections[i].id));
}

static void
nl_net2d_panel_class_init (NlNet2dPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  fc->title = _("Network");
  fc->icon_name = "network-workgroup-symbolic";
  fc->needs = NL_SESSION_NETWORK;
  fc->compute = compute;
  fc->free_data = (GDestroyNotify) nl_network_unref;
  fc->build_figure = build_figure;
}

static void
nl_net2d_panel_init (NlNet2dPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));
  const GActionEntry entries[] = {
    { "projection", NULL, "s", "'xy'", projection_change_state, { 0 } },
  };
  const char *labels[G_N_ELEMENTS (projections) + 1] = { NULL };
  GtkWidget *label;

  g_action_map_add_action_entries (G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), entries,
                                   G_N_ELEMENTS (entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (projections); i++)
    labels[i] = _(projections[i].label);
  self->projection_dd = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->projection_dd),
                               _("Which two coordinates to plot: the network seen from the front, the top or "
                                 "the side"));
  label = gtk_label_new_with_mnemonic (_("_View"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->projection_dd));
  gtk_box_append (bar, label);
  gtk_box_append (bar, GTK_WIDGET (self->projection_dd));
  g_signal_connect (self->projection_dd, "notify::selected", G_CALLBACK (projection_selected), self);
}

NL_PANEL_MODULE (nl_net2d_panel, NL_TYPE_NET2D_PANEL, "net2d", 14)
