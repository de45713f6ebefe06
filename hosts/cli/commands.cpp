#include "commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "export.hpp"
#include "report.hpp"
#include "result_view.hpp"

namespace cli {
namespace json = boost::json;

Options parse_options(const std::vector<std::string> &args, const std::vector<std::string> &with_value,
                      const std::vector<std::string> &flags) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
    std::string name = a.substr(2);
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      o.values[name] = "1";
    } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
      if (i + 1 >= args.size()) throw UsageError("option " + a + " needs a value");
      o.values[name] = args[++i];
    } else {
      throw UsageError("unknown option " + a);
    }
  }
  return o;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int exit_code(int status) {
  switch (status) {
    case CSKPI_OK: return 0;
    case CSKPI_CONFIG:
    case CSKPI_MISUSE:
    case CSKPI_NOT_FOUND: return 2;
    case CSKPI_PROFILE: return 3;
    case CSKPI_SOURCE: return 4;
    case CSKPI_BUSY: return 5;
    case CSKPI_CANCELLED: return 6;
    default: return 1;
  }
}

namespace {

// Progress on stderr: a redrawn bar on a terminal, plain lines otherwise
// (cron mails, systemd journal).
struct ProgressPrinter {
  bool tty = isatty(fileno(stderr)) != 0;
  std::string last_phase;

  static int callback(void *user, const char *phase, int64_t done, int64_t total) {
    static_cast<ProgressPrinter *>(user)->show(phase, done, total);
    return 0;
  }

  void show(const std::string &phase, int64_t done, int64_t total) {
    if (tty) {
      std::string bar;
      if (total > 0) {
        int filled = static_cast<int>(30 * std::min<int64_t>(done, total) / total);
        bar = "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(30 - filled), ' ') + "] ";
      }
      std::fprintf(stderr, "\r\033[K%-22s %s%lld%s", phase.c_str(), bar.c_str(), static_cast<long long>(done),
                   total > 0 ? ("/" + std::to_string(total)).c_str() : " rows");
      std::fflush(stderr);
    } else if (phase != last_phase) {
      std::fprintf(stderr, "cskpi: %s\n", phase.c_str());
    }
    last_phase = phase;
  }
  void finish() {
    if (tty && !last_phase.empty()) std::fputs("\r\033[K", stderr);
  }
};

void log_to_stderr(void *, int level, const char *message) {
  if (level >= CSKPI_LOG_WARNING) std::fprintf(stderr, "cskpi: %s\n", message);
}

std::string request_json(const Options &o, const std::string &table) {
  json::object r;
  r["table"] = table;
  if (o.has("as-of")) r["as_of"] = o.get("as-of");
  if (o.has("granularity")) r["granularity"] = o.get("granularity");
  if (o.has("from")) r["from"] = o.get("from");
  if (o.has("to")) r["to"] = o.get("to");
  return json::serialize(r);
}

// The JSON array of the compute command: the fields first, the
// comparisons (docs/kpis.md §2.3) as extra fields.
void print_json(cskpi_result *r) { std::printf("%s\n", cskpi_result_json(r)); }

ResultPtr run_nightly(cskpi_engine *engine, const std::string &options) {
  ProgressPrinter progress;
  cskpi_engine_set_progress(engine, &ProgressPrinter::callback, &progress);
  cskpi_result *summary = nullptr;
  cskpi_status st = cskpi_nightly(engine, options.c_str(), &summary);
  progress.finish();
  // The message first: any later call on the engine (even clearing the
  // progress callback) replaces it (docs/abi.md).
  std::string error = st == CSKPI_OK ? std::string() : cskpi_engine_error(engine);
  cskpi_engine_set_progress(engine, nullptr, nullptr);
  if (st != CSKPI_OK) throw AbiFailure(st, error);
  return ResultPtr(summary);
}

// --xlsx FILE: the --table given, or every table but profile_check (which
// reads the sources on its own, not the model), one sheet each.
int write_workbook(cskpi_engine *engine, const Options &o) {
  std::vector<std::string> names;
  if (o.has("table")) names.push_back(o.get("table"));
  else
    for (const std::string &n : table_names(engine))
      if (n != "profile_check") names.push_back(n);
  std::vector<ResultPtr> results;
  std::vector<const cskpi_result *> sheets;
  for (const std::string &n : names) {
    results.push_back(compute(engine, request_json(o, n)));
    sheets.push_back(results.back().get());
  }
  write_xlsx(o.get("xlsx"), sheets);
  std::printf("%zu tables written to %s\n", sheets.size(), o.get("xlsx").c_str());
  return 0;
}

std::string yesterday_utc() {
  using namespace std::chrono;
  auto days_now = floor<days>(system_clock::now()).time_since_epoch().count() - 1;
  std::time_t t = static_cast<std::time_t>(days_now) * 86400;
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

}  // namespace

int cmd_compute(const std::vector<std::string> &args) {
  auto o = parse_options(args, {"config", "as-of", "granularity", "table", "from", "to", "xlsx"}, {"json", "csv"});
  if (!o.has("config")) throw UsageError("compute needs --config FILE");
  if (o.has("json") + o.has("csv") + o.has("xlsx") > 1) throw UsageError("--json, --csv and --xlsx exclude each other");
  auto engine = open_engine(read_file(o.get("config")));
  cskpi_engine_set_log(engine.get(), log_to_stderr, nullptr);
  if (o.has("xlsx")) return write_workbook(engine.get(), o);
  auto result = compute(engine.get(), request_json(o, o.get("table", "kpis")));
  if (o.has("json"))
    print_json(result.get());
  else if (o.has("csv"))
    std::fputs(to_csv(result.get()).c_str(), stdout);
  else
    std::fputs(render_table(result.get()).c_str(), stdout);
  return 0;
}

int cmd_nightly(const std::vector<std::string> &args) {
  auto o = parse_options(args, {"config", "as-of", "granularities", "lookback"}, {"full"});
  if (!o.has("config")) throw UsageError("nightly needs --config FILE");
  json::object options;
  if (o.has("full")) options["full"] = true;  // every source read in full (docs/nightly.md "Incremental runs")
  if (o.has("as-of")) options["as_of"] = o.get("as-of");
  if (o.has("granularities")) {
    json::array g;
    std::stringstream list(o.get("granularities"));
    for (std::string item; std::getline(list, item, ',');) g.push_back(json::string(item));
    options["granularities"] = g;
  }
  if (o.has("lookback")) {
    try {
      options["lookback_periods"] = std::stoll(o.get("lookback"));
    } catch (const std::exception &) {
      throw UsageError("--lookback needs a whole number");
    }
  }
  auto engine = open_engine(read_file(o.get("config")));
  cskpi_engine_set_log(engine.get(), log_to_stderr, nullptr);
  auto summary = run_nightly(engine.get(), json::serialize(options));
  std::fputs(render_table(summary.get()).c_str(), stdout);
  return 0;
}

int cmd_report(const std::vector<std::string> &args) {
  auto o = parse_options(args, {"config", "as-of", "granularity", "segment", "lang", "out", "run-id"}, {});
  if (!o.has("config")) throw UsageError("report needs --config FILE");
  if (!o.has("out")) throw UsageError("report needs --out FILE (the HTML file to write)");
  json::object options;
  if (o.has("as-of")) options["as_of"] = o.get("as-of");
  if (o.has("granularity")) options["granularity"] = o.get("granularity");
  if (o.has("segment")) options["segment"] = o.get("segment");
  if (o.has("lang")) options["lang"] = o.get("lang");
  if (o.has("run-id")) {
    try {
      options["run_id"] = std::stoll(o.get("run-id"));
    } catch (const std::exception &) {
      throw UsageError("--run-id needs a whole number");
    }
  }
  auto engine = open_engine(read_file(o.get("config")));
  cskpi_engine_set_log(engine.get(), log_to_stderr, nullptr);
  write_text(o.get("out"), report_html(engine.get(), json::serialize(options)));
  std::printf("report written to %s\n", o.get("out").c_str());
  return 0;
}

int cmd_demo(const std::vector<std::string> &args) {
  auto o = parse_options(args, {"db", "customers", "seed", "as-of", "report", "html", "lang", "granularity"},
                         {"no-activity"});
  DemoRun run;
  run.db_path = o.get("db", "cskpi-demo.sqlite");
  run.report_path = o.get("report", "cskpi-demo-report.md");
  run.html_path = o.get("html", "cskpi-demo-report.html");
  run.lang = o.get("lang", "en");
  run.as_of = o.get("as-of", yesterday_utc());
  run.granularity = o.get("granularity", "month");
  try {
    run.customers = std::stoi(o.get("customers", "2000"));
    run.seed = std::stoull(o.get("seed", "42"));
  } catch (const std::exception &) {
    throw UsageError("--customers and --seed need whole numbers");
  }
  // Every run after the first adds a day of activity, so the quick start's
  // second nightly run is incremental (docs/nightly.md "Incremental runs").
  if (!ensure_demo_erp(run) && !o.has("no-activity")) apply_demo_day(run);
  auto engine = open_engine(demo_config(run));
  cskpi_engine_set_log(engine.get(), log_to_stderr, nullptr);
  json::object options{{"as_of", run.as_of}, {"granularities", json::array{json::string(run.granularity)}}};
  auto summary = run_nightly(engine.get(), json::serialize(options));
  std::printf("nightly run written into %s:\n%s\n", run.db_path.c_str(), render_table(summary.get()).c_str());
  run.run_id = cskpi_result_int64(summary.get(), 0, column(summary.get(), "run_id"));
  print_run_mode(run);
  print_demo(engine.get(), run);
  return 0;
}

}  // namespace cli
