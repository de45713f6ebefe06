// docs/kpis.md §6 (support: volumes, backlog, TTR/FRT in calendar and business
// hours, reopen and SLA breach rates, tickets per 100 active, ticket_breakdown)
// on hand-made datasets. Every expectation is worked out by hand beside it.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "core/kpi_results.hpp"
#include "kpi/support.hpp"
#include "support/dataset_builder.hpp"
#include "support/kpi_readers.hpp"

using namespace cskpi;
using namespace cskpi::test;

namespace {

const char *const kSupportKpis[] = {
    "tickets_opened",   "tickets_resolved",          "backlog_end",           "ttr_hours_mean",
    "ttr_hours_median", "ttr_hours_p90",             "ttr_business_hours_mean", "ttr_business_hours_median",
    "ttr_business_hours_p90", "frt_hours_median",    "frt_hours_p90",         "frt_business_hours_median",
    "frt_business_hours_p90", "reopen_rate",         "sla_breach_rate",       "tickets_per_100_active"};

Settings settings_in(const std::string &tz = "UTC") {
  Settings s;
  s.timezone = tz;  // default calendar: Mon-Fri 08:00-18:00
  return s;
}

// Runs compute_support, after an optional customers_active_end matrix (what
// compute_flow would have added) given per period for slots all, first segment.
KpiResults run(const Fixture &fx, const std::vector<std::vector<double>> *active_end = nullptr) {
  KpiResults out(fx.grid, fx.slot_names());
  if (active_end) {
    KpiMatrix &m = out.add("customers_active_end");
    for (std::size_t p = 0; p < active_end->size(); ++p)
      for (std::size_t s = 0; s < (*active_end)[p].size(); ++s) out.at(m, p, s) = (*active_end)[p][s];
  }
  compute_support(fx.context(), out);
  return out;
}

// Four tickets resolved in March 2024 (UTC, default calendar). 2024-03-01 is
// a Friday. Customer "a" is segment smb (slot 1); D has no customer.
//   ticket  opened          first response  resolved        calendar h  business h  FRT cal / bus
//   A       Mon 03-04 08:00 08:30           Mon 03-04 09:00  1           1           0.5 / 0.5
//   B       Mon 03-04 10:00 -               Mon 03-04 12:00  2           2           -
//   C       Tue 03-05 16:00 Wed 03-06 08:30 Wed 03-06 10:00 18           2+2 = 4     16.5 / 2+0.5 = 2.5
//   D       Fri 03-01 17:00 Fri 03-01 17:30 Mon 03-04 09:00 64           1+1 = 2     0.5 / 0.5
// Priorities A high, B high, C low, D null ("unknown"); reopen_count A 0,
// B 2, C null, D 1.
Fixture march_tickets(Settings s) {
  auto data = DatasetBuilder("2024-03-31")
                  .customer("a", "smb")
                  .ticket("A", "a", "2024-03-04 08:00", "2024-03-04 08:30", "2024-03-04 09:00", "email", "billing",
                          "high", 0)
                  .ticket("B", "a", "2024-03-04 10:00", std::nullopt, "2024-03-04 12:00", "email", "billing", "high", 2)
                  .ticket("C", "a", "2024-03-05 16:00", "2024-03-06 08:30", "2024-03-06 10:00", "phone", "bug", "low")
                  .ticket("D", std::nullopt, "2024-03-01 17:00", "2024-03-01 17:30", "2024-03-04 09:00", "phone",
                          std::nullopt, std::nullopt, 1)
                  .build();
  return Fixture(std::move(data), std::move(s));
}

}  // namespace

TEST_CASE("tickets opened, resolved and the backlog at the end of each period", "[support]") {
  // Month grid Jan..Mar 2024, UTC. Slots: all (0), smb (1), ent (2).
  //   T1 a/smb opened 01-10, resolved 01-10          -> Jan opened+resolved
  //   T2 b/ent opened 01-20, resolved 02-01          -> resolved the day after Jan's t1: backlog at end of Jan
  //   T3 a/smb opened 01-30, resolved 01-31 18:00    -> resolved on t1: not backlog
  //   T4 none  opened 02-05, never resolved          -> backlog end Feb and Mar, slot "all" only
  //   T5 b/ent opened 03-02, resolved 03-03
  auto data = DatasetBuilder("2024-03-31")
                  .customer("a", "smb")
                  .customer("b", "ent")
                  .ticket("T1", "a", "2024-01-10 09:00", std::nullopt, "2024-01-10 13:00")
                  .ticket("T2", "b", "2024-01-20 10:00", std::nullopt, "2024-02-01 10:00")
                  .ticket("T3", "a", "2024-01-30 10:00", std::nullopt, "2024-01-31 18:00")
                  .ticket("T4", std::nullopt, "2024-02-05 08:00")
                  .ticket("T5", "b", "2024-03-02 10:00", std::nullopt, "2024-03-03 10:00")
                  .build();
  Fixture fx(std::move(data), settings_in());
  auto r = run(fx);
  REQUIRE(fx.grid.size() == 3);
  // Jan: opened T1 T2 T3 (smb 2, ent 1); resolved T1 T3; backlog T2.
  check_cell(r, 0, 0, {{"tickets_opened", 3}, {"tickets_resolved", 2}, {"backlog_end", 1}});
  check_cell(r, 0, 1, {{"tickets_opened", 2}, {"backlog_end", 0}});
  // Durations exist only where something was resolved: ent had nothing resolved in Jan.
  check_cell(r, 0, 2, {{"tickets_opened", 1}, {"tickets_resolved", 0}, {"backlog_end", 1}, {"ttr_hours_mean", kNull}});
  // Feb: opened T4 (no customer: all only); resolved T2 (ent); backlog T4.
  check_cell(r, 1, 0, {{"tickets_opened", 1}, {"tickets_resolved", 1}, {"backlog_end", 1}});
  check_cell(r, 1, 1, {{"tickets_opened", 0}});
  check_cell(r, 1, 2, {{"tickets_opened", 0}, {"tickets_resolved", 1}, {"backlog_end", 0}});
  // Mar: opened+resolved T5 (ent); T4 still open.
  check_cell(r, 2, 0, {{"tickets_opened", 1}, {"tickets_resolved", 1}, {"backlog_end", 1}});
  check_cell(r, 2, 1, {{"backlog_end", 0}});
  check_cell(r, 2, 2, {{"tickets_opened", 1}, {"backlog_end", 0}});
}

TEST_CASE("the backlog of a partial period is taken at as_of", "[support]") {
  // as_of 2024-03-10: March's t1 is 03-10. A ticket resolved 03-11 (after
  // as_of) is reset to "not yet" and is backlog; one resolved 03-10 is not.
  auto data = DatasetBuilder("2024-03-10")
                  .ticket("X", std::nullopt, "2024-03-05 10:00", std::nullopt, "2024-03-11 10:00")
                  .ticket("Y", std::nullopt, "2024-03-05 10:00", std::nullopt, "2024-03-10 23:00")
                  .build();
  Fixture fx(std::move(data), settings_in());
  auto r = run(fx);
  check_cell(r, 0, 0, {{"backlog_end", 1}, {"tickets_resolved", 1}});
}

TEST_CASE("TTR mean, median and p90 in calendar and business hours", "[support]") {
  Fixture fx = march_tickets(settings_in());
  auto r = run(fx);
  REQUIRE(fx.grid.size() == 1);
  // Calendar, sorted 1, 2, 18, 64: mean 85/4 = 21.25;
  // median h = 3 x 0.5 = 1.5 -> 2 + 0.5 x (18 - 2) = 10;
  // p90 h = 3 x 0.9 = 2.7 -> 18 + 0.7 x (64 - 18) = 50.2.
  check_cell(r, 0, 0, {{"ttr_hours_mean", 21.25}, {"ttr_hours_median", 10.0}, {"ttr_hours_p90", 50.2}});
  // Business, sorted 1, 2, 2, 4: mean 9/4 = 2.25; median 2 + 0.5 x 0 = 2;
  // p90 2 + 0.7 x (4 - 2) = 3.4.
  check_cell(r, 0, 0, {{"ttr_business_hours_mean", 2.25}, {"ttr_business_hours_median", 2.0},
                       {"ttr_business_hours_p90", 3.4}});
  // Segment smb (A, B, C; D has no customer): calendar 1, 2, 18: mean 7,
  // median h = 1 -> 2, p90 h = 1.8 -> 2 + 0.8 x 16 = 14.8; business 1, 2, 4:
  // mean 7/3, median 2, p90 2 + 0.8 x 2 = 3.6.
  check_cell(r, 0, 1, {{"ttr_hours_mean", 7.0}, {"ttr_hours_median", 2.0}, {"ttr_hours_p90", 14.8},
                       {"ttr_business_hours_mean", 7.0 / 3.0}, {"ttr_business_hours_median", 2.0},
                       {"ttr_business_hours_p90", 3.6}});
}

TEST_CASE("FRT median and p90 over tickets opened in the period with a response", "[support]") {
  Fixture fx = march_tickets(settings_in());
  auto r = run(fx);
  // A, C, D responded (B did not). Calendar sorted 0.5, 0.5, 16.5:
  // median h = 2 x 0.5 = 1 -> 0.5; p90 h = 1.8 -> 0.5 + 0.8 x 16 = 13.3.
  check_cell(r, 0, 0, {{"frt_hours_median", 0.5}, {"frt_hours_p90", 13.3}});
  // Business sorted 0.5, 0.5, 2.5: median 0.5; p90 0.5 + 0.8 x 2 = 2.1.
  check_cell(r, 0, 0, {{"frt_business_hours_median", 0.5}, {"frt_business_hours_p90", 2.1}});
  // smb: A 0.5 and C 16.5 (cal), 0.5 and 2.5 (bus): median = midpoint 8.5 / 1.5;
  // p90 h = 0.9 -> 0.5 + 0.9 x 16 = 14.9 / 0.5 + 0.9 x 2 = 2.3.
  check_cell(r, 0, 1, {{"frt_hours_median", 8.5}, {"frt_hours_p90", 14.9}, {"frt_business_hours_median", 1.5},
                       {"frt_business_hours_p90", 2.3}});
}

TEST_CASE("FRT belongs to the period the ticket was opened in", "[support]") {
  // Opened Jan 31, first response Feb 1: Jan's FRT, not Feb's. Calendar 2 h
  // (23:00 -> 01:00); business Wed 01-31 23:00 -> Thu 02-01 01:00 = 0 h.
  auto data = DatasetBuilder("2024-02-29")
                  .ticket("X", std::nullopt, "2024-01-31 23:00", "2024-02-01 01:00")
                  .build();
  Fixture fx(std::move(data), settings_in());
  auto r = run(fx);
  check_cell(r, 0, 0, {{"frt_hours_median", 2.0}, {"frt_business_hours_median", 0}});
  check_cell(r, 1, 0, {{"frt_hours_median", kNull}});
}

TEST_CASE("a resolution before the opening resolves the ticket; only its duration is left out", "[support]") {
  // kpi-spec §6: a negative duration is excluded, the ticket is still
  // resolved at resolved_at (docs/kpis.md §6.6). UTC, default calendar,
  // sla_hours default 1 h; the grid is March (the first opening).
  //   X Mon 03-04 opened 10:00, responded 09:00, resolved 08:00 (both
  //     before), reopen_count 1: resolved in March, no TTR, no FRT, not in
  //     the SLA base.
  //   Y Mon 03-04 opened 10:00, resolved 13:00: TTR 3 h (3 business h),
  //     reopen_count 0, above the 1 h target: a breach.
  //   Z Fri 03-01 opened 09:00, resolved 02-28 12:00, before the grid: in no
  //     backlog and in no reported period's tickets_resolved.
  // March: opened 3, resolved 2 (X, Y), backlog 0, TTR mean 3, no FRT,
  // reopen_rate 1/2, sla_breach_rate 1/1.
  Settings s = settings_in();
  s.sla_hours = {{"default", 1.0}};
  auto data = DatasetBuilder("2024-03-31")
                  .ticket("X", std::nullopt, "2024-03-04 10:00", "2024-03-04 09:00", "2024-03-04 08:00", std::nullopt,
                          std::nullopt, std::nullopt, 1)
                  .ticket("Y", std::nullopt, "2024-03-04 10:00", std::nullopt, "2024-03-04 13:00", std::nullopt,
                          std::nullopt, std::nullopt, 0)
                  .ticket("Z", std::nullopt, "2024-03-01 09:00", std::nullopt, "2024-02-28 12:00")
                  .build();
  Fixture fx(std::move(data), s);
  REQUIRE(fx.grid.size() == 1);
  auto r = run(fx);
  check_cell(r, 0, 0, {{"tickets_opened", 3}, {"tickets_resolved", 2}, {"backlog_end", 0}, {"ttr_hours_mean", 3.0},
                       {"ttr_hours_p90", 3.0}, {"ttr_business_hours_median", 3.0}, {"frt_hours_median", kNull},
                       {"frt_business_hours_p90", kNull}, {"reopen_rate", 0.5}, {"sla_breach_rate", 1.0}});
}

TEST_CASE("a resolution before the opening ends the backlog in the period of resolved_at", "[support]") {
  // W opened Mon 2024-02-05 09:00 and "resolved" 2024-01-31 17:00: resolved
  // in January, never in a backlog (January ends before the opening,
  // February after the resolution); V opened 2024-01-10, never resolved: in
  // the backlog of both months.
  auto data = DatasetBuilder("2024-02-29")
                  .ticket("V", std::nullopt, "2024-01-10 09:00")
                  .ticket("W", std::nullopt, "2024-02-05 09:00", std::nullopt, "2024-01-31 17:00")
                  .build();
  Fixture fx(std::move(data), settings_in());
  REQUIRE(fx.grid.size() == 2);
  auto r = run(fx);
  check_cell(r, 0, 0, {{"tickets_resolved", 1}, {"backlog_end", 1}, {"ttr_hours_mean", kNull}});
  check_cell(r, 1, 0, {{"tickets_resolved", 0}, {"tickets_opened", 1}, {"backlog_end", 1}});
}

TEST_CASE("local days and business hours follow the configured zone", "[support]") {
  // America/Sao_Paulo is UTC-3.
  //   X opened 2024-02-01 01:30 UTC = Wed 01-31 22:30 local -> January;
  //     resolved 02-01 12:00 UTC = Thu 02-01 09:00 local -> February.
  //     Business: Thu 08:00-09:00 local = 1 h (read in UTC it would be 08-12 = 4 h).
  //   Y opened 2024-03-01 02:59 UTC = Thu 02-29 23:59 local -> February.
  //   Z opened 2024-03-01 03:00 UTC = Fri 03-01 00:00 local -> March;
  //     resolved 2024-03-02 02:00 UTC = Fri 03-01 23:00 local -> March.
  auto data = DatasetBuilder("2024-03-31", "America/Sao_Paulo")
                  .ticket("X", std::nullopt, "2024-02-01 01:30", std::nullopt, "2024-02-01 12:00")
                  .ticket("Y", std::nullopt, "2024-03-01 02:59")
                  .ticket("Z", std::nullopt, "2024-03-01 03:00", std::nullopt, "2024-03-02 02:00")
                  .build();
  Fixture fx(std::move(data), settings_in("America/Sao_Paulo"));
  auto r = run(fx);
  REQUIRE(fx.grid.size() == 3);
  // Jan: X opened, and open at the end of Jan 31 local.
  check_cell(r, 0, 0, {{"tickets_opened", 1}, {"backlog_end", 1}});
  // Feb: Y opened; X resolved, 01:30 -> 12:00 = 10.5 h, 1 business hour.
  check_cell(r, 1, 0, {{"tickets_opened", 1}, {"tickets_resolved", 1}, {"ttr_hours_mean", 10.5},
                       {"ttr_business_hours_mean", 1.0}});
  // Mar: Z opened and resolved, Fri 00:00 -> 23:00 local: calendar 23 h, business 08-18 = 10 h; Y in the backlog.
  check_cell(r, 2, 0, {{"tickets_opened", 1}, {"tickets_resolved", 1}, {"ttr_business_hours_mean", 10.0},
                       {"backlog_end", 1}});
}

TEST_CASE("reopen rate over tickets resolved in the period", "[support]") {
  Fixture fx = march_tickets(settings_in());
  auto r = run(fx);
  // Resolved: A 0, B 2, C null (not reopened), D 1 -> 2 / 4 = 0.5; smb: B of A, B, C -> 1/3.
  CHECK(value(r, "reopen_rate", 0, 0) == Approx(0.5));
  CHECK(value(r, "reopen_rate", 0, 1) == Approx(1.0 / 3.0));

  // No reopen_count anywhere: unavailable.
  auto data = DatasetBuilder("2024-03-31")
                  .ticket("X", std::nullopt, "2024-03-04 10:00", std::nullopt, "2024-03-04 12:00")
                  .build();
  Fixture none(std::move(data), settings_in());
  CHECK(is_null(value(run(none), "reopen_rate", 0, 0)));
}

TEST_CASE("SLA breach rate by priority target, with and without a default", "[support]") {
  // Business TTR: A high 1 h, B high 2 h, C low 4 h, D unknown 2 h.
  SECTION("targets per priority and a default") {
    // high 2: A 1 ok, B 2 ok (equal is not a breach); default 1.5 for C (4,
    // breach) and D (2, breach) -> 2 / 4 = 0.5. smb (A, B, C): 1/3.
    Settings s = settings_in();
    s.sla_hours = {{"high", 2.0}, {"default", 1.5}};
    auto r = run(march_tickets(s));
    CHECK(value(r, "sla_breach_rate", 0, 0) == Approx(0.5));
    CHECK(value(r, "sla_breach_rate", 0, 1) == Approx(1.0 / 3.0));
  }
  SECTION("a priority without a target and no default is left out") {
    // high 1.5: A ok, B breach; low 3: C breach; D "unknown" has no target:
    // out of numerator and denominator -> 2 / 3.
    Settings s = settings_in();
    s.sla_hours = {{"high", 1.5}, {"low", 3.0}};
    auto r = run(march_tickets(s));
    CHECK(value(r, "sla_breach_rate", 0, 0) == Approx(2.0 / 3.0));
  }
  SECTION("no targets: unavailable") {
    auto r = run(march_tickets(settings_in()));
    CHECK(is_null(value(r, "sla_breach_rate", 0, 0)));
  }
}

TEST_CASE("tickets per 100 active customers", "[support]") {
  Fixture fx = march_tickets(settings_in());
  // March opened: all 4, smb 3. Active at the end: all 8 -> 100 x 4 / 8 = 50;
  // smb 0 -> null (no active customers).
  std::vector<std::vector<double>> active{{8, 0}};
  auto r = run(fx, &active);
  CHECK(value(r, "tickets_per_100_active", 0, 0) == Approx(50.0));
  CHECK(is_null(value(r, "tickets_per_100_active", 0, 1)));
  active = {{8, 6}};  // smb 100 x 3 / 6 = 50
  CHECK(value(run(fx, &active), "tickets_per_100_active", 0, 1) == Approx(50.0));
  // Without customers_active_end (flow not computed): null.
  CHECK(is_null(value(run(fx), "tickets_per_100_active", 0, 0)));
}

TEST_CASE("without a tickets source every support KPI is null", "[support]") {
  auto data = DatasetBuilder("2024-03-31").customer("a").order_line("o1", "a", "2024-03-01", 10).build();
  Fixture fx(std::move(data), settings_in());
  auto r = run(fx);
  for (const char *k : kSupportKpis) {
    INFO(k);
    CHECK(is_null(value(r, k, 0, 0)));
  }
  CHECK(ticket_breakdown_table(fx.context()).row_count() == 0);
}

TEST_CASE("with tickets present, counts are 0 and durations null in an empty period", "[support]") {
  auto data = DatasetBuilder("2024-02-29")
                  .customer("a")
                  .order_line("o1", "a", "2024-01-05", 10)
                  .ticket("X", "a", "2024-02-05 10:00")
                  .build();
  Fixture fx(std::move(data), settings_in());
  auto r = run(fx);
  REQUIRE(fx.grid.size() == 2);
  check_cell(r, 0, 0, {{"tickets_opened", 0}, {"tickets_resolved", 0}, {"backlog_end", 0}, {"ttr_hours_median", kNull},
                       {"reopen_rate", kNull}});
}

TEST_CASE("ticket_breakdown: per category and channel, share of P and change from P'", "[support][table]") {
  // Jan: billing x3 (email, email, phone), bug x1 (phone).
  // Feb: billing x1 (email), login x2 (email, email); bug gone.
  // Mar (as_of 03-15): no tickets.
  auto data = DatasetBuilder("2024-03-15")
                  .customer("a", "smb")
                  .order_line("o1", "a", "2024-03-01", 10, "hardware")  // an order category: never a ticket row
                  .ticket("1", "a", "2024-01-03 10:00", std::nullopt, std::nullopt, "email", "billing")
                  .ticket("2", std::nullopt, "2024-01-04 10:00", std::nullopt, std::nullopt, "email", "billing")
                  .ticket("3", "a", "2024-01-05 10:00", std::nullopt, std::nullopt, "phone", "billing")
                  .ticket("4", "a", "2024-01-06 10:00", std::nullopt, std::nullopt, "phone", "bug")
                  .ticket("5", "a", "2024-02-03 10:00", std::nullopt, std::nullopt, "email", "billing")
                  .ticket("6", "a", "2024-02-04 10:00", std::nullopt, std::nullopt, "email", "login")
                  .ticket("7", "a", "2024-02-05 10:00", std::nullopt, std::nullopt, "email", "login")
                  .build();
  Fixture fx(std::move(data), settings_in());
  Table t = ticket_breakdown_table(fx.context());

  struct Row {
    const char *period, *dimension, *value;
    std::int64_t opened;
    double share;
    std::int64_t previous, change;
    double change_rate;  // NaN = null
  };
  const double null = kNull;
  // Sorted by period, dimension (category, channel), opened descending, value.
  const Row want[] = {
      // Jan: P' (Dec 2023) precedes all data: previous 0, change_rate null.
      {"2024-01-01", "category", "billing", 3, 0.75, 0, 3, null},  // 3/4
      {"2024-01-01", "category", "bug", 1, 0.25, 0, 1, null},      // 1/4
      {"2024-01-01", "channel", "email", 2, 0.5, 0, 2, null},      // tie on 2: by name
      {"2024-01-01", "channel", "phone", 2, 0.5, 0, 2, null},
      // Feb: 3 tickets.
      {"2024-02-01", "category", "login", 2, 2.0 / 3, 0, 2, null},      // new: previous 0
      {"2024-02-01", "category", "billing", 1, 1.0 / 3, 3, -2, -2.0 / 3},  // (1 - 3) / 3
      {"2024-02-01", "category", "bug", 0, 0.0, 1, -1, -1.0},          // gone: (0 - 1) / 1
      {"2024-02-01", "channel", "email", 3, 1.0, 2, 1, 0.5},           // (3 - 2) / 2
      {"2024-02-01", "channel", "phone", 0, 0.0, 2, -2, -1.0},
      // Mar: no tickets: share null (0 of 0); Feb's values drop to 0.
      {"2024-03-01", "category", "billing", 0, null, 1, -1, -1.0},  // tie on 0: by name
      {"2024-03-01", "category", "login", 0, null, 2, -2, -1.0},
      {"2024-03-01", "channel", "email", 0, null, 3, -3, -1.0},
  };
  REQUIRE(t.row_count() == std::size(want));
  const Column &period = column(t, "period_start"), &dimension = column(t, "dimension"), &val = column(t, "value"),
               &opened = column(t, "tickets_opened"), &share = column(t, "share"),
               &previous = column(t, "tickets_opened_previous"), &change = column(t, "change"),
               &rate = column(t, "change_rate");
  CHECK(period.type == ColumnType::date);
  CHECK(opened.type == ColumnType::int64);
  CHECK(share.type == ColumnType::real);
  for (std::size_t i = 0; i < std::size(want); ++i) {
    const Row &w = want[i];
    INFO("row " << i << ": " << w.period << " " << w.dimension << " " << w.value);
    CHECK(period.text[i] == w.period);
    CHECK(dimension.text[i] == w.dimension);
    CHECK(val.text[i] == w.value);
    CHECK(opened.ints[i] == w.opened);
    CHECK(previous.ints[i] == w.previous);
    CHECK(change.ints[i] == w.change);
    if (std::isnan(w.share)) CHECK(share.null[i] == 1);
    else CHECK(share.reals[i] == Approx(w.share));
    if (std::isnan(w.change_rate)) CHECK(rate.null[i] == 1);
    else CHECK(rate.reals[i] == Approx(w.change_rate));
  }
}
