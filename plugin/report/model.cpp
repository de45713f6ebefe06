#include "report/model.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "engine/table_registry.hpp"
#include "kpi/clv.hpp"

namespace cskpi::report {

ReportData collect_report_data(Engine &engine, Day as_of, Granularity g) {
  const Dataset &d = engine.dataset(as_of);
  ReportData out(engine.compute_kpis(d, g));
  out.as_of = as_of;
  out.first_day = d.first_day;
  out.present = d.present;
  out.revenue_subscriptions = engine.settings().revenue_mode == RevenueMode::subscriptions;
  out.activity_subscriptions = engine.settings().activity_mode == ActivityMode::subscriptions;
  out.backend = engine.settings().source.backend;
  out.profile = engine.settings().source.profile;
  out.movements = engine.compute_table(d, g, "customer_movements");
  if (const int p = last_complete_period(out.kpis.grid()); p >= 0)
    out.current_movements = index_current_movements(out.movements, out.kpis.grid()[static_cast<std::size_t>(p)].start);
  out.cohort_retention = engine.compute_table(d, g, "cohort_retention");
  out.cohort_revenue = engine.compute_table(d, g, "cohort_revenue");
  out.ticket_breakdown = engine.compute_table(d, g, "ticket_breakdown");
  out.health = engine.compute_table(d, g, "health");
  out.detractors = engine.compute_table(d, g, "detractor_followups");
  out.quality = engine.compute_table(d, g, "data_quality");
  // The "alive but slipping" list: the clv rows below clv.at_risk_below,
  // most repeat revenue first (docs/kpis.md §13.12).
  if (find_table("clv"))
    out.clv = alive_but_slipping(engine.compute_table(d, g, "clv"), engine.settings().clv.at_risk_below);
  return out;
}

int last_complete_period(const PeriodGrid &g) {
  int complete = -1;
  for (std::size_t p = 0; p < g.size(); ++p)
    if (!g.partial(p)) complete = static_cast<int>(p);
  return complete;
}

CurrentMovements index_current_movements(const Table &t, Day start) {
  const std::string period = format_day(start);
  const Column &from = t.column(t.column_index("period_start")), &move = t.column(t.column_index("revenue_movement")),
               &amount = t.column(t.column_index("amount"));
  CurrentMovements out;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (move.null[r] || from.text[r] != period) continue;
    if (move.text[r] == "churned") out.churned.push_back(r);
    else if (move.text[r] == "expansion") out.expansion.push_back(r);
  }
  for (auto *rows : {&out.churned, &out.expansion})
    std::stable_sort(rows->begin(), rows->end(),
                     [&](std::size_t a, std::size_t b) { return amount.reals[a] > amount.reals[b]; });
  return out;
}

namespace {

std::string segment_list(const std::vector<std::string> &names) {
  std::string list;
  for (const auto &n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}

}  // namespace

SegmentView::SegmentView(const ReportData &data, const std::string &segment) : data_(data), segment_(segment) {
  const auto &names = data.kpis.slot_names();
  const auto it = std::find(names.begin(), names.end(), segment);
  if (it == names.end())
    throw ConfigError("report option 'segment': unknown segment '" + segment + "' (segments: " + segment_list(names) +
                      ")");
  slot_ = static_cast<std::size_t>(it - names.begin());
  const PeriodGrid &g = data.kpis.grid();
  const int complete = last_complete_period(g);
  if (complete < 0 || data.first_day == kNoDay)
    throw ConfigError("report option 'as_of': no complete " + std::string(granularity_name(g.granularity())) +
                      " with data up to " + format_day(data.as_of) +
                      (data.first_day == kNoDay ? " (the sources have no rows up to it)"
                                                : " (the data starts on " + format_day(data.first_day) + ")"));
  current_ = static_cast<std::size_t>(complete);
  const Day ago = period_year_ago(g.granularity(), g[current_].start);
  if (const int j = g.index_of(ago); j >= 0 && g[static_cast<std::size_t>(j)].start == ago) year_ago_ = j;
  const std::size_t first = current_ + 1 > kWindow ? current_ + 1 - kWindow : 0;
  for (std::size_t p = first; p <= current_; ++p) window_.push_back(p);
}

double SegmentView::value(const char *kpi, int p) const {
  const KpiMatrix *m = data_.kpis.find(kpi);
  if (!m || p < 0) return kNull;
  return data_.kpis.get(*m, static_cast<std::size_t>(p), slot_);
}

std::vector<double> SegmentView::series(const char *kpi) const {
  std::vector<double> out;
  for (std::size_t p : window_) out.push_back(value(kpi, static_cast<int>(p)));
  return out;
}

int SegmentView::latest_with(const char *count_kpi) const {
  for (int p = static_cast<int>(current_); p >= 0; --p)
    if (const double n = value(count_kpi, p); !is_null(n) && n > 0) return p;
  return -1;
}

std::vector<std::size_t> SegmentView::rows(const Table &t) const {
  // Per-customer tables name the customer's own segment, so "all" is every
  // row; the cohort tables carry an "all" slot of their own (§9).
  const bool own_all_rows = t.name() == "cohort_retention" || t.name() == "cohort_revenue";
  const int c = t.find_column("segment");
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (c < 0 || (segment_ == "all" && !own_all_rows) || t.column(static_cast<std::size_t>(c)).text[r] == segment_)
      out.push_back(r);
  return out;
}

double real_at(const Table &t, const char *column, std::size_t row) {
  const Column &c = t.column(t.column_index(column));
  if (c.null[row]) return kNull;
  return c.type == ColumnType::real ? c.reals[row] : static_cast<double>(c.ints[row]);
}

std::string text_at(const Table &t, const char *column, std::size_t row) {
  const Column &c = t.column(t.column_index(column));
  return c.null[row] ? std::string() : c.text[row];
}

bool is_null_at(const Table &t, const char *column, std::size_t row) {
  return t.column(t.column_index(column)).null[row] != 0;
}

}  // namespace cskpi::report
