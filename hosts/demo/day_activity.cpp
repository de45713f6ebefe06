// One day of activity on an existing demo ERP (apply_demo_day): what the
// ERP's users do in a day, written the way the ERP writes it, with every
// created or edited record's write_date set to the day's stamp. It is what
// the incremental nightly (docs/nightly.md "Incremental runs") must pick up
// through the demo profile's change-capture queries, and it reports which
// documents it touched so tests can check those queries return exactly them.
//
// Unlike the generator this works on whatever database it is given: ids
// continue after the largest ones present, and the documents it edits are
// drawn among the existing ones (deterministically: one Rng, seeded).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "demo_erp.hpp"
#include "random.hpp"
#include "reference_data.hpp"
#include "simulation_time.hpp"
#include "table_writer.hpp"

namespace cskpi::demo {

namespace {

struct Company {
  std::int64_t id;
  bool usd;
};

struct Product {
  std::int64_t id;
  double price;  // EUR list price
  std::string name;
};

// A row's numeric cell, whatever type the backend reports (SQLite and
// PostgreSQL differ for the same schema: int, long long, double, text).
double number_at(const soci::row &r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer: return r.get<int>(i);
    case soci::dt_long_long: return static_cast<double>(r.get<long long>(i));
    case soci::dt_unsigned_long_long: return static_cast<double>(r.get<unsigned long long>(i));
    case soci::dt_double: return r.get<double>(i);
    default: return std::stod(r.get<std::string>(i));
  }
}
std::int64_t id_at(const soci::row &r, std::size_t i) { return static_cast<std::int64_t>(number_at(r, i)); }

// The current UTC time as 'YYYY-MM-DD HH:MM:SS'.
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char b[24];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
  return b;
}

class Day {
 public:
  Day(soci::session &db, const DayOptions &o) : db_(db), o_(o), rng_(o.seed) {}
  DayStats run();

 private:
  // Reading the ERP.
  std::int64_t max_id(const char *table);
  void load();
  template <class T>
  std::optional<T> one(const std::string &sql, std::int64_t id);
  int count(double per_customer) const {
    return std::max(1, static_cast<int>(per_customer * customers_ + 0.5));
  }
  const Company &any_company() { return companies_[static_cast<std::size_t>(rng_.range(0, static_cast<int>(companies_.size()) - 1))]; }
  std::int64_t any_id(std::int64_t max) { return max < 1 ? 0 : 1 + static_cast<std::int64_t>(rng_.u() * static_cast<double>(max)); }
  std::int64_t order_partner(const Company &c);
  std::int64_t existing_order(const char *states);

  // Writing it.
  void touch(const char *source, std::int64_t key) { stats_.touched[source].insert(std::to_string(key)); }
  void count_as(const char *what) { ++stats_.counts[what]; }
  std::int64_t new_order(const Company &c, std::int64_t day, const char *state);
  void new_invoice(const Company &c, std::int64_t partner, std::int64_t order, std::int64_t day, double untaxed);
  void write_order_header(std::int64_t order);
  void new_customers();
  void new_orders();
  void edit_orders();
  void change_order_states();
  void reassign();
  void payments();
  void tickets();
  void answers();
  void subscriptions();
  void deletions();
  void partners_touch_documents();

  soci::session &db_;
  const DayOptions &o_;
  Rng rng_;
  std::string stamp_;
  std::int64_t day_ = 0;
  int customers_ = 0;
  std::vector<Company> companies_;
  std::multimap<std::int64_t, std::int64_t> contacts_;  // company -> contact
  std::vector<Product> products_;
  std::int64_t next_partner_ = 0, next_order_ = 0, next_line_ = 0, next_invoice_ = 0, next_payment_ = 0,
               next_ticket_ = 0, next_answer_ = 0, next_subscription_ = 0;
  std::int64_t max_order_ = 0, max_invoice_ = 0, max_ticket_ = 0, max_subscription_ = 0;
  std::set<std::int64_t> partners_written_;
  DayStats stats_;
};

std::int64_t Day::max_id(const char *table) {
  long long v = 0;
  soci::indicator ind;
  db_ << (std::string("SELECT MAX(id) FROM ") + table), soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

template <class T>
std::optional<T> Day::one(const std::string &sql, std::int64_t id) {
  T v{};
  soci::indicator ind = soci::i_null;
  long long key = id;
  db_ << sql, soci::use(key), soci::into(v, ind);
  if (!db_.got_data() || ind != soci::i_ok) return std::nullopt;
  return v;
}

void Day::load() {
  {
    soci::rowset<soci::row> rs = (db_.prepare << "SELECT id, currency_code FROM res_partner "
                                                 "WHERE is_customer = 1 AND parent_id IS NULL ORDER BY id");
    for (const auto &r : rs) companies_.push_back({id_at(r, 0), r.get<std::string>(1) == "USD"});
  }
  if (companies_.empty()) throw std::invalid_argument("demo: the database has no customers to be active");
  {
    soci::rowset<soci::row> rs = (db_.prepare << "SELECT parent_id, id FROM res_partner WHERE parent_id IS NOT NULL ORDER BY id");
    for (const auto &r : rs) contacts_.emplace(id_at(r, 0), id_at(r, 1));
  }
  {
    soci::rowset<soci::row> rs = (db_.prepare << "SELECT id, list_price, name FROM product_product WHERE active = 1 ORDER BY id");
    for (const auto &r : rs) products_.push_back({id_at(r, 0), number_at(r, 1), r.get<std::string>(2)});
  }
  customers_ = o_.customers > 0 ? o_.customers : static_cast<int>(companies_.size());
  next_partner_ = max_id("res_partner");
  max_order_ = next_order_ = max_id("sale_order");
  next_line_ = max_id("sale_order_line");
  max_invoice_ = next_invoice_ = max_id("account_invoice");
  next_payment_ = max_id("account_payment");
  max_ticket_ = next_ticket_ = max_id("helpdesk_ticket");
  next_answer_ = max_id("survey_answer");
  max_subscription_ = next_subscription_ = max_id("sale_subscription");
  if (o_.day.empty()) {
    std::string last;
    db_ << "SELECT CAST(MAX(date_order) AS TEXT) FROM sale_order", soci::into(last);
    day_ = parse_date(last.substr(0, 10), "the latest order date") + 1;
  } else {
    day_ = parse_date(o_.day, "day");
  }
}

std::int64_t Day::order_partner(const Company &c) {
  auto [b, e] = contacts_.equal_range(c.id);
  const auto n = static_cast<int>(std::distance(b, e));
  if (n == 0 || rng_.chance(0.5)) return c.id;
  std::advance(b, rng_.range(0, n - 1));
  return b->second;
}

// An existing order in one of `states` (a SQL list), 0 if none was found.
std::int64_t Day::existing_order(const char *states) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::int64_t id = any_id(max_order_);
    auto state = one<std::string>(std::string("SELECT state FROM sale_order WHERE id = :id AND state IN ") + states, id);
    if (state) return id;
  }
  return 0;
}

// A new order of 1-5 lines for company c (placed by it or a contact).
std::int64_t Day::new_order(const Company &c, std::int64_t day, const char *state) {
  const std::int64_t id = ++next_order_;
  const std::int64_t partner = order_partner(c);
  const double rate = c.usd ? eur_per_usd(day) : 1.0;
  const int lines = rng_.range(1, 5);
  double untaxed = 0;
  for (int k = 0; k < lines; ++k) {
    const Product &p = products_[static_cast<std::size_t>(rng_.range(0, static_cast<int>(products_.size()) - 1))];
    const double qty = rng_.range(1, 10), price = c.usd ? round2(p.price * 1.09) : p.price;
    const double discount = rng_.chance(0.1) ? 10.0 : 0.0;
    untaxed += round2(qty * price * (100 - discount) / 100);
    long long lid = ++next_line_, oid = id, seq = 10 * (k + 1), prod = p.id;
    db_ << "INSERT INTO sale_order_line (id, order_id, sequence, product_id, name, product_uom_qty, price_unit, "
           "discount, create_date, write_date) VALUES (:id, :o, :s, :p, :n, :q, :pr, :d, :c, :w)",
        soci::use(lid), soci::use(oid), soci::use(seq), soci::use(prod), soci::use(p.name), soci::use(qty),
        soci::use(price), soci::use(discount), soci::use(stamp_), soci::use(stamp_);
  }
  long long oid = id, pid = partner;
  const std::string name = padded("S", id, 5), date = fmt_date(day).str(), cur = c.usd ? "USD" : "EUR";
  const std::string st = state;
  const double tax = round2(untaxed * (c.usd ? 0.0 : 0.2));
  db_ << "INSERT INTO sale_order (id, name, partner_id, date_order, state, currency_code, currency_rate, amount_untaxed, "
         "amount_tax, create_date, write_date) VALUES (:id, :n, :p, :d, :s, :c, :r, :u, :t, :cd, :wd)",
      soci::use(oid), soci::use(name), soci::use(pid), soci::use(date), soci::use(st), soci::use(cur), soci::use(rate),
      soci::use(untaxed), soci::use(tax), soci::use(stamp_), soci::use(stamp_);
  touch("order_lines", id);
  if (st == "confirmed") new_invoice(c, partner, id, day, untaxed);
  return id;
}

// The posted invoice of a confirmed order (invoiced on its order's date).
void Day::new_invoice(const Company &c, std::int64_t partner, std::int64_t order, std::int64_t day, double untaxed) {
  const std::int64_t id = ++next_invoice_;
  const double rate = c.usd ? eur_per_usd(day) : 1.0, tax = round2(untaxed * (c.usd ? 0.0 : 0.2));
  const double total = untaxed + tax;
  // Numbered by id: unique beside the generator's per-year sequence, whose
  // numbers never reach 8 digits.
  const std::string name = "INV/" + fmt_date(day).str().substr(0, 4) + "/" + padded("", id, 8);
  const std::string date = fmt_date(day).str(), due = fmt_date(day + 30).str(), cur = c.usd ? "USD" : "EUR";
  const std::string origin = padded("S", order, 5);
  long long iid = id, pid = partner, oid = order;
  db_ << "INSERT INTO account_invoice (id, name, move_type, state, partner_id, invoice_date, invoice_date_due, "
         "currency_code, currency_rate, amount_untaxed, amount_tax, amount_total, invoice_origin, sale_order_id, "
         "create_date, write_date) VALUES (:id, :n, 'out_invoice', 'posted', :p, :d, :due, :c, :r, :u, :t, :tot, :o, "
         ":so, :cd, :wd)",
      soci::use(iid), soci::use(name), soci::use(pid), soci::use(date), soci::use(due), soci::use(cur), soci::use(rate),
      soci::use(untaxed), soci::use(tax), soci::use(total), soci::use(origin), soci::use(oid), soci::use(stamp_),
      soci::use(stamp_);
  touch("invoices", id);
}

// An edited order's header: its write_date, and its untaxed amount again
// from its lines (as the ERP's form does on saving).
void Day::write_order_header(std::int64_t order) {
  long long id = order;
  db_ << "UPDATE sale_order SET write_date = :w, amount_untaxed = (SELECT COALESCE(SUM(ROUND(product_uom_qty * "
         "price_unit * (100 - discount) / 100, 2)), 0) FROM sale_order_line l WHERE l.order_id = sale_order.id) "
         "WHERE id = :id",
      soci::use(stamp_), soci::use(id);
  touch("order_lines", order);
}

void Day::new_customers() {
  for (int k = 0, n = count(0.0003); k < n; ++k) {
    long long id = ++next_partner_;
    long long seg = rng_.range(1, 3);
    const std::string name = "New Customer " + std::to_string(id), ref = padded("N", id, 8);
    db_ << "INSERT INTO res_partner (id, name, ref, is_company, is_customer, segment_id, country_code, currency_code, "
           "create_date, write_date) VALUES (:id, :n, :r, 1, 1, :s, 'DE', 'EUR', :c, :w)",
        soci::use(id), soci::use(name), soci::use(ref), soci::use(seg), soci::use(stamp_), soci::use(stamp_);
    partners_written_.insert(id);
    companies_.push_back({id, false});
    count_as("new_customers");
  }
}

void Day::new_orders() {
  // Today's orders (10 per 1,000 customers: the benchmark's day at size L),
  // some still quotations; and documents entered late, dated weeks back.
  for (int k = 0, n = count(0.01); k < n; ++k) {
    new_order(any_company(), day_, rng_.chance(0.9) ? "confirmed" : "sent");
    count_as("new_orders");
  }
  for (int k = 0, n = count(0.0005); k < n; ++k) {
    new_order(any_company(), day_ - rng_.range(20, 200), "confirmed");
    count_as("backdated_orders");
  }
}

void Day::edit_orders() {
  // A line's quantity changed, a line added, or a line deleted (the form
  // saves the order too: its write_date moves, as the ERP does).
  for (int k = 0, n = count(0.001); k < n; ++k) {
    const std::int64_t order = existing_order("('confirmed', 'done')");
    if (order == 0) break;
    long long oid = order;
    const int what = rng_.range(0, 2);
    if (what == 0) {
      db_ << "UPDATE sale_order_line SET product_uom_qty = product_uom_qty + 1, write_date = :w "
             "WHERE id = (SELECT MIN(id) FROM sale_order_line WHERE order_id = :o)",
          soci::use(stamp_), soci::use(oid);
    } else if (what == 1) {
      const Product &p = products_[static_cast<std::size_t>(rng_.range(0, static_cast<int>(products_.size()) - 1))];
      long long lid = ++next_line_, prod = p.id;
      db_ << "INSERT INTO sale_order_line (id, order_id, sequence, product_id, name, product_uom_qty, price_unit, "
             "discount, create_date, write_date) VALUES (:id, :o, 1000, :p, :n, 2, :pr, 0, :c, :w)",
          soci::use(lid), soci::use(oid), soci::use(prod), soci::use(p.name), soci::use(p.price), soci::use(stamp_),
          soci::use(stamp_);
    } else {
      db_ << "DELETE FROM sale_order_line WHERE id = (SELECT MAX(id) FROM sale_order_line WHERE order_id = :o)",
          soci::use(oid);
    }
    write_order_header(order);
    count_as("edited_orders");
  }
}

void Day::change_order_states() {
  // Cancelled (with their invoices) and re-drafted orders leave the sales.
  for (int k = 0, n = count(0.0001); k < n; ++k) {
    for (const char *to : {"cancelled", "draft"}) {
      const std::int64_t order = existing_order("('confirmed', 'done')");
      if (order == 0) continue;
      long long oid = order;
      const std::string state = to;
      db_ << "UPDATE sale_order SET state = :s, write_date = :w WHERE id = :id", soci::use(state), soci::use(stamp_),
          soci::use(oid);
      touch("order_lines", order);
      if (state == "cancelled") {
        soci::rowset<long long> inv = (db_.prepare << "SELECT id FROM account_invoice WHERE sale_order_id = :o", soci::use(oid));
        std::vector<long long> ids(inv.begin(), inv.end());
        for (long long i : ids) {
          db_ << "UPDATE account_invoice SET state = 'cancelled', write_date = :w WHERE id = :id", soci::use(stamp_),
              soci::use(i);
          touch("invoices", i);
        }
      }
      count_as(state == "cancelled" ? "cancelled_orders" : "redrafted_orders");
    }
  }
}

void Day::reassign() {
  // Orders moved to another customer (a booking error corrected), and a
  // contact person who changed companies: every document filed under that
  // contact now belongs to the new company.
  for (int k = 0, n = count(0.0001); k < n; ++k) {
    const std::int64_t order = existing_order("('confirmed', 'done')");
    if (order == 0) break;
    long long oid = order, to = any_company().id;
    db_ << "UPDATE sale_order SET partner_id = :p, write_date = :w WHERE id = :id", soci::use(to), soci::use(stamp_),
        soci::use(oid);
    touch("order_lines", order);
    count_as("reassigned_orders");
  }
  for (int k = 0, n = count(0.00005); k < n && !contacts_.empty(); ++k) {
    auto it = contacts_.begin();
    std::advance(it, rng_.range(0, static_cast<int>(contacts_.size()) - 1));
    long long contact = it->second, to = any_company().id;
    db_ << "UPDATE res_partner SET parent_id = :p, write_date = :w WHERE id = :id", soci::use(to), soci::use(stamp_),
        soci::use(contact);
    partners_written_.insert(contact);
    count_as("reparented_contacts");
  }
  for (int k = 0, n = count(0.0001); k < n; ++k) {
    long long id = any_company().id, seg = rng_.range(1, 3);
    db_ << "UPDATE res_partner SET segment_id = :s, write_date = :w WHERE id = :id", soci::use(seg), soci::use(stamp_),
        soci::use(id);
    partners_written_.insert(id);
    count_as("resegmented_customers");
  }
}

void Day::payments() {
  // Payments received for open invoices: they become paid today.
  for (int k = 0, n = count(0.002); k < n; ++k) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      long long id = any_id(max_invoice_);
      soci::indicator ind;
      long long partner = 0;
      double total = 0;
      db_ << "SELECT partner_id, CAST(amount_total AS DOUBLE PRECISION) FROM account_invoice i WHERE id = :id "
             "AND state = 'posted' AND move_type = 'out_invoice' AND NOT EXISTS (SELECT 1 FROM account_payment p "
             "WHERE p.invoice_id = i.id AND p.state = 'posted')",
          soci::use(id), soci::into(partner, ind), soci::into(total);
      if (!db_.got_data()) continue;
      long long pid = ++next_payment_;
      const std::string date = fmt_date(day_).str();
      db_ << "INSERT INTO account_payment (id, invoice_id, partner_id, payment_type, payment_date, amount, state, "
             "create_date, write_date) VALUES (:id, :i, :p, 'inbound', :d, :a, 'posted', :c, :w)",
          soci::use(pid), soci::use(id), soci::use(partner), soci::use(date), soci::use(total), soci::use(stamp_),
          soci::use(stamp_);
      touch("invoices", id);
      count_as("payments");
      break;
    }
  }
}

void Day::tickets() {
  // New tickets (one per 1,000 customers), and open ones solved today.
  for (int k = 0, n = count(0.001); k < n; ++k) {
    long long id = ++next_ticket_, partner = order_partner(any_company());
    long long channel = rng_.range(1, 4), category = rng_.range(1, 6);
    const std::string prio(1, static_cast<char>('0' + rng_.range(0, 3)));
    db_ << "INSERT INTO helpdesk_ticket (id, name, partner_id, stage_id, channel_id, category_id, priority, "
           "create_date, reopen_count, active, write_date) VALUES (:id, 'Question', :p, :s, :ch, :c, :pr, :cd, 0, 1, :wd)",
        soci::use(id), soci::use(partner), soci::use(static_cast<long long>(kStageNew)), soci::use(channel),
        soci::use(category), soci::use(prio), soci::use(stamp_), soci::use(stamp_);
    touch("tickets", id);
    count_as("new_tickets");
  }
  for (int k = 0, n = count(0.0005); k < n; ++k) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      long long id = any_id(max_ticket_);
      if (!one<int>("SELECT stage_id FROM helpdesk_ticket WHERE id = :id AND active = 1 AND stage_id IN (1, 2, 3)", id))
        continue;
      db_ << "UPDATE helpdesk_ticket SET stage_id = :s, close_date = :c, first_response_date = COALESCE("
             "first_response_date, close_date), write_date = :w WHERE id = :id",
          soci::use(static_cast<long long>(kStageSolved)), soci::use(stamp_), soci::use(stamp_), soci::use(id);
      touch("tickets", id);
      count_as("solved_tickets");
      break;
    }
  }
}

void Day::answers() {
  // Survey answers received today: NPS from customers, CSAT after tickets.
  for (int k = 0, n = count(0.001); k < n; ++k) {
    long long id = ++next_answer_, partner = order_partner(any_company());
    const bool nps = rng_.chance(0.6);
    long long survey = nps ? kSurveyNps : kSurveyCsat, score = nps ? rng_.range(0, 10) : rng_.range(1, 5);
    db_ << "INSERT INTO survey_answer (id, survey_id, partner_id, state, create_date, answered_at, score, write_date) "
           "VALUES (:id, :s, :p, 'done', :c, :a, :sc, :w)",
        soci::use(id), soci::use(survey), soci::use(partner), soci::use(stamp_), soci::use(stamp_), soci::use(score),
        soci::use(stamp_);
    touch("feedback", id);
    count_as("answers");
  }
}

void Day::subscriptions() {
  // A running contract ends today; a new one starts.
  for (int k = 0, n = count(0.0001); k < n; ++k) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      long long id = any_id(max_subscription_);
      if (!one<std::string>("SELECT state FROM sale_subscription WHERE id = :id AND state = 'in_progress'", id)) continue;
      const std::string end = fmt_date(day_).str();
      db_ << "UPDATE sale_subscription SET state = 'closed', date_end = :d, close_reason = 'Cancelled by customer', "
             "write_date = :w WHERE id = :id",
          soci::use(end), soci::use(stamp_), soci::use(id);
      touch("subscriptions", id);
      count_as("closed_subscriptions");
      break;
    }
    const Company &c = any_company();
    long long id = ++next_subscription_, partner = c.id;
    const std::string code = padded("SUB", id, 6), start = fmt_date(day_).str(), cur = c.usd ? "USD" : "EUR";
    const double total = std::round(rng_.uniform(49, 990)), rate = c.usd ? eur_per_usd(day_) : 1.0;
    db_ << "INSERT INTO sale_subscription (id, code, partner_id, template, date_start, recurring_rule_type, "
           "recurring_total, currency_code, currency_rate, state, create_date, write_date) VALUES (:id, :c, :p, "
           "'Support Pro', :d, 'monthly', :t, :cur, :r, 'in_progress', :cd, :wd)",
        soci::use(id), soci::use(code), soci::use(partner), soci::use(start), soci::use(total), soci::use(cur),
        soci::use(rate), soci::use(stamp_), soci::use(stamp_);
    touch("subscriptions", id);
    count_as("new_subscriptions");
  }
}

// Documents filed under a partner written today read that partner (its
// company, its segment): the change capture sees them through the
// partner's write_date, so they count as touched.
void Day::partners_touch_documents() {
  static const struct {
    const char *source, *table;
  } kDocs[] = {{"order_lines", "sale_order"},  {"invoices", "account_invoice"}, {"tickets", "helpdesk_ticket"},
               {"feedback", "survey_answer"}, {"subscriptions", "sale_subscription"}};
  for (std::int64_t partner : partners_written_) {
    touch("customers", partner);
    long long p = partner;
    for (const auto &d : kDocs) {
      soci::rowset<long long> rs = (db_.prepare << std::string("SELECT id FROM ") + d.table + " WHERE partner_id = :p", soci::use(p));
      for (long long id : rs) touch(d.source, id);
    }
  }
}

void Day::deletions() {
  // Hard deletions (an order entered twice, a draft invoice thrown away, a
  // test ticket): gone without a trace the change columns could show.
  static const struct {
    const char *source, *table, *children;
    std::int64_t Day::*max;
  } kDeletable[] = {{"order_lines", "sale_order", "sale_order_line WHERE order_id", &Day::max_order_},
                    {"invoices", "account_invoice", "account_payment WHERE invoice_id", &Day::max_invoice_},
                    {"tickets", "helpdesk_ticket", nullptr, &Day::max_ticket_}};
  for (int k = 0, n = count(0.0001); k < n; ++k) {
    for (const auto &d : kDeletable) {
      long long id = any_id(this->*d.max);
      if (!one<long long>(std::string("SELECT id FROM ") + d.table + " WHERE id = :id", id)) continue;
      if (d.children) db_ << (std::string("DELETE FROM ") + d.children + " = :id"), soci::use(id);
      db_ << (std::string("DELETE FROM ") + d.table + " WHERE id = :id"), soci::use(id);
      const std::string key = std::to_string(id);
      stats_.touched[d.source].erase(key);
      stats_.deleted[d.source].insert(key);
      count_as("deleted_documents");
    }
  }
}

DayStats Day::run() {
  stamp_ = o_.stamp.empty() ? utc_now() : o_.stamp;
  soci::transaction tx(db_);
  load();
  stats_.day = fmt_date(day_).str();
  stats_.stamp = stamp_;
  new_customers();
  new_orders();
  edit_orders();
  change_order_states();
  reassign();
  payments();
  tickets();
  answers();
  subscriptions();
  partners_touch_documents();
  deletions();
  tx.commit();
  return stats_;
}

}  // namespace

DayStats apply_demo_day(soci::session &db, const std::string &backend, const DayOptions &o) {
  check_backend(db, backend, o.customers);
  Day day(db, o);
  return day.run();
}

}  // namespace cskpi::demo
