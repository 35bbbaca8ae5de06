/* nl-build.h — instantiating a model: populations, cells, connections, stimuli. */
#pragma once

#include "nl-network.h"
#include <gio/gio.h>

#include "nl-spec.h"

G_BEGIN_DECLS

#define NL_BUILD_ERROR (nl_build_error_quark ())
GQuark nl_build_error_quark (void);

typedef enum {
  NL_BUILD_ERROR_INVALID,   /* the model cannot be built as given (the message names the rule) */
  NL_BUILD_ERROR_TOO_LARGE, /* more cells or connections than NetLoom can index */
  NL_BUILD_ERROR_CANCELLED,
} NlBuildError;

/* Called now and then with the phase ("connections") and the fraction done — from the worker
 * threads, one call at a time: a GUI must hand it to its main loop (g_idle_add). */
typedef void (*NlBuildProgress) (const char *phase, double fraction, gpointer user_data);

typedef struct {
  guint            n_threads;   /* 0: as many as cores; the network is identical for any value */
  NlBuildProgress  progress;
  gpointer         progress_data;
  GCancellable    *cancellable;
  guint64          max_cells;   /* 0: no limit; more is NL_BUILD_ERROR_TOO_LARGE */
  guint64          max_conns;   /* 0: no limit */
} NlBuildOptions;

/* Builds the network of a valid spec (run nl_spec_validate first). Warnings (a rule that
 * selects no cells, a convergence larger than the cells available …) are added to
 * `problems` (may be NULL) with the rule's key path. Same spec and seeds → the same
 * network, bit for bit, whatever n_threads. */
NlNetwork *nl_build_network (NlSpec               *spec,
                             const NlBuildOptions *options,
                             GPtrArray            *problems,
                             GError              **error);

G_END_DECLS
