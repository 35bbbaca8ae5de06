/* nl-signal-csv.c — see nl-signal-csv.h. */
#include "nl-signal-csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static gboolean
parse_number (const char *field, double *value)
{
  char *end;

  while (g_ascii_isspace (*field))
    field++;
  if (*field == '\0')
    return FALSE;
  *value = g_ascii_strtod (field, &end);
  if (end == field)
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  return *end == '\0';
}

static char *
clean_name (const char *field)
{
  g_autofree char *s = g_strstrip (g_strdup (field));
  gsize n = strlen (s);

  if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
    return g_strndup (s + 1, n - 2);
  return g_steal_pointer (&s);
}

/* One line, without its terminator, split at `sep`. */
static char **
split_line (const char *line, gsize len, char sep)
{
  g_autofree char *copy = g_strndup (line, len);
  char seps[2] = { sep, '\0' };
  gsize n = strlen (copy);

  if (n > 0 && copy[n - 1] == '\r')
    copy[n - 1] = '\0';
  return g_strsplit (copy, seps, -1);
}

static gboolean
blank (const char *line, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

NlSignals *
nl_signals_csv_parse (const char *text, gsize len, const char *display_name, GError **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *p = text, *end = text + len;
  guint64 line_no = 0, n_rows = 0;
  guint n_cols = 0;
  char sep = ',';
  g_auto(GStrv) header = NULL;

  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a text file (it contains NUL bytes); expected CSV with one column per channel",
                   display_name);
      return NULL;
    }
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize n = (nl ? nl : end) - p;
      g_auto(GStrv) fields = NULL;
      gboolean numeric = TRUE;
      guint nf;
      double v;

      line_no++;
      if (blank (p, n) || p[0] == '#')
        {
          p += n + 1;
          continue;
        }
      if (n_rows == 0 && header == NULL)
        {
          const char *comma = memchr (p, ',', n);
          if (!comma)
            sep = memchr (p, '\t', n) ? '\t' : memchr (p, ';', n) ? ';' : ',';
        }
      fields = split_line (p, n, sep);
      nf = g_strv_length (fields);
      for (guint i = 0; i < nf; i++)
        if (!parse_number (fields[i], &v))
          numeric = FALSE;
      if (n_rows == 0 && header == NULL && !numeric)
        {
          header = g_steal_pointer (&fields);
          p += n + 1;
          continue;
        }
      if (n_rows == 0)
        {
          /* A first line of names counts as a header only when it names every column;
           * otherwise it is a description ("rows=time (dt=1 ms), cols=12 …"). */
          n_cols = nf;
          for (guint i = 0; i < nf; i++)
            {
              char *name = header && g_strv_length (header) == nf ? clean_name (header[i]) : NULL;
              if (name == NULL || name[0] == '\0')
                {
                  g_free (name);
                  name = g_strdup_printf ("ch%u", i);
                }
              g_ptr_array_add (names, name);
            }
        }
      if (nf != n_cols)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%" G_GUINT64_FORMAT ": %u fields, expected %u (one per channel, as in the first row of samples)",
                       display_name, line_no, nf, n_cols);
          return NULL;
        }
      for (guint i = 0; i < nf; i++)
        {
          if (!parse_number (fields[i], &v))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:%" G_GUINT64_FORMAT ": column %u (%s): '%s' is not a number",
                           display_name, line_no, i + 1, (char *) names->pdata[i], g_strstrip (fields[i]));
              return NULL;
            }
          if (!isfinite (v))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:%" G_GUINT64_FORMAT ": column %u (%s): %s is not finite; remove or interpolate the missing samples",
                           display_name, line_no, i + 1, (char *) names->pdata[i], g_strstrip (fields[i]));
              return NULL;
            }
          g_array_append_val (values, v);
        }
      n_rows++;
      p += n + 1;
    }
  if (n_rows == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no samples; expected one row per sample and one column per channel",
                   display_name);
      return NULL;
    }

  NlSignals *s = g_new0 (NlSignals, 1);
  const double *rows = (const double *) values->data;
  s->n_channels = n_cols;
  s->n_samples = n_rows;
  s->data = g_new (double, (gsize) n_cols * n_rows);
  for (guint64 r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      s->data[(gsize) c * n_rows + r] = rows[(gsize) r * n_cols + c];
  g_ptr_array_add (names, NULL);
  s->names = (char **) g_ptr_array_steal (names, NULL);
  return s;
}

NlSignals *
nl_signals_csv_read (const char *filename, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (filename, &text, &len, &local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", local->message);
      return NULL;
    }
  return nl_signals_csv_parse (text, len, filename, error);
}

const double *
nl_signals_channel (const NlSignals *s, guint c)
{
  g_return_val_if_fail (c < s->n_channels, NULL);
  return s->data + (gsize) c * s->n_samples;
}

void
nl_signals_free (NlSignals *s)
{
  if (!s)
    return;
  g_free (s->data);
  g_strfreev (s->names);
  g_free (s);
}
