/* nl-test-csv.h — reading the numeric CSV files of the analysis reference data in tests.
 * Lines with a field that is not a number (headers, notes, '#' comments) are skipped. */
#pragma once

#include <glib.h>
#include <math.h>

/* Every numeric row of `path` (all of the same width): rows × cols values, row-major. */
static inline double *
nl_test_read_csv (const char *path, gsize *rows, gsize *cols)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *v = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  *rows = *cols = 0;
  for (char **l = lines; *l; l++)
    {
      g_auto(GStrv) f = NULL;
      char *end;
      guint nf;

      if (**l == '\0' || **l == '#')
        continue;
      f = g_strsplit (*l, ",", -1);
      nf = g_strv_length (f);
      /* A row is numeric when all its fields are (headers and notes are not). */
      gboolean numeric = TRUE;
      for (guint i = 0; i < nf && numeric; i++)
        {
          g_ascii_strtod (f[i], &end);
          numeric = end != f[i] && *end == '\0';
        }
      if (!numeric)
        continue;
      if (*cols == 0)
        *cols = nf;
      g_assert_cmpuint (nf, ==, *cols);
      for (guint i = 0; i < nf; i++)
        {
          double d = g_ascii_strtod (f[i], NULL);
          g_array_append_val (v, d);
        }
      (*rows)++;
    }
  return (double *) g_array_free (v, FALSE);
}

/* |got − want| <= rel · |want|, with a message naming what and where. */
#define nl_assert_rel(what, i, got, want, rel)                                              \
  G_STMT_START {                                                                            \
    double g_ = (got), w_ = (want);                                                         \
    if (!(fabs (g_ - w_) <= (rel) * fabs (w_)))                                             \
      g_error ("%s[%u]: got %.17g, want %.17g (relative error %.3g > %.0e)", (what),       \
               (guint) (i), g_, w_, fabs (g_ - w_) / fabs (w_), (double) (rel));           \
  } G_STMT_END

/* |got − want| <= rel · |want| + abs: for values that FFT rounding (relative to the largest
 * value of the transform) dominates. */
#define nl_assert_close(what, i, got, want, rel, abs)                                       \
  G_STMT_START {                                                                            \
    double g_ = (got), w_ = (want);                                                         \
    if (!(fabs (g_ - w_) <= (rel) * fabs (w_) + (abs)))                                     \
      g_error ("%s[%u]: got %.17g, want %.17g (error %.3g > %.0e*|want| + %.3g)", (what),  \
               (guint) (i), g_, w_, fabs (g_ - w_), (double) (rel), (double) (abs));       \
  } G_STMT_END
