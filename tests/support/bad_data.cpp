#include "support/bad_data.hpp"

#include <cmath>
#include <set>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "core/quality.hpp"
#include "engine/engine.hpp"
#include "engine/table_registry.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/profile_harness.hpp"

namespace cskpi::test {
namespace {

// An invalid UTF-8 byte (Latin-1 'é') inside a text, as each database writes it.
std::string latin1_cafe(BadDataDb db) {
  switch (db) {
    case BadDataDb::sqlite3: return "'caf' || CAST(X'E9' AS TEXT)";
    case BadDataDb::postgresql: return "E'caf\\xe9'";
    case BadDataDb::mysql: return "CONCAT('caf', CAST(X'E9' AS CHAR CHARACTER SET latin1))";
  }
  return "";
}

}  // namespace

// Story (as_of 2024-03-31, months); "bad" rows are skipped unless flagged.
//   customers  c1 created 01-05 smb; c2 created '2024-02-30' (flagged
//              bad_value: no created_on), segment Latin-1 'caf\xE9' (flagged
//              invalid_text: 'caf' U+FFFD); c3 created 01-10, segment
//              'a' NUL 'b' (SQLite only: flagged invalid_text, 'ab'); c4
//              created 01-20, a 1 MB segment whose byte 500 ends inside 'é'
//              (flagged long_text: the first 499 bytes)
//   orders     o1 c1 01-10 100; bad amounts 'abc', '12abc', '1e400', '1e308',
//              '-2e15' (o2..o6) and a bad date '2024-02-30' (o7); o8 c2 02-10
//              ' 40.5 ' (blanks are fine); o9 c3 02-11 30 and a line of o9
//              naming c1, 5 (flagged mixed_customer_order; the order is c3's)
//   invoices   i1 c1 01-10 100; i2 1e400, i3 1e16 (bad)
//   tickets    t1 c1 opened 01-10 10:00, resolved 12:00, reopen '1'; t2
//              01-11, reopen 'x' (flagged bad_value: reopen null); t3 01-12
//              10:00 resolved 09:00 (flagged negative_duration: resolved, no
//              TTR); t4 opened '2024-13-01 00:00:00' (bad)
//   feedback   nps f1 9, f4 '10.0' (an integral decimal); f2 'abc', f3 '7.5' (bad)
//   subscriptions s1 c1 01-01 open 50; s2 ends on its start, s3 before it
//              (end_not_after_start); s4 mrr 'abc' (bad)
//   retention  01-31 1000; 02-29 '1e309' (bad)
std::vector<std::string> bad_data_story(BadDataDb db) {
  const std::string num_amount = db == BadDataDb::postgresql ? "NUMERIC" : "TEXT";
  const std::string huge_segment = "'" + std::string(499, 'x') + "\xC3\xA9" + std::string(1 << 20, 'y') + "'";
  const std::string nul = db == BadDataDb::sqlite3 ? "'a' || char(0) || 'b'" : "'ab'";
  return {
      "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on TEXT, segment TEXT)",
      "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date TEXT, product_id TEXT, category TEXT, "
      "amount TEXT)",
      "CREATE TABLE invoices (invoice_id TEXT, customer_id TEXT, invoice_date TEXT, due_date TEXT, paid_date TEXT, "
      "amount " + num_amount + ", kind TEXT)",
      "CREATE TABLE tickets (ticket_id TEXT, customer_id TEXT, opened_at TEXT, first_response_at TEXT, "
      "resolved_at TEXT, channel TEXT, category TEXT, priority TEXT, reopen_count TEXT)",
      "CREATE TABLE feedback (feedback_id TEXT, customer_id TEXT, answered_at TEXT, kind TEXT, score TEXT, "
      "ticket_id TEXT)",
      "CREATE TABLE subscriptions (subscription_id TEXT, customer_id TEXT, start_date TEXT, end_date TEXT, mrr TEXT)",
      "CREATE TABLE retention_costs (cost_date TEXT, amount TEXT)",
      "INSERT INTO customers VALUES ('c1', 'Ann', '2024-01-05', 'smb'), ('c2', 'Bob', '2024-02-30', " +
          latin1_cafe(db) + "), ('c3', 'Cy', '2024-01-10', " + nul + "), ('c4', 'Di', '2024-01-20', " +
          huge_segment + ")",
      "INSERT INTO order_lines VALUES ('o1', 'c1', '2024-01-10', NULL, NULL, '100'), "
      "('o2', 'c1', '2024-01-11', NULL, NULL, 'abc'), ('o3', 'c1', '2024-01-12', NULL, NULL, '12abc'), "
      "('o4', 'c1', '2024-01-13', NULL, NULL, '1e400'), ('o5', 'c1', '2024-01-14', NULL, NULL, '1e308'), "
      "('o6', 'c1', '2024-01-15', NULL, NULL, '-2e15'), ('o7', 'c1', '2024-02-30', NULL, NULL, '50'), "
      "('o8', 'c2', '2024-02-10', NULL, NULL, ' 40.5 '), ('o9', 'c3', '2024-02-11', NULL, NULL, '30'), "
      "('o9', 'c1', '2024-02-11', NULL, 'other', '5')",
      "INSERT INTO invoices VALUES ('i1', 'c1', '2024-01-10', NULL, NULL, 100, 'invoice'), "
      "('i2', 'c1', '2024-01-11', NULL, NULL, " + std::string(db == BadDataDb::postgresql ? "1e400" : "'1e400'") +
          ", 'invoice'), ('i3', 'c1', '2024-01-12', NULL, NULL, 1e16, 'invoice')",
      "INSERT INTO tickets VALUES ('t1', 'c1', '2024-01-10 10:00:00', NULL, '2024-01-10 12:00:00', NULL, NULL, NULL, "
      "'1'), ('t2', 'c1', '2024-01-11 10:00:00', NULL, NULL, NULL, NULL, NULL, 'x'), "
      "('t3', 'c1', '2024-01-12 10:00:00', NULL, '2024-01-12 09:00:00', NULL, NULL, NULL, NULL), "
      "('t4', 'c1', '2024-13-01 00:00:00', NULL, NULL, NULL, NULL, NULL, NULL)",
      "INSERT INTO feedback VALUES ('f1', 'c1', '2024-01-10 10:00:00', 'nps', '9', NULL), "
      "('f2', 'c1', '2024-01-11 10:00:00', 'nps', 'abc', NULL), ('f3', 'c1', '2024-01-12 10:00:00', 'nps', '7.5', "
      "NULL), ('f4', 'c1', '2024-01-13 10:00:00', 'nps', '10.0', NULL)",
      "INSERT INTO subscriptions VALUES ('s1', 'c1', '2024-01-01', NULL, '50'), "
      "('s2', 'c1', '2024-02-01', '2024-02-01', '30'), ('s3', 'c1', '2024-02-01', '2024-01-15', '30'), "
      "('s4', 'c1', '2024-01-01', NULL, 'abc')",
      "INSERT INTO retention_costs VALUES ('2024-01-31', '1000'), ('2024-02-29', '1e309')",
  };
}

namespace {

// Every number of a parsed JSON value is finite.
bool all_finite(const boost::json::value &v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto &e : v.get_array())
      if (!all_finite(e)) return false;
  }
  if (v.is_object()) {
    for (const auto &e : v.get_object())
      if (!all_finite(e.value())) return false;
  }
  return true;
}

void check_counts(const Dataset &d, BadDataDb kind) {
  const DataQuality &q = d.quality;
  const auto skipped = [&](const char *source, const char *why) {
    return q.findings().at({source, why}).skipped;
  };
  CHECK(q.count("customers", reason::bad_value) == 1);
  CHECK_FALSE(skipped("customers", reason::bad_value));
  CHECK(q.count("customers", reason::invalid_text) == (kind == BadDataDb::sqlite3 ? 2 : 1));
  CHECK(q.count("customers", reason::long_text) == 1);
  CHECK(q.count("order_lines", reason::bad_value) == 6);
  CHECK(skipped("order_lines", reason::bad_value));
  CHECK(q.count("order_lines", reason::mixed_customer_order) == 1);
  CHECK_FALSE(skipped("order_lines", reason::mixed_customer_order));
  CHECK(q.count("invoices", reason::bad_value) == 2);
  CHECK(q.count("tickets", reason::bad_value) == 2);  // t4 skipped, t2 flagged
  CHECK(q.count("tickets", reason::negative_duration) == 1);
  CHECK(q.count("feedback", reason::bad_value) == 2);
  CHECK(q.count("subscriptions", reason::end_not_after_start) == 2);
  CHECK(skipped("subscriptions", reason::end_not_after_start));
  CHECK(q.count("subscriptions", reason::bad_value) == 1);
  CHECK(q.count("retention_costs", reason::bad_value) == 1);
  std::int64_t total = 0;
  for (const auto &[key, f] : q.findings()) total += f.rows;
  CHECK(total == (kind == BadDataDb::sqlite3 ? 22 : 21));  // nothing else found

  CHECK(d.customers.created_on[1] == kNoDay);
  std::set<std::string> segments;
  for (const auto &s : d.segments.names()) segments.insert(s);
  CHECK(segments.count("caf\xEF\xBF\xBD") == 1);
  CHECK(segments.count(std::string(499, 'x')) == 1);
  CHECK(segments.count("ab") == 1);
  CHECK(d.tickets.reopen_count == std::vector<std::int32_t>{1, -1, -1});
  CHECK(d.subscriptions.size() == 1);
  CHECK(d.retention_costs.amount == std::vector<double>{1000});
}

void check_kpis(const Dataset &d, const Settings &s) {
  KpiResults r = monthly_kpis(d, s);
  CHECK(kpi(r, "orders", "2024-01-01") == 1);
  CHECK(kpi(r, "aov", "2024-01-01") == 100);
  CHECK(kpi(r, "orders", "2024-02-01") == 2);
  CHECK(kpi(r, "aov", "2024-02-01") == Approx(37.75));  // (40.5 + 30 + 5) / 2
  CHECK(kpi(r, "revenue", "2024-01-01") == 100);
  CHECK(kpi(r, "nps", "2024-01-01") == 100);  // 9 and 10; 'abc' is no detractor
  CHECK(kpi(r, "tickets_resolved", "2024-01-01") == 2);
  CHECK(kpi(r, "backlog_end", "2024-01-01") == 1);
  CHECK(kpi(r, "ttr_hours_mean", "2024-01-01") == 2);
  CHECK(kpi(r, "retention_cost", "2024-01-01") == 1000);
  CHECK(kpi(r, "retention_cost", "2024-02-01") == 0);
  // Created in January: c1 (bought 5 days later), c3 (32 days), c4 (never).
  CHECK(kpi(r, "activation_rate", "2024-01-01") == Approx(1.0 / 3));
}

// Every table the engine computes from the model: valid JSON (Boost.JSON
// rejects invalid UTF-8 and bare Infinity / NaN), finite numbers.
void check_outputs(const Dataset &d, const Settings &s) {
  Engine engine(s);
  for (const TableDecl &t : table_registry()) {
    if (t.input == TableInput::source) continue;  // profile_check reads the source itself
    INFO("table " << t.name());
    const std::string json = engine.compute_table(d, Granularity::month, std::string(t.name())).to_json();
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(json, ec);
    REQUIRE_FALSE(ec);
    CHECK(all_finite(v));
    CHECK(json.find('\0') == std::string::npos);
  }
}

}  // namespace

Dataset check_bad_data_story(soci::session &db, const std::string &backend, BadDataDb kind) {
  Settings s = profile_settings(backend, "canonical");
  Dataset d = load_with_profile(db, s, parse_day("2024-03-31"));
  check_counts(d, kind);
  check_kpis(d, s);
  check_outputs(d, s);
  return d;
}

}  // namespace cskpi::test
