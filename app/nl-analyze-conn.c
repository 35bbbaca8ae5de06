/* `netloom analyze conn MODEL_OR_RESULTS --feature F --group-by pop|cell`: the connectivity
 * matrix of a model's network (built here) or of a NetPyNE results file that carries its
 * model (core/analysis/nl-connmatrix). */
#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"

#include <nl-connmatrix.h>

int
nl_analyze_conn (NlAnalyzeArgs *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSpec) spec = NULL;
  g_autoptr(NlNetwork) net = NULL;
  g_autoptr(NlConnMatrix) m = NULL;
  g_autoptr(GOutputStream) mem = NULL;
  NlConnMatrixOptions opt = { 0 };
  NlBuildOptions bopt = { 0 };
  char *files[] = { (char *) a->input, NULL };
  int status;

  opt.group_by = NL_CONN_GROUP_POP;
  opt.feature = NL_CONN_STRENGTH;
  if (a->group_by && !g_str_equal (a->group_by, "pop"))
    {
      if (!g_str_equal (a->group_by, "cell"))
        {
          nl_analyze_fail (a, "--group-by: expected pop or cell, got '%s'", a->group_by);
          return NL_EXIT_USAGE;
        }
      opt.group_by = NL_CONN_GROUP_CELL;
    }
  if (a->feature && !nl_conn_feature_from_name (a->feature, &opt.feature, &error))
    {
      nl_analyze_fail (a, "--feature: %s", error->message);
      return NL_EXIT_USAGE;
    }
  net = nl_cli_build_model (files, 1, &bopt, "analyze conn", &spec, &status);
  if (!net)
    return status;
  m = nl_conn_matrix_new (net, &opt, &error);
  if (!m)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  mem = g_memory_output_stream_new_resizable ();
  if (!nl_conn_matrix_write_csv (m, mem, NULL, &error) || !g_output_stream_close (mem, NULL, &error))
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_RUNTIME;
    }
  return nl_analyze_emit (a, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)),
                          g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem)))
         ? NL_EXIT_OK : NL_EXIT_RUNTIME;
}
