#!/usr/bin/env bash
# bench-lfp.sh — the cost of simConfig.recordLFP in a NEURON run: the same network run by
# `netloom run --json` without an LFP, with one, and with one plus saveLFPPops.
#
# Usage: bash bench/bench-lfp.sh [CELLS] [ELECTRODES] [RANKS]
#   CELLS       cells with a soma and a 9-segment dendrite, in 2 populations (default 500)
#   ELECTRODES  electrodes, 100 µm apart along y (default 16)
#   RANKS       --ranks for netloom run (default 1)
# Environment: NETLOOM=path overrides the binary (default: build/app/netloom beside this
# folder). Needs GNU time as /usr/bin/time (Debian: apt-get install time) and python3.
#
# Prints one line per variant: variant, wall_s and user_s (GNU time, the whole `netloom run`
# including the build and, with an LFP, NEURON's geometry pre-pass; user_s counts NEURON's CPU
# time too, and is the steadier figure on a loaded machine), peak_rss_mb (netloom's own, not
# NEURON's), spikes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cells="${1:-500}"
elecs="${2:-16}"
ranks="${3:-1}"
netloom="${NETLOOM:-$root/build/app/netloom}"
for v in "$cells" "$elecs" "$ranks"; do
    [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge 1 ] || { echo "bench-lfp: arguments are whole numbers >= 1" >&2; exit 2; }
done
[ -x "$netloom" ] || { echo "bench-lfp: $netloom not found; build first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-lfp: GNU time (/usr/bin/time) is missing" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$cells" "$elecs" "$tmp" <<'PY'
import json, sys
cells, elecs, tmp = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
half = cells // 2
net = {
    "sizeX": 500, "sizeY": 1000, "sizeZ": 500,
    "popParams": {"E": {"cellType": "PYR", "numCells": half}, "I": {"cellType": "PYR", "numCells": cells - half}},
    "cellParams": {"PYR": {"conds": {"cellType": "PYR"}, "secs": {
        "soma": {"geom": {"L": 20, "diam": 20, "Ra": 123}, "mechs": {"hh": {}}},
        "dend": {"geom": {"L": 300, "diam": 2, "nseg": 9, "Ra": 123}, "mechs": {"pas": {"g": 0.0001, "e": -65}},
                 "topol": {"parentSec": "soma", "parentX": 1, "childX": 0}}}}},
    "synMechParams": {"exc": {"mod": "Exp2Syn", "tau1": 0.1, "tau2": 5, "e": 0}},
    "stimSourceParams": {"bkg": {"type": "NetStim", "rate": 20, "noise": 1}},
    "stimTargetParams": {"bkg->all": {"source": "bkg", "sec": "dend", "loc": 0.5, "synMech": "exc",
                                      "weight": 0.01, "delay": 1, "conds": {}}},
    "connParams": {"E->all": {"preConds": {"pop": "E"}, "postConds": {}, "probability": 0.02,
                              "weight": 0.002, "delay": 2, "synMech": "exc", "sec": "dend", "loc": 0.3}},
}
base = {"duration": 500, "dt": 0.025, "recordStep": 0.1}
lfp = [[250, 100.0 * i, 250] for i in range(elecs)]
for name, extra in [("none", {}), ("lfp", {"recordLFP": lfp}), ("lfp_pops", {"recordLFP": lfp, "saveLFPPops": True})]:
    cfg = dict(base, **extra)
    json.dump({"netParams": net, "simConfig": cfg}, open(f"{tmp}/{name}.json", "w"))
PY

for variant in none lfp lfp_pops; do
    /usr/bin/time -f "%e %U %M" -o "$tmp/time" "$netloom" run "$tmp/$variant.json" --ranks "$ranks" --json > "$tmp/out.json"
    read -r wall user rss < "$tmp/time"
    spikes="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spikes"])' "$tmp/out.json")"
    printf '%s wall_s %s user_s %s peak_rss_mb %.1f spikes %s\n' "$variant" "$wall" "$user" \
        "$(python3 -c 'import sys; print(int(sys.argv[1]) / 1024)' "$rss")" "$spikes"
done
