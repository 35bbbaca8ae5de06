/* nl-results.h — what a simulation produced: spikes, traces, LFP and how the run went.
 *
 * The one in-memory model every producer fills (a NEURON run, a NetPyNE or NetLoom results
 * file, SONATA spikes, a CSV) and every consumer reads (analyses, figures, the workbench,
 * the writers). Spikes are kept sorted by (time, gid). Arrays handed to the setters are
 * taken over (g_free'd with the results).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _NlResults NlResults;

NlResults      *nl_results_new              (void);
NlResults      *nl_results_ref              (NlResults     *r);
void            nl_results_unref            (NlResults     *r);

/* Cells: their number (0 when unknown) and populations (name and the gids in it). */
void            nl_results_set_n_cells      (NlResults     *r,
                                             guint          n_cells);
guint           nl_results_get_n_cells      (NlResults     *r);
void            nl_results_add_pop          (NlResults     *r,
                                             const char    *name,
                                             const guint32 *gids,
                                             guint          n);
guint           nl_results_get_n_pops       (NlResults     *r);
const char     *nl_results_get_pop_name     (NlResults     *r,
                                             guint          index);
const guint32  *nl_results_get_pop_gids     (NlResults     *r,
                                             guint          index,
                                             guint         *n);
/* The population of a gid, or -1. */
int             nl_results_find_pop_of_gid  (NlResults     *r,
                                             guint32        gid);

/* Simulated time (ms), NAN when unknown. */
void            nl_results_set_duration     (NlResults     *r,
                                             double         duration_ms);
double          nl_results_get_duration     (NlResults     *r);

/* Spikes. set_spikes takes the arrays and sorts them by (time, gid) when they are not. */
void            nl_results_set_spikes       (NlResults     *r,
                                             double        *t_ms,
                                             guint32       *gids,
                                             guint64        n);
guint64         nl_results_get_n_spikes     (NlResults     *r);
const double   *nl_results_get_spike_times  (NlResults     *r);
const guint32  *nl_results_get_spike_gids   (NlResults     *r);

/* Traces: named recordings ("V_soma") of some cells on one time base. `t` is shared by all
 * traces (set it once; n_samples values each). */
void            nl_results_set_trace_time   (NlResults     *r,
                                             double        *t_ms,
                                             guint64        n_samples);
const double   *nl_results_get_trace_time   (NlResults     *r,
                                             guint64       *n_samples);
void            nl_results_add_trace        (NlResults     *r,
                                             const char    *name,
                                             guint32        gid,
                                             double        *values,
                                             guint64        n_samples);
guint           nl_results_get_n_traces     (NlResults     *r);
const char     *nl_results_get_trace_name   (NlResults     *r,
                                             guint          trace);
guint           nl_results_get_trace_n_cells (NlResults    *r,
                                             guint          trace);
const double   *nl_results_get_trace_values (NlResults     *r,
                                             guint          trace,
                                             guint          cell,
                                             guint32       *gid,
                                             guint64       *n_samples);

/* LFP: samples × electrodes, row-major (sample-major), with its time step. */
void            nl_results_set_lfp          (NlResults     *r,
                                             double        *data,
                                             guint64        n_samples,
                                             guint          n_electrodes,
                                             double         dt_ms);
const double   *nl_results_get_lfp          (NlResults     *r,
                                             guint64       *n_samples,
                                             guint         *n_electrodes,
                                             double        *dt_ms);

/* Electrode positions (µm, x y z per electrode, n_electrodes × 3), taken over. */
void            nl_results_set_lfp_electrodes (NlResults   *r,
                                             double        *xyz,
                                             guint          n_electrodes);
const double   *nl_results_get_lfp_electrodes (NlResults   *r,
                                             guint         *n_electrodes);

/* The LFP's contributions (saveLFPPops, saveLFPCells): `kind` is NL_LFP_PART_POP with a
 * population name or NL_LFP_PART_CELL with a gid; `data` has the total's shape (samples ×
 * electrodes) and is taken over. */
typedef enum {
  NL_LFP_PART_POP,
  NL_LFP_PART_CELL,
} NlLfpPartKind;

void            nl_results_add_lfp_part     (NlResults     *r,
                                             NlLfpPartKind  kind,
                                             const char    *pop,
                                             guint32        gid,
                                             double        *data);
guint           nl_results_get_n_lfp_parts  (NlResults     *r);
/* `pop` is NULL for a cell, `gid` G_MAXUINT32 for a population. */
const double   *nl_results_get_lfp_part     (NlResults     *r,
                                             guint          index,
                                             NlLfpPartKind *kind,
                                             const char   **pop,
                                             guint32       *gid);

/* Free-form facts about the run (netloom/NEURON versions, ranks, seeds, wall times, host,
 * the format a file came in): an object owned by the results. */
JsonObject     *nl_results_get_meta         (NlResults     *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlResults, nl_results_unref)

G_END_DECLS
