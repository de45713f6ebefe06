// Sales: quotations and orders with their lines, the customer's next
// purchase or churn, and returned goods (a return order and its credit note).
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

// Writes one order with lines drawn from the customer's families.
Generator::WrittenOrder Generator::write_order(Customer &c, std::int64_t partner, std::int64_t day, const char *state, double value_mult,
                                               bool may_expand) {
  WrittenOrder w;
  w.id = ++order_id_;
  // Lines per order: 1-8, about 3 on average (B2B baskets mix a few
  // products; enterprise orders one more).
  int n = 1 + rng_.pick(std::array<double, 8>{24, 24, 19, 13, 9, 6, 3, 2});
  if (c.segment == kEnt) ++n;
  const double value = c.value * value_mult * rng_.lognormal(1.0, 0.45);

  std::uint32_t fams = c.families;
  int forced = -1;
  if (may_expand && fams != (1u << kFamilies) - 1 && rng_.chance(c.expand_p)) {
    // Expansion: a family never bought before (weighted by popularity).
    std::array<double, kFamilies> pop{};
    for (int f = 0; f < kFamilies; ++f)
      if (!(fams & (1u << f))) pop[static_cast<std::size_t>(f)] = families()[static_cast<std::size_t>(f)].popularity;
    forced = rng_.pick(pop);
    c.families |= 1u << forced;
  }
  std::array<int, kFamilies> owned{};
  int n_owned = 0;
  for (int f = 0; f < kFamilies; ++f)
    if (fams & (1u << f)) owned[static_cast<std::size_t>(n_owned++)] = f;

  w.lines.reserve(static_cast<std::size_t>(n) + 1);
  for (int k = 0; k < n; ++k) {
    const int f = (k == 0 && forced >= 0) ? forced : owned[static_cast<std::size_t>(rng_.range(0, n_owned - 1))];
    const auto &prods = family_products_[static_cast<std::size_t>(f)];
    const int n_prods = static_cast<int>(prods.size());
    const Product *pp = &prods[static_cast<std::size_t>(rng_.range(0, n_prods - 1))];
    // A product already on the order is drawn again (twice at most): an
    // order rarely lists the same article on two lines.
    for (int retry = 0; retry < 2 && std::any_of(w.lines.begin(), w.lines.end(),
                                                  [&](const Line &l) { return l.product == pp->id; });
         ++retry)
      pp = &prods[static_cast<std::size_t>(rng_.range(0, n_prods - 1))];
    const Product &p = *pp;
    const double qty = std::clamp(std::round(value / n / p.price * rng_.lognormal(1.0, 0.3)), 1.0, 500.0);
    double discount = 0;
    if (c.segment == kEnt) discount = 12;  // framework contract
    else if (c.segment == kMid && rng_.chance(0.4)) discount = 5;
    if (rng_.chance(0.06)) discount = std::max(discount, 10.0 + 5.0 * rng_.range(0, 2));  // promotion
    w.lines.push_back({p.id, p.name, qty, price_in(c, p.price), discount});
  }
  if (rng_.chance(0.02)) w.lines.push_back({0, "Express delivery surcharge", 1, price_in(c, 15.0 + 5 * rng_.range(0, 9)), 0});

  // The lines carry the order's creation time (the ERP saves an order and
  // its lines together), so the order row's draw comes first here; the
  // draws keep their order: section, note, creation time.
  const bool section = rng_.chance(0.02);
  const bool note = rng_.chance(0.04);
  const Stamp created = fmt_ts(day * kDay + 8 * kHour + rng_.range(0, 36000));
  double untaxed = 0;
  std::int64_t seq = 0;
  if (section) {
    line_.i(++line_id_).i(w.id).i(seq += 10).s("line_section").null().s("Equipment").r(0).r(0).r(0).created(created)
        .end_row();
  }
  for (const Line &l : w.lines) {
    untaxed += round2(l.qty * l.price * (100 - l.discount) / 100);
    line_.i(++line_id_).i(w.id).i(seq += 10).null().i_or_null(l.product != 0, l.product).s(l.name).r(l.qty).r(l.price)
        .r(l.discount).created(created).end_row();
  }
  if (note) {
    line_.i(++line_id_).i(w.id).i(seq += 10).s("line_note").null().s("Deliver to the back entrance, weekdays only")
        .r(0).r(0).r(0).created(created).end_row();
  }
  w.untaxed = untaxed;
  const double rate = rate_of(c, day);
  order_.i(w.id).s(padded("S", w.id, 5)).i(partner).s(fmt_date(day)).s(state).s(currency_of(c)).r(rate).r(untaxed)
      .r(round2(untaxed * tax_rate(c))).null().created(created).end_row();
  return w;
}

std::int64_t Generator::order_partner(const Customer &c) {
  // Orders are often placed by a contact person of the customer.
  if (c.contacts > 0 && rng_.chance(0.5)) return c.partner + rng_.range(1, c.contacts);
  return c.partner;
}

void Generator::order(const Event &e) {
  Customer &c = customers_[e.cust];
  if (c.gone) return;
  if (e.t >= c.churn_at) {
    // Churned: stops buying. Some come back after a long pause.
    if (rng_.chance(0.3)) {
      const std::int64_t back = office_time(std::max(day_of(e.t), day_of(c.churn_at) + rng_.range(100, 450)));
      c.churn_at = back + static_cast<std::int64_t>(rng_.exponential(kSegments[c.segment].lifetime_years * 365.0) * kDay);
      push(back, Kind::order, e.cust);
      if (!c.ticket_chain) {
        c.ticket_chain = true;
        push(back + static_cast<std::int64_t>(rng_.exponential(365.0 / c.ticket_rate) * kDay), Kind::ticket, e.cust);
      }
    } else {
      c.gone = true;
    }
    return;
  }

  const std::int64_t day = day_of(e.t);
  const double years = static_cast<double>(e.t - c.created) / (365.0 * kDay);
  const double growth = std::exp(c.growth * years);
  const std::int64_t partner = order_partner(c);

  // Lost deals: a quotation cancelled (re-quoted) or left open.
  if (rng_.chance(0.05)) write_order(c, partner, day, "cancelled", growth, false);
  if (rng_.chance(0.025)) write_order(c, partner, day, rng_.chance(0.5) ? "draft" : "sent", growth, false);

  // Orders of the last days may still be quotations awaiting the customer.
  const bool pending = day > last_day_ - 4 && rng_.chance(0.4);
  const char *state = pending ? "sent" : (day < last_day_ - 45 && rng_.chance(0.6) ? "done" : "confirmed");
  WrittenOrder w = write_order(c, partner, day, state, growth, true);

  if (!pending) {
    c.last_order_t = e.t;
    c.last_order_id = w.id;
    // Invoiced on the same or one of the next business days.
    const bool will_return = rng_.chance(0.03);
    Event inv;
    inv.b = w.id;
    inv.b2 = partner;
    inv.x = w.untaxed;
    inv.a2 = will_return ? 1 : 0;
    push(office_time(day + rng_.pick(std::array<double, 5>{45, 30, 12, 8, 5})), Kind::invoice, e.cust, inv);
    if (will_return) {
      const Line &l = w.lines[static_cast<std::size_t>(rng_.range(0, static_cast<int>(w.lines.size()) - 1))];
      Event r;
      r.b = w.id;
      r.b2 = l.product;
      r.a = static_cast<std::int32_t>(std::max(1.0, std::round(l.qty * rng_.uniform(0.2, 1.0))));
      r.x = l.price;
      r.x2 = l.discount;
      push(office_time(day + rng_.range(6, 40)), Kind::product_return, e.cust, r);
    }
    // A carrier incident (see incident_window): shipments go wrong.
    if (e.t >= incident_begin() && e.t < incident_begin() + 45 * kDay && rng_.chance(0.25)) {
      Event tk;
      tk.a = 2;  // Delivery
      tk.b = w.id;
      push(e.t + rng_.range(2, 6) * kDay + rng_.range(0, 8) * kHour, Kind::ticket, e.cust, tk);
    }
  }

  // Next purchase: around the cadence, sometimes after a long pause.
  double gap = c.gap_days * rng_.lognormal(1.0, 0.45);
  if (rng_.chance(0.02)) gap += rng_.uniform(95, 240);
  push(office_time(day + std::max<std::int64_t>(1, static_cast<std::int64_t>(std::lround(gap)))), Kind::order, e.cust);
}

// The carrier incident: 45 days starting 14 months after go-live (or half
// way for shorter histories): Delivery tickets spike.
std::int64_t Generator::incident_begin() const {
  const std::int64_t span = last_day_ - first_day_ + 1;
  return (first_day_ + std::min<std::int64_t>(425, span / 2)) * kDay;
}

// Goods come back: a return order with a negative line and a credit note.
void Generator::product_return(const Event &e) {
  Customer &c = customers_[e.cust];
  const std::int64_t day = day_of(e.t);
  const double qty = -static_cast<double>(e.a);
  const double rate = rate_of(c, day);
  const double sub = round2(qty * e.x * (100 - e.x2) / 100);
  const std::int64_t id = ++order_id_;
  line_.i(++line_id_).i(id).i(10).null().i_or_null(e.b2 != 0, e.b2).s("Return").r(qty).r(e.x).r(e.x2)
      .created(fmt_ts(e.t)).end_row();
  order_.i(id).s(padded("S", id, 5)).i(c.partner).s(fmt_date(day)).s("confirmed").s(currency_of(c)).r(rate).r(sub)
      .r(round2(sub * tax_rate(c))).s(padded("S", e.b, 5)).created(fmt_ts(e.t)).end_row();

  auto it = return_invoice_.find(e.b);
  if (it == return_invoice_.end()) return;  // the original was never posted
  const std::int64_t original = it->second;
  return_invoice_.erase(it);
  const double untaxed = -sub;
  const double tax = round2(untaxed * tax_rate(c));
  const std::int64_t cn = ++invoice_id_;
  invoice_.i(cn).s(invoice_number("RINV", day)).s("out_refund").s("posted").i(c.partner).s(fmt_date(day))
      .s(fmt_date(day)).s(currency_of(c)).r(rate).r(untaxed).r(tax).r(untaxed + tax).s(padded("S", id, 5)).i(id)
      .null().i(original).created(fmt_ts(e.t + 120)).end_row();
  if (rng_.chance(0.8)) {
    Event p;
    p.b = cn;
    p.b2 = c.partner;
    p.a = 1;  // outbound: money back to the customer
    p.x = round2(untaxed + tax);
    push((day + rng_.range(2, 15)) * kDay + 10 * kHour, Kind::payment, e.cust, p);
  }
}

}  // namespace cskpi::demo
