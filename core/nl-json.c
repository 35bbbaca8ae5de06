#include "nl-json.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (nl-json-error-quark, nl_json_error)

struct _NlJsonDoc {
  gatomicrefcount ref;
  char           *filename;
  char           *text;     /* decompressed, NUL-terminated */
  gsize           len;
  JsonParser     *parser;
};

gboolean
nl_json_number (JsonNode *node,
                double   *value)
{
  if (!node || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
    case G_TYPE_BOOLEAN:
      *value = json_node_get_double (node);
      return TRUE;
    default:
      return FALSE;
    }
}

void
nl_json_path_append_key (GString    *path,
                         const char *key)
{
  if (path->len > 0)
    g_string_append_c (path, '.');
  g_string_append (path, key);
}

void
nl_json_path_append_index (GString *path,
                           guint    index)
{
  g_string_append_printf (path, "[%u]", index);
}

/* ---- a tolerant walker over the raw text ------------------------------------------
 * It never trusts the text: on anything unexpected it stops. json-glib has already said
 * whether the text is valid; the walker only recovers positions. */

typedef struct {
  const char *p, *end;
  int         line, col;
} Cursor;

static void
cursor_advance (Cursor *c)
{
  if (*c->p == '\n')
    {
      c->line++;
      c->col = 1;
    }
  else if (((guchar) *c->p & 0xC0) != 0x80)
    c->col++;
  c->p++;
}

static void
skip_ws (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    cursor_advance (c);
}

static int
hexval (char ch)
{
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static gboolean
read_u4 (const char *p, const char *end, gunichar *out)
{
  gunichar v = 0;
  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hexval (p[i]);
      if (h < 0)
        return FALSE;
      v = v * 16 + h;
    }
  *out = v;
  return TRUE;
}

/* Reads a string at c->p (which is '"') into `out` (decoded) when out != NULL. */
static gboolean
read_string (Cursor *c, GString *out)
{
  cursor_advance (c);
  while (c->p < c->end)
    {
      char ch = *c->p;
      if (ch == '"')
        {
          cursor_advance (c);
          return TRUE;
        }
      if (ch == '\\')
        {
          cursor_advance (c);
          if (c->p >= c->end)
            return FALSE;
          char e = *c->p;
          gunichar u = 0;
          switch (e)
            {
            case 'n': u = '\n'; break;
            case 't': u = '\t'; break;
            case 'r': u = '\r'; break;
            case 'b': u = '\b'; break;
            case 'f': u = '\f'; break;
            case 'u':
              if (!read_u4 (c->p + 1, c->end, &u))
                return FALSE;
              for (int i = 0; i < 4; i++)
                cursor_advance (c);
              if (u >= 0xD800 && u < 0xDC00 && c->end - c->p >= 7 && c->p[1] == '\\' && c->p[2] == 'u')
                {
                  gunichar lo;
                  if (read_u4 (c->p + 3, c->end, &lo) && lo >= 0xDC00 && lo < 0xE000)
                    {
                      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                      for (int i = 0; i < 6; i++)
                        cursor_advance (c);
                    }
                }
              break;
            default: u = (guchar) e; break;
            }
          if (out)
            g_string_append_unichar (out, u);
          cursor_advance (c);
          continue;
        }
      if (out)
        g_string_append_c (out, ch);
      cursor_advance (c);
    }
  return FALSE;
}

typedef struct {
  gboolean    is_object;
  gsize       path_len;   /* length of the container's own path */
  guint       index;
  GHashTable *keys;       /* duplicate detection, objects only */
} Frame;

/* Called for every object member and list element, before its value.
 * Return FALSE to stop the walk. */
typedef gboolean (*VisitFunc) (const char *path, int line, int col, gboolean duplicate, gpointer data);

static void
frame_clear (gpointer p)
{
  Frame *f = p;
  g_clear_pointer (&f->keys, g_hash_table_unref);
}

static void
walk (NlJsonDoc *doc, gboolean want_dups, VisitFunc visit, gpointer data)
{
  Cursor c = { doc->text, doc->text + doc->len, 1, 1 };
  g_autoptr(GArray) stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GString) key = g_string_new (NULL);

  g_array_set_clear_func (stack, frame_clear);

  while (TRUE)
    {
      skip_ws (&c);
      if (c.p >= c.end)
        return;
      char ch = *c.p;
      Frame *top = stack->len ? &g_array_index (stack, Frame, stack->len - 1) : NULL;

      if (ch == '{' || ch == '[')
        {
          Frame f = { ch == '{', path->len, 0, NULL };
          if (f.is_object && want_dups)
            f.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_array_append_val (stack, f);
          cursor_advance (&c);
          skip_ws (&c);
          if (c.p >= c.end)
            return;
          if (!f.is_object && *c.p != ']')
            {
              nl_json_path_append_index (path, 0);
              if (!visit (path->str, c.line, c.col, FALSE, data))
                return;
            }
          continue;
        }
      if (ch == '}' || ch == ']')
        {
          if (!top)
            return;
          g_string_truncate (path, top->path_len);
          g_array_set_size (stack, stack->len - 1);
          cursor_advance (&c);
          continue;
        }
      if (ch == ',')
        {
          if (!top)
            return;
          cursor_advance (&c);
          g_string_truncate (path, top->path_len);
          if (!top->is_object)
            {
              skip_ws (&c);
              top->index++;
              nl_json_path_append_index (path, top->index);
              if (!visit (path->str, c.line, c.col, FALSE, data))
                return;
            }
          continue;
        }
      if (ch == '"')
        {
          int line = c.line, col = c.col;
          /* A string directly followed by ':' inside an object is a key. */
          g_string_truncate (key, 0);
          if (!read_string (&c, top && top->is_object ? key : NULL))
            return;
          if (top && top->is_object)
            {
              skip_ws (&c);
              if (c.p < c.end && *c.p == ':')
                {
                  gboolean dup = FALSE;
                  cursor_advance (&c);
                  g_string_truncate (path, top->path_len);
                  nl_json_path_append_key (path, key->str);
                  if (top->keys)
                    {
                      dup = g_hash_table_contains (top->keys, key->str);
                      if (!dup)
                        g_hash_table_add (top->keys, g_strdup (key->str));
                    }
                  if (!visit (path->str, line, col, dup, data))
                    return;
                }
            }
          continue;
        }
      /* numbers, true, false, null: skip to the next structural character */
      while (c.p < c.end && !strchr (",]}\"{[", *c.p))
        cursor_advance (&c);
    }
}

/* ---- loading ---------------------------------------------------------------------- */

/* A strict JSON recognizer, run before json-glib: json-glib's error positions are off by a
 * token at times, and its messages do not say what a person should change. This one stops
 * at the first offending character and names it. Iterative, so depth is only a limit. */

typedef enum { SYN_OK, SYN_EMPTY, SYN_ERROR, SYN_TOO_DEEP } SynResult;

static gboolean
skip_number (Cursor *c)
{
  const char *p = c->p;
  if (p < c->end && *p == '-')
    p++;
  if (p >= c->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    p++;
  else
    while (p < c->end && g_ascii_isdigit (*p))
      p++;
  if (p < c->end && *p == '.')
    {
      p++;
      if (p >= c->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < c->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < c->end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < c->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= c->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < c->end && g_ascii_isdigit (*p))
        p++;
    }
  while (c->p < p)
    cursor_advance (c);
  return TRUE;
}

/* At the opening quote; on error leaves the cursor on the offending character. */
static const char *
skip_string_strict (Cursor *c)
{
  cursor_advance (c);
  while (c->p < c->end)
    {
      guchar ch = *c->p;
      if (ch == '"')
        {
          cursor_advance (c);
          return NULL;
        }
      if (ch < 0x20)
        return ch == '\n' ? "a line break inside a string (strings end with '\"' on the same line)"
                          : "a control character inside a string (write it as an escape such as \\t)";
      if (ch == '\\')
        {
          cursor_advance (c);
          if (c->p >= c->end)
            break;
          if (*c->p == 'u')
            {
              gunichar u;
              if (!read_u4 (c->p + 1, c->end, &u))
                return "\\u must be followed by four hexadecimal digits";
              for (int i = 0; i < 4; i++)
                cursor_advance (c);
            }
          else if (!strchr ("\"\\/bfnrt", *c->p))
            return "unknown escape in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
        }
      cursor_advance (c);
    }
  return "the file ends inside a string (a closing '\"' is missing)";
}

static SynResult
syntax_check (const char *text, gsize len, int *line, int *column, char **message)
{
  enum { ST_VALUE, ST_FIRST_VALUE, ST_FIRST_KEY, ST_KEY, ST_COLON, ST_NEXT, ST_DONE } st = ST_VALUE;
  Cursor c = { text, text + len, 1, 1 };
  g_autoptr(GByteArray) stack = g_byte_array_new ();
  const char *bad_utf8 = NULL;
  const char *msg = NULL;
  g_autofree char *owned = NULL;

  if (!g_utf8_validate (text, len, &bad_utf8))
    {
      while (c.p < bad_utf8)
        cursor_advance (&c);
      msg = "not UTF-8 text (JSON files are UTF-8)";
      goto fail;
    }

  while (TRUE)
    {
      skip_ws (&c);
      if (c.p >= c.end)
        {
          if (st == ST_DONE)
            return SYN_OK;
          if (stack->len == 0 && st == ST_VALUE)
            return SYN_EMPTY;
          msg = stack->len && stack->data[stack->len - 1] == '{' ?
                "the file ends inside an object (a closing '}' is missing)" :
                "the file ends inside a list (a closing ']' is missing)";
          goto fail;
        }

      char ch = *c.p;
      guint8 top = stack->len ? stack->data[stack->len - 1] : 0;

      switch (st)
        {
        case ST_DONE:
          msg = "more text after the end of the JSON document";
          goto fail;

        case ST_COLON:
          if (ch != ':')
            {
              msg = "expected ':' after the key";
              goto fail;
            }
          cursor_advance (&c);
          st = ST_VALUE;
          continue;

        case ST_FIRST_KEY:
        case ST_KEY:
          if (ch == '"')
            {
              if ((msg = skip_string_strict (&c)))
                goto fail;
              st = ST_COLON;
              continue;
            }
          if (ch == '}' && st == ST_FIRST_KEY)
            goto close;
          msg = ch == '}' ? "a comma before '}': JSON allows no trailing comma" :
                ch == '\'' ? "keys need double quotes (\"key\"), not single quotes" :
                "expected a key in double quotes";
          goto fail;

        case ST_NEXT:
          if (ch == ',')
            {
              cursor_advance (&c);
              st = top == '{' ? ST_KEY : ST_VALUE;
              continue;
            }
          if ((top == '{' && ch == '}') || (top == '[' && ch == ']'))
            goto close;
          msg = top == '{' ? "expected ',' or '}' after a value" : "expected ',' or ']' after a value";
          goto fail;

        case ST_FIRST_VALUE:
          if (ch == ']')
            goto close;
          G_GNUC_FALLTHROUGH;
        case ST_VALUE:
          if (ch == '{' || ch == '[')
            {
              if (stack->len >= NL_JSON_MAX_DEPTH)
                {
                  if (line) *line = c.line;
                  if (column) *column = c.col;
                  *message = g_strdup_printf ("nesting deeper than %d levels; a model never needs "
                                              "this, the file is probably corrupt", NL_JSON_MAX_DEPTH);
                  return SYN_TOO_DEEP;
                }
              g_byte_array_append (stack, (const guint8 *) &ch, 1);
              cursor_advance (&c);
              st = ch == '{' ? ST_FIRST_KEY : ST_FIRST_VALUE;
              continue;
            }
          if (ch == '"')
            {
              if ((msg = skip_string_strict (&c)))
                goto fail;
              goto value_done;
            }
          if (ch == '-' || g_ascii_isdigit (ch))
            {
              if (!skip_number (&c))
                {
                  msg = "a malformed number";
                  goto fail;
                }
              goto value_done;
            }
          if (g_ascii_isalpha (ch))
            {
              gsize n = 0;
              while (c.p + n < c.end && g_ascii_isalnum (c.p[n]))
                n++;
              if ((n == 4 && strncmp (c.p, "true", 4) == 0) || (n == 5 && strncmp (c.p, "false", 5) == 0) ||
                  (n == 4 && strncmp (c.p, "null", 4) == 0))
                {
                  for (gsize i = 0; i < n; i++)
                    cursor_advance (&c);
                  goto value_done;
                }
              if ((n == 3 && strncmp (c.p, "NaN", 3) == 0) || (n == 8 && strncmp (c.p, "Infinity", 8) == 0))
                msg = "NaN and Infinity are not JSON (Python writes them for float('nan') and float('inf')); "
                      "use null or a number";
              else if ((n == 4 && strncmp (c.p, "True", 4) == 0) || (n == 5 && strncmp (c.p, "False", 5) == 0) ||
                       (n == 4 && strncmp (c.p, "None", 4) == 0))
                msg = "True, False and None are Python; JSON writes true, false and null";
              else
                msg = owned = g_strdup_printf ("unexpected word '%.*s'; expected a value "
                                               "(a number, a string in double quotes, true, false, null, a list or an object)",
                                               (int) MIN (n, 40), c.p);
              goto fail;
            }
          if ((ch == ']' || ch == '}') && st == ST_VALUE && stack->len)
            msg = ch == ']' ? "a comma before ']': JSON allows no trailing comma" : "expected a value";
          else if (ch == '\'')
            msg = "strings need double quotes (\"text\"), not single quotes";
          else
            msg = "expected a value";
          goto fail;
        }

    close:
      g_byte_array_set_size (stack, stack->len - 1);
      cursor_advance (&c);
    value_done:
      st = stack->len ? ST_NEXT : ST_DONE;
    }

fail:
  if (line) *line = c.line;
  if (column) *column = c.col;
  *message = g_strdup (msg);
  return SYN_ERROR;
}

static NlJsonDoc *
doc_new_take (char *text, gsize len, const char *name, int *line, int *column, GError **error)
{
  g_autoptr(NlJsonDoc) doc = g_new0 (NlJsonDoc, 1);
  g_autoptr(GError) local = NULL;

  g_atomic_ref_count_init (&doc->ref);
  doc->filename = g_strdup (name);
  doc->text = text;
  doc->len = len;

  if (line) *line = 0;
  if (column) *column = 0;

  {
    int l = 0, c = 0;
    g_autofree char *msg = NULL;
    SynResult result = syntax_check (text, len, &l, &c, &msg);
    switch (result)
      {
      case SYN_OK:
        break;
      case SYN_EMPTY:
        g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_EMPTY,
                     "%s: the file is empty; expected a JSON object such as {\"netParams\": {...}}", name);
        return NULL;
      case SYN_TOO_DEEP:
      case SYN_ERROR:
        if (line) *line = l;
        if (column) *column = c;
        g_set_error (error, NL_JSON_ERROR,
                     result == SYN_TOO_DEEP ? NL_JSON_ERROR_TOO_DEEP : NL_JSON_ERROR_SYNTAX,
                     "%s:%d:%d: invalid JSON: %s", name, l, c, msg);
        return NULL;
      }
  }

  doc->parser = json_parser_new ();
  if (!json_parser_load_from_data (doc->parser, text, len, &local))
    {
      /* json-glib says "<data>:LINE:COL: Parse error: …"; re-anchor it on the file. */
      int l = 0, c = 0, n = 0;
      const char *msg = local->message;
      if (sscanf (msg, "<data>:%d:%d: %n", &l, &c, &n) == 2 && n > 0)
        msg += n;
      if (g_str_has_prefix (msg, "Parse error: "))
        msg += strlen ("Parse error: ");
      if (line) *line = l;
      if (column) *column = c;
      g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_SYNTAX,
                   "%s:%d:%d: invalid JSON: %s", name, l, c, msg);
      return NULL;
    }
  if (json_parser_get_root (doc->parser) == NULL)
    {
      g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_EMPTY,
                   "%s: the file is empty; expected a JSON object such as {\"netParams\": {...}}", name);
      return NULL;
    }
  return g_steal_pointer (&doc);
}

NlJsonDoc *
nl_json_doc_new_from_data (const char  *data,
                           gsize        len,
                           const char  *display_name,
                           int         *line,
                           int         *column,
                           GError     **error)
{
  char *copy = g_malloc (len + 1);
  memcpy (copy, data, len);
  copy[len] = '\0';
  return doc_new_take (copy, len, display_name ? display_name : "<data>", line, column, error);
}

static char *
gunzip (const char *name, const char *data, gsize len, gsize *out_len, GError **error)
{
  g_autoptr(GZlibDecompressor) dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_data (data, len, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (dec));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) local = NULL;
  guint8 buf[65536];

  while (TRUE)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, &local);
      if (n < 0)
        {
          g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_READ,
                       "%s: cannot decompress (%s); is the file complete?", name, local->message);
          return NULL;
        }
      if (n == 0)
        break;
      if ((gint64) out->len + n > NL_JSON_MAX_SIZE)
        {
          g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_READ,
                       "%s: decompresses to more than 4 GiB; split the model or use the native .h5 format",
                       name);
          return NULL;
        }
      g_byte_array_append (out, buf, n);
    }
  *out_len = out->len;
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
}

NlJsonDoc *
nl_json_doc_load (const char  *filename,
                  int         *line,
                  int         *column,
                  GError     **error)
{
  g_autofree char *raw = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;

  if (line) *line = 0;
  if (column) *column = 0;
  if (!g_file_get_contents (filename, &raw, &len, &local))
    {
      g_set_error (error, NL_JSON_ERROR, NL_JSON_ERROR_READ, "%s", local->message);
      return NULL;
    }
  if (len >= 2 && (guchar) raw[0] == 0x1f && (guchar) raw[1] == 0x8b)
    {
      gsize tlen = 0;
      char *text = gunzip (filename, raw, len, &tlen, error);
      if (!text)
        return NULL;
      return doc_new_take (text, tlen, filename, line, column, error);
    }
  return doc_new_take (g_steal_pointer (&raw), len, filename, line, column, error);
}

NlJsonDoc *
nl_json_doc_ref (NlJsonDoc *doc)
{
  g_atomic_ref_count_inc (&doc->ref);
  return doc;
}

void
nl_json_doc_unref (NlJsonDoc *doc)
{
  if (doc && g_atomic_ref_count_dec (&doc->ref))
    {
      g_clear_object (&doc->parser);
      g_free (doc->text);
      g_free (doc->filename);
      g_free (doc);
    }
}

JsonNode *
nl_json_doc_get_root (NlJsonDoc *doc)
{
  return json_parser_get_root (doc->parser);
}

const char *
nl_json_doc_get_filename (NlJsonDoc *doc)
{
  return doc->filename;
}

typedef struct {
  const char *want;
  int         line, col;
  gboolean    found;
} LocateData;

static gboolean
locate_visit (const char *path, int line, int col, gboolean dup, gpointer data)
{
  LocateData *ld = data;
  if (g_str_equal (path, ld->want))
    {
      /* With duplicate keys json-glib keeps the last, so keep looking. */
      ld->line = line;
      ld->col = col;
      ld->found = TRUE;
    }
  return TRUE;
}

gboolean
nl_json_doc_locate (NlJsonDoc  *doc,
                    const char *path,
                    int        *line,
                    int        *column)
{
  LocateData ld = { path, 0, 0, FALSE };
  walk (doc, FALSE, locate_visit, &ld);
  if (line) *line = ld.line;
  if (column) *column = ld.col;
  return ld.found;
}

static gboolean
many_visit (const char *path, int line, int col, gboolean dup, gpointer data)
{
  NlJsonPos *pos = g_hash_table_lookup (data, path);
  if (pos)
    {
      /* With duplicate keys json-glib keeps the last, and so does this. */
      pos->line = line;
      pos->column = col;
    }
  return TRUE;
}

void
nl_json_doc_locate_many (NlJsonDoc  *doc,
                         GHashTable *paths)
{
  if (g_hash_table_size (paths) > 0)
    walk (doc, FALSE, many_visit, paths);
}

static gboolean
dup_visit (const char *path, int line, int col, gboolean dup, gpointer data)
{
  if (dup)
    g_ptr_array_add (data, g_strdup (path));
  return TRUE;
}

GPtrArray *
nl_json_doc_duplicate_keys (NlJsonDoc *doc)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  walk (doc, TRUE, dup_visit, out);
  return out;
}
