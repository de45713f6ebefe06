#!/usr/bin/env bash
# Where the time of one cskpi run goes, client and server side: samples the
# whole machine with `perf record -a -e cpu-clock` while cskpi-bench computes
# everything once from PostgreSQL, then prints the split by process and the
# hottest functions of each (docs/performance.md quotes it).
#
#   tests/bench/profile.sh --pg CONNINFO [--customers N] [--seed N] [--build DIR] [--top N]
#
# The data must have been prepared by tests/bench/run.sh (same --customers,
# --seed and database). Needs linux-perf (scripts/install-deps.sh does not
# install it: `apt-get install linux-perf`) and root or perf_event_paranoid
# <= 0 for system-wide sampling. cpu-clock is a software event, so it works
# where hardware counters are not exposed (virtual machines). Output and the
# perf data stay in BUILD/bench-data/profile-N-SEED/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${CSKPI_BUILD_DIR:-$root/build}
customers=1000000 seed=42 pg="" top=25
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) pg=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$pg" ] || { echo "profile.sh: --pg CONNINFO is required" >&2; exit 2; }
command -v perf >/dev/null || { echo "profile.sh: perf is missing (apt-get install linux-perf)" >&2; exit 2; }
case "$build" in /*) ;; *) build=$root/$build ;; esac
bench=$build/tests/bench/cskpi-bench
out=$build/bench-data/profile-$customers-$seed
mkdir -p "$out"

perf record -a -g -e cpu-clock -F 499 -o "$out/perf.data" -- \
  "$bench" --customers "$customers" --seed "$seed" --dir "$build/bench-data" --pg "$pg" \
  --no-generate --only postgresql >"$out/run.log" 2>&1
cat "$out/run.log"

echo
echo "== CPU samples by process (whole machine, during the run)"
perf report -i "$out/perf.data" --no-children --sort comm --stdio 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +$//' | head -8 || true
for comm in postgres cskpi-bench; do
  echo
  echo "== hottest functions in $comm (self time, % of that process's samples)"
  perf report -i "$out/perf.data" --comms "$comm" --no-children --sort dso,symbol --stdio -g none --percentage relative 2>/dev/null |
    grep -E '^ +[0-9]' | sed -E 's/ +- +- *$//; s/ +$//' | head -"$top" || true
done
