// Conversion between UTC instants and local civil time in the configured IANA
// zone (docs/kpis.md §1), through Howard Hinnant's tz over the system tz database.
#pragma once

#include <string>

#include "core/calendar.hpp"

namespace date { class time_zone; }

namespace cskpi {

class TimeZone {
 public:
  // Throws ConfigError when the zone is unknown.
  explicit TimeZone(const std::string &name);
  const std::string &name() const { return name_; }
  bool is_utc() const { return zone_ == nullptr; }
  // Local civil day of a UTC instant.
  Day local_day(Seconds utc) const;
  // Seconds since the epoch of the local wall-clock time of a UTC instant.
  Seconds to_local(Seconds utc) const;
  // UTC instant of a local wall-clock time (seconds since epoch as if UTC);
  // nonexistent times map forward, ambiguous ones to the earlier instant.
  Seconds to_utc(Seconds local) const;

 private:
  std::string name_;
  const date::time_zone *zone_ = nullptr;  // nullptr for UTC: no lookups
};

}  // namespace cskpi
