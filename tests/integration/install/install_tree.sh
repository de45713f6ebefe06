#!/usr/bin/env bash
# `cmake --install` of the build tree into a throwaway prefix, then the
# installed files used the way hosts use them (check_host.sh).
# usage: install_tree.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
# Only copies: `cmake --install` builds nothing, the build tree is untouched.
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
echo "[install_tree] installed $(find "$work/prefix" -type f | wc -l) files into $work/prefix"
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for f in include/cskpi.h "lib/$arch/pkgconfig/cskpi.pc" "lib/$arch/cmake/cskpi/cskpiConfig.cmake" \
         share/doc/cskpi/README.md share/doc/cskpi/docs/kpis.md share/doc/libcskpi1/copyright \
         lib/python3/dist-packages/trytond/modules/cskpi/tryton.cfg; do
  [ -e "$work/prefix/$f" ] || { echo "FAILED: $f is not installed"; exit 1; }
done
# Nothing installed may point back into the build or source tree.
if grep -rlI -e "$(cd "$build" && pwd)" -e "$(cd "$here/../../.." && pwd)" "$work/prefix"; then
  echo "FAILED: the files above name the build or source tree"; exit 1
fi
exec "$here/check_host.sh" tree "$work/prefix" "$here" "$work/check"
