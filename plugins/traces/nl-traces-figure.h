/* nl-traces-figure.h — recorded traces (V_soma, synaptic currents …) against time: one
 * panel per trace name, stacked with a shared time axis, one line per recorded cell.
 *
 * Up to 10 cells get a colour each and a legend entry "cell 4 (E)"; more are coloured by
 * population with one entry per population. The y label is the trace name with its unit
 * guessed from NEURON's naming (V… → mV, i… → nA, g… → µS).
 */
#pragma once

#include <nl-results.h>

#include "nl-figure.h"

G_BEGIN_DECLS

typedef struct {
  NlFigureOptions    base;     /* pops and gids choose cells, t_start/t_stop the window */
  const char *const *traces;   /* NULL-terminated trace names, NULL: all */
} NlTracesOptions;

/* NULL with an error when the results have no traces, a named trace is missing, or no
 * recorded cell is chosen. */
NlFigure *nl_traces_figure_new (NlResults             *results,
                                const NlTracesOptions *options,
                                GError               **error);

G_END_DECLS
