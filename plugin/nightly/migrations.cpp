#include "nightly/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <soci/soci.h>

#include "embedded/nightly_migrations.hpp"

namespace cskpi {
namespace {

// Key of the transaction advisory lock that serialises migrations on
// PostgreSQL ("cskpi" in ASCII, then 2; the run lock uses 1).
constexpr long long kMigrationLockKey = 0x63736b7069000002LL;

Migration parse_file(std::string_view file, std::string_view sql) {
  // file = "NNNN_<name>.sql"
  auto underscore = file.find('_');
  int version = 0;
  auto [end, ec] = std::from_chars(file.data(), file.data() + std::min(underscore, file.size()), version);
  bool ok = underscore != std::string_view::npos && ec == std::errc() && end == file.data() + underscore &&
            version > 0 && file.size() > underscore + 5 && file.substr(file.size() - 4) == ".sql";
  if (!ok) throw std::logic_error("malformed migration file name '" + std::string(file) + "' (expected NNNN_name.sql)");
  std::string name(file.substr(underscore + 1, file.size() - underscore - 5));
  return Migration{version, std::move(name), sql};
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// SQLite's sqlite3_prepare compiles only the first statement of a text, so
// every statement travels alone; the schema table is created here, not by a
// migration, because it records the migrations.
std::string create_version_table(const TargetDialect &d) {
  return std::string("CREATE TABLE IF NOT EXISTS cskpi_schema_version (\n"
                     "  version INTEGER PRIMARY KEY,\n"
                     "  name TEXT NOT NULL,\n  ") +
         d.applied_at_column + "\n)";
}

bool version_table_exists(Target &db) {
  int n = 0;
  db.sql() << db.dialect().version_table_exists, soci::into(n);
  return n > 0;
}

bool is_applied(Target &db, int version) {
  int n = 0;
  db.sql() << "SELECT count(*) FROM cskpi_schema_version WHERE version = :v", soci::use(version), soci::into(n);
  return n > 0;
}

// One migration in one transaction; false when another process applied it
// first.
bool apply_one(Target &db, const Migration &m) {
  Transaction tx(db);
  if (db.dialect().locking == TargetDialect::Locking::advisory) {  // else: begin_write took the write lock
    int one = 0;
    db.sql() << "SELECT 1 FROM pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")", soci::into(one);
  }
  db.exec(create_version_table(db.dialect()));
  if (is_applied(db, m.version)) return false;  // tx rolls back: nothing to keep
  for (const auto &statement : split_statements(m.sql)) db.exec(statement);
  db.sql() << "INSERT INTO cskpi_schema_version (version, name) VALUES (:v, :n)", soci::use(m.version),
      soci::use(m.name);
  tx.commit();
  return true;
}

}  // namespace

std::vector<Migration> embedded_migrations(const std::string &backend) {
  std::vector<Migration> out;
  const std::string prefix = backend + "/";
  for (const auto &f : embedded::nightly_migrations()) {
    if (f.path.substr(0, prefix.size()) != prefix) continue;
    out.push_back(parse_file(f.path.substr(prefix.size()), f.text));
  }
  std::sort(out.begin(), out.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].version == out[i - 1].version)
      throw std::logic_error("two " + backend + " migrations have version " + std::to_string(out[i].version));
  return out;
}

std::vector<std::string> split_statements(std::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  while (!sql.empty()) {
    auto nl = sql.find('\n');
    std::string_view line = sql.substr(0, nl);
    sql = nl == std::string_view::npos ? std::string_view() : sql.substr(nl + 1);
    std::string t = trim(line);
    if (t.empty() || t.rfind("--", 0) == 0) continue;
    current.append(line).push_back('\n');
    if (t.back() == ';') {
      std::string statement = trim(current);
      statement.pop_back();  // the ';'
      out.push_back(std::move(statement));
      current.clear();
    }
  }
  if (!trim(current).empty()) out.push_back(trim(current));
  return out;
}

std::vector<int> applied_versions(Target &db) {
  std::vector<int> out;
  if (!version_table_exists(db)) return out;
  soci::rowset<int> rows = (db.sql().prepare << "SELECT version FROM cskpi_schema_version ORDER BY version");
  for (int v : rows) out.push_back(v);
  return out;
}

int apply_migrations(Target &db, const std::function<void(int done, int total)> &progress) {
  std::vector<int> applied = applied_versions(db);
  std::vector<Migration> pending;
  for (auto &m : embedded_migrations(dialect_name(db.dialect().dialect)))
    if (!std::binary_search(applied.begin(), applied.end(), m.version)) pending.push_back(m);
  const int total = static_cast<int>(pending.size());
  int done = 0, count = 0;
  progress(0, total);
  for (const auto &m : pending) {
    if (apply_one(db, m)) ++count;
    progress(++done, total);
  }
  return count;
}

}  // namespace cskpi
