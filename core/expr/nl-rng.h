/* nl-rng.h — counter-based random streams (Philox4x32-10)
 *
 * Every random draw in NetLoom comes from a stream named by what it is for
 * (seed, purpose) and where it is used (id0, id1), never from a shared
 * sequential generator: the n-th number of a stream is a pure function of
 * (seed, purpose, id0, id1, n).  That is what makes a network identical
 * whatever the number of threads or MPI ranks that build it, and whatever
 * the order in which cells and connections are visited.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint32 key[2];   /* (seed, purpose) */
  guint32 ctr[4];   /* ctr[0..1]: 64-bit block number; ctr[2..3]: (id0, id1) */
  guint32 buf[4];   /* the current block's output */
  guint   avail;    /* how many words of buf are still unused */
} NlRng;

typedef enum {
  NL_RNG_CELL = 1,
  NL_RNG_LOC,
  NL_RNG_CONN,
  NL_RNG_STIM,
  NL_RNG_POP,
  NL_RNG_SHUFFLE,
  NL_RNG_USER
} NlRngPurpose;

/* A stream is keyed by (seed, purpose) and positioned by (id0, id1): e.g.
 * purpose NL_RNG_CONN, id0 = pre gid, id1 = post gid.  Same arguments → same
 * sequence, whatever thread or order. */
void    nl_rng_init        (NlRng *r, guint32 seed, guint32 purpose, guint32 id0, guint32 id1);
guint32 nl_rng_u32         (NlRng *r);
guint64 nl_rng_u64         (NlRng *r);           /* two u32 draws, first one high */
double  nl_rng_uniform     (NlRng *r);           /* [0,1), 53 random bits */
double  nl_rng_uniform_pos (NlRng *r);           /* (0,1), one u64 draw, never 0 or 1 */
guint64 nl_rng_below       (NlRng *r, guint64 n);/* unbiased integer in [0,n); 0 when n == 0 */

/* The bare block function, exposed for the known-answer tests. */
void    nl_philox4x32_10   (const guint32 ctr[4], const guint32 key[2], guint32 out[4]);

G_END_DECLS
