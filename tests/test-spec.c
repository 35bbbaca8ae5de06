/* The spec layer: every layout NetPyNE writes loads unchanged; every key of NetPyNE's
 * tutorials is known to the schema; load → save → load is identical. */

#include <nl-json.h>
#include <nl-schema.h>
#include <nl-spec.h>
#include <string.h>

#include "nl-testutil.h"

static NlSpec *
load2 (const char *a, const char *b, GPtrArray *problems, GError **error)
{
  const char *files[] = { a, b };
  return nl_spec_load (files, b ? 2 : 1, problems, error);
}

/* Walks `node` against the schema as an independent reader would, collecting the paths of
 * keys the schema does not know (user constants and tags excepted). */
static void
collect_unknown (const NlSchemaKey *table, guint flags, JsonObject *obj, const char *path, GPtrArray *out)
{
  JsonObjectIter it;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&it, obj);
  while (json_object_iter_next (&it, &name, &member))
    {
      const NlSchemaKey *key = table ? nl_schema_find (table, name) : NULL;
      g_autofree char *p = g_strdup_printf ("%s.%s", path, name);
      if (!key)
        {
          if (!(flags & (NL_SF_FREE | NL_SF_TAGS | NL_SF_CONSTS)))
            g_ptr_array_add (out, g_steal_pointer (&p));
          continue;
        }
      /* The value's kind must be one the schema accepts. */
      JsonNodeType t = json_node_get_node_type (member);
      guint kind = t == JSON_NODE_OBJECT ? NL_K_OBJ : t == JSON_NODE_ARRAY ? NL_K_LIST :
                   t == JSON_NODE_NULL ? NL_K_NULL :
                   json_node_get_value_type (member) == G_TYPE_STRING ? (NL_K_STR | NL_K_FUNC) :
                   json_node_get_value_type (member) == G_TYPE_BOOLEAN ? NL_K_BOOL : (NL_K_NUM | NL_K_INT);
      if (!(key->kinds & kind))
        g_ptr_array_add (out, g_strdup_printf ("%s (kind)", p));
      if (t != JSON_NODE_OBJECT)
        continue;
      if (key->flags & NL_SF_MAP)
        {
          JsonObjectIter it2;
          const char *n2;
          JsonNode *m2;
          json_object_iter_init (&it2, json_node_get_object (member));
          while (json_object_iter_next (&it2, &n2, &m2))
            if (JSON_NODE_HOLDS_OBJECT (m2) && key->child)
              {
                g_autofree char *p2 = g_strdup_printf ("%s.%s", p, n2);
                collect_unknown (key->child[0].child, key->child[0].flags, json_node_get_object (m2), p2, out);
              }
        }
      else if (key->child)
        collect_unknown (key->child, key->flags, json_node_get_object (member), p, out);
    }
}

static void
assert_all_keys_known (NlSpec *spec)
{
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func (g_free);
  collect_unknown (nl_schema_net_params, NL_SF_CONSTS, nl_spec_get_net_params (spec), "netParams", unknown);
  collect_unknown (nl_schema_sim_config, 0, nl_spec_get_sim_config (spec), "simConfig", unknown);
  for (guint i = 0; i < unknown->len; i++)
    g_test_message ("not in the schema: %s", (char *) unknown->pdata[i]);
  g_assert_cmpuint (unknown->len, ==, 0);
}

static void
assert_valid (NlSpec *spec)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  guint errors = nl_spec_validate (spec, problems);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = nl_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", s);
      /* A NetPyNE file saved by NetPyNE has no unknown keys and no mistakes. */
      g_assert_cmpint (((NlProblem *) problems->pdata[i])->severity, ==, NL_SEVERITY_NOTE);
    }
  g_assert_cmpuint (errors, ==, 0);
}

static void
test_tut2_pair (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL, swapped = NULL;
  JsonNode *n;

  if (!np || !sc)
    return;
  spec = load2 (np, sc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nl_spec_get_layout (spec), ==, NL_SPEC_LAYOUT_NETPYNE_FILES);
  g_assert_true (nl_spec_has_sim_config (spec));
  g_assert_cmpstr (nl_spec_get_net_params_file (spec), ==, np);
  g_assert_cmpstr (nl_spec_get_sim_config_file (spec), ==, sc);

  /* Order-independent. */
  swapped = load2 (sc, np, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_spec_equal (spec, swapped));

  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.popParams.M.numCells", -1), ==, 20);
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.cellParams.PYR.secs.soma.geom.L", -1), ==, 18.8);
  n = nl_spec_lookup (spec, "netParams.cellParams.PYR.secs.soma.geom.diam");
  g_assert_cmpstr (json_node_get_string (n), ==, "19 + uniform(-0.5, 0.5)");
  g_assert_cmpstr (json_node_get_string (nl_spec_lookup (spec, "netParams.synMechParams.exc.mod")), ==, "Exp2Syn");
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.connParams.S->M.divergence", -1), ==, 12);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.hParams.celsius", -1), ==, 6.3);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.recordStep", -1), ==, 0.1);
  g_assert_cmpstr (json_node_get_string (nl_spec_lookup (spec, "simConfig.recordTraces.V_soma.var")), ==, "v");

  assert_all_keys_known (spec);
  assert_valid (spec);
}

static void
test_tut5_pair (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut5/tut5_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut5/tut5_simConfig.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL;
  double v;

  if (!np || !sc)
    return;
  spec = load2 (np, sc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_spec_lookup_constant (spec, "probLengthConst", &v));
  g_assert_cmpfloat (v, ==, 150.0);
  g_assert_true (nl_spec_lookup_constant (spec, "propVelocity", &v));
  g_assert_cmpfloat (v, ==, 100.0);
  g_assert_false (nl_spec_lookup_constant (spec, "popParams", &v));
  g_assert_false (nl_spec_lookup_constant (spec, "noSuchConstant", &v));
  g_assert_cmpstr (json_node_get_string (nl_spec_lookup (spec, "netParams.connParams.I->E.probability")), ==,
                   "0.4*exp(-dist_3D/probLengthConst)");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (
    nl_spec_lookup (spec, "netParams.popParams.E5.ynormRange"))), ==, 2);
  assert_all_keys_known (spec);
  assert_valid (spec);
}

static void
test_savedata (void)
{
  g_autofree char *data = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL, pair = NULL;

  if (!data || !np)
    return;
  spec = load2 (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nl_spec_get_layout (spec), ==, NL_SPEC_LAYOUT_NETPYNE_SAVEDATA);
  g_assert_true (nl_spec_has_sim_config (spec));
  pair = load2 (np, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The saved output holds the netParams that netParams.save() wrote; NetPyNE adds
   * bookkeeping (pop names in popParams, null sec/loc in stim targets) to some sections. */
  {
    const char *same[] = { "cellParams", "connParams", "synMechParams", "stimSourceParams", "sizeX" };
    const char *differ[] = { "popParams", "stimTargetParams" };
    for (guint i = 0; i < G_N_ELEMENTS (same); i++)
      g_assert_true (json_node_equal (json_object_get_member (nl_spec_get_net_params (spec), same[i]),
                                      json_object_get_member (nl_spec_get_net_params (pair), same[i])));
    for (guint i = 0; i < G_N_ELEMENTS (differ); i++)
      g_assert_false (json_node_equal (json_object_get_member (nl_spec_get_net_params (spec), differ[i]),
                                       json_object_get_member (nl_spec_get_net_params (pair), differ[i])));
    g_assert_cmpstr (json_node_get_string (nl_spec_lookup (spec, "netParams.popParams.S.pop")), ==, "S");
  }
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.popParams.S.numCells", -1), ==, 20);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.duration", -1), ==, 1000);
  assert_all_keys_known (spec);
  assert_valid (spec);
}

static void
test_defaults (void)
{
  g_autoptr(NlSpec) spec = nl_spec_load_from_data ("{\"netParams\": {\"popParams\": {}}}", -1, NULL, NULL);
  double v;

  g_assert_nonnull (spec);
  g_assert_false (nl_spec_has_sim_config (spec));
  /* NetPyNE's defaults (specs/simConfig.py, specs/netParams.py). */
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.duration", -1), ==, 1000);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.dt", -1), ==, 0.025);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.hParams.v_init", 0), ==, -65);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.seeds.conn", -1), ==, 1);
  g_assert_cmpfloat (nl_spec_get_double (spec, "simConfig.recordStep", -1), ==, 0.1);
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.defaultWeight", -1), ==, 1);
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.defaultDelay", -1), ==, 1);
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.defaultThreshold", -1), ==, 10);
  g_assert_cmpfloat (nl_spec_get_double (spec, "netParams.sizeY", -1), ==, 100);
  g_assert_true (nl_spec_lookup_constant (spec, "propVelocity", &v));
  g_assert_cmpfloat (v, ==, 500);
  g_assert_cmpstr (json_node_get_string (nl_spec_lookup (spec, "netParams.shape")), ==, "cuboid");
  g_assert_null (nl_spec_lookup (spec, "netParams.noSuchKey"));
  g_assert_null (nl_spec_lookup (spec, "elsewhere.dt"));
}

/* load → save → load is identical, in both layouts and compressed; NetPyNE's own files
 * come back byte for byte. */
static void
test_roundtrip (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut5/tut5_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut5/tut5_simConfig.json");
  const char *dir = nl_test_tmpdir ();
  g_autofree char *own = g_build_filename (dir, "rt.json", NULL);
  g_autofree char *own_gz = g_build_filename (dir, "rt.json.gz", NULL);
  g_autofree char *np2 = g_build_filename (dir, "np.json", NULL);
  g_autofree char *sc2 = g_build_filename (dir, "sc.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL, a = NULL, b = NULL, c = NULL;
  g_autofree char *orig_np = NULL, *orig_sc = NULL, *new_np = NULL, *new_sc = NULL;

  if (!np || !sc)
    return;
  spec = load2 (np, sc, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (nl_spec_save (spec, own, &error));
  g_assert_no_error (error);
  a = load2 (own, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nl_spec_get_layout (a), ==, NL_SPEC_LAYOUT_NETLOOM);
  g_assert_true (nl_spec_equal (spec, a));

  g_assert_true (nl_spec_save (spec, own_gz, &error));
  b = load2 (own_gz, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_spec_equal (spec, b));

  g_assert_true (nl_spec_save_netpyne (spec, np2, sc2, &error));
  g_assert_no_error (error);
  c = load2 (np2, sc2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (nl_spec_equal (spec, c));

  g_assert_true (g_file_get_contents (np, &orig_np, NULL, NULL));
  g_assert_true (g_file_get_contents (np2, &new_np, NULL, NULL));
  g_assert_cmpstr (new_np, ==, orig_np);
  g_assert_true (g_file_get_contents (sc, &orig_sc, NULL, NULL));
  g_assert_true (g_file_get_contents (sc2, &new_sc, NULL, NULL));
  g_assert_cmpstr (new_sc, ==, orig_sc);
}

static void
test_examples (void)
{
  const char *names[] = { "examples/ei-net.json", "examples/dendrite-net.json" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = nl_test_source_file (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSpec) spec = load2 (path, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_all_keys_known (spec);
      assert_valid (spec);
    }
}

static void
test_layout_errors (void)
{
  struct { const char *a, *b; const char *needle; } cases[] = {
    { "{\"simConfig\": {}}", NULL, "only a simConfig" },
    { "[1, 2]", NULL, "expected a JSON object at the top level" },
    { "{\"netparams\": {}}", NULL, "did you mean 'netParams'?" },
    { "{\"net\": {\"cells\": []}}", NULL, "net: has no 'params'" },
    { "{\"netParams\": [1]}", NULL, "expected an object of netParams sections" },
    { "{\"netParams\": {}, \"simConfig\": 3}", NULL, "simConfig: expected an object" },
    { "{\"netParams\": {}}", "{\"net\": {\"params\": {}}}", "both hold netParams" },
    { "{\"netParams\": {}}", "{\"simConfig\": {}, \"netParams\": {}}", "both hold netParams" },
    { "{\"net\": {\"params\": {}}}", "{\"simConfig\": {}}", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *dir = nl_test_tmpdir ();
      g_autofree char *fa = g_build_filename (dir, "a.json", NULL);
      g_autofree char *fb = g_build_filename (dir, "b.json", NULL);
      g_autoptr(GPtrArray) problems = nl_problems_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSpec) spec = NULL;

      g_assert_true (g_file_set_contents (fa, cases[i].a, -1, NULL));
      if (cases[i].b)
        g_assert_true (g_file_set_contents (fb, cases[i].b, -1, NULL));
      spec = load2 (fa, cases[i].b ? fb : NULL, problems, &error);
      if (!cases[i].needle)
        {
          g_assert_no_error (error);
          g_assert_nonnull (spec);
          continue;
        }
      g_assert_null (spec);
      g_assert_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      /* The same failure is a problem for `check --json`. */
      g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), >=, 1);
    }
}

static void
test_syntax_error_problem (void)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  NlSpec *spec = nl_spec_load_from_data ("{\"netParams\": {\n  \"popParams\": {,}\n}}", -1, problems, &error);
  NlProblem *p;

  g_assert_null (spec);
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_SYNTAX);
  g_assert_cmpuint (problems->len, ==, 1);
  p = problems->pdata[0];
  g_assert_cmpint (p->line, ==, 2);
  g_assert_cmpint (p->column, ==, 17);
  g_assert_cmpstr (p->file, ==, "<data>");
  g_assert_true (g_str_has_prefix (p->message, "invalid JSON"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec/tut2-pair", test_tut2_pair);
  g_test_add_func ("/spec/tut5-pair", test_tut5_pair);
  g_test_add_func ("/spec/savedata", test_savedata);
  g_test_add_func ("/spec/defaults", test_defaults);
  g_test_add_func ("/spec/roundtrip", test_roundtrip);
  g_test_add_func ("/spec/examples", test_examples);
  g_test_add_func ("/spec/layout-errors", test_layout_errors);
  g_test_add_func ("/spec/syntax-error-problem", test_syntax_error_problem);
  return g_test_run ();
}
