#include "kpi/flow.hpp"

#include <algorithm>

namespace cskpi {
namespace {

// Whether customer c, whose spell i has ended, is active on day t >= end[i]:
// some later spell must cover t. Spells are sorted and few per customer, so a
// forward scan that stops past t is cheap.
bool active_later(const Activity &act, std::uint32_t c, std::uint32_t i, Day t) {
  for (std::uint32_t j = i + 1; j < act.offset[c + 1] && act.start[j] <= t; ++j)
    if (act.end[j] > t) return true;
  return false;
}

// Accumulates the events of every spell: its start (new or reactivated), its
// end (a churn, and a loss for retention when the spell covered t0 and the
// customer is not active again on t1), and its +1/-1 on the per-day active
// count. Active counts on t0/t1 are then read off the day series.
class FlowBuilder {
 public:
  FlowBuilder(const KpiContext &ctx, std::size_t slots, std::vector<FlowEvent> *events)
      : ctx_(ctx),
        slots_(slots),
        events_(events),
        lost_(ctx.grid.size(), slots),
        active_(ctx.grid.t0(0), ctx.grid.as_of(), slots),
        started_(ctx.grid.t0(0), ctx.grid.as_of(), slots) {
    for (auto *m : {&out_.active_start, &out_.active_end, &out_.new_customers, &out_.reactivated, &out_.churned,
                    &out_.retained, &out_.ever_started})
      *m = PeriodSlots<std::int64_t>(ctx.grid.size(), slots);
  }

  FlowCounts run() {
    const Activity &act = ctx_.activity;
    for (std::uint32_t c = 0; c < act.customers(); ++c)
      for (std::uint32_t i = act.offset[c]; i < act.offset[c + 1]; ++i) spell(c, i);
    return finish();
  }

 private:
  void spell(std::uint32_t c, std::uint32_t i) {
    const Activity &act = ctx_.activity;
    const PeriodGrid &g = ctx_.grid;
    const std::size_t slot = ctx_.slot_of(c);
    const bool first = i == act.offset[c];
    const Day start = act.start[i], end = act.end[i];
    if (start > g.as_of()) return;  // nothing after as_of counts
    active_.add(start, slot, 1);
    if (first) started_.add(start, slot, 1);
    if (int p = g.index_of(start); p >= 0) {
      (first ? out_.new_customers : out_.reactivated).add(p, slot, 1);
      record(p, c, start, first ? FlowEventKind::new_customer : FlowEventKind::reactivated);
    }
    if (end > g.as_of()) return;  // still running at as_of: not a churn
    active_.add(end, slot, -1);
    int q = g.index_of(end);
    if (q < 0) return;
    out_.churned.add(q, slot, 1);
    record(q, c, end, FlowEventKind::churned);
    // The spell covered t0(q) iff it started by then (it ends after t0(q)).
    if (start <= g.t0(q) && !active_later(act, c, i, g.t1(q))) lost_.add(q, slot, 1);
  }

  void record(int p, std::uint32_t c, Day day, FlowEventKind kind) {
    if (events_) events_->push_back({static_cast<std::uint32_t>(p), c, day, kind});
  }

  FlowCounts finish() {
    const PeriodGrid &g = ctx_.grid;
    active_.accumulate();
    started_.accumulate();
    for (std::size_t p = 0; p < g.size(); ++p)
      for (std::size_t s = 0; s < slots_; ++s) {
        std::int64_t a0 = active_.at(g.t0(p), s);
        out_.active_start.set(p, s, a0);
        out_.active_end.set(p, s, active_.at(g.t1(p), s));
        out_.ever_started.set(p, s, started_.at(g.t1(p), s));
        out_.retained.set(p, s, a0 - lost_(p, s));
      }
    return std::move(out_);
  }

  const KpiContext &ctx_;
  std::size_t slots_;
  std::vector<FlowEvent> *events_;
  FlowCounts out_;
  PeriodSlots<std::int64_t> lost_;   // in A0, not in A1
  DaySeries<std::int64_t> active_;   // customers active on a day
  DaySeries<std::int64_t> started_;  // customers whose first spell started by a day
};

// §3 activation_rate: among customers created in P whose activation window
// (created_on + activation_days) has closed by as_of, the share whose first
// order day falls on or before the window's last day. Null when none qualify.
void add_activation(const KpiContext &ctx, KpiResults &out) {
  const Dataset &d = ctx.data;
  const PeriodGrid &g = ctx.grid;
  std::vector<Day> first_order(d.customer_count(), kNoDay);
  for (std::size_t i = 0; i < d.order_lines.size(); ++i) {
    Day &f = first_order[d.order_lines.customer[i]];
    if (f == kNoDay || d.order_lines.day[i] < f) f = d.order_lines.day[i];
  }
  PeriodSlots<std::int64_t> qualified(g.size(), out.slots()), activated(g.size(), out.slots());
  for (std::uint32_t c = 0; c < d.customer_count(); ++c) {
    Day created = d.customers.created_on[c];
    if (created == kNoDay) continue;
    Day deadline = created + ctx.settings.activation_days;
    int p = g.index_of(created);
    if (p < 0 || deadline > g.as_of()) continue;
    qualified.add(p, ctx.slot_of(c), 1);
    if (first_order[c] != kNoDay && first_order[c] <= deadline) activated.add(p, ctx.slot_of(c), 1);
  }
  KpiMatrix &m = out.add("activation_rate");
  for (std::size_t p = 0; p < g.size(); ++p)
    for (std::size_t s = 0; s < out.slots(); ++s)
      out.at(m, p, s) = ratio(static_cast<double>(activated(p, s)), static_cast<double>(qualified(p, s)));
}

double as_real(std::int64_t v) { return static_cast<double>(v); }

}  // namespace

FlowCounts count_flow(const KpiContext &ctx, std::size_t slots, std::vector<FlowEvent> *events) {
  if (ctx.grid.size() == 0) return {};
  return FlowBuilder(ctx, slots, events).run();
}

const FlowCounts &flow_counts(const KpiContext &ctx, std::optional<FlowCounts> &local) {
  if (ctx.flow) return *ctx.flow;
  return local.emplace(count_flow(ctx, 1 + ctx.data.segments.size()));
}

void compute_flow(const KpiContext &ctx, KpiResults &out) {
  const std::size_t periods = ctx.grid.size(), slots = out.slots();
  std::optional<FlowCounts> local;
  const FlowCounts &f = flow_counts(ctx, local);
  KpiMatrix &start = out.add("customers_active_start");
  KpiMatrix &end = out.add("customers_active_end");
  KpiMatrix &fresh = out.add("customers_new");
  KpiMatrix &back = out.add("customers_reactivated");
  KpiMatrix &gone = out.add("customers_churned");
  KpiMatrix &retention = out.add("retention_rate");
  KpiMatrix &churn = out.add("churn_rate");
  KpiMatrix &churn_to_new = out.add("churn_to_new_ratio");
  KpiMatrix &active_ratio = out.add("active_ratio");
  // Subscription mode without a subscriptions source: activity is unknown,
  // so every flow value stays null (unavailable), never 0 (docs/kpis.md §1).
  const bool available = ctx.settings.activity_mode != ActivityMode::subscriptions || ctx.data.present.subscriptions;
  for (std::size_t p = 0; available && p < periods; ++p)
    for (std::size_t s = 0; s < slots; ++s) {
      out.at(start, p, s) = as_real(f.active_start(p, s));
      out.at(end, p, s) = as_real(f.active_end(p, s));
      out.at(fresh, p, s) = as_real(f.new_customers(p, s));
      out.at(back, p, s) = as_real(f.reactivated(p, s));
      out.at(gone, p, s) = as_real(f.churned(p, s));
      double kept = ratio(as_real(f.retained(p, s)), as_real(f.active_start(p, s)));
      out.at(retention, p, s) = kept;
      out.at(churn, p, s) = is_null(kept) ? kNull : 1.0 - kept;
      out.at(churn_to_new, p, s) = ratio(as_real(f.churned(p, s)), as_real(f.new_customers(p, s)));
      out.at(active_ratio, p, s) = ratio(as_real(f.active_end(p, s)), as_real(f.ever_started(p, s)));
    }
  add_activation(ctx, out);
}

}  // namespace cskpi
