// Access to the throwaway PostgreSQL server the test run starts (ctest
// fixture "pg", tests/integration/pg_server.sh).
#pragma once

#include <optional>
#include <string>

#include "support/servers.hpp"

namespace cskpi::test {

// Connection string of the server (CSKPI_PG_CONNECTION), or nullopt when the
// test runs outside ctest without a server.
std::optional<std::string> pg_server();

// Creates a fresh, empty database named `name` (dropped first if it exists)
// and returns its connection string; nullopt without a server. Each test uses
// its own name, so tests can run in parallel. `encoding` other than the
// server's default (e.g. SQL_ASCII, which stores any byte, as old ERPs'
// databases do) gives the database that encoding and the C locale.
std::optional<std::string> pg_fresh_database(const std::string &name, const std::string &encoding = "");

}  // namespace cskpi::test

// conn_var = a fresh database `dbname`, or the test is skipped (by hand) or
// fails (under ctest: the case lacks its [pg] tag).
#define CSKPI_REQUIRE_PG(conn_var, dbname) \
  CSKPI_REQUIRE_SERVER(conn_var, ::cskpi::test::pg_fresh_database, dbname, "PostgreSQL", "[pg]")
