/* nl-hdf5storage-read.c — NetPyNE's .hdf5 results (saveHDF5: hdf5storage.writes of the
 * saveData dict), walked with the HDF5 C API.
 *
 * hdf5storage writes MATLAB 7.3-style files with Python metadata: a dict is a group
 * (MATLAB_class "struct", Python.Type "dict"), a number a 1×1 dataset, a str a uint16
 * "char" dataset, a list or tuple a "cell" dataset of object references into /#refs#, each
 * element its own dataset, an empty value a dataset of its dimensions with MATLAB_empty = 1
 * (None: Python.Type "builtins.NoneType"). Arrays are stored transposed (HDF5 dims are the
 * reverse of MATLAB's); Python.Shape, when present, gives the Python shape. The tree then goes
 * through nl_mat_tree_to_results like a MAT file's.
 */
#include "nl-mat.h"

#include <hdf5.h>
#include <string.h>
#include <glib/gstdio.h>

#define NL_H5S_MAX_RATIO 1100
#define NL_H5S_SLACK     (G_GUINT64_CONSTANT (1) << 20)
#define NL_H5S_MAX_DEPTH 128
#define NL_H5S_MAX_RANK  32

typedef struct {
  const char *filename;
  guint64     budget;     /* bytes declared sizes may still claim */
  GHashTable *visited;    /* object addresses already walked */
  gboolean    check_only; /* follow references and check sizes, read no values */
} Walk;

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

static JsonNode *
fail (Walk *w, GError **error, const char *path, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static JsonNode *
fail (Walk *w, GError **error, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: %s", w->filename,
               *path ? path : "/", msg);
  return NULL;
}

/* Each object once: a second visit is a cycle or a shared reference, which hdf5storage never
 * writes and which could otherwise expand a small file into an unbounded tree. */
static gboolean
first_visit (Walk *w, hid_t obj)
{
  char *key;
#if H5_VERSION_GE (1, 12, 0)
  H5O_info2_t info;
  if (H5Oget_info3 (obj, &info, H5O_INFO_BASIC) < 0)
    return FALSE;
  key = g_base64_encode ((const guchar *) &info.token, sizeof info.token);
#else
  H5O_info_t info;
  if (H5Oget_info2 (obj, &info, H5O_INFO_BASIC) < 0)
    return FALSE;
  key = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) info.addr);
#endif
  return g_hash_table_add (w->visited, key);
}

/* A fixed-length string attribute (hdf5storage's MATLAB_class, Python.Type), or NULL. */
static char *
string_attr (hid_t obj, const char *name)
{
  char *value = NULL;
  if (H5Aexists (obj, name) <= 0)
    return NULL;
  hid_t a = H5Aopen (obj, name, H5P_DEFAULT);
  hid_t t = a >= 0 ? H5Aget_type (a) : -1;
  hid_t s = a >= 0 ? H5Aget_space (a) : -1;
  if (t >= 0 && s >= 0 && H5Tget_class (t) == H5T_STRING && H5Tis_variable_str (t) == 0
      && H5Sget_simple_extent_npoints (s) == 1)
    {
      size_t size = H5Tget_size (t);
      if (size > 0 && size < 4096)
        {
          hid_t mt = H5Tcopy (H5T_C_S1);
          H5Tset_size (mt, size + 1);
          H5Tset_strpad (mt, H5T_STR_NULLTERM);
          value = g_malloc0 (size + 1);
          if (H5Aread (a, mt, value) < 0)
            g_clear_pointer (&value, g_free);
          H5Tclose (mt);
        }
    }
  if (s >= 0)
    H5Sclose (s);
  if (t >= 0)
    H5Tclose (t);
  if (a >= 0)
    H5Aclose (a);
  return value;
}

/* A small integer array attribute (Python.Shape, MATLAB_empty); -1 when absent or odd. */
static int
int_attr (hid_t obj, const char *name, guint64 *values, int max)
{
  int n = -1;
  if (H5Aexists (obj, name) <= 0)
    return -1;
  hid_t a = H5Aopen (obj, name, H5P_DEFAULT);
  hid_t t = a >= 0 ? H5Aget_type (a) : -1;
  hid_t s = a >= 0 ? H5Aget_space (a) : -1;
  if (t >= 0 && s >= 0 && H5Tget_class (t) == H5T_INTEGER)
    {
      hssize_t np = H5Sget_simple_extent_npoints (s);
      if (np >= 0 && np <= max)
        {
          guint64 buf[NL_H5S_MAX_RANK + 1];
          if (np == 0 || H5Aread (a, H5T_NATIVE_UINT64, buf) >= 0)
            {
              n = (int) np;
              memcpy (values, buf, np * sizeof (guint64));
            }
        }
    }
  if (s >= 0)
    H5Sclose (s);
  if (t >= 0)
    H5Tclose (t);
  if (a >= 0)
    H5Aclose (a);
  return n;
}

static gboolean
is (const char *value, const char *expected)
{
  return value && g_str_equal (value, expected);
}

static JsonNode *walk_object (Walk *w, hid_t obj, const char *path, int depth, GError **error);

/* ---- groups (dicts) ---------------------------------------------------------------- */

#if H5_VERSION_GE (1, 12, 0)
typedef H5L_info2_t LinkInfo;
#define ITERATE H5Literate2
#else
typedef H5L_info_t LinkInfo;
#define ITERATE H5Literate
#endif

typedef struct {
  GPtrArray *names;
  gboolean   soft;   /* a link that is not a hard link */
} Links;

static herr_t
collect_link (hid_t group, const char *name, const LinkInfo *info, void *data)
{
  Links *l = data;
  (void) group;
  if (info->type != H5L_TYPE_HARD)
    {
      l->soft = TRUE;
      return 1;
    }
  if (l->names->len >= (1u << 24))
    return 1;
  g_ptr_array_add (l->names, g_strdup (name));
  return 0;
}

static JsonNode *
walk_group (Walk *w, hid_t g, const char *path, int depth, GError **error)
{
  Links links = { g_ptr_array_new_with_free_func (g_free), FALSE };
  hsize_t idx = 0;
  JsonObject *o;

  if (ITERATE (g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_link, &links) < 0 || links.soft)
    {
      g_ptr_array_unref (links.names);
      return fail (w, error, path, links.soft ? "holds a soft or external link, which NetPyNE's "
                   "files never have" : "cannot list the group's members (corrupt file?)");
    }
  /* Members in name order: hdf5storage records a dict's keys sorted (MATLAB_fields), so this
   * is its order too, without reading variable-length data (MATLAB_fields), the part of
   * libhdf5 that corrupt files crash most easily. */
  o = json_object_new ();
  for (guint i = 0; i < links.names->len; i++)
    {
      const char *name = g_ptr_array_index (links.names, i);
      /* hdf5storage's reference store and NetPyNE's list of top-level keys. */
      if (depth == 0 && (g_str_equal (name, "#refs#") || g_str_equal (name, "__np_keys__")))
        continue;
      g_autofree char *sub = *path ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);
      hid_t child = H5Oopen (g, name, H5P_DEFAULT);
      JsonNode *v = child >= 0 ? walk_object (w, child, sub, depth + 1, error)
                               : fail (w, error, sub, "cannot be opened (corrupt file?)");
      if (child >= 0)
        H5Oclose (child);
      if (!v)
        {
          json_object_unref (o);
          g_ptr_array_unref (links.names);
          return NULL;
        }
      json_object_set_member (o, name, v);
    }
  g_ptr_array_unref (links.names);
  return nl_mat_take_object (o);
}

/* ---- datasets ----------------------------------------------------------------------- */

typedef enum { K_DOUBLE, K_INT, K_UINT, K_BOOL } Kind;

static JsonNode *
get_number (const void *data, gsize i, gpointer user_data)
{
  Kind k = GPOINTER_TO_INT (user_data);
  JsonNode *n = json_node_alloc ();
  switch (k)
    {
    case K_DOUBLE: return json_node_init_double (n, ((const double *) data)[i]);
    case K_INT: return json_node_init_int (n, ((const gint64 *) data)[i]);
    case K_BOOL: return json_node_init_boolean (n, ((const guint64 *) data)[i] != 0);
    case K_UINT:
    default:
      {
        guint64 u = ((const guint64 *) data)[i];
        return u <= G_MAXINT64 ? json_node_init_int (n, (gint64) u)
                               : json_node_init_double (n, (double) u);
      }
    }
}

static JsonNode *
get_node (const void *data, gsize i, gpointer user_data)
{
  return json_node_ref (((JsonNode *const *) data)[i]);
}

/* The JSON shape of `n` elements: the Python shape when hdf5storage recorded one that fits,
 * else MATLAB's (HDF5's reversed) with NetPyNE's vector/matrix rules for `path`. */
static JsonNode *
shape_elements (hid_t ds, int rank, const hsize_t *h5dims, gsize n, gboolean cell, const char *path,
                NlMatElementFunc get, const void *data, gpointer user_data)
{
  guint64 py[NL_H5S_MAX_RANK];
  int prank = int_attr (ds, "Python.Shape", py, NL_H5S_MAX_RANK);
  gsize dims[NL_H5S_MAX_RANK];

  if (prank >= 0)
    {
      gsize total = 1;
      for (int i = 0; i < prank; i++)
        if (!g_size_checked_mul (&total, total, py[i]))
          total = 0;
      if (total == n)
        {
          if (prank == 0)
            return get (data, 0, user_data);
          for (int i = 0; i < prank; i++)
            dims[i] = py[i];
          if (prank == 1)
            return nl_mat_array_to_json (1, dims, NL_MAT_SHAPE_VECTOR, get, data, user_data);
          return nl_mat_array_to_json (prank, dims, NL_MAT_SHAPE_MATRIX, get, data, user_data);
        }
    }
  for (int i = 0; i < rank; i++)
    dims[i] = h5dims[rank - 1 - i];
  if (rank == 0)
    dims[0] = 1, rank = 1;
  NlMatShape shape = nl_mat_shape_for_path (path);
  /* A cell is a list even when it holds one element. */
  if (cell && shape == NL_MAT_SHAPE_AUTO)
    {
      int big = 0;
      for (int i = 0; i < rank; i++)
        big += dims[i] > 1;
      if (big <= 1)
        shape = NL_MAT_SHAPE_VECTOR;
    }
  return nl_mat_array_to_json (rank, dims, shape, get, data, user_data);
}

static JsonNode *
text_node (const char *s)
{
  if (g_str_equal (s, "__np_none__"))
    return json_node_init_null (json_node_alloc ());
  return json_node_init_string (json_node_alloc (), s);
}

/* MATLAB char: code units of 1, 2 or 4 bytes; a matrix of rows is a list of strings. */
static JsonNode *
read_char (Walk *w, hid_t ds, hid_t type, int rank, const hsize_t *h5dims, gsize n,
           const char *path, GError **error)
{
  size_t unit = H5Tget_size (type);
  if (unit != 1 && unit != 2 && unit != 4)
    return fail (w, error, path, "a char array of %zu-byte units", unit);
  hid_t mt = unit == 1 ? H5T_NATIVE_UINT8 : unit == 2 ? H5T_NATIVE_UINT16 : H5T_NATIVE_UINT32;
  g_autofree guint8 *buf = g_malloc (MAX (n * unit, 1));
  if (n && H5Dread (ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
    return fail (w, error, path, "cannot read its text (corrupt file?)");
  /* HDF5 rows are MATLAB columns: h5dims = (cols, rows), row r is every rows-th unit. */
  gsize rows = rank == 2 ? h5dims[1] : 1, cols = rows ? n / rows : 0;
  JsonArray *list = rows > 1 ? json_array_sized_new (rows) : NULL;
  for (gsize r = 0; r < MAX (rows, 1); r++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) local = NULL;
      if (unit == 1)
        {
          g_autofree char *raw = g_malloc (cols + 1);
          for (gsize c = 0; c < cols; c++)
            raw[c] = buf[c * rows + r];
          text = g_utf8_make_valid (raw, cols);
        }
      else if (unit == 2)
        {
          g_autofree gunichar2 *u = g_new (gunichar2, cols + 1);
          for (gsize c = 0; c < cols; c++)
            u[c] = ((guint16 *) buf)[c * rows + r];
          text = g_utf16_to_utf8 (u, cols, NULL, NULL, &local);
        }
      else
        {
          g_autofree gunichar *u = g_new (gunichar, cols + 1);
          for (gsize c = 0; c < cols; c++)
            u[c] = ((guint32 *) buf)[c * rows + r];
          text = g_ucs4_to_utf8 (u, cols, NULL, NULL, &local);
        }
      if (!text)
        {
          if (list)
            json_array_unref (list);
          return fail (w, error, path, "not valid text: %s", local->message);
        }
      if (!list)
        return text_node (text);
      g_strchomp (text);
      json_array_add_element (list, text_node (text));
    }
  return nl_mat_take_array (list);
}

/* A cell: object references, each walked in turn. */
static JsonNode *
read_cell (Walk *w, hid_t ds, int rank, const hsize_t *h5dims, gsize n, const char *path,
           int depth, GError **error)
{
  g_autofree hobj_ref_t *refs = g_new (hobj_ref_t, MAX (n, 1));
  if (n && H5Dread (ds, H5T_STD_REF_OBJ, H5S_ALL, H5S_ALL, H5P_DEFAULT, refs) < 0)
    return fail (w, error, path, "cannot read its references (corrupt file?)");
  JsonNode **nodes = g_new0 (JsonNode *, MAX (n, 1));
  JsonNode *result = NULL;
  gsize i;
  for (i = 0; i < n; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);
      hid_t obj = H5Rdereference2 (ds, H5P_DEFAULT, H5R_OBJECT, &refs[i]);
      if (obj < 0)
        {
          fail (w, error, sub, "a reference to nothing (corrupt file?)");
          break;
        }
      nodes[i] = walk_object (w, obj, sub, depth + 1, error);
      H5Oclose (obj);
      if (!nodes[i])
        break;
    }
  if (i == n)
    result = shape_elements (ds, rank, h5dims, n, TRUE, path, get_node, nodes, NULL);
  for (gsize k = 0; k < n; k++)
    if (nodes[k])
      json_node_unref (nodes[k]);
  g_free (nodes);
  return result;
}

static JsonNode *
walk_dataset (Walk *w, hid_t ds, const char *path, int depth, GError **error)
{
  g_autofree char *mclass = string_attr (ds, "MATLAB_class");
  g_autofree char *ptype = string_attr (ds, "Python.Type");
  guint64 empty = 0;
  hid_t space = H5Dget_space (ds), type = H5Dget_type (ds);
  hsize_t h5dims[NL_H5S_MAX_RANK];
  int rank = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;
  JsonNode *result = NULL;
  gsize n = 1;

  if (space < 0 || type < 0 || rank < 0 || rank > NL_H5S_MAX_RANK
      || H5Sget_simple_extent_dims (space, h5dims, NULL) < 0)
    {
      result = fail (w, error, path, "cannot read its shape (corrupt file?)");
      goto out;
    }
  for (int i = 0; i < rank; i++)
    if (!g_size_checked_mul (&n, n, h5dims[i]))
      n = G_MAXSIZE;
  if (H5Sget_simple_extent_type (space) == H5S_NULL)
    n = 0;

  if (int_attr (ds, "MATLAB_empty", &empty, 1) == 1 && empty)
    {
      /* The data are the empty value's dimensions, not values. */
      if (is (ptype, "builtins.NoneType"))
        result = json_node_init_null (json_node_alloc ());
      else if (is (mclass, "char") || is (ptype, "str") || is (ptype, "bytes"))
        result = json_node_init_string (json_node_alloc (), "");
      else if (is (ptype, "dict"))
        result = nl_mat_take_object (json_object_new ());
      else
        result = nl_mat_take_array (json_array_new ());
      goto out;
    }

  /* Declared size against what the file can hold. */
  size_t each = MAX (H5Tget_size (type), 1);
  gsize bytes;
  hsize_t stored = H5Dget_storage_size (ds);
  if (!g_size_checked_mul (&bytes, n, each) || bytes > w->budget
      || bytes > (guint64) stored * NL_H5S_MAX_RATIO + 4096)
    {
      GString *d = g_string_new (NULL);
      for (int i = 0; i < rank; i++)
        g_string_append_printf (d, i ? "×%llu" : "%llu", (unsigned long long) h5dims[i]);
      result = fail (w, error, path, "declares %s elements of %zu bytes, more than the file "
                     "holds for it (corrupt or truncated file?)", d->str, each);
      g_string_free (d, TRUE);
      goto out;
    }
  w->budget -= bytes;
  if (w->check_only && H5Tget_class (type) != H5T_REFERENCE)
    {
      result = json_node_init_null (json_node_alloc ());
      goto out;
    }

  switch (H5Tget_class (type))
    {
    case H5T_REFERENCE:
      if (!H5Tequal (type, H5T_STD_REF_OBJ))
        result = fail (w, error, path, "region references are not supported");
      else
        result = read_cell (w, ds, rank, h5dims, n, path, depth, error);
      break;
    case H5T_INTEGER:
      if (is (mclass, "char"))
        {
          result = read_char (w, ds, type, rank, h5dims, n, path, error);
          break;
        }
      /* fall through */
    case H5T_FLOAT:
      {
        Kind k = H5Tget_class (type) == H5T_FLOAT ? K_DOUBLE
                 : is (mclass, "logical") || is (ptype, "bool") ? K_BOOL
                 : H5Tget_sign (type) == H5T_SGN_NONE ? K_UINT : K_INT;
        hid_t mt = k == K_DOUBLE ? H5T_NATIVE_DOUBLE : k == K_INT ? H5T_NATIVE_INT64 : H5T_NATIVE_UINT64;
        g_autofree guint64 *buf = g_new (guint64, MAX (n, 1));   /* 8 bytes whatever the kind */
        if (n && H5Dread (ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
          result = fail (w, error, path, "cannot read its values (corrupt file?)");
        else
          result = shape_elements (ds, rank, h5dims, n, FALSE, path, get_number, buf,
                                   GINT_TO_POINTER (k));
        break;
      }
    case H5T_STRING:
      if (H5Tis_variable_str (type) != 0 || n != 1)
        result = fail (w, error, path, "only single fixed-length strings are supported here");
      else
        {
          g_autofree char *s = g_malloc0 (each + 1);
          hid_t mt = H5Tcopy (H5T_C_S1);
          H5Tset_size (mt, each + 1);
          if (H5Dread (ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, s) < 0)
            result = fail (w, error, path, "cannot read its text (corrupt file?)");
          else if (!g_utf8_validate (s, -1, NULL))
            result = fail (w, error, path, "not valid UTF-8 text");
          else
            result = text_node (s);
          H5Tclose (mt);
        }
      break;
    default:
      result = fail (w, error, path, "HDF5 data of a kind NetPyNE does not write (type class %d)",
                     (int) H5Tget_class (type));
      break;
    }

out:
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  return result;
}

static JsonNode *
walk_object (Walk *w, hid_t obj, const char *path, int depth, GError **error)
{
  if (depth > NL_H5S_MAX_DEPTH)
    return fail (w, error, path, "nested more than %d levels deep", NL_H5S_MAX_DEPTH);
  if (!first_visit (w, obj))
    return fail (w, error, path, "refers to an object already read (a cycle or shared "
                 "reference, which hdf5storage never writes)");
  switch (H5Iget_type (obj))
    {
    case H5I_GROUP:
      return walk_group (w, obj, path, depth, error);
    case H5I_DATASET:
      return walk_dataset (w, obj, path, depth, error);
    default:
      return fail (w, error, path, "neither a group nor a dataset");
    }
}

/* ---- the file ------------------------------------------------------------------------ */

static JsonNode *
read_tree (const char  *filename,
           gboolean     check_only,
           GError     **error)
{
  GStatBuf st;
  Walk w = { filename, 0, NULL, check_only };
  JsonNode *root;

  silence_hdf5 ();
  if (g_stat (filename, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: cannot read the file", filename);
      return NULL;
    }
  w.budget = (guint64) st.st_size * NL_H5S_MAX_RATIO + NL_H5S_SLACK;
  hid_t file = H5Fopen (filename, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not an HDF5 file the HDF5 library can open (truncated or corrupt?)", filename);
      return NULL;
    }
  hid_t g = H5Gopen2 (file, "/", H5P_DEFAULT);
  w.visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  root = g >= 0 ? walk_object (&w, g, "", 0, error)
                : fail (&w, error, "", "cannot open the root group (corrupt file?)");
  if (g >= 0)
    H5Gclose (g);
  H5Fclose (file);
  g_hash_table_unref (w.visited);
  return root;
}

JsonNode *
nl_hdf5storage_read_tree (const char  *filename,
                          GError     **error)
{
  return read_tree (filename, FALSE, error);
}

gboolean
nl_hdf5storage_check (const char  *filename,
                      GError     **error)
{
  JsonNode *tree = read_tree (filename, TRUE, error);
  if (tree)
    json_node_unref (tree);
  return tree != NULL;
}

NlResults *
nl_hdf5storage_read (const char  *filename,
                     GError     **error)
{
  g_autoptr(JsonNode) root = nl_hdf5storage_read_tree (filename, error);
  if (!root)
    return NULL;
  return nl_mat_tree_to_results (root, filename, "netpyne-hdf5", error);
}

static herr_t
has_python_attr (hid_t group, const char *name, const LinkInfo *info, void *data)
{
  int *found = data;
  if (info->type != H5L_TYPE_HARD || g_str_equal (name, "#refs#"))
    return 0;
  hid_t obj = H5Oopen (group, name, H5P_DEFAULT);
  if (obj < 0)
    return 0;
  if (H5Aexists (obj, "Python.Type") > 0)
    *found = 2;
  else if (H5Aexists (obj, "MATLAB_class") > 0)
    *found = MAX (*found, 1);
  H5Oclose (obj);
  return *found == 2 ? 1 : 0;
}

gboolean
nl_hdf5storage_sniff (const char *filename,
                      gboolean    include_matlab)
{
  int found = 0;
  hsize_t idx = 0;

  silence_hdf5 ();
  hid_t file = H5Fopen (filename, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    return FALSE;
  /* NetLoom's native files and SONATA spikes are not hdf5storage's. */
  if (H5Aexists (file, "netloom_format") <= 0 && H5Lexists (file, "spikes", H5P_DEFAULT) <= 0)
    ITERATE (file, H5_INDEX_NAME, H5_ITER_INC, &idx, has_python_attr, &found);
  H5Fclose (file);
  return found == 2 || (found == 1 && include_matlab);
}
