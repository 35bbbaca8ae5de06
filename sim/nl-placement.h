/* nl-placement.h — which MPI rank simulates which cell.
 *
 * Round-robin (gid g on rank g % ranks) is the default. Cost-balanced placement estimates each
 * cell's share of the work per time step and assigns the cells, largest first, to the rank with
 * the least total so far (LPT: the most loaded rank exceeds the mean by at most one cell's cost);
 * equal costs and equal loads are broken by the lower gid and rank, so the placement depends only
 * on the network and the rank count. Spikes do not depend on the placement: every random stream
 * and every NetCon is keyed by gid, not by rank. */
#pragma once

#include <glib.h>

#include "nl-network.h"
#include "nl-spec.h"

G_BEGIN_DECLS

typedef enum {
  NL_PLACEMENT_ROUND_ROBIN = 0,
  NL_PLACEMENT_COST,
} NlPlacement;

/* "roundRobin" / "cost" (simConfig.netloomPlacement's values). */
const char *nl_placement_name      (NlPlacement  placement);
/* Accepts "roundRobin", "round-robin" and "cost"; FALSE for anything else. */
gboolean    nl_placement_from_name (const char  *name,
                                    NlPlacement *placement);

/* Estimated cost of every cell per time step (n_cells values, by gid): an artificial cell 1;
 * a cell with sections Σ over its sections of nseg × (1 + mechanisms inserted), plus its point
 * processes: the cell rule's pointps, its stimuli other than NetStim/VecStim, and the synapses
 * the connections and stimulus connections onto it make (one per connection with one_syn, else
 * one per distinct section, location and synMech, as NetLoom shares linear synapses). NetCon
 * events cost nothing per step and are not counted. nseg given as a string function counts
 * with the cell's value. */
double     *nl_placement_cell_costs (NlSpec     *spec,
                                     NlNetwork  *net,
                                     gboolean    one_syn);

/* The rank of every gid (n_cells values). rank_costs (n_ranks values, may be NULL) receives
 * the summed cost of each rank's cells; costs may be NULL for round-robin. */
guint      *nl_placement_assign     (NlPlacement   placement,
                                     const double *costs,
                                     guint         n_cells,
                                     guint         n_ranks,
                                     double       *rank_costs);

G_END_DECLS
