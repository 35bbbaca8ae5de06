/* nl-sonata-net.h — a built network as a SONATA circuit (nodes and edges), and reading
 * SONATA nodes and edges files back.
 *
 * Writing (nl_sonata_write_network) puts into DIR:
 *  - per population P: `P_nodes.h5` with /nodes/P/{node_id, node_type_id, node_group_id,
 *    node_group_index} and group 0 {x, y, z} (float64, µm), and `P_node_types.csv`
 *    (node_type_id model_type model_template model_name pop_name cell_type cell_model).
 *    Node ids count from 0 in each population: gid = the population's first gid + node id.
 *    model_type is "virtual" for NetStim/VecStim, "point_process" for IntFire cells and
 *    cells whose rule holds a point process (Izhikevich), else "biophysical".
 *  - per stimulus source S with NetStim/VecStim connections: a virtual population S (or
 *    S_stim when a population is called S), one node per stimulus instance (NetPyNE's
 *    cell.stims entry), in build order.
 *  - per (pre, post) pair with connections: `pre_post_edges.h5`, population `pre_to_post`,
 *    with source_node_id/target_node_id (uint64, attribute node_population),
 *    edge_type_id (uint32), edge_group_id (uint16, 0), edge_group_index (uint64), group 0
 *    {syn_weight (µS), delay (ms), and on targets with sections afferent_section_id (int32:
 *    the section's position in its cellParams rule's secs, -1 for none) and
 *    afferent_section_pos (0..1)} as float32 (NetLoom keeps them as float: exact), and
 *    indices/{source_to_target,target_to_source}/{node_id_to_range, range_to_edge_id}
 *    (uint64 n×2; node_id_to_ranges is a hard link to node_id_to_range, the name libsonata
 *    reads). Edges are ordered by target, then source, then build order.
 *    `pre_post_edge_types.csv`: edge_type_id model_template syn_mech conn_rule
 *    dynamics_params — one edge type per (connParams or stimTargetParams rule, synMech), id
 *    100 + rule × n_synMechs + synMech, model_template the synMech's mod, dynamics_params
 *    `SYN.json` in synaptic_models/: the synMech's parameters under BMTK's names (mod →
 *    level_of_detail, e → erev; NetPyNE's SONATA import maps them back).
 *  - `circuit_config.json` listing them (manifest $NETWORK_DIR = ".", components
 *    synaptic_models_dir).
 * Names that are not [A-Za-z0-9_.-] become '_'; clashes get a numeric suffix. Every file is
 * written under a temporary name in DIR and fsynced; only when all are complete are they
 * renamed into place (circuit_config.json last), so a failure leaves no partial file under
 * a final name. A write error (disk full) never reaches libhdf5, which cannot recover from
 * one: files go through a copy of its sec2 driver that keeps the first error and skips the
 * rest. Connections are streamed in chunks of 2^18 edges per open edge population; the
 * source_to_target index needs up to ~40 bytes per (source, target) run of the largest edge
 * population (full-scale Potjans–Diesmann, 285 M edges: 6.4 GB peak with the 4.4 GB network).
 *
 * Reading validates every dataset it uses (class, rank, equal lengths, ids and indices in
 * range, sizes against the file) and reports G_IO_ERROR_INVALID_DATA naming the file and
 * the HDF5 object path; libhdf5's error printing is silenced.
 */
#pragma once

#include <gio/gio.h>
#include <nl-network.h>
#include <nl-spec.h>

G_BEGIN_DECLS

gboolean nl_sonata_write_network (NlSpec      *spec,
                                  NlNetwork   *net,
                                  const char  *dir,
                                  GError     **error);

typedef struct {
  char    *name;
  guint64  n_nodes;
  guint64 *node_type_id;
  double  *x, *y, *z;     /* per node, or NULL when the node groups have no x/y/z */
} NlSonataNodePop;

typedef struct {
  guint            n_pops;
  NlSonataNodePop *pops;  /* in name order */
} NlSonataNodes;

NlSonataNodes *nl_sonata_read_nodes (const char     *path,
                                     GError        **error);
void           nl_sonata_nodes_free (NlSonataNodes  *nodes);

/* One index (source_to_target or target_to_source). */
typedef struct {
  guint64  n_nodes;       /* rows of node_id_to_range */
  guint64 *node_ranges;   /* n_nodes × 2: [first, end) rows of edge_ranges */
  guint64  n_ranges;
  guint64 *edge_ranges;   /* n_ranges × 2: [first, end) edge ids */
} NlSonataIndex;

typedef struct {
  char          *name;
  char          *source_pop, *target_pop;
  guint64        n_edges;
  guint64       *source, *target;
  guint32       *edge_type_id;
  /* Per edge, from the edge groups; NULL when some group lacks the dataset. */
  double        *syn_weight, *delay, *section_pos;
  gint32        *section_id;
  gboolean       has_index;  /* both indices present, checked against source/target */
  NlSonataIndex  source_index, target_index;
} NlSonataEdgePop;

typedef struct {
  guint            n_pops;
  NlSonataEdgePop *pops;  /* in name order */
} NlSonataEdges;

NlSonataEdges *nl_sonata_read_edges (const char     *path,
                                     GError        **error);
void           nl_sonata_edges_free (NlSonataEdges  *edges);

/* A whole circuit: circuit_config.json's networks.nodes[].nodes_file and
 * networks.edges[].edges_file, with its manifest ("$NETWORK_DIR": "./network") substituted
 * and relative paths taken from the config's folder. Populations of all files together, in
 * the config's order; each edge population's node_population must name a node population
 * read, and its node ids must be below that population's size. Errors name the config and
 * key path ("networks.edges[1].edges_file") or the HDF5 file and object. */
typedef struct {
  NlSonataNodes *nodes;
  NlSonataEdges *edges;
} NlSonataCircuit;

NlSonataCircuit *nl_sonata_read_circuit (const char       *config,
                                         GError          **error);
void             nl_sonata_circuit_free (NlSonataCircuit  *circuit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSonataCircuit, nl_sonata_circuit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSonataNodes, nl_sonata_nodes_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlSonataEdges, nl_sonata_edges_free)

G_END_DECLS
