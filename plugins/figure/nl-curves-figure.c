/* nl-curves-figure.c — lines over a shared x. */
#include "nl-curves-figure.h"

#include <gio/gio.h>
#include <math.h>

gboolean
nl_curves_figure_draw (NlAxes *axes, const double *x, gsize n, const double *values,
                       guint n_series, const char *const *labels,
                       const NlCurvesOptions *options, GError **error)
{
  NlCurvesOptions o = options ? *options : (NlCurvesOptions) { 0 };

  if (!x || !values || n == 0 || n_series == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "curves figure: no data (%" G_GSIZE_FORMAT " points, %u series)", n, n_series);
      return FALSE;
    }
  nl_axes_set_xlabel (axes, o.xlabel);
  nl_axes_set_ylabel (axes, o.ylabel);
  nl_axes_set_xscale (axes, o.log_x ? NL_SCALE_LOG : NL_SCALE_LINEAR);
  nl_axes_set_yscale (axes, o.log_y ? NL_SCALE_LOG : NL_SCALE_LINEAR);
  nl_axes_set_grid (axes, TRUE);
  if (o.x_max > o.x_min)
    nl_axes_set_xlim (axes, o.x_min, o.x_max);
  else
    {
      /* Spectra end where the data end: no margin on x. */
      double lo = x[0], hi = x[0];
      for (gsize i = 0; i < n; i++)
        lo = MIN (lo, x[i]), hi = MAX (hi, x[i]);
      if (o.log_x && lo <= 0)
        lo = NAN;
      if (hi > lo)
        nl_axes_set_xlim (axes, lo, hi);
    }
  for (guint s = 0; s < n_series; s++)
    {
      NlStyle st = nl_style (o.colors ? o.colors[s] : nl_palette_color (s, n_series),
                             labels ? labels[s] : NULL);
      st.line_width = 1.6;
      nl_axes_line (axes, x, values + (gsize) s * n, n, &st);
    }
  /* The legend stays outside: spectra fill the panel's corners. */
  nl_axes_set_legend (axes, NL_LEGEND_RIGHT);
  return TRUE;
}

NlFigure *
nl_curves_figure_new (const double *x, gsize n, const double *values, guint n_series,
                      const char *const *labels, const NlCurvesOptions *options, GError **error)
{
  g_autoptr(NlFigure) fig = nl_figure_new_from_options (options ? &options->base : NULL, NULL);
  NlAxes *axes = nl_figure_add_axes (fig, 0, 0, 1, 1);

  if (!nl_curves_figure_draw (axes, x, n, values, n_series, labels, options, error))
    return NULL;
  return g_steal_pointer (&fig);
}
