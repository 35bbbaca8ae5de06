#include "nl-config.h"
#include "nl-neuron.h"

#include <gio/gio.h>
#include <string.h>

char *
nl_neuron_find_nrniv (void)
{
  const char *env = g_getenv ("NETLOOM_NRNIV");

  if (env && *env)
    return g_strdup (env);
  if (g_path_is_absolute (NL_NRNIV) && g_file_test (NL_NRNIV, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (NL_NRNIV);
  return g_find_program_in_path ("nrniv");
}

char *
nl_neuron_version (GError **error)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  const char *v;

  if (!nrniv)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "NEURON's nrniv was not found; install Debian's 'neuron' package or set NETLOOM_NRNIV");
      return NULL;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, error,
                           nrniv, "--version", NULL);
  if (!proc || !g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, error))
    return NULL;
  /* "NEURON -- VERSION 8.2.2.dev0 unknown branch …" */
  v = out ? strstr (out, "VERSION ") : NULL;
  if (!v)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s --version printed no version: %s",
                   nrniv, out ? out : "");
      return NULL;
    }
  v += strlen ("VERSION ");
  gsize n = strspn (v, "0123456789.");
  while (n > 0 && v[n - 1] == '.')
    n--;
  return g_strndup (v, n);
}
