/* nl-shape-figure.c — morphologies projected in 2-D: segments as thick lines, far to near. */
#include "nl-shape-figure.h"

#include <gio/gio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

void
nl_shape_project (double azimuth, double elevation, const double p[3], double *u, double *v,
                  double *depth)
{
  double a = azimuth * G_PI / 180, e = elevation * G_PI / 180;
  double w = -p[0] * sin (a) + p[2] * cos (a);      /* towards the viewer after the azimuth */
  *u = p[0] * cos (a) + p[2] * sin (a);
  *v = p[1] * cos (e) - w * sin (e);
  *depth = p[1] * sin (e) + w * cos (e);
}

/* One projected segment. */
typedef struct {
  double  u0, v0, u1, v1;
  double  depth;
  double  diam;
  NlColor color;
} Seg;

typedef struct {
  Seg    *segs;
  gsize   n;
  double  diam_scale;
} ShapeData;

static void
shape_data_free (ShapeData *d)
{
  g_free (d->segs);
  g_free (d);
}

static int
by_depth (const void *a, const void *b)
{
  double da = ((const Seg *) a)->depth, db = ((const Seg *) b)->depth;
  return (da > db) - (da < db);
}

/* 1, 2 or 5 × 10^k µm, about a fifth of the plot's width. */
static double
nice_length (double span)
{
  double target = span / 5, p = pow (10, floor (log10 (target)));
  double m = target / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

static void
draw_shape (NlAxes *axes, cairo_t *cr, gpointer user_data)
{
  ShapeData *d = user_data;
  double px_per_um = fabs (nl_axes_x_to_px (axes, 1) - nl_axes_x_to_px (axes, 0));
  double ax, ay, aw, ah, lx0, lx1, ly0, ly1;

  cairo_save (cr);
  /* flat ends: a soma L long looks L long, as in the GL view */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (gsize i = 0; i < d->n; i++)
    {
      const Seg *s = &d->segs[i];
      double wpx = MAX (1.0, s->diam * d->diam_scale * px_per_um);
      double x0 = nl_axes_x_to_px (axes, s->u0), y0 = nl_axes_y_to_px (axes, s->v0);
      double x1 = nl_axes_x_to_px (axes, s->u1), y1 = nl_axes_y_to_px (axes, s->v1);
      cairo_set_source_rgb (cr, s->color.r, s->color.g, s->color.b);
      if (hypot (x1 - x0, y1 - y0) < 0.5)
        {
          /* seen end-on: a disc of its diameter */
          cairo_arc (cr, x0, y0, wpx / 2, 0, 2 * G_PI);
          cairo_fill (cr);
          continue;
        }
      cairo_set_line_width (cr, wpx);
      cairo_move_to (cr, x0, y0);
      cairo_line_to (cr, x1, y1);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  /* scale bar, bottom right inside the plot area */
  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  nl_axes_get_limits (axes, &lx0, &lx1, &ly0, &ly1);
  double len = nice_length (fabs (lx1 - lx0)), len_px = len * px_per_um;
  double pt = nl_axes_get_dpi (axes) / 72.0, margin = 8 * pt;
  double bx1 = ax + aw - margin, bx0 = bx1 - len_px, by = ay + ah - margin;
  g_autofree char *label = len >= 1000 ? g_strdup_printf ("%g mm", len / 1000)
                                       : g_strdup_printf ("%g \xc2\xb5m", len);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 2 * pt);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_move_to (cr, bx0, by);
  cairo_line_to (cr, bx1, by);
  cairo_stroke (cr);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  pango_font_description_set_absolute_size (font, 9 * pt * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, label, -1);
  int tw, th;
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, (bx0 + bx1) / 2 - tw / 2.0, by - 3 * pt - th);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_restore (cr);
}

NlFigure *
nl_shape_figure_new (NlMorphology *m, NlNetwork *net, const NlShapeOptions *options, GError **error)
{
  NlShapeOptions o = options ? *options : (NlShapeOptions) { 0 };
  guint n = nl_morphology_get_n_segments (m);
  g_autofree double *counts = NULL;
  const double *values = NULL;
  double vmin = INFINITY, vmax = -INFINITY;

  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "shape figure: no cells with sections to draw");
      return NULL;
    }
  if (o.color_by == NL_SHAPE_COLOR_VALUES)
    {
      if (!o.values || o.n_values != n)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "shape figure: %" G_GSIZE_FORMAT " values for %u segments; give one value per segment",
                       o.values ? o.n_values : 0, n);
          return NULL;
        }
      values = o.values;
    }
  else if (o.color_by == NL_SHAPE_COLOR_SYNAPSES)
    {
      if (!net)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "shape figure: synapses per segment need the built network");
          return NULL;
        }
      counts = g_new (double, n);
      nl_morphology_count_synapses (m, net, counts);
      values = counts;
    }
  else if (o.color_by != NL_SHAPE_COLOR_POPULATION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "shape figure: unknown colouring %d", (int) o.color_by);
      return NULL;
    }
  if (values)
    for (guint i = 0; i < n; i++)
      if (isfinite (values[i]))
        vmin = MIN (vmin, values[i]), vmax = MAX (vmax, values[i]);
  if (!(vmin <= vmax))
    vmin = 0, vmax = 1;
  if (vmax == vmin)
    vmax = vmin + 1;

  ShapeData *d = g_new0 (ShapeData, 1);
  d->segs = g_new (Seg, n);
  d->n = n;
  d->diam_scale = o.diam_scale > 0 ? o.diam_scale : 1.0;
  double umin = INFINITY, umax = -INFINITY, vlo = INFINITY, vhi = -INFINITY, dep;
  guint n_pops = net ? nl_network_get_n_pops (net) : 1;
  g_autofree gboolean *pop_seen = g_new0 (gboolean, MAX (n_pops, 1));
  for (guint i = 0; i < n; i++)
    {
      const NlMorphSegment *s = nl_morphology_get_segment (m, i);
      Seg *g = &d->segs[i];
      double d0, d1;
      nl_shape_project (o.azimuth, o.elevation, s->start, &g->u0, &g->v0, &d0);
      nl_shape_project (o.azimuth, o.elevation, s->end, &g->u1, &g->v1, &d1);
      g->depth = (d0 + d1) / 2;
      g->diam = s->diam;
      if (values)
        g->color = nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, (values[i] - vmin) / (vmax - vmin));
      else
        {
          guint p = net && s->gid < nl_network_get_n_cells (net) ? nl_network_cell_pop (net, s->gid) : 0;
          g->color = nl_palette_color (p, n_pops);
          pop_seen[p] = TRUE;
        }
      umin = MIN (umin, MIN (g->u0, g->u1)), umax = MAX (umax, MAX (g->u0, g->u1));
      vlo = MIN (vlo, MIN (g->v0, g->v1)), vhi = MAX (vhi, MAX (g->v0, g->v1));
    }
  qsort (d->segs, n, sizeof (Seg), by_depth);

  g_autoptr(NlFigure) fig = nl_figure_new_from_options (&o.base, NULL);
  NlAxes *axes = nl_figure_add_axes (fig, 0, 0, 1, 1);
  gboolean plane = fmod (fabs (o.azimuth), 360) == 0 && fmod (fabs (o.elevation), 360) == 0;
  nl_axes_set_xlabel (axes, plane ? "x (\xc2\xb5m)" : "horizontal (\xc2\xb5m)");
  nl_axes_set_ylabel (axes, plane ? "y (\xc2\xb5m)" : "vertical (\xc2\xb5m)");
  nl_axes_set_equal_aspect (axes, TRUE);
  if (o.zoom > 0)
    {
      /* the bounding sphere, so turning the view keeps the scale */
      double lo[3], hi[3], c[3], r = 0, cu, cv;
      nl_morphology_get_bounds (m, lo, hi);
      for (int k = 0; k < 3; k++)
        c[k] = (lo[k] + hi[k]) / 2, r += (hi[k] - lo[k]) * (hi[k] - lo[k]) / 4;
      r = MAX (sqrt (r), 1.0) * 1.05 / o.zoom;
      nl_shape_project (o.azimuth, o.elevation, c, &cu, &cv, &dep);
      nl_axes_set_xlim (axes, cu - r, cu + r);
      nl_axes_set_ylim (axes, cv - r, cv + r);
    }
  else
    {
      /* the projected cells with room for their thickness; a flat cell (all in a line)
       * still gets a plot area at least 0.6 times as high as wide, or the reverse */
      double pad = 0, du, dv, span;
      for (guint i = 0; i < n; i++)
        pad = MAX (pad, d->segs[i].diam * d->diam_scale / 2);
      umin -= pad, umax += pad, vlo -= pad, vhi += pad;
      du = umax - umin, dv = vhi - vlo, span = MAX (MAX (du, dv), 1.0) * 1.05;
      double wu = MAX (du * 1.05, 0.6 * span), wv = MAX (dv * 1.05, 0.6 * span);
      double cu = (umin + umax) / 2, cv = (vlo + vhi) / 2;
      nl_axes_set_xlim (axes, cu - wu / 2, cu + wu / 2);
      nl_axes_set_ylim (axes, cv - wv / 2, cv + wv / 2);
    }
  nl_axes_add_custom (axes, umin, umax, vlo, vhi, draw_shape, d, (GDestroyNotify) shape_data_free);
  if (values)
    nl_axes_set_colorbar (axes, NL_COLORMAP_SEQUENTIAL, vmin, vmax,
                          o.color_by == NL_SHAPE_COLOR_SYNAPSES ? "Synapses per segment"
                          : o.value_label ? o.value_label : "Value");
  else if (net)
    for (guint p = 0; p < n_pops; p++)
      if (pop_seen[p])
        nl_axes_add_legend_entry (axes, nl_palette_color (p, n_pops), nl_network_get_pop (net, p)->name);
  return g_steal_pointer (&fig);
}

NlFigure *
nl_shape_figure_new_for_network (NlSpec *spec, NlNetwork *net, const NlShapeOptions *options,
                                 GError **error)
{
  NlShapeOptions o = options ? *options : (NlShapeOptions) { 0 };
  g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) wanted = NULL;
  guint n_cells = nl_network_get_n_cells (net);

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
  for (guint g = 0; g < n_cells; g++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, g));
      gboolean take = !o.base.pops;
      for (guint k = 0; o.base.pops && o.base.pops[k] && !take; k++)
        take = strcmp (o.base.pops[k], pop->name) == 0;
      if (take && (!wanted || g_hash_table_contains (wanted, GUINT_TO_POINTER (g))) && !pop->artificial)
        g_array_append_val (gids, g);
    }
  g_autoptr(NlMorphology) m = nl_morphology_new_for_network (spec, net, (guint *) gids->data, gids->len, error);
  if (!m)
    return NULL;
  if (!o.base.title && gids->len == 1)
    {
      g_autofree char *t = g_strdup_printf ("Cell %u (%s)", g_array_index (gids, guint, 0),
                                            nl_network_get_pop (net, nl_network_cell_pop (net, g_array_index (gids, guint, 0)))->name);
      o.base.title = t;
      return nl_shape_figure_new (m, net, &o, error);
    }
  return nl_shape_figure_new (m, net, &o, error);
}
