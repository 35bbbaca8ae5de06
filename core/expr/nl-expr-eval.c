/* nl-expr-eval.c — runs compiled string functions.
 *
 * The interpreter keeps the top of the stack in a local variable (most
 * instructions then touch no memory but their operand) and allocates
 * nothing for ordinary expressions: the stack lives in the caller's frame
 * unless an expression is unusually deep.  NlExpr is never written after
 * compilation, so any number of threads may evaluate one at once.
 */
#include <math.h>
#include <string.h>

#include "nl-expr-private.h"

#define SMALL_STACK 32

static double
run (const NlExpr *e, const double *vars, NlRng *rng)
{
  double small[SMALL_STACK];
  double *stack = e->max_stack < SMALL_STACK ? small : g_new (double, e->max_stack + 1);
  double *sp = stack;   /* values below the top; stack[0] receives a dummy */
  double t = 0.0;       /* the top of the stack */
  gboolean failed = FALSE;
  const NlInstr *pc = e->code;

  for (;;)
    {
      const NlInstr *in = pc++;
      double x;

      switch ((NlOp) in->op)
        {
        case NL_OP_CONST: *sp++ = t; t = in->k; break;
        case NL_OP_VAR: *sp++ = t; t = vars[in->a]; break;
        case NL_OP_NEG: t = -t; break;
        case NL_OP_NOT: t = !nl_expr_truthy (t); break;
        case NL_OP_ADD: t = *--sp + t; break;
        case NL_OP_SUB: t = *--sp - t; break;
        case NL_OP_MUL: t = *--sp * t; break;
        case NL_OP_DIV: x = *--sp; t = nl_expr_py_div (x, t, &failed); break;
        case NL_OP_FLOORDIV:
        case NL_OP_MOD:
        case NL_OP_POW:
          x = *--sp;
          t = nl_expr_binary ((NlOp) in->op, x, t, &failed);
          break;
        case NL_OP_ADD_K: t = t + in->k; break;
        case NL_OP_SUB_K: t = t - in->k; break;
        case NL_OP_MUL_K: t = t * in->k; break;
        case NL_OP_DIV_K: t = t / in->k; break;   /* k != 0: the compiler checks */
        case NL_OP_RSUB_K: t = in->k - t; break;
        case NL_OP_RDIV_K: t = nl_expr_py_div (in->k, t, &failed); break;
        case NL_OP_CMP: x = *--sp; t = nl_expr_py_cmp ((NlCmp) in->sub, x, t); break;
        case NL_OP_CMP_CHAIN:
          x = *--sp;
          if (nl_expr_py_cmp ((NlCmp) in->sub, x, t) == 0.0)
            {
              t = 0.0;
              pc = in + in->a;
            }
          break;
        case NL_OP_JUMP: pc = in + in->a; break;
        case NL_OP_JUMP_IF_FALSE:
          x = t;
          t = *--sp;
          if (!nl_expr_truthy (x))
            pc = in + in->a;
          break;
        case NL_OP_AND:
          if (!nl_expr_truthy (t))
            pc = in + in->a;
          else
            t = *--sp;
          break;
        case NL_OP_OR:
          if (nl_expr_truthy (t))
            pc = in + in->a;
          else
            t = *--sp;
          break;
        case NL_OP_MIN: x = *--sp; t = t < x ? t : x; break;
        case NL_OP_MAX: x = *--sp; t = t > x ? t : x; break;
        case NL_OP_FN1: t = nl_expr_call1 (in->sub, t, &failed); break;
        case NL_OP_FN2: x = *--sp; t = nl_expr_call2 (in->sub, x, t, &failed); break;
        case NL_OP_RAND:
          /* NaN means arguments outside the distribution's domain, where
           * NEURON raises or misbehaves (and no stream at all) */
          if (in->a == 1)
            t = nl_expr_call_random ((NlRand) in->sub, rng, t, 0.0);
          else
            {
              x = *--sp;
              t = nl_expr_call_random ((NlRand) in->sub, rng, x, t);
            }
          if (isnan (t))
            failed = TRUE;
          break;
        case NL_OP_END:
        case NL_OP_N_OPS:
        default:
          if (stack != small)
            g_free (stack);
          return failed ? NAN : t;
        }
    }
}

double
nl_expr_eval (const NlExpr *e, const double *vars_values, NlRng *rng)
{
  g_return_val_if_fail (e != NULL, NAN);

  if (e->is_constant)
    return e->constant;
  g_return_val_if_fail (vars_values != NULL || !e->uses_vars, NAN);
  return run (e, vars_values, rng);
}

gboolean
nl_expr_is_random (const NlExpr *e)
{
  g_return_val_if_fail (e != NULL, FALSE);
  return e->is_random;
}

gboolean
nl_expr_is_constant (const NlExpr *e)
{
  g_return_val_if_fail (e != NULL, FALSE);
  return e->is_constant;
}

gboolean
nl_expr_uses_var (const NlExpr *e, guint var_index)
{
  g_return_val_if_fail (e != NULL, FALSE);
  return var_index < e->n_vars && e->var_used[var_index];
}

void
nl_expr_free (NlExpr *e)
{
  if (e == NULL)
    return;
  g_free (e->code);
  g_free (e->var_used);
  g_free (e);
}

/* ---- verification ----------------------------------------------------- */

static void
set_depth (gint *depth, guint n, guint at, gint d)
{
  if (at >= n)
    g_error ("nl-expr: internal error: jump past the end of the program");
  if (depth[at] < 0)
    depth[at] = d;
  else if (depth[at] != d)
    g_error ("nl-expr: internal error: stack depth %d and %d meet at %u", depth[at], d, at);
}

/* Walks every path (all jumps go forward, so one pass in order sees each
 * instruction after all of its predecessors) and checks that each
 * instruction finds the operands it pops, that paths agree on the depth
 * where they meet and that the program ends with exactly one value. */
static guint
verify (const NlInstr *code, guint n, guint n_vars)
{
  gint *depth = g_new (gint, n);
  gint max = 0;

  for (guint i = 0; i < n; i++)
    depth[i] = -1;
  depth[0] = 0;
  if (n == 0 || code[n - 1].op != NL_OP_END)
    g_error ("nl-expr: internal error: program does not end with END");

  for (guint i = 0; i < n; i++)
    {
      const NlInstr *in = &code[i];
      gint d = depth[i], pops = 0, pushes = 1;

      if (d < 0)
        g_error ("nl-expr: internal error: unreachable instruction %u", i);
      switch ((NlOp) in->op)
        {
        case NL_OP_CONST: pops = 0; break;
        case NL_OP_VAR:
          if (in->a < 0 || (guint) in->a >= n_vars)
            g_error ("nl-expr: internal error: variable %d out of range", in->a);
          pops = 0;
          break;
        case NL_OP_NEG: case NL_OP_NOT:
        case NL_OP_ADD_K: case NL_OP_SUB_K: case NL_OP_MUL_K: case NL_OP_DIV_K:
        case NL_OP_RSUB_K: case NL_OP_RDIV_K:
          pops = 1;
          break;
        case NL_OP_FN1:
          if (in->sub >= NL_FN1_N)
            g_error ("nl-expr: internal error: bad function");
          pops = 1;
          break;
        case NL_OP_ADD: case NL_OP_SUB: case NL_OP_MUL: case NL_OP_DIV:
        case NL_OP_FLOORDIV: case NL_OP_MOD: case NL_OP_POW:
        case NL_OP_MIN: case NL_OP_MAX: case NL_OP_CMP:
          pops = 2;
          break;
        case NL_OP_FN2:
          if (in->sub >= NL_FN2_N)
            g_error ("nl-expr: internal error: bad function");
          pops = 2;
          break;
        case NL_OP_RAND:
          if (in->sub >= NL_RAND_N || in->a < 1 || in->a > 2)
            g_error ("nl-expr: internal error: bad random call");
          pops = in->a;
          break;
        case NL_OP_CMP_CHAIN:
          pops = 2;
          if (in->a <= 0)
            g_error ("nl-expr: internal error: backward jump");
          set_depth (depth, n, i + (guint) in->a, d - 1);
          break;
        case NL_OP_JUMP:
          pops = 0, pushes = 0;
          break;
        case NL_OP_JUMP_IF_FALSE:
          pops = 1, pushes = 0;
          if (in->a <= 0)
            g_error ("nl-expr: internal error: backward jump");
          set_depth (depth, n, i + (guint) in->a, d - 1);
          break;
        case NL_OP_AND: case NL_OP_OR:
          pops = 1, pushes = 0;
          if (in->a <= 0)
            g_error ("nl-expr: internal error: backward jump");
          set_depth (depth, n, i + (guint) in->a, d);
          break;
        case NL_OP_END:
          if (d != 1 || i != n - 1)
            g_error ("nl-expr: internal error: program ends with %d values", d);
          pops = 1, pushes = 0;
          break;
        case NL_OP_N_OPS:
        default:
          g_error ("nl-expr: internal error: bad instruction %u", in->op);
        }
      if (d < pops)
        g_error ("nl-expr: internal error: stack underflow at %u", i);
      max = MAX (max, d - pops + pushes);
      if (in->op == NL_OP_JUMP)
        {
          if (in->a <= 0)
            g_error ("nl-expr: internal error: backward jump");
          set_depth (depth, n, i + (guint) in->a, d);
        }
      else if (in->op != NL_OP_END)
        set_depth (depth, n, i + 1, d - pops + pushes);
    }
  g_free (depth);
  return (guint) max;
}

NlExpr *
nl_expr_new_from_code (NlInstr *code, guint n_code, guint n_vars)
{
  NlExpr *e = g_new0 (NlExpr, 1);

  e->code = g_renew (NlInstr, code, n_code);
  e->n_code = n_code;
  e->n_vars = n_vars;
  e->var_used = g_new0 (guint8, MAX (n_vars, 1));
  e->max_stack = verify (e->code, n_code, n_vars);
  for (guint i = 0; i < n_code; i++)
    {
      if (e->code[i].op == NL_OP_RAND)
        e->is_random = TRUE;
      else if (e->code[i].op == NL_OP_VAR)
        {
          e->var_used[e->code[i].a] = 1;
          e->uses_vars = TRUE;
        }
    }
  if (!e->is_random && !e->uses_vars)
    {
      e->constant = run (e, NULL, NULL);
      e->is_constant = TRUE;
    }
  return e;
}

/* ---- debugging -------------------------------------------------------- */

static const char *const op_names[NL_OP_N_OPS] = {
  [NL_OP_END] = "END", [NL_OP_CONST] = "CONST", [NL_OP_VAR] = "VAR",
  [NL_OP_NEG] = "NEG", [NL_OP_NOT] = "NOT", [NL_OP_ADD] = "ADD", [NL_OP_SUB] = "SUB",
  [NL_OP_MUL] = "MUL", [NL_OP_DIV] = "DIV", [NL_OP_FLOORDIV] = "FLOORDIV",
  [NL_OP_MOD] = "MOD", [NL_OP_POW] = "POW", [NL_OP_ADD_K] = "ADD_K", [NL_OP_SUB_K] = "SUB_K",
  [NL_OP_MUL_K] = "MUL_K", [NL_OP_DIV_K] = "DIV_K", [NL_OP_RSUB_K] = "RSUB_K",
  [NL_OP_RDIV_K] = "RDIV_K", [NL_OP_CMP] = "CMP", [NL_OP_CMP_CHAIN] = "CMP_CHAIN",
  [NL_OP_JUMP] = "JUMP", [NL_OP_JUMP_IF_FALSE] = "JUMP_IF_FALSE", [NL_OP_AND] = "AND",
  [NL_OP_OR] = "OR", [NL_OP_MIN] = "MIN", [NL_OP_MAX] = "MAX", [NL_OP_FN1] = "FN1",
  [NL_OP_FN2] = "FN2", [NL_OP_RAND] = "RAND",
};

char *
nl_expr_disassemble (const NlExpr *e)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < e->n_code; i++)
    {
      const NlInstr *in = &e->code[i];
      g_string_append_printf (s, "%4u %-14s sub=%u a=%d k=%.17g\n", i,
                              in->op < NL_OP_N_OPS ? op_names[in->op] : "?",
                              in->sub, in->a, in->k);
    }
  return g_string_free (s, FALSE);
}
