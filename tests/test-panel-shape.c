/* test-panel-shape.c — the cell-shape panel on a small model: a soma along x and a dendrite
 * rising along x and z. Seen on the x–y plane the cell is a horizontal bar; turned by 90° of
 * elevation the dendrite's z shows and the silhouette becomes a diagonal. Actions drive it:
 * rotate, zoom, reset, cell, color-by; Export writes the same view. */
#include <adwaita.h>
#include <math.h>
#include <nl-panel.h>
#include <nl-window.h>
#include <glib/gstdio.h>
#include <string.h>

#include "nl-testutil.h"
#include "nl-uitest.h"

static const char model[] =
  "{\"netParams\": {"
  " \"popParams\": {\"P\": {\"cellType\": \"PYR\", \"cellsList\": [{\"x\": 0, \"y\": 0, \"z\": 0}]},"
  "                 \"S\": {\"cellModel\": \"NetStim\", \"numCells\": 4, \"rate\": 10}},"
  " \"cellParams\": {\"PYR\": {\"conds\": {\"cellType\": \"PYR\"}, \"secs\": {"
  "   \"soma\": {\"geom\": {\"nseg\": 1, \"pt3d\": [[-10, 0, 0, 20], [10, 0, 0, 20]]}},"
  "   \"dend\": {\"geom\": {\"nseg\": 10, \"pt3d\": [[10, 0, 0, 6], [150, 0, 150, 6]]},"
  "              \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
  " \"synMechParams\": {\"AMPA\": {\"mod\": \"Exp2Syn\"}},"
  " \"connParams\": {\"S->P\": {\"preConds\": {\"pop\": \"S\"}, \"postConds\": {\"pop\": \"P\"},"
  "   \"synMech\": \"AMPA\", \"sec\": \"dend\", \"loc\": 0.95, \"weight\": 0.01, \"delay\": 1}}},"
  " \"simConfig\": {\"duration\": 10}}";

static gboolean
not_busy (gpointer w)
{
  return !nl_window_is_busy (w);
}

static gboolean
computed (gpointer panel)
{
  g_autoptr(GVariant) s = g_action_group_get_action_state (nl_panel_get_action_group (panel), "computing");
  return !g_variant_get_boolean (s);
}

typedef struct {
  guint  n;
  double xmin, xmax, ymin, ymax;
  double corr;     /* correlation of x and y (image rows grow downwards) */
} Silhouette;

/* Coloured (non-white) pixels of the GL view. */
static Silhouette
silhouette (GtkWidget *area, const char *png)
{
  g_autoptr(GdkTexture) t = nl_ui_render (area, png);
  int w, h;
  g_autofree guchar *px = nl_ui_pixels (t, &w, &h);
  Silhouette s = { 0, INFINITY, -INFINITY, INFINITY, -INFINITY, 0 };
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        const guchar *p = px + 4 * ((gsize) y * w + x);
        if (p[0] > 240 && p[1] > 240 && p[2] > 240)
          continue;
        s.n++;
        s.xmin = MIN (s.xmin, x), s.xmax = MAX (s.xmax, x);
        s.ymin = MIN (s.ymin, y), s.ymax = MAX (s.ymax, y);
        sx += x, sy += y, sxx += (double) x * x, syy += (double) y * y, sxy += (double) x * y;
      }
  if (s.n > 1)
    {
      double cxy = sxy / s.n - sx / s.n * sy / s.n, cxx = sxx / s.n - sx / s.n * sx / s.n;
      double cyy = syy / s.n - sy / s.n * sy / s.n;
      s.corr = cxx > 0 && cyy > 0 ? cxy / sqrt (cxx * cyy) : 0;
    }
  g_test_message ("%s: %u pixels, x %g…%g, y %g…%g, corr %g", png, s.n, s.xmin, s.xmax, s.ymin, s.ymax, s.corr);
  return s;
}

static GVariant *
state (GActionGroup *g, const char *name)
{
  return g_action_group_get_action_state (g, name);
}

static void
test_shape_panel (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "shape-model.json", NULL);
  g_assert_true (g_file_set_contents (path, model, -1, NULL));
  NlWindow *w = nl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (w), 1000, 700);
  gtk_window_present (GTK_WINDOW (w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.open-file", "s", path));
  g_assert_true (nl_ui_wait (not_busy, w, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w), "win.add-panel", "s", "shape"));
  GtkWidget *panel = nl_window_get_current_panel (w);
  g_assert_nonnull (panel);
  GActionGroup *g = nl_panel_get_action_group (NL_PANEL (panel));
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (200);
  {
    g_autoptr(GVariant) err = state (g, "error");
    g_assert_cmpstr (g_variant_get_string (err, NULL), ==, "");
  }
  /* the GL area: in the overlay that is the last child of the panel's box */
  GtkWidget *overlay = gtk_widget_get_last_child (gtk_widget_get_first_child (panel));
  g_assert_true (GTK_IS_OVERLAY (overlay));
  GtkWidget *area = gtk_overlay_get_child (GTK_OVERLAY (overlay));
  g_assert_true (GTK_IS_GL_AREA (area));

  /* x–y plane: a horizontal bar (the soma 20 µm thick, the dendrite 140 µm along x) */
  Silhouette a = silhouette (area, "shape-xy.png");
  g_assert_cmpuint (a.n, >, 500);
  g_assert_cmpfloat (a.ymax - a.ymin, <, 0.25 * (a.xmax - a.xmin));
  g_object_unref (nl_ui_render (panel, "shape-panel.png"));

  /* tilted by 90°: z shows downwards, the dendrite is a diagonal going right and down */
  g_action_group_activate_action (g, "rotate", g_variant_new ("(dd)", 0.0, 90.0));
  {
    g_autoptr(GVariant) r = state (g, "rotate");
    double az, el;
    g_variant_get (r, "(dd)", &az, &el);
    g_assert_cmpfloat (az, ==, 0);
    g_assert_cmpfloat (el, ==, 90);
  }
  nl_ui_settle (150);
  Silhouette b = silhouette (area, "shape-tilted.png");
  g_assert_cmpuint (b.n, >, 500);
  g_assert_cmpfloat (b.ymax - b.ymin, >, 0.7 * (b.xmax - b.xmin));
  g_assert_cmpfloat (b.corr, >, 0.8);
  /* the same scale: the bounding sphere does not change with the view */
  g_assert_cmpfloat (fabs ((b.xmax - b.xmin) - (a.xmax - a.xmin)), <, 0.1 * (a.xmax - a.xmin));

  /* zoom doubles the drawing, reset brings the plane view back */
  g_action_group_activate_action (g, "zoom", g_variant_new_double (2.0));
  {
    g_autoptr(GVariant) z = state (g, "zoom");
    g_assert_cmpfloat (g_variant_get_double (z), ==, 2.0);
  }
  g_action_group_activate_action (g, "reset", NULL);
  nl_ui_settle (150);
  {
    g_autoptr(GVariant) z = state (g, "zoom");
    g_assert_cmpfloat (g_variant_get_double (z), ==, 1.0);
  }
  Silhouette c = silhouette (area, "shape-reset.png");
  g_assert_cmpfloat (fabs (c.xmax - a.xmax), <=, 1);
  g_assert_cmpfloat (fabs (c.ymax - a.ymax), <=, 1);

  /* synapses per segment: all 4 NetStims end on the dendrite's last segment */
  g_action_group_change_action_state (g, "color-by", g_variant_new_string ("synapses"));
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  nl_ui_settle (150);
  {
    g_autoptr(GVariant) s = state (g, "color-by");
    g_assert_cmpstr (g_variant_get_string (s, NULL), ==, "synapses");
  }
  {
    g_autoptr(GdkTexture) t = nl_ui_render (area, "shape-synapses.png");
    int tw, th;
    g_autofree guchar *px = nl_ui_pixels (t, &tw, &th);
    /* the brightest colour (light yellow: red and green high, blue low) is at the right end */
    guint yellow = 0;
    double yx = 0;
    for (int i = 0; i < tw * th; i++)
      if (px[4 * i] > 200 && px[4 * i + 1] > 200 && px[4 * i + 2] < 150)
        yellow++, yx += i % tw;
    g_assert_cmpuint (yellow, >, 20);
    g_assert_cmpfloat (yx / yellow, >, a.xmin + 0.8 * (a.xmax - a.xmin));
  }
  g_object_unref (nl_ui_render (panel, "shape-panel-synapses.png"));

  /* one cell; a gid that is not there is an error and changes nothing */
  g_action_group_change_action_state (g, "cell", g_variant_new_string ("0"));
  g_assert_true (nl_ui_wait (computed, panel, 60000));
  {
    g_autoptr(GVariant) s = state (g, "cell");
    g_assert_cmpstr (g_variant_get_string (s, NULL), ==, "0");
  }
  g_action_group_change_action_state (g, "cell", g_variant_new_string ("99"));
  {
    g_autoptr(GVariant) s = state (g, "cell");
    g_autoptr(GVariant) e = state (g, "error");
    g_assert_cmpstr (g_variant_get_string (s, NULL), ==, "0");
    g_assert_nonnull (strstr (g_variant_get_string (e, NULL), "99"));
  }

  /* Export: the shape figure */
  g_autofree char *out = g_build_filename (nl_test_tmpdir (), "shape-export.png", NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true (nl_panel_export_figure (NL_PANEL (panel), out, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  if (g_getenv ("NL_UI_SCREENSHOTS"))
    {
      g_autofree char *keep = g_build_filename (g_getenv ("NL_UI_SCREENSHOTS"), "shape-export.png", NULL);
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (out, &data, &len, NULL));
      g_file_set_contents (keep, data, len, NULL);
    }
  gtk_window_destroy (GTK_WINDOW (w));
}

int
main (int argc, char **argv)
{
  nl_ui_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/panel-shape/silhouette", test_shape_panel);
  return g_test_run ();
}
