// The built-in `protheus` profile (TOTVS Protheus 12) on a real PostgreSQL
// server, and the profile placeholders it relies on ({{suffix}}, filled from
// "source.parameters" or the profile's "-- cskpi:default").
//
// Protheus tables as DBAccess creates them on PostgreSQL (lower-case names,
// CHAR columns, dates as CHAR(8) YYYYMMDD, blank = 8 spaces, D_E_L_E_T_ = '*'
// for deleted rows), company 01 (suffix 010), branch '01', SA1/SB1/SBM shared
// (blank branch). Story (as_of 2024-06-30, months):
//   customers 000001-01 Alfa (group 000001), 000001-02 (same code, other store,
//             blank A1_DTCAD), 000002-01 Bravo (blocked, no group); 000003 deleted
//   orders    000101 Jan Alfa: P001 100 + P002 50; 000102 Feb store 02: P003 80
//             (+ a deleted item); 000103 type D (left out); 000104 deleted header;
//             000105 blank C5_EMISSAO (skipped, reported); 000106 Apr Bravo P002 60
//   invoices  NF 1 Jan Alfa 100 + 50, two installments paid 02-10 and 03-20;
//             NF 2 Feb store 02 80, open; NF 3 Apr Bravo 60 paid 05-02 (+ a
//             deleted open title); NF 4 deleted (cancelled); NF 5 only type-B items;
//             return (SD1 type D) Jan Alfa 30 + 10; a purchase and a deleted return
//             left out
//   company 02 (suffix 020): one customer and one order, read only with
//             "parameters": {"suffix": "020"}
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"
#include "support/pg.hpp"
#include "support/profile_harness.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
using cskpi::test::kpi;
namespace fs = std::filesystem;

namespace {

using cskpi::test::contains;

// Every table of the profile for one company suffix (only the columns read,
// plus the control columns).
std::vector<std::string> schema(const std::string &sfx) {
  const std::string ctl = ", D_E_L_E_T_ char(1) NOT NULL DEFAULT ' ', R_E_C_N_O_ serial, R_E_C_D_E_L_ integer DEFAULT 0)";
  return {
      "CREATE TABLE SA1" + sfx + " (A1_FILIAL char(2) DEFAULT '  ', A1_COD char(6), A1_LOJA char(2), A1_NOME char(40), "
          "A1_NREDUZ char(20), A1_TIPO char(1), A1_EST char(2), A1_DTCAD char(8) DEFAULT '        ', "
          "A1_GRPVEN char(6) DEFAULT '      ', A1_MSBLQL char(1) DEFAULT ' '" + ctl,
      "CREATE TABLE SB1" + sfx + " (B1_FILIAL char(2) DEFAULT '  ', B1_COD char(15), B1_DESC char(30), "
          "B1_GRUPO char(4) DEFAULT '    '" + ctl,
      "CREATE TABLE SBM" + sfx + " (BM_FILIAL char(2) DEFAULT '  ', BM_GRUPO char(4), BM_DESC char(30)" + ctl,
      "CREATE TABLE SC5" + sfx + " (C5_FILIAL char(2), C5_NUM char(6), C5_TIPO char(1), C5_CLIENTE char(6), "
          "C5_LOJACLI char(2), C5_EMISSAO char(8), C5_MOEDA float8 DEFAULT 1, C5_NOTA char(9) DEFAULT ' '" + ctl,
      "CREATE TABLE SC6" + sfx + " (C6_FILIAL char(2), C6_NUM char(6), C6_ITEM char(2), C6_PRODUTO char(15), "
          "C6_QTDVEN float8, C6_PRCVEN float8, C6_VALOR float8" + ctl,
      "CREATE TABLE SF2" + sfx + " (F2_FILIAL char(2), F2_DOC char(9), F2_SERIE char(3), F2_CLIENTE char(6), "
          "F2_LOJA char(2), F2_EMISSAO char(8), F2_PREFIXO char(3), F2_DUPL char(9), F2_VALMERC float8, "
          "F2_TIPO char(1) DEFAULT 'N'" + ctl,
      "CREATE TABLE SD2" + sfx + " (D2_FILIAL char(2), D2_DOC char(9), D2_SERIE char(3), D2_CLIENTE char(6), "
          "D2_LOJA char(2), D2_ITEM char(2), D2_COD char(15), D2_TOTAL float8, D2_TIPO char(1), D2_PEDIDO char(6)" + ctl,
      "CREATE TABLE SD1" + sfx + " (D1_FILIAL char(2), D1_DOC char(9), D1_SERIE char(3), D1_FORNECE char(6), "
          "D1_LOJA char(2), D1_ITEM char(4), D1_COD char(15), D1_TOTAL float8, D1_TIPO char(1), D1_DTDIGIT char(8), "
          "D1_EMISSAO char(8), D1_NFORI char(9), D1_SERIORI char(3)" + ctl,
      "CREATE TABLE SE1" + sfx + " (E1_FILIAL char(2), E1_PREFIXO char(3), E1_NUM char(9), E1_PARCELA char(1), "
          "E1_TIPO char(3), E1_CLIENTE char(6), E1_LOJA char(2), E1_VENCREA char(8), "
          "E1_BAIXA char(8) DEFAULT '        ', E1_SALDO float8, E1_VALOR float8" + ctl,
  };
}

const char *kCompany01[] = {
    "INSERT INTO SA1010 (A1_COD, A1_LOJA, A1_NOME, A1_DTCAD, A1_GRPVEN, A1_MSBLQL, D_E_L_E_T_) VALUES "
    "('000001', '01', 'ALFA COMERCIO LTDA', '20230110', '000001', '2', ' '), "
    "('000001', '02', 'ALFA COMERCIO LTDA - FILIAL', '        ', '000001', '2', ' '), "
    "('000002', '01', 'BRAVO SA', '20240105', '      ', '1', ' '), "
    "('000003', '01', 'CHARLIE ME', '20240105', '000002', '2', '*')",
    "INSERT INTO SB1010 (B1_COD, B1_DESC, B1_GRUPO) VALUES ('P001', 'NOTEBOOK', '0001'), "
    "('P002', 'SUPORTE', '0002'), ('P003', 'DIVERSOS', '    ')",
    "INSERT INTO SBM010 (BM_GRUPO, BM_DESC, D_E_L_E_T_) VALUES ('0001', 'ELETRONICOS', ' '), "
    "('0001', 'VELHO', '*'), ('0002', '   ', ' ')",
    "INSERT INTO SC5010 (C5_FILIAL, C5_NUM, C5_TIPO, C5_CLIENTE, C5_LOJACLI, C5_EMISSAO, D_E_L_E_T_) VALUES "
    "('01', '000101', 'N', '000001', '01', '20240115', ' '), ('01', '000102', 'N', '000001', '02', '20240220', ' '), "
    "('01', '000103', 'D', '000002', '01', '20240301', ' '), ('01', '000104', 'N', '000002', '01', '20240310', '*'), "
    "('01', '000105', 'N', '000002', '01', '        ', ' '), ('01', '000106', 'N', '000002', '01', '20240405', ' ')",
    "INSERT INTO SC6010 (C6_FILIAL, C6_NUM, C6_ITEM, C6_PRODUTO, C6_QTDVEN, C6_PRCVEN, C6_VALOR, D_E_L_E_T_) VALUES "
    "('01', '000101', '01', 'P001', 1, 100, 100, ' '), ('01', '000101', '02', 'P002', 2, 25, 50, ' '), "
    "('01', '000102', '01', 'P003', 1, 80, 80, ' '), ('01', '000102', '02', 'P001', 1, 999, 999, '*'), "
    "('01', '000103', '01', 'P001', 5, 100, 500, ' '), ('01', '000104', '01', 'P001', 1, 40, 40, '*'), "
    "('01', '000105', '01', 'P001', 1, 25, 25, ' '), ('01', '000106', '01', 'P002', 3, 20, 60, ' ')",
    "INSERT INTO SF2010 (F2_FILIAL, F2_DOC, F2_SERIE, F2_CLIENTE, F2_LOJA, F2_EMISSAO, F2_PREFIXO, F2_DUPL, "
    "F2_VALMERC, D_E_L_E_T_) VALUES "
    "('01', '000000001', '1  ', '000001', '01', '20240116', '1  ', '000000001', 150, ' '), "
    "('01', '000000002', '1  ', '000001', '02', '20240221', '1  ', '000000002', 80, ' '), "
    "('01', '000000003', '1  ', '000002', '01', '20240406', '1  ', '000000003', 60, ' '), "
    "('01', '000000004', '1  ', '000002', '01', '20240407', '1  ', '000000004', 300, '*'), "
    "('01', '000000005', '1  ', '000002', '01', '20240408', '1  ', '         ', 70, ' ')",
    "INSERT INTO SD2010 (D2_FILIAL, D2_DOC, D2_SERIE, D2_CLIENTE, D2_LOJA, D2_ITEM, D2_COD, D2_TOTAL, D2_TIPO, "
    "D_E_L_E_T_) VALUES "
    "('01', '000000001', '1  ', '000001', '01', '01', 'P001', 100, 'N', ' '), "
    "('01', '000000001', '1  ', '000001', '01', '02', 'P002', 50, 'N', ' '), "
    "('01', '000000002', '1  ', '000001', '02', '01', 'P003', 80, 'N', ' '), "
    "('01', '000000003', '1  ', '000002', '01', '01', 'P002', 60, 'N', ' '), "
    "('01', '000000004', '1  ', '000002', '01', '01', 'P001', 300, 'N', '*'), "
    "('01', '000000005', '1  ', '000002', '01', '01', 'P001', 70, 'B', ' ')",
    "INSERT INTO SE1010 (E1_FILIAL, E1_PREFIXO, E1_NUM, E1_PARCELA, E1_TIPO, E1_CLIENTE, E1_LOJA, E1_VENCREA, "
    "E1_BAIXA, E1_SALDO, E1_VALOR, D_E_L_E_T_) VALUES "
    "('01', '1  ', '000000001', 'A', 'NF ', '000001', '01', '20240215', '20240210', 0, 75, ' '), "
    "('01', '1  ', '000000001', 'B', 'NF ', '000001', '01', '20240315', '20240320', 0, 75, ' '), "
    "('01', '1  ', '000000002', ' ', 'NF ', '000001', '02', '20240322', '        ', 80, 80, ' '), "
    "('01', '1  ', '000000003', ' ', 'NF ', '000002', '01', '20240506', '20240502', 0, 60, ' '), "
    "('01', '1  ', '000000003', ' ', 'NF ', '000002', '01', '20240506', '        ', 60, 60, '*'), "
    "('01', '1  ', '000000003', ' ', 'NCC', '000002', '01', '20240601', '        ', 10, 10, ' ')",
    "INSERT INTO SD1010 (D1_FILIAL, D1_DOC, D1_SERIE, D1_FORNECE, D1_LOJA, D1_ITEM, D1_COD, D1_TOTAL, D1_TIPO, "
    "D1_DTDIGIT, D1_EMISSAO, D1_NFORI, D1_SERIORI, D_E_L_E_T_) VALUES "
    "('01', '000000777', '1  ', '000001', '01', '0001', 'P001', 30, 'D', '20240125', '20240124', '000000001', '1  ', ' '), "
    "('01', '000000777', '1  ', '000001', '01', '0002', 'P002', 10, 'D', '20240125', '20240124', '000000001', '1  ', ' '), "
    "('01', '000000778', '1  ', 'F00001', '01', '0001', 'P001', 500, 'N', '20240126', '20240126', '         ', '   ', ' '), "
    "('01', '000000779', '1  ', '000002', '01', '0001', 'P002', 60, 'D', '20240410', '20240410', '000000003', '1  ', '*')",
};

const char *kCompany02[] = {
    "INSERT INTO SA1020 (A1_COD, A1_LOJA, A1_NOME, A1_DTCAD, A1_GRPVEN) VALUES "
    "('900001', '01', 'EMPRESA DOIS CLIENTE', '20240101', 'GRP2')",
    "INSERT INTO SC5020 (C5_FILIAL, C5_NUM, C5_TIPO, C5_CLIENTE, C5_LOJACLI, C5_EMISSAO) VALUES "
    "('01', '000001', 'N', '900001', '01', '20240201')",
    "INSERT INTO SC6020 (C6_FILIAL, C6_NUM, C6_ITEM, C6_PRODUTO, C6_QTDVEN, C6_PRCVEN, C6_VALOR) VALUES "
    "('01', '000001', '01', 'X1', 1, 999, 999)",
};

Settings protheus_settings(const std::string &conn) {
  Settings s = test::profile_settings("postgresql", "protheus", conn);
  s.as_of = parse_day("2024-06-30");
  return s;
}

using cskpi::test::TempDir;

}  // namespace

TEST_CASE("protheus profile on PostgreSQL: live rows, blank dates, returns and receivables", "[pg]") {
  CSKPI_REQUIRE_PG(conn, "cskpi_test_profile_protheus");
  {
    soci::session db(soci::postgresql, *conn);
    test::run_all(db, schema("010"), schema("020"), kCompany01, kCompany02);
  }
  Settings s = protheus_settings(*conn);
  soci::session db(soci::postgresql, *conn);
  Dataset d = test::load_with_profile(db, s, s.as_of);

  // customers: deleted 000003 left out; code-store ids; blank A1_DTCAD is NULL
  REQUIRE(d.customers.size() == 3);
  auto c1 = d.customers.ids.find("000001-01"), c2 = d.customers.ids.find("000001-02"),
       c3 = d.customers.ids.find("000002-01");
  REQUIRE((c1 != Dictionary::npos && c2 != Dictionary::npos && c3 != Dictionary::npos));
  CHECK(d.customers.created_on[c1] == parse_day("2023-01-10"));
  CHECK(d.customers.created_on[c2] == kNoDay);
  CHECK(d.segments.name(d.customers.segment[c1]) == "000001");
  CHECK(d.segments.name(d.customers.segment[c3]) == "unassigned");
  CHECK(d.customers.ids.find("000003-01") == Dictionary::npos);

  // order lines: 000101 (2), 000102 (1, the deleted item left out), 000106 (1);
  // 000105's blank date skips its line and is reported
  REQUIRE(d.order_lines.size() == 4);
  double total = 0;
  for (double a : d.order_lines.amount) total += a;
  CHECK(total == Approx(100 + 50 + 80 + 60));
  CHECK(d.quality.count("order_lines", reason::null_mandatory) == 1);
  CHECK(d.quality.count("order_lines", reason::unknown_customer) == 0);
  CHECK(d.categories.find("ELETRONICOS") != Dictionary::npos);  // not the deleted "VELHO"
  CHECK(d.categories.find("0002") != Dictionary::npos);         // group without description
  CHECK(d.categories.find("unknown") != Dictionary::npos);      // product without group
  CHECK(d.categories.find("VELHO") == Dictionary::npos);

  // invoices: NF 1, 2, 3 and one return
  REQUIRE(d.present.invoices);
  REQUIRE(d.invoices.size() == 4);
  for (std::size_t i = 0; i < d.invoices.size(); ++i) {
    Day day = d.invoices.day[i];
    if (day == parse_day("2024-01-16")) {  // two installments, both paid: latest due and write-off
      CHECK(d.invoices.amount[i] == Approx(150));
      CHECK(d.invoices.due[i] == parse_day("2024-03-15"));
      CHECK(d.invoices.paid[i] == parse_day("2024-03-20"));
    } else if (day == parse_day("2024-02-21")) {  // open title
      CHECK(d.invoices.amount[i] == Approx(80));
      CHECK(d.invoices.due[i] == parse_day("2024-03-22"));
      CHECK(d.invoices.paid[i] == kNoDay);
    } else if (day == parse_day("2024-04-06")) {  // the deleted open title does not count
      CHECK(d.invoices.amount[i] == Approx(60));
      CHECK(d.invoices.paid[i] == parse_day("2024-05-02"));
    } else {
      CHECK(day == parse_day("2024-01-25"));  // the return, as a credit note
      CHECK(d.invoices.credit_note[i] == 1);
      CHECK(d.invoices.amount[i] == Approx(-40));
      CHECK(d.invoices.due[i] == kNoDay);
    }
  }
  CHECK(d.quality.findings().size() == 1);  // only the blank order date

  KpiResults r = test::monthly_kpis(d, s);
  CHECK(kpi(r, "orders", "2024-01-01") == 1);
  CHECK(kpi(r, "aov", "2024-01-01") == Approx(150));
  CHECK(kpi(r, "orders", "2024-02-01") == 1);
  CHECK(kpi(r, "orders", "2024-03-01") == 0);  // 000103 is a type-D order, 000104 deleted
  CHECK(kpi(r, "aov", "2024-04-01") == Approx(60));
  CHECK(kpi(r, "orders", "2024-01-01", "000001") == 1);
  CHECK(kpi(r, "orders", "2024-04-01", "unassigned") == 1);
  // revenue: Jan 150 - 40 (return), Feb 80, Mar 0, Apr 60
  CHECK(kpi(r, "revenue", "2024-01-01") == Approx(110));
  CHECK(kpi(r, "revenue", "2024-02-01") == Approx(80));
  CHECK(kpi(r, "revenue", "2024-03-01") == Approx(0));
  CHECK(kpi(r, "revenue", "2024-04-01") == Approx(60));
  CHECK(kpi(r, "revenue", "2024-01-01", "000001") == Approx(110));
  CHECK(kpi(r, "customers_new", "2024-01-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-02-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-04-01") == 1);
  // tickets, feedback, subscriptions: not in the profile, so unavailable
  CHECK_FALSE(d.present.tickets);
  CHECK(std::isnan(kpi(r, "tickets_opened", "2024-01-01")));

  SECTION("another company through source.parameters, end to end through the engine") {
    Settings s2 = parse_settings(R"({"source": {"backend": "postgresql", "connection": ")" + *conn +
                                 R"(", "profile": "protheus", "parameters": {"suffix": "020"}},
                                    "as_of": "2024-06-30"})");
    CHECK(s2.source_parameters.at("suffix") == "020");
    Engine e2(s2);
    Table sources = e2.compute(parse_request(R"({"table": "sources"})"));
    const auto &name = sources.column(static_cast<std::size_t>(sources.find_column("source")));
    const auto &rows = sources.column(static_cast<std::size_t>(sources.find_column("rows_read")));
    std::map<std::string, std::int64_t> read;
    for (std::size_t i = 0; i < sources.row_count(); ++i) read[name.text[i]] = rows.ints[i];
    CHECK(read["customers"] == 1);
    CHECK(read["order_lines"] == 1);
    CHECK(read["invoices"] == 0);
    const Dataset &d2 = e2.dataset(s2.as_of);
    CHECK(d2.customers.ids.find("900001-01") != Dictionary::npos);
    CHECK(d2.order_lines.amount.at(0) == Approx(999));
  }

  SECTION("the profile check reads every table with the suffix") {
    Table t = profile_check_table(s, 1000, s.as_of);
    for (const auto &[source, row] : test::profile_check_rows(t)) {
      INFO(source << ": " << row.findings);
      if (source == "customers" || source == "invoices") CHECK(row.status == "ok");
      if (source == "order_lines") {
        CHECK(row.status == "ok");
        CHECK(row.date_null_rate == Approx(0.2));  // 1 of 5 lines has a blank C5_EMISSAO
        CHECK(contains(row.findings, "1 row skipped: a mandatory column is null"));
      }
      if (source == "tickets") CHECK(row.status == "missing");
    }
  }
}

TEST_CASE("profile placeholders: defaults, source.parameters, and the errors that catch typos") {
  Profile p = load_profile("protheus", "postgresql");
  for (const auto &[source, sql] : p.sql) {
    INFO(source);
    CHECK_FALSE(contains(sql, "{{"));
  }
  CHECK(contains(p.sql.at("customers"), "FROM SA1010"));
  CHECK(contains(p.sql.at("invoices"), "SE1010"));

  Profile p2 = load_profile("protheus", "postgresql", {.parameters = {{"suffix", "020"}}});
  CHECK(contains(p2.sql.at("customers"), "FROM SA1020"));
  CHECK(contains(p2.sql.at("order_lines"), "SC6020"));
  CHECK_FALSE(contains(p2.sql.at("order_lines"), "SC6010"));

  // A misspelt parameter never falls back to the default silently.
  try {
    load_profile("protheus", "postgresql", {.parameters = {{"sufix", "020"}}});
    FAIL("no ConfigError");
  } catch (const ConfigError &e) {
    CHECK(contains(e.what(), "source.parameters.sufix"));
    CHECK(contains(e.what(), "it uses: suffix"));
  }

  TempDir dir;
  dir.write("a/customers.sql", "SELECT * FROM cust_{{company}}");
  dir.write("a/order_lines.sql", "SELECT *, '{{1,2},{3,4}}' AS matrix FROM lines_{{company}}");
  try {
    load_profile((dir.path / "a").string(), "postgresql");
    FAIL("no ProfileError");
  } catch (const ProfileError &e) {
    CHECK(contains(e.what(), "placeholder {{company}} has no value"));
    CHECK(contains(e.what(), "\"parameters\""));
  }
  Profile a = load_profile((dir.path / "a").string(), "postgresql", {.parameters = {{"company", "A1"}}});
  CHECK(a.sql.at("customers") == "SELECT * FROM cust_A1");
  CHECK(a.sql.at("order_lines") == "SELECT *, '{{1,2},{3,4}}' AS matrix FROM lines_A1");

  dir.write("b/customers.sql", "-- cskpi:default company=X\nSELECT * FROM c_{{company}}");
  dir.write("b/order_lines.sql", "-- cskpi:default company=Y\nSELECT * FROM o_{{company}}");
  CHECK_THROWS_WITH(load_profile((dir.path / "b").string(), "postgresql"),
                    Catch::Contains("different defaults"));
  dir.write("c/customers.sql", "-- cskpi:defualt company=X\nSELECT 1");
  dir.write("c/order_lines.sql", "SELECT 1");
  CHECK_THROWS_WITH(load_profile((dir.path / "c").string(), "postgresql"),
                    Catch::Contains("unknown directive 'cskpi:defualt'"));
  dir.write("d/customers.sql", "-- cskpi:default company=X; DROP\nSELECT 1");
  dir.write("d/order_lines.sql", "SELECT 1");
  CHECK_THROWS_AS(load_profile((dir.path / "d").string(), "postgresql"), ProfileError);
  dir.write("e/customers.sql", "SELECT 1");
  dir.write("e/order_lines.sql", "SELECT 1");
  dir.write("e/tickets.sql", "-- cskpi:requires t_{{s}}, \"odd-name\"\n-- cskpi:default s=1\nSELECT 1");
  Profile e = load_profile((dir.path / "e").string(), "postgresql");
  CHECK(e.requires_relations.at("tickets") == std::vector<std::string>{"t_1", "\"odd-name\""});
  CHECK(e.requires_relations.count("customers") == 0);
  // '{{{{company}}}}' would become '{{A1}}', a placeholder nobody wrote
  // (found by fuzzing, tests/fuzz/corpus/profile/crash-glued-braces).
  dir.write("f/customers.sql", "SELECT '{{{{company}}}}' FROM c");
  dir.write("f/order_lines.sql", "SELECT 1");
  CHECK_THROWS_WITH(load_profile((dir.path / "f").string(), "postgresql", {.parameters = {{"company", "A1"}}}),
                    Catch::Contains("placeholder {{company}} touches another brace"));

  // Configuration: names and values are plain words, under "source" only.
  CHECK(parse_settings(R"({"source": {"parameters": {"suffix": "020"}}})").source_parameters.at("suffix") == "020");
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": {"suffix": "01; DROP TABLE x"}}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": {"suffix": "' OR '1"}}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": {"suf fix": "020"}}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": {"suffix": 20}}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": {"suffix": ""}}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"source": {"parameters": ["020"]}})"), ConfigError);
  CHECK_THROWS_AS(parse_settings(R"({"target": {"parameters": {"suffix": "020"}}})"), ConfigError);
}
