// Fuzz target: the configuration JSON of cskpi_engine_open
// (plugin/core/settings.cpp). Any input either parses or is refused with a
// ConfigError; anything else (another exception, a crash, a sanitizer
// report) is a bug. Regression inputs live in corpus/config/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "core/settings.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  cskpi::fuzz::only_config_errors([&] {
    cskpi::Settings s = cskpi::parse_settings(text);
    // What parsed must be usable as parsed: the ranges the parser promises.
    if (s.health.attention_min > s.health.healthy_min || s.source.connect_timeout < 1 || s.target.lock_timeout < 1)
      cskpi::fuzz::fail("settings outside their documented ranges");
    (void)cskpi::resolve_as_of(s);
  });
  return 0;
}
