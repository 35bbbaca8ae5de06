/* data/nl-pickle: the pickle decoder against Python's own reading of the same bytes, hostile
 * and damaged pickles, and NetPyNE's saveData pickles into NlResults.
 *
 * tests/data/gen-pickles.py writes tests/data/pickle/NAME.pkl with a sidecar NAME.json:
 * {"expect": value, "opcodes": [...]} (what Python's pickle.loads made of the bytes, mapped
 * as nl-pickle.h says, and the opcodes the file holds) or {"error": "text"}. Which file covers
 * which opcode is printed by /pickle/opcodes (run with -v --verbose). */

#include <math.h>
#include <string.h>
#include <nl-format.h>
#include <nl-json.h>
#include <nl-pickle.h>
#include <nl-results-read.h>

#include "nl-testutil.h"

/* Every opcode the decoder implements, by pickletools' names. */
static const char *const all_opcodes[] = {
  "PROTO", "FRAME", "MARK", "STOP", "POP", "POP_MARK", "DUP", "BININT", "BININT1", "BININT2",
  "LONG1", "LONG4", "BINFLOAT", "BINUNICODE", "BINUNICODE8", "SHORT_BINUNICODE", "BINBYTES",
  "BINBYTES8", "SHORT_BINBYTES", "BYTEARRAY8", "NONE", "NEWTRUE", "NEWFALSE", "EMPTY_DICT",
  "EMPTY_LIST", "EMPTY_TUPLE", "EMPTY_SET", "TUPLE1", "TUPLE2", "TUPLE3", "TUPLE", "LIST",
  "DICT", "APPEND", "APPENDS", "SETITEM", "SETITEMS", "ADDITEMS", "FROZENSET", "BINPUT",
  "LONG_BINPUT", "MEMOIZE", "BINGET", "LONG_BINGET", "GLOBAL", "STACK_GLOBAL", "REDUCE",
  "BUILD", "NEWOBJ", "NEWOBJ_EX", "INT", "LONG", "FLOAT", "PUT", "GET", "BINSTRING",
  "SHORT_BINSTRING", "READONLY_BUFFER",
};

static const char *const ok_files[] = {
  "basic-p2", "basic-p3", "basic-p4", "basic-p5", "numpy-p2", "numpy-p3", "numpy-p4", "numpy-p5",
  "netpyne-p2", "netpyne-p3", "netpyne-p4", "netpyne-p5", "handmade-p5", "numpy2-names-p2",
  "numpy2-names-p5",
};

static const char *const bad_files[] = {
  "evil-os-system", "evil-eval", "evil-reduce", "recursive", "memo-bomb", "complex-dtype",
  "huge-length", "protocol-6", "deep", "bad-opcode",
};

static char *
data_file (const char *name, const char *ext)
{
  g_autofree char *rel = g_strdup_printf ("tests/data/pickle/%s.%s", name, ext);
  return nl_test_source_file (rel);
}

static JsonNode *
load_sidecar (const char *name)
{
  g_autofree char *path = data_file (name, "json");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* {"__float__": "nan" | "inf" | "-inf"} → the double it stands for. */
static gboolean
marker_float (JsonNode *want, double *out)
{
  if (!JSON_NODE_HOLDS_OBJECT (want))
    return FALSE;
  JsonObject *o = json_node_get_object (want);
  if (json_object_get_size (o) != 1 || !json_object_has_member (o, "__float__"))
    return FALSE;
  const char *s = json_object_get_string_member (o, "__float__");
  *out = g_str_equal (s, "nan") ? NAN : g_str_equal (s, "inf") ? INFINITY : -INFINITY;
  return TRUE;
}

/* A failed comparison: said on stderr (TAP keeps it) and marked failed. */
#define mismatch(...) (g_printerr (__VA_ARGS__), g_printerr ("\n"), g_test_fail (), FALSE)

/* Exact equality: same kinds, same member order, ints as ints, doubles bit for bit. */
static gboolean
same (JsonNode *got, JsonNode *want, const char *path)
{
  double m;

  if (marker_float (want, &m))
    {
      if (!JSON_NODE_HOLDS_VALUE (got) || json_node_get_value_type (got) != G_TYPE_DOUBLE)
        return mismatch ("%s: expected a float", path);
      double g = json_node_get_double (got);
      if (isnan (m) ? !isnan (g) : g != m)
        return mismatch ("%s: got %g, expected %g", path, g, m);
      return TRUE;
    }
  if (JSON_NODE_TYPE (got) != JSON_NODE_TYPE (want))
    return mismatch ("%s: got %s, expected %s", path, json_node_type_name (got),
                               json_node_type_name (want));
  switch (JSON_NODE_TYPE (want))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_ARRAY:
      {
        JsonArray *ga = json_node_get_array (got), *wa = json_node_get_array (want);
        if (json_array_get_length (ga) != json_array_get_length (wa))
          return mismatch ("%s: %u elements, expected %u", path, json_array_get_length (ga),
                                     json_array_get_length (wa));
        for (guint i = 0; i < json_array_get_length (wa); i++)
          {
            g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);
            if (!same (json_array_get_element (ga, i), json_array_get_element (wa, i), p))
              return FALSE;
          }
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *go = json_node_get_object (got), *wo = json_node_get_object (want);
        g_autoptr(GList) gm = json_object_get_members (go);
        g_autoptr(GList) wm = json_object_get_members (wo);
        GList *a = gm, *b = wm;
        for (; a && b; a = a->next, b = b->next)
          {
            g_autofree char *p = g_strdup_printf ("%s.%s", path, (const char *) b->data);
            if (!g_str_equal (a->data, b->data))
              return mismatch ("%s: key '%s', expected '%s'", path, (const char *) a->data,
                                         (const char *) b->data);
            if (!same (json_object_get_member (go, a->data), json_object_get_member (wo, b->data), p))
              return FALSE;
          }
        if (a || b)
          return mismatch ("%s: %u keys, expected %u", path, json_object_get_size (go),
                                     json_object_get_size (wo));
        return TRUE;
      }
    default:
      break;
    }
  GType gt = json_node_get_value_type (got), wt = json_node_get_value_type (want);
  if (gt != wt)
    return mismatch ("%s: got a %s, expected a %s", path, g_type_name (gt), g_type_name (wt));
  if (wt == G_TYPE_INT64 && json_node_get_int (got) != json_node_get_int (want))
    return mismatch ("%s: got %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, path,
                               json_node_get_int (got), json_node_get_int (want));
  if (wt == G_TYPE_BOOLEAN && json_node_get_boolean (got) != json_node_get_boolean (want))
    return mismatch ("%s: booleans differ", path);
  if (wt == G_TYPE_STRING && g_strcmp0 (json_node_get_string (got), json_node_get_string (want)) != 0)
    return mismatch ("%s: got '%s', expected '%s'", path, json_node_get_string (got),
                               json_node_get_string (want));
  if (wt == G_TYPE_DOUBLE)
    {
      double g = json_node_get_double (got), w = json_node_get_double (want);
      if (memcmp (&g, &w, sizeof g) != 0)
        return mismatch ("%s: got %.17g, expected %.17g", path, g, w);
    }
  return TRUE;
}

static JsonNode *
decode_file (const char *name, GError **error)
{
  g_autofree char *path = data_file (name, "pkl");
  return nl_pickle_load (path, error);
}

static void
test_files_match_python (void)
{
  for (gsize f = 0; f < G_N_ELEMENTS (ok_files); f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) side = load_sidecar (ok_files[f]);
      g_autoptr(JsonNode) got = decode_file (ok_files[f], &error);
      g_assert_no_error (error);
      g_assert_nonnull (got);
      JsonNode *want = json_object_get_member (json_node_get_object (side), "expect");
      g_assert_nonnull (want);
      g_assert_true (same (got, want, ok_files[f]));
    }
}

/* A few values spelled out, so a wrong sidecar cannot hide a wrong mapping. */
static void
test_spot_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) basic = decode_file ("basic-p4", &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (basic);
  JsonObject *keys = json_object_get_object_member (o, "keys");
  g_assert_cmpstr (json_object_get_string_member (keys, "1"), ==, "int");
  g_assert_cmpstr (json_object_get_string_member (keys, "2.5"), ==, "float");
  g_assert_cmpstr (json_object_get_string_member (keys, "1e+20"), ==, "big float");
  g_assert_cmpstr (json_object_get_string_member (keys, "1e-05"), ==, "small float");
  g_assert_cmpstr (json_object_get_string_member (keys, "(1, 'a')"), ==, "tuple");
  g_assert_cmpstr (json_object_get_string_member (keys, "(\"it's\",)"), ==, "quote");
  g_assert_cmpstr (json_object_get_string_member (keys, "None"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (keys, "False"), ==, "false");
  g_assert_cmpstr (json_object_get_string_member (keys, "frozenset({4})"), ==, "fs");
  g_assert_cmpstr (json_object_get_string_member (keys, "b'k\\x01'"), ==, "bytes");
  g_assert_cmpstr (json_object_get_string_member (keys, "(1.0, -0.0, inf)"), ==, "floats");
  JsonArray *ints = json_object_get_array_member (o, "ints");
  g_assert_cmpint (json_array_get_int_element (ints, 11), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (ints, 12), ==, G_MININT64);
  g_assert_cmpfloat (json_array_get_double_element (ints, 13), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_array_get_double_element (ints, 16), ==, 1e30);

  g_autoptr(JsonNode) np = decode_file ("numpy-p2", &error);
  g_assert_no_error (error);
  o = json_node_get_object (np);
  JsonArray *f = json_array_get_array_element (json_object_get_array_member (o, "2d_F"), 1);
  g_assert_cmpint (json_array_get_length (f), ==, 4);
  g_assert_cmpint (json_array_get_int_element (f, 0), ==, 4);   /* row 1 of arange(12).reshape(3,4) */
  g_assert_cmpint (json_array_get_int_element (f, 3), ==, 7);
  JsonArray *be = json_object_get_array_member (o, ">i4");
  g_assert_cmpint (json_array_get_int_element (be, 2), ==, G_MAXINT32);
  g_assert_cmpint (json_array_get_int_element (be, 3), ==, G_MININT32);
  g_assert_cmpfloat (json_object_get_double_member (o, "zero_d"), ==, 4.5);

  /* netpyne.specs.netParams' ODict subclasses are objects too. */
  g_autoptr(JsonNode) npn = decode_file ("netpyne-p4", &error);
  g_assert_no_error (error);
  JsonObject *params = json_object_get_object_member (json_object_get_object_member (
    json_node_get_object (npn), "net"), "params");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
    json_object_get_object_member (params, "popParams"), "I"), "numCells"), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (params, "rxdParams")), ==, 0);
}

static void
test_opcodes_covered (void)
{
  g_autoptr(GHashTable) where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (gsize f = 0; f < G_N_ELEMENTS (ok_files); f++)
    {
      g_autoptr(JsonNode) side = load_sidecar (ok_files[f]);
      JsonArray *ops = json_object_get_array_member (json_node_get_object (side), "opcodes");
      for (guint i = 0; i < json_array_get_length (ops); i++)
        {
          const char *op = json_array_get_string_element (ops, i);
          const char *prev = g_hash_table_lookup (where, op);
          g_hash_table_insert (where, g_strdup (op),
                               prev ? g_strdup_printf ("%s %s", prev, ok_files[f]) : g_strdup (ok_files[f]));
        }
    }
  for (gsize k = 0; k < G_N_ELEMENTS (all_opcodes); k++)
    {
      const char *files = g_hash_table_lookup (where, all_opcodes[k]);
      g_test_message ("%-16s %s", all_opcodes[k], files ? files : "(none)");
      if (!files)
        g_test_fail_printf ("opcode %s is in no test file", all_opcodes[k]);
    }
}

static void
test_refused (void)
{
  for (gsize f = 0; f < G_N_ELEMENTS (bad_files); f++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) side = load_sidecar (bad_files[f]);
      g_autofree char *path = data_file (bad_files[f], "pkl");
      g_autoptr(JsonNode) got = nl_pickle_load (path, &error);
      const char *want = json_object_get_string_member (json_node_get_object (side), "error");
      g_assert_null (got);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_test_message ("%s: %s", bad_files[f], error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      if (!strstr (error->message, want))
        g_test_fail_printf ("%s: message '%s' does not say '%s'", bad_files[f], error->message, want);
    }
}

/* The refusal names the global, the byte offset and the opcode. */
static void
test_refused_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_file ("evil-os-system", "pkl");
  g_autoptr(JsonNode) got = nl_pickle_load (path, &error);
  g_autofree char *want = g_strdup_printf ("%s: byte 2: opcode GLOBAL: refusing to load 'os.system'", path);
  g_assert_null (got);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, want));

  /* Through the results reader too, which must not run or load anything either. */
  g_clear_error (&error);
  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "os.system"));
}

static void
test_prefixes (void)
{
  const char *names[] = { "netpyne-p2", "netpyne-p3", "netpyne-p4", "netpyne-p5", "numpy-p4",
                          "numpy-p5", "handmade-p5", "basic-p2" };
  for (gsize f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree char *path = data_file (names[f], "pkl");
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      for (gsize n = 0; n < len; n++)
        {
          g_autoptr(GError) error = NULL;
          guint8 *copy = g_memdup2 (data, n);   /* its own allocation: ASan sees overreads */
          JsonNode *got = nl_pickle_decode (copy, n, "prefix", &error);
          g_free (copy);
          if (got || !error || !g_str_has_prefix (error->message, "prefix: "))
            {
              g_test_fail_printf ("%s: the prefix of %" G_GSIZE_FORMAT " bytes gave %s", names[f], n,
                                  got ? "a value" : "no error");
              if (got)
                json_node_unref (got);
              return;
            }
        }
    }
}

static void
test_byte_flips (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  guint failed = 0, decoded = 0;
  for (gsize f = 0; f < G_N_ELEMENTS (ok_files); f++)
    {
      g_autofree char *path = data_file (ok_files[f], "pkl");
      g_autofree char *data = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      for (guint k = 0; k < 300; k++)
        {
          g_autoptr(GError) error = NULL;
          guint8 *copy = g_memdup2 (data, len);
          guint flips = 1 + g_rand_int_range (rand, 0, 4);
          for (guint i = 0; i < flips; i++)
            copy[g_rand_int_range (rand, 0, (gint32) len)] ^= (guint8) g_rand_int_range (rand, 1, 256);
          JsonNode *got = nl_pickle_decode (copy, len, "flipped", &error);
          if (got)
            {
              /* Whatever decodes must also go through the results reader without harm. */
              g_autoptr(GError) e2 = NULL;
              NlResults *r = nl_netpyne_json_read_node (got, "flipped", &e2);
              g_assert_true (r != NULL || e2 != NULL);
              g_clear_pointer (&r, nl_results_unref);
              json_node_unref (got);
              decoded++;
            }
          else
            {
              g_assert_nonnull (error);
              g_assert_true (g_str_has_prefix (error->message, "flipped: "));
              failed++;
            }
          g_free (copy);
        }
    }
  g_test_message ("%u flipped files refused, %u decoded", failed, decoded);
  g_assert_cmpuint (failed, >, 0);
}

/* Limits that need bigger inputs than a committed file. */
static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  /* BINBYTES declaring 4 GiB - 1 with 3 bytes behind it. */
  static const guint8 huge[] = { 0x80, 0x03, 'B', 0xff, 0xff, 0xff, 0xff, 'a', 'b', '.' };
  g_assert_null (nl_pickle_decode (huge, sizeof huge, "huge", &error));
  g_assert_nonnull (strstr (error->message, "byte 2: opcode BINBYTES: declares 4294967295 bytes"));
  g_clear_error (&error);

  /* A GET of a memo entry never stored. */
  static const guint8 get[] = { 0x80, 0x02, 'h', 0x05, '.' };
  g_assert_null (nl_pickle_decode (get, sizeof get, "get", &error));
  g_assert_nonnull (strstr (error->message, "byte 2: opcode BINGET: memo entry 5 was never stored"));
  g_clear_error (&error);

  /* Protocol 0 is not what NetPyNE writes. */
  static const guint8 p0[] = { 'N', '.' };
  g_assert_null (nl_pickle_decode (p0, sizeof p0, "p0", &error));
  g_assert_nonnull (strstr (error->message, "not a pickle of protocol 2 or newer"));
  g_clear_error (&error);

  /* An empty file. */
  g_assert_null (nl_pickle_decode ((const guint8 *) "", 0, "empty", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* 20,000 nested lists (past the depth limit) built without recursion in the decoder. */
  GByteArray *b = g_byte_array_new ();
  g_byte_array_append (b, (const guint8 *) "\x80\x02", 2);
  for (int i = 0; i < 20000; i++)
    g_byte_array_append (b, (const guint8 *) "]", 1);
  for (int i = 0; i < 19999; i++)
    g_byte_array_append (b, (const guint8 *) "a", 1);
  g_byte_array_append (b, (const guint8 *) ".", 1);
  g_assert_null (nl_pickle_decode (b->data, b->len, "nest", &error));
  g_assert_nonnull (strstr (error->message, "deeper than 512"));
  g_clear_error (&error);
  g_byte_array_unref (b);

  /* A dict merged into itself 40 times (DUP BUILD) would hold 2^40 items. */
  GByteArray *g = g_byte_array_new ();
  g_byte_array_append (g, (const guint8 *) "\x80\x02}K\x01K\x02s", 8);
  for (int i = 0; i < 40; i++)
    g_byte_array_append (g, (const guint8 *) "2b", 2);
  g_byte_array_append (g, (const guint8 *) ".", 1);
  g_assert_null (nl_pickle_decode (g->data, g->len, "grow", &error));
  g_assert_nonnull (strstr (error->message, "opcode BUILD: the pickle copies its own contents"));
  g_clear_error (&error);
  g_byte_array_unref (g);

  /* A tuple key of 5000 references to one 200-byte string: refused before it is written. */
  GByteArray *k = g_byte_array_new ();
  guint8 s200[202] = { 0x8c, 200 };
  memset (s200 + 2, 'x', 200);
  g_byte_array_append (k, (const guint8 *) "\x80\x04}", 3);
  g_byte_array_append (k, s200, sizeof s200);
  g_byte_array_append (k, (const guint8 *) "\x94" "0(", 3);   /* MEMOIZE, POP, MARK */
  for (int i = 0; i < 5000; i++)
    g_byte_array_append (k, (const guint8 *) "h\x00", 2);
  g_byte_array_append (k, (const guint8 *) "tNs.", 4);
  g_assert_null (nl_pickle_decode (k->data, k->len, "key", &error));
  g_assert_nonnull (strstr (error->message, "expands to far more than the file holds"));
  g_clear_error (&error);
  g_byte_array_unref (k);

  /* A structured numpy dtype: refused by name of the problem, not misread. */
  static const char dt[] =
    "\x80\x02" "cnumpy\ndtype\n" "X\x02\x00\x00\x00V8" "\x89\x88\x87R"
    "(K\x03X\x01\x00\x00\x00|N(X\x01\x00\x00\x00atN" "K\x08K\x01K\x10tb.";
  g_assert_null (nl_pickle_decode ((const guint8 *) dt, sizeof dt - 1, "dt", &error));
  g_assert_nonnull (strstr (error->message, "numpy dtype 'V8' is not supported"));
}

static int
pop_index (NlResults *r, const char *name)
{
  for (guint i = 0; i < nl_results_get_n_pops (r); i++)
    if (g_str_equal (nl_results_get_pop_name (r, i), name))
      return (int) i;
  return -1;
}

static guint64
pop_spikes (NlResults *r, const char *name)
{
  int p = pop_index (r, name);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 n = 0;
  g_assert_cmpint (p, >=, 0);
  for (guint64 i = 0; i < nl_results_get_n_spikes (r); i++)
    n += nl_results_find_pop_of_gid (r, g[i]) == p;
  return n;
}

static void
test_netpyne_layout (void)
{
  for (int proto = 2; proto <= 5; proto++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("netpyne-p%d", proto);
      g_autofree char *path = data_file (name, "pkl");
      g_autoptr(NlResults) r = nl_results_read (path, &error);
      static const double spkt[] = { 1.25, 2.5, 2.5, 7.0, 9.75, 12.0 };
      static const guint32 spkid[] = { 0, 1, 3, 4, 0, 2 };   /* sorted by (t, gid) */

      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, "netpyne-pickle");
      g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "netpyne_version"), ==, "1.1.0");
      g_assert_cmpuint (nl_results_get_n_spikes (r), ==, 6);
      for (guint i = 0; i < 6; i++)
        {
          g_assert_cmpfloat (nl_results_get_spike_times (r)[i], ==, spkt[i]);
          g_assert_cmpuint (nl_results_get_spike_gids (r)[i], ==, spkid[i]);
        }
      g_assert_cmpuint (nl_results_get_n_pops (r), ==, 2);
      g_assert_cmpstr (nl_results_get_pop_name (r, 0), ==, "E");   /* ODict order */
      g_assert_cmpuint (pop_spikes (r, "E"), ==, 4);
      g_assert_cmpuint (pop_spikes (r, "I"), ==, 2);
      g_assert_cmpuint (nl_results_get_n_cells (r), ==, 5);
      g_assert_cmpfloat (nl_results_get_duration (r), ==, 20.0);

      /* V_soma traces equal the sidecar's numbers (sin(t) - 65 for cell 0). */
      g_autoptr(JsonNode) side = load_sidecar (name);
      JsonObject *vs = json_object_get_object_member (json_object_get_object_member (
        json_object_get_object_member (json_node_get_object (side), "expect"), "simData"), "V_soma");
      g_assert_cmpuint (nl_results_get_n_traces (r), ==, 1);
      g_assert_cmpuint (nl_results_get_trace_n_cells (r, 0), ==, 2);
      for (guint c = 0; c < 2; c++)
        {
          guint32 gid;
          guint64 n;
          const double *v = nl_results_get_trace_values (r, 0, c, &gid, &n);
          g_autofree char *key = g_strdup_printf ("cell_%u", gid);
          JsonArray *want = json_object_get_array_member (vs, key);
          g_assert_nonnull (want);
          g_assert_cmpuint (n, ==, 40);
          g_assert_cmpuint (json_array_get_length (want), ==, 40);
          for (guint64 i = 0; i < n; i++)
            g_assert_cmpfloat (v[i], ==, json_array_get_double_element (want, (guint) i));
        }
      guint32 gid0;
      guint64 n0;
      const double *v0 = nl_results_get_trace_values (r, 0, 0, &gid0, &n0);
      g_assert_cmpuint (gid0, ==, 0);
      g_assert_cmpfloat_with_epsilon (v0[1], sin (0.5) - 65.0, 1e-12);
    }
}

static void
test_sniff (void)
{
  for (gsize f = 0; f < G_N_ELEMENTS (ok_files); f++)
    {
      g_autofree char *path = data_file (ok_files[f], "pkl");
      g_autoptr(GError) error = NULL;
      g_assert_cmpint (nl_format_detect_file (path, &error), ==, NL_FORMAT_PICKLE);
      g_assert_no_error (error);
    }
}

static void
test_tut2 (void)
{
  g_autofree char *summary_path = nl_test_shared_file ("reference/netpyne/tut2/tut2_summary.json");
  g_autofree char *json_path = nl_test_shared_file ("reference/netpyne/tut2/tut2_data.json.gz");
  g_autofree char *path = nl_test_source_file ("tests/data/pickle/tut2_data.pkl");
  g_autoptr(GError) error = NULL;

  if (!summary_path || !json_path)
    return;
  g_autoptr(JsonParser) parser = json_parser_new ();
  json_parser_load_from_file (parser, summary_path, &error);
  g_assert_no_error (error);
  JsonObject *sum = json_node_get_object (json_parser_get_root (parser));

  g_autoptr(NlResults) r = nl_results_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (nl_results_get_meta (r), "format"), ==, "netpyne-pickle");
  g_assert_cmpuint (nl_results_get_n_spikes (r), ==, json_object_get_int_member (sum, "totalSpikes"));
  g_assert_cmpuint (nl_results_get_n_cells (r), ==, json_object_get_int_member (sum, "numCells"));
  g_assert_cmpfloat (nl_results_get_duration (r), ==, json_object_get_double_member (sum, "duration_ms"));
  JsonObject *pops = json_object_get_object_member (sum, "pops");
  g_autoptr(GList) names = json_object_get_members (pops);
  g_assert_cmpuint (g_list_length (names), ==, nl_results_get_n_pops (r));
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *p = json_object_get_object_member (pops, l->data);
      guint n = 0;
      int k = pop_index (r, l->data);
      g_assert_cmpint (k, >=, 0);
      nl_results_get_pop_gids (r, (guint) k, &n);
      g_assert_cmpuint (n, ==, json_object_get_int_member (p, "numCells"));
      g_assert_cmpuint (pop_spikes (r, l->data), ==, json_object_get_int_member (p, "spikes"));
    }

  /* Same spikes and traces, to the bit, as the JSON NetPyNE saved of the same run. */
  g_autoptr(NlResults) j = nl_netpyne_json_read (json_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_results_get_n_spikes (j), ==, nl_results_get_n_spikes (r));
  g_assert_cmpmem (nl_results_get_spike_times (j), nl_results_get_n_spikes (j) * sizeof (double),
                   nl_results_get_spike_times (r), nl_results_get_n_spikes (r) * sizeof (double));
  g_assert_cmpmem (nl_results_get_spike_gids (j), nl_results_get_n_spikes (j) * sizeof (guint32),
                   nl_results_get_spike_gids (r), nl_results_get_n_spikes (r) * sizeof (guint32));
  g_assert_cmpuint (nl_results_get_n_traces (j), ==, nl_results_get_n_traces (r));
  for (guint k = 0; k < nl_results_get_n_traces (j); k++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (j, k); c++)
      {
        guint64 nj, nr;
        const double *vj = nl_results_get_trace_values (j, k, c, NULL, &nj);
        const double *vr = nl_results_get_trace_values (r, k, c, NULL, &nr);
        g_assert_cmpmem (vj, nj * sizeof (double), vr, nr * sizeof (double));
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pickle/files-match-python", test_files_match_python);
  g_test_add_func ("/pickle/spot-values", test_spot_values);
  g_test_add_func ("/pickle/opcodes", test_opcodes_covered);
  g_test_add_func ("/pickle/refused", test_refused);
  g_test_add_func ("/pickle/refused-message", test_refused_message);
  g_test_add_func ("/pickle/prefixes", test_prefixes);
  g_test_add_func ("/pickle/byte-flips", test_byte_flips);
  g_test_add_func ("/pickle/limits", test_limits);
  g_test_add_func ("/pickle/netpyne-layout", test_netpyne_layout);
  g_test_add_func ("/pickle/sniff", test_sniff);
  g_test_add_func ("/pickle/tut2", test_tut2);
  return g_test_run ();
}
