#!/usr/bin/env bash
# The benchmark behind docs/performance.md: cskpi and its peers (transfer
# floor, hand-written SQL, pandas, DuckDB) on the same generated demo ERP,
# alternating the contenders each repetition.
#
#   tests/bench/run.sh [--size S|M|L] [--repeat N] [--pg CONNINFO] [--check]
#                      [--only C1,C2] [--skip C1,C2] [--seed N] [--customers N]
#                      [--build DIR] [--no-build]
#
# Sizes: S 10k customers, M 100k, L 1M (docs/performance.md gives the rows).
# Without --pg it runs its own PostgreSQL server in BUILD/bench-pg on a free
# loopback port, keeps its data there for the next run and stops it at the
# end; with --pg the given database is used (its schema public is replaced
# by the demo ERP). Data (SQLite files, CSV exports, DuckDB files) is cached
# in BUILD/bench-data; delete it to start afresh. BUILD is --build, else
# $CSKPI_BUILD_DIR, else ./build; cskpi-bench and cskpi are (re)built there
# first unless --no-build. The DuckDB peer (npm @duckdb/node-api) is
# installed with `npm ci` into tests/bench/peers/node_modules on first use.
# Results: a table on stdout and in BUILD/bench-data/results-SIZE.md.
# --check also compares the KPIs of the SQL, pandas and DuckDB peers with
# `cskpi compute --json` and fails if any differs (the ctest bench_smoke).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command="tests/bench/run.sh $*"
build=${CSKPI_BUILD_DIR:-build}
do_build=1
only="" skip=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --only) only=$2; args+=("$1" "$2"); shift 2 ;;
    --skip) skip=$2; args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$build" in /*) ;; *) build=$root/$build ;; esac

for tool in psql /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
/usr/bin/python3 -c 'import pandas, psycopg2' 2>/dev/null ||
  { echo "run.sh: python3-pandas or python3-psycopg2 is missing (scripts/install-deps.sh)" >&2; exit 2; }

if [ "$do_build" = 1 ]; then
  [ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target cskpi_bench cskpi_cli cskpi_demo_gen -j"${CSKPI_JOBS:-2}" >/dev/null
fi

peers=$root/tests/bench/peers
want_duckdb=1
case ",$skip," in *,duckdb,*) want_duckdb=0 ;; esac
[ -n "$only" ] && case ",$only," in *,duckdb,*) ;; *) want_duckdb=0 ;; esac
if [ "$want_duckdb" = 1 ] && { [ ! -f "$peers/node_modules/.package-lock.json" ] ||
   [ "$peers/package-lock.json" -nt "$peers/node_modules/.package-lock.json" ]; }; then
  command -v npm >/dev/null || { echo "run.sh: the DuckDB peer needs node and npm (or --skip duckdb)" >&2; exit 2; }
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error)
fi

exec /usr/bin/python3 "$root/tests/bench/driver.py" --build "$build" --command "$command" "${args[@]}"
