/* nl-schema-table.c — every key of NetPyNE's netParams and simConfig, as data.
 *
 * Describes NetPyNE 1.1.0 (specs/netParams.py, specs/simConfig.py, sim/validator.py and the
 * network/ and cell/ modules that read the spec). See nl-schema.h for the meaning of each field.
 *
 * Conventions used here:
 *  - A user-named dictionary (popParams, secs, mechs …) has NL_SF_MAP and a one-entry child
 *    table "*" describing every member.
 *  - For a list of objects (cellsList, pulses, secs.*.synMechs) `child` is the table of each
 *    element's keys, and the openness flags (NL_SF_TAGS, NL_SF_FREE) on the list entry apply
 *    to each element.
 *  - Objects that also carry a model's own parameters (synMechParams.*, stimSourceParams.*,
 *    pointps.*, hParams, cellParams.*.params) list the keys NetPyNE knows and have NL_SF_FREE:
 *    any other key is passed to the NEURON mechanism as a parameter.
 *  - The netParams root itself accepts user constants (NL_SF_CONSTS semantics) and the
 *    simConfig root accepts user variables; the tables cannot carry a flag for their own root,
 *    so nl_spec_validate() passes those flags.
 */
#include <math.h>
#include <string.h>

#include "nl-schema.h"

/* Ranges. */
#define R_ANY    -INFINITY, INFINITY
#define R_NONNEG 0.0, INFINITY
#define R_POS1   1.0, INFINITY
#define R_UNIT   0.0, 1.0

/* Kind combinations. */
#define K_NF    (NL_K_NUM | NL_K_FUNC)
#define K_NFL   (NL_K_NUM | NL_K_FUNC | NL_K_LIST)
#define K_NL    (NL_K_NUM | NL_K_LIST)
#define K_SL    (NL_K_STR | NL_K_LIST)
#define K_BL    (NL_K_BOOL | NL_K_LIST)
#define K_TAG   (NL_K_STR | NL_K_NUM | NL_K_LIST)
#define K_CELLS (NL_K_NUM | NL_K_STR | NL_K_LIST) /* gid, pop label, [pop, index] or 'all' */

#define NONE NL_CTX_NONE
#define END { NULL, 0, 0, NL_CTX_NONE, 0.0, 0.0, NULL, NULL, 0, NULL, NULL }

/* ======================================================================================
 * Cell selection conditions (connParams pre/postConds, subConnParams, stimTargetParams conds,
 * cellParams conds, recordTraces conds). Any cell tag may be used; these are the usual ones.
 * ====================================================================================== */

#define CONDS_COMMON(who)                                                                        \
  { "pop", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,                                            \
    "Population label, or list of labels, of the " who " cells" },                                \
  { "cellType", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,                                       \
    "Cell type tag, or list of tags, of the " who " cells" },                                     \
  { "cellModel", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,                                      \
    "Cell model tag, or list of tags, of the " who " cells" },                                    \
  { "x", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                         \
    "Range [min, max) of x position of the " who " cells (µm)" },                                 \
  { "y", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                         \
    "Range [min, max) of y position (depth) of the " who " cells (µm)" },                         \
  { "z", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                         \
    "Range [min, max) of z position of the " who " cells (µm)" },                                 \
  { "xnorm", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                     \
    "Range [min, max) of normalised x position (fraction of sizeX) of the " who " cells" },       \
  { "ynorm", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                     \
    "Range [min, max) of normalised y position (fraction of sizeY) of the " who " cells" },       \
  { "znorm", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,                                     \
    "Range [min, max) of normalised z position (fraction of sizeZ) of the " who " cells" }

static const NlSchemaKey pre_conds_keys[] = {
  CONDS_COMMON ("presynaptic"),
  END
};

static const NlSchemaKey post_conds_keys[] = {
  CONDS_COMMON ("postsynaptic"),
  END
};

static const NlSchemaKey stim_conds_keys[] = {
  CONDS_COMMON ("target"),
  { "cellList", NL_K_LIST | NL_K_STR, NL_K_INT, NONE, R_NONNEG, NULL, NULL, 0,
    "Indices, within the cells matching the other conditions, of the cells to stimulate ('all' for all)" },
  END
};

static const NlSchemaKey cell_conds_keys[] = {
  CONDS_COMMON ("selected"),
  { "gid", K_NL, NL_K_INT, NONE, R_NONNEG, NULL, NULL, 0,
    "Global cell id, or list of ids, of the selected cells" },
  { "fraction", NL_K_LIST, NL_K_NUM, NONE, R_UNIT, NULL, NULL, NL_SF_UNUSED,
    "Range of the cell's diversity fraction (set by NetPyNE from diversityFraction)" },
  END
};

/* ======================================================================================
 * Point-neuron parameters (popParams of NetStim/VecStim/IntFire populations, cellParams.*.params,
 * cellsList[].params).
 * ====================================================================================== */

static const NlSchemaKey spike_pattern_keys[] = {
  { "type", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Pattern type: rhythmic, evoked, poisson or gauss", "rhythmic|evoked|poisson|gauss" },
  { "sync", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "Same spike times for every cell of the population" },
  { "start", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Time of the first spike (ms); -1 draws it uniformly between startMin and startMax" },
  { "startMin", NL_K_NUM, 0, NONE, R_ANY, "25.0", NULL, 0,
    "Lower bound of the random start time when start is -1 (ms)" },
  { "startMax", NL_K_NUM, 0, NONE, R_ANY, "125.0", NULL, 0,
    "Upper bound of the random start time when start is -1 (ms)" },
  { "startStd", NL_K_NUM, 0, NONE, R_ANY, "-1", NULL, 0,
    "Standard deviation of the start time (ms); used only when positive" },
  { "stop", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Time of the last possible spike (ms); -1 means the end of the simulation" },
  { "tstop", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "End time of a rhythmic pattern when stop is not given (ms)" },
  { "repeats", NL_K_INT, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Number of times the rhythmic pattern is repeated" },
  { "freq", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Frequency of the rhythmic pattern (Hz)" },
  { "freqStd", NL_K_NUM, 0, NONE, R_NONNEG, "0", NULL, 0,
    "Standard deviation of the rhythmic frequency (Hz)" },
  { "eventsPerCycle", NL_K_INT, 0, NONE, 1.0, 2.0, "2", NULL, 0,
    "Spikes per cycle of the rhythmic pattern (1 or 2)" },
  { "distribution", NL_K_STR, 0, NONE, R_ANY, "\"normal\"", NULL, 0,
    "Distribution of spike jitter in the rhythmic pattern: normal or uniform", "normal|uniform" },
  { "numspikes", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Number of spikes of the evoked pattern" },
  { "frequency", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Mean rate of the Poisson pattern (Hz)" },
  { "mu", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Mean spike time of the gauss pattern (ms)" },
  { "sigma", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Standard deviation of the gauss pattern spike time (ms)" },
  END
};

static const NlSchemaKey pulse_keys[] = {
  { "start", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Start of the pulse (ms)" },
  { "end", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "End of the pulse (ms)" },
  { "rate", K_NL, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, 0,
    "Firing rate during the pulse (Hz), or [min, max] for a uniform random rate per cell" },
  { "interval", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Mean interval between spikes during the pulse (ms); overrides rate" },
  { "noise", NL_K_NUM, 0, NONE, R_UNIT, "0", NULL, 0,
    "Fraction of randomness in spike intervals during the pulse (0 regular, 1 Poisson)" },
  END
};

static const NlSchemaKey dynamic_rates_keys[] = {
  { "times", NL_K_LIST, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, NL_SF_REQUIRED,
    "Times at which the rate changes (ms)" },
  { "rates", NL_K_LIST, K_NL, NONE, R_NONNEG, NULL, NULL, NL_SF_REQUIRED,
    "Rate at each time (Hz), or one such list per cell" },
  END
};

#define POINT_CELL_PARAMS                                                                        \
  { "rate", NL_K_NUM | NL_K_FUNC | NL_K_LIST, NL_K_NUM, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0,      \
    "Firing rate of NetStim/VecStim cells (Hz), or [min, max] for a uniform random rate per cell" }, \
  { "interval", K_NF, 0, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0,                                    \
    "Mean interval between spikes (ms); alternative to rate" },                                   \
  { "number", K_NF, 0, NL_CTX_CELL, R_NONNEG, "1e9", NULL, 0,                                     \
    "Maximum number of spikes of a NetStim cell" },                                               \
  { "start", K_NF, 0, NL_CTX_CELL, R_ANY, NULL, NULL, 0,                                          \
    "Time of the first spike (ms); NEURON's NetStim default is 50, VecStim's 0" },                \
  { "noise", K_NF, 0, NL_CTX_CELL, R_UNIT, "0", NULL, 0,                                          \
    "Fraction of randomness in spike intervals (0 regular, 1 Poisson)" },                         \
  { "seed", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,                                              \
    "Random seed of this input's spikes (default simConfig.seeds.stim)" },                        \
  { "rates", K_NL, NL_K_LIST, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,                              \
    "Time-varying NetStim rate as [[rates (Hz)], [times (ms)]]" },                                \
  { "spkTimes", NL_K_LIST, K_NL, NONE, R_ANY, NULL, NULL, 0,                                      \
    "VecStim spike times (ms): one list for every cell, or one list per cell" },                  \
  { "spikePattern", NL_K_OBJ, 0, NONE, R_ANY, NULL, spike_pattern_keys, 0,                        \
    "VecStim spike pattern generator (rhythmic, evoked, poisson or gauss)" },                     \
  { "pulses", NL_K_LIST, NL_K_OBJ, NONE, R_ANY, NULL, pulse_keys, 0,                              \
    "VecStim spiking pulses, each with start and end (ms), rate (Hz) and noise" }

static const NlSchemaKey point_cell_params_keys[] = {
  POINT_CELL_PARAMS,
  END
};

/* ======================================================================================
 * popParams
 * ====================================================================================== */

static const NlSchemaKey cells_list_item_keys[] = {
  { "x", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell x position (µm)" },
  { "y", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell y position, depth (µm)" },
  { "z", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell z position (µm)" },
  { "xnorm", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell x position as a fraction of sizeX" },
  { "ynorm", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell y position as a fraction of sizeY" },
  { "znorm", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "Cell z position as a fraction of sizeZ" },
  { "spkTimes", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Spike times of this VecStim cell (ms)" },
  { "params", NL_K_OBJ, 0, NONE, R_ANY, NULL, point_cell_params_keys, NL_SF_FREE,
    "Parameters of this cell's point-process model" },
  END
};

static const NlSchemaKey pop_keys[] = {
  { "cellType", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Cell type tag; selects the cellParams rule of the same label" },
  { "cellModel", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Cell model tag, or a point-process model for point neurons (e.g. NetStim, VecStim, IntFire1)" },
  { "numCells", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Number of cells in the population (scaled by netParams.scale)" },
  { "density", K_NF, 0, NL_CTX_DENSITY, R_NONNEG, NULL, NULL, 0,
    "Cell density (cells/mm³), or a function of xnorm, ynorm or znorm" },
  { "gridSpacing", K_NL, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, 0,
    "Place cells on a grid with this spacing (µm), or [dx, dy, dz]; must be positive" },
  { "cellsList", NL_K_LIST, NL_K_OBJ, NONE, R_ANY, NULL, cells_list_item_keys, NL_SF_TAGS,
    "One object per cell with its position, spike times or parameters; other keys become cell tags" },
  { "xRange", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Range [min, max] of cell x positions (µm)" },
  { "yRange", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Range [min, max] of cell y positions, depth (µm)" },
  { "zRange", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Range [min, max] of cell z positions (µm)" },
  { "xnormRange", NL_K_LIST, NL_K_NUM, NONE, R_UNIT, NULL, NULL, 0,
    "Range [min, max] of cell x positions as fractions of sizeX (default [0, 1])" },
  { "ynormRange", NL_K_LIST, NL_K_NUM, NONE, R_UNIT, NULL, NULL, 0,
    "Range [min, max] of cell y positions as fractions of sizeY (default [0, 1])" },
  { "znormRange", NL_K_LIST, NL_K_NUM, NONE, R_UNIT, NULL, NULL, 0,
    "Range [min, max] of cell z positions as fractions of sizeZ (default [0, 1])" },
  POINT_CELL_PARAMS,
  { "params", NL_K_OBJ, 0, NONE, R_ANY, NULL, point_cell_params_keys, NL_SF_FREE,
    "Parameters of the point-process model, grouped (alternative to giving them at this level)" },
  { "vref", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Point-process variable holding the membrane potential, used for spike detection (e.g. V)" },
  { "pop", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Population label; NetPyNE adds it when saving and it equals this entry's name" },
  { "diversity", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Give each cell a diversity fraction so that cellParams diversityFraction rules apply" },
  { "dynamicRates", NL_K_OBJ, 0, NONE, R_ANY, NULL, dynamic_rates_keys, NL_SF_UNUSED,
    "Time-varying NetStim rates: times (ms) and rates (Hz)" },
  { "originalFormat", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Origin of an imported population: NeuroML2 or NeuroML2_SpikeSource" },
  END
};

static const NlSchemaKey pop_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, pop_keys, NL_SF_TAGS,
    "A population; keys NetPyNE does not know are copied to cell tags" },
  END
};

/* ======================================================================================
 * cellParams
 * ====================================================================================== */

static const NlSchemaKey geom_keys[] = {
  { "diam", K_NF, 0, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0, "Section diameter (µm)" },
  { "L", K_NF, 0, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0, "Section length (µm)" },
  { "Ra", K_NF, 0, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0, "Axial resistivity (Ω·cm)" },
  { "cm", K_NF, 0, NL_CTX_CELL, R_NONNEG, NULL, NULL, 0, "Specific membrane capacitance (µF/cm²)" },
  { "nseg", NL_K_INT | NL_K_FUNC, 0, NL_CTX_CELL, 1.0, 32767.0, NULL, NULL, 0, "Number of segments (NEURON allows 1 to 32767)" },
  { "pt3d", NL_K_LIST, NL_K_LIST, NONE, R_ANY, NULL, NULL, 0,
    "3D points of the section, each [x, y, z, diam] (µm)" },
  END
};

static const NlSchemaKey topol_keys[] = {
  { "parentSec", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Name of the section this one is attached to" },
  { "parentX", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, 0,
    "Location (0–1) on the parent section where this one attaches; needed with parentSec" },
  { "childX", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, 0,
    "End (0 or 1) of this section that attaches to the parent; needed with parentSec" },
  END
};

static const NlSchemaKey mech_param_map[] = {
  { "*", K_NFL, NL_K_NUM, NL_CTX_CELL, R_ANY, NULL, NULL, 0,
    "Mechanism parameter (without the _suffix): a number, a per-segment list or a string function" },
  END
};

static const NlSchemaKey mech_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, mech_param_map, NL_SF_MAP,
    "A density mechanism (e.g. hh, pas) and its parameter values" },
  END
};

static const NlSchemaKey ion_keys[] = {
  { "e", K_NL, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Reversal potential (mV), or one value per segment" },
  { "i", K_NL, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, 0,
    "Initial internal concentration (mM), or one value per segment" },
  { "o", K_NL, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, 0,
    "Initial external concentration (mM), or one value per segment" },
  END
};

static const NlSchemaKey ion_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, ion_keys, 0,
    "An ion (e.g. na, k, ca) and its reversal potential and concentrations" },
  END
};

static const NlSchemaKey pointp_keys[] = {
  { "mod", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "NEURON point-process model (e.g. Izhi2007b)" },
  { "loc", NL_K_NUM, 0, NONE, R_UNIT, "0.5", NULL, 0,
    "Location (0–1) of the point process in the section" },
  { "vref", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Model variable holding the membrane potential, used for spike detection (e.g. V)" },
  { "synList", NL_K_LIST, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "Synapse labels implemented inside the model; a connection's synMech selects the weight index" },
  END
};

static const NlSchemaKey pointp_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, pointp_keys, NL_SF_FREE,
    "A point process; other keys are model parameters (number, boolean or string function; 'gid' is the cell's gid)" },
  END
};

static const NlSchemaKey sec_syn_mech_keys[] = {
  { "label", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "synMechParams label of the synapse" },
  { "loc", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, 0, "Location (0–1) of the synapse in the section" },
  END
};

static const NlSchemaKey sec_keys[] = {
  { "geom", NL_K_OBJ, 0, NONE, R_ANY, NULL, geom_keys, 0,
    "Geometry: diam, L, Ra, cm, nseg, pt3d" },
  { "topol", NL_K_OBJ, 0, NONE, R_ANY, NULL, topol_keys, 0,
    "Topology: parent section and attachment points; empty for a root section" },
  { "mechs", NL_K_OBJ, 0, NONE, R_ANY, NULL, mech_map, NL_SF_MAP,
    "Density mechanisms inserted in the section and their parameters" },
  { "ions", NL_K_OBJ, 0, NONE, R_ANY, NULL, ion_map, NL_SF_MAP,
    "Ions of the section and their reversal potentials and concentrations" },
  { "pointps", NL_K_OBJ, 0, NONE, R_ANY, NULL, pointp_map, NL_SF_MAP,
    "Point processes that are not synapses (e.g. an Izhikevich cell model)" },
  { "spikeGenLoc", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, 0,
    "Location (0–1) of the spike detector; makes this section the cell's spike source" },
  { "vinit", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Initial membrane potential of this section (mV); default simConfig.hParams.v_init" },
  { "weightNorm", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Per-segment factors that multiply the weight of synapses on this section" },
  { "threshold", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Spike detection threshold of this section (mV); default netParams.defaultThreshold" },
  { "synMechs", NL_K_LIST, NL_K_OBJ, NONE, R_ANY, NULL, sec_syn_mech_keys, NL_SF_FREE | NL_SF_UNUSED,
    "Synapses already placed in the section (found in saved networks)" },
  END
};

static const NlSchemaKey sec_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, sec_keys, 0,
    "A section (e.g. soma, dend) with its geometry, topology and mechanisms" },
  END
};

static const NlSchemaKey sec_list_map[] = {
  { "*", NL_K_LIST, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "A named list of section names, usable wherever a section is expected" },
  END
};

static const NlSchemaKey cell_globals_map[] = {
  { "*", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "A NEURON global variable set for this cell type (e.g. a mechanism's global)" },
  END
};

static const NlSchemaKey cell_vars_map[] = {
  { "*", K_NF, 0, NL_CTX_CELL, R_ANY, NULL, NULL, 0,
    "A per-cell variable, evaluated once per cell and usable in this rule's string functions" },
  END
};

static const NlSchemaKey cell_rule_keys[] = {
  { "conds", NL_K_OBJ, 0, NONE, R_ANY, NULL, cell_conds_keys, NL_SF_TAGS,
    "Cell tags this rule applies to; without it the rule applies to cells whose cellType is its label" },
  { "secs", NL_K_OBJ, 0, NONE, R_ANY, NULL, sec_map, NL_SF_MAP,
    "Sections of a compartmental cell" },
  { "secLists", NL_K_OBJ, 0, NONE, R_ANY, NULL, sec_list_map, NL_SF_MAP,
    "Named lists of sections" },
  { "globals", NL_K_OBJ, 0, NONE, R_ANY, NULL, cell_globals_map, NL_SF_MAP,
    "NEURON global variables used by this cell's mechanisms" },
  { "cellModel", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Point-process model of a point-neuron rule (e.g. IntFire1, NetStim)" },
  { "params", NL_K_OBJ, 0, NONE, R_ANY, NULL, point_cell_params_keys, NL_SF_FREE,
    "Parameters of the point-neuron model; popParams values take precedence" },
  { "vars", NL_K_OBJ, 0, NONE, R_ANY, NULL, cell_vars_map, NL_SF_MAP,
    "Per-cell variables usable in this rule's string functions" },
  { "diversityFraction", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, NL_SF_UNUSED,
    "Fraction of a diverse population's cells that get this rule" },
  { "label", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Rule label written by NetPyNE's NeuroML importer; equals this entry's name" },
  END
};

static const NlSchemaKey cell_rule_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, cell_rule_keys, 0,
    "A cell rule: sections and mechanisms, or a point-neuron model" },
  END
};

/* ======================================================================================
 * synMechParams
 * ====================================================================================== */

static const NlSchemaKey self_net_con_keys[] = {
  { "sec", NL_K_STR, 0, NONE, R_ANY, "\"soma\"", NULL, 0, "Section whose voltage drives the NetCon" },
  { "loc", NL_K_NUM, 0, NONE, R_UNIT, "0.5", NULL, 0, "Location (0–1) in that section" },
  { "weight", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "NetCon weight" },
  { "delay", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "NetCon delay (ms)" },
  { "threshold", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "NetCon threshold (mV)" },
  END
};

static const NlSchemaKey pointer_params_keys[] = {
  { "target_var", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Mechanism pointer variable that receives the other cell's value (e.g. vpeer)" },
  { "source_var", NL_K_STR, 0, NONE, R_ANY, "\"v\"", NULL, 0,
    "Variable of the other cell read through the pointer" },
  { "bidirectional", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Couple both cells (gap junction) rather than pre to post only" },
  END
};

static const NlSchemaKey syn_mech_keys[] = {
  { "mod", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "NEURON synapse model (point process), e.g. ExpSyn, Exp2Syn" },
  { "loc", NL_K_NUM, 0, NONE, R_UNIT, NULL, NULL, NL_SF_UNUSED,
    "Reserved; the synapse location comes from connParams or stimTargetParams loc" },
  { "selfNetCon", NL_K_OBJ, 0, NONE, R_ANY, NULL, self_net_con_keys, NL_SF_UNUSED,
    "NetCon from the cell's own voltage to the synapse (e.g. homeostatic synapses)" },
  { "pointerParams", NL_K_OBJ, 0, NONE, R_ANY, NULL, pointer_params_keys, 0,
    "Makes this a pointer connection (gap junction or graded synapse) instead of a NetCon" },
  { "label", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Reserved key; not passed to the model" },
  { "tau1", K_NF, 0, NL_CTX_SYN, R_NONNEG, NULL, NULL, 0, "Rise time constant (ms), e.g. Exp2Syn" },
  { "tau2", K_NF, 0, NL_CTX_SYN, R_NONNEG, NULL, NULL, 0, "Decay time constant (ms), e.g. Exp2Syn" },
  { "tau", K_NF, 0, NL_CTX_SYN, R_NONNEG, NULL, NULL, 0, "Decay time constant (ms), e.g. ExpSyn" },
  { "e", K_NF, 0, NL_CTX_SYN, R_ANY, NULL, NULL, 0, "Reversal potential (mV)" },
  END
};

static const NlSchemaKey syn_mech_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, syn_mech_keys, NL_SF_FREE,
    "A synapse model; other keys are model parameters (number or string function of post_* and distances)" },
  END
};

/* ======================================================================================
 * connParams and subConnParams
 * ====================================================================================== */

static const NlSchemaKey conn_shape_keys[] = {
  { "pulseType", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "Weight pulse shape: square or gaussian", "square|gaussian" },
  { "pulseWidth", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "Pulse width (ms)" },
  { "pulsePeriod", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "Pulse period (ms)" },
  { "switchOnOff", NL_K_LIST, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, 0,
    "Times at which the connection is switched on and off (ms)" },
  END
};

static const NlSchemaKey plast_params_map[] = {
  { "*", NL_K_NUM | NL_K_BOOL | NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "A parameter of the plasticity mechanism" },
  END
};

static const NlSchemaKey plast_keys[] = {
  { "mech", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Plasticity point-process model (e.g. STDP)" },
  { "params", NL_K_OBJ, 0, NONE, R_ANY, NULL, plast_params_map, NL_SF_MAP | NL_SF_REQUIRED,
    "Parameters of the plasticity mechanism" },
  END
};

static const NlSchemaKey conn_keys[] = {
  { "preConds", NL_K_OBJ, 0, NONE, R_ANY, NULL, pre_conds_keys, NL_SF_TAGS | NL_SF_REQUIRED,
    "Tags of the presynaptic cells: a value, a list of values, or [min, max) for positions" },
  { "postConds", NL_K_OBJ, 0, NONE, R_ANY, NULL, post_conds_keys, NL_SF_TAGS | NL_SF_REQUIRED,
    "Tags of the postsynaptic cells: a value, a list of values, or [min, max) for positions" },
  { "connFunc", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "fullConn, probConn, convConn, divConn or fromListConn; default inferred from the keys given",
    "fullConn|probConn|convConn|divConn|fromListConn" },
  { "probability", K_NF, 0, NL_CTX_CONN, R_UNIT, NULL, NULL, 0,
    "Probability (0–1) of connecting each pre/post pair" },
  { "convergence", K_NF, 0, NL_CTX_CONN, R_NONNEG, NULL, NULL, 0,
    "Number of presynaptic cells connected to each postsynaptic cell" },
  { "divergence", K_NF, 0, NL_CTX_CONN, R_NONNEG, NULL, NULL, 0,
    "Number of postsynaptic cells connected to each presynaptic cell" },
  { "connList", NL_K_LIST, NL_K_LIST, NONE, R_NONNEG, NULL, NULL, 0,
    "Explicit connections, each [pre index, post index] within the selected cells" },
  { "synMech", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "synMechParams label, or list of labels (default: the first synMechParams entry)" },
  { "weight", K_NFL, K_NFL, NL_CTX_CONN, R_ANY, NULL, NULL, 0,
    "Connection weight (µS for conductance synapses); a list gives one per synMech, synapse or connList entry" },
  { "delay", K_NFL, K_NFL, NL_CTX_CONN, R_NONNEG, NULL, NULL, 0,
    "Connection delay (ms), default netParams.defaultDelay; a list gives one per synMech, synapse or connList entry" },
  { "loc", K_NFL, K_NFL, NL_CTX_CONN, R_UNIT, "0.5", NULL, 0,
    "Synapse location (0–1) in the section; a list gives one per synMech, synapse or connList entry" },
  { "synsPerConn", K_NF, 0, NL_CTX_CONN, 0.0, 10000.0, "1", NULL, 0,
    "Number of synaptic contacts per connection" },
  { "sec", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "Postsynaptic section or section list name, or list of names (default soma, or the first section)" },
  { "synMechWeightFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying weight for each synMech of the list" },
  { "synMechDelayFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying delay for each synMech of the list" },
  { "synMechLocFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying loc for each synMech of the list" },
  { "distinctSecsPerSynMech", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "With a list of synMechs, take sec from a list with one section per synMech" },
  { "distributeSynsUniformly", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, 0,
    "Overrides simConfig.distributeSynsUniformly for this rule" },
  { "connRandomSecFromList", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, 0,
    "Overrides simConfig.connRandomSecFromList for this rule" },
  { "preSec", K_SL, NL_K_STR, NONE, R_ANY, "\"soma\"", NULL, 0,
    "Presynaptic section of a pointer connection (gap junction)" },
  { "preLoc", K_NL, NL_K_NUM, NONE, R_UNIT, NULL, NULL, 0,
    "Presynaptic location (0–1) of a pointer connection (gap junction)" },
  { "weightIndex", NL_K_INT, 0, NONE, R_NONNEG, "0", NULL, 0,
    "Index of the NetCon weight to set (for models with several weights)" },
  { "shape", NL_K_OBJ, 0, NONE, R_ANY, NULL, conn_shape_keys, NL_SF_UNUSED,
    "Time-dependent shaping of the connection weight (pulses, on/off times)" },
  { "plast", NL_K_OBJ, 0, NONE, R_ANY, NULL, plast_keys, NL_SF_UNUSED,
    "Plasticity mechanism attached to the connection (mech and params)" },
  { "gapJunction", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED,
    "Deprecated: use pointerParams in synMechParams for gap junctions" },
  { "threshold", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED,
    "Deprecated and ignored: set threshold in the presynaptic cellParams section" },
  { "disynapticBias", NL_K_NUM | NL_K_NULL, 0, NONE, R_ANY, NULL, NULL,
    NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: bias of probability towards disynaptic connections; no replacement" },
  END
};

static const NlSchemaKey conn_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, conn_keys, 0,
    "A connectivity rule" },
  END
};

static const NlSchemaKey subconn_density_keys[] = {
  { "type", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Redistribution method: 1Dmap, 2Dmap or distance" },
  { "gridX", K_NL | NL_K_NULL, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "x positions of the density map (µm; 2Dmap)" },
  { "gridY", K_NL | NL_K_NULL, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "y positions of the density map (µm; 1Dmap and 2Dmap)" },
  { "fixedSomaY", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Absolute soma y used to shift gridY (µm)" },
  { "gridValues", K_NL, K_NL, NONE, R_NONNEG, NULL, NULL, 0,
    "Relative synapse density at each grid point (1D list, or 2D list for 2Dmap)" },
  { "ref_sec", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "Reference section for distances (distance; default soma)" },
  { "ref_seg", NL_K_NUM, 0, NONE, R_UNIT, "0.5", NULL, 0,
    "Reference location (0–1) in ref_sec (distance)" },
  { "target_distance", NL_K_NUM, 0, NONE, R_NONNEG, "0", NULL, 0,
    "Distance from the reference where synapses are placed (µm; distance)" },
  { "coord", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0,
    "cartesian to measure straight-line distance instead of path length (distance)" },
  END
};

static const NlSchemaKey subconn_keys[] = {
  { "preConds", NL_K_OBJ, 0, NONE, R_ANY, NULL, pre_conds_keys, NL_SF_TAGS | NL_SF_REQUIRED,
    "Tags of the presynaptic cells of the connections to redistribute" },
  { "postConds", NL_K_OBJ, 0, NONE, R_ANY, NULL, post_conds_keys, NL_SF_TAGS | NL_SF_REQUIRED,
    "Tags of the postsynaptic cells of the connections to redistribute" },
  { "groupSynMechs", NL_K_LIST, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "synMech labels that are moved together to the same location" },
  { "sec", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "Sections or section lists that receive the synapses" },
  { "density", NL_K_STR | NL_K_OBJ, 0, NONE, R_ANY, NULL, subconn_density_keys, NL_SF_REQUIRED,
    "uniform, or a map or distance rule for the new synapse locations", "uniform" },
  END
};

static const NlSchemaKey subconn_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, subconn_keys, 0,
    "A rule redistributing existing synapses over the postsynaptic dendrites" },
  END
};

/* ======================================================================================
 * stimSourceParams and stimTargetParams
 * ====================================================================================== */

static const NlSchemaKey xstim_waveform_keys[] = {
  { "type", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Waveform: pulse, sinusoidal or external" },
  { "amp", NL_K_NUM, 0, NONE, R_ANY, "0", NULL, 0, "Amplitude of the field (source units)" },
  { "del", NL_K_NUM, 0, NONE, R_NONNEG, "0", NULL, 0, "Start of the stimulation (ms)" },
  { "dur", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "Duration of the stimulation (ms)" },
  { "freq", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "Frequency of a sinusoidal waveform (Hz)" },
  { "time", NL_K_STR | NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Times of an external waveform (ms), or a file" },
  { "signal", NL_K_STR | NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Values of an external waveform, or a file" },
  END
};

static const NlSchemaKey xstim_field_keys[] = {
  { "class", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Field type: pointSource or uniform" },
  { "sigma", NL_K_NUM, 0, NONE, R_NONNEG, "0.3", NULL, 0, "Extracellular conductivity (mS/mm)" },
  { "location", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0, "Point-source electrode position [x, y, z] (µm)" },
  { "referencePoint", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Zero-potential point of a uniform field [x, y, z] (µm)" },
  { "fieldDirection", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Direction [phi, theta] of a uniform field (degrees)" },
  END
};

static const NlSchemaKey stim_source_keys[] = {
  { "type", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Stimulator model: NetStim, IClamp, VClamp, SEClamp, AlphaSynapse, XStim or another point process" },
  /* NetStim */
  { "rate", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0,
    "NetStim firing rate (Hz); 'variable' for a rate set during the run" },
  { "interval", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0,
    "NetStim mean interval between spikes (ms); alternative to rate" },
  { "start", K_NF, 0, NL_CTX_STIM, R_ANY, "0", NULL, 0, "NetStim time of the first spike (ms)" },
  { "number", K_NF, 0, NL_CTX_STIM, R_NONNEG, "1e9", NULL, 0, "NetStim maximum number of spikes" },
  { "noise", K_NF, 0, NL_CTX_STIM, R_UNIT, "0", NULL, 0,
    "NetStim fraction of randomness in spike intervals (0 regular, 1 Poisson)" },
  { "seed", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "NetStim random seed (default simConfig.seeds.stim)" },
  /* IClamp, VClamp, SEClamp, AlphaSynapse */
  { "del", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "IClamp onset delay (ms)" },
  { "dur", K_NFL, NL_K_NUM, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0,
    "IClamp duration (ms), or VClamp durations of its three levels" },
  { "amp", K_NFL, NL_K_NUM, NL_CTX_STIM, R_ANY, NULL, NULL, 0,
    "IClamp amplitude (nA), or VClamp potentials of its three levels (mV)" },
  { "gain", K_NF, 0, NL_CTX_STIM, R_ANY, NULL, NULL, 0, "VClamp amplifier gain" },
  { "rstim", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "VClamp stimulation resistance (MΩ)" },
  { "tau1", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "VClamp first time constant (ms)" },
  { "tau2", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "VClamp second time constant (ms)" },
  { "dur1", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "SEClamp duration of level 1 (ms)" },
  { "dur2", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "SEClamp duration of level 2 (ms)" },
  { "dur3", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "SEClamp duration of level 3 (ms)" },
  { "amp1", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "SEClamp potential of level 1 (mV)" },
  { "amp2", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "SEClamp potential of level 2 (mV)" },
  { "amp3", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0, "SEClamp potential of level 3 (mV)" },
  { "rs", NL_K_NUM, 0, NONE, R_NONNEG, NULL, NULL, 0, "SEClamp series resistance (MΩ)" },
  { "onset", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "AlphaSynapse onset time (ms)" },
  { "tau", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "AlphaSynapse time constant (ms)" },
  { "gmax", K_NF, 0, NL_CTX_STIM, R_NONNEG, NULL, NULL, 0, "AlphaSynapse peak conductance (µS)" },
  { "e", K_NF, 0, NL_CTX_STIM, R_ANY, NULL, NULL, 0, "AlphaSynapse reversal potential (mV)" },
  /* VecStim */
  { "spkTimes", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "VecStim spike times (ms); NetPyNE makes VecStim inputs as populations instead" },
  /* NetStim weight shaping and plasticity */
  { "shape", NL_K_OBJ, 0, NONE, R_ANY, NULL, conn_shape_keys, NL_SF_UNUSED,
    "Time-dependent shaping of the NetStim connection weight" },
  { "plast", NL_K_OBJ, 0, NONE, R_ANY, NULL, plast_keys, NL_SF_UNUSED,
    "Plasticity mechanism attached to the NetStim connection" },
  /* XStim (extracellular stimulation) */
  { "waveform", NL_K_OBJ, 0, NONE, R_ANY, NULL, xstim_waveform_keys, NL_SF_UNUSED,
    "XStim time course of the extracellular field" },
  { "field", NL_K_OBJ, 0, NONE, R_ANY, NULL, xstim_field_keys, NL_SF_UNUSED,
    "XStim spatial shape of the extracellular field" },
  { "mod_based", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "XStim: drive the field through the xtra mechanism" },
  { "originalFormat", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Origin of an imported stimulus (NeuroML2 formats)" },
  END
};

static const NlSchemaKey stim_source_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, stim_source_keys, NL_SF_FREE,
    "A stimulation source; other keys are parameters of its point process" },
  END
};

static const NlSchemaKey stim_target_keys[] = {
  { "source", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "stimSourceParams label of the stimulus" },
  { "conds", NL_K_OBJ, 0, NONE, R_ANY, NULL, stim_conds_keys, NL_SF_TAGS | NL_SF_REQUIRED,
    "Tags of the stimulated cells: a value, a list of values, or [min, max) for positions" },
  { "sec", K_SL | NL_K_NULL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "Target section or section list, or list of names (default soma, or the first section)" },
  { "loc", K_NFL | NL_K_NULL, NL_K_NUM, NL_CTX_STIM, R_UNIT, "0.5", NULL, 0,
    "Target location (0–1) in the section" },
  { "synMech", K_SL, NL_K_STR, NONE, R_ANY, NULL, NULL, 0,
    "synMechParams label, or list of labels, receiving a NetStim (default: the first entry)" },
  { "weight", K_NFL, NL_K_NUM, NL_CTX_STIM, R_ANY, "1", NULL, 0,
    "Weight of the NetStim connection (µS for conductance synapses); a list gives one per synMech or synapse" },
  { "delay", K_NFL, NL_K_NUM, NL_CTX_STIM, R_NONNEG, "1", NULL, 0,
    "Delay of the NetStim connection (ms); a list gives one per synMech or synapse" },
  { "synsPerConn", K_NF, 0, NL_CTX_STIM, 0.0, 10000.0, "1", NULL, 0,
    "Number of synaptic contacts per NetStim connection" },
  { "synMechWeightFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying weight for each synMech of the list" },
  { "synMechDelayFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying delay for each synMech of the list" },
  { "synMechLocFactor", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Factors multiplying loc for each synMech of the list" },
  END
};

static const NlSchemaKey stim_target_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, stim_target_keys, 0,
    "A stimulation target: which source goes to which cells, where" },
  END
};

/* ======================================================================================
 * netParams globals
 * ====================================================================================== */

static const NlSchemaKey correct_border_keys[] = {
  { "threshold", NL_K_LIST, NL_K_NUM, NONE, R_NONNEG, NULL, NULL, NL_SF_REQUIRED,
    "Distances [x, y, z] from the border within which dist_3D_border is corrected (µm)" },
  { "xborders", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Borders [min, max] in x as fractions of sizeX (default: the population range)" },
  { "yborders", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Borders [min, max] in y as fractions of sizeY (default: the population range)" },
  { "zborders", NL_K_LIST, NL_K_NUM, NONE, R_ANY, NULL, NULL, 0,
    "Borders [min, max] in z as fractions of sizeZ (default: the population range)" },
  END
};

static const NlSchemaKey scale_models_map[] = {
  { "*", NL_K_NUM, 0, NONE, R_ANY, NULL, NULL, 0,
    "Weight scale factor for cells of this cellModel" },
  END
};

static const NlSchemaKey rxd_keys[] = {
  { "regions", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD regions" },
  { "extracellular", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD extracellular space" },
  { "species", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD species" },
  { "states", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD states" },
  { "parameters", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD parameters" },
  { "reactions", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD reactions" },
  { "multicompartmentReactions", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED,
    "RxD reactions across membranes" },
  { "rates", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD rates" },
  { "constants", NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_UNUSED, "RxD constants" },
  END
};

const NlSchemaKey nl_schema_net_params[] = {
  { "_labelid", NL_K_INT, 0, NONE, R_NONNEG, "0", NULL, NL_SF_UNUSED,
    "NetPyNE's counter for automatic rule labels" },
  { "scale", NL_K_NUM, 0, NONE, R_NONNEG, "1", NULL, 0,
    "Factor multiplying the number of cells of every numCells population" },
  { "sizeX", NL_K_NUM, 0, NONE, R_NONNEG, "100", NULL, 0, "Network size along x (µm)" },
  { "sizeY", NL_K_NUM, 0, NONE, R_NONNEG, "100", NULL, 0, "Network size along y, depth (µm)" },
  { "sizeZ", NL_K_NUM, 0, NONE, R_NONNEG, "100", NULL, 0, "Network size along z (µm)" },
  { "shape", NL_K_STR, 0, NONE, R_ANY, "\"cuboid\"", NULL, 0,
    "Network volume shape: cuboid, cylinder or ellipsoid", "cuboid|cylinder|ellipsoid" },
  { "rotateCellsRandomly", NL_K_BOOL | NL_K_LIST, NL_K_NUM, NONE, R_ANY, "false", NULL, 0,
    "Rotate cells randomly around the y axis; true for any angle or [min, max] (radians)" },
  { "defineCellShapes", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "Give stylised sections 3D points (NEURON define_shape)" },
  { "correctBorder", NL_K_BOOL | NL_K_OBJ, 0, NONE, R_ANY, "false", correct_border_keys, 0,
    "Correct distance-dependent connectivity near the network borders (false, or settings)" },
  { "cellsVisualizationSpacingMultiplier", NL_K_LIST, NL_K_NUM, NONE, R_ANY, "[1, 1, 1]", NULL,
    NL_SF_UNUSED, "Factors [x, y, z] stretching cell spacing in NetPyNE's plots" },
  { "scaleConnWeight", NL_K_NUM, 0, NONE, R_ANY, "1", NULL, 0,
    "Factor multiplying all connection weights except from NetStims" },
  { "scaleConnWeightNetStims", NL_K_NUM, 0, NONE, R_ANY, "1", NULL, 0,
    "Factor multiplying the weights of NetStim connections" },
  { "scaleConnWeightModels", NL_K_BOOL | NL_K_OBJ, 0, NONE, R_ANY, "false", scale_models_map, NL_SF_MAP,
    "Weight scale factor per postsynaptic cellModel (false to use scaleConnWeight)" },
  { "defaultWeight", NL_K_NUM, 0, NONE, R_ANY, "1", NULL, 0,
    "Connection weight when a rule gives none" },
  { "defaultDelay", NL_K_NUM, 0, NONE, R_NONNEG, "1", NULL, 0,
    "Connection delay when a rule gives none (ms)" },
  { "defaultThreshold", NL_K_NUM, 0, NONE, R_ANY, "10", NULL, 0,
    "Spike detection threshold when a section gives none (mV)" },
  { "propVelocity", NL_K_NUM, 0, NONE, R_NONNEG, "500.0", NULL, 0,
    "Axonal propagation velocity, usable in string functions (µm/ms)" },
  { "mapping", NL_K_OBJ, 0, NONE, R_ANY, "{}", NULL, NL_SF_FREE | NL_SF_UNUSED,
    "Mapping from simConfig variables to netParams paths, for batch runs" },
  { "popTagsCopiedToCells", NL_K_LIST, NL_K_STR, NONE, R_ANY, "[\"cellModel\", \"cellType\"]", NULL, 0,
    "Population keys copied to each cell's tags" },
  { "cellParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", cell_rule_map, NL_SF_MAP,
    "Cell rules: morphology, mechanisms or point-neuron models" },
  { "popParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", pop_map, NL_SF_MAP,
    "Populations" },
  { "synMechParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", syn_mech_map, NL_SF_MAP,
    "Synapse models" },
  { "connParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", conn_map, NL_SF_MAP,
    "Connectivity rules" },
  { "subConnParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", subconn_map, NL_SF_MAP,
    "Subcellular synapse redistribution rules" },
  { "stimSourceParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", stim_source_map, NL_SF_MAP,
    "Stimulation sources" },
  { "stimTargetParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", stim_target_map, NL_SF_MAP,
    "Stimulation targets" },
  { "rxdParams", NL_K_OBJ, 0, NONE, R_ANY, "{}", rxd_keys, NL_SF_FREE | NL_SF_UNUSED,
    "Reaction-diffusion (RxD) model" },
  { "version", NL_K_NUM | NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Model version, saved by NetPyNE as netParams_version" },
  END
};

/* ======================================================================================
 * simConfig
 * ====================================================================================== */

static const NlSchemaKey h_params_keys[] = {
  { "celsius", NL_K_NUM, 0, NONE, R_ANY, "6.3", NULL, 0, "Temperature (°C)" },
  { "v_init", NL_K_NUM, 0, NONE, R_ANY, "-65.0", NULL, 0, "Initial membrane potential (mV)" },
  { "clamp_resist", NL_K_NUM, 0, NONE, R_NONNEG, "0.001", NULL, 0, "Resistance of voltage clamps (MΩ)" },
  END
};

static const NlSchemaKey seeds_keys[] = {
  { "conn", NL_K_INT, 0, NONE, 0.0, 4294967295.0, "1", NULL, 0, "Seed of connectivity random draws (0 to 2³²−1)" },
  { "stim", NL_K_INT, 0, NONE, 0.0, 4294967295.0, "1", NULL, 0, "Seed of stimulation and NetStim spike draws" },
  { "loc", NL_K_INT, 0, NONE, 0.0, 4294967295.0, "1", NULL, 0, "Seed of cell location draws" },
  { "cell", NL_K_INT, 0, NONE, 0.0, 4294967295.0, "1", NULL, 0, "Seed of random values in cell and synapse parameters" },
  END
};

static const NlSchemaKey trace_keys[] = {
  { "sec", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "Section to record from" },
  { "loc", NL_K_NUM, 0, NONE, R_UNIT, "0.5", NULL, 0, "Location (0–1) in the section" },
  { "var", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_REQUIRED,
    "Variable to record (e.g. v, or a mechanism variable)" },
  { "mech", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "Density mechanism the variable belongs to (e.g. hh)" },
  { "synMech", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "synMech label the variable belongs to" },
  { "pointp", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "pointps label the variable belongs to" },
  { "stim", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, 0, "Stimulus label the variable belongs to" },
  { "index", NL_K_INT, 0, NONE, R_NONNEG, NULL, NULL, 0,
    "Which of several matching synapses or stimuli at that location" },
  { "conds", NL_K_OBJ, 0, NONE, R_ANY, NULL, cell_conds_keys, NL_SF_TAGS,
    "Record only from cells with these tags" },
  END
};

static const NlSchemaKey trace_map[] = {
  { "*", NL_K_OBJ, 0, NONE, R_ANY, NULL, trace_keys, 0,
    "A trace to record; its name labels the recorded data" },
  END
};

static const NlSchemaKey analysis_map[] = {
  { "*", NL_K_BOOL | NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE,
    "Analysis function (e.g. plotRaster) and its options; true uses defaults, false skips it" },
  END
};

const NlSchemaKey nl_schema_sim_config[] = {
  /* Simulation */
  { "duration", NL_K_NUM, 0, NONE, R_NONNEG, "1000", NULL, 0, "Simulated time (ms)" },
  { "tstop", NL_K_NUM, 0, NONE, R_NONNEG, "1000", NULL, 0, "Same as duration (ms)" },
  { "dt", NL_K_NUM, 0, NONE, R_NONNEG, "0.025", NULL, 0, "Integration time step (ms); must be positive" },
  { "hParams", NL_K_OBJ, 0, NONE, R_ANY, "{\"celsius\": 6.3, \"v_init\": -65.0, \"clamp_resist\": 0.001}",
    h_params_keys, NL_SF_FREE, "NEURON global variables; other keys are set as globals too" },
  { "cvode_active", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Use CVode variable time step" },
  { "cvode_atol", NL_K_NUM, 0, NONE, R_NONNEG, "0.001", NULL, 0, "CVode absolute error tolerance" },
  { "use_fast_imem", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "Compute transmembrane currents (i_membrane_), e.g. to record them" },
  { "cache_efficient", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "CVode cache_efficient memory layout" },
  { "coreneuron", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Run with CoreNEURON" },
  { "dump_coreneuron_model", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Write the CoreNEURON model to disk" },
  { "gpu", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Run CoreNEURON on a GPU" },
  { "random123", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Use Random123 for NetStim noise (NetLoom always uses per-gid Random123 streams)" },
  { "seeds", NL_K_OBJ, 0, NONE, R_ANY, "{\"conn\": 1, \"stim\": 1, \"loc\": 1, \"cell\": 1}",
    seeds_keys, 0, "Random seeds for connectivity, stimulation, cell locations and cell parameters" },
  { "rand123GlobalIndex", NL_K_INT | NL_K_NULL, 0, NONE, R_NONNEG, "null", NULL, 0,
    "Global index of all Random123 streams (null leaves NEURON's default)" },
  /* Building */
  { "createNEURONObj", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, NL_SF_UNUSED,
    "Create the NEURON objects of the network" },
  { "createPyStruct", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, NL_SF_UNUSED,
    "Create NetPyNE's Python description of the network" },
  { "addSynMechs", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, NL_SF_UNUSED,
    "Create synapse objects" },
  { "includeParamsLabel", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Store the label of the rule that created each cell, connection and stimulus" },
  { "gatherOnlySimData", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "Gather only simulation data (no cells or connections) after the run" },
  { "compactConnFormat", NL_K_BOOL | NL_K_LIST, NL_K_STR, NONE, R_ANY, "false", NULL, 0,
    "Save connections as lists of these keys instead of objects (true for a default set)" },
  { "connRandomSecFromList", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Pick a random section and location from a list even with one synapse per connection" },
  { "distributeSynsUniformly", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Spread synapses over a section list by length rather than one per section" },
  { "pt3dRelativeToCellLocation", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Make 3D points relative to the cell position" },
  { "invertedYCoord", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "Negate y in 3D points so that y is depth (0 at the top)" },
  { "allowSelfConns", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Allow connections from a cell to itself" },
  { "allowConnsWithWeight0", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0, "Create connections whose weight is 0" },
  { "oneSynPerNetcon", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0,
    "One synapse object per NetCon (false lets NetCons share synapses)" },
  { "netloomOneSynPerConn", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "NetLoom extension: one synapse object per connection, as NetPyNE creates them (by default "
    "connections onto the same ExpSyn/Exp2Syn synMech at the same segment share one)" },
  { "netloomPlacement", NL_K_STR, 0, NONE, R_ANY, "\"roundRobin\"", NULL, 0,
    "NetLoom extension: which MPI rank simulates which cell: roundRobin (gid modulo ranks) or "
    "cost (balanced by segments × mechanisms); spikes are the same either way", "roundRobin|cost" },
  /* Output and messages */
  { "saveCellSecs", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0, "Save the sections of each cell" },
  { "saveCellConns", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0, "Save the connections of each cell" },
  { "timing", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0, "Measure and show the time of each step" },
  { "saveTiming", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Save timing data to a pickle file" },
  { "printRunTime", NL_K_BOOL | NL_K_NUM, 0, NONE, R_NONNEG, "false", NULL, 0,
    "Print the simulated time at this interval (s of simulated time), or false" },
  { "printPopAvgRates", NL_K_BOOL | NL_K_LIST, K_NL, NONE, R_ANY, "false", NULL, 0,
    "Print each population's mean rate after the run (or over [start, end] in ms)" },
  { "printSynsAfterRule", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0,
    "Print the number of synapses after each connectivity rule" },
  { "verbose", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Show detailed messages" },
  { "progressBar", NL_K_INT, 0, NONE, 0.0, 2.0, "2", NULL, 0,
    "Progress bars: 0 none, 1 transient, 2 kept" },
  /* Recording */
  { "recordCells", NL_K_LIST, K_CELLS, NONE, R_ANY, "[]", NULL, 0,
    "Cells to record traces from: gids, population labels, [pop, index] pairs or 'all'" },
  { "recordTraces", NL_K_OBJ, 0, NONE, R_ANY, "{}", trace_map, NL_SF_MAP, "Traces to record" },
  { "recordCellsSpikes", NL_K_NUM | NL_K_LIST, K_CELLS, NONE, R_ANY, "-1", NULL, 0,
    "Cells to record spikes from, as recordCells; -1 for all" },
  { "recordStim", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Record the spikes of NetStim stimuli" },
  { "recordLFP", NL_K_LIST, NL_K_LIST, NONE, R_ANY, "[]", NULL, 0,
    "LFP electrode positions, each [x, y, z] (µm)" },
  { "saveLFPCells", K_BL, K_CELLS, NONE, R_ANY, "false", NULL, 0,
    "Also store each cell's LFP contribution (true, or a list of cells)" },
  { "saveLFPPops", K_BL, NL_K_STR, NONE, R_ANY, "false", NULL, 0,
    "Also store each population's LFP contribution (true, or a list of populations)" },
  { "saveIMembrane", K_BL, K_CELLS, NONE, R_ANY, "false", NULL, 0,
    "Store each segment's transmembrane current (true, or a list of cells)" },
  { "recordDipole", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Record current dipoles (LFPykit)" },
  { "recordDipolesHNN", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Record current dipoles (HNN method)" },
  { "saveDipoleCells", K_BL, K_CELLS, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Store each cell's dipole (true, or a list of cells)" },
  { "saveDipolePops", K_BL, NL_K_STR, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Store each population's dipole (true, or a list of populations)" },
  { "recordStep", NL_K_NUM, 0, NONE, R_NONNEG, "0.1", NULL, 0,
    "Sampling interval of recorded traces and LFP (ms); must be positive" },
  { "recordTime", NL_K_BOOL, 0, NONE, R_ANY, "true", NULL, 0, "Record the time vector with traces" },
  /* Saving */
  { "simLabel", NL_K_STR, 0, NONE, R_ANY, "\"\"", NULL, 0, "Simulation name, used for output file names" },
  { "saveFolder", NL_K_STR, 0, NONE, R_ANY, "\"\"", NULL, 0, "Folder for output files" },
  { "filename", NL_K_STR, 0, NONE, R_ANY, "\"model_output\"", NULL, 0,
    "Output file path without extension" },
  { "saveDataInclude", NL_K_LIST, NL_K_STR, NONE, R_ANY,
    "[\"netParams\", \"netCells\", \"netPops\", \"simConfig\", \"simData\"]", NULL, 0,
    "Parts of the model and results to save" },
  { "timestampFilename", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Add a timestamp to output file names" },
  { "savePickle", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Save results as a Python pickle (NetLoom reads but does not write pickles)" },
  { "saveJson", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Save results as JSON" },
  { "saveMat", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Save results as a MATLAB file" },
  { "saveCSV", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, 0, "Save spikes as CSV" },
  { "saveDpk", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Save results as a gzipped pickle (.dpk)" },
  { "saveHDF5", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Save results in NetPyNE's HDF5 layout (NetLoom reads it; it writes its own .h5)" },
  { "saveDat", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED, "Save traces as .dat files" },
  { "backupCfgFile", NL_K_LIST, NL_K_STR, NONE, R_ANY, "[]", NULL, NL_SF_UNUSED,
    "Copy the cfg file: [source file, destination folder]" },
  { "validateNetParams", NL_K_BOOL, 0, NONE, R_ANY, "false", NULL, NL_SF_UNUSED,
    "Validate netParams before building (NetLoom always validates)" },
  /* Analysis */
  { "analysis", NL_K_OBJ, 0, NONE, R_ANY, "{}", analysis_map, NL_SF_MAP,
    "Analyses and plots to run after the simulation, with their options" },
  /* Read by NetPyNE 1.1.0 although SimConfig does not define them, or kept from older versions */
  { "use_local_dt", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Use CVode local time steps" },
  { "saveWeights", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Save connection weights during interval saving" },
  { "intervalFolder", NL_K_STR, 0, NONE, R_ANY, NULL, NULL, NL_SF_UNUSED,
    "Folder for interval saving" },
  { "checkErrors", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: use validateNetParams" },
  { "checkErrorsVerbose", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: use validateNetParams" },
  { "exitOnError", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: use validateNetParams" },
  { "saveTxt", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: use saveCSV or saveDat" },
  { "recordDipoles", NL_K_BOOL, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated: renamed recordDipolesHNN" },
  { "plotRaster", NL_K_BOOL | NL_K_OBJ, 0, NONE, R_ANY, NULL, NULL, NL_SF_FREE | NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated and ignored: use analysis.plotRaster" },
  { "plotCells", NL_K_LIST, 0, NONE, R_ANY, NULL, NULL, NL_SF_DEPRECATED | NL_SF_UNUSED,
    "Deprecated and ignored: use analysis.plotTraces include" },
  END
};

const NlSchemaKey *
nl_schema_find (const NlSchemaKey *table,
                const char        *name)
{
  const NlSchemaKey *wildcard = NULL;

  if (table == NULL || name == NULL)
    return NULL;

  for (const NlSchemaKey *k = table; k->name != NULL; k++)
    {
      if (strcmp (k->name, name) == 0)
        return k;
      if (k->name[0] == '*' && k->name[1] == '\0')
        wildcard = k;
    }

  /* A "*" entry (the one entry of an NL_SF_MAP child table) describes every name. */
  return wildcard;
}
