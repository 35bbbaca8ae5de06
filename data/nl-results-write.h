/* nl-results-write.h — writing NlResults in the formats NetLoom exchanges, and spike CSVs.
 *
 * Every writer is atomic: it writes a temporary file beside the target, flushes it to disk
 * and renames it over the target only when everything was written; on any failure the
 * temporary file is removed and an existing target is left as it was.
 *
 * Formats (`format`, or NULL to choose by the file name's extension):
 *  - "netpyne-json" (`.json`, `.json.gz` gzip): NetPyNE's sim.saveData layout,
 *    {"netloom_version", "simConfig": {… "duration", "recordStep" when there is LFP},
 *     "net": {"pops": {NAME: {"cellGids": […]}}},
 *     "simData": {"spkt", "spkid", "t" and "<trace>": {"cell_<gid>": […]} when there are
 *     traces, "LFP": [[…]] (samples × electrodes) when there is LFP}}, streamed, numbers
 *    as the shortest text that reads back to the same double. simConfig is meta["simConfig"]
 *    when the results carry one (else {}), with duration/recordStep set from the results.
 *  - "csv" (`.csv`): spikes, header `t_ms,gid`, sorted by time then gid, times `%.17g`.
 *  - "sonata" (`.sonata.h5`): SONATA spikes (see nl_sonata_write).
 *  - "netloom-h5" (`.h5`, not `.sonata.h5`): NetLoom's native file (nl-h5.h; no spec or
 *    network from here: call nl_h5_write to include them).
 *  - "netpyne-mat" (`.mat`): MAT 7.3 in the same layout (nl_netpyne_mat_write, nl-mat.h).
 * An unknown format or extension is G_IO_ERROR_INVALID_ARGUMENT.
 */
#pragma once

#include <gio/gio.h>
#include <nl-network.h>
#include <nl-results.h>
#include <nl-spec.h>

G_BEGIN_DECLS

gboolean    nl_results_write          (NlResults   *r,
                                       const char  *filename,
                                       const char  *format,
                                       GError     **error);
/* The same with the model and its network when they are at hand: NetPyNE JSON then has
 * net.cells (NetPyNE's saveDataInclude 'netCells'), NetLoom's .h5 /spec and /network. */
gboolean    nl_results_write_full     (NlResults   *r,
                                       NlSpec      *spec,
                                       NlNetwork   *net,
                                       const char  *filename,
                                       const char  *format,
                                       GError     **error);
gboolean    nl_netpyne_json_write_full (NlResults  *r,
                                       NlNetwork   *net,
                                       const char  *filename,
                                       gboolean     gzip,
                                       GError     **error);

/* DIR/spikes.csv (t_ms,gid) and DIR/<trace>.csv (t_ms,cell_<gid>,…: one row per sample), each
 * atomically; `notes` (may be NULL) gets a line for each trace not written (its name is
 * "spikes", contains '/' or starts with '.'). */
gboolean    nl_results_write_csv_dir  (NlResults   *r,
                                       const char  *dir,
                                       GPtrArray   *notes,
                                       GError     **error);

/* The format nl_results_write would pick for `filename` ("netpyne-json", "csv", "sonata",
 * "netloom-h5", "netpyne-mat"), or NULL. */
const char *nl_results_format_for_filename (const char *filename);

gboolean    nl_netpyne_json_write     (NlResults   *r,
                                       const char  *filename,
                                       gboolean     gzip,
                                       GError     **error);
gboolean    nl_spikes_csv_write       (NlResults   *r,
                                       const char  *filename,
                                       GError     **error);

/* SONATA spikes: root attributes magic = 0x0A7A (uint32) and version = [0, 1] (uint32[2]);
 * /spikes/<population>/timestamps (float64, attribute units = "ms") and node_ids (uint64),
 * group attribute sorting = "by_time" (string). One SONATA population per results
 * population, written in name order (the order nl_sonata_read takes them).
 *
 * Node ids are the inverse of nl_sonata_read's gid rule, so that write → read gives back
 * the same spike gids: population k (name order) gets node id = gid − offset_k, where
 * offset_k = 1 + the largest spiking gid of the populations before it (0 for the first).
 * That is possible only when, in name order, each population's spiking gids lie above
 * those of the populations before it; when they do not (e.g. NetPyNE's tut2: "M" = 20..39
 * comes before "S" = 0..19), node ids are gid − the population's first gid (SONATA's own
 * convention) and the gids read back are renumbered (see nl_sonata_write_keeps_gids).
 * Results with no population, or with a spike whose gid is in no population, are written
 * as one population "all" whose node ids are the gids. Population sizes are not stored
 * (SONATA spike files do not hold them): a reader sees each population as the node ids up
 * to its largest spiking one. */
gboolean    nl_sonata_write           (NlResults   *r,
                                       const char  *filename,
                                       GError     **error);
/* Whether nl_sonata_write keeps every spike's gid through nl_sonata_read. */
gboolean    nl_sonata_write_keeps_gids (NlResults  *r);

/* Spike CSV: one spike a line, comma- (or tab- or semicolon-) separated. `t_col`/`gid_col`
 * are 0-based column numbers, or -1 to find them by header name (times: t, time, t_ms,
 * spkt, timestamps; gids: gid, id, spkid, node_ids, node_id, cell). Without a header both
 * columns must be given. Bad lines give G_IO_ERROR_INVALID_DATA "FILE:LINE: …". Read line by
 * line; meta["format"] = "csv". */
NlResults  *nl_spikes_csv_read        (const char  *filename,
                                       int          t_col,
                                       int          gid_col,
                                       GError     **error);

G_END_DECLS

/* Internal: the atomic, buffered, optionally gzip'd output the text writers share. */
typedef struct {
  GFileOutputStream *fout;
  GOutputStream     *zout;
  GOutputStream     *out;
  GString           *buf;
  GError            *error;
} NlAtomicOut;

gboolean    nl_atomic_out_open        (NlAtomicOut *o,
                                       const char  *filename,
                                       gboolean     gzip,
                                       GError     **error);
/* Writes the buffer out once it holds `limit` bytes (0: always); errors stay in o->error. */
void        nl_atomic_out_flush_if    (NlAtomicOut *o,
                                       gsize        limit);
/* Flushes, fsyncs and renames into place; or, after an error, removes the temporary file
 * and keeps the old target. Frees o's contents either way. */
gboolean    nl_atomic_out_finish      (NlAtomicOut *o,
                                       const char  *filename,
                                       GError     **error);
