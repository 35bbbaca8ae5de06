/* nl-netpyne-pickle-read.c — NetPyNE's sim.saveData pickle (savePickle) into NlResults: the
 * pickle decoded as data (nl-pickle.h), then read as the JSON layout it mirrors. */
#include "nl-results-read.h"

#include "nl-pickle.h"

NlResults *
nl_netpyne_pickle_read (const char  *filename,
                        GError     **error)
{
  g_autoptr(JsonNode) root = nl_pickle_load (filename, error);
  NlResults *r;

  if (!root)
    return NULL;
  r = nl_netpyne_json_read_node (root, filename, error);
  if (r)
    json_object_set_string_member (nl_results_get_meta (r), "format", "netpyne-pickle");
  return r;
}
