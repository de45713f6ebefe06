#include "nightly/writer.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include <soci/soci.h>

namespace cskpi {
namespace {

// The constant columns every snapshot row gets.
struct Stamp {
  std::string granularity;  // empty: the table has no granularity column added
  std::string as_of;
  long long run_id;
};

std::string column_list(const Target &db, const Table &t, const Stamp &stamp) {
  std::string out;
  for (std::size_t i = 0; i < t.column_count(); ++i) out += quote_ident(db, t.column(i).name) + ", ";
  if (!stamp.granularity.empty()) out += quote_ident(db, "granularity") + ", ";
  return out + quote_ident(db, "as_of") + ", " + quote_ident(db, "run_id");
}

template <class Fill>
void for_each_chunk(std::size_t rows, Fill &&fill) {
  for (std::size_t begin = 0; begin < rows; begin += kWriteChunkRows)
    fill(begin, std::min(rows, begin + kWriteChunkRows));
}

// ---- BulkInsert::unnest_arrays (PostgreSQL) ----------------------------------
// SOCI 4.0's postgresql backend runs a vector `use` as one PQexecPrepared per
// row, a round trip each. Instead every chunk is a single statement whose
// parameters are whole columns as array literals, spread back into rows by
// unnest(): INSERT ... SELECT u.*, <stamp> FROM unnest($a::text[], ...) u.

const char *array_type(ColumnType t) {
  switch (t) {
    case ColumnType::text: return "text[]";
    case ColumnType::date: return "date[]";
    case ColumnType::int64: return "bigint[]";
    case ColumnType::real: return "float8[]";
    case ColumnType::boolean: return "boolean[]";
  }
  return "text[]";
}

void append_quoted(std::string &out, const std::string &s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void append_double(std::string &out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
    return;
  }
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  out.append(buf, res.ptr);
}

void append_element(std::string &out, const Column &c, std::size_t r) {
  if (c.null[r]) {
    out += "NULL";
    return;
  }
  switch (c.type) {
    case ColumnType::text:
    case ColumnType::date: append_quoted(out, c.text[r]); break;
    case ColumnType::int64: out += std::to_string(c.ints[r]); break;
    case ColumnType::boolean: out += c.ints[r] ? 't' : 'f'; break;
    case ColumnType::real: append_double(out, c.reals[r]); break;
  }
}

void fill_array(std::string &out, const Column &c, std::size_t begin, std::size_t end) {
  out.assign(1, '{');
  for (std::size_t r = begin; r < end; ++r) {
    if (r > begin) out += ',';
    append_element(out, c, r);
  }
  out += '}';
}

void insert_arrays(Target &db, const std::string &target, const Table &t, Stamp &stamp,
                     const std::function<void(std::size_t)> &after_chunk) {
  std::string sql = "INSERT INTO " + quote_ident(db, target) + " (" + column_list(db, t, stamp) + ") SELECT u.*, ";
  if (!stamp.granularity.empty()) sql += "CAST(:granularity AS text), ";
  sql += "CAST(:as_of AS date), CAST(:run_id AS bigint) FROM unnest(";
  for (std::size_t i = 0; i < t.column_count(); ++i)
    sql += (i ? ", CAST(:c" : "CAST(:c") + std::to_string(i) + " AS " + array_type(t.column(i).type) + ")";
  sql += ") AS u";

  // Uses bind by position, in the order the placeholders appear.
  std::vector<std::string> arrays(t.column_count());
  soci::statement st(db.sql());
  if (!stamp.granularity.empty()) st.exchange(soci::use(stamp.granularity));
  st.exchange(soci::use(stamp.as_of));
  st.exchange(soci::use(stamp.run_id));
  for (auto &a : arrays) st.exchange(soci::use(a));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  for_each_chunk(t.row_count(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = 0; i < arrays.size(); ++i) fill_array(arrays[i], t.column(i), begin, end);
    st.execute(true);
    after_chunk(end - begin);
  });
}

// ---- BulkInsert::prepared_rows (SQLite) --------------------------------------
// In-process: SOCI's vector `use` steps one prepared statement per row with
// no round trip, which is as fast as SQLite inserts go.

// One column's values for one chunk, in the types SOCI binds.
struct Buffer {
  ColumnType type;
  std::vector<std::string> text;
  std::vector<long long> ints;
  std::vector<double> reals;
  std::vector<soci::indicator> ind;

  void bind(soci::statement &st) {
    switch (type) {
      case ColumnType::text:
      case ColumnType::date: st.exchange(soci::use(text, ind)); break;
      case ColumnType::int64:
      case ColumnType::boolean: st.exchange(soci::use(ints, ind)); break;
      case ColumnType::real: st.exchange(soci::use(reals, ind)); break;
    }
  }
  void resize(std::size_t n) {
    ind.assign(n, soci::i_ok);
    if (type == ColumnType::text || type == ColumnType::date) text.resize(n);
    else if (type == ColumnType::real) reals.resize(n);
    else ints.resize(n);
  }
  template <class T>
  void fill_constant(std::vector<T> &values, std::size_t n, const T &v) {
    values.assign(n, v);
    ind.assign(n, soci::i_ok);
  }
  void fill(const Column &c, std::size_t begin, std::size_t end) {
    resize(end - begin);
    for (std::size_t r = begin, i = 0; r < end; ++r, ++i) {
      if (c.null[r]) ind[i] = soci::i_null;
      else if (type == ColumnType::text || type == ColumnType::date) text[i] = c.text[r];
      else if (type == ColumnType::real) reals[i] = c.reals[r];
      else ints[i] = c.ints[r];
    }
  }
};

void insert_rows(Target &db, const std::string &target, const Table &t, const Stamp &stamp,
                   const std::function<void(std::size_t)> &after_chunk) {
  std::string sql = "INSERT INTO " + quote_ident(db, target) + " (" + column_list(db, t, stamp) + ") VALUES (";
  for (std::size_t i = 0; i < t.column_count(); ++i) sql += ":c" + std::to_string(i) + ", ";
  if (!stamp.granularity.empty()) sql += ":granularity, ";
  sql += ":as_of, :run_id)";

  std::vector<Buffer> columns;
  for (std::size_t i = 0; i < t.column_count(); ++i) columns.push_back(Buffer{t.column(i).type, {}, {}, {}, {}});
  // The stamp as columns too: SOCI does not mix single and vector uses.
  Buffer granularity{ColumnType::text, {}, {}, {}, {}}, as_of{ColumnType::text, {}, {}, {}, {}},
      run_id{ColumnType::int64, {}, {}, {}, {}};
  soci::statement st(db.sql());
  for (auto &b : columns) b.bind(st);
  if (!stamp.granularity.empty()) granularity.bind(st);
  as_of.bind(st);
  run_id.bind(st);
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  for_each_chunk(t.row_count(), [&](std::size_t begin, std::size_t end) {
    std::size_t n = end - begin;
    for (std::size_t i = 0; i < columns.size(); ++i) columns[i].fill(t.column(i), begin, end);
    granularity.fill_constant(granularity.text, n, stamp.granularity);
    as_of.fill_constant(as_of.text, n, stamp.as_of);
    run_id.fill_constant(run_id.ints, n, stamp.run_id);
    st.execute(true);
    after_chunk(n);
  });
}

}  // namespace

SnapshotWriter::SnapshotWriter(Target &db, Day as_of, std::int64_t run_id)
    : db_(db), as_of_(format_day(as_of)), run_id_(run_id) {}

void SnapshotWriter::delete_as_of(const std::string &target) {
  db_.sql() << "DELETE FROM " + quote_ident(db_, target) + " WHERE as_of = " + db_.dialect().date_param("as_of"),
      soci::use(as_of_);
}

void SnapshotWriter::insert(const std::string &target, const Table &table, const std::string &granularity,
                            const std::function<void(std::size_t rows)> &after_chunk) {
  if (table.row_count() == 0) return;
  Stamp stamp{granularity, as_of_, run_id_};
  switch (db_.dialect().bulk_insert) {
    case TargetDialect::BulkInsert::unnest_arrays: insert_arrays(db_, target, table, stamp, after_chunk); break;
    case TargetDialect::BulkInsert::prepared_rows: insert_rows(db_, target, table, stamp, after_chunk); break;
  }
}

}  // namespace cskpi
