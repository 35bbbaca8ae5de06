/* The built network's per-cell values, source index and NetPyNE layout on disk. */

#include <nl-build.h>
#include <nl-json.h>
#include <nl-netpyne-net.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

static NlNetwork *
build_tut2 (guint threads, NlSpec **spec_out)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  const char *files[] = { np, sc };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL;
  NlBuildOptions opts = { .n_threads = threads };
  NlNetwork *net;

  if (!np || !sc)
    return NULL;
  spec = nl_spec_load (files, 2, NULL, &error);
  g_assert_no_error (error);
  net = nl_build_network (spec, &opts, NULL, &error);
  g_assert_no_error (error);
  if (spec_out)
    *spec_out = g_object_ref (spec);
  return net;
}

static void
test_cell_functions (void)
{
  g_autoptr(NlNetwork) net = build_tut2 (1, NULL);
  g_autoptr(NlNetwork) again = build_tut2 (3, NULL);
  int i_diam = -1, i_gnabar = -1;
  double first_diam = NAN;
  gboolean differ = FALSE;

  if (!net)
    return;
  g_assert_cmpuint (nl_network_get_n_cell_rules (net), ==, 1);
  g_assert_cmpstr (nl_network_get_cell_rule (net, 0), ==, "PYR");
  /* tut2's PYR has two string functions: diam and hh's gnabar. */
  g_assert_cmpuint (nl_network_get_n_cell_funcs (net, 0), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const char *p = nl_network_get_cell_func (net, 0, i);
      if (g_str_equal (p, "secs.soma.geom.diam"))
        i_diam = i;
      if (g_str_equal (p, "secs.soma.mechs.hh.gnabar"))
        i_gnabar = i;
    }
  g_assert_cmpint (i_diam, >=, 0);
  g_assert_cmpint (i_gnabar, >=, 0);
  for (guint gid = 0; gid < nl_network_get_n_cells (net); gid++)
    {
      const double *v = nl_network_get_cell_values (net, gid);
      const double *w = nl_network_get_cell_values (again, gid);
      double ynorm = nl_network_get_coords (net, NL_COORD_YNORM)[gid];
      /* "19 + uniform(-0.5, 0.5)" and "0.12 + 0.001*ynorm" */
      g_assert_cmpfloat (v[i_diam], >=, 18.5);
      g_assert_cmpfloat (v[i_diam], <, 19.5);
      g_assert_cmpfloat (v[i_gnabar], ==, 0.12 + 0.001 * ynorm);
      g_assert_cmpfloat (v[i_diam], ==, w[i_diam]);
      if (gid == 0)
        first_diam = v[i_diam];
      else
        differ |= v[i_diam] != first_diam;
    }
  g_assert_true (differ);
}

static void
test_by_source (void)
{
  g_autoptr(NlNetwork) net = build_tut2 (2, NULL);
  guint64 total = 0;

  if (!net)
    return;
  for (guint gid = 0; gid < nl_network_get_n_cells (net); gid++)
    {
      const guint64 *idx;
      guint64 n = nl_network_conns_from_cell (net, gid, &idx);
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      /* tut2: each S cell diverges onto 12 M cells; M cells project nowhere. */
      g_assert_cmpuint (n, ==, g_str_equal (pop->name, "S") ? 12 : 0);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          nl_network_get_conn (net, idx[i], &c);
          g_assert_cmpuint (c.pre, ==, gid);
          if (i)
            g_assert_cmpuint (idx[i], >, idx[i - 1]);
        }
      total += n;
    }
  g_assert_cmpuint (total, ==, nl_network_get_n_conns (net));
}

static void
test_save_netpyne_layout (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = build_tut2 (0, &spec);
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "net.json.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlJsonDoc) doc = NULL;
  g_autoptr(NlSpec) back = NULL;
  JsonObject *root, *netobj;
  JsonArray *cells;
  guint conns = 0, netstim = 0;

  if (!net)
    return;
  g_assert_true (nl_netpyne_write_net (spec, net, path, &error));
  g_assert_no_error (error);
  doc = nl_json_doc_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  root = json_node_get_object (nl_json_doc_get_root (doc));
  netobj = json_object_get_object_member (root, "net");
  cells = json_object_get_array_member (netobj, "cells");
  g_assert_cmpuint (json_array_get_length (cells), ==, 40);
  for (guint i = 0; i < json_array_get_length (cells); i++)
    {
      JsonObject *cell = json_array_get_object_element (cells, i);
      JsonObject *tags = json_object_get_object_member (cell, "tags");
      JsonArray *cc = json_object_get_array_member (cell, "conns");
      g_assert_cmpint (json_object_get_int_member (cell, "gid"), ==, i);
      g_assert_cmpfloat (json_object_get_double_member (tags, "y"), ==,
                         nl_network_get_coords (net, NL_COORD_Y)[i]);
      for (guint j = 0; j < json_array_get_length (cc); j++)
        {
          JsonObject *c = json_array_get_object_element (cc, j);
          JsonNode *pre = json_object_get_member (c, "preGid");
          if (json_node_get_value_type (pre) == G_TYPE_STRING)
            {
              g_assert_cmpstr (json_node_get_string (pre), ==, "NetStim");
              g_assert_cmpstr (json_object_get_string_member (c, "preLabel"), ==, "bkg");
              netstim++;
            }
          else
            {
              g_assert_cmpfloat (json_object_get_double_member (c, "weight"), ==, 0.01);
              g_assert_cmpfloat (json_object_get_double_member (c, "delay"), ==, 5);
              g_assert_cmpstr (json_object_get_string_member (c, "synMech"), ==, "exc");
              g_assert_cmpstr (json_object_get_string_member (c, "label"), ==, "S->M");
              conns++;
            }
        }
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cell, "stims")), ==, 1);
    }
  g_assert_cmpuint (conns, ==, 240);
  g_assert_cmpuint (netstim, ==, 40);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_object_get_object_member (json_object_get_object_member (netobj, "pops"), "S"), "cellGids")), ==, 20);

  /* The file is a NetPyNE saved model: NetLoom reads its spec back unchanged. */
  {
    const char *files[] = { path };
    back = nl_spec_load (files, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (nl_spec_get_layout (back), ==, NL_SPEC_LAYOUT_NETPYNE_SAVEDATA);
    g_assert_true (nl_spec_equal (spec, back));
  }
}

static void
test_save_refuses_bad_path (void)
{
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = build_tut2 (1, &spec);
  g_autoptr(GError) error = NULL;

  if (!net)
    return;
  g_assert_false (nl_netpyne_write_net (spec, net, "/nonexistent/dir/net.json", &error));
  g_assert_nonnull (error);
}

/* subConnParams with density 'uniform': every synapse from the selected cells moves onto
 * the rule's sections, spread evenly and measured from the far end as NetPyNE does; grouped
 * synMechs move together. */
static void
test_subconn_uniform (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 4}, \"B\": {\"cellType\": \"C\", \"numCells\": 3}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}},"
    "      \"dend\": {\"geom\": {\"L\": 200, \"diam\": 1},"
    "               \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
    " \"synMechParams\": {\"AMPA\": {\"mod\": \"ExpSyn\"}, \"NMDA\": {\"mod\": \"Exp2Syn\"}},"
    " \"connParams\": {\"A->B\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"B\"},"
    "                 \"synMech\": [\"AMPA\", \"NMDA\"], \"sec\": \"soma\", \"loc\": 0.5}},"
    " \"subConnParams\": {\"move\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"B\"},"
    "                 \"sec\": \"dend\", \"density\": \"uniform\", \"groupSynMechs\": [\"AMPA\", \"NMDA\"]}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  g_autoptr(NlNetwork) net = NULL;

  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  /* 4 pre × 3 post × 2 synMechs */
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 24);
  for (guint post = 4; post < 7; post++)
    {
      guint64 first, n = nl_network_conns_of_cell (net, post, &first);
      g_assert_cmpuint (n, ==, 8);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          nl_network_get_conn (net, first + i, &c);
          g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c.sec), ==, "dend");
          /* The 4 AMPA synapses (sources 0..3 in order) are the leaders: the k-th goes to
           * 1 - (k + 0.5)/4; its NMDA twin goes with it. */
          g_assert_cmpfloat_with_epsilon (c.loc, 1 - (c.pre + 0.5) / 4, 1e-6);
        }
    }
}

/* density {type: distance}: every synapse to the segment whose path distance from the
 * reference point is closest to the target (later ties win, as NetPyNE's scan). */
static void
test_subconn_distance (void)
{
  const double targets[] = { 150, 250 };
  const char *want_sec[] = { "dend", "dend2" };
  const double want_loc[] = { 0.75, 0.5 };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *model = g_strdup_printf (
        "{\"netParams\": {"
        " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 3}},"
        " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 20, \"diam\": 20}},"
        "   \"dend\": {\"geom\": {\"L\": 200, \"diam\": 2, \"nseg\": 10}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}},"
        "   \"dend2\": {\"geom\": {\"L\": 100, \"diam\": 1, \"nseg\": 5}, \"topol\": {\"parentSec\": \"dend\", \"parentX\": 1, \"childX\": 0}}},"
        "   \"secLists\": {\"dends\": [\"dend\", \"dend2\"]}}},"
        " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\"}},"
        " \"connParams\": {\"c\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"synMech\": \"exc\"}},"
        " \"subConnParams\": {\"d\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"sec\": \"dends\","
        "   \"density\": {\"type\": \"distance\", \"ref_sec\": \"soma\", \"ref_seg\": 0.5, \"target_distance\": %g}}}"
        "}}", targets[t]);
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
      g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (nl_network_get_n_conns (net), ==, 6);
      for (guint64 i = 0; i < 6; i++)
        {
          NlConn c;
          nl_network_get_conn (net, i, &c);
          g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c.sec), ==, want_sec[t]);
          g_assert_cmpfloat_with_epsilon (c.loc, want_loc[t], 1e-6);
        }
    }
}

/* Stimulus-source parameters as string functions are evaluated for each stimulated cell. */
static void
test_stim_functions (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 5}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\"}},"
    " \"stimSourceParams\": {\"ic\": {\"type\": \"IClamp\", \"del\": 5, \"amp\": \"0.1 + 0.1*post_ynorm\","
    "                                 \"dur\": \"uniform(100, 200)\"},"
    "                        \"ns\": {\"type\": \"NetStim\", \"rate\": \"variable\", \"noise\": 0.5}},"
    " \"stimTargetParams\": {\"ic->A\": {\"source\": \"ic\", \"conds\": {\"pop\": \"A\"}, \"sec\": \"soma\", \"loc\": 0.5},"
    "                        \"ns->A\": {\"source\": \"ns\", \"conds\": {\"pop\": \"A\"}, \"synMech\": \"exc\"}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlNetwork) net = NULL;
  int ic, ns;
  guint seen = 0;

  g_assert_no_error (error);
  /* 'variable' is NetPyNE's run-time rate, not a function. */
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  ic = nl_network_find_rule (net, "ic->A");
  ns = nl_network_find_rule (net, "ns->A");
  g_assert_cmpint (ic, >=, 0);
  g_assert_cmpint (ns, >, ic);
  g_assert_cmpint (nl_network_find_rule (net, "nothing"), ==, -1);
  g_assert_cmpuint (nl_network_get_n_stim_funcs (net, ic), ==, 2);
  g_assert_cmpstr (nl_network_get_stim_func (net, ic, 0), ==, "amp");
  g_assert_cmpstr (nl_network_get_stim_func (net, ic, 1), ==, "dur");
  g_assert_cmpuint (nl_network_get_n_stim_funcs (net, ns), ==, 0);
  g_assert_cmpuint (nl_network_get_n_stims (net), ==, 10);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 5);
  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    {
      NlNetStim st;
      nl_network_get_stim (net, i, &st);
      if ((int) st.rule != ic)
        continue;
      const double *v = nl_network_get_stim_values (net, i);
      g_assert_cmpfloat (v[0], ==, 0.1 + 0.1 * nl_network_get_coords (net, NL_COORD_YNORM)[st.cell]);
      g_assert_cmpfloat (v[1], >=, 100);
      g_assert_cmpfloat (v[1], <, 200);
      seen++;
    }
  g_assert_cmpuint (seen, ==, 5);
}

/* Eight NetStims onto one cell with a soma and a 100 µm dendrite along y (pt3d, 4 segments),
 * whose synapses a subConnParams rule with `density` moves onto the dendrite. */
static NlNetwork *
build_with_subconn (const char *density)
{
  g_autofree char *model = g_strdup_printf (
    "{\"netParams\": {"
    " \"popParams\": {\"S\": {\"cellModel\": \"NetStim\", \"numCells\": 8, \"rate\": 10},"
    "               \"P\": {\"cellType\": \"C\", \"numCells\": 1}},"
    " \"cellParams\": {\"C\": {\"secs\": {"
    "   \"soma\": {\"geom\": {\"L\": 10, \"diam\": 10, \"pt3d\": [[0, -10, 0, 10], [0, 0, 0, 10]]}},"
    "   \"dend\": {\"geom\": {\"diam\": 1, \"nseg\": 4, \"pt3d\": [[0, 0, 0, 1], [0, 100, 0, 1]]},"
    "            \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\"}},"
    " \"connParams\": {\"S->P\": {\"preConds\": {\"pop\": \"S\"}, \"postConds\": {\"pop\": \"P\"}, \"synMech\": \"exc\"}},"
    " \"subConnParams\": {\"m\": {\"preConds\": {\"pop\": \"S\"}, \"postConds\": {\"pop\": \"P\"}, \"sec\": \"dend\","
    "   \"density\": %s}}"
    "}, \"simConfig\": {\"pt3dRelativeToCellLocation\": false}}", density);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  NlNetwork *net;
  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  return net;
}

static void
assert_locs (NlNetwork *net, const double want[8])
{
  guint64 first, n = nl_network_conns_of_cell (net, 8, &first);
  g_assert_cmpuint (n, ==, 8);
  for (guint64 i = 0; i < n; i++)
    {
      NlConn c;
      nl_network_get_conn (net, first + i, &c);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c.sec), ==, "dend");
      g_assert_cmpfloat_with_epsilon (c.loc, want[c.pre], 1e-6);
    }
}

/* 2Dmap with densities y/100 (bilinear in x and y): 3.125, 9.375, 15.625, 21.875 of 50;
 * 8 synapses → 0.5, 1.5, 2.5, 3.5, rounded half to even → 0, 2, 2, 4. */
static void
test_subconn_map2d (void)
{
  const double want[8] = { 0.375, 0.375, 0.625, 0.625, 0.875, 0.875, 0.875, 0.875 };
  g_autoptr(NlNetwork) net = build_with_subconn (
    "{\"type\": \"2Dmap\", \"gridX\": [-100, 100], \"gridY\": [0, 100], \"gridValues\": [[0, 1], [0, 1]]}");
  assert_locs (net, want);
}

/* Cartesian distance from soma(0.5) at y = -5: segment centres at 17.5, 42.5, 67.5, 92.5 µm;
 * the target 60 picks the third. */
static void
test_subconn_cartesian (void)
{
  const double want[8] = { 0.625, 0.625, 0.625, 0.625, 0.625, 0.625, 0.625, 0.625 };
  g_autoptr(NlNetwork) net = build_with_subconn (
    "{\"type\": \"distance\", \"coord\": \"cartesian\", \"ref_sec\": \"soma\", \"ref_seg\": 0.5, \"target_distance\": 60}");
  assert_locs (net, want);
}

/* density 1Dmap: the density at each segment interpolated from the grid (y of its 3-D
 * position), times length/nseg, scaled to the synapses there are, rounded (half to even),
 * the remainder to the largest rounding losses (subconn.py). Worked by hand:
 * densities 0.25, 0.75, 1.5, 2.5 on four 25 µm segments → 6.25, 18.75, 37.5, 62.5 of 125;
 * 8 synapses → 0.4, 1.2, 2.4, 4.0 → 0, 1, 2, 4, and the missing one to segment 0. */
static void
test_subconn_map1d (void)
{
  const double want[8] = { 0.125, 0.375, 0.625, 0.625, 0.875, 0.875, 0.875, 0.875 };
  g_autoptr(NlNetwork) net = build_with_subconn (
    "{\"type\": \"1Dmap\", \"gridY\": [0, 50, 100], \"gridValues\": [0, 1, 3]}");
  /* Sorted by (section, location, source): source k takes the k-th place. */
  assert_locs (net, want);
}

/* Without 3-D points a map cannot be placed: an error naming the rule and the cell rule. */
static void
test_subconn_map_needs_shape (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"P\": {\"cellType\": \"C\", \"numCells\": 2}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}}}}},"
    " \"synMechParams\": {\"exc\": {\"mod\": \"ExpSyn\"}},"
    " \"connParams\": {\"c\": {\"preConds\": {\"pop\": \"P\"}, \"postConds\": {\"pop\": \"P\"}, \"synMech\": \"exc\"}},"
    " \"subConnParams\": {\"m\": {\"preConds\": {\"pop\": \"P\"}, \"postConds\": {\"pop\": \"P\"},"
    "   \"density\": {\"type\": \"2Dmap\", \"gridX\": [0, 1], \"gridY\": [0, 1], \"gridValues\": [[1, 1], [1, 1]]}}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  NlNetwork *net = nl_build_network (spec, NULL, NULL, &error);

  g_assert_null (net);
  g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "subConnParams.m"));
  g_assert_nonnull (strstr (error->message, "pt3d"));
}

/* VecStim cells carry their spike trains in the built network. */
static void
test_vecstim_trains (void)
{
  g_autofree char *path = nl_test_source_file ("examples/dendrite-net.json");
  const char *files[] = { path };
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load (files, 1, NULL, &error);
  g_autoptr(NlNetwork) net = NULL;
  const NlNetPop *drive;
  const double *t;
  guint n;

  g_assert_no_error (error);
  net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  drive = nl_network_get_pop (net, nl_network_find_pop (net, "drive"));
  /* "spkTimes": [[20, 60, 100], [40, 80]] */
  t = nl_network_get_spike_times (net, drive->first, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (t[0], ==, 20);
  g_assert_cmpfloat (t[2], ==, 100);
  t = nl_network_get_spike_times (net, drive->first + 1, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (t[1], ==, 80);
  g_assert_null (nl_network_get_spike_times (net, 0, &n));
  g_assert_cmpuint (n, ==, 0);
}

/* connList rules read lists as long as the connList per listed pair (conn.py fromListConn),
 * even when the synMech list has the same length; and cellList in a connection rule's conds
 * matches nothing, as in NetPyNE. */
static void
test_conn_list_lists (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 3}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}},"
    "   \"dend\": {\"geom\": {\"L\": 100, \"diam\": 1}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
    " \"synMechParams\": {\"AMPA\": {\"mod\": \"ExpSyn\"}, \"NMDA\": {\"mod\": \"Exp2Syn\"}},"
    " \"connParams\": {\"l\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"},"
    "     \"connList\": [[0, 1], [1, 2]], \"synMech\": [\"AMPA\", \"NMDA\"], \"weight\": [0.1, 0.2],"
    "     \"sec\": [\"dend\", \"soma\"]},"
    "   \"none\": {\"preConds\": {\"pop\": \"A\", \"cellList\": [0]}, \"postConds\": {\"pop\": \"A\"}, \"synMech\": \"AMPA\"}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, problems, &error);
  gboolean warned = FALSE;

  g_assert_no_error (error);
  /* 2 pairs × 2 synMechs from 'l', nothing from 'none'. */
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 4);
  for (guint64 i = 0; i < 4; i++)
    {
      NlConn c;
      nl_network_get_conn (net, i, &c);
      g_assert_cmpfloat (c.weight, ==, c.pre == 0 ? 0.1f : 0.2f);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c.sec), ==, c.pre == 0 ? "dend" : "soma");
    }
  for (guint i = 0; i < problems->len; i++)
    warned |= strstr (((NlProblem *) problems->pdata[i])->message, "cellList") != NULL;
  g_assert_true (warned);
}

/* synsPerConn over several sections without distributeSynsUniformly: random sections and
 * random locations (connRandomSecFromList), or the sections in order. */
static void
test_syns_over_sections (void)
{
  for (int random = 0; random < 2; random++)
    {
      g_autofree char *model = g_strdup_printf (
        "{\"netParams\": {"
        " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 20}},"
        " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}},"
        "   \"d1\": {\"geom\": {\"L\": 100, \"diam\": 1}, \"topol\": {\"parentSec\": \"soma\"}},"
        "   \"d2\": {\"geom\": {\"L\": 100, \"diam\": 1}, \"topol\": {\"parentSec\": \"soma\"}}}}},"
        " \"synMechParams\": {\"e\": {\"mod\": \"ExpSyn\"}},"
        " \"connParams\": {\"c\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"convergence\": 3,"
        "   \"synMech\": \"e\", \"sec\": [\"d1\", \"d2\"], \"synsPerConn\": 2}}"
        "}, \"simConfig\": {\"distributeSynsUniformly\": false, \"connRandomSecFromList\": %s}}",
        random ? "true" : "false");
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
      g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, NULL, &error);
      guint on_d1 = 0, n = nl_network_get_n_conns (net), distinct_locs = 0;
      g_autoptr(GHashTable) locs = g_hash_table_new (NULL, NULL);

      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 20 * 3 * 2);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          nl_network_get_conn (net, i, &c);
          const char *sec = nl_network_get_name (net, NL_NAME_SEC, c.sec);
          g_assert_true (g_str_equal (sec, "d1") || g_str_equal (sec, "d2"));
          on_d1 += g_str_equal (sec, "d1");
          if (!random)
            {
              /* In order: the first synapse of each connection on d1, the second on d2. */
              g_assert_cmpstr (sec, ==, i % 2 == 0 ? "d1" : "d2");
              g_assert_cmpfloat (c.loc, ==, 0.5);
            }
          if (g_hash_table_add (locs, GUINT_TO_POINTER ((guint) (c.loc * 1e6))))
            distinct_locs++;
        }
      if (random)
        {
          /* Two distinct sections per connection (2 synapses, 2 sections), random locations. */
          g_assert_cmpuint (on_d1, ==, n / 2);
          g_assert_cmpuint (distinct_locs, >, 100);
        }
    }
}

static void
test_gap_junction_rules (void)
{
  const char *model =
    "{\"netParams\": {"
    " \"popParams\": {\"A\": {\"cellType\": \"C\", \"numCells\": 3}},"
    " \"cellParams\": {\"C\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}}}}},"
    " \"synMechParams\": {\"gap\": {\"mod\": \"ElectSyn\", \"g\": 0.001,"
    "                      \"pointerParams\": {\"target_var\": \"vpeer\", \"source_var\": \"v\", \"bidirectional\": false}},"
    "                  \"exc\": {\"mod\": \"ExpSyn\"}},"
    " \"connParams\": {\"g\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"synMech\": \"gap\"},"
    "                \"old\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"synMech\": \"exc\","
    "                         \"gapJunction\": true},"
    "                \"chem\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"}, \"synMech\": \"exc\"}}"
    "}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (model, -1, NULL, &error);
  g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (nl_network_get_n_rules (net), ==, 3);
  g_assert_true (nl_network_get_rule (net, 0)->pointer);
  g_assert_false (nl_network_get_rule (net, 0)->bidirectional);
  g_assert_true (nl_network_get_rule (net, 1)->pointer);
  g_assert_true (nl_network_get_rule (net, 1)->bidirectional);
  g_assert_false (nl_network_get_rule (net, 2)->pointer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/network/cell-functions", test_cell_functions);
  g_test_add_func ("/network/by-source", test_by_source);
  g_test_add_func ("/network/save-netpyne-layout", test_save_netpyne_layout);
  g_test_add_func ("/network/save-refuses-bad-path", test_save_refuses_bad_path);
  g_test_add_func ("/network/subconn-uniform", test_subconn_uniform);
  g_test_add_func ("/network/gap-junction-rules", test_gap_junction_rules);
  g_test_add_func ("/network/subconn-distance", test_subconn_distance);
  g_test_add_func ("/network/stim-functions", test_stim_functions);
  g_test_add_func ("/network/subconn-map1d", test_subconn_map1d);
  g_test_add_func ("/network/subconn-map-needs-shape", test_subconn_map_needs_shape);
  g_test_add_func ("/network/subconn-map2d", test_subconn_map2d);
  g_test_add_func ("/network/subconn-cartesian", test_subconn_cartesian);
  g_test_add_func ("/network/vecstim-trains", test_vecstim_trains);
  g_test_add_func ("/network/conn-list-lists", test_conn_list_lists);
  g_test_add_func ("/network/syns-over-sections", test_syns_over_sections);
  return g_test_run ();
}
