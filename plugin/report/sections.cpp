// The report's sections (docs/report.md lists what each shows and where its
// numbers come from in docs/kpis.md).
#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string_view>

#include "core/kpi_results.hpp"
#include "report/html.hpp"

namespace cskpi::report {
namespace {

// ---- headline cards ---------------------------------------------------------

// good: +1 when a rise is good for the KPI (NRR), -1 when it is bad (churn).
struct CardSpec {
  const char *kpi, *label;
  Unit unit;
  int good;
  const char *answers = nullptr;  // sparse KPI: show the latest period with answers
};

// The change of v against base as the card writes it: rates in percentage
// points, scores in points, hours in hours, counts and amounts in percent.
std::string change_text(const Page &page, Unit unit, double v, double base) {
  if (is_null(v) || is_null(base)) return "—";
  switch (unit) {
    case Unit::fraction: return format_signed((v - base) * 100, 1, page.lang) + "\u00a0" + page.t("pp");
    case Unit::score: return format_signed(v - base, 1, page.lang) + "\u00a0" + page.t("pts");
    case Unit::hours: return format_signed(v - base, 1, page.lang) + "\u00a0h";
    default:
      if (base == 0) return format_signed(v - base, 0, page.lang);
      return format_signed((v - base) / std::fabs(base) * 100, 1, page.lang) +
             (page.lang == Lang::en ? "%" : "\u00a0%");
  }
}

// The change's colour: good or bad for the KPI, grey when it shows as 0 at
// the card's precision (0.0 p.p. in red would say "worse" about nothing).
const char *tone(int good, double v, double base, double precision = 0.05) {
  if (is_null(v) || is_null(base) || std::fabs(v - base) < precision) return "flat";
  return (v > base) == (good > 0) ? "good" : "bad";
}

double precision(Unit unit, double base) {
  switch (unit) {
    case Unit::fraction: return 0.0005;  // 0.05 p.p.
    case Unit::score:
    case Unit::hours: return 0.05;
    default: return std::fabs(base) * 0.0005;  // 0.05 %
  }
}

std::string comparison(const Page &page, const CardSpec &c, double v, int p) {
  if (p < 0) return "<div class=\"d flat\">" + escape(page.t("vs_previous")) + " — </div>";
  const double base = page.view.value(c.kpi, p);
  return "<div class=\"d " + std::string(tone(c.good, v, base, precision(c.unit, base))) + "\">" + escape(page.t("vs_previous")) + " " +
         escape(page.period(p)) + ": " + escape(change_text(page, c.unit, v, base)) + "</div>";
}

int year_before(const Page &page, int p) {
  const PeriodGrid &g = page.view.data().kpis.grid();
  const Day ago = period_year_ago(g.granularity(), g[static_cast<std::size_t>(p)].start);
  const int j = g.index_of(ago);
  return j >= 0 && g[static_cast<std::size_t>(j)].start == ago ? j : -1;
}

std::string card(const Page &page, const CardSpec &c) {
  int p = static_cast<int>(page.view.current());
  std::string when;
  if (c.answers) {
    p = page.view.latest_with(c.answers);
    if (p >= 0 && p != static_cast<int>(page.view.current()))
      when = "<div class=\"when\">" + escape(page.t("latest_answers")) + ": " + escape(page.period(p)) + "</div>";
  }
  const double v = page.view.value(c.kpi, p);
  std::string out = "<div class=\"card\" data-kpi=\"" + std::string(c.kpi) + "\" data-period=\"" + page.iso(p) +
                    "\"><div class=\"k\">" + escape(page.t(c.label)) + "</div><div class=\"v\">" +
                    escape(format_value(v, c.unit, page.lang)) + "</div>";
  if (c.answers && p >= 0)
    out += "<div class=\"when\">" + format_number(page.view.value(c.answers, p), 0, page.lang) + " " +
           escape(page.t(page.view.value(c.answers, p) == 1 ? "answer" : "answers")) + "</div>";
  out += when;
  if (p >= 0) out += comparison(page, c, v, p - 1) + comparison(page, c, v, year_before(page, p));
  return out + "</div>";
}

std::size_t at_risk_count(const Page &page) {
  const Table &h = page.view.data().health;
  std::size_t n = 0;
  for (std::size_t r : page.view.rows(h)) n += text_at(h, "band", r) == "at_risk";
  return n;
}

// ---- helpers ------------------------------------------------------------------

Series series(const Page &page, const char *kpi, const char *label, int color, bool down = false) {
  return Series{kpi, page.t(label), page.view.series(kpi), color, down};
}

Chart chart(const Page &page, const char *id, const char *title, const char *unit_label, Unit unit,
            std::vector<Series> s) {
  return Chart{id, page.t(title), unit_label, unit, &page.axis, std::move(s)};
}

const char *pct(const Page &) { return "%"; }

// Rows of customer_movements in the current period with a revenue movement
// of `kind`, largest amount first: the first n of this segment in the list
// collect_report_data indexed once for every segment (model.hpp
// CurrentMovements; filtering a stably sorted list keeps its order).
std::vector<std::size_t> top_movements(const Page &page, const char *kind, std::size_t n) {
  const ReportData &d = page.view.data();
  const Column &segment = d.movements.column(d.movements.column_index("segment"));
  const bool every_segment = page.view.segment() == "all";
  std::vector<std::size_t> rows;
  for (std::size_t r : std::string_view(kind) == "churned" ? d.current_movements.churned : d.current_movements.expansion) {
    if (rows.size() == n) break;
    if (every_segment || segment.text[r] == page.view.segment()) rows.push_back(r);
  }
  return rows;
}

std::string churned_table(const Page &page) {
  const Table &t = page.view.data().movements;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r : top_movements(page, "churned", 10))
    rows.push_back({escape(text_at(t, "customer_id", r)), escape(text_at(t, "segment", r)),
                    format_number(real_at(t, "amount", r), 2, page.lang),
                    text_at(t, "flow_event", r) == "churned" ? day_name(parse_day(text_at(t, "event_day", r)), page.lang)
                                                             : "—"});
  return "<div><h3>" + escape(page.t("top_churned")) + " · " +
         escape(page.period(static_cast<int>(page.view.current()))) + "</h3>" +
         table_html({page.t("customer"), page.t("segment_col"), std::string("#") + page.t("revenue_lost"),
                     page.t("churn_day")},
                    rows, page.t("none_in_period")) +
         "</div>";
}

std::string expansion_table(const Page &page) {
  const Table &t = page.view.data().movements;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r : top_movements(page, "expansion", 10))
    rows.push_back({escape(text_at(t, "customer_id", r)), escape(text_at(t, "segment", r)),
                    format_number(real_at(t, "v0", r), 2, page.lang), format_number(real_at(t, "v1", r), 2, page.lang),
                    "+" + format_number(real_at(t, "amount", r), 2, page.lang)});
  return "<div><h3>" + escape(page.t("top_expansions")) + " · " +
         escape(page.period(static_cast<int>(page.view.current()))) + "</h3>" +
         table_html({page.t("customer"), page.t("segment_col"), std::string("#") + page.t("before"),
                     std::string("#") + page.t("after"), std::string("#") + page.t("gain")},
                    rows, page.t("none_in_period")) +
         "</div>";
}

// A cohort table as a heatmap: the last 12 cohorts up to the current period,
// offsets 0..12, cells only for periods that are complete.
Heatmap cohort_heatmap(const Page &page, const Table &t, const char *value_column, const char *id, const char *title,
                       Unit unit) {
  constexpr std::size_t kCohorts = 12, kOffsets = 13;
  const PeriodGrid &g = page.view.data().kpis.grid();
  const Day last = g[page.view.current()].start;
  std::map<std::string, std::vector<double>> cells;  // cohort -> offsets
  for (std::size_t r : page.view.rows(t)) {
    const std::string start = text_at(t, "period_start", r);
    const double off = real_at(t, "period_offset", r);
    if (parse_day(start) > last || off >= kOffsets) continue;
    auto &row = cells.try_emplace(text_at(t, "cohort_start", r), kOffsets, kNull).first->second;
    row[static_cast<std::size_t>(off)] = real_at(t, value_column, r);
  }
  Heatmap h{id, page.t(title), t.name(), page.t("cohort"), page.t("offset"), unit, {}, {}, kOffsets, {}};
  auto first = cells.size() > kCohorts ? std::next(cells.begin(), static_cast<long>(cells.size() - kCohorts))
                                       : cells.begin();
  for (auto it = first; it != cells.end(); ++it) {
    h.row_iso.push_back(it->first);
    h.row_label.push_back(period_short(page.granularity, parse_day(it->first), page.lang));
    h.cells.insert(h.cells.end(), it->second.begin(), it->second.end());
  }
  return h;
}

std::string component_cell(const Table &t, const char *c, std::size_t r, double lowest, Lang lang) {
  const double v = real_at(t, c, r);
  const std::string s = format_number(v, 0, lang);
  return !is_null(v) && v == lowest ? "<b>" + s + "</b>" : s;
}

std::string at_risk_table(const Page &page) {
  const Table &t = page.view.data().health;
  const char *components[] = {"recency", "frequency", "monetary", "support", "voice", "payment"};
  std::vector<std::size_t> rows;
  for (std::size_t r : page.view.rows(t))
    if (text_at(t, "band", r) == "at_risk") rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(),
                   [&](std::size_t a, std::size_t b) { return real_at(t, "score", a) < real_at(t, "score", b); });
  if (rows.size() > 15) rows.resize(15);
  std::vector<std::string> head{page.t("customer"), page.t("segment_col"), std::string("#") + page.t("score")};
  for (const char *c : components) head.push_back(std::string("#") + page.t(c));
  head.push_back(std::string("#") + page.t("revenue_365d"));
  head.push_back(std::string("#") + page.t("days_since_last_order"));
  std::vector<std::vector<std::string>> body;
  for (std::size_t r : rows) {
    double lowest = INFINITY;
    for (const char *c : components)
      if (const double v = real_at(t, c, r); !is_null(v)) lowest = std::min(lowest, v);
    std::vector<std::string> row{escape(text_at(t, "customer_id", r)), escape(text_at(t, "segment", r)),
                                 format_number(real_at(t, "score", r), 1, page.lang)};
    for (const char *c : components) row.push_back(component_cell(t, c, r, lowest, page.lang));
    row.push_back(format_number(real_at(t, "revenue_365d", r), 2, page.lang));
    row.push_back(format_number(real_at(t, "days_since_last_order", r), 0, page.lang));
    body.push_back(std::move(row));
  }
  return "<h3>" + escape(page.t("at_risk_list")) + "</h3>" + table_html(head, body, page.t("no_data"));
}

std::string detractor_table(const Page &page) {
  const Table &t = page.view.data().detractors;
  std::vector<std::vector<std::string>> body;
  for (std::size_t r : page.view.rows(t)) {
    if (body.size() == 15) break;
    const std::string answered = text_at(t, "answered_on", r);
    body.push_back({escape(text_at(t, "customer_id", r)), escape(text_at(t, "segment", r)),
                    answered.empty() ? "—" : day_name(parse_day(answered), page.lang),
                    format_number(real_at(t, "score", r), 0, page.lang),
                    format_number(real_at(t, "open_tickets", r), 0, page.lang),
                    format_number(real_at(t, "revenue_365d", r), 2, page.lang)});
  }
  return "<h3>" + escape(page.t("detractors")) + "</h3>" +
         table_html({page.t("customer"), page.t("segment_col"), page.t("answered_on"), std::string("#") + page.t("score"),
                     std::string("#") + page.t("open_tickets"), std::string("#") + page.t("revenue_365d")},
                    body, page.t("no_data"));
}

std::string breakdown_table(const Page &page) {
  const Table &t = page.view.data().ticket_breakdown;
  const std::string period = page.iso(static_cast<int>(page.view.current()));
  std::vector<std::vector<std::string>> body;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (text_at(t, "period_start", r) != period) continue;
    const double change = real_at(t, "change", r);
    body.push_back({escape(page.t(text_at(t, "dimension", r).c_str())), escape(text_at(t, "value", r)),
                    format_number(real_at(t, "tickets_opened", r), 0, page.lang),
                    format_percent(real_at(t, "share", r), 1, page.lang),
                    format_number(real_at(t, "tickets_opened_previous", r), 0, page.lang),
                    "<span class=\"" + std::string(tone(-1, change, 0, 0.5)) + "\">" +
                        format_signed(change, 0, page.lang) + "</span>"});
  }
  return "<h3>" + escape(page.t("breakdown")) + " · " + escape(page.period(static_cast<int>(page.view.current()))) +
         "</h3><p class=\"note\">" + escape(page.t("breakdown_question")) + "</p>" +
         table_html({"", page.t("category") + std::string(" / ") + page.t("channel"), std::string("#") + page.t("tickets"),
                     std::string("#") + page.t("share"), std::string("#") + page.t("previous"),
                     std::string("#") + page.t("change")},
                    body, page.t("no_data"));
}

std::string voice_card(const Page &page, const char *kpi, const char *answers) {
  return card(page, CardSpec{kpi, kpi, Unit::score, std::string_view(kpi) == "ces" ? -1 : 1, answers});
}

}  // namespace

std::string headline_section(const Page &page) {
  const bool subs = page.view.data().revenue_subscriptions;
  const CardSpec cards[] = {
      {"customers_active_end", "customers_active_end", Unit::count, 1},
      {"churn_rate", "churn_rate", Unit::fraction, -1},
      {"retention_rate", "retention_rate", Unit::fraction, 1},
      {"nrr", "nrr", Unit::fraction, 1},
      {"grr", "grr", Unit::fraction, 1},
      {subs ? "mrr_end" : "revenue", subs ? "mrr_end" : "revenue", Unit::amount, 1},
      {"nps", "nps", Unit::score, 1, "nps_answers"},
      {"csat", "csat", Unit::score, 1, "csat_answers"},
      {"ttr_business_hours_median", "ttr_business_hours_median", Unit::hours, -1},
      {"sla_breach_rate", "sla_breach_rate", Unit::fraction, -1},
  };
  std::string out = section_open(page, "headline", "sec_headline") + "<div class=\"cards\">";
  for (const CardSpec &c : cards) out += card(page, c);
  out += "<div class=\"card\" data-kpi=\"at_risk_customers\"><div class=\"k\">" + escape(page.t("at_risk_customers")) +
         "</div><div class=\"v\">" + format_number(static_cast<double>(at_risk_count(page)), 0, page.lang) +
         "</div><div class=\"when\">" + escape(page.t("as_of")) + " " +
         escape(day_name(page.view.data().as_of, page.lang)) + "</div></div>";
  return out + "</div></section>";
}

std::string flow_section(const Page &page) {
  const ReportData &d = page.view.data();
  if (d.activity_subscriptions && !d.present.subscriptions)
    return unavailable(page, "flow", "sec_flow", "no_subscriptions_source");
  const char *customers = page.t("customers");
  return section_open(page, "flow", "sec_flow") + "<div class=\"charts\">" +
         bar_chart(chart(page, "chart-flow", "chart_flow", customers, Unit::count,
                         {series(page, "customers_new", "customers_new", 1),
                          series(page, "customers_reactivated", "customers_reactivated", 2),
                          series(page, "customers_churned", "customers_churned", 6, true)}),
                   page.lang) +
         line_chart(chart(page, "chart-active", "chart_active", customers, Unit::count,
                          {series(page, "customers_active_end", "customers_active_end", 1)}),
                    page.lang) +
         line_chart(chart(page, "chart-retention", "chart_retention", pct(page), Unit::fraction,
                          {series(page, "retention_rate", "retention_rate", 2),
                           series(page, "churn_rate", "churn_rate", 6)}),
                    page.lang) +
         "</div></section>";
}

std::string revenue_section(const Page &page) {
  const ReportData &d = page.view.data();
  if (d.revenue_subscriptions ? !d.present.subscriptions : !d.present.invoices)
    return unavailable(page, "revenue", "sec_revenue",
                       d.revenue_subscriptions ? "no_subscriptions_source" : "no_invoices_source");
  const char *amount = page.t("amount");
  return section_open(page, "revenue", "sec_revenue") + "<div class=\"charts\">" +
         bar_chart(chart(page, "chart-revenue", "chart_revenue", amount, Unit::amount,
                         {series(page, "new_revenue", "new_revenue", 1),
                          series(page, "reactivation_revenue", "reactivation_revenue", 2),
                          series(page, "expansion_revenue", "expansion_revenue", 3),
                          series(page, "contraction_revenue", "contraction_revenue", 5, true),
                          series(page, "churned_revenue", "churned_revenue", 6, true)}),
                   page.lang) +
         line_chart(chart(page, "chart-nrr", "chart_nrr", pct(page), Unit::fraction,
                          {series(page, "nrr", "nrr", 1), series(page, "grr", "grr", 4)}),
                    page.lang) +
         line_chart(chart(page, "chart-quick", "chart_quick", page.t("ratio"), Unit::ratio,
                          {series(page, "quick_ratio", "quick_ratio", 3)}),
                    page.lang) +
         "</div><div class=\"two\">" + churned_table(page) + expansion_table(page) + "</div></section>";
}

std::string cohorts_section(const Page &page) {
  const ReportData &d = page.view.data();
  std::string out = section_open(page, "cohorts", "sec_cohorts") + "<div class=\"charts\">" +
                    heatmap(cohort_heatmap(page, d.cohort_retention, "rate", "chart-cohort-retention",
                                           "chart_cohort_retention", Unit::fraction),
                            page.lang);
  if (d.present.invoices)
    out += heatmap(cohort_heatmap(page, d.cohort_revenue, "ratio", "chart-cohort-revenue", "chart_cohort_revenue",
                                  Unit::ratio),
                   page.lang);
  else
    out += "<p class=\"note unavailable\">" + escape(page.t("no_invoices_source")) + "</p>";
  return out + "</div></section>";
}

std::string support_section(const Page &page) {
  if (!page.view.data().present.tickets) return unavailable(page, "support", "sec_support", "no_tickets_source");
  const char *tickets = page.t("tickets"), *hours = page.t("hours");
  return section_open(page, "support", "sec_support") + "<div class=\"charts\">" +
         line_chart(chart(page, "chart-tickets", "chart_tickets", tickets, Unit::count,
                          {series(page, "tickets_opened", "tickets_opened", 1),
                           series(page, "tickets_resolved", "tickets_resolved", 2),
                           series(page, "backlog_end", "backlog_end", 5)}),
                    page.lang) +
         line_chart(chart(page, "chart-ttr", "chart_ttr", hours, Unit::hours,
                          {series(page, "ttr_hours_median", "ttr_hours_median", 1),
                           series(page, "ttr_hours_p90", "ttr_hours_p90", 3),
                           series(page, "ttr_business_hours_median", "ttr_business_hours_p50", 2),
                           series(page, "ttr_business_hours_p90", "ttr_business_hours_p90", 4)}),
                    page.lang) +
         line_chart(chart(page, "chart-frt", "chart_frt", hours, Unit::hours,
                          {series(page, "frt_hours_median", "frt_hours_median", 1),
                           series(page, "frt_hours_p90", "frt_hours_p90", 3),
                           series(page, "frt_business_hours_median", "frt_business_hours_median", 2),
                           series(page, "frt_business_hours_p90", "frt_business_hours_p90", 4)}),
                    page.lang) +
         line_chart(chart(page, "chart-sla", "chart_sla", pct(page), Unit::fraction,
                          {series(page, "sla_breach_rate", "sla_breach_rate", 6),
                           series(page, "reopen_rate", "reopen_rate", 4)}),
                    page.lang) +
         "</div>" + breakdown_table(page) + "</section>";
}

std::string voice_section(const Page &page) {
  if (!page.view.data().present.feedback) return unavailable(page, "voice", "sec_voice", "no_feedback_source");
  std::string out = section_open(page, "voice", "sec_voice") + "<div class=\"cards\">" +
                    voice_card(page, "nps", "nps_answers") + voice_card(page, "csat", "csat_answers") +
                    voice_card(page, "ces", "ces_answers") + "</div>";
  if (const int p = page.view.latest_with("nps_answers"); p >= 0) {
    out += "<h3>NPS · " + escape(page.period(p)) + "</h3>" +
           share_bar("nps-split",
                     {{"nps_promoters", page.t("nps_promoters"), page.view.value("nps_promoters", p), 2},
                      {"nps_passives", page.t("nps_passives"), page.view.value("nps_passives", p), 4},
                      {"nps_detractors", page.t("nps_detractors"), page.view.value("nps_detractors", p), 6}},
                     page.lang);
  }
  return out + "<div class=\"charts\">" +
         line_chart(chart(page, "chart-nps", "chart_nps", page.t("points"), Unit::score,
                          {series(page, "nps", "nps", 1)}),
                    page.lang) +
         "</div></section>";
}

std::string health_section(const Page &page) {
  const Table &h = page.view.data().health;
  double bands[3] = {0, 0, 0};
  for (std::size_t r : page.view.rows(h)) {
    const std::string b = text_at(h, "band", r);
    bands[0] += b == "healthy", bands[1] += b == "attention", bands[2] += b == "at_risk";
  }
  return section_open(page, "health", "sec_health") + "<h3>" + escape(page.t("bands")) + "</h3>" +
         share_bar("health-bands",
                   {{"healthy", page.t("healthy"), bands[0], 2},
                    {"attention", page.t("attention"), bands[1], 4},
                    {"at_risk", page.t("at_risk"), bands[2], 6}},
                   page.lang) +
         at_risk_table(page) + (page.view.data().present.feedback ? detractor_table(page) : "") + "</section>";
}

// "Alive but slipping" (docs/kpis.md §13.12): the model data holds the clv
// rows whose P(alive) fell below clv.at_risk_below, most repeat revenue
// first (kpi/clv.hpp alive_but_slipping). Left out when the library has no
// clv table.
std::string clv_section(const Page &page) {
  const auto &clv = page.view.data().clv;
  if (!clv) return "";
  std::vector<std::size_t> rows = page.view.rows(*clv);
  if (rows.size() > 15) rows.resize(15);
  std::vector<std::vector<std::string>> body;
  for (std::size_t r : rows)
    body.push_back({escape(text_at(*clv, "customer_id", r)), escape(text_at(*clv, "segment", r)),
                    format_percent(real_at(*clv, "p_alive", r), 0, page.lang),
                    format_number(real_at(*clv, "expected_purchases", r), 1, page.lang),
                    format_number(real_at(*clv, "clv", r), 2, page.lang)});
  return section_open(page, "clv", "sec_clv") + "<p class=\"note\">" + escape(page.t("clv_note")) + "</p>" +
         table_html({page.t("customer"), page.t("segment_col"), std::string("#") + page.t("p_alive"),
                     std::string("#") + page.t("expected_purchases"), std::string("#") + page.t("clv")},
                    body, page.t("no_data")) +
         "</section>";
}

std::string quality_section(const Page &page) {
  const Table &q = page.view.data().quality;
  std::string out = section_open(page, "quality", "sec_quality");
  if (q.row_count() == 0) return out + "<p>" + escape(page.t("quality_none")) + "</p></section>";
  out += "<ul>";
  for (std::size_t r = 0; r < q.row_count(); ++r) {
    const std::string reason = text_at(q, "reason", r), action = text_at(q, "action", r);
    std::string phrase = reason;
    try {
      phrase = page.t(reason);
    } catch (const std::logic_error &) {  // a reason newer than this page: its name
    }
    out += "<li><b>" + format_number(real_at(q, "rows", r), 0, page.lang) + "</b> " + escape(page.t(real_at(q, "rows", r) == 1 ? "row_of" : "rows_of")) +
           " <code>" + escape(text_at(q, "source", r)) + "</code> " + escape(phrase) + " — " +
           escape(page.t(action == "skipped" ? "skipped" : "flagged")) + ".</li>";
  }
  return out + "</ul></section>";
}

}  // namespace cskpi::report
