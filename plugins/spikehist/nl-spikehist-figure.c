/* nl-spikehist-figure.c — spike histograms from given bins. */
#include "nl-spikehist-figure.h"

#include <gio/gio.h>
#include <math.h>

NlFigure *
nl_spikehist_figure_new (const double *edges, guint n_bins, const double *values,
                         guint n_series, const char *const *labels,
                         const NlSpikeHistOptions *options, GError **error)
{
  NlSpikeHistOptions o = options ? *options : (NlSpikeHistOptions) { 0 };
  g_autoptr(NlFigure) fig = NULL;
  NlAxes *axes = NULL;

  if (!edges || !values || n_bins == 0 || n_series == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "spike histogram: no bins (%u bins, %u series)", n_bins, n_series);
      return NULL;
    }
  for (guint i = 0; i < n_bins; i++)
    if (!(edges[i + 1] > edges[i]) || !isfinite (edges[i]) || !isfinite (edges[i + 1]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "spike histogram: bin edges must increase; edge %u is %g and edge %u is %g",
                     i, edges[i], i + 1, edges[i + 1]);
        return NULL;
      }
  fig = nl_figure_new_from_options (&o.base, NULL);
  if (o.stacked)
    nl_figure_set_grid (fig, n_series, 1);
  for (guint s = 0; s < n_series; s++)
    {
      NlStyle st = nl_style (nl_palette_color (s, n_series), labels ? labels[s] : NULL);

      if (!axes || o.stacked)
        {
          axes = nl_figure_add_axes (fig, o.stacked ? s : 0, 0, 1, 1);
          nl_axes_set_ylabel (axes, o.ylabel ? o.ylabel : "Rate (Hz)");
          if (!o.stacked || s == n_series - 1)
            nl_axes_set_xlabel (axes, "Time (ms)");
          if (o.base.t_stop > o.base.t_start)
            nl_axes_set_xlim (axes, o.base.t_start, o.base.t_stop);
          nl_axes_set_legend (axes, o.stacked ? NL_LEGEND_INSIDE : NL_LEGEND_RIGHT);
        }
      st.line_width = 1.5;
      if (o.bars)
        nl_axes_bars (axes, edges, values + (gsize) s * n_bins, n_bins, &st);
      else
        nl_axes_steps (axes, edges, values + (gsize) s * n_bins, n_bins, &st);
    }
  return g_steal_pointer (&fig);
}
