// What the report draws, computed once per (as_of, granularity) — the kpis
// and the tables behind them — and one segment's view of it: the last
// complete period, the one before, a year earlier, and the charts' window.
// Rendering every segment reuses one ReportData (tests/bench measures that).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dataset.hpp"
#include "core/kpi_results.hpp"
#include "core/table.hpp"

namespace cskpi {
class Engine;
}

namespace cskpi::report {

// The revenue movements of the last complete period (customer_movements
// rows), per kind, largest amount first (ties in table order): indexed once
// per ReportData, so that each segment's page takes its top customers from
// these short lists instead of a pass over every period's rows (12M rows at
// 1M customers; docs/performance.md "The report").
struct CurrentMovements {
  std::vector<std::size_t> churned, expansion;
};

struct ReportData {
  explicit ReportData(KpiResults k) : kpis(std::move(k)) {}
  Day as_of = kNoDay;
  Day first_day = kNoDay;  // earliest date in any source
  KpiResults kpis;
  Table movements{std::string("customer_movements")}, cohort_retention{std::string("cohort_retention")},
      cohort_revenue{std::string("cohort_revenue")}, ticket_breakdown{std::string("ticket_breakdown")},
      health{std::string("health")}, detractors{std::string("detractor_followups")},
      quality{std::string("data_quality")};
  // The CLV table when the library has one (table registry name "clv").
  std::optional<Table> clv;
  CurrentMovements current_movements;  // of `movements`, filled by collect_report_data
  SourcePresence present;
  bool revenue_subscriptions = false;  // revenue.mode: mrr_end instead of revenue
  bool activity_subscriptions = false;
  std::string backend, profile;
};

// Reads (or reuses) the engine's model for as_of and computes every table
// the report needs at granularity g.
ReportData collect_report_data(Engine &engine, Day as_of, Granularity g);

// The last complete period of the grid (the report's current one), or -1.
int last_complete_period(const PeriodGrid &g);
// Indexes movements' rows of the period starting on `start`.
CurrentMovements index_current_movements(const Table &movements, Day start);

// The charts show at most this many periods, ending with the last complete one.
inline constexpr std::size_t kWindow = 24;

class SegmentView {
 public:
  // Throws ConfigError for a segment the data does not have and when no
  // period up to as_of is complete (an as_of before the data).
  SegmentView(const ReportData &data, const std::string &segment);

  const ReportData &data() const { return data_; }
  const std::string &segment() const { return segment_; }
  std::size_t slot() const { return slot_; }
  std::size_t current() const { return current_; }
  int previous() const { return current_ > 0 ? static_cast<int>(current_) - 1 : -1; }
  int year_ago() const { return year_ago_; }
  const std::vector<std::size_t> &window() const { return window_; }
  bool has_partial() const { return current_ + 1 < data_.kpis.grid().size(); }

  // The value of kpi in period p (index of the grid; -1 gives null); null
  // when the kpi was not computed.
  double value(const char *kpi, int p) const;
  // The kpi over the window.
  std::vector<double> series(const char *kpi) const;
  // The latest period up to the current one whose `count_kpi` is > 0 (the
  // NPS answers of a twice-a-year campaign), or -1.
  int latest_with(const char *count_kpi) const;
  // Rows of t whose column "segment" is this segment (every row for "all",
  // and every row of a table without a segment column).
  std::vector<std::size_t> rows(const Table &t) const;

 private:
  const ReportData &data_;
  std::string segment_;
  std::size_t slot_ = 0, current_ = 0;
  int year_ago_ = -1;
  std::vector<std::size_t> window_;
};

// Cell readers by column name (null cells: NaN / "" / nullopt).
double real_at(const Table &t, const char *column, std::size_t row);
std::string text_at(const Table &t, const char *column, std::size_t row);
bool is_null_at(const Table &t, const char *column, std::size_t row);

}  // namespace cskpi::report
