#include "nl-expr.h"
#include "nl-expr-ctx.h"
#include "nl-spec-private.h"
#include "nl-suggest.h"

#include <math.h>
#include <string.h>

/* Validation in two passes: the shape of every value against the schema table, then the
 * references between sections (a synMech named by a rule exists, …). Every problem is
 * collected; nothing stops at the first. */

typedef struct {
  NlSpec     *spec;
  GPtrArray  *problems;
  GPtrArray  *constants;   /* names usable in string functions, for suggestions */
  GHashTable *noted;       /* list-element paths already given a note ("cellsList[].tag") */
} V;

G_GNUC_PRINTF (5, 6) static NlProblem *
report (V *v, NlSeverity sev, const char *path, const char *suggestion, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return nl_problems_add (v->problems, sev, path, suggestion, "%s", msg);
}

/* ---- kinds ------------------------------------------------------------------------ */

static guint
node_kinds (JsonNode *n)
{
  switch (json_node_get_node_type (n))
    {
    case JSON_NODE_NULL: return NL_K_NULL;
    case JSON_NODE_ARRAY: return NL_K_LIST;
    case JSON_NODE_OBJECT: return NL_K_OBJ;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (n))
        {
        case G_TYPE_BOOLEAN: return NL_K_BOOL;
        case G_TYPE_INT64: return NL_K_INT | NL_K_NUM;
        case G_TYPE_DOUBLE:
          {
            double d = json_node_get_double (n);
            return (isfinite (d) && d == floor (d)) ? (NL_K_INT | NL_K_NUM) : NL_K_NUM;
          }
        case G_TYPE_STRING: return NL_K_STR;
        default: return 0;
        }
    default: return 0;
    }
}

static char *
describe_kinds (guint kinds)
{
  GPtrArray *words = g_ptr_array_new ();
  if (kinds & NL_K_NUM) g_ptr_array_add (words, "a number");
  else if (kinds & NL_K_INT) g_ptr_array_add (words, "a whole number");
  if (kinds & NL_K_FUNC) g_ptr_array_add (words, "a string function");
  else if (kinds & NL_K_STR) g_ptr_array_add (words, "a name");
  if (kinds & NL_K_BOOL) g_ptr_array_add (words, "true or false");
  if (kinds & NL_K_LIST) g_ptr_array_add (words, "a list");
  if (kinds & NL_K_OBJ) g_ptr_array_add (words, "an object");
  if (kinds & NL_K_NULL) g_ptr_array_add (words, "null");
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      if (i)
        g_string_append (s, i + 1 == words->len ? " or " : ", ");
      g_string_append (s, words->pdata[i]);
    }
  g_ptr_array_free (words, TRUE);
  return g_string_free (s, FALSE);
}

static const char *
describe_node (JsonNode *n)
{
  guint k = node_kinds (n);
  if (k & NL_K_NUM) return "a number";
  if (k & NL_K_STR) return "a string";
  if (k & NL_K_BOOL) return "true/false";
  if (k & NL_K_LIST) return "a list";
  if (k & NL_K_OBJ) return "an object";
  return "null";
}

/* ---- string functions --------------------------------------------------------------- */

static gboolean
const_lookup (const char *name, double *value, gpointer data)
{
  return nl_spec_lookup_constant (data, name, value);
}

static void
check_range (V *v, const NlSchemaKey *key, double d, const char *path)
{
  if (!isfinite (d))
    report (v, NL_SEVERITY_ERROR, path, NULL, "the value is not a finite number");
  else if (d < key->min || d > key->max)
    {
      if (isinf (key->max))
        report (v, NL_SEVERITY_ERROR, path, NULL, "%g is out of range: must be at least %g", d, key->min);
      else if (isinf (key->min))
        report (v, NL_SEVERITY_ERROR, path, NULL, "%g is out of range: must be at most %g", d, key->max);
      else
        report (v, NL_SEVERITY_ERROR, path, NULL, "%g is out of range: must be between %g and %g",
                d, key->min, key->max);
    }
}

static void
check_function (V *v, const NlSchemaKey *key, NlExprCtx ctx, const char *src, const char *path)
{
  g_autoptr(GError) err = NULL;
  int offset = 0;
  NlExpr *e = nl_expr_compile_full (src, nl_expr_ctx_vars (ctx), const_lookup, v->spec,
                                    (const char *const *) v->constants->pdata, &offset, &err);

  if (!e)
    {
      /* The evaluator's messages end with "did you mean 'x'?" when it has a candidate. */
      const char *q = strstr (err->message, "did you mean '");
      g_autofree char *sugg = NULL;
      if (q)
        {
          q += strlen ("did you mean '");
          const char *end = strchr (q, '\'');
          if (end)
            sugg = g_strndup (q, end - q);
        }
      report (v, NL_SEVERITY_ERROR, path, sugg, "string function \"%s\", at character %d: %s (in a %s)",
              src, offset + 1, err->message, nl_expr_ctx_describe (ctx));
      return;
    }
  if (nl_expr_is_constant (e))
    check_range (v, key, nl_expr_eval (e, NULL, NULL), path);
  nl_expr_free (e);
}

static void
check_choice (V *v, const char *choices, const char *value, const char *path)
{
  g_auto(GStrv) allowed = g_strsplit (choices, "|", -1);

  if (g_strv_contains ((const char *const *) allowed, value))
    return;
  const char *sugg = nl_suggest (value, (const char *const *) allowed, -1);
  g_autofree char *list = g_strjoinv (", ", allowed);
  report (v, NL_SEVERITY_ERROR, path, sugg, "'%s' is not one of %s%s%s%s", value, list,
          sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
}

/* ---- the schema walk ----------------------------------------------------------------- */

static void validate_value (V *v, const NlSchemaKey *key, JsonNode *node, GString *path);

/* One note per key of a list of objects, not one per element: 20,000 cellsList entries with
 * the same tag make one note. */
static gboolean
first_in_list (V *v, const char *path)
{
  GString *general;
  gboolean first;

  if (!strchr (path, '['))
    return TRUE;
  general = g_string_new (NULL);
  for (const char *p = path; *p; p++)
    {
      g_string_append_c (general, *p);
      if (*p == '[')
        while (p[1] && p[1] != ']')
          p++;
    }
  first = g_hash_table_add (v->noted, g_string_free (general, FALSE));
  return first;
}

static void
validate_object (V *v, const NlSchemaKey *table, guint flags, JsonObject *obj, GString *path)
{
  JsonObjectIter it;
  const char *name;
  JsonNode *member;
  gsize len = path->len;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (const NlSchemaKey *k = table; k && k->name; k++)
    if (!g_str_equal (k->name, "*"))
      g_ptr_array_add (names, (gpointer) k->name);

  json_object_iter_init_ordered (&it, obj);
  while (json_object_iter_next_ordered (&it, &name, &member))
    {
      const NlSchemaKey *key = table ? nl_schema_find (table, name) : NULL;
      nl_json_path_append_key (path, name);
      if (key)
        validate_value (v, key, member, path);
      else if (flags & NL_SF_FREE)
        ;
      else
        {
          const char *sugg = nl_suggest (name, (const char *const *) names->pdata, names->len);
          guint kinds = node_kinds (member);
          gboolean likely_typo = sugg != NULL;

          if (flags & (NL_SF_TAGS | NL_SF_CONSTS))
            /* Tags and constants are the user's own names: only a near-certain typo of a
             * known key (case, or one letter on a long name) is flagged. */
            likely_typo = sugg && (g_ascii_strcasecmp (sugg, name) == 0 ||
                                   (strlen (name) >= 5 && nl_suggest_distance (name, sugg) <= 1));
          if ((flags & NL_SF_CONSTS) && (kinds & (NL_K_NUM | NL_K_BOOL | NL_K_STR)) &&
              !(sugg && g_ascii_strcasecmp (sugg, name) == 0))
            likely_typo = FALSE;

          if (likely_typo)
            report (v, NL_SEVERITY_ERROR, path->str, sugg, "unknown key; did you mean '%s'?", sugg);
          else if ((flags & NL_SF_TAGS) && !first_in_list (v, path->str))
            ;
          else if (flags & NL_SF_TAGS)
            report (v, NL_SEVERITY_NOTE, path->str, NULL, g_str_has_prefix (path->str, "simConfig.") ?
                    "not a NetPyNE key: kept as a user variable" :
                    "not a NetPyNE key: kept as a cell tag (conditions may select on it)");
          else if (flags & NL_SF_CONSTS)
            {
              if (!(kinds & (NL_K_NUM | NL_K_BOOL | NL_K_STR)))
                report (v, NL_SEVERITY_NOTE, path->str, NULL,
                        "not a NetPyNE key: kept unchanged, unused");
            }
          else
            report (v, NL_SEVERITY_WARNING, path->str, NULL,
                    "unknown key: kept in the file but not used%s%s%s",
                    sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
        }
      g_string_truncate (path, len);
    }

  for (const NlSchemaKey *k = table; k && k->name; k++)
    if ((k->flags & NL_SF_REQUIRED) && !json_object_has_member (obj, k->name))
      report (v, NL_SEVERITY_ERROR, path->str, k->name, "missing required key '%s' (%s)",
              k->name, k->doc ? k->doc : "");
}

static void
validate_value (V *v, const NlSchemaKey *key, JsonNode *node, GString *path)
{
  guint kinds = node_kinds (node);
  guint accepted = key->kinds;

  if (accepted & NL_K_FUNC)
    accepted |= NL_K_STR;
  /* Python reads 0/1 as false/true, and NetPyNE configs use them. */
  if ((key->kinds & NL_K_BOOL) && (kinds & NL_K_INT) && !(key->kinds & NL_K_NUM))
    {
      double d = json_node_get_double (node);
      if (d == 0 || d == 1)
        kinds = NL_K_BOOL;
    }
  if (!(kinds & accepted))
    {
      g_autofree char *want = describe_kinds (key->kinds);
      if ((kinds & NL_K_NUM) && (key->kinds & NL_K_INT))
        report (v, NL_SEVERITY_ERROR, path->str, NULL, "expected a whole number, got %g",
                json_node_get_double (node));
      else
        report (v, NL_SEVERITY_ERROR, path->str, NULL, "expected %s, got %s", want, describe_node (node));
      return;
    }

  if (key->flags & NL_SF_DEPRECATED)
    report (v, NL_SEVERITY_WARNING, path->str, NULL, "deprecated in NetPyNE: %s", key->doc ? key->doc : "");
  if (key->flags & NL_SF_UNUSED)
    {
      JsonNode *d = nl_spec_schema_default (v->spec, key);
      if (!d || !json_node_equal (d, node))
        report (v, NL_SEVERITY_NOTE, path->str, NULL,
                "NetLoom does not use this key yet; it is kept and written back unchanged");
    }

  if (kinds & NL_K_NUM)
    check_range (v, key, json_node_get_double (node), path->str);
  else if (kinds & NL_K_STR)
    {
      const char *str = json_node_get_string (node);
      if (key->choices)
        check_choice (v, key->choices, str, path->str);
      /* NetPyNE's one special string: a NetStim rate set while the simulation runs. */
      else if (g_str_equal (str, "variable") && g_str_equal (key->name, "rate"))
        ;
      else if ((key->kinds & NL_K_FUNC) && !(key->kinds & NL_K_STR))
        check_function (v, key, key->ctx, str, path->str);
    }
  else if (kinds & NL_K_LIST)
    {
      JsonArray *a = json_node_get_array (node);
      gsize len = path->len;
      NlSchemaKey elem = *key;

      if (key->flags & NL_SF_FREE)
        return;
      elem.kinds = key->elem_kinds ? key->elem_kinds : NL_K_ANY;
      elem.elem_kinds = 0;
      /* Openness of a list of objects (cellsList entries carry cell tags) holds for each. */
      elem.flags = key->flags & (NL_SF_TAGS | NL_SF_FREE);
      elem.dflt = NULL;
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          nl_json_path_append_index (path, i);
          validate_value (v, &elem, json_array_get_element (a, i), path);
          g_string_truncate (path, len);
        }
    }
  else if (kinds & NL_K_OBJ)
    {
      JsonObject *o = json_node_get_object (node);
      if (key->flags & NL_SF_MAP)
        {
          JsonObjectIter it;
          const char *name;
          JsonNode *member;
          gsize len = path->len;
          if (!key->child)
            return;
          json_object_iter_init_ordered (&it, o);
          while (json_object_iter_next_ordered (&it, &name, &member))
            {
              nl_json_path_append_key (path, name);
              validate_value (v, &key->child[0], member, path);
              g_string_truncate (path, len);
            }
        }
      else if (key->child || !(key->flags & NL_SF_FREE))
        validate_object (v, key->child, key->flags, o, path);
    }
}

/* ---- references between sections ------------------------------------------------------ */

static const char *const artificial_models[] = {
  "NetStim", "VecStim", "IntFire1", "IntFire2", "IntFire4", "PatternStim", NULL
};

static const char *const stim_types[] = {
  "NetStim", "VecStim", "IClamp", "VClamp", "SEClamp", "AlphaSynapse", NULL
};

static JsonObject *
get_obj (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
get_str (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ?
         json_node_get_string (n) : NULL;
}

static GPtrArray *
member_names (JsonObject *o)
{
  GPtrArray *a = g_ptr_array_new ();
  if (o)
    {
      JsonObjectIter it;
      const char *name;
      json_object_iter_init_ordered (&it, o);
      while (json_object_iter_next_ordered (&it, &name, NULL))
        g_ptr_array_add (a, (gpointer) name);
    }
  g_ptr_array_add (a, NULL);
  return a;
}

static gboolean
strv_has (GPtrArray *names, const char *s)
{
  for (guint i = 0; i + 1 < names->len; i++)
    if (g_str_equal (names->pdata[i], s))
      return TRUE;
  return FALSE;
}

/* A name (or each name of a list) at `key` of `o` must be one of `names`. */
static void
check_names (V *v, JsonObject *o, const char *key, GPtrArray *names, const char *what,
             const char *path, NlSeverity sev)
{
  JsonNode *n = json_object_get_member (o, key);
  g_autofree char *p = g_strconcat (path, ".", key, NULL);

  if (!n)
    return;
  if (JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          const char *s = JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING ?
                          json_node_get_string (e) : NULL;
          if (s && !strv_has (names, s))
            {
              const char *sugg = nl_suggest (s, (const char *const *) names->pdata, -1);
              g_autofree char *pi = g_strdup_printf ("%s[%u]", p, i);
              report (v, sev, pi, sugg, "no %s named '%s'%s%s%s", what, s,
                      sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
            }
        }
      return;
    }
  const char *s = get_str (o, key);
  if (s && !strv_has (names, s))
    {
      const char *sugg = nl_suggest (s, (const char *const *) names->pdata, -1);
      report (v, sev, p, sugg, "no %s named '%s'%s%s%s", what, s,
              sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
    }
}

static guint
list_len (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_array_get_length (json_node_get_array (n)) : 0;
}

/* connList decides the rule only when no probability, convergence or divergence is given. */
static gboolean
first_is_not_list (JsonObject *r)
{
  return json_object_has_member (r, "probability") || json_object_has_member (r, "convergence") ||
         json_object_has_member (r, "divergence");
}

static void
check_cell_params (V *v, JsonObject *cell_params)
{
  JsonObjectIter it;
  const char *label;
  JsonNode *rule;

  json_object_iter_init_ordered (&it, cell_params);
  while (json_object_iter_next_ordered (&it, &label, &rule))
    {
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (rule) ? json_node_get_object (rule) : NULL;
      JsonObject *secs = get_obj (r, "secs");
      g_autoptr(GPtrArray) sec_names = member_names (secs);
      JsonObject *sec_lists = get_obj (r, "secLists");
      JsonObjectIter sit;
      const char *sname;
      JsonNode *snode;

      if (!secs)
        continue;
      json_object_iter_init_ordered (&sit, secs);
      while (json_object_iter_next_ordered (&sit, &sname, &snode))
        {
          JsonObject *topol = get_obj (JSON_NODE_HOLDS_OBJECT (snode) ? json_node_get_object (snode) : NULL, "topol");
          g_autofree char *path = g_strdup_printf ("cellParams.%s.secs.%s.topol", label, sname);
          if (topol)
            check_names (v, topol, "parentSec", sec_names, "section", path, NL_SEVERITY_ERROR);
        }
      /* A section tree has no cycles: follow each section's parents at most n steps. */
      {
        guint n = json_object_get_size (secs);
        json_object_iter_init_ordered (&sit, secs);
        while (json_object_iter_next_ordered (&sit, &sname, &snode))
          {
            const char *cur = sname;
            guint steps = 0;
            while (cur && steps <= n)
              {
                JsonNode *cn = json_object_get_member (secs, cur);
                JsonObject *topol = get_obj (cn && JSON_NODE_HOLDS_OBJECT (cn) ? json_node_get_object (cn) : NULL, "topol");
                cur = get_str (topol, "parentSec");
                if (cur && !json_object_has_member (secs, cur))
                  cur = NULL;
                steps++;
              }
            if (cur)
              {
                g_autofree char *path = g_strdup_printf ("cellParams.%s.secs.%s.topol.parentSec", label, sname);
                report (v, NL_SEVERITY_ERROR, path, NULL,
                        "the sections' parents form a loop; a cell is a tree with one root (e.g. soma)");
                break;
              }
          }
      }
      if (sec_lists)
        {
          JsonObjectIter lit;
          const char *lname;
          json_object_iter_init_ordered (&lit, sec_lists);
          while (json_object_iter_next_ordered (&lit, &lname, NULL))
            {
              g_autofree char *path = g_strdup_printf ("cellParams.%s.secLists", label);
              check_names (v, sec_lists, lname, sec_names, "section", path, NL_SEVERITY_ERROR);
            }
        }
    }
}

typedef struct {
  GPtrArray *pops, *cell_rules, *syn_mechs, *stim_sources, *cell_types, *sec_names;
} Names;

static void
check_conds (V *v, JsonObject *rule, const char *cond_key, Names *nm, const char *path)
{
  JsonObject *conds = get_obj (rule, cond_key);
  g_autofree char *p = g_strconcat (path, ".", cond_key, NULL);
  if (!conds)
    return;
  if (!g_str_equal (cond_key, "conds") && json_object_has_member (conds, "cellList"))
    {
      g_autofree char *pc = g_strconcat (p, ".cellList", NULL);
      report (v, NL_SEVERITY_WARNING, pc, NULL,
              "cellList selects cells only in stimTargetParams conds; here NetPyNE matches no cell");
    }
  check_names (v, conds, "pop", nm->pops, "population", p, NL_SEVERITY_WARNING);
  check_names (v, conds, "cellType", nm->cell_types, "population with cellType", p, NL_SEVERITY_WARNING);
}

static void
check_references (V *v)
{
  JsonObject *np = nl_spec_get_net_params (v->spec);
  JsonObject *pops = get_obj (np, "popParams");
  JsonObject *cells = get_obj (np, "cellParams");
  JsonObject *syns = get_obj (np, "synMechParams");
  JsonObject *sources = get_obj (np, "stimSourceParams");
  JsonObject *targets = get_obj (np, "stimTargetParams");
  JsonObject *conns = get_obj (np, "connParams");
  JsonObject *subconns = get_obj (np, "subConnParams");
  Names nm;
  JsonObjectIter it;
  const char *label;
  JsonNode *node;

  nm.pops = member_names (pops);
  nm.cell_rules = member_names (cells);
  nm.syn_mechs = member_names (syns);
  nm.stim_sources = member_names (sources);
  nm.cell_types = g_ptr_array_new ();
  nm.sec_names = g_ptr_array_new ();

  /* cellType values used by populations, for conds; and every section name. */
  if (pops)
    {
      json_object_iter_init_ordered (&it, pops);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          const char *ct = get_str (JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, "cellType");
          if (ct && !strv_has (nm.cell_types, ct))
            g_ptr_array_insert (nm.cell_types, nm.cell_types->len, (gpointer) ct);
        }
    }
  g_ptr_array_add (nm.cell_types, NULL);
  if (cells)
    {
      json_object_iter_init_ordered (&it, cells);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autoptr(GPtrArray) s = member_names (get_obj (r, "secs"));
          g_autoptr(GPtrArray) l = member_names (get_obj (r, "secLists"));
          for (guint i = 0; i + 1 < s->len; i++)
            g_ptr_array_add (nm.sec_names, s->pdata[i]);
          for (guint i = 0; i + 1 < l->len; i++)
            g_ptr_array_add (nm.sec_names, l->pdata[i]);
        }
    }
  g_ptr_array_add (nm.sec_names, NULL);

  /* Populations: a size, and a cell model to build. */
  if (pops)
    {
      json_object_iter_init_ordered (&it, pops);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *p = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *path = g_strdup_printf ("popParams.%s", label);
          const char *ct, *cm;
          gboolean has_rule = FALSE;

          if (!p)
            continue;
          if (!json_object_has_member (p, "numCells") && !json_object_has_member (p, "density") &&
              !json_object_has_member (p, "gridSpacing") && !json_object_has_member (p, "cellsList"))
            report (v, NL_SEVERITY_ERROR, path, "numCells",
                    "the population has no size: give numCells, density, gridSpacing or cellsList");

          {
            static const char *const ranges[] = { "xRange", "yRange", "zRange", "xnormRange", "ynormRange", "znormRange" };
            for (guint k = 0; k < G_N_ELEMENTS (ranges); k++)
              {
                JsonNode *rn = json_object_get_member (p, ranges[k]);
                JsonArray *ra = rn && JSON_NODE_HOLDS_ARRAY (rn) ? json_node_get_array (rn) : NULL;
                double lo, hi;
                if (!ra)
                  continue;
                if (json_array_get_length (ra) != 2 || !nl_json_number (json_array_get_element (ra, 0), &lo) ||
                    !nl_json_number (json_array_get_element (ra, 1), &hi) || !(lo <= hi))
                  {
                    g_autofree char *rp = g_strconcat (path, ".", ranges[k], NULL);
                    report (v, NL_SEVERITY_ERROR, rp, NULL, "expected a range [min, max] with min <= max");
                  }
              }
          }
          ct = get_str (p, "cellType");
          cm = get_str (p, "cellModel");
          if (cm && g_strv_contains (artificial_models, cm))
            continue;
          if (ct && cells && json_object_has_member (cells, ct))
            has_rule = TRUE;
          if (!has_rule && cells)
            {
              /* Old-style rules select cells with conds. */
              JsonObjectIter cit;
              JsonNode *rnode;
              const char *rname;
              json_object_iter_init_ordered (&cit, cells);
              while (!has_rule && json_object_iter_next_ordered (&cit, &rname, &rnode))
                {
                  JsonObject *conds = get_obj (JSON_NODE_HOLDS_OBJECT (rnode) ? json_node_get_object (rnode) : NULL, "conds");
                  const char *cct = get_str (conds, "cellType");
                  const char *ccm = get_str (conds, "cellModel");
                  if (conds && (!cct || g_strcmp0 (cct, ct) == 0) && (!ccm || g_strcmp0 (ccm, cm) == 0) && (cct || ccm))
                    has_rule = TRUE;
                }
            }
          if (!has_rule && cm && cells && json_object_has_member (cells, cm))
            has_rule = TRUE;
          if (!has_rule)
            {
              const char *what = ct ? ct : cm;
              const char *sugg = what ? nl_suggest (what, (const char *const *) nm.cell_rules->pdata, -1) : NULL;
              g_autofree char *p2 = g_strconcat (path, ct ? ".cellType" : cm ? ".cellModel" : "", NULL);
              if (!what)
                report (v, NL_SEVERITY_ERROR, path, "cellType",
                        "the population names no cellType or cellModel, so no cell can be built");
              else
                report (v, NL_SEVERITY_ERROR, p2, sugg,
                        "no cellParams rule for '%s' and it is not an artificial cell model (%s)%s%s%s",
                        what, "NetStim, VecStim, IntFire1/2/4",
                        sugg ? "; did you mean '" : "", sugg ? sugg : "", sugg ? "'?" : "");
            }
        }
    }

  if (cells)
    check_cell_params (v, cells);

  /* Connection rules. */
  if (conns)
    {
      json_object_iter_init_ordered (&it, conns);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *path = g_strdup_printf ("connParams.%s", label);
          static const char *const kinds[] = { "probability", "convergence", "divergence", "connList" };
          const char *first = NULL;
          guint n_syn;

          if (!r)
            continue;
          check_names (v, r, "synMech", nm.syn_mechs, "synMechParams entry", path, NL_SEVERITY_ERROR);
          check_names (v, r, "sec", nm.sec_names, "section or secList", path, NL_SEVERITY_WARNING);
          check_conds (v, r, "preConds", &nm, path);
          check_conds (v, r, "postConds", &nm, path);
          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            if (json_object_has_member (r, kinds[k]))
              {
                if (first)
                  {
                    g_autofree char *pk = g_strconcat (path, ".", kinds[k], NULL);
                    report (v, NL_SEVERITY_WARNING, pk, NULL,
                            "ignored: the rule already has '%s', which NetPyNE uses first", first);
                  }
                else
                  first = kinds[k];
              }
          n_syn = list_len (r, "synMech");
          for (guint k = 0; k < 3; k++)
            {
              static const char *const per_syn[] = { "weight", "delay", "loc" };
              guint n = list_len (r, per_syn[k]);
              g_autofree char *pk = g_strconcat (path, ".", per_syn[k], NULL);
              /* With a connList NetPyNE reads a list as one value per listed connection. */
              if (json_object_has_member (r, "connList") && !first_is_not_list (r))
                {
                  guint n_list = list_len (r, "connList");
                  if (n > 1 && n != n_list)
                    report (v, NL_SEVERITY_ERROR, pk, NULL,
                            "a list of %u values for a connList of %u connections; give one value per "
                            "connection", n, n_list);
                }
              else if (n_syn > 0 && n > 0 && n != n_syn && !json_object_has_member (r, "synsPerConn"))
                report (v, NL_SEVERITY_ERROR, pk, NULL,
                        "a list of %u values for %u synMechs; give one value per synMech", n, n_syn);
            }
          if (json_object_has_member (r, "connList"))
            {
              JsonArray *cl = json_node_get_array (json_object_get_member (r, "connList"));
              for (guint i = 0; cl && i < json_array_get_length (cl); i++)
                {
                  JsonNode *pair = json_array_get_element (cl, i);
                  JsonArray *pa = JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL;
                  gboolean ok = pa && json_array_get_length (pa) == 2;
                  for (guint j = 0; ok && j < 2; j++)
                    ok = (node_kinds (json_array_get_element (pa, j)) & NL_K_INT) &&
                         json_array_get_double_element (pa, j) >= 0;
                  if (!ok)
                    {
                      g_autofree char *pk = g_strdup_printf ("%s.connList[%u]", path, i);
                      report (v, NL_SEVERITY_ERROR, pk, NULL,
                              "expected a pair [preIndex, postIndex] of cell indices (whole numbers >= 0)");
                    }
                }
            }
        }
    }

  if (subconns)
    {
      json_object_iter_init_ordered (&it, subconns);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *path = g_strdup_printf ("subConnParams.%s", label);
          if (!r)
            continue;
          check_names (v, r, "groupSynMechs", nm.syn_mechs, "synMechParams entry", path, NL_SEVERITY_ERROR);
          check_names (v, r, "sec", nm.sec_names, "section or secList", path, NL_SEVERITY_WARNING);
          check_conds (v, r, "preConds", &nm, path);
          check_conds (v, r, "postConds", &nm, path);
        }
    }

  if (sources)
    {
      json_object_iter_init_ordered (&it, sources);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          const char *type = get_str (JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL, "type");
          if (type && !g_strv_contains (stim_types, type))
            {
              g_autofree char *path = g_strdup_printf ("stimSourceParams.%s.type", label);
              const char *sugg = nl_suggest (type, stim_types, -1);
              if (sugg)
                report (v, NL_SEVERITY_ERROR, path, sugg, "unknown stimulus type '%s'; did you mean '%s'?",
                        type, sugg);
              else
                report (v, NL_SEVERITY_NOTE, path, NULL,
                        "'%s' is not a built-in stimulus: it must be a point process NEURON knows "
                        "(from --mod-dir)", type);
            }
        }
    }

  if (targets)
    {
      json_object_iter_init_ordered (&it, targets);
      while (json_object_iter_next_ordered (&it, &label, &node))
        {
          JsonObject *r = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          g_autofree char *path = g_strdup_printf ("stimTargetParams.%s", label);
          if (!r)
            continue;
          check_names (v, r, "source", nm.stim_sources, "stimSourceParams entry", path, NL_SEVERITY_ERROR);
          check_names (v, r, "synMech", nm.syn_mechs, "synMechParams entry", path, NL_SEVERITY_ERROR);
          check_names (v, r, "sec", nm.sec_names, "section or secList", path, NL_SEVERITY_WARNING);
          check_conds (v, r, "conds", &nm, path);
        }
    }

  g_ptr_array_free (nm.pops, TRUE);
  g_ptr_array_free (nm.cell_rules, TRUE);
  g_ptr_array_free (nm.syn_mechs, TRUE);
  g_ptr_array_free (nm.stim_sources, TRUE);
  g_ptr_array_free (nm.cell_types, TRUE);
  g_ptr_array_free (nm.sec_names, TRUE);
}

static void
check_sim_config (V *v)
{
  JsonObject *cfg = nl_spec_get_sim_config (v->spec);
  static const char *const positive[] = { "dt", "recordStep" };

  /* The schema's ranges are inclusive (and report negatives); these must not be 0 either. */
  for (guint i = 0; i < G_N_ELEMENTS (positive); i++)
    {
      JsonNode *n = json_object_get_member (cfg, positive[i]);
      if (n && (node_kinds (n) & NL_K_NUM) && json_node_get_double (n) == 0)
        {
          g_autofree char *path = g_strconcat ("simConfig.", positive[i], NULL);
          report (v, NL_SEVERITY_ERROR, path, NULL, "must be greater than 0 ms");
        }
    }
}

static GPtrArray *
constant_names (NlSpec *self)
{
  GPtrArray *names = g_ptr_array_new ();
  JsonObjectIter it;
  const char *name;
  JsonNode *node;
  double d;

  json_object_iter_init_ordered (&it, nl_spec_get_net_params (self));
  while (json_object_iter_next_ordered (&it, &name, &node))
    if (nl_spec_lookup_constant (self, name, &d))
      g_ptr_array_add (names, (gpointer) name);
  for (const NlSchemaKey *k = nl_schema_net_params; k->name; k++)
    if (nl_spec_lookup_constant (self, k->name, &d) && !g_ptr_array_find_with_equal_func (names, k->name, g_str_equal, NULL))
      g_ptr_array_add (names, (gpointer) k->name);
  g_ptr_array_add (names, NULL);
  return names;
}

guint
nl_spec_validate (NlSpec    *self,
                  GPtrArray *problems)
{
  V v = { self, problems, constant_names (self), g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  g_autoptr(GString) path = g_string_new (NULL);
  guint first = problems->len;

  g_return_val_if_fail (NL_IS_SPEC (self), 0);

  validate_object (&v, nl_schema_net_params, NL_SF_CONSTS, nl_spec_get_net_params (self), path);
  g_string_assign (path, "simConfig");
  /* NetPyNE saves the user's own cfg variables in simConfig too: only near-certain typos of
   * known keys are errors there. */
  validate_object (&v, nl_schema_sim_config, NL_SF_TAGS, nl_spec_get_sim_config (self), path);
  check_references (&v);
  check_sim_config (&v);
  nl_spec_locate_problems (self, problems, first);
  g_ptr_array_free (v.constants, TRUE);
  g_hash_table_unref (v.noted);
  return nl_problems_count (problems, NL_SEVERITY_ERROR);
}

static char *
full_path (NlSpec *self, const NlProblem *p, NlJsonDoc **doc)
{
  if (g_str_has_prefix (p->path, "simConfig"))
    {
      *doc = self->cfg_doc;
      return g_strdup (p->path);
    }
  *doc = self->net_doc;
  return *p->path ? g_strconcat (self->net_prefix, ".", p->path, NULL) : g_strdup (self->net_prefix);
}

/* Every prefix of a path ("a.b[2].c" → "a.b[2].c", "a.b[2]", "a.b", "a"), longest first. */
static GPtrArray *
path_prefixes (const char *path)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *p = g_strdup (path);
  while (TRUE)
    {
      g_ptr_array_add (out, g_strdup (p));
      char *dot = strrchr (p, '.'), *br = strrchr (p, '[');
      char *cut = MAX (dot, br);
      if (!cut)
        break;
      *cut = '\0';
    }
  return out;
}

void
nl_spec_locate_problems (NlSpec    *self,
                         GPtrArray *problems,
                         guint      first)
{
  /* One walk per document for all problems (a model with thousands of notes must not walk
   * its text thousands of times); a missing key points at its nearest parent. */
  for (int d = 0; d < 2; d++)
    {
      NlJsonDoc *want_doc = d == 0 ? self->net_doc : self->cfg_doc;
      g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GPtrArray) mine = g_ptr_array_new ();   /* problems of this document */
      g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

      if (!want_doc)
        continue;
      for (guint i = first; i < problems->len; i++)
        {
          NlProblem *p = problems->pdata[i];
          NlJsonDoc *doc;
          if (p->file || !p->path)
            continue;
          g_autofree char *full = full_path (self, p, &doc);
          if (doc != want_doc)
            continue;
          GPtrArray *pre = path_prefixes (full);
          for (guint k = 0; k < pre->len; k++)
            if (!g_hash_table_contains (paths, pre->pdata[k]))
              g_hash_table_insert (paths, g_strdup (pre->pdata[k]), g_new0 (NlJsonPos, 1));
          g_ptr_array_add (mine, p);
          g_ptr_array_add (prefixes, pre);
        }
      nl_json_doc_locate_many (want_doc, paths);
      for (guint i = 0; i < mine->len; i++)
        {
          NlProblem *p = mine->pdata[i];
          GPtrArray *pre = prefixes->pdata[i];
          p->file = g_strdup (nl_json_doc_get_filename (want_doc));
          for (guint k = 0; k < pre->len; k++)
            {
              NlJsonPos *pos = g_hash_table_lookup (paths, pre->pdata[k]);
              if (pos && pos->line > 0)
                {
                  p->line = pos->line;
                  p->column = pos->column;
                  break;
                }
            }
        }
    }
}
