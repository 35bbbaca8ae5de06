#!/usr/bin/env bash
# Quick start (b): set up, build and run the whole test suite inside one Xvfb.
# Ends with "N passed, N failed" counted from meson's test log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

export GTK_A11Y=none GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 "$@" || status=$?
/usr/bin/python3 "$NL_ROOT/tests/count-results.py" "$BUILD_DIR/meson-logs/testlog.json"
exit $status
