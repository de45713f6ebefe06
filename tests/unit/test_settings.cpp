// Configuration parsing (plugin/core/settings.cpp): source.parallel_reads.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/settings.hpp"

using namespace cskpi;

namespace {

std::string config_error(const std::string &json) {
  try {
    parse_settings(json);
  } catch (const ConfigError &e) {
    return e.what();
  }
  return "(no ConfigError)";
}

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

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
