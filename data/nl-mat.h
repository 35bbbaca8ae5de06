/* nl-mat.h — NetPyNE's MATLAB (.mat) and hdf5storage (.hdf5) results files.
 *
 * NetPyNE's sim.saveData writes its dict {netpyne_version, simConfig, net, simData} with
 * scipy.io.savemat (MAT 5; saveMat) or hdf5storage.writes (MAT 7.3-style HDF5; saveHDF5).
 * The readers walk the file's variables into a JsonNode tree shaped as NetPyNE's JSON output
 * would be, and hand it to nl_netpyne_json_read_node, so every format means the same thing:
 *  - struct → object (a struct array of more than one element → list of objects), cell
 *    array → list, char array → string (a char matrix → list of its rows, right-trimmed),
 *    numeric 1×1 → number, vector (1×N or N×1) → list, matrix → list of rows (row-major, as
 *    numpy's tolist), logical → booleans, empty → [] (an empty char → ""), the string
 *    "__np_none__" (NetPyNE's None in MAT files) → null;
 *  - NetPyNE's vectors stay lists whatever their length (simData.spkt/spkid/t, the
 *    simData.<trace>.cell_<gid> traces, net.pops.<pop>.cellGids), and its matrices stay
 *    lists of rows (simData.LFP, simData.LFPPops.<pop>, simData.LFPCells.<key>,
 *    simConfig.recordLFP) even when a dimension is 1, since savemat stores [x] as 1×1;
 *  - sparse, complex, object and function values are errors naming their path.
 * Then the LFP's parts are taken from simData.LFPPops (population → samples × electrodes)
 * and simData.LFPCells (keyed "cell_<gid>" or "<gid>"), and the electrode positions from
 * simConfig.recordLFP (electrodes × 3), which nl_netpyne_json_read_node does not read.
 *
 * Error messages start with the file name and name the variable path ("simData.V_soma.
 * cell_3", "net.cells{4}.tags"); a declared size the file cannot hold is an error before
 * anything is allocated for it.
 */
#pragma once

#include <gio/gio.h>
#include <nl-results.h>

G_BEGIN_DECLS

/* MAT 5 or 7.3 through matio; meta["format"] = "netpyne-mat". */
NlResults *nl_netpyne_mat_read        (const char  *filename,
                                       GError     **error);

/* The tree the MAT reader makes (before nl_mat_tree_to_results): {variable: value}. */
JsonNode  *nl_netpyne_mat_read_tree   (const char  *filename,
                                       GError     **error);

/* NetPyNE's saveHDF5 output (hdf5storage: HDF5 with a 512-byte MATLAB 7.3 user block, groups
 * for dicts, MATLAB_class/Python.Type attributes, lists as cell arrays of object references
 * into /#refs#), walked with the HDF5 C API; meta["format"] = "netpyne-hdf5". Each
 * referenced object is expanded at most once, so cycles and shared references are errors,
 * not unbounded output. */
NlResults *nl_hdf5storage_read        (const char  *filename,
                                       GError     **error);
/* Its tree: {top-level name: value}, "#refs#" and NetPyNE's "__np_keys__" left out. */
JsonNode  *nl_hdf5storage_read_tree   (const char  *filename,
                                       GError     **error);
/* The same walk without reading values: every object reached once, every declared size
 * within what the file holds. The MAT reader runs it on MAT 7.3 files before matio, which
 * follows references without such checks. */
gboolean   nl_hdf5storage_check       (const char  *filename,
                                       GError     **error);
/* Whether an HDF5 file (plain or with a user block) looks written by hdf5storage: some object
 * under / carries a "Python.Type" or "MATLAB_class" attribute, and / has no "netloom_format"
 * attribute and no /spikes group. MAT 7.3 files written by matio (MATLAB_class, no
 * Python.Type) are hdf5storage-readable too but are left to matio: this returns TRUE for
 * them only when `include_matlab` is set. */
gboolean   nl_hdf5storage_sniff       (const char  *filename,
                                       gboolean     include_matlab);

/* NlResults as a MAT 7.3 file in NetPyNE's saveData layout, atomically (temporary file beside
 * the target, fsync, rename):
 *   netloom_version (char, when meta has it),
 *   simConfig (struct: meta["simConfig"] when present, else empty, plus duration; with LFP
 *     also recordStep = the LFP's step and recordLFP = electrodes × 3 when positions are known),
 *   net.pops.<pop>.cellGids (int64 1×N),
 *   simData.spkt, simData.spkid (double 1×N), simData.t (double 1×N) and
 *   simData.<trace>.cell_<gid> (double 1×N) when there are traces,
 *   simData.LFP (double samples × electrodes), simData.LFPPops.<pop> and
 *   simData.LFPCells.cell_<gid> (same shape) for the LFP's parts.
 * JSON values of meta["simConfig"] map as savemat maps NetPyNE's: objects → structs, lists
 * of numbers → double (int64 when all whole) row vectors, other lists → cell rows, strings →
 * char, booleans → logical, null → "__np_none__". Names that cannot be an HDF5 member name
 * (empty, containing '/', ".") are G_IO_ERROR_INVALID_ARGUMENT. Field names may be
 * longer than MAT 5's 31 characters. */
gboolean   nl_netpyne_mat_write       (NlResults   *r,
                                       const char  *filename,
                                       GError     **error);

/* Internal limits: deflate expands at most about 1032:1, so a value declaring more than this
 * many bytes per byte of file (plus some slack for tiny files) cannot be real. */
#define NL_MAT_MAX_RATIO 1100
#define NL_MAT_SLACK     (G_GUINT64_CONSTANT (1) << 20)
#define NL_MAT_MAX_DEPTH 128

/* Internal: checks a MAT 5 file's whole element tree (tag sizes within their parents, counts
 * within their data, compressed variables inflated and their checksums verified) before
 * matio, which trusts them, reads it. Returns the number of top-level variables, or -1. */
int        nl_mat5_check              (const char  *filename,
                                       GError     **error);

/* Internal: nodes that take over (not ref) their container. */
JsonNode  *nl_mat_take_array          (JsonArray   *a);
JsonNode  *nl_mat_take_object         (JsonObject  *o);

/* Internal, shared by both readers: the tree → NlResults step described above; takes
 * simData.LFPPops and LFPCells out of `root` (the JSON reader would take LFPCells' cell_<gid>
 * members for a trace) and sets meta["format"]. */
NlResults *nl_mat_tree_to_results     (JsonNode    *root,
                                       const char  *filename,
                                       const char  *format,
                                       GError     **error);

/* Internal, shared by both readers: the shape a value at `path` must keep. */
typedef enum {
  NL_MAT_SHAPE_AUTO,     /* 1×1 → number, vector → list, matrix → list of rows */
  NL_MAT_SHAPE_VECTOR,   /* always a flat list */
  NL_MAT_SHAPE_MATRIX,   /* always a list of rows */
} NlMatShape;

NlMatShape nl_mat_shape_for_path      (const char  *path);

/* Internal: a numeric or logical array (MATLAB dims, column-major `data` of `n` elements
 * read through `get`) as JSON in the given shape. */
typedef JsonNode *(*NlMatElementFunc) (const void *data, gsize index, gpointer user_data);
JsonNode  *nl_mat_array_to_json       (int          rank,
                                       const gsize *dims,
                                       NlMatShape   shape,
                                       NlMatElementFunc get,
                                       const void  *data,
                                       gpointer     user_data);

G_END_DECLS
