#include "core/dialect.hpp"

#include "core/errors.hpp"

namespace cskpi {
namespace {

constexpr Dialect kDialects[] = {Dialect::sqlite3, Dialect::postgresql, Dialect::mysql};

}  // namespace

std::span<const Dialect> all_dialects() { return kDialects; }

const char *dialect_name(Dialect d) {
  switch (d) {
    case Dialect::sqlite3: return "sqlite3";
    case Dialect::postgresql: return "postgresql";
    case Dialect::mysql: return "mysql";
  }
  return "?";
}

std::string join_dialects(std::span<const Dialect> ds) {
  std::string out;
  for (std::size_t i = 0; i < ds.size(); ++i)
    out += (i == 0 ? "" : i + 1 == ds.size() ? " or " : ", ") + std::string(dialect_name(ds[i]));
  return out;
}

const std::string &dialect_choices() {
  static const std::string text = join_dialects(all_dialects());
  return text;
}

std::optional<Dialect> find_dialect(std::string_view name) {
  for (Dialect d : kDialects)
    if (name == dialect_name(d)) return d;
  return std::nullopt;
}

Dialect parse_dialect(std::string_view name, std::string_view what) {
  if (auto d = find_dialect(name)) return *d;
  throw ConfigError("unknown " + std::string(what) + " '" + std::string(name) + "' (expected " + dialect_choices() +
                    ")");
}

std::string quote_ident(Dialect d, std::string_view name) {
  const char q = d == Dialect::mysql ? '`' : '"';
  std::string out(1, q);
  for (char ch : name) {
    if (ch == q) out += q;  // doubled: the quote character inside the name
    out += ch;
  }
  return out + q;
}

const char *utc_clock_sql(Dialect d) {
  switch (d) {
    case Dialect::sqlite3: return "SELECT strftime('%Y-%m-%d %H:%M:%S', 'now')";
    case Dialect::postgresql: return "SELECT to_char(CURRENT_TIMESTAMP AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')";
    case Dialect::mysql: return "SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')";
  }
  return "";
}

}  // namespace cskpi
