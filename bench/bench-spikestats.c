/* bench-spikestats — wall time of the spike analyses and a connectivity matrix.
 *
 * Spikes: N_CELLS cells in two populations firing Poisson trains at 10 Hz for 10 s (a fixed
 * seed), then each `netloom analyze` kind over all cells (sync over the first SYNC_CELLS
 * cells, its cost being quadratic). With a model file argument, also the network build and
 * the by-population and by-cell strength/numConns matrices.
 *
 *   build/bench/bench-spikestats [MODEL.json]
 */

#include <math.h>
#include <stdio.h>
#include <nl-build.h>
#include <nl-connmatrix.h>
#include <nl-spikestats.h>

#define N_CELLS    10000u
#define SYNC_CELLS 500u
#define RATE_HZ    10.0
#define T_MS       10000.0

static NlResults *
poisson_results (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (1);
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) g = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *e = g_new (guint32, N_CELLS * 4 / 5);
  g_autofree guint32 *i = g_new (guint32, N_CELLS / 5);
  NlResults *r = nl_results_new ();
  guint64 n;

  for (guint32 c = 0; c < N_CELLS; c++)
    for (double s = 0;;)
      {
        s += -log (1 - g_rand_double (rng)) * 1000.0 / RATE_HZ;
        if (s >= T_MS)
          break;
        g_array_append_val (t, s);
        g_array_append_val (g, c);
      }
  for (guint32 c = 0; c < N_CELLS; c++)
    {
      if (c < N_CELLS * 4 / 5)
        e[c] = c;
      else
        i[c - N_CELLS * 4 / 5] = c;
    }
  n = t->len;
  nl_results_set_spikes (r, (double *) g_array_steal (t, NULL), (guint32 *) g_array_steal (g, NULL), n);
  nl_results_set_duration (r, T_MS);
  nl_results_add_pop (r, "E", e, N_CELLS * 4 / 5);
  nl_results_add_pop (r, "I", i, N_CELLS / 5);
  return r;
}

static void
time_kind (NlResults *r, const char *kind, const NlSpikeAnalysisOptions *opt, const char *what)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(JsonNode) node = nl_spike_analysis_json (r, kind, opt, &error);
  double secs = (g_get_monotonic_time () - t0) / 1e6;

  if (!node)
    g_error ("%s: %s", kind, error->message);
  printf ("%-10s %-34s %8.3f s\n", kind, what, secs);
}

int
main (int argc, char **argv)
{
  g_autoptr(NlResults) r = NULL;
  NlSpikeAnalysisOptions opt;
  gint64 t0 = g_get_monotonic_time ();
  g_autofree guint32 *first = g_new (guint32, SYNC_CELLS);
  char what[64];

  r = poisson_results ();
  printf ("%u cells, %" G_GUINT64_FORMAT " spikes over %.0f ms (made in %.2f s)\n", N_CELLS,
          nl_results_get_n_spikes (r), T_MS, (g_get_monotonic_time () - t0) / 1e6);
  nl_spike_analysis_options_init (&opt);
  time_kind (r, "rates", &opt, "all cells");
  time_kind (r, "spikehist", &opt, "all cells, 5 ms bins");
  opt.smooth = 11;
  time_kind (r, "spikehist", &opt, "all cells, 5 ms bins, smooth 11");
  time_kind (r, "isicv", &opt, "all cells");
  time_kind (r, "fano", &opt, "all cells, 50 ms windows");
  for (guint c = 0; c < SYNC_CELLS; c++)
    first[c] = c;
  opt.gids = first;
  opt.n_gids = SYNC_CELLS;
  g_snprintf (what, sizeof what, "%u cells (%u pairs), with matrix", SYNC_CELLS, SYNC_CELLS * (SYNC_CELLS - 1) / 2);
  time_kind (r, "sync", &opt, what);

  if (argc > 1)
    {
      const char *files[] = { argv[1] };
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSpec) spec = nl_spec_load (files, 1, NULL, &error);
      g_autoptr(NlNetwork) net = NULL;
      const struct { NlConnGroupBy by; NlConnFeature f; const char *what; } mats[] = {
        { NL_CONN_GROUP_POP, NL_CONN_STRENGTH, "by population, strength" },
        { NL_CONN_GROUP_CELL, NL_CONN_NUM_CONNS, "by cell, numConns" },
      };
      if (!spec)
        g_error ("%s", error->message);
      t0 = g_get_monotonic_time ();
      net = nl_build_network (spec, NULL, NULL, &error);
      if (!net)
        g_error ("%s", error->message);
      printf ("%s: %u cells, %" G_GUINT64_FORMAT " conns (built in %.2f s)\n", argv[1],
              nl_network_get_n_cells (net), nl_network_get_n_conns (net), (g_get_monotonic_time () - t0) / 1e6);
      for (guint k = 0; k < G_N_ELEMENTS (mats); k++)
        {
          NlConnMatrixOptions mo = { mats[k].by, mats[k].f, NULL, NULL, FALSE, FALSE, NULL };
          g_autoptr(NlConnMatrix) m = NULL;
          t0 = g_get_monotonic_time ();
          m = nl_conn_matrix_new (net, &mo, &error);
          if (!m)
            g_error ("%s", error->message);
          printf ("conn       %-34s %8.3f s (%u x %u)\n", mats[k].what,
                  (g_get_monotonic_time () - t0) / 1e6, m->n_pre, m->n_post);
        }
    }
  return 0;
}
