// The tables of one nightly snapshot, computed from the dataset of as_of.
#pragma once

#include <string>
#include <vector>

#include "core/table.hpp"
#include "engine/engine.hpp"
#include "nightly/options.hpp"

namespace cskpi {

// One engine table bound for one cskpi_* table.
struct SnapshotPart {
  std::string target;       // cskpi_* table
  std::string granularity;  // to add as a column; empty when the table is not per granularity or carries it
  Table table;
};

struct Snapshot {
  std::vector<SnapshotPart> parts;
  std::size_t kpi_rows = 0;    // rows bound for cskpi_kpi_value
  std::size_t table_rows = 0;  // rows bound for the other tables
};

// Every cskpi_* table a snapshot writes (the registry's tables with a
// snapshot table, engine/table_registry.hpp), cskpi_kpi_value first.
const std::vector<std::string> &snapshot_targets();

// Computes every table of the snapshot: the registry's per-granularity
// tables (kpis, cohorts, ticket breakdown, detractor follow-ups) for each
// granularity, its as-of tables (health, data quality) once. With
// options.lookback_periods = N, period tables keep only rows whose
// period_start is in the last N periods. Reports progress "compute".
Snapshot compute_snapshot(Engine &engine, const Dataset &data, const NightlyOptions &options);

}  // namespace cskpi
