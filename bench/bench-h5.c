/* bench-h5 — NetLoom's native .h5: write and read speed against plain write()/read() of the
 * same bytes, open time of a 10-million-spike file and a 1-second range read.
 *
 *   bench-h5 [DIR] [N_SPIKES] [N_TRACES] [N_SAMPLES]    (defaults: /tmp 10000000 1000 10000)
 *
 * Both writes include fsync (CONTRACTS.md "write speed"). Each figure is the median of
 * three runs. Reads are from the page cache (the file was just written) into freshly
 * allocated memory, for both. */

#include <nl-h5.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define RUNS 3

static double
now (void)
{
  return (double) g_get_monotonic_time () / 1e6;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return v[n / 2];
}

static void
write_raw (const char *path, const void *const *bufs, const gsize *lens, int n)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    g_error ("%s: %s", path, g_strerror (errno));
  for (int i = 0; i < n; i++)
    {
      const char *p = bufs[i];
      gsize left = lens[i];
      while (left > 0)
        {
          gssize w = write (fd, p, MIN (left, (gsize) 1 << 30));
          if (w <= 0)
            g_error ("%s: %s", path, g_strerror (errno));
          p += w;
          left -= (gsize) w;
        }
    }
  if (fsync (fd) != 0)
    g_error ("%s: fsync: %s", path, g_strerror (errno));
  close (fd);
}

static void
read_raw (const char *path, void *const *bufs, const gsize *lens, int n)
{
  int fd = open (path, O_RDONLY);
  for (int i = 0; i < n; i++)
    {
      char *p = bufs[i];
      gsize left = lens[i];
      while (left > 0)
        {
          gssize r = read (fd, p, MIN (left, (gsize) 1 << 30));
          if (r <= 0)
            g_error ("%s: short read", path);
          p += r;
          left -= (gsize) r;
        }
    }
  close (fd);
}

int
main (int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : g_get_tmp_dir ();
  guint64 n = argc > 2 ? g_ascii_strtoull (argv[2], NULL, 10) : 10000000;
  guint n_traces = argc > 3 ? (guint) atoi (argv[3]) : 1000;
  guint64 n_samples = argc > 4 ? g_ascii_strtoull (argv[4], NULL, 10) : 10000;
  const guint n_cells = 100000;
  const double duration = 10000.0;   /* ms: 10 s, ~10 Hz per cell */
  g_autofree char *h5 = g_build_filename (dir, "bench-h5.h5", NULL);
  g_autofree char *raw = g_build_filename (dir, "bench-h5.raw", NULL);
  g_autoptr(GError) error = NULL;

  /* Results: Poisson-like spike times (sorted), random gids; traces of one recording. */
  NlResults *r = nl_results_new ();
  {
    GRand *rand = g_rand_new_with_seed (1);
    double *t = g_new (double, n);
    guint32 *g = g_new (guint32, n);
    double step = duration / (double) n;
    for (guint64 i = 0; i < n; i++)
      {
        t[i] = (double) i * step + g_rand_double (rand) * step * 0.5;
        g[i] = (guint32) g_rand_int_range (rand, 0, n_cells);
      }
    nl_results_set_n_cells (r, n_cells);
    guint32 *all = g_new (guint32, n_cells);
    for (guint i = 0; i < n_cells; i++)
      all[i] = i;
    nl_results_add_pop (r, "all", all, n_cells);
    g_free (all);
    nl_results_set_spikes (r, t, g, n);
    nl_results_set_duration (r, duration);
    double *tt = g_new (double, n_samples);
    for (guint64 k = 0; k < n_samples; k++)
      tt[k] = 0.025 * (double) k;
    nl_results_set_trace_time (r, tt, n_samples);
    for (guint c = 0; c < n_traces; c++)
      {
        double *v = g_new (double, n_samples);
        for (guint64 k = 0; k < n_samples; k++)
          v[k] = -65.0 + 20.0 * sin ((double) k * 0.01 + c) + g_rand_double (rand);
        nl_results_add_trace (r, "V_soma", c * 97 % n_cells, v, n_samples);
      }
    g_rand_free (rand);
  }

  /* The same payload as raw bytes: spike times, gids, then every trace. */
  int nb = 2 + (int) n_traces;
  const void **bufs = g_new (const void *, nb);
  gsize *lens = g_new (gsize, nb);
  void **rbufs = g_new (void *, nb);
  gsize payload = 0;
  bufs[0] = nl_results_get_spike_times (r);
  lens[0] = n * sizeof (double);
  bufs[1] = nl_results_get_spike_gids (r);
  lens[1] = n * sizeof (guint32);
  for (guint c = 0; c < n_traces; c++)
    {
      guint64 ns;
      bufs[2 + c] = nl_results_get_trace_values (r, 0, c, NULL, &ns);
      lens[2 + c] = ns * sizeof (double);
    }
  for (int i = 0; i < nb; i++)
    payload += lens[i];

  double w_raw[RUNS], w_h5[RUNS], r_raw[RUNS], r_h5[RUNS];
  for (int k = 0; k < RUNS; k++)
    {
      double t0 = now ();
      write_raw (raw, bufs, lens, nb);
      w_raw[k] = now () - t0;

      t0 = now ();
      if (!nl_h5_write (h5, r, NULL, NULL, &error))
        g_error ("%s", error->message);
      w_h5[k] = now () - t0;

      /* Into fresh memory, as a reader gets it. */
      t0 = now ();
      for (int i = 0; i < nb; i++)
        rbufs[i] = g_malloc (lens[i]);
      read_raw (raw, rbufs, lens, nb);
      r_raw[k] = now () - t0;
      for (int i = 0; i < nb; i++)
        g_free (rbufs[i]);

      t0 = now ();
      NlResults *back = nl_h5_read_results (h5, &error);
      if (!back)
        g_error ("%s", error->message);
      r_h5[k] = now () - t0;
      if (nl_results_get_n_spikes (back) != n)
        g_error ("read back %" G_GUINT64_FORMAT " spikes", nl_results_get_n_spikes (back));
      nl_results_unref (back);
    }
  GStatBuf st;
  g_stat (h5, &st);

  /* Opening, and reading one second of spikes from the middle. */
  double opens[21], ranges[21], cells[21];
  guint64 in_range = 0, of_cell = 0;
  for (int k = 0; k < 21; k++)
    {
      double t0 = now ();
      NlH5File *f = nl_h5_open (h5, &error);
      if (!f)
        g_error ("%s", error->message);
      opens[k] = now () - t0;

      double *t;
      guint32 *g;
      double a = 1000.0 + 400.0 * k;
      t0 = now ();
      if (!nl_h5_read_spikes_range (f, a, a + 1000.0, &t, &g, &in_range, &error))
        g_error ("%s", error->message);
      ranges[k] = now () - t0;
      g_free (t);
      g_free (g);

      t0 = now ();
      if (!nl_h5_read_spikes_of_gid (f, 1234 + k, &t, &of_cell, &error))
        g_error ("%s", error->message);
      cells[k] = now () - t0;
      g_free (t);
      nl_h5_close (f);
    }

  double wr = median (w_raw, RUNS), wh = median (w_h5, RUNS), rr = median (r_raw, RUNS), rh = median (r_h5, RUNS);
  printf ("bench-h5: %" G_GUINT64_FORMAT " spikes, %u traces x %" G_GUINT64_FORMAT " samples, in %s\n",
          n, n_traces, n_samples, dir);
  printf ("payload (t, gid, traces)       %8.1f MB\n", payload / 1e6);
  printf (".h5 file                        %8.1f MB (with the per-gid index)\n", st.st_size / 1e6);
  printf ("write()+fsync of the payload    %8.3f s  %7.1f MB/s\n", wr, payload / 1e6 / wr);
  printf ("nl_h5_write (with fsync)        %8.3f s  %7.1f MB/s   ratio %.2f\n", wh, payload / 1e6 / wh, wh / wr);
  printf ("read() of the payload           %8.3f s  %7.1f MB/s\n", rr, payload / 1e6 / rr);
  printf ("nl_h5_read_results              %8.3f s  %7.1f MB/s   ratio %.2f\n", rh, payload / 1e6 / rh, rh / rr);
  printf ("nl_h5_open                      %8.3f ms (median of 21)\n", median (opens, 21) * 1e3);
  printf ("1-s range read                  %8.3f ms (%" G_GUINT64_FORMAT " spikes, median of 21)\n",
          median (ranges, 21) * 1e3, in_range);
  printf ("one cell's spikes               %8.3f ms (%" G_GUINT64_FORMAT " spikes, median of 21)\n",
          median (cells, 21) * 1e3, of_cell);

  if (!g_getenv ("KEEP")) g_unlink (h5);
  g_unlink (raw);
  g_free (rbufs);
  g_free (bufs);
  g_free (lens);
  nl_results_unref (r);
  return 0;
}
