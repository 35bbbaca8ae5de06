/* test-panel-raster.c — the GL raster panel shows every spike at exactly the pixels the raster
 * figure's mapping gives (nl-raster-figure.h) and nothing else inside the plot area, follows
 * set-range, zoom and pan, finds the spike under a point, and exports the figure of the same
 * view. Rendered through the window's GskRenderer under Xvfb (Mesa's software GL). */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <nl-panel.h>
#include <nl-raster-figure.h>
#include <nl-window.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

#define N_ROWS 20

/* Spikes (t, gid): cells 0–9 are E, 10–14 I, 15–19 S; gid 21 is in no population (not
 * drawn); one spike at t = 1000, the end of the run (last column). */
static const struct { double t; guint32 gid; } spikes[] = {
  { 12.5, 0 }, { 101, 3 }, { 150, 16 }, { 250.25, 9 }, { 333, 1 }, { 404.5, 5 }, { 450, 18 },
  { 480, 7 }, { 500, 21 }, { 520, 10 }, { 610, 12 }, { 700.75, 14 }, { 777, 11 }, { 820, 15 },
  { 905, 17 }, { 960, 19 }, { 999.5, 4 }, { 1000, 2 },
};

static NlResults *
make_results (void)
{
  NlResults *r = nl_results_new ();
  guint n = G_N_ELEMENTS (spikes);
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n), gids[N_ROWS];

  for (guint i = 0; i < N_ROWS; i++)
    gids[i] = i;
  nl_results_add_pop (r, "E", gids, 10);
  nl_results_add_pop (r, "I", gids + 10, 5);
  nl_results_add_pop (r, "S", gids + 15, 5);
  for (guint i = 0; i < n; i++)
    t[i] = spikes[i].t, g[i] = spikes[i].gid;
  nl_results_set_n_cells (r, 22);
  nl_results_set_duration (r, 1000);
  nl_results_set_spikes (r, t, g, n);
  return r;
}

static GVariant *
state (GtkWidget *panel, const char *name)
{
  return g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), name);
}

static void
activate (GtkWidget *panel, const char *name, GVariant *param)
{
  g_action_group_activate_action (nl_panel_get_action_group (NL_PANEL (panel)), name, param);
}

static gboolean
ready (gpointer panel)
{
  g_autoptr(GVariant) v = state (panel, "view-ready");
  g_autoptr(GVariant) c = state (panel, "computing");
  return g_variant_get_boolean (v) && !g_variant_get_boolean (c);
}

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

/* The figure's mapping (nl-raster-figure.h). */
static guint
column_of (double t, double t0, double t1, guint w)
{
  double f = (t - t0) * (w / (t1 - t0));
  guint c = f <= 0 ? 0 : (guint) f;
  return MIN (c, w - 1);
}

static void
row_band (guint i, guint n, guint h, guint *lo, guint *hi)
{
  guint64 a = (guint64) i * h / n, b = (guint64) (i + 1) * h / n;
  *lo = (guint) a;
  *hi = (guint) MAX (a + 1, b);
  if (*hi - *lo >= 4)
    {
      guint gap = (guint) floor (0.15 * (*hi - *lo));
      *lo += gap;
      *hi -= gap;
    }
}

static void
get_view (GtkWidget *panel, int *x, int *y, int *w, int *h, double *t0, double *t1)
{
  g_autoptr(GVariant) pa = state (panel, "plot-area");
  g_autoptr(GVariant) range = state (panel, "range");
  g_variant_get (pa, "(iiii)", x, y, w, h);
  g_variant_get (range, "(dd)", t0, t1);
}

static gboolean
is_mark (const guchar *p)
{
  return p[0] < 245 || p[1] < 245 || p[2] < 245;
}

/* Renders the panel and checks every pixel of its plot area: the population's colour where
 * a spike of t0..t1 falls, white elsewhere. Returns the number of spikes drawn. */
static guint
check_marks (GtkWidget *panel, const char *png)
{
  int x, y, w, h, iw, ih;
  double t0, t1;
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree guchar *px = NULL;
  g_autofree gint8 *want = NULL;
  guint marked = 0, drawn = 0;

  g_assert_true (nl_ui_wait (ready, panel, 30000));
  nl_ui_settle (100);
  get_view (panel, &x, &y, &w, &h, &t0, &t1);
  g_assert_cmpint (w, >, 200);
  g_assert_cmpint (h, >, 200);
  shot = nl_ui_render (panel, png);
  px = nl_ui_pixels (shot, &iw, &ih);
  g_assert_cmpint (x + w, <=, iw);
  g_assert_cmpint (y + h, <=, ih);

  /* Expected: pixel (column, row from the bottom) → population + 1, 0 for background. */
  want = g_new0 (gint8, (gsize) w * h);
  for (guint k = 0; k < G_N_ELEMENTS (spikes); k++)
    {
      guint c, lo, hi, row = spikes[k].gid;
      if (row >= N_ROWS || spikes[k].t < t0 || spikes[k].t > t1)
        continue;
      c = column_of (spikes[k].t, t0, t1, (guint) w);
      row_band (row, N_ROWS, (guint) h, &lo, &hi);
      drawn++;
      for (guint yb = lo; yb < hi; yb++)
        want[(gsize) yb * w + c] = row < 10 ? 1 : row < 15 ? 2 : 3;
    }
  for (int yb = 0; yb < h; yb++)
    for (int c = 0; c < w; c++)
      {
        const guchar *p = px + 4 * ((gsize) (y + h - 1 - yb) * iw + x + c);
        int pop = want[(gsize) yb * w + c];
        if (!pop)
          {
            if (is_mark (p))
              g_error ("%s: pixel (%d, %d from the bottom) of the plot area is %d,%d,%d: no spike there",
                       png, c, yb, p[0], p[1], p[2]);
            continue;
          }
        {
          NlColor col = nl_palette_color ((guint) pop - 1, 3);
          int r = (int) lround (col.r * 255), g = (int) lround (col.g * 255), b = (int) lround (col.b * 255);
          if (abs (p[0] - r) > 3 || abs (p[1] - g) > 3 || abs (p[2] - b) > 3)
            g_error ("%s: pixel (%d, %d from the bottom) is %d,%d,%d, population %d's colour is %d,%d,%d",
                     png, c, yb, p[0], p[1], p[2], pop - 1, r, g, b);
          marked++;
        }
      }
  g_assert_cmpuint (marked, >=, drawn);
  return drawn;
}

static void
expect_range (GtkWidget *panel, double t0, double t1)
{
  double a, b;
  g_autoptr(GVariant) range = state (panel, "range");
  g_variant_get (range, "(dd)", &a, &b);
  g_assert_cmpfloat_with_epsilon (a, t0, 1e-9);
  g_assert_cmpfloat_with_epsilon (b, t1, 1e-9);
}

static GtkWidget *
open_panel (NlWindow **win, NlResults *r)
{
  NlWindow *w = nl_window_new (NULL);
  GtkWidget *panel;

  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 700);
  gtk_window_present (GTK_WINDOW (w));
  nl_session_set_results (nl_window_get_session (w), r, NULL);
  g_assert_true (nl_ui_wait (not_busy, w, 30000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "raster"));
  panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  g_assert_cmpstr (nl_panel_get_title (NL_PANEL (panel)), ==, "Raster");
  *win = w;
  return panel;
}

/* Probes the centre of a spike's mark and checks the hover result names it. */
static void
check_probe (GtkWidget *panel, guint k)
{
  int x, y, w, h;
  double t0, t1;
  guint lo, hi;
  g_autoptr(GVariant) hover = NULL;
  g_autofree char *want = NULL;
  char tbuf[G_ASCII_DTOSTR_BUF_SIZE];
  guint32 gid = spikes[k].gid;

  get_view (panel, &x, &y, &w, &h, &t0, &t1);
  row_band (gid, N_ROWS, (guint) h, &lo, &hi);
  activate (panel, "probe",
            g_variant_new ("(dd)", x + column_of (spikes[k].t, t0, t1, (guint) w) + 0.5, y + h - 0.5 * (lo + hi)));
  hover = state (panel, "hover");
  want = g_strdup_printf ("gid=%u pop=%s t=%s", gid, gid < 10 ? "E" : gid < 15 ? "I" : "S",
                          g_ascii_dtostr (tbuf, sizeof tbuf, spikes[k].t));
  g_assert_cmpstr (g_variant_get_string (hover, NULL), ==, want);
}

static void
test_marks (void)
{
  g_autoptr(NlResults) r = make_results ();
  NlWindow *w;
  GtkWidget *panel = open_panel (&w, r);
  guint lo, hi;
  int x, y, pw, ph;
  double t0, t1;

  /* The whole run: every spike of the populations. */
  g_assert_true (nl_ui_wait (ready, panel, 30000));
  expect_range (panel, 0, 1000);
  get_view (panel, &x, &y, &pw, &ph, &t0, &t1);
  g_assert_cmpuint (check_marks (panel, "raster-all.png"), ==, 17);

  /* A window: only its spikes, at their new columns. */
  activate (panel, "set-range", g_variant_new ("(dd)", 300.0, 700.0));
  expect_range (panel, 300, 700);
  g_assert_cmpuint (check_marks (panel, "raster-300-700.png"), ==, 6);
  activate (panel, "zoom-in", NULL);
  expect_range (panel, 400, 600);
  g_assert_cmpuint (check_marks (panel, "raster-zoom-in.png"), ==, 4);
  activate (panel, "pan", g_variant_new_double (0.5));
  expect_range (panel, 500, 700);
  g_assert_cmpuint (check_marks (panel, "raster-pan.png"), ==, 2);
  activate (panel, "zoom-out", NULL);
  expect_range (panel, 400, 800);
  g_assert_cmpuint (check_marks (panel, "raster-zoom-out.png"), ==, 7);
  /* Panning past the end stops at the end of the run. */
  activate (panel, "pan", g_variant_new_double (5.0));
  expect_range (panel, 600, 1000);
  g_assert_cmpuint (check_marks (panel, "raster-end.png"), ==, 8);
  activate (panel, "reset", NULL);
  expect_range (panel, 0, 1000);
  g_assert_cmpuint (check_marks (panel, "raster-reset.png"), ==, 17);

  /* Hover: the spike under the point, nothing where there is none. */
  check_probe (panel, 5);    /* 404.5 ms, cell 5 (E) */
  check_probe (panel, 13);   /* 820 ms, cell 15 (S) */
  check_probe (panel, 17);   /* 1000 ms, the last column */
  {
    g_autoptr(GVariant) hover = NULL;
    row_band (8, N_ROWS, (guint) ph, &lo, &hi);
    activate (panel, "probe", g_variant_new ("(dd)", x + 0.9 * pw, y + ph - 0.5 * (lo + hi)));
    hover = state (panel, "hover");
    g_assert_cmpstr (g_variant_get_string (hover, NULL), ==, "");
  }

  gtk_window_destroy (GTK_WINDOW (w));
}

/* Export: the figure of the view (its range, at its size) equals nl_raster_figure_new's, and
 * its plot area is the one on screen with the same pixels marked. */
static void
test_export (void)
{
  g_autoptr(NlResults) r = make_results ();
  NlWindow *w;
  GtkWidget *panel = open_panel (&w, r);
  g_autofree char *out = g_build_filename (nl_test_tmpdir (), "raster-export.png", NULL);
  g_autofree char *ref = g_build_filename (nl_test_tmpdir (), "raster-reference.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) a = NULL, b = NULL, shot = NULL;
  g_autoptr(NlFigure) fig = NULL;
  g_autofree guchar *pa = NULL, *pb = NULL, *ps = NULL;
  NlRasterOptions o = { 0 };
  int x, y, pw, ph, aw, ah, bw, bh, sw, sh;
  double t0, t1, fx, fy, fw, fh;
  guint marks = 0;

  /* Asked for while the spikes are still being read: applied when they are. */
  activate (panel, "set-range", g_variant_new ("(dd)", 90.0, 830.0));
  g_assert_true (nl_ui_wait (ready, panel, 30000));
  expect_range (panel, 90, 830);
  nl_ui_settle (100);
  get_view (panel, &x, &y, &pw, &ph, &t0, &t1);
  g_remove (out);
  g_assert_true (nl_panel_export_figure (NL_PANEL (panel), out, &error));
  g_assert_no_error (error);
  a = gdk_texture_new_from_filename (out, &error);
  g_assert_no_error (error);
  pa = nl_ui_pixels (a, &aw, &ah);

  o.base.width = (guint) aw;
  o.base.height = (guint) ah;
  o.base.t_start = 90;
  o.base.t_stop = 830;
  fig = nl_raster_figure_new (r, &o, &error);
  g_assert_no_error (error);
  g_assert_true (nl_figure_save (fig, ref, &error));
  b = gdk_texture_new_from_filename (ref, &error);
  g_assert_no_error (error);
  pb = nl_ui_pixels (b, &bw, &bh);
  g_assert_cmpint (aw, ==, bw);
  g_assert_cmpint (ah, ==, bh);
  g_assert_cmpmem (pa, (gsize) aw * ah * 4, pb, (gsize) bw * bh * 4);

  /* The same plot area as on screen (the figure fills the panel above its status line). */
  nl_axes_get_plot_area (nl_figure_get_axes (fig, 0), &fx, &fy, &fw, &fh);
  g_assert_cmpint (x, ==, (int) fx);
  g_assert_cmpint (y, ==, (int) fy);
  g_assert_cmpint (pw, ==, (int) fw);
  g_assert_cmpint (ph, ==, (int) fh);
  g_assert_cmpint (aw, ==, gtk_widget_get_width (panel));
  g_assert_cmpint (ah, <, gtk_widget_get_height (panel));
  shot = nl_ui_render (panel, "raster-export-view.png");
  ps = nl_ui_pixels (shot, &sw, &sh);
  for (int j = 0; j < ph; j++)
    for (int i = 0; i < pw; i++)
      {
        gsize ka = 4 * ((gsize) (y + j) * aw + x + i), ks = 4 * ((gsize) (y + j) * sw + x + i);
        g_assert_cmpint (is_mark (pa + ka), ==, is_mark (ps + ks));
        if (is_mark (pa + ka))
          {
            marks++;
            for (int c = 0; c < 3; c++)
              g_assert_cmpint (abs (pa[ka + c] - ps[ks + c]), <=, 3);
          }
      }
  g_assert_cmpuint (marks, >, 0);
  gtk_window_destroy (GTK_WINDOW (w));
}

/* Many spikes, grids made in a worker thread (NETLOOM_RASTER_SYNC_MS=0): the density view
 * marks the same pixels as the figure. */
static void
test_density_worker (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const guint64 n = 300000;
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n), gids[500];
  GRand *rand = g_rand_new_with_seed (7);
  NlWindow *w;
  GtkWidget *panel;
  g_autofree char *out = g_build_filename (nl_test_tmpdir (), "raster-density.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) a = NULL, shot = NULL;
  g_autofree guchar *pa = NULL, *ps = NULL;
  int x, y, pw, ph, aw, ah, sw, sh;
  double t0, t1;
  guint marks = 0;

  for (guint i = 0; i < 500; i++)
    gids[i] = i;
  nl_results_add_pop (r, "E", gids, 400);
  nl_results_add_pop (r, "I", gids + 400, 100);
  for (guint64 k = 0; k < n; k++)
    {
      /* Bursts: dense and empty stretches, so both count levels and blanks show. */
      t[k] = 2000.0 * k / n;
      g[k] = (guint32) g_rand_int_range (rand, 0, (k / 1000) % 3 ? 500 : 60);
    }
  g_rand_free (rand);
  nl_results_set_duration (r, 2000);
  nl_results_set_spikes (r, t, g, n);

  g_setenv ("NETLOOM_RASTER_SYNC_MS", "0", TRUE);
  panel = open_panel (&w, r);
  g_assert_true (nl_ui_wait (ready, panel, 60000));
  activate (panel, "set-range", g_variant_new ("(dd)", 250.0, 1250.0));
  g_assert_true (nl_ui_wait (ready, panel, 60000));
  nl_ui_settle (100);
  get_view (panel, &x, &y, &pw, &ph, &t0, &t1);
  g_assert_cmpfloat (t0, ==, 250);
  g_assert_true (nl_panel_export_figure (NL_PANEL (panel), out, &error));
  g_assert_no_error (error);
  a = gdk_texture_new_from_filename (out, &error);
  g_assert_no_error (error);
  pa = nl_ui_pixels (a, &aw, &ah);
  shot = nl_ui_render (panel, "raster-density-view.png");
  ps = nl_ui_pixels (shot, &sw, &sh);
  for (int j = 0; j < ph; j++)
    for (int i = 0; i < pw; i++)
      {
        gsize ka = 4 * ((gsize) (y + j) * aw + x + i), ks = 4 * ((gsize) (y + j) * sw + x + i);
        if (is_mark (pa + ka) != is_mark (ps + ks))
          g_error ("density view: pixel (%d, %d) of the plot area differs from the figure", i, j);
        if (is_mark (pa + ka))
          {
            marks++;
            for (int c = 0; c < 3; c++)
              g_assert_cmpint (abs (pa[ka + c] - ps[ks + c]), <=, 3);
          }
      }
  g_assert_cmpuint (marks, >, (guint) (pw * ph / 20));
  g_unsetenv ("NETLOOM_RASTER_SYNC_MS");
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panel-raster/marks", test_marks);
  g_test_add_func ("/panel-raster/export", test_export);
  g_test_add_func ("/panel-raster/density-worker", test_density_worker);
  return g_test_run ();
}
