// Readers the KPI module tests share: a value of a KPI matrix, a column of a
// table, a slot by segment name, one family run read by KPI, period and
// segment. Each REQUIREs that what it looks up exists.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "core/kpi_results.hpp"
#include "core/table.hpp"
#include "support/dataset_builder.hpp"

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

// Runs one KPI family (its compute function, plugin/kpi/families.hpp) on a
// dataset; run("nrr", "2024-03-01", "smb") reads the value of a KPI for the
// period starting on that day in a slot ("all" or a segment).
struct FamilyRun {
  Fixture fx;
  KpiResults out;
  FamilyRun(void (*compute)(const KpiContext &, KpiResults &), Dataset d, Settings s)
      : fx(std::move(d), std::move(s)), out(fx.grid, fx.slot_names()) {
    compute(fx.context(), out);
  }
  double operator()(const std::string &kpi, const std::string &period, const std::string &slot = "all") const {
    int p = fx.grid.index_of(day(period));
    REQUIRE(p >= 0);
    return value(out, kpi.c_str(), static_cast<std::size_t>(p), slot_index(out, slot));
  }
};

}  // namespace cskpi::test
