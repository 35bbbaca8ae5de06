/* nl-application.h — the workbench application: single instance, opens files into windows. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NL_TYPE_APPLICATION (nl_application_get_type ())
G_DECLARE_FINAL_TYPE (NlApplication, nl_application, NL, APPLICATION, AdwApplication)

NlApplication *nl_application_new (void);

G_END_DECLS
