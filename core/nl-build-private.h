#pragma once

#include "nl-build.h"
#include "nl-json.h"
#include "nl-expr.h"
#include "nl-expr-ctx.h"
#include "nl-network-private.h"
#include "nl-problem.h"

G_BEGIN_DECLS

/* What the phases of a build share. */
typedef struct {
  NlSpec         *spec;
  NlNetwork      *net;
  GPtrArray      *problems;
  const NlBuildOptions *options;

  JsonObject     *np;              /* netParams */
  JsonObject     *cfg;             /* simConfig */
  double          size[3];         /* sizeX, sizeY, sizeZ */
  guint32         seed_conn, seed_loc, seed_stim, seed_cell;
  gboolean        allow_self_conns;
  gboolean        allow_weight0;
  gboolean        conn_random_sec;  /* connRandomSecFromList */
  gboolean        distribute_syns;  /* distributeSynsUniformly */
  gboolean        pt3d_relative;    /* pt3dRelativeToCellLocation */
  gboolean        inverted_y;       /* invertedYCoord */

  /* Per cell rule (index = NlNetPop.cell_rule): its sections in order, and the section
   * lists (name → GArray of section name indices). */
  GPtrArray      *cell_rules;      /* CellRule* */
  GPtrArray      *constant_names;  /* for expression suggestions */
} Build;

typedef struct {
  const char *label;
  JsonObject *params;
  GArray     *secs;       /* guint section-name indices, in cellParams order */
  GArray     *sec_len;    /* double L of each section, for distributing synapses */
  GArray     *sec_nseg;   /* guint nseg */
  GPtrArray  *weight_norm;/* JsonArray* or NULL per section */
  GPtrArray  *pt3d;       /* JsonArray* of [x, y, z, diam] or NULL per section */
  gboolean    has_weight_norm;
  GArray     *sec_parent; /* int: position of the parent section in `secs`, -1 for a root */
  GArray     *sec_parent_x; /* double: where on the parent it attaches (topol.parentX) */
  GArray     *sec_child_x;  /* double: which end attaches (topol.childX) */
  GHashTable *sec_lists;  /* name → GArray of section-name indices */
  int         default_sec;/* index in the names table: soma if present, else the first */
} CellRule;

/* A sorted list of gids. */
typedef struct {
  guint32 *gids;
  guint    n;
} GidSet;

void      nl_gidset_clear         (GidSet *set);

/* Cells matching NetPyNE conds (tags by equality or list membership, positions by
 * half-open [min, max) ranges). Unknown tag keys match nothing, as in NetPyNE. */
gboolean  nl_build_select         (Build      *b,
                                   JsonObject *conds,
                                   GidSet     *out,
                                   const char *path,
                                   GError    **error);

NlExpr   *nl_build_compile        (Build      *b,
                                   JsonNode   *node,
                                   NlExprCtx   ctx,
                                   const char *path,
                                   GError    **error);

gboolean  nl_build_cells          (Build *b, GError **error);
gboolean  nl_build_conns          (Build *b, GError **error);
gboolean  nl_build_stims          (Build *b, GError **error);

/* synMech names of a rule: a name, a list, or NetPyNE's default (the first synMechParams
 * entry). The strings belong to the spec. */
GPtrArray *nl_build_syn_names     (Build      *b,
                                   JsonNode   *syn);

/* Reading JSON leniently (NetPyNE's Python reads 1 and 1.0 alike). */
double    nl_json_obj_number      (JsonObject *o, const char *key, double fallback);
const char *nl_json_obj_string    (JsonObject *o, const char *key);
JsonObject *nl_json_obj_object    (JsonObject *o, const char *key);

G_END_DECLS
