// MySQL / MariaDB: statements go straight through the MYSQL* connection SOCI
// exposes. SOCI's own MySQL statements read a whole result into client
// memory (mysql_store_result), so rows are streamed with mysql_use_result:
// the server sends them as they are read, one row in the client library's
// buffer at a time plus one chunk of parsed values here. The SOCI session
// stays usable afterwards.
//
// A profile SELECT is described without running it (a prepared statement's
// result metadata). The wrapped SELECT converts every column in the server
// with fixed templates: dates to day numbers with DATEDIFF, DATETIME to
// epoch seconds with TIMESTAMPDIFF (zone-free: the wall clock as if UTC, the
// loader applies "timestamps": "local"), TIMESTAMP columns (instants) with
// UNIX_TIMESTAMP, which returns their stored instant whatever the session's
// time_zone; numbers to DOUBLE or SIGNED, text to utf8mb4.
#include <cctype>
#include <charconv>
#include <cstring>
#include <memory>

#include <soci/mysql/soci-mysql.h>

#include "core/errors.hpp"
#include "source/backend.hpp"

namespace cskpi::source_detail {
namespace {

// ResultColumn::type = enum_field_types, plus this bit for binary strings
// (character set 63): BLOB/VARBINARY hold bytes, not text.
constexpr int kBinaryBit = 1 << 16;
constexpr unsigned kBinaryCharset = 63;

std::string type_name(int type) {
  bool binary = (type & kBinaryBit) != 0;
  switch (static_cast<enum_field_types>(type & 0xffff)) {
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return "decimal";
    case MYSQL_TYPE_TINY: return "tinyint";
    case MYSQL_TYPE_SHORT: return "smallint";
    case MYSQL_TYPE_LONG: return "int";
    case MYSQL_TYPE_INT24: return "mediumint";
    case MYSQL_TYPE_LONGLONG: return "bigint";
    case MYSQL_TYPE_FLOAT: return "float";
    case MYSQL_TYPE_DOUBLE: return "double";
    case MYSQL_TYPE_NULL: return "null";
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2: return "timestamp";
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return "date";
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2: return "time";
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2: return "datetime";
    case MYSQL_TYPE_YEAR: return "year";
    case MYSQL_TYPE_BIT: return "bit";
    case MYSQL_TYPE_JSON: return "json";
    case MYSQL_TYPE_ENUM: return "enum";
    case MYSQL_TYPE_SET: return "set";
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB: return binary ? "blob" : "text";
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING: return binary ? "varbinary" : "varchar";
    case MYSQL_TYPE_STRING: return binary ? "binary" : "char";
    case MYSQL_TYPE_GEOMETRY: return "geometry";
    default: return "type " + std::to_string(type & 0xffff);
  }
}

enum class Family { integer, number, date, datetime, timestamp, time, text, binary, null, other };

Family family(int type) {
  bool binary = (type & kBinaryBit) != 0;
  switch (static_cast<enum_field_types>(type & 0xffff)) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_BIT: return Family::integer;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE: return Family::number;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return Family::date;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2: return Family::datetime;
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2: return Family::timestamp;
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2:
    case MYSQL_TYPE_YEAR: return Family::time;
    case MYSQL_TYPE_NULL: return Family::null;
    case MYSQL_TYPE_JSON:
    case MYSQL_TYPE_ENUM:
    case MYSQL_TYPE_SET: return Family::text;
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_STRING: return binary ? Family::binary : Family::text;
    default: return Family::other;
  }
}

// Server errors that blame the server or the connection, not the SQL:
// out of disk, memory or connections, shutdown, lock waits and deadlocks,
// killed or timed-out statements, storage-engine failures.
bool is_database_problem(unsigned code) {
  if (code >= 2000 && code < 3000) return true;  // client library: connection lost, out of memory, ...
  switch (code) {
    case 1021:  // ER_DISK_FULL
    case 1028:  // ER_FILSORT_ABORT
    case 1030:  // ER_GET_ERRNO (storage engine)
    case 1037:  // ER_OUTOFMEMORY
    case 1038:  // ER_OUT_OF_SORTMEMORY
    case 1040:  // ER_CON_COUNT_ERROR
    case 1041:  // ER_OUT_OF_RESOURCES
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1077:  // ER_NORMAL_SHUTDOWN
    case 1078:  // ER_GOT_SIGNAL
    case 1079:  // ER_SHUTDOWN_COMPLETE
    case 1114:  // ER_RECORD_FILE_FULL
    case 1135:  // ER_CANT_CREATE_THREAD
    case 1152:  // ER_ABORTING_CONNECTION
    case 1158:  // ER_NET_READ_ERROR
    case 1159:  // ER_NET_READ_INTERRUPTED
    case 1160:  // ER_NET_ERROR_ON_WRITE
    case 1161:  // ER_NET_WRITE_INTERRUPTED
    case 1180:  // ER_ERROR_DURING_COMMIT
    case 1181:  // ER_ERROR_DURING_ROLLBACK
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1206:  // ER_LOCK_TABLE_FULL
    case 1213:  // ER_LOCK_DEADLOCK
    case 1317:  // ER_QUERY_INTERRUPTED
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
    case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
    case 3024:  // ER_QUERY_TIMEOUT (MySQL max_execution_time)
      return true;
    default: return false;
  }
}

DbFailure failure(unsigned code, const char *message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  if (m.empty()) m = "unknown error";
  return DbFailure(m + " (error " + std::to_string(code) + ")", code == 0 || is_database_problem(code));
}
DbFailure failure(MYSQL *conn) { return failure(mysql_errno(conn), mysql_error(conn)); }

struct ResultDeleter {
  // For a mysql_use_result result, also reads and discards the rows not
  // fetched yet (a stopped load), so the connection is idle again.
  void operator()(MYSQL_RES *r) const { mysql_free_result(r); }
};
using Result = std::unique_ptr<MYSQL_RES, ResultDeleter>;

struct StmtDeleter {
  void operator()(MYSQL_STMT *s) const { mysql_stmt_close(s); }
};

const std::string kBad = std::to_string(kBadValue);

// A session variable's value as SQL: a plain name (utf8mb3, 30) as is, no
// value as NULL; anything else is not restored (nullopt).
std::optional<std::string> restorable(const char *value, unsigned long length) {
  if (!value) return std::string("NULL");
  std::string v(value, length);
  if (v.empty()) return std::nullopt;
  for (char c : v)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  return v;
}

class MysqlBackend final : public Backend {
 public:
  explicit MysqlBackend(soci::session &db) : db_(db) {}
  Dialect dialect() const override { return Dialect::mysql; }

  // REPEATABLE READ WITH CONSISTENT SNAPSHOT: every source is read from one
  // InnoDB snapshot taken at the start, so an order line can never refer to
  // a customer committed after customers were read. READ ONLY makes any
  // write to a table fail. Text comes back as utf8mb4 whatever the
  // connection's character set, and the server waits long enough for a
  // slow consumer of a streamed result; both session settings are put back
  // afterwards, since the session belongs to the caller.
  void begin() override {
    {
      const char *q = "SELECT @@session.character_set_results, @@session.net_write_timeout";
      if (mysql_real_query(conn(), q, std::strlen(q))) throw failure(conn());
      Result r(mysql_store_result(conn()));
      if (!r) throw failure(conn());
      MYSQL_ROW row = mysql_fetch_row(r.get());
      if (!row) throw DbFailure("no session settings returned", true);
      unsigned long *len = mysql_fetch_lengths(r.get());
      saved_charset_ = restorable(row[0], len[0]);
      saved_timeout_ = restorable(row[1], len[1]);
    }
    exec("SET SESSION character_set_results = utf8mb4, SESSION net_write_timeout = 3600");
    restore_settings_ = true;
    exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    exec("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    in_transaction_ = true;
  }
  void commit() override {
    exec("COMMIT");
    in_transaction_ = false;
    restore();
  }
  void rollback() noexcept override {
    if (in_transaction_) {
      in_transaction_ = false;
      const char *q = "ROLLBACK";
      mysql_real_query(conn(), q, std::strlen(q));  // a lost connection rolls back by itself
    }
    try {
      restore();
    } catch (...) {
    }
  }

  bool relation_exists(const std::string &name) override {
    std::string escaped(name.size() * 2 + 1, '\0');
    escaped.resize(mysql_real_escape_string(conn(), escaped.data(), name.data(), name.size()));
    std::string q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '" +
                    escaped + "'";
    if (mysql_real_query(conn(), q.data(), q.size())) throw failure(conn());
    Result r(mysql_store_result(conn()));
    if (!r) throw failure(conn());
    MYSQL_ROW row = mysql_fetch_row(r.get());
    return row && row[0] && std::strcmp(row[0], "0") != 0;
  }

  // Prepared, never executed: the server parses and resolves the SELECT and
  // reports its result columns. A prepared statement also holds exactly one
  // statement, so a profile cannot smuggle in a second one.
  std::vector<ResultColumn> describe(const std::string &select) override {
    std::string probe = "SELECT * FROM (\n" + select + "\n) AS src";
    std::unique_ptr<MYSQL_STMT, StmtDeleter> st(mysql_stmt_init(conn()));
    if (!st) throw failure(conn());
    if (mysql_stmt_prepare(st.get(), probe.data(), probe.size()))
      throw failure(mysql_stmt_errno(st.get()), mysql_stmt_error(st.get()));
    Result meta(mysql_stmt_result_metadata(st.get()));
    if (!meta) {
      if (mysql_stmt_errno(st.get())) throw failure(mysql_stmt_errno(st.get()), mysql_stmt_error(st.get()));
      return {};
    }
    std::vector<ResultColumn> cols;
    unsigned n = mysql_num_fields(meta.get());
    MYSQL_FIELD *fields = mysql_fetch_fields(meta.get());
    for (unsigned i = 0; i < n; ++i) {
      int type = static_cast<int>(fields[i].type);
      if (fields[i].charsetnr == kBinaryCharset) type |= kBinaryBit;
      cols.push_back({std::string(fields[i].name, fields[i].name_length), type_name(type), type});
    }
    return cols;
  }

  std::optional<PlannedColumn> plan(const CanonicalColumn &want, const ResultColumn &have,
                                    std::string &why) const override {
    Family f = family(have.type);
    std::string c = "src." + quote_ident(Dialect::mysql, want.name);
    // NULL stays NULL; a value the server cannot convert (NULL from the
    // function, e.g. '0000-00-00' or text that is no date) becomes kBadValue.
    auto guarded = [&](const std::string &v) {
      return "CASE WHEN " + c + " IS NULL THEN NULL ELSE COALESCE(" + v + ", " + kBad + ") END";
    };
    // A TIMESTAMP column is an instant: UNIX_TIMESTAMP returns it as stored,
    // whatever the session's time_zone (0 only for the zero timestamp).
    auto instant = [&] {
      return PlannedColumn{guarded("NULLIF(FLOOR(UNIX_TIMESTAMP(" + c + ")), 0)"), Wire::int64, Meaning::epoch_utc};
    };
    bool numeric = f == Family::integer || f == Family::number;
    switch (want.kind) {
      case ColumnKind::text:
        if (f == Family::date || f == Family::datetime || f == Family::timestamp || f == Family::time ||
            f == Family::other)
          break;
        return PlannedColumn{"CAST(" + c + " AS CHAR CHARACTER SET utf8mb4)", Wire::text, Meaning::text};
      case ColumnKind::date:
        // A number is no date here, although the server would read 20240105 as one.
        if (numeric || f == Family::time || f == Family::binary || f == Family::other) break;
        // A TIMESTAMP is an instant: its local date needs the configured zone.
        if (f == Family::timestamp) return instant();
        return PlannedColumn{guarded("DATEDIFF(" + c + ", '1970-01-01')"), Wire::int64, Meaning::days};
      case ColumnKind::timestamp:
        if (numeric || f == Family::time || f == Family::binary || f == Family::other) break;
        if (f == Family::timestamp) return instant();
        // The wall clock as if UTC: zone-free, unlike UNIX_TIMESTAMP(datetime),
        // which would apply the session's time_zone.
        return PlannedColumn{guarded("TIMESTAMPDIFF(SECOND, '1970-01-01', " + c + ")"), Wire::int64,
                             Meaning::epoch_naive};
      case ColumnKind::real:
        if (f == Family::date || f == Family::datetime || f == Family::timestamp || f == Family::time ||
            f == Family::binary || f == Family::other)
          break;
        // Text is read strictly in parse_row: CAST('abc' AS DOUBLE) is 0
        // with a warning, CAST('12abc' AS DOUBLE) 12.
        if (numeric) return PlannedColumn{"CAST(" + c + " AS DOUBLE)", Wire::real, Meaning::real};
        return PlannedColumn{"CAST(" + c + " AS CHAR CHARACTER SET utf8mb4)", Wire::real, Meaning::real};
      case ColumnKind::integer:
        if (f == Family::date || f == Family::datetime || f == Family::timestamp || f == Family::time ||
            f == Family::binary || f == Family::other)
          break;
        if (f == Family::integer) return PlannedColumn{"CAST(" + c + " AS SIGNED)", Wire::int64, Meaning::integer};
        // '7' and '7.0' both read; '7.5' and 'abc' are bad (strict_integer).
        return PlannedColumn{"CAST(" + c + " AS CHAR CHARACTER SET utf8mb4)", Wire::int64, Meaning::integer};
    }
    why = "is " + have.type_name + ", which cannot hold a " + column_kind_name(want.kind);
    return std::nullopt;
  }

  std::string utc_clock() override {
    std::string now;
    db_ << utc_clock_sql(Dialect::mysql), soci::into(now);
    return now;
  }

  void read(const std::string &select, Chunk &chunk, const std::function<void(const Chunk &)> &sink) override {
    MYSQL *cn = conn();
    if (mysql_real_query(cn, select.data(), select.size())) throw failure(cn);
    Result res(mysql_use_result(cn));
    if (!res) throw failure(cn);
    if (mysql_num_fields(res.get()) != chunk.cols.size())
      throw DbFailure("unexpected result layout (column count differs)", true);
    chunk.reserve_rows();
    std::size_t n = 0;
    while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
      parse_row(row, mysql_fetch_lengths(res.get()), chunk, n);
      if (++n == kChunkRows) {
        chunk.rows = n;
        sink(chunk);
        n = 0;
      }
    }
    // The end of the rows or an error mid-stream (connection lost, statement
    // killed or timed out).
    if (mysql_errno(cn)) throw failure(cn);
    res.reset();
    if (n > 0) {
      chunk.rows = n;
      sink(chunk);
    }
  }

 private:
  MYSQL *conn() const { return static_cast<soci::mysql_session_backend *>(db_.get_backend())->conn_; }

  void exec(const char *sql) {
    if (mysql_real_query(conn(), sql, std::strlen(sql))) throw failure(conn());
  }

  void restore() {
    if (!restore_settings_) return;
    restore_settings_ = false;
    std::string set;
    if (saved_charset_) set += "SESSION character_set_results = " + *saved_charset_;
    if (saved_timeout_) set += (set.empty() ? "" : ", ") + std::string("SESSION net_write_timeout = ") + *saved_timeout_;
    if (!set.empty()) exec(("SET " + set).c_str());
  }

  static void parse_row(MYSQL_ROW row, const unsigned long *len, Chunk &chunk, std::size_t r) {
    for (std::size_t c = 0; c < chunk.cols.size(); ++c) {
      ColumnBuffer &col = chunk.cols[c];
      const char *p = row[c];
      if (!p) {
        col.ind[r] = soci::i_null;
        continue;
      }
      col.ind[r] = soci::i_ok;
      const char *end = p + len[c];
      // Numbers strictly: a bad one is that cell's marker (bad_value), never the read's end.
      const std::string_view cell(p, len[c]);
      switch (col.wire) {
        case Wire::text: col.text[r].assign(p, end); break;
        case Wire::int64: col.ints[r] = strict_integer(cell); break;
        case Wire::real: col.reals[r] = strict_real(cell); break;
        case Wire::iso_days: col.ints[r] = strict_iso_days(cell); break;
        case Wire::iso_seconds: col.ints[r] = strict_iso_seconds(cell); break;
      }
    }
  }

  soci::session &db_;
  bool in_transaction_ = false;
  bool restore_settings_ = false;
  std::optional<std::string> saved_charset_, saved_timeout_;
};

}  // namespace

std::unique_ptr<Backend> make_mysql_backend(soci::session &db) { return std::make_unique<MysqlBackend>(db); }

}  // namespace cskpi::source_detail
