#include "kpi/purchase.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <span>

#include "core/amounts.hpp"
#include "core/stats.hpp"
#include "kpi/slot_series.hpp"

namespace cskpi {
namespace {

// Grid position of a day: 0.. inside the grid; -1 for the period just before
// the grid (P' of the first period, which up-sell compares against should the
// grid start after the data does); kOutside for anything else.
constexpr int kOutside = INT_MIN;

int period_of(const PeriodGrid &grid, Day d) {
  if (grid.size() == 0) return kOutside;
  if (int k = grid.index_of(d); k >= 0) return k;
  const Day start = grid[0].start;
  return d < start && d >= period_floor(grid.granularity(), start - 1) ? -1 : kOutside;
}

// An order rebuilt from its lines: the amount is the sum of the lines
// (returns included, summed in row order), the day the earliest line's and
// the customer the first line's (lines of one order should agree on it).
// Orders are rebuilt customer by customer (tally_customers), so only the
// customer of every order is kept for all orders at once.
struct Order {
  std::uint32_t id;
  Day day;
  double amount;
  double magnitude;  // sum of |line amount|, for the dust rule (core/amounts.hpp)
};

// The customer of every dense order id: its first line's (kNoCustomer for an
// id without lines).
std::vector<std::uint32_t> order_customers(const OrderLines &ol) {
  std::vector<std::uint32_t> customer(ol.orders.size(), kNoCustomer);
  for (std::size_t i = 0; i < ol.size(); ++i)
    if (customer[ol.order[i]] == kNoCustomer) customer[ol.order[i]] = ol.customer[i];
  return customer;
}

// Items 0..n-1 grouped by a dense key in [0, keys) with a counting sort:
// stable, O(n + keys), two flat vectors. Items with a key >= keys are left out.
struct Groups {
  std::vector<std::uint32_t> offset;  // keys + 1 entries
  std::vector<std::uint32_t> item;
  std::span<std::uint32_t> of(std::size_t key) {
    return std::span<std::uint32_t>(item).subspan(offset[key], offset[key + 1] - offset[key]);
  }
};

template <class KeyOf>
Groups group_by(std::size_t n, std::size_t keys, KeyOf key_of) {
  Groups g;
  g.offset.assign(keys + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (const std::size_t k = key_of(i); k < keys) ++g.offset[k + 1];
  for (std::size_t k = 0; k < keys; ++k) g.offset[k + 1] += g.offset[k];
  g.item.resize(g.offset[keys]);
  std::vector<std::uint32_t> next(g.offset.begin(), g.offset.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    if (const std::size_t k = key_of(i); k < keys) g.item[next[k]++] = static_cast<std::uint32_t>(i);
  return g;
}

// Per (period, slot) totals; a customer's contribution goes to slot "all"
// and to the customer's segment slot.
using Cells = PeriodSlots<double>;

struct Tally {
  Tally(std::size_t periods, std::size_t slots)
      : orders(periods, slots), amount(periods, slots), buyers(periods, slots), returning(periods, slots),
        cross_sold(periods, slots), cross_revenue(periods, slots), upsell_base(periods, slots),
        upsold(periods, slots) {}
  Cells orders, amount, buyers, returning, cross_sold, cross_revenue, upsell_base, upsold;
  // One entry per inter-purchase gap: cell << 32 | gap in days, the cell of
  // the customer's segment slot (>= 1). Sorting them groups the gaps by
  // cell, each group ascending; a period's "all" cell is the union of its
  // segment cells (write_gaps), so no gap is stored twice.
  std::vector<std::uint64_t> gaps;
};

// Up-sell test aov1 >= (1 + threshold) aov0. The tolerance keeps a
// decimal amount exactly on the threshold (100 -> 110 at 10%) counting,
// which binary floating point would otherwise miss (1.1 * 100 > 110).
bool is_upsell(double aov0, double aov1, double threshold) {
  const double target = (1 + threshold) * aov0;
  return aov1 >= target - 1e-9 * std::max({1.0, std::abs(aov1), std::abs(target)});
}

// What one customer did in one grid position.
struct PeriodOrders {
  int k = kOutside;
  double orders = 0;
  double amount = 0;
  double magnitude = 0;  // sum of |line amount|
};

// The order-level KPIs of one customer, whose orders are sorted by day.
class CustomerOrders {
 public:
  CustomerOrders(const PeriodGrid &grid, double threshold, std::size_t slots, Tally &t)
      : grid_(grid), threshold_(threshold), slots_(slots), t_(t) {}

  void walk(std::span<const Order> orders, std::size_t slot) {
    slot_ = slot;
    first_ = orders.front().day;
    prev_ = cur_ = PeriodOrders{};
    Day last_day = kNoDay;
    for (const Order &o : orders) {
      const Day d = o.day;
      const int k = period_of(grid_, d);
      if (k != cur_.k) close_period();
      cur_.k = k;
      cur_.orders += 1;
      cur_.amount += o.amount;
      cur_.magnitude += o.magnitude;
      // Gaps run between distinct order days; the first ever day has none.
      if (d != last_day) {
        if (last_day != kNoDay && k >= 0) add_gap(k, d - last_day);
        last_day = d;
      }
    }
    close_period();
  }

 private:
  void add_gap(int k, Day gap) {
    const auto row = static_cast<std::uint64_t>(k) * slots_;
    t_.gaps.push_back(((row + slot_) << 32) | static_cast<std::uint32_t>(gap));
  }

  void close_period() {
    const PeriodOrders p = cur_;
    if (p.k >= 0) {
      const auto k = static_cast<std::size_t>(p.k);
      t_.orders.add(k, slot_, p.orders);
      t_.amount.add(k, slot_, p.amount);
      t_.buyers.add(k, slot_, 1);
      if (first_ < grid_[k].start) t_.returning.add(k, slot_, 1);
      // Orders in P' too (prev_.k may be -1, the period before the grid), with
      // a positive aov there: growth over a net-returns period means nothing.
      // Positive after the dust rule of revenue: returns that cancel the
      // sales to the cent are zero whatever order they were summed in.
      if (prev_.k == p.k - 1 && snap_dust(prev_.amount, prev_.magnitude) > 0) {
        t_.upsell_base.add(k, slot_, 1);
        if (is_upsell(prev_.amount / prev_.orders, p.amount / p.orders, threshold_)) t_.upsold.add(k, slot_, 1);
      }
    }
    prev_ = p;
    cur_ = PeriodOrders{};
  }

  const PeriodGrid &grid_;
  double threshold_;
  std::size_t slots_;
  Tally &t_;
  std::size_t slot_ = 0;
  Day first_ = kNoDay;
  PeriodOrders prev_, cur_;
};

// A line of one customer, dated by its order.
struct CategoryLine {
  std::uint32_t category;
  Day day;
  double amount;
};

// Cross-sell of one customer: each category whose first purchase falls in a
// grid period P where the customer is a returning buyer (first order before
// P) makes the customer cross-sold in P and adds the category's lines in P
// to cross_sell_revenue. lines is scratch space, reordered here.
void walk_categories(std::vector<CategoryLine> &lines, Day first_order, const PeriodGrid &grid, std::size_t slot,
                     std::vector<std::size_t> &crossed, Tally &t) {
  std::sort(lines.begin(), lines.end(), [](const CategoryLine &a, const CategoryLine &b) {
    return a.category != b.category ? a.category < b.category : a.day < b.day;
  });
  crossed.clear();
  for (std::size_t i = 0; i < lines.size();) {
    std::size_t j = i;
    while (j < lines.size() && lines[j].category == lines[i].category) ++j;
    const int first = period_of(grid, lines[i].day);
    if (first >= 0 && first_order < grid[static_cast<std::size_t>(first)].start) {
      const auto k = static_cast<std::size_t>(first);
      const Day end = grid[k].end;
      double revenue = 0;
      for (std::size_t l = i; l < j && lines[l].day < end; ++l) revenue += lines[l].amount;
      t.cross_revenue.add(k, slot, revenue);
      crossed.push_back(k);
    }
    i = j;
  }
  // A customer counts once per period however many new categories they took.
  std::sort(crossed.begin(), crossed.end());
  crossed.erase(std::unique(crossed.begin(), crossed.end()), crossed.end());
  for (const auto k : crossed) t.cross_sold.add(k, slot, 1);
}

// Whether the customer is a returning buyer in some grid period, i.e. may
// cross-sell at all: their last order falls in a period starting after their
// first order day.
bool ever_returning(const PeriodGrid &grid, Day first_order, Day last_order) {
  const int k = period_of(grid, last_order);
  return k >= 0 && grid[static_cast<std::size_t>(k)].start > first_order;
}

// Rebuilds the orders of one customer from its lines (row order): sorted by
// id, then by day as the KPIs walk them; line_day[p] is the day of the order
// of lines[p].
void customer_orders(const OrderLines &ol, std::span<const std::uint32_t> lines, std::vector<std::uint64_t> &keyed,
                     std::vector<Order> &orders, std::vector<Day> &line_day) {
  keyed.clear();
  for (std::size_t p = 0; p < lines.size(); ++p)
    keyed.push_back(static_cast<std::uint64_t>(ol.order[lines[p]]) << 32 | p);
  std::sort(keyed.begin(), keyed.end());  // by order id, then row
  orders.clear();
  line_day.resize(lines.size());
  for (std::size_t a = 0; a < keyed.size();) {
    const auto id = static_cast<std::uint32_t>(keyed[a] >> 32);
    std::size_t b = a;
    Order o{id, kNoDay, 0.0, 0.0};
    for (; b < keyed.size() && keyed[b] >> 32 == id; ++b) {
      const std::uint32_t i = lines[keyed[b] & 0xffffffffu];
      o.day = o.day == kNoDay ? ol.day[i] : std::min(o.day, ol.day[i]);
      o.amount += ol.amount[i];
      o.magnitude += std::abs(ol.amount[i]);
    }
    for (; a < b; ++a) line_day[keyed[a] & 0xffffffffu] = o.day;
    orders.push_back(o);
  }
  std::sort(orders.begin(), orders.end(), [](const Order &x, const Order &y) { return x.day < y.day; });
}

void tally_customers(const KpiContext &ctx, std::size_t slots, Tally &t) {
  const auto &ol = ctx.data.order_lines;
  const std::size_t customers = ctx.data.customer_count();
  Groups lines_of;
  {
    const std::vector<std::uint32_t> customer_of = order_customers(ol);
    lines_of = group_by(ol.size(), customers, [&](std::size_t i) { return customer_of[ol.order[i]]; });
  }

  CustomerOrders walker(ctx.grid, ctx.settings.upsell_threshold, slots, t);
  std::vector<std::uint64_t> keyed;
  std::vector<Order> orders;
  std::vector<Day> line_day;
  std::vector<CategoryLine> scratch;
  std::vector<std::size_t> crossed;
  for (std::uint32_t c = 0; c < customers; ++c) {
    const auto lines = lines_of.of(c);
    if (lines.empty()) continue;
    customer_orders(ol, lines, keyed, orders, line_day);
    const std::size_t slot = ctx.slot_of(c);
    walker.walk(orders, slot);

    const Day first = orders.front().day;
    if (!ever_returning(ctx.grid, first, orders.back().day)) continue;
    scratch.clear();
    for (std::size_t p = 0; p < lines.size(); ++p) scratch.push_back({ol.category[lines[p]], line_day[p], ol.amount[lines[p]]});
    walk_categories(scratch, first, ctx.grid, slot, crossed, t);
  }
}

// Writes one KPI: value(period, slot) for every cell.
template <class Value>
void write(KpiResults &out, const char *name, Value value) {
  auto &m = out.add(name);
  for (std::size_t k = 0; k < out.grid().size(); ++k)
    for (std::size_t s = 0; s < out.slots(); ++s) out.at(m, k, s) = value(k, s);
}

// Mean and median of the gaps of each cell (null where a cell has none).
// The gaps are stored once, in their segment's cell; a period's "all" cell
// (slot 0) takes every gap of the period's segment cells, sorted again.
void write_gaps(KpiResults &out, std::vector<std::uint64_t> &gaps) {
  auto &mean = out.add("interpurchase_days_mean");
  auto &median = out.add("interpurchase_days_median");
  std::sort(gaps.begin(), gaps.end());
  const std::uint64_t slots = out.slots();
  auto put = [&](std::uint64_t cell, std::vector<double> &run) {
    double sum = 0;
    for (const double g : run) sum += g;
    mean.values[cell] = sum / static_cast<double>(run.size());
    median.values[cell] = percentile_sorted(run, 0.5);
  };
  std::vector<double> run, all;
  for (std::size_t i = 0; i < gaps.size();) {
    const std::uint64_t row = (gaps[i] >> 32) / slots;
    all.clear();
    for (; i < gaps.size() && (gaps[i] >> 32) / slots == row;) {
      const std::uint64_t cell = gaps[i] >> 32;
      run.clear();
      for (; i < gaps.size() && gaps[i] >> 32 == cell; ++i) run.push_back(static_cast<double>(gaps[i] & 0xffffffffu));
      if (cell % slots != 0) put(cell, run);
      all.insert(all.end(), run.begin(), run.end());
    }
    std::sort(all.begin(), all.end());
    put(row * slots, all);
  }
}

}  // namespace

void compute_purchase(const KpiContext &ctx, KpiResults &out) {
  const std::size_t slots = out.slots();
  Tally t(ctx.grid.size(), slots);
  tally_customers(ctx, slots, t);

  using K = std::size_t;
  write(out, "orders", [&](K k, K s) { return t.orders(k, s); });
  write(out, "buyers", [&](K k, K s) { return t.buyers(k, s); });
  write(out, "aov", [&](K k, K s) { return ratio(t.amount(k, s), t.orders(k, s)); });
  write(out, "purchase_frequency", [&](K k, K s) { return ratio(t.orders(k, s), t.buyers(k, s)); });
  write(out, "repeat_purchase_rate", [&](K k, K s) { return ratio(t.returning(k, s), t.buyers(k, s)); });
  write_gaps(out, t.gaps);
  write(out, "cross_sell_rate", [&](K k, K s) { return ratio(t.cross_sold(k, s), t.returning(k, s)); });
  write(out, "cross_sell_revenue", [&](K k, K s) { return t.cross_revenue(k, s); });
  write(out, "up_sell_rate", [&](K k, K s) { return ratio(t.upsold(k, s), t.upsell_base(k, s)); });
}

}  // namespace cskpi
