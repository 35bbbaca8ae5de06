#!/usr/bin/env bash
# bench-sonata-net.sh — time `netloom build MODEL --sonata DIR/` against `netloom build MODEL`
# alone, and report what writing the SONATA circuit costs.
#
# Usage: bash bench/bench-sonata-net.sh [MODEL] [--threads N]
#   MODEL      a model file (default: bench/models/bench5000.json)
#   --threads  passed on to `netloom build`
# Environment: NETLOOM=path overrides the binary (default: build/app/netloom beside this
# folder); TMPDIR where the circuit goes (removed afterwards). Needs GNU time as
# /usr/bin/time.
#
# Prints "key value" lines: model, build_wall_s, build_rss_mb, sonata_wall_s, sonata_rss_mb
# (build + write, fsync included), write_s (the difference), files, bytes, edges (NetCons +
# stimulus NetCons), bytes_per_edge, edges_per_s (over write_s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
model=""
threads=()
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) echo "Usage: bash bench/bench-sonata-net.sh [MODEL] [--threads N]"; exit 0 ;;
        --threads) [ $# -ge 2 ] || { echo "bench-sonata-net: --threads needs a value" >&2; exit 2; }
                   threads=(--threads "$2"); shift 2 ;;
        -*) echo "bench-sonata-net: unknown option '$1'" >&2; exit 2 ;;
        *) model="$1"; shift ;;
    esac
done
[ -n "$model" ] || model="$root/bench/models/bench5000.json"
[ -f "$model" ] || { echo "bench-sonata-net: no such model file: $model" >&2; exit 2; }
netloom="${NETLOOM:-$root/build/app/netloom}"
[ -x "$netloom" ] || { echo "bench-sonata-net: $netloom not found; build it first" >&2; exit 1; }
/usr/bin/time -v true >/dev/null 2>&1 || { echo "bench-sonata-net: GNU time is needed as /usr/bin/time" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/bench-sonata.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

field() {  # field FILE "Label" — a GNU time -v value
    sed -n "s/^[[:space:]]*$2: //p" "$1" | head -1
}
seconds() {  # h:mm:ss or m:ss.ss → seconds
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"
}

/usr/bin/time -v -o "$tmp/build.time" "$netloom" build "$model" --json "${threads[@]}" > "$tmp/build.json"
/usr/bin/time -v -o "$tmp/sonata.time" "$netloom" build "$model" --json "${threads[@]}" --sonata "$tmp/circuit/" > /dev/null

build_s="$(seconds "$(field "$tmp/build.time" "Elapsed (wall clock) time (h:mm:ss or m:ss)")")"
sonata_s="$(seconds "$(field "$tmp/sonata.time" "Elapsed (wall clock) time (h:mm:ss or m:ss)")")"
build_kb="$(field "$tmp/build.time" "Maximum resident set size (kbytes)")"
sonata_kb="$(field "$tmp/sonata.time" "Maximum resident set size (kbytes)")"
conns="$(sed -n 's/^ *"conns" *: *\([0-9]*\).*/\1/p' "$tmp/build.json" | head -1)"
stim="$(sed -n 's/^ *"stim_conns" *: *\([0-9]*\).*/\1/p' "$tmp/build.json" | head -1)"
edges=$((conns + stim))
files="$(find "$tmp/circuit" -type f | wc -l)"
bytes="$(find "$tmp/circuit" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')"

echo "model $model"
echo "build_wall_s $build_s"
echo "build_rss_mb $((build_kb / 1024))"
echo "sonata_wall_s $sonata_s"
echo "sonata_rss_mb $((sonata_kb / 1024))"
awk -v a="$sonata_s" -v b="$build_s" -v e="$edges" -v by="$bytes" -v f="$files" 'BEGIN {
  w = a - b; if (w < 0.001) w = 0.001
  printf "write_s %.3f\nfiles %d\nbytes %d\nedges %d\nbytes_per_edge %.1f\nedges_per_s %.0f\n", w, f, by, e, by / e, e / w }'
