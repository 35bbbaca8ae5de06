/* nl-spectrogram-figure.c — time × frequency (or depth) images. */
#include "nl-spectrogram-figure.h"

#include <gio/gio.h>
#include <math.h>

gboolean
nl_spectrogram_figure_draw (NlAxes *axes, const double *values, guint n_rows, guint n_cols,
                            double x0, double x1, double y0, double y1,
                            const NlSpectrogramOptions *options, GError **error)
{
  NlSpectrogramOptions o = options ? *options : (NlSpectrogramOptions) { 0 };
  double lo = INFINITY, hi = -INFINITY;

  if (!values || n_rows == 0 || n_cols == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "spectrogram figure: the image is empty (%u × %u)", n_rows, n_cols);
      return FALSE;
    }
  if (!(isfinite (x0) && isfinite (x1) && x1 > x0 && isfinite (y0) && isfinite (y1) && y1 > y0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "spectrogram figure: the extent %g…%g × %g…%g is not a rectangle; "
                   "expected x0 < x1 and y0 < y1", x0, x1, y0, y1);
      return FALSE;
    }
  if (o.vmax > o.vmin)
    lo = o.vmin, hi = o.vmax;
  else
    {
      for (gsize i = 0; i < (gsize) n_rows * n_cols; i++)
        if (isfinite (values[i]))
          lo = MIN (lo, values[i]), hi = MAX (hi, values[i]);
      if (!isfinite (lo))
        lo = 0, hi = 1;
      if (o.colormap == NL_COLORMAP_DIVERGING)
        {
          double m = MAX (fabs (lo), fabs (hi));
          lo = -m, hi = m;
        }
      if (!(hi > lo))
        hi = lo + 1;
    }
  nl_axes_set_xlabel (axes, o.xlabel ? o.xlabel : "Time (ms)");
  nl_axes_set_ylabel (axes, o.ylabel ? o.ylabel : "Frequency (Hz)");
  nl_axes_set_y_inverted (axes, o.y_inverted);
  nl_axes_set_frame (axes, TRUE);
  if (o.base.t_stop > o.base.t_start)
    nl_axes_set_xlim (axes, o.base.t_start, o.base.t_stop);
  else
    nl_axes_set_xlim (axes, x0, x1);
  nl_axes_set_ylim (axes, y0, y1);
  nl_axes_image (axes, values, n_rows, n_cols, x0, x1, y0, y1, o.colormap, lo, hi, !o.blocks);
  nl_axes_set_colorbar (axes, o.colormap, lo, hi, o.value_label ? o.value_label : "Power");
  return TRUE;
}

NlFigure *
nl_spectrogram_figure_new (const double *values, guint n_rows, guint n_cols, double x0,
                           double x1, double y0, double y1, const NlSpectrogramOptions *options,
                           GError **error)
{
  g_autoptr(NlFigure) fig = nl_figure_new_from_options (options ? &options->base : NULL, NULL);
  NlAxes *axes = nl_figure_add_axes (fig, 0, 0, 1, 1);

  if (!nl_spectrogram_figure_draw (axes, values, n_rows, n_cols, x0, x1, y0, y1, options, error))
    return NULL;
  return g_steal_pointer (&fig);
}
