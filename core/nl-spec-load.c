#include "nl-spec-private.h"
#include "nl-suggest.h"

#include <string.h>

/* Recognising a model by its top-level keys, as NetPyNE's own loaders do. */

typedef struct {
  NlJsonDoc *doc;
  JsonNode  *net;        /* borrowed from doc */
  const char *net_prefix;
  JsonNode  *cfg;
  gboolean   savedata;
} Found;

static const char *const top_keys[] = { "netParams", "simConfig", "net", "simData", NULL };

static gboolean
classify (NlJsonDoc *doc, Found *f, GPtrArray *problems, GError **error)
{
  const char *file = nl_json_doc_get_filename (doc);
  JsonNode *root = nl_json_doc_get_root (doc);
  JsonObject *o;
  JsonNode *n;

  f->doc = doc;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "%s: expected a JSON object at the top level ({\"netParams\": ...} or NetPyNE's "
                   "{\"net\": {\"params\": ...}})", file);
      return FALSE;
    }
  o = json_node_get_object (root);

  if ((n = json_object_get_member (o, "netParams")))
    {
      f->net = n;
      f->net_prefix = "netParams";
    }
  else if ((n = json_object_get_member (o, "net")))
    {
      JsonNode *params = JSON_NODE_HOLDS_OBJECT (n) ?
        json_object_get_member (json_node_get_object (n), "params") : NULL;
      if (!params)
        {
          g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                       "%s: net: has no 'params'; a NetPyNE file needs netParams saved in it "
                       "(netParams.save(), or 'netParams' in simConfig.saveDataInclude)", file);
          return FALSE;
        }
      f->net = params;
      f->net_prefix = "net.params";
      /* sim.saveData() output holds data besides the params; netParams.save() only params. */
      f->savedata = json_object_has_member (o, "simData") || json_object_has_member (o, "netpyne_version") ||
                    json_object_has_member (json_node_get_object (n), "cells");
    }
  if ((n = json_object_get_member (o, "simConfig")))
    f->cfg = n;

  if (!f->net && !f->cfg)
    {
      g_autoptr(GList) members = json_object_get_members (o);
      const char *sugg = NULL;
      for (GList *l = members; l && !sugg; l = l->next)
        sugg = nl_suggest (l->data, top_keys, -1);
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "%s: not a model: expected a top-level key 'netParams' (NetLoom), 'net' "
                   "(NetPyNE netParams.save() or sim.saveData()) or 'simConfig'%s%s%s", file,
                   sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
      return FALSE;
    }

  if (f->net && !JSON_NODE_HOLDS_OBJECT (f->net))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "%s: %s: expected an object of netParams sections", file, f->net_prefix);
      return FALSE;
    }
  if (f->cfg && !JSON_NODE_HOLDS_OBJECT (f->cfg))
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "%s: simConfig: expected an object of simulation options", file);
      return FALSE;
    }

  /* In NetLoom's own layout anything else at the top is likely a typo. */
  if (g_str_equal (f->net_prefix ? f->net_prefix : "", "netParams") || (!f->net && f->cfg))
    {
      JsonObjectIter it;
      const char *name;
      json_object_iter_init (&it, o);
      while (json_object_iter_next (&it, &name, NULL))
        {
          if (g_str_equal (name, "netParams") || g_str_equal (name, "simConfig"))
            continue;
          const char *sugg = nl_suggest (name, top_keys, 2);
          NlProblem *p;
          if (sugg)
            p = nl_problems_add (problems, NL_SEVERITY_ERROR, name, sugg,
                                 "unknown top-level key; did you mean '%s'?", sugg);
          else
            p = nl_problems_add (problems, NL_SEVERITY_WARNING, name, NULL,
                                 "unknown top-level key, ignored (a model file holds 'netParams' and 'simConfig')");
          p->file = g_strdup (file);
          nl_json_doc_locate (doc, name, &p->line, &p->column);
        }
    }
  return TRUE;
}

static NlSpec *
assemble (Found *found, guint n, GPtrArray *problems, GError **error)
{
  Found *net = NULL, *cfg = NULL;
  NlSpec *spec;

  for (guint i = 0; i < n; i++)
    {
      if (found[i].net)
        {
          if (net)
            {
              g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                           "%s and %s both hold netParams; give one model at a time",
                           nl_json_doc_get_filename (net->doc), nl_json_doc_get_filename (found[i].doc));
              return NULL;
            }
          net = &found[i];
        }
    }
  /* A simConfig file given beside a saveData file wins over the one saved in it. */
  for (guint i = 0; i < n; i++)
    if (found[i].cfg && (!cfg || (cfg == net && &found[i] != net)))
      {
        if (cfg && cfg != net)
          {
            g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                         "%s and %s both hold a simConfig; give one",
                         nl_json_doc_get_filename (cfg->doc), nl_json_doc_get_filename (found[i].doc));
            return NULL;
          }
        cfg = &found[i];
      }
  if (!net)
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "%s holds only a simConfig; give the netParams file too "
                   "(NetPyNE's netParams.save() output)", nl_json_doc_get_filename (found[0].doc));
      return NULL;
    }

  spec = nl_spec_new_take (net->savedata ? NL_SPEC_LAYOUT_NETPYNE_SAVEDATA :
                           g_str_equal (net->net_prefix, "netParams") ? NL_SPEC_LAYOUT_NETLOOM :
                           NL_SPEC_LAYOUT_NETPYNE_FILES,
                           json_node_ref (net->net),
                           cfg ? json_node_ref (cfg->cfg) : NULL);
  spec->net_doc = nl_json_doc_ref (net->doc);
  spec->net_prefix = g_strdup (net->net_prefix);
  if (cfg)
    {
      spec->cfg_doc = nl_json_doc_ref (cfg->doc);
      spec->cfg_prefix = g_strdup ("simConfig");
    }

  /* json-glib keeps the last of two equal keys without a word; say so. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) dups = nl_json_doc_duplicate_keys (found[i].doc);
      g_autoptr(GHashTable) where = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint j = 0; j < dups->len; j++)
        g_hash_table_insert (where, g_strdup (dups->pdata[j]), g_new0 (NlJsonPos, 1));
      nl_json_doc_locate_many (found[i].doc, where);
      for (guint j = 0; j < dups->len; j++)
        {
          NlJsonPos *pos = g_hash_table_lookup (where, dups->pdata[j]);
          NlProblem *p = nl_problems_add (problems, NL_SEVERITY_WARNING, dups->pdata[j], NULL,
                                          "key given twice; the last one is used");
          p->file = g_strdup (nl_json_doc_get_filename (found[i].doc));
          p->line = pos->line;
          p->column = pos->column;
        }
    }
  return spec;
}

static void
add_fatal (GPtrArray *problems, const char *file, int line, int column, const GError *error)
{
  NlProblem *p;
  const char *msg = error->message;

  if (!problems)
    return;
  /* The GError message starts with the file (and position); the problem carries those apart. */
  if (file && g_str_has_prefix (msg, file) && msg[strlen (file)] == ':')
    {
      msg += strlen (file) + 1;
      while (*msg == ' ' || g_ascii_isdigit (*msg) || *msg == ':')
        msg++;
    }
  p = nl_problems_add (problems, NL_SEVERITY_ERROR, "", NULL, "%s", msg);
  p->file = g_strdup (file);
  p->line = line;
  p->column = column;
}

static NlSpec *
load_docs (NlJsonDoc **docs, guint n, GPtrArray *problems, GError **error)
{
  g_autofree Found *found = g_new0 (Found, n);
  g_autoptr(GPtrArray) local_problems = NULL;
  GError *local = NULL;
  NlSpec *spec;

  if (!problems)
    problems = local_problems = nl_problems_new ();
  for (guint i = 0; i < n; i++)
    if (!classify (docs[i], &found[i], problems, &local))
      {
        add_fatal (problems, nl_json_doc_get_filename (docs[i]), 0, 0, local);
        g_propagate_error (error, local);
        return NULL;
      }
  spec = assemble (found, n, problems, &local);
  if (!spec)
    {
      add_fatal (problems, NULL, 0, 0, local);
      g_propagate_error (error, local);
    }
  return spec;
}

NlSpec *
nl_spec_load (const char *const *files,
              guint              n_files,
              GPtrArray         *problems,
              GError           **error)
{
  NlJsonDoc *docs[2] = { NULL, NULL };
  NlSpec *spec = NULL;
  GError *local = NULL;

  if (n_files < 1 || n_files > 2)
    {
      g_set_error (error, NL_SPEC_ERROR, NL_SPEC_ERROR_LAYOUT,
                   "a model is one file, or two (NetPyNE's netParams and simConfig); got %u", n_files);
      return NULL;
    }
  for (guint i = 0; i < n_files; i++)
    {
      int line = 0, col = 0;
      docs[i] = nl_json_doc_load (files[i], &line, &col, &local);
      if (!docs[i])
        {
          add_fatal (problems, files[i], line, col, local);
          g_propagate_error (error, local);
          goto out;
        }
    }
  spec = load_docs (docs, n_files, problems, error);
out:
  for (guint i = 0; i < n_files; i++)
    g_clear_pointer (&docs[i], nl_json_doc_unref);
  return spec;
}

NlSpec *
nl_spec_load_from_data (const char  *json,
                        gssize       length,
                        GPtrArray   *problems,
                        GError     **error)
{
  g_autoptr(NlJsonDoc) doc = NULL;
  GError *local = NULL;
  int line = 0, col = 0;

  if (length < 0)
    length = strlen (json);
  doc = nl_json_doc_new_from_data (json, length, "<data>", &line, &col, &local);
  if (!doc)
    {
      add_fatal (problems, "<data>", line, col, local);
      g_propagate_error (error, local);
      return NULL;
    }
  return load_docs (&doc, 1, problems, error);
}
