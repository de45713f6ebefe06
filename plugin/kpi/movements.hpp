// Table customer_movements (docs/kpis.md §4.6): the customers behind the flow
// counts of §3 and the revenue movements of §4, one row per customer, period
// and flow event. Filled by the same walks that compute the kpis table
// (count_flow, revenue_flow), so summed over customers it is that table.
#pragma once

#include "core/table.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

inline constexpr ColumnSpec kCustomerMovementsColumns[] = {
    col::date("period_start", col::not_null), col::text("segment", col::not_null),
    col::text("customer_id", col::not_null),
    col::text("flow_event"), col::date("event_day"),
    col::text("revenue_movement"), col::real("v0"), col::real("v1"), col::real("amount")};
inline constexpr TableSchema kCustomerMovementsTable{"customer_movements", kCustomerMovementsColumns};

// Rows sorted by period, customer (dense id) and event day. A customer's
// revenue movement of a period sits on its first row of that period (a row
// with flow_event null when it had no flow event), so every column sums
// each event once.
Table customer_movements_table(const KpiContext &ctx);

}  // namespace cskpi
