#include "kpi/support.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/business_time.hpp"
#include "core/stats.hpp"

namespace cskpi {
namespace {

constexpr double kSecondsPerHour = 3600.0;

double calendar_hours(Seconds from, Seconds to) { return static_cast<double>(to - from) / kSecondsPerHour; }

// A resolution (or response) before the opening still happened: the ticket
// is resolved at resolved_at. Only its duration is left out of TTR, FRT and
// the SLA base (kpi-spec §6; docs/kpis.md §6.6); the loader reports it as
// negative_duration.
bool is_resolved(const Tickets &t, std::size_t i) { return t.resolved[i] != kNoTime; }
bool has_resolution_time(const Tickets &t, std::size_t i) { return is_resolved(t, i) && t.resolved[i] >= t.opened[i]; }

// Ticket counts of one (period, slot) cell.
struct SupportCell {
  double opened = 0, resolved = 0;
  double backlog = 0;         // a difference over periods until accumulate_backlog()
  double reopened = 0;        // resolved with reopen_count > 0
  double sla_targeted = 0;    // resolved with an SLA target
  double sla_breached = 0;    // ... and business resolution hours above it
};

// Durations in hours, bucketed by cell (period * slots + slot, the KpiMatrix
// layout) with a counting sort, so grouping 1M tickets costs two linear
// passes and no map. Like PeriodSlots::add, a duration added for slot s
// counts in slot "all" and, when s != 0, in slot s too.
class CellDurations {
 public:
  explicit CellDurations(std::size_t cells) : offset_(cells + 1, 0) {}

  // row = period * slots (the cell of slot "all").
  void add(std::size_t row, std::size_t slot, double calendar, double business) {
    staged_.push_back({static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(slot), calendar, business});
  }

  // Groups the added durations by cell; call once, after the last add().
  void group() {
    for (const auto &s : staged_) {
      ++offset_[s.row + 1];
      if (s.slot != 0) ++offset_[s.row + s.slot + 1];
    }
    for (std::size_t c = 1; c < offset_.size(); ++c) offset_[c] += offset_[c - 1];
    calendar_.resize(offset_.back());
    business_.resize(offset_.back());
    std::vector<std::size_t> next(offset_.begin(), offset_.end() - 1);
    auto place = [&](std::size_t cell, const Staged &s) {
      const std::size_t at = next[cell]++;
      calendar_[at] = s.calendar;
      business_[at] = s.business;
    };
    for (const auto &s : staged_) {
      place(s.row, s);
      if (s.slot != 0) place(s.row + s.slot, s);
    }
    staged_ = {};
  }

  std::size_t cells() const { return offset_.size() - 1; }
  std::span<double> calendar(std::size_t cell) { return slice(calendar_, cell); }
  std::span<double> business(std::size_t cell) { return slice(business_, cell); }

 private:
  struct Staged {
    std::uint32_t row, slot;
    double calendar, business;
  };
  std::span<double> slice(std::vector<double> &v, std::size_t cell) {
    return std::span<double>(v).subspan(offset_[cell], offset_[cell + 1] - offset_[cell]);
  }
  std::vector<Staged> staged_;
  std::vector<std::size_t> offset_;
  std::vector<double> calendar_, business_;
};

// The matrices one family of durations fills; mean is optional (FRT has none).
struct DurationKpis {
  KpiMatrix *mean = nullptr;
  KpiMatrix *median = nullptr;
  KpiMatrix *p90 = nullptr;
};

// Writes mean, median and p90 of every non-empty cell; empty cells stay null.
void write_durations(CellDurations &d, std::span<double> (CellDurations::*values)(std::size_t), DurationKpis k) {
  for (std::size_t cell = 0; cell < d.cells(); ++cell) {
    std::span<double> v = (d.*values)(cell);
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());  // once, for both percentiles
    if (k.mean) {
      double sum = 0;
      for (double x : v) sum += x;
      k.mean->values[cell] = sum / static_cast<double>(v.size());
    }
    k.median->values[cell] = percentile_sorted(v, 0.5);
    k.p90->values[cell] = percentile_sorted(v, 0.9);
  }
}

// SLA target hours per priority (index into Dataset::priorities): its own
// sla_hours entry, else the "default" one, else none (NaN).
std::vector<double> sla_targets(const Dataset &data, const Settings &settings) {
  const auto &sla = settings.sla_hours;
  const auto fallback = sla.find("default");
  std::vector<double> target(data.priorities.size(), kNull);
  for (std::uint32_t p = 0; p < data.priorities.size(); ++p) {
    auto it = sla.find(data.priorities.name(p));
    if (it != sla.end()) target[p] = it->second;
    else if (fallback != sla.end()) target[p] = fallback->second;
  }
  return target;
}

// Where one ticket counts: the periods of its opening and of its resolution
// (-1: none), and its output slot (0 when it has no customer: a ticket
// without a customer counts only in "all").
struct TicketPlace {
  int opened;
  int resolved;  // grid index of the resolution; -1 when unresolved or outside the grid
  int backlog_until;  // the first period whose end no longer finds it open (periods: never)
  std::size_t slot;
};

// Everything counted per cell (period * slots + slot, the KpiMatrix layout).
struct SupportWork {
  std::size_t slots;
  std::vector<SupportCell> cells;
  CellDurations ttr, frt;
  SupportWork(std::size_t periods, std::size_t slot_count)
      : slots(slot_count), cells(periods * slots), ttr(cells.size()), frt(cells.size()) {}

  std::size_t row(int period) const { return static_cast<std::size_t>(period) * slots; }
  // Applies f to the cell of slot "all" and, when slot != 0, to slot's cell.
  template <class F>
  void each_cell(int period, std::size_t slot, F f) {
    f(cells[row(period)]);
    if (slot != 0) f(cells[row(period) + slot]);
  }
};

// A ticket is in the backlog of every period p with opened_day <= t1(p) and
// resolved_day > t1(p): the periods [opened period, resolved period). Marked
// as a difference (+1 / -1) over periods, summed by accumulate_backlog().
void mark_backlog(const TicketPlace &at, std::size_t periods, SupportWork &w) {
  const int until = at.backlog_until;
  if (until <= at.opened) return;  // resolved within (or before) the period it was opened in
  w.each_cell(at.opened, at.slot, [](SupportCell &c) { c.backlog += 1; });
  if (static_cast<std::size_t>(until) < periods) w.each_cell(until, at.slot, [](SupportCell &c) { c.backlog -= 1; });
}

void accumulate_backlog(std::vector<SupportCell> &cells, std::size_t slots) {
  for (std::size_t c = slots; c < cells.size(); ++c) cells[c].backlog += cells[c - slots].backlog;
}

// Counts the opening of ticket i and its first-response time.
void count_opened(const Tickets &t, const BusinessClock &clock, std::size_t i, const TicketPlace &at, SupportWork &w) {
  w.each_cell(at.opened, at.slot, [](SupportCell &c) { c.opened += 1; });
  if (t.first_response[i] == kNoTime || t.first_response[i] < t.opened[i]) return;
  w.frt.add(w.row(at.opened), at.slot, calendar_hours(t.opened[i], t.first_response[i]),
            clock.business_hours(t.opened[i], t.first_response[i]));
}

// Counts the resolution of ticket i: TTR, reopen and SLA. Its business hours
// are computed once and serve TTR and SLA in both of its slots.
void count_resolved(const Tickets &t, const BusinessClock &clock, const std::vector<double> &targets, std::size_t i,
                    const TicketPlace &at, SupportWork &w) {
  const bool timed = has_resolution_time(t, i);
  const double business = timed ? clock.business_hours(t.opened[i], t.resolved[i]) : kNull;
  const double target = targets.empty() || !timed ? kNull : targets[t.priority[i]];
  const bool reopened = t.reopen_count[i] > 0;  // null (-1) counts as not reopened
  w.each_cell(at.resolved, at.slot, [&](SupportCell &c) {
    c.resolved += 1;
    if (reopened) c.reopened += 1;
    if (!is_null(target)) {
      c.sla_targeted += 1;
      if (business > target) c.sla_breached += 1;
    }
  });
  if (timed) w.ttr.add(w.row(at.resolved), at.slot, calendar_hours(t.opened[i], t.resolved[i]), business);
}

TicketPlace place_of(const KpiContext &ctx, std::size_t i) {
  const Tickets &t = ctx.data.tickets;
  const bool resolved = is_resolved(t, i);
  const int at = resolved ? ctx.grid.index_of(t.resolved_day[i]) : -1;
  const auto periods = static_cast<int>(ctx.grid.size());
  // Resolved outside the grid: before it (only a resolution before the
  // opening can be) it is in no backlog; after it (a request that ends
  // before as_of) it is open to the grid's end.
  const int until = at >= 0 ? at : resolved && t.resolved_day[i] < ctx.grid[0].start ? 0 : periods;
  return {ctx.grid.index_of(t.opened_day[i]), at, until, t.customer[i] == kNoCustomer ? 0 : ctx.slot_of(t.customer[i])};
}

SupportWork count_tickets(const KpiContext &ctx, std::size_t slots) {
  SupportWork w(ctx.grid.size(), slots);
  // The table covers every day a ticket instant can fall on: from the first
  // reported period to as_of (later instants are already dropped).
  const BusinessClock clock(ctx.settings.calendar, ctx.settings.timezone, ctx.grid[0].start, ctx.grid.as_of());
  const auto targets = ctx.settings.sla_hours.empty() ? std::vector<double>{} : sla_targets(ctx.data, ctx.settings);
  const Tickets &t = ctx.data.tickets;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const TicketPlace at = place_of(ctx, i);
    if (at.opened < 0) continue;  // outside the grid: cannot happen after the loader, but never index with it
    count_opened(t, clock, i, at, w);
    if (at.resolved >= 0) count_resolved(t, clock, targets, i, at, w);
    mark_backlog(at, ctx.grid.size(), w);
  }
  accumulate_backlog(w.cells, slots);
  w.ttr.group();
  w.frt.group();
  return w;
}

template <class Value>
void write(KpiMatrix &m, const std::vector<SupportCell> &cells, Value value) {
  for (std::size_t c = 0; c < cells.size(); ++c) m.values[c] = value(cells[c]);
}

}  // namespace

void compute_support(const KpiContext &ctx, KpiResults &out) {
  const KpiMatrix *active_end = out.find("customers_active_end");
  KpiMatrix &opened = out.add("tickets_opened");
  KpiMatrix &resolved = out.add("tickets_resolved");
  KpiMatrix &backlog = out.add("backlog_end");
  DurationKpis ttr{&out.add("ttr_hours_mean"), &out.add("ttr_hours_median"), &out.add("ttr_hours_p90")};
  DurationKpis ttr_bus{&out.add("ttr_business_hours_mean"), &out.add("ttr_business_hours_median"),
                       &out.add("ttr_business_hours_p90")};
  DurationKpis frt{nullptr, &out.add("frt_hours_median"), &out.add("frt_hours_p90")};
  DurationKpis frt_bus{nullptr, &out.add("frt_business_hours_median"), &out.add("frt_business_hours_p90")};
  KpiMatrix &reopen = out.add("reopen_rate");
  KpiMatrix &sla = out.add("sla_breach_rate");
  KpiMatrix &per_100 = out.add("tickets_per_100_active");
  if (!ctx.data.present.tickets || ctx.grid.size() == 0) return;  // unavailable, not zero (§1)

  SupportWork w = count_tickets(ctx, out.slots());
  write(opened, w.cells, [](const SupportCell &c) { return c.opened; });
  write(resolved, w.cells, [](const SupportCell &c) { return c.resolved; });
  write(backlog, w.cells, [](const SupportCell &c) { return c.backlog; });
  write_durations(w.ttr, &CellDurations::calendar, ttr);
  write_durations(w.ttr, &CellDurations::business, ttr_bus);
  write_durations(w.frt, &CellDurations::calendar, frt);
  write_durations(w.frt, &CellDurations::business, frt_bus);
  if (ctx.data.tickets.has_reopen_count) write(reopen, w.cells, [](const SupportCell &c) { return ratio(c.reopened, c.resolved); });
  if (!ctx.settings.sla_hours.empty())
    write(sla, w.cells, [](const SupportCell &c) { return ratio(c.sla_breached, c.sla_targeted); });
  if (active_end)
    for (std::size_t c = 0; c < w.cells.size(); ++c) per_100.values[c] = ratio(100 * w.cells[c].opened, active_end->values[c]);
}

// ---- ticket_breakdown ----

namespace {

// Tickets opened in one period with one value of a dimension.
struct ValueCount {
  std::uint32_t period;
  std::uint32_t value;
  std::int64_t count;
};

// Counts per (period, value), sorted by period then value: a sort of packed
// keys rather than a periods x values matrix, since the categories dictionary
// is shared with the orders and may be large.
std::vector<ValueCount> count_by_value(const KpiContext &ctx, const std::vector<std::uint32_t> &value_of) {
  const Tickets &t = ctx.data.tickets;
  std::vector<std::uint64_t> keys;
  keys.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i)
    if (int p = ctx.grid.index_of(t.opened_day[i]); p >= 0)
      keys.push_back(static_cast<std::uint64_t>(p) << 32 | value_of[i]);
  std::sort(keys.begin(), keys.end());
  std::vector<ValueCount> counts;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i] == keys[i - 1]) {
      ++counts.back().count;
      continue;
    }
    counts.push_back({static_cast<std::uint32_t>(keys[i] >> 32), static_cast<std::uint32_t>(keys[i]), 1});
  }
  return counts;
}

// One output row before it is written: value with its counts in P and P'.
struct BreakdownRow {
  std::uint32_t value;
  std::int64_t current = 0, previous = 0;
};

// Rows of period p from the counts of p (current) and p - 1 (previous), both
// sorted by value: every value seen in either, so a problem that went away
// shows as a drop to 0. A linear merge.
std::vector<BreakdownRow> rows_of_period(std::span<const ValueCount> current, std::span<const ValueCount> previous) {
  std::vector<BreakdownRow> rows;
  auto c = current.begin(), q = previous.begin();
  while (c != current.end() || q != previous.end()) {
    if (q == previous.end() || (c != current.end() && c->value < q->value)) {
      rows.push_back({c->value, c->count, 0});
      ++c;
    } else if (c == current.end() || q->value < c->value) {
      rows.push_back({q->value, 0, q->count});
      ++q;
    } else {
      rows.push_back({c->value, c->count, q->count});
      ++c, ++q;
    }
  }
  return rows;
}

// The counts of period p within counts sorted by period.
std::span<const ValueCount> counts_in(const std::vector<ValueCount> &counts, std::uint32_t p) {
  auto lo = std::lower_bound(counts.begin(), counts.end(), p, [](const ValueCount &c, std::uint32_t q) { return c.period < q; });
  auto hi = std::upper_bound(lo, counts.end(), p, [](std::uint32_t q, const ValueCount &c) { return q < c.period; });
  return {lo, hi};
}

struct BreakdownColumns {
  std::size_t period_start, dimension, value, opened, share, previous, change, change_rate;
  explicit BreakdownColumns(const Table &t)
      : period_start(t.column_index("period_start")),
        dimension(t.column_index("dimension")),
        value(t.column_index("value")),
        opened(t.column_index("tickets_opened")),
        share(t.column_index("share")),
        previous(t.column_index("tickets_opened_previous")),
        change(t.column_index("change")),
        change_rate(t.column_index("change_rate")) {}
};

void write_period(Table &table, const BreakdownColumns &col, Day start, const char *dimension, const Dictionary &names,
                  std::vector<BreakdownRow> rows) {
  std::int64_t total = 0;
  for (const auto &r : rows) total += r.current;
  std::sort(rows.begin(), rows.end(), [&](const BreakdownRow &a, const BreakdownRow &b) {
    return a.current != b.current ? a.current > b.current : names.name(a.value) < names.name(b.value);
  });
  for (const auto &r : rows) {
    table.push_date(col.period_start, start);
    table.push_text(col.dimension, dimension);
    table.push_text(col.value, names.name(r.value));
    table.push_int(col.opened, r.current);
    table.push_real(col.share, ratio(static_cast<double>(r.current), static_cast<double>(total)));
    table.push_int(col.previous, r.previous);
    table.push_int(col.change, r.current - r.previous);
    table.push_real(col.change_rate, ratio(static_cast<double>(r.current - r.previous), static_cast<double>(r.previous)));
  }
}

}  // namespace

Table ticket_breakdown_table(const KpiContext &ctx) {
  Table table(kTicketBreakdownTable);
  const BreakdownColumns col(table);
  if (!ctx.data.present.tickets) return table;
  struct Dimension {
    const char *name;
    const Dictionary &names;
    std::vector<ValueCount> counts;
  };
  const Tickets &t = ctx.data.tickets;
  Dimension dims[] = {{"category", ctx.data.categories, count_by_value(ctx, t.category)},
                      {"channel", ctx.data.channels, count_by_value(ctx, t.channel)}};
  for (std::uint32_t p = 0; p < ctx.grid.size(); ++p) {
    for (const auto &d : dims) {
      // P' of the first period lies before the earliest data: 0 tickets.
      auto previous = p > 0 ? counts_in(d.counts, p - 1) : std::span<const ValueCount>{};
      write_period(table, col, ctx.grid[p].start, d.name, d.names, rows_of_period(counts_in(d.counts, p), previous));
    }
  }
  return table;
}

}  // namespace cskpi
