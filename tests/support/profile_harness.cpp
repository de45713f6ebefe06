#include "support/profile_harness.hpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "source/canonical.hpp"
#include "source/database.hpp"
#include "source/loader.hpp"
#include "support/mariadb.hpp"

namespace cskpi::test {

Settings profile_settings(const std::string &backend, const std::string &profile, const std::string &connection) {
  Settings s;
  s.source.backend = backend;
  s.source.connection = connection;
  s.source.profile = profile;
  return s;
}

Settings subscription_mode(Settings s) {
  s.revenue_mode = RevenueMode::subscriptions;
  s.activity_mode = ActivityMode::subscriptions;
  return s;
}

std::unique_ptr<soci::session> open_source_session(const Settings &s, const std::string &connection) {
  SourceSettings src = s.source;
  src.connection = connection;
  return open_session(src);
}

Dataset load_with_profile(soci::session &db, const Settings &s, Day as_of) {
  return load_dataset(db, s.source.backend, load_profile(s.source.profile, s.source.backend), s, as_of);
}

KpiResults monthly_kpis(const Dataset &d, const Settings &s) { return Engine(s).compute_kpis(d, Granularity::month); }

std::vector<Span> subscription_spans(const Dataset &d) {
  std::vector<Span> out;
  for (std::size_t i = 0; i < d.subscriptions.size(); ++i)
    out.emplace_back(d.subscriptions.start[i], d.subscriptions.end[i], d.subscriptions.mrr[i]);
  std::sort(out.begin(), out.end());
  return out;
}

double kpi(const KpiResults &r, const std::string &name, const std::string &month, const std::string &slot) {
  const KpiMatrix *m = r.find(name);
  REQUIRE(m);
  std::size_t p = 0;
  while (p < r.grid().size() && r.grid()[p].start != parse_day(month)) ++p;
  REQUIRE(p < r.grid().size());
  auto s = std::find(r.slot_names().begin(), r.slot_names().end(), slot);
  REQUIRE(s != r.slot_names().end());
  return r.get(*m, p, static_cast<std::size_t>(s - r.slot_names().begin()));
}

void check_shared_story_kpis(const KpiResults &r) {
  // Orders 150 + 80, 200, 150: AOV 115 in January; the February buyer is a
  // returning one; 90-day window: all three active at the end of March.
  CHECK(kpi(r, "orders", "2024-01-01") == 2);
  CHECK(kpi(r, "buyers", "2024-01-01") == 2);
  CHECK(kpi(r, "aov", "2024-01-01") == 115);
  CHECK(kpi(r, "orders", "2024-02-01") == 1);
  CHECK(kpi(r, "orders", "2024-03-01") == 1);
  CHECK(kpi(r, "aov", "2024-03-01") == 150);
  CHECK(kpi(r, "repeat_purchase_rate", "2024-02-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-01-01") == 2);
  CHECK(kpi(r, "customers_new", "2024-02-01") == 0);
  CHECK(kpi(r, "customers_new", "2024-03-01") == 1);
  CHECK(kpi(r, "customers_active_end", "2024-03-01") == 3);
  // Revenue 150 + 80; 200 - 50; 150. February: the first 150 -> 150, the
  // second 80 -> 0 (churned); March: the first 150 -> 0, the third 0 -> 150.
  CHECK(kpi(r, "revenue", "2024-01-01") == 230);
  CHECK(kpi(r, "revenue", "2024-02-01") == 150);
  CHECK(kpi(r, "revenue", "2024-03-01") == 150);
  CHECK(kpi(r, "churned_revenue", "2024-02-01") == 80);
  CHECK(kpi(r, "churned_revenue", "2024-03-01") == 150);
  CHECK(kpi(r, "new_revenue", "2024-03-01") == 150);
  // Tickets: 1, 1, 2 opened; two open at the end of March.
  CHECK(kpi(r, "tickets_opened", "2024-01-01") == 1);
  CHECK(kpi(r, "tickets_opened", "2024-02-01") == 1);
  CHECK(kpi(r, "tickets_opened", "2024-03-01") == 2);
  CHECK(kpi(r, "tickets_resolved", "2024-03-01") == 1);
  CHECK(kpi(r, "ttr_hours_mean", "2024-01-01") == 24);
  CHECK(kpi(r, "frt_hours_median", "2024-01-01") == 1.5);
  CHECK(kpi(r, "backlog_end", "2024-03-01") == 2);
}

void check_shared_story_mrr(const KpiResults &r) {
  // January 60 + 100; February + 45 (from Feb 15); March without the 100
  // (ended March 1).
  CHECK(kpi(r, "mrr_end", "2024-01-01") == 160);
  CHECK(kpi(r, "mrr_end", "2024-02-01") == 205);
  CHECK(kpi(r, "mrr_end", "2024-03-01") == 105);
  CHECK(kpi(r, "churned_revenue", "2024-03-01") == 100);
  CHECK(kpi(r, "customers_churned", "2024-03-01") == 1);
  CHECK(kpi(r, "customers_new", "2024-02-01") == 1);
}

void check_canonical_columns_mariadb(soci::session &db, const Profile &p, const std::set<std::string> &sources) {
  std::set<std::string> seen;
  for (const auto &[source, sql] : p.sql) {
    INFO("source " << source);
    seen.insert(source);
    const CanonicalSource *src = find_canonical_source(source);
    REQUIRE(src);
    std::size_t rows = 0;
    std::vector<std::string> names = mariadb_result_columns(db, sql, &rows);
    std::multiset<std::string> got(names.begin(), names.end()), want;
    for (const auto &c : src->columns) want.insert(std::string(c.name));
    CHECK(got == want);
    CHECK(rows > 0);
  }
  CHECK(seen == sources);
}

std::map<std::string, CheckRow> profile_check_rows(const Table &t) {
  auto column = [&](const char *name) -> const Column & {
    const int c = t.find_column(name);
    REQUIRE(c >= 0);
    return t.column(static_cast<std::size_t>(c));
  };
  const Column &source = column("source"), &status = column("status"), &rows = column("rows"),
               &findings = column("findings"), &date_null = column("date_null_rate");
  std::map<std::string, CheckRow> out;
  for (std::size_t i = 0; i < t.row_count(); ++i)
    out[source.text[i]] = {status.text[i], rows.null[i] ? -1 : rows.ints[i], findings.text[i],
                           date_null.null[i] ? 0.0 : date_null.reals[i]};
  return out;
}

}  // namespace cskpi::test
