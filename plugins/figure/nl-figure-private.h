/* nl-figure-private.h — what the figure toolkit's files share: the axes' fields, the
 * primitives' record, and the text helpers. Not for plugins. */
#pragma once

#include <pango/pangocairo.h>

#include "nl-figure.h"

typedef struct {
  NlAxesDrawFunc draw;
  gpointer       data;
  GDestroyNotify destroy;
  double         bounds[4];   /* x min, x max, y min, y max; NAN when none */
  double         minpos[2];   /* smallest positive x and y (log axes), NAN when none */
  gboolean       tight_x;     /* automatic limits add no margin around it */
  gboolean       tight_y;
  gboolean       zero_floor;  /* bars from 0: the margin never takes y below 0 */
} NlArtist;

typedef struct {
  NlColor  color;
  char    *label;
  gboolean line;              /* a line sample, else a filled swatch */
  double   alpha;             /* the swatch's opacity, as the primitive's fill */
  gboolean dashed;
  NlMarker marker;
} NlLegendEntry;

typedef struct {
  GArray    *pos;             /* double */
  GPtrArray *labels;          /* char* */
} NlFixedTicks;

struct _NlAxes {
  NlFigure     *fig;
  guint         row, col, rowspan, colspan;
  char         *title, *xlabel, *ylabel;
  double        xlim[2], ylim[2];
  NlScale       xscale, yscale;
  gboolean      y_inverted, grid, full_frame, equal_aspect;
  NlLegendPlace legend;
  NlFixedTicks  xfixed, yfixed;
  gboolean      has_colorbar;
  NlColormap    cb_map;
  double        cb_min, cb_max;
  char         *cb_label;
  GPtrArray    *artists;      /* NlArtist* */
  GArray       *entries;      /* NlLegendEntry */

  /* Set by the layout at each render. */
  double        x0, x1, y0, y1;       /* limits in use */
  double        px, py, pw, ph;       /* plot area in figure px */
  double        left, right, top, bottom;  /* margins */
  double        xtarget;              /* how many x ticks fit */
  guint         xfixed_every;         /* label every n-th fixed x tick (crowded categories) */
};

struct _NlFigure {
  guint      width, height;
  double     dpi, scale, font_pt;
  char      *title;
  guint      rows, cols;
  GPtrArray *axes;            /* NlAxes* */
};

/* Text: a layout of `text` (Pango markup when `markup`) in "Sans" at font_pt × `rel`. */
PangoLayout *nl_fig_layout        (NlFigure   *fig,
                                   cairo_t    *cr,
                                   const char *text,
                                   double      rel,
                                   gboolean    bold,
                                   gboolean    markup);
void         nl_fig_layout_size   (PangoLayout *layout,
                                   double      *w,
                                   double      *h);
/* Draws `layout` with its anchor point (ax, ay ∈ 0..1 of its box) at (x, y), rotated by
 * `angle` radians around that point. */
void         nl_fig_draw_layout   (cairo_t     *cr,
                                   PangoLayout *layout,
                                   double       x,
                                   double       y,
                                   double       ax,
                                   double       ay,
                                   double       angle);
/* Pixels per point. */
double       nl_fig_px_per_pt     (NlFigure   *fig);

NlAxes      *nl_axes_new          (NlFigure   *fig,
                                   guint       row,
                                   guint       col,
                                   guint       rowspan,
                                   guint       colspan);
void         nl_axes_free         (NlAxes     *axes);
/* Fixes limits and margins for the cell (x, y, w, h); `min_left` and `min_right` line up
 * the plot areas of a column. */
void         nl_axes_layout       (NlAxes     *axes,
                                   cairo_t    *cr,
                                   double      x,
                                   double      y,
                                   double      w,
                                   double      h,
                                   double      min_left,
                                   double      min_right);
void         nl_axes_draw         (NlAxes     *axes,
                                   cairo_t    *cr);
/* Adds a primitive (a copy of `artist`, which gives its data to the axes). */
void         nl_axes_add_artist   (NlAxes         *axes,
                                   const NlArtist *artist);
/* An artist with no data range yet; nl_artist_extend() widens it by values. */
void         nl_artist_init       (NlArtist       *artist,
                                   NlAxesDrawFunc  draw,
                                   gpointer        data,
                                   GDestroyNotify  destroy);
void         nl_artist_extend     (NlArtist       *artist,
                                   int             axis,
                                   const double   *values,
                                   gsize           n);
/* A legend entry for a primitive: a line sample, or a swatch at opacity `fill`. */
void         nl_axes_add_entry    (NlAxes        *axes,
                                   const NlStyle *style,
                                   gboolean       line,
                                   double         fill);
/* A marker path (not filled) centred at (x, y). */
void         nl_fig_draw_marker   (cairo_t       *cr,
                                   NlMarker       marker,
                                   double         x,
                                   double         y,
                                   double         size);
