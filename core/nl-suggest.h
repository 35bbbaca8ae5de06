/* nl-suggest.h — "did you mean …?" by edit distance. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Optimal-string-alignment distance: a swap of two neighbours counts 1, as typists swap. */
guint        nl_suggest_distance (const char *a,
                                  const char *b);

/* The candidate closest to `word`, or NULL when none is close enough to be a likely typo
 * (distance ≤ max(1, len/3)). A case-insensitive match always wins: users type `numcells`
 * for `numCells`. n_candidates < 0: `candidates` is NULL-terminated. */
const char  *nl_suggest          (const char        *word,
                                  const char *const *candidates,
                                  gssize             n_candidates);

G_END_DECLS
