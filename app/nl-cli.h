/* nl-cli.h — the `netloom` command line: one function per sub-command. */
#pragma once

#include <json-glib/json-glib.h>
#include <nl-build.h>

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
int  nl_cmd_convert      (int argc, char **argv);
int  nl_cmd_analyze      (int argc, char **argv);
int  nl_cmd_plot         (int argc, char **argv);

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

/* --columns T,GID: two different column numbers counted from 1, as 0-based indices. */
gboolean nl_cli_parse_columns (const char  *spec,
                               int         *t_col,
                               int         *gid_col);
/* A number as CSV outputs print it: %.17g, '.' whatever the locale. */
void     nl_cli_append_double (GString     *s,
                               double       v);

/* Problems to stderr (notes too when `notes`), sorted. */
void       nl_cli_print_problems (GPtrArray          *problems,
                                  gboolean            notes);
/* Loads MODEL…, validates it and builds its network, printing problems; on failure returns
 * NULL with the exit status in *status. */
NlNetwork *nl_cli_build_model    (char              **files,
                                  guint               n_files,
                                  const NlBuildOptions *options,
                                  const char         *command,
                                  NlSpec            **spec_out,
                                  int                *status);
/* NetCons onto each population, indexed like the network's populations. */
guint64   *nl_cli_conns_in       (NlNetwork          *net);
/* CONTRACTS.md's build counts: the top-level keys, and a population's keys (inside its
 * object). */
void       nl_cli_add_counts     (JsonBuilder        *b,
                                  NlNetwork          *net);
void       nl_cli_add_pop_counts (JsonBuilder        *b,
                                  NlNetwork          *net,
                                  guint               pop,
                                  const guint64      *conns_in);

G_END_DECLS
