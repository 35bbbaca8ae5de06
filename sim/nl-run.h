/* nl-run.h — simulating a built network in NEURON (serial or MPI).
 *
 * The run directory holds everything needed to repeat the run by hand: netloom.hoc (the
 * fixed library), driver.hoc (generated: one template per cell rule, one function per
 * synMech/stimulus rule/artificial population, never one statement per cell or NetCon) and
 * rank_<r>.bin (the cells, synapses, stimuli and NetCons of rank r as little-endian doubles).
 * Rank r owns the gids g with g % ranks == r (round-robin, the default), or those that
 * nl-placement.h's cost-balanced placement gives it (options->placement, or
 * simConfig.netloomPlacement "cost"); each rank takes its cells in gid order. Each rank writes spikes_<r>.bin; they are
 * merged here and sorted by (time, gid). Traces (simConfig.recordTraces, for the cells of
 * recordCells and analysis.plotTraces.include, as NetPyNE chooses them) are recorded every
 * recordStep ms by the rank owning the cell into traces_<r>.bin and read back here.
 * Gap junctions (connParams whose synMech has pointerParams, or gapJunction) follow NetPyNE's
 * CompartCell: entry k of such a rule is a point process of the synMech on the post cell at
 * (sec, loc), its `weight` set to the entry's weight when the mechanism has one, fed by
 * pc.target_var(pp, &pp.<target_var>, 2k) from pc.source_var(&<source_var>(preLoc), 2k) in
 * the pre cell's preSec (default soma 0.5) on whichever rank owns it; bidirectional (the
 * default) adds the mirror image with id 2k+1 (a point process on the pre cell at preSec(preLoc)
 * fed by the post cell at (sec, loc)). No NetCon; pc.setup_transfer() before finitialize;
 * fixed step.
 * LFP (simConfig.recordLFP: electrodes [x, y, z] µm; saveLFPPops, saveLFPCells): a geometry
 * pre-pass (nrniv on driver.hoc with nl_geom_pass=1, one process, cells only) writes each
 * segment's 3D points (geom.bin); NetLoom places the segments as NetPyNE does for its LFP (cell
 * at (x, −y, z), electrodes' y negated, see nl-run-lfp.c), computes the transfer resistances
 * with nl-lfp.h (options->lfp_method, σ options->lfp_sigma) and gives each rank its matrices in
 * rank_<r>.bin; every recordStep the rank multiplies i_membrane_ (nA, cvode.use_fast_imem) of its
 * segments by them and writes lfp_<r>.bin; the ranks' sums are the LFP in mV (MΩ × nA). Sample k
 * (0, 1, …) is the potential at t = (k + 1) · recordStep, NetPyNE's row k; the last is missing
 * when NEURON stops short of duration. */
#pragma once

#include <gio/gio.h>

#include "nl-build.h"
#include "nl-lfp.h"
#include "nl-placement.h"
#include "nl-results.h"
#include "nl-spec.h"

G_BEGIN_DECLS

#define NL_RUN_ERROR (nl_run_error_quark ())
GQuark nl_run_error_quark (void);

typedef enum {
  NL_RUN_ERROR_UNSUPPORTED, /* a model feature this version cannot simulate yet */
  NL_RUN_ERROR_INVALID,     /* a name that is not an identifier, a bad value */
  NL_RUN_ERROR_NEURON,      /* NEURON (or mpiexec) failed: the message quotes its output */
  NL_RUN_ERROR_NOT_FOUND,   /* nrniv, mpiexec or NetLoom's HOC library not found */
  NL_RUN_ERROR_CANCELLED,
} NlRunError;

/* Simulated time reached (ms) of duration (ms); called in the thread running nl_run(). */
typedef void (*NlRunProgress) (double t_ms, double duration_ms, gpointer user_data);
/* Spikes as NEURON produces them (each block one rank's, in its time order), during the run,
 * in the thread running nl_run(); the results still hold every spike, sorted. */
typedef void (*NlRunSpikes)   (const double *t_ms, const guint32 *gids, guint64 n, gpointer user_data);

typedef struct {
  guint              n_ranks;      /* 0 or 1: one nrniv; more: mpiexec -n N nrniv -mpi */
  const char        *run_dir;      /* NULL: a fresh temporary folder, removed afterwards */
  const char *const *mod_dirs;     /* NULL-terminated user .mod folders, or NULL */
  NlRunProgress      progress;
  gpointer           progress_data;
  GCancellable      *cancellable;
  gboolean           one_syn_per_netcon; /* NetPyNE's one point process per NetCon; by default
                                            NetCons onto the same linear synapse (ExpSyn, Exp2Syn:
                                            cell, section, location, synMech) share it. The
                                            model's simConfig.netloomOneSynPerConn asks the same */
  NlLfpMethod        lfp_method;   /* simConfig.recordLFP's transfer: 0 = NL_LFP_LINE_LFPYKIT */
  double             lfp_sigma;    /* extracellular conductivity (S/m); 0: 0.3 */
  NlRunSpikes        spikes;       /* live spikes (a raster that fills while NEURON runs) */
  gpointer           spikes_data;
  NlPlacement        placement;    /* which rank simulates which cell; the model's
                                      simConfig.netloomPlacement "cost" asks for cost too */
} NlRunOptions;

typedef struct {
  guint64  n_spikes;
  double  *spike_t;     /* ms, sorted by (t, gid) */
  guint32 *spike_gid;
  double   duration_ms;
  guint    n_ranks;
  double   wall_s;      /* NEURON's run time, wall clock */
} NlRunResult;

/* Runs `net` (built from `spec`). Blocking: call it from a worker thread in a GUI. */
NlRunResult *nl_run        (NlSpec             *spec,
                            NlNetwork          *net,
                            const NlRunOptions *options,
                            GError            **error);
void         nl_run_result_free (NlRunResult   *result);

/* Runs `net` as nl_run() does and returns everything recorded: spikes, the traces of
 * simConfig.recordTraces (one per label, a series per recorded cell in gid order; the time
 * base is NEURON's t recorded alongside: 0, recordStep, … up to duration, the last sample
 * missing when NEURON's accumulated t overshoots duration, as in NetPyNE), the duration, the populations of `net` and meta: netloom_version,
 * neuron_version, ranks, seeds (simConfig.seeds), wall_s (NEURON's run, wall clock),
 * record_step_ms, and warnings (an array of strings: cells whose trace could not be recorded,
 * unknown populations in recordCells — NetPyNE skips them silently); with recordLFP the LFP
 * (samples × electrodes, mV, dt recordStep), the electrodes as simConfig gives them, and the
 * parts of saveLFPPops (in the list's order, or the network's for true; zeros for artificial
 * populations) and saveLFPCells (in gid order), meta lfp_method and lfp_sigma; meta placement
 * ("roundRobin" or "cost") and rank_costs (each rank's summed nl_placement_cell_costs()). */
NlResults   *nl_run_full    (NlSpec             *spec,
                             NlNetwork          *net,
                             const NlRunOptions *options,
                             GError            **error);

/* Spikes handed over in order: returns FALSE with `error` set to stop. */
typedef gboolean (*NlRunSpikeSink) (const double  *t_ms,
                                    const guint32 *gids,
                                    guint64        n,
                                    gpointer       user_data,
                                    GError       **error);

/* Runs `net` as nl_run_full() does, but the spikes are not gathered: the ranks' spike files
 * are merged by (time, gid), reading each in blocks, and handed to `sink` in order, in blocks
 * of up to 65,536 (memory bounded by the number of ranks, not of spikes). Returns the results
 * without spikes (populations, duration, traces, LFP, meta as nl_run_full's), after the last
 * spike went to `sink`. netloom run -o FILE.h5 uses it with nl_h5_writer_add_spikes. */
NlResults   *nl_run_streamed (NlSpec             *spec,
                              NlNetwork          *net,
                              const NlRunOptions *options,
                              NlRunSpikeSink      sink,
                              gpointer            sink_data,
                              GError            **error);

/* The merge nl_run_streamed does, of the spikes_<r>.bin (r < n_ranks) a run left in `dir`
 * (kept with options->run_dir). A rank file not in (time, gid) order is sorted in blocks of
 * 2^20 spikes through a temporary file in `dir`. */
gboolean     nl_run_merge_spikes (const char     *dir,
                                  guint           n_ranks,
                                  NlRunSpikeSink  sink,
                                  gpointer        sink_data,
                                  GError        **error);

/* Writes the run directory only (driver.hoc, netloom.hoc, rank_*.bin); the command line
   to run it is stored in *argv (NULL-terminated, free with g_strfreev). With recordLFP this
   runs NEURON's geometry pre-pass (geom_cells.bin → geom.bin) to fill the rank files. */
gboolean     nl_run_prepare (NlSpec             *spec,
                             NlNetwork          *net,
                             const NlRunOptions *options,
                             const char         *dir,
                             char             ***argv,
                             GError            **error);

/* TRUE when `name` matches [A-Za-z_][A-Za-z0-9_]*. */
gboolean     nl_run_is_identifier (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlRunResult, nl_run_result_free)

G_END_DECLS
