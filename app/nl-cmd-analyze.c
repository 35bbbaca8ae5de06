#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"

#include <nl-format.h>
#include <nl-results-read.h>
#include <nl-results-write.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* `netloom analyze KIND INPUT [options] (--json | --csv)`: option parsing, the kinds'
 * dispatch, and what the families share (loading spikes or signals, writing the output). */

typedef struct {
  const char *name;
  int       (*run) (NlAnalyzeArgs *a);
  gboolean    json;      /* the kind's output can be JSON */
  gboolean    csv;       /* … or CSV */
  const char *summary;
} Kind;

static const Kind kinds[] = {
  { "rates", nl_analyze_spikes, TRUE, FALSE, "population and per-cell firing rates (JSON)" },
  { "isicv", nl_analyze_spikes, TRUE, FALSE, "coefficient of variation of inter-spike intervals (JSON)" },
  { "sync", nl_analyze_spikes, TRUE, FALSE, "SPIKE-synchrony, Kreuz 2015 (JSON)" },
  { "fano", nl_analyze_spikes, TRUE, FALSE, "Fano factor of spike counts in windows (JSON)" },
  { "spikehist", nl_analyze_spikes, TRUE, TRUE, "spike-time histogram per population (--bin)" },
  { "ratepsd", nl_analyze_spikes, FALSE, TRUE, "Welch PSD of each population's rate histogram (CSV)" },
  { "psd", nl_analyze_signals, FALSE, TRUE, "Welch power spectral density per channel (CSV)" },
  { "morlet", nl_analyze_signals, FALSE, TRUE, "Morlet wavelet time-frequency power (CSV)" },
  { "spectrogram", nl_analyze_signals, FALSE, TRUE, "FFT spectrogram (CSV)" },
  { "csd", nl_analyze_signals, FALSE, TRUE, "current source density of a laminar LFP (CSV)" },
  { "granger", nl_analyze_granger, TRUE, TRUE, "spectral Granger causality of two signals or populations (CSV; --json adds time-domain GC)" },
  { "nte", nl_analyze_nte, TRUE, FALSE, "normalised transfer entropy between two cells or populations (JSON)" },
  { "conn", nl_analyze_conn, FALSE, TRUE, "connectivity matrix of a model or results file (CSV)" },
};

void
nl_analyze_fail (NlAnalyzeArgs *a, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("netloom analyze %s: %s\n", a->kind, msg);
}

static gboolean
parse_range (const char *spec, double *t0, double *t1)
{
  const char *colon = strchr (spec, ':');
  char *end;

  if (!colon)
    return FALSE;
  *t0 = colon == spec ? -INFINITY : g_ascii_strtod (spec, &end);
  if (colon != spec && end != colon)
    return FALSE;
  *t1 = colon[1] == '\0' ? INFINITY : g_ascii_strtod (colon + 1, &end);
  if (colon[1] != '\0' && *end != '\0')
    return FALSE;
  return !isnan (*t0) && !isnan (*t1) && *t0 < *t1;
}

NlResults *
nl_analyze_load_results (NlAnalyzeArgs *a, GError **error)
{
  NlFormat format = nl_format_detect_file (a->input, error);

  if (format == NL_FORMAT_UNKNOWN && error && *error)
    return NULL;
  if (a->columns || format == NL_FORMAT_CSV)
    return nl_spikes_csv_read (a->input, a->t_col, a->gid_col, error);
  return nl_results_read (a->input, error);
}

NlSignals *
nl_analyze_load_signals (NlAnalyzeArgs *a, double *fs_hz, GError **error)
{
  NlFormat format = nl_format_detect_file (a->input, error);
  g_autoptr(NlResults) r = NULL;
  NlSignals *s;

  if (format == NL_FORMAT_UNKNOWN && error && *error)
    return NULL;
  if (format == NL_FORMAT_CSV)
    {
      if (a->fs <= 0 && a->dt <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: a signal CSV does not say its sampling rate; give --fs HZ or --dt MS",
                       a->input);
          return NULL;
        }
      s = nl_signals_csv_read (a->input, error);
      if (s)
        *fs_hz = a->fs > 0 ? a->fs : 1000.0 / a->dt;
      return s;
    }

  r = nl_results_read (a->input, error);
  if (!r)
    return NULL;
  s = g_new0 (NlSignals, 1);
  if (a->trace)
    {
      guint64 n_t;
      const double *t = nl_results_get_trace_time (r, &n_t);
      int k = -1;

      for (guint i = 0; i < nl_results_get_n_traces (r); i++)
        if (g_str_equal (nl_results_get_trace_name (r, i), a->trace))
          k = (int) i;
      if (k < 0 || t == NULL || n_t < 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: no trace '%s' (with a time base) in the results; 'netloom info %s' lists them",
                       a->input, a->trace, a->input);
          nl_signals_free (s);
          return NULL;
        }
      s->n_channels = nl_results_get_trace_n_cells (r, k);
      s->n_samples = n_t;
      s->data = g_new (double, (gsize) s->n_channels * n_t);
      s->names = g_new0 (char *, s->n_channels + 1);
      for (guint c = 0; c < s->n_channels; c++)
        {
          guint32 gid;
          guint64 n;
          const double *v = nl_results_get_trace_values (r, k, c, &gid, &n);
          memcpy (s->data + (gsize) c * n_t, v, MIN (n, n_t) * sizeof (double));
          for (guint64 i = n; i < n_t; i++)
            s->data[(gsize) c * n_t + i] = v[n - 1];
          s->names[c] = g_strdup_printf ("cell_%u", gid);
        }
      *fs_hz = a->fs > 0 ? a->fs : 1000.0 / (t[1] - t[0]);
      return s;
    }
  else
    {
      guint64 n;
      guint ne;
      double dt;
      const double *lfp = nl_results_get_lfp (r, &n, &ne, &dt);

      if (!lfp || n == 0 || ne == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: the results have no LFP; record it (simConfig.recordLFP) or give a trace "
                       "with --trace NAME", a->input);
          nl_signals_free (s);
          return NULL;
        }
      s->n_channels = ne;
      s->n_samples = n;
      s->data = g_new (double, (gsize) ne * n);
      s->names = g_new0 (char *, ne + 1);
      for (guint c = 0; c < ne; c++)
        {
          for (guint64 i = 0; i < n; i++)
            s->data[(gsize) c * n + i] = lfp[i * ne + c];
          s->names[c] = g_strdup_printf ("electrode_%u", c);
        }
      *fs_hz = a->fs > 0 ? a->fs : a->dt > 0 ? 1000.0 / a->dt : 1000.0 / dt;
      return s;
    }
}

gboolean
nl_analyze_emit (NlAnalyzeArgs *a, const char *text, gsize len)
{
  g_autoptr(GError) error = NULL;

  if (!nl_cli_write_output (a->output, text, len, &error))
    {
      nl_analyze_fail (a, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_analyze_emit_json (NlAnalyzeArgs *a, JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  text = g_realloc (text, len + 2);
  text[len++] = '\n';
  text[len] = '\0';
  return nl_analyze_emit (a, text, len);
}

static void
print_kinds (FILE *out)
{
  fprintf (out, "Kinds:\n");
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    fprintf (out, "  %-12s %s\n", kinds[i].name, kinds[i].summary);
}

/* Defaults, the option groups both `analyze` and `plot` take, and the checks after parsing. */
void
nl_analyze_args_init (NlAnalyzeArgs *a)
{
  memset (a, 0, sizeof *a);
  a->t0 = a->t1 = NAN;
  a->t_col = a->gid_col = -1;
  a->nfft = 256;
  a->overlap = 128;
  a->seed = 1;
  a->shuffles = 30;
  a->min_spikes = 10;
  a->fmin = a->fmax = a->fstep = NAN;
  a->spacing = 100;
}

void
nl_analyze_add_options (GOptionContext *ctx, NlAnalyzeArgs *a)
{
  GOptionGroup *g;
  const GOptionEntry spike_entries[] = {
    { "time-range", 0, 0, G_OPTION_ARG_STRING, &a->time_range, "Spikes and samples with A ≤ t < B only (ms; either side may be empty)", "A:B" },
    { "include", 0, 0, G_OPTION_ARG_STRING, &a->include_text, "Populations or gids, comma-separated (default: all)", "LIST" },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &a->columns, "Spike CSV: the time and gid columns, counted from 1", "T,GID" },
    { "bin", 0, 0, G_OPTION_ARG_DOUBLE, &a->bin, "Bin size in ms (spikehist default 5, granger on spikes 5, nte 20)", "MS" },
    { "counts", 0, 0, G_OPTION_ARG_NONE, &a->counts, "spikehist: spike counts per bin instead of rates in Hz", NULL },
    { "smooth", 0, 0, G_OPTION_ARG_DOUBLE, &a->smooth, "spikehist: Hann smoothing window in bins", "N" },
    { "window", 0, 0, G_OPTION_ARG_DOUBLE, &a->window, "fano: counting window in ms (default 50)", "MS" },
    { "min-spikes", 0, 0, G_OPTION_ARG_INT, &a->min_spikes, "isicv: only cells with more spikes than this (default 10)", "N" },
    { NULL }
  };
  const GOptionEntry signal_entries[] = {
    { "fs", 0, 0, G_OPTION_ARG_STRING, &a->fs_text, "Sampling rate of a signal CSV in Hz", "HZ" },
    { "dt", 0, 0, G_OPTION_ARG_DOUBLE, &a->dt, "Sample interval of a signal CSV in ms", "MS" },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &a->trace, "Results file: analyse this trace's cells instead of the LFP", "NAME" },
    { "nfft", 0, 0, G_OPTION_ARG_INT, &a->nfft, "psd: segment length (default 256)", "N" },
    { "overlap", 0, 0, G_OPTION_ARG_INT, &a->overlap, "psd: segment overlap (default 128)", "M" },
    { "fmin", 0, 0, G_OPTION_ARG_DOUBLE, &a->fmin, "morlet: lowest frequency in Hz (default 1)", "HZ" },
    { "fmax", 0, 0, G_OPTION_ARG_DOUBLE, &a->fmax, "morlet: highest frequency in Hz (default 100)", "HZ" },
    { "fstep", 0, 0, G_OPTION_ARG_DOUBLE, &a->fstep, "morlet: frequency step in Hz (default 1)", "HZ" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &a->method, "spectrogram: fft (default) or morlet", "METHOD" },
    { "spacing", 0, 0, G_OPTION_ARG_DOUBLE, &a->spacing, "csd: electrode spacing in µm (default 100)", "UM" },
    { "no-filter", 0, 0, G_OPTION_ARG_NONE, &a->no_filter, "csd: skip the 0.05–300 Hz band-pass", NULL },
    { "no-vaknin", 0, 0, G_OPTION_ARG_NONE, &a->no_vaknin, "csd: no Vaknin edge duplication", NULL },
    { NULL }
  };
  const GOptionEntry causal_entries[] = {
    { "order", 0, 0, G_OPTION_ARG_INT, &a->order, "granger: model order (default 10)", "P" },
    { "no-demean", 0, 0, G_OPTION_ARG_NONE, &a->no_demean, "granger: keep the means (NetPyNE's behaviour)", NULL },
    { "pops", 0, 0, G_OPTION_ARG_STRING, &a->pops, "granger on spikes: the two populations", "A,B" },
    { "pre", 0, 0, G_OPTION_ARG_STRING, &a->pre, "nte: source cells (gids or populations, comma-separated)", "LIST" },
    { "post", 0, 0, G_OPTION_ARG_STRING, &a->post, "nte: target cells", "LIST" },
    { "shuffles", 0, 0, G_OPTION_ARG_INT, &a->shuffles, "nte: number of shuffles (default 30)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &a->seed, "nte: seed of the shuffles (default 1)", "S" },
    { "permutations", 0, 0, G_OPTION_ARG_FILENAME, &a->permutations, "nte: shuffles from FILE (one permutation of the bins per line)", "FILE" },
    { NULL }
  };
  const GOptionEntry conn_entries[] = {
    { "feature", 0, 0, G_OPTION_ARG_STRING, &a->feature, "conn: weight, strength, probability, numConns, convergence or divergence (default strength)", "F" },
    { "group-by", 0, 0, G_OPTION_ARG_STRING, &a->group_by, "conn: pop (default) or cell", "G" },
    { NULL }
  };

  g = g_option_group_new ("spikes", "Spike analyses:", "Show spike-analysis options", NULL, NULL);
  g_option_group_add_entries (g, spike_entries);
  g_option_context_add_group (ctx, g);
  g = g_option_group_new ("signals", "Signal analyses:", "Show signal-analysis options", NULL, NULL);
  g_option_group_add_entries (g, signal_entries);
  g_option_context_add_group (ctx, g);
  g = g_option_group_new ("causality", "Granger and transfer entropy:", "Show causality options", NULL, NULL);
  g_option_group_add_entries (g, causal_entries);
  g_option_context_add_group (ctx, g);
  g = g_option_group_new ("conn", "Connectivity:", "Show connectivity options", NULL, NULL);
  g_option_group_add_entries (g, conn_entries);
  g_option_context_add_group (ctx, g);
}

int
nl_analyze_check_args (NlAnalyzeArgs *a)
{
  if (a->columns && !nl_cli_parse_columns (a->columns, &a->t_col, &a->gid_col))
    {
      nl_analyze_fail (a, "--columns: expected two different column numbers T,GID counted from 1, got '%s'",
                       a->columns);
      return NL_EXIT_USAGE;
    }
  if (a->time_range && !parse_range (a->time_range, &a->t0, &a->t1))
    {
      nl_analyze_fail (a, "--time-range: expected A:B with A < B in ms (e.g. 100:500, or 100: for "
                       "everything after 100 ms), got '%s'", a->time_range);
      return NL_EXIT_USAGE;
    }
  if (a->fs_text)
    {
      char *end;
      a->fs = g_ascii_strtod (a->fs_text, &end);
      if (*end != '\0' || !(a->fs > 0) || !isfinite (a->fs))
        {
          nl_analyze_fail (a, "--fs: expected a positive sampling rate in Hz, got '%s'", a->fs_text);
          return NL_EXIT_USAGE;
        }
    }
  if (a->dt < 0 || a->bin < 0 || a->smooth < 0 || a->window < 0 || a->spacing <= 0)
    {
      nl_analyze_fail (a, "--dt, --bin, --smooth, --window and --spacing must be positive");
      return NL_EXIT_USAGE;
    }
  if (a->include_text)
    a->include = g_strsplit (a->include_text, ",", -1);
  return NL_EXIT_OK;
}

void
nl_analyze_args_clear (NlAnalyzeArgs *a)
{
  g_strfreev (a->include);
  g_free (a->include_text);
  g_free (a->fs_text);
  g_free (a->output);
  g_free (a->time_range);
  g_free (a->columns);
  g_free (a->method);
  g_free (a->trace);
  g_free (a->pops);
  g_free (a->pre);
  g_free (a->post);
  g_free (a->permutations);
  g_free (a->feature);
  g_free (a->group_by);
}

int
nl_cmd_analyze (int argc, char **argv)
{
  NlAnalyzeArgs a;
  g_auto(GStrv) rest = NULL;
  const Kind *kind = NULL;
  int status;

  nl_analyze_args_init (&a);
  const GOptionEntry main_entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &a.json, "Output JSON", NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &a.csv, "Output CSV", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output, "Write to FILE (atomically) instead of standard output", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("KIND INPUT — analyse spikes, signals or connectivity");
  g_autoptr(GString) summary = g_string_new (
    "INPUT is a results file (NetLoom, NetPyNE JSON/MAT/HDF5/pickle, SONATA) or a CSV: spikes\n"
    "(header t_ms,gid, or --columns) or signals (one column per channel, --fs or --dt).\n"
    "Exit status: 0 done, 1 invalid input, 2 usage.\n\n");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (summary, "  %-12s %s\n", kinds[i].name, kinds[i].summary);
  g_option_context_set_summary (ctx, summary->str);
  g_option_context_add_main_entries (ctx, main_entries, NULL);
  nl_analyze_add_options (ctx, &a);

  if (!nl_cli_parse (ctx, &argc, &argv))
    {
      nl_analyze_args_clear (&a);
      return NL_EXIT_USAGE;
    }
  if (!rest || g_strv_length (rest) != 2)
    {
      g_printerr ("netloom analyze: give a KIND and an INPUT file\n");
      print_kinds (stderr);
      g_printerr ("Try 'netloom analyze --help'.\n");
      nl_analyze_args_clear (&a);
      return NL_EXIT_USAGE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (rest[0], kinds[i].name))
      kind = &kinds[i];
  if (!kind)
    {
      g_printerr ("netloom analyze: unknown kind '%s'\n", rest[0]);
      print_kinds (stderr);
      nl_analyze_args_clear (&a);
      return NL_EXIT_USAGE;
    }
  a.kind = kind->name;
  a.input = rest[1];

  status = NL_EXIT_OK;
  if (a.json && a.csv)
    {
      nl_analyze_fail (&a, "give --json or --csv, not both");
      status = NL_EXIT_USAGE;
    }
  else
    {
      /* The default is JSON where a kind has it, except granger, whose main output is its
       * spectra (CONTRACTS.md). */
      if (!a.json && !a.csv)
        a.json = kind->json && kind->run != nl_analyze_granger;
      a.csv = !a.json;
      if ((a.json && !kind->json) || (a.csv && !kind->csv))
        {
          nl_analyze_fail (&a, "this kind writes %s only", kind->json ? "JSON (--json)" : "CSV (--csv)");
          status = NL_EXIT_USAGE;
        }
    }
  if (status == NL_EXIT_OK)
    status = nl_analyze_check_args (&a);
  if (status == NL_EXIT_OK)
    status = kind->run (&a);
  nl_analyze_args_clear (&a);
  return status;
}
