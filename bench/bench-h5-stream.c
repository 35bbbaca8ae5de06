/* bench-h5-stream.c — saving a finished run's results and network to NetLoom's .h5: the
 * ranks' spike files streamed into the file (nl_run_merge_spikes into nl_h5_writer_*, what
 * `netloom run -o FILE.h5` does) against gathering them into memory and nl_h5_write. NEURON
 * is not run here: give the folder a run kept (`netloom run MODEL -n RANKS --run-dir DIR`).
 * Usage: bench-h5-stream MODEL RUN_DIR RANKS OUT_DIR [REPEATS [both|stream|gather]]; prints the
 * median seconds (one method alone, for its peak RSS under /usr/bin/time -v).
 * bench-h5-stream --make-ranks DIR RANKS N_SPIKES N_CELLS writes synthetic spikes_<r>.bin
 * (rank r owns gid % RANKS == r, times on a 0.025 ms grid over 500 ms, each rank sorted). */
#include <nl-build.h>
#include <nl-h5.h>
#include <nl-run.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gboolean
to_writer (const double *t, const guint32 *g, guint64 n, gpointer data, GError **error)
{
  return nl_h5_writer_add_spikes (data, t, g, n, error);
}

typedef struct { GArray *t, *g; } Gather;

static gboolean
gather (const double *t, const guint32 *g, guint64 n, gpointer data, GError **error)
{
  Gather *s = data;
  g_array_append_vals (s->t, t, n);
  g_array_append_vals (s->g, g, n);
  return TRUE;
}

/* Everything a run records but spikes and traces: cells, populations, duration, ranks. */
static NlResults *
rest_for (NlSpec *spec, NlNetwork *net, guint ranks)
{
  NlResults *r = nl_results_new ();
  nl_results_set_n_cells (r, nl_network_get_n_cells (net));
  for (guint p = 0; p < nl_network_get_n_pops (net); p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      g_autofree guint32 *gids = g_new (guint32, MAX (pop->n_cells, 1));
      for (guint i = 0; i < pop->n_cells; i++)
        gids[i] = pop->first + i;
      nl_results_add_pop (r, pop->name, gids, pop->n_cells);
    }
  nl_results_set_duration (r, nl_spec_get_double (spec, "simConfig.duration", 1000));
  json_object_set_int_member (nl_results_get_meta (r), "ranks", ranks);
  return r;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return v[n / 2];
}

static double
file_mb (const char *path)
{
  GStatBuf st;
  return g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0;
}

static int
make_ranks (const char *dir, guint ranks, guint64 n, guint n_cells)
{
  GRand *rand = g_rand_new_with_seed (3);
  for (guint r = 0; r < ranks; r++)
    {
      guint64 m = n / ranks + (r < n % ranks);
      g_autofree double *buf = g_new (double, 1 + 2 * m);
      g_autofree char *name = g_strdup_printf ("spikes_%u.bin", r);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      buf[0] = (double) m;
      /* Sorted times: m steps on the grid, each gid random among the rank's. */
      for (guint64 i = 0; i < m; i++)
        {
          buf[1 + i] = 0.025 * (double) (guint64) ((double) i * 20000.0 / (double) m);
          buf[1 + m + i] = (double) (ranks * g_rand_int_range (rand, 0, (gint32) (n_cells / ranks)) + r);
        }
      /* Within one time step, gids ascending (as NEURON's ranks write them). */
      for (guint64 i = 0; i < m;)
        {
          guint64 j = i;
          while (j < m && buf[1 + j] == buf[1 + i])
            j++;
          qsort (buf + 1 + m + i, j - i, sizeof (double), cmp_double);
          i = j;
        }
      FILE *f = fopen (path, "wb");
      if (!f || fwrite (buf, sizeof (double), 1 + 2 * m, f) != 1 + 2 * m || fclose (f) != 0)
        g_error ("cannot write %s", path);
    }
  g_rand_free (rand);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  if (argc == 6 && g_str_equal (argv[1], "--make-ranks"))
    return make_ranks (argv[2], (guint) atoi (argv[3]), g_ascii_strtoull (argv[4], NULL, 10), (guint) atoi (argv[5]));
  if (argc < 5)
    {
      fprintf (stderr, "usage: bench-h5-stream MODEL RUN_DIR RANKS OUT_DIR [REPEATS]\n");
      return 2;
    }
  const char *files[] = { argv[1] };
  const char *run_dir = argv[2], *out = argv[4];
  guint ranks = (guint) atoi (argv[3]), reps = argc > 5 ? (guint) atoi (argv[5]) : 5;
  const char *mode = argc > 6 ? argv[6] : "both";
  gboolean do_stream = !g_str_equal (mode, "gather"), do_gather = !g_str_equal (mode, "stream");
  g_autoptr(NlSpec) spec = nl_spec_load (files, 1, NULL, &error);
  if (!spec)
    g_error ("%s", error->message);
  NlBuildOptions opts = { 0 };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);
  if (!net)
    g_error ("%s", error->message);
  g_autofree char *ps = g_build_filename (out, "bench-stream.h5", NULL);
  g_autofree char *pm = g_build_filename (out, "bench-gather.h5", NULL);
  g_autofree double *ts = g_new (double, reps), *tg = g_new (double, reps), *tw = g_new (double, reps);
  guint64 n = 0;

  for (guint k = 0; k < reps; k++)
    {
      /* Streamed: merge and write, one pass, the per-cell index at the end. */
      g_autoptr(NlResults) rest = rest_for (spec, net, ranks);
      if (!do_stream)
        goto gathered;
      gint64 t0 = g_get_monotonic_time ();
      NlH5Writer *w = nl_h5_writer_new (ps, spec, net, nl_network_get_n_cells (net), &error);
      if (!w || !nl_run_merge_spikes (run_dir, ranks, to_writer, w, &error))
        g_error ("%s", error->message);
      n = nl_h5_writer_get_n_spikes (w);
      if (!nl_h5_writer_finish (w, rest, &error))
        g_error ("%s", error->message);
      ts[k] = (g_get_monotonic_time () - t0) / 1e6;
    gathered:
      if (!do_gather)
        continue;

      /* Gathered: every spike into memory, then nl_h5_write. */
      g_autoptr(NlResults) r = rest_for (spec, net, ranks);
      Gather s = { g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (guint32)) };
      t0 = g_get_monotonic_time ();
      if (!nl_run_merge_spikes (run_dir, ranks, gather, &s, &error))
        g_error ("%s", error->message);
      guint64 m = s.t->len;
      nl_results_set_spikes (r, (double *) g_array_free (s.t, FALSE), (guint32 *) g_array_free (s.g, FALSE), m);
      gint64 t1 = g_get_monotonic_time ();
      if (!nl_h5_write (pm, r, spec, net, &error))
        g_error ("%s", error->message);
      tw[k] = (g_get_monotonic_time () - t1) / 1e6;
      tg[k] = (g_get_monotonic_time () - t0) / 1e6;
    }
  if (do_stream && do_gather)
  {
    g_autoptr(NlResults) a = nl_h5_read_results (ps, &error);
    g_autoptr(NlResults) b = nl_h5_read_results (pm, &error);
    if (!a || !b || nl_results_get_n_spikes (a) != nl_results_get_n_spikes (b)
        || memcmp (nl_results_get_spike_times (a), nl_results_get_spike_times (b), 8 * nl_results_get_n_spikes (a)))
      g_error ("the two files differ");
  }
  printf ("spikes %" G_GUINT64_FORMAT ", cells %u, conns %" G_GUINT64_FORMAT ", stim_conns %" G_GUINT64_FORMAT
          ", ranks %u, %u repeats (median)\n", n, nl_network_get_n_cells (net), nl_network_get_n_conns (net),
          nl_network_get_n_stim_conns (net), ranks, reps);
  if (do_stream)
    printf ("streamed (merge + write + index, fsync, rename): %.3f s  %.1f MB\n", median (ts, reps), file_mb (ps));
  if (do_gather)
    {
      printf ("gathered (merge into memory + nl_h5_write):      %.3f s  %.1f MB\n", median (tg, reps), file_mb (pm));
      printf ("  of which nl_h5_write:                           %.3f s\n", median (tw, reps));
    }
  if (do_stream && do_gather)
    printf ("NetPyNE 1.1.0 saveJson (BENCH.md): 9.3 s -> streamed %.0fx, gathered %.0fx faster\n",
            9.3 / median (ts, reps), 9.3 / median (tg, reps));
  return 0;
}
