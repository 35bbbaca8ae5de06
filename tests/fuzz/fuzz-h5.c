/* libFuzzer target: NetLoom's native .h5 on arbitrary bytes. The input goes to a temporary
 * file and through the lazy reader (open, spike ranges, one cell's spikes, traces, LFP,
 * spec, network) and nl_h5_read_results. Each call either fails with a GError or gives what
 * it promises: spikes in time order within the range asked, traces of the length claimed,
 * network indices within their tables. Crashes inside libhdf5 itself are out of scope
 * (CONTRACTS.md); the code that walks its objects is in. */

#include <nl-h5.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
input_path (void)
{
  static char *path;
  if (!path)
    {
      int fd = g_file_open_tmp ("fuzz-h5-XXXXXX.h5", &path, NULL);
      if (fd < 0)
        __builtin_trap ();
      close (fd);
    }
  return path;
}

static void
check (gboolean ok, GError **error)
{
  /* A failure always says why. */
  if (!ok && (!error || !*error))
    __builtin_trap ();
  g_clear_error (error);
}

static void
lazy (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlH5File) f = nl_h5_open (path, &error);
  if (!f)
    {
      check (FALSE, &error);
      return;
    }
  guint64 n = nl_h5_get_n_spikes (f);
  double *t = NULL;
  guint32 *g = NULL;
  guint64 m = 0;
  if (nl_h5_read_spikes_range (f, 1.0, 50.0, &t, &g, &m, &error))
    {
      if (m > n)
        __builtin_trap ();
      for (guint64 i = 0; i < m; i++)
        if (!(t[i] >= 1.0 && t[i] < 50.0) || (i > 0 && t[i - 1] > t[i]))
          __builtin_trap ();
    }
  else
    check (FALSE, &error);
  g_free (t);
  g_free (g);
  for (guint32 gid = 0; gid < 4; gid++)
    {
      t = NULL;
      if (nl_h5_read_spikes_of_gid (f, gid, &t, &m, &error))
        {
          if (m > n)
            __builtin_trap ();
          for (guint64 i = 1; i < m; i++)
            if (t[i - 1] > t[i])
              __builtin_trap ();
        }
      else
        check (FALSE, &error);
      g_free (t);
    }
  for (guint k = 0; k < MIN (nl_h5_get_n_traces (f), 4u); k++)
    {
      guint nc;
      const guint32 *gids = nl_h5_get_trace_gids (f, k, &nc);
      if (nc && !gids)
        __builtin_trap ();
      for (guint c = 0; c < MIN (nc, 4u); c++)
        {
          double *v = NULL;
          guint64 ns = 0;
          if (nl_h5_read_trace (f, k, c, &v, &ns, &error))
            {
              if (ns > nl_h5_get_trace_n_samples (f, k) || (ns && !v))
                __builtin_trap ();
            }
          else
            check (FALSE, &error);
          g_free (v);
        }
    }
  double *lfp = NULL;
  check (nl_h5_read_lfp (f, &lfp, &error), &error);
  g_free (lfp);
  char *spec = nl_h5_read_spec_json (f, &error);
  if (!spec)
    g_clear_error (&error);
  g_free (spec);
  NlH5Network *net = nl_h5_read_network (f, &error);
  if (net)
    {
      for (guint64 i = 0; i < net->conns.n; i++)
        if (net->conns.pre[i] >= net->n_cells || net->conns.post[i] >= net->n_cells)
          __builtin_trap ();
      for (guint i = 0; i < net->n_cells; i++)
        if (net->cell_pop[i] >= net->n_pops)
          __builtin_trap ();
      nl_h5_network_free (net);
    }
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path = input_path ();
  g_autoptr(GError) error = NULL;

  FILE *out = fopen (path, "wb");
  if (!out)
    return 0;
  gboolean written = fwrite (data, 1, size, out) == size;
  if (fclose (out) != 0 || !written)
    return 0;
  lazy (path);
  g_autoptr(NlResults) r = nl_h5_read_results (path, &error);
  if (!r)
    {
      check (FALSE, &error);
      return 0;
    }
  const double *t = nl_results_get_spike_times (r);
  for (guint64 i = 1; i < nl_results_get_n_spikes (r); i++)
    if (t[i - 1] > t[i])
      __builtin_trap ();
  for (guint k = 0; k < nl_results_get_n_traces (r); k++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (r, k); c++)
      {
        guint64 n;
        const double *v = nl_results_get_trace_values (r, k, c, NULL, &n);
        if (n && !v)
          __builtin_trap ();
      }
  return 0;
}
