#include "nl-build-private.h"
#include "nl-spec-private.h"

#include <math.h>
#include <string.h>

/* Connection rules, as NetPyNE's network/conn.py and cell/compartCell.py define them, built
 * target cell by target cell: the NetCons onto a cell depend only on the spec, the seeds and
 * that cell, so chunks of target cells are built in parallel and the network is the same
 * whatever the number of threads. Random streams:
 *   which cells connect     (seed conn, rule, post)   probability, convergence
 *                           (seed conn, rule, pre)    divergence
 *   a connection's values   (seed conn, rule, pre, post)
 */

#define PURPOSE(kind, rule) ((guint32) (kind) | (guint32) (rule) << 8)
enum { P_SELECT = NL_RNG_CONN, P_VALUE = 0x21, P_SEC = 0x22 };

typedef enum { K_PROB, K_CONV, K_DIV, K_LIST, K_FULL } RuleKind;

/* weight, delay, loc, synsPerConn: a constant or a function per synMech slot, or one value
 * per connList entry. */
typedef struct {
  gboolean   present;
  double     constant[NL_MAX_SYN];
  NlExpr    *expr[NL_MAX_SYN];
  JsonArray *per_item;        /* connList: one value (or per-synMech list) per entry */
  JsonArray *per_syn;         /* one synMech, a list for the synsPerConn synapses */
} Value;

typedef struct {
  guint       index;
  const char *label;
  char       *path;
  JsonObject *params;
  RuleKind    kind;
  GidSet      pre, post;
  guint8     *is_post;        /* by gid */
  double      amount;         /* probability, convergence or divergence when constant */
  NlExpr     *amount_expr;
  gboolean    amount_per_pair;/* the function reads pre_* or dist_*: per candidate pair */
  guint       n_syn;
  Value       weight, delay, loc, syns;
  JsonNode   *sec;            /* a name, a list of names, or NULL */
  JsonArray  *sec_per_item;   /* connList: one section name per listed pair */
  gboolean    uses_var[NL_CONN_N_VARS];
  gboolean    any_var;
  gboolean    random_values;
  GPtrArray  *secs_of;        /* per cell rule: GArray of section indices the rule targets */
  char       *warn_amount;    /* path of probability/convergence/divergence, for warnings */
  /* divergence and connList: the pre cells of each post cell, as positions in `post` */
  guint64    *bucket_off;
  guint32    *bucket_pre;
  guint32    *bucket_item;
} Rule;

/* A subConnParams rule: moves the synapses from some cells onto other sections. */
typedef struct {
  char       *path;
  guint8     *is_pre, *is_post;  /* by gid */
  GPtrArray  *secs_of;           /* per cell rule: GArray of section indices */
  guint16    *group;             /* groupSynMechs as synMech name indices */
  guint       n_group;
  enum { SUB_UNIFORM, SUB_PATH, SUB_CARTESIAN, SUB_MAP1D, SUB_MAP2D } kind;
  guint      *target_sec;        /* SUB_PATH: per cell rule, the one place all synapses go */
  double     *target_loc;
  char       *ref_sec;           /* SUB_CARTESIAN */
  double      ref_seg, target_distance;
  GArray     *grid_x, *grid_y;   /* maps (µm) */
  GArray     *grid_values;       /* 1D: per y; 2D: x-major, grid_x->len × grid_y->len */
  gboolean    has_fixed_soma_y;
  double      fixed_soma_y;
} SubRule;

typedef struct {
  Build      *b;
  double     *pop_scale;
  SubRule   **subs;
  guint       n_subs;   /* scaleConnWeight, or scaleConnWeightModels of the pop's model */
  Rule      **rules;
  guint       n_rules;
  guint       n_chunks_done;
  guint64     n_made;      /* NetCons made so far, all chunks (atomic) */
  GMutex      lock;
  char      **chunk_error; /* first error of each chunk */
  gboolean    any_loc;     /* some rule has per-connection locations */
} Conns;

static GArray *resolve_secs (Build *b, CellRule *cr, JsonNode *sec);

/* ---- values ------------------------------------------------------------------------------ */

static gboolean
parse_scalar (Build *b, Rule *r, JsonNode *node, double *constant, NlExpr **expr, const char *path, GError **error)
{
  if (nl_json_number (node, constant))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *expr = nl_build_compile (b, node, NL_CTX_CONN, path, error);
      if (!*expr)
        return FALSE;
      for (guint v = 0; v < NL_CONN_N_VARS; v++)
        r->uses_var[v] |= nl_expr_uses_var (*expr, v);
      r->random_values |= nl_expr_is_random (*expr);
      return TRUE;
    }
  g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
               "%s: expected a number or a string function", path);
  return FALSE;
}

static gboolean
parse_value (Build *b, Rule *r, const char *key, double dflt, guint list_len, Value *out, GError **error)
{
  JsonNode *node = json_object_get_member (r->params, key);
  g_autofree char *path = g_strconcat (r->path, ".", key, NULL);

  out->present = node != NULL && !JSON_NODE_HOLDS_NULL (node);
  for (guint s = 0; s < NL_MAX_SYN; s++)
    out->constant[s] = dflt;
  if (!out->present)
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      guint n = json_array_get_length (a);
      /* With a connList NetPyNE reads a list of its length as one value per listed pair. */
      if (r->kind == K_LIST && n == list_len)
        {
          out->per_item = a;
          return TRUE;
        }
      if (r->n_syn > 1 && n == r->n_syn)
        {
          for (guint s = 0; s < n; s++)
            {
              g_autofree char *p = g_strdup_printf ("%s[%u]", path, s);
              if (!parse_scalar (b, r, json_array_get_element (a, s), &out->constant[s], &out->expr[s], p, error))
                return FALSE;
            }
          return TRUE;
        }
      if (r->n_syn == 1 && !g_str_equal (key, "synsPerConn"))
        {
          out->per_syn = a;
          return TRUE;
        }
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                   "%s: a list of %u values for %u synMechs%s", path, n, r->n_syn,
                   r->kind == K_LIST ? " and a connList of another length" : "");
      return FALSE;
    }
  for (guint s = 0; s < r->n_syn; s++)
    {
      if (!parse_scalar (b, r, node, &out->constant[s], &out->expr[s], path, error))
        return FALSE;
      if (out->expr[s])
        {
          /* One compiled function serves every slot. */
          for (guint t = s + 1; t < r->n_syn; t++)
            out->expr[t] = NULL;
          for (guint t = s + 1; t < r->n_syn; t++)
            out->constant[t] = NAN;
          out->constant[s] = NAN;
          for (guint t = s + 1; t < r->n_syn; t++)
            out->expr[t] = out->expr[s];
        }
      break;
    }
  for (guint s = 1; s < r->n_syn; s++)
    if (!out->expr[s])
      out->constant[s] = out->constant[0];
  return TRUE;
}

static void
value_clear (Value *v, guint n_syn)
{
  for (guint s = 0; s < n_syn; s++)
    {
      if (v->expr[s] && (s == 0 || v->expr[s] != v->expr[s - 1]))
        nl_expr_free (v->expr[s]);
    }
}

static void
rule_free (Rule *r)
{
  if (!r)
    return;
  value_clear (&r->weight, r->n_syn);
  value_clear (&r->delay, r->n_syn);
  value_clear (&r->loc, r->n_syn);
  value_clear (&r->syns, r->n_syn);
  g_clear_pointer (&r->amount_expr, nl_expr_free);
  nl_gidset_clear (&r->pre);
  nl_gidset_clear (&r->post);
  g_free (r->is_post);
  g_free (r->bucket_off);
  g_free (r->bucket_pre);
  g_free (r->bucket_item);
  g_clear_pointer (&r->secs_of, g_ptr_array_unref);
  g_free (r->warn_amount);
  g_free (r->path);
  g_free (r);
}

/* ---- variables of a pair ------------------------------------------------------------------- */

static void
pair_vars (NlNetwork *net, const Rule *r, guint pre, guint post, double *v)
{
  double *const *c = net->coords;
  for (int k = 0; k < 3; k++)
    {
      v[NL_CONN_VAR_PRE_X + k] = c[NL_COORD_X + k][pre];
      v[NL_CONN_VAR_PRE_XNORM + k] = c[NL_COORD_XNORM + k][pre];
      v[NL_CONN_VAR_POST_X + k] = c[NL_COORD_X + k][post];
      v[NL_CONN_VAR_POST_XNORM + k] = c[NL_COORD_XNORM + k][post];
      v[NL_CONN_VAR_DIST_X + k] = fabs (c[NL_COORD_X + k][pre] - c[NL_COORD_X + k][post]);
      v[NL_CONN_VAR_DIST_XNORM + k] = fabs (c[NL_COORD_XNORM + k][pre] - c[NL_COORD_XNORM + k][post]);
    }
  v[NL_CONN_VAR_DIST_3D] = sqrt (v[NL_CONN_VAR_DIST_X] * v[NL_CONN_VAR_DIST_X] +
                                 v[NL_CONN_VAR_DIST_Y] * v[NL_CONN_VAR_DIST_Y] +
                                 v[NL_CONN_VAR_DIST_Z] * v[NL_CONN_VAR_DIST_Z]);
  /* Without correctBorder NetPyNE's border distance is the plain distance. */
  v[NL_CONN_VAR_DIST_3D_BORDER] = v[NL_CONN_VAR_DIST_3D];
  v[NL_CONN_VAR_DIST_2D] = sqrt (v[NL_CONN_VAR_DIST_X] * v[NL_CONN_VAR_DIST_X] +
                                 v[NL_CONN_VAR_DIST_Z] * v[NL_CONN_VAR_DIST_Z]);
  /* NetPyNE 1.1.0 takes square roots of signed differences here (NaN for half the pairs);
   * NetLoom gives the Euclidean distance these names promise. */
  v[NL_CONN_VAR_DIST_NORM3D] = sqrt (v[NL_CONN_VAR_DIST_XNORM] * v[NL_CONN_VAR_DIST_XNORM] +
                                     v[NL_CONN_VAR_DIST_YNORM] * v[NL_CONN_VAR_DIST_YNORM] +
                                     v[NL_CONN_VAR_DIST_ZNORM] * v[NL_CONN_VAR_DIST_ZNORM]);
  v[NL_CONN_VAR_DIST_NORM2D] = sqrt (v[NL_CONN_VAR_DIST_XNORM] * v[NL_CONN_VAR_DIST_XNORM] +
                                     v[NL_CONN_VAR_DIST_ZNORM] * v[NL_CONN_VAR_DIST_ZNORM]);
}

/* ---- a chunk of target cells ----------------------------------------------------------------- */

typedef struct {
  GArray *pre, *weight, *delay, *meta, *loc;
  GArray *offset;
  char   *error;
} Out;

static int
find_gid (const GidSet *set, guint gid)
{
  guint lo = 0, hi = set->n;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (set->gids[mid] < gid)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < set->n && set->gids[lo] == gid ? (int) lo : -1;
}

static double
eval_value (const Value *v, guint slot, guint syn_index, guint item, const double *vars, NlRng *rng)
{
  if (v->per_item)
    {
      JsonNode *e = json_array_get_element (v->per_item, item);
      double d = NAN;
      if (JSON_NODE_HOLDS_ARRAY (e))
        {
          JsonArray *a = json_node_get_array (e);
          if (slot < json_array_get_length (a))
            nl_json_number (json_array_get_element (a, slot), &d);
        }
      else
        nl_json_number (e, &d);
      return d;
    }
  if (v->per_syn)
    {
      double d = NAN;
      if (syn_index < json_array_get_length (v->per_syn))
        nl_json_number (json_array_get_element (v->per_syn, syn_index), &d);
      return d;
    }
  if (v->expr[slot])
    return nl_expr_eval (v->expr[slot], vars, rng);
  return v->constant[slot];
}

static double
sec_length (const CellRule *cr, guint sec)
{
  for (guint q = 0; q < cr->secs->len; q++)
    if (g_array_index (cr->secs, guint, q) == sec)
      return g_array_index (cr->sec_len, double, q);
  return 0;
}

/* Synapse j of k spread evenly over the sections' total length, as NetPyNE's
 * _distributeSynsUniformly does — including its measuring the location back from the
 * section's far end. */
static void
distribute_uniformly (const CellRule *cr, const guint *secs, guint n_secs, guint j, guint k,
                      guint *sec_pos, double *loc)
{
  double total = 0, cum = 0, target;

  for (guint i = 0; i < n_secs; i++)
    total += sec_length (cr, secs[i]);
  target = j * (total / k) + total / k / 2;
  for (guint i = 0; i < n_secs; i++)
    {
      double len = sec_length (cr, secs[i]);
      cum += len;
      if (cum >= target || i + 1 == n_secs)
        {
          *sec_pos = i;
          *loc = len > 0 ? CLAMP ((cum - target) / len, 0, 1) : 0.5;
          return;
        }
    }
}

/* k positions in [0, n): distinct when k ≤ n (NetPyNE's randUniqueInt), else with repeats. */
static void
draw_positions (NlRng *rng, guint n, guint k, guint *out)
{
  for (guint j = 0; j < k; j++)
    {
      gboolean again;
      do
        {
          out[j] = (guint) nl_rng_below (rng, n);
          again = FALSE;
          for (guint i = 0; k <= n && i < j; i++)
            again |= out[i] == out[j];
        }
      while (again);
    }
}

/* Python's list[i] with i possibly -1. */
static double
weight_norm_at (JsonArray *wn, guint nseg, double loc)
{
  int i = (int) rint (loc * nseg) - 1;   /* Python's round: halves to even */
  int n = json_array_get_length (wn);
  if (i < 0)
    i += n;
  if (i < 0 || i >= n)
    return 1;
  return json_array_get_double_element (wn, i);
}

static gboolean
emit (Conns *cs, Rule *r, guint pre, guint post, guint item, Out *out)
{
  Build *b = cs->b;
  NlNetwork *net = b->net;
  const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, net->cell_pop[post]);
  CellRule *cr = pop->cell_rule >= 0 ? b->cell_rules->pdata[pop->cell_rule] : NULL;
  double vars[NL_CONN_N_VARS];
  NlRng rng, sec_rng;
  double scale;

  if (pre == post && !b->allow_self_conns)
    return TRUE;
  if (r->any_var)
    pair_vars (net, r, pre, post, vars);
  if (r->random_values)
    nl_rng_init (&rng, b->seed_conn, PURPOSE (P_VALUE, r->index), pre, post);
  scale = cs->pop_scale[net->cell_pop[post]];

  GArray *named = cr && r->secs_of ? r->secs_of->pdata[pop->cell_rule] : NULL;
  const guint *secs = named && named->len ? (const guint *) named->data : NULL;
  guint n_secs = named && named->len ? named->len : 1;
  guint default_sec = cr && cr->default_sec >= 0 ? (guint) cr->default_sec : NL_SEC_NONE;
  g_autoptr(GArray) item_secs = NULL;
  if (cr && r->sec_per_item && item < json_array_get_length (r->sec_per_item))
    {
      item_secs = resolve_secs (b, cr, json_array_get_element (r->sec_per_item, item));
      if (item_secs->len)
        {
          secs = (const guint *) item_secs->data;
          n_secs = 1;
        }
    }
  if (!secs)
    secs = &default_sec;
  /* A function gives one value per connection, shared by its synMechs and synapses, as
   * NetPyNE evaluates it once in _addCellConn. */
  double wv[NL_MAX_SYN], dv[NL_MAX_SYN], lv[NL_MAX_SYN];
  for (guint s = 0; s < r->n_syn; s++)
    {
      NlRng *rp = r->random_values ? &rng : NULL;
      gboolean shared = s > 0;
      wv[s] = shared && r->weight.expr[s] == r->weight.expr[s - 1] && r->weight.expr[s] ? wv[s - 1] :
              r->weight.per_syn ? 0 : eval_value (&r->weight, s, 0, item, vars, rp);
      dv[s] = shared && r->delay.expr[s] == r->delay.expr[s - 1] && r->delay.expr[s] ? dv[s - 1] :
              r->delay.per_syn ? 0 : eval_value (&r->delay, s, 0, item, vars, rp);
      lv[s] = !r->loc.present ? 0.5 :
              shared && r->loc.expr[s] == r->loc.expr[s - 1] && r->loc.expr[s] ? lv[s - 1] :
              r->loc.per_syn ? 0 : eval_value (&r->loc, s, 0, item, vars, rp);
    }

  for (guint s = 0; s < r->n_syn; s++)
    {
      double k_d = r->syns.present ? eval_value (&r->syns, s, 0, item, vars, &rng) : 1;
      /* NetPyNE makes range(synsPerConn) NetCons: 0 makes none. */
      guint k = isfinite (k_d) && k_d >= 0 && k_d <= 10000 ? (guint) rint (k_d) : 1;

      /* Where the k synapses go (compartCell.py _setConnSynMechs): one section spreads them
       * evenly; several sections are spread by length (distributeSynsUniformly), or drawn at
       * random with random locations (connRandomSecFromList), or taken in order. Random
       * choices are the same for every synMech of the connection, as NetPyNE seeds them by
       * the pair alone. */
      guint n_loc_list = r->loc.per_syn ? json_array_get_length (r->loc.per_syn) : 0;
      g_autofree guint *pick_sec = g_new0 (guint, MAX (k, 1));
      g_autofree double *pick_loc = g_new (double, MAX (k, 1));
      for (guint j = 0; j < k; j++)
        pick_loc[j] = r->loc.per_syn ? eval_value (&r->loc, s, j, item, vars, NULL) : lv[s];
      if (n_secs > 1)
        {
          nl_rng_init (&sec_rng, b->seed_conn, PURPOSE (P_SEC, r->index), pre, post);
          if (k == 1 && b->conn_random_sec)
            {
              pick_sec[0] = (guint) nl_rng_below (&sec_rng, n_secs);
              if (n_loc_list > 1)
                pick_loc[0] = eval_value (&r->loc, s, MIN (pick_sec[0], n_loc_list - 1), item, vars, NULL);
            }
          else if (k > 1 && b->distribute_syns && cr)
            for (guint j = 0; j < k; j++)
              distribute_uniformly (cr, secs, n_secs, j, k, &pick_sec[j], &pick_loc[j]);
          else if (k > 1 && b->conn_random_sec)
            {
              draw_positions (&sec_rng, n_secs, k, pick_sec);
              if (n_loc_list > 0)
                {
                  g_autofree guint *lp = g_new (guint, k);
                  draw_positions (&sec_rng, n_loc_list, k, lp);
                  for (guint j = 0; j < k; j++)
                    pick_loc[j] = eval_value (&r->loc, s, lp[j], item, vars, NULL);
                }
              else
                for (guint j = 0; j < k; j++)
                  pick_loc[j] = nl_rng_uniform (&sec_rng);
            }
          else
            for (guint j = 0; j < k; j++)
              pick_sec[j] = MIN (j, n_secs - 1);
        }
      else if (k > 1 && !r->loc.per_syn)
        for (guint j = 0; j < k; j++)
          pick_loc[j] = (j + 0.5) / k;

      for (guint j = 0; j < k; j++)
        {
          double w = r->weight.per_syn ? eval_value (&r->weight, s, j, item, vars, NULL) : wv[s];
          double d = r->delay.per_syn ? eval_value (&r->delay, s, j, item, vars, NULL) : dv[s];
          double loc = pick_loc[j];
          guint sec = secs[pick_sec[j]];

          if (!isfinite (w) || !isfinite (d) || d < 0 || !(loc >= 0 && loc <= 1))
            {
              g_mutex_lock (&cs->lock);
              if (!out->error)
                out->error = g_strdup_printf ("%s: the connection from cell %u to cell %u gets %s %g; "
                                              "check the rule's string functions",
                                              r->path, pre, post,
                                              !isfinite (w) ? "weight" : !isfinite (d) || d < 0 ? "delay" : "loc",
                                              !isfinite (w) ? w : !isfinite (d) || d < 0 ? d : loc);
              g_mutex_unlock (&cs->lock);
              return FALSE;
            }
          w *= scale;
          if (cr && cr->has_weight_norm)
            for (guint q = 0; q < cr->secs->len; q++)
              if (g_array_index (cr->secs, guint, q) == sec && cr->weight_norm->pdata[q])
                w *= weight_norm_at (cr->weight_norm->pdata[q], g_array_index (cr->sec_nseg, guint, q), loc);
          if (w == 0 && !b->allow_weight0)
            continue;

          guint32 pre32 = pre, meta = nl_meta_pack (r->index, s, sec);
          float wf = w, df = d, lf = loc;
          g_array_append_val (out->pre, pre32);
          g_array_append_val (out->weight, wf);
          g_array_append_val (out->delay, df);
          g_array_append_val (out->meta, meta);
          if (cs->any_loc)
            g_array_append_val (out->loc, lf);
          if (b->options->max_conns && out->pre->len > b->options->max_conns)
            {
              if (!out->error)
                out->error = g_strdup_printf ("the network would have more than %" G_GUINT64_FORMAT " connections",
                                              b->options->max_conns);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* NetPyNE's count for convergence and divergence: Python's round() (half to even, as rint
 * does), at most one less than the candidates even when the cell itself is not among them
 * (conn.py convConn/divConn). */
static guint
clamp_amount (double c, guint n_candidates)
{
  double r = rint (c);
  if (!(r > 0) || n_candidates == 0)
    return 0;
  return (guint) MIN (r, (double) n_candidates - 1);
}

/* c distinct positions in [0, n) other than `skip` (or any when skip < 0), ascending. */
static guint32 *
sample_distinct (NlRng *rng, guint n, int skip, guint c, guint *out_n)
{
  guint avail = skip >= 0 ? n - 1 : n;
  guint32 *pick;
  guint got = 0;

  c = MIN (c, avail);
  pick = g_new (guint32, MAX (c, 1));
  if (c * 2 > avail)
    {
      /* Dense: a partial Fisher–Yates shuffle of the candidates. */
      g_autofree guint32 *all = g_new (guint32, MAX (avail, 1));
      for (guint i = 0, j = 0; i < n; i++)
        if ((int) i != skip)
          all[j++] = i;
      for (guint i = 0; i < c; i++)
        {
          guint j = i + (guint) nl_rng_below (rng, avail - i);
          guint32 t = all[i]; all[i] = all[j]; all[j] = t;
          pick[got++] = all[i];
        }
    }
  else
    {
      /* Sparse: draw and reject repeats, kept in a small hash set. */
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      while (got < c)
        {
          guint i = (guint) nl_rng_below (rng, avail);
          if (skip >= 0 && i >= (guint) skip)
            i++;
          if (g_hash_table_add (seen, GUINT_TO_POINTER (i + 1)))
            pick[got++] = i;
        }
    }
  for (guint i = 1; i < got; i++)
    for (guint j = i; j > 0 && pick[j - 1] > pick[j]; j--)
      {
        guint32 t = pick[j]; pick[j] = pick[j - 1]; pick[j - 1] = t;
      }
  *out_n = got;
  return pick;
}

static gboolean
connect_post (Conns *cs, Rule *r, guint post, Out *out)
{
  Build *b = cs->b;
  double vars[NL_CONN_N_VARS];
  NlRng rng;

  nl_rng_init (&rng, b->seed_conn, PURPOSE (P_SELECT, r->index), post, 0);

  switch (r->kind)
    {
    case K_FULL:
      for (guint i = 0; i < r->pre.n; i++)
        if (!emit (cs, r, r->pre.gids[i], post, 0, out))
          return FALSE;
      return TRUE;

    case K_PROB:
      if (!r->amount_per_pair)
        {
          double p = r->amount;
          if (r->amount_expr)
            {
              pair_vars (b->net, r, post, post, vars);
              p = nl_expr_eval (r->amount_expr, vars, &rng);
            }
          if (isnan (p))
            goto nan;
          if (p <= 0)
            return TRUE;
          if (p >= 1)
            {
              for (guint i = 0; i < r->pre.n; i++)
                if (!emit (cs, r, r->pre.gids[i], post, 0, out))
                  return FALSE;
              return TRUE;
            }
          /* Each candidate connects with probability p: jump over the gaps, whose lengths
           * are geometric, instead of drawing for every candidate. */
          double lq = log1p (-p);
          for (double i = floor (log (nl_rng_uniform_pos (&rng)) / lq); i < r->pre.n;
               i += 1 + floor (log (nl_rng_uniform_pos (&rng)) / lq))
            if (!emit (cs, r, r->pre.gids[(guint) i], post, 0, out))
              return FALSE;
          return TRUE;
        }
      for (guint i = 0; i < r->pre.n; i++)
        {
          guint pre = r->pre.gids[i];
          double u = nl_rng_uniform (&rng), p;
          pair_vars (b->net, r, pre, post, vars);
          p = nl_expr_eval (r->amount_expr, vars, &rng);
          if (isnan (p))
            goto nan;
          if (u < p && !emit (cs, r, pre, post, 0, out))
            return FALSE;
        }
      return TRUE;

    case K_CONV:
      {
        double c = r->amount;
        guint n;
        if (r->amount_expr)
          {
            pair_vars (b->net, r, post, post, vars);
            c = nl_expr_eval (r->amount_expr, vars, &rng);
          }
        if (isnan (c))
          goto nan;
        /* Convergence, divergence and lists never connect a cell to itself, whatever
         * allowSelfConns says (conn.py checks preCellGid != postCellGid there). */
        int self = find_gid (&r->pre, post);
        g_autofree guint32 *pick = sample_distinct (&rng, r->pre.n, self, clamp_amount (c, r->pre.n), &n);
        for (guint i = 0; i < n; i++)
          if (!emit (cs, r, r->pre.gids[pick[i]], post, 0, out))
            return FALSE;
        return TRUE;
      }

    case K_DIV:
    case K_LIST:
      {
        int pos = find_gid (&r->post, post);
        for (guint64 i = r->bucket_off[pos]; i < r->bucket_off[pos + 1]; i++)
          if (!emit (cs, r, r->bucket_pre[i], post, r->bucket_item ? r->bucket_item[i] : 0, out))
            return FALSE;
        return TRUE;
      }
    }
  return TRUE;

nan:
  g_mutex_lock (&cs->lock);
  if (!out->error)
    out->error = g_strdup_printf ("%s: the %s function gives NaN for target cell %u", r->path,
                                  r->kind == K_PROB ? "probability" : "convergence", post);
  g_mutex_unlock (&cs->lock);
  return FALSE;
}


/* Path distance along the dendritic tree (NEURON's h.distance) between (a, xa) and (b, xb),
 * sections given as positions in the cell rule, from the topology and the lengths. */
static double
path_distance (const CellRule *cr, int a, double xa, int b, double xb)
{
  guint n = cr->secs->len;
  g_autofree int *chain_a = g_new (int, n + 1);
  g_autofree double *at_a = g_new (double, n + 1);
  double up_a = 0, up_b = 0;
  guint n_a = 0, steps = 0;
  int s;
  double x;

  /* Walk a's ancestors, remembering where the path enters each (at most n: the validator
   * rejects loops, and this bound keeps a bad tree from hanging the build). */
  for (s = a, x = xa; s >= 0 && n_a <= n; )
    {
      chain_a[n_a] = s;
      at_a[n_a++] = x;
      int parent = g_array_index (cr->sec_parent, int, s);
      if (parent < 0)
        break;
      x = g_array_index (cr->sec_parent_x, double, s);
      s = parent;
    }
  /* Climb from b until a section of a's chain. */
  for (s = b, x = xb; s >= 0 && steps++ <= n; )
    {
      for (guint i = 0; i < n_a; i++)
        if (chain_a[i] == s)
          {
            /* Below the common section, each step costs the way to the section's attached end. */
            for (guint j = 0; j < i; j++)
              {
                int sj = chain_a[j];
                up_a += fabs (at_a[j] - g_array_index (cr->sec_child_x, double, sj)) *
                        g_array_index (cr->sec_len, double, sj);
              }
            return up_a + up_b + fabs (at_a[i] - x) * g_array_index (cr->sec_len, double, s);
          }
      int parent = g_array_index (cr->sec_parent, int, s);
      up_b += fabs (x - g_array_index (cr->sec_child_x, double, s)) * g_array_index (cr->sec_len, double, s);
      if (parent < 0)
        break;
      x = g_array_index (cr->sec_parent_x, double, s);
      s = parent;
    }
  return INFINITY;   /* two separate trees */
}

static int
sec_position (const CellRule *cr, guint sec)
{
  for (guint q = 0; q < cr->secs->len; q++)
    if (g_array_index (cr->secs, guint, q) == sec)
      return q;
  return -1;
}

/* ---- subConnParams ------------------------------------------------------------------------ */

typedef struct {
  guint64 index;        /* into the chunk's output */
  guint   sec;
  float   loc;
  guint32 pre;
} Moved;

/* NetPyNE sorts the synapses it moves by the string sec + str(loc) + str(preGid): as text,
 * so source 12 comes before source 5. */
static char *
moved_key (NlNetwork *net, const Moved *m)
{
  char loc[32];
  nl_json_format_float (loc, m->loc);
  return g_strdup_printf ("%s%s%u", nl_network_get_name (net, NL_NAME_SEC, m->sec), loc, m->pre);
}

static int
compare_moved (gconstpointer a, gconstpointer b, gpointer data)
{
  g_autofree char *x = moved_key (data, a);
  g_autofree char *y = moved_key (data, b);
  int c = strcmp (x, y);
  if (c)
    return c;
  return ((const Moved *) a)->index < ((const Moved *) b)->index ? -1 : 1;
}

static guint
conn_syn_name (NlNetwork *net, guint32 meta)
{
  guint rule = meta >> (NL_META_SYN_BITS + NL_META_SEC_BITS);
  guint slot = (meta >> NL_META_SEC_BITS) & (NL_MAX_SYN - 1);
  return ((NlRuleInfo *) net->rules->pdata[rule])->syn[slot];
}

static gboolean
has_weight_norm (const CellRule *cr, guint sec)
{
  for (guint q = 0; q < cr->secs->len; q++)
    if (g_array_index (cr->secs, guint, q) == sec)
      return cr->weight_norm->pdata[q] != NULL;
  return FALSE;
}

static double
weight_norm_of (const CellRule *cr, guint sec, double loc)
{
  for (guint q = 0; cr && q < cr->secs->len; q++)
    if (g_array_index (cr->secs, guint, q) == sec && cr->weight_norm->pdata[q])
      return weight_norm_at (cr->weight_norm->pdata[q], g_array_index (cr->sec_nseg, guint, q), loc);
  return 1;
}

/* ---- where synapses go: 3-D positions of segments ------------------------------------------ */

/* NetPyNE's posFromLoc: the point at fraction x of the section's 3-D path, after NetPyNE has
 * placed the pt3d points at the cell (pt3dRelativeToCellLocation, y inverted when
 * invertedYCoord). FALSE when the section has no pt3d. */
static gboolean
seg_position (Build *b, const CellRule *cr, int pos, double x, guint gid, double out[3])
{
  JsonArray *pts = cr->pt3d->pdata[pos];
  guint n = pts ? json_array_get_length (pts) : 0;
  double off[3] = { 0, 0, 0 }, arc = 0, prev[3] = { 0 }, total = 0;
  g_autofree double *arcs = NULL;
  g_autofree double *xyz = NULL;

  if (n == 0)
    return FALSE;
  if (b->pt3d_relative)
    {
      off[0] = b->net->coords[NL_COORD_X][gid];
      off[1] = b->inverted_y ? -b->net->coords[NL_COORD_Y][gid] : b->net->coords[NL_COORD_Y][gid];
      off[2] = b->net->coords[NL_COORD_Z][gid];
    }
  arcs = g_new (double, n);
  xyz = g_new (double, 3 * n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (pts, i);
      JsonArray *p = JSON_NODE_HOLDS_ARRAY (e) ? json_node_get_array (e) : NULL;
      for (int c = 0; c < 3; c++)
        {
          double v = 0;
          if (p && json_array_get_length (p) > (guint) c)
            nl_json_number (json_array_get_element (p, c), &v);
          xyz[3 * i + c] = v + off[c];
        }
      if (i)
        arc += sqrt ((xyz[3 * i] - prev[0]) * (xyz[3 * i] - prev[0]) +
                     (xyz[3 * i + 1] - prev[1]) * (xyz[3 * i + 1] - prev[1]) +
                     (xyz[3 * i + 2] - prev[2]) * (xyz[3 * i + 2] - prev[2]));
      arcs[i] = arc;
      memcpy (prev, &xyz[3 * i], sizeof prev);
    }
  total = arc;
  double want = x * total;
  for (guint i = 0; i < n; i++)
    if (arcs[i] >= want)
      {
        if (arcs[i] == want || i == 0)
          memcpy (out, &xyz[3 * i], 3 * sizeof (double));
        else
          {
            double t = (want - arcs[i - 1]) / (arcs[i] - arcs[i - 1]);
            for (int c = 0; c < 3; c++)
              out[c] = xyz[3 * (i - 1) + c] + t * (xyz[3 * i + c] - xyz[3 * (i - 1) + c]);
          }
        return TRUE;
      }
  memcpy (out, &xyz[3 * (n - 1)], 3 * sizeof (double));
  return TRUE;
}

/* The two grid points nearest to v, as NetPyNE's argsort()[:2], returned as (lower index,
 * higher index). */
static void
nearest_two (GArray *grid, double v, guint *lo, guint *hi)
{
  guint a = 0, b = 0;

  /* A stable sort of the distances: the first two. */
  double da = INFINITY, db = INFINITY;
  for (guint i = 0; i < grid->len; i++)
    {
      double d = fabs (g_array_index (grid, double, i) - v);
      if (d < da)
        {
          db = da, b = a;
          da = d, a = i;
        }
      else if (d < db)
        db = d, b = i;
    }
  *lo = MIN (a, b);
  *hi = MAX (a, b);
}

/* Python's round(): halves to even. */
static double
py_round (double v)
{
  return rint (v);
}

static gboolean
place_synapses (Build *b, SubRule *sr, CellRule *cr, int cell_rule, GArray *secs, guint post, guint n,
                GArray *dest_sec, GArray *dest_loc, Out *out)
{
  switch (sr->kind)
    {
    case SUB_UNIFORM:
      for (guint i = 0; i < n; i++)
        {
          guint pos = 0;
          double loc = 0.5;
          distribute_uniformly (cr, (const guint *) secs->data, secs->len, i, n, &pos, &loc);
          g_array_append_val (dest_sec, g_array_index (secs, guint, pos));
          g_array_append_val (dest_loc, loc);
        }
      return TRUE;

    case SUB_PATH:
      for (guint i = 0; i < n; i++)
        {
          g_array_append_val (dest_sec, sr->target_sec[cell_rule]);
          g_array_append_val (dest_loc, sr->target_loc[cell_rule]);
        }
      return TRUE;

    case SUB_CARTESIAN:
      {
        /* The segment whose straight-line distance from the reference point is closest to
         * the target (NetPyNE's scan; later ties win). */
        guint ref_idx = GPOINTER_TO_UINT (g_hash_table_lookup (b->net->name_index[NL_NAME_SEC],
                                                               sr->ref_sec ? sr->ref_sec : ""));
        int ref_pos = ref_idx ? sec_position (cr, ref_idx - 1) : -1;
        double p0[3], best = sr->target_distance, loc_best = sr->ref_seg;
        guint sec_best;
        if (ref_pos < 0)
          ref_pos = cr->default_sec >= 0 ? sec_position (cr, cr->default_sec) : 0;
        sec_best = g_array_index (cr->secs, guint, ref_pos);
        if (!seg_position (b, cr, ref_pos, sr->ref_seg, post, p0))
          goto no_shape;
        for (guint i = 0; i < secs->len; i++)
          {
            int pos = sec_position (cr, g_array_index (secs, guint, i));
            guint nseg = MAX (1, g_array_index (cr->sec_nseg, guint, pos));
            for (guint k = 0; k < nseg; k++)
              {
                double p[3], x = (k + 0.5) / nseg;
                if (!seg_position (b, cr, pos, x, post, p))
                  goto no_shape;
                double d = sqrt ((p[0] - p0[0]) * (p[0] - p0[0]) + (p[1] - p0[1]) * (p[1] - p0[1]) +
                                 (p[2] - p0[2]) * (p[2] - p0[2]));
                if (fabs (d - sr->target_distance) <= best)
                  {
                    best = fabs (d - sr->target_distance);
                    sec_best = g_array_index (secs, guint, i);
                    loc_best = x;
                  }
              }
          }
        for (guint i = 0; i < n; i++)
          {
            g_array_append_val (dest_sec, sec_best);
            g_array_append_val (dest_loc, loc_best);
          }
        return TRUE;
      }

    case SUB_MAP1D:
    case SUB_MAP2D:
      {
        /* Synapse density interpolated from the grid at each segment, scaled to the number
         * of synapses, rounded, the remainder given to the largest rounding losses. */
        int soma = sec_position (cr, GPOINTER_TO_UINT (g_hash_table_lookup (b->net->name_index[NL_NAME_SEC], "soma")) - 1);
        double soma_p[3], total = 0, scale;
        g_autoptr(GArray) nsyn = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) seg_sec = g_array_new (FALSE, FALSE, sizeof (guint));
        g_autoptr(GArray) seg_x = g_array_new (FALSE, FALSE, sizeof (double));
        guint made = 0;

        if (soma < 0 || !g_hash_table_contains (b->net->name_index[NL_NAME_SEC], "soma"))
          {
            if (!out->error)
              out->error = g_strdup_printf ("%s: a density map needs a section named soma on cell %u", sr->path, post);
            return FALSE;
          }
        if (!seg_position (b, cr, soma, 0.5, post, soma_p))
          goto no_shape;
        for (guint i = 0; i < secs->len; i++)
          {
            int pos = sec_position (cr, g_array_index (secs, guint, i));
            guint nseg = MAX (1, g_array_index (cr->sec_nseg, guint, pos));
            double len = g_array_index (cr->sec_len, double, pos);
            for (guint k = 0; k < nseg; k++)
              {
                double p[3], x = (k + 0.5) / nseg, sigma = 0;
                guint j1, j2;
                if (!seg_position (b, cr, pos, x, post, p))
                  goto no_shape;
                double shift_y = sr->has_fixed_soma_y ? soma_p[1] - sr->fixed_soma_y : 0;
                g_autoptr(GArray) gy = g_array_sized_new (FALSE, FALSE, sizeof (double), sr->grid_y->len);
                for (guint q = 0; q < sr->grid_y->len; q++)
                  {
                    double v = g_array_index (sr->grid_y, double, q) + shift_y;
                    g_array_append_val (gy, v);
                  }
                nearest_two (gy, p[1], &j1, &j2);
                double y1 = g_array_index (gy, double, j1), y2 = g_array_index (gy, double, j2);
                if (sr->kind == SUB_MAP1D)
                  {
                    if (y1 != y2)
                      sigma = (g_array_index (sr->grid_values, double, j1) * (y2 - p[1]) +
                               g_array_index (sr->grid_values, double, j2) * (p[1] - y1)) / (y2 - y1);
                  }
                else
                  {
                    g_autoptr(GArray) gx = g_array_sized_new (FALSE, FALSE, sizeof (double), sr->grid_x->len);
                    guint i1, i2, ny = sr->grid_y->len;
                    for (guint q = 0; q < sr->grid_x->len; q++)
                      {
                        double v = g_array_index (sr->grid_x, double, q) - soma_p[0];
                        g_array_append_val (gx, v);
                      }
                    nearest_two (gx, p[0], &i1, &i2);
                    double x1 = g_array_index (gx, double, i1), x2 = g_array_index (gx, double, i2);
                    const double *gv = (const double *) sr->grid_values->data;
                    if (x1 != x2 && y1 != y2)
                      sigma = (gv[i1 * ny + j1] * (x2 - p[0]) * (y2 - p[1]) + gv[i2 * ny + j1] * (p[0] - x1) * (y2 - p[1]) +
                               gv[i1 * ny + j2] * (x2 - p[0]) * (p[1] - y1) + gv[i2 * ny + j2] * (p[0] - x1) * (p[1] - y1)) /
                              ((x2 - x1) * (y2 - y1));
                  }
                double ns = sigma * len / nseg;
                guint s_idx = g_array_index (secs, guint, i);
                g_array_append_val (nsyn, ns);
                g_array_append_val (seg_sec, s_idx);
                g_array_append_val (seg_x, x);
                total += ns;
              }
          }
        scale = total > 0 ? (double) n / total : 0;
        g_autofree guint *count = g_new0 (guint, MAX (nsyn->len, 1));
        g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
        g_autofree double *diff = g_new0 (double, MAX (nsyn->len, 1));
        for (guint i = 0; i < nsyn->len; i++)
          {
            double orig = g_array_index (nsyn, double, i) * scale;
            double r = py_round (orig);
            count[i] = r > 0 ? (guint) r : 0;
            made += count[i];
            diff[i] = orig - r;
            if (diff[i] > 0)
              g_array_append_val (order, i);
          }
        /* Largest loss first; a stable insertion sort keeps equal losses in segment order. */
        for (guint i = 1; i < order->len; i++)
          for (guint j = i; j > 0 && diff[g_array_index (order, guint, j - 1)] < diff[g_array_index (order, guint, j)]; j--)
            {
              guint t = g_array_index (order, guint, j);
              g_array_index (order, guint, j) = g_array_index (order, guint, j - 1);
              g_array_index (order, guint, j - 1) = t;
            }
        for (guint i = 0; made < n && i < order->len; i++, made++)
          count[g_array_index (order, guint, i)]++;
        for (guint i = 0; i < nsyn->len; i++)
          for (guint k = 0; k < count[i]; k++)
            {
              g_array_append_val (dest_sec, g_array_index (seg_sec, guint, i));
              g_array_append_val (dest_loc, g_array_index (seg_x, double, i));
            }
        return TRUE;
      }
    }
  return TRUE;

no_shape:
  if (!out->error)
    out->error = g_strdup_printf ("%s: placing synapses by position needs 3-D points (geom.pt3d) in every "
                                  "section of cellParams.%s", sr->path, cr->label);
  return FALSE;
}

/* NetPyNE's subcellularConn with density 'uniform': the synapses onto `post` from the
 * rule's presynaptic cells are spread evenly over the rule's sections; synMechs grouped by
 * groupSynMechs move together. */
static void
redistribute (Conns *cs, SubRule *sr, guint post, Out *out, guint64 start)
{
  NlNetwork *net = cs->b->net;
  const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, net->cell_pop[post]);
  CellRule *cr = pop->cell_rule >= 0 ? cs->b->cell_rules->pdata[pop->cell_rule] : NULL;
  GArray *secs = cr ? sr->secs_of->pdata[pop->cell_rule] : NULL;
  guint64 end = out->pre->len;
  g_autoptr(GArray) leaders = g_array_new (FALSE, FALSE, sizeof (Moved));
  g_autofree gint64 *leader_of = NULL;

  if (!cr || !secs || secs->len == 0 || end == start)
    return;
  leader_of = g_new (gint64, end - start);
  for (guint64 i = start; i < end; i++)
    leader_of[i - start] = -2;   /* not moved */

  for (guint64 i = start; i < end; i++)
    {
      guint32 pre = g_array_index (out->pre, guint32, i);
      guint32 meta = g_array_index (out->meta, guint32, i);
      if (!sr->is_pre[pre] || leader_of[i - start] != -2)
        continue;
      Moved m = { i, meta & (NL_MAX_SECS - 1), g_array_index (out->loc, float, i), pre };
      leader_of[i - start] = -1;
      g_array_append_val (leaders, m);
      if (sr->n_group < 2)
        continue;
      guint syn = conn_syn_name (net, meta);
      gboolean in_group = FALSE;
      for (guint k = 0; k < sr->n_group; k++)
        in_group |= sr->group[k] == syn;
      if (!in_group)
        continue;
      /* The other synMechs of the group at the same source, section and location follow. */
      for (guint k = 0; k < sr->n_group; k++)
        {
          if (sr->group[k] == syn)
            continue;
          for (guint64 j = i + 1; j < end; j++)
            {
              guint32 mj = g_array_index (out->meta, guint32, j);
              if (leader_of[j - start] == -2 && g_array_index (out->pre, guint32, j) == pre &&
                  conn_syn_name (net, mj) == sr->group[k] && (mj & (NL_MAX_SECS - 1)) == m.sec &&
                  g_array_index (out->loc, float, j) == m.loc)
                {
                  leader_of[j - start] = i;
                  break;
                }
            }
        }
    }
  if (leaders->len == 0)
    return;
  g_array_sort_with_data (leaders, compare_moved, net);

  /* Where each leader goes, in sorted order; a leader past the end of a map's list stays. */
  g_autoptr(GArray) dest_sec = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) dest_loc = g_array_new (FALSE, FALSE, sizeof (double));
  if (!place_synapses (cs->b, sr, cr, pop->cell_rule, secs, post, leaders->len, dest_sec, dest_loc, out))
    return;

  g_autofree gint64 *rank = g_new (gint64, end - start);
  for (guint64 i = 0; i < end - start; i++)
    rank[i] = -1;
  for (guint i = 0; i < leaders->len && i < dest_sec->len; i++)
    rank[g_array_index (leaders, Moved, i).index - start] = i;
  for (guint64 j = start; j < end; j++)
    {
      gint64 lead = leader_of[j - start];
      gint64 r = lead == -1 ? rank[j - start] : lead >= 0 ? rank[lead - start] : -1;
      if (r < 0)
        continue;
      guint sec = g_array_index (dest_sec, guint, r);
      double loc = g_array_index (dest_loc, double, r);
      guint32 *meta = &g_array_index (out->meta, guint32, j);
      float *l = &g_array_index (out->loc, float, j);
      float *w = &g_array_index (out->weight, float, j);
      /* subconn.py rescales only when the old section has weightNorm (a new section without
       * one counts 1), then keeps locations off the section ends, where a synapse needing
       * an ion would fail in NEURON. */
      if (cr->has_weight_norm && has_weight_norm (cr, *meta & (NL_MAX_SECS - 1)))
        {
          double old_norm = weight_norm_of (cr, *meta & (NL_MAX_SECS - 1), *l);
          if (old_norm != 0)
            *w = *w / old_norm * weight_norm_of (cr, sec, loc);
        }
      *meta = (*meta & ~(guint32) (NL_MAX_SECS - 1)) | sec;
      *l = loc == 0.0 ? 0.00001 : loc == 1.0 ? 0.99999 : loc;
    }
}

static void
sub_rule_free (SubRule *sr)
{
  if (!sr)
    return;
  g_free (sr->path);
  g_free (sr->is_pre);
  g_free (sr->is_post);
  g_clear_pointer (&sr->secs_of, g_ptr_array_unref);
  g_free (sr->group);
  g_free (sr->target_sec);
  g_free (sr->target_loc);
  g_free (sr->ref_sec);
  g_clear_pointer (&sr->grid_x, g_array_unref);
  g_clear_pointer (&sr->grid_y, g_array_unref);
  g_clear_pointer (&sr->grid_values, g_array_unref);
  g_free (sr);
}

static SubRule *
sub_rule_new (Build *b, const char *label, JsonObject *params, GError **error)
{
  g_autofree char *path = g_strdup_printf ("subConnParams.%s", label);
  JsonNode *density = json_object_get_member (params, "density");
  JsonNode *sec = json_object_get_member (params, "sec");
  JsonNode *group = json_object_get_member (params, "groupSynMechs");
  g_autofree char *pre_path = g_strconcat (path, ".preConds", NULL);
  g_autofree char *post_path = g_strconcat (path, ".postConds", NULL);
  GidSet pre = { 0 }, post = { 0 };
  SubRule *sr;

  JsonObject *dobj = density && JSON_NODE_HOLDS_OBJECT (density) ? json_node_get_object (density) : NULL;
  const char *dtype = nl_json_obj_string (dobj, "type");
  const char *coord = nl_json_obj_string (dobj, "coord");
  int kind = -1;

  if (density && JSON_NODE_HOLDS_VALUE (density) && json_node_get_value_type (density) == G_TYPE_STRING &&
      g_str_equal (json_node_get_string (density), "uniform"))
    kind = SUB_UNIFORM;
  else if (dtype && g_str_equal (dtype, "distance"))
    kind = coord && g_str_equal (coord, "cartesian") ? SUB_CARTESIAN : SUB_PATH;
  else if (dtype && g_str_equal (dtype, "1Dmap"))
    kind = SUB_MAP1D;
  else if (dtype && g_str_equal (dtype, "2Dmap"))
    kind = SUB_MAP2D;
  if (kind < 0)
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                   "%s.density: expected \"uniform\" or {\"type\": \"distance\" | \"1Dmap\" | \"2Dmap\", …}", path);
      return NULL;
    }
  if (!nl_build_select (b, nl_json_obj_object (params, "preConds"), &pre, pre_path, error) ||
      !nl_build_select (b, nl_json_obj_object (params, "postConds"), &post, post_path, error))
    {
      nl_gidset_clear (&pre);
      return NULL;
    }
  sr = g_new0 (SubRule, 1);
  sr->kind = kind;
  sr->path = g_steal_pointer (&path);
  if (kind == SUB_MAP1D || kind == SUB_MAP2D)
    {
      JsonNode *gx = json_object_get_member (dobj, "gridX");
      JsonNode *gy = json_object_get_member (dobj, "gridY");
      JsonNode *gv = json_object_get_member (dobj, "gridValues");
      guint nx = 0, ny;
      sr->grid_x = g_array_new (FALSE, FALSE, sizeof (double));
      sr->grid_y = g_array_new (FALSE, FALSE, sizeof (double));
      sr->grid_values = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; gy && JSON_NODE_HOLDS_ARRAY (gy) && i < json_array_get_length (json_node_get_array (gy)); i++)
        {
          double v = json_array_get_double_element (json_node_get_array (gy), i);
          g_array_append_val (sr->grid_y, v);
        }
      for (guint i = 0; kind == SUB_MAP2D && gx && JSON_NODE_HOLDS_ARRAY (gx) && i < json_array_get_length (json_node_get_array (gx)); i++)
        {
          double v = json_array_get_double_element (json_node_get_array (gx), i);
          g_array_append_val (sr->grid_x, v);
        }
      ny = sr->grid_y->len;
      nx = sr->grid_x->len;
      /* 1D: one value per y; 2D: gridValues[ix][iy]. */
      for (guint i = 0; gv && JSON_NODE_HOLDS_ARRAY (gv) && i < json_array_get_length (json_node_get_array (gv)); i++)
        {
          JsonNode *e = json_array_get_element (json_node_get_array (gv), i);
          double v = 0;
          if (JSON_NODE_HOLDS_ARRAY (e))
            for (guint j = 0; j < json_array_get_length (json_node_get_array (e)); j++)
              {
                v = json_array_get_double_element (json_node_get_array (e), j);
                g_array_append_val (sr->grid_values, v);
              }
          else if (nl_json_number (e, &v))
            g_array_append_val (sr->grid_values, v);
        }
      if (ny < 2 || (kind == SUB_MAP2D && nx < 2) || sr->grid_values->len != (kind == SUB_MAP2D ? nx * ny : ny))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.density: a %s needs gridY%s (at least 2 points each) and gridValues of %s",
                       sr->path, dtype, kind == SUB_MAP2D ? " and gridX" : "",
                       kind == SUB_MAP2D ? "len(gridX) lists of len(gridY) values" : "one value per gridY point");
          sub_rule_free (sr);
          nl_gidset_clear (&pre);
          nl_gidset_clear (&post);
          return NULL;
        }
      sr->has_fixed_soma_y = json_object_has_member (dobj, "fixedSomaY");
      sr->fixed_soma_y = nl_json_obj_number (dobj, "fixedSomaY", 0);
    }
  if (kind == SUB_CARTESIAN)
    {
      sr->ref_sec = g_strdup (nl_json_obj_string (dobj, "ref_sec"));
      sr->ref_seg = nl_json_obj_number (dobj, "ref_seg", 0.5);
      sr->target_distance = nl_json_obj_number (dobj, "target_distance", 0);
    }
  sr->is_pre = g_new0 (guint8, MAX (b->net->n_cells, 1));
  sr->is_post = g_new0 (guint8, MAX (b->net->n_cells, 1));
  for (guint i = 0; i < pre.n; i++)
    sr->is_pre[pre.gids[i]] = 1;
  for (guint i = 0; i < post.n; i++)
    sr->is_post[post.gids[i]] = 1;
  nl_gidset_clear (&pre);
  nl_gidset_clear (&post);
  sr->secs_of = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint c = 0; c < b->cell_rules->len; c++)
    {
      CellRule *cr = b->cell_rules->pdata[c];
      GArray *a = sec ? resolve_secs (b, cr, sec) : g_array_new (FALSE, FALSE, sizeof (guint));
      if (!sec && cr->default_sec >= 0)
        {
          guint d = cr->default_sec;
          g_array_append_val (a, d);
        }
      g_ptr_array_add (sr->secs_of, a);
    }
  if (kind == SUB_PATH)
    {
      /* The segment centre whose path distance from the reference point is closest to the
       * target, NetPyNE's scan (later ties win); the same for every cell of a cell rule. */
      const char *ref = nl_json_obj_string (dobj, "ref_sec");
      double ref_x = nl_json_obj_number (dobj, "ref_seg", 0.5);
      double target = nl_json_obj_number (dobj, "target_distance", 0);
      sr->target_sec = g_new (guint, MAX (b->cell_rules->len, 1));
      sr->target_loc = g_new (double, MAX (b->cell_rules->len, 1));
      for (guint c = 0; c < b->cell_rules->len; c++)
        {
          CellRule *cr = b->cell_rules->pdata[c];
          GArray *list = sr->secs_of->pdata[c];
          int ref_pos = -1;
          double best = target;
          if (ref)
            ref_pos = sec_position (cr, GPOINTER_TO_UINT (g_hash_table_lookup (b->net->name_index[NL_NAME_SEC], ref)) - 1);
          if (ref_pos < 0)
            ref_pos = cr->default_sec >= 0 ? sec_position (cr, cr->default_sec) : 0;
          sr->target_sec[c] = ref_pos >= 0 ? g_array_index (cr->secs, guint, ref_pos) : 0;
          sr->target_loc[c] = ref_x;
          for (guint i = 0; ref_pos >= 0 && i < list->len; i++)
            {
              int pos = sec_position (cr, g_array_index (list, guint, i));
              guint nseg = pos >= 0 ? MAX (1, g_array_index (cr->sec_nseg, guint, pos)) : 1;
              for (guint k = 0; pos >= 0 && k < nseg; k++)
                {
                  double x = (k + 0.5) / nseg;
                  double d = path_distance (cr, ref_pos, ref_x, pos, x);
                  if (fabs (d - target) <= best)
                    {
                      best = fabs (d - target);
                      sr->target_sec[c] = g_array_index (list, guint, i);
                      sr->target_loc[c] = x;
                    }
                }
            }
        }
    }
  if (group && JSON_NODE_HOLDS_ARRAY (group))
    {
      JsonArray *a = json_node_get_array (group);
      sr->n_group = json_array_get_length (a);
      sr->group = g_new (guint16, MAX (sr->n_group, 1));
      for (guint i = 0; i < sr->n_group; i++)
        {
          const char *name = json_array_get_string_element (a, i);
          sr->group[i] = nl_network_add_name (b->net, NL_NAME_SYN_MECH, name ? name : "");
        }
    }
  return sr;
}

typedef struct {
  Conns *cs;
  guint  chunk;
} Task;

static void
build_chunk (gpointer data, gpointer user_data)
{
  Conns *cs = user_data;
  guint chunk = GPOINTER_TO_UINT (data) - 1;
  NlNetwork *net = cs->b->net;
  NlConnChunk *c = &net->chunks[chunk];
  Out out = { 0 };
  guint64 zero = 0;

  out.pre = g_array_new (FALSE, FALSE, sizeof (guint32));
  out.weight = g_array_new (FALSE, FALSE, sizeof (float));
  out.delay = g_array_new (FALSE, FALSE, sizeof (float));
  out.meta = g_array_new (FALSE, FALSE, sizeof (guint32));
  out.loc = cs->any_loc ? g_array_new (FALSE, FALSE, sizeof (float)) : NULL;
  out.offset = g_array_sized_new (FALSE, FALSE, sizeof (guint64), c->n_posts + 1);
  g_array_append_val (out.offset, zero);

  if (g_cancellable_is_cancelled (cs->b->options->cancellable))
    for (guint i = 0; i < c->n_posts; i++)
      g_array_append_val (out.offset, zero);
  else
    for (guint post = c->first_post; post < c->first_post + c->n_posts && !out.error; post++)
      {
        guint64 start = out.pre->len;
        for (guint r = 0; r < cs->n_rules && !out.error; r++)
          if (cs->rules[r]->is_post && cs->rules[r]->is_post[post])
            connect_post (cs, cs->rules[r], post, &out);
        for (guint r = 0; r < cs->n_subs && !out.error; r++)
          if (cs->subs[r]->is_post[post])
            redistribute (cs, cs->subs[r], post, &out, start);
        guint64 end = out.pre->len;
        g_array_append_val (out.offset, end);
        if (cs->b->options->max_conns && !out.error &&
            __atomic_add_fetch (&cs->n_made, end - start, __ATOMIC_RELAXED) > cs->b->options->max_conns)
          out.error = g_strdup_printf ("the network would have more than %" G_GUINT64_FORMAT " connections",
                                       cs->b->options->max_conns);
      }

  /* Keep exactly what was made: the arrays' spare capacity would be a third more memory. */
  {
    gsize n = out.pre->len;
    c->pre = g_realloc (g_array_free (out.pre, FALSE), MAX (n, 1) * sizeof (guint32));
    c->weight = g_realloc (g_array_free (out.weight, FALSE), MAX (n, 1) * sizeof (float));
    c->delay = g_realloc (g_array_free (out.delay, FALSE), MAX (n, 1) * sizeof (float));
    c->meta = g_realloc (g_array_free (out.meta, FALSE), MAX (n, 1) * sizeof (guint32));
    c->loc = out.loc ? g_realloc (g_array_free (out.loc, FALSE), MAX (n, 1) * sizeof (float)) : NULL;
    c->offset = (guint64 *) g_array_free (out.offset, FALSE);
    if (out.error)
      c->offset[c->n_posts] = 0, memset (c->offset, 0, (c->n_posts + 1) * sizeof (guint64));
  }

  g_mutex_lock (&cs->lock);
  cs->chunk_error[chunk] = out.error;
  cs->n_chunks_done++;
  if (cs->b->options->progress)
    cs->b->options->progress ("connections", (double) cs->n_chunks_done / net->n_chunks,
                              cs->b->options->progress_data);
  g_mutex_unlock (&cs->lock);
}

/* ---- rules ------------------------------------------------------------------------------------ */

/* Divergence and connection lists are stated per presynaptic cell or per pair: sort them
 * by target once, so that the per-target pass can read them. */
static void
bucket (Rule *r, GArray *post_pos, GArray *pre, GArray *item)
{
  guint n = post_pos->len;
  r->bucket_off = g_new0 (guint64, r->post.n + 1);
  r->bucket_pre = g_new (guint32, MAX (n, 1));
  r->bucket_item = item ? g_new (guint32, MAX (n, 1)) : NULL;
  for (guint i = 0; i < n; i++)
    r->bucket_off[g_array_index (post_pos, guint32, i) + 1]++;
  for (guint p = 0; p < r->post.n; p++)
    r->bucket_off[p + 1] += r->bucket_off[p];
  g_autofree guint64 *fill = g_memdup2 (r->bucket_off, (r->post.n + 1) * sizeof (guint64));
  for (guint i = 0; i < n; i++)
    {
      guint p = g_array_index (post_pos, guint32, i);
      guint64 at = fill[p]++;
      r->bucket_pre[at] = g_array_index (pre, guint32, i);
      if (item)
        r->bucket_item[at] = g_array_index (item, guint32, i);
    }
}

static gboolean
prepare_div (Build *b, Rule *r, GError **error)
{
  g_autoptr(GArray) post_pos = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) pre = g_array_new (FALSE, FALSE, sizeof (guint32));
  double vars[NL_CONN_N_VARS];

  for (guint i = 0; i < r->pre.n; i++)
    {
      guint g = r->pre.gids[i], n;
      NlRng rng;
      double d = r->amount;
      nl_rng_init (&rng, b->seed_conn, PURPOSE (P_SELECT, r->index), g, 1);
      if (r->amount_expr)
        {
          pair_vars (b->net, r, g, g, vars);
          d = nl_expr_eval (r->amount_expr, vars, &rng);
          if (isnan (d))
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                           "%s.divergence: the function gives NaN for cell %u", r->path, g);
              return FALSE;
            }
        }
      int self = find_gid (&r->post, g);
      g_autofree guint32 *pick = sample_distinct (&rng, r->post.n, self, clamp_amount (d, r->post.n), &n);
      for (guint k = 0; k < n; k++)
        {
          g_array_append_val (post_pos, pick[k]);
          g_array_append_val (pre, g);
        }
    }
  bucket (r, post_pos, pre, NULL);
  return TRUE;
}

static gboolean
prepare_list (Build *b, Rule *r, GError **error)
{
  JsonArray *list = json_node_get_array (json_object_get_member (r->params, "connList"));
  g_autoptr(GArray) post_pos = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) pre = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) item = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (e) ? json_node_get_array (e) : NULL;
      double a, c;
      if (!pair || json_array_get_length (pair) != 2 ||
          !nl_json_number (json_array_get_element (pair, 0), &a) ||
          !nl_json_number (json_array_get_element (pair, 1), &c) ||
          a < 0 || c < 0 || a != floor (a) || c != floor (c))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.connList[%u]: expected a pair [preIndex, postIndex] of cell indices", r->path, i);
          return FALSE;
        }
      if (a >= r->pre.n || c >= r->post.n)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.connList[%u]: index %g is out of range: the rule selects %u %s cells",
                       r->path, i, a >= r->pre.n ? a : c, a >= r->pre.n ? r->pre.n : r->post.n,
                       a >= r->pre.n ? "presynaptic" : "postsynaptic");
          return FALSE;
        }
      guint32 pp = (guint32) c, g = r->pre.gids[(guint) a], it = i;
      if (g == r->post.gids[pp])
        continue;
      g_array_append_val (post_pos, pp);
      g_array_append_val (pre, g);
      g_array_append_val (item, it);
    }
  bucket (r, post_pos, pre, item);
  return TRUE;
}

/* The sections a rule names (sections or section lists) on cells of one cell rule. */
static GArray *
resolve_secs (Build *b, CellRule *cr, JsonNode *sec)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  JsonArray *list = JSON_NODE_HOLDS_ARRAY (sec) ? json_node_get_array (sec) : NULL;
  guint n = list ? json_array_get_length (list) : 1;

  for (guint i = 0; i < n; i++)
    {
      const char *name = list ? json_array_get_string_element (list, i) :
                         JSON_NODE_HOLDS_VALUE (sec) && json_node_get_value_type (sec) == G_TYPE_STRING ?
                         json_node_get_string (sec) : NULL;
      GArray *sl = name ? g_hash_table_lookup (cr->sec_lists, name) : NULL;
      if (sl)
        g_array_append_vals (out, sl->data, sl->len);
      else if (name)
        {
          guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (b->net->name_index[NL_NAME_SEC], name));
          for (guint q = 0; idx && q < cr->secs->len; q++)
            if (g_array_index (cr->secs, guint, q) == idx - 1)
              {
                guint v = idx - 1;
                g_array_append_val (out, v);
              }
        }
    }
  return out;
}

static Rule *
rule_new (Build *b, guint index, const char *label, JsonObject *params, GError **error)
{
  Rule *r = g_new0 (Rule, 1);
  JsonNode *syn = json_object_get_member (params, "synMech");
  JsonNode *amount = NULL;
  NlRuleInfo *info = g_new0 (NlRuleInfo, 1);
  guint list_len = 0;
  const char *what = NULL;

  r->index = index;
  r->label = label;
  r->path = g_strdup_printf ("connParams.%s", label);
  r->params = params;
  r->sec = json_object_get_member (params, "sec");
  if (r->sec && JSON_NODE_HOLDS_NULL (r->sec))
    r->sec = NULL;
  {
    JsonNode *cl = json_object_get_member (params, "connList");
    if (r->sec && JSON_NODE_HOLDS_ARRAY (r->sec) && cl && JSON_NODE_HOLDS_ARRAY (cl) &&
        !json_object_has_member (params, "probability") && !json_object_has_member (params, "convergence") &&
        !json_object_has_member (params, "divergence") &&
        json_array_get_length (json_node_get_array (r->sec)) == json_array_get_length (json_node_get_array (cl)))
      {
        /* NetPyNE takes a sec list as long as the connList per listed pair. */
        r->sec_per_item = json_node_get_array (r->sec);
        r->sec = NULL;
      }
  }

  info->pub.label = nl_network_intern (b->net, label);
  info->pub.kind = NL_RULE_CONN;
  g_ptr_array_add (b->net->rules, info);

  /* NetPyNE picks the rule type by which key is present, in this order. */
  if ((amount = json_object_get_member (params, "probability")))
    r->kind = K_PROB, what = "probability";
  else if ((amount = json_object_get_member (params, "convergence")))
    r->kind = K_CONV, what = "convergence";
  else if ((amount = json_object_get_member (params, "divergence")))
    r->kind = K_DIV, what = "divergence";
  else if (json_object_has_member (params, "connList"))
    {
      r->kind = K_LIST;
      list_len = json_array_get_length (json_node_get_array (json_object_get_member (params, "connList")));
    }
  else
    r->kind = K_FULL;

  /* synMechs: a name, a list of names, or the first synMechParams entry. */
  {
    g_autoptr(GPtrArray) names = nl_build_syn_names (b, syn);
    if (names->len == 0 || names->len > NL_MAX_SYN)
      {
        g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                     "%s.synMech: give 1 to %u synaptic mechanisms", r->path, NL_MAX_SYN);
        rule_free (r);
        return NULL;
      }
    /* Gap junctions: a synMech with pointerParams, or NetPyNE's older gapJunction flag. */
    JsonObject *sm = nl_json_obj_object (b->np, "synMechParams");
    for (guint i = 0; i < names->len; i++)
      {
        JsonObject *pp = nl_json_obj_object (nl_json_obj_object (sm, names->pdata[i]), "pointerParams");
        if (pp)
          {
            info->pub.pointer = TRUE;
            info->pub.bidirectional = nl_json_obj_number (pp, "bidirectional", 1) != 0;
          }
      }
    if (nl_json_obj_number (params, "gapJunction", 0) != 0)
      info->pub.pointer = info->pub.bidirectional = TRUE;
    r->n_syn = info->n_syn = names->len;
    info->syn = g_new (guint16, names->len);
    info->loc = g_new (float, names->len);
    for (guint i = 0; i < names->len; i++)
      info->syn[i] = nl_network_add_name (b->net, NL_NAME_SYN_MECH, names->pdata[i]);
  }

  if (!parse_value (b, r, "weight", nl_spec_get_double (b->spec, "netParams.defaultWeight", 1), list_len, &r->weight, error) ||
      !parse_value (b, r, "delay", nl_spec_get_double (b->spec, "netParams.defaultDelay", 1), list_len, &r->delay, error) ||
      !parse_value (b, r, "loc", 0.5, list_len, &r->loc, error) ||
      !parse_value (b, r, "synsPerConn", 1, list_len, &r->syns, error))
    {
      rule_free (r);
      return NULL;
    }
  for (guint s = 0; s < r->n_syn; s++)
    info->loc[s] = r->loc.expr[s] || r->loc.per_item || r->loc.per_syn || r->syns.present ? NAN : r->loc.constant[s];

  if (amount)
    {
      g_autofree char *path = g_strconcat (r->path, ".", what, NULL);
      if (!parse_scalar (b, r, amount, &r->amount, &r->amount_expr, path, error))
        {
          rule_free (r);
          return NULL;
        }
      /* NetPyNE evaluates a probability per candidate pair: a random one is drawn afresh
       * for each pair, not once per target cell. */
      if (r->amount_expr && r->kind == K_PROB && nl_expr_is_random (r->amount_expr))
        r->amount_per_pair = TRUE;
      if (r->amount_expr)
        for (guint v = NL_CONN_VAR_PRE_X; v < NL_CONN_N_VARS; v++)
          if (nl_expr_uses_var (r->amount_expr, v) &&
              !(v >= NL_CONN_VAR_POST_X && v <= NL_CONN_VAR_POST_ZNORM))
            r->amount_per_pair = TRUE;
      if (r->kind == K_PROB && !r->amount_expr && r->amount > 1)
        nl_problems_add (b->problems, NL_SEVERITY_WARNING, path, NULL,
                         "a probability of %g connects every pair", r->amount);
      r->warn_amount = path;
      path = NULL;
    }

  JsonObject *pre_conds = nl_json_obj_object (params, "preConds");
  JsonObject *post_conds = nl_json_obj_object (params, "postConds");
  g_autofree char *pre_path = g_strconcat (r->path, ".preConds", NULL);
  g_autofree char *post_path = g_strconcat (r->path, ".postConds", NULL);
  if (!nl_build_select (b, pre_conds, &r->pre, pre_path, error) ||
      !nl_build_select (b, post_conds, &r->post, post_path, error))
    {
      rule_free (r);
      return NULL;
    }
  /* cellList selects cells in stimTargetParams only; NetPyNE reads it here as a tag no cell
   * has, so the rule connects nothing. */
  if ((pre_conds && json_object_has_member (pre_conds, "cellList")) ||
      (post_conds && json_object_has_member (post_conds, "cellList")))
    {
      nl_problems_add (b->problems, NL_SEVERITY_WARNING,
                       pre_conds && json_object_has_member (pre_conds, "cellList") ? pre_path : post_path, NULL,
                       "cellList selects cells only in stimTargetParams conds; in a connection rule "
                       "NetPyNE matches no cell with it, so this rule makes no connections");
      nl_gidset_clear (&r->pre);
      nl_gidset_clear (&r->post);
      return r;
    }
  if (r->pre.n == 0 || r->post.n == 0)
    {
      nl_problems_add (b->problems, NL_SEVERITY_WARNING, r->pre.n == 0 ? pre_path : post_path, NULL,
                       "the rule selects no %s cells, so it makes no connections",
                       r->pre.n == 0 ? "presynaptic" : "postsynaptic");
      return r;
    }
  if (r->sec)
    {
      r->secs_of = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      for (guint c = 0; c < b->cell_rules->len; c++)
        g_ptr_array_add (r->secs_of, resolve_secs (b, b->cell_rules->pdata[c], r->sec));
    }
  for (guint v = 0; v < NL_CONN_N_VARS; v++)
    r->any_var |= r->uses_var[v];
  if ((r->kind == K_CONV || r->kind == K_DIV) && !r->amount_expr)
    {
      guint avail = r->kind == K_CONV ? r->pre.n : r->post.n;
      if (rint (r->amount) > (double) avail - 1)
        nl_problems_add (b->problems, NL_SEVERITY_WARNING, r->warn_amount, NULL,
                         "%g connections per cell asked of %u candidate cells: %u made, as NetPyNE does",
                         r->amount, avail, clamp_amount (r->amount, avail));
    }
  r->is_post = g_new0 (guint8, b->net->n_cells);
  for (guint i = 0; i < r->post.n; i++)
    r->is_post[r->post.gids[i]] = 1;

  if ((r->kind == K_DIV && !prepare_div (b, r, error)) || (r->kind == K_LIST && !prepare_list (b, r, error)))
    {
      rule_free (r);
      return NULL;
    }
  return r;
}

gboolean
nl_build_conns (Build   *b,
                GError **error)
{
  NlNetwork *net = b->net;
  JsonObject *rules = nl_json_obj_object (b->np, "connParams");
  Conns cs = { b };
  JsonObjectIter it;
  const char *label;
  JsonNode *node;
  gboolean ok = TRUE;
  guint n_threads = b->options->n_threads ? b->options->n_threads : g_get_num_processors ();

  g_mutex_init (&cs.lock);
  cs.rules = g_new0 (Rule *, rules ? json_object_get_size (rules) : 1);
  cs.pop_scale = g_new (double, MAX (net->pops->len, 1));
  {
    JsonObject *models = nl_json_obj_object (b->np, "scaleConnWeightModels");
    double global = nl_spec_get_double (b->spec, "netParams.scaleConnWeight", 1);
    for (guint p = 0; p < net->pops->len; p++)
      {
        const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, p);
        cs.pop_scale[p] = models && pop->cell_model && json_object_has_member (models, pop->cell_model) ?
                          nl_json_obj_number (models, pop->cell_model, global) : global;
      }
  }
  if (rules)
    {
      json_object_iter_init_ordered (&it, rules);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          Rule *r;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          if (net->rules->len >= NL_MAX_RULES)
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                           "connParams: more than %u rules", NL_MAX_RULES);
              ok = FALSE;
              break;
            }
          r = rule_new (b, net->rules->len, label, json_node_get_object (node), error);
          if (!r)
            {
              ok = FALSE;
              break;
            }
          cs.rules[cs.n_rules++] = r;
          for (guint s = 0; s < r->n_syn; s++)
            cs.any_loc |= isnan (((NlRuleInfo *) net->rules->pdata[r->index])->loc[s]);
        }
    }

  JsonObject *subs = nl_json_obj_object (b->np, "subConnParams");
  if (ok && subs)
    {
      cs.subs = g_new0 (SubRule *, json_object_get_size (subs) + 1);
      json_object_iter_init_ordered (&it, subs);
      while (ok && json_object_iter_next_ordered (&it, &label, &node))
        {
          g_autoptr(GError) local = NULL;
          SubRule *sr = JSON_NODE_HOLDS_OBJECT (node) ?
                        sub_rule_new (b, label, json_node_get_object (node), &local) : NULL;
          if (local)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          else if (sr)
            cs.subs[cs.n_subs++] = sr;
        }
      if (cs.n_subs)
        {
          /* Moved synapses need their own locations. */
          cs.any_loc = TRUE;
          for (guint r = 0; r < net->rules->len; r++)
            {
              NlRuleInfo *ri = net->rules->pdata[r];
              for (guint k = 0; k < ri->n_syn; k++)
                ri->loc[k] = NAN;
            }
        }
    }

  /* Packed NetCons hold 16-bit section and synMech indices. */
  if (ok && (net->names[NL_NAME_SEC]->len >= NL_SEC_NONE || net->names[NL_NAME_SYN_MECH]->len > G_MAXUINT16))
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                   "cellParams: more than %u section names, or synMechParams: more than %u names",
                   NL_SEC_NONE - 1, G_MAXUINT16);
      ok = FALSE;
    }

  if (ok)
    {
      /* Chunks of target cells: their number does not depend on the threads. */
      net->chunk_posts = MAX (64, (net->n_cells + 1023) / 1024);
      net->n_chunks = (net->n_cells + net->chunk_posts - 1) / net->chunk_posts;
      net->chunks = g_new0 (NlConnChunk, MAX (net->n_chunks, 1));
      cs.chunk_error = g_new0 (char *, MAX (net->n_chunks, 1));
      for (guint i = 0; i < net->n_chunks; i++)
        {
          net->chunks[i].first_post = i * net->chunk_posts;
          net->chunks[i].n_posts = MIN (net->chunk_posts, net->n_cells - i * net->chunk_posts);
        }
      if (n_threads <= 1 || net->n_chunks <= 1)
        for (guint i = 0; i < net->n_chunks; i++)
          build_chunk (GUINT_TO_POINTER (i + 1), &cs);
      else
        {
          GThreadPool *pool = g_thread_pool_new (build_chunk, &cs, n_threads, FALSE, NULL);
          for (guint i = 0; i < net->n_chunks; i++)
            g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
          g_thread_pool_free (pool, FALSE, TRUE);
        }
      for (guint i = 0; i < net->n_chunks; i++)
        {
          net->chunks[i].first_conn = net->n_conns;
          net->n_conns += net->chunks[i].offset[net->chunks[i].n_posts];
        }
      /* The first error in target order, so the message does not depend on the threads. */
      for (guint i = 0; i < net->n_chunks && ok; i++)
        if (cs.chunk_error[i])
          {
            g_set_error_literal (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, cs.chunk_error[i]);
            ok = FALSE;
          }
      if (ok && g_cancellable_is_cancelled (b->options->cancellable))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_CANCELLED, "the build was cancelled");
          ok = FALSE;
        }
      for (guint i = 0; i < net->n_chunks; i++)
        g_free (cs.chunk_error[i]);
      g_free (cs.chunk_error);
    }

  for (guint i = 0; i < cs.n_rules; i++)
    rule_free (cs.rules[i]);
  for (guint i = 0; i < cs.n_subs; i++)
    sub_rule_free (cs.subs[i]);
  g_free (cs.subs);
  g_free (cs.rules);
  g_free (cs.pop_scale);
  g_mutex_clear (&cs.lock);
  return ok;
}
