/* nl-mat-read.c — NetPyNE's .mat results (scipy.io.savemat, MAT 5; or MAT 7.3) through matio.
 *
 * matio gives each top-level variable as a tree of matvar_t; we turn it into the JsonNode
 * tree NetPyNE's JSON output would have (see nl-mat.h for the mapping) and let the JSON
 * reader make the results (nl-mat-tree.c), so MAT and JSON mean exactly the same thing.
 * Before matio reads anything, a MAT 5 file's element tree is checked (nl-mat5-check.c) and
 * a MAT 7.3 file's objects walked without their values (nl_hdf5storage_check); then every
 * variable's declared sizes are checked against the file's size.
 */
#include "nl-mat.h"

#include <matio.h>
#include <string.h>
#include <glib/gstdio.h>


/* ---- matio's messages ------------------------------------------------------------- */

static GPrivate last_message = G_PRIVATE_INIT (g_free);

static void
mat_log (int log_level, char *message)
{
  if (log_level & (MATIO_LOG_LEVEL_ERROR | MATIO_LOG_LEVEL_CRITICAL))
    g_private_replace (&last_message, g_strdup (message));
  else
    g_debug ("matio: %s", message);
}

static void
mat_log_init (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      Mat_LogInitFunc ("netloom", mat_log);
      g_once_init_leave (&once, 1);
    }
  g_private_replace (&last_message, NULL);
}

/* matio's last error, its first line (HDF5's error stacks follow it). */
static const char *
mat_message (void)
{
  char *m = g_private_get (&last_message);
  if (!m)
    return "no details";
  m[strcspn (m, "\n")] = 0;
  return m;
}

/* ---- matvar → JSON ----------------------------------------------------------------- */

typedef struct {
  const char *filename;
  guint64     budget;      /* bytes the declared sizes may still claim */
} Walk;

static gboolean
mat_count (const matvar_t *v, gsize *n)
{
  gsize total = 1;
  if (v->rank < 0 || (v->rank > 0 && v->dims == NULL))
    return FALSE;
  for (int i = 0; i < v->rank; i++)
    if (!g_size_checked_mul (&total, total, v->dims[i]))
      return FALSE;
  *n = total;
  return TRUE;
}

static char *
dims_string (const matvar_t *v)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < v->rank && v->dims; i++)
    g_string_append_printf (s, i ? "×%" G_GSIZE_FORMAT : "%" G_GSIZE_FORMAT, v->dims[i]);
  return g_string_free (s, FALSE);
}

static const char *
class_name (int c)
{
  switch (c)
    {
    case MAT_C_EMPTY: return "empty";
    case MAT_C_CELL: return "cell";
    case MAT_C_STRUCT: return "struct";
    case MAT_C_OBJECT: return "object";
    case MAT_C_CHAR: return "char";
    case MAT_C_SPARSE: return "sparse";
    case MAT_C_DOUBLE: return "double";
    case MAT_C_SINGLE: return "single";
    case MAT_C_INT8: return "int8";
    case MAT_C_UINT8: return "uint8";
    case MAT_C_INT16: return "int16";
    case MAT_C_UINT16: return "uint16";
    case MAT_C_INT32: return "int32";
    case MAT_C_UINT32: return "uint32";
    case MAT_C_INT64: return "int64";
    case MAT_C_UINT64: return "uint64";
    case MAT_C_FUNCTION: return "function";
    case MAT_C_OPAQUE: return "opaque";
    default: return "unknown";
    }
}

/* Checks the declared sizes of an info tree against the budget, before any data is read. */
static gboolean
check_sizes (Walk *w, matvar_t *v, const char *path, int depth, GError **error)
{
  gsize n;
  if (depth > NL_MAT_MAX_DEPTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: nested more than %d levels deep", w->filename, path, NL_MAT_MAX_DEPTH);
      return FALSE;
    }
  if (!mat_count (v, &n))
    {
      g_autofree char *d = dims_string (v);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: declared dimensions %s are too large", w->filename, path, d);
      return FALSE;
    }
  if (v->class_type == MAT_C_SPARSE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: sparse matrices are not supported (NetPyNE does not save them); "
                   "save it as a full matrix", w->filename, path);
      return FALSE;
    }
  if (v->isComplex)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: complex numbers are not supported", w->filename, path);
      return FALSE;
    }
  /* Each element costs at least a byte (a pointer for cells and structs). */
  gsize each = v->class_type == MAT_C_STRUCT || v->class_type == MAT_C_CELL ? sizeof (gpointer)
               : MAX (Mat_SizeOfClass (v->class_type), 1);
  if (v->class_type == MAT_C_STRUCT)
    {
      guint nf = Mat_VarGetNumberOfFields (v);
      if (!g_size_checked_mul (&each, each, MAX (nf, 1)))
        each = G_MAXSIZE;
    }
  gsize bytes;
  if (!g_size_checked_mul (&bytes, n, each) || bytes > w->budget)
    {
      g_autofree char *d = dims_string (v);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: declares a %s array of %s elements, more than the file can hold "
                   "(corrupt or truncated file?)", w->filename, path, class_name (v->class_type), d);
      return FALSE;
    }
  w->budget -= bytes;

  if (v->class_type == MAT_C_STRUCT && v->data != NULL)
    {
      guint nf = Mat_VarGetNumberOfFields (v);
      char *const *names = Mat_VarGetStructFieldnames (v);
      for (gsize i = 0; i < n; i++)
        for (guint f = 0; f < nf; f++)
          {
            matvar_t *field = Mat_VarGetStructFieldByIndex (v, f, i);
            if (!field)
              continue;
            g_autofree char *sub = n == 1
              ? g_strdup_printf ("%s.%s", path, names && names[f] ? names[f] : "?")
              : g_strdup_printf ("%s[%" G_GSIZE_FORMAT "].%s", path, i, names && names[f] ? names[f] : "?");
            if (!check_sizes (w, field, sub, depth + 1, error))
              return FALSE;
          }
    }
  else if (v->class_type == MAT_C_CELL && v->data != NULL)
    for (gsize i = 0; i < n; i++)
      {
        matvar_t *cell = Mat_VarGetCell (v, (int) MIN (i, G_MAXINT));
        if (!cell || i > G_MAXINT)
          continue;
        g_autofree char *sub = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);
        if (!check_sizes (w, cell, sub, depth + 1, error))
          return FALSE;
      }
  return TRUE;
}

static JsonNode *
get_element (const void *data, gsize i, gpointer user_data)
{
  const matvar_t *v = user_data;
  JsonNode *node = json_node_alloc ();

  if (v->isLogical)
    return json_node_init_boolean (node, ((const guint8 *) data)[i] != 0);
  switch (v->class_type)
    {
    case MAT_C_DOUBLE: return json_node_init_double (node, ((const double *) data)[i]);
    case MAT_C_SINGLE: return json_node_init_double (node, ((const float *) data)[i]);
    case MAT_C_INT8: return json_node_init_int (node, ((const gint8 *) data)[i]);
    case MAT_C_UINT8: return json_node_init_int (node, ((const guint8 *) data)[i]);
    case MAT_C_INT16: return json_node_init_int (node, ((const gint16 *) data)[i]);
    case MAT_C_UINT16: return json_node_init_int (node, ((const guint16 *) data)[i]);
    case MAT_C_INT32: return json_node_init_int (node, ((const gint32 *) data)[i]);
    case MAT_C_UINT32: return json_node_init_int (node, ((const guint32 *) data)[i]);
    case MAT_C_INT64: return json_node_init_int (node, ((const gint64 *) data)[i]);
    case MAT_C_UINT64:
      {
        guint64 u = ((const guint64 *) data)[i];
        return u <= G_MAXINT64 ? json_node_init_int (node, (gint64) u)
                               : json_node_init_double (node, (double) u);
      }
    default:
      return json_node_init_null (node);
    }
}

static JsonNode *string_node (const char *s);

/* A char array's text: matio leaves the stored code units (UTF-8 bytes or UTF-16/32). */
static JsonNode *
char_to_json (Walk *w, matvar_t *v, gsize n, const char *path, GError **error)
{
  gsize unit = 1;
  gsize rows = v->rank >= 1 ? v->dims[0] : 1;

  if (n == 0)
    return string_node ("");
  switch (v->data_type)
    {
    case MAT_T_UINT8: case MAT_T_INT8: case MAT_T_UTF8: unit = 1; break;
    case MAT_T_UINT16: case MAT_T_INT16: case MAT_T_UTF16: unit = 2; break;
    case MAT_T_UINT32: case MAT_T_INT32: case MAT_T_UTF32: unit = 4; break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: a char array stored with data type %d, which is not text", w->filename,
                   path, (int) v->data_type);
      return NULL;
    }
  gsize units = v->nbytes / unit;
  if (v->data == NULL || units == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: a char array with no data (truncated file?)", w->filename, path);
      return NULL;
    }
  /* One string per row; a UTF-8 text whose byte count is not rows × cols is one string. */
  if (rows <= 1 || units != n || v->rank != 2)
    rows = 1;
  gsize cols = rows == 1 ? units : n / rows;
  JsonArray *list = rows > 1 ? json_array_sized_new (rows) : NULL;
  for (gsize r = 0; r < rows; r++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) local = NULL;
      if (unit == 1)
        {
          g_autofree char *raw = g_malloc (cols + 1);
          for (gsize c = 0; c < cols; c++)
            raw[c] = ((const char *) v->data)[r + c * rows];
          raw[cols] = 0;
          text = g_utf8_make_valid (raw, cols);
        }
      else if (unit == 2)
        {
          g_autofree gunichar2 *u = g_new (gunichar2, cols + 1);
          for (gsize c = 0; c < cols; c++)
            u[c] = ((const guint16 *) v->data)[r + c * rows];
          text = g_utf16_to_utf8 (u, cols, NULL, NULL, &local);
        }
      else
        {
          g_autofree gunichar *u = g_new (gunichar, cols + 1);
          for (gsize c = 0; c < cols; c++)
            u[c] = ((const guint32 *) v->data)[r + c * rows];
          text = g_ucs4_to_utf8 (u, cols, NULL, NULL, &local);
        }
      if (!text)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %s: not valid text: %s", w->filename, path, local->message);
          if (list)
            json_array_unref (list);
          return NULL;
        }
      /* A text NUL ends the string (savemat pads nothing, but MATLAB tools do). */
      if (rows > 1)
        {
          g_strchomp (text);
          json_array_add_element (list, string_node (text));
        }
      else
        return string_node (text);
    }
  return nl_mat_take_array (list);
}

static JsonNode *
string_node (const char *s)
{
  /* NetPyNE's _ensureMatCompatible saves None as this string. */
  if (g_str_equal (s, "__np_none__"))
    return json_node_init_null (json_node_alloc ());
  return json_node_init_string (json_node_alloc (), s);
}

static JsonNode *mat_to_json (Walk *w, matvar_t *v, const char *path, int depth, GError **error);

static JsonNode *
struct_element (Walk *w, matvar_t *v, gsize index, gsize n, const char *path, int depth,
                GError **error)
{
  guint nf = Mat_VarGetNumberOfFields (v);
  char *const *names = Mat_VarGetStructFieldnames (v);
  JsonObject *o = json_object_new ();
  for (guint f = 0; f < nf; f++)
    {
      const char *fname = names && names[f] ? names[f] : NULL;
      if (!fname || !*fname)
        continue;
      g_autofree char *sub = n == 1 ? g_strdup_printf ("%s.%s", path, fname)
        : g_strdup_printf ("%s[%" G_GSIZE_FORMAT "].%s", path, index, fname);
      matvar_t *field = Mat_VarGetStructFieldByIndex (v, f, index);
      JsonNode *fn;
      if (!field)
        fn = nl_mat_take_array (json_array_new ());
      else if (!(fn = mat_to_json (w, field, sub, depth + 1, error)))
        {
          json_object_unref (o);
          return NULL;
        }
      json_object_set_member (o, fname, fn);
    }
  return nl_mat_take_object (o);
}

static JsonNode *
mat_to_json (Walk *w, matvar_t *v, const char *path, int depth, GError **error)
{
  gsize n;

  if (depth > NL_MAT_MAX_DEPTH || !mat_count (v, &n))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: nested too deep or dimensions too large", w->filename, path);
      return NULL;
    }
  if (v->isComplex || v->class_type == MAT_C_SPARSE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: %s values are not supported", w->filename, path,
                   v->isComplex ? "complex" : "sparse");
      return NULL;
    }
  switch (v->class_type)
    {
    case MAT_C_EMPTY:
      return nl_mat_take_array (json_array_new ());
    case MAT_C_CHAR:
      return char_to_json (w, v, n, path, error);
    case MAT_C_STRUCT:
      {
        if (n == 1)
          return struct_element (w, v, 0, 1, path, depth, error);
        JsonArray *a = json_array_sized_new (n);
        for (gsize i = 0; i < n; i++)
          {
            JsonNode *e = struct_element (w, v, i, n, path, depth, error);
            if (!e)
              {
                json_array_unref (a);
                return NULL;
              }
            json_array_add_element (a, e);
          }
        return nl_mat_take_array (a);
      }
    case MAT_C_CELL:
      {
        /* Cells are NetPyNE lists: a flat list, or rows for a cell matrix. */
        gsize rows = v->rank == 2 && v->dims[0] > 1 && v->dims[1] > 1 ? v->dims[0] : 1;
        gsize cols = n / MAX (rows, 1);
        JsonArray *outer = json_array_sized_new (rows);
        for (gsize r = 0; r < rows && n > 0; r++)
          {
            JsonArray *a = json_array_sized_new (cols);
            for (gsize c = 0; c < cols; c++)
              {
                gsize i = r + c * rows;
                g_autofree char *sub = rows > 1
                  ? g_strdup_printf ("%s[%" G_GSIZE_FORMAT "][%" G_GSIZE_FORMAT "]", path, r, c)
                  : g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);
                matvar_t *cell = i <= G_MAXINT ? Mat_VarGetCell (v, (int) i) : NULL;
                JsonNode *e = cell ? mat_to_json (w, cell, sub, depth + 1, error)
                                   : nl_mat_take_array (json_array_new ());
                if (!e)
                  {
                    json_array_unref (a);
                    json_array_unref (outer);
                    return NULL;
                  }
                json_array_add_element (a, e);
              }
            if (rows == 1)
              {
                json_array_unref (outer);
                return nl_mat_take_array (a);
              }
            json_array_add_element (outer, nl_mat_take_array (a));
          }
        return nl_mat_take_array (outer);
      }
    case MAT_C_DOUBLE: case MAT_C_SINGLE:
    case MAT_C_INT8: case MAT_C_UINT8: case MAT_C_INT16: case MAT_C_UINT16:
    case MAT_C_INT32: case MAT_C_UINT32: case MAT_C_INT64: case MAT_C_UINT64:
      {
        gsize each = v->isLogical ? 1 : Mat_SizeOfClass (v->class_type);
        if (v->isLogical && v->class_type != MAT_C_UINT8)
          each = Mat_SizeOfClass (v->class_type);
        if (n > 0 && (v->data == NULL || v->nbytes / MAX (each, 1) < n
                      || (v->data_size > 0 && (gsize) v->data_size != each)))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s: %s: a %s array with less data than its dimensions say "
                         "(truncated or corrupt file?)", w->filename, path, class_name (v->class_type));
            return NULL;
          }
        if (v->isLogical && each != 1)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s: %s: a logical array stored as %s", w->filename, path,
                         class_name (v->class_type));
            return NULL;
          }
        gsize dims[64];
        int rank = MIN (v->rank, 64);
        for (int i = 0; i < rank; i++)
          dims[i] = v->dims[i];
        return nl_mat_array_to_json (rank, dims, nl_mat_shape_for_path (path), get_element,
                                     v->data, v);
      }
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: MATLAB %s values are not supported (NetPyNE saves only structs, "
                   "cells, text and numbers)", w->filename, path, class_name (v->class_type));
      return NULL;
    }
}

/* ---- the file ---------------------------------------------------------------------- */

JsonNode *
nl_netpyne_mat_read_tree (const char  *filename,
                          GError     **error)
{
  GStatBuf st;
  int expected = -1;
  Walk w = { filename, 0 };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  mat_log_init ();
  if (g_stat (filename, &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: cannot read the file", filename);
      return NULL;
    }
  w.budget = (guint64) st.st_size * NL_MAT_MAX_RATIO + NL_MAT_SLACK;

  mat_t *mat = Mat_Open (filename, MAT_ACC_RDONLY);
  if (!mat)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a MAT file matio can open (%s); truncated or corrupt?", filename,
                   mat_message ());
      return NULL;
    }
  if (Mat_GetVersion (mat) == MAT_FT_MAT5)
    {
      expected = nl_mat5_check (filename, error);
      if (expected < 0)
        {
          Mat_Close (mat);
          return NULL;
        }
    }
  else if (Mat_GetVersion (mat) == MAT_FT_MAT73)
    {
      /* matio follows cell references as they come: a cycle or a reference shared many
       * times over would make it recurse or expand without bound. */
      if (!nl_hdf5storage_check (filename, error))
        {
          Mat_Close (mat);
          return NULL;
        }
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: a MAT 4 file; NetPyNE writes MAT 5 or 7.3", filename);
      Mat_Close (mat);
      return NULL;
    }

  /* First every variable's header, checked against what the file can hold; then the data. */
  for (int k = 0;; k++)
    {
      g_private_replace (&last_message, NULL);
      matvar_t *info = Mat_VarReadNextInfo (mat);
      if (!info)
        {
          if (expected >= 0 && k < expected)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: variable %d%s%s%s: cannot be read (%s)", filename, k + 1,
                           names->len ? " (after '" : "",
                           names->len ? (const char *) g_ptr_array_index (names, names->len - 1) : "",
                           names->len ? "')" : "", mat_message ());
              Mat_Close (mat);
              return NULL;
            }
          if (g_private_get (&last_message))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: variable %d: cannot be read (%s)", filename, k + 1, mat_message ());
              Mat_Close (mat);
              return NULL;
            }
          break;
        }
      const char *vname = info->name ? info->name : "";
      gboolean ok = *vname != 0 && check_sizes (&w, info, vname, 0, error);
      if (!*vname)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: variable %d has no name", filename, k + 1);
      gboolean seen = FALSE;
      for (guint i = 0; ok && i < names->len; i++)
        seen |= g_str_equal (g_ptr_array_index (names, i), vname);
      if (ok && !seen)
        g_ptr_array_add (names, g_strdup (vname));
      Mat_VarFree (info);
      if (!ok)
        {
          Mat_Close (mat);
          return NULL;
        }
    }

  JsonObject *top = json_object_new ();
  for (guint i = 0; i < names->len; i++)
    {
      const char *vname = g_ptr_array_index (names, i);
      g_private_replace (&last_message, NULL);
      matvar_t *v = Mat_VarRead (mat, vname);
      JsonNode *node = NULL;
      if (!v)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: %s: cannot read its data (%s); truncated or corrupt file?", filename,
                     vname, mat_message ());
      else
        node = mat_to_json (&w, v, vname, 0, error);
      Mat_VarFree (v);
      if (!node)
        {
          json_object_unref (top);
          Mat_Close (mat);
          return NULL;
        }
      json_object_set_member (top, vname, node);
    }
  Mat_Close (mat);
  return nl_mat_take_object (top);
}

NlResults *
nl_netpyne_mat_read (const char  *filename,
                     GError     **error)
{
  g_autoptr(JsonNode) root = nl_netpyne_mat_read_tree (filename, error);
  if (!root)
    return NULL;
  return nl_mat_tree_to_results (root, filename, "netpyne-mat", error);
}
