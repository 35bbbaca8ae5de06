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
  g_free (sel->pop_of_row);
  g_free (sel);
}

static guint32
max_gid_seen (NlResults *r)
{
  guint64 ns = nl_results_get_n_spikes (r);
  const guint32 *g = nl_results_get_spike_gids (r);
  guint32 m = nl_results_get_n_cells (r) ? nl_results_get_n_cells (r) - 1 : 0;

  for (guint64 i = 0; i < ns; i++)
    m = MAX (m, g[i]);
  for (guint t = 0; t < nl_results_get_n_traces (r); t++)
    for (guint c = 0; c < nl_results_get_trace_n_cells (r, t); c++)
      {
        guint32 gid;
        guint64 n;
        nl_results_get_trace_values (r, t, c, &gid, &n);
        m = MAX (m, gid);
      }
  return m;
}

NlCellSelection *
nl_cell_selection_new (NlResults *r, const NlFigureOptions *o, GError **error)
{
  g_autoptr(NlCellSelection) sel = g_new0 (NlCellSelection, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) pop_ids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) wanted = NULL;
  guint n_pops = nl_results_get_n_pops (r), row = 0;
  gboolean no_pops = n_pops == 0;
  guint32 max_gid = 0;

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
    max_gid = max_gid_seen (r);
  else
    for (guint p = 0; p < n_pops; p++)
      {
        guint n;
        const guint32 *g = nl_results_get_pop_gids (r, p, &n);
        for (guint i = 0; i < n; i++)
          max_gid = MAX (max_gid, g[i]);
      }
  sel->n_gids = max_gid + 1;
  sel->row_of_gid = g_new (gint32, sel->n_gids);
  for (guint32 i = 0; i < sel->n_gids; i++)
    sel->row_of_gid[i] = -1;

  sel->n_pops = pop_ids->len;
  sel->first_row = g_new0 (guint, MAX (sel->n_pops, 1));
  sel->n_rows = g_new0 (guint, MAX (sel->n_pops, 1));
  for (guint k = 0; k < pop_ids->len; k++)
    {
      int p = g_array_index (pop_ids, int, k);
      guint n = 0;
      const guint32 *g = p >= 0 ? nl_results_get_pop_gids (r, (guint) p, &n) : NULL;

      sel->first_row[k] = row;
      if (p < 0)
        n = sel->n_gids;
      for (guint i = 0; i < n; i++)
        {
          guint32 gid = g ? g[i] : i;
          if (wanted && !g_hash_table_contains (wanted, GUINT_TO_POINTER (gid)))
            continue;
          if (sel->row_of_gid[gid] >= 0)
            continue;   /* a gid listed twice keeps its first row */
          sel->row_of_gid[gid] = (gint32) row++;
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
