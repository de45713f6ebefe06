#include "kpi/revenue.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "core/amounts.hpp"

namespace cskpi {
namespace {

// Rounding dust would make a customer "positive": core/amounts.hpp.
double snap(double sum, double magnitude) { return snap_dust(sum, magnitude); }

RevenueFlow empty_flow(std::size_t periods, std::size_t slots) {
  RevenueFlow f;
  for (auto *m : {&f.v0, &f.v1, &f.book, &f.new_revenue, &f.reactivation, &f.expansion, &f.contraction, &f.churned})
    *m = PeriodSlots<double>(periods, slots);
  f.payers0 = PeriodSlots<std::int64_t>(periods, slots);
  f.expanding = PeriodSlots<std::int64_t>(periods, slots);
  return f;
}

// The one movement of customer c with values v0, v1 (both >= 0) in period
// p. had_positive: the customer had a positive value before P' / t0, which
// tells a reactivation from a new customer.
void add_movement(RevenueFlow &f, std::size_t p, std::uint32_t c, std::size_t slot, double v0, double v1,
                  bool had_positive) {
  auto record = [&](MovementKind kind, double amount) {
    if (f.log) f.log->push_back({static_cast<std::uint32_t>(p), c, kind, v0, v1, amount});
  };
  if (v0 == 0 && v1 > 0) {
    (had_positive ? f.reactivation : f.new_revenue).add(p, slot, v1);
    record(had_positive ? MovementKind::reactivation : MovementKind::new_revenue, v1);
  } else if (v0 > 0 && v1 == 0) {
    f.churned.add(p, slot, v0);
    record(MovementKind::churned, v0);
  } else if (v0 > 0 && v1 > v0) {
    f.expansion.add(p, slot, v1 - v0);
    f.expanding.add(p, slot, 1);
    record(MovementKind::expansion, v1 - v0);
  } else if (v1 > 0 && v1 < v0) {
    f.contraction.add(p, slot, v0 - v1);
    record(MovementKind::contraction, v0 - v1);
  }
}

// ---- invoice mode ---------------------------------------------------------

struct CustomerPeriod {
  std::uint32_t customer;
  Day period;        // first day of the period (any period, inside the grid or not)
  double sum;        // revenue of the customer in that period
  double magnitude;  // sum of |amount|, for snap()
};

Day period_start(const PeriodGrid &g, Day d) {
  int i = g.index_of(d);
  return i >= 0 ? g[static_cast<std::size_t>(i)].start : period_floor(g.granularity(), d);
}

// Revenue per period with revenue of one customer, sorted by period: the
// customer's invoice rows (`rows`, in row order) merged by period in `out`.
// Equal periods are summed in row order (a stable sort).
void customer_period_revenue(const KpiContext &ctx, std::uint32_t customer, std::span<const std::uint32_t> rows,
                             std::vector<CustomerPeriod> &out) {
  const Invoices &inv = ctx.data.invoices;
  out.clear();
  for (const std::uint32_t i : rows)
    out.push_back({customer, period_start(ctx.grid, inv.day[i]), inv.amount[i], std::abs(inv.amount[i])});
  std::stable_sort(out.begin(), out.end(), [](const CustomerPeriod &a, const CustomerPeriod &b) { return a.period < b.period; });
  std::size_t w = 0;
  for (const CustomerPeriod &r : out) {
    if (w > 0 && out[w - 1].period == r.period) {
      out[w - 1].sum += r.sum;
      out[w - 1].magnitude += r.magnitude;
    } else {
      out[w++] = r;
    }
  }
  out.resize(w);
  for (CustomerPeriod &r : out) r.sum = snap(r.sum, r.magnitude);
}

// v0 and v1 of one customer in grid period p: sums and movement.
void add_values(RevenueFlow &f, int p, std::uint32_t c, std::size_t slot, double v0, double v1, bool had_positive) {
  if (p < 0) return;
  auto i = static_cast<std::size_t>(p);
  f.v0.add(i, slot, v0);
  f.v1.add(i, slot, v1);
  if (v0 > 0) f.payers0.add(i, slot, 1);
  add_movement(f, i, c, slot, v0, v1, had_positive);
}

// One customer's periods with revenue, [first, last) of rows. A customer has
// v0 > 0 or v1 > 0 only in a period with revenue or the one after it, so
// those are the only periods visited.
void invoice_customer(const KpiContext &ctx, RevenueFlow &f, const std::vector<CustomerPeriod> &rows,
                      std::size_t first, std::size_t last) {
  const PeriodGrid &g = ctx.grid;
  const std::uint32_t c = rows[first].customer;
  const std::size_t slot = ctx.slot_of(c);
  bool had_positive = false;  // a period before the current one had positive revenue
  for (std::size_t k = first; k < last; ++k) {
    const CustomerPeriod &r = rows[k];
    const Day next = period_next(g.granularity(), r.period);
    const bool prev_adjacent = k > first && period_next(g.granularity(), rows[k - 1].period) == r.period;
    const double v0 = prev_adjacent ? std::max(0.0, rows[k - 1].sum) : 0.0;
    const double v1 = std::max(0.0, r.sum);
    const int p = g.index_of(r.period);
    if (p >= 0) f.book.add(static_cast<std::size_t>(p), slot, r.sum);
    add_values(f, p, c, slot, v0, v1, had_positive);
    // No revenue in the next period: v1 = 0 there (a churn when v1 > 0 here).
    const bool next_has_row = k + 1 < last && rows[k + 1].period == next;
    if (!next_has_row && v1 > 0) add_values(f, g.index_of(next), c, slot, v1, 0.0, true);
    had_positive = had_positive || v1 > 0;
  }
}

// Customer by customer: the invoice rows are grouped per customer with a
// counting sort (4 bytes per row; a copy of every row would take 24), then
// each customer's periods are built in a small reused buffer.
void invoice_flow(const KpiContext &ctx, RevenueFlow &f) {
  const Invoices &inv = ctx.data.invoices;
  const std::size_t customers = ctx.data.customer_count();
  std::vector<std::uint32_t> first(customers + 1, 0);
  for (const std::uint32_t c : inv.customer)
    if (c < customers) ++first[c + 1];
  for (std::size_t c = 0; c < customers; ++c) first[c + 1] += first[c];
  std::vector<std::uint32_t> row(first[customers]);
  {
    std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
    for (std::size_t i = 0; i < inv.size(); ++i)
      if (inv.customer[i] < customers) row[next[inv.customer[i]]++] = static_cast<std::uint32_t>(i);
  }
  std::vector<CustomerPeriod> periods;
  for (std::uint32_t c = 0; c < customers; ++c) {
    if (first[c] == first[c + 1]) continue;
    customer_period_revenue(ctx, c, std::span<const std::uint32_t>(row).subspan(first[c], first[c + 1] - first[c]),
                            periods);
    invoice_customer(ctx, f, periods, 0, periods.size());
  }
}

// ---- subscription mode ----------------------------------------------------

struct MrrChange {
  std::uint32_t customer;
  Day day;
  double mrr;   // +mrr at start, -mrr at end
  int count;    // +1 at start, -1 at end
};

std::vector<MrrChange> mrr_changes(const Subscriptions &s) {
  std::vector<MrrChange> ch;
  ch.reserve(2 * s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.end[i] != kNoDay && s.end[i] <= s.start[i]) continue;  // empty contract
    ch.push_back({s.customer[i], s.start[i], s.mrr[i], 1});
    if (s.end[i] != kNoDay) ch.push_back({s.customer[i], s.end[i], -s.mrr[i], -1});
  }
  std::sort(ch.begin(), ch.end(), [](const MrrChange &a, const MrrChange &b) {
    return a.customer != b.customer ? a.customer < b.customer : a.day < b.day;
  });
  return ch;
}

// Per-day totals of subscription mode: the clamped MRR (sum v0 on t0, sum v1
// on t1), the customers with positive MRR (v0 > 0 on t0), the raw MRR (mrr_end).
struct MrrSeries {
  DaySeries<double> clamped, raw;
  DaySeries<std::int64_t> payers;
  MrrSeries(const PeriodGrid &g, std::size_t slots)
      : clamped(g.t0(0), g.as_of(), slots), raw(g.t0(0), g.as_of(), slots), payers(g.t0(0), g.as_of(), slots) {}
};

// Walks one customer's MRR step function, change day by change day, up to
// as_of. Consecutive changes inside one period form a group: v0 is the value
// before the group (the value on t0), v1 the value after it (on t1).
class MrrCustomer {
 public:
  MrrCustomer(const KpiContext &ctx, RevenueFlow &f, MrrSeries &series, std::uint32_t c)
      : ctx_(ctx), f_(f), series_(series), customer_(c), slot_(ctx.slot_of(c)) {}

  // Applies the changes [first, last), all dated `day`.
  void day(const std::vector<MrrChange> &ch, std::size_t first, std::size_t last) {
    const Day d = ch[first].day;
    for (std::size_t i = first; i < last; ++i) {
      raw_ += ch[i].mrr;
      magnitude_ += ch[i].count * std::abs(ch[i].mrr);
      open_ += ch[i].count;
    }
    if (open_ == 0) raw_ = magnitude_ = 0;  // no contract left: exactly zero
    const double raw = snap(raw_, magnitude_), value = std::max(0.0, raw);
    series_.raw.add(d, slot_, raw - raw_before_);
    raw_before_ = raw;
    if (value != value_) change(d, value);
  }

  void finish() { flush(); }

 private:
  void change(Day d, double value) {
    series_.clamped.add(d, slot_, value - value_);
    series_.payers.add(d, slot_, (value > 0) - (value_ > 0));
    if (value > 0 && first_positive_ == kNoDay) first_positive_ = d;
    const int p = ctx_.grid.index_of(d);
    if (p != group_) {
      flush();
      group_ = p;
      group_v0_ = value_;
    }
    value_ = value;
  }

  void flush() {
    if (group_ < 0) return;
    const auto p = static_cast<std::size_t>(group_);
    const bool had_positive = first_positive_ != kNoDay && first_positive_ <= ctx_.grid.t0(p);
    add_movement(f_, p, customer_, slot_, group_v0_, value_, had_positive);
  }

  const KpiContext &ctx_;
  RevenueFlow &f_;
  MrrSeries &series_;
  std::uint32_t customer_;
  std::size_t slot_;
  double raw_ = 0, magnitude_ = 0, raw_before_ = 0, value_ = 0;
  int open_ = 0;
  Day first_positive_ = kNoDay;
  int group_ = -1;  // grid period of the pending group of changes
  double group_v0_ = 0;
};

void subscription_flow(const KpiContext &ctx, RevenueFlow &f, std::size_t slots) {
  const PeriodGrid &g = ctx.grid;
  MrrSeries series(g, slots);
  std::vector<MrrChange> ch = mrr_changes(ctx.data.subscriptions);
  for (std::size_t first = 0; first < ch.size();) {
    const std::uint32_t c = ch[first].customer;
    MrrCustomer walk(ctx, f, series, c);
    while (first < ch.size() && ch[first].customer == c) {
      std::size_t last = first;
      while (last < ch.size() && ch[last].customer == c && ch[last].day == ch[first].day) ++last;
      if (ch[first].day <= g.as_of()) walk.day(ch, first, last);
      first = last;
    }
    walk.finish();
  }
  series.clamped.accumulate();
  series.raw.accumulate();
  series.payers.accumulate();
  for (std::size_t p = 0; p < g.size(); ++p)
    for (std::size_t s = 0; s < slots; ++s) {
      f.v0.set(p, s, series.clamped.at(g.t0(p), s));
      f.v1.set(p, s, series.clamped.at(g.t1(p), s));
      f.book.set(p, s, series.raw.at(g.t1(p), s));
      f.payers0.set(p, s, series.payers.at(g.t0(p), s));
    }
}

// ---- output ---------------------------------------------------------------

struct RevenueMatrices {
  KpiMatrix *book, *fresh, *back, *up, *down, *lost, *nrr, *grr, *expansion_rate, *quick_ratio;
};

RevenueMatrices add_matrices(KpiResults &out, bool subscriptions) {
  return {&out.add(subscriptions ? "mrr_end" : "revenue"), &out.add("new_revenue"),
          &out.add("reactivation_revenue"),                &out.add("expansion_revenue"),
          &out.add("contraction_revenue"),                 &out.add("churned_revenue"),
          &out.add("nrr"),                                 &out.add("grr"),
          &out.add("expansion_rate"),                      &out.add("quick_ratio")};
}

void write_cell(KpiResults &out, const RevenueMatrices &m, const RevenueFlow &f, std::size_t p, std::size_t s) {
  const double v0 = f.v0(p, s), up = f.expansion(p, s), down = f.contraction(p, s), lost = f.churned(p, s);
  const double gained = f.new_revenue(p, s) + f.reactivation(p, s) + up;
  out.at(*m.book, p, s) = f.book(p, s);
  out.at(*m.fresh, p, s) = f.new_revenue(p, s);
  out.at(*m.back, p, s) = f.reactivation(p, s);
  out.at(*m.up, p, s) = up;
  out.at(*m.down, p, s) = down;
  out.at(*m.lost, p, s) = lost;
  out.at(*m.nrr, p, s) = ratio(v0 + up - down - lost, v0);
  out.at(*m.grr, p, s) = ratio(v0 - down - lost, v0);
  out.at(*m.expansion_rate, p, s) =
      ratio(static_cast<double>(f.expanding(p, s)), static_cast<double>(f.payers0(p, s)));
  out.at(*m.quick_ratio, p, s) = ratio(gained, down + lost);
}

}  // namespace

RevenueFlow revenue_flow(const KpiContext &ctx, std::size_t slots, std::vector<CustomerMovement> *log) {
  RevenueFlow f = empty_flow(ctx.grid.size(), slots);
  f.log = log;
  if (ctx.grid.size() == 0) return f;
  if (ctx.settings.revenue_mode == RevenueMode::subscriptions)
    subscription_flow(ctx, f, slots);
  else
    invoice_flow(ctx, f);
  return f;
}

void compute_revenue(const KpiContext &ctx, KpiResults &out) {
  const bool subscriptions = ctx.settings.revenue_mode == RevenueMode::subscriptions;
  const RevenueMatrices m = add_matrices(out, subscriptions);
  // An absent source leaves every value null: unavailable, not zero (§1).
  if (!(subscriptions ? ctx.data.present.subscriptions : ctx.data.present.invoices)) return;
  const RevenueFlow f = revenue_flow(ctx, out.slots());
  for (std::size_t p = 0; p < ctx.grid.size(); ++p)
    for (std::size_t s = 0; s < out.slots(); ++s) write_cell(out, m, f, p, s);
}

}  // namespace cskpi
