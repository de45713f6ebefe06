#!/usr/bin/env bash
# Quick start 2: build and run the whole test suite (unit tests, SQLite and a
# real PostgreSQL server started on loopback, the C ABI from C, exported
# symbols, the live Tryton test). Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd "${CSKPI_BUILD_DIR:-build}"
ctest --output-on-failure -j"${CSKPI_JOBS:-$(nproc)}" --timeout 900
