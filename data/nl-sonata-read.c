#include "nl-results-read.h"

#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>

/* SONATA spikes (SONATA 0.1): root attributes magic = 0x0A7A and version = [major, minor];
 * /spikes/<population>/timestamps (float, ms unless its `units` attribute says "s") and
 * /spikes/<population>/node_ids (integer), group attribute `sorting` ("none", "by_id",
 * "by_time") as an enum or a string. Errors name the file and the HDF5 object; libhdf5's own
 * error printing is silenced. Sizes are checked against the file before anything is read. */

#define SONATA_MAGIC 0x0A7A

typedef struct {
  const char *filename;
  goffset     file_size;
  GPtrArray  *names;
} Ctx;

static void
silence_hdf5 (void)
{
  static gsize once;
  if (g_once_init_enter (&once))
    {
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

static gboolean
fail (GError **error, const char *filename, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *filename, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", filename, msg);
  return FALSE;
}

/* A string attribute (fixed or variable length) or an enum attribute's member name. */
static char *
read_name_attr (hid_t obj, const char *attr_name)
{
  hid_t attr = H5Aopen (obj, attr_name, H5P_DEFAULT);
  hid_t type = -1, space = -1, mem = -1;
  char *result = NULL;

  if (attr < 0)
    return NULL;
  type = H5Aget_type (attr);
  space = H5Aget_space (attr);
  if (type < 0 || space < 0 || H5Sget_simple_extent_npoints (space) != 1)
    goto out;
  switch (H5Tget_class (type))
    {
    case H5T_STRING:
      if (H5Tis_variable_str (type) > 0)
        {
          char *s = NULL;
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, H5T_VARIABLE);
          if (H5Aread (attr, mem, &s) >= 0 && s)
            {
              result = g_strdup (s);
              H5free_memory (s);
            }
        }
      else
        {
          size_t size = H5Tget_size (type);
          if (size == 0 || size > 4096)
            goto out;
          g_autofree char *buf = g_malloc0 (size + 1);
          mem = H5Tcopy (H5T_C_S1);
          H5Tset_size (mem, size + 1);
          H5Tset_strpad (mem, H5T_STR_NULLTERM);
          if (H5Aread (attr, mem, buf) >= 0)
            result = g_strndup (buf, size);
        }
      break;
    case H5T_ENUM:
      {
        size_t size = H5Tget_size (type);
        guint8 value[16] = { 0 };
        char name[256];
        if (size == 0 || size > sizeof value)
          goto out;
        if (H5Aread (attr, type, value) >= 0 && H5Tenum_nameof (type, value, name, sizeof name) >= 0)
          result = g_strdup (name);
      }
      break;
    default:
      break;
    }
out:
  if (mem >= 0) H5Tclose (mem);
  if (space >= 0) H5Sclose (space);
  if (type >= 0) H5Tclose (type);
  H5Aclose (attr);
  if (result)
    g_strstrip (result);
  return result;
}

static gboolean
check_root (hid_t file, const char *filename, JsonObject *meta, GError **error)
{
  if (H5Aexists (file, "magic") > 0)
    {
      guint32 magic = 0;
      hid_t a = H5Aopen (file, "magic", H5P_DEFAULT);
      hid_t sp = a >= 0 ? H5Aget_space (a) : -1;
      gboolean ok = sp >= 0 && H5Sget_simple_extent_npoints (sp) == 1
                    && H5Aread (a, H5T_NATIVE_UINT32, &magic) >= 0;
      if (sp >= 0) H5Sclose (sp);
      if (a >= 0) H5Aclose (a);
      if (!ok)
        return fail (error, filename, "/ attribute 'magic': expected 0x0A7A (SONATA), got an unreadable value");
      if (magic != SONATA_MAGIC)
        return fail (error, filename, "/ attribute 'magic': expected 0x0A7A (SONATA), got 0x%04X", magic);
    }
  if (H5Aexists (file, "version") > 0)
    {
      guint32 version[2] = { 0, 0 };
      hid_t a = H5Aopen (file, "version", H5P_DEFAULT);
      hid_t sp = a >= 0 ? H5Aget_space (a) : -1;
      gboolean ok = sp >= 0 && H5Sget_simple_extent_npoints (sp) == 2
                    && H5Aread (a, H5T_NATIVE_UINT32, version) >= 0;
      if (sp >= 0) H5Sclose (sp);
      if (a >= 0) H5Aclose (a);
      if (!ok)
        return fail (error, filename, "/ attribute 'version': expected two integers [major, minor]");
      g_autofree char *v = g_strdup_printf ("%u.%u", version[0], version[1]);
      json_object_set_string_member (meta, "sonata_version", v);
    }
  return TRUE;
}

/* Opens a 1-D dataset of `klass` and checks its size is one the file can hold. */
static hid_t
open_vector (hid_t group, const char *name, const char *path, H5T_class_t klass,
             const Ctx *ctx, hsize_t *n, hid_t *type_out, GError **error)
{
  hid_t ds, space, type;
  hsize_t dims[1];
  gboolean ok = FALSE;

  if (H5Lexists (group, name, H5P_DEFAULT) <= 0)
    return fail (error, ctx->filename, "%s: missing", path), -1;
  ds = H5Dopen2 (group, name, H5P_DEFAULT);
  if (ds < 0)
    return fail (error, ctx->filename, "%s: not a readable dataset", path), -1;
  space = H5Dget_space (ds);
  type = H5Dget_type (ds);
  if (space < 0 || type < 0)
    fail (error, ctx->filename, "%s: cannot read its type or shape", path);
  else if (H5Sget_simple_extent_ndims (space) != 1 || H5Sget_simple_extent_dims (space, dims, NULL) != 1)
    fail (error, ctx->filename, "%s: expected a 1-D dataset", path);
  else if (H5Tget_class (type) != klass)
    fail (error, ctx->filename, "%s: expected %s values", path,
          klass == H5T_FLOAT ? "floating-point" : "integer");
  else
    {
      size_t elem = H5Tget_size (type);
      hsize_t storage = H5Dget_storage_size (ds);
      hid_t dcpl = H5Dget_create_plist (ds);
      int n_filters = dcpl >= 0 ? H5Pget_nfilters (dcpl) : 0;
      /* Uncompressed data cannot be larger than the file; deflate packs at most ~1032:1. */
      double limit = (double) ctx->file_size * (n_filters > 0 ? 1100.0 : 1.0) + 4096;
      if (dcpl >= 0)
        H5Pclose (dcpl);
      if (elem == 0 || elem > 8)
        fail (error, ctx->filename, "%s: unsupported element size %zu", path, elem);
      else if ((double) storage > (double) ctx->file_size
               || (double) dims[0] * (double) elem > limit || dims[0] > G_MAXUINT32)
        fail (error, ctx->filename, "%s: declares %" G_GUINT64_FORMAT " values, more than the "
              "%" G_GINT64_FORMAT "-byte file can hold (truncated or corrupt)", path,
              (guint64) dims[0], (gint64) ctx->file_size);
      else
        ok = TRUE;
    }
  if (space >= 0)
    H5Sclose (space);
  if (!ok)
    {
      if (type >= 0)
        H5Tclose (type);
      H5Dclose (ds);
      return -1;
    }
  *n = dims[0];
  *type_out = type;
  return ds;
}

typedef struct {
  double  *t;
  guint64 *ids;
  hsize_t  n;
  guint64  max_id;
  char    *sorting;
  guint64 *gid_of;   /* NetLoom's own files: the gid of each node id (dataset netloom_gids) */
  hsize_t  n_gid_of;
} PopData;

static gboolean
read_population (hid_t spikes, const char *pop, const Ctx *ctx, PopData *out, GError **error)
{
  g_autofree char *gpath = g_strdup_printf ("/spikes/%s", pop);
  g_autofree char *tpath = g_strdup_printf ("/spikes/%s/timestamps", pop);
  g_autofree char *ipath = g_strdup_printf ("/spikes/%s/node_ids", pop);
  hid_t grp, tds = -1, ids = -1, ttype = -1, itype = -1;
  hsize_t nt = 0, ni = 0;
  gboolean ok = FALSE;
  double scale = 1.0;

  memset (out, 0, sizeof *out);
  grp = H5Gopen2 (spikes, pop, H5P_DEFAULT);
  if (grp < 0)
    return fail (error, ctx->filename, "%s: not a readable group", gpath);

  if (H5Aexists (grp, "sorting") > 0)
    {
      out->sorting = read_name_attr (grp, "sorting");
      if (!out->sorting || !(g_str_equal (out->sorting, "none") || g_str_equal (out->sorting, "by_id")
                             || g_str_equal (out->sorting, "by_time")))
        {
          fail (error, ctx->filename, "%s attribute 'sorting': expected 'none', 'by_id' or 'by_time'%s%s",
                gpath, out->sorting ? ", got " : "", out->sorting ? out->sorting : "");
          goto out;
        }
    }
  tds = open_vector (grp, "timestamps", tpath, H5T_FLOAT, ctx, &nt, &ttype, error);
  if (tds < 0)
    goto out;
  ids = open_vector (grp, "node_ids", ipath, H5T_INTEGER, ctx, &ni, &itype, error);
  if (ids < 0)
    goto out;
  if (nt != ni)
    {
      fail (error, ctx->filename, "%s has %" G_GUINT64_FORMAT " values but %s has %" G_GUINT64_FORMAT,
            tpath, (guint64) nt, ipath, (guint64) ni);
      goto out;
    }
  if (H5Aexists (tds, "units") > 0)
    {
      g_autofree char *units = read_name_attr (tds, "units");
      if (units && g_str_equal (units, "s"))
        scale = 1000.0;
      else if (!units || !g_str_equal (units, "ms"))
        {
          fail (error, ctx->filename, "%s attribute 'units': expected 'ms' or 's'%s%s", tpath,
                units ? ", got " : "", units ? units : "");
          goto out;
        }
    }
  /* NetLoom writes each population's gids, so its files read back with the same gids. */
  if (H5Lexists (grp, "netloom_gids", H5P_DEFAULT) > 0)
    {
      g_autofree char *mpath = g_strdup_printf ("/spikes/%s/netloom_gids", pop);
      hid_t mtype = -1;
      hsize_t nm = 0;
      hid_t mds = open_vector (grp, "netloom_gids", mpath, H5T_INTEGER, ctx, &nm, &mtype, error);
      if (mds < 0)
        goto out;
      out->gid_of = g_new (guint64, MAX (nm, 1));
      out->n_gid_of = nm;
      gboolean map_ok = nm == 0 || H5Dread (mds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out->gid_of) >= 0;
      H5Tclose (mtype);
      H5Dclose (mds);
      for (hsize_t i = 0; map_ok && i < nm; i++)
        map_ok = out->gid_of[i] < G_MAXUINT32;
      if (!map_ok)
        {
          fail (error, ctx->filename, "%s: unreadable, or a gid beyond 2^32", mpath);
          goto out;
        }
    }
  out->n = nt;
  out->t = g_new (double, MAX (nt, 1));
  out->ids = g_new (guint64, MAX (nt, 1));
  if (nt > 0 && H5Dread (tds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out->t) < 0)
    {
      fail (error, ctx->filename, "%s: cannot read (truncated or corrupt)", tpath);
      goto out;
    }
  if (nt > 0)
    {
      gboolean is_signed = H5Tget_sign (itype) == H5T_SGN_2;
      if (H5Dread (ids, is_signed ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL,
                   H5P_DEFAULT, out->ids) < 0)
        {
          fail (error, ctx->filename, "%s: cannot read (truncated or corrupt)", ipath);
          goto out;
        }
      for (hsize_t i = 0; i < nt; i++)
        {
          if (is_signed && (gint64) out->ids[i] < 0)
            {
              fail (error, ctx->filename, "%s[%" G_GUINT64_FORMAT "]: negative node id %" G_GINT64_FORMAT,
                    ipath, (guint64) i, (gint64) out->ids[i]);
              goto out;
            }
          if (out->ids[i] >= G_MAXUINT32)
            {
              fail (error, ctx->filename, "%s[%" G_GUINT64_FORMAT "]: node id %" G_GUINT64_FORMAT
                    " too large", ipath, (guint64) i, out->ids[i]);
              goto out;
            }
          out->max_id = MAX (out->max_id, out->ids[i]);
          out->t[i] *= scale;
          if (!isfinite (out->t[i]))
            {
              fail (error, ctx->filename, "%s[%" G_GUINT64_FORMAT "]: not a finite time", tpath,
                    (guint64) i);
              goto out;
            }
        }
    }
  ok = TRUE;
out:
  if (ttype >= 0) H5Tclose (ttype);
  if (itype >= 0) H5Tclose (itype);
  if (tds >= 0) H5Dclose (tds);
  if (ids >= 0) H5Dclose (ids);
  H5Gclose (grp);
  if (!ok)
    {
      g_clear_pointer (&out->t, g_free);
      g_clear_pointer (&out->ids, g_free);
      g_clear_pointer (&out->sorting, g_free);
      g_clear_pointer (&out->gid_of, g_free);
    }
  return ok;
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
    return 1;   /* stop: no real file has that many populations */
  g_ptr_array_add (names, g_strdup (name));
  return 0;
}

static int
compare_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

NlResults *
nl_sonata_read (const char  *filename,
                GError     **error)
{
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree PopData *pops = NULL;
  GStatBuf st;
  Ctx ctx = { filename, 0, NULL };
  hid_t file = -1, spikes = -1;
  gboolean ok = FALSE;
  guint64 total = 0, offset = 0;

  silence_hdf5 ();
  if (g_stat (filename, &st) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", filename, g_strerror (e));
      return NULL;
    }
  ctx.file_size = st.st_size;
  file = H5Fopen (filename, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    {
      fail (error, filename, "cannot open as HDF5 (truncated or corrupt file)");
      return NULL;
    }
  r = nl_results_new ();
  JsonObject *meta = nl_results_get_meta (r);

  if (H5Lexists (file, "spikes", H5P_DEFAULT) <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: HDF5 file without /spikes: reading NetLoom native and NetPyNE HDF5 "
                   "results is not yet supported", filename);
      goto out;
    }
  if (!check_root (file, filename, meta, error))
    goto out;
  spikes = H5Gopen2 (file, "spikes", H5P_DEFAULT);
  if (spikes < 0)
    {
      fail (error, filename, "/spikes: not a readable group");
      goto out;
    }
  if (ITERATE (spikes, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, names) < 0)
    {
      fail (error, filename, "/spikes: cannot list its populations (truncated or corrupt)");
      goto out;
    }
  pops = g_new0 (PopData, MAX (names->len, 1));
  for (guint i = 0; i < names->len; i++)
    {
      if (!read_population (spikes, names->pdata[i], &ctx, &pops[i], error))
        {
          for (guint k = 0; k < i; k++)
            {
              g_free (pops[k].t);
              g_free (pops[k].ids);
              g_free (pops[k].sorting);
              g_free (pops[k].gid_of);
            }
          goto out;
        }
      total += pops[i].n;
    }

  /* Gids: node ids offset by the id space of the populations before (in name order). */
  double *t = g_new (double, MAX (total, 1));
  guint32 *g = g_new (guint32, MAX (total, 1));
  guint64 at = 0;
  gboolean overflow = FALSE, map_failed = FALSE;
  JsonObject *sorting = json_object_new ();
  for (guint i = 0; i < names->len; i++)
    {
      PopData *p = &pops[i];
      guint64 size = p->n > 0 ? p->max_id + 1 : 0;
      if (p->gid_of)
        {
          g_autofree guint32 *gids = g_new (guint32, MAX (p->n_gid_of, 1));
          for (hsize_t k = 0; k < p->n_gid_of; k++)
            gids[k] = (guint32) p->gid_of[k];
          if (p->n > 0 && p->max_id >= p->n_gid_of && !map_failed)
            {
              fail (error, filename, "/spikes/%s/node_ids: node id %" G_GUINT64_FORMAT
                    " has no gid in netloom_gids (%" G_GUINT64_FORMAT " entries)",
                    (const char *) names->pdata[i], p->max_id, (guint64) p->n_gid_of);
              map_failed = TRUE;
            }
          else if (!map_failed)
            {
              nl_results_add_pop (r, names->pdata[i], gids, p->n_gid_of);
              for (hsize_t k = 0; k < p->n; k++, at++)
                {
                  t[at] = p->t[k];
                  g[at] = gids[p->ids[k]];
                }
            }
          json_object_set_string_member (sorting, names->pdata[i], p->sorting ? p->sorting : "none");
          g_free (p->t);
          g_free (p->ids);
          g_free (p->sorting);
          g_free (p->gid_of);
          continue;
        }
      if (offset + size >= G_MAXUINT32)
        overflow = TRUE;
      if (!overflow)
        {
          /* The population's gids: offset + 0 .. max id, unless that range is much larger than
           * the spikes (a sparse id space): then only the node ids that spiked. */
          g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (guint32));
          if (size <= MAX ((guint64) p->n * 16, 1u << 20))
            for (guint64 k = 0; k < size; k++)
              {
                guint32 gid = (guint32) (offset + k);
                g_array_append_val (gids, gid);
              }
          else
            {
              g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
              for (hsize_t k = 0; k < p->n; k++)
                if (g_hash_table_add (seen, GUINT_TO_POINTER ((guint) p->ids[k] + 1)))
                  {
                    guint32 gid = (guint32) (offset + p->ids[k]);
                    g_array_append_val (gids, gid);
                  }
              g_array_sort (gids, compare_u32);
            }
          nl_results_add_pop (r, names->pdata[i], (const guint32 *) gids->data, gids->len);
          for (hsize_t k = 0; k < p->n; k++, at++)
            {
              t[at] = p->t[k];
              g[at] = (guint32) (offset + p->ids[k]);
            }
        }
      json_object_set_string_member (sorting, names->pdata[i], p->sorting ? p->sorting : "none");
      offset += size;
      g_free (p->t);
      g_free (p->ids);
      g_free (p->sorting);
    }
  json_object_set_object_member (meta, "sonata_sorting", sorting);
  if (map_failed)
    {
      g_free (t);
      g_free (g);
      goto out;
    }
  if (overflow)
    {
      g_free (t);
      g_free (g);
      fail (error, filename, "/spikes: node ids of all populations together exceed 2^32");
      goto out;
    }
  nl_results_set_spikes (r, t, g, total);
  json_object_set_string_member (meta, "format", "sonata");
  ok = TRUE;
out:
  if (spikes >= 0)
    H5Gclose (spikes);
  H5Fclose (file);
  return ok ? g_steal_pointer (&r) : NULL;
}
