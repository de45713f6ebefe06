#include "support/dataset_builder.hpp"

#include <algorithm>
#include <stdexcept>

namespace cskpi::test {

Day day(const std::string &iso) { return parse_day(iso); }

Seconds utc(const std::string &t) {
  // "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS"
  if (t.size() < 16) throw std::invalid_argument("bad test time " + t);
  Seconds s = static_cast<Seconds>(parse_day(t.substr(0, 10))) * 86400;
  s += std::stoi(t.substr(11, 2)) * 3600 + std::stoi(t.substr(14, 2)) * 60;
  if (t.size() >= 19) s += std::stoi(t.substr(17, 2));
  return s;
}

DatasetBuilder::DatasetBuilder(const std::string &as_of_iso, const std::string &zone_name) : zone_(zone_name) {
  data_.as_of = day(as_of_iso);
}

void DatasetBuilder::see(Day d) {
  if (d != kNoDay && (data_.first_day == kNoDay || d < data_.first_day)) data_.first_day = d;
}

std::uint32_t DatasetBuilder::customer_ref(const std::string &id) { return data_.customer_for(id, nullptr); }

DatasetBuilder &DatasetBuilder::customer(const std::string &id, std::optional<std::string> segment,
                                         std::optional<std::string> created_on) {
  auto c = data_.customers.ids.intern(id);
  if (c != data_.customers.size()) throw std::logic_error("customer added twice: " + id);
  data_.customers.segment.push_back(data_.segments.intern(segment.value_or("unassigned")));
  data_.customers.created_on.push_back(created_on ? day(*created_on) : kNoDay);
  data_.customers.known.push_back(1);
  return *this;
}

DatasetBuilder &DatasetBuilder::order_line(const std::string &order_id, const std::string &customer_id,
                                           const std::string &date, double amount, std::optional<std::string> category) {
  auto &ol = data_.order_lines;
  ol.order.push_back(ol.orders.intern(order_id));
  ol.customer.push_back(customer_ref(customer_id));
  ol.day.push_back(day(date));
  ol.category.push_back(data_.categories.intern(category.value_or("unknown")));
  ol.amount.push_back(amount);
  see(ol.day.back());
  return *this;
}

DatasetBuilder &DatasetBuilder::orders(const std::string &customer_id, std::initializer_list<Line> lines) {
  for (const Line &l : lines)
    order_line(l.order_id, customer_id, l.date, l.amount,
               l.category ? std::optional<std::string>(l.category) : std::nullopt);
  return *this;
}

DatasetBuilder &DatasetBuilder::invoice(const std::string &customer_id, const std::string &date, double amount,
                                        std::optional<std::string> due, std::optional<std::string> paid) {
  auto &inv = data_.invoices;
  data_.present.invoices = true;
  inv.customer.push_back(customer_ref(customer_id));
  inv.day.push_back(day(date));
  inv.due.push_back(due ? day(*due) : kNoDay);
  Day p = paid ? day(*paid) : kNoDay;
  inv.paid.push_back(p != kNoDay && p > data_.as_of ? kNoDay : p);
  inv.amount.push_back(amount);
  inv.credit_note.push_back(amount < 0);
  see(inv.day.back());
  return *this;
}

DatasetBuilder &DatasetBuilder::credit_note(const std::string &customer_id, const std::string &date,
                                            double amount_negative) {
  invoice(customer_id, date, amount_negative);
  data_.invoices.credit_note.back() = 1;
  return *this;
}

DatasetBuilder &DatasetBuilder::ticket(const std::string &id, std::optional<std::string> customer_id,
                                       const std::string &opened, std::optional<std::string> first_response,
                                       std::optional<std::string> resolved, std::optional<std::string> channel,
                                       std::optional<std::string> category, std::optional<std::string> priority,
                                       std::optional<int> reopen_count) {
  auto &t = data_.tickets;
  data_.present.tickets = true;
  t.ids.intern(id);
  t.customer.push_back(customer_id ? customer_ref(*customer_id) : kNoCustomer);
  t.opened.push_back(utc(opened));
  t.opened_day.push_back(zone_.local_day(t.opened.back()));
  auto instant = [&](const std::optional<std::string> &v) {
    if (!v) return kNoTime;
    Seconds s = utc(*v);
    return zone_.local_day(s) > data_.as_of ? kNoTime : s;
  };
  t.first_response.push_back(instant(first_response));
  t.resolved.push_back(instant(resolved));
  t.resolved_day.push_back(t.resolved.back() == kNoTime ? kNoDay : zone_.local_day(t.resolved.back()));
  t.channel.push_back(data_.channels.intern(channel.value_or("unknown")));
  t.category.push_back(data_.categories.intern(category.value_or("unknown")));
  t.priority.push_back(data_.priorities.intern(priority.value_or("unknown")));
  t.reopen_count.push_back(reopen_count.value_or(-1));
  if (reopen_count) t.has_reopen_count = true;
  see(t.opened_day.back());
  return *this;
}

DatasetBuilder &DatasetBuilder::feedback(std::optional<std::string> customer_id, const std::string &answered,
                                         FeedbackKind kind, int score) {
  auto &f = data_.feedback;
  data_.present.feedback = true;
  f.customer.push_back(customer_id ? customer_ref(*customer_id) : kNoCustomer);
  f.answered.push_back(utc(answered));
  f.day.push_back(zone_.local_day(f.answered.back()));
  f.kind.push_back(kind);
  f.score.push_back(score);
  f.ticket.push_back(UINT32_MAX);
  see(f.day.back());
  return *this;
}

DatasetBuilder &DatasetBuilder::answers(std::optional<std::string> customer_id, FeedbackKind kind,
                                        std::initializer_list<Answer> answers) {
  for (const Answer &a : answers) feedback(customer_id, a.answered, kind, a.score);
  return *this;
}

DatasetBuilder &DatasetBuilder::subscription(const std::string &customer_id, const std::string &start,
                                             std::optional<std::string> end, double mrr) {
  auto &s = data_.subscriptions;
  data_.present.subscriptions = true;
  s.customer.push_back(customer_ref(customer_id));
  s.start.push_back(day(start));
  s.end.push_back(end ? day(*end) : kNoDay);
  s.mrr.push_back(mrr);
  see(s.start.back());
  return *this;
}

DatasetBuilder &DatasetBuilder::retention_cost(const std::string &date, double amount) {
  data_.present.retention_costs = true;
  data_.retention_costs.day.push_back(day(date));
  data_.retention_costs.amount.push_back(amount);
  see(data_.retention_costs.day.back());
  return *this;
}

Dataset DatasetBuilder::build() { return std::move(data_); }

namespace {
Activity activity_for(const Dataset &d, const Settings &s) {
  return s.activity_mode == ActivityMode::subscriptions ? Activity::from_subscriptions(d)
                                                        : Activity::from_orders(d, s.inactivity_days);
}
}  // namespace

Fixture::Fixture(Dataset d, Settings s)
    : data(std::move(d)),
      settings(std::move(s)),
      grid(settings.granularity, data.first_day, data.as_of),
      activity(activity_for(data, settings)) {}

std::vector<std::string> Fixture::slot_names() const {
  std::vector<std::string> names{"all"};
  for (const auto &n : data.segments.names()) names.push_back(n);
  return names;
}

}  // namespace cskpi::test
