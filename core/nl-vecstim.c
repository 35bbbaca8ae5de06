/* nl-vecstim.c — VecStim spike trains with NetPyNE 1.1.0's semantics (see nl-vecstim.h).
 *
 * Where NetPyNE prints "Error" and leaves the cell silent, or fails with a Python exception,
 * we report an error naming the key.  The places where NetPyNE's behaviour is surprising but
 * well defined are reproduced and marked "NetPyNE:" below. */

#include "nl-vecstim.h"
#include "nl-build.h"
#include "nl-random.h"

#include <math.h>
#include <stdarg.h>

/* NetPyNE's pointCell.py refuses noisy trains of this many spikes or more. */
#define NETPYNE_MAX_NOISY_SPIKES 1e4

typedef struct {
  guint    gid;
  double   duration;
  guint32  seed_stim;   /* simConfig.seeds.stim */
  guint32  seed;        /* params.seed, else seed_stim */
  GArray  *out;
  GError **error;
} Vs;

/* ---- errors --------------------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (4, 5)
fail (Vs *vs, const char *base, const char *key, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (key)
    g_set_error (vs->error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, "%s.%s: %s", base, key, msg);
  else
    g_set_error (vs->error, NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID, "%s: %s", base, msg);
  return FALSE;
}

/* ---- reading JSON as Python sees it ---------------------------------------------------- */

/* NULL-safe: a missing member is neither. */
#define IS_OBJECT(n) ((n) != NULL && JSON_NODE_HOLDS_OBJECT (n))
#define IS_ARRAY(n)  ((n) != NULL && JSON_NODE_HOLDS_ARRAY (n))

/* A number (Python's bool is a number too). */
static gboolean
node_number (JsonNode *n, double *v)
{
  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64:
      *v = (double) json_node_get_int (n);
      return TRUE;
    case G_TYPE_DOUBLE:
      *v = json_node_get_double (n);
      return TRUE;
    case G_TYPE_BOOLEAN:
      *v = json_node_get_boolean (n) ? 1.0 : 0.0;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Python's truth value. */
static gboolean
node_truthy (JsonNode *n)
{
  double v;

  if (!n || JSON_NODE_HOLDS_NULL (n))
    return FALSE;
  if (IS_ARRAY (n))
    return json_array_get_length (json_node_get_array (n)) > 0;
  if (IS_OBJECT (n))
    return json_object_get_size (json_node_get_object (n)) > 0;
  if (node_number (n, &v))
    return v != 0.0;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return *json_node_get_string (n) != '\0';
  return TRUE;
}

static JsonNode *
member (JsonObject *o, const char *key)
{
  return o && json_object_has_member (o, key) ? json_object_get_member (o, key) : NULL;
}

/* o[key] as a number: `fallback` when absent (an error when `required`), an error when not
 * a number. */
static gboolean
get_num (Vs *vs, JsonObject *o, const char *opath, const char *key, gboolean required,
         double fallback, double *v)
{
  JsonNode *n = member (o, key);

  if (!n)
    {
      if (required)
        return fail (vs, opath, key, "missing; expected a number");
      *v = fallback;
      return TRUE;
    }
  if (!node_number (n, v))
    return fail (vs, opath, key, "expected a number");
  return TRUE;
}

/* Python's int() of a count: truncation; NaN and values beyond the cap are errors. */
static gboolean
to_count (Vs *vs, double x, const char *opath, const char *key, gint64 *n)
{
  if (isnan (x))
    return fail (vs, opath, key, "the number of spikes is not a number");
  x = trunc (x);
  if (x < 0.0)
    x = -1.0;   /* only the sign matters to the callers */
  if (x > NL_VECSTIM_MAX_SPIKES)
    return fail (vs, opath, key, "%.0f spikes for one cell; NetLoom stops at %u", x, NL_VECSTIM_MAX_SPIKES);
  *n = (gint64) x;
  return TRUE;
}

/* A uniform draw from a [min, max] pair (NetPyNE: pointCell.py:80-83, 261-266). */
static gboolean
draw_range (Vs *vs, JsonNode *n, NlRng *rng, const char *opath, const char *key, double *v)
{
  JsonArray *a = json_node_get_array (n);
  double lo, hi;

  if (json_array_get_length (a) != 2
      || !node_number (json_array_get_element (a, 0), &lo)
      || !node_number (json_array_get_element (a, 1), &hi))
    return fail (vs, opath, key, "expected a number or a [min, max] pair");
  *v = nl_random_uniform (rng, lo, hi);
  return TRUE;
}

/* A number, or [min, max] drawn once per cell. */
static gboolean
get_rate (Vs *vs, JsonObject *o, const char *opath, guint32 purpose, guint id1, double *rate)
{
  JsonNode *n = member (o, "rate");

  if (IS_ARRAY (n))
    {
      NlRng rng;
      nl_rng_init (&rng, vs->seed_stim, purpose, vs->gid, id1);
      if (!draw_range (vs, n, &rng, opath, "rate", rate))
        return FALSE;
    }
  else if (!node_number (n, rate))
    return fail (vs, opath, "rate", "expected a number (Hz) or a [min, max] pair");
  if (!(*rate > 0.0))
    return fail (vs, opath, "rate", "%g Hz: the rate must be positive", *rate);
  return TRUE;
}

static void
push (Vs *vs, double t)
{
  g_array_append_val (vs->out, t);
}

/* ---- interval, rate and noise ---------------------------------------------------------- */

/* Regular intervals (1 − noise)·interval, each lengthened by a negexp(noise·interval) draw;
 * the count is int((1 + 1.5·noise)·span/interval), and spike k (from 1) is
 * Σ_{j≤k} (fixed + e_j) + offset with offset = start − interval·(1 − noise), so that without
 * noise the first spike is at start (pointCell.py:148-183, 286-320). The sums accumulate one
 * term at a time, as numpy's cumsum does. Without noise no draw is made. */
static void
noisy_train (double interval, double noise, gint64 n, double offset, NlRng *rng, double *t)
{
  double fixed = (1.0 - noise) * interval, acc = 0.0;

  for (gint64 k = 0; k < n; k++)
    {
      acc += noise == 0.0 ? fixed : fixed + nl_random_negexp (rng, noise * interval);
      t[k] = acc + offset;
    }
}

static gboolean
interval_train (Vs *vs, JsonObject *params, const char *ppath, const char *key, double interval)
{
  double start, noise, count, offset;
  gint64 n;
  NlRng rng;

  if (!(interval > 0.0))
    return fail (vs, ppath, key, "%g ms: the interval must be positive", interval);
  if (!get_num (vs, params, ppath, "start", FALSE, 0.0, &start)
      || !get_num (vs, params, ppath, "noise", FALSE, 0.0, &noise))
    return FALSE;

  count = (1.0 + 1.5 * noise) * vs->duration / interval;
  if (!to_count (vs, count, ppath, key, &n))
    return FALSE;
  if (n < 0)
    return fail (vs, ppath, key, "%" G_GINT64_FORMAT " spikes: check noise and the duration", n);
  /* NetPyNE: noisy trains of 10^4 spikes or more are refused (pointCell.py:144-197). */
  if (noise != 0.0 && n >= NETPYNE_MAX_NOISY_SPIKES)
    return fail (vs, ppath, key,
                 "%" G_GINT64_FORMAT " noisy spikes for one cell; NetPyNE refuses %g or more "
                 "(shorten the simulation, lower the rate or the noise)",
                 n, NETPYNE_MAX_NOISY_SPIKES);

  /* NetPyNE: without noise the offset is start − interval, with noise
   * start − interval·(1 − noise); both put the first regular spike at start. */
  offset = noise == 0.0 ? start - interval : start - interval * (1.0 - noise);
  nl_rng_init (&rng, vs->seed, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_SPKT), vs->gid, 0);
  g_array_set_size (vs->out, n);
  noisy_train (interval, noise, n, offset, &rng, (double *) (void *) vs->out->data);
  return TRUE;
}

/* ---- spikePattern (inputs.py) ---------------------------------------------------------- */

static void
keep_positive (GArray *a, guint from)
{
  guint j = from;

  for (guint i = from; i < a->len; i++)
    {
      double t = g_array_index (a, double, i);
      if (t > 0.0)
        g_array_index (a, double, j++) = t;
    }
  g_array_set_size (a, j);
}

/* 'repeats' as np.repeat needs it: a whole number ≥ 0. */
static gboolean
get_repeats (Vs *vs, JsonObject *sp, const char *sppath, gboolean whole, double *repeats)
{
  JsonNode *n = member (sp, "repeats");

  if (!n)
    return fail (vs, sppath, "repeats", "missing; expected the number of repeats");
  if (!node_number (n, repeats))
    return fail (vs, sppath, "repeats", "expected a number");
  if (whole && (!(*repeats >= 0.0) || *repeats != floor (*repeats)
                || (n && json_node_get_value_type (n) == G_TYPE_DOUBLE)))
    return fail (vs, sppath, "repeats", "expected a whole number ≥ 0 such as 3 (numpy's repeat refuses %g)",
                 *repeats);
  return TRUE;
}

/* createRhythmicPattern (inputs.py:17-112). */
static gboolean
rhythmic (Vs *vs, JsonObject *sp, const char *sppath, NlRng *rng)
{
  GArray *out = vs->out;
  double start, stop, freq = 0.0, freq_std = 0.0, epc = 2.0, start_std, repeats = 1.0;
  const char *distribution = "normal";
  JsonNode *n;
  guint first = out->len;

  if (!get_num (vs, sp, sppath, "start", TRUE, 0.0, &start))
    return FALSE;
  /* NetPyNE: 'stop', else 'tstop'; stop = -1 means -1 here (only poisson turns it into
   * the duration). */
  if (member (sp, "stop"))
    {
      if (!get_num (vs, sp, sppath, "stop", TRUE, 0.0, &stop))
        return FALSE;
    }
  else if (member (sp, "tstop"))
    {
      if (!get_num (vs, sp, sppath, "tstop", TRUE, 0.0, &stop))
        return FALSE;
    }
  else
    return fail (vs, sppath, "stop", "missing; a rhythmic pattern needs its stop time (ms)");

  if (!get_num (vs, sp, sppath, "startStd", FALSE, -1.0, &start_std))
    return FALSE;
  if (start == -1.0)
    {
      double smin, smax;
      if (!get_num (vs, sp, sppath, "startMin", FALSE, 25.0, &smin)
          || !get_num (vs, sp, sppath, "startMax", FALSE, 125.0, &smax))
        return FALSE;
      start = nl_random_uniform (rng, smin, smax);
    }
  else if (start_std > 0.0)
    /* NetPyNE: startStd is passed to NEURON's normal(), whose second argument is the
     * variance: the start time's standard deviation is √startStd (inputs.py:49-50). */
    start = nl_random_normal (rng, start, start_std);

  /* NetPyNE: freq missing, 0 or false → no spikes at all (inputs.py:51,60-62). */
  n = member (sp, "freq");
  if (node_truthy (n) && !node_number (n, &freq))
    return fail (vs, sppath, "freq", "expected a number (Hz)");
  n = member (sp, "freqStd");
  if (node_truthy (n) && !node_number (n, &freq_std))
    return fail (vs, sppath, "freqStd", "expected a number (Hz)");
  if (!get_num (vs, sp, sppath, "eventsPerCycle", FALSE, 2.0, &epc))
    return FALSE;
  /* NetPyNE: eventsPerCycle outside (0, 2] becomes 2 (inputs.py:56-58). */
  if (epc > 2.0 || epc <= 0.0)
    epc = 2.0;

  if (freq == 0.0)
    return TRUE;
  if ((n = member (sp, "distribution")))
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        return fail (vs, sppath, "distribution", "expected \"normal\" or \"uniform\"");
      distribution = json_node_get_string (n);
    }
  if (!g_str_equal (distribution, "normal") && !g_str_equal (distribution, "uniform"))
    return fail (vs, sppath, "distribution", "\"%s\": expected \"normal\" or \"uniform\"", distribution);
  if (epc != 1.0 && epc != 2.0)
    return fail (vs, sppath, "eventsPerCycle", "%g: expected 1 or 2", epc);

  if (g_str_equal (distribution, "normal"))
    {
      /* np.arange(start, stop, 1000/freq): ceil((stop − start)/step) values
       * start + i·((start + step) − start). */
      double step = 1000.0 / freq, len_d = ceil ((stop - start) / step), delta;
      gint64 len, reps = 1, total;

      if (isnan (len_d) || len_d <= 0.0)
        len_d = 0.0;
      if (!to_count (vs, len_d, sppath, "freq", &len))
        return FALSE;
      /* NetPyNE: 'repeats' counts only when freqStd is set (inputs.py:67-76). */
      if (freq_std != 0.0)
        {
          if (!get_repeats (vs, sp, sppath, TRUE, &repeats)
              || !to_count (vs, (double) len * repeats * epc, sppath, "repeats", &total))
            return FALSE;
          reps = (gint64) repeats;
        }
      else if (!to_count (vs, (double) len * epc, sppath, "freq", &total))
        return FALSE;

      delta = (start + step) - start;
      for (gint64 i = 0; i < len; i++)
        {
          double c = i == 0 ? start : start + (double) i * delta;
          for (gint64 r = 0; r < reps; r++)
            {
              double t = c;
              if (freq_std != 0.0)
                t = nl_random_normal (rng, 0.0, freq_std * freq_std) + c;
              push (vs, t);
            }
        }
    }
  else
    {
      gint64 count;

      /* int(repeats·freq·(stop − start)/1000) uniform draws in [start, stop). */
      if (!get_repeats (vs, sp, sppath, FALSE, &repeats)
          || !to_count (vs, repeats * freq * (stop - start) / 1000.0, sppath, "repeats", &count))
        return FALSE;
      for (gint64 i = 0; i < count; i++)
        push (vs, nl_random_uniform (rng, start, stop));
    }

  if (epc == 2.0)
    {
      /* Doublets: every time − 5 ms, then every time + 5 ms. */
      guint len = out->len - first;
      g_array_set_size (out, first + 2 * len);
      for (guint i = 0; i < len; i++)
        {
          double c = g_array_index (out, double, first + i);
          g_array_index (out, double, first + i) = c - 5.0;
          g_array_index (out, double, first + len + i) = c + 5.0;
        }
    }
  keep_positive (out, first);
  return TRUE;
}

/* createEvokedPattern (inputs.py:114-141). */
static gboolean
evoked (Vs *vs, JsonObject *sp, const char *sppath, NlRng *rng)
{
  double mu, sigma, num;
  gint64 n;
  guint first = vs->out->len;

  if (!get_num (vs, sp, sppath, "start", TRUE, 0.0, &mu)
      || !get_num (vs, sp, sppath, "startStd", TRUE, 0.0, &sigma)
      || !get_num (vs, sp, sppath, "numspikes", TRUE, 0.0, &num)
      || !to_count (vs, num, sppath, "numspikes", &n))
    return FALSE;
  for (gint64 i = 0; i < n; i++)
    /* NetPyNE: startStd is NEURON normal()'s variance: the sd is √startStd
     * (inputs.py:126-133); a negative one gives NaN times, which are dropped. */
    push (vs, sigma != 0.0 ? nl_random_normal (rng, mu, sigma) : mu);
  keep_positive (vs->out, first);
  return TRUE;
}

/* createPoissonPattern (inputs.py:144-171). */
static gboolean
poisson (Vs *vs, JsonObject *sp, const char *sppath, NlRng *rng)
{
  double t0, stop, lambda, t;
  gint64 cap;

  if (!get_num (vs, sp, sppath, "start", TRUE, 0.0, &t0)
      || !get_num (vs, sp, sppath, "stop", TRUE, 0.0, &stop)
      || !get_num (vs, sp, sppath, "frequency", TRUE, 0.0, &lambda))
    return FALSE;
  /* NetPyNE: stop -1 is the end of the simulation (pointCell.py:220-221). */
  if (stop == -1.0)
    stop = vs->duration;
  if (!(lambda > 0.0))
    return TRUE;
  /* Refuse trains whose expected length alone is beyond the cap; cap the loop too. */
  if (!to_count (vs, stop > t0 ? lambda * (stop - t0) / 1000.0 : 0.0, sppath, "frequency", &cap))
    return FALSE;

  t = t0 + (-1000.0 * log (1.0 - nl_random_uniform (rng, 0.0, 1.0)) / lambda);
  /* NetPyNE: the first spike is never kept — its np.append result is discarded
   * (inputs.py:162-163) — so the train starts with the second arrival. */
  while (t < stop)
    {
      t += -1000.0 * log (1.0 - nl_random_uniform (rng, 0.0, 1.0)) / lambda;
      if (t < stop)
        {
          if (vs->out->len >= NL_VECSTIM_MAX_SPIKES)
            return fail (vs, sppath, "frequency", "more than %u spikes for one cell", NL_VECSTIM_MAX_SPIKES);
          push (vs, t);
        }
    }
  return TRUE;
}

/* createGaussPattern (inputs.py:174-195): 50 draws. */
static gboolean
gauss (Vs *vs, JsonObject *sp, const char *sppath, NlRng *rng)
{
  double mu, sigma;
  guint first = vs->out->len;

  if (!get_num (vs, sp, sppath, "mu", TRUE, 0.0, &mu)
      || !get_num (vs, sp, sppath, "sigma", TRUE, 0.0, &sigma))
    return FALSE;
  for (int i = 0; i < 50; i++)
    /* NetPyNE: sigma is a variance (its docstring says so): the sd is √sigma. */
    push (vs, nl_random_normal (rng, mu, sigma));
  keep_positive (vs->out, first);
  return TRUE;
}

static gboolean
spike_pattern (Vs *vs, JsonNode *node, const char *ppath)
{
  g_autofree char *sppath = g_strconcat (ppath, ".spikePattern", NULL);
  JsonObject *sp;
  JsonNode *tn;
  const char *type;
  NlRng rng;

  if (!IS_OBJECT (node))
    return fail (vs, ppath, "spikePattern", "expected an object such as {\"type\": \"poisson\", ...}");
  sp = json_node_get_object (node);
  tn = member (sp, "type");
  if (!tn)
    return fail (vs, sppath, "type", "missing; expected rhythmic, evoked, poisson or gauss");
  if (!JSON_NODE_HOLDS_VALUE (tn) || json_node_get_value_type (tn) != G_TYPE_STRING)
    return fail (vs, sppath, "type", "expected rhythmic, evoked, poisson or gauss");
  type = json_node_get_string (tn);

  /* NetPyNE: a sync pattern's stream is keyed by the seed alone (pointCell.py:204-207). */
  if (node_truthy (member (sp, "sync")))
    nl_rng_init (&rng, vs->seed, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_PATTERN_SYNC), 0, 0);
  else
    nl_rng_init (&rng, vs->seed, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_PATTERN), vs->gid, 0);

  if (g_str_equal (type, "rhythmic"))
    return rhythmic (vs, sp, sppath, &rng);
  if (g_str_equal (type, "evoked"))
    return evoked (vs, sp, sppath, &rng);
  if (g_str_equal (type, "poisson"))
    return poisson (vs, sp, sppath, &rng);
  if (g_str_equal (type, "gauss"))
    return gauss (vs, sp, sppath, &rng);
  return fail (vs, sppath, "type", "\"%s\": expected rhythmic, evoked, poisson or gauss", type);
}

/* ---- spkTimes ------------------------------------------------------------------------- */

static gboolean
spike_list (Vs *vs, JsonNode *node, const char *lpath)
{
  JsonArray *a;

  if (!IS_ARRAY (node))
    return fail (vs, lpath, NULL, "expected a list of spike times (ms)");
  a = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      double t;
      if (!node_number (json_array_get_element (a, i), &t))
        {
          g_autofree char *p = g_strdup_printf ("%s[%u]", lpath, i);
          return fail (vs, p, NULL, "expected a spike time (ms)");
        }
      push (vs, t);
    }
  return TRUE;
}

/* Which spkTimes list a cell gets, as pop.py's createCellsList / createCellsFixedNum copy it
 * into the cell's params; NULL when none. */
static JsonNode *
find_spk_times (Vs *vs, JsonObject *pop, JsonObject *params, JsonObject *cell, guint index,
                const char *path, const char *ppath, char **lpath, gboolean *bad)
{
  JsonNode *n;

  *bad = FALSE;
  if (cell)
    {
      /* pop.py:395-397 copies the entry's list (and fails when there is none); without
       * one we fall back on the params' list, then the population's. */
      if ((n = member (cell, "spkTimes")))
        {
          *lpath = g_strdup_printf ("%s.cellsList[%u].spkTimes", path, index);
          return n;
        }
      if (params != pop && (n = member (params, "spkTimes")))
        {
          *lpath = g_strdup_printf ("%s.spkTimes", ppath);
          return n;
        }
    }
  if ((n = member (pop, "spkTimes")))
    {
      JsonArray *a;
      guint len;

      if (!IS_ARRAY (n))
        {
          *bad = TRUE;
          fail (vs, path, "spkTimes", "expected a list of spike times, or one list per cell");
          return NULL;
        }
      a = json_node_get_array (n);
      len = json_array_get_length (a);
      if (len > 0 && IS_ARRAY (json_array_get_element (a, 0)))
        {
          /* One list per cell. NetPyNE: a cell beyond the end of the list keeps the list
           * its predecessor copied into the population's shared params dict
           * (pop.py:162-166), i.e. the last one (on one rank). */
          guint i = MIN (index, len - 1);
          *lpath = g_strdup_printf ("%s.spkTimes[%u]", path, i);
          return json_array_get_element (a, i);
        }
      *lpath = g_strdup_printf ("%s.spkTimes", path);
      return n;
    }
  if (params != pop && (n = member (params, "spkTimes")))
    {
      *lpath = g_strdup_printf ("%s.spkTimes", ppath);
      return n;
    }
  return NULL;
}

/* ---- pulses --------------------------------------------------------------------------- */

static gboolean
pulses (Vs *vs, JsonNode *node, const char *ppath)
{
  JsonArray *a;

  if (!IS_ARRAY (node))
    return fail (vs, ppath, "pulses", "expected a list of {start, end, rate or interval, noise}");
  a = json_node_get_array (node);
  for (guint ip = 0; ip < json_array_get_length (a); ip++)
    {
      g_autofree char *pp = g_strdup_printf ("%s.pulses[%u]", ppath, ip);
      JsonNode *pn = json_array_get_element (a, ip);
      JsonObject *p;
      double interval, rate, start, end, noise, count, offset;
      const char *key;
      gint64 n;
      NlRng rng;
      guint first;

      if (!IS_OBJECT (pn))
        return fail (vs, pp, NULL, "expected an object {start, end, rate or interval, noise}");
      p = json_node_get_object (pn);

      /* NetPyNE: in a pulse, interval wins over rate (pointCell.py:269-272), the reverse
       * of the cell's own rate/interval; the rate is then not used at all (its [min, max]
       * draw has a stream of its own, so skipping it changes nothing else). */
      if (member (p, "interval"))
        {
          key = "interval";
          if (!get_num (vs, p, pp, "interval", TRUE, 0.0, &interval))
            return FALSE;
        }
      else if (member (p, "rate"))
        {
          key = "rate";
          if (!get_rate (vs, p, pp, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_PULSE_RATE), ip, &rate))
            return FALSE;
          interval = 1000.0 / rate;
        }
      else
        return fail (vs, pp, NULL, "a pulse needs \"rate\" or \"interval\"");
      if (!(interval > 0.0))
        return fail (vs, pp, key, "%g ms: the interval must be positive", interval);
      if (!member (p, "start") || !member (p, "end"))
        return fail (vs, pp, member (p, "start") ? "end" : "start",
                     "missing; a pulse needs \"start\" and \"end\" (ms)");
      if (!get_num (vs, p, pp, "start", TRUE, 0.0, &start)
          || !get_num (vs, p, pp, "end", TRUE, 0.0, &end)
          || !get_num (vs, p, pp, "noise", FALSE, 0.0, &noise))
        return FALSE;

      count = (1.0 + 1.5 * noise) * (end - start) / interval;
      if (!to_count (vs, count, pp, key, &n))
        return FALSE;
      if (n < 0)
        return fail (vs, pp, "end", "%g is before start %g", end, start);

      offset = noise == 0.0 ? start - interval : start - interval * (1.0 - noise);
      nl_rng_init (&rng, vs->seed, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_PULSE_SPKT), vs->gid, ip);
      first = vs->out->len;
      g_array_set_size (vs->out, first + n);
      noisy_train (interval, noise, n, offset, &rng, &g_array_index (vs->out, double, first));

      /* NetPyNE: times before start become start; times after end are dropped
       * (pointCell.py:297-298, 322-323). */
      {
        guint j = first;
        for (guint i = first; i < vs->out->len; i++)
          {
            double t = g_array_index (vs->out, double, i);
            if (t < start)
              t = start;
            if (t <= end)
              g_array_index (vs->out, double, j++) = t;
          }
        g_array_set_size (vs->out, j);
      }
    }
  return TRUE;
}

/* ---- the train ------------------------------------------------------------------------ */

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

GArray *
nl_vecstim_spike_times (JsonObject *pop,
                        JsonObject *cell,
                        guint       index,
                        guint       gid,
                        double      duration,
                        guint32     seed,
                        const char *path,
                        GError    **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *ppath = NULL, *lpath = NULL;
  Vs vs = { gid, duration, seed, seed, out, error };
  JsonObject *params = pop;
  JsonNode *n, *spk;
  double v;
  gboolean bad;

  g_return_val_if_fail (pop != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!path)
    path = "popParams";

  /* Whose params (pop.py:530-556, 380-382): a nested 'params' object, else the entry itself; a
   * cellsList entry's own 'params' replaces them. */
  ppath = g_strdup (path);
  if (IS_OBJECT (member (pop, "params")))
    {
      params = json_node_get_object (member (pop, "params"));
      g_free (ppath);
      ppath = g_strconcat (path, ".params", NULL);
    }
  if (cell && IS_OBJECT (member (cell, "params")))
    {
      params = json_node_get_object (member (cell, "params"));
      g_free (ppath);
      ppath = g_strdup_printf ("%s.cellsList[%u].params", path, index);
    }

  /* params.seed (default simConfig.seeds.stim) keys the noise and pattern streams. */
  if ((n = member (params, "seed")))
    {
      if (!node_number (n, &v) || !isfinite (v))
        return fail (&vs, ppath, "seed", "expected a whole number"), NULL;
      vs.seed = (guint32) (gint64) v;
    }

  spk = find_spk_times (&vs, pop, params, cell, index, path, ppath, &lpath, &bad);
  if (bad)
    return NULL;

  if (member (params, "rate"))
    {
      double rate;
      /* NetPyNE: rate wins over interval (pointCell.py:133-135). */
      if (!get_rate (&vs, params, ppath, NL_VECSTIM_PURPOSE (NL_VECSTIM_RNG_RATE), 0, &rate)
          || !interval_train (&vs, params, ppath, "rate", 1000.0 / rate))
        return NULL;
    }
  else if (member (params, "interval"))
    {
      if (!get_num (&vs, params, ppath, "interval", TRUE, 0.0, &v)
          || !interval_train (&vs, params, ppath, "interval", v))
        return NULL;
    }
  else if ((n = member (params, "spikePattern")))
    {
      if (!spike_pattern (&vs, n, ppath))
        return NULL;
    }
  else if (spk)
    {
      if (!spike_list (&vs, spk, lpath))
        return NULL;
    }
  else
    return fail (&vs, path, NULL, "VecStim requires interval, rate, spikePattern or spkTimes"), NULL;

  if ((n = member (params, "pulses")) && !pulses (&vs, n, ppath))
    return NULL;

  /* Negative times become 0, then sort and drop what is after the end
   * (pointCell.py:325-327). NaN is dropped too, as numpy's sort puts it last. */
  {
    guint j = 0;
    for (guint i = 0; i < out->len; i++)
      {
        double t = g_array_index (out, double, i);
        if (t < 0.0)
          t = 0.0;
        if (t <= duration)
          g_array_index (out, double, j++) = t;
      }
    g_array_set_size (out, j);
  }
  g_array_sort (out, cmp_double);
  return g_steal_pointer (&out);
}
