#include "nl-cli.h"

#include <nl-build.h>
#include <nl-json.h>
#include <nl-run.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

/* `netloom run MODEL…`: build the network and simulate it in NEURON. */

typedef struct {
  gint64 last;
} RunProgress;

static void
show_progress (double t, double duration, gpointer data)
{
  RunProgress *p = data;
  gint64 now = g_get_monotonic_time ();
  if (now - p->last > 200000 || t >= duration)
    {
      fprintf (stderr, "\rsimulating: %8.1f / %.1f ms", t, duration);
      p->last = now;
    }
}

static void
print_problems (GPtrArray *problems)
{
  nl_problems_sort (problems);
  for (guint i = 0; i < problems->len; i++)
    {
      const NlProblem *p = problems->pdata[i];
      if (p->severity == NL_SEVERITY_NOTE)
        continue;
      g_autofree char *line = nl_problem_to_string (p);
      fprintf (stderr, "%s\n", line);
    }
}

static gboolean
write_spikes_csv (const char *dir, const NlRunResult *res, GError **error)
{
  g_autoptr(GString) s = g_string_new ("t_ms,gid\n");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the folder", dir);
      return FALSE;
    }
  for (guint64 i = 0; i < res->n_spikes; i++)
    g_string_append_printf (s, "%s,%u\n", g_ascii_formatd (buf, sizeof buf, "%.17g", res->spike_t[i]),
                            res->spike_gid[i]);
  g_autofree char *path = g_build_filename (dir, "spikes.csv", NULL);
  return g_file_set_contents (path, s->str, s->len, error);
}

int
nl_cmd_run (int argc, char **argv)
{
  gboolean json = FALSE;
  int ranks = 1;
  g_autofree char *run_dir = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) mod_dirs = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "ranks", 'n', 0, G_OPTION_ARG_INT, &ranks, "MPI ranks (default 1: one nrniv, no MPI)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print counts, spikes and rates as JSON on standard output", NULL },
    { "mod-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &mod_dirs, "Compile and load the .mod files of DIR (repeatable)", "DIR" },
    { "run-dir", 0, 0, G_OPTION_ARG_FILENAME, &run_dir, "Write NEURON's inputs to DIR and keep them (default: a temporary folder)", "DIR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write results into DIR/ (spikes.csv)", "DIR/" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "MODEL…" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MODEL… — build a model and simulate it in NEURON");
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlRunResult) res = NULL;
  g_autoptr(GError) error = NULL;
  NlBuildOptions bopt = { 0 };
  NlRunOptions ropt = { 0 };
  RunProgress progress = { 0 };
  guint n_files;

  g_option_context_set_summary (ctx,
    "Builds the network as `netloom build` does and simulates it with NEURON (nrniv, or\n"
    "mpiexec -n N nrniv -mpi). Spikes are identical for any number of ranks.\n"
    "Exit status: 0 done, 1 invalid model, 2 usage, 3 simulation failure.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!nl_cli_parse (ctx, &argc, &argv))
    return NL_EXIT_USAGE;
  n_files = files ? g_strv_length (files) : 0;
  if (n_files < 1 || n_files > 2 || ranks < 1 || ranks > 4096)
    {
      g_printerr ("netloom run: give one model file, or NetPyNE's netParams and simConfig files, and --ranks >= 1\n"
                  "Try 'netloom run --help'.\n");
      return NL_EXIT_USAGE;
    }
  if (output && !g_str_has_suffix (output, "/") && !g_file_test (output, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("netloom run: -o: only a folder (DIR/) is supported so far\n");
      return NL_EXIT_USAGE;
    }

  spec = nl_spec_load ((const char *const *) files, n_files, problems, NULL);
  if (!spec || nl_spec_validate (spec, problems) > 0)
    {
      print_problems (problems);
      return NL_EXIT_INVALID;
    }
  g_ptr_array_set_size (problems, 0);
  net = nl_build_network (spec, &bopt, problems, &error);
  print_problems (problems);
  if (!net)
    {
      fprintf (stderr, "netloom run: %s\n", error->message);
      return NL_EXIT_INVALID;
    }

  ropt.n_ranks = ranks;
  ropt.run_dir = run_dir;
  ropt.mod_dirs = (const char *const *) mod_dirs;
  if (isatty (STDERR_FILENO))
    {
      ropt.progress = show_progress;
      ropt.progress_data = &progress;
    }
  res = nl_run (spec, net, &ropt, &error);
  if (ropt.progress)
    fputc ('\n', stderr);
  if (!res)
    {
      fprintf (stderr, "netloom run: %s\n", error->message);
      if (g_error_matches (error, NL_RUN_ERROR, NL_RUN_ERROR_CANCELLED))
        return NL_EXIT_CANCELLED;
      if (g_error_matches (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID))
        return NL_EXIT_INVALID;
      return NL_EXIT_RUNTIME;
    }
  if (output && !write_spikes_csv (output, res, &error))
    {
      fprintf (stderr, "netloom run: %s\n", error->message);
      return NL_EXIT_RUNTIME;
    }

  guint n_pops = nl_network_get_n_pops (net);
  g_autofree guint64 *conns_in = g_new0 (guint64, MAX (n_pops, 1));
  g_autofree guint64 *spikes = g_new0 (guint64, MAX (n_pops, 1));
  for (guint p = 0; p < n_pops; p++)
    {
      const NlNetPop *pop = nl_network_get_pop (net, p);
      for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
        {
          guint64 first;
          conns_in[p] += nl_network_conns_of_cell (net, g, &first);
        }
    }
  for (guint64 i = 0; i < res->n_spikes; i++)
    if (res->spike_gid[i] < nl_network_get_n_cells (net))
      spikes[nl_network_cell_pop (net, res->spike_gid[i])]++;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cells");
      json_builder_add_int_value (b, nl_network_get_n_cells (net));
      json_builder_set_member_name (b, "conns");
      json_builder_add_int_value (b, nl_network_get_n_conns (net));
      json_builder_set_member_name (b, "stim_conns");
      json_builder_add_int_value (b, nl_network_get_n_stim_conns (net));
      json_builder_set_member_name (b, "spikes");
      json_builder_add_int_value (b, res->n_spikes);
      json_builder_set_member_name (b, "duration_ms");
      json_builder_add_double_value (b, res->duration_ms);
      json_builder_set_member_name (b, "ranks");
      json_builder_add_int_value (b, res->n_ranks);
      json_builder_set_member_name (b, "pops");
      json_builder_begin_object (b);
      for (guint p = 0; p < n_pops; p++)
        {
          const NlNetPop *pop = nl_network_get_pop (net, p);
          json_builder_set_member_name (b, pop->name);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "cells");
          json_builder_add_int_value (b, pop->n_cells);
          json_builder_set_member_name (b, "conns_in");
          json_builder_add_int_value (b, conns_in[p]);
          json_builder_set_member_name (b, "spikes");
          json_builder_add_int_value (b, spikes[p]);
          json_builder_set_member_name (b, "rate_hz");
          json_builder_add_double_value (b, pop->n_cells && res->duration_ms > 0
                                              ? spikes[p] / (double) pop->n_cells / (res->duration_ms / 1000) : 0);
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
          printf ("%-12s %8u cells %10" G_GUINT64_FORMAT " spikes %9.2f Hz\n", pop->name, pop->n_cells, spikes[p],
                  pop->n_cells && res->duration_ms > 0 ? spikes[p] / (double) pop->n_cells / (res->duration_ms / 1000) : 0);
        }
      printf ("spikes: %" G_GUINT64_FORMAT " in %g ms on %u rank(s), NEURON %.2f s\n", res->n_spikes,
              res->duration_ms, res->n_ranks, res->wall_s);
    }
  return NL_EXIT_OK;
}
