/* nl-spikehist-panel.c — the spike histogram panel: each population's rate (or count) per bin,
 * computed off the main thread by core/analysis and drawn by the same figure as `netloom plot
 * spikehist`. The bin size is a control; changing it computes again. */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <nl-figure-panel.h>
#include <nl-spikehist-figure.h>
#include <nl-spikestats.h>

#define NL_TYPE_SPIKEHIST_PANEL (nl_spikehist_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlSpikehistPanel, nl_spikehist_panel, NL, SPIKEHIST_PANEL, NlFigurePanel)

struct _NlSpikehistPanel {
  NlFigurePanel  parent_instance;
  GtkSpinButton *bin;
  double         bin_ms;      /* read by the worker: copied at the start of each computation */
};

G_DEFINE_FINAL_TYPE (NlSpikehistPanel, nl_spikehist_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  guint    n_bins, n_series;
  double  *edges;     /* n_bins + 1 */
  double  *values;    /* n_series × n_bins */
  char   **labels;
} Hist;

static void
hist_free (gpointer p)
{
  Hist *h = p;
  g_free (h->edges);
  g_free (h->values);
  g_strfreev (h->labels);
  g_free (h);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlSpikehistPanel *self = NL_SPIKEHIST_PANEL (panel);
  NlSpikeAnalysisOptions opt;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *o, *pops;
  JsonArray *starts;
  g_autoptr(GList) names = NULL;
  Hist *h;
  guint s = 0;

  nl_spike_analysis_options_init (&opt);
  opt.bin_ms = self->bin_ms;
  json = nl_spike_analysis_json (in->results, "spikehist", &opt, error);
  if (!json)
    return NULL;
  o = json_node_get_object (json);
  starts = json_object_get_array_member (o, "bin_start_ms");
  pops = json_object_get_object_member (o, "pops");
  names = json_object_get_members (pops);
  h = g_new0 (Hist, 1);
  h->n_bins = json_array_get_length (starts);
  h->n_series = g_list_length (names);
  if (h->n_bins == 0 || h->n_series == 0)
    {
      hist_free (h);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("No spikes to count"));
      return NULL;
    }
  h->edges = g_new (double, h->n_bins + 1);
  for (guint i = 0; i < h->n_bins; i++)
    h->edges[i] = json_array_get_double_element (starts, i);
  h->edges[h->n_bins] = h->edges[h->n_bins - 1] + opt.bin_ms;
  h->values = g_new (double, (gsize) h->n_series * h->n_bins);
  h->labels = g_new0 (char *, h->n_series + 1);
  for (GList *l = names; l; l = l->next, s++)
    {
      JsonArray *v = json_object_get_array_member (pops, l->data);
      h->labels[s] = g_strdup (l->data);
      for (guint i = 0; i < h->n_bins; i++)
        h->values[(gsize) s * h->n_bins + i] = json_array_get_double_element (v, i);
    }
  return h;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Hist *h = data;
  NlSpikeHistOptions o = { 0 };

  o.base.width = width;
  o.base.height = height;
  return nl_spikehist_figure_new (h->edges, h->n_bins, h->values, h->n_series, (const char *const *) h->labels,
                                  &o, error);
}

static void
bin_changed (GtkSpinButton *spin, NlSpikehistPanel *self)
{
  self->bin_ms = gtk_spin_button_get_value (spin);
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
nl_spikehist_panel_class_init (NlSpikehistPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  fc->title = _("Spike Histogram");
  fc->icon_name = "view-continuous-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = hist_free;
  fc->build_figure = build_figure;
}

static void
nl_spikehist_panel_init (NlSpikehistPanel *self)
{
  GtkBox *bar = nl_figure_panel_get_toolbar (NL_FIGURE_PANEL (self));

  self->bin_ms = 5;
  gtk_box_append (bar, gtk_label_new (_("Bin (ms)")));
  self->bin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.1, 1000, 1));
  gtk_spin_button_set_digits (self->bin, 1);
  gtk_spin_button_set_value (self->bin, 5);
  g_signal_connect (self->bin, "value-changed", G_CALLBACK (bin_changed), self);
  gtk_box_append (bar, GTK_WIDGET (self->bin));
}

NL_PANEL_MODULE (nl_spikehist_panel, NL_TYPE_SPIKEHIST_PANEL, "spikehist", 20)
