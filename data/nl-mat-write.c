/* nl-mat-write.c — NlResults as a MAT 7.3 file in NetPyNE's saveData layout (matio).
 *
 * MAT 7.3 rather than savemat's MAT 5: field names may be longer than 31 characters
 * (population and trace names are user-chosen) and variables larger than 2 GB. The layout
 * mirrors nl_netpyne_json_write, so MAT and JSON files of the same results read the same.
 */
#include "nl-mat.h"

#include <matio.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

typedef struct {
  const char *filename;
  GPtrArray  *buffers;   /* data handed to matio without a copy, freed at the end */
} Out;

static gboolean
check_name (Out *o, const char *name, const char *path, GError **error)
{
  if (!name || !*name || strchr (name, '/') || g_str_equal (name, ".") || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: %s: the name '%s' cannot be a MAT field name (it must be non-empty text "
                   "without '/'); rename it", o->filename, path, name ? name : "");
      return FALSE;
    }
  return TRUE;
}

/* A numeric array over data we keep (freed with o->buffers). */
static matvar_t *
numeric (Out *o, enum matio_classes cls, enum matio_types type, gsize rows, gsize cols,
         gpointer data, int flags)
{
  size_t dims[2] = { rows, cols };
  if (data)
    g_ptr_array_add (o->buffers, data);
  return Mat_VarCreate (NULL, cls, type, 2, dims, data, MAT_F_DONT_COPY_DATA | flags);
}

static matvar_t *
row_doubles (Out *o, const double *v, guint64 n)
{
  double *copy = n ? g_memdup2 (v, n * sizeof (double)) : NULL;
  return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, n ? 1 : 0, n, copy, 0);
}

/* Row-major samples × electrodes → MATLAB's column-major. */
static matvar_t *
matrix (Out *o, const double *v, guint64 rows, guint cols)
{
  gboolean empty = rows == 0 || cols == 0;
  double *t = empty ? NULL : g_new (double, rows * cols);
  for (guint64 i = 0; i < rows; i++)
    for (guint j = 0; j < cols; j++)
      t[i + (guint64) j * rows] = v[i * cols + j];
  return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, empty ? 0 : rows, empty ? 0 : cols, t, 0);
}

/* Text as MATLAB stores it: UTF-16 code units. */
static matvar_t *
text (Out *o, const char *s)
{
  glong n = 0;
  gunichar2 *u = g_utf8_to_utf16 (s, -1, NULL, &n, NULL);
  if (u && n == 0)
    g_clear_pointer (&u, g_free);
  return numeric (o, MAT_C_CHAR, MAT_T_UINT16, u ? 1 : 0, u ? n : 0, u, 0);
}

static double
number_of (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                          : json_node_get_double (node);
}

/* A struct under construction: its fields in order, created at once at the end. */
typedef struct {
  GPtrArray *names;
  GPtrArray *values;
} Fields;

static void
fields_init (Fields *f)
{
  f->names = g_ptr_array_new_with_free_func (g_free);
  f->values = g_ptr_array_new ();
}

static void
fields_clear (Fields *f)
{
  for (guint i = 0; i < f->values->len; i++)
    Mat_VarFree (g_ptr_array_index (f->values, i));
  g_ptr_array_unref (f->names);
  g_ptr_array_unref (f->values);
}

/* Adds (or replaces) a field; takes `value`. */
static gboolean
fields_add (Out *o, Fields *f, const char *name, matvar_t *value, const char *path, GError **error)
{
  if (!value)
    {
      /* The value's own error, or matio's refusal. */
      if (error && !*error)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s.%s: matio could not create it",
                     o->filename, path, name);
      return FALSE;
    }
  if (!check_name (o, name, path, error))
    {
      Mat_VarFree (value);
      return FALSE;
    }
  for (guint i = 0; i < f->names->len; i++)
    if (g_str_equal (g_ptr_array_index (f->names, i), name))
      {
        Mat_VarFree (g_ptr_array_index (f->values, i));
        f->values->pdata[i] = value;
        return TRUE;
      }
  g_ptr_array_add (f->names, g_strdup (name));
  g_ptr_array_add (f->values, value);
  return TRUE;
}

/* The struct (1×1) of the fields, which it takes; `f` is cleared. */
static matvar_t *
fields_finish (Fields *f, const char *name)
{
  size_t dims[2] = { 1, 1 };
  matvar_t *s;

  g_ptr_array_add (f->names, NULL);   /* matio wants the names NULL-terminated */
  s = Mat_VarCreateStruct2 (name, 2, dims, (const char *const *) f->names->pdata);
  for (guint i = 0; s && i < f->values->len; i++)
    {
      Mat_VarSetStructFieldByIndex (s, i, 0, g_ptr_array_index (f->values, i));
      f->values->pdata[i] = NULL;
    }
  g_ptr_array_set_size (f->values, 0);
  fields_clear (f);
  return s;
}

/* ---- JSON (meta's simConfig) → MAT, as savemat maps NetPyNE's values ----------------- */

static matvar_t *json_to_mat (Out *o, JsonNode *node, const char *path, int depth, GError **error);

static matvar_t *
json_array_to_mat (Out *o, JsonArray *a, const char *path, int depth, GError **error)
{
  guint n = json_array_get_length (a);
  gboolean numbers = n > 0, ints = TRUE, bools = n > 0;
  guint cols = 0;
  gboolean rows = n > 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      GType t = JSON_NODE_HOLDS_VALUE (e) ? json_node_get_value_type (e) : G_TYPE_INVALID;
      if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
        numbers = FALSE;
      if (t != G_TYPE_INT64)
        ints = FALSE;
      if (t != G_TYPE_BOOLEAN)
        bools = FALSE;
      /* A list of equal-length lists of numbers is a matrix to numpy, and so to savemat. */
      if (!JSON_NODE_HOLDS_ARRAY (e))
        rows = FALSE;
      else
        {
          JsonArray *r = json_node_get_array (e);
          guint len = json_array_get_length (r);
          if (i == 0)
            cols = len;
          if (len != cols || len == 0)
            rows = FALSE;
          for (guint k = 0; rows && k < len; k++)
            {
              JsonNode *x = json_array_get_element (r, k);
              GType xt = JSON_NODE_HOLDS_VALUE (x) ? json_node_get_value_type (x) : G_TYPE_INVALID;
              if (xt != G_TYPE_INT64 && xt != G_TYPE_DOUBLE)
                rows = FALSE;
            }
        }
    }
  if (n == 0)
    return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, 0, 0, NULL, 0);
  if (numbers && ints)
    {
      gint64 *v = g_new (gint64, n);
      for (guint i = 0; i < n; i++)
        v[i] = json_array_get_int_element (a, i);
      return numeric (o, MAT_C_INT64, MAT_T_INT64, 1, n, v, 0);
    }
  if (numbers)
    {
      double *v = g_new (double, n);
      for (guint i = 0; i < n; i++)
        v[i] = number_of (json_array_get_element (a, i));
      return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, 1, n, v, 0);
    }
  if (bools)
    {
      guint8 *v = g_new (guint8, n);
      for (guint i = 0; i < n; i++)
        v[i] = json_array_get_boolean_element (a, i);
      return numeric (o, MAT_C_UINT8, MAT_T_UINT8, 1, n, v, MAT_F_LOGICAL);
    }
  if (rows)
    {
      double *v = g_new (double, (gsize) n * cols);
      for (guint i = 0; i < n; i++)
        {
          JsonArray *r = json_array_get_array_element (a, i);
          for (guint k = 0; k < cols; k++)
            v[i + (gsize) k * n] = number_of (json_array_get_element (r, k));
        }
      return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, n, cols, v, 0);
    }
  size_t dims[2] = { 1, n };
  matvar_t *cell = Mat_VarCreate (NULL, MAT_C_CELL, MAT_T_CELL, 2, dims, NULL, 0);
  if (!cell)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
      matvar_t *e = json_to_mat (o, json_array_get_element (a, i), sub, depth + 1, error);
      if (!e)
        {
          Mat_VarFree (cell);
          return NULL;
        }
      Mat_VarSetCell (cell, i, e);
    }
  return cell;
}

static matvar_t *
json_object_to_mat (Out *o, JsonObject *obj, const char *name, const char *path, int depth,
                    GError **error)
{
  Fields f;
  g_autoptr(GList) keys = json_object_get_members (obj);

  fields_init (&f);
  for (GList *l = keys; l; l = l->next)
    {
      g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) l->data);
      if (!check_name (o, l->data, path, error))
        {
          fields_clear (&f);
          return NULL;
        }
      matvar_t *v = json_to_mat (o, json_object_get_member (obj, l->data), sub, depth + 1, error);
      if (!v || !fields_add (o, &f, l->data, v, path, error))
        {
          fields_clear (&f);
          return NULL;
        }
    }
  return fields_finish (&f, name);
}

static matvar_t *
json_to_mat (Out *o, JsonNode *node, const char *path, int depth, GError **error)
{
  if (depth > 128)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: %s: nested more than 128 levels deep", o->filename, path);
      return NULL;
    }
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return text (o, "__np_none__");   /* NetPyNE's _ensureMatCompatible */
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_to_mat (o, json_node_get_object (node), NULL, path, depth, error);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_to_mat (o, json_node_get_array (node), path, depth, error);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      {
        guint8 *b = g_new (guint8, 1);
        *b = json_node_get_boolean (node);
        return numeric (o, MAT_C_UINT8, MAT_T_UINT8, 1, 1, b, MAT_F_LOGICAL);
      }
    case G_TYPE_INT64:
      {
        gint64 *v = g_new (gint64, 1);
        *v = json_node_get_int (node);
        return numeric (o, MAT_C_INT64, MAT_T_INT64, 1, 1, v, 0);
      }
    case G_TYPE_DOUBLE:
      {
        double *v = g_new (double, 1);
        *v = json_node_get_double (node);
        return numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, 1, 1, v, 0);
      }
    default:
      return text (o, json_node_get_string (node) ? json_node_get_string (node) : "");
    }
}

/* ---- the results --------------------------------------------------------------------- */

static matvar_t *
write_sim_config (Out *o, NlResults *r, GError **error)
{
  JsonObject *meta = nl_results_get_meta (r);
  JsonNode *cfg_node = json_object_get_member (meta, "simConfig");
  g_autoptr(JsonObject) cfg = json_object_new ();
  double duration = nl_results_get_duration (r);
  guint64 n_lfp;
  guint n_el, n_xyz = 0;
  double lfp_dt;
  const double *lfp = nl_results_get_lfp (r, &n_lfp, &n_el, &lfp_dt);
  const double *xyz = nl_results_get_lfp_electrodes (r, &n_xyz);

  if (cfg_node && JSON_NODE_HOLDS_OBJECT (cfg_node))
    {
      JsonObject *src = json_node_get_object (cfg_node);
      g_autoptr(GList) keys = json_object_get_members (src);
      for (GList *l = keys; l; l = l->next)
        json_object_set_member (cfg, l->data, json_node_copy (json_object_get_member (src, l->data)));
    }
  if (isfinite (duration))
    json_object_set_double_member (cfg, "duration", duration);
  else
    json_object_remove_member (cfg, "duration");
  if (lfp && n_lfp > 0 && isfinite (lfp_dt) && lfp_dt > 0)
    json_object_set_double_member (cfg, "recordStep", lfp_dt);
  if (lfp && n_lfp > 0 && xyz && n_xyz == n_el)
    json_object_remove_member (cfg, "recordLFP");

  matvar_t *s = json_object_to_mat (o, cfg, "simConfig", "simConfig", 0, error);
  if (s && lfp && n_lfp > 0 && xyz && n_xyz == n_el)
    {
      /* Electrodes × 3, as NetPyNE's simConfig.recordLFP list of [x, y, z]. */
      matvar_t *m = matrix (o, xyz, n_el, 3);
      if (Mat_VarAddStructField (s, "recordLFP") != 0)
        {
          Mat_VarFree (m);
          Mat_VarFree (s);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: simConfig.recordLFP: matio "
                       "could not add it", o->filename);
          return NULL;
        }
      Mat_VarSetStructFieldByName (s, "recordLFP", 0, m);
    }
  return s;
}

static matvar_t *
write_net (Out *o, NlResults *r, GError **error)
{
  Fields pops, net;

  fields_init (&pops);
  for (guint p = 0; p < nl_results_get_n_pops (r); p++)
    {
      guint n;
      const guint32 *gids = nl_results_get_pop_gids (r, p, &n);
      const char *name = nl_results_get_pop_name (r, p);
      gint64 *v = n ? g_new (gint64, n) : NULL;
      Fields pop;
      for (guint i = 0; i < n; i++)
        v[i] = gids[i];
      fields_init (&pop);
      if (!fields_add (o, &pop, "cellGids", numeric (o, MAT_C_INT64, MAT_T_INT64, n ? 1 : 0, n, v, 0),
                       "net.pops", error))
        {
          fields_clear (&pop);
          fields_clear (&pops);
          return NULL;
        }
      if (!fields_add (o, &pops, name, fields_finish (&pop, NULL), "net.pops", error))
        {
          fields_clear (&pops);
          return NULL;
        }
    }
  fields_init (&net);
  if (!fields_add (o, &net, "pops", fields_finish (&pops, NULL), "net", error))
    {
      fields_clear (&net);
      return NULL;
    }
  return fields_finish (&net, "net");
}

static gboolean
reserved_sim_key (const char *name)
{
  return g_str_equal (name, "spkt") || g_str_equal (name, "spkid") || g_str_equal (name, "t")
         || g_str_equal (name, "LFP") || g_str_equal (name, "LFPPops")
         || g_str_equal (name, "LFPCells");
}

static matvar_t *
write_sim_data (Out *o, NlResults *r, GError **error)
{
  Fields sim;
  guint64 n = nl_results_get_n_spikes (r), n_t = 0, n_lfp = 0;
  guint n_el = 0;
  double lfp_dt;
  const double *t = nl_results_get_trace_time (r, &n_t);
  const double *lfp = nl_results_get_lfp (r, &n_lfp, &n_el, &lfp_dt);
  const guint32 *g = nl_results_get_spike_gids (r);
  double *spkid = n ? g_new (double, n) : NULL;

  fields_init (&sim);
  /* NetPyNE's spkid are floats, as its hoc Vector holds them. */
  for (guint64 i = 0; i < n; i++)
    spkid[i] = g[i];
  if (!fields_add (o, &sim, "spkt", row_doubles (o, nl_results_get_spike_times (r), n), "simData", error)
      || !fields_add (o, &sim, "spkid", numeric (o, MAT_C_DOUBLE, MAT_T_DOUBLE, n ? 1 : 0, n, spkid, 0),
                      "simData", error))
    goto fail;
  if (nl_results_get_n_traces (r) > 0 && t
      && !fields_add (o, &sim, "t", row_doubles (o, t, n_t), "simData", error))
    goto fail;
  for (guint k = 0; k < nl_results_get_n_traces (r); k++)
    {
      const char *name = nl_results_get_trace_name (r, k);
      guint nc = nl_results_get_trace_n_cells (r, k);
      Fields cells;
      if (nc == 0 || reserved_sim_key (name))
        continue;
      fields_init (&cells);
      for (guint c = 0; c < nc; c++)
        {
          guint32 gid;
          guint64 ns;
          const double *v = nl_results_get_trace_values (r, k, c, &gid, &ns);
          g_autofree char *key = g_strdup_printf ("cell_%u", gid);
          if (!fields_add (o, &cells, key, row_doubles (o, v, ns), name, error))
            {
              fields_clear (&cells);
              goto fail;
            }
        }
      if (!fields_add (o, &sim, name, fields_finish (&cells, NULL), "simData", error))
        goto fail;
    }
  if (lfp && n_lfp > 0 && n_el > 0)
    {
      Fields pops, cells;
      if (!fields_add (o, &sim, "LFP", matrix (o, lfp, n_lfp, n_el), "simData", error))
        goto fail;
      fields_init (&pops);
      fields_init (&cells);
      for (guint i = 0; i < nl_results_get_n_lfp_parts (r); i++)
        {
          NlLfpPartKind kind;
          const char *pop;
          guint32 gid;
          const double *d = nl_results_get_lfp_part (r, i, &kind, &pop, &gid);
          g_autofree char *key = kind == NL_LFP_PART_POP ? g_strdup (pop)
                                                         : g_strdup_printf ("cell_%u", gid);
          if (!fields_add (o, kind == NL_LFP_PART_POP ? &pops : &cells, key,
                           matrix (o, d, n_lfp, n_el),
                           kind == NL_LFP_PART_POP ? "simData.LFPPops" : "simData.LFPCells", error))
            {
              fields_clear (&pops);
              fields_clear (&cells);
              goto fail;
            }
        }
      gboolean has_pops = pops.names->len > 0, has_cells = cells.names->len > 0;
      if (has_pops && !fields_add (o, &sim, "LFPPops", fields_finish (&pops, NULL), "simData", error))
        {
          fields_clear (&cells);
          goto fail;
        }
      if (!has_pops)
        fields_clear (&pops);
      if (has_cells && !fields_add (o, &sim, "LFPCells", fields_finish (&cells, NULL), "simData", error))
        goto fail;
      if (!has_cells)
        fields_clear (&cells);
    }
  return fields_finish (&sim, "simData");

fail:
  fields_clear (&sim);
  return NULL;
}

static gboolean
write_var (Out *o, mat_t *mat, matvar_t *v, GError **error)
{
  if (!v)
    {
      if (error && !*error)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: matio could not build a variable",
                     o->filename);
      return FALSE;
    }
  int rc = Mat_VarWrite (mat, v, MAT_COMPRESSION_NONE);
  if (rc != 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s: matio could not write it (error %d)",
                 o->filename, v->name ? v->name : "?", rc);
  Mat_VarFree (v);
  return rc == 0;
}

static gboolean
sync_file (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  if (fd < 0 || (fsync (fd) != 0 && errno != EINVAL))
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s", g_strerror (e));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
nl_netpyne_mat_write (NlResults   *r,
                      const char  *filename,
                      GError     **error)
{
  Out o = { filename, g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", filename);
  JsonObject *meta = nl_results_get_meta (r);
  JsonNode *version = json_object_get_member (meta, "netloom_version");
  gboolean ok = FALSE;
  mat_t *mat = NULL;

  /* A unique name beside the target; matio (HDF5) then creates the file under it. */
  int fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create a temporary "
                   "file beside it: %s", filename, g_strerror (e));
      g_ptr_array_unref (o.buffers);
      return FALSE;
    }
  close (fd);
  g_unlink (tmp);
  mat = Mat_CreateVer (tmp, NULL, MAT_FT_MAT73);
  if (!mat)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: matio could not create %s",
                   filename, tmp);
      goto out;
    }
  if (version && JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_STRING)
    {
      matvar_t *v = text (&o, json_node_get_string (version));
      g_free (v->name);
      v->name = g_strdup ("netloom_version");
      if (!write_var (&o, mat, v, error))
        goto out;
    }
  if (!write_var (&o, mat, write_sim_config (&o, r, error), error)
      || !write_var (&o, mat, write_net (&o, r, error), error)
      || !write_var (&o, mat, write_sim_data (&o, r, error), error))
    goto out;
  ok = TRUE;

out:
  if (mat && Mat_Close (mat) != 0 && ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: matio could not finish the file",
                   filename);
      ok = FALSE;
    }
  if (ok && !sync_file (tmp, error))
    {
      g_prefix_error (error, "%s: ", filename);
      ok = FALSE;
    }
  if (ok && g_rename (tmp, filename) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: %s", filename, g_strerror (e));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  g_ptr_array_unref (o.buffers);
  return ok;
}
