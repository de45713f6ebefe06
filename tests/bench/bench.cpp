// cskpi-bench: full compute over a generated demo ERP, from SQLite and from
// PostgreSQL, through the C ABI. Each measurement runs in a forked child so
// its peak RSS and CPU time are its own (wait4 rusage); the generator's memory
// never counts (after generating, cskpi-bench re-executes itself to measure).
//
//   cskpi-bench [--customers N] [--seed N] [--dir DIR] [--pg CONNINFO] [--repeat N]
//               [--only sqlite3|postgresql] [--generate-only | --no-generate]
//               [--print-config sqlite3|postgresql] [--parallel-reads 1|2]
//
// The demo ERP is generated once per (size, seed) and reused on later runs.
// Results: one line per run on stdout, and a Markdown table row for
// docs/performance.md. --generate-only prepares the data and measures
// nothing; --no-generate measures data prepared before (it fails if the
// SQLite file is missing and does not look at the PostgreSQL database
// itself); --only measures one backend; --print-config prints the engine
// configuration it would use (for `cskpi compute --config`) and exits;
// --parallel-reads sets the PostgreSQL source's "parallel_reads" (default:
// the engine's, two connections). tests/bench/run.sh uses these to time
// cskpi among its peers.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "cskpi.h"
#include "demo_erp.hpp"

namespace json = boost::json;

namespace {

struct Options {
  int customers = 10000;
  std::uint64_t seed = 42;
  std::string dir = "bench-data";
  std::string pg;  // empty: SQLite only
  int repeat = 1;
  std::string only;  // empty: both backends
  std::string print_config;
  int parallel_reads = 0;  // 0: the engine's default
  bool generate = true, measure = true;
};

struct Measure {
  double wall_s = 0, cpu_s = 0;
  long peak_rss_kb = 0;
  long long rows = 0;
  double load_s = 0, compute_s = 0;  // parts of wall_s, timed in the child
  bool ok = false;
};

// The demo ERP runs up to this day (DemoOptions::last_date below).
const char *const kAsOf = "2025-12-31";

const char *kTables[] = {"kpis", "cohort_retention", "cohort_revenue", "ticket_breakdown",
                         "health", "detractor_followups", "data_quality"};

std::string config_for(const std::string &backend, const std::string &conn, const std::string &as_of,
                       int parallel_reads = 0) {
  json::object source{{"backend", backend}, {"connection", conn}, {"profile", "demo"}};
  if (parallel_reads > 0) source["parallel_reads"] = parallel_reads;
  json::object c{{"source", source},
                 {"as_of", as_of},
                 {"timezone", "America/Sao_Paulo"},
                 {"sla_hours", {{"urgent", 8}, {"default", 72}}},
                 {"calendar", {{"holiday_sets", json::array{"BR"}}}}};
  return json::serialize(c);
}

// What the child reports back through the pipe.
struct ChildReport {
  long long rows = -1;                // rows read (from the "sources" table); -1 on failure
  double load_s = 0, compute_s = 0;   // reading the source / computing every table
};

// The child's resident memory now and at its peak so far, in MB (Linux
// /proc/self/status; 0 where unavailable): printed after the load and after
// each table, so the log shows which step sets the peak.
void print_memory(const char *after) {
  long rss_kb = 0, hwm_kb = 0;
  if (FILE *f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      std::sscanf(line, "VmRSS: %ld kB", &rss_kb);
      std::sscanf(line, "VmHWM: %ld kB", &hwm_kb);
    }
    std::fclose(f);
  }
  std::fprintf(stderr, "memory after %-20s rss=%7.1fMB peak=%7.1fMB\n", after, static_cast<double>(rss_kb) / 1024,
               static_cast<double>(hwm_kb) / 1024);
}

// Runs in the child: reads the source (the "sources" table needs the model
// and nothing more), then every table, month granularity, all segments,
// from the model the engine keeps.
ChildReport compute_everything(const std::string &config) {
  ChildReport rep;
  cskpi_engine *e = nullptr;
  if (cskpi_engine_open(config.c_str(), &e) != CSKPI_OK) {
    std::fprintf(stderr, "open: %s\n", cskpi_last_error());
    return rep;
  }
  auto t0 = std::chrono::steady_clock::now();
  cskpi_result *s = nullptr;
  if (cskpi_compute(e, R"({"table":"sources"})", &s) != CSKPI_OK) {
    std::fprintf(stderr, "compute sources: %s\n", cskpi_engine_error(e));
    cskpi_engine_close(e);
    return rep;
  }
  auto t1 = std::chrono::steady_clock::now();
  long long rows = 0;
  int32_t col = -1;
  for (int32_t c = 0; c < cskpi_result_column_count(s); ++c)
    if (std::strcmp(cskpi_result_column_name(s, c), "rows_read") == 0) col = c;
  for (int64_t i = 0; i < cskpi_result_row_count(s); ++i) rows += cskpi_result_int64(s, i, col);
  cskpi_result_free(s);
  print_memory("load");
  for (const char *t : kTables) {
    cskpi_result *r = nullptr;
    std::string req = std::string(R"({"granularity":"month","table":")") + t + "\"}";
    if (cskpi_compute(e, req.c_str(), &r) != CSKPI_OK) {
      std::fprintf(stderr, "compute %s: %s\n", t, cskpi_engine_error(e));
      cskpi_engine_close(e);
      return rep;
    }
    cskpi_result_free(r);
    print_memory(t);
  }
  auto t2 = std::chrono::steady_clock::now();
  cskpi_engine_close(e);
  rep.rows = rows;
  rep.load_s = std::chrono::duration<double>(t1 - t0).count();
  rep.compute_s = std::chrono::duration<double>(t2 - t1).count();
  return rep;
}

Measure measure(const std::string &config) {
  int fd[2];
  if (pipe(fd) != 0) return {};
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    ChildReport rep = compute_everything(config);
    if (write(fd[1], &rep, sizeof rep) != sizeof rep) _exit(3);
    _exit(rep.rows < 0 ? 1 : 0);
  }
  close(fd[1]);
  ChildReport rep;
  if (read(fd[0], &rep, sizeof rep) != sizeof rep) rep.rows = -1;
  close(fd[0]);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  Measure m;
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  m.peak_rss_kb = ru.ru_maxrss;
  m.rows = rep.rows;
  m.load_s = rep.load_s;
  m.compute_s = rep.compute_s;
  m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && rep.rows >= 0;
  return m;
}

bool exists(const std::string &path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

cskpi::demo::DemoOptions demo_options(const Options &o) {
  cskpi::demo::DemoOptions d;
  d.seed = o.seed;
  d.customers = o.customers;
  d.first_date = "2023-01-01";
  d.last_date = kAsOf;
  return d;
}

void print_stats(const cskpi::demo::DemoStats &s) {
  std::printf("demo ERP: customers=%lld orders=%lld order_lines=%lld invoices=%lld tickets=%lld answers=%lld "
              "subscriptions=%lld\n",
              static_cast<long long>(s.customers), static_cast<long long>(s.orders),
              static_cast<long long>(s.order_lines), static_cast<long long>(s.invoices),
              static_cast<long long>(s.tickets), static_cast<long long>(s.answers),
              static_cast<long long>(s.subscriptions));
}

// Names the demo schema in the cached data's names and markers: data
// generated before a schema change (the change columns, say) is generated
// again instead of being read with the new profile.
std::string schema_tag() {
  return std::to_string(std::hash<std::string>{}(cskpi::demo::demo_schema_sql()) % 1000000007);
}

std::string sqlite_path(const Options &o) {
  return o.dir + "/demo-" + std::to_string(o.customers) + "-" + std::to_string(o.seed) + "-" + schema_tag() + ".sqlite";
}

std::string prepare_sqlite(const Options &o) {
  mkdir(o.dir.c_str(), 0755);
  std::string path = sqlite_path(o);
  if (!o.generate) {
    if (!exists(path)) throw std::runtime_error(path + " does not exist (run without --no-generate first)");
    return "db=" + path;
  }
  if (!exists(path)) {
    auto t0 = std::chrono::steady_clock::now();
    std::string tmp = path + ".tmp";
    std::remove(tmp.c_str());
    {
      soci::session db(soci::sqlite3, "db=" + tmp);
      print_stats(cskpi::demo::generate_demo_erp(db, "sqlite3", demo_options(o)));
    }
    std::rename(tmp.c_str(), path.c_str());
    std::printf("generated %s in %.1f s\n", path.c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return "db=" + path;
}

// Generates into the given PostgreSQL database unless it already holds this
// size (marked in a one-row table).
std::string prepare_pg(const Options &o) {
  soci::session db(soci::postgresql, o.pg);
  std::string marker = std::to_string(o.customers) + "-" + std::to_string(o.seed) + "-" + schema_tag();
  std::string have;
  soci::indicator ind = soci::i_null;
  try {
    db << "select marker from cskpi_bench_marker", soci::into(have, ind);
  } catch (const std::exception &) {
  }
  if (ind == soci::i_ok && have == marker) return o.pg;
  auto t0 = std::chrono::steady_clock::now();
  db << "drop schema public cascade";
  db << "create schema public";
  print_stats(cskpi::demo::generate_demo_erp(db, "postgresql", demo_options(o)));
  db << "create table cskpi_bench_marker(marker text)";
  db << "insert into cskpi_bench_marker values (:m)", soci::use(marker);
  db << "analyze";
  std::printf("generated the PostgreSQL demo ERP in %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return o.pg;
}

void report(const char *backend, const Options &o, const Measure &m) {
  std::printf("%-10s customers=%d rows_read=%lld wall=%.2fs (load %.2fs, compute %.2fs) cpu=%.2fs rows/s=%.0f "
              "peak_rss=%.1fMB %s\n",
              backend, o.customers, m.rows, m.wall_s, m.load_s, m.compute_s, m.cpu_s,
              m.wall_s > 0 ? static_cast<double>(m.rows) / m.wall_s : 0.0, static_cast<double>(m.peak_rss_kb) / 1024.0,
              m.ok ? "ok" : "FAILED");
  // | backend | customers | rows read | wall s | load s | compute s | CPU s | rows/s | peak RSS MB |
  std::printf("| %s | %d | %lld | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f |\n", backend, o.customers, m.rows, m.wall_s,
              m.load_s, m.compute_s, m.cpu_s, m.wall_s > 0 ? static_cast<double>(m.rows) / m.wall_s : 0.0,
              static_cast<double>(m.peak_rss_kb) / 1024.0);
}

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--generate-only") {
      o.measure = false;
      continue;
    }
    if (k == "--no-generate") {
      o.generate = false;
      continue;
    }
    if (i + 1 == argc) throw std::runtime_error("option " + k + " needs a value");
    std::string v = argv[++i];
    if (k == "--customers") o.customers = std::stoi(v);
    else if (k == "--seed") o.seed = std::stoull(v);
    else if (k == "--dir") o.dir = v;
    else if (k == "--pg") o.pg = v;
    else if (k == "--repeat") o.repeat = std::stoi(v);
    else if (k == "--only") o.only = v == "sqlite" ? "sqlite3" : v;
    else if (k == "--print-config") o.print_config = v == "sqlite" ? "sqlite3" : v;
    else if (k == "--parallel-reads") o.parallel_reads = std::stoi(v);
    else throw std::runtime_error("unknown option " + k);
  }
  if (!o.only.empty() && o.only != "sqlite3" && o.only != "postgresql")
    throw std::runtime_error("--only takes sqlite3 or postgresql");
  if (o.only == "postgresql" && o.pg.empty()) throw std::runtime_error("--only postgresql needs --pg");
  if (!o.generate && !o.measure) throw std::runtime_error("--generate-only and --no-generate exclude each other");
  return o;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    Options o = parse(argc, argv);
    if (!o.print_config.empty()) {
      std::string conn = o.print_config == "postgresql" ? o.pg : "db=" + sqlite_path(o);
      std::printf("%s\n", config_for(o.print_config, conn, kAsOf).c_str());
      return 0;
    }
    bool sqlite = o.only.empty() || o.only == "sqlite3";
    bool pg = !o.pg.empty() && (o.only.empty() || o.only == "postgresql");
    // Generating prepares both stores, whatever --only says.
    std::string sqlite_conn = o.generate || sqlite ? prepare_sqlite(o) : "";
    std::string pg_conn = o.pg.empty() ? "" : o.generate ? prepare_pg(o) : o.pg;
    if (!o.measure) return 0;
    if (o.generate) {
      // Measure from a fresh process: a forked child starts with its
      // parent's resident pages, so after generating in this process they
      // would count in the child's peak RSS.
      std::vector<char *> args(argv, argv + argc);
      std::string no_generate = "--no-generate";
      args.push_back(no_generate.data());
      args.push_back(nullptr);
      std::fflush(stdout);
      execv("/proc/self/exe", args.data());
      std::fprintf(stderr, "cskpi-bench: exec: %s\n", std::strerror(errno));
      return 1;
    }
    bool ok = true;
    // Alternate the contenders so drift on the machine hits both alike.
    for (int r = 0; r < o.repeat; ++r) {
      if (sqlite) {
        Measure s = measure(config_for("sqlite3", sqlite_conn, kAsOf));
        report("sqlite3", o, s);
        ok = ok && s.ok;
      }
      if (pg) {
        Measure p = measure(config_for("postgresql", pg_conn, kAsOf, o.parallel_reads));
        report("postgresql", o, p);
        ok = ok && p.ok;
      }
    }
    return ok ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "cskpi-bench: %s\n", e.what());
    return 1;
  }
}
