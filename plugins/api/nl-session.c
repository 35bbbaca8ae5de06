/* nl-session.c — see nl-session.h. */
#include "nl-session.h"

#include <nl-build.h>
#include <nl-format.h>
#include <nl-h5.h>
#include <nl-problem.h>
#include <nl-results-read.h>

struct _NlSession {
  GObject    parent_instance;
  NlSpec    *spec;
  NlNetwork *network;
  NlResults *results;
  GFile     *model_file;
  GFile     *results_file;
};

G_DEFINE_FINAL_TYPE (NlSession, nl_session, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
nl_session_finalize (GObject *object)
{
  NlSession *self = NL_SESSION (object);

  g_clear_object (&self->spec);
  g_clear_pointer (&self->network, nl_network_unref);
  g_clear_pointer (&self->results, nl_results_unref);
  g_clear_object (&self->model_file);
  g_clear_object (&self->results_file);
  G_OBJECT_CLASS (nl_session_parent_class)->finalize (object);
}

static void
nl_session_class_init (NlSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = nl_session_finalize;
  /* changed (NlSessionParts what) */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
nl_session_init (NlSession *self)
{
}

NlSession *
nl_session_new (void)
{
  return g_object_new (NL_TYPE_SESSION, NULL);
}

NlSpec *
nl_session_get_spec (NlSession *self)
{
  return self->spec;
}

NlNetwork *
nl_session_get_network (NlSession *self)
{
  return self->network;
}

NlResults *
nl_session_get_results (NlSession *self)
{
  return self->results;
}

GFile *
nl_session_get_model_file (NlSession *self)
{
  return self->model_file;
}

GFile *
nl_session_get_results_file (NlSession *self)
{
  return self->results_file;
}

char *
nl_session_dup_title (NlSession *self)
{
  GFile *f = self->results_file ? self->results_file : self->model_file;
  return f ? g_file_get_basename (f) : NULL;
}

void
nl_session_set_model (NlSession *self, NlSpec *spec, NlNetwork *network, GFile *file)
{
  g_set_object (&self->spec, spec);
  g_clear_pointer (&self->network, nl_network_unref);
  self->network = network ? nl_network_ref (network) : NULL;
  g_set_object (&self->model_file, file);
  g_signal_emit (self, signals[CHANGED], 0, (guint) (NL_SESSION_SPEC | NL_SESSION_NETWORK));
}

void
nl_session_set_network (NlSession *self, NlNetwork *network)
{
  g_clear_pointer (&self->network, nl_network_unref);
  self->network = network ? nl_network_ref (network) : NULL;
  g_signal_emit (self, signals[CHANGED], 0, (guint) NL_SESSION_NETWORK);
}

void
nl_session_set_results (NlSession *self, NlResults *results, GFile *file)
{
  g_clear_pointer (&self->results, nl_results_unref);
  self->results = results ? nl_results_ref (results) : NULL;
  g_set_object (&self->results_file, file);
  g_signal_emit (self, signals[CHANGED], 0, (guint) NL_SESSION_RESULTS);
}

/* What a worker thread read. */
typedef struct {
  GFile     *file;
  NlSpec    *spec;
  NlNetwork *network;
  NlResults *results;
} Loaded;

static void
loaded_free (gpointer p)
{
  Loaded *l = p;
  g_clear_object (&l->file);
  g_clear_object (&l->spec);
  g_clear_pointer (&l->network, nl_network_unref);
  g_clear_pointer (&l->results, nl_results_unref);
  g_free (l);
}

/* A model that validates, with its network; NULL with the first error otherwise. `text` is
 * the model's JSON when it comes from inside another file (NetLoom's .h5), else NULL. */
static gboolean
load_model (const char *path, const char *text, Loaded *l, GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) problems = nl_problems_new ();
  const char *files[1] = { path };
  NlBuildOptions opt = { 0 };

  l->spec = text ? nl_spec_load_from_data (text, -1, problems, error) : nl_spec_load (files, 1, problems, error);
  if (!l->spec)
    return FALSE;
  if (nl_spec_validate (l->spec, problems) > 0)
    {
      nl_problems_sort (problems);
      for (guint i = 0; i < problems->len; i++)
        {
          NlProblem *p = problems->pdata[i];
          if (p->severity == NL_SEVERITY_ERROR)
            {
              g_autofree char *line = nl_problem_to_string (p);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", line);
              break;
            }
        }
      g_clear_object (&l->spec);
      return FALSE;
    }
  opt.cancellable = cancellable;
  l->network = nl_build_network (l->spec, &opt, problems, error);
  if (!l->network)
    {
      g_clear_object (&l->spec);
      return FALSE;
    }
  return TRUE;
}

static Loaded *
open_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  Loaded *l = g_new0 (Loaded, 1);
  g_autoptr(GError) results_error = NULL;
  g_autoptr(GError) model_error = NULL;
  NlFormat format;

  l->file = g_object_ref (file);
  if (!path)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: only local files can be opened",
                   g_file_peek_path (file));
      loaded_free (l);
      return NULL;
    }
  format = nl_format_detect_file (path, error);
  if (format == NL_FORMAT_UNKNOWN && error && *error)
    {
      loaded_free (l);
      return NULL;
    }
  l->results = nl_results_read (path, &results_error);
  if (format == NL_FORMAT_JSON || format == NL_FORMAT_JSON_GZ)
    {
      /* A NetPyNE saveData file also carries its model; a model file has no results. */
      if (!load_model (path, NULL, l, cancellable, &model_error) && l->results == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&model_error));
          loaded_free (l);
          return NULL;
        }
    }
  if (format == NL_FORMAT_NETLOOM_H5 && l->results)
    {
      /* NetLoom's own file keeps the model it came from. */
      g_autoptr(NlH5File) f = nl_h5_open (path, NULL);
      g_autofree char *spec = f ? nl_h5_read_spec_json (f, NULL) : NULL;
      if (spec)
        load_model (path, spec, l, cancellable, NULL);
    }
  if (l->results == NULL && l->spec == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&results_error));
      loaded_free (l);
      return NULL;
    }
  return l;
}

static void
open_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  Loaded *l = open_file (data, cancellable, &error);

  if (l)
    g_task_return_pointer (task, l, loaded_free);
  else
    g_task_return_error (task, error);
}

static void
apply (NlSession *self, Loaded *l)
{
  NlSessionParts parts = 0;

  if (l->spec)
    {
      g_set_object (&self->spec, l->spec);
      g_clear_pointer (&self->network, nl_network_unref);
      self->network = l->network ? nl_network_ref (l->network) : NULL;
      g_set_object (&self->model_file, l->file);
      parts |= NL_SESSION_SPEC | NL_SESSION_NETWORK;
    }
  if (l->results)
    {
      g_clear_pointer (&self->results, nl_results_unref);
      self->results = nl_results_ref (l->results);
      g_set_object (&self->results_file, l->file);
      parts |= NL_SESSION_RESULTS;
    }
  g_signal_emit (self, signals[CHANGED], 0, (guint) parts);
}

void
nl_session_open_async (NlSession *self, GFile *file, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, nl_session_open_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, open_thread);
}

gboolean
nl_session_open_finish (NlSession *self, GAsyncResult *result, GError **error)
{
  Loaded *l = g_task_propagate_pointer (G_TASK (result), error);

  if (!l)
    return FALSE;
  apply (self, l);
  loaded_free (l);
  return TRUE;
}

gboolean
nl_session_open (NlSession *self, GFile *file, GCancellable *cancellable, GError **error)
{
  Loaded *l = open_file (file, cancellable, error);

  if (!l)
    return FALSE;
  apply (self, l);
  loaded_free (l);
  return TRUE;
}
