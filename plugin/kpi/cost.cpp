#include "kpi/cost.hpp"

#include <vector>

#include "kpi/flow.hpp"

namespace cskpi {

void compute_cost(const KpiContext &ctx, KpiResults &out) {
  KpiMatrix &cost = out.add("retention_cost");
  KpiMatrix &crc = out.add("crc");
  if (!ctx.data.present.retention_costs) return;  // unavailable, not zero (§1)
  const RetentionCosts &rc = ctx.data.retention_costs;
  std::vector<double> spent(ctx.grid.size(), 0.0);
  for (std::size_t i = 0; i < rc.size(); ++i)
    if (int p = ctx.grid.index_of(rc.day[i]); p >= 0) spent[static_cast<std::size_t>(p)] += rc.amount[i];
  std::optional<FlowCounts> local;
  const FlowCounts &flow = flow_counts(ctx, local);  // |A0 ∩ A1|, §3
  for (std::size_t p = 0; p < spent.size(); ++p) {
    out.at(cost, p, 0) = spent[p];
    out.at(crc, p, 0) = ratio(spent[p], static_cast<double>(flow.retained(p, 0)));
  }
}

}  // namespace cskpi
