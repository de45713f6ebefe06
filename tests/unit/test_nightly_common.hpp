// Helpers of the nightly-job tests (test_nightly.cpp: SQLite,
// test_nightly_pg.cpp: PostgreSQL): a small canonical-layout source database
// (docs/kpis.md §1 table names, read by the built-in `canonical` profile),
// configurations, and queries on the snapshot tables.
#pragma once

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include "core/calendar.hpp"
#include "core/settings.hpp"
#include "engine/engine.hpp"
#include "nightly/nightly.hpp"

namespace cskpi::test {

inline constexpr const char *kAsOf = "2024-06-30";

// Column types both SQLite and PostgreSQL accept.
inline const std::vector<std::string> kCanonicalDdl = {
    "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on DATE, segment TEXT)",
    "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, "
    "amount DOUBLE PRECISION)",
    "CREATE TABLE invoices (invoice_id TEXT, customer_id TEXT, invoice_date DATE, due_date DATE, paid_date DATE, "
    "amount DOUBLE PRECISION, kind TEXT)",
    "CREATE TABLE tickets (ticket_id TEXT, customer_id TEXT, opened_at TIMESTAMP, first_response_at TIMESTAMP, "
    "resolved_at TIMESTAMP, channel TEXT, category TEXT, priority TEXT, reopen_count INTEGER)",
    "CREATE TABLE feedback (feedback_id TEXT, customer_id TEXT, answered_at TIMESTAMP, kind TEXT, score INTEGER, "
    "ticket_id TEXT)",
    "CREATE TABLE retention_costs (cost_date DATE, amount DOUBLE PRECISION)",
};

inline std::string q(const std::string &s) { return "'" + s + "'"; }
inline std::string day_text(Day d) { return format_day(d); }

// Collects rows per table and emits one multi-row INSERT each.
class InsertBuffer {
 public:
  void add(const std::string &table, const std::string &values) { rows_[table].push_back("(" + values + ")"); }
  void flush(soci::session &s) {
    for (const auto &[table, rows] : rows_) {
      std::string sql = "INSERT INTO " + table + " VALUES ";
      for (std::size_t i = 0; i < rows.size(); ++i) sql += (i ? ", " : "") + rows[i];
      s << sql;
    }
    rows_.clear();
  }

 private:
  std::map<std::string, std::vector<std::string>> rows_;
};

// 30 customers over 18 months (2023-01 .. 2024-06), deterministic: segments
// enterprise / smb / null, orders on a per-customer rhythm (so some churn and
// come back), invoices per order (some unpaid), tickets, NPS/CSAT answers and
// monthly retention costs.
inline void fill_canonical_source(soci::session &s) {
  for (const auto &ddl : kCanonicalDdl) s << ddl;
  InsertBuffer b;
  const Day start = make_day(2023, 1, 1);
  for (int i = 1; i <= 30; ++i) {
    std::string id = "c" + std::to_string(100 + i);
    std::string segment = i % 3 == 0 ? q("enterprise") : i % 3 == 1 ? q("smb") : "NULL";
    b.add("customers", q(id) + ", " + q("Customer " + std::to_string(i)) + ", " + q(day_text(start + i * 9)) + ", " + segment);
    for (int m = 0; m < 18; ++m) {
      if ((i + m) % (2 + i % 4) != 0 || (i % 5 == 0 && m > 9)) continue;  // every 5th customer stops buying
      Day month = make_day(2023 + (m / 12), static_cast<unsigned>(m % 12 + 1), 1);
      Day d = month + (i * 7 + m * 3) % 27;
      std::string order = "o" + std::to_string(i) + "_" + std::to_string(m);
      double amount = 100 + i * 5 + m;
      const char *category = m % 3 == 0 ? "'hardware'" : m % 3 == 1 ? "'software'" : "NULL";
      b.add("order_lines", q(order) + ", " + q(id) + ", " + q(day_text(d)) + ", 'p1', " + category + ", " +
                               std::to_string(amount));
      b.add("order_lines", q(order) + ", " + q(id) + ", " + q(day_text(d)) + ", 'p2', 'services', " +
                               std::to_string(amount / 4));
      std::string paid = i % 4 == 0 ? "NULL" : q(day_text(d + 20));
      b.add("invoices", q("i" + order) + ", " + q(id) + ", " + q(day_text(d)) + ", " + q(day_text(d + 30)) + ", " +
                            paid + ", " + std::to_string(amount * 1.25) + ", 'invoice'");
      if (i % 2 == 0 && m % 3 == 0) {
        std::string t = "t" + std::to_string(i) + "_" + std::to_string(m);
        std::string resolved = m == 17 ? "NULL" : q(day_text(d + 1) + " 15:00:00");
        b.add("tickets", q(t) + ", " + q(id) + ", " + q(day_text(d) + " 10:00:00") + ", " +
                             q(day_text(d) + " 12:00:00") + ", " + resolved + ", " +
                             (i % 4 ? "'email'" : "'phone'") + ", " + (m % 2 ? "'billing'" : "'bug'") + ", " +
                             (i % 3 ? "'low'" : "'high'") + ", " + std::to_string(m % 2));
      }
      if (m % 4 == 1) {
        b.add("feedback", q("f" + order) + ", " + q(id) + ", " + q(day_text(d + 2) + " 09:00:00") + ", 'nps', " +
                              std::to_string((i * 3 + m) % 11) + ", NULL");
        b.add("feedback", q("g" + order) + ", " + q(id) + ", " + q(day_text(d + 2) + " 09:05:00") + ", 'csat', " +
                              std::to_string(1 + (i + m) % 5) + ", NULL");
      }
    }
  }
  for (int m = 0; m < 18; ++m)
    b.add("retention_costs", q(day_text(make_day(2023 + (m / 12), static_cast<unsigned>(m % 12 + 1), 15))) + ", 1000");
  b.flush(s);
}

inline boost::json::object source_json(const std::string &backend, const std::string &connection,
                                       const std::string &profile = "canonical") {
  return {{"backend", backend}, {"connection", connection}, {"profile", profile}};
}

// A configuration; target omitted = the source database.
inline std::string config_json(const boost::json::object &source, std::optional<boost::json::object> target = {}) {
  boost::json::object o{{"source", source}, {"as_of", kAsOf}};
  if (target) o["target"] = *target;
  return boost::json::serialize(o);
}

// A fresh path under the temp directory (removed first).
inline std::string temp_db(const std::string &name) {
  auto p = std::filesystem::temp_directory_path() /
           ("cskpi_test_nightly_" + std::to_string(::getpid()) + "_" + name + ".sqlite");
  std::filesystem::remove(p);
  return p.string();
}

inline long long count(soci::session &s, const std::string &sql) {
  long long n = 0;
  s << sql, soci::into(n);
  return n;
}

// Every snapshot table's row count for one as_of, in a fixed order.
inline std::vector<long long> snapshot_counts(soci::session &s, const std::string &as_of = kAsOf) {
  std::vector<long long> out;
  for (const char *t : {"cskpi_kpi_value", "cskpi_cohort_retention", "cskpi_cohort_revenue", "cskpi_ticket_breakdown",
                        "cskpi_health", "cskpi_detractor_followup", "cskpi_data_quality",
                        "cskpi_customer_movement", "cskpi_clv", "cskpi_clv_model", "cskpi_clv_validation",
                        "cskpi_cohort_forecast"})
    out.push_back(count(s, std::string("SELECT count(*) FROM ") + t + " WHERE as_of = '" + as_of + "'"));
  return out;
}

// A sum over every value column of the snapshot, to compare two snapshots.
inline double kpi_checksum(soci::session &s, const std::string &as_of = kAsOf) {
  double sum = 0;
  soci::indicator ind;
  s << "SELECT sum(coalesce(value, 0) + coalesce(value_previous, 0) + coalesce(change_rate_year_ago, 0)) "
       "FROM cskpi_kpi_value WHERE as_of = '" + as_of + "'",
      soci::into(sum, ind);
  return sum;
}

// The value of one KPI cell in the snapshot (nullopt when null or missing).
inline std::optional<double> snapshot_value(soci::session &s, const std::string &kpi, const std::string &period,
                                            const std::string &segment = "all", const std::string &granularity = "month") {
  double v = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT value FROM cskpi_kpi_value WHERE as_of = '" + std::string(kAsOf) + "' AND kpi = '" + kpi +
           "' AND granularity = '" + granularity + "' AND segment = '" + segment + "' AND period_start = '" + period + "'",
      soci::into(v, ind);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return v;
}

// The same cell from the engine's own long KPI table.
inline std::optional<double> engine_value(const Table &kpis, const std::string &kpi, const std::string &period,
                                          const std::string &segment = "all") {
  auto col = [&](const char *name) { return static_cast<std::size_t>(kpis.find_column(name)); };
  const Column &k = kpis.column(col("kpi")), &p = kpis.column(col("period_start")), &sg = kpis.column(col("segment")),
               &v = kpis.column(col("value"));
  for (std::size_t r = 0; r < kpis.row_count(); ++r)
    if (k.text[r] == kpi && p.text[r] == period && sg.text[r] == segment)
      return v.null[r] ? std::nullopt : std::optional<double>(v.reals[r]);
  return std::nullopt;
}

// Each (kpi, period) cell of segment "all" is in the snapshot with the
// engine's own value.
inline void check_snapshot_cells(soci::session &s, const Table &kpis,
                                 const std::vector<std::pair<std::string, std::string>> &cells) {
  for (const auto &[kpi, period] : cells) {
    INFO(kpi << " " << period);
    auto expected = engine_value(kpis, kpi, period);
    REQUIRE(expected);
    auto got = snapshot_value(s, kpi, period);
    REQUIRE(got);
    CHECK(*got == Approx(*expected).epsilon(1e-12));
  }
}

// The engine's tables for the same configuration, computed in memory.
inline Table engine_table(const std::string &config, const std::string &table) {
  Engine e(parse_settings(config));
  Request r;
  r.table = table;
  return e.compute(r);
}

// One nightly run on a fresh engine, as a host would do it.
inline Table run(const std::string &config, const std::string &options = "", Engine::ProgressFn progress = {}) {
  Engine e(parse_settings(config));
  if (progress) e.set_progress(std::move(progress));
  return run_nightly(e, options);
}

struct RunSummary {
  long long run_id;
  std::string status;
  long long kpi_rows, table_rows;
};

inline RunSummary summary_of(const Table &t) {
  return RunSummary{t.column(0).ints.at(0), t.column(2).text.at(0), t.column(3).ints.at(0), t.column(4).ints.at(0)};
}

// status and error of one cskpi_run row.
inline std::pair<std::string, std::string> run_status(soci::session &s, long long id) {
  std::string status, error;
  soci::indicator ind = soci::i_null;
  s << "SELECT status, error FROM cskpi_run WHERE id = " + std::to_string(id), soci::into(status), soci::into(error, ind);
  if (ind == soci::i_null) error.clear();
  return {status, error};
}

inline long long last_run_id(soci::session &s) { return count(s, "SELECT coalesce(max(id), 0) FROM cskpi_run"); }

}  // namespace cskpi::test
