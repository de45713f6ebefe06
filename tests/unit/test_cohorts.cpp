// Cohort tables (docs/kpis.md §9). Expectations are computed by hand in the
// comments; activity is "active on t iff an order day d has d <= t < d + W".
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "kpi/cohorts.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

// Row of (segment, cohort_start, offset), or -1 when the table has none.
long find_row(const Table &t, const std::string &segment, const std::string &cohort, std::int64_t offset) {
  const Column &s = column(t, "segment"), &k = column(t, "cohort_start"), &j = column(t, "period_offset");
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (s.text[r] == segment && k.text[r] == cohort && j.ints[r] == offset) return static_cast<long>(r);
  return -1;
}

std::size_t row(const Table &t, const std::string &segment, const std::string &cohort, std::int64_t offset) {
  long r = find_row(t, segment, cohort, offset);
  INFO("row " << segment << " " << cohort << " +" << offset);
  REQUIRE(r >= 0);
  return static_cast<std::size_t>(r);
}

std::int64_t int_at(const Table &t, const char *name, std::size_t r) { return column(t, name).ints[r]; }
double real_at(const Table &t, const char *name, std::size_t r) { return column(t, name).reals[r]; }
bool null_at(const Table &t, const char *name, std::size_t r) { return column(t, name).null[r] != 0; }
std::string text_at(const Table &t, const char *name, std::size_t r) { return column(t, name).text[r]; }

// size, retained of a cohort_retention row.
void check_retention(const Table &t, const std::string &segment, const std::string &cohort, std::int64_t offset,
                     std::int64_t size, std::int64_t retained) {
  std::size_t r = row(t, segment, cohort, offset);
  INFO(segment << " " << cohort << " +" << offset);
  CHECK(int_at(t, "size", r) == size);
  CHECK(int_at(t, "retained", r) == retained);
  CHECK(real_at(t, "rate", r) == Approx(static_cast<double>(retained) / static_cast<double>(size)));
}

// A cohort of `size` members: the members retained at offsets 0, 1, ...
void check_cohort(const Table &t, const std::string &segment, const std::string &cohort, std::int64_t size,
                  std::initializer_list<std::int64_t> retained) {
  std::int64_t offset = 0;
  for (std::int64_t kept : retained) check_retention(t, segment, cohort, offset++, size, kept);
}

Settings monthly(int window) {
  Settings s;
  s.granularity = Granularity::month;
  s.inactivity_days = window;
  return s;
}

// W = 30, as_of 2024-04-30; grid Jan..Apr 2024, measured on
// t1 = Jan 31, Feb 29, Mar 31, Apr 30.
//   A (smb): Jan 10 -> [Jan 10, Feb 9); Mar 5 -> [Mar 5, Apr 4)
//            active Jan31 y, Feb29 n, Mar31 y, Apr30 n
//   B (smb): Jan 20 -> [Jan 20, Feb 19) + Feb 15 -> [Feb 15, Mar 16) = [Jan 20, Mar 16);
//            Apr 20 -> [Apr 20, May 20)
//            active Jan31 y, Feb29 y, Mar31 n, Apr30 y
//   C (ent): Jan 25 -> [Jan 25, Feb 24); Mar 20 -> [Mar 20, Apr 19); Apr 25 -> [Apr 25, May 25)
//            active Jan31 y, Feb29 n, Mar31 y, Apr30 y
//   D (smb): Mar 10 -> [Mar 10, Apr 9): cohort Mar; active Mar31 y, Apr30 n
Fixture churn_and_return() {
  DatasetBuilder b("2024-04-30");
  b.customer("A", "smb").customer("B", "smb").customer("C", "ent").customer("D", "smb");
  b.order_line("a1", "A", "2024-01-10", 10).order_line("a2", "A", "2024-03-05", 10);
  b.order_line("b1", "B", "2024-01-20", 10).order_line("b2", "B", "2024-02-15", 10).order_line("b3", "B", "2024-04-20", 10);
  b.order_line("c1", "C", "2024-01-25", 10).order_line("c2", "C", "2024-03-20", 10).order_line("c3", "C", "2024-04-25", 10);
  b.order_line("d1", "D", "2024-03-10", 10);
  return Fixture(b.build(), monthly(30));
}

}  // namespace

TEST_CASE("cohort_retention: columns and row order", "[cohorts]") {
  Fixture f = churn_and_return();
  Table t = cohort_retention_table(f.context());
  CHECK(t.name() == "cohort_retention");
  REQUIRE(t.column_count() == 7);
  const char *names[] = {"cohort_start", "period_offset", "period_start", "segment", "size", "retained", "rate"};
  ColumnType types[] = {ColumnType::date, ColumnType::int64, ColumnType::date, ColumnType::text,
                        ColumnType::int64, ColumnType::int64, ColumnType::real};
  for (std::size_t i = 0; i < 7; ++i) {
    CHECK(t.column(i).name == names[i]);
    CHECK(t.column(i).type == types[i]);
  }
  // all: Jan cohort j = 0..3 (4 rows) + Mar cohort j = 0..1 (2); Feb and Apr
  // have no members. smb: same 6. ent: Jan cohort only (4). Total 16.
  REQUIRE(t.row_count() == 16);
  // Order: segment (all, smb, ent: first-seen order), cohort, offset.
  CHECK(text_at(t, "segment", 0) == "all");
  CHECK(text_at(t, "cohort_start", 0) == "2024-01-01");
  CHECK(text_at(t, "period_start", 3) == "2024-04-01");
  CHECK(int_at(t, "period_offset", 3) == 3);
  CHECK(text_at(t, "cohort_start", 4) == "2024-03-01");
  CHECK(text_at(t, "period_start", 5) == "2024-04-01");
  CHECK(text_at(t, "segment", 6) == "smb");
  CHECK(text_at(t, "segment", 12) == "ent");
  CHECK(find_row(t, "all", "2024-02-01", 0) == -1);  // empty cohort: no rows
  CHECK(find_row(t, "ent", "2024-03-01", 0) == -1);
}

TEST_CASE("cohort_retention: members churn and come back", "[cohorts]") {
  Fixture f = churn_and_return();
  Table t = cohort_retention_table(f.context());
  // Jan cohort {A, B, C}: Jan31 A B C = 3; Feb29 B = 1; Mar31 A C = 2; Apr30 B C = 2.
  // The rate goes 1 -> 1/3 -> 2/3: reactivated members count again.
  check_cohort(t, "all", "2024-01-01", 3, {3, 1, 2, 2});
  // Mar cohort {D}: Mar31 y, Apr30 n.
  check_cohort(t, "all", "2024-03-01", 1, {1, 0});
  CHECK(text_at(t, "period_start", row(t, "all", "2024-03-01", 1)) == "2024-04-01");
}

TEST_CASE("cohort_retention: per segment", "[cohorts]") {
  Fixture f = churn_and_return();
  Table t = cohort_retention_table(f.context());
  // smb Jan {A, B}: 2; Feb29 B = 1; Mar31 A = 1; Apr30 B = 1.
  check_cohort(t, "smb", "2024-01-01", 2, {2, 1, 1, 1});
  // smb Mar {D}: Mar31 y, Apr30 n.
  check_cohort(t, "smb", "2024-03-01", 1, {1, 0});
  // ent Jan {C}: 1, 0, 1, 1.
  check_cohort(t, "ent", "2024-01-01", 1, {1, 0, 1, 1});
}

TEST_CASE("cohort_retention: partial last period is measured at as_of", "[cohorts]") {
  // W = 30, as_of 2024-03-02: grid Jan, Feb, Mar (partial); t1 = Jan31, Feb29, Mar 2.
  //   E: Jan 5 -> [Jan 5, Feb 4) + Feb 3 -> [Feb 3, Mar 4) = [Jan 5, Mar 4): active on Mar 2
  //      (not on Mar 31: measuring at the period's last day would give 0).
  //   F: Jan 15 -> [Jan 15, Feb 14): active Jan31 only.
  DatasetBuilder b("2024-03-02");
  b.customer("E").customer("F");
  b.order_line("e1", "E", "2024-01-05", 1).order_line("e2", "E", "2024-02-03", 1);
  b.order_line("f1", "F", "2024-01-15", 1);
  Fixture f(b.build(), monthly(30));
  Table t = cohort_retention_table(f.context());
  check_cohort(t, "all", "2024-01-01", 2, {2, 1, 1});
  CHECK(find_row(t, "all", "2024-01-01", 3) == -1);  // April starts after as_of
  CHECK(t.row_count() == 6);                           // all + unassigned, 3 rows each
}

TEST_CASE("cohort_retention: a member can churn inside their cohort period", "[cohorts]") {
  // Subscriptions: G runs Jan 5 - Jan 20 (end exclusive): cohort Jan, not
  // active on Jan 31. H runs Jan 10 - open. as_of 2024-02-29.
  DatasetBuilder b("2024-02-29");
  b.customer("G").customer("H");
  b.order_line("g1", "G", "2024-01-05", 1);
  b.subscription("G", "2024-01-05", "2024-01-20", 10).subscription("H", "2024-01-10", std::nullopt, 10);
  Settings s = monthly(90);
  s.activity_mode = ActivityMode::subscriptions;
  Fixture f(b.build(), s);
  Table t = cohort_retention_table(f.context());
  check_retention(t, "all", "2024-01-01", 0, 2, 1);  // H only on Jan 31
  check_retention(t, "all", "2024-01-01", 1, 2, 1);  // H on Feb 29
}

TEST_CASE("cohort_retention: no data gives no rows", "[cohorts]") {
  DatasetBuilder b("2024-02-29");
  b.customer("X");
  Fixture f(b.build(), monthly(90));
  CHECK(cohort_retention_table(f.context()).row_count() == 0);
  CHECK(cohort_revenue_table(f.context()).row_count() == 0);
}

TEST_CASE("cohort_retention agrees with a direct count on random data", "[cohorts]") {
  // Difference arrays against the definition: for every member, active_on(t1(k+j)).
  for (ActivityMode mode : {ActivityMode::orders, ActivityMode::subscriptions}) {
    for (Granularity g : {Granularity::week, Granularity::month}) {
      std::mt19937 rng(42);
      std::uniform_int_distribution<int> offset(0, 400), len(1, 80), count(0, 5), seg(0, 2);
      DatasetBuilder b("2024-06-10");
      const Day base = day("2023-05-01");
      for (int c = 0; c < 200; ++c) {
        std::string id = "c" + std::to_string(c);
        b.customer(id, "s" + std::to_string(seg(rng)));
        int n = count(rng);
        for (int i = 0; i < n; ++i) {
          Day d = std::min(base + offset(rng), day("2024-06-10"));
          b.order_line(id + "-" + std::to_string(i), id, format_day(d), 1);
          Day e = d + len(rng);
          b.subscription(id, format_day(d), e > day("2024-06-10") && i % 2 ? std::nullopt : std::optional(format_day(e)), 1);
        }
      }
      Settings s = monthly(45);
      s.granularity = g;
      s.activity_mode = mode;
      Fixture f(b.build(), s);
      Table t = cohort_retention_table(f.context());
      const auto &grid = f.grid;
      // Expected counts keyed by (slot, k, j), computed customer by customer.
      std::size_t slots = 1 + f.data.segments.size(), n = grid.size();
      std::vector<std::int64_t> size(slots * n, 0), kept(slots * n * n, 0);
      for (std::uint32_t c = 0; c < f.data.customer_count(); ++c) {
        if (!f.activity.has_spells(c)) continue;
        auto k = static_cast<std::size_t>(grid.index_of(f.activity.first_start(c)));
        for (std::size_t slot : {std::size_t{0}, f.context().slot_of(c)}) {
          ++size[slot * n + k];
          for (std::size_t i = k; i < n; ++i) kept[(slot * n + k) * n + (i - k)] += f.activity.active_on(c, grid.t1(i));
        }
      }
      std::size_t rows = 0;
      auto names = f.slot_names();
      for (std::size_t slot = 0; slot < slots; ++slot)
        for (std::size_t k = 0; k < n; ++k) {
          if (size[slot * n + k] == 0) continue;
          for (std::size_t j = 0; k + j < n; ++j, ++rows)
            check_retention(t, names[slot], format_day(grid[k].start), static_cast<std::int64_t>(j),
                            size[slot * n + k], kept[(slot * n + k) * n + j]);
        }
      CHECK(rows == t.row_count());
    }
  }
}

namespace {

// W = 90, as_of 2024-03-31; grid Jan, Feb, Mar 2024.
//   A (x): first order Jan 10 -> cohort Jan. Invoices Jan 10 +100, Feb 5 +50,
//          Mar 1 +150, credit note Mar 20 -30.
//   B (y): first order Jan 20 -> cohort Jan. Invoices Jan 20 +300, Mar 15 +60.
//   C (x): first order Feb 10 -> cohort Feb. Invoices Jan 25 +40 (before its
//          cohort: in no cell), Feb 10 +200, Mar 10 +100.
//   D (y): first order Mar 5 -> cohort Mar, no invoice: base 0.
//   E (z): first order Mar 8 -> cohort Mar, credit note Mar 9 -20: base < 0.
Fixture revenue_fixture() {
  DatasetBuilder b("2024-03-31");
  b.customer("A", "x").customer("B", "y").customer("C", "x").customer("D", "y").customer("E", "z");
  b.order_line("a1", "A", "2024-01-10", 1).order_line("b1", "B", "2024-01-20", 1);
  b.order_line("c1", "C", "2024-02-10", 1).order_line("d1", "D", "2024-03-05", 1);
  b.order_line("e1", "E", "2024-03-08", 1);
  b.invoice("A", "2024-01-10", 100).invoice("A", "2024-02-05", 50).invoice("A", "2024-03-01", 150);
  b.credit_note("A", "2024-03-20", -30);
  b.invoice("B", "2024-01-20", 300).invoice("B", "2024-03-15", 60);
  b.invoice("C", "2024-01-25", 40).invoice("C", "2024-02-10", 200).invoice("C", "2024-03-10", 100);
  b.credit_note("E", "2024-03-09", -20);
  return Fixture(b.build(), monthly(90));
}

void check_revenue(const Table &t, const std::string &segment, const std::string &cohort, std::int64_t offset,
                   double revenue, double base) {
  std::size_t r = row(t, segment, cohort, offset);
  INFO(segment << " " << cohort << " +" << offset);
  CHECK(real_at(t, "revenue", r) == Approx(revenue));
  CHECK(real_at(t, "base_revenue", r) == Approx(base));
  if (base > 0) CHECK(real_at(t, "ratio", r) == Approx(revenue / base));
  else CHECK(null_at(t, "ratio", r));
}

// A cohort's revenue at offsets 0, 1, ... over its `base`.
void check_cohort_revenue(const Table &t, const std::string &segment, const std::string &cohort, double base,
                          std::initializer_list<double> revenue) {
  std::int64_t offset = 0;
  for (double v : revenue) check_revenue(t, segment, cohort, offset++, v, base);
}

}  // namespace

TEST_CASE("cohort_revenue: columns", "[cohorts]") {
  Fixture f = revenue_fixture();
  Table t = cohort_revenue_table(f.context());
  CHECK(t.name() == "cohort_revenue");
  const char *names[] = {"cohort_start", "period_offset", "period_start", "segment", "revenue", "base_revenue", "ratio"};
  REQUIRE(t.column_count() == 7);
  for (std::size_t i = 0; i < 7; ++i) CHECK(t.column(i).name == names[i]);
  CHECK(t.column(4).type == ColumnType::real);
  CHECK(t.column(6).type == ColumnType::real);
  // all: Jan 3 + Feb 2 + Mar 1; x: Jan 3 + Feb 2; y: Jan 3 + Mar 1; z: Mar 1 -> 16
  CHECK(t.row_count() == 16);
}

TEST_CASE("cohort_revenue: revenue over the cohort's first period", "[cohorts]") {
  Fixture f = revenue_fixture();
  Table t = cohort_revenue_table(f.context());
  // all, Jan {A, B}: Jan 100 + 300 = 400; Feb 50 -> 0.125; Mar 150 - 30 + 60 = 180 -> 0.45
  check_cohort_revenue(t, "all", "2024-01-01", 400, {400, 50, 180});
  CHECK(real_at(t, "ratio", row(t, "all", "2024-01-01", 2)) == Approx(0.45));
  // all, Feb {C}: Feb 200 (the Jan 40 predates the cohort); Mar 100 -> 0.5
  check_cohort_revenue(t, "all", "2024-02-01", 200, {200, 100});
  // all, Mar {D, E}: 0 - 20 = -20: a negative base gives a null ratio.
  check_cohort_revenue(t, "all", "2024-03-01", -20, {-20});
  // x, Jan {A}: 100, 50 (0.5), 150 - 30 = 120 (1.2)
  check_cohort_revenue(t, "x", "2024-01-01", 100, {100, 50, 120});
  CHECK(real_at(t, "ratio", row(t, "x", "2024-01-01", 2)) == Approx(1.2));
  // y, Jan {B}: 300, 0 (ratio 0, not null), 60 (0.2)
  check_revenue(t, "y", "2024-01-01", 1, 0, 300);
  CHECK(real_at(t, "ratio", row(t, "y", "2024-01-01", 1)) == 0.0);
  check_revenue(t, "y", "2024-01-01", 2, 60, 300);
  // y, Mar {D}: no revenue at all: base 0 -> ratio null.
  check_revenue(t, "y", "2024-03-01", 0, 0, 0);
  check_revenue(t, "z", "2024-03-01", 0, -20, -20);
}

TEST_CASE("cohort_revenue: no invoices source gives no rows", "[cohorts]") {
  DatasetBuilder b("2024-03-31");
  b.customer("A").order_line("a1", "A", "2024-01-10", 1);
  Fixture f(b.build(), monthly(90));
  Table t = cohort_revenue_table(f.context());
  CHECK(t.column_count() == 7);
  CHECK(t.row_count() == 0);
  // With the source present but empty: rows, all revenue 0 and ratio null.
  DatasetBuilder b2("2024-03-31");
  b2.customer("A").order_line("a1", "A", "2024-01-10", 1).with_invoices();
  Fixture f2(b2.build(), monthly(90));
  Table t2 = cohort_revenue_table(f2.context());
  CHECK(t2.row_count() == 6);  // all + unassigned, Jan cohort j = 0..2
  check_revenue(t2, "all", "2024-01-01", 2, 0, 0);
}
