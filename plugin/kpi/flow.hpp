// Customer flow (docs/kpis.md §3): active customers at the edges of each period,
// new, reactivated and churned spells, retention, churn, activation.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"
#include "kpi/slot_series.hpp"

namespace cskpi {

// The customer counts of §3 per period and slot.
struct FlowCounts {
  PeriodSlots<std::int64_t> active_start;  // |A0|, active on t0
  PeriodSlots<std::int64_t> active_end;    // |A1|, active on t1
  PeriodSlots<std::int64_t> new_customers; // first spells starting in P
  PeriodSlots<std::int64_t> reactivated;   // later spells starting in P
  PeriodSlots<std::int64_t> churned;       // spells ending in P (end <= as_of)
  PeriodSlots<std::int64_t> retained;      // |A0 ∩ A1|
  PeriodSlots<std::int64_t> ever_started;  // customers whose first spell starts on or before t1
};

// One customer's flow event in a grid period (docs/kpis.md §4.6): the start
// of its first spell (new), of a later spell (reactivated), or a spell's end
// on or before as_of (churned). The events are exactly what count_flow counts.
enum class FlowEventKind : std::uint8_t { new_customer, reactivated, churned };
struct FlowEvent {
  std::uint32_t period;
  std::uint32_t customer;
  Day day;  // the spell's start (new, reactivated) or end (churned)
  FlowEventKind kind;
};

// Counts for `slots` output slots (1 + number of segments). Linear in the
// number of spells plus days x slots; never customers x periods. When events
// is set, every counted event is also appended to it, customer by customer.
FlowCounts count_flow(const KpiContext &ctx, std::size_t slots, std::vector<FlowEvent> *events = nullptr);

// ctx.flow when the engine counted it, else counts for every slot into local.
const FlowCounts &flow_counts(const KpiContext &ctx, std::optional<FlowCounts> &local);

// Adds customers_active_start, customers_active_end, customers_new,
// customers_reactivated, customers_churned, retention_rate, churn_rate,
// churn_to_new_ratio, active_ratio, activation_rate.
void compute_flow(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
