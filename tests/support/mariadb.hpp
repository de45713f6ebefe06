// Access to the throwaway MariaDB server the test run starts (ctest fixture
// "mariadb", tests/integration/mariadb_server.sh).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/servers.hpp"

namespace soci { class session; }

namespace cskpi::test {

// Connection string of the server (CSKPI_MARIADB_CONNECTION, a SOCI mysql
// connection string without db=), or nullopt when the test runs outside ctest
// without a server.
std::optional<std::string> mariadb_server();

// Creates a fresh, empty utf8mb4 database named `name` (dropped first if it
// exists) and returns its connection string; nullopt without a server. Each
// test uses its own name, so tests can run in parallel.
std::optional<std::string> mariadb_fresh_database(const std::string &name);

// Runs `sql` on the MySQL connection under a SOCI mysql session, bypassing
// SOCI's statement parser (which takes a ':' or a quote inside an SQL comment
// for a bind or a string), and returns the result's column names in order;
// `rows` gets the number of rows. Throws std::runtime_error with the
// server's message.
std::vector<std::string> mariadb_result_columns(soci::session &db, const std::string &sql, std::size_t *rows = nullptr);

}  // namespace cskpi::test

// conn_var = a fresh database `dbname`, or the test is skipped (by hand) or
// fails (under ctest: the case lacks its [mariadb] tag).
#define CSKPI_REQUIRE_MARIADB(conn_var, dbname) \
  CSKPI_REQUIRE_SERVER(conn_var, ::cskpi::test::mariadb_fresh_database, dbname, "MariaDB", "[mariadb]")
