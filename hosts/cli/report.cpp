#include "report.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <vector>

#include <boost/json.hpp>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "demo_erp.hpp"
#include "result_view.hpp"

namespace cli {
namespace json = boost::json;

bool ensure_demo_erp(const DemoRun &run) {
  struct stat st {};
  if (stat(run.db_path.c_str(), &st) == 0) {
    std::printf("using the demo ERP in %s\n", run.db_path.c_str());
    std::fflush(stdout);
    return false;
  }
  cskpi::demo::DemoOptions opt;
  opt.seed = run.seed;
  opt.customers = run.customers;
  // Three years and a bit of history up to as_of.
  opt.first_date = std::to_string(std::stoi(run.as_of.substr(0, 4)) - 3) + "-01-01";
  opt.last_date = run.as_of;
  soci::session db(soci::sqlite3, "db=" + run.db_path);
  auto stats = cskpi::demo::generate_demo_erp(db, "sqlite3", opt);
  std::printf("generated the demo ERP in %s: %lld customers, %lld orders, %lld invoices, %lld tickets, %lld survey answers\n",
              run.db_path.c_str(), static_cast<long long>(stats.customers), static_cast<long long>(stats.orders),
              static_cast<long long>(stats.invoices), static_cast<long long>(stats.tickets),
              static_cast<long long>(stats.answers));
  std::fflush(stdout);  // before the nightly job's progress lines on stderr
  return true;
}

void apply_demo_day(const DemoRun &run) {
  soci::session db(soci::sqlite3, "db=" + run.db_path);
  // Another day each run, the same ones from the same start: seeded by the
  // number of nightly runs so far.
  long long runs = 0;
  soci::indicator none = soci::i_null;
  db << "SELECT count(*) FROM sqlite_master WHERE name = 'cskpi_run'", soci::into(runs);
  if (runs > 0) db << "SELECT count(*) FROM cskpi_run", soci::into(runs, none);
  cskpi::demo::DayOptions opt;
  opt.seed = run.seed + static_cast<std::uint64_t>(runs);
  opt.day = run.as_of;
  const auto day = cskpi::demo::apply_demo_day(db, "sqlite3", opt);
  auto n = [&](const char *what) { return static_cast<long long>(day.counts.count(what) ? day.counts.at(what) : 0); };
  std::printf("one day of activity on %s (write_date %s UTC): %lld new orders, %lld edited, %lld cancelled, "
              "%lld deleted documents, %lld payments, %lld new tickets, %lld survey answers\n",
              day.day.c_str(), day.stamp.c_str(), n("new_orders") + n("backdated_orders"), n("edited_orders"),
              n("cancelled_orders"), n("deleted_documents"), n("payments"), n("new_tickets"), n("answers"));
  std::fflush(stdout);
}

void print_run_mode(const DemoRun &run) {
  soci::session db(soci::sqlite3, "db=" + run.db_path);
  std::string mode, fallback, rows_read;
  soci::indicator fi = soci::i_null, ri = soci::i_null;
  long long id = run.run_id;
  db << "SELECT mode, fallback, rows_read FROM cskpi_run WHERE id = :id", soci::use(id), soci::into(mode),
      soci::into(fallback, fi), soci::into(rows_read, ri);
  std::string read;
  if (ri == soci::i_ok) {
    const json::value per_source = json::parse(rows_read);
    for (const auto &[source, rows] : per_source.as_object())
      read += (read.empty() ? "" : ", ") + std::string(source) + " " + json::serialize(rows);
  }
  std::printf("nightly run %lld: %s%s; rows read: %s\n", id, mode.c_str(),
              fi == soci::i_ok ? (" (" + fallback + ")").c_str() : "", read.empty() ? "-" : read.c_str());
}

std::string demo_config(const DemoRun &run) {
  json::object c{
      {"source", {{"backend", "sqlite3"}, {"connection", "db=" + run.db_path}, {"profile", "demo"}}},
      {"timezone", "America/Sao_Paulo"},
      {"granularity", run.granularity},
      {"sla_hours", {{"urgent", 8}, {"high", 24}, {"default", 72}}},
      {"calendar", {{"holiday_sets", json::array{"BR"}}}},
  };
  return json::serialize(c);
}

namespace {

// Values of segment "all" for the latest complete period and the one before.
struct Headline {
  std::string latest, previous;              // period starts
  std::vector<std::string> kpis;             // in the engine's order
  std::map<std::string, std::optional<double>> now, before;
};

Headline headline(const cskpi_result *r) {
  Headline h;
  int c_kpi = column(r, "kpi"), c_start = column(r, "period_start"), c_seg = column(r, "segment");
  int c_value = column(r, "value"), c_partial = column(r, "partial"), c_prev = column(r, "value_previous");
  std::int64_t rows = cskpi_result_row_count(r);
  for (std::int64_t i = 0; i < rows; ++i)
    if (!cskpi_result_int64(r, i, c_partial)) h.latest = std::max(h.latest, text(r, i, c_start));
  for (std::int64_t i = 0; i < rows; ++i) {
    if (text(r, i, c_seg) != "all" || text(r, i, c_start) != h.latest) continue;
    std::string kpi = text(r, i, c_kpi);
    h.kpis.push_back(kpi);
    h.now[kpi] = number(r, i, c_value);
    h.before[kpi] = number(r, i, c_prev);
  }
  return h;
}

std::string change_text(const std::string &kpi, std::optional<double> now, std::optional<double> before) {
  if (!now || !before) return "";
  double d = *now - *before;
  std::string s = format_value(kpi, d);
  return (d > 0 ? "+" : "") + s;
}

void print_headline(const Headline &h, std::FILE *out, bool markdown) {
  if (markdown) {
    std::fprintf(out, "| KPI | previous period | %s | change |\n|---|---:|---:|---:|\n", h.latest.c_str());
  } else {
    std::fprintf(out, "%-30s %14s %14s %12s\n", "KPI (segment all)", "previous", h.latest.c_str(), "change");
  }
  for (const auto &k : h.kpis) {
    auto now = h.now.at(k), before = h.before.at(k);
    if (markdown)
      std::fprintf(out, "| %s | %s | %s | %s |\n", k.c_str(), format_value(k, before).c_str(), format_value(k, now).c_str(),
                   change_text(k, now, before).c_str());
    else
      std::fprintf(out, "%-30s %14s %14s %12s\n", k.c_str(), format_value(k, before).c_str(), format_value(k, now).c_str(),
                   change_text(k, now, before).c_str());
  }
}

std::map<std::string, int> band_counts(const cskpi_result *health) {
  std::map<std::string, int> counts;
  int c_band = column(health, "band");
  for (std::int64_t i = 0; i < cskpi_result_row_count(health); ++i) ++counts[text(health, i, c_band)];
  return counts;
}

// Rows of a table whose period_start is `period`.
std::vector<std::int64_t> rows_of_period(const cskpi_result *r, const std::string &period) {
  std::vector<std::int64_t> rows;
  int c_start = column(r, "period_start");
  for (std::int64_t i = 0; i < cskpi_result_row_count(r); ++i)
    if (text(r, i, c_start) == period) rows.push_back(i);
  return rows;
}

void print_health(const cskpi_result *health, std::FILE *out) {
  auto counts = band_counts(health);
  std::fprintf(out, "customers active on as_of: %lld — healthy %d, attention %d, at risk %d\n",
               static_cast<long long>(cskpi_result_row_count(health)), counts["healthy"], counts["attention"],
               counts["at_risk"]);
  int c_id = column(health, "customer_id"), c_score = column(health, "score"), c_seg = column(health, "segment");
  std::fprintf(out, "most at risk:\n");
  for (std::int64_t i = 0; i < std::min<std::int64_t>(5, cskpi_result_row_count(health)); ++i)
    std::fprintf(out, "  %-14s %-12s score %5.1f\n", text(health, i, c_id).c_str(), text(health, i, c_seg).c_str(),
                 cskpi_result_double(health, i, c_score));
}

void print_breakdown(const cskpi_result *tb, const std::string &period, std::FILE *out) {
  int c_dim = column(tb, "dimension"), c_val = column(tb, "value"), c_n = column(tb, "tickets_opened");
  int c_share = column(tb, "share"), c_prev = column(tb, "tickets_opened_previous");
  std::fprintf(out, "tickets opened in %s by category and channel:\n", period.c_str());
  for (auto i : rows_of_period(tb, period))
    std::fprintf(out, "  %-9s %-16s %5lld  %5.1f%%  (previous %lld)\n", text(tb, i, c_dim).c_str(),
                 text(tb, i, c_val).c_str(), static_cast<long long>(cskpi_result_int64(tb, i, c_n)),
                 cskpi_result_double(tb, i, c_share) * 100, static_cast<long long>(cskpi_result_int64(tb, i, c_prev)));
}

void write_report(cskpi_engine *engine, const DemoRun &run, const Headline &h, const cskpi_result *health,
                  const cskpi_result *tb) {
  std::FILE *out = std::fopen(run.report_path.c_str(), "w");
  if (!out) throw std::runtime_error("cannot write " + run.report_path);
  std::fprintf(out, "# cskpi report — demo ERP, as of %s\n\nSource: `%s` (profile `demo`), granularity %s.\n\n",
               run.as_of.c_str(), run.db_path.c_str(), run.granularity.c_str());
  std::fprintf(out, "## KPIs, segment all\n\n");
  print_headline(h, out, true);
  std::fprintf(out, "\n## Customer health\n\n```\n");
  print_health(health, out);
  std::fprintf(out, "```\n\n## Ticket breakdown\n\n```\n");
  print_breakdown(tb, h.latest, out);
  auto detractors = compute(engine, R"({"table":"detractor_followups","as_of":")" + run.as_of + R"("})");
  std::fprintf(out, "```\n\n## Detractors to call back (%lld)\n\n```\n%s```\n",
               static_cast<long long>(cskpi_result_row_count(detractors.get())),
               render_table(detractors.get(), 20).c_str());
  auto quality = compute(engine, R"({"table":"data_quality","as_of":")" + run.as_of + R"("})");
  std::fprintf(out, "\n## Data quality\n\n```\n%s```\n", render_table(quality.get()).c_str());
  std::fclose(out);
}

}  // namespace

void print_demo(cskpi_engine *engine, const DemoRun &run) {
  std::string base = R"({"as_of":")" + run.as_of + R"(","granularity":")" + run.granularity + R"(")";
  auto kpis = compute(engine, base + R"(,"table":"kpis"})");
  Headline h = headline(kpis.get());
  print_headline(h, stdout, false);
  auto health = compute(engine, base + R"(,"table":"health"})");
  std::printf("\n");
  print_health(health.get(), stdout);
  auto tb = compute(engine, base + R"(,"table":"ticket_breakdown"})");
  std::printf("\n");
  print_breakdown(tb.get(), h.latest, stdout);
  write_report(engine, run, h, health.get(), tb.get());
  std::printf("\nreport written to %s\n", run.report_path.c_str());
  json::object options{{"as_of", run.as_of}, {"granularity", run.granularity}, {"lang", run.lang}, {"run_id", run.run_id}};
  write_text(run.html_path, report_html(engine, json::serialize(options)));
  std::printf("HTML report written to %s (open it in a browser)\n", run.html_path.c_str());
}

}  // namespace cli
