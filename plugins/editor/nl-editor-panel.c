/* nl-editor-panel.c — the model editor: forms over NlSpecEdit.
 *
 * Left, the model's entries (populations, cell rules, synapses, stimuli, connections,
 * simConfig); right, one row per key of the entry chosen; below, every problem of the model
 * with the validator's message and, when it has one, a Fix button that applies its
 * suggestion. All of it goes through the panel's actions (panel.set, panel.rename,
 * panel.undo …), which the buttons and the tests use alike.
 */
#include "nl-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <nl-json.h>
#include <nl-panel.h>
#include <string.h>

#include "nl-spec-edit.h"

#define NL_TYPE_EDITOR_PANEL (nl_editor_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlEditorPanel, nl_editor_panel, NL, EDITOR_PANEL, GtkWidget)

struct _NlEditorPanel {
  GtkWidget            parent_instance;

  GtkWidget           *box;
  GtkWidget           *status;
  GtkListBox          *entries;
  AdwPreferencesGroup *form;
  GtkWidget           *form_page;
  GtkListBox          *problems;
  GtkWidget           *new_entry;

  NlSession           *session;
  NlSpecEdit          *edit;
  char                *selected;   /* "popParams.E", "simConfig", "netParams" */
  GSimpleActionGroup  *actions;
  GList               *form_rows;
};

static void nl_editor_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlEditorPanel, nl_editor_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_editor_panel_iface_init))

/* The sections shown, in the order a NetPyNE user writes them. */
static const char *const sections[] = {
  "popParams", "cellParams", "synMechParams", "stimSourceParams", "stimTargetParams",
  "connParams", "subConnParams", NULL
};

static void rebuild (NlEditorPanel *self);

static void
set_action_enabled (NlEditorPanel *self, const char *name, gboolean enabled)
{
  GAction *a = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (a), enabled);
}

static void
report (NlEditorPanel *self, GError *error)
{
  g_message ("%s", error->message);
  gtk_label_set_text (GTK_LABEL (self->status), error->message);
  gtk_widget_add_css_class (self->status, "error");
}

/* Problems -------------------------------------------------------------------------------- */

static char *
problems_text (NlEditorPanel *self)
{
  GPtrArray *problems = nl_spec_edit_get_problems (self->edit);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = nl_problem_to_string (problems->pdata[i]);
      g_string_append (s, line);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* What Fix does with a problem's suggestion: rename a misspelt key, or replace a misspelt
 * name in a value (a cellType, a synMech…); nothing when the suggestion is a key to add. */
typedef enum { FIX_NONE, FIX_RENAME, FIX_SET } FixKind;

static FixKind
fix_kind (NlEditorPanel *self, NlProblem *p)
{
  g_autofree char *value = NULL;

  if (!p->suggestion || !p->path)
    return FIX_NONE;
  if (g_str_has_prefix (p->message, "unknown key"))
    return FIX_RENAME;
  value = strstr (p->message, "did you mean") ? nl_spec_edit_get_text (self->edit, p->path) : NULL;
  return value && value[0] == '"' ? FIX_SET : FIX_NONE;
}

static void
fix_clicked (GtkButton *button, NlEditorPanel *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "nl-path");
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "fix", g_variant_new_string (path));
}

static void
rebuild_problems (NlEditorPanel *self)
{
  GPtrArray *problems = nl_spec_edit_get_problems (self->edit);
  guint errors = nl_spec_edit_count (self->edit, NL_SEVERITY_ERROR);
  guint warnings = nl_spec_edit_count (self->edit, NL_SEVERITY_WARNING);
  GtkWidget *child;
  g_autofree char *status = NULL;
  g_autofree char *text = problems_text (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems))))
    gtk_list_box_remove (self->problems, child);
  for (guint i = 0; i < problems->len; i++)
    {
      NlProblem *p = problems->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_markup_escape_text (p->path ? p->path : "", -1);
      g_autofree char *subtitle = g_markup_escape_text (p->message, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (p->severity == NL_SEVERITY_ERROR
                                                               ? "dialog-error-symbolic"
                                                               : "dialog-warning-symbolic"));
      if (fix_kind (self, p) != FIX_NONE)
        {
          g_autofree char *label = g_strdup_printf (_("Use “%s”"), p->suggestion);
          GtkWidget *fix = gtk_button_new_with_label (label);
          gtk_widget_set_valign (fix, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (fix), "nl-path", g_strdup (p->path), g_free);
          g_signal_connect (fix, "clicked", G_CALLBACK (fix_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), fix);
        }
      gtk_list_box_append (self->problems, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems), problems->len > 0);

  if (errors == 0 && warnings == 0)
    status = g_strdup (_("No problems"));
  else
    {
      g_autofree char *e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", errors), errors);
      g_autofree char *w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings),
                                            warnings);
      /* TRANSLATORS: "3 errors, 1 warning" */
      status = g_strdup_printf (_("%s, %s"), e, w);
    }
  gtk_label_set_text (GTK_LABEL (self->status), status);
  gtk_widget_remove_css_class (self->status, errors ? "success" : "error");
  gtk_widget_add_css_class (self->status, errors ? "error" : "success");
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "problems")),
                             g_variant_new_string (text));
}

/* The form ------------------------------------------------------------------------------- */

static gboolean
path_has_problem (NlEditorPanel *self, const char *path, const char **message)
{
  GPtrArray *problems = nl_spec_edit_get_problems (self->edit);

  for (guint i = 0; i < problems->len; i++)
    {
      NlProblem *p = problems->pdata[i];
      if (p->path && (g_str_equal (p->path, path) || (g_str_has_prefix (p->path, path) && p->path[strlen (path)] == '.')))
        {
          *message = p->message;
          return TRUE;
        }
    }
  return FALSE;
}

static void
row_applied (AdwEntryRow *row, NlEditorPanel *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "nl-path");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "set", g_variant_new ("(ss)", path, text));
}

static void
add_key_applied (AdwEntryRow *row, NlEditorPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  const char *sep = strpbrk (text, "=:");
  g_autofree char *key = NULL, *path = NULL;

  if (!sep)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return;
    }
  key = g_strstrip (g_strndup (text, sep - text));
  path = g_strdup_printf ("%s.%s", self->selected, key);
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "set", g_variant_new ("(ss)", path, sep + 1));
}

/* A value as the user types it: strings without quotes, everything else as JSON. */
static char *
value_for_entry (JsonNode *value)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  /* One line, as typed, numbers as their shortest text: [100, 400], 18.8 */
  return nl_json_to_string (value, -1, NULL);
}

/* The object at the selected path, any depth: "popParams.E", "cellParams.PYR.secs.soma.geom",
 * "simConfig", "simConfig.hParams", "netParams". */
static JsonObject *
selected_object (NlEditorPanel *self)
{
  NlSpec *spec = nl_spec_edit_get_spec (self->edit);
  g_auto(GStrv) p = NULL;
  JsonObject *o;
  guint i = 0;

  if (!self->selected)
    return NULL;
  p = g_strsplit (self->selected, ".", -1);
  if (g_str_equal (p[0], "simConfig"))
    o = nl_spec_get_sim_config (spec), i = 1;
  else if (g_str_equal (p[0], "netParams"))
    o = nl_spec_get_net_params (spec), i = 1;
  else
    o = nl_spec_get_net_params (spec);
  for (; o && p[i]; i++)
    {
      JsonNode *n = json_object_get_member (o, p[i]);
      o = n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  return o;
}

static void
nested_activated (AdwActionRow *row, NlEditorPanel *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "nl-path");
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "select", g_variant_new_string (path));
}

static void
form_add (NlEditorPanel *self, GtkWidget *row)
{
  adw_preferences_group_add (self->form, row);
  self->form_rows = g_list_append (self->form_rows, row);
}

static void
rebuild_form (NlEditorPanel *self)
{
  JsonObject *o = selected_object (self);
  g_autoptr(GList) members = NULL;
  GtkWidget *add;
  const char *dot;

  for (GList *l = self->form_rows; l; l = l->next)
    adw_preferences_group_remove (self->form, l->data);
  g_clear_pointer (&self->form_rows, g_list_free);
  adw_preferences_group_set_title (self->form, self->selected ? self->selected : "");
  if (!o)
    return;
  /* Deeper than an entry (a cell rule's sections, a section's geometry …): a way back up. */
  dot = strrchr (self->selected, '.');
  if (dot && strchr (self->selected, '.') != dot)
    {
      GtkWidget *up = adw_action_row_new ();
      g_autofree char *parent = g_strndup (self->selected, dot - self->selected);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (up), parent);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (up), _("Back to the enclosing keys"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (up), gtk_image_new_from_icon_name ("go-up-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (up), TRUE);
      g_object_set_data_full (G_OBJECT (up), "nl-path", g_steal_pointer (&parent), g_free);
      g_signal_connect (up, "activated", G_CALLBACK (nested_activated), self);
      form_add (self, up);
    }
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (o, key);
      GtkWidget *row;
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      const char *message = NULL;

      /* netParams' own scalars only: its sections have their own entries. */
      if (g_str_equal (self->selected, "netParams") && g_strv_contains (sections, key))
        continue;
      path = g_str_equal (self->selected, "netParams") ? g_strdup (key)
                                                        : g_strdup_printf ("%s.%s", self->selected, key);
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          /* Nested keys (secs, geom, mechs, topol, hParams …) get a form of their own. */
          g_autoptr(GList) inner = json_object_get_members (json_node_get_object (value));
          g_autoptr(GString) names = g_string_new (NULL);
          for (GList *k = inner; k && names->len < 60; k = k->next)
            g_string_append_printf (names, "%s%s", names->len ? ", " : "", (char *) k->data);
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), names->len ? names->str : _("(empty)"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect (row, "activated", G_CALLBACK (nested_activated), self);
        }
      else
        {
          text = value_for_entry (value);
          row = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
          gtk_editable_set_text (GTK_EDITABLE (row), text);
          g_signal_connect (row, "apply", G_CALLBACK (row_applied), self);
        }
      g_object_set_data_full (G_OBJECT (row), "nl-path", g_steal_pointer (&path), g_free);
      if (path_has_problem (self, g_object_get_data (G_OBJECT (row), "nl-path"), &message))
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_set_tooltip_text (row, message);
        }
      form_add (self, row);
    }
  {
    /* What the form shows, for tests and screen readers alike: "diam,L,Ra". */
    g_autoptr(GString) keys = g_string_new (NULL);
    for (GList *l = members; l; l = l->next)
      if (!(g_str_equal (self->selected, "netParams") && g_strv_contains (sections, l->data)))
        g_string_append_printf (keys, "%s%s", keys->len ? "," : "", (char *) l->data);
    g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "form-keys")),
                               g_variant_new_string (keys->str));
  }
  add = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("Add a key (name = value)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  g_signal_connect (add, "apply", G_CALLBACK (add_key_applied), self);
  form_add (self, add);
}

/* The entries list ------------------------------------------------------------------------ */

static void
add_entry_row (NlEditorPanel *self, const char *title, const char *target, gboolean heading)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_start (label, heading ? 6 : 20);
  gtk_widget_set_margin_top (label, heading ? 8 : 2);
  gtk_widget_set_margin_bottom (label, 2);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), target != NULL);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), target != NULL);
  if (target)
    g_object_set_data_full (G_OBJECT (row), "nl-target", g_strdup (target), g_free);
  gtk_list_box_append (self->entries, row);
  if (target && g_strcmp0 (target, self->selected) == 0)
    gtk_list_box_select_row (self->entries, GTK_LIST_BOX_ROW (row));
}

static void
rebuild_entries (NlEditorPanel *self)
{
  NlSpec *spec = nl_spec_edit_get_spec (self->edit);
  JsonObject *np = nl_spec_get_net_params (spec);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entries))))
    gtk_list_box_remove (self->entries, child);
  add_entry_row (self, _("Network"), "netParams", TRUE);
  for (guint s = 0; sections[s]; s++)
    {
      JsonNode *n = np ? json_object_get_member (np, sections[s]) : NULL;
      g_autoptr(GList) members = NULL;

      add_entry_row (self, sections[s], NULL, TRUE);
      if (!n || !JSON_NODE_HOLDS_OBJECT (n))
        continue;
      members = json_object_get_members (json_node_get_object (n));
      for (GList *l = members; l; l = l->next)
        {
          g_autofree char *target = g_strdup_printf ("%s.%s", sections[s], (char *) l->data);
          add_entry_row (self, l->data, target, FALSE);
        }
    }
  add_entry_row (self, "simConfig", "simConfig", TRUE);
}

static void
rebuild (NlEditorPanel *self)
{
  if (!self->edit)
    return;
  rebuild_entries (self);
  rebuild_form (self);
  rebuild_problems (self);
  set_action_enabled (self, "undo", nl_spec_edit_can_undo (self->edit));
  set_action_enabled (self, "redo", nl_spec_edit_can_redo (self->edit));
}

static void
entry_selected (GtkListBox *box, GtkListBoxRow *row, NlEditorPanel *self)
{
  const char *target = row ? g_object_get_data (G_OBJECT (row), "nl-target") : NULL;

  if (!target || g_strcmp0 (target, self->selected) == 0)
    return;
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "select", g_variant_new_string (target));
}

/* Actions --------------------------------------------------------------------------------- */

static void
edited (NlEditorPanel *self)
{
  /* The workbench sees the edited model (its network is rebuilt on Run). */
  if (self->session)
    nl_session_set_model (self->session, nl_spec_edit_get_spec (self->edit), NULL,
                          nl_session_get_model_file (self->session));
  rebuild (self);
}

static void
set_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  const char *path, *value;
  g_autoptr(GError) error = NULL;

  g_variant_get (param, "(&s&s)", &path, &value);
  if (!self->edit)
    return;
  if (!nl_spec_edit_set (self->edit, path, value, &error))
    report (self, error);
  else
    edited (self);
}

static void
rename_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  const char *path, *key;
  g_autoptr(GError) error = NULL;

  g_variant_get (param, "(&s&s)", &path, &key);
  if (!self->edit)
    return;
  if (!nl_spec_edit_rename (self->edit, path, key, &error))
    report (self, error);
  else
    edited (self);
}

static void
remove_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  g_autoptr(GError) error = NULL;

  if (!self->edit)
    return;
  if (!nl_spec_edit_remove (self->edit, g_variant_get_string (param, NULL), &error))
    report (self, error);
  else
    edited (self);
}

/* Applies the suggestion of the problem at `path`: a misspelt key is renamed. */
static void
fix_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  const char *path = g_variant_get_string (param, NULL);
  GPtrArray *problems;
  g_autoptr(GError) error = NULL;

  if (!self->edit)
    return;
  problems = nl_spec_edit_get_problems (self->edit);
  for (guint i = 0; i < problems->len; i++)
    {
      NlProblem *p = problems->pdata[i];
      g_autofree char *suggestion = NULL;
      FixKind kind;
      gboolean ok;

      if (g_strcmp0 (p->path, path) != 0 || (kind = fix_kind (self, p)) == FIX_NONE)
        continue;
      suggestion = g_strdup (p->suggestion);
      ok = kind == FIX_RENAME ? nl_spec_edit_rename (self->edit, path, suggestion, &error)
                              : nl_spec_edit_set (self->edit, path, suggestion, &error);
      if (!ok)
        report (self, error);
      else
        edited (self);
      return;
    }
}

static void
select_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;

  g_free (self->selected);
  self->selected = g_strdup (g_variant_get_string (param, NULL));
  if (self->edit)
    rebuild_form (self);
}

static void
undo_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  if (self->edit && nl_spec_edit_undo (self->edit))
    edited (self);
}

static void
redo_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  if (self->edit && nl_spec_edit_redo (self->edit))
    edited (self);
}

static void
save_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  g_autoptr(GError) error = NULL;

  if (self->edit && !nl_spec_edit_save (self->edit, g_variant_get_string (param, NULL), &error))
    report (self, error);
}

static void
save_netpyne_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  NlEditorPanel *self = data;
  const char *np, *sc;
  g_autoptr(GError) error = NULL;

  g_variant_get (param, "(&s&s)", &np, &sc);
  if (self->edit && !nl_spec_edit_save_netpyne (self->edit, np, *sc ? sc : NULL, &error))
    report (self, error);
}

static void
save_response (GtkNativeDialog *dialog, int response, NlEditorPanel *self)
{
  gboolean netpyne = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "nl-netpyne"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (netpyne)
        {
          /* NetPyNE's pair beside each other: NAME_netParams.json and NAME_simConfig.json. */
          g_autofree char *stem = g_str_has_suffix (path, ".json") ? g_strndup (path, strlen (path) - 5) : g_strdup (path);
          g_autofree char *np = g_strconcat (stem, "_netParams.json", NULL);
          g_autofree char *sc = g_strconcat (stem, "_simConfig.json", NULL);
          g_action_group_activate_action (G_ACTION_GROUP (self->actions), "save-netpyne", g_variant_new ("(ss)", np, sc));
        }
      else
        g_action_group_activate_action (G_ACTION_GROUP (self->actions), "save", g_variant_new_string (path));
    }
  g_object_unref (dialog);
}

static void
save_dialog (NlEditorPanel *self, gboolean netpyne)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (netpyne ? _("Save as NetPyNE netParams and simConfig") : _("Save Model"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "model.json");
  g_object_set_data (G_OBJECT (dialog), "nl-netpyne", GINT_TO_POINTER (netpyne));
  g_signal_connect (dialog, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_dialog_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  save_dialog (data, FALSE);
}

static void
save_netpyne_dialog_activated (GSimpleAction *a, GVariant *param, gpointer data)
{
  save_dialog (data, TRUE);
}

static void
add_entry_clicked (GtkWidget *button, NlEditorPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_entry));
  g_autofree char *path = g_strstrip (g_strdup (text));

  if (!strchr (path, '.'))
    {
      gtk_widget_add_css_class (self->new_entry, "error");
      return;
    }
  gtk_widget_remove_css_class (self->new_entry, "error");
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "set", g_variant_new ("(ss)", path, "{}"));
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "select", g_variant_new_string (path));
  gtk_editable_set_text (GTK_EDITABLE (self->new_entry), "");
}

/* NlPanel --------------------------------------------------------------------------------- */

static const char *
get_title (NlPanel *panel)
{
  return _("Model");
}

static const char *
get_icon_name (NlPanel *panel)
{
  return "document-edit-symbolic";
}

static NlSessionParts
get_needs (NlPanel *panel)
{
  return NL_SESSION_SPEC;
}

static void
load (NlPanel *panel, NlSession *session)
{
  NlEditorPanel *self = NL_EDITOR_PANEL (panel);
  NlSpec *spec = nl_session_get_spec (session);

  g_set_object (&self->session, session);
  /* Our own edits come back through the session: keep the undo history then. */
  if (self->edit && spec == nl_spec_edit_get_spec (self->edit))
    return;
  g_clear_object (&self->edit);
  if (!spec)
    return;
  self->edit = nl_spec_edit_new (spec);
  if (!self->selected)
    {
      JsonObject *np = nl_spec_get_net_params (spec);
      JsonNode *pops = np ? json_object_get_member (np, "popParams") : NULL;
      g_autoptr(GList) names = pops && JSON_NODE_HOLDS_OBJECT (pops) ? json_object_get_members (json_node_get_object (pops)) : NULL;
      self->selected = names ? g_strdup_printf ("popParams.%s", (char *) names->data) : g_strdup ("netParams");
    }
  rebuild (self);
}

static void
unload (NlPanel *panel)
{
  NlEditorPanel *self = NL_EDITOR_PANEL (panel);
  g_clear_object (&self->edit);
  g_clear_object (&self->session);
}

static GActionGroup *
get_action_group (NlPanel *panel)
{
  return G_ACTION_GROUP (NL_EDITOR_PANEL (panel)->actions);
}

static void
nl_editor_panel_iface_init (NlPanelInterface *iface)
{
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_needs = get_needs;
  iface->load = load;
  iface->unload = unload;
  iface->get_action_group = get_action_group;
}

/* Object ---------------------------------------------------------------------------------- */

static void
nl_editor_panel_dispose (GObject *object)
{
  NlEditorPanel *self = NL_EDITOR_PANEL (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->edit);
  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->form_rows, g_list_free);
  g_clear_pointer (&self->selected, g_free);
  G_OBJECT_CLASS (nl_editor_panel_parent_class)->dispose (object);
}

static void
nl_editor_panel_class_init (NlEditorPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nl_editor_panel_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
tool_button (const char *icon, const char *action, const char *tooltip)
{
  GtkWidget *b = gtk_button_new_from_icon_name (icon);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  gtk_widget_set_tooltip_text (b, tooltip);
  gtk_widget_add_css_class (b, "flat");
  return b;
}

static void
nl_editor_panel_init (NlEditorPanel *self)
{
  static const GActionEntry entries[] = {
    { "set", set_activated, "(ss)", NULL, NULL },
    { "rename", rename_activated, "(ss)", NULL, NULL },
    { "remove", remove_activated, "s", NULL, NULL },
    { "fix", fix_activated, "s", NULL, NULL },
    { "select", select_activated, "s", NULL, NULL },
    { "undo", undo_activated, NULL, NULL, NULL },
    { "redo", redo_activated, NULL, NULL, NULL },
    { "save", save_activated, "s", NULL, NULL },
    { "save-netpyne", save_netpyne_activated, "(ss)", NULL, NULL },
    { "save-dialog", save_dialog_activated, NULL, NULL, NULL },
    { "save-netpyne-dialog", save_netpyne_dialog_activated, NULL, NULL, NULL },
    { "problems", NULL, NULL, "''", NULL },
    { "form-keys", NULL, NULL, "''", NULL },
  };
  GtkWidget *bar, *paned, *scroll, *page, *left, *add_box, *add_button, *problems_scroll;
  GtkShortcutController *shortcuts;

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 4);
  gtk_widget_set_margin_bottom (bar, 4);
  gtk_box_append (GTK_BOX (bar), tool_button ("edit-undo-symbolic", "panel.undo", _("Undo (Ctrl+Z)")));
  gtk_box_append (GTK_BOX (bar), tool_button ("edit-redo-symbolic", "panel.redo", _("Redo (Ctrl+Shift+Z)")));
  self->status = gtk_label_new ("");
  gtk_widget_set_hexpand (self->status, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->status), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (bar), self->status);
  {
    GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save…"));
    GtkWidget *save_np = gtk_button_new_with_mnemonic (_("Save as _NetPyNE…"));
    gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "panel.save-dialog");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (save_np), "panel.save-netpyne-dialog");
    gtk_widget_set_tooltip_text (save, _("Save in NetLoom's layout: one JSON file with netParams and simConfig"));
    gtk_widget_set_tooltip_text (save_np, _("Save NetPyNE's two files, as netParams.save() and simConfig.save() write them"));
    gtk_box_append (GTK_BOX (bar), save);
    gtk_box_append (GTK_BOX (bar), save_np);
  }
  gtk_box_append (GTK_BOX (self->box), bar);

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_position (GTK_PANED (paned), 220);
  gtk_widget_set_vexpand (paned, TRUE);
  left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  scroll = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroll, TRUE);
  self->entries = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->entries), "navigation-sidebar");
  g_signal_connect (self->entries, "row-selected", G_CALLBACK (entry_selected), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), GTK_WIDGET (self->entries));
  gtk_box_append (GTK_BOX (left), scroll);
  add_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_margin_start (add_box, 4);
  gtk_widget_set_margin_end (add_box, 4);
  gtk_widget_set_margin_bottom (add_box, 4);
  self->new_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->new_entry), _("popParams.L5"));
  gtk_widget_set_tooltip_text (self->new_entry, _("Add an entry: section and name, e.g. popParams.L5 or connParams.E->I"));
  gtk_widget_set_hexpand (self->new_entry, TRUE);
  add_button = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_signal_connect (add_button, "clicked", G_CALLBACK (add_entry_clicked), self);
  g_signal_connect_swapped (self->new_entry, "activate", G_CALLBACK (add_entry_clicked), add_button);
  gtk_box_append (GTK_BOX (add_box), self->new_entry);
  gtk_box_append (GTK_BOX (add_box), add_button);
  gtk_box_append (GTK_BOX (left), add_box);
  gtk_paned_set_start_child (GTK_PANED (paned), left);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);

  page = adw_preferences_page_new ();
  self->form_page = page;
  self->form = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->form);
  gtk_paned_set_end_child (GTK_PANED (paned), page);
  gtk_box_append (GTK_BOX (self->box), paned);

  problems_scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (problems_scroll), 180);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (problems_scroll), TRUE);
  self->problems = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->problems, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problems), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->problems), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->problems), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->problems), 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (problems_scroll), GTK_WIDGET (self->problems));
  gtk_box_append (GTK_BOX (self->box), problems_scroll);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>z"), gtk_named_action_new ("panel.undo")));
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control><Shift>z"), gtk_named_action_new ("panel.redo")));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));
}

/* The registrar ---------------------------------------------------------------------------- */

NL_PANEL_MODULE (nl_editor_panel, NL_TYPE_EDITOR_PANEL, "editor", 5)
