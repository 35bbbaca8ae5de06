#!/bin/bash
# The BENCH.md network simulated by NetLoom and by the hand-written HOC model of
# bench/handwritten/ (same cells, same connections, same NetStims), 1 and 2 ranks, in the same
# session. Prints wall seconds and peak RSS of each, and the ratios NetLoom / hand-written.
# Usage: bash bench/bench-sim.sh [RANKS…]   (default 1 2; NETLOOM=path overrides the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
netloom=${NETLOOM:-$root/build/app/netloom}
model=$here/models/bench5000.json
ranks=${*:-1 2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs GNU time (apt install time)" >&2; exit 1; }

# Same network for both: NetLoom builds it, the hand-written model reads its connections.
build_s=$( { /usr/bin/time -f %e "$netloom" build "$model" --save "$work/net.json" >/dev/null; } 2>&1 | tail -1)
/usr/bin/python3 "$here/handwritten/export-conns.py" "$work/net.json" "$work/conns.bin" >/dev/null
cp "$here/handwritten/bench5000.hoc" "$work/"
echo "netloom build (with saving the 499k-connection JSON): ${build_s} s"

peak() { awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}' "$1"; }
wall() { awk '/Elapsed \(wall/ {n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$1"; }

printf '%-6s %12s %12s %12s %10s %10s %8s\n' ranks netloom_s neuron_s handwr_s ratio nl_MB hw_MB
for n in $ranks; do
  /usr/bin/time -v "$netloom" run "$model" --ranks "$n" > "$work/nl.out" 2> "$work/nl.time"
  nl_neuron=$(sed -n 's/.*NEURON \([0-9.]*\) s.*/\1/p' "$work/nl.time" "$work/nl.out" | tail -1)
  nl_spikes=$(sed -n 's/^spikes: \([0-9]*\) .*/\1/p' "$work/nl.time" "$work/nl.out" | tail -1)
  if [ "$n" -gt 1 ]; then
    (cd "$work" && /usr/bin/time -v mpiexec --allow-run-as-root --oversubscribe -n "$n" \
       nrniv -mpi -nopython -nobanner -nogui bench5000.hoc > hw.out 2> hw.time)
  else
    (cd "$work" && /usr/bin/time -v nrniv -nopython -nobanner -nogui bench5000.hoc > hw.out 2> hw.time)
  fi
  hw_total=$(wall "$work/hw.time")
  printf '%-6s %12s %12s %12s %10s %10s %8s\n' "$n" "$(wall "$work/nl.time")" "$nl_neuron" "$hw_total" \
    "$(echo "$nl_neuron $hw_total" | awk '{printf "%.2f", $1/$2}')" "$(peak "$work/nl.time")" "$(peak "$work/hw.time")"
  echo "       netloom: $nl_spikes spikes; $(grep handwritten "$work/hw.out")"
done
