/* nl-morphology.c — cell rules as 3-D segments, laid out as NEURON's define_shape() does and
 * placed as NetPyNE places them (see nl-morphology.h).
 *
 * NEURON stores 3-D points in single precision (x, y, z, d are floats, arc a double), and
 * define_shape() (C++) works in floats: its angle is a float, so atan2, cos and sin are the
 * single-precision overloads. The layout below keeps the same types in the same
 * expressions, so points agree with nrniv's x3d/y3d/z3d/arc3d exactly.
 */
#include "nl-morphology.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#define NL_MORPH_DEFAULT_L    100.0   /* NEURON's defaults for a new section */
#define NL_MORPH_DEFAULT_DIAM 500.0
#define NL_MORPH_ROOT_DZ      100.0f  /* define_shape(): root i sits at z = i·100 */

typedef struct {
  float  x, y, z, d;
  double arc;
} Pt;

/* One section while laying out. */
typedef struct {
  char   *name;
  double  L, diam;
  guint   nseg;
  GArray *pts;          /* Pt */
  gboolean own_pt3d;    /* pt3d given in the model */
  int     parent;       /* index, -1 for a root */
  double  parent_x, child_x;
  gboolean done;
} Sec;

struct _NlMorphology {
  GArray    *segs;       /* NlMorphSegment */
  GPtrArray *sec_names;  /* char * */
  GHashTable *sec_index; /* name → index + 1 */
  GPtrArray *points;     /* per section: GArray of 5 doubles per point (rule morphologies) */
  GHashTable *where;     /* "gid/sec" → first segment + 1 ; nseg in `nsegs` */
  GHashTable *nsegs;
};

static void
sec_clear (Sec *s)
{
  g_free (s->name);
  if (s->pts)
    g_array_unref (s->pts);
}

static NlMorphology *
morph_new (void)
{
  NlMorphology *m = g_new0 (NlMorphology, 1);
  m->segs = g_array_new (FALSE, FALSE, sizeof (NlMorphSegment));
  m->sec_names = g_ptr_array_new_with_free_func (g_free);
  m->sec_index = g_hash_table_new (g_str_hash, g_str_equal);
  m->points = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  m->where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->nsegs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return m;
}

void
nl_morphology_free (NlMorphology *m)
{
  if (!m)
    return;
  g_array_unref (m->segs);
  g_hash_table_unref (m->sec_index);
  g_ptr_array_unref (m->sec_names);
  g_ptr_array_unref (m->points);
  g_hash_table_unref (m->where);
  g_hash_table_unref (m->nsegs);
  g_free (m);
}

static guint
morph_sec_index (NlMorphology *m, const char *name)
{
  gpointer v = g_hash_table_lookup (m->sec_index, name);
  if (v)
    return GPOINTER_TO_UINT (v) - 1;
  char *copy = g_strdup (name);
  g_ptr_array_add (m->sec_names, copy);
  g_hash_table_insert (m->sec_index, copy, GUINT_TO_POINTER (m->sec_names->len));
  return m->sec_names->len - 1;
}

/* ---- reading the rule ---------------------------------------------------------------- */

/* Per-cell values of string-function geometry: paths "secs.S.geom.K" and their values. */
typedef struct {
  NlNetwork    *net;
  int           rule;
  const double *values;
} CellVals;

static gboolean
cell_value (const CellVals *cv, const char *sec, const char *key, double *v)
{
  if (!cv || !cv->net || cv->rule < 0 || !cv->values)
    return FALSE;
  g_autofree char *path = g_strdup_printf ("secs.%s.geom.%s", sec, key);
  guint n = nl_network_get_n_cell_funcs (cv->net, (guint) cv->rule);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (nl_network_get_cell_func (cv->net, (guint) cv->rule, i), path) == 0)
      {
        *v = cv->values[i];
        return TRUE;
      }
  return FALSE;
}

static gboolean
node_number (JsonNode *n, double *v)
{
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
    return FALSE;
  *v = json_node_get_double (n);
  return isfinite (*v);
}

/* A geometry number: the model's, a cell's string-function value, or `fallback`. */
static gboolean
geom_number (JsonObject *geom, const char *path, const char *sec, const char *key,
             double fallback, const CellVals *cv, double *v, GError **error)
{
  JsonNode *n = geom && json_object_has_member (geom, key) ? json_object_get_member (geom, key) : NULL;
  *v = fallback;
  if (!n || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (node_number (n, v))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    {
      if (cell_value (cv, sec, key, v))
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s.%s: a string function; its value depends on the cell (draw a built network's cells instead)",
                   path, key);
      return FALSE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s.%s: expected a number", path, key);
  return FALSE;
}

/* nrn_pt3dmodified: arcs from the float coordinates (the difference is taken in floats). */
static void
pt_add (GArray *pts, double x, double y, double z, double d)
{
  Pt p = { (float) x, (float) y, (float) z, (float) d, 0.0 };
  if (pts->len)
    {
      const Pt *q = &g_array_index (pts, Pt, pts->len - 1);
      float fx = p.x - q->x, fy = p.y - q->y, fz = p.z - q->z;
      double t1 = fx, t2 = fy, t3 = fz;
      p.arc = q->arc + sqrt (t1 * t1 + t2 * t2 + t3 * t3);
    }
  g_array_append_val (pts, p);
}

static gboolean
read_pt3d (JsonNode *node, const char *path, Sec *s, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s.pt3d: expected a list of points [x, y, z, diam] (µm)", path);
      return FALSE;
    }
  JsonArray *a = json_node_get_array (node);
  guint n = json_array_get_length (a);
  if (n == 0)
    return TRUE;           /* an empty list: NetPyNE lays the section out as without one */
  if (n < 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s.pt3d: %u point; a section needs at least 2 (its two ends)", path, n);
      return FALSE;
    }
  s->pts = g_array_sized_new (FALSE, FALSE, sizeof (Pt), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *r = json_array_get_element (a, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (r) ? json_node_get_array (r) : NULL;
      double v[4];
      gboolean ok = row && json_array_get_length (row) == 4;
      for (guint k = 0; ok && k < 4; k++)
        ok = node_number (json_array_get_element (row, k), &v[k]);
      if (!ok)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s.pt3d[%u]: expected [x, y, z, diam], 4 numbers (µm)", path, i);
          return FALSE;
        }
      if (v[3] < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s.pt3d[%u]: diameter %g is negative", path, i, v[3]);
          return FALSE;
        }
      pt_add (s->pts, v[0], v[1], v[2], v[3]);
    }
  s->own_pt3d = TRUE;
  return TRUE;
}

static JsonObject *
member_object (JsonObject *o, const char *key)
{
  JsonNode *n = o && json_object_has_member (o, key) ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* The rule's sections in key order (NetPyNE creates and connects them in that order). */
static GArray *
read_secs (NlSpec *spec, const char *rule, const CellVals *cv, GError **error)
{
  JsonObject *cps = member_object (nl_spec_get_net_params (spec), "cellParams");
  JsonObject *r = member_object (cps, rule);
  g_autoptr(GArray) secs = g_array_new (FALSE, TRUE, sizeof (Sec));
  g_array_set_clear_func (secs, (GDestroyNotify) sec_clear);

  if (!r)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "netParams.cellParams.%s: no such cell rule", rule);
      return NULL;
    }
  JsonObject *so = member_object (r, "secs");
  if (!so)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "netParams.cellParams.%s.secs: expected an object of sections", rule);
      return NULL;
    }
  g_autoptr(GList) names = json_object_get_members (so);
  for (GList *l = names; l; l = l->next)
    {
      const char *name = l->data;
      JsonObject *sec = member_object (so, name);
      g_autofree char *path = g_strdup_printf ("netParams.cellParams.%s.secs.%s", rule, name);
      g_autofree char *gpath = g_strconcat (path, ".geom", NULL);
      Sec s = { 0 };
      s.name = g_strdup (name);
      s.parent = -1;
      g_array_append_val (secs, s);
      Sec *sp = &g_array_index (secs, Sec, secs->len - 1);
      if (!sec)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: expected an object", path);
          return NULL;
        }
      JsonObject *geom = member_object (sec, "geom");
      double nseg;
      if (!geom_number (geom, gpath, name, "L", NL_MORPH_DEFAULT_L, cv, &sp->L, error)
          || !geom_number (geom, gpath, name, "diam", NL_MORPH_DEFAULT_DIAM, cv, &sp->diam, error)
          || !geom_number (geom, gpath, name, "nseg", 1, cv, &nseg, error))
        return NULL;
      if (sp->L < 0 || sp->diam < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s.%s: %g µm is negative",
                       gpath, sp->L < 0 ? "L" : "diam", sp->L < 0 ? sp->L : sp->diam);
          return NULL;
        }
      if (!(nseg >= 1 && nseg <= 32767))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s.nseg: %g; NEURON allows 1 to 32767 segments", gpath, nseg);
          return NULL;
        }
      sp->nseg = (guint) nseg;   /* NEURON truncates */
      if (geom && json_object_has_member (geom, "pt3d")
          && !read_pt3d (json_object_get_member (geom, "pt3d"), gpath, sp, error))
        return NULL;
    }
  /* topology, after every section is known */
  for (guint i = 0; i < secs->len; i++)
    {
      Sec *sp = &g_array_index (secs, Sec, i);
      JsonObject *topol = member_object (member_object (so, sp->name), "topol");
      g_autofree char *tpath = g_strdup_printf ("netParams.cellParams.%s.secs.%s.topol", rule, sp->name);
      JsonNode *pn = topol && json_object_has_member (topol, "parentSec")
                     ? json_object_get_member (topol, "parentSec") : NULL;
      if (!pn || JSON_NODE_HOLDS_NULL (pn))
        continue;
      const char *parent = JSON_NODE_HOLDS_VALUE (pn) && json_node_get_value_type (pn) == G_TYPE_STRING
                           ? json_node_get_string (pn) : NULL;
      int found = -1;
      for (guint k = 0; parent && k < secs->len; k++)
        if (strcmp (g_array_index (secs, Sec, k).name, parent) == 0)
          found = (int) k;
      if (found < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s.parentSec: %s%s%s is not a section of this cell rule", tpath,
                       parent ? "'" : "", parent ? parent : "not a name", parent ? "'" : "");
          return NULL;
        }
      if (found == (int) i)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s.parentSec: a section cannot be its own parent", tpath);
          return NULL;
        }
      sp->parent = found;
      sp->parent_x = 1.0;
      sp->child_x = 0.0;
      JsonNode *xn;
      if (topol && (xn = json_object_get_member (topol, "parentX")) && !JSON_NODE_HOLDS_NULL (xn))
        if (!node_number (xn, &sp->parent_x) || sp->parent_x < 0 || sp->parent_x > 1)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s.parentX: expected a number from 0 to 1", tpath);
            return NULL;
          }
      if (topol && (xn = json_object_get_member (topol, "childX")) && !JSON_NODE_HOLDS_NULL (xn))
        if (!node_number (xn, &sp->child_x) || (sp->child_x != 0 && sp->child_x != 1))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s.childX: expected 0 or 1 (the end that attaches to the parent)", tpath);
            return NULL;
          }
    }
  /* a cycle: some section never reaches a root */
  for (guint i = 0; i < secs->len; i++)
    {
      int k = (int) i;
      guint steps = 0;
      while (k >= 0 && steps <= secs->len)
        k = g_array_index (secs, Sec, k).parent, steps++;
      if (k >= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "netParams.cellParams.%s.secs.%s.topol.parentSec: the sections' parents form a cycle; one of them must be a root",
                       rule, g_array_index (secs, Sec, i).name);
          return NULL;
        }
    }
  return g_steal_pointer (&secs);
}

/* ---- define_shape() ------------------------------------------------------------------- */

/* NEURON's arc0at0: a section joined by its 0 end has its points from that end. */
static gboolean
arc0at0 (const Sec *s)
{
  return s->child_x == 0;
}

static void
translate_shape (Sec *s, float x, float y, float z)
{
  Pt *p0 = &g_array_index (s->pts, Pt, 0);
  float dx = x - p0->x, dy = y - p0->y, dz = z - p0->z;
  for (guint i = 0; i < s->pts->len; i++)
    {
      Pt *p = &g_array_index (s->pts, Pt, i);
      p->x += dx, p->y += dy, p->z += dz;
    }
}

static void
define_one (GArray *secs, guint i, guint root_index)
{
  Sec *sec = &g_array_index (secs, Sec, i);
  Sec *psec = sec->parent >= 0 ? &g_array_index (secs, Sec, sec->parent) : NULL;
  float x, y, z, x1, y1, nch, ich = 0.0f, angle;
  double arc = psec ? sec->parent_x : 0.0, len;

  if (!psec)
    {
      x = 0, y = 0, z = (float) root_index * NL_MORPH_ROOT_DZ;
      x1 = 1, y1 = 0;
    }
  else
    {
      double arc1 = arc;
      const Pt *first = &g_array_index (psec->pts, Pt, 0);
      const Pt *last = &g_array_index (psec->pts, Pt, psec->pts->len - 1);
      x1 = last->x - first->x;
      y1 = last->y - first->y;
      if (!arc0at0 (psec))
        arc1 = 1. - arc;
      if (arc1 < .5)
        x1 = -x1, y1 = -y1;
      x = (float) (last->x * arc1 + first->x * (1 - arc1));
      y = (float) (last->y * arc1 + first->y * (1 - arc1));
      z = (float) (last->z * arc1 + first->z * (1 - arc1));
    }
  if (sec->pts)
    {
      if (psec)
        translate_shape (sec, x, y, z);
      return;
    }
  if (fabs (y1) < 1e-6 && fabs (x1) < 1e-6)
    angle = 0.0f;
  else
    angle = atan2f (y1, x1);
  if (arc > 0. && arc < 1.)
    angle = (float) (angle + G_PI / 2.);
  /* siblings at the same position fan out over ±0.4 rad; NEURON's sibling list is sorted by
   * position, a later connection first among equals */
  nch = 0.0f;
  if (psec)
    {
      g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint k = 0; k < secs->len; k++)
        {
          const Sec *c = &g_array_index (secs, Sec, k);
          if (c->parent != sec->parent)
            continue;
          guint at = order->len;
          for (guint j = 0; j < order->len; j++)
            if (c->parent_x <= g_array_index (secs, Sec, g_array_index (order, guint, j)).parent_x)
              {
                at = j;
                break;
              }
          g_array_insert_val (order, at, k);
        }
      for (guint j = 0; j < order->len; j++)
        {
          guint k = g_array_index (order, guint, j);
          if (k == i)
            ich = nch;
          if (arc == g_array_index (secs, Sec, k).parent_x)
            nch = nch + 1.0f;
        }
    }
  if (nch > 1)
    angle = (float) (angle + (ich / (nch - 1.) * .8 - .4));  /* NEURON: angle += … */
  len = sec->L > 1e-9 ? sec->L : 1e-9;
  x1 = (float) (x + len * cosf (angle));
  y1 = (float) (y + len * sinf (angle));
  sec->pts = g_array_sized_new (FALSE, FALSE, sizeof (Pt), sec->nseg + 2);
  pt_add (sec->pts, x, y, z, sec->diam);
  for (guint j = 0; j < sec->nseg; j++)
    {
      double frac = ((double) j + .5) / (double) sec->nseg;
      pt_add (sec->pts, x * (1 - frac) + x1 * frac, y * (1 - frac) + y1 * frac, z, sec->diam);
    }
  pt_add (sec->pts, x1, y1, z, sec->diam);
  /* as NEURON: round-off in the points does not change the length */
  g_array_index (sec->pts, Pt, sec->pts->len - 1).arc = len;
}

/* Parents before children, roots in key order (NEURON's secorder puts the roots first). */
static void
define_shape (GArray *secs)
{
  guint n_root = 0;
  for (guint i = 0; i < secs->len; i++)
    if (g_array_index (secs, Sec, i).parent < 0)
      {
        define_one (secs, i, n_root++);
        g_array_index (secs, Sec, i).done = TRUE;
      }
  gboolean progress = TRUE;
  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < secs->len; i++)
        {
          Sec *s = &g_array_index (secs, Sec, i);
          if (!s->done && g_array_index (secs, Sec, s->parent).done)
            {
              define_one (secs, i, 0);
              s->done = TRUE;
              progress = TRUE;
            }
        }
    }
}

/* ---- segments -------------------------------------------------------------------------- */

/* Position at arc `a` along the points (linear between them). */
static void
point_at (GArray *pts, double a, double out[3])
{
  guint n = pts->len, j = 0;
  while (j + 2 < n && g_array_index (pts, Pt, j + 1).arc < a)
    j++;
  const Pt *p = &g_array_index (pts, Pt, j), *q = &g_array_index (pts, Pt, j + 1);
  double f = q->arc > p->arc ? (a - p->arc) / (q->arc - p->arc) : 1.0;
  f = CLAMP (f, 0.0, 1.0);
  out[0] = p->x + (q->x - (double) p->x) * f;
  out[1] = p->y + (q->y - (double) p->y) * f;
  out[2] = p->z + (q->z - (double) p->z) * f;
}

static double
diam_at (GArray *pts, guint j, double a)
{
  const Pt *p = &g_array_index (pts, Pt, j), *q = &g_array_index (pts, Pt, j + 1);
  double f = q->arc > p->arc ? (a - p->arc) / (q->arc - p->arc) : 1.0;
  f = CLAMP (f, 0.0, 1.0);
  return fabs ((double) p->d) * (1 - f) + fabs ((double) q->d) * f;
}

/* The mean diameter over a0…a1 (trapezoids between points, as NEURON's diam_from_list). */
static double
mean_diam (GArray *pts, double a0, double a1)
{
  double sum = 0;
  if (a1 <= a0)
    return fabs ((double) g_array_index (pts, Pt, 0).d);
  for (guint j = 0; j + 1 < pts->len; j++)
    {
      double lo = MAX (a0, g_array_index (pts, Pt, j).arc);
      double hi = MIN (a1, g_array_index (pts, Pt, j + 1).arc);
      if (hi > lo)
        sum += 0.5 * (diam_at (pts, j, lo) + diam_at (pts, j, hi)) * (hi - lo);
    }
  return sum / (a1 - a0);
}

typedef struct {
  double ox, oy, oz;     /* pt3d sections: added */
  double cx, cy, cz;     /* define_shape() sections: the cell's x, −y, z */
  gboolean netpyne;      /* place as NetPyNE (else NEURON's own coordinates) */
  gboolean any_pt3d;
} Placement;

/* NetPyNE's placement. A cell without pt3d: NEURON's define_shape() layout with x and y
 * swapped, z set to the cell's, moved to (x, −y) (CompartCell.updateShape). A cell with pt3d
 * sections: moved by (x, −y, z) (pt3dRelativeToCellLocation, invertedYCoord). In a cell that
 * mixes both, NetPyNE itself pulls the cell apart (updateShape swaps the define_shape()
 * sections after NEURON attached them to the pt3d ones, and define_shape() moves pt3d
 * children onto a root it laid out at the origin); here such a cell keeps NEURON's own
 * connected layout, moved like its pt3d sections. */
static void
place (const Placement *pl, const Sec *s, const double in[3], double out[3])
{
  if (!pl->netpyne)
    memcpy (out, in, 3 * sizeof (double));
  else if (pl->any_pt3d)
    {
      out[0] = in[0] + pl->ox;
      out[1] = in[1] + pl->oy;
      out[2] = in[2] + pl->oz;
    }
  else
    {
      out[0] = pl->cx + in[1];
      out[1] = pl->cy + in[0];
      out[2] = pl->cz;
    }
}

static void
add_segments (NlMorphology *m, GArray *secs, guint32 gid, const Placement *pl, gboolean keep_points)
{
  for (guint i = 0; i < secs->len; i++)
    {
      Sec *s = &g_array_index (secs, Sec, i);
      guint si = morph_sec_index (m, s->name);
      double L = g_array_index (s->pts, Pt, s->pts->len - 1).arc;
      g_autofree char *key = g_strdup_printf ("%u/%s", gid, s->name);
      g_hash_table_replace (m->where, g_strdup (key), GUINT_TO_POINTER (m->segs->len + 1));
      g_hash_table_replace (m->nsegs, g_steal_pointer (&key), GUINT_TO_POINTER (s->nseg));
      for (guint k = 0; k < s->nseg; k++)
        {
          /* segment k of the user's x; a section joined by its 1 end has its points from there */
          double x0 = (double) k / s->nseg, x1 = (double) (k + 1) / s->nseg;
          if (!arc0at0 (s))
            x0 = 1 - x0, x1 = 1 - x1;
          double a0 = x0 * L, a1 = x1 * L, p[3];
          NlMorphSegment seg = { .sec = si, .seg = k, .gid = gid };
          point_at (s->pts, a0, p);
          place (pl, s, p, seg.start);
          point_at (s->pts, a1, p);
          place (pl, s, p, seg.end);
          seg.diam = mean_diam (s->pts, MIN (a0, a1), MAX (a0, a1));
          g_array_append_val (m->segs, seg);
        }
      if (keep_points)
        {
          GArray *a = g_array_sized_new (FALSE, FALSE, sizeof (double), 5 * s->pts->len);
          for (guint k = 0; k < s->pts->len; k++)
            {
              const Pt *q = &g_array_index (s->pts, Pt, k);
              double row[5] = { q->x, q->y, q->z, fabs ((double) q->d), q->arc };
              g_array_append_vals (a, row, 5);
            }
          g_ptr_array_add (m->points, a);
        }
    }
}

NlMorphology *
nl_morphology_new_for_rule (NlSpec *spec, const char *rule, GError **error)
{
  g_return_val_if_fail (NL_IS_SPEC (spec) && rule, NULL);
  g_autoptr(GArray) secs = read_secs (spec, rule, NULL, error);
  if (!secs)
    return NULL;
  define_shape (secs);
  NlMorphology *m = morph_new ();
  Placement pl = { 0 };
  add_segments (m, secs, G_MAXUINT32, &pl, TRUE);
  return m;
}

static gboolean
sim_flag (NlSpec *spec, const char *path)
{
  JsonNode *n = nl_spec_lookup (spec, path);
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return TRUE;    /* NetPyNE's default for both flags */
  if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  double v;
  return node_number (n, &v) ? v != 0 : TRUE;
}

NlMorphology *
nl_morphology_new_for_network (NlSpec *spec, NlNetwork *net, const guint *gids, guint n_gids,
                               GError **error)
{
  g_return_val_if_fail (NL_IS_SPEC (spec) && net, NULL);
  guint n_cells = nl_network_get_n_cells (net);
  gboolean rel = sim_flag (spec, "simConfig.pt3dRelativeToCellLocation");
  gboolean inv = sim_flag (spec, "simConfig.invertedYCoord");
  const double *cx = nl_network_get_coords (net, NL_COORD_X);
  const double *cy = nl_network_get_coords (net, NL_COORD_Y);
  const double *cz = nl_network_get_coords (net, NL_COORD_Z);
  g_autoptr(NlMorphology) m = morph_new ();
  /* a rule whose geometry has no string functions is laid out once */
  g_autoptr(GHashTable) cache = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  guint n = gids ? n_gids : n_cells;

  for (guint i = 0; i < n; i++)
    {
      guint gid = gids ? gids[i] : i;
      if (gid >= n_cells)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "cell %u: the network has %u cells (gids 0 to %u)", gid, n_cells, n_cells ? n_cells - 1 : 0);
          return NULL;
        }
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      if (pop->artificial || pop->cell_rule < 0)
        continue;
      const char *rule = nl_network_get_cell_rule (net, (guint) pop->cell_rule);
      gboolean has_funcs = nl_network_get_n_cell_funcs (net, (guint) pop->cell_rule) > 0;
      GArray *secs = has_funcs ? NULL : g_hash_table_lookup (cache, GINT_TO_POINTER (pop->cell_rule + 1));
      g_autoptr(GArray) own = NULL;
      if (!secs)
        {
          CellVals cv = { net, pop->cell_rule, nl_network_get_cell_values (net, gid) };
          own = read_secs (spec, rule, &cv, error);
          if (!own)
            return NULL;
          define_shape (own);
          secs = own;
          if (!has_funcs)
            g_hash_table_insert (cache, GINT_TO_POINTER (pop->cell_rule + 1), g_steal_pointer (&own));
        }
      double x = cx ? cx[gid] : 0, y = cy ? cy[gid] : 0, z = cz ? cz[gid] : 0;
      Placement pl = {
        .ox = rel ? x : 0, .oy = rel ? (inv ? -y : y) : 0, .oz = rel ? z : 0,
        .cx = x, .cy = -y, .cz = z, .netpyne = TRUE,
      };
      for (guint k = 0; k < secs->len; k++)
        pl.any_pt3d |= g_array_index (secs, Sec, k).own_pt3d;
      add_segments (m, secs, gid, &pl, FALSE);
    }
  return g_steal_pointer (&m);
}

/* ---- accessors -------------------------------------------------------------------------- */

guint
nl_morphology_get_n_segments (NlMorphology *m)
{
  return m->segs->len;
}

const NlMorphSegment *
nl_morphology_get_segment (NlMorphology *m, guint index)
{
  g_return_val_if_fail (index < m->segs->len, NULL);
  return &g_array_index (m->segs, NlMorphSegment, index);
}

guint
nl_morphology_get_n_sections (NlMorphology *m)
{
  return m->sec_names->len;
}

const char *
nl_morphology_get_section_name (NlMorphology *m, guint sec)
{
  g_return_val_if_fail (sec < m->sec_names->len, NULL);
  return g_ptr_array_index (m->sec_names, sec);
}

guint
nl_morphology_get_points (NlMorphology *m, guint sec, const double **xyzda)
{
  *xyzda = NULL;
  if (sec >= m->points->len)
    return 0;
  GArray *a = g_ptr_array_index (m->points, sec);
  *xyzda = (const double *) a->data;
  return a->len / 5;
}

gint64
nl_morphology_find_segment (NlMorphology *m, guint32 gid, const char *sec_name, double loc)
{
  g_autofree char *key = g_strdup_printf ("%u/%s", gid, sec_name);
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (m->where, key));
  guint nseg = GPOINTER_TO_UINT (g_hash_table_lookup (m->nsegs, key));
  if (!first || !nseg || !(loc >= 0 && loc <= 1))
    return -1;
  guint k = (guint) (loc * nseg);
  return (gint64) first - 1 + MIN (k, nseg - 1);
}

static void
count_conn (NlMorphology *m, NlNetwork *net, const NlConn *c, double *counts)
{
  const char *sec = nl_network_get_name (net, NL_NAME_SEC, c->sec);
  if (!sec)
    return;
  gint64 s = nl_morphology_find_segment (m, c->post, sec, c->loc);
  if (s >= 0)
    counts[s] += 1;
}

void
nl_morphology_count_synapses (NlMorphology *m, NlNetwork *net, double *counts)
{
  NlConn c;
  memset (counts, 0, m->segs->len * sizeof (double));
  for (guint64 i = 0, n = nl_network_get_n_conns (net); i < n; i++)
    {
      nl_network_get_conn (net, i, &c);
      count_conn (m, net, &c, counts);
    }
  for (guint64 i = 0, n = nl_network_get_n_stim_conns (net); i < n; i++)
    {
      nl_network_get_stim_conn (net, i, &c);
      count_conn (m, net, &c, counts);
    }
}

void
nl_morphology_translate (NlMorphology *m, double dx, double dy, double dz)
{
  double d[3] = { dx, dy, dz };
  for (guint i = 0; i < m->segs->len; i++)
    {
      NlMorphSegment *s = &g_array_index (m->segs, NlMorphSegment, i);
      for (guint k = 0; k < 3; k++)
        s->start[k] += d[k], s->end[k] += d[k];
    }
  for (guint i = 0; i < m->points->len; i++)
    {
      GArray *a = g_ptr_array_index (m->points, i);
      for (guint j = 0; j < a->len; j += 5)
        for (guint k = 0; k < 3; k++)
          g_array_index (a, double, j + k) += d[k];
    }
}

gboolean
nl_morphology_get_bounds (NlMorphology *m, double min[3], double max[3])
{
  for (guint k = 0; k < 3; k++)
    min[k] = INFINITY, max[k] = -INFINITY;
  for (guint i = 0; i < m->segs->len; i++)
    {
      const NlMorphSegment *s = &g_array_index (m->segs, NlMorphSegment, i);
      for (guint k = 0; k < 3; k++)
        {
          min[k] = MIN (min[k], MIN (s->start[k], s->end[k]));
          max[k] = MAX (max[k], MAX (s->start[k], s->end[k]));
        }
    }
  return m->segs->len > 0;
}
