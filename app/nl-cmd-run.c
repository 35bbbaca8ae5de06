#include "nl-cli.h"
#include "nl-run-save.h"
#include "nl-plot.h"

#include <nl-h5.h>
#include <nl-results-write.h>

#include <nl-build.h>
#include <nl-json.h>
#include <nl-run.h>
#include <nl-spec.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

/* Whether anything but -o FILE.h5 needs every spike in memory: simConfig's save flags and
 * the figures of simConfig.analysis (saveFig). */
static gboolean
value_set (JsonNode *n)
{
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return n && !JSON_NODE_HOLDS_NULL (n);
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_BOOLEAN: return json_node_get_boolean (n);
    case G_TYPE_INT64: return json_node_get_int (n) != 0;
    case G_TYPE_DOUBLE: return json_node_get_double (n) != 0;
    case G_TYPE_STRING: return json_node_get_string (n)[0] != '\0';
    default: return TRUE;
    }
}

static gboolean
needs_results (NlSpec *spec)
{
  static const char *const flags[] = { "simConfig.saveJson", "simConfig.saveMat", "simConfig.saveCSV",
                                       "simConfig.saveHDF5", "simConfig.savePickle", "simConfig.saveDat",
                                       "simConfig.saveDpk" };
  JsonNode *analysis = nl_spec_lookup (spec, "simConfig.analysis");

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (value_set (nl_spec_lookup (spec, flags[i])))
      return TRUE;
  if (analysis && JSON_NODE_HOLDS_OBJECT (analysis))
    {
      JsonObject *ao = json_node_get_object (analysis);
      g_autoptr(GList) members = json_object_get_members (ao);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *a = json_object_get_member (ao, l->data);
          if (a && JSON_NODE_HOLDS_OBJECT (a) && value_set (json_object_get_member (json_node_get_object (a), "saveFig")))
            return TRUE;
        }
    }
  return FALSE;
}

/* -o FILE.h5 alone: the ranks' spikes merged straight into the file, never all in memory. */
typedef struct {
  NlH5Writer *writer;
  NlNetwork  *net;
  guint64    *pop_spikes;
} StreamSink;

static gboolean
stream_sink (const double *t_ms, const guint32 *gids, guint64 n, gpointer data, GError **error)
{
  StreamSink *s = data;
  guint n_cells = nl_network_get_n_cells (s->net);
  for (guint64 i = 0; i < n; i++)
    if (gids[i] < n_cells)
      s->pop_spikes[nl_network_cell_pop (s->net, gids[i])]++;
  return nl_h5_writer_add_spikes (s->writer, t_ms, gids, n, error);
}

static NlResults *
run_to_h5 (NlSpec *spec, NlNetwork *net, const NlRunOptions *ropt, const char *output, guint64 *pop_spikes,
           guint64 *n_spikes, GError **error)
{
  StreamSink s = { NULL, net, pop_spikes };
  g_autoptr(NlResults) rest = NULL;

  s.writer = nl_h5_writer_new (output, spec, net, nl_network_get_n_cells (net), error);
  if (!s.writer)
    return NULL;
  rest = nl_run_streamed (spec, net, ropt, stream_sink, &s, error);
  if (!rest)
    {
      nl_h5_writer_free (s.writer);
      return NULL;
    }
  *n_spikes = nl_h5_writer_get_n_spikes (s.writer);
  nl_run_save_prepare (spec, rest);
  if (!nl_h5_writer_finish (s.writer, rest, error))
    return NULL;
  return g_steal_pointer (&rest);
}

int
nl_cmd_run (int argc, char **argv)
{
  gboolean json = FALSE;
  int ranks = 1;
  g_autofree char *run_dir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *placement = NULL;
  g_auto(GStrv) mod_dirs = NULL;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "ranks", 'n', 0, G_OPTION_ARG_INT, &ranks, "MPI ranks (default 1: one nrniv, no MPI)", "N" },
    { "placement", 0, 0, G_OPTION_ARG_STRING, &placement,
      "Which rank simulates which cell: round-robin (default) or cost (balanced by segments × mechanisms)",
      "round-robin|cost" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print counts, spikes and rates as JSON on standard output", NULL },
    { "mod-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &mod_dirs, "Compile and load the .mod files of DIR (repeatable)", "DIR" },
    { "run-dir", 0, 0, G_OPTION_ARG_FILENAME, &run_dir, "Write NEURON's inputs to DIR and keep them (default: a temporary folder)", "DIR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the results: DIR/ (spikes.csv, one CSV per trace) or a file whose extension says the format (.h5 native, .json, .json.gz, .mat, .sonata.h5, .csv)", "DIR/|FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "MODEL…" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MODEL… — build a model and simulate it in NEURON");
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlResults) res = NULL;
  g_autoptr(GError) error = NULL;
  NlBuildOptions bopt = { 0 };
  NlRunOptions ropt = { 0 };
  RunProgress progress = { 0 };
  guint n_files;
  int status;

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
  if (placement && !nl_placement_from_name (placement, &ropt.placement))
    {
      g_printerr ("netloom run: --placement %s: expected round-robin or cost\n", placement);
      return NL_EXIT_USAGE;
    }
  gboolean output_dir = output && (g_str_has_suffix (output, "/") || g_file_test (output, G_FILE_TEST_IS_DIR));
  if (output && !output_dir && !nl_results_format_for_filename (output))
    {
      g_printerr ("netloom run: -o %s: cannot tell the format from the name; give a folder (DIR/) or a "
                  "file ending in .h5, .json, .json.gz, .mat, .sonata.h5 or .csv\n", output);
      return NL_EXIT_USAGE;
    }

  net = nl_cli_build_model (files, n_files, &bopt, "run", &spec, &status);
  if (!net)
    return status;

  ropt.n_ranks = ranks;
  ropt.run_dir = run_dir;
  ropt.mod_dirs = (const char *const *) mod_dirs;
  if (isatty (STDERR_FILENO))
    {
      ropt.progress = show_progress;
      ropt.progress_data = &progress;
    }
  guint n_pops = nl_network_get_n_pops (net);
  g_autofree guint64 *spikes = g_new0 (guint64, MAX (n_pops, 1));
  guint64 n_spikes = 0;
  const char *out_format = output && !output_dir ? nl_results_format_for_filename (output) : NULL;
  gboolean streamed = out_format && g_str_equal (out_format, "netloom-h5") && !needs_results (spec);
  if (streamed)
    res = run_to_h5 (spec, net, &ropt, output, spikes, &n_spikes, &error);
  else
    res = nl_run_full (spec, net, &ropt, &error);
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
  {
    JsonObject *meta = nl_results_get_meta (res);
    JsonArray *warnings = json_object_has_member (meta, "warnings") ? json_object_get_array_member (meta, "warnings") : NULL;
    for (guint i = 0; warnings && i < json_array_get_length (warnings); i++)
      fprintf (stderr, "warning: %s\n", json_array_get_string_element (warnings, i));
  }
  if (!streamed)
    {
      const guint32 *spike_gid = nl_results_get_spike_gids (res);
      n_spikes = nl_results_get_n_spikes (res);
      for (guint64 i = 0; i < n_spikes; i++)
        if (spike_gid[i] < nl_network_get_n_cells (net))
          spikes[nl_network_cell_pop (net, spike_gid[i])]++;
    }
  double duration_ms = nl_results_get_duration (res);
  guint n_ranks = json_object_get_int_member (nl_results_get_meta (res), "ranks");
  double wall_s = json_object_get_double_member (nl_results_get_meta (res), "wall_s");
  {
    g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
    gboolean ok = TRUE;

    /* Streamed: the file is written, and nothing else asks for the results. */
    if (streamed)
      g_ptr_array_add (written, g_strdup (output));
    else
      nl_run_save_prepare (spec, res);
    if (!streamed && output_dir)
      {
        g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
        ok = nl_results_write_csv_dir (res, output, notes, &error);
        for (guint i = 0; i < notes->len; i++)
          fprintf (stderr, "warning: %s\n", (char *) notes->pdata[i]);
      }
    else if (!streamed && output)
      {
        /* NetLoom's own file keeps the model and its network beside the results. */
        const char *format = nl_results_format_for_filename (output);
        ok = nl_results_write_full (res, spec, net, output, format, &error);
        if (ok)
          g_ptr_array_add (written, g_strdup (output));
      }
    if (ok && !streamed)
      ok = nl_run_save_outputs (spec, net, res, written, &error);
    if (ok && !streamed)
      ok = nl_plot_run_analysis (spec, net, res, written, &error);
    if (!ok)
      {
        fprintf (stderr, "netloom run: %s\n", error->message);
        return NL_EXIT_RUNTIME;
      }
    for (guint i = 0; i < written->len; i++)
      fprintf (stderr, "wrote %s\n", (char *) written->pdata[i]);
  }

  g_autofree guint64 *conns_in = nl_cli_conns_in (net);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      nl_cli_add_counts (b, net);
      json_builder_set_member_name (b, "spikes");
      json_builder_add_int_value (b, n_spikes);
      json_builder_set_member_name (b, "duration_ms");
      json_builder_add_double_value (b, duration_ms);
      json_builder_set_member_name (b, "ranks");
      json_builder_add_int_value (b, n_ranks);
      json_builder_set_member_name (b, "pops");
      json_builder_begin_object (b);
      for (guint p = 0; p < n_pops; p++)
        {
          const NlNetPop *pop = nl_network_get_pop (net, p);
          json_builder_set_member_name (b, pop->name);
          json_builder_begin_object (b);
          nl_cli_add_pop_counts (b, net, p, conns_in);
          json_builder_set_member_name (b, "spikes");
          json_builder_add_int_value (b, spikes[p]);
          json_builder_set_member_name (b, "rate_hz");
          json_builder_add_double_value (b, pop->n_cells && duration_ms > 0
                                              ? spikes[p] / (double) pop->n_cells / (duration_ms / 1000) : 0);
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
                  pop->n_cells && duration_ms > 0 ? spikes[p] / (double) pop->n_cells / (duration_ms / 1000) : 0);
        }
      printf ("spikes: %" G_GUINT64_FORMAT " in %g ms on %u rank(s), NEURON %.2f s\n", n_spikes,
              duration_ms, n_ranks, wall_s);
    }
  return NL_EXIT_OK;
}
