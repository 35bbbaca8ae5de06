/* `netloom analyze granger|nte`: Granger causality of two signals or two populations' binned
 * spikes, and normalised transfer entropy between two groups of cells
 * (core/analysis/nl-granger, nl-nte). */
#include "nl-config.h"
#include "nl-cli.h"
#include "nl-analyze.h"

#include <nl-format.h>
#include <nl-granger.h>
#include <nl-nte.h>
#include <math.h>
#include <string.h>

static JsonNode *
array_node (const double *v, guint n)
{
  JsonArray *arr = json_array_sized_new (n);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < n; i++)
    json_array_add_double_element (arr, v[i]);
  json_node_take_array (node, arr);
  return node;
}

int
nl_analyze_granger (NlAnalyzeArgs *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlGranger) g = NULL;
  NlGrangerOptions opt;
  const char *x_name = "x", *y_name = "y";
  g_auto(GStrv) pops = NULL;

  nl_granger_options_init (&opt);
  if (a->order > 0)
    opt.order = a->order;
  opt.demean = !a->no_demean;

  if (a->pops)
    {
      g_autoptr(NlResults) r = nl_analyze_load_results (a, &error);
      g_autofree double *x = NULL, *y = NULL;
      gsize n;
      double fs;

      pops = g_strsplit (a->pops, ",", -1);
      if (g_strv_length (pops) != 2)
        {
          nl_analyze_fail (a, "--pops: expected two populations A,B, got '%s'", a->pops);
          return NL_EXIT_USAGE;
        }
      if (!r || !nl_granger_bin_pops (r, g_strstrip (pops[0]), g_strstrip (pops[1]),
                                      isnan (a->t0) || !isfinite (a->t0) ? 0 : a->t0,
                                      isnan (a->t1) || !isfinite (a->t1) ? NAN : a->t1,
                                      a->bin > 0 ? a->bin : 5, &x, &y, &n, &fs, &error))
        {
          nl_analyze_fail (a, "%s", error->message);
          return NL_EXIT_INVALID;
        }
      x_name = pops[0];
      y_name = pops[1];
      g = nl_granger_compute (x, y, n, fs, &opt, &error);
    }
  else
    {
      double fs;
      g_autoptr(NlSignals) s = nl_analyze_load_signals (a, &fs, &error);

      if (!s)
        {
          nl_analyze_fail (a, "%s", error->message);
          return NL_EXIT_INVALID;
        }
      if (s->n_channels < 2)
        {
          nl_analyze_fail (a, "%s: %u channel; Granger causality needs two (x = the first column, y = the second)",
                           a->input, s->n_channels);
          return NL_EXIT_INVALID;
        }
      if (s->n_channels > 2)
        g_printerr ("netloom analyze granger: note: %s has %u channels; using the first two\n", a->input,
                    s->n_channels);
      g = nl_granger_compute (nl_signals_channel (s, 0), nl_signals_channel (s, 1), s->n_samples, fs, &opt,
                              &error);
    }
  if (!g)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }

  if (a->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_node_take_object (root, o);
      json_object_set_string_member (o, "x", x_name);
      json_object_set_string_member (o, "y", y_name);
      json_object_set_double_member (o, "fs_hz", g->fs);
      json_object_set_int_member (o, "order", g->order);
      json_object_set_boolean_member (o, "demeaned", opt.demean);
      json_object_set_double_member (o, "gc_x2y", g->gc_x2y);
      json_object_set_double_member (o, "gc_y2x", g->gc_y2x);
      json_object_set_member (o, "freq", array_node (g->freq, g->n_freqs));
      json_object_set_member (o, "x2y", array_node (g->x2y, g->n_freqs));
      json_object_set_member (o, "y2x", array_node (g->y2x, g->n_freqs));
      json_object_set_member (o, "inst", array_node (g->inst, g->n_freqs));
      json_object_set_member (o, "coherence", array_node (g->coherence, g->n_freqs));
      return nl_analyze_emit_json (a, root) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
    }
  else
    {
      g_autoptr(GString) csv = g_string_new ("freq,x2y,y2x,inst,coherence\n");
      for (guint i = 0; i < g->n_freqs; i++)
        {
          nl_cli_append_double (csv, g->freq[i]);
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, g->x2y[i]);
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, g->y2x[i]);
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, g->inst[i]);
          g_string_append_c (csv, ',');
          nl_cli_append_double (csv, g->coherence[i]);
          g_string_append_c (csv, '\n');
        }
      return nl_analyze_emit (a, csv->str, csv->len) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
    }
}

/* The pooled, sorted spike times of a list of gids and population names. */
static double *
group_times (NlAnalyzeArgs *a, NlResults *r, const char *list, const char *option, gsize *n, GError **error)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);
  g_autoptr(GHashTable) want = g_hash_table_new (NULL, NULL);
  const double *t = nl_results_get_spike_times (r);
  const guint32 *gid = nl_results_get_spike_gids (r);
  guint64 ns = nl_results_get_n_spikes (r);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      guint64 g;
      gboolean found = FALSE;

      if (g_ascii_string_to_unsigned (item, 10, 0, G_MAXUINT32, &g, NULL))
        {
          g_hash_table_add (want, GUINT_TO_POINTER ((guint) g + 1));
          continue;
        }
      for (guint p = 0; p < nl_results_get_n_pops (r); p++)
        if (g_str_equal (nl_results_get_pop_name (r, p), item))
          {
            guint np;
            const guint32 *gids = nl_results_get_pop_gids (r, p, &np);
            for (guint k = 0; k < np; k++)
              g_hash_table_add (want, GUINT_TO_POINTER (gids[k] + 1));
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "%s: '%s' is neither a gid nor a population of %s", option, item, a->input);
          g_array_unref (out);
          return NULL;
        }
    }
  for (guint64 i = 0; i < ns; i++)
    if (g_hash_table_contains (want, GUINT_TO_POINTER (gid[i] + 1)))
      g_array_append_val (out, t[i]);
  *n = out->len;
  return (double *) g_array_free (out, FALSE);
}

/* One permutation of 0 … n−1 per line, comma- or space-separated. */
static GPtrArray *
read_permutations (const char *file, gsize n_bins, GError **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *perms = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (file, &text, NULL, error))
    {
      g_ptr_array_unref (perms);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l]; l++)
    {
      g_auto(GStrv) fields = NULL;
      guint32 *perm;
      guint k = 0;

      if (*g_strstrip (lines[l]) == '\0' || lines[l][0] == '#')
        continue;
      fields = g_strsplit_set (lines[l], ", \t", -1);
      perm = g_new (guint32, n_bins);
      for (guint f = 0; fields[f]; f++)
        {
          guint64 v;
          if (*fields[f] == '\0')
            continue;
          if (k >= n_bins || !g_ascii_string_to_unsigned (fields[f], 10, 0, n_bins - 1, &v, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:%u: expected a permutation of the %" G_GSIZE_FORMAT " bins (indices 0 … %" G_GSIZE_FORMAT
                           "), got '%s' as index %u", file, l + 1, n_bins, n_bins - 1, fields[f], k + 1);
              g_free (perm);
              g_ptr_array_unref (perms);
              return NULL;
            }
          perm[k++] = (guint32) v;
        }
      if (k != n_bins)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: %u indices, expected one per bin (%" G_GSIZE_FORMAT ")", file, l + 1, k, n_bins);
          g_free (perm);
          g_ptr_array_unref (perms);
          return NULL;
        }
      g_ptr_array_add (perms, perm);
    }
  return perms;
}

int
nl_analyze_nte (NlAnalyzeArgs *a)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlResults) r = NULL;
  g_autofree double *t1 = NULL, *t2 = NULL;
  g_autofree guint32 *x1 = NULL, *x2 = NULL;
  g_autoptr(NlNte) te = NULL;
  gsize n1, n2, nb1, nb2;
  double t_start, t_stop, bin = a->bin > 0 ? a->bin : 20;

  if (!a->pre || !a->post)
    {
      nl_analyze_fail (a, "give the source and target cells: --pre LIST --post LIST (gids or populations)");
      return NL_EXIT_USAGE;
    }
  r = nl_analyze_load_results (a, &error);
  if (!r || !(t1 = group_times (a, r, a->pre, "--pre", &n1, &error))
      || !(t2 = group_times (a, r, a->post, "--post", &n2, &error)))
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  /* NetPyNE's range: [0, duration] of the run, else up to the latest spike. */
  t_start = !isnan (a->t0) && isfinite (a->t0) ? a->t0 : 0;
  t_stop = !isnan (a->t1) && isfinite (a->t1) ? a->t1
           : isfinite (nl_results_get_duration (r)) ? nl_results_get_duration (r) : NAN;
  if (!isfinite (t_stop))
    {
      /* the latest spike of both */
      t_stop = -INFINITY;
      if (n1)
        t_stop = MAX (t_stop, t1[n1 - 1]);
      if (n2)
        t_stop = MAX (t_stop, t2[n2 - 1]);
      if (!isfinite (t_stop))
        t_stop = NAN;
    }
  x1 = nl_nte_bin_spikes (t1, n1, t_start, t_stop, bin, &nb1, &error);
  x2 = x1 ? nl_nte_bin_spikes (t2, n2, t_start, t_stop, bin, &nb2, &error) : NULL;
  if (!x2)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  if (a->permutations)
    {
      g_autoptr(GPtrArray) perms = read_permutations (a->permutations, nb1, &error);
      if (!perms)
        {
          nl_analyze_fail (a, "%s", error->message);
          return NL_EXIT_INVALID;
        }
      te = nl_nte_compute_with_perms (x1, x2, nb1, (const guint32 *const *) perms->pdata, perms->len, &error);
    }
  else
    te = nl_nte_compute (x1, x2, nb1, (guint) MAX (a->shuffles, 0), (guint32) a->seed, &error);
  if (!te)
    {
      nl_analyze_fail (a, "%s", error->message);
      return NL_EXIT_INVALID;
    }
  {
    g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
    JsonObject *o = json_object_new ();

    json_node_take_object (root, o);
    json_object_set_double_member (o, "te", te->te);
    json_object_set_double_member (o, "h", te->h);
    json_object_set_double_member (o, "nte", te->nte);
    json_object_set_double_member (o, "te_shuffled_mean", te->te_shuffled_mean);
    json_object_set_double_member (o, "te_shuffled_sd", te->te_shuffled_sd);
    json_object_set_int_member (o, "shuffles", te->n_shuffles);
    json_object_set_double_member (o, "bin_ms", bin);
    json_object_set_int_member (o, "bins", (gint64) nb1);
    return nl_analyze_emit_json (a, root) ? NL_EXIT_OK : NL_EXIT_RUNTIME;
  }
}
