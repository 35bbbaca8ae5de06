/* nl-pickle.h — a safe decoder for Python pickles (protocols 2–5) into a JsonNode tree.
 *
 * NetPyNE's sim.saveData(savePickle) writes its results with pickle.dump. This decoder reads
 * such files as data and never runs anything: it knows the opcodes of protocols 2–5 (and the
 * simple text ones of protocol 0 a protocol-2 stream may hold) and a fixed list of globals,
 * each reconstructed by NetLoom itself:
 *
 *   netpyne.specs.dicts.Dict/ODict (and netpyne.specs.Dict/ODict), the ODict subclasses of
 *   netpyne.specs.netParams (PopParams, CellParams, ConnParams, SynMechParams, SubConnParams,
 *   StimSourceParams, StimTargetParams, RxDParams), collections.OrderedDict,
 *   builtins dict/list/tuple/set/frozenset/bytes/bytearray/object, copyreg._reconstructor,
 *   _codecs.encode (protocol 2's bytes), numpy.ndarray, numpy.dtype and, under numpy.core or
 *   numpy ≥ 1.25's numpy._core: multiarray._reconstruct, multiarray.scalar, numeric._frombuffer.
 *
 * Any other global (os.system, builtins.eval …) is refused with an error naming it.
 *
 * Mapping: dicts (and Dict/ODict/OrderedDict) → objects in file order, keys that are not
 * strings written as Python's str() would (1 → "1", (1, 'a') → "(1, 'a')", None → "None");
 * lists, tuples, sets and frozensets → arrays (sets in file order); numpy arrays → arrays of
 * numbers (nested for 2-D and more, in index order whatever the memory order; bool → booleans;
 * 0-d → a number); numpy scalars → numbers; integers beyond 64 bits → doubles; bytes →
 * a string when they are UTF-8 without NUL, else an array of byte values.
 *
 * Limits: declared lengths are checked against the bytes left before anything is allocated;
 * the stack, the memo and the nesting depth are bounded; an object referenced many times is
 * expanded at most to a budget proportional to the file size; recursive structures are
 * refused. Every error message starts with the display name and, while decoding, names the
 * byte offset and the opcode.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NL_PICKLE_MAX_DEPTH  512        /* nesting of containers in the result */
#define NL_PICKLE_MAX_STACK  (1u << 24) /* values on the stack at once */
#define NL_PICKLE_MAX_MEMO   (1u << 24) /* memo entries */

/* Decodes one pickle from `data` (`len` bytes). `display_name` starts error messages. */
JsonNode *nl_pickle_decode (const guint8  *data,
                            gsize          len,
                            const char    *display_name,
                            GError       **error);

/* Maps the file and decodes it. */
JsonNode *nl_pickle_load   (const char    *filename,
                            GError       **error);

G_END_DECLS
