#!/usr/bin/env bash
# The library exports exactly the cskpi_* functions of abi/cskpi.h, under the
# version nodes of abi/cskpi.map (CSKPI_1, and CSKPI_1.1 for cskpi_report),
# and its SONAME is libcskpi.so.<ABI major>.
set -euo pipefail
lib=$1 header=$2 expected_soname=$3
fail=0
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TtWwDdBbRrVv]/ {print $3}' | sed 's/@.*//' | grep -v '^CSKPI_' | sort -u)
stray=$(echo "$exported" | grep -v '^cskpi_' || true)
if [ -n "$stray" ]; then
  echo "exported symbols that are not cskpi_*:"; echo "$stray"; fail=1
fi
declared=$(grep -oE 'CSKPI_API [^(]*\b(cskpi_[a-z0-9_]+)\(' "$header" | grep -oE 'cskpi_[a-z0-9_]+\($' | tr -d '(' | sort -u)
if [ "$(echo "$exported" | grep '^cskpi_' )" != "$declared" ]; then
  echo "exported cskpi_* symbols differ from the header's:"; diff <(echo "$declared") <(echo "$exported" | grep '^cskpi_') || true; fail=1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != "$expected_soname" ]; then echo "SONAME is '$soname', expected '$expected_soname'"; fail=1; fi
versioned=$(objdump -T "$lib" | grep -cE ' CSKPI_1(\.1)? ' || true)
if [ "$versioned" -lt "$(echo "$declared" | wc -l)" ]; then echo "not every symbol is in a version node"; fail=1; fi
# A function added after 1 sits in its own node, so a host built against 1
# never binds it by accident.
if ! objdump -T "$lib" | grep -qE ' CSKPI_1\.1 +cskpi_report$'; then echo "cskpi_report is not in version node CSKPI_1.1"; fail=1; fi
[ $fail -eq 0 ] && echo "exports OK: $(echo "$declared" | wc -l) cskpi_* functions, SONAME $soname"
exit $fail
