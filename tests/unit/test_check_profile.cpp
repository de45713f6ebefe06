// The profile check ("profile_check" table, `cskpi check-profile`): what an
// integrator sees for a good database, a misspelt column, a missing optional
// table, data-quality problems and a profile without a mandatory source; the
// "-- cskpi:requires" directive in a real load; the command's exit codes.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
namespace fs = std::filesystem;

namespace {

using cskpi::test::TempDir;

using cskpi::test::contains;

// A canonical SQLite ERP: customers, order_lines, invoices and tickets
// tables, clean rows (no feedback, subscriptions or retention_costs table).
void make_canonical_db(const fs::path &file, bool with_problems = false) {
  soci::session db(soci::sqlite3, "db=" + file.string());
  db << "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on DATE, segment TEXT)";
  db << "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, "
        "category TEXT, amount REAL)";
  db << "CREATE TABLE invoices (invoice_id TEXT, customer_id TEXT, invoice_date DATE, due_date DATE, "
        "paid_date DATE, amount REAL, kind TEXT)";
  db << "CREATE TABLE tickets (ticket_id TEXT, customer_id TEXT, opened_at TIMESTAMP, first_response_at TIMESTAMP, "
        "resolved_at TIMESTAMP, channel TEXT, category TEXT, priority TEXT, reopen_count INTEGER)";
  db << "INSERT INTO customers VALUES ('C1', 'One', '2024-01-05', 'Retail'), ('C2', 'Two', NULL, NULL), "
        "('C3', 'Three', '2024-02-01', 'Retail'), ('C4', 'Four', '2024-03-01', 'Wholesale')";
  db << "INSERT INTO order_lines VALUES ('O1', 'C1', '2024-01-10', 'P1', 'A', 100), "
        "('O1', 'C1', '2024-01-10', 'P2', 'B', 20), ('O2', 'C2', '2024-02-10', 'P1', 'A', 50), "
        "('O3', 'C3', '2024-03-01', NULL, NULL, 20), ('O4', 'C4', '2024-05-20', 'P1', 'A', 5)";
  db << "INSERT INTO invoices VALUES ('I1', 'C1', '2024-01-10', '2024-02-10', '2024-02-01', 120, 'invoice'), "
        "('I2', 'C1', '2024-02-15', NULL, NULL, -20, 'credit_note')";
  db << "INSERT INTO tickets VALUES ('T1', 'C1', '2024-02-01 10:00:00', NULL, '2024-02-02 10:00:00', 'email', "
        "'billing', 'high', 0), ('T2', NULL, '2024-03-01 09:00:00', NULL, NULL, NULL, NULL, NULL, NULL)";
  if (with_problems) {
    db << "INSERT INTO order_lines VALUES ('O5', 'X9', '2024-03-05', NULL, NULL, 7), "       // unknown customer
          "('O6', 'C2', NULL, NULL, NULL, 8), "                                              // no date
          "('O7', NULL, '2024-03-06', NULL, NULL, 9), "                                      // no customer
          "('O8', 'C3', '2024-08-01', NULL, NULL, 10)";                                      // after as_of
    db << "INSERT INTO invoices VALUES ('I3', 'C2', '2024-02-10', NULL, NULL, -5, 'credit')";  // bad kind
  }
}

Settings settings_for(const fs::path &db, const std::string &profile) {
  return parse_settings(R"({"source": {"backend": "sqlite3", "connection": ")" + db.string() + R"(", "profile": ")" +
                        profile + R"("}, "as_of": "2024-06-30"})");
}

// One row of the profile_check table, by source.
struct CheckRow {
  std::string status, findings, capture;
  bool mandatory = false;
  std::optional<std::int64_t> rows;
  std::optional<double> customer_null, date_null;
  std::string min_date, max_date;
};

std::map<std::string, CheckRow> rows_of(const Table &t) {
  REQUIRE(t.name() == "profile_check");
  auto col = [&](const char *name) -> const Column & {
    int i = t.find_column(name);
    REQUIRE(i >= 0);
    return t.column(static_cast<std::size_t>(i));
  };
  const auto &source = col("source"), &status = col("status"), &mandatory = col("mandatory"), &rows = col("rows");
  const auto &cnull = col("customer_id_null_rate"), &dnull = col("date_null_rate"), &min = col("min_date"),
             &max = col("max_date"), &findings = col("findings"), &capture = col("change_capture");
  std::map<std::string, CheckRow> out;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    CheckRow row;
    row.status = status.text[r];
    row.findings = findings.text[r];
    row.capture = capture.text[r];
    row.mandatory = mandatory.ints[r] != 0;
    if (!rows.null[r]) row.rows = rows.ints[r];
    if (!cnull.null[r]) row.customer_null = cnull.reals[r];
    if (!dnull.null[r]) row.date_null = dnull.reals[r];
    if (!min.null[r]) row.min_date = min.text[r];
    if (!max.null[r]) row.max_date = max.text[r];
    out[source.text[r]] = row;
  }
  return out;
}

std::map<std::string, CheckRow> check(const Settings &s, std::int64_t limit = 1000) {
  return rows_of(profile_check_table(s, limit, parse_day("2024-06-30")));
}

// The built cskpi command next to this test's build tree, if it was built.
std::optional<fs::path> cli_path() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  fs::path cli = self.parent_path().parent_path() / "hosts" / "cli" / "cskpi";
  if (!fs::exists(cli)) return std::nullopt;
  return cli;
}

// Runs a command line; its exit status and standard output.
std::pair<int, std::string> run(const std::string &command) {
  std::string out;
  FILE *p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

TEST_CASE("profile check: a good canonical SQLite database reads, absent optional tables are missing") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  auto rows = check(settings_for(dir.path / "erp.sqlite", "canonical"));
  REQUIRE(rows.size() == 7);

  const auto &cu = rows.at("customers");
  CHECK(cu.status == "ok");
  CHECK(cu.mandatory);
  CHECK(cu.rows == 4);
  CHECK(cu.customer_null == Approx(0.0));
  CHECK(cu.date_null == Approx(0.25));  // C2 has no created_on
  CHECK(cu.min_date == "2024-01-05");
  CHECK(cu.max_date == "2024-03-01");
  CHECK(cu.findings == "no problems found");

  const auto &ol = rows.at("order_lines");
  CHECK(ol.status == "ok");
  CHECK(ol.mandatory);
  CHECK(ol.rows == 5);
  CHECK(ol.customer_null == Approx(0.0));
  CHECK(ol.date_null == Approx(0.0));
  CHECK(ol.min_date == "2024-01-10");
  CHECK(ol.max_date == "2024-05-20");
  CHECK(ol.findings == "no problems found");

  CHECK(rows.at("invoices").status == "ok");
  CHECK(rows.at("invoices").rows == 2);
  CHECK_FALSE(rows.at("invoices").mandatory);
  const auto &ti = rows.at("tickets");
  CHECK(ti.status == "ok");
  CHECK(ti.customer_null == Approx(0.5));  // T2 has no customer: allowed
  CHECK(ti.min_date == "2024-02-01");
  CHECK(ti.findings == "no problems found");

  for (const char *absent : {"feedback", "subscriptions", "retention_costs"}) {
    INFO(absent);
    const auto &r = rows.at(absent);
    CHECK(r.status == "missing");
    CHECK_FALSE(r.mandatory);
    CHECK_FALSE(r.rows);
    CHECK(contains(r.findings, std::string("no table or view named ") + absent));
  }
}

TEST_CASE("profile check: a misspelt column makes the source broken and names the column") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  dir.write("profile/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("profile/order_lines.sql",
            "SELECT order_id, customer_id, order_date, product_id, category, amount AS amont FROM order_lines");
  dir.write("profile/invoices.sql", "SELECT invoice_id, customer_id, invoice_date, due_date, paid_date, amount, "
                                    "kind AS Kind FROM invoices");
  auto rows = check(settings_for(dir.path / "erp.sqlite", (dir.path / "profile").string()));
  CHECK(rows.at("customers").status == "ok");
  const auto &ol = rows.at("order_lines");
  CHECK(ol.status == "broken");
  CHECK(ol.mandatory);
  CHECK_FALSE(ol.rows);
  INFO(ol.findings);
  CHECK(contains(ol.findings, "column amount is missing"));
  CHECK(contains(ol.findings, "the SELECT returns order_id, customer_id, order_date, product_id, category, amont"));
  CHECK(contains(ol.findings, "add `<expression> AS amount`"));
  CHECK(contains(ol.findings, "'amont' looks like a misspelling of amount"));
  INFO(rows.at("invoices").findings);
  CHECK(rows.at("invoices").status == "broken");
  CHECK(contains(rows.at("invoices").findings, "column kind is missing"));
  CHECK(contains(rows.at("invoices").findings, "write the alias in lower case"));
  CHECK(rows.at("tickets").status == "missing");
  CHECK(contains(rows.at("tickets").findings, "no tickets.sql"));
}

TEST_CASE("profile check: an optional source on a missing table is missing with cskpi:requires, broken without") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  dir.write("p/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("p/order_lines.sql", "SELECT * FROM order_lines");
  std::string tickets_sql =
      "SELECT CAST(id AS TEXT) AS ticket_id, NULL AS customer_id, created AS opened_at, NULL AS first_response_at, "
      "NULL AS resolved_at, NULL AS channel, NULL AS category, NULL AS priority, NULL AS reopen_count "
      "FROM helpdesk_ticket";
  dir.write("p/tickets.sql", "-- Helpdesk module tickets\n-- cskpi:requires helpdesk_ticket\n" + tickets_sql);
  dir.write("q/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("q/order_lines.sql", "SELECT * FROM order_lines");
  dir.write("q/tickets.sql", tickets_sql);

  auto with = check(settings_for(dir.path / "erp.sqlite", (dir.path / "p").string()));
  CHECK(with.at("tickets").status == "missing");
  CHECK(contains(with.at("tickets").findings, "it needs helpdesk_ticket"));
  CHECK(with.at("order_lines").status == "ok");

  auto without = check(settings_for(dir.path / "erp.sqlite", (dir.path / "q").string()));
  INFO(without.at("tickets").findings);
  CHECK(without.at("tickets").status == "broken");
  CHECK(contains(without.at("tickets").findings, "no such table: helpdesk_ticket"));
  CHECK(contains(without.at("tickets").findings, "-- cskpi:requires <table>"));

  SECTION("a run leaves the source out when the relation is missing, and reads it when it exists") {
    Profile p = load_profile((dir.path / "p").string(), "sqlite3");
    REQUIRE(p.requires_relations.at("tickets") == std::vector<std::string>{"helpdesk_ticket"});
    Settings s = settings_for(dir.path / "erp.sqlite", (dir.path / "p").string());
    soci::session db(soci::sqlite3, "db=" + (dir.path / "erp.sqlite").string());
    Dataset d = load_dataset(db, "sqlite3", p, s, parse_day("2024-06-30"));
    CHECK_FALSE(d.present.tickets);
    CHECK(d.order_lines.size() == 5);
    // Without the directive the same SELECT fails the whole run.
    CHECK_THROWS_AS(load_dataset(db, "sqlite3", load_profile((dir.path / "q").string(), "sqlite3"), s,
                                 parse_day("2024-06-30")),
                    ProfileError);
    db << "CREATE TABLE helpdesk_ticket (id INTEGER, created TEXT)";
    db << "INSERT INTO helpdesk_ticket VALUES (1, '2024-03-01 10:00:00')";
    Dataset d2 = load_dataset(db, "sqlite3", p, s, parse_day("2024-06-30"));
    CHECK(d2.present.tickets);
    CHECK(d2.tickets.size() == 1);
  }
}

TEST_CASE("profile check: data-quality findings, null rates and the row limit") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite", true);
  Settings s = settings_for(dir.path / "erp.sqlite", "canonical");
  auto rows = check(s);
  const auto &ol = rows.at("order_lines");
  REQUIRE(ol.status == "ok");
  CHECK(ol.rows == 9);
  CHECK(ol.customer_null == Approx(1.0 / 9));
  CHECK(ol.date_null == Approx(1.0 / 9));
  CHECK(ol.max_date == "2024-08-01");  // rows after as_of are read, and reported
  INFO(ol.findings);
  CHECK(contains(ol.findings, "2 rows skipped: a mandatory column is null (order_id, customer_id, order_date, amount)"));
  CHECK(contains(ol.findings, "1 row is dated after as_of (2024-06-30) and left out of a run"));
  CHECK(contains(ol.findings, "1 row names a customer_id not found in customers (e.g. 'X9')"));
  const auto &inv = rows.at("invoices");
  INFO(inv.findings);
  CHECK(contains(inv.findings, "1 row skipped: unreadable value"));
  CHECK(contains(inv.findings, "'invoice' / 'credit_note'"));

  // The limit caps every source's rows; customer ids are still matched
  // against every customer (no false "not found").
  auto limited = check(s, 2);
  CHECK(limited.at("customers").rows == 2);
  CHECK(limited.at("order_lines").rows == 2);
  CHECK(limited.at("order_lines").findings == "no problems found");
}

TEST_CASE("profile check through the engine: a profile without order_lines.sql reports it missing") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  dir.write("p/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  Settings s = settings_for(dir.path / "erp.sqlite", (dir.path / "p").string());
  // A run refuses the profile...
  CHECK_THROWS_AS(load_profile((dir.path / "p").string(), "sqlite3"), ProfileError);
  // ...the check reports it.
  Engine engine(s);
  Request req = parse_request(R"({"table": "profile_check", "limit": 10})");
  CHECK(req.limit == 10);
  auto rows = rows_of(engine.compute(req));
  CHECK(rows.at("customers").status == "ok");
  CHECK(rows.at("order_lines").status == "missing");
  CHECK(rows.at("order_lines").mandatory);
  CHECK(contains(rows.at("order_lines").findings, "the profile has no order_lines.sql"));

  CHECK_THROWS_AS(parse_request(R"({"table": "profile_check", "limit": 0})"), ConfigError);
  CHECK_THROWS_AS(parse_request(R"({"table": "profile_check", "limit": "ten"})"), ConfigError);
  // Unreachable databases are errors, not rows.
  Settings gone = settings_for(dir.path / "no-such.sqlite", "canonical");
  CHECK_THROWS_AS(profile_check_table(gone, 10, parse_day("2024-06-30")), SourceError);
}

TEST_CASE("cskpi check-profile: readable output, exit 0 when customers and order_lines read, 3 otherwise") {
  auto cli = cli_path();
  if (!cli) {
    WARN("the cskpi command is not built next to this test: command-line part skipped");
    return;
  }
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  dir.write("bad/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("bad/order_lines.sql",
            "SELECT order_id, customer_id, order_date, product_id, category, amount AS amont FROM order_lines");
  auto config = [&](const std::string &profile) {
    std::string file = (dir.path / (fs::path(profile).filename().string() + ".json")).string();
    std::ofstream(file) << R"({"source": {"backend": "sqlite3", "connection": ")" << (dir.path / "erp.sqlite").string()
                        << R"(", "profile": ")" << profile << R"("}, "as_of": "2024-06-30"})";
    return file;
  };
  auto [ok_code, ok_out] = run(cli->string() + " check-profile --config " + config("canonical"));
  INFO(ok_out);
  CHECK(ok_code == 0);
  CHECK(contains(ok_out, "profile 'canonical' on sqlite3, first 1000 rows of each source"));
  CHECK(contains(ok_out, "order_lines: no problems found"));
  CHECK(contains(ok_out, "will run"));

  auto [bad_code, bad_out] = run(cli->string() + " check-profile --limit 5 --config " + config((dir.path / "bad").string()));
  INFO(bad_out);
  CHECK(bad_code == 3);
  CHECK(contains(bad_out, "first 5 rows"));
  CHECK(contains(bad_out, "column amount is missing"));
  CHECK(contains(bad_out, "order_lines is mandatory and cannot be read"));

  auto [json_code, json_out] = run(cli->string() + " check-profile --json --config " + config((dir.path / "bad").string()));
  CHECK(json_code == 3);
  CHECK(contains(json_out, R"("source":"order_lines","status":"broken","mandatory":true)"));

  auto [usage_code, usage_out] = run(cli->string() + " check-profile --limit x --config " + config("canonical"));
  CHECK(usage_code == 2);
}

TEST_CASE("profile check: change capture per source, none, ok or broken (docs/profiles/README.md)") {
  TempDir dir;
  make_canonical_db(dir.path / "erp.sqlite");
  dir.write("p/customers.sql", "SELECT customer_id, name, created_on, segment FROM customers");
  dir.write("p/order_lines.sql", "SELECT * FROM order_lines");
  dir.write("p/order_lines.changes.sql", "SELECT *, 1 AS live FROM order_lines WHERE order_date >= :since");
  dir.write("p/order_lines.documents.sql", "SELECT DISTINCT order_id AS document_id FROM order_lines");
  dir.write("p/customers.changes.sql", "SELECT customer_id, name, segment FROM customers WHERE created_on >= :since");
  dir.write("p/customers.documents.sql", "SELECT customer_id FROM customers");
  auto rows = check(settings_for(dir.path / "erp.sqlite", (dir.path / "p").string()));
  CHECK(rows.at("order_lines").capture == "ok");
  INFO(rows.at("customers").findings);
  CHECK(rows.at("customers").status == "ok");  // its own SELECT reads
  CHECK(rows.at("customers").capture == "broken");
  CHECK(contains(rows.at("customers").findings, "customers.changes.sql lacks created_on, live"));
  CHECK(contains(rows.at("customers").findings, "customers.documents.sql lacks document_id"));
  CHECK(rows.at("invoices").capture == "none");
}
