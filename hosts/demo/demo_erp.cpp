// The demo ERP generator. A discrete-event simulation of a small B2B
// trading company: customers are created over time, buy at their own
// cadence, grow or shrink, expand into new product families, churn and
// sometimes come back; orders are invoiced and paid (or not), some goods
// come back, customers open tickets, answer surveys and run subscriptions.
//
// Why events: every row is written when its business event happens, in
// time order (a heap of pending events), so ids grow with dates exactly as
// in a real ERP, the rows stream to the database in chunks (memory stays
// flat at 100k customers) and nothing must be sorted or renumbered.
//
// Determinism: one std::mt19937_64 (its output is fixed by the standard)
// drives everything, in event order; every distribution is computed from
// uniform doubles (random.hpp: std:: distributions differ between standard
// libraries). Ties in time are broken by scheduling order, itself
// deterministic. So the same options give the same rows everywhere.
//
// This file: the entry point (options, schema, transaction, indexes). The
// simulation itself is simulation.hpp and one file per business domain.
#include "demo_erp.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "simulation.hpp"
#include "table_writer.hpp"

namespace cskpi::demo {

namespace {

// ------------------------------------------------------------------ schema

struct SchemaParts {
  std::vector<std::string> tables;   // CREATE TABLE statements
  std::vector<std::string> indexes;  // CREATE [UNIQUE] INDEX statements
  std::vector<std::string> names;    // table names, in creation order
};

bool starts_with_ci(const std::string &s, const char *prefix) {
  std::size_t i = 0;
  for (; prefix[i]; ++i) {
    if (i >= s.size()) return false;
    char c = s[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Splits schema.sql into statements: comments ('--' to end of line) are
// removed first, then the text is cut at every ';'.
SchemaParts split_schema(const std::string &text) {
  std::string clean;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    clean += text[i++];
  }
  SchemaParts parts;
  std::size_t start = 0;
  while (start < clean.size()) {
    std::size_t semi = clean.find(';', start);
    if (semi == std::string::npos) semi = clean.size();
    std::string stmt = clean.substr(start, semi - start);
    start = semi + 1;
    const std::size_t b = stmt.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) continue;
    stmt = stmt.substr(b, stmt.find_last_not_of(" \t\r\n") - b + 1);
    if (starts_with_ci(stmt, "CREATE TABLE ")) {
      std::size_t n = 13;
      while (n < stmt.size() && stmt[n] == ' ') ++n;
      std::size_t ne = n;
      while (ne < stmt.size() && stmt[ne] != ' ' && stmt[ne] != '(' && stmt[ne] != '\n') ++ne;
      parts.names.push_back(stmt.substr(n, ne - n));
      parts.tables.push_back(stmt);
    } else if (starts_with_ci(stmt, "CREATE INDEX ") || starts_with_ci(stmt, "CREATE UNIQUE INDEX ")) {
      parts.indexes.push_back(stmt);
    } else {
      throw std::logic_error("demo: unexpected statement in schema.sql: " + stmt.substr(0, 40));
    }
  }
  return parts;
}

}  // namespace

DemoStats generate_demo_erp(soci::session &db, const std::string &backend, const DemoOptions &o) {
  check_backend(db, backend, o.customers);
  if (o.last_date.empty()) throw std::invalid_argument("demo: last_date is required");
  const std::int64_t first = parse_date(o.first_date, "first_date");
  const std::int64_t last = parse_date(o.last_date, "last_date");
  if (last < first) throw std::invalid_argument("demo: last_date is before first_date");

  const SchemaParts schema = split_schema(demo_schema_sql());

  // SQLite: a bigger page cache keeps the bulk load and the index builds in
  // memory (the default 2 MB spills and re-reads pages), and no fsync: the
  // demo data can always be regenerated, and the syncs were most of the
  // wall time. Both settings are restored afterwards.
  struct SqliteTuning {
    soci::session &db;
    bool on = false;
    int sync = 2, cache = -2000;
    ~SqliteTuning() {
      if (!on) return;
      try {
        db << ("PRAGMA synchronous = " + std::to_string(sync));
        db << ("PRAGMA cache_size = " + std::to_string(cache));
      } catch (...) {
      }
    }
  } tuning{db};
  if (backend == "sqlite3") {
    db << "PRAGMA synchronous", soci::into(tuning.sync);
    db << "PRAGMA cache_size", soci::into(tuning.cache);
    tuning.on = true;
    db << "PRAGMA synchronous = OFF";
    db << "PRAGMA cache_size = -262144";
  }

  soci::transaction tx(db);
  // PostgreSQL reports each DROP of a missing table as a NOTICE on stderr.
  if (backend == "postgresql") db << "SET LOCAL client_min_messages = warning";
  for (auto it = schema.names.rbegin(); it != schema.names.rend(); ++it)
    db << ("DROP TABLE IF EXISTS " + *it + (backend == "postgresql" ? " CASCADE" : ""));
  for (const auto &s : schema.tables) db << s;

  auto sink = make_sink(db, backend);
  DemoStats stats{};
  {
    AsyncWriter writer(*sink);
    Generator gen(writer, o, first, last);
    try {
      stats = gen.run();
      writer.finish();
    } catch (...) {
      writer.abandon();  // before gen's buffers go away
      throw;
    }
  }
  sink.reset();  // finalizes SQLite's prepared statements before the commit

  // SQLite sorts an index's keys in runs as large as the page cache: one
  // 256 MB run of randomly ordered keys (sale_order_line's product_id) is a
  // merge sort that misses the CPU cache at every step. With 16 MB runs,
  // merged afterwards, that index over the 3.3M lines of 100k customers
  // builds about three times faster, all the indexes together in about half
  // the time. The B-trees are written in key order and need no big cache.
  if (backend == "sqlite3") db << "PRAGMA cache_size = -16384";
  for (const auto &s : schema.indexes) db << s;
  // Fresh statistics, so the profile queries get good plans right away.
  // SQLite: sampled (a full ANALYZE reads every index: seconds at 100k customers).
  if (backend == "sqlite3") db << "PRAGMA analysis_limit = 1000";
  db << "ANALYZE";
  if (backend == "sqlite3") db << "PRAGMA analysis_limit = 0";
  tx.commit();
  return stats;
}

}  // namespace cskpi::demo
