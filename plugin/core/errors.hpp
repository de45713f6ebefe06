// Exceptions used inside the plugin. None crosses the C ABI: plugin/capi maps
// each to a cskpi_status and keeps its message as the handle's last error.
#pragma once

#include <stdexcept>
#include <string>

namespace cskpi {

// Bad configuration or request JSON: unknown key, bad value.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A profile that cannot be used: missing source file, missing or mistyped column.
struct ProfileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The database: unreachable, SQL error, lost connection.
struct SourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Another run holds the lock.
struct BusyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A progress callback asked to stop.
struct CancelledError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace cskpi

namespace cskpi {
// An unknown table name in a request.
struct NotFoundError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
}  // namespace cskpi
