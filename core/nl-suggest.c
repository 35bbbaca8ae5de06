#include "nl-suggest.h"

#include <string.h>

guint
nl_suggest_distance (const char *a,
                     const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  /* Three rows are enough for the transposition rule. */
  g_autofree guint *rows = g_new (guint, 3 * (lb + 1));
  guint *pp = rows, *p = rows + lb + 1, *c = rows + 2 * (lb + 1);

  for (gsize j = 0; j <= lb; j++)
    p[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      c[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint cost = a[i - 1] != b[j - 1];
          guint best = MIN (p[j] + 1, c[j - 1] + 1);
          best = MIN (best, p[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            best = MIN (best, pp[j - 2] + 1);
          c[j] = best;
        }
      guint *t = pp; pp = p; p = c; c = t;
    }
  return p[lb];
}

const char *
nl_suggest (const char        *word,
            const char *const *candidates,
            gssize             n_candidates)
{
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  gsize len = strlen (word);
  guint limit = MAX (1, len / 3);

  for (gssize i = 0; n_candidates < 0 ? candidates[i] != NULL : i < n_candidates; i++)
    {
      const char *cand = candidates[i];
      if (cand == NULL || *cand == '\0' || g_str_equal (cand, word))
        continue;
      if (g_ascii_strcasecmp (cand, word) == 0)
        return cand;
      guint d = nl_suggest_distance (word, cand);
      if (d < best_d)
        {
          best_d = d;
          best = cand;
        }
    }
  return best_d <= limit ? best : NULL;
}
