#!/usr/bin/env bash
# bench-build.sh — time `netloom build MODEL --json` and report wall time, peak memory,
# cells and connections.
#
# Usage: bash bench/bench-build.sh [MODEL] [--threads N]
#   MODEL      a model file (default: bench/models/bench5000.json)
#   --threads  passed on to `netloom build` (default: the builder's own, all cores)
# Environment: NETLOOM=path overrides the binary (default: build/app/netloom beside this
# folder). Needs GNU time as /usr/bin/time (Debian: apt-get install time) and python3.
#
# Prints one "key value" line each: model, threads, wall_s, user_s, sys_s, peak_rss_mb
# (MB = 2^20 bytes, the "Maximum resident set size" of GNU time), cells, conns, stim_conns.
# Exit status: 0 success, 2 usage error, 1 a tool is missing or the output cannot be read,
# otherwise netloom's own exit status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

usage() {
    echo "Usage: bash bench/bench-build.sh [MODEL] [--threads N]" >&2
}

model=""
threads=""
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --threads)
            [ $# -ge 2 ] || { echo "bench-build: --threads needs a value" >&2; usage; exit 2; }
            threads="$2"; shift 2 ;;
        --threads=*) threads="${1#--threads=}"; shift ;;
        -*) echo "bench-build: unknown option '$1'" >&2; usage; exit 2 ;;
        *)
            [ -z "$model" ] || { echo "bench-build: more than one MODEL given" >&2; usage; exit 2; }
            model="$1"; shift ;;
    esac
done
if [ -n "$threads" ] && ! [[ "$threads" =~ ^[0-9]+$ ]]; then
    echo "bench-build: --threads takes a whole number, not '$threads'" >&2
    exit 2
fi
[ -n "$model" ] || model="$root/bench/models/bench5000.json"
[ -f "$model" ] || { echo "bench-build: no such model file: $model" >&2; exit 2; }

netloom="${NETLOOM:-$root/build/app/netloom}"
if [ ! -x "$netloom" ]; then
    echo "bench-build: $netloom not found; build it first: ninja -C $root/build" >&2
    exit 1
fi
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "bench-build: GNU time is needed as /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
    exit 1
fi
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3 || true)"
[ -n "$python" ] || { echo "bench-build: python3 is needed to read the JSON output" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/bench-build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

args=(build "$model" --json)
[ -z "$threads" ] || args+=(--threads "$threads")

rc=0
/usr/bin/time -v -o "$tmp/time" "$netloom" "${args[@]}" >"$tmp/out" 2>"$tmp/err" || rc=$?
if [ "$rc" -ne 0 ]; then
    echo "bench-build: '$netloom ${args[*]}' failed with exit status $rc" >&2
    cat "$tmp/err" >&2
    grep -E 'Command (exited|terminated)' "$tmp/time" >&2 || true
    exit "$rc"
fi

"$python" - "$tmp/time" "$tmp/out" "$model" "${threads:-default}" <<'PY'
import json, sys

time_path, out_path, model, threads = sys.argv[1:5]

def seconds(text):
    # GNU time: "h:mm:ss" or "m:ss.ss"
    total = 0.0
    for part in text.strip().split(":"):
        total = total * 60 + float(part)
    return total

wall = user = sys_s = rss_kb = None
with open(time_path) as f:
    for line in f:
        key, _, value = line.strip().rpartition(": ")
        if key.startswith("Elapsed (wall clock) time"):
            wall = seconds(value)
        elif key == "User time (seconds)":
            user = float(value)
        elif key == "System time (seconds)":
            sys_s = float(value)
        elif key == "Maximum resident set size (kbytes)":
            rss_kb = int(value)
if wall is None or rss_kb is None:
    sys.exit("bench-build: could not read the wall time and peak memory from GNU time's report")

try:
    with open(out_path) as f:
        summary = json.load(f)
    cells, conns = int(summary["cells"]), int(summary["conns"])
    stim_conns = int(summary.get("stim_conns", 0))
except (ValueError, KeyError, TypeError) as e:
    sys.exit("bench-build: netloom build --json printed no usable summary (%s)" % e)

rows = [
    ("model", model),
    ("threads", threads),
    ("wall_s", "%.2f" % wall),
    ("user_s", "%.2f" % user if user is not None else "n/a"),
    ("sys_s", "%.2f" % sys_s if sys_s is not None else "n/a"),
    ("peak_rss_mb", "%.1f" % (rss_kb / 1024.0)),
    ("cells", str(cells)),
    ("conns", str(conns)),
    ("stim_conns", str(stim_conns)),
]
for k, v in rows:
    print("%-12s %s" % (k, v))
PY
