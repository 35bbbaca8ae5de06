/* nl-cli.h — the `netloom` command line: one function per sub-command. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes (CONTRACTS.md). */
enum {
  NL_EXIT_OK = 0,
  NL_EXIT_INVALID = 1,
  NL_EXIT_USAGE = 2,
  NL_EXIT_RUNTIME = 3,
  NL_EXIT_CANCELLED = 130,
};

typedef int (*NlCliCommand) (int argc, char **argv);

int  nl_cmd_check        (int argc, char **argv);
int  nl_cmd_build        (int argc, char **argv);
int  nl_cmd_run          (int argc, char **argv);
int  nl_cmd_info         (int argc, char **argv);

/* Parses `argc/argv` with `entries`; on a usage error prints it with the help hint and
 * returns FALSE. */
gboolean nl_cli_parse    (GOptionContext *context,
                          int            *argc,
                          char         ***argv);
/* Writes to stdout, or to FILE atomically when `output` is set. */
gboolean nl_cli_write_output (const char  *output,
                              const char  *data,
                              gsize        len,
                              GError     **error);

G_END_DECLS
