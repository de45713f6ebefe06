// Surveys: CSAT and CES invitations after a ticket is closed (and the
// goodwill concessions slow tickets earn), and the relationship NPS
// campaigns.
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

// After closing: CSAT (and for chat/portal CES) invitations, sometimes a
// goodwill concession when an important ticket took long.
void Generator::ticket_closed(const Event &e) {
  const double bad = e.x;
  {
    const bool answered = rng_.chance(0.20);
    const std::int64_t at = e.t + static_cast<std::int64_t>(rng_.lognormal(5, 1.2) * kHour);
    const int score = std::clamp(static_cast<int>(std::lround(4.3 - 0.6 * bad + 0.8 * rng_.normal())), 1, 5);
    write_answer(kSurveyCsat, e.b2, e.b, e.t, answered && at < end_, at, score);
  }
  if (e.a == 2 || e.a == 3 || rng_.chance(0.1)) {
    const bool answered = rng_.chance(0.15);
    const std::int64_t at = e.t + static_cast<std::int64_t>(rng_.lognormal(6, 1.2) * kHour);
    const int score = std::clamp(static_cast<int>(std::lround(2.5 + 1.2 * bad + 1.3 * rng_.normal())), 1, 10);
    write_answer(kSurveyCes, e.b2, e.b, e.t + 1, answered && at < end_, at, score);
  }
  if (e.a2 >= 2 && e.x2 > 72 && rng_.chance(0.25)) {
    const int seg = customers_.empty() ? 0 : customers_[e.cust].segment;
    const double amount = std::round(rng_.uniform(50, 250) * (seg == kEnt ? 3.0 : seg == kMid ? 1.6 : 1.0));
    const double s = rng_.u();
    expense_.i(++expense_id_).s(fmt_date(day_of(e.t))).s("concession")
        .s("Goodwill credit, ticket #" + std::to_string(e.b)).r(amount)
        .s(s < 0.85 ? "approved" : s < 0.95 ? "draft" : "refused").end_row();
  }
}

void Generator::write_answer(int survey, std::int64_t partner, std::int64_t ticket, std::int64_t sent, bool answered,
                             std::int64_t at, int score) {
  answer_.i(++answer_id_).i(survey).i_or_null(partner != 0, partner).i_or_null(ticket != 0, ticket)
      .s(answered ? "done" : "new").s(fmt_ts(sent)).s_or_null(answered, fmt_ts(at)).i_or_null(answered, score)
      .s(fmt_ts(answered ? std::max(at, sent) : sent)).end_row();
}

// Relationship NPS, rolling: each customer is asked twice a year, on the
// 15th (09:00 UTC) of month 1 + c % 6 and six months later, so every month a
// sixth of the customers is asked and every period of the quick start has
// answers (a twice-a-year campaign for everyone at once would leave most
// months without any; the report handles that case too).
std::int64_t Generator::next_campaign(std::int64_t t, std::uint32_t customer) {
  const unsigned first = 1 + customer % 6;
  int y = civil_date(to_day(day_of(t))).year;
  for (;; ++y) {
    for (unsigned m : {first, first + 6}) {
      const std::int64_t c = make_day(y, m, 15) * kDay + 9 * kHour;
      if (c >= t) return c;
    }
  }
}

void Generator::nps(const Event &e) {
  Customer &c = customers_[e.cust];
  push(next_campaign(e.t + kDay, e.cust) + e.cust % 7200, Kind::nps, e.cust);
  const bool active = (e.t - c.last_order_t < 200 * kDay && e.t < c.churn_at) || c.sub_until > e.t;
  if (!active) return;
  const std::int64_t partner = (c.contacts > 0 && rng_.chance(0.7)) ? c.partner + 1 : c.partner;
  const bool answered = rng_.chance(0.11);
  const std::int64_t at = e.t + static_cast<std::int64_t>(std::min(rng_.lognormal(20, 1.3), 24.0 * 30) * kHour);
  // Mostly promoters; recent tickets and an approaching churn make detractors.
  static constexpr std::array<double, 11> kPmf{1, 1, 2, 3, 4, 5, 7, 11, 18, 24, 24};
  int score = rng_.pick(kPmf);
  int recent = 0;
  for (std::int64_t tt : c.recent_tickets)
    if (tt != 0 && e.t - tt < 180 * kDay && tt <= e.t) ++recent;
  double p_detractor = std::min(0.7, 0.3 * recent);
  if (c.churn_at - e.t < 180 * kDay) p_detractor += 0.25;
  if (rng_.chance(p_detractor)) score = rng_.range(0, 6);
  write_answer(kSurveyNps, partner, 0, e.t, answered && at < end_, at, score);
}

}  // namespace cskpi::demo
