/* nl-vecstim.h — the spike trains of VecStim cells, as NetPyNE 1.1.0 makes them
 * (netpyne/cell/pointCell.py, PointCell.createNEURONObj, VecStim branch, and
 * netpyne/cell/inputs.py), with draws from NetLoom's streams instead of NEURON's Random123:
 * the distributions are NetPyNE's, the individual numbers are not.
 *
 * Which parameters a cell reads (pop.py, Pop.__handlePointCellParams / createCells*):
 *  - the population's `params` object when it has one, otherwise the popParams entry itself;
 *  - a cellsList entry's own `params` object replaces the population's (NetPyNE updates the
 *    cell's tags with the entry, so the entry's `params` wins whole, it is not merged);
 *  - `spkTimes`: a cellsList entry's own list; else the population's top-level list (one list
 *    for every cell, or a list of lists, one per cell by index; a cell past the end of the
 *    list of lists gets the last one, as in a 1-rank NetPyNE run); else `params.spkTimes`.
 *
 * Precedence (first match): rate (a number, or [min, max] → a uniform draw per cell) or
 * interval (rate wins when both are given) → spikePattern (rhythmic, evoked, poisson, gauss)
 * → spkTimes; then every `pulses` entry is appended. Finally negative times become 0, the
 * train is sorted, and times after `duration` are dropped.
 *
 * Random streams.  All are NL_RNG_STIM streams whose purpose also carries bit 31 and a kind
 * in bits 24..30 (NL_VECSTIM_PURPOSE), so they never meet stimulation rules' streams
 * (NL_RNG_STIM | rule << 8, rule < 2^11, bits 8..18):
 *
 *   kind                         seed                      id0   id1
 *   NL_VECSTIM_RNG_RATE          simConfig.seeds.stim      gid   0        rate [min, max]
 *   NL_VECSTIM_RNG_SPKT          params.seed, else stim    gid   0        interval noise
 *   NL_VECSTIM_RNG_PATTERN       params.seed, else stim    gid   0        spikePattern
 *   NL_VECSTIM_RNG_PATTERN_SYNC  params.seed, else stim    0     0        spikePattern, sync
 *   NL_VECSTIM_RNG_PULSE_RATE    simConfig.seeds.stim      gid   pulse    pulses[i].rate [min, max]
 *   NL_VECSTIM_RNG_PULSE_SPKT    params.seed, else stim    gid   pulse    pulses[i] noise
 *
 * As in NetPyNE, a `seed` parameter changes the noise, pattern and pulse-noise draws but not
 * the [min, max] rate draws, and a sync pattern's stream depends on nothing but the seed (two
 * sync populations with the same seed and pattern get the same train).
 */
#pragma once

#include <json-glib/json-glib.h>
#include "nl-rng.h"

G_BEGIN_DECLS

typedef enum {
  NL_VECSTIM_RNG_RATE = 1,
  NL_VECSTIM_RNG_SPKT,
  NL_VECSTIM_RNG_PATTERN,
  NL_VECSTIM_RNG_PATTERN_SYNC,
  NL_VECSTIM_RNG_PULSE_RATE,
  NL_VECSTIM_RNG_PULSE_SPKT,
} NlVecStimStream;

#define NL_VECSTIM_PURPOSE(kind) \
  ((guint32) NL_RNG_STIM | 0x80000000u | ((guint32) (kind) & 0x7fu) << 24)

/* More spikes than this in one cell's train (or in one of its pulses) is an error. */
#define NL_VECSTIM_MAX_SPIKES 10000000u

/* Spike times (ms, sorted, within [0, duration]) of one VecStim cell. `pop` is its popParams
 * entry, `cell` its cellsList entry or NULL, `index` its position in the population, `gid`
 * its gid, `seed` simConfig.seeds.stim. Returns a GArray of double, or NULL with an error
 * (NL_BUILD_ERROR, NL_BUILD_ERROR_INVALID) naming the key path under `path`
 * (e.g. "popParams.drive.spikePattern.stop"). Free the array with g_array_unref. Pure: the
 * same arguments give the same train, in any thread, in any order. */
GArray *nl_vecstim_spike_times (JsonObject *pop,
                                JsonObject *cell,
                                guint       index,
                                guint       gid,
                                double      duration,
                                guint32     seed,
                                const char *path,
                                GError    **error);

G_END_DECLS
