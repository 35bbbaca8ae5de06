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

GPtrArray *
nl_analyze_rate_spectra (NlResults *r, NlSpikeAnalysisOptions *opt, int nfft, int overlap, GPtrArray *names,
                         GError **error)
{
  g_autoptr(JsonNode) hist = NULL;
  g_autoptr(GList) pop_names = NULL;
  g_autoptr(GPtrArray) spectra = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_spectrum_free);
  NlSpectralOptions wopt;
  JsonObject *pops;

  /* NetPyNE's plotRatePSD: the population rate histogram (Hz), Welch over it. */
  opt->counts = FALSE;
  if (opt->bin_ms <= 0)
    opt->bin_ms = 5;
  hist = nl_spike_analysis_json (r, "spikehist", opt, error);
  if (!hist)
    return NULL;
  pops = json_object_get_object_member (json_node_get_object (hist), "pops");
  pop_names = json_object_get_members (pops);
  nl_spectral_options_init_welch (&wopt);
  wopt.nperseg = wopt.nfft = (guint) MAX (nfft, 1);
  wopt.noverlap = (guint) CLAMP (overlap, 0, nfft - 1);
  for (GList *l = pop_names; l; l = l->next)
    {
      JsonArray *arr = json_object_get_array_member (pops, l->data);
      guint n = json_array_get_length (arr);
      g_autofree double *x = g_new (double, MAX (n, 1));
      NlSpectrum *psd;

      for (guint i = 0; i < n; i++)
        x[i] = json_array_get_double_element (arr, i);
      psd = nl_psd_welch (x, n, 1000.0 / opt->bin_ms, &wopt, error);
      if (!psd)
        {
          g_prefix_error (error, "population %s: ", (char *) l->data);
          return NULL;
        }
      g_ptr_array_add (spectra, psd);
      g_ptr_array_add (names, g_strdup (l->data));
    }
  return g_steal_pointer (&spectra);
}

static int
rate_psd (NlAnalyzeArgs *a, NlResults *r, NlSpikeAnalysisOptions *opt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) spectra = nl_analyze_rate_spectra (r, opt, a->nfft, a->overlap, names, &error);
  g_autoptr(GString) csv = NULL;

  if (!spectra)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  csv = nl_analyze_spectra_csv (spectra, (char **) names->pdata);
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
