/* nl-connmatrix.c — connectivity matrices (definitions in nl-connmatrix.h). */

#include "nl-connmatrix.h"

#include <string.h>

#include "nl-json.h"
#include "nl-suggest.h"

static const char *const feature_names[] = {
  "weight", "delay", "numConns", "probability", "strength", "convergence", "divergence", NULL
};

const char *
nl_conn_feature_name (NlConnFeature feature)
{
  g_return_val_if_fail ((guint) feature < G_N_ELEMENTS (feature_names) - 1, NULL);
  return feature_names[feature];
}

gboolean
nl_conn_feature_from_name (const char *name, NlConnFeature *feature, GError **error)
{
  const char *hint;

  for (guint i = 0; name && feature_names[i]; i++)
    if (g_str_equal (name, feature_names[i]))
      {
        *feature = (NlConnFeature) i;
        return TRUE;
      }
  hint = name ? nl_suggest (name, feature_names, -1) : NULL;
  if (hint)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "unknown connectivity feature '%s'; did you mean '%s'?", name, hint);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "unknown connectivity feature '%s'; expected one of weight, delay, numConns, "
                 "probability, strength, convergence, divergence", name ? name : "(none)");
  return FALSE;
}

void
nl_conn_matrix_free (NlConnMatrix *m)
{
  if (!m)
    return;
  g_strfreev (m->pre_labels);
  g_strfreev (m->post_labels);
  g_free (m->pre_gids);
  g_free (m->post_gids);
  g_free (m->values);
  g_free (m);
}

/* A presynaptic or postsynaptic group: a population, or a stimulus source. */
typedef struct {
  const char *label;
  int         pop;      /* population index, -1 for a source */
  guint       n_cells;
} Group;

static gboolean
is_netcon_source (const NlNetRule *rule)
{
  return rule->kind == NL_RULE_STIM && rule->source && rule->source_type
         && (g_str_equal (rule->source_type, "NetStim") || g_str_equal (rule->source_type, "VecStim"));
}

/* The stimulus sources that drive cells through NetCons, in rule order, once each. */
static GPtrArray *
stim_sources (NlNetwork *net)
{
  GPtrArray *a = g_ptr_array_new ();
  for (guint r = 0; r < nl_network_get_n_rules (net); r++)
    {
      const NlNetRule *rule = nl_network_get_rule (net, r);
      gboolean seen = FALSE;
      if (!is_netcon_source (rule))
        continue;
      for (guint k = 0; k < a->len && !seen; k++)
        seen = g_str_equal (a->pdata[k], rule->source);
      if (!seen)
        g_ptr_array_add (a, (gpointer) rule->source);
    }
  return a;
}

static void
unknown_name (const char *what, const char *name, GPtrArray *candidates, GError **error)
{
  const char *hint;
  g_ptr_array_add (candidates, NULL);
  hint = nl_suggest (name, (const char *const *) candidates->pdata, -1);
  if (hint)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "unknown %s '%s'; did you mean '%s'?", what, name, hint);
  else
    {
      g_autofree char *all = g_strjoinv (", ", (char **) candidates->pdata);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown %s '%s'; the network has: %s", what, name, all);
    }
  g_ptr_array_remove_index (candidates, candidates->len - 1);
}

/* The groups named in `names` (NULL: all), populations in the network's order (those without
 * cells left out, as NetPyNE), then sources when `sources` is not NULL. */
static GArray *
select_groups (NlNetwork         *net,
               const char *const *names,
               GPtrArray         *sources,
               gboolean           post,
               GError           **error)
{
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  guint n_pops = nl_network_get_n_pops (net);

  for (guint p = 0; p < n_pops; p++)
    g_ptr_array_add (known, (gpointer) nl_network_get_pop (net, p)->name);
  for (guint i = 0; names && names[i]; i++)
    {
      gboolean found = FALSE;
      for (guint p = 0; p < n_pops && !found; p++)
        found = g_str_equal (names[i], nl_network_get_pop (net, p)->name);
      for (guint s = 0; sources && s < sources->len && !found; s++)
        found = g_str_equal (names[i], sources->pdata[s]);
      if (!found)
        {
          if (post)
            {
              g_autoptr(GPtrArray) all = stim_sources (net);
              for (guint s = 0; s < all->len; s++)
                if (g_str_equal (names[i], all->pdata[s]))
                  {
                    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                 "'%s' is a stimulus source: it can only be presynaptic", names[i]);
                    return NULL;
                  }
            }
          for (guint s = 0; sources && s < sources->len; s++)
            g_ptr_array_add (known, sources->pdata[s]);
          unknown_name (post ? "postsynaptic population" : "presynaptic population or source",
                        names[i], known, error);
          return NULL;
        }
    }
  for (guint p = 0; p < n_pops; p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      Group g = { pop->name, (int) p, pop->n_cells };
      if (pop->n_cells == 0 || (names && !g_strv_contains (names, pop->name)))
        continue;
      g_array_append_val (groups, g);
    }
  for (guint s = 0; sources && s < sources->len; s++)
    {
      Group g = { sources->pdata[s], -1, 0 };
      if (names && !g_strv_contains (names, g.label))
        continue;
      g_array_append_val (groups, g);
    }
  return g_steal_pointer (&groups);
}

typedef struct {
  const char *const *syn_mechs;
  guint8            *syn_ok;   /* per synMech index: 0 not yet looked up, 1 counted, 2 not */
} SynFilter;

static gboolean
syn_counts (NlNetwork *net, SynFilter *f, guint16 syn)
{
  if (!f->syn_mechs)
    return TRUE;
  if (!f->syn_ok[syn])
    {
      const char *name = nl_network_get_name (net, NL_NAME_SYN_MECH, syn);
      f->syn_ok[syn] = name && g_strv_contains (f->syn_mechs, name) ? 1 : 2;
    }
  return f->syn_ok[syn] == 1;
}

NlConnMatrix *
nl_conn_matrix_new (NlNetwork                 *net,
                    const NlConnMatrixOptions *opt,
                    GError                   **error)
{
  static const NlConnMatrixOptions defaults = { NL_CONN_GROUP_POP, NL_CONN_STRENGTH, NULL, NULL,
                                                FALSE, FALSE, NULL };
  gboolean by_cell;
  guint n_cells = nl_network_get_n_cells (net);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GArray) pre = NULL;
  g_autoptr(GArray) post = NULL;
  g_autofree int *row_of = NULL;        /* per gid */
  g_autofree int *col_of = NULL;        /* per gid */
  g_autofree int *row_of_rule = NULL;   /* per rule: a source's row */
  g_autofree guint32 *seen = NULL;      /* unique_pre: per pre gid, the post gid + 1 last seen */
  g_autofree double *count = NULL, *wsum = NULL, *dsum = NULL;
  g_autofree guint8 *syn_ok = NULL;
  SynFilter filter;
  NlConnMatrix *m;
  guint n_pre, n_post;

  g_return_val_if_fail (net != NULL, NULL);
  if (!opt)
    opt = &defaults;
  by_cell = opt->group_by == NL_CONN_GROUP_CELL;
  if ((guint) opt->feature >= G_N_ELEMENTS (feature_names) - 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown connectivity feature %d",
                   (int) opt->feature);
      return NULL;
    }
  if (by_cell && opt->feature != NL_CONN_WEIGHT && opt->feature != NL_CONN_DELAY
      && opt->feature != NL_CONN_NUM_CONNS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "feature '%s' needs groups of cells; a matrix by cell has weight, delay and "
                   "numConns (group by population for %s)",
                   feature_names[opt->feature], feature_names[opt->feature]);
      return NULL;
    }

  if (!by_cell && (!opt->skip_stims || opt->pre_pops))
    sources = stim_sources (net);
  pre = select_groups (net, opt->pre_pops, sources, FALSE, error);
  if (!pre)
    return NULL;
  post = select_groups (net, opt->post_pops, NULL, TRUE, error);
  if (!post)
    return NULL;

  /* rows and columns: one per group, or one per cell of the groups */
  row_of = g_new (int, n_cells ? n_cells : 1);
  col_of = g_new (int, n_cells ? n_cells : 1);
  for (guint c = 0; c < n_cells; c++)
    row_of[c] = col_of[c] = -1;
  row_of_rule = g_new (int, nl_network_get_n_rules (net) + 1);
  for (guint r = 0; r < nl_network_get_n_rules (net); r++)
    row_of_rule[r] = -1;
  n_pre = n_post = 0;
  for (guint k = 0; k < pre->len; k++)
    {
      const Group *g = &g_array_index (pre, Group, k);
      if (g->pop >= 0)
        {
          const NlNetPop *pop = nl_network_get_pop (net, g->pop);
          for (guint c = 0; c < pop->n_cells; c++)
            row_of[pop->first + c] = (int) (by_cell ? n_pre++ : k);
        }
      else
        for (guint r = 0; r < nl_network_get_n_rules (net); r++)
          if (is_netcon_source (nl_network_get_rule (net, r))
              && g_str_equal (nl_network_get_rule (net, r)->source, g->label))
            row_of_rule[r] = (int) k;
    }
  for (guint k = 0; k < post->len; k++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, g_array_index (post, Group, k).pop);
      for (guint c = 0; c < pop->n_cells; c++)
        col_of[pop->first + c] = (int) (by_cell ? n_post++ : k);
    }
  if (!by_cell)
    {
      n_pre = pre->len;
      n_post = post->len;
    }
  if ((guint64) n_pre * n_post > NL_CONN_MATRIX_MAX_ENTRIES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a matrix of %u × %u cells is larger than %u entries; select fewer "
                   "populations or group by population", n_pre, n_post, NL_CONN_MATRIX_MAX_ENTRIES);
      return NULL;
    }

  /* only the sums the feature needs (a by-cell matrix can be hundreds of MB each); the
   * counts become the values */
  count = g_new0 (double, (gsize) n_pre * n_post + 1);
  if (opt->feature == NL_CONN_WEIGHT || opt->feature == NL_CONN_STRENGTH)
    wsum = g_new0 (double, (gsize) n_pre * n_post + 1);
  if (opt->feature == NL_CONN_DELAY)
    dsum = g_new0 (double, (gsize) n_pre * n_post + 1);
  syn_ok = g_new0 (guint8, 65536);
  filter.syn_mechs = opt->syn_mechs;
  filter.syn_ok = syn_ok;
  if (opt->unique_pre)
    seen = g_new0 (guint32, n_cells ? n_cells : 1);

  /* cell → cell NetCons, walked by postsynaptic cell as NetPyNE walks cell.conns */
  for (guint c = 0; c < n_cells; c++)
    {
      guint64 first, n;
      if (col_of[c] < 0)
        continue;
      n = nl_network_conns_of_cell (net, c, &first);
      for (guint64 k = 0; k < n; k++)
        {
          NlConn conn;
          gsize at;
          nl_network_get_conn (net, first + k, &conn);
          if (conn.pre >= n_cells)
            continue;
          if (seen)
            {
              if (seen[conn.pre] == c + 1)
                continue;
              seen[conn.pre] = c + 1;
            }
          if (!syn_counts (net, &filter, conn.syn) || row_of[conn.pre] < 0)
            continue;
          at = (gsize) row_of[conn.pre] * n_post + col_of[c];
          count[at] += 1;
          if (wsum)
            wsum[at] += conn.weight;
          if (dsum)
            dsum[at] += conn.delay;
        }
    }
  /* NetStim/VecStim → cell NetCons: each NetStim (one stimulus instance) is its own source */
  if (!by_cell && sources && sources->len > 0)
    {
      g_autofree guint8 *stim_seen = opt->unique_pre ? g_new0 (guint8, nl_network_get_n_stims (net) + 1) : NULL;
      for (guint64 k = 0; k < nl_network_get_n_stim_conns (net); k++)
        {
          NlConn conn;
          NlNetStim st;
          gsize at;
          nl_network_get_stim_conn (net, k, &conn);
          if (conn.post >= n_cells || col_of[conn.post] < 0 || conn.pre >= nl_network_get_n_stims (net))
            continue;
          if (stim_seen)
            {
              if (stim_seen[conn.pre])
                continue;
              stim_seen[conn.pre] = 1;
            }
          nl_network_get_stim (net, conn.pre, &st);
          if (!syn_counts (net, &filter, conn.syn) || row_of_rule[st.rule] < 0)
            continue;
          at = (gsize) row_of_rule[st.rule] * n_post + col_of[conn.post];
          count[at] += 1;
          if (wsum)
            wsum[at] += conn.weight;
          if (dsum)
            dsum[at] += conn.delay;
        }
    }

  m = g_new0 (NlConnMatrix, 1);
  m->group_by = opt->group_by;
  m->feature = opt->feature;
  m->n_pre = n_pre;
  m->n_post = n_post;
  m->values = g_steal_pointer (&count);
  m->pre_labels = g_new0 (char *, n_pre + 1);
  m->post_labels = g_new0 (char *, n_post + 1);
  if (by_cell)
    {
      m->pre_gids = g_new (guint32, n_pre + 1);
      m->post_gids = g_new (guint32, n_post + 1);
      for (guint c = 0; c < n_cells; c++)
        {
          if (row_of[c] >= 0)
            {
              m->pre_gids[row_of[c]] = c;
              m->pre_labels[row_of[c]] = g_strdup_printf ("%u", c);
            }
          if (col_of[c] >= 0)
            {
              m->post_gids[col_of[c]] = c;
              m->post_labels[col_of[c]] = g_strdup_printf ("%u", c);
            }
        }
    }
  else
    {
      for (guint i = 0; i < n_pre; i++)
        m->pre_labels[i] = g_strdup (g_array_index (pre, Group, i).label);
      for (guint j = 0; j < n_post; j++)
        m->post_labels[j] = g_strdup (g_array_index (post, Group, j).label);
    }

  for (guint i = 0; i < n_pre; i++)
    for (guint j = 0; j < n_post; j++)
      {
        gsize at = (gsize) i * n_post + j;
        double np = by_cell ? 1 : g_array_index (post, Group, j).n_cells;
        /* a source has one NetStim per postsynaptic cell */
        double nq = by_cell ? 1 : g_array_index (pre, Group, i).pop >= 0
                                  ? g_array_index (pre, Group, i).n_cells : np;
        double n = m->values[at], v = 0;
        switch (opt->feature)
          {
          case NL_CONN_WEIGHT:
            v = n > 0 ? wsum[at] / n : 0;
            break;
          case NL_CONN_DELAY:
            v = n > 0 ? dsum[at] / n : 0;
            break;
          case NL_CONN_NUM_CONNS:
            v = n;
            break;
          case NL_CONN_PROBABILITY:
            v = nq * np > 0 ? n / (nq * np) : 0;
            break;
          case NL_CONN_STRENGTH:
            v = nq * np > 0 ? n / (nq * np) * wsum[at] : 0;
            break;
          case NL_CONN_CONVERGENCE:
            v = np > 0 ? n / np : 0;
            break;
          case NL_CONN_DIVERGENCE:
            v = nq > 0 ? n / nq : 0;
            break;
          }
        m->values[at] = v;
      }
  return m;
}

/* RFC 4180: a label with a comma, quote or line break goes in quotes, quotes doubled. */
static void
append_field (GString *out, const char *s)
{
  if (!strpbrk (s, ",\"\r\n"))
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

gboolean
nl_conn_matrix_write_csv (const NlConnMatrix *m,
                          GOutputStream      *out,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GString) text = g_string_new ("pre");

  for (guint j = 0; j < m->n_post; j++)
    {
      g_string_append_c (text, ',');
      append_field (text, m->post_labels[j]);
    }
  g_string_append_c (text, '\n');
  for (guint i = 0; i < m->n_pre; i++)
    {
      append_field (text, m->pre_labels[i]);
      for (guint j = 0; j < m->n_post; j++)
        {
          char buf[32];
          nl_json_format_double (buf, m->values[(gsize) i * m->n_post + j]);
          g_string_append_c (text, ',');
          g_string_append (text, buf);
        }
      g_string_append_c (text, '\n');
      /* a by-cell matrix can be large: hand it over a piece at a time */
      if (text->len > 1 << 16)
        {
          if (!g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error))
            return FALSE;
          g_string_truncate (text, 0);
        }
    }
  return g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);
}

JsonNode *
nl_conn_matrix_to_json (const NlConnMatrix *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "feature");
  json_builder_add_string_value (b, feature_names[m->feature]);
  json_builder_set_member_name (b, "group_by");
  json_builder_add_string_value (b, m->group_by == NL_CONN_GROUP_CELL ? "cell" : "pop");
  json_builder_set_member_name (b, "pre");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->n_pre; i++)
    json_builder_add_string_value (b, m->pre_labels[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "post");
  json_builder_begin_array (b);
  for (guint j = 0; j < m->n_post; j++)
    json_builder_add_string_value (b, m->post_labels[j]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->n_pre; i++)
    {
      json_builder_begin_array (b);
      for (guint j = 0; j < m->n_post; j++)
        json_builder_add_double_value (b, m->values[(gsize) i * m->n_post + j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
