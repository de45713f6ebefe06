#include "kpi/cohorts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace cskpi {
namespace {

// Cells of the cohort triangle: cohort k has one cell per offset j, for the
// n - k periods k..n-1 of the grid. Stored per slot ("all" = 0, then
// 1 + segment), so memory is slots x n(n+1)/2 and never customers x periods.
class Triangle {
 public:
  Triangle(std::size_t periods, std::size_t slots) : n_(periods), slots_(slots), first_(periods + 1, 0) {
    for (std::size_t k = 0; k < n_; ++k) first_[k + 1] = first_[k] + (n_ - k);
  }
  std::size_t periods() const { return n_; }
  std::size_t slots() const { return slots_; }
  std::size_t offsets(std::size_t k) const { return n_ - k; }
  std::size_t cells() const { return slots_ * first_[n_]; }
  std::size_t cell(std::size_t slot, std::size_t k, std::size_t j) const { return slot * first_[n_] + first_[k] + j; }

 private:
  std::size_t n_, slots_;
  std::vector<std::size_t> first_;  // first cell of cohort k inside a slot
};

// Cohort of each customer: the grid period holding their first spell start,
// or -1 for a customer without spells (never active: no cohort).
std::vector<int> cohort_of_customers(const KpiContext &ctx) {
  std::vector<int> cohort(ctx.data.customer_count(), -1);
  for (std::uint32_t c = 0; c < cohort.size(); ++c)
    if (ctx.activity.has_spells(c)) cohort[c] = ctx.grid.index_of(ctx.activity.first_start(c));
  return cohort;
}

// Members per (slot, cohort): index slot * n + k.
std::vector<std::int64_t> cohort_sizes(const KpiContext &ctx, const std::vector<int> &cohort, std::size_t slots) {
  std::size_t n = ctx.grid.size();
  std::vector<std::int64_t> size(slots * n, 0);
  for (std::uint32_t c = 0; c < cohort.size(); ++c) {
    if (cohort[c] < 0) continue;
    auto k = static_cast<std::size_t>(cohort[c]);
    ++size[k];
    ++size[ctx.slot_of(c) * n + k];
  }
  return size;
}

std::size_t slot_count(const KpiContext &ctx) { return 1 + ctx.data.segments.size(); }

// The columns both cohort tables start with.
struct KeyColumns {
  std::size_t cohort_start, period_offset, period_start, segment;
};

KeyColumns key_columns(const Table &t) {
  return {t.column_index("cohort_start"), t.column_index("period_offset"), t.column_index("period_start"),
          t.column_index("segment")};
}

std::string_view slot_name(const KpiContext &ctx, std::size_t slot) {
  return slot == 0 ? std::string_view("all") : std::string_view(ctx.data.segments.name(static_cast<std::uint32_t>(slot - 1)));
}

// Visits every reported (slot, k, j) in table order: slot, cohort, offset;
// cohorts without members in the slot are left out (nothing to measure).
template <class Row>
void for_each_row(const KpiContext &ctx, const Triangle &tri, const std::vector<std::int64_t> &size, Table &t,
                  const KeyColumns &key, Row &&row) {
  std::size_t n = tri.periods();
  for (std::size_t slot = 0; slot < tri.slots(); ++slot)
    for (std::size_t k = 0; k < n; ++k) {
      if (size[slot * n + k] == 0) continue;
      for (std::size_t j = 0; j < tri.offsets(k); ++j) {
        t.push_date(key.cohort_start, ctx.grid[k].start);
        t.push_int(key.period_offset, static_cast<std::int64_t>(j));
        t.push_date(key.period_start, ctx.grid[k + j].start);
        t.push_text(key.segment, slot_name(ctx, slot));
        row(slot, k, j);
      }
    }
}

// Measurement day of each period: t1 = min(last day, as_of). Increasing.
std::vector<Day> measurement_days(const PeriodGrid &grid) {
  std::vector<Day> t1(grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i) t1[i] = grid.t1(i);
  return t1;
}

// retained[cell]: members active on t1(k+j). A spell [start, end) covers the
// periods i with start <= t1(i) < end, a contiguous run because t1 increases;
// so each spell adds +1/-1 to a difference array over its cohort's row and
// one prefix sum per row gives the counts: O(spells log n + cells).
std::vector<std::int64_t> retained_counts(const KpiContext &ctx, const std::vector<int> &cohort, const Triangle &tri) {
  const Activity &act = ctx.activity;
  std::vector<Day> t1 = measurement_days(ctx.grid);
  std::size_t n = tri.periods();
  std::vector<std::int64_t> diff(tri.cells(), 0);
  auto add = [&](std::size_t slot, std::size_t k, std::size_t lo, std::size_t hi) {
    diff[tri.cell(slot, k, lo - k)] += 1;
    if (hi < n) diff[tri.cell(slot, k, hi - k)] -= 1;
  };
  for (std::uint32_t c = 0; c < cohort.size(); ++c) {
    if (cohort[c] < 0) continue;
    auto k = static_cast<std::size_t>(cohort[c]);
    for (std::uint32_t s = act.offset[c]; s < act.offset[c + 1]; ++s) {
      auto lo = static_cast<std::size_t>(std::lower_bound(t1.begin(), t1.end(), act.start[s]) - t1.begin());
      auto hi = static_cast<std::size_t>(std::lower_bound(t1.begin(), t1.end(), act.end[s]) - t1.begin());
      lo = std::max(lo, k);  // spells never start before their cohort; kept safe anyway
      if (lo >= hi) continue;
      add(0, k, lo, hi);
      add(ctx.slot_of(c), k, lo, hi);
    }
  }
  for (std::size_t slot = 0; slot < tri.slots(); ++slot)
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = 1; j < tri.offsets(k); ++j) diff[tri.cell(slot, k, j)] += diff[tri.cell(slot, k, j - 1)];
  return diff;
}

// revenue[cell]: invoice and credit-note amounts of cohort k's members dated
// in period k+j. Amounts dated before the member's cohort belong to no cell.
std::vector<double> cohort_revenues(const KpiContext &ctx, const std::vector<int> &cohort, const Triangle &tri) {
  const Invoices &inv = ctx.data.invoices;
  std::vector<double> revenue(tri.cells(), 0.0);
  for (std::size_t i = 0; i < inv.size(); ++i) {
    std::uint32_t c = inv.customer[i];
    if (cohort[c] < 0) continue;
    int p = ctx.grid.index_of(inv.day[i]);
    if (p < cohort[c]) continue;
    auto k = static_cast<std::size_t>(cohort[c]);
    auto j = static_cast<std::size_t>(p - cohort[c]);
    revenue[tri.cell(0, k, j)] += inv.amount[i];
    revenue[tri.cell(ctx.slot_of(c), k, j)] += inv.amount[i];
  }
  return revenue;
}

}  // namespace

Table cohort_retention_table(const KpiContext &ctx) {
  Table t(kCohortRetentionTable);
  const KeyColumns key = key_columns(t);
  const std::size_t size_col = t.column_index("size"), retained_col = t.column_index("retained"),
                    rate_col = t.column_index("rate");

  Triangle tri(ctx.grid.size(), slot_count(ctx));
  std::vector<int> cohort = cohort_of_customers(ctx);
  std::vector<std::int64_t> size = cohort_sizes(ctx, cohort, tri.slots());
  std::vector<std::int64_t> retained = retained_counts(ctx, cohort, tri);
  for_each_row(ctx, tri, size, t, key, [&](std::size_t slot, std::size_t k, std::size_t j) {
    std::int64_t members = size[slot * tri.periods() + k];
    std::int64_t kept = retained[tri.cell(slot, k, j)];
    t.push_int(size_col, members);
    t.push_int(retained_col, kept);
    t.push_real(rate_col, static_cast<double>(kept) / static_cast<double>(members));
  });
  return t;
}

Table cohort_revenue_table(const KpiContext &ctx) {
  Table t(kCohortRevenueTable);
  const KeyColumns key = key_columns(t);
  const std::size_t revenue_col = t.column_index("revenue"), base_col = t.column_index("base_revenue"),
                    ratio_col = t.column_index("ratio");
  if (!ctx.data.present.invoices) return t;  // unavailable: no rows, never zeros

  Triangle tri(ctx.grid.size(), slot_count(ctx));
  std::vector<int> cohort = cohort_of_customers(ctx);
  std::vector<std::int64_t> size = cohort_sizes(ctx, cohort, tri.slots());
  std::vector<double> revenue = cohort_revenues(ctx, cohort, tri);
  for_each_row(ctx, tri, size, t, key, [&](std::size_t slot, std::size_t k, std::size_t j) {
    double now = revenue[tri.cell(slot, k, j)];
    double base = revenue[tri.cell(slot, k, 0)];
    t.push_real(revenue_col, now);
    t.push_real(base_col, base);
    // A zero or negative base (credit notes only) gives no meaningful multiple.
    t.push_real(ratio_col, base > 0 ? now / base : std::nan(""));
  });
  return t;
}

}  // namespace cskpi
