// Health score (docs/kpis.md §10). as_of is 2024-06-30 and every date is written
// as ago(n) = as_of - n days, so the windows read directly:
//   recent   [as_of - 89, as_of]        = ago(89) .. ago(0)
//   previous [as_of - 179, as_of - 90]  = ago(179) .. ago(90)
//   year     [as_of - 364, as_of]       = ago(364) .. ago(0)
// Default W = 90: a customer is active on as_of iff an order is at ago(89) or later.
#include <catch2/catch.hpp>

#include <cmath>

#include "kpi/health.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

const char *const kAsOf = "2024-06-30";
std::string ago(int days) { return format_day(day(kAsOf) - days); }
std::string ago_at(int days, const char *time = "12:00") { return ago(days) + " " + time; }

bool has_row(const Table &t, const std::string &id) {
  const Column &ids = column(t, "customer_id");
  for (std::size_t r = 0; r < t.row_count(); ++r)
    if (ids.text[r] == id) return true;
  return false;
}

double real(const Table &t, const std::string &id, const char *name) {
  std::size_t r = row_of(t, id);
  const Column &c = column(t, name);
  INFO(id << "." << name);
  REQUIRE(c.null[r] == 0);
  return c.reals[r];
}

bool null(const Table &t, const std::string &id, const char *name) { return column(t, name).null[row_of(t, id)] != 0; }
std::string text(const Table &t, const std::string &id, const char *name) { return column(t, name).text[row_of(t, id)]; }

Table health(DatasetBuilder &b, Settings s = Settings{}) {
  Fixture f(b.build(), std::move(s));
  return health_table(f.context());
}

// Orders (one line each) for customer id at the given ages.
void orders(DatasetBuilder &b, const std::string &id, std::initializer_list<int> ages) {
  int i = 0;
  for (int a : ages) b.order_line(id + "-o" + std::to_string(i++), id, ago(a), 10);
}

}  // namespace

TEST_CASE("health: columns", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("A");
  orders(b, "A", {10});
  Table t = health(b);
  CHECK(t.name() == "health");
  const char *names[] = {"customer_id", "segment", "score",   "band",         "recency",
                         "frequency",   "monetary", "support", "voice",        "payment",
                         "p_alive",     "revenue_365d",        "days_since_last_order"};
  REQUIRE(t.column_count() == 13);
  for (std::size_t i = 0; i < 13; ++i) CHECK(t.column(i).name == names[i]);
  CHECK(t.column(0).type == ColumnType::text);
  CHECK(t.column(2).type == ColumnType::real);
  CHECK(t.column(3).type == ColumnType::text);
  for (std::size_t i = 4; i <= 11; ++i) CHECK(t.column(i).type == ColumnType::real);
  CHECK(t.column(12).type == ColumnType::int64);
  CHECK(null(t, "A", "p_alive"));  // its weight is 0 by default: not computed
  CHECK(text(t, "A", "segment") == "unassigned");
}

TEST_CASE("health: recency = 100 clamp((3 - r/g) / 2)", "[health]") {
  DatasetBuilder b(kAsOf);
  for (const char *id : {"q1", "q2", "q3", "q15", "even", "one", "sameday", "twolines", "far"}) b.customer(id);
  orders(b, "q1", {30, 20, 10});      // g = 10, r = 10, q = 1 -> 100
  orders(b, "q2", {40, 30, 20});      // g = 10, r = 20, q = 2 -> 50
  orders(b, "q3", {50, 40, 30});      // g = 10, r = 30, q = 3 -> 0
  orders(b, "q15", {45, 40, 25, 15});  // gaps 5, 15, 10 -> median 10; r = 15, q = 1.5 -> 75
  orders(b, "even", {24, 20, 12});    // gaps 4, 8 -> median 4 + 0.5 * 4 = 6; r = 12, q = 2 -> 50
  orders(b, "one", {81});             // one order day: g = W/2 = 45; q = 81/45 = 1.8 -> 60
  orders(b, "sameday", {81, 81});     // two orders, one distinct day: still g = 45 -> 60
  // One order whose lines disagree: its day is the earliest line (81), so r = 81 -> 60.
  b.order_line("tl", "twolines", ago(81), 5).order_line("tl", "twolines", ago(60), 5);
  orders(b, "far", {70, 68});         // g = 2, r = 68, q = 34 -> clamped to 0
  Table t = health(b);
  CHECK(real(t, "q3", "recency") == Approx(0).margin(1e-12));
  check_column(t, "recency", {{"q1", 100.0}, {"q2", 50.0}, {"q15", 75.0}, {"even", 50.0}, {"one", 60.0},
                              {"sameday", 60.0}, {"twolines", 60.0}, {"far", 0}});
  check_column(t, "days_since_last_order", {{"q1", 10}, {"twolines", 81}, {"far", 68}});
}

TEST_CASE("health: W/2 follows inactivity_days", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("A");
  orders(b, "A", {45});
  Settings s;
  s.inactivity_days = 60;  // g = 30, r = 45, q = 1.5 -> 75
  Table t = health(b, s);
  CHECK(real(t, "A", "recency") == Approx(75));
}

TEST_CASE("health: frequency compares the last 90 days with the 90 before", "[health]") {
  DatasetBuilder b(kAsOf);
  for (const char *id : {"same", "edges", "new", "grow", "oneorder", "twoorders"}) b.customer(id);
  orders(b, "same", {100, 10});            // a = 1, b = 1 -> 50
  orders(b, "edges", {180, 179, 90, 89});  // 180 is out; b = {179, 90} = 2, a = {89} = 1 -> 0.5 - 1/4 = 25
  orders(b, "new", {10, 5});               // a = 2, b = 0 -> 100
  orders(b, "grow", {150, 20, 10});        // a = 2, b = 1 -> 0.5 + 1/4 = 75
  // Orders are counted, not lines: one order with two lines on day 10 is a = 1.
  b.order_line("m", "oneorder", ago(10), 1).order_line("m", "oneorder", ago(10), 2);
  orders(b, "oneorder", {100});            // a = 1, b = 1 -> 50
  orders(b, "twoorders", {100, 10, 10});   // two orders the same day: a = 2, b = 1 -> 75
  Table t = health(b);
  check_column(t, "frequency", {{"same", 50.0}, {"edges", 25.0}, {"new", 100.0}, {"grow", 75.0}, {"oneorder", 50.0},
                                {"twoorders", 75.0}});
}

TEST_CASE("health: frequency 0 when the recent window is empty", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("A");
  orders(b, "A", {100});  // W = 120 keeps A active; a = 0, b = 1 -> 0.5 - 1/2 = 0
  Settings s;
  s.inactivity_days = 120;
  Table t = health(b, s);
  CHECK(real(t, "A", "frequency") == 0);
  // g = W/2 = 60, r = 100, q = 5/3 -> (3 - 5/3) / 2 = 2/3
  CHECK(real(t, "A", "recency") == Approx(200.0 / 3));
}

TEST_CASE("health: a subscriber without orders has the worst recency and frequency", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("S").subscription("S", ago(200), std::nullopt, 100);
  Settings s;
  s.activity_mode = ActivityMode::subscriptions;
  Table t = health(b, s);
  CHECK(real(t, "S", "recency") == 0);
  CHECK(real(t, "S", "frequency") == 0);  // a + b = 0
  CHECK(null(t, "S", "days_since_last_order"));
  CHECK(real(t, "S", "score") == 0);
  CHECK(text(t, "S", "band") == "at_risk");
}

TEST_CASE("health: monetary, payment and revenue_365d from invoices", "[health]") {
  DatasetBuilder b(kAsOf);
  for (const char *id : {"m75", "clamp", "none", "m100", "edges", "p1", "p2", "after", "credit"}) {
    b.customer(id);
    orders(b, id, {10});
  }
  b.invoice("m75", ago(20), 200).invoice("m75", ago(100), 100);       // A 200, B 100 -> 0.5 + 100/400 = 75
  b.invoice("clamp", ago(100), 100).credit_note("clamp", ago(20), -50);  // A = max(-50, 0) = 0, B 100 -> 0
  b.invoice("m100", ago(5), 10);                                       // A 10, B 0 -> 100
  // A = 30 (day 89), B = 30 + 30 (days 90 and 179); day 180 is in neither -> 0.5 - 30/120 = 25.
  b.invoice("edges", ago(89), 30).invoice("edges", ago(90), 30).invoice("edges", ago(179), 30);
  b.invoice("edges", ago(180), 500).invoice("edges", ago(364), 7).invoice("edges", ago(365), 1000);
  // Payment: k overdue = due before as_of, not paid by as_of.
  b.invoice("p1", ago(40), 10, ago(5));                       // k = 1 -> 50
  b.invoice("p1", ago(40), 10, ago(0));                       // due on as_of: not overdue yet
  b.invoice("p1", ago(40), 10, ago(20), ago(15));             // paid: fine
  b.invoice("p2", ago(40), 10, ago(5)).invoice("p2", ago(50), 10, ago(10));  // k = 2 -> 0
  b.invoice("after", ago(40), 10, ago(5), "2024-07-03");      // paid after as_of: unpaid -> k = 1 -> 50
  b.invoice("credit", ago(40), -40, ago(10));                 // a credit note is never overdue -> 100
  Table t = health(b);
  // none: a + b = 0
  check_column(t, "monetary", {{"m75", 75.0}, {"clamp", 0}, {"none", 0}, {"m100", 100.0}, {"edges", 25.0}});
  // revenue_365d: edges 30 + 30 + 30 + 500 + 7 (day 364 in, day 365 out) = 597; clamp unclamped: 100 - 50
  check_column(t, "revenue_365d", {{"edges", 597.0}, {"clamp", 50.0}, {"none", 0}});
  // none: k = 0
  check_column(t, "payment", {{"none", 100}, {"p1", 50}, {"p2", 0}, {"after", 50}, {"credit", 100}});
}

TEST_CASE("health: support = 100 clamp(1 - (n + 2o) / 10)", "[health]") {
  DatasetBuilder b(kAsOf);
  for (const char *id : {"zero", "s60", "edges", "late", "calm", "flood"}) {
    b.customer(id);
    orders(b, id, {10});
  }
  // n = 4 opened in the window, o = 3 of them still open: 4 + 6 = 10 -> 0
  for (int i = 0; i < 4; ++i)
    b.ticket("z" + std::to_string(i), std::string("zero"), ago_at(10), std::nullopt,
             i == 0 ? std::optional(ago_at(9)) : std::nullopt);
  // n = 2, o = 1: 1 - 4/10 -> 60
  b.ticket("s1", std::string("s60"), ago_at(20), std::nullopt, ago_at(19));
  b.ticket("s2", std::string("s60"), ago_at(5));
  // open since day 200 (o only), day 90 resolved (neither), day 89 resolved (n): n 1, o 1 -> 70
  b.ticket("e1", std::string("edges"), ago_at(200));
  b.ticket("e2", std::string("edges"), ago_at(90), std::nullopt, ago_at(80));
  b.ticket("e3", std::string("edges"), ago_at(89), std::nullopt, ago_at(80));
  // resolved after as_of: still open at the end of as_of -> n 1, o 1 -> 70
  b.ticket("l1", std::string("late"), ago_at(5), std::nullopt, "2024-07-02 10:00");
  // 12 opened and resolved: 1 - 12/10 clamps to 0
  for (int i = 0; i < 12; ++i) b.ticket("f" + std::to_string(i), std::string("flood"), ago_at(30), std::nullopt, ago_at(29));
  b.ticket("anon", std::nullopt, ago_at(3));  // no customer: nobody's score
  Table t = health(b);
  CHECK(real(t, "zero", "support") == Approx(0).margin(1e-12));
  check_column(t, "support", {{"s60", 60.0}, {"edges", 70.0}, {"late", 70.0}, {"calm", 100}, {"flood", 0}});
}

TEST_CASE("health: voice from the latest NPS answer within 365 days", "[health]") {
  DatasetBuilder b(kAsOf);
  for (const char *id : {"p9", "p10", "pa7", "pa8", "d6", "d0", "none", "old", "year", "latest", "csat"}) {
    b.customer(id);
    orders(b, id, {10});
  }
  b.feedback(std::string("p9"), ago_at(30), FeedbackKind::nps, 9);
  b.feedback(std::string("p10"), ago_at(30), FeedbackKind::nps, 10);
  b.feedback(std::string("pa7"), ago_at(30), FeedbackKind::nps, 7);
  b.feedback(std::string("pa8"), ago_at(30), FeedbackKind::nps, 8);
  b.feedback(std::string("d6"), ago_at(30), FeedbackKind::nps, 6);
  b.feedback(std::string("d0"), ago_at(30), FeedbackKind::nps, 0);
  b.feedback(std::string("old"), ago_at(365), FeedbackKind::nps, 0);   // outside [as_of - 364, as_of]: none
  b.feedback(std::string("year"), ago_at(364), FeedbackKind::nps, 0);  // inside: detractor
  b.feedback(std::string("latest"), ago_at(100), FeedbackKind::nps, 10);
  b.feedback(std::string("latest"), ago_at(10), FeedbackKind::nps, 3);  // the latest wins: detractor
  b.feedback(std::string("csat"), ago_at(50), FeedbackKind::nps, 9);
  b.feedback(std::string("csat"), ago_at(5), FeedbackKind::csat, 1);    // not NPS: ignored
  Table t = health(b);
  check_column(t, "voice", {{"p9", 100}, {"p10", 100}, {"pa7", 60}, {"pa8", 60}, {"d6", 0}, {"d0", 0}, {"none", 50},
                            {"old", 50}, {"year", 0}, {"latest", 0}, {"csat", 100}});
}

TEST_CASE("health: voice constants are configurable", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("pa").customer("none");
  orders(b, "pa", {10});
  orders(b, "none", {10});
  b.feedback(std::string("pa"), ago_at(30), FeedbackKind::nps, 8);
  Settings s;
  s.health.voice_passive = 70;
  s.health.voice_none = 40;
  Table t = health(b, s);
  CHECK(real(t, "pa", "voice") == 70);
  CHECK(real(t, "none", "voice") == 40);
}

TEST_CASE("health: weighted mean over every source", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("A", "ent");
  orders(b, "A", {30, 20, 10});                                // recency 100, frequency 100 (a 3, b 0)
  b.invoice("A", ago(20), 190).invoice("A", ago(100), 100);
  b.invoice("A", ago(60), 10, ago(5));  // 1 overdue: payment 50; A = 190 + 10, B = 100: monetary 75
  b.ticket("t1", std::string("A"), ago_at(20), std::nullopt, ago_at(19));
  b.ticket("t2", std::string("A"), ago_at(5));                 // n 2, o 1: support 60
  b.feedback(std::string("A"), ago_at(30), FeedbackKind::nps, 7);  // voice 60
  Table t = health(b);
  // 0.30*100 + 0.15*100 + 0.15*75 + 0.15*60 + 0.15*60 + 0.10*50
  //   = 30 + 15 + 11.25 + 9 + 9 + 5 = 79.25 (weights sum to 1)
  CHECK(real(t, "A", "score") == Approx(79.25));
  CHECK(text(t, "A", "band") == "healthy");
  CHECK(text(t, "A", "segment") == "ent");
  CHECK(real(t, "A", "revenue_365d") == Approx(300));
  CHECK(real(t, "A", "monetary") == Approx(75));
}

TEST_CASE("health: absent sources are dropped and the weights renormalised", "[health]") {
  SECTION("orders and tickets: weights 0.30, 0.15, 0.15 over 0.60") {
    DatasetBuilder b(kAsOf);
    b.customer("A");
    orders(b, "A", {110, 100, 20, 10});  // gaps 10, 80, 10 -> g 10, r 10: recency 100; a 2 = b 2: frequency 50
    b.ticket("t1", std::string("A"), ago_at(20), std::nullopt, ago_at(19));
    b.ticket("t2", std::string("A"), ago_at(5));  // support 60
    Table t = health(b);
    // (0.30*100 + 0.15*50 + 0.15*60) / 0.60 = (30 + 7.5 + 9) / 0.6 = 77.5
    CHECK(real(t, "A", "score") == Approx(77.5));
    CHECK(real(t, "A", "frequency") == Approx(50));
    CHECK(null(t, "A", "monetary"));
    CHECK(null(t, "A", "payment"));
    CHECK(null(t, "A", "voice"));
    CHECK(null(t, "A", "revenue_365d"));
    CHECK_FALSE(null(t, "A", "support"));
  }
  SECTION("orders and feedback: over 0.60") {
    DatasetBuilder b(kAsOf);
    b.customer("A");
    orders(b, "A", {30, 20, 10});  // recency 100, frequency 100
    b.feedback(std::string("A"), ago_at(3), FeedbackKind::nps, 2);  // voice 0
    Table t = health(b);
    // (30 + 15 + 0) / 0.60 = 75
    CHECK(real(t, "A", "score") == Approx(75));
    CHECK(null(t, "A", "support"));
  }
  SECTION("an empty but present source still counts") {
    DatasetBuilder b(kAsOf);
    b.customer("A").with_tickets();
    orders(b, "A", {30, 20, 10});  // recency 100, frequency 100, support 100 (no ticket)
    Table t = health(b);
    CHECK(real(t, "A", "support") == 100);
    CHECK(real(t, "A", "score") == Approx(100));
  }
  SECTION("configured weights") {
    DatasetBuilder b(kAsOf);
    b.customer("A");
    orders(b, "A", {40, 30, 20});  // recency 50, frequency 100
    Settings s;
    s.health.w_recency = 1;
    s.health.w_frequency = 0;
    Table t = health(b, s);
    CHECK(real(t, "A", "score") == Approx(50));  // 1*50 / 1
  }
}

namespace {

// Orders only, score = (0.30 recency + 0.15 frequency) / 0.45:
//   t70: previous 120, 110, 100 (b 3), recent 34, 24, 14 (a 3): gaps 10 10 66 10 10 -> g 10;
//        r 14, q 1.4 -> recency 80; frequency 50 -> (24 + 7.5) / 0.45 = 70
//   t40: previous 140..100 (b 5), recent 52, 42, 32, 22 (a 4): gaps 10 10 10 10 48 10 10 10 -> g 10;
//        r 22, q 2.2 -> recency 40; frequency 0.5 - 1/10 -> 40 -> (12 + 6) / 0.45 = 40
//   t33: 50, 40, 30: recency 0, frequency 100 -> 15 / 0.45 = 33.33
void band_customers(DatasetBuilder &b) {
  b.customer("t70").customer("t40").customer("t33");
  orders(b, "t70", {120, 110, 100, 34, 24, 14});
  orders(b, "t40", {140, 130, 120, 110, 100, 52, 42, 32, 22});
  orders(b, "t33", {50, 40, 30});
}

}  // namespace

TEST_CASE("health: bands at the thresholds", "[health]") {
  DatasetBuilder b(kAsOf);
  band_customers(b);
  Table t = health(b);
  CHECK(real(t, "t70", "recency") == Approx(80));
  CHECK(real(t, "t70", "frequency") == Approx(50));
  CHECK(real(t, "t70", "score") == 70);  // exactly: the score is rounded to 1e-9
  CHECK(text(t, "t70", "band") == "healthy");
  CHECK(real(t, "t40", "recency") == Approx(40));
  CHECK(real(t, "t40", "frequency") == Approx(40));
  CHECK(real(t, "t40", "score") == 40);
  CHECK(text(t, "t40", "band") == "attention");
  CHECK(real(t, "t33", "score") == Approx(100.0 / 3));
  CHECK(text(t, "t33", "band") == "at_risk");
  HealthSummary s = summarize_health(t);
  CHECK(s.healthy == 1);
  CHECK(s.attention == 1);
  CHECK(s.at_risk == 1);
}

TEST_CASE("health: band thresholds are configurable", "[health]") {
  DatasetBuilder b(kAsOf);
  band_customers(b);
  Settings s;
  s.health.healthy_min = 70.5;
  s.health.attention_min = 40.5;
  Table t = health(b, s);
  CHECK(text(t, "t70", "band") == "attention");
  CHECK(text(t, "t40", "band") == "at_risk");
}

TEST_CASE("health: only customers active on as_of, most at risk first", "[health]") {
  DatasetBuilder b(kAsOf);
  b.customer("in").customer("out").customer("never").customer("b").customer("a");
  orders(b, "in", {89});     // active until ago(89) + 90 = as_of + 1: in; recency q = 89/45
  orders(b, "out", {90});    // active through as_of - 1 only: out
  orders(b, "b", {40, 30, 20});  // recency 50, frequency 100 -> (15 + 15) / 0.45 = 66.67
  orders(b, "a", {40, 30, 20});  // same score: the tie goes by customer_id
  Table t = health(b);
  CHECK(has_row(t, "in"));
  CHECK_FALSE(has_row(t, "out"));
  CHECK_FALSE(has_row(t, "never"));
  REQUIRE(t.row_count() == 3);
  // in: recency 100 * (3 - 89/45) / 2 = 51.11, frequency 100 -> (15.33 + 15) / 0.45 = 67.41
  CHECK(real(t, "in", "recency") == Approx(100 * (3 - 89.0 / 45) / 2));
  const Column &ids = column(t, "customer_id");
  CHECK(ids.text[0] == "a");
  CHECK(ids.text[1] == "b");
  CHECK(ids.text[2] == "in");
  const Column &score = column(t, "score");
  CHECK(score.reals[0] == Approx(200.0 / 3));
  CHECK(score.reals[2] > score.reals[1]);
}
