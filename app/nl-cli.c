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

void
nl_cli_print_problems (GPtrArray *problems,
                       gboolean   notes)
{
  nl_problems_sort (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      const NlProblem *p = problems->pdata[i];
      if (p->severity == NL_SEVERITY_NOTE && !notes)
        continue;
      g_autofree char *line = nl_problem_to_string (p);
      /* Raw UTF-8, not g_printerr: in the C locale GLib would turn µm into ?m. */
      fprintf (stderr, "%s\n", line);
    }
}

NlNetwork *
nl_cli_build_model (char                 **files,
                    guint                  n_files,
                    const NlBuildOptions  *options,
                    const char            *command,
                    NlSpec               **spec_out,
                    int                   *status)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = nl_spec_load ((const char *const *) files, n_files, problems, NULL);
  g_autoptr(GError) error = NULL;
  NlNetwork *net;

  *status = NL_EXIT_INVALID;
  if (!spec || nl_spec_validate (spec, problems) > 0)
    {
      nl_cli_print_problems (problems, FALSE);
      return NULL;
    }
  g_ptr_array_set_size (problems, 0);
  net = nl_build_network (spec, options, problems, &error);
  nl_cli_print_problems (problems, FALSE);
  if (!net)
    {
      fprintf (stderr, "netloom %s: %s\n", command, error->message);
      return NULL;
    }
  *status = NL_EXIT_OK;
  *spec_out = g_steal_pointer (&spec);
  return net;
}

guint64 *
nl_cli_conns_in (NlNetwork *net)
{
  guint n_pops = nl_network_get_n_pops (net);
  guint64 *conns_in = g_new0 (guint64, MAX (n_pops, 1));

  for (guint p = 0; p < n_pops; p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
        {
          guint64 first;
          conns_in[p] += nl_network_conns_of_cell (net, g, &first);
        }
    }
  return conns_in;
}

void
nl_cli_add_counts (JsonBuilder *b,
                   NlNetwork   *net)
{
  json_builder_set_member_name (b, "cells");
  json_builder_add_int_value (b, nl_network_get_n_cells (net));
  json_builder_set_member_name (b, "conns");
  json_builder_add_int_value (b, nl_network_get_n_conns (net));
  json_builder_set_member_name (b, "stim_conns");
  json_builder_add_int_value (b, nl_network_get_n_stim_conns (net));
}

void
nl_cli_add_pop_counts (JsonBuilder   *b,
                       NlNetwork     *net,
                       guint          pop,
                       const guint64 *conns_in)
{
  json_builder_set_member_name (b, "cells");
  json_builder_add_int_value (b, nl_network_get_pop (net, pop)->n_cells);
  json_builder_set_member_name (b, "conns_in");
  json_builder_add_int_value (b, conns_in[pop]);
}

gboolean
nl_cli_parse_columns (const char *spec, int *t_col, int *gid_col)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  guint64 a, b;

  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, 10000, &a, NULL)
      || !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 10000, &b, NULL) || a == b)
    return FALSE;
  *t_col = (int) a - 1;
  *gid_col = (int) b - 1;
  return TRUE;
}

void
nl_cli_append_double (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", v));
}
