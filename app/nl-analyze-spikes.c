/* `netloom analyze rates|isicv|sync|fano|spikehist|ratepsd`: spike statistics of a results
 * file or spike CSV (core/analysis/nl-spikestats). */
#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"

#include <nl-spectral.h>
#include <nl-spikestats.h>
#include <math.h>
#include <string.h>

/* --include: population names and gids, mixed. */
static gboolean
split_include (NlAnalyzeArgs *a, GPtrArray *pops, GArray *gids)
{
  for (guint i = 0; a->include && a->include[i]; i++)
    {
      const char *item = g_strstrip (a->include[i]);
      guint64 gid;

      if (*item == '\0')
        continue;
      if (g_ascii_string_to_unsigned (item, 10, 0, G_MAXUINT32, &gid, NULL))
        {
          guint32 g = (guint32) gid;
          g_array_append_val (gids, g);
        }
      else
        g_ptr_array_add (pops, (gpointer) item);
    }
  g_ptr_array_add (pops, NULL);
  return TRUE;
}

static int
rate_psd (NlAnalyzeArgs *a, NlResults *r, NlSpikeAnalysisOptions *opt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) hist = NULL;
  JsonObject *o, *pops;
  g_autoptr(GList) names = NULL;
  g_autoptr(GString) csv = g_string_new ("freq");
  g_autoptr(GPtrArray) spectra = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_spectrum_free);
  double fs;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  NlSpectralOptions wopt;

  /* NetPyNE's plotRatePSD: the population rate histogram (Hz), Welch over it. */
  opt->counts = FALSE;
  if (opt->bin_ms <= 0)
    opt->bin_ms = 5;
  hist = nl_spike_analysis_json (r, "spikehist", opt, &error);
  if (!hist)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  fs = 1000.0 / opt->bin_ms;
  o = json_node_get_object (hist);
  pops = json_object_get_object_member (o, "pops");
  names = json_object_get_members (pops);
  nl_spectral_options_init_welch (&wopt);
  wopt.nperseg = wopt.nfft = (guint) MAX (a->nfft, 1);
  wopt.noverlap = (guint) CLAMP (a->overlap, 0, a->nfft - 1);
  for (GList *l = names; l; l = l->next)
    {
      JsonArray *arr = json_object_get_array_member (pops, l->data);
      guint n = json_array_get_length (arr);
      g_autofree double *x = g_new (double, MAX (n, 1));
      NlSpectrum *psd;

      for (guint i = 0; i < n; i++)
        x[i] = json_array_get_double_element (arr, i);
      psd = nl_psd_welch (x, n, fs, &wopt, &error);
      if (!psd)
        {
          nl_analyze_fail (a, "population %s: %s", (char *) l->data, error->message);
          return NL_EXIT_INVALID;
        }
      g_ptr_array_add (spectra, psd);
      g_string_append_printf (csv, ",%s", (char *) l->data);
    }
  g_string_append_c (csv, '\n');
  if (spectra->len > 0)
    {
      NlSpectrum *first = spectra->pdata[0];
      for (gsize k = 0; k < first->n; k++)
        {
          g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.17g", first->freqs[k]));
          for (guint p = 0; p < spectra->len; p++)
            {
              NlSpectrum *sp = spectra->pdata[p];
              g_string_append_c (csv, ',');
              g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.17g", sp->power[k]));
            }
          g_string_append_c (csv, '\n');
        }
    }
  return nl_analyze_emit (a, csv->str, csv->len) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
}

int
nl_analyze_spikes (NlAnalyzeArgs *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = nl_analyze_load_results (a, &error);
  g_autoptr(GPtrArray) pops = g_ptr_array_new ();
  g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(JsonNode) out = NULL;
  NlSpikeAnalysisOptions opt;

  if (!r)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  nl_spike_analysis_options_init (&opt);
  split_include (a, pops, gids);
  opt.pops = pops->len > 1 ? (const char *const *) pops->pdata : NULL;
  opt.gids = (const guint32 *) gids->data;
  opt.n_gids = gids->len;
  if (!isnan (a->t0))
    {
      double duration = nl_results_get_duration (r);
      const double *t = nl_results_get_spike_times (r);
      guint64 n = nl_results_get_n_spikes (r);

      opt.has_time_range = TRUE;
      opt.t0_ms = isfinite (a->t0) ? a->t0 : 0;
      opt.t1_ms = isfinite (a->t1) ? a->t1
                  : isfinite (duration) ? duration : n > 0 ? floor (t[n - 1]) + 1 : opt.t0_ms;
    }
  if (a->bin > 0)
    opt.bin_ms = a->bin;
  opt.counts = a->counts;
  opt.smooth = (guint) a->smooth;
  if (a->window > 0)
    opt.fano_window_ms = a->window;
  opt.isicv_min_spikes = (guint) MAX (a->min_spikes, 0);

  if (g_str_equal (a->kind, "ratepsd"))
    return rate_psd (a, r, &opt);

  out = nl_spike_analysis_json (r, a->kind, &opt, &error);
  if (!out)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  if (a->csv)
    {
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      if (!nl_spike_hist_write_csv (out, mem, NULL, &error) || !g_output_stream_close (mem, NULL, &error))
        {
          nl_analyze_fail (a, "%s", error->message);
          return NL_EXIT_RUNTIME;
        }
      return nl_analyze_emit (a, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)))
             ? NL_EXIT_OK : NL_EXIT_RUNTIME;
    }
  return nl_analyze_emit_json (a, out) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
}
