/* nl-net2d-figure.c — cell positions and a sample of connections. */
#include "nl-net2d-figure.h"

#include <gio/gio.h>
#include <math.h>

static const char *
coord_label (NlCoord c)
{
  static const char *const labels[] = { "x (\xc2\xb5m)", "y (\xc2\xb5m)", "z (\xc2\xb5m)",
                                        "x (normalized)", "y (normalized)", "z (normalized)" };
  return c < NL_N_COORDS ? labels[c] : "";
}

NlFigure *
nl_net2d_figure_new (NlNetwork *net, const NlNet2dOptions *options, GError **error)
{
  NlNet2dOptions o = options ? *options : (NlNet2dOptions) { 0 };
  guint n_cells = nl_network_get_n_cells (net), n_pops = nl_network_get_n_pops (net), n_shown = 0;
  g_autofree gboolean *shown = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GArray) pops = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(NlFigure) fig = NULL;
  const double *xs, *ys;
  NlAxes *axes;
  double marker;

  if (o.y_coord == o.x_coord)
    o.y_coord = o.x_coord == NL_COORD_Y ? NL_COORD_X : NL_COORD_Y;
  if (o.x_coord >= NL_N_COORDS || o.y_coord >= NL_N_COORDS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "2D network figure: unknown coordinate %d", MAX (o.x_coord, o.y_coord));
      return NULL;
    }
  if (n_cells == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "2D network figure: the network has no cells");
      return NULL;
    }
  for (guint k = 0; o.base.pops && o.base.pops[k]; k++)
    if (nl_network_find_pop (net, o.base.pops[k]) < 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "population '%s' is not in the network", o.base.pops[k]);
        return NULL;
      }
  if (o.base.gids)
    {
      wanted = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < o.base.n_gids; i++)
        g_hash_table_add (wanted, GUINT_TO_POINTER (o.base.gids[i]));
    }
  for (guint p = 0; p < n_pops; p++)
    {
      gboolean take = !o.base.pops;
      for (guint k = 0; o.base.pops && o.base.pops[k] && !take; k++)
        take = g_strcmp0 (o.base.pops[k], nl_network_get_pop (net, p)->name) == 0;
      if (take)
        g_array_append_val (pops, p);
    }
  shown = g_new0 (gboolean, n_cells);
  for (guint k = 0; k < pops->len; k++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, g_array_index (pops, guint, k));
      for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
        if (!wanted || g_hash_table_contains (wanted, GUINT_TO_POINTER (g)))
          shown[g] = TRUE, n_shown++;
    }

  fig = nl_figure_new_from_options (&o.base, NULL);
  axes = nl_figure_add_axes (fig, 0, 0, 1, 1);
  xs = nl_network_get_coords (net, o.x_coord);
  ys = nl_network_get_coords (net, o.y_coord);
  nl_axes_set_xlabel (axes, coord_label (o.x_coord));
  nl_axes_set_ylabel (axes, coord_label (o.y_coord));
  nl_axes_set_y_inverted (axes, !o.y_up);
  nl_axes_set_equal_aspect (axes, TRUE);

  if (!o.no_conns && nl_network_get_n_conns (net) > 0)
    {
      guint64 nc = nl_network_get_n_conns (net), max = o.max_conns ? o.max_conns : 1000;
      guint64 stride = MAX (1, (nc + max - 1) / max);
      g_autoptr(GArray) seg = g_array_new (FALSE, FALSE, sizeof (double));
      NlStyle st = nl_style ((NlColor) { 0.45, 0.45, 0.45 }, NULL);

      /* Every stride-th NetCon: an even sample over targets and rules, the same each time. */
      for (guint64 i = 0; i < nc; i += stride)
        {
          NlConn c;
          nl_network_get_conn (net, i, &c);
          if (c.pre >= n_cells || c.post >= n_cells || !shown[c.pre] || !shown[c.post])
            continue;
          g_array_append_vals (seg, (double[]) { xs[c.pre], ys[c.pre], xs[c.post], ys[c.post] }, 4);
        }
      st.line_width = 0.5;
      st.alpha = 0.35;
      nl_axes_segments (axes, (double *) seg->data, seg->len / 4, &st);
    }

  /* Marker size from the room per cell, within 2.5 … 8 px. */
  marker = sqrt ((double) nl_figure_get_width (fig) * nl_figure_get_height (fig) * 0.4
                 / MAX (n_shown, 1)) * 0.45;
  marker = CLAMP (marker, 2.5, 8);
  for (guint k = 0; k < pops->len; k++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, g_array_index (pops, guint, k));
      g_autoptr(GArray) px = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) py = g_array_new (FALSE, FALSE, sizeof (double));
      NlStyle st = nl_style (nl_palette_color (k, pops->len), pop->name);

      for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
        if (shown[g])
          {
            g_array_append_val (px, xs[g]);
            g_array_append_val (py, ys[g]);
          }
      st.marker = NL_MARKER_CIRCLE;
      st.marker_size = marker;
      st.alpha = 0.9;
      nl_axes_scatter (axes, (double *) px->data, (double *) py->data, px->len, &st);
    }
  return g_steal_pointer (&fig);
}
