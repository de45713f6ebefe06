// Configuration parsing (plugin/core/settings.cpp): source.parallel_reads.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/settings.hpp"
#include "support/temp_dir.hpp"

using namespace cskpi;

namespace {

using test::contains;

std::string config_error(const std::string &json) {
  return test::message_of<ConfigError>([&] { parse_settings(json); });
}

}  // namespace

TEST_CASE("source.parallel_reads: 2 by default, 1 or 2 accepted") {
  CHECK(parse_settings("{}").source_parallel_reads == 2);
  CHECK(parse_settings(R"({"source": {"backend": "postgresql", "connection": "x"}})").source_parallel_reads == 2);
  CHECK(parse_settings(R"({"source": {"parallel_reads": 1}})").source_parallel_reads == 1);
  CHECK(parse_settings(R"({"source": {"backend": "postgresql", "parallel_reads": 2}})").source_parallel_reads == 2);
  // Meaningless but harmless for the other backends (they read on one connection).
  CHECK(parse_settings(R"({"source": {"backend": "sqlite3", "parallel_reads": 2}})").source_parallel_reads == 2);
}

TEST_CASE("source.parallel_reads: bad values are configuration errors naming the key") {
  for (const char *bad : {"0", "3", "-1", "1.5", "\"2\"", "true", "null", "[2]"}) {
    std::string msg = config_error(std::string(R"({"source": {"parallel_reads": )") + bad + "}}");
    INFO(bad << ": " << msg);
    CHECK(contains(msg, "source.parallel_reads"));
  }
  CHECK(contains(config_error(R"({"source": {"parallel_reads": 3}})"), "between 1 and 2"));
  CHECK(contains(config_error(R"({"target": {"parallel_reads": 2}})"), "only meaningful under 'source'"));
}

namespace {
std::string week_with(const std::string &interval) {
  return R"({"calendar": {"week": {"mon": [)" + interval + "]}}}";
}
}  // namespace

TEST_CASE("calendar clock times: strict HH:MM, a ConfigError naming the key") {
  auto mon = parse_settings(week_with(R"(["08:30", "24:00"])")).calendar.week[1];
  REQUIRE(mon.size() == 1);
  CHECK(mon[0].begin_minute == 8 * 60 + 30);
  CHECK(mon[0].end_minute == 24 * 60);
  CHECK(parse_settings(week_with(R"(["00:00", "23:59"])")).calendar.week[1][0].end_minute == 23 * 60 + 59);
  // Each was accepted (or crashed std::stoi) before: signs, spaces, letters, one-digit hours.
  for (const char *bad : {"ab:cd", "+8:00", " 8:00", "8:00 ", "08:0a", "-1:00", "24:01", "25:00", "08:60", "0800",
                          "08-00", "８:00", "", "8:00"}) {
    std::string msg = config_error(week_with(std::string("[\"") + bad + "\", \"18:00\"]"));
    INFO("'" << bad << "': " << msg);
    CHECK(contains(msg, "calendar.week.mon"));
  }
  CHECK(contains(config_error(week_with(R"(["ab:cd", "18:00"])")), "HH:MM"));
}

TEST_CASE("calendar.week {} is refused: it would mean no working hours at all") {
  std::string msg = config_error(R"({"calendar": {"week": {}}})");
  CHECK(contains(msg, "calendar.week"));
  CHECK(contains(msg, "leave 'week' out"));
  CHECK(contains(config_error(R"({"calendar": {"week": {"mon": [], "sat": []}}})"), "no working hours"));
  // Leaving it out keeps kpi-spec's default Monday-Friday 08:00-18:00.
  auto s = parse_settings(R"({"calendar": {"holidays": ["2026-12-24"]}})");
  for (int d = 1; d <= 5; ++d) {
    REQUIRE(s.calendar.week[d].size() == 1);
    CHECK(s.calendar.week[d][0].begin_minute == 8 * 60);
    CHECK(s.calendar.week[d][0].end_minute == 18 * 60);
  }
  CHECK(s.calendar.week[6].empty());
  CHECK(s.calendar.week[7].empty());
  // One worked day is enough.
  CHECK(parse_settings(R"({"calendar": {"week": {"sat": [["09:00", "13:00"]]}}})").calendar.week[1].empty());
}

TEST_CASE("health constants are range-checked (0..100 scores, 0..1 weights)") {
  auto h = parse_settings(R"({"health": {"healthy_min": 100, "attention_min": 0, "voice_none": 0, "voice_passive": 100,
                              "weights": {"recency": 1, "voice": 0}}})").health;
  CHECK(h.healthy_min == 100);
  CHECK(h.attention_min == 0);
  CHECK(h.voice_none == 0);
  CHECK(h.voice_passive == 100);
  CHECK(h.w_recency == 1);
  CHECK(h.w_voice == 0);
  struct Bad {
    const char *json, *key;
  };
  for (const Bad &b : {Bad{R"({"voice_none": 1e12})", "health.voice_none"},
                       Bad{R"({"voice_passive": -1e308})", "health.voice_passive"},
                       Bad{R"({"healthy_min": 100.5})", "health.healthy_min"},
                       Bad{R"({"attention_min": -1})", "health.attention_min"},
                       Bad{R"({"weights": {"monetary": 1e12}})", "health.weights.monetary"},
                       Bad{R"({"weights": {"payment": -0.1}})", "health.weights.payment"},
                       Bad{R"({"weights": {"support": 1e400}})", "health.weights.support"}}) {
    std::string msg = config_error(std::string(R"({"health": )") + b.json + "}");
    INFO(b.json << ": " << msg);
    CHECK(contains(msg, b.key));
  }
  CHECK(contains(config_error(R"({"health": {"voice_none": 1e12}})"), "between 0 and 100 (got 1e+12)"));
}

TEST_CASE("connect_timeout and lock_timeout: seconds, defaults 10 and 30, per source and target") {
  auto d = parse_settings("{}");
  CHECK(d.source.connect_timeout == 10);
  CHECK(d.source.lock_timeout == 30);
  auto s = parse_settings(R"({"source": {"backend": "postgresql", "connection": "x", "connect_timeout": 3},
                              "target": {"backend": "postgresql", "connection": "y", "lock_timeout": 5}})");
  CHECK(s.source.connect_timeout == 3);
  CHECK(s.source.lock_timeout == 30);
  CHECK(s.target.connect_timeout == 10);
  CHECK(s.target.lock_timeout == 5);
  // Without a target, the target is the source, its timeouts included.
  CHECK(parse_settings(R"({"source": {"lock_timeout": 7}})").target.lock_timeout == 7);
  for (const char *bad : {"0", "-1", "3601", "1.5", "\"10\""}) {
    CHECK(contains(config_error(std::string(R"({"source": {"connect_timeout": )") + bad + "}}"), "source.connect_timeout"));
    CHECK(contains(config_error(std::string(R"({"target": {"lock_timeout": )") + bad + "}}"), "target.lock_timeout"));
  }
}

TEST_CASE("the period grid is bounded: a far as_of is refused before anything grows") {
  Day first = parse_day("2020-01-01");
  // 4,000 days from 2020-01-01 end on 2030-12-13: the last grid that fits.
  CHECK(PeriodGrid(Granularity::day, first, parse_day("2030-12-13")).size() == 4000);
  CHECK_THROWS_AS(PeriodGrid(Granularity::day, first, parse_day("2030-12-14")), ConfigError);
  // 95,976 months
  const std::string msg =
      test::message_of<ConfigError>([&] { PeriodGrid(Granularity::month, first, parse_day("9999-12-31")); });
  INFO(msg);
  CHECK(contains(msg, "9999-12-31"));
  CHECK(contains(msg, "month"));
  CHECK(contains(msg, "earlier as_of or a coarser granularity"));
  CHECK_THROWS_AS(PeriodGrid(Granularity::year, first, parse_day("9999-12-31")), ConfigError);  // 7,980 years
  CHECK(PeriodGrid(Granularity::year, first, parse_day("2999-12-31")).size() == 980);
}

TEST_CASE("nightly: full_every_days 7, change_overlap_minutes 60, model_path beside the target by default") {
  const Settings d = parse_settings("{}");
  CHECK(d.nightly.full_every_days == 7);
  CHECK(d.nightly.change_overlap_minutes == 60);
  CHECK(d.nightly.model_path.empty());
  const Settings s = parse_settings(
      R"({"nightly": {"full_every_days": 1, "change_overlap_minutes": 0, "model_path": "/var/lib/cskpi/m"}})");
  CHECK(s.nightly.full_every_days == 1);
  CHECK(s.nightly.change_overlap_minutes == 0);
  CHECK(s.nightly.model_path == "/var/lib/cskpi/m");
}

TEST_CASE("nightly: bad values are configuration errors naming the key") {
  CHECK(contains(config_error(R"({"nightly": {"full_every_days": 0}})"), "nightly.full_every_days"));
  CHECK(contains(config_error(R"({"nightly": {"change_overlap_minutes": -1}})"), "nightly.change_overlap_minutes"));
  CHECK(contains(config_error(R"({"nightly": {"model_path": ""}})"), "nightly.model_path"));
  CHECK(contains(config_error(R"({"nightly": {"model_path": 3}})"), "nightly.model_path"));
  CHECK(contains(config_error(R"({"nightly": {"full_every_day": 3}})"), "nightly.full_every_day"));
}
