// Customer health score (docs/kpis.md §10): one row per customer active on as_of.
#pragma once

#include <cstdint>

#include "core/table.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Table "health", one row per customer active on as_of, ordered by score
// ascending (most at risk first), ties by customer_id:
//   customer_id (text), segment (text)
//   score (real)      weighted mean of the available components, 0..100
//   band (text)       healthy (score >= healthy_min), attention (>= attention_min), at_risk
//   recency, frequency, monetary, support, voice, payment (real, 0..100;
//                     null when the component's source is absent)
//   p_alive (real)    100 P(alive) of the BG/NBD fit (docs/kpis.md §13); null
//                     unless health.weights.p_alive > 0, or without a converged fit
//   revenue_365d (real)            invoice revenue in [as_of - 364, as_of]; null without invoices
//   days_since_last_order (int64)  as_of - last order day; null without any order
inline constexpr ColumnSpec kHealthColumns[] = {
    col::text("customer_id", col::not_null), col::text("segment", col::not_null),
    col::real("score"), col::text("band"),
    col::real("recency"), col::real("frequency"), col::real("monetary"),
    col::real("support"), col::real("voice"), col::real("payment"),
    col::real("p_alive"), col::real("revenue_365d"), col::int64("days_since_last_order")};
inline constexpr TableSchema kHealthTable{"health", kHealthColumns};
Table health_table(const KpiContext &ctx);

// Customers per band of a health table, for the demo printout.
struct HealthSummary {
  std::int64_t healthy = 0, attention = 0, at_risk = 0;
};
HealthSummary summarize_health(const Table &health);

}  // namespace cskpi
