// Support (docs/kpis.md §6): ticket volumes, backlog, resolution and first-response
// times in calendar and business hours, reopen and SLA breach rates, and the
// ticket_breakdown table ("is everyone calling about the same problem?").
#pragma once

#include "core/kpi_results.hpp"
#include "core/table.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

// Adds, in this order: tickets_opened, tickets_resolved, backlog_end,
// ttr_hours_mean|median|p90, ttr_business_hours_mean|median|p90,
// frt_hours_median|p90, frt_business_hours_median|p90, reopen_rate,
// sla_breach_rate, tickets_per_100_active.
// All null when the tickets source is absent; with it present, counts are 0
// and durations/rates null in a cell without tickets. Tickets without a
// customer count only in slot "all". reopen_rate is null without any
// reopen_count; sla_breach_rate is null without sla_hours targets (a ticket
// whose priority has no target and no "default" is left out of it);
// tickets_per_100_active reads customers_active_end, which compute_flow must
// have added before (null when it is missing or 0).
void compute_support(const KpiContext &ctx, KpiResults &out);

// Table ticket_breakdown, segment "all" only. For every period P of the grid,
// per dimension ("category", then "channel") and each value with tickets
// opened in P or in P': period_start (date), dimension (text), value (text),
// tickets_opened (int64), share (real: of all tickets opened in P; null when
// none), tickets_opened_previous (int64, in P'), change (int64, P - P'),
// change_rate (real: change / previous, null when previous is 0). Rows sorted
// by period, dimension, tickets_opened descending, value. No rows when the
// tickets source is absent.
inline constexpr ColumnSpec kTicketBreakdownColumns[] = {
    col::date("period_start", col::not_null), col::text("dimension", col::not_null),
    col::text("value", col::not_null),
    col::int64("tickets_opened"), col::real("share"),
    col::int64("tickets_opened_previous"), col::int64("change"), col::real("change_rate")};
inline constexpr TableSchema kTicketBreakdownTable{"ticket_breakdown", kTicketBreakdownColumns};
Table ticket_breakdown_table(const KpiContext &ctx);

}  // namespace cskpi
