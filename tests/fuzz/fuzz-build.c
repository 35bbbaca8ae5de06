/* libFuzzer target: load, validate and — when valid — build arbitrary models, with limits on
 * the network's size so the fuzzer explores rules rather than memory. Whatever the input,
 * the build either succeeds or fails with a GError; it never crashes. */

#include <nl-build.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = nl_spec_load_from_data ((const char *) data, size, problems, &error);
  NlBuildOptions options = { .n_threads = 1, .max_cells = 2000, .max_conns = 200000 };
  g_autoptr(NlNetwork) net = NULL;

  if (!spec || nl_spec_validate (spec, problems) > 0)
    return 0;
  /* Long simulated durations make long VecStim trains: keep them short here. */
  if (nl_spec_get_double (spec, "simConfig.duration", 1000) > 1e5)
    return 0;
  net = nl_build_network (spec, &options, problems, &error);
  if (!net && !error)
    __builtin_trap ();
  if (net)
    for (guint64 i = 0; i < nl_network_get_n_conns (net); i++)
      {
        NlConn c;
        nl_network_get_conn (net, i, &c);
        if (c.post >= nl_network_get_n_cells (net) || !(c.delay >= 0))
          __builtin_trap ();
      }
  return 0;
}
