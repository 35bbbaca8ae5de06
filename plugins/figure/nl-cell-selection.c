/* nl-cell-selection.c — cells and populations shown by the figures of results. */
#include "nl-cell-selection.h"

#include <gio/gio.h>
#include <math.h>

void
nl_cell_selection_free (NlCellSelection *sel)
{
  if (!sel)
    return;
  g_strfreev (sel->names);
  g_free (sel->first_row);
  g_free (sel->n_rows);
  g_free (sel->row_of_gid);
  if (sel->rows)
    g_hash_table_unref (sel->rows);
  g_free (sel->pop_of_row);
  g_free (sel);
}

static int
cmp_u32 (gconstpointer pa, gconstpointer pb)
{
  guint32 a = *(const guint32 *) pa, b = *(const guint32 *) pb;
  return (a > b) - (a < b);
}

/* The gids of results without populations: 0 … n_cells − 1 and every gid of a spike or a
 * trace, sorted, each once. */
static GArray *
gids_seen (NlResults *r)
{
  guint64 ns = nl_results_get_n_spikes (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint n_cells = nl_results_get_n_cells (r);
  g_autoptr(GHashTable) extra = g_hash_table_new (NULL, NULL);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter it;
  gpointer key;

  for (guint32 i = 0; i < n_cells; i++)
    g_array_append_val (out, i);
  /* Most gids are below n_cells: only the others go through the hash set. */
  for (guint64 i = 0; i < ns; i++)
    if (g[i] >= n_cells)
      g_hash_table_add (extra, GUINT_TO_POINTER (g[i]));
  for (guint t = 0; t < nl_results_get_n_traces (r); t++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (r, t); c++)
      {
        guint32 gid;
        guint64 n;
        nl_results_get_trace_values (r, t, c, &gid, &n);
        if (gid >= n_cells)
          g_hash_table_add (extra, GUINT_TO_POINTER (gid));
      }
  g_hash_table_iter_init (&it, extra);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      guint32 gid = GPOINTER_TO_UINT (key);
      g_array_append_val (out, gid);
    }
  g_array_sort (out, cmp_u32);
  return out;
}

static void
set_row (NlCellSelection *sel, guint32 gid, guint row)
{
  if (sel->row_of_gid)
    sel->row_of_gid[gid] = (gint32) row;
  else
    g_hash_table_insert (sel->rows, GUINT_TO_POINTER (gid), GUINT_TO_POINTER (row + 1));
}

NlCellSelection *
nl_cell_selection_new (NlResults *r, const NlFigureOptions *o, GError **error)
{
  g_autoptr(NlCellSelection) sel = g_new0 (NlCellSelection, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pop_ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GArray) all = NULL;
  guint n_pops = nl_results_get_n_pops (r), row = 0;
  gboolean no_pops = n_pops == 0;
  guint32 max_gid = 0;
  guint64 n_listed = 0;

  if (o && o->gids)
    {
      wanted = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < o->n_gids; i++)
        g_hash_table_add (wanted, GUINT_TO_POINTER (o->gids[i]));
    }

  /* The chosen populations, in the results' order (as NetPyNE stacks them). */
  if (o && o->pops)
    for (guint k = 0; o->pops[k]; k++)
      {
        gboolean found = FALSE;
        for (guint p = 0; p < n_pops && !found; p++)
          found = g_strcmp0 (nl_results_get_pop_name (r, p), o->pops[k]) == 0;
        if (!found && !(no_pops && g_strcmp0 (o->pops[k], "cells") == 0))
          {
            g_autoptr(GString) known = g_string_new (NULL);
            for (guint p = 0; p < n_pops; p++)
              g_string_append_printf (known, "%s%s", p ? ", " : "", nl_results_get_pop_name (r, p));
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "population '%s' is not in the results; they have: %s", o->pops[k],
                         n_pops ? known->str : "cells (no populations)");
            return NULL;
          }
      }
  for (guint p = 0; p < MAX (n_pops, 1); p++)
    {
      const char *name = no_pops ? "cells" : nl_results_get_pop_name (r, p);
      gboolean take = !(o && o->pops);
      for (guint k = 0; o && o->pops && o->pops[k] && !take; k++)
        take = g_strcmp0 (o->pops[k], name) == 0;
      if (take)
        {
          int id = no_pops ? -1 : (int) p;
          g_array_append_val (pop_ids, id);
        }
    }

  if (no_pops)
    {
      all = gids_seen (r);
      n_listed = all->len;
      if (all->len)
        max_gid = g_array_index (all, guint32, all->len - 1);
    }
  else
    for (guint p = 0; p < n_pops; p++)
      {
        guint n;
        const guint32 *g = nl_results_get_pop_gids (r, p, &n);
        for (guint i = 0; i < n; i++)
          max_gid = MAX (max_gid, g[i]);
        n_listed += n;
      }
  /* A table indexed by gid while it stays near the number of cells (sizes come from the
   * data, not from a declared count); a hash table for sparse gids. */
  if ((guint64) max_gid < 4 * n_listed + (1u << 20))
    {
      sel->n_gids = max_gid + 1;
      sel->row_of_gid = g_new (gint32, sel->n_gids);
      for (guint32 i = 0; i < sel->n_gids; i++)
        sel->row_of_gid[i] = -1;
    }
  else
    sel->rows = g_hash_table_new (NULL, NULL);

  sel->n_pops = pop_ids->len;
  sel->first_row = g_new0 (guint, MAX (sel->n_pops, 1));
  sel->n_rows = g_new0 (guint, MAX (sel->n_pops, 1));
  for (guint k = 0; k < pop_ids->len; k++)
    {
      int p = g_array_index (pop_ids, int, k);
      guint n = 0;
      const guint32 *g = p >= 0 ? nl_results_get_pop_gids (r, (guint) p, &n)
                                : (const guint32 *) all->data;

      sel->first_row[k] = row;
      if (p < 0)
        n = all->len;
      for (guint i = 0; i < n; i++)
        {
          if (wanted && !g_hash_table_contains (wanted, GUINT_TO_POINTER (g[i])))
            continue;
          if (nl_cell_selection_row (sel, g[i]) >= 0)
            continue;   /* a gid listed twice keeps its first row */
          set_row (sel, g[i], row++);
        }
      sel->n_rows[k] = row - sel->first_row[k];
      g_ptr_array_add (names, g_strdup (p >= 0 ? nl_results_get_pop_name (r, (guint) p) : "cells"));
    }
  g_ptr_array_add (names, NULL);
  sel->names = (char **) g_ptr_array_steal (names, NULL);
  sel->n_rows_total = row;
  if (row == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no cell to show: the chosen populations and gids select none");
      return NULL;
    }
  sel->pop_of_row = g_new (guint, row);
  for (guint k = 0; k < sel->n_pops; k++)
    for (guint i = 0; i < sel->n_rows[k]; i++)
      sel->pop_of_row[sel->first_row[k] + i] = k;
  return g_steal_pointer (&sel);
}

void
nl_results_figure_window (NlResults *r, const NlFigureOptions *o, double *t0, double *t1)
{
  double d = nl_results_get_duration (r);
  guint64 ns = nl_results_get_n_spikes (r), nt = 0;
  const double *tt = nl_results_get_trace_time (r, &nt);

  if (o && o->t_stop > o->t_start)
    {
      *t0 = o->t_start;
      *t1 = o->t_stop;
      return;
    }
  if (isfinite (d) && d > 0)
    {
      *t0 = 0;
      *t1 = d;
      return;
    }
  *t0 = 0;
  *t1 = 0;
  if (ns)
    *t1 = MAX (*t1, nl_results_get_spike_times (r)[ns - 1]);
  if (tt && nt)
    *t1 = MAX (*t1, tt[nt - 1]);
  if (!(*t1 > *t0))
    *t1 = *t0 + 1;
}
