#!/usr/bin/env bash
# Sanitizer builds and fuzzing of cskpi (tests/sanitize/CMakeLists.txt).
# usage: run.sh build-asan|test-asan|tsan SOURCE_DIR BUILD_DIR
#        run.sh fuzz SOURCE_DIR BUILD_DIR TARGET
# Skipped (exit 77) unless CSKPI_SANITIZERS=1 (scripts/test.sh sets it).
# Budget: only the library and the tests run here are built; each fuzz
# target runs CSKPI_FUZZ_SECONDS (default 30).
set -euo pipefail
step=$1 src=$2 out=$3
if [ "${CSKPI_SANITIZERS:-0}" != 1 ]; then
  echo "skipped: sanitizer builds and fuzzing run with CSKPI_SANITIZERS=1 (scripts/test.sh sets it)"
  exit 77
fi
jobs=${CSKPI_JOBS:-$(nproc)}
supp="$src/tests/sanitize"
# Fatal on the first report, with stacks; leaks are checked at exit.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"

# The unit tests run sanitized (budget: each is a build of its own): the
# parsers (configuration, profiles), the loader over SQLite and PostgreSQL
# (the tree's own ctest fixture starts a server), business time, the nightly
# job, the engine end to end; plus the C hosts and the fuzz corpus replays.
unit_tests() {
  echo test_settings test_profile test_loader test_loader_session test_business_time test_nightly test_engine_demo
}

configure() { # dir, cmake args...
  local dir=$1; shift
  local launcher=()  # ccache when the machine has it (CI's fresh machine does not)
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" "$@" >/dev/null
}

case $step in
  build-asan)
    configure "$out" -DCSKPI_SANITIZE=address,undefined -DCSKPI_FUZZ=ON
    cmake --build "$out" -j"$jobs" --target cskpi cskpi_misuse_host cskpi_dlopen_host $(unit_tests) \
      fuzz_config fuzz_request fuzz_options fuzz_profile \
      fuzz_replay_config fuzz_replay_request fuzz_replay_options fuzz_replay_profile
    ;;
  test-asan)
    cd "$out"
    regex="^(abi_misuse_host|abi_dlopen_host|fuzz_corpus_.*|($(unit_tests | tr ' ' '|')):.*)$"
    ctest -R "$regex" -j"$jobs" --output-on-failure --timeout 900
    ;;
  fuzz)
    target=$4
    work="$out/fuzz-$target"
    mkdir -p "$work/corpus" "$work/artifacts"
    # New inputs go to the build tree's corpus; the checked-in one is read.
    # A crash leaves its input in artifacts/: add it to tests/fuzz/corpus/$target
    # with the fix, so fuzz_corpus_$target replays it on every run.
    # libFuzzer's own failure exit code is 77, ctest's "skipped": say 1.
    "$out/tests/fuzz/fuzz_$target" -max_total_time="${CSKPI_FUZZ_SECONDS:-30}" -timeout=10 -rss_limit_mb=2048 \
      -error_exitcode=1 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$src/tests/fuzz/corpus/$target"
    ;;
  tsan)
    configure "$out" -DCSKPI_SANITIZE=thread
    cmake --build "$out" -j"$jobs" --target cskpi cskpi_misuse_host test_loader_parallel
    cd "$out"
    ctest -R '^(abi_misuse_host|test_loader_parallel:.*)$' -j"$jobs" --output-on-failure --timeout 900
    ;;
  *)
    echo "usage: $0 build-asan|test-asan|tsan SOURCE_DIR BUILD_DIR | fuzz SOURCE_DIR BUILD_DIR TARGET" >&2
    exit 2
    ;;
esac
