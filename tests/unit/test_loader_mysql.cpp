// The loader against a real MariaDB server (the mysql backend: prepared
// statements to describe, mysql_use_result to stream). Needs the ctest
// fixture "mariadb" (CSKPI_MARIADB_CONNECTION); skipped without it. Each
// test case works in its own database.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "core/errors.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/dataset_builder.hpp"
#include "support/mariadb.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
using cskpi::test::day;
using cskpi::test::utc;
namespace fs = std::filesystem;

namespace {

using cskpi::test::contains;

struct MyDb {
  std::unique_ptr<soci::session> s;
  explicit MyDb(const std::string &conn) : s(open_session(SourceSettings{"mysql", conn, "canonical"})) {}
  void run(const std::string &sql) { *s << sql; }
  void canonical_schema() {
    for (const char *sql : {
             "CREATE TABLE customers (customer_id varchar(40), name varchar(140), created_on date, segment text)",
             "CREATE TABLE order_lines (order_id varchar(40), customer_id int, order_date date, product_id varchar(40), "
             "category varchar(40), amount decimal(14,2))",
             "CREATE TABLE invoices (invoice_id varchar(40), customer_id varchar(40), invoice_date date, due_date date, "
             "paid_date datetime, amount double, kind varchar(16))",
             "CREATE TABLE tickets (ticket_id bigint, customer_id varchar(40), opened_at datetime(6), "
             "first_response_at datetime(6), resolved_at datetime, channel varchar(20), category varchar(40), "
             "priority char(6), reopen_count smallint)",
             "CREATE TABLE feedback (feedback_id varchar(40), customer_id varchar(40), answered_at timestamp NULL, "
             "kind varchar(8), score decimal(4,1), ticket_id varchar(40))",
             "CREATE TABLE subscriptions (subscription_id varchar(40), customer_id varchar(40), start_date date, "
             "end_date date, mrr float)",
             "CREATE TABLE retention_costs (cost_date varchar(10), amount double(24,8))",
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

Dataset load(MyDb &db, const std::string &as_of, const Settings &s = settings(),
             const Profile &p = load_profile("canonical", "mysql"), const LoadHooks &hooks = {}) {
  return load_dataset(*db.s, "mysql", p, s, day(as_of), hooks);
}

using cskpi::test::TempDir;

std::string profile_error(MyDb &db, const Profile &p) {
  try {
    load(db, "2024-12-31", settings(), p);
  } catch (const ProfileError &e) {
    return e.what();
  }
  return "(no ProfileError)";
}

// The session is idle, outside any transaction, writable, and its session
// settings are back to what they were.
void check_session_usable(MyDb &db, const std::string &charset_before = "utf8mb4") {
  int in_trx = -1;
  *db.s << "SELECT @@in_transaction", soci::into(in_trx);
  CHECK(in_trx == 0);
  std::string charset;
  *db.s << "SELECT @@session.character_set_results", soci::into(charset);
  CHECK(charset == charset_before);
  CHECK_NOTHROW(db.run("CREATE TABLE IF NOT EXISTS after_load (x int)"));
  CHECK_NOTHROW(db.run("INSERT INTO after_load VALUES (1)"));
  int one = 0;
  *db.s << "SELECT 1", soci::into(one);
  CHECK(one == 1);
}

// Peak resident memory of this process so far (VmHWM), in kB.
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace

TEST_CASE("MariaDB: canonical round trip with native types and any text") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_roundtrip");
  MyDb db(*conn);
  db.canonical_schema();
  // A session whose zone is far from UTC: no conversion may depend on it.
  db.run("SET time_zone = '+05:00'");
  db.run("SET NAMES utf8mb4");
  for (const char *sql : {
           "INSERT INTO customers VALUES ('c1', 'Acme', '2023-01-15', 'smb'), "
           "('tab\\there', 'T', NULL, 'line\\nbreak'), ('42', 'Num', NULL, 'back\\\\slash \u00e9 \U0001F600')",
           "INSERT INTO order_lines VALUES ('o1', 42, '2023-02-01', 'p1', 'hardware', 100.50), "
           "('o1', 42, '2023-02-01', NULL, NULL, 20.25), ('o2', 7, '1969-12-31', NULL, 'x', -10)",
           "INSERT INTO invoices VALUES ('i1', 'c1', '2023-02-02', '2023-03-02', '2023-02-20 23:00', 0.1, 'invoice'), "
           "('i2', 'c1', '2023-02-10', NULL, '2024-01-01 10:00', -20, 'credit_note')",
           "INSERT INTO tickets VALUES (1001, 'c1', '2023-02-03 10:00', '2023-02-03 11:30:30.75', "
           "'2023-02-04 09:00', 'email', 'billing', 'high', 2), (1002, NULL, '2023-03-01 08:00', NULL, NULL, NULL, "
           "NULL, NULL, NULL)",
           // TIMESTAMP values are entered in the session zone (+05:00): 09:00 there is 04:00 UTC.
           "INSERT INTO feedback VALUES ('f1', 'c1', '2023-02-05 17:00', 'nps', 9, '1001'), "
           "('f2', NULL, '2023-02-06 09:00', 'csat', 4.0, NULL)",
           "INSERT INTO subscriptions VALUES ('s1', 'c1', '2023-01-01', NULL, 50.5), "
           "('s2', 'c1', '2023-02-01', '2024-02-29', 10)",
           "INSERT INTO retention_costs VALUES ('2023-01-31', 1000.25)",
       })
    db.run(sql);
  // Results in latin1 would lose the emoji: the load asks for utf8mb4, and
  // puts the session's setting back afterwards.
  db.run("SET character_set_results = latin1");

  Dataset d = load(db, "2023-06-30");
  CHECK(d.first_day == -1);
  REQUIRE(d.customers.size() == 4);  // 7 is implied by order_lines
  CHECK(d.customers.ids.name(1) == "tab\there");
  CHECK(d.segments.name(d.customers.segment[1]) == "line\nbreak");
  CHECK(d.segments.name(d.customers.segment[2]) == "back\\slash \u00e9 \U0001F600");
  CHECK(d.customers.created_on[0] == day("2023-01-15"));
  CHECK(d.customers.created_on[1] == kNoDay);
  CHECK(d.customers.ids.name(3) == "7");
  CHECK(d.customers.known[3] == 0);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 1);

  CHECK(d.order_lines.customer == std::vector<std::uint32_t>{2, 2, 3});
  CHECK(d.order_lines.amount == std::vector<double>{100.5, 20.25, -10});
  CHECK(d.order_lines.day[2] == -1);
  CHECK(d.categories.name(d.order_lines.category[1]) == "unknown");

  CHECK(d.invoices.amount == std::vector<double>{0.1, -20});  // doubles round-trip exactly
  CHECK(d.invoices.paid == std::vector<Day>{day("2023-02-20"), kNoDay});  // datetime -> its date; after as_of
  CHECK(d.invoices.due == std::vector<Day>{day("2023-03-02"), kNoDay});
  CHECK(d.invoices.credit_note == std::vector<std::uint8_t>{0, 1});

  REQUIRE(d.tickets.size() == 2);
  CHECK(d.tickets.ids.name(0) == "1001");
  CHECK(d.tickets.opened[0] == utc("2023-02-03 10:00"));               // datetime: zone-free
  CHECK(d.tickets.first_response[0] == utc("2023-02-03 11:30") + 30);  // fraction dropped
  CHECK(d.tickets.resolved[0] == utc("2023-02-04 09:00"));
  CHECK(d.priorities.name(d.tickets.priority[0]) == "high");
  CHECK(d.channels.name(d.tickets.channel[1]) == "unknown");
  CHECK(d.tickets.reopen_count == std::vector<std::int32_t>{2, -1});

  REQUIRE(d.feedback.size() == 2);
  CHECK(d.feedback.answered[0] == utc("2023-02-05 12:00"));  // timestamp: the stored instant
  CHECK(d.feedback.answered[1] == utc("2023-02-06 04:00"));
  CHECK(d.feedback.score == std::vector<std::int32_t>{9, 4});
  CHECK(d.feedback.ticket[0] == 0);

  CHECK(d.subscriptions.mrr == std::vector<double>{50.5, 10});
  CHECK(d.subscriptions.end == std::vector<Day>{kNoDay, day("2024-02-29")});
  CHECK(d.retention_costs.amount == std::vector<double>{1000.25});
  CHECK(d.retention_costs.day == std::vector<Day>{day("2023-01-31")});  // text read as a date
  CHECK(d.quality.findings().size() == 1);  // only the implied customer 7
  check_session_usable(db, "latin1");
}

TEST_CASE("MariaDB: TIMESTAMP is an instant, DATETIME follows the timestamps setting") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_zones");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("SET time_zone = '+00:00'");
  db.run("INSERT INTO customers VALUES ('c1', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines VALUES ('o1', NULL, '2024-01-10', NULL, NULL, 1)");
  db.run("INSERT INTO tickets VALUES (1, 'c1', '2024-03-01 02:30', NULL, NULL, NULL, NULL, NULL, NULL)");
  db.run("INSERT INTO feedback VALUES ('f1', 'c1', '2024-03-01 02:30', 'nps', 10, NULL)");
  db.run("SET time_zone = '-07:00'");

  Dataset u = load(db, "2024-03-31", settings("America/Sao_Paulo", false));
  CHECK(u.tickets.opened[0] == utc("2024-03-01 02:30"));
  CHECK(u.tickets.opened_day[0] == day("2024-02-29"));
  CHECK(u.feedback.answered[0] == utc("2024-03-01 02:30"));
  CHECK(u.feedback.day[0] == day("2024-02-29"));

  Dataset l = load(db, "2024-03-31", settings("America/Sao_Paulo", true));
  CHECK(l.tickets.opened[0] == utc("2024-03-01 05:30"));
  CHECK(l.tickets.opened_day[0] == day("2024-03-01"));
  CHECK(l.feedback.answered[0] == utc("2024-03-01 02:30"));  // TIMESTAMP: not shifted
  CHECK(l.feedback.day[0] == day("2024-02-29"));
}

TEST_CASE("MariaDB: zero dates and text that is no date are bad values, not nulls") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_bad");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("SET SESSION sql_mode = ''");  // as on old installations that stored zero dates
  db.run("INSERT INTO customers VALUES ('c1', NULL, '0000-00-00', NULL), ('c2', NULL, '2024-02-30', NULL)");
  db.run("INSERT INTO order_lines VALUES ('o1', 1, '0000-00-00', NULL, NULL, 1), ('o2', 1, '2024-01-02', NULL, NULL, 2)");
  db.run("INSERT INTO retention_costs VALUES ('garbage', 1), ('2024-01-05', 2)");
  Dataset d = load(db, "2024-06-30");
  REQUIRE(d.customers.size() == 3);  // '1' is implied by order_lines
  CHECK(d.customers.created_on[0] == kNoDay);
  CHECK(d.customers.created_on[1] == kNoDay);
  CHECK(d.quality.count("customers", reason::bad_value) == 2);
  CHECK(d.order_lines.size() == 1);
  CHECK(d.quality.count("order_lines", reason::bad_value) == 1);
  CHECK(d.retention_costs.day == std::vector<Day>{day("2024-01-05")});
  CHECK(d.quality.count("retention_costs", reason::bad_value) == 1);
}

TEST_CASE("MariaDB: chunk boundaries, exact sums, progress per chunk") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_chunks");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL), ('2', NULL, NULL, NULL)");
  // 0..25000 from a recursive CTE (the default recursion limit is far above).
  db.run("SET SESSION max_recursive_iterations = 100000");
  db.run("INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 25000) "
         "SELECT CONCAT('order-', i DIV 3), 1 + (i % 5 = 0), DATE '2023-01-01' + INTERVAL (i % 100) DAY, NULL, NULL, "
         "0.25 * i FROM n");
  std::vector<std::int64_t> progress;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t rows) {
    if (source == "order_lines") progress.push_back(rows);
    return true;
  };
  SECTION("two full chunks and a partial one") {
    Dataset d = load(db, "2023-06-30", settings(), load_profile("canonical", "mysql"), hooks);
    REQUIRE(d.order_lines.size() == 25001);
    double sum = 0;
    for (double a : d.order_lines.amount) sum += a;
    CHECK(sum == 0.25 * 25000 * 25001 / 2);
    CHECK(d.order_lines.orders.size() == 8334);
    CHECK(d.order_lines.day[25000] == day("2023-01-01"));
    CHECK(d.order_lines.day[99] == day("2023-04-10"));
    CHECK(progress == std::vector<std::int64_t>{0, 10000, 20000, 25001});
  }
  SECTION("exactly two chunks: no empty chunk after them") {
    db.run("DELETE FROM order_lines WHERE amount >= 0.25 * 20000");
    Dataset d = load(db, "2023-06-30", settings(), load_profile("canonical", "mysql"), hooks);
    CHECK(d.order_lines.size() == 20000);
    CHECK(progress == std::vector<std::int64_t>{0, 10000, 20000});
  }
  SECTION("exactly one row less than a chunk") {
    db.run("DELETE FROM order_lines WHERE amount >= 0.25 * 9999");
    Dataset d = load(db, "2023-06-30", settings(), load_profile("canonical", "mysql"), hooks);
    CHECK(d.order_lines.size() == 9999);
    CHECK(progress == std::vector<std::int64_t>{0, 9999});
  }
}

TEST_CASE("MariaDB: cancelling mid-stream leaves the session usable") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_cancel");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  db.run("SET SESSION max_recursive_iterations = 1000000");
  db.run("INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
         "SELECT CONCAT('o', i), 1, DATE '2023-01-01', NULL, NULL, 1 FROM n");
  LoadHooks hooks;
  hooks.progress = [](const std::string &source, std::int64_t rows) { return !(source == "order_lines" && rows > 0); };
  db.run("SET character_set_results = latin1");
  CHECK_THROWS_AS(load(db, "2023-06-30", settings(), load_profile("canonical", "mysql"), hooks), CancelledError);
  check_session_usable(db, "latin1");
  Dataset d = load(db, "2023-06-30");
  CHECK(d.order_lines.size() == 100000);
}

TEST_CASE("MariaDB: the load is one read-only transaction") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_readonly");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  TempDir dir;
  dir.write("customers.sql", "SELECT * FROM customers");
  // A profile may call functions; one that writes must fail, and nothing it
  // wrote may stay.
  db.run("CREATE TABLE side_effect (x int)");
  db.run("CREATE FUNCTION write_something() RETURNS INT MODIFIES SQL DATA "
         "BEGIN INSERT INTO side_effect VALUES (1); RETURN 1; END");
  dir.write("order_lines.sql",
            "SELECT 'o1' AS order_id, '1' AS customer_id, DATE '2024-01-01' AS order_date, NULL AS product_id, "
            "NULL AS category, write_something() AS amount");
  std::string msg = profile_error(db, load_profile(dir.path.string(), "mysql"));
  INFO(msg);
  CHECK(contains(msg, "source 'order_lines': SQL error"));
  CHECK(contains(msg, "READ ONLY"));
  int rows = -1;
  *db.s << "SELECT COUNT(*) FROM side_effect", soci::into(rows);
  CHECK(rows == 0);
  check_session_usable(db);
}

TEST_CASE("MariaDB: profile errors name the profile, the source and the column") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_errors");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  TempDir dir;
  dir.write("customers.sql", "SELECT * FROM customers");
  const std::string name = dir.path.string();

  SECTION("a missing column") {
    dir.write("order_lines.sql", "SELECT order_id, customer_id, order_date, product_id, category FROM order_lines");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "profile '" + name + "', source 'order_lines'"));
    CHECK(contains(msg, "missing column 'amount'"));
    CHECK(contains(msg, "order_date (date)"));
    CHECK(contains(msg, "customer_id (int)"));
    check_session_usable(db);
  }
  SECTION("a date where an amount is expected") {
    dir.write("order_lines.sql",
              "SELECT order_id, customer_id, order_date, product_id, category, order_date AS amount FROM order_lines");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "column 'amount' is date, which cannot hold a real"));
  }
  SECTION("a number where a date is expected") {
    dir.write("order_lines.sql",
              "SELECT order_id, customer_id, 20230101 AS order_date, product_id, category, amount FROM order_lines");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "column 'order_date' is int"));
  }
  SECTION("a time where a timestamp is expected") {
    dir.write("order_lines.sql", "SELECT * FROM order_lines");
    dir.write("tickets.sql",
              "SELECT ticket_id, customer_id, CAST(opened_at AS TIME) AS opened_at, first_response_at, resolved_at, "
              "channel, category, priority, reopen_count FROM tickets");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "source 'tickets': column 'opened_at' is time, which cannot hold a timestamp"));
  }
  SECTION("a SQL error") {
    dir.write("order_lines.sql", "SELECT * FROM no_such_table");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "source 'order_lines': SQL error"));
    CHECK(contains(msg, "no_such_table"));
    check_session_usable(db);
  }
  SECTION("two statements are refused") {
    dir.write("order_lines.sql", "SELECT * FROM order_lines; DELETE FROM customers");
    std::string msg = profile_error(db, load_profile(name, "mysql"));
    INFO(msg);
    CHECK(contains(msg, "SQL error"));
    int n = 0;
    *db.s << "SELECT COUNT(*) FROM customers", soci::into(n);
    CHECK(n == 1);
  }
  SECTION("the mysql override is used") {
    dir.write("order_lines.sql", "SELECT nonsense");
    dir.write("mysql/order_lines.sql", "SELECT * FROM order_lines");
    Dataset d = load(db, "2024-12-31", settings(), load_profile(name, "mysql"));
    CHECK(d.order_lines.size() == 0);
    CHECK_FALSE(d.present.invoices);
  }
}

TEST_CASE("MariaDB: the canonical profile without optional tables") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_optional");
  MyDb db(*conn);
  db.run("CREATE TABLE customers (customer_id text, name text, created_on date, segment text)");
  db.run("CREATE VIEW order_lines AS SELECT 'o1' AS order_id, 'c1' AS customer_id, DATE '2023-03-01' AS order_date, "
         "NULL AS product_id, NULL AS category, 5 AS amount");
  Dataset d = load(db, "2023-06-30");
  CHECK(d.order_lines.size() == 1);
  CHECK(d.order_lines.amount == std::vector<double>{5});
  CHECK_FALSE(d.present.invoices);
  CHECK_FALSE(d.present.tickets);
  CHECK_FALSE(d.present.retention_costs);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 1);
}

TEST_CASE("MariaDB: an unreachable server is a SourceError that hides the password") {
  try {
    open_session(SourceSettings{"mysql", "host=127.0.0.1 port=1 user=root password=hunter2 connect_timeout=2", ""});
    FAIL("no error");
  } catch (const SourceError &e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(contains(msg, "mysql"));
    CHECK_FALSE(contains(msg, "hunter2"));
  }
}

TEST_CASE("MariaDB: rows are streamed: client memory does not grow with the result") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_loader_memory");
  MyDb db(*conn);
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  db.run("SET SESSION max_recursive_iterations = 1000000");
  // 400000 lines dated after as_of: every row is read and skipped, so the
  // model stays empty and any growth would be the transport's.
  db.run("INSERT INTO order_lines WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) "
         "SELECT CONCAT('order-number-', i), 1, DATE '2030-01-01', CONCAT('product-', i), 'some category', i FROM n");
  Dataset warm = load(db, "2023-06-30");  // first use: allocator, SOCI and libmariadb set up
  long before = peak_rss_kb();
  Dataset d = load(db, "2023-06-30");
  long streamed = peak_rss_kb() - before;
  CHECK(d.order_lines.size() == 0);
  CHECK(d.quality.count("order_lines", reason::after_as_of) == 400000);

  // The same rows through SOCI, which buffers a whole result
  // (mysql_store_result): the measurement does see a buffered result.
  before = peak_rss_kb();
  {
    soci::rowset<soci::row> rows = (db.s->prepare << "SELECT order_id, product_id, category, amount FROM order_lines");
    std::size_t n = 0;
    for (auto it = rows.begin(); it != rows.end(); ++it) ++n;
    CHECK(n == 400000);
  }
  long buffered = peak_rss_kb() - before;
  INFO("peak RSS growth: streamed " << streamed << " kB, SOCI buffered " << buffered << " kB");
  CHECK(streamed < 4 * 1024);
  CHECK(buffered > 16 * 1024);
}
