/* nl-axes.h — one panel of a figure: data ranges and their transform to pixels (linear or
 * logarithmic), "nice" ticks (steps of 1, 2 or 5 × 10^k) with labels, axis labels (put the
 * unit in them: "Time (ms)"), grid, legend, colour bar, and the plot primitives: lines,
 * steps and bars (histograms), scatter, error bands, line segments, box plots, images
 * (heat maps) and text.
 *
 * Primitives copy their data. Limits left unset are taken from the data (with a small margin
 * except for images, steps and bars); the transform is fixed at render time, when the panel
 * knows its pixels. Custom primitives (nl_axes_add_custom) draw with the transform, e.g.
 * the raster's density image.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "nl-colormap.h"

G_BEGIN_DECLS

typedef struct _NlAxes NlAxes;

typedef enum {
  NL_SCALE_LINEAR,
  NL_SCALE_LOG,         /* base 10; values ≤ 0 are left out */
} NlScale;

typedef enum {
  NL_LEGEND_NONE,
  NL_LEGEND_RIGHT,      /* outside the plot area, on its right: never hides data (default) */
  NL_LEGEND_INSIDE,     /* in the upper right corner of the plot area */
} NlLegendPlace;

typedef enum {
  NL_MARKER_NONE,
  NL_MARKER_CIRCLE,
  NL_MARKER_SQUARE,
} NlMarker;

/* How a primitive looks. Zero fields take defaults: line_width 1.5 px, alpha 1,
 * fill_alpha per primitive, marker_size 5 px. `label` names it in the legend (NULL: not in
 * the legend). */
typedef struct {
  NlColor     color;
  double      line_width;
  double      alpha;
  double      fill_alpha;
  NlMarker    marker;
  double      marker_size;
  gboolean    dashed;
  const char *label;
} NlStyle;

/* A style of `color` labelled `label` with the defaults. */
NlStyle   nl_style                (NlColor        color,
                                   const char    *label);

/* Decorations. Text is copied; labels are plain text. */
void      nl_axes_set_title       (NlAxes        *axes,
                                   const char    *title);
void      nl_axes_set_xlabel      (NlAxes        *axes,
                                   const char    *label);
void      nl_axes_set_ylabel      (NlAxes        *axes,
                                   const char    *label);
/* Limits in data units; NAN for either end takes it from the data. */
void      nl_axes_set_xlim        (NlAxes        *axes,
                                   double         lo,
                                   double         hi);
void      nl_axes_set_ylim        (NlAxes        *axes,
                                   double         lo,
                                   double         hi);
void      nl_axes_set_xscale      (NlAxes        *axes,
                                   NlScale        scale);
void      nl_axes_set_yscale      (NlAxes        *axes,
                                   NlScale        scale);
/* y grows downwards (matrix rows, depth below the pia). */
void      nl_axes_set_y_inverted  (NlAxes        *axes,
                                   gboolean       inverted);
/* One data unit is as long on x as on y (positions in µm); the plot area shrinks to fit. */
void      nl_axes_set_equal_aspect (NlAxes       *axes,
                                   gboolean       equal);
/* Light grid lines at the major ticks (default off). */
void      nl_axes_set_grid        (NlAxes        *axes,
                                   gboolean       grid);
/* A box around the plot area (default: only the left and bottom axis lines). */
void      nl_axes_set_frame       (NlAxes        *axes,
                                   gboolean       full);
void      nl_axes_set_legend      (NlAxes        *axes,
                                   NlLegendPlace  place);
/* Fixed ticks (categories): n positions with their labels, replacing the automatic ones. */
void      nl_axes_set_xticks      (NlAxes        *axes,
                                   const double  *positions,
                                   const char *const *labels,
                                   guint          n);
void      nl_axes_set_yticks      (NlAxes        *axes,
                                   const double  *positions,
                                   const char *const *labels,
                                   guint          n);
/* A colour bar right of the plot area for values vmin..vmax of `map`, labelled `label`. */
void      nl_axes_set_colorbar    (NlAxes        *axes,
                                   NlColormap     map,
                                   double         vmin,
                                   double         vmax,
                                   const char    *label);
/* A legend entry not tied to a primitive (a filled swatch). */
void      nl_axes_add_legend_entry (NlAxes       *axes,
                                   NlColor        color,
                                   const char    *label);

/* Primitives. n points (x[i], y[i]); a NaN ends a line segment. */
void      nl_axes_line            (NlAxes        *axes,
                                   const double  *x,
                                   const double  *y,
                                   gsize          n,
                                   const NlStyle *style);
void      nl_axes_scatter         (NlAxes        *axes,
                                   const double  *x,
                                   const double  *y,
                                   gsize          n,
                                   const NlStyle *style);
/* A histogram outline: bin i spans edges[i]..edges[i+1] (n_bins + 1 edges) at values[i];
 * fill_alpha > 0 also fills under it. */
void      nl_axes_steps           (NlAxes        *axes,
                                   const double  *edges,
                                   const double  *values,
                                   gsize          n_bins,
                                   const NlStyle *style);
/* Filled bars from 0 (fill_alpha default 0.8), same layout as steps. */
void      nl_axes_bars            (NlAxes        *axes,
                                   const double  *edges,
                                   const double  *heights,
                                   gsize          n_bins,
                                   const NlStyle *style);
/* A shaded band between lo[i] and hi[i] (error band; fill_alpha default 0.25). */
void      nl_axes_band            (NlAxes        *axes,
                                   const double  *x,
                                   const double  *lo,
                                   const double  *hi,
                                   gsize          n,
                                   const NlStyle *style);
/* n straight segments, xy = x0 y0 x1 y1 per segment. */
void      nl_axes_segments        (NlAxes        *axes,
                                   const double  *xy,
                                   gsize          n,
                                   const NlStyle *style);
/* A box plot of `values` at x = position, `width` wide in data units: box from the first to
 * the third quartile (linear interpolation between order statistics), median line,
 * whiskers to the furthest values within 1.5 IQR, the others as outlier circles. NaNs are
 * left out. */
void      nl_axes_boxplot         (NlAxes        *axes,
                                   double         position,
                                   double         width,
                                   const double  *values,
                                   gsize          n,
                                   const NlStyle *style);
/* A matrix (rows × cols, row-major) painted over x0..x1, y0..y1: column j spans
 * x0 + j·(x1−x0)/cols …, row i spans y0 + i·(y1−y0)/rows …. Values map vmin → 0, vmax → 1 of
 * `map` (NaN cells are left blank). `smooth` interpolates (spectrograms) instead of
 * showing cells as blocks (matrices). Matrices wider or taller than 4096 are averaged down
 * to at most 4096 columns/rows first (more than any output shows). */
void      nl_axes_image           (NlAxes        *axes,
                                   const double  *values,
                                   guint          rows,
                                   guint          cols,
                                   double         x0,
                                   double         x1,
                                   double         y0,
                                   double         y1,
                                   NlColormap     map,
                                   double         vmin,
                                   double         vmax,
                                   gboolean       smooth);
/* Text centred at (x, y), in the base font size times `size` (0 → 0.9). */
void      nl_axes_text            (NlAxes        *axes,
                                   double         x,
                                   double         y,
                                   const char    *text,
                                   NlColor        color,
                                   double         size);

/* A primitive of your own, drawn clipped to the plot area with the transform below; its
 * data range x0..x1, y0..y1 (NAN when none) joins the automatic limits. `destroy` frees
 * `data` with the figure. */
typedef void (*NlAxesDrawFunc) (NlAxes  *axes,
                                cairo_t *cr,
                                gpointer data);
void      nl_axes_add_custom      (NlAxes        *axes,
                                   double         x0,
                                   double         x1,
                                   double         y0,
                                   double         y1,
                                   NlAxesDrawFunc draw,
                                   gpointer       data,
                                   GDestroyNotify destroy);

/* Valid during and after a render: the plot area (px, whole pixels in the figure's user
 * space), the limits in use, and data → pixel transforms. */
void      nl_axes_get_plot_area   (NlAxes        *axes,
                                   double        *x,
                                   double        *y,
                                   double        *width,
                                   double        *height);
void      nl_axes_get_limits      (NlAxes        *axes,
                                   double        *x0,
                                   double        *x1,
                                   double        *y0,
                                   double        *y1);
double    nl_axes_x_to_px         (NlAxes        *axes,
                                   double         x);
double    nl_axes_y_to_px         (NlAxes        *axes,
                                   double         y);
/* The figure's pixels per point of text etc. (DPI / 72) and its DPI. */
double    nl_axes_get_dpi         (NlAxes        *axes);
/* TRUE when `cr` draws to SVG/PDF/PS (vectors), FALSE for pixels. */
gboolean  nl_cairo_is_vector      (cairo_t       *cr);

G_END_DECLS
