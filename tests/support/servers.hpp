// The throwaway database servers a test run starts (ctest fixtures "pg" and
// "mariadb", tests/CMakeLists.txt). A test case that needs one carries the
// tag [pg] or [mariadb]: ctest starts that server for it, and only for it.
#pragma once

namespace cskpi::test {

// A test needs `server` but has no connection to it. Run by hand (outside
// ctest) the test is skipped with a warning; under ctest
// that can only mean a missing `tag`, so the test fails saying so.
void skip_without_server(const char *server, const char *tag);

}  // namespace cskpi::test

// conn_var = fresh_database(dbname), or skip/fail the current test (above).
#define CSKPI_REQUIRE_SERVER(conn_var, fresh_database, dbname, server, tag) \
  auto conn_var = fresh_database(dbname);                                   \
  if (!conn_var) {                                                          \
    ::cskpi::test::skip_without_server(server, tag);                        \
    return;                                                                 \
  }
