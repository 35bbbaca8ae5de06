#include "nl-build-private.h"
#include "nl-spec-private.h"

#include <math.h>

/* Stimulation (network/stim.py): every cell a stimTargetParams rule selects gets one
 * instance of its source; a NetStim or VecStim source also drives the cell through NetCons
 * (one per synMech and per synapse of synsPerConn), as NetPyNE's cell.addStim does. */

static gboolean
stim_value (Build *b, JsonObject *target, const char *key, double dflt, const char *path,
            guint slot, const double *vars, NlRng *rng, double *out, GError **error)
{
  JsonNode *n = json_object_get_member (target, key);
  g_autofree char *p = g_strconcat (path, ".", key, NULL);

  *out = dflt;
  if (!n || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (n))
    n = json_array_get_length (json_node_get_array (n)) > slot ?
        json_array_get_element (json_node_get_array (n), slot) : NULL;
  if (n && nl_json_number (n, out))
    return TRUE;
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    {
      g_autoptr(NlExpr) e = nl_build_compile (b, n, NL_CTX_STIM, p, error);
      if (!e)
        return FALSE;
      *out = nl_expr_eval (e, vars, rng);
      if (!isfinite (*out))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, "%s: the function gives %g", p, *out);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, "%s: expected a number or a string function", p);
  return FALSE;
}

gboolean
nl_build_stims (Build   *b,
                GError **error)
{
  NlNetwork *net = b->net;
  JsonObject *targets = nl_json_obj_object (b->np, "stimTargetParams");
  JsonObject *sources = nl_json_obj_object (b->np, "stimSourceParams");
  double scale = nl_spec_get_double (b->spec, "netParams.scaleConnWeightNetStims", 1);
  JsonObjectIter it;
  const char *label;
  JsonNode *node;

  if (!targets)
    return TRUE;
  json_object_iter_init_ordered (&it, targets);
  while (json_object_iter_next_ordered (&it, &label, &node))
    {
      JsonObject *t = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *path = g_strdup_printf ("stimTargetParams.%s", label);
      const char *source = nl_json_obj_string (t, "source");
      JsonObject *src = nl_json_obj_object (sources, source);
      const char *type = nl_json_obj_string (src, "type");
      JsonObject *conds = nl_json_obj_object (t, "conds");
      JsonNode *cell_list = conds ? json_object_get_member (conds, "cellList") : NULL;
      JsonNode *syn = json_object_get_member (t, "synMech");
      JsonNode *sec_node = json_object_get_member (t, "sec");
      gboolean drives = type && (g_str_equal (type, "NetStim") || g_str_equal (type, "VecStim"));
      GidSet cells = { 0 };
      NlRuleInfo *info;
      guint rule;
      g_autofree char *cond_path = g_strconcat (path, ".conds", NULL);
      g_autoptr(GPtrArray) syn_names = NULL;

      if (!t)
        continue;
      if (!src)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.source: no stimSourceParams entry named '%s'", path, source ? source : "");
          return FALSE;
        }
      if (net->rules->len >= NL_MAX_RULES)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "more than %u rules", NL_MAX_RULES);
          return FALSE;
        }
      info = g_new0 (NlRuleInfo, 1);
      info->pub.label = nl_network_intern (net, label);
      info->pub.kind = NL_RULE_STIM;
      info->pub.source = nl_network_intern (net, source);
      info->pub.source_type = nl_network_intern (net, type);
      rule = net->rules->len;
      g_ptr_array_add (net->rules, info);

      /* The source's parameters given as string functions, evaluated per stimulus. */
      g_autoptr(GPtrArray) funcs = g_ptr_array_new_with_free_func ((GDestroyNotify) nl_expr_free);
      info->stim_funcs = g_ptr_array_new ();
      {
        JsonObjectIter sit;
        const char *pname;
        JsonNode *pnode;
        json_object_iter_init_ordered (&sit, src);
        while (json_object_iter_next_ordered (&sit, &pname, &pnode))
          {
            NlExpr *e;
            g_autofree char *ppath = NULL;
            if (g_str_equal (pname, "type") || !JSON_NODE_HOLDS_VALUE (pnode) ||
                json_node_get_value_type (pnode) != G_TYPE_STRING ||
                g_str_equal (json_node_get_string (pnode), "variable"))
              continue;
            ppath = g_strdup_printf ("stimSourceParams.%s.%s", source, pname);
            e = nl_build_compile (b, pnode, NL_CTX_STIM, ppath, error);
            if (!e)
              return FALSE;
            g_ptr_array_add (funcs, e);
            g_ptr_array_add (info->stim_funcs, (gpointer) nl_network_intern (net, pname));
          }
      }

      syn_names = nl_build_syn_names (b, syn);
      info->n_syn = MIN (syn_names->len, NL_MAX_SYN);
      info->syn = g_new (guint16, MAX (info->n_syn, 1));
      info->loc = g_new (float, MAX (info->n_syn, 1));
      for (guint i = 0; i < info->n_syn; i++)
        {
          info->syn[i] = nl_network_add_name (net, NL_NAME_SYN_MECH, syn_names->pdata[i]);
          info->loc[i] = NAN;
        }

      if (!nl_build_select (b, conds, &cells, cond_path, error))
        return FALSE;
      /* cellList: positions in the sorted selection. */
      if (cell_list && JSON_NODE_HOLDS_ARRAY (cell_list))
        {
          JsonArray *a = json_node_get_array (cell_list);
          g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint32));
          g_autofree guint8 *take = g_new0 (guint8, MAX (cells.n, 1));
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              double d;
              if (!nl_json_number (json_array_get_element (a, i), &d) || d < 0 || d >= cells.n || d != floor (d))
                {
                  g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                               "%s.cellList[%u]: %s; the conditions select %u cells (indices 0 to %d)",
                               cond_path, i, "not an index of the selected cells", cells.n, (int) cells.n - 1);
                  nl_gidset_clear (&cells);
                  return FALSE;
                }
              take[(guint) d] = 1;
            }
          for (guint i = 0; i < cells.n; i++)
            if (take[i])
              g_array_append_val (kept, cells.gids[i]);
          nl_gidset_clear (&cells);
          cells.n = kept->len;
          cells.gids = (guint32 *) g_array_free (g_steal_pointer (&kept), FALSE);
        }
      if (cells.n == 0)
        nl_problems_add (b->problems, NL_SEVERITY_WARNING, cond_path, NULL,
                         "the stimulus reaches no cells");

      for (guint i = 0; i < cells.n; i++)
        {
          guint gid = cells.gids[i];
          const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, net->cell_pop[gid]);
          CellRule *cr = pop->cell_rule >= 0 ? b->cell_rules->pdata[pop->cell_rule] : NULL;
          double vars[NL_STIM_N_VARS], loc, k_d;
          NlNetStim st;
          NlRng rng;
          guint sec = cr && cr->default_sec >= 0 ? (guint) cr->default_sec : NL_SEC_NONE;

          for (int c = 0; c < 3; c++)
            {
              vars[NL_STIM_VAR_POST_X + c] = net->coords[NL_COORD_X + c][gid];
              vars[NL_STIM_VAR_POST_XNORM + c] = net->coords[NL_COORD_XNORM + c][gid];
            }
          nl_rng_init (&rng, b->seed_stim, NL_RNG_STIM | rule << 8, gid, 0);
          /* A section of this cell, the first of a section list, else the default (soma), as
           * NetPyNE falls back for a name the cell does not have. */
          if (cr && sec_node && JSON_NODE_HOLDS_VALUE (sec_node) && json_node_get_value_type (sec_node) == G_TYPE_STRING)
            {
              const char *name = json_node_get_string (sec_node);
              GArray *list = g_hash_table_lookup (cr->sec_lists, name);
              guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (net->name_index[NL_NAME_SEC], name));
              if (list && list->len)
                sec = g_array_index (list, guint, 0);
              else
                for (guint q = 0; idx && q < cr->secs->len; q++)
                  if (g_array_index (cr->secs, guint, q) == idx - 1)
                    sec = idx - 1;
            }
          if (!stim_value (b, t, "loc", 0.5, path, 0, vars, &rng, &loc, error))
            {
              nl_gidset_clear (&cells);
              return FALSE;
            }
          st.cell = gid;
          st.rule = rule;
          st.sec = sec;
          st.loc = loc;
          g_array_append_val (net->stims, st);
          for (guint f = 0; f < funcs->len; f++)
            {
              double v = nl_expr_eval (funcs->pdata[f], vars, &rng);
              if (!isfinite (v))
                {
                  g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                               "stimSourceParams.%s.%s: the function gives %g for cell %u",
                               source, (const char *) info->stim_funcs->pdata[f], v, gid);
                  nl_gidset_clear (&cells);
                  return FALSE;
                }
              g_array_append_val (net->stim_values, v);
            }
          {
            guint64 end = net->stim_values->len;
            g_array_append_val (net->stim_value_off, end);
          }
          if (!drives)
            continue;

          if (!stim_value (b, t, "synsPerConn", 1, path, 0, vars, &rng, &k_d, error))
            {
              nl_gidset_clear (&cells);
              return FALSE;
            }
          for (guint s = 0; s < info->n_syn; s++)
            for (guint k = 0; k < (isfinite (k_d) && k_d >= 0 && k_d <= 10000 ? (guint) rint (k_d) : 1); k++)
              {
                double w, d;
                NlConn c = { 0 };
                if (!stim_value (b, t, "weight", 1, path, s, vars, &rng, &w, error) ||
                    !stim_value (b, t, "delay", 1, path, s, vars, &rng, &d, error))
                  {
                    nl_gidset_clear (&cells);
                    return FALSE;
                  }
                if (d < 0)
                  {
                    g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                                 "%s.delay: %g ms for cell %u; a delay cannot be negative", path, d, gid);
                    nl_gidset_clear (&cells);
                    return FALSE;
                  }
                if (b->options->max_conns && net->stim_conns->len >= b->options->max_conns)
                  {
                    g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                                 "%s: more than %" G_GUINT64_FORMAT " stimulus connections", path,
                                 b->options->max_conns);
                    nl_gidset_clear (&cells);
                    return FALSE;
                  }
                c.pre = net->stims->len - 1;
                c.post = gid;
                c.weight = w * scale;
                c.delay = d;
                c.loc = loc;
                c.rule = rule;
                c.syn = info->syn[s];
                c.sec = sec;
                g_array_append_val (net->stim_conns, c);
              }
        }
      nl_gidset_clear (&cells);
    }
  return TRUE;
}
