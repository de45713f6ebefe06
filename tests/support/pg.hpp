// Access to the throwaway PostgreSQL server the test run starts (ctest
// fixture "pg", tests/integration/pg_server.sh).
#pragma once

#include <optional>
#include <string>

namespace cskpi::test {

// Connection string of the server (CSKPI_PG_CONNECTION), or nullopt when the
// test runs outside ctest without a server.
std::optional<std::string> pg_server();

// Creates a fresh, empty database named `name` (dropped first if it exists)
// and returns its connection string; nullopt without a server. Each test uses
// its own name, so tests can run in parallel.
std::optional<std::string> pg_fresh_database(const std::string &name);

}  // namespace cskpi::test

// Skips the current test (with a warning) when there is no PostgreSQL server.
#define CSKPI_REQUIRE_PG(conn_var, dbname)                                    \
  auto conn_var = ::cskpi::test::pg_fresh_database(dbname);                   \
  if (!conn_var) {                                                            \
    WARN("CSKPI_PG_CONNECTION not set: PostgreSQL part skipped (run ctest)"); \
    return;                                                                   \
  }
