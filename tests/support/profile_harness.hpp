// The profile-conformance harness: what the built-in profiles' tests
// (tests/unit/test_profile_<erp>.cpp) share. Each builds its ERP's tables on
// a real server with the ERP's own names and types, seeds a small history
// told in its comments, loads it through the profile and checks the rows and
// KPIs against numbers worked out by hand. The ERP's schema, story and
// expectations stay in its file; the database, settings, load, KPI lookup
// and check readers are here.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <soci/soci.h>

#include "core/calendar.hpp"
#include "core/settings.hpp"
#include "core/table.hpp"
#include "engine/engine.hpp"
#include "core/dataset.hpp"
#include "source/profile.hpp"

namespace cskpi::test {

// Settings reading `profile` (built-in) from `backend` at `connection`.
Settings profile_settings(const std::string &backend, const std::string &profile, const std::string &connection = "");

// s with revenue and activity both in subscription mode (docs/kpis.md §3, §4).
Settings subscription_mode(Settings s);

// Runs every statement of every list, in order.
template <class... Lists>
void run_all(soci::session &db, const Lists &...lists) {
  (
      [&] {
        for (const auto &sql : lists) db << sql;
      }(),
      ...);
}

// A session on `connection` (the backend of s) through open_session.
std::unique_ptr<soci::session> open_source_session(const Settings &s, const std::string &connection);

// The same, with the statement lists run on it.
template <class... Lists>
std::unique_ptr<soci::session> seeded_session(const Settings &s, const std::string &connection, const Lists &...lists) {
  auto db = open_source_session(s, connection);
  run_all(*db, lists...);
  return db;
}

// The Dataset the settings' profile reads from db as of as_of.
Dataset load_with_profile(soci::session &db, const Settings &s, Day as_of);
// The monthly KPIs of d.
KpiResults monthly_kpis(const Dataset &d, const Settings &s);

// A subscription as (start, end, mrr); those of d, sorted.
using Span = std::tuple<Day, Day, double>;
std::vector<Span> subscription_spans(const Dataset &d);

// One KPI value: the period starting on `month` (YYYY-MM-01), slot "all" or
// a segment; REQUIREs that all three exist.
double kpi(const KpiResults &r, const std::string &name, const std::string &month, const std::string &slot = "all");

// The ERPNext and Dolibarr fixtures tell one story, each in its own ERP's
// documents (see their files), as_of 2024-03-31, months:
//   orders    January: a new customer 150 and another 80; February: the
//             first comes back, 200; March: a third, new, 150; the second
//             buys nothing after January
//   invoices  one per order, 50 of February's credited in February
//   tickets   one opened in January (first answer after 1.5 h, resolved
//             after 24 h), one in February (left open), two in March (one
//             resolved)
//   contracts 60 a month from January 1, 100 from January 15 (cancelled,
//             ending March 1), 45 from February 15
// These check the KPIs that story gives: any ERP fixture telling it must
// produce them.
void check_shared_story_kpis(const KpiResults &r);
// The same story's contracts in subscription mode.
void check_shared_story_mrr(const KpiResults &r);

// Checks, on MariaDB, that every SELECT of p returns exactly its canonical
// source's columns and at least one row, and that p has exactly `sources`.
void check_canonical_columns_mariadb(soci::session &db, const Profile &p, const std::set<std::string> &sources);

// One row of the profile check table (engine profile_check_table), by source.
struct CheckRow {
  std::string status;
  std::int64_t rows = -1;  // -1: null
  std::string findings;
  double date_null_rate = 0;
};
std::map<std::string, CheckRow> profile_check_rows(const Table &t);

}  // namespace cskpi::test
