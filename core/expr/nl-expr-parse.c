/* nl-expr-parse.c — compiles a string function to stack-machine code.
 *
 * One pass: a recursive-descent parser (precedence climbing for the binary
 * operators) that emits code as it goes.  Constant folding happens at
 * emission time on whole blocks of code: every subexpression's code is one
 * contiguous block, so a constant subexpression is always a single CONST
 * instruction by the time its parent is emitted, and dropping or moving a
 * block never breaks a jump (jumps are relative and stay inside their
 * block).  The only optimisation that looks inside a block merges its last
 * instruction with the next one, which is valid only when no jump lands
 * between the two: label_max, the highest jump target so far, guards that.
 *
 * Every fold and fusion is exact (same IEEE result, same random draws);
 * the fuzzer checks this by comparing with code compiled without them.
 */
#include <math.h>
#include <string.h>

#include "nl-expr-private.h"

G_DEFINE_QUARK (nl-expr-error-quark, nl_expr_error)

enum {
  PREC_OR = 1,
  PREC_AND,
  PREC_NOT,
  PREC_CMP,
  PREC_ADD,
  PREC_MUL,
};

typedef struct {
  NlLexer             lx;
  NlToken             tok;
  const char         *src;
  const char *const  *vars;
  guint               n_vars;
  NlExprConstFunc     consts;
  gpointer            consts_data;
  const char *const  *known;
  gboolean            opt;

  NlInstr            *code;
  guint               len;
  guint               cap;
  guint               label_max;   /* no jump targets a position above this */
  guint               depth;

  GError             *error;
  guint               error_offset;
} Compiler;

static gboolean parse_expr  (Compiler *c);
static gboolean parse_binop (Compiler *c, int min_prec);
static gboolean parse_unary (Compiler *c);

/* ---- errors ----------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (4, 5)
fail (Compiler *c, guint offset, NlExprError code, const char *format, ...)
{
  va_list args;

  if (c->error != NULL)
    return FALSE;
  va_start (args, format);
  c->error = g_error_new_valist (NL_EXPR_ERROR, code, format, args);
  va_end (args);
  c->error_offset = offset;
  return FALSE;
}

/* A name as it appears in a message: long ones are cut, so that a
 * pathological input cannot make a pathological message. */
static char *
name_text (const char *s, guint len)
{
  if (len > 40)
    return g_strdup_printf ("%.40s…", s);
  return g_strndup (s, len);
}

static gboolean
fail_unexpected (Compiler *c)
{
  const NlToken *t = &c->tok;
  const char *s = c->src + t->start;
  gboolean r;
  char *name;

  switch (t->kind)
    {
    case NL_TOK_END:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unexpected end of expression");
    case NL_TOK_RPAR:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unmatched ')'");
    case NL_TOK_RBRACKET:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unmatched ']'");
    case NL_TOK_RBRACE:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unmatched '}'");
    case NL_TOK_NUM:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unexpected number (missing operator?)");
    case NL_TOK_NAME:
      name = name_text (s, t->len);
      r = fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unexpected name '%s' (missing operator?)", name);
      g_free (name);
      return r;
    case NL_TOK_DOT:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "attribute access is not allowed");
    case NL_TOK_LBRACKET:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "subscripts and lists are not allowed");
    case NL_TOK_LBRACE:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "dicts and sets are not allowed");
    case NL_TOK_ASSIGN:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "assignment is not allowed");
    case NL_TOK_SEMI:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN,
                   "only one expression is allowed (no ';')");
    case NL_TOK_COLON:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN,
                   "':' is not allowed (no lambdas, slices or dicts)");
    case NL_TOK_KEYWORD:
    case NL_TOK_IN:
    case NL_TOK_IS:
      name = name_text (s, t->len);
      r = fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "'%s' is not allowed", name);
      g_free (name);
      return r;
    case NL_TOK_BITOP:
      return fail (c, t->start, NL_EXPR_ERROR_FORBIDDEN, "bitwise operators are not supported");
    case NL_TOK_LPAR: case NL_TOK_COMMA: case NL_TOK_PLUS: case NL_TOK_MINUS:
    case NL_TOK_STAR: case NL_TOK_DSTAR: case NL_TOK_SLASH: case NL_TOK_DSLASH:
    case NL_TOK_PERCENT: case NL_TOK_LT: case NL_TOK_LE: case NL_TOK_GT: case NL_TOK_GE:
    case NL_TOK_EQ: case NL_TOK_NE: case NL_TOK_AND: case NL_TOK_OR: case NL_TOK_NOT:
    case NL_TOK_IF: case NL_TOK_ELSE: case NL_TOK_TRUE: case NL_TOK_FALSE: case NL_TOK_ARROW:
    default:
      return fail (c, t->start, NL_EXPR_ERROR_SYNTAX, "unexpected '%.*s'", (int) t->len, s);
    }
}

/* ---- suggestions ------------------------------------------------------ */

/* Optimal string alignment distance (Levenshtein plus adjacent swaps). */
static guint
edit_distance (const char *a, guint la, const char *b, guint lb)
{
  guint rows[3][65];
  guint *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

  g_assert (la <= 64 && lb <= 64);
  for (guint j = 0; j <= lb; j++)
    prev[j] = j;
  for (guint i = 1; i <= la; i++)
    {
      guint *t;
      cur[0] = i;
      for (guint j = 1; j <= lb; j++)
        {
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
          guint v = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            v = MIN (v, prev2[j - 2] + 1);
          cur[j] = v;
        }
      t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
  return prev[lb];
}

typedef struct {
  const char *name;
  guint       len;
  const char *best;
  guint       best_d;
} Suggest;

static void
suggest_consider (Suggest *s, const char *candidate)
{
  guint lc = (guint) strlen (candidate);
  guint d;

  if (lc > 64 || s->len > 64)
    return;
  d = edit_distance (s->name, s->len, candidate, lc);
  if (d > 1 && lc == s->len && g_ascii_strncasecmp (s->name, candidate, lc) == 0)
    d = 1;   /* DIST_3D for dist_3D is one slip of the shift key */
  /* Within 2 edits, and not a rewrite of most of a short name ('q' is not
   * a typo of 'e'). */
  if (d <= 2 && d < s->len && d < s->best_d)
    {
      s->best = candidate;
      s->best_d = d;
    }
}

static void
suggest_list (Suggest *s, const char *const *list)
{
  for (; list != NULL && *list != NULL; list++)
    suggest_consider (s, *list);
}

static const char *const builtin_constants[] = { "pi", "e", "inf", "True", "False", NULL };

/* Python builtins that would reach outside the expression: refused by
 * name, with a clearer message than "unknown function". */
static const char *const forbidden_names[] = {
  "open", "exec", "eval", "compile", "getattr", "setattr", "delattr", "hasattr",
  "globals", "locals", "vars", "input", "print", "breakpoint", "help", "dir",
  "type", "object", "super", "exit", "quit", "memoryview", "classmethod",
  "staticmethod", "property", "id", "hash", "callable", "isinstance", "issubclass",
  NULL
};

static gboolean
name_in (const char *const *list, const char *name, guint len)
{
  for (; *list != NULL; list++)
    if (strncmp (*list, name, len) == 0 && (*list)[len] == '\0')
      return TRUE;
  return FALSE;
}

/* ---- code buffer ------------------------------------------------------ */

static guint
emit (Compiler *c, NlOp op, guint sub, gint32 a, double k)
{
  if (c->len == c->cap)
    {
      c->cap = c->cap ? 2 * c->cap : 32;
      c->code = g_renew (NlInstr, c->code, c->cap);
    }
  c->code[c->len] = (NlInstr) { .op = (guint16) op, .sub = (guint16) sub, .a = a, .k = k };
  return c->len++;
}

static void
truncate_code (Compiler *c, guint len)
{
  c->len = len;
  c->label_max = MIN (c->label_max, len);
}

/* A jump now points at the current end. */
static void
patch_here (Compiler *c, guint jump)
{
  c->code[jump].a = (gint32) (c->len - jump);
  c->label_max = c->len;
}

static gboolean
const_range (const Compiler *c, guint start, guint end)
{
  return end - start == 1 && c->code[start].op == NL_OP_CONST;
}

static gboolean
const_block (const Compiler *c, guint start)
{
  return const_range (c, start, c->len);
}

/* Can the next instruction absorb the last one?  Only if control can
 * reach the end of the block solely by falling through that instruction. */
static gboolean
last_is (const Compiler *c, guint block_start, NlOp op)
{
  return c->len > block_start && c->label_max < c->len && c->code[c->len - 1].op == op;
}

/* ---- emission with folding -------------------------------------------- */

static void
emit_unary (Compiler *c, NlOp op, guint start)
{
  if (c->opt && const_block (c, start))
    {
      double k = c->code[start].k;
      c->code[start].k = op == NL_OP_NEG ? -k : (double) !nl_expr_truthy (k);
      return;
    }
  if (c->opt && op == NL_OP_NEG)
    {
      if (last_is (c, start, NL_OP_NEG))
        {
          c->len--;                       /* -(-x) is x */
          return;
        }
      /* -(x*k) = x*(-k), -(x/k) = x/(-k), -(k/x) = (-k)/x, exactly */
      if (last_is (c, start, NL_OP_MUL_K) || last_is (c, start, NL_OP_DIV_K)
          || last_is (c, start, NL_OP_RDIV_K))
        {
          c->code[c->len - 1].k = -c->code[c->len - 1].k;
          return;
        }
    }
  emit (c, op, 0, 0, 0.0);
}

/* x op k with the operand block starting at start; absorbs a trailing
 * negation when the result is exactly the same. */
static void
emit_k (Compiler *c, NlOp op, double k, guint start)
{
  if (op != NL_OP_SUB_K && last_is (c, start, NL_OP_NEG))
    {
      c->len--;
      switch (op)
        {
        case NL_OP_MUL_K:  /* (-x)*k = x*(-k) */
        case NL_OP_DIV_K:  /* (-x)/k = x/(-k) */
        case NL_OP_RDIV_K: /* k/(-x) = (-k)/x */
          k = -k;
          break;
        case NL_OP_ADD_K:  /* (-x)+k = k-x */
          op = NL_OP_RSUB_K;
          break;
        case NL_OP_RSUB_K: /* k-(-x) = k+x */
          op = NL_OP_ADD_K;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  emit (c, op, 0, 0, k);
}

static void
emit_binary (Compiler *c, NlOp op, guint ls, guint rs)
{
  if (c->opt)
    {
      gboolean lk = const_range (c, ls, rs);
      gboolean rk = const_block (c, rs);
      gboolean fusable = op == NL_OP_ADD || op == NL_OP_SUB || op == NL_OP_MUL || op == NL_OP_DIV;

      if (lk && rk)
        {
          /* An operation Python would raise on is left for evaluation,
           * where it fails the whole expression. */
          gboolean failed = FALSE;
          double v = nl_expr_binary (op, c->code[ls].k, c->code[rs].k, &failed);
          if (!failed)
            {
              truncate_code (c, ls);
              emit (c, NL_OP_CONST, 0, 0, v);
              return;
            }
        }
      /* x/0 must stay NaN: DIV_K divides without the check. */
      if (rk && fusable && !(op == NL_OP_DIV && c->code[rs].k == 0.0))
        {
          double k = c->code[rs].k;
          truncate_code (c, rs);
          emit_k (c, op == NL_OP_ADD ? NL_OP_ADD_K : op == NL_OP_SUB ? NL_OP_SUB_K
                     : op == NL_OP_MUL ? NL_OP_MUL_K : NL_OP_DIV_K, k, ls);
          return;
        }
      if (lk && fusable)
        {
          /* k+x = x+k and k*x = x*k exactly; k-x and k/x have their own
           * instructions.  The constant goes, the right block moves down. */
          double k = c->code[ls].k;
          memmove (c->code + ls, c->code + ls + 1, (c->len - ls - 1) * sizeof (NlInstr));
          c->len--;
          if (c->label_max > ls)
            c->label_max--;
          emit_k (c, op == NL_OP_ADD ? NL_OP_ADD_K : op == NL_OP_SUB ? NL_OP_RSUB_K
                     : op == NL_OP_MUL ? NL_OP_MUL_K : NL_OP_RDIV_K, k, ls);
          return;
        }
    }
  emit (c, op, 0, 0, 0.0);
}

/* ---- grammar ---------------------------------------------------------- */

static gboolean
advance (Compiler *c)
{
  if (!nl_expr_lex (&c->lx, &c->tok, &c->error, &c->error_offset))
    return FALSE;
  return TRUE;
}

static gboolean
peek (Compiler *c, NlToken *next)
{
  NlLexer copy = c->lx;
  return nl_expr_lex (&copy, next, &c->error, &c->error_offset);
}

/* Bounds the recursion (and so the C stack and the evaluation stack) for
 * every construct that nests. */
static gboolean
enter (Compiler *c)
{
  if (++c->depth > NL_EXPR_MAX_DEPTH)
    return fail (c, c->tok.start, NL_EXPR_ERROR_SYNTAX, "expression is nested too deeply");
  return TRUE;
}

static int
binop_prec (NlTokKind kind)
{
  switch (kind)
    {
    case NL_TOK_OR: return PREC_OR;
    case NL_TOK_AND: return PREC_AND;
    case NL_TOK_LT: case NL_TOK_LE: case NL_TOK_GT: case NL_TOK_GE:
    case NL_TOK_EQ: case NL_TOK_NE:
      return PREC_CMP;
    case NL_TOK_PLUS: case NL_TOK_MINUS:
      return PREC_ADD;
    case NL_TOK_STAR: case NL_TOK_SLASH: case NL_TOK_DSLASH: case NL_TOK_PERCENT:
      return PREC_MUL;
    default:
      return -1;
    }
}

static NlCmp
cmp_of (NlTokKind kind)
{
  switch (kind)
    {
    case NL_TOK_LT: return NL_CMP_LT;
    case NL_TOK_LE: return NL_CMP_LE;
    case NL_TOK_GT: return NL_CMP_GT;
    case NL_TOK_GE: return NL_CMP_GE;
    case NL_TOK_EQ: return NL_CMP_EQ;
    default: return NL_CMP_NE;
    }
}

static gboolean
find_var (const Compiler *c, const char *name, guint len, guint *index)
{
  for (guint i = 0; i < c->n_vars; i++)
    if (strncmp (c->vars[i], name, len) == 0 && c->vars[i][len] == '\0')
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
lookup_constant (const Compiler *c, const char *name, guint len, double *value)
{
  char *z = g_strndup (name, len);
  gboolean found = FALSE;

  if (c->consts != NULL && c->consts (z, value, c->consts_data))
    found = TRUE;
  else if (strcmp (z, "pi") == 0)
    *value = G_PI, found = TRUE;
  else if (strcmp (z, "e") == 0)
    *value = G_E, found = TRUE;
  else if (strcmp (z, "inf") == 0)
    *value = INFINITY, found = TRUE;
  g_free (z);
  return found;
}

/* name ( args ) — the name is the current token, '(' the next. */
static gboolean
parse_call (Compiler *c, const NlFuncInfo *f)
{
  guint name_off = c->tok.start;
  guint args_start = c->len;
  guint nargs = 0;

  if (!advance (c) || !advance (c))
    return FALSE;
  while (c->tok.kind != NL_TOK_RPAR)
    {
      guint arg_start = c->len;

      if (c->tok.kind == NL_TOK_STAR || c->tok.kind == NL_TOK_DSTAR)
        return fail (c, c->tok.start, NL_EXPR_ERROR_FORBIDDEN,
                     "argument unpacking (*args) is not allowed");
      if (c->tok.kind == NL_TOK_NAME)
        {
          NlToken next;
          if (!peek (c, &next))
            return FALSE;
          if (next.kind == NL_TOK_ASSIGN && next.len == 1)
            return fail (c, c->tok.start, NL_EXPR_ERROR_FORBIDDEN,
                         "keyword arguments are not allowed");
        }
      if (!parse_expr (c))
        return FALSE;
      nargs++;
      if (f->kind == NL_FUNC_MINMAX && nargs >= 2)
        emit_binary (c, (NlOp) f->fn2, args_start, arg_start);

      if (c->tok.kind == NL_TOK_COMMA)
        {
          if (!advance (c))
            return FALSE;
          continue;
        }
      if (c->tok.kind == NL_TOK_RPAR)
        break;
      if (c->tok.kind == NL_TOK_END)
        return fail (c, c->tok.start, NL_EXPR_ERROR_SYNTAX, "missing ')'");
      return fail_unexpected (c);
    }
  if (!advance (c))
    return FALSE;

  if (nargs < f->min_args || nargs > f->max_args)
    {
      const char *plural = f->min_args == 1 ? "" : "s";
      if (f->max_args == G_MAXUINT8)
        return fail (c, name_off, NL_EXPR_ERROR_ARITY, "%s() takes at least %u argument%s (%u given)",
                     f->name, f->min_args, plural, nargs);
      if (f->min_args == f->max_args)
        return fail (c, name_off, NL_EXPR_ERROR_ARITY, "%s() takes %u argument%s (%u given)",
                     f->name, f->min_args, plural, nargs);
      return fail (c, name_off, NL_EXPR_ERROR_ARITY, "%s() takes %u or %u arguments (%u given)",
                   f->name, f->min_args, f->max_args, nargs);
    }

  switch ((NlFuncKind) f->kind)
    {
    case NL_FUNC_MINMAX:
      break;   /* folded pairwise above */
    case NL_FUNC_RANDOM:
      emit (c, NL_OP_RAND, (guint) f->rand, (gint32) nargs, 0.0);
      break;
    case NL_FUNC_MATH:
    default:
      if (c->opt && c->len - args_start == nargs)
        {
          gboolean all_const = TRUE;
          for (guint i = args_start; i < c->len; i++)
            all_const &= c->code[i].op == NL_OP_CONST;
          if (all_const)
            {
              gboolean failed = FALSE;
              double v = nargs == 1
                ? nl_expr_call1 ((guint) f->fn1, c->code[args_start].k, &failed)
                : nl_expr_call2 ((guint) f->fn2, c->code[args_start].k,
                                 c->code[args_start + 1].k, &failed);
              if (!failed)
                {
                  truncate_code (c, args_start);
                  emit (c, NL_OP_CONST, 0, 0, v);
                  break;
                }
            }
        }
      if (nargs == 1)
        emit (c, NL_OP_FN1, (guint) f->fn1, 0, 0.0);
      else
        emit (c, NL_OP_FN2, (guint) f->fn2, 0, 0.0);
      break;
    }
  return TRUE;
}

static gboolean
parse_name (Compiler *c)
{
  const char *name = c->src + c->tok.start;
  guint len = c->tok.len;
  guint off = c->tok.start;
  const NlFuncInfo *f;
  NlToken next;
  guint index;
  double value;
  gboolean r;
  char *text;
  Suggest s = { name, len, NULL, G_MAXUINT };

  if (len >= 2 && name[0] == '_' && name[1] == '_')
    return fail (c, off, NL_EXPR_ERROR_FORBIDDEN, "names starting with '__' are not allowed");
  if (!peek (c, &next))
    return FALSE;

  text = name_text (name, len);
  if (next.kind == NL_TOK_LPAR)
    {
      if (find_var (c, name, len, &index))
        r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_FUNCTION, "'%s' is a variable, not a function", text);
      else if ((f = nl_expr_lookup_function (name, len)) != NULL)
        r = parse_call (c, f);
      else if (name_in (forbidden_names, name, len))
        r = fail (c, off, NL_EXPR_ERROR_FORBIDDEN, "'%s' is not allowed", text);
      else if (lookup_constant (c, name, len, &value))
        r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_FUNCTION, "'%s' is a constant, not a function", text);
      else
        {
          suggest_list (&s, nl_expr_function_names ());
          if (s.best != NULL)
            r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_FUNCTION,
                      "unknown function '%s'; did you mean '%s'?", text, s.best);
          else
            r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_FUNCTION, "unknown function '%s'", text);
        }
      g_free (text);
      return r;
    }

  if (find_var (c, name, len, &index))
    r = (emit (c, NL_OP_VAR, 0, (gint32) index, 0.0), advance (c));
  else if (lookup_constant (c, name, len, &value))
    r = (emit (c, NL_OP_CONST, 0, 0, value), advance (c));
  else if (nl_expr_lookup_function (name, len) != NULL)
    r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_NAME,
              "'%s' is a function; call it with arguments, as in %s(…)", text, text);
  else if (name_in (forbidden_names, name, len))
    r = fail (c, off, NL_EXPR_ERROR_FORBIDDEN, "'%s' is not allowed", text);
  else
    {
      suggest_list (&s, c->vars);
      suggest_list (&s, c->known);
      suggest_list (&s, builtin_constants);
      if (s.best != NULL)
        r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_NAME, "unknown name '%s'; did you mean '%s'?",
                  text, s.best);
      else
        r = fail (c, off, NL_EXPR_ERROR_UNKNOWN_NAME, "unknown name '%s'", text);
    }
  g_free (text);
  return r;
}

static gboolean
parse_primary (Compiler *c)
{
  switch (c->tok.kind)
    {
    case NL_TOK_NUM:
      emit (c, NL_OP_CONST, 0, 0, c->tok.num);
      if (!advance (c))
        return FALSE;
      break;
    case NL_TOK_TRUE:
    case NL_TOK_FALSE:
      emit (c, NL_OP_CONST, 0, 0, c->tok.kind == NL_TOK_TRUE ? 1.0 : 0.0);
      if (!advance (c))
        return FALSE;
      break;
    case NL_TOK_NAME:
      if (!parse_name (c))
        return FALSE;
      break;
    case NL_TOK_LPAR:
      if (!advance (c))
        return FALSE;
      if (c->tok.kind == NL_TOK_RPAR)
        return fail (c, c->tok.start, NL_EXPR_ERROR_FORBIDDEN,
                     "empty parentheses (tuples are not allowed)");
      if (!parse_expr (c))
        return FALSE;
      if (c->tok.kind == NL_TOK_COMMA)
        return fail (c, c->tok.start, NL_EXPR_ERROR_FORBIDDEN, "tuples are not allowed");
      if (c->tok.kind == NL_TOK_END)
        return fail (c, c->tok.start, NL_EXPR_ERROR_SYNTAX, "missing ')'");
      if (c->tok.kind != NL_TOK_RPAR)
        return fail_unexpected (c);
      if (!advance (c))
        return FALSE;
      break;
    case NL_TOK_STAR:
    case NL_TOK_DSTAR:
      return fail (c, c->tok.start, NL_EXPR_ERROR_SYNTAX, "expected a value before '%s'",
                   c->tok.kind == NL_TOK_STAR ? "*" : "**");
    default:
      return fail_unexpected (c);
    }

  switch (c->tok.kind)
    {
    case NL_TOK_DOT:
    case NL_TOK_LBRACKET:
      return fail_unexpected (c);
    case NL_TOK_LPAR:
      return fail (c, c->tok.start, NL_EXPR_ERROR_FORBIDDEN, "only named functions can be called");
    default:
      return TRUE;
    }
}

/* primary ['**' u_expr]: right-associative, and it binds tighter than a
 * unary minus on its left (-2**2 == -4) but not on its right (2**-1). */
static gboolean
parse_power (Compiler *c)
{
  guint start = c->len, rs;

  if (!parse_primary (c))
    return FALSE;
  if (c->tok.kind != NL_TOK_DSTAR)
    return TRUE;
  if (!advance (c) || !enter (c))
    return FALSE;
  rs = c->len;
  if (!parse_unary (c))
    return FALSE;
  c->depth--;
  emit_binary (c, NL_OP_POW, start, rs);
  return TRUE;
}

static gboolean
parse_unary (Compiler *c)
{
  guint start = c->len;

  if (c->tok.kind == NL_TOK_MINUS || c->tok.kind == NL_TOK_PLUS)
    {
      gboolean neg = c->tok.kind == NL_TOK_MINUS;
      if (!advance (c) || !enter (c))
        return FALSE;
      if (!parse_unary (c))
        return FALSE;
      c->depth--;
      if (neg)
        emit_unary (c, NL_OP_NEG, start);
      return TRUE;
    }
  return parse_power (c);
}

/* a and b / a or b: Python returns an operand, not a boolean, and never
 * evaluates b when a decides (so b's random draws are not taken). */
static gboolean
parse_shortcircuit (Compiler *c, guint start, gboolean is_and)
{
  int prec = is_and ? PREC_AND : PREC_OR;
  guint jump;

  if (!advance (c))
    return FALSE;
  if (c->opt && const_block (c, start))
    {
      gboolean t = nl_expr_truthy (c->code[start].k);
      gboolean keep_left = is_and ? !t : t;
      guint rs;

      if (!keep_left)
        truncate_code (c, start);
      rs = c->len;
      if (!parse_binop (c, prec + 1))
        return FALSE;
      if (keep_left)
        truncate_code (c, rs);
      return TRUE;
    }
  jump = emit (c, is_and ? NL_OP_AND : NL_OP_OR, 0, 0, 0.0);
  if (!parse_binop (c, prec + 1))
    return FALSE;
  patch_here (c, jump);
  return TRUE;
}

/* a < b < c means a < b and b < c with b evaluated once, and c not at all
 * when a < b is false. */
static gboolean
parse_chain (Compiler *c, guint start)
{
  GArray *jumps = g_array_new (FALSE, FALSE, sizeof (guint));
  guint left = start;
  gboolean dead = FALSE;
  gboolean ok = TRUE;

  for (;;)
    {
      NlCmp cmp = cmp_of (c->tok.kind);
      gboolean more;
      guint rs;

      if (!advance (c))
        {
          ok = FALSE;
          break;
        }
      rs = c->len;
      if (!parse_binop (c, PREC_CMP + 1))
        {
          ok = FALSE;
          break;
        }
      more = binop_prec (c->tok.kind) == PREC_CMP;

      if (dead)
        truncate_code (c, rs);   /* never evaluated: the chain is already false */
      else if (c->opt && left == start && const_range (c, left, rs) && const_block (c, rs))
        {
          double r = nl_expr_py_cmp (cmp, c->code[left].k, c->code[rs].k);
          if (!more || r == 0.0)
            {
              truncate_code (c, start);
              emit (c, NL_OP_CONST, 0, 0, r);
              dead = more;
            }
          else
            {
              /* true so far: the right constant is the next left operand */
              c->code[start] = c->code[rs];
              truncate_code (c, start + 1);
            }
        }
      else if (more)
        {
          guint j = emit (c, NL_OP_CMP_CHAIN, cmp, 0, 0.0);
          g_array_append_val (jumps, j);
          left = c->len;
        }
      else
        emit (c, NL_OP_CMP, cmp, 0, 0.0);

      if (!more)
        break;
    }

  if (ok)
    for (guint i = 0; i < jumps->len; i++)
      patch_here (c, g_array_index (jumps, guint, i));
  g_array_free (jumps, TRUE);
  return ok;
}

static gboolean
parse_binop (Compiler *c, int min_prec)
{
  guint start = c->len;

  if (c->tok.kind == NL_TOK_NOT)
    {
      if (min_prec > PREC_NOT)
        return fail_unexpected (c);
      if (!advance (c) || !enter (c))
        return FALSE;
      if (!parse_binop (c, PREC_NOT))
        return FALSE;
      c->depth--;
      emit_unary (c, NL_OP_NOT, start);
    }
  else if (!parse_unary (c))
    return FALSE;

  for (;;)
    {
      NlTokKind kind = c->tok.kind;
      int prec = binop_prec (kind);
      NlOp op;
      guint rs;

      if (prec < min_prec)
        return TRUE;
      if (kind == NL_TOK_AND || kind == NL_TOK_OR)
        {
          if (!parse_shortcircuit (c, start, kind == NL_TOK_AND))
            return FALSE;
          continue;
        }
      if (prec == PREC_CMP)
        {
          if (!parse_chain (c, start))
            return FALSE;
          continue;
        }
      switch (kind)
        {
        case NL_TOK_PLUS: op = NL_OP_ADD; break;
        case NL_TOK_MINUS: op = NL_OP_SUB; break;
        case NL_TOK_STAR: op = NL_OP_MUL; break;
        case NL_TOK_SLASH: op = NL_OP_DIV; break;
        case NL_TOK_DSLASH: op = NL_OP_FLOORDIV; break;
        default: op = NL_OP_MOD; break;
        }
      if (!advance (c))
        return FALSE;
      rs = c->len;
      if (!parse_binop (c, prec + 1))
        return FALSE;
      emit_binary (c, op, start, rs);
    }
}

/* Moves block [a, b) after block [b, len): [A][B] becomes [B][A]. */
static void
swap_blocks (Compiler *c, guint a, guint b)
{
  guint alen = b - a, blen = c->len - b;
  NlInstr *tmp = g_new (NlInstr, alen);

  memcpy (tmp, c->code + a, alen * sizeof (NlInstr));
  memmove (c->code + a, c->code + b, blen * sizeof (NlInstr));
  memcpy (c->code + a + blen, tmp, alen * sizeof (NlInstr));
  g_free (tmp);
  c->label_max = c->len;   /* conservative: targets have moved */
}

static void
insert_at (Compiler *c, guint at, NlOp op)
{
  emit (c, NL_OP_END, 0, 0, 0.0);   /* grows the buffer */
  memmove (c->code + at + 1, c->code + at, (c->len - 1 - at) * sizeof (NlInstr));
  c->code[at] = (NlInstr) { .op = (guint16) op };
  c->label_max = c->len;
}

/* a if cond else b.  The source gives a before cond, but cond runs first:
 * once cond is parsed the two blocks swap places, [cond] JIF [a] JUMP [b]. */
static gboolean
parse_conditional (Compiler *c, guint a_start)
{
  guint c_start, jif, jump;

  if (!advance (c))
    return FALSE;
  c_start = c->len;
  if (!parse_binop (c, PREC_OR))
    return FALSE;
  if (c->tok.kind != NL_TOK_ELSE)
    {
      if (c->tok.kind == NL_TOK_END || c->tok.kind == NL_TOK_RPAR || c->tok.kind == NL_TOK_COMMA)
        return fail (c, c->tok.start, NL_EXPR_ERROR_SYNTAX,
                     "expected 'else' in conditional expression");
      return fail_unexpected (c);
    }
  if (!advance (c))
    return FALSE;

  if (c->opt && const_block (c, c_start))
    {
      gboolean t = nl_expr_truthy (c->code[c_start].k);
      guint b_start;

      truncate_code (c, t ? c_start : a_start);
      b_start = c->len;
      if (!parse_expr (c))
        return FALSE;
      if (t)
        truncate_code (c, b_start);
      return TRUE;
    }

  swap_blocks (c, a_start, c_start);
  jif = a_start + (c->len - c_start);
  insert_at (c, jif, NL_OP_JUMP_IF_FALSE);
  jump = emit (c, NL_OP_JUMP, 0, 0, 0.0);
  patch_here (c, jif);
  if (!parse_expr (c))
    return FALSE;
  patch_here (c, jump);
  return TRUE;
}

static gboolean
parse_expr (Compiler *c)
{
  guint start = c->len;

  if (!enter (c))
    return FALSE;
  if (!parse_binop (c, PREC_OR))
    return FALSE;
  if (c->tok.kind == NL_TOK_IF && !parse_conditional (c, start))
    return FALSE;
  c->depth--;
  return TRUE;
}

NlExpr *
nl_expr_compile_internal (const char *src, const char *const *vars,
                          NlExprConstFunc consts, gpointer consts_data,
                          const char *const *known_names, gboolean optimize,
                          int *error_offset, GError **error)
{
  Compiler c = { 0 };
  gsize len;

  g_return_val_if_fail (src != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  c.src = src;
  c.vars = vars;
  c.consts = consts;
  c.consts_data = consts_data;
  c.known = known_names;
  c.opt = optimize;
  while (vars != NULL && vars[c.n_vars] != NULL)
    c.n_vars++;

  len = strlen (src);
  if (len > NL_EXPR_MAX_LENGTH)
    {
      fail (&c, 0, NL_EXPR_ERROR_SYNTAX, "expression is too long (over %u bytes)",
            (guint) NL_EXPR_MAX_LENGTH);
      goto failed;
    }
  c.lx = (NlLexer) { src, (guint) len, 0 };
  if (!advance (&c))
    goto failed;
  if (c.tok.kind == NL_TOK_END)
    {
      fail (&c, 0, NL_EXPR_ERROR_SYNTAX, "empty expression");
      goto failed;
    }
  if (!parse_expr (&c))
    goto failed;
  if (c.tok.kind != NL_TOK_END)
    {
      if (c.tok.kind == NL_TOK_COMMA)
        fail (&c, c.tok.start, NL_EXPR_ERROR_FORBIDDEN, "tuples are not allowed");
      else
        fail_unexpected (&c);
      goto failed;
    }
  emit (&c, NL_OP_END, 0, 0, 0.0);
  return nl_expr_new_from_code (c.code, c.len, c.n_vars);

failed:
  g_free (c.code);
  if (error_offset != NULL)
    *error_offset = (int) c.error_offset;
  g_propagate_error (error, c.error);
  return NULL;
}

NlExpr *
nl_expr_compile_full (const char *src, const char *const *vars,
                      NlExprConstFunc consts, gpointer consts_data,
                      const char *const *known_names, int *error_offset, GError **error)
{
  return nl_expr_compile_internal (src, vars, consts, consts_data, known_names, TRUE,
                                   error_offset, error);
}

NlExpr *
nl_expr_compile (const char *src, const char *const *vars,
                 NlExprConstFunc consts, gpointer consts_data,
                 int *error_offset, GError **error)
{
  return nl_expr_compile_internal (src, vars, consts, consts_data, NULL, TRUE,
                                   error_offset, error);
}
