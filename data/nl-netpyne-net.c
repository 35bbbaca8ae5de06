#include "nl-netpyne-net.h"

#include <gio/gio.h>
#include <nl-json.h>
#include <string.h>

typedef struct {
  GOutputStream *out;
  GString       *buf;
  GError        *error;
} Writer;

static void
flush_if (Writer *w, gsize limit)
{
  if (w->buf->len < limit || w->error)
    return;
  if (!g_output_stream_write_all (w->out, w->buf->str, w->buf->len, NULL, NULL, &w->error))
    return;
  g_string_truncate (w->buf, 0);
}

static void
num (GString *s, double v)
{
  char b[32];
  nl_json_format_double (b, v);
  g_string_append (s, b);
}

static void
flt (GString *s, float v)
{
  char b[32];
  nl_json_format_float (b, v);
  g_string_append (s, b);
}

static void
member (GString *s, const char *key)
{
  nl_json_append_string (s, key);
  g_string_append_c (s, ':');
}

/* A name, or null for what has none (the section of an artificial cell). */
static void
append_name (GString *s, const char *name)
{
  if (name)
    nl_json_append_string (s, name);
  else
    g_string_append (s, "null");
}

static void
write_conn (NlNetwork *net, GString *s, const NlConn *c, gboolean from_stim)
{
  const NlNetRule *rule = nl_network_get_rule (net, c->rule);

  g_string_append_c (s, '{');
  member (s, "preGid");
  if (from_stim)
    {
      g_string_append (s, "\"NetStim\",");
      member (s, "preLabel");
      nl_json_append_string (s, rule->source);
    }
  else
    g_string_append_printf (s, "%u", c->pre);
  g_string_append_c (s, ',');
  member (s, "sec");
  append_name (s, nl_network_get_name (net, NL_NAME_SEC, c->sec));
  g_string_append_c (s, ',');
  member (s, "loc");
  flt (s, c->loc);
  g_string_append_c (s, ',');
  member (s, "synMech");
  nl_json_append_string (s, nl_network_get_name (net, NL_NAME_SYN_MECH, c->syn));
  g_string_append_c (s, ',');
  member (s, "weight");
  flt (s, c->weight);
  g_string_append_c (s, ',');
  member (s, "delay");
  flt (s, c->delay);
  g_string_append_c (s, ',');
  member (s, "label");
  nl_json_append_string (s, rule->label);
  g_string_append_c (s, '}');
}

static void
array_unref0 (gpointer p)
{
  if (p)
    g_array_unref (p);
}

void
nl_netpyne_net_append_cells (NlNetwork *net, GString *buf, NlNetFlush flush, gpointer data)
{
  static const char *const coord_keys[] = { "x", "y", "z", "xnorm", "ynorm", "znorm" };
  g_autoptr(GPtrArray) stims_of = NULL;
  guint n = nl_network_get_n_cells (net);

  /* Stimuli per cell, in build order. */
  stims_of = g_ptr_array_new_with_free_func (array_unref0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (stims_of, NULL);
  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    {
      NlNetStim st;
      nl_network_get_stim (net, i, &st);
      if (!stims_of->pdata[st.cell])
        stims_of->pdata[st.cell] = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (stims_of->pdata[st.cell], i);
    }
  g_autofree guint64 *stim_conn_first = g_new0 (guint64, nl_network_get_n_stims (net) + 1);
  for (guint64 i = 0; i < nl_network_get_n_stim_conns (net); i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      stim_conn_first[c.pre + 1]++;
    }
  for (guint i = 0; i < nl_network_get_n_stims (net); i++)
    stim_conn_first[i + 1] += stim_conn_first[i];

  g_string_append_c (buf, '[');
  for (guint gid = 0; gid < n; gid++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      guint64 first, count = nl_network_conns_of_cell (net, gid, &first);
      GArray *st = stims_of->pdata[gid];

      if (gid)
        g_string_append_c (buf, ',');
      g_string_append_printf (buf, "\n{\"gid\":%u,\"tags\":{", gid);
      member (buf, "pop");
      nl_json_append_string (buf, pop->name);
      if (pop->cell_type)
        {
          g_string_append_c (buf, ',');
          member (buf, "cellType");
          nl_json_append_string (buf, pop->cell_type);
        }
      if (pop->cell_model)
        {
          g_string_append_c (buf, ',');
          member (buf, "cellModel");
          nl_json_append_string (buf, pop->cell_model);
        }
      for (int c = 0; c < NL_N_COORDS; c++)
        {
          g_string_append_c (buf, ',');
          member (buf, coord_keys[c]);
          num (buf, nl_network_get_coords (net, c)[gid]);
        }
      g_string_append (buf, "},\"conns\":[");
      for (guint64 i = 0; i < count; i++)
        {
          NlConn c;
          nl_network_get_conn (net, first + i, &c);
          if (i)
            g_string_append_c (buf, ',');
          write_conn (net, buf, &c, FALSE);
          flush (data, 1 << 20);
        }
      /* NetStim-driven NetCons are entries of cell.conns too, with preGid "NetStim". */
      for (guint k = 0; st && k < st->len; k++)
        {
          guint si = g_array_index (st, guint, k);
          for (guint64 j = stim_conn_first[si]; j < stim_conn_first[si + 1]; j++)
            {
              NlConn c;
              nl_network_get_stim_conn (net, j, &c);
              if (count || j > stim_conn_first[si] || k)
                g_string_append_c (buf, ',');
              write_conn (net, buf, &c, TRUE);
            }
        }
      g_string_append (buf, "],\"stims\":[");
      for (guint k = 0; st && k < st->len; k++)
        {
          NlNetStim s;
          nl_network_get_stim (net, g_array_index (st, guint, k), &s);
          const NlNetRule *rule = nl_network_get_rule (net, s.rule);
          if (k)
            g_string_append_c (buf, ',');
          g_string_append_c (buf, '{');
          member (buf, "label");
          nl_json_append_string (buf, rule->label);
          g_string_append_c (buf, ',');
          member (buf, "source");
          nl_json_append_string (buf, rule->source);
          g_string_append_c (buf, ',');
          member (buf, "type");
          nl_json_append_string (buf, rule->source_type ? rule->source_type : "");
          g_string_append_c (buf, ',');
          member (buf, "sec");
          append_name (buf, nl_network_get_name (net, NL_NAME_SEC, s.sec));
          g_string_append_c (buf, ',');
          member (buf, "loc");
          flt (buf, s.loc);
          g_string_append_c (buf, '}');
        }
      g_string_append (buf, "]}");
      flush (data, 1 << 20);
    }

  g_string_append_c (buf, ']');
}

static void
writer_flush (gpointer data, gsize limit)
{
  flush_if (data, limit);
}

gboolean
nl_netpyne_write_net (NlSpec      *spec,
                      NlNetwork   *net,
                      const char  *filename,
                      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileOutputStream) fout = NULL;
  g_autoptr(GOutputStream) zout = NULL;
  Writer w = { 0 };
  gboolean ok;

  /* g_file_replace writes beside the target and renames on close: a failure or a kill
   * never leaves half a file under the final name. */
  fout = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (!fout)
    return FALSE;
  w.out = G_OUTPUT_STREAM (fout);
  if (g_str_has_suffix (filename, ".gz"))
    {
      g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
      zout = g_converter_output_stream_new (G_OUTPUT_STREAM (fout), G_CONVERTER (z));
      w.out = zout;
    }
  w.buf = g_string_sized_new (1 << 20);

  g_string_append (w.buf, "{\"net\":{\"cells\":");
  nl_netpyne_net_append_cells (net, w.buf, writer_flush, &w);
  g_string_append (w.buf, ",\n\"pops\":{");
  for (guint p = 0; p < nl_network_get_n_pops (net); p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      if (p)
        g_string_append_c (w.buf, ',');
      nl_json_append_string (w.buf, pop->name);
      g_string_append (w.buf, ":{\"cellGids\":[");
      for (guint i = 0; i < pop->n_cells; i++)
        {
          g_string_append_printf (w.buf, i ? ",%u" : "%u", pop->first + i);
          flush_if (&w, 1 << 20);
        }
      g_string_append (w.buf, "],\"tags\":");
      {
        JsonNode *params = json_object_get_member (json_object_get_object_member (nl_spec_get_net_params (spec), "popParams"),
                                                   pop->name);
        g_autofree char *t = params ? nl_json_to_string (params, -1, NULL) : g_strdup ("{}");
        g_string_append (w.buf, t);
      }
      g_string_append_c (w.buf, '}');
    }
  g_string_append (w.buf, "},\n\"params\":");
  {
    g_autoptr(JsonNode) np = json_node_init_object (json_node_alloc (), nl_spec_get_net_params (spec));
    g_autofree char *t = nl_json_to_string (np, -1, NULL);
    g_string_append (w.buf, t);
  }
  g_string_append (w.buf, "},\n\"simConfig\":");
  {
    g_autoptr(JsonNode) cfg = json_node_init_object (json_node_alloc (), nl_spec_get_sim_config (spec));
    g_autofree char *t = nl_json_to_string (cfg, -1, NULL);
    g_string_append (w.buf, t);
  }
  g_string_append (w.buf, "}\n");
  flush_if (&w, 0);

  ok = !w.error && g_output_stream_close (w.out, NULL, &w.error);
  if (ok && zout)
    ok = g_output_stream_close (G_OUTPUT_STREAM (fout), NULL, &w.error);
  g_string_free (w.buf, TRUE);
  if (!ok)
    {
      /* A cancelled close abandons the temporary file and keeps the old one; a plain close
       * (also on finalize) would rename the partial file into place. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      if (zout)
        g_output_stream_close (zout, abandon, NULL);
      g_output_stream_close (G_OUTPUT_STREAM (fout), abandon, NULL);
      g_propagate_prefixed_error (error, w.error, "%s: ", filename);
      return FALSE;
    }
  return TRUE;
}
