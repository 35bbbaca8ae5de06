/* data/nl-sonata-net: a built network written as a SONATA circuit and read back — every
 * connection present once with its values, positions exact, indices as a brute-force scan
 * makes them — the reference 9_cells circuit read, and bad files rejected with errors. */

#include <nl-build.h>
#include <nl-sonata-net.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>

#include "nl-testutil.h"

/* A model with a NetStim population, an IntFire2 population, a cell with two sections,
 * three synMechs (one rule with a list of two), sections and locations, synsPerConn, a
 * NetStim stimulus and an IClamp, and a stimulus source named like a population. */
static const char *mixed_model =
  "{'netParams': {'sizeX': 100, 'sizeY': 200, 'sizeZ': 100,"
  " 'popParams': {'E': {'cellType': 'PYR', 'numCells': 12},"
  "               'S': {'cellModel': 'NetStim', 'numCells': 4, 'rate': 10, 'noise': 0.5},"
  "               'F': {'cellModel': 'IntFire2', 'numCells': 5}},"
  " 'cellParams': {'PYR': {'secs': {"
  "    'soma': {'geom': {'L': 18.8, 'diam': 18.8, 'Ra': 123.0}, 'mechs': {'hh': {}}},"
  "    'dend': {'geom': {'L': 200, 'diam': 2, 'Ra': 100}, 'topol': {'parentSec': 'soma', 'parentX': 1, 'childX': 0},"
  "             'mechs': {'pas': {'g': 0.0001, 'e': -65}}}},"
  "    'secLists': {'all': ['soma', 'dend']}}},"
  " 'synMechParams': {'AMPA': {'mod': 'Exp2Syn', 'tau1': 0.1, 'tau2': 5.0, 'e': 0},"
  "                   'NMDA': {'mod': 'Exp2Syn', 'tau1': 2, 'tau2': 80, 'e': 0},"
  "                   'GABA': {'mod': 'ExpSyn', 'tau': 8, 'e': -75}},"
  " 'stimSourceParams': {'E': {'type': 'NetStim', 'rate': 5, 'noise': 1},"
  "                      'pulse': {'type': 'IClamp', 'del': 5, 'dur': 2, 'amp': 0.5}},"
  " 'stimTargetParams': {'E->E': {'source': 'E', 'conds': {'pop': 'E'}, 'weight': 0.01, 'delay': 1.5,"
  "                               'synMech': 'AMPA', 'sec': 'dend', 'loc': 0.7},"
  "                      'pulse->E0': {'source': 'pulse', 'conds': {'pop': 'E', 'cellList': [0]}}},"
  " 'connParams': {"
  "   'S->E': {'preConds': {'pop': 'S'}, 'postConds': {'pop': 'E'}, 'probability': 0.5,"
  "            'weight': 0.003, 'delay': 2, 'synMech': ['AMPA', 'NMDA'], 'sec': 'dend', 'loc': 0.3},"
  "   'E->E': {'preConds': {'pop': 'E'}, 'postConds': {'pop': 'E'}, 'divergence': 3,"
  "            'weight': '0.001 + uniform(0, 0.001)', 'delay': 'uniform(1, 3)', 'synMech': 'AMPA',"
  "            'sec': 'all', 'synsPerConn': 2},"
  "   'E->F': {'preConds': {'pop': 'E'}, 'postConds': {'pop': 'F'}, 'probability': 0.4,"
  "            'weight': 0.5, 'delay': 1, 'synMech': 'AMPA'},"
  "   'F->E': {'preConds': {'pop': 'F'}, 'postConds': {'pop': 'E'}, 'convergence': 2,"
  "            'weight': 0.002, 'delay': 3, 'synMech': 'GABA', 'sec': 'soma', 'loc': 0.5}}},"
  " 'simConfig': {'duration': 100, 'seeds': {'conn': 3, 'stim': 1, 'loc': 2, 'cell': 1}}}";

static NlSpec *
load (const char *json, const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec;
  if (file)
    {
      const char *files[] = { file };
      spec = nl_spec_load (files, 1, problems, &error);
    }
  else
    {
      g_autofree char *q = g_strdup (json);
      for (char *p = q; *p; p++)
        if (*p == '\'')
          *p = '"';
      spec = nl_spec_load_from_data (q, -1, problems, &error);
    }
  g_assert_no_error (error);
  guint errors = nl_spec_validate (spec, problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = nl_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", s);
    }
  g_assert_cmpuint (errors, ==, 0);
  return spec;
}

static NlNetwork *
build (NlSpec *spec)
{
  NlBuildOptions opts = { .n_threads = 2 };
  g_autoptr(GError) error = NULL;
  NlNetwork *net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  return net;
}

/* ------------------------------------------------------------------------------------------ */
/* Independent helpers: a space-separated CSV, the brute-force index.                          */

/* Rows of a types CSV as GStrv (no quoted fields in these models). */
static GPtrArray *
read_csv (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      g_ptr_array_add (rows, g_strsplit (lines[i], " ", -1));
  return rows;
}

/* Runs of equal (source, target) for source_to_target, of equal target for
 * target_to_source, as a scan over the edges in file order finds them. */
static void
check_index_brute (const NlSonataIndex *x, const guint64 *key, const guint64 *other,
                   guint64 n_edges, guint64 n_nodes)
{
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint64 e = 0; e < n_edges; e++)
    if (e == 0 || key[e] != key[e - 1] || (other && other[e] != other[e - 1]))
      g_array_append_val (starts, e);
  guint64 n_runs = starts->len, row = 0;
  g_assert_cmpuint (x->n_nodes, ==, n_nodes);
  g_assert_cmpuint (x->n_ranges, ==, n_runs);
  for (guint64 k = 0; k < n_nodes; k++)
    {
      g_assert_cmpuint (x->node_ranges[2 * k], ==, row);
      for (guint64 r = 0; r < n_runs; r++)
        {
          guint64 a = g_array_index (starts, guint64, r);
          guint64 b = r + 1 < n_runs ? g_array_index (starts, guint64, r + 1) : n_edges;
          if (key[a] != k)
            continue;
          g_assert_cmpuint (x->edge_ranges[2 * row], ==, a);
          g_assert_cmpuint (x->edge_ranges[2 * row + 1], ==, b);
          row++;
        }
      g_assert_cmpuint (x->node_ranges[2 * k + 1], ==, row);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Round trip                                                                                  */

typedef struct {
  guint64 pre;      /* gid, or 1<<40 | stim source pop << 32 | node id for stimuli */
  guint32 post;
  float   weight, delay, loc;
  gint32  sec;
  char    syn[32], rule[64];
} Edge;

static int
compare_edge (gconstpointer a, gconstpointer b)
{
  const Edge *x = a, *y = b;
  if (x->pre != y->pre) return x->pre < y->pre ? -1 : 1;
  if (x->post != y->post) return x->post < y->post ? -1 : 1;
  int c = memcmp (&x->weight, &y->weight, sizeof (float) * 3);
  if (c) return c;
  if (x->sec != y->sec) return x->sec < y->sec ? -1 : 1;
  c = strcmp (x->syn, y->syn);
  return c ? c : strcmp (x->rule, y->rule);
}

/* The section's position in its cellParams rule, from the model itself. */
static gint32
section_id (NlSpec *spec, NlNetwork *net, guint post, guint sec)
{
  const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, post));
  const char *name = nl_network_get_name (net, NL_NAME_SEC, sec);
  if (!name || pop->cell_rule < 0)
    return -1;
  JsonObject *secs = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
    nl_spec_get_net_params (spec), "cellParams"), nl_network_get_cell_rule (net, pop->cell_rule)), "secs");
  g_autoptr(GList) names = json_object_get_members (secs);
  gint32 i = 0;
  for (GList *l = names; l; l = l->next, i++)
    if (g_str_equal (l->data, name))
      return i;
  return -1;
}

static void
check_circuit (NlSpec *spec, NlNetwork *net, const char *dir, const char *stim_pop_name,
               guint n_stim_nodes)
{
  g_autoptr(GError) error = NULL;
  guint n_pops = nl_network_get_n_pops (net);
  g_autoptr(GArray) expected = g_array_new (FALSE, TRUE, sizeof (Edge));
  g_autoptr(GArray) got = g_array_new (FALSE, TRUE, sizeof (Edge));
  g_autoptr(GHashTable) stim_node = g_hash_table_new (NULL, NULL);   /* stim index → node id + 1 */

  /* Nodes: counts and exact positions. */
  for (guint p = 0; p < n_pops; p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      g_autofree char *name = g_strdup_printf ("%s/%s_nodes.h5", dir, pop->name);
      g_autoptr(NlSonataNodes) nodes = nl_sonata_read_nodes (name, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (nodes->n_pops, ==, 1);
      g_assert_cmpstr (nodes->pops[0].name, ==, pop->name);
      g_assert_cmpuint (nodes->pops[0].n_nodes, ==, pop->n_cells);
      g_assert_nonnull (nodes->pops[0].x);
      for (guint i = 0; i < pop->n_cells; i++)
        {
          g_assert_true (nodes->pops[0].x[i] == nl_network_get_coords (net, NL_COORD_X)[pop->first + i]);
          g_assert_true (nodes->pops[0].y[i] == nl_network_get_coords (net, NL_COORD_Y)[pop->first + i]);
          g_assert_true (nodes->pops[0].z[i] == nl_network_get_coords (net, NL_COORD_Z)[pop->first + i]);
          g_assert_cmpuint (nodes->pops[0].node_type_id[i], ==, nodes->pops[0].node_type_id[0]);
        }
    }
  if (stim_pop_name)
    {
      g_autofree char *name = g_strdup_printf ("%s/%s_nodes.h5", dir, stim_pop_name);
      g_autoptr(NlSonataNodes) nodes = nl_sonata_read_nodes (name, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (nodes->pops[0].n_nodes, ==, n_stim_nodes);
      g_assert_null (nodes->pops[0].x);
    }

  /* The network's NetCons, with stimuli numbered as nodes in stimulus order. */
  for (guint gid = 0; gid < nl_network_get_n_cells (net); gid++)
    {
      guint64 first, n = nl_network_conns_of_cell (net, gid, &first);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          Edge e = { 0 };
          nl_network_get_conn (net, first + i, &c);
          e.pre = c.pre;
          e.post = c.post;
          e.weight = c.weight;
          e.delay = c.delay;
          e.loc = nl_network_get_pop (net, nl_network_cell_pop (net, c.post))->artificial ? 0 : c.loc;
          e.sec = section_id (spec, net, c.post, c.sec);
          g_strlcpy (e.syn, nl_network_get_name (net, NL_NAME_SYN_MECH, c.syn), sizeof e.syn);
          g_strlcpy (e.rule, nl_network_get_rule (net, c.rule)->label, sizeof e.rule);
          g_array_append_val (expected, e);
        }
    }
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      Edge e = { 0 };
      nl_network_get_stim_conn (net, i, &c);
      if (!g_hash_table_contains (stim_node, GUINT_TO_POINTER (c.pre)))
        g_hash_table_insert (stim_node, GUINT_TO_POINTER (c.pre),
                             GUINT_TO_POINTER (g_hash_table_size (stim_node) + 1));
      e.pre = (guint64) 1 << 40 | (GPOINTER_TO_UINT (g_hash_table_lookup (stim_node, GUINT_TO_POINTER (c.pre))) - 1);
      e.post = c.post;
      e.weight = c.weight;
      e.delay = c.delay;
      e.loc = c.loc;
      e.sec = section_id (spec, net, c.post, c.sec);
      g_strlcpy (e.syn, nl_network_get_name (net, NL_NAME_SYN_MECH, c.syn), sizeof e.syn);
      g_strlcpy (e.rule, nl_network_get_rule (net, c.rule)->label, sizeof e.rule);
      g_array_append_val (expected, e);
    }
  if (stim_pop_name)
    g_assert_cmpuint (g_hash_table_size (stim_node), ==, n_stim_nodes);

  /* Every edges file the config lists. */
  g_autofree char *config_path = g_build_filename (dir, "circuit_config.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, config_path, &error));
  JsonObject *networks = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "networks");
  JsonArray *edge_files = json_object_get_array_member (networks, "edges");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (networks, "nodes")), ==,
                    n_pops + (stim_pop_name ? 1 : 0));
  for (guint f = 0; f < json_array_get_length (edge_files); f++)
    {
      JsonObject *o = json_array_get_object_element (edge_files, f);
      const char *h5 = json_object_get_string_member (o, "edges_file");
      const char *csv = json_object_get_string_member (o, "edge_types_file");
      g_assert_true (g_str_has_prefix (h5, "$NETWORK_DIR/") && g_str_has_prefix (csv, "$NETWORK_DIR/"));
      g_autofree char *h5_path = g_build_filename (dir, h5 + strlen ("$NETWORK_DIR/"), NULL);
      g_autofree char *csv_path = g_build_filename (dir, csv + strlen ("$NETWORK_DIR/"), NULL);
      g_autoptr(NlSonataEdges) edges = nl_sonata_read_edges (h5_path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (edges->n_pops, ==, 1);
      NlSonataEdgePop *ep = &edges->pops[0];
      g_autofree char *pname = g_strdup_printf ("%s_to_%s", ep->source_pop, ep->target_pop);
      g_assert_cmpstr (ep->name, ==, pname);
      int post_pop = nl_network_find_pop (net, ep->target_pop);
      int pre_pop = nl_network_find_pop (net, ep->source_pop);
      g_assert_cmpint (post_pop, >=, 0);
      if (pre_pop < 0)
        g_assert_cmpstr (ep->source_pop, ==, stim_pop_name);
      const NlNetPop *post = nl_network_get_pop (net, post_pop);
      gboolean secs = !post->artificial;
      g_assert_nonnull (ep->syn_weight);
      g_assert_nonnull (ep->delay);
      g_assert_true ((ep->section_id != NULL) == secs);
      g_assert_true ((ep->section_pos != NULL) == secs);
      g_assert_true (ep->has_index);

      g_autoptr(GPtrArray) rows = read_csv (csv_path);
      g_assert_cmpstr (((char **) rows->pdata[0])[0], ==, "edge_type_id");
      g_assert_cmpstr (((char **) rows->pdata[0])[1], ==, "model_template");
      g_assert_cmpstr (((char **) rows->pdata[0])[2], ==, "syn_mech");
      g_assert_cmpstr (((char **) rows->pdata[0])[3], ==, "conn_rule");
      g_assert_cmpstr (((char **) rows->pdata[0])[4], ==, "dynamics_params");
      for (guint r = 1; r < rows->len; r++)
        {
          /* dynamics_params: the synMech's parameters under BMTK's names. */
          char **row = rows->pdata[r];
          g_autofree char *expect = g_strdup_printf ("%s.json", row[2]);
          g_assert_cmpstr (row[4], ==, expect);
          g_autofree char *dyn = g_build_filename (dir, "synaptic_models", row[4], NULL);
          g_autoptr(JsonParser) dp = json_parser_new ();
          g_assert_true (json_parser_load_from_file (dp, dyn, &error));
          JsonObject *sm = json_object_get_object_member (json_object_get_object_member (
            nl_spec_get_net_params (spec), "synMechParams"), row[2]);
          JsonObject *dm = json_node_get_object (json_parser_get_root (dp));
          g_assert_cmpstr (json_object_get_string_member (dm, "level_of_detail"), ==,
                           json_object_get_string_member (sm, "mod"));
          if (json_object_has_member (sm, "e"))
            g_assert_cmpfloat (json_object_get_double_member (dm, "erev"), ==,
                               json_object_get_double_member (sm, "e"));
          g_assert_cmpuint (json_object_get_size (dm), ==, json_object_get_size (sm));
        }
      for (guint64 i = 0; i < ep->n_edges; i++)
        {
          Edge e = { 0 };
          char **row = NULL;
          for (guint r = 1; r < rows->len && !row; r++)
            if (g_ascii_strtoull (((char **) rows->pdata[r])[0], NULL, 10) == ep->edge_type_id[i])
              row = rows->pdata[r];
          g_assert_nonnull (row);
          /* The edge type's model_template is its synMech's mod. */
          g_assert_cmpstr (row[1], ==, json_object_get_string_member (json_object_get_object_member (
            json_object_get_object_member (nl_spec_get_net_params (spec), "synMechParams"), row[2]), "mod"));
          g_assert_cmpuint (ep->target[i], <, post->n_cells);
          e.post = post->first + ep->target[i];
          if (pre_pop >= 0)
            {
              g_assert_cmpuint (ep->source[i], <, nl_network_get_pop (net, pre_pop)->n_cells);
              e.pre = nl_network_get_pop (net, pre_pop)->first + ep->source[i];
            }
          else
            e.pre = (guint64) 1 << 40 | ep->source[i];
          e.weight = (float) ep->syn_weight[i];
          e.delay = (float) ep->delay[i];
          g_assert_true ((double) e.weight == ep->syn_weight[i]);
          e.loc = secs ? (float) ep->section_pos[i] : 0;
          e.sec = secs ? ep->section_id[i] : -1;
          g_strlcpy (e.syn, row[2], sizeof e.syn);
          g_strlcpy (e.rule, row[3], sizeof e.rule);
          g_array_append_val (got, e);
          /* Edges ordered by target. */
          if (i)
            g_assert_cmpuint (ep->target[i], >=, ep->target[i - 1]);
        }
      check_index_brute (&ep->source_index, ep->source, ep->target, ep->n_edges,
                         pre_pop >= 0 ? nl_network_get_pop (net, pre_pop)->n_cells : n_stim_nodes);
      check_index_brute (&ep->target_index, ep->target, NULL, ep->n_edges, post->n_cells);
    }

  /* Every connection exactly once: equal multisets. */
  g_array_sort (expected, compare_edge);
  g_array_sort (got, compare_edge);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (compare_edge (&g_array_index (got, Edge, i), &g_array_index (expected, Edge, i)), ==, 0);

  /* The whole circuit through its config. */
  g_autoptr(NlSonataCircuit) circuit = nl_sonata_read_circuit (config_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (circuit->nodes->n_pops, ==, n_pops + (stim_pop_name ? 1 : 0));
  guint64 n_nodes = 0, n_edges = 0;
  for (guint i = 0; i < circuit->nodes->n_pops; i++)
    n_nodes += circuit->nodes->pops[i].n_nodes;
  for (guint i = 0; i < circuit->edges->n_pops; i++)
    n_edges += circuit->edges->pops[i].n_edges;
  g_assert_cmpuint (n_nodes, ==, nl_network_get_n_cells (net) + n_stim_nodes);
  g_assert_cmpuint (n_edges, ==, nl_network_get_n_conns (net) + nl_network_get_n_stim_conns (net));
}

/* Only the final names are left in the folder: no temporary file. */
static void
assert_no_temporaries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *sub = g_build_filename (dir, "synaptic_models", NULL);
  g_autoptr(GDir) s = g_dir_open (sub, 0, NULL);
  const char *name;
  g_assert_nonnull (d);
  g_assert_nonnull (s);
  while ((name = g_dir_read_name (d)))
    g_assert_false (name[0] == '.');
  while ((name = g_dir_read_name (s)))
    g_assert_false (name[0] == '.');
}

static void
test_ei_net (void)
{
  g_autofree char *file = nl_test_source_file ("examples/ei-net.json");
  g_autoptr(NlSpec) spec = load (NULL, file);
  g_autoptr(NlNetwork) net = build (spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "ei", NULL);

  g_assert_true (nl_sonata_write_network (spec, net, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 100);
  check_circuit (spec, net, dir, "bkg", 100);
  assert_no_temporaries (dir);

  g_autofree char *csv = g_build_filename (dir, "E_node_types.csv", NULL);
  g_autoptr(GPtrArray) rows = read_csv (csv);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((char **) rows->pdata[1])[1], ==, "biophysical");
  g_assert_cmpstr (((char **) rows->pdata[1])[4], ==, "E");

  /* Writing again replaces the files in place. */
  g_assert_true (nl_sonata_write_network (spec, net, dir, &error));
  check_circuit (spec, net, dir, "bkg", 100);
  assert_no_temporaries (dir);
}

static const char *
node_type_column (const char *dir, const char *pop, guint column)
{
  static char value[64];
  g_autofree char *csv = g_strdup_printf ("%s/%s_node_types.csv", dir, pop);
  g_autoptr(GPtrArray) rows = read_csv (csv);
  g_assert_cmpuint (rows->len, ==, 2);
  g_strlcpy (value, ((char **) rows->pdata[1])[column], sizeof value);
  return value;
}

static void
test_mixed (void)
{
  g_autoptr(NlSpec) spec = load (mixed_model, NULL);
  g_autoptr(NlNetwork) net = build (spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "mixed", NULL);

  g_assert_cmpuint (nl_network_get_n_conns (net), >, 0);
  g_assert_true (nl_sonata_write_network (spec, net, dir, &error));
  g_assert_no_error (error);
  /* The stimulus source "E" clashes with population E: its population is E_stim, one node
   * per stimulated cell. */
  check_circuit (spec, net, dir, "E_stim", 12);
  assert_no_temporaries (dir);
  g_assert_cmpstr (node_type_column (dir, "E", 1), ==, "biophysical");
  g_assert_cmpstr (node_type_column (dir, "E", 2), ==, "netpyne:PYR");
  g_assert_cmpstr (node_type_column (dir, "S", 1), ==, "virtual");
  g_assert_cmpstr (node_type_column (dir, "S", 2), ==, "nrn:NetStim");
  g_assert_cmpstr (node_type_column (dir, "F", 1), ==, "point_process");
  g_assert_cmpstr (node_type_column (dir, "F", 2), ==, "nrn:IntFire2");
  g_assert_cmpstr (node_type_column (dir, "E_stim", 1), ==, "virtual");

  /* Both synMechs of S->E are edge types of the S_E file; dend is section 1 of PYR. */
  g_autofree char *se = g_build_filename (dir, "S_E_edges.h5", NULL);
  g_autoptr(NlSonataEdges) edges = nl_sonata_read_edges (se, &error);
  g_assert_no_error (error);
  g_autoptr(GHashTable) types = g_hash_table_new (NULL, NULL);
  for (guint64 i = 0; i < edges->pops[0].n_edges; i++)
    {
      g_hash_table_add (types, GUINT_TO_POINTER (edges->pops[0].edge_type_id[i]));
      g_assert_cmpint (edges->pops[0].section_id[i], ==, 1);
      g_assert_cmpfloat (edges->pops[0].section_pos[i], ==, 0.3f);
    }
  g_assert_cmpuint (g_hash_table_size (types), ==, 2);
  /* No file for the IClamp, which is no connection. */
  g_autofree char *pulse = g_build_filename (dir, "pulse_nodes.h5", NULL);
  g_assert_false (g_file_test (pulse, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------------------------ */
/* The reference circuit                                                                       */

static void
test_reference (void)
{
  g_autofree char *cortex = nl_test_shared_file ("reference/sonata/9_cells/network/cortex_nodes.h5");
  if (!cortex)
    return;
  g_autofree char *dir = g_path_get_dirname (cortex);
  g_autoptr(GError) error = NULL;
  static const double x[] = { 0, 1, 2, 30, 31, 32, 60, 61, 62 };

  g_autoptr(NlSonataNodes) nodes = nl_sonata_read_nodes (cortex, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nodes->n_pops, ==, 1);
  g_assert_cmpstr (nodes->pops[0].name, ==, "cortex");
  g_assert_cmpuint (nodes->pops[0].n_nodes, ==, 9);
  for (guint i = 0; i < 9; i++)
    {
      g_assert_cmpfloat (nodes->pops[0].x[i], ==, x[i]);
      g_assert_cmpfloat (nodes->pops[0].y[i], ==, 0);
      g_assert_cmpuint (nodes->pops[0].node_type_id[i], ==, 100 + i / 3);
    }
  static const char *const virt[] = { "excvirt", "inhvirt" };
  static const guint64 n_edges[] = { 659, 630 };
  static const double weight[] = { 0.00034, 0.00026 };
  for (guint v = 0; v < 2; v++)
    {
      g_autofree char *nf = g_strdup_printf ("%s/%s_nodes.h5", dir, virt[v]);
      g_autofree char *ef = g_strdup_printf ("%s/%s_cortex_edges.h5", dir, virt[v]);
      g_autoptr(NlSonataNodes) vn = nl_sonata_read_nodes (nf, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (vn->pops[0].n_nodes, ==, 10);
      g_assert_null (vn->pops[0].x);   /* virtual nodes: an empty group 0 */
      g_autoptr(NlSonataEdges) edges = nl_sonata_read_edges (ef, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (edges->n_pops, ==, 1);
      NlSonataEdgePop *ep = &edges->pops[0];
      g_autofree char *pname = g_strdup_printf ("%s_to_cortex", virt[v]);
      g_assert_cmpstr (ep->name, ==, pname);
      g_assert_cmpstr (ep->source_pop, ==, virt[v]);
      g_assert_cmpstr (ep->target_pop, ==, "cortex");
      g_assert_cmpuint (ep->n_edges, ==, n_edges[v]);
      g_assert_nonnull (ep->syn_weight);
      g_assert_cmpfloat_with_epsilon (ep->syn_weight[0], weight[v], 1e-12);
      g_assert_null (ep->delay);          /* in the edge types CSV there */
      g_assert_null (ep->section_id);     /* BMTK's sec_id */
      for (guint64 i = 0; i < ep->n_edges; i++)
        {
          g_assert_cmpuint (ep->edge_type_id[i], ==, 100);
          g_assert_cmpuint (ep->source[i], <, 10);
          g_assert_cmpuint (ep->target[i], <, 9);
        }
      /* BMTK's indices follow the same rule as ours. */
      g_assert_true (ep->has_index);
      check_index_brute (&ep->source_index, ep->source, ep->target, ep->n_edges, 10);
      check_index_brute (&ep->target_index, ep->target, NULL, ep->n_edges, 9);
    }

  /* The whole circuit, through its config's manifest ("$NETWORK_DIR": "./network"). */
  g_autofree char *root = g_path_get_dirname (dir);
  g_autofree char *config = g_build_filename (root, "circuit_config.json", NULL);
  g_autoptr(NlSonataCircuit) c = nl_sonata_read_circuit (config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->nodes->n_pops, ==, 3);
  g_assert_cmpstr (c->nodes->pops[0].name, ==, "cortex");
  g_assert_cmpuint (c->nodes->pops[0].n_nodes, ==, 9);
  g_assert_cmpstr (c->nodes->pops[1].name, ==, "excvirt");
  g_assert_cmpuint (c->nodes->pops[1].n_nodes, ==, 10);
  g_assert_cmpstr (c->nodes->pops[2].name, ==, "inhvirt");
  g_assert_cmpuint (c->nodes->pops[2].n_nodes, ==, 10);
  g_assert_cmpuint (c->edges->n_pops, ==, 2);
  g_assert_cmpuint (c->edges->pops[0].n_edges, ==, 659);
  g_assert_cmpuint (c->edges->pops[1].n_edges, ==, 630);
}

/* ------------------------------------------------------------------------------------------ */
/* Bad files                                                                                   */

static char *
copy_file (const char *src, const char *name)
{
  g_autofree char *data = NULL;
  gsize len;
  char *dst = g_build_filename (nl_test_tmpdir (), name, NULL);
  g_assert_true (g_file_get_contents (src, &data, &len, NULL));
  g_assert_true (g_file_set_contents (dst, data, len, NULL));
  return dst;
}

/* Replaces the dataset at `path` with `n` values (× 2 when cols = 2) of `type`. */
static void
replace (const char *file, const char *path, hid_t type, hsize_t n, int cols, const void *data)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  g_assert_cmpint (H5Ldelete (f, path, H5P_DEFAULT), >=, 0);
  hsize_t dims[2] = { n, 2 };
  hid_t sp = H5Screate_simple (cols, dims, NULL);
  hid_t ds = H5Dcreate2 (f, path, type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (ds, >=, 0);
  g_assert_cmpint (H5Dwrite (ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (ds);
  H5Sclose (sp);
  H5Fclose (f);
}

static void
expect_error (gboolean nodes, const char *file, const char *part1, const char *part2)
{
  g_autoptr(GError) error = NULL;
  if (nodes)
    g_assert_null (nl_sonata_read_nodes (file, &error));
  else
    g_assert_null (nl_sonata_read_edges (file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, file));
  g_assert_nonnull (strstr (error->message, part1));
  if (part2)
    g_assert_nonnull (strstr (error->message, part2));
}

static void
test_bad (void)
{
  g_autofree char *model = nl_test_source_file ("examples/dendrite-net.json");
  g_autoptr(NlSpec) spec = load (NULL, model);
  g_autoptr(NlNetwork) net = build (spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "bad", NULL);
  g_assert_true (nl_sonata_write_network (spec, net, dir, &error));
  g_autofree char *nodes = g_build_filename (dir, "P_nodes.h5", NULL);
  g_autofree char *edges = g_build_filename (dir, "P_P_edges.h5", NULL);
  g_autoptr(NlSonataEdges) good = nl_sonata_read_edges (edges, &error);
  g_assert_no_error (error);
  guint64 n = good->pops[0].n_edges;
  g_assert_cmpuint (n, ==, 60);

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  {
    /* Truncated: every length cut. */
    g_autofree char *data = NULL;
    gsize len;
    g_assert_true (g_file_get_contents (edges, &data, &len, NULL));
    g_autofree char *cut = g_build_filename (nl_test_tmpdir (), "cut.h5", NULL);
    for (gsize l = 0; l < len; l += len / 37 + 1)
      {
        g_autoptr(NlSonataEdges) e = NULL;
        g_clear_error (&error);
        g_assert_true (g_file_set_contents (cut, data, l, NULL));
        e = nl_sonata_read_edges (cut, &error);
        g_assert_null (e);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      }
    g_clear_error (&error);
  }
  {
    /* Not HDF5. */
    g_autofree char *text = g_build_filename (nl_test_tmpdir (), "text.h5", NULL);
    g_assert_true (g_file_set_contents (text, "node_type_id\n1\n", -1, NULL));
    expect_error (TRUE, text, "cannot open as HDF5", NULL);
  }
  {
    /* An edges file read as nodes. */
    expect_error (TRUE, edges, "/nodes: missing", NULL);
  }
  {
    /* Wrong dtype: node_type_id as floats. */
    g_autofree char *f = copy_file (nodes, "float-type.h5");
    double v[10] = { 0 };
    replace (f, "/nodes/P/node_type_id", H5T_NATIVE_DOUBLE, 10, 1, v);
    expect_error (TRUE, f, "/nodes/P/node_type_id", "integer");
  }
  {
    /* Mismatched lengths: one target short. */
    g_autofree char *f = copy_file (edges, "short.h5");
    g_autofree guint64 *t = g_new0 (guint64, n);
    replace (f, "/edges/P_to_P/target_node_id", H5T_NATIVE_UINT64, n - 1, 1, t);
    expect_error (FALSE, f, "/edges/P_to_P/target_node_id", "equal lengths");
  }
  {
    /* node_group_index beyond group 0's positions. */
    g_autofree char *f = copy_file (nodes, "gidx.h5");
    guint64 idx[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10 };
    replace (f, "/nodes/P/node_group_index", H5T_NATIVE_UINT64, 10, 1, idx);
    expect_error (TRUE, f, "/nodes/P/node_group_index[9]", "beyond");
  }
  {
    /* A node group that does not exist. */
    g_autofree char *f = copy_file (nodes, "group.h5");
    guint32 g[10] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 3 };
    replace (f, "/nodes/P/node_group_id", H5T_NATIVE_UINT32, 10, 1, g);
    expect_error (TRUE, f, "/nodes/P/3", "missing");
  }
  {
    /* Index: a node's range rows past range_to_edge_id. */
    g_autofree char *f = copy_file (edges, "index.h5");
    guint64 r[20];
    for (guint i = 0; i < 10; i++)
      {
        r[2 * i] = i;
        r[2 * i + 1] = i + 1;
      }
    r[19] = 11;
    replace (f, "/edges/P_to_P/indices/target_to_source/node_id_to_range", H5T_NATIVE_UINT64, 10, 2, r);
    expect_error (FALSE, f, "/edges/P_to_P/indices/target_to_source/node_id_to_range[9]", "outside");
  }
  {
    /* Index: an edge range past the edges. */
    g_autofree char *f = copy_file (edges, "range.h5");
    guint64 r[20];
    for (guint i = 0; i < 10; i++)
      {
        r[2 * i] = good->pops[0].target_index.edge_ranges[2 * i];
        r[2 * i + 1] = good->pops[0].target_index.edge_ranges[2 * i + 1];
      }
    r[19] = n + 5;
    replace (f, "/edges/P_to_P/indices/target_to_source/range_to_edge_id", H5T_NATIVE_UINT64, 10, 2, r);
    expect_error (FALSE, f, "range_to_edge_id[9]", "outside");
  }
  {
    /* Index: ranges pointing at another node's edges. */
    g_autofree char *f = copy_file (edges, "swap.h5");
    guint64 r[20];
    memcpy (r, good->pops[0].target_index.edge_ranges, sizeof r);
    guint64 a0 = r[0], a1 = r[1];
    r[0] = r[2];
    r[1] = r[3];
    r[2] = a0;
    r[3] = a1;
    replace (f, "/edges/P_to_P/indices/target_to_source/range_to_edge_id", H5T_NATIVE_UINT64, 10, 2, r);
    expect_error (FALSE, f, "range_to_edge_id[0]", "another node");
  }
  {
    /* Index with the wrong shape. */
    g_autofree char *f = copy_file (edges, "shape.h5");
    guint64 r[10] = { 0 };
    replace (f, "/edges/P_to_P/indices/source_to_target/range_to_edge_id", H5T_NATIVE_UINT64, 10, 1, r);
    expect_error (FALSE, f, "source_to_target/range_to_edge_id", "(n, 2)");
  }
  {
    /* edge_group_index beyond group 0. */
    g_autofree char *f = copy_file (edges, "egidx.h5");
    g_autofree guint64 *gi = g_new0 (guint64, n);
    gi[n - 1] = n;
    replace (f, "/edges/P_to_P/edge_group_index", H5T_NATIVE_UINT64, n, 1, gi);
    expect_error (FALSE, f, "edge_group_index", "beyond");
  }
  {
    /* A negative node id, and a source id dataset without node_population. */
    g_autofree char *f = copy_file (edges, "neg.h5");
    g_autofree gint64 *s = g_new0 (gint64, n);
    s[3] = -2;
    replace (f, "/edges/P_to_P/source_node_id", H5T_NATIVE_INT64, n, 1, s);
    expect_error (FALSE, f, "/edges/P_to_P/source_node_id[3]", "negative");
    s[3] = 0;
    replace (f, "/edges/P_to_P/source_node_id", H5T_NATIVE_INT64, n, 1, s);
    expect_error (FALSE, f, "/edges/P_to_P/source_node_id", "node_population");
  }
  {
    /* A dataset declaring more values than the file holds (a huge extent, no data). */
    g_autofree char *f = copy_file (edges, "huge.h5");
    hid_t h = H5Fopen (f, H5F_ACC_RDWR, H5P_DEFAULT);
    g_assert_cmpint (H5Ldelete (h, "/edges/P_to_P/source_node_id", H5P_DEFAULT), >=, 0);
    hsize_t dims = (hsize_t) 1 << 36;
    hid_t sp = H5Screate_simple (1, &dims, NULL), dcpl = H5Pcreate (H5P_DATASET_CREATE);
    hsize_t chunk = 1024;
    H5Pset_chunk (dcpl, 1, &chunk);
    hid_t ds = H5Dcreate2 (h, "/edges/P_to_P/source_node_id", H5T_STD_U64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    g_assert_cmpint (ds, >=, 0);
    H5Dclose (ds);
    H5Pclose (dcpl);
    H5Sclose (sp);
    H5Fclose (h);
    expect_error (FALSE, f, "/edges/P_to_P/source_node_id", "more than");
  }
  {
    /* Circuit configs: not JSON, a key of the wrong type, a missing nodes file, edges whose
     * node population is in no nodes file. */
    g_autofree char *cfg = g_build_filename (dir, "bad_config.json", NULL);
    g_assert_true (g_file_set_contents (cfg, "{\"networks\": ", -1, NULL));
    g_assert_null (nl_sonata_read_circuit (cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
    g_assert_true (g_file_set_contents (cfg, "{\"networks\": {\"nodes\": [{\"nodes_file\": 3}]}}", -1, NULL));
    g_assert_null (nl_sonata_read_circuit (cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "networks.nodes[0].nodes_file"));
    g_clear_error (&error);
    g_assert_true (g_file_set_contents (cfg, "{\"manifest\": {\"$D\": \".\"}, \"networks\": {\"nodes\": "
                                        "[{\"nodes_file\": \"$D/nothing_nodes.h5\"}]}}", -1, NULL));
    g_assert_null (nl_sonata_read_circuit (cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "nothing_nodes.h5"));
    g_clear_error (&error);
    g_assert_true (g_file_set_contents (cfg, "{\"manifest\": {\"$D\": \".\"}, \"networks\": {\"nodes\": "
                                        "[{\"nodes_file\": \"$D/P_nodes.h5\"}], \"edges\": "
                                        "[{\"edges_file\": \"$D/drive_P_edges.h5\"}]}}", -1, NULL));
    g_assert_null (nl_sonata_read_circuit (cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "node population 'drive' is in no nodes file"));
    g_clear_error (&error);
    /* A population of 5 nodes where the edges reach node 9. */
    g_autofree char *small = g_build_filename (dir, "small_nodes.h5", NULL);
    g_autofree char *copied = copy_file (nodes, "small_nodes.h5");
    g_assert_true (g_rename (copied, small) == 0);
    guint64 five[5] = { 0, 1, 2, 3, 4 };
    guint32 zero[5] = { 0 };
    replace (small, "/nodes/P/node_type_id", H5T_NATIVE_UINT64, 5, 1, five);
    replace (small, "/nodes/P/node_id", H5T_NATIVE_UINT64, 5, 1, five);
    replace (small, "/nodes/P/node_group_index", H5T_NATIVE_UINT64, 5, 1, five);
    replace (small, "/nodes/P/node_group_id", H5T_NATIVE_UINT32, 5, 1, zero);
    g_assert_true (g_file_set_contents (cfg, "{\"networks\": {\"nodes\": [{\"nodes_file\": \"small_nodes.h5\"}],"
                                        " \"edges\": [{\"edges_file\": \"P_P_edges.h5\"}]}}", -1, NULL));
    g_assert_null (nl_sonata_read_circuit (cfg, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "beyond the 5 nodes of 'P'"));
    g_clear_error (&error);
  }
  {
    /* A missing file. */
    g_autoptr(NlSonataNodes) none = nl_sonata_read_nodes ("/nonexistent/x_nodes.h5", &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
}

/* A write that fails part way (file size limit: as a full disk) leaves nothing behind: no
 * final name, no temporary file. */
static void
test_write_failure (void)
{
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  g_autoptr(NlSpec) spec = load (NULL, model);
  g_autoptr(NlNetwork) net = build (spec);
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "full", NULL);

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      struct rlimit lim = { 40000, 40000 };
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
      g_assert_false (nl_sonata_write_network (spec, net, dir, &error));
      g_assert_nonnull (error);
      g_printerr ("%s\n", error->message);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      g_assert_nonnull (d);
      g_assert_null (g_dir_read_name (d));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*edges.h5: cannot write*File too large*");
  /* The edges files are larger than the limit: the write did fail there. */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir2 = g_build_filename (nl_test_tmpdir (), "unlimited", NULL);
  g_assert_true (nl_sonata_write_network (spec, net, dir2, &error));
  g_autofree char *big = g_build_filename (dir2, "E_E_edges.h5", NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (big, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 40000);
}

/* An independent check of the layout with h5py, when Debian's Python has it. */
static void
test_h5py (void)
{
  g_autofree char *script = nl_test_source_file ("tests/check-sonata-net.py");
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  int status = 0;
  if (!g_spawn_sync (NULL, (char *[]) { "/usr/bin/python3", "-c", "import h5py, numpy", NULL }, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                     &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("/usr/bin/python3 with h5py and numpy is not available");
      return;
    }
  g_autoptr(NlSpec) spec = load (mixed_model, NULL);
  g_autoptr(NlNetwork) net = build (spec);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "h5py", NULL);
  g_assert_true (nl_sonata_write_network (spec, net, dir, &error));
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *conns = g_strdup_printf ("%" G_GUINT64_FORMAT, nl_network_get_n_conns (net) + nl_network_get_n_stim_conns (net));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/usr/bin/python3", script, dir, conns, NULL }, NULL, 0,
                               NULL, NULL, &out, &err, &status, &error));
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "ok"));
}

/* `netloom build MODEL --sonata DIR/`, and a folder that cannot be made. */
static void
test_cli (void)
{
  const char *cli = g_getenv ("NETLOOM_CLI");
  if (!cli || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("the netloom CLI is not built");
      return;
    }
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *dir = g_build_filename (nl_test_tmpdir (), "cli", "circuit", NULL);
  g_autofree char *dir_arg = g_strconcat (dir, "/", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { "build", model, "--json", "--sonata", dir_arg, NULL };
  g_assert_cmpint (nl_test_run_cli (argv, &out, &err), ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  JsonObject *counts = json_node_get_object (json_parser_get_root (parser));
  guint64 total = 0;
  static const char *const files[] = { "E_E", "E_I", "I_E" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *f = g_strdup_printf ("%s/%s_edges.h5", dir, files[i]);
      g_autoptr(NlSonataEdges) edges = nl_sonata_read_edges (f, &error);
      g_assert_no_error (error);
      total += edges->pops[0].n_edges;
    }
  g_assert_cmpuint (total, ==, json_object_get_int_member (counts, "conns"));

  g_autofree char *file = g_build_filename (nl_test_tmpdir (), "cli", "plain-file", NULL);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_autofree char *under = g_build_filename (file, "circuit", NULL);
  const char *argv2[] = { "build", model, "--sonata", under, NULL };
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (nl_test_run_cli (argv2, NULL, &err), ==, 3);
  g_assert_nonnull (strstr (err, "cannot create the folder"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sonata-net/ei-net", test_ei_net);
  g_test_add_func ("/sonata-net/mixed", test_mixed);
  g_test_add_func ("/sonata-net/reference", test_reference);
  g_test_add_func ("/sonata-net/bad", test_bad);
  g_test_add_func ("/sonata-net/write-failure", test_write_failure);
  g_test_add_func ("/sonata-net/h5py", test_h5py);
  g_test_add_func ("/sonata-net/cli", test_cli);
  return g_test_run ();
}
