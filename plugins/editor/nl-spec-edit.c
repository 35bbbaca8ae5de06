/* nl-spec-edit.c — see nl-spec-edit.h. */
#include "nl-spec-edit.h"

#include <nl-json.h>
#include <string.h>

struct _NlSpecEdit {
  GObject    parent_instance;
  char      *text;       /* the model now, NetLoom layout */
  NlSpec    *spec;
  GPtrArray *problems;
  GPtrArray *undo;       /* texts before each change */
  GPtrArray *redo;
};

G_DEFINE_FINAL_TYPE (NlSpecEdit, nl_spec_edit, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
nl_spec_edit_finalize (GObject *object)
{
  NlSpecEdit *self = NL_SPEC_EDIT (object);

  g_free (self->text);
  g_clear_object (&self->spec);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  G_OBJECT_CLASS (nl_spec_edit_parent_class)->finalize (object);
}

static void
nl_spec_edit_class_init (NlSpecEditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nl_spec_edit_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
nl_spec_edit_init (NlSpecEdit *self)
{
  self->undo = g_ptr_array_new_with_free_func (g_free);
  self->redo = g_ptr_array_new_with_free_func (g_free);
}

static char *
spec_to_text (NlSpec *spec)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();
  JsonObject *np = nl_spec_get_net_params (spec), *sc = nl_spec_get_sim_config (spec);

  json_node_take_object (root, o);
  if (np)
    json_object_set_object_member (o, "netParams", json_object_ref (np));
  if (sc)
    json_object_set_object_member (o, "simConfig", json_object_ref (sc));
  return nl_json_to_string (root, 4, NULL);
}

/* Re-reads the model from `text` (taken) and validates it. */
static gboolean
load_text (NlSpecEdit *self, char *text, GError **error)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  NlSpec *spec = nl_spec_load_from_data (text, -1, problems, error);

  if (!spec)
    {
      g_free (text);
      return FALSE;
    }
  nl_spec_validate (spec, problems);
  nl_problems_sort (problems);
  g_free (self->text);
  self->text = text;
  g_set_object (&self->spec, spec);
  g_object_unref (spec);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_steal_pointer (&problems);
  return TRUE;
}

NlSpecEdit *
nl_spec_edit_new (NlSpec *spec)
{
  NlSpecEdit *self = g_object_new (NL_TYPE_SPEC_EDIT, NULL);
  g_autoptr(GError) error = NULL;

  if (!load_text (self, spec_to_text (spec), &error))
    g_critical ("a loaded model does not read back: %s", error->message);
  return self;
}

NlSpec *
nl_spec_edit_get_spec (NlSpecEdit *self)
{
  return self->spec;
}

GPtrArray *
nl_spec_edit_get_problems (NlSpecEdit *self)
{
  return self->problems;
}

guint
nl_spec_edit_count (NlSpecEdit *self, NlSeverity severity)
{
  return nl_problems_count (self->problems, severity);
}

/* The object holding the path's last key, creating parents when `create`; *key points into
 * *parts. */
static JsonObject *
child_object (JsonObject *o, const char *k, gboolean create, const char *path, GError **error)
{
  JsonNode *child = json_object_get_member (o, k);

  if (!child && create)
    {
      json_object_set_object_member (o, k, json_object_new ());
      child = json_object_get_member (o, k);
    }
  if (!child)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no '%s' in the model", path, k);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (child))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: '%s' holds a value, not keys; edit it as a whole", path, k);
      return NULL;
    }
  return json_node_get_object (child);
}

static JsonObject *
resolve (JsonNode *root, const char *path, gboolean create, char ***parts, const char **key, GError **error)
{
  g_auto(GStrv) p = g_strsplit (path, ".", -1);
  guint n = g_strv_length (p), first = 0;
  const char *section = "netParams";
  JsonObject *o;

  if (n > 0 && (g_str_equal (p[0], "netParams") || g_str_equal (p[0], "simConfig")))
    {
      section = p[0];
      first = 1;
    }
  if (n <= first || p[n - 1][0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s': expected a key path such as popParams.E.numCells or simConfig.duration", path);
      return NULL;
    }
  o = child_object (json_node_get_object (root), section, create, path, error);
  for (guint i = first; o && i + 1 < n; i++)
    o = child_object (o, p[i], create, path, error);
  if (!o)
    return NULL;
  *key = p[n - 1];
  *parts = g_steal_pointer (&p);
  return o;
}

static JsonNode *
parse_root (NlSpecEdit *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, self->text, -1, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
commit (NlSpecEdit *self, JsonNode *root, GError **error)
{
  char *before = g_strdup (self->text);

  if (!load_text (self, nl_json_to_string (root, 4, NULL), error))
    {
      g_free (before);
      return FALSE;
    }
  g_ptr_array_add (self->undo, before);
  g_ptr_array_set_size (self->redo, 0);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static JsonNode *
parse_value (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  JsonNode *node;

  if (*trimmed && json_parser_load_from_data (parser, trimmed, -1, NULL) && json_parser_get_root (parser))
    return json_node_copy (json_parser_get_root (parser));
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, trimmed);
  return node;
}

gboolean
nl_spec_edit_set (NlSpecEdit *self, const char *path, const char *value_text, GError **error)
{
  g_autoptr(JsonNode) root = parse_root (self);
  g_auto(GStrv) parts = NULL;
  const char *key;
  JsonObject *o = resolve (root, path, TRUE, &parts, &key, error);

  if (!o)
    return FALSE;
  json_object_set_member (o, key, parse_value (value_text));
  return commit (self, root, error);
}

gboolean
nl_spec_edit_remove (NlSpecEdit *self, const char *path, GError **error)
{
  g_autoptr(JsonNode) root = parse_root (self);
  g_auto(GStrv) parts = NULL;
  const char *key;
  JsonObject *o = resolve (root, path, FALSE, &parts, &key, error);

  if (!o)
    return FALSE;
  if (!json_object_has_member (o, key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such key in the model", path);
      return FALSE;
    }
  json_object_remove_member (o, key);
  return commit (self, root, error);
}

gboolean
nl_spec_edit_rename (NlSpecEdit *self, const char *path, const char *new_key, GError **error)
{
  g_autoptr(JsonNode) root = parse_root (self);
  g_auto(GStrv) parts = NULL;
  const char *key;
  JsonObject *o = resolve (root, path, FALSE, &parts, &key, error);
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(GList) members = NULL;

  if (!o)
    return FALSE;
  if (!json_object_has_member (o, key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: no such key in the model", path);
      return FALSE;
    }
  if (!new_key || !*new_key || strchr (new_key, '.') || (json_object_has_member (o, new_key) && !g_str_equal (new_key, key)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: cannot rename to '%s' (empty, contains '.', or already used)", path, new_key ? new_key : "");
      return FALSE;
    }
  /* Rebuild the object so the renamed key keeps its place. */
  renamed = json_object_new ();
  members = json_object_get_members (o);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (renamed, g_str_equal (l->data, key) ? new_key : l->data,
                            json_node_copy (json_object_get_member (o, l->data)));
  for (GList *l = members; l; l = l->next)
    json_object_remove_member (o, l->data);
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (renamed);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (o, l->data, json_node_copy (json_object_get_member (renamed, l->data)));
  return commit (self, root, error);
}

char *
nl_spec_edit_get_text (NlSpecEdit *self, const char *path)
{
  g_autoptr(JsonNode) root = parse_root (self);
  g_auto(GStrv) parts = NULL;
  const char *key;
  JsonObject *o = resolve (root, path, FALSE, &parts, &key, NULL);
  JsonNode *value;

  if (!o || !(value = json_object_get_member (o, key)))
    return NULL;
  return nl_json_to_string (value, -1, NULL);
}

gboolean
nl_spec_edit_can_undo (NlSpecEdit *self)
{
  return self->undo->len > 0;
}

gboolean
nl_spec_edit_can_redo (NlSpecEdit *self)
{
  return self->redo->len > 0;
}

static gboolean
swap (NlSpecEdit *self, GPtrArray *from, GPtrArray *to)
{
  char *text;

  if (from->len == 0)
    return FALSE;
  text = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, g_strdup (self->text));
  if (!load_text (self, text, NULL))
    return FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
nl_spec_edit_undo (NlSpecEdit *self)
{
  return swap (self, self->undo, self->redo);
}

gboolean
nl_spec_edit_redo (NlSpecEdit *self)
{
  return swap (self, self->redo, self->undo);
}

gboolean
nl_spec_edit_save (NlSpecEdit *self, const char *filename, GError **error)
{
  return nl_spec_save (self->spec, filename, error);
}

gboolean
nl_spec_edit_save_netpyne (NlSpecEdit *self, const char *net_params_file, const char *sim_config_file,
                           GError **error)
{
  return nl_spec_save_netpyne (self->spec, net_params_file, sim_config_file, error);
}
