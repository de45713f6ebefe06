// The PostgreSQL load over two connections sharing one snapshot
// (LoadHooks::second_session, plugin/source/shared_snapshot_load.cpp): the
// same Dataset as the one-connection load, one snapshot for both, cancel and
// errors, the fallback to one connection, and the engine's
// "source.parallel_reads" setting. Needs CSKPI_PG_CONNECTION (ctest fixture
// "pg"); skipped without it. Each test works in its own schema.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>
#include <unistd.h>

#include <soci/soci.h>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/dataset_builder.hpp"
#include "support/pg.hpp"

using namespace cskpi;
using cskpi::test::day;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const char *pg_connection() { return std::getenv("CSKPI_PG_CONNECTION"); }

#define REQUIRE_PG()                                        \
  if (!pg_connection()) {                                   \
    ::cskpi::test::skip_without_server("PostgreSQL", "[pg]"); \
    return;                                                 \
  }

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// A schema of its own; every session of the test (the loader's, the second
// one, a writer's) has it as search_path.
struct PgDb {
  std::string schema;
  std::unique_ptr<soci::session> s;
  int opened = 0;  // sessions opened through second_session()

  PgDb() {
    static int counter = 0;
    schema = "cskpi_par_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    s = open_session(SourceSettings{"postgresql", pg_connection(), "canonical"});
    *s << "SET client_min_messages TO warning";
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
  std::unique_ptr<soci::session> session() const {
    auto other = open_session(SourceSettings{"postgresql", pg_connection(), "canonical"});
    *other << "SET search_path TO " + schema;
    return other;
  }
  void run(const std::string &sql) { *s << sql; }

  void canonical_schema() {
    for (const char *sql : {
             "CREATE TABLE customers (customer_id text, name text, created_on date, segment text)",
             "CREATE TABLE order_lines (order_id text, customer_id text, order_date date, product_id text, "
             "category text, amount numeric)",
             "CREATE TABLE invoices (invoice_id text, customer_id text, invoice_date date, due_date date, "
             "paid_date date, amount double precision, kind text)",
             "CREATE TABLE tickets (ticket_id bigint, customer_id text, opened_at timestamp, "
             "first_response_at timestamp, resolved_at timestamp, channel text, category text, priority text, "
             "reopen_count integer)",
             "CREATE TABLE feedback (feedback_id text, customer_id text, answered_at timestamptz, kind text, "
             "score integer, ticket_id text)",
             "CREATE TABLE subscriptions (subscription_id text, customer_id text, start_date date, end_date date, "
             "mrr double precision)",
             "CREATE TABLE retention_costs (cost_date date, amount double precision)",
         })
      run(sql);
  }
};

using Sql = std::map<std::string, std::string>;  // source -> its profile SELECT

// A profile directory: "SELECT * FROM <source>" for every source, and overrides.
struct ProfileDir {
  fs::path path;
  explicit ProfileDir(const Sql &overrides = {}) {
    std::string tmpl = (fs::temp_directory_path() / "cskpi_par_XXXXXX").string();
    path = mkdtemp(tmpl.data());
    for (const char *src :
         {"customers", "order_lines", "invoices", "tickets", "feedback", "subscriptions", "retention_costs"}) {
      auto it = overrides.find(src);
      std::ofstream(path / (std::string(src) + ".sql")) << (it != overrides.end() ? it->second : "SELECT * FROM " + std::string(src));
    }
  }
  ~ProfileDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  Profile profile() const { return load_profile(path.string(), "postgresql"); }
};

Settings settings() {
  Settings s;
  s.timezone = "America/Sao_Paulo";
  return s;
}

const char *kAsOf = "2024-06-30";

Dataset load_one(PgDb &db, const Profile &p = load_profile("canonical", "postgresql"), const LoadHooks &hooks = {}) {
  return load_dataset(*db.s, "postgresql", p, settings(), day(kAsOf), hooks);
}

// hooks plus a second session of db; fallback messages land in `log`.
Dataset load_two(PgDb &db, const Profile &p = load_profile("canonical", "postgresql"), LoadHooks hooks = {},
                 std::vector<std::string> *log = nullptr) {
  hooks.second_session = [&db] {
    ++db.opened;
    return db.session();
  };
  hooks.log = [log](const std::string &m) {
    if (log) log->push_back(m);
  };
  return load_dataset(*db.s, "postgresql", p, settings(), day(kAsOf), hooks);
}

std::vector<std::string> all_names(const Dictionary &d) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < d.size(); ++i) out.emplace_back(d.name(i));
  return out;
}

using Finding = std::tuple<std::string, std::string, std::int64_t, bool>;
std::vector<Finding> findings(const Dataset &d) {
  std::vector<Finding> out;
  for (const auto &[k, f] : d.quality.findings()) out.emplace_back(k.first, k.second, f.rows, f.skipped);
  return out;
}

// Every column of the two Datasets is the same.
void check_same(const Dataset &a, const Dataset &b) {
  CHECK(a.as_of == b.as_of);
  CHECK(a.first_day == b.first_day);
  CHECK(all_names(a.segments) == all_names(b.segments));
  CHECK(all_names(a.categories) == all_names(b.categories));
  CHECK(all_names(a.channels) == all_names(b.channels));
  CHECK(all_names(a.priorities) == all_names(b.priorities));

  CHECK(all_names(a.customers.ids) == all_names(b.customers.ids));
  CHECK(a.customers.segment == b.customers.segment);
  CHECK(a.customers.created_on == b.customers.created_on);
  CHECK(a.customers.known == b.customers.known);

  CHECK(a.order_lines.orders.size() == b.order_lines.orders.size());
  CHECK(a.order_lines.order == b.order_lines.order);
  CHECK(a.order_lines.customer == b.order_lines.customer);
  CHECK(a.order_lines.day == b.order_lines.day);
  CHECK(a.order_lines.category == b.order_lines.category);
  CHECK(a.order_lines.amount == b.order_lines.amount);

  CHECK(a.invoices.customer == b.invoices.customer);
  CHECK(a.invoices.day == b.invoices.day);
  CHECK(a.invoices.due == b.invoices.due);
  CHECK(a.invoices.paid == b.invoices.paid);
  CHECK(a.invoices.amount == b.invoices.amount);
  CHECK(a.invoices.credit_note == b.invoices.credit_note);

  CHECK(all_names(a.tickets.ids) == all_names(b.tickets.ids));
  CHECK(a.tickets.customer == b.tickets.customer);
  CHECK(a.tickets.opened == b.tickets.opened);
  CHECK(a.tickets.first_response == b.tickets.first_response);
  CHECK(a.tickets.resolved == b.tickets.resolved);
  CHECK(a.tickets.opened_day == b.tickets.opened_day);
  CHECK(a.tickets.resolved_day == b.tickets.resolved_day);
  CHECK(a.tickets.channel == b.tickets.channel);
  CHECK(a.tickets.category == b.tickets.category);
  CHECK(a.tickets.priority == b.tickets.priority);
  CHECK(a.tickets.reopen_count == b.tickets.reopen_count);
  CHECK(a.tickets.has_reopen_count == b.tickets.has_reopen_count);

  CHECK(a.feedback.customer == b.feedback.customer);
  CHECK(a.feedback.answered == b.feedback.answered);
  CHECK(a.feedback.day == b.feedback.day);
  CHECK((a.feedback.kind == b.feedback.kind));
  CHECK(a.feedback.score == b.feedback.score);
  CHECK(a.feedback.ticket == b.feedback.ticket);

  CHECK(a.subscriptions.customer == b.subscriptions.customer);
  CHECK(a.subscriptions.start == b.subscriptions.start);
  CHECK(a.subscriptions.end == b.subscriptions.end);
  CHECK(a.subscriptions.mrr == b.subscriptions.mrr);

  CHECK(a.retention_costs.day == b.retention_costs.day);
  CHECK(a.retention_costs.amount == b.retention_costs.amount);

  CHECK(a.present.invoices == b.present.invoices);
  CHECK(a.present.tickets == b.present.tickets);
  CHECK(a.present.feedback == b.present.feedback);
  CHECK(a.present.subscriptions == b.present.subscriptions);
  CHECK(a.present.retention_costs == b.present.retention_costs);
  CHECK(findings(a) == findings(b));
  CHECK(a.rows_read == b.rows_read);
}

// The session is idle, outside any transaction and writable again.
void check_session_usable(PgDb &db) {
  std::string read_only;
  *db.s << "SHOW transaction_read_only", soci::into(read_only);
  CHECK(read_only == "off");
  CHECK_NOTHROW(db.run("CREATE TABLE after_load (x int)"));
  db.run("DROP TABLE after_load");
}

// Server processes still running a statement that contains `marker`.
int running(PgDb &db, const std::string &marker) {
  int n = -1;
  *db.s << "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%' || :m || '%'",
      soci::use(marker), soci::into(n);
  return n;
}

// A mix of everything the merge has to get right: implied customers first
// seen in every source (some already implied by order_lines or by an earlier
// source), categories shared by order lines and tickets, null and unreadable
// values, duplicates, rows after as_of, and more than one chunk per source.
void mixed_data(PgDb &db) {
  db.canonical_schema();
  for (const char *sql : {
           "INSERT INTO customers VALUES ('c1', 'A', '2023-01-15', 'smb'), ('c2', 'B', NULL, NULL), "
           "('c3', 'C', '2023-03-01', 'enterprise'), ('c1', 'dup', NULL, 'x'), (NULL, 'no id', NULL, NULL)",
           "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-02-01', 'p1', 'hardware', 10), "
           "('o1', 'c1', '2023-02-01', 'p2', 'hardware', 5.5), ('o2', 'o-only', '2023-02-02', NULL, NULL, 7), "
           "('o3', 'c2', '2024-07-01', NULL, 'late', 1), ('o4', NULL, '2023-02-03', NULL, NULL, 1), "
           "('o5', 'c3', '2023-02-04', NULL, 'software', 'NaN')",
           // 25000 more lines over known and implied customers.
           "INSERT INTO order_lines SELECT 'g' || (i / 4), 'c' || (i % 9), DATE '2023-01-01' + (i % 500), NULL, "
           "'cat' || (i % 5), i * 0.5 FROM generate_series(1, 25000) AS i",
           "INSERT INTO invoices VALUES ('i1', 'c1', '2023-02-05', '2023-03-05', '2023-02-20', 100, 'invoice'), "
           "('i2', 'inv-only', '2023-02-06', NULL, NULL, 50, 'invoice'), "
           "('i3', 'o-only', '2023-02-07', 'infinity', '2024-12-01', -5, 'credit_note'), "
           "('i1', 'c2', '2023-02-08', NULL, NULL, 1, 'invoice'), ('i4', 'c1', '2023-02-09', NULL, NULL, 1, NULL), "
           "('i5', 'c1', '2023-02-10', NULL, NULL, 1, 'bogus'), ('i6', 'c1', '2024-08-01', NULL, NULL, 1, 'invoice')",
           "INSERT INTO invoices SELECT 'gi' || i, CASE WHEN i % 3 = 0 THEN 'c' || (i % 13) ELSE 'n' || (i % 17) END, "
           "DATE '2022-12-01' + (i % 600), NULL, NULL, i * 0.25, 'invoice' FROM generate_series(1, 22000) AS i",
           "INSERT INTO tickets VALUES (1, 'c2', '2023-02-10 10:00', '2023-02-10 09:00', '2023-02-11 10:00', "
           "'email', 'hardware', 'high', 1), (2, 'tick-only', '2023-02-11 10:00', NULL, NULL, 'phone', 'billing', "
           "NULL, NULL), (3, NULL, '2023-02-12 10:00', NULL, NULL, NULL, NULL, 'low', 0), "
           "(4, 'inv-only', '2023-02-13 10:00', NULL, NULL, 'chat', 'software', 'high', NULL), "
           "(1, 'c3', '2023-02-14 10:00', NULL, NULL, NULL, NULL, NULL, NULL), "
           "(5, 'c1', '2024-09-01 10:00', NULL, NULL, NULL, NULL, NULL, NULL)",
           "INSERT INTO tickets SELECT 100 + i, CASE WHEN i % 4 = 0 THEN NULL ELSE 't' || (i % 23) END, "
           "TIMESTAMP '2023-01-01 08:00' + i * INTERVAL '37 minutes', NULL, NULL, 'ch' || (i % 3), "
           "CASE WHEN i % 2 = 0 THEN 'cat' || (i % 7) ELSE 'tcat' || (i % 3) END, 'p' || (i % 4), NULL "
           "FROM generate_series(1, 12000) AS i",
           "INSERT INTO feedback VALUES ('f1', 'c1', '2023-02-15 12:00+00', 'nps', 9, '1'), "
           "('f2', 'fb-only', '2023-02-16 12:00+00', 'csat', 4, NULL), "
           "('f3', NULL, '2023-02-17 12:00+00', 'ces', 3, '999'), ('f4', 'tick-only', '2023-02-18 12:00+00', 'nps', 11, NULL), "
           "('f1', 'c2', '2023-02-19 12:00+00', 'nps', 1, NULL), ('f5', 'c2', '2023-02-20 12:00+00', 'stars', 1, NULL), "
           "('f6', 'inv-only', '2023-02-21 12:00+00', 'csat', 5, '2')",
           "INSERT INTO subscriptions VALUES ('s1', 'c3', '2023-01-01', NULL, 99.5), "
           "('s2', 'sub-only', '2023-02-01', '2023-12-31', 10), ('s3', 'fb-only', '2023-03-01', 'infinity', 5), "
           "('s1', 'c1', '2023-04-01', NULL, 1), ('s4', NULL, '2023-04-01', NULL, 1)",
           "INSERT INTO retention_costs VALUES ('2021-06-30', 1000), ('2023-01-31', 250.5), (NULL, 3), "
           "('2025-01-01', 7)",
       })
    db.run(sql);
}

}  // namespace

TEST_CASE("two connections: the same Dataset as one connection, column by column", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  mixed_data(db);
  Dataset one = load_one(db);

  std::vector<std::string> log;
  std::vector<std::string> sources;
  const auto caller = std::this_thread::get_id();
  bool on_caller = true;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t) {
    on_caller = on_caller && std::this_thread::get_id() == caller;
    if (sources.empty() || sources.back() != source) sources.push_back(source);
    return true;
  };
  Dataset two = load_two(db, load_profile("canonical", "postgresql"), hooks, &log);
  CHECK(db.opened == 1);
  CHECK(log.empty());
  CHECK(on_caller);
  for (const char *s : {"customers", "order_lines", "invoices", "tickets", "feedback", "subscriptions",
                        "retention_costs"})
    CHECK(std::find(sources.begin(), sources.end(), s) != sources.end());
  check_same(one, two);

  // The fixture does exercise what the merge must get right.
  CHECK(one.customers.ids.find("inv-only") != Dictionary::npos);
  CHECK(one.customers.ids.find("tick-only") > one.customers.ids.find("inv-only"));
  CHECK(one.customers.ids.find("fb-only") > one.customers.ids.find("tick-only"));
  CHECK(one.customers.ids.find("sub-only") > one.customers.ids.find("fb-only"));
  CHECK(one.quality.count("invoices", reason::unknown_customer) > 0);
  CHECK(one.quality.count("tickets", reason::unknown_customer) > 0);
  CHECK(one.quality.count("feedback", reason::unknown_customer) == 2);
  CHECK(one.quality.count("subscriptions", reason::unknown_customer) == 2);
  CHECK(one.categories.find("tcat1") > one.categories.find("cat4"));
  CHECK(one.first_day == day("2021-06-30"));  // a worker source holds the earliest day
  CHECK(one.invoices.size() > 10000);
  CHECK(one.tickets.size() > 10000);
  check_session_usable(db);
}

TEST_CASE("two connections: absent optional sources and a customers-only worker part", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  db.run("CREATE TABLE customers (customer_id text, name text, created_on date, segment text)");
  db.run("CREATE TABLE order_lines (order_id text, customer_id text, order_date date, product_id text, "
         "category text, amount numeric)");
  db.run("CREATE TABLE subscriptions (subscription_id text, customer_id text, start_date date, end_date date, "
         "mrr double precision)");
  db.run("INSERT INTO customers VALUES ('c1', NULL, NULL, 'smb')");
  db.run("INSERT INTO order_lines VALUES ('o1', 'c1', '2023-05-01', NULL, NULL, 3)");
  db.run("INSERT INTO subscriptions VALUES ('s1', 'x', '2023-01-01', NULL, 1), ('s2', 'c1', '2023-01-01', NULL, 1)");
  Dataset one = load_one(db);
  Dataset two = load_two(db);
  check_same(one, two);
  CHECK(two.present.subscriptions);
  CHECK_FALSE(two.present.invoices);
  CHECK(two.customers.size() == 2);
  CHECK(two.first_day == day("2023-01-01"));
}

TEST_CASE("two connections: both read the snapshot the load began with", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('c1', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines VALUES ('o1', 'c1', '2023-05-01', NULL, NULL, 3)");
  db.run("INSERT INTO invoices VALUES ('i1', 'c1', '2023-05-01', NULL, NULL, 3, 'invoice')");
  db.run("INSERT INTO retention_costs VALUES ('2023-05-01', 3)");
  // Rows committed (autocommit) by a third connection once the load began:
  // when the second session is opened (the first transaction has exported
  // its snapshot; the second has not begun) and when customers start.
  auto writer = db.session();
  auto write = [&](const std::string &n) {
    *writer << "INSERT INTO customers VALUES ('c" + n + "', NULL, NULL, NULL)";
    *writer << "INSERT INTO order_lines VALUES ('o" + n + "', 'c" + n + "', '2023-05-02', NULL, NULL, 4)";
    *writer << "INSERT INTO invoices VALUES ('i" + n + "', 'c" + n + "', '2023-05-02', NULL, NULL, 4, 'invoice')";
    *writer << "INSERT INTO tickets VALUES (" + n + ", 'c" + n + "', '2023-05-02 10:00', NULL, NULL, NULL, NULL, "
               "NULL, NULL)";
    *writer << "INSERT INTO retention_costs VALUES ('2023-05-02', 4)";
  };
  int writes = 0;
  LoadHooks hooks;
  hooks.progress = [&](const std::string &source, std::int64_t rows) {
    if (source == "customers" && rows == 0) write(std::to_string(++writes + 100));
    return true;
  };
  hooks.second_session = [&] {
    write(std::to_string(++writes + 100));
    return db.session();
  };
  std::vector<std::string> log;
  hooks.log = [&](const std::string &m) { log.push_back(m); };
  // The worker's first rows come late: every row above is committed by then.
  ProfileDir dir(Sql{{"invoices", "SELECT i.* FROM invoices AS i CROSS JOIN (SELECT pg_sleep(0.3)) AS pause"}});
  Dataset d = load_dataset(*db.s, "postgresql", dir.profile(), settings(), day(kAsOf), hooks);
  REQUIRE(writes == 2);
  CHECK(log.empty());
  CHECK(d.customers.size() == 1);
  CHECK(d.order_lines.size() == 1);
  CHECK(d.invoices.size() == 1);
  CHECK(d.tickets.size() == 0);
  CHECK(d.retention_costs.size() == 1);
  CHECK(d.quality.findings().empty());
  // A load after the commits sees them.
  Dataset later = load_two(db, dir.profile());
  CHECK(later.customers.size() == 3);
  CHECK(later.invoices.size() == 3);
  CHECK(later.tickets.size() == 2);
  CHECK(later.quality.findings().empty());
}

TEST_CASE("two connections: cancelling while the worker reads", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");

  SECTION("rows arriving: stopped at a chunk, from either thread's report") {
    db.run("INSERT INTO order_lines SELECT 'o' || i, '1', DATE '2023-01-01', NULL, NULL, 1 "
           "FROM generate_series(1, 100000) AS i");
    db.run("INSERT INTO invoices SELECT 'i' || i, '1', DATE '2023-01-01', NULL, NULL, 1, 'invoice' "
           "FROM generate_series(1, 300000) AS i");
    LoadHooks hooks;
    hooks.progress = [](const std::string &source, std::int64_t rows) { return !(source == "invoices" && rows > 0); };
    try {
      load_two(db, load_profile("canonical", "postgresql"), hooks);
      FAIL("not cancelled");
    } catch (const CancelledError &e) {
      CHECK(contains(e.what(), "source 'invoices'"));
    }
    CHECK(db.opened == 1);
  }
  SECTION("a long statement on the server: interrupted (PQcancel), not waited for") {
    db.run("INSERT INTO order_lines VALUES ('o1', '1', '2023-01-01', NULL, NULL, 1)");
    ProfileDir dir(Sql{{"invoices", "SELECT i.* FROM invoices AS i RIGHT JOIN (SELECT pg_sleep(61.25)) AS pause ON true"}});
    LoadHooks hooks;
    bool main_done = false;
    hooks.progress = [&](const std::string &source, std::int64_t rows) {
      if (source == "order_lines" && rows > 0) main_done = true;
      return !(main_done && source == "invoices");
    };
    auto start = Clock::now();
    CHECK_THROWS_AS(load_two(db, dir.profile(), hooks), CancelledError);
    CHECK(Clock::now() - start < std::chrono::seconds(20));
    // The worker's statement is gone from the server (its session is closed).
    int left = -1;
    for (int i = 0; i < 50 && left != 0; ++i) {
      left = running(db, "pg_sleep(61.25)");
      if (left) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(left == 0);
  }
  check_session_usable(db);
  Dataset d = load_two(db);
  CHECK(d.customers.size() == 1);
}

TEST_CASE("two connections: errors are the one-connection load's", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  db.canonical_schema();
  db.run("INSERT INTO customers VALUES ('1', NULL, NULL, NULL)");
  db.run("INSERT INTO order_lines SELECT 'o' || i, '1', DATE '2023-01-01', NULL, NULL, 1 "
         "FROM generate_series(1, 30000) AS i");
  db.run("INSERT INTO invoices VALUES ('i1', '1', '2023-01-01', NULL, NULL, 1, 'invoice')");

  auto error_of = [&](const Profile &p, bool two) -> std::string {
    try {
      if (two)
        load_two(db, p);
      else
        load_one(db, p);
    } catch (const ProfileError &e) {
      return std::string("ProfileError: ") + e.what();
    } catch (const std::exception &e) {
      return std::string("other: ") + e.what();
    }
    return "(no error)";
  };
  auto same_error = [&](const Profile &p) {
    std::string two = error_of(p, true);
    INFO(two);
    CHECK(two == error_of(p, false));
    check_session_usable(db);
    return two;
  };

  SECTION("an SQL error in a worker source") {
    ProfileDir dir(Sql{{"invoices", "SELECT * FROM no_such_table"}});
    std::string msg = same_error(dir.profile());
    CHECK(contains(msg, "ProfileError: profile '" + dir.profile().name + "', source 'invoices'"));
    CHECK(contains(msg, "no_such_table"));
  }
  SECTION("a value the profile's own cast fails on, found mid-stream in a worker source") {
    ProfileDir dir(Sql{{"tickets", "SELECT ticket_id, customer_id, (CASE WHEN ticket_id = 2 THEN 'garbage' "
                                "ELSE opened_at::text END)::timestamp AS opened_at, first_response_at, resolved_at, "
                                "channel, category, priority, reopen_count FROM tickets"}});
    db.run("INSERT INTO tickets VALUES (1, '1', '2023-01-01 10:00', NULL, NULL, NULL, NULL, NULL, NULL), "
           "(2, '1', '2023-01-01 11:00', NULL, NULL, NULL, NULL, NULL, NULL)");
    std::string msg = same_error(dir.profile());
    CHECK(contains(msg, "source 'tickets': SQL error"));
    CHECK(contains(msg, "garbage"));
  }
  SECTION("a missing column in a worker source") {
    ProfileDir dir(Sql{{"retention_costs", "SELECT cost_date FROM retention_costs"}});
    CHECK(contains(same_error(dir.profile()), "missing column 'amount'"));
  }
  SECTION("errors on both connections: the first source's, as on one connection") {
    ProfileDir dir(Sql{{"order_lines", "SELECT order_id, customer_id, (CASE WHEN order_id = 'o29999' THEN 'bad' "
                                    "ELSE order_date::text END)::date AS order_date, product_id, category, amount "
                                    "FROM order_lines"},
                    {"invoices", "SELECT * FROM no_such_table"}});
    std::string msg = same_error(dir.profile());
    CHECK(contains(msg, "source 'order_lines'"));
  }
}

TEST_CASE("two connections: when the snapshot cannot be shared, one connection reads everything", "[pg]") {
  REQUIRE_PG();
  PgDb db;
  mixed_data(db);
  Dataset one = load_one(db);
  std::vector<std::string> log;
  LoadHooks hooks;

  SECTION("the second session cannot be opened") {
    hooks.second_session = []() -> std::unique_ptr<soci::session> { throw SourceError("no more connections"); };
  }
  SECTION("the second session is on another database: the import fails") {
    auto other = test::pg_fresh_database("cskpi_parallel_other_" + std::to_string(getpid()));
    REQUIRE(other);
    hooks.second_session = [&] { return open_session(SourceSettings{"postgresql", *other, "canonical"}); };
  }
  hooks.log = [&](const std::string &m) { log.push_back(m); };
  Dataset d = load_dataset(*db.s, "postgresql", load_profile("canonical", "postgresql"), settings(), day(kAsOf), hooks);
  REQUIRE(log.size() == 1);
  CHECK(contains(log[0], "one connection"));
  check_same(one, d);
  check_session_usable(db);
}

TEST_CASE("engine: source.parallel_reads chooses one or two connections", "[pg]") {
  auto conn = test::pg_fresh_database("cskpi_parallel_engine_" + std::to_string(getpid()));
  if (!conn) {
    ::cskpi::test::skip_without_server("PostgreSQL", "[pg]");
    return;
  }
  const std::string dbname = "cskpi_parallel_engine_" + std::to_string(getpid());
  {
    auto s = open_session(SourceSettings{"postgresql", *conn, "canonical"});
    *s << "CREATE TABLE customers (customer_id text, name text, created_on date, segment text)";
    *s << "CREATE TABLE order_lines (order_id text, customer_id text, order_date date, product_id text, "
          "category text, amount numeric)";
    *s << "CREATE TABLE invoices (invoice_id text, customer_id text, invoice_date date, due_date date, "
          "paid_date date, amount double precision, kind text)";
    *s << "INSERT INTO customers VALUES ('c1', NULL, NULL, 'smb')";
    *s << "INSERT INTO order_lines VALUES ('o1', 'c1', '2023-05-01', NULL, 'x', 3)";
    *s << "INSERT INTO invoices VALUES ('i1', 'c9', '2023-05-02', NULL, NULL, 3, 'invoice')";
  }
  auto admin = open_session(SourceSettings{"postgresql", *test::pg_server(), "canonical"});
  auto connections = [&] {
    int n = 0;
    *admin << "SELECT count(*) FROM pg_stat_activity WHERE datname = :d", soci::use(dbname), soci::into(n);
    return n;
  };
  auto read_with = [&](const std::string &parallel, int &seen) {
    for (int i = 0; i < 50 && connections() > 0; ++i)  // the previous engine's, closing
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::string config = R"({"source": {"backend": "postgresql", "connection": ")" + *conn + "\"" + parallel +
                         R"(}, "as_of": "2024-06-30"})";
    Engine e(parse_settings(config));
    std::vector<std::string> warnings;
    e.set_log([&](int level, const std::string &m) {
      if (level >= 2) warnings.push_back(m);
    });
    e.set_progress([&](const std::string &phase, std::int64_t, std::int64_t) {
      if (phase == "read:customers") seen = connections();
      return true;
    });
    Dataset d = e.dataset(day("2024-06-30"));
    CHECK(warnings.empty());
    return d;
  };
  int two = 0, one = 0, by_default = 0;
  Dataset d2 = read_with(R"(, "parallel_reads": 2)", two);
  Dataset d1 = read_with(R"(, "parallel_reads": 1)", one);
  Dataset dd = read_with("", by_default);
  CHECK(two == 2);
  CHECK(one == 1);
  CHECK(by_default == 2);
  check_same(d1, d2);
  check_same(d1, dd);
  CHECK(d2.customers.size() == 2);
  CHECK(d2.quality.count("invoices", reason::unknown_customer) == 1);
}
