/* fuzz-expr.c — libFuzzer target for the string-function compiler.
 *
 * Compiles arbitrary bytes; whatever compiles is evaluated with a few
 * sets of variable values.  Besides crashes it checks properties:
 *  - a rejected input has a GError in NL_EXPR_ERROR and an offset inside
 *    the source;
 *  - code compiled with and without folding/fusion accepts the same
 *    inputs, gives bit-identical results (NaN counting as equal) and
 *    consumes the same random draws.
 *
 * Standalone build, from the project root:
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     $(pkg-config --cflags glib-2.0 gsl) -Icore -Icore/expr \
 *     core/expr/nl-*.c tests/fuzz/fuzz-expr.c \
 *     $(pkg-config --libs glib-2.0 gsl) -lm -o fuzz-expr
 *   ./fuzz-expr -runs=200000 tests/fuzz/corpus-expr
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl-expr-private.h"

static gboolean
fuzz_consts (const char *name, double *value, gpointer data)
{
  if (strcmp (name, "probLengthConst") == 0)
    return *value = 150.0, TRUE;
  if (strcmp (name, "propVelocity") == 0)
    return *value = 100.0, TRUE;
  if (strcmp (name, "zero") == 0)
    return *value = 0.0, TRUE;
  return FALSE;
}

static gboolean
same_double (double a, double b)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  return a == b && signbit (a) == signbit (b);
}

static void
check (gboolean ok, const char *what, const char *src)
{
  if (!ok)
    {
      fprintf (stderr, "fuzz-expr: %s for input <%s>\n", what, src);
      abort ();
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const vars[] = { "x", "y", "dist_3D", "post_ynorm", NULL };
  static const char *const known[] = { "probLengthConst", "propVelocity", "zero", NULL };
  static const double values[][4] = {
    { 0.0, 0.0, 0.0, 0.0 },
    { 1.0, -2.5, 150.0, 0.3 },
    { NAN, INFINITY, -0.0, 1e308 },
    { -1.0, 3.0, 7.0, 0.5 },
  };
  char *src;
  NlExpr *e, *u;
  GError *err_e = NULL, *err_u = NULL;
  int off_e = -1, off_u = -1;
  size_t len;

  if (size > NL_EXPR_MAX_LENGTH + 64)
    size = NL_EXPR_MAX_LENGTH + 64;
  src = malloc (size + 1);
  memcpy (src, data, size);
  src[size] = '\0';
  len = strlen (src);

  e = nl_expr_compile_internal (src, vars, fuzz_consts, NULL, known, TRUE, &off_e, &err_e);
  u = nl_expr_compile_internal (src, vars, fuzz_consts, NULL, known, FALSE, &off_u, &err_u);

  check ((e == NULL) == (u == NULL), "optimisation changed acceptance", src);
  if (e == NULL)
    {
      check (err_e != NULL && err_e->domain == NL_EXPR_ERROR, "no error", src);
      check (err_e->message != NULL && err_e->message[0] != '\0', "empty message", src);
      check (off_e >= 0 && (size_t) off_e <= len, "error offset outside the source", src);
      check (off_e == off_u && err_e->code == err_u->code
             && strcmp (err_e->message, err_u->message) == 0,
             "optimisation changed the error", src);
      g_error_free (err_e);
      g_error_free (err_u);
      free (src);
      return 0;
    }

  check (nl_expr_is_random (e) ? nl_expr_is_random (u) : TRUE, "random flag", src);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      NlRng r1, r2;
      double a, b;

      nl_rng_init (&r1, 7, NL_RNG_USER, i, 42);
      nl_rng_init (&r2, 7, NL_RNG_USER, i, 42);
      a = nl_expr_eval (e, values[i], &r1);
      b = nl_expr_eval (u, values[i], &r2);
      check (same_double (a, b), "optimised and plain results differ", src);
      check (memcmp (&r1, &r2, sizeof r1) == 0, "optimised and plain draws differ", src);
      if (nl_expr_is_constant (e))
        check (same_double (a, nl_expr_eval (e, NULL, NULL)), "constant is not constant", src);
      if (!nl_expr_is_random (e))
        check (same_double (a, nl_expr_eval (e, values[i], NULL)), "needs an rng", src);
    }
  for (guint v = 0; v < 4; v++)
    if (nl_expr_uses_var (e, v))
      check (nl_expr_uses_var (u, v), "uses_var", src);

  nl_expr_free (e);
  nl_expr_free (u);
  free (src);
  return 0;
}
