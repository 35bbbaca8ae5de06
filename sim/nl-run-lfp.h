/* nl-run-lfp.h — simConfig.recordLFP in NEURON runs (private to sim/).
 *
 * The steps, in nl-run.c's order: nl_lfp_plan_new() reads the electrodes and which
 * populations and cells to keep apart (saveLFPPops, saveLFPCells); the run folder gets
 * geom_cells.bin (every cell with sections); NEURON's geometry pre-pass (driver.hoc with
 * nl_geom_pass=1) writes geom.bin, which nl_lfp_plan_read_geometry() turns into segments
 * placed as NetPyNE places them for its LFP; nl_lfp_plan_rank_block() gives each rank its
 * transfer matrices (nl-lfp.h does the maths); after the run nl_lfp_plan_read_results() sums
 * the ranks' lfp_<r>.bin into the results. */
#pragma once

#include "nl-build.h"
#include "nl-lfp.h"
#include "nl-results.h"
#include "nl-spec.h"

G_BEGIN_DECLS

typedef struct _NlLfpPlan NlLfpPlan;

/* NULL without an error when the model records no LFP. `cell_parts`: per gid, keep that
 * cell's contribution (NULL: none). */
NlLfpPlan *nl_lfp_plan_new           (NlSpec         *spec,
                                      NlNetwork      *net,
                                      NlLfpMethod     method,
                                      double          sigma,
                                      double          step_ms,
                                      const gboolean *cell_parts,
                                      GError        **error);
void       nl_lfp_plan_free          (NlLfpPlan      *plan);
/* Warnings for the run's meta (populations in saveLFPPops that do not exist). */
GPtrArray *nl_lfp_plan_get_warnings  (NlLfpPlan      *plan);

gboolean   nl_lfp_plan_write_geom_cells (NlLfpPlan   *plan,
                                      const char     *dir,
                                      GError        **error);
gboolean   nl_lfp_plan_read_geometry (NlLfpPlan      *plan,
                                      const char     *dir,
                                      GError        **error);
/* The rank of every gid (n_cells values, copied; nl-placement.h); NULL, the default: gid % ranks.
   Each rank's cells are taken in gid order. */
void       nl_lfp_plan_set_rank_of   (NlLfpPlan      *plan,
                                      const guint    *rank_of);
/* Appends rank `rank`'s lfp block (see netloom.hoc) to `block` (doubles). */
void       nl_lfp_plan_rank_block    (NlLfpPlan      *plan,
                                      guint           rank,
                                      guint           n_ranks,
                                      GArray         *block);
gboolean   nl_lfp_plan_read_results  (NlLfpPlan      *plan,
                                      const char     *dir,
                                      guint           n_ranks,
                                      NlResults      *results,
                                      GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlLfpPlan, nl_lfp_plan_free)

G_END_DECLS
