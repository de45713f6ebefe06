// The demo ERP simulation (see demo_erp.cpp for the model): its events,
// their queue, the simulated customers and the Generator that handles the
// events. The Generator's work is spread over one file per business domain:
//   simulation.cpp      the tables written, the population, the event loop
//   reference_data.cpp  segments, products, helpdesk and survey set-up, the company
//   customers.cpp       customers, their contacts and behaviour, prospects
//   sales.cpp           quotations, orders, returned goods
//   billing.cpp         invoices, credit notes, payments, month-end bookings
//   support.cpp         helpdesk tickets
//   surveys.cpp         CSAT/CES after tickets, NPS campaigns
//   subscriptions.cpp   service contracts and their billing
//   bad_rows.cpp        the deliberately bad rows data quality must report
// Determinism: the handlers draw from one Rng in event order, so moving
// code between these files must never reorder draws.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "demo_erp.hpp"
#include "random.hpp"
#include "reference_data.hpp"
#include "simulation_time.hpp"
#include "table_writer.hpp"

namespace cskpi::demo {

enum class Kind : std::uint8_t {
  customer_created,
  prospect_created,
  prospect_quote,
  order,
  invoice,
  payment,
  product_return,
  ticket,
  ticket_closed,
  nps,
  subscription_start,
  subscription_billing,
  month_end,
  anonymous_ticket,
  bad_rows,
};

struct Event {
  std::int64_t t;
  std::uint64_t seq;  // scheduling order: the deterministic tie-break
  std::uint32_t cust = 0;
  Kind kind{};
  std::int32_t a = 0, a2 = 0;
  std::int64_t b = 0, b2 = 0;
  double x = 0, x2 = 0;
};

struct Later {
  bool operator()(const Event &l, const Event &r) const { return l.t != r.t ? l.t > r.t : l.seq > r.seq; }
};

// Pending events in (time, scheduling order). A calendar queue: one bucket
// per day of the horizon, and a small heap for the day being simulated.
// Same order as one big heap, but the big heap's sift-downs over a few
// hundred thousand 64-byte events missed the cache and took a third of the
// run time; a day's heap holds a few thousand. Events after the horizon
// never happen and are dropped on arrival.
class EventQueue {
 public:
  EventQueue(std::int64_t first_day, std::int64_t days)
      : first_day_(first_day), buckets_(static_cast<std::size_t>(days)) {}

  void push(const Event &e) {
    const std::int64_t d = day_of(e.t) - first_day_;
    if (d >= static_cast<std::int64_t>(buckets_.size())) return;
    if (d < 0) throw std::logic_error("demo: event before the first day");
    if (d <= current_) {
      today_.push_back(e);
      std::push_heap(today_.begin(), today_.end(), Later());
    } else {
      buckets_[static_cast<std::size_t>(d)].push_back(e);
    }
  }

  bool pop(Event &out) {
    while (today_.empty()) {
      if (++current_ >= static_cast<std::int64_t>(buckets_.size())) return false;
      auto &b = buckets_[static_cast<std::size_t>(current_)];
      today_.swap(b);
      std::vector<Event>().swap(b);
      std::make_heap(today_.begin(), today_.end(), Later());
    }
    std::pop_heap(today_.begin(), today_.end(), Later());
    out = today_.back();
    today_.pop_back();
    return true;
  }

 private:
  std::int64_t first_day_;
  std::int64_t current_ = -1;
  std::vector<std::vector<Event>> buckets_;
  std::vector<Event> today_;
};

enum class Cadence : std::uint8_t { weekly, monthly, quarterly, occasional };
enum class Payer : std::uint8_t { punctual, late, bad };

struct Customer {
  std::int64_t partner = 0;  // company partner id; contacts are partner+1 .. partner+contacts
  int contacts = 0;
  int number = 0;            // customer number (ref)
  Segment segment = kSmb;
  bool usd = false;
  Cadence cadence = Cadence::monthly;
  double gap_days = 30;
  double value = 400;        // typical order value at creation, EUR
  double growth = 0;         // log growth of order value per year
  double expand_p = 0.01;    // chance per order to buy a new product family
  std::uint32_t families = 0;
  std::int64_t created = 0;
  std::int64_t churn_at = kNever;  // stops buying from then on
  bool gone = false;               // churned for good
  Payer payer = Payer::punctual;
  int pay_term = 30;
  double ticket_rate = 0.5;        // tickets per year
  bool ticket_chain = false;
  std::int64_t last_order_t = kLongAgo;
  std::int64_t last_order_id = 0;
  std::array<std::int64_t, 6> recent_tickets{};
  std::uint8_t recent_pos = 0;
  std::int64_t sub_until = kLongAgo;  // a subscription runs until (exclusive)
};

class Generator {
 public:
  Generator(AsyncWriter &writer, const DemoOptions &o, std::int64_t first_day, std::int64_t last_day);
  DemoStats run();

 private:
  struct Product {
    std::int64_t id;
    double price;  // EUR list price
    const char *name;
  };
  struct Line {
    std::int64_t product;  // 0 = free text
    const char *name;      // a static string: no allocation per line
    double qty, price, discount;
  };
  struct WrittenOrder {
    std::int64_t id;
    double untaxed;
    std::vector<Line> lines;
  };
  struct InvoiceResult {
    std::int64_t id;
    bool posted;
  };
  struct TicketPlan {
    std::int64_t partner = 0;  // 0 = anonymous
    std::string email;
    int category = -1;         // forced category index, -1 = draw
    std::int64_t order_id = 0;
    int segment = kSmb;
    bool spam = false;
  };

  // simulation.cpp
  static TableBuffer sink_table(AsyncWriter &writer, const char *name, std::vector<ColumnSpec> cols);
  std::vector<TableBuffer *> all_tables();
  void push(std::int64_t t, Kind k, std::uint32_t cust, Event e = {}) {
    e.t = t;
    e.seq = ++seq_;
    e.kind = k;
    e.cust = cust;
    queue_.push(e);
  }

  // A time of day during office hours (08:00-18:00 UTC) on the first
  // weekday on or after `day`: orders, calls and chats happen then.
  std::int64_t office_time(std::int64_t day) {
    while (weekday(day) >= 6) ++day;
    return day * kDay + 8 * kHour + static_cast<std::int64_t>(rng_.u() * 10 * kHour);
  }

  // Creation times of customers and prospects, and the global event chains.
  void schedule_population();
  std::int64_t next_anonymous(std::int64_t from);
  void handle(const Event &e);

  double rate_of(const Customer &c, std::int64_t day) const { return c.usd ? eur_per_usd(day) : 1.0; }
  static const char *currency_of(const Customer &c) { return c.usd ? "USD" : "EUR"; }
  // Price lists: USD prices are the EUR list price x 1.09.
  static double price_in(const Customer &c, double eur) { return c.usd ? round2(eur * 1.09) : eur; }
  static double tax_rate(const Customer &c) { return c.usd ? 0.0 : 0.20; }  // exports carry no VAT

  // reference_data.cpp
  void reference_data();

  // customers.cpp
  std::string company_name(const Country &country);
  const Country &draw_country();
  void customer_created(const Event &e);
  void prospect_created(const Event &e);
  void prospect_quote(const Event &e);

  // sales.cpp
  WrittenOrder write_order(Customer &c, std::int64_t partner, std::int64_t day, const char *state, double value_mult,
                           bool may_expand);
  std::int64_t order_partner(const Customer &c);
  void order(const Event &e);
  std::int64_t incident_begin() const;
  void product_return(const Event &e);

  // billing.cpp
  std::string invoice_number(const char *prefix, std::int64_t day);
  InvoiceResult write_customer_invoice(Customer &c, std::int64_t partner, std::int64_t t, double untaxed,
                                       const std::string &origin, std::int64_t order_id, std::int64_t sub_id);
  void schedule_payments(Customer &c, std::int64_t partner, std::int64_t invoice_id, std::int64_t day, std::int64_t due,
                         double total);
  void invoice(const Event &e);
  void payment(const Event &e);
  void month_end(const Event &e);

  // support.cpp
  void ticket(const Event &e);
  void anonymous_ticket(const Event &e);
  void write_ticket(std::int64_t t, const TicketPlan &p, Customer *c, std::uint32_t cust);

  // surveys.cpp
  void ticket_closed(const Event &e);
  void write_answer(int survey, std::int64_t partner, std::int64_t ticket, std::int64_t sent, bool answered,
                    std::int64_t at, int score);
  static std::int64_t next_campaign(std::int64_t t, std::uint32_t customer);
  void nps(const Event &e);

  // subscriptions.cpp
  void subscription_start(const Event &e);
  void subscription_billing(const Event &e);

  // bad_rows.cpp
  void bad_rows(const Event &e);

  const DemoOptions &o_;
  Rng rng_;
  std::int64_t first_day_, last_day_, begin_, end_;
  EventQueue queue_;
  std::uint64_t seq_ = 0;
  std::vector<Customer> customers_;
  std::array<std::vector<Product>, kFamilies> family_products_;
  std::vector<std::int64_t> suppliers_;
  std::unordered_map<std::int64_t, std::int64_t> return_invoice_;  // order id -> posted invoice, for coming returns
  std::array<std::unordered_map<int, std::int64_t>, 3> invoice_seq_;  // INV, RINV, BILL numbers per year

  std::int64_t partner_id_ = 0, order_id_ = 0, line_id_ = 0, invoice_id_ = 0, payment_id_ = 0, ticket_id_ = 0,
               answer_id_ = 0, subscription_id_ = 0, expense_id_ = 0;
  int customer_number_ = 0;
  std::int64_t first_partner_ = 0;  // the first customer company created
  std::int64_t customers_written_ = 0;

  TableBuffer segment_, partner_, category_, product_, order_, line_, invoice_, payment_, stage_, channel_,
      ticket_category_, ticket_, survey_, answer_, subscription_, expense_;
};

}  // namespace cskpi::demo
