// Retention cost (docs/kpis.md §8). Costs carry no customer: slot "all" only.
#pragma once

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Adds retention_cost (sum of retention_costs dated in P) and crc
// (retention_cost / |A0 ∩ A1|, null when nobody was retained). Segment slots
// stay null, and so does everything when the retention_costs source is absent.
void compute_cost(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
