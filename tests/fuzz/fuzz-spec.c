/* libFuzzer target: the spec loader and validator on arbitrary bytes. Whatever the input,
 * loading either fails with a GError or gives a spec that validates and writes back. */

#include <nl-json.h>
#include <nl-spec.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data ((const char *) data, size, problems, &error);

  if (spec)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      nl_spec_validate (spec, problems);
      json_node_set_object (node, nl_spec_get_net_params (spec));
      text = nl_json_to_string (node, 4, NULL);
      if (!text)
        __builtin_trap ();
    }
  else if (!error)
    __builtin_trap ();
  for (guint i = 0; i < problems->len; i++)
    g_free (nl_problem_to_string (problems->pdata[i]));
  return 0;
}
