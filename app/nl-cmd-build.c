#include "nl-cli.h"

#include <nl-build.h>
#include <nl-json.h>
#include <nl-netpyne-net.h>
#include <nl-sonata-net.h>
#include <nl-spec.h>
#include <stdio.h>
#include <unistd.h>

/* `netloom build MODEL…`: instantiate the network and count it. */

typedef struct {
  gint64 last;
  GMutex lock;
} Progress;

static void
show_progress (const char *phase, double fraction, gpointer data)
{
  Progress *p = data;
  gint64 now = g_get_monotonic_time ();
  g_mutex_lock (&p->lock);
  if (now - p->last > 200000 || fraction >= 1)
    {
      fprintf (stderr, "\rbuilding %s: %3.0f%%", phase, 100 * fraction);
      if (fraction >= 1)
        fputc ('\n', stderr);
      p->last = now;
    }
  g_mutex_unlock (&p->lock);
}

int
nl_cmd_build (int argc, char **argv)
{
  gboolean json = FALSE;
  int threads = 0;
  g_autofree char *save = NULL;
  g_autofree char *sonata = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the counts as JSON on standard output", NULL },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save, "Write the network in NetPyNE's saved layout (.json or .json.gz)", "FILE" },
    { "sonata", 0, 0, G_OPTION_ARG_FILENAME, &sonata, "Write the network as a SONATA circuit (nodes, edges, circuit_config.json) into DIR", "DIR" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads to build with (default: all cores; the network is the same for any number)", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "MODEL…" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MODEL… — build the network of a model");
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(GError) error = NULL;
  NlBuildOptions options = { 0 };
  Progress progress = { 0 };
  guint n_files;
  int status;

  g_option_context_set_summary (ctx,
    "Instantiates populations, cells, connections and stimuli as NetPyNE would and prints\n"
    "cells per population, cell-to-cell connections (one per NetCon) and stimulus connections.\n"
    "Exit status: 0 built, 1 invalid model, 2 usage.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!nl_cli_parse (ctx, &argc, &argv))
    return NL_EXIT_USAGE;
  n_files = files ? g_strv_length (files) : 0;
  if (n_files < 1 || n_files > 2 || threads < 0)
    {
      g_printerr ("netloom build: give one model file, or NetPyNE's netParams and simConfig files\n"
                  "Try 'netloom build --help'.\n");
      return NL_EXIT_USAGE;
    }

  options.n_threads = threads;
  g_mutex_init (&progress.lock);
  if (isatty (STDERR_FILENO))
    {
      options.progress = show_progress;
      options.progress_data = &progress;
    }
  net = nl_cli_build_model (files, n_files, &options, "build", &spec, &status);
  g_mutex_clear (&progress.lock);
  if (!net)
    return status;

  guint n_pops = nl_network_get_n_pops (net);
  g_autofree guint64 *conns_in = nl_cli_conns_in (net);

  if (save && !nl_netpyne_write_net (spec, net, save, &error))
    {
      fprintf (stderr, "netloom build: %s\n", error->message);
      return NL_EXIT_RUNTIME;
    }
  if (sonata && !nl_sonata_write_network (spec, net, sonata, &error))
    {
      fprintf (stderr, "netloom build: %s\n", error->message);
      return NL_EXIT_RUNTIME;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nl_cli_add_counts (b, net);
      json_builder_set_member_name (b, "pops");
      json_builder_begin_object (b);
      for (guint p = 0; p < n_pops; p++)
        {
          json_builder_set_member_name (b, nl_network_get_pop (net, p)->name);
          json_builder_begin_object (b);
          nl_cli_add_pop_counts (b, net, p, conns_in);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = nl_json_to_string (root, 2, NULL);
      printf ("%s\n", text);
    }
  else
    {
      for (guint p = 0; p < n_pops; p++)
        {
          const NlNetPop *pop = nl_network_get_pop (net, p);
          printf ("%-12s %8u cells %12" G_GUINT64_FORMAT " conns in\n", pop->name, pop->n_cells, conns_in[p]);
        }
      printf ("cells: %u\nconns: %" G_GUINT64_FORMAT "\nstim_conns: %" G_GUINT64_FORMAT "\n",
              nl_network_get_n_cells (net), nl_network_get_n_conns (net), nl_network_get_n_stim_conns (net));
    }
  return NL_EXIT_OK;
}
