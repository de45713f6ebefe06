// docs/kpis.md §7 (voice of the customer: NPS, CSAT, CES, detractor follow-ups)
// on hand-made datasets. Every expectation is worked out by hand beside it.
#include <catch2/catch.hpp>

#include <cmath>
#include <iterator>
#include <string>
#include <utility>

#include "core/kpi_results.hpp"
#include "kpi/voice.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

constexpr auto nps = FeedbackKind::nps;
constexpr auto csat = FeedbackKind::csat;
constexpr auto ces = FeedbackKind::ces;

KpiResults run(const Fixture &fx) { return run_family(compute_voice, fx); }

const char *const kVoiceKpis[] = {"nps",  "nps_answers",  "nps_promoters", "nps_passives", "nps_detractors",
                                  "csat", "csat_answers", "ces",           "ces_answers"};

}  // namespace

TEST_CASE("NPS: promoters 9-10, passives 7-8, detractors 0-6", "[voice]") {
  // Slots: all (0), a (1), b (2).
  auto data = DatasetBuilder("2024-01-31")
                  .customer("P", "a")
                  .customer("Q", "b")
                  .answers("P", nps, {{"2024-01-02 10:00", 10}, {"2024-01-03 10:00", 9}, {"2024-01-04 10:00", 6}})
                  .answers("Q", nps, {{"2024-01-05 10:00", 7}, {"2024-01-06 10:00", 8}, {"2024-01-07 10:00", 0}})
                  .answers(std::nullopt, nps, {{"2024-01-08 10:00", 9}, {"2024-01-09 10:00", 10},
                                               {"2024-01-10 10:00", 9}, {"2024-01-11 10:00", 7}})
                  .build();
  Fixture fx(std::move(data), Settings{});
  const auto r = run(fx);
  // all: promoters 10, 9, 9, 10, 9 = 5; passives 7, 8, 7 = 3; detractors 6, 0 = 2
  //      nps = 100 x (5 - 2) / 10 = 30
  // no CSAT/CES answers: counts 0, values null
  check_cell(r, 0, 0, {{"nps_answers", 10}, {"nps_promoters", 5}, {"nps_passives", 3}, {"nps_detractors", 2},
                       {"nps", 30.0}, {"csat_answers", 0}, {"csat", kNull}, {"ces_answers", 0}, {"ces", kNull}});
  // a (P): 10, 9, 6 -> 100 x (2 - 1) / 3 = 33.33; the answers without a customer are in "all" only
  check_cell(r, 0, 1, {{"nps_answers", 3}, {"nps", 100.0 / 3}});
  // b (Q): 7, 8, 0 -> 100 x (0 - 1) / 3 = -33.33
  check_cell(r, 0, 2, {{"nps_passives", 2}, {"nps_detractors", 1}, {"nps", -100.0 / 3}});
}

TEST_CASE("CSAT counts the top two scores of its scale; CES is the mean score", "[voice]") {
  // One customer's five CSAT answers, on January 2 to 6.
  const auto five_answers = [](const Settings &s, std::initializer_list<int> scores) {
    REQUIRE(scores.size() == 5);
    DatasetBuilder b("2024-01-31");
    b.customer("C");
    const char *days[] = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"};
    for (std::size_t i = 0; i < scores.size(); ++i)
      b.feedback("C", std::string(days[i]) + " 10:00", csat, scores.begin()[i]);
    return run(Fixture(b.build(), s));
  };
  SECTION("scale 5 (the default): 4 and 5") {
    // 5, 4, 4 of 5 answers -> 100 x 3 / 5 = 60
    check_cell(five_answers(Settings{}, {5, 4, 4, 3, 1}), 0, 0, {{"csat_answers", 5}, {"csat", 60.0}});
  }
  SECTION("scale 7: 6 and 7") {
    Settings s;
    s.csat_scale = 7;
    // 7, 6 of 5 answers (a 5 is not top-two on 7) -> 100 x 2 / 5 = 40
    check_cell(five_answers(s, {7, 6, 5, 5, 2}), 0, 0, {{"csat", 40.0}});
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
    check_cell(r, 0, 0, {{"ces_answers", 3}, {"ces", 4.0}});
    check_cell(r, 0, 1, {{"ces", 2.5}});
    // Feb: nothing -> 0 answers, null mean
    check_cell(r, 1, 0, {{"ces_answers", 0}, {"ces", kNull}});
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
  check_cell(r, 0, 0, {{"nps_answers", 1}, {"nps", 100.0}});
  check_cell(r, 1, 0, {{"nps_answers", 1}, {"nps", -100.0}});
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
                  .answers("D1", nps, {{"2024-02-10 10:00", 3}, {"2024-03-05 10:00", 9}, {"2024-03-10 10:00", 2}})
                  // D2: detractor then promoter -> out
                  .answers("D2", nps, {{"2024-03-03 10:00", 4}, {"2024-03-15 10:00", 10}})
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
                  .answers("D7", nps, {{"2024-03-11 09:00", 3}, {"2024-03-11 15:00", 9}})
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
  const std::pair<const char *, ColumnType> columns[] = {
      {"customer_id", ColumnType::text}, {"segment", ColumnType::text},     {"answered_on", ColumnType::date},
      {"score", ColumnType::int64},      {"open_tickets", ColumnType::int64}, {"revenue_365d", ColumnType::real}};
  REQUIRE(t.column_count() == std::size(columns));
  for (std::size_t i = 0; i < std::size(columns); ++i) {
    CHECK(t.column(i).name == columns[i].first);
    CHECK(t.column(i).type == columns[i].second);
  }

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
