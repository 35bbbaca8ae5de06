/* nl-session.h — what the workbench has open: a model (spec and its built network), results,
 * or both, and where they came from. GTK-free: panels read it, the window and the sim plugin
 * fill it, and tests drive it without a display.
 *
 * Loading runs in a worker thread (GTask); "changed" is emitted on the main context when the
 * session's contents change, with flags saying what changed.
 */
#pragma once

#include <gio/gio.h>
#include <nl-network.h>
#include <nl-results.h>
#include <nl-spec.h>

G_BEGIN_DECLS

typedef enum {
  NL_SESSION_SPEC    = 1 << 0,
  NL_SESSION_NETWORK = 1 << 1,
  NL_SESSION_RESULTS = 1 << 2,
} NlSessionParts;

#define NL_TYPE_SESSION (nl_session_get_type ())
G_DECLARE_FINAL_TYPE (NlSession, nl_session, NL, SESSION, GObject)

NlSession  *nl_session_new            (void);

NlSpec     *nl_session_get_spec       (NlSession     *self);
NlNetwork  *nl_session_get_network    (NlSession     *self);
NlResults  *nl_session_get_results    (NlSession     *self);
/* The files the model and the results were read from (NULL when none). */
GFile      *nl_session_get_model_file   (NlSession   *self);
GFile      *nl_session_get_results_file (NlSession   *self);
/* A short name for titles: the results' or the model's file name. */
char       *nl_session_dup_title      (NlSession     *self);

/* Replace parts (NULL clears); emits "changed" once. */
void        nl_session_set_model      (NlSession     *self,
                                       NlSpec        *spec,
                                       NlNetwork     *network,
                                       GFile         *file);
/* The network built from the current spec (after an edit). */
void        nl_session_set_network    (NlSession     *self,
                                       NlNetwork     *network);
void        nl_session_set_results    (NlSession     *self,
                                       NlResults     *results,
                                       GFile         *file);

/* Opens FILE in a worker thread: a results file (any format data/ reads) sets the results,
 * and when it carries the model (NetPyNE saveData with net.params and simConfig) the model
 * too; a model file (NetLoom or NetPyNE JSON) sets the model and builds its network.
 * Problems of a model that does not validate come back as the GError (first error, with
 * its path). */
void        nl_session_open_async     (NlSession          *self,
                                       GFile              *file,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean    nl_session_open_finish    (NlSession          *self,
                                       GAsyncResult       *result,
                                       GError            **error);
/* The same, blocking (tests, the CLI). */
gboolean    nl_session_open           (NlSession          *self,
                                       GFile              *file,
                                       GCancellable       *cancellable,
                                       GError            **error);

G_END_DECLS
