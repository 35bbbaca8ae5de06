#include "nl-network-private.h"

#include <math.h>

NlNetwork *
nl_network_new (void)
{
  NlNetwork *net = g_new0 (NlNetwork, 1);

  g_atomic_ref_count_init (&net->ref);
  net->strings = g_string_chunk_new (4096);
  net->pops = g_array_new (FALSE, TRUE, sizeof (NlNetPop));
  net->rules = g_ptr_array_new ();
  for (guint k = 0; k < 2; k++)
    {
      net->names[k] = g_ptr_array_new ();
      net->name_index[k] = g_hash_table_new (g_str_hash, g_str_equal);
    }
  net->cell_rules = g_ptr_array_new ();
  net->cell_funcs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  net->by_source_once = (GOnce) G_ONCE_INIT;
  net->stims = g_array_new (FALSE, TRUE, sizeof (NlNetStim));
  net->stim_value_off = g_array_new (FALSE, TRUE, sizeof (guint64));
  net->stim_values = g_array_new (FALSE, TRUE, sizeof (double));
  {
    guint64 zero = 0;
    g_array_append_val (net->stim_value_off, zero);
  }
  net->stim_conns = g_array_new (FALSE, TRUE, sizeof (NlConn));
  return net;
}

NlNetwork *
nl_network_ref (NlNetwork *net)
{
  g_atomic_ref_count_inc (&net->ref);
  return net;
}

static void
rule_free (gpointer p)
{
  NlRuleInfo *r = p;
  g_clear_pointer (&r->stim_funcs, g_ptr_array_unref);
  g_free (r->syn);
  g_free (r->loc);
  g_free (r);
}

void
nl_network_unref (NlNetwork *net)
{
  if (!net || !g_atomic_ref_count_dec (&net->ref))
    return;
  for (guint i = 0; i < net->n_chunks; i++)
    {
      NlConnChunk *c = &net->chunks[i];
      g_free (c->offset);
      g_free (c->pre);
      g_free (c->weight);
      g_free (c->delay);
      g_free (c->meta);
      g_free (c->loc);
    }
  g_free (net->chunks);
  for (guint i = 0; i < net->rules->len; i++)
    rule_free (net->rules->pdata[i]);
  g_ptr_array_free (net->rules, TRUE);
  for (guint k = 0; k < 2; k++)
    {
      g_ptr_array_free (net->names[k], TRUE);
      g_clear_pointer (&net->name_index[k], g_hash_table_unref);
    }
  for (guint c = 0; c < NL_N_COORDS; c++)
    g_free (net->coords[c]);
  g_free (net->cell_pop);
  g_ptr_array_free (net->cell_rules, TRUE);
  g_ptr_array_free (net->cell_funcs, TRUE);
  g_free (net->cell_value_off);
  g_free (net->cell_values);
  g_free (net->spk_off);
  g_free (net->spk_times);
  g_free (net->src_off);
  g_free (net->src_index);
  g_array_free (net->pops, TRUE);
  g_array_free (net->stims, TRUE);
  g_array_free (net->stim_value_off, TRUE);
  g_array_free (net->stim_values, TRUE);
  g_array_free (net->stim_conns, TRUE);
  g_string_chunk_free (net->strings);
  g_free (net);
}

const char *
nl_network_intern (NlNetwork  *net,
                   const char *s)
{
  return s ? g_string_chunk_insert_const (net->strings, s) : NULL;
}

guint
nl_network_add_name (NlNetwork  *net,
                     NlNameKind  kind,
                     const char *name)
{
  gpointer v = g_hash_table_lookup (net->name_index[kind], name);
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  const char *s = nl_network_intern (net, name);
  g_ptr_array_add (net->names[kind], (gpointer) s);
  g_hash_table_insert (net->name_index[kind], (gpointer) s, GUINT_TO_POINTER (net->names[kind]->len));
  return net->names[kind]->len - 1;
}

guint
nl_network_get_n_cells (NlNetwork *net)
{
  return net->n_cells;
}

guint
nl_network_get_n_pops (NlNetwork *net)
{
  return net->pops->len;
}

const NlNetPop *
nl_network_get_pop (NlNetwork *net,
                    guint      index)
{
  g_return_val_if_fail (index < net->pops->len, NULL);
  return &g_array_index (net->pops, NlNetPop, index);
}

int
nl_network_find_pop (NlNetwork  *net,
                     const char *name)
{
  for (guint i = 0; i < net->pops->len; i++)
    if (g_str_equal (g_array_index (net->pops, NlNetPop, i).name, name))
      return i;
  return -1;
}

guint
nl_network_cell_pop (NlNetwork *net,
                     guint      gid)
{
  g_return_val_if_fail (gid < net->n_cells, 0);
  return net->cell_pop[gid];
}

const double *
nl_network_get_coords (NlNetwork *net,
                       NlCoord    coord)
{
  g_return_val_if_fail (coord < NL_N_COORDS, NULL);
  return net->coords[coord];
}

guint
nl_network_get_n_rules (NlNetwork *net)
{
  return net->rules->len;
}

const NlNetRule *
nl_network_get_rule (NlNetwork *net,
                     guint      index)
{
  g_return_val_if_fail (index < net->rules->len, NULL);
  return &((NlRuleInfo *) net->rules->pdata[index])->pub;
}

const char *
nl_network_get_name (NlNetwork  *net,
                     NlNameKind  kind,
                     guint       index)
{
  if (kind == NL_NAME_SEC && index == NL_SEC_NONE)
    return NULL;
  g_return_val_if_fail (index < net->names[kind]->len, NULL);
  return net->names[kind]->pdata[index];
}

guint64
nl_network_get_n_conns (NlNetwork *net)
{
  return net->n_conns;
}

guint64
nl_network_conns_of_cell (NlNetwork *net,
                          guint      gid,
                          guint64   *first)
{
  const NlConnChunk *c;
  guint local;

  g_return_val_if_fail (gid < net->n_cells, 0);
  if (!net->n_chunks)
    {
      *first = 0;
      return 0;
    }
  c = &net->chunks[gid / net->chunk_posts];
  local = gid - c->first_post;
  *first = c->first_conn + c->offset[local];
  return c->offset[local + 1] - c->offset[local];
}

void
nl_network_unpack (NlNetwork         *net,
                   const NlConnChunk *c,
                   guint64            local,
                   guint              post,
                   NlConn            *conn)
{
  guint32 meta = c->meta[local];
  guint rule = meta >> (NL_META_SYN_BITS + NL_META_SEC_BITS);
  guint syn = (meta >> NL_META_SEC_BITS) & (NL_MAX_SYN - 1);
  const NlRuleInfo *ri = net->rules->pdata[rule];

  conn->pre = c->pre[local];
  conn->post = post;
  conn->weight = c->weight[local];
  conn->delay = c->delay[local];
  conn->rule = rule;
  conn->syn = ri->syn[syn];
  conn->sec = meta & (NL_MAX_SECS - 1);
  conn->loc = c->loc && isnan (ri->loc[syn]) ? c->loc[local] : ri->loc[syn];
}

void
nl_network_get_conn (NlNetwork *net,
                     guint64    index,
                     NlConn    *conn)
{
  guint lo = 0, hi = net->n_chunks;
  const NlConnChunk *c;
  guint64 local;
  guint post;

  g_return_if_fail (index < net->n_conns);
  /* The chunk holding `index`, then its post cell. */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (net->chunks[mid].first_conn <= index)
        lo = mid;
      else
        hi = mid;
    }
  while (net->chunks[lo].first_conn + net->chunks[lo].offset[net->chunks[lo].n_posts] <= index)
    lo++;
  c = &net->chunks[lo];
  local = index - c->first_conn;
  {
    guint a = 0, b = c->n_posts;
    while (b - a > 1)
      {
        guint mid = (a + b) / 2;
        if (c->offset[mid] <= local)
          a = mid;
        else
          b = mid;
      }
    post = c->first_post + a;
  }
  nl_network_unpack (net, c, local, post, conn);
}

guint
nl_network_get_n_stims (NlNetwork *net)
{
  return net->stims->len;
}

void
nl_network_get_stim (NlNetwork *net,
                     guint      index,
                     NlNetStim *stim)
{
  g_return_if_fail (index < net->stims->len);
  *stim = g_array_index (net->stims, NlNetStim, index);
}

guint64
nl_network_get_n_stim_conns (NlNetwork *net)
{
  return net->stim_conns->len;
}

void
nl_network_get_stim_conn (NlNetwork *net,
                          guint64    index,
                          NlConn    *conn)
{
  g_return_if_fail (index < net->stim_conns->len);
  *conn = g_array_index (net->stim_conns, NlConn, index);
}

guint
nl_network_get_n_cell_rules (NlNetwork *net)
{
  return net->cell_rules->len;
}

const char *
nl_network_get_cell_rule (NlNetwork *net,
                          guint      index)
{
  g_return_val_if_fail (index < net->cell_rules->len, NULL);
  return net->cell_rules->pdata[index];
}

guint
nl_network_get_n_cell_funcs (NlNetwork *net,
                             guint      cell_rule)
{
  g_return_val_if_fail (cell_rule < net->cell_funcs->len, 0);
  return ((GPtrArray *) net->cell_funcs->pdata[cell_rule])->len;
}

const char *
nl_network_get_cell_func (NlNetwork *net,
                          guint      cell_rule,
                          guint      index)
{
  g_return_val_if_fail (cell_rule < net->cell_funcs->len, NULL);
  GPtrArray *paths = net->cell_funcs->pdata[cell_rule];
  g_return_val_if_fail (index < paths->len, NULL);
  return paths->pdata[index];
}

const double *
nl_network_get_cell_values (NlNetwork *net,
                            guint      gid)
{
  g_return_val_if_fail (gid < net->n_cells, NULL);
  return net->cell_values ? net->cell_values + net->cell_value_off[gid] : NULL;
}

static gpointer
index_by_source (gpointer data)
{
  NlNetwork *net = data;
  g_autofree guint64 *fill = NULL;

  /* A counting sort of the NetCons by source; within a source they stay in target order. */
  net->src_off = g_new0 (guint64, net->n_cells + 1);
  net->src_index = g_new (guint64, MAX (net->n_conns, 1));
  for (guint c = 0; c < net->n_chunks; c++)
    {
      const NlConnChunk *ch = &net->chunks[c];
      for (guint64 i = 0; i < ch->offset[ch->n_posts]; i++)
        net->src_off[ch->pre[i] + 1]++;
    }
  for (guint g = 0; g < net->n_cells; g++)
    net->src_off[g + 1] += net->src_off[g];
  fill = g_memdup2 (net->src_off, (net->n_cells + 1) * sizeof (guint64));
  for (guint c = 0; c < net->n_chunks; c++)
    {
      const NlConnChunk *ch = &net->chunks[c];
      for (guint64 i = 0; i < ch->offset[ch->n_posts]; i++)
        net->src_index[fill[ch->pre[i]]++] = ch->first_conn + i;
    }
  return net;
}

guint64
nl_network_conns_from_cell (NlNetwork      *net,
                            guint           gid,
                            const guint64 **indices)
{
  g_return_val_if_fail (gid < net->n_cells, 0);
  g_once (&net->by_source_once, index_by_source, net);
  *indices = net->src_index + net->src_off[gid];
  return net->src_off[gid + 1] - net->src_off[gid];
}

guint
nl_network_get_n_stim_funcs (NlNetwork *net,
                             guint      rule)
{
  g_return_val_if_fail (rule < net->rules->len, 0);
  NlRuleInfo *r = net->rules->pdata[rule];
  return r->stim_funcs ? r->stim_funcs->len : 0;
}

const char *
nl_network_get_stim_func (NlNetwork *net,
                          guint      rule,
                          guint      index)
{
  g_return_val_if_fail (rule < net->rules->len, NULL);
  NlRuleInfo *r = net->rules->pdata[rule];
  g_return_val_if_fail (r->stim_funcs && index < r->stim_funcs->len, NULL);
  return r->stim_funcs->pdata[index];
}

const double *
nl_network_get_stim_values (NlNetwork *net,
                            guint      stim)
{
  g_return_val_if_fail (stim < net->stims->len, NULL);
  return &g_array_index (net->stim_values, double, g_array_index (net->stim_value_off, guint64, stim));
}

int
nl_network_find_rule (NlNetwork  *net,
                      const char *label)
{
  for (guint i = 0; i < net->rules->len; i++)
    if (g_str_equal (((NlRuleInfo *) net->rules->pdata[i])->pub.label, label))
      return i;
  return -1;
}

const double *
nl_network_get_spike_times (NlNetwork *net,
                            guint      gid,
                            guint     *n)
{
  g_return_val_if_fail (gid < net->n_cells, NULL);
  if (!net->spk_off || net->spk_off[gid + 1] == net->spk_off[gid])
    {
      *n = 0;
      return NULL;
    }
  *n = net->spk_off[gid + 1] - net->spk_off[gid];
  return net->spk_times + net->spk_off[gid];
}
