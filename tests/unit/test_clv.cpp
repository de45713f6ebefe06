// The CLV tables of docs/kpis.md §13: the per-customer summary by hand, the
// scores against the model formulas and lifetimes' CLV loop, thin and
// degenerate data, the settings and the health score's p_alive component.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "kpi/clv.hpp"
#include "kpi/health.hpp"
#include "support/clv_simulation.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

bool is_null(const Table &t, std::size_t r, const char *name) { return column(t, name).null[r] != 0; }
double real(const Table &t, std::size_t r, const char *name) {
  INFO(name);
  REQUIRE(!is_null(t, r, name));
  return column(t, name).reals[r];
}

// Every real cell is null or finite: no NaN or infinity ever reaches a table.
void check_no_nan(const Table &t) {
  for (std::size_t c = 0; c < t.column_count(); ++c) {
    const Column &column = t.column(c);
    if (column.type != ColumnType::real) continue;
    for (std::size_t r = 0; r < t.row_count(); ++r)
      if (!column.null[r]) {
        INFO(t.name() << "." << column.name << " row " << r);
        CHECK(std::isfinite(column.reals[r]));
      }
  }
}

Settings with_clv(const std::string &clv_json) { return parse_settings("{\"clv\": " + clv_json + "}"); }

}  // namespace

TEST_CASE("Summary: distinct local order days, repeat-day mean, T to the end day") {
  // a: lines on 03-01 (two lines, 10 + 5), 03-08 (20 + 4) and 03-22 (30);
  // b: one day only; c: nothing on or before 03-25 (its order is after).
  Dataset d = DatasetBuilder("2024-03-31")
                  .customer("a").customer("b").customer("c")
                  .order_line("o1", "a", "2024-03-01", 10).order_line("o2", "a", "2024-03-01", 5)
                  .order_line("o3", "a", "2024-03-08", 20).order_line("o3", "a", "2024-03-08", 4)
                  .order_line("o4", "a", "2024-03-22", 30).order_line("o5", "b", "2024-03-20", 7)
                  .order_line("o6", "a", "2024-03-29", 1).order_line("o7", "c", "2024-03-30", 2)
                  .build();
  auto rows = rfm_summary(d, day("2024-03-25"));
  REQUIRE(rows.size() == 2);
  const RfmRow &a = rows[0], &b = rows[1];
  CHECK(d.customers.ids.name(a.customer) == "a");
  CHECK(a.x == 2);                  // 3 distinct days - 1
  CHECK(a.t_x_days == 21);          // 03-22 - 03-01
  CHECK(a.T_days == 24);            // 03-25 - 03-01
  CHECK(a.monetary == Approx((24.0 + 30.0) / 2));  // the first day excluded
  CHECK(a.later_days == 1);         // 03-29
  CHECK(b.x == 0);
  CHECK(std::isnan(b.monetary));
  CHECK(b.T_days == 5);
  // In the clv table t_x and T are in weeks by default, in days when asked.
  Table weeks = clv_table(d, Settings{}), days = clv_table(d, with_clv(R"({"time_unit": "day"})"));
  const std::size_t ra = row_of(weeks, "a");
  CHECK(column(weeks, "x").ints[ra] == 3);  // to as_of: 03-29 too
  CHECK(real(weeks, ra, "t_x") == Approx(28.0 / 7));
  CHECK(real(weeks, ra, "T") == Approx(30.0 / 7));
  CHECK(real(days, row_of(days, "a"), "T") == 30.0);
  CHECK(weeks.row_count() == 3);
}

TEST_CASE("Thin data: no fit, null predictions, the reason and a data-quality row") {
  DatasetBuilder b("2024-03-31");
  for (int i = 0; i < 5; ++i) {
    std::string id = "k" + std::to_string(i);
    b.customer(id).order_line("o" + id, id, "2024-01-0" + std::to_string(i + 1), 10).order_line("p" + id, id, "2024-02-10", 12);
  }
  Dataset d = b.build();
  Table t = clv_table(d, Settings{});
  REQUIRE(t.row_count() == 5);
  for (std::size_t r = 0; r < 5; ++r)
    for (const char *c : {"p_alive", "expected_purchases", "expected_order_value", "clv"}) CHECK(is_null(t, r, c));
  Table m = clv_model_table(d, Settings{});
  REQUIRE(m.row_count() == 2);
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(column(m, "converged").ints[r] == 0);
    CHECK(column(m, "reason").text[r].find("fewer than clv.min_customers (100)") != std::string::npos);
    CHECK(is_null(m, r, "log_likelihood"));
  }
  Table dq(kDataQualityTable);
  append_clv_quality(dq, d, Settings{});
  REQUIRE(dq.row_count() == 1);
  CHECK(column(dq, "reason").text[0] == "too_few_repeat_buyers");
  CHECK(column(dq, "rows").ints[0] == 5);
  Table enough(kDataQualityTable);
  append_clv_quality(enough, d, with_clv(R"({"min_customers": 5})"));
  CHECK(enough.row_count() == 0);
}

TEST_CASE("Scores follow the fitted models: P(alive), expectation, order value, lifetimes' CLV loop") {
  Dataset d = simulate_clv_dataset(20000, ClvTruth{}, 11);
  const Settings s = with_clv(R"({"months": 6, "discount_rate": 0.02, "horizon_days": 60})");
  Table m = clv_model_table(d, s);
  REQUIRE(m.row_count() == 2);
  for (std::size_t r = 0; r < 2; ++r) {
    INFO(column(m, "reason").text[r]);
    REQUIRE(column(m, "converged").ints[r] == 1);
  }
  const clv::BgNbd bg{real(m, 0, "r"), real(m, 0, "alpha"), real(m, 0, "a"), real(m, 0, "b")};
  const clv::GammaGamma gg{real(m, 1, "p"), real(m, 1, "q"), real(m, 1, "gamma")};
  Table t = clv_table(d, s);
  CHECK(t.row_count() == 20000);
  check_no_nan(t);
  for (std::size_t r = 0; r < t.row_count(); r += 997) {
    const double x = static_cast<double>(column(t, "x").ints[r]), tx = real(t, r, "t_x"), T = real(t, r, "T");
    const double pa = clv::bgnbd_p_alive(bg, x, tx, T);
    CHECK(real(t, r, "p_alive") == Approx(pa).epsilon(1e-12));
    CHECK(real(t, r, "expected_purchases") == Approx(clv::bgnbd_conditional_expected(bg, x, tx, T, 60.0 / 7)).epsilon(1e-9));
    const double value = x > 0 ? clv::gg_expected_value(gg, x, real(t, r, "monetary")) : gg.p * gg.gamma / (gg.q - 1);
    CHECK(real(t, r, "expected_order_value") == Approx(value).epsilon(1e-12));
    // lifetimes' customer_lifetime_value: months of 4.345 weeks, each
    // month's expected purchases times the order value, discounted monthly.
    double clv = 0;
    for (int i = 1; i <= 6; ++i)
      clv += value *
             (clv::bgnbd_conditional_expected(bg, x, tx, T, i * 4.345) -
              clv::bgnbd_conditional_expected(bg, x, tx, T, (i - 1) * 4.345)) /
             std::pow(1.02, i);
    CHECK(real(t, r, "clv") == Approx(clv).epsilon(1e-9));
    CHECK(column(t, "model").text[r] == "all");
  }
}

TEST_CASE("Fits per segment: one pair of clv_model rows per segment, each row scored by its own") {
  Dataset d = simulate_clv_dataset(6000, ClvTruth{}, 5, "2024-06-30", 728, 2);
  const Settings s = with_clv(R"({"fit": "segment"})");
  Table m = clv_model_table(d, s);
  REQUIRE(m.row_count() == 4);
  CHECK(column(m, "segment").text[0] == "s0");
  CHECK(column(m, "segment").text[2] == "s1");
  CHECK(column(m, "customers").ints[0] == 3000);
  Table t = clv_table(d, s);
  CHECK(column(t, "model").text[row_of(t, "c1")] == "s1");
  CHECK(column(t, "model").text[row_of(t, "c2")] == "s0");
}

TEST_CASE("Degenerate data never crashes nor writes NaN") {
  SECTION("all one-time buyers") {
    DatasetBuilder b("2024-03-31");
    for (int i = 0; i < 300; ++i) b.order_line("o" + std::to_string(i), "k" + std::to_string(i), "2024-01-15", 10);
    Dataset d = b.build();
    Table m = clv_model_table(d, with_clv(R"({"min_customers": 2})"));
    CHECK(column(m, "converged").ints[0] == 0);
    CHECK(!column(m, "reason").text[0].empty());
    check_no_nan(clv_table(d, Settings{}));
  }
  SECTION("all customers identical") {
    DatasetBuilder b("2024-03-31");
    for (int i = 0; i < 200; ++i) {
      std::string id = "k" + std::to_string(i);
      b.order_line("a" + id, id, "2024-01-02", 10).order_line("b" + id, id, "2024-02-02", 20);
    }
    Dataset d = b.build();
    Table m = clv_model_table(d, Settings{});
    for (std::size_t r = 0; r < m.row_count(); ++r)
      if (column(m, "converged").ints[r] == 0) CHECK(!column(m, "reason").text[r].empty());
    check_no_nan(m);
    check_no_nan(clv_table(d, Settings{}));
  }
  SECTION("a customer with 10,000 purchase days among simulated ones") {
    Dataset d = simulate_clv_dataset(3000, ClvTruth{}, 3, "2024-06-30", 728);
    const auto c = d.customers.ids.intern("heavy");
    d.customers.segment.push_back(0);
    d.customers.created_on.push_back(kNoDay);
    d.customers.known.push_back(1);
    for (Day k = 0; k < 10000; ++k) {
      d.order_lines.order.push_back(d.order_lines.orders.intern("h" + std::to_string(k)));
      d.order_lines.customer.push_back(c);
      d.order_lines.day.push_back(d.as_of - 10000 + k);
      d.order_lines.category.push_back(0);
      d.order_lines.amount.push_back(25);
    }
    Table t = clv_table(d, Settings{});
    check_no_nan(t);
    const std::size_t r = row_of(t, "heavy");
    CHECK(column(t, "x").ints[r] == 9999);
    CHECK(real(t, r, "p_alive") > 0.99);  // bought on as_of itself... and every day before
    CHECK(real(t, r, "expected_purchases") > 0);
    CHECK(real(t, r, "expected_order_value") == Approx(25).epsilon(0.01));
  }
}

TEST_CASE("clv settings: defaults, values and range errors naming the key") {
  Settings d;
  CHECK(d.clv.days_per_unit == 7);
  CHECK(d.clv.horizon_days == 90);
  CHECK(d.clv.months == 12);
  CHECK(d.clv.discount_rate == 0.01);
  CHECK(d.clv.holdout_days == 180);
  CHECK(d.clv.min_customers == 100);
  CHECK(d.clv.at_risk_below == 0.3);
  CHECK(d.health.w_p_alive == 0);
  Settings s = with_clv(R"({"time_unit": "day", "fit": "segment", "cohorts": "pooled", "discount_rate": 0.05,
                            "forecast_periods": 6, "at_risk_below": 0.5})");
  CHECK(s.clv.days_per_unit == 1);
  CHECK(s.clv.by_segment);
  CHECK(s.clv.sbg_pooled);
  CHECK(s.clv.discount_rate == 0.05);
  CHECK(s.clv.forecast_periods == 6);
  CHECK(s.clv.at_risk_below == 0.5);
  CHECK_THROWS_WITH(with_clv(R"({"time_unit": "month"})"), Catch::Contains("clv.time_unit"));
  CHECK_THROWS_WITH(with_clv(R"({"horizon_days": 0})"), Catch::Contains("clv.horizon_days"));
  CHECK_THROWS_WITH(with_clv(R"({"discount_rate": 1.5})"), Catch::Contains("clv.discount_rate"));
  CHECK_THROWS_WITH(with_clv(R"({"min_customers": 1})"), Catch::Contains("clv.min_customers"));
  CHECK_THROWS_WITH(with_clv(R"({"at_risk_below": -0.1})"), Catch::Contains("clv.at_risk_below"));
  CHECK_THROWS_WITH(with_clv(R"({"horizon": 90})"), Catch::Contains("clv.horizon"));
  CHECK_THROWS_AS(with_clv(R"({"fit": "customer"})"), ConfigError);
  CHECK_THROWS_WITH(parse_settings(R"({"health": {"weights": {"p_alive": 2}}})"), Catch::Contains("health.weights.p_alive"));
}

TEST_CASE("Health: the p_alive component is 100 P(alive), weighted and renormalised with the others") {
  Dataset d = simulate_clv_dataset(2000, ClvTruth{}, 21, "2024-06-30", 365);
  Settings off;
  Settings on = parse_settings(R"({"health": {"weights": {"p_alive": 0.5}}})");
  Fixture f_off(Dataset(d), off), f_on(Dataset(d), on);
  Table h_off = health_table(f_off.context()), h_on = health_table(f_on.context());
  REQUIRE(h_on.row_count() == h_off.row_count());
  REQUIRE(h_on.row_count() > 100);
  std::vector<double> pa = p_alive_by_customer(d, on);
  for (std::size_t r = 0; r < h_on.row_count(); r += 37) {
    const std::string id = column(h_on, "customer_id").text[r];
    const std::size_t r_off = row_of(h_off, id);
    CHECK(is_null(h_off, r_off, "p_alive"));  // weight 0: not computed
    const double p = pa[d.customers.ids.find(id)];
    CHECK(real(h_on, r, "p_alive") == Approx(100 * p));
    // No invoices, tickets or feedback: recency 0.30 and frequency 0.15, plus p_alive 0.5.
    const double rec = real(h_on, r, "recency"), fr = real(h_on, r, "frequency");
    CHECK(real(h_on, r, "score") == Approx((0.30 * rec + 0.15 * fr + 0.5 * 100 * p) / 0.95));
    CHECK(real(h_off, r_off, "score") == Approx((0.30 * rec + 0.15 * fr) / 0.45));
  }
}

TEST_CASE("docs/kpis.md §13.9: the running example's summary, and too thin to fit") {
  Dataset d = DatasetBuilder("2024-03-31", "America/Sao_Paulo")
                  .customer("A", "smb").customer("B", "smb").customer("C", "enterprise").customer("D").customer("F", "enterprise")
                  .order_line("o1", "A", "2023-11-20", 100).order_line("o2", "A", "2024-02-15", 100)
                  .order_line("o3", "A", "2024-03-10", 80).order_line("o3", "A", "2024-03-10", 30)
                  .order_line("o4", "B", "2023-10-05", 80).order_line("o5", "B", "2024-03-05", 60)
                  .order_line("o6", "C", "2024-02-10", 200).order_line("o7", "C", "2024-03-20", 210)
                  .order_line("o8", "D", "2023-12-15", 50).order_line("o9", "E", "2024-03-25", 40)
                  .build();
  Table t = clv_table(d, Settings{});
  REQUIRE(t.row_count() == 5);  // F never buys
  struct Want { const char *id; std::int64_t x; double t_x, T, monetary; };
  for (const Want &w : {Want{"A", 2, 111, 132, 105}, Want{"B", 1, 152, 178, 60}, Want{"C", 1, 39, 50, 210},
                        Want{"D", 0, 0, 107, NAN}, Want{"E", 0, 0, 6, NAN}}) {
    INFO(w.id);
    const std::size_t r = row_of(t, w.id);
    CHECK(column(t, "x").ints[r] == w.x);
    CHECK(real(t, r, "t_x") == Approx(w.t_x / 7));
    CHECK(real(t, r, "T") == Approx(w.T / 7));
    if (std::isnan(w.monetary)) CHECK(is_null(t, r, "monetary"));
    else CHECK(real(t, r, "monetary") == w.monetary);
    CHECK(is_null(t, r, "p_alive"));
  }
  Table m = clv_model_table(d, Settings{});
  CHECK(column(m, "reason").text[0] == "3 repeat buyers, fewer than clv.min_customers (100)");
  CHECK(column(m, "reason").text[1] ==
        "3 repeat buyers with a positive order value, fewer than clv.min_customers (100)");
  CHECK(column(m, "time_unit").text[0] == "week");
  Table dq(kDataQualityTable);
  append_clv_quality(dq, d, Settings{});
  REQUIRE(dq.row_count() == 1);
  CHECK(column(dq, "rows").ints[0] == 3);
  // §13.10: 180 days back is before the first order; 90 days back, A, B and D.
  CHECK(clv_validation_table(d, Settings{}).row_count() == 0);
  Table v = clv_validation_table(d, with_clv(R"({"holdout_days": 90})"));
  REQUIRE(v.row_count() == 2);
  CHECK(column(v, "calibration_end").text[0] == "2024-01-01");
  CHECK(column(v, "frequency").text[0] == "0");
  CHECK(column(v, "frequency").text[1] == "all");
  CHECK(column(v, "customers").ints[1] == 3);
  CHECK(real(v, 1, "actual") == 1.0);
  CHECK(is_null(v, 1, "predicted"));
  CHECK(is_null(v, 1, "ratio"));
}

TEST_CASE("clv_validation: holdout purchases counted by hand, predictions of the calibration fit") {
  Dataset d = simulate_clv_dataset(20000, ClvTruth{}, 17, "2024-06-30", 728);
  const Settings s;  // holdout 180 days
  const Day end = d.as_of - 180;
  // The actual holdout purchase days, per calibration frequency, by hand.
  std::vector<std::set<Day>> days(d.customer_count()), later(d.customer_count());
  for (std::size_t i = 0; i < d.order_lines.size(); ++i)
    (d.order_lines.day[i] <= end ? days : later)[d.order_lines.customer[i]].insert(d.order_lines.day[i]);
  std::map<std::string, std::pair<double, double>> want;  // bucket -> (customers, actual days)
  for (std::size_t c = 0; c < days.size(); ++c) {
    if (days[c].empty()) continue;
    const auto x = static_cast<int>(days[c].size()) - 1;
    for (const std::string &b : {x >= 7 ? std::string("7+") : std::to_string(x), std::string("all")}) {
      want[b].first += 1;
      want[b].second += static_cast<double>(later[c].size());
    }
  }
  Table v = clv_validation_table(d, s);
  REQUIRE(v.row_count() == want.size());
  double weighted = 0;
  for (std::size_t r = 0; r < v.row_count(); ++r) {
    const std::string b = column(v, "frequency").text[r];
    INFO(b);
    CHECK(column(v, "calibration_end").text[r] == format_day(end));
    CHECK(column(v, "customers").ints[r] == static_cast<std::int64_t>(want[b].first));
    CHECK(real(v, r, "actual") == Approx(want[b].second / want[b].first));
    CHECK(column(v, "converged").ints[r] == 1);
    CHECK(real(v, r, "ratio") == Approx(real(v, r, "predicted") / real(v, r, "actual")));
    if (b != "all") weighted += real(v, r, "predicted") * static_cast<double>(column(v, "customers").ints[r]);
  }
  const std::size_t all = row_of(v, "all", "frequency");
  // "all" is the customer-weighted mean of the buckets.
  CHECK(real(v, all, "predicted") == Approx(weighted / want["all"].first));
  // The data follow the BG/NBD (purchases on one day merged): the holdout
  // total is predicted within 10% (its sampling error is about 2%).
  CHECK(real(v, all, "ratio") == Approx(1).margin(0.10));

  // Too thin: the rows stay (actual), predictions are null.
  Table thin = clv_validation_table(d, with_clv(R"({"min_customers": 100000})"));
  REQUIRE(thin.row_count() == want.size());
  for (std::size_t r = 0; r < thin.row_count(); ++r) {
    CHECK(is_null(thin, r, "predicted"));
    CHECK(is_null(thin, r, "ratio"));
    CHECK(!is_null(thin, r, "actual"));
    CHECK(column(thin, "converged").ints[r] == 0);
  }
}

TEST_CASE("cohort_forecast: first-spell survivors by hand, projection S(j) of the cohort's sBG fit") {
  // Monthly cohorts from subscriptions: January 2024 with 6 customers whose
  // first subscription ends (exclusive) in Feb (2), Mar (1), later or never (3);
  // one of the February ones comes back in April (not a survivor).
  DatasetBuilder b("2024-04-30");
  b.subscription("a", "2024-01-03", "2024-02-10", 1).subscription("b", "2024-01-05", "2024-02-20", 1)
      .subscription("b", "2024-04-01", std::nullopt, 1).subscription("c", "2024-01-07", "2024-03-15", 1)
      .subscription("d", "2024-01-09", std::nullopt, 1).subscription("e", "2024-01-11", std::nullopt, 1)
      .subscription("f", "2024-01-13", "2024-06-01", 1).subscription("g", "2024-03-02", std::nullopt, 1);
  Settings s = parse_settings(R"({"activity": {"mode": "subscriptions"}, "clv": {"forecast_periods": 3}})");
  Fixture f(b.build(), s);
  Table t = cohort_forecast_table(f.context());
  // January: offsets 0..3 observed (Jan..Apr), 4..6 projected; February has
  // no cohort; March: offsets 0..1, then 3 projected.
  REQUIRE(t.row_count() == 7 + 5);
  const Column &off = column(t, "period_offset");
  const double want[] = {1, 4.0 / 6, 3.0 / 6, 3.0 / 6};
  for (std::size_t r = 0; r < 7; ++r) {
    INFO("offset " << r);
    CHECK(column(t, "cohort_start").text[r] == "2024-01-01");
    CHECK(off.ints[r] == static_cast<std::int64_t>(r));
    CHECK(column(t, "size").ints[r] == 6);
    if (r < 4) CHECK(real(t, r, "observed_retention") == Approx(want[r]));
    else CHECK(is_null(t, r, "observed_retention"));
  }
  CHECK(column(t, "period_start").text[6] == "2024-07-01");
  // Each cohort is fitted on its own; whatever the outcome, the table says it.
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    const bool ok = column(t, "converged").ints[r] != 0;
    if (ok) {
      clv::Sbg m{real(t, r, "alpha"), real(t, r, "beta")};
      CHECK(real(t, r, "projected_retention") == Approx(clv::sbg_survival(m, static_cast<double>(off.ints[r]))));
    } else {
      CHECK(is_null(t, r, "projected_retention"));
      CHECK(!column(t, "reason").text[r].empty());
    }
  }
  // March's cohort of one, never lost: churn is not identified.
  CHECK(column(t, "converged").ints[7] == 0);
  check_no_nan(t);

  // Orders mode: no rows.
  Fixture orders(DatasetBuilder("2024-04-30").order_line("o", "a", "2024-01-02", 1).build(), Settings{});
  CHECK(cohort_forecast_table(orders.context()).row_count() == 0);
}

TEST_CASE("cohort_forecast pooled: one sBG for all cohorts recovers the simulated parameters") {
  // Twelve monthly cohorts of 400 whose first subscription lasts a
  // geometric number of months with churn θ ~ Beta(1.2, 4).
  std::mt19937_64 rng(8);
  DatasetBuilder b("2024-12-31");
  int id = 0;
  for (int month = 1; month <= 12; ++month)
    for (int i = 0; i < 400; ++i) {
      double u = std::gamma_distribution<double>(1.2, 1)(rng), w = std::gamma_distribution<double>(4, 1)(rng);
      std::bernoulli_distribution leaves(u / (u + w));
      int months = 1;
      while (months < 24 && !leaves(rng)) ++months;
      Day start = make_day(2024, static_cast<unsigned>(month), 10), end = add_months(start, months);
      b.subscription("s" + std::to_string(id++), format_day(start),
                     end > day("2024-12-31") ? std::nullopt : std::optional(format_day(end)), 1);
    }
  Settings s = parse_settings(R"({"activity": {"mode": "subscriptions"}, "clv": {"cohorts": "pooled"}})");
  Fixture f(b.build(), s);
  Table t = cohort_forecast_table(f.context());
  REQUIRE(t.row_count() > 0);
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    INFO(column(t, "reason").text[r]);
    REQUIRE(column(t, "converged").ints[r] == 1);
    CHECK(real(t, r, "alpha") == real(t, 0, "alpha"));  // one fit
  }
  // The survivors back from the observed rows, and the sBG log-likelihood
  // of (α, β) on them: its curvature at the fit gives the standard errors.
  std::vector<clv::Survivors> cohorts;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    if (is_null(t, r, "observed_retention")) continue;
    if (column(t, "period_offset").ints[r] == 0) cohorts.emplace_back();
    const double size = static_cast<double>(column(t, "size").ints[r]);
    cohorts.back().push_back(std::llround(real(t, r, "observed_retention") * size));
  }
  REQUIRE(cohorts.size() == 12);
  auto ll = [&](double al, double be) {
    double sum = 0;
    for (const auto &c : cohorts) {
      for (std::size_t j = 1; j < c.size(); ++j)
        sum += static_cast<double>(c[j - 1] - c[j]) * std::log(clv::sbg_churn_probability({al, be}, static_cast<double>(j)));
      sum += static_cast<double>(c.back()) * std::log(clv::sbg_survival({al, be}, static_cast<double>(c.size() - 1)));
    }
    return sum;
  };
  const double al = real(t, 0, "alpha"), be = real(t, 0, "beta"), ha = 1e-4 * al, hb = 1e-4 * be;
  const double iaa = -(ll(al + ha, be) - 2 * ll(al, be) + ll(al - ha, be)) / (ha * ha);
  const double ibb = -(ll(al, be + hb) - 2 * ll(al, be) + ll(al, be - hb)) / (hb * hb);
  const double iab = -(ll(al + ha, be + hb) - ll(al + ha, be - hb) - ll(al - ha, be + hb) + ll(al - ha, be - hb)) / (4 * ha * hb);
  const double det = iaa * ibb - iab * iab;
  REQUIRE(det > 0);
  const double se_a = std::sqrt(ibb / det), se_b = std::sqrt(iaa / det);
  INFO("alpha " << al << " (se " << se_a << "), beta " << be << " (se " << se_b << ")");
  // Within 4 standard errors of the truth, like test_clv_models' recovery tests.
  CHECK(std::fabs(al - 1.2) < 4 * se_a);
  CHECK(std::fabs(be - 4.0) < 4 * se_b);
  CHECK(se_a < 0.3 * 1.2);
}

TEST_CASE("Alive but slipping: P(alive) below clv.at_risk_below, highest repeat revenue first") {
  Dataset d = simulate_clv_dataset(5000, ClvTruth{}, 23);
  Table t = clv_table(d, Settings{});
  Table list = alive_but_slipping(t, 0.3);
  REQUIRE(list.row_count() > 0);
  CHECK(list.column_count() == t.column_count());
  // Exactly the rows below the threshold, each copied whole.
  std::size_t below = 0;
  for (std::size_t r = 0; r < t.row_count(); ++r) below += !is_null(t, r, "p_alive") && real(t, r, "p_alive") < 0.3;
  CHECK(list.row_count() == below);
  double prev = INFINITY;
  for (std::size_t r = 0; r < list.row_count(); ++r) {
    CHECK(real(list, r, "p_alive") < 0.3);
    const double revenue = static_cast<double>(column(list, "x").ints[r]) * real(list, r, "monetary");
    CHECK(revenue <= prev);
    prev = revenue;
    const std::size_t o = row_of(t, column(list, "customer_id").text[r]);
    CHECK(real(list, r, "clv") == real(t, o, "clv"));
    CHECK(column(list, "segment").text[r] == column(t, "segment").text[o]);
  }
  CHECK(alive_but_slipping(t, 0).row_count() == 0);
}
