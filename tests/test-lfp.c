/* core/analysis/nl-lfp: line-source transfer resistances against the reference values in
 * reference/analysis/lfp_transfer.csv and lfp_reference.json (4 segments × 7 electrodes,
 * σ = 0.3 S/m), at their stated tolerance of 1e-10 relative. */

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <nl-lfp.h>

#include "nl-testutil.h"

static void
assert_rel (double got, double want, double tol, const char *what, guint i, guint j)
{
  double err = fabs (got - want) / MAX (fabs (want), 1e-300);
  if (!(err <= tol))
    g_error ("%s [%u,%u]: got %.17g, want %.17g (rel %g)", what, i, j, got, want, err);
}

/* The CSV's rows: elec,seg,ex,ey,ez,x0,y0,z0,x1,y1,z1,diam,I,exact,quad,netpyne,lfpykit,point,point_rlimit */
static GArray *
read_rows (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/lfp_transfer.csv");
  g_autofree char *text = NULL;
  GArray *rows;
  if (!path)
    return NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  rows = g_array_new (FALSE, FALSE, sizeof (double) * 19);
  for (guint i = 1; lines[i]; i++)
    {
      double row[19];
      if (!*g_strstrip (lines[i]))
        continue;
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 19);
      for (guint k = 0; k < 19; k++)
        row[k] = g_ascii_strtod (f[k], NULL);
      g_array_append_vals (rows, row, 1);
    }
  return rows;
}

static void
test_transfer_reference (void)
{
  g_autoptr(GArray) rows = read_rows ();
  static const struct { NlLfpMethod m; guint col; } cases[] = {
    { NL_LFP_LINE_EXACT, 13 }, { NL_LFP_LINE_NETPYNE, 15 }, { NL_LFP_LINE_LFPYKIT, 16 },
    { NL_LFP_POINT, 17 }, { NL_LFP_POINT_RLIMIT, 18 },
  };
  if (!rows)
    return;
  g_assert_cmpuint (rows->len, ==, 28);
  for (guint r = 0; r < rows->len; r++)
    {
      const double *row = (const double *) (rows->data + r * sizeof (double) * 19);
      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          double got = nl_lfp_transfer (cases[c].m, 0.3, row + 5, row + 8, row[11], row + 2);
          assert_rel (got, row[cases[c].col], 1e-10, nl_lfp_method_name (cases[c].m), (guint) row[0], (guint) row[1]);
        }
    }
}

static double
num (JsonNode *n)
{
  return json_node_get_value_type (n) == G_TYPE_INT64 ? (double) json_node_get_int (n) : json_node_get_double (n);
}

/* The summed potentials of lfp_reference.json through the matrix form. */
static void
test_potentials_reference (void)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/lfp_reference.json");
  g_autoptr(JsonParser) p = json_parser_new ();
  static const struct { NlLfpMethod m; const char *key; } cases[] = {
    { NL_LFP_LINE_EXACT, "phi_exact_mV" }, { NL_LFP_LINE_NETPYNE, "phi_netpyne_mV" },
    { NL_LFP_LINE_LFPYKIT, "phi_lfpykit_mV" }, { NL_LFP_POINT, "phi_point_mV" },
    { NL_LFP_POINT_RLIMIT, "phi_point_rlimit_mV" },
  };
  if (!path)
    return;
  g_assert_true (json_parser_load_from_file (p, path, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (p));
  JsonArray *segs = json_object_get_array_member (root, "segments");
  JsonArray *elecs = json_object_get_array_member (root, "electrodes");
  JsonArray *cur = json_object_get_array_member (root, "I_nA");
  JsonObject *pots = json_object_get_object_member (root, "potentials");
  double sigma = json_object_get_double_member (root, "sigma_S_per_m");
  guint ns = json_array_get_length (segs), ne = json_array_get_length (elecs);
  g_autofree double *s = g_new (double, 7 * ns);
  g_autofree double *e = g_new (double, 3 * ne);
  g_autofree double *tr = g_new (double, ns * ne);

  g_assert_cmpuint (ns, ==, 4);
  g_assert_cmpuint (ne, ==, 7);
  for (guint j = 0; j < ns; j++)
    {
      JsonArray *sg = json_array_get_array_element (segs, j);
      for (guint k = 0; k < 3; k++)
        {
          s[7 * j + k] = num (json_array_get_element (json_array_get_array_element (sg, 0), k));
          s[7 * j + 3 + k] = num (json_array_get_element (json_array_get_array_element (sg, 1), k));
        }
      s[7 * j + 6] = num (json_array_get_element (sg, 2));
    }
  for (guint i = 0; i < ne; i++)
    for (guint k = 0; k < 3; k++)
      e[3 * i + k] = num (json_array_get_element (json_array_get_array_element (elecs, i), k));
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      nl_lfp_transfer_matrix (cases[c].m, sigma, s, ns, e, ne, tr);
      for (guint i = 0; i < ne; i++)
        {
          g_autofree char *key = g_strdup_printf ("%u", i);
          double phi = 0;
          for (guint j = 0; j < ns; j++)
            phi += tr[i * ns + j] * num (json_array_get_element (cur, j));
          assert_rel (phi, json_object_get_double_member (json_object_get_object_member (pots, key), cases[c].key),
                      1e-10, cases[c].key, i, 0);
        }
    }
}

/* Analytic cases: on the axis beyond the end, the line source is log(up/low)/(4πσL); a
 * segment of length 0 is a point source; an electrode on the segment sees infinity only
 * without the radius limit. */
static void
test_analytic (void)
{
  const double p0[3] = { 0, 0, 0 }, p1[3] = { 0, 0, 10 }, far[3] = { 0, 0, 30 }, on[3] = { 0, 0, 5 };
  const double k = 1 / (4 * G_PI * 0.3);
  double want = log (30.0 / 20.0) / 10 * k;
  assert_rel (nl_lfp_transfer (NL_LFP_LINE_EXACT, 0.3, p0, p1, 2, far), want, 1e-14, "axis", 0, 0);
  assert_rel (nl_lfp_transfer (NL_LFP_LINE_LFPYKIT, 0.3, p0, p1, 2, far),
              (asinh (30.0 / 1) - asinh (20.0 / 1)) / 10 * k, 1e-13, "axis-lfpykit", 0, 0);
  g_assert_true (isinf (nl_lfp_transfer (NL_LFP_LINE_EXACT, 0.3, p0, p1, 2, on)));
  assert_rel (nl_lfp_transfer (NL_LFP_LINE_LFPYKIT, 0.3, p0, p1, 2, on), 2 * asinh (5.0) / 10 * k, 1e-14,
              "on-lfpykit", 0, 0);
  assert_rel (nl_lfp_transfer (NL_LFP_LINE_EXACT, 0.3, p0, p0, 2, far), k / 30, 1e-14, "zero-length", 0, 0);
  assert_rel (nl_lfp_transfer (NL_LFP_LINE_LFPYKIT, 0.3, p0, p0, 80, far), k / 40, 1e-14, "zero-length-rlimit", 0, 0);
  for (int m = 0; m < NL_LFP_N_METHODS; m++)
    g_assert_cmpint (nl_lfp_method_from_name (nl_lfp_method_name (m)), ==, m);
  g_assert_cmpint (nl_lfp_method_from_name ("bogus"), ==, -1);
  g_assert_null (nl_lfp_method_name (NL_LFP_N_METHODS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lfp/transfer-reference", test_transfer_reference);
  g_test_add_func ("/lfp/potentials-reference", test_potentials_reference);
  g_test_add_func ("/lfp/analytic", test_analytic);
  return g_test_run ();
}
