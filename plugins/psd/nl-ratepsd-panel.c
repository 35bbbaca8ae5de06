/* nl-ratepsd-panel.c — the rate PSD panel: the power spectrum of each population's firing
 * rate, as NetPyNE's plotRatePSD with transformMethod 'fft': the population's spike-time
 * histogram in bins of `bin` ms (rate per cell, Hz) is a signal sampled at 1000/bin Hz, whose
 * Welch PSD (256-sample Hann segments overlapping by 128, no detrending: matplotlib's mlab.psd
 * as NetPyNE calls it) is drawn for 1 Hz < f < 100 Hz (NetPyNE's minFreq and maxFreq) on a log
 * power axis. Histogram and spectrum come from core/analysis, computed off the main thread.
 *
 * Action (prefix "panel."): "bin" (d, ms; default 5). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <nl-figure-panel.h>
#include <nl-psd-figure.h>
#include <nl-spectral.h>
#include <nl-spikestats.h>

#define NL_TYPE_RATEPSD_PANEL (nl_ratepsd_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlRatepsdPanel, nl_ratepsd_panel, NL, RATEPSD_PANEL, NlFigurePanel)

/* NetPyNE's plotRatePSD defaults. */
#define MIN_FREQ_HZ 1.0
#define MAX_FREQ_HZ 100.0
#define MIN_BIN_MS  0.1
#define MAX_BIN_MS  250.0   /* a Nyquist frequency above MIN_FREQ_HZ */
#define ROUNDING    1e-15   /* power below this fraction of the peak is rounding noise */

struct _NlRatepsdPanel {
  NlFigurePanel  parent_instance;
  GtkSpinButton *bin;
  GMutex         lock;
  double         bin_ms;      /* under `lock`: the worker reads it */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (NlRatepsdPanel, nl_ratepsd_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  double   bin_ms;
  gsize    n;          /* frequencies shown */
  double  *freqs;
  guint    n_series;
  double  *power;      /* n_series × n */
  char   **labels;
} RatePsd;

static void
ratepsd_free (gpointer p)
{
  RatePsd *d = p;
  g_free (d->freqs);
  g_free (d->power);
  g_strfreev (d->labels);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RatePsd, ratepsd_free)

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlRatepsdPanel *self = NL_RATEPSD_PANEL (panel);
  NlSpikeAnalysisOptions opt;
  NlSpectralOptions welch;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GList) names = NULL;
  g_autofree double *x = NULL;
  g_autoptr(RatePsd) d = NULL;
  JsonObject *o, *pops;
  gsize first = 0, n_bins;
  double fs, max_power = 0;
  guint s = 0;

  if (nl_results_get_n_spikes (in->results) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("These results have no spikes: there is no firing rate to analyse"));
      return NULL;
    }
  nl_spike_analysis_options_init (&opt);
  g_mutex_lock (&self->lock);
  opt.bin_ms = self->bin_ms;
  g_mutex_unlock (&self->lock);
  json = nl_spike_analysis_json (in->results, "spikehist", &opt, error);
  if (!json)
    return NULL;
  o = json_node_get_object (json);
  pops = json_object_get_object_member (o, "pops");
  names = pops ? json_object_get_members (pops) : NULL;
  n_bins = json_array_get_length (json_object_get_array_member (o, "bin_start_ms"));
  if (!names)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("These results have no population to show"));
      return NULL;
    }
  if (n_bins < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The run is too short for bins of %g ms: choose a smaller bin"), opt.bin_ms);
      return NULL;
    }

  fs = 1000.0 / opt.bin_ms;
  nl_spectral_options_init_welch (&welch);
  d = g_new0 (RatePsd, 1);
  d->bin_ms = opt.bin_ms;
  d->n_series = g_list_length (names);
  d->labels = g_new0 (char *, d->n_series + 1);
  x = g_new (double, n_bins);
  for (GList *l = names; l; l = l->next, s++)
    {
      JsonArray *v = json_object_get_array_member (pops, l->data);
      g_autoptr(NlSpectrum) spec = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      for (gsize i = 0; i < n_bins; i++)
        x[i] = json_array_get_double_element (v, i);
      spec = nl_psd_welch (x, n_bins, fs, &welch, error);
      if (!spec)
        return NULL;
      if (!d->freqs)
        {
          /* NetPyNE shows minFreq < f < maxFreq. */
          while (first < spec->n && !(spec->freqs[first] > MIN_FREQ_HZ))
            first++;
          while (first + d->n < spec->n && spec->freqs[first + d->n] < MAX_FREQ_HZ)
            d->n++;
          if (d->n == 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Bins of %g ms resolve no frequency between %g and %g Hz: choose a smaller bin"),
                           opt.bin_ms, MIN_FREQ_HZ, MAX_FREQ_HZ);
              return NULL;
            }
          d->freqs = g_memdup2 (spec->freqs + first, d->n * sizeof (double));
          d->power = g_new (double, d->n * d->n_series);
        }
      memcpy (d->power + s * d->n, spec->power + first, d->n * sizeof (double));
      for (gsize i = 0; i < d->n; i++)
        max_power = MAX (max_power, d->power[s * d->n + i]);
      d->labels[s] = g_strdup (l->data);
    }
  if (!(max_power > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("The rates do not vary (no spikes in the run?): their spectrum has no power to show"));
      return NULL;
    }
  return g_steal_pointer (&d);
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  RatePsd *d = data;
  NlCurvesOptions o = { 0 };
  NlFigure *fig;
  double hi = 0, lo = INFINITY;
  gboolean rounding = FALSE;

  o.base.width = width;
  o.base.height = height;
  o.ylabel = _("Power of the rate per cell (Hz²/Hz)");
  o.x_min = 0;
  o.x_max = MIN (MAX_FREQ_HZ, 500.0 / d->bin_ms);
  fig = nl_psd_figure_new (d->freqs, d->n, d->power, d->n_series, (const char *const *) d->labels, &o, FALSE, error);
  if (!fig)
    return NULL;
  /* Power that is zero but for rounding (the Nyquist bin of a sampled sinusoid, ~1e-28)
   * would stretch the log axis over decades that mean nothing and flatten every peak: the
   * axis starts at the smallest power above the rounding level. */
  for (gsize i = 0; i < d->n * d->n_series; i++)
    hi = MAX (hi, d->power[i]);
  for (gsize i = 0; i < d->n * d->n_series; i++)
    if (d->power[i] > 0 && d->power[i] < hi * ROUNDING)
      rounding = TRUE;
    else if (d->power[i] > 0)
      lo = MIN (lo, d->power[i]);
  if (rounding && isfinite (lo))
    nl_axes_set_ylim (nl_figure_get_axes (fig, 0), lo / 2, NAN);
  return fig;
}

/* Options ------------------------------------------------------------------------------------ */

static void
bin_change_state (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlRatepsdPanel *self = user_data;
  double bin = g_variant_get_double (value);

  if (!(bin >= MIN_BIN_MS && bin <= MAX_BIN_MS))
    {
      g_warning ("rate PSD panel: bin of %g ms out of range (%g … %g)", bin, MIN_BIN_MS, MAX_BIN_MS);
      return;
    }
  g_mutex_lock (&self->lock);
  if (bin == self->bin_ms)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->bin_ms = bin;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (a, value);
  self->syncing = TRUE;
  gtk_spin_button_set_value (self->bin, bin);
  self->syncing = FALSE;
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
bin_edited (GtkSpinButton *spin, NlRatepsdPanel *self)
{
  if (self->syncing)
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), "bin",
                                      g_variant_new_double (gtk_spin_button_get_value (spin)));
}

/* Object ------------------------------------------------------------------------------------- */

static void
nl_ratepsd_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_RATEPSD_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_ratepsd_panel_parent_class)->finalize (object);
}

static void
nl_ratepsd_panel_class_init (NlRatepsdPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_ratepsd_panel_finalize;
  fc->title = _("Rate Spectrum");
  fc->icon_name = "media-eq-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = ratepsd_free;
  fc->build_figure = build_figure;
}

static void
nl_ratepsd_panel_init (NlRatepsdPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));
  const GActionEntry entries[] = {
    { "bin", NULL, "d", "5.0", bin_change_state, { 0 } },
  };
  GtkWidget *label;

  g_mutex_init (&self->lock);
  self->bin_ms = 5;
  g_action_map_add_action_entries (G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self))), entries,
                                   G_N_ELEMENTS (entries), self);
  self->bin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (MIN_BIN_MS, MAX_BIN_MS, 1));
  gtk_spin_button_set_digits (self->bin, 1);
  gtk_spin_button_set_value (self->bin, 5);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bin),
                               _("The rate is counted in bins of this width; the spectrum reaches half the "
                                 "sampling rate, 500 / bin Hz"));
  label = gtk_label_new_with_mnemonic (_("_Bin (ms)"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->bin));
  gtk_box_append (bar, label);
  gtk_box_append (bar, GTK_WIDGET (self->bin));
  g_signal_connect (self->bin, "value-changed", G_CALLBACK (bin_edited), self);
}

NL_PANEL_MODULE (nl_ratepsd_panel, NL_TYPE_RATEPSD_PANEL, "ratepsd", 22)
