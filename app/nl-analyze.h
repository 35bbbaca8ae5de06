/* nl-analyze.h — `netloom analyze KIND INPUT`: the options every kind shares, input loading
 * and output, and one entry point per family of kinds (nl-analyze-*.c). The numerics are all
 * in core/analysis; these files only read inputs, call them and print. */
#pragma once

#include <json-glib/json-glib.h>
#include <nl-results.h>
#include <nl-signal-csv.h>
#include <nl-spikestats.h>

G_BEGIN_DECLS

typedef struct {
  const char *kind;
  const char *input;
  gboolean    json;
  gboolean    csv;
  char       *output;        /* -o FILE, or NULL for stdout */
  /* Spikes */
  char       *time_range;    /* "A:B" ms */
  double      t0, t1;        /* NAN when not given */
  char      **include;       /* population names or gids */
  char       *include_text;  /* --include as given */
  char       *fs_text;       /* --fs as given */
  char       *columns;       /* spike CSV: T,GID counted from 1 */
  int         t_col, gid_col;
  double      bin;           /* ms, 0 = kind's default */
  gboolean    counts;        /* spikehist: counts instead of rates */
  double      smooth;        /* spikehist smoothing window (bins), 0 = none */
  double      window;        /* fano window ms */
  int         min_spikes;    /* isicv: cells with more spikes than this */
  /* Signals */
  double      fs;            /* Hz, 0 = not given */
  double      dt;            /* ms, 0 = not given */
  int         nfft, overlap;
  double      fmin, fmax, fstep;
  char       *method;        /* spectrogram: fft | morlet */
  char       *trace;         /* a results file's trace instead of its LFP */
  /* Granger / nTE */
  int         order;
  gboolean    no_demean;
  char       *pops;          /* "A,B" */
  char       *pre, *post;
  int         shuffles;
  gint64      seed;
  char       *permutations;
  /* CSD */
  double      spacing;       /* µm */
  gboolean    no_filter, no_vaknin;
  /* Connectivity */
  char       *feature;
  char       *group_by;
} NlAnalyzeArgs;

/* Shared by `analyze` and `plot`: defaults, the option groups, the checks after parsing
 * (an exit status, printing the problem), and freeing. */
void        nl_analyze_args_init   (NlAnalyzeArgs  *a);
void        nl_analyze_add_options (GOptionContext *ctx,
                                    NlAnalyzeArgs  *a);
int         nl_analyze_check_args  (NlAnalyzeArgs  *a);
void        nl_analyze_args_clear  (NlAnalyzeArgs  *a);

/* The entry points: each returns an exit status (CONTRACTS.md) after printing errors. */
int         nl_analyze_spikes   (NlAnalyzeArgs *a);   /* rates isicv sync fano spikehist ratepsd */
int         nl_analyze_signals  (NlAnalyzeArgs *a);   /* psd morlet spectrogram csd */
int         nl_analyze_granger  (NlAnalyzeArgs *a);
int         nl_analyze_nte      (NlAnalyzeArgs *a);
int         nl_analyze_conn     (NlAnalyzeArgs *a);

/* Welch PSD of each population's rate histogram (NetPyNE's plotRatePSD; `opt` as for the
 * spike kinds, bin 5 ms by default): NlSpectrum* per population, their names appended to
 * `names` (g_strdup'd). */
GPtrArray  *nl_analyze_rate_spectra (NlResults              *r,
                                     NlSpikeAnalysisOptions *opt,
                                     int                     nfft,
                                     int                     overlap,
                                     GPtrArray              *names,
                                     GError                **error);
/* `freq,<name>…` then one row per frequency (the spectra share their frequencies). */
GString    *nl_analyze_spectra_csv  (GPtrArray              *spectra,
                                     char                  **names);

/* INPUT as spikes: a spike CSV (with --columns or a header) or any results file. */
NlResults  *nl_analyze_load_results (NlAnalyzeArgs *a,
                                     GError       **error);
/* INPUT as signals: a signal CSV (needs --fs or --dt), or a results file's LFP (its dt) or,
 * with --trace NAME, that trace's cells. Sets *fs_hz. */
NlSignals  *nl_analyze_load_signals (NlAnalyzeArgs *a,
                                     double        *fs_hz,
                                     GError       **error);
/* Writes `text` to -o FILE (atomically) or stdout; prints the error and returns FALSE. */
gboolean    nl_analyze_emit         (NlAnalyzeArgs *a,
                                     const char    *text,
                                     gsize          len);
gboolean    nl_analyze_emit_json    (NlAnalyzeArgs *a,
                                     JsonNode      *node);
/* Prints "netloom analyze KIND: MESSAGE" to stderr. */
void        nl_analyze_fail         (NlAnalyzeArgs *a,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
