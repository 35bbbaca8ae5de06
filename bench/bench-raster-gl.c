/* bench-raster-gl — how fluid the workbench's raster panel is: the redraw time of its GL
 * render callback (measured inside the panel, ending with glFinish: NETLOOM_GL_TIMING) for an
 * unchanged view and after zooms and pans (the spikes binned again), at 1 M and 10 M random
 * spikes (5,000 cells in 3 populations, 1 s), and the time from opening a results file with
 * 10 M spikes to the first complete frame.
 *
 * Usage (needs a display; Xvfb gives Mesa's software GL):
 *   xvfb-run -a -s "-screen 0 1280x800x24" build/bench/bench-raster-gl [--no-file] [--ext EXT]
 *                                                               [FILE] [N…]
 * N defaults to 1000000 10000000; the file (default: a temporary spikes.json.gz, or another
 * extension nl_results_write knows, written with nl_results_write) holds the largest N.
 * Times in ms unless marked s.
 */
#include <epoxy/gl.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <nl-panel.h>
#include <nl-results-read.h>
#include <nl-results-write.h>
#include <stdlib.h>
#include <string.h>

static NlResults *
make_results (guint64 n)
{
  const guint n_cells = 5000, sizes[3] = { 3000, 1500, 500 };
  NlResults *r = nl_results_new ();
  g_autofree guint32 *gids = g_new (guint32, n_cells);
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n);
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n_cells; i++)
    gids[i] = i;
  nl_results_add_pop (r, "E", gids, sizes[0]);
  nl_results_add_pop (r, "I", gids + sizes[0], sizes[1]);
  nl_results_add_pop (r, "S", gids + sizes[0] + sizes[1], sizes[2]);
  for (guint64 k = 0; k < n; k++)
    {
      t[k] = 1000.0 * k / n;
      g[k] = (guint32) g_rand_int_range (rand, 0, (gint32) n_cells);
    }
  g_rand_free (rand);
  nl_results_set_n_cells (r, n_cells);
  nl_results_set_duration (r, 1000);
  nl_results_set_spikes (r, t, g, n);
  return r;
}

static GtkWidget *panel;

static GVariant *
state (const char *name)
{
  return g_action_group_get_action_state (nl_panel_get_action_group (NL_PANEL (panel)), name);
}

static void
stats (guint *frames, double *render_ms, double *bin_ms)
{
  g_autoptr(GVariant) v = state ("stats");
  g_variant_get (v, "(udd)", frames, render_ms, bin_ms);
}

static gboolean
ready (void)
{
  g_autoptr(GVariant) v = state ("view-ready");
  g_autoptr(GVariant) c = state ("computing");
  return g_variant_get_boolean (v) && !g_variant_get_boolean (c);
}

static gboolean
wait_for (gboolean (*done) (void), guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (!done ())
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static guint wait_frames_target;

static gboolean
frame_drawn (void)
{
  guint f;
  double r, b;
  stats (&f, &r, &b);
  return f >= wait_frames_target;
}

static GtkWidget *
find_gl_area (GtkWidget *w)
{
  if (GTK_IS_GL_AREA (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_gl_area (c);
      if (found)
        return found;
    }
  return NULL;
}

/* The machine's load, printed beside the figures (wall times grow with it). */
static void
print_load (const char *when)
{
  g_autofree char *text = NULL;
  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("load average %s: %s", when, text);
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
summary (const char *what, GArray *v)
{
  double *d = (double *) v->data;
  g_array_sort (v, cmp_double);
  g_print ("  %-44s median %7.2f   max %7.2f   (n = %u)\n", what, d[v->len / 2], d[v->len - 1], v->len);
}

static double
ms_since (gint64 t)
{
  return (g_get_monotonic_time () - t) / 1000.0;
}

/* Loads `r` into the panel and waits for its first complete frame; returns ms. */
static double
show (NlResults *r)
{
  g_autoptr(NlSession) session = nl_session_new ();
  gint64 t0 = g_get_monotonic_time ();

  nl_session_set_results (session, r, NULL);
  nl_panel_load (NL_PANEL (panel), session);
  if (!wait_for (ready, 120000))
    g_error ("the raster never showed its spikes");
  return ms_since (t0);
}

static void
run_size (guint64 n)
{
  g_autoptr(NlResults) r = make_results (n);
  GtkWidget *area = find_gl_area (panel);
  g_autoptr(GArray) redraw = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) zoom_cb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) zoom_bin = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) zoom_lat = g_array_new (FALSE, FALSE, sizeof (double));
  static const char *const steps[] = { "zoom-in", "pan+", "pan-", "zoom-out" };
  GActionGroup *group = nl_panel_get_action_group (NL_PANEL (panel));
  double first = show (r), render_ms, bin_ms;
  guint frames;
  int x, y, w, h;
  g_autoptr(GVariant) pa = state ("plot-area");

  g_variant_get (pa, "(iiii)", &x, &y, &w, &h);
  g_print ("%" G_GUINT64_FORMAT " spikes, plot area %d x %d px\n", n, w, h);
  g_print ("  %-44s %7.1f\n", "spikes in memory -> first complete frame", first);

  /* Unchanged view: the texture is drawn again. */
  for (int i = 0; i < 40; i++)
    {
      stats (&frames, &render_ms, &bin_ms);
      wait_frames_target = frames + 1;
      gtk_gl_area_queue_render (GTK_GL_AREA (area));
      if (!wait_for (frame_drawn, 10000))
        g_error ("no frame drawn");
      stats (&frames, &render_ms, &bin_ms);
      if (i >= 5)
        g_array_append_val (redraw, render_ms);
    }
  summary ("redraw, unchanged view (render callback)", redraw);

  /* Zoom and pan: each step needs a new grid. */
  for (int i = 0; i < 24; i++)
    {
      const char *s = steps[i % 4];
      gint64 t0 = g_get_monotonic_time ();
      double lat;

      if (g_str_has_prefix (s, "pan"))
        g_action_group_activate_action (group, "pan", g_variant_new_double (s[3] == '+' ? 0.5 : -0.5));
      else
        g_action_group_activate_action (group, s, NULL);
      if (!wait_for (ready, 60000))
        g_error ("zoom never finished");
      lat = ms_since (t0);
      stats (&frames, &render_ms, &bin_ms);
      g_array_append_val (zoom_cb, render_ms);
      g_array_append_val (zoom_bin, bin_ms);
      g_array_append_val (zoom_lat, lat);
    }
  summary ("zoom/pan: render callback of the new view", zoom_cb);
  summary ("zoom/pan: binning (CPU, in it or a worker)", zoom_bin);
  summary ("zoom/pan: action -> new view on screen", zoom_lat);
}

int
main (int argc, char **argv)
{
  gboolean file = TRUE;
  const char *path = NULL, *ext = ".json.gz";
  g_autofree char *tmpdir = NULL, *tmpfile = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  GtkWidget *win;
  guint64 largest = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--no-file"))
        file = FALSE;
      else if (g_str_equal (argv[i], "--ext") && i + 1 < argc)
        ext = argv[++i];
      else if (g_ascii_isdigit (argv[i][0]))
        {
          guint64 n = g_ascii_strtoull (argv[i], NULL, 10);
          g_array_append_val (sizes, n);
        }
      else
        path = argv[i];
    }
  if (sizes->len == 0)
    {
      guint64 a = 1000000, b = 10000000;
      g_array_append_val (sizes, a);
      g_array_append_val (sizes, b);
    }
  for (guint i = 0; i < sizes->len; i++)
    largest = MAX (largest, g_array_index (sizes, guint64, i));

  if (!g_getenv ("DISPLAY") && !g_getenv ("WAYLAND_DISPLAY"))
    {
      g_printerr ("bench-raster-gl: no display; run it under xvfb-run\n");
      return 77;
    }
  g_setenv ("NETLOOM_GL_TIMING", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  nl_panel_load_modules ();
  panel = GTK_WIDGET (nl_panel_new_by_name ("raster"));
  if (!panel)
    {
      g_printerr ("bench-raster-gl: the raster panel module was not found\n");
      return 1;
    }
  win = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (win), 1280, 800);
  gtk_widget_insert_action_group (panel, "panel", nl_panel_get_action_group (NL_PANEL (panel)));
  gtk_window_set_child (GTK_WINDOW (win), panel);
  gtk_window_present (GTK_WINDOW (win));
  while (!gtk_widget_get_mapped (panel))
    g_main_context_iteration (NULL, TRUE);

  {
    GtkWidget *area = find_gl_area (panel);
    g_autoptr(NlResults) tiny = make_results (1000);
    show (tiny);
    gtk_gl_area_make_current (GTK_GL_AREA (area));
    g_print ("GL: %s, %s; %u CPU threads for binning; render times end with glFinish\n",
             glGetString (GL_RENDERER), glGetString (GL_VERSION), g_get_num_processors ());
  }

  print_load ("before");
  for (guint i = 0; i < sizes->len; i++)
    run_size (g_array_index (sizes, guint64, i));

  if (file)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NlResults) back = NULL;
      gint64 t0;
      double read_s, shown_ms;

      if (!path)
        {
          g_autoptr(NlResults) r = make_results (largest);
          tmpdir = g_dir_make_tmp ("bench-raster-gl-XXXXXX", &error);
          g_assert_no_error (error);
          tmpfile = g_strconcat (tmpdir, G_DIR_SEPARATOR_S, "spikes", ext, NULL);
          t0 = g_get_monotonic_time ();
          if (!nl_results_write (r, tmpfile, NULL, &error))
            g_error ("%s", error->message);
          g_print ("wrote %s (%" G_GUINT64_FORMAT " spikes) in %.1f s\n", tmpfile, largest, ms_since (t0) / 1000);
          path = tmpfile;
        }
      t0 = g_get_monotonic_time ();
      back = nl_results_read (path, &error);
      if (!back)
        g_error ("%s", error->message);
      read_s = ms_since (t0) / 1000;
      shown_ms = show (back);
      g_print ("file %s: %" G_GUINT64_FORMAT " spikes\n", path, nl_results_get_n_spikes (back));
      g_print ("  %-44s %7.2f s\n", "read (nl_results_read)", read_s);
      g_print ("  %-44s %7.2f s\n", "results -> first complete frame", shown_ms / 1000);
      g_print ("  %-44s %7.2f s\n", "file -> first complete frame", read_s + shown_ms / 1000);
      if (tmpfile)
        {
          g_remove (tmpfile);
          g_rmdir (tmpdir);
        }
    }
  print_load ("after");
  gtk_window_destroy (GTK_WINDOW (win));
  return 0;
}
