/* nl-granger.h — Granger causality between two signals, as NetPyNE 1.1.0 computes it
 * (netpyne/support/bsmart.py, after Ding's BSMART; netpyne/analysis/info.py plotGranger).
 *
 * 1. A multichannel autoregressive model of order P is fitted by Morf's lattice algorithm
 *    (Morf et al. 1978, IEEE Trans. Geosci. Electron. GE-16:85; bsmart's `armorf`, one
 *    realisation):  x_t + Σ_{k=1..P} A_k x_{t−k} = e_t,  Σ = cov(e).
 * 2. Geweke's spectral measures (Geweke 1982; Ding, Chen & Bressler 2006) at the integer
 *    frequencies f = 0, 1, …, ⌊fs/2⌋ Hz (bsmart's `pwcausalr` with freq = fs/2), with
 *    H(f) = (I + Σ_k A_k e^{−2πi f k/fs})^{−1} and S(f) = H Σ H* / fs:
 *      x2y(f) = ln( S_yy / (S_yy − |H_yx|² (Σ_xx − Σ_xy²/Σ_yy) / fs) )
 *      y2x(f) = ln( S_xx / (S_xx − |H_xy|² (Σ_yy − Σ_xy²/Σ_xx) / fs) )
 *      inst(f) = ln( (S_xx − …)(S_yy − …) / |det S| )     (the two denominators above)
 *      coherence(f) = |S_xy|² / (S_xx S_yy)
 *    and −ln(1 − coherence) = x2y + y2x + inst at every frequency.
 * 3. Time-domain Granger causality (Geweke 1982): F(x→y) = ln(σ²_y / Σ_yy), σ²_y being the
 *    noise variance of y's own order-P autoregressive model (fitted by the same lattice
 *    algorithm on one channel); F(y→x) likewise.
 *
 * Differences from NetPyNE, on purpose:
 *  - Each signal's mean is removed first by default (bsmart's header asks for it but NetPyNE's
 *    plotGranger does not do it, and for binned spike counts — all positive — that changes
 *    the estimate a lot; NlGrangerOptions.demean = FALSE gives NetPyNE's numbers).
 *  - Where bsmart's Cholesky fails (data linearly dependent, or a channel constant) it prints
 *    a warning and goes on with an identity matrix; NetLoom reports an error.
 *  - The spike helper returns fs = 1000 / bin_ms; NetPyNE truncates it to an integer (same for
 *    bins that divide 1000 ms, such as the default 5 ms).
 */
#pragma once

#include <glib.h>
#include "nl-results.h"

G_BEGIN_DECLS

#define NL_GRANGER_DEFAULT_ORDER  10     /* NetPyNE's plotGranger order */
#define NL_GRANGER_DEFAULT_BIN_MS 5.0    /* NetPyNE's plotGranger binSize */
/* Frequencies 0 … fs/2: an fs giving more than this many is refused. */
#define NL_GRANGER_MAX_FREQS      10000000u
/* An autoregressive fit of more channels than this is refused. */
#define NL_MVAR_MAX_CHANNELS      1024u

/* An autoregressive model of L channels: x_t + Σ_{k=1..order} A_k x_{t−k} = e_t. */
typedef struct {
  guint   n_channels;   /* L */
  guint   order;        /* P */
  double *coef;         /* P × L × L: A_k at coef[(k−1)·L·L + i·L + j] */
  double *noise_cov;    /* L × L: Σ, row-major */
} NlMvar;

typedef struct {
  guint    order;       /* P ≥ 1; NL_GRANGER_DEFAULT_ORDER */
  gboolean demean;      /* remove each channel's mean first; TRUE */
} NlGrangerOptions;

/* Granger causality of one pair of signals, x being the first. */
typedef struct {
  double  fs;           /* Hz */
  guint   order;
  guint   n_freqs;      /* ⌊fs/2⌋ + 1 */
  double *freq;         /* 0, 1, …, ⌊fs/2⌋ Hz */
  double *x2y;          /* spectral Granger causality x → y */
  double *y2x;          /* y → x */
  double *inst;         /* instantaneous causality */
  double *coherence;
  double *pxx, *pyy;    /* power as bsmart's pp: 2·|S(f)|, so per Hz, one-sided */
  double  gc_x2y;       /* time-domain F(x→y); NAN from nl_granger_from_mvar */
  double  gc_y2x;
  double  noise_cov[4]; /* Σ of the bivariate model: xx, xy, yx, yy */
} NlGranger;

void       nl_granger_options_init  (NlGrangerOptions       *opts);

/* Morf's lattice fit of `channels` (n_channels arrays of n_samples values), demeaned first
 * when asked. Errors name what is wrong: G_IO_ERROR_INVALID_ARGUMENT for no channels or more
 * than NL_MVAR_MAX_CHANNELS, order 0, too few samples for the order (n_samples must exceed
 * (L + 1)·order); G_IO_ERROR_INVALID_DATA for a NaN/Inf sample (channel and index), a
 * constant channel, or channels so dependent that the lattice's covariances are not positive
 * definite. Free with nl_mvar_free. */
NlMvar    *nl_mvar_fit              (const double *const    *channels,
                                     guint                   n_channels,
                                     gsize                   n_samples,
                                     guint                   order,
                                     gboolean                demean,
                                     GError                **error);
/* A zeroed model, for one whose coefficients are known. */
NlMvar    *nl_mvar_new              (guint                   n_channels,
                                     guint                   order);
void       nl_mvar_free             (NlMvar                 *m);

/* Granger causality of x → y and y → x (n samples each, sampled at fs Hz); opts NULL means
 * the defaults. Errors as nl_mvar_fit, and for fs not finite and > 0 or giving more than
 * NL_GRANGER_MAX_FREQS frequencies. */
NlGranger *nl_granger_compute       (const double           *x,
                                     const double           *y,
                                     gsize                   n,
                                     double                  fs,
                                     const NlGrangerOptions *opts,
                                     GError                **error);

/* Every pair (i, j), i < j, of n_channels ≥ 2 signals, in bsmart's order (0,1), (0,2), …,
 * (0,L−1), (1,2), …: a GPtrArray of NlGranger (freed with it). Fewer than 2 channels is an
 * error. */
GPtrArray *nl_granger_pairwise      (const double *const    *channels,
                                     guint                   n_channels,
                                     gsize                   n,
                                     double                  fs,
                                     const NlGrangerOptions *opts,
                                     GError                **error);

/* The spectral measures of a given 2-channel model (order and Σ from it; the time-domain
 * values are NAN). Errors: not 2 channels, Σ not positive definite, bad fs. */
NlGranger *nl_granger_from_mvar     (const NlMvar           *model,
                                     double                  fs,
                                     GError                **error);

void       nl_granger_free          (NlGranger              *g);

/* The two signals NetPyNE's plotGranger makes from two groups of spike times (ms): counts
 * per bin of bin_ms over [t_start, t_stop), binned as nl_nte_bin_spikes (np.histogram over
 * np.arange(t_start, t_stop, bin_ms); t_stop = NAN means the latest spike of both), as
 * doubles, sampled at fs = 1000 / bin_ms Hz. *x and *y are g_free'd by the caller. */
gboolean   nl_granger_bin_spikes    (const double           *t1,
                                     gsize                   n1,
                                     const double           *t2,
                                     gsize                   n2,
                                     double                  t_start,
                                     double                  t_stop,
                                     double                  bin_ms,
                                     double                **x,
                                     double                **y,
                                     gsize                  *n,
                                     double                 *fs,
                                     GError                **error);

/* The same from two populations of a results set (spikes of every cell of each; NetPyNE's
 * NetStim inputs recorded in simData['stims'] are not part of NlResults and are left out).
 * t_stop = NAN means NetPyNE's default: the results' duration when known, else the latest
 * spike of the two. An unknown population is an error naming it, with a "did you mean". */
gboolean   nl_granger_bin_pops      (NlResults              *results,
                                     const char             *pop1,
                                     const char             *pop2,
                                     double                  t_start,
                                     double                  t_stop,
                                     double                  bin_ms,
                                     double                **x,
                                     double                **y,
                                     gsize                  *n,
                                     double                 *fs,
                                     GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlMvar, nl_mvar_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlGranger, nl_granger_free)

G_END_DECLS
