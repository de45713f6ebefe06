#include "kpi/voice.hpp"

#include <algorithm>

namespace cskpi {
namespace {

bool is_promoter(int score) { return score >= 9; }
bool is_detractor(int score) { return score <= 6; }

// Answer counts of one (period, slot) cell.
struct VoiceCell {
  double nps_answers = 0, promoters = 0, passives = 0, detractors = 0;
  double csat_answers = 0, csat_top = 0;
  double ces_answers = 0, ces_sum = 0;
};

// csat_top_min: the lower of the scale's top two scores (4 on 5, 6 on 7).
void count(VoiceCell &cell, FeedbackKind kind, int score, int csat_top_min) {
  switch (kind) {
    case FeedbackKind::nps:
      cell.nps_answers += 1;
      if (is_promoter(score)) cell.promoters += 1;
      else if (is_detractor(score)) cell.detractors += 1;
      else cell.passives += 1;
      break;
    case FeedbackKind::csat:
      cell.csat_answers += 1;
      if (score >= csat_top_min) cell.csat_top += 1;
      break;
    case FeedbackKind::ces:
      cell.ces_answers += 1;
      cell.ces_sum += score;
      break;
  }
}

std::vector<VoiceCell> count_answers(const KpiContext &ctx, std::size_t slots) {
  const auto &f = ctx.data.feedback;
  const int csat_top_min = ctx.settings.csat_scale - 1;
  std::vector<VoiceCell> cells(ctx.grid.size() * slots);
  for (std::size_t i = 0; i < f.size(); ++i) {
    const int k = ctx.grid.index_of(f.day[i]);
    if (k < 0) continue;
    const std::size_t row = static_cast<std::size_t>(k) * slots;
    count(cells[row], f.kind[i], f.score[i], csat_top_min);
    // An answer without a customer has no segment: it counts in "all" only.
    if (f.customer[i] != kNoCustomer) count(cells[row + ctx.slot_of(f.customer[i])], f.kind[i], f.score[i], csat_top_min);
  }
  return cells;
}

template <class Value>
void write(KpiResults &out, const char *name, const std::vector<VoiceCell> &cells, Value value) {
  auto &m = out.add(name);  // starts all null
  for (std::size_t i = 0; i < cells.size(); ++i) m.values[i] = value(cells[i]);
}

// One detractor to follow up.
struct Followup {
  std::uint32_t customer;
  std::uint32_t answer;      // row in Feedback
  std::int64_t open_tickets = 0;
  double revenue = 0;
};

constexpr std::uint32_t kNone = UINT32_MAX;

// Each customer's latest NPS answer dated in [from, as_of]; kNone where none.
// Ties on the instant go to the lower score, so a detractor is never hidden.
std::vector<std::uint32_t> latest_nps(const Dataset &data, Day from) {
  const auto &f = data.feedback;
  std::vector<std::uint32_t> latest(data.customer_count(), kNone);
  for (std::uint32_t i = 0; i < f.size(); ++i) {
    const auto c = f.customer[i];
    if (f.kind[i] != FeedbackKind::nps || c == kNoCustomer || f.day[i] < from || f.day[i] > data.as_of) continue;
    const auto l = latest[c];
    if (l == kNone || f.answered[i] > f.answered[l] || (f.answered[i] == f.answered[l] && f.score[i] < f.score[l]))
      latest[c] = i;
  }
  return latest;
}

// Tickets open at the end of as_of: opened on or before it and not resolved
// by then (the loader already reset resolutions after as_of to "not yet").
void count_open_tickets(const Dataset &data, const std::vector<std::uint32_t> &row_of, std::vector<Followup> &rows) {
  const auto &t = data.tickets;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = t.customer[i];
    if (c == kNoCustomer || row_of[c] == kNone) continue;
    if (t.opened_day[i] <= data.as_of && (t.resolved_day[i] == kNoDay || t.resolved_day[i] > data.as_of))
      ++rows[row_of[c]].open_tickets;
  }
}

// Invoice revenue (credit notes included) dated in [as_of - 364, as_of].
void sum_revenue_365d(const Dataset &data, const std::vector<std::uint32_t> &row_of, std::vector<Followup> &rows) {
  const auto &inv = data.invoices;
  for (std::size_t i = 0; i < inv.size(); ++i) {
    if (inv.day[i] < data.as_of - 364 || inv.day[i] > data.as_of || row_of[inv.customer[i]] == kNone) continue;
    rows[row_of[inv.customer[i]]].revenue += inv.amount[i];
  }
}

std::vector<Followup> find_followups(const KpiContext &ctx) {
  const Dataset &data = ctx.data;
  if (!data.present.feedback || data.as_of == kNoDay) return {};
  const auto latest = latest_nps(data, period_floor(ctx.grid.granularity(), data.as_of));
  std::vector<Followup> rows;
  std::vector<std::uint32_t> row_of(data.customer_count(), kNone);
  for (std::uint32_t c = 0; c < latest.size(); ++c) {
    if (latest[c] == kNone || !is_detractor(data.feedback.score[latest[c]])) continue;
    row_of[c] = static_cast<std::uint32_t>(rows.size());
    rows.push_back({c, latest[c]});
  }
  if (data.present.tickets) count_open_tickets(data, row_of, rows);
  if (data.present.invoices) sum_revenue_365d(data, row_of, rows);
  // Without invoices every revenue is the same (null): customer_id decides.
  const auto &ids = data.customers.ids;
  const bool by_revenue = data.present.invoices;
  std::sort(rows.begin(), rows.end(), [&](const Followup &a, const Followup &b) {
    if (by_revenue && a.revenue != b.revenue) return a.revenue > b.revenue;
    return ids.name(a.customer) < ids.name(b.customer);
  });
  return rows;
}

}  // namespace

void compute_voice(const KpiContext &ctx, KpiResults &out) {
  // An absent source is unavailable, not zero: with no cells counted, every
  // value written below stays null.
  const auto cells = ctx.data.present.feedback ? count_answers(ctx, out.slots()) : std::vector<VoiceCell>{};
  write(out, "nps", cells, [](const VoiceCell &c) { return ratio(100 * (c.promoters - c.detractors), c.nps_answers); });
  write(out, "nps_answers", cells, [](const VoiceCell &c) { return c.nps_answers; });
  write(out, "nps_promoters", cells, [](const VoiceCell &c) { return c.promoters; });
  write(out, "nps_passives", cells, [](const VoiceCell &c) { return c.passives; });
  write(out, "nps_detractors", cells, [](const VoiceCell &c) { return c.detractors; });
  write(out, "csat", cells, [](const VoiceCell &c) { return ratio(100 * c.csat_top, c.csat_answers); });
  write(out, "csat_answers", cells, [](const VoiceCell &c) { return c.csat_answers; });
  write(out, "ces", cells, [](const VoiceCell &c) { return ratio(c.ces_sum, c.ces_answers); });
  write(out, "ces_answers", cells, [](const VoiceCell &c) { return c.ces_answers; });
}

Table detractor_followups_table(const KpiContext &ctx) {
  Table table(kDetractorFollowupsTable);
  const auto customer_id = table.column_index("customer_id"), segment = table.column_index("segment"),
             answered_on = table.column_index("answered_on"), score = table.column_index("score"),
             open_tickets = table.column_index("open_tickets"), revenue = table.column_index("revenue_365d");

  const Dataset &data = ctx.data;
  for (const auto &r : find_followups(ctx)) {
    table.push_text(customer_id, data.customers.ids.name(r.customer));
    table.push_text(segment, data.segments.name(data.customers.segment[r.customer]));
    table.push_date(answered_on, data.feedback.day[r.answer]);
    table.push_int(score, data.feedback.score[r.answer]);
    if (data.present.tickets) table.push_int(open_tickets, r.open_tickets);
    else table.push_null(open_tickets);
    table.push_real(revenue, data.present.invoices ? r.revenue : kNull);
  }
  return table;
}

}  // namespace cskpi
