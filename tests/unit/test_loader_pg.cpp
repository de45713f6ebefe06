// The loader against a real PostgreSQL server (the COPY path). Needs
// CSKPI_PG_CONNECTION (a libpq connection string of a database the test may
// create schemas in); skipped without it. Each test works in its own schema,
// dropped afterwards.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <soci/soci.h>

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

const char *pg_connection() { return std::getenv("CSKPI_PG_CONNECTION"); }

#define REQUIRE_PG()                                                          \
  if (!pg_connection()) {                                                     \
    WARN("CSKPI_PG_CONNECTION is not set: PostgreSQL loader test skipped");   \
    SUCCEED();                                                                \
    return;                                                                   \
  }

using cskpi::test::contains;

// A session whose search_path is a fresh schema, dropped on destruction.
struct PgDb {
  std::unique_ptr<soci::session> s;
  std::string schema;
  PgDb() {
    static int counter = 0;
    s = open_session(SourceSettings{"postgresql", pg_connection(), "canonical"});
    schema = "cskpi_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    *s << "SET client_min_messages TO warning";  // no NOTICEs about DROP ... CASCADE
    *s << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
    *s << "CREATE SCHEMA " + schema;
    *s << "SET search_path TO " + schema;
  }
  ~PgDb() {
    try {
      *s << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
    } catch (...) {
    }
  }
  void run(const std::string &sql) { *s << sql; }
  void canonical_schema() {
    for (const char *sql : {
             "CREATE TABLE customers (customer_id text, name text, created_on date, segment text)",
             "CREATE TABLE order_lines (order_id text, customer_id integer, order_date date, product_id text, "
             "category varchar(40), amount numeric(14,2))",
             "CREATE TABLE invoices (invoice_id text, customer_id text, invoice_date date, due_date date, "
             "paid_date timestamp, amount double precision, kind text)",
             "CREATE TABLE tickets (ticket_id bigint, customer_id text, opened_at timestamp, "
             "first_response_at timestamp, resolved_at timestamp, channel text, category text, priority char(6), "
             "reopen_count smallint)",
             "CREATE TABLE feedback (feedback_id text, customer_id text, answered_at timestamptz, kind text, "
             "score numeric, ticket_id text)",
             "CREATE TABLE subscriptions (subscription_id text, customer_id text, start_date date, end_date date, "
             "mrr real)",
             "CREATE TABLE retention_costs (cost_date text, amount money)",
         })
      run(sql);
  }
};

Settings settings(const std::string &tz = "UTC", bool local = false) {
  Settings s;
  s.timezone = tz;
  s.timestamps_local = local;
  return s;
}

Dataset load(PgDb &db, const std::string &as_of, const Settings &s = settings(),
             const Profile &p = load_profile("canonical", "postgresql"), const LoadHooks &hooks = {}) {
  return load_dataset(*db.s, "postgresql", p, s, day(as_of), hooks);
}

using cskpi::test::TempDir;

std::string profile_error(PgDb &db, const Profile &p) {
  try {
    load(db, "2024-12-31", settings(), p);
  } catch (const ProfileError &e) {
    return e.what();
  }
  return "(no ProfileError)";
}

// The session is idle, outside any transaction and writable again.
void check_session_usable(PgDb &db) {
  std::string read_only;
  *db.s << "SHOW transaction_read_only", soci::into(read_only);
  CHECK(read_only == "off");
  CHECK_NOTHROW(db.run("CREATE TABLE after_load (x int)"));
  int one = 0;
  *db.s << "SELECT 1", soci::into(one);
  CHECK(one == 1);
}

}  // namespace

TEST_CASE("PostgreSQL: canonical round trip through COPY, with native types and escaped text") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  for (const char *sql : {
           "INSERT INTO customers VALUES ('c1', 'Acme', '2023-01-15', 'smb'), "
           "(E'tab\\there', 'T', NULL, E'line\\nbreak'), ('42', 'Num', NULL, E'back\\\\slash \u00e9')",
           "INSERT INTO order_lines VALUES ('o1', 42, '2023-02-01', 'p1', 'hardware', 100.50), "
           "('o1', 42, '2023-02-01', NULL, NULL, 20.25), ('o2', 7, '1969-12-31', NULL, 'x', -10)",
           "INSERT INTO invoices VALUES ('i1', 'c1', '2023-02-02', '2023-03-02', '2023-02-20 23:00', 0.1, 'invoice'), "
           "('i2', 'c1', '2023-02-10', NULL, '2024-01-01 10:00', -20, 'credit_note')",
           "INSERT INTO tickets VALUES (1001, 'c1', '2023-02-03 10:00', '2023-02-03 11:30:30.75', "
           "'2023-02-04 09:00', 'email', 'billing', 'high', 2), (1002, NULL, '2023-03-01 08:00', NULL, NULL, NULL, "
           "NULL, NULL, NULL)",
           "INSERT INTO feedback VALUES ('f1', 'c1', '2023-02-05 12:00+00', 'nps', 9, '1001'), "
           "('f2', NULL, '2023-02-06 01:00-03', 'csat', 4.0, NULL)",
           "INSERT INTO subscriptions VALUES ('s1', 'c1', '2023-01-01', NULL, 50.5), "
           "('s2', 'c1', '2023-02-01', 'infinity', 10)",
           "INSERT INTO retention_costs VALUES ('2023-01-31', 1000.25)",
       })
    db.run(sql);

  Dataset d = load(db, "2023-06-30");
  CHECK(d.first_day == -1);
  REQUIRE(d.customers.size() == 4);  // 7 is implied by order_lines
  CHECK(d.customers.ids.name(1) == "tab\there");
  CHECK(d.segments.name(d.customers.segment[1]) == "line\nbreak");
  CHECK(d.segments.name(d.customers.segment[2]) == "back\\slash \u00e9");
  CHECK(d.customers.created_on[0] == day("2023-01-15"));
  CHECK(d.customers.ids.name(3) == "7");
  CHECK(d.customers.known[3] == 0);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 1);

  CHECK(d.order_lines.customer == std::vector<std::uint32_t>{2, 2, 3});
  CHECK(d.order_lines.amount == std::vector<double>{100.5, 20.25, -10});
  CHECK(d.order_lines.day[2] == -1);
  CHECK(d.categories.name(d.order_lines.category[1]) == "unknown");

  CHECK(d.invoices.amount == std::vector<double>{0.1, -20});  // float8 round-trips exactly
  CHECK(d.invoices.paid == std::vector<Day>{day("2023-02-20"), kNoDay});
  CHECK(d.invoices.credit_note == std::vector<std::uint8_t>{0, 1});

  REQUIRE(d.tickets.size() == 2);
  CHECK(d.tickets.ids.name(0) == "1001");
  CHECK(d.tickets.first_response[0] == utc("2023-02-03 11:30") + 30);  // fraction floored
  CHECK(d.priorities.name(d.tickets.priority[0]) == "high");          // char(6) padding gone
  CHECK(d.tickets.reopen_count == std::vector<std::int32_t>{2, -1});

  REQUIRE(d.feedback.size() == 2);
  CHECK(d.feedback.answered[1] == utc("2023-02-06 04:00"));
  CHECK(d.feedback.score == std::vector<std::int32_t>{9, 4});
  CHECK(d.feedback.ticket[0] == 0);

  CHECK(d.subscriptions.mrr == std::vector<double>{50.5, 10});
  CHECK(d.subscriptions.end == std::vector<Day>{kNoDay, kNoDay});     // 'infinity': unreadable, flagged
  CHECK(d.quality.count("subscriptions", reason::bad_value) == 1);
  CHECK(d.retention_costs.amount == std::vector<double>{1000.25});
  CHECK(d.retention_costs.day == std::vector<Day>{day("2023-01-31")});
  check_session_usable(db);
}

TEST_CASE("PostgreSQL: timestamptz is an instant, timestamp follows the timestamps setting") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('c1', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines VALUES ('o1', NULL, '2024-01-10', NULL, NULL, 1)");
  db.run("INSERT INTO tickets VALUES (1, 'c1', '2024-03-01 02:30', NULL, NULL, NULL, NULL, NULL, NULL)");
  db.run("INSERT INTO feedback VALUES ('f1', 'c1', '2024-03-01 02:30+00', 'nps', 10, NULL)");

  Dataset u = load(db, "2024-03-31", settings("America/Sao_Paulo", false));
  CHECK(u.tickets.opened[0] == utc("2024-03-01 02:30"));
  CHECK(u.tickets.opened_day[0] == day("2024-02-29"));
  CHECK(u.feedback.answered[0] == utc("2024-03-01 02:30"));
  CHECK(u.feedback.day[0] == day("2024-02-29"));

  Dataset l = load(db, "2024-03-31", settings("America/Sao_Paulo", true));
  CHECK(l.tickets.opened[0] == utc("2024-03-01 05:30"));
  CHECK(l.tickets.opened_day[0] == day("2024-03-01"));
  CHECK(l.feedback.answered[0] == utc("2024-03-01 02:30"));  // timestamptz: not shifted
  CHECK(l.feedback.day[0] == day("2024-02-29"));
}

TEST_CASE("PostgreSQL: more rows than one chunk, exact sums, progress per chunk") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL), ('2', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines SELECT 'order-' || (i / 3), 1 + (i % 5 = 0)::int, "
         "DATE '2023-01-01' + (i % 100), NULL, NULL, 0.25 * i FROM generate_series(0, 25000) AS i");
  std::vector<std::int64_t> progress;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t rows) {
    if (source == "order_lines") progress.push_back(rows);
    return true;
  };
  Dataset d = load(db, "2023-06-30", settings(), load_profile("canonical", "postgresql"), hooks);
  REQUIRE(d.order_lines.size() == 25001);
  double sum = 0;
  for (double a : d.order_lines.amount) sum += a;
  CHECK(sum == 0.25 * 25000 * 25001 / 2);
  CHECK(d.order_lines.orders.size() == 8334);
  CHECK(d.order_lines.day[25000] == day("2023-01-01"));
  CHECK(progress == std::vector<std::int64_t>{0, 10000, 20000, 25001});
}

TEST_CASE("PostgreSQL: cancelling mid-COPY leaves the session usable") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines SELECT 'o' || i, 1, DATE '2023-01-01', NULL, NULL, 1 "
         "FROM generate_series(1, 200000) AS i");
  LoadHooks hooks;
  hooks.progress = [](const std::string &source, std::int64_t rows) { return !(source == "order_lines" && rows > 0); };
  CHECK_THROWS_AS(load(db, "2023-06-30", settings(), load_profile("canonical", "postgresql"), hooks), CancelledError);
  check_session_usable(db);
  Dataset d = load(db, "2023-06-30");
  CHECK(d.order_lines.size() == 200000);
}

TEST_CASE("PostgreSQL: profile errors") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  TempDir dir;
  dir.write("customers.sql", "SELECT * FROM customers");

  SECTION("a missing column") {
    dir.write("order_lines.sql", "SELECT order_id, customer_id, order_date, product_id, category FROM order_lines");
    std::string msg = profile_error(db, load_profile(dir.path.string(), "postgresql"));
    INFO(msg);
    CHECK(contains(msg, "source 'order_lines'"));
    CHECK(contains(msg, "missing column 'amount'"));
    CHECK(contains(msg, "order_date (date)"));
  }
  SECTION("a date where an amount is expected") {
    dir.write("order_lines.sql",
              "SELECT order_id, customer_id, order_date, product_id, category, order_date AS amount FROM order_lines");
    std::string msg = profile_error(db, load_profile(dir.path.string(), "postgresql"));
    INFO(msg);
    CHECK(contains(msg, "column 'amount' is date"));
  }
  SECTION("a number where a date is expected") {
    dir.write("order_lines.sql",
              "SELECT order_id, customer_id, 20230101 AS order_date, product_id, category, amount FROM order_lines");
    CHECK(contains(profile_error(db, load_profile(dir.path.string(), "postgresql")), "column 'order_date' is integer"));
  }
  SECTION("text that the server cannot cast, found mid-stream") {
    db.run("INSERT INTO order_lines VALUES ('o1', 1, '2023-01-01', NULL, NULL, 1)");
    dir.write("order_lines.sql",
              "SELECT order_id, customer_id, CASE WHEN order_id = 'o1' THEN 'garbage' END AS order_date, "
              "product_id, category, amount FROM order_lines");
    std::string msg = profile_error(db, load_profile(dir.path.string(), "postgresql"));
    INFO(msg);
    CHECK(contains(msg, "source 'order_lines': SQL error"));
    CHECK(contains(msg, "garbage"));
    check_session_usable(db);
  }
  SECTION("a SQL error") {
    dir.write("order_lines.sql", "SELECT * FROM no_such_table");
    std::string msg = profile_error(db, load_profile(dir.path.string(), "postgresql"));
    CHECK(contains(msg, "no_such_table"));
    check_session_usable(db);
  }
  SECTION("the postgresql override is used") {
    dir.write("order_lines.sql", "SELECT nonsense");
    dir.write("postgresql/order_lines.sql", "SELECT * FROM order_lines");
    Dataset d = load(db, "2024-12-31", settings(), load_profile(dir.path.string(), "postgresql"));
    CHECK(d.order_lines.size() == 0);
    CHECK_FALSE(d.present.invoices);
  }
}

TEST_CASE("PostgreSQL: the canonical profile without optional tables") {
  REQUIRE_PG();
  PgDb db;
  db.run("CREATE TABLE customers (customer_id text, name text, created_on date, segment text)");
  db.run("CREATE VIEW order_lines AS SELECT 'o1'::text AS order_id, 'c1'::text AS customer_id, "
         "DATE '2023-03-01' AS order_date, NULL::text AS product_id, NULL::text AS category, 5::numeric AS amount");
  Dataset d = load(db, "2023-06-30");
  CHECK(d.order_lines.size() == 1);
  CHECK_FALSE(d.present.invoices);
  CHECK_FALSE(d.present.tickets);
  CHECK_FALSE(d.present.retention_costs);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 1);
}
