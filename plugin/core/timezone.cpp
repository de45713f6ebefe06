#include "core/timezone.hpp"

#include <chrono>

#include <date/tz.h>

#include "core/errors.hpp"

namespace cskpi {

using std::chrono::seconds;

TimeZone::TimeZone(const std::string &name) : name_(name) {
  if (name == "UTC" || name == "Etc/UTC") return;
  try {
    zone_ = date::locate_zone(name);
  } catch (const std::exception &) {
    throw ConfigError("unknown time zone '" + name + "' (expected an IANA name such as America/Sao_Paulo)");
  }
}

Seconds TimeZone::to_local(Seconds utc) const {
  if (!zone_) return utc;
  auto local = zone_->to_local(date::sys_seconds{seconds{utc}});
  return local.time_since_epoch().count();
}

Day TimeZone::local_day(Seconds utc) const {
  Seconds local = to_local(utc);
  // floor division: instants before 1970 still land on the right day
  Seconds d = local / 86400;
  if (local % 86400 < 0) --d;
  return static_cast<Day>(d);
}

Seconds TimeZone::to_utc(Seconds local) const {
  if (!zone_) return local;
  auto sys = zone_->to_sys(date::local_seconds{seconds{local}}, date::choose::earliest);
  return sys.time_since_epoch().count();
}

}  // namespace cskpi
