/* nl-axes.c — a panel's limits, transform, ticks, decorations, legend and colour bar. */
#include "nl-figure-private.h"

#include <math.h>
#include <string.h>

/* Text is near-black, axis lines dark grey, grid lines light grey. */
#define INK      0.10
#define SPINE    0.20
#define GRIDLINE 0.88

typedef struct {
  double v;
  char  *label;     /* Pango markup; NULL for a minor tick */
} NlTick;

static void
tick_clear (gpointer p)
{
  g_free (((NlTick *) p)->label);
}

static GArray *
ticks_new (void)
{
  GArray *t = g_array_new (FALSE, FALSE, sizeof (NlTick));
  g_array_set_clear_func (t, tick_clear);
  return t;
}

NlStyle
nl_style (NlColor color, const char *label)
{
  NlStyle s = { 0 };
  s.color = color;
  s.label = label;
  return s;
}

static void
fixed_init (NlFixedTicks *f)
{
  f->pos = g_array_new (FALSE, FALSE, sizeof (double));
  f->labels = g_ptr_array_new_with_free_func (g_free);
}

static void
artist_free (gpointer p)
{
  NlArtist *a = p;
  if (a->destroy)
    a->destroy (a->data);
  g_free (a);
}

static void
entry_clear (gpointer p)
{
  g_free (((NlLegendEntry *) p)->label);
}

NlAxes *
nl_axes_new (NlFigure *fig, guint row, guint col, guint rowspan, guint colspan)
{
  NlAxes *a = g_new0 (NlAxes, 1);

  a->fig = fig;
  a->row = row;
  a->col = col;
  a->rowspan = rowspan;
  a->colspan = colspan;
  a->xlim[0] = a->xlim[1] = a->ylim[0] = a->ylim[1] = NAN;
  a->legend = NL_LEGEND_RIGHT;
  fixed_init (&a->xfixed);
  fixed_init (&a->yfixed);
  a->artists = g_ptr_array_new_with_free_func (artist_free);
  a->entries = g_array_new (FALSE, TRUE, sizeof (NlLegendEntry));
  g_array_set_clear_func (a->entries, entry_clear);
  a->x0 = a->y0 = 0;
  a->x1 = a->y1 = 1;
  return a;
}

void
nl_axes_free (NlAxes *a)
{
  g_free (a->title);
  g_free (a->xlabel);
  g_free (a->ylabel);
  g_free (a->cb_label);
  g_array_unref (a->xfixed.pos);
  g_ptr_array_unref (a->xfixed.labels);
  g_array_unref (a->yfixed.pos);
  g_ptr_array_unref (a->yfixed.labels);
  g_ptr_array_unref (a->artists);
  g_array_unref (a->entries);
  g_free (a);
}

static void
set_text (char **field, const char *text)
{
  g_free (*field);
  *field = text && *text ? g_strdup (text) : NULL;
}

void nl_axes_set_title (NlAxes *a, const char *t) { set_text (&a->title, t); }
void nl_axes_set_xlabel (NlAxes *a, const char *t) { set_text (&a->xlabel, t); }
void nl_axes_set_ylabel (NlAxes *a, const char *t) { set_text (&a->ylabel, t); }
void nl_axes_set_xscale (NlAxes *a, NlScale s) { a->xscale = s; }
void nl_axes_set_yscale (NlAxes *a, NlScale s) { a->yscale = s; }
void nl_axes_set_y_inverted (NlAxes *a, gboolean inv) { a->y_inverted = inv; }
void nl_axes_set_grid (NlAxes *a, gboolean grid) { a->grid = grid; }
void nl_axes_set_equal_aspect (NlAxes *a, gboolean equal) { a->equal_aspect = equal; }
void nl_axes_set_frame (NlAxes *a, gboolean full) { a->full_frame = full; }
void nl_axes_set_legend (NlAxes *a, NlLegendPlace place) { a->legend = place; }
double nl_axes_get_dpi (NlAxes *a) { return a->fig->dpi; }

void
nl_axes_set_xlim (NlAxes *a, double lo, double hi)
{
  a->xlim[0] = lo;
  a->xlim[1] = hi;
}

void
nl_axes_set_ylim (NlAxes *a, double lo, double hi)
{
  a->ylim[0] = lo;
  a->ylim[1] = hi;
}

static void
set_fixed (NlFixedTicks *f, const double *pos, const char *const *labels, guint n)
{
  g_array_set_size (f->pos, 0);
  g_ptr_array_set_size (f->labels, 0);
  for (guint i = 0; i < n; i++)
    {
      g_array_append_val (f->pos, pos[i]);
      g_ptr_array_add (f->labels, g_markup_escape_text (labels && labels[i] ? labels[i] : "", -1));
    }
}

void
nl_axes_set_xticks (NlAxes *a, const double *pos, const char *const *labels, guint n)
{
  set_fixed (&a->xfixed, pos, labels, n);
}

void
nl_axes_set_yticks (NlAxes *a, const double *pos, const char *const *labels, guint n)
{
  set_fixed (&a->yfixed, pos, labels, n);
}

void
nl_axes_set_colorbar (NlAxes *a, NlColormap map, double vmin, double vmax, const char *label)
{
  a->has_colorbar = TRUE;
  a->cb_map = map;
  a->cb_min = vmin;
  a->cb_max = vmax;
  set_text (&a->cb_label, label);
}

void
nl_axes_add_entry (NlAxes *a, const NlStyle *style, gboolean line, double fill)
{
  NlLegendEntry e = { 0 };

  if (!style || !style->label)
    return;
  e.color = style->color;
  e.label = g_strdup (style->label);
  e.line = line;
  e.dashed = style->dashed;
  e.marker = style->marker;
  e.alpha = line ? (style->alpha > 0 ? style->alpha : 1) : fill;
  g_array_append_val (a->entries, e);
}

void
nl_axes_add_legend_entry (NlAxes *a, NlColor color, const char *label)
{
  NlStyle s = nl_style (color, label);
  nl_axes_add_entry (a, &s, FALSE, 1);
}

void
nl_artist_init (NlArtist *art, NlAxesDrawFunc draw, gpointer data, GDestroyNotify destroy)
{
  memset (art, 0, sizeof *art);
  art->draw = draw;
  art->data = data;
  art->destroy = destroy;
  for (int i = 0; i < 4; i++)
    art->bounds[i] = NAN;
  art->minpos[0] = art->minpos[1] = NAN;
}

void
nl_artist_extend (NlArtist *art, int axis, const double *v, gsize n)
{
  double *lo = &art->bounds[2 * axis], *hi = &art->bounds[2 * axis + 1], *mp = &art->minpos[axis];

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (v[i]))
        continue;
      if (isnan (*lo) || v[i] < *lo)
        *lo = v[i];
      if (isnan (*hi) || v[i] > *hi)
        *hi = v[i];
      if (v[i] > 0 && (isnan (*mp) || v[i] < *mp))
        *mp = v[i];
    }
}

void
nl_axes_add_artist (NlAxes *a, const NlArtist *art)
{
  g_ptr_array_add (a->artists, g_memdup2 (art, sizeof *art));
}

void
nl_axes_add_custom (NlAxes *a, double x0, double x1, double y0, double y1, NlAxesDrawFunc draw,
                    gpointer data, GDestroyNotify destroy)
{
  NlArtist art;
  double x[2] = { x0, x1 }, y[2] = { y0, y1 };

  nl_artist_init (&art, draw, data, destroy);
  nl_artist_extend (&art, 0, x, 2);
  nl_artist_extend (&art, 1, y, 2);
  art.tight_x = art.tight_y = TRUE;
  nl_axes_add_artist (a, &art);
}

/* ---- transform ---- */

static double
fwd (NlScale s, double v)
{
  return s == NL_SCALE_LOG ? (v > 0 ? log10 (v) : NAN) : v;
}

static double
inv (NlScale s, double v)
{
  return s == NL_SCALE_LOG ? pow (10, v) : v;
}

double
nl_axes_x_to_px (NlAxes *a, double x)
{
  double f0 = fwd (a->xscale, a->x0), f1 = fwd (a->xscale, a->x1);
  return a->px + (fwd (a->xscale, x) - f0) / (f1 - f0) * a->pw;
}

double
nl_axes_y_to_px (NlAxes *a, double y)
{
  double f0 = fwd (a->yscale, a->y0), f1 = fwd (a->yscale, a->y1);
  double t = (fwd (a->yscale, y) - f0) / (f1 - f0);
  return a->y_inverted ? a->py + t * a->ph : a->py + a->ph - t * a->ph;
}

void
nl_axes_get_plot_area (NlAxes *a, double *x, double *y, double *w, double *h)
{
  if (x) *x = a->px;
  if (y) *y = a->py;
  if (w) *w = a->pw;
  if (h) *h = a->ph;
}

void
nl_axes_get_limits (NlAxes *a, double *x0, double *x1, double *y0, double *y1)
{
  if (x0) *x0 = a->x0;
  if (x1) *x1 = a->x1;
  if (y0) *y0 = a->y0;
  if (y1) *y1 = a->y1;
}

gboolean
nl_cairo_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_RECORDING:
    case CAIRO_SURFACE_TYPE_SCRIPT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The limits of one axis: the user's where given, else the data's with a 4 % margin in the
 * scale's space (none for tight primitives; bars keep 0 as their floor). */
static void
resolve_axis (NlAxes *a, int axis, const double user[2], NlScale scale, double *lo, double *hi)
{
  double dlo = NAN, dhi = NAN;
  gboolean tight = TRUE, floor0 = FALSE;

  for (guint i = 0; i < a->artists->len; i++)
    {
      NlArtist *art = g_ptr_array_index (a->artists, i);
      double blo = scale == NL_SCALE_LOG ? art->minpos[axis] : art->bounds[2 * axis];
      double bhi = art->bounds[2 * axis + 1];

      if (isnan (blo) || isnan (bhi) || (scale == NL_SCALE_LOG && bhi <= 0))
        continue;
      dlo = isnan (dlo) ? blo : MIN (dlo, blo);
      dhi = isnan (dhi) ? bhi : MAX (dhi, bhi);
      if (!(axis ? art->tight_y : art->tight_x))
        tight = FALSE;
      if (axis == 1 && art->zero_floor)
        floor0 = TRUE;
    }
  if (isnan (dlo))
    {
      dlo = scale == NL_SCALE_LOG ? 1 : 0;
      dhi = scale == NL_SCALE_LOG ? 10 : 1;
    }
  else
    {
      double f0 = fwd (scale, dlo), f1 = fwd (scale, dhi);
      if (f1 - f0 <= 0)
        {
          double d = scale == NL_SCALE_LOG ? 1 : (fabs (f0) > 0 ? 0.1 * fabs (f0) : 1);
          f0 -= d;
          f1 += d;
        }
      else if (!tight)
        {
          double m = 0.04 * (f1 - f0);
          f0 -= m;
          f1 += m;
        }
      dlo = inv (scale, f0);
      dhi = inv (scale, f1);
      if (floor0 && dlo < 0 && dhi > 0)
        dlo = 0;
    }
  *lo = isnan (user[0]) || (scale == NL_SCALE_LOG && user[0] <= 0) ? dlo : user[0];
  *hi = isnan (user[1]) ? dhi : user[1];
  if (!(*hi > *lo))
    *hi = scale == NL_SCALE_LOG ? *lo * 10 : *lo + 1;
}

/* ---- ticks ---- */

static double
nice_step (double range, double target)
{
  /* 1, 2 or 5 × 10^k near range / target, leaning to the larger step (fewer labels). */
  double raw = range / MAX (target, 1), mag = pow (10, floor (log10 (raw))), f = raw / mag;
  return (f <= 1.4 ? 1 : f <= 3 ? 2 : f <= 6 ? 5 : 10) * mag;
}

/* A number as a tick label: as many decimals as the step needs, a real minus sign. */
static char *
format_number (double v, double step)
{
  char buf[64];
  GString *s;
  int dec;

  if (fabs (v) < step * 1e-6)
    v = 0;
  if (v != 0 && (fabs (v) >= 1e6 || fabs (v) < 1e-4))
    g_ascii_formatd (buf, sizeof buf, "%.3g", v);
  else
    {
      char fmt[16];
      dec = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);
      dec = CLAMP (dec, 0, 10);
      g_snprintf (fmt, sizeof fmt, "%%.%df", dec);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
    }
  s = g_string_new (NULL);
  for (const char *p = buf; *p; p++)
    if (*p == '-')
      g_string_append (s, "\xe2\x88\x92");
    else
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
linear_ticks (GArray *ticks, double lo, double hi, double target)
{
  double step = nice_step (hi - lo, target), first = ceil (lo / step - 1e-9) * step;

  for (int k = 0; k < 1000; k++)
    {
      NlTick t;
      t.v = first + k * step;
      if (t.v > hi + step * 1e-9)
        break;
      t.label = format_number (t.v, step);
      g_array_append_val (ticks, t);
    }
}

/* A tick of a log axis: a plain number when the whole axis stays within 0.001 … 10^4
 * (`plain`), else a power of ten, so one axis never mixes the two. */
static char *
format_log (double v, gboolean plain)
{
  int e = (int) floor (log10 (v) + 1e-9);
  double mant = v / pow (10, e);

  if (plain)
    return format_number (v, pow (10, MIN (e, 0)));
  if (fabs (mant - 1) < 1e-6)
    return g_strdup_printf ("10<sup>%s%d</sup>", e < 0 ? "\xe2\x88\x92" : "", abs (e));
  return g_strdup_printf ("%.0f\xc3\x97" "10<sup>%s%d</sup>", mant, e < 0 ? "\xe2\x88\x92" : "",
                          abs (e));
}

static void
log_ticks (GArray *ticks, double lo, double hi, double target)
{
  int d0 = (int) floor (log10 (lo) + 1e-9), d1 = (int) ceil (log10 (hi) - 1e-9);
  double decades = log10 (hi / lo);
  gboolean plain = lo >= 1e-3 * (1 - 1e-9) && hi < 1e5;

  if (decades >= 1)
    {
      int every = MAX (1, (int) ceil (decades / MAX (target, 1)));
      for (int d = d0; d <= d1; d++)
        for (int m = 1; m <= 9; m++)
          {
            NlTick t;
            t.v = m * pow (10, d);
            if (t.v < lo * (1 - 1e-9) || t.v > hi * (1 + 1e-9))
              continue;
            /* Minor ticks at 2…9 only when every decade is labelled. */
            if (m == 1 && d % every == 0)
              t.label = format_log (t.v, plain);
            else if (m > 1 && every == 1)
              t.label = NULL;
            else
              continue;
            g_array_append_val (ticks, t);
          }
      return;
    }
  /* Less than a decade: 1, 2 and 5 × 10^k, or plain linear ticks when those are too few. */
  for (int d = d0; d <= d1; d++)
    {
      static const int ms[] = { 1, 2, 5 };
      for (int i = 0; i < 3; i++)
        {
          NlTick t;
          t.v = ms[i] * pow (10, d);
          if (t.v < lo * (1 - 1e-9) || t.v > hi * (1 + 1e-9))
            continue;
          t.label = format_log (t.v, plain);
          g_array_append_val (ticks, t);
        }
    }
  if (ticks->len < 3)
    {
      g_array_set_size (ticks, 0);
      linear_ticks (ticks, lo, hi, MAX (target, 3));
    }
}

static GArray *
make_ticks (NlScale scale, const NlFixedTicks *fixed, double lo, double hi, double target)
{
  GArray *ticks = ticks_new ();

  if (fixed->pos->len > 0)
    {
      for (guint i = 0; i < fixed->pos->len; i++)
        {
          NlTick t;
          t.v = g_array_index (fixed->pos, double, i);
          t.label = g_strdup (g_ptr_array_index (fixed->labels, i));
          g_array_append_val (ticks, t);
        }
    }
  else if (scale == NL_SCALE_LOG)
    log_ticks (ticks, lo, hi, target);
  else
    linear_ticks (ticks, lo, hi, target);
  return ticks;
}

static double
max_label_size (NlAxes *a, cairo_t *cr, GArray *ticks, gboolean width)
{
  double m = 0;

  for (guint i = 0; i < ticks->len; i++)
    {
      NlTick *t = &g_array_index (ticks, NlTick, i);
      g_autoptr(PangoLayout) l = NULL;
      double w, h;
      if (!t->label)
        continue;
      l = nl_fig_layout (a->fig, cr, t->label, 0.9, FALSE, TRUE);
      nl_fig_layout_size (l, &w, &h);
      m = MAX (m, width ? w : h);
    }
  return m;
}

static double
text_height (NlAxes *a, cairo_t *cr, const char *text, double rel)
{
  g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, text, rel, FALSE, FALSE);
  double h;
  nl_fig_layout_size (l, NULL, &h);
  return h;
}

static double
text_width (NlAxes *a, cairo_t *cr, const char *text, double rel, gboolean markup)
{
  g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, text, rel, FALSE, markup);
  double w;
  nl_fig_layout_size (l, &w, NULL);
  return w;
}

/* Whether x tick labels, centred on their ticks, leave a gap between neighbours. */
static gboolean
x_labels_fit (NlAxes *a, cairo_t *cr, GArray *ticks, double gap)
{
  double prev_right = -G_MAXDOUBLE;

  for (guint i = 0; i < ticks->len; i++)
    {
      NlTick *t = &g_array_index (ticks, NlTick, i);
      double c, w;
      if (!t->label)
        continue;
      c = nl_axes_x_to_px (a, t->v);
      w = text_width (a, cr, t->label, 0.9, TRUE);
      if (c - w / 2 < prev_right + gap)
        return FALSE;
      prev_right = c + w / 2;
    }
  return TRUE;
}

static double
legend_width (NlAxes *a, cairo_t *cr)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig), m = 0;

  for (guint i = 0; i < a->entries->len; i++)
    m = MAX (m, text_width (a, cr, g_array_index (a->entries, NlLegendEntry, i).label, 0.9,
                            FALSE));
  return a->entries->len ? 2.2 * em + m : 0;
}

static double
colorbar_width (NlAxes *a, cairo_t *cr, double *tick_w)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig);
  g_autoptr(GArray) ticks = NULL;

  if (!a->has_colorbar)
    return 0;
  ticks = ticks_new ();
  linear_ticks (ticks, a->cb_min, a->cb_max, 5);
  *tick_w = max_label_size (a, cr, ticks, TRUE);
  return 0.9 * em + 1.0 * em + 0.35 * em + 0.3 * em + *tick_w
         + (a->cb_label ? 0.5 * em + text_height (a, cr, a->cb_label, 1.0) : 0);
}

void
nl_axes_layout (NlAxes *a, cairo_t *cr, double x, double y, double w, double h,
                double min_left, double min_right)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig);
  double tick_len = 0.35 * em, pad = 0.3 * em, tick_h, cbw, cb_tick_w = 0;
  double target;
  GArray *yt, *xt;

  resolve_axis (a, 0, a->xlim, a->xscale, &a->x0, &a->x1);
  resolve_axis (a, 1, a->ylim, a->yscale, &a->y0, &a->y1);

  tick_h = text_height (a, cr, "0", 0.9);
  a->top = a->title ? text_height (a, cr, a->title, 1.1) + 0.9 * em : 1.2 * em;
  a->bottom = tick_len + pad + tick_h + (a->xlabel ? pad + text_height (a, cr, a->xlabel, 1.0) : 0)
              + 0.5 * em;
  a->ph = MAX (10, floor (h - a->top - a->bottom));

  yt = make_ticks (a->yscale, &a->yfixed, a->y0, a->y1, MAX (2, a->ph / (3.5 * em)));
  a->left = 0.6 * em + (a->ylabel ? text_height (a, cr, a->ylabel, 1.0) + pad : 0)
            + max_label_size (a, cr, yt, TRUE) + pad + tick_len;
  a->left = MAX (a->left, min_left);
  g_array_unref (yt);

  cbw = colorbar_width (a, cr, &cb_tick_w);
  a->right = 1.2 * em + cbw
             + (a->legend == NL_LEGEND_RIGHT && a->entries->len ? 1.0 * em + legend_width (a, cr) : 0);
  a->right = MAX (a->right, min_right);
  a->pw = MAX (10, floor (w - a->left - a->right));
  /* Whole pixels: a raster's pixel cells and 1 px lines land on the pixel grid. */
  a->px = round (x + a->left);
  a->py = round (y + a->top);
  if (a->equal_aspect && a->xscale == NL_SCALE_LINEAR && a->yscale == NL_SCALE_LINEAR)
    {
      double ratio = (a->x1 - a->x0) / (a->y1 - a->y0);
      if (a->pw / a->ph > ratio)
        {
          double nw = floor (a->ph * ratio);
          a->px += floor ((a->pw - nw) / 2);
          a->pw = MAX (10, nw);
        }
      else
        {
          double nh = floor (a->pw / ratio);
          a->py += floor ((a->ph - nh) / 2);
          a->ph = MAX (10, nh);
        }
    }

  /* Fewer x ticks until their labels leave at least an em between them. */
  target = MAX (2, a->pw / (7.0 * em));
  for (int it = 0; it < 8; it++)
    {
      xt = make_ticks (a->xscale, &a->xfixed, a->x0, a->x1, target);
      if (a->xfixed.pos->len || x_labels_fit (a, cr, xt, em) || target <= 1)
        {
          g_array_unref (xt);
          break;
        }
      g_array_unref (xt);
      target = floor (target * 0.6);
    }
  a->xtarget = target;
  /* Crowded categories: label every n-th so names never overlap. */
  a->xfixed_every = 1;
  while (a->xfixed.pos->len && a->xfixed_every < a->xfixed.pos->len)
    {
      g_autoptr(GArray) some = ticks_new ();
      xt = make_ticks (a->xscale, &a->xfixed, a->x0, a->x1, target);
      for (guint i = 0; i < xt->len; i += a->xfixed_every)
        {
          NlTick t = g_array_index (xt, NlTick, i);
          t.label = g_strdup (t.label);
          g_array_append_val (some, t);
        }
      g_array_unref (xt);
      if (x_labels_fit (a, cr, some, 0.5 * em))
        break;
      a->xfixed_every++;
    }
}

/* ---- drawing ---- */

static void
ink (cairo_t *cr, double grey)
{
  cairo_set_source_rgb (cr, grey, grey, grey);
}

static double
unit (NlAxes *a)
{
  return a->fig->dpi / 100.0;
}

/* A 1-unit line on a pixel boundary is blurred over two pixels; half a pixel off it is
 * crisp. */
static double
crisp (double v)
{
  return floor (v) + 0.5;
}

void
nl_fig_draw_marker (cairo_t *cr, NlMarker marker, double x, double y, double size)
{
  if (marker == NL_MARKER_SQUARE)
    cairo_rectangle (cr, x - size / 2, y - size / 2, size, size);
  else
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, size / 2, 0, 2 * G_PI);
    }
}

static void
draw_legend (NlAxes *a, cairo_t *cr, double x, double y, gboolean inside)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig), row = 1.35 * em;
  double w = legend_width (a, cr), h = a->entries->len * row + 0.3 * em;

  if (inside)
    {
      x = a->px + a->pw - w - 0.8 * em;
      y = a->py + 0.5 * em;
      cairo_rectangle (cr, x - 0.4 * em, y - 0.2 * em, w + 0.6 * em, h);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_fill_preserve (cr);
      ink (cr, 0.75);
      cairo_set_line_width (cr, unit (a));
      cairo_stroke (cr);
    }
  for (guint i = 0; i < a->entries->len; i++)
    {
      NlLegendEntry *e = &g_array_index (a->entries, NlLegendEntry, i);
      double cy = y + (i + 0.5) * row;
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, e->label, 0.9, FALSE, FALSE);

      cairo_set_source_rgba (cr, e->color.r, e->color.g, e->color.b, e->alpha);
      if (e->line)
        {
          cairo_set_line_width (cr, 2 * unit (a));
          if (e->dashed)
            {
              double d[] = { 4 * unit (a), 2.5 * unit (a) };
              cairo_set_dash (cr, d, 2, 0);
            }
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + 1.6 * em, cy);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          if (e->marker != NL_MARKER_NONE)
            {
              nl_fig_draw_marker (cr, e->marker, x + 0.8 * em, cy, 0.5 * em);
              cairo_fill (cr);
            }
        }
      else if (e->marker != NL_MARKER_NONE)
        {
          nl_fig_draw_marker (cr, e->marker, x + 0.8 * em, cy, 0.6 * em);
          cairo_fill (cr);
        }
      else
        {
          cairo_rectangle (cr, x + 0.2 * em, cy - 0.4 * em, 1.2 * em, 0.8 * em);
          cairo_fill (cr);
        }
      ink (cr, INK);
      nl_fig_draw_layout (cr, l, x + 2.0 * em, cy, 0, 0.5, 0);
    }
}

static void
draw_colorbar (NlAxes *a, cairo_t *cr)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig);
  double x = a->px + a->pw + 0.9 * em, bw = 1.0 * em, tick_w = 0;
  const guint32 *lut = nl_colormap_lut (a->cb_map);
  cairo_surface_t *strip = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 256);
  guint32 *px = (guint32 *) cairo_image_surface_get_data (strip);
  int stride = cairo_image_surface_get_stride (strip) / 4;
  cairo_pattern_t *pat;
  cairo_matrix_t m;
  g_autoptr(GArray) ticks = ticks_new ();

  x = round (x);
  cairo_surface_flush (strip);
  for (int i = 0; i < 256; i++)
    px[i * stride] = lut[255 - i];   /* top of the bar is vmax */
  cairo_surface_mark_dirty (strip);
  pat = cairo_pattern_create_for_surface (strip);
  cairo_pattern_set_extend (pat, CAIRO_EXTEND_PAD);
  cairo_matrix_init_scale (&m, 1 / bw, 256 / a->ph);
  cairo_matrix_translate (&m, -x, -a->py);
  cairo_pattern_set_matrix (pat, &m);
  cairo_set_source (cr, pat);
  cairo_rectangle (cr, x, a->py, bw, a->ph);
  cairo_fill (cr);
  cairo_pattern_destroy (pat);
  cairo_surface_destroy (strip);

  ink (cr, SPINE);
  cairo_set_line_width (cr, unit (a));
  cairo_rectangle (cr, x - 0.5, a->py - 0.5, bw + 1, a->ph + 1);
  cairo_stroke (cr);

  linear_ticks (ticks, MIN (a->cb_min, a->cb_max), MAX (a->cb_min, a->cb_max),
                MAX (2, a->ph / (3.5 * em)));
  for (guint i = 0; i < ticks->len; i++)
    {
      NlTick *t = &g_array_index (ticks, NlTick, i);
      double f = (t->v - a->cb_min) / (a->cb_max - a->cb_min);
      double ty = a->py + a->ph - f * a->ph;
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, t->label, 0.9, FALSE, TRUE);
      double w;

      cairo_move_to (cr, x + bw, crisp (ty));
      cairo_line_to (cr, x + bw + 0.35 * em, crisp (ty));
      cairo_stroke (cr);
      nl_fig_draw_layout (cr, l, x + bw + 0.65 * em, ty, 0, 0.5, 0);
      nl_fig_layout_size (l, &w, NULL);
      tick_w = MAX (tick_w, w);
    }
  if (a->cb_label)
    {
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, a->cb_label, 1.0, FALSE, FALSE);
      ink (cr, INK);
      nl_fig_draw_layout (cr, l, x + bw + 0.65 * em + tick_w + 0.5 * em, a->py + a->ph / 2,
                          0.5, 0, -G_PI / 2);
    }
}

void
nl_axes_draw (NlAxes *a, cairo_t *cr)
{
  double em = a->fig->font_pt * nl_fig_px_per_pt (a->fig), u = unit (a);
  double tick_len = 0.35 * em, pad = 0.3 * em, left_text = a->px, bottom_text, label_h;
  double last_label = -G_MAXDOUBLE;
  g_autoptr(GArray) xt = make_ticks (a->xscale, &a->xfixed, a->x0, a->x1, a->xtarget);
  g_autoptr(GArray) yt = make_ticks (a->yscale, &a->yfixed, a->y0, a->y1,
                                      MAX (2, a->ph / (3.5 * em)));

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  /* Grid lines follow automatic ticks; categories (fixed ticks) get none. */
  if (a->grid)
    {
      ink (cr, GRIDLINE);
      cairo_set_line_width (cr, u);
      for (guint i = 0; i < (a->xfixed.pos->len ? 0 : xt->len); i++)
        {
          NlTick *t = &g_array_index (xt, NlTick, i);
          double v = crisp (nl_axes_x_to_px (a, t->v));
          if (!t->label || v < a->px || v > a->px + a->pw)
            continue;
          cairo_move_to (cr, v, a->py);
          cairo_line_to (cr, v, a->py + a->ph);
        }
      for (guint i = 0; i < (a->yfixed.pos->len ? 0 : yt->len); i++)
        {
          NlTick *t = &g_array_index (yt, NlTick, i);
          double v = crisp (nl_axes_y_to_px (a, t->v));
          if (!t->label || v < a->py || v > a->py + a->ph)
            continue;
          cairo_move_to (cr, a->px, v);
          cairo_line_to (cr, a->px + a->pw, v);
        }
      cairo_stroke (cr);
    }

  cairo_save (cr);
  cairo_rectangle (cr, a->px, a->py, a->pw, a->ph);
  cairo_clip (cr);
  for (guint i = 0; i < a->artists->len; i++)
    {
      NlArtist *art = g_ptr_array_index (a->artists, i);
      cairo_save (cr);
      art->draw (a, cr, art->data);
      cairo_restore (cr);
    }
  cairo_restore (cr);

  /* Axis lines just outside the plot area, so they never cover data pixels. */
  ink (cr, SPINE);
  cairo_set_line_width (cr, u);
  {
    double l = a->px - 0.5 * u, r = a->px + a->pw + 0.5 * u;
    double t = a->py - 0.5 * u, b = a->py + a->ph + 0.5 * u;
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
    if (a->full_frame)
      cairo_rectangle (cr, l, t, r - l, b - t);
    else
      {
        cairo_move_to (cr, l, a->py);
        cairo_line_to (cr, l, b);
        cairo_line_to (cr, a->px + a->pw, b);
      }
  }
  cairo_stroke (cr);

  /* Ticks pointing out, labels beyond them. */
  bottom_text = a->py + a->ph + tick_len + pad;
  label_h = text_height (a, cr, "0", 0.9);
  for (guint i = 0; i < xt->len; i++)
    {
      NlTick *t = &g_array_index (xt, NlTick, i);
      double v = nl_axes_x_to_px (a, t->v), len = t->label ? tick_len : 0.6 * tick_len;
      if (!isfinite (v) || v < a->px - 0.5 || v > a->px + a->pw + 0.5)
        continue;
      ink (cr, SPINE);
      cairo_move_to (cr, crisp (MIN (v, a->px + a->pw - 0.5)), a->py + a->ph + u);
      cairo_rel_line_to (cr, 0, len);
      cairo_stroke (cr);
      if (t->label && (!a->xfixed.pos->len || i % a->xfixed_every == 0))
        {
          g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, t->label, 0.9, FALSE, TRUE);
          ink (cr, INK);
          nl_fig_draw_layout (cr, l, v, bottom_text, 0.5, 0, 0);
        }
    }
  for (guint i = 0; i < yt->len; i++)
    {
      NlTick *t = &g_array_index (yt, NlTick, i);
      double v = nl_axes_y_to_px (a, t->v), len = t->label ? tick_len : 0.6 * tick_len;
      if (!isfinite (v) || v < a->py - 0.5 || v > a->py + a->ph + 0.5)
        continue;
      ink (cr, SPINE);
      cairo_move_to (cr, a->px - u, crisp (MIN (v, a->py + a->ph - 0.5)));
      cairo_rel_line_to (cr, -len, 0);
      cairo_stroke (cr);
      /* A label too close to the previous one is left out (crowded categories). */
      if (t->label && fabs (v - last_label) >= 1.05 * label_h)
        {
          g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, t->label, 0.9, FALSE, TRUE);
          double w;
          last_label = v;
          ink (cr, INK);
          nl_fig_draw_layout (cr, l, a->px - tick_len - pad - u, v, 1, 0.5, 0);
          nl_fig_layout_size (l, &w, NULL);
          left_text = MIN (left_text, a->px - tick_len - pad - u - w);
        }
    }

  ink (cr, INK);
  if (a->xlabel)
    {
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, a->xlabel, 1.0, FALSE, FALSE);
      double th = text_height (a, cr, "0", 0.9);
      nl_fig_draw_layout (cr, l, a->px + a->pw / 2, bottom_text + th + pad, 0.5, 0, 0);
    }
  if (a->ylabel)
    {
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, a->ylabel, 1.0, FALSE, FALSE);
      /* Rotated to read bottom to top, at the margin's outer edge: the panels of a column
       * share that edge, so their labels line up. */
      nl_fig_draw_layout (cr, l, MIN (a->px - a->left + 0.6 * em, left_text - pad - label_h),
                          a->py + a->ph / 2, 0.5, 0, -G_PI / 2);
    }
  if (a->title)
    {
      g_autoptr(PangoLayout) l = nl_fig_layout (a->fig, cr, a->title, 1.1, FALSE, FALSE);
      nl_fig_draw_layout (cr, l, a->px + a->pw / 2, a->py - 0.4 * em, 0.5, 1, 0);
    }

  if (a->has_colorbar)
    draw_colorbar (a, cr);
  if (a->entries->len && a->legend == NL_LEGEND_INSIDE)
    draw_legend (a, cr, 0, 0, TRUE);
  else if (a->entries->len && a->legend == NL_LEGEND_RIGHT)
    {
      double cbtw = 0;
      draw_legend (a, cr, a->px + a->pw + colorbar_width (a, cr, &cbtw) + 1.0 * em, a->py, FALSE);
    }
  cairo_restore (cr);
}
