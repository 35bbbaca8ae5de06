/* core/nl-morphology: define_shape() layout against NEURON itself, pt3d interpolation,
 * NetPyNE's placement of a network's cells, synapses per segment, bad input. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <nl-build.h>
#include <nl-morphology.h>

#include "nl-testutil.h"

/* A cell with every define_shape() case: a root without points, two children at the same
 * end (fanned out), one at the middle (turned 90°), one at the 0 end, a child joined by its 1
 * end, a pt3d section hanging from a define_shape() one (moved onto it), a section without
 * points hanging from the pt3d one (following its direction), and a pt3d child of that. */
static const char cell_json[] =
  "{\"netParams\": {\"cellParams\": {\"C\": {\"secs\": {"
  " \"soma\": {\"geom\": {\"L\": 18.8, \"diam\": 18.8, \"nseg\": 1}},"
  " \"dendA\": {\"geom\": {\"L\": 150, \"diam\": 2, \"nseg\": 5}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}},"
  " \"dendB\": {\"geom\": {\"L\": 120, \"diam\": 1.5, \"nseg\": 3}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}},"
  " \"dendC\": {\"geom\": {\"L\": 80, \"diam\": 1, \"nseg\": 2}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}},"
  " \"apic\": {\"geom\": {\"L\": 300.3, \"diam\": 3, \"nseg\": 7}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 0.5, \"childX\": 0}},"
  " \"basal\": {\"geom\": {\"L\": 60, \"diam\": 1, \"nseg\": 1}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 0, \"childX\": 0}},"
  " \"rev\": {\"geom\": {\"L\": 45, \"diam\": 0.8, \"nseg\": 3}, \"topol\": {\"parentSec\": \"dendA\", \"parentX\": 1, \"childX\": 1}},"
  " \"tuft\": {\"geom\": {\"L\": 33.3, \"diam\": 0.7, \"nseg\": 2}, \"topol\": {\"parentSec\": \"rev\", \"parentX\": 0.3, \"childX\": 0}},"
  " \"axon\": {\"geom\": {\"nseg\": 3, \"pt3d\": [[5, 5, 5, 1.2], [-10, 3, 2, 1.0], [-40.5, -7.25, 11, 0.6]]},"
  "           \"topol\": {\"parentSec\": \"soma\", \"parentX\": 0, \"childX\": 0}},"
  " \"node\": {\"geom\": {\"L\": 50, \"diam\": 0.9, \"nseg\": 1}, \"topol\": {\"parentSec\": \"axon\", \"parentX\": 1, \"childX\": 0}},"
  " \"coll\": {\"geom\": {\"L\": 70, \"diam\": 0.5, \"nseg\": 4}, \"topol\": {\"parentSec\": \"axon\", \"parentX\": 0.6, \"childX\": 0}},"
  " \"term\": {\"geom\": {\"nseg\": 2, \"pt3d\": [[0, 0, 0, 0.5], [3, 4, 12, 0.5], [9, 4, 20, 0.4]]},"
  "           \"topol\": {\"parentSec\": \"node\", \"parentX\": 1, \"childX\": 0}}"
  "}}}}}";

static NlSpec *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  NlSpec *spec = nl_spec_load_from_data (json, -1, NULL, &error);
  g_assert_no_error (error);
  return spec;
}

/* The same cell in HOC, as NetPyNE builds it: sections in key order, geometry, then connect. */
static char *
hoc_for (NlSpec *spec, const char *rule)
{
  JsonObject *secs = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (nl_spec_get_net_params (spec), "cellParams"), rule), "secs");
  g_autoptr(GList) names = json_object_get_members (secs);
  GString *s = g_string_new ("create ");
  for (GList *l = names; l; l = l->next)
    g_string_append_printf (s, "%s%s", (char *) l->data, l->next ? ", " : "\n");
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *geom = json_object_get_object_member (json_object_get_object_member (secs, l->data), "geom");
      g_string_append_printf (s, "%s {\n", (char *) l->data);
      if (json_object_has_member (geom, "L"))
        g_string_append_printf (s, " L = %.17g\n diam = %.17g\n", json_object_get_double_member (geom, "L"),
                                json_object_get_double_member (geom, "diam"));
      g_string_append_printf (s, " nseg = %d\n", (int) json_object_get_int_member (geom, "nseg"));
      if (json_object_has_member (geom, "pt3d"))
        {
          JsonArray *a = json_object_get_array_member (geom, "pt3d");
          g_string_append (s, " pt3dclear()\n");
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonArray *r = json_array_get_array_element (a, i);
              g_string_append_printf (s, " pt3dadd(%.17g, %.17g, %.17g, %.17g)\n",
                                      json_array_get_double_element (r, 0), json_array_get_double_element (r, 1),
                                      json_array_get_double_element (r, 2), json_array_get_double_element (r, 3));
            }
        }
      g_string_append (s, "}\n");
    }
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *sec = json_object_get_object_member (secs, l->data);
      if (!json_object_has_member (sec, "topol"))
        continue;
      JsonObject *t = json_object_get_object_member (sec, "topol");
      g_string_append_printf (s, "connect %s(%g), %s(%.17g)\n", (char *) l->data,
                              json_object_get_double_member (t, "childX"), json_object_get_string_member (t, "parentSec"),
                              json_object_get_double_member (t, "parentX"));
    }
  g_string_append (s, "define_shape()\n"
                      "forall { printf(\"%s %d\\n\", secname(), n3d())\n"
                      "  for i = 0, n3d() - 1 printf(\"%.17g %.17g %.17g %.17g %.17g\\n\", x3d(i), y3d(i), z3d(i), diam3d(i), arc3d(i)) }\n"
                      "quit()\n");
  return g_string_free (s, FALSE);
}

static void
test_define_shape_vs_neuron (void)
{
  g_autofree char *nrniv = g_find_program_in_path ("nrniv");
  if (!nrniv)
    {
      g_test_skip ("nrniv is not installed");
      return;
    }
  g_autoptr(NlSpec) spec = load (cell_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlMorphology) m = nl_morphology_new_for_rule (spec, "C", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_morphology_get_n_sections (m), ==, 12);

  g_autofree char *hoc = hoc_for (spec, "C");
  g_autofree char *path = g_build_filename (nl_test_tmpdir (), "shape.hoc", NULL);
  g_assert_true (g_file_set_contents (path, hoc, -1, NULL));
  const char *argv[] = { nrniv, "-nopython", "-nobanner", "-nogui", path, NULL };
  g_autofree char *out = NULL;
  int status;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);

  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n_secs = 0, i = 0;
  double worst = 0;
  while (lines[i])
    {
      char name[64];
      int n;
      if (sscanf (lines[i++], "%63s %d", name, &n) != 2)
        continue;
      guint sec;
      for (sec = 0; sec < nl_morphology_get_n_sections (m); sec++)
        if (strcmp (nl_morphology_get_section_name (m, sec), name) == 0)
          break;
      g_assert_cmpuint (sec, <, nl_morphology_get_n_sections (m));
      const double *pts;
      guint np = nl_morphology_get_points (m, sec, &pts);
      g_assert_cmpint ((int) np, ==, n);
      for (int k = 0; k < n; k++)
        {
          double v[5];
          g_assert_nonnull (lines[i]);
          g_assert_cmpint (sscanf (lines[i++], "%lg %lg %lg %lg %lg", &v[0], &v[1], &v[2], &v[3], &v[4]), ==, 5);
          for (int c = 0; c < 5; c++)
            {
              if (fabs (pts[5 * k + c] - v[c]) > 1e-6)
                g_error ("%s point %d column %d: NetLoom %.17g, NEURON %.17g", name, k, c, pts[5 * k + c], v[c]);
              worst = MAX (worst, fabs (pts[5 * k + c] - v[c]));
            }
        }
      n_secs++;
    }
  g_assert_cmpuint (n_secs, ==, 12);
  g_test_message ("largest difference from NEURON: %g µm", worst);

  /* segments follow the points: 5 of dendA along its line, ends joined */
  guint total = 0;
  for (guint s = 0; s < nl_morphology_get_n_segments (m); s++)
    total++;
  g_assert_cmpuint (total, ==, 1 + 5 + 3 + 2 + 7 + 1 + 3 + 2 + 3 + 1 + 4 + 2);
}

static void
test_pt3d_interpolation (void)
{
  g_autoptr(NlSpec) spec = load (
    "{\"netParams\": {\"cellParams\": {\"P\": {\"secs\": {"
    " \"s\": {\"geom\": {\"L\": 999, \"nseg\": 2, \"pt3d\": [[0, 0, 0, 2], [30, 0, 0, 2], [30, 40, 0, 4]]}}}}}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlMorphology) m = nl_morphology_new_for_rule (spec, "P", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_morphology_get_n_segments (m), ==, 2);
  const NlMorphSegment *a = nl_morphology_get_segment (m, 0), *b = nl_morphology_get_segment (m, 1);
  /* L = 70 from the points (pt3d wins over geom L): the boundary at arc 35 is 5 µm up the
   * second leg */
  const double a0[3] = { 0, 0, 0 }, mid[3] = { 30, 5, 0 }, b1[3] = { 30, 40, 0 };
  for (int k = 0; k < 3; k++)
    {
      g_assert_cmpfloat_with_epsilon (a->start[k], a0[k], 1e-12);
      g_assert_cmpfloat_with_epsilon (a->end[k], mid[k], 1e-12);
      g_assert_cmpfloat_with_epsilon (b->start[k], mid[k], 1e-12);
      g_assert_cmpfloat_with_epsilon (b->end[k], b1[k], 1e-12);
    }
  /* mean diameters: (30·2 + 5·(2 + 2.25)/2)/35 and (35·(2.25 + 4)/2)/35 */
  g_assert_cmpfloat_with_epsilon (a->diam, (60 + 10.625) / 35, 1e-12);
  g_assert_cmpfloat_with_epsilon (b->diam, 3.125, 1e-12);
  g_assert_cmpuint (a->seg, ==, 0);
  g_assert_cmpuint (b->seg, ==, 1);
  g_assert_cmpuint (a->gid, ==, G_MAXUINT32);
  g_assert_cmpint (nl_morphology_find_segment (m, G_MAXUINT32, "s", 0.0), ==, 0);
  g_assert_cmpint (nl_morphology_find_segment (m, G_MAXUINT32, "s", 0.5), ==, 1);
  g_assert_cmpint (nl_morphology_find_segment (m, G_MAXUINT32, "s", 1.0), ==, 1);
  g_assert_cmpint (nl_morphology_find_segment (m, G_MAXUINT32, "t", 0.5), ==, -1);

  nl_morphology_translate (m, 1, -2, 3.5);
  const double d[3] = { 1, -2, 3.5 };
  for (int k = 0; k < 3; k++)
    {
      g_assert_cmpfloat_with_epsilon (a->start[k], a0[k] + d[k], 1e-12);
      g_assert_cmpfloat_with_epsilon (b->end[k], b1[k] + d[k], 1e-12);
    }
  const double *pts;
  g_assert_cmpuint (nl_morphology_get_points (m, 0, &pts), ==, 3);
  g_assert_cmpfloat_with_epsilon (pts[5 * 2 + 1], 40 - 2, 1e-12);
  double lo[3], hi[3];
  g_assert_true (nl_morphology_get_bounds (m, lo, hi));
  g_assert_cmpfloat_with_epsilon (lo[0], 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi[0], 31, 1e-12);
  g_assert_cmpfloat_with_epsilon (hi[1], 38, 1e-12);
}

/* Two cells at their positions, as NetPyNE places them; synapses counted per segment. */
static void
test_network_placement (void)
{
  g_autoptr(NlSpec) spec = load (
    "{\"netParams\": {"
    " \"popParams\": {\"S\": {\"cellType\": \"PYR\", \"cellsList\": [{\"x\": 100, \"y\": 200, \"z\": 30}, {\"x\": 400, \"y\": 50, \"z\": 7}]},"
    "                 \"N\": {\"cellModel\": \"NetStim\", \"numCells\": 3, \"rate\": 10}},"
    " \"cellParams\": {\"PYR\": {\"conds\": {\"cellType\": \"PYR\"}, \"secs\": {"
    "   \"soma\": {\"geom\": {\"L\": 20, \"diam\": 20, \"nseg\": 1}},"
    "   \"dend\": {\"geom\": {\"L\": 200, \"diam\": 2, \"nseg\": 4}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}},"
    "  \"AX\": {\"conds\": {\"cellType\": \"none\"}, \"secs\": {}}},"
    " \"synMechParams\": {\"AMPA\": {\"mod\": \"Exp2Syn\"}},"
    " \"connParams\": {\"N->S\": {\"preConds\": {\"pop\": \"N\"}, \"postConds\": {\"pop\": \"S\"},"
    "   \"synMech\": \"AMPA\", \"sec\": \"dend\", \"loc\": 0.6, \"weight\": 0.01, \"delay\": 1}}},"
    " \"simConfig\": {\"duration\": 10}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(NlMorphology) m = nl_morphology_new_for_network (spec, net, NULL, 0, &error);
  g_assert_no_error (error);
  /* the NetStims have no sections */
  g_assert_cmpuint (nl_morphology_get_n_segments (m), ==, 2 * 5);
  const double cell[2][3] = { { 100, 200, 30 }, { 400, 50, 7 } };
  for (guint c = 0; c < 2; c++)
    {
      const NlMorphSegment *soma = nl_morphology_get_segment (m, 5 * c);
      const NlMorphSegment *d3 = nl_morphology_get_segment (m, 5 * c + 4);
      g_assert_cmpuint (soma->gid, ==, c);
      g_assert_cmpstr (nl_morphology_get_section_name (m, d3->sec), ==, "dend");
      g_assert_cmpuint (d3->seg, ==, 3);
      /* define_shape() lays the cell along x; NetPyNE swaps x and y and moves it to (x, −y, z) */
      g_assert_cmpfloat_with_epsilon (soma->start[0], cell[c][0], 1e-9);
      g_assert_cmpfloat_with_epsilon (soma->start[1], -cell[c][1], 1e-9);
      g_assert_cmpfloat_with_epsilon (soma->start[2], cell[c][2], 1e-9);
      g_assert_cmpfloat_with_epsilon (soma->end[1], -cell[c][1] + 20, 1e-5);
      g_assert_cmpfloat_with_epsilon (d3->start[1], -cell[c][1] + 20 + 150, 1e-4);
      g_assert_cmpfloat_with_epsilon (d3->end[1], -cell[c][1] + 220, 1e-4);
      g_assert_cmpfloat_with_epsilon (d3->end[0], cell[c][0], 1e-9);
      g_assert_cmpfloat_with_epsilon (d3->diam, 2, 1e-6);
    }
  /* every NetStim onto each cell's dend at 0.6: segment 2 of 4 */
  g_autofree double *counts = g_new (double, nl_morphology_get_n_segments (m));
  nl_morphology_count_synapses (m, net, counts);
  for (guint s = 0; s < 10; s++)
    g_assert_cmpfloat (counts[s], ==, (s % 5 == 3) ? 3 : 0);

  /* one cell only */
  const guint one = 1;
  g_autoptr(NlMorphology) m1 = nl_morphology_new_for_network (spec, net, &one, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_morphology_get_n_segments (m1), ==, 5);
  g_assert_cmpuint (nl_morphology_get_segment (m1, 0)->gid, ==, 1);
  const guint bad = 99;
  g_assert_null (nl_morphology_new_for_network (spec, net, &bad, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* pt3d sections of a placed cell move by (x, −y, z). */
static void
test_network_pt3d (void)
{
  g_autoptr(NlSpec) spec = load (
    "{\"netParams\": {"
    " \"cellParams\": {\"P\": {\"conds\": {\"cellType\": \"P\"}, \"secs\": {"
    "   \"soma\": {\"geom\": {\"nseg\": 1, \"pt3d\": [[0, 0, 0, 10], [0, 10, 0, 10]]}}}},"
    "  \"M\": {\"conds\": {\"cellType\": \"M\"}, \"secs\": {"
    "   \"soma\": {\"geom\": {\"L\": 20, \"diam\": 20}},"
    "   \"dend\": {\"geom\": {\"nseg\": 2, \"pt3d\": [[0, 0, 0, 2], [0, 200, 0, 2]]}, \"topol\": {\"parentSec\": \"soma\", \"parentX\": 1, \"childX\": 0}}}}},"
    " \"popParams\": {\"S\": {\"cellType\": \"P\", \"cellsList\": [{\"x\": 10, \"y\": 20, \"z\": 30}]},"
    "   \"T\": {\"cellType\": \"M\", \"cellsList\": [{\"x\": 500, \"y\": 100, \"z\": 5}]}}},"
    " \"simConfig\": {\"duration\": 10}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(NlNetwork) net = nl_build_network (spec, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(NlMorphology) m = nl_morphology_new_for_network (spec, net, NULL, 0, &error);
  g_assert_no_error (error);
  const NlMorphSegment *s = nl_morphology_get_segment (m, 0);
  const double a[3] = { 10, -20, 30 }, b[3] = { 10, -10, 30 };
  for (int k = 0; k < 3; k++)
    {
      g_assert_cmpfloat_with_epsilon (s->start[k], a[k], 1e-9);
      g_assert_cmpfloat_with_epsilon (s->end[k], b[k], 1e-9);
    }
  /* a mixed cell stays connected: soma along x from (500, −100, 5), the dendrite from its end
   * up y, as NEURON lays it out */
  g_assert_cmpuint (nl_morphology_get_n_segments (m), ==, 4);
  const NlMorphSegment *soma = nl_morphology_get_segment (m, 1), *d1 = nl_morphology_get_segment (m, 3);
  const double s0[3] = { 500, -100, 5 }, s1[3] = { 520, -100, 5 }, e1[3] = { 520, 100, 5 };
  for (int k = 0; k < 3; k++)
    {
      g_assert_cmpfloat_with_epsilon (soma->start[k], s0[k], 1e-9);
      g_assert_cmpfloat_with_epsilon (soma->end[k], s1[k], 1e-5);
      g_assert_cmpfloat_with_epsilon (d1->end[k], e1[k], 1e-5);
    }
}

static void
expect_error (const char *secs, const char *fragment)
{
  g_autofree char *json = g_strdup_printf ("{\"netParams\": {\"cellParams\": {\"R\": {\"secs\": {%s}}}}}", secs);
  g_autoptr(NlSpec) spec = load (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(NlMorphology) m = nl_morphology_new_for_rule (spec, "R", &error);
  g_assert_null (m);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (!strstr (error->message, fragment))
    g_error ("message '%s' lacks '%s'", error->message, fragment);
}

static void
test_bad_input (void)
{
  expect_error ("\"s\": {\"geom\": {\"L\": -5}}", "netParams.cellParams.R.secs.s.geom.L");
  expect_error ("\"s\": {\"geom\": {\"diam\": -1}}", "cellParams.R.secs.s.geom.diam: -1");
  expect_error ("\"s\": {\"geom\": {\"L\": \"long\"}}", "secs.s.geom.L: a string function");
  expect_error ("\"s\": {\"geom\": {\"L\": [1]}}", "secs.s.geom.L: expected a number");
  expect_error ("\"s\": {\"geom\": {\"nseg\": 0}}", "secs.s.geom.nseg");
  expect_error ("\"s\": {\"geom\": {\"pt3d\": [[0, 0, 0, 1], [1, 2, 3]]}}", "secs.s.geom.pt3d[1]: expected [x, y, z, diam]");
  expect_error ("\"s\": {\"geom\": {\"pt3d\": [[0, 0, 0, 1], [1, 2, 3, \"x\"]]}}", "secs.s.geom.pt3d[1]");
  expect_error ("\"s\": {\"geom\": {\"pt3d\": [[0, 0, 0, 1]]}}", "at least 2");
  expect_error ("\"s\": {\"geom\": {\"pt3d\": 5}}", "secs.s.geom.pt3d: expected a list");
  expect_error ("\"s\": {\"topol\": {\"parentSec\": \"nope\", \"parentX\": 1, \"childX\": 0}}",
                "secs.s.topol.parentSec: 'nope' is not a section");
  expect_error ("\"a\": {\"topol\": {\"parentSec\": \"b\", \"parentX\": 1, \"childX\": 0}},"
                "\"b\": {\"topol\": {\"parentSec\": \"a\", \"parentX\": 1, \"childX\": 0}}", "cycle");
  expect_error ("\"a\": {\"topol\": {\"parentSec\": \"a\"}}", "its own parent");
  expect_error ("\"a\": {}, \"b\": {\"topol\": {\"parentSec\": \"a\", \"parentX\": 2}}", "secs.b.topol.parentX");
  expect_error ("\"a\": {}, \"b\": {\"topol\": {\"parentSec\": \"a\", \"childX\": 0.5}}", "secs.b.topol.childX");

  g_autoptr(NlSpec) spec = load (cell_json);
  g_autoptr(GError) error = NULL;
  g_assert_null (nl_morphology_new_for_rule (spec, "nope", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "cellParams.nope"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/morphology/neuron", test_define_shape_vs_neuron);
  g_test_add_func ("/morphology/pt3d", test_pt3d_interpolation);
  g_test_add_func ("/morphology/network", test_network_placement);
  g_test_add_func ("/morphology/network-pt3d", test_network_pt3d);
  g_test_add_func ("/morphology/bad-input", test_bad_input);
  return g_test_run ();
}
