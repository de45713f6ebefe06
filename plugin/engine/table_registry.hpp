// The result tables a request may ask for, each declared once: a static array
// of declarations looked up by name (the shape of DuckDB's built-in function
// catalog). The engine's request validation and unknown-table error, the
// nightly snapshot (which tables, which cskpi_* table each goes to, per
// granularity or once) and the tests that hold docs/kpis.md §12.2 and the
// snapshot migrations to the declared columns all read this array.
//
// Adding a result table (see plugin/engine/table_registry.cpp for the array):
//  1. Declare its columns beside the code that fills it, as
//     `inline constexpr ColumnSpec kFooColumns[]` (spelled with the col::
//     helpers of core/table.hpp) and
//     `inline constexpr TableSchema kFooTable{"foo", kFooColumns}` in the
//     module's header; the compute function starts with `Table t(kFooTable)`
//     and finds its columns with t.column_index("...").
//  2. Add one TableDecl to kTables in table_registry.cpp: the schema, scope,
//     input, snapshot table (or nullptr), docs section and a compute lambda.
//  3. Snapshotted: add `CREATE TABLE cskpi_foo` to both
//     sql/migrations/{sqlite3,postgresql} (a new NNNN file once 0001 has
//     shipped): the declared columns with NOT NULL where nullable is false,
//     plus granularity (per-granularity tables without one), as_of, run_id.
//  4. Document it in docs/kpis.md (its own section, and a row of §12.2 with
//     the same section and columns) and docs/nightly.md when snapshotted.
//  tests/unit/test_table_registry.cpp then checks steps 3 and 4 against 1-2.
#pragma once

#include <span>
#include <string_view>

#include "core/dataset.hpp"
#include "core/kpi_results.hpp"
#include "core/settings.hpp"
#include "core/table.hpp"

namespace cskpi {

struct KpiContext;

// Whether a table is computed for each granularity or once per as_of.
enum class TableScope { per_granularity, as_of };

// What the engine prepares before calling a table's compute function; it
// prepares nothing more, so a table says what it reads.
enum class TableInput {
  source,       // nothing: the table reads the configured source itself (profile_check)
  dataset,      // the model read for as_of
  kpi_context,  // the model plus its activity spells and period grid (kpi/activity.hpp)
  kpi_results,  // every period KPI of the granularity (KpiResults)
};

// One computation of one table. Only the members the table's input asks for
// are set.
struct TableCall {
  const Settings &settings;  // the engine's, with the request's granularity
  Day as_of = kNoDay;
  const Dataset *data = nullptr;       // input dataset, kpi_context, kpi_results
  const KpiContext *ctx = nullptr;     // input kpi_context
  const KpiResults *kpis = nullptr;    // input kpi_results
  Day from = kNoDay, to = kNoDay;      // the periods the kpis table reports (request keys from, to)
  std::int64_t limit = 0;              // profile_check: rows read per source (request key limit)
};

struct TableDecl {
  const TableSchema *schema;  // name and columns
  TableScope scope;
  TableInput input;
  const char *snapshot;  // cskpi_* table the nightly job writes it to; nullptr: not in the snapshot
  const char *doc;       // where docs/kpis.md §12.2 says it is described
  Table (*compute)(const TableCall &call);

  std::string_view name() const { return schema->name; }
};

// Every table, in the order docs/kpis.md §12.2 lists them, "kpis" first.
std::span<const TableDecl> table_registry();
// The table named name, or nullptr.
const TableDecl *find_table(std::string_view name);
// The table named name; throws NotFoundError naming every table when unknown.
const TableDecl &require_table(std::string_view name);

}  // namespace cskpi
