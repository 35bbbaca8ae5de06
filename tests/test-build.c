/* The network builder: every population option and every connection rule of NetPyNE 1.1.0,
 * checked against the numbers NetPyNE's own code gives (netpyne/network/pop.py, conn.py,
 * stim.py, cell/compartCell.py, cell/cell.py), and against statistics where NetPyNE draws at
 * random. Models are written inline, in JSON with single quotes (see q()). */

#include <nl-build.h>
#include <nl-network.h>
#include <nl-spec.h>
#include <math.h>
#include <string.h>

#include "nl-testutil.h"

/* ------------------------------------------------------------------------------------------ */
/* Models                                                                                      */

/* One cell type with a soma, two synapses: what every inline model shares. */
#define COMMON_NET                                                                            \
  "'cellParams': {'PYR': {'secs': {'soma': {'geom': {'L': 18.8, 'diam': 18.8, 'Ra': 123.0},"  \
  " 'mechs': {'hh': {'gnabar': 0.12, 'gkbar': 0.036, 'gl': 0.003, 'el': -70}}}}}},"            \
  " 'synMechParams': {'exc': {'mod': 'Exp2Syn', 'tau1': 0.1, 'tau2': 5.0, 'e': 0},"            \
  " 'inh': {'mod': 'Exp2Syn', 'tau1': 0.6, 'tau2': 8.5, 'e': -75}}"

/* JSON written with single quotes (no model here contains an apostrophe). */
static char *
q (const char *s)
{
  char *r = g_strdup (s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

static char *
model_json (const char *net, const char *sim)
{
  g_autofree char *m = g_strdup_printf ("{'netParams': {" COMMON_NET "%s%s}, 'simConfig': {%s}}",
                                        net && *net ? ", " : "", net ? net : "", sim ? sim : "");
  return q (m);
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      g_autofree char *s = nl_problem_to_string (problems->pdata[i]);
      g_test_message ("%s", s);
    }
}

/* Loads and validates: every model of this file must be valid, so that a failure below is
 * the builder's. */
static NlSpec *
load_model (const char *net, const char *sim)
{
  g_autofree char *json = model_json (net, sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec = nl_spec_load_from_data (json, -1, problems, &error);
  guint errors;

  g_assert_no_error (error);
  g_assert_nonnull (spec);
  errors = nl_spec_validate (spec, problems);
  print_problems (problems);
  g_assert_cmpuint (errors, ==, 0);
  return spec;
}

static void check_structure (NlNetwork *net);

static NlNetwork *
build_spec (NlSpec *spec, guint n_threads, GPtrArray *problems)
{
  NlBuildOptions opts = { .n_threads = n_threads };
  g_autoptr(GError) error = NULL;
  NlNetwork *net = nl_build_network (spec, &opts, problems, &error);

  print_problems (problems);
  g_assert_no_error (error);
  g_assert_nonnull (net);
  check_structure (net);
  return net;
}

static NlNetwork *
build_model (const char *net, const char *sim)
{
  g_autoptr(NlSpec) spec = load_model (net, sim);
  return build_spec (spec, 0, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading a network                                                                           */

static const NlNetPop *
pop_named (NlNetwork *net, const char *name)
{
  int i = nl_network_find_pop (net, name);
  g_assert_cmpint (i, >=, 0);
  return nl_network_get_pop (net, i);
}

static int
rule_index (NlNetwork *net, const char *label)
{
  for (guint i = 0; i < nl_network_get_n_rules (net); i++)
    if (g_strcmp0 (nl_network_get_rule (net, i)->label, label) == 0)
      return i;
  return -1;
}

/* The cell→cell NetCons of one connParams rule, in storage order. */
static GArray *
rule_conns (NlNetwork *net, const char *label)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (NlConn));
  int r = rule_index (net, label);
  guint64 n = nl_network_get_n_conns (net);

  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (nl_network_get_rule (net, r)->kind, ==, NL_RULE_CONN);
  for (guint64 i = 0; i < n; i++)
    {
      NlConn c;
      nl_network_get_conn (net, i, &c);
      if (c.rule == r)
        g_array_append_val (out, c);
    }
  return out;
}

static GArray *
rule_stim_conns (NlNetwork *net, const char *label)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (NlConn));
  int r = rule_index (net, label);

  g_assert_cmpint (r, >=, 0);
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      if (c.rule == r)
        g_array_append_val (out, c);
    }
  return out;
}

static GArray *
rule_stims (NlNetwork *net, const char *label)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (NlNetStim));
  int r = rule_index (net, label);

  g_assert_cmpint (r, >=, 0);
  g_assert_cmpint (nl_network_get_rule (net, r)->kind, ==, NL_RULE_STIM);
  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    {
      NlNetStim s;
      nl_network_get_stim (net, i, &s);
      if (s.rule == r)
        g_array_append_val (out, s);
    }
  return out;
}

#define CONN(a, i) (&g_array_index ((a), NlConn, (i)))

static double
coord (NlNetwork *net, NlCoord c, guint gid)
{
  return nl_network_get_coords (net, c)[gid];
}

static double
dist3d (NlNetwork *net, guint a, guint b)
{
  const double *x = nl_network_get_coords (net, NL_COORD_X);
  const double *y = nl_network_get_coords (net, NL_COORD_Y);
  const double *z = nl_network_get_coords (net, NL_COORD_Z);
  return sqrt ((x[a] - x[b]) * (x[a] - x[b]) + (y[a] - y[b]) * (y[a] - y[b]) + (z[a] - z[b]) * (z[a] - z[b]));
}

static gboolean
in_pop (const NlNetPop *p, guint gid)
{
  return gid >= p->first && gid < p->first + p->n_cells;
}

/* A float32 field against the double it was made from. */
static void
assert_float_eq (double got, double expected)
{
  if (!(fabs (got - expected) <= 2e-7 * fabs (expected) + 1e-30))
    g_error ("%.9g differs from the expected %.9g", got, expected);
}

static const NlProblem *
find_problem (GPtrArray *problems, const char *path_prefix, int severity)
{
  gsize n = strlen (path_prefix);
  for (guint i = 0; problems && i < problems->len; i++)
    {
      const NlProblem *p = problems->pdata[i];
      if ((severity < 0 || (int) p->severity == severity) && p->path &&
          strncmp (p->path, path_prefix, n) == 0 && (p->path[n] == '\0' || p->path[n] == '.'))
        return p;
    }
  return NULL;
}

/* Invariants of every built network: populations tile the gids, the CSR index tiles the
 * connections, every index is in range, every stimulus connection comes from a NetStim or
 * VecStim stimulus on the cell it targets. */
static void
check_structure (NlNetwork *net)
{
  guint n = nl_network_get_n_cells (net);
  guint next = 0;
  guint64 total = 0;

  for (guint p = 0; p < nl_network_get_n_pops (net); p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      g_assert_nonnull (pop->name);
      g_assert_cmpint (nl_network_find_pop (net, pop->name), ==, (int) p);
      g_assert_cmpuint (pop->first, ==, next);
      for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
        g_assert_cmpuint (nl_network_cell_pop (net, g), ==, p);
      next += pop->n_cells;
    }
  g_assert_cmpuint (next, ==, n);
  g_assert_cmpint (nl_network_find_pop (net, "no such population"), ==, -1);

  for (int c = 0; c < NL_N_COORDS; c++)
    {
      const double *v = nl_network_get_coords (net, c);
      g_assert_true (n == 0 || v != NULL);
      for (guint g = 0; g < n; g++)
        g_assert_true (isfinite (v[g]));
    }

  for (guint g = 0; g < n; g++)
    {
      guint64 first = G_MAXUINT64;
      guint64 k = nl_network_conns_of_cell (net, g, &first);
      if (k)
        g_assert_cmpuint (first, ==, total);
      for (guint64 i = 0; i < k; i++)
        {
          NlConn c;
          const NlNetRule *rule;
          nl_network_get_conn (net, first + i, &c);
          g_assert_cmpuint (c.post, ==, g);
          g_assert_cmpuint (c.pre, <, n);
          g_assert_cmpuint (c.rule, <, nl_network_get_n_rules (net));
          rule = nl_network_get_rule (net, c.rule);
          g_assert_cmpint (rule->kind, ==, NL_RULE_CONN);
          g_assert_true (isfinite (c.weight));
          g_assert_true (isfinite (c.delay) && c.delay >= 0);
          g_assert_true (c.loc >= 0 && c.loc <= 1);
          g_assert_nonnull (nl_network_get_name (net, NL_NAME_SYN_MECH, c.syn));
          g_assert_nonnull (nl_network_get_name (net, NL_NAME_SEC, c.sec));
        }
      total += k;
    }
  g_assert_cmpuint (total, ==, nl_network_get_n_conns (net));

  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    {
      NlNetStim s;
      nl_network_get_stim (net, i, &s);
      g_assert_cmpuint (s.cell, <, n);
      g_assert_cmpuint (s.rule, <, nl_network_get_n_rules (net));
      g_assert_cmpint (nl_network_get_rule (net, s.rule)->kind, ==, NL_RULE_STIM);
      g_assert_true (s.loc >= 0 && s.loc <= 1);
      g_assert_nonnull (nl_network_get_name (net, NL_NAME_SEC, s.sec));
    }
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      NlNetStim s;
      const NlNetRule *rule;
      nl_network_get_stim_conn (net, i, &c);
      g_assert_cmpuint (c.pre, <, nl_network_get_n_stims (net));
      nl_network_get_stim (net, c.pre, &s);
      g_assert_cmpuint (c.post, ==, s.cell);
      g_assert_cmpuint (c.rule, ==, s.rule);
      rule = nl_network_get_rule (net, c.rule);
      g_assert_true (g_strcmp0 (rule->source_type, "NetStim") == 0 || g_strcmp0 (rule->source_type, "VecStim") == 0);
      g_assert_true (isfinite (c.weight));
      g_assert_true (isfinite (c.delay) && c.delay >= 0);
    }
}

/* |observed - expected| within k standard deviations. */
static void
assert_within_sd (const char *what, double observed, double expected, double variance, double k)
{
  double sd = sqrt (variance);
  g_test_message ("%s: %.0f observed, %.1f expected, sd %.2f", what, observed, expected, sd);
  if (!(fabs (observed - expected) <= k * sd))
    g_error ("%s: %.0f is %.1f standard deviations from the expected %.1f", what, observed,
             (observed - expected) / sd, expected);
}

/* ------------------------------------------------------------------------------------------ */
/* Populations                                                                                 */

/* numCells: that many cells, gids population after population in popParams order, positions
 * uniform in the volume: 0 <= xnorm < 1 and x = xnorm * sizeX (pop.py:104-161). */
static void
test_pop_num_cells (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 200, 'sizeY': 300, 'sizeZ': 50,"
    " 'popParams': {'C': {'cellType': 'PYR', 'numCells': 10},"
    "               'A': {'cellType': 'PYR', 'numCells': 207},"
    "               'B': {'cellType': 'PYR', 'cellModel': 'HH', 'numCells': 3}}", NULL);
  const char *order[] = { "C", "A", "B" };
  const guint sizes[] = { 10, 207, 3 };
  const double size[3] = { 200, 300, 50 };
  guint first = 0;

  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 220);
  g_assert_cmpuint (nl_network_get_n_pops (net), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const NlNetPop *p = nl_network_get_pop (net, i);
      g_assert_cmpstr (p->name, ==, order[i]);
      g_assert_cmpuint (p->first, ==, first);
      g_assert_cmpuint (p->n_cells, ==, sizes[i]);
      g_assert_cmpstr (p->cell_type, ==, "PYR");
      g_assert_false (p->artificial);
      g_assert_cmpint (p->cell_rule, ==, 0);
      first += sizes[i];
    }
  g_assert_null (nl_network_get_pop (net, 0)->cell_model);
  g_assert_cmpstr (nl_network_get_pop (net, 2)->cell_model, ==, "HH");
  g_assert_cmpuint (nl_network_cell_pop (net, 9), ==, 0);
  g_assert_cmpuint (nl_network_cell_pop (net, 10), ==, 1);
  g_assert_cmpuint (nl_network_cell_pop (net, 219), ==, 2);

  for (int c = 0; c < 3; c++)
    {
      double lo = 1, hi = 0, sum = 0;
      guint n = nl_network_get_n_cells (net);
      for (guint g = 0; g < n; g++)
        {
          double v = coord (net, NL_COORD_XNORM + c, g);
          g_assert_cmpfloat (v, >=, 0);
          g_assert_cmpfloat (v, <, 1);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_X + c, g), v * size[c], 1e-9 * size[c]);
          lo = MIN (lo, v);
          hi = MAX (hi, v);
          sum += v;
        }
      /* Uniform over [0, 1): spread over the whole side, centred. */
      g_assert_cmpfloat (lo, <, 0.05);
      g_assert_cmpfloat (hi, >, 0.95);
      assert_within_sd ("mean norm coordinate × n", sum, n * 0.5, n / 12.0, 4);
    }
  /* Positions are drawn, not all the same. */
  g_assert_cmpfloat (coord (net, NL_COORD_X, 0), !=, coord (net, NL_COORD_X, 1));
}

/* x/y/zRange (µm) and x/y/znormRange: every cell inside, spread over the range, uniform
 * (pop.py:136-146). */
static void
test_pop_ranges (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 200, 'sizeY': 1000, 'sizeZ': 100,"
    " 'popParams': {'R': {'cellType': 'PYR', 'numCells': 300, 'xRange': [20, 60], 'yRange': [100, 300],"
    "                     'zRange': [50, 100]},"
    "               'N': {'cellType': 'PYR', 'numCells': 300, 'xnormRange': [0.25, 0.5],"
    "                     'ynormRange': [0.6, 1.0], 'znormRange': [0, 0.1]},"
    "               'F': {'cellType': 'PYR', 'numCells': 100}}", NULL);
  const double size[3] = { 200, 1000, 100 };
  const double r_norm[3][2] = { { 0.1, 0.3 }, { 0.1, 0.3 }, { 0.5, 1.0 } };
  const double n_norm[3][2] = { { 0.25, 0.5 }, { 0.6, 1.0 }, { 0, 0.1 } };
  const char *names[] = { "R", "N" };

  for (guint k = 0; k < 2; k++)
    {
      const NlNetPop *p = pop_named (net, names[k]);
      const double (*range)[2] = k == 0 ? r_norm : n_norm;
      g_assert_cmpuint (p->n_cells, ==, 300);
      for (int c = 0; c < 3; c++)
        {
          double lo = 2, hi = -1, sum = 0;
          double a = range[c][0], b = range[c][1];
          for (guint g = p->first; g < p->first + p->n_cells; g++)
            {
              double v = coord (net, NL_COORD_XNORM + c, g);
              double x = coord (net, NL_COORD_X + c, g);
              g_assert_cmpfloat (v, >=, a - 1e-12);
              g_assert_cmpfloat (v, <=, b + 1e-12);
              g_assert_cmpfloat (x, >=, a * size[c] - 1e-9);
              g_assert_cmpfloat (x, <=, b * size[c] + 1e-9);
              g_assert_cmpfloat_with_epsilon (x, v * size[c], 1e-9 * size[c]);
              lo = MIN (lo, v);
              hi = MAX (hi, v);
              sum += v;
            }
          /* Spread over the range, not squeezed to a corner of it. */
          g_assert_cmpfloat (lo - a, <, 0.05 * (b - a));
          g_assert_cmpfloat (b - hi, <, 0.05 * (b - a));
          assert_within_sd ("mean in range × n", sum, p->n_cells * (a + b) / 2,
                            p->n_cells * (b - a) * (b - a) / 12, 4);
        }
    }
  /* A population without ranges still fills the whole volume. */
  {
    const NlNetPop *f = pop_named (net, "F");
    double hi = 0;
    for (guint g = f->first; g < f->first + f->n_cells; g++)
      hi = MAX (hi, coord (net, NL_COORD_Y, g));
    g_assert_cmpfloat (hi, >, 500);
  }
}

/* Cylinder and ellipsoid: cells inside the inscribed shape, uniform in it (pop.py:110-134),
 * and density counts use the shape's volume (pop.py:210-215). */
static void
test_pop_shapes (void)
{
  for (int shape = 0; shape < 2; shape++)
    {
      g_autofree char *np = g_strdup_printf (
        "'shape': '%s', 'sizeX': 200, 'sizeY': 100, 'sizeZ': 200,"
        " 'popParams': {'S': {'cellType': 'PYR', 'numCells': 2000},"
        "               'D': {'cellType': 'PYR', 'density': 100000}}",
        shape == 0 ? "cylinder" : "ellipsoid");
      g_autoptr(NlNetwork) net = build_model (np, NULL);
      const NlNetPop *s = pop_named (net, "S");
      const NlNetPop *d = pop_named (net, "D");
      guint inner = 0;
      double frac = shape == 0 ? 0.25 : 0.125;   /* P(r < R/2): disc, ball */

      for (guint g = s->first; g < s->first + s->n_cells; g++)
        {
          double x = coord (net, NL_COORD_XNORM, g) - 0.5;
          double y = coord (net, NL_COORD_YNORM, g) - 0.5;
          double z = coord (net, NL_COORD_ZNORM, g) - 0.5;
          double r2 = shape == 0 ? x * x + z * z : x * x + y * y + z * z;
          g_assert_cmpfloat (r2, <=, 0.25 + 1e-12);
          if (shape == 0)
            g_assert_true (y >= -0.5 && y < 0.5);
          if (r2 < 0.25 * 0.25)
            inner++;
        }
      assert_within_sd (shape == 0 ? "cylinder: cells within half the radius" : "ellipsoid: cells within half the radius",
                        inner, s->n_cells * frac, s->n_cells * frac * (1 - frac), 4);
      /* cylinder: 0.1 * (0.2/2) * (0.2/2) * pi mm³ = 0.00314159 → × 1e5 = 314.159 → 314;
       * ellipsoid: (0.1/2) * (0.2/2) * (0.2/2) * 4/3 pi = 0.00209440 → 209.440 → 209. */
      {
        double vol = shape == 0 ? 100 / 1e3 * 200 / 1e3 / 2 * 200 / 1e3 / 2 * G_PI
                                : 100 / 1e3 / 2.0 * 200 / 1e3 / 2.0 * 200 / 1e3 / 2.0 * G_PI * 4.0 / 3.0;
        g_assert_cmpuint (d->n_cells, ==, (guint) (100000 * vol));
        g_assert_cmpuint (d->n_cells, ==, shape == 0 ? 314 : 209);
      }
      for (guint g = d->first; g < d->first + d->n_cells; g++)
        {
          double x = coord (net, NL_COORD_XNORM, g) - 0.5;
          double y = coord (net, NL_COORD_YNORM, g) - 0.5;
          double z = coord (net, NL_COORD_ZNORM, g) - 0.5;
          g_assert_cmpfloat (shape == 0 ? x * x + z * z : x * x + y * y + z * z, <=, 0.25 + 1e-12);
        }
    }
}

/* density (cells/mm³): numCells = int(density * volume), the volume reduced by the ranges
 * (pop.py:210-225, 277). */
static void
test_pop_density (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 200, 'sizeY': 100, 'sizeZ': 300,"
    " 'popParams': {'D': {'cellType': 'PYR', 'density': 123456},"
    "               'Y': {'cellType': 'PYR', 'density': 123456, 'yRange': [25, 75]},"
    "               'X': {'cellType': 'PYR', 'density': 123456, 'xnormRange': [0.1, 0.35]}}", NULL);
  const double vol = 100 / 1e3 * 200 / 1e3 * 300 / 1e3;   /* 0.006 mm³ */
  const NlNetPop *d = pop_named (net, "D"), *y = pop_named (net, "Y"), *x = pop_named (net, "X");

  /* 123456 * 0.006 = 740.736; half of it 370.368; a quarter 185.184. */
  g_assert_cmpuint (d->n_cells, ==, (guint) (123456 * vol));
  g_assert_cmpuint (d->n_cells, ==, 740);
  g_assert_cmpuint (y->n_cells, ==, 370);
  g_assert_cmpuint (x->n_cells, ==, 185);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 740 + 370 + 185);
  g_assert_cmpuint (y->first, ==, 740);
  for (guint g = y->first; g < y->first + y->n_cells; g++)
    {
      g_assert_cmpfloat (coord (net, NL_COORD_Y, g), >=, 25 - 1e-9);
      g_assert_cmpfloat (coord (net, NL_COORD_Y, g), <=, 75 + 1e-9);
      g_assert_cmpfloat (coord (net, NL_COORD_X, g), <, 200);
    }
  for (guint g = x->first; g < x->first + x->n_cells; g++)
    {
      g_assert_cmpfloat (coord (net, NL_COORD_XNORM, g), >=, 0.1 - 1e-12);
      g_assert_cmpfloat (coord (net, NL_COORD_XNORM, g), <=, 0.35 + 1e-12);
    }
  for (guint g = d->first; g < d->first + d->n_cells; g++)
    for (int c = 0; c < 3; c++)
      g_assert_true (coord (net, NL_COORD_XNORM + c, g) >= 0 && coord (net, NL_COORD_XNORM + c, g) < 1);
}

/* density as a function of ynorm (pop.py:228-267): candidates int(volume * maxDensity), kept
 * with probability density(ynorm)/maxDensity. For 5e5*ynorm over [0, 1) in 0.001 mm³: about
 * 250 cells, ynorm distributed as 2y (mean 2/3), x and z uniform. */
static void
test_pop_density_function (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'D': {'cellType': 'PYR', 'density': '5e5*ynorm', 'ynormRange': [0, 1]}}", NULL);
  const NlNetPop *d = pop_named (net, "D");
  double candidates = 499;   /* int(0.001 * 5e5 * 0.999): NetPyNE samples the maximum at 0.999 */
  double keep = 0.5 / 0.999;
  double sum_y = 0, sum_x = 0;

  assert_within_sd ("cells from a density function", d->n_cells, candidates * keep,
                    candidates * keep * (1 - keep) + 1, 4);
  for (guint g = d->first; g < d->first + d->n_cells; g++)
    {
      double y = coord (net, NL_COORD_YNORM, g);
      g_assert_true (y >= 0 && y < 1);
      g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_Y, g), y * 100, 1e-9);
      sum_y += y;
      sum_x += coord (net, NL_COORD_XNORM, g);
    }
  /* ynorm ~ 2y: mean 2/3, variance 1/18; x uniform: mean 1/2, variance 1/12. */
  assert_within_sd ("sum of ynorm", sum_y, d->n_cells * 2.0 / 3, d->n_cells / 18.0, 4);
  assert_within_sd ("sum of xnorm", sum_x, d->n_cells * 0.5, d->n_cells / 12.0, 4);
}

/* gridSpacing: np.arange(lo, hi + 1, spacing) per axis, x outermost, z innermost; ranges in µm
 * or norm (pop.py:406-458). */
static void
check_grid (NlNetwork *net, const char *name, const double *xs, guint nx, const double *ys, guint ny,
            const double *zs, guint nz, const double size[3])
{
  const NlNetPop *p = pop_named (net, name);
  guint i = 0;

  g_assert_cmpuint (p->n_cells, ==, nx * ny * nz);
  for (guint a = 0; a < nx; a++)
    for (guint b = 0; b < ny; b++)
      for (guint c = 0; c < nz; c++, i++)
        {
          guint g = p->first + i;
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_X, g), xs[a], 1e-9);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_Y, g), ys[b], 1e-9);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_Z, g), zs[c], 1e-9);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_XNORM, g), xs[a] / size[0], 1e-12);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_YNORM, g), ys[b] / size[1], 1e-12);
          g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_ZNORM, g), zs[c] / size[2], 1e-12);
        }
}

static void
test_pop_grid (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 100, 'sizeY': 100, 'sizeZ': 50,"
    " 'popParams': {'G1': {'cellType': 'PYR', 'gridSpacing': 25},"
    "               'G2': {'cellType': 'PYR', 'gridSpacing': [25, 50, 30], 'yRange': [10, 90]},"
    "               'G3': {'cellType': 'PYR', 'gridSpacing': 40, 'xnormRange': [0.5, 1.0]}}", NULL);
  const double size[3] = { 100, 100, 50 };
  /* G1: arange(0, 101, 25) → 0 … 100 (5 points; the "+ 1" keeps the far side); z: arange(0, 51, 25). */
  const double g1x[] = { 0, 25, 50, 75, 100 }, g1z[] = { 0, 25, 50 };
  /* G2: x as G1; y: arange(10, 91, 50) → 10, 60; z: arange(0, 51, 30) → 0, 30. */
  const double g2y[] = { 10, 60 }, g2z[] = { 0, 30 };
  /* G3: x: arange(50, 101, 40) → 50, 90; y: arange(0, 101, 40) → 0, 40, 80; z: 0, 40. */
  const double g3x[] = { 50, 90 }, g3y[] = { 0, 40, 80 }, g3z[] = { 0, 40 };

  check_grid (net, "G1", g1x, 5, g1x, 5, g1z, 3, size);
  check_grid (net, "G2", g1x, 5, g2y, 2, g2z, 2, size);
  check_grid (net, "G3", g3x, 2, g3y, 3, g3z, 2, size);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 75 + 20 + 12);
  g_assert_cmpuint (pop_named (net, "G3")->first, ==, 95);
}

/* cellsList: cells exactly where given; x gives xnorm = x/sizeX, xnorm gives x, neither gives 0
 * (pop.py:364-404); it takes precedence over numCells (pop.py:72). */
static void
test_pop_cells_list (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 200, 'sizeY': 100, 'sizeZ': 400,"
    " 'popParams': {'N': {'cellType': 'PYR', 'numCells': 4},"
    "               'L': {'cellType': 'PYR', 'cellsList': [{'x': 10, 'y': 20, 'z': 30},"
    "                     {'xnorm': 0.5, 'ynorm': 0.25}, {}, {'x': 150.5, 'znorm': 0.75}]},"
    "               'P': {'cellType': 'PYR', 'numCells': 10, 'cellsList': [{'x': 1}, {'x': 2}]}}", NULL);
  const NlNetPop *l = pop_named (net, "L");
  const double want[4][6] = {
    { 10, 20, 30, 0.05, 0.2, 0.075 },
    { 100, 25, 0, 0.5, 0.25, 0 },
    { 0, 0, 0, 0, 0, 0 },
    { 150.5, 0, 300, 0.7525, 0, 0.75 },
  };

  g_assert_cmpuint (l->n_cells, ==, 4);
  g_assert_cmpuint (l->first, ==, 4);
  /* cellsList wins over numCells. */
  g_assert_cmpuint (pop_named (net, "P")->n_cells, ==, 2);
  g_assert_cmpfloat_with_epsilon (coord (net, NL_COORD_X, 9), 2, 1e-12);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 10);
  for (guint i = 0; i < 4; i++)
    for (int c = 0; c < NL_N_COORDS; c++)
      g_assert_cmpfloat_with_epsilon (coord (net, c, l->first + i), want[i][c], 1e-12);
}

/* netParams.scale multiplies numCells (int(scale × numCells), pop.py:148) and nothing else:
 * not density (pop.py:277), not a grid, not a cellsList. */
static void
test_pop_scale (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'scale': 0.5, 'sizeX': 200, 'sizeY': 100, 'sizeZ': 300,"
    " 'popParams': {'N': {'cellType': 'PYR', 'numCells': 7},"
    "               'D': {'cellType': 'PYR', 'density': 123456},"
    "               'G': {'cellType': 'PYR', 'gridSpacing': 100},"
    "               'L': {'cellType': 'PYR', 'cellsList': [{'x': 1}, {'x': 2}, {'x': 3}]}}", NULL);

  g_assert_cmpuint (pop_named (net, "N")->n_cells, ==, 3);
  g_assert_cmpuint (pop_named (net, "D")->n_cells, ==, 740);
  g_assert_cmpuint (pop_named (net, "G")->n_cells, ==, 3 * 2 * 4);
  g_assert_cmpuint (pop_named (net, "L")->n_cells, ==, 3);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 3 + 740 + 24 + 3);
}

/* An artificial-cell population (NetStim): no cellParams rule, and its NetCons are "conns"
 * (CONTRACTS.md). */
static void
test_pop_artificial (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'S': {'cellModel': 'NetStim', 'numCells': 5, 'rate': 10, 'noise': 0.5},"
    "              'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'S->B': {'preConds': {'pop': 'S'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc',"
    "                          'weight': 0.01, 'delay': 2}}", NULL);
  const NlNetPop *s = pop_named (net, "S");
  g_autoptr(GArray) conns = rule_conns (net, "S->B");

  g_assert_true (s->artificial);
  g_assert_cmpint (s->cell_rule, ==, -1);
  g_assert_cmpstr (s->cell_model, ==, "NetStim");
  g_assert_false (pop_named (net, "B")->artificial);
  g_assert_cmpuint (conns->len, ==, 20);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 20);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 0);
  for (guint i = 0; i < conns->len; i++)
    {
      g_assert_true (in_pop (s, CONN (conns, i)->pre));
      g_assert_true (in_pop (pop_named (net, "B"), CONN (conns, i)->post));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Connection rules                                                                            */

/* A matrix of how many NetCons each (pre, post) pair got. */
static guint8 *
pair_counts (NlNetwork *net, GArray *conns)
{
  guint n = nl_network_get_n_cells (net);
  guint8 *m = g_new0 (guint8, (gsize) n * n);
  for (guint i = 0; i < conns->len; i++)
    {
      guint8 *v = &m[(gsize) CONN (conns, i)->pre * n + CONN (conns, i)->post];
      g_assert_cmpuint (*v, <, 255);
      (*v)++;
    }
  return m;
}

/* probability p: each candidate pair connects with probability p (conn.py:575), never a cell
 * to itself (compartCell.py:867-882); a missing weight/delay is defaultWeight/defaultDelay
 * (compartCell.py:849-852). */
static void
test_conn_probability (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'defaultWeight': 0.7, 'defaultDelay': 2.5,"
    " 'popParams': {'A': {'cellType': 'PYR', 'numCells': 200}, 'B': {'cellType': 'PYR', 'numCells': 150}},"
    " 'connParams': {'A->B': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'probability': 0.2,"
    "                          'synMech': 'exc'},"
    "                'A->A': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'}, 'probability': 0.1,"
    "                          'synMech': 'inh', 'weight': 0.02, 'delay': 4}}", NULL);
  const NlNetPop *a = pop_named (net, "A"), *b = pop_named (net, "B");
  g_autoptr(GArray) ab = rule_conns (net, "A->B");
  g_autoptr(GArray) aa = rule_conns (net, "A->A");
  g_autofree guint8 *m_ab = pair_counts (net, ab);
  g_autofree guint8 *m_aa = pair_counts (net, aa);
  guint n = nl_network_get_n_cells (net);

  assert_within_sd ("A->B p=0.2", ab->len, 30000 * 0.2, 30000 * 0.2 * 0.8, 4);
  assert_within_sd ("A->A p=0.1", aa->len, 200 * 199 * 0.1, 200 * 199 * 0.1 * 0.9, 4);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, ab->len + aa->len);
  for (guint i = 0; i < ab->len; i++)
    {
      NlConn *c = CONN (ab, i);
      g_assert_true (in_pop (a, c->pre) && in_pop (b, c->post));
      assert_float_eq (c->weight, 0.7);
      assert_float_eq (c->delay, 2.5);
      assert_float_eq (c->loc, 0.5);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn), ==, "exc");
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c->sec), ==, "soma");
      g_assert_cmpuint (m_ab[(gsize) c->pre * n + c->post], ==, 1);
    }
  for (guint i = 0; i < aa->len; i++)
    {
      NlConn *c = CONN (aa, i);
      g_assert_true (in_pop (a, c->pre) && in_pop (a, c->post));
      g_assert_cmpuint (c->pre, !=, c->post);
      assert_float_eq (c->weight, 0.02);
      assert_float_eq (c->delay, 4);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn), ==, "inh");
      g_assert_cmpuint (m_aa[(gsize) c->pre * n + c->post], ==, 1);
    }
}

/* A string-function probability: "0.4*exp(-dist_3D/100)" over 2,000 cells in a 1000 µm cube.
 * Candidate pairs binned by distance; per bin the count of connections must be the sum of the
 * pairs' probabilities within 4 binomial standard deviations. */
static void
test_conn_distance_probability (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeX': 1000, 'sizeY': 1000, 'sizeZ': 1000,"
    " 'popParams': {'E': {'cellType': 'PYR', 'numCells': 2000}},"
    " 'connParams': {'E->E': {'preConds': {'pop': 'E'}, 'postConds': {'pop': 'E'},"
    "                          'probability': '0.4*exp(-dist_3D/100)', 'synMech': 'exc', 'weight': 0.001}}",
    NULL);
  enum { N_BINS = 17 };
  const double width = 25;   /* bins of 25 µm up to 400 µm, then one for the rest */
  double expected[N_BINS] = { 0 }, variance[N_BINS] = { 0 }, observed[N_BINS] = { 0 };
  guint64 pairs[N_BINS] = { 0 };
  guint n = nl_network_get_n_cells (net);
  g_autoptr(GArray) conns = rule_conns (net, "E->E");
  g_autofree guint8 *m = pair_counts (net, conns);

  g_assert_cmpuint (n, ==, 2000);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      if (i != j)
        {
          double d = dist3d (net, i, j);
          double p = 0.4 * exp (-d / 100);
          guint bin = MIN ((guint) (d / width), N_BINS - 1);
          expected[bin] += p;
          variance[bin] += p * (1 - p);
          pairs[bin]++;
        }
  for (guint i = 0; i < conns->len; i++)
    {
      NlConn *c = CONN (conns, i);
      double d = dist3d (net, c->pre, c->post);
      g_assert_cmpuint (c->pre, !=, c->post);
      g_assert_cmpuint (m[(gsize) c->pre * n + c->post], ==, 1);
      observed[MIN ((guint) (d / width), N_BINS - 1)]++;
    }
  for (guint b = 0; b < N_BINS; b++)
    {
      g_autofree char *what = g_strdup_printf ("pairs at %g–%g µm (%" G_GUINT64_FORMAT " pairs)", b * width,
                                               b == N_BINS - 1 ? INFINITY : (b + 1) * width, pairs[b]);
      assert_within_sd (what, observed[b], expected[b], variance[b], 4);
    }
  /* Close pairs connect far more often than distant ones: the probability is not constant. */
  g_assert_cmpfloat (observed[0] / pairs[0], >, 10 * observed[N_BINS - 1] / pairs[N_BINS - 1]);
}

/* A probability drawn at random ("uniform(0, 0.2)") is drawn afresh for every candidate pair, as
 * NetPyNE evaluates the function per (pre, post) pair (conn.py:268-281): per post cell the count
 * is then Binomial(200, 0.1), variance 18. Drawn once per post cell, the variance would be
 * 18 + 200² Var(p) ≈ 151. */
static void
test_conn_random_probability (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 200}, 'B': {'cellType': 'PYR', 'numCells': 200}},"
    " 'connParams': {'r': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'},"
    "                       'probability': 'uniform(0, 0.2)', 'synMech': 'exc'}}", NULL);
  const NlNetPop *b = pop_named (net, "B");
  g_autoptr(GArray) conns = rule_conns (net, "r");
  guint count[200] = { 0 };
  double mean = 0, var = 0;

  assert_within_sd ("uniform(0, 0.2) probability", conns->len, 40000 * 0.1, 40000 * 0.1 * 0.9, 4);
  for (guint i = 0; i < conns->len; i++)
    count[CONN (conns, i)->post - b->first]++;
  for (guint i = 0; i < 200; i++)
    mean += count[i] / 200.0;
  for (guint i = 0; i < 200; i++)
    var += (count[i] - mean) * (count[i] - mean) / 199.0;
  g_test_message ("connections per post cell: mean %.2f, variance %.2f (18 expected)", mean, var);
  /* The sample variance of 200 counts has a standard error of about 18 × √(2/199) ≈ 1.8. */
  g_assert_cmpfloat (var, >, 9);
  g_assert_cmpfloat (var, <, 30);
}

/* Conditions: tag equality, list membership, half-open [min, max) ranges of x … znorm
 * (conn.py:156-199). */
static void
test_conn_conds (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'P': {'cellType': 'PYR', 'cellsList': [{'x': 10, 'ynorm': 0.1}, {'x': 20, 'ynorm': 0.5, 'group': 'g1'},"
    "                    {'x': 30, 'ynorm': 0.7}, {'x': 40, 'ynorm': 0.2, 'group': 'g1'}]},"
    "              'Q': {'cellType': 'PYR', 'cellModel': 'special', 'numCells': 3},"
    "              'R': {'cellType': 'PYR', 'numCells': 2}},"
    " 'connParams': {'x': {'preConds': {'pop': 'R'}, 'postConds': {'x': [10, 30]}, 'synMech': 'exc'},"
    "                'yn': {'preConds': {'pop': 'R'}, 'postConds': {'pop': 'P', 'ynorm': [0.2, 0.7]},"
    "                       'synMech': 'exc'},"
    "                'tag': {'preConds': {'cellModel': 'special'}, 'postConds': {'pop': ['R', 'P']},"
    "                        'synMech': 'exc'},"
    "                'own': {'preConds': {'pop': 'R'}, 'postConds': {'group': 'g1'}, 'synMech': 'exc'}}", NULL);
  g_autoptr(GArray) x = rule_conns (net, "x");
  g_autoptr(GArray) yn = rule_conns (net, "yn");
  g_autoptr(GArray) tag = rule_conns (net, "tag");
  g_autoptr(GArray) own = rule_conns (net, "own");
  const NlNetPop *q = pop_named (net, "Q");
  guint hit[4] = { 0 };

  /* x in [10, 30): cells at 10 and 20, not 30, not 40 — and no cell of Q or R (x from their
   * random positions could fall in [10, 30), so count only P's). */
  for (guint i = 0; i < x->len; i++)
    if (CONN (x, i)->post < 4)
      hit[CONN (x, i)->post]++;
  g_assert_cmpuint (hit[0], ==, 2);
  g_assert_cmpuint (hit[1], ==, 2);
  g_assert_cmpuint (hit[2], ==, 0);
  g_assert_cmpuint (hit[3], ==, 0);
  for (guint i = 0; i < x->len; i++)
    {
      double px = coord (net, NL_COORD_X, CONN (x, i)->post);
      g_assert_true (px >= 10 && px < 30);
    }
  /* ynorm in [0.2, 0.7): cells 1 (0.5) and 3 (0.2). */
  memset (hit, 0, sizeof hit);
  g_assert_cmpuint (yn->len, ==, 4);
  for (guint i = 0; i < yn->len; i++)
    hit[CONN (yn, i)->post]++;
  g_assert_cmpuint (hit[1], ==, 2);
  g_assert_cmpuint (hit[3], ==, 2);
  /* cellModel 'special' selects Q; posts are R's and P's cells. */
  g_assert_cmpuint (tag->len, ==, 3 * 6);
  for (guint i = 0; i < tag->len; i++)
    {
      g_assert_true (in_pop (q, CONN (tag, i)->pre));
      g_assert_false (in_pop (q, CONN (tag, i)->post));
    }
  /* A cellsList entry's own keys are that cell's tags (pop.py:382): 'group' selects cells 1
   * and 3 of P. */
  g_assert_cmpuint (own->len, ==, 2 * 2);
  for (guint i = 0; i < own->len; i++)
    g_assert_true (CONN (own, i)->post == 1 || CONN (own, i)->post == 3);
}

/* Random weights and delays are drawn once per connection: the k NetCons of synsPerConn k
 * share them (cell.py:145-156), and so do the NetCons of a list of synMechs given one
 * function (conn.py:929-938 evaluates, 976 reuses the value per synMech). */
static void
test_conn_random_values (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 10}, 'B': {'cellType': 'PYR', 'numCells': 10}},"
    " 'connParams': {'k3': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synsPerConn': 3,"
    "                        'synMech': 'exc', 'weight': 'uniform(0.01, 0.02)', 'delay': 'uniform(1, 2)'},"
    "                'two': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'A'},"
    "                         'synMech': ['exc', 'inh'], 'weight': 'uniform(0.01, 0.02)'}}", NULL);
  const char *rules[] = { "k3", "two" };
  const guint per[] = { 3, 2 };

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GArray) conns = rule_conns (net, rules[k]);
      g_autoptr(GHashTable) distinct = g_hash_table_new (NULL, NULL);
      g_autofree float *first_w = g_new (float, 400), *first_d = g_new (float, 400);
      g_autofree guint *seen = g_new0 (guint, 400);

      g_assert_cmpuint (conns->len, ==, 100 * per[k]);
      for (guint i = 0; i < conns->len; i++)
        {
          NlConn *c = CONN (conns, i);
          guint pair = c->pre * 20 + c->post;
          g_assert_cmpfloat (c->weight, >=, 0.01 - 1e-9);
          g_assert_cmpfloat (c->weight, <=, 0.02 + 1e-9);
          if (seen[pair]++ == 0)
            {
              first_w[pair] = c->weight;
              first_d[pair] = c->delay;
              g_hash_table_add (distinct, GUINT_TO_POINTER ((guint) (c->weight * 1e9)));
            }
          else
            {
              g_assert_cmpfloat (c->weight, ==, first_w[pair]);
              g_assert_cmpfloat (c->delay, ==, first_d[pair]);
            }
        }
      for (guint i = 0; i < 400; i++)
        g_assert_true (seen[i] == 0 || seen[i] == per[k]);
      /* …and drawn afresh for each connection. */
      g_assert_cmpuint (g_hash_table_size (distinct), >, 90);
    }
}

/* convergence c: every post cell gets exactly c distinct pre cells, never itself; at most the
 * number of pre cells - 1 (conn.py:699, even when post is not among the pre); the value, or a
 * string function of post_*, is rounded as Python 3's round() does, halves to even
 * (conn.py:699). */
static void
test_conn_convergence (void)
{
  g_autoptr(NlSpec) spec = load_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 30}, 'B': {'cellType': 'PYR', 'numCells': 20},"
    "              'C': {'cellType': 'PYR', 'numCells': 10}},"
    " 'connParams': {'A->B': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'convergence': 5,"
    "                          'synMech': 'exc', 'weight': 0.01},"
    "                'A->A': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'}, 'convergence': 7,"
    "                          'synMech': 'exc'},"
    "                'C->B': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'B'}, 'convergence': 50,"
    "                          'synMech': 'exc'},"
    "                'Cf->A': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'A'},"
    "                          'convergence': '1 + 6*post_ynorm', 'synMech': 'exc'},"
    "                'half': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'B'}, 'convergence': 2.5,"
    "                          'synMech': 'inh'}}", NULL);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlNetwork) net = build_spec (spec, 0, problems);
  const NlNetPop *a = pop_named (net, "A"), *b = pop_named (net, "B"), *c = pop_named (net, "C");
  const struct { const char *rule; const NlNetPop *pre, *post; int conv; } cases[] = {
    { "A->B", a, b, 5 }, { "A->A", a, a, 7 }, { "C->B", c, b, 9 }, { "Cf->A", c, a, -1 },
    { "half", c, b, 2 },   /* Python's round(2.5) is 2 */
  };
  guint n = nl_network_get_n_cells (net);

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GArray) conns = rule_conns (net, cases[k].rule);
      g_autofree guint8 *m = pair_counts (net, conns);
      g_autofree guint *per_post = g_new0 (guint, n);
      guint64 total = 0;

      for (guint i = 0; i < conns->len; i++)
        {
          NlConn *x = CONN (conns, i);
          g_assert_true (in_pop (cases[k].pre, x->pre));
          g_assert_true (in_pop (cases[k].post, x->post));
          g_assert_cmpuint (x->pre, !=, x->post);
          g_assert_cmpuint (m[(gsize) x->pre * n + x->post], ==, 1);   /* distinct pre cells */
          per_post[x->post]++;
        }
      for (guint g = cases[k].post->first; g < cases[k].post->first + cases[k].post->n_cells; g++)
        {
          guint want = cases[k].conv >= 0 ? (guint) cases[k].conv
                                          : (guint) MIN (9, rint (1 + 6 * coord (net, NL_COORD_YNORM, g)));
          g_assert_cmpuint (per_post[g], ==, want);
          total += per_post[g];
        }
      g_assert_cmpuint (total, ==, conns->len);
    }
  /* Asking for 50 of 10 cells is worth a warning on the rule. */
  g_assert_nonnull (find_problem (problems, "connParams.C->B", NL_SEVERITY_WARNING));
  g_assert_null (find_problem (problems, "connParams.A->B", NL_SEVERITY_WARNING));
}

/* divergence d: every pre cell reaches exactly d distinct post cells, never itself; at most
 * the number of post cells - 1 (conn.py:785); halves round to even (conn.py:785). */
static void
test_conn_divergence (void)
{
  g_autoptr(NlSpec) spec = load_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 20}, 'B': {'cellType': 'PYR', 'numCells': 30},"
    "              'C': {'cellType': 'PYR', 'numCells': 5}},"
    " 'connParams': {'A->B': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'divergence': 6,"
    "                          'synMech': 'exc'},"
    "                'A->A': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'}, 'divergence': 4,"
    "                          'synMech': 'inh'},"
    "                'A->C': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'C'}, 'divergence': 10,"
    "                          'synMech': 'exc'},"
    "                'half': {'preConds': {'pop': 'C'}, 'postConds': {'pop': 'B'}, 'divergence': 4.5,"
    "                          'synMech': 'inh'}}", NULL);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlNetwork) net = build_spec (spec, 0, problems);
  const NlNetPop *a = pop_named (net, "A"), *b = pop_named (net, "B"), *c = pop_named (net, "C");
  const struct { const char *rule; const NlNetPop *pre, *post; guint div; } cases[] = {
    { "A->B", a, b, 6 }, { "A->A", a, a, 4 }, { "A->C", a, c, 4 },
    { "half", c, b, 4 },   /* Python's round(4.5) is 4 */
  };
  guint n = nl_network_get_n_cells (net);

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GArray) conns = rule_conns (net, cases[k].rule);
      g_autofree guint8 *m = pair_counts (net, conns);
      g_autofree guint *per_pre = g_new0 (guint, n);

      g_assert_cmpuint (conns->len, ==, cases[k].pre->n_cells * cases[k].div);
      for (guint i = 0; i < conns->len; i++)
        {
          NlConn *x = CONN (conns, i);
          g_assert_true (in_pop (cases[k].pre, x->pre));
          g_assert_true (in_pop (cases[k].post, x->post));
          g_assert_cmpuint (x->pre, !=, x->post);
          g_assert_cmpuint (m[(gsize) x->pre * n + x->post], ==, 1);
          per_pre[x->pre]++;
        }
      for (guint g = cases[k].pre->first; g < cases[k].pre->first + cases[k].pre->n_cells; g++)
        g_assert_cmpuint (per_pre[g], ==, cases[k].div);
    }
  g_assert_nonnull (find_problem (problems, "connParams.A->C", NL_SEVERITY_WARNING));
  g_assert_null (find_problem (problems, "connParams.A->B", NL_SEVERITY_WARNING));
}

/* connList: pairs of indices into the sorted pre and post gid lists, per-connection weights,
 * a self pair skipped (conn.py:845-908). */
static void
test_conn_list (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 3},"
    "              'C': {'cellType': 'PYR', 'numCells': 4}, 'D': {'cellType': 'PYR', 'numCells': 2}},"
    " 'connParams': {'L': {'preConds': {'pop': 'A'}, 'postConds': {'pop': ['D', 'B']},"
    "                       'connList': [[0, 1], [2, 3], [4, 0], [1, 4]], 'weight': [0.1, 0.2, 0.3, 0.4],"
    "                       'delay': 3, 'synMech': 'exc'},"
    "                'S': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'},"
    "                       'connList': [[1, 1], [0, 3]], 'synMech': 'inh'}}", NULL);
  /* Post cells selected: B = gids 5, 6, 7 and D = 12, 13, sorted → [5, 6, 7, 12, 13]. */
  const guint want_pre[] = { 0, 2, 4, 1 };
  const guint want_post[] = { 6, 12, 5, 13 };
  const double want_w[] = { 0.1, 0.2, 0.3, 0.4 };
  g_autoptr(GArray) l = rule_conns (net, "L");
  g_autoptr(GArray) s = rule_conns (net, "S");
  gboolean seen[4] = { FALSE };

  g_assert_cmpuint (pop_named (net, "D")->first, ==, 12);
  g_assert_cmpuint (l->len, ==, 4);
  for (guint i = 0; i < l->len; i++)
    {
      NlConn *c = CONN (l, i);
      guint k;
      for (k = 0; k < 4; k++)
        if (c->pre == want_pre[k] && c->post == want_post[k])
          break;
      g_assert_cmpuint (k, <, 4);
      g_assert_false (seen[k]);
      seen[k] = TRUE;
      assert_float_eq (c->weight, want_w[k]);
      assert_float_eq (c->delay, 3);
    }
  /* [1, 1] is cell 1 onto itself: skipped. [0, 3]: 0 → 3 with the default weight and delay. */
  g_assert_cmpuint (s->len, ==, 1);
  g_assert_cmpuint (CONN (s, 0)->pre, ==, 0);
  g_assert_cmpuint (CONN (s, 0)->post, ==, 3);
  assert_float_eq (CONN (s, 0)->weight, 1);
  assert_float_eq (CONN (s, 0)->delay, 1);
}

/* No rule: all to all, minus autapses (compartCell.py:867-882) unless allowSelfConns; the
 * convergence, divergence and connList rules skip self pairs even then (conn.py:723, 806, 907). */
static void
test_conn_all_to_all (void)
{
  const char *np =
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 6}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'A->B': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc'},"
    "                'A->A': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'}, 'synMech': 'exc'},"
    "                'conv': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'A'}, 'convergence': 5,"
    "                         'synMech': 'inh'}}";

  for (int self = 0; self < 2; self++)
    {
      g_autoptr(NlNetwork) net = build_model (np, self ? "'allowSelfConns': true" : "'allowSelfConns': false");
      g_autoptr(GArray) ab = rule_conns (net, "A->B");
      g_autoptr(GArray) aa = rule_conns (net, "A->A");
      g_autoptr(GArray) conv = rule_conns (net, "conv");
      g_autofree guint8 *m_ab = pair_counts (net, ab);
      g_autofree guint8 *m_aa = pair_counts (net, aa);
      guint n = nl_network_get_n_cells (net);
      guint autapses = 0;

      g_assert_cmpuint (ab->len, ==, 24);
      g_assert_cmpuint (aa->len, ==, self ? 36 : 30);
      for (guint i = 0; i < 6; i++)
        for (guint j = 6; j < 10; j++)
          g_assert_cmpuint (m_ab[i * n + j], ==, 1);
      for (guint i = 0; i < 6; i++)
        for (guint j = 0; j < 6; j++)
          g_assert_cmpuint (m_aa[i * n + j], ==, i != j || self ? 1 : 0);
      g_assert_cmpuint (conv->len, ==, 30);
      for (guint i = 0; i < conv->len; i++)
        autapses += CONN (conv, i)->pre == CONN (conv, i)->post;
      g_assert_cmpuint (autapses, ==, 0);
      g_assert_cmpuint (nl_network_get_n_conns (net), ==, 24 + (self ? 36 : 30) + 30);
    }
}

/* A list of synMechs: one NetCon per synMech, each with its own weight and delay
 * (conn.py:950-988); a single weight applies to all. */
static void
test_conn_syn_mech_list (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'two': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'},"
    "                         'synMech': ['exc', 'inh'], 'weight': [0.1, 0.2], 'delay': [1.5, 2.5]},"
    "                'same': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'A'}, 'convergence': 2,"
    "                         'synMech': ['exc', 'inh'], 'weight': 0.3, 'delay': 4}}", NULL);
  g_autoptr(GArray) two = rule_conns (net, "two");
  g_autoptr(GArray) same = rule_conns (net, "same");
  guint n = nl_network_get_n_cells (net);
  g_autofree guint8 *exc = g_new0 (guint8, n * n);
  g_autofree guint8 *inh = g_new0 (guint8, n * n);

  g_assert_cmpuint (two->len, ==, 2 * 20);
  for (guint i = 0; i < two->len; i++)
    {
      NlConn *c = CONN (two, i);
      const char *syn = nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn);
      if (g_strcmp0 (syn, "exc") == 0)
        {
          exc[c->pre * n + c->post]++;
          assert_float_eq (c->weight, 0.1);
          assert_float_eq (c->delay, 1.5);
        }
      else
        {
          g_assert_cmpstr (syn, ==, "inh");
          inh[c->pre * n + c->post]++;
          assert_float_eq (c->weight, 0.2);
          assert_float_eq (c->delay, 2.5);
        }
    }
  for (guint i = 0; i < 5; i++)
    for (guint j = 5; j < 9; j++)
      {
        g_assert_cmpuint (exc[i * n + j], ==, 1);
        g_assert_cmpuint (inh[i * n + j], ==, 1);
      }
  /* 5 post cells × 2 pre cells × 2 synMechs, both at the one weight; per post cell, each pre
   * cell that connects has both. */
  g_assert_cmpuint (same->len, ==, 20);
  memset (exc, 0, n * n);
  memset (inh, 0, n * n);
  for (guint i = 0; i < same->len; i++)
    {
      NlConn *c = CONN (same, i);
      assert_float_eq (c->weight, 0.3);
      assert_float_eq (c->delay, 4);
      if (g_strcmp0 (nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn), "exc") == 0)
        exc[c->pre * n + c->post]++;
      else
        inh[c->pre * n + c->post]++;
    }
  for (guint i = 0; i < n * n; i++)
    g_assert_cmpuint (exc[i], ==, inh[i]);
}

/* synsPerConn k: k NetCons per connection, spread along the section at (i + 1/2)/k when no loc
 * is given (compartCell.py:1670-1677); synsPerConn 0 makes none. */
static void
test_conn_syns_per_conn (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 4}, 'B': {'cellType': 'PYR', 'numCells': 3}},"
    " 'connParams': {'k3': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synsPerConn': 3,"
    "                        'synMech': 'exc', 'weight': 0.05, 'delay': 2},"
    "                'k0': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'A'}, 'synsPerConn': 0,"
    "                        'synMech': 'exc'}}", NULL);
  g_autoptr(GArray) conns = rule_conns (net, "k3");
  g_autoptr(GArray) none = rule_conns (net, "k0");
  guint n = nl_network_get_n_cells (net);
  g_autofree guint *locs = g_new0 (guint, n * n * 3);

  g_assert_cmpuint (conns->len, ==, 3 * 12);
  for (guint i = 0; i < conns->len; i++)
    {
      NlConn *c = CONN (conns, i);
      int slot = fabs (c->loc - 1.0 / 6) < 1e-6 ? 0 : fabs (c->loc - 0.5) < 1e-6 ? 1 : fabs (c->loc - 5.0 / 6) < 1e-6 ? 2 : -1;
      g_assert_cmpint (slot, >=, 0);
      locs[(c->pre * n + c->post) * 3 + slot]++;
      assert_float_eq (c->weight, 0.05);
      assert_float_eq (c->delay, 2);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, c->sec), ==, "soma");
    }
  for (guint i = 0; i < 4; i++)
    for (guint j = 4; j < 7; j++)
      for (guint s = 0; s < 3; s++)
        g_assert_cmpuint (locs[(i * n + j) * 3 + s], ==, 1);
  /* synsPerConn 0: NetPyNE's loop `for i in range(0)` makes no NetCon (compartCell.py:907). */
  g_assert_cmpuint (none->len, ==, 0);
}

/* scaleConnWeight multiplies cell→cell weights (also the default one), scaleConnWeightNetStims
 * the weights from NetStim stimuli (cell.py:131-149); a NetStim target without weight or delay
 * gets 1.0 and 1.0, not defaultWeight/defaultDelay (stim.py:237-246). */
static void
test_conn_weight_scaling (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'defaultWeight': 0.7, 'defaultDelay': 2.5, 'scaleConnWeight': 2, 'scaleConnWeightNetStims': 3,"
    " 'popParams': {'A': {'cellType': 'PYR', 'numCells': 3}, 'B': {'cellType': 'PYR', 'numCells': 2}},"
    " 'connParams': {'dflt': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc'},"
    "                'given': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'A'}, 'synMech': 'exc',"
    "                          'weight': 0.01, 'delay': 3}},"
    " 'stimSourceParams': {'bkg': {'type': 'NetStim', 'rate': 10, 'noise': 0.5}},"
    " 'stimTargetParams': {'bkg->A': {'source': 'bkg', 'conds': {'pop': 'A'}, 'synMech': 'exc',"
    "                                 'weight': 0.02, 'delay': 4},"
    "                      'bkg->B': {'source': 'bkg', 'conds': {'pop': 'B'}, 'synMech': 'exc'}}", NULL);
  g_autoptr(GArray) dflt = rule_conns (net, "dflt");
  g_autoptr(GArray) given = rule_conns (net, "given");
  g_autoptr(GArray) sa = rule_stim_conns (net, "bkg->A");
  g_autoptr(GArray) sb = rule_stim_conns (net, "bkg->B");

  g_assert_cmpuint (dflt->len, ==, 6);
  g_assert_cmpuint (given->len, ==, 6);
  g_assert_cmpuint (sa->len, ==, 3);
  g_assert_cmpuint (sb->len, ==, 2);
  for (guint i = 0; i < 6; i++)
    {
      assert_float_eq (CONN (dflt, i)->weight, 1.4);
      assert_float_eq (CONN (dflt, i)->delay, 2.5);
      assert_float_eq (CONN (given, i)->weight, 0.02);
      assert_float_eq (CONN (given, i)->delay, 3);
    }
  for (guint i = 0; i < 3; i++)
    {
      assert_float_eq (CONN (sa, i)->weight, 0.06);
      assert_float_eq (CONN (sa, i)->delay, 4);
    }
  for (guint i = 0; i < 2; i++)
    {
      assert_float_eq (CONN (sb, i)->weight, 3.0);
      assert_float_eq (CONN (sb, i)->delay, 1.0);
    }
}

/* String functions for weight, delay and loc, evaluated per connection with that pair's
 * variables (conn.py:205-314, 929-938). */
static void
test_conn_string_functions (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'sizeY': 1000, 'propVelocity': 100,"
    " 'popParams': {'A': {'cellType': 'PYR', 'numCells': 40}, 'B': {'cellType': 'PYR', 'numCells': 40}},"
    " 'connParams': {'w': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'probability': 0.5,"
    "                       'synMech': 'exc', 'weight': '0.005*post_ynorm', 'delay': 'dist_3D/propVelocity',"
    "                       'loc': 'post_xnorm'},"
    "                'u': {'preConds': {'pop': 'B'}, 'postConds': {'pop': 'A'}, 'convergence': 20,"
    "                       'synMech': 'exc', 'weight': 'pre_znorm',"
    "                       'delay': 'uniform(2, 4)'}}", NULL);
  g_autoptr(GArray) w = rule_conns (net, "w");
  g_autoptr(GArray) u = rule_conns (net, "u");
  double sum = 0, lo = 10, hi = 0;

  g_assert_cmpuint (w->len, >, 600);
  for (guint i = 0; i < w->len; i++)
    {
      NlConn *c = CONN (w, i);
      assert_float_eq (c->weight, 0.005 * coord (net, NL_COORD_YNORM, c->post));
      assert_float_eq (c->delay, dist3d (net, c->pre, c->post) / 100);
      assert_float_eq (c->loc, coord (net, NL_COORD_XNORM, c->post));
    }
  /* Different cells, different values. */
  g_assert_cmpfloat (CONN (w, 0)->weight, !=, CONN (w, w->len - 1)->weight);

  g_assert_cmpuint (u->len, ==, 800);
  for (guint i = 0; i < u->len; i++)
    {
      NlConn *c = CONN (u, i);
      g_assert_cmpfloat (c->delay, >=, 2);
      g_assert_cmpfloat (c->delay, <=, 4);
      assert_float_eq (c->weight, coord (net, NL_COORD_ZNORM, c->pre));
      sum += c->delay;
      lo = MIN (lo, c->delay);
      hi = MAX (hi, c->delay);
    }
  /* uniform(2, 4): mean 3, variance 1/3, drawn afresh for each connection. */
  assert_within_sd ("sum of uniform(2, 4) delays", sum, 800 * 3.0, 800 / 3.0, 4);
  g_assert_cmpfloat (lo, <, 2.1);
  g_assert_cmpfloat (hi, >, 3.9);
}

/* ------------------------------------------------------------------------------------------ */
/* Stimuli                                                                                     */

/* One stimulus per selected cell; cellList indexes the sorted selection (stim.py:86-91); an
 * IClamp is no connection, a NetStim makes one (stim.py:236-269, CONTRACTS.md). */
static void
test_stims (void)
{
  g_autoptr(NlNetwork) net = build_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4},"
    "              'C': {'cellType': 'PYR', 'numCells': 7}, 'D': {'cellType': 'PYR', 'numCells': 60}},"
    " 'stimSourceParams': {'ic': {'type': 'IClamp', 'del': 10, 'dur': 100, 'amp': 0.1},"
    "                      'bkg': {'type': 'NetStim', 'rate': 10, 'noise': 0.5}},"
    " 'stimTargetParams': {'ic->B': {'source': 'ic', 'conds': {'pop': 'B', 'cellList': [0, 2]},"
    "                                'sec': 'soma', 'loc': 0.3},"
    "                      'bkg->C': {'source': 'bkg', 'conds': {'pop': 'C'}, 'synMech': 'exc',"
    "                                 'weight': 0.02, 'delay': 3},"
    "                      'bkg->D': {'source': 'bkg', 'conds': {'pop': 'D', 'ynorm': [0, 0.5]},"
    "                                 'synMech': 'inh', 'weight': 0.01}}", NULL);
  const NlNetPop *b = pop_named (net, "B"), *c = pop_named (net, "C"), *d = pop_named (net, "D");
  g_autoptr(GArray) ic = rule_stims (net, "ic->B");
  g_autoptr(GArray) ns = rule_stims (net, "bkg->C");
  g_autoptr(GArray) nd = rule_stims (net, "bkg->D");
  g_autoptr(GArray) nsc = rule_stim_conns (net, "bkg->C");
  g_autoptr(GArray) ndc = rule_stim_conns (net, "bkg->D");
  const NlNetRule *r = nl_network_get_rule (net, rule_index (net, "ic->B"));
  guint cells_d = 0;
  gboolean hit[2] = { FALSE, FALSE }, seen[7] = { FALSE };

  g_assert_cmpstr (r->source, ==, "ic");
  g_assert_cmpstr (r->source_type, ==, "IClamp");
  g_assert_cmpstr (nl_network_get_rule (net, rule_index (net, "bkg->C"))->source_type, ==, "NetStim");

  g_assert_cmpuint (ic->len, ==, 2);
  {
    g_autoptr(GArray) icc = rule_stim_conns (net, "ic->B");
    g_assert_cmpuint (icc->len, ==, 0);   /* an IClamp is no connection */
  }
  for (guint i = 0; i < 2; i++)
    {
      NlNetStim *s = &g_array_index (ic, NlNetStim, i);
      g_assert_true (s->cell == b->first || s->cell == b->first + 2);
      hit[s->cell != b->first] = TRUE;
      assert_float_eq (s->loc, 0.3);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SEC, s->sec), ==, "soma");
    }
  g_assert_true (hit[0] && hit[1]);

  g_assert_cmpuint (ns->len, ==, 7);
  g_assert_cmpuint (nsc->len, ==, 7);
  for (guint i = 0; i < 7; i++)
    {
      NlConn *x = CONN (nsc, i);
      g_assert_true (in_pop (c, x->post));
      g_assert_false (seen[x->post - c->first]);
      seen[x->post - c->first] = TRUE;
      assert_float_eq (x->weight, 0.02);
      assert_float_eq (x->delay, 3);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SYN_MECH, x->syn), ==, "exc");
    }
  for (guint g = d->first; g < d->first + d->n_cells; g++)
    cells_d += coord (net, NL_COORD_YNORM, g) < 0.5;
  g_assert_cmpuint (cells_d, >, 0);
  g_assert_cmpuint (cells_d, <, 60);
  g_assert_cmpuint (nd->len, ==, cells_d);
  g_assert_cmpuint (ndc->len, ==, cells_d);
  for (guint i = 0; i < nd->len; i++)
    g_assert_cmpfloat (coord (net, NL_COORD_YNORM, g_array_index (nd, NlNetStim, i).cell), <, 0.5);

  g_assert_cmpuint (nl_network_get_n_stims (net), ==, 2 + 7 + cells_d);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 7 + cells_d);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Determinism                                                                                 */

static const char *det_net =
  "'sizeX': 300, 'sizeY': 300, 'sizeZ': 300, 'probLengthConst': 80,"
  " 'popParams': {'E': {'cellType': 'PYR', 'numCells': 250}, 'I': {'cellType': 'PYR', 'numCells': 80,"
  "               'ynormRange': [0.2, 0.8]}, 'G': {'cellType': 'PYR', 'gridSpacing': 100}},"
  " 'connParams': {'E->all': {'preConds': {'pop': 'E'}, 'postConds': {'pop': ['E', 'I']},"
  "                           'probability': '0.5*exp(-dist_3D/probLengthConst)', 'synMech': 'exc',"
  "                           'weight': '0.005*post_ynorm', 'delay': 'dist_3D/propVelocity + uniform(0.1, 0.3)'},"
  "                'I->E': {'preConds': {'pop': 'I'}, 'postConds': {'pop': 'E'}, 'convergence': 12,"
  "                         'synMech': 'inh', 'weight': 'normal(0.002, 1e-7)', 'delay': 2},"
  "                'E->G': {'preConds': {'pop': 'E'}, 'postConds': {'pop': 'G'}, 'divergence': 5,"
  "                         'synMech': ['exc', 'inh'], 'weight': [0.01, 0.02], 'synsPerConn': 2}},"
  " 'stimSourceParams': {'bkg': {'type': 'NetStim', 'rate': 20, 'noise': 0.3}},"
  " 'stimTargetParams': {'bkg->all': {'source': 'bkg', 'conds': {'pop': ['E', 'I']}, 'synMech': 'exc',"
  "                                   'weight': 0.01, 'delay': 'max(1, normal(5, 2))'}}";

static gboolean
same_positions (NlNetwork *a, NlNetwork *b)
{
  guint n = nl_network_get_n_cells (a);
  if (n != nl_network_get_n_cells (b))
    return FALSE;
  for (int c = 0; c < NL_N_COORDS; c++)
    if (memcmp (nl_network_get_coords (a, c), nl_network_get_coords (b, c), n * sizeof (double)) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
same_conn (const NlConn *x, const NlConn *y)
{
  return x->pre == y->pre && x->post == y->post && x->weight == y->weight && x->delay == y->delay &&
         x->loc == y->loc && x->rule == y->rule && x->syn == y->syn && x->sec == y->sec;
}

static gboolean
same_conns (NlNetwork *a, NlNetwork *b)
{
  if (nl_network_get_n_conns (a) != nl_network_get_n_conns (b))
    return FALSE;
  for (guint64 i = 0; i < nl_network_get_n_conns (a); i++)
    {
      NlConn x, y;
      nl_network_get_conn (a, i, &x);
      nl_network_get_conn (b, i, &y);
      if (!same_conn (&x, &y))
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_stims (NlNetwork *a, NlNetwork *b)
{
  if (nl_network_get_n_stims (a) != nl_network_get_n_stims (b) ||
      nl_network_get_n_stim_conns (a) != nl_network_get_n_stim_conns (b))
    return FALSE;
  for (guint i = 0; i < nl_network_get_n_stims (a); i++)
    {
      NlNetStim x, y;
      nl_network_get_stim (a, i, &x);
      nl_network_get_stim (b, i, &y);
      if (x.cell != y.cell || x.rule != y.rule || x.sec != y.sec || x.loc != y.loc)
        return FALSE;
    }
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (a); i++)
    {
      NlConn x, y;
      nl_network_get_stim_conn (a, i, &x);
      nl_network_get_stim_conn (b, i, &y);
      if (!same_conn (&x, &y))
        return FALSE;
    }
  return TRUE;
}

/* The same spec gives the same network, bit for bit, on 1, 2 or 4 threads (nl-build.h). */
static void
test_determinism_threads (void)
{
  g_autoptr(NlSpec) spec = load_model (det_net, NULL);
  g_autoptr(NlNetwork) one = build_spec (spec, 1, NULL);
  guint threads[] = { 2, 4, 1 };

  g_assert_cmpuint (nl_network_get_n_conns (one), >, 1000);
  g_assert_cmpuint (nl_network_get_n_stim_conns (one), ==, 330);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(NlNetwork) other = build_spec (spec, threads[i], NULL);
      g_test_message ("%u threads", threads[i]);
      g_assert_true (same_positions (one, other));
      g_assert_true (same_conns (one, other));
      g_assert_true (same_stims (one, other));
    }
}

/* seeds.conn draws the connections (and only them), seeds.loc the positions, seeds.stim the
 * stimuli's string functions (pop.py:104, conn.py:81-85, stim.py:103-105). */
static void
test_determinism_seeds (void)
{
  g_autoptr(NlNetwork) base = NULL, conn = NULL, loc = NULL, stim = NULL;
  g_autoptr(NlSpec) s0 = load_model (det_net, "'seeds': {'conn': 1, 'loc': 1, 'stim': 1, 'cell': 1}");
  g_autoptr(NlSpec) s1 = load_model (det_net, "'seeds': {'conn': 2, 'loc': 1, 'stim': 1, 'cell': 1}");
  g_autoptr(NlSpec) s2 = load_model (det_net, "'seeds': {'conn': 1, 'loc': 7, 'stim': 1, 'cell': 1}");
  g_autoptr(NlSpec) s3 = load_model (det_net, "'seeds': {'conn': 1, 'loc': 1, 'stim': 3, 'cell': 1}");

  base = build_spec (s0, 0, NULL);
  conn = build_spec (s1, 0, NULL);
  loc = build_spec (s2, 0, NULL);
  stim = build_spec (s3, 0, NULL);

  g_assert_true (same_positions (base, conn));
  g_assert_false (same_conns (base, conn));
  g_assert_true (same_stims (base, conn));

  g_assert_false (same_positions (base, loc));
  /* The grid population does not move. */
  {
    const NlNetPop *g = pop_named (base, "G");
    for (guint i = g->first; i < g->first + g->n_cells; i++)
      g_assert_cmpfloat (coord (base, NL_COORD_X, i), ==, coord (loc, NL_COORD_X, i));
  }

  g_assert_true (same_positions (base, stim));
  g_assert_true (same_conns (base, stim));
  g_assert_false (same_stims (base, stim));
  g_assert_cmpuint (nl_network_get_n_stim_conns (base), ==, nl_network_get_n_stim_conns (stim));
}

/* ------------------------------------------------------------------------------------------ */
/* NetPyNE's tutorials                                                                         */

static NlSpec *
load_pair (const char *a, const char *b)
{
  g_autofree char *np = nl_test_shared_file (a);
  g_autofree char *sc = np ? nl_test_shared_file (b) : NULL;
  const char *files[2];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec;

  if (!np || !sc)
    return NULL;
  files[0] = np;
  files[1] = sc;
  spec = nl_spec_load (files, 2, problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (nl_spec_validate (spec, problems), ==, 0);
  return spec;
}

/* tut2: S and M, 20 cells each; S->M divergence 12 → 240 NetCons (NetPyNE: 280 in all with
 * the 40 from bkg). */
static void
test_tut2 (void)
{
  g_autoptr(NlSpec) spec = load_pair ("reference/netpyne/tut2/tut2_netParams.json",
                                      "reference/netpyne/tut2/tut2_simConfig.json");
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(GArray) conns = NULL;
  guint per_pre[20] = { 0 };

  if (!spec)
    return;
  net = build_spec (spec, 0, NULL);
  g_assert_cmpuint (nl_network_get_n_cells (net), ==, 40);
  g_assert_cmpuint (pop_named (net, "M")->n_cells, ==, 20);
  g_assert_cmpuint (pop_named (net, "S")->n_cells, ==, 20);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 240);
  g_assert_cmpuint (nl_network_get_n_stims (net), ==, 40);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 40);
  conns = rule_conns (net, "S->M");
  g_assert_cmpuint (conns->len, ==, 240);
  for (guint i = 0; i < conns->len; i++)
    {
      NlConn *c = CONN (conns, i);
      g_assert_true (in_pop (pop_named (net, "S"), c->pre));
      g_assert_true (in_pop (pop_named (net, "M"), c->post));
      per_pre[c->pre - pop_named (net, "S")->first]++;
      assert_float_eq (c->weight, 0.01);
      assert_float_eq (c->delay, 5);
    }
  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (per_pre[i], ==, 12);
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      assert_float_eq (c.weight, 0.01);
      assert_float_eq (c.delay, 5);
    }
}

/* tut5: 300 cells in six layers; E->all probability 0.1 onto cells with 100 <= y < 1000, I->E
 * probability 0.4*exp(-dist_3D/150). The count must be within 3 standard deviations of what the
 * positions predict; NetPyNE's run made 6,796. */
static void
test_tut5 (void)
{
  g_autoptr(NlSpec) spec = load_pair ("reference/netpyne/tut5/tut5_netParams.json",
                                      "reference/netpyne/tut5/tut5_simConfig.json");
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(GArray) e_all = NULL, i_e = NULL;
  double exp_e = 0, var_e = 0, exp_i = 0, var_i = 0;
  guint n;

  if (!spec)
    return;
  net = build_spec (spec, 0, NULL);
  n = nl_network_get_n_cells (net);
  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (nl_network_get_n_pops (net), ==, 6);
  g_assert_cmpuint (nl_network_get_n_stims (net), ==, 300);
  g_assert_cmpuint (nl_network_get_n_stim_conns (net), ==, 300);

  /* Layers where the model puts them. */
  {
    const NlNetPop *e2 = pop_named (net, "E2"), *i5 = pop_named (net, "I5");
    for (guint g = e2->first; g < e2->first + e2->n_cells; g++)
      g_assert_true (coord (net, NL_COORD_Y, g) >= 100 - 1e-9 && coord (net, NL_COORD_Y, g) <= 300 + 1e-9);
    for (guint g = i5->first; g < i5->first + i5->n_cells; g++)
      g_assert_true (coord (net, NL_COORD_YNORM, g) >= 0.6 - 1e-12 && coord (net, NL_COORD_YNORM, g) <= 1.0);
  }

  for (guint pre = 0; pre < n; pre++)
    {
      const NlNetPop *pp = nl_network_get_pop (net, nl_network_cell_pop (net, pre));
      for (guint post = 0; post < n; post++)
        {
          const NlNetPop *qp = nl_network_get_pop (net, nl_network_cell_pop (net, post));
          double y = coord (net, NL_COORD_Y, post);
          if (pre == post)
            continue;
          if (g_strcmp0 (pp->cell_type, "E") == 0 && y >= 100 && y < 1000)
            {
              exp_e += 0.1;
              var_e += 0.1 * 0.9;
            }
          if (g_strcmp0 (pp->cell_type, "I") == 0 && qp->name[0] == 'E')
            {
              double p = 0.4 * exp (-dist3d (net, pre, post) / 150);
              exp_i += p;
              var_i += p * (1 - p);
            }
        }
    }
  e_all = rule_conns (net, "E->all");
  i_e = rule_conns (net, "I->E");
  g_test_message ("tut5: %" G_GUINT64_FORMAT " cell→cell NetCons; expected %.1f ± %.1f; NetPyNE made 6796",
                  nl_network_get_n_conns (net), exp_e + exp_i, sqrt (var_e + var_i));
  assert_within_sd ("tut5 E->all", e_all->len, exp_e, var_e, 4);
  assert_within_sd ("tut5 I->E", i_e->len, exp_i, var_i, 4);
  assert_within_sd ("tut5 cell→cell NetCons", nl_network_get_n_conns (net), exp_e + exp_i, var_e + var_i, 3);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, e_all->len + i_e->len);

  for (guint i = 0; i < e_all->len; i++)
    {
      NlConn *c = CONN (e_all, i);
      g_assert_cmpstr (nl_network_get_pop (net, nl_network_cell_pop (net, c->pre))->cell_type, ==, "E");
      g_assert_cmpfloat (coord (net, NL_COORD_Y, c->post), >=, 100);
      assert_float_eq (c->weight, 0.005 * coord (net, NL_COORD_YNORM, c->post));
      assert_float_eq (c->delay, dist3d (net, c->pre, c->post) / 100);
    }
  for (guint i = 0; i < i_e->len; i++)
    {
      NlConn *c = CONN (i_e, i);
      g_assert_cmpstr (nl_network_get_pop (net, nl_network_cell_pop (net, c->pre))->cell_type, ==, "I");
      g_assert_cmpstr (nl_network_get_pop (net, nl_network_cell_pop (net, c->post))->cell_type, ==, "E");
      assert_float_eq (c->weight, 0.001);
      g_assert_cmpstr (nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn), ==, "inh");
    }
  /* bkg->all: delay max(1, normal(5, 2)). */
  {
    double sum = 0;
    guint at_one = 0;
    for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
      {
        NlConn c;
        nl_network_get_stim_conn (net, i, &c);
        g_assert_cmpfloat (c.delay, >=, 1);
        assert_float_eq (c.weight, 0.01);
        sum += c.delay;
        at_one += c.delay == 1;
      }
    /* normal(5, 2) has sd √2: below 1 only 0.2 % of the time; mean 5. */
    assert_within_sd ("tut5 stimulus delays", sum, 300 * 5.0, 300 * 2.0, 4);
    g_assert_cmpuint (at_one, <, 7);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Bad input                                                                                   */

/* A rule that selects no cells: a warning on it, the rest built. */
static void
test_error_empty_selection (void)
{
  g_autoptr(NlSpec) spec = load_model (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'nobody': {'preConds': {'pop': 'A', 'x': [500, 600]}, 'postConds': {'pop': 'B'},"
    "                            'probability': 1, 'synMech': 'exc'},"
    "                'fine': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc'}},"
    " 'stimSourceParams': {'ic': {'type': 'IClamp', 'del': 1, 'dur': 1, 'amp': 0.1}},"
    " 'stimTargetParams': {'none': {'source': 'ic', 'conds': {'pop': 'B', 'ynorm': [2, 3]}}}", NULL);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlNetwork) net = build_spec (spec, 0, problems);
  const NlProblem *p = find_problem (problems, "connParams.nobody", NL_SEVERITY_WARNING);

  g_assert_nonnull (p);
  g_assert_nonnull (p->message);
  g_assert_nonnull (find_problem (problems, "stimTargetParams.none", NL_SEVERITY_WARNING));
  g_assert_null (find_problem (problems, "connParams.fine", NL_SEVERITY_WARNING));
  g_assert_cmpuint (nl_problems_count (problems, NL_SEVERITY_ERROR), ==, 0);
  g_assert_cmpuint (nl_network_get_n_conns (net), ==, 20);
  g_assert_cmpuint (nl_network_get_n_stims (net), ==, 0);
}

/* The build fails with NL_BUILD_ERROR_INVALID and a message naming the rule. */
static void
assert_build_fails (const char *np, const char *label)
{
  g_autoptr(NlSpec) spec = load_model (np, NULL);
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  NlBuildOptions opts = { .n_threads = 2 };
  NlNetwork *net = nl_build_network (spec, &opts, problems, &error);

  print_problems (problems);
  g_assert_null (net);
  g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, label));
}

/* A probability that evaluates to NaN (log of a negative number: numpy-style, quietly NaN; or
 * division by zero): an error naming the rule, or at least a problem on it and no connection
 * (NaN >= rand is false in NetPyNE, conn.py:575). The functions depend on a cell, so that
 * `check` cannot fold them into a constant. */
static void
test_error_nan_probability (void)
{
  const char *funcs[] = { "log(post_ynorm - 2)", "post_ynorm/0" };

  for (guint k = 0; k < G_N_ELEMENTS (funcs); k++)
    {
      g_autofree char *np = g_strdup_printf (
        "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
        " 'connParams': {'nanprob': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'},"
        "                             'probability': '%s', 'synMech': 'exc'}}", funcs[k]);
      g_autoptr(NlSpec) spec = load_model (np, NULL);
      g_autoptr(GPtrArray) problems = nl_problems_new ();
      g_autoptr(GError) error = NULL;
      NlBuildOptions opts = { .n_threads = 1 };
      g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, problems, &error);

      print_problems (problems);
      if (!net)
        {
          g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID);
          g_test_message ("%s", error->message);
          g_assert_nonnull (strstr (error->message, "nanprob"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (find_problem (problems, "connParams.nanprob", -1));
          g_assert_cmpuint (nl_network_get_n_conns (net), ==, 0);
        }
    }
}

/* A negative delay from a string function: NEURON would refuse it; the build names the rule. */
static void
test_error_negative_delay (void)
{
  assert_build_fails (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'backwards': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc',"
    "                               'delay': '0.5 - post_ynorm - 1'}}", "backwards");
  /* The same for a stimulus. */
  assert_build_fails (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}},"
    " 'stimSourceParams': {'bkg': {'type': 'NetStim', 'rate': 10}},"
    " 'stimTargetParams': {'bkg->A': {'source': 'bkg', 'conds': {'pop': 'A'}, 'synMech': 'exc',"
    "                                 'delay': '-1 - post_xnorm'}}", "bkg->A");
}

/* A connList index past the selected cells (conn.py:884-885). */
static void
test_error_conn_list_range (void)
{
  assert_build_fails (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'outside': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc',"
    "                             'connList': [[0, 0], [1, 4]]}}", "outside");
  assert_build_fails (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'connParams': {'outside': {'preConds': {'pop': 'A'}, 'postConds': {'pop': 'B'}, 'synMech': 'exc',"
    "                             'connList': [[5, 0]]}}", "outside");
}

/* A stimulus cellList index past the selected cells (NetPyNE: an IndexError, stim.py:90). */
static void
test_error_stim_cell_list_range (void)
{
  assert_build_fails (
    "'popParams': {'A': {'cellType': 'PYR', 'numCells': 5}, 'B': {'cellType': 'PYR', 'numCells': 4}},"
    " 'stimSourceParams': {'ic': {'type': 'IClamp', 'del': 1, 'dur': 1, 'amp': 0.1}},"
    " 'stimTargetParams': {'ic->B': {'source': 'ic', 'conds': {'pop': 'B', 'cellList': [1, 4]}}}", "ic->B");
}

/* A cancelled build stops with NL_BUILD_ERROR_CANCELLED; progress reports stay in [0, 1]. */
typedef struct { int calls; gboolean bad; } Progress;

static void
on_progress (const char *phase, double fraction, gpointer data)
{
  Progress *p = data;
  g_atomic_int_inc (&p->calls);
  if (!(fraction >= 0 && fraction <= 1) ||
      !(g_strcmp0 (phase, "cells") == 0 || g_strcmp0 (phase, "connections") == 0 || g_strcmp0 (phase, "stimuli") == 0))
    p->bad = TRUE;
}

static void
test_cancel_progress (void)
{
  g_autoptr(NlSpec) spec = load_model (det_net, NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress prog = { 0, FALSE };
  NlBuildOptions opts = { .n_threads = 2, .progress = on_progress, .progress_data = &prog };
  g_autoptr(NlNetwork) net = nl_build_network (spec, &opts, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (net);
  g_assert_false (prog.bad);

  opts.cancellable = cancel;
  g_cancellable_cancel (cancel);
  g_assert_null (nl_build_network (spec, &opts, NULL, &error));
  g_assert_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/build/pop/num-cells", test_pop_num_cells);
  g_test_add_func ("/build/pop/ranges", test_pop_ranges);
  g_test_add_func ("/build/pop/shapes", test_pop_shapes);
  g_test_add_func ("/build/pop/density", test_pop_density);
  g_test_add_func ("/build/pop/density-function", test_pop_density_function);
  g_test_add_func ("/build/pop/grid", test_pop_grid);
  g_test_add_func ("/build/pop/cells-list", test_pop_cells_list);
  g_test_add_func ("/build/pop/scale", test_pop_scale);
  g_test_add_func ("/build/pop/artificial", test_pop_artificial);
  g_test_add_func ("/build/conn/probability", test_conn_probability);
  g_test_add_func ("/build/conn/distance-probability", test_conn_distance_probability);
  g_test_add_func ("/build/conn/random-probability", test_conn_random_probability);
  g_test_add_func ("/build/conn/conds", test_conn_conds);
  g_test_add_func ("/build/conn/random-values", test_conn_random_values);
  g_test_add_func ("/build/conn/convergence", test_conn_convergence);
  g_test_add_func ("/build/conn/divergence", test_conn_divergence);
  g_test_add_func ("/build/conn/conn-list", test_conn_list);
  g_test_add_func ("/build/conn/all-to-all", test_conn_all_to_all);
  g_test_add_func ("/build/conn/syn-mech-list", test_conn_syn_mech_list);
  g_test_add_func ("/build/conn/syns-per-conn", test_conn_syns_per_conn);
  g_test_add_func ("/build/conn/weight-scaling", test_conn_weight_scaling);
  g_test_add_func ("/build/conn/string-functions", test_conn_string_functions);
  g_test_add_func ("/build/stims", test_stims);
  g_test_add_func ("/build/determinism/threads", test_determinism_threads);
  g_test_add_func ("/build/determinism/seeds", test_determinism_seeds);
  g_test_add_func ("/build/netpyne/tut2", test_tut2);
  g_test_add_func ("/build/netpyne/tut5", test_tut5);
  g_test_add_func ("/build/error/empty-selection", test_error_empty_selection);
  g_test_add_func ("/build/error/nan-probability", test_error_nan_probability);
  g_test_add_func ("/build/error/negative-delay", test_error_negative_delay);
  g_test_add_func ("/build/error/conn-list-range", test_error_conn_list_range);
  g_test_add_func ("/build/error/stim-cell-list-range", test_error_stim_cell_list_range);
  g_test_add_func ("/build/cancel-progress", test_cancel_progress);

  return g_test_run ();
}
