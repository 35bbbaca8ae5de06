/* nl-morphology.h — the 3-D geometry of cells as NEURON places it: segments with their end
 * points and diameters.
 *
 * A cell rule (netParams.cellParams[rule].secs: geom L, diam, nseg, pt3d; topol parentSec,
 * parentX, childX) becomes the 3-D points NEURON has after define_shape() for a lone cell:
 * sections with pt3d keep their points (a child is moved so that its first point sits on
 * its parent, as define_shape() does), the others are laid out as define_shape() lays them
 * out (root along +x from the origin, children at an angle, siblings fanned out), with the
 * single-precision points NEURON stores. Segment i of nseg spans the arc fractions i/nseg …
 * (i+1)/nseg of its section, its ends interpolated linearly by arc length between points,
 * its diameter the mean diameter over that arc (as NEURON computes a segment's diam).
 *
 * A network's cells are placed as NetPyNE places them (CompartCell._setGeometryParams and
 * updateShape, as sim/nl-run-lfp.c does for the LFP): a cell with pt3d moved by its
 * (x, −y, z) (pt3dRelativeToCellLocation and invertedYCoord), a cell without with x and y
 * swapped, z set to the cell's and moved to (x, −y). A cell mixing sections with and without
 * pt3d, which NetPyNE draws pulled apart, keeps NEURON's connected layout moved like its pt3d
 * sections (here unlike NetPyNE and nl-run-lfp.c). GTK-free; a figure or panel draws from
 * here.
 */
#pragma once

#include <glib.h>

#include "nl-network.h"
#include "nl-spec.h"

G_BEGIN_DECLS

typedef struct _NlMorphology NlMorphology;

/* One segment: a truncated cone drawn as a cylinder. */
typedef struct {
  double  start[3];  /* µm, the end nearer arc 0 of its section */
  double  end[3];
  double  diam;      /* µm */
  guint32 sec;       /* index into nl_morphology_get_section_name() */
  guint32 seg;       /* 0 … nseg-1 within its section (x = (seg + 0.5) / nseg) */
  guint32 gid;       /* the cell, G_MAXUINT32 for a cell rule on its own */
} NlMorphSegment;

/* The rule's cell on its own, in NEURON's coordinates after define_shape(). Errors
 * (G_IO_ERROR_INVALID_DATA, the message names the key path): negative or non-numeric L,
 * diam, nseg out of 1…32767, pt3d rows that are not [x, y, z, diam], fewer than 2 points,
 * a parentSec that does not exist, a cycle in topol, geometry given as a string function. */
NlMorphology *nl_morphology_new_for_rule    (NlSpec        *spec,
                                             const char    *rule,
                                             GError       **error);
/* Cells `gids` (NULL: every cell with sections) of a built network, each placed at its
 * position as NetPyNE places it; string-function geometry takes each cell's value.
 * Artificial cells have no segments and are left out. */
NlMorphology *nl_morphology_new_for_network (NlSpec        *spec,
                                             NlNetwork     *net,
                                             const guint   *gids,
                                             guint          n_gids,
                                             GError       **error);
void          nl_morphology_free            (NlMorphology  *m);

guint                 nl_morphology_get_n_segments  (NlMorphology *m);
const NlMorphSegment *nl_morphology_get_segment     (NlMorphology *m,
                                                     guint         index);
/* Section names (the rule's keys, or for a network the union over its rules). */
guint                 nl_morphology_get_n_sections  (NlMorphology *m);
const char           *nl_morphology_get_section_name (NlMorphology *m,
                                                     guint         sec);
/* The 3-D points of section `sec` of a rule's morphology (5 doubles per point: x, y, z,
 * diam, arc — NEURON's x3d, y3d, z3d, diam3d, arc3d); 0 for a network's. */
guint                 nl_morphology_get_points      (NlMorphology *m,
                                                     guint         sec,
                                                     const double **xyzda);

/* The segment of cell `gid` (G_MAXUINT32 for a rule's) containing `loc` (0…1) of section
 * `sec_name`, as NEURON picks it (loc 1 is in the last segment), or -1. */
gint64                nl_morphology_find_segment    (NlMorphology *m,
                                                     guint32       gid,
                                                     const char   *sec_name,
                                                     double        loc);
/* NetCons (cell→cell and stimulus) onto each segment of `m` from the network's connections'
 * sec/loc, into counts[n_segments]. */
void                  nl_morphology_count_synapses  (NlMorphology *m,
                                                     NlNetwork    *net,
                                                     double       *counts);

/* Moves every segment (and point) by (dx, dy, dz) µm. */
void                  nl_morphology_translate       (NlMorphology *m,
                                                     double        dx,
                                                     double        dy,
                                                     double        dz);
/* The box holding every segment end; FALSE when there are none. */
gboolean              nl_morphology_get_bounds      (NlMorphology *m,
                                                     double        min[3],
                                                     double        max[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlMorphology, nl_morphology_free)

G_END_DECLS
