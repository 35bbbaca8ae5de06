#include "nl-cli.h"

#include <nl-json.h>
#include <nl-spec.h>
#include <stdio.h>

/* `netloom check MODEL…`: every problem of a model, to stderr or as JSON. */

int
nl_cmd_check (int argc, char **argv)
{
  gboolean json = FALSE, quiet = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the problems as JSON on standard output", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print errors and warnings only, not notes", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "MODEL…" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MODEL… — validate a model");
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  guint n_files, errors, warnings, notes;

  g_option_context_set_summary (ctx,
    "MODEL is NetLoom's {\"netParams\", \"simConfig\"} file, a NetPyNE sim.saveData() JSON, or\n"
    "NetPyNE's netParams and simConfig files (two files, any order); .json or .json.gz.\n"
    "Exit status: 0 valid (warnings and notes allowed), 1 errors found, 2 usage.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!nl_cli_parse (ctx, &argc, &argv))
    return NL_EXIT_USAGE;
  n_files = files ? g_strv_length (files) : 0;
  if (n_files < 1 || n_files > 2)
    {
      g_printerr ("netloom check: give one model file, or NetPyNE's netParams and simConfig files\n"
                  "Try 'netloom check --help'.\n");
      return NL_EXIT_USAGE;
    }

  spec = nl_spec_load ((const char *const *) files, n_files, problems, NULL);
  if (spec)
    nl_spec_validate (spec, problems);
  nl_problems_sort (problems);

  errors = nl_problems_count (problems, NL_SEVERITY_ERROR);
  warnings = nl_problems_count (problems, NL_SEVERITY_WARNING);
  notes = nl_problems_count (problems, NL_SEVERITY_NOTE);

  if (json)
    {
      g_autoptr(JsonNode) doc = nl_problems_to_json (problems);
      gsize len;
      g_autofree char *text = nl_json_to_string (doc, 2, &len);
      g_autoptr(GError) error = NULL;
      text = g_realloc (text, len + 2);
      text[len++] = '\n';
      text[len] = '\0';
      if (!nl_cli_write_output (NULL, text, len, &error))
        {
          g_printerr ("netloom check: %s\n", error->message);
          return NL_EXIT_RUNTIME;
        }
    }
  else
    {
      nl_cli_print_problems (problems, !quiet);
      fprintf (stderr, "%s: %u error%s, %u warning%s, %u note%s\n", files[0],
                  errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                  notes, notes == 1 ? "" : "s");
    }
  return errors ? NL_EXIT_INVALID : NL_EXIT_OK;
}
