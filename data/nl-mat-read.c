/* nl-mat-read.c — NetPyNE's .mat results (scipy.io.savemat, MAT 5; or MAT 7.3) through matio.
 *
 * matio gives each top-level variable as a tree of matvar_t; we turn it into the JsonNode
 * tree NetPyNE's JSON output would have (see nl-mat.h for the mapping) and let the JSON
 * reader make the results, so MAT and JSON mean exactly the same thing.
 */
#include "nl-mat.h"
#include "nl-results-read.h"

#include <nl-json.h>
#include <matio.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

/* Deflate expands at most about 1032:1; a variable declaring more than this many bytes per
 * byte of file (plus some slack for tiny files) cannot be real. */
#define NL_MAT_MAX_RATIO 1100
#define NL_MAT_SLACK     (G_GUINT64_CONSTANT (1) << 20)
#define NL_MAT_MAX_DEPTH 128

/* Nodes that take over (not ref) their container. */
static JsonNode *
take_array (JsonArray *a)
{
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (n, a);
  return n;
}

static JsonNode *
take_object (JsonObject *o)
{
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, o);
  return n;
}

/* ---- shapes ------------------------------------------------------------------------- */

NlMatShape
nl_mat_shape_for_path (const char *path)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_equal (path, "simData.spkt") || g_str_equal (path, "simData.spkid")
      || g_str_equal (path, "simData.t"))
    return NL_MAT_SHAPE_VECTOR;
  if (g_str_equal (path, "simData.LFP") || g_str_equal (path, "simConfig.recordLFP"))
    return NL_MAT_SHAPE_MATRIX;
  if (strchr (path, '[') != NULL)
    return NL_MAT_SHAPE_AUTO;
  parts = g_strsplit (path, ".", 5);
  n = g_strv_length (parts);
  if (n == 3 && g_str_equal (parts[0], "simData")
      && (g_str_equal (parts[1], "LFPPops") || g_str_equal (parts[1], "LFPCells")))
    return NL_MAT_SHAPE_MATRIX;
  if (n == 3 && g_str_equal (parts[0], "simData") && g_str_has_prefix (parts[2], "cell_"))
    return NL_MAT_SHAPE_VECTOR;
  if (n == 4 && g_str_equal (parts[0], "net") && g_str_equal (parts[1], "pops")
      && g_str_equal (parts[3], "cellGids"))
    return NL_MAT_SHAPE_VECTOR;
  return NL_MAT_SHAPE_AUTO;
}

/* Elements [start, start + count) with stride `stride` of dims[level..] nested as lists. */
static JsonNode *
nest (int rank, const gsize *dims, int level, gsize index, gsize stride,
      NlMatElementFunc get, const void *data, gpointer user_data)
{
  JsonArray *a = json_array_sized_new (dims[level]);
  for (gsize i = 0; i < dims[level]; i++)
    {
      gsize idx = index + i * stride;
      if (level == rank - 1)
        json_array_add_element (a, get (data, idx, user_data));
      else
        json_array_add_element (a, nest (rank, dims, level + 1, idx, stride * dims[level],
                                         get, data, user_data));
    }
  return take_array (a);
}

JsonNode *
nl_mat_array_to_json (int              rank,
                      const gsize     *dims,
                      NlMatShape       shape,
                      NlMatElementFunc get,
                      const void      *data,
                      gpointer         user_data)
{
  gsize n = 1, big = 0;

  for (int i = 0; i < rank; i++)
    {
      n *= dims[i];
      if (dims[i] > 1)
        big++;
    }
  if (n == 0)
    return take_array (json_array_new ());
  if (shape == NL_MAT_SHAPE_AUTO && n == 1)
    return get (data, 0, user_data);
  if (shape == NL_MAT_SHAPE_VECTOR || (shape == NL_MAT_SHAPE_AUTO && big <= 1))
    {
      JsonArray *a = json_array_sized_new (n);
      for (gsize i = 0; i < n; i++)
        json_array_add_element (a, get (data, i, user_data));
      return take_array (a);
    }
  if (rank <= 2)
    {
      gsize d2[2] = { rank > 0 ? dims[0] : 1, rank > 1 ? dims[1] : 1 };
      /* Rows of a column-major matrix: element (i, j) is at i + j × rows. */
      JsonArray *rows = json_array_sized_new (d2[0]);
      for (gsize i = 0; i < d2[0]; i++)
        {
          JsonArray *row = json_array_sized_new (d2[1]);
          for (gsize j = 0; j < d2[1]; j++)
            json_array_add_element (row, get (data, i + j * d2[0], user_data));
          json_array_add_element (rows, take_array (row));
        }
      return take_array (rows);
    }
  return nest (rank, dims, 0, 0, 1, get, data, user_data);
}

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
  return take_array (list);
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
        fn = take_array (json_array_new ());
      else if (!(fn = mat_to_json (w, field, sub, depth + 1, error)))
        {
          json_object_unref (o);
          return NULL;
        }
      json_object_set_member (o, fname, fn);
    }
  return take_object (o);
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
      return take_array (json_array_new ());
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
        return take_array (a);
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
                                   : take_array (json_array_new ());
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
                return take_array (a);
              }
            json_array_add_element (outer, take_array (a));
          }
        return take_array (outer);
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

/* ---- MAT 5 layout check ------------------------------------------------------------ */

/* matio trusts the sizes inside a MAT 5 file: a corrupt count makes it loop for a very long
 * time or read past a variable. So the whole element tree is checked first — every tag's
 * size within its parent, counts within the data that holds them, compressed variables
 * inflated (zlib's checksum catches corrupt data) — with errors naming the variable path. */

typedef struct {
  const char *filename;
  gboolean    swap;
  guint64     budget;   /* decompressed bytes still allowed */
} V5;

typedef struct {
  guint32       type;
  guint32       nbytes;
  const guint8 *data;
} V5Tag;

static guint32
v5_u32 (const V5 *c, const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, 4);
  return c->swap ? GUINT32_SWAP_LE_BE (v) : v;
}

static gsize
v5_type_size (guint32 type)
{
  switch (type)
    {
    case 1: case 2: case 16: return 1;          /* miINT8, miUINT8, miUTF8 */
    case 3: case 4: case 17: return 2;          /* miINT16, miUINT16, miUTF16 */
    case 5: case 6: case 7: case 18: return 4;  /* miINT32, miUINT32, miSINGLE, miUTF32 */
    case 9: case 12: case 13: return 8;         /* miDOUBLE, miINT64, miUINT64 */
    default: return 0;
    }
}

/* The next sub-element of [*pos, len); small-element format and 8-byte padding handled. */
static gboolean
v5_next (V5 *c, const guint8 *buf, gsize len, gsize *pos, V5Tag *t, const char *path,
         const char *what, GError **error)
{
  if (len - *pos < 8 || *pos > len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: its %s is missing (truncated or corrupt file?)", c->filename, path, what);
      return FALSE;
    }
  guint32 type = v5_u32 (c, buf + *pos);
  if (type >> 16)
    {
      t->type = type & 0xffff;
      t->nbytes = type >> 16;
      t->data = buf + *pos + 4;
      if (t->nbytes > 4)
        goto bad;
      *pos += 8;
      return TRUE;
    }
  t->type = type;
  t->nbytes = v5_u32 (c, buf + *pos + 4);
  t->data = buf + *pos + 8;
  if (t->nbytes > len - *pos - 8)
    goto bad;
  *pos += 8 + (((gsize) t->nbytes + 7) & ~(gsize) 7);
  if (*pos > len)
    *pos = len;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: %s: its %s declares more bytes than it has (truncated or corrupt file?)",
               c->filename, path, what);
  return FALSE;
}

static gboolean v5_check_element (V5 *c, const guint8 *buf, gsize len, gsize *pos,
                                  const char *path, int depth, GError **error);

/* An miMATRIX's contents. */
static gboolean
v5_check_matrix (V5 *c, const guint8 *buf, gsize len, const char *path, int depth, GError **error)
{
  gsize pos = 0, n = 1;
  V5Tag flags, dims, name;

  if (len == 0)
    return TRUE;   /* an empty cell element */
  if (depth > NL_MAT_MAX_DEPTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s: nested more than %d "
                   "levels deep", c->filename, path, NL_MAT_MAX_DEPTH);
      return FALSE;
    }
  if (!v5_next (c, buf, len, &pos, &flags, path, "array flags", error)
      || !v5_next (c, buf, len, &pos, &dims, path, "dimensions", error)
      || !v5_next (c, buf, len, &pos, &name, path, "name", error))
    return FALSE;
  if (flags.nbytes < 8 || dims.nbytes < 8 || dims.nbytes % 4 || v5_type_size (dims.type) != 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: malformed array header (corrupt file?)", c->filename, path);
      return FALSE;
    }
  guint32 cls = v5_u32 (c, flags.data) & 0xff;
  gboolean complex = (v5_u32 (c, flags.data) & 0x800) != 0;
  for (guint i = 0; i < dims.nbytes / 4; i++)
    if (!g_size_checked_mul (&n, n, v5_u32 (c, dims.data + 4 * i)))
      n = G_MAXSIZE;

  switch (cls)
    {
    case 1:   /* cell */
      for (gsize i = 0; i < n; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);
          if (!v5_check_element (c, buf, len, &pos, sub, depth + 1, error))
            return FALSE;
        }
      return TRUE;
    case 2:   /* struct */
    case 3:   /* object: a class name, then as a struct */
      {
        V5Tag cname, flen, fnames;
        if (cls == 3 && !v5_next (c, buf, len, &pos, &cname, path, "class name", error))
          return FALSE;
        if (!v5_next (c, buf, len, &pos, &flen, path, "field name length", error)
            || !v5_next (c, buf, len, &pos, &fnames, path, "field names", error))
          return FALSE;
        guint32 fl = flen.nbytes >= 4 ? v5_u32 (c, flen.data) : 0;
        gsize nf = fl ? fnames.nbytes / fl : 0;
        if ((fl == 0 && fnames.nbytes) || (fl && fnames.nbytes % fl))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s: %s: field names do not fit their declared length (corrupt file?)",
                         c->filename, path);
            return FALSE;
          }
        /* Each field of each element takes at least a tag: bound the count by the bytes. */
        gsize cells;
        if (nf && (!g_size_checked_mul (&cells, n, nf) || cells > (len - pos) / 8 + 1))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s: %s: declares more struct elements than it holds (corrupt file?)",
                         c->filename, path);
            return FALSE;
          }
        for (gsize i = 0; nf && i < n; i++)
          for (gsize f = 0; f < nf; f++)
            {
              g_autofree char *field = g_strndup ((const char *) fnames.data + f * fl, fl);
              g_autofree char *sub = n == 1 ? g_strdup_printf ("%s.%s", path, field)
                : g_strdup_printf ("%s[%" G_GSIZE_FORMAT "].%s", path, i, field);
              if (!v5_check_element (c, buf, len, &pos, sub, depth + 1, error))
                return FALSE;
            }
        return TRUE;
      }
    case 4:   /* char */
    case 6: case 7: case 8: case 9: case 10: case 11: case 12: case 13: case 14: case 15:
      for (int part = 0; part < (complex ? 2 : 1); part++)
        {
          V5Tag d;
          if (!v5_next (c, buf, len, &pos, &d, path, part ? "imaginary part" : "data", error))
            return FALSE;
          gsize each = v5_type_size (d.type);
          /* UTF-8 text may take more bytes than characters, never fewer than one each. */
          if (each == 0 || (d.nbytes / each < n && !(cls == 4 && d.type == 16 && d.nbytes >= n)))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: %s: declares %" G_GSIZE_FORMAT " elements but holds %u bytes of "
                           "type %u (corrupt file?)", c->filename, path, n, d.nbytes, d.type);
              return FALSE;
            }
        }
      return TRUE;
    case 5:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: sparse matrices are not supported (NetPyNE does not save them); "
                   "save it as a full matrix", c->filename, path);
      return FALSE;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: MATLAB array class %u is not supported (NetPyNE saves only structs, "
                   "cells, text and numbers)", c->filename, path, cls);
      return FALSE;
    }
}

/* A whole miMATRIX element (a cell's or a field's value). */
static gboolean
v5_check_element (V5 *c, const guint8 *buf, gsize len, gsize *pos, const char *path, int depth,
                  GError **error)
{
  V5Tag t;
  if (!v5_next (c, buf, len, pos, &t, path, "value", error))
    return FALSE;
  if (t.type != 14)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: data type %u where an array (miMATRIX) was expected (corrupt file?)",
                   c->filename, path, t.type);
      return FALSE;
    }
  return v5_check_matrix (c, t.data, t.nbytes, path, depth, error);
}

/* The name of a top-level miMATRIX, for messages. */
static char *
v5_name (V5 *c, const guint8 *buf, gsize len)
{
  gsize pos = 0;
  V5Tag t;
  for (int i = 0; i < 3; i++)
    if (!v5_next (c, buf, len, &pos, &t, "", "", NULL))
      return NULL;
  return t.type == 1 ? g_strndup ((const char *) t.data, t.nbytes) : NULL;
}

static gboolean
v5_check_top (V5 *c, const guint8 *buf, gsize len, int index, GError **error)
{
  g_autofree char *name = v5_name (c, buf, len);
  g_autofree char *path = name && *name && g_utf8_validate (name, -1, NULL) ? g_strdup (name)
    : g_strdup_printf ("variable %d", index);
  return v5_check_matrix (c, buf, len, path, 0, error);
}

/* A compressed variable, inflated whole (its size bounded by the file's) and checked. */
static gboolean
v5_check_compressed (V5 *c, const guint8 *z, gsize zlen, int index, GError **error)
{
  g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GError) local = NULL;
  g_autofree guint8 *body = NULL;
  guint8 head[8];
  gsize in = 0, got = 0, r, w;
  GConverterResult res;

  /* The first 8 bytes: the inner miMATRIX tag, which says how much follows. */
  do
    {
      res = g_converter_convert (G_CONVERTER (dec), z + in, zlen - in, head + got, 8 - got,
                                 G_CONVERTER_INPUT_AT_END, &r, &w, &local);
      in += r;
      got += w;
    }
  while (res != G_CONVERTER_ERROR && res != G_CONVERTER_FINISHED && got < 8 && r + w > 0);
  if (got < 8)
    goto corrupt;
  V5Tag t = { v5_u32 (c, head), v5_u32 (c, head + 4), NULL };
  if (t.type != 14 || t.nbytes > c->budget)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: variable %d: its compressed data is not an array of a size the file "
                   "can hold (corrupt file?)", c->filename, index);
      return FALSE;
    }
  c->budget -= t.nbytes;
  body = g_malloc (MAX (t.nbytes, 1));
  got = 0;
  while (got < t.nbytes)
    {
      res = g_converter_convert (G_CONVERTER (dec), z + in, zlen - in, body + got, t.nbytes - got,
                                 G_CONVERTER_INPUT_AT_END, &r, &w, &local);
      in += r;
      got += w;
      if (res == G_CONVERTER_ERROR || res == G_CONVERTER_FINISHED || r + w == 0)
        break;
    }
  if (got < t.nbytes)
    goto corrupt;
  /* The stream's end, where zlib checks its checksum. */
  guint8 extra[8];
  res = g_converter_convert (G_CONVERTER (dec), z + in, zlen - in, extra, sizeof extra,
                             G_CONVERTER_INPUT_AT_END, &r, &w, &local);
  if (res != G_CONVERTER_FINISHED || w != 0)
    goto corrupt;
  return v5_check_top (c, body, t.nbytes, index, error);

corrupt:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "%s: variable %d: its compressed data is corrupt or cut off (%s)", c->filename,
               index, local ? local->message : "ends early");
  return FALSE;
}

/* Checks a MAT 5 file's whole element tree; returns its number of variables, or -1. */
static int
mat5_count_elements (const char *filename, GError **error)
{
  g_autoptr(GMappedFile) mf = g_mapped_file_new (filename, FALSE, error);
  if (!mf)
    return -1;
  const guint8 *b = (const guint8 *) g_mapped_file_get_contents (mf);
  gsize len = g_mapped_file_get_length (mf);
  V5 c = { filename, FALSE, (guint64) len * NL_MAT_MAX_RATIO + NL_MAT_SLACK };
  int count = 0;

  if (len < 128)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: a MAT file header is 128 bytes, the file has %" G_GSIZE_FORMAT
                   " (truncated?)", filename, len);
      return -1;
    }
  if (b[126] == 'I' && b[127] == 'M')
    c.swap = G_BYTE_ORDER != G_LITTLE_ENDIAN;
  else if (b[126] == 'M' && b[127] == 'I')
    c.swap = G_BYTE_ORDER == G_LITTLE_ENDIAN;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a MAT 5 file (no endian indicator at byte 126)", filename);
      return -1;
    }
  gsize off = 128;
  while (off < len)
    {
      V5Tag t;
      g_autofree char *what = g_strdup_printf ("variable %d (byte %" G_GSIZE_FORMAT ")", count + 1, off);
      gsize start = off;
      if (!v5_next (&c, b, len, &off, &t, what, "tag", error))
        return -1;
      if (t.type == 15)
        {
          /* Compressed variables are not padded. */
          off = start + 8 + t.nbytes;
          if (!v5_check_compressed (&c, t.data, t.nbytes, count + 1, error))
            return -1;
        }
      else if (t.type == 14)
        {
          if (!v5_check_top (&c, t.data, t.nbytes, count + 1, error))
            return -1;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %s: data type %u where a variable (miMATRIX or miCOMPRESSED) was "
                       "expected (corrupt file?)", filename, what, t.type);
          return -1;
        }
      count++;
    }
  return count;
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
      expected = mat5_count_elements (filename, error);
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
  return take_object (top);
}

/* ---- tree → results ---------------------------------------------------------------- */

static JsonObject *
object_at (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* A list of `rows` rows of `cols` numbers, row-major. */
static double *
read_matrix (JsonNode *node, guint64 rows, guint cols, const char *filename, const char *path,
             GError **error)
{
  JsonArray *a = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  if (!a || json_array_get_length (a) != rows)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: expected %" G_GUINT64_FORMAT " samples × %u electrodes (the shape of "
                   "simData.LFP)", filename, path, rows, cols);
      return NULL;
    }
  g_autofree double *data = g_new (double, MAX (rows * cols, 1));
  for (guint64 i = 0; i < rows; i++)
    {
      JsonNode *rn = json_array_get_element (a, i);
      JsonArray *row = JSON_NODE_HOLDS_ARRAY (rn) ? json_node_get_array (rn) : NULL;
      if (!row || json_array_get_length (row) != cols)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %s[%" G_GUINT64_FORMAT "]: expected a row of %u numbers", filename,
                       path, i, cols);
          return NULL;
        }
      for (guint k = 0; k < cols; k++)
        {
          JsonNode *e = json_array_get_element (row, k);
          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) == G_TYPE_STRING
              || !nl_json_number (e, &data[i * cols + k]))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: %s[%" G_GUINT64_FORMAT "][%u]: expected a number", filename, path,
                           i, k);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&data);
}

static const char *const lfp_part_keys[] = { "LFPPops", "LFPCells" };

/* `parts` holds simData's LFPPops and LFPCells, taken out of the tree before the JSON reader
 * sees it (it would take LFPCells' cell_<gid> members for a trace). */
static gboolean
read_lfp_parts (NlResults *r, JsonNode *parts[2], const char *filename, GError **error)
{
  const char *const *keys = lfp_part_keys;
  guint64 ns;
  guint ne;
  double dt;
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);

  for (guint k = 0; k < 2; k++)
    {
      JsonNode *node = parts[k];
      if (!node || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          /* savemat writes an empty dict as an empty struct, but an empty list as []. */
          if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
            continue;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: simData.%s: expected a struct of %s, got another kind of value",
                       filename, keys[k], k == 0 ? "populations" : "cells");
          return FALSE;
        }
      JsonObject *o = json_node_get_object (node);
      if (json_object_get_size (o) > 0 && !lfp)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: simData.%s: present but simData.LFP is not", filename, keys[k]);
          return FALSE;
        }
      g_autoptr(GList) members = json_object_get_members (o);
      for (GList *l = members; l; l = l->next)
        {
          const char *name = l->data;
          g_autofree char *path = g_strdup_printf ("simData.%s.%s", keys[k], name);
          guint64 gid = 0;
          if (k == 1 && !g_ascii_string_to_unsigned (g_str_has_prefix (name, "cell_") ? name + 5 : name,
                                                     10, 0, G_MAXUINT32 - 1, &gid, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: %s: expected a cell key 'cell_<gid>' or '<gid>'", filename, path);
              return FALSE;
            }
          double *data = read_matrix (json_object_get_member (o, name), ns, ne, filename, path, error);
          if (!data)
            return FALSE;
          nl_results_add_lfp_part (r, k == 0 ? NL_LFP_PART_POP : NL_LFP_PART_CELL,
                                   k == 0 ? name : NULL, (guint32) gid, data);
        }
    }
  return TRUE;
}

/* simConfig.recordLFP: the electrodes' x y z, when it matches the LFP's electrodes. */
static void
read_electrodes (NlResults *r, JsonObject *cfg, const char *filename)
{
  guint64 ns;
  guint ne;
  double dt;
  JsonNode *node = cfg ? json_object_get_member (cfg, "recordLFP") : NULL;

  if (!nl_results_get_lfp (r, &ns, &ne, &dt) || !node || ne == 0)
    return;
  double *xyz = read_matrix (node, ne, 3, filename, "simConfig.recordLFP", NULL);
  if (xyz)
    nl_results_set_lfp_electrodes (r, xyz, ne);
}

NlResults *
nl_mat_tree_to_results (JsonNode    *root,
                        const char  *filename,
                        const char  *format,
                        GError     **error)
{
  JsonObject *top = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *sim = object_at (top, "simData");
  JsonNode *parts[2] = { NULL, NULL };
  g_autoptr(NlResults) r = NULL;
  gboolean ok;

  for (guint k = 0; k < 2 && sim; k++)
    if (json_object_has_member (sim, lfp_part_keys[k]))
      {
        parts[k] = json_node_ref (json_object_get_member (sim, lfp_part_keys[k]));
        json_object_remove_member (sim, lfp_part_keys[k]);
      }
  r = nl_netpyne_json_read_node (root, filename, error);
  ok = r && read_lfp_parts (r, parts, filename, error);
  for (guint k = 0; k < 2; k++)
    if (parts[k])
      json_node_unref (parts[k]);
  if (!ok)
    return NULL;
  read_electrodes (r, object_at (top, "simConfig"), filename);
  json_object_set_string_member (nl_results_get_meta (r), "format", format);
  return g_steal_pointer (&r);
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
