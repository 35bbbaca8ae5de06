/* test-expr.c — the string-function evaluator: Python semantics, NetPyNE
 * usage, randomness, and refusal of anything that is not an expression. */
#include <math.h>
#include <string.h>

#include "nl-expr.h"
#include "nl-expr-private.h"
#include "nl-random.h"

static const char *const test_vars[] = { "dist_3D", "post_ynorm", "x", "y", NULL };
enum { V_DIST, V_YNORM, V_X, V_Y };

static gboolean
test_consts (const char *name, double *value, gpointer data)
{
  if (strcmp (name, "probLengthConst") == 0)
    return *value = 150.0, TRUE;
  if (strcmp (name, "propVelocity") == 0)
    return *value = 100.0, TRUE;
  return FALSE;
}

static NlExpr *
compile_ok (const char *src)
{
  GError *error = NULL;
  int offset = -1;
  NlExpr *e = nl_expr_compile (src, test_vars, test_consts, NULL, &offset, &error);

  if (e == NULL)
    g_error ("'%s' did not compile: %s (offset %d)", src, error->message, offset);
  return e;
}

static double
eval_at (const char *src, double dist, double ynorm, double x, double y)
{
  const double values[] = { dist, ynorm, x, y };
  NlExpr *e = compile_ok (src);
  double v = nl_expr_eval (e, values, NULL);

  nl_expr_free (e);
  return v;
}

static double
eval0 (const char *src)
{
  return eval_at (src, 0, 0, 0, 0);
}

static void
assert_same (const char *src, double got, double want)
{
  if (isnan (want) ? !isnan (got) : (got != want || signbit (got) != signbit (want)))
    g_error ("'%s' gave %.17g, expected %.17g", src, got, want);
}

typedef struct {
  const char *src;
  double      want;
} Case;

static void
run_cases (const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    assert_same (cases[i].src, eval0 (cases[i].src), cases[i].want);
}

static void
test_arithmetic (void)
{
  static const Case cases[] = {
    { "2+3*4**2", 50 },
    { "-2**2", -4 },
    { "2**3**2", 512 },
    { "2**-1", 0.5 },
    { "(-3)**2", 9 },
    { "10 - 4 - 3", 3 },
    { "100 / 10 / 5", 2 },
    { "2 * 3 % 4", 2 },
    { "7/2", 3.5 },
    { "7//2", 3 },
    { "-7//2", -4 },
    { "7//-2", -4 },
    { "7.5//2", 3 },
    { "-7%3", 2 },
    { "7%-3", -2 },
    { "-7.5%2", 0.5 },
    { "6%3", 0 },
    { "-6%3", 0 },
    { "6%-3", -0.0 },
    { "+-+3", -3 },
    { "- -3", 3 },
    { "True + True", 2 },
    { "False * 3", 0 },
    { "1e-3", 0.001 },
    { "1.5E+2", 150 },
    { ".5", 0.5 },
    { "5.", 5 },
    { "1_000", 1000 },
    { "0x1F", 31 },
    { "0o17", 15 },
    { "0b101", 5 },
    { "00", 0 },
    { "pi", G_PI },
    { "e", G_E },
    { "inf", INFINITY },
    { "-inf", -INFINITY },
    { "2 ** 0.5", 1.4142135623730951 },
    { "# a comment\n 3 # another", 3 },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_logic (void)
{
  static const Case cases[] = {
    { "1 if 0 else 2", 2 },
    { "1 if 3 else 2", 1 },
    { "1 if 0 else 2 if 0 else 3", 3 },
    { "1 + 2 if 0 else 3 + 4", 7 },
    { "0 < 0.5 < 1", 1 },
    { "0 < 2 < 1", 0 },
    { "1 < 2 > 1.5", 1 },
    { "3 > 2 > 1 > 0", 1 },
    { "3 > 2 > 2 > 0", 0 },
    { "1 == 1.0", 1 },
    { "1 != 1", 0 },
    { "2 <= 2 >= 2", 1 },
    { "0 or 5", 5 },
    { "3 or 7", 3 },
    { "2 and 3", 3 },
    { "0 and 7", 0 },
    { "0 or 0", 0 },
    { "not 0", 1 },
    { "not 2", 0 },
    { "not not 3", 1 },
    { "not 1 == 2", 1 },
    { "2 < 3 and 4", 4 },
    { "1 or 2 and 0", 1 },      /* and binds tighter than or */
    { "(1 or 2) and 0", 0 },
    { "not 0 and 0", 0 },       /* (not 0) and 0 */
  };

  run_cases (cases, G_N_ELEMENTS (cases));

  /* the same with variables, so that nothing is folded */
  assert_same ("x < y < 3 (x=1,y=2)", eval_at ("x < y < 3", 0, 0, 1, 2), 1);
  assert_same ("x < y < 3 (x=1,y=5)", eval_at ("x < y < 3", 0, 0, 1, 5), 0);
  assert_same ("x < y < 3 (x=6,y=5)", eval_at ("x < y < 3", 0, 0, 6, 5), 0);
  assert_same ("0 < x < 1", eval_at ("0 < x < 1", 0, 0, 0.5, 0), 1);
  assert_same ("x or y", eval_at ("x or y", 0, 0, 0, 7), 7);
  assert_same ("x or y", eval_at ("x or y", 0, 0, -2, 7), -2);
  assert_same ("x and y", eval_at ("x and y", 0, 0, 0, 7), 0);
  assert_same ("x and y", eval_at ("x and y", 0, 0, 3, 7), 7);
  assert_same ("not x", eval_at ("not x", 0, 0, 3, 0), 0);
  assert_same ("x if y else -x", eval_at ("x if y else -x", 0, 0, 3, 0), -3);
  assert_same ("x if y else -x", eval_at ("x if y else -x", 0, 0, 3, 1), 3);
  /* NaN is true in Python */
  assert_same ("x or 5", eval_at ("x or 5", 0, 0, NAN, 0), NAN);
  /* a jump landing after a negation must not see it merged into the next operation */
  assert_same ("(x and -y)/3", eval_at ("(x and -y)/3", 0, 0, 0, 6), 0.0);
  assert_same ("(x and -y)/3", eval_at ("(x and -y)/3", 0, 0, 1, 6), -2);
  assert_same ("(x or -y)*2", eval_at ("(x or -y)*2", 0, 0, 0, 6), -12);
}

static void
test_functions (void)
{
  static const Case cases[] = {
    { "max(1, 2, 3)", 3 },
    { "max(3, 1, 2)", 3 },
    { "min(3, 1, 2)", 1 },
    { "max(-1, -2)", -1 },
    { "max(1, 2,)", 2 },
    { "log(8, 2)", 3 },
    { "log(e)", 1 },
    { "log(0)", -INFINITY },
    { "log(-1)", NAN },
    { "log10(1000)", 3 },
    { "log2(8)", 3 },
    { "round(2.5)", 2 },
    { "round(3.5)", 4 },
    { "round(-2.5)", -2 },
    { "round(0.5)", 0 },
    { "round(1.5)", 2 },
    { "round(2.675, 2)", 2.67 },      /* 2.675 is really 2.67499999… */
    { "round(0.125, 2)", 0.12 },      /* exact tie: to even */
    { "round(0.375, 2)", 0.38 },
    { "round(1234.5, -2)", 1200 },
    { "round(1250, -2)", 1200 },
    { "round(1350, -2)", 1400 },
    { "round(-1250.0001, -2)", -1300 },
    { "round(5, -1)", 0 },
    { "round(15, -1)", 20 },
    { "round(2.5, 0.5)", NAN },
    { "round(inf)", NAN },
    { "int(-2.7)", -2 },
    { "int(2.7)", 2 },
    { "float(3)", 3 },
    { "abs(-4)", 4 },
    { "fabs(-4)", 4 },
    { "sqrt(16)", 4 },
    { "sqrt(-1)", NAN },
    { "pow(2, 10)", 1024 },
    { "floor(-1.5)", -2 },
    { "ceil(1.2)", 2 },
    { "trunc(-1.7)", -1 },
    { "exp(0)", 1 },
    { "exp(1000)", INFINITY },
    { "atan2(1, 1)", G_PI / 4 },
    { "arctan2(1, 1)", G_PI / 4 },
    { "hypot(3, 4)", 5 },
    { "fmod(-7, 3)", -1 },
    { "remainder(-7, 3)", 2 },
    { "copysign(2, -0.0)", -2 },
    { "degrees(pi)", 180 },
    { "radians(180)", G_PI },
    { "sin(0)", 0 },
    { "cos(0)", 1 },
    { "tanh(0)", 0 },
    { "acos(1)", 0 },
    { "arccos(1)", 0 },
    /* Python raises for these; NaN is how we report it */
    { "1 / 0", NAN },
    { "3 // 0", NAN },
    { "5 % 0", NAN },
    { "0 ** -1", NAN },
    { "(-8) ** (1/3)", NAN },
    { "log(8, 1)", NAN },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  assert_same ("x / y", eval_at ("x / y", 0, 0, 1, 0), NAN);
  assert_same ("max(x, 1)", eval_at ("max(x, 1)", 0, 0, NAN, 0), NAN);  /* Python keeps the first */
  assert_same ("max(1, x)", eval_at ("max(1, x)", 0, 0, NAN, 0), 1);
}

/* Python stops at an exception; a later comparison or 'or' must not turn
 * the failure into an ordinary number.  numpy's functions (NetPyNE's exp,
 * log, sqrt…) return NaN quietly instead, and that NaN is a value. */
static void
test_failures (void)
{
  static const Case cases[] = {
    { "1/0 < 2", NAN },
    { "(1/0 < 2) or 1", NAN },
    { "not 0 % 0", NAN },
    { "max(3 // 0, 1)", NAN },
    { "0 ** -1 == 0", NAN },
    { "pow(0, -1) != 1", NAN },
    { "(-8) ** 0.5 != 0", NAN },      /* complex in Python */
    { "round(inf) or 1", NAN },
    { "int(inf) + 1 > 0", NAN },
    { "log(-1, 2) < 0", NAN },
    { "fmod(1, 0) == 0", NAN },
    { "round(1.5, 0.5) or 1", NAN },
    { "binomial(10, 2) > 0", NAN },  /* NEURON rejects p > 1 */
    /* not evaluated, so not failed */
    { "0 and 1/0", 0 },
    { "1 or 1/0", 1 },
    { "1/0 if 0 else 2", 2 },
    { "2 > 3 > 1/0", 0 },
    /* numpy: quiet */
    { "sqrt(-1) < 1", 0 },
    { "log(-1) != log(-1)", 1 },
    { "remainder(1, 0) < 1", 0 },
    { "exp(1000) > 1", 1 },
  };
  NlExpr *e;

  run_cases (cases, G_N_ELEMENTS (cases));
  assert_same ("x / y < 1", eval_at ("x / y < 1", 0, 0, 1, 0), NAN);
  assert_same ("x / y < 1", eval_at ("x / y < 1", 0, 0, 1, 2), 1);
  assert_same ("y and x // y", eval_at ("y and x // y", 0, 0, 1, 0), 0);

  e = compile_ok ("1/0 < 2");
  g_assert_true (nl_expr_is_constant (e));
  assert_same ("constant failure", nl_expr_eval (e, NULL, NULL), NAN);
  nl_expr_free (e);

  /* a random call without a stream fails the expression */
  e = compile_ok ("uniform(0, 1) < 2");
  assert_same ("no rng", nl_expr_eval (e, NULL, NULL), NAN);
  nl_expr_free (e);
}

static void
test_netpyne (void)
{
  const double values[] = { 150.0, 0.5, 0.0, 0.0 };
  NlExpr *e;

  /* tut5's connection rules */
  e = compile_ok ("0.4*exp(-dist_3D/probLengthConst)");
  assert_same ("prob", nl_expr_eval (e, values, NULL), 0.4 * exp (-1.0));
  g_assert_true (nl_expr_uses_var (e, V_DIST));
  g_assert_false (nl_expr_uses_var (e, V_YNORM));
  g_assert_false (nl_expr_is_random (e));
  g_assert_false (nl_expr_is_constant (e));
  nl_expr_free (e);

  assert_same ("weight", eval_at ("0.005*post_ynorm", 0, 0.5, 0, 0), 0.0025);
  assert_same ("delay", eval_at ("dist_3D/propVelocity", 150, 0, 0, 0), 1.5);

  /* constants fold at compile time */
  e = compile_ok ("probLengthConst * 2 + propVelocity");
  g_assert_true (nl_expr_is_constant (e));
  g_assert_false (nl_expr_is_random (e));
  assert_same ("const", nl_expr_eval (e, NULL, NULL), 400);
  nl_expr_free (e);

  /* a variable shadows a builtin constant, as a lambda argument does */
  {
    const char *const vars[] = { "e", NULL };
    const double v[] = { 42 };
    GError *error = NULL;
    e = nl_expr_compile ("e + 1", vars, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_same ("e + 1", nl_expr_eval (e, v, NULL), 43);
    nl_expr_free (e);
  }

  /* flags */
  e = compile_ok ("x + 1");
  g_assert_true (nl_expr_uses_var (e, V_X));
  g_assert_false (nl_expr_uses_var (e, V_Y));
  g_assert_false (nl_expr_uses_var (e, 99));
  nl_expr_free (e);

  e = compile_ok ("x if 1 else y");
  g_assert_true (nl_expr_uses_var (e, V_X));
  g_assert_false (nl_expr_uses_var (e, V_Y));
  nl_expr_free (e);

  e = compile_ok ("0 and uniform(0, 1)");
  g_assert_true (nl_expr_is_constant (e));
  g_assert_false (nl_expr_is_random (e));
  nl_expr_free (e);

  e = compile_ok ("1 and uniform(0, 1)");
  g_assert_true (nl_expr_is_random (e));
  g_assert_false (nl_expr_is_constant (e));
  nl_expr_free (e);

  e = compile_ok ("2 + 3");
  g_assert_true (nl_expr_is_constant (e));
  nl_expr_free (e);
}

static void
test_random (void)
{
  const double values[] = { 0, 0, 0, 0 };
  NlRng r1, r2, fresh;
  NlExpr *e;
  double a, b;

  /* tut2's geometry: the value is 19 + NEURON's uniform from the same stream */
  e = compile_ok ("19 + uniform(-0.5, 0.5)");
  g_assert_true (nl_expr_is_random (e));
  nl_rng_init (&r1, 1, NL_RNG_CELL, 5, 0);
  nl_rng_init (&r2, 1, NL_RNG_CELL, 5, 0);
  a = nl_expr_eval (e, values, &r1);
  assert_same ("uniform", a, 19 + nl_random_uniform (&r2, -0.5, 0.5));
  g_assert_cmpfloat (a, >, 18.5);
  g_assert_cmpfloat (a, <, 19.5);
  /* same stream, same number; another id, another number */
  nl_rng_init (&r1, 1, NL_RNG_CELL, 5, 0);
  assert_same ("reproducible", nl_expr_eval (e, values, &r1), a);
  nl_rng_init (&r1, 1, NL_RNG_CELL, 6, 0);
  g_assert_cmpfloat (nl_expr_eval (e, values, &r1), !=, a);
  /* without a stream a random call is NaN */
  assert_same ("no rng", nl_expr_eval (e, values, NULL), NAN);
  nl_expr_free (e);

  /* tut5's stimulus delay: normal takes a variance */
  e = compile_ok ("max(1, normal(5,2))");
  nl_rng_init (&r1, 3, NL_RNG_STIM, 1, 2);
  nl_rng_init (&r2, 3, NL_RNG_STIM, 1, 2);
  for (int i = 0; i < 100; i++)
    assert_same ("normal", nl_expr_eval (e, values, &r1), fmax (1, nl_random_normal (&r2, 5, 2)));
  nl_expr_free (e);

  /* left operand draws first */
  e = compile_ok ("uniform(0, 1) - 2 * uniform(0, 1)");
  nl_rng_init (&r1, 9, NL_RNG_USER, 0, 0);
  nl_rng_init (&r2, 9, NL_RNG_USER, 0, 0);
  a = nl_random_uniform (&r2, 0, 1);
  b = nl_random_uniform (&r2, 0, 1);
  assert_same ("order", nl_expr_eval (e, values, &r1), a - 2 * b);
  nl_expr_free (e);

  /* every random function reaches its distribution */
  {
    static const struct { const char *src; double (*f2) (NlRng *, double, double);
                          double (*f1) (NlRng *, double); double a, b; } calls[] = {
      { "uniform(2, 3)", nl_random_uniform, NULL, 2, 3 },
      { "normal(2, 3)", nl_random_normal, NULL, 2, 3 },
      { "lognormal(2, 3)", nl_random_lognormal, NULL, 2, 3 },
      { "negexp(2)", NULL, nl_random_negexp, 2, 0 },
      { "poisson(2)", NULL, nl_random_poisson, 2, 0 },
      { "binomial(10, 0.3)", nl_random_binomial, NULL, 10, 0.3 },
      { "discunif(1, 6)", nl_random_discunif, NULL, 1, 6 },
      { "erlang(4, 2)", nl_random_erlang, NULL, 4, 2 },
      { "geometric(0.5)", NULL, nl_random_geometric, 0.5, 0 },
      { "hypergeo(1, 3)", nl_random_hypergeo, NULL, 1, 3 },
      { "weibull(2, 1)", nl_random_weibull, NULL, 2, 1 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
      {
        e = compile_ok (calls[i].src);
        nl_rng_init (&r1, 11, NL_RNG_USER, (guint32) i, 0);
        nl_rng_init (&r2, 11, NL_RNG_USER, (guint32) i, 0);
        for (int k = 0; k < 10; k++)
          assert_same (calls[i].src, nl_expr_eval (e, values, &r1),
                       calls[i].f2 ? calls[i].f2 (&r2, calls[i].a, calls[i].b)
                                   : calls[i].f1 (&r2, calls[i].a));
        nl_expr_free (e);
      }
  }

  /* short-circuits take no draw from the untaken side */
  {
    static const char *const lazy[] = {
      "x and uniform(0, 1)", "y or uniform(0, 1)", "uniform(0, 1) if x else 5",
      "5 if y else uniform(0, 1)", "y < x < uniform(0, 1)",
    };
    const double v[] = { 0, 0, 0 /* x */, 1 /* y */ };
    for (gsize i = 0; i < G_N_ELEMENTS (lazy); i++)
      {
        e = compile_ok (lazy[i]);
        g_assert_true (nl_expr_is_random (e));
        nl_rng_init (&r1, 4, NL_RNG_CONN, 1, 2);
        nl_rng_init (&fresh, 4, NL_RNG_CONN, 1, 2);
        nl_expr_eval (e, v, &r1);
        if (memcmp (&r1, &fresh, sizeof r1) != 0)
          g_error ("'%s' drew a number it did not use", lazy[i]);
        nl_expr_free (e);
      }
    e = compile_ok ("y and uniform(0, 1)");
    nl_rng_init (&r1, 4, NL_RNG_CONN, 1, 2);
    nl_expr_eval (e, v, &r1);
    g_assert_true (memcmp (&r1, &fresh, sizeof r1) != 0);
    nl_expr_free (e);
  }
}

typedef struct {
  const char *src;
  NlExprError code;
  int offset;
  const char *message_part;
} BadCase;

static void
test_errors (void)
{
  static const BadCase cases[] = {
    { "x + y.z", NL_EXPR_ERROR_FORBIDDEN, 5, "attribute access" },
    { "__import__('os').system('x')", NL_EXPR_ERROR_FORBIDDEN, 0, "'__'" },
    { "().__class__", NL_EXPR_ERROR_FORBIDDEN, 1, "tuples" },
    { "lambda: 0", NL_EXPR_ERROR_FORBIDDEN, 0, "'lambda' is not allowed" },
    { "x.y", NL_EXPR_ERROR_FORBIDDEN, 1, "attribute access" },
    { "exp(1).real", NL_EXPR_ERROR_FORBIDDEN, 6, "attribute access" },
    { "1 .real", NL_EXPR_ERROR_FORBIDDEN, 2, "attribute access" },
    { "a[0]", NL_EXPR_ERROR_UNKNOWN_NAME, 0, "unknown name 'a'" },
    { "x[0]", NL_EXPR_ERROR_FORBIDDEN, 1, "subscripts" },
    { "open('f')", NL_EXPR_ERROR_FORBIDDEN, 0, "'open' is not allowed" },
    { "exec('1')", NL_EXPR_ERROR_FORBIDDEN, 0, "'exec' is not allowed" },
    { "eval", NL_EXPR_ERROR_FORBIDDEN, 0, "'eval' is not allowed" },
    { "\"s\"", NL_EXPR_ERROR_FORBIDDEN, 0, "strings" },
    { "x + 's'", NL_EXPR_ERROR_FORBIDDEN, 4, "strings" },
    { "import os", NL_EXPR_ERROR_FORBIDDEN, 0, "'import' is not allowed" },
    { "x = 1", NL_EXPR_ERROR_FORBIDDEN, 2, "assignment" },
    { "(x := 1)", NL_EXPR_ERROR_FORBIDDEN, 3, "assignment" },
    { "x += 1", NL_EXPR_ERROR_FORBIDDEN, 2, "assignment" },
    { "1; 2", NL_EXPR_ERROR_FORBIDDEN, 1, "';'" },
    { "f(x=1)", NL_EXPR_ERROR_UNKNOWN_FUNCTION, 0, "unknown function 'f'" },
    { "max(x=1, y=2)", NL_EXPR_ERROR_FORBIDDEN, 4, "keyword arguments" },
    { "max(*x)", NL_EXPR_ERROR_FORBIDDEN, 4, "unpacking" },
    { "max(**x)", NL_EXPR_ERROR_FORBIDDEN, 4, "unpacking" },
    { "x(1)", NL_EXPR_ERROR_UNKNOWN_FUNCTION, 0, "variable, not a function" },
    { "pi(2)", NL_EXPR_ERROR_UNKNOWN_FUNCTION, 0, "constant, not a function" },
    { "2(3)", NL_EXPR_ERROR_FORBIDDEN, 1, "only named functions" },
    { "exp", NL_EXPR_ERROR_UNKNOWN_NAME, 0, "is a function" },
    { "(1 + 2", NL_EXPR_ERROR_SYNTAX, 6, "missing ')'" },
    { "max(1, 2", NL_EXPR_ERROR_SYNTAX, 8, "missing ')'" },
    { "1 + 2)", NL_EXPR_ERROR_SYNTAX, 5, "unmatched ')'" },
    { "", NL_EXPR_ERROR_SYNTAX, 0, "empty" },
    { "   ", NL_EXPR_ERROR_SYNTAX, 0, "empty" },
    { "1 +", NL_EXPR_ERROR_SYNTAX, 3, "end of expression" },
    { "1 2", NL_EXPR_ERROR_SYNTAX, 2, "unexpected number" },
    { "x y", NL_EXPR_ERROR_SYNTAX, 2, "unexpected name 'y'" },
    { "1 if x", NL_EXPR_ERROR_SYNTAX, 6, "else" },
    { "2 + not 1", NL_EXPR_ERROR_SYNTAX, 4, "'not'" },
    { "dist3D * 2", NL_EXPR_ERROR_UNKNOWN_NAME, 0, "unknown name 'dist3D'; did you mean 'dist_3D'?" },
    { "2 * post_Ynorm", NL_EXPR_ERROR_UNKNOWN_NAME, 4, "did you mean 'post_ynorm'?" },
    { "DIST_3D", NL_EXPR_ERROR_UNKNOWN_NAME, 0, "did you mean 'dist_3D'?" },
    { "qq", NL_EXPR_ERROR_UNKNOWN_NAME, 0, "unknown name 'qq'" },
    { "2 * expp(1)", NL_EXPR_ERROR_UNKNOWN_FUNCTION, 4, "did you mean 'exp'?" },
    { "unifrom(0, 1)", NL_EXPR_ERROR_UNKNOWN_FUNCTION, 0, "did you mean 'uniform'?" },
    { "exp(1, 2)", NL_EXPR_ERROR_ARITY, 0, "exp() takes 1 argument (2 given)" },
    { "1 + max(1)", NL_EXPR_ERROR_ARITY, 4, "at least 2" },
    { "log()", NL_EXPR_ERROR_ARITY, 0, "1 or 2 arguments (0 given)" },
    { "uniform(1)", NL_EXPR_ERROR_ARITY, 0, "takes 2 arguments (1 given)" },
    { "x is 1", NL_EXPR_ERROR_FORBIDDEN, 2, "'is'" },
    { "x in y", NL_EXPR_ERROR_FORBIDDEN, 2, "'in'" },
    { "1 & 2", NL_EXPR_ERROR_FORBIDDEN, 2, "bitwise" },
    { "~1", NL_EXPR_ERROR_FORBIDDEN, 0, "bitwise" },
    { "1j", NL_EXPR_ERROR_FORBIDDEN, 0, "complex" },
    { "0123", NL_EXPR_ERROR_SYNTAX, 0, "leading zeros" },
    { "1__0", NL_EXPR_ERROR_SYNTAX, 1, "invalid number" },
    { "1e", NL_EXPR_ERROR_SYNTAX, 0, "invalid number" },
    { "(1, 2)", NL_EXPR_ERROR_FORBIDDEN, 2, "tuples" },
    { "1, 2", NL_EXPR_ERROR_FORBIDDEN, 1, "tuples" },
    { "{1: 2}", NL_EXPR_ERROR_FORBIDDEN, 0, "dicts" },
    { "[x for x in y]", NL_EXPR_ERROR_FORBIDDEN, 0, "lists" },
    { "max(x for x in y)", NL_EXPR_ERROR_FORBIDDEN, 6, "'for' is not allowed" },
    { "None", NL_EXPR_ERROR_FORBIDDEN, 0, "'None'" },
    { "1 $ 2", NL_EXPR_ERROR_SYNTAX, 2, "'$'" },
    { "x ! y", NL_EXPR_ERROR_SYNTAX, 2, "'!'" },
    { "1 + \xc3\xa9", NL_EXPR_ERROR_SYNTAX, 4, "non-ASCII" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      int offset = -1;
      NlExpr *e = nl_expr_compile (cases[i].src, test_vars, test_consts, NULL, &offset, &error);

      if (e != NULL)
        g_error ("'%s' compiled", cases[i].src);
      g_assert_nonnull (error);
      if (!g_error_matches (error, NL_EXPR_ERROR, cases[i].code) || offset != cases[i].offset
          || strstr (error->message, cases[i].message_part) == NULL)
        g_error ("'%s': got code %d offset %d \"%s\"; expected code %d offset %d \"…%s…\"",
                 cases[i].src, error->code, offset, error->message,
                 cases[i].code, cases[i].offset, cases[i].message_part);
      g_error_free (error);
    }

  /* suggestions may come from names the caller lists (constants) */
  {
    const char *const known[] = { "probLengthConst", "propVelocity", NULL };
    GError *error = NULL;
    NlExpr *e = nl_expr_compile_full ("exp(-dist_3D/probLenghtConst)", test_vars, test_consts,
                                      NULL, known, NULL, &error);
    g_assert_null (e);
    g_assert_error (error, NL_EXPR_ERROR, NL_EXPR_ERROR_UNKNOWN_NAME);
    g_assert_nonnull (strstr (error->message, "did you mean 'probLengthConst'?"));
    g_error_free (error);
  }
}

static void
assert_rejected (const char *src, NlExprError code, const char *message_part)
{
  GError *error = NULL;
  int offset = -1;
  NlExpr *e = nl_expr_compile (src, test_vars, test_consts, NULL, &offset, &error);

  g_assert_null (e);
  g_assert_error (error, NL_EXPR_ERROR, (gint) code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (offset, >=, 0);
  g_assert_cmpint (offset, <=, (int) strlen (src));
  g_error_free (error);
}

static void
test_limits (void)
{
  GString *s = g_string_new (NULL);
  NlExpr *e;

  /* nesting within the limit is fine, beyond it refused without recursing further */
  for (int i = 0; i < 200; i++)
    g_string_append_c (s, '(');
  g_string_append (s, "x");
  for (int i = 0; i < 200; i++)
    g_string_append_c (s, ')');
  assert_same ("200 parentheses", eval_at (s->str, 0, 0, 7, 0), 7);

  g_string_truncate (s, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append_c (s, '(');
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "too long");

  g_string_truncate (s, 0);
  for (int i = 0; i < 300; i++)
    g_string_append_c (s, '(');
  g_string_append (s, "1");
  for (int i = 0; i < 300; i++)
    g_string_append_c (s, ')');
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "nested too deeply");

  g_string_truncate (s, 0);
  for (int i = 0; i < 1000; i++)
    g_string_append_c (s, '-');
  g_string_append (s, "1");
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "nested too deeply");

  g_string_truncate (s, 0);
  for (int i = 0; i < 300; i++)
    g_string_append (s, "2**");
  g_string_append (s, "1");
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "nested too deeply");

  g_string_truncate (s, 0);
  for (int i = 0; i < 300; i++)
    g_string_append (s, "not ");
  g_string_append (s, "1");
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "nested too deeply");

  g_string_truncate (s, 0);
  for (int i = 0; i < 300; i++)
    g_string_append (s, "exp(");
  assert_rejected (s->str, NL_EXPR_ERROR_SYNTAX, "nested too deeply");

  /* long flat expressions are not nesting: 20000 additions, left to right */
  g_string_truncate (s, 0);
  for (int i = 0; i < 20000; i++)
    g_string_append (s, "x+");
  g_string_append (s, "1");
  assert_same ("long sum", eval_at (s->str, 0, 0, 1, 0), 20001);

  /* and a deep evaluation stack (right-nested within the limit) */
  g_string_truncate (s, 0);
  for (int i = 0; i < 120; i++)
    g_string_append (s, "x+(");
  g_string_append (s, "x");
  for (int i = 0; i < 120; i++)
    g_string_append_c (s, ')');
  e = compile_ok (s->str);
  {
    const double v[] = { 0, 0, 2, 0 };
    assert_same ("deep stack", nl_expr_eval (e, v, NULL), 242);
  }
  nl_expr_free (e);
  g_string_free (s, TRUE);
}

/* Folding and fusion must not change a single bit of any result. */
static void
test_optimisation_is_exact (void)
{
  static const char *const exprs[] = {
    "(x and -y)/3", "(x or -y)*2", "-(x*2)", "2*-x", "-x+3", "3 - -x", "3/-x", "-x/3",
    "--x", "-(3/x)", "1 < 2 < x", "x < 2 < 1", "0 < 1 < 2 < x < y", "x if 1 < 2 else y",
    "(x if y else -x) * 4", "max(1, x, 2, y)", "min(x, -y) / -2", "0 * -x", "-0.0 + x",
    "x - 0.0", "-x - 0.0", "(y and -x) + 1", "not x and -y", "x // -y % 3 ** -x",
    "0.4*exp(-dist_3D/probLengthConst)", "-(x if y else 2)/3", "x/0", "-x/0",
    "1/0 < 2", "x/0 or 1", "(0 and 1/0) + x", "x % 0 if y else -x", "round(x) or y",
  };
  static const double values[][4] = {
    { 0, 0, 0, 0 }, { 1, 2, 3, 4 }, { 150, 0.5, -0.0, 0 }, { -1, -2, 5, -0.0 },
    { NAN, INFINITY, -INFINITY, 1e308 }, { 0, 0, 0, 1 }, { 0, 0, 1, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (exprs); i++)
    {
      NlExpr *o = nl_expr_compile_internal (exprs[i], test_vars, test_consts, NULL, NULL, TRUE, NULL, NULL);
      NlExpr *p = nl_expr_compile_internal (exprs[i], test_vars, test_consts, NULL, NULL, FALSE, NULL, NULL);
      g_assert_nonnull (o);
      g_assert_nonnull (p);
      for (gsize k = 0; k < G_N_ELEMENTS (values); k++)
        assert_same (exprs[i], nl_expr_eval (o, values[k], NULL), nl_expr_eval (p, values[k], NULL));
      nl_expr_free (o);
      nl_expr_free (p);
    }
}

typedef struct {
  const NlExpr *e;
  double        sum;
} ThreadJob;

static gpointer
thread_eval (gpointer data)
{
  ThreadJob *job = data;
  job->sum = 0;
  for (guint32 i = 0; i < 20000; i++)
    {
      const double v[] = { i * 0.1, 0, 0, 0 };
      NlRng r;
      nl_rng_init (&r, 1, NL_RNG_CONN, i, 7);
      job->sum += nl_expr_eval (job->e, v, &r);
    }
  return NULL;
}

static void
test_threads (void)
{
  NlExpr *e = compile_ok ("0.4*exp(-dist_3D/probLengthConst) + uniform(0, 1e-3)");
  ThreadJob jobs[4], single = { e, 0 };
  GThread *threads[4];

  thread_eval (&single);
  for (int i = 0; i < 4; i++)
    {
      jobs[i] = (ThreadJob) { e, 0 };
      threads[i] = g_thread_new ("expr", thread_eval, &jobs[i]);
    }
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      assert_same ("threads", jobs[i].sum, single.sum);
    }
  nl_expr_free (e);
}

static void
test_function_names (void)
{
  const char *const *all = nl_expr_function_names ();
  const char *const *rnd = nl_expr_random_function_names ();
  guint n_all = g_strv_length ((char **) all);

  g_assert_true (g_strv_contains (all, "exp"));
  g_assert_true (g_strv_contains (all, "max"));
  g_assert_true (g_strv_contains (all, "uniform"));
  g_assert_false (g_strv_contains (all, "open"));
  g_assert_cmpuint (g_strv_length ((char **) rnd), ==, 11);
  g_assert_cmpstr (rnd[0], ==, "uniform");
  g_assert_true (g_strv_contains (rnd, "hypergeo"));
  g_assert_false (g_strv_contains (rnd, "exp"));
  /* every listed name compiles as a call with its arity */
  for (guint i = 0; i < n_all; i++)
    {
      const char *args[] = { "(1)", "(1, 0.5)", "(1, 0.5, 2)" };
      gboolean ok = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (args) && !ok; k++)
        {
          char *src = g_strconcat (all[i], args[k], NULL);
          NlExpr *e = nl_expr_compile (src, NULL, NULL, NULL, NULL, NULL);
          ok = e != NULL;
          nl_expr_free (e);
          g_free (src);
        }
      if (!ok)
        g_error ("listed function '%s' does not compile", all[i]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/expr/arithmetic", test_arithmetic);
  g_test_add_func ("/expr/logic", test_logic);
  g_test_add_func ("/expr/functions", test_functions);
  g_test_add_func ("/expr/failures", test_failures);
  g_test_add_func ("/expr/netpyne", test_netpyne);
  g_test_add_func ("/expr/random", test_random);
  g_test_add_func ("/expr/errors", test_errors);
  g_test_add_func ("/expr/limits", test_limits);
  g_test_add_func ("/expr/optimisation-is-exact", test_optimisation_is_exact);
  g_test_add_func ("/expr/threads", test_threads);
  g_test_add_func ("/expr/function-names", test_function_names);
  return g_test_run ();
}
