#include "nl-results-write.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* Spike CSV: `t_ms,gid` (CONTRACTS.md), read leniently, written exactly. */

gboolean
nl_spikes_csv_write (NlResults   *r,
                     const char  *filename,
                     GError     **error)
{
  NlAtomicOut o;
  guint64 n = nl_results_get_n_spikes (r);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  if (!nl_atomic_out_open (&o, filename, g_str_has_suffix (filename, ".gz"), error))
    return FALSE;
  /* NlResults keeps spikes sorted by (time, gid) already. */
  g_string_append (o.buf, "t_ms,gid\n");
  for (guint64 i = 0; i < n && !o.error; i++)
    {
      g_ascii_formatd (num, sizeof num, "%.17g", t[i]);
      g_string_append (o.buf, num);
      g_string_append_printf (o.buf, ",%u\n", g[i]);
      nl_atomic_out_flush_if (&o, 1 << 20);
    }
  return nl_atomic_out_finish (&o, filename, error);
}

static const char *const time_names[] = { "t", "time", "t_ms", "spkt", "timestamps", "times", NULL };
static const char *const gid_names[] = { "gid", "id", "spkid", "node_ids", "node_id", "cell", "gids", NULL };

static char *
clean_field (const char *f)
{
  char *s = g_strstrip (g_strdup (f));
  gsize len = strlen (s);
  if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0])
    {
      memmove (s, s + 1, len - 2);
      s[len - 2] = '\0';
      g_strstrip (s);
    }
  return s;
}

static gboolean
in_list (const char *name, const char *const *list)
{
  for (guint i = 0; list[i]; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
parse_double (const char *field, double *v)
{
  g_autofree char *s = clean_field (field);
  char *end = NULL;
  if (!*s)
    return FALSE;
  errno = 0;
  *v = g_ascii_strtod (s, &end);
  return end && *end == '\0' && end != s;
}

static gboolean
csv_fail (GError **error, const char *filename, guint64 line, const char *fmt, ...) G_GNUC_PRINTF (4, 5);

static gboolean
csv_fail (GError **error, const char *filename, guint64 line, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (line)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%" G_GUINT64_FORMAT ": %s",
                 filename, line, msg);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", filename, msg);
  return FALSE;
}

NlResults *
nl_spikes_csv_read (const char  *filename,
                    int          t_col,
                    int          gid_col,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileInputStream) fin = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GError) local = NULL;
  guint64 line_no = 0;
  gboolean first = TRUE;
  char delim[2] = ",";
  int need;

  if ((t_col < 0) != (gid_col < 0) || (t_col >= 0 && t_col == gid_col))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: give both the time and the gid column (two different columns), or neither",
                   filename);
      return NULL;
    }
  fin = g_file_read (file, NULL, error);
  if (!fin)
    {
      g_prefix_error (error, "%s: ", filename);
      return NULL;
    }
  in = g_data_input_stream_new (G_INPUT_STREAM (fin));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (in), 1 << 16);
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);

  for (;;)
    {
      gsize len = 0;
      g_autofree char *line = g_data_input_stream_read_line (in, &len, NULL, &local);
      if (!line)
        {
          if (local)
            {
              g_set_error (error, local->domain, local->code, "%s: %s", filename, local->message);
              return NULL;
            }
          break;
        }
      line_no++;
      if (strlen (line) != len)
        return csv_fail (error, filename, line_no, "a NUL byte: not a text file"), NULL;
      g_strstrip (line);
      if (!*line || line[0] == '#')
        continue;
      if (first)
        {
          if (!g_utf8_validate (line, -1, NULL))
            return csv_fail (error, filename, line_no, "not UTF-8 text: not a spike CSV"), NULL;
          if (!strchr (line, ','))
            delim[0] = strchr (line, '\t') ? '\t' : strchr (line, ';') ? ';' : ',';
        }
      g_auto(GStrv) f = g_strsplit (line, delim, -1);
      guint nf = g_strv_length (f);
      if (first)
        {
          gboolean numeric = TRUE;
          first = FALSE;
          for (guint i = 0; i < nf && numeric; i++)
            {
              double v;
              numeric = parse_double (f[i], &v);
            }
          if (!numeric)
            {
              /* A header. */
              if (t_col < 0)
                {
                  for (guint i = 0; i < nf; i++)
                    {
                      g_autofree char *name = clean_field (f[i]);
                      if (t_col < 0 && in_list (name, time_names))
                        t_col = (int) i;
                      else if (gid_col < 0 && in_list (name, gid_names))
                        gid_col = (int) i;
                    }
                  if (t_col < 0 || gid_col < 0)
                    return csv_fail (error, filename, line_no,
                                     "header has no %s column (expected t_ms,gid; say which "
                                     "columns hold times and gids)",
                                     t_col < 0 ? "spike time (t, time, t_ms, spkt)"
                                               : "gid (gid, id, spkid, node_ids)"), NULL;
                }
              continue;
            }
          if (t_col < 0)
            return csv_fail (error, filename, line_no,
                             "no header line: say which columns hold times and gids "
                             "(or start the file with 't_ms,gid')"), NULL;
        }
      need = MAX (t_col, gid_col) + 1;
      if ((int) nf < need)
        return csv_fail (error, filename, line_no, "%u field%s, expected at least %d", nf,
                         nf == 1 ? "" : "s", need), NULL;
      double t, gv;
      if (!parse_double (f[t_col], &t) || !isfinite (t))
        {
          g_autofree char *s = clean_field (f[t_col]);
          return csv_fail (error, filename, line_no, "column %d: expected a spike time in ms, got '%s'",
                           t_col + 1, s), NULL;
        }
      if (!parse_double (f[gid_col], &gv) || !isfinite (gv) || gv < 0 || gv != floor (gv)
          || gv >= (double) G_MAXUINT32)
        {
          g_autofree char *s = clean_field (f[gid_col]);
          return csv_fail (error, filename, line_no,
                           "column %d: expected a cell gid (a whole number ≥ 0), got '%s'",
                           gid_col + 1, s), NULL;
        }
      guint32 gid = (guint32) gv;
      g_array_append_val (times, t);
      g_array_append_val (gids, gid);
    }
  if (first)
    return csv_fail (error, filename, 0, "empty: no header and no spikes"), NULL;

  NlResults *r = nl_results_new ();
  guint64 n = times->len;
  nl_results_set_spikes (r, (double *) g_array_free (g_steal_pointer (&times), n == 0),
                         (guint32 *) g_array_free (g_steal_pointer (&gids), n == 0), n);
  json_object_set_string_member (nl_results_get_meta (r), "format", "csv");
  return r;
}
