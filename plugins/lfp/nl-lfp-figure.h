/* nl-lfp-figure.h — the local field potential as NetPyNE's plotLFP shows it, in one figure
 * or by part: the time series of each electrode (traces offset one below the other, first
 * electrode on top, with a scale bar in µV), the Welch PSD of each electrode (log power), the
 * spectrogram of one electrode (dB), and the electrodes' x–y positions among the network's
 * cells (grey dots, when a network is given).
 *
 * Building is in two steps so a panel can do the numerics off the main thread and lay out the
 * figure at any size afterwards: nl_lfp_data_new (the spectra, from NlResults) and
 * nl_lfp_figure_new_from_data. nl_lfp_figure_new does both.
 *
 * Units: LFP in mV (NetPyNE's), times in ms, positions in µm, PSD in mV²/Hz, spectrogram in
 * dB (10·log10 of mV²/Hz).
 */
#pragma once

#include <nl-figure.h>
#include <nl-network.h>
#include <nl-results.h>

G_BEGIN_DECLS

/* The parts of the figure (flags; 0 means all four). */
typedef enum {
  NL_LFP_SHOW_TIMESERIES  = 1 << 0,
  NL_LFP_SHOW_PSD         = 1 << 1,
  NL_LFP_SHOW_SPECTROGRAM = 1 << 2,
  NL_LFP_SHOW_LOCATIONS   = 1 << 3,
} NlLfpShow;

#define NL_LFP_SHOW_ALL 0xf

typedef struct {
  NlFigureOptions base;            /* size, title, t_start/t_stop (ms; both 0: all of it) */
  guint           parts;           /* NlLfpShow flags; 0 → all */
  const guint    *electrodes;      /* time series and PSD of these electrodes; NULL → all */
  guint           n_electrodes;
  guint           spectrogram_electrode;  /* which electrode the spectrogram shows */
  double          max_freq;        /* PSD and spectrogram up to this (Hz); 0 → 100 (NetPyNE) */
  double          separation;      /* trace offset as a multiple of the largest |LFP|; 0 → 1 */
} NlLfpFigureOptions;

/* The part called `name` ("timeseries", "psd", "spectrogram", "locations", "all"), or 0. */
guint       nl_lfp_show_from_name        (const char               *name);

typedef struct _NlLfpData NlLfpData;

/* The numerics for a figure of `results`' LFP: the window's samples, PSDs and spectrogram as
 * the options ask. `network` (may be NULL) gives the cells shown around the electrodes.
 * Errors (G_IO_ERROR_NOT_FOUND): the results have no LFP; (G_IO_ERROR_INVALID_ARGUMENT): an
 * electrode out of range, a time window with fewer than 2 samples. */
NlLfpData  *nl_lfp_data_new              (NlResults                *results,
                                          NlNetwork                *network,
                                          const NlLfpFigureOptions *options,
                                          GError                  **error);
void        nl_lfp_data_free             (NlLfpData                *data);

/* The figure of `data` at width × height px (0 → the options' size). */
NlFigure   *nl_lfp_figure_new_from_data  (const NlLfpData          *data,
                                          guint                     width,
                                          guint                     height,
                                          GError                  **error);

NlFigure   *nl_lfp_figure_new            (NlResults                *results,
                                          NlNetwork                *network,
                                          const NlLfpFigureOptions *options,
                                          GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlLfpData, nl_lfp_data_free)

G_END_DECLS
