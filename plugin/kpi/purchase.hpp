// Purchase behaviour, cross-sell and up-sell KPIs (docs/kpis.md §5), from
// order_lines: orders, buyers, aov, purchase_frequency, repeat_purchase_rate,
// interpurchase_days_mean, interpurchase_days_median, cross_sell_rate,
// cross_sell_revenue, up_sell_rate.
#pragma once

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Adds the §5 KPIs to out, one [period x slot] matrix each.
void compute_purchase(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
