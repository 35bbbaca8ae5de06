/* nl-json.h — JSON documents as NetLoom reads them: plain or gzip, with positions.
 *
 * json-glib gives a tree but no positions; `check` must say on which line a bad key sits,
 * so the document keeps its text and finds a key path's line:column on demand.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NL_JSON_ERROR (nl_json_error_quark ())
GQuark nl_json_error_quark (void);

typedef enum {
  NL_JSON_ERROR_READ,     /* cannot open or decompress */
  NL_JSON_ERROR_SYNTAX,   /* not JSON; line/column given */
  NL_JSON_ERROR_TOO_DEEP, /* nesting beyond NL_JSON_MAX_DEPTH */
  NL_JSON_ERROR_EMPTY,
} NlJsonError;

#define NL_JSON_MAX_DEPTH 512
#define NL_JSON_MAX_SIZE  (G_GINT64_CONSTANT (4) << 30)

typedef struct _NlJsonDoc NlJsonDoc;

/* Reads FILE (gzip recognised by its magic bytes, whatever the extension). On a syntax
 * error `line`/`column` (1-based, may be NULL) say where; the GError message is
 * "FILE:LINE:COLUMN: what was expected". */
NlJsonDoc  *nl_json_doc_load           (const char  *filename,
                                        int         *line,
                                        int         *column,
                                        GError     **error);
NlJsonDoc  *nl_json_doc_new_from_data  (const char  *data,
                                        gsize        len,
                                        const char  *display_name,
                                        int         *line,
                                        int         *column,
                                        GError     **error);
NlJsonDoc  *nl_json_doc_ref            (NlJsonDoc   *doc);
void        nl_json_doc_unref          (NlJsonDoc   *doc);
JsonNode   *nl_json_doc_get_root       (NlJsonDoc   *doc);
const char *nl_json_doc_get_filename   (NlJsonDoc   *doc);

/* Where the key at `path` (built with nl_json_path_append_*) is written: line and column
 * of its opening quote, or of the element for a list index. FALSE when absent. */
gboolean    nl_json_doc_locate         (NlJsonDoc   *doc,
                                        const char  *path,
                                        int         *line,
                                        int         *column);

/* Where many paths are, in one walk over the text: `paths` maps each wanted path (char*) to
 * an NlJsonPos* the walk fills in (line 0 when absent). */
typedef struct {
  int line, column;
} NlJsonPos;
void        nl_json_doc_locate_many    (NlJsonDoc   *doc,
                                        GHashTable  *paths);

/* Keys that appear twice in one object (json-glib keeps the last silently), as paths. */
GPtrArray  *nl_json_doc_duplicate_keys (NlJsonDoc   *doc);

/* A JSON number (or true/false, as Python reads them) as a double. */
gboolean    nl_json_number             (JsonNode    *node,
                                        double      *value);

void        nl_json_path_append_key    (GString     *path,
                                        const char  *key);
void        nl_json_path_append_index  (GString     *path,
                                        guint        index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlJsonDoc, nl_json_doc_unref)

/* Writing. json-glib prints doubles with 17 digits (0.1 → 0.10000000000000001); NetLoom
 * writes the shortest text that reads back to the same double, and whole doubles with
 * ".0" as Python does, so a NetPyNE file saved back looks like the one that was loaded.
 * indent < 0: compact. Non-finite numbers are written as null (JSON has no NaN). */
void      nl_json_format_double  (char        buf[32],
                                  double      value);
/* The same for a value stored as float32 (weights, delays): the shortest text that reads
 * back to the same float, so 0.005f prints as 0.005, not 0.004999999888. */
void      nl_json_format_float   (char        buf[32],
                                  float       value);
/* Appends `s` as a JSON string literal, quotes included. */
void      nl_json_append_string  (GString    *out,
                                  const char *s);
char     *nl_json_to_string      (JsonNode   *node,
                                  int         indent,
                                  gsize      *length);
/* Atomically (temporary file, fsync, rename); gzip when the name ends in ".gz". */
gboolean  nl_json_write_file     (JsonNode   *node,
                                  const char *filename,
                                  int         indent,
                                  GError    **error);

G_END_DECLS
