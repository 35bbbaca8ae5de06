/* netloom — the command line. No GTK: it runs on cluster nodes without a display. */

#include "nl-config.h"
#include "nl-cli.h"

#include <nl-neuron.h>

#include <locale.h>
#include <stdio.h>

typedef struct {
  const char   *name;
  NlCliCommand  run;
  const char   *summary;
} Command;

static const Command commands[] = {
  { "check", nl_cmd_check, "Validate a model (NetLoom or NetPyNE JSON) and list every problem" },
  { "build", nl_cmd_build, "Build the network of a model and count cells and connections" },
  { "run", nl_cmd_run, "Build a model and simulate it in NEURON (serial or MPI)" },
  { "info", nl_cmd_info, "Summarise a results file: cells, spikes per population, traces, LFP" },
  { "convert", nl_cmd_convert, "Convert a results file between NetPyNE JSON, SONATA spikes and CSV" },
  { "plot", nl_cmd_plot, "Draw a figure (raster, histogram, traces, PSD, conn …) as PNG, SVG or PDF" },
  { "analyze", nl_cmd_analyze, "Analyse spikes, signals or connectivity: rates, PSD, Granger, CSD …" },
};

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: netloom COMMAND [OPTION…] [ARGS…]\n\n"
           "Build, simulate and analyse neuronal network models (NetPyNE-compatible).\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\nOptions:\n"
           "  -h, --help     Show this help\n"
           "  --version      Show the version\n\n"
           "Run 'netloom COMMAND --help' for a command's options.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      usage (stderr);
      return NL_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      usage (stdout);
      return NL_EXIT_OK;
    }
  if (g_str_equal (argv[1], "help") && argc > 2)
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_equal (argv[2], commands[i].name))
          {
            char *args[] = { argv[2], (char *) "--help", NULL };
            return commands[i].run (2, args);
          }
    }
  if (g_str_equal (argv[1], "help"))
    {
      usage (stdout);
      return NL_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_autofree char *nrn = nl_neuron_version (NULL);
      printf ("netloom %s\nNEURON %s\n", NL_VERSION, nrn ? nrn : "not found");
      return NL_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("netloom: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return NL_EXIT_USAGE;
}
