// The built-in `odoo` profile (Odoo 16/17) on a real PostgreSQL server: the
// tables and columns it reads, with Odoo's own names and types (erp-schemas
// §2-§10), filled with a small hand-made history; the loaded model and KPIs
// are compared with values computed by hand in the comments.
//
// Story (as_of 2024-06-30, months):
//   partners  1 Acme (company, tags Retail + VIP, created 2023-12-15)
//             2 John (contact of Acme: rolled up into 1)
//             3 Beta (customer_rank 0 but a confirmed order; tag Wholesale)
//             4 Gamma (no live tag: an archived one; created 2024-01-20 23:30 UTC)
//             5 Vendor (supplier only), 6 Delta (only a quotation): not customers
//   orders    SO1 Jan (via John): 100 + 20, a section line, a down payment (left out)
//             SO2 Feb Beta, state 'done' (16), foreign currency: 200 at rate 2 = 100
//             SO3 Mar Gamma 60; SO7 May Acme 40 (+ a note line)
//             draft, cancelled, sent orders: left out
//   invoices  M1 Jan Acme 120 paid 2024-02-03; M2 Feb Beta 100 partly paid;
//             M3 Mar Beta credit note -30 (settles part of M2, paid 03-01);
//             M7 Mar Gamma 60 in_payment, reconciled 03-20 and 04-01;
//             M8 May Acme 40 unpaid, due 06-10; draft, cancelled, vendor bill: left out
//   tickets   T1 Feb (Acme) 4 h, T2 Mar Gamma open, T3 Mar no customer 24 h,
//             T4 archived (left out)
//   ratings   Feb: 5; Mar: 1, 5, 3 (one unanswered request and one 0 left out)
//   subscriptions (Odoo 17 Enterprise, added later): S1 Acme 100 from Jan,
//             S2 Beta 70 from Feb churned 04-15, S3 Gamma 50 from 01-15 renewed
//             by S4 80 from 03-15; an upsell and a draft left out
#include <catch2/catch.hpp>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "engine/engine.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/pg.hpp"
#include "support/profile_harness.hpp"

using namespace cskpi;
using cskpi::test::kpi;

namespace {

const char *kSchema[] = {
    "CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, create_date timestamp, write_date timestamp, "
    "parent_id integer, commercial_partner_id integer, is_company boolean, customer_rank integer, "
    "supplier_rank integer, active boolean, company_id integer)",
    "CREATE TABLE res_partner_category (id serial PRIMARY KEY, name jsonb NOT NULL, parent_id integer, "
    "active boolean, color integer)",
    "CREATE TABLE res_partner_res_partner_category_rel (category_id integer NOT NULL, partner_id integer NOT NULL)",
    "CREATE TABLE product_category (id serial PRIMARY KEY, name varchar NOT NULL, complete_name varchar, "
    "parent_id integer, parent_path varchar)",
    "CREATE TABLE product_template (id serial PRIMARY KEY, name jsonb NOT NULL, categ_id integer, "
    "detailed_type varchar, type varchar)",
    "CREATE TABLE product_product (id serial PRIMARY KEY, product_tmpl_id integer NOT NULL, default_code varchar, "
    "active boolean)",
    "CREATE TABLE sale_order (id serial PRIMARY KEY, name varchar NOT NULL, partner_id integer NOT NULL, "
    "date_order timestamp NOT NULL, state varchar, currency_id integer, currency_rate numeric, "
    "amount_untaxed numeric, company_id integer, create_date timestamp, write_date timestamp)",
    "CREATE TABLE sale_order_line (id serial PRIMARY KEY, order_id integer NOT NULL, name text, product_id integer, "
    "product_uom_qty numeric, price_unit double precision, price_subtotal numeric, display_type varchar, "
    "is_downpayment boolean)",
    "CREATE TABLE account_move (id serial PRIMARY KEY, name varchar, move_type varchar NOT NULL, state varchar NOT NULL, "
    "partner_id integer, commercial_partner_id integer, invoice_date date, invoice_date_due date, date date, "
    "payment_state varchar, amount_untaxed_signed numeric, amount_total_signed numeric, company_id integer)",
    "CREATE TABLE account_move_line (id serial PRIMARY KEY, move_id integer NOT NULL, display_type varchar, "
    "balance numeric, date_maturity date)",
    "CREATE TABLE account_partial_reconcile (id serial PRIMARY KEY, debit_move_id integer NOT NULL, "
    "credit_move_id integer NOT NULL, amount numeric, max_date date)",
    "CREATE TABLE helpdesk_stage (id serial PRIMARY KEY, name jsonb NOT NULL, fold boolean)",
    "CREATE TABLE helpdesk_ticket_type (id serial PRIMARY KEY, name jsonb NOT NULL)",
    "CREATE TABLE helpdesk_ticket (id serial PRIMARY KEY, name varchar, partner_id integer, stage_id integer, "
    "ticket_type_id integer, priority varchar, active boolean, create_date timestamp, close_date timestamp, "
    "assign_date timestamp, first_response_hours double precision, company_id integer)",
    "CREATE TABLE rating_rating (id serial PRIMARY KEY, res_model varchar, res_id integer, partner_id integer, "
    "rating double precision, consumed boolean, feedback text, create_date timestamp, write_date timestamp)",
};

const char *kData[] = {
    // partners
    "INSERT INTO res_partner (id, name, create_date, parent_id, commercial_partner_id, is_company, customer_rank, "
    "supplier_rank, active) VALUES "
    "(1, 'Acme', '2023-12-15 10:00', NULL, 1, true, 3, 0, true), "
    "(2, 'Acme, John', '2023-12-16 10:00', 1, 1, false, 1, 0, true), "
    "(3, 'Beta', '2024-02-01 09:00', NULL, 3, true, 0, 0, true), "
    "(4, 'Gamma', '2024-01-20 23:30', NULL, 4, true, 2, 0, true), "
    "(5, 'Vendor', '2023-01-01 00:00', NULL, 5, true, 0, 4, true), "
    "(6, 'Delta', '2024-03-01 00:00', NULL, 6, true, 0, 0, true)",
    "INSERT INTO res_partner_category (id, name, active) VALUES "
    "(1, '{\"en_US\": \"VIP\", \"pt_BR\": \"VIP\"}', true), (2, '{\"en_US\": \"Retail\", \"pt_BR\": \"Varejo\"}', true), "
    "(3, '{\"en_US\": \"Wholesale\"}', true), (4, '{\"en_US\": \"Old\"}', false)",
    "INSERT INTO res_partner_res_partner_category_rel VALUES (1, 1), (2, 1), (3, 3), (4, 4), (2, 2)",
    // products
    "INSERT INTO product_category (id, name, complete_name) VALUES (1, 'Office', 'All / Saleable / Office'), "
    "(2, 'Services', 'All / Services')",
    "INSERT INTO product_template (id, name, categ_id) VALUES (1, '{\"en_US\": \"Desk\"}', 1), "
    "(2, '{\"en_US\": \"Support\"}', 2), (3, '{\"en_US\": \"Down payment\"}', 2)",
    "INSERT INTO product_product (id, product_tmpl_id) VALUES (11, 1), (12, 2), (13, 3)",
    // sales orders
    "INSERT INTO sale_order (id, name, partner_id, date_order, state, currency_rate) VALUES "
    "(1, 'S00001', 2, '2024-01-10 09:00', 'sale', 1), (2, 'S00002', 3, '2024-02-05 15:00', 'done', 2), "
    "(3, 'S00003', 4, '2024-03-15 11:00', 'sale', 1), (4, 'S00004', 1, '2024-03-20 10:00', 'draft', 1), "
    "(5, 'S00005', 1, '2024-04-02 10:00', 'cancel', 1), (6, 'S00006', 6, '2024-04-03 10:00', 'sent', 1), "
    "(7, 'S00007', 1, '2024-05-10 10:00', 'sale', 1)",
    "INSERT INTO sale_order_line (order_id, product_id, price_subtotal, display_type, is_downpayment) VALUES "
    "(1, 11, 100, NULL, false), (1, NULL, 0, 'line_section', NULL), (1, 13, 50, NULL, true), (1, 12, 20, NULL, NULL), "
    "(2, 11, 200, NULL, false), (3, 12, 60, NULL, false), (4, 11, 999, NULL, false), (5, 11, 888, NULL, false), "
    "(6, 11, 777, NULL, false), (7, 11, 40, NULL, false), (7, NULL, 0, 'line_note', false)",
    // invoices and their receivable lines
    "INSERT INTO account_move (id, move_type, state, partner_id, invoice_date, invoice_date_due, payment_state, "
    "amount_untaxed_signed) VALUES "
    "(1, 'out_invoice', 'posted', 2, '2024-01-12', '2024-02-11', 'paid', 120), "
    "(2, 'out_invoice', 'posted', 3, '2024-02-06', '2024-03-07', 'partial', 100), "
    "(3, 'out_refund', 'posted', 3, '2024-03-01', '2024-03-01', 'paid', -30), "
    "(4, 'out_invoice', 'draft', 1, '2024-03-02', '2024-04-01', 'not_paid', 500), "
    "(5, 'out_invoice', 'cancel', 1, '2024-03-03', '2024-04-02', 'not_paid', 400), "
    "(6, 'in_invoice', 'posted', 5, '2024-03-04', '2024-04-03', 'not_paid', -300), "
    "(7, 'out_invoice', 'posted', 4, '2024-03-16', '2024-04-15', 'in_payment', 60), "
    "(8, 'out_invoice', 'posted', 1, '2024-05-11', '2024-06-10', 'not_paid', 40), "
    "(9, 'entry', 'posted', NULL, NULL, NULL, NULL, 0)",
    "INSERT INTO account_move_line (id, move_id, display_type) VALUES "
    "(1, 1, 'payment_term'), (2, 1, 'product'), (3, 2, 'payment_term'), (4, 3, 'payment_term'), "
    "(5, 7, 'payment_term'), (6, 8, 'payment_term'), (90, 9, 'payment_term'), (91, 9, 'payment_term'), "
    "(92, 9, 'payment_term')",
    "INSERT INTO account_partial_reconcile (debit_move_id, credit_move_id, amount, max_date) VALUES "
    "(1, 90, 120, '2024-02-03'), (3, 91, 50, '2024-02-20'), (3, 4, 30, '2024-03-01'), (5, 92, 20, '2024-03-20'), "
    "(5, 92, 40, '2024-04-01')",
    // helpdesk
    "INSERT INTO helpdesk_stage (id, name, fold) VALUES (1, '{\"en_US\": \"New\"}', false), "
    "(2, '{\"en_US\": \"Solved\"}', true)",
    "INSERT INTO helpdesk_ticket_type (id, name) VALUES (1, '{\"en_US\": \"Billing\", \"pt_BR\": \"Cobrança\"}'), "
    "(2, '{\"en_US\": \"Bug\"}')",
    "INSERT INTO helpdesk_ticket (id, partner_id, stage_id, ticket_type_id, priority, active, create_date, close_date) "
    "VALUES (1, 2, 2, 1, '2', true, '2024-02-01 10:00', '2024-02-01 14:00'), "
    "(2, 4, 1, NULL, '3', true, '2024-03-10 08:00', NULL), "
    "(3, NULL, 2, 2, '0', true, '2024-03-11 09:00', '2024-03-12 09:00'), "
    "(4, 1, 1, 1, '1', false, '2024-03-12 09:00', NULL)",
    // ratings
    "INSERT INTO rating_rating (id, res_model, res_id, partner_id, rating, consumed, create_date, write_date) VALUES "
    "(1, 'helpdesk.ticket', 1, 2, 5, true, '2024-02-01 14:00', '2024-02-02 12:00'), "
    "(2, 'helpdesk.ticket', 2, 4, 1, true, '2024-03-20 10:00', '2024-03-20 10:00'), "
    "(3, 'project.task', 9, 3, 5, true, '2024-03-10 10:00', '2024-03-21 10:00'), "
    "(4, 'helpdesk.ticket', 3, 4, 3, true, '2024-03-12 10:00', '2024-03-22 10:00'), "
    "(5, 'helpdesk.ticket', 3, 3, 0, false, '2024-03-12 10:00', '2024-03-12 10:00'), "
    "(6, 'sale.order', 1, 3, 0, true, '2024-03-13 10:00', '2024-03-13 10:00')",
};

// Odoo 17 Enterprise subscriptions: the module's columns and tables.
const char *kSubscriptions[] = {
    "ALTER TABLE sale_order ADD COLUMN is_subscription boolean, ADD COLUMN subscription_state varchar, "
    "ADD COLUMN start_date date, ADD COLUMN end_date date, ADD COLUMN next_invoice_date date, "
    "ADD COLUMN recurring_monthly numeric, ADD COLUMN origin_order_id integer, ADD COLUMN plan_id integer",
    "CREATE TABLE sale_subscription_plan (id serial PRIMARY KEY, name jsonb)",
    "CREATE TABLE sale_order_log (id serial PRIMARY KEY, order_id integer, origin_order_id integer, "
    "event_type varchar, event_date date, amount_signed numeric, recurring_monthly numeric, subscription_state varchar)",
    "INSERT INTO sale_order (id, name, partner_id, date_order, state, currency_rate, is_subscription, "
    "subscription_state, start_date, end_date, next_invoice_date, recurring_monthly, origin_order_id) VALUES "
    "(10, 'SUB1', 1, '2024-01-01 09:00', 'sale', 1, true, '3_progress', '2024-01-01', NULL, '2024-07-01', 100, NULL), "
    "(11, 'SUB2', 3, '2024-02-01 09:00', 'sale', 1, true, '6_churn', '2024-02-01', NULL, '2024-05-01', 70, NULL), "
    "(12, 'SUB3', 4, '2024-01-15 09:00', 'sale', 1, true, '5_renewed', '2024-01-15', NULL, '2024-03-15', 50, NULL), "
    "(13, 'SUB4', 4, '2024-03-15 09:00', 'sale', 1, true, '3_progress', '2024-03-15', NULL, '2024-07-15', 80, 12), "
    "(14, 'SUB5', 4, '2024-04-01 09:00', 'sale', 1, true, '7_upsell', '2024-04-01', NULL, NULL, 30, 12), "
    "(15, 'SUB6', 1, '2024-04-01 09:00', 'draft', 1, true, '1_draft', '2024-04-01', NULL, NULL, 999, NULL)",
    "INSERT INTO sale_order_log (order_id, event_type, event_date, amount_signed) VALUES "
    "(10, '0_creation', '2024-01-01', 100), (11, '0_creation', '2024-02-01', 70), (11, '2_churn', '2024-04-15', -70)",
};

Settings odoo_settings(const std::string &conn, const std::string &zone = "UTC") {
  Settings s = test::profile_settings("postgresql", "odoo", conn);
  s.timezone = zone;
  s.as_of = parse_day("2024-06-30");
  return s;
}

Dataset load(const std::string &conn, const Settings &s) {
  soci::session db(soci::postgresql, conn);
  return test::load_with_profile(db, s, s.as_of);
}

std::string segment_of(const Dataset &d, const std::string &customer) {
  auto i = d.customers.ids.find(customer);
  REQUIRE(i != Dictionary::npos);
  return d.segments.name(d.customers.segment[i]);
}

}  // namespace

TEST_CASE("odoo profile on PostgreSQL: customers, orders, invoices, tickets, ratings and their KPIs", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_profile_odoo");
  {
    soci::session db(soci::postgresql, *conn);
    test::run_all(db, kSchema, kData);
  }
  Settings s = odoo_settings(*conn);
  Dataset d = load(*conn, s);

  // customers: commercial partners that are customers; contacts rolled up
  REQUIRE(d.customers.size() == 3);
  for (std::size_t i = 0; i < d.customers.size(); ++i) CHECK(d.customers.known[i] == 1);
  CHECK(segment_of(d, "1") == "Retail");     // first tag by name (Retail < VIP)
  CHECK(segment_of(d, "3") == "Wholesale");  // confirmed order, customer_rank 0
  CHECK(segment_of(d, "4") == "unassigned"); // only an archived tag
  CHECK(d.customers.ids.find("2") == Dictionary::npos);
  CHECK(d.customers.ids.find("5") == Dictionary::npos);
  CHECK(d.customers.ids.find("6") == Dictionary::npos);
  CHECK(d.customers.created_on[d.customers.ids.find("4")] == parse_day("2024-01-20"));

  // order lines: 2 + 1 + 1 + 1 lines; section, note, down payment and
  // unconfirmed orders left out; SO2 converted at rate 2
  REQUIRE(d.order_lines.size() == 5);
  double total = 0;
  for (double a : d.order_lines.amount) total += a;
  CHECK(total == Approx(100 + 20 + 100 + 60 + 40));
  CHECK(d.categories.find("All / Saleable / Office") != Dictionary::npos);
  CHECK(d.categories.find("All / Services") != Dictionary::npos);
  CHECK(d.quality.findings().empty());  // no unknown customer: John's order went to Acme

  // invoices: 5 posted customer moves
  REQUIRE(d.present.invoices);
  REQUIRE(d.invoices.size() == 5);
  int credit_notes = 0;
  for (std::size_t i = 0; i < d.invoices.size(); ++i) {
    Day day = d.invoices.day[i];
    if (day == parse_day("2024-01-12")) {  // M1: paid on the payment's date
      CHECK(d.invoices.amount[i] == Approx(120));
      CHECK(d.invoices.due[i] == parse_day("2024-02-11"));
      CHECK(d.invoices.paid[i] == parse_day("2024-02-03"));
    } else if (day == parse_day("2024-02-06")) {  // M2: partly paid
      CHECK(d.invoices.paid[i] == kNoDay);
    } else if (day == parse_day("2024-03-01")) {  // M3: the credit note, settled against M2
      CHECK(d.invoices.credit_note[i] == 1);
      CHECK(d.invoices.amount[i] == Approx(-30));
      CHECK(d.invoices.paid[i] == parse_day("2024-03-01"));
    } else if (day == parse_day("2024-03-16")) {  // M7: in_payment, last reconciliation
      CHECK(d.invoices.paid[i] == parse_day("2024-04-01"));
    } else {
      CHECK(day == parse_day("2024-05-11"));  // M8: unpaid
      CHECK(d.invoices.paid[i] == kNoDay);
      CHECK(d.invoices.due[i] == parse_day("2024-06-10"));
    }
    credit_notes += d.invoices.credit_note[i];
  }
  CHECK(credit_notes == 1);

  // tickets: archived T4 left out; T3 has no customer
  REQUIRE(d.present.tickets);
  REQUIRE(d.tickets.size() == 3);
  CHECK(d.priorities.find("high") != Dictionary::npos);
  CHECK(d.priorities.find("urgent") != Dictionary::npos);
  CHECK(d.categories.find("Billing") != Dictionary::npos);  // jsonb en_US, not "Cobrança"

  // feedback: four answered ratings
  REQUIRE(d.present.feedback);
  CHECK(d.feedback.size() == 4);
  CHECK_FALSE(d.present.subscriptions);  // no sale_subscription_plan: left out, not an error

  KpiResults r = test::monthly_kpis(d, s);
  // purchases
  CHECK(kpi(r, "orders", "2024-01-01") == 1);
  CHECK(kpi(r, "aov", "2024-01-01") == Approx(120));
  CHECK(kpi(r, "aov", "2024-02-01") == Approx(100));
  CHECK(kpi(r, "orders", "2024-03-01") == 1);
  CHECK(kpi(r, "orders", "2024-04-01") == 0);
  CHECK(kpi(r, "aov", "2024-05-01") == Approx(40));
  CHECK(kpi(r, "orders", "2024-02-01", "Wholesale") == 1);
  CHECK(kpi(r, "orders", "2024-05-01", "Retail") == 1);
  // customer flow (90-day window): one new customer in each of Jan, Feb, Mar
  CHECK(kpi(r, "customers_new", "2024-01-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-02-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-03-01") == 1);
  CHECK(kpi(r, "customers_active_end", "2024-03-01") == 3);
  // revenue: 120, 100, 60 - 30, 0, 40
  CHECK(kpi(r, "revenue", "2024-01-01") == Approx(120));
  CHECK(kpi(r, "revenue", "2024-02-01") == Approx(100));
  CHECK(kpi(r, "revenue", "2024-03-01") == Approx(30));
  CHECK(kpi(r, "revenue", "2024-03-01", "Wholesale") == Approx(-30));
  CHECK(kpi(r, "revenue", "2024-04-01") == Approx(0));
  CHECK(kpi(r, "revenue", "2024-05-01") == Approx(40));
  // support
  CHECK(kpi(r, "tickets_opened", "2024-02-01") == 1);
  CHECK(kpi(r, "tickets_opened", "2024-03-01") == 2);
  CHECK(kpi(r, "tickets_resolved", "2024-03-01") == 1);
  CHECK(kpi(r, "ttr_hours_median", "2024-02-01") == Approx(4));
  CHECK(kpi(r, "ttr_hours_median", "2024-03-01") == Approx(24));
  CHECK(kpi(r, "backlog_end", "2024-03-01") == 1);
  // CSAT: Feb 1 of 1 satisfied; Mar 1 of 3 (scores 1, 5, 3)
  CHECK(kpi(r, "csat", "2024-02-01") == Approx(100));
  CHECK(kpi(r, "csat_answers", "2024-03-01") == 3);
  CHECK(kpi(r, "csat", "2024-03-01") == Approx(100.0 / 3));

  SECTION("created_on and order dates follow the configured time zone") {
    Dataset tokyo = load(*conn, odoo_settings(*conn, "Asia/Tokyo"));
    CHECK(tokyo.customers.created_on[tokyo.customers.ids.find("4")] == parse_day("2024-01-21"));
  }

  SECTION("Odoo 17 subscriptions, once sale_subscription is installed") {
    {
      soci::session db(soci::postgresql, *conn);
      test::run_all(db, kSubscriptions);
    }
    Settings ss = test::subscription_mode(odoo_settings(*conn));
    Dataset sd = load(*conn, ss);
    REQUIRE(sd.present.subscriptions);
    REQUIRE(sd.subscriptions.size() == 4);  // upsell and draft left out
    for (std::size_t i = 0; i < sd.subscriptions.size(); ++i) {
      if (sd.subscriptions.mrr[i] == 70) CHECK(sd.subscriptions.end[i] == parse_day("2024-04-15"));  // churn log
      if (sd.subscriptions.mrr[i] == 50) CHECK(sd.subscriptions.end[i] == parse_day("2024-03-15"));  // renewed
      if (sd.subscriptions.mrr[i] == 100) CHECK(sd.subscriptions.end[i] == kNoDay);
    }
    KpiResults sr = test::monthly_kpis(sd, ss);
    // MRR at each month's end: Jan 100 + 50; Feb + 70; Mar 100 + 70 + 80 (S3
    // renewed into S4); Apr without S2 (churned 04-15)
    CHECK(kpi(sr, "mrr_end", "2024-01-01") == Approx(150));
    CHECK(kpi(sr, "mrr_end", "2024-02-01") == Approx(220));
    CHECK(kpi(sr, "mrr_end", "2024-03-01") == Approx(250));
    CHECK(kpi(sr, "mrr_end", "2024-04-01") == Approx(180));
    CHECK(kpi(sr, "mrr_end", "2024-06-01") == Approx(180));
    CHECK(kpi(sr, "customers_churned", "2024-04-01") == 1);
  }
}

TEST_CASE("odoo profile: the check reports helpdesk and ratings missing on a Community database", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_profile_odoo_ce");
  {
    soci::session db(soci::postgresql, *conn);
    for (const char *sql : kSchema) {
      std::string text = sql;
      if (text.find("helpdesk") != std::string::npos || text.find("rating_rating") != std::string::npos) continue;
      db << text;
    }
    for (const char *sql : kData) {
      std::string text = sql;
      if (text.find("helpdesk") != std::string::npos || text.find("rating_rating") != std::string::npos) continue;
      db << text;
    }
  }
  Settings s = odoo_settings(*conn);
  Table t = profile_check_table(s, 1000, s.as_of);
  REQUIRE(t.row_count() == 7);
  std::map<std::string, test::CheckRow> c = test::profile_check_rows(t);
  CHECK(c["customers"].status == "ok");
  CHECK(c["customers"].rows == 3);
  CHECK(c["order_lines"].status == "ok");
  CHECK(c["order_lines"].rows == 5);
  CHECK(c["invoices"].status == "ok");
  CHECK(c["tickets"].status == "missing");
  CHECK(c["feedback"].status == "missing");
  CHECK(c["subscriptions"].status == "missing");
  CHECK(c["retention_costs"].status == "missing");
  // and a run works without them
  Dataset d = load(*conn, s);
  CHECK_FALSE(d.present.tickets);
  CHECK_FALSE(d.present.feedback);
  CHECK(d.order_lines.size() == 5);
}
