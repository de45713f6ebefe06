// cskpi-demo-gen: creates and fills the demo ERP database.
//   cskpi-demo-gen --backend sqlite3|postgresql --connection STR
//                  [--seed N] [--customers N] [--first-date D] [--last-date D]
//   cskpi-demo-gen --backend B --connection STR --apply-day
//                  [--seed N] [--customers N] [--day D] [--stamp TS]
// --last-date defaults to yesterday (UTC). Prints the row counts; with
// --apply-day, what one day of activity did to the existing database.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>

#include <soci/soci.h>

#include "demo_erp.hpp"

namespace {

void usage(std::FILE *out) {
  std::fputs(
      "usage: cskpi-demo-gen --backend sqlite3|postgresql --connection STR\n"
      "                      [--seed N] [--customers N] [--first-date YYYY-MM-DD] [--last-date YYYY-MM-DD]\n"
      "Creates the demo ERP tables (dropping existing ones) and fills them with\n"
      "deterministic data. --connection is a SOCI connection string, e.g.\n"
      "'db=demo.sqlite' or 'dbname=demo host=127.0.0.1'. Defaults: seed 42,\n"
      "2000 customers, 2023-01-01 .. yesterday (UTC).\n"
      "\n"
      "       cskpi-demo-gen --backend B --connection STR --apply-day\n"
      "                      [--seed N] [--customers N] [--day YYYY-MM-DD] [--stamp 'YYYY-MM-DD HH:MM:SS']\n"
      "Applies one day of activity to an existing demo ERP instead (new, edited,\n"
      "cancelled, re-assigned and deleted documents; see hosts/demo/README.md).\n"
      "--customers scales the day (default: the customers in the database),\n"
      "--day dates its documents (default: the day after the latest order),\n"
      "--stamp is the UTC write_date it sets (default: now). Default seed 1.\n",
      out);
}

std::string yesterday_utc() {
  const std::time_t now = std::time(nullptr) - 86400;
  std::tm tm{};
  gmtime_r(&now, &tm);
  char b[16];
  std::strftime(b, sizeof b, "%Y-%m-%d", &tm);
  return b;
}

// --apply-day: one day of activity, then what it did.
int run_day(const std::string &backend, const std::string &connection, const cskpi::demo::DayOptions &day) {
  try {
    const auto t0 = std::chrono::steady_clock::now();
    soci::session db(backend, connection);
    const cskpi::demo::DayStats s = cskpi::demo::apply_demo_day(db, backend, day);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("demo ERP: one day of activity, %s, write_date %s, %.2f s\n", s.day.c_str(), s.stamp.c_str(), secs);
    for (const auto &[what, n] : s.counts) std::printf("%-22s %lld\n", what.c_str(), static_cast<long long>(n));
    for (const auto &[source, keys] : s.touched)
      std::printf("touched %-14s %zu documents\n", source.c_str(), keys.size());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "cskpi-demo-gen: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  std::string backend, connection;
  cskpi::demo::DemoOptions o;
  cskpi::demo::DayOptions day;
  bool apply_day = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "-h" || a == "--help") {
        usage(stdout);
        return 0;
      }
      if (a == "--apply-day") {
        apply_day = true;
        continue;
      }
      if (i + 1 >= argc) throw std::invalid_argument("missing value for " + a);
      const std::string v = argv[++i];
      if (a == "--backend") backend = v;
      else if (a == "--connection") connection = v;
      else if (a == "--seed") o.seed = day.seed = std::stoull(v);
      else if (a == "--customers") o.customers = day.customers = std::stoi(v);
      else if (a == "--day") day.day = v;
      else if (a == "--stamp") day.stamp = v;
      else if (a == "--first-date") o.first_date = v;
      else if (a == "--last-date") o.last_date = v;
      else throw std::invalid_argument("unknown option " + a);
    }
    if (backend.empty() || connection.empty()) throw std::invalid_argument("--backend and --connection are required");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "cskpi-demo-gen: %s\n", e.what());
    usage(stderr);
    return 2;
  }
  if (o.last_date.empty()) o.last_date = yesterday_utc();
  if (apply_day) return run_day(backend, connection, day);

  try {
    const auto t0 = std::chrono::steady_clock::now();
    soci::session db(backend, connection);
    const cskpi::demo::DemoStats s = cskpi::demo::generate_demo_erp(db, backend, o);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("demo ERP: seed %llu, %s .. %s, %.2f s\n", static_cast<unsigned long long>(o.seed),
                o.first_date.c_str(), o.last_date.c_str(), secs);
    std::printf("customers      %lld\n", static_cast<long long>(s.customers));
    std::printf("orders         %lld\n", static_cast<long long>(s.orders));
    std::printf("order_lines    %lld\n", static_cast<long long>(s.order_lines));
    std::printf("invoices       %lld\n", static_cast<long long>(s.invoices));
    std::printf("tickets        %lld\n", static_cast<long long>(s.tickets));
    std::printf("answers        %lld\n", static_cast<long long>(s.answers));
    std::printf("subscriptions  %lld\n", static_cast<long long>(s.subscriptions));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "cskpi-demo-gen: %s\n", e.what());
    return 1;
  }
  return 0;
}
