/* nl-net2d-figure.h — a built network seen from the side: each cell at its position
 * (x against y by default, y growing downwards as depth below the pia, as NetPyNE draws),
 * coloured by population, over a sample of its connections as thin grey lines. Both axes
 * have the same scale (µm).
 */
#pragma once

#include <nl-network.h>

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions base;        /* pops and gids choose cells; times are ignored */
  NlCoord         x_coord;     /* default NL_COORD_X */
  NlCoord         y_coord;     /* default NL_COORD_Y (when equal to x_coord) */
  guint           max_conns;   /* connections drawn, evenly sampled; 0 → 1,000 */
  gboolean        no_conns;
  gboolean        y_up;        /* y grows upwards */
} NlNet2dOptions;

/* NULL with an error for an unknown population or a network without cells. */
NlFigure *nl_net2d_figure_new (NlNetwork            *net,
                               const NlNet2dOptions *options,
                               GError              **error);

G_END_DECLS
