/* nl-csv-dir.c — results as a folder of CSV files (CONTRACTS.md `run -o DIR/`): spikes.csv
 * (t_ms,gid) and one <trace>.csv per recorded trace (t_ms,cell_<gid>,…). Each file through
 * NlAtomicOut: temporary name, fsync, rename. */
#include "nl-results-write.h"

#include <glib/gstdio.h>
#include <string.h>

static void
number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
}

static gboolean
write_trace (NlResults *res, guint k, const char *path, GError **error)
{
  NlAtomicOut o;
  guint n_cells = nl_results_get_trace_n_cells (res, k);
  guint64 n_samples = 0;
  const double *tt = nl_results_get_trace_time (res, &n_samples);
  g_autofree const double **cols = g_new0 (const double *, MAX (n_cells, 1));
  g_autofree guint64 *lens = g_new0 (guint64, MAX (n_cells, 1));

  if (!nl_atomic_out_open (&o, path, FALSE, error))
    return FALSE;
  g_string_append (o.buf, "t_ms");
  for (guint c = 0; c < n_cells; c++)
    {
      guint32 g;
      cols[c] = nl_results_get_trace_values (res, k, c, &g, &lens[c]);
      g_string_append_printf (o.buf, ",cell_%u", g);
    }
  g_string_append_c (o.buf, '\n');
  for (guint64 i = 0; i < n_samples; i++)
    {
      number (o.buf, tt[i]);
      for (guint c = 0; c < n_cells; c++)
        {
          g_string_append_c (o.buf, ',');
          /* A shorter trace leaves its cell empty there. */
          if (i < lens[c])
            number (o.buf, cols[c][i]);
        }
      g_string_append_c (o.buf, '\n');
      nl_atomic_out_flush_if (&o, 1 << 20);
    }
  return nl_atomic_out_finish (&o, path, error);
}

gboolean
nl_results_write_csv_dir (NlResults *res, const char *dir, GPtrArray *notes, GError **error)
{
  g_autofree char *spikes = g_build_filename (dir, "spikes.csv", NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the folder", dir);
      return FALSE;
    }
  if (!nl_spikes_csv_write (res, spikes, error))
    return FALSE;
  for (guint k = 0; k < nl_results_get_n_traces (res); k++)
    {
      const char *name = nl_results_get_trace_name (res, k);
      g_autofree char *file = g_strconcat (name, ".csv", NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (g_str_equal (name, "spikes") || strchr (name, '/') || name[0] == '.')
        {
          if (notes)
            g_ptr_array_add (notes, g_strdup_printf ("trace '%s' not written as a file of its own: rename it "
                                                     "(spikes.csv holds the spikes; no '/' or leading '.')", name));
          continue;
        }
      if (!write_trace (res, k, path, error))
        return FALSE;
    }
  return TRUE;
}
