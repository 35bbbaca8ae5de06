/* nl-spec-edit.h — editing a model: set, rename and remove keys by path, undo and redo,
 * validation after every change. GTK-free: the editor panel is a view of it, and tests drive
 * it without a display.
 *
 * Paths are the validator's: "popParams.E.numCells" (netParams implied; a leading
 * "netParams." is accepted) or "simConfig.duration". Each change re-reads the whole model
 * from its text, so problems carry lines and columns like `netloom check`'s.
 */
#pragma once

#include <nl-spec.h>
#include <nl-problem.h>

G_BEGIN_DECLS

#define NL_TYPE_SPEC_EDIT (nl_spec_edit_get_type ())
G_DECLARE_FINAL_TYPE (NlSpecEdit, nl_spec_edit, NL, SPEC_EDIT, GObject)

NlSpecEdit *nl_spec_edit_new          (NlSpec      *spec);
/* The model as edited so far (a new object after each change). */
NlSpec     *nl_spec_edit_get_spec     (NlSpecEdit  *self);
/* Its problems (all severities), sorted; owned by the editor. */
GPtrArray  *nl_spec_edit_get_problems (NlSpecEdit  *self);
guint       nl_spec_edit_count        (NlSpecEdit  *self,
                                       NlSeverity   severity);

/* `value_text` is JSON ("80", "[0, 100]", "\"PYR\"", "{…}"); anything that does not parse as
 * JSON is taken as a string, so typing PYR or 19 + uniform(-0.5, 0.5) works. Creates missing
 * parents. */
gboolean    nl_spec_edit_set          (NlSpecEdit  *self,
                                       const char  *path,
                                       const char  *value_text,
                                       GError     **error);
gboolean    nl_spec_edit_remove       (NlSpecEdit  *self,
                                       const char  *path,
                                       GError     **error);
/* Renames the last key of `path` to `new_key`, keeping its value (and its place). */
gboolean    nl_spec_edit_rename       (NlSpecEdit  *self,
                                       const char  *path,
                                       const char  *new_key,
                                       GError     **error);
/* The value at path as JSON text (NULL when absent). */
char       *nl_spec_edit_get_text     (NlSpecEdit  *self,
                                       const char  *path);

gboolean    nl_spec_edit_can_undo     (NlSpecEdit  *self);
gboolean    nl_spec_edit_can_redo     (NlSpecEdit  *self);
gboolean    nl_spec_edit_undo         (NlSpecEdit  *self);
gboolean    nl_spec_edit_redo         (NlSpecEdit  *self);

gboolean    nl_spec_edit_save         (NlSpecEdit  *self,
                                       const char  *filename,
                                       GError     **error);
gboolean    nl_spec_edit_save_netpyne (NlSpecEdit  *self,
                                       const char  *net_params_file,
                                       const char  *sim_config_file,
                                       GError     **error);

G_END_DECLS
