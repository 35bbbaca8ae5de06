/* test-panel-fields.c — the field and causality panels (lfp, csd, granger, nte) in a window,
 * on results made here so what they must show is known:
 *
 *  - a laminar LFP V(z, t) = a·z²·sin(2π·2 Hz·t): its CSD, −∂²V/∂z², is −2a·sin(2π·2 Hz·t) at
 *    every depth, so the CSD image is blue (sink) across the interior channels while the sine
 *    is positive and red while it is negative;
 *  - two populations where A drives B (each A spike is followed by a B spike 15 ms later):
 *    Granger causality A → B lies above B → A, and nTE(A → B) is the brightest cell.
 *
 * Options are changed through the panels' actions and their states read back. Screenshots go
 * to NL_UI_SCREENSHOTS when set. */
#include <adwaita.h>
#include <math.h>
#include <string.h>
#include <nl-figure-panel.h>
#include <nl-panel.h>
#include <nl-window.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

#define DURATION 10000.0   /* ms */
#define N_EL     8
#define LFP_DT   1.0       /* ms */
#define LFP_HZ   2.0
#define A_MM2    1.0       /* mV/mm²: CSD = −2·A_MM2·sin */

static double
lfp_sine (double t_ms)
{
  return sin (2 * G_PI * LFP_HZ * t_ms / 1000);
}

static NlResults *
make_results (gboolean with_lfp)
{
  NlResults *r = nl_results_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) g = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 a_gids[10], b_gids[10];
  double *lfp, *xyz, s;
  guint64 n;

  for (guint i = 0; i < 10; i++)
    a_gids[i] = i, b_gids[i] = 10 + i;
  nl_results_set_n_cells (r, 20);
  nl_results_add_pop (r, "A", a_gids, 10);
  nl_results_add_pop (r, "B", b_gids, 10);
  nl_results_set_duration (r, DURATION);

  /* A: Poisson, 50 Hz pooled. B: 90 % of A's spikes 15 ± 1 ms later, and 10 Hz of its own. */
  for (s = -20 * log (1 - g_rand_double (rand)); s < DURATION; s += -20 * log (1 - g_rand_double (rand)))
    {
      guint32 ga = g_rand_int_range (rand, 0, 10), gb = g_rand_int_range (rand, 10, 20);
      double tb = s + 14 + 2 * g_rand_double (rand);
      g_array_append_val (t, s);
      g_array_append_val (g, ga);
      if (g_rand_double (rand) < 0.9 && tb < DURATION)
        {
          g_array_append_val (t, tb);
          g_array_append_val (g, gb);
        }
    }
  for (s = -100 * log (1 - g_rand_double (rand)); s < DURATION; s += -100 * log (1 - g_rand_double (rand)))
    {
      guint32 gb = g_rand_int_range (rand, 10, 20);
      g_array_append_val (t, s);
      g_array_append_val (g, gb);
    }
  n = t->len;
  nl_results_set_spikes (r, (double *) g_array_free (g_steal_pointer (&t), FALSE),
                         (guint32 *) g_array_free (g_steal_pointer (&g), FALSE), n);

  if (!with_lfp)
    return r;
  /* Electrodes 100 µm apart from 100 µm deep; z in mm from the array's centre. */
  n = (guint64) (DURATION / LFP_DT);
  lfp = g_new (double, n * N_EL);
  for (guint64 i = 0; i < n; i++)
    for (guint e = 0; e < N_EL; e++)
      {
        double z = 0.1 * e - 0.35;
        /* A little noise, so no two channels are exactly proportional (Granger's fit needs
         * that); its CSD (≈ 0.1 mV/mm² rms) is far below the signal's 2 mV/mm². */
        lfp[i * N_EL + e] = A_MM2 * z * z * lfp_sine (i * LFP_DT) + 0.0008 * (2 * g_rand_double (rand) - 1);
      }
  nl_results_set_lfp (r, lfp, n, N_EL, LFP_DT);
  xyz = g_new (double, 3 * N_EL);
  for (guint e = 0; e < N_EL; e++)
    xyz[3 * e] = 50, xyz[3 * e + 1] = 100 + 100 * e, xyz[3 * e + 2] = 0;
  nl_results_set_lfp_electrodes (r, xyz, N_EL);
  return r;
}

static gboolean
computed (gpointer panel)
{
  GActionGroup *grp = nl_panel_get_action_group (panel);
  g_autoptr(GVariant) state = g_action_group_get_action_state (grp, "computing");
  return !g_variant_get_boolean (state);
}

static void
assert_no_error (GtkWidget *panel, const char *name)
{
  g_autoptr(GVariant) err = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "error");
  if (*g_variant_get_string (err, NULL))
    g_error ("panel %s: %s", name, g_variant_get_string (err, NULL));
}

static GtkWidget *
open_panel (NlWindow *w, const char *name)
{
  GtkWidget *panel;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", name));
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (200);
  assert_no_error (panel, name);
  return panel;
}

/* Sets a panel option through its action, waits for the computation it starts. */
static void
change (GtkWidget *panel, const char *action, GVariant *value)
{
  GActionGroup *grp = nl_panel_get_action_group (NL_PANEL (panel));
  g_autoptr(GVariant) v = g_variant_ref_sink (value);
  g_autoptr(GVariant) state = NULL;

  g_action_group_change_action_state (grp, action, v);
  state = g_action_group_get_action_state (grp, action);
  g_assert_true (g_variant_equal (state, v));
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (200);
  assert_no_error (panel, action);
}

static GtkWidget *
find_area (GtkWidget *w)
{
  if (GTK_IS_DRAWING_AREA (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *a = find_area (c);
      if (a)
        return a;
    }
  return NULL;
}

/* The index-th drop-down of a panel's toolbar, in order. */
static GtkDropDown *
find_dropdown (GtkWidget *w, guint *index)
{
  if (GTK_IS_DROP_DOWN (w) && (*index)-- == 0)
    return GTK_DROP_DOWN (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkDropDown *d = find_dropdown (c, index);
      if (d)
        return d;
    }
  return NULL;
}

static guint
dropdown_selected (GtkWidget *panel, guint index)
{
  GtkDropDown *d = find_dropdown (panel, &index);
  g_assert_nonnull (d);
  return gtk_drop_down_get_selected (d);
}

/* A rendered panel: its pixels, where its figure's drawing area starts in them, and the
 * figure's first axes (laid out by that render). */
typedef struct {
  guchar *px;
  int     w, h;
  double  ox, oy;
  NlAxes *axes;
} Shot;

static Shot
shoot (GtkWidget *panel, const char *png)
{
  g_autoptr(GdkTexture) tex = nl_ui_render (panel, png);
  GtkWidget *area = find_area (panel);
  NlFigure *fig;
  Shot s = { 0 };

  g_assert_nonnull (area);
  s.px = nl_ui_pixels (tex, &s.w, &s.h);
  g_assert_true (gtk_widget_translate_coordinates (area, panel, 0, 0, &s.ox, &s.oy));
  fig = nl_figure_panel_get_figure (NL_FIGURE_PANEL (panel));
  g_assert_nonnull (fig);
  s.axes = nl_figure_get_axes (fig, 0);
  return s;
}

static const guchar *
pixel (const Shot *s, double fx, double fy)
{
  int x = (int) (s->ox + fx), y = (int) (s->oy + fy);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, s->w);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, s->h);
  return s->px + 4 * ((gsize) y * s->w + x);
}

static guint
coloured_pixels (const Shot *s)
{
  guint n = 0;
  for (int i = 0; i < s->w * s->h; i++)
    {
      int r = s->px[4 * i], g = s->px[4 * i + 1], b = s->px[4 * i + 2];
      if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 40)
        n++;
    }
  return n;
}

/* The CSD image: at times where the sine is large, interior channels are blue (sink) when it
 * is positive and red (source) when negative. Returns how many samples were checked. */
static guint
check_csd_signs (const Shot *s, guint first_row, guint last_row)
{
  guint checked = 0;

  for (double t = 2000; t < 8000; t += 37)
    {
      double v = lfp_sine (t);
      if (fabs (v) < 0.7)
        continue;
      for (guint e = first_row; e <= last_row; e++)
        {
          const guchar *p = pixel (s, nl_axes_x_to_px (s->axes, t), nl_axes_y_to_px (s->axes, 100 + 100 * e));
          if (v > 0 && !(p[2] > p[0] + 25))
            g_error ("CSD at %g ms, electrode %u: expected blue (a sink), got #%02x%02x%02x", t, e, p[0], p[1], p[2]);
          if (v < 0 && !(p[0] > p[2] + 25))
            g_error ("CSD at %g ms, electrode %u: expected red (a source), got #%02x%02x%02x", t, e, p[0], p[1], p[2]);
          checked++;
        }
    }
  return checked;
}

static void
test_csd (NlWindow *w)
{
  GtkWidget *panel = open_panel (w, "csd");
  Shot s = shoot (panel, "fields-csd.png");
  double x0, x1, y0, y1;

  /* Depth grows downwards: electrode 0 (100 µm) above electrode 7 (800 µm). */
  g_assert_cmpfloat (nl_axes_y_to_px (s.axes, 100), <, nl_axes_y_to_px (s.axes, 800));
  nl_axes_get_limits (s.axes, &x0, &x1, &y0, &y1);
  /* Vaknin's correction: a row per electrode, 100 µm each, from 50 µm. */
  g_assert_cmpfloat_with_epsilon (MIN (y0, y1), 50, 1e-6);
  g_assert_cmpfloat_with_epsilon (MAX (y0, y1), 850, 1e-6);
  g_assert_cmpuint (check_csd_signs (&s, 2, 5), >, 100);
  g_free (s.px);

  /* Without Vaknin's correction the first and last electrodes have no CSD row. */
  change (panel, "vaknin", g_variant_new_boolean (FALSE));
  s = shoot (panel, "fields-csd-no-vaknin.png");
  nl_axes_get_limits (s.axes, &x0, &x1, &y0, &y1);
  g_assert_cmpfloat_with_epsilon (MIN (y0, y1), 150, 1e-6);
  g_assert_cmpfloat_with_epsilon (MAX (y0, y1), 750, 1e-6);
  g_assert_cmpuint (check_csd_signs (&s, 2, 5), >, 100);
  g_free (s.px);

  /* Without the filter the CSD is the same sine (2 Hz passes the band unchanged). */
  change (panel, "filter", g_variant_new_boolean (FALSE));
  s = shoot (panel, "fields-csd-unfiltered.png");
  g_assert_cmpuint (check_csd_signs (&s, 1, 6), >, 100);
  g_free (s.px);
}

/* Whether a pixel is colour c drawn over white with coverage ≥ 0.5. */
static gboolean
is_colour (const guchar *p, NlColor c)
{
  double px[3] = { p[0] / 255.0, p[1] / 255.0, p[2] / 255.0 }, cc[3] = { c.r, c.g, c.b };
  double num = 0, den = 0, a, err = 0;

  for (int k = 0; k < 3; k++)
    num += (1 - px[k]) * (1 - cc[k]), den += (1 - cc[k]) * (1 - cc[k]);
  a = den > 0 ? num / den : 0;
  for (int k = 0; k < 3; k++)
    err = MAX (err, fabs (a * cc[k] + (1 - a) - px[k]));
  return a >= 0.5 && a <= 1.1 && err < 0.08;
}

static double
mean_row (const Shot *s, double fx, NlColor c)
{
  double ax, ay, aw, ah, sum = 0;
  int n = 0;

  nl_axes_get_plot_area (s->axes, &ax, &ay, &aw, &ah);
  for (double y = ay + 0.5; y < ay + ah; y++)
    if (is_colour (pixel (s, fx, y), c))
      sum += y, n++;
  return n ? sum / n : NAN;
}

static void
test_granger (NlWindow *w)
{
  GtkWidget *panel = open_panel (w, "granger");
  GActionGroup *grp = nl_panel_get_action_group (NL_PANEL (panel));
  g_autoptr(GVariant) x = g_action_group_get_action_state (grp, "x");
  g_autoptr(GVariant) y = g_action_group_get_action_state (grp, "y");
  Shot s;
  double ax, ay, aw, ah;
  guint both = 0, above = 0;

  /* The first two populations by default: A (the driver) then B. */
  g_assert_cmpstr (g_variant_get_string (x, NULL), ==, "pop:A");
  g_assert_cmpstr (g_variant_get_string (y, NULL), ==, "pop:B");
  s = shoot (panel, "fields-granger.png");
  nl_axes_get_plot_area (s.axes, &ax, &ay, &aw, &ah);
  /* Column by column, the A → B curve (first colour) is above the B → A one. */
  for (double fx = ax + 2.5; fx < ax + aw - 2; fx += 3)
    {
      double r0 = mean_row (&s, fx, nl_palette_color (0, 2)), r1 = mean_row (&s, fx, nl_palette_color (1, 2));
      if (isnan (r0) || isnan (r1))
        continue;
      both++;
      above += r0 < r1 - 2;
    }
  g_assert_cmpuint (both, >, 40);
  g_assert_cmpuint (above, >=, both * 9 / 10);
  g_free (s.px);

  /* The order is an action; a higher order still computes. */
  change (panel, "order", g_variant_new_uint32 (15));
  /* LFP electrodes are signals too. */
  change (panel, "x", g_variant_new_string ("lfp:0"));
  {
    /* The other signal follows to the same kind (spike counts and LFP are not comparable). */
    g_autoptr(GVariant) y2 = g_action_group_get_action_state (grp, "y");
    g_assert_cmpstr (g_variant_get_string (y2, NULL), ==, "lfp:1");
  }
  change (panel, "y", g_variant_new_string ("lfp:3"));
  s = shoot (panel, "fields-granger-lfp.png");
  g_assert_cmpuint (coloured_pixels (&s), >, 200);
  g_free (s.px);
}

static double
lightness (const guchar *p)
{
  NlColor c = { p[0] / 255.0, p[1] / 255.0, p[2] / 255.0 };
  return nl_color_lightness (c);
}

static void
test_nte (NlWindow *w)
{
  GtkWidget *panel = open_panel (w, "nte");
  Shot s = shoot (panel, "fields-nte.png");
  /* Row = source, column = target; sample a cell off its centre, where its value is written. */
  double ab = lightness (pixel (&s, nl_axes_x_to_px (s.axes, 1.2), nl_axes_y_to_px (s.axes, 0.2)));
  double ba = lightness (pixel (&s, nl_axes_x_to_px (s.axes, 0.2), nl_axes_y_to_px (s.axes, 1.2)));

  g_assert_cmpfloat (ab, >, ba + 0.3);
  g_free (s.px);
  change (panel, "shuffles", g_variant_new_uint32 (5));
  s = shoot (panel, "fields-nte-5.png");
  ab = lightness (pixel (&s, nl_axes_x_to_px (s.axes, 1.2), nl_axes_y_to_px (s.axes, 0.2)));
  ba = lightness (pixel (&s, nl_axes_x_to_px (s.axes, 0.2), nl_axes_y_to_px (s.axes, 1.2)));
  g_assert_cmpfloat (ab, >, ba + 0.3);
  g_free (s.px);
}

static void
test_lfp (NlWindow *w)
{
  GtkWidget *panel = open_panel (w, "lfp");
  Shot s = shoot (panel, "fields-lfp.png");

  g_assert_cmpuint (coloured_pixels (&s), >, 2000);
  g_assert_cmpuint (nl_figure_get_n_axes (nl_figure_panel_get_figure (NL_FIGURE_PANEL (panel))), ==, 4);
  g_free (s.px);

  change (panel, "part", g_variant_new_string ("timeseries"));
  change (panel, "electrode", g_variant_new_int32 (7));
  /* The drop-downs follow the actions: "Time series" is the second part, electrode 7 the
   * ninth entry after "All electrodes". */
  g_assert_cmpuint (dropdown_selected (panel, 0), ==, 1);
  g_assert_cmpuint (dropdown_selected (panel, 1), ==, 8);
  /* And the other way: choosing in the drop-down sets the action. */
  {
    guint i = 1;
    g_autoptr(GVariant) st = NULL;
    gtk_drop_down_set_selected (find_dropdown (panel, &i), 3);
    st = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "electrode");
    g_assert_cmpint (g_variant_get_int32 (st), ==, 2);
    g_assert_true (nl_ui_wait (computed, panel, 60000));
    change (panel, "electrode", g_variant_new_int32 (7));
  }
  s = shoot (panel, "fields-lfp-electrode7.png");
  g_assert_cmpuint (nl_figure_get_n_axes (nl_figure_panel_get_figure (NL_FIGURE_PANEL (panel))), ==, 1);
  /* Electrode 7's trace, alone, is the sine times 0.35²: at a crest it is at +0.1225 mV. */
  {
    double t = 1000 + 1000 / LFP_HZ / 4;   /* sin = 1 */
    double want = nl_axes_y_to_px (s.axes, A_MM2 * 0.35 * 0.35);
    double got = mean_row (&s, nl_axes_x_to_px (s.axes, t), nl_palette_color (0, 1));
    g_assert_cmpfloat_with_epsilon (got, want, 3);
  }
  g_free (s.px);
  /* An electrode that does not exist is refused: the state stays. */
  {
    GActionGroup *grp = nl_panel_get_action_group (NL_PANEL (panel));
    g_autoptr(GVariant) st = NULL;
    g_action_group_change_action_state (grp, "electrode", g_variant_new_int32 (8));
    st = g_action_group_get_action_state (grp, "electrode");
    g_assert_cmpint (g_variant_get_int32 (st), ==, 7);
  }
}

/* Results without LFP: the LFP and CSD panels say so, in place of a figure; Granger goes on
 * with the populations. */
static void
test_no_lfp (NlWindow *w)
{
  g_autoptr(NlResults) r = make_results (FALSE);
  const char *const names[] = { "lfp", "csd" };

  nl_session_set_results (nl_window_get_session (w), r, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      GtkWidget *panel;
      g_autoptr(GVariant) err = NULL;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", names[k]));
      panel = nl_window_get_current_panel (w);
      g_assert_true (nl_ui_wait (computed, panel, 60000));
      err = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "error");
      g_assert_nonnull (strstr (g_variant_get_string (err, NULL), "no LFP"));
      {
        g_autofree char *png = g_strdup_printf ("fields-%s-no-lfp.png", names[k]);
        nl_ui_settle (100);
        g_object_unref (nl_ui_render (panel, png));
      }
    }
  {
    GtkWidget *panel = open_panel (w, "granger");
    GActionGroup *grp = nl_panel_get_action_group (NL_PANEL (panel));
    g_autoptr(GVariant) x = g_action_group_get_action_state (grp, "x");
    /* Its LFP signals are gone: back to the populations. */
    g_assert_cmpstr (g_variant_get_string (x, NULL), ==, "pop:A");
    nl_ui_settle (100);
    g_object_unref (nl_ui_render (panel, "fields-granger-no-lfp.png"));
  }
}

static void
test_fields (void)
{
  g_autoptr(NlResults) r = make_results (TRUE);
  NlWindow *w = nl_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 700);
  gtk_window_present (GTK_WINDOW (w));
  nl_session_set_results (nl_window_get_session (w), r, NULL);
  nl_ui_settle (100);
  test_csd (w);
  test_granger (w);
  test_nte (w);
  test_lfp (w);
  test_no_lfp (w);
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panel-fields/all", test_fields);
  return g_test_run ();
}
