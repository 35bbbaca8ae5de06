#include "nl-json.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
nl_json_format_double (char   buf[32],
                       double value)
{
  if (!isfinite (value))
    {
      strcpy (buf, "null");
      return;
    }
  for (int prec = 15; prec <= 17; prec++)
    {
      g_ascii_formatd (buf, 32, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  /* Python writes whole floats as "1000.0"; keep the type visible. */
  if (!strpbrk (buf, ".eEn"))
    strcat (buf, ".0");
}

void
nl_json_format_float (char  buf[32],
                      float value)
{
  if (!isfinite (value))
    {
      strcpy (buf, "null");
      return;
    }
  for (int prec = 6; prec <= 9; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, 32, fmt, value);
      if ((float) g_ascii_strtod (buf, NULL) == value)
        break;
    }
  if (!strpbrk (buf, ".eEn"))
    strcat (buf, ".0");
}

void
nl_json_append_string (GString    *out,
                       const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
newline (GString *out, int indent, int depth)
{
  if (indent < 0)
    return;
  g_string_append_c (out, '\n');
  for (int i = 0; i < indent * depth; i++)
    g_string_append_c (out, ' ');
}

static void
write_node (GString *out, JsonNode *node, int indent, int depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[32];
            nl_json_format_double (buf, json_node_get_double (node));
            g_string_append (out, buf);
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          nl_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        guint n = json_array_get_length (a);
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i)
              g_string_append_c (out, ',');
            newline (out, indent, depth + 1);
            write_node (out, json_array_get_element (a, i), indent, depth + 1);
          }
        if (n)
          newline (out, indent, depth);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter it;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;
        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&it, json_node_get_object (node));
        while (json_object_iter_next_ordered (&it, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            newline (out, indent, depth + 1);
            nl_json_append_string (out, name);
            g_string_append (out, indent < 0 ? ":" : ": ");
            write_node (out, member, indent, depth + 1);
          }
        if (!first)
          newline (out, indent, depth);
        g_string_append_c (out, '}');
      }
      break;
    default:
      g_string_append (out, "null");
    }
}

char *
nl_json_to_string (JsonNode *node,
                   int       indent,
                   gsize    *length)
{
  GString *out = g_string_new (NULL);
  write_node (out, node, indent, 0);
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}

static GBytes *
gzip_bytes (const char *data, gsize len, GError **error)
{
  g_autoptr(GZlibCompressor) comp = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (comp));

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

gboolean
nl_json_write_file (JsonNode   *node,
                    const char *filename,
                    int         indent,
                    GError    **error)
{
  gsize len = 0;
  g_autofree char *text = nl_json_to_string (node, indent, &len);
  g_autoptr(GBytes) gz = NULL;
  const char *data = text;

  if (g_str_has_suffix (filename, ".gz"))
    {
      gz = gzip_bytes (text, len, error);
      if (!gz)
        return FALSE;
      data = g_bytes_get_data (gz, &len);
    }
  /* g_file_set_contents_full writes a temporary file in the same folder, fsyncs and
   * renames it: a full disk never leaves a truncated model under the final name. */
  return g_file_set_contents_full (filename, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}
