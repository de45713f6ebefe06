#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds cskpi in
# ./build (or $CSKPI_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${CSKPI_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=${CSKPI_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$build" -j"${CSKPI_JOBS:-$(nproc)}"
