#include "nl-build-private.h"
#include "nl-json.h"
#include "nl-spec-private.h"
#include "nl-vecstim.h"

#include <math.h>
#include <string.h>

/* Populations and their cells, with NetPyNE's placement (network/pop.py): uniform in the
 * network's volume and shape, restricted by ranges; by density; on a grid; or listed. */

static const char *const artificial_models[] = {
  "NetStim", "VecStim", "IntFire1", "IntFire2", "IntFire4", "DynamicNetStim", "PatternStim", NULL
};

/* Both forms are kept: NetPyNE stores the µm a grid or a cellsList gives as such, and
 * x = xnorm × size would not always round back to them. */
typedef struct {
  double norm[3];
  double abs[3];
} Place;

/* [lo, hi) in normalised units along each axis: xRange (µm) wins over xnormRange. */
static gboolean
norm_ranges (Build *b, const char *path, JsonObject *p, double lo[3], double hi[3], gboolean given[3],
             GError **error)
{
  static const char *const abs_keys[] = { "xRange", "yRange", "zRange" };
  static const char *const norm_keys[] = { "xnormRange", "ynormRange", "znormRange" };

  for (int c = 0; c < 3; c++)
    {
      JsonNode *n;
      lo[c] = 0;
      hi[c] = 1;
      given[c] = FALSE;
      if ((n = json_object_get_member (p, abs_keys[c])) && JSON_NODE_HOLDS_ARRAY (n) &&
          json_array_get_length (json_node_get_array (n)) == 2)
        {
          lo[c] = json_array_get_double_element (json_node_get_array (n), 0) / b->size[c];
          hi[c] = json_array_get_double_element (json_node_get_array (n), 1) / b->size[c];
          given[c] = TRUE;
        }
      else if ((n = json_object_get_member (p, norm_keys[c])) && JSON_NODE_HOLDS_ARRAY (n) &&
               json_array_get_length (json_node_get_array (n)) == 2)
        {
          lo[c] = json_array_get_double_element (json_node_get_array (n), 0);
          hi[c] = json_array_get_double_element (json_node_get_array (n), 1);
          given[c] = TRUE;
        }
      if (!(lo[c] <= hi[c]) || !isfinite (lo[c]) || !isfinite (hi[c]))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.%s: the range must be [min, max] with min ≤ max", path,
                       json_object_has_member (p, abs_keys[c]) ? abs_keys[c] : norm_keys[c]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Uniform positions in the unit volume of the network's shape, then into the ranges. */
static void
random_places (Build *b, NlRng *rng, guint n, const double lo[3], const double hi[3], GArray *out)
{
  const char *shape = json_node_get_string (nl_spec_lookup (b->spec, "netParams.shape"));

  for (guint i = 0; i < n; i++)
    {
      Place pl;
      double r[3] = { nl_rng_uniform (rng), nl_rng_uniform (rng), nl_rng_uniform (rng) };
      if (shape && g_str_equal (shape, "cylinder"))
        {
          double rho = sqrt (r[0]), phi = 2 * G_PI * r[2];
          r[0] = (1 + rho * cos (phi)) / 2;
          r[2] = (1 + rho * sin (phi)) / 2;
        }
      else if (shape && g_str_equal (shape, "ellipsoid"))
        {
          double rho = cbrt (r[0]), phi = 2 * G_PI * r[1], theta = acos (2 * r[2] - 1);
          r[0] = (1 + rho * cos (phi) * sin (theta)) / 2;
          r[1] = (1 + rho * sin (phi) * sin (theta)) / 2;
          r[2] = (1 + rho * cos (theta)) / 2;
        }
      for (int c = 0; c < 3; c++)
        {
          pl.norm[c] = r[c] * (hi[c] - lo[c]) + lo[c];
          pl.abs[c] = pl.norm[c] * b->size[c];
        }
      g_array_append_val (out, pl);
    }
}

static double
network_volume_mm3 (Build *b)
{
  const char *shape = json_node_get_string (nl_spec_lookup (b->spec, "netParams.shape"));
  double x = b->size[0] / 1e3, y = b->size[1] / 1e3, z = b->size[2] / 1e3;

  if (shape && g_str_equal (shape, "cylinder"))
    return y * x / 2 * z / 2 * G_PI;
  if (shape && g_str_equal (shape, "ellipsoid"))
    return y / 2 * x / 2 * z / 2 * G_PI * 4 / 3;
  return x * y * z;
}

static gboolean
place_density (Build *b, const char *path, JsonObject *p, NlRng *rng, GArray *out, GError **error)
{
  JsonNode *dn = json_object_get_member (p, "density");
  double lo[3], hi[3], volume = network_volume_mm3 (b);
  gboolean given[3];
  double d;

  if (!norm_ranges (b, path, p, lo, hi, given, error))
    return FALSE;
  for (int c = 0; c < 3; c++)
    if (given[c])
      volume *= hi[c] - lo[c];

  if (nl_json_number (dn, &d))
    {
      if (d < 0)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.density: must be at least 0 cells/mm³", path);
          return FALSE;
        }
      if (!(d * volume >= 0) || d * volume > G_MAXINT32 || (b->options->max_cells && d * volume > b->options->max_cells))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "%s.density: %g cells", path, d * volume);
          return FALSE;
        }
      random_places (b, rng, (guint) (d * volume), lo, hi, out);
      return TRUE;
    }

  /* A density function of one normalised coordinate: NetPyNE draws candidate positions along
   * it up to the function's maximum and keeps each with probability f/max. */
  g_autofree char *fpath = g_strconcat (path, ".density", NULL);
  g_autoptr(NlExpr) e = nl_build_compile (b, dn, NL_CTX_DENSITY, fpath, error);
  double vars[NL_DENSITY_N_VARS] = { 0 };
  int coord = -1;
  double max_density = 0;
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (double));

  if (!e)
    return FALSE;
  for (int c = 0; c < 3; c++)
    if (nl_expr_uses_var (e, c))
      {
        if (coord >= 0)
          {
            g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                         "%s: a density function may depend on one of xnorm, ynorm, znorm, not several",
                         fpath);
            return FALSE;
          }
        coord = c;
      }
  if (coord < 0)
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                   "%s: a density function must use xnorm, ynorm or znorm (NetPyNE's rule); "
                   "give a number for a uniform density", fpath);
      return FALSE;
    }
  /* NetPyNE scans arange(lo, hi, 0.001) for the maximum; count the steps, so that a huge
   * range is an error and not an endless loop. */
  double n_steps = ceil ((hi[coord] - lo[coord]) / 0.001);
  if (!(n_steps <= 1e7))
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                   "%s: the %s range of a density function must be normalised (0 to 1)", fpath,
                   nl_expr_ctx_vars (NL_CTX_DENSITY)[coord]);
      return FALSE;
    }
  for (guint step = 0; step < (guint) n_steps; step++)
    {
      double v = lo[coord] + step * 0.001;
      vars[coord] = v;
      double f = nl_expr_eval (e, vars, rng);
      if (isnan (f) || f < 0)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s: the density is %g at %s = %g; it must be a number ≥ 0", fpath, f,
                       nl_expr_ctx_vars (NL_CTX_DENSITY)[coord], v);
          return FALSE;
        }
      max_density = MAX (max_density, f);
    }
  if (!(volume * max_density >= 0) || volume * max_density > G_MAXINT32 || (b->options->max_cells && volume * max_density > 4.0 * b->options->max_cells))
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "%s: up to %g cells", fpath, volume * max_density);
      return FALSE;
    }
  guint max_cells = (guint) (volume * max_density);
  g_autofree double *cand = g_new (double, MAX (max_cells, 1));
  for (guint i = 0; i < max_cells; i++)
    cand[i] = lo[coord] + (hi[coord] - lo[coord]) * nl_rng_uniform (rng);
  for (guint i = 0; i < max_cells; i++)
    {
      vars[coord] = cand[i];
      if (nl_expr_eval (e, vars, rng) / max_density > nl_rng_uniform (rng))
        g_array_append_val (keep, cand[i]);
    }
  random_places (b, rng, keep->len, lo, hi, out);
  for (guint i = 0; i < keep->len; i++)
    {
      Place *pl = &g_array_index (out, Place, out->len - keep->len + i);
      pl->norm[coord] = g_array_index (keep, double, i);
      pl->abs[coord] = pl->norm[coord] * b->size[coord];
    }
  return TRUE;
}

static gboolean
place_grid (Build *b, const char *path, JsonObject *p, GArray *out, GError **error)
{
  JsonNode *gs = json_object_get_member (p, "gridSpacing");
  double lo[3], hi[3], step[3];
  gboolean given[3];

  if (!norm_ranges (b, path, p, lo, hi, given, error))
    return FALSE;
  for (int c = 0; c < 3; c++)
    {
      double s = 0;
      if (JSON_NODE_HOLDS_ARRAY (gs) && json_array_get_length (json_node_get_array (gs)) == 3)
        s = json_array_get_double_element (json_node_get_array (gs), c);
      else
        nl_json_number (gs, &s);
      if (!(s > 0))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.gridSpacing: must be a positive number of µm, or [dx, dy, dz]", path);
          return FALSE;
        }
      step[c] = s;
      /* The grid runs over µm: [0, size] or the range, end included up to 1 µm (np.arange(lo, hi + 1)). */
      lo[c] = given[c] ? lo[c] * b->size[c] : 0;
      hi[c] = given[c] ? hi[c] * b->size[c] : b->size[c];
    }
  double n = 1;
  guint count[3];
  for (int c = 0; c < 3; c++)
    {
      double k = hi[c] + 1 > lo[c] ? ceil ((hi[c] + 1 - lo[c]) / step[c]) : 0;
      if (!(k <= G_MAXINT32))
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                       "%s.gridSpacing: %g grid points along one axis", path, k);
          return FALSE;
        }
      count[c] = (guint) k;
      n *= count[c];
    }
  if (n > G_MAXINT32 || (b->options->max_cells && n > b->options->max_cells))
    {
      g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                   "%s.gridSpacing: the grid has %g points", path, n);
      return FALSE;
    }
  for (guint i = 0; i < count[0]; i++)
    for (guint j = 0; j < count[1]; j++)
      for (guint k = 0; k < count[2]; k++)
        {
          Place pl = { .abs = { lo[0] + i * step[0], lo[1] + j * step[1], lo[2] + k * step[2] } };
          for (int c = 0; c < 3; c++)
            pl.norm[c] = pl.abs[c] / b->size[c];
          g_array_append_val (out, pl);
        }
  return TRUE;
}

static gboolean
place_list (Build *b, const char *path, JsonObject *p, GArray *out, GError **error)
{
  JsonArray *list = json_node_get_array (json_object_get_member (p, "cellsList"));
  static const char *const abs_keys[] = { "x", "y", "z" };
  static const char *const norm_keys[] = { "xnorm", "ynorm", "znorm" };

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      JsonObject *cell = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      Place pl = { { 0, 0, 0 }, { 0, 0, 0 } };
      if (!cell)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                       "%s.cellsList[%u]: expected an object such as {\"x\": 10, \"y\": 20, \"z\": 0}", path, i);
          return FALSE;
        }
      for (int c = 0; c < 3; c++)
        {
          double v;
          if (nl_json_number (json_object_get_member (cell, abs_keys[c]), &v))
            {
              pl.abs[c] = v;
              pl.norm[c] = v / b->size[c];
            }
          else if (nl_json_number (json_object_get_member (cell, norm_keys[c]), &v))
            {
              pl.norm[c] = v;
              pl.abs[c] = v * b->size[c];
            }
        }
      g_array_append_val (out, pl);
    }
  return TRUE;
}

static gboolean
place_pop (Build *b, guint index, const char *name, JsonObject *p, GArray *out, GError **error)
{
  g_autofree char *path = g_strdup_printf ("popParams.%s", name);
  NlRng rng;
  double n;

  /* One stream per population, keyed by its position in popParams. */
  nl_rng_init (&rng, b->seed_loc, NL_RNG_LOC | index << 8, 0, 0);

  if (json_object_has_member (p, "cellsList"))
    return place_list (b, path, p, out, error);
  if (nl_json_number (json_object_get_member (p, "numCells"), &n) || !(json_object_has_member (p, "density") ||
                                                                        json_object_has_member (p, "gridSpacing")))
    {
      double lo[3], hi[3];
      gboolean given[3];
      double scale = nl_spec_get_double (b->spec, "netParams.scale", 1);
      if (!json_object_has_member (p, "numCells"))
        {
          /* NetPyNE too: a population without a size gets one cell (and says so). */
          nl_problems_add (b->problems, NL_SEVERITY_WARNING, path, "numCells",
                           "no numCells, density, gridSpacing or cellsList: one cell, as NetPyNE does");
          n = 1;
        }
      if (n < 0 || n * scale > G_MAXINT32)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, "%s.numCells: %g cells", path, n * scale);
          return FALSE;
        }
      if (b->options->max_cells && n * scale > b->options->max_cells)
        {
          g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "%s.numCells: more than %" G_GUINT64_FORMAT " cells",
                       path, b->options->max_cells);
          return FALSE;
        }
      if (!norm_ranges (b, path, p, lo, hi, given, error))
        return FALSE;
      random_places (b, &rng, (guint) (n * scale), lo, hi, out);
      return TRUE;
    }
  if (json_object_has_member (p, "density"))
    return place_density (b, path, p, &rng, out, error);
  return place_grid (b, path, p, out, error);
}

/* ---- cell rules ------------------------------------------------------------------------ */

static double
pt3d_length (JsonArray *pts)
{
  double len = 0;
  for (guint i = 1; i < json_array_get_length (pts); i++)
    {
      JsonArray *a = json_array_get_array_element (pts, i - 1), *c = json_array_get_array_element (pts, i);
      double d2 = 0;
      for (guint k = 0; a && c && k < 3 && k < json_array_get_length (a) && k < json_array_get_length (c); k++)
        {
          double u = json_array_get_double_element (c, k) - json_array_get_double_element (a, k);
          d2 += u * u;
        }
      len += sqrt (d2);
    }
  return len;
}

static CellRule *
cell_rule_new (Build *b, const char *label, JsonObject *params)
{
  CellRule *r = g_new0 (CellRule, 1);
  JsonObject *secs = nl_json_obj_object (params, "secs");
  JsonObject *lists = nl_json_obj_object (params, "secLists");
  JsonObjectIter it;
  const char *name;
  JsonNode *node;

  r->label = label;
  r->params = params;
  r->secs = g_array_new (FALSE, FALSE, sizeof (guint));
  r->sec_len = g_array_new (FALSE, FALSE, sizeof (double));
  r->sec_nseg = g_array_new (FALSE, FALSE, sizeof (guint));
  r->weight_norm = g_ptr_array_new ();
  r->pt3d = g_ptr_array_new ();
  r->sec_parent = g_array_new (FALSE, FALSE, sizeof (int));
  r->sec_parent_x = g_array_new (FALSE, FALSE, sizeof (double));
  r->sec_child_x = g_array_new (FALSE, FALSE, sizeof (double));
  r->sec_lists = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  r->default_sec = -1;
  if (secs)
    {
      json_object_iter_init_ordered (&it, secs);
      while (json_object_iter_next_ordered (&it, &name, &node))
        {
          JsonObject *sec = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          JsonObject *geom = nl_json_obj_object (sec, "geom");
          JsonNode *wn = sec ? json_object_get_member (sec, "weightNorm") : NULL;
          guint idx = nl_network_add_name (b->net, NL_NAME_SEC, name);
          /* A length given as a string function varies per cell; for spreading synapses
           * over sections NetLoom uses the rule's numbers (1 µm when not a number). */
          double len = nl_json_obj_number (geom, "L", 1);
          double nseg_d = nl_json_obj_number (geom, "nseg", 1);
          guint nseg = nseg_d >= 1 && nseg_d <= 32767 ? (guint) nseg_d : 1;
          g_array_append_val (r->secs, idx);
          g_array_append_val (r->sec_len, len);
          g_array_append_val (r->sec_nseg, nseg);
          g_ptr_array_add (r->weight_norm, wn && JSON_NODE_HOLDS_ARRAY (wn) ? json_node_get_array (wn) : NULL);
          r->has_weight_norm |= wn && JSON_NODE_HOLDS_ARRAY (wn);
          {
            JsonNode *pt = geom ? json_object_get_member (geom, "pt3d") : NULL;
            g_ptr_array_add (r->pt3d, pt && JSON_NODE_HOLDS_ARRAY (pt) && json_array_get_length (json_node_get_array (pt)) > 0 ?
                                      json_node_get_array (pt) : NULL);
            /* With 3-D points NEURON takes the length from them. */
            if (r->pt3d->pdata[r->pt3d->len - 1])
              g_array_index (r->sec_len, double, r->sec_len->len - 1) = pt3d_length (r->pt3d->pdata[r->pt3d->len - 1]);
          }
          if (g_str_equal (name, "soma") || r->default_sec < 0)
            r->default_sec = idx;
        }
      /* Topology, once every section has its index. */
      json_object_iter_init_ordered (&it, secs);
      while (json_object_iter_next_ordered (&it, &name, &node))
        {
          JsonObject *topol = nl_json_obj_object (JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, "topol");
          const char *parent = nl_json_obj_string (topol, "parentSec");
          int pos = -1;
          double px = nl_json_obj_number (topol, "parentX", 1), cx = nl_json_obj_number (topol, "childX", 0);
          if (parent && json_object_has_member (secs, parent))
            {
              guint pidx = nl_network_add_name (b->net, NL_NAME_SEC, parent);
              for (guint q = 0; q < r->secs->len; q++)
                if (g_array_index (r->secs, guint, q) == pidx)
                  pos = q;
            }
          g_array_append_val (r->sec_parent, pos);
          g_array_append_val (r->sec_parent_x, px);
          g_array_append_val (r->sec_child_x, cx);
        }
    }
  if (lists)
    {
      json_object_iter_init_ordered (&it, lists);
      while (json_object_iter_next_ordered (&it, &name, &node))
        {
          GArray *l = g_array_new (FALSE, FALSE, sizeof (guint));
          JsonArray *a = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
          for (guint i = 0; a && i < json_array_get_length (a); i++)
            {
              const char *s = json_array_get_string_element (a, i);
              if (s)
                {
                  guint idx = nl_network_add_name (b->net, NL_NAME_SEC, s);
                  g_array_append_val (l, idx);
                }
            }
          g_hash_table_insert (r->sec_lists, (gpointer) name, l);
        }
    }
  return r;
}

/* NetPyNE's choice of a population's cell rule: cellParams[cellType], else an old-style
 * rule whose conds match the population's cellType/cellModel. */
static int
find_cell_rule (Build *b, const char *cell_type, const char *cell_model)
{
  JsonObject *cells = nl_json_obj_object (b->np, "cellParams");
  JsonObjectIter it;
  const char *label;
  JsonNode *node;
  const char *found = NULL;

  if (!cells)
    return -1;
  if (cell_type && json_object_has_member (cells, cell_type))
    found = cell_type;
  else
    {
      json_object_iter_init_ordered (&it, cells);
      while (!found && json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *conds = nl_json_obj_object (JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, "conds");
          const char *ct = nl_json_obj_string (conds, "cellType");
          const char *cm = nl_json_obj_string (conds, "cellModel");
          if (conds && (ct || cm) && (!ct || g_strcmp0 (ct, cell_type) == 0) && (!cm || g_strcmp0 (cm, cell_model) == 0))
            found = label;
        }
      if (!found && cell_model && json_object_has_member (cells, cell_model))
        found = cell_model;
    }
  if (!found)
    return -1;
  for (guint i = 0; i < b->cell_rules->len; i++)
    if (g_str_equal (((CellRule *) b->cell_rules->pdata[i])->label, found))
      return i;
  g_ptr_array_add (b->cell_rules, cell_rule_new (b, found, json_object_get_object_member (cells, found)));
  g_ptr_array_add (b->net->cell_rules, (gpointer) nl_network_intern (b->net, found));
  return b->cell_rules->len - 1;
}

/* ---- per-cell values of string functions ------------------------------------------------- */

typedef struct {
  char   *path;
  NlExpr *expr;
} CellFunc;

static void
cell_func_free (gpointer p)
{
  CellFunc *f = p;
  g_free (f->path);
  nl_expr_free (f->expr);
  g_free (f);
}

/* Every string under secs.*.{geom, mechs, ions, pointps} is a function of the cell's
 * position, evaluated per cell as NetPyNE's CompartCell does. */
static gboolean
collect_funcs (Build *b, const char *rule, JsonNode *node, GString *path, GPtrArray *out, GError **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter it;
      const char *name;
      JsonNode *m;
      gsize len = path->len;
      json_object_iter_init_ordered (&it, json_node_get_object (node));
      while (json_object_iter_next_ordered (&it, &name, &m))
        {
          /* Names, not functions: mechanism files and section references. */
          if (g_str_equal (name, "mod") || g_str_equal (name, "parentSec") || g_str_equal (name, "vref") ||
              g_str_equal (name, "synList") || g_str_equal (name, "topol"))
            continue;
          nl_json_path_append_key (path, name);
          if (!collect_funcs (b, rule, m, path, out, error))
            return FALSE;
          g_string_truncate (path, len);
        }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *full = g_strdup_printf ("cellParams.%s.%s", rule, path->str);
      CellFunc *f = g_new0 (CellFunc, 1);
      f->expr = nl_build_compile (b, node, NL_CTX_CELL, full, error);
      if (!f->expr)
        {
          g_free (f);
          return FALSE;
        }
      f->path = g_strdup (path->str);
      g_ptr_array_add (out, f);
    }
  return TRUE;
}

static gboolean
eval_cell_funcs (Build *b, GError **error)
{
  NlNetwork *net = b->net;
  g_autoptr(GPtrArray) funcs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint64 total = 0;

  for (guint r = 0; r < b->cell_rules->len; r++)
    {
      CellRule *cr = b->cell_rules->pdata[r];
      GPtrArray *list = g_ptr_array_new_with_free_func (cell_func_free);
      GPtrArray *paths = g_ptr_array_new ();
      JsonObject *secs = nl_json_obj_object (cr->params, "secs");
      g_autoptr(GString) path = g_string_new (NULL);
      JsonObjectIter it;
      const char *sec;
      JsonNode *snode;

      g_ptr_array_add (funcs, list);
      g_ptr_array_add (net->cell_funcs, paths);
      if (secs)
        {
          json_object_iter_init_ordered (&it, secs);
          while (json_object_iter_next_ordered (&it, &sec, &snode))
            {
              static const char *const parts[] = { "geom", "mechs", "ions", "pointps" };
              JsonObject *so = JSON_NODE_HOLDS_OBJECT (snode) ? json_node_get_object (snode) : NULL;
              for (guint k = 0; so && k < G_N_ELEMENTS (parts); k++)
                {
                  JsonNode *part = json_object_get_member (so, parts[k]);
                  if (!part)
                    continue;
                  g_string_printf (path, "secs.%s.%s", sec, parts[k]);
                  if (!collect_funcs (b, cr->label, part, path, list, error))
                    return FALSE;
                }
            }
        }
      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (paths, (gpointer) nl_network_intern (net, ((CellFunc *) list->pdata[i])->path));
    }

  net->cell_value_off = g_new0 (guint64, net->n_cells + 1);
  for (guint gid = 0; gid < net->n_cells; gid++)
    {
      const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, net->cell_pop[gid]);
      guint n = pop->cell_rule >= 0 ? ((GPtrArray *) funcs->pdata[pop->cell_rule])->len : 0;
      total += n;
      net->cell_value_off[gid + 1] = total;
    }
  if (total == 0)
    return TRUE;
  net->cell_values = g_new (double, total);
  for (guint gid = 0; gid < net->n_cells; gid++)
    {
      const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, net->cell_pop[gid]);
      GPtrArray *list;
      double vars[NL_CELL_N_VARS];
      NlRng rng;

      if (pop->cell_rule < 0)
        continue;
      list = funcs->pdata[pop->cell_rule];
      for (int c = 0; c < 3; c++)
        {
          vars[NL_CELL_VAR_X + c] = net->coords[NL_COORD_X + c][gid];
          vars[NL_CELL_VAR_XNORM + c] = net->coords[NL_COORD_XNORM + c][gid];
        }
      /* One stream per cell: its values do not depend on other cells or on the order. */
      nl_rng_init (&rng, b->seed_cell, NL_RNG_CELL, gid, 0);
      for (guint i = 0; i < list->len; i++)
        {
          CellFunc *f = list->pdata[i];
          double v = nl_expr_eval (f->expr, vars, &rng);
          if (!isfinite (v))
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID,
                           "cellParams.%s.%s: the function gives %g for cell %u",
                           ((CellRule *) b->cell_rules->pdata[pop->cell_rule])->label, f->path, v, gid);
              return FALSE;
            }
          net->cell_values[net->cell_value_off[gid] + i] = v;
        }
    }
  return TRUE;
}

/* VecStim cells get their spike trains now: they are part of the network as built, the same
 * whichever process later plays them. */
static gboolean
make_spike_trains (Build *b, GError **error)
{
  NlNetwork *net = b->net;
  JsonObject *pops = nl_json_obj_object (b->np, "popParams");
  double duration = nl_spec_get_double (b->spec, "simConfig.duration", 1000);
  g_autoptr(GArray) times = NULL;

  for (guint p = 0; p < net->pops->len; p++)
    {
      const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, p);
      JsonObject *params = nl_json_obj_object (pops, pop->name);
      JsonNode *list = params ? json_object_get_member (params, "cellsList") : NULL;
      g_autofree char *path = g_strdup_printf ("popParams.%s", pop->name);

      if (!pop->cell_model || !g_str_equal (pop->cell_model, "VecStim") || pop->n_cells == 0)
        continue;
      if (!times)
        {
          times = g_array_new (FALSE, FALSE, sizeof (double));
          net->spk_off = g_new0 (guint64, net->n_cells + 1);
        }
      for (guint i = 0; i < pop->n_cells; i++)
        {
          guint gid = pop->first + i;
          JsonNode *e = list && JSON_NODE_HOLDS_ARRAY (list) ? json_array_get_element (json_node_get_array (list), i) : NULL;
          g_autoptr(GArray) train = nl_vecstim_spike_times (params, e && JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL,
                                                             i, gid, duration, b->seed_stim, path, error);
          if (!train)
            return FALSE;
          g_array_append_vals (times, train->data, train->len);
          net->spk_off[gid + 1] = train->len;
        }
    }
  if (!times)
    return TRUE;
  for (guint g = 0; g < net->n_cells; g++)
    net->spk_off[g + 1] += net->spk_off[g];
  net->spk_times = (double *) g_array_free (g_steal_pointer (&times), FALSE);
  return TRUE;
}

gboolean
nl_build_cells (Build   *b,
                GError **error)
{
  NlNetwork *net = b->net;
  JsonObject *pops = nl_json_obj_object (b->np, "popParams");
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  JsonObjectIter it;
  const char *name;
  JsonNode *node;
  guint index = 0;

  if (pops)
    {
      json_object_iter_init_ordered (&it, pops);
      while (json_object_iter_next_ordered (&it, &name, &node))
        {
          JsonObject *p = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          NlNetPop pop = { 0 };
          guint before = places->len;

          if (!p)
            continue;
          if (net->pops->len >= G_MAXUINT16)
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "popParams: more than %u populations",
                           G_MAXUINT16);
              return FALSE;
            }
          pop.name = nl_network_intern (net, name);
          pop.cell_type = nl_network_intern (net, nl_json_obj_string (p, "cellType"));
          pop.cell_model = nl_network_intern (net, nl_json_obj_string (p, "cellModel"));
          if (!pop.cell_model && pop.cell_type)
            {
              /* A point-neuron rule may name its model in cellParams. */
              JsonObject *rule = nl_json_obj_object (nl_json_obj_object (b->np, "cellParams"), pop.cell_type);
              pop.cell_model = nl_network_intern (net, nl_json_obj_string (rule, "cellModel"));
            }
          pop.artificial = pop.cell_model && g_strv_contains (artificial_models, pop.cell_model);
          pop.cell_rule = pop.artificial ? -1 : find_cell_rule (b, pop.cell_type, pop.cell_model);
          pop.first = before;
          if (!place_pop (b, index++, name, p, places, error))
            return FALSE;
          if (b->options->max_cells && places->len > b->options->max_cells)
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE,
                           "popParams.%s: the network would have more than %" G_GUINT64_FORMAT " cells",
                           name, b->options->max_cells);
              return FALSE;
            }
          if ((guint64) places->len >= G_MAXUINT32)
            {
              g_set_error (error, NL_BUILD_ERROR, NL_BUILD_ERROR_TOO_LARGE, "more than 2³² cells");
              return FALSE;
            }
          pop.n_cells = places->len - before;
          if (pop.n_cells == 0)
            {
              g_autofree char *path = g_strdup_printf ("popParams.%s", name);
              nl_problems_add (b->problems, NL_SEVERITY_WARNING, path, NULL, "the population has no cells");
            }
          g_array_append_val (net->pops, pop);
        }
    }

  net->n_cells = places->len;
  net->cell_pop = g_new (guint16, MAX (net->n_cells, 1));
  for (int c = 0; c < NL_N_COORDS; c++)
    net->coords[c] = g_new (double, MAX (net->n_cells, 1));
  for (guint p = 0; p < net->pops->len; p++)
    {
      const NlNetPop *pop = &g_array_index (net->pops, NlNetPop, p);
      for (guint gid = pop->first; gid < pop->first + pop->n_cells; gid++)
        net->cell_pop[gid] = p;
    }
  for (guint gid = 0; gid < net->n_cells; gid++)
    {
      const Place *pl = &g_array_index (places, Place, gid);
      for (int c = 0; c < 3; c++)
        {
          net->coords[NL_COORD_XNORM + c][gid] = pl->norm[c];
          net->coords[NL_COORD_X + c][gid] = pl->abs[c];
        }
    }
  return eval_cell_funcs (b, error) && make_spike_trains (b, error);
}
