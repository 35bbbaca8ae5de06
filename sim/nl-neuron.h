/* nl-neuron.h — finding NEURON and asking what it is. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $NETLOOM_NRNIV, else the nrniv found when NetLoom was configured, else nrniv on PATH. */
char   *nl_neuron_find_nrniv (void);
/* "8.2.2" from `nrniv --version`; NULL with error when NEURON cannot be run. */
char   *nl_neuron_version    (GError **error);

G_END_DECLS
