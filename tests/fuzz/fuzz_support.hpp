// What every fuzz target of tests/fuzz checks: the code under test either
// succeeds or throws the plugin's documented error types; any other exception
// is a bug, reported as a crash so libFuzzer keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <string>

#include "core/errors.hpp"

namespace cskpi::fuzz {

[[noreturn]] inline void fail(const std::string &why) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", why.c_str());
  std::abort();
}

template <class Fn>
void only_config_errors(Fn &&fn) {
  try {
    fn();
  } catch (const ConfigError &) {
  } catch (const std::bad_alloc &) {
    // libFuzzer's -rss_limit_mb / -malloc_limit_mb report real blow-ups.
  } catch (const std::exception &e) {
    fail(std::string("unexpected exception: ") + e.what());
  }
}

template <class Fn>
void only_profile_or_config_errors(Fn &&fn) {
  try {
    fn();
  } catch (const ProfileError &) {
  } catch (const ConfigError &) {
  } catch (const std::bad_alloc &) {
  } catch (const std::exception &e) {
    fail(std::string("unexpected exception: ") + e.what());
  }
}

}  // namespace cskpi::fuzz
