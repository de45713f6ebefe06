// SQLite: statements around the load (transaction, PRAGMA, describe) go
// through SOCI; the rows of a profile SELECT are stepped with the SQLite C
// API on the connection SOCI holds, straight into the chunk's column buffers
// (sqlite3_column_int64/double/text). SOCI 4.0's own fetch sees no declared
// type on the wrapped SELECT's expressions and copies every cell as a heap
// string that it parses back: over half of a load's CPU time. SQLite steps
// the statement as rows are asked for, so memory stays at one chunk.
//
// SQLite keeps dates as TEXT ('YYYY-MM-DD[ HH:MM:SS]'), so the wrapped SELECT
// converts them with SQLite's own date functions and returns integers. Every
// column is an expression with a fixed result type (CAST, or a CASE over
// integers); number columns come as stored and are read strictly (real_of,
// integer_of), so nothing is coerced.
#include <cmath>
#include <memory>

#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "source/backend.hpp"

namespace cskpi::source_detail {
namespace {

// Result codes that say the database is in trouble rather than the SQL.
bool is_database_problem(int rc) {
  switch (rc & 0xff) {
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOTADB:
    case SQLITE_INTERRUPT: return true;
    default: return false;
  }
}

// SOCI prefixes SQLite's message with its own function name
// ("sqlite3_statement_backend::prepare: no such table: x"): keep SQLite's part.
std::string sqlite_message(const soci::soci_error &e) {
  std::string m = e.get_error_message();
  if (m.rfind("sqlite3_", 0) == 0)
    if (auto colon = m.find(": "); colon != std::string::npos) m.erase(0, colon + 2);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

std::string trimmed(const char *message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

template <class F>
auto guarded(F &&f) {
  try {
    return f();
  } catch (const soci::sqlite3_soci_error &e) {
    throw DbFailure(sqlite_message(e), is_database_problem(e.result()));
  } catch (const soci::soci_error &e) {
    throw DbFailure(sqlite_message(e), false);
  }
}

const char *soci_type_name(int t) {
  switch (static_cast<soci::data_type>(t)) {
    case soci::dt_string: return "text";
    case soci::dt_date: return "date";
    case soci::dt_double: return "real";
    case soci::dt_integer: return "integer";
    case soci::dt_long_long: return "bigint";
    case soci::dt_unsigned_long_long: return "unsigned bigint";
    case soci::dt_blob: return "blob";
    case soci::dt_xml: return "xml";
  }
  return "?";
}


std::string_view bytes_of(sqlite_api::sqlite3_value *v) {
  // text (not blob): a BLOB of decimal text reads as its characters.
  const auto *p = reinterpret_cast<const char *>(sqlite_api::sqlite3_value_text(v));
  return {p ? p : "", static_cast<std::size_t>(sqlite_api::sqlite3_value_bytes(v))};
}

// A number cell as stored: integers and reals as they are, text and blobs
// read strictly (backend.hpp).
double real_of(sqlite_api::sqlite3_value *v) {
  const int type = sqlite_api::sqlite3_value_type(v);
  if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) return sqlite_api::sqlite3_value_double(v);
  return strict_real(bytes_of(v));
}

long long integer_of(sqlite_api::sqlite3_value *v) {
  const int type = sqlite_api::sqlite3_value_type(v);
  if (type == SQLITE_INTEGER) return sqlite_api::sqlite3_value_int64(v);
  if (type == SQLITE_FLOAT) {
    const double d = sqlite_api::sqlite3_value_double(v);
    return std::isfinite(d) && d == std::floor(d) && std::abs(d) <= 9007199254740992.0 ? static_cast<long long>(d)
                                                                                       : kBadValue;
  }
  return strict_integer(bytes_of(v));
}

class Sqlite3Backend final : public Backend {
 public:
  explicit Sqlite3Backend(soci::session &db) : db_(db) {}
  Dialect dialect() const override { return Dialect::sqlite3; }

  // query_only makes any write through this connection fail, whatever a
  // profile's SQL tries; the previous value is restored afterwards because
  // the session belongs to the caller. One transaction gives all sources one
  // consistent snapshot.
  void begin() override {
    guarded([&] {
      int was = 0;
      db_ << "PRAGMA query_only", soci::into(was);
      was_query_only_ = was != 0;
      db_ << "PRAGMA query_only = ON";
      restore_query_only_ = true;
      db_ << "BEGIN";
    });
  }

  void commit() override {
    guarded([&] { db_ << "COMMIT"; });
    restore();
  }

  void rollback() noexcept override {
    try {
      // Some errors (SQLITE_FULL, IOERR, ...) already rolled back.
      if (!sqlite_api::sqlite3_get_autocommit(connection())) db_ << "ROLLBACK";
    } catch (...) {
    }
    try {
      restore();
    } catch (...) {
    }
  }

  bool relation_exists(const std::string &name) override {
    return guarded([&] {
      int n = 0;
      std::string n1 = name;
      db_ << "SELECT count(*) FROM (SELECT name, type FROM sqlite_master UNION ALL "
             "SELECT name, type FROM sqlite_temp_master) WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE",
          soci::use(n1), soci::into(n);
      return n > 0;
    });
  }

  std::vector<ResultColumn> describe(const std::string &select) override {
    return guarded([&] {
      soci::row row;
      db_ << "SELECT * FROM (\n" + select + "\n) AS src LIMIT 0", soci::into(row);
      std::vector<ResultColumn> cols;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const auto &p = row.get_properties(i);
        int t = static_cast<int>(p.get_data_type());
        cols.push_back({p.get_name(), soci_type_name(t), t});
      }
      return cols;
    });
  }

  // SOCI derives data_type from the declared column type (DATE -> dt_date,
  // INTEGER -> dt_integer, ...); an expression has none and shows as text.
  std::optional<PlannedColumn> plan(const CanonicalColumn &want, const ResultColumn &have,
                                    std::string &why) const override {
    auto t = static_cast<soci::data_type>(have.type);
    bool number = t == soci::dt_integer || t == soci::dt_long_long || t == soci::dt_unsigned_long_long ||
                  t == soci::dt_double;
    std::string c = "src." + quote_ident(Dialect::sqlite3, want.name);
    switch (want.kind) {
      case ColumnKind::text:
        if (t == soci::dt_date) break;
        return PlannedColumn{"CAST(" + c + " AS TEXT)", Wire::text, Meaning::text};
      // Dates come as stored and are read in read() (strict_iso_days /
      // _seconds): SQLite's own date functions roll '2024-02-30' over to
      // March 1st, read '2460000.5' as a Julian day number, and cost more
      // per cell than the parse. A number is no date here either.
      case ColumnKind::date:
        if (number || t == soci::dt_blob) break;
        return PlannedColumn{c, Wire::iso_days, Meaning::days};
      case ColumnKind::timestamp:
        if (number || t == soci::dt_blob) break;
        return PlannedColumn{c, Wire::iso_seconds, Meaning::epoch_naive};
      // Numbers come as stored and text (or Tryton's Numeric, a BLOB of
      // decimal text) is read strictly in read(): CAST would turn 'abc' into
      // 0 and '12abc' into 12.
      case ColumnKind::real:
        if (t == soci::dt_date) break;
        return PlannedColumn{c, Wire::real, Meaning::real};
      case ColumnKind::integer:
        if (t == soci::dt_date) break;
        return PlannedColumn{c, Wire::int64, Meaning::integer};
    }
    why = std::string("is ") + have.type_name + ", which cannot hold a " + column_kind_name(want.kind) +
          (want.kind == ColumnKind::date || want.kind == ColumnKind::timestamp
               ? " (SQLite dates are TEXT 'YYYY-MM-DD[ HH:MM:SS]'; convert numbers in the profile, e.g. "
                 "datetime(x, 'unixepoch'))"
               : "");
    return std::nullopt;
  }

  void read(const std::string &select, Chunk &chunk, const std::function<void(const Chunk &)> &sink) override {
    read_bound(select, nullptr, chunk, sink);
  }

  // SQLite names parameters itself: :since stays as written. Unbound in a
  // describe, it is null (no row, and LIMIT 0 reads none anyway).
  std::vector<ResultColumn> describe_since(const std::string &select) override { return describe(select); }

  void read_since(const std::string &select, const std::string &since, Chunk &chunk,
                  const std::function<void(const Chunk &)> &sink) override {
    read_bound(select, &since, chunk, sink);
  }

  std::string utc_clock() override {
    return guarded([&] {
      std::string now;
      db_ << utc_clock_sql(Dialect::sqlite3), soci::into(now);
      return now;
    });
  }

 private:
  void read_bound(const std::string &select, const std::string *since, Chunk &chunk,
                  const std::function<void(const Chunk &)> &sink) {
    namespace sq = sqlite_api;
    sq::sqlite3 *db = connection();
    sq::sqlite3_stmt *raw = nullptr;
    int rc = sq::sqlite3_prepare_v2(db, select.c_str(), static_cast<int>(select.size() + 1), &raw, nullptr);
    // Finalised whatever happens, also when the sink throws (cancel).
    std::unique_ptr<sq::sqlite3_stmt, int (*)(sq::sqlite3_stmt *)> st(raw, &sq::sqlite3_finalize);
    if (rc != SQLITE_OK) throw DbFailure(trimmed(sq::sqlite3_errmsg(db)), is_database_problem(rc));
    // SQLITE_STATIC (nullptr): *since outlives the statement.
    if (since) {
      const int at = sq::sqlite3_bind_parameter_index(raw, ":since");
      if (at > 0 && sq::sqlite3_bind_text(raw, at, since->c_str(), static_cast<int>(since->size()), nullptr) !=
                        SQLITE_OK)
        throw DbFailure(trimmed(sq::sqlite3_errmsg(db)), false);
    }
    const std::size_t cols = chunk.cols.size();
    if (static_cast<std::size_t>(sq::sqlite3_column_count(raw)) != cols)
      throw DbFailure("the wrapped SELECT returned an unexpected number of columns", false);
    chunk.reserve_rows();
    std::size_t n = 0;
    while ((rc = sq::sqlite3_step(raw)) == SQLITE_ROW) {
      for (std::size_t c = 0; c < cols; ++c) {
        ColumnBuffer &col = chunk.cols[c];
        // One call that takes the connection's mutex per cell; the value is
        // then read without it (this connection is ours for the load).
        sq::sqlite3_value *v = sq::sqlite3_column_value(raw, static_cast<int>(c));
        if (sq::sqlite3_value_type(v) == SQLITE_NULL) {
          col.ind[n] = soci::i_null;
          continue;
        }
        col.ind[n] = soci::i_ok;
        switch (col.wire) {
          case Wire::text: {
            // The strings keep their capacity from chunk to chunk: no
            // allocation per row once the first chunk has been read.
            const auto *p = reinterpret_cast<const char *>(sq::sqlite3_value_text(v));
            col.text[n].assign(p, static_cast<std::size_t>(sq::sqlite3_value_bytes(v)));
            break;
          }
          case Wire::int64: col.ints[n] = integer_of(v); break;
          case Wire::real: col.reals[n] = real_of(v); break;
          // Only text is a date ('YYYY-MM-DD[ HH:MM[:SS[.fff]]]', backend.hpp).
          case Wire::iso_days:
            col.ints[n] = sq::sqlite3_value_type(v) == SQLITE_TEXT ? strict_iso_days(bytes_of(v)) : kBadValue;
            break;
          case Wire::iso_seconds:
            col.ints[n] = sq::sqlite3_value_type(v) == SQLITE_TEXT ? strict_iso_seconds(bytes_of(v)) : kBadValue;
            break;
        }
      }
      if (++n == kChunkRows) {
        chunk.rows = n;
        sink(chunk);
        n = 0;
      }
    }
    if (rc != SQLITE_DONE) throw DbFailure(trimmed(sq::sqlite3_errmsg(db)), is_database_problem(rc));
    if (n > 0) {
      chunk.rows = n;
      sink(chunk);
    }
  }

  sqlite_api::sqlite3 *connection() const {
    return static_cast<soci::sqlite3_session_backend *>(db_.get_backend())->conn_;
  }
  void restore() {
    if (!restore_query_only_) return;
    restore_query_only_ = false;
    db_ << (was_query_only_ ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF");
  }

  soci::session &db_;
  bool was_query_only_ = false;
  bool restore_query_only_ = false;
};

}  // namespace

std::unique_ptr<Backend> make_sqlite3_backend(soci::session &db) { return std::make_unique<Sqlite3Backend>(db); }

}  // namespace cskpi::source_detail
