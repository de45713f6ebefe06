// Fuzz target: the request JSON of cskpi_compute (plugin/engine/engine.cpp
// parse_request). Parses or throws ConfigError, nothing else. Regression
// inputs live in corpus/request/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  cskpi::fuzz::only_config_errors([&] {
    cskpi::Request r = cskpi::parse_request(text);
    if (r.limit < 1) cskpi::fuzz::fail("request limit below 1");
  });
  return 0;
}
