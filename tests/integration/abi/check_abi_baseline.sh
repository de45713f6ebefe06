#!/usr/bin/env bash
# The library's ABI matches the committed baseline abi/libcskpi.abi (libabigail).
# Any difference fails: removed functions, changed signatures, changed layouts
# of public types. Additions must come with a new baseline (see docs/abi.md):
#   abidw --no-corpus-path --no-comp-dir-path --short-locs --headers-dir abi/ \
#     --drop-private-types --exported-interfaces-only --suppressions abi/cskpi.suppr \
#     --out-file abi/libcskpi.abi build/plugin/libcskpi.so.1
# Without debug info abidiff cannot see layouts: the check is skipped (77).
set -euo pipefail
lib=$1 abi_dir=$2
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "no .debug_info in $lib (a Release build?): ABI layout check skipped"
  exit 77
fi
set +e
abidiff --no-added-syms --headers-dir2 "$abi_dir" --suppressions "$abi_dir/cskpi.suppr" "$abi_dir/libcskpi.abi" "$lib"
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "ABI differs from abi/libcskpi.abi (abidiff exit $rc)"
  exit 1
fi
echo "ABI matches the baseline abi/libcskpi.abi"
