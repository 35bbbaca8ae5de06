#include "nl-sonata-net.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Reading SONATA nodes and edges files (see nl-sonata-net.h). A hostile file must give an
 * error, never a crash or an allocation beyond what the file can hold: every dataset's
 * class, rank and length are checked before it is read, and every id and index after. */

typedef struct {
  const char *filename;
  goffset     file_size;
  hid_t       file;
} Rd;

static gboolean
fail (GError **error, const Rd *rd, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const Rd *rd, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (error && !*error)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", rd->filename, msg);
  return FALSE;
}

static gboolean
open_file (Rd *rd, const char *path, const char *top, GError **error)
{
  GStatBuf st;
  static gsize once;
  if (g_once_init_enter (&once))
    {
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
  rd->filename = path;
  rd->file = -1;
  if (g_stat (path, &st) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", path, g_strerror (e));
      return FALSE;
    }
  rd->file_size = st.st_size;
  rd->file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (rd->file < 0)
    return fail (error, rd, "cannot open as HDF5 (truncated or corrupt file)");
  if (H5Aexists (rd->file, "magic") > 0)
    {
      guint32 magic = 0;
      hid_t a = H5Aopen (rd->file, "magic", H5P_DEFAULT);
      hid_t sp = a >= 0 ? H5Aget_space (a) : -1;
      gboolean ok = sp >= 0 && H5Sget_simple_extent_npoints (sp) == 1
                    && H5Aread (a, H5T_NATIVE_UINT32, &magic) >= 0 && magic == 0x0A7A;
      if (sp >= 0) H5Sclose (sp);
      if (a >= 0) H5Aclose (a);
      if (!ok)
        return fail (error, rd, "/ attribute 'magic': expected 0x0A7A (SONATA)");
    }
  if (H5Lexists (rd->file, top, H5P_DEFAULT) <= 0)
    return fail (error, rd, "/%s: missing (not a SONATA %s file)", top, top);
  return TRUE;
}

/* A string attribute (variable or fixed length), or NULL. */
static char *
string_attr (hid_t obj, const char *name)
{
  hid_t a, type, space, mem = -1;
  char *r = NULL;
  if (H5Aexists (obj, name) <= 0 || (a = H5Aopen (obj, name, H5P_DEFAULT)) < 0)
    return NULL;
  type = H5Aget_type (a);
  space = H5Aget_space (a);
  if (type >= 0 && space >= 0 && H5Tget_class (type) == H5T_STRING
      && H5Sget_simple_extent_npoints (space) == 1)
    {
      mem = H5Tcopy (H5T_C_S1);
      if (H5Tis_variable_str (type) > 0)
        {
          char *s = NULL;
          H5Tset_size (mem, H5T_VARIABLE);
          if (H5Aread (a, mem, &s) >= 0 && s)
            {
              r = g_strdup (s);
              H5free_memory (s);
            }
        }
      else
        {
          size_t size = H5Tget_size (type);
          if (size > 0 && size <= 4096)
            {
              g_autofree char *buf = g_malloc0 (size + 1);
              H5Tset_size (mem, size + 1);
              H5Tset_strpad (mem, H5T_STR_NULLTERM);
              if (H5Aread (a, mem, buf) >= 0)
                r = g_strndup (buf, size);
            }
        }
    }
  if (mem >= 0) H5Tclose (mem);
  if (space >= 0) H5Sclose (space);
  if (type >= 0) H5Tclose (type);
  H5Aclose (a);
  return r;
}

/* Reads dataset `name` of `group` (shown as `path`): class `klass`, rank 1 (cols 1) or n × 2
 * (cols 2), `expect` rows unless G_MAXUINT64. Integers come back as guint64 (signed ones
 * checked non-negative), floats as double. */
static gboolean
read_ds (const Rd *rd, hid_t group, const char *name, const char *path, H5T_class_t klass,
         int cols, guint64 expect, guint64 *n_out, void **data_out, GError **error)
{
  hid_t ds = -1, space = -1, type = -1, dcpl = -1;
  hsize_t dims[2] = { 0, 0 };
  gboolean ok = FALSE;
  void *data = NULL;

  if (H5Lexists (group, name, H5P_DEFAULT) <= 0)
    return fail (error, rd, "%s: missing", path);
  ds = H5Dopen2 (group, name, H5P_DEFAULT);
  if (ds < 0)
    return fail (error, rd, "%s: not a readable dataset", path);
  space = H5Dget_space (ds);
  type = H5Dget_type (ds);
  int rank = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;
  if (space < 0 || type < 0)
    fail (error, rd, "%s: cannot read its type or shape", path);
  else if (rank != (cols == 2 ? 2 : 1) || H5Sget_simple_extent_dims (space, dims, NULL) != rank
           || (cols == 2 && dims[1] != 2))
    fail (error, rd, cols == 2 ? "%s: expected an (n, 2) dataset" : "%s: expected a 1-D dataset", path);
  else if (H5Tget_class (type) != klass)
    fail (error, rd, "%s: expected %s values", path, klass == H5T_FLOAT ? "floating-point" : "integer");
  else if (expect != G_MAXUINT64 && dims[0] != expect)
    fail (error, rd, "%s: %" G_GUINT64_FORMAT " values where %" G_GUINT64_FORMAT " were expected "
          "(datasets of one table must have equal lengths)", path, (guint64) dims[0], expect);
  else
    {
      size_t elem = H5Tget_size (type);
      int n_filters;
      dcpl = H5Dget_create_plist (ds);
      n_filters = dcpl >= 0 ? H5Pget_nfilters (dcpl) : 0;
      /* Uncompressed data cannot be larger than the file; deflate packs at most ~1032:1. */
      double limit = (double) rd->file_size * (n_filters > 0 ? 1100.0 : 1.0) + 4096;
      guint64 count = (guint64) dims[0] * (cols == 2 ? 2 : 1);
      if (elem == 0 || elem > 8)
        fail (error, rd, "%s: unsupported element size %zu", path, elem);
      else if ((double) H5Dget_storage_size (ds) > (double) rd->file_size
               || (double) count * (double) elem > limit || dims[0] > ((guint64) 1 << 40))
        fail (error, rd, "%s: declares %" G_GUINT64_FORMAT " values, more than the %" G_GINT64_FORMAT
              "-byte file can hold (truncated or corrupt)", path, (guint64) dims[0], (gint64) rd->file_size);
      else if (klass == H5T_FLOAT)
        {
          double *d = g_new (double, MAX (count, 1));
          data = d;
          if (count && H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d) < 0)
            fail (error, rd, "%s: cannot read (truncated or corrupt)", path);
          else
            ok = TRUE;
          for (guint64 i = 0; ok && i < count; i++)
            if (!isfinite (d[i]))
              ok = fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: not a finite number", path, i);
        }
      else
        {
          gboolean is_signed = H5Tget_sign (type) == H5T_SGN_2;
          guint64 *u = g_new (guint64, MAX (count, 1));
          data = u;
          if (count && H5Dread (ds, is_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL,
                                H5P_DEFAULT, u) < 0)
            fail (error, rd, "%s: cannot read (truncated or corrupt)", path);
          else
            ok = TRUE;
          for (guint64 i = 0; ok && is_signed && i < count; i++)
            if ((gint64) u[i] < 0 && !g_str_equal (name, "afferent_section_id"))
              ok = fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: negative value %" G_GINT64_FORMAT,
                         path, i / (cols == 2 ? 2 : 1), (gint64) u[i]);
        }
    }
  if (dcpl >= 0) H5Pclose (dcpl);
  if (type >= 0) H5Tclose (type);
  if (space >= 0) H5Sclose (space);
  H5Dclose (ds);
  if (!ok)
    {
      g_free (data);
      return FALSE;
    }
  *n_out = dims[0];
  *data_out = data;
  return TRUE;
}

#if H5_VERSION_GE (1, 12, 0)
typedef H5L_info2_t LinkInfo;
#define ITERATE H5Literate2
#else
typedef H5L_info_t LinkInfo;
#define ITERATE H5Literate
#endif

static herr_t
collect_name (hid_t group, const char *name, const LinkInfo *info, void *data)
{
  (void) group; (void) info;
  GPtrArray *names = data;
  if (names->len >= 100000)
    return 1;
  g_ptr_array_add (names, g_strdup (name));
  return 0;
}

/* Population names under /top, in name order. */
static GPtrArray *
list_pops (const Rd *rd, const char *top, hid_t *group, GError **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  *group = H5Gopen2 (rd->file, top, H5P_DEFAULT);
  if (*group < 0 || ITERATE (*group, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, names) < 0)
    {
      fail (error, rd, "/%s: cannot list its populations (not a group, or corrupt)", top);
      g_ptr_array_unref (names);
      return NULL;
    }
  return names;
}

/* The distinct group ids in `ids` (at most 1000: no real file has more). */
static GArray *
distinct_groups (const Rd *rd, const char *path, const guint64 *ids, guint64 n, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *groups = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint64 i = 0; i < n; i++)
    if (!g_hash_table_contains (seen, &ids[i]))
      {
        if (groups->len >= 1000 || ids[i] > G_MAXUINT32)
          {
            fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: group id %" G_GUINT64_FORMAT " out of range",
                  path, i, ids[i]);
            g_array_unref (groups);
            return NULL;
          }
        g_hash_table_add (seen, (gpointer) &ids[i]);
        g_array_append_val (groups, ids[i]);
      }
  return groups;
}

/* ------------------------------------------------------------------------------------------ */
/* Nodes                                                                                       */

void
nl_sonata_nodes_free (NlSonataNodes *nodes)
{
  if (!nodes)
    return;
  for (guint i = 0; i < nodes->n_pops; i++)
    {
      NlSonataNodePop *p = &nodes->pops[i];
      g_free (p->name);
      g_free (p->node_type_id);
      g_free (p->x);
      g_free (p->y);
      g_free (p->z);
    }
  g_free (nodes->pops);
  g_free (nodes);
}

static gboolean
read_node_pop (const Rd *rd, hid_t nodes, const char *name, NlSonataNodePop *out, GError **error)
{
  g_autofree char *base = g_strdup_printf ("/nodes/%s", name);
  g_autofree char *p_type = g_strconcat (base, "/node_type_id", NULL);
  g_autofree char *p_gid = g_strconcat (base, "/node_group_id", NULL);
  g_autofree char *p_gidx = g_strconcat (base, "/node_group_index", NULL);
  g_autofree char *p_id = g_strconcat (base, "/node_id", NULL);
  g_autofree guint64 *gid = NULL, *gidx = NULL, *ids = NULL;
  g_autoptr(GArray) groups = NULL;
  guint64 n = 0, m;
  gboolean ok = FALSE, positions = TRUE;
  hid_t pop = H5Gopen2 (nodes, name, H5P_DEFAULT);

  out->name = g_strdup (name);
  if (pop < 0)
    return fail (error, rd, "%s: not a readable group", base);
  if (!read_ds (rd, pop, "node_type_id", p_type, H5T_INTEGER, 1, G_MAXUINT64, &n, (void **) &out->node_type_id, error)
      || !read_ds (rd, pop, "node_group_id", p_gid, H5T_INTEGER, 1, n, &m, (void **) &gid, error)
      || !read_ds (rd, pop, "node_group_index", p_gidx, H5T_INTEGER, 1, n, &m, (void **) &gidx, error)
      || (H5Lexists (pop, "node_id", H5P_DEFAULT) > 0
          && !read_ds (rd, pop, "node_id", p_id, H5T_INTEGER, 1, n, &m, (void **) &ids, error)))
    goto out;
  out->n_nodes = n;
  groups = distinct_groups (rd, p_gid, gid, n, error);
  if (!groups)
    goto out;
  for (guint k = 0; k < groups->len && positions; k++)
    {
      g_autofree char *gname = g_strdup_printf ("%" G_GUINT64_FORMAT, g_array_index (groups, guint64, k));
      g_autofree char *gpath = g_strdup_printf ("%s/%s", base, gname);
      if (H5Lexists (pop, gname, H5P_DEFAULT) <= 0)
        {
          fail (error, rd, "%s: missing (node_group_id refers to it)", gpath);
          goto out;
        }
      hid_t g = H5Gopen2 (pop, gname, H5P_DEFAULT);
      if (g < 0)
        {
          fail (error, rd, "%s: not a readable group", gpath);
          goto out;
        }
      positions = H5Lexists (g, "x", H5P_DEFAULT) > 0 && H5Lexists (g, "y", H5P_DEFAULT) > 0
                  && H5Lexists (g, "z", H5P_DEFAULT) > 0;
      H5Gclose (g);
    }
  if (positions && n > 0)
    {
      double *xyz[3] = { g_new (double, n), g_new (double, n), g_new (double, n) };
      out->x = xyz[0];
      out->y = xyz[1];
      out->z = xyz[2];
      for (guint k = 0; k < groups->len; k++)
        {
          guint64 g_id = g_array_index (groups, guint64, k), size = G_MAXUINT64;
          g_autofree char *gname = g_strdup_printf ("%" G_GUINT64_FORMAT, g_id);
          hid_t g = H5Gopen2 (pop, gname, H5P_DEFAULT);
          gboolean gok = TRUE;
          for (int c = 0; c < 3 && gok; c++)
            {
              static const char *const xyz_names[] = { "x", "y", "z" };
              g_autofree char *path = g_strdup_printf ("%s/%s/%s", base, gname, xyz_names[c]);
              g_autofree double *v = NULL;
              guint64 len;
              gok = read_ds (rd, g, xyz_names[c], path, H5T_FLOAT, 1, size, &len, (void **) &v, error);
              size = len;
              for (guint64 i = 0; gok && i < n; i++)
                if (gid[i] == g_id)
                  {
                    if (gidx[i] >= len)
                      gok = fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: index %" G_GUINT64_FORMAT
                                  " beyond the %" G_GUINT64_FORMAT " rows of group %s", p_gidx, i,
                                  gidx[i], len, gname);
                    else
                      xyz[c][i] = v[gidx[i]];
                  }
            }
          H5Gclose (g);
          if (!gok)
            goto out;
        }
    }
  ok = TRUE;
out:
  H5Gclose (pop);
  return ok;
}

NlSonataNodes *
nl_sonata_read_nodes (const char  *path,
                      GError     **error)
{
  Rd rd;
  hid_t nodes = -1;
  g_autoptr(GPtrArray) names = NULL;
  NlSonataNodes *r = g_new0 (NlSonataNodes, 1);
  gboolean ok = FALSE;

  if (!open_file (&rd, path, "nodes", error))
    goto out;
  names = list_pops (&rd, "nodes", &nodes, error);
  if (!names)
    goto out;
  r->pops = g_new0 (NlSonataNodePop, MAX (names->len, 1));
  for (guint i = 0; i < names->len; i++)
    {
      r->n_pops = i + 1;
      if (!read_node_pop (&rd, nodes, names->pdata[i], &r->pops[i], error))
        goto out;
    }
  ok = TRUE;
out:
  if (nodes >= 0)
    H5Gclose (nodes);
  if (rd.file >= 0)
    H5Fclose (rd.file);
  if (!ok)
    {
      nl_sonata_nodes_free (r);
      return NULL;
    }
  return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Edges                                                                                       */

static void
index_clear (NlSonataIndex *x)
{
  g_free (x->node_ranges);
  g_free (x->edge_ranges);
}

void
nl_sonata_edges_free (NlSonataEdges *edges)
{
  if (!edges)
    return;
  for (guint i = 0; i < edges->n_pops; i++)
    {
      NlSonataEdgePop *p = &edges->pops[i];
      g_free (p->name);
      g_free (p->source_pop);
      g_free (p->target_pop);
      g_free (p->source);
      g_free (p->target);
      g_free (p->edge_type_id);
      g_free (p->syn_weight);
      g_free (p->delay);
      g_free (p->section_pos);
      g_free (p->section_id);
      index_clear (&p->source_index);
      index_clear (&p->target_index);
    }
  g_free (edges->pops);
  g_free (edges);
}

/* One index group, checked against the node ids it indexes: every edge is reached exactly
 * once, through the ranges of its own node. */
static gboolean
read_index (const Rd *rd, hid_t pop, const char *base, const char *which, const guint64 *ids,
            guint64 n_edges, NlSonataIndex *x, GError **error)
{
  g_autofree char *gpath = g_strdup_printf ("%s/indices/%s", base, which);
  g_autofree char *rel = g_strdup_printf ("indices/%s", which);
  const char *nname = "node_id_to_range";
  gboolean ok = FALSE;
  hid_t g;

  if (H5Lexists (pop, "indices", H5P_DEFAULT) <= 0 || H5Lexists (pop, rel, H5P_DEFAULT) <= 0
      || (g = H5Gopen2 (pop, rel, H5P_DEFAULT)) < 0)
    return fail (error, rd, "%s: missing or not a group", gpath);
  if (H5Lexists (g, nname, H5P_DEFAULT) <= 0)
    nname = "node_id_to_ranges";
  g_autofree char *npath = g_strdup_printf ("%s/%s", gpath, nname);
  g_autofree char *rpath = g_strdup_printf ("%s/range_to_edge_id", gpath);
  if (!read_ds (rd, g, nname, npath, H5T_INTEGER, 2, G_MAXUINT64, &x->n_nodes, (void **) &x->node_ranges, error)
      || !read_ds (rd, g, "range_to_edge_id", rpath, H5T_INTEGER, 2, G_MAXUINT64, &x->n_ranges,
                   (void **) &x->edge_ranges, error))
    goto out;
  {
    g_autofree guint8 *seen = g_new0 (guint8, n_edges / 8 + 1);
    guint64 covered = 0;
    for (guint64 k = 0; k < x->n_nodes; k++)
      {
        guint64 a = x->node_ranges[2 * k], b = x->node_ranges[2 * k + 1];
        if (a > b || b > x->n_ranges)
          {
            fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: range rows [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                  ") outside the %" G_GUINT64_FORMAT " rows of range_to_edge_id", npath, k, a, b, x->n_ranges);
            goto out;
          }
        for (guint64 r = a; r < b; r++)
          {
            guint64 e0 = x->edge_ranges[2 * r], e1 = x->edge_ranges[2 * r + 1];
            if (e0 > e1 || e1 > n_edges)
              {
                fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: edges [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                      ") outside the %" G_GUINT64_FORMAT " edges", rpath, r, e0, e1, n_edges);
                goto out;
              }
            for (guint64 e = e0; e < e1; e++)
              {
                if (ids[e] != k || (seen[e / 8] >> (e % 8) & 1))
                  {
                    fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: edge %" G_GUINT64_FORMAT " %s", rpath, r, e,
                          ids[e] != k ? "belongs to another node" : "is listed twice");
                    goto out;
                  }
                seen[e / 8] |= 1 << (e % 8);
                covered++;
              }
          }
      }
    if (covered != n_edges)
      {
        fail (error, rd, "%s: indexes %" G_GUINT64_FORMAT " of the %" G_GUINT64_FORMAT " edges", gpath,
              covered, n_edges);
        goto out;
      }
  }
  ok = TRUE;
out:
  H5Gclose (g);
  return ok;
}

/* Per-edge values of an optional group dataset; NULL (no error) when some group lacks it. */
static gboolean
gather (const Rd *rd, hid_t pop, const char *base, const GArray *groups, const guint64 *gid,
        const guint64 *gidx, guint64 n, const char *name, H5T_class_t klass, void **out,
        GError **error)
{
  *out = NULL;
  for (guint k = 0; k < groups->len; k++)
    {
      g_autofree char *rel = g_strdup_printf ("%" G_GUINT64_FORMAT "/%s", g_array_index (groups, guint64, k), name);
      if (H5Lexists (pop, rel, H5P_DEFAULT) <= 0)
        return TRUE;
    }
  guint64 *res = g_new (guint64, MAX (n, 1));   /* 8-byte slots: doubles or integers */
  for (guint k = 0; k < groups->len; k++)
    {
      guint64 g_id = g_array_index (groups, guint64, k), len;
      g_autofree char *gname = g_strdup_printf ("%" G_GUINT64_FORMAT, g_id);
      g_autofree char *path = g_strdup_printf ("%s/%s/%s", base, gname, name);
      g_autofree guint64 *v = NULL;
      hid_t g = H5Gopen2 (pop, gname, H5P_DEFAULT);
      gboolean ok = g >= 0 && read_ds (rd, g, name, path, klass, 1, G_MAXUINT64, &len, (void **) &v, error);
      if (g >= 0)
        H5Gclose (g);
      for (guint64 i = 0; ok && i < n; i++)
        if (gid[i] == g_id)
          {
            if (gidx[i] >= len)
              ok = fail (error, rd, "%s/edge_group_index[%" G_GUINT64_FORMAT "]: %" G_GUINT64_FORMAT
                         " beyond the %" G_GUINT64_FORMAT " rows of %s", base, i, gidx[i], len, path);
            else
              res[i] = v[gidx[i]];
          }
      if (!ok)
        {
          g_free (res);
          return fail (error, rd, "%s: cannot read", path);
        }
    }
  *out = res;
  return TRUE;
}

static gboolean
read_edge_pop (const Rd *rd, hid_t edges, const char *name, NlSonataEdgePop *out, GError **error)
{
  g_autofree char *base = g_strdup_printf ("/edges/%s", name);
  g_autofree char *p_src = g_strconcat (base, "/source_node_id", NULL);
  g_autofree char *p_dst = g_strconcat (base, "/target_node_id", NULL);
  g_autofree char *p_type = g_strconcat (base, "/edge_type_id", NULL);
  g_autofree char *p_gid = g_strconcat (base, "/edge_group_id", NULL);
  g_autofree char *p_gidx = g_strconcat (base, "/edge_group_index", NULL);
  g_autofree guint64 *type = NULL, *gid = NULL, *gidx = NULL, *secs = NULL;
  g_autoptr(GArray) groups = NULL;
  guint64 n = 0, m;
  gboolean ok = FALSE;
  hid_t pop = H5Gopen2 (edges, name, H5P_DEFAULT);

  out->name = g_strdup (name);
  if (pop < 0)
    return fail (error, rd, "%s: not a readable group", base);
  if (!read_ds (rd, pop, "source_node_id", p_src, H5T_INTEGER, 1, G_MAXUINT64, &n, (void **) &out->source, error)
      || !read_ds (rd, pop, "target_node_id", p_dst, H5T_INTEGER, 1, n, &m, (void **) &out->target, error)
      || !read_ds (rd, pop, "edge_type_id", p_type, H5T_INTEGER, 1, n, &m, (void **) &type, error)
      || !read_ds (rd, pop, "edge_group_id", p_gid, H5T_INTEGER, 1, n, &m, (void **) &gid, error)
      || !read_ds (rd, pop, "edge_group_index", p_gidx, H5T_INTEGER, 1, n, &m, (void **) &gidx, error))
    goto out;
  out->n_edges = n;
  {
    hid_t ds = H5Dopen2 (pop, "source_node_id", H5P_DEFAULT);
    out->source_pop = ds >= 0 ? string_attr (ds, "node_population") : NULL;
    if (ds >= 0) H5Dclose (ds);
    ds = H5Dopen2 (pop, "target_node_id", H5P_DEFAULT);
    out->target_pop = ds >= 0 ? string_attr (ds, "node_population") : NULL;
    if (ds >= 0) H5Dclose (ds);
    if (!out->source_pop || !out->target_pop)
      {
        fail (error, rd, "%s: missing its string attribute 'node_population'",
              out->source_pop ? p_dst : p_src);
        goto out;
      }
  }
  out->edge_type_id = g_new (guint32, MAX (n, 1));
  for (guint64 i = 0; i < n; i++)
    {
      if (type[i] > G_MAXUINT32)
        {
          fail (error, rd, "%s[%" G_GUINT64_FORMAT "]: %" G_GUINT64_FORMAT " does not fit 32 bits",
                p_type, i, type[i]);
          goto out;
        }
      out->edge_type_id[i] = (guint32) type[i];
    }
  groups = distinct_groups (rd, p_gid, gid, n, error);
  if (!groups)
    goto out;
  for (guint k = 0; k < groups->len; k++)
    {
      g_autofree char *gname = g_strdup_printf ("%" G_GUINT64_FORMAT, g_array_index (groups, guint64, k));
      if (H5Lexists (pop, gname, H5P_DEFAULT) <= 0)
        {
          fail (error, rd, "%s/%s: missing (edge_group_id refers to it)", base, gname);
          goto out;
        }
    }
  if (!gather (rd, pop, base, groups, gid, gidx, n, "syn_weight", H5T_FLOAT, (void **) &out->syn_weight, error)
      || !gather (rd, pop, base, groups, gid, gidx, n, "delay", H5T_FLOAT, (void **) &out->delay, error)
      || !gather (rd, pop, base, groups, gid, gidx, n, "afferent_section_pos", H5T_FLOAT, (void **) &out->section_pos, error)
      || !gather (rd, pop, base, groups, gid, gidx, n, "afferent_section_id", H5T_INTEGER, (void **) &secs, error))
    goto out;
  if (secs)
    {
      out->section_id = g_new (gint32, MAX (n, 1));
      for (guint64 i = 0; i < n; i++)
        {
          gint64 s = (gint64) secs[i];
          if (s < -1 || s > G_MAXINT32)
            {
              fail (error, rd, "%s/…/afferent_section_id of edge %" G_GUINT64_FORMAT ": %" G_GINT64_FORMAT
                    " is not a section id", base, i, s);
              goto out;
            }
          out->section_id[i] = (gint32) s;
        }
    }
  if (H5Lexists (pop, "indices", H5P_DEFAULT) > 0)
    {
      if (!read_index (rd, pop, base, "source_to_target", out->source, n, &out->source_index, error)
          || !read_index (rd, pop, base, "target_to_source", out->target, n, &out->target_index, error))
        goto out;
      out->has_index = TRUE;
    }
  ok = TRUE;
out:
  H5Gclose (pop);
  return ok;
}

NlSonataEdges *
nl_sonata_read_edges (const char  *path,
                      GError     **error)
{
  Rd rd;
  hid_t edges = -1;
  g_autoptr(GPtrArray) names = NULL;
  NlSonataEdges *r = g_new0 (NlSonataEdges, 1);
  gboolean ok = FALSE;

  if (!open_file (&rd, path, "edges", error))
    goto out;
  names = list_pops (&rd, "edges", &edges, error);
  if (!names)
    goto out;
  r->pops = g_new0 (NlSonataEdgePop, MAX (names->len, 1));
  for (guint i = 0; i < names->len; i++)
    {
      r->n_pops = i + 1;
      if (!read_edge_pop (&rd, edges, names->pdata[i], &r->pops[i], error))
        goto out;
    }
  ok = TRUE;
out:
  if (edges >= 0)
    H5Gclose (edges);
  if (rd.file >= 0)
    H5Fclose (rd.file);
  if (!ok)
    {
      nl_sonata_edges_free (r);
      return NULL;
    }
  return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Circuit config                                                                              */

void
nl_sonata_circuit_free (NlSonataCircuit *circuit)
{
  if (!circuit)
    return;
  nl_sonata_nodes_free (circuit->nodes);
  nl_sonata_edges_free (circuit->edges);
  g_free (circuit);
}

static int
longer_first (gconstpointer a, gconstpointer b)
{
  return (int) strlen (*(const char *const *) b) - (int) strlen (*(const char *const *) a);
}

/* A path of the config with the manifest's variables substituted (they may refer to each
 * other), relative to the config's folder unless absolute. */
static char *
resolve (JsonObject *manifest, const char *dir, const char *value)
{
  g_autofree char *s = g_strdup (value);
  if (manifest)
    {
      g_autoptr(GList) names = json_object_get_members (manifest);
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      for (GList *l = names; l; l = l->next)
        g_ptr_array_add (sorted, l->data);
      g_ptr_array_sort (sorted, longer_first);
      for (int pass = 0; pass < 8 && strchr (s, '$'); pass++)
        for (guint i = 0; i < sorted->len; i++)
          {
            const char *name = sorted->pdata[i];
            JsonNode *v = json_object_get_member (manifest, name);
            if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING
                || name[0] != '$' || !strstr (s, name))
              continue;
            g_auto(GStrv) parts = g_strsplit (s, name, -1);
            g_free (s);
            s = g_strjoinv (json_node_get_string (v), parts);
          }
    }
  if (g_path_is_absolute (s))
    return g_steal_pointer (&s);
  return g_build_filename (dir, s, NULL);
}

static gboolean
config_fail (GError **error, const char *config, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
config_fail (GError **error, const char *config, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", config, msg);
  return FALSE;
}

/* The files of networks.<kind>[].<key>, resolved. */
static GPtrArray *
config_files (JsonObject *root, JsonObject *manifest, const char *dir, const char *config,
              const char *kind, const char *key, GError **error)
{
  JsonObject *networks = NULL;
  JsonNode *n = json_object_get_member (root, "networks");
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  if (n && JSON_NODE_HOLDS_OBJECT (n))
    networks = json_node_get_object (n);
  n = networks ? json_object_get_member (networks, kind) : NULL;
  if (!n)
    return files;   /* a circuit may have no edges */
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      config_fail (error, config, "networks.%s: expected a list of files", kind);
      g_ptr_array_unref (files);
      return NULL;
    }
  JsonArray *a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      JsonNode *f = JSON_NODE_HOLDS_OBJECT (e) ? json_object_get_member (json_node_get_object (e), key) : NULL;
      if (!f || !JSON_NODE_HOLDS_VALUE (f) || json_node_get_value_type (f) != G_TYPE_STRING)
        {
          config_fail (error, config, "networks.%s[%u].%s: expected a file name", kind, i, key);
          g_ptr_array_unref (files);
          return NULL;
        }
      g_ptr_array_add (files, resolve (manifest, dir, json_node_get_string (f)));
    }
  return files;
}

NlSonataCircuit *
nl_sonata_read_circuit (const char  *config,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *dir = g_path_get_dirname (config);
  g_autoptr(GPtrArray) node_files = NULL, edge_files = NULL;
  g_autoptr(NlSonataCircuit) c = g_new0 (NlSonataCircuit, 1);
  JsonObject *root, *manifest = NULL;

  if (!json_parser_load_from_file (parser, config, &local))
    {
      g_set_error (error, G_IO_ERROR, local->domain == G_FILE_ERROR ? g_io_error_from_file_error (local->code)
                   : G_IO_ERROR_INVALID_DATA, "%s: %s", config, local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return config_fail (error, config, "expected a JSON object (a SONATA circuit config)"), NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "manifest"))
    {
      JsonNode *m = json_object_get_member (root, "manifest");
      if (!JSON_NODE_HOLDS_OBJECT (m))
        return config_fail (error, config, "manifest: expected an object of \"$NAME\": path"), NULL;
      manifest = json_node_get_object (m);
    }
  node_files = config_files (root, manifest, dir, config, "nodes", "nodes_file", error);
  if (!node_files)
    return NULL;
  edge_files = config_files (root, manifest, dir, config, "edges", "edges_file", error);
  if (!edge_files)
    return NULL;
  if (node_files->len == 0)
    return config_fail (error, config, "networks.nodes: no nodes files"), NULL;

  /* Populations of every file, moved into one list each. */
  c->nodes = g_new0 (NlSonataNodes, 1);
  c->edges = g_new0 (NlSonataEdges, 1);
  for (guint k = 0; k < 2; k++)
    {
      GPtrArray *files = k ? edge_files : node_files;
      for (guint i = 0; i < files->len; i++)
        {
          if (k == 0)
            {
              NlSonataNodes *one = nl_sonata_read_nodes (files->pdata[i], error);
              if (!one)
                return NULL;
              c->nodes->pops = g_renew (NlSonataNodePop, c->nodes->pops, c->nodes->n_pops + one->n_pops + 1);
              memcpy (c->nodes->pops + c->nodes->n_pops, one->pops, one->n_pops * sizeof (NlSonataNodePop));
              c->nodes->n_pops += one->n_pops;
              one->n_pops = 0;
              nl_sonata_nodes_free (one);
            }
          else
            {
              NlSonataEdges *one = nl_sonata_read_edges (files->pdata[i], error);
              if (!one)
                return NULL;
              /* Node ids must exist in the populations they name. */
              for (guint p = 0; p < one->n_pops; p++)
                {
                  NlSonataEdgePop *ep = &one->pops[p];
                  for (int side = 0; side < 2; side++)
                    {
                      const char *pop = side ? ep->target_pop : ep->source_pop;
                      const guint64 *ids = side ? ep->target : ep->source;
                      const NlSonataNodePop *np = NULL;
                      for (guint q = 0; q < c->nodes->n_pops && !np; q++)
                        if (g_str_equal (c->nodes->pops[q].name, pop))
                          np = &c->nodes->pops[q];
                      const char *what = side ? "target_node_id" : "source_node_id";
                      if (!np)
                        {
                          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                       "%s: /edges/%s/%s: node population '%s' is in no nodes file of %s",
                                       (const char *) files->pdata[i], ep->name, what, pop, config);
                          nl_sonata_edges_free (one);
                          return NULL;
                        }
                      for (guint64 e = 0; e < ep->n_edges; e++)
                        if (ids[e] >= np->n_nodes)
                          {
                            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                         "%s: /edges/%s/%s[%" G_GUINT64_FORMAT "]: node %" G_GUINT64_FORMAT
                                         " beyond the %" G_GUINT64_FORMAT " nodes of '%s'",
                                         (const char *) files->pdata[i], ep->name, what, e, ids[e],
                                         np->n_nodes, pop);
                            nl_sonata_edges_free (one);
                            return NULL;
                          }
                    }
                }
              c->edges->pops = g_renew (NlSonataEdgePop, c->edges->pops, c->edges->n_pops + one->n_pops + 1);
              memcpy (c->edges->pops + c->edges->n_pops, one->pops, one->n_pops * sizeof (NlSonataEdgePop));
              c->edges->n_pops += one->n_pops;
              one->n_pops = 0;
              nl_sonata_edges_free (one);
            }
        }
    }
  return g_steal_pointer (&c);
}
