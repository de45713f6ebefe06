// Voice of the customer (docs/kpis.md §7): NPS, CSAT and CES per period, and the
// "closing the loop" table of detractors to follow up.
#pragma once

#include "core/kpi_results.hpp"
#include "core/table.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Adds nps, nps_answers, nps_promoters, nps_passives, nps_detractors, csat,
// csat_answers, ces, ces_answers. All null when the feedback source is absent;
// with the source present, counts are 0 and nps/csat/ces null in a period
// without answers. Answers without a customer count only in slot "all".
void compute_voice(const KpiContext &ctx, KpiResults &out);

// Table detractor_followups: each customer whose latest NPS answer in the
// period containing as_of is a detractor (0-6). Columns: customer_id (text),
// segment (text), answered_on (date), score (int64), open_tickets (int64,
// null without a tickets source), revenue_365d (real, null without an
// invoices source); sorted by revenue_365d descending, then customer_id.
inline constexpr ColumnSpec kDetractorFollowupsColumns[] = {
    col::text("customer_id", col::not_null), col::text("segment", col::not_null),
    col::date("answered_on"), col::int64("score"), col::int64("open_tickets"), col::real("revenue_365d")};
inline constexpr TableSchema kDetractorFollowupsTable{"detractor_followups", kDetractorFollowupsColumns};
Table detractor_followups_table(const KpiContext &ctx);

}  // namespace cskpi
