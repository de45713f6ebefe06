// Revenue movements (kpi-spec §4): per customer a value on each side of the
// comparison (v0, v1, clamped >= 0) and exactly one movement — new,
// reactivation, expansion, contraction or churn — summed per period and slot.
#pragma once

#include <cstdint>

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"
#include "kpi/slot_series.hpp"

namespace cskpi {

struct RevenueFlow {
  PeriodSlots<double> v0, v1;            // sum of v0 / sum of v1
  PeriodSlots<double> book;              // invoices: revenue dated in P (unclamped); subscriptions: MRR on t1 (unclamped)
  PeriodSlots<double> new_revenue, reactivation, expansion, contraction, churned;
  PeriodSlots<std::int64_t> payers0;     // customers with v0 > 0
  PeriodSlots<std::int64_t> expanding;   // customers with an expansion
};

// The sums of Settings::revenue_mode for `slots` output slots. The mode's
// source must be present (else every KPI is null: see compute_revenue).
RevenueFlow revenue_flow(const KpiContext &ctx, std::size_t slots);

// Invoice mode: revenue, new_revenue, reactivation_revenue, expansion_revenue,
// contraction_revenue, churned_revenue, nrr, grr, expansion_rate, quick_ratio.
// Subscription mode: the same with mrr_end instead of revenue. All null when
// the mode's source (invoices / subscriptions) is absent.
void compute_revenue(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
