/* End to end: the real `netloom` executable, its exit codes and outputs (CONTRACTS.md). */

#include <json-glib/json-glib.h>
#include <string.h>

#include "nl-testutil.h"

static int
run (char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *a;

  va_start (ap, err);
  while ((a = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return nl_test_run_cli ((const char *const *) argv->pdata, out, err);
}

static JsonObject *
parse_object (const char *text, JsonParser **keep)
{
  g_autoptr(GError) error = NULL;
  *keep = json_parser_new ();
  json_parser_load_from_data (*keep, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*keep));
}

static void
test_usage (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (NULL, NULL, NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, "frobnicate", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, "check", NULL), ==, 2);
  g_assert_cmpint (run (NULL, NULL, "check", "a", "b", "c", NULL), ==, 2);
  g_assert_cmpint (run (NULL, &err, "check", "--bogus", "x.json", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--bogus"));
  g_assert_cmpint (run (&out, NULL, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "check"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (&out, NULL, "check", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--json"));
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_assert_cmpint (run (&out, NULL, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "netloom 0."));
  g_assert_nonnull (strstr (out, "\nNEURON "));
}

static void
assert_check_ok (const char *a, const char *b)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  JsonArray *problems;

  g_assert_cmpint (run (&out, &err, "check", "--json", a, b, NULL), ==, 0);
  o = parse_object (out, &parser);
  g_assert_true (json_object_get_boolean_member (o, "valid"));
  problems = json_object_get_array_member (o, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, i), "severity"),
                     !=, "error");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, &err, "check", a, b, NULL), ==, 0);
  g_assert_nonnull (strstr (err, ": 0 errors"));
}

static void
test_netpyne_files (void)
{
  g_autofree char *np2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autofree char *np5 = nl_test_shared_file ("reference/netpyne/tut5/tut5_netParams.json");
  g_autofree char *sc5 = nl_test_shared_file ("reference/netpyne/tut5/tut5_simConfig.json");
  g_autofree char *d2 = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *d5 = nl_test_shared_file ("reference/netpyne/tut5/tut5_data.json.gz");

  if (!np2 || !sc2 || !np5 || !sc5 || !d2 || !d5)
    return;
  assert_check_ok (np2, sc2);
  assert_check_ok (sc5, np5);
  assert_check_ok (d2, NULL);
  assert_check_ok (d5, NULL);
}

static void
test_examples (void)
{
  g_autofree char *a = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *b = nl_test_source_file ("examples/dendrite-net.json");
  assert_check_ok (a, NULL);
  assert_check_ok (b, NULL);
}

static void
test_numcells_typo (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "typo.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o, *p = NULL;
  JsonArray *problems;

  g_assert_true (g_file_set_contents (path,
    "{\"netParams\": {\n"
    "  \"popParams\": {\"E2\": {\"cellType\": \"E\", \"numcells\": 20}},\n"
    "  \"cellParams\": {\"E\": {\"secs\": {\"soma\": {\"geom\": {\"L\": 10, \"diam\": 10}}}}}\n"
    "}}\n", -1, NULL));
  g_assert_cmpint (run (&out, &err, "check", "--json", path, NULL), ==, 1);
  o = parse_object (out, &parser);
  g_assert_false (json_object_get_boolean_member (o, "valid"));
  problems = json_object_get_array_member (o, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *q = json_array_get_object_element (problems, i);
      if (g_str_equal (json_object_get_string_member (q, "path"), "popParams.E2.numcells"))
        p = q;
    }
  g_assert_nonnull (p);
  g_assert_cmpstr (json_object_get_string_member (p, "severity"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (p, "suggestion"), ==, "numCells");
  g_assert_cmpint (json_object_get_int_member (p, "line"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (p, "column"), ==, 41);
  g_assert_cmpstr (json_object_get_string_member (p, "file"), ==, path);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (NULL, &err, "check", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, ":2:41: error: popParams.E2.numcells: unknown key; did you mean 'numCells'?"));
}

static void
test_bad_files (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "broken.json", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *p;

  g_assert_true (g_file_set_contents (path, "{\"netParams\": {\n\n   \"popParams\": {\"E\": }}}", -1, NULL));
  g_assert_cmpint (run (&out, NULL, "check", "--json", path, NULL), ==, 1);
  p = json_array_get_object_element (json_object_get_array_member (parse_object (out, &parser), "problems"), 0);
  g_assert_cmpint (json_object_get_int_member (p, "line"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (p, "column"), ==, 23);
  g_assert_cmpint (run (NULL, NULL, "check", "/nonexistent/model.json", NULL), ==, 1);
}

static void
test_build (void)
{
  g_autofree char *np = nl_test_shared_file ("reference/netpyne/tut2/tut2_netParams.json");
  g_autofree char *sc = nl_test_shared_file ("reference/netpyne/tut2/tut2_simConfig.json");
  g_autofree char *save = g_build_filename (nl_test_tmpdir (), "tut2-net.json", NULL);
  g_autofree char *out = NULL, *out2 = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL, parser2 = NULL;
  JsonObject *o, *pops;

  if (!np || !sc)
    return;
  g_assert_cmpint (run (&out, NULL, "build", "--json", "--save", save, np, sc, NULL), ==, 0);
  o = parse_object (out, &parser);
  /* CONTRACTS.md: cells, conns (one per NetCon), stim_conns, pops with cells and conns_in. */
  g_assert_cmpint (json_object_get_int_member (o, "cells"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (o, "conns"), ==, 240);
  g_assert_cmpint (json_object_get_int_member (o, "stim_conns"), ==, 40);
  pops = json_object_get_object_member (o, "pops");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pops, "S"), "cells"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pops, "M"), "conns_in"), ==, 240);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pops, "S"), "conns_in"), ==, 0);
  g_assert_true (g_file_test (save, G_FILE_TEST_EXISTS));
  /* The saved network is itself a model file the CLI accepts. */
  g_assert_cmpint (run (NULL, NULL, "check", save, NULL), ==, 0);
  /* The same network whatever the threads. */
  g_assert_cmpint (run (&out2, NULL, "build", "--json", "--threads", "1", sc, np, NULL), ==, 0);
  g_assert_cmpstr (out, ==, out2);

  g_assert_cmpint (run (NULL, &err, "build", "--threads", "-2", np, sc, NULL), ==, 2);
}

static void
test_build_invalid (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "bad-build.json", NULL);
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (path,
    "{\"netParams\": {\"popParams\": {\"A\": {\"cellModel\": \"NetStim\", \"numCells\": 3}},"
    " \"connParams\": {\"c\": {\"preConds\": {\"pop\": \"A\"}, \"postConds\": {\"pop\": \"A\"},"
    "   \"probability\": 1, \"delay\": \"-1 - dist_3D\"}}}}", -1, NULL));
  g_assert_cmpint (run (NULL, &err, "build", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "connParams.c"));
  g_assert_nonnull (strstr (err, "delay"));
}

/* NetCons onto artificial cells need no synaptic mechanism (NetPyNE connects to the point
 * process itself), even in a model without synMechParams. */
static void
test_run_artificial_targets (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "intfire.json", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *pops;
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");

  if (!nrniv)
    {
      g_test_skip ("nrniv is not installed");
      return;
    }
  g_assert_true (g_file_set_contents (path,
    "{\"netParams\": {\"popParams\": {\"S\": {\"cellModel\": \"NetStim\", \"numCells\": 5, \"rate\": 50, \"noise\": 0.5},"
    "  \"F\": {\"cellModel\": \"IntFire1\", \"numCells\": 5, \"tau\": 10}},"
    "  \"connParams\": {\"S->F\": {\"preConds\": {\"pop\": \"S\"}, \"postConds\": {\"pop\": \"F\"}, \"weight\": 0.6, \"delay\": 1}}},"
    " \"simConfig\": {\"duration\": 500}}", -1, NULL));
  g_assert_cmpint (run (&out, NULL, "run", "--json", path, NULL), ==, 0);
  pops = json_object_get_object_member (parse_object (out, &parser), "pops");
  /* Five NetStims at 50 Hz drive every IntFire1 (weight 0.6, all-to-all): they fire. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pops, "F"), "spikes"), >, 50);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pops, "F"), "conns_in"), ==, 25);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/netpyne-files", test_netpyne_files);
  g_test_add_func ("/cli/examples", test_examples);
  g_test_add_func ("/cli/numcells-typo", test_numcells_typo);
  g_test_add_func ("/cli/bad-files", test_bad_files);
  g_test_add_func ("/cli/build", test_build);
  g_test_add_func ("/cli/build-invalid", test_build_invalid);
  g_test_add_func ("/cli/run-artificial-targets", test_run_artificial_targets);
  return g_test_run ();
}
