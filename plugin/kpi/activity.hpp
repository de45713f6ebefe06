// Customer activity spells (docs/kpis.md §3), shared by the flow, support, cost,
// cohort and health modules. Computed once per run.
#pragma once

#include <cstdint>
#include <vector>

#include "core/dataset.hpp"
#include "core/settings.hpp"

namespace cskpi {

// Spells of every customer, in CSR layout: customer c owns spells
// [offset[c], offset[c+1]), sorted by start. A spell is [start, end): end is
// its first inactive day (the churn day). When end > as_of the spell has not
// ended yet.
struct Activity {
  std::vector<std::uint32_t> offset;  // customer_count() + 1 entries
  std::vector<Day> start;
  std::vector<Day> end;

  std::size_t customers() const { return offset.empty() ? 0 : offset.size() - 1; }
  bool has_spells(std::uint32_t c) const { return offset[c + 1] > offset[c]; }
  Day first_start(std::uint32_t c) const { return start[offset[c]]; }
  // Whether customer c is active on day t.
  bool active_on(std::uint32_t c, Day t) const;

  // Orders mode: active on t iff an order day d has d <= t < d + window.
  static Activity from_orders(const Dataset &data, int window_days);
  // Subscriptions mode: active on t iff a subscription has start <= t < end.
  static Activity from_subscriptions(const Dataset &data);
};

struct FlowCounts;  // kpi/flow.hpp

// Everything a KPI module reads.
struct KpiContext {
  const Dataset &data;
  const Settings &settings;
  const PeriodGrid &grid;
  const Activity &activity;
  // The §3 customer counts of this grid, counted once per dataset and shared
  // by the families that read them (flow, cost); nullptr: each counts its own
  // (a unit test's context).
  const FlowCounts *flow = nullptr;
  // Output slot of customer c: 1 + its segment (slot 0 is "all").
  std::size_t slot_of(std::uint32_t c) const { return 1 + data.customers.segment[c]; }
};

}  // namespace cskpi
