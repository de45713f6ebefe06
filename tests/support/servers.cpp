#include "support/servers.hpp"

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

namespace cskpi::test {

void skip_without_server(const char *server, const char *tag) {
  // ctest gives every case one of these (tests/CMakeLists.txt).
  if (std::getenv("CSKPI_CTEST") || std::getenv("CSKPI_PG_CONNECTION") || std::getenv("CSKPI_MARIADB_CONNECTION"))
    FAIL(server << " is not running for this test: tag its TEST_CASE " << tag << " (tests/CMakeLists.txt)");
  WARN(server << " not available: test skipped (run it through ctest)");
}

}  // namespace cskpi::test
