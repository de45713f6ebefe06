#!/usr/bin/env bash
# Installs (with apt) every Debian package cskpi needs to build and test.
# Safe to run again: it only installs what is missing.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libboost1.81-dev libboost-json1.81-dev
  libhowardhinnant-date-dev tzdata
  # The CLV models (docs/kpis.md §13): NLopt fits them; mpmath computes the
  # tests' reference values (tests/data/clv_reference.py)
  libnlopt-dev libnlopt-cxx-dev python3-mpmath
  catch2 abigail-tools binutils
  # Debian packages of cskpi (cpack -G DEB: dpkg-shlibdeps) and their check
  # (tests/integration/install: lintian)
  dpkg-dev lintian
  # XLSX export of the cskpi command (cskpi compute --xlsx)
  libxlsxwriter-dev
  # The report's browser test (tests/integration/report): headless Chromium
  chromium
  # Sanitizer builds and libFuzzer targets (tests/sanitize, tests/fuzz)
  clang libclang-rt-14-dev
  # MySQL / MariaDB backend: the client headers SOCI's mysql backend includes,
  # and the server the tests start on loopback (tests/integration/mariadb_server.sh)
  libmariadb-dev mariadb-server mariadb-client
  # Tryton 6.0 for the live integration test of the tryton profile
  # (tests/integration/tryton; CSKPI_SKIP_TRYTON=1 skips it). Without
  # recommends, tryton-server does not pull in LibreOffice, WeasyPrint...
  tryton-server tryton-proteus tryton-modules-account tryton-modules-account-invoice
  tryton-modules-sale tryton-modules-sale-complaint tryton-modules-sale-subscription
  tryton-modules-product-classification python3-psycopg2
  # Peers of the benchmark (tests/bench/run.sh, docs/performance.md): pandas
  # for Debian's python3, GNU time for quick measurements. The DuckDB peer
  # comes from npm (tests/bench/peers/package.json) with the machine's Node.js.
  python3-pandas time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
