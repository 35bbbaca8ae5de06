/* nl-lfp.h — extracellular potentials of transmembrane currents: transfer resistances from
 * neurite segments to electrode sites in an infinite homogeneous medium.
 *
 * The one implementation of this maths in NetLoom: NEURON runs (simConfig.recordLFP), the
 * LFP analyses and the workbench all call it. Units: positions and diameters in µm, σ in
 * S/m, transfer resistances in MΩ, so that transfer (MΩ) × current (nA) = potential (mV),
 * as NetPyNE (RecXElectrode) counts them.
 *
 * A segment runs from p0 to p1 with diameter d; its current leaves evenly along its axis
 * (line source) or from its middle (point source). With L = |p1 − p0|, h the distance of
 * the electrode from the segment's middle along the axis and r its distance from the axis,
 * the line source is (asinh((|h| + L/2)/r) − asinh((|h| − L/2)/r)) / (4πσL).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* The exact line source with r at least d/2, as LFPykit (LineSourcePotential, r_limit =
     d/2) keeps an electrode inside a neurite from seeing an infinite potential. NetLoom's
     default. */
  NL_LFP_LINE_LFPYKIT = 0,
  /* The exact line source, evaluated stably; infinite for an electrode on the segment. */
  NL_LFP_LINE_EXACT,
  /* NetPyNE 1.1's RecXElectrode.calcTransferResistance formula, operation by operation (its
     rounding loses digits for an electrode very near the axis, and gives NaN for L = 0). */
  NL_LFP_LINE_NETPYNE,
  /* A point source at the middle of the segment: 1/(4πσ|e − m|). */
  NL_LFP_POINT,
  /* The point source with the distance at least d/2. */
  NL_LFP_POINT_RLIMIT,
  NL_LFP_N_METHODS
} NlLfpMethod;

/* The extracellular conductivity NetPyNE and LFPykit assume (S/m). */
#define NL_LFP_SIGMA_DEFAULT 0.3

/* "lfpykit", "exact", "netpyne", "point", "point_rlimit". */
const char *nl_lfp_method_name      (NlLfpMethod    method);
/* The method of `name`, or -1. */
int         nl_lfp_method_from_name (const char    *name);

/* The transfer resistance (MΩ) from a segment (p0, p1, diameter d, µm) to electrode e (µm). A
 * segment of length 0 is taken as a point source (with r at least d/2 for the LFPykit method). */
double      nl_lfp_transfer         (NlLfpMethod    method,
                                     double         sigma,
                                     const double   p0[3],
                                     const double   p1[3],
                                     double         d,
                                     const double   e[3]);

/* The transfer matrix of n_seg segments to n_elec electrodes: out[i * n_seg + j] is the
 * resistance from segment j to electrode i (row-major, n_elec × n_seg). `segs` holds 7
 * doubles per segment: x0 y0 z0 x1 y1 z1 d; `elecs` 3 per electrode. */
void        nl_lfp_transfer_matrix  (NlLfpMethod    method,
                                     double         sigma,
                                     const double  *segs,
                                     gsize          n_seg,
                                     const double  *elecs,
                                     gsize          n_elec,
                                     double        *out);

G_END_DECLS
