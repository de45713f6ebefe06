// Fuzz target: the options JSON of cskpi_nightly (plugin/nightly/options.cpp).
// Parses or throws ConfigError, nothing else. Regression inputs live in
// corpus/options/.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/errors.hpp"
#include "core/settings.hpp"
#include "fuzz_support.hpp"
#include "nightly/options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const cskpi::Settings settings = cskpi::parse_settings(R"({"as_of": "2024-06-30"})");
  std::string text(reinterpret_cast<const char *>(data), size);
  cskpi::fuzz::only_config_errors([&] {
    cskpi::NightlyOptions o = cskpi::parse_nightly_options(text, settings);
    std::set<cskpi::Granularity> unique(o.granularities.begin(), o.granularities.end());
    if (o.granularities.empty() || unique.size() != o.granularities.size() || o.lookback_periods < 0)
      cskpi::fuzz::fail("options outside their documented ranges");
  });
  return 0;
}
