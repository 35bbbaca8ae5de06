/* nl-plot.c — the plot primitives: lines, scatter, steps, bars, bands, segments, box
 * plots, images and text. Each copies its data into an artist drawn by the axes. */
#include "nl-figure-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  NlStyle  style;
  gsize    n;
  double  *x, *y, *z;
} NlSeries;

static void
series_free (gpointer p)
{
  NlSeries *s = p;
  g_free (s->x);
  g_free (s->y);
  g_free (s->z);
  g_free (s);
}

static NlSeries *
series_new (const NlStyle *style, gsize n, const double *x, gsize nx, const double *y, gsize ny,
            const double *z, gsize nz)
{
  NlSeries *s = g_new0 (NlSeries, 1);

  if (style)
    s->style = *style;
  s->style.label = NULL;   /* the legend keeps its own copy */
  s->n = n;
  s->x = x ? g_memdup2 (x, nx * sizeof (double)) : NULL;
  s->y = y ? g_memdup2 (y, ny * sizeof (double)) : NULL;
  s->z = z ? g_memdup2 (z, nz * sizeof (double)) : NULL;
  return s;
}

static double
unit (NlAxes *a)
{
  return nl_axes_get_dpi (a) / 100.0;
}

static double
alpha_of (const NlStyle *s)
{
  return s->alpha > 0 ? s->alpha : 1;
}

static void
source (cairo_t *cr, const NlStyle *s, double alpha)
{
  cairo_set_source_rgba (cr, s->color.r, s->color.g, s->color.b, alpha);
}

static void
stroke_style (NlAxes *a, cairo_t *cr, const NlStyle *s)
{
  cairo_set_line_width (cr, (s->line_width > 0 ? s->line_width : 1.5) * unit (a));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (s->dashed)
    {
      double d[] = { 5 * unit (a), 3 * unit (a) };
      cairo_set_dash (cr, d, 2, 0);
    }
  source (cr, s, alpha_of (s));
}

/* A point in pixels, FALSE when it has none (NaN, or ≤ 0 on a log axis). */
static gboolean
to_px (NlAxes *a, double x, double y, double *px, double *py)
{
  *px = nl_axes_x_to_px (a, x);
  *py = nl_axes_y_to_px (a, y);
  return isfinite (*px) && isfinite (*py);
}

/* ---- lines ---- */

static void
draw_line (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;
  gboolean pen = FALSE;

  for (gsize i = 0; i < s->n; i++)
    {
      double px, py;
      if (!to_px (a, s->x[i], s->y[i], &px, &py))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = TRUE;
    }
  stroke_style (a, cr, &s->style);
  cairo_stroke (cr);
  if (s->style.marker != NL_MARKER_NONE)
    {
      double size = (s->style.marker_size > 0 ? s->style.marker_size : 5) * unit (a);
      for (gsize i = 0; i < s->n; i++)
        {
          double px, py;
          if (to_px (a, s->x[i], s->y[i], &px, &py))
            nl_fig_draw_marker (cr, s->style.marker, px, py, size);
        }
      cairo_fill (cr);
    }
}

static void
add_xy (NlAxes *a, NlAxesDrawFunc draw, const double *x, const double *y, gsize n,
        const NlStyle *style, gboolean line)
{
  NlArtist art;

  nl_artist_init (&art, draw, series_new (style, n, x, n, y, n, NULL, 0), series_free);
  nl_artist_extend (&art, 0, x, n);
  nl_artist_extend (&art, 1, y, n);
  nl_axes_add_artist (a, &art);
  nl_axes_add_entry (a, style, line, 1);
}

void
nl_axes_line (NlAxes *a, const double *x, const double *y, gsize n, const NlStyle *style)
{
  add_xy (a, draw_line, x, y, n, style, TRUE);
}

static void
draw_scatter (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;
  double size = (s->style.marker_size > 0 ? s->style.marker_size : 5) * unit (a);
  NlMarker m = s->style.marker != NL_MARKER_NONE ? s->style.marker : NL_MARKER_CIRCLE;

  for (gsize i = 0; i < s->n; i++)
    {
      double px, py;
      if (to_px (a, s->x[i], s->y[i], &px, &py))
        nl_fig_draw_marker (cr, m, px, py, size);
    }
  source (cr, &s->style, alpha_of (&s->style));
  cairo_fill (cr);
}

void
nl_axes_scatter (NlAxes *a, const double *x, const double *y, gsize n, const NlStyle *style)
{
  NlStyle st = style ? *style : nl_style ((NlColor) { 0, 0, 0 }, NULL);
  if (st.marker == NL_MARKER_NONE)
    st.marker = NL_MARKER_CIRCLE;
  add_xy (a, draw_scatter, x, y, n, &st, FALSE);
}

/* ---- histograms ---- */

/* The pixel row of the bars' base: 0, or the bottom of a log axis. */
static double
base_px (NlAxes *a)
{
  double y0, y1, b;
  nl_axes_get_limits (a, NULL, NULL, &y0, &y1);
  b = nl_axes_y_to_px (a, y0 > 0 ? y0 : (y1 < 0 ? y1 : 0));
  return b;
}

static double
value_px (NlAxes *a, double v, double base)
{
  double p = nl_axes_y_to_px (a, v);
  return isfinite (p) ? p : base;
}

static void
draw_steps (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;   /* x: n + 1 edges, y: n values */
  double base = base_px (a);

  if (s->n == 0)
    return;
  if (s->style.fill_alpha > 0)
    {
      cairo_move_to (cr, nl_axes_x_to_px (a, s->x[0]), base);
      for (gsize i = 0; i < s->n; i++)
        {
          double v = value_px (a, s->y[i], base);
          cairo_line_to (cr, nl_axes_x_to_px (a, s->x[i]), v);
          cairo_line_to (cr, nl_axes_x_to_px (a, s->x[i + 1]), v);
        }
      cairo_line_to (cr, nl_axes_x_to_px (a, s->x[s->n]), base);
      cairo_close_path (cr);
      source (cr, &s->style, s->style.fill_alpha);
      cairo_fill (cr);
    }
  cairo_move_to (cr, nl_axes_x_to_px (a, s->x[0]), base);
  for (gsize i = 0; i < s->n; i++)
    {
      double v = value_px (a, s->y[i], base);
      cairo_line_to (cr, nl_axes_x_to_px (a, s->x[i]), v);
      cairo_line_to (cr, nl_axes_x_to_px (a, s->x[i + 1]), v);
    }
  cairo_line_to (cr, nl_axes_x_to_px (a, s->x[s->n]), base);
  stroke_style (a, cr, &s->style);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke (cr);
}

static void
draw_bars (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;
  double base = base_px (a);

  for (gsize i = 0; i < s->n; i++)
    {
      double x0 = nl_axes_x_to_px (a, s->x[i]), x1 = nl_axes_x_to_px (a, s->x[i + 1]);
      double v = value_px (a, s->y[i], base);
      cairo_rectangle (cr, x0, MIN (v, base), x1 - x0, fabs (base - v));
    }
  source (cr, &s->style, s->style.fill_alpha > 0 ? s->style.fill_alpha : 0.8);
  cairo_fill (cr);
}

static void
add_hist (NlAxes *a, NlAxesDrawFunc draw, const double *edges, const double *v, gsize n,
          const NlStyle *style)
{
  NlArtist art;
  double zero = 0;

  if (n == 0)
    return;
  nl_artist_init (&art, draw, series_new (style, n, edges, n + 1, v, n, NULL, 0), series_free);
  nl_artist_extend (&art, 0, edges, n + 1);
  nl_artist_extend (&art, 1, v, n);
  nl_artist_extend (&art, 1, &zero, 1);
  art.tight_x = TRUE;
  art.zero_floor = TRUE;
  nl_axes_add_artist (a, &art);
  if (draw == draw_steps && !(style && style->fill_alpha > 0))
    nl_axes_add_entry (a, style, TRUE, 1);
  else
    nl_axes_add_entry (a, style, FALSE, style && style->fill_alpha > 0 ? style->fill_alpha
                                                 : draw == draw_bars ? 0.8 : 1);
}

void
nl_axes_steps (NlAxes *a, const double *edges, const double *values, gsize n,
               const NlStyle *style)
{
  add_hist (a, draw_steps, edges, values, n, style);
}

void
nl_axes_bars (NlAxes *a, const double *edges, const double *heights, gsize n,
              const NlStyle *style)
{
  add_hist (a, draw_bars, edges, heights, n, style);
}

/* ---- band, segments ---- */

static void
draw_band (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;   /* x, y = lo, z = hi */
  gsize i = 0;

  /* One polygon per run of finite points. */
  while (i < s->n)
    {
      gsize start, end;
      double px, py;
      while (i < s->n && !(to_px (a, s->x[i], s->y[i], &px, &py)
                           && to_px (a, s->x[i], s->z[i], &px, &py)))
        i++;
      start = i;
      while (i < s->n && to_px (a, s->x[i], s->y[i], &px, &py)
             && to_px (a, s->x[i], s->z[i], &px, &py))
        i++;
      end = i;
      if (end <= start)
        continue;
      for (gsize k = start; k < end; k++)
        {
          to_px (a, s->x[k], s->y[k], &px, &py);
          if (k == start)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      for (gsize k = end; k-- > start;)
        {
          to_px (a, s->x[k], s->z[k], &px, &py);
          cairo_line_to (cr, px, py);
        }
      cairo_close_path (cr);
    }
  source (cr, &s->style, s->style.fill_alpha > 0 ? s->style.fill_alpha : 0.25);
  cairo_fill (cr);
}

void
nl_axes_band (NlAxes *a, const double *x, const double *lo, const double *hi, gsize n,
              const NlStyle *style)
{
  NlArtist art;

  nl_artist_init (&art, draw_band, series_new (style, n, x, n, lo, n, hi, n), series_free);
  nl_artist_extend (&art, 0, x, n);
  nl_artist_extend (&art, 1, lo, n);
  nl_artist_extend (&art, 1, hi, n);
  nl_axes_add_artist (a, &art);
  nl_axes_add_entry (a, style, FALSE, style && style->fill_alpha > 0 ? style->fill_alpha : 0.25);
}

static void
draw_segments (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlSeries *s = data;   /* x: 4 per segment */

  for (gsize i = 0; i < s->n; i++)
    {
      double x0, y0, x1, y1;
      const double *p = s->x + 4 * i;
      if (to_px (a, p[0], p[1], &x0, &y0) && to_px (a, p[2], p[3], &x1, &y1))
        {
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
        }
    }
  stroke_style (a, cr, &s->style);
  cairo_stroke (cr);
}

void
nl_axes_segments (NlAxes *a, const double *xy, gsize n, const NlStyle *style)
{
  NlArtist art;
  NlSeries *s = series_new (style, n, xy, 4 * n, NULL, 0, NULL, 0);

  nl_artist_init (&art, draw_segments, s, series_free);
  for (gsize i = 0; i < n; i++)
    for (int k = 0; k < 4; k++)
      nl_artist_extend (&art, k % 2, &xy[4 * i + k], 1);
  nl_axes_add_artist (a, &art);
  nl_axes_add_entry (a, style, TRUE, 1);
}

/* ---- box plot ---- */

typedef struct {
  NlStyle style;
  double  pos, width;
  double  q1, med, q3, wlo, whi;
  GArray *outliers;
} NlBox;

static void
box_free (gpointer p)
{
  NlBox *b = p;
  g_array_unref (b->outliers);
  g_free (b);
}

static int
cmp_double (const void *pa, const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;
  return (a > b) - (a < b);
}

/* The q-quantile of sorted v, interpolating between order statistics (as numpy's default). */
static double
quantile (const double *v, gsize n, double q)
{
  double h = (n - 1) * q, f = floor (h);
  gsize i = (gsize) f;
  return i + 1 < n ? v[i] + (h - f) * (v[i + 1] - v[i]) : v[n - 1];
}

static void
draw_box (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlBox *b = data;
  double u = unit (a);
  double xl = nl_axes_x_to_px (a, b->pos - b->width / 2), xr = nl_axes_x_to_px (a, b->pos + b->width / 2);
  double xc = nl_axes_x_to_px (a, b->pos), cap = (xr - xl) / 4;
  double q1 = nl_axes_y_to_px (a, b->q1), q3 = nl_axes_y_to_px (a, b->q3);
  double med = nl_axes_y_to_px (a, b->med);
  double size = (b->style.marker_size > 0 ? b->style.marker_size : 4.5) * u;

  if (!isfinite (b->med))
    return;
  cairo_set_line_width (cr, 1.2 * u);
  /* Whiskers and caps. */
  source (cr, &b->style, 1);
  cairo_move_to (cr, xc, nl_axes_y_to_px (a, b->wlo));
  cairo_line_to (cr, xc, q1);
  cairo_move_to (cr, xc, q3);
  cairo_line_to (cr, xc, nl_axes_y_to_px (a, b->whi));
  cairo_move_to (cr, xc - cap, nl_axes_y_to_px (a, b->wlo));
  cairo_rel_line_to (cr, 2 * cap, 0);
  cairo_move_to (cr, xc - cap, nl_axes_y_to_px (a, b->whi));
  cairo_rel_line_to (cr, 2 * cap, 0);
  cairo_stroke (cr);
  /* Box: light fill of the colour, its outline in the colour. */
  cairo_rectangle (cr, xl, MIN (q1, q3), xr - xl, fabs (q1 - q3));
  source (cr, &b->style, b->style.fill_alpha > 0 ? b->style.fill_alpha : 0.35);
  cairo_fill_preserve (cr);
  source (cr, &b->style, 1);
  cairo_stroke (cr);
  /* The median in black, thicker: it must read in grey too. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 2 * u);
  cairo_move_to (cr, xl, med);
  cairo_line_to (cr, xr, med);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1 * u);
  source (cr, &b->style, 1);
  for (guint i = 0; i < b->outliers->len; i++)
    {
      double y = nl_axes_y_to_px (a, g_array_index (b->outliers, double, i));
      cairo_new_sub_path (cr);
      cairo_arc (cr, xc, y, size / 2, 0, 2 * G_PI);
    }
  cairo_stroke (cr);
}

void
nl_axes_boxplot (NlAxes *a, double position, double width, const double *values, gsize n,
                 const NlStyle *style)
{
  NlBox *b = g_new0 (NlBox, 1);
  g_autofree double *v = g_new (double, MAX (n, 1));
  gsize m = 0;
  double iqr, x[2] = { position - width / 2, position + width / 2 };
  NlArtist art;

  if (style)
    b->style = *style;
  b->style.label = NULL;
  b->pos = position;
  b->width = width;
  b->outliers = g_array_new (FALSE, FALSE, sizeof (double));
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]))
      v[m++] = values[i];
  qsort (v, m, sizeof (double), cmp_double);
  b->med = b->q1 = b->q3 = b->wlo = b->whi = NAN;
  if (m > 0)
    {
      b->q1 = quantile (v, m, 0.25);
      b->med = quantile (v, m, 0.5);
      b->q3 = quantile (v, m, 0.75);
      iqr = b->q3 - b->q1;
      b->wlo = b->q1;
      b->whi = b->q3;
      for (gsize i = 0; i < m; i++)
        {
          if (v[i] < b->q1 - 1.5 * iqr || v[i] > b->q3 + 1.5 * iqr)
            g_array_append_val (b->outliers, v[i]);
          else
            {
              b->wlo = MIN (b->wlo, v[i]);
              b->whi = MAX (b->whi, v[i]);
            }
        }
    }
  nl_artist_init (&art, draw_box, b, box_free);
  nl_artist_extend (&art, 0, x, 2);
  nl_artist_extend (&art, 1, v, m);
  nl_axes_add_artist (a, &art);
  nl_axes_add_entry (a, style, FALSE, style && style->fill_alpha > 0 ? style->fill_alpha : 0.35);
}

/* ---- image ---- */

typedef struct {
  cairo_surface_t *surface;   /* cols × rows, row i = matrix row i */
  double          *values;
  guint            rows, cols;
  double           x0, x1, y0, y1;
  NlColormap       map;
  double           vmin, vmax;
  gboolean         smooth;
} NlImage;

static void
image_free (gpointer p)
{
  NlImage *im = p;
  cairo_surface_destroy (im->surface);
  g_free (im->values);
  g_free (im);
}

static guint32
value_color (const NlImage *im, double v)
{
  double f;
  if (!isfinite (v))
    return 0;   /* transparent */
  f = im->vmax > im->vmin ? (v - im->vmin) / (im->vmax - im->vmin) : 0.5;
  return nl_colormap_lut (im->map)[(int) lround (CLAMP (f, 0, 1) * 255)];
}

static void
draw_image (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlImage *im = data;
  double X0 = nl_axes_x_to_px (a, im->x0), X1 = nl_axes_x_to_px (a, im->x1);
  double Y0 = nl_axes_y_to_px (a, im->y0), Y1 = nl_axes_y_to_px (a, im->y1);
  cairo_pattern_t *pat;
  cairo_matrix_t m;

  if (!isfinite (X0 + X1 + Y0 + Y1) || X0 == X1 || Y0 == Y1)
    return;
  /* Small matrices in vector output are cells, so every viewer shows crisp blocks. */
  if (!im->smooth && nl_cairo_is_vector (cr) && (guint64) im->rows * im->cols <= 40000)
    {
      double cw = (X1 - X0) / im->cols, ch = (Y1 - Y0) / im->rows;
      for (guint i = 0; i < im->rows; i++)
        for (guint j = 0; j < im->cols; j++)
          {
            guint32 c = value_color (im, im->values[(gsize) i * im->cols + j]);
            if (!c)
              continue;
            cairo_set_source_rgb (cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
                                  (c & 0xff) / 255.0);
            /* A hairline of overlap hides the seams viewers draw between cells. */
            cairo_rectangle (cr, X0 + j * cw, Y0 + i * ch, cw + 0.02 * (cw > 0 ? 1 : -1),
                             ch + 0.02 * (ch > 0 ? 1 : -1));
            cairo_fill (cr);
          }
      return;
    }
  pat = cairo_pattern_create_for_surface (im->surface);
  cairo_matrix_init (&m, im->cols / (X1 - X0), 0, 0, im->rows / (Y1 - Y0),
                     -X0 * im->cols / (X1 - X0), -Y0 * im->rows / (Y1 - Y0));
  cairo_pattern_set_matrix (pat, &m);
  cairo_pattern_set_filter (pat, im->smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pat, im->smooth ? CAIRO_EXTEND_PAD : CAIRO_EXTEND_NONE);
  cairo_set_source (cr, pat);
  cairo_rectangle (cr, MIN (X0, X1), MIN (Y0, Y1), fabs (X1 - X0), fabs (Y1 - Y0));
  cairo_fill (cr);
  cairo_pattern_destroy (pat);
}

void
nl_axes_image (NlAxes *a, const double *values, guint rows, guint cols, double x0, double x1,
               double y0, double y1, NlColormap map, double vmin, double vmax, gboolean smooth)
{
  NlImage *im;
  NlArtist art;
  double xs[2] = { x0, x1 }, ys[2] = { y0, y1 };
  guint32 *px;
  int stride;

  if (rows == 0 || cols == 0)
    return;
  if (rows > 4096 || cols > 4096)
    {
      /* Block means of at most 4096 × 4096 (NaNs left out of each mean). */
      guint kr = (rows + 4095) / 4096, kc = (cols + 4095) / 4096;
      guint nr = (rows + kr - 1) / kr, nc = (cols + kc - 1) / kc;
      g_autofree double *sum = g_new0 (double, (gsize) nr * nc);
      g_autofree guint *cnt = g_new0 (guint, (gsize) nr * nc);
      for (guint i = 0; i < rows; i++)
        for (guint j = 0; j < cols; j++)
          {
            double v = values[(gsize) i * cols + j];
            gsize k = (gsize) (i / kr) * nc + j / kc;
            if (isfinite (v))
              sum[k] += v, cnt[k]++;
          }
      for (gsize k = 0; k < (gsize) nr * nc; k++)
        sum[k] = cnt[k] ? sum[k] / cnt[k] : NAN;
      nl_axes_image (a, sum, nr, nc, x0, x1, y0, y1, map, vmin, vmax, smooth);
      return;
    }
  im = g_new0 (NlImage, 1);
  im->rows = rows;
  im->cols = cols;
  im->x0 = x0;
  im->x1 = x1;
  im->y0 = y0;
  im->y1 = y1;
  im->map = map;
  im->vmin = vmin;
  im->vmax = vmax;
  im->smooth = smooth;
  im->values = g_memdup2 (values, (gsize) rows * cols * sizeof (double));
  im->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) cols, (int) rows);
  cairo_surface_flush (im->surface);
  px = (guint32 *) cairo_image_surface_get_data (im->surface);
  stride = cairo_image_surface_get_stride (im->surface) / 4;
  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      px[(gsize) i * stride + j] = value_color (im, values[(gsize) i * cols + j]);
  cairo_surface_mark_dirty (im->surface);

  nl_artist_init (&art, draw_image, im, image_free);
  nl_artist_extend (&art, 0, xs, 2);
  nl_artist_extend (&art, 1, ys, 2);
  art.tight_x = art.tight_y = TRUE;
  nl_axes_add_artist (a, &art);
}

/* ---- text ---- */

typedef struct {
  double  x, y, size;
  NlColor color;
  char   *text;
} NlText;

static void
text_free (gpointer p)
{
  NlText *t = p;
  g_free (t->text);
  g_free (t);
}

static void
draw_text (NlAxes *a, cairo_t *cr, gpointer data)
{
  NlText *t = data;
  PangoLayout *l = nl_fig_layout (a->fig, cr, t->text, t->size > 0 ? t->size : 0.9, FALSE, FALSE);
  double px, py;

  if (to_px (a, t->x, t->y, &px, &py))
    {
      cairo_set_source_rgb (cr, t->color.r, t->color.g, t->color.b);
      nl_fig_draw_layout (cr, l, px, py, 0.5, 0.5, 0);
    }
  g_object_unref (l);
}

void
nl_axes_text (NlAxes *a, double x, double y, const char *text, NlColor color, double size)
{
  NlText *t = g_new0 (NlText, 1);
  NlArtist art;

  t->x = x;
  t->y = y;
  t->size = size;
  t->color = color;
  t->text = g_strdup (text ? text : "");
  nl_artist_init (&art, draw_text, t, text_free);
  nl_axes_add_artist (a, &art);
}
