#include "engine/engine.hpp"

#include <algorithm>
#include <optional>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <boost/json.hpp>

#include "core/errors.hpp"
#include "engine/table_registry.hpp"
#include "kpi/activity.hpp"
#include "kpi/families.hpp"
#include "kpi/flow.hpp"
#include "incremental/model_file.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "source/profile.hpp"

namespace cskpi {
namespace json = boost::json;

Request parse_request(const std::string &json_text) {
  Request r;
  if (json_text.empty()) return r;
  json::value root;
  try {
    root = json::parse(json_text);
  } catch (const std::exception &e) {
    throw ConfigError(std::string("request is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw ConfigError("request must be a JSON object");
  for (const auto &kv : root.get_object()) {
    std::string key(kv.key());
    const auto &v = kv.value();
    auto text = [&]() {
      if (!v.is_string()) throw ConfigError("request key '" + key + "' must be a string");
      return std::string(v.get_string());
    };
    auto day = [&]() {
      try {
        return parse_day(text());
      } catch (const std::invalid_argument &e) {
        throw ConfigError("request key '" + key + "': " + e.what());
      }
    };
    if (key == "table") r.table = text();
    else if (key == "as_of") r.as_of = day();
    else if (key == "granularity") r.granularity = parse_granularity(text());
    else if (key == "from") r.from = day();
    else if (key == "to") r.to = day();
    else if (key == "reload") {
      if (!v.is_bool()) throw ConfigError("request key 'reload' must be true or false");
      r.reload = v.get_bool();
    } else if (key == "limit") {
      if (!v.is_int64() || v.get_int64() < 1)
        throw ConfigError("request key 'limit' must be a whole number of rows >= 1");
      r.limit = v.get_int64();
    } else {
      throw ConfigError("unknown request key '" + key +
                        "' (known: table, as_of, granularity, from, to, reload, limit)");
    }
  }
  return r;
}

Engine::Engine(Settings settings) : settings_(std::move(settings)) {}
Engine::~Engine() = default;

void Engine::log(int level, const std::string &message) const {
  if (log_) log_(level, message);
}

void Engine::progress(const std::string &phase, std::int64_t done, std::int64_t total) const {
  if (progress_ && !progress_(phase, done, total)) throw CancelledError("cancelled by the progress callback during " + phase);
}

const Dataset &Engine::dataset(Day as_of, bool reload, ModelLoad *through) {
  if (cached_ && cached_->as_of == as_of && !reload && !through) return *cached_;
  derived_.reset();  // first: a new dataset may reuse the old one's address
  cached_.reset();
  const auto &src = settings_.source;
  Profile profile = load_profile(src.profile, src.backend, {.parameters = settings_.source_parameters});
  log(1, "reading " + src.backend + " source with profile '" + profile.name + "' as of " + format_day(as_of));
  auto db = open_session(src);
  // A profile with change capture is always read through the raw rows, in
  // their canonical order (docs/nightly.md "Incremental runs"), also when
  // nothing is saved: compute and the nightly snapshot then see the same
  // Dataset, sums in the same order.
  incremental::Model transient;
  ModelLoad read_in_order{&transient, false, 0};
  if (!through && !profile.changes.empty() && src.backend != dialect_name(Dialect::mysql)) through = &read_in_order;
  LoadHooks hooks;
  hooks.progress = [this](const std::string &source, std::int64_t rows) {
    progress("read:" + source, rows, -1);
    return true;
  };
  // A second connection reads some sources in the same snapshot, where the
  // dialect can share one (PostgreSQL; the loader reads on one otherwise).
  if (settings_.source_parallel_reads > 1 && !through) {
    hooks.second_session = [&src] { return open_session(src); };
    hooks.log = [this](const std::string &message) { log(2, message); };
  }
  cached_ = std::make_unique<Dataset>(load_dataset(*db, src.backend, profile, settings_, as_of, hooks, through));
#ifdef __GLIBC__
  // The load's scratch (chunk buffers, id lookups, vectors outgrown while
  // the model grew) sits in free heap chunks: give those pages back before
  // the computation needs its own working memory.
  malloc_trim(0);
#endif
  for (const auto &[source, rows] : cached_->rows_read) log(1, "read " + std::to_string(rows) + " rows from " + source);
  return *cached_;
}

namespace {

std::vector<std::string> slot_names(const Dataset &data) {
  std::vector<std::string> names{"all"};
  for (const auto &n : data.segments.names()) names.push_back(n);
  return names;
}

Activity activity_for(const Dataset &data, const Settings &s) {
  return s.activity_mode == ActivityMode::subscriptions ? Activity::from_subscriptions(data)
                                                        : Activity::from_orders(data, s.inactivity_days);
}

}  // namespace

struct Engine::Derived {
  Derived(const Dataset &d, const Settings &s) : data(d), settings(s), activity(activity_for(d, s)) {}
  const PeriodGrid &grid(Granularity g) {
    for (const auto &[k, grid] : grids)
      if (k == g) return *grid;
    return *grids.emplace_back(g, std::make_unique<PeriodGrid>(g, data.first_day, data.as_of)).second;
  }
  // The §3 counts of a granularity's grid, shared by the KPI families.
  const FlowCounts &flow(Granularity g) {
    for (const auto &[k, counts] : flows)
      if (k == g) return *counts;
    KpiContext ctx{data, settings, grid(g), activity};
    return *flows.emplace_back(g, std::make_unique<FlowCounts>(count_flow(ctx, 1 + data.segments.size()))).second;
  }
  const Dataset &data;
  const Settings &settings;
  const Activity activity;  // the activity mode and window do not depend on the granularity
  std::vector<std::pair<Granularity, std::unique_ptr<PeriodGrid>>> grids;
  std::vector<std::pair<Granularity, std::unique_ptr<FlowCounts>>> flows;
};

// The cache when data is the cached dataset; otherwise (a dataset of the
// caller's) computed into scratch.
Engine::Derived &Engine::derived(const Dataset &data, std::unique_ptr<Derived> &scratch) {
  if (&data == cached_.get()) {
    if (!derived_) derived_ = std::make_unique<Derived>(data, settings_);
    return *derived_;
  }
  scratch = std::make_unique<Derived>(data, settings_);
  return *scratch;
}

KpiResults Engine::compute_kpis(const Dataset &data, Granularity g) {
  Settings s = settings_;
  s.granularity = g;
  std::unique_ptr<Derived> scratch;
  Derived &d = derived(data, scratch);
  const PeriodGrid &grid = d.grid(g);
  KpiContext ctx{data, s, grid, d.activity, &d.flow(g)};
  KpiResults out(grid, slot_names(data));
  run_kpi_families(ctx, out);  // in the dependency order kpi/families.cpp declares
  return out;
}

Table Engine::compute_table(const Dataset &data, Granularity g, const std::string &name, Day from, Day to) {
  const TableDecl &table = require_table(name);
  Settings s = settings_;
  s.granularity = g;
  TableCall call{.settings = s, .as_of = data.as_of, .data = &data, .from = from, .to = to, .limit = Request{}.limit};
  // Prepare what the table reads, nothing more.
  std::unique_ptr<Derived> scratch;
  std::optional<KpiContext> ctx;
  std::optional<KpiResults> kpis;
  if (table.input == TableInput::kpi_context) {
    Derived &d = derived(data, scratch);
    ctx.emplace(KpiContext{data, s, d.grid(g), d.activity});  // braces: clang 14 has no parenthesized aggregate init
    call.ctx = &*ctx;
  } else if (table.input == TableInput::kpi_results) {
    kpis.emplace(compute_kpis(data, g));
    call.kpis = &*kpis;
  }
  return table.compute(call);
}

Table Engine::compute(const Request &request) {
  const Day as_of = resolve_as_of(settings_, request.as_of);
  Granularity g = request.granularity.value_or(settings_.granularity);
  // Fail on a bad table name before reading anything.
  const TableDecl &table = require_table(request.table);
  if (table.input == TableInput::source)
    return table.compute(TableCall{.settings = settings_, .as_of = as_of, .limit = request.limit});
  const Dataset &data = dataset(as_of, request.reload);
  progress("compute", 0, 1);
  Table t = compute_table(data, g, request.table, request.from, request.to);
  progress("compute", 1, 1);
  return t;
}

}  // namespace cskpi
