// The options of one nightly run (the options JSON of cskpi_nightly).
#pragma once

#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/settings.hpp"

namespace cskpi {

struct NightlyOptions {
  Day as_of = kNoDay;                      // the snapshot's day
  std::vector<Granularity> granularities;  // at least one, no duplicates
  int lookback_periods = 0;                // write only the last N periods; 0 = all
  bool full = false;                       // read every source in full (docs/nightly.md "Incremental runs")
};

// Parses {"as_of": "YYYY-MM-DD", "granularities": ["month", ...],
// "lookback_periods": N, "full": true}; empty text = {}. Defaults: resolve_as_of(settings),
// [settings.granularity], every period. Throws ConfigError naming the key
// (unknown keys included: a typo must not silently write something else).
NightlyOptions parse_nightly_options(const std::string &json_text, const Settings &settings);

}  // namespace cskpi
