/* nl-matrix-figure.c — heat map of a labelled matrix. */
#include "nl-matrix-figure.h"

#include <gio/gio.h>
#include <math.h>

/* The colour range: the options', else the data's (NaNs ignored). */
static void
value_range (const double *v, gsize n, const NlMatrixOptions *o, double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  if (o->vmax > o->vmin)
    {
      *lo = o->vmin;
      *hi = o->vmax;
      return;
    }
  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]))
      {
        *lo = MIN (*lo, v[i]);
        *hi = MAX (*hi, v[i]);
      }
  if (!isfinite (*lo))
    *lo = 0, *hi = 1;
  if (o->colormap == NL_COLORMAP_DIVERGING)
    {
      double m = MAX (fabs (*lo), fabs (*hi));
      *lo = -m;
      *hi = m;
    }
  if (!(*hi > *lo))
    *hi = *lo + 1;
}

/* One format for all the cells, so the numbers line up: whole numbers when all are, else
 * three significant digits of the largest; %.2g beyond 10^4 or below 10^-3. */
static void
value_format (const double *v, gsize n, char *fmt, gsize size)
{
  double m = 0;
  gboolean whole = TRUE;
  int dec;

  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]))
      {
        m = MAX (m, fabs (v[i]));
        whole = whole && v[i] == floor (v[i]) && fabs (v[i]) < 1e9;
      }
  if (!whole && m > 0 && (m >= 1e4 || m < 1e-3))
    {
      g_strlcpy (fmt, "%.2g", size);
      return;
    }
  dec = whole || m == 0 ? 0 : CLAMP (2 - (int) floor (log10 (m)), 0, 5);
  g_snprintf (fmt, size, "%%.%df", dec);
}

static char *
value_text (double v, const char *fmt)
{
  char buf[32];
  if (!isfinite (v))
    return g_strdup ("");
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  return g_strdup (buf);
}

gboolean
nl_matrix_figure_draw (NlAxes *axes, const double *values, guint rows, guint cols,
                       const char *const *row_labels, const char *const *col_labels,
                       const NlMatrixOptions *options, GError **error)
{
  NlMatrixOptions o = options ? *options : (NlMatrixOptions) { 0 };
  g_autofree double *xpos = NULL, *ypos = NULL;
  g_autoptr(GPtrArray) xl = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) yl = g_ptr_array_new_with_free_func (g_free);
  double lo, hi;
  char fmt[16];

  if (!values || rows == 0 || cols == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "matrix figure: the matrix is empty (%u × %u)", rows, cols);
      return FALSE;
    }
  value_range (values, (gsize) rows * cols, &o, &lo, &hi);

  /* Row 0 on top: the axis grows downwards and row i spans i … i+1. */
  nl_axes_set_y_inverted (axes, TRUE);
  nl_axes_set_xlim (axes, 0, cols);
  nl_axes_set_ylim (axes, 0, rows);
  nl_axes_set_frame (axes, TRUE);
  nl_axes_set_equal_aspect (axes, TRUE);   /* square cells */
  nl_axes_image (axes, values, rows, cols, 0, cols, 0, rows, o.colormap, lo, hi, FALSE);
  nl_axes_set_colorbar (axes, o.colormap, lo, hi, o.value_label);
  nl_axes_set_xlabel (axes, o.xlabel);
  nl_axes_set_ylabel (axes, o.ylabel);

  /* Label every row and column while there are few; else let ticks thin them. */
  if (cols <= 40)
    {
      xpos = g_new (double, cols);
      for (guint j = 0; j < cols; j++)
        {
          xpos[j] = j + 0.5;
          g_ptr_array_add (xl, col_labels ? g_strdup (col_labels[j]) : g_strdup_printf ("%u", j));
        }
      nl_axes_set_xticks (axes, xpos, (const char *const *) xl->pdata, cols);
    }
  if (rows <= 40)
    {
      ypos = g_new (double, rows);
      for (guint i = 0; i < rows; i++)
        {
          ypos[i] = i + 0.5;
          g_ptr_array_add (yl, row_labels ? g_strdup (row_labels[i]) : g_strdup_printf ("%u", i));
        }
      nl_axes_set_yticks (axes, ypos, (const char *const *) yl->pdata, rows);
    }

  value_format (values, (gsize) rows * cols, fmt, sizeof fmt);
  if (!o.no_values && rows <= 12 && cols <= 12)
    for (guint i = 0; i < rows; i++)
      for (guint j = 0; j < cols; j++)
        {
          double v = values[(gsize) i * cols + j];
          NlColor c = nl_colormap_eval (o.colormap, (v - lo) / (hi - lo));
          NlColor ink = nl_color_luminance (c) > 0.35 ? (NlColor) { 0, 0, 0 } : (NlColor) { 1, 1, 1 };
          g_autofree char *text = value_text (v, fmt);
          nl_axes_text (axes, j + 0.5, i + 0.5, text, ink, 0.85);
        }
  return TRUE;
}

NlFigure *
nl_matrix_figure_new (const double *values, guint rows, guint cols,
                      const char *const *row_labels, const char *const *col_labels,
                      const NlMatrixOptions *options, GError **error)
{
  g_autoptr(NlFigure) fig = nl_figure_new_from_options (options ? &options->base : NULL, NULL);
  NlAxes *axes = nl_figure_add_axes (fig, 0, 0, 1, 1);

  nl_axes_set_legend (axes, NL_LEGEND_NONE);
  if (!nl_matrix_figure_draw (axes, values, rows, cols, row_labels, col_labels, options, error))
    return NULL;
  return g_steal_pointer (&fig);
}
