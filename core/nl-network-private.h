#pragma once

#include "nl-network.h"

G_BEGIN_DECLS

/* A NetCon packed in 16 bytes: the network of a full-scale cortical model has 300 million.
 * meta = rule (11 bits) | synMech (5 bits) | section (16 bits). A location that is not
 * constant per (rule, synMech) goes to the optional per-connection `loc` column. */
#define NL_META_RULE_BITS 11
#define NL_META_SYN_BITS  5
#define NL_META_SEC_BITS  16
#define NL_MAX_RULES      (1u << NL_META_RULE_BITS)
#define NL_MAX_SYN        (1u << NL_META_SYN_BITS)
#define NL_MAX_SECS       (1u << NL_META_SEC_BITS)

static inline guint32
nl_meta_pack (guint rule, guint syn, guint sec)
{
  return (guint32) rule << (NL_META_SYN_BITS + NL_META_SEC_BITS) | (guint32) syn << NL_META_SEC_BITS | sec;
}

/* The connections onto a contiguous range of target cells. Chunks are built in parallel
 * and kept as they are (no copy into one array: that would double the peak memory). */
typedef struct {
  guint    first_post;
  guint    n_posts;
  guint64  first_conn;   /* global index of the chunk's first NetCon */
  guint64 *offset;       /* n_posts + 1, relative to the chunk */
  guint32 *pre;
  float   *weight;
  float   *delay;
  guint32 *meta;
  float   *loc;          /* NULL when every location is its rule's constant */
} NlConnChunk;

typedef struct {
  NlNetRule  pub;
  GPtrArray *stim_funcs;  /* NL_RULE_STIM: const char* names of function-valued parameters */
  guint      n_syn;
  guint16   *syn;        /* synMech name index per synMech slot */
  float     *loc;        /* constant location per synMech slot, NAN when per connection */
} NlRuleInfo;

struct _NlNetwork {
  gatomicrefcount  ref;
  GStringChunk    *strings;

  guint            n_cells;
  GArray          *pops;          /* NlNetPop */
  guint16         *cell_pop;
  double          *coords[NL_N_COORDS];

  GPtrArray       *rules;         /* NlRuleInfo* */
  GPtrArray       *names[2];      /* const char* in `strings` */
  GHashTable      *name_index[2]; /* name → index + 1, while building */

  guint            chunk_posts;   /* posts per chunk (the last may have fewer) */
  guint            n_chunks;
  NlConnChunk     *chunks;
  guint64          n_conns;

  GPtrArray       *cell_rules;    /* const char* labels */
  GPtrArray       *cell_funcs;    /* per cell rule: GPtrArray of const char* paths */
  guint64         *cell_value_off;/* n_cells + 1 */
  double          *cell_values;

  guint64         *spk_off;       /* n_cells + 1, NULL without VecStim cells */
  double          *spk_times;

  GOnce            by_source_once;
  guint64         *src_off;       /* n_cells + 1 */
  guint64         *src_index;     /* n_conns */

  GArray          *stims;         /* NlNetStim */
  GArray          *stim_value_off;/* guint64 per stim + 1 */
  GArray          *stim_values;   /* double */
  GArray          *stim_conns;    /* NlConn, pre = stim index */
};

NlNetwork *nl_network_new           (void);
const char *nl_network_intern       (NlNetwork  *net,
                                     const char *s);
guint      nl_network_add_name      (NlNetwork  *net,
                                     NlNameKind  kind,
                                     const char *name);
void       nl_network_unpack        (NlNetwork          *net,
                                     const NlConnChunk  *chunk,
                                     guint64             local,
                                     guint               post,
                                     NlConn             *conn);

G_END_DECLS
