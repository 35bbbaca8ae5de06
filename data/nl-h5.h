/* nl-h5.h — NetLoom's native results file (.h5): writing it, and reading it lazily.
 *
 * The layout is documented in docs/file-format.md. Writing is atomic (temporary file beside
 * the target, flushed and fsync'd, then renamed): on any failure the previous file is left
 * as it was. Opening reads only metadata (counts, populations, trace names, meta), so a
 * 10-million-spike file opens in milliseconds; spikes, traces, LFP and the network are read
 * on request, by hyperslab. Every object is checked before it is read (type, rank, shape
 * against the other objects and against the file's size); a bad file gives a
 * G_IO_ERROR_INVALID_DATA naming the file and the HDF5 object path, a file written by a
 * newer NetLoom G_IO_ERROR_NOT_SUPPORTED.
 */
#pragma once

#include <gio/gio.h>
#include <nl-network.h>
#include <nl-results.h>
#include <nl-spec.h>

G_BEGIN_DECLS

/* The value of the root attribute `netloom_format` this NetLoom writes (and the highest it
 * reads). */
#define NL_H5_FORMAT_VERSION 1

/* `spec` and `net` may be NULL (then /spec and /network are left out). */
gboolean        nl_h5_write                 (const char    *filename,
                                             NlResults     *r,
                                             NlSpec        *spec,
                                             NlNetwork     *net,
                                             GError       **error);

/* Writing a file whose spikes arrive in pieces (a run's ranks merged on the fly) without
 * holding them: spikes are appended, sorted by (time, gid) across calls, to extensible
 * /spikes/t and /spikes/gid; nl_h5_writer_finish builds /spikes/by_gid from the written gid
 * column (holding 4 bytes a spike), writes the rest, and renames the file into place. The
 * content equals what nl_h5_write writes for the same results; the same atomicity: until
 * finish succeeds the previous file is untouched, and a failure or nl_h5_writer_free removes
 * the temporary file. Disk space is reserved ahead of libhdf5 in growing steps. */
typedef struct _NlH5Writer NlH5Writer;

/* `spec` and `net` may be NULL; `n_cells` 0 when unknown (gids are then not checked). */
NlH5Writer     *nl_h5_writer_new            (const char    *filename,
                                             NlSpec        *spec,
                                             NlNetwork     *net,
                                             guint          n_cells,
                                             GError       **error);
/* Spikes out of order, or gids >= n_cells, are refused before anything is written. */
gboolean        nl_h5_writer_add_spikes     (NlH5Writer    *w,
                                             const double  *t_ms,
                                             const guint32 *gids,
                                             guint64        n,
                                             GError       **error);
guint64         nl_h5_writer_get_n_spikes   (NlH5Writer    *w);
/* `rest`: everything but the spikes (n_cells as given to new, populations, duration, traces,
 * LFP, meta; no spikes). Frees `w`, whether it succeeds or not. */
gboolean        nl_h5_writer_finish         (NlH5Writer    *w,
                                             NlResults     *rest,
                                             GError       **error);
/* Abandons the file: the temporary file is removed, the previous file left as it was. */
void            nl_h5_writer_free           (NlH5Writer    *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlH5Writer, nl_h5_writer_free)

/* Whether the file is HDF5 with the root attribute `netloom_format` (any value). */
gboolean        nl_h5_is_native             (const char    *filename);

typedef struct _NlH5File NlH5File;

NlH5File       *nl_h5_open                  (const char    *filename,
                                             GError       **error);
void            nl_h5_close                 (NlH5File      *f);

guint           nl_h5_get_format_version    (NlH5File      *f);
/* 0 when unknown. */
guint           nl_h5_get_n_cells           (NlH5File      *f);
/* ms, NAN when unknown. */
double          nl_h5_get_duration          (NlH5File      *f);
/* The run's facts (NlResults meta as written); owned by `f`. */
JsonObject     *nl_h5_get_meta              (NlH5File      *f);

/* The model as JSON text ({"netParams": …, "simConfig": …}), or NULL with no error when the
 * file has none. */
char           *nl_h5_read_spec_json        (NlH5File      *f,
                                             GError       **error);

/* Populations of the results (read at open). */
guint           nl_h5_get_n_pops            (NlH5File      *f);
const char     *nl_h5_get_pop_name          (NlH5File      *f,
                                             guint          index);
const guint32  *nl_h5_get_pop_gids          (NlH5File      *f,
                                             guint          index,
                                             guint         *n);

/* Spikes, sorted by (time, gid). Arrays returned are newly allocated (g_free; they may be
 * NULL when n = 0). What is read is checked (finite, in order, gids < n_cells). */
guint64         nl_h5_get_n_spikes          (NlH5File      *f);
/* Spikes [first, first + n). */
gboolean        nl_h5_read_spikes           (NlH5File      *f,
                                             guint64        first,
                                             guint64        n,
                                             double        *t_ms,
                                             guint32       *gids,
                                             GError       **error);
/* The spikes with t0 <= t < t1 (a binary search over the time column, then one hyperslab). */
gboolean        nl_h5_read_spikes_range     (NlH5File      *f,
                                             double         t0,
                                             double         t1,
                                             double       **t_ms,
                                             guint32      **gids,
                                             guint64       *n,
                                             GError       **error);
/* The spike times of one cell, ascending (through /spikes/by_gid). */
gboolean        nl_h5_read_spikes_of_gid    (NlH5File      *f,
                                             guint32        gid,
                                             double       **t_ms,
                                             guint64       *n,
                                             GError       **error);

/* Traces (names and gids read at open). */
guint           nl_h5_get_n_traces          (NlH5File      *f);
const char     *nl_h5_get_trace_name        (NlH5File      *f,
                                             guint          trace);
const guint32  *nl_h5_get_trace_gids        (NlH5File      *f,
                                             guint          trace,
                                             guint         *n_cells);
guint64         nl_h5_get_trace_n_samples   (NlH5File      *f,
                                             guint          trace);
/* The values of cell `cell` (an index into the trace's gids). */
gboolean        nl_h5_read_trace            (NlH5File      *f,
                                             guint          trace,
                                             guint          cell,
                                             double       **values,
                                             guint64       *n_samples,
                                             GError       **error);
/* The traces' time base (ms); NULL with n = 0 and no error when there is none. */
gboolean        nl_h5_read_trace_time       (NlH5File      *f,
                                             double       **t_ms,
                                             guint64       *n,
                                             GError       **error);

/* LFP: FALSE (no error) when the file has none. */
gboolean        nl_h5_get_lfp_shape         (NlH5File      *f,
                                             guint64       *n_samples,
                                             guint         *n_electrodes,
                                             double        *dt_ms);
/* Samples × electrodes, row-major; electrode positions and parts go with
 * nl_h5_read_results. */
gboolean        nl_h5_read_lfp              (NlH5File      *f,
                                             double       **data,
                                             GError       **error);

/* The network as stored (/network), columns as in the file; NULL with no error when the
 * file has none. Every index is checked (gids < n_cells, pops, names, rules). */
typedef struct {
  guint64  n;
  guint32 *pre;        /* gid, or stimulus index for stimulus NetCons */
  guint32 *post;
  float   *weight;
  float   *delay;
  float   *loc;
  guint16 *rule;
  guint16 *syn;
  guint16 *sec;        /* NL_SEC_NONE for an artificial cell */
} NlH5Conns;

typedef struct {
  guint     n_cells;
  guint     n_pops;
  char    **pop_names;        /* NULL-terminated, like the other name lists */
  char    **pop_cell_types;   /* "" when none */
  char    **pop_cell_models;  /* "" when none */
  guint32  *pop_first;
  guint32  *pop_n_cells;
  gint32   *pop_cell_rule;
  guint8   *pop_artificial;
  guint32  *cell_pop;         /* n_cells */
  double   *coords[NL_N_COORDS];
  guint     n_rules;
  char    **rule_labels;
  guint8   *rule_kind;        /* NlRuleKind */
  char    **rule_sources;     /* "" for connection rules */
  char    **rule_source_types;
  guint8   *rule_pointer;
  guint8   *rule_bidirectional;
  char    **syn_mechs;
  char    **secs;
  char    **cell_rules;
  NlH5Conns conns;
  guint     n_stims;
  guint32  *stim_cell;
  guint16  *stim_rule;
  guint16  *stim_sec;
  float    *stim_loc;
  NlH5Conns stim_conns;
  guint64  *vecstim_offsets;  /* n_cells + 1, NULL without VecStim trains */
  double   *vecstim_times;
} NlH5Network;

NlH5Network    *nl_h5_read_network          (NlH5File      *f,
                                             GError       **error);
void            nl_h5_network_free          (NlH5Network   *net);

/* Everything, as one NlResults (meta["format"] = "netloom-h5"). */
NlResults      *nl_h5_read_results          (const char    *filename,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlH5File, nl_h5_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlH5Network, nl_h5_network_free)

G_END_DECLS
