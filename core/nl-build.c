#include "nl-build-private.h"
#include "nl-spec-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (nl-build-error-quark, nl_build_error)

/* ---- lenient JSON reading ------------------------------------------------------------- */

double
nl_json_obj_number (JsonObject *o, const char *key, double fallback)
{
  double v;
  return o && nl_json_number (json_object_get_member (o, key), &v) ? v : fallback;
}

const char *
nl_json_obj_string (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ?
         json_node_get_string (n) : NULL;
}

JsonObject *
nl_json_obj_object (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

GPtrArray *
nl_build_syn_names (Build *b, JsonNode *syn)
{
  GPtrArray *names = g_ptr_array_new ();

  if (syn && JSON_NODE_HOLDS_ARRAY (syn))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (syn)); i++)
      {
        const char *s = json_array_get_string_element (json_node_get_array (syn), i);
        g_ptr_array_add (names, (gpointer) (s ? s : ""));
      }
  else if (syn && JSON_NODE_HOLDS_VALUE (syn) && json_node_get_value_type (syn) == G_TYPE_STRING)
    g_ptr_array_add (names, (gpointer) json_node_get_string (syn));
  else
    {
      /* NetPyNE's default: the first synMechParams entry. */
      JsonObject *sm = nl_json_obj_object (b->np, "synMechParams");
      g_autoptr(GList) members = sm ? json_object_get_members (sm) : NULL;
      g_ptr_array_add (names, members ? members->data : (gpointer) "");
    }
  return names;
}

void
nl_gidset_clear (GidSet *set)
{
  g_clear_pointer (&set->gids, g_free);
  set->n = 0;
}

/* ---- string functions ------------------------------------------------------------------ */

static gboolean
lookup_constant (const char *name, double *value, gpointer data)
{
  return nl_spec_lookup_constant (data, name, value);
}

NlExpr *
nl_build_compile (Build      *b,
                  JsonNode   *node,
                  NlExprCtx   ctx,
                  const char *path,
                  GError    **error)
{
  g_autoptr(GError) local = NULL;
  int offset = 0;
  NlExpr *e = nl_expr_compile (json_node_get_string (node), nl_expr_ctx_vars (ctx),
                               lookup_constant, b->spec, &offset, &local);
  if (!e)
    g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                 "%s: string function \"%s\", at character %d: %s", path,
                 json_node_get_string (node), offset + 1, local->message);
  return e;
}

/* ---- selecting cells by conds ------------------------------------------------------------ */

static const char *const coord_names[NL_N_COORDS] = { "x", "y", "z", "xnorm", "ynorm", "znorm" };

static gboolean
value_matches (JsonNode *cond, const char *str, gboolean have_num, double num)
{
  if (JSON_NODE_HOLDS_ARRAY (cond))
    {
      JsonArray *a = json_node_get_array (cond);
      for (guint i = 0; i < json_array_get_length (a); i++)
        if (value_matches (json_array_get_element (a, i), str, have_num, num))
          return TRUE;
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (cond))
    return FALSE;
  if (json_node_get_value_type (cond) == G_TYPE_STRING)
    return str && g_str_equal (json_node_get_string (cond), str);
  double d;
  return have_num && nl_json_number (cond, &d) && d == num;
}

/* Whether a population's tag `key` matches `cond`. Cells carry the tags NetPyNE copies:
 * pop, cellType, cellModel, and the popParams keys named in popTagsCopiedToCells. */
static gboolean
pop_tag_matches (Build *b, const NlNetPop *pop, JsonObject *params, const char *key, JsonNode *cond)
{
  const char *str = NULL;
  double num = 0;
  gboolean have_num = FALSE;

  if (g_str_equal (key, "pop"))
    str = pop->name;
  else if (g_str_equal (key, "cellType"))
    str = pop->cell_type;
  else if (g_str_equal (key, "cellModel"))
    str = pop->cell_model;
  else
    {
      JsonNode *copied = nl_spec_lookup (b->spec, "netParams.popTagsCopiedToCells");
      gboolean is_copied = FALSE;
      if (copied && JSON_NODE_HOLDS_ARRAY (copied))
        {
          JsonArray *a = json_node_get_array (copied);
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonNode *e = json_array_get_element (a, i);
              if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING &&
                  g_str_equal (json_node_get_string (e), key))
                is_copied = TRUE;
            }
        }
      JsonNode *v = is_copied ? json_object_get_member (params, key) : NULL;
      if (!v || !JSON_NODE_HOLDS_VALUE (v))
        return FALSE;
      if (json_node_get_value_type (v) == G_TYPE_STRING)
        str = json_node_get_string (v);
      else
        have_num = nl_json_number (v, &num);
    }
  return value_matches (cond, str, have_num, num);
}

gboolean
nl_build_select (Build      *b,
                 JsonObject *conds,
                 GidSet     *out,
                 const char *path,
                 GError    **error)
{
  NlNetwork *net = b->net;
  JsonObject *pops = nl_json_obj_object (b->np, "popParams");
  g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (guint32));
  double lo[NL_N_COORDS], hi[NL_N_COORDS];
  gboolean has_range[NL_N_COORDS] = { FALSE };
  g_autoptr(GPtrArray) tag_keys = g_ptr_array_new ();
  JsonObjectIter it;
  const char *key;
  JsonNode *cond;

  out->gids = NULL;
  out->n = 0;
  if (conds)
    {
      json_object_iter_init_ordered (&it, conds);
      while (json_object_iter_next_ordered (&it, &key, &cond))
        {
          int c = -1;
          for (int k = 0; k < NL_N_COORDS; k++)
            if (g_str_equal (key, coord_names[k]))
              c = k;
          if (c >= 0)
            {
              JsonArray *a = JSON_NODE_HOLDS_ARRAY (cond) ? json_node_get_array (cond) : NULL;
              if (!a || json_array_get_length (a) != 2 ||
                  !nl_json_number (json_array_get_element (a, 0), &lo[c]) ||
                  !nl_json_number (json_array_get_element (a, 1), &hi[c]))
                {
                  g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                               "%s.%s: expected a range [min, max]", path, key);
                  return FALSE;
                }
              has_range[c] = TRUE;
            }
          else if (!g_str_equal (key, "cellList"))
            g_ptr_array_add (tag_keys, (gpointer) key);
        }
    }

  for (guint p = 0; p < net->pops->len; p++)
    {
      const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, p);
      JsonObject *params = nl_json_obj_object (pops, pop->name);
      JsonNode *list_node = params ? json_object_get_member (params, "cellsList") : NULL;
      JsonArray *cells_list = list_node && JSON_NODE_HOLDS_ARRAY (list_node) ? json_node_get_array (list_node) : NULL;
      g_autoptr(GPtrArray) per_cell = g_ptr_array_new ();
      gboolean ok = TRUE;
      for (guint k = 0; k < tag_keys->len && ok; k++)
        {
          const char *tag = tag_keys->pdata[k];
          /* A cellsList entry's own keys are that cell's tags, over the population's. */
          gboolean listed = FALSE;
          for (guint i = 0; cells_list && !listed && i < json_array_get_length (cells_list); i++)
            {
              JsonNode *e = json_array_get_element (cells_list, i);
              listed = JSON_NODE_HOLDS_OBJECT (e) && json_object_has_member (json_node_get_object (e), tag);
            }
          if (listed)
            g_ptr_array_add (per_cell, (gpointer) tag);
          else
            ok = pop_tag_matches (b, pop, params, tag, json_object_get_member (conds, tag));
        }
      if (!ok)
        continue;
      for (guint gid = pop->first; gid < pop->first + pop->n_cells; gid++)
        {
          gboolean in = TRUE;
          for (guint k = 0; k < per_cell->len && in; k++)
            {
              const char *tag = per_cell->pdata[k];
              JsonNode *e = json_array_get_element (cells_list, gid - pop->first);
              JsonNode *v = JSON_NODE_HOLDS_OBJECT (e) ? json_object_get_member (json_node_get_object (e), tag) : NULL;
              if (v)
                {
                  double num = 0;
                  gboolean is_str = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING;
                  gboolean have_num = !is_str && nl_json_number (v, &num);
                  in = value_matches (json_object_get_member (conds, tag), is_str ? json_node_get_string (v) : NULL,
                                      have_num, num);
                }
              else
                in = pop_tag_matches (b, pop, params, tag, json_object_get_member (conds, tag));
            }
          for (int c = 0; c < NL_N_COORDS && in; c++)
            if (has_range[c])
              {
                double v = net->coords[c][gid];
                in = lo[c] <= v && v < hi[c];
              }
          if (in)
            g_array_append_val (gids, gid);
        }
    }
  out->n = gids->len;
  out->gids = (guint32 *) g_array_free (g_steal_pointer (&gids), FALSE);
  return TRUE;
}

/* ---- the build ------------------------------------------------------------------------- */

static void
cell_rule_free (gpointer p)
{
  CellRule *r = p;
  g_array_unref (r->secs);
  g_array_unref (r->sec_len);
  g_array_unref (r->sec_nseg);
  g_ptr_array_unref (r->weight_norm);
  g_ptr_array_unref (r->pt3d);
  g_array_unref (r->sec_parent);
  g_array_unref (r->sec_parent_x);
  g_array_unref (r->sec_child_x);
  g_hash_table_unref (r->sec_lists);
  g_free (r);
}

NlNetwork *
nl_build_network (NlSpec               *spec,
                  const NlBuildOptions *options,
                  GPtrArray            *problems,
                  GError              **error)
{
  static const NlBuildOptions defaults = { 0 };
  g_autoptr(GPtrArray) local_problems = NULL;
  Build b = { 0 };
  NlNetwork *net;
  JsonObject *seeds;

  g_return_val_if_fail (NL_IS_SPEC (spec), NULL);

  if (!problems)
    problems = local_problems = nl_problems_new ();
  b.spec = spec;
  b.net = net = nl_network_new ();
  b.problems = problems;
  b.options = options ? options : &defaults;
  b.np = nl_spec_get_net_params (spec);
  b.cfg = nl_spec_get_sim_config (spec);
  b.size[0] = nl_spec_get_double (spec, "netParams.sizeX", 100);
  b.size[1] = nl_spec_get_double (spec, "netParams.sizeY", 100);
  b.size[2] = nl_spec_get_double (spec, "netParams.sizeZ", 100);
  seeds = nl_json_obj_object (b.cfg, "seeds");
  b.seed_conn = (guint32) nl_json_obj_number (seeds, "conn", 1);
  b.seed_loc = (guint32) nl_json_obj_number (seeds, "loc", 1);
  b.seed_stim = (guint32) nl_json_obj_number (seeds, "stim", 1);
  b.seed_cell = (guint32) nl_json_obj_number (seeds, "cell", 1);
  b.allow_self_conns = nl_spec_get_double (spec, "simConfig.allowSelfConns", 0) != 0;
  b.allow_weight0 = nl_spec_get_double (spec, "simConfig.allowConnsWithWeight0", 1) != 0;
  b.conn_random_sec = nl_spec_get_double (spec, "simConfig.connRandomSecFromList", 1) != 0;
  b.distribute_syns = nl_spec_get_double (spec, "simConfig.distributeSynsUniformly", 1) != 0;
  b.pt3d_relative = nl_spec_get_double (spec, "simConfig.pt3dRelativeToCellLocation", 1) != 0;
  b.inverted_y = nl_spec_get_double (spec, "simConfig.invertedYCoord", 1) != 0;
  b.cell_rules = g_ptr_array_new_with_free_func (cell_rule_free);

  if (!nl_build_cells (&b, error) || !nl_build_conns (&b, error) || !nl_build_stims (&b, error))
    {
      g_ptr_array_unref (b.cell_rules);
      nl_network_unref (net);
      return NULL;
    }
  g_ptr_array_unref (b.cell_rules);
  for (guint k = 0; k < 2; k++)
    g_clear_pointer (&net->name_index[k], g_hash_table_unref);
  nl_spec_locate_problems (spec, problems, 0);
  return net;
}
