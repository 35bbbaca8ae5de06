/* nl-run-save.c — what `netloom run` writes after the simulation: `-o` and the files
 * simConfig's NetPyNE save flags ask for (CONTRACTS.md: the flags add files, `-o` never
 * suppresses them). */
#include "nl-config.h"
#include "nl-run-save.h"

#include <nl-results-write.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>

static gboolean
flag (NlSpec *spec, const char *path)
{
  JsonNode *node = nl_spec_lookup (spec, path);
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

static const char *
string (NlSpec *spec, const char *path)
{
  JsonNode *node = nl_spec_lookup (spec, path);
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

char *
nl_run_save_base (NlSpec *spec)
{
  const char *filename = string (spec, "simConfig.filename");
  const char *folder = string (spec, "simConfig.saveFolder");
  const char *label = string (spec, "simConfig.simLabel");
  g_autofree char *stamp = NULL;

  if (!filename || !*filename)
    filename = "model_output";
  /* NetPyNE's saveData: FILENAME_data, or SAVEFOLDER/(SIMLABEL or FILENAME)_data. */
  if (flag (spec, "simConfig.timestampFilename"))
    {
      time_t now = time (NULL);
      char buf[32];
      strftime (buf, sizeof buf, "-%Y%m%d_%H%M%S", localtime (&now));
      stamp = g_strdup (buf);
    }
  if (folder && *folder)
    return g_strdup_printf ("%s/%s_data%s", folder, label && *label ? label : filename, stamp ? stamp : "");
  return g_strdup_printf ("%s_data%s", filename, stamp ? stamp : "");
}

static gboolean
save_one (NlSpec *spec, NlNetwork *net, NlResults *res, const char *path, GPtrArray *written, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the folder %s (simConfig.filename / "
                   "saveFolder)", path, dir);
      return FALSE;
    }
  /* With the network: NetPyNE's JSON gets net.cells, NetLoom's .h5 the model. */
  if (!nl_results_write_full (res, spec, net, path, NULL, error))
    return FALSE;
  g_ptr_array_add (written, g_strdup (path));
  return TRUE;
}

void
nl_run_save_prepare (NlSpec *spec, NlResults *res)
{
  JsonObject *meta = nl_results_get_meta (res);
  JsonObject *sc = nl_spec_get_sim_config (spec);

  if (!json_object_has_member (meta, "simConfig") && sc)
    {
      g_autoptr(JsonNode) node = json_node_alloc ();
      json_node_init_object (node, sc);
      json_object_set_member (meta, "simConfig", json_node_copy (node));
    }
  if (!json_object_has_member (meta, "netParams") && nl_spec_get_net_params (spec))
    {
      g_autoptr(JsonNode) node = json_node_alloc ();
      json_node_init_object (node, nl_spec_get_net_params (spec));
      json_object_set_member (meta, "netParams", json_node_copy (node));
    }
  json_object_set_string_member (meta, "netloom_version", NL_VERSION);
}

gboolean
nl_run_save_outputs (NlSpec *spec, NlNetwork *net, NlResults *res, GPtrArray *written, GError **error)
{
  g_autofree char *base = NULL;
  static const struct { const char *flag; const char *ext; const char *note; } flags[] = {
    { "simConfig.saveJson", ".json", NULL },
    { "simConfig.saveMat", ".mat", NULL },
    { "simConfig.saveCSV", ".csv", NULL },
    { "simConfig.saveHDF5", ".h5",
      "simConfig.saveHDF5: NetLoom writes its own HDF5 layout (.h5, documented in docs/file-format.md), "
      "not NetPyNE's hdf5storage one" },
    { "simConfig.savePickle", NULL,
      "simConfig.savePickle: NetLoom reads NetPyNE's pickles but never writes pickle (a pickle can run code "
      "when loaded); the JSON or HDF5 outputs hold the same data" },
    { "simConfig.saveDat", NULL, "simConfig.saveDat: not supported; use -o DIR/ for one CSV per trace" },
    { "simConfig.saveDpk", NULL, "simConfig.saveDpk: not supported; use saveJson (written gzip'd with .json.gz)" },
  };

  nl_run_save_prepare (spec, res);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      if (!flag (spec, flags[i].flag))
        continue;
      if (flags[i].note)
        fprintf (stderr, "note: %s\n", flags[i].note);
      if (!flags[i].ext)
        continue;
      if (!base)
        base = nl_run_save_base (spec);
      {
        g_autofree char *path = g_strconcat (base, flags[i].ext, NULL);
        if (!nl_results_format_for_filename (path))
          {
            fprintf (stderr, "note: %s: this build of NetLoom cannot write %s files; skipped\n", flags[i].flag,
                     flags[i].ext);
            continue;
          }
        if (!save_one (spec, net, res, path, written, error))
          return FALSE;
      }
    }
  return TRUE;
}
