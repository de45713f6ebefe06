// The engine behind one cskpi_engine handle: a configured source, the model
// read from it (cached per as_of) and the computation of every table.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/dataset.hpp"
#include "core/kpi_results.hpp"
#include "core/settings.hpp"
#include "core/table.hpp"
#include "source/profile_check.hpp"  // profile_check_table

namespace cskpi {

struct ModelLoad;  // source/loader.hpp

struct Activity;

// What one cskpi_compute call asks for (request JSON, see abi/cskpi.h).
struct Request {
  std::string table = "kpis";
  Day as_of = kNoDay;                       // kNoDay: the configured one or yesterday
  std::optional<Granularity> granularity;   // default: the configured one
  Day from = kNoDay, to = kNoDay;           // narrow the reported periods
  bool reload = false;
  std::int64_t limit = 1000;                // profile_check: rows read per source
};
Request parse_request(const std::string &json_text);  // throws ConfigError

// The tables a request may ask for: engine/table_registry.hpp.

class Engine {
 public:
  using LogFn = std::function<void(int level, const std::string &message)>;
  // Returns false to cancel.
  using ProgressFn = std::function<bool(const std::string &phase, std::int64_t done, std::int64_t total)>;

  explicit Engine(Settings settings);
  ~Engine();

  const Settings &settings() const { return settings_; }
  void set_log(LogFn fn) { log_ = std::move(fn); }
  void set_progress(ProgressFn fn) { progress_ = std::move(fn); }
  void log(int level, const std::string &message) const;
  // Reports progress; throws CancelledError when the host asks to stop.
  void progress(const std::string &phase, std::int64_t done, std::int64_t total) const;

  // The model read from the source for as_of (read once, then cached).
  // `through`: read through the nightly job's saved model (source/loader.hpp),
  // never from the cache.
  const Dataset &dataset(Day as_of, bool reload = false, ModelLoad *through = nullptr);
  // One table of a request.
  Table compute(const Request &request);
  // Every period KPI for a granularity, as matrices.
  KpiResults compute_kpis(const Dataset &data, Granularity g);
  // A table of the registry (engine/table_registry.hpp) for a granularity;
  // [from, to] narrows the periods of "kpis". Throws NotFoundError for an
  // unknown name. A table with input source ignores data.
  Table compute_table(const Dataset &data, Granularity g, const std::string &name, Day from = kNoDay,
                      Day to = kNoDay);

 private:
  Settings settings_;
  LogFn log_;
  ProgressFn progress_;
  std::unique_ptr<Dataset> cached_;
  // What every table derives from the cached dataset: its activity spells
  // and the period grid of each granularity asked for. A run asks for every
  // table (the nightly job, the benchmark), so they are computed once per
  // dataset and dropped with it.
  struct Derived;
  Derived &derived(const Dataset &data, std::unique_ptr<Derived> &scratch);
  std::unique_ptr<Derived> derived_;
};

// The long form of the period KPIs (one row per kpi, period, segment) with
// the comparisons of docs/kpis.md §2.3; periods outside [from, to] are left out.
inline constexpr ColumnSpec kKpisColumns[] = {
    col::text("kpi", col::not_null), col::text("granularity", col::not_null),
    col::date("period_start", col::not_null), col::text("segment", col::not_null),
    col::real("value"), col::boolean("partial", col::not_null),
    col::real("value_previous"), col::real("change_previous"), col::real("change_rate_previous"),
    col::real("value_year_ago"), col::real("change_year_ago"), col::real("change_rate_year_ago")};
inline constexpr TableSchema kKpisTable{"kpis", kKpisColumns};
Table kpi_long_table(const KpiResults &results, Day from = kNoDay, Day to = kNoDay);
// Data-quality findings of a run (docs/kpis.md §11.1).
inline constexpr ColumnSpec kDataQualityColumns[] = {
    col::text("source", col::not_null), col::text("reason", col::not_null), col::int64("rows"), col::text("action")};
inline constexpr TableSchema kDataQualityTable{"data_quality", kDataQualityColumns};
Table data_quality_table(const Dataset &data);
// Rows read per source of the run (docs/kpis.md §11.2).
inline constexpr ColumnSpec kSourcesColumns[] = {col::text("source", col::not_null),
                                                 col::int64("rows_read", col::not_null)};
inline constexpr TableSchema kSourcesTable{"sources", kSourcesColumns};
Table sources_table(const Dataset &data);


}  // namespace cskpi
