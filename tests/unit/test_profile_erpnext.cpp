// The built-in `erpnext` profile against ERPNext v15 tables on a real
// MariaDB server: the tables the profile reads are created with their real
// names and Frappe's MariaDB column types (only the columns the profile
// reads, plus Frappe's standard ones), seeded with documents in every state
// that matters, and the KPIs computed through the engine are checked
// against numbers worked out by hand in the comments. Needs the ctest
// fixture "mariadb"; skipped without it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <tuple>

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "source/canonical.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/dataset_builder.hpp"
#include "support/mariadb.hpp"
#include "support/profile_harness.hpp"

using namespace cskpi;
using cskpi::test::day;
using cskpi::test::kpi;
using cskpi::test::utc;

namespace {

// Frappe v15 on MariaDB: Data/Link/Select varchar(140), Date date, Datetime
// datetime(6), Time time(6), Currency/Float decimal(21,9), Int int(11),
// Check int(1), Text longtext; every table has name, creation, modified,
// modified_by, owner, docstatus, idx; child tables also parent, parentfield,
// parenttype.
#define FRAPPE_STD                                                                                     \
  "name varchar(140) NOT NULL PRIMARY KEY, creation datetime(6), modified datetime(6), "              \
  "modified_by varchar(140), owner varchar(140), docstatus int(1) NOT NULL DEFAULT 0, "                \
  "idx int(8) NOT NULL DEFAULT 0, "
#define FRAPPE_CHILD "parent varchar(140), parentfield varchar(140), parenttype varchar(140), "

const char *const kSchema[] = {
    "CREATE TABLE `tabCustomer` (" FRAPPE_STD
    "customer_name varchar(140), customer_type varchar(140) DEFAULT 'Company', customer_group varchar(140), "
    "territory varchar(140), disabled int(1) NOT NULL DEFAULT 0, is_internal_customer int(1) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabSales Order` (" FRAPPE_STD
    "customer varchar(140), transaction_date date, company varchar(140), currency varchar(140), "
    "conversion_rate decimal(21,9) NOT NULL DEFAULT 0, status varchar(140) DEFAULT 'Draft', "
    "base_net_total decimal(21,9) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabSales Order Item` (" FRAPPE_STD FRAPPE_CHILD
    "item_code varchar(140), item_group varchar(140), qty decimal(21,9) NOT NULL DEFAULT 0, "
    "net_amount decimal(21,9) NOT NULL DEFAULT 0, base_net_amount decimal(21,9) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabSales Invoice` (" FRAPPE_STD
    "customer varchar(140), company varchar(140), posting_date date, posting_time time(6), due_date date, "
    "is_return int(1) NOT NULL DEFAULT 0, return_against varchar(140), is_pos int(1) NOT NULL DEFAULT 0, "
    "base_net_total decimal(21,9) NOT NULL DEFAULT 0, outstanding_amount decimal(21,9) NOT NULL DEFAULT 0, "
    "status varchar(140) DEFAULT 'Draft')",
    "CREATE TABLE `tabPayment Ledger Entry` (" FRAPPE_STD
    "posting_date date, company varchar(140), account_type varchar(140), party_type varchar(140), "
    "party varchar(140), voucher_type varchar(140), voucher_no varchar(140), against_voucher_type varchar(140), "
    "against_voucher_no varchar(140), amount decimal(21,9) NOT NULL DEFAULT 0, delinked int(1) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabIssue` (" FRAPPE_STD
    "subject varchar(140), customer varchar(140), raised_by varchar(140), status varchar(140) DEFAULT 'Open', "
    "priority varchar(140), issue_type varchar(140), email_account varchar(140), company varchar(140), "
    "opening_date date, opening_time time(6), first_responded_on datetime(6), resolution_date datetime(6), "
    "via_customer_portal int(1) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabQuality Feedback` (" FRAPPE_STD
    "template varchar(140), document_type varchar(140), document_name varchar(140))",
    "CREATE TABLE `tabQuality Feedback Parameter` (" FRAPPE_STD FRAPPE_CHILD
    "parameter varchar(140), rating varchar(140), feedback longtext)",
    "CREATE TABLE `tabSubscription` (" FRAPPE_STD
    "party_type varchar(140), party varchar(140), company varchar(140), status varchar(140), start_date date, "
    "end_date date, cancelation_date date, trial_period_start date, trial_period_end date)",
    "CREATE TABLE `tabSubscription Plan Detail` (" FRAPPE_STD FRAPPE_CHILD
    "plan varchar(140), qty int(11) NOT NULL DEFAULT 0)",
    "CREATE TABLE `tabSubscription Plan` (" FRAPPE_STD
    "plan_name varchar(140), item varchar(140), price_determination varchar(140), price_list varchar(140), "
    "cost decimal(21,9) NOT NULL DEFAULT 0, currency varchar(140), billing_interval varchar(140) DEFAULT 'Day', "
    "billing_interval_count int(11) NOT NULL DEFAULT 1)",
};

const char *const kSeed[] = {
    // Customers: A and C 'Commercial', B 'Individual', D 'Government' (never
    // buys), the internal customer is your sister company (left out), E is
    // disabled but its history counts.
    "INSERT INTO `tabCustomer` (name, creation, customer_name, customer_group, is_internal_customer, disabled) VALUES "
    "('CUST-A', '2024-01-03 09:00:00', 'Alpha Ltd', 'Commercial', 0, 0), "
    "('CUST-B', '2024-01-20 10:00:00', 'Beta', 'Individual', 0, 0), "
    "('CUST-C', '2024-02-10 11:00:00', 'Gamma', 'Commercial', 0, 0), "
    "('CUST-D', '2024-03-05 12:00:00', 'Delta', 'Government', 0, 0), "
    "('CUST-E', '2023-06-01 08:00:00', 'Epsilon', 'Individual', 0, 1), "
    "('CUST-INT', '2024-01-01 00:00:00', 'Our Sister Co', 'Commercial', 1, 0)",

    // Sales orders: docstatus 1 counts whatever the status (Closed too).
    "INSERT INTO `tabSales Order` (name, docstatus, status, customer, transaction_date, company) VALUES "
    "('SO-1', 1, 'Completed', 'CUST-A', '2024-01-10', 'Co'), "
    "('SO-2', 1, 'Closed', 'CUST-B', '2024-01-25', 'Co'), "
    "('SO-3', 1, 'To Deliver and Bill', 'CUST-A', '2024-02-14', 'Co'), "
    "('SO-4', 0, 'Draft', 'CUST-C', '2024-02-20', 'Co'), "
    "('SO-5', 1, 'To Bill', 'CUST-C', '2024-03-02', 'Co'), "
    "('SO-6', 2, 'Cancelled', 'CUST-B', '2024-03-10', 'Co'), "
    "('SO-7', 1, 'Completed', 'CUST-INT', '2024-03-15', 'Co'), "
    "('SO-8', 1, 'To Deliver and Bill', 'CUST-A', '2024-04-02', 'Co')",
    "INSERT INTO `tabSales Order Item` (name, parent, parentfield, parenttype, idx, item_code, item_group, qty, "
    "net_amount, base_net_amount) VALUES "
    "('soi-1', 'SO-1', 'items', 'Sales Order', 1, 'ITEM-1', 'Hardware', 1, 100, 100), "
    "('soi-2', 'SO-1', 'items', 'Sales Order', 2, 'ITEM-2', 'Services', 2, 50, 50), "
    "('soi-3', 'SO-2', 'items', 'Sales Order', 1, 'ITEM-1', 'Hardware', 1, 80, 80), "
    "('soi-4', 'SO-3', 'items', 'Sales Order', 1, 'ITEM-3', 'Software', 1, 200, 200), "
    "('soi-5', 'SO-4', 'items', 'Sales Order', 1, 'ITEM-1', 'Hardware', 9, 999, 999), "
    "('soi-6', 'SO-5', 'items', 'Sales Order', 1, 'ITEM-2', 'Services', 1, 120, 120), "
    "('soi-7', 'SO-5', 'items', 'Sales Order', 2, 'ITEM-3', 'Software', 1, 30, 30), "
    "('soi-8', 'SO-6', 'items', 'Sales Order', 1, 'ITEM-1', 'Hardware', 5, 500, 500), "
    "('soi-9', 'SO-7', 'items', 'Sales Order', 1, 'ITEM-1', 'Hardware', 10, 1000, 1000), "
    "('soi-10', 'SO-8', 'items', 'Sales Order', 1, 'ITEM-2', 'Services', 1, 70, 70), "
    // A child row of another doctype that happens to share a parent name.
    "('qi-1', 'SO-1', 'items', 'Quotation', 1, 'ITEM-1', 'Hardware', 1, 5000, 5000)",

    // Sales invoices and credit notes.
    "INSERT INTO `tabSales Invoice` (name, docstatus, status, customer, company, posting_date, due_date, is_return, "
    "return_against, is_pos, base_net_total, outstanding_amount) VALUES "
    "('SINV-1', 1, 'Paid', 'CUST-A', 'Co', '2024-01-12', '2024-02-11', 0, NULL, 0, 150, 0), "
    "('SINV-2', 1, 'Overdue', 'CUST-B', 'Co', '2024-01-26', '2024-02-25', 0, NULL, 0, 80, 80), "
    "('SINV-3', 1, 'Paid', 'CUST-A', 'Co', '2024-02-15', '2024-03-16', 0, NULL, 0, 200, 0), "
    "('SINV-4', 1, 'Return', 'CUST-A', 'Co', '2024-02-28', '2024-02-28', 1, 'SINV-3', 0, -50, 0), "
    "('SINV-5', 0, 'Draft', 'CUST-C', 'Co', '2024-03-03', '2024-04-02', 0, NULL, 0, 150, 150), "
    "('SINV-6', 1, 'Paid', 'CUST-C', 'Co', '2024-03-04', '2024-03-04', 0, NULL, 1, 150, 0), "
    "('SINV-7', 2, 'Cancelled', 'CUST-B', 'Co', '2024-03-11', '2024-04-10', 0, NULL, 0, 500, 500), "
    "('SINV-8', 1, 'Paid', 'CUST-INT', 'Co', '2024-03-16', '2024-03-16', 0, NULL, 0, 1000, 0)",
    // The Payment Ledger: each invoice's own row (voucher = itself), payments
    // against it, a payment later unlinked (delinked = 1), the return's row.
    "INSERT INTO `tabPayment Ledger Entry` (name, posting_date, voucher_type, voucher_no, against_voucher_type, "
    "against_voucher_no, amount, delinked) VALUES "
    "('ple-1', '2024-01-12', 'Sales Invoice', 'SINV-1', 'Sales Invoice', 'SINV-1', 150, 0), "
    "('ple-2', '2024-02-01', 'Payment Entry', 'PE-1', 'Sales Invoice', 'SINV-1', -150, 0), "
    "('ple-3', '2024-01-26', 'Sales Invoice', 'SINV-2', 'Sales Invoice', 'SINV-2', 80, 0), "
    "('ple-4', '2024-02-15', 'Sales Invoice', 'SINV-3', 'Sales Invoice', 'SINV-3', 200, 0), "
    "('ple-5', '2024-02-20', 'Payment Entry', 'PE-2', 'Sales Invoice', 'SINV-3', -100, 0), "
    "('ple-6', '2024-02-28', 'Sales Invoice', 'SINV-4', 'Sales Invoice', 'SINV-3', -50, 0), "
    "('ple-7', '2024-03-05', 'Payment Entry', 'PE-3', 'Sales Invoice', 'SINV-3', -50, 0), "
    "('ple-8', '2024-03-20', 'Payment Entry', 'PE-4', 'Sales Invoice', 'SINV-3', -50, 1)",

    // Issues.
    "INSERT INTO `tabIssue` (name, creation, modified, subject, customer, status, priority, issue_type, "
    "email_account, opening_date, opening_time, first_responded_on, resolution_date, via_customer_portal) VALUES "
    "('ISS-1', '2024-01-15 09:00:01', '2024-01-20 10:00:00', 'Broken', 'CUST-A', 'Closed', 'High', 'Bug', NULL, "
    "'2024-01-15', '09:00:00', '2024-01-15 10:30:00', '2024-01-16 09:00:00', 1), "
    "('ISS-2', '2024-02-05 14:00:00', '2024-02-05 14:00:00', 'Question', 'CUST-B', 'Open', 'Medium', NULL, "
    "'Support', '2024-02-05', '14:00:00', NULL, NULL, 0), "
    "('ISS-3', '2024-03-01 08:00:00', '2024-03-02 08:00:00', 'Anonymous', NULL, 'Resolved', 'Low', 'Question', NULL, "
    "NULL, NULL, NULL, NULL, 0), "
    "('ISS-4', '2024-03-10 10:00:00', '2024-03-12 10:00:00', 'Reopened', 'CUST-C', 'Replied', '', 'Bug', NULL, "
    "'2024-03-10', '10:00:00', '2024-03-10 11:00:00', NULL, 0)",

    // Quality feedback: ratings of customers only; an unrated parameter is no answer.
    "INSERT INTO `tabQuality Feedback` (name, creation, template, document_type, document_name) VALUES "
    "('QF-1', '2024-02-10 10:00:00', 'Service', 'Customer', 'CUST-A'), "
    "('QF-2', '2024-03-12 10:00:00', 'Service', 'Customer', 'CUST-B'), "
    "('QF-3', '2024-03-13 10:00:00', 'Service', 'Employee', 'EMP-1')",
    "INSERT INTO `tabQuality Feedback Parameter` (name, parent, parentfield, parenttype, idx, parameter, rating) "
    "VALUES ('qfp-1', 'QF-1', 'parameters', 'Quality Feedback', 1, 'Speed', '5'), "
    "('qfp-2', 'QF-1', 'parameters', 'Quality Feedback', 2, 'Quality', '4'), "
    "('qfp-3', 'QF-2', 'parameters', 'Quality Feedback', 1, 'Speed', '2'), "
    "('qfp-4', 'QF-2', 'parameters', 'Quality Feedback', 2, 'Quality', ''), "
    "('qfp-5', 'QF-3', 'parameters', 'Quality Feedback', 1, 'Speed', '1')",

    // Subscriptions and plans.
    "INSERT INTO `tabSubscription Plan` (name, plan_name, item, price_determination, price_list, cost, currency, "
    "billing_interval, billing_interval_count) VALUES "
    "('PLAN-M', 'Monthly', 'SVC', 'Fixed Rate', NULL, 30, 'EUR', 'Month', 1), "
    "('PLAN-Y', 'Yearly', 'SVC', 'Fixed Rate', NULL, 1200, 'EUR', 'Year', 1), "
    "('PLAN-Q', 'Quarterly monthly rate', 'SVC', 'Monthly Rate', NULL, 45, 'EUR', 'Month', 3), "
    "('PLAN-PL', 'Price list', 'SVC', 'Based On Price List', 'Standard Selling', 0, 'EUR', 'Month', 1)",
    "INSERT INTO `tabSubscription` (name, party_type, party, company, status, start_date, end_date, "
    "cancelation_date, trial_period_start, trial_period_end) VALUES "
    "('SUB-1', 'Customer', 'CUST-A', 'Co', 'Active', '2024-01-01', NULL, NULL, NULL, NULL), "
    "('SUB-2', 'Customer', 'CUST-B', 'Co', 'Cancelled', '2024-01-15', '2024-12-31', '2024-02-29', NULL, NULL), "
    "('SUB-3', 'Customer', 'CUST-C', 'Co', 'Active', '2024-02-01', NULL, NULL, '2024-02-01', '2024-02-14'), "
    "('SUB-4', 'Supplier', 'SUPP-1', 'Co', 'Active', '2024-01-01', NULL, NULL, NULL, NULL), "
    "('SUB-5', 'Customer', 'CUST-A', 'Co', 'Active', '2024-01-01', NULL, NULL, NULL, NULL)",
    "INSERT INTO `tabSubscription Plan Detail` (name, parent, parentfield, parenttype, idx, plan, qty) VALUES "
    "('spd-1', 'SUB-1', 'plans', 'Subscription', 1, 'PLAN-M', 2), "
    "('spd-2', 'SUB-2', 'plans', 'Subscription', 1, 'PLAN-Y', 1), "
    "('spd-3', 'SUB-3', 'plans', 'Subscription', 1, 'PLAN-Q', 1), "
    "('spd-4', 'SUB-4', 'plans', 'Subscription', 1, 'PLAN-M', 1), "
    "('spd-5', 'SUB-5', 'plans', 'Subscription', 1, 'PLAN-PL', 1)",
};

Settings erpnext_settings() { return test::profile_settings("mysql", "erpnext"); }

std::unique_ptr<soci::session> seeded(const std::string &conn) {
  return test::seeded_session(erpnext_settings(), conn, kSchema, kSeed);
}

}  // namespace

TEST_CASE("erpnext profile: every SELECT returns exactly the canonical columns", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_erpnext_columns");
  auto db = seeded(*conn);
  test::check_canonical_columns_mariadb(
      *db, load_profile("erpnext", "mysql"),
      {"customers", "order_lines", "invoices", "tickets", "feedback", "subscriptions"});
}

TEST_CASE("erpnext profile: rows, states and values", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_erpnext_rows");
  auto db = seeded(*conn);
  Dataset d = test::load_with_profile(*db, erpnext_settings(), day("2024-03-31"));

  // Customers: five, the internal one left out; E is disabled but kept.
  REQUIRE(d.customers.size() == 5);
  CHECK(d.customers.ids.name(0) == "CUST-A");
  CHECK(d.segments.name(d.customers.segment[0]) == "Commercial");
  CHECK(d.customers.created_on[0] == day("2024-01-03"));
  CHECK(d.customers.ids.find("CUST-INT") == Dictionary::npos);

  // Order lines of SO-1, SO-2, SO-3, SO-5; SO-8 is after as_of; drafts,
  // cancelled, internal and other doctypes' rows are not read.
  CHECK(d.order_lines.size() == 6);
  CHECK(d.quality.count("order_lines", reason::after_as_of) == 1);
  double total = 0;
  for (double a : d.order_lines.amount) total += a;
  CHECK(total == 100 + 50 + 80 + 200 + 120 + 30);
  CHECK(d.order_lines.orders.size() == 4);

  // Invoices: SINV-1, 2, 3, 4 (credit note), 6.
  REQUIRE(d.invoices.size() == 5);
  std::vector<double> amounts = d.invoices.amount;
  std::sort(amounts.begin(), amounts.end());
  CHECK(amounts == std::vector<double>{-50, 80, 150, 150, 200});
  for (std::size_t i = 0; i < d.invoices.size(); ++i) {
    INFO("invoice " << i << " amount " << d.invoices.amount[i]);
    if (d.invoices.amount[i] == 80) CHECK(d.invoices.paid[i] == kNoDay);  // outstanding
    if (d.invoices.amount[i] == 200) {
      CHECK(d.invoices.paid[i] == day("2024-03-05"));  // last linked payment; the delinked one ignored
      CHECK(d.invoices.due[i] == day("2024-03-16"));
    }
    if (d.invoices.amount[i] == -50) CHECK(d.invoices.credit_note[i] == 1);
    if (d.invoices.day[i] == day("2024-01-12")) CHECK(d.invoices.paid[i] == day("2024-02-01"));
    if (d.invoices.day[i] == day("2024-03-04")) CHECK(d.invoices.paid[i] == day("2024-03-04"));  // POS
  }

  // Tickets.
  REQUIRE(d.tickets.size() == 4);
  CHECK(d.tickets.opened[0] == utc("2024-01-15 09:00"));  // opening_date + opening_time
  CHECK(d.tickets.first_response[0] == utc("2024-01-15 10:30"));
  CHECK(d.tickets.resolved[0] == utc("2024-01-16 09:00"));
  CHECK(d.channels.name(d.tickets.channel[0]) == "portal");
  CHECK(d.channels.name(d.tickets.channel[1]) == "email");
  CHECK(d.channels.name(d.tickets.channel[2]) == "unknown");
  CHECK(d.tickets.customer[2] == kNoCustomer);
  CHECK(d.tickets.opened[2] == utc("2024-03-01 08:00"));    // creation
  CHECK(d.tickets.resolved[2] == utc("2024-03-02 08:00"));  // modified stands in
  CHECK(d.tickets.resolved[3] == kNoTime);                   // Replied: open
  CHECK(d.priorities.name(d.tickets.priority[3]) == "unknown");
  CHECK(d.categories.name(d.tickets.category[1]) == "unknown");

  // Feedback: three rated parameters of customers.
  std::vector<std::int32_t> scores = d.feedback.score;
  std::sort(scores.begin(), scores.end());
  CHECK(scores == std::vector<std::int32_t>{2, 4, 5});

  // Subscriptions: SUB-1, 2, 3; SUB-5's price-list plan has no mrr.
  REQUIRE(d.subscriptions.size() == 3);
  CHECK(test::subscription_spans(d) == std::vector<test::Span>{{day("2024-01-01"), kNoDay, 60},
                                                               {day("2024-01-15"), day("2024-03-01"), 100},
                                                               {day("2024-02-15"), kNoDay, 45}});
  CHECK(d.quality.count("subscriptions", reason::null_mandatory) == 1);
}

TEST_CASE("erpnext profile: KPIs computed by hand", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_erpnext_kpis");
  auto db = seeded(*conn);
  Settings s = erpnext_settings();
  Dataset d = test::load_with_profile(*db, s, day("2024-03-31"));
  KpiResults r = test::monthly_kpis(d, s);
  REQUIRE(r.grid().size() == 3);  // E's history starts with no order: the first data is January 2024
  CHECK(r.grid()[0].start == day("2024-01-01"));
  // The shared story (profile_harness.hpp) in ERPNext's documents: orders
  // January SO-1 (150, customer A) and SO-2 (80, B, Closed), February SO-3
  // (200, A again), March SO-5 (150, C: its February order is a draft);
  // draft SO-4, cancelled SO-6 and internal SO-7 never count. Revenue: their
  // invoices, February's return SINV-4 (-50) and March's SINV-6; draft
  // SINV-5, cancelled SINV-7 and internal SINV-8 never count. Tickets: one
  // opened per month; ISS-1 resolved in January after 24 h, ISS-3 in March;
  // ISS-2 (Open) and ISS-4 (Replied) are the backlog.
  test::check_shared_story_kpis(r);

  CHECK(kpi(r, "buyers", "2024-03-01") == 1);
  CHECK(kpi(r, "new_revenue", "2024-01-01") == 230);
  CHECK(kpi(r, "tickets_resolved", "2024-01-01") == 1);
  // Segments: A and C are Commercial, B Individual.
  CHECK(kpi(r, "orders", "2024-01-01", "Commercial") == 1);
  CHECK(kpi(r, "orders", "2024-01-01", "Individual") == 1);
  CHECK(kpi(r, "revenue", "2024-02-01", "Commercial") == 150);
  CHECK(kpi(r, "tickets_opened", "2024-03-01", "Commercial") == 1);  // ISS-3 has no customer

  // CSAT: February 5 and 4 (both satisfied) -> 100; March 2 -> 0.
  CHECK(kpi(r, "csat_answers", "2024-02-01") == 2);
  CHECK(kpi(r, "csat", "2024-02-01") == 100);
  CHECK(kpi(r, "csat", "2024-03-01") == 0);
  CHECK(is_null(kpi(r, "nps", "2024-03-01")));
}

TEST_CASE("erpnext profile: MRR in subscription mode", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_erpnext_mrr");
  auto db = seeded(*conn);
  Settings s = test::subscription_mode(erpnext_settings());
  Dataset d = test::load_with_profile(*db, s, day("2024-03-31"));
  KpiResults r = test::monthly_kpis(d, s);
  // The shared story's contracts: A 2 x 30, B 1200 / 12 (cancelled on
  // Feb 29), C's monthly rate 45 (paying from Feb 15, after its trial).
  test::check_shared_story_mrr(r);
}
