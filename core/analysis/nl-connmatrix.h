/* nl-connmatrix.h — connectivity matrices of a built network, as NetPyNE's plotConn computes
 * them (analysis/network.py, _plotConnCalculateFromSim), grouped by population or by cell.
 *
 * Rows are presynaptic groups, columns postsynaptic groups. One connection is one NetCon
 * (NlNetwork's entries; gap junctions included, as in NetPyNE's cell.conns). With count the
 * number of connections from the row's group onto the column's, Σw their summed weight,
 * n_pre / n_post the number of cells of the row's / column's group:
 *
 *   weight       Σw / count                      mean weight per connection (0 without one)
 *   delay        Σdelay / count                  mean delay (0 without a connection)
 *   numConns     count
 *   probability  count / (n_pre · n_post)
 *   strength     probability · Σw                NetPyNE multiplies by the summed weight, not
 *                                                the mean (its docs say "weight * probability")
 *   convergence  count / n_post                  connections onto each postsynaptic cell
 *   divergence   count / n_pre                   connections out of each presynaptic cell
 *
 * Populations without cells are left out, as NetPyNE's (it lists the populations of the
 * included cells). A ratio whose denominator is 0 is 0, never NaN. Grouped by cell,
 * only weight, delay and numConns exist (as in NetPyNE); weight and delay of a pair without a
 * connection are 0 (NetPyNE leaves NaN there).
 *
 * Stimulus sources (NetStim and VecStim stimSourceParams, one NetStim per stimulated cell):
 * grouped by population, by default each source that drives cells through NetCons is a row
 * after the populations, labelled with its stimSourceParams key, in the order of the
 * stimulation rules (NetPyNE's default includePre ['all'] has them). A source counts as many
 * presynaptic cells as the column's population has (NetPyNE's intent; 1.1.0 keeps the size of
 * the first postsynaptic population for every column, which we do not copy). They are never
 * columns, and never part of a by-cell matrix.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "nl-network.h"

G_BEGIN_DECLS

typedef enum {
  NL_CONN_GROUP_POP,
  NL_CONN_GROUP_CELL,
} NlConnGroupBy;

typedef enum {
  NL_CONN_WEIGHT,
  NL_CONN_DELAY,
  NL_CONN_NUM_CONNS,
  NL_CONN_PROBABILITY,
  NL_CONN_STRENGTH,
  NL_CONN_CONVERGENCE,
  NL_CONN_DIVERGENCE,
} NlConnFeature;

typedef struct {
  NlConnGroupBy       group_by;
  NlConnFeature       feature;
  const char *const  *pre_pops;    /* NULL-terminated population (or, by population, stimulus
                                      source) names; NULL: every population and source */
  const char *const  *post_pops;   /* NULL-terminated population names; NULL: every one */
  gboolean            skip_stims;  /* with pre_pops NULL: leave the stimulus sources out */
  gboolean            unique_pre;  /* NetPyNE's synOrConn 'conn': only the first NetCon from
                                      each presynaptic cell (or NetStim) onto a cell counts */
  const char *const  *syn_mechs;   /* NULL-terminated: only NetCons onto these synMechs (applied
                                      after unique_pre, as NetPyNE; a name no NetCon uses
                                      matches nothing) */
} NlConnMatrixOptions;

typedef struct {
  NlConnGroupBy  group_by;
  NlConnFeature  feature;
  guint          n_pre;
  guint          n_post;
  char         **pre_labels;   /* n_pre names (population, source, or gid as text), NULL-ended */
  char         **post_labels;
  guint32       *pre_gids;     /* by cell: the rows' gids (ascending); NULL by population */
  guint32       *post_gids;
  double        *values;       /* n_pre × n_post, row-major: values[i * n_post + j] */
} NlConnMatrix;

/* The most entries (n_pre × n_post) a by-cell matrix may have. */
#define NL_CONN_MATRIX_MAX_ENTRIES 25000000u

/* NetPyNE's feature names: "weight", "delay", "numConns", "probability", "strength",
 * "convergence", "divergence". from_name: an error with a suggestion for an unknown one. */
const char   *nl_conn_feature_name      (NlConnFeature              feature);
gboolean      nl_conn_feature_from_name (const char                *name,
                                         NlConnFeature             *feature,
                                         GError                   **error);

/* opt NULL: by population, strength, everything (plotConn's defaults). Errors
 * (G_IO_ERROR_INVALID_ARGUMENT): an unknown population or source name (with a suggestion), a
 * stimulus source as postsynaptic group, a feature the grouping does not have, a by-cell
 * matrix over NL_CONN_MATRIX_MAX_ENTRIES entries. */
NlConnMatrix *nl_conn_matrix_new        (NlNetwork                 *net,
                                         const NlConnMatrixOptions *opt,
                                         GError                   **error);
void          nl_conn_matrix_free       (NlConnMatrix              *m);

/* CSV (CONTRACTS.md `conn`): header `pre,<post1>,<post2>…`, then one row per presynaptic
 * group: its label, then its values (shortest round-trip numbers). */
gboolean      nl_conn_matrix_write_csv  (const NlConnMatrix        *m,
                                         GOutputStream             *out,
                                         GCancellable              *cancellable,
                                         GError                   **error);
/* {"feature": "strength", "group_by": "pop"|"cell", "pre": [labels], "post": [labels],
 *  "values": [[row 0], [row 1], …]} */
JsonNode     *nl_conn_matrix_to_json    (const NlConnMatrix        *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlConnMatrix, nl_conn_matrix_free)

G_END_DECLS
