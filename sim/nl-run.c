/* nl-run.c — a built network into NEURON input, run with nrniv or mpiexec nrniv -mpi. */
#include "nl-config.h"
#include "nl-run.h"

#include "nl-mech.h"
#include "nl-neuron.h"
#include "nl-run-lfp.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (nl-run-error-quark, nl_run_error)

gboolean
nl_run_is_identifier (const char *name)
{
  if (!name || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name + 1; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return strlen (name) < 200;
}

void
nl_run_result_free (NlRunResult *r)
{
  if (!r)
    return;
  g_free (r->spike_t);
  g_free (r->spike_gid);
  g_free (r);
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static void
append_num (GString *s, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isnan (x) || isinf (x))
    g_string_append (s, "0");
  else
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", x));
}

static gboolean
check_ident (const char *name, const char *where, GError **error)
{
  if (nl_run_is_identifier (name))
    return TRUE;
  g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
               "%s: '%s' is not a valid NEURON name (letters, digits and '_' only)", where,
               name ? name : "(null)");
  return FALSE;
}

static gboolean
node_number (JsonNode *n, double *x)
{
  if (!n || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *x = (double) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *x = json_node_get_double (n);
  else if (t == G_TYPE_BOOLEAN)
    *x = json_node_get_boolean (n) ? 1 : 0;
  else
    return FALSE;
  return TRUE;
}

static JsonObject *
obj_member (JsonObject *o, const char *key)
{
  if (!o || !json_object_has_member (o, key))
    return NULL;
  JsonNode *n = json_object_get_member (o, key);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
str_member (JsonObject *o, const char *key)
{
  if (!o || !json_object_has_member (o, key))
    return NULL;
  JsonNode *n = json_object_get_member (o, key);
  if (JSON_NODE_TYPE (n) != JSON_NODE_VALUE || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
num_member (JsonObject *o, const char *key, double *x)
{
  if (!o || !json_object_has_member (o, key))
    return FALSE;
  return node_number (json_object_get_member (o, key), x);
}

/* A growing array of doubles: one block of a rank file. */
typedef GArray Block;

static inline void
put (Block *b, double x)
{
  g_array_append_val (b, x);
}

/* ------------------------------------------------------------------------------------------ */
/* Generation context                                                                         */

typedef struct _RecPlan RecPlan;

/* A synMech with pointerParams (NetPyNE's gap junctions and graded synapses). */
typedef struct {
  gboolean    pointer;
  const char *target_var;
  const char *source_var;      /* default "v" */
  gboolean    bidirectional;   /* default TRUE */
} GapMech;

/* A connParams rule whose entries are pointer connections. */
typedef struct {
  gboolean    pointer;
  gboolean    gap_junction;    /* the deprecated connParams gapJunction flag (truthy) */
  guint       pre_sec;         /* section index of preSec (default soma) */
  double      pre_loc;         /* preLoc (default 0.5) */
} GapRule;

typedef struct {
  NlSpec     *spec;
  NlNetwork  *net;
  JsonObject *np;               /* netParams */
  guint       n_ranks;
  guint       n_secs;           /* section names used by conns/stims (global indices), plus
                                   the extra names below */
  guint       n_net_secs;       /* of which the network's own names: 0 … n_net_secs-1 */
  GPtrArray  *extra_secs;       /* gap junctions' preSec names the network does not use */
  GapMech    *gap_mech;         /* per synMech name index: its pointerParams (gap junctions) */
  GapRule    *gap_rule;         /* per rule index */
  gboolean    any_gap;
  GString    *hoc;              /* driver.hoc */
  GString    *checks;           /* body of nl_check_mechs() */
  GHashTable *checked;          /* mechanism names already checked */
  gboolean   *syn_linear;       /* per synMech name index: NetCons may share it */
  guint       n_syn_names;
  gboolean    one_syn;
  RecPlan    *rec;              /* traces to record */
  NlLfpPlan  *lfp;              /* NULL: no LFP */
  const guint *rank_of;         /* per gid: the rank that simulates it */
} Gen;

/* Which rank simulates which cell (computed once in prepare()). */
typedef struct {
  NlPlacement kind;
  guint      *rank_of;          /* per gid */
  double     *rank_costs;       /* per rank: the summed cost of its cells */
} RankMap;

static void
rank_map_clear (RankMap *m)
{
  g_clear_pointer (&m->rank_of, g_free);
  g_clear_pointer (&m->rank_costs, g_free);
}

/* options->placement, or simConfig.netloomPlacement ("roundRobin" | "cost"). */
static gboolean
rank_map_make (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, guint n_ranks, RankMap *m, GError **error)
{
  JsonObject *sc = nl_spec_get_sim_config (spec);
  JsonNode *n = sc && json_object_has_member (sc, "netloomPlacement") ? json_object_get_member (sc, "netloomPlacement") : NULL;
  g_autofree double *costs = NULL;
  NlPlacement kind = options ? options->placement : NL_PLACEMENT_ROUND_ROBIN;

  if (n)
    {
      NlPlacement k;
      const char *v = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                      ? json_node_get_string (n) : NULL;
      if (!v || !nl_placement_from_name (v, &k))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                       "simConfig.netloomPlacement: expected \"roundRobin\" or \"cost\"%s%s%s",
                       v ? ", not \"" : "", v ? v : "", v ? "\"" : "");
          return FALSE;
        }
      if (k == NL_PLACEMENT_COST)
        kind = k;
    }
  costs = nl_placement_cell_costs (spec, net, (options && options->one_syn_per_netcon)
                                                || nl_spec_get_double (spec, "simConfig.netloomOneSynPerConn", 0) != 0);
  m->kind = kind;
  m->rank_costs = g_new0 (double, n_ranks);
  m->rank_of = nl_placement_assign (kind, costs, nl_network_get_n_cells (net), n_ranks, m->rank_costs);
  return TRUE;
}

static void
need_mech (Gen *g, const char *name, int type, const char *where)
{
  g_autofree char *w = g_strdup (where);
  for (char *c = w; *c; c++)
    if (!(g_ascii_isalnum (*c) || strchr ("._->[] ", *c)))
      *c = '_';
  g_autofree char *key = g_strdup_printf ("%d:%s", type, name);
  if (g_hash_table_contains (g->checked, key))
    return;
  g_hash_table_add (g->checked, g_steal_pointer (&key));
  g_string_append_printf (g->checks, "nl_need_mech(%d, \"%s\", \"%s\")\n", type, name, w);
}

/* Name of section index i: the network's names, then the extra ones. */
static const char *
sec_name (Gen *g, guint i)
{
  if (i < g->n_net_secs)
    return nl_network_get_name (g->net, NL_NAME_SEC, i);
  if (g->extra_secs && i - g->n_net_secs < g->extra_secs->len)
    return g->extra_secs->pdata[i - g->n_net_secs];
  return NULL;
}

/* Index of section `name`, added to the extra names when the network has no such index. */
static guint
sec_index (Gen *g, const char *name)
{
  for (guint i = 0; i < g->n_secs; i++)
    if (!g_strcmp0 (sec_name (g, i), name))
      return i;
  g_ptr_array_add (g->extra_secs, (gpointer) name);
  return g->n_secs++;
}

/* Name of a mechanism parameter in HOC: `gnabar` of `hh` is gnabar_hh. */
static char *
range_name (const char *mech, const char *param)
{
  return g_strdup_printf ("%s_%s", param, mech);
}

static gboolean
is_cell_func (Gen *g, guint rule, const char *path)
{
  guint n = nl_network_get_n_cell_funcs (g->net, rule);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (nl_network_get_cell_func (g->net, rule, i), path) == 0)
      return TRUE;
  return FALSE;
}

/* One template per cell rule. */
static gboolean
gen_template (Gen *g, guint k, GError **error)
{
  const char *rule = nl_network_get_cell_rule (g->net, k);
  JsonObject *cp = obj_member (g->np, "cellParams");
  JsonObject *cr = obj_member (cp, rule);
  JsonObject *secs = obj_member (cr, "secs");
  g_autofree char *where = g_strdup_printf ("cellParams.%s", rule);
  g_autoptr(GString) init = g_string_new (NULL);
  g_autoptr(GString) decl = g_string_new (NULL);
  g_autoptr(GString) setv = g_string_new (NULL);
  g_autoptr(GString) spk = g_string_new (NULL);
  g_autoptr(GList) names = NULL;
  const char *spike_sec = NULL;
  double spike_loc = 0.5;
  double threshold = nl_spec_get_double (g->spec, "netParams.defaultThreshold", 10);
  char vref_pp[32] = "";
  const char *vref = NULL;
  guint n_pp = 0;

  if (!secs || json_object_get_size (secs) == 0)
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                   "%s: a cell rule without sections (imported cells are not supported yet)", where);
      return FALSE;
    }
  names = json_object_get_members (secs);
  for (GList *l = names; l; l = l->next)
    {
      g_autofree char *w = g_strdup_printf ("%s.secs", where);
      if (!check_ident (l->data, w, error))
        return FALSE;
      static const char *const reserved[] = { "sr", "all", "init", "setvals", "spikesrc", "v", "t", "dt", NULL };
      if (g_str_has_prefix (l->data, "nl_") || g_str_has_prefix (l->data, "pp_")
          || g_strv_contains (reserved, l->data))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                       "%s: the section name '%s' is reserved by NetLoom", w, (char *) l->data);
          return FALSE;
        }
    }
  /* The spike generation section: spikeGenLoc, else soma, else the first. */
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *s = obj_member (secs, l->data);
      double x;
      if (num_member (s, "spikeGenLoc", &x))
        {
          spike_sec = l->data;
          spike_loc = x;
        }
    }
  if (!spike_sec)
    spike_sec = json_object_has_member (secs, "soma") ? "soma" : names->data;
  {
    JsonObject *s = obj_member (secs, spike_sec);
    double x;
    if (num_member (s, "threshold", &x))
      threshold = x;
  }

  g_string_append_printf (g->hoc, "begintemplate NLCell_%u\npublic sr, setvals, spikesrc, all, nl_rv\n", k);
  g_string_append_printf (decl, "objref sr[%u], all, nl_rv\ncreate ", MAX (g->n_secs, 1));
  for (GList *l = names; l; l = l->next)
    g_string_append_printf (decl, "%s%s", (char *) l->data, l->next ? ", " : "\n");
  g_string_append (init, "proc init() {\n  all = new SectionList()\n");
  for (GList *l = names; l; l = l->next)
    g_string_append_printf (init, "  %s all.append()\n", (char *) l->data);

  for (GList *l = names; l; l = l->next)
    {
      const char *sec = l->data;
      JsonObject *s = obj_member (secs, sec);
      JsonObject *geom = obj_member (s, "geom");
      JsonObject *topol = obj_member (s, "topol");
      JsonObject *mechs = obj_member (s, "mechs");
      JsonObject *ions = obj_member (s, "ions");
      JsonObject *pps = obj_member (s, "pointps");
      g_autofree char *sw = g_strdup_printf ("%s.secs.%s", where, sec);

      if (topol && json_object_get_size (topol) > 0)
        {
          const char *parent = str_member (topol, "parentSec");
          double px = 1, cx = 0;
          num_member (topol, "parentX", &px);
          num_member (topol, "childX", &cx);
          if (!parent || !json_object_has_member (secs, parent))
            {
              g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                           "%s.topol.parentSec: no section '%s' in the cell rule", sw, parent ? parent : "");
              return FALSE;
            }
          g_string_append_printf (init, "  connect %s(", sec);
          append_num (init, cx);
          g_string_append_printf (init, "), %s(", parent);
          append_num (init, px);
          g_string_append (init, ")\n");
        }
      g_string_append_printf (init, "  %s {\n", sec);
      if (geom)
        {
          static const char *const order[] = { "nseg", "L", "diam", "Ra", "cm" };
          for (guint i = 0; i < G_N_ELEMENTS (order); i++)
            {
              double x;
              g_autofree char *path = g_strdup_printf ("secs.%s.geom.%s", sec, order[i]);
              if (num_member (geom, order[i], &x))
                {
                  g_string_append_printf (init, "    %s = ", order[i]);
                  append_num (init, x);
                  g_string_append_c (init, '\n');
                }
              else if (json_object_has_member (geom, order[i]) && !is_cell_func (g, k, path))
                {
                  g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                               "%s.geom.%s: value not supported", sw, order[i]);
                  return FALSE;
                }
            }
          JsonNode *pt = json_object_has_member (geom, "pt3d") ? json_object_get_member (geom, "pt3d") : NULL;
          if (pt && JSON_NODE_HOLDS_ARRAY (pt) && json_array_get_length (json_node_get_array (pt)) > 0)
            {
              JsonArray *a = json_node_get_array (pt);
              g_string_append (init, "    pt3dclear()\n");
              for (guint i = 0; i < json_array_get_length (a); i++)
                {
                  JsonNode *p = json_array_get_element (a, i);
                  if (!JSON_NODE_HOLDS_ARRAY (p) || json_array_get_length (json_node_get_array (p)) < 4)
                    {
                      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                                   "%s.geom.pt3d[%u]: expected [x, y, z, diam]", sw, i);
                      return FALSE;
                    }
                  g_string_append (init, "    pt3dadd(");
                  for (guint j = 0; j < 4; j++)
                    {
                      double x = 0;
                      node_number (json_array_get_element (json_node_get_array (p), j), &x);
                      append_num (init, x);
                      g_string_append (init, j < 3 ? ", " : ")\n");
                    }
                }
            }
        }
      if (mechs)
        {
          g_autoptr(GList) ms = json_object_get_members (mechs);
          for (GList *m = ms; m; m = m->next)
            {
              const char *mech = m->data;
              JsonObject *params = obj_member (mechs, mech);
              g_autofree char *mw = g_strdup_printf ("%s.mechs", sw);
              if (!check_ident (mech, mw, error))
                return FALSE;
              need_mech (g, mech, 0, mw);
              g_string_append_printf (init, "    insert %s\n", mech);
              if (!params)
                continue;
              g_autoptr(GList) ps = json_object_get_members (params);
              for (GList *p = ps; p; p = p->next)
                {
                  double x;
                  g_autofree char *path = g_strdup_printf ("secs.%s.mechs.%s.%s", sec, mech, (char *) p->data);
                  g_autofree char *pw = g_strdup_printf ("%s.mechs.%s", sw, mech);
                  if (!check_ident (p->data, pw, error))
                    return FALSE;
                  g_autofree char *rn = range_name (mech, p->data);
                  if (num_member (params, p->data, &x))
                    {
                      g_string_append_printf (init, "    %s = ", rn);
                      append_num (init, x);
                      g_string_append_c (init, '\n');
                    }
                  else if (!is_cell_func (g, k, path))
                    {
                      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                                   "%s.mechs.%s.%s: only numbers and string functions are supported (per-segment lists are not yet)",
                                   sw, mech, (char *) p->data);
                      return FALSE;
                    }
                }
            }
        }
      if (ions)
        {
          g_autoptr(GList) is = json_object_get_members (ions);
          for (GList *m = is; m; m = m->next)
            {
              JsonObject *params = obj_member (ions, m->data);
              static const char *const keys[] = { "e", "i", "o" };
              if (!check_ident (m->data, sw, error))
                return FALSE;
              for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
                {
                  double x;
                  if (num_member (params, keys[i], &x))
                    {
                      g_string_append_printf (init, "    %s%s%s = ", i == 0 ? "e" : "", (char *) m->data,
                                              i == 0 ? "" : keys[i]);
                      append_num (init, x);
                      g_string_append_c (init, '\n');
                    }
                }
            }
        }
      g_string_append (init, "  }\n");
      if (pps)
        {
          g_autoptr(GList) ls = json_object_get_members (pps);
          for (GList *m = ls; m; m = m->next)
            {
              JsonObject *pp = obj_member (pps, m->data);
              const char *mod = str_member (pp, "mod");
              double loc = 0.5;
              g_autofree char *pw = g_strdup_printf ("%s.pointps.%s", sw, (char *) m->data);
              if (!check_ident (mod, pw, error))
                return FALSE;
              need_mech (g, mod, 1, pw);
              num_member (pp, "loc", &loc);
              g_string_append_printf (decl, "objref pp_%u\n", n_pp);
              g_string_append_printf (init, "  %s pp_%u = new %s(", sec, n_pp, mod);
              append_num (init, loc);
              g_string_append (init, ")\n");
              g_autoptr(GList) ps = json_object_get_members (pp);
              for (GList *p = ps; p; p = p->next)
                {
                  const char *key = p->data;
                  double x;
                  if (!strcmp (key, "mod") || !strcmp (key, "loc") || !strcmp (key, "vref") || !strcmp (key, "synList")
                      || !strcmp (key, "selfNetcon"))
                    continue;
                  if (!check_ident (key, pw, error))
                    return FALSE;
                  if (!num_member (pp, key, &x))
                    {
                      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                                   "%s.%s: only numbers are supported here so far", pw, key);
                      return FALSE;
                    }
                  g_string_append_printf (init, "  pp_%u.%s = ", n_pp, key);
                  append_num (init, x);
                  g_string_append_c (init, '\n');
                }
              const char *vr = str_member (pp, "vref");
              if (vr && !vref)
                {
                  if (!check_ident (vr, pw, error))
                    return FALSE;
                  vref = vr;
                  g_snprintf (vref_pp, sizeof vref_pp, "pp_%u", n_pp);
                  spike_sec = sec;
                }
              n_pp++;
            }
        }
    }
  /* Section references by NetLoom's section index. */
  for (guint i = 0; i < g->n_secs; i++)
    {
      const char *name = sec_name (g, i);
      if (name && json_object_has_member (secs, name))
        g_string_append_printf (init, "  %s sr[%u] = new SectionRef()\n", name, i);
    }
  g_string_append (init, "}\n");

  /* Per-cell values of string functions. */
  g_string_append (setv, "proc setvals() {\n");
  guint nf = nl_network_get_n_cell_funcs (g->net, k);
  for (guint i = 0; i < nf; i++)
    {
      const char *path = nl_network_get_cell_func (g->net, k, i);
      g_auto(GStrv) parts = g_strsplit (path, ".", -1);
      guint np = g_strv_length (parts);
      if (np == 4 && !strcmp (parts[0], "secs") && !strcmp (parts[2], "geom") && nl_run_is_identifier (parts[1])
          && nl_run_is_identifier (parts[3]))
        g_string_append_printf (setv, "  %s { %s = $o1.x[%u] }\n", parts[1], parts[3], i);
      else if (np == 5 && !strcmp (parts[0], "secs") && !strcmp (parts[2], "mechs") && nl_run_is_identifier (parts[1])
               && nl_run_is_identifier (parts[3]) && nl_run_is_identifier (parts[4]))
        g_string_append_printf (setv, "  %s { %s_%s = $o1.x[%u] }\n", parts[1], parts[4], parts[3], i);
      else
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                       "%s.%s: a string function here is not supported yet", where, path);
          return FALSE;
        }
    }
  g_string_append (setv, "}\n");

  g_string_append (spk, "obfunc spikesrc() { localobj nc, nul\n");
  if (vref)
    g_string_append_printf (spk, "  %s nc = new NetCon(&%s.%s, nul)\n", spike_sec, vref_pp, vref);
  else
    {
      g_string_append_printf (spk, "  %s nc = new NetCon(&v(", spike_sec);
      append_num (spk, spike_loc);
      g_string_append (spk, "), nul)\n");
    }
  g_string_append (spk, "  nc.threshold = ");
  append_num (spk, threshold);
  g_string_append (spk, "\n  return nc\n}\n");

  g_string_append_len (g->hoc, decl->str, decl->len);
  g_string_append_len (g->hoc, init->str, init->len);
  g_string_append_len (g->hoc, setv->str, setv->len);
  g_string_append_len (g->hoc, spk->str, spk->len);
  g_string_append (g->hoc, "endtemplate NLCell_");
  g_string_append_printf (g->hoc, "%u\n\n", k);
  return TRUE;
}

/* Sets numeric parameters of object `var` from `params`, skipping `skip` keys. */
static gboolean
gen_params (Gen *g, GString *out, const char *var, JsonObject *params, const char *const *skip,
            const char *const *funcs, const char *where, GError **error)
{
  g_autoptr(GList) ks = params ? json_object_get_members (params) : NULL;
  for (GList *l = ks; l; l = l->next)
    {
      const char *key = l->data;
      double x;
      if (skip && g_strv_contains (skip, key))
        continue;
      if (!check_ident (key, where, error))
        return FALSE;
      if (!num_member (params, key, &x))
        {
          if (funcs && g_strv_contains (funcs, key))
            continue;
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                       "%s.%s: only numbers are supported here so far", where, key);
          return FALSE;
        }
      g_string_append_printf (out, "    %s.%s = ", var, key);
      append_num (out, x);
      g_string_append_c (out, '\n');
    }
  return TRUE;
}

static gboolean
gen_synmechs (Gen *g, GError **error)
{
  JsonObject *smp = obj_member (g->np, "synMechParams");
  g_string_append (g->hoc, "obfunc nl_mksyn() { localobj s\n");
  for (guint i = 0; i < g->n_syn_names; i++)
    {
      const char *name = nl_network_get_name (g->net, NL_NAME_SYN_MECH, i);
      JsonObject *sm = obj_member (smp, name);
      const char *mod = str_member (sm, "mod");
      g_autofree char *where = g_strdup_printf ("synMechParams.%s", name);
      static const char *const skip[] = { "mod", "loc", "selfNetCon", "pointerParams", NULL };
      /* The builder's name for "no synMech": NetCons onto artificial cells need none. */
      if (!*name)
        continue;
      if (!sm)
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID, "%s: not defined", where);
          return FALSE;
        }
      if (!check_ident (mod, where, error))
        return FALSE;
      need_mech (g, mod, 1, where);
      g->syn_linear[i] = !g->one_syn && (!strcmp (mod, "ExpSyn") || !strcmp (mod, "Exp2Syn"));
      g_string_append_printf (g->hoc, "  if ($1 == %u) {\n    s = new %s($2)\n", i, mod);
      if (!gen_params (g, g->hoc, "s", sm, skip, NULL, where, error))
        return FALSE;
      g_string_append (g->hoc, "  }\n");
    }
  g_string_append (g->hoc, "  return s\n}\n\n");
  return TRUE;
}

/* Gap junctions and graded synapses (NetPyNE's pointer connections): the pointerParams of
 * each synMech (target_var, source_var default "v", bidirectional default true, as NetPyNE's
 * CompartCell.__parsePointerParams) and the preSec/preLoc of each pointer rule. */
static gboolean
resolve_gaps (Gen *g, GError **error)
{
  JsonObject *smp = obj_member (g->np, "synMechParams");
  JsonObject *cps = obj_member (g->np, "connParams");
  guint n_rules = nl_network_get_n_rules (g->net);

  for (guint i = 0; i < g->n_syn_names; i++)
    {
      const char *name = nl_network_get_name (g->net, NL_NAME_SYN_MECH, i);
      JsonObject *pp = obj_member (obj_member (smp, name), "pointerParams");
      GapMech *m = &g->gap_mech[i];
      double b;
      if (!pp)
        continue;
      g_autofree char *where = g_strdup_printf ("synMechParams.%s.pointerParams", name);
      g_autofree char *wt = g_strdup_printf ("%s.target_var", where);
      g_autofree char *ws = g_strdup_printf ("%s.source_var", where);
      m->pointer = TRUE;
      m->target_var = str_member (pp, "target_var");
      m->source_var = json_object_has_member (pp, "source_var") ? str_member (pp, "source_var") : "v";
      if (!check_ident (m->target_var, wt, error) || !check_ident (m->source_var, ws, error))
        return FALSE;
      m->bidirectional = !num_member (pp, "bidirectional", &b) || b != 0;
    }
  for (guint r = 0; r < n_rules; r++)
    {
      const NlNetRule *rule = nl_network_get_rule (g->net, r);
      GapRule *gr = &g->gap_rule[r];
      JsonObject *cp;
      const char *pre_sec = "soma";
      double x;
      if (rule->kind != NL_RULE_CONN || !rule->pointer)
        continue;
      cp = obj_member (cps, rule->label);
      g_autofree char *where = g_strdup_printf ("connParams.%s", rule->label);
      gr->pointer = TRUE;
      gr->gap_junction = num_member (cp, "gapJunction", &x) && x != 0;
      gr->pre_loc = 0.5;
      if (cp && json_object_has_member (cp, "preSec") && !JSON_NODE_HOLDS_NULL (json_object_get_member (cp, "preSec")))
        {
          pre_sec = str_member (cp, "preSec");
          if (!pre_sec)
            {
              g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                           "%s.preSec: only one section name is supported here so far", where);
              return FALSE;
            }
        }
      g_autofree char *ws = g_strdup_printf ("%s.preSec", where);
      if (!check_ident (pre_sec, ws, error))
        return FALSE;
      if (cp && json_object_has_member (cp, "preLoc") && !JSON_NODE_HOLDS_NULL (json_object_get_member (cp, "preLoc"))
          && !num_member (cp, "preLoc", &gr->pre_loc))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                       "%s.preLoc: only a number is supported here so far", where);
          return FALSE;
        }
      if (gr->pre_loc < 0 || gr->pre_loc > 1)
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID, "%s.preLoc: %g is not within 0…1", where, gr->pre_loc);
          return FALSE;
        }
      gr->pre_sec = sec_index (g, pre_sec);
      g->any_gap = TRUE;
    }
  return TRUE;
}

/* nl_gap_target(pp, synmech, sgid, weight): NetPyNE's __setPointerTarget — pp.weight = the
 * connection's weight when the mechanism has a variable 'weight' (NetPyNE tries and ignores
 * the failure), then pc.target_var(pp, &pp.<target_var>, sgid). nl_gap_source(synmech, loc,
 * sgid), in the accessed section: pc.source_var(&<source_var>(loc), sgid). */
static gboolean
gen_gaps (Gen *g, GError **error)
{
  JsonObject *smp = obj_member (g->np, "synMechParams");
  g_autoptr(GString) tgt = g_string_new ("proc nl_gap_target() { localobj o\n  o = $o1\n");
  g_autoptr(GString) src = g_string_new ("proc nl_gap_source() {\n");
  for (guint i = 0; i < g->n_syn_names; i++)
    {
      const GapMech *m = &g->gap_mech[i];
      const char *name = nl_network_get_name (g->net, NL_NAME_SYN_MECH, i);
      const char *mod = str_member (obj_member (smp, name), "mod");
      const char *tv = m->pointer ? m->target_var : "vpeer", *sv = m->pointer ? m->source_var : "v";
      if (!g->any_gap || !*name || !mod)
        continue;
      g_autofree char *where = g_strdup_printf ("synMechParams.%s", name);
      if (!check_ident (mod, where, error))
        return FALSE;
      g_string_append_printf (g->hoc, "nl_gapw_%u = nl_pp_has_var(\"%s\", \"weight\")\n", i, mod);
      g_string_append_printf (tgt, "  if ($2 == %u) {\n    if (nl_gapw_%u) { o.weight = $4 }\n"
                                   "    pc.target_var(o, &o.%s, $3)\n  }\n", i, i, tv);
      g_string_append_printf (src, "  if ($1 == %u) { pc.source_var(&%s($2), $3) }\n", i, sv);
    }
  g_string_append (tgt, "}\n");
  g_string_append (src, "}\n");
  g_string_append_len (g->hoc, tgt->str, tgt->len);
  g_string_append_len (g->hoc, src->str, src->len);
  g_string_append_printf (g->hoc, "nl_has_gaps = %d\n\n", g->any_gap ? 1 : 0);
  return TRUE;
}

/* NetStim parameters: from the JSON, or per stimulus from vals[index of name]. */
static gboolean
gen_netstim (GString *out, JsonObject *p, const char *const *funcs, guint n_funcs, const char *gid_expr,
             const char *id2_expr, const char *where, GError **error)
{
  double x;
  gboolean has_number = FALSE;
  static const char *const all_keys[] = { "rate", "interval", "noise", "start", "number" };
  for (guint i = 0; i < G_N_ELEMENTS (all_keys); i++)
    if (p && json_object_has_member (p, all_keys[i]) && !num_member (p, all_keys[i], &x)
        && !(funcs && g_strv_contains (funcs, all_keys[i])))
      {
        g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                     "%s.%s: only a number or a string function is supported here so far", where, all_keys[i]);
        return FALSE;
      }
  for (guint i = 0; i < n_funcs; i++)
    {
      if (!strcmp (funcs[i], "rate"))
        g_string_append_printf (out, "    s.interval = 1000/$o3.x[%u]\n", i);
      else if (!strcmp (funcs[i], "interval") || !strcmp (funcs[i], "noise") || !strcmp (funcs[i], "start")
               || !strcmp (funcs[i], "number"))
        g_string_append_printf (out, "    s.%s = $o3.x[%u]\n", funcs[i], i);
      if (!strcmp (funcs[i], "number"))
        has_number = TRUE;
    }
  if (num_member (p, "rate", &x) && x > 0)
    {
      g_string_append (out, "    s.interval = ");
      append_num (out, 1000 / x);
      g_string_append_c (out, '\n');
    }
  static const char *const keys[] = { "interval", "noise", "start", "number" };
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (num_member (p, keys[i], &x))
      {
        g_string_append_printf (out, "    s.%s = ", keys[i]);
        append_num (out, x);
        g_string_append_c (out, '\n');
        if (i == 3)
          has_number = TRUE;
      }
  if (!has_number)
    g_string_append (out, "    s.number = 1e9\n");
  if (!num_member (p, "start", &x) && !(funcs && g_strv_contains (funcs, "start")))
    g_string_append (out, "    s.start = 0\n");   /* NetPyNE's default (NEURON's is 50 ms) */
  g_string_append_printf (out, "    s.noiseFromRandom123(%s, %s, nl_seed)\n", gid_expr, id2_expr);
  return TRUE;
}

static gboolean
gen_stims (Gen *g, GError **error)
{
  guint n_rules = nl_network_get_n_rules (g->net);
  JsonObject *ssp = obj_member (g->np, "stimSourceParams");
  g_string_append (g->hoc, "obfunc nl_mkstim() { localobj s\n");
  for (guint r = 0; r < n_rules; r++)
    {
      const NlNetRule *rule = nl_network_get_rule (g->net, r);
      if (rule->kind != NL_RULE_STIM)
        continue;
      JsonObject *src = obj_member (ssp, rule->source);
      const char *type = rule->source_type;
      g_autofree char *where = g_strdup_printf ("stimSourceParams.%s", rule->source);
      guint nf = nl_network_get_n_stim_funcs (g->net, r);
      g_autofree const char **funcs = g_new0 (const char *, nf + 1);
      for (guint i = 0; i < nf; i++)
        {
          funcs[i] = nl_network_get_stim_func (g->net, r, i);
          if (!check_ident (funcs[i], where, error))
            return FALSE;
        }
      if (!check_ident (type, where, error))
        return FALSE;
      g_string_append_printf (g->hoc, "  if ($1 == %u) {\n", r);
      if (!strcmp (type, "NetStim"))
        {
          need_mech (g, "NetStim", 1, where);
          g_string_append (g->hoc, "    s = new NetStim()\n");
          if (!gen_netstim (g->hoc, src, funcs, nf, "$4", "$5 + 1", where, error))
            return FALSE;
        }
      else if (!strcmp (type, "VecStim"))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                       "%s: VecStim stimulus sources are not supported yet (VecStim populations are)", where);
          return FALSE;
        }
      else
        {
          static const char *const skip[] = { "type", "loc", "sec", "rate", "noise", "seed", NULL };
          need_mech (g, type, 1, where);
          g_string_append_printf (g->hoc, "    s = new %s($2)\n", type);
          if (!gen_params (g, g->hoc, "s", src, skip, funcs, where, error))
            return FALSE;
          for (guint i = 0; i < nf; i++)
            g_string_append_printf (g->hoc, "    s.%s = $o3.x[%u]\n", funcs[i], i);
        }
      g_string_append (g->hoc, "  }\n");
    }
  g_string_append (g->hoc, "  return s\n}\n\n");
  return TRUE;
}

static gboolean
gen_arts (Gen *g, GError **error)
{
  JsonObject *pp = obj_member (g->np, "popParams");
  guint n_pops = nl_network_get_n_pops (g->net);
  g_string_append (g->hoc, "objref nl_vecs\nnl_vecs = new List()\n"
                           "obfunc nl_mkart() { localobj s\n");
  for (guint i = 0; i < n_pops; i++)
    {
      const NlNetPop *pop = nl_network_get_pop (g->net, i);
      if (!pop->artificial)
        continue;
      JsonObject *p = obj_member (pp, pop->name);
      g_autofree char *where = g_strdup_printf ("popParams.%s", pop->name);
      const char *model = pop->cell_model;
      if (!check_ident (model, where, error))
        return FALSE;
      g_string_append_printf (g->hoc, "  if ($1 == %u) {\n", i);
      if (!strcmp (model, "NetStim"))
        {
          g_string_append (g->hoc, "    s = new NetStim()\n");
          if (!gen_netstim (g->hoc, p, NULL, 0, "$2", "0", where, error))
            return FALSE;
        }
      else if (!strcmp (model, "VecStim"))
        g_string_append (g->hoc, "    s = nl_mkvecstim($o3)\n");
      else
        {
          static const char *const if1[] = { "tau", "refrac", NULL };
          static const char *const if2[] = { "taum", "taus", "ib", NULL };
          static const char *const if4[] = { "taue", "taui1", "taui2", "taum", "refrac", NULL };
          const char *const *keys = !strcmp (model, "IntFire1") ? if1 : !strcmp (model, "IntFire2") ? if2
                                    : !strcmp (model, "IntFire4") ? if4 : NULL;
          if (!keys)
            {
              g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED, "%s: cellModel %s is not supported",
                           where, model);
              return FALSE;
            }
          g_string_append_printf (g->hoc, "    s = new %s()\n", model);
          for (guint j = 0; keys[j]; j++)
            {
              double x;
              if (num_member (p, keys[j], &x))
                {
                  g_string_append_printf (g->hoc, "    s.%s = ", keys[j]);
                  append_num (g->hoc, x);
                  g_string_append_c (g->hoc, '\n');
                }
            }
        }
      need_mech (g, strcmp (model, "VecStim") ? model : "IntFire1", 1, where);
      g_string_append (g->hoc, "  }\n");
    }
  g_string_append (g->hoc, "  return s\n}\n\n");
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Recording traces: which cells (recordCells plus analysis.plotTraces.include, as NetPyNE's  */
/* setupRecording) and which variables (recordTraces, as NetPyNE's Cell.recordTraces).        */

typedef struct {
  guint32     gid;
  guint       label;   /* index into labels */
  guint       cmd;     /* index into cmds */
  guint       ctx;     /* 0: run in the cell's template context; at top level with nl_ro = 1: the
                          cell, 2: a synapse of it (nl_syns), 3: a stimulus of it (nl_stims) */
  /* ctx 2 and 3: which object (NetPyNE: the index-th synMech or stim with that label at the
     segment of sec(loc)) */
  const char *obj;     /* synMech name or stimTargetParams label */
  const char *sec;
  float       loc;
  int         nseg;    /* of sec; -1: unknown (then loc must match exactly) */
  guint       index;
} RecEntry;

struct _RecPlan {
  double     step;
  GPtrArray *labels;    /* char* */
  GPtrArray *cmds;      /* char*: HOC statements built only from checked identifiers and numbers */
  GHashTable *cmd_index;
  GArray    *entries;   /* RecEntry, by label then gid */
  GPtrArray *warnings;  /* char* */
};

static void
rec_plan_clear (RecPlan *p)
{
  g_clear_pointer (&p->labels, g_ptr_array_unref);
  g_clear_pointer (&p->cmds, g_ptr_array_unref);
  g_clear_pointer (&p->cmd_index, g_hash_table_unref);
  g_clear_pointer (&p->entries, g_array_unref);
  g_clear_pointer (&p->warnings, g_ptr_array_unref);
}

/* Marks the cells NetPyNE's getCellsList(include) returns. */
static void
mark_cells (NlNetwork *net, JsonNode *node, gboolean *mark, const char *where, GPtrArray *warnings)
{
  guint n_cells = nl_network_get_n_cells (net);
  JsonArray *a;
  if (!node || JSON_NODE_HOLDS_NULL (node))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      /* NetPyNE iterates a list; a lone item is taken as a list of one. */
      JsonArray *one = json_array_new ();
      json_array_add_element (one, json_node_copy (node));
      JsonNode *n = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (n, one);
      mark_cells (net, n, mark, where, warnings);
      json_node_unref (n);
      return;
    }
  a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *c = json_array_get_element (a, i);
      double x;
      if (JSON_NODE_TYPE (c) == JSON_NODE_VALUE && json_node_get_value_type (c) == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (c);
          int p;
          if (!strcmp (s, "all") || !strcmp (s, "allCells"))
            for (guint g = 0; g < n_cells; g++)
              mark[g] = TRUE;
          else if ((p = nl_network_find_pop (net, s)) >= 0)
            {
              const NlNetPop *pop = nl_network_get_pop (net, p);
              for (guint g = pop->first; g < pop->first + pop->n_cells; g++)
                mark[g] = TRUE;
            }
          else
            g_ptr_array_add (warnings, g_strdup_printf ("%s[%u]: no population '%s'; ignored", where, i, s));
        }
      else if (JSON_NODE_TYPE (c) == JSON_NODE_VALUE && node_number (c, &x)
               && json_node_get_value_type (c) != G_TYPE_BOOLEAN)
        {
          if (x >= 0 && x < n_cells && x == floor (x))
            mark[(guint) x] = TRUE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (c) && json_array_get_length (json_node_get_array (c)) >= 2)
        {
          JsonArray *pa = json_node_get_array (c);
          JsonNode *pn = json_array_get_element (pa, 0), *in = json_array_get_element (pa, 1);
          const char *pname = JSON_NODE_TYPE (pn) == JSON_NODE_VALUE && json_node_get_value_type (pn) == G_TYPE_STRING
                              ? json_node_get_string (pn) : NULL;
          int p = pname ? nl_network_find_pop (net, pname) : -1;
          if (p < 0)
            {
              g_ptr_array_add (warnings, g_strdup_printf ("%s[%u]: no population '%s'; ignored", where, i,
                                                          pname ? pname : "?"));
              continue;
            }
          const NlNetPop *pop = nl_network_get_pop (net, p);
          guint n_idx = JSON_NODE_HOLDS_ARRAY (in) ? json_array_get_length (json_node_get_array (in)) : 1;
          for (guint j = 0; j < n_idx; j++)
            {
              JsonNode *e = JSON_NODE_HOLDS_ARRAY (in) ? json_array_get_element (json_node_get_array (in), j) : in;
              if (node_number (e, &x) && x >= 0 && x < pop->n_cells && x == floor (x))
                mark[pop->first + (guint) x] = TRUE;
            }
        }
    }
}

/* NetPyNE's conds on a cell's tags: pop, cellType, cellModel by equality or list membership;
 * x, y, z, xnorm, ynorm, znorm by [min, max]; other keys match nothing. */
static gboolean
cell_matches (NlNetwork *net, guint gid, JsonObject *conds)
{
  const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
  static const char *const coords[] = { "x", "y", "z", "xnorm", "ynorm", "znorm" };
  g_autoptr(GList) keys = conds ? json_object_get_members (conds) : NULL;
  for (GList *l = keys; l; l = l->next)
    {
      const char *k = l->data;
      JsonNode *v = json_object_get_member (conds, k);
      const char *tag = NULL;
      int ci = -1;
      for (guint i = 0; i < G_N_ELEMENTS (coords); i++)
        if (!strcmp (k, coords[i]))
          ci = i;
      if (ci >= 0)
        {
          double lo, hi;
          JsonArray *a = JSON_NODE_HOLDS_ARRAY (v) ? json_node_get_array (v) : NULL;
          if (!a || json_array_get_length (a) != 2 || !node_number (json_array_get_element (a, 0), &lo)
              || !node_number (json_array_get_element (a, 1), &hi))
            return FALSE;
          const double *c = nl_network_get_coords (net, (NlCoord) ci);
          if (!c || c[gid] < lo || c[gid] > hi)
            return FALSE;
          continue;
        }
      if (!strcmp (k, "pop"))
        tag = pop->name;
      else if (!strcmp (k, "cellType"))
        tag = pop->cell_type;
      else if (!strcmp (k, "cellModel"))
        tag = pop->cell_model;
      else
        return FALSE;
      if (!tag)
        return FALSE;
      if (JSON_NODE_HOLDS_ARRAY (v))
        {
          JsonArray *a = json_node_get_array (v);
          gboolean any = FALSE;
          for (guint i = 0; i < json_array_get_length (a) && !any; i++)
            {
              JsonNode *e = json_array_get_element (a, i);
              any = JSON_NODE_TYPE (e) == JSON_NODE_VALUE && json_node_get_value_type (e) == G_TYPE_STRING
                    && !strcmp (json_node_get_string (e), tag);
            }
          if (!any)
            return FALSE;
        }
      else if (!(JSON_NODE_TYPE (v) == JSON_NODE_VALUE && json_node_get_value_type (v) == G_TYPE_STRING
                 && !strcmp (json_node_get_string (v), tag)))
        return FALSE;
    }
  return TRUE;
}

/* Index of pointp `name` of section `sec` in a cell rule's template (pp_<n>), or -1. */
static int
pointp_index (JsonObject *secs, const char *sec, const char *name)
{
  g_autoptr(GList) names = json_object_get_members (secs);
  int n = 0;
  for (GList *l = names; l; l = l->next)
    {
      JsonObject *pps = obj_member (obj_member (secs, l->data), "pointps");
      g_autoptr(GList) ls = pps ? json_object_get_members (pps) : NULL;
      for (GList *m = ls; m; m = m->next, n++)
        if (!strcmp (l->data, sec) && !strcmp (m->data, name))
          return n;
    }
  return -1;
}

static guint
rec_cmd (RecPlan *p, char *cmd)
{
  gpointer v;
  if (g_hash_table_lookup_extended (p->cmd_index, cmd, NULL, &v))
    {
      g_free (cmd);
      return GPOINTER_TO_UINT (v);
    }
  g_ptr_array_add (p->cmds, cmd);
  g_hash_table_insert (p->cmd_index, cmd, GUINT_TO_POINTER (p->cmds->len - 1));
  return p->cmds->len - 1;
}

/* Skipped cells of one trace, one warning per reason. */
static void
rec_skip (GHashTable *skips, const char *reason, guint gid)
{
  GArray *a = g_hash_table_lookup (skips, reason);
  if (!a)
    {
      a = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (skips, g_strdup (reason), a);
    }
  g_array_append_val (a, gid);
}

static void
rec_flush_skips (GHashTable *skips, const char *label, GPtrArray *warnings)
{
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, skips);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      GArray *a = v;
      g_autoptr(GString) s = g_string_new (NULL);
      g_string_append_printf (s, "recordTraces.%s: not recorded for %u cell(s) (gid", label, a->len);
      for (guint i = 0; i < a->len && i < 10; i++)
        g_string_append_printf (s, " %u", g_array_index (a, guint, i));
      g_string_append_printf (s, "%s): %s", a->len > 10 ? " …" : "", (char *) k);
      g_ptr_array_add (warnings, g_string_free (g_steal_pointer (&s), FALSE));
    }
  g_hash_table_remove_all (skips);
}

static gboolean
rec_plan_make (NlSpec *spec, NlNetwork *net, RecPlan *p, GError **error)
{
  JsonObject *sc = nl_spec_get_sim_config (spec);
  JsonObject *np = nl_spec_get_net_params (spec);
  JsonObject *rt = obj_member (sc, "recordTraces");
  JsonObject *an = obj_member (sc, "analysis");
  JsonObject *pt = obj_member (an, "plotTraces");
  guint n_cells = nl_network_get_n_cells (net);
  g_autofree gboolean *mark = NULL;
  g_autoptr(GHashTable) skips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  g_autoptr(GList) labels = NULL;
  double x;

  p->labels = g_ptr_array_new_with_free_func (g_free);
  p->cmds = g_ptr_array_new_with_free_func (g_free);
  p->cmd_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->entries = g_array_new (FALSE, FALSE, sizeof (RecEntry));
  p->warnings = g_ptr_array_new_with_free_func (g_free);
  p->step = num_member (sc, "recordStep", &x) && x > 0 ? x : 0.1;   /* 'adaptive': 0.1 as NetPyNE */
  if (!rt || json_object_get_size (rt) == 0)
    return TRUE;

  mark = g_new0 (gboolean, n_cells);
  if (sc && json_object_has_member (sc, "recordCells"))
    mark_cells (net, json_object_get_member (sc, "recordCells"), mark, "simConfig.recordCells", p->warnings);
  if (!pt)
    pt = obj_member (an, "iplotTraces");
  if (pt && json_object_has_member (pt, "include"))
    mark_cells (net, json_object_get_member (pt, "include"), mark, "simConfig.analysis.plotTraces.include", p->warnings);

  labels = json_object_get_members (rt);
  for (GList *l = labels; l; l = l->next)
    {
      const char *label = l->data;
      JsonObject *tp = obj_member (rt, label);
      g_autofree char *where = g_strdup_printf ("simConfig.recordTraces.%s", label);
      JsonObject *conds = obj_member (tp, "conds");
      const char *sec = str_member (tp, "sec"), *var = str_member (tp, "var"), *mech = str_member (tp, "mech");
      const char *pointp = str_member (tp, "pointp");
      gboolean syn = tp && json_object_has_member (tp, "synMech"), stim = tp && json_object_has_member (tp, "stim");
      double loc = 0.5;
      guint li = p->labels->len;

      if (!tp)
        {
          g_ptr_array_add (p->warnings, g_strdup_printf ("%s: not an object; ignored", where));
          continue;
        }
      if (!*label || strchr (label, '/') || strchr (label, '\\') || label[0] == '.')
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                       "simConfig.recordTraces: '%s' cannot name a trace (it names its output file)", label);
          return FALSE;
        }
      if (!var)
        {
          g_ptr_array_add (p->warnings, g_strdup_printf ("%s: no 'var'; ignored", where));
          continue;
        }
      if (!check_ident (var, where, error) || (sec && !check_ident (sec, where, error))
          || (mech && !check_ident (mech, where, error)) || (pointp && !check_ident (pointp, where, error)))
        return FALSE;
      num_member (tp, "loc", &loc);
      g_ptr_array_add (p->labels, g_strdup (label));
      for (guint gid = 0; gid < n_cells; gid++)
        {
          if (!mark[gid] || (conds && !cell_matches (net, gid, conds)))
            continue;
          const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
          RecEntry e = { gid, li, 0, 0 };
          g_autoptr(GString) c = g_string_new (NULL);
          if (!pop->artificial)
            {
              JsonObject *secs = obj_member (obj_member (obj_member (np, "cellParams"),
                                                         nl_network_get_cell_rule (net, pop->cell_rule)), "secs");
              if (!sec || !json_object_has_member (secs, sec))
                {
                  g_autofree char *r = sec ? g_strdup_printf ("the cell has no section '%s'", sec)
                                       : syn ? g_strdup ("synMech without 'sec' (all synapses of the cell) is not supported yet")
                                       : g_strdup ("no 'sec' given for a cell with sections");
                  rec_skip (skips, r, gid);
                  continue;
                }
              if (syn || stim)
                {
                  const char *obj = str_member (tp, syn ? "synMech" : "stim");
                  JsonObject *geom = obj_member (obj_member (secs, sec), "geom");
                  double nseg = 1, idx = 0;
                  if (!obj)
                    {
                      rec_skip (skips, syn ? "'synMech' is not a name" : "'stim' is not a name", gid);
                      continue;
                    }
                  if (geom && json_object_has_member (geom, "nseg") && !num_member (geom, "nseg", &nseg))
                    nseg = -1;
                  num_member (tp, "index", &idx);
                  e.ctx = syn ? 2 : 3;
                  e.obj = obj;
                  e.sec = sec;
                  e.loc = loc;
                  e.nseg = nseg >= 1 ? (int) nseg : -1;
                  e.index = idx > 0 ? (guint) idx : 0;
                  g_string_append_printf (c, "{ nl_rv.record(&nl_ro.%s, ", var);
                  append_num (c, p->step);
                  g_string_append (c, ") }");
                  e.cmd = rec_cmd (p, g_string_free (g_steal_pointer (&c), FALSE));
                  g_array_append_val (p->entries, e);
                  continue;
                }
              JsonObject *mechs = obj_member (obj_member (secs, sec), "mechs");
              if (mech && !(mechs && json_object_has_member (mechs, mech)))
                {
                  g_autofree char *r = g_strdup_printf ("mechanism '%s' is not inserted in '%s'", mech, sec);
                  rec_skip (skips, r, gid);
                  continue;
                }
              g_string_append_printf (c, "%s { nl_rv.record(&", sec);
              if (mech)
                {
                  g_string_append_printf (c, "%s_%s(", var, mech);
                  append_num (c, loc);
                  g_string_append_c (c, ')');
                }
              else if (pointp)
                {
                  int k = pointp_index (secs, sec, pointp);
                  if (k < 0)
                    {
                      g_autofree char *r = g_strdup_printf ("no point process '%s' in '%s'", pointp, sec);
                      rec_skip (skips, r, gid);
                      continue;
                    }
                  g_string_append_printf (c, "pp_%d.%s", k, var);
                }
              else
                {
                  g_string_append_printf (c, "%s(", var);
                  append_num (c, loc);
                  g_string_append_c (c, ')');
                }
              g_string_append (c, ", ");
              append_num (c, p->step);
              g_string_append (c, ") }");
            }
          else
            {
              if (sec || mech || syn || stim || pointp)
                {
                  rec_skip (skips, "an artificial cell has no sections or mechanisms", gid);
                  continue;
                }
              if (!g_strcmp0 (pop->cell_model, "VecStim"))
                {
                  rec_skip (skips, "VecStim cells have no variables to record", gid);
                  continue;
                }
              g_string_append_printf (c, "{ nl_rv.record(&nl_ro.%s, ", var);
              append_num (c, p->step);
              g_string_append (c, ") }");
              e.ctx = 1;
            }
          e.cmd = rec_cmd (p, g_string_free (g_steal_pointer (&c), FALSE));
          g_array_append_val (p->entries, e);
        }
      rec_flush_skips (skips, label, p->warnings);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Rank files                                                                                 */

typedef struct {
  guint32 post;
  guint32 sec;
  float   loc;
  guint32 syn;
} SynKey;

static guint
syn_hash (gconstpointer p)
{
  const SynKey *k = p;
  guint32 lb;
  memcpy (&lb, &k->loc, 4);
  return k->post * 2654435761u ^ k->sec * 40503u ^ lb * 2246822519u ^ k->syn * 3266489917u;
}

static gboolean
syn_equal (gconstpointer a, gconstpointer b)
{
  const SynKey *x = a, *y = b;
  return x->post == y->post && x->sec == y->sec && x->syn == y->syn && memcmp (&x->loc, &y->loc, 4) == 0;
}

typedef struct {
  Block      *syns;
  GHashTable *index;   /* SynKey → synapse index + 1 */
  GPtrArray  *keys;
  guint       n;
} SynTable;

static double
syn_for (Gen *g, SynTable *t, const NlConn *c, gboolean artificial_post)
{
  SynKey key = { c->post, artificial_post ? NL_SEC_NONE : c->sec, artificial_post ? 0 : c->loc,
                 artificial_post ? 0 : c->syn };
  gboolean merge = artificial_post || (c->syn < g->n_syn_names && g->syn_linear[c->syn]);
  if (merge)
    {
      gpointer v = g_hash_table_lookup (t->index, &key);
      if (v)
        return GPOINTER_TO_UINT (v) - 1;
    }
  put (t->syns, c->post);
  put (t->syns, key.sec == NL_SEC_NONE ? -1 : (double) key.sec);
  put (t->syns, key.loc);
  put (t->syns, key.syn);
  if (merge)
    {
      SynKey *k = g_memdup2 (&key, sizeof key);
      g_hash_table_insert (t->index, k, GUINT_TO_POINTER (t->n + 1));
    }
  return t->n++;
}

/* A point process of its own (never merged): a gap junction's. */
static double
add_syn (SynTable *t, guint32 gid, guint sec, double loc, guint syn)
{
  put (t->syns, gid);
  put (t->syns, sec);
  put (t->syns, loc);
  put (t->syns, syn);
  return t->n++;
}

/* Does the cell rule of `gid` have section `name`? */
static gboolean
cell_has_sec (Gen *g, guint gid, const char *name)
{
  const NlNetPop *pop = nl_network_get_pop (g->net, nl_network_cell_pop (g->net, gid));
  if (pop->artificial || pop->cell_rule < 0)
    return FALSE;
  JsonObject *secs = obj_member (obj_member (obj_member (g->np, "cellParams"),
                                             nl_network_get_cell_rule (g->net, pop->cell_rule)), "secs");
  return name && secs && json_object_has_member (secs, name);
}

/* The pointerParams of pointer connection `c` (entry `index`), checked. */
static gboolean
gap_entry (Gen *g, const NlConn *c, guint64 index, GapMech *m, GError **error)
{
  const NlNetRule *rule = nl_network_get_rule (g->net, c->rule);
  const GapRule *gr = &g->gap_rule[c->rule];
  const char *syn = nl_network_get_name (g->net, NL_NAME_SYN_MECH, c->syn);
  if (c->syn < g->n_syn_names && g->gap_mech[c->syn].pointer)
    *m = g->gap_mech[c->syn];
  else if (gr->gap_junction)
    {
      /* NetPyNE's deprecated gapJunction: {source_var: v, target_var: vpeer}, bidirectional */
      m->pointer = TRUE;
      m->target_var = "vpeer";
      m->source_var = "v";
      m->bidirectional = TRUE;
    }
  else
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                   "connParams.%s: synMech '%s' has no pointerParams; a rule cannot mix gap junctions and synapses",
                   rule->label, syn);
      return FALSE;
    }
  if (2 * index + 1 > G_MAXINT32)
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                   "connParams.%s: too many connections for NEURON's pointer ids", rule->label);
      return FALSE;
    }
  if (c->sec == NL_SEC_NONE || !cell_has_sec (g, c->post, sec_name (g, c->sec)))
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                   "connParams.%s: a gap junction needs cells with sections (gid %u)", rule->label, c->post);
      return FALSE;
    }
  if (!cell_has_sec (g, c->pre, sec_name (g, gr->pre_sec)))
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                   "connParams.%s.preSec: the presynaptic cell (gid %u) has no section '%s'", rule->label, c->pre,
                   sec_name (g, gr->pre_sec));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_block (FILE *f, Block *b)
{
  double n = b->len;
  if (fwrite (&n, sizeof n, 1, f) != 1)
    return FALSE;
  if (b->len && fwrite (b->data, sizeof (double), b->len, f) != b->len)
    return FALSE;
  return TRUE;
}

/* Do locations a and b of a section of nseg segments fall in the same segment (NEURON's
   seg == seg)? The ends 0 and 1 are their own nodes; nseg < 1: unknown, compare exactly. */
static gboolean
same_segment (double a, double b, int nseg)
{
  if (nseg < 1 || a <= 0 || a >= 1 || b <= 0 || b >= 1)
    return fabs (a - b) < 1e-6;
  return MIN ((int) floor (a * nseg), nseg - 1) == MIN ((int) floor (b * nseg), nseg - 1);
}

static gboolean
write_rank (Gen *g, guint rank, const char *dir, GError **error)
{
  NlNetwork *net = g->net;
  guint n_cells = nl_network_get_n_cells (net);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) syns = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stims = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ncs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) recs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) stim_local = g_hash_table_new (g_direct_hash, g_direct_equal);
  SynTable st = { syns, g_hash_table_new_full (syn_hash, syn_equal, g_free, NULL), NULL, 0 };
  guint n_stims = nl_network_get_n_stims (net);
  guint n_local_stims = 0;

  for (guint gid = 0; gid < n_cells; gid++)
    {
      if (g->rank_of[gid] != rank)
        continue;
      const NlNetPop *pop = nl_network_get_pop (net, nl_network_cell_pop (net, gid));
      put (cells, gid);
      if (pop->artificial)
        {
          guint n = 0;
          const double *tt = nl_network_get_spike_times (net, gid, &n);
          put (cells, -(double) nl_network_cell_pop (net, gid) - 1);
          put (cells, n);
          for (guint i = 0; i < n; i++)
            put (cells, tt[i]);
        }
      else
        {
          guint nf = nl_network_get_n_cell_funcs (net, pop->cell_rule);
          const double *vals = nf ? nl_network_get_cell_values (net, gid) : NULL;
          put (cells, pop->cell_rule);
          put (cells, nf);
          for (guint i = 0; i < nf; i++)
            put (cells, vals[i]);
        }
    }
  /* Stimuli of this rank's cells. */
  for (guint i = 0; i < n_stims; i++)
    {
      NlNetStim s;
      nl_network_get_stim (net, i, &s);
      if (g->rank_of[s.cell] != rank)
        continue;
      const NlNetRule *rule = nl_network_get_rule (net, s.rule);
      gboolean point_source = !g_strcmp0 (rule->source_type, "NetStim") || !g_strcmp0 (rule->source_type, "VecStim");
      guint nf = nl_network_get_n_stim_funcs (net, s.rule);
      const double *vals = nf ? nl_network_get_stim_values (net, i) : NULL;
      put (stims, i);
      put (stims, s.cell);
      put (stims, s.rule);
      put (stims, point_source || s.sec == NL_SEC_NONE ? -1 : (double) s.sec);
      put (stims, s.loc);
      put (stims, nf);
      for (guint j = 0; j < nf; j++)
        put (stims, vals[j]);
      g_hash_table_insert (stim_local, GUINT_TO_POINTER (i), GUINT_TO_POINTER (n_local_stims++));
    }
  for (guint gid = 0; gid < n_cells; gid++)
    {
      if (g->rank_of[gid] != rank)
        continue;
      guint64 first, n = nl_network_conns_of_cell (net, gid, &first);
      gboolean art = nl_network_get_pop (net, nl_network_cell_pop (net, gid))->artificial;
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          nl_network_get_conn (net, first + i, &c);
          if (nl_network_get_rule (net, c.rule)->pointer)
            {
              /* The post-cell side: the target of pre→post, the source of post→pre. */
              GapMech m;
              if (!gap_entry (g, &c, first + i, &m, error))
                {
                  g_hash_table_unref (st.index);
                  return FALSE;
                }
              put (gaps, 0);
              put (gaps, add_syn (&st, c.post, c.sec, c.loc, c.syn));
              put (gaps, c.syn);
              put (gaps, c.weight);
              put (gaps, 2.0 * (first + i));
              put (gaps, 0);
              if (m.bidirectional)
                {
                  put (gaps, 1);
                  put (gaps, c.post);
                  put (gaps, c.sec);
                  put (gaps, c.loc);
                  put (gaps, c.syn);
                  put (gaps, 2.0 * (first + i) + 1);
                }
              continue;
            }
          if (!art && !*nl_network_get_name (net, NL_NAME_SYN_MECH, c.syn))
            {
              /* NetPyNE too needs a synaptic mechanism to connect onto a cell with sections. */
              g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID,
                           "connParams.%s: no synMech given and no synMechParams to take one from",
                           nl_network_get_rule (net, c.rule)->label);
              g_hash_table_unref (st.index);
              return FALSE;
            }
          put (ncs, 0);
          put (ncs, c.pre);
          put (ncs, syn_for (g, &st, &c, art));
          put (ncs, c.weight);
          put (ncs, c.delay);
        }
    }
  /* The pre-cell side of pointer connections whose pre cell is on this rank: the source of
     pre→post at preSec(preLoc), and for bidirectional ones a second point process there, the
     target of post→pre (NetPyNE's preCellPointerConns, added after all rules). */
  for (guint gid = 0; g->any_gap && gid < n_cells; gid++)
    {
      guint64 first, n = nl_network_conns_of_cell (net, gid, &first);
      for (guint64 i = 0; i < n; i++)
        {
          NlConn c;
          GapMech m;
          nl_network_get_conn (net, first + i, &c);
          if (g->rank_of[c.pre] != rank || !nl_network_get_rule (net, c.rule)->pointer)
            continue;
          if (!gap_entry (g, &c, first + i, &m, error))
            {
              g_hash_table_unref (st.index);
              return FALSE;
            }
          const GapRule *gr = &g->gap_rule[c.rule];
          put (gaps, 1);
          put (gaps, c.pre);
          put (gaps, gr->pre_sec);
          put (gaps, gr->pre_loc);
          put (gaps, c.syn);
          put (gaps, 2.0 * (first + i));
          if (m.bidirectional)
            {
              put (gaps, 0);
              put (gaps, add_syn (&st, c.pre, gr->pre_sec, gr->pre_loc, c.syn));
              put (gaps, c.syn);
              put (gaps, c.weight);
              put (gaps, 2.0 * (first + i) + 1);
              put (gaps, 0);
            }
        }
    }
  guint64 n_sc = nl_network_get_n_stim_conns (net);
  for (guint64 i = 0; i < n_sc; i++)
    {
      NlConn c;
      nl_network_get_stim_conn (net, i, &c);
      if (g->rank_of[c.post] != rank)
        continue;
      gboolean art = nl_network_get_pop (net, nl_network_cell_pop (net, c.post))->artificial;
      gpointer local;
      if (!g_hash_table_lookup_extended (stim_local, GUINT_TO_POINTER (c.pre), NULL, &local))
        continue;
      put (ncs, 1);
      put (ncs, GPOINTER_TO_UINT (local));
      put (ncs, syn_for (g, &st, &c, art));
      put (ncs, c.weight);
      put (ncs, c.delay);
    }
  g_hash_table_unref (st.index);
  g_autoptr(GHashTable) syns_of = NULL;   /* gid → GArray of local synapse indices */
  for (guint i = 0; g->rec && i < g->rec->entries->len; i++)
    {
      const RecEntry *e = &g_array_index (g->rec->entries, RecEntry, i);
      double obj = -1;
      if (g->rank_of[e->gid] != rank)
        continue;
      if (e->ctx == 2)
        {
          if (!syns_of)
            {
              syns_of = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) g_array_unref);
              for (guint k = 0; k < syns->len / 4; k++)
                {
                  guint32 post = (guint32) g_array_index (syns, double, 4 * k);
                  GArray *a = g_hash_table_lookup (syns_of, GUINT_TO_POINTER (post));
                  if (!a)
                    {
                      a = g_array_new (FALSE, FALSE, sizeof (guint));
                      g_hash_table_insert (syns_of, GUINT_TO_POINTER (post), a);
                    }
                  g_array_append_val (a, k);
                }
            }
          GArray *a = g_hash_table_lookup (syns_of, GUINT_TO_POINTER (e->gid));
          guint seen = 0;
          for (guint j = 0; a && j < a->len && obj < 0; j++)
            {
              guint k = g_array_index (a, guint, j);
              double sec = g_array_index (syns, double, 4 * k + 1);
              double loc = g_array_index (syns, double, 4 * k + 2);
              guint m = (guint) g_array_index (syns, double, 4 * k + 3);
              if (sec < 0 || g_strcmp0 (sec_name (g, (guint) sec), e->sec)
                  || g_strcmp0 (nl_network_get_name (net, NL_NAME_SYN_MECH, m), e->obj)
                  || !same_segment (loc, e->loc, e->nseg))
                continue;
              if (seen++ == e->index)
                obj = k;
            }
        }
      else if (e->ctx == 3)
        {
          guint seen = 0;
          for (guint j = 0; j < n_stims && obj < 0; j++)
            {
              NlNetStim s;
              gpointer local;
              nl_network_get_stim (net, j, &s);
              if (s.cell != e->gid || s.sec == NL_SEC_NONE
                  || g_strcmp0 (nl_network_get_rule (net, s.rule)->label, e->obj)
                  || g_strcmp0 (sec_name (g, s.sec), e->sec)
                  || !same_segment (s.loc, e->loc, e->nseg)
                  || !g_strcmp0 (nl_network_get_rule (net, s.rule)->source_type, "NetStim")
                  || !g_strcmp0 (nl_network_get_rule (net, s.rule)->source_type, "VecStim")
                  || !g_hash_table_lookup_extended (stim_local, GUINT_TO_POINTER (j), NULL, &local))
                continue;
              if (seen++ == e->index)
                obj = GPOINTER_TO_UINT (local);
            }
        }
      put (recs, e->gid);
      put (recs, e->cmd);
      put (recs, e->ctx);
      put (recs, obj);
    }

  g_autofree char *name = g_strdup_printf ("rank_%u.bin", rank);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  FILE *f = fopen (path, "wb");
  if (!f)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot write", path);
      return FALSE;
    }
  g_autoptr(GArray) lfp = g_array_new (FALSE, FALSE, sizeof (double));
  if (g->lfp)
    nl_lfp_plan_rank_block (g->lfp, rank, g->n_ranks, lfp);
  gboolean ok = write_block (f, cells) && write_block (f, syns) && write_block (f, stims) && write_block (f, ncs)
                && write_block (f, recs) && write_block (f, gaps) && write_block (f, lfp);
  ok = (fclose (f) == 0) && ok;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: write failed", path);
  return ok;
}

/* ------------------------------------------------------------------------------------------ */

static char *
find_hoc_library (void)
{
  const char *env = g_getenv ("NETLOOM_HOC_DIR");
  g_autofree char *p = NULL;
  if (env && *env)
    {
      p = g_build_filename (env, "netloom.hoc", NULL);
      if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&p);
      g_clear_pointer (&p, g_free);
    }
  p = g_build_filename (NL_DATADIR, "hoc", "netloom.hoc", NULL);
  if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&p);
  g_clear_pointer (&p, g_free);
#ifdef NL_SOURCE_MOD_DIR
  {
    g_autofree char *sim = g_path_get_dirname (NL_SOURCE_MOD_DIR);
    p = g_build_filename (sim, "hoc", "netloom.hoc", NULL);
    if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&p);
  }
#endif
  return NULL;
}

/* Does the model name one of NetLoom's own mechanisms (Izhi…)? */
static gboolean
uses_own_mechs (JsonObject *np)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, np);
  json_generator_set_root (gen, node);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  return strstr (text, "\"Izhi20") != NULL;
}

/* simConfig's CVode options as NetPyNE's preRun sets them (netloom.hoc applies them). */
static void
gen_cvode (Gen *g, NlSpec *spec)
{
  g_string_append_printf (g->hoc, "\nnl_cvode_active = %d\nnl_cache_efficient = %d\nnl_fast_imem = %d\nnl_cvode_atol = ",
                          nl_spec_get_double (spec, "simConfig.cvode_active", 0) != 0,
                          nl_spec_get_double (spec, "simConfig.cache_efficient", 0) != 0,
                          nl_spec_get_double (spec, "simConfig.use_fast_imem", 0) != 0);
  append_num (g->hoc, nl_spec_get_double (spec, "simConfig.cvode_atol", 0.001));
}

/* hParams other than celsius and v_init (set by nl_main): NEURON globals, set as NetPyNE
   sets them (setattr(h, key, value)) before the cells exist. Numbers only. */
static gboolean
gen_hparams (Gen *g, NlSpec *spec, GError **error)
{
  JsonObject *hp = obj_member (nl_spec_get_sim_config (spec), "hParams");
  g_autoptr(GList) keys = hp ? json_object_get_members (hp) : NULL;
  for (GList *l = keys; l; l = l->next)
    {
      const char *k = l->data;
      double x;
      if (!strcmp (k, "celsius") || !strcmp (k, "v_init"))
        continue;
      if (!check_ident (k, "simConfig.hParams", error))
        return FALSE;
      if (g_str_has_prefix (k, "nl_") || !num_member (hp, k, &x))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_UNSUPPORTED,
                       "simConfig.hParams.%s: only numbers can be set (and no name starting with nl_)", k);
          return FALSE;
        }
      g_string_append_printf (g->hoc, "\n%s = ", k);
      append_num (g->hoc, x);
    }
  return TRUE;
}

static char *neuron_message (const char *err, const char *out);
static gboolean wants_stim_record (NlSpec *spec);

/* NetLoom's geometry pre-pass: one nrniv builds every cell with sections and writes their 3D
   points to geom.bin (see netloom.hoc). */
static gboolean
geometry_pass (const char *nrniv, const char *dll, const char *dir, GCancellable *cancellable, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *geom = g_build_filename (dir, "geom.bin", NULL);
  g_autoptr(GError) e = NULL;

  g_unlink (geom);
  g_ptr_array_add (argv, (gpointer) nrniv);
  g_ptr_array_add (argv, "-nopython");
  g_ptr_array_add (argv, "-nobanner");
  g_ptr_array_add (argv, "-nogui");
  if (dll)
    {
      g_ptr_array_add (argv, "-dll");
      g_ptr_array_add (argv, (gpointer) dll);
    }
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, "nl_geom_pass = 1");
  g_ptr_array_add (argv, "driver.hoc");
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
  if (!proc)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, &out, NULL, &e))
    {
      g_subprocess_force_exit (proc);
      if (g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_CANCELLED, "the run was cancelled");
      else
        g_propagate_error (error, g_steal_pointer (&e));
      return FALSE;
    }
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0
      || !g_file_test (geom, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *msg = neuron_message (out, NULL);
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "NEURON failed in the LFP geometry pass (run folder %s)\n%s",
                   dir, msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean prepare (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, const char *dir,
                         char ***argv_out, RecPlan *plan, NlLfpPlan **lfp_out, RankMap *map, GError **error);

gboolean
nl_run_prepare (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, const char *dir, char ***argv_out,
                GError **error)
{
  RecPlan plan = { 0 };
  RankMap map = { 0 };
  g_autoptr(NlLfpPlan) lfp = NULL;
  gboolean ok = prepare (spec, net, options, dir, argv_out, &plan, &lfp, &map, error);
  rec_plan_clear (&plan);
  rank_map_clear (&map);
  return ok;
}

static gboolean
prepare (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, const char *dir, char ***argv_out,
         RecPlan *plan, NlLfpPlan **lfp_out, RankMap *map, GError **error)
{
  Gen g = { 0 };
  gboolean ok = FALSE;
  guint n_ranks = MAX (options ? options->n_ranks : 1, 1);
  g_autofree char *lib = find_hoc_library ();
  g_autofree char *dll = NULL;
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  guint n_cells = nl_network_get_n_cells (net);
  gsize hdr_len;

  if (!nrniv)
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NOT_FOUND,
                   "NEURON's nrniv was not found; install Debian's 'neuron' package or set NETLOOM_NRNIV");
      return FALSE;
    }
  if (!lib)
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NOT_FOUND, "NetLoom's HOC library (netloom.hoc) was not found");
      return FALSE;
    }
  if (n_cells == 0)
    {
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_INVALID, "the network has no cells");
      return FALSE;
    }
  if (!rank_map_make (spec, net, options, n_ranks, map, error))
    return FALSE;

  if (!rec_plan_make (spec, net, plan, error))
    return FALSE;
  {
    JsonObject *sc = nl_spec_get_sim_config (spec);
    g_autofree gboolean *cell_parts = NULL;
    JsonNode *slc = sc && json_object_has_member (sc, "saveLFPCells") ? json_object_get_member (sc, "saveLFPCells") : NULL;
    double x;
    if (slc && JSON_NODE_HOLDS_ARRAY (slc))
      {
        cell_parts = g_new0 (gboolean, n_cells);
        mark_cells (net, slc, cell_parts, "simConfig.saveLFPCells", plan->warnings);
      }
    else if (slc && node_number (slc, &x) && x != 0)
      {
        cell_parts = g_new (gboolean, n_cells);
        for (guint i = 0; i < n_cells; i++)
          cell_parts[i] = TRUE;
      }
    *lfp_out = nl_lfp_plan_new (spec, net, options ? options->lfp_method : NL_LFP_LINE_LFPYKIT,
                                options && options->lfp_sigma > 0 ? options->lfp_sigma : NL_LFP_SIGMA_DEFAULT,
                                plan->step, cell_parts, error);
    if (!*lfp_out && error && *error)
      return FALSE;
    g.lfp = *lfp_out;
    if (g.lfp)
      nl_lfp_plan_set_rank_of (g.lfp, map->rank_of);
  }
  g.rec = plan;
  g.spec = spec;
  g.net = net;
  g.np = nl_spec_get_net_params (spec);
  g.n_ranks = n_ranks;
  g.rank_of = map->rank_of;
  g.one_syn = (options && options->one_syn_per_netcon)
              || nl_spec_get_double (spec, "simConfig.netloomOneSynPerConn", 0) != 0;
  g.hoc = g_string_new (NULL);
  g.checks = g_string_new (NULL);
  g.checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g.extra_secs = g_ptr_array_new ();

  /* Section and synMech names in use. */
  {
    guint max_sec = 0, max_syn = 0;
    gboolean any_sec = FALSE, any_syn = FALSE;
    guint64 nc = nl_network_get_n_conns (net), nsc = nl_network_get_n_stim_conns (net);
    for (guint64 i = 0; i < nc + nsc; i++)
      {
        NlConn c;
        if (i < nc)
          nl_network_get_conn (net, i, &c);
        else
          nl_network_get_stim_conn (net, i - nc, &c);
        if (c.sec != NL_SEC_NONE)
          {
            max_sec = MAX (max_sec, c.sec);
            any_sec = TRUE;
          }
        max_syn = MAX (max_syn, c.syn);
        any_syn = TRUE;
      }
    for (guint i = 0; i < nl_network_get_n_stims (net); i++)
      {
        NlNetStim s;
        nl_network_get_stim (net, i, &s);
        if (s.sec != NL_SEC_NONE)
          {
            max_sec = MAX (max_sec, s.sec);
            any_sec = TRUE;
          }
      }
    g.n_secs = any_sec ? max_sec + 1 : 0;
    g.n_net_secs = g.n_secs;
    g.n_syn_names = any_syn ? max_syn + 1 : 0;
    g.syn_linear = g_new0 (gboolean, g.n_syn_names + 1);
    g.gap_mech = g_new0 (GapMech, g.n_syn_names + 1);
    g.gap_rule = g_new0 (GapRule, nl_network_get_n_rules (net) + 1);
  }
  if (!resolve_gaps (&g, error))
    goto out;

  g_string_append_printf (g.hoc, "// Generated by NetLoom: %u cells, %u rank(s). Run in this folder:\n"
                                 "//   nrniv -nopython -nobanner -nogui driver.hoc\n"
                                 "{load_file(\"netloom.hoc\")}\n", n_cells, n_ranks);
  g_string_append_printf (g.hoc, "nl_ncells = %u\nnl_tstop = ", n_cells);
  append_num (g.hoc, nl_spec_get_double (spec, "simConfig.duration", 1000));
  g_string_append (g.hoc, "\nnl_dt = ");
  append_num (g.hoc, nl_spec_get_double (spec, "simConfig.dt", 0.025));
  g_string_append (g.hoc, "\nnl_celsius = ");
  append_num (g.hoc, nl_spec_get_double (spec, "simConfig.hParams.celsius", 6.3));
  g_string_append (g.hoc, "\nnl_vinit = ");
  append_num (g.hoc, nl_spec_get_double (spec, "simConfig.hParams.v_init", -65));
  g_string_append (g.hoc, "\nnl_seed = ");
  append_num (g.hoc, nl_spec_get_double (spec, "simConfig.seeds.stim", 1));
  gen_cvode (&g, spec);
  g_string_append_printf (g.hoc, "\nnl_recstim = %d", wants_stim_record (spec));
  g_string_append_printf (g.hoc, "\nnl_live = %d", options && options->spikes ? 1 : 0);
  if (!gen_hparams (&g, spec, error))
    goto out;
  g_string_append (g.hoc, "\n\n");
  hdr_len = g.hoc->len;

  for (guint k = 0; k < nl_network_get_n_cell_rules (net); k++)
    {
      gboolean used = FALSE;
      for (guint p = 0; p < nl_network_get_n_pops (net); p++)
        used |= nl_network_get_pop (net, p)->cell_rule == (int) k;
      if (!used)
        continue;
      if (!gen_template (&g, k, error))
        goto out;
    }
  g_string_append (g.hoc, "obfunc nl_mkcell() { localobj c\n");
  for (guint k = 0; k < nl_network_get_n_cell_rules (net); k++)
    {
      gboolean used = FALSE;
      for (guint p = 0; p < nl_network_get_n_pops (net); p++)
        used |= nl_network_get_pop (net, p)->cell_rule == (int) k;
      if (used)
        g_string_append_printf (g.hoc, "  if ($1 == %u) { c = new NLCell_%u() }\n", k, k);
    }
  g_string_append (g.hoc, "  c.setvals($o2)\n  return c\n}\n\n");
  if (!gen_synmechs (&g, error) || !gen_gaps (&g, error) || !gen_stims (&g, error) || !gen_arts (&g, error))
    goto out;
  g_string_append (g.hoc, "// Recorded traces: HOC statements run with execute1() per cell (rank block 5)\nnl_rstep = ");
  append_num (g.hoc, plan->step);
  g_string_append_c (g.hoc, '\n');
  for (guint i = 0; i < plan->cmds->len; i++)
    g_string_append_printf (g.hoc, "nl_cmds.append(new String(\"%s\"))\n", (char *) plan->cmds->pdata[i]);
  g_string_append (g.hoc, "\nnl_main()\nquit()\n");
  g_string_insert (g.hoc, hdr_len, g.checks->str);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the run folder", dir);
      goto out;
    }
  /* With an LFP, the rank files wait for the geometry pre-pass below. */
  for (guint r = 0; !g.lfp && r < n_ranks; r++)
    if (!write_rank (&g, r, dir, error))
      goto out;
  /* Remove stale output files of an earlier run in the same folder. */
  for (guint r = 0; r < 1024; r++)
    {
      g_autofree char *n = g_strdup_printf ("spikes_%u.bin", r);
      g_autofree char *p = g_build_filename (dir, n, NULL);
      g_autofree char *tn = g_strdup_printf ("traces_%u.bin", r);
      g_autofree char *tp = g_build_filename (dir, tn, NULL);
      g_autofree char *ln = g_strdup_printf ("lfp_%u.bin", r);
      g_autofree char *lp = g_build_filename (dir, ln, NULL);
      g_autofree char *sn = g_strdup_printf ("stims_%u.bin", r);
      g_autofree char *sp = g_build_filename (dir, sn, NULL);
      gboolean gone = g_unlink (p) != 0;
      gone = g_unlink (tp) != 0 && gone;
      gone = g_unlink (lp) != 0 && gone;
      gone = g_unlink (sp) != 0 && gone;
      if (gone && r >= n_ranks)
        break;
    }
  {
    g_autofree char *text = NULL;
    gsize len;
    g_autofree char *dst = g_build_filename (dir, "netloom.hoc", NULL);
    g_autofree char *drv = g_build_filename (dir, "driver.hoc", NULL);
    if (!g_file_get_contents (lib, &text, &len, error) || !g_file_set_contents (dst, text, len, error)
        || !g_file_set_contents (drv, g.hoc->str, g.hoc->len, error))
      goto out;
  }

  /* Mechanisms: the user's folders, plus NetLoom's own when the model needs them. */
  {
    g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; options && options->mod_dirs && options->mod_dirs[i]; i++)
      g_ptr_array_add (dirs, g_strdup (options->mod_dirs[i]));
    if (dirs->len > 0 || uses_own_mechs (g.np))
      {
        char *own = nl_mech_own_dir ();
        if (own)
          g_ptr_array_add (dirs, own);
      }
    if (dirs->len > 0)
      {
        g_ptr_array_add (dirs, NULL);
        dll = nl_mech_compile_dirs ((const char *const *) dirs->pdata, options ? options->cancellable : NULL, error);
        if (!dll)
          goto out;
      }
  }
  if (g.lfp)
    {
      if (!nl_lfp_plan_write_geom_cells (g.lfp, dir, error)
          || !geometry_pass (nrniv, dll, dir, options ? options->cancellable : NULL, error)
          || !nl_lfp_plan_read_geometry (g.lfp, dir, error))
        goto out;
      for (guint r = 0; r < n_ranks; r++)
        if (!write_rank (&g, r, dir, error))
          goto out;
    }

  {
    GPtrArray *argv = g_ptr_array_new ();
    if (n_ranks > 1)
      {
        const char *env = g_getenv ("NETLOOM_MPIEXEC");
        char *mpi = env && *env ? g_strdup (env)
                    : g_path_is_absolute (NL_MPIEXEC) && g_file_test (NL_MPIEXEC, G_FILE_TEST_IS_EXECUTABLE)
                      ? g_strdup (NL_MPIEXEC) : g_find_program_in_path ("mpiexec");
        if (!mpi)
          {
            g_ptr_array_free (argv, TRUE);
            g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NOT_FOUND, "mpiexec was not found; install OpenMPI or run with one rank");
            goto out;
          }
        g_ptr_array_add (argv, mpi);
        g_ptr_array_add (argv, g_strdup ("--allow-run-as-root"));
        g_ptr_array_add (argv, g_strdup ("--oversubscribe"));
        g_ptr_array_add (argv, g_strdup ("-n"));
        g_ptr_array_add (argv, g_strdup_printf ("%u", n_ranks));
      }
    g_ptr_array_add (argv, g_strdup (nrniv));
    if (n_ranks > 1)
      g_ptr_array_add (argv, g_strdup ("-mpi"));
    g_ptr_array_add (argv, g_strdup ("-nopython"));
    g_ptr_array_add (argv, g_strdup ("-nobanner"));
    g_ptr_array_add (argv, g_strdup ("-nogui"));
    if (dll)
      {
        g_ptr_array_add (argv, g_strdup ("-dll"));
        g_ptr_array_add (argv, g_strdup (dll));
      }
    g_ptr_array_add (argv, g_strdup ("driver.hoc"));
    g_ptr_array_add (argv, NULL);
    *argv_out = (char **) g_ptr_array_free (argv, FALSE);
  }
  ok = TRUE;

out:
  g_string_free (g.hoc, TRUE);
  g_string_free (g.checks, TRUE);
  g_hash_table_unref (g.checked);
  g_free (g.syn_linear);
  g_free (g.gap_mech);
  g_free (g.gap_rule);
  g_ptr_array_unref (g.extra_secs);
  return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* Running                                                                                    */

typedef struct {
  double  t;
  guint32 gid;
} Spike;

static int
spike_cmp (const void *a, const void *b)
{
  const Spike *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return (x->gid > y->gid) - (x->gid < y->gid);
}

static gboolean
read_spikes (const char *dir, guint n_ranks, NlRunResult *res, GError **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Spike));
  for (guint r = 0; r < n_ranks; r++)
    {
      g_autofree char *n = g_strdup_printf ("spikes_%u.bin", r);
      g_autofree char *p = g_build_filename (dir, n, NULL);
      g_autofree char *data = NULL;
      gsize len;
      if (!g_file_get_contents (p, &data, &len, error))
        return FALSE;
      double cnt;
      if (len < sizeof (double))
        goto bad;
      memcpy (&cnt, data, sizeof cnt);
      if (cnt < 0 || cnt > 1e12 || len != sizeof (double) * (1 + 2 * (gsize) cnt))
        goto bad;
      for (gsize i = 0; i < (gsize) cnt; i++)
        {
          Spike s;
          double gd;
          memcpy (&s.t, data + sizeof (double) * (1 + i), sizeof (double));
          memcpy (&gd, data + sizeof (double) * (1 + (gsize) cnt + i), sizeof (double));
          s.gid = (guint32) gd;
          g_array_append_val (all, s);
        }
      continue;
    bad:
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed spike file", p);
      return FALSE;
    }
  g_array_sort (all, spike_cmp);
  res->n_spikes = all->len;
  res->spike_t = g_new (double, MAX (all->len, 1));
  res->spike_gid = g_new (guint32, MAX (all->len, 1));
  for (guint i = 0; i < all->len; i++)
    {
      res->spike_t[i] = g_array_index (all, Spike, i).t;
      res->spike_gid[i] = g_array_index (all, Spike, i).gid;
    }
  return TRUE;
}

/* The lines of NEURON's stderr worth showing (its error text), at most ~20. */
static char *
neuron_message (const char *err, const char *out)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *src = err && *err ? err : out;
  g_auto(GStrv) lines = g_strsplit (src ? src : "", "\n", -1);
  guint n = 0;
  for (guint i = 0; lines[i] && n < 20; i++)
    {
      const char *l = g_strstrip (lines[i]);
      if (!*l || g_str_has_prefix (l, "NL_PROGRESS") || strstr (l, "ORTE_ERROR_LOG") || g_str_has_prefix (l, "---")
          || g_str_has_prefix (l, "["))
        continue;
      if (s->len)
        g_string_append (s, "\n");
      g_string_append (s, l);
      n++;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *n;
  while (d && (n = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, n, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

/* Reads traces_<r>.bin of every rank into `res` (by label, then gid). */
static gboolean
read_traces (const char *dir, guint n_ranks, const guint *rank_of, RecPlan *plan, NlResults *res, JsonArray *warnings,
             GError **error)
{
  guint n_e = plan->entries->len;
  g_autofree double **vals = g_new0 (double *, MAX (n_e, 1));
  g_autofree gint64 *lens = g_new0 (gint64, MAX (n_e, 1));
  gint64 n_samples = -1, t_len = 0;
  g_autofree double *t_vals = NULL;
  gboolean ok = FALSE;

  if (n_e == 0)
    return TRUE;
  for (guint r = 0; r < n_ranks; r++)
    {
      g_autofree char *n = g_strdup_printf ("traces_%u.bin", r);
      g_autofree char *p = g_build_filename (dir, n, NULL);
      g_autofree char *data = NULL;
      gsize len, off = 0;
      double x;
      guint count = 0;
      for (guint i = 0; i < n_e; i++)
        count += rank_of[g_array_index (plan->entries, RecEntry, i).gid] == r;
      if (!g_file_get_contents (p, &data, &len, error))
        goto out;
      if (len < sizeof x)
        goto bad;
      memcpy (&x, data, sizeof x);
      off = sizeof x;
      if (x != count)
        goto bad;
      /* NEURON's t at the samples */
      if (off + sizeof x > len)
        goto bad;
      memcpy (&x, data + off, sizeof x);
      off += sizeof x;
      if (x < 0 || x > 1e12 || x != floor (x) || off + (gsize) x * sizeof (double) > len)
        goto bad;
      if (!t_vals && count > 0)
        {
          t_len = (gint64) x;
          t_vals = g_memdup2 (data + off, MAX ((gsize) x, 1) * sizeof (double));
        }
      off += (gsize) x * sizeof (double);
      for (guint i = 0; i < n_e; i++)
        {
          if (rank_of[g_array_index (plan->entries, RecEntry, i).gid] != r)
            continue;
          if (off + sizeof x > len)
            goto bad;
          memcpy (&x, data + off, sizeof x);
          off += sizeof x;
          if (x < -1 || x > 1e12 || x != floor (x) || off + (gsize) MAX (x, 0) * sizeof (double) > len)
            goto bad;
          lens[i] = (gint64) x;
          if (x > 0)
            {
              vals[i] = g_memdup2 (data + off, (gsize) x * sizeof (double));
              off += (gsize) x * sizeof (double);
            }
        }
      if (off != len)
        goto bad;
      continue;
    bad:
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed trace file", p);
      goto out;
    }
  n_samples = t_len;
  for (guint i = 0; i < n_e; i++)
    if (lens[i] >= 0 && lens[i] < n_samples)
      n_samples = lens[i];
  for (guint i = 0; i < n_e; i++)
    {
      const RecEntry *e = &g_array_index (plan->entries, RecEntry, i);
      const char *label = plan->labels->pdata[e->label];
      if (lens[i] < 0)
        {
          g_autofree char *w = e->ctx >= 2
            ? g_strdup_printf ("recordTraces.%s: not recorded for gid %u: no %s '%s' at %s(%g) of the cell, or NEURON rejected '%s'",
                               label, e->gid, e->ctx == 2 ? "synMech" : "point-process stim", e->obj, e->sec, e->loc,
                               (char *) plan->cmds->pdata[e->cmd])
            : g_strdup_printf ("recordTraces.%s: not recorded for gid %u: NEURON rejected '%s'",
                               label, e->gid, (char *) plan->cmds->pdata[e->cmd]);
          json_array_add_string_element (warnings, w);
          continue;
        }
      double *v = vals[i];
      vals[i] = NULL;
      if (!v)
        v = g_new0 (double, MAX (n_samples, 1));
      nl_results_add_trace (res, label, e->gid, v, n_samples);
    }
  if (nl_results_get_n_traces (res) > 0)
    nl_results_set_trace_time (res, g_steal_pointer (&t_vals), n_samples);
  ok = TRUE;
out:
  for (guint i = 0; i < n_e; i++)
    g_free (vals[i]);
  return ok;
}

/* Does an include list (of plotRaster or plotSpikeHist) name one of `labels` or a stim source? */
static gboolean
include_names_stims (JsonObject *o, JsonObject *ssp, const char *const *labels)
{
  JsonNode *inc = o && json_object_has_member (o, "include") ? json_object_get_member (o, "include") : NULL;
  JsonArray *a = inc && JSON_NODE_HOLDS_ARRAY (inc) ? json_node_get_array (inc) : NULL;
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      const char *s = JSON_NODE_TYPE (e) == JSON_NODE_VALUE && json_node_get_value_type (e) == G_TYPE_STRING
                      ? json_node_get_string (e) : NULL;
      if (s && (g_strv_contains (labels, s) || (ssp && json_object_has_member (ssp, s))))
        return TRUE;
    }
  return FALSE;
}

/* simConfig.recordStim, or an analysis that NetPyNE's setupRecording lets switch it on:
   plotRaster including a stim source, 'allNetStims' or 'all'; plotSpikeHist true or including
   a stim source, 'allNetStims' or 'eachPop'. */
static gboolean
wants_stim_record (NlSpec *spec)
{
  JsonObject *sc = nl_spec_get_sim_config (spec);
  JsonObject *an = obj_member (sc, "analysis");
  JsonObject *ssp = obj_member (nl_spec_get_net_params (spec), "stimSourceParams");
  static const char *const raster[] = { "allNetStims", "all", NULL };
  static const char *const hist[] = { "allNetStims", "eachPop", NULL };
  double x;
  if (nl_spec_get_double (spec, "simConfig.recordStim", 0) != 0)
    return TRUE;
  if (an && json_object_has_member (an, "plotSpikeHist") && node_number (json_object_get_member (an, "plotSpikeHist"), &x)
      && x != 0)
    return TRUE;
  return include_names_stims (obj_member (an, "plotRaster"), ssp, raster)
         || include_names_stims (obj_member (an, "plotSpikeHist"), ssp, hist);
}

/* stims_<r>.bin of every rank into meta "stims", NetPyNE's simData['stims'] layout:
   {"cell_<gid>": {"<stim source label>": [times]}} for the cells with NetStim stimuli. */
static gboolean
read_stims (NlNetwork *net, const char *dir, guint n_ranks, JsonObject *meta, GError **error)
{
  JsonObject *stims = json_object_new ();
  guint n_stims = nl_network_get_n_stims (net);
  json_object_set_object_member (meta, "stims", stims);
  for (guint r = 0; r < n_ranks; r++)
    {
      g_autofree char *n = g_strdup_printf ("stims_%u.bin", r);
      g_autofree char *p = g_build_filename (dir, n, NULL);
      g_autofree char *data = NULL;
      gsize len, off = sizeof (double);
      double cnt;
      if (!g_file_get_contents (p, &data, &len, error))
        return FALSE;
      if (len < sizeof cnt)
        goto bad;
      memcpy (&cnt, data, sizeof cnt);
      if (!(cnt >= 0 && cnt <= n_stims))
        goto bad;
      for (guint i = 0; i < (guint) cnt; i++)
        {
          double hdr[2];
          NlNetStim st;
          if (off + sizeof hdr > len)
            goto bad;
          memcpy (hdr, data + off, sizeof hdr);
          off += sizeof hdr;
          if (!(hdr[0] >= 0 && hdr[0] < n_stims && hdr[0] == floor (hdr[0]) && hdr[1] >= 0
                && off + (gsize) hdr[1] * sizeof (double) <= len))
            goto bad;
          nl_network_get_stim (net, (guint) hdr[0], &st);
          g_autofree char *cell = g_strdup_printf ("cell_%u", st.cell);
          JsonObject *c = obj_member (stims, cell);
          if (!c)
            {
              c = json_object_new ();
              json_object_set_object_member (stims, cell, c);
            }
          JsonArray *t = json_array_sized_new ((guint) hdr[1]);
          for (gsize k = 0; k < (gsize) hdr[1]; k++)
            {
              double x;
              memcpy (&x, data + off + k * sizeof x, sizeof x);
              json_array_add_double_element (t, x);
            }
          off += (gsize) hdr[1] * sizeof (double);
          json_object_set_array_member (c, nl_network_get_rule (net, st.rule)->source, t);
        }
      if (off != len)
        goto bad;
      continue;
    bad:
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed stimulus spike file", p);
      return FALSE;
    }
  return TRUE;
}

NlRunResult *
nl_run (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, GError **error)
{
  g_autoptr(NlResults) r = nl_run_full (spec, net, options, error);
  NlRunResult *res;
  JsonObject *meta;
  guint64 n;

  if (!r)
    return NULL;
  meta = nl_results_get_meta (r);
  n = nl_results_get_n_spikes (r);
  res = g_new0 (NlRunResult, 1);
  res->n_spikes = n;
  res->spike_t = g_memdup2 (nl_results_get_spike_times (r), MAX (n, 1) * sizeof (double));
  res->spike_gid = g_memdup2 (nl_results_get_spike_gids (r), MAX (n, 1) * sizeof (guint32));
  res->duration_ms = nl_results_get_duration (r);
  res->n_ranks = json_object_get_int_member (meta, "ranks");
  res->wall_s = json_object_get_double_member (meta, "wall_s");
  return res;
}

/* The live spikes written so far by each rank (live_<r>.bin): reads the complete blocks after
 * what was read before and hands them to the caller. A block still being written is left for
 * the next time. */
typedef struct {
  guint   n_ranks;
  guint64 *offset;      /* bytes consumed per rank */
} LiveReader;

static void
live_poll (LiveReader *lr, const char *dir, const NlRunOptions *options)
{
  for (guint r = 0; r < lr->n_ranks; r++)
    {
      g_autofree char *name = g_strdup_printf ("live_%u.bin", r);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      FILE *f = fopen (path, "rb");
      double hdr;

      if (!f)
        continue;
      if (fseeko (f, (off_t) lr->offset[r], SEEK_SET) != 0)
        {
          fclose (f);
          continue;
        }
      while (fread (&hdr, sizeof hdr, 1, f) == 1)
        {
          guint64 n = hdr >= 1 && hdr < 1e9 ? (guint64) hdr : 0;
          g_autofree double *buf = n ? g_try_new (double, 2 * n) : NULL;
          g_autofree guint32 *gids = n ? g_try_new (guint32, n) : NULL;

          if (!buf || !gids || fread (buf, sizeof (double), 2 * n, f) != 2 * n)
            break;   /* not complete yet (or not a block): next time */
          for (guint64 i = 0; i < n; i++)
            gids[i] = (guint32) buf[n + i];
          options->spikes (buf, gids, n, options->spikes_data);
          lr->offset[r] += (1 + 2 * n) * sizeof (double);
        }
      fclose (f);
    }
}

/* What a finished run leaves to collect from its folder. */
typedef struct {
  char      *tmp;         /* a temporary run folder to remove, or NULL */
  const char *dir;
  RecPlan    plan;
  NlLfpPlan *lfp;
  RankMap    map;         /* which rank ran each gid */
  guint      n_ranks;
  double     duration;
  double     wall;
} RunDone;

static void
run_done_clear (RunDone *d)
{
  if (d->tmp)
    remove_tree (d->tmp);
  g_clear_pointer (&d->tmp, g_free);
  g_clear_pointer (&d->lfp, nl_lfp_plan_free);
  rec_plan_clear (&d->plan);
  rank_map_clear (&d->map);
}

/* Runs NEURON in the run folder; on success `d` says where its output is. */
static gboolean
run_neuron (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, RunDone *d, GError **error)
{
  const char *dir = options ? options->run_dir : NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *err_text = NULL;
  g_autofree char *err_path = NULL;
  GCancellable *cancellable = options ? options->cancellable : NULL;
  guint n_ranks = MAX (options ? options->n_ranks : 1, 1);
  double duration = nl_spec_get_double (spec, "simConfig.duration", 1000);
  gboolean done = FALSE;
  gint64 t0;
  g_autofree guint64 *live_offsets = g_new0 (guint64, n_ranks);
  LiveReader live = { n_ranks, live_offsets };
  char *tmp = NULL;
  RecPlan plan = { 0 };
  NlLfpPlan *lfp = NULL;
  RankMap map = { 0 };

  memset (d, 0, sizeof *d);
  d->n_ranks = n_ranks;
  d->duration = duration;
  if (!dir)
    {
      tmp = g_dir_make_tmp ("netloom-run-XXXXXX", error);
      if (!tmp)
        return FALSE;
      dir = tmp;
    }
  if (!prepare (spec, net, options, dir, &argv, &plan, &lfp, &map, error))
    goto out;

  err_path = g_build_filename (dir, "stderr.txt", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  t0 = g_get_monotonic_time ();
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, error);
  if (!proc)
    goto out;
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (;;)
    {
      g_autoptr(GError) e = NULL;
      gsize len;
      g_autofree char *line = g_data_input_stream_read_line (in, &len, cancellable, &e);
      if (!line)
        {
          if (e && g_error_matches (e, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_subprocess_send_signal (proc, SIGTERM);
              g_subprocess_wait (proc, NULL, NULL);
              g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_CANCELLED, "the run was cancelled");
              goto out;
            }
          break;
        }
      /* mpiexec prefixes nothing; strip a rank prefix "0 " just in case. */
      const char *p = strstr (line, "NL_PROGRESS ");
      if (p)
        {
          if (options && options->progress)
            options->progress (g_ascii_strtod (p + 12, NULL), duration, options->progress_data);
          if (options && options->spikes)
            live_poll (&live, dir, options);
          continue;
        }
      if (strstr (line, "NL_DONE "))
        done = TRUE;
      else if (out->len < 65536)
        {
          g_string_append (out, line);
          g_string_append_c (out, '\n');
        }
    }
  if (!g_subprocess_wait (proc, cancellable, error))
    {
      g_subprocess_send_signal (proc, SIGTERM);
      goto out;
    }
  g_file_get_contents (err_path, &err_text, NULL, NULL);
  if (!done || !g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_autofree char *msg = neuron_message (err_text, out->str);
      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "NEURON failed%s%s (run folder %s)\n%s",
                   g_subprocess_get_if_exited (proc) ? "" : ": killed by a signal",
                   !done && g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 0
                     ? ": the simulation did not finish" : "",
                   tmp ? "removed" : dir, msg);
      goto out;
    }
  if (options && options->spikes)
    live_poll (&live, dir, options);
  if (options && options->progress)
    options->progress (duration, duration, options->progress_data);
  d->wall = (g_get_monotonic_time () - t0) / 1e6;
  d->tmp = tmp;
  d->dir = dir;
  d->plan = plan;
  d->lfp = lfp;
  d->map = map;
  return TRUE;

out:
  if (tmp)
    remove_tree (tmp);
  g_free (tmp);
  if (lfp)
    nl_lfp_plan_free (lfp);
  rec_plan_clear (&plan);
  rank_map_clear (&map);
  return FALSE;
}

/* Everything a finished run recorded but its spikes: populations, duration, traces, LFP,
 * meta. */
static NlResults *
collect_rest (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, RunDone *done, GError **error)
{
  NlResults *results = NULL;
  const char *dir = done->dir;
  guint n_ranks = done->n_ranks;
  double duration = done->duration;
  NlLfpPlan *lfp = done->lfp;
  RecPlan plan = done->plan;
  const RankMap map = done->map;

  {
    double wall = done->wall;
    JsonObject *meta;
    JsonArray *warnings = json_array_new ();
    JsonObject *sc = nl_spec_get_sim_config (spec);
    JsonObject *seeds = obj_member (sc, "seeds");
    g_autofree char *nrn_version = NULL;

    results = nl_results_new ();
    nl_results_set_n_cells (results, nl_network_get_n_cells (net));
    for (guint p = 0; p < nl_network_get_n_pops (net); p++)
      {
        const NlNetPop *pop = nl_network_get_pop (net, p);
        g_autofree guint32 *gids = g_new (guint32, MAX (pop->n_cells, 1));
        for (guint i = 0; i < pop->n_cells; i++)
          gids[i] = pop->first + i;
        nl_results_add_pop (results, pop->name, gids, pop->n_cells);
      }
    nl_results_set_duration (results, duration);
    for (guint i = 0; i < plan.warnings->len; i++)
      json_array_add_string_element (warnings, plan.warnings->pdata[i]);
    if (!read_traces (dir, n_ranks, map.rank_of, &plan, results, warnings, error)
        || (lfp && !nl_lfp_plan_read_results (lfp, dir, n_ranks, results, error)))
      {
        json_array_unref (warnings);
        g_clear_pointer (&results, nl_results_unref);
        goto out;
      }
    for (guint i = 0; lfp && i < nl_lfp_plan_get_warnings (lfp)->len; i++)
      json_array_add_string_element (warnings, nl_lfp_plan_get_warnings (lfp)->pdata[i]);
    meta = nl_results_get_meta (results);
    json_object_set_string_member (meta, "netloom_version", NL_VERSION);
    nrn_version = nl_neuron_version (NULL);
    if (nrn_version)
      json_object_set_string_member (meta, "neuron_version", nrn_version);
    else
      json_object_set_null_member (meta, "neuron_version");
    json_object_set_int_member (meta, "ranks", n_ranks);
    json_object_set_string_member (meta, "placement", nl_placement_name (map.kind));
    {
      JsonArray *rc = json_array_sized_new (n_ranks);
      for (guint r = 0; r < n_ranks; r++)
        json_array_add_double_element (rc, map.rank_costs[r]);
      json_object_set_array_member (meta, "rank_costs", rc);
    }
    if (seeds)
      {
        g_autoptr(JsonNode) n = json_node_new (JSON_NODE_OBJECT);
        json_node_set_object (n, seeds);
        json_object_set_member (meta, "seeds", json_node_copy (n));
      }
    else
      {
        JsonObject *d = json_object_new ();
        json_object_set_double_member (d, "stim", nl_spec_get_double (spec, "simConfig.seeds.stim", 1));
        json_object_set_object_member (meta, "seeds", d);
      }
    json_object_set_double_member (meta, "wall_s", wall);
    json_object_set_double_member (meta, "record_step_ms", plan.step);
    if (lfp)
      {
        NlLfpMethod m = options ? options->lfp_method : NL_LFP_LINE_LFPYKIT;
        json_object_set_string_member (meta, "lfp_method", nl_lfp_method_name (m));
        json_object_set_double_member (meta, "lfp_sigma", options && options->lfp_sigma > 0 ? options->lfp_sigma
                                                                                            : NL_LFP_SIGMA_DEFAULT);
      }
    json_object_set_array_member (meta, "warnings", warnings);
    if (wants_stim_record (spec) && !read_stims (net, dir, n_ranks, meta, error))
      {
        g_clear_pointer (&results, nl_results_unref);
        goto out;
      }
  }

out:
  return results;
}

NlResults *
nl_run_full (NlSpec *spec, NlNetwork *net, const NlRunOptions *options, GError **error)
{
  RunDone d;
  NlRunResult sp = { 0 };
  NlResults *results = NULL;

  if (!run_neuron (spec, net, options, &d, error))
    return NULL;
  if (read_spikes (d.dir, d.n_ranks, &sp, error) && (results = collect_rest (spec, net, options, &d, error)))
    nl_results_set_spikes (results, sp.spike_t, sp.spike_gid, sp.n_spikes);
  else
    {
      g_free (sp.spike_t);
      g_free (sp.spike_gid);
    }
  run_done_clear (&d);
  return results;
}

/* ---- Spikes merged from the ranks' files straight to a sink ----
 *
 * Each rank's spikes_<r>.bin (count, times, gids, as doubles) is a sorted run when its
 * spikes are in (time, gid) order, which a first pass over it in blocks checks; a rank whose
 * spikes are not (NEURON records in detection order) is cut into blocks, each sorted and
 * written to spikes_sorted.tmp in the run folder as a run of its own. The runs are merged
 * with a binary heap, each read through a small buffer, so memory is bounded by the number
 * of runs, not of spikes. */

#define MERGE_BLOCK   (1u << 20)   /* spikes sorted at once for an unsorted rank */
#define MERGE_BUF     (1u << 14)   /* spikes buffered per run */
#define MERGE_OUT     (1u << 16)   /* spikes handed to the sink at once */

typedef struct {
  int      fd;
  gboolean packed;     /* Spike records (spikes_sorted.tmp), or a rank file's two columns */
  guint64  at, end;    /* spikes: next to read, end */
  guint64  count;      /* the rank file's spike count (where its gid column starts) */
  Spike   *buf;
  guint    len, pos;
} MergeRun;

static gboolean
pread_all (int fd, void *buf, gsize len, guint64 off)
{
  guint8 *p = buf;
  while (len > 0)
    {
      gssize n = pread (fd, p, len, (off_t) off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
      off += (guint64) n;
    }
  return TRUE;
}

/* Spikes [first, first + n) of a rank file. */
static gboolean
read_rank_block (int fd, guint64 count, guint64 first, guint n, Spike *out, double *tmp)
{
  if (!pread_all (fd, tmp, n * sizeof (double), 8 * (1 + first))
      || !pread_all (fd, tmp + n, n * sizeof (double), 8 * (1 + count + first)))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      out[i].t = tmp[i];
      out[i].gid = (guint32) tmp[n + i];
    }
  return TRUE;
}

static gboolean
run_fill (MergeRun *r, double *tmp)
{
  guint n = (guint) MIN ((guint64) MERGE_BUF, r->end - r->at);
  gboolean ok = r->packed ? pread_all (r->fd, r->buf, n * sizeof (Spike), r->at * sizeof (Spike))
                          : read_rank_block (r->fd, r->count, r->at, n, r->buf, tmp);
  r->at += n;
  r->len = n;
  r->pos = 0;
  return ok;
}

static inline gboolean
spike_less (const Spike *a, const Spike *b)
{
  return a->t < b->t || (a->t == b->t && a->gid < b->gid);
}

static void
heap_down (MergeRun **h, guint n, guint i)
{
  for (;;)
    {
      guint l = 2 * i + 1, m = i;
      if (l < n && spike_less (&h[l]->buf[h[l]->pos], &h[m]->buf[h[m]->pos]))
        m = l;
      if (l + 1 < n && spike_less (&h[l + 1]->buf[h[l + 1]->pos], &h[m]->buf[h[m]->pos]))
        m = l + 1;
      if (m == i)
        return;
      MergeRun *x = h[i];
      h[i] = h[m];
      h[m] = x;
      i = m;
    }
}

gboolean
nl_run_merge_spikes (const char *dir, guint n_ranks, NlRunSpikeSink sink, gpointer sink_data, GError **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new ();
  g_autofree int *fds = g_new (int, n_ranks);
  g_autofree char *sorted_path = g_build_filename (dir, "spikes_sorted.tmp", NULL);
  g_autofree double *tmp = g_new (double, 2 * (gsize) MERGE_BLOCK);
  g_autofree Spike *block = NULL;
  guint64 block_len = 0;
  g_autofree double *out_t = g_new (double, MERGE_OUT);
  g_autofree guint32 *out_g = g_new (guint32, MERGE_OUT);
  int sorted_fd = -1;
  guint64 sorted_n = 0;
  gboolean ok = TRUE;

  for (guint r = 0; r < n_ranks; r++)
    fds[r] = -1;
  for (guint r = 0; r < n_ranks && ok; r++)
    {
      g_autofree char *n = g_strdup_printf ("spikes_%u.bin", r);
      g_autofree char *p = g_build_filename (dir, n, NULL);
      GStatBuf st;
      double cnt;
      guint64 count;
      gboolean sorted = TRUE;
      Spike last = { -INFINITY, 0 };

      fds[r] = g_open (p, O_RDONLY, 0);
      if (fds[r] < 0 || fstat (fds[r], &st) != 0)
        {
          int e = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "Failed to open file “%s”: %s", p,
                       g_strerror (e));
          ok = FALSE;
          break;
        }
      if (st.st_size < (goffset) sizeof (double) || !pread_all (fds[r], &cnt, sizeof cnt, 0)
          || cnt < 0 || cnt > 1e12 || (guint64) st.st_size != sizeof (double) * (1 + 2 * (guint64) cnt))
        {
          g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: malformed spike file", p);
          ok = FALSE;
          break;
        }
      count = (guint64) cnt;
      if (count > block_len)
        {
          block_len = MIN (count, (guint64) MERGE_BLOCK);
          block = g_renew (Spike, block, block_len);
        }
      for (guint64 first = 0; first < count && sorted; first += MERGE_BLOCK)
        {
          guint m = (guint) MIN ((guint64) MERGE_BLOCK, count - first);
          if (!(ok = read_rank_block (fds[r], count, first, m, block, tmp)))
            break;
          for (guint i = 0; i < m && sorted; i++)
            {
              sorted = !spike_less (&block[i], &last);
              last = block[i];
            }
        }
      if (ok && sorted && count > 0)
        {
          MergeRun *run = g_new0 (MergeRun, 1);
          *run = (MergeRun) { fds[r], FALSE, 0, count, count, NULL, 0, 0 };
          g_ptr_array_add (runs, run);
        }
      else if (ok && count > 0)
        {
          /* Not in order: sorted blocks, each a run. */
          if (sorted_fd < 0)
            sorted_fd = g_open (sorted_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
          if (sorted_fd < 0)
            ok = FALSE;
          for (guint64 first = 0; first < count && ok; first += MERGE_BLOCK)
            {
              guint m = (guint) MIN ((guint64) MERGE_BLOCK, count - first);
              ok = read_rank_block (fds[r], count, first, m, block, tmp);
              if (!ok)
                break;
              qsort (block, m, sizeof (Spike), spike_cmp);
              for (gsize done = 0; ok && done < m * sizeof (Spike);)
                {
                  gssize w = pwrite (sorted_fd, (guint8 *) block + done, m * sizeof (Spike) - done,
                                     (off_t) ((sorted_n * sizeof (Spike)) + done));
                  if (w < 0 && errno == EINTR)
                    continue;
                  ok = w > 0;
                  done += w > 0 ? (gsize) w : 0;
                }
              MergeRun *run = g_new0 (MergeRun, 1);
              *run = (MergeRun) { sorted_fd, TRUE, sorted_n, sorted_n + m, 0, NULL, 0, 0 };
              g_ptr_array_add (runs, run);
              sorted_n += m;
            }
          if (!ok)
            g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: cannot sort the spikes of %s "
                         "(reading it or writing %s failed)", dir, n, sorted_path);
        }
      else if (!ok)
        g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: cannot read the spike file", p);
    }
  g_clear_pointer (&block, g_free);

  /* The merge. */
  if (ok)
    {
      guint nh = 0;
      guint64 n_out = 0;
      g_autofree MergeRun **heap = g_new (MergeRun *, MAX (runs->len, 1));
      for (guint i = 0; i < runs->len && ok; i++)
        {
          MergeRun *run = runs->pdata[i];
          run->buf = g_new (Spike, MERGE_BUF);
          ok = run_fill (run, tmp);
          heap[nh++] = run;
        }
      for (guint i = nh / 2; ok && i-- > 0;)
        heap_down (heap, nh, i);
      while (ok && nh > 0)
        {
          MergeRun *top = heap[0];
          const Spike *s = &top->buf[top->pos++];
          out_t[n_out] = s->t;
          out_g[n_out] = s->gid;
          if (++n_out == MERGE_OUT)
            {
              ok = sink (out_t, out_g, n_out, sink_data, error);
              n_out = 0;
            }
          if (top->pos == top->len)
            {
              if (top->at < top->end)
                {
                  if (!run_fill (top, tmp))
                    {
                      g_set_error (error, NL_RUN_ERROR, NL_RUN_ERROR_NEURON, "%s: cannot read the spike files", dir);
                      ok = FALSE;
                    }
                }
              else
                heap[0] = heap[--nh];
            }
          if (nh > 0)
            heap_down (heap, nh, 0);
        }
      if (ok && n_out > 0)
        ok = sink (out_t, out_g, n_out, sink_data, error);
    }
  for (guint i = 0; i < runs->len; i++)
    {
      MergeRun *run = runs->pdata[i];
      g_free (run->buf);
      g_free (run);
    }
  for (guint r = 0; r < n_ranks; r++)
    if (fds[r] >= 0)
      close (fds[r]);
  if (sorted_fd >= 0)
    {
      close (sorted_fd);
      g_unlink (sorted_path);
    }
  return ok;
}

NlResults *
nl_run_streamed (NlSpec             *spec,
                 NlNetwork          *net,
                 const NlRunOptions *options,
                 NlRunSpikeSink      sink,
                 gpointer            sink_data,
                 GError            **error)
{
  RunDone d;
  NlResults *rest = NULL;

  g_return_val_if_fail (sink != NULL, NULL);
  if (!run_neuron (spec, net, options, &d, error))
    return NULL;
  rest = collect_rest (spec, net, options, &d, error);
  if (rest && !nl_run_merge_spikes (d.dir, d.n_ranks, sink, sink_data, error))
    g_clear_pointer (&rest, nl_results_unref);
  run_done_clear (&d);
  return rest;
}
