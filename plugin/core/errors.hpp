// The one error type of the plugin (cf. libgit2's git_error {message, klass}):
// a kind, which plugin/capi maps to its cskpi_status without looking at
// anything else, the message a host sees (cskpi_last_error), and the facts the
// message was made from, so that code inside the plugin (the profile check)
// reads structure, never message text. None crosses the C ABI.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace cskpi {

// One kind per cskpi_status an error can have (abi/cskpi.h).
enum class ErrorKind : std::uint8_t {
  config,     // bad configuration, request or options JSON: unknown key, bad value
  profile,    // a profile that cannot be used: missing file, missing or mistyped column, bad SQL
  source,     // the database: unreachable, SQL error, lost connection
  busy,       // another run holds the lock
  cancelled,  // a progress callback asked to stop
  not_found,  // an unknown table name in a request
};

// What a profile error says about a source's SELECT, when it is one of the
// cases the profile check words for an ERP administrator.
enum class ProfileProblem : std::uint8_t {
  none,
  missing_column,    // a canonical column is not in the SELECT list
  twice,             // a canonical column is returned twice
  column_type,       // a column's type cannot hold the canonical value
  sql,               // the database rejected the SELECT (detail: its message)
};

// The facts behind a message; every field is optional.
struct ErrorFacts {
  std::string profile;  // the profile's name
  std::string source;   // the canonical source
  std::string column;   // the canonical column
  std::string detail;   // the specific part: the database's message, why a type does not fit
  ProfileProblem problem = ProfileProblem::none;
  std::vector<std::string> returned;  // the SELECT's columns as "name (type)", when known
};

struct Error : std::runtime_error {
  Error(ErrorKind k, const std::string &message, ErrorFacts f = {})
      : std::runtime_error(message), kind(k), facts(std::move(f)) {}
  ErrorKind kind;
  ErrorFacts facts;
};

// An Error of one kind. Throw these (never a bare Error), so that code and
// tests can catch one kind by type, as they always did.
template <ErrorKind K>
struct ErrorOf : Error {
  explicit ErrorOf(const std::string &message, ErrorFacts f = {}) : Error(K, message, std::move(f)) {}
};

using ConfigError = ErrorOf<ErrorKind::config>;
using ProfileError = ErrorOf<ErrorKind::profile>;
using SourceError = ErrorOf<ErrorKind::source>;
using BusyError = ErrorOf<ErrorKind::busy>;
using CancelledError = ErrorOf<ErrorKind::cancelled>;
using NotFoundError = ErrorOf<ErrorKind::not_found>;

}  // namespace cskpi
