/* nl-json: reading (plain, gzip, positions, duplicates, depth) and writing (shortest
 * doubles, escapes, atomic files). */

#include <nl-json.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

static NlJsonDoc *
parse (const char *text, int *line, int *col, GError **error)
{
  return nl_json_doc_new_from_data (text, strlen (text), "t.json", line, col, error);
}

static void
test_syntax_position (void)
{
  g_autoptr(GError) error = NULL;
  int line = -1, col = -1;
  NlJsonDoc *doc = parse ("{\"a\": 1,\n \"b\": [1,2,}", &line, &col, &error);

  g_assert_null (doc);
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_SYNTAX);
  /* The stray '}' is the 12th character of line 2. */
  g_assert_cmpint (line, ==, 2);
  g_assert_cmpint (col, ==, 12);
  g_assert_true (g_str_has_prefix (error->message, "t.json:2:12: invalid JSON"));
}

static void
test_empty_and_deep (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  int line, col;

  g_assert_null (parse ("  \n ", NULL, NULL, &error));
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_EMPTY);
  g_clear_error (&error);

  for (int i = 0; i < NL_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c (deep, '[');
  g_assert_null (parse (deep->str, &line, &col, &error));
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_TOO_DEEP);
  g_assert_cmpint (line, ==, 1);
  g_assert_cmpint (col, ==, NL_JSON_MAX_DEPTH + 1);
}

static void
test_locate (void)
{
  const char *text =
    "{\n"
    "  \"net\": {\"params\": {\n"
    "    \"popParams\": {\"E\": {\"numcells\": 3}},\n"
    "    \"conn\\u00e9\": [10, {\"x\": 1}, 30]\n"
    "  }}\n"
    "}";
  g_autoptr(NlJsonDoc) doc = parse (text, NULL, NULL, NULL);
  int line, col;

  g_assert_nonnull (doc);
  g_assert_true (nl_json_doc_locate (doc, "net.params.popParams.E.numcells", &line, &col));
  g_assert_cmpint (line, ==, 3);
  g_assert_cmpint (col, ==, 25);
  /* Keys are compared decoded: \u00e9 is é. */
  g_assert_true (nl_json_doc_locate (doc, "net.params.conné[2]", &line, &col));
  g_assert_cmpint (line, ==, 4);
  g_assert_cmpint (col, ==, 34);
  g_assert_true (nl_json_doc_locate (doc, "net.params.conné[1].x", &line, &col));
  g_assert_cmpint (col, ==, 25);
  g_assert_false (nl_json_doc_locate (doc, "net.params.popParams.I", &line, &col));
}

static void
test_duplicates (void)
{
  g_autoptr(NlJsonDoc) doc = parse ("{\"a\": {\"b\": 1, \"c\": 2, \"b\": 3}, \"b\": 4}", NULL, NULL, NULL);
  g_autoptr(GPtrArray) dups = nl_json_doc_duplicate_keys (doc);

  g_assert_cmpuint (dups->len, ==, 1);
  g_assert_cmpstr (dups->pdata[0], ==, "a.b");
  /* json-glib keeps the last value. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
    json_node_get_object (nl_json_doc_get_root (doc)), "a"), "b"), ==, 3);
}

static void
test_format_double (void)
{
  struct { double v; const char *s; } cases[] = {
    { 0.1, "0.1" }, { 1000.0, "1000.0" }, { 18.8, "18.8" }, { 1e-7, "1e-07" },
    { -65.0, "-65.0" }, { 1.0 / 3.0, "0.3333333333333333" }, { 5e300, "5e+300" },
    { 0.30000000000000004, "0.30000000000000004" }, { NAN, "null" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[32];
      nl_json_format_double (buf, cases[i].v);
      g_assert_cmpstr (buf, ==, cases[i].s);
      if (isfinite (cases[i].v))
        g_assert_cmpfloat (g_ascii_strtod (buf, NULL), ==, cases[i].v);
    }
}

static void
test_write_roundtrip (void)
{
  const char *text = "{\"s\": \"tab\\t quote\\\" é \\u0001\", \"n\": [1, 2.5, -0.001, true, null], \"o\": {}}";
  g_autoptr(NlJsonDoc) doc = parse (text, NULL, NULL, NULL);
  g_autofree char *compact = nl_json_to_string (nl_json_doc_get_root (doc), -1, NULL);
  g_autofree char *pretty = nl_json_to_string (nl_json_doc_get_root (doc), 4, NULL);
  g_autoptr(NlJsonDoc) again = parse (pretty, NULL, NULL, NULL);

  g_assert_cmpstr (compact, ==, "{\"s\":\"tab\\t quote\\\" é \\u0001\",\"n\":[1,2.5,-0.001,true,null],\"o\":{}}");
  g_assert_true (json_node_equal (nl_json_doc_get_root (doc), nl_json_doc_get_root (again)));
  g_assert_true (strstr (pretty, "\n    \"n\": [\n        1,\n") != NULL);
}

static void
test_gzip_file (void)
{
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "m.json.gz", NULL);
  g_autoptr(NlJsonDoc) doc = parse ("{\"netParams\": {\"sizeX\": 250.5}}", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlJsonDoc) back = NULL;
  g_autofree char *raw = NULL;
  gsize len;

  g_assert_true (nl_json_write_file (nl_json_doc_get_root (doc), path, 4, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &raw, &len, NULL));
  g_assert_cmpuint ((guchar) raw[0], ==, 0x1f);
  g_assert_cmpuint ((guchar) raw[1], ==, 0x8b);
  back = nl_json_doc_load (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (nl_json_doc_get_root (doc), nl_json_doc_get_root (back)));

  /* A truncated archive is an error naming the file, not a crash or a partial model. */
  g_assert_true (g_file_set_contents (path, raw, len / 2, NULL));
  g_assert_null (nl_json_doc_load (path, NULL, NULL, &error));
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "m.json.gz"));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_null (nl_json_doc_load ("/nonexistent/model.json", NULL, NULL, &error));
  g_assert_error (error, NL_JSON_ERROR, NL_JSON_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "/nonexistent/model.json"));
}

static void
test_write_is_atomic (void)
{
  /* Writing into a folder that does not exist fails and leaves nothing behind; writing
   * over an existing file replaces it whole. */
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "keep.json", NULL);
  g_autoptr(NlJsonDoc) doc = parse ("[1, 2, 3]", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_false (nl_json_write_file (nl_json_doc_get_root (doc), "/nonexistent/dir/x.json", -1, &error));
  g_assert_nonnull (error);
  g_assert_true (nl_json_write_file (nl_json_doc_get_root (doc), path, -1, NULL));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "[1,2,3]");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/syntax-position", test_syntax_position);
  g_test_add_func ("/json/empty-and-deep", test_empty_and_deep);
  g_test_add_func ("/json/locate", test_locate);
  g_test_add_func ("/json/duplicates", test_duplicates);
  g_test_add_func ("/json/format-double", test_format_double);
  g_test_add_func ("/json/write-roundtrip", test_write_roundtrip);
  g_test_add_func ("/json/gzip-file", test_gzip_file);
  g_test_add_func ("/json/missing-file", test_missing_file);
  g_test_add_func ("/json/write-is-atomic", test_write_is_atomic);
  return g_test_run ();
}
