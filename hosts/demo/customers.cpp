// Customers: the company partner, its contacts and the behaviour drawn at
// creation (cadence, growth, payment habits, support needs, first events);
// prospects that only ever get quotations.
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

std::string Generator::company_name(const Country &country) {
  return std::string(kNamePrefix[rng_.range(0, 29)]) + " " + kNameCore[rng_.range(0, 29)] + " " + country.form;
}

const Country &Generator::draw_country() {
  std::array<double, 8> w{};
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = kCountries[i].weight;
  return kCountries[rng_.pick(w)];
}

void Generator::customer_created(const Event &e) {
  Customer &c = customers_[e.cust];
  c.created = e.t;
  c.number = ++customer_number_;
  c.segment = static_cast<Segment>(rng_.pick(std::array<double, 4>{58, 25, 9, 8}));
  const SegmentModel &sm = kSegments[c.segment];
  const Country &country = draw_country();
  c.usd = country.code[0] == 'U';

  const std::string name = company_name(country);
  const std::string domain = lower_alnum(name) + ".example";
  c.partner = ++partner_id_;
  if (first_partner_ == 0) first_partner_ = c.partner;
  partner_.i(c.partner).s(name).s(padded("C", c.number, 6)).i(1).null().i(1).i(0)
      .i_or_null(c.segment != kNoSegment, c.segment + 1).s("office@" + domain).s(country.code)
      .s(currency_of(c)).i(rng_.chance(0.02) ? 0 : 1).created(fmt_ts(e.t)).end_row();
  ++customers_written_;
  c.contacts = rng_.range(sm.contacts_min, sm.contacts_max);
  for (int k = 0; k < c.contacts; ++k) {
    const char *first = kFirstNames[rng_.range(0, 19)];
    const char *last = kLastNames[rng_.range(0, 19)];
    partner_.i(++partner_id_).s(std::string(first) + " " + last).null().i(0).i(c.partner).i(0).i(0).null()
        .s(lower_alnum(first) + "." + lower_alnum(last) + "@" + domain).s(country.code).s(currency_of(c)).i(1)
        .created(fmt_ts(e.t + 60 + k)).end_row();
  }

  // Buying behaviour.
  c.cadence = static_cast<Cadence>(rng_.pick(std::array<double, 4>{7, 27, 30, 36}));
  static constexpr double kGap[] = {7, 28, 84, 180};
  static constexpr double kValueFactor[] = {0.35, 0.8, 1.3, 1.5};
  c.gap_days = kGap[static_cast<int>(c.cadence)];
  c.value = sm.order_value * kValueFactor[static_cast<int>(c.cadence)] * rng_.lognormal(1.0, 0.5);
  const double g = rng_.u();
  c.growth = g < 0.25 ? rng_.uniform(0.15, 0.45) : g < 0.35 ? rng_.uniform(-0.25, -0.05) : rng_.uniform(-0.03, 0.05);
  c.expand_p = rng_.chance(0.3) ? 0.07 : 0.012;
  std::array<double, kFamilies> pop{};
  for (int f = 0; f < kFamilies; ++f) pop[static_cast<std::size_t>(f)] = families()[static_cast<std::size_t>(f)].popularity;
  c.families = 1u << rng_.pick(pop);
  if (rng_.chance(0.35)) c.families |= 1u << rng_.pick(pop);
  c.churn_at = e.t + static_cast<std::int64_t>(rng_.exponential(sm.lifetime_years * 365.0) * kDay);

  const double p = rng_.u();
  c.payer = p < 0.62 ? Payer::punctual : p < 0.90 ? Payer::late : Payer::bad;
  c.pay_term = c.segment == kEnt ? (rng_.chance(0.5) ? 45 : 60) : c.segment == kMid ? 30 : (rng_.chance(0.5) ? 15 : 30);

  // Support: some customers need much more help than others.
  c.ticket_rate = 0.55 * sm.ticket_factor * rng_.lognormal(0.75, 0.75);

  // First order: most buy within days, some take months, a few never.
  const double a = rng_.u();
  if (a < 0.85)
    push(office_time(day_of(e.t) + static_cast<std::int64_t>(rng_.lognormal(6.0, 0.9))), Kind::order, e.cust);
  else if (a < 0.95)
    push(office_time(day_of(e.t) + rng_.range(31, 150)), Kind::order, e.cust);

  c.ticket_chain = true;
  push(e.t + static_cast<std::int64_t>(rng_.exponential(365.0 / c.ticket_rate) * kDay) + kHour, Kind::ticket, e.cust);
  push(next_campaign(e.t + 45 * kDay, e.cust) + e.cust % 7200, Kind::nps, e.cust);
  if (rng_.chance(sm.subscription_p))
    push(office_time(day_of(e.t) + rng_.range(0, 90)), Kind::subscription_start, e.cust);
}

void Generator::prospect_created(const Event &e) {
  const Country &country = draw_country();
  const std::string name = company_name(country);
  const std::int64_t id = ++partner_id_;
  partner_.i(id).s(name).null().i(1).null().i(0).i(0).null().s("info@" + lower_alnum(name) + ".example")
      .s(country.code).s(country.code[0] == 'U' ? "USD" : "EUR").i(1).created(fmt_ts(e.t)).end_row();
  if (rng_.chance(0.4)) {
    Event q;
    q.b = id;
    q.a = country.code[0] == 'U' ? 1 : 0;
    push(office_time(day_of(e.t) + rng_.range(1, 20)), Kind::prospect_quote, 0, q);
  }
}

// A quotation to a prospect, never confirmed.
void Generator::prospect_quote(const Event &e) {
  Customer tmp;  // a throwaway model for the quotation's lines
  tmp.usd = e.a == 1;
  tmp.value = 600 * rng_.lognormal(1.0, 0.6);
  tmp.families = 1u << rng_.range(0, kFamilies - 1);
  write_order(tmp, e.b, day_of(e.t), rng_.chance(0.5) ? "sent" : "cancelled", 1.0, false);
}

}  // namespace cskpi::demo
