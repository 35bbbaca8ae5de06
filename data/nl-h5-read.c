/* nl-h5-read.c — reading NetLoom's native results file, lazily (layout: docs/file-format.md).
 *
 * Opening reads the small objects (attributes, meta, populations, trace names and gids) and
 * checks the shapes of the big ones; spikes, traces, LFP and the network are read on
 * request. Nothing is trusted: every object must be a hard link of the expected kind, type,
 * rank and shape, stored in the file itself (contiguous or chunked: no compact, external or
 * virtual storage; no filters but deflate, shuffle and fletcher32), and no larger than the
 * file can hold — before anything is allocated for it.
 */
#include "nl-h5.h"
#include "nl-h5-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <H5PLpublic.h>
#include <math.h>
#include <string.h>

#if H5_VERSION_GE (1, 12, 0)
typedef H5L_info2_t LinkInfo;
#define GET_LINK_INFO(loc, name, info) H5Lget_info2 (loc, name, info, H5P_DEFAULT)
#else
typedef H5L_info_t LinkInfo;
#define GET_LINK_INFO(loc, name, info) H5Lget_info (loc, name, info, H5P_DEFAULT)
#endif

void
nl_h5_init (void)
{
  static gsize once;
  if (g_once_init_enter (&once))
    {
      H5open ();
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      H5PLset_loading_state (0);
      g_once_init_leave (&once, 1);
    }
}

static herr_t
innermost (unsigned n, const H5E_error2_t *err, void *data)
{
  char **out = data;
  (void) n;
  /* The walk goes from the innermost frame outward: keep the first one's words. */
  if (!*out && err->desc && err->desc[0])
    *out = g_strdup (err->desc);
  return 0;
}

char *
nl_h5_take_error (void)
{
  char *msg = NULL;
  H5Ewalk2 (H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
  H5Eclear2 (H5E_DEFAULT);
  return msg;
}

/* The element types the format uses. */
typedef enum {
  T_F64, T_F32, T_U8, T_U16, T_U32, T_U64, T_U32_OR_U64, T_I32, T_STR,
} Want;

typedef struct {
  char    *name;
  char    *lname;     /* the link under /traces */
  guint32 *gids;
  guint    n_cells;
  guint64  width;     /* columns of `data` */
  guint64 *lengths;   /* per cell, NULL when all are `width` */
  hid_t    data;
  hid_t    t;         /* -1 when the trace has no time base */
  guint64  n_t;
} Trace;

struct _NlH5File {
  char       *filename;
  hid_t       file;
  goffset     file_size;
  guint       version;
  guint       n_cells;
  double      duration;
  JsonObject *meta;

  guint       n_pops;
  char      **pop_names;
  guint64    *pop_off;
  guint32    *pop_gids;

  hid_t       spk_t, spk_gid, by_order, by_offsets;
  guint64     n_spikes, n_gids;   /* n_gids: entries of by_gid/offsets − 1 */

  GPtrArray  *traces;             /* Trace* */

  hid_t       lfp_data;
  guint64     lfp_ns;
  guint       lfp_ne;
  double      lfp_dt;
};

static gboolean
bad (NlH5File *f, GError **error, const char *path, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
bad (NlH5File *f, GError **error, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  H5Eclear2 (H5E_DEFAULT);
  if (error && *error)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: %s", f->filename, path, msg);
  return FALSE;
}

static void
close_id (hid_t *id)
{
  if (*id >= 0)
    H5Oclose (*id);
  *id = -1;
}

/* Whether `name` in `loc` is a hard link (external and soft links are refused: they could
 * point anywhere). FALSE without error when absent and `optional`. */
static gboolean
check_link (NlH5File *f, hid_t loc, const char *name, const char *path, gboolean optional,
            gboolean *present, GError **error)
{
  LinkInfo info;
  htri_t ex = H5Lexists (loc, name, H5P_DEFAULT);

  *present = FALSE;
  if (ex < 0)
    return bad (f, error, path, "cannot be looked up (truncated or corrupt file)");
  if (ex == 0)
    return optional ? TRUE : bad (f, error, path, "missing");
  if (GET_LINK_INFO (loc, name, &info) < 0)
    return bad (f, error, path, "cannot be looked up (truncated or corrupt file)");
  if (info.type != H5L_TYPE_HARD)
    return bad (f, error, path, "a soft or external link; NetLoom files hold their objects themselves");
  *present = TRUE;
  return TRUE;
}

static hid_t
open_group (NlH5File *f, hid_t loc, const char *name, const char *path, gboolean optional,
            GError **error)
{
  gboolean present;
  hid_t g;
  if (!check_link (f, loc, name, path, optional, &present, error) || !present)
    return -1;
  g = H5Gopen2 (loc, name, H5P_DEFAULT);
  if (g < 0)
    bad (f, error, path, "expected a group");
  return g;
}

static const char *
want_name (Want want)
{
  switch (want)
    {
    case T_F64: return "64-bit floats";
    case T_F32: return "32-bit floats";
    case T_U8: return "unsigned 8-bit integers";
    case T_U16: return "unsigned 16-bit integers";
    case T_U32: return "unsigned 32-bit integers";
    case T_U64: return "unsigned 64-bit integers";
    case T_U32_OR_U64: return "unsigned 32- or 64-bit integers";
    case T_I32: return "signed 32-bit integers";
    case T_STR: default: return "fixed-length strings";
    }
}

static gboolean
type_ok (hid_t type, Want want)
{
  H5T_class_t klass = H5Tget_class (type);
  size_t size = H5Tget_size (type);
  gboolean is_unsigned = klass == H5T_INTEGER && H5Tget_sign (type) == H5T_SGN_NONE;

  switch (want)
    {
    case T_F64: return klass == H5T_FLOAT && size == 8;
    case T_F32: return klass == H5T_FLOAT && size == 4;
    case T_U8: return is_unsigned && size == 1;
    case T_U16: return is_unsigned && size == 2;
    case T_U32: return is_unsigned && size == 4;
    case T_U64: return is_unsigned && size == 8;
    case T_U32_OR_U64: return is_unsigned && (size == 4 || size == 8);
    case T_I32: return klass == H5T_INTEGER && H5Tget_sign (type) == H5T_SGN_2 && size == 4;
    case T_STR: return klass == H5T_STRING && H5Tis_variable_str (type) == 0 && size >= 1 && size <= 65536;
    default: return FALSE;
    }
}

/* Opens a dataset and checks its storage, type, rank and that its size fits the file;
 * `dims` receives its shape. `dapl` may be H5P_DEFAULT. */
static hid_t
open_dataset (NlH5File *f, hid_t loc, const char *name, const char *path, gboolean optional,
              Want want, int rank, hsize_t *dims, size_t *elem_out, hid_t dapl, GError **error)
{
  gboolean present, ok = FALSE;
  hid_t ds, type = -1, space = -1, dcpl = -1;
  hsize_t d[H5S_MAX_RANK];

  if (!check_link (f, loc, name, path, optional, &present, error) || !present)
    return -1;
  ds = H5Dopen2 (loc, name, dapl);
  if (ds < 0)
    return bad (f, error, path, "expected a dataset"), -1;
  type = H5Dget_type (ds);
  space = H5Dget_space (ds);
  dcpl = H5Dget_create_plist (ds);
  if (type < 0 || space < 0 || dcpl < 0)
    {
      bad (f, error, path, "cannot read its type or shape (truncated or corrupt file)");
      goto out;
    }
  if (!type_ok (type, want))
    {
      bad (f, error, path, "expected %s", want_name (want));
      goto out;
    }
  int nd = H5Sget_simple_extent_ndims (space);
  if (nd != rank || H5Sget_simple_extent_type (space) != (rank == 0 ? H5S_SCALAR : H5S_SIMPLE))
    {
      bad (f, error, path, "expected %d dimension%s, found %d", rank, rank == 1 ? "" : "s", MAX (nd, 0));
      goto out;
    }
  if (rank > 0 && H5Sget_simple_extent_dims (space, d, NULL) != rank)
    {
      bad (f, error, path, "cannot read its shape");
      goto out;
    }
  {
    H5D_layout_t layout = H5Pget_layout (dcpl);
    int n_filters = H5Pget_nfilters (dcpl);
    /* NetLoom writes contiguous and chunked data only; compact data (in the object header)
     * of a corrupt file makes libhdf5 1.10 read from a null buffer. */
    if ((layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED) || H5Pget_external_count (dcpl) != 0)
      {
        bad (f, error, path, "expected contiguous or chunked storage in the file (not compact, "
             "external or virtual)");
        goto out;
      }
    if (n_filters < 0 || n_filters > 8)
      {
        bad (f, error, path, "unreadable filter pipeline");
        goto out;
      }
    for (int i = 0; i < n_filters; i++)
      {
        unsigned flags, cd[8];
        size_t ncd = G_N_ELEMENTS (cd);
        H5Z_filter_t id = H5Pget_filter2 (dcpl, i, &flags, &ncd, cd, 0, NULL, NULL);
        if (id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_FLETCHER32)
          {
            bad (f, error, path, "compressed with filter %d; NetLoom reads deflate and shuffle only", (int) id);
            goto out;
          }
      }
    /* Raw data cannot be larger than the file; deflate packs at most ~1032:1. */
    size_t elem = H5Tget_size (type);
    double bytes = (double) elem, storage = (double) H5Dget_storage_size (ds);
    for (int i = 0; i < rank; i++)
      bytes *= (double) d[i];
    double limit = n_filters > 0 ? MIN (storage, (double) f->file_size) * 1100.0 + 4096
                                 : (double) f->file_size + 4096;
    if (bytes > limit || bytes > (double) G_MAXSSIZE / 2)
      {
        bad (f, error, path, "declares %.0f bytes of data, more than the %" G_GINT64_FORMAT
             "-byte file can hold (truncated or corrupt)", bytes, (gint64) f->file_size);
        goto out;
      }
    if (elem_out)
      *elem_out = elem;
  }
  for (int i = 0; i < rank; i++)
    dims[i] = d[i];
  ok = TRUE;
out:
  if (type >= 0) H5Tclose (type);
  if (space >= 0) H5Sclose (space);
  if (dcpl >= 0) H5Pclose (dcpl);
  if (!ok)
    {
      H5Dclose (ds);
      return -1;
    }
  return ds;
}

static hid_t
mem_type (Want want)
{
  switch (want)
    {
    case T_F64: return H5T_NATIVE_DOUBLE;
    case T_F32: return H5T_NATIVE_FLOAT;
    case T_U8: return H5T_NATIVE_UINT8;
    case T_U16: return H5T_NATIVE_UINT16;
    case T_U32: return H5T_NATIVE_UINT32;
    case T_U64: case T_U32_OR_U64: return H5T_NATIVE_UINT64;
    case T_I32: return H5T_NATIVE_INT32;
    case T_STR: default: return -1;
    }
}

static gsize
mem_size (Want want)
{
  switch (want)
    {
    case T_F64: case T_U64: case T_U32_OR_U64: return 8;
    case T_F32: case T_U32: case T_I32: return 4;
    case T_U16: return 2;
    case T_U8: default: return 1;
    }
}

/* A whole 1-D dataset into a new array (`n` values, g_free); `expect` checks the length
 * unless it is G_MAXUINT64. */
static gpointer
read_column (NlH5File *f, hid_t loc, const char *name, const char *path, Want want,
             guint64 expect, guint64 *n, GError **error)
{
  hsize_t dims[1];
  hid_t ds = open_dataset (f, loc, name, path, FALSE, want, 1, dims, NULL, H5P_DEFAULT, error);
  gpointer buf;

  if (ds < 0)
    return NULL;
  if (expect != G_MAXUINT64 && dims[0] != expect)
    {
      H5Dclose (ds);
      bad (f, error, path, "expected %" G_GUINT64_FORMAT " values, found %" G_GUINT64_FORMAT,
           expect, (guint64) dims[0]);
      return NULL;
    }
  buf = g_malloc (MAX (dims[0], 1) * mem_size (want));
  if (dims[0] > 0 && H5Dread (ds, mem_type (want), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    {
      H5Dclose (ds);
      g_free (buf);
      bad (f, error, path, "cannot read (truncated or corrupt file)");
      return NULL;
    }
  H5Dclose (ds);
  if (n)
    *n = dims[0];
  return buf;
}

/* A 1-D dataset of fixed-length strings as a NULL-terminated vector. */
static char **
read_strings (NlH5File *f, hid_t loc, const char *name, const char *path, guint64 expect,
              guint64 *n_out, GError **error)
{
  hsize_t dims[1];
  size_t width = 0;
  hid_t ds = open_dataset (f, loc, name, path, FALSE, T_STR, 1, dims, &width, H5P_DEFAULT, error);
  char **v;

  if (ds < 0)
    return NULL;
  if ((expect != G_MAXUINT64 && dims[0] != expect) || dims[0] >= G_MAXUINT)
    {
      H5Dclose (ds);
      bad (f, error, path, "expected %" G_GUINT64_FORMAT " names, found %" G_GUINT64_FORMAT,
           expect, (guint64) dims[0]);
      return NULL;
    }
  g_autofree char *buf = g_malloc0 (MAX (dims[0], 1) * width);
  hid_t ft = H5Dget_type (ds), mt = H5Tcopy (H5T_C_S1);
  H5Tset_size (mt, width);
  H5Tset_strpad (mt, H5T_STR_NULLPAD);
  /* libhdf5 converts between ASCII and UTF-8 strings only when told they are the same. */
  H5Tset_cset (mt, ft >= 0 ? H5Tget_cset (ft) : H5T_CSET_ASCII);
  if (ft >= 0)
    H5Tclose (ft);
  herr_t st = dims[0] > 0 ? H5Dread (ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) : 0;
  H5Tclose (mt);
  H5Dclose (ds);
  if (st < 0)
    {
      bad (f, error, path, "cannot read (truncated or corrupt file)");
      return NULL;
    }
  v = g_new0 (char *, dims[0] + 1);
  for (hsize_t i = 0; i < dims[0]; i++)
    {
      v[i] = g_strndup (buf + i * width, width);
      if (!g_utf8_validate (v[i], -1, NULL))
        {
          g_strfreev (v);
          bad (f, error, path, "entry %" G_GUINT64_FORMAT " is not UTF-8 text", (guint64) i);
          return NULL;
        }
    }
  if (n_out)
    *n_out = dims[0];
  return v;
}

/* A scalar fixed-length string dataset (the JSON texts). */
static char *
read_text (NlH5File *f, hid_t loc, const char *name, const char *path, GError **error)
{
  hid_t ds, type, space, mt;
  gboolean present;
  char *text = NULL;

  if (!check_link (f, loc, name, path, FALSE, &present, error))
    return NULL;
  ds = H5Dopen2 (loc, name, H5P_DEFAULT);
  if (ds < 0)
    return bad (f, error, path, "expected a dataset"), NULL;
  type = H5Dget_type (ds);
  space = H5Dget_space (ds);
  size_t size = type >= 0 ? H5Tget_size (type) : 0;
  if (type < 0 || space < 0 || H5Tget_class (type) != H5T_STRING || H5Tis_variable_str (type) != 0
      || H5Sget_simple_extent_type (space) != H5S_SCALAR)
    bad (f, error, path, "expected one fixed-length string");
  else if (size == 0 || (goffset) size > f->file_size)
    bad (f, error, path, "declares a %zu-byte text, more than the file can hold", size);
  else
    {
      text = g_malloc0 (size + 1);
      mt = H5Tcopy (H5T_C_S1);
      H5Tset_size (mt, size);
      H5Tset_strpad (mt, H5T_STR_NULLPAD);
      H5Tset_cset (mt, H5Tget_cset (type));
      if (H5Dread (ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, text) < 0)
        {
          g_clear_pointer (&text, g_free);
          bad (f, error, path, "cannot read (truncated or corrupt file)");
        }
      H5Tclose (mt);
    }
  if (type >= 0) H5Tclose (type);
  if (space >= 0) H5Sclose (space);
  H5Dclose (ds);
  return text;
}

/* A scalar numeric attribute, converted to `mt`. FALSE without error when absent and
 * optional. */
static gboolean
read_attr (NlH5File *f, hid_t obj, const char *obj_path, const char *name, H5T_class_t klass,
           hid_t mt, void *value, gboolean optional, gboolean *present, GError **error)
{
  htri_t ex = H5Aexists (obj, name);
  hid_t a, type, space;
  gboolean ok;

  if (present)
    *present = FALSE;
  if (ex <= 0)
    return optional && ex == 0 ? TRUE : bad (f, error, obj_path, "attribute '%s' missing", name);
  a = H5Aopen (obj, name, H5P_DEFAULT);
  if (a < 0)
    return bad (f, error, obj_path, "attribute '%s' unreadable", name);
  type = H5Aget_type (a);
  space = H5Aget_space (a);
  ok = type >= 0 && space >= 0 && H5Tget_class (type) == klass && H5Tget_size (type) <= 8
       && H5Sget_simple_extent_npoints (space) == 1 && H5Aread (a, mt, value) >= 0;
  if (type >= 0) H5Tclose (type);
  if (space >= 0) H5Sclose (space);
  H5Aclose (a);
  if (!ok)
    return bad (f, error, obj_path, "attribute '%s': expected one %s", name,
                klass == H5T_FLOAT ? "floating-point number" : "integer");
  if (present)
    *present = TRUE;
  return TRUE;
}

static char *
read_attr_str (NlH5File *f, hid_t obj, const char *obj_path, const char *name, GError **error)
{
  hid_t a, type, space, mt;
  char *s = NULL;

  if (H5Aexists (obj, name) <= 0)
    return bad (f, error, obj_path, "attribute '%s' missing", name), NULL;
  a = H5Aopen (obj, name, H5P_DEFAULT);
  if (a < 0)
    return bad (f, error, obj_path, "attribute '%s' unreadable", name), NULL;
  type = H5Aget_type (a);
  space = H5Aget_space (a);
  size_t size = type >= 0 ? H5Tget_size (type) : 0;
  if (type >= 0 && space >= 0 && H5Tget_class (type) == H5T_STRING && H5Tis_variable_str (type) == 0
      && size >= 1 && size <= 65536 && H5Sget_simple_extent_npoints (space) == 1)
    {
      s = g_malloc0 (size + 1);
      mt = H5Tcopy (H5T_C_S1);
      H5Tset_size (mt, size);
      H5Tset_strpad (mt, H5T_STR_NULLPAD);
      H5Tset_cset (mt, H5Tget_cset (type));
      if (H5Aread (a, mt, s) < 0)
        g_clear_pointer (&s, g_free);
      H5Tclose (mt);
    }
  if (type >= 0) H5Tclose (type);
  if (space >= 0) H5Sclose (space);
  H5Aclose (a);
  if (!s || !g_utf8_validate (s, -1, NULL))
    {
      g_clear_pointer (&s, g_free);
      bad (f, error, obj_path, "attribute '%s': expected a fixed-length UTF-8 string", name);
    }
  return s;
}

/* Reads a[first, first + n) of a 1-D dataset into `buf` (of mem type `mt`). */
static gboolean
read_slice (NlH5File *f, hid_t ds, const char *path, hid_t mt, guint64 first, guint64 n, void *buf,
            GError **error)
{
  hsize_t start[1] = { first }, count[1] = { n };
  hid_t fs, ms;
  herr_t st;

  if (n == 0)
    return TRUE;
  fs = H5Dget_space (ds);
  ms = H5Screate_simple (1, count, NULL);
  st = fs >= 0 ? H5Sselect_hyperslab (fs, H5S_SELECT_SET, start, NULL, count, NULL) : -1;
  if (st >= 0)
    st = H5Dread (ds, mt, ms, fs, H5P_DEFAULT, buf);
  if (fs >= 0) H5Sclose (fs);
  H5Sclose (ms);
  return st >= 0 || bad (f, error, path, "cannot read values %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                          " (truncated or corrupt file)", first, first + n);
}

void
nl_h5_close (NlH5File *f)
{
  if (!f)
    return;
  close_id (&f->spk_t);
  close_id (&f->spk_gid);
  close_id (&f->by_order);
  close_id (&f->by_offsets);
  close_id (&f->lfp_data);
  if (f->traces)
    g_ptr_array_unref (f->traces);
  g_strfreev (f->pop_names);
  g_free (f->pop_off);
  g_free (f->pop_gids);
  if (f->meta)
    json_object_unref (f->meta);
  if (f->file >= 0)
    H5Fclose (f->file);
  g_free (f->filename);
  g_free (f);
}

static void
trace_free (gpointer p)
{
  Trace *t = p;
  close_id (&t->data);
  close_id (&t->t);
  g_free (t->name);
  g_free (t->lname);
  g_free (t->gids);
  g_free (t->lengths);
  g_free (t);
}

static gboolean
open_meta (NlH5File *f, GError **error)
{
  guint64 version = 0, n_cells = 0;
  hid_t g;

  if (!read_attr (f, f->file, "/", "netloom_format", H5T_INTEGER, H5T_NATIVE_UINT64, &version, FALSE, NULL, error))
    return FALSE;
  if (version == 0 || version > NL_H5_FORMAT_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: NetLoom file format %" G_GUINT64_FORMAT
                   " (this NetLoom reads up to %d): written by a newer NetLoom?", f->filename, version,
                   NL_H5_FORMAT_VERSION);
      return FALSE;
    }
  f->version = (guint) version;
  if (!read_attr (f, f->file, "/", "n_cells", H5T_INTEGER, H5T_NATIVE_UINT64, &n_cells, TRUE, NULL, error)
      || !read_attr (f, f->file, "/", "duration_ms", H5T_FLOAT, H5T_NATIVE_DOUBLE, &f->duration, TRUE, NULL, error))
    return FALSE;
  if (n_cells >= G_MAXUINT32)
    return bad (f, error, "/", "attribute 'n_cells': %" G_GUINT64_FORMAT " is more than 2^32 − 1", n_cells);
  f->n_cells = (guint) n_cells;

  g = open_group (f, f->file, "meta", "/meta", TRUE, error);
  if (g < 0)
    {
      f->meta = json_object_new ();
      return error == NULL || *error == NULL;
    }
  g_autofree char *text = read_text (f, g, "json", "/meta/json", error);
  H5Gclose (g);
  if (!text)
    return FALSE;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  if (!json_parser_load_from_data (parser, text, -1, &local))
    return bad (f, error, "/meta/json", "not JSON: %s", local->message);
  JsonNode *root = json_parser_get_root (parser);
  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (f, error, "/meta/json", "expected a JSON object");
  f->meta = json_object_ref (json_node_get_object (root));
  return TRUE;
}

static gboolean
open_pops (NlH5File *f, GError **error)
{
  guint64 n = 0, n_gids = 0;
  hid_t g = open_group (f, f->file, "pops", "/pops", TRUE, error);

  if (g < 0)
    {
      f->pop_names = g_new0 (char *, 1);
      f->pop_off = g_new0 (guint64, 1);
      f->pop_gids = g_new0 (guint32, 1);
      return error == NULL || *error == NULL;
    }
  f->pop_names = read_strings (f, g, "names", "/pops/names", G_MAXUINT64, &n, error);
  if (f->pop_names)
    f->pop_off = read_column (f, g, "offsets", "/pops/offsets", T_U64, n + 1, NULL, error);
  if (f->pop_off)
    f->pop_gids = read_column (f, g, "gids", "/pops/gids", T_U32, G_MAXUINT64, &n_gids, error);
  H5Gclose (g);
  if (!f->pop_gids)
    return FALSE;
  f->n_pops = (guint) n;
  if (f->pop_off[0] != 0 || f->pop_off[n] != n_gids)
    return bad (f, error, "/pops/offsets", "expected 0 … %" G_GUINT64_FORMAT " (the length of /pops/gids)", n_gids);
  for (guint64 p = 0; p < n; p++)
    if (f->pop_off[p] > f->pop_off[p + 1] || f->pop_off[p + 1] - f->pop_off[p] >= G_MAXUINT)
      return bad (f, error, "/pops/offsets", "not ascending at population %" G_GUINT64_FORMAT, p);
  for (guint64 i = 0; f->n_cells > 0 && i < n_gids; i++)
    if (f->pop_gids[i] >= f->n_cells)
      return bad (f, error, "/pops/gids", "gid %u at %" G_GUINT64_FORMAT " is not below n_cells = %u",
                  f->pop_gids[i], i, f->n_cells);
  return TRUE;
}

static gboolean
open_spikes (NlH5File *f, GError **error)
{
  hsize_t nt[1], ng[1], no[1], nf[1];
  hid_t g, by, dapl;

  g = open_group (f, f->file, "spikes", "/spikes", TRUE, error);
  if (g < 0)
    return error == NULL || *error == NULL;
  /* No chunk cache: libhdf5 then reads single values (binary search, one cell's spikes)
   * straight from uncompressed chunks instead of whole chunks, and big slices straight into
   * the caller's memory. */
  dapl = H5Pcreate (H5P_DATASET_ACCESS);
  H5Pset_chunk_cache (dapl, 0, 0, 1.0);
  f->spk_t = open_dataset (f, g, "t", "/spikes/t", FALSE, T_F64, 1, nt, NULL, dapl, error);
  if (f->spk_t >= 0)
    f->spk_gid = open_dataset (f, g, "gid", "/spikes/gid", FALSE, T_U32, 1, ng, NULL, dapl, error);
  if (f->spk_gid >= 0 && nt[0] != ng[0])
    bad (f, error, "/spikes/gid", "%" G_GUINT64_FORMAT " values, but /spikes/t has %" G_GUINT64_FORMAT,
         (guint64) ng[0], (guint64) nt[0]);
  if (f->spk_gid < 0 || nt[0] != ng[0])
    {
      H5Pclose (dapl);
      H5Gclose (g);
      return FALSE;
    }
  f->n_spikes = nt[0];
  by = open_group (f, g, "by_gid", "/spikes/by_gid", TRUE, error);
  H5Gclose (g);
  if (by < 0)
    {
      H5Pclose (dapl);
      return error == NULL || *error == NULL;
    }
  f->by_order = open_dataset (f, by, "order", "/spikes/by_gid/order", FALSE, T_U32_OR_U64, 1, no, NULL, dapl, error);
  if (f->by_order >= 0)
    f->by_offsets = open_dataset (f, by, "offsets", "/spikes/by_gid/offsets", FALSE, T_U64, 1, nf, NULL, dapl, error);
  H5Pclose (dapl);
  H5Gclose (by);
  if (f->by_offsets < 0)
    return FALSE;
  if (no[0] != f->n_spikes)
    return bad (f, error, "/spikes/by_gid/order", "%" G_GUINT64_FORMAT " values, but there are %"
                G_GUINT64_FORMAT " spikes", (guint64) no[0], f->n_spikes);
  if (nf[0] < 1)
    return bad (f, error, "/spikes/by_gid/offsets", "empty (expected n_gids + 1 values)");
  f->n_gids = nf[0] - 1;
  return TRUE;
}

#if H5_VERSION_GE (1, 12, 0)
#define ITERATE H5Literate2
#else
#define ITERATE H5Literate
#endif

static herr_t
collect (hid_t group, const char *name, const LinkInfo *info, void *data)
{
  GPtrArray *names = data;
  (void) group; (void) info;
  if (names->len >= 65536)
    return 1;
  g_ptr_array_add (names, g_strdup (name));
  return 0;
}

static gboolean
open_trace (NlH5File *f, hid_t traces, const char *lname, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/traces/%s", lname);
  g_autofree char *dpath = g_strconcat (path, "/data", NULL);
  g_autofree char *gpath = g_strconcat (path, "/gids", NULL);
  g_autofree char *lpath = g_strconcat (path, "/lengths", NULL);
  g_autofree char *tpath = g_strconcat (path, "/t", NULL);
  Trace *t = g_new0 (Trace, 1);
  guint64 n = 0;
  hsize_t dims[2], tdims[1];
  gboolean present;
  hid_t g;

  t->data = t->t = -1;
  g_ptr_array_add (f->traces, t);
  t->lname = g_strdup (lname);
  g = open_group (f, traces, lname, path, FALSE, error);
  if (g < 0)
    return FALSE;
  t->name = read_attr_str (f, g, path, "name", error);
  if (t->name)
    {
      /* Rows are read one at a time: straight from the file, not through a chunk cache. */
      hid_t dapl = H5Pcreate (H5P_DATASET_ACCESS);
      H5Pset_chunk_cache (dapl, 0, 0, 1.0);
      t->data = open_dataset (f, g, "data", dpath, FALSE, T_F64, 2, dims, NULL, dapl, error);
      H5Pclose (dapl);
    }
  if (t->data >= 0)
    t->gids = read_column (f, g, "gids", gpath, T_U32, dims[0], &n, error);
  if (t->gids && check_link (f, g, "lengths", lpath, TRUE, &present, error) && present)
    t->lengths = read_column (f, g, "lengths", lpath, T_U64, dims[0], NULL, error);
  if (t->gids && (!error || !*error))
    {
      t->t = open_dataset (f, g, "t", tpath, TRUE, T_F64, 1, tdims, NULL, H5P_DEFAULT, error);
      t->n_t = t->t >= 0 ? tdims[0] : 0;
    }
  H5Gclose (g);
  if (!t->gids || (error && *error))
    return FALSE;
  if (dims[0] >= G_MAXUINT32)
    return bad (f, error, dpath, "too many cells");
  t->n_cells = (guint) dims[0];
  t->width = dims[1];
  for (guint c = 0; t->lengths && c < t->n_cells; c++)
    if (t->lengths[c] > t->width)
      return bad (f, error, lpath, "cell %u has %" G_GUINT64_FORMAT " samples, more than the %"
                  G_GUINT64_FORMAT " columns of data", c, t->lengths[c], t->width);
  for (guint c = 0; f->n_cells > 0 && c < t->n_cells; c++)
    if (t->gids[c] >= f->n_cells)
      return bad (f, error, gpath, "gid %u is not below n_cells = %u", t->gids[c], f->n_cells);
  return TRUE;
}

static gboolean
open_traces (NlH5File *f, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  hid_t g = open_group (f, f->file, "traces", "/traces", TRUE, error);
  gboolean ok = TRUE;

  if (g < 0)
    return error == NULL || *error == NULL;
  /* In the order written (creation order), or by name when the file does not track it. */
  if (ITERATE (g, H5_INDEX_CRT_ORDER, H5_ITER_INC, NULL, collect, names) < 0)
    {
      g_ptr_array_set_size (names, 0);
      H5Eclear2 (H5E_DEFAULT);
      if (ITERATE (g, H5_INDEX_NAME, H5_ITER_INC, NULL, collect, names) < 0)
        ok = bad (f, error, "/traces", "cannot list its traces (truncated or corrupt file)");
    }
  for (guint i = 0; i < names->len && ok; i++)
    ok = open_trace (f, g, names->pdata[i], error);
  H5Gclose (g);
  return ok;
}

static gboolean
open_lfp (NlH5File *f, GError **error)
{
  hsize_t dims[2];
  hid_t g = open_group (f, f->file, "lfp", "/lfp", TRUE, error);

  if (g < 0)
    return error == NULL || *error == NULL;
  f->lfp_data = open_dataset (f, g, "data", "/lfp/data", TRUE, T_F64, 2, dims, NULL, H5P_DEFAULT, error);
  if (f->lfp_data >= 0)
    {
      f->lfp_ns = dims[0];
      if (dims[1] >= G_MAXUINT32)
        bad (f, error, "/lfp/data", "too many electrodes");
      f->lfp_ne = (guint) dims[1];
      f->lfp_dt = NAN;
      read_attr (f, g, "/lfp", "dt_ms", H5T_FLOAT, H5T_NATIVE_DOUBLE, &f->lfp_dt, TRUE, NULL, error);
    }
  H5Gclose (g);
  return error == NULL || *error == NULL;
}

NlH5File *
nl_h5_open (const char  *filename,
            GError     **error)
{
  g_autoptr(NlH5File) f = g_new0 (NlH5File, 1);
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  hid_t fapl;

  g_return_val_if_fail (filename != NULL, NULL);
  nl_h5_init ();
  f->filename = g_strdup (filename);
  f->file = f->spk_t = f->spk_gid = f->by_order = f->by_offsets = f->lfp_data = -1;
  f->duration = NAN;
  f->traces = g_ptr_array_new_with_free_func (trace_free);
  if (g_stat (filename, &st) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", filename, g_strerror (e));
      return NULL;
    }
  f->file_size = st.st_size;
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  /* Closing the file closes whatever is still open in it. A small sieve buffer: single
   * values are read as such. */
  H5Pset_fclose_degree (fapl, H5F_CLOSE_STRONG);
  H5Pset_sieve_buf_size (fapl, 4096);
  f->file = H5Fopen (filename, H5F_ACC_RDONLY, fapl);
  H5Pclose (fapl);
  if (f->file < 0)
    {
      H5Eclear2 (H5E_DEFAULT);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: cannot open as HDF5 (not HDF5, "
                   "or a truncated or corrupt file)", filename);
      return NULL;
    }
  if (H5Aexists (f->file, "netloom_format") <= 0)
    {
      H5Eclear2 (H5E_DEFAULT);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: HDF5, but not a NetLoom results "
                   "file (no root attribute 'netloom_format')", filename);
      return NULL;
    }
  if (!open_meta (f, error) || !open_pops (f, error) || !open_spikes (f, error)
      || !open_traces (f, error) || !open_lfp (f, error))
    return NULL;
  return g_steal_pointer (&f);
}

gboolean
nl_h5_is_native (const char *filename)
{
  hid_t file;
  gboolean yes;

  nl_h5_init ();
  if (H5Fis_hdf5 (filename) <= 0)
    {
      H5Eclear2 (H5E_DEFAULT);
      return FALSE;
    }
  file = H5Fopen (filename, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    {
      H5Eclear2 (H5E_DEFAULT);
      return FALSE;
    }
  yes = H5Aexists (file, "netloom_format") > 0;
  H5Fclose (file);
  H5Eclear2 (H5E_DEFAULT);
  return yes;
}

guint nl_h5_get_format_version (NlH5File *f) { return f->version; }
guint nl_h5_get_n_cells (NlH5File *f) { return f->n_cells; }
double nl_h5_get_duration (NlH5File *f) { return f->duration; }
JsonObject *nl_h5_get_meta (NlH5File *f) { return f->meta; }
guint nl_h5_get_n_pops (NlH5File *f) { return f->n_pops; }
guint64 nl_h5_get_n_spikes (NlH5File *f) { return f->n_spikes; }
guint nl_h5_get_n_traces (NlH5File *f) { return f->traces->len; }

const char *
nl_h5_get_pop_name (NlH5File *f, guint index)
{
  g_return_val_if_fail (index < f->n_pops, NULL);
  return f->pop_names[index];
}

const guint32 *
nl_h5_get_pop_gids (NlH5File *f, guint index, guint *n)
{
  g_return_val_if_fail (index < f->n_pops, NULL);
  *n = (guint) (f->pop_off[index + 1] - f->pop_off[index]);
  return f->pop_gids + f->pop_off[index];
}

char *
nl_h5_read_spec_json (NlH5File *f, GError **error)
{
  gboolean present;
  if (!check_link (f, f->file, "spec", "/spec", TRUE, &present, error) || !present)
    return NULL;
  char *text = read_text (f, f->file, "spec", "/spec", error);
  if (text && !g_utf8_validate (text, -1, NULL))
    {
      g_free (text);
      bad (f, error, "/spec", "not UTF-8 text");
      return NULL;
    }
  return text;
}

/* Checks spikes [first, first + n) just read: finite, sorted by (t, gid), gids in range. */
static gboolean
check_spikes (NlH5File *f, guint64 first, const double *t, const guint32 *g, guint64 n, GError **error)
{
  for (guint64 i = 0; i < n; i++)
    {
      if (!isfinite (t[i]))
        return bad (f, error, "/spikes/t", "value %" G_GUINT64_FORMAT " is not a finite time", first + i);
      if (i > 0 && (t[i - 1] > t[i] || (t[i - 1] == t[i] && g[i - 1] > g[i])))
        return bad (f, error, "/spikes/t", "not sorted by time (then gid) at %" G_GUINT64_FORMAT, first + i);
      if (f->n_cells > 0 && g[i] >= f->n_cells)
        return bad (f, error, "/spikes/gid", "gid %u at %" G_GUINT64_FORMAT " is not below n_cells = %u",
                    g[i], first + i, f->n_cells);
    }
  return TRUE;
}

gboolean
nl_h5_read_spikes (NlH5File *f, guint64 first, guint64 n, double *t_ms, guint32 *gids, GError **error)
{
  if (first > f->n_spikes || n > f->n_spikes - first)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: spikes %" G_GUINT64_FORMAT "..%"
                   G_GUINT64_FORMAT " asked, the file has %" G_GUINT64_FORMAT, f->filename, first, first + n,
                   f->n_spikes);
      return FALSE;
    }
  return read_slice (f, f->spk_t, "/spikes/t", H5T_NATIVE_DOUBLE, first, n, t_ms, error)
         && read_slice (f, f->spk_gid, "/spikes/gid", H5T_NATIVE_UINT32, first, n, gids, error)
         && check_spikes (f, first, t_ms, gids, n, error);
}

/* The first spike index whose time is >= t (or > t when `after`), by binary search. */
static gboolean
search_time (NlH5File *f, double t, gboolean after, guint64 *index, GError **error)
{
  guint64 lo = 0, hi = f->n_spikes;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      double v;
      if (!read_slice (f, f->spk_t, "/spikes/t", H5T_NATIVE_DOUBLE, mid, 1, &v, error))
        return FALSE;
      if (after ? v <= t : v < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  *index = lo;
  return TRUE;
}

gboolean
nl_h5_read_spikes_range (NlH5File *f, double t0, double t1, double **t_ms, guint32 **gids, guint64 *n,
                         GError **error)
{
  guint64 a = 0, b = 0;

  *t_ms = NULL;
  *gids = NULL;
  *n = 0;
  if (!(t0 < t1))
    return TRUE;
  if (!search_time (f, t0, FALSE, &a, error) || !search_time (f, t1, FALSE, &b, error))
    return FALSE;
  if (b < a)
    return bad (f, error, "/spikes/t", "not sorted by time");
  g_autofree double *t = g_new (double, MAX (b - a, 1));
  g_autofree guint32 *g = g_new (guint32, MAX (b - a, 1));
  if (!nl_h5_read_spikes (f, a, b - a, t, g, error))
    return FALSE;
  if (b > a && (t[0] < t0 || t[b - a - 1] >= t1))
    return bad (f, error, "/spikes/t", "not sorted by time");
  *t_ms = g_steal_pointer (&t);
  *gids = g_steal_pointer (&g);
  *n = b - a;
  return TRUE;
}

/* Reads the values of a 1-D dataset at `n` positions (ascending), one small hyperslab per
 * position: libhdf5's point selections are slower (they map every chunk). */
static gboolean
read_points (NlH5File *f, hid_t ds, const char *path, hid_t mt, const guint64 *pos, guint64 n, void *buf,
             GError **error)
{
  size_t size = H5Tget_size (mt);
  hsize_t one[1] = { 1 };
  hid_t fs, ms;
  herr_t st = 0;

  if (n == 0)
    return TRUE;
  fs = H5Dget_space (ds);
  ms = H5Screate_simple (1, one, NULL);
  if (fs < 0)
    st = -1;
  for (guint64 i = 0; i < n && st >= 0; i++)
    {
      hsize_t start[1] = { pos[i] };
      st = H5Sselect_hyperslab (fs, H5S_SELECT_SET, start, NULL, one, NULL);
      if (st >= 0)
        st = H5Dread (ds, mt, ms, fs, H5P_DEFAULT, (char *) buf + i * size);
    }
  if (fs >= 0) H5Sclose (fs);
  H5Sclose (ms);
  return st >= 0 || bad (f, error, path, "cannot read (truncated or corrupt file)");
}

gboolean
nl_h5_read_spikes_of_gid (NlH5File *f, guint32 gid, double **t_ms, guint64 *n, GError **error)
{
  guint64 off[2];

  *t_ms = NULL;
  *n = 0;
  if (f->by_offsets < 0)
    {
      /* No index (sparse gids): scan the gid column in blocks. */
      g_autoptr(GArray) pos = g_array_new (FALSE, FALSE, sizeof (guint64));
      const guint64 block = 1u << 20;
      g_autofree guint32 *g = g_new (guint32, MIN (MAX (f->n_spikes, 1), block));
      for (guint64 first = 0; first < f->n_spikes; first += block)
        {
          guint64 m = MIN (block, f->n_spikes - first);
          if (!read_slice (f, f->spk_gid, "/spikes/gid", H5T_NATIVE_UINT32, first, m, g, error))
            return FALSE;
          for (guint64 i = 0; i < m; i++)
            if (g[i] == gid)
              {
                guint64 p = first + i;
                g_array_append_val (pos, p);
              }
        }
      double *t = g_new (double, MAX (pos->len, 1));
      if (!read_points (f, f->spk_t, "/spikes/t", H5T_NATIVE_DOUBLE, (guint64 *) pos->data, pos->len, t, error))
        {
          g_free (t);
          return FALSE;
        }
      for (guint i = 0; i < pos->len; i++)
        if (!isfinite (t[i]) || (i > 0 && t[i - 1] > t[i]))
          {
            g_free (t);
            return bad (f, error, "/spikes/t", "not sorted by time (value %" G_GUINT64_FORMAT ")",
                        g_array_index (pos, guint64, i));
          }
      *t_ms = t;
      *n = pos->len;
      return TRUE;
    }
  if (gid >= f->n_gids)
    return TRUE;
  if (!read_slice (f, f->by_offsets, "/spikes/by_gid/offsets", H5T_NATIVE_UINT64, gid, 2, off, error))
    return FALSE;
  if (off[0] > off[1] || off[1] > f->n_spikes)
    return bad (f, error, "/spikes/by_gid/offsets", "entries %u and %u (%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                ") are not an ascending range within the %" G_GUINT64_FORMAT " spikes", gid, gid + 1, off[0],
                off[1], f->n_spikes);
  guint64 k = off[1] - off[0];
  g_autofree guint64 *pos = g_new (guint64, MAX (k, 1));
  g_autofree guint32 *check = g_new (guint32, MAX (k, 1));
  g_autofree double *t = g_new (double, MAX (k, 1));
  if (!read_slice (f, f->by_order, "/spikes/by_gid/order", H5T_NATIVE_UINT64, off[0], k, pos, error))
    return FALSE;

  for (guint64 i = 0; i < k; i++)
    if (pos[i] >= f->n_spikes || (i > 0 && pos[i] <= pos[i - 1]))
      return bad (f, error, "/spikes/by_gid/order", "entry %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
                  ") is not an ascending spike position", off[0] + i, pos[i]);
  if (!read_points (f, f->spk_gid, "/spikes/gid", H5T_NATIVE_UINT32, pos, k, check, error)
      || !read_points (f, f->spk_t, "/spikes/t", H5T_NATIVE_DOUBLE, pos, k, t, error))
    return FALSE;
  for (guint64 i = 0; i < k; i++)
    {
      if (check[i] != gid)
        return bad (f, error, "/spikes/by_gid/order", "entry %" G_GUINT64_FORMAT " points at a spike of gid %u, "
                    "not %u", off[0] + i, check[i], gid);
      /* Later positions are later times in a file sorted by time. */
      if (!isfinite (t[i]) || (i > 0 && t[i - 1] > t[i]))
        return bad (f, error, "/spikes/t", "not sorted by time (value %" G_GUINT64_FORMAT ")", pos[i]);
    }
  *t_ms = g_steal_pointer (&t);
  *n = k;
  return TRUE;
}

const char *
nl_h5_get_trace_name (NlH5File *f, guint trace)
{
  g_return_val_if_fail (trace < f->traces->len, NULL);
  return ((Trace *) f->traces->pdata[trace])->name;
}

const guint32 *
nl_h5_get_trace_gids (NlH5File *f, guint trace, guint *n_cells)
{
  g_return_val_if_fail (trace < f->traces->len, NULL);
  Trace *t = f->traces->pdata[trace];
  *n_cells = t->n_cells;
  return t->gids;
}

guint64
nl_h5_get_trace_n_samples (NlH5File *f, guint trace)
{
  g_return_val_if_fail (trace < f->traces->len, 0);
  return ((Trace *) f->traces->pdata[trace])->width;
}

gboolean
nl_h5_read_trace (NlH5File *f, guint trace, guint cell, double **values, guint64 *n_samples, GError **error)
{
  g_return_val_if_fail (trace < f->traces->len, FALSE);
  Trace *t = f->traces->pdata[trace];
  g_return_val_if_fail (cell < t->n_cells, FALSE);
  guint64 n = t->lengths ? t->lengths[cell] : t->width;
  g_autofree char *path = g_strdup_printf ("/traces/%s/data", t->lname);
  double *v = g_new (double, MAX (n, 1));
  hsize_t start[2] = { cell, 0 }, count[2] = { 1, n };
  hid_t fs = H5Dget_space (t->data), ms = H5Screate_simple (2, count, NULL);
  herr_t st = n == 0 ? 0 : fs >= 0 ? H5Sselect_hyperslab (fs, H5S_SELECT_SET, start, NULL, count, NULL) : -1;
  if (st >= 0 && n > 0)
    st = H5Dread (t->data, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, v);
  if (fs >= 0) H5Sclose (fs);
  H5Sclose (ms);
  if (st < 0)
    {
      g_free (v);
      return bad (f, error, path, "cannot read row %u (truncated or corrupt file)", cell);
    }
  *values = v;
  *n_samples = n;
  return TRUE;
}

gboolean
nl_h5_read_trace_time (NlH5File *f, double **t_ms, guint64 *n, GError **error)
{
  *t_ms = NULL;
  *n = 0;
  for (guint k = 0; k < f->traces->len; k++)
    {
      Trace *t = f->traces->pdata[k];
      if (t->t < 0)
        continue;
      g_autofree char *path = g_strdup_printf ("/traces/%s/t", t->lname);
      double *v = g_new (double, MAX (t->n_t, 1));
      if (t->n_t > 0 && H5Dread (t->t, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        {
          g_free (v);
          return bad (f, error, path, "cannot read (truncated or corrupt file)");
        }
      *t_ms = v;
      *n = t->n_t;
      return TRUE;
    }
  return TRUE;
}

gboolean
nl_h5_get_lfp_shape (NlH5File *f, guint64 *n_samples, guint *n_electrodes, double *dt_ms)
{
  if (f->lfp_data < 0)
    return FALSE;
  *n_samples = f->lfp_ns;
  *n_electrodes = f->lfp_ne;
  *dt_ms = f->lfp_dt;
  return TRUE;
}

gboolean
nl_h5_read_lfp (NlH5File *f, double **data, GError **error)
{
  *data = NULL;
  if (f->lfp_data < 0)
    return TRUE;
  double *v = g_new (double, MAX (f->lfp_ns * f->lfp_ne, 1));
  if (f->lfp_ns * f->lfp_ne > 0 && H5Dread (f->lfp_data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
    {
      g_free (v);
      return bad (f, error, "/lfp/data", "cannot read (truncated or corrupt file)");
    }
  *data = v;
  return TRUE;
}

/* Electrode positions and the per-population/per-cell parts, into `r`. */
static gboolean
read_lfp_extras (NlH5File *f, NlResults *r, GError **error)
{
  hsize_t dims[3];
  gboolean present;
  hid_t g = open_group (f, f->file, "lfp", "/lfp", TRUE, error), ds;
  gboolean ok = FALSE;

  if (g < 0)
    return error == NULL || *error == NULL;
  ds = open_dataset (f, g, "electrodes", "/lfp/electrodes", TRUE, T_F64, 2, dims, NULL, H5P_DEFAULT, error);
  if (ds >= 0)
    {
      if (dims[1] != 3 || dims[0] >= G_MAXUINT32 || (f->lfp_data >= 0 && dims[0] != f->lfp_ne))
        {
          bad (f, error, "/lfp/electrodes", "expected %u × 3 positions, found %" G_GUINT64_FORMAT " × %"
               G_GUINT64_FORMAT, f->lfp_ne, (guint64) dims[0], (guint64) dims[1]);
          H5Dclose (ds);
          goto out;
        }
      double *xyz = g_new (double, MAX (dims[0] * 3, 1));
      if (dims[0] > 0 && H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, xyz) < 0)
        {
          g_free (xyz);
          H5Dclose (ds);
          bad (f, error, "/lfp/electrodes", "cannot read (truncated or corrupt file)");
          goto out;
        }
      H5Dclose (ds);
      nl_results_set_lfp_electrodes (r, xyz, (guint) dims[0]);
    }
  else if (error && *error)
    goto out;

  if (!check_link (f, g, "parts", "/lfp/parts", TRUE, &present, error))
    goto out;
  if (present)
    {
      guint64 np = 0;
      ds = open_dataset (f, g, "parts", "/lfp/parts", FALSE, T_F64, 3, dims, NULL, H5P_DEFAULT, error);
      if (ds < 0)
        goto out;
      if (f->lfp_data < 0 || dims[1] != f->lfp_ns || dims[2] != f->lfp_ne || dims[0] >= G_MAXUINT32)
        {
          H5Dclose (ds);
          bad (f, error, "/lfp/parts", "expected parts × %" G_GUINT64_FORMAT " × %u (the shape of /lfp/data)",
               f->lfp_ns, f->lfp_ne);
          goto out;
        }
      np = dims[0];
      g_auto (GStrv) pops = read_strings (f, g, "part_pops", "/lfp/part_pops", np, NULL, error);
      g_autofree guint32 *gids = pops ? read_column (f, g, "part_gids", "/lfp/part_gids", T_U32, np, NULL, error) : NULL;
      if (!gids)
        {
          H5Dclose (ds);
          goto out;
        }
      guint64 size = f->lfp_ns * f->lfp_ne;
      for (guint64 i = 0; i < np; i++)
        {
          double *data = g_new (double, MAX (size, 1));
          hsize_t start[3] = { i, 0, 0 }, count[3] = { 1, f->lfp_ns, f->lfp_ne };
          hid_t fs = H5Dget_space (ds), ms = H5Screate_simple (3, count, NULL);
          herr_t st = size == 0 ? 0 : fs >= 0 ? H5Sselect_hyperslab (fs, H5S_SELECT_SET, start, NULL, count, NULL) : -1;
          if (st >= 0 && size > 0)
            st = H5Dread (ds, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, data);
          if (fs >= 0) H5Sclose (fs);
          H5Sclose (ms);
          gboolean is_pop = pops[i][0] != '\0';
          if (st < 0 || is_pop == (gids[i] != G_MAXUINT32))
            {
              g_free (data);
              H5Dclose (ds);
              if (st < 0)
                bad (f, error, "/lfp/parts", "cannot read part %" G_GUINT64_FORMAT " (truncated or corrupt file)", i);
              else
                bad (f, error, "/lfp/part_pops", "part %" G_GUINT64_FORMAT ": expected either a population "
                     "name or a gid (part_gids = 4294967295 for populations)", i);
              goto out;
            }
          nl_results_add_lfp_part (r, is_pop ? NL_LFP_PART_POP : NL_LFP_PART_CELL, is_pop ? pops[i] : NULL,
                                   gids[i], data);
        }
      H5Dclose (ds);
    }
  ok = TRUE;
out:
  H5Gclose (g);
  return ok;
}

NlResults *
nl_h5_read_results (const char *filename, GError **error)
{
  g_autoptr(NlH5File) f = nl_h5_open (filename, error);
  g_autoptr(NlResults) r = NULL;
  guint64 n;

  if (!f)
    return NULL;
  r = nl_results_new ();
  nl_results_set_n_cells (r, f->n_cells);
  nl_results_set_duration (r, f->duration);
  for (guint p = 0; p < f->n_pops; p++)
    {
      guint k;
      const guint32 *g = nl_h5_get_pop_gids (f, p, &k);
      nl_results_add_pop (r, f->pop_names[p], g, k);
    }
  n = f->n_spikes;
  if (f->spk_t >= 0)
    {
      double *t = g_new (double, MAX (n, 1));
      guint32 *g = g_new (guint32, MAX (n, 1));
      if (!nl_h5_read_spikes (f, 0, n, t, g, error))
        {
          g_free (t);
          g_free (g);
          return NULL;
        }
      nl_results_set_spikes (r, t, g, n);
    }
  {
    double *t;
    guint64 nt;
    if (!nl_h5_read_trace_time (f, &t, &nt, error))
      return NULL;
    if (t)
      nl_results_set_trace_time (r, t, nt);
  }
  for (guint k = 0; k < f->traces->len; k++)
    {
      Trace *t = f->traces->pdata[k];
      for (guint c = 0; c < t->n_cells; c++)
        {
          double *v;
          guint64 ns;
          if (!nl_h5_read_trace (f, k, c, &v, &ns, error))
            return NULL;
          nl_results_add_trace (r, t->name, t->gids[c], v, ns);
        }
    }
  if (f->lfp_data >= 0)
    {
      double *lfp;
      if (!nl_h5_read_lfp (f, &lfp, error))
        return NULL;
      nl_results_set_lfp (r, lfp, f->lfp_ns, f->lfp_ne, f->lfp_dt);
    }
  if (!read_lfp_extras (f, r, error))
    return NULL;
  {
    JsonObject *meta = nl_results_get_meta (r);
    g_autoptr(GList) keys = json_object_get_members (f->meta);
    for (GList *l = keys; l; l = l->next)
      json_object_set_member (meta, l->data, json_node_copy (json_object_get_member (f->meta, l->data)));
    json_object_set_string_member (meta, "format", "netloom-h5");
  }
  return g_steal_pointer (&r);
}

/* The network. */

void
nl_h5_network_free (NlH5Network *net)
{
  if (!net)
    return;
  g_strfreev (net->pop_names);
  g_strfreev (net->pop_cell_types);
  g_strfreev (net->pop_cell_models);
  g_free (net->pop_first);
  g_free (net->pop_n_cells);
  g_free (net->pop_cell_rule);
  g_free (net->pop_artificial);
  g_free (net->cell_pop);
  for (guint c = 0; c < NL_N_COORDS; c++)
    g_free (net->coords[c]);
  g_strfreev (net->rule_labels);
  g_free (net->rule_kind);
  g_strfreev (net->rule_sources);
  g_strfreev (net->rule_source_types);
  g_free (net->rule_pointer);
  g_free (net->rule_bidirectional);
  g_strfreev (net->syn_mechs);
  g_strfreev (net->secs);
  g_strfreev (net->cell_rules);
  NlH5Conns *cs[2] = { &net->conns, &net->stim_conns };
  for (guint k = 0; k < 2; k++)
    {
      g_free (cs[k]->pre);
      g_free (cs[k]->post);
      g_free (cs[k]->weight);
      g_free (cs[k]->delay);
      g_free (cs[k]->loc);
      g_free (cs[k]->rule);
      g_free (cs[k]->syn);
      g_free (cs[k]->sec);
    }
  g_free (net->stim_cell);
  g_free (net->stim_rule);
  g_free (net->stim_sec);
  g_free (net->stim_loc);
  g_free (net->vecstim_offsets);
  g_free (net->vecstim_times);
  g_free (net);
}

static gboolean
check_index32 (NlH5File *f, const char *path, const guint32 *v, guint64 n, guint64 limit, GError **error)
{
  for (guint64 i = 0; i < n; i++)
    if (v[i] >= limit)
      return bad (f, error, path, "value %u at %" G_GUINT64_FORMAT " is not below %" G_GUINT64_FORMAT,
                  v[i], i, limit);
  return TRUE;
}

static gboolean
check_index16 (NlH5File *f, const char *path, const guint16 *v, guint64 n, guint64 limit, gboolean none_ok,
               GError **error)
{
  for (guint64 i = 0; i < n; i++)
    if (v[i] >= limit && !(none_ok && v[i] == NL_SEC_NONE))
      return bad (f, error, path, "value %u at %" G_GUINT64_FORMAT " is not below %" G_GUINT64_FORMAT,
                  v[i], i, limit);
  return TRUE;
}

static gboolean
read_conns (NlH5File *f, hid_t net_grp, const char *name, NlH5Conns *c, guint64 pre_limit, const NlH5Network *net,
            guint64 n_syn, guint64 n_sec, GError **error)
{
  g_autofree char *gpath = g_strdup_printf ("/network/%s", name);
  hid_t g = open_group (f, net_grp, name, gpath, FALSE, error);
  guint64 n = 0;
  gboolean ok;

  if (g < 0)
    return FALSE;
#define COL(field, col, want, expect) \
  (c->field = read_column (f, g, col, (p = g_strdup_printf ("%s/%s", gpath, col)), want, expect, &n, error), \
   g_free (p), c->field != NULL)
  char *p;
  ok = COL (pre, "pre", T_U32, G_MAXUINT64);
  c->n = n;
  ok = ok && COL (post, "post", T_U32, c->n) && COL (weight, "weight", T_F32, c->n)
       && COL (delay, "delay", T_F32, c->n) && COL (loc, "loc", T_F32, c->n)
       && COL (rule, "rule", T_U16, c->n) && COL (syn, "syn", T_U16, c->n) && COL (sec, "sec", T_U16, c->n);
#undef COL
  H5Gclose (g);
  if (!ok)
    return FALSE;
  g_autofree char *pp = g_strconcat (gpath, "/pre", NULL);
  g_autofree char *pq = g_strconcat (gpath, "/post", NULL);
  g_autofree char *pr = g_strconcat (gpath, "/rule", NULL);
  g_autofree char *ps = g_strconcat (gpath, "/syn", NULL);
  g_autofree char *pc = g_strconcat (gpath, "/sec", NULL);
  return check_index32 (f, pp, c->pre, c->n, pre_limit, error)
         && check_index32 (f, pq, c->post, c->n, net->n_cells, error)
         && check_index16 (f, pr, c->rule, c->n, net->n_rules, FALSE, error)
         && check_index16 (f, ps, c->syn, c->n, n_syn, FALSE, error)
         && check_index16 (f, pc, c->sec, c->n, n_sec, TRUE, error);
}

NlH5Network *
nl_h5_read_network (NlH5File *f, GError **error)
{
  static const char *coord_names[NL_N_COORDS] = { "x", "y", "z", "xnorm", "ynorm", "znorm" };
  g_autoptr(NlH5Network) net = g_new0 (NlH5Network, 1);
  guint64 n_cells = 0, np = 0, nr = 0, n_syn = 0, n_sec = 0, ns = 0;
  hid_t g, sub;
  gboolean ok = FALSE;
  g_autofree guint32 *gid = NULL;

  g = open_group (f, f->file, "network", "/network", TRUE, error);
  if (g < 0)
    return NULL;
  if (!read_attr (f, g, "/network", "n_cells", H5T_INTEGER, H5T_NATIVE_UINT64, &n_cells, FALSE, NULL, error))
    goto out;
  if (n_cells >= G_MAXUINT32)
    {
      bad (f, error, "/network", "attribute 'n_cells' too large");
      goto out;
    }
  net->n_cells = (guint) n_cells;

  if ((sub = open_group (f, g, "pops", "/network/pops", FALSE, error)) < 0)
    goto out;
  net->pop_names = read_strings (f, sub, "names", "/network/pops/names", G_MAXUINT64, &np, error);
  ok = net->pop_names
       && (net->pop_cell_types = read_strings (f, sub, "cell_types", "/network/pops/cell_types", np, NULL, error))
       && (net->pop_cell_models = read_strings (f, sub, "cell_models", "/network/pops/cell_models", np, NULL, error))
       && (net->pop_first = read_column (f, sub, "first", "/network/pops/first", T_U32, np, NULL, error))
       && (net->pop_n_cells = read_column (f, sub, "n_cells", "/network/pops/n_cells", T_U32, np, NULL, error))
       && (net->pop_cell_rule = read_column (f, sub, "cell_rule", "/network/pops/cell_rule", T_I32, np, NULL, error))
       && (net->pop_artificial = read_column (f, sub, "artificial", "/network/pops/artificial", T_U8, np, NULL, error));
  H5Gclose (sub);
  if (!ok)
    goto out;
  ok = FALSE;
  net->n_pops = (guint) np;
  for (guint p = 0; p < np; p++)
    if ((guint64) net->pop_first[p] + net->pop_n_cells[p] > n_cells)
      {
        bad (f, error, "/network/pops/first", "population %u (%s) reaches beyond n_cells = %u", p,
             net->pop_names[p], net->n_cells);
        goto out;
      }

  if ((sub = open_group (f, g, "cells", "/network/cells", FALSE, error)) < 0)
    goto out;
  gboolean cells_ok = (gid = read_column (f, sub, "gid", "/network/cells/gid", T_U32, n_cells, NULL, error))
                      && (net->cell_pop = read_column (f, sub, "pop", "/network/cells/pop", T_U32, n_cells, NULL, error));
  for (guint c = 0; c < NL_N_COORDS && cells_ok; c++)
    {
      g_autofree char *path = g_strdup_printf ("/network/cells/%s", coord_names[c]);
      cells_ok = (net->coords[c] = read_column (f, sub, coord_names[c], path, T_F64, n_cells, NULL, error)) != NULL;
    }
  H5Gclose (sub);
  if (!cells_ok || !check_index32 (f, "/network/cells/pop", net->cell_pop, n_cells, np, error))
    goto out;
  for (guint i = 0; i < n_cells; i++)
    if (gid[i] != i)
      {
        bad (f, error, "/network/cells/gid", "row %u holds gid %u (rows are gids 0, 1, 2 …)", i, gid[i]);
        goto out;
      }

  if ((sub = open_group (f, g, "rules", "/network/rules", FALSE, error)) < 0)
    goto out;
  net->rule_labels = read_strings (f, sub, "labels", "/network/rules/labels", G_MAXUINT64, &nr, error);
  ok = net->rule_labels && nr <= G_MAXUINT16
       && (net->rule_kind = read_column (f, sub, "kind", "/network/rules/kind", T_U8, nr, NULL, error))
       && (net->rule_sources = read_strings (f, sub, "sources", "/network/rules/sources", nr, NULL, error))
       && (net->rule_source_types = read_strings (f, sub, "source_types", "/network/rules/source_types", nr, NULL, error))
       && (net->rule_pointer = read_column (f, sub, "pointer", "/network/rules/pointer", T_U8, nr, NULL, error))
       && (net->rule_bidirectional = read_column (f, sub, "bidirectional", "/network/rules/bidirectional", T_U8, nr, NULL, error));
  H5Gclose (sub);
  if (!ok)
    {
      if (net->rule_labels && nr > G_MAXUINT16)
        bad (f, error, "/network/rules/labels", "more than 65535 rules");
      goto out;
    }
  ok = FALSE;
  net->n_rules = (guint) nr;
  for (guint i = 0; i < nr; i++)
    if (net->rule_kind[i] > NL_RULE_STIM)
      {
        bad (f, error, "/network/rules/kind", "rule %u: kind %u is neither 0 (connection) nor 1 (stimulus)", i,
             net->rule_kind[i]);
        goto out;
      }
  if (!(net->syn_mechs = read_strings (f, g, "syn_mechs", "/network/syn_mechs", G_MAXUINT64, &n_syn, error))
      || !(net->secs = read_strings (f, g, "secs", "/network/secs", G_MAXUINT64, &n_sec, error))
      || !(net->cell_rules = read_strings (f, g, "cell_rules", "/network/cell_rules", G_MAXUINT64, NULL, error)))
    goto out;

  if ((sub = open_group (f, g, "stims", "/network/stims", FALSE, error)) < 0)
    goto out;
  ok = (net->stim_cell = read_column (f, sub, "cell", "/network/stims/cell", T_U32, G_MAXUINT64, &ns, error))
       && ns < G_MAXUINT32
       && (net->stim_rule = read_column (f, sub, "rule", "/network/stims/rule", T_U16, ns, NULL, error))
       && (net->stim_sec = read_column (f, sub, "sec", "/network/stims/sec", T_U16, ns, NULL, error))
       && (net->stim_loc = read_column (f, sub, "loc", "/network/stims/loc", T_F32, ns, NULL, error));
  H5Gclose (sub);
  if (!ok)
    {
      if (net->stim_cell && ns >= G_MAXUINT32)
        bad (f, error, "/network/stims/cell", "too many stimuli");
      goto out;
    }
  ok = FALSE;
  net->n_stims = (guint) ns;
  if (!check_index32 (f, "/network/stims/cell", net->stim_cell, ns, n_cells, error)
      || !check_index16 (f, "/network/stims/rule", net->stim_rule, ns, nr, FALSE, error)
      || !check_index16 (f, "/network/stims/sec", net->stim_sec, ns, n_sec, TRUE, error))
    goto out;

  if (!read_conns (f, g, "conns", &net->conns, n_cells, net, n_syn, n_sec, error)
      || !read_conns (f, g, "stim_conns", &net->stim_conns, ns, net, n_syn, n_sec, error))
    goto out;

  if ((sub = open_group (f, g, "vecstim", "/network/vecstim", TRUE, error)) >= 0)
    {
      guint64 nt = 0;
      gboolean vs = (net->vecstim_offsets = read_column (f, sub, "offsets", "/network/vecstim/offsets", T_U64,
                                                          n_cells + 1, NULL, error))
                    && (net->vecstim_times = read_column (f, sub, "times", "/network/vecstim/times", T_F64,
                                                           G_MAXUINT64, &nt, error));
      H5Gclose (sub);
      if (!vs)
        goto out;
      if (net->vecstim_offsets[0] != 0 || net->vecstim_offsets[n_cells] != nt)
        {
          bad (f, error, "/network/vecstim/offsets", "expected 0 … %" G_GUINT64_FORMAT " (the length of times)", nt);
          goto out;
        }
      for (guint i = 0; i < n_cells; i++)
        if (net->vecstim_offsets[i] > net->vecstim_offsets[i + 1])
          {
            bad (f, error, "/network/vecstim/offsets", "not ascending at cell %u", i);
            goto out;
          }
    }
  else if (error && *error)
    goto out;
  ok = TRUE;
out:
  H5Gclose (g);
  return ok ? g_steal_pointer (&net) : NULL;
}
