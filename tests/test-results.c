/* core/nl-results: the in-memory results every producer fills. */

#include <math.h>
#include <string.h>
#include <nl-results.h>

#include "nl-testutil.h"

static void
test_spikes_sorted (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  double *t = g_new (double, 5);
  guint32 *g = g_new (guint32, 5);
  const double want_t[] = { 1, 2, 2, 2, 7 };
  const guint32 want_g[] = { 4, 0, 3, 9, 1 };
  double in_t[] = { 7, 2, 1, 2, 2 };
  guint32 in_g[] = { 1, 9, 4, 0, 3 };

  memcpy (t, in_t, sizeof in_t);
  memcpy (g, in_g, sizeof in_g);
  nl_results_set_spikes (r, t, g, 5);
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpfloat (nl_results_get_spike_times (r)[i], ==, want_t[i]);
      g_assert_cmpuint (nl_results_get_spike_gids (r)[i], ==, want_g[i]);
    }
  g_assert_true (isnan (nl_results_get_duration (r)));
}

static void
test_pops_and_traces (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  const guint32 a[] = { 0, 2, 4 }, b[] = { 1, 3 };
  double *v0 = g_new0 (double, 3), *v1 = g_new0 (double, 3), *tt = g_new (double, 3);
  guint32 gid;
  guint64 n;
  guint np;

  nl_results_add_pop (r, "A", a, 3);
  nl_results_add_pop (r, "B", b, 2);
  g_assert_cmpint (nl_results_find_pop_of_gid (r, 3), ==, 1);
  g_assert_cmpint (nl_results_find_pop_of_gid (r, 4), ==, 0);
  g_assert_cmpint (nl_results_find_pop_of_gid (r, 5), ==, -1);
  g_assert_cmpuint (nl_results_get_pop_gids (r, 1, &np)[1], ==, 3);
  g_assert_cmpuint (np, ==, 2);

  v1[2] = -65;
  for (int i = 0; i < 3; i++)
    tt[i] = 0.1 * i;
  nl_results_set_trace_time (r, tt, 3);
  nl_results_add_trace (r, "V_soma", 0, v0, 3);
  nl_results_add_trace (r, "V_soma", 4, v1, 3);
  g_assert_cmpuint (nl_results_get_n_traces (r), ==, 1);
  g_assert_cmpuint (nl_results_get_trace_n_cells (r, 0), ==, 2);
  g_assert_cmpfloat (nl_results_get_trace_values (r, 0, 1, &gid, &n)[2], ==, -65);
  g_assert_cmpuint (gid, ==, 4);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (nl_results_get_trace_time (r, &n)[2], ==, 0.2);
}

static void
test_lfp_parts (void)
{
  g_autoptr(NlResults) r = nl_results_new ();
  double *xyz = g_new (double, 6), *pop = g_new0 (double, 4), *cell = g_new0 (double, 4);
  NlLfpPartKind kind;
  const char *name;
  guint32 gid;
  guint n;

  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 0);
  g_assert_null (nl_results_get_lfp_electrodes (r, &n));
  g_assert_cmpuint (n, ==, 0);
  for (int i = 0; i < 6; i++)
    xyz[i] = 10 * i;
  nl_results_set_lfp_electrodes (r, xyz, 2);
  g_assert_cmpfloat (nl_results_get_lfp_electrodes (r, &n)[5], ==, 50);
  g_assert_cmpuint (n, ==, 2);

  pop[3] = 1.5;
  cell[1] = -2;
  nl_results_add_lfp_part (r, NL_LFP_PART_POP, "E", 0, pop);
  nl_results_add_lfp_part (r, NL_LFP_PART_CELL, NULL, 7, cell);
  g_assert_cmpuint (nl_results_get_n_lfp_parts (r), ==, 2);
  g_assert_cmpfloat (nl_results_get_lfp_part (r, 0, &kind, &name, &gid)[3], ==, 1.5);
  g_assert_cmpint (kind, ==, NL_LFP_PART_POP);
  g_assert_cmpstr (name, ==, "E");
  g_assert_cmpuint (gid, ==, G_MAXUINT32);
  g_assert_cmpfloat (nl_results_get_lfp_part (r, 1, &kind, &name, &gid)[1], ==, -2);
  g_assert_cmpint (kind, ==, NL_LFP_PART_CELL);
  g_assert_null (name);
  g_assert_cmpuint (gid, ==, 7);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results/spikes-sorted", test_spikes_sorted);
  g_test_add_func ("/results/pops-and-traces", test_pops_and_traces);
  g_test_add_func ("/results/lfp-parts", test_lfp_parts);
  return g_test_run ();
}
