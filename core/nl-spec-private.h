#pragma once

#include "nl-json.h"
#include "nl-schema.h"
#include "nl-spec.h"

G_BEGIN_DECLS

struct _NlSpec {
  GObject       parent_instance;

  NlSpecLayout  layout;
  JsonNode     *net_params;     /* object */
  JsonNode     *sim_config;     /* object, empty when the model gave none */
  gboolean      has_sim_config;

  /* Where each section came from, to turn key paths into line:column. */
  NlJsonDoc    *net_doc;
  char         *net_prefix;     /* "netParams" or "net.params" */
  NlJsonDoc    *cfg_doc;
  char         *cfg_prefix;     /* "simConfig" */

  GHashTable   *defaults;       /* const NlSchemaKey* → JsonNode* parsed from dflt */
};

NlSpec   *nl_spec_new_take          (NlSpecLayout layout,
                                     JsonNode    *net_params,
                                     JsonNode    *sim_config);
/* NetPyNE's default for a schema entry (parsed once), or NULL. */
JsonNode *nl_spec_schema_default    (NlSpec            *self,
                                     const NlSchemaKey *key);
/* Fills in file, line and column of problems from the source documents. */
void      nl_spec_locate_problems   (NlSpec            *self,
                                     GPtrArray         *problems,
                                     guint              first);

G_END_DECLS
