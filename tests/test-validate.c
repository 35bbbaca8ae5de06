/* Validation: one malformed model per class of problem, each asserting the key path, the
 * severity and the suggestion `check` gives. The base model is valid; each case changes
 * one value (or removes it) and must produce exactly the expected problem. */

#include <nl-json.h>
#include <nl-spec.h>
#include <nl-suggest.h>
#include <string.h>

#include "nl-testutil.h"

static const char *base_model =
  "{\"netParams\": {"
  "  \"probLengthConst\": 150,"
  "  \"popParams\": {\"E\": {\"cellType\": \"PYR\", \"numCells\": 10},"
  "                \"S\": {\"cellModel\": \"NetStim\", \"numCells\": 5, \"rate\": 10}},"
  "  \"cellParams\": {\"PYR\": {\"secs\": {"
  "      \"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8}, \"mechs\": {\"hh\": {\"gnabar\": 0.12}}},"
  "      \"dend\": {\"geom\": {\"L\": 100, \"diam\": 1}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}},"
  "    \"secLists\": {\"all\": [\"soma\", \"dend\"]}}},"
  "  \"synMechParams\": {\"exc\": {\"mod\": \"Exp2Syn\", \"tau1\": 0.1, \"tau2\": 5, \"e\": 0},"
  "                    \"inh\": {\"mod\": \"ExpSyn\", \"tau\": 5, \"e\": -80}},"
  "  \"stimSourceParams\": {\"bkg\": {\"type\": \"NetStim\", \"rate\": 10, \"noise\": 0.5}},"
  "  \"stimTargetParams\": {\"bkg->E\": {\"source\": \"bkg\", \"conds\": {\"pop\": \"E\"}, \"weight\": 0.01,"
  "                                    \"delay\": 1, \"synMech\": \"exc\"}},"
  "  \"connParams\": {\"E->E\": {\"preConds\": {\"pop\": \"E\"}, \"postConds\": {\"pop\": \"E\"},"
  "                           \"probability\": 0.1, \"weight\": 0.01, \"delay\": 2, \"synMech\": \"exc\"}}"
  "}, \"simConfig\": {\"duration\": 100, \"dt\": 0.025,"
  "                 \"recordTraces\": {\"V\": {\"sec\": \"soma\", \"loc\": 0.5, \"var\": \"v\"}}}}";

typedef struct {
  const char *set_path;     /* dotted path from the root ("netParams.popParams.E.numCells") */
  const char *value;        /* JSON text, or NULL to remove the key */
  NlSeverity  severity;
  const char *path;         /* expected problem path */
  const char *suggestion;   /* expected suggestion, or NULL */
  const char *message;      /* a substring of the message */
} Case;

static const Case cases[] = {
  /* 1 unknown key in a population, a case-only typo */
  { "netParams.popParams.E.numcells", "20", NL_SEVERITY_ERROR, "popParams.E.numcells", "numCells", "did you mean 'numCells'?" },
  /* 2 unknown key in a connection rule */
  { "netParams.connParams.E->E.probabilty", "0.2", NL_SEVERITY_ERROR, "connParams.E->E.probabilty", "probability", "unknown key" },
  /* 3 unknown simConfig key */
  { "simConfig.durration", "500", NL_SEVERITY_ERROR, "simConfig.durration", "duration", "did you mean 'duration'?" },
  /* 4 misspelt netParams section */
  { "netParams.synMechParam", "{}", NL_SEVERITY_ERROR, "synMechParam", "synMechParams", "unknown key" },
  /* 5 wrong kind */
  { "netParams.popParams.E.numCells", "\"twenty\"", NL_SEVERITY_ERROR, "popParams.E.numCells", NULL, "expected a number" },
  /* 6 negative count */
  { "netParams.popParams.E.numCells", "-3", NL_SEVERITY_ERROR, "popParams.E.numCells", NULL, "must be at least 0" },
  /* 7 probability above 1 */
  { "netParams.connParams.E->E.probability", "1.5", NL_SEVERITY_ERROR, "connParams.E->E.probability", NULL, "between 0 and 1" },
  /* 8 a constant string function above 1 */
  { "netParams.connParams.E->E.probability", "\"0.5 * 3\"", NL_SEVERITY_ERROR, "connParams.E->E.probability", NULL, "between 0 and 1" },
  /* 9 unknown variable in a string function, with a suggestion */
  { "netParams.connParams.E->E.weight", "\"0.01*post_ynrm\"", NL_SEVERITY_ERROR, "connParams.E->E.weight", "post_ynorm", "post_ynrm" },
  /* 10 a connection variable in a cell property */
  { "netParams.cellParams.PYR.secs.soma.geom.diam", "\"10 + post_ynorm\"", NL_SEVERITY_ERROR, "cellParams.PYR.secs.soma.geom.diam", NULL, "cell property" },
  /* 11 code in a string function */
  { "netParams.connParams.E->E.weight", "\"__import__('os').system('x')\"", NL_SEVERITY_ERROR, "connParams.E->E.weight", NULL, "string function" },
  /* 12 attribute access */
  { "netParams.connParams.E->E.delay", "\"dist_3D.real\"", NL_SEVERITY_ERROR, "connParams.E->E.delay", NULL, "at character 8" },
  /* 13 unknown function */
  { "netParams.connParams.E->E.delay", "\"expp(1)\"", NL_SEVERITY_ERROR, "connParams.E->E.delay", "exp", "expp" },
  /* 14 a synMech that does not exist */
  { "netParams.connParams.E->E.synMech", "\"exx\"", NL_SEVERITY_ERROR, "connParams.E->E.synMech", "exc", "no synMechParams entry named 'exx'" },
  /* 15 a stimulus source that does not exist */
  { "netParams.stimTargetParams.bkg->E.source", "\"bgk\"", NL_SEVERITY_ERROR, "stimTargetParams.bkg->E.source", "bkg", "no stimSourceParams entry" },
  /* 16 a cellType without a cellParams rule */
  { "netParams.popParams.E.cellType", "\"PYRR\"", NL_SEVERITY_ERROR, "popParams.E.cellType", "PYR", "no cellParams rule" },
  /* 17 a population without a size */
  { "netParams.popParams.E.numCells", NULL, NL_SEVERITY_ERROR, "popParams.E", "numCells", "no size" },
  /* 18 a parent section that does not exist */
  { "netParams.cellParams.PYR.secs.dend.topol.parentSec", "\"somma\"", NL_SEVERITY_ERROR, "cellParams.PYR.secs.dend.topol.parentSec", "soma", "no section named 'somma'" },
  /* 19 a section list naming a missing section */
  { "netParams.cellParams.PYR.secLists.all", "[\"soma\", \"axon\"]", NL_SEVERITY_ERROR, "cellParams.PYR.secLists.all[1]", NULL, "no section named 'axon'" },
  /* 20 a connList of the wrong shape */
  { "netParams.connParams.E->E.connList", "[[0, 1], [2, 3, 4]]", NL_SEVERITY_ERROR, "connParams.E->E.connList[1]", NULL, "pair" },
  /* 21 per-synMech lists of the wrong length */
  { "netParams.connParams.E->E.synMech", "[\"exc\", \"inh\"]", NL_SEVERITY_NOTE, NULL, NULL, NULL },
  /* 22 dt of zero */
  { "simConfig.dt", "0", NL_SEVERITY_ERROR, "simConfig.dt", NULL, "greater than 0" },
  /* 23 a trace without a variable */
  { "simConfig.recordTraces.V.var", NULL, NL_SEVERITY_ERROR, "simConfig.recordTraces.V", "var", "missing required key 'var'" },
  /* 24 a misspelt stimulus type */
  { "netParams.stimSourceParams.bkg.type", "\"NetStm\"", NL_SEVERITY_ERROR, "stimSourceParams.bkg.type", "NetStim", "unknown stimulus type" },
  /* 25 a stimulus source without a type */
  { "netParams.stimSourceParams.bkg.type", NULL, NL_SEVERITY_ERROR, "stimSourceParams.bkg", "type", "missing required key 'type'" },
  /* 26 a synaptic mechanism without mod */
  { "netParams.synMechParams.inh.mod", NULL, NL_SEVERITY_ERROR, "synMechParams.inh", "mod", "missing required key 'mod'" },
  /* 27 a negative delay */
  { "netParams.connParams.E->E.delay", "-1", NL_SEVERITY_ERROR, "connParams.E->E.delay", NULL, "must be at least 0" },
  /* 28 conditions naming a population that does not exist */
  { "netParams.connParams.E->E.postConds.pop", "\"EE\"", NL_SEVERITY_WARNING, "connParams.E->E.postConds.pop", "E", "no population named 'EE'" },
  /* 29 two connection kinds in one rule */
  { "netParams.connParams.E->E.convergence", "5", NL_SEVERITY_WARNING, "connParams.E->E.convergence", NULL, "already has 'probability'" },
  /* 30 a deprecated key */
  { "netParams.connParams.E->E.threshold", "-20", NL_SEVERITY_WARNING, "connParams.E->E.threshold", NULL, "deprecated" },
  /* 31 a NetPyNE key NetLoom does not use, set away from its default */
  { "simConfig.coreneuron", "true", NL_SEVERITY_NOTE, "simConfig.coreneuron", NULL, "does not use this key yet" },
  /* 32 true/false expected */
  { "simConfig.saveJson", "\"yes\"", NL_SEVERITY_ERROR, "simConfig.saveJson", NULL, "expected true or false" },
  /* 33 a section name in a rule that no cell has */
  { "netParams.connParams.E->E.sec", "\"apical\"", NL_SEVERITY_WARNING, "connParams.E->E.sec", NULL, "no section or secList named 'apical'" },
  /* 34 a syntax error inside a string function */
  { "netParams.connParams.E->E.weight", "\"0.01 * (1 + \"", NL_SEVERITY_ERROR, "connParams.E->E.weight", NULL, "string function" },
  /* 35 a value outside a fixed set */
  { "netParams.shape", "\"cubiod\"", NL_SEVERITY_ERROR, "shape", "cuboid", "is not one of cuboid, cylinder, ellipsoid" },
  /* 36 a misspelt user constant */
  { "netParams.connParams.E->E.probability", "\"0.4*exp(-dist_3D/probLengthConts)\"", NL_SEVERITY_ERROR, "connParams.E->E.probability", "probLengthConst", "unknown name 'probLengthConts'" },
  /* 37 a list where a number is expected */
  { "simConfig.duration", "[1, 2]", NL_SEVERITY_ERROR, "simConfig.duration", NULL, "got a list" },
  /* 38 a reversed range */
  { "netParams.popParams.E.ynormRange", "[0.8, 0.2]", NL_SEVERITY_ERROR, "popParams.E.ynormRange", NULL, "min <= max" },
  /* 39 sections whose parents form a loop */
  { "netParams.cellParams.PYR.secs.soma.topol", "{\"parentSec\": \"dend\"}", NL_SEVERITY_ERROR, "cellParams.PYR.secs.soma.topol.parentSec", NULL, "loop" },
};

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;
  json_parser_load_from_data (p, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (p));
}

static char *
apply (const char *set_path, const char *value)
{
  g_autoptr(JsonNode) root = parse_json (base_model);
  g_auto(GStrv) parts = g_strsplit (set_path, ".", -1);
  JsonObject *o = json_node_get_object (root);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      if (!json_object_has_member (o, parts[i]))
        json_object_set_object_member (o, parts[i], json_object_new ());
      o = json_object_get_object_member (o, parts[i]);
    }
  if (value)
    json_object_set_member (o, parts[n - 1], parse_json (value));
  else
    {
      g_assert_true (json_object_has_member (o, parts[n - 1]));
      json_object_remove_member (o, parts[n - 1]);
    }
  return nl_json_to_string (root, 2, NULL);
}

static GPtrArray *
check_text (const char *text)
{
  GPtrArray *problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data (text, -1, problems, &error);
  g_assert_no_error (error);
  nl_spec_validate (spec, problems);
  return problems;
}

static void
dump (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = nl_problem_to_string (problems->pdata[i]);
      g_test_message ("  %s", s);
    }
}

static void
test_base_is_valid (void)
{
  g_autoptr(GPtrArray) problems = check_text (base_model);
  dump (problems);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *text = apply (c->set_path, c->value);
  g_autoptr(GPtrArray) problems = check_text (text);
  const NlProblem *hit = NULL;

  dump (problems);
  if (!c->path)
    {
      /* Lists of synMechs with single weight/delay are fine: nothing to report. */
      g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), ==, 0);
      g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_WARNING), ==, 0);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      const NlProblem *p = problems->pdata[i];
      if (g_strcmp0 (p->path, c->path) == 0 && p->severity == c->severity)
        hit = p;
    }
  g_assert_nonnull (hit);
  g_assert_cmpstr (hit->suggestion, ==, c->suggestion);
  g_assert_nonnull (strstr (hit->message, c->message));
  /* Positions come from the text: every problem of a key that exists has a line. */
  g_assert_cmpint (hit->line, >, 0);
  g_assert_cmpstr (hit->file, ==, "<data>");
  /* The one change makes one problem of this severity or worse, not a cascade. */
  g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), <=, (c->severity == NL_SEVERITY_ERROR ? 1u : 0u));
}

static void
test_weight_list_mismatch (void)
{
  g_autofree char *a = apply ("netParams.connParams.E->E.synMech", "[\"exc\", \"inh\"]");
  g_autoptr(JsonNode) root = parse_json (a);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  JsonObject *rule = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (
    json_node_get_object (root), "netParams"), "connParams"), "E->E");

  json_object_set_member (rule, "weight", parse_json ("[0.1, 0.2, 0.3]"));
  text = nl_json_to_string (root, 2, NULL);
  problems = check_text (text);
  dump (problems);
  g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), ==, 1);
  g_assert_cmpstr (((NlProblem *) problems->pdata[0])->path, ==, "connParams.E->E.weight");
  g_assert_nonnull (strstr (((NlProblem *) problems->pdata[0])->message, "3 values for 2 synMechs"));
}

static void
test_all_collected (void)
{
  /* Three independent mistakes: all three are reported, not only the first. */
  g_autofree char *a = apply ("netParams.popParams.E.numcells", "1");
  g_autoptr(JsonNode) root = parse_json (a);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  JsonObject *np = json_object_get_object_member (json_node_get_object (root), "netParams");

  json_object_set_member (json_object_get_object_member (json_object_get_object_member (np, "connParams"), "E->E"),
                          "synMech", parse_json ("\"exx\""));
  json_object_set_member (json_object_get_object_member (json_node_get_object (root), "simConfig"),
                          "dt", parse_json ("-1"));
  text = nl_json_to_string (root, 2, NULL);
  problems = check_text (text);
  dump (problems);
  g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), >=, 3);
}

static void
test_duplicate_key (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *text = g_strdup (base_model);
  /* Give "duration" twice. */
  char *at = strstr (text, "\"duration\": 100");
  g_autofree char *twice = g_strdup_printf ("%.*s\"duration\": 5, %s", (int) (at - text), text, at);

  problems = check_text (twice);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((NlProblem *) problems->pdata[0])->path, ==, "simConfig.duration");
  g_assert_cmpint (((NlProblem *) problems->pdata[0])->severity, ==, NL_SEVERITY_WARNING);
}

static void
test_suggest (void)
{
  const char *const keys[] = { "numCells", "density", "gridSpacing", "cellType", NULL };
  g_assert_cmpuint (nl_suggest_distance ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (nl_suggest_distance ("abcd", "abdc"), ==, 1);
  g_assert_cmpuint (nl_suggest_distance ("", "abc"), ==, 3);
  g_assert_cmpstr (nl_suggest ("numcells", keys, -1), ==, "numCells");
  g_assert_cmpstr (nl_suggest ("densty", keys, -1), ==, "density");
  g_assert_cmpstr (nl_suggest ("celltyep", keys, -1), ==, "cellType");
  g_assert_null (nl_suggest ("layer", keys, -1));
  g_assert_null (nl_suggest ("numCells", keys, -1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/validate/base-is-valid", test_base_is_valid);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/validate/case/%02u-%s", i + 1, cases[i].path ? cases[i].path : "ok");
      g_test_add_data_func (name, &cases[i], test_case);
    }
  g_test_add_func ("/validate/weight-list-mismatch", test_weight_list_mismatch);
  g_test_add_func ("/validate/all-collected", test_all_collected);
  g_test_add_func ("/validate/duplicate-key", test_duplicate_key);
  g_test_add_func ("/validate/suggest", test_suggest);
  return g_test_run ();
}
