// Builds small in-memory Datasets for the KPI module tests, with the same
// conventions the loader gives (dense ids, "unassigned"/"unknown" names).
// Rows are taken as clean: the loader's own tests cover bad rows.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "core/dataset.hpp"
#include "core/settings.hpp"
#include "core/timezone.hpp"
#include "kpi/activity.hpp"

namespace cskpi::test {

// "YYYY-MM-DD" -> Day
Day day(const std::string &iso);
// "YYYY-MM-DD HH:MM[:SS]" read as UTC -> Seconds
Seconds utc(const std::string &iso_time);

class DatasetBuilder {
 public:
  explicit DatasetBuilder(const std::string &as_of_iso, const std::string &zone_name = "UTC");

  DatasetBuilder &customer(const std::string &id, std::optional<std::string> segment = std::nullopt,
                           std::optional<std::string> created_on = std::nullopt);
  DatasetBuilder &order_line(const std::string &order_id, const std::string &customer_id, const std::string &date,
                             double amount, std::optional<std::string> category = std::nullopt);
  // One customer's order lines, in the order given (category null when omitted).
  struct Line {
    const char *order_id, *date;
    double amount;
    const char *category = nullptr;
  };
  DatasetBuilder &orders(const std::string &customer_id, std::initializer_list<Line> lines);
  DatasetBuilder &invoice(const std::string &customer_id, const std::string &date, double amount,
                          std::optional<std::string> due = std::nullopt, std::optional<std::string> paid = std::nullopt);
  DatasetBuilder &credit_note(const std::string &customer_id, const std::string &date, double amount_negative);
  // Times are "YYYY-MM-DD HH:MM" in UTC; local days use the builder's zone.
  DatasetBuilder &ticket(const std::string &id, std::optional<std::string> customer_id, const std::string &opened,
                         std::optional<std::string> first_response = std::nullopt,
                         std::optional<std::string> resolved = std::nullopt,
                         std::optional<std::string> channel = std::nullopt,
                         std::optional<std::string> category = std::nullopt,
                         std::optional<std::string> priority = std::nullopt, std::optional<int> reopen_count = std::nullopt);
  DatasetBuilder &feedback(std::optional<std::string> customer_id, const std::string &answered, FeedbackKind kind,
                           int score);
  // One customer's (or, with nullopt, nobody's) answers of one kind: {answered, score} each.
  struct Answer {
    const char *answered;
    int score;
  };
  DatasetBuilder &answers(std::optional<std::string> customer_id, FeedbackKind kind, std::initializer_list<Answer> answers);
  DatasetBuilder &subscription(const std::string &customer_id, const std::string &start,
                               std::optional<std::string> end, double mrr);
  DatasetBuilder &retention_cost(const std::string &date, double amount);

  // Marks optional sources present even when they got no rows.
  DatasetBuilder &with_invoices() { data_.present.invoices = true; return *this; }
  DatasetBuilder &with_tickets() { data_.present.tickets = true; return *this; }
  DatasetBuilder &with_feedback() { data_.present.feedback = true; return *this; }
  DatasetBuilder &with_subscriptions() { data_.present.subscriptions = true; return *this; }
  DatasetBuilder &with_retention_costs() { data_.present.retention_costs = true; return *this; }

  // first_day = the earliest date in any source.
  Dataset build();

 private:
  void see(Day d);
  std::uint32_t customer_ref(const std::string &id);
  Dataset data_;
  TimeZone zone_;
};

// Runs what the engine runs before the modules: the activity spells and the
// period grid, and gives a KpiContext over them.
struct Fixture {
  Dataset data;
  Settings settings;
  PeriodGrid grid;
  Activity activity;
  Fixture(Dataset d, Settings s);
  KpiContext context() const { return KpiContext{data, settings, grid, activity}; }
  std::vector<std::string> slot_names() const;
};

}  // namespace cskpi::test
