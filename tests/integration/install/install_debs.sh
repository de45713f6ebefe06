#!/usr/bin/env bash
# The Debian packages end to end, as an admin installs them on bookworm:
# cpack builds them from the build tree, lintian must report no error,
# `apt install ./*.deb` installs them for real, check_host.sh uses the
# system copy (pkg-config, find_package, Debian's python3, the command),
# and the packages are purged again.
# usage: install_debs.sh BUILD_DIR WORK_DIR       (root, or sudo without password)
# Exit 77 (skipped) when neither is available.
set -euo pipefail
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
packages=(libcskpi1 libcskpi-dev cskpi python3-cskpi tryton-modules-cskpi)
say() { echo "[install_debs $(date +%T)] $*"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    echo "SKIPPED: installing packages needs root or sudo without a password"; exit 77
  fi
fi

rm -rf "$work" && mkdir -p "$work"
# One run at a time on this machine, whichever build tree it comes from:
# the packages are installed system-wide and purged at the end.
exec 9>/tmp/cskpi-system-packages.lock
flock 9

say "cpack: building the packages"
# Staged and stripped under $work (-B), and nothing is built
# (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY): the build tree's library, which the
# tests beside this one load, stays as it is.
lib=$(readlink -f "$build/plugin/libcskpi.so.1")
before=$(sha256sum "$lib")
cpack --config "$build/CPackConfig.cmake" -B "$work/debs" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "FAILED: cpack"; exit 1; }
[ "$(sha256sum "$lib")" = "$before" ] || { echo "FAILED: cpack changed the build tree's $lib"; exit 1; }
debs=("$work"/debs/*.deb)
for p in "${packages[@]}"; do
  ls "$work"/debs/"${p}"_*.deb >/dev/null || { echo "FAILED: no package $p"; exit 1; }
done
for d in "${debs[@]}"; do
  echo "  $(basename "$d"): $(dpkg-deb -f "$d" Depends)"
done

say "the dependencies dpkg-shlibdeps computed"
need() {  # need PACKAGE DEPENDENCY: the Depends of PACKAGE names DEPENDENCY
  local depends
  depends=$(dpkg-deb -f "$work"/debs/"$1"_*.deb Depends | tr ',' '\n')
  grep -q "^ *$2\b" <<<"$depends" ||
    { echo "FAILED: $1 does not depend on $2"; exit 1; }
}
need libcskpi1 libc6; need libcskpi1 libstdc++6; need libcskpi1 'libsoci-core4\.0'; need libcskpi1 tzdata
need cskpi libcskpi1; need cskpi libpq5; need libcskpi-dev libcskpi1; need python3-cskpi libcskpi1
need tryton-modules-cskpi python3-cskpi; need tryton-modules-cskpi tryton-server

say "lintian"
# --fail-on error: warnings are printed but do not fail the test.
lintian --fail-on error --tag-display-limit 0 "${debs[@]}" | tee "$work/lintian.log" ||
  { echo "FAILED: lintian reports errors"; exit 1; }

purge() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${packages[@]}" >"$work/purge.log" 2>&1 || true; }
trap purge EXIT
purge  # a run killed before its purge left them behind
say "apt install ./*.deb"
(cd "$work/debs" && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
   apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 ./*.deb) >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; echo "FAILED: apt install"; exit 1; }
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" | grep -q 'install ok installed' || { echo "FAILED: $p is not installed"; exit 1; }
done

"$here/check_host.sh" system "$here" "$work/check"

say "the Tryton module, where Debian's trytond finds it"
/usr/bin/python3 -I -W ignore - <<'PY' || { echo "FAILED: trytond does not see the cskpi module"; exit 1; }
from trytond.modules import get_module_list
import trytond.modules.cskpi as module
assert 'cskpi' in get_module_list(), get_module_list()
assert module.__file__.startswith('/usr/lib/python3/dist-packages/trytond/modules/cskpi/'), module.__file__
print('[install_debs] trytond lists module cskpi from', module.__file__)
PY

say "purge"
trap - EXIT
purge
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then echo "FAILED: $p is still installed"; exit 1; fi
done
# Nothing left behind, the byte-compiled files included (a module directory
# holding only __pycache__ would still be listed by trytond).
for left in "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libcskpi.so.1" \
            /usr/lib/python3/dist-packages/trytond/modules/cskpi /usr/lib/python3/dist-packages/__pycache__/cskpi.*; do
  [ ! -e "$left" ] || { echo "FAILED: $left left behind by the purge"; exit 1; }
done
say "passed"
