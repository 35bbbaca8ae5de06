#include "nl-problem.h"

void
nl_problem_free (NlProblem *problem)
{
  if (!problem)
    return;
  g_free (problem->file);
  g_free (problem->path);
  g_free (problem->message);
  g_free (problem->suggestion);
  g_free (problem);
}

GPtrArray *
nl_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) nl_problem_free);
}

NlProblem *
nl_problems_add (GPtrArray  *problems,
                 NlSeverity  severity,
                 const char *path,
                 const char *suggestion,
                 const char *format,
                 ...)
{
  NlProblem *p = g_new0 (NlProblem, 1);
  va_list ap;

  p->severity = severity;
  p->path = g_strdup (path);
  p->suggestion = g_strdup (suggestion);
  va_start (ap, format);
  p->message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (problems, p);
  return p;
}

guint
nl_problems_count (GPtrArray  *problems,
                   NlSeverity  severity)
{
  guint n = 0;
  for (guint i = 0; i < problems->len; i++)
    n += ((NlProblem *) problems->pdata[i])->severity == severity;
  return n;
}

static int
compare_problems (gconstpointer a, gconstpointer b)
{
  const NlProblem *p = *(NlProblem **) a, *q = *(NlProblem **) b;
  int c = g_strcmp0 (p->file, q->file);
  if (c)
    return c;
  /* Problems without a position go last in their file. */
  int lp = p->line ? p->line : G_MAXINT, lq = q->line ? q->line : G_MAXINT;
  if (lp != lq)
    return lp < lq ? -1 : 1;
  if (p->column != q->column)
    return p->column < q->column ? -1 : 1;
  return g_strcmp0 (p->path, q->path);
}

void
nl_problems_sort (GPtrArray *problems)
{
  g_ptr_array_sort (problems, compare_problems);
}

const char *
nl_severity_to_string (NlSeverity severity)
{
  switch (severity)
    {
    case NL_SEVERITY_ERROR: return "error";
    case NL_SEVERITY_WARNING: return "warning";
    case NL_SEVERITY_NOTE: return "note";
    default: g_return_val_if_reached ("error");
    }
}

char *
nl_problem_to_string (const NlProblem *p)
{
  GString *s = g_string_new (NULL);

  if (p->file)
    {
      g_string_append (s, p->file);
      if (p->line > 0)
        g_string_append_printf (s, ":%d:%d", p->line, p->column);
      g_string_append (s, ": ");
    }
  g_string_append_printf (s, "%s: ", nl_severity_to_string (p->severity));
  if (p->path && *p->path)
    g_string_append_printf (s, "%s: ", p->path);
  g_string_append (s, p->message);
  return g_string_free (s, FALSE);
}

JsonNode *
nl_problems_to_json (GPtrArray *problems)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, nl_problems_count (problems, NL_SEVERITY_ERROR) == 0);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (guint i = 0; i < problems->len; i++)
    {
      const NlProblem *p = problems->pdata[i];
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, nl_severity_to_string (p->severity));
      json_builder_set_member_name (b, "file");
      if (p->file)
        json_builder_add_string_value (b, p->file);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, p->path ? p->path : "");
      json_builder_set_member_name (b, "line");
      if (p->line > 0)
        json_builder_add_int_value (b, p->line);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "column");
      if (p->line > 0)
        json_builder_add_int_value (b, p->column);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, p->message);
      json_builder_set_member_name (b, "suggestion");
      if (p->suggestion)
        json_builder_add_string_value (b, p->suggestion);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
