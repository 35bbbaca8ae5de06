/* bench-granger.c — wall time of Granger causality (nl_granger_compute: Morf's order-10
 * lattice fit of 2 × 100,000 samples, the two restricted univariate fits, Geweke's measures at
 * 0..100 Hz) against the same algorithm in numpy (bench/bench-granger.py, run with
 * /usr/bin/python3 on the same samples, BLAS limited to one thread). Both take the best of 5
 * runs of process CPU time (both are single-threaded; on a shared machine CPU time is steadier
 * than wall time); the program prints both times, their ratio and the largest difference between the two
 * results.
 *
 * The data are Ding, Chen & Bressler (2006) eq. 55's VAR(2) (x drives y, fs 200 Hz), driven
 * by normal noise from a Philox stream (seed 2006) with Σ = [[1, 0.4], [0.4, 0.7]], after
 * 1,000 samples of burn-in.
 *
 * Usage: bench-granger [N_SAMPLES]   (NETLOOM_BENCH_PYTHON=path overrides the script)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "nl-granger.h"
#include "nl-random.h"

#define ORDER   10
#define FS      200.0
#define REPEATS 5
#define BURN_IN 1000

static void
simulate (double *x, double *y, gsize n)
{
  NlRng r;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  /* Cholesky factor of Σ = [[1, 0.4], [0.4, 0.7]]. */
  const double l21 = 0.4, l22 = sqrt (0.7 - 0.16);

  nl_rng_init (&r, 2006, NL_RNG_USER, 0, 0);
  for (gsize t = 0; t < n + BURN_IN; t++)
    {
      double e1 = nl_random_normal (&r, 0, 1), e2 = nl_random_normal (&r, 0, 1);
      double xn = 0.9 * x1 - 0.5 * x2 + e1;
      double yn = 0.8 * y1 - 0.5 * y2 + 0.16 * x1 - 0.2 * x2 + l21 * e1 + l22 * e2;

      x2 = x1, x1 = xn, y2 = y1, y1 = yn;
      if (t >= BURN_IN)
        x[t - BURN_IN] = xn, y[t - BURN_IN] = yn;
    }
}

static double
max_diff (JsonObject *py, const char *member, const double *c, guint n)
{
  JsonArray *a = json_object_get_array_member (py, member);
  double d = 0;

  if (!a || json_array_get_length (a) != n)
    return INFINITY;
  for (guint i = 0; i < n; i++)
    d = MAX (d, fabs (json_array_get_double_element (a, i) - c[i]));
  return d;
}

int
main (int argc, char **argv)
{
  gsize n = argc > 1 ? (gsize) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  const char *script = g_getenv ("NETLOOM_BENCH_PYTHON");
  g_autofree double *xy = g_new (double, 2 * n);
  g_autoptr(NlGranger) g = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *n_s = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  g_autofree char *fs_s = g_strdup_printf ("%g", FS);
  g_autofree char *order_s = g_strdup_printf ("%d", ORDER);
  g_autofree char *rep_s = g_strdup_printf ("%d", REPEATS);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) env = g_get_environ ();
  double best = INFINITY, py_s;
  JsonObject *py;
  int fd, status;

  if (n < 100)
    {
      fprintf (stderr, "bench-granger: at least 100 samples\n");
      return 2;
    }
  if (!script)
    script = BENCH_GRANGER_PY;
  simulate (xy, xy + n, n);

  for (int k = 0; k < REPEATS; k++)
    {
      clock_t t0 = clock ();

      g_clear_pointer (&g, nl_granger_free);
      g = nl_granger_compute (xy, xy + n, n, FS, NULL, &error);
      if (!g)
        {
          fprintf (stderr, "bench-granger: %s\n", error->message);
          return 1;
        }
      best = MIN (best, (double) (clock () - t0) / CLOCKS_PER_SEC);
    }

  fd = g_file_open_tmp ("bench-granger-XXXXXX.f64", &tmp, &error);
  if (fd < 0 || write (fd, xy, 2 * n * sizeof (double)) != (ssize_t) (2 * n * sizeof (double)))
    {
      fprintf (stderr, "bench-granger: cannot write the samples: %s\n",
               error ? error->message : g_strerror (errno));
      return 1;
    }
  close (fd);
  /* One core each: numpy's BLAS would otherwise spread the 2 × N products over threads. */
  env = g_environ_setenv (env, "OPENBLAS_NUM_THREADS", "1", TRUE);
  env = g_environ_setenv (env, "OMP_NUM_THREADS", "1", TRUE);
  env = g_environ_setenv (env, "MKL_NUM_THREADS", "1", TRUE);
  {
    const char *pargv[] = { "/usr/bin/python3", script, tmp, n_s, fs_s, order_s, rep_s, NULL };

    if (!g_spawn_sync (NULL, (char **) pargv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                       &status, &error)
        || !g_spawn_check_wait_status (status, &error))
      {
        fprintf (stderr, "bench-granger: %s: %s\n%s", script, error->message, err ? err : "");
        g_unlink (tmp);
        return 1;
      }
  }
  g_unlink (tmp);
  if (!json_parser_load_from_data (parser, out, -1, &error))
    {
      fprintf (stderr, "bench-granger: the script's output: %s\n", error->message);
      return 1;
    }
  py = json_node_get_object (json_parser_get_root (parser));
  py_s = json_object_get_double_member (py, "seconds");

  printf ("data: Ding et al. 2006 VAR(2), 2 x %" G_GSIZE_FORMAT " samples, fs %g Hz, "
          "order %d, %u frequencies; best of %d runs, CPU seconds, one core\n",
          n, FS, ORDER, g->n_freqs, REPEATS);
  printf ("netloom C (nl_granger_compute)  %8.4f s\n", best);
  printf ("numpy %-8s (bench-granger.py) %8.4f s\n",
          json_object_get_string_member (py, "numpy"), py_s);
  printf ("ratio numpy / C                 %8.1f x\n", py_s / best);
  printf ("F(x->y) time domain: C %.6f, numpy %.6f (true 0.053458); F(y->x) C %.6f\n",
          g->gc_x2y, json_object_get_double_member (py, "gc_x2y"), g->gc_y2x);
  printf ("max |C - numpy|: x2y %.2g, y2x %.2g, inst %.2g, coherence %.2g\n",
          max_diff (py, "x2y", g->x2y, g->n_freqs), max_diff (py, "y2x", g->y2x, g->n_freqs),
          max_diff (py, "inst", g->inst, g->n_freqs),
          max_diff (py, "coherence", g->coherence, g->n_freqs));
  return 0;
}
