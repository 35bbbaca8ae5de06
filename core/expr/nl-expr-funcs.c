/* nl-expr-funcs.c — the functions a string function may call, with the
 * semantics NetPyNE's eval gives them.
 *
 * NetPyNE evaluates string functions in netpyne/specs/utils.py, whose
 * globals are numpy's sin, cos, tan, exp, remainder, sqrt, arctan2, ceil,
 * log, log10, pi, inf (plus Python's builtins abs, min, max, round, int,
 * float, pow); its validator adds math's asin, acos, atan, atan2, sinh,
 * cosh, tanh and e, and population density functions see numpy's arccos.
 * We accept that union plus a few harmless math functions users reach for
 * (floor, trunc, log2, hypot, fmod, copysign, degrees, radians, fabs).
 * Where Python raises (domain errors of Python's own functions, division
 * by zero) the evaluation fails and yields NaN as a whole, which the caller
 * reports; where numpy returns NaN, inf or -inf (sqrt(-1), exp overflow,
 * log(0)) so do we, and the value flows on.
 */
#include <math.h>
#include <string.h>

#include "nl-expr-private.h"
#include "nl-random.h"

/* ---- Python float arithmetic ------------------------------------------ */

/* CPython's float_divmod: the quotient is computed from fmod so that
 * a == b*(a//b) + a%b holds as closely as floating point allows, and
 * a // b is never off by one the way floor(a/b) can be.  b == 0 is the
 * caller's business (Python raises). */
double
nl_expr_py_floordiv (double a, double b)
{
  double mod, div, floordiv;

  if (b == 0.0)
    return NAN;
  mod = fmod (a, b);
  div = (a - mod) / b;
  if (mod != 0.0)
    {
      if ((b < 0.0) != (mod < 0.0))
        div -= 1.0;
    }
  if (div != 0.0)
    {
      floordiv = floor (div);
      if (div - floordiv > 0.5)
        floordiv += 1.0;
    }
  else
    floordiv = copysign (0.0, a / b);
  return floordiv;
}

/* The result takes the sign of the divisor: -7 % 3 == 2, 7 % -3 == -2. */
double
nl_expr_py_mod (double a, double b)
{
  double mod;

  if (b == 0.0)
    return NAN;
  mod = fmod (a, b);
  if (mod != 0.0)
    {
      if ((b < 0.0) != (mod < 0.0))
        mod += b;
    }
  else
    mod = copysign (0.0, b);
  return mod;
}

/* C99's pow already agrees with Python on inf, nan, 1**y and x**0; Python
 * differs only in raising for 0 to a negative power (and in returning a
 * complex number for a negative base and fractional exponent, where C
 * gives NaN).  Both come out as NaN from non-NaN operands, which is how
 * nl_expr_binary recognises them. */
double
nl_expr_py_pow (double a, double b)
{
  if (a == 0.0 && b < 0.0)
    return NAN;
  return pow (a, b);
}

double
nl_expr_py_cmp (NlCmp cmp, double a, double b)
{
  switch (cmp)
    {
    case NL_CMP_LT: return a < b;
    case NL_CMP_LE: return a <= b;
    case NL_CMP_GT: return a > b;
    case NL_CMP_GE: return a >= b;
    case NL_CMP_EQ: return a == b;
    case NL_CMP_NE: return a != b;
    default: return NAN;
    }
}

/* ---- one-argument functions ------------------------------------------- */

/* Python 3's round(x): halves go to the even neighbour.  round() in C
 * rounds halves away from zero; it is right except on exact halves, which
 * x - round(x) detects exactly (the difference is representable). */
static double
fn_round (double x)
{
  double r;

  if (!isfinite (x))
    return NAN;   /* Python raises for inf and nan */
  r = round (x);
  if (fabs (x - r) == 0.5)
    r = 2.0 * round (x / 2.0);
  return r;
}

static double
fn_int (double x)
{
  return isfinite (x) ? trunc (x) : NAN;
}

static double
fn_float (double x)
{
  return x;
}

static double
fn_degrees (double x)
{
  return x * (180.0 / G_PI);
}

static double
fn_radians (double x)
{
  return x * (G_PI / 180.0);
}

const NlFn1Ptr nl_expr_fn1[NL_FN1_N] = {
  [NL_FN1_EXP] = exp,
  [NL_FN1_LOG] = log,
  [NL_FN1_LOG10] = log10,
  [NL_FN1_LOG2] = log2,
  [NL_FN1_SQRT] = sqrt,
  [NL_FN1_FABS] = fabs,
  [NL_FN1_FLOOR] = floor,
  [NL_FN1_CEIL] = ceil,
  [NL_FN1_TRUNC] = trunc,
  [NL_FN1_ROUND] = fn_round,
  [NL_FN1_INT] = fn_int,
  [NL_FN1_FLOAT] = fn_float,
  [NL_FN1_SIN] = sin,
  [NL_FN1_COS] = cos,
  [NL_FN1_TAN] = tan,
  [NL_FN1_ASIN] = asin,
  [NL_FN1_ACOS] = acos,
  [NL_FN1_ATAN] = atan,
  [NL_FN1_SINH] = sinh,
  [NL_FN1_COSH] = cosh,
  [NL_FN1_TANH] = tanh,
  [NL_FN1_DEGREES] = fn_degrees,
  [NL_FN1_RADIANS] = fn_radians,
};

/* ---- two-argument functions ------------------------------------------- */

/* math.log(x, base) raises for x <= 0, base <= 0 and base == 1. */
static double
fn_log_base (double x, double base)
{
  double d;

  if (!(x > 0.0) || !(base > 0.0))
    return NAN;
  d = log (base);
  if (d == 0.0)
    return NAN;
  return log (x) / d;
}

/* Python's round(x, n) rounds the exact binary value of x to n decimal
 * places, ties to even.  printf's %.nf does exactly that (it converts the
 * exact value and rounds it in the current rounding mode, round-to-even by
 * default), so for n >= 0 we let it; for n < 0 we round the exact integer
 * digits by hand. */
#define ROUND_BUF 800

static double
round_negative_digits (double x, int m)
{
  char digits[ROUND_BUF];
  char kept[ROUND_BUF + 2];
  char out[ROUND_BUF + 16];
  double ax = fabs (x);
  double ip = trunc (ax);
  double frac = ax - ip;        /* exact */
  gsize len, nkeep, i;
  gboolean up;
  char *s;

  g_ascii_formatd (digits, sizeof digits, "%.0f", ip);   /* exact: ip is an integer */
  len = strlen (digits);
  if ((gsize) m >= len + 1)
    return copysign (0.0, x);   /* even the first digit is below half a unit */

  /* digits = kept · dropped, with m dropped digits (kept may be empty when
   * m == len, in which case it reads as 0). */
  nkeep = len - (gsize) m;
  if (digits[nkeep] > '5')
    up = TRUE;
  else if (digits[nkeep] < '5')
    up = FALSE;
  else
    {
      gboolean rest = frac != 0.0;
      for (i = nkeep + 1; i < len && !rest; i++)
        rest = digits[i] != '0';
      if (rest)
        up = TRUE;
      else
        up = nkeep > 0 && ((digits[nkeep - 1] - '0') & 1);   /* tie: to even */
    }

  kept[0] = '0';                 /* room for a carry */
  memcpy (kept + 1, digits, nkeep);
  kept[nkeep + 1] = '\0';
  if (up)
    {
      for (i = nkeep; ; i--)
        {
          if (kept[i] == '9')
            kept[i] = '0';
          else
            {
              kept[i]++;
              break;
            }
          if (i == 0)
            break;
        }
    }
  g_snprintf (out, sizeof out, "%se%d", kept, m);
  ax = g_ascii_strtod (out, &s);
  if (isinf (ax))
    return NAN;                  /* Python: "rounded value too large" */
  return copysign (ax, x);
}

static double
fn_round_digits (double x, double nd)
{
  char fmt[16];
  char buf[ROUND_BUF];
  double r;
  int n;

  if (!isfinite (nd) || nd != trunc (nd))
    return NAN;                  /* Python requires an integer */
  if (!isfinite (x) || x == 0.0)
    return x;
  /* Limits as CPython's: past them the answer is x itself or zero. */
  if (nd > 323)
    return x;
  if (nd < -308)
    return 0.0 * x;
  n = (int) nd;
  if (n < 0)
    return round_negative_digits (x, -n);
  g_snprintf (fmt, sizeof fmt, "%%.%df", n);
  g_ascii_formatd (buf, sizeof buf, fmt, x);
  r = g_ascii_strtod (buf, NULL);
  if (r == 0.0)
    r = copysign (0.0, x);
  return r;
}

/* numpy.remainder: Python's % semantics, but a zero divisor only warns. */
static double
fn_remainder (double x, double y)
{
  return y == 0.0 ? NAN : nl_expr_py_mod (x, y);
}

const NlFn2Ptr nl_expr_fn2[NL_FN2_N] = {
  [NL_FN2_POW] = nl_expr_py_pow,
  [NL_FN2_ATAN2] = atan2,
  [NL_FN2_HYPOT] = hypot,
  [NL_FN2_FMOD] = fmod,
  [NL_FN2_COPYSIGN] = copysign,
  [NL_FN2_LOG] = fn_log_base,
  [NL_FN2_ROUND] = fn_round_digits,
  [NL_FN2_REMAINDER] = fn_remainder,
};

/* round and int are Python builtins (they raise on inf and NaN); log with
 * a base, fmod and round with digits are math/builtin functions that raise
 * on a domain error; pow raises like **.  The others are numpy's in
 * NetPyNE, or never produce NaN from numbers. */
const gboolean nl_expr_fn1_raises[NL_FN1_N] = {
  [NL_FN1_ROUND] = TRUE,
  [NL_FN1_INT] = TRUE,
};

const gboolean nl_expr_fn2_raises[NL_FN2_N] = {
  [NL_FN2_POW] = TRUE,
  [NL_FN2_LOG] = TRUE,
  [NL_FN2_ROUND] = TRUE,
  [NL_FN2_FMOD] = TRUE,
};

/* ---- random functions ------------------------------------------------- */

double
nl_expr_call_random (NlRand which, NlRng *rng, double a, double b)
{
  if (rng == NULL)
    return NAN;
  switch (which)
    {
    case NL_RAND_UNIFORM:   return nl_random_uniform (rng, a, b);
    case NL_RAND_NORMAL:    return nl_random_normal (rng, a, b);
    case NL_RAND_LOGNORMAL: return nl_random_lognormal (rng, a, b);
    case NL_RAND_NEGEXP:    return nl_random_negexp (rng, a);
    case NL_RAND_POISSON:   return nl_random_poisson (rng, a);
    case NL_RAND_BINOMIAL:  return nl_random_binomial (rng, a, b);
    case NL_RAND_DISCUNIF:  return nl_random_discunif (rng, a, b);
    case NL_RAND_ERLANG:    return nl_random_erlang (rng, a, b);
    case NL_RAND_GEOMETRIC: return nl_random_geometric (rng, a);
    case NL_RAND_HYPERGEO:  return nl_random_hypergeo (rng, a, b);
    case NL_RAND_WEIBULL:   return nl_random_weibull (rng, a, b);
    case NL_RAND_N:
    default:                return NAN;
    }
}

/* ---- the table -------------------------------------------------------- */

#define MATH1(n, f)       { n, NL_FUNC_MATH, 1, 1, f, -1, -1 }
#define MATH2(n, f)       { n, NL_FUNC_MATH, 2, 2, -1, f, -1 }
#define MATH12(n, f1, f2) { n, NL_FUNC_MATH, 1, 2, f1, f2, -1 }
#define RAND(n, k, r)     { n, NL_FUNC_RANDOM, k, k, -1, -1, r }

static const NlFuncInfo functions[] = {
  MATH1 ("exp", NL_FN1_EXP),
  MATH12 ("log", NL_FN1_LOG, NL_FN2_LOG),
  MATH1 ("log10", NL_FN1_LOG10),
  MATH1 ("log2", NL_FN1_LOG2),
  MATH1 ("sqrt", NL_FN1_SQRT),
  MATH2 ("pow", NL_FN2_POW),
  MATH1 ("abs", NL_FN1_FABS),
  MATH1 ("fabs", NL_FN1_FABS),
  { "min", NL_FUNC_MINMAX, 2, G_MAXUINT8, -1, NL_OP_MIN, -1 },
  { "max", NL_FUNC_MINMAX, 2, G_MAXUINT8, -1, NL_OP_MAX, -1 },
  MATH1 ("floor", NL_FN1_FLOOR),
  MATH1 ("ceil", NL_FN1_CEIL),
  MATH1 ("trunc", NL_FN1_TRUNC),
  MATH12 ("round", NL_FN1_ROUND, NL_FN2_ROUND),
  MATH1 ("int", NL_FN1_INT),
  MATH1 ("float", NL_FN1_FLOAT),
  MATH1 ("sin", NL_FN1_SIN),
  MATH1 ("cos", NL_FN1_COS),
  MATH1 ("tan", NL_FN1_TAN),
  MATH1 ("asin", NL_FN1_ASIN),
  MATH1 ("acos", NL_FN1_ACOS),
  MATH1 ("arccos", NL_FN1_ACOS),
  MATH1 ("atan", NL_FN1_ATAN),
  MATH2 ("atan2", NL_FN2_ATAN2),
  MATH2 ("arctan2", NL_FN2_ATAN2),
  MATH1 ("sinh", NL_FN1_SINH),
  MATH1 ("cosh", NL_FN1_COSH),
  MATH1 ("tanh", NL_FN1_TANH),
  MATH2 ("hypot", NL_FN2_HYPOT),
  MATH2 ("fmod", NL_FN2_FMOD),
  MATH2 ("remainder", NL_FN2_REMAINDER),
  MATH2 ("copysign", NL_FN2_COPYSIGN),
  MATH1 ("degrees", NL_FN1_DEGREES),
  MATH1 ("radians", NL_FN1_RADIANS),
  /* NEURON Random methods, in NetPyNE's list (specs/utils.py) */
  RAND ("uniform", 2, NL_RAND_UNIFORM),
  RAND ("normal", 2, NL_RAND_NORMAL),
  RAND ("lognormal", 2, NL_RAND_LOGNORMAL),
  RAND ("negexp", 1, NL_RAND_NEGEXP),
  RAND ("poisson", 1, NL_RAND_POISSON),
  RAND ("binomial", 2, NL_RAND_BINOMIAL),
  RAND ("discunif", 2, NL_RAND_DISCUNIF),
  RAND ("erlang", 2, NL_RAND_ERLANG),
  RAND ("geometric", 1, NL_RAND_GEOMETRIC),
  RAND ("hypergeo", 2, NL_RAND_HYPERGEO),
  RAND ("weibull", 2, NL_RAND_WEIBULL),
};

static const char *const function_names[] = {
  "exp", "log", "log10", "log2", "sqrt", "pow", "abs", "fabs", "min", "max",
  "floor", "ceil", "trunc", "round", "int", "float", "sin", "cos", "tan",
  "asin", "acos", "arccos", "atan", "atan2", "arctan2", "sinh", "cosh", "tanh",
  "hypot", "fmod", "remainder", "copysign", "degrees", "radians",
  "uniform", "normal", "lognormal", "negexp", "poisson", "binomial",
  "discunif", "erlang", "geometric", "hypergeo", "weibull",
  NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (function_names) == G_N_ELEMENTS (functions) + 1);

const NlFuncInfo *
nl_expr_function_table (guint *n)
{
  *n = G_N_ELEMENTS (functions);
  return functions;
}

const NlFuncInfo *
nl_expr_lookup_function (const char *name, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strncmp (functions[i].name, name, len) == 0 && functions[i].name[len] == '\0')
      return &functions[i];
  return NULL;
}

const char *const *
nl_expr_function_names (void)
{
  return function_names;
}

const char *const *
nl_expr_random_function_names (void)
{
  /* The random names are the tail of function_names. */
  return function_names + G_N_ELEMENTS (functions) - NL_RAND_N;
}
