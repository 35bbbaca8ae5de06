/* nl-testutil.h — finding the source tree, the build tree and ../shared from tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* NETLOOM_SHARED, else ../shared beside the project root; NULL when absent. */
const char *nl_test_shared_dir   (void);
/* A file under the shared folder, or NULL after g_test_skip() when absent. */
char       *nl_test_shared_file  (const char *relative);
/* A file of the source tree. */
char       *nl_test_source_file  (const char *relative);
/* A fresh temporary folder, removed (with its files) at exit. */
const char *nl_test_tmpdir       (void);
/* Runs the netloom CLI with `argv` (NULL-terminated, without the program name); returns
 * its exit status and captures stdout/stderr. */
int         nl_test_run_cli      (const char *const *argv,
                                  char             **out,
                                  char             **err);

G_END_DECLS
