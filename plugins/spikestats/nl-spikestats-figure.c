/* nl-spikestats-figure.c — box plots of per-cell statistics by population. */
#include "nl-spikestats-figure.h"

#include <gio/gio.h>

NlFigure *
nl_spikestats_figure_new (const double *const *values, const gsize *n_values, guint n_groups,
                          const char *const *labels, const NlSpikeStatsOptions *options,
                          GError **error)
{
  NlSpikeStatsOptions o = options ? *options : (NlSpikeStatsOptions) { 0 };
  g_autoptr(NlFigure) fig = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *pos = NULL;
  NlAxes *axes;

  if (!values || !n_values || n_groups == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "spike statistics figure: no population to show");
      return NULL;
    }
  fig = nl_figure_new_from_options (&o.base, NULL);
  axes = nl_figure_add_axes (fig, 0, 0, 1, 1);
  pos = g_new (double, n_groups);
  for (guint p = 0; p < n_groups; p++)
    {
      NlStyle st = nl_style (nl_palette_color (p, n_groups), NULL);
      pos[p] = p;
      g_ptr_array_add (names, labels ? g_strdup (labels[p]) : g_strdup_printf ("%u", p));
      nl_axes_boxplot (axes, p, 0.6, values[p], n_values[p], &st);
    }
  nl_axes_set_xticks (axes, pos, (const char *const *) names->pdata, n_groups);
  nl_axes_set_xlim (axes, -0.6, n_groups - 0.4);
  nl_axes_set_ylabel (axes, o.ylabel ? o.ylabel : "Rate (Hz)");
  nl_axes_set_xlabel (axes, o.xlabel ? o.xlabel : "Population");
  nl_axes_set_grid (axes, TRUE);
  return g_steal_pointer (&fig);
}
