/* nl-expr.h — NetPyNE "string functions", evaluated without Python.
 *
 * A model file may give a value as a Python expression in a string
 * ("0.4*exp(-dist_3D/probLengthConst)", "19 + uniform(-0.5, 0.5)").
 * NetPyNE eval()s them; a model file is data, so NetLoom instead compiles
 * them with its own parser, which accepts arithmetic, comparisons, boolean
 * logic, a fixed set of math and random functions, the caller's variables
 * and constants, and nothing else.  Everything is a double.
 */
#pragma once

#include <glib.h>
#include "nl-rng.h"

G_BEGIN_DECLS

/* Compiled, immutable; evaluation is thread-safe. */
typedef struct _NlExpr NlExpr;

/* Looks up a user constant (a NetPyNE netParams attribute such as
 * probLengthConst); returns TRUE and sets *value if `name` is a constant. */
typedef gboolean (*NlExprConstFunc) (const char *name, double *value, gpointer user_data);

#define NL_EXPR_ERROR (nl_expr_error_quark ())
GQuark nl_expr_error_quark (void);

typedef enum {
  NL_EXPR_ERROR_SYNTAX,
  NL_EXPR_ERROR_UNKNOWN_NAME,
  NL_EXPR_ERROR_UNKNOWN_FUNCTION,
  NL_EXPR_ERROR_FORBIDDEN,
  NL_EXPR_ERROR_ARITY
} NlExprError;

/* Longest source accepted, in bytes, and deepest nesting of parentheses,
 * unary operators, powers and conditional expressions. */
#define NL_EXPR_MAX_LENGTH 65536
#define NL_EXPR_MAX_DEPTH  256

/* vars: NULL-terminated list of variable names (may be NULL); variable i
 * is read from vars_values[i] at evaluation.  Names resolve in this order:
 * True/False, variables, constants from `consts`, then pi, e and inf.
 * On error returns NULL, sets *error_offset (byte offset into src,
 * 0-based, of the offending token) when non-NULL, and a short GError
 * message that never contains the offset. */
NlExpr  *nl_expr_compile        (const char         *src,
                                 const char *const  *vars,
                                 NlExprConstFunc     consts,
                                 gpointer            consts_data,
                                 int                *error_offset,
                                 GError            **error);

/* As nl_expr_compile; `known_names` (NULL-terminated, may be NULL) are
 * further names offered in "did you mean" suggestions — typically the
 * constants, which an NlExprConstFunc cannot list. */
NlExpr  *nl_expr_compile_full   (const char         *src,
                                 const char *const  *vars,
                                 NlExprConstFunc     consts,
                                 gpointer            consts_data,
                                 const char *const  *known_names,
                                 int                *error_offset,
                                 GError            **error);

void     nl_expr_free           (NlExpr *e);

/* rng may be NULL only if !nl_expr_is_random(e); a random call with a NULL
 * rng makes the result NAN.  Where Python would raise (division or modulo
 * by zero, 0 ** -1, a complex result, round/int of inf or NaN, a domain
 * error of log(x, base), fmod or round(x, n), random-function arguments
 * NEURON rejects), the whole evaluation returns NAN — a later comparison
 * or 'or' does not hide it — so the caller can report the failure.  The
 * numpy functions NetPyNE uses (exp, log, sqrt, …) return NaN or ±inf
 * quietly, and so do they here. */
double   nl_expr_eval           (const NlExpr *e, const double *vars_values, NlRng *rng);

gboolean nl_expr_is_random      (const NlExpr *e);   /* calls a random function */
gboolean nl_expr_is_constant    (const NlExpr *e);   /* no variables, no randomness: one number */
gboolean nl_expr_uses_var       (const NlExpr *e, guint var_index);

/* The allowed functions (math, then random), NULL-terminated. */
const char *const *nl_expr_function_names        (void);
/* The random ones only (NEURON Random methods), NULL-terminated. */
const char *const *nl_expr_random_function_names (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlExpr, nl_expr_free)

G_END_DECLS
