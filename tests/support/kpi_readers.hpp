// Readers the KPI module tests share: a value of a KPI matrix, a column of a
// table, a slot by segment name. Each REQUIREs that what it looks up exists.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "core/kpi_results.hpp"
#include "core/table.hpp"

namespace cskpi::test {

inline double value(const KpiResults &r, const char *kpi, std::size_t period, std::size_t slot) {
  const KpiMatrix *m = r.find(kpi);
  REQUIRE(m != nullptr);
  return r.get(*m, period, slot);
}

inline const Column &column(const Table &t, const char *name) {
  const int i = t.find_column(name);
  REQUIRE(i >= 0);
  return t.column(static_cast<std::size_t>(i));
}

inline std::size_t slot_index(const KpiResults &out, const std::string &slot) {
  const auto &names = out.slot_names();
  auto it = std::find(names.begin(), names.end(), slot);
  REQUIRE(it != names.end());
  return static_cast<std::size_t>(it - names.begin());
}

}  // namespace cskpi::test
