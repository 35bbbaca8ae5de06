/* libFuzzer target: NetPyNE results JSON (sim.saveData layout) on arbitrary bytes. Loading
 * either fails with a GError or gives results whose spikes are sorted and whose traces hold
 * what they claim. */

#include <nl-json.h>
#include <nl-results-read.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlJsonDoc) doc = nl_json_doc_new_from_data ((const char *) data, size, "fuzz.json", NULL, NULL, &error);
  g_autoptr(NlResults) r = NULL;

  if (!doc)
    return 0;
  r = nl_netpyne_json_read_node (nl_json_doc_get_root (doc), "fuzz.json", &error);
  if (!r)
    {
      if (!error)
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
  return 0;
}
