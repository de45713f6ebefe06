#!/usr/bin/env bash
# Uses an installed cskpi the way a host would, and fails on the first thing
# that does not work:
#   check_host.sh tree PREFIX SRC WORK   a `cmake --install --prefix PREFIX` tree
#   check_host.sh system SRC WORK        the Debian packages, installed in /usr
# 1. compiles host.c with `pkg-config --cflags --libs cskpi` and runs it,
# 2. builds consumer/ (find_package(cskpi), cskpi::cskpi) and runs it,
# 3. imports the binding with Debian's python3 and computes through it,
# 4. runs the cskpi command and reads its man page.
# host.c checks hand-computed KPIs on the database of make_db.sql.
set -euo pipefail
mode=$1; shift
if [ "$mode" = tree ]; then prefix=$1; shift; else prefix=/usr; fi
src=$1 work=$2
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
libdir=$prefix/lib/$arch
pydir=$prefix/lib/python3/dist-packages
say() { echo "[check_host $mode] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work"
sqlite3 "$work/erp.sqlite" < "$src/make_db.sql"

run_env=()
if [ "$mode" = tree ]; then
  export PKG_CONFIG_PATH=$libdir/pkgconfig
  run_env=(env "LD_LIBRARY_PATH=$libdir")
  cmake_args=(-DCMAKE_PREFIX_PATH="$prefix")
else
  unset PKG_CONFIG_PATH LD_LIBRARY_PATH CSKPI_LIBRARY PYTHONPATH || true
  cmake_args=()
fi

say "the library: SONAME and links"
real=$(readlink -f "$libdir/libcskpi.so.1") || fail "no $libdir/libcskpi.so.1"
[ "$(readlink "$libdir/libcskpi.so")" = libcskpi.so.1 ] || fail "libcskpi.so is not a link to libcskpi.so.1"
# (objdump's output is read whole: grep -q would end the pipe early.)
dynamic=$(objdump -p "$real")
grep -q 'SONAME *libcskpi\.so\.1$' <<<"$dynamic" || fail "$real has no SONAME libcskpi.so.1"

say "1. a C host found through pkg-config"
flags=$(pkg-config --cflags --libs cskpi) || fail "pkg-config does not find cskpi"
say "   pkg-config --cflags --libs cskpi: $flags"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Werror -o "$work/host" "$src/host.c" $flags -lm
"${run_env[@]}" "$work/host" "$work/erp.sqlite"

say "2. a CMake consumer found through find_package(cskpi)"
cmake -S "$src/consumer" -B "$work/consumer" "${cmake_args[@]}" >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "the consumer does not configure"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "the consumer does not build"; }
"${run_env[@]}" "$work/consumer/consumer" "$work/erp.sqlite"

say "3. the Python binding with Debian's python3"
# -I: the system's own path only (no PYTHONPATH, no user site, not the source tree).
py=(/usr/bin/python3 -I)
[ "$mode" = tree ] && py=(env "LD_LIBRARY_PATH=$libdir" /usr/bin/python3 -c "import sys; sys.path.insert(0, '$pydir'); exec(sys.stdin.read())")
"${py[@]}" <<PY || fail "the Python binding"
import cskpi
assert cskpi.__file__ == "$pydir/cskpi.py", cskpi.__file__
with cskpi.Engine({"source": {"backend": "sqlite3", "connection": "db=$work/erp.sqlite"}, "as_of": "2024-03-31"}) as e:
    rows = e.compute(table="kpis")
orders = [r["value"] for r in rows if (r["kpi"], r["segment"], r["period_start"]) == ("orders", "all", "2024-03-01")]
assert orders == [3], orders
print("[check_host] python3: import cskpi from", cskpi.__file__, "- orders", orders[0], "- cskpi", cskpi.version())
PY

say "4. the cskpi command and its man page"
"${run_env[@]}" "$prefix/bin/cskpi" version
dynamic=$(objdump -p "$prefix/bin/cskpi")
if grep -qE 'R(UN)?PATH' <<<"$dynamic"; then fail "the installed cskpi command has an RPATH"; fi
man=$(zcat "$prefix/share/man/man1/cskpi.1.gz")
grep -q '^\.SH EXIT STATUS' <<<"$man" || fail "no man page"
say "passed"
