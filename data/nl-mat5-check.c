/* nl-mat5-check.c — a MAT 5 file's element tree checked before matio reads it.
 *
 * matio trusts the sizes inside a MAT 5 file: a corrupt count makes it loop for a very long
 * time or read past a variable. So every tag's size is checked within its parent and every
 * count within the data that holds it, compressed variables are inflated (zlib's checksum
 * catches corrupt data), and errors name the variable path.
 */
#include "nl-mat.h"

#include <string.h>

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

int
nl_mat5_check (const char  *filename,
               GError     **error)
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
