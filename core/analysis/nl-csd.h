/* nl-csd.h — current source density from a laminar LFP, as NetPyNE 1.1.0's prepareCSD
 * computes it (netpyne/analysis/csd.py with the band-pass of netpyne/analysis/filter.py):
 *
 *   1. each channel band-passed 0.05–300 Hz: a Butterworth filter of 4 "corners" designed as
 *      scipy.signal.iirfilter(4, [lo, hi], btype='band', output='zpk') does (analog prototype,
 *      low-pass → band-pass transform, bilinear transform with pre-warping), split into
 *      second-order sections as scipy's zpk2sos pairs them, run forward and then backward
 *      (sosfilt twice, zero initial state, no padding — not scipy's filtfilt). When the upper
 *      corner is at or above Nyquist (within 1e-6), NetPyNE warns and high-passes at the lower
 *      corner instead; so do we (is_highpass tells);
 *   2. Vaknin's correction: the first and last channels duplicated at the edges, so there are
 *      as many CSD channels as electrodes (without it, two fewer);
 *   3. `norm`: the mean over channels subtracted at each time sample (NetPyNE's removeMean on
 *      axis 0). A constant across channels has no second difference, so this changes nothing
 *      but rounding; it is there to match NetPyNE's option;
 *   4. CSD = −(second difference across channels) / spacing², spacing in mm: mV/mm², no
 *      conductivity factor.
 *
 * Layouts: the LFP is row-major n_times × n_channels (one row per time sample, channels in
 * electrode order from the first electrode, as NetPyNE's sim.allSimData['LFP']); the CSD is
 * row-major n_times × n_out, the CSV layout of CONTRACTS.md.
 *
 * Errors (G_IO_ERROR_INVALID_ARGUMENT / G_IO_ERROR_INVALID_DATA, naming the value): no samples,
 * too few channels (3 without Vaknin's correction, 1 with), NaN or infinite samples, a
 * sampling rate or spacing not finite and > 0, corners outside 0 < lo < hi and lo < Nyquist.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NL_CSD_MAX_ORDER 12

typedef struct {
  gboolean filter;      /* band-pass first; NetPyNE always does */
  double   min_freq;    /* Hz; NetPyNE's minf 0.05 */
  double   max_freq;    /* Hz; NetPyNE's maxf 300 */
  guint    order;       /* Butterworth corners; NetPyNE 4 (8 poles for a band-pass) */
  gboolean vaknin;      /* NetPyNE's default TRUE */
  gboolean norm;        /* NetPyNE's default FALSE */
  double   spacing_um;  /* electrode spacing, µm; NetPyNE: from the electrodes, or 100 */
} NlCsdOptions;

/* NetPyNE's defaults: filter 0.05–300 Hz order 4, Vaknin on, norm off, spacing 100 µm. */
void    nl_csd_options_init  (NlCsdOptions       *opts);

/* The CSD of `lfp` (n_times × n_channels, row-major) sampled at fs Hz. Returns n_times × n_out
 * values (g_free), n_out = n_channels with Vaknin's correction, n_channels − 2 without. */
double *nl_csd               (const double       *lfp,
                              gsize               n_times,
                              guint               n_channels,
                              double              fs,
                              const NlCsdOptions *opts,
                              guint              *n_out,
                              GError            **error);

/* NetPyNE's spacing when none is given: (max y − min y) / (n − 1) over the electrodes' y
 * coordinates (µm); `xyz` holds n (x, y, z) triples, as nl_results_get_lfp_electrodes gives.
 * Needs n >= 2 and distinct y. */
double  nl_csd_spacing_um    (const double       *xyz,
                              guint               n,
                              GError            **error);

/* The filter's second-order sections, 6 values each (b0 b1 b2 a0 a1 a2, a0 = 1), in the order
 * scipy's zpk2sos gives them (the overall gain in the first). n_sections is order (band-pass)
 * or (order + 1) / 2 (the high-pass fallback). g_free the result. */
double *nl_csd_filter_sos    (double              min_freq,
                              double              max_freq,
                              double              fs,
                              guint               order,
                              guint              *n_sections,
                              gboolean           *is_highpass,
                              GError            **error);

/* scipy.signal.sosfilt with zero initial state, in place (direct form II transposed). */
void    nl_csd_sosfilt       (const double       *sos,
                              guint               n_sections,
                              double             *x,
                              gsize               n);

/* NetPyNE's zero-phase filtering: sosfilt forward, then sosfilt over the reversed result. */
void    nl_csd_filtfilt      (const double       *sos,
                              guint               n_sections,
                              double             *x,
                              gsize               n);

G_END_DECLS
