/* nl-network.h — a built network: cells, connections and stimuli, as columns.
 *
 * Built once by nl_build_network() and then read-only (safe to read from many threads).
 * Gids are 0 … n_cells-1, population after population in the order of popParams.
 * Connections are stored by target cell (CSR): the simulator walks them per cell, and
 * analyses walk them all. One entry is one NetCon, as NetPyNE counts `cell.conns`: a
 * connection with k synMechs, or synsPerConn = k, is k entries.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NlNetwork NlNetwork;

typedef struct {
  const char *name;
  const char *cell_type;   /* NULL when the population has none */
  const char *cell_model;  /* NULL when the population has none */
  guint       first;       /* gid of the population's first cell */
  guint       n_cells;
  int         cell_rule;   /* index of its cellParams rule, -1 for an artificial cell */
  gboolean    artificial;  /* NetStim, VecStim, IntFire1/2/4: no sections */
} NlNetPop;

typedef enum {
  NL_COORD_X, NL_COORD_Y, NL_COORD_Z,          /* µm */
  NL_COORD_XNORM, NL_COORD_YNORM, NL_COORD_ZNORM,
  NL_N_COORDS
} NlCoord;

typedef enum {
  NL_RULE_CONN,            /* a connParams rule */
  NL_RULE_STIM,            /* a stimTargetParams rule */
} NlRuleKind;

typedef struct {
  const char *label;       /* the connParams or stimTargetParams key */
  NlRuleKind  kind;
  const char *source;      /* NL_RULE_STIM: the stimSourceParams label */
  const char *source_type; /* NL_RULE_STIM: NetStim, IClamp, … */
  gboolean    pointer;     /* a gap junction or graded synapse (synMechParams pointerParams, or
                              the deprecated gapJunction): its entries join the two cells through
                              NEURON pointers, not NetCons; `bidirectional` makes them symmetric */
  gboolean    bidirectional;
} NlNetRule;

/* The section of a connection or stimulus on an artificial (point) cell, which has none. */
#define NL_SEC_NONE 0xFFFFu

/* One NetCon. */
typedef struct {
  guint32 pre;      /* presynaptic gid; for stimulus connections the index of the NlNetStim */
  guint32 post;     /* postsynaptic gid */
  float   weight;   /* µS (after scaleConnWeight*) */
  float   delay;    /* ms */
  float   loc;      /* 0..1 along `sec` */
  guint16 rule;     /* index into nl_network_get_rule() */
  guint16 syn;      /* index into nl_network_get_name(NL_NAME_SYN_MECH) */
  guint16 sec;      /* index into nl_network_get_name(NL_NAME_SEC), or NL_SEC_NONE */
} NlConn;

/* One stimulus instance on one cell (NetPyNE's cell.stims entry). */
typedef struct {
  guint32 cell;     /* gid */
  guint16 rule;     /* index into nl_network_get_rule() (an NL_RULE_STIM) */
  guint16 sec;      /* index into the section names, or NL_SEC_NONE */
  float   loc;
} NlNetStim;

typedef enum {
  NL_NAME_SYN_MECH,
  NL_NAME_SEC,
} NlNameKind;

NlNetwork      *nl_network_ref             (NlNetwork  *net);
void            nl_network_unref           (NlNetwork  *net);

guint           nl_network_get_n_cells     (NlNetwork  *net);
guint           nl_network_get_n_pops      (NlNetwork  *net);
const NlNetPop *nl_network_get_pop         (NlNetwork  *net,
                                            guint       index);
int             nl_network_find_pop        (NlNetwork  *net,
                                            const char *name);
guint           nl_network_cell_pop        (NlNetwork  *net,
                                            guint       gid);
/* A column of n_cells values. */
const double   *nl_network_get_coords      (NlNetwork  *net,
                                            NlCoord     coord);

guint           nl_network_get_n_rules     (NlNetwork  *net);
const NlNetRule *nl_network_get_rule       (NlNetwork  *net,
                                            guint       index);
/* NULL for NL_SEC_NONE. */
const char     *nl_network_get_name        (NlNetwork  *net,
                                            NlNameKind  kind,
                                            guint       index);

/* Cell→cell NetCons (CONTRACTS.md "conns"): sources are cells, including artificial-cell
 * populations. */
guint64         nl_network_get_n_conns     (NlNetwork  *net);
/* The NetCons onto `gid` are indices [*first, *first + return value). */
guint64         nl_network_conns_of_cell   (NlNetwork  *net,
                                            guint       gid,
                                            guint64    *first);
void            nl_network_get_conn        (NlNetwork  *net,
                                            guint64     index,
                                            NlConn     *conn);

/* Stimuli (all kinds), and the NetCons from NetStim/VecStim stimuli ("stim_conns"). */
guint           nl_network_get_n_stims      (NlNetwork  *net);
void            nl_network_get_stim         (NlNetwork  *net,
                                             guint       index,
                                             NlNetStim  *stim);
guint64         nl_network_get_n_stim_conns (NlNetwork  *net);
void            nl_network_get_stim_conn    (NlNetwork  *net,
                                             guint64     index,
                                             NlConn     *conn);

/* Cell rules (cellParams entries) used by the populations, by NlNetPop.cell_rule. */
guint           nl_network_get_n_cell_rules (NlNetwork  *net);
const char     *nl_network_get_cell_rule    (NlNetwork  *net,
                                             guint       index);
/* Values of a cell rule given as string functions ("19 + uniform(-0.5, 0.5)"), evaluated
 * for each cell: the paths ("secs.soma.geom.diam", "secs.soma.mechs.hh.gnabar") of rule
 * `index`, and the values of one cell in that order. */
guint           nl_network_get_n_cell_funcs (NlNetwork  *net,
                                             guint       cell_rule);
const char     *nl_network_get_cell_func    (NlNetwork  *net,
                                             guint       cell_rule,
                                             guint       index);
const double   *nl_network_get_cell_values  (NlNetwork  *net,
                                             guint       gid);

/* The spike train a VecStim cell will play (ms, sorted), made at build time from its
 * population's rate/interval, spikePattern, spkTimes and pulses; NULL with n = 0 for other
 * cells. */
const double   *nl_network_get_spike_times  (NlNetwork  *net,
                                             guint       gid,
                                             guint      *n);

/* Stimulus-source parameters given as string functions (IClamp "amp": "0.1 + 0.1*post_ynorm"),
 * evaluated for each stimulus: the names for stimulation rule `rule`, and one stimulus's
 * values in that order. */
guint           nl_network_get_n_stim_funcs (NlNetwork  *net,
                                             guint       rule);
const char     *nl_network_get_stim_func    (NlNetwork  *net,
                                             guint       rule,
                                             guint       index);
const double   *nl_network_get_stim_values  (NlNetwork  *net,
                                             guint       stim);
/* The rule labelled `label` (connParams or stimTargetParams key), or -1. */
int             nl_network_find_rule        (NlNetwork  *net,
                                             const char *label);

/* The NetCons from `gid` (analyses walk connections by source): indices into the
 * by-target order, computed on first use (8 bytes per NetCon). */
guint64         nl_network_conns_from_cell  (NlNetwork  *net,
                                             guint       gid,
                                             const guint64 **indices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlNetwork, nl_network_unref)

G_END_DECLS
