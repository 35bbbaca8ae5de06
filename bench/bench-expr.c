/* bench-expr.c — evaluations per second of tut5's connection probability,
 * "0.4*exp(-dist_3D/probLengthConst)", on one core.  Building a network
 * evaluates such a string once per candidate pair of cells, so this is the
 * evaluator's hot path.  The goal is ≥ 20 million evaluations per second.
 * The baseline, measured in the same run, is the same formula compiled by
 * the C compiler and called through a pointer.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nl-expr.h"

#define N_VALUES 4096
#define ROUNDS   5

typedef double (*EvalFunc) (const NlExpr *e, const double *vars);

static gboolean
bench_consts (const char *name, double *value, gpointer data)
{
  if (strcmp (name, "probLengthConst") == 0)
    return *value = 150.0, TRUE;
  return FALSE;
}

static double
eval_expr (const NlExpr *e, const double *vars)
{
  return nl_expr_eval (e, vars, NULL);
}

static double
native_prob (double dist_3D)
{
  return 0.4 * exp (-dist_3D / 150.0);
}

/* volatile: the compiler must not see through the call and fold the loop. */
static double (*volatile native_ptr) (double) = native_prob;

static double
eval_native (const NlExpr *e, const double *vars)
{
  return native_ptr (vars[0]);
}

/* Best rate over ROUNDS rounds of at least 0.5 s each. */
static double
rate_of (EvalFunc fn, const NlExpr *e, const double *dist, double *checksum)
{
  double best = 0;

  for (int round = 0; round < ROUNDS; round++)
    {
      gint64 t0 = g_get_monotonic_time (), t1;
      guint64 n = 0;
      double acc = 0;

      do
        {
          for (int rep = 0; rep < 256; rep++)
            for (int i = 0; i < N_VALUES; i++)
              acc += fn (e, &dist[i]);
          n += 256 * N_VALUES;
          t1 = g_get_monotonic_time ();
        }
      while (t1 - t0 < 500000);
      *checksum += acc;
      best = MAX (best, n / ((t1 - t0) * 1e-6));
    }
  return best;
}

int
main (void)
{
  static const char *const vars[] = { "dist_3D", NULL };
  const char *src = "0.4*exp(-dist_3D/probLengthConst)";
  double *dist = g_new (double, N_VALUES);
  GError *error = NULL;
  NlExpr *e;
  double ours, native, sum_ours = 0, sum_native = 0;

  e = nl_expr_compile (src, vars, bench_consts, NULL, NULL, &error);
  if (e == NULL)
    {
      fprintf (stderr, "bench-expr: %s\n", error->message);
      return 1;
    }
  /* distances as in a 1 mm column of cells: 0 … 1000 µm */
  for (int i = 0; i < N_VALUES; i++)
    dist[i] = 1000.0 * i / N_VALUES;

  for (int i = 0; i < N_VALUES; i++)
    if (fabs (eval_expr (e, &dist[i]) - native_prob (dist[i])) > 1e-15)
      {
        fprintf (stderr, "bench-expr: the evaluator disagrees with C at dist_3D = %g\n", dist[i]);
        return 1;
      }
  ours = rate_of (eval_expr, e, dist, &sum_ours);
  native = rate_of (eval_native, e, dist, &sum_native);

  printf ("expression: %s\n", src);
  printf ("evaluator: %.1f million evaluations per second (best of %d rounds of >= 0.5 s)\n",
          ours / 1e6, ROUNDS);
  printf ("baseline, the formula compiled as C: %.1f million per second\n", native / 1e6);
  printf ("evaluator / C: %.2f\n", ours / native);
  printf ("goal: 20 million per second: %s\n", ours >= 20e6 ? "met" : "NOT met");
  nl_expr_free (e);
  g_free (dist);
  return 0;
}
