/* libFuzzer target: NetPyNE MAT (5 and 7.3) and hdf5storage results files on arbitrary
 * bytes. matio and libhdf5 read from a path, so each input is written to a temporary file
 * and read through nl_results_read's dispatch. Reading either fails with a GError that names
 * the file, or gives results whose spikes are sorted and whose traces and LFP parts hold what
 * they claim. Crashes inside libhdf5 or matio themselves are out of scope (CONTRACTS.md);
 * the format checks and object walking around them are in. */

#include <nl-results-read.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
scratch_path (void)
{
  static char *path;
  if (!path)
    {
      const char *dir = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
      path = g_strdup_printf ("%s/netloom-fuzz-mat-%d.bin", dir, (int) getpid ());
    }
  return path;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  const char *path = scratch_path ();

  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return 0;
  r = nl_results_read (path, &error);
  g_unlink (path);
  if (!r)
    {
      if (!error || !g_str_has_prefix (error->message, path))
        __builtin_trap ();
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
  guint64 ns;
  guint ne;
  double dt;
  const double *lfp = nl_results_get_lfp (r, &ns, &ne, &dt);
  volatile double sum = 0;
  for (guint i = 0; lfp && i < nl_results_get_n_lfp_parts (r); i++)
    {
      const double *p = nl_results_get_lfp_part (r, i, NULL, NULL, NULL);
      for (guint64 k = 0; k < ns * ne; k++)
        sum += p[k];   /* every part has the LFP's shape: ASan checks the reads */
    }
  return 0;
}
