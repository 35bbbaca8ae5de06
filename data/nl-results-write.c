#include "nl-results-write.h"
#include "nl-h5.h"
#include "nl-netpyne-net.h"
#include "nl-mat.h"

#include <nl-json.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

/* GFileDescriptorBased lives in gio-unix's headers, which data/ does not include; its two
 * functions are in libgio itself. */
GType g_file_descriptor_based_get_type (void);
int   g_file_descriptor_based_get_fd   (gpointer fd_based);

gboolean
nl_atomic_out_open (NlAtomicOut *o,
                    const char  *filename,
                    gboolean     gzip,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);

  memset (o, 0, sizeof *o);
  /* g_file_replace writes beside the target and renames on close. */
  o->fout = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (!o->fout)
    {
      g_prefix_error (error, "%s: ", filename);
      return FALSE;
    }
  o->out = G_OUTPUT_STREAM (o->fout);
  if (gzip)
    {
      g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
      o->zout = g_converter_output_stream_new (G_OUTPUT_STREAM (o->fout), G_CONVERTER (z));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (o->zout), FALSE);
      o->out = o->zout;
    }
  o->buf = g_string_sized_new (1 << 20);
  return TRUE;
}

void
nl_atomic_out_flush_if (NlAtomicOut *o,
                        gsize        limit)
{
  if (o->error || o->buf->len < limit || o->buf->len == 0)
    return;
  if (g_output_stream_write_all (o->out, o->buf->str, o->buf->len, NULL, NULL, &o->error))
    g_string_truncate (o->buf, 0);
}

gboolean
nl_atomic_out_finish (NlAtomicOut *o,
                      const char  *filename,
                      GError     **error)
{
  gboolean ok;

  nl_atomic_out_flush_if (o, 0);
  ok = !o->error;
  if (ok && o->zout)
    ok = g_output_stream_close (o->zout, NULL, &o->error);
  if (ok && G_TYPE_CHECK_INSTANCE_TYPE (o->fout, g_file_descriptor_based_get_type ()))
    {
      /* On disk before the rename: a crash never leaves an empty file under the name. */
      if (!g_output_stream_flush (G_OUTPUT_STREAM (o->fout), NULL, &o->error))
        ok = FALSE;
      else if (fsync (g_file_descriptor_based_get_fd (o->fout)) != 0 && errno != EINVAL)
        {
          int e = errno;
          g_set_error (&o->error, G_IO_ERROR, g_io_error_from_errno (e), "%s", g_strerror (e));
          ok = FALSE;
        }
    }
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (o->fout), NULL, &o->error);
  if (!ok)
    {
      /* A cancelled close abandons the temporary file and keeps the old one; a plain close
       * (also on finalize) would rename the partial file into place. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      if (o->zout)
        g_output_stream_close (o->zout, abandon, NULL);
      g_output_stream_close (G_OUTPUT_STREAM (o->fout), abandon, NULL);
    }
  g_clear_object (&o->zout);
  g_clear_object (&o->fout);
  g_string_free (o->buf, TRUE);
  o->buf = NULL;
  if (!ok)
    {
      g_propagate_prefixed_error (error, o->error, "%s: ", filename);
      o->error = NULL;
    }
  return ok;
}

const char *
nl_results_format_for_filename (const char *filename)
{
  g_autofree char *lower = g_ascii_strdown (filename, -1);
  if (g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".json.gz"))
    return "netpyne-json";
  if (g_str_has_suffix (lower, ".csv"))
    return "csv";
  if (g_str_has_suffix (lower, ".sonata.h5"))
    return "sonata";
  if (g_str_has_suffix (lower, ".h5"))
    return "netloom-h5";
  if (g_str_has_suffix (lower, ".mat"))
    return "netpyne-mat";
  return NULL;
}

gboolean
nl_results_write (NlResults   *r,
                  const char  *filename,
                  const char  *format,
                  GError     **error)
{
  return nl_results_write_full (r, NULL, NULL, filename, format, error);
}

gboolean
nl_results_write_full (NlResults   *r,
                       NlSpec      *spec,
                       NlNetwork   *net,
                       const char  *filename,
                       const char  *format,
                       GError     **error)
{
  g_return_val_if_fail (r != NULL && filename != NULL, FALSE);

  if (!format)
    {
      format = nl_results_format_for_filename (filename);
      if (!format)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: cannot tell the format from the name (write .json, .json.gz, .csv, "
                       ".sonata.h5, .h5 or .mat, or say the format)", filename);
          return FALSE;
        }
    }
  if (g_str_equal (format, "netpyne-json") || g_str_equal (format, "json"))
    return nl_netpyne_json_write_full (r, net, filename, g_str_has_suffix (filename, ".gz"), error);
  if (g_str_equal (format, "json.gz"))
    return nl_netpyne_json_write_full (r, net, filename, TRUE, error);
  if (g_str_equal (format, "csv"))
    return nl_spikes_csv_write (r, filename, error);
  if (g_str_equal (format, "sonata"))
    return nl_sonata_write (r, filename, error);
  if (g_str_equal (format, "netloom-h5") || g_str_equal (format, "h5"))
    return nl_h5_write (filename, r, spec, net, error);
  if (g_str_equal (format, "netpyne-mat") || g_str_equal (format, "mat"))
    return nl_netpyne_mat_write (r, filename, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "%s: cannot write format '%s' (netpyne-json, json.gz, csv, sonata, netloom-h5 or netpyne-mat)",
               filename, format);
  return FALSE;
}

/* NetPyNE sim.saveData JSON. */

static void
num (GString *s, double v)
{
  char b[32];
  nl_json_format_double (b, v);
  g_string_append (s, b);
}

static void
doubles (NlAtomicOut *o, const double *v, guint64 n)
{
  g_string_append_c (o->buf, '[');
  for (guint64 i = 0; i < n; i++)
    {
      if (i)
        g_string_append_c (o->buf, ',');
      num (o->buf, v[i]);
      if ((i & 1023) == 0)
        nl_atomic_out_flush_if (o, 1 << 20);
    }
  g_string_append_c (o->buf, ']');
}

static gboolean
reserved_sim_key (const char *name)
{
  return g_str_equal (name, "spkt") || g_str_equal (name, "spkid") || g_str_equal (name, "t")
         || g_str_equal (name, "LFP");
}

static void
atomic_flush (gpointer data, gsize limit)
{
  nl_atomic_out_flush_if (data, limit);
}

gboolean
nl_netpyne_json_write (NlResults   *r,
                       const char  *filename,
                       gboolean     gzip,
                       GError     **error)
{
  return nl_netpyne_json_write_full (r, NULL, filename, gzip, error);
}

gboolean
nl_netpyne_json_write_full (NlResults   *r,
                            NlNetwork   *net,
                            const char  *filename,
                            gboolean     gzip,
                            GError     **error)
{
  NlAtomicOut o;
  JsonObject *meta = nl_results_get_meta (r);
  double duration = nl_results_get_duration (r);
  guint64 n_lfp = 0, n_t = 0;
  guint n_el = 0;
  double lfp_dt = NAN;
  const double *lfp = nl_results_get_lfp (r, &n_lfp, &n_el, &lfp_dt);
  const double *t = nl_results_get_trace_time (r, &n_t);

  if (!nl_atomic_out_open (&o, filename, gzip, error))
    return FALSE;

  g_string_append (o.buf, "{\"netloom_version\":");
  JsonNode *version = json_object_get_member (meta, "netloom_version");
  if (version && JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_STRING)
    nl_json_append_string (o.buf, json_node_get_string (version));
  else
    g_string_append (o.buf, "null");

  /* simConfig: the one the results came with, with duration (and the LFP's step). */
  {
    JsonNode *cfg_node = json_object_get_member (meta, "simConfig");
    g_autoptr(JsonObject) cfg = json_object_new ();
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
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), cfg);
    g_autofree char *text = nl_json_to_string (node, -1, NULL);
    g_string_append (o.buf, ",\n\"simConfig\":");
    g_string_append (o.buf, text);
  }

  g_string_append (o.buf, ",\n\"net\":{");
  /* net.params: the model's netParams when the results carry it (saveDataInclude's
   * 'netParams'), so the file is a model too, as NetPyNE's. */
  {
    JsonNode *np = json_object_get_member (meta, "netParams");
    if (np && JSON_NODE_HOLDS_OBJECT (np))
      {
        g_autofree char *text = nl_json_to_string (np, -1, NULL);
        g_string_append (o.buf, "\"params\":");
        g_string_append (o.buf, text);
        g_string_append (o.buf, ",\n");
      }
  }
  /* net.cells: every cell with its tags, connections and stimuli, as sim.saveData writes
   * them (saveDataInclude's 'netCells'), when the network is at hand. */
  if (net)
    {
      g_string_append (o.buf, "\"cells\":");
      nl_netpyne_net_append_cells (net, o.buf, atomic_flush, &o);
      g_string_append (o.buf, ",\n");
    }
  g_string_append (o.buf, "\"pops\":{");
  for (guint p = 0; p < nl_results_get_n_pops (r); p++)
    {
      guint n;
      const guint32 *gids = nl_results_get_pop_gids (r, p, &n);
      if (p)
        g_string_append_c (o.buf, ',');
      nl_json_append_string (o.buf, nl_results_get_pop_name (r, p));
      g_string_append (o.buf, ":{\"cellGids\":[");
      for (guint i = 0; i < n; i++)
        {
          g_string_append_printf (o.buf, i ? ",%u" : "%u", gids[i]);
          if ((i & 1023) == 0)
            nl_atomic_out_flush_if (&o, 1 << 20);
        }
      g_string_append (o.buf, "]}");
    }
  g_string_append (o.buf, "}},\n\"simData\":{\"spkt\":");
  {
    guint64 n = nl_results_get_n_spikes (r);
    const guint32 *g = nl_results_get_spike_gids (r);
    doubles (&o, nl_results_get_spike_times (r), n);
    /* NetPyNE saves spkid as floats (3.0), as its hoc Vector holds them. */
    g_string_append (o.buf, ",\n\"spkid\":[");
    for (guint64 i = 0; i < n; i++)
      {
        g_string_append_printf (o.buf, i ? ",%u.0" : "%u.0", g[i]);
        if ((i & 1023) == 0)
          nl_atomic_out_flush_if (&o, 1 << 20);
      }
    g_string_append_c (o.buf, ']');
  }
  if (nl_results_get_n_traces (r) > 0 && t)
    {
      g_string_append (o.buf, ",\n\"t\":");
      doubles (&o, t, n_t);
    }
  for (guint k = 0; k < nl_results_get_n_traces (r); k++)
    {
      const char *name = nl_results_get_trace_name (r, k);
      guint nc = nl_results_get_trace_n_cells (r, k);
      if (nc == 0 || reserved_sim_key (name))
        continue;
      g_string_append (o.buf, ",\n");
      nl_json_append_string (o.buf, name);
      g_string_append (o.buf, ":{");
      for (guint c = 0; c < nc; c++)
        {
          guint32 gid;
          guint64 ns;
          const double *v = nl_results_get_trace_values (r, k, c, &gid, &ns);
          g_string_append_printf (o.buf, "%s\"cell_%u\":", c ? "," : "", gid);
          doubles (&o, v, ns);
        }
      g_string_append_c (o.buf, '}');
    }
  if (lfp && n_lfp > 0 && n_el > 0)
    {
      g_string_append (o.buf, ",\n\"LFP\":[");
      for (guint64 i = 0; i < n_lfp; i++)
        {
          if (i)
            g_string_append_c (o.buf, ',');
          doubles (&o, lfp + i * n_el, n_el);
          nl_atomic_out_flush_if (&o, 1 << 20);
        }
      g_string_append_c (o.buf, ']');
    }
  g_string_append (o.buf, "}}\n");
  return nl_atomic_out_finish (&o, filename, error);
}
