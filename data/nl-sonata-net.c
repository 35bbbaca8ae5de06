#include "nl-sonata-net.h"
#include "nl-sonata-out.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <nl-json.h>
#include <string.h>

/* Writing a built network as a SONATA circuit; the layout is described in nl-sonata-net.h. */

#define CHUNK_EDGES (1u << 18)
#define TYPE_BASE   100u

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */

static char *
safe_name (const char *s)
{
  char *r = g_strdup (s && *s ? s : "_");
  for (char *p = r; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      *p = '_';
  if (r[0] == '.')
    r[0] = '_';
  return r;
}

/* `base`, or base_2, base_3 … when taken; the result is recorded as taken. */
static char *
unique_name (GHashTable *taken, const char *base)
{
  char *name = g_strdup (base);
  for (guint k = 2; g_hash_table_contains (taken, name); k++)
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", base, k);
    }
  g_hash_table_add (taken, g_strdup (name));
  return name;
}

/* A CSV field as SONATA's dialect wants it: NONE when empty, quoted when it has spaces. */
static void
csv_field (GString *s, const char *v, gboolean last)
{
  if (!v || !*v)
    g_string_append (s, "NONE");
  else if (strpbrk (v, " \t\"\n"))
    {
      g_string_append_c (s, '"');
      for (const char *p = v; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *p == '\n' ? ' ' : *p);
        }
      g_string_append_c (s, '"');
    }
  else
    g_string_append (s, v);
  g_string_append_c (s, last ? '\n' : ' ');
}

/* ------------------------------------------------------------------------------------------ */
/* Node populations                                                                            */

typedef struct {
  char       *name;        /* SONATA population name (safe) */
  const char *label;       /* NetPyNE population or stimulus source */
  int         pop;         /* network population, or -1 for a stimulus source */
  guint       n_nodes;
  const char *model_type, *cell_model, *cell_type;
  char       *model_template;
  gint32     *sec_id;      /* population with sections: section name index → id in its rule */
  guint       n_sec_id;
} NodePop;

static JsonObject *
obj_member (JsonObject *o, const char *name)
{
  JsonNode *n = o && name ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
str_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

/* `n_names`: section names the connections use (indices below it). */
static void
describe_pop (NlSpec *spec, NlNetwork *net, NodePop *np, guint n_names)
{
  const NlNetPop *pop = nl_network_get_pop (net, np->pop);
  np->cell_model = pop->cell_model;
  np->cell_type = pop->cell_type;
  if (pop->artificial)
    {
      const char *m = pop->cell_model ? pop->cell_model : "";
      gboolean source = g_str_equal (m, "NetStim") || g_str_equal (m, "VecStim");
      np->model_type = source ? "virtual" : "point_process";
      np->model_template = g_strdup_printf ("nrn:%s", m);
      return;
    }
  np->model_type = "biophysical";
  const char *rule = pop->cell_rule >= 0 ? nl_network_get_cell_rule (net, pop->cell_rule) : NULL;
  JsonObject *secs = obj_member (obj_member (obj_member (nl_spec_get_net_params (spec), "cellParams"), rule), "secs");
  /* A cell rule whose section holds a point process (Izhikevich) is a point neuron. */
  if (secs)
    {
      JsonObjectIter it;
      const char *sec_name;
      JsonNode *sec_node;
      np->n_sec_id = n_names;
      np->sec_id = g_new (gint32, MAX (n_names, 1));
      for (guint i = 0; i < n_names; i++)
        np->sec_id[i] = -1;
      gint32 id = 0;
      json_object_iter_init_ordered (&it, secs);
      while (json_object_iter_next_ordered (&it, &sec_name, &sec_node))
        {
          for (guint i = 0; i < n_names; i++)
            if (g_str_equal (nl_network_get_name (net, NL_NAME_SEC, i), sec_name))
              np->sec_id[i] = id;
          id++;
          JsonObject *pps = JSON_NODE_HOLDS_OBJECT (sec_node)
                            ? obj_member (json_node_get_object (sec_node), "pointps") : NULL;
          if (pps && json_object_get_size (pps) > 0 && !np->model_template)
            {
              GList *l = json_object_get_values (pps);
              const char *mod = JSON_NODE_HOLDS_OBJECT (l->data) ? str_member (json_node_get_object (l->data), "mod") : NULL;
              g_list_free (l);
              np->model_type = "point_process";
              np->model_template = g_strdup_printf ("nrn:%s", mod ? mod : "");
            }
        }
    }
  if (!np->model_template)
    np->model_template = g_strdup_printf ("netpyne:%s", rule ? rule : "");
}

static gboolean
write_nodes (NlFileSet *set, NlNetwork *net, const NodePop *np, guint type_id, GError **error)
{
  g_autofree char *h5name = g_strdup_printf ("%s_nodes.h5", np->name);
  g_autofree char *csvname = g_strdup_printf ("%s_node_types.csv", np->name);
  const char *tmp = nl_file_set_add (set, h5name, error);
  guint n = np->n_nodes;
  gboolean ok = FALSE;
  hid_t file, nodes = -1, pop = -1, grp = -1;

  if (!tmp)
    return FALSE;
  file = nl_sonata_h5_create (tmp);
  if (file < 0)
    return nl_h5_fail (error, h5name, "the HDF5 file");
  g_autofree guint64 *ids = g_new (guint64, MAX (n, 1));
  g_autofree guint64 *types = g_new (guint64, MAX (n, 1));
  g_autofree guint32 *groups = g_new0 (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      ids[i] = i;
      types[i] = type_id;
    }
  nodes = H5Gcreate2 (file, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  pop = nodes >= 0 ? H5Gcreate2 (nodes, np->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
  grp = pop >= 0 ? H5Gcreate2 (pop, "0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
  ok = grp >= 0
       && nl_h5_write_whole (pop, "node_id", H5T_STD_U64LE, H5T_NATIVE_UINT64, n, 1, ids)
       && nl_h5_write_whole (pop, "node_type_id", H5T_STD_U64LE, H5T_NATIVE_UINT64, n, 1, types)
       && nl_h5_write_whole (pop, "node_group_id", H5T_STD_U32LE, H5T_NATIVE_UINT32, n, 1, groups)
       && nl_h5_write_whole (pop, "node_group_index", H5T_STD_U64LE, H5T_NATIVE_UINT64, n, 1, ids);
  if (ok && np->pop >= 0)
    {
      guint first = nl_network_get_pop (net, np->pop)->first;
      ok = nl_h5_write_whole (grp, "x", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, 1, nl_network_get_coords (net, NL_COORD_X) + first)
           && nl_h5_write_whole (grp, "y", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, 1, nl_network_get_coords (net, NL_COORD_Y) + first)
           && nl_h5_write_whole (grp, "z", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, 1, nl_network_get_coords (net, NL_COORD_Z) + first);
    }
  if (grp >= 0) H5Gclose (grp);
  if (pop >= 0) H5Gclose (pop);
  if (nodes >= 0) H5Gclose (nodes);
  if (!nl_h5_finish (file, ok, tmp, h5name, error))
    return FALSE;

  g_autoptr(GString) csv = g_string_new ("node_type_id model_type model_template model_name pop_name cell_type cell_model\n");
  g_string_append_printf (csv, "%u ", type_id);
  csv_field (csv, np->model_type, FALSE);
  csv_field (csv, np->model_template, FALSE);
  csv_field (csv, np->cell_type ? np->cell_type : np->label, FALSE);
  csv_field (csv, np->label, FALSE);
  csv_field (csv, np->cell_type, FALSE);
  csv_field (csv, np->cell_model, TRUE);
  return nl_file_set_write_text (set, csvname, csv, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Edge populations                                                                            */

typedef struct {
  NlSpec     *spec;
  NlNetwork  *net;
  NlFileSet     set;
  guint       n_syn;
  const char **mods;        /* per synMech name index: its mod, or NULL */
  char      **syn_files;    /* per synMech name index: its dynamics_params file, or NULL */
  guint64    *scratch;      /* CHUNK_EDGES */
  guint16    *zeros;        /* CHUNK_EDGES */
  GHashTable *taken_edges;  /* edge file stems */
  GPtrArray  *edge_stems;   /* written, for circuit_config.json */
} Ctx;

/* The edges of one (source population, target population) pair, streamed by target. */
typedef struct {
  const NodePop *src, *dst;
  char          *name;        /* file stem */
  guint64        n_edges, at;
  const char    *tmp;
  char          *h5name;
  hid_t          file, pop, grp;
  hid_t          ds[9];
  gboolean       has_secs;
  guint          n_buf;
  guint64       *b_src, *b_dst;
  guint32       *b_type;
  float         *b_w, *b_d, *b_pos;
  gint32        *b_sec;
  /* source_to_target: a run starts wherever the source changes within a target's edges */
  GArray        *run_src;     /* guint32 */
  GArray        *run_start;   /* guint64 */
  GArray        *tgt_ranges;  /* guint64 pairs, one per target with edges */
  guint64       *tgt_node;    /* n_dst × 2 */
  GHashTable    *types;       /* edge type ids used */
  guint          last_type;   /* the last one added to `types` (most edges repeat it) */
  gboolean       failed;
} EdgeOut;

enum { DS_SRC, DS_DST, DS_TYPE, DS_GID, DS_GIDX, DS_W, DS_D, DS_SEC, DS_POS };

static void
edge_free (EdgeOut *e)
{
  for (guint i = 0; i < G_N_ELEMENTS (e->ds); i++)
    if (e->ds[i] >= 0)
      H5Dclose (e->ds[i]);
  if (e->grp >= 0)
    H5Gclose (e->grp);
  if (e->pop >= 0)
    H5Gclose (e->pop);
  if (e->file >= 0)
    H5Fclose (e->file);
  g_free (e->name);
  g_free (e->h5name);
  g_free (e->b_src);
  g_free (e->b_dst);
  g_free (e->b_type);
  g_free (e->b_w);
  g_free (e->b_d);
  g_free (e->b_pos);
  g_free (e->b_sec);
  if (e->run_src)
    g_array_unref (e->run_src);
  if (e->run_start)
    g_array_unref (e->run_start);
  if (e->tgt_ranges)
    g_array_unref (e->tgt_ranges);
  g_free (e->tgt_node);
  if (e->types)
    g_hash_table_unref (e->types);
  g_free (e);
}

static EdgeOut *
edge_open (Ctx *ctx, const NodePop *src, const NodePop *dst, guint64 n, GError **error)
{
  EdgeOut *e = g_new0 (EdgeOut, 1);
  g_autofree char *pname = g_strdup_printf ("%s_to_%s", src->name, dst->name);
  e->file = e->pop = e->grp = -1;
  for (guint i = 0; i < G_N_ELEMENTS (e->ds); i++)
    e->ds[i] = -1;
  e->src = src;
  e->dst = dst;
  e->n_edges = n;
  e->has_secs = dst->sec_id != NULL;
  {
    g_autofree char *stem = g_strdup_printf ("%s_%s", src->name, dst->name);
    e->name = unique_name (ctx->taken_edges, stem);
  }
  e->h5name = g_strdup_printf ("%s_edges.h5", e->name);
  e->tmp = nl_file_set_add (&ctx->set, e->h5name, error);
  if (!e->tmp)
    goto fail;
  e->file = nl_sonata_h5_create (e->tmp);
  if (e->file < 0)
    {
      nl_h5_fail (error, e->h5name, "the HDF5 file");
      goto fail;
    }
  hid_t edges = H5Gcreate2 (e->file, "edges", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  e->pop = edges >= 0 ? H5Gcreate2 (edges, pname, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
  if (edges >= 0)
    H5Gclose (edges);
  e->grp = e->pop >= 0 ? H5Gcreate2 (e->pop, "0", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
  if (e->grp < 0)
    {
      nl_h5_fail (error, e->h5name, "the edge population");
      goto fail;
    }
  e->ds[DS_SRC] = nl_h5_create_ds (e->pop, "source_node_id", H5T_STD_U64LE, n, 1);
  e->ds[DS_DST] = nl_h5_create_ds (e->pop, "target_node_id", H5T_STD_U64LE, n, 1);
  e->ds[DS_TYPE] = nl_h5_create_ds (e->pop, "edge_type_id", H5T_STD_U32LE, n, 1);
  e->ds[DS_GID] = nl_h5_create_ds (e->pop, "edge_group_id", H5T_STD_U16LE, n, 1);
  e->ds[DS_GIDX] = nl_h5_create_ds (e->pop, "edge_group_index", H5T_STD_U64LE, n, 1);
  e->ds[DS_W] = nl_h5_create_ds (e->grp, "syn_weight", H5T_IEEE_F32LE, n, 1);
  e->ds[DS_D] = nl_h5_create_ds (e->grp, "delay", H5T_IEEE_F32LE, n, 1);
  if (e->has_secs)
    {
      e->ds[DS_SEC] = nl_h5_create_ds (e->grp, "afferent_section_id", H5T_STD_I32LE, n, 1);
      e->ds[DS_POS] = nl_h5_create_ds (e->grp, "afferent_section_pos", H5T_IEEE_F32LE, n, 1);
    }
  for (guint i = 0; i < (e->has_secs ? 9u : 7u); i++)
    if (e->ds[i] < 0)
      {
        nl_h5_fail (error, e->h5name, "the edge datasets");
        goto fail;
      }
  if (nl_h5_string_attr (e->ds[DS_SRC], "node_population", src->name) < 0
      || nl_h5_string_attr (e->ds[DS_DST], "node_population", dst->name) < 0)
    {
      nl_h5_fail (error, e->h5name, "the node_population attributes");
      goto fail;
    }
  guint b = (guint) MIN (n, CHUNK_EDGES);
  e->b_src = g_new (guint64, b);
  e->b_dst = g_new (guint64, b);
  e->b_type = g_new (guint32, b);
  e->b_w = g_new (float, b);
  e->b_d = g_new (float, b);
  e->b_pos = g_new (float, b);
  e->b_sec = g_new (gint32, b);
  e->run_src = g_array_new (FALSE, FALSE, sizeof (guint32));
  e->run_start = g_array_new (FALSE, FALSE, sizeof (guint64));
  e->tgt_ranges = g_array_new (FALSE, FALSE, sizeof (guint64));
  e->tgt_node = g_new0 (guint64, 2 * (gsize) MAX (dst->n_nodes, 1));
  e->types = g_hash_table_new (NULL, NULL);
  return e;
fail:
  edge_free (e);
  return NULL;
}

static gboolean
edge_flush (Ctx *ctx, EdgeOut *e)
{
  guint n = e->n_buf;
  guint64 at = e->at - n;
  if (n == 0 || e->failed)
    return !e->failed;
  for (guint i = 0; i < n; i++)
    ctx->scratch[i] = at + i;
  gboolean ok = nl_h5_write_slab (e->ds[DS_SRC], H5T_NATIVE_UINT64, at, n, 1, e->b_src)
                && nl_h5_write_slab (e->ds[DS_DST], H5T_NATIVE_UINT64, at, n, 1, e->b_dst)
                && nl_h5_write_slab (e->ds[DS_TYPE], H5T_NATIVE_UINT32, at, n, 1, e->b_type)
                && nl_h5_write_slab (e->ds[DS_GID], H5T_NATIVE_UINT16, at, n, 1, ctx->zeros)
                && nl_h5_write_slab (e->ds[DS_GIDX], H5T_NATIVE_UINT64, at, n, 1, ctx->scratch)
                && nl_h5_write_slab (e->ds[DS_W], H5T_NATIVE_FLOAT, at, n, 1, e->b_w)
                && nl_h5_write_slab (e->ds[DS_D], H5T_NATIVE_FLOAT, at, n, 1, e->b_d)
                && (!e->has_secs || (nl_h5_write_slab (e->ds[DS_SEC], H5T_NATIVE_INT32, at, n, 1, e->b_sec)
                                     && nl_h5_write_slab (e->ds[DS_POS], H5T_NATIVE_FLOAT, at, n, 1, e->b_pos)));
  e->n_buf = 0;
  e->failed = !ok || nl_h5_write_failed ();
  return !e->failed;
}

/* The edges onto one target node, ordered by source (NlConn.pre = source node id). */
static gboolean
edge_add_target (Ctx *ctx, EdgeOut *e, guint64 target, const NlConn *c, guint n)
{
  if (n == 0)
    return TRUE;
  if (e->at + n > e->n_edges)
    return !(e->failed = TRUE);
  guint64 pair[2] = { e->at, e->at + n };
  e->tgt_node[2 * target] = e->tgt_ranges->len / 2;
  e->tgt_node[2 * target + 1] = e->tgt_ranges->len / 2 + 1;
  g_array_append_vals (e->tgt_ranges, pair, 2);
  for (guint i = 0; i < n; i++)
    {
      if (i == 0 || c[i].pre != c[i - 1].pre)
        {
          guint32 s = c[i].pre;
          guint64 at = e->at;
          g_array_append_val (e->run_src, s);
          g_array_append_val (e->run_start, at);
        }
      guint k = e->n_buf++;
      guint type = TYPE_BASE + (guint) c[i].rule * ctx->n_syn + c[i].syn;
      e->b_src[k] = c[i].pre;
      e->b_dst[k] = target;
      e->b_type[k] = type;
      e->b_w[k] = c[i].weight;
      e->b_d[k] = c[i].delay;
      e->b_pos[k] = c[i].loc;
      e->b_sec[k] = c[i].sec == NL_SEC_NONE || !e->dst->sec_id || c[i].sec >= e->dst->n_sec_id
                    ? -1 : e->dst->sec_id[c[i].sec];
      if (type != e->last_type)
        g_hash_table_add (e->types, GUINT_TO_POINTER (type));
      e->last_type = type;
      e->at++;
      if (e->n_buf == CHUNK_EDGES && !edge_flush (ctx, e))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_index (hid_t pop, const char *name, const guint64 *node_ranges, guint64 n_nodes,
             const guint64 *edge_ranges, guint64 n_ranges)
{
  hid_t g = H5Gcreate2 (pop, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return FALSE;
  /* BMTK names it node_id_to_range, libsonata and the spec node_id_to_ranges: both, one
   * dataset. */
  gboolean ok = nl_h5_write_whole (g, "node_id_to_range", H5T_STD_U64LE, H5T_NATIVE_UINT64, n_nodes, 2, node_ranges)
                && nl_h5_write_whole (g, "range_to_edge_id", H5T_STD_U64LE, H5T_NATIVE_UINT64, n_ranges, 2, edge_ranges)
                && H5Lcreate_hard (g, "node_id_to_range", g, "node_id_to_ranges", H5P_DEFAULT, H5P_DEFAULT) >= 0;
  return H5Gclose (g) >= 0 && ok;
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

/* Writes the indices, closes and syncs the file, writes the edge types; frees `e`. */
static gboolean
edge_close (Ctx *ctx, EdgeOut *e, GError **error)
{
  gboolean ok = edge_flush (ctx, e) && e->at == e->n_edges;

  if (ok)
    {
      /* source_to_target: the runs grouped by source, in edge order within a source. */
      guint64 n_runs = e->run_src->len, n_src = e->src->n_nodes;
      const guint32 *rs = (const guint32 *) e->run_src->data;
      const guint64 *r0 = (const guint64 *) e->run_start->data;
      g_autofree guint64 *node = g_new0 (guint64, 2 * MAX (n_src, 1));
      g_autofree guint64 *ranges = g_new (guint64, 2 * MAX (n_runs, 1));
      g_autofree guint64 *cursor = g_new0 (guint64, n_src + 1);
      for (guint64 k = 0; k < n_runs; k++)
        cursor[rs[k] + 1]++;
      for (guint64 s = 0; s < n_src; s++)
        cursor[s + 1] += cursor[s];
      for (guint64 s = 0; s < n_src; s++)
        {
          node[2 * s] = cursor[s];
          node[2 * s + 1] = cursor[s + 1];
        }
      for (guint64 k = 0; k < n_runs; k++)
        {
          guint64 at = cursor[rs[k]]++;
          ranges[2 * at] = r0[k];
          ranges[2 * at + 1] = k + 1 < n_runs ? r0[k + 1] : e->n_edges;
        }
      /* target_to_source: targets without edges get the empty range where theirs would be. */
      guint64 next = 0;
      for (guint64 t = 0; t < e->dst->n_nodes; t++)
        if (e->tgt_node[2 * t + 1] > e->tgt_node[2 * t])
          next = e->tgt_node[2 * t + 1];
        else
          e->tgt_node[2 * t] = e->tgt_node[2 * t + 1] = next;
      hid_t idx = H5Gcreate2 (e->pop, "indices", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      ok = idx >= 0
           && write_index (idx, "source_to_target", node, n_src, ranges, n_runs)
           && write_index (idx, "target_to_source", e->tgt_node, e->dst->n_nodes,
                           (const guint64 *) e->tgt_ranges->data, e->tgt_ranges->len / 2);
      if (idx >= 0)
        H5Gclose (idx);
    }
  for (guint i = 0; i < G_N_ELEMENTS (e->ds); i++)
    if (e->ds[i] >= 0)
      {
        H5Dclose (e->ds[i]);
        e->ds[i] = -1;
      }
  H5Gclose (e->grp);
  H5Gclose (e->pop);
  e->grp = e->pop = -1;
  hid_t file = e->file;
  e->file = -1;
  if (!nl_h5_finish (file, ok, e->tmp, e->h5name, error))
    {
      edge_free (e);
      return FALSE;
    }

  g_autofree char *csvname = g_strdup_printf ("%s_edge_types.csv", e->name);
  g_autoptr(GString) csv = g_string_new ("edge_type_id model_template syn_mech conn_rule dynamics_params\n");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, e->types);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      guint id = GPOINTER_TO_UINT (key);
      g_array_append_val (ids, id);
    }
  g_array_sort (ids, compare_uint);
  for (guint i = 0; i < ids->len; i++)
    {
      guint id = g_array_index (ids, guint, i) - TYPE_BASE;
      guint rule = id / ctx->n_syn, syn = id % ctx->n_syn;
      g_string_append_printf (csv, "%u ", id + TYPE_BASE);
      csv_field (csv, ctx->mods[syn], FALSE);
      csv_field (csv, nl_network_get_name (ctx->net, NL_NAME_SYN_MECH, syn), FALSE);
      csv_field (csv, nl_network_get_rule (ctx->net, rule)->label, FALSE);
      csv_field (csv, ctx->syn_files[syn], TRUE);
    }
  g_ptr_array_add (ctx->edge_stems, g_strdup (e->name));
  edge_free (e);
  return nl_file_set_write_text (&ctx->set, csvname, csv, error);
}

static int
compare_pre (gconstpointer a, gconstpointer b, gpointer data)
{
  (void) data;
  guint32 x = ((const NlConn *) a)->pre, y = ((const NlConn *) b)->pre;
  return x < y ? -1 : x > y;
}

/* Cell-to-cell connections: one edge population per (pre, post) population pair, written
 * post population by post population, all its pre populations at once. */
static gboolean
write_cell_edges (Ctx *ctx, NodePop *pops, guint n_pops, const guint64 *count, GError **error)
{
  NlNetwork *net = ctx->net;
  g_autofree EdgeOut **out = g_new0 (EdgeOut *, n_pops);
  g_autoptr(GPtrArray) bucket = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gboolean ok = TRUE;

  for (guint p = 0; p < n_pops; p++)
    g_ptr_array_add (bucket, g_array_new (FALSE, FALSE, sizeof (NlConn)));

  for (guint q = 0; q < n_pops && ok; q++)
    {
      const NlNetPop *post = nl_network_get_pop (net, q);
      for (guint p = 0; p < n_pops && ok; p++)
        if (count[(gsize) p * n_pops + q])
          ok = (out[p] = edge_open (ctx, &pops[p], &pops[q], count[(gsize) p * n_pops + q], error)) != NULL;
      for (guint t = 0; t < post->n_cells && ok; t++)
        {
          guint64 first, n = nl_network_conns_of_cell (net, post->first + t, &first);
          if (n == 0)
            continue;
          for (guint p = 0; p < n_pops; p++)
            g_array_set_size (bucket->pdata[p], 0);
          for (guint64 i = 0; i < n; i++)
            {
              NlConn c;
              nl_network_get_conn (net, first + i, &c);
              guint p = nl_network_cell_pop (net, c.pre);
              c.pre -= nl_network_get_pop (net, p)->first;
              g_array_append_val (bucket->pdata[p], c);
            }
          for (guint p = 0; p < n_pops && ok; p++)
            {
              GArray *b = bucket->pdata[p];
              if (b->len == 0)
                continue;
              /* Edges between the same two nodes together (stable: build order kept). */
              g_qsort_with_data (b->data, b->len, sizeof (NlConn), compare_pre, NULL);
              ok = edge_add_target (ctx, out[p], t, (const NlConn *) b->data, b->len);
              if (!ok)
                nl_h5_fail (error, out[p]->h5name, "the edges");
            }
        }
      for (guint p = 0; p < n_pops; p++)
        if (out[p])
          {
            if (ok)
              ok = edge_close (ctx, out[p], error);
            else
              edge_free (out[p]);
            out[p] = NULL;
          }
    }
  return ok;
}

typedef struct {
  guint32 spop;    /* index into the stimulus NodePops */
  guint32 node;    /* node id in it */
  guint32 tpop;    /* target population */
  guint32 target;  /* gid */
  guint64 index;   /* stim conn */
} StimEdge;

static int
compare_stim_edge (gconstpointer a, gconstpointer b, gpointer data)
{
  (void) data;
  const StimEdge *x = a, *y = b;
  if (x->spop != y->spop) return x->spop < y->spop ? -1 : 1;
  if (x->tpop != y->tpop) return x->tpop < y->tpop ? -1 : 1;
  if (x->target != y->target) return x->target < y->target ? -1 : 1;
  if (x->node != y->node) return x->node < y->node ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* NetStim/VecStim stimulus connections, from the virtual populations of stimulus sources. */
static gboolean
write_stim_edges (Ctx *ctx, NodePop *pops, guint n_cell_pops, NodePop *spops,
                  const guint32 *stim_pop, const guint32 *stim_node, GError **error)
{
  NlNetwork *net = ctx->net;
  guint64 n = nl_network_get_n_stim_conns (net);
  g_autofree StimEdge *se = g_new (StimEdge, MAX (n, 1));
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (NlConn));

  (void) n_cell_pops;
  for (guint64 i = 0; i < n; i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      se[i].spop = stim_pop[c.pre];
      se[i].node = stim_node[c.pre];
      se[i].tpop = nl_network_cell_pop (net, c.post);
      se[i].target = c.post;
      se[i].index = i;
    }
  g_qsort_with_data (se, n, sizeof (StimEdge), compare_stim_edge, NULL);
  for (guint64 a = 0; a < n;)
    {
      guint64 b = a;
      while (b < n && se[b].spop == se[a].spop && se[b].tpop == se[a].tpop)
        b++;
      const NodePop *dst = &pops[se[a].tpop];
      guint first = nl_network_get_pop (net, se[a].tpop)->first;
      EdgeOut *e = edge_open (ctx, &spops[se[a].spop], dst, b - a, error);
      if (!e)
        return FALSE;
      for (guint64 i = a; i < b;)
        {
          guint64 j = i;
          g_array_set_size (buf, 0);
          for (; j < b && se[j].target == se[i].target; j++)
            {
              NlConn c;
              nl_network_get_stim_conn (net, se[j].index, &c);
              c.pre = se[j].node;
              g_array_append_val (buf, c);
            }
          if (!edge_add_target (ctx, e, se[i].target - first, (const NlConn *) buf->data, buf->len))
            {
              nl_h5_fail (error, e->h5name, "the edges");
              edge_free (e);
              return FALSE;
            }
          i = j;
        }
      if (!edge_close (ctx, e, error))
        return FALSE;
      a = b;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */

/* Connections per (pre, post) population pair, and the name indices they use (the network
 * does not say how many names it has). */
static guint64 *
scan_conns (NlNetwork *net, guint *n_syn, guint *n_sec)
{
  guint n_pops = nl_network_get_n_pops (net);
  guint64 *count = g_new0 (guint64, (gsize) MAX (n_pops, 1) * MAX (n_pops, 1));
  guint max_syn = 0, max_sec = 0;
  gboolean any_sec = FALSE;

  for (guint gid = 0; gid < nl_network_get_n_cells (net); gid++)
    {
      guint64 first, n = nl_network_conns_of_cell (net, gid, &first);
      guint q = nl_network_cell_pop (net, gid);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          nl_network_get_conn (net, first + i, &c);
          count[(gsize) nl_network_cell_pop (net, c.pre) * n_pops + q]++;
          max_syn = MAX (max_syn, c.syn);
          if (c.sec != NL_SEC_NONE)
            {
              max_sec = MAX (max_sec, c.sec);
              any_sec = TRUE;
            }
        }
    }
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      max_syn = MAX (max_syn, c.syn);
      if (c.sec != NL_SEC_NONE)
        {
          max_sec = MAX (max_sec, c.sec);
          any_sec = TRUE;
        }
    }
  *n_syn = max_syn + 1;
  *n_sec = any_sec ? max_sec + 1 : 0;
  return count;
}

/* synaptic_models/<synMech>.json: the synMech's parameters as BMTK names them (mod →
 * level_of_detail, e → erev; NetPyNE's SONATA import maps them back), for the edge types'
 * dynamics_params. */
static gboolean
write_syn_models (Ctx *ctx, GError **error)
{
  JsonObject *syns = obj_member (nl_spec_get_net_params (ctx->spec), "synMechParams");
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint s = 0; s < ctx->n_syn; s++)
    {
      const char *name = ctx->mods[s] ? nl_network_get_name (ctx->net, NL_NAME_SYN_MECH, s) : NULL;
      JsonObject *params = name ? obj_member (syns, name) : NULL;
      if (!params)
        continue;
      g_autofree char *safe = safe_name (name);
      g_autofree char *stem = unique_name (taken, safe);
      ctx->syn_files[s] = g_strdup_printf ("%s.json", stem);
      g_autoptr(JsonObject) out = json_object_new ();
      JsonObjectIter it;
      const char *key;
      JsonNode *value;
      json_object_iter_init_ordered (&it, params);
      while (json_object_iter_next_ordered (&it, &key, &value))
        json_object_set_member (out, g_str_equal (key, "mod") ? "level_of_detail"
                                     : g_str_equal (key, "e") ? "erev" : key,
                                json_node_copy (value));
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), out);
      g_autofree char *text = nl_json_to_string (root, 2, NULL);
      g_autoptr(GString) str = g_string_new (text);
      g_autofree char *file = g_build_filename ("synaptic_models", ctx->syn_files[s], NULL);
      g_string_append_c (str, '\n');
      if (!nl_file_set_write_text (&ctx->set, file, str, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_config (Ctx *ctx, NodePop *pops, guint n_pops, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "target_simulator");
  json_builder_add_string_value (b, "NEURON");
  json_builder_set_member_name (b, "manifest");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "$NETWORK_DIR");
  json_builder_add_string_value (b, ".");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "components");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "synaptic_models_dir");
  json_builder_add_string_value (b, "$NETWORK_DIR/synaptic_models");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "networks");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_pops; i++)
    {
      g_autofree char *h5 = g_strdup_printf ("$NETWORK_DIR/%s_nodes.h5", pops[i].name);
      g_autofree char *csv = g_strdup_printf ("$NETWORK_DIR/%s_node_types.csv", pops[i].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "nodes_file");
      json_builder_add_string_value (b, h5);
      json_builder_set_member_name (b, "node_types_file");
      json_builder_add_string_value (b, csv);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "edges");
  json_builder_begin_array (b);
  for (guint i = 0; i < ctx->edge_stems->len; i++)
    {
      const char *stem = ctx->edge_stems->pdata[i];
      g_autofree char *h5 = g_strdup_printf ("$NETWORK_DIR/%s_edges.h5", stem);
      g_autofree char *csv = g_strdup_printf ("$NETWORK_DIR/%s_edge_types.csv", stem);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "edges_file");
      json_builder_add_string_value (b, h5);
      json_builder_set_member_name (b, "edge_types_file");
      json_builder_add_string_value (b, csv);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = nl_json_to_string (root, 2, NULL);
  g_autoptr(GString) s = g_string_new (text);
  g_string_append_c (s, '\n');
  return nl_file_set_write_text (&ctx->set, "circuit_config.json", s, error);
}

gboolean
nl_sonata_write_network (NlSpec      *spec,
                         NlNetwork   *net,
                         const char  *dir,
                         GError     **error)
{
  Ctx ctx = { 0 };
  guint n_pops = nl_network_get_n_pops (net);
  guint n_stims = nl_network_get_n_stims (net);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_source = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) spops = g_array_new (FALSE, TRUE, sizeof (NodePop));
  g_autofree NodePop *pops = g_new0 (NodePop, MAX (n_pops, 1));
  g_autofree guint32 *stim_pop = g_new0 (guint32, MAX (n_stims, 1));
  g_autofree guint32 *stim_node = g_new0 (guint32, MAX (n_stims, 1));
  g_autofree gboolean *drives = g_new0 (gboolean, MAX (n_stims, 1));
  gboolean ok = FALSE;

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create the folder: %s",
                   dir, g_strerror (e));
      return FALSE;
    }
  ctx.spec = spec;
  ctx.net = net;
  nl_file_set_init (&ctx.set, dir);
  ctx.taken_edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.edge_stems = g_ptr_array_new_with_free_func (g_free);
  ctx.scratch = g_new (guint64, CHUNK_EDGES);
  ctx.zeros = g_new0 (guint16, CHUNK_EDGES);
  guint n_sec;
  g_autofree guint64 *count = scan_conns (net, &ctx.n_syn, &n_sec);
  ctx.mods = g_new0 (const char *, MAX (ctx.n_syn, 1));
  ctx.syn_files = g_new0 (char *, MAX (ctx.n_syn, 1));
  for (guint s = 0; s < ctx.n_syn && (nl_network_get_n_conns (net) || nl_network_get_n_stim_conns (net)); s++)
    ctx.mods[s] = str_member (obj_member (obj_member (nl_spec_get_net_params (spec), "synMechParams"),
                                          nl_network_get_name (net, NL_NAME_SYN_MECH, s)), "mod");

  /* Node populations: the network's, then one per stimulus source that drives NetCons. */
  for (guint p = 0; p < n_pops; p++)
    {
      g_autofree char *safe = safe_name (nl_network_get_pop (net, p)->name);
      pops[p].name = unique_name (taken, safe);
      pops[p].label = nl_network_get_pop (net, p)->name;
      pops[p].pop = p;
      pops[p].n_nodes = nl_network_get_pop (net, p)->n_cells;
      describe_pop (spec, net, &pops[p], n_sec);
    }
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      if (c.pre < n_stims)
        drives[c.pre] = TRUE;
    }
  for (guint i = 0; i < n_stims; i++)
    {
      NlNetStim st;
      if (!drives[i])
        continue;
      nl_network_get_stim (net, i, &st);
      const NlNetRule *rule = nl_network_get_rule (net, st.rule);
      const char *source = rule->source ? rule->source : rule->label;
      gpointer v = g_hash_table_lookup (by_source, source);
      if (!v)
        {
          NodePop np = { 0 };
          g_autofree char *safe = safe_name (source);
          if (g_hash_table_contains (taken, safe))
            {
              g_autofree char *s2 = g_strdup_printf ("%s_stim", safe);
              np.name = unique_name (taken, s2);
            }
          else
            np.name = unique_name (taken, safe);
          np.label = source;
          np.pop = -1;
          np.model_type = "virtual";
          np.cell_model = rule->source_type;
          np.model_template = g_strdup_printf ("nrn:%s", rule->source_type ? rule->source_type : "NetStim");
          g_array_append_val (spops, np);
          v = GUINT_TO_POINTER (spops->len);
          g_hash_table_insert (by_source, (gpointer) source, v);
        }
      guint k = GPOINTER_TO_UINT (v) - 1;
      NodePop *np = &g_array_index (spops, NodePop, k);
      stim_pop[i] = k;
      stim_node[i] = np->n_nodes++;
    }

  if (!write_syn_models (&ctx, error))
    goto out;
  for (guint p = 0; p < n_pops; p++)
    if (!write_nodes (&ctx.set, net, &pops[p], TYPE_BASE + p, error))
      goto out;
  for (guint k = 0; k < spops->len; k++)
    if (!write_nodes (&ctx.set, net, &g_array_index (spops, NodePop, k), TYPE_BASE + n_pops + k, error))
      goto out;
  if (!write_cell_edges (&ctx, pops, n_pops, count, error))
    goto out;
  if (!write_stim_edges (&ctx, pops, n_pops, (NodePop *) spops->data, stim_pop, stim_node, error))
    goto out;
  {
    g_autofree NodePop *all = g_new (NodePop, n_pops + spops->len + 1);
    memcpy (all, pops, sizeof (NodePop) * n_pops);
    if (spops->len)
      memcpy (all + n_pops, spops->data, sizeof (NodePop) * spops->len);
    if (!write_config (&ctx, all, n_pops + spops->len, error))
      goto out;
  }
  ok = nl_file_set_commit (&ctx.set, error);
out:
  nl_file_set_clear (&ctx.set);
  for (guint p = 0; p < n_pops; p++)
    {
      g_free (pops[p].name);
      g_free (pops[p].model_template);
      g_free (pops[p].sec_id);
    }
  for (guint k = 0; k < spops->len; k++)
    {
      g_free (g_array_index (spops, NodePop, k).name);
      g_free (g_array_index (spops, NodePop, k).model_template);
    }
  g_hash_table_unref (ctx.taken_edges);
  g_ptr_array_unref (ctx.edge_stems);
  g_free (ctx.scratch);
  g_free (ctx.zeros);
  g_free (ctx.mods);
  for (guint s = 0; s < ctx.n_syn; s++)
    g_free (ctx.syn_files[s]);
  g_free (ctx.syn_files);
  return ok;
}
