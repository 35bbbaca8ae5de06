/* nl-figure.h — a figure: a canvas of W × H pixels at a DPI, a title, and axes panels laid
 * out in a grid; rendered onto any cairo context or saved to PNG, SVG or PDF.
 *
 * GTK-free: `netloom plot` on a cluster and a workbench panel draw the same figure (the
 * panel calls nl_figure_render() from its draw function). Building a figure only records
 * what to draw (data are copied); layout (margins from the measured text, ticks from the
 * available pixels) happens at each render, so one figure renders at any size.
 *
 * Units: the figure's user space is pixels. Text sizes are points, converted with the DPI
 * (10 pt at 100 DPI is 13.9 px). PNG output has W × H pixels (times the scale); SVG and PDF
 * are W/DPI × H/DPI inches, with text at its point size.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "nl-axes.h"

G_BEGIN_DECLS

typedef struct _NlFigure NlFigure;

typedef enum {
  NL_FIGURE_PNG,
  NL_FIGURE_SVG,
  NL_FIGURE_PDF,
} NlFigureFormat;

/* Default canvas when a kind's options leave width/height/dpi at 0. */
#define NL_FIGURE_DEFAULT_WIDTH  900
#define NL_FIGURE_DEFAULT_HEIGHT 600
#define NL_FIGURE_DEFAULT_DPI    100

/* width/height in px (0 → the defaults above, at most NL_FIGURE_MAX_SIZE), dpi 0 → 100. */
#define NL_FIGURE_MAX_SIZE 16384
NlFigure   *nl_figure_new           (guint           width,
                                     guint           height,
                                     double          dpi);
void        nl_figure_free          (NlFigure       *fig);

/* A new canvas size (a panel following its widget): the next render lays out anew. */
void        nl_figure_set_size      (NlFigure       *fig,
                                     guint           width,
                                     guint           height);
guint       nl_figure_get_width     (NlFigure       *fig);
guint       nl_figure_get_height    (NlFigure       *fig);
double      nl_figure_get_dpi       (NlFigure       *fig);

/* The title above all panels (NULL for none). */
void        nl_figure_set_title     (NlFigure       *fig,
                                     const char     *title);
/* Base font size in points (default 10); titles, tick labels scale from it. */
void        nl_figure_set_font_size (NlFigure       *fig,
                                     double          points);
/* PNG pixels per figure pixel (default 1; 2 for high-density screens). */
void        nl_figure_set_scale     (NlFigure       *fig,
                                     double          scale);
/* The panel grid (default 1 × 1). Set it before adding axes. */
void        nl_figure_set_grid      (NlFigure       *fig,
                                     guint           rows,
                                     guint           cols);
/* A panel in grid cell (row, col), spanning rowspan × colspan cells; owned by the figure.
 * Panels in one column share their left margin so their plot areas line up. */
NlAxes     *nl_figure_add_axes      (NlFigure       *fig,
                                     guint           row,
                                     guint           col,
                                     guint           rowspan,
                                     guint           colspan);
guint       nl_figure_get_n_axes    (NlFigure       *fig);
NlAxes     *nl_figure_get_axes      (NlFigure       *fig,
                                     guint           index);

/* Draws the whole figure with the user space of `cr` taken as W × H figure pixels (scale
 * `cr` first to draw it at another size). Afterwards each axes knows where its plot area
 * landed (nl_axes_get_plot_area). */
void        nl_figure_render        (NlFigure       *fig,
                                     cairo_t        *cr);

/* The format for a path's extension (.png, .svg, .pdf, any case). */
gboolean    nl_figure_format_from_path (const char     *path,
                                        NlFigureFormat *format,
                                        GError        **error);
/* Saves by the path's extension. The file is written beside its destination under a
 * temporary name, synced and renamed: it is either complete or untouched. */
gboolean    nl_figure_save          (NlFigure       *fig,
                                     const char     *path,
                                     GError        **error);
gboolean    nl_figure_save_format   (NlFigure       *fig,
                                     const char     *path,
                                     NlFigureFormat  format,
                                     GError        **error);

/* What every figure kind's options start with. Zero means the default everywhere: the
 * default canvas, no title, the whole run (t_start = t_stop = 0 → all of it; give
 * t_stop > t_start to choose a window, in ms), all populations, all cells. */
typedef struct {
  guint               width, height;   /* px */
  double              dpi;
  const char         *title;
  double              t_start, t_stop; /* ms */
  const char *const  *pops;            /* NULL-terminated population names, NULL: all */
  const guint32      *gids;            /* only these cells (within `pops`), NULL: all */
  guint               n_gids;
} NlFigureOptions;

/* A figure of the options' size with their title (`fallback_title` when NULL). */
NlFigure   *nl_figure_new_from_options (const NlFigureOptions *options,
                                        const char            *fallback_title);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlFigure, nl_figure_free)

G_END_DECLS
