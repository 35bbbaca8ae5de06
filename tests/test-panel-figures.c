/* test-panel-figures.c — the figure panels traces, spikestats, ratepsd, conn and net2d under
 * Xvfb, on data built here with known answers: each panel is opened in a workbench window,
 * computed, rendered through the window's renderer, and its pixels must show the data where
 * they belong (a sine at its height, box medians at theirs, a spectral peak at its frequency,
 * matrix colours in the order of the values, cells at their positions in their population's
 * colour). Options are switched through the panels' actions and must change the figure. */
#include <adwaita.h>
#include <math.h>
#include <nl-build.h>
#include <nl-colormap.h>
#include <nl-connmatrix.h>
#include <nl-figure-panel.h>
#include <nl-panel.h>
#include <nl-spec.h>
#include <nl-spikestats.h>
#include <nl-window.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

/* Helpers ------------------------------------------------------------------------------------ */

static gboolean
computed (gpointer panel)
{
  GActionGroup *g = nl_panel_get_action_group (panel);
  g_autoptr(GVariant) state = g_action_group_get_action_state (g, "computing");
  return !g_variant_get_boolean (state);
}

static char *
panel_error (GtkWidget *panel)
{
  g_autoptr(GVariant) err = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "error");
  return g_variant_dup_string (err, NULL);
}

static void
assert_no_panel_error (GtkWidget *panel)
{
  g_autofree char *err = panel_error (panel);
  if (*err)
    g_error ("panel error: %s", err);
}

static NlWindow *
new_window (void)
{
  NlWindow *w = nl_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (w), 1100, 760);
  gtk_window_present (GTK_WINDOW (w));
  nl_ui_settle (50);
  return w;
}

static GtkWidget *
show_panel (NlWindow *w, const char *name)
{
  GtkWidget *panel;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", name));
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_true (NL_IS_FIGURE_PANEL (panel));
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (150);
  assert_no_panel_error (panel);
  return panel;
}

/* Sets a panel option through its action, as the toolbar does, and waits for the figure. */
static void
set_option (GtkWidget *panel, const char *action, GVariant *value)
{
  GActionGroup *g = nl_panel_get_action_group (NL_PANEL (panel));
  g_autoptr(GVariant) state = NULL;

  g_variant_ref_sink (value);
  g_action_group_change_action_state (g, action, value);
  state = g_action_group_get_action_state (g, action);
  g_assert_true (g_variant_equal (state, value));
  g_variant_unref (value);
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (150);
}

static GtkWidget *
find_drawing_area (GtkWidget *w)
{
  if (GTK_IS_DRAWING_AREA (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_drawing_area (c);
      if (found)
        return found;
    }
  return NULL;
}

/* The n-th widget of `type` inside `w`, depth first (the toolbar's controls, in order). */
static GtkWidget *
find_widget (GtkWidget *w, GType type, guint *n)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && (*n)-- == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type, n);
      if (found)
        return found;
    }
  return NULL;
}

static gpointer
nth_widget (GtkWidget *panel, GType type, guint n)
{
  GtkWidget *w = find_widget (panel, type, &n);
  g_assert_nonnull (w);
  return w;
}

static char *
option_string (GtkWidget *panel, const char *action)
{
  g_autoptr(GVariant) v = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), action);
  return g_variant_dup_string (v, NULL);
}

/* A panel rendered as on screen, with the offset of its figure (the drawing area) in it. */
typedef struct {
  guchar   *px;
  int       w, h;
  double    ox, oy;
  NlFigure *fig;     /* the panel's, rendered in this shot */
} Shot;

static void
shot_take (Shot *s, GtkWidget *panel, const char *png)
{
  g_autoptr(GdkTexture) tex = nl_ui_render (panel, png);
  GtkWidget *area = find_drawing_area (panel);
  graphene_point_t p;

  g_assert_nonnull (area);
  g_assert_true (gtk_widget_compute_point (area, panel, &GRAPHENE_POINT_INIT (0, 0), &p));
  s->ox = p.x;
  s->oy = p.y;
  s->px = nl_ui_pixels (tex, &s->w, &s->h);
  s->fig = nl_figure_panel_get_figure (NL_FIGURE_PANEL (panel));
  g_assert_nonnull (s->fig);
  g_assert_cmpuint (nl_figure_get_width (s->fig), ==, gtk_widget_get_width (area));
}

static void
shot_clear (Shot *s)
{
  g_clear_pointer (&s->px, g_free);
}

/* The pixel at figure coordinates (x, y), as 0..255 channels. */
static const guchar *
shot_pixel (const Shot *s, double x, double y)
{
  int ix = (int) floor (x + s->ox), iy = (int) floor (y + s->oy);

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, s->w);
  g_assert_cmpint (iy, <, s->h);
  return s->px + 4 * ((gsize) iy * s->w + ix);
}

static int
colour_distance (const guchar *p, NlColor c)
{
  int d = 0;
  d = MAX (d, abs (p[0] - (int) lround (c.r * 255)));
  d = MAX (d, abs (p[1] - (int) lround (c.g * 255)));
  d = MAX (d, abs (p[2] - (int) lround (c.b * 255)));
  return d;
}

/* The smallest colour distance to `c` within `r` px of (x, y). */
static int
nearest_colour (const Shot *s, double x, double y, NlColor c, int r)
{
  int best = 1000;
  for (int dy = -r; dy <= r; dy++)
    for (int dx = -r; dx <= r; dx++)
      best = MIN (best, colour_distance (shot_pixel (s, x + dx, y + dy), c));
  return best;
}

static double
luminance (const guchar *p)
{
  NlColor c = { p[0] / 255.0, p[1] / 255.0, p[2] / 255.0 };
  return nl_color_luminance (c);
}

static NlAxes *
shot_axes (const Shot *s)
{
  g_assert_cmpuint (nl_figure_get_n_axes (s->fig), >=, 1);
  return nl_figure_get_axes (s->fig, 0);
}

static NlNetwork *
build (const char *json)
{
  g_autofree char *model = g_strdup (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  NlNetwork *net;

  for (char *p = model; *p; p++)
    if (*p == '\'')
      *p = '"';
  spec = nl_spec_load_from_data (model, -1, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  return net;
}

#define CELL_PARAMS \
  "'cellParams': {'PYR': {'secs': {'soma': {'geom': {'L': 18.8, 'diam': 18.8, 'Ra': 123.0}}}}}," \
  " 'synMechParams': {'exc': {'mod': 'Exp2Syn', 'tau1': 0.1, 'tau2': 5.0, 'e': 0}}"

/* conn --------------------------------------------------------------------------------------- */

/* Three populations of 2, 4 and 6 cells, all-to-all rules with weights chosen so the order of
 * the weights is not the order of the counts: rows A, B, C → columns A, B, C. */
static const double conn_num[9] = { 0, 8, 12,
                                    0, 0, 24,
                                    12, 0, 30 };   /* C→C: no self-connections */
static const double conn_weight[9] = { 0, 0.05, 0.02,
                                       0, 0, 0.01,
                                       0.03, 0, 0.005 };

static NlNetwork *
conn_network (void)
{
  return build ("{'netParams': {" CELL_PARAMS ","
                " 'popParams': {'A': {'cellType': 'PYR', 'numCells': 2}, 'B': {'cellType': 'PYR', 'numCells': 4},"
                "               'C': {'cellType': 'PYR', 'numCells': 6}},"
                " 'connParams': {"
                "  'AB': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'weight': 0.05, 'delay': 1, 'synMech': 'exc'},"
                "  'AC': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'C'}, 'weight': 0.02, 'delay': 1, 'synMech': 'exc'},"
                "  'BC': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'C'}, 'weight': 0.01, 'delay': 1, 'synMech': 'exc'},"
                "  'CA': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'A'}, 'weight': 0.03, 'delay': 1, 'synMech': 'exc'},"
                "  'CC': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'C'}, 'weight': 0.005, 'delay': 1, 'synMech': 'exc'}}},"
                " 'simConfig': {'duration': 100}}");
}

/* The colour of each matrix cell (sampled off its centre, away from the printed value) must
 * order as the values: brighter for larger. */
static void
assert_heat_order (const Shot *s, const double *want, guint rows, guint cols)
{
  NlAxes *axes = shot_axes (s);
  double lum[64];

  g_assert_cmpuint (rows * cols, <=, G_N_ELEMENTS (lum));
  for (guint i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      lum[i * cols + j] = luminance (shot_pixel (s, nl_axes_x_to_px (axes, j + 0.15), nl_axes_y_to_px (axes, i + 0.15)));
  for (guint a = 0; a < rows * cols; a++)
    for (guint b = 0; b < rows * cols; b++)
      {
        if (want[a] < want[b] && !(lum[a] < lum[b] - 0.01))
          g_error ("cell %u (%g) is not darker than cell %u (%g): luminance %.3f vs %.3f", a, want[a], b, want[b],
                   lum[a], lum[b]);
        if (want[a] == want[b] && fabs (lum[a] - lum[b]) > 0.01)
          g_error ("cells %u and %u hold %g but differ in luminance: %.3f vs %.3f", a, b, want[a], lum[a], lum[b]);
      }
}

static void
test_conn (void)
{
  g_autoptr(NlNetwork) net = conn_network ();
  NlConnMatrixOptions opt = { NL_CONN_GROUP_POP, NL_CONN_NUM_CONNS, NULL, NULL, FALSE, FALSE, NULL };
  g_autoptr(NlConnMatrix) m = NULL;
  g_autoptr(GError) error = NULL;
  NlWindow *w = new_window ();
  GtkWidget *panel;
  Shot s = { 0 };
  double x0, x1, y0, y1;

  /* The network is the one described above. */
  m = nl_conn_matrix_new (net, &opt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->n_pre, ==, 3);
  g_assert_cmpuint (m->n_post, ==, 3);
  for (guint k = 0; k < 9; k++)
    g_assert_cmpfloat (m->values[k], ==, conn_num[k]);

  nl_session_set_model (nl_window_get_session (w), NULL, net, NULL);
  panel = show_panel (w, "conn");

  /* The action sets the drop-down (features: strength, weight, probability, numConns …). */
  set_option (panel, "feature", g_variant_new_string ("numConns"));
  g_assert_cmpuint (gtk_drop_down_get_selected (nth_widget (panel, GTK_TYPE_DROP_DOWN, 0)), ==, 3);
  shot_take (&s, panel, "conn-numconns.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x1 - x0, ==, 3);
  assert_heat_order (&s, conn_num, 3, 3);
  shot_clear (&s);

  /* The drop-down sets the action and computes again. */
  gtk_drop_down_set_selected (nth_widget (panel, GTK_TYPE_DROP_DOWN, 0), 1);
  {
    g_autofree char *feature = option_string (panel, "feature");
    g_assert_cmpstr (feature, ==, "weight");
  }
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (150);
  shot_take (&s, panel, "conn-weight.png");
  assert_heat_order (&s, conn_weight, 3, 3);
  shot_clear (&s);

  /* By cell: 12 × 12, the counts of single pairs (1 where a rule connects them). */
  set_option (panel, "feature", g_variant_new_string ("numConns"));
  set_option (panel, "group-by", g_variant_new_string ("cell"));
  shot_take (&s, panel, "conn-by-cell.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x1 - x0, ==, 12);
  {
    double want[12 * 12] = { 0 };
    guint first[3] = { 0, 2, 6 }, size[3] = { 2, 4, 6 };
    for (guint a = 0; a < 3; a++)
      for (guint b = 0; b < 3; b++)
        if (conn_num[a * 3 + b] > 0)
          for (guint i = first[a]; i < first[a] + size[a]; i++)
            for (guint j = first[b]; j < first[b] + size[b]; j++)
              want[i * 12 + j] = i != j;
    /* Only the rows of A and B and three of C: the order check is quadratic. */
    assert_heat_order (&s, want, 5, 12);
  }
  shot_clear (&s);

  /* A feature that needs groups is refused by cell, with the reason in place of the figure. */
  set_option (panel, "feature", g_variant_new_string ("strength"));
  {
    g_autofree char *err = panel_error (panel);
    g_assert_nonnull (strstr (err, "group by population"));
  }
  set_option (panel, "group-by", g_variant_new_string ("pop"));
  assert_no_panel_error (panel);
  gtk_window_destroy (GTK_WINDOW (w));
}

/* net2d -------------------------------------------------------------------------------------- */

static const double net2d_pos[5][3] = {
  { 10, 20, 30 }, { 80, 45, 60 }, { 50, 90, 15 },   /* A */
  { 30, 65, 90 }, { 70, 10, 50 },                   /* B */
};

static void
assert_cells_at (const Shot *s, int cx, int cy)
{
  NlAxes *axes = shot_axes (s);

  for (guint g = 0; g < 5; g++)
    {
      NlColor c = nl_palette_color (g < 3 ? 0 : 1, 2), other = nl_palette_color (g < 3 ? 1 : 0, 2);
      double x = nl_axes_x_to_px (axes, net2d_pos[g][cx]), y = nl_axes_y_to_px (axes, net2d_pos[g][cy]);
      const guchar *p = shot_pixel (s, x, y);
      /* Markers are drawn at 90 % opacity over white. */
      NlColor seen = { (c.r * 0.9 + 0.1), (c.g * 0.9 + 0.1), (c.b * 0.9 + 0.1) };
      if (colour_distance (p, seen) > 30 || colour_distance (p, other) < colour_distance (p, c))
        g_error ("cell %u at (%.0f, %.0f) px: colour %d,%d,%d, not its population's", g, x, y, p[0], p[1], p[2]);
    }
}

static void
test_net2d (void)
{
  g_autoptr(NlNetwork) net = build ("{'netParams': {" CELL_PARAMS ","
    " 'popParams': {'A': {'cellType': 'PYR', 'cellsList': [{'x': 10, 'y': 20, 'z': 30}, {'x': 80, 'y': 45, 'z': 60},"
    "                                                      {'x': 50, 'y': 90, 'z': 15}]},"
    "               'B': {'cellType': 'PYR', 'cellsList': [{'x': 30, 'y': 65, 'z': 90}, {'x': 70, 'y': 10, 'z': 50}]}},"
    " 'connParams': {'AB': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'weight': 0.01, 'synMech': 'exc'}}},"
    " 'simConfig': {'duration': 100}}");
  NlWindow *w = new_window ();
  GtkWidget *panel;
  Shot s = { 0 };

  for (guint g = 0; g < 5; g++)
    for (guint c = 0; c < 3; c++)
      g_assert_cmpfloat (nl_network_get_coords (net, NL_COORD_X + c)[g], ==, net2d_pos[g][c]);
  nl_session_set_model (nl_window_get_session (w), NULL, net, NULL);
  panel = show_panel (w, "net2d");
  shot_take (&s, panel, "net2d-xy.png");
  assert_cells_at (&s, 0, 1);
  shot_clear (&s);

  set_option (panel, "projection", g_variant_new_string ("xz"));
  shot_take (&s, panel, "net2d-xz.png");
  assert_cells_at (&s, 0, 2);
  shot_clear (&s);

  set_option (panel, "projection", g_variant_new_string ("zy"));
  shot_take (&s, panel, "net2d-zy.png");
  assert_cells_at (&s, 2, 1);
  shot_clear (&s);
  gtk_window_destroy (GTK_WINDOW (w));
}

/* traces ------------------------------------------------------------------------------------- */

#define TR_N 1001   /* 0 … 500 ms every 0.5 ms */

static double
v_a (double t)
{
  return -65 + 10 * sin (2 * G_PI * t / 100);
}

static double
v_b (double t)
{
  return -40 + 5 * cos (2 * G_PI * t / 250);
}

static double
i_a (double t)
{
  return 0.1 * sin (2 * G_PI * t / 50);
}

static NlResults *
traces_results (void)
{
  NlResults *r = nl_results_new ();
  guint32 a[] = { 0, 1 }, b[] = { 2, 3 };
  double *t = g_new (double, TR_N), *va = g_new (double, TR_N), *vb = g_new (double, TR_N), *ia = g_new (double, TR_N);

  for (guint i = 0; i < TR_N; i++)
    {
      t[i] = 0.5 * i;
      va[i] = v_a (t[i]);
      vb[i] = v_b (t[i]);
      ia[i] = i_a (t[i]);
    }
  nl_results_set_n_cells (r, 4);
  nl_results_add_pop (r, "A", a, 2);
  nl_results_add_pop (r, "B", b, 2);
  nl_results_set_duration (r, 500);
  nl_results_set_trace_time (r, t, TR_N);
  nl_results_add_trace (r, "V_soma", 0, va, TR_N);
  nl_results_add_trace (r, "V_soma", 2, vb, TR_N);
  nl_results_add_trace (r, "i_syn", 0, ia, TR_N);
  return r;
}

/* The curve f passes through its colour at each of the times. */
static void
assert_curve (const Shot *s, double (*f) (double), NlColor c, double t0, double t1)
{
  NlAxes *axes = shot_axes (s);

  for (guint k = 0; k <= 20; k++)
    {
      double t = t0 + (t1 - t0) * (0.025 + 0.95 * k / 20.0);
      double x = nl_axes_x_to_px (axes, t), y = nl_axes_y_to_px (axes, f (t));
      int d = nearest_colour (s, x, y, c, 2);
      if (d > 60)
        g_error ("no curve at t = %.1f ms, %.2f (%.0f, %.0f px): nearest colour differs by %d", t, f (t), x, y, d);
    }
}

static void
test_traces (void)
{
  g_autoptr(NlResults) r = traces_results ();
  NlWindow *w = new_window ();
  GtkWidget *panel;
  Shot s = { 0 };
  double x0, x1, y0, y1;

  nl_session_set_results (nl_window_get_session (w), r, NULL);
  panel = show_panel (w, "traces");
  {
    g_autoptr(GVariant) trace = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), "trace");
    g_assert_cmpstr (g_variant_get_string (trace, NULL), ==, "V_soma");
  }
  shot_take (&s, panel, "traces-all.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x0, ==, 0);
  g_assert_cmpfloat (x1, ==, 500);
  assert_curve (&s, v_a, nl_palette_color (0, 2), 0, 500);
  assert_curve (&s, v_b, nl_palette_color (1, 2), 0, 500);
  shot_clear (&s);

  /* Population B only: its cell alone, and the axis no longer spans A's sine. */
  set_option (panel, "cells", g_variant_new_string ("B"));
  shot_take (&s, panel, "traces-pop-b.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (MIN (y0, y1), >, -50);
  assert_curve (&s, v_b, nl_palette_color (0, 1), 0, 500);
  shot_clear (&s);

  /* Another trace, and a time window. */
  set_option (panel, "cells", g_variant_new_string (""));
  set_option (panel, "trace", g_variant_new_string ("i_syn"));
  set_option (panel, "time-range", g_variant_new ("(dd)", 100.0, 300.0));
  g_assert_cmpfloat (gtk_spin_button_get_value (nth_widget (panel, GTK_TYPE_SPIN_BUTTON, 0)), ==, 100);
  g_assert_cmpfloat (gtk_spin_button_get_value (nth_widget (panel, GTK_TYPE_SPIN_BUTTON, 1)), ==, 300);
  shot_take (&s, panel, "traces-isyn.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x0, ==, 100);
  g_assert_cmpfloat (x1, ==, 300);
  g_assert_cmpfloat (MAX (y0, y1), <, 1);
  assert_curve (&s, i_a, nl_palette_color (0, 1), 100, 300);
  shot_clear (&s);

  /* The controls set the actions: the cells drop-down (all, A, B) and the window's end. */
  gtk_drop_down_set_selected (nth_widget (panel, GTK_TYPE_DROP_DOWN, 1), 2);
  gtk_spin_button_set_value (nth_widget (panel, GTK_TYPE_SPIN_BUTTON, 1), 200);
  {
    g_autofree char *cells = option_string (panel, "cells");
    g_autoptr(GVariant) range = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)),
                                                                 "time-range");
    g_assert_cmpstr (cells, ==, "B");
    g_assert_true (g_variant_is_of_type (range, G_VARIANT_TYPE ("(dd)")));
    g_variant_get (range, "(dd)", &x0, &x1);
    g_assert_cmpfloat (x0, ==, 100);
    g_assert_cmpfloat (x1, ==, 200);
  }

  /* Other results: a trace of that name no longer exists, the panel shows their first. */
  {
    g_autoptr(NlResults) r2 = nl_results_new ();
    double *t = g_new (double, 3), *v = g_new (double, 3);
    guint32 a[] = { 0 };
    for (guint i = 0; i < 3; i++)
      t[i] = i, v[i] = -70.0 + i;
    nl_results_add_pop (r2, "A", a, 1);
    nl_results_set_trace_time (r2, t, 3);
    nl_results_add_trace (r2, "V_dend", 0, v, 3);
    nl_session_set_results (nl_window_get_session (w), r2, NULL);
    g_assert_true (nl_ui_wait (computed, panel, 60000));
    nl_ui_settle (150);
    assert_no_panel_error (panel);
    {
      g_autofree char *trace = option_string (panel, "trace");
      g_autofree char *cells = option_string (panel, "cells");
      g_autoptr(GVariant) range = g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)),
                                                                   "time-range");
      g_assert_cmpstr (trace, ==, "V_dend");
      g_assert_cmpstr (cells, ==, "");
      /* 100 … 200 ms is past this run's end (2 ms): the whole run again. */
      g_variant_get (range, "(dd)", &x0, &x1);
      g_assert_cmpfloat (x0, ==, 0);
      g_assert_cmpfloat (x1, ==, 0);
    }
    shot_take (&s, panel, "traces-new-results.png");
    nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
    g_assert_cmpfloat (x1, ==, 2);
    shot_clear (&s);
  }
  gtk_window_destroy (GTK_WINDOW (w));
}

/* spikestats --------------------------------------------------------------------------------- */

static void
add_spike (GArray *t, GArray *g, double time, guint32 gid)
{
  g_array_append_val (t, time);
  g_array_append_val (g, gid);
}

static double
median (double *v, guint n)
{
  for (guint i = 1; i < n; i++)   /* insertion sort: a handful of values */
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--)
      {
        double x = v[j];
        v[j] = v[j - 1];
        v[j - 1] = x;
      }
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A: 10 regular cells firing 11 … 20 spikes in the 1 s run (ISI CV 0); B: 10 cells whose
 * intervals alternate 20 and 60 ms (ISI CV near 0.5), starting 3 + 7k ms. */
static NlResults *
spikestats_results (double *rate_med, double *cv_med)
{
  NlResults *r = nl_results_new ();
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) g = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 a[10], b[10];
  double rates[2][10], cvs[2][10];

  for (guint k = 0; k < 10; k++)
    {
      guint n = 11 + k;
      a[k] = k;
      b[k] = 10 + k;
      for (guint j = 0; j < n; j++)
        add_spike (t, g, (j + 0.5) * 1000.0 / n, k);
      rates[0][k] = n;
      cvs[0][k] = 0;
    }
  for (guint k = 0; k < 10; k++)
    {
      double s = 3 + 7 * k, sum = 0, sum2 = 0;
      guint n = 0, ni;
      while (s < 1000)
        {
          add_spike (t, g, s, 10 + k);
          s += n % 2 ? 60 : 20;
          n++;
        }
      /* Intervals alternate 20, 60, 20 …: their population SD over their mean. */
      ni = n - 1;
      for (guint j = 0; j < ni; j++)
        {
          double isi = j % 2 ? 60 : 20;
          sum += isi;
          sum2 += isi * isi;
        }
      rates[1][k] = n;
      cvs[1][k] = sqrt (sum2 / ni - (sum / ni) * (sum / ni)) / (sum / ni);
    }
  nl_results_set_n_cells (r, 20);
  nl_results_add_pop (r, "A", a, 10);
  nl_results_add_pop (r, "B", b, 10);
  nl_results_set_duration (r, 1000);
  {
    guint64 n = t->len;
    nl_results_set_spikes (r, (double *) g_array_free (g_steal_pointer (&t), FALSE),
                           (guint32 *) g_array_free (g_steal_pointer (&g), FALSE), n);
  }
  for (guint p = 0; p < 2; p++)
    {
      rate_med[p] = median (rates[p], 10);
      cv_med[p] = median (cvs[p], 10);
    }
  return r;
}

/* The black median line of box `p` is at `value`: the near-black rows of a column inside the
 * box (off its centre, away from the whisker) centre on the value's pixel row. */
static void
assert_median (const Shot *s, guint p, double value)
{
  NlAxes *axes = shot_axes (s);
  double px, py, pw, ph, x = nl_axes_x_to_px (axes, p + 0.15), want = nl_axes_y_to_px (axes, value);
  double sum = 0;
  guint n = 0;

  nl_axes_get_plot_area (axes, &px, &py, &pw, &ph);
  for (double y = py + 1; y < py + ph - 1; y++)
    {
      const guchar *c = shot_pixel (s, x, y);
      if (MAX (c[0], MAX (c[1], c[2])) < 70)
        {
          sum += y + 0.5;
          n++;
        }
    }
  if (n == 0 || n > 4 || fabs (sum / n - want) > 1.5)
    g_error ("box %u: median line expected at %.1f px (value %g), dark rows: %u centred at %.1f", p, want, value, n,
             n ? sum / n : NAN);
}

static void
test_spikestats (void)
{
  double rate_med[2], cv_med[2];
  g_autoptr(NlResults) r = spikestats_results (rate_med, cv_med);
  NlWindow *w = new_window ();
  GtkWidget *panel;
  Shot s = { 0 };

  g_assert_cmpfloat (rate_med[0], ==, 15.5);
  g_assert_cmpfloat_with_epsilon (cv_med[1], 0.5, 0.05);
  nl_session_set_results (nl_window_get_session (w), r, NULL);
  panel = show_panel (w, "spikestats");
  shot_take (&s, panel, "spikestats-rate.png");
  assert_median (&s, 0, rate_med[0]);
  assert_median (&s, 1, rate_med[1]);
  shot_clear (&s);

  set_option (panel, "statistic", g_variant_new_string ("isicv"));
  shot_take (&s, panel, "spikestats-isicv.png");
  assert_median (&s, 0, cv_med[0]);
  assert_median (&s, 1, cv_med[1]);
  shot_clear (&s);

  /* SPIKE-sync: each cell's mean of its row of core's pairwise matrix. */
  set_option (panel, "statistic", g_variant_new_string ("pairsync"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) json = nl_spike_analysis_json (r, "sync", NULL, &error);
    JsonObject *cells;
    double v[2][10];

    g_assert_no_error (error);
    cells = json_object_get_object_member (json_node_get_object (json), "cells");
    for (guint gid = 0; gid < 20; gid++)
      {
        g_autofree char *key = g_strdup_printf ("%u", gid);
        v[gid / 10][gid % 10] = json_object_get_double_member (json_object_get_object_member (cells, key), "pairsync");
      }
    shot_take (&s, panel, "spikestats-sync.png");
    assert_median (&s, 0, median (v[0], 10));
    assert_median (&s, 1, median (v[1], 10));
    shot_clear (&s);
  }
  gtk_window_destroy (GTK_WINDOW (w));
}

/* ratepsd ------------------------------------------------------------------------------------ */

/* Two populations of 50 cells whose spike counts per 5 ms follow sinusoids of 25 Hz (A) and
 * 10 Hz (B) over 4 s: every spike at its bin's centre. */
static NlResults *
ratepsd_results (void)
{
  NlResults *r = nl_results_new ();
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) g = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint32 gids[2][50];
  const double freq[2] = { 25, 10 };

  for (guint p = 0; p < 2; p++)
    {
      guint next = 0;
      for (guint k = 0; k < 50; k++)
        gids[p][k] = 50 * p + k;
      for (guint bin = 0; bin < 800; bin++)
        {
          double tc = 5 * bin + 2.5;
          int n = (int) lround (20 + 15 * sin (2 * G_PI * freq[p] * tc / 1000));
          for (int i = 0; i < n; i++, next++)
            add_spike (t, g, tc, gids[p][next % 50]);
        }
    }
  nl_results_set_n_cells (r, 100);
  nl_results_add_pop (r, "A", gids[0], 50);
  nl_results_add_pop (r, "B", gids[1], 50);
  nl_results_set_duration (r, 4000);
  {
    guint64 n = t->len;
    nl_results_set_spikes (r, (double *) g_array_free (g_steal_pointer (&t), FALSE),
                           (guint32 *) g_array_free (g_steal_pointer (&g), FALSE), n);
  }
  return r;
}

/* The highest point of the curve in colour `c` is at `freq` Hz. */
static void
assert_peak (const Shot *s, NlColor c, double freq)
{
  NlAxes *axes = shot_axes (s);
  double px, py, pw, ph, want = nl_axes_x_to_px (axes, freq), per_hz = nl_axes_x_to_px (axes, freq + 1) - want;

  nl_axes_get_plot_area (axes, &px, &py, &pw, &ph);
  for (double y = py + 1; y < py + ph - 1; y++)
    {
      double sum = 0;
      guint n = 0;
      for (double x = px + 1; x < px + pw - 1; x++)
        if (colour_distance (shot_pixel (s, x, y), c) < 40)
          {
            sum += x + 0.5;
            n++;
          }
      if (n)
        {
          if (fabs (sum / n - want) > 1.5 * per_hz)
            g_error ("highest point at %.1f px, expected the peak at %g Hz, %.1f px (%.1f px/Hz)", sum / n, freq,
                     want, per_hz);
          return;
        }
    }
  g_error ("no curve of colour %.2f,%.2f,%.2f", c.r, c.g, c.b);
}

static void
test_ratepsd (void)
{
  g_autoptr(NlResults) r = ratepsd_results ();
  NlWindow *w = new_window ();
  GtkWidget *panel;
  Shot s = { 0 };
  double x0, x1, y0, y1;

  nl_session_set_results (nl_window_get_session (w), r, NULL);
  panel = show_panel (w, "ratepsd");
  shot_take (&s, panel, "ratepsd-5ms.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x1, ==, 100);
  assert_peak (&s, nl_palette_color (0, 2), 25);
  assert_peak (&s, nl_palette_color (1, 2), 10);
  shot_clear (&s);

  /* 10 ms bins: sampled at 100 Hz, the spectrum stops at 50 Hz; the peaks stay. */
  set_option (panel, "bin", g_variant_new_double (10));
  shot_take (&s, panel, "ratepsd-10ms.png");
  nl_axes_get_limits (shot_axes (&s), &x0, &x1, &y0, &y1);
  g_assert_cmpfloat (x1, ==, 50);
  assert_peak (&s, nl_palette_color (0, 2), 25);
  assert_peak (&s, nl_palette_color (1, 2), 10);
  shot_clear (&s);
  gtk_window_destroy (GTK_WINDOW (w));
}

/* errors ------------------------------------------------------------------------------------- */

static void
assert_panel_error (GtkWidget *panel, const char *part)
{
  g_autofree char *err = NULL;

  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (50);
  err = panel_error (panel);
  if (!strstr (err, part))
    g_error ("panel error '%s' does not say '%s'", err, part);
  g_assert_null (nl_figure_panel_get_data (NL_FIGURE_PANEL (panel)));
}

/* What a panel cannot show, it says in place of the figure. */
static void
test_errors (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  g_autoptr(NlNetwork) net = build ("{'netParams': {" CELL_PARAMS ","
                                    " 'popParams': {'A': {'cellType': 'PYR', 'numCells': 2001}}},"
                                    " 'simConfig': {'duration': 100}}");
  guint32 gids[] = { 0, 1 };
  NlWindow *w = new_window ();
  GtkWidget *panel;

  nl_results_add_pop (r, "A", gids, 2);
  nl_results_set_duration (r, 100);
  nl_session_set_results (nl_window_get_session (w), r, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "traces"));
  assert_panel_error (nl_window_get_current_panel (w), "recordTraces");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "ratepsd"));
  assert_panel_error (nl_window_get_current_panel (w), "no spikes");

  nl_session_set_model (nl_window_get_session (w), NULL, net, NULL);
  panel = show_panel (w, "conn");
  set_option (panel, "group-by", g_variant_new_string ("cell"));
  assert_panel_error (panel, "up to 2000 cells");
  g_object_unref (nl_ui_render (panel, "conn-error.png"));
  /* Back to populations: the figure again. */
  set_option (panel, "group-by", g_variant_new_string ("pop"));
  assert_no_panel_error (panel);
  g_assert_nonnull (nl_figure_panel_get_data (NL_FIGURE_PANEL (panel)));
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panel-figures/conn", test_conn);
  g_test_add_func ("/panel-figures/net2d", test_net2d);
  g_test_add_func ("/panel-figures/traces", test_traces);
  g_test_add_func ("/panel-figures/spikestats", test_spikestats);
  g_test_add_func ("/panel-figures/ratepsd", test_ratepsd);
  g_test_add_func ("/panel-figures/errors", test_errors);
  return g_test_run ();
}
