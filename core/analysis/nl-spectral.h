/* nl-spectral.h — spectra of sampled signals as NetPyNE 1.1.0 computes them for LFP:
 * the Welch PSD (netpyne/analysis/lfp.py preparePSD, transformMethod 'fft', which calls
 * matplotlib.mlab.psd), the FFT spectrogram (prepareSpectrogram, 'fft': scipy.signal.spectrogram)
 * and the Morlet wavelet time-frequency representation (netpyne/support/morlet.py) with its
 * time mean, the 'morlet' PSD.
 *
 * Units: fs in Hz, frequencies in Hz, times in ms, densities in signal units² / Hz, Morlet
 * power in signal units² (NetPyNE's (2·|x∗m|/fs)²).
 *
 * Bad input (all functions): no samples, a NaN or infinite sample, fs not finite and > 0,
 * options out of range, frequencies at or below 0 or above Nyquist (fs/2) → NULL and a
 * G_IO_ERROR_INVALID_ARGUMENT / G_IO_ERROR_INVALID_DATA error naming the value. A constant
 * signal is valid: its power is at 0 Hz (Welch, spectrogram; a taper spreads it over the
 * window's main lobe, bins 0 and 1 for Hann; detrending removes it) or nil (Morlet, which
 * removes the mean and the linear trend first); in dB zero power is -inf, as numpy's log10.
 *
 * NetPyNE passes fs = int(1000 / recordStep), truncated to an integer (recordStep 0.3 ms gives
 * 3333 Hz, not 3333.3); a caller reproducing NetPyNE's numbers truncates the same way.
 *
 * Thread-safe: FFTW plans are made and destroyed under one lock (FFTW's planner is not
 * reentrant); executing them runs in parallel. Other code that plans with FFTW in the same
 * process must take the same lock: nl_spectral_fftw_lock / unlock.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NL_WINDOW_HANN,           /* symmetric Hann, numpy's np.hanning (mlab.window_hanning) */
  NL_WINDOW_HANN_PERIODIC,  /* periodic Hann, scipy.signal.get_window('hann') */
  NL_WINDOW_BOXCAR,         /* no taper (mlab.window_none) */
} NlWindowKind;

typedef enum {
  NL_DETREND_NONE,
  NL_DETREND_MEAN,          /* subtract each segment's mean */
  NL_DETREND_LINEAR,        /* subtract each segment's least-squares line */
} NlDetrend;

/* The process-wide lock around FFTW's planner (fftw_plan_*, fftw_destroy_plan). */
void nl_spectral_fftw_lock   (void);
void nl_spectral_fftw_unlock (void);

/* Largest FFT length, segment length or Morlet kernel accepted (2^24 samples). */
#define NL_SPECTRAL_MAX_FFT (1u << 24)

typedef struct {
  guint         nperseg;   /* samples per segment */
  guint         nfft;      /* FFT length, >= nperseg (segments are zero-padded); 0 = nperseg */
  guint         noverlap;  /* samples shared by consecutive segments, < nperseg */
  NlWindowKind  window;
  NlDetrend     detrend;
  double        max_freq;  /* keep only frequencies < max_freq (NetPyNE's maxFreq); 0 = all */
} NlSpectralOptions;

/* NetPyNE's PSD ('fft'): nperseg = nfft = 256, noverlap 128, symmetric Hann, no detrend,
 * max_freq 0 (NetPyNE then keeps f < maxFreq, 100 Hz by default, for its plot). */
void nl_spectral_options_init_welch       (NlSpectralOptions *opts);
/* NetPyNE's spectrogram ('fft'): nperseg = nfft = 256, noverlap 128, periodic Hann, no
 * detrend, max_freq 0. */
void nl_spectral_options_init_spectrogram (NlSpectralOptions *opts);

typedef struct {
  gsize   n;           /* frequencies */
  double *freqs;       /* Hz, ascending */
  double *power;       /* per frequency */
  guint   n_segments;  /* Welch: segments averaged; Morlet: 0 */
} NlSpectrum;

typedef struct {
  gsize   n_freqs;
  gsize   n_times;
  double *freqs;   /* Hz, n_freqs */
  double *times;   /* ms, n_times: window centres (spectrogram) or samples (Morlet) */
  double *power;   /* row-major n_freqs × n_times: one row per frequency */
} NlTimeFreq;

void nl_spectrum_free  (NlSpectrum *s);
void nl_time_freq_free (NlTimeFreq *tf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSpectrum, nl_spectrum_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlTimeFreq, nl_time_freq_free)

/* Welch PSD, one-sided density, as matplotlib.mlab.psd (NetPyNE's call): segments of nperseg
 * samples every nperseg − noverlap, detrended, windowed, FFT of nfft points; |X|² doubled
 * except at 0 Hz and (even nfft) Nyquist, divided by fs·Σw², averaged over segments.
 * Frequencies k·fs/nfft for k = 0 … nfft/2. A signal shorter than nperseg is zero-padded to
 * nperseg (one segment), as mlab does. */
NlSpectrum *nl_psd_welch     (const double            *x,
                              gsize                    n,
                              double                   fs,
                              const NlSpectralOptions *opts,
                              GError                 **error);

/* 10·log10 of every value, in place (NetPyNE's dB PSD). */
void        nl_spectral_db   (double                  *values,
                              gsize                    n);

/* The spectrogram as scipy.signal.spectrogram(mode='psd', scaling='density') computes it for
 * NetPyNE: the Welch periodogram of each segment, not averaged; one column per segment, times
 * at segment centres (nperseg/2 + k·step)/fs, in ms. A signal shorter than nperseg uses one
 * segment of the whole signal (scipy shrinks nperseg, and the window, to the signal's length).
 * NetPyNE plots 10·log10 of the rows with f < maxFreq: set max_freq and call nl_spectral_db on
 * `power`.
 *
 * NetPyNE 1.1.0 passes window='hanning', which scipy ≥ 1.9 no longer accepts (Debian 12's
 * scipy 1.10 raises "Unknown window type"); earlier scipy read it as get_window('hann'), the
 * periodic Hann window, which is what the spectrogram defaults are. */
NlTimeFreq *nl_spectrogram   (const double            *x,
                              gsize                    n,
                              double                   fs,
                              const NlSpectralOptions *opts,
                              GError                 **error);

/* ---- Morlet wavelets (netpyne/support/morlet.py) ------------------------------------- */

/* NetPyNE's frequency list: numpy.arange(fmin, fmax + 1, step). For step 1 that is fmin…fmax
 * inclusive; for other steps it can end past fmax (fmin 1, fmax 10, step 0.5 ends at 10.5),
 * as in NetPyNE. Needs 0 < fmin <= fmax, step > 0, at most 10^6 values. g_free the result. */
double     *nl_morlet_freqs  (double                   fmin,
                              double                   fmax,
                              double                   step,
                              gsize                   *n_freqs,
                              GError                 **error);

/* NetPyNE's wavelet for `freq` Hz: σt = width / (2π·freq) s, samples at t = arange(−3.5σt,
 * 3.5σt, 1/fs), A·exp(−t²/(2σt²))·exp(2πi·freq·t) with A = 1/(σt·sqrt(2π)). Returns 2·len
 * doubles (re, im interleaved); g_free it. */
double     *nl_morlet_kernel (double                   fs,
                              double                   freq,
                              double                   width,
                              gsize                   *len,
                              GError                 **error);

typedef struct {
  double width;      /* cycles per wavelet; NetPyNE: 7 */
  guint  n_threads;  /* 0 = one per processor; frequencies are shared out among threads */
} NlMorletOptions;

void        nl_morlet_options_init (NlMorletOptions *opts);

/* The time-frequency representation of MorletSpec: the signal minus its mean, linearly
 * detrended, convolved with each wavelet (full convolution, samples ceil(len/2) onwards, as
 * MorletVec slices it), power (2·|y|/fs)². One row per frequency, one column per sample;
 * times linspace(0, 1000·n/fs, n) ms as NetPyNE's. Frequencies must lie in (0, fs/2]. */
NlTimeFreq *nl_morlet_tfr    (const double            *x,
                              gsize                    n,
                              double                   fs,
                              const double            *freqs,
                              gsize                    n_freqs,
                              const NlMorletOptions   *opts,
                              GError                 **error);

/* NetPyNE's Morlet PSD: the time mean of each row of the TFR (computed without keeping it). */
NlSpectrum *nl_morlet_psd    (const double            *x,
                              gsize                    n,
                              double                   fs,
                              const double            *freqs,
                              gsize                    n_freqs,
                              const NlMorletOptions   *opts,
                              GError                 **error);

G_END_DECLS
