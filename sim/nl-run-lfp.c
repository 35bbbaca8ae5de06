/* nl-run-lfp.c — simConfig.recordLFP in NEURON runs (see nl-run-lfp.h). */
#include "nl-run-lfp.h"
#include "nl-run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct _NlLfpPlan {
  NlNetwork  *net;
  JsonObject *np;
  NlLfpMethod method;
  double      sigma;
  double      step;
  guint       n_elec;
  double     *elec_user;   /* as simConfig gives them */
  double     *elec;        /* NetPyNE's frame: y negated (RecXElectrode) */
  guint       n_pop_parts;
  guint      *pop_parts;   /* population indices */
  int        *part_of_pop; /* per population: its part, or -1 */
  gboolean   *cell_parts;  /* per gid, or NULL */
  guint      *rank_of;     /* per gid: its rank; NULL: gid % ranks */
  guint       n_cells;
  guint64    *seg_first;   /* per gid: its first segment in segs */
  guint      *seg_n;       /* per gid: its segments (0: artificial cell) */
  GArray     *segs;        /* 7 doubles per segment: x0 y0 z0 x1 y1 z1 diam */
  gboolean    pt3d_relative; /* simConfig.pt3dRelativeToCellLocation */
  gboolean    inverted_y;    /* simConfig.invertedYCoord */
  GPtrArray  *warnings;
};

static gboolean
node_number (JsonNode *n, double *x)
{
  if (!n || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *x = (double) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *x = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

static JsonObject *
obj_member (JsonObject *o, const char *key)
{
  if (!o || !json_object_has_member (o, key))
    return NULL;
  JsonNode *n = json_object_get_member (o, key);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
truthy (JsonObject *o, const char *key)
{
  double x;
  if (!o || !json_object_has_member (o, key))
    return FALSE;
  JsonNode *n = json_object_get_member (o, key);
  if (JSON_NODE_TYPE (n) == JSON_NODE_VALUE && json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  if (node_number (n, &x))
    return x != 0;
  return FALSE;
}

void
nl_lfp_plan_free (NlLfpPlan *p)
{
  if (!p)
    return;
  g_free (p->elec_user);
  g_free (p->elec);
  g_free (p->pop_parts);
  g_free (p->part_of_pop);
  g_free (p->cell_parts);
  g_free (p->rank_of);
  g_free (p->seg_first);
  g_free (p->seg_n);
  if (p->segs)
    g_array_unref (p->segs);
  g_ptr_array_unref (p->warnings);
  g_free (p);
}

GPtrArray *
nl_lfp_plan_get_warnings (NlLfpPlan *plan)
{
  return plan->warnings;
}

NlLfpPlan *
nl_lfp_plan_new (NlSpec *spec, NlNetwork *net, NlLfpMethod method, double sigma, double step_ms,
                 const gboolean *cell_parts, GError **error)
{
  JsonObject *sc = nl_spec_get_sim_config (spec);
  JsonNode *rl = sc && json_object_has_member (sc, "recordLFP") ? json_object_get_member (sc, "recordLFP") : NULL;
  guint n_pops = nl_network_get_n_pops (net);
  g_autoptr(NlLfpPlan) p = NULL;
  JsonArray *a;

  if (!rl || JSON_NODE_HOLDS_NULL (rl) || (JSON_NODE_TYPE (rl) == JSON_NODE_VALUE
                                           && json_node_get_value_type (rl) == G_TYPE_BOOLEAN
                                           && !json_node_get_boolean (rl)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (rl))
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                   "simConfig.recordLFP: expected a list of electrode positions [x, y, z] (µm)");
      return NULL;
    }
  a = json_node_get_array (rl);
  if (json_array_get_length (a) == 0)
    return NULL;
  if ((guint) method >= NL_LFP_N_METHODS || !(sigma > 0) || !isfinite (sigma))
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID, "LFP: unknown method %d or conductivity %g S/m not positive",
                   (int) method, sigma);
      return NULL;
    }
  p = g_new0 (NlLfpPlan, 1);
  p->warnings = g_ptr_array_new_with_free_func (g_free);
  p->net = net;
  p->np = nl_spec_get_net_params (spec);
  p->method = method;
  p->sigma = sigma;
  p->step = step_ms;
  p->pt3d_relative = !(sc && json_object_has_member (sc, "pt3dRelativeToCellLocation"))
                     || truthy (sc, "pt3dRelativeToCellLocation");
  p->inverted_y = !(sc && json_object_has_member (sc, "invertedYCoord")) || truthy (sc, "invertedYCoord");
  p->n_cells = nl_network_get_n_cells (net);
  p->n_elec = json_array_get_length (a);
  p->elec_user = g_new (double, 3 * p->n_elec);
  p->elec = g_new (double, 3 * p->n_elec);
  for (guint i = 0; i < p->n_elec; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonArray *xyz = JSON_NODE_HOLDS_ARRAY (e) ? json_node_get_array (e) : NULL;
      if (!xyz || json_array_get_length (xyz) != 3)
        goto bad;
      for (guint k = 0; k < 3; k++)
        if (!node_number (json_array_get_element (xyz, k), &p->elec_user[3 * i + k])
            || !isfinite (p->elec_user[3 * i + k]))
          goto bad;
      p->elec[3 * i] = p->elec_user[3 * i];
      p->elec[3 * i + 1] = -p->elec_user[3 * i + 1];
      p->elec[3 * i + 2] = p->elec_user[3 * i + 2];
      continue;
    bad:
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                   "simConfig.recordLFP[%u]: expected an electrode position [x, y, z] of three numbers (µm)", i);
      return NULL;
    }

  /* saveLFPPops: true for every population, or a list of names (NetPyNE skips unknown ones). */
  p->part_of_pop = g_new (int, MAX (n_pops, 1));
  p->pop_parts = g_new0 (guint, MAX (n_pops, 1));
  for (guint i = 0; i < n_pops; i++)
    p->part_of_pop[i] = -1;
  if (sc && json_object_has_member (sc, "saveLFPPops"))
    {
      JsonNode *n = json_object_get_member (sc, "saveLFPPops");
      if (JSON_NODE_HOLDS_ARRAY (n))
        {
          JsonArray *l = json_node_get_array (n);
          for (guint i = 0; i < json_array_get_length (l); i++)
            {
              JsonNode *e = json_array_get_element (l, i);
              const char *name = JSON_NODE_TYPE (e) == JSON_NODE_VALUE && json_node_get_value_type (e) == G_TYPE_STRING
                                 ? json_node_get_string (e) : NULL;
              int k = name ? nl_network_find_pop (net, name) : -1;
              if (k < 0)
                g_ptr_array_add (p->warnings, g_strdup_printf ("simConfig.saveLFPPops[%u]: no population '%s'; ignored",
                                                               i, name ? name : "?"));
              else if (p->part_of_pop[k] < 0)
                {
                  p->part_of_pop[k] = p->n_pop_parts;
                  p->pop_parts[p->n_pop_parts++] = k;
                }
            }
        }
      else if (truthy (sc, "saveLFPPops"))
        for (guint k = 0; k < n_pops; k++)
          {
            p->part_of_pop[k] = p->n_pop_parts;
            p->pop_parts[p->n_pop_parts++] = k;
          }
    }
  if (cell_parts)
    p->cell_parts = g_memdup2 (cell_parts, MAX (p->n_cells, 1) * sizeof (gboolean));
  p->seg_first = g_new0 (guint64, MAX (p->n_cells, 1));
  p->seg_n = g_new0 (guint, MAX (p->n_cells, 1));
  p->segs = g_array_new (FALSE, FALSE, sizeof (double));
  return g_steal_pointer (&p);
}

static gboolean
write_block (FILE *f, const double *x, gsize n)
{
  double c = n;
  return fwrite (&c, sizeof c, 1, f) == 1 && (n == 0 || fwrite (x, sizeof (double), n, f) == n);
}

gboolean
nl_lfp_plan_write_geom_cells (NlLfpPlan *p, const char *dir, GError **error)
{
  NlNetwork *net = p->net;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = g_build_filename (dir, "geom_cells.bin", NULL);
  FILE *f;
  gboolean ok;

  for (guint gid = 0; gid < p->n_cells; gid++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      if (pop->artificial)
        continue;
      guint nf = nl_network_get_n_cell_funcs (net, pop->cell_rule);
      const double *vals = nf ? nl_network_get_cell_values (net, gid) : NULL;
      double hdr[3] = { gid, pop->cell_rule, nf };
      g_array_append_vals (cells, hdr, 3);
      if (nf)
        g_array_append_vals (cells, vals, nf);
    }
  f = fopen (path, "wb");
  if (!f)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write", path);
      return FALSE;
    }
  /* The rank file's blocks: cells, then empty syns, stims, netcons, recs, gaps and lfp. */
  ok = write_block (f, (double *) cells->data, cells->len);
  for (guint i = 0; i < 6; i++)
    ok = ok && write_block (f, NULL, 0);
  ok = (fclose (f) == 0) && ok;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: write failed", path);
  return ok;
}

/* numpy.interp: linear in x between the points (xs increasing; ys every `stride` doubles),
   the end values outside. */
static double
interp (double x, const double *xs, const double *ys, guint n, guint stride)
{
  if (x <= xs[0])
    return ys[0];
  if (x >= xs[n - 1])
    return ys[(n - 1) * stride];
  guint lo = 0, hi = n - 1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (xs[mid] <= x)
        lo = mid;
      else
        hi = mid;
    }
  double x0 = xs[lo], x1 = xs[hi];
  if (x1 == x0)
    return ys[hi * stride];
  return ys[lo * stride] + (ys[hi * stride] - ys[lo * stride]) * (x - x0) / (x1 - x0);
}

static gboolean
has_pt3d (JsonObject *sec)
{
  JsonObject *geom = obj_member (sec, "geom");
  JsonNode *pt = geom && json_object_has_member (geom, "pt3d") ? json_object_get_member (geom, "pt3d") : NULL;
  return pt && JSON_NODE_HOLDS_ARRAY (pt) && json_array_get_length (json_node_get_array (pt)) > 0;
}

/* Segments as NetPyNE places them for its LFP (CompartCell.updateShape, Pop.calcRelativeSegCoords,
 * calcAbsSegCoords), from the 3D points NEURON has after define_shape():
 * - sections with pt3d in the model: their points, moved to the cell's position (x, −y, z) as
 *   NetPyNE creates them (pt3dRelativeToCellLocation, invertedYCoord: both true by default);
 * - sections without: NetPyNE swaps define_shape()'s x and y, sets z to 0 and moves them to
 *   (x, −y, z);
 * - segment i of nseg runs from the points at arc fractions i/nseg to (i+1)/nseg, linearly
 *   interpolated; its diameter is NEURON's diam at its middle.
 * Unlike NetPyNE, which takes the shape of one cell per population and rank, every cell's own
 * geometry is used (the same when cells of a population share their morphology). */
gboolean
nl_lfp_plan_read_geometry (NlLfpPlan *p, const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "geom.bin", NULL);
  g_autofree char *data = NULL;
  gsize len, n, i = 1;
  const double *d;
  JsonObject *cps = obj_member (p->np, "cellParams");
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  const double *cx = nl_network_get_coords (p->net, NL_COORD_X);
  const double *cy = nl_network_get_coords (p->net, NL_COORD_Y);
  const double *cz = nl_network_get_coords (p->net, NL_COORD_Z);
  gboolean rel = p->pt3d_relative, inv = p->inverted_y;

  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  d = (const double *) data;
  n = len / sizeof (double);
  if (len % sizeof (double) || n < 1 || d[0] != n - 1)
    goto bad;
  memset (p->seg_n, 0, MAX (p->n_cells, 1) * sizeof (guint));
  g_array_set_size (p->segs, 0);
#define NEED(k) do { if (i + (k) > n) goto bad; } while (0)
  while (i < n)
    {
      NEED (2);
      double g = d[i], nsec = d[i + 1];
      i += 2;
      if (!(g >= 0 && g < p->n_cells && g == floor (g)))
        goto bad;
      guint gid = (guint) g;
      const NlNetPop *pop = nl_network_get_pop (p->net, nl_network_cell_pop (p->net, gid));
      if (pop->artificial)
        goto bad;
      JsonObject *secs = obj_member (obj_member (cps, nl_network_get_cell_rule (p->net, pop->cell_rule)), "secs");
      g_autoptr(GList) names = secs ? json_object_get_members (secs) : NULL;
      if (nsec != g_list_length (names))
        goto bad;
      gboolean any_pt3d = FALSE;
      for (GList *l = names; l; l = l->next)
        any_pt3d |= has_pt3d (obj_member (secs, l->data));
      double x = cx ? cx[gid] : 0, y = cy ? cy[gid] : 0, z = cz ? cz[gid] : 0;
      /* where NetPyNE puts a section with pt3d (its own translation at creation) */
      double ox = rel ? x : 0, oy = rel ? (inv ? -y : y) : 0, oz = rel ? z : 0;
      p->seg_first[gid] = p->segs->len / 7;
      p->seg_n[gid] = 0;
      for (GList *l = names; l; l = l->next)
        {
          NEED (3);
          double nseg = d[i], L = d[i + 1], n3d = d[i + 2];
          i += 3;
          if (!(nseg >= 1 && nseg <= 32767 && nseg == floor (nseg) && n3d >= 1 && n3d == floor (n3d) && L > 0))
            goto bad;
          NEED (4 * (gsize) n3d + (gsize) nseg);
          const double *pts = d + i;
          const double *diams = pts + 4 * (gsize) n3d;
          gboolean own = has_pt3d (obj_member (secs, l->data));
          g_array_set_size (xs, (guint) n3d);
          for (guint k = 0; k < (guint) n3d; k++)
            g_array_index (xs, double, k) = pts[4 * k + 3] / L;
          for (guint s = 0; s < (guint) nseg; s++)
            {
              double segx = (s + 0.5) / nseg;
              double l0 = segx - 0.5 / nseg, l1 = segx + 0.5 / nseg;
              double seg[7];
              for (guint e = 0; e < 2; e++)
                {
                  double at = e ? l1 : l0;
                  double X = interp (at, (double *) xs->data, pts, (guint) n3d, 4);
                  double Y = interp (at, (double *) xs->data, pts + 1, (guint) n3d, 4);
                  double Z = interp (at, (double *) xs->data, pts + 2, (guint) n3d, 4);
                  if (own)
                    {
                      seg[3 * e] = X + ox;
                      seg[3 * e + 1] = Y + oy;
                      seg[3 * e + 2] = Z + oz;
                    }
                  else
                    {
                      double Xn = X + (any_pt3d ? ox : 0), Yn = Y + (any_pt3d ? oy : 0);
                      seg[3 * e] = x + Yn;
                      seg[3 * e + 1] = -y + Xn;
                      seg[3 * e + 2] = z;
                    }
                }
              seg[6] = diams[s];
              for (guint k = 0; k < 7; k++)
                if (!isfinite (seg[k]))
                  goto bad;
              g_array_append_vals (p->segs, seg, 7);
              p->seg_n[gid]++;
            }
          i += 4 * (gsize) n3d + (gsize) nseg;
        }
    }
#undef NEED
  return TRUE;
bad:
  /* no half-read geometry */
  memset (p->seg_n, 0, MAX (p->n_cells, 1) * sizeof (guint));
  g_array_set_size (p->segs, 0);
  g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed geometry from NEURON's pre-pass", path);
  return FALSE;
}

/* One matrix product of a rank's sample: n_elec rows from columns off … off+ncol-1 of the
 * rank's segments (its cells with sections in gid order, so a population's are contiguous).
 * Without population parts one job covers every segment and gives the total; with them, one
 * job per population present (its rows add to the total, and are its part when it has one), so
 * that each segment is multiplied once. Then one job per kept cell. */
typedef struct {
  guint64 off, ncol;
  int     pop;    /* population index, or -1 for all segments */
  int     gid;    /* a kept cell's job, or -1 */
} Job;

void
nl_lfp_plan_set_rank_of (NlLfpPlan *p, const guint *rank_of)
{
  g_clear_pointer (&p->rank_of, g_free);
  if (rank_of)
    p->rank_of = g_memdup2 (rank_of, MAX (p->n_cells, 1) * sizeof (guint));
}

/* The segments of gid if rank simulates it, else 0. */
static inline guint
rank_seg_n (NlLfpPlan *p, guint gid, guint rank, guint n_ranks)
{
  return (p->rank_of ? p->rank_of[gid] : gid % n_ranks) == rank ? p->seg_n[gid] : 0;
}

static GArray *
rank_jobs (NlLfpPlan *p, guint rank, guint n_ranks, guint64 *n_seg_out)
{
  GArray *jobs = g_array_new (FALSE, FALSE, sizeof (Job));
  guint64 n_seg = 0;
  for (guint gid = 0; gid < p->n_cells; gid++)
    {
      guint ns = rank_seg_n (p, gid, rank, n_ranks);
      int pop = nl_network_cell_pop (p->net, gid);
      if (!ns)
        continue;
      if (p->n_pop_parts == 0)
        {
          if (jobs->len == 0)
            g_array_append_val (jobs, ((Job) { 0, 0, -1, -1 }));
          g_array_index (jobs, Job, 0).ncol += ns;
        }
      else
        {
          Job *last = jobs->len ? &g_array_index (jobs, Job, jobs->len - 1) : NULL;
          if (!last || last->pop != pop)
            g_array_append_val (jobs, ((Job) { n_seg, 0, pop, -1 }));
          g_array_index (jobs, Job, jobs->len - 1).ncol += ns;
        }
      n_seg += ns;
    }
  n_seg = 0;
  for (guint gid = 0; gid < p->n_cells; gid++)
    {
      guint ns = rank_seg_n (p, gid, rank, n_ranks);
      if (ns && p->cell_parts && p->cell_parts[gid])
        g_array_append_val (jobs, ((Job) { n_seg, ns, -1, (int) gid }));
      n_seg += ns;
    }
  *n_seg_out = n_seg;
  return jobs;
}

void
nl_lfp_plan_rank_block (NlLfpPlan *p, guint rank, guint n_ranks, GArray *block)
{
  guint64 n_seg;
  g_autoptr(GArray) jobs = rank_jobs (p, rank, n_ranks, &n_seg);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (guint));   /* the rank's, with segments */
  guint ne = p->n_elec;
  g_autofree double *tr = NULL;
  guint max_seg = 0;

  for (guint gid = 0; gid < p->n_cells; gid++)
    if (rank_seg_n (p, gid, rank, n_ranks))
      {
        g_array_append_val (cells, gid);
        max_seg = MAX (max_seg, p->seg_n[gid]);
      }
  double hdr[3] = { ne, n_seg, jobs->len };
  g_array_append_vals (block, hdr, 3);
  tr = g_new (double, (gsize) ne * MAX (max_seg, 1));
  for (guint j = 0; j < jobs->len; j++)
    {
      const Job *job = &g_array_index (jobs, Job, j);
      double jh[3] = { job->off, job->ncol, ne };
      guint64 col = 0;
      g_array_append_vals (block, jh, 3);
      /* the columns of the cells in the job's range, in order (column order for from_vector) */
      for (guint i = 0; i < cells->len; i++)
        {
          guint gid = g_array_index (cells, guint, i);
          guint ns = p->seg_n[gid];
          if (col >= job->off && col < job->off + job->ncol)
            {
              nl_lfp_transfer_matrix (p->method, p->sigma, &g_array_index (p->segs, double, 7 * p->seg_first[gid]),
                                      ns, p->elec, ne, tr);
              for (guint s = 0; s < ns; s++)
                for (guint e = 0; e < ne; e++)
                  g_array_append_val (block, tr[(gsize) e * ns + s]);
            }
          col += ns;
        }
    }
}

gboolean
nl_lfp_plan_read_results (NlLfpPlan *p, const char *dir, guint n_ranks, NlResults *res, GError **error)
{
  guint ne = p->n_elec;
  g_autofree char **data = g_new0 (char *, n_ranks);
  g_autofree gsize *rows = g_new0 (gsize, n_ranks);
  guint64 n_samples = G_MAXUINT64;
  gboolean ok = FALSE;
  double *total = NULL;
  double **pops = NULL;
  double **cells = NULL;   /* per gid with a part of its own */

  for (guint r = 0; r < n_ranks; r++)
    {
      g_autofree char *name = g_strdup_printf ("lfp_%u.bin", r);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      guint64 n_seg;
      g_autoptr(GArray) jobs = rank_jobs (p, r, n_ranks, &n_seg);
      gsize len;
      double hdr[2];
      if (!g_file_get_contents (path, &data[r], &len, error))
        goto out;
      if (len < sizeof hdr)
        goto bad;
      memcpy (hdr, data[r], sizeof hdr);
      rows[r] = (gsize) jobs->len * ne;
      if (!(hdr[1] >= 0 && hdr[1] <= 1e12 && hdr[1] == floor (hdr[1])) || (hdr[1] > 0 && hdr[0] != rows[r])
          || len != sizeof hdr + (gsize) hdr[0] * (gsize) hdr[1] * sizeof (double))
        goto bad;
      n_samples = MIN (n_samples, (guint64) hdr[1]);
      continue;
    bad:
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed LFP file", path);
      goto out;
    }
  if (n_samples == G_MAXUINT64)
    n_samples = 0;
  total = g_new0 (double, MAX (n_samples * ne, 1));
  pops = g_new0 (double *, MAX (p->n_pop_parts, 1));
  for (guint k = 0; k < p->n_pop_parts; k++)
    pops[k] = g_new0 (double, MAX (n_samples * ne, 1));
  cells = g_new0 (double *, MAX (p->n_cells, 1));
  for (guint gid = 0; p->cell_parts && gid < p->n_cells; gid++)
    if (p->cell_parts[gid])
      cells[gid] = g_new0 (double, MAX (n_samples * ne, 1));
  for (guint r = 0; r < n_ranks; r++)
    {
      const double *v = (const double *) (data[r] + 2 * sizeof (double));
      guint64 n_seg;
      g_autoptr(GArray) jobs = rank_jobs (p, r, n_ranks, &n_seg);
      for (guint j = 0; j < jobs->len; j++)
        {
          const Job *job = &g_array_index (jobs, Job, j);
          int part = job->pop >= 0 ? p->part_of_pop[job->pop] : -1;
          for (guint64 s = 0; s < n_samples; s++)
            {
              const double *row = v + s * rows[r] + (gsize) j * ne;
              double *dst = job->gid >= 0 ? cells[job->gid] + s * ne : total + s * ne;
              for (guint e = 0; e < ne; e++)
                dst[e] += row[e];
              for (guint e = 0; part >= 0 && e < ne; e++)
                pops[part][s * ne + e] += row[e];
            }
        }
    }
  nl_results_set_lfp (res, g_steal_pointer (&total), n_samples, ne, p->step);
  nl_results_set_lfp_electrodes (res, g_memdup2 (p->elec_user, 3 * ne * sizeof (double)), ne);
  for (guint k = 0; k < p->n_pop_parts; k++)
    nl_results_add_lfp_part (res, NL_LFP_PART_POP, nl_network_get_pop (p->net, p->pop_parts[k])->name, G_MAXUINT32,
                             g_steal_pointer (&pops[k]));
  for (guint gid = 0; p->cell_parts && gid < p->n_cells; gid++)
    if (cells[gid])
      nl_results_add_lfp_part (res, NL_LFP_PART_CELL, NULL, gid, g_steal_pointer (&cells[gid]));
  ok = TRUE;
out:
  for (guint r = 0; r < n_ranks; r++)
    g_free (data[r]);
  g_free (total);
  for (guint k = 0; pops && k < p->n_pop_parts; k++)
    g_free (pops[k]);
  g_free (pops);
  for (guint gid = 0; cells && gid < p->n_cells; gid++)
    g_free (cells[gid]);
  g_free (cells);
  return ok;
}
