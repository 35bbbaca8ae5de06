#include "nl-spec-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (nl-spec-error-quark, nl_spec_error)
G_DEFINE_FINAL_TYPE (NlSpec, nl_spec, G_TYPE_OBJECT)

static void
nl_spec_finalize (GObject *object)
{
  NlSpec *self = NL_SPEC (object);

  g_clear_pointer (&self->net_params, json_node_unref);
  g_clear_pointer (&self->sim_config, json_node_unref);
  g_clear_pointer (&self->net_doc, nl_json_doc_unref);
  g_clear_pointer (&self->cfg_doc, nl_json_doc_unref);
  g_clear_pointer (&self->net_prefix, g_free);
  g_clear_pointer (&self->cfg_prefix, g_free);
  g_clear_pointer (&self->defaults, g_hash_table_unref);
  G_OBJECT_CLASS (nl_spec_parent_class)->finalize (object);
}

static void
nl_spec_class_init (NlSpecClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nl_spec_finalize;
}

static void
nl_spec_init (NlSpec *self)
{
  self->defaults = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_node_unref);
}

static JsonNode *
new_object_node (void)
{
  JsonNode *n = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (n, json_object_new ());
  return n;
}

NlSpec *
nl_spec_new_take (NlSpecLayout layout,
                  JsonNode    *net_params,
                  JsonNode    *sim_config)
{
  NlSpec *self = g_object_new (NL_TYPE_SPEC, NULL);

  self->layout = layout;
  self->net_params = net_params ? net_params : new_object_node ();
  self->has_sim_config = sim_config != NULL;
  self->sim_config = sim_config ? sim_config : new_object_node ();
  return self;
}

NlSpec *
nl_spec_new (void)
{
  return nl_spec_new_take (NL_SPEC_LAYOUT_NETLOOM, NULL, NULL);
}

NlSpecLayout
nl_spec_get_layout (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), NL_SPEC_LAYOUT_NETLOOM);
  return self->layout;
}

JsonObject *
nl_spec_get_net_params (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), NULL);
  return json_node_get_object (self->net_params);
}

JsonObject *
nl_spec_get_sim_config (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), NULL);
  return json_node_get_object (self->sim_config);
}

gboolean
nl_spec_has_sim_config (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), FALSE);
  return self->has_sim_config;
}

const char *
nl_spec_get_net_params_file (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), NULL);
  return self->net_doc ? nl_json_doc_get_filename (self->net_doc) : NULL;
}

const char *
nl_spec_get_sim_config_file (NlSpec *self)
{
  g_return_val_if_fail (NL_IS_SPEC (self), NULL);
  return self->cfg_doc ? nl_json_doc_get_filename (self->cfg_doc) : NULL;
}

JsonNode *
nl_spec_schema_default (NlSpec            *self,
                        const NlSchemaKey *key)
{
  JsonNode *node;

  if (key == NULL || key->dflt == NULL)
    return NULL;
  node = g_hash_table_lookup (self->defaults, key);
  if (node == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, key->dflt, -1, NULL))
        g_error ("schema default of '%s' is not JSON: %s", key->name, key->dflt);
      node = json_node_ref (json_parser_get_root (parser));
      g_hash_table_insert (self->defaults, (gpointer) key, node);
    }
  return node;
}

JsonNode *
nl_spec_lookup (NlSpec     *self,
                const char *path)
{
  g_auto(GStrv) parts = NULL;
  const NlSchemaKey *table, *key = NULL;
  JsonNode *node;

  g_return_val_if_fail (NL_IS_SPEC (self), NULL);

  parts = g_strsplit (path, ".", -1);
  if (g_str_equal (parts[0], "netParams"))
    {
      node = self->net_params;
      table = nl_schema_net_params;
    }
  else if (g_str_equal (parts[0], "simConfig"))
    {
      node = self->sim_config;
      table = nl_schema_sim_config;
    }
  else
    return NULL;

  for (guint i = 1; parts[i]; i++)
    {
      /* Follow the model and the schema side by side; once the model runs out, the
       * schema alone can still give a default. */
      key = table ? nl_schema_find (table, parts[i]) : NULL;
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else
        node = NULL;
      /* For a map of user names, child is its "*" table, which matches any name. */
      table = key ? key->child : NULL;
      if (!node && !key)
        return NULL;
    }
  if (node)
    return node;
  return nl_spec_schema_default (self, key);
}

double
nl_spec_get_double (NlSpec     *self,
                    const char *path,
                    double      fallback)
{
  double v;
  return nl_json_number (nl_spec_lookup (self, path), &v) ? v : fallback;
}

gboolean
nl_spec_lookup_constant (NlSpec     *self,
                         const char *name,
                         double     *value)
{
  JsonObject *np = json_node_get_object (self->net_params);
  const NlSchemaKey *key;

  /* NetPyNE evaluates string functions with every netParams attribute in scope: user
   * constants and built-ins alike (tut5 divides by propVelocity). */
  if (nl_json_number (json_object_get_member (np, name), value))
    return TRUE;
  key = nl_schema_find (nl_schema_net_params, name);
  if (key && !(key->flags & NL_SF_MAP))
    return nl_json_number (nl_spec_schema_default (self, key), value);
  return FALSE;
}

static JsonNode *
wrap (const char *name, JsonNode *inner)
{
  JsonNode *n = new_object_node ();
  json_object_set_member (json_node_get_object (n), name, json_node_ref (inner));
  return n;
}

gboolean
nl_spec_save (NlSpec      *self,
              const char  *filename,
              GError     **error)
{
  g_autoptr(JsonNode) root = new_object_node ();
  JsonObject *o = json_node_get_object (root);
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (NL_IS_SPEC (self), FALSE);

  json_object_set_member (o, "netParams", json_node_ref (self->net_params));
  if (self->has_sim_config)
    json_object_set_member (o, "simConfig", json_node_ref (self->sim_config));
  if (!nl_json_write_file (root, filename, 4, &local))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_WRITE, "%s: cannot write the model: %s",
                   filename, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_spec_save_netpyne (NlSpec      *self,
                      const char  *net_params_file,
                      const char  *sim_config_file,
                      GError     **error)
{
  g_autoptr(JsonNode) params = wrap ("params", self->net_params);
  g_autoptr(JsonNode) net = wrap ("net", params);
  g_autoptr(JsonNode) cfg = wrap ("simConfig", self->sim_config);
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (NL_IS_SPEC (self), FALSE);

  if (!nl_json_write_file (net, net_params_file, 4, &local))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_WRITE, "%s: cannot write netParams: %s",
                   net_params_file, local->message);
      return FALSE;
    }
  if (sim_config_file && !nl_json_write_file (cfg, sim_config_file, 4, &local))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_WRITE, "%s: cannot write simConfig: %s",
                   sim_config_file, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
nl_spec_equal (NlSpec *a,
               NlSpec *b)
{
  g_return_val_if_fail (NL_IS_SPEC (a) && NL_IS_SPEC (b), FALSE);
  return json_node_equal (a->net_params, b->net_params) &&
         json_node_equal (a->sim_config, b->sim_config) &&
         a->has_sim_config == b->has_sim_config;
}
