/* nl-figure-panel.h — the base of every panel that shows one figure of the GTK-free figure
 * library (spike histogram, traces, connectivity, PSD, LFP, CSD, Granger, nTE …).
 *
 * A subclass says what it needs and supplies two functions: `compute`, run in a worker
 * thread (GTask) with the session's data, which does the numerics and returns whatever the
 * figure needs; and `build_figure`, which turns that into an NlFigure of a given size. The
 * base draws the figure in a GtkDrawingArea (rebuilt when the size changes), shows a spinner
 * and a Cancel button while computing, shows errors in place, and exports exactly the figure
 * on screen (same data, options and size) to PNG, SVG or PDF. A newer load or unload cancels
 * a computation in flight.
 *
 * Actions in the panel's group: "refresh" (compute again), "cancel", and the stateful
 * "computing" (b) and "error" (s) that tests read.
 */
#pragma once

#include <nl-figure.h>
#include "nl-panel.h"

G_BEGIN_DECLS

/* The session's data as a worker thread sees it: references, never the session itself. */
typedef struct {
  NlSpec    *spec;      /* may be NULL */
  NlNetwork *network;   /* may be NULL */
  NlResults *results;   /* may be NULL */
} NlPanelInput;

#define NL_TYPE_FIGURE_PANEL (nl_figure_panel_get_type ())
G_DECLARE_DERIVABLE_TYPE (NlFigurePanel, nl_figure_panel, NL, FIGURE_PANEL, GtkWidget)

struct _NlFigurePanelClass {
  GtkWidgetClass parent_class;

  const char    *title;
  const char    *icon_name;
  NlSessionParts needs;

  /* Worker thread: the numerics. Return the figure's data (freed with free_data) or NULL
   * with an error. Check `cancellable` in long loops. */
  gpointer  (*compute)      (NlFigurePanel      *self,
                             const NlPanelInput *input,
                             GCancellable       *cancellable,
                             GError            **error);
  GDestroyNotify free_data;
  /* Main thread: the figure for `data` at width × height px (called again on resize). */
  NlFigure *(*build_figure) (NlFigurePanel      *self,
                             gpointer            data,
                             guint               width,
                             guint               height,
                             GError            **error);

  gpointer padding[8];
};

/* A box above the figure where a subclass puts its controls (bin size, trace …). */
GtkBox       *nl_figure_panel_get_toolbar   (NlFigurePanel *self);
/* Computes again (after a control changed what `compute` does). */
void          nl_figure_panel_recompute     (NlFigurePanel *self);
/* Builds and draws the figure again (after a control changed only how it looks). */
void          nl_figure_panel_redraw        (NlFigurePanel *self);
/* The computed data, or NULL while computing or after an error. */
gpointer      nl_figure_panel_get_data      (NlFigurePanel *self);
/* The figure on screen (NULL before the first draw); owned by the panel. */
NlFigure     *nl_figure_panel_get_figure    (NlFigurePanel *self);
/* The panel's action group, so subclasses add their own actions to it. */
GSimpleActionGroup *nl_figure_panel_get_actions (NlFigurePanel *self);

G_END_DECLS
