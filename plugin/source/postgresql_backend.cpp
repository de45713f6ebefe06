// PostgreSQL: statements go straight through the libpq connection SOCI
// exposes. SOCI's own PostgreSQL statements buffer a whole result in client
// memory (PQexec), so rows are streamed with COPY (SELECT ...) TO STDOUT in
// text format and parsed here, one row in memory at a time plus one chunk of
// parsed values. The SOCI session stays usable afterwards.
#include <cctype>
#include <charconv>
#include <cstring>
#include <memory>

#include <soci/postgresql/soci-postgresql.h>

#include "core/errors.hpp"
#include "source/backend.hpp"

namespace cskpi::source_detail {
namespace {

// Type OIDs (pg_type.dat; fixed since PostgreSQL 7).
enum Oid : unsigned {
  kBool = 16, kBytea = 17, kChar = 18, kName = 19, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26,
  kJson = 114, kFloat4 = 700, kFloat8 = 701, kUnknown = 705, kMoney = 790, kBpchar = 1042, kVarchar = 1043,
  kDate = 1082, kTime = 1083, kTimestamp = 1114, kTimestamptz = 1184, kInterval = 1186, kTimetz = 1266,
  kNumeric = 1700, kUuid = 2950, kJsonb = 3802,
};

std::string oid_name(unsigned oid) {
  switch (oid) {
    case kBool: return "boolean";
    case kBytea: return "bytea";
    case kChar: return "\"char\"";
    case kName: return "name";
    case kInt8: return "bigint";
    case kInt2: return "smallint";
    case kInt4: return "integer";
    case kText: return "text";
    case kOid: return "oid";
    case kJson: return "json";
    case kFloat4: return "real";
    case kFloat8: return "double precision";
    case kUnknown: return "unknown";
    case kMoney: return "money";
    case kBpchar: return "character";
    case kVarchar: return "character varying";
    case kDate: return "date";
    case kTime: return "time";
    case kTimestamp: return "timestamp";
    case kTimestamptz: return "timestamptz";
    case kInterval: return "interval";
    case kTimetz: return "timetz";
    case kNumeric: return "numeric";
    case kUuid: return "uuid";
    case kJsonb: return "jsonb";
    default: return "type oid " + std::to_string(oid);
  }
}

bool is_integer(unsigned t) { return t == kInt2 || t == kInt4 || t == kInt8 || t == kOid; }
bool is_number(unsigned t) { return is_integer(t) || t == kFloat4 || t == kFloat8 || t == kNumeric || t == kMoney; }
bool is_text(unsigned t) { return t == kText || t == kVarchar || t == kBpchar || t == kUnknown || t == kName; }
bool is_time_like(unsigned t) {
  return t == kDate || t == kTime || t == kTimestamp || t == kTimestamptz || t == kInterval || t == kTimetz;
}
// Types that cannot be read as a date, a timestamp or a number: a profile
// that returns one of these where such a value is expected is wrong, so it is
// refused before any row is read. Other types (text, domains, extension
// types) are cast by the server, which reports any value it cannot convert.
bool is_foreign(unsigned t) { return t == kBool || t == kBytea || t == kJson || t == kJsonb || t == kUuid; }

std::string trimmed(const char *message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

struct ResultDeleter {
  void operator()(PGresult *r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// SQLSTATE classes that blame the server or the connection, not the SQL:
// connection exception, transaction rollback, insufficient resources,
// object not in prerequisite state (locks), operator intervention, system
// and internal errors.
DbFailure failure(PGconn *conn, const PGresult *r) {
  std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  bool database = PQstatus(conn) != CONNECTION_OK || state == nullptr;
  if (!database) {
    std::string_view cls(state, 2);
    for (std::string_view c : {"08", "40", "53", "55", "57", "58", "XX"})
      if (cls == c) database = true;
  }
  return DbFailure(message, database);
}

// Drains a COPY that is stopped early (cancel, bad row, a throwing sink), so
// the connection is idle again and the transaction can be rolled back.
class CopyGuard {
 public:
  explicit CopyGuard(PGconn *conn) : conn_(conn) {}
  CopyGuard(const CopyGuard &) = delete;
  CopyGuard &operator=(const CopyGuard &) = delete;
  void done() { active_ = false; }
  ~CopyGuard() {
    if (!active_) return;
    if (PGcancel *c = PQgetCancel(conn_)) {
      char err[256];
      PQcancel(c, err, sizeof err);
      PQfreeCancel(c);
    }
    char *buf = nullptr;
    while (PQgetCopyData(conn_, &buf, 0) > 0) PQfreemem(buf);
    while (PGresult *r = PQgetResult(conn_)) PQclear(r);
  }

 private:
  PGconn *conn_;
  bool active_ = true;
};

// COPY text format: '\t' between fields, "\N" for null, backslash escapes
// (\b \f \n \r \t \v \\, \ooo octal, \xhh hex) in text values.
void unescape(const char *p, const char *end, std::string &out) {
  out.clear();
  while (p < end) {
    const char *bs = static_cast<const char *>(std::memchr(p, '\\', static_cast<std::size_t>(end - p)));
    if (!bs) {
      out.append(p, end);
      return;
    }
    out.append(p, bs);
    p = bs + 1;
    if (p == end) return;
    char c = *p++;
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        int v = 0, n = 0;
        for (; n < 2 && p < end && std::isxdigit(static_cast<unsigned char>(*p)); ++n, ++p)
          v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
        if (n == 0)
          out += 'x';
        else
          out += static_cast<char>(v);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int v = c - '0';
          for (int n = 1; n < 3 && p < end && *p >= '0' && *p <= '7'; ++n, ++p) v = v * 8 + (*p - '0');
          out += static_cast<char>(v);
        } else {
          out += c;  // "\\" and any other escaped character stand for themselves
        }
    }
  }
}

class PostgresqlBackend final : public Backend {
 public:
  explicit PostgresqlBackend(soci::session &db) : db_(db) {}
  ~PostgresqlBackend() override {
    if (cancel_) PQfreeCancel(cancel_);
  }
  PostgresqlBackend(const PostgresqlBackend &) = delete;
  PostgresqlBackend &operator=(const PostgresqlBackend &) = delete;
  Dialect dialect() const override { return Dialect::postgresql; }

  // REPEATABLE READ: every source is read from one snapshot, so an order
  // line can never refer to a customer committed after customers were read.
  // extra_float_digits = 3 makes float8 text round-trip exactly on any
  // server version; SET LOCAL ends with the transaction. SET takes no
  // snapshot: the first statement that reads (or pg_export_snapshot) does.
  void begin() override {
    prepare_cancel();
    exec("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    in_transaction_ = true;
    set_locals();
  }

  std::string export_snapshot() override {
    Result r(PQexec(conn(), "SELECT pg_export_snapshot()"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) throw failure(conn(), r.get());
    return PQgetvalue(r.get(), 0, 0);
  }

  // SET TRANSACTION SNAPSHOT must come before any statement that takes a
  // snapshot; the exporting transaction must still be open.
  void begin_with_snapshot(const std::string &id) override {
    prepare_cancel();
    exec("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    in_transaction_ = true;
    std::unique_ptr<char, decltype(&PQfreemem)> literal(PQescapeLiteral(conn(), id.data(), id.size()), &PQfreemem);
    if (!literal) throw failure(conn(), nullptr);
    exec(("SET TRANSACTION SNAPSHOT " + std::string(literal.get())).c_str());
    set_locals();
  }

  // PQcancel is safe from another thread with a PGcancel made beforehand on
  // the connection's own thread (begin); an idle backend ignores it.
  void cancel() noexcept override {
    if (!cancel_) return;
    char err[256];
    PQcancel(cancel_, err, sizeof err);
  }
  void commit() override {
    exec("COMMIT");
    in_transaction_ = false;
  }
  void rollback() noexcept override {
    if (!in_transaction_) return;
    in_transaction_ = false;
    if (PQstatus(conn()) != CONNECTION_OK) return;
    Result r(PQexec(conn(), "ROLLBACK"));
  }

  bool relation_exists(const std::string &name) override {
    const char *params[] = {name.c_str()};
    Result r(PQexecParams(conn(), "SELECT to_regclass($1) IS NOT NULL", 1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw failure(conn(), r.get());
    return std::strcmp(PQgetvalue(r.get(), 0, 0), "t") == 0;
  }

  std::vector<ResultColumn> describe(const std::string &select) override { return describe_with(select, 0); }

  // :since becomes $1 (its type inferred from what it is compared with),
  // null in the describe.
  std::vector<ResultColumn> describe_since(const std::string &select) override {
    return describe_with(numbered_since(select), 1);
  }

  // The changes of a day are few: one PQexecParams (COPY takes no
  // parameters), its text values parsed as COPY's are.
  void read_since(const std::string &select, const std::string &since, Chunk &chunk,
                  const std::function<void(const Chunk &)> &sink) override {
    const std::string sql = numbered_since(select);
    const char *params[] = {since.c_str()};
    Result r(PQexecParams(conn(), sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw failure(conn(), r.get());
    if (static_cast<std::size_t>(PQnfields(r.get())) != chunk.cols.size())
      throw DbFailure("the wrapped SELECT returned an unexpected number of columns", false);
    chunk.reserve_rows();
    std::size_t n = 0;
    const int rows = PQntuples(r.get());
    for (int row = 0; row < rows; ++row) {
      for (std::size_t c = 0; c < chunk.cols.size(); ++c) {
        const int f = static_cast<int>(c);
        if (PQgetisnull(r.get(), row, f)) {
          chunk.cols[c].ind[n] = soci::i_null;
          continue;
        }
        set_cell(chunk.cols[c], n, std::string_view(PQgetvalue(r.get(), row, f),
                                                    static_cast<std::size_t>(PQgetlength(r.get(), row, f))), false);
      }
      if (++n == kChunkRows || row + 1 == rows) {
        chunk.rows = n;
        sink(chunk);
        n = 0;
      }
    }
  }

  std::string utc_clock() override {
    Result r(PQexec(conn(), utc_clock_sql(Dialect::postgresql)));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1) throw failure(conn(), r.get());
    return PQgetvalue(r.get(), 0, 0);
  }

  std::vector<ResultColumn> describe_with(const std::string &select, int params) {
    std::string probe = "SELECT * FROM (\n" + select + "\n) AS src LIMIT 0";
    const char *nulls[] = {nullptr};
    // The extended protocol (PQexecParams) accepts a single statement only.
    Result r(PQexecParams(conn(), probe.c_str(), params, nullptr, params ? nulls : nullptr, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw failure(conn(), r.get());
    std::vector<ResultColumn> cols;
    for (int i = 0; i < PQnfields(r.get()); ++i) {
      unsigned oid = PQftype(r.get(), i);
      cols.push_back({PQfname(r.get(), i), oid_name(oid), static_cast<int>(oid)});
    }
    return cols;
  }

  std::optional<PlannedColumn> plan(const CanonicalColumn &want, const ResultColumn &have,
                                    std::string &why) const override {
    auto t = static_cast<unsigned>(have.type);
    std::string c = "src." + quote_ident(Dialect::postgresql, want.name);
    const std::string bad = std::to_string(kBadValue) + "::bigint";
    // An absolute instant: seconds since the epoch, whatever the session's
    // TimeZone. isfinite() keeps 'infinity' from failing the whole query.
    auto epoch = [&](const std::string &v, Meaning m) {
      return PlannedColumn{"CASE WHEN " + v + " IS NULL THEN NULL WHEN isfinite(" + v + ") THEN floor(extract(epoch FROM " +
                               v + "))::bigint ELSE " + bad + " END",
                           Wire::int64, m};
    };
    switch (want.kind) {
      case ColumnKind::text:
        if (is_time_like(t) || t == kBytea) break;
        return PlannedColumn{c + "::text", Wire::text, Meaning::text};
      case ColumnKind::date: {
        if (is_number(t) || is_foreign(t) || t == kTime || t == kTimetz || t == kInterval) break;
        // A timestamptz is an instant: its local date needs the configured zone.
        if (t == kTimestamptz) return epoch(c, Meaning::epoch_utc);
        // Text that is no date ('abc', '2024-02-30') would abort the whole
        // COPY as ::date: it travels as text, read strictly (strict_iso_days).
        if (is_text(t)) return PlannedColumn{c + "::text", Wire::iso_days, Meaning::days};
        std::string d = t == kDate ? c : "(" + c + ")::date";
        return PlannedColumn{"CASE WHEN " + d + " IS NULL THEN NULL WHEN isfinite(" + d + ") THEN (" + d +
                                 " - DATE '1970-01-01')::bigint ELSE " + bad + " END",
                             Wire::int64, Meaning::days};
      }
      case ColumnKind::timestamp:
        if (is_number(t) || is_foreign(t) || t == kTime || t == kTimetz || t == kInterval) break;
        if (t == kTimestamptz) return epoch(c, Meaning::epoch_utc);
        if (is_text(t)) return PlannedColumn{c + "::text", Wire::iso_seconds, Meaning::epoch_naive};
        // extract(epoch) of a timestamp without time zone counts its wall
        // clock as if UTC; the loader applies "timestamps": "local".
        return epoch(t == kTimestamp ? c : "(" + c + ")::timestamp", Meaning::epoch_naive);
      // A cast the server cannot do ('abc'::float8, a numeric 1e400 as
      // float8) would abort the whole COPY: numeric and text travel as text
      // and are read strictly in parse_row (one bad cell, one bad_value row).
      case ColumnKind::real:
        if (is_time_like(t) || is_foreign(t)) break;
        if (t == kFloat8) return PlannedColumn{c, Wire::real, Meaning::real};
        if (t == kMoney) return PlannedColumn{c + "::numeric::float8", Wire::real, Meaning::real};
        if (is_integer(t) || t == kFloat4) return PlannedColumn{c + "::float8", Wire::real, Meaning::real};
        return PlannedColumn{c + "::text", Wire::real, Meaning::real};
      case ColumnKind::integer:
        if (is_time_like(t) || is_foreign(t)) break;
        if (is_integer(t)) return PlannedColumn{c + "::bigint", Wire::int64, Meaning::integer};
        // '7' and '7.0' both read; '7.5' and 'abc' are bad (strict_integer).
        return PlannedColumn{c + "::text", Wire::int64, Meaning::integer};
    }
    why = "is " + have.type_name + ", which cannot hold a " + column_kind_name(want.kind);
    return std::nullopt;
  }

  void read(const std::string &select, Chunk &chunk, const std::function<void(const Chunk &)> &sink) override {
    PGconn *cn = conn();
    std::string copy = "COPY (" + select + ") TO STDOUT";
    {
      Result r(PQexec(cn, copy.c_str()));
      if (PQresultStatus(r.get()) != PGRES_COPY_OUT) throw failure(cn, r.get());
    }
    CopyGuard guard(cn);
    chunk.reserve_rows();
    std::size_t n = 0;
    char *buf = nullptr;
    int len;
    while ((len = PQgetCopyData(cn, &buf, 0)) > 0) {
      std::unique_ptr<char, decltype(&PQfreemem)> row(buf, &PQfreemem);
      parse_row(buf, buf + len, chunk, n);
      if (++n == kChunkRows) {
        chunk.rows = n;
        sink(chunk);
        n = 0;
      }
    }
    if (len == -2) throw failure(cn, nullptr);
    guard.done();
    // The COPY's own outcome: an error mid-stream (a value the server could
    // not cast) ends the data early and arrives here.
    Result fin(PQgetResult(cn));
    bool ok = PQresultStatus(fin.get()) == PGRES_COMMAND_OK;
    DbFailure err = ok ? DbFailure("", false) : failure(cn, fin.get());
    while (PGresult *more = PQgetResult(cn)) PQclear(more);
    if (!ok) throw err;
    if (n > 0) {
      chunk.rows = n;
      sink(chunk);
    }
  }

 private:
  PGconn *conn() const { return static_cast<soci::postgresql_session_backend *>(db_.get_backend())->conn_; }

  // Text arrives as UTF-8, converted by the server. A SQL_ASCII database
  // (any bytes, often Latin-1 from an old ERP) cannot be converted (the
  // server refuses the first non-UTF-8 byte and the read ends): its bytes
  // come as they are, and the loader repairs them (invalid_text, core/text.hpp).
  void set_locals() {
    exec("SET LOCAL extra_float_digits = 3");
    const char *server = PQparameterStatus(conn(), "server_encoding");
    const bool any_bytes = server && std::strcmp(server, "SQL_ASCII") == 0;
    exec(any_bytes ? "SET LOCAL client_encoding = 'SQL_ASCII'" : "SET LOCAL client_encoding = 'UTF8'");
  }

  void prepare_cancel() {
    if (!cancel_) cancel_ = PQgetCancel(conn());
  }

  void exec(const char *sql) {
    Result r(PQexec(conn(), sql));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw failure(conn(), r.get());
  }

  static void parse_row(const char *p, const char *end, Chunk &chunk, std::size_t row) {
    if (end > p && end[-1] == '\n') --end;
    for (std::size_t c = 0; c < chunk.cols.size(); ++c) {
      const char *tab = static_cast<const char *>(std::memchr(p, '\t', static_cast<std::size_t>(end - p)));
      const char *field_end = tab ? tab : end;
      if ((tab == nullptr) != (c + 1 == chunk.cols.size()))
        throw DbFailure("unexpected COPY row layout (column count differs)", true);
      ColumnBuffer &col = chunk.cols[c];
      if (field_end - p == 2 && p[0] == '\\' && p[1] == 'N')
        col.ind[row] = soci::i_null;
      else
        set_cell(col, row, std::string_view(p, static_cast<std::size_t>(field_end - p)), true);
      p = field_end + 1;
    }
  }

  // One non-null text value; `copy_escaped`: COPY's text format (backslash escapes).
  static void set_cell(ColumnBuffer &col, std::size_t row, std::string_view cell, bool copy_escaped) {
    col.ind[row] = soci::i_ok;
    // Numbers strictly: a bad one is that cell's marker, never the read's
    // end (the row handler reports it as bad_value). Text numbers carry no
    // COPY escapes (no tab, newline or backslash in a number).
    switch (col.wire) {
      case Wire::text:
        if (copy_escaped) unescape(cell.data(), cell.data() + cell.size(), col.text[row]);
        else col.text[row].assign(cell);
        break;
      case Wire::int64: col.ints[row] = strict_integer(cell); break;
      case Wire::real: col.reals[row] = strict_real(cell); break;
      case Wire::iso_days: col.ints[row] = strict_iso_days(cell); break;
      case Wire::iso_seconds: col.ints[row] = strict_iso_seconds(cell); break;
    }
  }

  soci::session &db_;
  bool in_transaction_ = false;
  PGcancel *cancel_ = nullptr;
};

}  // namespace

std::unique_ptr<Backend> make_postgresql_backend(soci::session &db) { return std::make_unique<PostgresqlBackend>(db); }

}  // namespace cskpi::source_detail
