/* nl-expr-private.h — the compiled form of an expression, shared by the
 * compiler (nl-expr-parse.c), the evaluator (nl-expr-eval.c) and the
 * function table (nl-expr-funcs.c).
 *
 * An expression compiles to a flat array of instructions for a stack
 * machine: no tree to chase at evaluation, no recursion, and the array can
 * be scanned to answer uses_var/is_random.  Jumps are relative and only go
 * forward, so a block of code can be moved or dropped as a unit while
 * compiling (the conditional expression and constant folding rely on it).
 */
#pragma once

#include <math.h>

#include "nl-expr.h"

G_BEGIN_DECLS

typedef enum {
  NL_OP_END,            /* return the top of stack */
  NL_OP_CONST,          /* push k */
  NL_OP_VAR,            /* push vars[a] */
  NL_OP_NEG,
  NL_OP_NOT,
  NL_OP_ADD, NL_OP_SUB, NL_OP_MUL, NL_OP_DIV,
  NL_OP_FLOORDIV, NL_OP_MOD, NL_OP_POW,
  /* one operand is the constant k: x+k, x-k, x*k, x/k, k-x, k/x */
  NL_OP_ADD_K, NL_OP_SUB_K, NL_OP_MUL_K, NL_OP_DIV_K, NL_OP_RSUB_K, NL_OP_RDIV_K,
  NL_OP_CMP,            /* sub = NlCmp; pops b, a; pushes a <cmp> b */
  NL_OP_CMP_CHAIN,      /* a < b inside a < b < c: if false push 0 and jump a, else leave b */
  NL_OP_JUMP,           /* jump a */
  NL_OP_JUMP_IF_FALSE,  /* pop; jump a if it was false */
  NL_OP_AND,            /* x and …: if x is false jump a keeping x, else pop it */
  NL_OP_OR,             /* x or …: if x is true jump a keeping x, else pop it */
  NL_OP_MIN, NL_OP_MAX, /* Python's fold: keep the current value unless the new one is < / > */
  NL_OP_FN1,            /* sub = NlFn1 */
  NL_OP_FN2,            /* sub = NlFn2 */
  NL_OP_RAND,           /* sub = NlRand; pops 1 or 2 arguments */
  NL_OP_N_OPS
} NlOp;

typedef enum { NL_CMP_LT, NL_CMP_LE, NL_CMP_GT, NL_CMP_GE, NL_CMP_EQ, NL_CMP_NE } NlCmp;

typedef enum {
  NL_FN1_EXP, NL_FN1_LOG, NL_FN1_LOG10, NL_FN1_LOG2, NL_FN1_SQRT, NL_FN1_FABS,
  NL_FN1_FLOOR, NL_FN1_CEIL, NL_FN1_TRUNC, NL_FN1_ROUND, NL_FN1_INT, NL_FN1_FLOAT,
  NL_FN1_SIN, NL_FN1_COS, NL_FN1_TAN, NL_FN1_ASIN, NL_FN1_ACOS, NL_FN1_ATAN,
  NL_FN1_SINH, NL_FN1_COSH, NL_FN1_TANH, NL_FN1_DEGREES, NL_FN1_RADIANS,
  NL_FN1_N
} NlFn1;

typedef enum {
  NL_FN2_POW, NL_FN2_ATAN2, NL_FN2_HYPOT, NL_FN2_FMOD, NL_FN2_COPYSIGN,
  NL_FN2_LOG, NL_FN2_ROUND, NL_FN2_REMAINDER,
  NL_FN2_N
} NlFn2;

typedef enum {
  NL_RAND_UNIFORM, NL_RAND_NORMAL, NL_RAND_LOGNORMAL, NL_RAND_NEGEXP, NL_RAND_POISSON,
  NL_RAND_BINOMIAL, NL_RAND_DISCUNIF, NL_RAND_ERLANG, NL_RAND_GEOMETRIC, NL_RAND_HYPERGEO,
  NL_RAND_WEIBULL,
  NL_RAND_N
} NlRand;

typedef struct {
  guint16 op;     /* NlOp */
  guint16 sub;    /* NlCmp, NlFn1, NlFn2 or NlRand */
  gint32  a;      /* variable index, or jump distance from this instruction */
  double  k;      /* constant operand */
} NlInstr;

struct _NlExpr {
  NlInstr  *code;
  guint     n_code;
  guint     max_stack;    /* deepest the stack gets, in values */
  guint     n_vars;
  gboolean  is_random;
  gboolean  uses_vars;
  gboolean  is_constant;
  double    constant;     /* the value, when is_constant */
  guint8   *var_used;     /* n_vars flags */
};

/* What a function name means. */
typedef enum { NL_FUNC_MATH, NL_FUNC_MINMAX, NL_FUNC_RANDOM } NlFuncKind;

typedef struct {
  const char *name;
  guint8      kind;       /* NlFuncKind */
  guint8      min_args;
  guint8      max_args;   /* G_MAXUINT8: any number */
  gint16      fn1;        /* NlFn1 when called with 1 argument, else -1 */
  gint16      fn2;        /* NlFn2 when called with 2 arguments, else -1; NlOp for min/max */
  gint16      rand;       /* NlRand, else -1 */
} NlFuncInfo;

const NlFuncInfo *nl_expr_lookup_function (const char *name, gsize len);
const NlFuncInfo *nl_expr_function_table  (guint *n);

typedef double (*NlFn1Ptr) (double);
typedef double (*NlFn2Ptr) (double, double);
extern const NlFn1Ptr nl_expr_fn1[NL_FN1_N];
extern const NlFn2Ptr nl_expr_fn2[NL_FN2_N];
/* Functions that are Python builtins or math functions (not numpy's) and
 * so raise where they return NaN here. */
extern const gboolean nl_expr_fn1_raises[NL_FN1_N];
extern const gboolean nl_expr_fn2_raises[NL_FN2_N];

/* Python float semantics, shared by folding and evaluation so that a
 * folded constant is bit-for-bit what evaluation would have produced.
 *
 * Where Python raises (ZeroDivisionError, a complex result, ValueError…)
 * the operation sets *failed, and an evaluation that failed anywhere
 * returns NaN as a whole: NetPyNE would have stopped there, so a later
 * comparison or 'or' must not turn the failure into an ordinary number.
 * Where numpy (NetPyNE's exp, log, sqrt…) quietly returns NaN or inf, the
 * value simply flows on. */
double nl_expr_py_floordiv (double a, double b);
double nl_expr_py_mod      (double a, double b);
double nl_expr_py_pow      (double a, double b);
double nl_expr_py_cmp      (NlCmp cmp, double a, double b);
double nl_expr_call_random (NlRand which, NlRng *rng, double a, double b);

static inline double
nl_expr_py_div (double a, double b, gboolean *failed)
{
  if (G_UNLIKELY (b == 0.0))
    {
      *failed = TRUE;
      return NAN;
    }
  return a / b;
}

/* Binary operators, and min/max (Python's fold: keep the current value
 * unless the new one is strictly smaller/larger). */
static inline double
nl_expr_binary (NlOp op, double a, double b, gboolean *failed)
{
  double r;

  switch (op)
    {
    case NL_OP_ADD: return a + b;
    case NL_OP_SUB: return a - b;
    case NL_OP_MUL: return a * b;
    case NL_OP_DIV: return nl_expr_py_div (a, b, failed);
    case NL_OP_FLOORDIV:
      if (b == 0.0)
        break;
      return nl_expr_py_floordiv (a, b);
    case NL_OP_MOD:
      if (b == 0.0)
        break;
      return nl_expr_py_mod (a, b);
    case NL_OP_POW:
      /* NaN from non-NaN operands: 0 ** -1 or a complex result */
      r = nl_expr_py_pow (a, b);
      if (isnan (r) && !isnan (a) && !isnan (b))
        *failed = TRUE;
      return r;
    case NL_OP_MIN: return b < a ? b : a;
    case NL_OP_MAX: return b > a ? b : a;
    default:
      break;
    }
  *failed = TRUE;
  return NAN;
}

static inline double
nl_expr_call1 (guint fn, double x, gboolean *failed)
{
  double r = nl_expr_fn1[fn] (x);
  if (G_UNLIKELY (isnan (r)) && nl_expr_fn1_raises[fn])
    *failed = TRUE;
  return r;
}

static inline double
nl_expr_call2 (guint fn, double x, double y, gboolean *failed)
{
  double r = nl_expr_fn2[fn] (x, y);
  if (G_UNLIKELY (isnan (r)) && nl_expr_fn2_raises[fn] && !isnan (x) && !isnan (y))
    *failed = TRUE;
  return r;
}

static inline gboolean
nl_expr_truthy (double x)
{
  return x != 0.0;   /* NaN is true, as in Python */
}

/* ---- lexer (nl-expr-lexer.c) ------------------------------------------ */

typedef enum {
  NL_TOK_END, NL_TOK_NUM, NL_TOK_NAME,
  NL_TOK_LPAR, NL_TOK_RPAR, NL_TOK_COMMA,
  NL_TOK_PLUS, NL_TOK_MINUS, NL_TOK_STAR, NL_TOK_DSTAR, NL_TOK_SLASH, NL_TOK_DSLASH,
  NL_TOK_PERCENT,
  NL_TOK_LT, NL_TOK_LE, NL_TOK_GT, NL_TOK_GE, NL_TOK_EQ, NL_TOK_NE,
  NL_TOK_AND, NL_TOK_OR, NL_TOK_NOT, NL_TOK_IF, NL_TOK_ELSE, NL_TOK_TRUE, NL_TOK_FALSE,
  NL_TOK_IN, NL_TOK_IS,
  NL_TOK_KEYWORD,       /* any other Python keyword: never allowed */
  NL_TOK_DOT, NL_TOK_LBRACKET, NL_TOK_RBRACKET, NL_TOK_LBRACE, NL_TOK_RBRACE,
  NL_TOK_ASSIGN,        /* = and the augmented forms, := */
  NL_TOK_COLON, NL_TOK_SEMI,
  NL_TOK_BITOP,         /* & | ^ ~ << >> @ */
  NL_TOK_ARROW,         /* -> */
} NlTokKind;

typedef struct {
  NlTokKind kind;
  guint     start;      /* byte offset in the source */
  guint     len;
  double    num;        /* NL_TOK_NUM */
} NlToken;

typedef struct {
  const char *src;
  guint       len;
  guint       pos;      /* where the next token starts (before blanks) */
} NlLexer;

/* Reads the token at lx->pos; on error sets *error and *error_offset. */
gboolean nl_expr_lex (NlLexer *lx, NlToken *tok, GError **error, guint *error_offset);

/* For tests and the fuzzer: compile without any folding or fusion, so
 * that the two forms can be checked against each other. */
NlExpr *nl_expr_compile_internal (const char *src, const char *const *vars,
                                  NlExprConstFunc consts, gpointer consts_data,
                                  const char *const *known_names, gboolean optimize,
                                  int *error_offset, GError **error);

/* Finishes a compiled program: checks the stack discipline of every path
 * (aborting on a compiler bug rather than running bad code), and fills
 * max_stack and the flags.  Takes ownership of code. */
NlExpr *nl_expr_new_from_code (NlInstr *code, guint n_code, guint n_vars);

/* Human-readable listing, for debugging. */
char   *nl_expr_disassemble   (const NlExpr *e);

G_END_DECLS
