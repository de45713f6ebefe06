// Billing: customer invoices and their numbering, payments (late, partial,
// bounced, never), and the month-end bookings: CS costs and supplier bills.
#include "simulation.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

namespace cskpi::demo {

std::string Generator::invoice_number(const char *prefix, std::int64_t day) {
  const int y = civil_date(to_day(day)).year;
  const int k = std::string_view(prefix) == "INV" ? 0 : std::string_view(prefix) == "RINV" ? 1 : 2;
  const std::int64_t n = ++invoice_seq_[static_cast<std::size_t>(k)][y];
  return std::string(prefix) + "/" + std::to_string(y) + "/" + padded("", n, 5);
}

// Writes an out_invoice (state drawn) and schedules its payments.
Generator::InvoiceResult Generator::write_customer_invoice(Customer &c, std::int64_t partner, std::int64_t t, double untaxed,
                                                           const std::string &origin, std::int64_t order_id, std::int64_t sub_id) {
  const std::int64_t day = day_of(t);
  const double rate = rate_of(c, day);
  const double tax = round2(untaxed * tax_rate(c));
  const double total = untaxed + tax;
  // A few are cancelled (wrong data) and re-issued; recent ones may still be drafts.
  if (rng_.chance(0.01)) {
    invoice_.i(++invoice_id_).s(invoice_number("INV", day)).s("out_invoice").s("cancelled").i(partner)
        .s(fmt_date(day)).s(fmt_date(day + c.pay_term)).s(currency_of(c)).r(rate).r(untaxed).r(tax).r(total).s(origin)
        .i_or_null(order_id != 0, order_id).i_or_null(sub_id != 0, sub_id).null().created(fmt_ts(t)).end_row();
  }
  const bool draft = rng_.chance(day > last_day_ - 10 ? 0.3 : 0.015);
  const std::int64_t id = ++invoice_id_;
  invoice_.i(id);
  if (draft) invoice_.null();
  else invoice_.s(invoice_number("INV", day));
  invoice_.s("out_invoice").s(draft ? "draft" : "posted").i(partner).s(fmt_date(day)).s(fmt_date(day + c.pay_term))
      .s(currency_of(c)).r(rate).r(untaxed).r(tax).r(total).s(origin).i_or_null(order_id != 0, order_id)
      .i_or_null(sub_id != 0, sub_id).null().created(fmt_ts(t + 60)).end_row();
  if (!draft) schedule_payments(c, partner, id, day, day + c.pay_term, round2(total));
  return {id, !draft};
}

void Generator::schedule_payments(Customer &c, std::int64_t partner, std::int64_t invoice_id, std::int64_t day, std::int64_t due,
                                  double total) {
  std::int64_t paid;
  switch (c.payer) {
    case Payer::punctual: paid = day + rng_.range(0, static_cast<int>(due - day)); break;
    case Payer::late: paid = due + static_cast<std::int64_t>(rng_.lognormal(10, 0.8)); break;
    case Payer::bad:
    default:
      if (rng_.chance(0.3)) return;  // never pays
      paid = due + rng_.range(30, 150);
      break;
  }
  Event p;
  p.b = invoice_id;
  p.b2 = partner;
  p.a = 0;  // inbound
  if (rng_.chance(0.06)) {
    // Instalments: half now, the rest later.
    const double first = round2(total / 2);
    p.x = first;
    push(std::max(day, paid - 20) * kDay + 10 * kHour, Kind::payment, 0, p);
    p.x = round2(total - first);
    push(paid * kDay + 11 * kHour, Kind::payment, 0, p);
  } else {
    p.x = total;
    push(paid * kDay + 10 * kHour, Kind::payment, 0, p);
  }
}

void Generator::invoice(const Event &e) {
  Customer &c = customers_[e.cust];
  const InvoiceResult r = write_customer_invoice(c, e.b2, e.t, e.x, padded("S", e.b, 5), e.b, 0);
  if (e.a2 && r.posted) return_invoice_[e.b] = r.id;
}

void Generator::payment(const Event &e) {
  // One in 200 received payments bounced: booked, then cancelled; it does
  // not count, and a new one follows a week later.
  const bool bounced = e.a == 0 && rng_.chance(0.005);
  payment_.i(++payment_id_).i(e.b).i(e.b2).s(e.a ? "outbound" : "inbound").s(fmt_date(day_of(e.t))).r(e.x)
      .s(bounced ? "cancelled" : "posted").created(fmt_ts(e.t)).end_row();
  if (bounced) {
    Event again = e;
    push(e.t + 7 * kDay, Kind::payment, e.cust, again);
  }
}

// Month-end bookings: CS costs and supplier bills.
void Generator::month_end(const Event &e) {
  const std::int64_t day = day_of(e.t);
  push(month_last_day(day + 1) * kDay + 18 * kHour, Kind::month_end, 0);
  const CivilDate cv = civil_date(to_day(day));
  const std::int64_t month_start = period_floor(Granularity::month, to_day(day)) * kDay;
  int active = 0, created = 0;
  for (const Customer &c : customers_) {
    if (c.created == 0 && c.number == 0) continue;
    if (c.created >= month_start && c.created < e.t) ++created;
    if (e.t - c.last_order_t < 90 * kDay) ++active;
  }
  char month[8];
  std::snprintf(month, sizeof month, "%04d-%02u", cv.year, cv.month);
  const Stamp d = fmt_date(day);
  // About one customer-success manager per 400 active customers.
  expense_.i(++expense_id_).s(d).s("cs_team").s(std::string("CS team payroll ") + month)
      .r(std::round((4200 + 11.5 * active) * (1 + 0.02 * rng_.normal()))).s("approved").end_row();
  if (cv.month % 3 == 0)
    expense_.i(++expense_id_).s(d).s("loyalty").s(std::string("Loyalty programme rewards ") + month)
        .r(std::round(150 + 1.8 * active)).s("approved").end_row();
  if (created > 0)
    expense_.i(++expense_id_).s(d).s("onboarding").s(std::string("Onboarding of new customers ") + month)
        .r(35.0 * created).s("approved").end_row();
  if (rng_.chance(0.1))
    expense_.i(++expense_id_).s(d).s("concession").s("Event tickets for key accounts").r(std::round(rng_.uniform(300, 1500)))
        .s("refused").end_row();

  for (std::int64_t s : suppliers_) {
    const double untaxed = round2(std::exp(rng_.uniform(std::log(800.0), std::log(15000.0))));
    const double tax = round2(untaxed * 0.2);
    const std::int64_t id = ++invoice_id_;
    invoice_.i(id).s(invoice_number("BILL", day)).s("in_invoice").s("posted").i(s).s(d).s(fmt_date(day + 30)).s("EUR")
        .r(1.0).r(untaxed).r(tax).r(untaxed + tax).null().null().null().null().created(fmt_ts(e.t)).end_row();
    Event p;
    p.b = id;
    p.b2 = s;
    p.a = 1;
    p.x = round2(untaxed + tax);
    push((day + 30) * kDay + 9 * kHour, Kind::payment, 0, p);
  }
}

}  // namespace cskpi::demo
