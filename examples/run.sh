#!/usr/bin/env bash
# Quick start (a): set up, build, and run the main job on the bundled example model.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tests/setup.sh"

MODEL="${1:-$NL_ROOT/examples/ei-net.json}"
CLI="$BUILD_DIR/app/netloom"

"$CLI" --version
echo "== netloom check $MODEL"
"$CLI" check "$MODEL"
echo "== netloom build $MODEL"
"$CLI" build "$MODEL"
OUT="${NL_OUTPUT:-$NL_ROOT/build/example-output}"
echo "== netloom run $MODEL -o $OUT/"
# From the output folder: the figures simConfig.analysis asks for land there too.
mkdir -p "$OUT"
(cd "$OUT" && "$CLI" run "$MODEL" -o "$OUT/")
echo "spikes: $OUT/spikes.csv; results: $OUT/ei-net_data.json; figures: $OUT/*.png"

# The workbench on the model and its results, when there is a display to show it.
WB="$BUILD_DIR/app/workbench/netloom-workbench"
if [ -z "${NL_NO_WORKBENCH:-}" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$WB" ] \
   && [ "$MODEL" = "$NL_ROOT/examples/ei-net.json" ]; then
  echo "== netloom-workbench (close the window to finish)"
  "$WB" "$OUT/ei-net_data.json"
fi
