#include "support/pg.hpp"

#include <cstdlib>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

namespace cskpi::test {

std::optional<std::string> pg_server() {
  const char *conn = std::getenv("CSKPI_PG_CONNECTION");
  if (!conn || !*conn) return std::nullopt;
  return std::string(conn);
}

std::optional<std::string> pg_fresh_database(const std::string &name, const std::string &encoding) {
  auto server = pg_server();
  if (!server) return std::nullopt;
  {
    soci::session admin(soci::postgresql, *server);
    // Names come from test code, never from data; quoted as identifiers.
    admin << "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)";
    admin << "CREATE DATABASE \"" + name + "\"" +
                 (encoding.empty() ? "" : " ENCODING '" + encoding + "' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
  }
  std::string conn = *server;
  auto pos = conn.find("dbname=");
  if (pos != std::string::npos) conn.erase(pos, conn.find(' ', pos) == std::string::npos ? std::string::npos : conn.find(' ', pos) - pos + 1);
  return conn + " dbname=" + name;
}

}  // namespace cskpi::test
