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
    {"customer_id", ColumnType::text, false},
    {"segment", ColumnType::text, false},
    {"score", ColumnType::real, true},
    {"band", ColumnType::text, true},
    {"recency", ColumnType::real, true},
    {"frequency", ColumnType::real, true},
    {"monetary", ColumnType::real, true},
    {"support", ColumnType::real, true},
    {"voice", ColumnType::real, true},
    {"payment", ColumnType::real, true},
    {"p_alive", ColumnType::real, true},
    {"revenue_365d", ColumnType::real, true},
    {"days_since_last_order", ColumnType::int64, true}};
inline constexpr TableSchema kHealthTable{"health", kHealthColumns};
Table health_table(const KpiContext &ctx);

// Customers per band of a health table, for the demo printout.
struct HealthSummary {
  std::int64_t healthy = 0, attention = 0, at_risk = 0;
};
HealthSummary summarize_health(const Table &health);

}  // namespace cskpi
