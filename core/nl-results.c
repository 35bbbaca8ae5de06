#include "nl-results.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  char    *name;
  guint32 *gids;
  guint    n;
} Pop;

typedef struct {
  guint32  gid;
  double  *values;
  guint64  n;
} Series;

typedef struct {
  char   *name;
  GArray *cells;   /* Series */
} Trace;

struct _NlResults {
  gatomicrefcount ref;
  guint      n_cells;
  GArray    *pops;        /* Pop */
  GHashTable *pop_of;     /* gid+1 → pop index+1, built on demand */
  double     duration;
  double    *spk_t;
  guint32   *spk_gid;
  guint64    n_spikes;
  double    *trace_t;
  guint64    trace_n;
  GPtrArray *traces;      /* Trace* */
  double    *lfp;
  guint64    lfp_samples;
  guint      lfp_electrodes;
  double     lfp_dt;
  double    *lfp_xyz;
  guint      lfp_n_xyz;
  GPtrArray *lfp_parts;   /* LfpPart* */
  JsonObject *meta;
};

typedef struct {
  NlLfpPartKind kind;
  char         *pop;
  guint32       gid;
  double       *data;
} LfpPart;

static void
lfp_part_free (gpointer p)
{
  LfpPart *part = p;
  g_free (part->pop);
  g_free (part->data);
  g_free (part);
}

static void
trace_free (gpointer p)
{
  Trace *t = p;
  for (guint i = 0; i < t->cells->len; i++)
    g_free (g_array_index (t->cells, Series, i).values);
  g_array_unref (t->cells);
  g_free (t->name);
  g_free (t);
}

NlResults *
nl_results_new (void)
{
  NlResults *r = g_new0 (NlResults, 1);
  g_atomic_ref_count_init (&r->ref);
  r->pops = g_array_new (FALSE, TRUE, sizeof (Pop));
  r->traces = g_ptr_array_new_with_free_func (trace_free);
  r->duration = NAN;
  r->meta = json_object_new ();
  return r;
}

NlResults *
nl_results_ref (NlResults *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

void
nl_results_unref (NlResults *r)
{
  if (!r || !g_atomic_ref_count_dec (&r->ref))
    return;
  for (guint i = 0; i < r->pops->len; i++)
    {
      Pop *p = &g_array_index (r->pops, Pop, i);
      g_free (p->name);
      g_free (p->gids);
    }
  g_array_unref (r->pops);
  g_clear_pointer (&r->pop_of, g_hash_table_unref);
  g_free (r->spk_t);
  g_free (r->spk_gid);
  g_free (r->trace_t);
  g_ptr_array_unref (r->traces);
  g_free (r->lfp);
  g_free (r->lfp_xyz);
  g_clear_pointer (&r->lfp_parts, g_ptr_array_unref);
  json_object_unref (r->meta);
  g_free (r);
}

void
nl_results_set_n_cells (NlResults *r, guint n_cells)
{
  r->n_cells = n_cells;
}

guint
nl_results_get_n_cells (NlResults *r)
{
  return r->n_cells;
}

void
nl_results_add_pop (NlResults *r, const char *name, const guint32 *gids, guint n)
{
  Pop p = { g_strdup (name), g_memdup2 (gids, MAX (n, 1) * sizeof (guint32)), n };
  g_array_append_val (r->pops, p);
  g_clear_pointer (&r->pop_of, g_hash_table_unref);
}

guint
nl_results_get_n_pops (NlResults *r)
{
  return r->pops->len;
}

const char *
nl_results_get_pop_name (NlResults *r, guint index)
{
  g_return_val_if_fail (index < r->pops->len, NULL);
  return g_array_index (r->pops, Pop, index).name;
}

const guint32 *
nl_results_get_pop_gids (NlResults *r, guint index, guint *n)
{
  g_return_val_if_fail (index < r->pops->len, NULL);
  *n = g_array_index (r->pops, Pop, index).n;
  return g_array_index (r->pops, Pop, index).gids;
}

int
nl_results_find_pop_of_gid (NlResults *r, guint32 gid)
{
  if (!r->pop_of)
    {
      r->pop_of = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < r->pops->len; i++)
        {
          const Pop *p = &g_array_index (r->pops, Pop, i);
          for (guint k = 0; k < p->n; k++)
            g_hash_table_insert (r->pop_of, GUINT_TO_POINTER (p->gids[k] + 1), GUINT_TO_POINTER (i + 1));
        }
    }
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (r->pop_of, GUINT_TO_POINTER (gid + 1))) - 1;
}

void
nl_results_set_duration (NlResults *r, double duration_ms)
{
  r->duration = duration_ms;
}

double
nl_results_get_duration (NlResults *r)
{
  return r->duration;
}

typedef struct {
  double  t;
  guint32 gid;
} Spike;

static int
compare_spikes (const void *a, const void *b)
{
  const Spike *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->gid < y->gid ? -1 : x->gid > y->gid;
}

void
nl_results_set_spikes (NlResults *r, double *t_ms, guint32 *gids, guint64 n)
{
  gboolean sorted = TRUE;

  g_free (r->spk_t);
  g_free (r->spk_gid);
  for (guint64 i = 1; i < n && sorted; i++)
    sorted = t_ms[i - 1] < t_ms[i] || (t_ms[i - 1] == t_ms[i] && gids[i - 1] <= gids[i]);
  if (!sorted)
    {
      Spike *s = g_new (Spike, n);
      for (guint64 i = 0; i < n; i++)
        s[i] = (Spike) { t_ms[i], gids[i] };
      qsort (s, n, sizeof (Spike), compare_spikes);
      for (guint64 i = 0; i < n; i++)
        {
          t_ms[i] = s[i].t;
          gids[i] = s[i].gid;
        }
      g_free (s);
    }
  r->spk_t = t_ms;
  r->spk_gid = gids;
  r->n_spikes = n;
}

guint64
nl_results_get_n_spikes (NlResults *r)
{
  return r->n_spikes;
}

const double *
nl_results_get_spike_times (NlResults *r)
{
  return r->spk_t;
}

const guint32 *
nl_results_get_spike_gids (NlResults *r)
{
  return r->spk_gid;
}

void
nl_results_set_trace_time (NlResults *r, double *t_ms, guint64 n_samples)
{
  g_free (r->trace_t);
  r->trace_t = t_ms;
  r->trace_n = n_samples;
}

const double *
nl_results_get_trace_time (NlResults *r, guint64 *n_samples)
{
  *n_samples = r->trace_n;
  return r->trace_t;
}

void
nl_results_add_trace (NlResults *r, const char *name, guint32 gid, double *values, guint64 n_samples)
{
  Trace *t = NULL;
  Series s = { gid, values, n_samples };

  for (guint i = 0; i < r->traces->len && !t; i++)
    if (g_str_equal (((Trace *) r->traces->pdata[i])->name, name))
      t = r->traces->pdata[i];
  if (!t)
    {
      t = g_new0 (Trace, 1);
      t->name = g_strdup (name);
      t->cells = g_array_new (FALSE, FALSE, sizeof (Series));
      g_ptr_array_add (r->traces, t);
    }
  g_array_append_val (t->cells, s);
}

guint
nl_results_get_n_traces (NlResults *r)
{
  return r->traces->len;
}

const char *
nl_results_get_trace_name (NlResults *r, guint trace)
{
  g_return_val_if_fail (trace < r->traces->len, NULL);
  return ((Trace *) r->traces->pdata[trace])->name;
}

guint
nl_results_get_trace_n_cells (NlResults *r, guint trace)
{
  g_return_val_if_fail (trace < r->traces->len, 0);
  return ((Trace *) r->traces->pdata[trace])->cells->len;
}

const double *
nl_results_get_trace_values (NlResults *r, guint trace, guint cell, guint32 *gid, guint64 *n_samples)
{
  g_return_val_if_fail (trace < r->traces->len, NULL);
  GArray *cells = ((Trace *) r->traces->pdata[trace])->cells;
  g_return_val_if_fail (cell < cells->len, NULL);
  const Series *s = &g_array_index (cells, Series, cell);
  if (gid)
    *gid = s->gid;
  *n_samples = s->n;
  return s->values;
}

void
nl_results_set_lfp (NlResults *r, double *data, guint64 n_samples, guint n_electrodes, double dt_ms)
{
  g_free (r->lfp);
  r->lfp = data;
  r->lfp_samples = n_samples;
  r->lfp_electrodes = n_electrodes;
  r->lfp_dt = dt_ms;
}

const double *
nl_results_get_lfp (NlResults *r, guint64 *n_samples, guint *n_electrodes, double *dt_ms)
{
  *n_samples = r->lfp_samples;
  *n_electrodes = r->lfp_electrodes;
  *dt_ms = r->lfp_dt;
  return r->lfp;
}

JsonObject *
nl_results_get_meta (NlResults *r)
{
  return r->meta;
}

void
nl_results_set_lfp_electrodes (NlResults *r, double *xyz, guint n_electrodes)
{
  g_free (r->lfp_xyz);
  r->lfp_xyz = xyz;
  r->lfp_n_xyz = xyz != NULL ? n_electrodes : 0;
}

const double *
nl_results_get_lfp_electrodes (NlResults *r, guint *n_electrodes)
{
  *n_electrodes = r->lfp_n_xyz;
  return r->lfp_xyz;
}

void
nl_results_add_lfp_part (NlResults *r, NlLfpPartKind kind, const char *pop, guint32 gid,
                         double *data)
{
  LfpPart *part = g_new0 (LfpPart, 1);

  g_return_if_fail (kind == NL_LFP_PART_POP ? pop != NULL : TRUE);
  part->kind = kind;
  part->pop = kind == NL_LFP_PART_POP ? g_strdup (pop) : NULL;
  part->gid = kind == NL_LFP_PART_CELL ? gid : G_MAXUINT32;
  part->data = data;
  if (r->lfp_parts == NULL)
    r->lfp_parts = g_ptr_array_new_with_free_func (lfp_part_free);
  g_ptr_array_add (r->lfp_parts, part);
}

guint
nl_results_get_n_lfp_parts (NlResults *r)
{
  return r->lfp_parts != NULL ? r->lfp_parts->len : 0;
}

const double *
nl_results_get_lfp_part (NlResults *r, guint index, NlLfpPartKind *kind, const char **pop,
                         guint32 *gid)
{
  LfpPart *part;

  g_return_val_if_fail (index < nl_results_get_n_lfp_parts (r), NULL);
  part = g_ptr_array_index (r->lfp_parts, index);
  if (kind != NULL)
    *kind = part->kind;
  if (pop != NULL)
    *pop = part->pop;
  if (gid != NULL)
    *gid = part->gid;
  return part->data;
}
