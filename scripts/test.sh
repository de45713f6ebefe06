#!/usr/bin/env bash
# Quick start 2: build and run the whole test suite (unit tests, SQLite and a
# real PostgreSQL server started on loopback, the C ABI from C, exported
# symbols, the live Tryton test, the ASan + UBSan and TSan builds and a
# bounded fuzzing run: tests/sanitize). Ends with ctest's summary line.
# CSKPI_SANITIZERS=0 leaves the sanitizer builds out; CSKPI_FUZZ_SECONDS
# (default 30) is each fuzz target's budget.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export CSKPI_SANITIZERS=${CSKPI_SANITIZERS:-1}
cd "${CSKPI_BUILD_DIR:-build}"
ctest --output-on-failure -j"${CSKPI_JOBS:-$(nproc)}" --timeout 900
