// The HTML report (plugin/report, docs/report.md): number and period formats
// by hand in both languages, the options' errors naming key and value, every
// chart mark of a demo ERP's report equal to the kpis value it draws (one
// mark per period of the window), and the sections of an absent source.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <regex>
#include <set>
#include <string>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/errors.hpp"
#include "demo_erp.hpp"
#include "engine/engine.hpp"
#include "report/html.hpp"
#include "report/report.hpp"
#include "support/demo_erp_file.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;
using namespace cskpi::report;

TEST_CASE("report: numbers, percentages and periods in English and Brazilian Portuguese", "[report]") {
  CHECK(format_number(1234.56, 2, Lang::en) == "1,234.56");
  CHECK(format_number(1234.56, 2, Lang::pt_br) == "1.234,56");
  CHECK(format_number(-1234567.891, 1, Lang::pt_br) == "\u22121.234.567,9");
  CHECK(format_number(-0.001, 1, Lang::en) == "0.0");  // no "−0.0"
  CHECK(format_percent(0.125, 1, Lang::en) == "12.5%");
  CHECK(format_percent(0.125, 1, Lang::pt_br) == "12,5\u00a0%");
  CHECK(format_signed(2.26, 1, Lang::pt_br) == "+2,3");
  CHECK(format_signed(-3, 0, Lang::en) == "\u22123");
  CHECK(format_compact(12345, Lang::en) == "12.3k");
  CHECK(format_compact(12345, Lang::pt_br) == "12,3\u00a0mil");
  const Day march = parse_day("2024-03-01");
  CHECK(period_name(Granularity::month, march, Lang::en) == "March 2024");
  CHECK(period_name(Granularity::month, march, Lang::pt_br) == "março de 2024");
  CHECK(period_short(Granularity::month, march, Lang::pt_br) == "mar 24");
  CHECK(period_name(Granularity::quarter, parse_day("2024-04-01"), Lang::en) == "Q2 2024");
  CHECK(period_name(Granularity::quarter, parse_day("2024-04-01"), Lang::pt_br) == "2º tri. 2024");
  CHECK(day_name(parse_day("2024-02-04"), Lang::pt_br) == "4 fev. 2024");
  CHECK(escape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  CHECK_THROWS_AS(tr(Lang::en, "no such label"), std::logic_error);
}

TEST_CASE("report: bad options are ConfigErrors naming the key or value", "[report]") {
  auto message = [](const std::string &json) {
    try {
      parse_report_options(json);
    } catch (const ConfigError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(test::contains(message(R"({"segmnet":"smb"})"), "unknown report option 'segmnet'"));
  CHECK(test::contains(message(R"({"lang":"fr"})"), "unknown language 'fr'"));
  CHECK(test::contains(message(R"({"sections":["flow","charts"]})"), "unknown section 'charts'"));
  CHECK(test::contains(message(R"({"as_of":"2024-02-30"})"), "'as_of'"));
  CHECK(test::contains(message(R"({"granularity":"fortnight"})"), "fortnight"));
  CHECK(test::contains(message("[1]"), "JSON object"));
  const ReportOptions o = parse_report_options(R"({"lang":"pt-BR","segment":"smb","sections":["voice"],"run_id":7})");
  CHECK(o.lang == Lang::pt_br);
  CHECK(o.segment == "smb");
  CHECK(o.sections == std::vector<Section>{Section::voice});
  CHECK(*o.run_id == 7);
}

namespace {

const char *kAsOf = "2025-06-17";

// A small demo ERP, one file per test process (ctest runs cases in parallel).
const std::string &demo_path() {
  static const test::DemoErpFile file("test_report", [] {
    demo::DemoOptions o;
    o.seed = 11;
    o.customers = 300;
    o.first_date = "2023-01-01";
    o.last_date = kAsOf;
    return o;
  }());
  return file.path();
}

Engine demo_engine() {
  return Engine(parse_settings(R"({"source":{"backend":"sqlite3","connection":"db=)" + demo_path() +
                               R"(","profile":"demo"},"timezone":"America/Sao_Paulo","sla_hours":{"default":72}})"));
}

std::string read_text(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Mark {
  std::string kpi, period, value;
};

// Every period-chart mark (a data-kpi with a data-period and no data-offset).
std::vector<Mark> chart_marks(const std::string &html) {
  static const std::regex mark(
      R"re(<(?:rect|circle) class="mark c\d" data-kpi="([a-z_0-9]+)" data-period="([0-9-]+)" data-value="([^"]+)")re");
  std::vector<Mark> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), mark); it != std::sregex_iterator(); ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3]});
  return out;
}

}  // namespace

TEST_CASE("report: every chart mark is the kpis value of its period, one per period", "[report]") {
  Engine engine = demo_engine();
  for (const char *segment : {"all", "smb"}) {
    INFO(segment);
    const std::string html =
        render_report(engine, std::string(R"({"as_of":")") + kAsOf + R"(","segment":")" + segment + R"("})");
    const ReportData data = collect_report_data(engine, parse_day(kAsOf), Granularity::month);
    const SegmentView view(data, segment);
    REQUIRE(view.window().size() == 24);  // 2023-06 .. 2025-05 (June 2025 is partial)
    CHECK(format_day(data.kpis.grid()[view.current()].start) == "2025-05-01");
    std::map<std::string, std::set<std::string>> periods;
    std::size_t checked = 0;
    for (const Mark &m : chart_marks(html)) {
      INFO(m.kpi << " " << m.period);
      const int p = data.kpis.grid().index_of(parse_day(m.period));
      REQUIRE(p >= 0);
      CHECK(std::stod(m.value) == view.value(m.kpi.c_str(), p));  // exact: %.17g reads back
      CHECK(periods[m.kpi].insert(m.period).second);                // one mark per period
      ++checked;
    }
    // Each drawn series has a mark for every period of the window with a value.
    for (const auto &[kpi, seen] : periods) {
      std::size_t non_null = 0;
      for (double v : view.series(kpi.c_str())) non_null += !is_null(v);
      CHECK(seen.size() == non_null);
    }
    CHECK(periods.count("customers_new"));
    CHECK(periods.count("churned_revenue"));
    CHECK(periods.count("nps"));
    CHECK(checked > 400);
    // Self-contained: nothing fetched, no script.
    CHECK(test::contains(html, "default-src 'none'"));
    for (const char *forbidden : {"http://", "https://", "<script", "src=", "url(", "@import"})
      CHECK_FALSE(test::contains(html, forbidden));
  }
}

TEST_CASE("report: the top churned customers are customer_movements' largest churned amounts", "[report]") {
  Engine engine = demo_engine();
  const std::string html = render_report(engine, std::string(R"({"as_of":")") + kAsOf + R"(","sections":["revenue"]})");
  const ReportData data = collect_report_data(engine, parse_day(kAsOf), Granularity::month);
  double largest = 0;
  std::string who;
  for (std::size_t r = 0; r < data.movements.row_count(); ++r)
    if (text_at(data.movements, "period_start", r) == "2025-05-01" &&
        text_at(data.movements, "revenue_movement", r) == "churned" && real_at(data.movements, "amount", r) > largest)
      largest = real_at(data.movements, "amount", r), who = text_at(data.movements, "customer_id", r);
  REQUIRE(largest > 0);
  const auto table = html.find("<tbody>", html.find("id=\"revenue\""));
  CHECK(html.substr(table, 80).find("<td>" + who + "</td>") != std::string::npos);
  CHECK(test::contains(html, format_number(largest, 2, Lang::en)));
}

TEST_CASE("report: alive but slipping lists the clv rows below clv.at_risk_below, most repeat revenue first",
          "[report]") {
  Engine engine = demo_engine();
  Request r;
  r.table = "clv";
  r.as_of = parse_day(kAsOf);
  const Table clv = engine.compute(r);
  // The expected list from the clv table itself: P(alive) < 0.3 (the default), by x · monetary.
  std::vector<std::pair<double, std::string>> expected;
  for (std::size_t i = 0; i < clv.row_count(); ++i) {
    const double p = real_at(clv, "p_alive", i), m = real_at(clv, "monetary", i);
    if (!is_null(p) && p < 0.3)
      expected.emplace_back(-(static_cast<double>(clv.column(clv.column_index("x")).ints[i]) * (is_null(m) ? 0 : m)),
                            text_at(clv, "customer_id", i));
  }
  std::sort(expected.begin(), expected.end());
  REQUIRE(expected.size() >= 3);
  const std::string html = render_report(engine, std::string(R"({"as_of":")") + kAsOf + R"(","sections":["clv"]})");
  const auto body = html.find("<tbody>", html.find("id=\"clv\""));
  REQUIRE(body != std::string::npos);
  std::size_t at = body;
  for (std::size_t k = 0; k < 3; ++k) {  // the first three rows, in order
    INFO(k);
    at = html.find("<td>" + expected[k].second + "</td>", at);
    CHECK(at != std::string::npos);
  }
}

TEST_CASE("report: unknown segment and an as_of before the data name the value", "[report]") {
  Engine engine = demo_engine();
  CHECK_THROWS_WITH(render_report(engine, std::string(R"({"as_of":")") + kAsOf + R"(","segment":"retail"})"),
                    Catch::Contains("unknown segment 'retail'") && Catch::Contains("smb"));
  CHECK_THROWS_WITH(render_report(engine, R"({"as_of":"2022-06-01"})"),
                    Catch::Contains("'as_of'") && Catch::Contains("2022-06-01"));
  CHECK_THROWS_AS(render_report(engine, R"({"as_of":"2022-06-01"})"), ConfigError);
}

TEST_CASE("report: an absent source says so instead of drawing zeros", "[report]") {
  test::TempDir dir;
  const std::string db_path = (dir.path / "shop.sqlite").string();
  {
    soci::session db(soci::sqlite3, "db=" + db_path);
    db << "CREATE TABLE customers (customer_id TEXT, name TEXT, created_on DATE, segment TEXT)";
    db << "CREATE TABLE order_lines (order_id TEXT, customer_id TEXT, order_date DATE, product_id TEXT, "
          "category TEXT, amount REAL)";
    db << "INSERT INTO customers VALUES ('A', 'A', '2024-01-01', 'smb')";
    db << "INSERT INTO order_lines VALUES ('o1', 'A', '2024-01-10', 'p', 'shoes', 100), "
          "('o2', 'A', '2024-02-10', 'p', 'shoes', 50)";
  }
  // A profile of customers and order lines only: every optional source absent.
  for (const char *source : {"customers", "order_lines"})
    dir.write(std::string("profile/") + source + ".sql",
              read_text(std::string(CSKPI_SQL_DIR) + "/profiles/canonical/" + source + ".sql"));
  Engine engine(parse_settings(R"({"source":{"backend":"sqlite3","connection":"db=)" + db_path +
                               R"(","profile":")" + (dir.path / "profile").string() + R"("}})"));
  const std::string en = render_report(engine, R"({"as_of":"2024-03-31"})");
  CHECK(test::contains(en, "not available (no tickets source)"));
  CHECK(test::contains(en, "not available (no feedback source)"));
  CHECK(test::contains(en, "not available (no invoices source)"));
  CHECK_FALSE(test::contains(en, "id=\"chart-tickets\""));
  const std::string pt = render_report(engine, R"({"as_of":"2024-03-31","lang":"pt-BR"})");
  CHECK(test::contains(pt, "não disponível (sem fonte de chamados)"));
  CHECK(test::contains(pt, "<html lang=\"pt-BR\">"));
}
