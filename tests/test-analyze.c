/* test-analyze.c — `netloom analyze` end to end on the reference data of
 * ../shared/reference/analysis: the CLI's files and options reach the numerics and its
 * outputs carry the reference values (the numerics' own tests cover every value; here one
 * or two per kind, read back from what the CLI printed). */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

static char *
ref (const char *name)
{
  g_autofree char *rel = g_strconcat ("reference/analysis/", name, NULL);
  return nl_test_shared_file (rel);
}

static int
cli (char **out, char **err, ...)
{
  va_list ap;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;

  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_free (*out);
  g_free (*err);
  *out = *err = NULL;
  return nl_test_run_cli ((const char *const *) argv->pdata, out, err);
}

/* CSV text → rows of fields (header included). */
static GPtrArray *
csv_rows (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static double
field (GPtrArray *rows, guint r, guint c)
{
  char **row = rows->pdata[r];
  g_assert_cmpuint (c, <, g_strv_length (row));
  return g_ascii_strtod (row[c], NULL);
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_rel (double got, double want, double tol)
{
  if (!(fabs (got - want) <= tol * fabs (want) + 1e-300))
    g_error ("got %.17g, want %.17g (relative tolerance %g)", got, want, tol);
}

static void
test_rates (void)
{
  g_autofree char *in = ref ("spikes_input.csv"), *reference = ref ("spikes_reference.json");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();

  if (!in || !reference)
    return;
  g_assert_cmpint (cli (&out, &err, "analyze", "rates", in, "--columns", "1,2", "--time-range", "0:2000", NULL), ==, 0);
  JsonObject *o = parse_object (p1, out);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (reference, &text, NULL, NULL));
  JsonObject *want = parse_object (p2, text);
  JsonObject *total = json_object_get_object_member (o, "total");
  assert_rel (json_object_get_double_member (total, "rate_hz"), json_object_get_double_member (want, "popRate_Hz"), 1e-12);
  JsonArray *cell_rates = json_object_get_array_member (want, "cellRates_Hz");
  JsonObject *cells = json_object_get_object_member (o, "cells");
  g_assert_cmpuint (json_object_get_size (cells), ==, json_array_get_length (cell_rates));
  for (guint i = 0; i < json_array_get_length (cell_rates); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      assert_rel (json_object_get_double_member (json_object_get_object_member (cells, key), "rate_hz"),
                  json_array_get_double_element (cell_rates, i), 1e-12);
    }
  /* The 5 ms histogram as CSV: 399 bins, counts as the reference's. */
  g_assert_cmpint (cli (&out, &err, "analyze", "spikehist", in, "--columns", "1,2", "--time-range", "0:2000",
                        "--bin", "5", "--counts", "--csv", NULL), ==, 0);
  g_autoptr(GPtrArray) rows = csv_rows (out);
  JsonArray *counts = json_object_get_array_member (json_object_get_object_member (want, "hist_bin5"), "counts");
  g_assert_cmpuint (rows->len, ==, 1 + json_array_get_length (counts));
  for (guint i = 0; i < json_array_get_length (counts); i++)
    g_assert_cmpfloat (field (rows, i + 1, 1), ==, json_array_get_int_element (counts, i));
}

static void
test_psd (void)
{
  g_autofree char *in = ref ("spectral_input.csv"), *want_file = ref ("psd_welch.csv");
  g_autofree char *out = NULL, *err = NULL, *want_text = NULL;

  if (!in || !want_file)
    return;
  g_assert_cmpint (cli (&out, &err, "analyze", "psd", in, "--fs", "1000", NULL), ==, 0);
  g_assert_true (g_file_get_contents (want_file, &want_text, NULL, NULL));
  g_autoptr(GPtrArray) got = csv_rows (out), want = csv_rows (want_text);
  g_assert_cmpstr (((char **) got->pdata[0])[0], ==, "freq");
  g_assert_cmpuint (got->len, ==, want->len);
  for (guint r = 1; r < got->len; r++)
    {
      assert_rel (field (got, r, 0), field (want, r, 0), 1e-12);
      assert_rel (field (got, r, 1), field (want, r, 1), 1e-10);
    }
}

static void
test_granger (void)
{
  g_autofree char *in = ref ("granger_var2_data.csv"), *want_file = ref ("granger_analytic.csv");
  g_autofree char *out = NULL, *err = NULL, *want_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!in || !want_file)
    return;
  g_assert_cmpint (cli (&out, &err, "analyze", "granger", in, "--fs", "200", "--order", "10", NULL), ==, 0);
  g_assert_true (g_file_get_contents (want_file, &want_text, NULL, NULL));
  g_autoptr(GPtrArray) got = csv_rows (out), want = csv_rows (want_text);
  g_assert_cmpstr (((char **) got->pdata[0])[1], ==, "x2y");
  g_assert_cmpuint (got->len, ==, 102);    /* header + 0..100 Hz */
  for (guint r = 1; r < got->len; r++)
    {
      g_assert_cmpfloat (field (got, r, 0), ==, r - 1);
      g_assert_cmpfloat (fabs (field (got, r, 1) - field (want, r, 1)), <=, 0.05);   /* x→y */
      g_assert_cmpfloat (fabs (field (got, r, 2) - field (want, r, 2)), <=, 0.05);   /* y→x */
      g_assert_cmpfloat (fabs (field (got, r, 4) - field (want, r, 3)), <=, 0.05);   /* coherence */
    }
  g_assert_cmpint (cli (&out, &err, "analyze", "granger", in, "--fs", "200", "--order", "10", "--json", NULL), ==, 0);
  JsonObject *o = parse_object (parser, out);
  g_assert_cmpfloat (fabs (json_object_get_double_member (o, "gc_x2y") - 0.053458), <=, 0.01);
  g_assert_cmpfloat (json_object_get_double_member (o, "gc_y2x"), <, 0.01);
  g_assert_true (json_object_get_boolean_member (o, "demeaned"));
}

static void
test_nte (void)
{
  g_autofree char *in = ref ("nte_spikes.csv"), *perms = ref ("nte_shuffle_perms.csv"), *want_file = ref ("nte_reference.json");
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new (), p2 = json_parser_new ();

  if (!in || !perms || !want_file)
    return;
  g_assert_cmpint (cli (&out, &err, "analyze", "nte", in, "--columns", "2,1", "--pre", "1", "--post", "2",
                        "--bin", "20", "--time-range", "0:60000", "--permutations", perms, NULL), ==, 0);
  JsonObject *o = parse_object (p1, out);
  g_assert_true (g_file_get_contents (want_file, &text, NULL, NULL));
  JsonObject *want = json_object_get_object_member (parse_object (p2, text), "1->2_exactlog2");
  assert_rel (json_object_get_double_member (o, "te"), json_object_get_double_member (want, "TE"), 1e-12);
  assert_rel (json_object_get_double_member (o, "h"), json_object_get_double_member (want, "H"), 1e-12);
  assert_rel (json_object_get_double_member (o, "nte"), json_object_get_double_member (want, "nTE"), 1e-12);
}

static void
test_csd (void)
{
  g_autofree char *in = ref ("csd_input_lfp.csv"), *want_file = ref ("csd_output_nofilter_novaknin.csv");
  g_autofree char *out = NULL, *err = NULL, *want_text = NULL;

  if (!in || !want_file)
    return;
  g_assert_cmpint (cli (&out, &err, "analyze", "csd", in, "--dt", "1", "--spacing", "100", "--no-filter",
                        "--no-vaknin", NULL), ==, 0);
  g_assert_true (g_file_get_contents (want_file, &want_text, NULL, NULL));
  g_autoptr(GPtrArray) got = csv_rows (out), want = csv_rows (want_text);
  /* Both have one header line; 3000 samples of 10 interior channels. */
  g_assert_cmpuint (got->len, ==, want->len);
  g_assert_cmpuint (g_strv_length (got->pdata[1]), ==, 10);
  for (guint r = 1; r < got->len; r++)
    for (guint c = 0; c < 10; c++)
      assert_rel (field (got, r, c), field (want, r, c), 1e-12);
}

static void
test_conn (void)
{
  g_autofree char *model = nl_test_source_file ("examples/ei-net.json");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  double sum = 0;

  g_assert_cmpint (cli (&out, &err, "build", model, "--json", NULL), ==, 0);
  gint64 conns = json_object_get_int_member (parse_object (parser, out), "conns");
  g_assert_cmpint (cli (&out, &err, "analyze", "conn", model, "--feature", "numConns", NULL), ==, 0);
  g_autoptr(GPtrArray) rows = csv_rows (out);
  g_assert_cmpstr (((char **) rows->pdata[0])[0], ==, "pre");
  /* Rows E and I (the NetStim source row counts the stim NetCons, not cell ones). */
  for (guint r = 1; r < rows->len; r++)
    if (g_str_equal (((char **) rows->pdata[r])[0], "E") || g_str_equal (((char **) rows->pdata[r])[0], "I"))
      for (guint c = 1; c < g_strv_length (rows->pdata[r]); c++)
        sum += field (rows, r, c);
  g_assert_cmpfloat (sum, ==, (double) conns);
}

static void
test_bad (void)
{
  const char *tmp = nl_test_tmpdir ();
  g_autofree char *flat = g_build_filename (tmp, "flat.csv", NULL);
  g_autofree char *in = ref ("spectral_input.csv");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (flat, "x,y\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n", -1, NULL));
  /* A constant signal: a clear error, not NaN. */
  g_assert_cmpint (cli (&out, &err, "analyze", "granger", flat, "--fs", "100", "--order", "2", NULL), ==, 1);
  g_assert_true (strstr (err, "constant") != NULL);
  /* An order the data cannot support. */
  g_assert_cmpint (cli (&out, &err, "analyze", "granger", flat, "--fs", "100", "--order", "50", NULL), ==, 1);
  /* Signals without a rate. */
  g_assert_cmpint (cli (&out, &err, "analyze", "psd", flat, NULL), ==, 2);
  g_assert_true (strstr (err, "--fs") != NULL);
  /* Above Nyquist. */
  if (in)
    {
      g_assert_cmpint (cli (&out, &err, "analyze", "morlet", in, "--fs", "1000", "--fmin", "10", "--fmax", "600",
                            "--fstep", "10", NULL), ==, 1);
      g_assert_true (strstr (err, "Nyquist") != NULL);
    }
  /* Usage. */
  g_assert_cmpint (cli (&out, &err, "analyze", "wavelets", flat, NULL), ==, 2);
  g_assert_cmpint (cli (&out, &err, "analyze", "psd", flat, "--fs", "100", "--json", NULL), ==, 2);
  g_assert_cmpint (cli (&out, &err, "analyze", "rates", flat, "--time-range", "5:1", NULL), ==, 2);
  g_assert_cmpint (cli (&out, &err, "analyze", "nte", flat, NULL), ==, 2);
  /* An empty spike file: defined results. */
  {
    g_autofree char *empty = g_build_filename (tmp, "empty.csv", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_assert_true (g_file_set_contents (empty, "t_ms,gid\n", -1, NULL));
    g_assert_cmpint (cli (&out, &err, "analyze", "rates", empty, NULL), ==, 0);
    JsonObject *o = parse_object (parser, out);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "total"), "spikes"), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analyze/rates", test_rates);
  g_test_add_func ("/analyze/psd", test_psd);
  g_test_add_func ("/analyze/granger", test_granger);
  g_test_add_func ("/analyze/nte", test_nte);
  g_test_add_func ("/analyze/csd", test_csd);
  g_test_add_func ("/analyze/conn", test_conn);
  g_test_add_func ("/analyze/bad", test_bad);
  return g_test_run ();
}
