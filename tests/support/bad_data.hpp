// The bad-data suite's story (tests/unit/test_bad_data*.cpp): canonical
// tables whose number and date columns are text, as an ERP's views or a
// careless import leave them, holding good rows and every kind of bad value
// of docs/kpis.md §11 beside them. Each backend's test seeds it, loads it
// through the canonical profile and checks the same counts and KPIs
// (check_bad_data_story): every bad row counted under its reason and source,
// none of them in a KPI, every output table valid JSON, valid UTF-8 and
// finite.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/dataset.hpp"
#include "core/settings.hpp"

namespace cskpi::test {

// Which database holds the story: what it can store differs (PostgreSQL
// text holds no NUL; its invalid UTF-8 needs a SQL_ASCII database).
enum class BadDataDb { sqlite3, postgresql, mysql };

// The statements that create and fill the canonical tables.
std::vector<std::string> bad_data_story(BadDataDb db);

// Loads the story from db (canonical profile, as_of 2024-03-31) and checks
// every count and KPI; returns the model for backend-specific checks.
Dataset check_bad_data_story(soci::session &db, const std::string &backend, BadDataDb kind);

}  // namespace cskpi::test
