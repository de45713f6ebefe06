// Cohort tables (docs/kpis.md §9): retention and revenue of the customers grouped
// by the grid period in which their first activity spell starts.
#pragma once

#include "core/table.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Table "cohort_retention", one row per (segment, cohort k, offset j) with a
// non-empty cohort and period k+j in the grid (so starting on or before as_of):
//   cohort_start (date)   first day of period k
//   period_offset (int64) j
//   period_start (date)   first day of period k+j
//   segment (text)        "all", then each customer segment
//   size (int64)          members of cohort k in the segment
//   retained (int64)      members active on t1(k+j) = min(last day of k+j, as_of)
//   rate (real)           retained / size
// Rows are ordered by segment ("all" first, then segments in dictionary
// order), cohort_start, period_offset. Customers without spells have no cohort.
inline constexpr ColumnSpec kCohortRetentionColumns[] = {
    col::date("cohort_start", col::not_null), col::int64("period_offset", col::not_null),
    col::date("period_start", col::not_null), col::text("segment", col::not_null),
    col::int64("size"), col::int64("retained"), col::real("rate")};
inline constexpr TableSchema kCohortRetentionTable{"cohort_retention", kCohortRetentionColumns};
Table cohort_retention_table(const KpiContext &ctx);

// Table "cohort_revenue", same rows as cohort_retention:
//   cohort_start, period_offset, period_start, segment (as above)
//   revenue (real)        invoice + credit-note amounts of the members dated
//                         in period k+j (unclamped sum)
//   base_revenue (real)   the same in period k
//   ratio (real)          revenue / base_revenue; null when base_revenue <= 0
// Without an invoices source the table keeps its columns but has no rows
// (unavailable, never 0).
inline constexpr ColumnSpec kCohortRevenueColumns[] = {
    col::date("cohort_start", col::not_null), col::int64("period_offset", col::not_null),
    col::date("period_start", col::not_null), col::text("segment", col::not_null),
    col::real("revenue"), col::real("base_revenue"), col::real("ratio")};
inline constexpr TableSchema kCohortRevenueTable{"cohort_revenue", kCohortRevenueColumns};
Table cohort_revenue_table(const KpiContext &ctx);

}  // namespace cskpi
