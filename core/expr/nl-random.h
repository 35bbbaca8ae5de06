/* nl-random.h — the distributions of NEURON's Random class, drawn from an
 * NlRng stream.
 *
 * NetPyNE string functions call NEURON's h.Random methods by name
 * (uniform, normal, …) and NEURON defines what their arguments mean; those
 * meanings are not always the textbook ones (normal takes a variance,
 * hypergeo is not a hypergeometric distribution), so each function below
 * says which parameterisation it follows.  Arguments outside the domain
 * NEURON accepts give NAN rather than an error or an endless loop.
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>
#include "nl-rng.h"

G_BEGIN_DECLS

double nl_random_uniform   (NlRng *r, double low, double high);
double nl_random_normal    (NlRng *r, double mean, double variance);
double nl_random_lognormal (NlRng *r, double mean, double variance);
double nl_random_negexp    (NlRng *r, double mean);
double nl_random_poisson   (NlRng *r, double mean);
double nl_random_binomial  (NlRng *r, double n, double p);
double nl_random_discunif  (NlRng *r, double low, double high);
double nl_random_erlang    (NlRng *r, double mean, double variance);
double nl_random_geometric (NlRng *r, double mean);
double nl_random_hypergeo  (NlRng *r, double mean, double variance);
double nl_random_weibull   (NlRng *r, double alpha, double beta);

/* Lets GSL's samplers (gsl_ran_*) draw from an NlRng: fills *g so that it
 * reads from r; nothing is allocated and nothing needs freeing.  g is only
 * valid while r is. */
void   nl_random_wrap_gsl  (NlRng *r, gsl_rng *g);

G_END_DECLS
