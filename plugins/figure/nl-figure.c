/* nl-figure.c — the canvas, its panel grid, text helpers and atomic saving. */
#include "nl-figure-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

NlFigure *
nl_figure_new (guint width, guint height, double dpi)
{
  NlFigure *fig = g_new0 (NlFigure, 1);

  fig->dpi = dpi > 0 ? MIN (dpi, 2400) : NL_FIGURE_DEFAULT_DPI;
  fig->scale = 1;
  fig->font_pt = 10;
  fig->rows = fig->cols = 1;
  fig->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_axes_free);
  nl_figure_set_size (fig, width, height);
  return fig;
}

void
nl_figure_set_size (NlFigure *fig, guint width, guint height)
{
  fig->width = MIN (width ? width : NL_FIGURE_DEFAULT_WIDTH, NL_FIGURE_MAX_SIZE);
  fig->height = MIN (height ? height : NL_FIGURE_DEFAULT_HEIGHT, NL_FIGURE_MAX_SIZE);
}

NlFigure *
nl_figure_new_from_options (const NlFigureOptions *o, const char *fallback_title)
{
  NlFigure *fig = nl_figure_new (o ? o->width : 0, o ? o->height : 0, o ? o->dpi : 0);
  nl_figure_set_title (fig, o && o->title ? o->title : fallback_title);
  return fig;
}

void
nl_figure_free (NlFigure *fig)
{
  if (!fig)
    return;
  g_ptr_array_unref (fig->axes);
  g_free (fig->title);
  g_free (fig);
}

guint nl_figure_get_width (NlFigure *fig) { return fig->width; }
guint nl_figure_get_height (NlFigure *fig) { return fig->height; }
double nl_figure_get_dpi (NlFigure *fig) { return fig->dpi; }

void
nl_figure_set_title (NlFigure *fig, const char *title)
{
  g_free (fig->title);
  fig->title = g_strdup (title);
}

void
nl_figure_set_font_size (NlFigure *fig, double points)
{
  if (points > 0)
    fig->font_pt = points;
}

void
nl_figure_set_scale (NlFigure *fig, double scale)
{
  /* PNG pixels stay within cairo's image limit. */
  if (scale > 0)
    fig->scale = MIN (scale, 32767.0 / MAX (fig->width, fig->height));
}

void
nl_figure_set_grid (NlFigure *fig, guint rows, guint cols)
{
  fig->rows = MAX (rows, 1);
  fig->cols = MAX (cols, 1);
}

NlAxes *
nl_figure_add_axes (NlFigure *fig, guint row, guint col, guint rowspan, guint colspan)
{
  NlAxes *axes;

  row = MIN (row, fig->rows - 1);
  col = MIN (col, fig->cols - 1);
  rowspan = CLAMP (rowspan, 1, fig->rows - row);
  colspan = CLAMP (colspan, 1, fig->cols - col);
  axes = nl_axes_new (fig, row, col, rowspan, colspan);
  g_ptr_array_add (fig->axes, axes);
  return axes;
}

guint nl_figure_get_n_axes (NlFigure *fig) { return fig->axes->len; }

NlAxes *
nl_figure_get_axes (NlFigure *fig, guint index)
{
  return index < fig->axes->len ? g_ptr_array_index (fig->axes, index) : NULL;
}

double
nl_fig_px_per_pt (NlFigure *fig)
{
  return fig->dpi / 72.0;
}

PangoLayout *
nl_fig_layout (NlFigure *fig, cairo_t *cr, const char *text, double rel, gboolean bold,
               gboolean markup)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string ("Sans");
  cairo_font_options_t *fo = cairo_font_options_create ();

  /* Metrics must not snap to the device grid: text measured for the layout keeps its size
   * whatever the output (PNG at any scale, SVG, PDF). */
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), fo);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (fo);
  pango_font_description_set_absolute_size (desc, fig->font_pt * rel * nl_fig_px_per_pt (fig)
                                                  * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

void
nl_fig_layout_size (PangoLayout *layout, double *w, double *h)
{
  int iw, ih;

  pango_layout_get_size (layout, &iw, &ih);
  if (w)
    *w = (double) iw / PANGO_SCALE;
  if (h)
    *h = (double) ih / PANGO_SCALE;
}

void
nl_fig_draw_layout (cairo_t *cr, PangoLayout *layout, double x, double y, double ax,
                    double ay, double angle)
{
  double w, h;

  nl_fig_layout_size (layout, &w, &h);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  if (angle != 0)
    cairo_rotate (cr, angle);
  cairo_move_to (cr, -ax * w, -ay * h);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

void
nl_figure_render (NlFigure *fig, cairo_t *cr)
{
  double top = 0, cw, ch, pad = 0.6 * fig->font_pt * nl_fig_px_per_pt (fig);
  g_autofree double *col_left = g_new0 (double, fig->cols);
  g_autofree double *col_right = g_new0 (double, fig->cols);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, fig->width, fig->height);
  cairo_fill (cr);

  if (fig->title && *fig->title)
    {
      g_autoptr(PangoLayout) t = nl_fig_layout (fig, cr, fig->title, 1.3, TRUE, FALSE);
      double th;

      pango_layout_set_width (t, (int) ((fig->width - 2 * pad) * PANGO_SCALE));
      pango_layout_set_alignment (t, PANGO_ALIGN_CENTER);
      nl_fig_layout_size (t, NULL, &th);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, pad, pad);
      pango_cairo_show_layout (cr, t);
      top = th + pad;
    }

  cw = (double) fig->width / fig->cols;
  ch = (fig->height - top) / fig->rows;
  /* Two passes: the first finds each column's widest left and right margins, the second
   * lays out with them so stacked panels share their time axis pixels. */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < fig->axes->len; i++)
      {
        NlAxes *a = g_ptr_array_index (fig->axes, i);
        nl_axes_layout (a, cr, a->col * cw, top + a->row * ch, a->colspan * cw,
                        a->rowspan * ch, pass ? col_left[a->col] : 0,
                        pass ? col_right[a->col] : 0);
        if (!pass)
          {
            col_left[a->col] = MAX (col_left[a->col], a->left);
            col_right[a->col] = MAX (col_right[a->col], a->right);
          }
      }
  for (guint i = 0; i < fig->axes->len; i++)
    nl_axes_draw (g_ptr_array_index (fig->axes, i), cr);
  cairo_restore (cr);
}

gboolean
nl_figure_format_from_path (const char *path, NlFigureFormat *format, GError **error)
{
  const char *dot = path ? strrchr (path, '.') : NULL;

  if (dot && g_ascii_strcasecmp (dot, ".png") == 0)
    *format = NL_FIGURE_PNG;
  else if (dot && g_ascii_strcasecmp (dot, ".svg") == 0)
    *format = NL_FIGURE_SVG;
  else if (dot && g_ascii_strcasecmp (dot, ".pdf") == 0)
    *format = NL_FIGURE_PDF;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: unknown figure format '%s'; expected .png, .svg or .pdf",
                   path ? path : "(null)", dot ? dot : "(no extension)");
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_figure_save (NlFigure *fig, const char *path, GError **error)
{
  NlFigureFormat format;

  if (!nl_figure_format_from_path (path, &format, error))
    return FALSE;
  return nl_figure_save_format (fig, path, format, error);
}

typedef struct {
  int  fd;
  int  err;
} NlFdWriter;

static cairo_status_t
write_fd (void *closure, const unsigned char *data, unsigned int length)
{
  NlFdWriter *w = closure;

  while (length > 0)
    {
      ssize_t n = write (w->fd, data, length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          w->err = n < 0 ? errno : EIO;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= (unsigned int) n;
    }
  return CAIRO_STATUS_SUCCESS;
}

gboolean
nl_figure_save_format (NlFigure *fig, const char *path, NlFigureFormat format,
                       GError **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  NlFdWriter w = { -1, 0 };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double pt = 72.0 / fig->dpi;

  w.fd = g_mkstemp_full (tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (w.fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   "%s: cannot write the figure: %s", path, g_strerror (e));
      return FALSE;
    }

  if (format == NL_FIGURE_PNG)
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                          (int) ceil (fig->width * fig->scale),
                                          (int) ceil (fig->height * fig->scale));
  else if (format == NL_FIGURE_SVG)
    surface = cairo_svg_surface_create_for_stream (write_fd, &w, fig->width * pt,
                                                   fig->height * pt);
  else
    surface = cairo_pdf_surface_create_for_stream (write_fd, &w, fig->width * pt,
                                                   fig->height * pt);
  cr = cairo_create (surface);
  if (format == NL_FIGURE_PNG)
    cairo_scale (cr, fig->scale, fig->scale);
  else
    cairo_scale (cr, pt, pt);
  nl_figure_render (fig, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == NL_FIGURE_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_fd, &w);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status == CAIRO_STATUS_SUCCESS && fsync (w.fd) != 0 && errno != EINVAL)
    w.err = errno;
  if (close (w.fd) != 0 && !w.err)
    w.err = errno;
  if (status != CAIRO_STATUS_SUCCESS || w.err)
    {
      g_set_error (error, G_IO_ERROR, w.err ? g_io_error_from_errno (w.err) : G_IO_ERROR_FAILED,
                   "%s: cannot write the figure: %s", path,
                   w.err ? g_strerror (w.err) : cairo_status_to_string (status));
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   "%s: cannot write the figure: %s", path, g_strerror (e));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}
