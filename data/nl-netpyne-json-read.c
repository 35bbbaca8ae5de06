#include "nl-results-read.h"

#include <nl-json.h>
#include <math.h>
#include <string.h>

/* NetPyNE's sim.saveData JSON: {"netpyne_version", "simConfig": {duration, recordStep …},
 * "net": {"cells": [...], "pops": {NAME: {"cellGids": [...], "tags": {...}}}},
 * "simData": {"spkt": [...], "spkid": [...], "t": [...], "V_soma": {"cell_<gid>": [...]},
 * "LFP": [[...]…] …}}. */

static JsonObject *
member_object (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* A JSON number (not a boolean). */
static gboolean
get_number (JsonNode *node, double *value)
{
  if (!node || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType t = json_node_get_value_type (node);
  if (t == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else if (t == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static const char *
node_kind (JsonNode *node)
{
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "a list";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "a string";
    case G_TYPE_BOOLEAN: return "a boolean";
    default: return "a number";
    }
}

/* A list of numbers at `path`; *out g_new'd (NULL for an empty list). */
static gboolean
read_doubles (JsonNode *node, const char *name, const char *path, double **out, guint64 *n,
              GError **error)
{
  *out = NULL;
  *n = 0;
  if (!node || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: expected a list of numbers, got %s", name, path, node_kind (node));
      return FALSE;
    }
  JsonArray *a = json_node_get_array (node);
  guint len = json_array_get_length (a);
  double *v = g_new (double, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    if (!get_number (json_array_get_element (a, i), &v[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: %s[%u]: expected a number, got %s", name, path, i,
                     node_kind (json_array_get_element (a, i)));
        g_free (v);
        return FALSE;
      }
  *out = v;
  *n = len;
  return TRUE;
}

/* A gid: a whole number in [0, 2^32 - 2]. */
static gboolean
to_gid (JsonNode *node, const char *name, const char *path, guint i, guint32 *gid, GError **error)
{
  double v;
  if (!get_number (node, &v))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s[%u]: expected a cell gid (a whole number ≥ 0), got %s",
                   name, path, i, node_kind (node));
      return FALSE;
    }
  if (!isfinite (v) || v < 0 || v != floor (v) || v >= (double) G_MAXUINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s[%u]: expected a cell gid (a whole number ≥ 0), got %.17g",
                   name, path, i, v);
      return FALSE;
    }
  *gid = (guint32) v;
  return TRUE;
}

static gboolean
read_gids (JsonNode *node, const char *name, const char *path, guint32 **out, guint *n,
           GError **error)
{
  *out = NULL;
  *n = 0;
  if (!node || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s: expected a list of cell gids, got %s", name, path, node_kind (node));
      return FALSE;
    }
  JsonArray *a = json_node_get_array (node);
  guint len = json_array_get_length (a);
  guint32 *g = g_new (guint32, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    if (!to_gid (json_array_get_element (a, i), name, path, i, &g[i], error))
      {
        g_free (g);
        return FALSE;
      }
  *out = g;
  *n = len;
  return TRUE;
}

static gboolean
read_pops (NlResults *r, JsonObject *net, const char *name, GError **error)
{
  JsonNode *pops_node = json_object_get_member (net, "pops");
  guint64 total = 0;

  if (pops_node && !JSON_NODE_HOLDS_NULL (pops_node))
    {
      if (!JSON_NODE_HOLDS_OBJECT (pops_node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: net.pops: expected an object of populations, got %s", name,
                       node_kind (pops_node));
          return FALSE;
        }
      JsonObject *pops = json_node_get_object (pops_node);
      g_autoptr(GList) members = json_object_get_members (pops);   /* file order */
      for (GList *l = members; l; l = l->next)
        {
          const char *pop = l->data;
          JsonNode *pn = json_object_get_member (pops, pop);
          g_autofree char *path = g_strdup_printf ("net.pops.%s.cellGids", pop);
          g_autofree guint32 *gids = NULL;
          guint n = 0;
          if (!JSON_NODE_HOLDS_OBJECT (pn))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: net.pops.%s: expected an object, got %s", name, pop, node_kind (pn));
              return FALSE;
            }
          JsonNode *cg = json_object_get_member (json_node_get_object (pn), "cellGids");
          if (cg && !JSON_NODE_HOLDS_NULL (cg) && !read_gids (cg, name, path, &gids, &n, error))
            return FALSE;
          nl_results_add_pop (r, pop, gids, n);
          total += n;
        }
    }

  JsonNode *cells = json_object_get_member (net, "cells");
  if (cells && JSON_NODE_HOLDS_ARRAY (cells) && json_array_get_length (json_node_get_array (cells)) > 0)
    nl_results_set_n_cells (r, json_array_get_length (json_node_get_array (cells)));
  else if (cells && JSON_NODE_HOLDS_ARRAY (cells))
    nl_results_set_n_cells (r, (guint) MIN (total, G_MAXUINT));   /* cells not saved */
  else if (cells && !JSON_NODE_HOLDS_NULL (cells))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: net.cells: expected a list of cells, got %s", name, node_kind (cells));
      return FALSE;
    }
  else
    nl_results_set_n_cells (r, (guint) MIN (total, G_MAXUINT));
  return TRUE;
}

static gboolean
read_spikes (NlResults *r, JsonObject *sim, const char *name, GError **error)
{
  JsonNode *tn = json_object_get_member (sim, "spkt");
  JsonNode *gn = json_object_get_member (sim, "spkid");
  g_autofree double *t = NULL;
  g_autofree guint32 *g = NULL;
  guint64 nt = 0;
  guint ng = 0;

  if (!tn && !gn)
    {
      nl_results_set_spikes (r, NULL, NULL, 0);
      return TRUE;
    }
  if (!tn || !gn)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: simData.%s: missing (simData.%s is there)",
                   name, tn ? "spkid" : "spkt", tn ? "spkt" : "spkid");
      return FALSE;
    }
  if (!read_doubles (tn, name, "simData.spkt", &t, &nt, error)
      || !read_gids (gn, name, "simData.spkid", &g, &ng, error))
    return FALSE;
  if (nt != ng)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: simData.spkt has %" G_GUINT64_FORMAT " times but simData.spkid has %u gids; "
                   "they must pair up", name, nt, ng);
      return FALSE;
    }
  for (guint64 i = 0; i < nt; i++)
    if (!isfinite (t[i]))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: simData.spkt[%" G_GUINT64_FORMAT "]: not a finite time", name, i);
        return FALSE;
      }
  nl_results_set_spikes (r, g_steal_pointer (&t), g_steal_pointer (&g), nt);
  return TRUE;
}

/* "cell_<digits>" → gid. */
static gboolean
parse_cell_key (const char *key, guint32 *gid)
{
  guint64 v;
  if (!g_str_has_prefix (key, "cell_") || !key[5])
    return FALSE;
  if (!g_ascii_string_to_unsigned (key + 5, 10, 0, G_MAXUINT32 - 1, &v, NULL))
    return FALSE;
  *gid = (guint32) v;
  return TRUE;
}

/* A trace is a simData member whose value is a non-empty object of cell_<gid> keys. */
static gboolean
is_trace (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  JsonObject *o = json_node_get_object (node);
  if (json_object_get_size (o) == 0)
    return FALSE;
  g_autoptr(GList) members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    {
      guint32 gid;
      if (!parse_cell_key (l->data, &gid))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_traces (NlResults *r, JsonObject *sim, double record_step, const char *name, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (sim);
  guint64 max_len = 0;

  for (GList *l = members; l; l = l->next)
    {
      const char *trace = l->data;
      JsonNode *node = json_object_get_member (sim, trace);
      if (!is_trace (node))
        continue;
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) cells = json_object_get_members (o);
      for (GList *c = cells; c; c = c->next)
        {
          g_autofree char *path = g_strdup_printf ("simData.%s.%s", trace, (const char *) c->data);
          guint32 gid = 0;
          double *v;
          guint64 n;
          parse_cell_key (c->data, &gid);
          if (!read_doubles (json_object_get_member (o, c->data), name, path, &v, &n, error))
            return FALSE;
          nl_results_add_trace (r, trace, gid, v, n);
          max_len = MAX (max_len, n);
        }
    }

  JsonNode *tn = json_object_get_member (sim, "t");
  if (tn && !JSON_NODE_HOLDS_NULL (tn))
    {
      double *t;
      guint64 n;
      if (!read_doubles (tn, name, "simData.t", &t, &n, error))
        return FALSE;
      nl_results_set_trace_time (r, t, n);
    }
  else if (max_len > 0)
    {
      /* No time base saved: NetPyNE records from 0 every recordStep. */
      double *t = g_new (double, max_len);
      for (guint64 i = 0; i < max_len; i++)
        t[i] = i * record_step;
      nl_results_set_trace_time (r, t, max_len);
    }
  return TRUE;
}

/* simData.LFP: samples × electrodes (a list of rows), as NetPyNE saves its numpy array. */
static gboolean
read_lfp (NlResults *r, JsonObject *sim, double record_step, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (sim, "LFP");
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: simData.LFP: expected a list of samples (each a list of electrodes), got %s",
                   name, node_kind (node));
      return FALSE;
    }
  JsonArray *rows = json_node_get_array (node);
  guint n_samples = json_array_get_length (rows);
  guint n_el = 0;
  if (n_samples == 0)
    return TRUE;
  JsonNode *first = json_array_get_element (rows, 0);
  if (JSON_NODE_HOLDS_ARRAY (first))
    n_el = json_array_get_length (json_node_get_array (first));
  else
    n_el = 1;   /* one electrode saved as a flat list */
  if (n_el == 0)
    return TRUE;
  g_autofree double *data = g_new (double, (gsize) n_samples * n_el);
  for (guint i = 0; i < n_samples; i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      g_autofree char *path = g_strdup_printf ("simData.LFP[%u]", i);
      if (JSON_NODE_HOLDS_ARRAY (row))
        {
          JsonArray *ra = json_node_get_array (row);
          if (json_array_get_length (ra) != n_el)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: %s: has %u electrodes, simData.LFP[0] has %u", name, path,
                           json_array_get_length (ra), n_el);
              return FALSE;
            }
          for (guint k = 0; k < n_el; k++)
            if (!get_number (json_array_get_element (ra, k), &data[(gsize) i * n_el + k]))
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "%s: %s[%u]: expected a number, got %s", name, path, k,
                             node_kind (json_array_get_element (ra, k)));
                return FALSE;
              }
        }
      else if (n_el != 1 || !get_number (row, &data[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: %s: expected a list of electrode values, got %s", name, path,
                       node_kind (row));
          return FALSE;
        }
    }
  nl_results_set_lfp (r, g_steal_pointer (&data), n_samples, n_el, record_step);
  return TRUE;
}

NlResults *
nl_netpyne_json_read_node (JsonNode    *root,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(NlResults) r = NULL;
  JsonObject *top, *net, *sim, *cfg;
  double duration, record_step = 0.1;   /* NetPyNE's default recordStep */

  if (!root || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: expected a JSON object (NetPyNE sim.saveData output), got %s", name,
                   node_kind (root));
      return NULL;
    }
  top = json_node_get_object (root);
  net = member_object (top, "net");
  sim = member_object (top, "simData");
  cfg = member_object (top, "simConfig");
  if (!net && !sim)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no 'net' or 'simData' object: not NetPyNE results (sim.saveData output)%s",
                   name, json_object_has_member (top, "netParams")
                   ? "; this looks like a NetLoom model, try 'netloom run'" : "");
      return NULL;
    }
  r = nl_results_new ();

  if (cfg)
    {
      JsonNode *d = json_object_get_member (cfg, "duration");
      JsonNode *rs = json_object_get_member (cfg, "recordStep");
      if (d && get_number (d, &duration) && isfinite (duration) && duration >= 0)
        nl_results_set_duration (r, duration);
      else if (d)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: simConfig.duration: expected a time ≥ 0 in ms, got %s", name, node_kind (d));
          return NULL;
        }
      if (rs && !(get_number (rs, &record_step) && isfinite (record_step) && record_step > 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: simConfig.recordStep: expected a step > 0 in ms", name);
          return NULL;
        }
    }
  if (net && !read_pops (r, net, name, error))
    return NULL;
  if (sim && (!read_spikes (r, sim, name, error)
              || !read_traces (r, sim, record_step, name, error)
              || !read_lfp (r, sim, record_step, name, error)))
    return NULL;

  JsonObject *meta = nl_results_get_meta (r);
  json_object_set_string_member (meta, "format", "netpyne-json");
  JsonNode *v = json_object_get_member (top, "netpyne_version");
  if (v && JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
    json_object_set_string_member (meta, "netpyne_version", json_node_get_string (v));
  v = json_object_get_member (top, "netpyne_changeset");
  if (v && JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
    json_object_set_string_member (meta, "netpyne_changeset", json_node_get_string (v));
  return g_steal_pointer (&r);
}

NlResults *
nl_netpyne_json_read (const char  *filename,
                      GError     **error)
{
  g_autoptr(NlJsonDoc) doc = nl_json_doc_load (filename, NULL, NULL, error);
  if (!doc)
    return NULL;
  return nl_netpyne_json_read_node (nl_json_doc_get_root (doc), filename, error);
}
