/* bench-raster — time a raster of 10 million random spikes (5,000 cells in 3 populations,
 * 1 s) from NlResults to a PNG file, as `netloom plot raster` would.
 *
 * Usage: bench-raster [OUT.png] [N_SPIKES]; prints the build, render+save and total times.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include <nl-raster-figure.h>

int
main (int argc, char **argv)
{
  const char *out = argc > 1 ? argv[1] : "bench-raster.png";
  guint64 n = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 10000000;
  const guint n_cells = 5000, sizes[3] = { 3000, 1500, 500 };
  g_autoptr(NlResults) r = nl_results_new ();
  g_autofree guint32 *gids = g_new (guint32, n_cells);
  double *t = g_new (double, n);
  guint32 *g = g_new (guint32, n);
  GRand *rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlFigure) fig = NULL;
  NlRasterOptions o = { 0 };
  gint64 t0, t1, t2;

  for (guint i = 0; i < n_cells; i++)
    gids[i] = i;
  nl_results_add_pop (r, "E", gids, sizes[0]);
  nl_results_add_pop (r, "I", gids + sizes[0], sizes[1]);
  nl_results_add_pop (r, "S", gids + sizes[0] + sizes[1], sizes[2]);
  /* Sorted times (as NlResults keeps them) with random cells. */
  for (guint64 k = 0; k < n; k++)
    {
      t[k] = 1000.0 * k / n;
      g[k] = (guint32) g_rand_int_range (rand, 0, (gint32) n_cells);
    }
  g_rand_free (rand);
  nl_results_set_n_cells (r, n_cells);
  nl_results_set_spikes (r, t, g, n);
  nl_results_set_duration (r, 1000);

  t0 = g_get_monotonic_time ();
  o.base.title = "10 M spikes";
  fig = nl_raster_figure_new (r, &o, &error);
  t1 = g_get_monotonic_time ();
  if (!fig || !nl_figure_save (fig, out, &error))
    {
      g_printerr ("bench-raster: %s\n", error->message);
      return 1;
    }
  t2 = g_get_monotonic_time ();
  g_print ("spikes %" G_GUINT64_FORMAT ", cells %u, image %ux%u px -> %s\n", n, n_cells,
           nl_figure_get_width (fig), nl_figure_get_height (fig), out);
  g_print ("figure (selection, rates)  %.3f s\n", (t1 - t0) / 1e6);
  g_print ("render + PNG (fsync)       %.3f s\n", (t2 - t1) / 1e6);
  g_print ("total                      %.3f s\n", (t2 - t0) / 1e6);
  return 0;
}
