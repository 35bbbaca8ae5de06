/* nl-shape-figure.h — cell morphologies drawn in 2-D: one cell rule or a network's cells,
 * projected on the x–y plane or from a viewing direction (azimuth, elevation), each segment a
 * line as thick as its diameter (scaled) and coloured by population, by synapses per segment
 * or by a value per segment through a colour map with a colour bar. Both axes have the same
 * µm scale, and a scale bar says how long 1-2-5 × 10^k µm is.
 *
 * The view: a point (x, y, z) is turned by `azimuth` about the y axis, then by `elevation`
 * about the screen's horizontal axis (nl_shape_project); 0, 0 looks along −z at the x–y
 * plane with y up (NEURON's coordinates: NetPyNE puts cells at −y, depth grows downwards).
 * Nearer segments are drawn over farther ones.
 */
#pragma once

#include <nl-morphology.h>
#include <nl-network.h>
#include <nl-spec.h>

#include "nl-figure.h"

G_BEGIN_DECLS

typedef enum {
  NL_SHAPE_COLOR_POPULATION,   /* one palette colour per population (default) */
  NL_SHAPE_COLOR_SYNAPSES,     /* NetCons onto each segment (needs the network) */
  NL_SHAPE_COLOR_VALUES,       /* `values`, one per segment of the morphology */
} NlShapeColorBy;

typedef struct {
  NlFigureOptions base;        /* pops and gids choose cells (network figures); times ignored */
  double          azimuth;     /* degrees */
  double          elevation;   /* degrees */
  NlShapeColorBy  color_by;
  const double   *values;      /* NL_SHAPE_COLOR_VALUES: n_values = segments */
  gsize           n_values;
  const char     *value_label; /* the colour bar's label, default "Value" */
  double          diam_scale;  /* line width = diam × scale (at least 1 px); 0 → 1 */
  double          zoom;        /* > 1 magnifies about the centre; 0 → 1 (whole cells) */
} NlShapeOptions;

/* Screen coordinates (µm) and depth (towards the viewer is larger) of a point. */
void      nl_shape_project            (double                azimuth,
                                       double                elevation,
                                       const double          p[3],
                                       double               *u,
                                       double               *v,
                                       double               *depth);

/* `m` as it is; `net` (may be NULL) names populations and counts synapses. NULL with a
 * G_IO_ERROR_INVALID_ARGUMENT error for an empty morphology, values of the wrong length, or
 * synapses without a network. */
NlFigure *nl_shape_figure_new         (NlMorphology         *m,
                                       NlNetwork            *net,
                                       const NlShapeOptions *options,
                                       GError              **error);
/* The network's cells chosen by options->base.pops / gids, placed as NetPyNE places them. */
NlFigure *nl_shape_figure_new_for_network (NlSpec               *spec,
                                           NlNetwork            *net,
                                           const NlShapeOptions *options,
                                           GError              **error);

G_END_DECLS
