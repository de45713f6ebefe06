// "Equal to a full run" (docs/nightly.md "Incremental runs"): every snapshot
// table of one as_of in two target databases, row for row. Text, integers,
// dates and booleans exactly; reals within 1e-9 relative (a document's
// amounts may be summed in another order). run_id is left out.
#pragma once

#include <string>
#include <vector>

namespace soci { class session; }

namespace cskpi::test {

// One line per difference ("cskpi_health: row 12 column score: 71.5 vs 71.25",
// "cskpi_kpi_value: 1204 rows vs 1203"); empty when the snapshots are equal.
// Rows are compared in a canonical order (sorted by every column, text
// columns first), so the order the database returns them does not matter.
std::vector<std::string> snapshot_differences(soci::session &a, soci::session &b, const std::string &as_of);

}  // namespace cskpi::test
