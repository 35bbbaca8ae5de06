/* `netloom analyze psd|morlet|spectrogram|csd`: spectra and CSD of signals — a signal CSV
 * or a results file's LFP or trace (core/analysis/nl-spectral, nl-csd). */
#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"

#include <nl-csd.h>
#include <nl-spectral.h>
#include <math.h>
#include <string.h>

static int
emit (NlAnalyzeArgs *a, GString *csv)
{
  return nl_analyze_emit (a, csv->str, csv->len) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
}

static int
psd (NlAnalyzeArgs *a, NlSignals *s, double fs)
{
  g_autoptr(GPtrArray) spectra = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_spectrum_free);
  g_autoptr(GString) csv = NULL;
  NlSpectralOptions opt;

  nl_spectral_options_init_welch (&opt);
  if (a->nfft <= 0 || a->overlap < 0 || a->overlap >= a->nfft)
    {
      nl_analyze_fail (a, "--nfft must be positive and --overlap in [0, nfft), got %d and %d", a->nfft, a->overlap);
      return NL_EXIT_USAGE;
    }
  opt.nperseg = opt.nfft = (guint) a->nfft;
  opt.noverlap = (guint) a->overlap;
  for (guint c = 0; c < s->n_channels; c++)
    {
      g_autoptr(GError) error = NULL;
      NlSpectrum *sp = nl_psd_welch (nl_signals_channel (s, c), s->n_samples, fs, &opt, &error);
      if (!sp)
        {
          nl_analyze_fail (a, "%s, channel %s: %s", a->input, s->names[c], error->message);
          return NL_EXIT_INVALID;
        }
      g_ptr_array_add (spectra, sp);
    }
  csv = nl_analyze_spectra_csv (spectra, s->names);
  return emit (a, csv);
}

GString *
nl_analyze_spectra_csv (GPtrArray *spectra, char **names)
{
  GString *csv = g_string_new ("freq");
  NlSpectrum *first = spectra->len ? spectra->pdata[0] : NULL;

  for (guint c = 0; c < spectra->len; c++)
    g_string_append_printf (csv, ",%s", names[c]);
  g_string_append_c (csv, '\n');
  for (gsize k = 0; first && k < first->n; k++)
    {
      nl_cli_append_double (csv, first->freqs[k]);
      for (guint c = 0; c < spectra->len; c++)
        {
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, ((NlSpectrum *) spectra->pdata[c])->power[k]);
        }
      g_string_append_c (csv, '\n');
    }
  return csv;
}

/* One row per frequency: freq, then the power at each time (sample or window). */
static int
time_freq_csv (NlAnalyzeArgs *a, NlTimeFreq *tf)
{
  g_autoptr(GString) csv = g_string_new ("freq");

  for (gsize j = 0; j < tf->n_times; j++)
    {
      g_string_append (csv, ",t_");
      nl_cli_append_double (csv, tf->times[j]);
    }
  g_string_append_c (csv, '\n');
  for (gsize i = 0; i < tf->n_freqs; i++)
    {
      nl_cli_append_double (csv, tf->freqs[i]);
      for (gsize j = 0; j < tf->n_times; j++)
        {
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, tf->power[i * tf->n_times + j]);
        }
      g_string_append_c (csv, '\n');
    }
  return emit (a, csv);
}

static int
morlet (NlAnalyzeArgs *a, NlSignals *s, double fs)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *freqs = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  NlMorletOptions opt;
  gsize n_freqs;
  double fmin = isnan (a->fmin) ? 1 : a->fmin, fmax = isnan (a->fmax) ? 100 : a->fmax;
  double fstep = isnan (a->fstep) ? 1 : a->fstep;

  if (fmax > fs / 2)
    {
      nl_analyze_fail (a, "--fmax %g Hz is above the Nyquist frequency (%g Hz) of the signal sampled at %g Hz",
                       fmax, fs / 2, fs);
      return NL_EXIT_INVALID;
    }
  freqs = nl_morlet_freqs (fmin, fmax, fstep, &n_freqs, &error);
  if (!freqs)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_USAGE;
    }
  if (s->n_channels > 1)
    g_printerr ("netloom analyze %s: note: %s has %u channels; using the first (%s)\n", a->kind, a->input,
                s->n_channels, s->names[0]);
  nl_morlet_options_init (&opt);
  tf = nl_morlet_tfr (nl_signals_channel (s, 0), s->n_samples, fs, freqs, n_freqs, &opt, &error);
  if (!tf)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  return time_freq_csv (a, tf);
}

static int
spectrogram (NlAnalyzeArgs *a, NlSignals *s, double fs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  NlSpectralOptions opt;

  if (a->method && g_str_equal (a->method, "morlet"))
    return morlet (a, s, fs);
  if (a->method && !g_str_equal (a->method, "fft"))
    {
      nl_analyze_fail (a, "--method: expected fft or morlet, got '%s'", a->method);
      return NL_EXIT_USAGE;
    }
  if (s->n_channels > 1)
    g_printerr ("netloom analyze spectrogram: note: %s has %u channels; using the first (%s)\n", a->input,
                s->n_channels, s->names[0]);
  nl_spectral_options_init_spectrogram (&opt);
  tf = nl_spectrogram (nl_signals_channel (s, 0), s->n_samples, fs, &opt, &error);
  if (!tf)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  return time_freq_csv (a, tf);
}

static int
csd (NlAnalyzeArgs *a, NlSignals *s, double fs)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *lfp = g_new (double, (gsize) s->n_samples * s->n_channels);
  g_autofree double *out = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  NlCsdOptions opt;
  guint n_out;

  nl_csd_options_init (&opt);
  opt.filter = !a->no_filter;
  opt.vaknin = !a->no_vaknin;
  opt.spacing_um = a->spacing;
  for (guint64 i = 0; i < s->n_samples; i++)
    for (guint c = 0; c < s->n_channels; c++)
      lfp[i * s->n_channels + c] = nl_signals_channel (s, c)[i];
  out = nl_csd (lfp, s->n_samples, s->n_channels, fs, &opt, &n_out, &error);
  if (!out)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  for (guint c = 0; c < n_out; c++)
    g_string_append_printf (csv, "%sch%u", c ? "," : "", c);
  g_string_append_c (csv, '\n');
  for (guint64 i = 0; i < s->n_samples; i++)
    {
      for (guint c = 0; c < n_out; c++)
        {
          if (c)
            g_string_append_c (csv, ',');
          nl_cli_append_double (csv, out[i * n_out + c]);
        }
      g_string_append_c (csv, '\n');
    }
  return emit (a, csv);
}

int
nl_analyze_signals (NlAnalyzeArgs *a)
{
  g_autoptr(GError) error = NULL;
  double fs = 0;
  g_autoptr(NlSignals) s = nl_analyze_load_signals (a, &fs, &error);

  if (!s)
    {
      nl_analyze_fail (a, "%s", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? NL_EXIT_USAGE : NL_EXIT_INVALID;
    }
  if (g_str_equal (a->kind, "psd"))
    return psd (a, s, fs);
  if (g_str_equal (a->kind, "morlet"))
    return morlet (a, s, fs);
  if (g_str_equal (a->kind, "spectrogram"))
    return spectrogram (a, s, fs);
  return csd (a, s, fs);
}
