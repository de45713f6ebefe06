// cskpi-report-bench: the report's rendering time (docs/performance.md "The
// report"). On a generated demo ERP (the same files as cskpi-bench), the model
// is read and every table the report needs is computed once (timed apart),
// then the page is rendered for every segment, `--repeat` times; the best
// time per segment is printed. Timings are printed, never asserted.
//
//   cskpi-report-bench [--customers N] [--seed N] [--dir DIR] [--repeat N]
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "demo_erp.hpp"
#include "engine/engine.hpp"
#include "report/html.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

const char *const kAsOf = "2025-12-31";  // as cskpi-bench: 36 months of data

void describe_machine() {
  utsname u{};
  uname(&u);
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf("machine: %s %s, %ld cores; date %s; load average %.2f %.2f %.2f\n", u.sysname, u.release,
              sysconf(_SC_NPROCESSORS_ONLN), date, load[0], load[1], load[2]);
}

}  // namespace

int main(int argc, char **argv) {
  int customers = 100000, repeat = 3;
  std::uint64_t seed = 42;
  std::string dir = "bench-data";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--customers") customers = std::stoi(v);
    else if (k == "--seed") seed = std::stoull(v);
    else if (k == "--dir") dir = v;
    else if (k == "--repeat") repeat = std::max(1, std::stoi(v));
    else return std::fprintf(stderr, "unknown option %s\n", k.c_str()), 2;
  }
  mkdir(dir.c_str(), 0755);
  const std::string path = dir + "/demo-" + std::to_string(customers) + "-" + std::to_string(seed) + ".sqlite";
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    const auto t = Clock::now();
    soci::session db(soci::sqlite3, "db=" + path);
    cskpi::demo::DemoOptions o;
    o.seed = seed;
    o.customers = customers;
    o.first_date = "2023-01-01";
    o.last_date = kAsOf;
    cskpi::demo::generate_demo_erp(db, "sqlite3", o);
    std::printf("generated %s in %.1f s\n", path.c_str(), since(t));
  }
  describe_machine();
  cskpi::Engine engine(cskpi::parse_settings(
      R"({"source":{"backend":"sqlite3","connection":"db=)" + path +
      R"(","profile":"demo"},"timezone":"America/Sao_Paulo","sla_hours":{"urgent":8,"default":72},"calendar":{"holiday_sets":["BR"]}})"));
  auto t = Clock::now();
  engine.dataset(cskpi::parse_day(kAsOf));
  std::printf("read the model: %.2f s\n", since(t));
  t = Clock::now();
  const cskpi::report::ReportData data =
      cskpi::report::collect_report_data(engine, cskpi::parse_day(kAsOf), cskpi::Granularity::month);
  std::printf("computed the report's tables (kpis, customer_movements: %zu rows, health: %zu rows, ...): %.2f s\n",
              data.movements.row_count(), data.health.row_count(), since(t));
  double total = 0;
  std::size_t bytes = 0;
  for (const std::string &segment : data.kpis.slot_names()) {
    double best = 1e9;
    for (int r = 0; r < repeat; ++r) {
      cskpi::report::ReportOptions o;
      o.segment = segment;
      o.lang = r % 2 ? cskpi::report::Lang::pt_br : cskpi::report::Lang::en;
      const auto t0 = Clock::now();
      bytes = cskpi::report::render_html(data, o).size();
      best = std::min(best, since(t0));
    }
    total += best;
    std::printf("render %-12s %7.1f ms  (%zu KB)\n", segment.c_str(), best * 1e3, bytes / 1024);
  }
  std::printf("render every segment (%zu): %.1f ms, %d customers, %zu periods\n", data.kpis.slots(), total * 1e3,
              customers, data.kpis.grid().size());
  return 0;
}
