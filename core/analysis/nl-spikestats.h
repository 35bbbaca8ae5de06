/* nl-spikestats.h — spike statistics: rates, spike-time histograms, ISI CV, Fano factor,
 * SPIKE-synchrony, and the JSON the CLI's `netloom analyze rates|isicv|sync|fano|spikehist`
 * prints.
 *
 * Definitions follow NetPyNE 1.1.0 (analysis/spikes.py, spikes_legacy.py plotSpikeHist and
 * plotSpikeStats, utils.py) and, for SPIKE-synchrony, Kreuz et al. 2015 as PySpike computes
 * it (the coincidence window of a spike pair is half the smallest of the neighbouring
 * inter-spike intervals of both trains). Times in ms, rates in Hz.
 *
 * Conventions shared by every function:
 * - A time window is [t0, t1): a spike at exactly t1 is outside. (NetPyNE's raster
 *   statistics also count a spike at exactly t1; only such a spike can differ.)
 * - The cells are a set of gids given by the caller; cells without spikes count (a silent
 *   cell lowers a population's rate), spikes of gids outside the set are ignored.
 * - Nothing returns NaN. A value that does not exist for the input (the ISI CV of a cell
 *   with too few spikes, a Fano factor with no spikes) is reported as "undefined": the
 *   function returns FALSE and the JSON has null. Every such case is listed below.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "nl-results.h"

G_BEGIN_DECLS

/* ---- Spike trains of a set of cells in a window --------------------------------------- */

typedef struct {
  guint    n_cells;
  guint32 *gids;      /* the cells, in the order given */
  guint64 *first;     /* n_cells + 1: cell i's spikes are times[first[i] .. first[i+1]) */
  double  *times;     /* sorted within each cell */
  double   t0_ms;
  double   t1_ms;
} NlSpikeTrains;

/* The spikes of `cells` (n_cells gids, each at most once) in [t0_ms, t1_ms), from spikes
 * sorted by time (NlResults' order; unsorted input is accepted too, each train is sorted).
 * Errors (G_IO_ERROR_INVALID_ARGUMENT): a non-finite bound, t1 < t0, a gid listed twice.
 * t1 == t0 is allowed and gives empty trains. */
NlSpikeTrains *nl_spike_trains_new       (const double   *t_ms,
                                          const guint32  *gid,
                                          guint64         n_spikes,
                                          const guint32  *cells,
                                          guint           n_cells,
                                          double          t0_ms,
                                          double          t1_ms,
                                          GError        **error);
void           nl_spike_trains_free      (NlSpikeTrains  *st);
guint64        nl_spike_trains_n_spikes  (const NlSpikeTrains *st);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSpikeTrains, nl_spike_trains_free)

/* ---- Rates ----------------------------------------------------------------------------- */

/* Spikes / cells / window in s (NetPyNE's popRates and popAvgRates). Defined as 0 for no
 * cells or a zero-length window. */
double   nl_spike_rate            (guint64         n_spikes,
                                   guint           n_cells,
                                   double          t0_ms,
                                   double          t1_ms);
/* The population rate of the trains, and each cell's rate into `rates` (n_cells). */
double   nl_spike_trains_rates    (const NlSpikeTrains *st,
                                   double         *rates);

/* ---- Spike-time histogram (NetPyNE's plotSpikeHist) ------------------------------------ */

/* NetPyNE bins with numpy.histogram(spikes, bins=numpy.arange(t0, t1, bin)): the edges
 * are t0 + k·bin for t0 + k·bin < t1, so there is one bin fewer than edges, every bin is
 * [e_k, e_k+1) except the last, which also holds a spike at its upper edge, and spikes
 * after the last edge are not counted (e.g. [0, 2000) with 5 ms bins: 399 bins, the last
 * one [1990, 1995]). Fewer than two edges (a window of at most one bin): 0 bins, a
 * defined empty histogram. Returns the bin count and the n_bins + 1 edges; errors
 * (G_IO_ERROR_INVALID_ARGUMENT) for a bin size that is not finite and positive, or one
 * giving more than NL_SPIKE_HIST_MAX_BINS bins. */
#define NL_SPIKE_HIST_MAX_BINS 100000000u
gboolean nl_spike_hist_edges      (double          t0_ms,
                                   double          t1_ms,
                                   double          bin_ms,
                                   guint          *n_bins,
                                   double        **edges,
                                   GError        **error);
/* Counts of all spikes of `cells` (indices into st, NULL with n = 0: every cell) into
 * `counts` (n_bins, zeroed here). */
void     nl_spike_hist_count      (const NlSpikeTrains *st,
                                   const guint    *cells,
                                   guint           n,
                                   const double   *edges,
                                   guint           n_bins,
                                   double         *counts);
/* Counts → mean rate per cell (Hz): count · 1000 / bin / n_cells; all zero for no cells. */
void     nl_spike_hist_to_rate    (double         *values,
                                   guint           n_bins,
                                   double          bin_ms,
                                   guint           n_cells);
/* NetPyNE's _smooth1d with a Hann window (numpy.hanning) of `window` samples, as
 * plotSpikeHist's `smooth`: the signal reflected by window-1 samples at both ends,
 * convolved with the normalised window, and the samples from int(window/2 - 1) kept (so
 * an odd window lags by half a sample, as NetPyNE's). window < 3: a copy. Error
 * (G_IO_ERROR_INVALID_ARGUMENT) when n < window (NetPyNE raises too). `out` may be `x`. */
gboolean nl_smooth_hann           (const double   *x,
                                   guint           n,
                                   guint           window,
                                   double         *out,
                                   GError        **error);

/* ---- Irregularity ---------------------------------------------------------------------- */

/* ISI CV of one sorted train: population standard deviation (ddof 0) of its inter-spike
 * intervals over their mean, for trains with more than `min_spikes` spikes (NetPyNE's
 * plotSpikeStats: more than 10). FALSE (undefined) for n ≤ min_spikes. A one-spike train
 * (min_spikes 0) gives 0 and so do intervals that are all zero, as NetPyNE's "0 when there
 * are no intervals". */
gboolean nl_spike_isicv           (const double   *t,
                                   guint64         n,
                                   guint           min_spikes,
                                   double         *cv);

/* Fano factor: variance (ddof 0) over mean of the spike counts in consecutive windows
 * [t0 + kW, t0 + (k+1)W), k < floor((t1 - t0)/W) (a shorter tail is left out; the
 * division is rounded up when within 1e-9 of the next integer). `t` (sorted or not) may be
 * one train or the pooled spikes of a population; only windows with spikes are visited, so
 * tiny windows cost no memory. FALSE (undefined) when there is no whole window or no
 * spike in them. `n_windows` (may be NULL) gets the number of windows. */
gboolean nl_spike_fano            (const double   *t,
                                   guint64         n,
                                   double          t0_ms,
                                   double          t1_ms,
                                   double          window_ms,
                                   double         *fano,
                                   guint          *n_windows);

/* ---- Synchrony ------------------------------------------------------------------------- */

/* SPIKE-synchronization of two sorted trains on [t0, t1] (Kreuz et al. 2015, PySpike's
 * coincidence_value): `coinc` gets the number of coincident spikes of both trains, `mp`
 * their number of spikes (equal spike times count as one coincident pair). A spike is
 * coincident when the nearest spike of the other train is closer than τ = half the
 * smallest of the intervals around both spikes (intervals to the window's edges are not
 * used; a missing neighbour counts as t1 - t0); max_tau > 0 caps τ. The pair's value is
 * coinc / mp, and 1 when mp is 0 (two empty trains), as PySpike. */
void     nl_spike_sync_pair       (const double   *a,
                                   guint64         na,
                                   const double   *b,
                                   guint64         nb,
                                   double          t0_ms,
                                   double          t1_ms,
                                   double          max_tau,
                                   double         *coinc,
                                   double         *mp);
/* Over the trains `cells` (indices into st, NULL: all): the multivariate SPIKE-sync
 * (Σ coinc / Σ mp over all pairs, PySpike's spike_sync_multi) into `multi`, and when
 * `matrix` is not NULL the pairwise values (n × n, row-major, diagonal 1). FALSE with
 * `multi` untouched (undefined) for fewer than two trains; 1 when no pair has a spike. */
gboolean nl_spike_sync            (const NlSpikeTrains *st,
                                   const guint    *cells,
                                   guint           n,
                                   double          max_tau,
                                   double         *multi,
                                   double         *matrix);
/* NetPyNE's raster "sync" (utils.syncMeasure): 1 - (spikes at least `width` ms after the
 * previous counted one, starting from t0 - width) / ((t1 - t0)/width), over sorted `t`.
 * Defined as 0 for a zero-length window. */
double   nl_spike_raster_sync     (const double   *t,
                                   guint64         n,
                                   double          t0_ms,
                                   double          t1_ms,
                                   double          width_ms);

/* ---- The CLI's JSON -------------------------------------------------------------------- */

typedef struct {
  gboolean            has_time_range;  /* FALSE: [0, duration), or [0, floor(last spike) + 1)
                                          when the duration is unknown, [0, 0) without spikes */
  double              t0_ms, t1_ms;
  const char *const  *pops;            /* NULL-terminated population names; NULL and no gids:
                                          every population */
  const guint32      *gids;            /* cells selected besides `pops` */
  guint               n_gids;
  double              bin_ms;          /* spikehist: 5 */
  gboolean            counts;          /* spikehist: spike counts instead of rates (Hz) */
  guint               smooth;          /* spikehist: Hann window in bins, < 3 none: 0 */
  guint               isicv_min_spikes;/* isicv: cells with more spikes than this: 10 */
  double              fano_window_ms;  /* fano: 50 */
  gboolean            sync_include_silent; /* sync: FALSE, as NetPyNE: only cells that fired */
  gboolean            sync_matrix;     /* sync: the pairwise matrix: TRUE */
  double              sync_max_tau;    /* sync: PySpike's max_tau, 0 none */
} NlSpikeAnalysisOptions;

/* The largest pairwise matrix `sync` prints. (`sync` compares every pair of trains: its time
 * grows with cells² × spikes per cell, as PySpike's.) */
#define NL_SPIKE_SYNC_MATRIX_MAX_CELLS 2000u
/* Results without populations whose declared cell count is larger are refused
 * (G_IO_ERROR_INVALID_DATA) rather than listed cell by cell. */
#define NL_SPIKE_MAX_CELLS (1u << 26)

/* Fills `opt` with the defaults above. */
void      nl_spike_analysis_options_init (NlSpikeAnalysisOptions *opt);

/* `kind` is "rates", "isicv", "fano", "sync" or "spikehist"; `opt` NULL: defaults.
 *
 * The cells: those of the populations named in opt->pops plus opt->gids, or every
 * population's cells when both are empty. Results without populations have one, "all":
 * gids 0 … n_cells-1 when the number of cells is known and every spiking gid is below it,
 * else the gids that spiked. A gid in several populations belongs to the first.
 *
 * Every output has "kind", "t0_ms", "t1_ms"; then "total" (the selection as a whole),
 * "pops" (one member per population with selected cells, in the results' order, counting
 * only its selected cells) and "cells" (one member per selected gid, ascending, keyed by the
 * gid as a string, with its "pop" and "spikes" in the window). Undefined values are null.
 *
 *   rates:     total/pops {"cells", "spikes", "rate_hz"}; cells {"pop", "spikes", "rate_hz"}
 *   isicv:     "min_spikes"; total/pops {"cells", "cells_used", "mean", "median", "sd"}
 *              (over the cells with more than min_spikes spikes; sd ddof 0; null when none);
 *              cells {…, "isicv"}
 *   fano:      "window_ms", "windows"; total/pops {"cells", "spikes", "fano"} (the pooled
 *              spikes' counts), total also "mean_cell_fano" (over cells with a defined
 *              value); cells {…, "fano"}
 *   sync:      "include_silent"; total/pops {"cells", "trains", "spike_sync"} (trains: the
 *              cells used, by default those with a spike), total also "raster_sync"
 *              (NetPyNE's 1 ms raster measure over the selection's spikes); cells {…,
 *              "pairsync"} (mean of the cell's row of the pairwise matrix, diagonal
 *              included, as plotSpikeStats' pairsync; null for an unused cell); "matrix":
 *              {"gids": [...], "values": [[...], ...]} (the used cells) unless
 *              opt->sync_matrix is FALSE
 *   spikehist: "bin_ms", "measure" ("rate" | "count"), "smooth", "bin_start_ms" [...],
 *              total/pops: arrays of n_bins values (rate: per cell of that group); no
 *              "cells" member
 *
 * Errors (G_IO_ERROR_INVALID_ARGUMENT): an unknown kind or population (with a suggestion),
 * a gid that is not a cell of the results, a bad time range, bin or window, too many cells
 * for the matrix, a histogram too short for the smoothing window. */
JsonNode *nl_spike_analysis_json  (NlResults                    *r,
                                   const char                   *kind,
                                   const NlSpikeAnalysisOptions *opt,
                                   GError                      **error);

/* A spikehist result as CSV: header `bin_start_ms,<pop1>,<pop2>…`, one row per bin,
 * shortest round-trip numbers. */
gboolean  nl_spike_hist_write_csv (JsonNode                     *hist,
                                   GOutputStream                *out,
                                   GCancellable                 *cancellable,
                                   GError                      **error);

G_END_DECLS
