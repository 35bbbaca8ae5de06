/* nl-mat-tree.c — what the MAT and hdf5storage readers share: the shapes NetPyNE's values
 * keep, MATLAB arrays as JSON lists, and the step from their JSON tree to NlResults (the
 * JSON reader, then the LFP's parts and electrodes, which it does not read).
 */
#include "nl-mat.h"
#include "nl-results-read.h"

#include <nl-json.h>
#include <string.h>

/* Nodes that take over (not ref) their container. */
JsonNode *
nl_mat_take_array (JsonArray *a)
{
  JsonNode *n = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (n, a);
  return n;
}

JsonNode *
nl_mat_take_object (JsonObject *o)
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
  return nl_mat_take_array (a);
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
    return nl_mat_take_array (json_array_new ());
  if (shape == NL_MAT_SHAPE_AUTO && n == 1)
    return get (data, 0, user_data);
  if (shape == NL_MAT_SHAPE_VECTOR || (shape == NL_MAT_SHAPE_AUTO && big <= 1))
    {
      JsonArray *a = json_array_sized_new (n);
      for (gsize i = 0; i < n; i++)
        json_array_add_element (a, get (data, i, user_data));
      return nl_mat_take_array (a);
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
          json_array_add_element (rows, nl_mat_take_array (row));
        }
      return nl_mat_take_array (rows);
    }
  return nest (rank, dims, 0, 0, 1, get, data, user_data);
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
