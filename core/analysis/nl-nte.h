/* nl-nte.h — normalised transfer entropy between two binned spike trains, as NetPyNE 1.1.0
 * defines it (netpyne/analysis/info.py nTE, netpyne/support/nte.mod tentropspks/normte and
 * nte.hoc normte; Kale et al. 2018, EMBC, doi:10.1109/embc.2018.8512532).
 *
 * X1 and X2 are spike counts per bin. With one bin of history (F = next bin, P = this bin):
 *
 *   H        = H(X2F | X2P)                       = −Σ p(f,p) log2 p(f,p)/p(p)
 *   TE(X1→X2) = H − H(X2F | X2P, X1P)             (bits; H(·|·,·) = −Σ p(f,p,q) log2 p(f,p,q)/p(p,q))
 *   nTE      = (TE − mean of TE over shuffles of X1) / H
 *
 * probabilities being counts over the n − 1 (future, past) pairs. The shuffles are cumulative:
 * shuffle k permutes the X1 that shuffle k − 1 left, X2 is never shuffled, and H is the
 * unshuffled one. Logarithms are exact (log2), where NEURON's mod file by default reads
 * log2 from a 50,000-point interpolation table on [0.001, 32]; NetLoom's values are those of
 * the "exact log2" variant (differences are ~1e-5 bits).
 *
 * As the reference: when X1 or X2 never varies, everything (TE, H, nTE, every shuffled TE)
 * is 0. Beyond the reference: when X2 varies but its future is fully determined by its past
 * (H = 0, so TE = 0 too), nTE is 0 rather than 0/0; the shuffles are not capped at 200; and
 * values are any 32-bit counts (the joint distributions are counted by sorting, not in dense
 * (max+1)^3 tables). The reference's probability threshold (> 1e-9) is irrelevant below 10^9
 * bins and is not applied.
 *
 * Shuffles come either from given permutations (x ← x[perm], perm[i] being the index of the
 * old value that lands at i — numpy's x = x[perm]) or from a seeded Philox stream
 * (core/expr/nl-rng.h: seed, purpose NL_RNG_SHUFFLE, id0 = id1 = 0) driving a Fisher–Yates
 * shuffle of the whole train (i = n−1 … 1: swap i with an unbiased draw in [0, i]); the same
 * seed gives the same shuffles on every machine, but not NEURON's mcell_ran4 numbers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NL_NTE_DEFAULT_BIN_MS   20.0   /* NetPyNE's nTE binSize */
#define NL_NTE_DEFAULT_SHUFFLES 30     /* NetPyNE's numShuffle */
#define NL_NTE_MAX_SHUFFLES     100000u
/* A binning producing more bins than this is refused (ask for a larger bin). */
#define NL_NTE_MAX_BINS         ((gsize) 1 << 28)

typedef struct {
  double  te;                /* TE(X1→X2), bits */
  double  h;                 /* H(X2F | X2P), bits */
  double  nte;               /* (te − te_shuffled_mean) / h */
  double  te_shuffled_mean;
  double  te_shuffled_sd;    /* population SD (ddof 0); NEURON's normte reports ddof 1 */
  guint   n_shuffles;
  double *te_shuffled;       /* n_shuffles values, in shuffle order */
} NlNte;

/* Spike counts per bin, as NetPyNE bins with np.histogram(spikes, np.arange(t_start, t_stop,
 * bin_ms)): edges t_start + i·bin_ms below t_stop, one bin fewer than edges, each bin
 * [e_i, e_i+1) except the last, which includes its right edge; spikes outside are ignored
 * (so a partial bin at the end is dropped). NetPyNE's range is [0, simConfig.duration], or
 * [0, latest spike] when there is no simConfig: pass t_stop = NAN for the latter (the latest
 * of the n times). Errors (G_IO_ERROR_INVALID_ARGUMENT): bin_ms not finite and > 0, a range
 * shorter than two edges, more than NL_NTE_MAX_BINS bins, a NaN/Inf spike time. */
guint32 *nl_nte_bin_spikes         (const double   *t_ms,
                                    gsize           n,
                                    double          t_start,
                                    double          t_stop,
                                    double          bin_ms,
                                    gsize          *n_bins,
                                    GError        **error);

/* nTE of X1 → X2 (n bins each), shuffling with the seeded stream. Errors
 * (G_IO_ERROR_INVALID_ARGUMENT): fewer than 2 bins, NULL data, more than NL_NTE_MAX_SHUFFLES
 * shuffles. */
NlNte   *nl_nte_compute            (const guint32  *x1,
                                    const guint32  *x2,
                                    gsize           n,
                                    guint           n_shuffles,
                                    guint32         seed,
                                    GError        **error);

/* The same with the given permutations of 0 … n−1 (n_perms of them, each n indices),
 * applied cumulatively. A permutation with an index ≥ n or a repeated index is an error
 * naming it. */
NlNte   *nl_nte_compute_with_perms (const guint32  *x1,
                                    const guint32  *x2,
                                    gsize           n,
                                    const guint32 *const *perms,
                                    guint           n_perms,
                                    GError        **error);

/* Bins two spike trains (times in ms) as nl_nte_bin_spikes and returns nTE of train 1 →
 * train 2 with the seeded stream; t_stop = NAN means the latest spike of both trains. */
NlNte   *nl_nte_from_spikes        (const double   *t1,
                                    gsize           n1,
                                    const double   *t2,
                                    gsize           n2,
                                    double          t_start,
                                    double          t_stop,
                                    double          bin_ms,
                                    guint           n_shuffles,
                                    guint32         seed,
                                    GError        **error);

void     nl_nte_free               (NlNte          *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlNte, nl_nte_free)

G_END_DECLS
