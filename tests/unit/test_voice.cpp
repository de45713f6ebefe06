// docs/kpis.md §7 (voice of the customer: NPS, CSAT, CES, detractor follow-ups)
// on hand-made datasets. Every expectation is worked out by hand beside it.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/kpi_results.hpp"
#include "kpi/voice.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using cskpi::test::DatasetBuilder;
using cskpi::test::Fixture;

using cskpi::test::value;
using cskpi::test::column;

namespace {

constexpr auto nps = FeedbackKind::nps;
constexpr auto csat = FeedbackKind::csat;
constexpr auto ces = FeedbackKind::ces;

KpiResults run(const Fixture &fx) {
  KpiResults out(fx.grid, fx.slot_names());
  compute_voice(fx.context(), out);
  return out;
}

const char *const kVoiceKpis[] = {"nps",  "nps_answers",  "nps_promoters", "nps_passives", "nps_detractors",
                                  "csat", "csat_answers", "ces",           "ces_answers"};

}  // namespace

TEST_CASE("NPS: promoters 9-10, passives 7-8, detractors 0-6", "[voice]") {
  // Slots: all (0), a (1), b (2).
  auto data = DatasetBuilder("2024-01-31")
                  .customer("P", "a")
                  .customer("Q", "b")
                  .feedback("P", "2024-01-02 10:00", nps, 10)
                  .feedback("P", "2024-01-03 10:00", nps, 9)
                  .feedback("P", "2024-01-04 10:00", nps, 6)
                  .feedback("Q", "2024-01-05 10:00", nps, 7)
                  .feedback("Q", "2024-01-06 10:00", nps, 8)
                  .feedback("Q", "2024-01-07 10:00", nps, 0)
                  .feedback(std::nullopt, "2024-01-08 10:00", nps, 9)
                  .feedback(std::nullopt, "2024-01-09 10:00", nps, 10)
                  .feedback(std::nullopt, "2024-01-10 10:00", nps, 9)
                  .feedback(std::nullopt, "2024-01-11 10:00", nps, 7)
                  .build();
  Fixture fx(std::move(data), Settings{});
  const auto r = run(fx);
  // all: promoters 10, 9, 9, 10, 9 = 5; passives 7, 8, 7 = 3; detractors 6, 0 = 2
  //      nps = 100 x (5 - 2) / 10 = 30
  CHECK(value(r, "nps_answers", 0, 0) == 10);
  CHECK(value(r, "nps_promoters", 0, 0) == 5);
  CHECK(value(r, "nps_passives", 0, 0) == 3);
  CHECK(value(r, "nps_detractors", 0, 0) == 2);
  CHECK(value(r, "nps", 0, 0) == Approx(30));
  // a (P): 10, 9, 6 -> 100 x (2 - 1) / 3 = 33.33; the answers without a customer are in "all" only
  CHECK(value(r, "nps_answers", 0, 1) == 3);
  CHECK(value(r, "nps", 0, 1) == Approx(100.0 / 3));
  // b (Q): 7, 8, 0 -> 100 x (0 - 1) / 3 = -33.33
  CHECK(value(r, "nps_passives", 0, 2) == 2);
  CHECK(value(r, "nps_detractors", 0, 2) == 1);
  CHECK(value(r, "nps", 0, 2) == Approx(-100.0 / 3));
  // no CSAT/CES answers: counts 0, values null
  CHECK(value(r, "csat_answers", 0, 0) == 0);
  CHECK(std::isnan(value(r, "csat", 0, 0)));
  CHECK(value(r, "ces_answers", 0, 0) == 0);
  CHECK(std::isnan(value(r, "ces", 0, 0)));
}

TEST_CASE("CSAT counts the top two scores of its scale; CES is the mean score", "[voice]") {
  SECTION("scale 5: 4 and 5") {
    auto data = DatasetBuilder("2024-01-31")
                    .customer("C")
                    .feedback("C", "2024-01-02 10:00", csat, 5)
                    .feedback("C", "2024-01-03 10:00", csat, 4)
                    .feedback("C", "2024-01-04 10:00", csat, 4)
                    .feedback("C", "2024-01-05 10:00", csat, 3)
                    .feedback("C", "2024-01-06 10:00", csat, 1)
                    .build();
    Fixture fx(std::move(data), Settings{});
    const auto r = run(fx);
    // 5, 4, 4 of 5 answers -> 100 x 3 / 5 = 60
    CHECK(value(r, "csat_answers", 0, 0) == 5);
    CHECK(value(r, "csat", 0, 0) == Approx(60));
  }
  SECTION("scale 7: 6 and 7") {
    auto data = DatasetBuilder("2024-01-31")
                    .customer("C")
                    .feedback("C", "2024-01-02 10:00", csat, 7)
                    .feedback("C", "2024-01-03 10:00", csat, 6)
                    .feedback("C", "2024-01-04 10:00", csat, 5)
                    .feedback("C", "2024-01-05 10:00", csat, 5)
                    .feedback("C", "2024-01-06 10:00", csat, 2)
                    .build();
    Settings s;
    s.csat_scale = 7;
    Fixture fx(std::move(data), s);
    const auto r = run(fx);
    // 7, 6 of 5 answers (a 5 is not top-two on 7) -> 100 x 2 / 5 = 40
    CHECK(value(r, "csat", 0, 0) == Approx(40));
  }
  SECTION("CES mean, null in a period without answers") {
    auto data = DatasetBuilder("2024-02-29")
                    .customer("C")
                    .feedback("C", "2024-01-02 10:00", ces, 2)
                    .feedback("C", "2024-01-03 10:00", ces, 3)
                    .feedback(std::nullopt, "2024-01-04 10:00", ces, 7)
                    .build();
    Fixture fx(std::move(data), Settings{});
    const auto r = run(fx);
    // Jan: (2 + 3 + 7) / 3 = 4 in all; the customer's segment (unassigned, slot 1): (2 + 3) / 2 = 2.5
    CHECK(value(r, "ces_answers", 0, 0) == 3);
    CHECK(value(r, "ces", 0, 0) == Approx(4));
    CHECK(value(r, "ces", 0, 1) == Approx(2.5));
    // Feb: nothing -> 0 answers, null mean
    CHECK(value(r, "ces_answers", 1, 0) == 0);
    CHECK(std::isnan(value(r, "ces", 1, 0)));
  }
}

TEST_CASE("answers are dated by their local day in the configured zone", "[voice]") {
  // America/Sao_Paulo is UTC-3 all year since 2019.
  auto data = DatasetBuilder("2024-03-31", "America/Sao_Paulo")
                  .customer("C")
                  .feedback("C", "2024-03-01 02:30", nps, 10)  // local Feb 29 23:30 -> February
                  .feedback("C", "2024-03-01 03:30", nps, 0)   // local Mar 1 00:30 -> March
                  .build();
  Fixture fx(std::move(data), Settings{});
  REQUIRE(fx.grid.size() == 2);  // Feb, Mar
  const auto r = run(fx);
  CHECK(value(r, "nps_answers", 0, 0) == 1);
  CHECK(value(r, "nps", 0, 0) == Approx(100));
  CHECK(value(r, "nps_answers", 1, 0) == 1);
  CHECK(value(r, "nps", 1, 0) == Approx(-100));
}

TEST_CASE("voice KPIs are null when the feedback source is absent", "[voice]") {
  auto data = DatasetBuilder("2024-01-31").customer("C").order_line("o", "C", "2024-01-05", 10).build();
  SECTION("absent: every value null, counts included") {
    Fixture fx(std::move(data), Settings{});
    const auto r = run(fx);
    for (const char *kpi : kVoiceKpis) {
      INFO(kpi);
      CHECK(std::isnan(value(r, kpi, 0, 0)));
      CHECK(std::isnan(value(r, kpi, 0, 1)));
    }
  }
  SECTION("present without answers: counts 0, values null") {
    data.present.feedback = true;
    Fixture fx(std::move(data), Settings{});
    const auto r = run(fx);
    for (const char *kpi : {"nps_answers", "nps_promoters", "nps_passives", "nps_detractors", "csat_answers",
                            "ces_answers"})
      CHECK(value(r, kpi, 0, 0) == 0);
    for (const char *kpi : {"nps", "csat", "ces"}) CHECK(std::isnan(value(r, kpi, 0, 0)));
  }
}

TEST_CASE("detractor_followups: latest NPS answer in the as_of period is a detractor", "[voice]") {
  // as_of 2024-03-20: the period is March; revenue window [2023-03-22, 2024-03-20]
  // (2024-03-20 - 364 days, 2024 being a leap year).
  auto data = DatasetBuilder("2024-03-20")
                  .customer("D5", "b")  // added first: its dense id is below D3's
                  .customer("D1", "a")
                  .customer("D2", "b")
                  .customer("D3")
                  .customer("D4", "a")
                  .customer("D6", "a")
                  .customer("D7", "a")
                  // D1: Feb 3 (outside March), Mar 5 promoter, Mar 10 detractor 2 -> in, score 2
                  .feedback("D1", "2024-02-10 10:00", nps, 3)
                  .feedback("D1", "2024-03-05 10:00", nps, 9)
                  .feedback("D1", "2024-03-10 10:00", nps, 2)
                  // D2: detractor then promoter -> out
                  .feedback("D2", "2024-03-03 10:00", nps, 4)
                  .feedback("D2", "2024-03-15 10:00", nps, 10)
                  // D3: 6, the highest detractor score -> in
                  .feedback("D3", "2024-03-12 10:00", nps, 6)
                  // D4: detractor in February only -> out
                  .feedback("D4", "2024-02-20 10:00", nps, 0)
                  // D5: 5 -> in
                  .feedback("D5", "2024-03-08 10:00", nps, 5)
                  // D6: passive; a bad CSAT is not an NPS answer -> out
                  .feedback("D6", "2024-03-09 10:00", nps, 7)
                  .feedback("D6", "2024-03-19 10:00", csat, 1)
                  // D7: same day, the later instant (a promoter) is the latest -> out
                  .feedback("D7", "2024-03-11 09:00", nps, 3)
                  .feedback("D7", "2024-03-11 15:00", nps, 9)
                  // no customer: no row
                  .feedback(std::nullopt, "2024-03-01 10:00", nps, 0)
                  // D1: T1 open; T2 resolved on as_of (closed); T3 resolved after as_of (open) -> 2
                  .ticket("T1", "D1", "2024-03-01 10:00")
                  .ticket("T2", "D1", "2024-02-01 10:00", std::nullopt, "2024-03-20 12:00")
                  .ticket("T3", "D1", "2024-03-02 10:00", std::nullopt, "2024-03-25 12:00")
                  // D3: T4 open since January -> 1; D5: none -> 0
                  .ticket("T4", "D3", "2024-01-05 10:00")
                  .ticket("T5", std::nullopt, "2024-03-01 10:00")
                  // D1: 1000 (first day in) + 200 (as_of) - 100 (credit note); 5000 a day too early -> 1100
                  .invoice("D1", "2023-03-22", 1000)
                  .invoice("D1", "2023-03-21", 5000)
                  .invoice("D1", "2024-03-20", 200)
                  .credit_note("D1", "2024-01-10", -100)
                  // D3 and D5 tie at 300: customer_id decides, D3 first
                  .invoice("D3", "2024-02-01", 300)
                  .invoice("D5", "2024-03-01", 300)
                  .invoice("D2", "2024-03-01", 9999)
                  .build();
  Fixture fx(std::move(data), Settings{});
  const Table t = detractor_followups_table(fx.context());

  REQUIRE(t.name() == "detractor_followups");
  REQUIRE(t.column_count() == 6);
  CHECK(t.column(0).name == "customer_id");
  CHECK(t.column(0).type == ColumnType::text);
  CHECK(t.column(1).name == "segment");
  CHECK(t.column(1).type == ColumnType::text);
  CHECK(t.column(2).name == "answered_on");
  CHECK(t.column(2).type == ColumnType::date);
  CHECK(t.column(3).name == "score");
  CHECK(t.column(3).type == ColumnType::int64);
  CHECK(t.column(4).name == "open_tickets");
  CHECK(t.column(4).type == ColumnType::int64);
  CHECK(t.column(5).name == "revenue_365d");
  CHECK(t.column(5).type == ColumnType::real);

  REQUIRE(t.row_count() == 3);
  CHECK(column(t, "customer_id").text == std::vector<std::string>{"D1", "D3", "D5"});
  CHECK(column(t, "segment").text == std::vector<std::string>{"a", "unassigned", "b"});
  CHECK(column(t, "answered_on").text == std::vector<std::string>{"2024-03-10", "2024-03-12", "2024-03-08"});
  CHECK(column(t, "score").ints == std::vector<std::int64_t>{2, 6, 5});
  CHECK(column(t, "open_tickets").ints == std::vector<std::int64_t>{2, 1, 0});
  CHECK(column(t, "revenue_365d").reals == std::vector<double>{1100, 300, 300});
  for (const auto &c : {"open_tickets", "revenue_365d"}) CHECK(column(t, c).null == std::vector<std::uint8_t>{0, 0, 0});
}

TEST_CASE("detractor_followups without tickets and invoices: null columns, ordered by customer_id", "[voice]") {
  auto data = DatasetBuilder("2024-03-20")
                  .customer("B")
                  .customer("A")
                  .feedback("B", "2024-03-02 10:00", nps, 1)
                  .feedback("A", "2024-03-03 10:00", nps, 3)
                  .build();
  Fixture fx(std::move(data), Settings{});
  const Table t = detractor_followups_table(fx.context());
  REQUIRE(t.row_count() == 2);
  CHECK(column(t, "customer_id").text == std::vector<std::string>{"A", "B"});
  CHECK(column(t, "open_tickets").null == std::vector<std::uint8_t>{1, 1});
  CHECK(column(t, "revenue_365d").null == std::vector<std::uint8_t>{1, 1});
}

TEST_CASE("detractor_followups is empty without a feedback source", "[voice]") {
  auto data = DatasetBuilder("2024-03-20").customer("A").order_line("o", "A", "2024-03-01", 5).build();
  Fixture fx(std::move(data), Settings{});
  const Table t = detractor_followups_table(fx.context());
  CHECK(t.column_count() == 6);
  CHECK(t.row_count() == 0);
}
