/* nl-rng.c — Philox4x32-10, written from Salmon et al., "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11), checked against the Random123
 * known-answer vectors in tests/test-rng.c. */
#include "nl-rng.h"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u  /* golden ratio */
#define PHILOX_W1 0xBB67AE85u  /* sqrt(3) - 1 */

static inline void
philox_round (guint32 c[4], const guint32 k[2])
{
  guint64 p0 = (guint64) PHILOX_M0 * c[0];
  guint64 p1 = (guint64) PHILOX_M1 * c[2];
  guint32 hi0 = (guint32) (p0 >> 32), lo0 = (guint32) p0;
  guint32 hi1 = (guint32) (p1 >> 32), lo1 = (guint32) p1;
  guint32 n0 = hi1 ^ c[1] ^ k[0];
  guint32 n2 = hi0 ^ c[3] ^ k[1];

  c[0] = n0;
  c[1] = lo1;
  c[2] = n2;
  c[3] = lo0;
}

void
nl_philox4x32_10 (const guint32 ctr[4], const guint32 key[2], guint32 out[4])
{
  guint32 c[4] = { ctr[0], ctr[1], ctr[2], ctr[3] };
  guint32 k[2] = { key[0], key[1] };

  for (int i = 0; i < 10; i++)
    {
      if (i > 0)
        {
          k[0] += PHILOX_W0;
          k[1] += PHILOX_W1;
        }
      philox_round (c, k);
    }
  out[0] = c[0];
  out[1] = c[1];
  out[2] = c[2];
  out[3] = c[3];
}

void
nl_rng_init (NlRng *r, guint32 seed, guint32 purpose, guint32 id0, guint32 id1)
{
  g_return_if_fail (r != NULL);

  /* The key names the family of streams and the counter's upper half names
   * the stream, so streams of different purposes never overlap even when
   * their ids coincide, and 2^64 blocks separate any two positions. */
  r->key[0] = seed;
  r->key[1] = purpose;
  r->ctr[0] = 0;
  r->ctr[1] = 0;
  r->ctr[2] = id0;
  r->ctr[3] = id1;
  r->buf[0] = r->buf[1] = r->buf[2] = r->buf[3] = 0;
  r->avail = 0;
}

guint32
nl_rng_u32 (NlRng *r)
{
  if (G_UNLIKELY (r->avail == 0))
    {
      nl_philox4x32_10 (r->ctr, r->key, r->buf);
      if (++r->ctr[0] == 0)
        ++r->ctr[1];
      r->avail = 4;
    }
  return r->buf[4 - r->avail--];
}

guint64
nl_rng_u64 (NlRng *r)
{
  guint64 hi = nl_rng_u32 (r);
  guint64 lo = nl_rng_u32 (r);
  return (hi << 32) | lo;
}

double
nl_rng_uniform (NlRng *r)
{
  return (double) (nl_rng_u64 (r) >> 11) * 0x1.0p-53;
}

double
nl_rng_uniform_pos (NlRng *r)
{
  /* Centre of one of 2^53 equal cells: one draw, no rejection loop, and
   * neither end can come out (1 - 2^-54 rounds to 1 - 2^-53, not 1). */
  return ((double) (nl_rng_u64 (r) >> 11) + 0.5) * 0x1.0p-53;
}

guint64
nl_rng_below (NlRng *r, guint64 n)
{
  if (n == 0)
    return 0;

  if (n <= G_MAXUINT32)
    {
      /* Lemire's multiply-shift with rejection of the biased low part:
       * one draw almost always, no division on the fast path. */
      guint32 n32 = (guint32) n;
      guint64 m = (guint64) nl_rng_u32 (r) * n32;
      guint32 lo = (guint32) m;
      if (lo < n32)
        {
          guint32 threshold = (guint32) (-n32) % n32;
          while (lo < threshold)
            {
              m = (guint64) nl_rng_u32 (r) * n32;
              lo = (guint32) m;
            }
        }
      return m >> 32;
    }

  /* Wide ranges are rare (shuffles of > 4 G items); plain rejection keeps
   * them unbiased without 128-bit arithmetic. */
  for (;;)
    {
      guint64 x = nl_rng_u64 (r);
      guint64 v = x % n;
      if (x - v <= (guint64) 0 - n)
        return v;
    }
}
