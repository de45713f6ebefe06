// The built-in `dolibarr` profile against Dolibarr tables on a real MariaDB
// server: the tables the profile reads are created with their real names and
// the column types of Dolibarr's MySQL DDL (htdocs/install/mysql/tables, 14.0;
// only the columns the profile reads, plus the usual ones around them),
// seeded with documents in every state that matters, and the KPIs computed
// through the engine are checked against numbers worked out by hand in the
// comments. Needs the ctest fixture "mariadb"; skipped without it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

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

const char *const kSchema[] = {
    "CREATE TABLE llx_societe (rowid integer AUTO_INCREMENT PRIMARY KEY, nom varchar(128), name_alias varchar(128), "
    "entity integer DEFAULT 1 NOT NULL, status tinyint DEFAULT 1, "
    "tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, datec datetime, "
    "fk_typent integer DEFAULT 0, client tinyint DEFAULT 0, fournisseur tinyint DEFAULT 0, code_client varchar(24))",
    "CREATE TABLE llx_categorie (rowid integer AUTO_INCREMENT PRIMARY KEY, entity integer DEFAULT 1 NOT NULL, "
    "fk_parent integer DEFAULT 0 NOT NULL, label varchar(180) NOT NULL, type integer DEFAULT 1 NOT NULL)",
    "CREATE TABLE llx_categorie_societe (fk_categorie integer NOT NULL, fk_soc integer NOT NULL, "
    "import_key varchar(14), PRIMARY KEY (fk_categorie, fk_soc))",
    "CREATE TABLE llx_categorie_product (fk_categorie integer NOT NULL, fk_product integer NOT NULL, "
    "import_key varchar(14), PRIMARY KEY (fk_categorie, fk_product))",
    "CREATE TABLE llx_commande (rowid integer AUTO_INCREMENT PRIMARY KEY, entity integer DEFAULT 1 NOT NULL, "
    "ref varchar(30) NOT NULL, fk_soc integer NOT NULL, "
    "tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, date_creation datetime, "
    "date_valid datetime, date_cloture datetime, date_commande date, fk_statut smallint DEFAULT 0, "
    "total_ht double(24,8) DEFAULT 0, total_tva double(24,8) DEFAULT 0, total_ttc double(24,8) DEFAULT 0)",
    "CREATE TABLE llx_commandedet (rowid integer AUTO_INCREMENT PRIMARY KEY, fk_commande integer NOT NULL, "
    "fk_parent_line integer NULL, fk_product integer DEFAULT NULL, label varchar(255) DEFAULT NULL, "
    "description text, qty real, subprice double(24,8) DEFAULT 0, total_ht double(24,8) DEFAULT 0, "
    "total_tva double(24,8) DEFAULT 0, total_ttc double(24,8) DEFAULT 0, product_type integer DEFAULT 0, "
    "special_code integer DEFAULT 0, rang integer DEFAULT 0)",
    "CREATE TABLE llx_facture (rowid integer AUTO_INCREMENT PRIMARY KEY, ref varchar(30) NOT NULL, "
    "entity integer DEFAULT 1 NOT NULL, type smallint DEFAULT 0 NOT NULL, fk_soc integer NOT NULL, "
    "datec datetime, datef date, date_valid date, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE "
    "CURRENT_TIMESTAMP, date_closing datetime, paye smallint DEFAULT 0 NOT NULL, close_code varchar(16), "
    "total_ht double(24,8) DEFAULT 0, total_tva double(24,8) DEFAULT 0, total_ttc double(24,8) DEFAULT 0, "
    "fk_statut smallint DEFAULT 0 NOT NULL, fk_facture_source integer, date_lim_reglement date)",
    "CREATE TABLE llx_paiement (rowid integer AUTO_INCREMENT PRIMARY KEY, ref varchar(30), "
    "entity integer DEFAULT 1 NOT NULL, datec datetime, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE "
    "CURRENT_TIMESTAMP, datep datetime, amount double(24,8) DEFAULT 0, fk_paiement integer NOT NULL, "
    "num_paiement varchar(50), note text, fk_bank integer DEFAULT 0 NOT NULL, statut smallint DEFAULT 0 NOT NULL)",
    "CREATE TABLE llx_paiement_facture (rowid integer AUTO_INCREMENT PRIMARY KEY, fk_paiement integer, "
    "fk_facture integer, amount double(24,8) DEFAULT 0)",
    "CREATE TABLE llx_ticket (rowid integer AUTO_INCREMENT PRIMARY KEY, entity integer DEFAULT 1, "
    "ref varchar(128) NOT NULL, track_id varchar(128) NOT NULL, fk_soc integer DEFAULT 0, "
    "fk_project integer DEFAULT 0, origin_email varchar(128), fk_user_create integer, fk_user_assign integer, "
    "subject varchar(255), message text, fk_statut integer, resolution integer, progress integer DEFAULT 0, "
    "timing varchar(20), type_code varchar(32), category_code varchar(32), severity_code varchar(32), "
    "datec datetime, date_read datetime, date_close datetime, notify_tiers_at_create tinyint, "
    "tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)",
    "CREATE TABLE llx_actioncomm (id integer AUTO_INCREMENT PRIMARY KEY, ref varchar(30), "
    "entity integer DEFAULT 1 NOT NULL, datep datetime, datep2 datetime, fk_action integer, code varchar(50), "
    "datec datetime, fk_soc integer, fk_element integer DEFAULT NULL, elementtype varchar(255) DEFAULT NULL, "
    "label varchar(255) NOT NULL)",
    "CREATE TABLE llx_contrat (rowid integer AUTO_INCREMENT PRIMARY KEY, ref varchar(255), "
    "entity integer DEFAULT 1 NOT NULL, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
    "datec datetime, date_contrat datetime, statut smallint DEFAULT 0, fin_validite datetime, "
    "date_cloture datetime, fk_soc integer NOT NULL)",
    "CREATE TABLE llx_contratdet (rowid integer AUTO_INCREMENT PRIMARY KEY, "
    "tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, fk_contrat integer NOT NULL, "
    "fk_product integer NULL, statut smallint DEFAULT 0, label text, description text, "
    "date_ouverture_prevue datetime, date_ouverture datetime, date_fin_validite datetime, date_cloture datetime, "
    "qty real NOT NULL, subprice double(24,8) DEFAULT 0, total_ht double(24,8) DEFAULT 0)",
};

const char *const kSeed[] = {
    // Third parties: 1 and 2 customers (2 also a prospect), 3 a prospect, 4 a
    // supplier, 5 a customer, 6 a customer of another entity.
    "INSERT INTO llx_societe (rowid, nom, entity, status, datec, client, fournisseur) VALUES "
    "(1, 'Acme SARL', 1, 1, '2024-01-05 10:00:00', 1, 0), (2, 'Bobo', 1, 0, '2024-01-22 10:00:00', 3, 0), "
    "(3, 'Prospect', 1, 1, '2024-01-02 10:00:00', 2, 0), (4, 'Supplier', 1, 1, '2024-01-02 10:00:00', 0, 1), "
    "(5, 'Cie', 1, 1, '2024-02-11 10:00:00', 1, 0), (6, 'Elsewhere', 2, 1, '2024-01-02 10:00:00', 1, 0)",
    // Categories: 1-3 customer (type 2), 4 supplier (type 1), 10-13 product (type 0).
    "INSERT INTO llx_categorie (rowid, label, type) VALUES (1, 'VIP', 2), (2, 'Retail', 2), (3, 'Alpha customers', 2), "
    "(4, 'AAA suppliers', 1), (10, 'Hardware', 0), (11, 'Services', 0), (12, 'Software', 0), (13, 'Zeta', 0)",
    "INSERT INTO llx_categorie_societe (fk_categorie, fk_soc) VALUES (1, 1), (2, 1), (4, 1), (1, 5)",
    "INSERT INTO llx_categorie_product (fk_categorie, fk_product) VALUES (10, 100), (11, 101), (13, 101), (3, 101), "
    "(12, 102)",

    // Orders: validated (1), shipping (2), delivered (3) count.
    "INSERT INTO llx_commande (rowid, ref, fk_soc, entity, date_commande, fk_statut, total_ht) VALUES "
    "(10, 'CO2401-0001', 1, 1, '2024-01-10', 1, 150), (11, 'CO2401-0002', 2, 1, '2024-01-25', 3, 80), "
    "(12, 'CO2402-0003', 1, 1, '2024-02-14', 2, 200), (13, '(PROV13)', 5, 1, '2024-02-20', 0, 999), "
    "(14, 'CO2403-0004', 5, 1, '2024-03-02', 1, 150), (15, 'CO2403-0005', 2, 1, '2024-03-10', -1, 500), "
    "(16, 'CO2403-0001', 6, 2, '2024-03-15', 1, 1000), (17, 'CO2404-0006', 1, 1, '2024-04-02', 1, 70)",
    "INSERT INTO llx_commandedet (rowid, fk_commande, fk_product, qty, subprice, total_ht, product_type, rang) VALUES "
    "(1, 10, 100, 1, 100, 100, 0, 1), (2, 10, 101, 2, 25, 50, 1, 2), (3, 10, NULL, 0, 0, 0, 9, 3), "
    "(4, 11, NULL, 1, 80, 80, 0, 1), (5, 12, 102, 1, 200, 200, 1, 1), (6, 13, 100, 9, 111, 999, 0, 1), "
    "(7, 14, 101, 1, 120, 120, 1, 1), (8, 14, 102, 1, 30, 30, 1, 2), (9, 15, 100, 5, 100, 500, 0, 1), "
    "(10, 16, 100, 10, 100, 1000, 0, 1), (11, 17, 101, 1, 70, 70, 1, 1)",

    // Invoices: validated (1) and closed (2) of types 0, 1, 2, 5 count.
    "INSERT INTO llx_facture (rowid, ref, entity, type, fk_soc, datef, date_lim_reglement, paye, fk_statut, "
    "total_ht, fk_facture_source, date_closing, close_code) VALUES "
    "(20, 'FA2401-0001', 1, 0, 1, '2024-01-12', '2024-02-11', 1, 2, 150, NULL, '2024-02-01 10:00:00', NULL), "
    "(21, 'FA2401-0002', 1, 0, 2, '2024-01-26', '2024-02-25', 0, 1, 80, NULL, NULL, NULL), "
    "(22, 'FA2402-0003', 1, 0, 1, '2024-02-15', '2024-03-16', 1, 2, 200, NULL, '2024-03-05 10:00:00', NULL), "
    "(23, 'AV2402-0001', 1, 2, 1, '2024-02-28', '2024-02-28', 1, 2, -50, 22, '2024-02-28 15:00:00', NULL), "
    "(24, '(PROV24)', 1, 0, 5, '2024-03-03', '2024-04-02', 0, 0, 150, NULL, NULL, NULL), "
    "(25, 'FA2403-0004', 1, 0, 5, '2024-03-04', '2024-03-04', 1, 2, 150, NULL, '2024-03-04 18:00:00', NULL), "
    "(26, 'FA2403-0005', 1, 0, 2, '2024-03-11', '2024-04-10', 0, 3, 500, NULL, '2024-03-12 10:00:00', 'abandon'), "
    "(27, 'AC2403-0001', 1, 3, 2, '2024-03-12', '2024-03-12', 0, 1, 500, NULL, NULL, NULL), "
    "(29, 'FA2403-0001', 2, 0, 6, '2024-03-16', '2024-03-16', 1, 2, 1000, NULL, '2024-03-16 10:00:00', NULL)",
    "INSERT INTO llx_paiement (rowid, ref, datep, amount, fk_paiement) VALUES "
    "(1, 'PAY2402-0001', '2024-02-01 09:00:00', 180, 2), (2, 'PAY2402-0002', '2024-02-20 09:00:00', 100, 2), "
    "(3, 'PAY2403-0003', '2024-03-05 09:00:00', 70, 2), (4, 'PAY2403-0004', '2024-03-04 17:00:00', 180, 4)",
    "INSERT INTO llx_paiement_facture (fk_paiement, fk_facture, amount) VALUES "
    "(1, 20, 180), (2, 22, 100), (3, 22, 70), (4, 25, 180)",

    // Tickets.
    "INSERT INTO llx_ticket (rowid, entity, ref, track_id, fk_soc, origin_email, fk_statut, type_code, "
    "severity_code, datec, date_close) VALUES "
    "(30, 1, 'TS2401-0001', 'a', 1, '', 8, 'ISSUE', 'HIGH', '2024-01-15 09:00:00', '2024-01-16 09:00:00'), "
    "(31, 1, 'TS2402-0002', 'b', 2, 'bob@example.com', 3, 'REQUEST', 'NORMAL', '2024-02-05 14:00:00', NULL), "
    "(32, 1, 'TS2403-0003', 'c', 0, NULL, 8, 'COM', 'LOW', '2024-03-01 08:00:00', '2024-03-02 08:00:00'), "
    "(33, 1, 'TS2403-0004', 'd', 5, NULL, 9, 'ISSUE', 'LOW', '2024-03-10 10:00:00', NULL), "
    "(34, 1, 'TS2403-0005', 'e', 5, NULL, 0, 'ISSUE', NULL, '2024-03-11 10:00:00', NULL), "
    "(35, 2, 'TS2403-0001', 'f', 6, NULL, 0, 'ISSUE', 'LOW', '2024-03-12 10:00:00', NULL)",
    "INSERT INTO llx_actioncomm (id, code, datep, fk_element, elementtype, label) VALUES "
    "(1, 'AC_TICKET_CREATE', '2024-01-15 09:00:00', 30, 'ticket', 'Created'), "
    "(2, 'TICKET_MSG', '2024-01-15 10:30:00', 30, 'ticket', 'Answer'), "
    "(3, 'TICKET_MSG', '2024-01-15 12:00:00', 30, 'ticket', 'Answer'), "
    "(4, 'TICKET_MSG', '2024-01-15 09:30:00', 30, 'project', 'Same id, another element')",

    // Contracts.
    "INSERT INTO llx_contrat (rowid, ref, entity, statut, fk_soc) VALUES "
    "(40, 'CT2401-0001', 1, 1, 1), (41, 'CT2401-0002', 1, 2, 2), (42, 'CT2402-0003', 1, 1, 5), "
    "(43, '(PROV43)', 1, 0, 5), (44, 'CT2401-0001', 2, 1, 6)",
    "INSERT INTO llx_contratdet (rowid, fk_contrat, statut, date_ouverture_prevue, date_ouverture, "
    "date_fin_validite, date_cloture, qty, subprice, total_ht) VALUES "
    "(401, 40, 4, '2024-01-01 00:00:00', '2024-01-01 12:00:00', NULL, NULL, 2, 30, 60), "
    "(402, 40, 0, '2024-06-01 00:00:00', NULL, NULL, NULL, 1, 99, 99), "
    "(411, 41, 5, '2024-01-15 00:00:00', '2024-01-15 12:00:00', '2024-12-31 00:00:00', '2024-03-01 09:00:00', "
    "1, 100, 100), "
    "(421, 42, 4, '2024-02-15 00:00:00', '2024-02-15 12:00:00', '2024-06-30 00:00:00', NULL, 1, 45, 45), "
    "(431, 43, 4, '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL, NULL, 1, 500, 500), "
    "(441, 44, 4, '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL, NULL, 1, 500, 500)",
};

Settings dolibarr_settings() { return test::profile_settings("mysql", "dolibarr"); }

std::unique_ptr<soci::session> seeded(const std::string &conn) {
  return test::seeded_session(dolibarr_settings(), conn, kSchema, kSeed);
}

}  // namespace

TEST_CASE("dolibarr profile: every SELECT returns exactly the canonical columns", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_dolibarr_columns");
  auto db = seeded(*conn);
  test::check_canonical_columns_mariadb(
      *db, load_profile("dolibarr", "mysql"),
      {"customers", "order_lines", "invoices", "tickets", "subscriptions"});
}

TEST_CASE("dolibarr profile: rows, states and values", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_dolibarr_rows");
  auto db = seeded(*conn);
  Dataset d = test::load_with_profile(*db, dolibarr_settings(), day("2024-03-31"));

  // Customers 1, 2, 5: not the prospect, the supplier or entity 2's customer.
  REQUIRE(d.customers.size() == 3);
  CHECK(d.customers.ids.name(0) == "1");
  CHECK(d.segments.name(d.customers.segment[0]) == "Retail");  // customer categories only; first label
  CHECK(d.segments.name(d.customers.segment[1]) == "unassigned");
  CHECK(d.segments.name(d.customers.segment[2]) == "VIP");
  CHECK(d.customers.created_on[2] == day("2024-02-11"));

  // Order lines of orders 10 (2 lines; the title line is left out), 11, 12
  // and 14 (2 lines); order 17 is after as_of.
  REQUIRE(d.order_lines.size() == 6);
  CHECK(d.order_lines.orders.size() == 4);
  CHECK(d.quality.count("order_lines", reason::after_as_of) == 1);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 0);
  std::map<std::string, double> by_category;
  for (std::size_t i = 0; i < d.order_lines.size(); ++i)
    by_category[std::string(d.categories.name(d.order_lines.category[i]))] += d.order_lines.amount[i];
  CHECK(by_category == std::map<std::string, double>{
                           {"Hardware", 100}, {"Services", 170}, {"Software", 230}, {"unknown", 80}});

  // Invoices 20, 21, 22, 23 (credit note), 25.
  REQUIRE(d.invoices.size() == 5);
  std::vector<std::tuple<Day, double, Day, Day, int>> inv;
  for (std::size_t i = 0; i < d.invoices.size(); ++i)
    inv.emplace_back(d.invoices.day[i], d.invoices.amount[i], d.invoices.due[i], d.invoices.paid[i],
                     d.invoices.credit_note[i]);
  std::sort(inv.begin(), inv.end());
  CHECK(inv == std::vector<std::tuple<Day, double, Day, Day, int>>{
                   {day("2024-01-12"), 150, day("2024-02-11"), day("2024-02-01"), 0},
                   {day("2024-01-26"), 80, day("2024-02-25"), kNoDay, 0},
                   {day("2024-02-15"), 200, day("2024-03-16"), day("2024-03-05"), 0},    // last of two payments
                   {day("2024-02-28"), -50, day("2024-02-28"), day("2024-02-28"), 1},    // closed without payment
                   {day("2024-03-04"), 150, day("2024-03-04"), day("2024-03-04"), 0}});

  // Tickets 30, 31, 32, 34 (33 cancelled, 35 another entity).
  REQUIRE(d.tickets.size() == 4);
  CHECK(d.tickets.ids.name(0) == "30");
  CHECK(d.tickets.first_response[0] == utc("2024-01-15 10:30"));  // first TICKET_MSG of this ticket
  CHECK(d.tickets.resolved[0] == utc("2024-01-16 09:00"));
  CHECK(d.channels.name(d.tickets.channel[0]) == "unknown");
  CHECK(d.channels.name(d.tickets.channel[1]) == "email");
  CHECK(d.tickets.customer[2] == kNoCustomer);  // fk_soc 0
  CHECK(d.categories.name(d.tickets.category[2]) == "COM");
  CHECK(d.priorities.name(d.tickets.priority[3]) == "unknown");
  CHECK(d.tickets.resolved[3] == kNoTime);

  CHECK_FALSE(d.present.feedback);

  // Contract lines 401, 411, 421.
  REQUIRE(d.subscriptions.size() == 3);
  CHECK(test::subscription_spans(d) == std::vector<test::Span>{{day("2024-01-01"), kNoDay, 60},
                                                               {day("2024-01-15"), day("2024-03-01"), 100},
                                                               {day("2024-02-15"), day("2024-07-01"), 45}});
}

TEST_CASE("dolibarr profile: KPIs computed by hand", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_dolibarr_kpis");
  auto db = seeded(*conn);
  Settings s = dolibarr_settings();
  Dataset d = test::load_with_profile(*db, s, day("2024-03-31"));
  KpiResults r = test::monthly_kpis(d, s);
  REQUIRE(r.grid().size() == 3);
  // The shared story (profile_harness.hpp) in Dolibarr's documents: orders
  // January 10 (150) and 11 (80, delivered), February 12 (200, shipping),
  // March 14 (150); draft 13, cancelled 15 and entity 2's 16 never count.
  // Revenue: invoices of those orders, credit note 23 (-50) in February;
  // draft 24, abandoned 26, the deposit 27 and entity 2's 29 never count.
  // Tickets: 30 in January (first answer after 1.5 h, closed after 24 h),
  // 31 in February (still in progress), 32 and 34 in March (32 closed).
  test::check_shared_story_kpis(r);

  // Segments: customer 5 is VIP, customer 2 has no customer category.
  CHECK(kpi(r, "orders", "2024-03-01", "VIP") == 1);
  CHECK(kpi(r, "orders", "2024-01-01", "unassigned") == 1);
  CHECK(kpi(r, "tickets_opened", "2024-03-01", "VIP") == 1);
  // March: customer 5 bought Services and Software for the first time, but
  // it is a new buyer, not a returning one: no cross-sell.
  CHECK(kpi(r, "cross_sell_revenue", "2024-03-01") == 0);
  // February: customer 1 came back and bought Software, never bought before.
  CHECK(kpi(r, "cross_sell_rate", "2024-02-01") == 1);
  CHECK(kpi(r, "cross_sell_revenue", "2024-02-01") == 200);

  // No survey in Dolibarr: voice KPIs are unavailable, not 0.
  CHECK(is_null(kpi(r, "csat", "2024-03-01")));
  CHECK(is_null(kpi(r, "nps", "2024-03-01")));
}

TEST_CASE("dolibarr profile: MRR in subscription mode", "[mariadb]") {
  CSKPI_REQUIRE_MARIADB(conn, "cskpi_test_dolibarr_mrr");
  auto db = seeded(*conn);
  Settings s = test::subscription_mode(dolibarr_settings());
  Dataset d = test::load_with_profile(*db, s, day("2024-03-31"));
  KpiResults r = test::monthly_kpis(d, s);
  // The shared story's contracts: lines 401 (60), 411 (100, closed on
  // Mar 1) and 421 (45, from Feb 15).
  test::check_shared_story_mrr(r);
}
