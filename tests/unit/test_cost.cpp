// Retention cost (docs/kpis.md §8): retention_cost and crc, slot "all" only.
#include <catch2/catch.hpp>

#include "core/kpi_results.hpp"
#include "kpi/cost.hpp"
#include "support/dataset_builder.hpp"

using namespace cskpi;
using cskpi::test::DatasetBuilder;
using cskpi::test::Fixture;

namespace {

// W = 10, month, as_of 03-20.
//   u (smb): orders 01-25, 02-03, 02-12, 02-21, 03-01 -> one spell [01-25, 03-11)
//   v:       orders 01-28, 02-06, 02-15, 02-24, 03-04, 03-13 -> one spell [01-28, 03-23), running at as_of
//   w:       order 01-30 -> [01-30, 02-09)
// |A0 ∩ A1|: Jan 0 (A0 on 12-31 empty); Feb {u, v} = 2 (A0 {u, v, w}, A1 {u, v}); Mar {v} = 1.
DatasetBuilder customers() {
  DatasetBuilder b("2024-03-20");
  b.customer("u", "smb").customer("v").customer("w");
  int n = 0;
  for (const char *d : {"2024-01-25", "2024-02-03", "2024-02-12", "2024-02-21", "2024-03-01"})
    b.order_line("u" + std::to_string(n++), "u", d, 1);
  for (const char *d : {"2024-01-28", "2024-02-06", "2024-02-15", "2024-02-24", "2024-03-04", "2024-03-13"})
    b.order_line("v" + std::to_string(n++), "v", d, 1);
  b.order_line("w", "w", "2024-01-30", 1);
  return b;
}

Settings window10() {
  Settings s;
  s.inactivity_days = 10;
  return s;
}

}  // namespace

TEST_CASE("cost: retention_cost sums P, crc divides by the customers retained", "[cost]") {
  DatasetBuilder b = customers();
  b.retention_cost("2024-01-15", 100).retention_cost("2024-02-01", 300).retention_cost("2024-02-29", 100);
  Fixture fx(b.build(), window10());
  KpiResults out(fx.grid, fx.slot_names());
  compute_cost(fx.context(), out);
  const KpiMatrix &cost = *out.find("retention_cost");
  const KpiMatrix &crc = *out.find("crc");
  REQUIRE(fx.grid.size() == 3);
  REQUIRE(out.slots() == 3);  // all, smb, unassigned
  CHECK(out.get(cost, 0, 0) == 100);
  CHECK(is_null(out.get(crc, 0, 0)));  // nobody retained in January
  CHECK(out.get(cost, 1, 0) == 400);   // 300 + 100 (02-29, the last day)
  CHECK(out.get(crc, 1, 0) == 200);    // 400 / 2
  CHECK(out.get(cost, 2, 0) == 0);     // source present, nothing spent
  CHECK(out.get(crc, 2, 0) == 0);      // 0 / 1
  for (std::size_t p = 0; p < 3; ++p)
    for (std::size_t s = 1; s < out.slots(); ++s) {
      CHECK(is_null(out.get(cost, p, s)));
      CHECK(is_null(out.get(crc, p, s)));
    }
}

TEST_CASE("cost: absent retention_costs source leaves both null", "[cost]") {
  Fixture fx(customers().build(), window10());
  KpiResults out(fx.grid, fx.slot_names());
  compute_cost(fx.context(), out);
  for (const char *name : {"retention_cost", "crc"}) {
    const KpiMatrix *m = out.find(name);
    REQUIRE(m != nullptr);
    for (double v : m->values) CHECK(is_null(v));
  }
}

TEST_CASE("cost: source present without rows gives 0 cost", "[cost]") {
  DatasetBuilder b = customers();
  b.with_retention_costs();
  Fixture fx(b.build(), window10());
  KpiResults out(fx.grid, fx.slot_names());
  compute_cost(fx.context(), out);
  CHECK(out.get(*out.find("retention_cost"), 1, 0) == 0);
  CHECK(out.get(*out.find("crc"), 1, 0) == 0);           // 0 / 2
  CHECK(is_null(out.get(*out.find("crc"), 0, 0)));       // 0 / 0
}
