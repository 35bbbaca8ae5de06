/* nl-results-read.h — reading a results file into NlResults, whatever its format.
 *
 * nl_results_read() sniffs the file (nl_format_detect_file) and hands it to the reader of
 * its format: NetPyNE's sim.saveData JSON (plain or gzip), MAT (5 or 7.3), hdf5storage .hdf5
 * (nl-mat.h) and pickle (nl-pickle.h), SONATA spikes (HDF5), NetLoom's native .h5 (nl-h5.h)
 * and spike CSV. Every error message starts with the file name and names
 * the key or HDF5 object path at fault; bad input never crashes and never makes the reader
 * allocate more than the file can hold.
 *
 * meta["format"] says what was read: "netpyne-json", "netpyne-mat", "netpyne-hdf5",
 * "netpyne-pickle", "sonata", "netloom-h5" or "csv" (CONTRACTS.md `info`).
 */
#pragma once

#include <gio/gio.h>
#include <nl-results.h>

G_BEGIN_DECLS

NlResults *nl_results_read          (const char  *filename,
                                     GError     **error);

/* The readers behind it (for fuzzing and tests). */

/* A NetPyNE sim.saveData document already parsed; `display_name` starts error messages. */
NlResults *nl_netpyne_json_read_node (JsonNode    *root,
                                      const char  *display_name,
                                      GError     **error);
NlResults *nl_netpyne_json_read      (const char  *filename,
                                      GError     **error);

/* NetPyNE's sim.saveData pickle (nl-pickle.h decodes it); meta["format"] = "netpyne-pickle". */
NlResults *nl_netpyne_pickle_read    (const char  *filename,
                                      GError     **error);

/* SONATA spikes: /spikes/<population>/{timestamps, node_ids}. G_IO_ERROR_NOT_SUPPORTED when
 * the file is HDF5 but has no /spikes group (another HDF5 layout). Populations are taken in
 * name order; the gids of population k are its node ids plus the sum, over the populations
 * before it, of (largest node id + 1), so gids are unique; a single population keeps its node
 * ids as gids. Each population's gids are offset .. offset + largest node id (the spikes file
 * does not say how many nodes there are, so cells is left unknown), or, when that range is
 * more than 16 × the population's spikes and over 2^20, only the node ids that spiked. */
NlResults *nl_sonata_read            (const char  *filename,
                                      GError     **error);

G_END_DECLS
