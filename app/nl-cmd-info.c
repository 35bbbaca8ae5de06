#include "nl-cli.h"

#include <nl-json.h>
#include <nl-results-read.h>
#include <math.h>
#include <stdio.h>

/* `netloom info FILE [--json]`: what a results file holds (CONTRACTS.md `info FILE`). */

int
nl_cmd_info (int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as JSON on standard output", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("FILE — summarise a results file");
  g_autoptr(NlResults) r = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (ctx,
    "Reads a results file (NetPyNE sim.saveData JSON or JSON.gz, SONATA spikes .h5) and prints\n"
    "its format, cells, spikes per population, duration, recorded traces and LFP.\n"
    "Exit status: 0 read, 1 unreadable or invalid file, 2 usage.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!nl_cli_parse (ctx, &argc, &argv))
    return NL_EXIT_USAGE;
  if (!files || g_strv_length (files) != 1)
    {
      g_printerr ("netloom info: give one results file\nTry 'netloom info --help'.\n");
      return NL_EXIT_USAGE;
    }

  r = nl_results_read (files[0], &error);
  if (!r)
    {
      g_printerr ("netloom info: %s\n", error->message);
      return NL_EXIT_INVALID;
    }

  JsonObject *meta = nl_results_get_meta (r);
  const char *format = json_object_has_member (meta, "format")
                       ? json_object_get_string_member (meta, "format") : "unknown";
  guint n_pops = nl_results_get_n_pops (r);
  guint64 n_spikes = nl_results_get_n_spikes (r);
  const guint32 *spk_gid = nl_results_get_spike_gids (r);
  g_autofree guint64 *pop_spikes = g_new0 (guint64, MAX (n_pops, 1));
  for (guint64 i = 0; i < n_spikes; i++)
    {
      int p = nl_results_find_pop_of_gid (r, spk_gid[i]);
      if (p >= 0)
        pop_spikes[p]++;
    }
  guint n_cells = nl_results_get_n_cells (r);
  double duration = nl_results_get_duration (r);
  guint64 lfp_samples, trace_samples;
  guint lfp_electrodes;
  double lfp_dt;
  const double *lfp = nl_results_get_lfp (r, &lfp_samples, &lfp_electrodes, &lfp_dt);
  nl_results_get_trace_time (r, &trace_samples);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format);
      json_builder_set_member_name (b, "cells");
      if (n_cells > 0)
        json_builder_add_int_value (b, n_cells);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "spikes");
      json_builder_add_int_value (b, (gint64) n_spikes);
      json_builder_set_member_name (b, "duration_ms");
      if (isfinite (duration))
        json_builder_add_double_value (b, duration);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "pops");
      json_builder_begin_object (b);
      for (guint p = 0; p < n_pops; p++)
        {
          guint n;
          nl_results_get_pop_gids (r, p, &n);
          json_builder_set_member_name (b, nl_results_get_pop_name (r, p));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "cells");
          json_builder_add_int_value (b, n);
          json_builder_set_member_name (b, "spikes");
          json_builder_add_int_value (b, (gint64) pop_spikes[p]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "traces");
      json_builder_begin_array (b);
      for (guint i = 0; i < nl_results_get_n_traces (r); i++)
        json_builder_add_string_value (b, nl_results_get_trace_name (r, i));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "lfp");
      if (lfp && lfp_samples > 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "electrodes");
          json_builder_add_int_value (b, lfp_electrodes);
          json_builder_set_member_name (b, "samples");
          json_builder_add_int_value (b, (gint64) lfp_samples);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = nl_json_to_string (root, 2, NULL);
      printf ("%s\n", text);
      return NL_EXIT_OK;
    }

  printf ("file: %s\nformat: %s\n", files[0], format);
  if (json_object_has_member (meta, "netpyne_version"))
    printf ("netpyne version: %s\n", json_object_get_string_member (meta, "netpyne_version"));
  if (n_cells > 0)
    printf ("cells: %u\n", n_cells);
  else
    printf ("cells: unknown\n");
  printf ("spikes: %" G_GUINT64_FORMAT "\n", n_spikes);
  if (isfinite (duration))
    printf ("duration: %g ms\n", duration);
  else
    printf ("duration: unknown\n");
  if (n_pops > 0)
    {
      printf ("populations:\n");
      for (guint p = 0; p < n_pops; p++)
        {
          guint n;
          nl_results_get_pop_gids (r, p, &n);
          printf ("  %-12s %8u cells %10" G_GUINT64_FORMAT " spikes\n",
                  nl_results_get_pop_name (r, p), n, pop_spikes[p]);
        }
    }
  if (nl_results_get_n_traces (r) > 0)
    {
      printf ("traces (%" G_GUINT64_FORMAT " time samples):\n", trace_samples);
      for (guint i = 0; i < nl_results_get_n_traces (r); i++)
        printf ("  %-12s %8u cells\n", nl_results_get_trace_name (r, i), nl_results_get_trace_n_cells (r, i));
    }
  else
    printf ("traces: none\n");
  if (lfp && lfp_samples > 0)
    printf ("lfp: %u electrodes × %" G_GUINT64_FORMAT " samples, dt %g ms\n", lfp_electrodes, lfp_samples, lfp_dt);
  else
    printf ("lfp: none\n");
  return NL_EXIT_OK;
}
