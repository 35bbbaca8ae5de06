/* nl-traces-figure.c — traces against time, a panel per trace. */
#include "nl-traces-figure.h"

#include <gio/gio.h>
#include <nl-cell-selection.h>

static char *
trace_ylabel (const char *name)
{
  const char *unit = NULL;

  switch (name[0])
    {
    case 'V': case 'v': unit = "mV"; break;
    case 'I': case 'i': unit = "nA"; break;
    case 'g': unit = "\xc2\xb5S"; break;
    default: break;
    }
  return unit ? g_strdup_printf ("%s (%s)", name, unit) : g_strdup (name);
}

static gboolean
wanted_trace (const NlTracesOptions *o, const char *name)
{
  if (!o || !o->traces)
    return TRUE;
  for (guint k = 0; o->traces[k]; k++)
    if (g_strcmp0 (o->traces[k], name) == 0)
      return TRUE;
  return FALSE;
}

NlFigure *
nl_traces_figure_new (NlResults *r, const NlTracesOptions *options, GError **error)
{
  NlTracesOptions o = options ? *options : (NlTracesOptions) { 0 };
  g_autoptr(NlCellSelection) sel = NULL;
  g_autoptr(NlFigure) fig = NULL;
  g_autoptr(GArray) panels = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_traces = nl_results_get_n_traces (r), n_cells_shown = 0, panel = 0;
  const double *tt;
  guint64 nt;
  double t0, t1;

  tt = nl_results_get_trace_time (r, &nt);
  if (n_traces == 0 || !tt)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the results have no traces; record some with simConfig.recordTraces");
      return NULL;
    }
  for (guint k = 0; o.traces && o.traces[k]; k++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < n_traces && !found; i++)
        found = g_strcmp0 (nl_results_get_trace_name (r, i), o.traces[k]) == 0;
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "trace '%s' is not in the results (they have %s%s)", o.traces[k],
                       nl_results_get_trace_name (r, 0), n_traces > 1 ? ", …" : "");
          return NULL;
        }
    }
  sel = nl_cell_selection_new (r, &o.base, error);
  if (!sel)
    return NULL;
  for (guint i = 0; i < n_traces; i++)
    if (wanted_trace (&o, nl_results_get_trace_name (r, i)))
      {
        guint shown = 0;
        for (guint c = 0; c < nl_results_get_trace_n_cells (r, i); c++)
          {
            guint32 gid;
            guint64 n;
            nl_results_get_trace_values (r, i, c, &gid, &n);
            shown += nl_cell_selection_row (sel, gid) >= 0;
          }
        if (shown)
          g_array_append_val (panels, i);
        n_cells_shown = MAX (n_cells_shown, shown);
      }
  if (panels->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "none of the chosen cells has a recorded trace");
      return NULL;
    }

  nl_results_figure_window (r, &o.base, &t0, &t1);
  fig = nl_figure_new_from_options (&o.base, NULL);
  nl_figure_set_grid (fig, panels->len, 1);
  for (panel = 0; panel < panels->len; panel++)
    {
      guint i = g_array_index (panels, guint, panel), k = 0;
      NlAxes *axes = nl_figure_add_axes (fig, panel, 0, 1, 1);
      g_autofree char *ylabel = trace_ylabel (nl_results_get_trace_name (r, i));
      g_autofree gboolean *pop_named = g_new0 (gboolean, sel->n_pops);
      gboolean by_pop = n_cells_shown > 10;

      nl_axes_set_ylabel (axes, ylabel);
      if (panel == panels->len - 1)
        nl_axes_set_xlabel (axes, "Time (ms)");
      nl_axes_set_xlim (axes, t0, t1);
      nl_axes_set_grid (axes, TRUE);
      for (guint c = 0; c < nl_results_get_trace_n_cells (r, i); c++)
        {
          guint32 gid;
          guint64 n;
          const double *v = nl_results_get_trace_values (r, i, c, &gid, &n);
          gint32 row = nl_cell_selection_row (sel, gid);
          g_autofree char *label = NULL;
          guint pop;
          NlStyle st;

          if (row < 0)
            continue;
          pop = sel->pop_of_row[row];
          if (by_pop)
            {
              st = nl_style (nl_palette_color (pop, sel->n_pops), NULL);
              if (!pop_named[pop])
                label = g_strdup (sel->names[pop]);
              pop_named[pop] = TRUE;
              st.line_width = 1;
              st.alpha = 0.8;
            }
          else
            {
              st = nl_style (nl_palette_color (k, n_cells_shown), NULL);
              label = g_strdup_printf ("cell %u (%s)", gid, sel->names[pop]);
              st.line_width = 1.4;
            }
          st.label = label;
          nl_axes_line (axes, tt, v, MIN (n, nt), &st);
          k++;
        }
    }
  return g_steal_pointer (&fig);
}
