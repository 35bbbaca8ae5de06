/* libFuzzer target: the pickle decoder (data/nl-pickle.c) on arbitrary bytes, then NetPyNE's
 * results reader on whatever decodes. Decoding either fails with a GError or gives a tree;
 * reading it either fails with a GError or gives spikes sorted by time. */

#include <nl-pickle.h>
#include <nl-results-read.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = nl_pickle_decode (data, size, "fuzz.pkl", &error);
  g_autoptr(NlResults) r = NULL;

  if (!root)
    {
      if (!error)
        __builtin_trap ();
      return 0;
    }
  if (error)
    __builtin_trap ();
  /* The tree is real JSON: it serialises. */
  g_autofree char *text = json_to_string (root, FALSE);
  if (!text)
    __builtin_trap ();
  r = nl_netpyne_json_read_node (root, "fuzz.pkl", &error);
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
  return 0;
}
