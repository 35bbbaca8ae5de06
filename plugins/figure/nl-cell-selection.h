/* nl-cell-selection.h — which cells of a results set a figure shows, in what order.
 *
 * Figures of NlResults (raster, traces) show the cells of the chosen populations, grouped
 * by population in the results' population order, each population's cells in the order
 * its gid list gives; `gids` narrows the choice further. Results without populations (a
 * spike CSV) are one population "cells": gids 0 … n_cells − 1 when the results know their
 * number of cells, and every other gid that appears in spikes or traces, in gid order.
 */
#pragma once

#include <nl-results.h>

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_pops;
  char   **names;       /* of the chosen populations */
  guint   *first_row;   /* each chosen population's first row */
  guint   *n_rows;      /* and its number of rows (cells chosen) */
  guint    n_rows_total;
  gint32  *row_of_gid;  /* row of each gid < n_gids, -1 when not shown; NULL when the gids
                           are too sparse for a table (then `rows` maps gid → row + 1) */
  guint32  n_gids;
  GHashTable *rows;
  guint   *pop_of_row;  /* index into names */
} NlCellSelection;

/* NULL with an error naming an unknown population (and the known ones) or a selection
 * without any cell. */
NlCellSelection *nl_cell_selection_new  (NlResults             *results,
                                         const NlFigureOptions *options,
                                         GError               **error);
void             nl_cell_selection_free (NlCellSelection       *sel);
/* The row of `gid`, or -1. */
static inline gint32
nl_cell_selection_row (const NlCellSelection *sel, guint32 gid)
{
  if (sel->row_of_gid)
    return gid < sel->n_gids ? sel->row_of_gid[gid] : -1;
  return (gint32) GPOINTER_TO_UINT (g_hash_table_lookup (sel->rows, GUINT_TO_POINTER (gid))) - 1;
}

/* The time window of the options over these results (ms): t_start..t_stop when given,
 * else 0..duration, else the span of the spikes and traces (0..1 when there is none). */
void             nl_results_figure_window (NlResults             *results,
                                           const NlFigureOptions *options,
                                           double                *t0,
                                           double                *t1);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NlCellSelection, nl_cell_selection_free)

G_END_DECLS
