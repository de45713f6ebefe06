#!/usr/bin/env bash
# Quick start 1: build, then run the nightly KPI job over the demo ERP
# (generated on first use as ./cskpi-demo.sqlite), print the KPIs and write
# ./cskpi-demo-report.md and ./cskpi-demo-report.html. Extra arguments go to
# `cskpi demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec "${CSKPI_BUILD_DIR:-build}/hosts/cli/cskpi" demo "$@"
