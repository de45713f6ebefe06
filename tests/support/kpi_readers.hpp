// Readers the KPI module tests share: a value of a KPI matrix, a column of a
// table, a slot by segment name, one family run read by KPI, period and
// segment. Each REQUIREs that what it looks up exists.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
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

// Runs one KPI family's compute function (plugin/kpi/families.hpp) on a fixture.
inline KpiResults run_family(void (*compute)(const KpiContext &, KpiResults &), const Fixture &fx) {
  KpiResults out(fx.grid, fx.slot_names());
  compute(fx.context(), out);
  return out;
}

// What a value should be: a whole number (a count) is compared exactly, a
// double with Approx, kNull (core/kpi_results.hpp) expects null. `name` is
// the KPI (check_cell) or the row's id (check_column).
struct Expect {
  const char *name;
  double expected;
  bool exact;
  Expect(const char *n, int v) : name(n), expected(v), exact(true) {}
  Expect(const char *n, double v) : name(n), expected(v), exact(false) {}
  void check(bool null, double v) const {
    if (std::isnan(expected)) {
      CHECK(null);
      return;
    }
    CHECK_FALSE(null);
    if (null) return;
    if (exact)
      CHECK(v == expected);
    else
      CHECK(v == Approx(expected));
  }
};

// CHECKs KPIs of one cell (period, slot); a failure names the KPI and the cell.
inline void check_cell(const KpiResults &r, std::size_t period, std::size_t slot, std::initializer_list<Expect> cell) {
  for (const Expect &e : cell) {
    INFO(e.name << " in period " << period << ", slot " << slot);
    const double v = value(r, e.name, period, slot);
    e.check(std::isnan(v), v);
  }
}

inline std::size_t column_index(const Table &t, const char *name) {
  const int i = t.find_column(name);
  REQUIRE(i >= 0);
  return static_cast<std::size_t>(i);
}

inline const Column &column(const Table &t, const char *name) { return t.column(column_index(t, name)); }

// The first row whose text column `key` holds id; FAILs when there is none.
inline std::size_t row_of(const Table &t, const std::string &id, const char *key = "customer_id") {
  const Column &ids = column(t, key);
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (ids.text[r] == id) return r;
  FAIL("no row with " << key << " " << id << " in " << t.name());
  return 0;
}

// CHECKs a real or int64 column at the rows whose text column `key` holds
// each Expect's name.
inline void check_column(const Table &t, const char *name, std::initializer_list<Expect> rows,
                         const char *key = "customer_id") {
  const Column &c = column(t, name);
  for (const Expect &e : rows) {
    INFO(t.name() << "." << name << " of " << e.name);
    const std::size_t r = row_of(t, e.name, key);
    e.check(c.null[r] != 0, c.type == ColumnType::int64 ? static_cast<double>(c.ints[r]) : c.reals[r]);
  }
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
  // CHECKs KPIs of the period starting on that day in a slot (as check_cell).
  void check(const std::string &period, std::initializer_list<Expect> cell, const std::string &slot = "all") const {
    int p = fx.grid.index_of(day(period));
    REQUIRE(p >= 0);
    INFO(period << ", " << slot);
    check_cell(out, static_cast<std::size_t>(p), slot_index(out, slot), cell);
  }
};

// A FamilyRun of one family: using FlowRun = RunOf<compute_flow>.
template <void (*Compute)(const KpiContext &, KpiResults &)>
struct RunOf : FamilyRun {
  RunOf(Dataset d, Settings s) : FamilyRun(Compute, std::move(d), std::move(s)) {}
};

}  // namespace cskpi::test
