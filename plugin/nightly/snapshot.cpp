#include "nightly/snapshot.hpp"

#include "engine/table_registry.hpp"

namespace cskpi {
namespace {

// The registry's tables that have a snapshot table, in registry order
// ("kpis" first).
std::vector<const TableDecl *> snapshot_tables() {
  std::vector<const TableDecl *> out;
  for (const TableDecl &t : table_registry())
    if (t.snapshot) out.push_back(&t);
  return out;
}

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
// no period_start, from is kNoDay or no row is earlier). ISO dates compare as
// text.
Table rows_from(Table t, Day from) {
  int pc = t.find_column("period_start");
  if (from == kNoDay || pc < 0) return t;
  const std::string first = format_day(from);
  const Column &period = t.column(static_cast<std::size_t>(pc));
  bool drops = false;
  for (std::size_t r = 0; r < t.row_count() && !drops; ++r) drops = period.null[r] || period.text[r] < first;
  if (!drops) return t;
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
  void add(const TableDecl &m, Granularity g, Table t) {
    const bool per_granularity = m.scope == TableScope::per_granularity;
    std::string gran = per_granularity && t.find_column("granularity") < 0 ? granularity_name(g) : "";
    (m.schema == &kKpisTable ? snap.kpi_rows : snap.table_rows) += t.row_count();
    snap.parts.push_back(SnapshotPart{m.snapshot, std::move(gran), std::move(t)});
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
    for (const TableDecl *m : snapshot_tables()) out.emplace_back(m->snapshot);
    return out;
  }();
  return names;
}

Snapshot compute_snapshot(Engine &engine, const Dataset &data, const NightlyOptions &options) {
  const auto tables = snapshot_tables();
  std::size_t per_granularity = 0;
  for (const TableDecl *m : tables) per_granularity += m->scope == TableScope::per_granularity;
  Builder b(engine, per_granularity * options.granularities.size() + tables.size() - per_granularity);
  for (Granularity g : options.granularities) {
    Day from = lookback_start(PeriodGrid(g, data.first_day, data.as_of), options.lookback_periods);
    for (const TableDecl *m : tables)
      if (m->scope == TableScope::per_granularity)
        b.add(*m, g, rows_from(engine.compute_table(data, g, std::string(m->name()), from), from));
  }
  // The tables that do not depend on the granularity, once.
  for (const TableDecl *m : tables)
    if (m->scope == TableScope::as_of) {
      Granularity g = options.granularities.front();
      b.add(*m, g, engine.compute_table(data, g, std::string(m->name())));
    }
  return std::move(b.snap);
}

}  // namespace cskpi
