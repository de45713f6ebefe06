// Revenue movements (docs/kpis.md §4): per customer a value on each side of the
// comparison (v0, v1, clamped >= 0) and exactly one movement — new,
// reactivation, expansion, contraction or churn — summed per period and slot.
#pragma once

#include <cstdint>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"
#include "kpi/slot_series.hpp"

namespace cskpi {

// The one movement of one customer in one grid period (docs/kpis.md §4.6).
enum class MovementKind : std::uint8_t { new_revenue, reactivation, expansion, contraction, churned };
struct CustomerMovement {
  std::uint32_t period;
  std::uint32_t customer;
  MovementKind kind;
  double v0, v1, amount;  // amount: what the movement adds to its KPI (v1, v1, v1 - v0, v0 - v1, v0)
};

struct RevenueFlow {
  PeriodSlots<double> v0, v1;            // sum of v0 / sum of v1
  PeriodSlots<double> book;              // invoices: revenue dated in P (unclamped); subscriptions: MRR on t1 (unclamped)
  PeriodSlots<double> new_revenue, reactivation, expansion, contraction, churned;
  PeriodSlots<std::int64_t> payers0;     // customers with v0 > 0
  PeriodSlots<std::int64_t> expanding;   // customers with an expansion
  std::vector<CustomerMovement> *log = nullptr;  // when set, every movement summed is also appended here
};

// The sums of Settings::revenue_mode for `slots` output slots. The mode's
// source must be present (else every KPI is null: see compute_revenue).
// With `log`, every movement is also appended to it, customer by customer.
RevenueFlow revenue_flow(const KpiContext &ctx, std::size_t slots, std::vector<CustomerMovement> *log = nullptr);

// Invoice mode: revenue, new_revenue, reactivation_revenue, expansion_revenue,
// contraction_revenue, churned_revenue, nrr, grr, expansion_rate, quick_ratio.
// Subscription mode: the same with mrr_end instead of revenue. All null when
// the mode's source (invoices / subscriptions) is absent.
void compute_revenue(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
