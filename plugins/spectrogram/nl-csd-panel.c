/* nl-csd-panel.c — the current source density panel: NetPyNE's prepareCSD (core/analysis
 * nl_csd) of a laminar LFP, drawn as a time × depth image in the diverging map (sinks blue,
 * sources red), depth growing downwards as in NetPyNE's plotCSD. The electrode spacing comes
 * from the electrodes' y positions when the results have them, else NetPyNE's 100 µm. The
 * band-pass filter and Vaknin's correction are stateful actions ("filter", "vaknin"). */
#include "nl-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-csd.h>
#include <nl-figure-panel.h>
#include <nl-spectrogram-figure.h>

#include "../lfp/nl-panel-controls.h"

#define NL_TYPE_CSD_PANEL (nl_csd_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlCsdPanel, nl_csd_panel, NL, CSD_PANEL, NlFigurePanel)

struct _NlCsdPanel {
  NlFigurePanel parent_instance;
  GMutex        lock;        /* guards the options the worker copies */
  gboolean      filter, vaknin;
};

G_DEFINE_FINAL_TYPE (NlCsdPanel, nl_csd_panel, NL_TYPE_FIGURE_PANEL)

typedef struct {
  guint   rows, cols;   /* channels × time samples */
  double *values;       /* rows × cols, mV/mm² */
  double  x0, x1;       /* ms, pixel edges */
  double  y0, y1;       /* µm, the first channel's top edge and the last one's bottom edge */
  double  spacing_um;
  gboolean spacing_known;
} Csd;

static void
csd_free (gpointer p)
{
  Csd *c = p;
  g_free (c->values);
  g_free (c);
}

static gpointer
compute (NlFigurePanel *panel, const NlPanelInput *in, GCancellable *cancellable, GError **error)
{
  NlCsdPanel *self = NL_CSD_PANEL (panel);
  NlCsdOptions o;
  const double *lfp, *xyz;
  guint64 n_t;
  guint n_ch, n_xyz = 0, n_out;
  double dt, top;
  gboolean descending = FALSE;
  g_autofree double *csd = NULL;
  Csd *c;

  lfp = nl_results_get_lfp (in->results, &n_t, &n_ch, &dt);
  if (!lfp || n_t == 0 || n_ch == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("These results have no LFP, so no current source density "
                     "(NetPyNE records LFP with simConfig.recordLFP)"));
      return NULL;
    }
  nl_csd_options_init (&o);
  g_mutex_lock (&self->lock);
  o.filter = self->filter;
  o.vaknin = self->vaknin;
  g_mutex_unlock (&self->lock);

  /* NetPyNE's spacing: from the electrodes' depths when they are known and distinct. */
  top = 0;
  xyz = nl_results_get_lfp_electrodes (in->results, &n_xyz);
  c = g_new0 (Csd, 1);
  if (xyz && n_xyz == n_ch && n_ch >= 2)
    {
      g_autoptr(GError) ignored = NULL;
      double s = nl_csd_spacing_um (xyz, n_xyz, &ignored);
      if (s > 0 && isfinite (s))
        {
          o.spacing_um = s;
          c->spacing_known = TRUE;
          top = xyz[1];
          for (guint e = 1; e < n_xyz; e++)
            top = MIN (top, xyz[3 * e + 1]);
          /* Electrodes listed from the deepest up: their rows go bottom to top. */
          descending = xyz[3 * (n_xyz - 1) + 1] < xyz[1];
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      csd_free (c);
      return NULL;
    }
  csd = nl_csd (lfp, n_t, n_ch, 1000.0 / dt, &o, &n_out, error);
  if (!csd)
    {
      csd_free (c);
      return NULL;
    }
  /* Image rows are channels: transpose the CSV layout (time × channel). */
  c->rows = n_out;
  c->cols = (guint) MIN (n_t, G_MAXUINT);
  c->values = g_new (double, (gsize) c->rows * c->cols);
  for (gsize t = 0; t < c->cols; t++)
    for (guint k = 0; k < n_out; k++)
      c->values[(gsize) (descending ? n_out - 1 - k : k) * c->cols + t] = csd[t * n_out + k];
  c->spacing_um = o.spacing_um;
  c->x0 = -dt / 2;
  c->x1 = c->x0 + c->cols * dt;
  /* Without Vaknin's correction the first CSD channel is the second electrode's. */
  c->y0 = top + (o.vaknin ? 0 : o.spacing_um) - o.spacing_um / 2;
  c->y1 = c->y0 + n_out * o.spacing_um;
  return c;
}

static NlFigure *
build_figure (NlFigurePanel *panel, gpointer data, guint width, guint height, GError **error)
{
  Csd *c = data;
  NlSpectrogramOptions o = { 0 };
  g_autofree char *title = g_strdup_printf (_("Current source density (electrodes %g µm apart%s)"),
                                            c->spacing_um, c->spacing_known ? "" : _(", assumed"));

  o.base.width = width;
  o.base.height = height;
  o.base.title = title;
  o.ylabel = _("Depth (µm)");
  o.value_label = _("CSD (mV/mm²)");
  o.colormap = NL_COLORMAP_DIVERGING;
  o.y_inverted = TRUE;
  return nl_spectrogram_figure_new (c->values, c->rows, c->cols, c->x0, c->x1, c->y0, c->y1, &o, error);
}

static void
option_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  NlCsdPanel *self = user_data;
  gboolean on = g_variant_get_boolean (value);

  g_mutex_lock (&self->lock);
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "filter"))
    self->filter = on;
  else
    self->vaknin = on;
  g_mutex_unlock (&self->lock);
  g_simple_action_set_state (action, value);
  nl_figure_panel_recompute (NL_FIGURE_PANEL (self));
}

static void
nl_csd_panel_finalize (GObject *object)
{
  g_mutex_clear (&NL_CSD_PANEL (object)->lock);
  G_OBJECT_CLASS (nl_csd_panel_parent_class)->finalize (object);
}

static void
nl_csd_panel_class_init (NlCsdPanelClass *klass)
{
  NlFigurePanelClass *fc = NL_FIGURE_PANEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = nl_csd_panel_finalize;
  fc->title = _("CSD");
  fc->icon_name = "view-dual-symbolic";
  fc->needs = NL_SESSION_RESULTS;
  fc->compute = compute;
  fc->free_data = csd_free;
  fc->build_figure = build_figure;
}

static void
nl_csd_panel_init (NlCsdPanel *self)
{
  NlFigurePanel *fp = NL_FIGURE_PANEL (self);
  GSimpleActionGroup *group = nl_figure_panel_get_actions (fp);
  GtkBox *bar = nl_figure_panel_get_toolbar (fp);
  GtkWidget *check;

  g_mutex_init (&self->lock);
  self->filter = self->vaknin = TRUE;
  nl_control_add_action (group, "filter", g_variant_new_boolean (TRUE), G_CALLBACK (option_changed), self);
  nl_control_add_action (group, "vaknin", g_variant_new_boolean (TRUE), G_CALLBACK (option_changed), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "panel", G_ACTION_GROUP (group));

  check = nl_control_check_new ("filter", _("Band-pass 0.05–300 Hz"));
  gtk_box_append (bar, check);
  check = nl_control_check_new ("vaknin", _("Vaknin's edge correction"));
  gtk_widget_set_tooltip_text (check, _("Repeat the first and last electrodes, so the CSD has a row per electrode"));
  gtk_box_append (bar, check);
}

NL_PANEL_MODULE (nl_csd_panel, NL_TYPE_CSD_PANEL, "csd", 42)
