#include "nl-config.h"
#include "nl-cli.h"

#include <nl-results-read.h>
#include <nl-results-write.h>
#include <stdlib.h>
#include <string.h>

/* `netloom convert IN OUT [--to FORMAT] [--columns T,GID]`: a results file in any format
 * NetLoom reads, written in one it writes (CONTRACTS.md "File formats by extension"). */

int
nl_cmd_convert (int argc, char **argv)
{
  g_autofree char *to = NULL, *columns = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      "Output format: netloom-h5, netpyne-json, json.gz, netpyne-mat, csv or sonata (default: from OUT's extension)", "FORMAT" },
    { "columns", 0, 0, G_OPTION_ARG_STRING, &columns,
      "For a spike CSV input: the time and gid columns, counted from 1 (e.g. 2,1)", "T,GID" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("IN OUT — convert a results file");
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GError) error = NULL;
  int t_col = -1, gid_col = -1;

  g_option_context_set_summary (ctx,
    "Reads a results file (NetLoom .h5, NetPyNE JSON/JSON.gz, MAT, HDF5 or pickle, SONATA spikes,\n"
    "spike CSV) and writes it as NetLoom's .h5, NetPyNE JSON (.json, .json.gz), MAT 7.3 (.mat),\n"
    "spike CSV (.csv), SONATA spikes (.sonata.h5), or a folder OUT/ of CSV files (spikes.csv and one\n"
    "CSV per trace).\n"
    "OUT is written to a temporary file and renamed: a failure never leaves a partial OUT and\n"
    "never harms an existing one.\n"
    "Exit status: 0 written, 1 unreadable input, 2 usage, 3 write failure.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!nl_cli_parse (ctx, &argc, &argv))
    return NL_EXIT_USAGE;
  if (!files || g_strv_length (files) != 2)
    {
      g_printerr ("netloom convert: give an input and an output file\nTry 'netloom convert --help'.\n");
      return NL_EXIT_USAGE;
    }
  if (columns && !nl_cli_parse_columns (columns, &t_col, &gid_col))
    {
      g_printerr ("netloom convert: --columns: expected two different column numbers T,GID "
                  "counted from 1, got '%s'\n", columns);
      return NL_EXIT_USAGE;
    }
  if (to && !(g_str_equal (to, "netpyne-json") || g_str_equal (to, "json") || g_str_equal (to, "json.gz")
              || g_str_equal (to, "csv") || g_str_equal (to, "sonata") || g_str_equal (to, "netloom-h5")
              || g_str_equal (to, "h5") || g_str_equal (to, "netpyne-mat") || g_str_equal (to, "mat")))
    {
      g_printerr ("netloom convert: --to: unknown format '%s' (netloom-h5, netpyne-json, json.gz, netpyne-mat, "
                  "csv, sonata)\n", to);
      return NL_EXIT_USAGE;
    }
  /* OUT/ (or an existing folder): spikes.csv and one CSV per trace, as `run -o DIR/`. */
  gboolean out_dir = g_str_has_suffix (files[1], "/") || g_file_test (files[1], G_FILE_TEST_IS_DIR);
  if (!to && !out_dir && !nl_results_format_for_filename (files[1]))
    {
      g_printerr ("netloom convert: %s: cannot tell the format from the name; use .h5, .json, .json.gz, .mat, "
                  ".csv or .sonata.h5, or --to FORMAT\n", files[1]);
      return NL_EXIT_USAGE;
    }

  r = columns ? nl_spikes_csv_read (files[0], t_col, gid_col, &error)
              : nl_results_read (files[0], &error);
  if (!r)
    {
      g_printerr ("netloom convert: %s\n", error->message);
      return NL_EXIT_INVALID;
    }
  json_object_set_string_member (nl_results_get_meta (r), "netloom_version", NL_VERSION);
  const char *format = to ? to : nl_results_format_for_filename (files[1]);
  if (format && g_str_equal (format, "sonata") && !nl_sonata_write_keeps_gids (r))
    g_printerr ("netloom convert: note: the populations' gids are not in name order; SONATA node ids "
                "count from 0 in each population and reading %s back renumbers the gids\n", files[1]);
  if (out_dir && !to)
    {
      g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
      gboolean ok = nl_results_write_csv_dir (r, files[1], notes, &error);
      for (guint i = 0; i < notes->len; i++)
        g_printerr ("netloom convert: note: %s\n", (char *) notes->pdata[i]);
      if (!ok)
        {
          g_printerr ("netloom convert: %s\n", error->message);
          return NL_EXIT_RUNTIME;
        }
      return NL_EXIT_OK;
    }
  if (!nl_results_write (r, files[1], to, &error))
    {
      g_printerr ("netloom convert: %s\n", error->message);
      return NL_EXIT_RUNTIME;
    }
  return NL_EXIT_OK;
}
