// The built-in `tryton` profile's customer filter on SQLite tables of
// Tryton 6.0's shape (only the columns the profile reads; Tryton's SQLite
// backend stores dates as text and Numeric as text). The live Tryton test
// (tests/integration/tryton) runs the whole profile against trytond; this one
// pins down which parties are customers, fast and without Tryton.
//
// Story (as_of 2024-03-31, months, activation_days 30), one company (party 1,
// currency 1 with 2 digits):
//   party 2 Alice  created 2024-01-05, sale confirmed 2024-01-10 (100)
//   party 3 Bob    an employee, created 2024-01-08, his only sale cancelled
//   party 4 Carol  an employee, created 2024-01-09, sale done 2024-01-15 (40)
//   party 5 Dan    created 2024-01-20, a quotation only (state 'quotation')
// Only the two mandatory sources are read (the optional ones need Tryton's
// invoice, complaint and subscription tables).
// Customers: Alice, Carol (an employee who bought), Dan (not an employee);
// not the company's party, not Bob (a cancelled sale is no purchase, as in
// order_lines.sql). January's activation_rate: Alice and Carol bought within
// 30 days of creation, Dan did not: 2/3 (counting Bob it would be 2/4).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/profile_harness.hpp"

using namespace cskpi;
using cskpi::test::kpi;

namespace {

const char *kSchema[] = {
    "CREATE TABLE party_party (id INTEGER PRIMARY KEY, name VARCHAR, code VARCHAR, create_date TIMESTAMP, "
    "replaced_by INTEGER)",
    "CREATE TABLE party_category (id INTEGER PRIMARY KEY, name VARCHAR)",
    "CREATE TABLE party_category_rel (id INTEGER PRIMARY KEY, party INTEGER, category INTEGER)",
    "CREATE TABLE currency_currency (id INTEGER PRIMARY KEY, digits INTEGER)",
    "CREATE TABLE currency_currency_rate (id INTEGER PRIMARY KEY, currency INTEGER, date DATE, rate NUMERIC)",
    "CREATE TABLE company_company (id INTEGER PRIMARY KEY, party INTEGER, currency INTEGER)",
    "CREATE TABLE company_employee (id INTEGER PRIMARY KEY, party INTEGER, company INTEGER)",
    "CREATE TABLE product_category (id INTEGER PRIMARY KEY, name VARCHAR)",
    "CREATE TABLE product_template (id INTEGER PRIMARY KEY, account_category INTEGER)",
    "CREATE TABLE \"product_template-product_category\" (id INTEGER PRIMARY KEY, template INTEGER, category INTEGER)",
    "CREATE TABLE product_product (id INTEGER PRIMARY KEY, template INTEGER)",
    "CREATE TABLE sale_sale (id INTEGER PRIMARY KEY, party INTEGER, company INTEGER, currency INTEGER, "
    "sale_date DATE, state VARCHAR)",
    "CREATE TABLE sale_line (id INTEGER PRIMARY KEY, sale INTEGER, product INTEGER, quantity NUMERIC, "
    "unit_price NUMERIC, type VARCHAR)",
};

const char *kStory[] = {
    "INSERT INTO currency_currency VALUES (1, 2)",
    "INSERT INTO party_party (id, name, create_date) VALUES (1, 'Our Company', '2023-01-01 09:00:00'), "
    "(2, 'Alice', '2024-01-05 10:00:00'), (3, 'Bob', '2024-01-08 10:00:00'), "
    "(4, 'Carol', '2024-01-09 10:00:00'), (5, 'Dan', '2024-01-20 10:00:00')",
    "INSERT INTO company_company VALUES (1, 1, 1)",
    "INSERT INTO company_employee VALUES (1, 3, 1), (2, 4, 1)",
    "INSERT INTO sale_sale VALUES (10, 2, 1, 1, '2024-01-10', 'confirmed'), (11, 3, 1, 1, '2024-01-12', 'cancelled'), "
    "(12, 4, 1, 1, '2024-01-15', 'done'), (13, 5, 1, 1, '2024-01-25', 'quotation')",
    "INSERT INTO sale_line VALUES (100, 10, NULL, '1', '100.00', 'line'), (101, 11, NULL, '1', '70.00', 'line'), "
    "(102, 12, NULL, '2', '20.00', 'line'), (103, 13, NULL, '1', '55.00', 'line')",
};

std::vector<std::string> customer_ids(const Dataset &d) {
  std::vector<std::string> ids;
  for (std::uint32_t i = 0; i < d.customers.size(); ++i) ids.emplace_back(d.customers.ids.name(i));
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("tryton profile: an employee whose only sale was cancelled is no customer") {
  Settings s = test::profile_settings("sqlite3", "tryton");
  auto db = test::seeded_session(s, ":memory:", kSchema, kStory);
  Profile p = load_profile("tryton", "sqlite3");
  std::erase_if(p.sql, [](const auto &e) { return e.first != "customers" && e.first != "order_lines"; });
  REQUIRE(p.sql.size() == 2);
  Dataset d = load_dataset(*db, "sqlite3", p, s, parse_day("2024-03-31"));

  CHECK(customer_ids(d) == std::vector<std::string>{"2", "4", "5"});
  CHECK(d.quality.count("order_lines", "unknown_customer") == 0);

  KpiResults r = test::monthly_kpis(d, s);
  CHECK(kpi(r, "activation_rate", "2024-01-01") == Approx(2.0 / 3.0));
  // The cancelled sale is no order line: 100 + 2 x 20 in January.
  CHECK(kpi(r, "orders", "2024-01-01") == 2);
  CHECK(kpi(r, "aov", "2024-01-01") == Approx(70.0));
}
