/* nl-problem.h — what `check` reports: every problem with where and what to do. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  NL_SEVERITY_ERROR,
  NL_SEVERITY_WARNING,
  NL_SEVERITY_NOTE,
} NlSeverity;

typedef struct {
  NlSeverity severity;
  char      *file;        /* may be NULL */
  char      *path;        /* key path: "popParams.E2.numcells", "simConfig.dt" */
  int        line;        /* 1-based, 0 when unknown */
  int        column;
  char      *message;
  char      *suggestion;  /* a replacement key or name, may be NULL */
} NlProblem;

void        nl_problem_free        (NlProblem  *problem);

/* A list of NlProblem*, owning them. */
GPtrArray  *nl_problems_new        (void);
NlProblem  *nl_problems_add        (GPtrArray  *problems,
                                    NlSeverity  severity,
                                    const char *path,
                                    const char *suggestion,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (5, 6);
guint       nl_problems_count      (GPtrArray  *problems,
                                    NlSeverity  severity);
/* Stable order for output: by file, line, then path. */
void        nl_problems_sort       (GPtrArray  *problems);

const char *nl_severity_to_string  (NlSeverity  severity);
/* "file:line:col: error: path: message (did you mean 'x'?)" */
char       *nl_problem_to_string   (const NlProblem *problem);
/* The `check --json` document of CONTRACTS.md. */
JsonNode   *nl_problems_to_json    (GPtrArray  *problems);

G_END_DECLS
