/* nl-placement.c — round-robin and cost-balanced (LPT) placement of cells on MPI ranks. */
#include <math.h>
#include <string.h>

#include "nl-placement.h"

const char *
nl_placement_name (NlPlacement placement)
{
  return placement == NL_PLACEMENT_COST ? "cost" : "roundRobin";
}

gboolean
nl_placement_from_name (const char *name, NlPlacement *placement)
{
  if (!g_strcmp0 (name, "roundRobin") || !g_strcmp0 (name, "round-robin"))
    *placement = NL_PLACEMENT_ROUND_ROBIN;
  else if (!g_strcmp0 (name, "cost"))
    *placement = NL_PLACEMENT_COST;
  else
    return FALSE;
  return TRUE;
}

static JsonObject *
member_object (JsonObject *o, const char *key)
{
  JsonNode *n = o && json_object_has_member (o, key) ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* Per cell rule: the fixed part of the cost, and the sections whose nseg is a string function
   (their number of mechanisms + 1, and the function's index among the rule's values). */
typedef struct {
  double  fixed;
  GArray *func_weight;   /* double: 1 + mechanisms */
  GArray *func_index;    /* guint */
} RuleCost;

static void
rule_cost (NlSpec *spec, NlNetwork *net, guint k, RuleCost *rc)
{
  JsonObject *cr = member_object (member_object (nl_spec_get_net_params (spec), "cellParams"),
                                  nl_network_get_cell_rule (net, k));
  JsonObject *secs = member_object (cr, "secs");
  g_autoptr(GList) names = secs ? json_object_get_members (secs) : NULL;
  guint nf = nl_network_get_n_cell_funcs (net, k);

  rc->fixed = 0;
  rc->func_weight = g_array_new (FALSE, FALSE, sizeof (double));
  rc->func_index = g_array_new (FALSE, FALSE, sizeof (guint));
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *s = member_object (secs, l->data);
      JsonObject *geom = member_object (s, "geom");
      JsonObject *mechs = member_object (s, "mechs");
      JsonObject *pps = member_object (s, "pointps");
      double w = 1 + (mechs ? json_object_get_size (mechs) : 0);
      double nseg = 1;
      JsonNode *n = geom && json_object_has_member (geom, "nseg") ? json_object_get_member (geom, "nseg") : NULL;
      g_autofree char *path = g_strdup_printf ("secs.%s.geom.nseg", (const char *) l->data);
      int func = -1;

      for (guint i = 0; i < nf; i++)
        if (!g_strcmp0 (nl_network_get_cell_func (net, k, i), path))
          func = (int) i;
      if (func >= 0)
        {
          guint fi = func;
          g_array_append_val (rc->func_weight, w);
          g_array_append_val (rc->func_index, fi);
        }
      else
        {
          if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) != G_TYPE_STRING)
            nseg = json_node_get_double (n);
          /* a bad nseg is the run's error to report, not the estimate's */
          if (!(nseg >= 1 && nseg < 1e6))
            nseg = 1;
          rc->fixed += floor (nseg) * w;
        }
      rc->fixed += pps ? json_object_get_size (pps) : 0;
    }
  if (rc->fixed == 0 && rc->func_index->len == 0)
    rc->fixed = 1;
}

/* Where a synapse sits: NetCons with the same key share one point process unless every
   connection gets its own (an estimate: NetLoom shares only linear synapses, in one segment). */
typedef struct {
  guint32 post;
  guint16 sec, syn;
  float   loc;
} SynKey;

static int
syn_key_cmp (const void *a, const void *b)
{
  const SynKey *x = a, *y = b;
  if (x->post != y->post)
    return x->post < y->post ? -1 : 1;
  if (x->sec != y->sec)
    return x->sec < y->sec ? -1 : 1;
  if (x->syn != y->syn)
    return x->syn < y->syn ? -1 : 1;
  return (x->loc > y->loc) - (x->loc < y->loc);
}

/* Adds to cost[post] the synapses that the connections and stimulus connections onto it make. */
static void
add_synapses (NlNetwork *net, gboolean one_syn, double *cost)
{
  guint64 nc = nl_network_get_n_conns (net), nsc = nl_network_get_n_stim_conns (net);
  SynKey *keys = g_new (SynKey, MAX (nc + nsc, 1));
  for (guint64 i = 0; i < nc + nsc; i++)
    {
      NlConn c;
      if (i < nc)
        nl_network_get_conn (net, i, &c);
      else
        nl_network_get_stim_conn (net, i - nc, &c);
      keys[i] = (SynKey) { c.post, c.sec, c.syn, c.loc };
    }
  if (!one_syn)
    qsort (keys, nc + nsc, sizeof (SynKey), syn_key_cmp);
  for (guint64 i = 0; i < nc + nsc; i++)
    if (one_syn || i == 0 || syn_key_cmp (&keys[i - 1], &keys[i]) != 0)
      cost[keys[i].post] += 1;
  g_free (keys);
}

double *
nl_placement_cell_costs (NlSpec *spec, NlNetwork *net, gboolean one_syn)
{
  guint n_cells = nl_network_get_n_cells (net);
  guint n_rules = nl_network_get_n_cell_rules (net);
  double *cost = g_new0 (double, MAX (n_cells, 1));
  g_autofree RuleCost *rules = g_new0 (RuleCost, MAX (n_rules, 1));
  g_autofree gboolean *done = g_new0 (gboolean, MAX (n_rules, 1));

  for (guint gid = 0; gid < n_cells; gid++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      if (pop->artificial || pop->cell_rule < 0 || (guint) pop->cell_rule >= n_rules)
        {
          cost[gid] = 1;
          continue;
        }
      RuleCost *rc = &rules[pop->cell_rule];
      if (!done[pop->cell_rule])
        {
          rule_cost (spec, net, pop->cell_rule, rc);
          done[pop->cell_rule] = TRUE;
        }
      cost[gid] = rc->fixed;
      if (rc->func_index->len)
        {
          const double *vals = nl_network_get_cell_values (net, gid);
          for (guint i = 0; i < rc->func_index->len; i++)
            {
              double nseg = vals[g_array_index (rc->func_index, guint, i)];
              if (!(nseg >= 1 && nseg < 1e6))
                nseg = 1;
              cost[gid] += floor (nseg) * g_array_index (rc->func_weight, double, i);
            }
        }
    }
  add_synapses (net, one_syn, cost);
  /* stimuli that are point processes on the cell (IClamp …); NetStims count by their synapse */
  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    {
      NlNetStim s;
      nl_network_get_stim (net, i, &s);
      const char *type = nl_network_get_rule (net, s.rule)->source_type;
      if (g_strcmp0 (type, "NetStim") && g_strcmp0 (type, "VecStim"))
        cost[s.cell] += 1;
    }
  /* an artificial cell costs 1, whatever targets it */
  for (guint gid = 0; gid < n_cells; gid++)
    if (nl_network_get_pop (net, nl_network_cell_pop (net, gid))->artificial)
      cost[gid] = 1;
  for (guint k = 0; k < n_rules; k++)
    if (done[k])
      {
        g_array_unref (rules[k].func_weight);
        g_array_unref (rules[k].func_index);
      }
  return cost;
}

static int
by_cost_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *c = data;
  guint x = *(const guint *) a, y = *(const guint *) b;
  if (c[x] != c[y])
    return c[x] > c[y] ? -1 : 1;
  return (x > y) - (x < y);
}

/* A binary min-heap of ranks keyed by (load, rank). */
static gboolean
heap_less (const double *load, guint a, guint b)
{
  return load[a] < load[b] || (load[a] == load[b] && a < b);
}

static void
heap_down (guint *h, guint n, const double *load, guint i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;
      if (l < n && heap_less (load, h[l], h[m]))
        m = l;
      if (r < n && heap_less (load, h[r], h[m]))
        m = r;
      if (m == i)
        return;
      guint t = h[i];
      h[i] = h[m];
      h[m] = t;
      i = m;
    }
}

guint *
nl_placement_assign (NlPlacement placement, const double *costs, guint n_cells, guint n_ranks, double *rank_costs)
{
  guint *rank_of = g_new (guint, MAX (n_cells, 1));
  g_autofree double *load = g_new0 (double, MAX (n_ranks, 1));

  n_ranks = MAX (n_ranks, 1);
  if (placement != NL_PLACEMENT_COST || !costs)
    {
      for (guint gid = 0; gid < n_cells; gid++)
        {
          rank_of[gid] = gid % n_ranks;
          load[gid % n_ranks] += costs ? costs[gid] : 1;
        }
    }
  else
    {
      g_autofree guint *order = g_new (guint, MAX (n_cells, 1));
      g_autofree guint *heap = g_new (guint, n_ranks);
      for (guint gid = 0; gid < n_cells; gid++)
        order[gid] = gid;
      g_qsort_with_data (order, n_cells, sizeof (guint), by_cost_desc, (gpointer) costs);
      /* all loads 0: ranks in order form a valid heap */
      for (guint r = 0; r < n_ranks; r++)
        heap[r] = r;
      for (guint i = 0; i < n_cells; i++)
        {
          guint gid = order[i], r = heap[0];
          rank_of[gid] = r;
          load[r] += costs[gid];
          heap_down (heap, n_ranks, load, 0);
        }
    }
  if (rank_costs)
    memcpy (rank_costs, load, n_ranks * sizeof (double));
  return rank_of;
}
