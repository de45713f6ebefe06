// The loader against hand-built SQLite databases: values, data-quality
// counts, profile errors, time zones, chunking and cancellation.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/dataset_builder.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
using cskpi::test::day;
using cskpi::test::utc;
namespace fs = std::filesystem;

namespace {

using cskpi::test::TempDir;

using cskpi::test::contains;

const char *const kSchema[] = {
    "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on DATE, segment TEXT)",
    "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, category TEXT, "
    "amount REAL)",
    "CREATE TABLE invoices (invoice_id TEXT, customer_id TEXT, invoice_date DATE, due_date DATE, paid_date DATE, "
    "amount NUMERIC(14,2), kind VARCHAR(16))",
    "CREATE TABLE tickets (ticket_id TEXT, customer_id TEXT, opened_at TIMESTAMP, first_response_at TIMESTAMP, "
    "resolved_at TIMESTAMP, channel TEXT, category TEXT, priority TEXT, reopen_count INTEGER)",
    "CREATE TABLE feedback (feedback_id TEXT, customer_id TEXT, answered_at DATETIME, kind TEXT, score INTEGER, "
    "ticket_id TEXT)",
    "CREATE TABLE subscriptions (subscription_id TEXT, customer_id TEXT, start_date DATE, end_date DATE, mrr REAL)",
    "CREATE TABLE retention_costs (cost_date DATE, amount REAL)",
};

std::unique_ptr<soci::session> memory_db(bool all_tables = true) {
  auto db = open_session(SourceSettings{"sqlite3", ":memory:", "canonical"});
  for (const char *sql : kSchema) {
    if (!all_tables && std::string(sql).find("customers") == std::string::npos &&
        std::string(sql).find("order_lines") == std::string::npos)
      continue;
    *db << sql;
  }
  return db;
}

void run(soci::session &db, const std::string &sql) { db << sql; }

Settings settings(const std::string &tz = "UTC", bool local = false) {
  Settings s;
  s.timezone = tz;
  s.timestamps_local = local;
  return s;
}

Dataset load(soci::session &db, const std::string &as_of, const Settings &s = settings(),
             const Profile &p = load_profile("canonical", "sqlite3"), const LoadHooks &hooks = {}) {
  return load_dataset(db, "sqlite3", p, s, day(as_of), hooks);
}

std::int64_t rows_read(const Dataset &d, const std::string &source) {
  for (const auto &[name, n] : d.rows_read)
    if (name == source) return n;
  return -1;
}

std::string profile_error(soci::session &db, const Profile &p) {
  try {
    load(db, "2024-12-31", settings(), p);
  } catch (const ProfileError &e) {
    return e.what();
  }
  return "(no ProfileError)";
}

}  // namespace

TEST_CASE("canonical profile round trip on SQLite") {
  auto db = memory_db();
  for (const char *sql : {
           "INSERT INTO customers VALUES ('c1', 'Acme', '2023-01-15', 'smb'), ('c2', 'Bolt', NULL, NULL), "
           "('c3', 'Core', '2023-02-01', 'enterprise')",
           "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-02-01', 'p1', 'hardware', 100.5), "
           "('o1', 'c1', '2023-02-01', 'p2', NULL, 20.25), ('o2', 'c2', '2023-03-05', 'p1', 'hardware', -10)",
           "INSERT INTO invoices VALUES ('i1', 'c1', '2023-02-02', '2023-03-02', '2023-02-20', 100.5, 'invoice'), "
           "('i2', 'c1', '2023-02-10', NULL, NULL, -20, 'credit_note'), "
           "('i3', 'c2', '2023-03-06', '2023-04-05', '2024-01-01', 75, 'invoice')",
           "INSERT INTO tickets VALUES ('t1', 'c1', '2023-02-03 10:00:00', '2023-02-03 11:30:00', "
           "'2023-02-04 09:00:00', 'email', 'billing', 'high', 1), "
           "('t2', NULL, '2023-03-01 08:00:00', NULL, NULL, NULL, NULL, NULL, NULL)",
           "INSERT INTO feedback VALUES ('f1', 'c1', '2023-02-05 12:00:00', 'nps', 9, 't1'), "
           "('f2', NULL, '2023-02-06 12:00:00', 'csat', 5, NULL), ('f3', 'c2', '2023-03-07 00:00:00', 'ces', 3, 'tX')",
           "INSERT INTO subscriptions VALUES ('s1', 'c1', '2023-01-01', NULL, 50), "
           "('s2', 'c3', '2023-02-01', '2023-04-01', 80.5)",
           "INSERT INTO retention_costs VALUES ('2023-01-31', 1000), ('2023-02-28', 1200.5)",
       })
    run(*db, sql);

  Dataset d = load(*db, "2023-06-30");

  CHECK(d.as_of == day("2023-06-30"));
  CHECK(d.first_day == day("2023-01-01"));  // s1's start; created_on does not count
  CHECK(d.quality.findings().empty());
  CHECK(d.present.invoices);
  CHECK(d.present.tickets);
  CHECK(d.present.feedback);
  CHECK(d.present.subscriptions);
  CHECK(d.present.retention_costs);
  CHECK(d.rows_read == std::vector<std::pair<std::string, std::int64_t>>{
                           {"customers", 3}, {"order_lines", 3}, {"invoices", 3}, {"tickets", 2},
                           {"feedback", 3}, {"subscriptions", 2}, {"retention_costs", 2}});

  const auto &cu = d.customers;
  REQUIRE(cu.size() == 3);
  CHECK(cu.ids.name(0) == "c1");
  CHECK(d.segments.name(cu.segment[0]) == "smb");
  CHECK(d.segments.name(cu.segment[1]) == "unassigned");
  CHECK(d.segments.name(cu.segment[2]) == "enterprise");
  CHECK(cu.created_on == std::vector<Day>{day("2023-01-15"), kNoDay, day("2023-02-01")});
  CHECK(cu.known == std::vector<std::uint8_t>{1, 1, 1});

  const auto &ol = d.order_lines;
  REQUIRE(ol.size() == 3);
  CHECK(ol.orders.size() == 2);
  CHECK(ol.order == std::vector<std::uint32_t>{0, 0, 1});  // o1, o1, o2 (the ids are not kept)
  CHECK(ol.customer == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(ol.day == std::vector<Day>{day("2023-02-01"), day("2023-02-01"), day("2023-03-05")});
  CHECK(d.categories.name(ol.category[0]) == "hardware");
  CHECK(d.categories.name(ol.category[1]) == "unknown");
  CHECK(ol.category[2] == ol.category[0]);
  CHECK(ol.amount == std::vector<double>{100.5, 20.25, -10});

  const auto &inv = d.invoices;
  REQUIRE(inv.size() == 3);
  CHECK(inv.customer == std::vector<std::uint32_t>{0, 0, 1});
  CHECK(inv.day == std::vector<Day>{day("2023-02-02"), day("2023-02-10"), day("2023-03-06")});
  CHECK(inv.due == std::vector<Day>{day("2023-03-02"), kNoDay, day("2023-04-05")});
  CHECK(inv.paid == std::vector<Day>{day("2023-02-20"), kNoDay, kNoDay});  // i3 paid after as_of: not yet
  CHECK(inv.amount == std::vector<double>{100.5, -20, 75});
  CHECK(inv.credit_note == std::vector<std::uint8_t>{0, 1, 0});

  const auto &t = d.tickets;
  REQUIRE(t.size() == 2);
  CHECK(t.ids.name(1) == "t2");
  CHECK(t.customer == std::vector<std::uint32_t>{0, kNoCustomer});
  CHECK(t.opened == std::vector<Seconds>{utc("2023-02-03 10:00"), utc("2023-03-01 08:00")});
  CHECK(t.first_response == std::vector<Seconds>{utc("2023-02-03 11:30"), kNoTime});
  CHECK(t.resolved == std::vector<Seconds>{utc("2023-02-04 09:00"), kNoTime});
  CHECK(t.opened_day == std::vector<Day>{day("2023-02-03"), day("2023-03-01")});
  CHECK(t.resolved_day == std::vector<Day>{day("2023-02-04"), kNoDay});
  CHECK(d.channels.name(t.channel[0]) == "email");
  CHECK(d.channels.name(t.channel[1]) == "unknown");
  CHECK(d.categories.name(t.category[0]) == "billing");
  CHECK(d.categories.name(t.category[1]) == "unknown");
  CHECK(d.priorities.name(t.priority[0]) == "high");
  CHECK(d.priorities.name(t.priority[1]) == "unknown");
  CHECK(t.reopen_count == std::vector<std::int32_t>{1, -1});
  CHECK(t.has_reopen_count);

  const auto &f = d.feedback;
  REQUIRE(f.size() == 3);
  CHECK(f.customer == std::vector<std::uint32_t>{0, kNoCustomer, 1});
  CHECK(f.answered[0] == utc("2023-02-05 12:00"));
  CHECK(f.day == std::vector<Day>{day("2023-02-05"), day("2023-02-06"), day("2023-03-07")});
  CHECK(f.kind == std::vector<FeedbackKind>{FeedbackKind::nps, FeedbackKind::csat, FeedbackKind::ces});
  CHECK(f.score == std::vector<std::int32_t>{9, 5, 3});
  CHECK(f.ticket == std::vector<std::uint32_t>{0, UINT32_MAX, UINT32_MAX});  // tX is no ticket

  const auto &s = d.subscriptions;
  REQUIRE(s.size() == 2);
  CHECK(s.customer == std::vector<std::uint32_t>{0, 2});
  CHECK(s.start == std::vector<Day>{day("2023-01-01"), day("2023-02-01")});
  CHECK(s.end == std::vector<Day>{kNoDay, day("2023-04-01")});
  CHECK(s.mrr == std::vector<double>{50, 80.5});

  CHECK(d.retention_costs.day == std::vector<Day>{day("2023-01-31"), day("2023-02-28")});
  CHECK(d.retention_costs.amount == std::vector<double>{1000, 1200.5});
}

TEST_CASE("every data-quality reason is counted exactly") {
  auto db = memory_db();
  for (const char *sql : {
           // customers: 1 null id, 1 duplicate (the first row wins), 1 unreadable created_on (kept)
           "INSERT INTO customers VALUES ('c1', 'A', '2023-01-01', 'smb'), (NULL, 'B', NULL, NULL), "
           "('c1', 'A again', '2020-01-01', 'enterprise'), ('c2', 'C', 'someday', NULL)",
           // order lines: 2 null mandatory, 1 unreadable date, 1 after as_of, 2 rows of one unknown customer
           "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-02-01', NULL, 'x', 10), "
           "('o2', 'c1', NULL, NULL, 'x', 10), ('o3', NULL, '2023-02-01', NULL, 'x', 10), "
           "('o4', 'c1', 'garbage', NULL, 'x', 10), ('o5', 'c1', '2023-07-01', NULL, 'x', 10), "
           "('o6', 'zz', '2023-02-03', NULL, 'x', 5), ('o6', 'zz', '2023-02-03', NULL, 'y', 6)",
           // invoices: 1 unknown kind, 1 duplicate, 1 after as_of, 1 unknown customer (kept), 1 null amount,
           // 1 unreadable due date (kept, flagged)
           "INSERT INTO invoices VALUES ('i1', 'c1', '2023-02-01', NULL, NULL, 10, 'invoice'), "
           "('i2', 'c1', '2023-02-01', NULL, NULL, 10, 'refund'), ('i1', 'c1', '2023-02-02', NULL, NULL, 1, 'invoice'), "
           "('i3', 'c1', '2023-08-01', NULL, NULL, 10, 'invoice'), ('i4', 'yy', '2023-02-01', NULL, NULL, 7, 'invoice'), "
           "('i5', 'c1', '2023-02-01', NULL, NULL, NULL, 'invoice'), "
           "('i6', 'c1', '2023-02-01', '31/02/2023', NULL, 3, 'invoice')",
           // tickets: 1 null opened, 1 duplicate, 1 opened after as_of, 1 resolved before opened (kept),
           // 1 first response after as_of (kept: not yet), 1 unknown customer (kept), 1 negative reopen_count
           "INSERT INTO tickets VALUES ('t1', 'c1', '2023-02-01 10:00:00', NULL, '2023-02-01 09:00:00', NULL, NULL, "
           "NULL, NULL), ('t2', 'c1', NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
           "('t1', 'c1', '2023-02-02 10:00:00', NULL, NULL, NULL, NULL, NULL, NULL), "
           "('t3', 'c1', '2023-07-01 00:00:00', NULL, NULL, NULL, NULL, NULL, NULL), "
           "('t4', 'c1', '2023-06-30 10:00:00', '2023-07-01 08:00:00', NULL, NULL, NULL, NULL, 0), "
           "('t5', 'xx', '2023-03-01 10:00:00', NULL, NULL, NULL, NULL, NULL, -2)",
           // feedback: out of scale nps 11, csat 0, csat 6 (scale 5), ces 11; unknown kind; null score;
           // after as_of; duplicate; kept: nps 0, csat 5, ces 10
           "INSERT INTO feedback VALUES ('f1', 'c1', '2023-02-01 10:00:00', 'nps', 11, NULL), "
           "('f2', 'c1', '2023-02-01 10:00:00', 'csat', 0, NULL), ('f3', 'c1', '2023-02-01 10:00:00', 'csat', 6, NULL), "
           "('f4', 'c1', '2023-02-01 10:00:00', 'ces', 11, NULL), ('f5', 'c1', '2023-02-01 10:00:00', 'NPS', 5, NULL), "
           "('f6', 'c1', '2023-02-01 10:00:00', 'nps', NULL, NULL), ('f7', 'c1', '2023-07-01 10:00:00', 'nps', 5, NULL), "
           "('f8', NULL, '2023-02-01 10:00:00', 'nps', 0, NULL), ('f8', 'c1', '2023-02-02 10:00:00', 'nps', 10, NULL), "
           "('f9', 'c1', '2023-02-01 10:00:00', 'csat', 5, NULL), ('f10', 'c1', '2023-02-01 10:00:00', 'ces', 10, NULL)",
           // subscriptions: 1 null customer, 1 start after as_of, 1 duplicate, 1 unknown customer (kept)
           "INSERT INTO subscriptions VALUES ('s1', 'c1', '2023-01-01', NULL, 10), ('s2', NULL, '2023-01-01', NULL, 10), "
           "('s3', 'c1', '2023-09-01', NULL, 10), ('s1', 'c1', '2023-01-02', NULL, 10), "
           "('s4', 'ww', '2023-01-01', NULL, 10)",
           // retention costs: 1 null date, 1 after as_of
           "INSERT INTO retention_costs VALUES ('2023-01-31', 5), (NULL, 5), ('2023-07-01', 5)",
       })
    run(*db, sql);

  Dataset d = load(*db, "2023-06-30");
  const auto &q = d.quality;
  auto skipped = [&](const std::string &source, const std::string &why) {
    auto it = q.findings().find({source, why});
    return it != q.findings().end() && it->second.skipped;
  };

  CHECK(q.count("customers", reason::null_mandatory) == 1);
  CHECK(q.count("customers", reason::duplicate_id) == 1);
  CHECK(q.count("customers", reason::bad_value) == 1);
  CHECK_FALSE(skipped("customers", reason::bad_value));
  CHECK(d.customers.created_on[1] == kNoDay);
  CHECK(d.segments.name(d.customers.segment[0]) == "smb");  // first c1 kept

  CHECK(q.count("order_lines", reason::null_mandatory) == 2);
  CHECK(q.count("order_lines", reason::bad_value) == 1);
  CHECK(q.count("order_lines", reason::after_as_of) == 1);
  CHECK(q.count("order_lines", reason::unknown_customer) == 2);
  CHECK(skipped("order_lines", reason::after_as_of));
  CHECK_FALSE(skipped("order_lines", reason::unknown_customer));
  CHECK(d.order_lines.size() == 3);
  CHECK(d.order_lines.orders.size() == 2);

  CHECK(q.count("invoices", reason::bad_value) == 2);  // the kind (skipped) and the due date (flagged)
  CHECK(q.count("invoices", reason::duplicate_id) == 1);
  CHECK(q.count("invoices", reason::after_as_of) == 1);
  CHECK(q.count("invoices", reason::unknown_customer) == 1);
  CHECK(q.count("invoices", reason::null_mandatory) == 1);
  CHECK(d.invoices.size() == 3);
  CHECK(d.invoices.amount == std::vector<double>{10, 7, 3});
  CHECK(d.invoices.due[2] == kNoDay);

  CHECK(q.count("tickets", reason::null_mandatory) == 1);
  CHECK(q.count("tickets", reason::duplicate_id) == 1);
  CHECK(q.count("tickets", reason::after_as_of) == 1);
  CHECK(q.count("tickets", reason::negative_duration) == 1);
  CHECK_FALSE(skipped("tickets", reason::negative_duration));
  CHECK(q.count("tickets", reason::unknown_customer) == 1);
  CHECK(q.count("tickets", reason::bad_value) == 1);
  REQUIRE(d.tickets.size() == 3);
  CHECK(d.tickets.resolved[0] == kNoTime);        // negative: dropped, ticket kept
  CHECK(d.tickets.resolved_day[0] == kNoDay);
  CHECK(d.tickets.first_response[1] == kNoTime);  // after as_of: not yet
  CHECK(d.tickets.reopen_count == std::vector<std::int32_t>{-1, 0, -1});
  CHECK(d.tickets.has_reopen_count);

  CHECK(q.count("feedback", reason::score_out_of_scale) == 4);
  CHECK(q.count("feedback", reason::bad_value) == 1);
  CHECK(q.count("feedback", reason::null_mandatory) == 1);
  CHECK(q.count("feedback", reason::after_as_of) == 1);
  CHECK(q.count("feedback", reason::duplicate_id) == 1);
  CHECK(d.feedback.score == std::vector<std::int32_t>{0, 5, 10});
  CHECK(d.feedback.customer[0] == kNoCustomer);

  CHECK(q.count("subscriptions", reason::null_mandatory) == 1);
  CHECK(q.count("subscriptions", reason::after_as_of) == 1);
  CHECK(q.count("subscriptions", reason::duplicate_id) == 1);
  CHECK(q.count("subscriptions", reason::unknown_customer) == 1);
  CHECK(d.subscriptions.size() == 2);

  CHECK(q.count("retention_costs", reason::null_mandatory) == 1);
  CHECK(q.count("retention_costs", reason::after_as_of) == 1);
  CHECK(d.retention_costs.size() == 1);

  // Implied customers: zz (orders), yy (invoices), xx (tickets), ww (subscriptions).
  REQUIRE(d.customers.size() == 6);
  for (std::uint32_t c = 2; c < 6; ++c) {
    CHECK(d.customers.known[c] == 0);
    CHECK(d.segments.name(d.customers.segment[c]) == "unassigned");
  }
  CHECK(d.customers.ids.name(2) == "zz");

  // Nothing else was reported.
  std::int64_t total = 0;
  for (const auto &[key, f] : q.findings()) total += f.rows;
  CHECK(total == 3 + 6 + 6 + 6 + 8 + 4 + 2);
  CHECK(rows_read(d, "order_lines") == 7);
}

TEST_CASE("optional sources: absent from a profile, or a missing table under the canonical profile") {
  auto db = memory_db(false);  // only customers and order_lines tables
  run(*db, "INSERT INTO customers VALUES ('c1', 'A', NULL, NULL)");
  run(*db, "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-02-01', NULL, NULL, 1)");
  Dataset d = load(*db, "2023-06-30");
  CHECK_FALSE(d.present.invoices);
  CHECK_FALSE(d.present.tickets);
  CHECK_FALSE(d.present.feedback);
  CHECK_FALSE(d.present.subscriptions);
  CHECK_FALSE(d.present.retention_costs);
  CHECK(d.rows_read.size() == 2);
  CHECK(d.order_lines.size() == 1);

  // A directory profile names what it has: a missing table there is an error.
  TempDir dir;
  dir.write("customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("order_lines.sql", "SELECT * FROM order_lines");
  dir.write("tickets.sql", "SELECT * FROM tickets");
  std::string msg = profile_error(*db, load_profile(dir.path.string(), "sqlite3"));
  CHECK(contains(msg, "tickets"));
  CHECK(contains(msg, "no such table"));
}

TEST_CASE("a missing column names profile, source and column, and lists what the SELECT returned") {
  auto db = memory_db();
  TempDir dir;
  dir.write("customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("order_lines.sql",
            "-- no amount here\nSELECT order_id, customer_id, order_date, product_id, category, 1 AS extra "
            "FROM order_lines;");
  Profile p = load_profile(dir.path.string(), "sqlite3");
  std::string msg = profile_error(*db, p);
  INFO(msg);
  CHECK(contains(msg, "profile '" + dir.path.string() + "'"));
  CHECK(contains(msg, "source 'order_lines'"));
  CHECK(contains(msg, "missing column 'amount'"));
  CHECK(contains(msg, "order_id"));
  CHECK(contains(msg, "extra"));
}

TEST_CASE("a column of a clearly wrong type is a profile error") {
  TempDir dir;
  dir.write("customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("order_lines.sql", "SELECT * FROM order_lines");
  Profile p = load_profile(dir.path.string(), "sqlite3");

  SECTION("a date where an amount is expected") {
    auto db = open_session(SourceSettings{"sqlite3", ":memory:", ""});
    run(*db, kSchema[0]);
    run(*db, "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, "
             "category TEXT, amount DATE)");
    std::string msg = profile_error(*db, p);
    INFO(msg);
    CHECK(contains(msg, "source 'order_lines'"));
    CHECK(contains(msg, "column 'amount'"));
    CHECK(contains(msg, "date"));
  }
  SECTION("a number where a date is expected") {
    auto db = open_session(SourceSettings{"sqlite3", ":memory:", ""});
    run(*db, kSchema[0]);
    run(*db, "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date INTEGER, product_id TEXT, "
             "category TEXT, amount REAL)");
    std::string msg = profile_error(*db, p);
    INFO(msg);
    CHECK(contains(msg, "column 'order_date'"));
    CHECK(contains(msg, "integer"));
  }
}

TEST_CASE("a SQL error in a profile query is a ProfileError naming profile and source") {
  auto db = memory_db();
  TempDir dir;
  dir.write("customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("order_lines.sql", "SELECT order_id, customer_id, order_date FROM order_lines WHERE");
  std::string msg = profile_error(*db, load_profile(dir.path.string(), "sqlite3"));
  INFO(msg);
  CHECK(contains(msg, "source 'order_lines'"));
  CHECK(contains(msg, "SQL error"));
  // The session is still usable: no transaction left open, writes allowed.
  CHECK_NOTHROW(run(*db, "INSERT INTO customers VALUES ('c9', NULL, NULL, NULL)"));
}

TEST_CASE("a dialect override replaces the generic SELECT") {
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c1', 'A', NULL, NULL)");
  run(*db, "CREATE TABLE sale (ref TEXT, partner TEXT, day TEXT, total REAL)");
  run(*db, "INSERT INTO sale VALUES ('S1', 'c1', '2023-02-01 15:00:00', 12.5)");
  TempDir dir;
  dir.write("customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  // PostgreSQL-only syntax: would fail on SQLite.
  dir.write("order_lines.sql",
            "SELECT ref AS order_id, partner AS customer_id, day::date AS order_date, NULL AS product_id, "
            "NULL AS category, total AS amount FROM sale");
  dir.write("sqlite3/order_lines.sql",
            "SELECT ref AS order_id, partner AS customer_id, date(day) AS order_date, NULL AS product_id, "
            "NULL AS category, total AS amount FROM sale;\n");
  Dataset d = load(*db, "2023-06-30", settings(), load_profile(dir.path.string(), "sqlite3"));
  REQUIRE(d.order_lines.size() == 1);
  CHECK(d.order_lines.day[0] == day("2023-02-01"));
  CHECK(d.order_lines.amount[0] == 12.5);
  CHECK_FALSE(d.present.invoices);
}

TEST_CASE("timestamps across midnight in a non-UTC zone") {
  // America/Sao_Paulo is UTC-3 all year since 2019.
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c1', 'A', NULL, NULL)");
  run(*db, "INSERT INTO order_lines VALUES ('o1', 'c1', '2024-01-10', NULL, NULL, 1)");
  run(*db, "INSERT INTO tickets VALUES ('t1', 'c1', '2024-03-01 02:30:00', '2024-03-01 02:45:00', "
           "'2024-03-01 04:00:00', NULL, NULL, NULL, NULL)");
  run(*db, "INSERT INTO feedback VALUES ('f1', 'c1', '2024-03-01 02:59:59', 'nps', 10, 't1')");

  SECTION("stored in UTC: 02:30 UTC is 23:30 of the day before in Sao Paulo") {
    Dataset d = load(*db, "2024-03-31", settings("America/Sao_Paulo", false));
    REQUIRE(d.tickets.size() == 1);
    CHECK(d.tickets.opened[0] == utc("2024-03-01 02:30"));
    CHECK(d.tickets.opened_day[0] == day("2024-02-29"));
    CHECK(d.tickets.resolved[0] == utc("2024-03-01 04:00"));
    CHECK(d.tickets.resolved_day[0] == day("2024-03-01"));  // 01:00 local
    CHECK(d.feedback.day[0] == day("2024-02-29"));
    CHECK(d.feedback.ticket[0] == 0);

    // as_of 2024-02-29: opened and answered that local day, so kept; the
    // resolution (local 2024-03-01) has not happened yet.
    Dataset e = load(*db, "2024-02-29", settings("America/Sao_Paulo", false));
    REQUIRE(e.tickets.size() == 1);
    CHECK(e.tickets.first_response[0] == utc("2024-03-01 02:45"));
    CHECK(e.tickets.resolved[0] == kNoTime);
    CHECK(e.tickets.resolved_day[0] == kNoDay);
    CHECK(e.feedback.size() == 1);
  }
  SECTION("stored as local wall-clock time") {
    Dataset d = load(*db, "2024-03-31", settings("America/Sao_Paulo", true));
    REQUIRE(d.tickets.size() == 1);
    CHECK(d.tickets.opened[0] == utc("2024-03-01 05:30"));
    CHECK(d.tickets.opened_day[0] == day("2024-03-01"));
    CHECK(d.tickets.resolved[0] == utc("2024-03-01 07:00"));
    CHECK(d.feedback.answered[0] == utc("2024-03-01 05:59") + 59);
    CHECK(d.feedback.day[0] == day("2024-03-01"));

    Dataset e = load(*db, "2024-02-29", settings("America/Sao_Paulo", true));
    CHECK(e.tickets.size() == 0);
    CHECK(e.quality.count("tickets", reason::after_as_of) == 1);
    CHECK(e.quality.count("feedback", reason::after_as_of) == 1);
  }
}

TEST_CASE("dates before 1970 and date columns holding a time") {
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c1', 'A', '1969-12-31 23:59:59', NULL)");
  run(*db, "INSERT INTO order_lines VALUES ('o1', 'c1', '1969-12-31', NULL, NULL, 1), "
           "('o2', 'c1', '1900-03-01 12:00:00', NULL, NULL, 2), ('o3', 'c1', '2023-05-06T07:08:09', NULL, NULL, 3)");
  Dataset d = load(*db, "2023-06-30");
  CHECK(d.customers.created_on[0] == -1);
  CHECK(d.order_lines.day == std::vector<Day>{-1, day("1900-03-01"), day("2023-05-06")});
  CHECK(d.first_day == day("1900-03-01"));
}

TEST_CASE("more rows than one chunk: exact sums and progress per chunk") {
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c0', NULL, NULL, NULL), ('c1', NULL, NULL, NULL)");
  constexpr int n = 25001;
  {
    std::vector<std::string> order, customer, date;
    std::vector<double> amount;
    for (int i = 0; i < n; ++i) {
      order.push_back("order-" + std::to_string(i / 3));
      customer.push_back(i % 5 == 0 ? "c1" : "c0");
      date.push_back(i % 2 ? "2023-01-02" : "2023-03-04");
      amount.push_back(0.25 * i);
    }
    soci::transaction tx(*db);
    *db << "INSERT INTO order_lines (order_id, customer_id, order_date, amount) VALUES (:o, :c, :d, :a)",
        soci::use(order), soci::use(customer), soci::use(date), soci::use(amount);
    tx.commit();
  }
  std::vector<std::int64_t> progress;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t rows) {
    if (source == "order_lines") progress.push_back(rows);
    return true;
  };
  Dataset d = load(*db, "2023-06-30", settings(), load_profile("canonical", "sqlite3"), hooks);
  REQUIRE(d.order_lines.size() == n);
  double sum = 0, sum_c1 = 0;
  for (std::size_t i = 0; i < d.order_lines.size(); ++i) {
    sum += d.order_lines.amount[i];
    if (d.order_lines.customer[i] == 1) sum_c1 += d.order_lines.amount[i];
  }
  CHECK(sum == 0.25 * (n - 1) * n / 2);  // 78131250, exact in binary
  CHECK(sum_c1 == 0.25 * 5 * (5000.0 * 5001 / 2));
  CHECK(d.order_lines.orders.size() == (n + 2) / 3);
  CHECK(d.order_lines.order.back() == (n - 1) / 3);
  CHECK(d.order_lines.day[10000] == day("2023-03-04"));
  CHECK(d.order_lines.day[10001] == day("2023-01-02"));
  CHECK(progress == std::vector<std::int64_t>{0, 10000, 20000, 25001});
  CHECK(rows_read(d, "order_lines") == n);
}

TEST_CASE("consecutive lines of one order and category are one model entry, amounts summed") {
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c1', NULL, NULL, NULL), ('c2', NULL, NULL, NULL)");
  // rowid order is the SELECT's order here (no ORDER BY in the profile).
  for (const char *row : {
           "('o1', 'c1', '2023-02-01', 'p1', 'hw', 10.25)",  // o1/hw: three rows in a row -> 1 entry
           "('o1', 'c1', '2023-02-01', 'p2', 'hw', -3)",     //   (a return line nets in)
           "('o1', 'c1', '2023-02-01', 'p3', 'hw', 5.5)",
           "('o1', 'c1', '2023-02-01', 'p4', 'sw', 7)",      // o1/sw
           "('o1', 'c1', '2023-02-01', 'p5', 'hw', 1)",      // o1/hw again, not consecutive: its own entry
           "('o2', 'c1', '2023-02-01', 'p1', 'hw', 2)",      // same day and category, another order
           "('o3', 'c2', '2023-02-01', 'p1', NULL, 4)",      // null category ('unknown') ...
           "('o3', 'c2', '2023-02-01', 'p2', NULL, 6)",      // ... merges with the next null one
       })
    run(*db, std::string("INSERT INTO order_lines VALUES ") + row);
  Dataset d = load(*db, "2023-06-30");
  const auto &ol = d.order_lines;
  CHECK(rows_read(d, "order_lines") == 8);
  REQUIRE(ol.size() == 5);
  CHECK(ol.amount == std::vector<double>{12.75, 7, 1, 2, 10});
  CHECK(ol.order == std::vector<std::uint32_t>{0, 0, 0, 1, 2});
  CHECK(ol.customer == std::vector<std::uint32_t>{0, 0, 0, 0, 1});
  CHECK(d.categories.name(ol.category[0]) == "hw");
  CHECK(d.categories.name(ol.category[1]) == "sw");
  CHECK(ol.category[2] == ol.category[0]);
  CHECK(d.categories.name(ol.category[4]) == "unknown");
  CHECK(ol.orders.size() == 3);
  CHECK(d.quality.findings().empty());
}

TEST_CASE("the load is read-only and can be cancelled through progress") {
  auto db = memory_db();
  run(*db, "INSERT INTO customers VALUES ('c1', NULL, NULL, NULL)");
  run(*db, "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 14999) "
           "INSERT INTO order_lines SELECT 'o' || i, 'c1', '2023-01-01', NULL, NULL, 1 FROM k");

  int query_only_during_load = -1;
  bool write_refused = false;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t rows) {
    if (source != "order_lines" || rows == 0) return true;
    *db << "PRAGMA query_only", soci::into(query_only_during_load);
    try {
      run(*db, "INSERT INTO customers VALUES ('sneaky', NULL, NULL, NULL)");
    } catch (const soci::soci_error &) {
      write_refused = true;
    }
    return false;  // stop after the first chunk
  };
  CHECK_THROWS_AS(load(*db, "2023-06-30", settings(), load_profile("canonical", "sqlite3"), hooks), CancelledError);
  CHECK(query_only_during_load == 1);
  CHECK(write_refused);

  // Afterwards: query_only back off, no transaction open, writes work.
  int query_only = -1;
  *db << "PRAGMA query_only", soci::into(query_only);
  CHECK(query_only == 0);
  CHECK(sqlite_api::sqlite3_get_autocommit(static_cast<soci::sqlite3_session_backend *>(db->get_backend())->conn_) != 0);
  CHECK_NOTHROW(run(*db, "INSERT INTO customers VALUES ('c2', NULL, NULL, NULL)"));

  // A session that was query_only before stays so.
  run(*db, "PRAGMA query_only = ON");
  Dataset d = load(*db, "2023-06-30");
  CHECK(d.order_lines.size() == 15000);
  *db << "PRAGMA query_only", soci::into(query_only);
  CHECK(query_only == 1);
}

TEST_CASE("a database file on disk through open_session") {
  TempDir dir;
  std::string file = (dir.path / "erp.sqlite").string();
  SourceSettings src{"sqlite3", file, "canonical"};
  CHECK_THROWS_AS(open_session(src), SourceError);  // no such file: not silently created
  CHECK_FALSE(fs::exists(file));
  {
    auto db = open_session(src, true);
    for (const char *sql : kSchema) run(*db, sql);
    run(*db, "INSERT INTO customers VALUES ('c1', NULL, NULL, 'smb')");
    run(*db, "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-02-01', NULL, NULL, 4.5)");
  }
  auto db = open_session(SourceSettings{"sqlite3", "db=" + file + " timeout=2", "canonical"});
  Dataset d = load(*db, "2023-06-30");
  CHECK(d.order_lines.amount == std::vector<double>{4.5});
  CHECK_THROWS_AS(load_dataset(*db, "postgresql", load_profile("canonical", "postgresql"), settings(),
                               day("2023-06-30")),
                  ConfigError);
}
