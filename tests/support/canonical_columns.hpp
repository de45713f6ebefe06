// The canonical columns of every source (docs/kpis.md §1), in order, written
// out by hand: the tests compare what profiles return against this list, not
// against plugin/source/canonical.cpp.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cskpi::test {

inline const std::map<std::string, std::vector<std::string>> &canonical_columns() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"customers", {"customer_id", "name", "created_on", "segment"}},
      {"order_lines", {"order_id", "customer_id", "order_date", "product_id", "category", "amount"}},
      {"invoices", {"invoice_id", "customer_id", "invoice_date", "due_date", "paid_date", "amount", "kind"}},
      {"tickets", {"ticket_id", "customer_id", "opened_at", "first_response_at", "resolved_at", "channel", "category",
                   "priority", "reopen_count"}},
      {"feedback", {"feedback_id", "customer_id", "answered_at", "kind", "score", "ticket_id"}},
      {"subscriptions", {"subscription_id", "customer_id", "start_date", "end_date", "mrr"}},
      {"retention_costs", {"cost_date", "amount"}},
  };
  return m;
}

}  // namespace cskpi::test
