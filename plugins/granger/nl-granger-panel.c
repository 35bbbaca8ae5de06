/* nl-granger-panel.c — the Granger causality panel: spectral Granger causality between two
 * signals, as NetPyNE's plotGranger (core/analysis nl-granger): two populations' spike counts
 * in 5 ms bins, or two LFP electrodes when the results have LFP. Stateful actions: "x" and
 * "y" (the signals: "pop:NAME" or "lfp:INDEX"), "order" (u, the autoregressive model's order)
 * and "demean" (b). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <nl-figure-panel.h>
#include <nl-granger.h>
#include <nl-granger-figure.h>

#include "../lfp/nl-panel-controls.h"

#define NL_TYPE_GRANGER_PANEL (nl_granger_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlGrangerPanel, nl_granger_panel, NL, GRANGER_PANEL, NlFigurePanel)

struct _NlGrangerPanel {
  NlFigurePanel parent_instance;
  GtkWidget    *x, *y;
  char        **ids;       /* the signals offered (main thread) */
  GMutex        lock;        /* guards what the worker copies */
  char         *x_id, *y_id;
  guint         order;
  gboolean      demean;
};

static void nl_granger_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlGrangerPanel, nl_granger_panel, NL_TYPE_FIGURE_PANEL,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_granger_panel_iface_init))

static NlPanelInterface *parent_iface;

typedef struct {
  NlGranger *g;
  char      *x_name, *y_name;
  gboolean   spikes;
} Result;

static void
result_free (gpointer p)
{
  Result *r = p;
  nl_granger_free (r->g);
  g_free (r->x_name);
  g_free (r->y_name);
  g_free (r);
}

/* A signal id's LFP electrode, or -1 when it names a population. */
static int
lfp_index (const char *id)
{
  return g_str_has_prefix (id, "lfp:") ? (int) g_ascii_strtoll (id + 4, NULL, 10) : -1;
}

static char *
signal_name (const char *id)
{
  if (lfp_index (id) >= 0)
    return g_strdup_printf (_("LFP %d"), lfp_index (id));
  return g_strdup (g_str_has_prefix (id, "pop:") ? id + 4 : id);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlGrangerPanel *self = NL_GRANGER_PANEL (panel);
  g_autofree char *xid = NULL, *yid = NULL;
  g_autofree double *x = NULL, *y = NULL;
  NlGrangerOptions go;
  gsize n = 0;
  double fs = 0;
  int lx, ly;
  Result *r;

  nl_granger_options_init (&go);
  g_mutex_lock (&self->lock);
  xid = g_strdup (self->x_id);
  yid = g_strdup (self->y_id);
  go.order = self->order;
  go.demean = self->demean;
  g_mutex_unlock (&self->lock);
  if (!xid || !yid)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("Granger causality needs two signals: two populations with spikes, or two LFP electrodes"));
      return NULL;
    }
  lx = lfp_index (xid), ly = lfp_index (yid);
  if ((lx < 0) != (ly < 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                   _("Compare two populations or two LFP electrodes: binned spikes and the LFP "
                     "are sampled at different rates"));
      return NULL;
    }
  if (g_str_equal (xid, yid))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                   _("Choose two different signals"));
      return NULL;
    }
  if (lx < 0)
    {
      /* NetPyNE's plotGranger: counts in 5 ms bins over the whole run. */
      if (!nl_granger_bin_pops (in->results, xid + 4, yid + 4, 0, NAN, NL_GRANGER_DEFAULT_BIN_MS,
                                &x, &y, &n, &fs, error))
        return NULL;
    }
  else
    {
      guint64 n_t;
      guint n_el;
      double dt;
      const double *lfp = nl_results_get_lfp (in->results, &n_t, &n_el, &dt);
      if (!lfp || lx >= (int) n_el || ly >= (int) n_el)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                       _("These results have no such LFP electrode"));
          return NULL;
        }
      n = n_t;
      fs = 1000.0 / dt;
      x = g_new (double, n);
      y = g_new (double, n);
      for (gsize i = 0; i < n; i++)
        x[i] = lfp[i * n_el + lx], y[i] = lfp[i * n_el + ly];
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  r = g_new0 (Result, 1);
  r->g = nl_granger_compute (x, y, n, fs, &go, error);
  if (!r->g)
    {
      result_free (r);
      return NULL;
    }
  r->x_name = signal_name (xid);
  r->y_name = signal_name (yid);
  r->spikes = lx < 0;
  return r;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Result *r = data;
  NlCurvesOptions o = { 0 };
  g_autofree double *values = g_new (double, 2 * (gsize) r->g->n_freqs);
  g_autofree char *l0 = g_strdup_printf ("%s → %s", r->x_name, r->y_name);
  g_autofree char *l1 = g_strdup_printf ("%s → %s", r->y_name, r->x_name);
  g_autofree char *title = g_strdup_printf (r->spikes ? _("Granger causality, spike counts in %g ms bins, order %u")
                                                      : _("Granger causality, LFP (%g Hz), order %u"),
                                            r->spikes ? NL_GRANGER_DEFAULT_BIN_MS : r->g->fs, r->g->order);
  const char *labels[] = { l0, l1 };

  memcpy (values, r->g->x2y, r->g->n_freqs * sizeof (double));
  memcpy (values + r->g->n_freqs, r->g->y2x, r->g->n_freqs * sizeof (double));
  o.base.width = width;
  o.base.height = height;
  o.base.title = title;
  /* An LFP sampled at kHz: the causality that matters is below 100 Hz, as NetPyNE plots it. */
  if (!r->spikes && r->g->fs / 2 > 100)
    o.x_min = 0, o.x_max = 100;
  return nl_granger_figure_new (r->g->freq, r->g->n_freqs, values, 2, labels, &o, error);
}

static void set_signal (NlGrangerPanel *self, const char *action, char **field, const char *id);

/* After one signal changed kind (population ↔ LFP), the other follows: the first different
 * signal of the same kind, since the two must be sampled alike. */
static void
match_kind (NlGrangerPanel *self, gboolean x_changed)
{
  const char *changed = x_changed ? self->x_id : self->y_id, *other = x_changed ? self->y_id : self->x_id;

  if (!changed || !other || (lfp_index (changed) < 0) == (lfp_index (other) < 0))
    return;
  for (guint k = 0; self->ids && self->ids[k]; k++)
    if ((lfp_index (self->ids[k]) < 0) == (lfp_index (changed) < 0) && !g_str_equal (self->ids[k], changed))
      {
        if (x_changed)
          set_signal (self, "y", &self->y_id, self->ids[k]);
        else
          set_signal (self, "x", &self->x_id, self->ids[k]);
        return;
      }
}

static void
option_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  NlGrangerPanel *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  g_mutex_lock (&self->lock);
  if (g_str_equal (name, "x"))
    g_free (self->x_id), self->x_id = g_variant_dup_string (value, NULL);
  else if (g_str_equal (name, "y"))
    g_free (self->y_id), self->y_id = g_variant_dup_string (value, NULL);
  else if (g_str_equal (name, "order"))
    {
      guint order = g_variant_get_uint32 (value);
      if (order < 1 || order > 100)
        {
          g_mutex_unlock (&self->lock);
          return;
        }
      self->order = order;
    }
  else
    self->demean = g_variant_get_boolean (value);
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (action, value);
  if (g_str_equal (name, "x") || g_str_equal (name, "y"))
    match_kind (self, g_str_equal (name, "x"));
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
set_signal (NlGrangerPanel *self, const char *action, char **field, const char *id)
{
  GActionMap *map = G_ACTION_MAP (nl_figure_panel_get_actions (NL_FIGURE_PANEL (self)));

  g_mutex_lock (&self->lock);
  g_free (*field);
  *field = g_strdup (id);
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (map, action)),
                             g_variant_new_string (id ? id : ""));
}

/* The populations and electrodes of the new results in the drop-downs; signals that no
 * longer exist fall back to the first two. */
static void
load (NlPanel *panel, NlSession *session)
{
  NlGrangerPanel *self = NL_GRANGER_PANEL (panel);
  NlResults *r = nl_session_get_results (session);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  gboolean x_ok = FALSE, y_ok = FALSE;
  guint64 n_t;
  guint n_el = 0;
  double dt;

  for (guint p = 0; r && p < nl_results_get_n_pops (r); p++)
    {
      g_ptr_array_add (ids, g_strconcat ("pop:", nl_results_get_pop_name (r, p), NULL));
      g_ptr_array_add (labels, g_strdup (nl_results_get_pop_name (r, p)));
    }
  if (!r || !nl_results_get_lfp (r, &n_t, &n_el, &dt))
    n_el = 0;
  for (guint e = 0; e < n_el; e++)
    {
      g_ptr_array_add (ids, g_strdup_printf ("lfp:%u", e));
      g_ptr_array_add (labels, g_strdup_printf (_("LFP electrode %u"), e));
    }
  for (guint k = 0; k < ids->len; k++)
    {
      x_ok = x_ok || g_strcmp0 (self->x_id, ids->pdata[k]) == 0;
      y_ok = y_ok || g_strcmp0 (self->y_id, ids->pdata[k]) == 0;
    }
  if (!x_ok)
    set_signal (self, "x", &self->x_id, ids->len > 0 ? ids->pdata[0] : NULL);
  if (!y_ok)
    set_signal (self, "y", &self->y_id, ids->len > 1 ? ids->pdata[1] : NULL);
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, NULL);
  g_strfreev (self->ids);
  self->ids = g_strdupv ((char **) ids->pdata);
  nl_control_dropdown_set_items (self->x, (const char *const *) ids->pdata, (const char *const *) labels->pdata);
  nl_control_dropdown_set_items (self->y, (const char *const *) ids->pdata, (const char *const *) labels->pdata);
  parent_iface->load (panel, session);
}

static void
nl_granger_panel_iface_init (NlPanelInterface *iface)
{
  parent_iface = g_type_interface_peek_parent (iface);
  iface->load = load;
}

static void
nl_granger_panel_finalize (GObject *object)
{
  NlGrangerPanel *self = NL_GRANGER_PANEL (object);

  g_free (self->x_id);
  g_free (self->y_id);
  g_strfreev (self->ids);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (nl_granger_panel_parent_class)->finalize (object);
}

static void
nl_granger_panel_class_init (NlGrangerPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_granger_panel_finalize;
  fc->title = _("Granger Causality");
  fc->icon_name = "media-playlist-consecutive-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = result_free;
  fc->build_figure = build_figure;
}

static void
nl_granger_panel_init (NlGrangerPanel *self)
{
  NlFigurePanel *fp = NL_FIGURE_PANEL (self);
  GSimpleActionGroup *group = nl_figure_panel_get_actions (fp);
  GtkBox *bar = nl_figure_panel_get_toolbar (fp);

  g_mutex_init (&self->lock);
  self->order = NL_GRANGER_DEFAULT_ORDER;
  self->demean = TRUE;
  nl_control_add_action (group, "x", g_variant_new_string (""), G_CALLBACK (option_changed), self);
  nl_control_add_action (group, "y", g_variant_new_string (""), G_CALLBACK (option_changed), self);
  nl_control_add_action (group, "order", g_variant_new_uint32 (self->order), G_CALLBACK (option_changed), self);
  nl_control_add_action (group, "demean", g_variant_new_boolean (TRUE), G_CALLBACK (option_changed), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "panel", G_ACTION_GROUP (group));

  gtk_box_append (bar, gtk_label_new (_("Between")));
  self->x = nl_control_dropdown_new (group, "x");
  gtk_box_append (bar, self->x);
  gtk_box_append (bar, gtk_label_new (_("and")));
  self->y = nl_control_dropdown_new (group, "y");
  gtk_box_append (bar, self->y);
  gtk_box_append (bar, gtk_label_new (_("Order")));
  gtk_box_append (bar, nl_control_spin_new (group, "order", 1, 100));
  gtk_box_append (bar, nl_control_check_new ("demean", _("Remove the means")));
}

NL_PANEL_MODULE (nl_granger_panel, NL_TYPE_GRANGER_PANEL, "granger", 44)
