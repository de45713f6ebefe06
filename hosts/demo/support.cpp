// Support: helpdesk tickets from customers (their regular chain, carrier
// incidents) and from unknown addresses, with response and resolution in
// the agents' office hours.
#include "simulation.hpp"

#include <cmath>

namespace cskpi::demo {

void Generator::ticket(const Event &e) {
  Customer &c = customers_[e.cust];
  const bool incident = e.a != 0;
  if (!incident) {
    // The regular chain: next ticket, at a higher rate shortly before churn.
    const bool near_churn = c.churn_at - e.t < 120 * kDay;
    const bool silent = e.t - 60 * kDay > c.churn_at;  // left two months ago
    if (c.gone && silent) {
      c.ticket_chain = false;
      return;
    }
    const double rate = c.ticket_rate * (near_churn ? 2.0 : 1.0);
    push(e.t + static_cast<std::int64_t>(rng_.exponential(365.0 / rate) * kDay), Kind::ticket, e.cust);
    if (silent) return;  // dormant: no contact until a comeback
  }
  TicketPlan p;
  p.partner = (c.contacts > 0 && rng_.chance(0.55)) ? c.partner + rng_.range(1, c.contacts) : c.partner;
  p.category = incident ? 1 : -1;
  p.order_id = incident ? e.b : 0;
  p.segment = c.segment;
  write_ticket(e.t, p, &c, e.cust);
}

void Generator::anonymous_ticket(const Event &e) {
  push(next_anonymous(e.t), Kind::anonymous_ticket, 0);
  TicketPlan p;
  p.email = padded("someone", rng_.range(1, 99999), 5) + "@mail.example";
  p.spam = rng_.chance(0.3);
  write_ticket(e.t, p, nullptr, 0);
}

// Writes a ticket opened about t (unless that falls after the horizon).
void Generator::write_ticket(std::int64_t t, const TicketPlan &p, Customer *c, std::uint32_t cust) {
  const int channel = p.partner == 0 ? (rng_.chance(0.8) ? 0 : 3) : rng_.pick(std::array<double, 4>{45, 25, 18, 12});
  // Phone and chat happen in office hours; e-mail and portal any time.
  if (channel == 1 || channel == 2) t = office_time(day_of(t));
  if (t >= end_) return;
  const std::int64_t id = ++ticket_id_;
  int priority = rng_.pick(p.segment == kEnt ? std::array<double, 4>{18, 47, 23, 12} : std::array<double, 4>{26, 50, 18, 6});
  int category = p.category;
  if (category < 0) {
    const int k = rng_.pick(std::array<double, 7>{20, 22, 20, 20, 8, 5, 5});
    category = k == 6 ? -1 : k;
  }
  if (p.spam) {
    category = -1;
    priority = 0;
  }

  // First response: minutes on the phone and in chat (opened in office
  // hours); e-mail and portal wait for the agents' office hours.
  std::int64_t first_response;
  switch (channel) {
    case 1: first_response = t + rng_.range(60, 360); break;
    case 2: first_response = t + static_cast<std::int64_t>(rng_.lognormal(180, 0.8)); break;
    case 0: first_response = add_office_hours(t, rng_.lognormal(1.5, 1.0)); break;
    default: first_response = add_office_hours(t, rng_.lognormal(3.0, 1.0)); break;
  }
  const bool responded = !rng_.chance(0.04);

  // Work until resolution, in office hours, long-tailed (lognormal), by
  // priority; a few tickets get stuck and are never resolved.
  static constexpr double kMedianWork[] = {30, 14, 7, 3};  // office hours: low .. urgent
  const bool stuck = rng_.chance(0.025);
  double work_h = rng_.lognormal(kMedianWork[priority], 1.1);
  std::int64_t close = add_office_hours(first_response, work_h);
  int reopens = 0;
  const double rr = rng_.u();
  if (rr < 0.02) reopens = 2;
  else if (rr < 0.10) reopens = 1;
  int reopens_seen = 0;
  for (int k = 0; k < reopens; ++k) {
    // The customer answers "still broken" a few days later.
    const std::int64_t reopened = close + static_cast<std::int64_t>(rng_.uniform(0.5, 5.0) * kDay);
    if (reopened < end_) ++reopens_seen;
    const double more = rng_.lognormal(4, 1.0);
    work_h += more;
    close = add_office_hours(reopened, more);
  }
  const bool closed = !stuck && !p.spam && close < end_;
  const bool fr_known = responded && first_response < end_;
  const int stage = p.spam ? kStageClosed
                    : closed ? (rng_.chance(0.85) ? kStageSolved : kStageClosed)
                    : !fr_known ? kStageNew
                    : rng_.chance(0.3) ? kStageWaiting
                                       : kStageProgress;
  std::int64_t order_id = p.order_id;
  if (order_id == 0 && c && (category == 1 || category == 5) && c->last_order_id && rng_.chance(0.7))
    order_id = c->last_order_id;

  // write_date: the ticket's last change known at the horizon (archiving
  // spam, closing, the first answer, or its creation).
  const std::int64_t last_edit = p.spam ? t + 600 : closed ? close : fr_known ? std::max(t, first_response) : t;
  const std::string subject = p.spam ? "You have won a prize!!!"
                              : category < 0 ? "Question"
                                             : kTicketSubjects[category][rng_.range(0, 2)];
  ticket_.i(id).s(subject).i_or_null(p.partner != 0, p.partner).s_or_null(!p.email.empty(), p.email).i(stage)
      .i(channel + 1).i_or_null(category >= 0, category + 1).s(std::string(1, static_cast<char>('0' + priority)))
      .i_or_null(order_id != 0, order_id).s(fmt_ts(t)).s_or_null(fr_known && !p.spam, fmt_ts(first_response))
      .s_or_null(closed || p.spam, fmt_ts(p.spam ? t + 600 : close)).i(p.spam ? 0 : reopens_seen)
      .i(p.spam ? 0 : 1).s(fmt_ts(last_edit)).end_row();

  if (c) {
    c->recent_tickets[c->recent_pos] = t;
    c->recent_pos = static_cast<std::uint8_t>((c->recent_pos + 1) % c->recent_tickets.size());
  }
  if (closed && p.partner != 0) {
    // How the customer felt: slow (for its priority) and reopened is bad.
    Event ev;
    ev.b = id;
    ev.b2 = p.partner;
    ev.a = channel;
    ev.a2 = priority;
    ev.x = std::log(work_h / kMedianWork[priority]) + 0.8 * reopens;
    ev.x2 = static_cast<double>(close - t) / kHour;
    push(close + 600, Kind::ticket_closed, cust, ev);
  }
}

}  // namespace cskpi::demo
