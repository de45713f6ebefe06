#include "kpi/health.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "core/stats.hpp"
#include "kpi/clv.hpp"

namespace cskpi {
namespace {

// Window lengths of docs/kpis.md §10: "recent" = [as_of - 89, as_of], "previous"
// = [as_of - 179, as_of - 90], voice and revenue look back [as_of - 364, as_of].
constexpr Day kWindow = 90;
constexpr Day kYear = 365;
constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// ---- component formulas (each 0..100) ------------------------------------

// r days since the last order against the customer's usual gap g: q = 1 is
// on rhythm (100), q = 3 is three gaps overdue (0), linear in between.
double recency_score(double r, double g) { return 100 * clamp01((3 - r / g) / 2); }

// Recent window a against the previous one b: 50 = steady, 100 = at least
// doubled or new, 0 = stopped; nothing in either window = 0.
double trend_score(double a, double b) {
  if (a + b == 0) return 0;
  return 100 * clamp01(0.5 + (a - b) / (2 * std::max(a, b)));
}

// n tickets opened in the recent window, o still open at the end of as_of
// (open ones weigh double: they are unresolved pain).
double support_score(std::int64_t n, std::int64_t o, int divisor) {
  return 100 * clamp01(1 - static_cast<double>(n + 2 * o) / divisor);
}

// Latest NPS score in the last 365 days, or -1 for none.
double voice_score(int nps, const HealthSettings &h) {
  if (nps < 0) return h.voice_none;
  if (nps >= 9) return 100;
  if (nps >= 7) return h.voice_passive;
  return 0;
}

// k overdue unpaid invoices.
double payment_score(std::int64_t k) { return k == 0 ? 100 : k == 1 ? 50 : 0; }

// ---- per-customer inputs, dense vectors indexed by customer ---------------

// Order days of every customer in CSR layout, sorted ascending, one entry per
// order (an order's day is the earliest of its lines, its customer that of
// its first line): a counting sort by customer, then a small sort per customer.
struct CustomerOrders {
  std::vector<std::uint32_t> offset;
  std::vector<Day> day;
};

CustomerOrders orders_by_customer(const Dataset &data) {
  const OrderLines &ol = data.order_lines;
  std::size_t orders = ol.orders.size();
  std::vector<Day> order_day(orders, std::numeric_limits<Day>::max());
  std::vector<std::uint32_t> order_customer(orders, kNoCustomer);
  for (std::size_t i = 0; i < ol.size(); ++i) {
    std::uint32_t o = ol.order[i];
    order_day[o] = std::min(order_day[o], ol.day[i]);
    if (order_customer[o] == kNoCustomer) order_customer[o] = ol.customer[i];
  }
  CustomerOrders out;
  out.offset.assign(data.customer_count() + 1, 0);
  for (std::uint32_t o = 0; o < orders; ++o)
    if (order_customer[o] != kNoCustomer) ++out.offset[order_customer[o] + 1];
  for (std::size_t c = 0; c < data.customer_count(); ++c) out.offset[c + 1] += out.offset[c];
  out.day.resize(out.offset.back());
  std::vector<std::uint32_t> fill(out.offset.begin(), out.offset.end() - 1);
  for (std::uint32_t o = 0; o < orders; ++o)
    if (order_customer[o] != kNoCustomer) out.day[fill[order_customer[o]]++] = order_day[o];
  for (std::size_t c = 0; c < data.customer_count(); ++c)
    std::sort(out.day.begin() + out.offset[c], out.day.begin() + out.offset[c + 1]);
  return out;
}

// What the order history of one customer says as of as_of.
struct OrderSignals {
  Day last = kNoDay;          // last order day
  double median_gap = kNoValue;  // over consecutive distinct order days; null with fewer than two
  std::int64_t recent = 0, previous = 0;  // orders in the two windows
};

OrderSignals order_signals(const Day *first, const Day *last, Day as_of, std::vector<double> &gaps) {
  OrderSignals s;
  gaps.clear();
  for (const Day *d = first; d != last; ++d) {
    if (d != first && *d != d[-1]) gaps.push_back(*d - d[-1]);
    Day age = as_of - *d;
    if (age < kWindow) ++s.recent;
    else if (age < 2 * kWindow) ++s.previous;
  }
  if (first != last) s.last = last[-1];
  if (!gaps.empty()) s.median_gap = percentile(gaps, 0.5);
  return s;
}

struct InvoiceSignals {
  std::vector<double> recent, previous, year;  // revenue per window
  std::vector<std::int64_t> overdue;           // unpaid invoices past due
};

InvoiceSignals invoice_signals(const Dataset &data) {
  const Invoices &inv = data.invoices;
  std::size_t n = data.customer_count();
  InvoiceSignals s{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0),
                   std::vector<std::int64_t>(n, 0)};
  for (std::size_t i = 0; i < inv.size(); ++i) {
    std::uint32_t c = inv.customer[i];
    Day age = data.as_of - inv.day[i];
    if (age < kWindow) s.recent[c] += inv.amount[i];
    else if (age < 2 * kWindow) s.previous[c] += inv.amount[i];
    if (age < kYear) s.year[c] += inv.amount[i];
    // A credit note is owed to the customer, not by them: never overdue.
    // paid is already null when the payment came after as_of.
    if (!inv.credit_note[i] && inv.due[i] != kNoDay && inv.due[i] < data.as_of && inv.paid[i] == kNoDay) ++s.overdue[c];
  }
  return s;
}

struct TicketSignals {
  std::vector<std::int64_t> opened_recent, open_now;
};

TicketSignals ticket_signals(const Dataset &data) {
  const Tickets &t = data.tickets;
  std::size_t n = data.customer_count();
  TicketSignals s{std::vector<std::int64_t>(n, 0), std::vector<std::int64_t>(n, 0)};
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::uint32_t c = t.customer[i];
    if (c == kNoCustomer) continue;
    if (data.as_of - t.opened_day[i] < kWindow) ++s.opened_recent[c];
    // resolved is already null when resolution came after as_of.
    if (t.resolved[i] == kNoTime) ++s.open_now[c];
  }
  return s;
}

// Latest NPS score per customer answered in [as_of - 364, as_of], -1 for none.
std::vector<int> latest_nps(const Dataset &data) {
  const Feedback &f = data.feedback;
  std::vector<int> score(data.customer_count(), -1);
  std::vector<Seconds> when(data.customer_count(), kNoTime);
  for (std::size_t i = 0; i < f.size(); ++i) {
    std::uint32_t c = f.customer[i];
    if (c == kNoCustomer || f.kind[i] != FeedbackKind::nps || data.as_of - f.day[i] >= kYear) continue;
    if (f.answered[i] >= when[c]) {  // ties: the later row wins
      when[c] = f.answered[i];
      score[c] = f.score[i];
    }
  }
  return score;
}

// ---- assembling the score --------------------------------------------------

enum Component { recency, frequency, monetary, support, voice, payment, p_alive, kComponents };

struct Scored {
  std::uint32_t customer;
  double score;
  std::array<double, kComponents> part;  // null = source absent
  double revenue_365d;
  Day last_order;
};

// Weighted mean over the components that are not null: dropping one
// renormalises the others. Rounded to 1e-9 so that sums of weights such as
// 0.3 + 0.15 + ... land exactly on a band threshold when they should.
double weighted_score(const std::array<double, kComponents> &part, const HealthSettings &h) {
  const std::array<double, kComponents> w{h.w_recency, h.w_frequency, h.w_monetary, h.w_support,
                                          h.w_voice,   h.w_payment,   h.w_p_alive};
  double sum = 0, weight = 0;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (std::isnan(part[i])) continue;
    sum += w[i] * part[i];
    weight += w[i];
  }
  if (weight <= 0) return kNoValue;
  return std::round(sum / weight * 1e9) / 1e9;
}

const char *band_of(double score, const HealthSettings &h) {
  if (score >= h.healthy_min) return "healthy";
  if (score >= h.attention_min) return "attention";
  return "at_risk";
}

// Most at risk first; ties by customer_id text; a null score (every weight 0) last.
void sort_rows(std::vector<Scored> &rows, const Dictionary &ids) {
  std::sort(rows.begin(), rows.end(), [&](const Scored &a, const Scored &b) {
    bool an = std::isnan(a.score), bn = std::isnan(b.score);
    if (an != bn) return bn;
    if (!an && a.score != b.score) return a.score < b.score;
    return ids.name(a.customer) < ids.name(b.customer);
  });
}

Table write_table(const KpiContext &ctx, const std::vector<Scored> &rows) {
  const Dataset &data = ctx.data;
  Table t(kHealthTable);
  const std::size_t id = t.column_index("customer_id"), segment = t.column_index("segment"),
                    score = t.column_index("score"), band = t.column_index("band");
  static const char *const names[kComponents] = {"recency", "frequency", "monetary", "support",
                                                 "voice",   "payment",   "p_alive"};
  std::array<std::size_t, kComponents> part{};
  for (std::size_t i = 0; i < part.size(); ++i) part[i] = t.column_index(names[i]);
  const std::size_t revenue = t.column_index("revenue_365d"), since = t.column_index("days_since_last_order");
  for (const Scored &r : rows) {
    t.push_text(id, data.customers.ids.name(r.customer));
    t.push_text(segment, data.segments.name(data.customers.segment[r.customer]));
    t.push_real(score, r.score);
    if (std::isnan(r.score)) t.push_null(band);
    else t.push_text(band, band_of(r.score, ctx.settings.health));
    for (std::size_t i = 0; i < part.size(); ++i) t.push_real(part[i], r.part[i]);
    t.push_real(revenue, r.revenue_365d);
    if (r.last_order == kNoDay) t.push_null(since);
    else t.push_int(since, data.as_of - r.last_order);
  }
  return t;
}

}  // namespace

Table health_table(const KpiContext &ctx) {
  const Dataset &data = ctx.data;
  const HealthSettings &h = ctx.settings.health;
  const SourcePresence &has = data.present;
  const Day as_of = data.as_of;
  const double default_gap = ctx.settings.inactivity_days / 2.0;  // W/2 with fewer than two order days

  CustomerOrders orders = orders_by_customer(data);
  InvoiceSignals inv = has.invoices ? invoice_signals(data) : InvoiceSignals{};
  TicketSignals tic = has.tickets ? ticket_signals(data) : TicketSignals{};
  std::vector<int> nps = has.feedback ? latest_nps(data) : std::vector<int>{};
  // The BG/NBD fit only runs when its component counts (docs/kpis.md §10.3).
  std::vector<double> alive = h.w_p_alive > 0 ? p_alive_by_customer(data, ctx.settings) : std::vector<double>{};

  std::vector<Scored> rows;
  std::vector<double> gaps;  // scratch, reused across customers
  for (std::uint32_t c = 0; c < data.customer_count(); ++c) {
    if (!ctx.activity.active_on(c, as_of)) continue;
    const Day *first = orders.day.data() + orders.offset[c], *last = orders.day.data() + orders.offset[c + 1];
    OrderSignals o = order_signals(first, last, as_of, gaps);

    Scored r{c, kNoValue, {}, kNoValue, o.last};
    r.part.fill(kNoValue);
    // No order at all (possible in subscriptions mode): the worst recency.
    double gap = std::isnan(o.median_gap) ? default_gap : o.median_gap;
    r.part[recency] = o.last == kNoDay ? 0 : recency_score(as_of - o.last, gap);
    r.part[frequency] = trend_score(static_cast<double>(o.recent), static_cast<double>(o.previous));
    if (has.invoices) {
      r.part[monetary] = trend_score(std::max(inv.recent[c], 0.0), std::max(inv.previous[c], 0.0));
      r.part[payment] = payment_score(inv.overdue[c]);
      r.revenue_365d = inv.year[c];
    }
    if (has.tickets) r.part[support] = support_score(tic.opened_recent[c], tic.open_now[c], h.support_divisor);
    if (has.feedback) r.part[voice] = voice_score(nps[c], h);
    if (!alive.empty()) r.part[p_alive] = 100 * alive[c];  // NaN (null) without a converged fit
    r.score = weighted_score(r.part, h);
    rows.push_back(r);
  }
  sort_rows(rows, data.customers.ids);
  return write_table(ctx, rows);
}

HealthSummary summarize_health(const Table &health) {
  HealthSummary s;
  int col = health.find_column("band");
  if (col < 0) return s;
  const Column &band = health.column(static_cast<std::size_t>(col));
  for (std::size_t r = 0; r < health.row_count(); ++r) {
    if (band.null[r]) continue;
    if (band.text[r] == "healthy") ++s.healthy;
    else if (band.text[r] == "attention") ++s.attention;
    else ++s.at_risk;
  }
  return s;
}

}  // namespace cskpi
