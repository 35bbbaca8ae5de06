/* `netloom plot KIND INPUT -o FILE.{png,svg,pdf}`: the figures of the workbench's panels,
 * headless. Numerics from core/analysis, drawing from the GTK-free figure library
 * (plugins/.../nl-*-figure.c), inputs read as `analyze` reads them. */
#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"
#include "nl-plot.h"

#include <nl-connmatrix.h>
#include <nl-csd.h>
#include <nl-granger.h>
#include <nl-nte.h>
#include <nl-spectral.h>
#include <nl-spikestats.h>

#include <nl-conn-figure.h>
#include <nl-granger-figure.h>
#include <nl-lfp-figure.h>
#include <nl-net2d-figure.h>
#include <nl-nte-figure.h>
#include <nl-psd-figure.h>
#include <nl-raster-figure.h>
#include <nl-shape-figure.h>
#include <nl-spectrogram-figure.h>
#include <nl-spikehist-figure.h>
#include <nl-spikestats-figure.h>
#include <nl-traces-figure.h>

#include <math.h>
#include <string.h>

typedef struct {
  NlAnalyzeArgs a;
  guint         width, height;
  char         *statistic;
  char         *projection;
  double        azimuth, elevation;  /* shape: the viewing direction (degrees) */
  char         *color_by;            /* shape: population or synapses */
  GPtrArray    *pops;          /* --include's populations, NULL-terminated */
  GArray       *gids;          /* --include's gids */
  NlResults    *results;       /* given in memory (run's simConfig.analysis) instead of INPUT */
  NlNetwork    *network;
} Plot;

typedef NlFigure *(*PlotFunc) (Plot *p, GError **error);

/* The figure options every kind shares. */
static void
base_options (Plot *p, NlFigureOptions *base)
{
  base->width = p->width;
  base->height = p->height;
  if (!isnan (p->a.t0))
    {
      base->t_start = isfinite (p->a.t0) ? p->a.t0 : 0;
      base->t_stop = isfinite (p->a.t1) ? p->a.t1 : 0;
    }
  base->pops = p->pops->len > 1 ? (const char *const *) p->pops->pdata : NULL;
  base->gids = p->gids->len ? (const guint32 *) p->gids->data : NULL;
  base->n_gids = p->gids->len;
}

static NlResults *
results (Plot *p, GError **error)
{
  if (p->results)
    return nl_results_ref (p->results);
  return nl_analyze_load_results (&p->a, error);
}

static NlSpikeAnalysisOptions
spike_options (Plot *p, NlResults *r)
{
  NlSpikeAnalysisOptions opt;

  nl_spike_analysis_options_init (&opt);
  opt.pops = p->pops->len > 1 ? (const char *const *) p->pops->pdata : NULL;
  opt.gids = (const guint32 *) p->gids->data;
  opt.n_gids = p->gids->len;
  if (!isnan (p->a.t0))
    {
      double d = nl_results_get_duration (r);
      opt.has_time_range = TRUE;
      opt.t0_ms = isfinite (p->a.t0) ? p->a.t0 : 0;
      opt.t1_ms = isfinite (p->a.t1) ? p->a.t1 : isfinite (d) ? d : opt.t0_ms + 1;
    }
  if (p->a.bin > 0)
    opt.bin_ms = p->a.bin;
  opt.counts = p->a.counts;
  opt.smooth = (guint) p->a.smooth;
  return opt;
}

static NlFigure *
plot_raster (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  NlRasterOptions o = { 0 };

  if (!r)
    return NULL;
  base_options (p, &o.base);
  return nl_raster_figure_new (r, &o, error);
}

static NlFigure *
plot_traces (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  NlTracesOptions o = { 0 };
  const char *names[2] = { p->a.trace, NULL };

  if (!r)
    return NULL;
  base_options (p, &o.base);
  o.traces = p->a.trace ? names : NULL;
  return nl_traces_figure_new (r, &o, error);
}

/* The histogram as NetPyNE's plotSpikeHist: one series per population. */
static NlFigure *
plot_spikehist (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree double *edges = NULL, *values = NULL;
  g_autofree const char **labels = NULL;
  NlSpikeAnalysisOptions opt;
  NlSpikeHistOptions o = { 0 };
  JsonArray *starts;
  JsonObject *pops;
  guint n_bins, n_series, s = 0;

  if (!r)
    return NULL;
  opt = spike_options (p, r);
  json = nl_spike_analysis_json (r, "spikehist", &opt, error);
  if (!json)
    return NULL;
  starts = json_object_get_array_member (json_node_get_object (json), "bin_start_ms");
  pops = json_object_get_object_member (json_node_get_object (json), "pops");
  names = json_object_get_members (pops);
  n_bins = json_array_get_length (starts);
  n_series = g_list_length (names);
  if (n_bins == 0 || n_series == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no spikes in the time range to histogram",
                   p->a.input);
      return NULL;
    }
  edges = g_new (double, n_bins + 1);
  for (guint i = 0; i < n_bins; i++)
    edges[i] = json_array_get_double_element (starts, i);
  edges[n_bins] = edges[n_bins - 1] + opt.bin_ms;
  values = g_new (double, (gsize) n_bins * n_series);
  labels = g_new0 (const char *, n_series + 1);
  for (GList *l = names; l; l = l->next, s++)
    {
      JsonArray *v = json_object_get_array_member (pops, l->data);
      labels[s] = l->data;
      for (guint i = 0; i < n_bins; i++)
        values[(gsize) s * n_bins + i] = json_array_get_double_element (v, i);
    }
  base_options (p, &o.base);
  o.ylabel = opt.counts ? "Spikes per bin" : NULL;
  return nl_spikehist_figure_new (edges, n_bins, values, n_series, labels, &o, error);
}

/* Box plots per population of a per-cell statistic (NetPyNE's plotSpikeStats). */
static NlFigure *
plot_spikestats (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  const char *stat = p->statistic ? p->statistic : "rate";
  const char *kind, *member, *ylabel;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GList) cells = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree const double **values = NULL;
  g_autofree gsize *n_values = NULL;
  NlSpikeAnalysisOptions opt;
  NlSpikeStatsOptions o = { 0 };
  JsonObject *cells_obj;

  if (g_str_equal (stat, "rate"))
    kind = "rates", member = "rate_hz", ylabel = "Rate (Hz)";
  else if (g_str_equal (stat, "isicv"))
    kind = "isicv", member = "isicv", ylabel = "ISI CV";
  else if (g_str_equal (stat, "sync"))
    kind = "sync", member = "pairsync", ylabel = "SPIKE-synchrony";
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--statistic: expected rate, isicv or sync, got '%s'", stat);
      return NULL;
    }
  if (!r)
    return NULL;
  opt = spike_options (p, r);
  json = nl_spike_analysis_json (r, kind, &opt, error);
  if (!json)
    return NULL;
  cells_obj = json_object_get_object_member (json_node_get_object (json), "cells");
  cells = json_object_get_members (cells_obj);
  for (GList *l = cells; l; l = l->next)
    {
      JsonObject *c = json_object_get_object_member (cells_obj, l->data);
      const char *pop = json_object_get_string_member (c, "pop");
      JsonNode *v = json_object_get_member (c, member);
      guint g;
      double x;

      if (!v || JSON_NODE_HOLDS_NULL (v))
        continue;
      x = json_node_get_double (v);
      for (g = 0; g < labels->len; g++)
        if (g_str_equal (labels->pdata[g], pop))
          break;
      if (g == labels->len)
        {
          g_ptr_array_add (labels, (gpointer) pop);
          g_ptr_array_add (groups, g_array_new (FALSE, FALSE, sizeof (double)));
        }
      g_array_append_val ((GArray *) groups->pdata[g], x);
    }
  if (groups->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no cell has a defined %s (ISI CV needs cells with more than %u spikes)", p->a.input, stat,
                   opt.isicv_min_spikes);
      return NULL;
    }
  values = g_new (const double *, groups->len);
  n_values = g_new (gsize, groups->len);
  for (guint g = 0; g < groups->len; g++)
    {
      values[g] = (const double *) ((GArray *) groups->pdata[g])->data;
      n_values[g] = ((GArray *) groups->pdata[g])->len;
    }
  g_ptr_array_add (labels, NULL);
  base_options (p, &o.base);
  o.ylabel = ylabel;
  return nl_spikestats_figure_new (values, n_values, groups->len, (const char *const *) labels->pdata, &o, error);
}

static NlFigure *
spectra_figure (Plot *p, GPtrArray *spectra, const char *const *labels, const char *ylabel, GError **error)
{
  NlSpectrum *first = spectra->pdata[0];
  g_autofree double *power = g_new (double, (gsize) spectra->len * first->n);
  NlCurvesOptions o = { 0 };

  for (guint s = 0; s < spectra->len; s++)
    memcpy (power + (gsize) s * first->n, ((NlSpectrum *) spectra->pdata[s])->power, first->n * sizeof (double));
  base_options (p, &o.base);
  o.base.t_start = o.base.t_stop = 0;
  o.ylabel = ylabel;
  return nl_psd_figure_new (first->freqs, first->n, power, spectra->len, labels, &o, FALSE, error);
}

static NlFigure *
plot_ratepsd (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) spectra = NULL;
  NlSpikeAnalysisOptions opt;

  if (!r)
    return NULL;
  opt = spike_options (p, r);
  spectra = nl_analyze_rate_spectra (r, &opt, p->a.nfft, p->a.overlap, names, error);
  if (!spectra)
    return NULL;
  if (spectra->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no population to analyse", p->a.input);
      return NULL;
    }
  g_ptr_array_add (names, NULL);
  return spectra_figure (p, spectra, (const char *const *) names->pdata, "Rate PSD (Hz²/Hz)", error);
}

static NlSignals *
signals (Plot *p, double *fs, GError **error)
{
  return nl_analyze_load_signals (&p->a, fs, error);
}

static NlFigure *
plot_psd (Plot *p, GError **error)
{
  double fs;
  g_autoptr(NlSignals) s = signals (p, &fs, error);
  g_autoptr(GPtrArray) spectra = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_spectrum_free);
  NlSpectralOptions opt;

  if (!s)
    return NULL;
  nl_spectral_options_init_welch (&opt);
  opt.nperseg = opt.nfft = (guint) MAX (p->a.nfft, 1);
  opt.noverlap = (guint) CLAMP (p->a.overlap, 0, p->a.nfft - 1);
  for (guint c = 0; c < s->n_channels; c++)
    {
      NlSpectrum *sp = nl_psd_welch (nl_signals_channel (s, c), s->n_samples, fs, &opt, error);
      if (!sp)
        return NULL;
      g_ptr_array_add (spectra, sp);
    }
  return spectra_figure (p, spectra, (const char *const *) s->names, NULL, error);
}

static NlFigure *
time_freq_figure (Plot *p, NlTimeFreq *tf, GError **error)
{
  NlSpectrogramOptions o = { 0 };

  base_options (p, &o.base);
  return nl_spectrogram_figure_new (tf->power, tf->n_freqs, tf->n_times, tf->times[0], tf->times[tf->n_times - 1],
                                    tf->freqs[0], tf->freqs[tf->n_freqs - 1], &o, error);
}

static NlFigure *
plot_spectrogram (Plot *p, GError **error)
{
  double fs;
  g_autoptr(NlSignals) s = signals (p, &fs, error);
  g_autoptr(NlTimeFreq) tf = NULL;

  if (!s)
    return NULL;
  if (g_str_equal (p->a.kind, "morlet") || (p->a.method && g_str_equal (p->a.method, "morlet")))
    {
      g_autofree double *freqs = NULL;
      NlMorletOptions mo;
      gsize n;

      freqs = nl_morlet_freqs (isnan (p->a.fmin) ? 1 : p->a.fmin, isnan (p->a.fmax) ? MIN (100, fs / 2) : p->a.fmax,
                               isnan (p->a.fstep) ? 1 : p->a.fstep, &n, error);
      if (!freqs)
        return NULL;
      nl_morlet_options_init (&mo);
      tf = nl_morlet_tfr (nl_signals_channel (s, 0), s->n_samples, fs, freqs, n, &mo, error);
    }
  else
    tf = nl_spectrogram (nl_signals_channel (s, 0), s->n_samples, fs, NULL, error);
  if (!tf)
    return NULL;
  return time_freq_figure (p, tf, error);
}

static NlFigure *
plot_csd (Plot *p, GError **error)
{
  double fs;
  g_autoptr(NlSignals) s = signals (p, &fs, error);
  g_autofree double *lfp = NULL, *out = NULL, *img = NULL;
  NlCsdOptions opt;
  NlSpectrogramOptions o = { 0 };
  guint n_out;

  if (!s)
    return NULL;
  lfp = g_new (double, (gsize) s->n_samples * s->n_channels);
  for (guint64 i = 0; i < s->n_samples; i++)
    for (guint c = 0; c < s->n_channels; c++)
      lfp[i * s->n_channels + c] = nl_signals_channel (s, c)[i];
  nl_csd_options_init (&opt);
  opt.filter = !p->a.no_filter;
  opt.vaknin = !p->a.no_vaknin;
  opt.spacing_um = p->a.spacing;
  out = nl_csd (lfp, s->n_samples, s->n_channels, fs, &opt, &n_out, error);
  if (!out)
    return NULL;
  /* Channels down the y axis (depth), time along x. */
  img = g_new (double, (gsize) n_out * s->n_samples);
  for (guint c = 0; c < n_out; c++)
    for (guint64 i = 0; i < s->n_samples; i++)
      img[(gsize) c * s->n_samples + i] = out[i * n_out + c];
  base_options (p, &o.base);
  o.ylabel = "Depth (µm)";
  o.value_label = "CSD (mV/mm²)";
  o.colormap = NL_COLORMAP_DIVERGING;
  o.y_inverted = TRUE;
  return nl_spectrogram_figure_new (img, n_out, s->n_samples, 0, (s->n_samples - 1) * 1000.0 / fs,
                                    opt.vaknin ? 0 : opt.spacing_um,
                                    (opt.vaknin ? n_out - 1 : n_out) * opt.spacing_um, &o, error);
}

static NlFigure *
plot_granger (Plot *p, GError **error)
{
  g_autoptr(NlGranger) g = NULL;
  g_autofree double *x = NULL, *y = NULL, *values = NULL;
  g_autofree char *l0 = NULL, *l1 = NULL;
  NlGrangerOptions opt;
  NlCurvesOptions o = { 0 };
  gsize n;
  double fs;
  const char *labels[5];

  nl_granger_options_init (&opt);
  if (p->a.order > 0)
    opt.order = p->a.order;
  opt.demean = !p->a.no_demean;
  if (p->a.pops)
    {
      g_auto(GStrv) pops = g_strsplit (p->a.pops, ",", -1);
      g_autoptr(NlResults) r = results (p, error);

      if (g_strv_length (pops) != 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--pops: expected two populations A,B");
          return NULL;
        }
      if (!r || !nl_granger_bin_pops (r, pops[0], pops[1], 0, NAN, p->a.bin > 0 ? p->a.bin : 5, &x, &y, &n, &fs,
                                      error))
        return NULL;
      l0 = g_strdup_printf ("%s → %s", pops[0], pops[1]);
      l1 = g_strdup_printf ("%s → %s", pops[1], pops[0]);
      g = nl_granger_compute (x, y, n, fs, &opt, error);
    }
  else
    {
      g_autoptr(NlSignals) s = signals (p, &fs, error);
      if (!s)
        return NULL;
      if (s->n_channels < 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: Granger causality needs two channels",
                       p->a.input);
          return NULL;
        }
      l0 = g_strdup_printf ("%s → %s", s->names[0], s->names[1]);
      l1 = g_strdup_printf ("%s → %s", s->names[1], s->names[0]);
      g = nl_granger_compute (nl_signals_channel (s, 0), nl_signals_channel (s, 1), s->n_samples, fs, &opt, error);
    }
  if (!g)
    return NULL;
  values = g_new (double, 4 * (gsize) g->n_freqs);
  memcpy (values, g->x2y, g->n_freqs * sizeof (double));
  memcpy (values + g->n_freqs, g->y2x, g->n_freqs * sizeof (double));
  memcpy (values + 2 * g->n_freqs, g->inst, g->n_freqs * sizeof (double));
  memcpy (values + 3 * g->n_freqs, g->coherence, g->n_freqs * sizeof (double));
  labels[0] = l0;
  labels[1] = l1;
  labels[2] = "Instantaneous";
  labels[3] = "Coherence";
  labels[4] = NULL;
  base_options (p, &o.base);
  o.base.t_start = o.base.t_stop = 0;
  return nl_granger_figure_new (g->freq, g->n_freqs, values, 4, labels, &o, error);
}

/* nTE between every ordered pair of populations: row source, column target. */
static NlFigure *
plot_nte (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  g_autofree double *m = NULL;
  g_autoptr(GPtrArray) times = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  NlMatrixOptions o = { 0 };
  guint n;
  double t_stop;

  if (!r)
    return NULL;
  n = nl_results_get_n_pops (r);
  if (n < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: nTE between populations needs two or more",
                   p->a.input);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (times, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (labels, (gpointer) nl_results_get_pop_name (r, i));
    }
  g_ptr_array_add (labels, NULL);
  for (guint64 i = 0; i < nl_results_get_n_spikes (r); i++)
    {
      int pop = nl_results_find_pop_of_gid (r, nl_results_get_spike_gids (r)[i]);
      if (pop >= 0)
        g_array_append_val ((GArray *) times->pdata[pop], nl_results_get_spike_times (r)[i]);
    }
  t_stop = isfinite (nl_results_get_duration (r)) ? nl_results_get_duration (r) : NAN;
  m = g_new0 (double, (gsize) n * n);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        GArray *a = times->pdata[i], *b = times->pdata[j];
        g_autoptr(NlNte) te = NULL;
        if (i == j)
          continue;
        te = nl_nte_from_spikes ((double *) a->data, a->len, (double *) b->data, b->len, 0, t_stop,
                                 p->a.bin > 0 ? p->a.bin : 20, (guint) MAX (p->a.shuffles, 0), (guint32) p->a.seed,
                                 error);
        if (!te)
          return NULL;
        m[(gsize) i * n + j] = te->nte;
      }
  base_options (p, &o.base);
  o.base.t_start = o.base.t_stop = 0;
  return nl_nte_figure_new (m, n, (const char *const *) labels->pdata, &o, error);
}

static NlNetwork *
network (Plot *p, GError **error)
{
  if (p->network)
    return nl_network_ref (p->network);
  char *files[] = { (char *) p->a.input, NULL };
  NlBuildOptions bopt = { 0 };
  g_autoptr(NlSpec) spec = NULL;
  int status;
  NlNetwork *net = nl_cli_build_model (files, 1, &bopt, "plot", &spec, &status);

  if (!net)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a model that builds (see above)", p->a.input);
  return net;
}

static NlFigure *
plot_conn (Plot *p, GError **error)
{
  g_autoptr(NlNetwork) net = network (p, error);
  g_autoptr(NlConnMatrix) m = NULL;
  NlConnMatrixOptions opt = { 0 };
  NlMatrixOptions o = { 0 };
  g_autofree char *label = NULL;

  if (!net)
    return NULL;
  opt.group_by = p->a.group_by && g_str_equal (p->a.group_by, "cell") ? NL_CONN_GROUP_CELL : NL_CONN_GROUP_POP;
  opt.feature = NL_CONN_STRENGTH;
  if (p->a.feature && !nl_conn_feature_from_name (p->a.feature, &opt.feature, error))
    return NULL;
  m = nl_conn_matrix_new (net, &opt, error);
  if (!m)
    return NULL;
  base_options (p, &o.base);
  o.base.pops = NULL;
  o.base.gids = NULL;
  o.base.n_gids = 0;
  label = g_strdup (nl_conn_feature_name (opt.feature));
  o.value_label = label;
  return nl_conn_figure_new (m->values, m->n_pre, m->n_post, (const char *const *) m->pre_labels,
                             (const char *const *) m->post_labels, &o, error);
}

static NlFigure *
plot_net2d (Plot *p, GError **error)
{
  g_autoptr(NlNetwork) net = network (p, error);
  NlNet2dOptions o = { 0 };

  if (!net)
    return NULL;
  base_options (p, &o.base);
  if (p->projection)
    {
      if (g_str_equal (p->projection, "xz"))
        o.x_coord = NL_COORD_X, o.y_coord = NL_COORD_Z;
      else if (g_str_equal (p->projection, "zy"))
        o.x_coord = NL_COORD_Z, o.y_coord = NL_COORD_Y;
      else if (!g_str_equal (p->projection, "xy"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--projection: expected xy, xz or zy, got '%s'",
                       p->projection);
          return NULL;
        }
      else
        o.x_coord = NL_COORD_X, o.y_coord = NL_COORD_Y;
    }
  return nl_net2d_figure_new (net, &o, error);
}

/* Cell morphologies of a model's network (--include chooses cells or populations). */
static NlFigure *
plot_shape (Plot *p, GError **error)
{
  char *files[] = { (char *) p->a.input, NULL };
  NlBuildOptions bopt = { 0 };
  g_autoptr(NlSpec) spec = NULL;
  NlShapeOptions o = { 0 };
  int status;

  if (p->color_by && !g_str_equal (p->color_by, "population") && !g_str_equal (p->color_by, "synapses"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--color-by: expected population or synapses, got '%s'", p->color_by);
      return NULL;
    }
  g_autoptr(NlNetwork) net = nl_cli_build_model (files, 1, &bopt, "plot", &spec, &status);
  if (!net)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a model that builds (see above)", p->a.input);
      return NULL;
    }
  base_options (p, &o.base);
  o.azimuth = p->azimuth;
  o.elevation = p->elevation;
  o.color_by = p->color_by && g_str_equal (p->color_by, "synapses") ? NL_SHAPE_COLOR_SYNAPSES : NL_SHAPE_COLOR_POPULATION;
  return nl_shape_figure_new_for_network (spec, net, &o, error);
}

/* NetPyNE's plotLFP: time series, PSD, spectrogram and electrode locations (--method picks
 * one part: timeseries, psd, spectrogram, locations). */
static NlFigure *
plot_lfp (Plot *p, GError **error)
{
  g_autoptr(NlResults) r = results (p, error);
  NlLfpFigureOptions o = { 0 };

  if (!r)
    return NULL;
  base_options (p, &o.base);
  o.base.pops = NULL;
  o.base.gids = NULL;
  o.base.n_gids = 0;
  if (p->a.method)
    {
      o.parts = nl_lfp_show_from_name (p->a.method);
      if (!o.parts)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--method: expected timeseries, psd, spectrogram, locations or all, got '%s'", p->a.method);
          return NULL;
        }
    }
  if (!isnan (p->a.fmax))
    o.max_freq = p->a.fmax;
  return nl_lfp_figure_new (r, p->network, &o, error);
}

static const struct {
  const char *name;
  PlotFunc    func;
  const char *summary;
} kinds[] = {
  { "lfp", plot_lfp, "LFP: time series, PSD, spectrogram, electrodes (--method one part, --fmax)" },
  { "raster", plot_raster, "spike raster, one colour per population, rates in the legend" },
  { "spikehist", plot_spikehist, "spike-time histogram per population (--bin)" },
  { "traces", plot_traces, "recorded traces (--trace NAME)" },
  { "spikestats", plot_spikestats, "box plots of a per-cell statistic per population (--statistic rate|isicv|sync)" },
  { "ratepsd", plot_ratepsd, "PSD of each population's rate" },
  { "psd", plot_psd, "Welch PSD of signals (LFP or a signal CSV)" },
  { "spectrogram", plot_spectrogram, "spectrogram of the first channel (--method fft|morlet)" },
  { "morlet", plot_spectrogram, "Morlet time-frequency power of the first channel" },
  { "csd", plot_csd, "current source density of a laminar LFP" },
  { "granger", plot_granger, "spectral Granger causality (two channels or --pops A,B)" },
  { "nte", plot_nte, "normalised transfer entropy between every pair of populations" },
  { "conn", plot_conn, "connectivity matrix as a heat map (--feature, --group-by)" },
  { "net2d", plot_net2d, "cell positions and connections (--projection xy|xz|zy)" },
  { "shape", plot_shape, "cell morphologies (--azimuth, --elevation, --color-by population|synapses)" },
};

static gboolean
parse_size (const char *text, guint *w, guint *h)
{
  guint64 a, b;
  g_auto(GStrv) parts = g_strsplit_set (text, "xX", -1);

  if (g_strv_length (parts) != 2 || !g_ascii_string_to_unsigned (parts[0], 10, 50, 16384, &a, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 50, 16384, &b, NULL))
    return FALSE;
  *w = (guint) a;
  *h = (guint) b;
  return TRUE;
}

int
nl_cmd_plot (int argc, char **argv)
{
  Plot p = { 0 };
  g_auto(GStrv) rest = NULL;
  g_autofree char *size = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  PlotFunc func = NULL;
  int status = NL_EXIT_OK;

  nl_analyze_args_init (&p.a);
  const GOptionEntry main_entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &p.a.output, "The figure: FILE.png, FILE.svg or FILE.pdf (required)", "FILE" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Figure size in pixels at 100 dpi (default 900x600)", "WxH" },
    { "statistic", 0, 0, G_OPTION_ARG_STRING, &p.statistic, "spikestats: rate (default), isicv or sync", "S" },
    { "projection", 0, 0, G_OPTION_ARG_STRING, &p.projection, "net2d: xy (default), xz or zy", "P" },
    { "azimuth", 0, 0, G_OPTION_ARG_DOUBLE, &p.azimuth, "shape: turn the view about the y axis (degrees, default 0)", "DEG" },
    { "elevation", 0, 0, G_OPTION_ARG_DOUBLE, &p.elevation, "shape: then tilt it about the horizontal (degrees, default 0)", "DEG" },
    { "color-by", 0, 0, G_OPTION_ARG_STRING, &p.color_by, "shape: population (default) or synapses (per segment)", "C" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("KIND INPUT -o FILE — draw a figure");
  g_autoptr(GString) summary = g_string_new (
    "Draws the figure of a workbench panel without a display, as PNG, SVG or PDF (by the\n"
    "extension of -o; written atomically). INPUT as for `netloom analyze`; conn, net2d and shape take a\n"
    "model. Exit status: 0 written, 1 invalid input, 2 usage, 3 write failure.\n\n");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (summary, "  %-12s %s\n", kinds[i].name, kinds[i].summary);
  g_option_context_set_summary (ctx, summary->str);
  g_option_context_add_main_entries (ctx, main_entries, NULL);
  nl_analyze_add_options (ctx, &p.a);
  p.pops = g_ptr_array_new ();
  p.gids = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (!nl_cli_parse (ctx, &argc, &argv))
    status = NL_EXIT_USAGE;
  else if (!rest || g_strv_length (rest) != 2 || !p.a.output)
    {
      g_printerr ("netloom plot: give a KIND, an INPUT file and -o FILE.png|svg|pdf\nTry 'netloom plot --help'.\n");
      status = NL_EXIT_USAGE;
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (g_str_equal (rest[0], kinds[i].name))
          func = kinds[i].func;
      p.a.kind = rest[0];
      p.a.input = rest[1];
      if (!func)
        {
          g_printerr ("netloom plot: unknown kind '%s'; one of:\n", rest[0]);
          for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
            g_printerr ("  %-12s %s\n", kinds[i].name, kinds[i].summary);
          status = NL_EXIT_USAGE;
        }
      else if (size && !parse_size (size, &p.width, &p.height))
        {
          g_printerr ("netloom plot: --size: expected WxH in pixels (50 to 16384), got '%s'\n", size);
          status = NL_EXIT_USAGE;
        }
      else
        {
          NlFigureFormat format;
          if (!nl_figure_format_from_path (p.a.output, &format, &error))
            {
              g_printerr ("netloom plot: %s\n", error->message);
              status = NL_EXIT_USAGE;
            }
        }
    }
  if (status == NL_EXIT_OK)
    status = nl_analyze_check_args (&p.a);
  if (status == NL_EXIT_OK)
    {
      for (guint i = 0; p.a.include && p.a.include[i]; i++)
        {
          const char *item = g_strstrip (p.a.include[i]);
          guint64 gid;
          if (g_ascii_string_to_unsigned (item, 10, 0, G_MAXUINT32, &gid, NULL))
            {
              guint32 g = (guint32) gid;
              g_array_append_val (p.gids, g);
            }
          else if (*item)
            g_ptr_array_add (p.pops, (gpointer) item);
        }
      g_ptr_array_add (p.pops, NULL);
      fig = func (&p, &error);
      if (!fig)
        {
          g_printerr ("netloom plot %s: %s\n", p.a.kind, error ? error->message : "no figure");
          status = NL_EXIT_INVALID;
        }
      else if (!nl_figure_save (fig, p.a.output, &error))
        {
          g_printerr ("netloom plot %s: %s\n", p.a.kind, error->message);
          status = NL_EXIT_RUNTIME;
        }
    }
  g_ptr_array_unref (p.pops);
  g_array_unref (p.gids);
  g_free (p.statistic);
  g_free (p.projection);
  g_free (p.color_by);
  nl_analyze_args_clear (&p.a);
  return status;
}

/* simConfig.analysis in `netloom run` ------------------------------------------------------- */

static const struct {
  const char *key;      /* NetPyNE's analysis function */
  PlotFunc    func;
  const char *desc;     /* NetPyNE's file name suffix */
} analyses[] = {
  { "plotRaster", plot_raster, "raster" },
  { "plotSpikeHist", plot_spikehist, "spikeHist" },
  { "plotTraces", plot_traces, "traces" },
  { "plotSpikeStats", plot_spikestats, "spikeStats" },
  { "plotRatePSD", plot_ratepsd, "ratePSD" },
  { "plot2Dnet", plot_net2d, "2Dnet" },
  { "plotConn", plot_conn, "conn" },
  { "plotLFP", plot_lfp, "LFP" },
  { "granger", plot_granger, "granger" },
  { "plotGranger", plot_granger, "granger" },
  { "nTE", plot_nte, "nTE" },
  { "plotNTE", plot_nte, "nTE" },
};

static const char *
opt_string (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static gboolean
opt_number (JsonObject *o, const char *key, double *v)
{
  JsonNode *n = json_object_get_member (o, key);
  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) == G_TYPE_STRING
      || json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return FALSE;
  *v = json_node_get_double (n);
  return TRUE;
}

/* NetPyNE's include: 'all', population names, gids ((pop, index) pairs are not mapped). */
static void
opt_include (Plot *p, JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  JsonArray *arr;

  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  arr = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *e = json_array_get_element (arr, i);
      if (!JSON_NODE_HOLDS_VALUE (e))
        continue;
      if (json_node_get_value_type (e) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (e);
          if (!g_str_equal (s, "all") && !g_str_equal (s, "allCells") && !g_str_equal (s, "allNetStims"))
            g_ptr_array_add (p->pops, (gpointer) s);
        }
      else if (json_node_get_value_type (e) != G_TYPE_BOOLEAN)
        {
          guint32 g = (guint32) json_node_get_int (e);
          g_array_append_val (p->gids, g);
        }
    }
}

gboolean
nl_plot_run_analysis (NlSpec *spec, NlNetwork *net, NlResults *res, GPtrArray *written, GError **error)
{
  JsonNode *analysis = nl_spec_lookup (spec, "simConfig.analysis");
  JsonNode *fname = nl_spec_lookup (spec, "simConfig.filename");
  const char *filename = fname && JSON_NODE_HOLDS_VALUE (fname) && json_node_get_value_type (fname) == G_TYPE_STRING
                         ? json_node_get_string (fname) : "model_output";
  JsonObject *ao;

  if (!analysis || !JSON_NODE_HOLDS_OBJECT (analysis))
    return TRUE;
  ao = json_node_get_object (analysis);
  for (guint k = 0; k < G_N_ELEMENTS (analyses); k++)
    {
      JsonNode *node = json_object_get_member (ao, analyses[k].key);
      JsonObject *o;
      JsonNode *save;
      Plot p = { 0 };
      g_autoptr(NlFigure) fig = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GError) local = NULL;
      double v, range[2];

      if (!node || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      save = json_object_get_member (o, "saveFig");
      /* NetPyNE writes a figure only when saveFig says so: true, or a file name. */
      if (!save || !JSON_NODE_HOLDS_VALUE (save)
          || (json_node_get_value_type (save) == G_TYPE_BOOLEAN && !json_node_get_boolean (save)))
        continue;
      if (json_node_get_value_type (save) == G_TYPE_STRING && strchr (json_node_get_string (save), '.'))
        path = g_strdup (json_node_get_string (save));
      else if (json_node_get_value_type (save) == G_TYPE_STRING)
        path = g_strdup_printf ("%s.png", json_node_get_string (save));
      else
        path = g_strdup_printf ("%s_%s.png", filename, analyses[k].desc);

      nl_analyze_args_init (&p.a);
      p.a.kind = analyses[k].key;
      p.a.input = "the run";
      p.results = res;
      p.network = net;
      p.pops = g_ptr_array_new ();
      p.gids = g_array_new (FALSE, FALSE, sizeof (guint32));
      opt_include (&p, o, "include");
      g_ptr_array_add (p.pops, NULL);
      if (json_object_has_member (o, "timeRange") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "timeRange")))
        {
          JsonArray *tr = json_object_get_array_member (o, "timeRange");
          if (json_array_get_length (tr) == 2)
            {
              range[0] = json_array_get_double_element (tr, 0);
              range[1] = json_array_get_double_element (tr, 1);
              if (range[0] < range[1])
                p.a.t0 = range[0], p.a.t1 = range[1];
            }
        }
      if (opt_number (o, "binSize", &v) && v > 0)
        p.a.bin = v;
      if (json_object_has_member (o, "figSize") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "figSize")))
        {
          JsonArray *fs = json_object_get_array_member (o, "figSize");
          if (json_array_get_length (fs) == 2)
            {
              p.width = (guint) CLAMP (json_array_get_double_element (fs, 0) * 100, 200, 8000);
              p.height = (guint) CLAMP (json_array_get_double_element (fs, 1) * 100, 150, 8000);
            }
        }
      if (opt_string (o, "feature"))
        p.a.feature = g_strdup (opt_string (o, "feature"));
      if (opt_string (o, "groupBy"))
        p.a.group_by = g_strdup (opt_string (o, "groupBy"));
      if (opt_string (o, "stats"))
        p.statistic = g_strdup (opt_string (o, "stats"));
      if (json_object_has_member (o, "cells1") || json_object_has_member (o, "cells2"))
        {
          const char *c1 = NULL, *c2 = NULL;
          JsonNode *n1 = json_object_get_member (o, "cells1"), *n2 = json_object_get_member (o, "cells2");
          if (n1 && JSON_NODE_HOLDS_ARRAY (n1) && json_array_get_length (json_node_get_array (n1)) > 0)
            c1 = json_array_get_string_element (json_node_get_array (n1), 0);
          if (n2 && JSON_NODE_HOLDS_ARRAY (n2) && json_array_get_length (json_node_get_array (n2)) > 0)
            c2 = json_array_get_string_element (json_node_get_array (n2), 0);
          if (c1 && c2)
            p.a.pops = g_strdup_printf ("%s,%s", c1, c2);
        }
      if (analyses[k].func == plot_granger && !p.a.pops && nl_results_get_n_pops (res) >= 2)
        p.a.pops = g_strdup_printf ("%s,%s", nl_results_get_pop_name (res, 0), nl_results_get_pop_name (res, 1));

      fig = analyses[k].func (&p, &local);
      if (fig)
        {
          g_autofree char *dir = g_path_get_dirname (path);
          g_mkdir_with_parents (dir, 0755);
          if (nl_figure_save (fig, path, &local))
            g_ptr_array_add (written, g_strdup (path));
        }
      if (local)
        g_printerr ("warning: simConfig.analysis.%s: %s\n", analyses[k].key, local->message);
      g_ptr_array_unref (p.pops);
      g_array_unref (p.gids);
      g_free (p.statistic);
      g_free (p.projection);
      nl_analyze_args_clear (&p.a);
    }
  return TRUE;
}
