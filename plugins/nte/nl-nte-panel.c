/* nl-nte-panel.c — the normalised transfer entropy panel: nTE (core/analysis nl-nte, NetPyNE's
 * nTE) from each population's pooled spikes to every other's, in NetPyNE's 20 ms bins over the
 * run, as a matrix (row: source, column: target; the diagonal is left blank). The number of
 * shuffles is the stateful action "shuffles" (u). With many populations and shuffles this is
 * slow: the worker checks for cancellation between pairs. */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-figure-panel.h>
#include <nl-nte.h>
#include <nl-nte-figure.h>

#include "../lfp/nl-panel-controls.h"

#define NL_TYPE_NTE_PANEL (nl_nte_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlNtePanel, nl_nte_panel, NL, NTE_PANEL, NlFigurePanel)

/* The shuffles' seed: fixed, so the same results always give the same matrix. */
#define NTE_SEED 1

struct _NlNtePanel {
  NlFigurePanel parent_instance;
  GMutex        lock;        /* guards what the worker copies */
  guint         shuffles;
};

G_DEFINE_FINAL_TYPE (NlNtePanel, nl_nte_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  guint   n;
  double *values;   /* n × n, row = source */
  char  **labels;
  guint   shuffles;
} Matrix;

static void
matrix_free (gpointer p)
{
  Matrix *m = p;
  g_free (m->values);
  g_strfreev (m->labels);
  g_free (m);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlNtePanel *self = NL_NTE_PANEL (panel);
  NlResults *r = in->results;
  guint n_pops = nl_results_get_n_pops (r), shuffles;
  guint64 n_spikes = nl_results_get_n_spikes (r);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *gid = nl_results_get_spike_gids (r);
  g_autoptr(GPtrArray) trains = NULL;
  double t_stop = nl_results_get_duration (r);
  Matrix *m;

  g_mutex_lock (&self->lock);
  shuffles = self->shuffles;
  g_mutex_unlock (&self->lock);
  if (n_pops < 2 || n_spikes == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("Transfer entropy needs spikes of at least two populations"));
      return NULL;
    }
  /* Each population's spike times, in time order (the results keep spikes sorted). */
  trains = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint p = 0; p < n_pops; p++)
    g_ptr_array_add (trains, g_array_new (FALSE, FALSE, sizeof (double)));
  for (guint64 i = 0; i < n_spikes; i++)
    {
      int p = nl_results_find_pop_of_gid (r, gid[i]);
      if (p >= 0)
        g_array_append_val (g_ptr_array_index (trains, p), t[i]);
    }
  /* NetPyNE bins over [0, duration]; without one, up to the latest spike of all, so every
   * pair is binned alike. */
  if (!(isfinite (t_stop) && t_stop > 0))
    t_stop = t[n_spikes - 1];

  m = g_new0 (Matrix, 1);
  m->n = n_pops;
  m->shuffles = shuffles;
  m->values = g_new (double, (gsize) n_pops * n_pops);
  m->labels = g_new0 (char *, n_pops + 1);
  for (guint p = 0; p < n_pops; p++)
    m->labels[p] = g_strdup (nl_results_get_pop_name (r, p));
  for (guint i = 0; i < n_pops; i++)
    for (guint j = 0; j < n_pops; j++)
      {
        GArray *a = g_ptr_array_index (trains, i), *b = g_ptr_array_index (trains, j);
        g_autoptr(NlNte) nte = NULL;

        m->values[(gsize) i * n_pops + j] = NAN;
        if (i == j)
          continue;
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          {
            matrix_free (m);
            return NULL;
          }
        nte = nl_nte_from_spikes ((const double *) a->data, a->len, (const double *) b->data, b->len, 0, t_stop,
                                  NL_NTE_DEFAULT_BIN_MS, shuffles, NTE_SEED, error);
        if (!nte)
          {
            matrix_free (m);
            return NULL;
          }
        m->values[(gsize) i * n_pops + j] = nte->nte;
      }
  return m;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Matrix *m = data;
  NlMatrixOptions o = { 0 };
  g_autofree char *title = g_strdup_printf (_("Normalized transfer entropy (%g ms bins, %u shuffles)"),
                                            NL_NTE_DEFAULT_BIN_MS, m->shuffles);

  o.base.width = width;
  o.base.height = height;
  o.base.title = title;
  /* The colour range includes 0 (no transfer beyond chance), so two small values are not
   * painted as opposite extremes. */
  o.vmin = 0, o.vmax = 0;
  for (gsize k = 0; k < (gsize) m->n * m->n; k++)
    if (isfinite (m->values[k]))
      o.vmin = MIN (o.vmin, m->values[k]), o.vmax = MAX (o.vmax, m->values[k]);
  if (!(o.vmax > o.vmin))
    o.vmax = o.vmin + 1;
  o.xlabel = _("Target population");
  o.ylabel = _("Source population");
  return nl_nte_figure_new (m->values, m->n, (const char *const *) m->labels, &o, error);
}

static void
shuffles_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  NlNtePanel *self = user_data;
  guint n = g_variant_get_uint32 (value);

  if (n > NL_NTE_MAX_SHUFFLES)
    return;
  g_mutex_lock (&self->lock);
  self->shuffles = n;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (action, value);
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
nl_nte_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_NTE_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_nte_panel_parent_class)->finalize (object);
}

static void
nl_nte_panel_class_init (NlNtePanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_nte_panel_finalize;
  fc->title = _("Transfer Entropy");
  fc->icon_name = "view-grid-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = matrix_free;
  fc->build_figure = build_figure;
}

static void
nl_nte_panel_init (NlNtePanel *self)
{
  NlFigurePanel *fp = NL_FIGURE_PANEL (self);
  GSimpleActionGroup *group = nl_figure_panel_get_actions (fp);
  GtkBox *bar = nl_figure_panel_get_toolbar (fp);
  GtkWidget *spin;

  g_mutex_init (&self->lock);
  self->shuffles = NL_NTE_DEFAULT_SHUFFLES;
  nl_control_add_action (group, "shuffles", g_variant_new_uint32 (self->shuffles),
                         G_CALLBACK (shuffles_changed), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "panel", G_ACTION_GROUP (group));
  gtk_box_append (bar, gtk_label_new (_("Shuffles")));
  spin = nl_control_spin_new (group, "shuffles", 0, 1000);
  gtk_widget_set_tooltip_text (spin, _("Shuffled sources whose mean transfer entropy is subtracted (NetPyNE: 30)"));
  gtk_box_append (bar, spin);
}

NL_PANEL_MODULE (nl_nte_panel, NL_TYPE_NTE_PANEL, "nte", 46)
