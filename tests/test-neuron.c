/* sim/nl-neuron: the real nrniv is found and reports its version. */

#include <nl-neuron.h>
#include <stdlib.h>

#include "nl-testutil.h"

static void
test_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autofree char *version = NULL;

  if (!nrniv)
    {
      g_test_skip ("nrniv is not installed");
      return;
    }
  version = nl_neuron_version (&error);
  g_assert_no_error (error);
  /* Debian 12 ships NEURON 8.2.2; any 8.x or later speaks the HOC NetLoom generates. */
  g_assert_true (g_regex_match_simple ("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$", version, 0, 0));
  g_assert_cmpint (atoi (version), >=, 8);
}

static void
test_override (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  g_setenv ("NETLOOM_NRNIV", "/nonexistent/nrniv", TRUE);
  version = nl_neuron_version (&error);
  g_assert_null (version);
  g_assert_nonnull (error);
  g_unsetenv ("NETLOOM_NRNIV");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/neuron/version", test_version);
  g_test_add_func ("/neuron/override", test_override);
  return g_test_run ();
}
