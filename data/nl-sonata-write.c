#include "nl-results-write.h"

#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

/* SONATA spikes writer; the node id rule is described in nl-results-write.h. */

typedef struct {
  const char *name;
  guint       index;     /* results population, or G_MAXUINT for "all" */
  GArray     *spikes;    /* guint64 spike indices, time-ordered */
  guint64     offset;    /* node id = gid − offset */
} OutPop;

static int
compare_pop_name (gconstpointer a, gconstpointer b)
{
  return strcmp (((const OutPop *) a)->name, ((const OutPop *) b)->name);
}

static int
compare_u64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

/* Populations to write, in name order, with their spikes and offsets; *keeps_gids says
 * whether the reader's rule gives the gids back. */
static GArray *
plan (NlResults *r, gboolean *keeps_gids)
{
  GArray *pops = g_array_new (FALSE, TRUE, sizeof (OutPop));
  guint n_pops = nl_results_get_n_pops (r);
  guint64 n = nl_results_get_n_spikes (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  g_autofree int *pop_of = g_new (int, MAX (n, 1));
  gboolean all = n_pops == 0;

  for (guint64 i = 0; i < n && !all; i++)
    if ((pop_of[i] = nl_results_find_pop_of_gid (r, g[i])) < 0)
      all = TRUE;
  *keeps_gids = TRUE;
  if (all)
    {
      OutPop p = { "all", G_MAXUINT, g_array_sized_new (FALSE, FALSE, sizeof (guint64), n), 0 };
      for (guint64 i = 0; i < n; i++)
        g_array_append_val (p.spikes, i);
      g_array_append_val (pops, p);
      return pops;
    }
  for (guint k = 0; k < n_pops; k++)
    {
      OutPop p = { nl_results_get_pop_name (r, k), k, g_array_new (FALSE, FALSE, sizeof (guint64)), 0 };
      g_array_append_val (pops, p);
    }
  g_array_sort (pops, compare_pop_name);
  g_autofree guint *slot = g_new (guint, n_pops);
  for (guint k = 0; k < n_pops; k++)
    slot[g_array_index (pops, OutPop, k).index] = k;
  for (guint64 i = 0; i < n; i++)
    g_array_append_val (g_array_index (pops, OutPop, slot[pop_of[i]]).spikes, i);

  /* The inverse of nl_sonata_read: offset_k = 1 + the largest spiking gid before. */
  guint64 offset = 0;
  for (guint k = 0; k < pops->len && *keeps_gids; k++)
    {
      OutPop *p = &g_array_index (pops, OutPop, k);
      guint64 lo = G_MAXUINT64, hi = 0;
      for (guint i = 0; i < p->spikes->len; i++)
        {
          guint32 gid = g[g_array_index (p->spikes, guint64, i)];
          lo = MIN (lo, gid);
          hi = MAX (hi, gid);
        }
      p->offset = offset;
      if (p->spikes->len == 0)
        continue;
      if (lo < offset)
        *keeps_gids = FALSE;
      offset = hi + 1;
    }
  if (!*keeps_gids)
    /* SONATA's convention: node ids count from 0 in each population. */
    for (guint k = 0; k < pops->len; k++)
      {
        OutPop *p = &g_array_index (pops, OutPop, k);
        guint ng;
        const guint32 *gids = nl_results_get_pop_gids (r, p->index, &ng);
        guint32 lo = G_MAXUINT32;
        for (guint i = 0; i < ng; i++)
          lo = MIN (lo, gids[i]);
        p->offset = ng ? lo : 0;
      }
  return pops;
}

static void
free_plan (GArray *pops)
{
  for (guint k = 0; k < pops->len; k++)
    g_array_unref (g_array_index (pops, OutPop, k).spikes);
  g_array_unref (pops);
}

gboolean
nl_sonata_write_keeps_gids (NlResults *r)
{
  /* Every population carries its gids (netloom_gids): NetLoom reads them back exactly;
   * other SONATA readers see node ids counted from 0 in each population. */
  return TRUE;
}

static herr_t
string_attr (hid_t obj, const char *name, const char *value)
{
  hid_t type = H5Tcopy (H5T_C_S1), space = H5Screate (H5S_SCALAR), attr;
  herr_t st = -1;
  H5Tset_size (type, H5T_VARIABLE);
  H5Tset_cset (type, H5T_CSET_ASCII);
  attr = H5Acreate2 (obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attr >= 0)
    {
      st = H5Awrite (attr, type, &value);
      H5Aclose (attr);
    }
  H5Sclose (space);
  H5Tclose (type);
  return st;
}

static herr_t
vector (hid_t group, const char *name, hid_t file_type, hid_t mem_type, const void *data,
        hsize_t n, hid_t *ds_out)
{
  hsize_t dims[1] = { n };
  hid_t space = H5Screate_simple (1, dims, NULL);
  hid_t ds = H5Dcreate2 (group, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t st = -1;
  if (ds >= 0)
    {
      st = n > 0 ? H5Dwrite (ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
      if (ds_out && st >= 0)
        *ds_out = ds;
      else
        H5Dclose (ds);
    }
  H5Sclose (space);
  return st;
}

gboolean
nl_sonata_write (NlResults   *r,
                 const char  *filename,
                 GError     **error)
{
  const double *t = nl_results_get_spike_times (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  gboolean keeps, ok = FALSE;
  GArray *pops;
  hid_t fapl, file = -1, spikes = -1;
  const char *what = "cannot create the HDF5 file in memory";
  g_autofree guint8 *image = NULL;
  gssize image_size = 0;

  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  pops = plan (r, &keeps);

  /* The file is built in memory (HDF5's core driver) and its image then written through
   * the same atomic stream as the text formats: libhdf5 never writes to disk itself, so a
   * full disk cannot leave it with a half-closed file (which crashes it at exit). */
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  H5Pset_fapl_core (fapl, 1 << 20, 0);
  file = H5Fcreate (filename, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose (fapl);
  if (file < 0)
    goto out;
  what = "cannot write the root attributes";
  {
    guint32 magic = 0x0A7A, version[2] = { 0, 1 };
    hsize_t two = 2;
    hid_t sp = H5Screate (H5S_SCALAR), a = H5Acreate2 (file, "magic", H5T_STD_U32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a >= 0 ? H5Awrite (a, H5T_NATIVE_UINT32, &magic) : -1;
    if (a >= 0) H5Aclose (a);
    H5Sclose (sp);
    if (st < 0)
      goto out;
    sp = H5Screate_simple (1, &two, NULL);
    a = H5Acreate2 (file, "version", H5T_STD_U32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    st = a >= 0 ? H5Awrite (a, H5T_NATIVE_UINT32, version) : -1;
    if (a >= 0) H5Aclose (a);
    H5Sclose (sp);
    if (st < 0)
      goto out;
  }
  what = "cannot create /spikes";
  spikes = H5Gcreate2 (file, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (spikes < 0)
    goto out;
  for (guint k = 0; k < pops->len; k++)
    {
      OutPop *p = &g_array_index (pops, OutPop, k);
      guint n = p->spikes->len;
      g_autofree double *pt = g_new (double, MAX (n, 1));
      g_autofree guint64 *pid = g_new (guint64, MAX (n, 1));
      hid_t grp, ts = -1;
      herr_t st;
      /* Node ids count from 0 in each population (SONATA's convention): a gid's position in
       * the population's sorted gids, which go along as netloom_gids so NetLoom reads the
       * same gids back. The population "all" (spikes without populations) keeps its gids. */
      g_autofree guint64 *sorted = NULL;
      guint n_sorted = 0;
      if (p->index != G_MAXUINT)
        {
          const guint32 *pg = nl_results_get_pop_gids (r, p->index, &n_sorted);
          sorted = g_new (guint64, MAX (n_sorted, 1));
          for (guint i = 0; i < n_sorted; i++)
            sorted[i] = pg[i];
          qsort (sorted, n_sorted, sizeof (guint64), compare_u64);
        }
      for (guint i = 0; i < n; i++)
        {
          guint64 s = g_array_index (p->spikes, guint64, i);
          pt[i] = t[s];
          if (sorted)
            {
              guint64 key = g[s];
              guint64 *hit = bsearch (&key, sorted, n_sorted, sizeof (guint64), compare_u64);
              pid[i] = hit ? (guint64) (hit - sorted) : 0;
            }
          else
            pid[i] = g[s];
        }
      what = "cannot write a population";
      grp = H5Gcreate2 (spikes, p->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (grp < 0)
        goto out;
      st = string_attr (grp, "sorting", "by_time");
      if (st >= 0)
        st = vector (grp, "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, pt, n, &ts);
      if (st >= 0)
        {
          st = string_attr (ts, "units", "ms");
          H5Dclose (ts);
        }
      if (st >= 0)
        st = vector (grp, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, pid, n, NULL);
      if (st >= 0 && sorted)
        st = vector (grp, "netloom_gids", H5T_STD_U64LE, H5T_NATIVE_UINT64, sorted, n_sorted, NULL);
      H5Gclose (grp);
      if (st < 0)
        goto out;
    }
  what = "cannot finish the HDF5 file";
  H5Gclose (spikes);
  spikes = -1;
  if (H5Fflush (file, H5F_SCOPE_LOCAL) < 0 || (image_size = H5Fget_file_image (file, NULL, 0)) <= 0)
    goto out;
  image = g_malloc (image_size);
  if (H5Fget_file_image (file, image, image_size) != image_size)
    goto out;
  {
    NlAtomicOut o;
    H5Fclose (file);
    file = -1;
    free_plan (pops);
    pops = NULL;
    if (!nl_atomic_out_open (&o, filename, FALSE, error))
      return FALSE;
    g_output_stream_write_all (o.out, image, image_size, NULL, NULL, &o.error);
    return nl_atomic_out_finish (&o, filename, error);
  }
out:
  if (spikes >= 0)
    H5Gclose (spikes);
  if (file >= 0)
    H5Fclose (file);
  if (pops)
    free_plan (pops);
  if (!ok)
    {
      if (error && !*error)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", filename, what);
    }
  return ok;
}
