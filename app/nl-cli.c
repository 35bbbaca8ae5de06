#include "nl-cli.h"

#include <gio/gio.h>
#include <stdio.h>

gboolean
nl_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("netloom: %s\nTry 'netloom %s --help'.\n", error->message,
                  *argc > 0 ? (*argv)[0] : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_cli_write_output (const char  *output,
                     const char  *data,
                     gsize        len,
                     GError     **error)
{
  if (output && !g_str_equal (output, "-"))
    return g_file_set_contents_full (output, data, len,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0644, error);
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write to standard output");
      return FALSE;
    }
  return TRUE;
}
