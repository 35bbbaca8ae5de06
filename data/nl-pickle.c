/* nl-pickle.c — decoding Python pickles as data (see nl-pickle.h for what is accepted).
 *
 * The decoder is the pickle virtual machine without its one dangerous part: GLOBAL and
 * STACK_GLOBAL resolve names against a fixed table of things NetLoom rebuilds itself, so
 * REDUCE/NEWOBJ/BUILD only ever make dicts, lists, sets, bytes and numpy arrays. Values live
 * in an arena (blocks of values) freed in one go, so memo references, shared objects and even
 * cycles need no reference counting; cycles and exponential sharing are caught when the values
 * are turned into the JsonNode tree.
 */
#include "nl-pickle.h"

#include <gio/gio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Opcodes */

enum {
  OP_MARK = '(', OP_STOP = '.', OP_POP = '0', OP_POP_MARK = '1', OP_DUP = '2',
  OP_FLOAT = 'F', OP_INT = 'I', OP_BININT = 'J', OP_BININT1 = 'K', OP_LONG = 'L',
  OP_BININT2 = 'M', OP_NONE = 'N', OP_PERSID = 'P', OP_BINPERSID = 'Q', OP_REDUCE = 'R',
  OP_STRING = 'S', OP_BINSTRING = 'T', OP_SHORT_BINSTRING = 'U', OP_UNICODE = 'V',
  OP_BINUNICODE = 'X', OP_APPEND = 'a', OP_BUILD = 'b', OP_GLOBAL = 'c', OP_DICT = 'd',
  OP_EMPTY_DICT = '}', OP_APPENDS = 'e', OP_GET = 'g', OP_BINGET = 'h', OP_INST = 'i',
  OP_LONG_BINGET = 'j', OP_LIST = 'l', OP_EMPTY_LIST = ']', OP_OBJ = 'o', OP_PUT = 'p',
  OP_BINPUT = 'q', OP_LONG_BINPUT = 'r', OP_SETITEM = 's', OP_TUPLE = 't',
  OP_EMPTY_TUPLE = ')', OP_SETITEMS = 'u', OP_BINFLOAT = 'G',
  /* protocol 2 */
  OP_PROTO = 0x80, OP_NEWOBJ = 0x81, OP_EXT1 = 0x82, OP_EXT2 = 0x83, OP_EXT4 = 0x84,
  OP_TUPLE1 = 0x85, OP_TUPLE2 = 0x86, OP_TUPLE3 = 0x87, OP_NEWTRUE = 0x88, OP_NEWFALSE = 0x89,
  OP_LONG1 = 0x8a, OP_LONG4 = 0x8b,
  /* protocol 3 */
  OP_BINBYTES = 'B', OP_SHORT_BINBYTES = 'C',
  /* protocol 4 */
  OP_SHORT_BINUNICODE = 0x8c, OP_BINUNICODE8 = 0x8d, OP_BINBYTES8 = 0x8e, OP_EMPTY_SET = 0x8f,
  OP_ADDITEMS = 0x90, OP_FROZENSET = 0x91, OP_NEWOBJ_EX = 0x92, OP_STACK_GLOBAL = 0x93,
  OP_MEMOIZE = 0x94, OP_FRAME = 0x95,
  /* protocol 5 */
  OP_BYTEARRAY8 = 0x96, OP_NEXT_BUFFER = 0x97, OP_READONLY_BUFFER = 0x98,
};

static const char *
op_name (int op)
{
  switch (op)
    {
    case OP_MARK: return "MARK";
    case OP_STOP: return "STOP";
    case OP_POP: return "POP";
    case OP_POP_MARK: return "POP_MARK";
    case OP_DUP: return "DUP";
    case OP_FLOAT: return "FLOAT";
    case OP_INT: return "INT";
    case OP_BININT: return "BININT";
    case OP_BININT1: return "BININT1";
    case OP_LONG: return "LONG";
    case OP_BININT2: return "BININT2";
    case OP_NONE: return "NONE";
    case OP_PERSID: return "PERSID";
    case OP_BINPERSID: return "BINPERSID";
    case OP_REDUCE: return "REDUCE";
    case OP_STRING: return "STRING";
    case OP_BINSTRING: return "BINSTRING";
    case OP_SHORT_BINSTRING: return "SHORT_BINSTRING";
    case OP_UNICODE: return "UNICODE";
    case OP_BINUNICODE: return "BINUNICODE";
    case OP_APPEND: return "APPEND";
    case OP_BUILD: return "BUILD";
    case OP_GLOBAL: return "GLOBAL";
    case OP_DICT: return "DICT";
    case OP_EMPTY_DICT: return "EMPTY_DICT";
    case OP_APPENDS: return "APPENDS";
    case OP_GET: return "GET";
    case OP_BINGET: return "BINGET";
    case OP_INST: return "INST";
    case OP_LONG_BINGET: return "LONG_BINGET";
    case OP_LIST: return "LIST";
    case OP_EMPTY_LIST: return "EMPTY_LIST";
    case OP_OBJ: return "OBJ";
    case OP_PUT: return "PUT";
    case OP_BINPUT: return "BINPUT";
    case OP_LONG_BINPUT: return "LONG_BINPUT";
    case OP_SETITEM: return "SETITEM";
    case OP_TUPLE: return "TUPLE";
    case OP_EMPTY_TUPLE: return "EMPTY_TUPLE";
    case OP_SETITEMS: return "SETITEMS";
    case OP_BINFLOAT: return "BINFLOAT";
    case OP_PROTO: return "PROTO";
    case OP_NEWOBJ: return "NEWOBJ";
    case OP_EXT1: return "EXT1";
    case OP_EXT2: return "EXT2";
    case OP_EXT4: return "EXT4";
    case OP_TUPLE1: return "TUPLE1";
    case OP_TUPLE2: return "TUPLE2";
    case OP_TUPLE3: return "TUPLE3";
    case OP_NEWTRUE: return "NEWTRUE";
    case OP_NEWFALSE: return "NEWFALSE";
    case OP_LONG1: return "LONG1";
    case OP_LONG4: return "LONG4";
    case OP_BINBYTES: return "BINBYTES";
    case OP_SHORT_BINBYTES: return "SHORT_BINBYTES";
    case OP_SHORT_BINUNICODE: return "SHORT_BINUNICODE";
    case OP_BINUNICODE8: return "BINUNICODE8";
    case OP_BINBYTES8: return "BINBYTES8";
    case OP_EMPTY_SET: return "EMPTY_SET";
    case OP_ADDITEMS: return "ADDITEMS";
    case OP_FROZENSET: return "FROZENSET";
    case OP_NEWOBJ_EX: return "NEWOBJ_EX";
    case OP_STACK_GLOBAL: return "STACK_GLOBAL";
    case OP_MEMOIZE: return "MEMOIZE";
    case OP_FRAME: return "FRAME";
    case OP_BYTEARRAY8: return "BYTEARRAY8";
    case OP_NEXT_BUFFER: return "NEXT_BUFFER";
    case OP_READONLY_BUFFER: return "READONLY_BUFFER";
    default: return NULL;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The globals NetLoom rebuilds. Everything else is refused. */

typedef enum {
  G_DICT, G_LIST, G_TUPLE, G_SET, G_FROZENSET, G_BYTES, G_BYTEARRAY, G_OBJECT,
  G_ORDERED_DICT, G_NP_DICT, G_NP_ODICT, G_RECONSTRUCTOR, G_CODECS_ENCODE,
  G_ND_RECONSTRUCT, G_NDARRAY, G_DTYPE, G_SCALAR, G_FROMBUFFER,
} PkGlobal;

static const struct { const char *module, *name; PkGlobal id; } known_globals[] = {
  { "builtins", "dict", G_DICT }, { "__builtin__", "dict", G_DICT },
  { "builtins", "list", G_LIST }, { "__builtin__", "list", G_LIST },
  { "builtins", "tuple", G_TUPLE }, { "__builtin__", "tuple", G_TUPLE },
  { "builtins", "set", G_SET }, { "__builtin__", "set", G_SET },
  { "builtins", "frozenset", G_FROZENSET }, { "__builtin__", "frozenset", G_FROZENSET },
  { "builtins", "bytes", G_BYTES }, { "__builtin__", "bytes", G_BYTES },
  { "builtins", "bytearray", G_BYTEARRAY }, { "__builtin__", "bytearray", G_BYTEARRAY },
  { "builtins", "object", G_OBJECT }, { "__builtin__", "object", G_OBJECT },
  { "collections", "OrderedDict", G_ORDERED_DICT },
  { "netpyne.specs.dicts", "Dict", G_NP_DICT }, { "netpyne.specs", "Dict", G_NP_DICT },
  { "netpyne.specs.dicts", "ODict", G_NP_ODICT }, { "netpyne.specs", "ODict", G_NP_ODICT },
  /* netParams' containers: ODict subclasses, in saveData's net.params */
  { "netpyne.specs.netParams", "PopParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "CellParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "ConnParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "SynMechParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "SubConnParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "StimSourceParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "StimTargetParams", G_NP_ODICT },
  { "netpyne.specs.netParams", "RxDParams", G_NP_ODICT },
  { "copyreg", "_reconstructor", G_RECONSTRUCTOR }, { "copy_reg", "_reconstructor", G_RECONSTRUCTOR },
  { "_codecs", "encode", G_CODECS_ENCODE },
  { "numpy.core.multiarray", "_reconstruct", G_ND_RECONSTRUCT },
  { "numpy._core.multiarray", "_reconstruct", G_ND_RECONSTRUCT },
  { "numpy", "ndarray", G_NDARRAY },
  { "numpy", "dtype", G_DTYPE },
  { "numpy.core.multiarray", "scalar", G_SCALAR },
  { "numpy._core.multiarray", "scalar", G_SCALAR },
  { "numpy.core.numeric", "_frombuffer", G_FROMBUFFER },
  { "numpy._core.numeric", "_frombuffer", G_FROMBUFFER },
};

static const char *
global_name (PkGlobal id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_globals); i++)
    if (known_globals[i].id == id)
      return known_globals[i].name;
  return "?";
}

static gboolean
global_is_dict_class (PkGlobal id)
{
  return id == G_DICT || id == G_ORDERED_DICT || id == G_NP_DICT || id == G_NP_ODICT;
}

/* ---------------------------------------------------------------------------------------- */
/* Values */

typedef enum {
  PK_NONE, PK_BOOL, PK_INT, PK_FLOAT, PK_STR, PK_BYTES, PK_LIST, PK_TUPLE, PK_SET,
  PK_FROZENSET, PK_DICT, PK_GLOBAL, PK_DTYPE, PK_NDARRAY,
} PkKind;

typedef struct PkVal PkVal;

/* A numpy element type: kind 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'O' object. */
typedef struct {
  char kind;
  guint8 size;
  char order;   /* '<', '>', '|' or '=' */
} PkDtype;

/* A numpy array; NDARRAY values point to one (kept apart so every other value stays small). */
typedef struct {
  PkDtype dtype;
  gboolean fortran;
  guint ndim;
  guint64 *shape;
  const guint8 *raw;     /* numbers; "" before BUILD (an empty array) */
  PkVal *objects;        /* object arrays: a list of the elements */
} PkNd;

struct PkVal {
  guint8 kind;        /* PkKind */
  guint8 op;          /* the opcode that made it and where, for errors found after decoding */
  guint8 visiting;    /* set while converting: a container met again inside itself is a cycle */
  guint8 py2_str;     /* bytes from BINSTRING: Python 2's str, text when used as a key */
  gsize pos;
  union {
    gboolean b;
    gint64 i;
    double f;
    struct { char *s; gsize len; } str;                     /* NUL-terminated copy */
    struct { const guint8 *p; gsize len; guint8 *owned; } bytes;
    GPtrArray *items;   /* list, tuple, set; dict: key, value, key, value … */
    PkGlobal global;
    PkDtype dtype;
    PkNd *nd;
  };
};

typedef struct {
  const guint8 *data;
  gsize len, pos;
  gsize op_pos;
  int op;
  const char *name;
  GPtrArray *blocks;    /* the arena: blocks of PK_BLOCK values, the last one filling */
  guint used;           /* values used in the last block */
  GPtrArray *stack;
  GArray *marks;        /* stack lengths at each MARK */
  GHashTable *memo;     /* index → PkVal */
  guint64 copied;       /* items and bytes copied from values already made (see grow) */
  GError *error;
} Dec;

#define PK_BLOCK 4096

static void
pk_clear (PkVal *v)
{
  switch (v->kind)
    {
    case PK_STR: g_free (v->str.s); break;
    case PK_BYTES: g_free (v->bytes.owned); break;
    case PK_LIST: case PK_TUPLE: case PK_SET: case PK_FROZENSET: case PK_DICT:
      g_ptr_array_unref (v->items);
      break;
    case PK_NDARRAY:
      if (v->nd)
        g_free (v->nd->shape);
      g_free (v->nd);
      break;
    default: break;
    }
}

static void
arena_free (Dec *d)
{
  for (guint b = 0; b < d->blocks->len; b++)
    {
      PkVal *block = d->blocks->pdata[b];
      guint n = b + 1 == d->blocks->len ? d->used : PK_BLOCK;
      for (guint i = 0; i < n; i++)
        pk_clear (&block[i]);
      g_free (block);
    }
  g_ptr_array_unref (d->blocks);
}

static PkVal *
pk_new (Dec *d, PkKind kind)
{
  if (d->blocks->len == 0 || d->used == PK_BLOCK)
    {
      g_ptr_array_add (d->blocks, g_new0 (PkVal, PK_BLOCK));
      d->used = 0;
    }
  PkVal *v = (PkVal *) d->blocks->pdata[d->blocks->len - 1] + d->used++;
  v->kind = kind;
  v->op = d->op;
  v->pos = d->op_pos;
  if (kind == PK_LIST || kind == PK_TUPLE || kind == PK_SET || kind == PK_FROZENSET || kind == PK_DICT)
    v->items = g_ptr_array_new ();
  return v;
}

static const char *
kind_name (const PkVal *v)
{
  switch (v->kind)
    {
    case PK_NONE: return "None";
    case PK_BOOL: return "a bool";
    case PK_INT: return "an int";
    case PK_FLOAT: return "a float";
    case PK_STR: return "a str";
    case PK_BYTES: return "bytes";
    case PK_LIST: return "a list";
    case PK_TUPLE: return "a tuple";
    case PK_SET: return "a set";
    case PK_FROZENSET: return "a frozenset";
    case PK_DICT: return "a dict";
    case PK_GLOBAL: return "a class or function";
    case PK_DTYPE: return "a numpy dtype";
    case PK_NDARRAY: return "a numpy array";
    default: return "?";
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors */

static gboolean fail (Dec *d, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (Dec *d, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  const char *name = op_name (d->op);

  if (d->error)
    return FALSE;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (d->op < 0)
    g_set_error (&d->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: byte %" G_GSIZE_FORMAT ": %s",
                 d->name, d->op_pos, msg);
  else if (name)
    g_set_error (&d->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: byte %" G_GSIZE_FORMAT
                 ": opcode %s: %s", d->name, d->op_pos, name, msg);
  else
    g_set_error (&d->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: byte %" G_GSIZE_FORMAT
                 ": opcode 0x%02x: %s", d->name, d->op_pos, d->op, msg);
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Reading the stream */

static gboolean
take (Dec *d, gsize n, const guint8 **out)
{
  *out = NULL;
  if (n > d->len - d->pos)
    return fail (d, "needs %" G_GSIZE_FORMAT " more bytes but only %" G_GSIZE_FORMAT
                 " are left (truncated file?)", n, d->len - d->pos);
  *out = d->data + d->pos;
  d->pos += n;
  return TRUE;
}

static guint64
le_uint (const guint8 *p, guint n)
{
  guint64 v = 0;
  for (guint i = n; i > 0; i--)
    v = (v << 8) | p[i - 1];
  return v;
}

static gboolean
take_uint (Dec *d, guint n, guint64 *v)
{
  const guint8 *p = NULL;
  *v = 0;
  if (!take (d, n, &p))
    return FALSE;
  *v = le_uint (p, n);
  return TRUE;
}

/* A length field followed by that many bytes; the length is checked before anything else. */
static gboolean
take_counted (Dec *d, guint width, gboolean is_signed, const guint8 **p, gsize *n)
{
  guint64 len = 0;
  *p = NULL;
  *n = 0;
  if (!take_uint (d, width, &len))
    return FALSE;
  if (is_signed && width == 4 && (len & 0x80000000u))
    return fail (d, "negative length %d", (int) (gint32) len);
  if (len > d->len - d->pos)
    return fail (d, "declares %" G_GUINT64_FORMAT " bytes but only %" G_GSIZE_FORMAT
                 " are left (truncated or corrupted file)", len, d->len - d->pos);
  *n = (gsize) len;
  return take (d, *n, p);
}

/* A text line (protocol 0 arguments and GLOBAL's names), without its '\n'. */
static gboolean
take_line (Dec *d, gsize max, char **out, gsize *out_len)
{
  const guint8 *start = d->data + d->pos;
  gsize left = d->len - d->pos;
  const guint8 *nl = memchr (start, '\n', MIN (left, max + 1));
  if (!nl)
    return fail (d, left <= max ? "the line has no end (truncated file?)"
                                : "line longer than %" G_GSIZE_FORMAT " bytes", max);
  *out = g_strndup ((const char *) start, (gsize) (nl - start));
  if (out_len)
    *out_len = (gsize) (nl - start);
  d->pos += (gsize) (nl - start) + 1;
  return TRUE;
}

static gboolean
push (Dec *d, PkVal *v)
{
  if (d->stack->len >= NL_PICKLE_MAX_STACK)
    return fail (d, "more than %u values on the stack", NL_PICKLE_MAX_STACK);
  g_ptr_array_add (d->stack, v);
  return TRUE;
}

static PkVal *
pop (Dec *d)
{
  guint floor_ = d->marks->len ? g_array_index (d->marks, guint, d->marks->len - 1) : 0;
  if (d->stack->len <= floor_)
    {
      fail (d, d->stack->len ? "a value was expected after the last MARK" : "the stack is empty");
      return NULL;
    }
  return g_ptr_array_steal_index (d->stack, d->stack->len - 1);
}

static PkVal *
top (Dec *d)
{
  guint floor_ = d->marks->len ? g_array_index (d->marks, guint, d->marks->len - 1) : 0;
  if (d->stack->len <= floor_)
    {
      fail (d, d->stack->len ? "a value was expected after the last MARK" : "the stack is empty");
      return NULL;
    }
  return d->stack->pdata[d->stack->len - 1];
}

/* Pops the values above the last MARK and the MARK; *first indexes them in d->stack, which
 * keeps them until the caller truncates it to *first. */
static gboolean
pop_mark (Dec *d, guint *first)
{
  if (d->marks->len == 0)
    return fail (d, "no MARK before it");
  *first = g_array_index (d->marks, guint, d->marks->len - 1);
  g_array_set_size (d->marks, d->marks->len - 1);
  return TRUE;
}

static PkVal *
new_int (Dec *d, gint64 i)
{
  PkVal *v = pk_new (d, PK_INT);
  v->i = i;
  return v;
}

static PkVal *
new_float (Dec *d, double f)
{
  PkVal *v = pk_new (d, PK_FLOAT);
  v->f = f;
  return v;
}

static PkVal *
new_bytes (Dec *d, const guint8 *p, gsize len, guint8 *owned)
{
  PkVal *v = pk_new (d, PK_BYTES);
  v->bytes.p = p ? p : (const guint8 *) "";
  v->bytes.len = len;
  v->bytes.owned = owned;
  return v;
}

/* UTF-8 that may hold NULs (which g_utf8_validate refuses): protocol 2 writes bytes as their
 * Latin-1 text, so b'\0' arrives as a string "\0". */
static gboolean
utf8_with_nuls (const guint8 *p, gsize n)
{
  while (n > 0)
    {
      const guint8 *z = memchr (p, 0, n);
      gsize k = z ? (gsize) (z - p) : n;
      if (!g_utf8_validate_len ((const char *) p, k, NULL))
        return FALSE;
      p += k + (z != NULL);
      n -= k + (z != NULL);
    }
  return TRUE;
}

static gboolean
push_str (Dec *d, const guint8 *p, gsize n)
{
  if (!utf8_with_nuls (p, n))
    return fail (d, "the string is not valid UTF-8");
  PkVal *v = pk_new (d, PK_STR);
  v->str.s = g_malloc (n + 1);   /* not g_strndup: it stops at a NUL */
  memcpy (v->str.s, p, n);
  v->str.s[n] = '\0';
  v->str.len = n;
  return push (d, v);
}

/* Two's complement little-endian integer of n bytes (LONG1/LONG4); doubles past 64 bits. */
static PkVal *
new_long (Dec *d, const guint8 *p, gsize n)
{
  gboolean neg = n > 0 && (p[n - 1] & 0x80);
  gboolean fits = TRUE;

  if (n == 0)
    return new_int (d, 0);
  for (gsize i = 8; i < n; i++)
    if (p[i] != (neg ? 0xff : 0x00))
      fits = FALSE;
  if (n > 8 && fits && ((p[7] & 0x80) != 0) != neg)
    fits = FALSE;
  if (fits)
    {
      guint64 u = le_uint (p, (guint) MIN (n, 8));
      if (n < 8 && neg)
        u |= ~G_GUINT64_CONSTANT (0) << (8 * n);
      return new_int (d, (gint64) u);
    }
  /* Past 64 bits: the nearest double. The magnitude of a negative is ~x + 1, whose bytes are
   * ~p[i] above the lowest non-zero byte z, -p[z] at z and 0 below. The top 64 bits of the
   * magnitude, with the bits below folded into a sticky bit, round exactly as the whole. */
  gsize z = 0;
  while (neg && z < n && p[z] == 0)
    z++;
#define MAG(i) ((guint8) (!neg ? p[i] : (i) > z ? ~p[i] : (i) == z ? -p[i] : 0))
  gsize top_ = n;
  while (top_ > 0 && MAG (top_ - 1) == 0)
    top_--;
  guint64 hi = 0;
  gboolean sticky = FALSE;
  for (gsize k = 0; k < 8; k++)
    hi = (hi << 8) | MAG (top_ - 1 - k);   /* top_ ≥ 8: the magnitude is ≥ 2^63 */
  for (gsize i = 0; i + 8 < top_; i++)
    sticky |= MAG (i) != 0;
#undef MAG
  double m = ldexp ((double) (hi | (guint64) sticky), (int) MIN ((top_ - 8) * 8, 100000));
  return new_float (d, neg ? -m : m);
}

/* INT and LONG of protocol 0: decimal text (INT "00"/"01" are False/True). */
static PkVal *
new_text_int (Dec *d, const char *text, gboolean is_long)
{
  g_autofree char *s = g_strdup (text);
  gsize n = strlen (s);
  gint64 i;
  if (is_long && n > 0 && s[n - 1] == 'L')
    s[--n] = '\0';
  if (!is_long && (g_str_equal (s, "00") || g_str_equal (s, "01")))
    {
      PkVal *v = pk_new (d, PK_BOOL);
      v->b = s[1] == '1';
      return v;
    }
  if (g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &i, NULL))
    return new_int (d, i);
  /* Past 64 bits: the nearest double, if it is a number at all. */
  const char *q = s + (*s == '-' || *s == '+');
  if (*q && strspn (q, "0123456789") == strlen (q))
    return new_float (d, g_ascii_strtod (s, NULL));
  fail (d, "'%s' is not an integer", text);
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* numpy */

static gboolean
parse_dtype_name (Dec *d, const char *s, gsize n, PkDtype *out)
{
  guint64 size = 0;
  g_autofree char *name = g_strndup (s, n);
  if (n >= 1 && strchr ("biufO", name[0]) && (n == 1 || g_ascii_string_to_unsigned (name + 1, 10, 1, 16, &size, NULL)))
    {
      out->kind = name[0];
      if (out->kind == 'O')
        size = sizeof (gpointer);
      if ((out->kind == 'b' && size == 1)
          || ((out->kind == 'i' || out->kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8))
          || (out->kind == 'f' && (size == 2 || size == 4 || size == 8))
          || out->kind == 'O')
        {
          out->size = (guint8) size;
          out->order = size == 1 || out->kind == 'O' ? '|' : '=';
          return TRUE;
        }
    }
  g_autofree char *shown = g_strescape (name, NULL);
  return fail (d, "numpy dtype '%s' is not supported (NetLoom reads bool, integer, float and object arrays)",
               shown);
}

static const char *
dtype_str (const PkDtype *t)
{
  switch (t->kind)
    {
    case 'b': return "bool";
    case 'O': return "object";
    case 'f': return t->size == 2 ? "float16" : t->size == 4 ? "float32" : "float64";
    case 'i': return t->size == 1 ? "int8" : t->size == 2 ? "int16" : t->size == 4 ? "int32" : "int64";
    default: return t->size == 1 ? "uint8" : t->size == 2 ? "uint16" : t->size == 4 ? "uint32" : "uint64";
    }
}

static double
half_to_double (guint16 h)
{
  int e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v;
  if (e == 0)
    v = ldexp (m, -24);
  else if (e == 31)
    v = m ? NAN : INFINITY;
  else
    v = ldexp (m + 1024, e - 25);
  return (h & 0x8000) ? -v : v;
}

typedef struct {
  char kind;   /* 'b', 'i', 'u', 'f' */
  gboolean b;
  gint64 i;
  guint64 u;
  double f;
} PkNumber;

/* One element of a numpy buffer, in the dtype's byte order. */
static void
read_element (const PkDtype *t, const guint8 *p, PkNumber *out)
{
  guint8 b[8];
  gboolean swap = (t->order == '>' && G_BYTE_ORDER == G_LITTLE_ENDIAN)
                  || (t->order == '<' && G_BYTE_ORDER == G_BIG_ENDIAN);
  for (guint k = 0; k < t->size; k++)
    b[k] = swap ? p[t->size - 1 - k] : p[k];
  out->kind = t->kind;
  switch (t->kind)
    {
    case 'b':
      out->b = b[0] != 0;
      break;
    case 'i':
      {
        gint8 i1; gint16 i2; gint32 i4; gint64 i8;
        switch (t->size)
          {
          case 1: memcpy (&i1, b, 1); out->i = i1; break;
          case 2: memcpy (&i2, b, 2); out->i = i2; break;
          case 4: memcpy (&i4, b, 4); out->i = i4; break;
          default: memcpy (&i8, b, 8); out->i = i8; break;
          }
        break;
      }
    case 'u':
      {
        guint8 u1; guint16 u2; guint32 u4; guint64 u8;
        switch (t->size)
          {
          case 1: memcpy (&u1, b, 1); out->u = u1; break;
          case 2: memcpy (&u2, b, 2); out->u = u2; break;
          case 4: memcpy (&u4, b, 4); out->u = u4; break;
          default: memcpy (&u8, b, 8); out->u = u8; break;
          }
        break;
      }
    default:
      {
        guint16 h; float f4; double f8;
        switch (t->size)
          {
          case 2: memcpy (&h, b, 2); out->f = half_to_double (h); break;
          case 4: memcpy (&f4, b, 4); out->f = f4; break;
          default: memcpy (&f8, b, 8); out->f = f8; break;
          }
        break;
      }
    }
}

static PkVal *
number_to_val (Dec *d, const PkNumber *n)
{
  switch (n->kind)
    {
    case 'b':
      {
        PkVal *v = pk_new (d, PK_BOOL);
        v->b = n->b;
        return v;
      }
    case 'i': return new_int (d, n->i);
    case 'u': return n->u > G_MAXINT64 ? new_float (d, (double) n->u) : new_int (d, (gint64) n->u);
    default: return new_float (d, n->f);
    }
}

static gboolean
as_text (const PkVal *v, const char **s, gsize *n)
{
  if (v->kind == PK_STR)
    {
      *s = v->str.s;
      *n = v->str.len;
      return TRUE;
    }
  if (v->kind == PK_BYTES)
    {
      *s = (const char *) v->bytes.p;
      *n = v->bytes.len;
      return TRUE;
    }
  return FALSE;
}

/* shape: a tuple of whole numbers ≥ 0; the element count, checked for overflow. */
static gboolean
read_shape (Dec *d, PkVal *shape, guint64 **dims, guint *ndim, guint64 *count)
{
  if (shape->kind == PK_INT)   /* _frombuffer and friends accept a bare length */
    {
      if (shape->i < 0)
        return fail (d, "numpy array shape %" G_GINT64_FORMAT " is negative", shape->i);
      *ndim = 1;
      *dims = g_new (guint64, 1);
      (*dims)[0] = *count = (guint64) shape->i;
      return TRUE;
    }
  if (shape->kind != PK_TUPLE && shape->kind != PK_LIST)
    return fail (d, "numpy array shape: expected a tuple, got %s", kind_name (shape));
  if (shape->items->len > 32)
    return fail (d, "numpy array has %u dimensions; numpy allows 32", shape->items->len);
  *ndim = shape->items->len;
  *dims = g_new (guint64, MAX (*ndim, 1));
  *count = 1;
  for (guint k = 0; k < *ndim; k++)
    {
      PkVal *e = shape->items->pdata[k];
      if (e->kind != PK_INT || e->i < 0)
        {
          g_clear_pointer (dims, g_free);
          return fail (d, "numpy array shape[%u]: expected a whole number ≥ 0, got %s", k, kind_name (e));
        }
      (*dims)[k] = (guint64) e->i;
    }
  /* A zero anywhere makes the product 0 whatever the others are. */
  for (guint k = 0; k < *ndim; k++)
    if ((*dims)[k] == 0)
      {
        *count = 0;
        return TRUE;
      }
  for (guint k = 0; k < *ndim; k++)
    if (!g_uint64_checked_mul (count, *count, (*dims)[k]))
      {
        g_clear_pointer (dims, g_free);
        return fail (d, "numpy array shape overflows");
      }
  return TRUE;
}

/* Fills an ndarray from its shape, dtype, order and data (BUILD's state or _frombuffer's args). */
static gboolean
set_ndarray (Dec *d, PkVal *arr, PkVal *shape, PkVal *dtype, gboolean fortran, PkVal *raw)
{
  guint64 *dims = NULL, count = 0, need;
  guint ndim = 0;

  if (dtype->kind != PK_DTYPE)
    return fail (d, "numpy array: expected a dtype, got %s", kind_name (dtype));
  if (!read_shape (d, shape, &dims, &ndim, &count))
    return FALSE;
  if (dtype->dtype.kind == 'O')
    {
      if (raw->kind != PK_LIST || raw->items->len != count)
        {
          g_free (dims);
          return fail (d, "numpy object array of %" G_GUINT64_FORMAT " elements: expected a list of "
                       "as many, got %s", count, kind_name (raw));
        }
      arr->nd->objects = raw;
      arr->nd->raw = NULL;
    }
  else
    {
      if (raw->kind != PK_BYTES)
        {
          g_free (dims);
          return fail (d, "numpy array data: expected bytes, got %s", kind_name (raw));
        }
      if (!g_uint64_checked_mul (&need, count, dtype->dtype.size) || need != raw->bytes.len)
        {
          g_free (dims);
          return fail (d, "numpy array of %" G_GUINT64_FORMAT " %s elements needs %" G_GUINT64_FORMAT
                       " bytes of data, got %" G_GSIZE_FORMAT, count, dtype_str (&dtype->dtype),
                       count * dtype->dtype.size, raw->bytes.len);
        }
      arr->nd->raw = raw->bytes.p ? raw->bytes.p : (const guint8 *) "";
      arr->nd->objects = NULL;
    }
  g_free (arr->nd->shape);
  arr->nd->shape = dims;
  arr->nd->ndim = ndim;
  arr->nd->dtype = dtype->dtype;
  arr->nd->fortran = fortran;
  return TRUE;
}

static gboolean
truth (const PkVal *v)
{
  switch (v->kind)
    {
    case PK_NONE: return FALSE;
    case PK_BOOL: return v->b;
    case PK_INT: return v->i != 0;
    case PK_FLOAT: return v->f != 0;
    default: return TRUE;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* REDUCE, NEWOBJ, BUILD on the known globals */

/* Copying what is already there is the one way a pickle grows faster than its bytes (DUP BUILD
 * doubles a dict): copies are bounded by a multiple of the file size. */
static gboolean
grow (Dec *d, guint64 n)
{
  guint64 cap = 16 * (guint64) d->len + (1u << 20);
  if (n > cap || d->copied > cap - n)
    return fail (d, "the pickle copies its own contents over and over (more than %" G_GUINT64_FORMAT
                 " items or bytes); refusing to go on", cap);
  d->copied += n;
  return TRUE;
}

static gboolean
extend_items (Dec *d, PkVal *dst, PkVal *src, const char *what)
{
  if (src->kind != PK_LIST && src->kind != PK_TUPLE && src->kind != PK_SET && src->kind != PK_FROZENSET)
    return fail (d, "%s: expected a list, tuple or set, got %s", what, kind_name (src));
  if (!grow (d, src->items->len))
    return FALSE;
  for (guint i = 0; i < src->items->len; i++)
    g_ptr_array_add (dst->items, src->items->pdata[i]);
  return TRUE;
}

/* dict(x): x a dict, or a sequence of pairs. */
static gboolean
fill_dict (Dec *d, PkVal *dst, PkVal *src, const char *what)
{
  if (src->kind == PK_DICT)
    {
      guint n = src->items->len;
      if (!grow (d, n))
        return FALSE;
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (dst->items, src->items->pdata[i]);
      return TRUE;
    }
  if (src->kind != PK_LIST && src->kind != PK_TUPLE)
    return fail (d, "%s: expected a dict or a list of pairs, got %s", what, kind_name (src));
  if (!grow (d, 2 * (guint64) src->items->len))
    return FALSE;
  for (guint i = 0; i < src->items->len; i++)
    {
      PkVal *p = src->items->pdata[i];
      if ((p->kind != PK_TUPLE && p->kind != PK_LIST) || p->items->len != 2)
        return fail (d, "%s: item %u is not a (key, value) pair", what, i);
      g_ptr_array_add (dst->items, p->items->pdata[0]);
      g_ptr_array_add (dst->items, p->items->pdata[1]);
    }
  return TRUE;
}

static PkVal *
latin1_encode (Dec *d, PkVal *s)
{
  if (!grow (d, s->str.len))
    return NULL;
  guint8 *out = g_malloc (MAX (s->str.len, 1));
  gsize n = 0;
  for (const char *p = s->str.s; p < s->str.s + s->str.len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c > 0xff)
        {
          g_free (out);
          fail (d, "_codecs.encode: character U+%04X is not Latin-1", c);
          return NULL;
        }
      out[n++] = (guint8) c;
    }
  return new_bytes (d, out, n, out);
}

#define ARG(k) ((PkVal *) args->items->pdata[k])

static PkVal *
call_global (Dec *d, PkGlobal g, PkVal *args)
{
  guint n = args->items->len;
  PkVal *v;
  const char *s;
  gsize sl;

  switch (g)
    {
    case G_DICT: case G_ORDERED_DICT: case G_NP_DICT: case G_NP_ODICT:
      v = pk_new (d, PK_DICT);
      if (n > 1)
        return fail (d, "%s() takes at most one argument", global_name (g)), NULL;
      if (n == 1 && !fill_dict (d, v, ARG (0), global_name (g)))
        return NULL;
      return v;
    case G_LIST: case G_TUPLE: case G_SET: case G_FROZENSET:
      v = pk_new (d, g == G_LIST ? PK_LIST : g == G_TUPLE ? PK_TUPLE : g == G_SET ? PK_SET : PK_FROZENSET);
      if (n > 1)
        return fail (d, "%s() takes at most one argument", global_name (g)), NULL;
      if (n == 1 && !extend_items (d, v, ARG (0), global_name (g)))
        return NULL;
      return v;
    case G_BYTES: case G_BYTEARRAY:
      if (n == 0)
        return new_bytes (d, NULL, 0, NULL);
      if (n == 1 && ARG (0)->kind == PK_BYTES)
        return new_bytes (d, ARG (0)->bytes.p, ARG (0)->bytes.len, NULL);
      if (n == 2 && ARG (0)->kind == PK_STR && as_text (ARG (1), &s, &sl)
          && (strncmp (s, "latin-1", sl) == 0 || strncmp (s, "latin1", sl) == 0) && sl >= 6)
        return latin1_encode (d, ARG (0));
      return fail (d, "%s(): unsupported arguments", global_name (g)), NULL;
    case G_CODECS_ENCODE:
      if (n == 2 && ARG (0)->kind == PK_STR && as_text (ARG (1), &s, &sl))
        {
          g_autofree char *enc = g_ascii_strdown (s, sl);
          if (g_str_equal (enc, "latin1") || g_str_equal (enc, "latin-1") || g_str_equal (enc, "iso-8859-1"))
            return latin1_encode (d, ARG (0));
          if (g_str_equal (enc, "utf-8") || g_str_equal (enc, "utf8"))
            return new_bytes (d, (const guint8 *) ARG (0)->str.s, ARG (0)->str.len, NULL);
        }
      return fail (d, "_codecs.encode: expected (str, 'latin1')"), NULL;
    case G_RECONSTRUCTOR:
      /* copyreg._reconstructor(cls, base, state): only dict classes over dict or object. */
      if (n != 3 || ARG (0)->kind != PK_GLOBAL || ARG (1)->kind != PK_GLOBAL
          || !global_is_dict_class (ARG (0)->global)
          || !(ARG (1)->global == G_OBJECT || global_is_dict_class (ARG (1)->global)))
        return fail (d, "copyreg._reconstructor: only dict classes can be rebuilt"), NULL;
      v = pk_new (d, PK_DICT);
      if (ARG (2)->kind != PK_NONE && global_is_dict_class (ARG (1)->global)
          && !fill_dict (d, v, ARG (2), "copyreg._reconstructor"))
        return NULL;
      return v;
    case G_ND_RECONSTRUCT:
      /* _reconstruct(ndarray, (0,), b'b'): an empty array that BUILD fills. */
      if (n != 3 || ARG (0)->kind != PK_GLOBAL || ARG (0)->global != G_NDARRAY)
        return fail (d, "numpy _reconstruct: expected (numpy.ndarray, shape, typecode)"), NULL;
      v = pk_new (d, PK_NDARRAY);
      v->nd = g_new0 (PkNd, 1);
      v->nd->dtype = (PkDtype) { 'u', 1, '|' };
      v->nd->ndim = 1;
      v->nd->shape = g_new0 (guint64, 1);
      v->nd->raw = (const guint8 *) "";
      return v;
    case G_DTYPE:
      if (n < 1 || !as_text (ARG (0), &s, &sl))
        return fail (d, "numpy.dtype: expected a type name"), NULL;
      v = pk_new (d, PK_DTYPE);
      if (!parse_dtype_name (d, s, sl, &v->dtype))
        return NULL;
      return v;
    case G_SCALAR:
      {
        PkNumber num;
        if (n < 1 || ARG (0)->kind != PK_DTYPE)
          return fail (d, "numpy scalar: expected (dtype, data)"), NULL;
        if (ARG (0)->dtype.kind == 'O')
          return n == 2 ? ARG (1) : (fail (d, "numpy object scalar: expected (dtype, object)"), NULL);
        if (n != 2 || ARG (1)->kind != PK_BYTES || ARG (1)->bytes.len != ARG (0)->dtype.size)
          return fail (d, "numpy %s scalar: expected %u bytes of data", dtype_str (&ARG (0)->dtype),
                       ARG (0)->dtype.size), NULL;
        read_element (&ARG (0)->dtype, ARG (1)->bytes.p, &num);
        return number_to_val (d, &num);
      }
    case G_FROMBUFFER:
      /* numpy's protocol-5 path: _frombuffer(buffer, dtype, shape, order). */
      if (n != 4 || !as_text (ARG (3), &s, &sl) || sl != 1 || (s[0] != 'C' && s[0] != 'F'))
        return fail (d, "numpy _frombuffer: expected (buffer, dtype, shape, 'C' or 'F')"), NULL;
      if (ARG (1)->kind == PK_DTYPE && ARG (1)->dtype.kind == 'O')
        return fail (d, "numpy _frombuffer: object arrays have no buffer"), NULL;
      v = pk_new (d, PK_NDARRAY);
      v->nd = g_new0 (PkNd, 1);
      if (!set_ndarray (d, v, ARG (2), ARG (1), s[0] == 'F', ARG (0)))
        return NULL;
      return v;
    case G_OBJECT: case G_NDARRAY:
    default:
      return fail (d, "calling %s is not supported", global_name (g)), NULL;
    }
}

static PkVal *
new_object (Dec *d, PkGlobal g, PkVal *args)
{
  if (global_is_dict_class (g))
    return pk_new (d, PK_DICT);   /* __new__ ignores its arguments; items and state follow */
  if (g == G_LIST)
    return pk_new (d, PK_LIST);
  if (g == G_SET)
    return pk_new (d, PK_SET);
  if (g == G_TUPLE || g == G_FROZENSET)
    return call_global (d, g, args);
  fail (d, "cannot create a %s object", global_name (g));
  return NULL;
}

static gboolean
merge_state (Dec *d, PkVal *obj, PkVal *state)
{
  if (state->kind == PK_NONE)
    return TRUE;
  if (state->kind == PK_DICT)
    {
      guint n = state->items->len;   /* the state may be the object itself */
      if (!grow (d, n))
        return FALSE;
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (obj->items, state->items->pdata[i]);
      return TRUE;
    }
  return fail (d, "the state of a dict object: expected a dict, got %s", kind_name (state));
}

static gboolean
build (Dec *d, PkVal *obj, PkVal *state)
{
  const char *s;
  gsize sl;

  switch (obj->kind)
    {
    case PK_DICT:
      /* Dict/ODict.__setstate__ adds the items; (state, slotstate) pairs come from __slots__. */
      if (state->kind == PK_TUPLE && state->items->len == 2)
        return merge_state (d, obj, state->items->pdata[0]) && merge_state (d, obj, state->items->pdata[1]);
      return merge_state (d, obj, state);
    case PK_NDARRAY:
      {
        /* (version, shape, dtype, is_fortran, data), or the same without the version. */
        guint off;
        if (state->kind != PK_TUPLE || (state->items->len != 5 && state->items->len != 4))
          return fail (d, "numpy array state: expected (version, shape, dtype, fortran, data), got %s",
                       kind_name (state));
        off = state->items->len - 4;
        return set_ndarray (d, obj, state->items->pdata[off], state->items->pdata[off + 1],
                            truth (state->items->pdata[off + 2]), state->items->pdata[off + 3]);
      }
    case PK_DTYPE:
      {
        /* (version, endian, subarray, names, fields, elsize, alignment, flags[, metadata]) */
        GPtrArray *it = state->kind == PK_TUPLE ? state->items : NULL;
        if (!it || it->len < 5)
          return fail (d, "numpy dtype state: expected a tuple of 5 or more, got %s", kind_name (state));
        if (!as_text (it->pdata[1], &s, &sl) || sl != 1 || !strchr ("<>|=", s[0]))
          return fail (d, "numpy dtype state: byte order must be '<', '>', '|' or '='");
        if (((PkVal *) it->pdata[2])->kind != PK_NONE || ((PkVal *) it->pdata[3])->kind != PK_NONE)
          return fail (d, "structured and sub-array numpy dtypes are not supported");
        obj->dtype.order = s[0];
        return TRUE;
      }
    default:
      return fail (d, "BUILD on %s is not supported", kind_name (obj));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The machine */

static gboolean
resolve_global (Dec *d, const char *module, gsize ml, const char *name, gsize nl)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known_globals); i++)
    if (strlen (known_globals[i].module) == ml && memcmp (known_globals[i].module, module, ml) == 0
        && strlen (known_globals[i].name) == nl && memcmp (known_globals[i].name, name, nl) == 0)
      {
        PkVal *v = pk_new (d, PK_GLOBAL);
        v->global = known_globals[i].id;
        return push (d, v);
      }
  g_autofree char *m = g_strndup (module, MIN (ml, 200));
  g_autofree char *n = g_strndup (name, MIN (nl, 200));
  g_autofree char *me = g_strescape (m, NULL);
  g_autofree char *ne = g_strescape (n, NULL);
  return fail (d, "refusing to load '%s.%s': a pickle naming code could run it, and NetLoom only "
               "rebuilds NetPyNE's Dict/ODict, OrderedDict, numpy arrays and builtin containers",
               me, ne);
}

static gboolean
memo_put (Dec *d, guint64 idx)
{
  PkVal *v = top (d);
  if (!v)
    return FALSE;
  if (idx > G_MAXUINT32)
    return fail (d, "memo index %" G_GUINT64_FORMAT " is out of range", idx);
  if (g_hash_table_size (d->memo) >= NL_PICKLE_MAX_MEMO
      && !g_hash_table_contains (d->memo, GUINT_TO_POINTER ((guint) idx)))
    return fail (d, "more than %u memo entries", NL_PICKLE_MAX_MEMO);
  g_hash_table_insert (d->memo, GUINT_TO_POINTER ((guint) idx), v);
  return TRUE;
}

static gboolean
memo_get (Dec *d, guint64 idx)
{
  PkVal *v = idx <= G_MAXUINT32 ? g_hash_table_lookup (d->memo, GUINT_TO_POINTER ((guint) idx)) : NULL;
  if (!v)
    return fail (d, "memo entry %" G_GUINT64_FORMAT " was never stored (corrupted file?)", idx);
  return push (d, v);
}

static gboolean
text_index (Dec *d, guint64 *idx)
{
  g_autofree char *line = NULL;
  if (!take_line (d, 32, &line, NULL))
    return FALSE;
  if (!g_ascii_string_to_unsigned (line, 10, 0, G_MAXUINT32, idx, NULL))
    return fail (d, "'%s' is not a memo index", line);
  return TRUE;
}

/* Collection ops that take the values above the last MARK. */
static gboolean
op_marked (Dec *d)
{
  guint first = 0;
  PkVal *v;

  if (!pop_mark (d, &first))
    return FALSE;
  GPtrArray *st = d->stack;
  guint count = st->len - first;

  switch (d->op)
    {
    case OP_TUPLE: case OP_LIST: case OP_FROZENSET:
      v = pk_new (d, d->op == OP_TUPLE ? PK_TUPLE : d->op == OP_LIST ? PK_LIST : PK_FROZENSET);
      for (guint i = first; i < st->len; i++)
        g_ptr_array_add (v->items, st->pdata[i]);
      g_ptr_array_set_size (st, first);
      return push (d, v);
    case OP_DICT:
      if (count % 2)
        return fail (d, "odd number of values (keys and values must pair up)");
      v = pk_new (d, PK_DICT);
      for (guint i = first; i < st->len; i++)
        g_ptr_array_add (v->items, st->pdata[i]);
      g_ptr_array_set_size (st, first);
      return push (d, v);
    case OP_POP_MARK:
      g_ptr_array_set_size (st, first);
      return TRUE;
    default:   /* APPENDS, SETITEMS, ADDITEMS: into the object below the MARK */
      {
        guint floor_ = d->marks->len ? g_array_index (d->marks, guint, d->marks->len - 1) : 0;
        PkKind want = d->op == OP_APPENDS ? PK_LIST : d->op == OP_SETITEMS ? PK_DICT : PK_SET;
        if (first == 0 || first - 1 < floor_)
          return fail (d, "no object below the MARK to add to");
        v = st->pdata[first - 1];
        if (v->kind != want)
          return fail (d, "expected %s to add to, got %s", want == PK_LIST ? "a list" : want == PK_DICT
                       ? "a dict" : "a set", kind_name (v));
        if (d->op == OP_SETITEMS && count % 2)
          return fail (d, "odd number of values (keys and values must pair up)");
        for (guint i = first; i < st->len; i++)
          g_ptr_array_add (v->items, st->pdata[i]);
        g_ptr_array_set_size (st, first);
        return TRUE;
      }
    }
}

static gboolean
step (Dec *d, PkVal **result)
{
  const guint8 *p = NULL;
  gsize n = 0;
  guint64 u = 0;
  PkVal *a, *b, *c, *v;

  if (d->pos >= d->len)
    {
      d->op = -1;
      d->op_pos = d->pos;
      return fail (d, "the file ends before the pickle's STOP opcode (truncated file?)");
    }
  d->op_pos = d->pos;
  d->op = d->data[d->pos++];

  switch (d->op)
    {
    case OP_PROTO:
      if (!take_uint (d, 1, &u))
        return FALSE;
      if (u > 5)
        return fail (d, "pickle protocol %u is newer than 5, the newest NetLoom reads", (guint) u);
      return TRUE;
    case OP_FRAME:
      if (!take_uint (d, 8, &u))
        return FALSE;
      if (u > d->len - d->pos)
        return fail (d, "frame of %" G_GUINT64_FORMAT " bytes but only %" G_GSIZE_FORMAT
                     " are left (truncated file?)", u, d->len - d->pos);
      return TRUE;
    case OP_MARK:
      if (d->marks->len >= NL_PICKLE_MAX_STACK)
        return fail (d, "more than %u MARKs", NL_PICKLE_MAX_STACK);
      g_array_append_val (d->marks, d->stack->len);
      return TRUE;
    case OP_STOP:
      if (!(*result = top (d)))
        return FALSE;
      return TRUE;
    case OP_POP:
      /* As CPython: POP right after a MARK discards the MARK. */
      if (d->marks->len && g_array_index (d->marks, guint, d->marks->len - 1) == d->stack->len)
        {
          g_array_set_size (d->marks, d->marks->len - 1);
          return TRUE;
        }
      return pop (d) != NULL;
    case OP_DUP:
      return (v = top (d)) && push (d, v);
    case OP_NONE:
      return push (d, pk_new (d, PK_NONE));
    case OP_NEWTRUE: case OP_NEWFALSE:
      v = pk_new (d, PK_BOOL);
      v->b = d->op == OP_NEWTRUE;
      return push (d, v);
    case OP_BININT:
      return take_uint (d, 4, &u) && push (d, new_int (d, (gint32) (guint32) u));
    case OP_BININT1:
      return take_uint (d, 1, &u) && push (d, new_int (d, (gint64) u));
    case OP_BININT2:
      return take_uint (d, 2, &u) && push (d, new_int (d, (gint64) u));
    case OP_LONG1:
      return take_counted (d, 1, FALSE, &p, &n) && push (d, new_long (d, p, n));
    case OP_LONG4:
      return take_counted (d, 4, TRUE, &p, &n) && push (d, new_long (d, p, n));
    case OP_INT: case OP_LONG:
      {
        g_autofree char *line = NULL;
        if (!take_line (d, 4096, &line, NULL) || !(v = new_text_int (d, line, d->op == OP_LONG)))
          return FALSE;
        return push (d, v);
      }
    case OP_FLOAT:
      {
        g_autofree char *line = NULL;
        char *end;
        double f;
        if (!take_line (d, 256, &line, NULL))
          return FALSE;
        f = g_ascii_strtod (line, &end);
        if (end == line || *end)
          return fail (d, "'%s' is not a number", line);
        return push (d, new_float (d, f));
      }
    case OP_BINFLOAT:
      {
        double f;
        guint64 bits = 0;
        if (!take (d, 8, &p))
          return FALSE;
        for (guint k = 0; k < 8; k++)   /* big-endian IEEE 754 */
          bits = (bits << 8) | p[k];
        memcpy (&f, &bits, 8);
        return push (d, new_float (d, f));
      }
    case OP_SHORT_BINUNICODE:
      return take_counted (d, 1, FALSE, &p, &n) && push_str (d, p, n);
    case OP_BINUNICODE:
      return take_counted (d, 4, FALSE, &p, &n) && push_str (d, p, n);
    case OP_BINUNICODE8:
      return take_counted (d, 8, FALSE, &p, &n) && push_str (d, p, n);
    case OP_SHORT_BINSTRING: case OP_BINSTRING:
      if (!take_counted (d, d->op == OP_BINSTRING ? 4 : 1, TRUE, &p, &n))
        return FALSE;
      v = new_bytes (d, p, n, NULL);
      v->py2_str = TRUE;
      return push (d, v);
    case OP_SHORT_BINBYTES:
      return take_counted (d, 1, FALSE, &p, &n) && push (d, new_bytes (d, p, n, NULL));
    case OP_BINBYTES:
      return take_counted (d, 4, FALSE, &p, &n) && push (d, new_bytes (d, p, n, NULL));
    case OP_BINBYTES8: case OP_BYTEARRAY8:
      return take_counted (d, 8, FALSE, &p, &n) && push (d, new_bytes (d, p, n, NULL));
    case OP_NEXT_BUFFER:
      return fail (d, "the pickle refers to an out-of-band buffer that is not in the file "
                   "(it was written with a buffer_callback)");
    case OP_READONLY_BUFFER:
      return top (d) != NULL;
    case OP_EMPTY_DICT:
      return push (d, pk_new (d, PK_DICT));
    case OP_EMPTY_LIST:
      return push (d, pk_new (d, PK_LIST));
    case OP_EMPTY_TUPLE:
      return push (d, pk_new (d, PK_TUPLE));
    case OP_EMPTY_SET:
      return push (d, pk_new (d, PK_SET));
    case OP_TUPLE1: case OP_TUPLE2: case OP_TUPLE3:
      {
        guint k = (guint) (d->op - OP_TUPLE1 + 1);
        guint floor_ = d->marks->len ? g_array_index (d->marks, guint, d->marks->len - 1) : 0;
        if (d->stack->len < floor_ + k)
          return fail (d, "needs %u values on the stack", k);
        v = pk_new (d, PK_TUPLE);
        for (guint i = d->stack->len - k; i < d->stack->len; i++)
          g_ptr_array_add (v->items, d->stack->pdata[i]);
        g_ptr_array_set_size (d->stack, d->stack->len - k);
        return push (d, v);
      }
    case OP_TUPLE: case OP_LIST: case OP_DICT: case OP_FROZENSET: case OP_POP_MARK:
    case OP_APPENDS: case OP_SETITEMS: case OP_ADDITEMS:
      return op_marked (d);
    case OP_APPEND:
      if (!(a = pop (d)) || !(v = top (d)))
        return FALSE;
      if (v->kind != PK_LIST)
        return fail (d, "expected a list to append to, got %s", kind_name (v));
      g_ptr_array_add (v->items, a);
      return TRUE;
    case OP_SETITEM:
      if (!(b = pop (d)) || !(a = pop (d)) || !(v = top (d)))
        return FALSE;
      if (v->kind != PK_DICT)
        return fail (d, "expected a dict to set an item in, got %s", kind_name (v));
      g_ptr_array_add (v->items, a);
      g_ptr_array_add (v->items, b);
      return TRUE;
    case OP_PUT:
      return text_index (d, &u) && memo_put (d, u);
    case OP_BINPUT:
      return take_uint (d, 1, &u) && memo_put (d, u);
    case OP_LONG_BINPUT:
      return take_uint (d, 4, &u) && memo_put (d, u);
    case OP_MEMOIZE:
      return memo_put (d, g_hash_table_size (d->memo));
    case OP_GET:
      return text_index (d, &u) && memo_get (d, u);
    case OP_BINGET:
      return take_uint (d, 1, &u) && memo_get (d, u);
    case OP_LONG_BINGET:
      return take_uint (d, 4, &u) && memo_get (d, u);
    case OP_GLOBAL:
      {
        g_autofree char *module = NULL, *name = NULL;
        gsize ml, nl;
        if (!take_line (d, 256, &module, &ml) || !take_line (d, 256, &name, &nl))
          return FALSE;
        return resolve_global (d, module, ml, name, nl);
      }
    case OP_STACK_GLOBAL:
      if (!(b = pop (d)) || !(a = pop (d)))
        return FALSE;
      if (a->kind != PK_STR || b->kind != PK_STR)
        return fail (d, "module and name must be strings, got %s and %s", kind_name (a), kind_name (b));
      return resolve_global (d, a->str.s, a->str.len, b->str.s, b->str.len);
    case OP_REDUCE:
      if (!(b = pop (d)) || !(a = pop (d)))
        return FALSE;
      if (a->kind != PK_GLOBAL)
        return fail (d, "cannot call %s", kind_name (a));
      if (b->kind != PK_TUPLE)
        return fail (d, "arguments must be a tuple, got %s", kind_name (b));
      return (v = call_global (d, a->global, b)) && push (d, v);
    case OP_NEWOBJ:
      if (!(b = pop (d)) || !(a = pop (d)))
        return FALSE;
      if (a->kind != PK_GLOBAL || b->kind != PK_TUPLE)
        return fail (d, "expected a class and a tuple of arguments, got %s and %s", kind_name (a),
                     kind_name (b));
      return (v = new_object (d, a->global, b)) && push (d, v);
    case OP_NEWOBJ_EX:
      if (!(c = pop (d)) || !(b = pop (d)) || !(a = pop (d)))
        return FALSE;
      if (a->kind != PK_GLOBAL || b->kind != PK_TUPLE || c->kind != PK_DICT)
        return fail (d, "expected a class, a tuple and a dict, got %s, %s and %s", kind_name (a),
                     kind_name (b), kind_name (c));
      return (v = new_object (d, a->global, b)) && push (d, v);
    case OP_BUILD:
      if (!(b = pop (d)) || !(a = top (d)))
        return FALSE;
      return build (d, a, b);
    case OP_PERSID: case OP_BINPERSID:
      return fail (d, "persistent ids refer to objects outside the file; not supported");
    case OP_EXT1: case OP_EXT2: case OP_EXT4:
      return fail (d, "copyreg extension codes are not supported");
    case OP_INST: case OP_OBJ:
      return fail (d, "protocol-0/1 class instances are not supported");
    case OP_STRING: case OP_UNICODE:
      return fail (d, "protocol-0 quoted strings are not supported (save with protocol 2 or newer)");
    default:
      return fail (d, "unknown opcode: not a pickle, or a corrupted one");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Values → JsonNode */

typedef struct {
  const char *name;
  gint64 budget;   /* nodes cost 8, text its length: caps what shared objects can expand to */
  GError *error;
} Conv;

static gboolean cfail (Conv *c, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* Where a value was made: "byte N: opcode X: " starts conversion errors as decoding ones. */
#define AT "byte %" G_GSIZE_FORMAT ": opcode %s: "
#define OPN(v) (op_name ((v)->op) ? op_name ((v)->op) : "?")

static gboolean
cfail (Conv *c, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  if (c->error)
    return FALSE;
  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (&c->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", c->name, msg);
  return FALSE;
}

static gboolean
charge (Conv *c, PkVal *v, gint64 units)
{
  if (c->budget < units)
    return cfail (c, AT "the data expands to far more than the "
                  "file holds (an object referenced over and over?); refusing to expand it",
                  v->pos, OPN (v));
  c->budget -= units;
  return TRUE;
}

/* Python's repr() of a float: shortest round-trip digits, exponent outside 1e-4 … 1e16. */
static void
float_repr (double x, GString *out)
{
  char buf[40], digits[24];
  int nd = 0, exp10, decpt;

  if (isnan (x))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (x))
    {
      g_string_append (out, x < 0 ? "-inf" : "inf");
      return;
    }
  for (int prec = 1; prec <= 17; prec++)
    {
      snprintf (buf, sizeof buf, "%.*e", prec - 1, x);
      if (strtod (buf, NULL) == x)
        break;
    }
  const char *p = buf;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p && *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[nd++] = *p;
  exp10 = atoi (p + 1);
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  decpt = x == 0 ? 1 : exp10 + 1;
  if (decpt <= -4 || decpt > 16)
    {
      g_string_append_c (out, digits[0]);
      if (nd > 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, digits + 1, nd - 1);
        }
      g_string_append_printf (out, "e%c%02d", decpt - 1 < 0 ? '-' : '+', ABS (decpt - 1));
    }
  else if (decpt <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -decpt; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits, nd);
    }
  else if (decpt >= nd)
    {
      g_string_append_len (out, digits, nd);
      for (int i = nd; i < decpt; i++)
        g_string_append_c (out, '0');
      g_string_append (out, ".0");
    }
  else
    {
      g_string_append_len (out, digits, decpt);
      g_string_append_c (out, '.');
      g_string_append_len (out, digits + decpt, nd - decpt);
    }
}

static gboolean
py_printable (gunichar ch)
{
  if (ch == ' ')
    return TRUE;
  switch (g_unichar_type (ch))
    {
    case G_UNICODE_CONTROL: case G_UNICODE_FORMAT: case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE: case G_UNICODE_SURROGATE: case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR: case G_UNICODE_SPACE_SEPARATOR:
      return FALSE;
    default:
      return TRUE;
    }
}

/* Python's repr() of str (is_bytes FALSE, UTF-8 text) or bytes. */
static void
text_repr (const char *s, gsize len, gboolean is_bytes, GString *out)
{
  gboolean has_sq = memchr (s, '\'', len) != NULL, has_dq = memchr (s, '"', len) != NULL;
  char q = has_sq && !has_dq ? '"' : '\'';
  const char *end = s + len;

  if (is_bytes)
    g_string_append_c (out, 'b');
  g_string_append_c (out, q);
  for (const char *p = s; p < end; p = is_bytes ? p + 1 : g_utf8_next_char (p))
    {
      gunichar ch = is_bytes ? (guint8) *p : g_utf8_get_char (p);
      if (ch == (gunichar) q || ch == '\\')
        g_string_append_printf (out, "\\%c", (char) ch);
      else if (ch == '\t')
        g_string_append (out, "\\t");
      else if (ch == '\n')
        g_string_append (out, "\\n");
      else if (ch == '\r')
        g_string_append (out, "\\r");
      else if (ch < 0x20 || ch == 0x7f || (is_bytes && ch > 0x7f))
        g_string_append_printf (out, "\\x%02x", ch);
      else if (ch < 0x7f || py_printable (ch))
        g_string_append_unichar (out, ch);
      else if (ch <= 0xff)
        g_string_append_printf (out, "\\x%02x", ch);
      else if (ch <= 0xffff)
        g_string_append_printf (out, "\\u%04x", ch);
      else
        g_string_append_printf (out, "\\U%08x", ch);
    }
  g_string_append_c (out, q);
}

/* Python's str() (repr for the elements of tuples) of a dict key. */
static gboolean
key_text (Conv *c, PkVal *k, gboolean repr, guint depth, GString *out)
{
  /* Charged before it is written (a repr escape is at most 10 bytes a byte; a number at most
   * 32 characters; a container 2 per element), so a key made of one string referenced over
   * and over cannot grow unbounded before the budget stops it. */
  gint64 cost = 32;
  if (k->kind == PK_STR)
    cost = (repr ? 10 : 1) * (gint64) k->str.len + 2;
  else if (k->kind == PK_BYTES)
    cost = 10 * (gint64) k->bytes.len + 3;
  else if (k->kind == PK_TUPLE || k->kind == PK_FROZENSET)
    cost = 16 + 2 * (gint64) k->items->len;
  if (!charge (c, k, cost))
    return FALSE;

  if (depth > NL_PICKLE_MAX_DEPTH)
    return cfail (c, AT "a dict key nests deeper than %d levels", k->pos, OPN (k), NL_PICKLE_MAX_DEPTH);
  switch (k->kind)
    {
    case PK_STR:
      if (repr)
        text_repr (k->str.s, k->str.len, FALSE, out);
      else
        g_string_append_len (out, k->str.s, (gssize) k->str.len);
      break;
    case PK_BYTES:
      if (k->py2_str && g_utf8_validate_len ((const char *) k->bytes.p, k->bytes.len, NULL))
        {
          if (repr)
            text_repr ((const char *) k->bytes.p, k->bytes.len, FALSE, out);
          else
            g_string_append_len (out, (const char *) k->bytes.p, (gssize) k->bytes.len);
        }
      else
        text_repr ((const char *) k->bytes.p, k->bytes.len, TRUE, out);
      break;
    case PK_NONE: g_string_append (out, "None"); break;
    case PK_BOOL: g_string_append (out, k->b ? "True" : "False"); break;
    case PK_INT: g_string_append_printf (out, "%" G_GINT64_FORMAT, k->i); break;
    case PK_FLOAT: float_repr (k->f, out); break;
    case PK_TUPLE: case PK_FROZENSET:
      g_string_append (out, k->kind == PK_TUPLE ? "(" : k->items->len ? "frozenset({" : "frozenset(");
      for (guint i = 0; i < k->items->len; i++)
        {
          if (i)
            g_string_append (out, ", ");
          if (!key_text (c, k->items->pdata[i], TRUE, depth + 1, out))
            return FALSE;
        }
      if (k->kind == PK_TUPLE)
        g_string_append (out, k->items->len == 1 ? ",)" : ")");
      else
        g_string_append (out, k->items->len ? "})" : ")");
      break;
    default:
      return cfail (c, AT "a dict key is %s, which Python cannot use as a key (corrupted file?)",
                    k->pos, OPN (k), kind_name (k));
    }
  return TRUE;
}

static JsonNode *to_json (Conv *c, PkVal *v, guint depth);

static JsonNode *
number_node (const PkNumber *n)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  switch (n->kind)
    {
    case 'b': json_node_set_boolean (node, n->b); break;
    case 'i': json_node_set_int (node, n->i); break;
    case 'u':
      if (n->u > G_MAXINT64)
        json_node_set_double (node, (double) n->u);
      else
        json_node_set_int (node, (gint64) n->u);
      break;
    default: json_node_set_double (node, n->f); break;
    }
  return node;
}

typedef struct {
  Conv *c;
  PkVal *v;
  guint64 stride[32];
  guint depth;
} NdWalk;

static JsonNode *
nd_node (NdWalk *w, guint dim, guint64 offset)
{
  PkVal *v = w->v;
  if (!charge (w->c, w->v, 8))
    return NULL;
  if (dim == v->nd->ndim)
    {
      PkNumber num;
      if (v->nd->objects)
        return to_json (w->c, v->nd->objects->items->pdata[offset], w->depth + dim + 1);
      read_element (&v->nd->dtype, v->nd->raw + offset * v->nd->dtype.size, &num);
      return number_node (&num);
    }
  JsonArray *a = json_array_sized_new ((guint) MIN (v->nd->shape[dim], 1u << 20));
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, a);
  for (guint64 i = 0; i < v->nd->shape[dim]; i++)
    {
      JsonNode *e = nd_node (w, dim + 1, offset + i * w->stride[dim]);
      if (!e)
        {
          json_node_unref (node);
          return NULL;
        }
      json_array_add_element (a, e);
    }
  return node;
}

static JsonNode *
ndarray_json (Conv *c, PkVal *v, guint depth)
{
  NdWalk w = { c, v, { 0 }, depth };
  guint64 s = 1;

  if (depth + v->nd->ndim > NL_PICKLE_MAX_DEPTH)
    return cfail (c, AT "the data nests deeper than %d levels", v->pos, OPN (v), NL_PICKLE_MAX_DEPTH), NULL;
  /* Element strides; the products cannot overflow since they divide the checked total. */
  for (guint k = 0; k < v->nd->ndim; k++)
    {
      guint dim = v->nd->fortran ? k : v->nd->ndim - 1 - k;
      w.stride[dim] = s;
      s *= v->nd->shape[dim] ? v->nd->shape[dim] : 1;
    }
  return nd_node (&w, 0, 0);
}

/* A dict: Python's semantics for a key set twice (it keeps its first place and takes the last
 * value; Dict pickles set every item twice), keys compared by their str(). */
static JsonNode *
dict_json (Conv *c, PkVal *v, guint depth)
{
  g_autoptr(GHashTable) slot_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();     /* first-seen order; owned by slot_of */
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) key = g_string_new (NULL);
  JsonObject *o;
  JsonNode *node;

  for (guint i = 0; i + 1 < v->items->len; i += 2)
    {
      gpointer slot;
      g_string_truncate (key, 0);
      if (!key_text (c, v->items->pdata[i], FALSE, depth + 1, key))
        return NULL;
      if (strlen (key->str) != key->len)
        return cfail (c, AT "a dict key holds a NUL character", v->pos, OPN (v)), NULL;
      if (g_hash_table_lookup_extended (slot_of, key->str, NULL, &slot))
        g_array_index (values, guint, GPOINTER_TO_UINT (slot)) = i + 1;
      else
        {
          char *k = g_strdup (key->str);
          guint vi = i + 1;
          g_hash_table_insert (slot_of, k, GUINT_TO_POINTER (keys->len));
          g_ptr_array_add (keys, k);
          g_array_append_val (values, vi);
        }
    }
  o = json_object_new ();
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  for (guint s = 0; s < keys->len; s++)
    {
      JsonNode *e = to_json (c, v->items->pdata[g_array_index (values, guint, s)], depth + 1);
      if (!e)
        {
          json_node_unref (node);
          return NULL;
        }
      json_object_set_member (o, keys->pdata[s], e);
    }
  return node;
}

static JsonNode *
to_json (Conv *c, PkVal *v, guint depth)
{
  JsonNode *node;

  if (depth > NL_PICKLE_MAX_DEPTH)
    return cfail (c, AT "the data nests deeper than %d levels",
                  v->pos, OPN (v), NL_PICKLE_MAX_DEPTH), NULL;
  if (v->visiting)
    return cfail (c, AT "%s holds itself (a recursive "
                  "structure), which has no JSON form", v->pos, OPN (v),
                  kind_name (v)), NULL;
  if (!charge (c, v, 8))
    return NULL;
  switch (v->kind)
    {
    case PK_NONE:
      return json_node_new (JSON_NODE_NULL);
    case PK_BOOL:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, v->b);
      return node;
    case PK_INT:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, v->i);
      return node;
    case PK_FLOAT:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, v->f);
      return node;
    case PK_STR:
      if (strlen (v->str.s) != v->str.len)
        return cfail (c, AT "a string holds a NUL character", v->pos, OPN (v)), NULL;
      if (!charge (c, v, (gint64) v->str.len))
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, v->str.s);
      return node;
    case PK_BYTES:
      if (!charge (c, v, (gint64) v->bytes.len))
        return NULL;
      if (g_utf8_validate_len ((const char *) v->bytes.p, v->bytes.len, NULL)
          && !memchr (v->bytes.p, 0, v->bytes.len))
        {
          g_autofree char *s = g_strndup ((const char *) v->bytes.p, v->bytes.len);
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (node, s);
          return node;
        }
      else
        {
          JsonArray *a = json_array_sized_new ((guint) MIN (v->bytes.len, 1u << 20));
          if (!charge (c, v, 8 * (gint64) v->bytes.len))
            {
              json_array_unref (a);
              return NULL;
            }
          for (gsize i = 0; i < v->bytes.len; i++)
            json_array_add_int_element (a, v->bytes.p[i]);
          node = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (node, a);
          return node;
        }
    case PK_LIST: case PK_TUPLE: case PK_SET: case PK_FROZENSET:
      {
        JsonArray *a = json_array_sized_new (v->items->len);
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, a);
        v->visiting = TRUE;
        for (guint i = 0; i < v->items->len; i++)
          {
            JsonNode *e = to_json (c, v->items->pdata[i], depth + 1);
            if (!e)
              {
                v->visiting = FALSE;
                json_node_unref (node);
                return NULL;
              }
            json_array_add_element (a, e);
          }
        v->visiting = FALSE;
        return node;
      }
    case PK_DICT:
      {
        v->visiting = TRUE;
        node = dict_json (c, v, depth);
        v->visiting = FALSE;
        return node;
      }
    case PK_DTYPE:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, dtype_str (&v->dtype));
      return node;
    case PK_NDARRAY:
      {
        v->visiting = TRUE;
        node = ndarray_json (c, v, depth);
        v->visiting = FALSE;
        return node;
      }
    case PK_GLOBAL:
    default:
      return cfail (c, AT "the data holds a reference to %s (a class or function), which has "
                    "no JSON form", v->pos, OPN (v), global_name (v->global)), NULL;
    }
}

/* ---------------------------------------------------------------------------------------- */

JsonNode *
nl_pickle_decode (const guint8  *data,
                  gsize          len,
                  const char    *display_name,
                  GError       **error)
{
  Dec d = { 0 };
  PkVal *result = NULL;
  JsonNode *root = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  d.data = data ? data : (const guint8 *) "";
  d.len = len;
  d.name = display_name ? display_name : "pickle";
  d.blocks = g_ptr_array_new ();
  d.stack = g_ptr_array_new ();
  d.marks = g_array_new (FALSE, FALSE, sizeof (guint));
  d.memo = g_hash_table_new (g_direct_hash, g_direct_equal);

  if (len < 2 || data[0] != OP_PROTO || data[1] < 2)
    {
      d.op = -1;
      fail (&d, "not a pickle of protocol 2 or newer (NetPyNE's saveData writes protocol 4 "
            "or 5; re-save older pickles with a newer protocol)");
    }
  else
    while (!result && step (&d, &result))
      ;

  if (result)
    {
      /* 8 × what the file could hold without sharing (one node a byte), plus room for small files. */
      Conv c = { d.name, 64 * (gint64) MIN (len, (gsize) G_MAXINT64 / 128) + (1 << 20), NULL };
      root = to_json (&c, result, 0);
      if (!root)
        g_propagate_error (error, c.error);
    }
  else
    g_propagate_error (error, g_steal_pointer (&d.error));

  g_clear_error (&d.error);
  g_hash_table_unref (d.memo);
  g_array_unref (d.marks);
  g_ptr_array_unref (d.stack);
  arena_free (&d);
  return root;
}

JsonNode *
nl_pickle_load (const char  *filename,
                GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) map = g_mapped_file_new (filename, FALSE, &local);

  if (!map)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local->code), "%s: %s", filename,
                   local->message);
      return NULL;
    }
  return nl_pickle_decode ((const guint8 *) g_mapped_file_get_contents (map),
                           g_mapped_file_get_length (map), filename, error);
}
