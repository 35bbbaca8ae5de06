/* nl-h5-write.c — writing NetLoom's native results file (layout: docs/file-format.md).
 *
 * Big arrays go to libhdf5 as whole columns, or rows, never element by element, and with no
 * chunk cache, so libhdf5 writes them straight from the results' memory to the file.
 * Spikes and traces are stored raw (measured values do not deflate enough to pay for the
 * time); the network's columns (indices, repeated weights) are shuffled and deflated.
 * libhdf5 writes into disk space reserved beforehand (or, where that is impossible, builds
 * the file in memory): it must never meet a full disk (see nl_h5_write_mode). */
#define _GNU_SOURCE   /* fallocate */
#include "nl-h5.h"
#include "nl-h5-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <nl-config.h>
#include <nl-json.h>
#include <nl-network-private.h>   /* the name lists' lengths */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  const char *filename;   /* the target, for messages */
  GError    **error;
  gboolean    failed;
  char       *why;        /* libhdf5's reason, taken right after the call that failed (any
                             later API call clears its error stack) */
  int         code;
} W;

static void
w_capture (W *w)
{
  g_autofree char *desc = NULL;
  const char *e;

  if (w->why)
    return;
  desc = nl_h5_take_error ();
  if (!desc)
    return;
  /* libhdf5's POSIX driver says "… errno = 28, error message = 'No space left on device', …". */
  w->code = (e = strstr (desc, "errno = ")) ? g_io_error_from_errno (atoi (e + 8)) : G_IO_ERROR_FAILED;
  if ((e = strstr (desc, "error message = '")))
    {
      const char *end = strchr (e + 17, '\'');
      w->why = g_strndup (e + 17, end ? (gsize) (end - e - 17) : strlen (e + 17));
    }
  else
    w->why = g_steal_pointer (&desc);
}

static gboolean
w_fail (W *w, const char *path)
{
  if (w->failed)
    return FALSE;
  w->failed = TRUE;
  w_capture (w);
  g_set_error (w->error, G_IO_ERROR, w->why ? w->code : G_IO_ERROR_FAILED, "%s: cannot write %s%s%s",
               w->filename, path, w->why ? ": " : "", w->why ? w->why : "");
  return FALSE;
}

static hid_t
str_type (size_t len)
{
  hid_t t = H5Tcopy (H5T_C_S1);
  H5Tset_size (t, MAX (len, 1));
  H5Tset_strpad (t, H5T_STR_NULLPAD);
  H5Tset_cset (t, H5T_CSET_UTF8);
  return t;
}

static gboolean
w_attr (W *w, hid_t obj, const char *path, const char *name, hid_t file_type, hid_t mem_type,
        const void *value)
{
  hid_t sp = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (obj, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = a >= 0 ? H5Awrite (a, mem_type, value) : -1;

  if (st < 0)
    w_capture (w);
  if (a >= 0)
    H5Aclose (a);
  H5Sclose (sp);
  if (st < 0)
    {
      g_autofree char *p = g_strdup_printf ("%s attribute '%s'", path, name);
      return w_fail (w, p);
    }
  return TRUE;
}

static gboolean
w_attr_str (W *w, hid_t obj, const char *path, const char *name, const char *value)
{
  size_t len = strlen (value);
  hid_t t = str_type (len);
  g_autofree char *buf = g_malloc0 (MAX (len, 1));
  memcpy (buf, value, len);
  gboolean ok = w_attr (w, obj, path, name, t, t, buf);
  H5Tclose (t);
  return ok;
}

static gboolean
w_attr_f64 (W *w, hid_t obj, const char *path, const char *name, double v)
{
  return w_attr (w, obj, path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

static gboolean
w_attr_u64 (W *w, hid_t obj, const char *path, const char *name, guint64 v)
{
  return w_attr (w, obj, path, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

static hid_t
w_group (W *w, hid_t loc, const char *path, const char *name, gboolean track_order)
{
  hid_t gcpl = H5Pcreate (H5P_GROUP_CREATE), g;
  if (track_order)
    H5Pset_link_creation_order (gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  g = H5Gcreate2 (loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  if (g < 0)
    w_capture (w);
  H5Pclose (gcpl);
  if (g < 0)
    w_fail (w, path);
  return g;
}

/* Creates an n-D dataset (rank ≤ 3): from 64 KiB on, chunked in about NL_H5_CHUNK_BYTES
 * along the last dimensions (and compressed when asked); smaller or empty ones contiguous. */
static hid_t
w_create (W *w, hid_t loc, const char *path, const char *name, hid_t file_type, int rank,
          const hsize_t *dims, gboolean compress, const char *units)
{
  hid_t space = H5Screate_simple (rank, dims, NULL);
  hid_t dcpl = H5Pcreate (H5P_DATASET_CREATE), ds;
  size_t elem = H5Tget_size (file_type);
  gboolean empty = FALSE;

  double bytes = (double) elem;
  for (int i = 0; i < rank; i++)
    {
      empty |= dims[i] == 0;
      bytes *= (double) dims[i];
    }
  /* Small datasets are contiguous: a chunk index would outweigh them. */
  if (!empty && bytes >= 65536)
    {
      hsize_t chunk[3];
      hsize_t budget = MAX (NL_H5_CHUNK_BYTES / elem, 1);
      for (int i = rank - 1; i >= 0; i--)
        {
          chunk[i] = MIN (dims[i], budget);
          budget = MAX (budget / chunk[i], 1);
        }
      H5Pset_chunk (dcpl, rank, chunk);
      if (compress)
        {
          H5Pset_shuffle (dcpl);
          H5Pset_deflate (dcpl, 1);
        }
    }
  /* No chunk cache: whole chunks and uncompressed parts of chunks (a trace's row) go
   * straight from the caller's memory to the file. */
  hid_t dapl = H5Pcreate (H5P_DATASET_ACCESS);
  H5Pset_chunk_cache (dapl, 0, 0, 1.0);
  ds = H5Dcreate2 (loc, name, file_type, space, H5P_DEFAULT, dcpl, dapl);
  if (ds < 0)
    w_capture (w);
  H5Pclose (dapl);
  H5Pclose (dcpl);
  H5Sclose (space);
  if (ds < 0)
    {
      w_fail (w, path);
      return -1;
    }
  if (units && !w_attr_str (w, ds, path, "units", units))
    {
      H5Dclose (ds);
      return -1;
    }
  return ds;
}

/* Writes the block [start, start + count) of a dataset from contiguous memory. */
static gboolean
w_block (W *w, hid_t ds, const char *path, int rank, const hsize_t *start, const hsize_t *count,
         hid_t mem_type, const void *data)
{
  hid_t fspace = H5Dget_space (ds), mspace = H5Screate_simple (rank, count, NULL);
  herr_t st = H5Sselect_hyperslab (fspace, H5S_SELECT_SET, start, NULL, count, NULL);
  if (st >= 0)
    st = H5Dwrite (ds, mem_type, mspace, fspace, H5P_DEFAULT, data);
  if (st < 0)
    w_capture (w);
  H5Sclose (mspace);
  H5Sclose (fspace);
  return st >= 0 || w_fail (w, path);
}

/* A whole dataset written at once. */
static gboolean
w_array (W *w, hid_t loc, const char *path, const char *name, hid_t file_type, hid_t mem_type,
         int rank, const hsize_t *dims, const void *data, gboolean compress, const char *units)
{
  hid_t ds = w_create (w, loc, path, name, file_type, rank, dims, compress, units);
  herr_t st = 0;
  gboolean empty = FALSE;

  if (ds < 0)
    return FALSE;
  for (int i = 0; i < rank; i++)
    empty |= dims[i] == 0;
  if (!empty)
    st = H5Dwrite (ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  if (st < 0)
    w_capture (w);
  H5Dclose (ds);
  return st >= 0 || w_fail (w, path);
}

static gboolean
w_column (W *w, hid_t loc, const char *path, const char *name, hid_t file_type, hid_t mem_type,
          const void *data, guint64 n, gboolean compress, const char *units)
{
  hsize_t dims[1] = { n };
  return w_array (w, loc, path, name, file_type, mem_type, 1, dims, data, compress, units);
}

/* Fixed-length UTF-8 strings, as long as the longest (NULL entries are written as ""). */
static gboolean
w_strings (W *w, hid_t loc, const char *path, const char *name, const char *const *v, guint n)
{
  size_t width = 1;
  for (guint i = 0; i < n; i++)
    width = MAX (width, v[i] ? strlen (v[i]) : 0);
  g_autofree char *buf = g_malloc0 (MAX (n, 1) * width);
  for (guint i = 0; i < n; i++)
    if (v[i])
      memcpy (buf + i * width, v[i], strlen (v[i]));
  hid_t t = str_type (width);
  hsize_t dims[1] = { n };
  gboolean ok = w_array (w, loc, path, name, t, t, 1, dims, buf, FALSE, NULL);
  H5Tclose (t);
  return ok;
}

/* One text (JSON) as a scalar fixed-length string dataset. */
static gboolean
w_text (W *w, hid_t loc, const char *path, const char *name, const char *text, gsize len)
{
  hid_t t = str_type (len), sp = H5Screate (H5S_SCALAR), ds;
  herr_t st = -1;
  ds = H5Dcreate2 (loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (ds < 0)
    w_capture (w);
  if (ds >= 0)
    {
      st = H5Dwrite (ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, len ? text : "");
      if (st < 0)
        w_capture (w);
      if (st >= 0 && !w_attr_str (w, ds, path, "content_type", "application/json"))
        st = -1;
      H5Dclose (ds);
    }
  H5Sclose (sp);
  H5Tclose (t);
  return st >= 0 || w_fail (w, path);
}

/* Root attributes and /meta. */
static gboolean
write_meta (W *w, hid_t file, NlResults *r)
{
  JsonObject *all = nl_results_get_meta (r);
  guint32 version = NL_H5_FORMAT_VERSION;
  /* Everything but "format": that says what a file was read from, and a reader of this
   * file sets it to "netloom-h5". */
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (all);
  for (GList *l = members; l; l = l->next)
    if (!g_str_equal (l->data, "format"))
      json_object_set_member (meta, l->data, json_node_copy (json_object_get_member (all, l->data)));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  if (!w_attr (w, file, "/", "netloom_format", H5T_STD_U32LE, H5T_NATIVE_UINT32, &version)
      || !w_attr_str (w, file, "/", "netloom_version", NL_VERSION)
      || !w_attr_u64 (w, file, "/", "n_cells", nl_results_get_n_cells (r))
      || !w_attr_f64 (w, file, "/", "duration_ms", nl_results_get_duration (r))
      || !w_attr_str (w, file, "/", "created", created))
    return FALSE;

  hid_t g = w_group (w, file, "/meta", "meta", FALSE);
  if (g < 0)
    return FALSE;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), meta);
  gsize len = 0;
  g_autofree char *text = nl_json_to_string (node, -1, &len);
  gboolean ok = w_text (w, g, "/meta/json", "json", text, len);
  /* The scalar facts also as attributes, for h5dump and h5py users; readers use the JSON. */
  g_autoptr(GList) keys = json_object_get_members (meta);
  for (GList *l = keys; l && ok; l = l->next)
    {
      JsonNode *v = json_object_get_member (meta, l->data);
      if (!JSON_NODE_HOLDS_VALUE (v) || strlen (l->data) > 255)
        continue;
      GType type = json_node_get_value_type (v);
      if (type == G_TYPE_STRING && strlen (json_node_get_string (v)) <= 4096)
        ok = w_attr_str (w, g, "/meta", l->data, json_node_get_string (v));
      else if (type == G_TYPE_INT64)
        {
          gint64 i = json_node_get_int (v);
          ok = w_attr (w, g, "/meta", l->data, H5T_STD_I64LE, H5T_NATIVE_INT64, &i);
        }
      else if (type == G_TYPE_DOUBLE)
        ok = w_attr_f64 (w, g, "/meta", l->data, json_node_get_double (v));
      else if (type == G_TYPE_BOOLEAN)
        {
          guint8 b = json_node_get_boolean (v);
          ok = w_attr (w, g, "/meta", l->data, H5T_STD_U8LE, H5T_NATIVE_UINT8, &b);
        }
    }
  H5Gclose (g);
  return ok;
}

static gboolean
write_spec (W *w, hid_t file, NlSpec *spec)
{
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), o);
  json_object_set_object_member (o, "netParams", json_object_ref (nl_spec_get_net_params (spec)));
  if (nl_spec_has_sim_config (spec))
    json_object_set_object_member (o, "simConfig", json_object_ref (nl_spec_get_sim_config (spec)));
  gsize len = 0;
  g_autofree char *text = nl_json_to_string (root, -1, &len);
  return w_text (w, file, "/spec", "spec", text, len);
}

static gboolean
write_pops (W *w, hid_t file, NlResults *r)
{
  guint n = nl_results_get_n_pops (r);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree guint64 *offsets = g_new (guint64, n + 1);
  guint64 total = 0;
  gboolean ok;

  offsets[0] = 0;
  for (guint p = 0; p < n; p++)
    {
      guint k;
      names[p] = nl_results_get_pop_name (r, p);
      nl_results_get_pop_gids (r, p, &k);
      total += k;
      offsets[p + 1] = total;
    }
  g_autofree guint32 *gids = g_new (guint32, MAX (total, 1));
  for (guint p = 0; p < n; p++)
    {
      guint k;
      const guint32 *g = nl_results_get_pop_gids (r, p, &k);
      memcpy (gids + offsets[p], g, k * sizeof (guint32));
    }
  hid_t grp = w_group (w, file, "/pops", "pops", FALSE);
  if (grp < 0)
    return FALSE;
  ok = w_strings (w, grp, "/pops/names", "names", names, n)
       && w_column (w, grp, "/pops/offsets", "offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, offsets, n + 1, FALSE, NULL)
       && w_column (w, grp, "/pops/gids", "gids", H5T_STD_U32LE, H5T_NATIVE_UINT32, gids, total, TRUE, NULL);
  H5Gclose (grp);
  return ok;
}

/* The spike positions grouped by gid (ascending within a gid) and each gid's first entry: a
 * stable counting sort in two passes (gid / 1024, then gid % 1024), so that every pass
 * writes to a few streams and stays in the cache, not one random write per spike. */
#define LOW_BITS 10

static void
by_gid_order (const guint32 *g, guint64 n, guint64 n_gids, guint64 *offsets, guint32 *order)
{
  guint64 n_hi = (n_gids >> LOW_BITS) + 1;
  g_autofree guint64 *start = g_new0 (guint64, n_hi + 1);
  g_autofree guint32 *tmp_i = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *tmp_g = g_new (guint32, MAX (n, 1));
  guint64 cnt[1u << LOW_BITS];

  for (guint64 i = 0; i < n; i++)
    start[(g[i] >> LOW_BITS) + 1]++;
  for (guint64 b = 0; b < n_hi; b++)
    start[b + 1] += start[b];
  {
    g_autofree guint64 *next = g_memdup2 (start, n_hi * sizeof (guint64));
    for (guint64 i = 0; i < n; i++)
      {
        guint64 at = next[g[i] >> LOW_BITS]++;
        tmp_i[at] = (guint32) i;
        tmp_g[at] = g[i];
      }
  }
  offsets[0] = 0;
  for (guint64 b = 0; b < n_hi; b++)
    {
      guint64 lo = b << LOW_BITS, width = MIN ((guint64) 1 << LOW_BITS, n_gids - MIN (lo, n_gids));
      memset (cnt, 0, sizeof cnt);
      for (guint64 k = start[b]; k < start[b + 1]; k++)
        cnt[tmp_g[k] & ((1u << LOW_BITS) - 1)]++;
      /* cnt becomes each gid's next slot. */
      guint64 at = start[b];
      for (guint64 j = 0; j < width; j++)
        {
          guint64 c = cnt[j];
          cnt[j] = at;
          at += c;
          offsets[lo + j + 1] = at;
        }
      for (guint64 k = start[b]; k < start[b + 1]; k++)
        order[cnt[tmp_g[k] & ((1u << LOW_BITS) - 1)]++] = tmp_i[k];
    }
}

typedef struct {
  const guint32 *g;
  guint64        n, n_gids;
  guint64       *offsets;   /* n_gids + 1 */
  void          *order;     /* guint32, or guint64 when there are 2^32 spikes or more */
} OrderJob;

static gpointer
order_job (gpointer data)
{
  OrderJob *j = data;
  if (j->n > G_MAXUINT32)
    {
      guint64 *order = j->order;
      for (guint64 i = 0; i < j->n; i++)
        j->offsets[j->g[i] + 1]++;
      for (guint64 k = 0; k < j->n_gids; k++)
        j->offsets[k + 1] += j->offsets[k];
      g_autofree guint64 *next = g_memdup2 (j->offsets, j->n_gids * sizeof (guint64));
      for (guint64 i = 0; i < j->n; i++)
        order[next[j->g[i]]++] = i;
    }
  else
    by_gid_order (j->g, j->n, j->n_gids, j->offsets, j->order);
  return NULL;
}

static gboolean
write_spikes (W *w, hid_t file, NlResults *r)
{
  guint64 n = nl_results_get_n_spikes (r);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint64 n_gids = nl_results_get_n_cells (r);
  gboolean ok, wide = n > G_MAXUINT32;
  OrderJob job = { g, n, 0, NULL, NULL };
  GThread *thread = NULL;
  hid_t grp, by;

  /* The per-cell index: spike positions sorted by gid, computed on a second core while the
   * columns are written. Left out when the gids are so sparse that the offsets would
   * outweigh the spikes. */
  for (guint64 i = 0; i < n; i++)
    n_gids = MAX (n_gids, (guint64) g[i] + 1);
  if (n_gids <= MAX (16 * n, 1u << 20))
    {
      job.n_gids = n_gids;
      job.offsets = g_new0 (guint64, n_gids + 1);
      job.order = g_malloc (MAX (n, 1) * (wide ? 8 : 4));
      thread = n > 100000 ? g_thread_new ("nl-h5-order", order_job, &job) : (order_job (&job), NULL);
    }

  grp = w_group (w, file, "/spikes", "spikes", FALSE);
  ok = grp >= 0
       && w_attr_str (w, grp, "/spikes", "sorting", "by_time")
       && w_column (w, grp, "/spikes/t", "t", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, t, n, FALSE, "ms")
       && w_column (w, grp, "/spikes/gid", "gid", H5T_STD_U32LE, H5T_NATIVE_UINT32, g, n, FALSE, NULL);
  if (thread)
    g_thread_join (thread);
  if (ok && job.order)
    {
      by = w_group (w, grp, "/spikes/by_gid", "by_gid", FALSE);
      ok = by >= 0
           && w_column (w, by, "/spikes/by_gid/order", "order", wide ? H5T_STD_U64LE : H5T_STD_U32LE,
                        wide ? H5T_NATIVE_UINT64 : H5T_NATIVE_UINT32, job.order, n, FALSE, NULL)
           && w_column (w, by, "/spikes/by_gid/offsets", "offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                        job.offsets, n_gids + 1, FALSE, NULL);
      if (by >= 0)
        H5Gclose (by);
    }
  g_free (job.offsets);
  g_free (job.order);
  if (grp >= 0)
    H5Gclose (grp);
  return ok;
}

/* A link name for any trace name ('/' and '%' escaped; the real name is an attribute). */
static char *
link_name (const char *name)
{
  char *esc = g_uri_escape_string (name, "!$&'()*+,;=:@ ", TRUE);
  if (esc[0] == '\0' || g_str_equal (esc, ".") || g_str_equal (esc, ".."))
    {
      g_free (esc);
      esc = g_strdup_printf ("%%2E%s", name);
    }
  return esc;
}

/* Whether t[i] == t0 + i·dt exactly, so readers may use t0/dt alone. */
static gboolean
uniform_time (const double *t, guint64 n, double *t0, double *dt)
{
  if (n < 2)
    return FALSE;
  *t0 = t[0];
  *dt = t[1] - t[0];
  for (guint64 i = 0; i < n; i++)
    if (t[i] != *t0 + (double) i * *dt)
      return FALSE;
  return TRUE;
}

static gboolean
write_trace (W *w, hid_t traces, NlResults *r, guint k, hid_t *time_ds)
{
  const char *name = nl_results_get_trace_name (r, k);
  guint nc = nl_results_get_trace_n_cells (r, k);
  g_autofree char *lname = link_name (name);
  g_autofree char *path = g_strdup_printf ("/traces/%s", lname);
  g_autofree char *dpath = g_strconcat (path, "/data", NULL);
  g_autofree guint32 *gids = g_new (guint32, MAX (nc, 1));
  g_autofree guint64 *lengths = g_new (guint64, MAX (nc, 1));
  guint64 width = 0, n_t = 0;
  gboolean ragged = FALSE, ok;
  const double *t = nl_results_get_trace_time (r, &n_t);
  hid_t grp, ds;

  for (guint c = 0; c < nc; c++)
    {
      nl_results_get_trace_values (r, k, c, &gids[c], &lengths[c]);
      width = MAX (width, lengths[c]);
    }
  for (guint c = 0; c < nc; c++)
    ragged |= lengths[c] != width;

  grp = w_group (w, traces, path, lname, FALSE);
  if (grp < 0)
    return FALSE;
  ok = w_attr_str (w, grp, path, "name", name)
       && w_column (w, grp, path, "gids", H5T_STD_U32LE, H5T_NATIVE_UINT32, gids, nc, FALSE, NULL);
  if (ok && ragged)
    ok = w_column (w, grp, path, "lengths", H5T_STD_U64LE, H5T_NATIVE_UINT64, lengths, nc, FALSE, NULL);
  /* The shared time base: stored once, hard-linked into every trace. */
  if (ok && t && n_t > 0)
    {
      if (*time_ds < 0)
        {
          double t0, dt;
          g_autofree char *tpath = g_strconcat (path, "/t", NULL);
          *time_ds = w_create (w, grp, tpath, "t", H5T_IEEE_F64LE, 1, (hsize_t[]) { n_t }, FALSE, "ms");
          ok = *time_ds >= 0
               && H5Dwrite (*time_ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) >= 0;
          if (!ok)
            w_capture (w);
          if (!ok)
            w_fail (w, tpath);
          if (ok && uniform_time (t, n_t, &t0, &dt))
            ok = w_attr_f64 (w, *time_ds, tpath, "t0_ms", t0) && w_attr_f64 (w, *time_ds, tpath, "dt_ms", dt);
        }
      else if (H5Lcreate_hard (*time_ds, ".", grp, "t", H5P_DEFAULT, H5P_DEFAULT) < 0)
        ok = w_fail (w, path);
    }
  if (!ok)
    {
      H5Gclose (grp);
      return FALSE;
    }

  /* cells × samples, one row at a time from the trace's own memory (NaN-padded when
   * shorter than the longest). */
  hsize_t dims[2] = { nc, width };
  ds = w_create (w, grp, dpath, "data", H5T_IEEE_F64LE, 2, dims, FALSE, NULL);
  if (ds < 0)
    {
      H5Gclose (grp);
      return FALSE;
    }
  g_autofree double *pad = NULL;
  for (guint c = 0; c < nc && width > 0 && ok; c++)
    {
      guint64 len;
      const double *v = nl_results_get_trace_values (r, k, c, NULL, &len);
      if (len < width)
        {
          if (!pad)
            pad = g_new (double, width);
          memcpy (pad, v, len * sizeof (double));
          for (guint64 j = len; j < width; j++)
            pad[j] = NAN;
          v = pad;
        }
      ok = w_block (w, ds, dpath, 2, (hsize_t[]) { c, 0 }, (hsize_t[]) { 1, width }, H5T_NATIVE_DOUBLE, v);
    }
  H5Dclose (ds);
  H5Gclose (grp);
  return ok;
}

static gboolean
write_traces (W *w, hid_t file, NlResults *r)
{
  guint n = nl_results_get_n_traces (r);
  hid_t grp, time_ds = -1;
  gboolean ok = TRUE;

  if (n == 0)
    return TRUE;
  grp = w_group (w, file, "/traces", "traces", TRUE);
  if (grp < 0)
    return FALSE;
  for (guint k = 0; k < n && ok; k++)
    ok = write_trace (w, grp, r, k, &time_ds);
  if (time_ds >= 0)
    H5Dclose (time_ds);
  H5Gclose (grp);
  return ok;
}

static gboolean
write_lfp (W *w, hid_t file, NlResults *r)
{
  guint64 ns = 0;
  guint ne = 0, nxyz = 0, np = nl_results_get_n_lfp_parts (r);
  double dt = NAN;
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);
  const double *xyz = nl_results_get_lfp_electrodes (r, &nxyz);
  gboolean ok = TRUE;
  hid_t grp;

  if (!lfp && !xyz)
    return TRUE;
  grp = w_group (w, file, "/lfp", "lfp", FALSE);
  if (grp < 0)
    return FALSE;
  if (lfp)
    {
      hsize_t dims[2] = { ns, ne };
      ok = w_attr_f64 (w, grp, "/lfp", "dt_ms", dt)
           && w_array (w, grp, "/lfp/data", "data", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims, lfp, FALSE, "mV");
    }
  if (ok && xyz)
    {
      hsize_t dims[2] = { nxyz, 3 };
      ok = w_array (w, grp, "/lfp/electrodes", "electrodes", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims,
                    xyz, FALSE, "um");
    }
  if (ok && lfp && np > 0)
    {
      g_autofree const char **pops = g_new0 (const char *, np + 1);
      g_autofree guint32 *gids = g_new (guint32, np);
      hsize_t dims[3] = { np, ns, ne };
      hid_t ds = w_create (w, grp, "/lfp/parts", "parts", H5T_IEEE_F64LE, 3, dims, FALSE, "mV");
      ok = ds >= 0;
      for (guint i = 0; i < np && ok; i++)
        {
          NlLfpPartKind kind;
          const double *data = nl_results_get_lfp_part (r, i, &kind, &pops[i], &gids[i]);
          if (ns * ne > 0)
            ok = w_block (w, ds, "/lfp/parts", 3, (hsize_t[]) { i, 0, 0 }, (hsize_t[]) { 1, ns, ne },
                          H5T_NATIVE_DOUBLE, data);
        }
      if (ds >= 0)
        H5Dclose (ds);
      ok = ok && w_strings (w, grp, "/lfp/part_pops", "part_pops", pops, np)
           && w_column (w, grp, "/lfp/part_gids", "part_gids", H5T_STD_U32LE, H5T_NATIVE_UINT32, gids, np, FALSE, NULL);
    }
  H5Gclose (grp);
  return ok;
}

/* Connections, as columns written in blocks of whole chunks. */
typedef void (*GetConn) (NlNetwork *net, guint64 index, NlConn *conn);

static void
get_cell_conn (NlNetwork *net, guint64 index, NlConn *conn)
{
  nl_network_get_conn (net, index, conn);
}

static gboolean
write_conns (W *w, hid_t net_grp, const char *gname, NlNetwork *net, guint64 n, GetConn get)
{
  static const struct { const char *name; hid_t *ftype; hid_t *mtype; gsize size; } cols[] = {
    { "pre", &H5T_STD_U32LE_g, &H5T_NATIVE_UINT32_g, 4 },
    { "post", &H5T_STD_U32LE_g, &H5T_NATIVE_UINT32_g, 4 },
    { "weight", &H5T_IEEE_F32LE_g, &H5T_NATIVE_FLOAT_g, 4 },
    { "delay", &H5T_IEEE_F32LE_g, &H5T_NATIVE_FLOAT_g, 4 },
    { "loc", &H5T_IEEE_F32LE_g, &H5T_NATIVE_FLOAT_g, 4 },
    { "rule", &H5T_STD_U16LE_g, &H5T_NATIVE_USHORT_g, 2 },
    { "syn", &H5T_STD_U16LE_g, &H5T_NATIVE_USHORT_g, 2 },
    { "sec", &H5T_STD_U16LE_g, &H5T_NATIVE_USHORT_g, 2 },
  };
  enum { N_COLS = G_N_ELEMENTS (cols) };
  static const char *units[N_COLS] = { NULL, NULL, "uS", "ms", NULL, NULL, NULL, NULL };
  hid_t ds[N_COLS];
  char *paths[N_COLS];
  const guint64 block = 1u << 20;
  gboolean ok = TRUE;
  g_autofree char *gpath = g_strdup_printf ("/network/%s", gname);
  hid_t grp = w_group (w, net_grp, gpath, gname, FALSE);

  if (grp < 0)
    return FALSE;
  ok = w_attr_u64 (w, grp, gpath, "n", n);
  for (guint c = 0; c < N_COLS; c++)
    {
      paths[c] = g_strdup_printf ("%s/%s", gpath, cols[c].name);
      ds[c] = ok ? w_create (w, grp, paths[c], cols[c].name, *cols[c].ftype, 1, (hsize_t[]) { n }, TRUE, units[c]) : -1;
      ok = ok && ds[c] >= 0;
    }
  if (ok && n > 0)
    {
      guint64 nb = MIN (n, block);
      g_autofree guint32 *pre = g_new (guint32, nb), *post = g_new (guint32, nb);
      g_autofree float *weight = g_new (float, nb), *delay = g_new (float, nb), *loc = g_new (float, nb);
      g_autofree guint16 *rule = g_new (guint16, nb), *syn = g_new (guint16, nb), *sec = g_new (guint16, nb);
      const void *bufs[N_COLS] = { pre, post, weight, delay, loc, rule, syn, sec };
      for (guint64 first = 0; first < n && ok; first += block)
        {
          guint64 m = MIN (block, n - first);
          for (guint64 i = 0; i < m; i++)
            {
              NlConn c;
              get (net, first + i, &c);
              pre[i] = c.pre;
              post[i] = c.post;
              weight[i] = c.weight;
              delay[i] = c.delay;
              loc[i] = c.loc;
              rule[i] = c.rule;
              syn[i] = c.syn;
              sec[i] = c.sec;
            }
          for (guint c = 0; c < N_COLS && ok; c++)
            ok = w_block (w, ds[c], paths[c], 1, (hsize_t[]) { first }, (hsize_t[]) { m }, *cols[c].mtype, bufs[c]);
        }
    }
  for (guint c = 0; c < N_COLS; c++)
    {
      if (ds[c] >= 0)
        H5Dclose (ds[c]);
      g_free (paths[c]);
    }
  H5Gclose (grp);
  return ok;
}

static const char **
name_list (NlNetwork *net, NlNameKind kind, guint *n)
{
  /* The public API has no count of names; the network's own list is the whole truth. */
  *n = net->names[kind]->len;
  const char **v = g_new0 (const char *, *n + 1);
  for (guint i = 0; i < *n; i++)
    v[i] = net->names[kind]->pdata[i];
  return v;
}

static gboolean
write_network (W *w, hid_t file, NlNetwork *net)
{
  guint nc = nl_network_get_n_cells (net), np = nl_network_get_n_pops (net), nr = nl_network_get_n_rules (net);
  guint ns = nl_network_get_n_stims (net), n_syn, n_sec;
  gboolean ok;
  hid_t grp = w_group (w, file, "/network", "network", FALSE), sub;

  if (grp < 0)
    return FALSE;
  ok = w_attr_u64 (w, grp, "/network", "n_cells", nc)
       && w_attr_u64 (w, grp, "/network", "n_conns", nl_network_get_n_conns (net))
       && w_attr_u64 (w, grp, "/network", "n_stim_conns", nl_network_get_n_stim_conns (net));

  /* Populations. */
  if (ok && (sub = w_group (w, grp, "/network/pops", "pops", FALSE)) >= 0)
    {
      g_autofree const char **names = g_new0 (const char *, np + 1);
      g_autofree const char **types = g_new0 (const char *, np + 1);
      g_autofree const char **models = g_new0 (const char *, np + 1);
      g_autofree guint32 *first = g_new (guint32, np + 1), *count = g_new (guint32, np + 1);
      g_autofree gint32 *rule = g_new (gint32, np + 1);
      g_autofree guint8 *art = g_new (guint8, np + 1);
      for (guint p = 0; p < np; p++)
        {
          const NlNetPop *pop = nl_network_get_pop (net, p);
          names[p] = pop->name;
          types[p] = pop->cell_type;
          models[p] = pop->cell_model;
          first[p] = pop->first;
          count[p] = pop->n_cells;
          rule[p] = pop->cell_rule;
          art[p] = pop->artificial;
        }
      ok = w_strings (w, sub, "/network/pops/names", "names", names, np)
           && w_strings (w, sub, "/network/pops/cell_types", "cell_types", types, np)
           && w_strings (w, sub, "/network/pops/cell_models", "cell_models", models, np)
           && w_column (w, sub, "/network/pops/first", "first", H5T_STD_U32LE, H5T_NATIVE_UINT32, first, np, FALSE, NULL)
           && w_column (w, sub, "/network/pops/n_cells", "n_cells", H5T_STD_U32LE, H5T_NATIVE_UINT32, count, np, FALSE, NULL)
           && w_column (w, sub, "/network/pops/cell_rule", "cell_rule", H5T_STD_I32LE, H5T_NATIVE_INT32, rule, np, FALSE, NULL)
           && w_column (w, sub, "/network/pops/artificial", "artificial", H5T_STD_U8LE, H5T_NATIVE_UINT8, art, np, FALSE, NULL);
      H5Gclose (sub);
    }
  else
    ok = FALSE;

  /* Cells. */
  if (ok && (sub = w_group (w, grp, "/network/cells", "cells", FALSE)) >= 0)
    {
      static const char *coord_names[NL_N_COORDS] = { "x", "y", "z", "xnorm", "ynorm", "znorm" };
      g_autofree guint32 *gid = g_new (guint32, MAX (nc, 1)), *pop = g_new (guint32, MAX (nc, 1));
      for (guint i = 0; i < nc; i++)
        {
          gid[i] = i;
          pop[i] = nl_network_cell_pop (net, i);
        }
      ok = w_column (w, sub, "/network/cells/gid", "gid", H5T_STD_U32LE, H5T_NATIVE_UINT32, gid, nc, TRUE, NULL)
           && w_column (w, sub, "/network/cells/pop", "pop", H5T_STD_U32LE, H5T_NATIVE_UINT32, pop, nc, TRUE, NULL);
      for (guint c = 0; c < NL_N_COORDS && ok; c++)
        {
          g_autofree char *path = g_strdup_printf ("/network/cells/%s", coord_names[c]);
          const double *v = nl_network_get_coords (net, c);
          g_autofree double *zeros = v ? NULL : g_new0 (double, MAX (nc, 1));
          ok = w_column (w, sub, path, coord_names[c], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v ? v : zeros, nc,
                         FALSE, c < NL_COORD_XNORM ? "um" : NULL);
        }
      H5Gclose (sub);
    }
  else
    ok = FALSE;

  /* Names: rules, synaptic mechanisms, sections, cell rules. */
  if (ok && (sub = w_group (w, grp, "/network/rules", "rules", FALSE)) >= 0)
    {
      g_autofree const char **labels = g_new0 (const char *, nr + 1);
      g_autofree const char **sources = g_new0 (const char *, nr + 1);
      g_autofree const char **stypes = g_new0 (const char *, nr + 1);
      g_autofree guint8 *kind = g_new (guint8, nr + 1), *ptr = g_new (guint8, nr + 1), *bidi = g_new (guint8, nr + 1);
      for (guint i = 0; i < nr; i++)
        {
          const NlNetRule *rule = nl_network_get_rule (net, i);
          labels[i] = rule->label;
          sources[i] = rule->source;
          stypes[i] = rule->source_type;
          kind[i] = rule->kind;
          ptr[i] = rule->pointer;
          bidi[i] = rule->bidirectional;
        }
      ok = w_strings (w, sub, "/network/rules/labels", "labels", labels, nr)
           && w_column (w, sub, "/network/rules/kind", "kind", H5T_STD_U8LE, H5T_NATIVE_UINT8, kind, nr, FALSE, NULL)
           && w_strings (w, sub, "/network/rules/sources", "sources", sources, nr)
           && w_strings (w, sub, "/network/rules/source_types", "source_types", stypes, nr)
           && w_column (w, sub, "/network/rules/pointer", "pointer", H5T_STD_U8LE, H5T_NATIVE_UINT8, ptr, nr, FALSE, NULL)
           && w_column (w, sub, "/network/rules/bidirectional", "bidirectional", H5T_STD_U8LE, H5T_NATIVE_UINT8, bidi, nr, FALSE, NULL);
      H5Gclose (sub);
    }
  else
    ok = FALSE;
  if (ok)
    {
      g_autofree const char **syn = name_list (net, NL_NAME_SYN_MECH, &n_syn);
      g_autofree const char **sec = name_list (net, NL_NAME_SEC, &n_sec);
      guint n_cr = nl_network_get_n_cell_rules (net);
      g_autofree const char **cr = g_new0 (const char *, n_cr + 1);
      for (guint i = 0; i < n_cr; i++)
        cr[i] = nl_network_get_cell_rule (net, i);
      ok = w_strings (w, grp, "/network/syn_mechs", "syn_mechs", syn, n_syn)
           && w_strings (w, grp, "/network/secs", "secs", sec, n_sec)
           && w_strings (w, grp, "/network/cell_rules", "cell_rules", cr, n_cr);
    }

  ok = ok && write_conns (w, grp, "conns", net, nl_network_get_n_conns (net), get_cell_conn)
       && write_conns (w, grp, "stim_conns", net, nl_network_get_n_stim_conns (net), nl_network_get_stim_conn);

  /* Stimuli. */
  if (ok && (sub = w_group (w, grp, "/network/stims", "stims", FALSE)) >= 0)
    {
      g_autofree guint32 *cell = g_new (guint32, MAX (ns, 1));
      g_autofree guint16 *rule = g_new (guint16, MAX (ns, 1)), *sec = g_new (guint16, MAX (ns, 1));
      g_autofree float *loc = g_new (float, MAX (ns, 1));
      for (guint i = 0; i < ns; i++)
        {
          NlNetStim s;
          nl_network_get_stim (net, i, &s);
          cell[i] = s.cell;
          rule[i] = s.rule;
          sec[i] = s.sec;
          loc[i] = s.loc;
        }
      ok = w_column (w, sub, "/network/stims/cell", "cell", H5T_STD_U32LE, H5T_NATIVE_UINT32, cell, ns, TRUE, NULL)
           && w_column (w, sub, "/network/stims/rule", "rule", H5T_STD_U16LE, H5T_NATIVE_USHORT, rule, ns, TRUE, NULL)
           && w_column (w, sub, "/network/stims/sec", "sec", H5T_STD_U16LE, H5T_NATIVE_USHORT, sec, ns, TRUE, NULL)
           && w_column (w, sub, "/network/stims/loc", "loc", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, loc, ns, TRUE, NULL);
      H5Gclose (sub);
    }
  else
    ok = FALSE;

  /* VecStim trains. */
  if (ok)
    {
      g_autofree guint64 *off = g_new (guint64, nc + 1);
      guint64 total = 0;
      off[0] = 0;
      for (guint i = 0; i < nc; i++)
        {
          guint k = 0;
          nl_network_get_spike_times (net, i, &k);
          total += k;
          off[i + 1] = total;
        }
      if (total > 0 && (sub = w_group (w, grp, "/network/vecstim", "vecstim", FALSE)) >= 0)
        {
          g_autofree double *times = g_new (double, total);
          for (guint i = 0; i < nc; i++)
            {
              guint k = 0;
              const double *v = nl_network_get_spike_times (net, i, &k);
              if (k)
                memcpy (times + off[i], v, k * sizeof (double));
            }
          ok = w_column (w, sub, "/network/vecstim/offsets", "offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64, off, nc + 1, TRUE, NULL)
               && w_column (w, sub, "/network/vecstim/times", "times", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, times, total, FALSE, "ms");
          H5Gclose (sub);
        }
      else if (total > 0)
        ok = FALSE;
    }
  H5Gclose (grp);
  return ok;
}

/* What the reader checks, checked before anything is written: gids below n_cells (when
 * known). */
static gboolean
check_results (const char *filename, NlResults *r, GError **error)
{
  guint n_cells = nl_results_get_n_cells (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  const char *what = NULL;
  guint32 bad_gid = 0;

  if (n_cells == 0)
    return TRUE;
  for (guint64 i = 0; i < nl_results_get_n_spikes (r) && !what; i++)
    if (g[i] >= n_cells)
      what = "a spike", bad_gid = g[i];
  for (guint p = 0; p < nl_results_get_n_pops (r) && !what; p++)
    {
      guint n;
      const guint32 *pg = nl_results_get_pop_gids (r, p, &n);
      for (guint i = 0; i < n && !what; i++)
        if (pg[i] >= n_cells)
          what = "a population", bad_gid = pg[i];
    }
  for (guint k = 0; k < nl_results_get_n_traces (r) && !what; k++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (r, k) && !what; c++)
      {
        guint32 gid;
        guint64 ns;
        nl_results_get_trace_values (r, k, c, &gid, &ns);
        if (gid >= n_cells)
          what = "a trace", bad_gid = gid;
      }
  if (!what)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: not written: %s has gid %u, but "
               "the results have %u cells (gids 0 … %u)", filename, what, bad_gid, n_cells, n_cells - 1);
  return FALSE;
}

static gboolean
fsync_dir (const char *filename)
{
  g_autofree char *dir = g_path_get_dirname (filename);
  int fd = open (dir, O_RDONLY);
  if (fd < 0)
    return FALSE;
  fsync (fd);
  close (fd);
  return TRUE;
}

/* Fixed-width string columns: the longest × the count. */
static guint64
strings_bytes (const char *const *v, guint n)
{
  gsize width = 1;
  for (guint i = 0; i < n; i++)
    width = MAX (width, v[i] ? strlen (v[i]) : 0);
  return (guint64) width * n;
}

/* An upper bound of the file's size: every dataset's raw bytes, deflate's worst-case growth,
 * and generous room for libhdf5's metadata (object headers, chunk indices, heaps). */
static guint64
upper_bound (NlResults *r, NlSpec *spec, NlNetwork *net)
{
  guint64 n = nl_results_get_n_spikes (r), raw = 0, objects = 32, ns = 0;
  guint np = nl_results_get_n_pops (r), ne = 0, nlp = nl_results_get_n_lfp_parts (r), nxyz = 0;
  double dt;

  raw += 16 * n + 8 * ((guint64) nl_results_get_n_cells (r) + 2) + 8 * (np + 1);
  for (guint p = 0; p < np; p++)
    {
      guint k;
      nl_results_get_pop_gids (r, p, &k);
      raw += 4 * (guint64) k + strlen (nl_results_get_pop_name (r, p)) + 1;
    }
  /* The per-gid offsets, as long as the largest gid. */
  const guint32 *g = nl_results_get_spike_gids (r);
  guint32 max_gid = 0;
  for (guint64 i = 0; i < n; i++)
    max_gid = MAX (max_gid, g[i]);
  raw += 8 * ((guint64) max_gid + 2) + (n > G_MAXUINT32 ? 4 * n : 0);
  for (guint k = 0; k < nl_results_get_n_traces (r); k++)
    {
      guint64 width = 0;
      guint nc = nl_results_get_trace_n_cells (r, k);
      for (guint c = 0; c < nc; c++)
        {
          guint64 len;
          nl_results_get_trace_values (r, k, c, NULL, &len);
          width = MAX (width, len);
        }
      raw += 8 * width * nc + 12 * (guint64) nc + 3 * strlen (nl_results_get_trace_name (r, k));
      objects += 6;
    }
  nl_results_get_trace_time (r, &ns);
  raw += 8 * ns;
  nl_results_get_lfp (r, &ns, &ne, &dt);
  nl_results_get_lfp_electrodes (r, &nxyz);
  raw += 8 * ns * ne * (1 + nlp) + 24 * (guint64) nxyz + 4 * (guint64) nlp;
  for (guint i = 0; i < nlp; i++)
    {
      const char *pop;
      nl_results_get_lfp_part (r, i, NULL, &pop, NULL);
      raw += (pop ? strlen (pop) : 0) + 1;
    }
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), nl_results_get_meta (r));
    gsize len = 0;
    g_autofree char *text = nl_json_to_string (node, -1, &len);
    raw += 2 * len;
  }
  if (spec)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), nl_spec_get_net_params (spec));
      g_autoptr(JsonNode) cfg = json_node_init_object (json_node_alloc (), nl_spec_get_sim_config (spec));
      gsize a = 0, b = 0;
      g_free (nl_json_to_string (node, -1, &a));
      g_free (nl_json_to_string (cfg, -1, &b));
      raw += 2 * (a + b) + 64;
    }
  if (net)
    {
      guint nc = nl_network_get_n_cells (net), npop = nl_network_get_n_pops (net), nr = nl_network_get_n_rules (net);
      raw += 26 * (nl_network_get_n_conns (net) + nl_network_get_n_stim_conns (net)) + 56 * (guint64) nc
             + 12 * (guint64) nl_network_get_n_stims (net) + 24 * (guint64) npop + 8 * (guint64) nr;
      for (guint i = 0; i < nc; i++)
        {
          guint k = 0;
          nl_network_get_spike_times (net, i, &k);
          raw += 8 * ((guint64) k + 1);
        }
      g_autofree const char **v = g_new0 (const char *, MAX (npop, nr) + 1);
      for (guint i = 0; i < npop; i++)
        v[i] = nl_network_get_pop (net, i)->name;
      raw += strings_bytes (v, npop);
      for (guint i = 0; i < npop; i++)
        v[i] = nl_network_get_pop (net, i)->cell_type;
      raw += strings_bytes (v, npop);
      for (guint i = 0; i < npop; i++)
        v[i] = nl_network_get_pop (net, i)->cell_model;
      raw += strings_bytes (v, npop);
      for (guint i = 0; i < nr; i++)
        v[i] = nl_network_get_rule (net, i)->label;
      raw += strings_bytes (v, nr);
      for (guint i = 0; i < nr; i++)
        v[i] = nl_network_get_rule (net, i)->source;
      raw += strings_bytes (v, nr);
      for (guint i = 0; i < nr; i++)
        v[i] = nl_network_get_rule (net, i)->source_type;
      raw += strings_bytes (v, nr);
      for (guint k = 0; k < 2; k++)
        raw += strings_bytes ((const char *const *) net->names[k]->pdata, net->names[k]->len);
      raw += strings_bytes ((const char *const *) net->cell_rules->pdata, net->cell_rules->len);
      objects += 48;
    }
  /* Deflate grows incompressible data by at most ~0.03 %; chunk indices take far less than
   * 1 % of 1-MiB chunks; an object header and its index or heap, about 1 KiB. */
  return raw + raw / 50 + objects * 4096 + (64u << 10);
}

/* Writes all of `buf` to `fd`. */
static gboolean
write_all (int fd, const guint8 *buf, gsize len, int *err)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, MIN (len, (gsize) 1 << 30));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *err = n < 0 ? errno : ENOSPC;
          return FALSE;
        }
      buf += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reserves `bytes` of disk for the file without changing its size: 0, or the errno
 * (EOPNOTSUPP where the system or filesystem cannot). */
static int
reserve (int fd, guint64 bytes)
{
#ifdef FALLOC_FL_KEEP_SIZE
  while (fallocate (fd, FALLOC_FL_KEEP_SIZE, 0, (off_t) bytes) != 0)
    if (errno != EINTR)
      return errno;
  return 0;
#else
  (void) fd; (void) bytes;
  return EOPNOTSUPP;
#endif
}

/* Gives back the reservation beyond the end of the finished file: fallocate'd blocks past
 * the end stay allocated until the file is truncated (punching a hole there does not free
 * them on ext4; truncating to the same size does). */
static void
trim_reserve (int fd)
{
  struct stat st;
  if (fstat (fd, &st) == 0)
    while (ftruncate (fd, st.st_size) != 0 && errno == EINTR)
      ;
}

static gboolean
write_content (W *w, hid_t file, NlResults *r, NlSpec *spec, NlNetwork *net)
{
  return write_meta (w, file, r)
         && (!spec || write_spec (w, file, spec))
         && write_pops (w, file, r)
         && write_spikes (w, file, r)
         && write_traces (w, file, r)
         && write_lfp (w, file, r)
         && (!net || write_network (w, file, net));
}

/* The file made in memory (libhdf5's core driver), then written to `fd` by us: for systems
 * where disk space cannot be reserved. */
static gboolean
write_in_memory (W *w, int fd, NlResults *r, NlSpec *spec, NlNetwork *net, guint64 bound)
{
  g_autofree guint8 *image = NULL;
  gssize image_size = 0;
  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS), file;
  int err = 0;

  H5Pset_fapl_core (fapl, CLAMP (bound / 4, 1u << 20, 256u << 20), FALSE);
  H5Pset_fclose_degree (fapl, H5F_CLOSE_STRONG);
  file = H5Fcreate (w->filename, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  if (file < 0)
    return w_fail (w, "the file (in memory)");
  if (write_content (w, file, r, spec, net))
    {
      if (H5Fflush (file, H5F_SCOPE_LOCAL) < 0 || (image_size = H5Fget_file_image (file, NULL, 0)) <= 0)
        w_fail (w, "the file (in memory)");
      else if (!(image = g_try_malloc (image_size)) || H5Fget_file_image (file, image, image_size) != image_size)
        w_fail (w, "the file (out of memory)");
    }
  H5Fclose (file);
  if (w->failed)
    return FALSE;
  if (!write_all (fd, image, image_size, &err))
    {
      g_set_error (w->error, G_IO_ERROR, g_io_error_from_errno (err), "%s: cannot write the file: %s",
                   w->filename, g_strerror (err));
      return w->failed = TRUE, FALSE;
    }
  return TRUE;
}

/* libhdf5 writing to the temporary file itself, into disk space reserved beforehand: libhdf5
 * 1.10 cannot recover from a failed write (a file whose close failed stays half-closed and
 * crashes the process at exit), so it must never meet a full disk. */
static gboolean
write_on_disk (W *w, const char *tmp, int fd, NlResults *r, NlSpec *spec, NlNetwork *net, guint64 bound)
{
  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS), file;
  int err;

  H5Pset_fclose_degree (fapl, H5F_CLOSE_STRONG);
  /* Creating truncates the file, which frees a reservation: reserve after. */
  file = H5Fcreate (tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  if (file < 0)
    return w_fail (w, "the file");
  if ((err = reserve (fd, bound)) != 0)
    g_set_error (w->error, G_IO_ERROR, g_io_error_from_errno (err), "%s: cannot reserve %.1f MB for "
                 "the file: %s", w->filename, bound / 1e6, g_strerror (err)), w->failed = TRUE;
  else if (write_content (w, file, r, spec, net) && H5Fflush (file, H5F_SCOPE_GLOBAL) < 0)
    w_fail (w, "the file (flush)");
  if (H5Fclose (file) < 0)
    w_fail (w, "the file (close)");
  if (!w->failed)
    trim_reserve (fd);
  return !w->failed;
}

gboolean
nl_h5_write_mode (const char  *filename,
                  NlResults   *r,
                  NlSpec      *spec,
                  NlNetwork   *net,
                  gboolean     in_memory,
                  GError     **error)
{
  W w = { filename, error, FALSE, NULL, 0 };
  g_autofree char *dir = NULL, *base = NULL, *tmp = NULL;
  GStatBuf st;
  guint64 bound;
  int fd, err;

  g_return_val_if_fail (filename != NULL && r != NULL, FALSE);
  nl_h5_init ();
  if (!check_results (filename, r, error))
    return FALSE;
  bound = upper_bound (r, spec, net);

  /* A temporary file beside the target, renamed over it once on disk. */
  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  tmp = g_strdup_printf ("%s/.%s.tmp-XXXXXX", dir, base);
  fd = g_mkstemp (tmp);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create a temporary "
                   "file in %s: %s", filename, dir, g_strerror (e));
      return FALSE;
    }
  fchmod (fd, g_stat (filename, &st) == 0 ? (st.st_mode & 07777) : 0644);

  /* Is there room? (Asked before libhdf5 is involved; the reservation itself is made again
   * once libhdf5 has created the file.) */
  err = in_memory ? EOPNOTSUPP : reserve (fd, bound);
  if (err == 0)
    write_on_disk (&w, tmp, fd, r, spec, net, bound);
  else if (err == EOPNOTSUPP || err == ENOSYS || err == EINVAL)
    write_in_memory (&w, fd, r, spec, net, bound);
  else
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: cannot write %.1f MB: %s",
                   filename, bound / 1e6, g_strerror (err));
      w.failed = TRUE;
    }
  g_free (w.why);

  /* On disk before the rename: a crash never leaves a partial file under the name. */
  if (!w.failed && fsync (fd) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write the file: %s",
                   filename, g_strerror (e));
      w.failed = TRUE;
    }
  if (close (fd) != 0 && !w.failed)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot write the file: %s",
                   filename, g_strerror (e));
      w.failed = TRUE;
    }
  if (!w.failed && g_rename (tmp, filename) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot rename %s into place: %s",
                   filename, tmp, g_strerror (e));
      w.failed = TRUE;
    }
  if (w.failed)
    {
      g_unlink (tmp);
      return FALSE;
    }
  fsync_dir (filename);
  return TRUE;
}

gboolean
nl_h5_write (const char  *filename,
             NlResults   *r,
             NlSpec      *spec,
             NlNetwork   *net,
             GError     **error)
{
  return nl_h5_write_mode (filename, r, spec, net, FALSE, error);
}

/* ---- Streaming: spikes appended chunk by chunk, the per-gid index built at the end ----
 *
 * The file is the one nl_h5_write makes for the same results, except that /spikes/t and
 * /spikes/gid are extensible chunked datasets. The disk space libhdf5 writes into is reserved
 * ahead of it, as for nl_h5_write; since the final size is not known, the reservation grows
 * in steps (at least doubling, never less than 64 MiB ahead of what the next write needs),
 * and the writer stops with an error before libhdf5 ever writes past it. Where space cannot be
 * reserved (no fallocate), the free space is checked (statvfs) before each step instead: the
 * same rule, without the guarantee against another program filling the disk meanwhile. */
#include <sys/statvfs.h>

struct _NlH5Writer {
  W        w;
  GError  *err;          /* w.error points here until finish/free */
  char    *filename, *tmp;
  int      fd;
  hid_t    file, spikes, ds_t, ds_gid;
  gboolean can_reserve;
  guint64  reserved;     /* bytes of disk reserved for the file */
  guint64  committed;    /* an upper bound of what libhdf5 may have written so far */
  guint    n_cells;
  guint64  n_spikes;
  guint32  max_gid;
  double   last_t;
  guint32  last_gid;
  NlNetwork *net;
};

/* 512 KiB of times a chunk: small runs waste little in their partly filled last chunk. */
#define STREAM_CHUNK (65536)
#define STREAM_SLACK ((guint64) 64 << 20)

static gboolean
stream_error (NlH5Writer *sw, int err, const char *what, guint64 bytes)
{
  g_set_error (&sw->err, G_IO_ERROR, g_io_error_from_errno (err), "%s: cannot %s %.1f MB for the file: %s",
               sw->filename, what, bytes / 1e6, g_strerror (err));
  sw->w.failed = TRUE;
  return FALSE;
}

/* Makes sure `more` bytes beyond what is committed, and `headroom` beyond those (libhdf5's
 * partly filled last chunks: not accumulated), have disk space reserved. */
static gboolean
stream_room_ahead (NlH5Writer *sw, guint64 more, guint64 headroom)
{
  guint64 need = sw->committed + more;
  if (need + headroom + STREAM_SLACK / 2 <= sw->reserved)
    {
      sw->committed = need;
      return TRUE;
    }
  guint64 want = MAX (2 * sw->reserved, need + headroom + STREAM_SLACK);
  if (sw->can_reserve)
    {
      int err = reserve (sw->fd, want);
      if (err != 0)
        return stream_error (sw, err, "reserve", want);
    }
  else
    {
      struct statvfs vfs;
      GStatBuf st;
      guint64 have;
      if (fstatvfs (sw->fd, &vfs) != 0)
        return stream_error (sw, errno, "check the space for", want);
      have = (guint64) vfs.f_bavail * vfs.f_frsize;
      if (fstat (sw->fd, &st) == 0)
        have += (guint64) st.st_size;
      if (have < need + headroom + STREAM_SLACK / 2)
        return stream_error (sw, ENOSPC, "write", need + headroom);
    }
  sw->reserved = want;
  sw->committed = need;
  return TRUE;
}

static gboolean
stream_room (NlH5Writer *sw, guint64 more)
{
  return stream_room_ahead (sw, more, 0);
}

NlH5Writer *
nl_h5_writer_new (const char  *filename,
                  NlSpec      *spec,
                  NlNetwork   *net,
                  guint        n_cells,
                  GError     **error)
{
  g_autofree char *dir = NULL, *base = NULL;
  GStatBuf st;
  NlH5Writer *sw;
  int err;

  g_return_val_if_fail (filename != NULL, NULL);
  nl_h5_init ();
  sw = g_new0 (NlH5Writer, 1);
  sw->filename = g_strdup (filename);
  sw->w.filename = sw->filename;
  sw->w.error = &sw->err;
  sw->file = sw->spikes = sw->ds_t = sw->ds_gid = -1;
  sw->n_cells = n_cells;
  sw->last_t = -INFINITY;
  sw->net = net ? nl_network_ref (net) : NULL;
  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  sw->tmp = g_strdup_printf ("%s/.%s.tmp-XXXXXX", dir, base);
  sw->fd = g_mkstemp (sw->tmp);
  if (sw->fd < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot create a temporary "
                   "file in %s: %s", filename, dir, g_strerror (e));
      g_clear_pointer (&sw->tmp, g_free);
      nl_h5_writer_free (sw);
      return NULL;
    }
  fchmod (sw->fd, g_stat (filename, &st) == 0 ? (st.st_mode & 07777) : 0644);

  /* What is known now: the model, the network and libhdf5's own structures. */
  {
    g_autoptr(NlResults) none = nl_results_new ();
    sw->committed = upper_bound (none, spec, net);
  }
  err = reserve (sw->fd, sw->committed + STREAM_SLACK);
  sw->can_reserve = err == 0;
  if (err != 0 && err != EOPNOTSUPP && err != ENOSYS && err != EINVAL)
    {
      stream_error (sw, err, "reserve", sw->committed + STREAM_SLACK);
      g_propagate_error (error, g_steal_pointer (&sw->err));
      nl_h5_writer_free (sw);
      return NULL;
    }
  {
    guint64 c = sw->committed;
    sw->committed = 0;
    if (!stream_room (sw, c))
      {
        g_propagate_error (error, g_steal_pointer (&sw->err));
        nl_h5_writer_free (sw);
        return NULL;
      }
  }

  hid_t fapl = H5Pcreate (H5P_FILE_ACCESS);
  H5Pset_fclose_degree (fapl, H5F_CLOSE_STRONG);
  sw->file = H5Fcreate (sw->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  /* Creating truncates, which frees a reservation: reserve again. */
  if (sw->file < 0)
    w_fail (&sw->w, "the file");
  else if (sw->can_reserve && (err = reserve (sw->fd, sw->reserved)) != 0)
    stream_error (sw, err, "reserve", sw->reserved);
  else if (!(spec ? write_spec (&sw->w, sw->file, spec) : TRUE))
    ;
  else if ((sw->spikes = w_group (&sw->w, sw->file, "/spikes", "spikes", FALSE)) >= 0
           && w_attr_str (&sw->w, sw->spikes, "/spikes", "sorting", "by_time"))
    {
      hsize_t zero[1] = { 0 }, unlimited[1] = { H5S_UNLIMITED }, chunk[1] = { STREAM_CHUNK };
      hid_t space = H5Screate_simple (1, zero, unlimited), dcpl = H5Pcreate (H5P_DATASET_CREATE);
      hid_t dapl = H5Pcreate (H5P_DATASET_ACCESS);
      H5Pset_chunk (dcpl, 1, chunk);
      H5Pset_chunk_cache (dapl, 0, 0, 1.0);
      sw->ds_t = H5Dcreate2 (sw->spikes, "t", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, dapl);
      if (sw->ds_t < 0)
        w_fail (&sw->w, "/spikes/t");
      else if (w_attr_str (&sw->w, sw->ds_t, "/spikes/t", "units", "ms"))
        {
          sw->ds_gid = H5Dcreate2 (sw->spikes, "gid", H5T_STD_U32LE, space, H5P_DEFAULT, dcpl, dapl);
          if (sw->ds_gid < 0)
            w_fail (&sw->w, "/spikes/gid");
        }
      H5Pclose (dapl);
      H5Pclose (dcpl);
      H5Sclose (space);
    }
  if (sw->w.failed)
    {
      g_propagate_error (error, g_steal_pointer (&sw->err));
      nl_h5_writer_free (sw);
      return NULL;
    }
  return sw;
}

/* Appends [at, at + n) to a 1-D extensible dataset. */
static gboolean
stream_append (NlH5Writer *sw, hid_t ds, const char *path, guint64 at, guint64 n, hid_t mem_type,
               const void *data)
{
  hsize_t size[1] = { at + n }, start[1] = { at }, count[1] = { n };
  if (H5Dset_extent (ds, size) < 0)
    return w_fail (&sw->w, path);
  return w_block (&sw->w, ds, path, 1, start, count, mem_type, data);
}

gboolean
nl_h5_writer_add_spikes (NlH5Writer     *sw,
                         const double   *t_ms,
                         const guint32  *gids,
                         guint64         n,
                         GError        **error)
{
  g_return_val_if_fail (sw != NULL, FALSE);
  if (sw->w.failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: an earlier write failed", sw->filename);
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  /* What the reader checks, checked before anything is written: order and gids. */
  for (guint64 i = 0; i < n; i++)
    {
      double pt = i ? t_ms[i - 1] : sw->last_t;
      guint32 pg = i ? gids[i - 1] : sw->last_gid;
      gboolean first = i == 0 && sw->n_spikes == 0;
      if (sw->n_cells && gids[i] >= sw->n_cells)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: not written: a spike has gid "
                       "%u, but the results have %u cells (gids 0 … %u)", sw->filename, gids[i], sw->n_cells,
                       sw->n_cells - 1);
          return FALSE;
        }
      if (!isfinite (t_ms[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: not written: spike %"
                       G_GUINT64_FORMAT " (gid %u) has time %g ms, expected a finite number", sw->filename,
                       sw->n_spikes + i, gids[i], t_ms[i]);
          return FALSE;
        }
      if (!first && (t_ms[i] < pt || (t_ms[i] == pt && gids[i] < pg)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: spike %" G_GUINT64_FORMAT
                       " (t = %g ms, gid %u) comes before the one written before it: spikes must be "
                       "added sorted by (time, gid)", sw->filename, sw->n_spikes + i, t_ms[i], gids[i]);
          return FALSE;
        }
    }
  /* 12 bytes a spike, a chunk of each column beyond, and their chunk index entries. */
  if (!stream_room_ahead (sw, 12 * n + 64 * (n / STREAM_CHUNK + 2), 2 * NL_H5_CHUNK_BYTES))
    {
      g_propagate_error (error, g_steal_pointer (&sw->err));
      return FALSE;
    }
  if (!stream_append (sw, sw->ds_t, "/spikes/t", sw->n_spikes, n, H5T_NATIVE_DOUBLE, t_ms)
      || !stream_append (sw, sw->ds_gid, "/spikes/gid", sw->n_spikes, n, H5T_NATIVE_UINT32, gids))
    {
      g_propagate_error (error, g_steal_pointer (&sw->err));
      return FALSE;
    }
  for (guint64 i = 0; i < n; i++)
    sw->max_gid = MAX (sw->max_gid, gids[i]);
  sw->n_spikes += n;
  sw->last_t = t_ms[n - 1];
  sw->last_gid = gids[n - 1];
  return TRUE;
}

/* Reads /spikes/gid [first, first + n). */
static gboolean
stream_read_gids (NlH5Writer *sw, guint64 first, guint64 n, guint32 *buf)
{
  hsize_t start[1] = { first }, count[1] = { n };
  hid_t fspace = H5Dget_space (sw->ds_gid), mspace = H5Screate_simple (1, count, NULL);
  herr_t st = H5Sselect_hyperslab (fspace, H5S_SELECT_SET, start, NULL, count, NULL);
  if (st >= 0)
    st = H5Dread (sw->ds_gid, H5T_NATIVE_UINT32, mspace, fspace, H5P_DEFAULT, buf);
  H5Sclose (mspace);
  H5Sclose (fspace);
  return st >= 0 || w_fail (&sw->w, "/spikes/gid (reading it back)");
}

/* /spikes/by_gid from the written gid column, read back in chunks: a counting pass gives the
 * offsets, a placement pass the order; only the order (4 bytes a spike; 8 from 2^32 spikes)
 * and the offsets (8 bytes a cell) are held. Same result as by_gid_order: a stable sort. */
static gboolean
stream_by_gid (NlH5Writer *sw)
{
  guint64 n = sw->n_spikes, n_gids = MAX ((guint64) sw->n_cells, n ? (guint64) sw->max_gid + 1 : 0);
  gboolean wide = n > G_MAXUINT32, ok = TRUE;
  const guint64 block = 1u << 20;
  hid_t by;

  if (n_gids > MAX (16 * n, 1u << 20))
    return TRUE;
  if (!stream_room_ahead (sw, (wide ? 8 : 4) * n + 8 * (n_gids + 1), 2 * NL_H5_CHUNK_BYTES))
    return FALSE;
  g_autofree guint64 *offsets = g_new0 (guint64, n_gids + 1);
  g_autofree void *order = g_try_malloc (MAX (n, 1) * (wide ? 8 : 4));
  g_autofree guint32 *buf = g_new (guint32, MIN (MAX (n, 1), block));
  if (!order)
    {
      g_set_error (&sw->err, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s: out of memory for the per-cell index "
                   "of %" G_GUINT64_FORMAT " spikes", sw->filename, n);
      sw->w.failed = TRUE;
      return FALSE;
    }
  for (guint64 first = 0; first < n && ok; first += block)
    {
      guint64 m = MIN (block, n - first);
      ok = stream_read_gids (sw, first, m, buf);
      for (guint64 i = 0; ok && i < m; i++)
        offsets[buf[i] + 1]++;
    }
  for (guint64 k = 0; k < n_gids; k++)
    offsets[k + 1] += offsets[k];
  {
    g_autofree guint64 *next = g_memdup2 (offsets, MAX (n_gids, 1) * sizeof (guint64));
    for (guint64 first = 0; first < n && ok; first += block)
      {
        guint64 m = MIN (block, n - first);
        ok = stream_read_gids (sw, first, m, buf);
        for (guint64 i = 0; ok && i < m; i++)
          if (wide)
            ((guint64 *) order)[next[buf[i]]++] = first + i;
          else
            ((guint32 *) order)[next[buf[i]]++] = (guint32) (first + i);
      }
  }
  if (!ok)
    return FALSE;
  by = w_group (&sw->w, sw->spikes, "/spikes/by_gid", "by_gid", FALSE);
  ok = by >= 0
       && w_column (&sw->w, by, "/spikes/by_gid/order", "order", wide ? H5T_STD_U64LE : H5T_STD_U32LE,
                    wide ? H5T_NATIVE_UINT64 : H5T_NATIVE_UINT32, order, n, FALSE, NULL)
       && w_column (&sw->w, by, "/spikes/by_gid/offsets", "offsets", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                    offsets, n_gids + 1, FALSE, NULL);
  if (by >= 0)
    H5Gclose (by);
  return ok;
}

gboolean
nl_h5_writer_finish (NlH5Writer  *sw,
                     NlResults   *rest,
                     GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (sw != NULL && rest != NULL, FALSE);
  if (sw->w.failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: an earlier write failed", sw->filename);
      nl_h5_writer_free (sw);
      return FALSE;
    }
  if (nl_results_get_n_spikes (rest) != 0 || nl_results_get_n_cells (rest) != sw->n_cells)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: not written: the results given "
                   "at the end must hold no spikes and %u cells", sw->filename, sw->n_cells);
      nl_h5_writer_free (sw);
      return FALSE;
    }
  if (!check_results (sw->filename, rest, error))
    {
      nl_h5_writer_free (sw);
      return FALSE;
    }
  ok = stream_by_gid (sw);
  H5Dclose (sw->ds_t);
  H5Dclose (sw->ds_gid);
  H5Gclose (sw->spikes);
  sw->ds_t = sw->ds_gid = sw->spikes = -1;
  ok = ok && stream_room (sw, upper_bound (rest, NULL, NULL))
       && write_meta (&sw->w, sw->file, rest)
       && write_pops (&sw->w, sw->file, rest)
       && write_traces (&sw->w, sw->file, rest)
       && write_lfp (&sw->w, sw->file, rest)
       && (!sw->net || write_network (&sw->w, sw->file, sw->net));
  if (ok && H5Fflush (sw->file, H5F_SCOPE_GLOBAL) < 0)
    ok = w_fail (&sw->w, "the file (flush)");
  if (H5Fclose (sw->file) < 0)
    ok = w_fail (&sw->w, "the file (close)");
  sw->file = -1;
  if (ok && sw->can_reserve)
    trim_reserve (sw->fd);
  if (ok && fsync (sw->fd) != 0)
    ok = stream_error (sw, errno, "write", sw->committed);
  if (close (sw->fd) != 0 && ok)
    ok = stream_error (sw, errno, "write", sw->committed);
  sw->fd = -1;
  if (ok && g_rename (sw->tmp, sw->filename) != 0)
    {
      int e = errno;
      g_set_error (&sw->err, G_IO_ERROR, g_io_error_from_errno (e), "%s: cannot rename %s into place: %s",
                   sw->filename, sw->tmp, g_strerror (e));
      ok = FALSE;
    }
  if (ok)
    {
      fsync_dir (sw->filename);
      g_clear_pointer (&sw->tmp, g_free);
    }
  else
    g_propagate_error (error, g_steal_pointer (&sw->err));
  nl_h5_writer_free (sw);
  return ok;
}

guint64
nl_h5_writer_get_n_spikes (NlH5Writer *sw)
{
  return sw->n_spikes;
}

void
nl_h5_writer_free (NlH5Writer *sw)
{
  if (!sw)
    return;
  if (sw->ds_t >= 0)
    H5Dclose (sw->ds_t);
  if (sw->ds_gid >= 0)
    H5Dclose (sw->ds_gid);
  if (sw->spikes >= 0)
    H5Gclose (sw->spikes);
  if (sw->file >= 0)
    H5Fclose (sw->file);
  if (sw->fd >= 0)
    close (sw->fd);
  if (sw->tmp)
    g_unlink (sw->tmp);
  g_clear_error (&sw->err);
  g_clear_pointer (&sw->net, nl_network_unref);
  g_free (sw->w.why);
  g_free (sw->tmp);
  g_free (sw->filename);
  g_free (sw);
}
