#include "source/database.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <libpq-fe.h>

#include <soci/soci.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "source/backend.hpp"

namespace cskpi {
namespace {

bool iequals_prefix(std::string_view text, std::size_t pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  return true;
}

// Driver messages span lines ("...failed: Connection refused\n\tIs the
// server running..."): one line reads better inside ours.
std::string one_line(std::string m) {
  for (char &c : m)
    if (c == '\n' || c == '\t') c = ' ';
  while (!m.empty() && m.back() == ' ') m.pop_back();
  return m;
}

// What opening and reading a database of each dialect takes, in Dialect's
// order: SOCI's backend (linked in directly) and the profile reader.
struct Driver {
  Dialect dialect;
  const soci::backend_factory &factory;
  std::unique_ptr<source_detail::Backend> (*reader)(soci::session &);
  bool file_database;  // the connection names a file, which must exist unless created
};

const Driver kDrivers[] = {
    {Dialect::sqlite3, soci::sqlite3, source_detail::make_sqlite3_backend, true},
    {Dialect::postgresql, soci::postgresql, source_detail::make_postgresql_backend, false},
    {Dialect::mysql, soci::mysql, source_detail::make_mysql_backend, false},
};

const Driver &driver(Dialect d) {
  const Driver &out = kDrivers[static_cast<std::size_t>(d)];
  if (out.dialect != d) throw std::logic_error("kDrivers is not in Dialect's order");
  return out;
}

// The sqlite3 connection string opening `file` read-only (SOCI's readonly=1
// is SQLITE_OPEN_READONLY without SQLITE_OPEN_CREATE): a source is only ever
// read, and a mistyped path must never leave an empty database behind.
std::string sqlite_read_only(const std::string &connection, const std::string &file) {
  if (connection.find('=') != std::string::npos) {
    if (connection.find("readonly") != std::string::npos) return connection;  // the host chose
    return connection + " readonly=1";
  }
  if (file.find('"') != std::string::npos)
    throw ConfigError("the sqlite3 file name '" + file + "' holds a double quote: use the file:... URI form");
  return "db=\"" + file + "\" readonly=1";
}

// ---- PostgreSQL: the connection string as libpq reads it -------------------

// SOCI 4.0.3's postgresql factory re-splits the connection string at spaces
// and knows only double quotes, so libpq's own quoting (password='a b')
// arrives broken ("invalid connection option"). One form passes through it
// unchanged: a URI with every parameter in its query, percent-encoded (no
// space, no quote). So the string libpq would read is parsed with libpq
// itself and handed on in that form.
void append_uri_parameter(std::string &out, const std::string &keyword, const std::string &value) {
  static const char *const hex = "0123456789ABCDEF";
  out += out.back() == '?' ? "" : "&";
  out += keyword + '=';
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

// Any connection string libpq (and so psql) accepts, keyword form or URI, as
// that URI, with connect_timeout added when neither the string nor
// PGCONNECT_TIMEOUT sets one: a server that accepts the connection and never
// answers must not hang the ERP's process. Unset parameters stay unset, so
// libpq's environment defaults (PGHOST, PGUSER...) still apply.
std::string postgres_conninfo(const SourceSettings &settings) {
  char *error = nullptr;
  PQconninfoOption *options = PQconninfoParse(settings.connection.c_str(), &error);
  if (!options) {
    std::string why = error ? one_line(error) : std::string("out of memory");
    PQfreemem(error);
    throw ConfigError("the postgresql connection string is not valid: " + why);
  }
  std::string out = "postgresql://?";
  bool has_timeout = false;
  for (PQconninfoOption *o = options; o->keyword; ++o) {
    if (!o->val) continue;
    if (std::string_view(o->keyword) == "connect_timeout") has_timeout = true;
    append_uri_parameter(out, o->keyword, o->val);
  }
  PQconninfoFree(options);
  // Always one parameter at least: SOCI turns a bare "postgresql://" into "postgresql://=".
  if (!has_timeout) {
    const char *env = std::getenv("PGCONNECT_TIMEOUT");
    append_uri_parameter(out, "connect_timeout", env ? env : std::to_string(settings.connect_timeout));
  }
  return out;
}

// ---- MySQL / MariaDB -----------------------------------------------------

bool has_keyword(const std::string &connection, std::string_view keyword) {
  for (std::size_t pos = connection.find(keyword); pos != std::string::npos; pos = connection.find(keyword, pos + 1)) {
    bool starts = pos == 0 || connection[pos - 1] == ' ';
    std::size_t after = pos + keyword.size();
    while (after < connection.size() && connection[after] == ' ') ++after;
    if (starts && after < connection.size() && connection[after] == '=') return true;
  }
  return false;
}

// The lock waits of a session: a lock held on a table the run reads or
// writes (a cskpi_* table, a long ALTER TABLE on the ERP's) fails the
// statement after lock_timeout seconds instead of waiting for good.
void bound_lock_waits(soci::session &session, Dialect d, const SourceSettings &settings) {
  std::string seconds = std::to_string(settings.lock_timeout);
  if (d == Dialect::postgresql) session << "SET lock_timeout = '" + seconds + "s'";
  if (d == Dialect::mysql) session << "SET SESSION lock_wait_timeout = " + seconds;
}

}  // namespace

// Parsed the way SOCI 4.0 does (database.hpp).
std::string sqlite_file(const std::string &connection) {
  if (connection.find('=') == std::string::npos) return connection;
  std::string file;
  std::size_t i = 0;
  while (i < connection.size()) {
    while (i < connection.size() && connection[i] == ' ') ++i;
    std::size_t eq = connection.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = connection.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < connection.size() && connection[i] == '"') {
      std::size_t close = connection.find('"', i + 1);
      if (close == std::string::npos) close = connection.size();
      value = connection.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      std::size_t space = connection.find(' ', i);
      if (space == std::string::npos) space = connection.size();
      value = connection.substr(i, space - i);
      i = space;
    }
    if (key == "db" || key == "dbname") file = value;
  }
  return file;
}

std::unique_ptr<source_detail::Backend> source_detail::make_backend(Dialect d, soci::session &db) {
  return driver(d).reader(db);
}

std::string redact_connection(std::string_view c) {
  std::string out;
  out.reserve(c.size());
  std::size_t i = 0;
  // URI form: scheme://user:password@host...
  if (auto scheme = c.find("://"); scheme != std::string_view::npos) {
    std::size_t auth_begin = scheme + 3;
    std::size_t auth_end = c.find_first_of("/?#", auth_begin);
    if (auth_end == std::string_view::npos) auth_end = c.size();
    std::size_t at = c.rfind('@', auth_end);
    if (at != std::string_view::npos && at >= auth_begin) {
      std::size_t colon = c.find(':', auth_begin);
      if (colon != std::string_view::npos && colon < at) {
        out.append(c.substr(0, colon + 1)).append("***");
        i = at;
      }
    }
  }
  // Keyword form (and URI query parameters): password=value, value possibly
  // single-quoted with backslash escapes (libpq's syntax).
  while (i < c.size()) {
    bool at_word = i == 0 || c[i - 1] == ' ' || c[i - 1] == '?' || c[i - 1] == '&' || c[i - 1] == '\t';
    if (at_word && iequals_prefix(c, i, "password")) {
      std::size_t j = i + 8;
      while (j < c.size() && c[j] == ' ') ++j;
      if (j < c.size() && c[j] == '=') {
        ++j;
        while (j < c.size() && c[j] == ' ') ++j;
        out.append("password=***");
        if (j < c.size() && c[j] == '\'') {
          for (++j; j < c.size() && c[j] != '\''; ++j)
            if (c[j] == '\\') ++j;
          ++j;
        } else {
          while (j < c.size() && c[j] != ' ' && c[j] != '&' && c[j] != '\t') ++j;
        }
        i = j;
        continue;
      }
    }
    out.push_back(c[i++]);
  }
  return out;
}

std::unique_ptr<soci::session> open_session(const SourceSettings &settings, OpenMode mode) {
  const Driver &d = driver(parse_dialect(settings.backend));
  const std::string backend = dialect_name(d.dialect);
  if (settings.connection.empty()) throw ConfigError("the " + backend + " connection string is empty");
  std::string where = backend + " database '" + redact_connection(settings.connection) + "'";

  std::string connection = settings.connection;
  if (d.file_database && mode != OpenMode::write_or_create) {
    std::string file = sqlite_file(settings.connection);
    // ":memory:" and URI file names ("file:...", where mode=ro says the
    // same) name no plain file to check.
    bool plain = !file.empty() && file != ":memory:" && file.rfind("file:", 0) != 0;
    std::error_code ec;
    if (plain && !std::filesystem::exists(file, ec))
      throw SourceError("cannot open " + where + ": file '" + file + "' does not exist");
    if (plain && mode == OpenMode::read) connection = sqlite_read_only(settings.connection, file);
  }
  if (d.dialect == Dialect::postgresql) connection = postgres_conninfo(settings);
  if (d.dialect == Dialect::mysql && !has_keyword(connection, "connect_timeout"))
    connection += " connect_timeout=" + std::to_string(settings.connect_timeout);
  try {
    auto session = std::make_unique<soci::session>(d.factory, connection);
    bound_lock_waits(*session, d.dialect, settings);
    return session;
  } catch (const soci::soci_error &e) {
    throw SourceError("cannot open " + where + ": " + one_line(e.get_error_message()));
  } catch (const std::exception &e) {
    throw SourceError("cannot open " + where + ": " + one_line(e.what()));
  }
}

}  // namespace cskpi
