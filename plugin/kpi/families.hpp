// The period KPI families, declared once: one module and one docs/kpis.md
// section each, with the KPIs of other families it reads and the KPIs it
// adds. The engine runs them through run_kpi_families(), in an order derived
// from these declarations (a family runs after every family whose KPIs it
// reads), and checks that each one adds exactly what it declares.
//
// Adding a period KPI: add it to its family's `adds` list beside the
// module's out.add(...) call, document it in its docs/kpis.md section, test
// it in tests/unit/test_<family>.cpp. A KPI read from another family goes in
// `reads`; tests/unit/test_kpi_families.cpp then proves the family needs no
// more than that.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/kpi_results.hpp"
#include "kpi/activity.hpp"

namespace cskpi {

struct KpiFamily {
  std::string_view name;  // plugin/kpi/<name>.cpp
  std::string_view doc;   // its docs/kpis.md section
  std::span<const std::string_view> reads;  // KPIs of other families it reads from KpiResults
  std::span<const std::string_view> adds;   // the KPIs it adds, in the order it adds them
  std::span<const std::string_view> subscription_adds;  // in subscriptions revenue mode, when they differ
  void (*compute)(const KpiContext &ctx, KpiResults &out);

  std::span<const std::string_view> adds_in(const Settings &s) const {
    return s.revenue_mode == RevenueMode::subscriptions && !subscription_adds.empty() ? subscription_adds : adds;
  }
};

// Every family, in the order docs/kpis.md describes them.
std::span<const KpiFamily> kpi_families();
// The families in dependency order (computed once from the declarations;
// throws std::logic_error when they name a KPI nobody adds or form a cycle).
const std::vector<const KpiFamily *> &kpi_family_order();
// Runs every family into out, in dependency order; std::logic_error when a
// family adds something other than its declaration says (a programming error).
void run_kpi_families(const KpiContext &ctx, KpiResults &out);

}  // namespace cskpi
