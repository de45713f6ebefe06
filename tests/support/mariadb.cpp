#include "support/mariadb.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

namespace cskpi::test {

std::optional<std::string> mariadb_server() {
  const char *conn = std::getenv("CSKPI_MARIADB_CONNECTION");
  if (!conn || !*conn) return std::nullopt;
  return std::string(conn);
}

std::optional<std::string> mariadb_fresh_database(const std::string &name) {
  auto server = mariadb_server();
  if (!server) return std::nullopt;
  {
    soci::session admin(soci::mysql, *server);
    // Names come from test code, never from data; quoted as identifiers.
    admin << "DROP DATABASE IF EXISTS `" + name + "`";
    admin << "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  }
  return *server + " db=" + name;
}

std::vector<std::string> mariadb_result_columns(soci::session &db, const std::string &sql, std::size_t *rows) {
  MYSQL *conn = static_cast<soci::mysql_session_backend *>(db.get_backend())->conn_;
  if (mysql_real_query(conn, sql.data(), sql.size())) throw std::runtime_error(mysql_error(conn));
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(conn), &mysql_free_result);
  if (!res) throw std::runtime_error(mysql_errno(conn) ? mysql_error(conn) : "the statement returned no result set");
  std::vector<std::string> names;
  MYSQL_FIELD *fields = mysql_fetch_fields(res.get());
  for (unsigned i = 0; i < mysql_num_fields(res.get()); ++i) names.emplace_back(fields[i].name, fields[i].name_length);
  if (rows) *rows = static_cast<std::size_t>(mysql_num_rows(res.get()));
  return names;
}

}  // namespace cskpi::test
