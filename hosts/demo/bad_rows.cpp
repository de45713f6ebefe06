#include "simulation.hpp"

namespace cskpi::demo {

// A few deliberately bad rows, as every real ERP has: cskpi must report
// them in data quality, never crash or drop them silently.
void Generator::bad_rows(const Event &e) {
  const std::int64_t day = day_of(e.t);
  // 1. An order whose partner was deleted (no FK in the schema).
  const std::int64_t missing_partner = 99999999;
  const std::int64_t oid = ++order_id_;
  const auto &p = family_products_[2][0];
  line_.i(++line_id_).i(oid).i(10).null().i(p.id).s(p.name).r(3).r(p.price).r(0).created(fmt_ts(e.t)).end_row();
  order_.i(oid).s(padded("S", oid, 5)).i(missing_partner).s(fmt_date(day)).s("confirmed").s("EUR").r(1.0)
      .r(round2(3 * p.price)).r(round2(3 * p.price * 0.2)).null().created(fmt_ts(e.t)).end_row();
  // 2. A ticket closed before it was opened (a clock or import error).
  const std::int64_t partner = first_partner_;
  const std::int64_t tid = ++ticket_id_;
  ticket_.i(tid).s("Imported from the old helpdesk").i_or_null(partner != 0, partner).null().i(kStageSolved).i(1).i(4)
      .s("1").null().s(fmt_ts(e.t)).s(fmt_ts(e.t - 2 * kHour)).s(fmt_ts(e.t - 3 * kHour)).i(0).i(1).s(fmt_ts(e.t)).end_row();
  // 3. Scores outside their scale (a survey tool misconfigured for a day).
  write_answer(kSurveyNps, partner, 0, e.t, true, e.t + kHour, 11);
  write_answer(kSurveyCsat, partner, 0, e.t, true, e.t + kHour, 7);
}

}  // namespace cskpi::demo
