#include "nightly/snapshot.hpp"

namespace cskpi {
namespace {

// Engine table -> snapshot table. "kpis" is computed apart (compute_kpis).
struct Mapping {
  const char *table;
  const char *target;
  bool per_granularity;
};
constexpr Mapping kTables[] = {
    {"kpis", "cskpi_kpi_value", true},
    {"cohort_retention", "cskpi_cohort_retention", true},
    {"cohort_revenue", "cskpi_cohort_revenue", true},
    {"ticket_breakdown", "cskpi_ticket_breakdown", true},
    {"detractor_followups", "cskpi_detractor_followup", true},
    {"health", "cskpi_health", false},
    {"data_quality", "cskpi_data_quality", false},
};

// First day of the last n periods of the grid; kNoDay = keep everything.
Day lookback_start(const PeriodGrid &grid, int n) {
  if (n <= 0 || grid.size() <= static_cast<std::size_t>(n)) return kNoDay;
  return grid[grid.size() - static_cast<std::size_t>(n)].start;
}

void copy_cell(Table &out, std::size_t col, const Column &c, std::size_t r) {
  if (c.null[r]) return out.push_null(col);
  switch (c.type) {
    case ColumnType::text:
    case ColumnType::date: out.push_text(col, c.text[r]); break;  // dates are kept as ISO text
    case ColumnType::int64: out.push_int(col, c.ints[r]); break;
    case ColumnType::boolean: out.push_bool(col, c.ints[r] != 0); break;
    case ColumnType::real: out.push_real(col, c.reals[r]); break;
  }
}

// The rows of t whose period_start is on or after from (t itself when it has
// no period_start or from is kNoDay). ISO dates compare as text.
Table rows_from(Table t, Day from) {
  int pc = t.find_column("period_start");
  if (from == kNoDay || pc < 0) return t;
  const std::string first = format_day(from);
  const Column &period = t.column(static_cast<std::size_t>(pc));
  Table out(t.name());
  for (std::size_t i = 0; i < t.column_count(); ++i) out.add_column(t.column(i).name, t.column(i).type);
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (period.null[r] || period.text[r] < first) continue;
    for (std::size_t i = 0; i < t.column_count(); ++i) copy_cell(out, i, t.column(i), r);
  }
  return out;
}

class Builder {
 public:
  Builder(Engine &engine, std::size_t total) : engine_(engine), total_(static_cast<std::int64_t>(total)) {
    engine_.progress("compute", 0, total_);
  }
  void add(const Mapping &m, Granularity g, Table t) {
    std::string gran = m.per_granularity && t.find_column("granularity") < 0 ? granularity_name(g) : "";
    (&m == &kTables[0] ? snap.kpi_rows : snap.table_rows) += t.row_count();
    snap.parts.push_back(SnapshotPart{m.target, std::move(gran), std::move(t)});
    engine_.progress("compute", ++done_, total_);
  }
  Snapshot snap;

 private:
  Engine &engine_;
  std::int64_t total_, done_ = 0;
};

}  // namespace

const std::vector<std::string> &snapshot_targets() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto &m : kTables) out.emplace_back(m.target);
    return out;
  }();
  return names;
}

Snapshot compute_snapshot(Engine &engine, const Dataset &data, const NightlyOptions &options) {
  std::size_t per_granularity = 0;
  for (const auto &m : kTables) per_granularity += m.per_granularity;
  Builder b(engine, per_granularity * options.granularities.size() + std::size(kTables) - per_granularity);
  for (Granularity g : options.granularities) {
    KpiResults kpis = engine.compute_kpis(data, g);
    Day from = lookback_start(kpis.grid(), options.lookback_periods);
    b.add(kTables[0], g, kpi_long_table(kpis, from));
    for (const auto &m : kTables)
      if (m.per_granularity && &m != &kTables[0]) b.add(m, g, rows_from(engine.compute_table(data, g, m.table), from));
  }
  // Health and data quality do not depend on the granularity.
  for (const auto &m : kTables)
    if (!m.per_granularity) {
      Granularity g = options.granularities.front();
      b.add(m, g, engine.compute_table(data, g, m.table));
    }
  return std::move(b.snap);
}

}  // namespace cskpi
