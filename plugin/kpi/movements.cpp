#include "kpi/movements.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

#include "kpi/flow.hpp"
#include "kpi/revenue.hpp"

namespace cskpi {
namespace {

const char *flow_name(FlowEventKind k) {
  switch (k) {
    case FlowEventKind::new_customer: return "new";
    case FlowEventKind::reactivated: return "reactivated";
    case FlowEventKind::churned: return "churned";
  }
  return "?";
}

// The names of the §4.1 movements, as the kpis are named (new_revenue, ...).
const char *movement_name(MovementKind k) {
  switch (k) {
    case MovementKind::new_revenue: return "new";
    case MovementKind::reactivation: return "reactivation";
    case MovementKind::expansion: return "expansion";
    case MovementKind::contraction: return "contraction";
    case MovementKind::churned: return "churned";
  }
  return "?";
}

// The same availability rules as compute_flow and compute_revenue: an absent
// source gives no rows, as its KPIs are null (§1.2).
bool flow_available(const KpiContext &ctx) {
  return ctx.settings.activity_mode != ActivityMode::subscriptions || ctx.data.present.subscriptions;
}
bool revenue_available(const KpiContext &ctx) {
  return ctx.settings.revenue_mode == RevenueMode::subscriptions ? ctx.data.present.subscriptions
                                                                 : ctx.data.present.invoices;
}

class MovementWriter {
 public:
  MovementWriter(const KpiContext &ctx) : ctx_(ctx), t_(kCustomerMovementsTable) {}

  // flows and moves are each sorted by (period, customer[, day]).
  Table write(const std::vector<FlowEvent> &flows, const std::vector<CustomerMovement> &moves) {
    std::size_t i = 0, j = 0;
    while (i < flows.size() || j < moves.size()) {
      const bool flow_first = j == moves.size() || (i < flows.size() && std::tie(flows[i].period, flows[i].customer) <=
                                                                              std::tie(moves[j].period, moves[j].customer));
      const std::uint32_t p = flow_first ? flows[i].period : moves[j].period;
      const std::uint32_t c = flow_first ? flows[i].customer : moves[j].customer;
      const CustomerMovement *m = j < moves.size() && moves[j].period == p && moves[j].customer == c ? &moves[j++] : nullptr;
      bool any = false;
      for (; i < flows.size() && flows[i].period == p && flows[i].customer == c; ++i, any = true)
        row(p, c, &flows[i], any ? nullptr : m);
      if (!any) row(p, c, nullptr, m);
    }
    return std::move(t_);
  }

 private:
  void row(std::uint32_t p, std::uint32_t c, const FlowEvent *f, const CustomerMovement *m) {
    const Dataset &d = ctx_.data;
    t_.push_date(col("period_start"), ctx_.grid[p].start);
    t_.push_text(col("segment"), d.segments.name(d.customers.segment[c]));
    t_.push_text(col("customer_id"), d.customers.ids.name(c));
    if (f) {
      t_.push_text(col("flow_event"), flow_name(f->kind));
      t_.push_date(col("event_day"), f->day);
    } else {
      t_.push_null(col("flow_event"));
      t_.push_null(col("event_day"));
    }
    if (m) {
      t_.push_text(col("revenue_movement"), movement_name(m->kind));
      t_.push_real(col("v0"), m->v0);
      t_.push_real(col("v1"), m->v1);
      t_.push_real(col("amount"), m->amount);
    } else {
      for (const char *name : {"revenue_movement", "v0", "v1", "amount"}) t_.push_null(col(name));
    }
  }
  std::size_t col(const char *name) const { return t_.column_index(name); }

  const KpiContext &ctx_;
  Table t_;
};

}  // namespace

Table customer_movements_table(const KpiContext &ctx) {
  const std::size_t slots = 1 + ctx.data.segments.size();
  std::vector<FlowEvent> flows;
  std::vector<CustomerMovement> moves;
  if (flow_available(ctx)) count_flow(ctx, slots, &flows);
  if (revenue_available(ctx) && ctx.grid.size() > 0) revenue_flow(ctx, slots, &moves);
  // Both walks go customer by customer; a stable sort by period keeps the
  // customer order inside a period, so the kpis' sums and a sum over these
  // rows add the same amounts in the same order (bit for bit equal).
  std::stable_sort(flows.begin(), flows.end(), [](const FlowEvent &a, const FlowEvent &b) {
    return std::tie(a.period, a.customer, a.day) < std::tie(b.period, b.customer, b.day);
  });
  std::stable_sort(moves.begin(), moves.end(), [](const CustomerMovement &a, const CustomerMovement &b) {
    return std::tie(a.period, a.customer) < std::tie(b.period, b.customer);
  });
  return MovementWriter(ctx).write(flows, moves);
}

}  // namespace cskpi
