/* nl-run-save.h — the files `netloom run` writes from simConfig's save flags. */
#pragma once

#include <nl-network.h>
#include <nl-results.h>
#include <nl-spec.h>

G_BEGIN_DECLS

/* NetPyNE's output base name: FILENAME_data or SAVEFOLDER/(SIMLABEL|FILENAME)_data, with
 * "-YYYYmmdd_HHMMSS" when timestampFilename. */
char     *nl_run_save_base    (NlSpec     *spec);
/* Puts the model's simConfig, netParams and NetLoom's version into the results' meta, so
 * every writer records them (NetPyNE's JSON as net.params: the file is a model too). */
void      nl_run_save_prepare (NlSpec     *spec,
                               NlResults  *res);
/* Writes what saveJson/saveMat/saveCSV/saveHDF5 ask for (notes on stderr for the flags
 * NetLoom does not write), appending each path written to `written`. */
gboolean  nl_run_save_outputs (NlSpec     *spec,
                               NlNetwork  *net,
                               NlResults  *res,
                               GPtrArray  *written,
                               GError    **error);

G_END_DECLS
