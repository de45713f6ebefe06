#include "nightly/options.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/errors.hpp"

namespace cskpi {
namespace json = boost::json;
namespace {

json::object parse_object(const std::string &text) {
  json::value root;
  try {
    root = json::parse(text.empty() ? std::string("{}") : text);
  } catch (const std::exception &e) {
    throw ConfigError(std::string("nightly options are not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw ConfigError("nightly options must be a JSON object");
  return root.get_object();
}

Day parse_as_of(const json::value &v) {
  if (!v.is_string()) throw ConfigError("nightly option 'as_of' must be a date string (YYYY-MM-DD)");
  try {
    return parse_day(std::string(v.get_string()));
  } catch (const std::invalid_argument &e) {
    throw ConfigError(std::string("nightly option 'as_of': ") + e.what());
  }
}

std::vector<Granularity> parse_granularities(const json::value &v) {
  if (!v.is_array() || v.get_array().empty())
    throw ConfigError("nightly option 'granularities' must be a non-empty array of granularity names");
  std::vector<Granularity> out;
  for (const auto &item : v.get_array()) {
    if (!item.is_string()) throw ConfigError("nightly option 'granularities' must hold strings");
    Granularity g = parse_granularity(std::string(item.get_string()));
    // A repeated name would write the same rows twice.
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  }
  return out;
}

int parse_lookback(const json::value &v) {
  constexpr std::int64_t kMax = 100000;
  if (!v.is_int64() || v.get_int64() < 1 || v.get_int64() > kMax)
    throw ConfigError("nightly option 'lookback_periods' must be a whole number from 1 to " + std::to_string(kMax));
  return static_cast<int>(v.get_int64());
}

bool parse_full(const json::value &v) {
  if (!v.is_bool()) throw ConfigError("nightly option 'full' must be true or false");
  return v.get_bool();
}

}  // namespace

NightlyOptions parse_nightly_options(const std::string &json_text, const Settings &settings) {
  NightlyOptions o;
  for (const auto &kv : parse_object(json_text)) {
    std::string key(kv.key());
    if (key == "as_of") o.as_of = parse_as_of(kv.value());
    else if (key == "granularities") o.granularities = parse_granularities(kv.value());
    else if (key == "lookback_periods") o.lookback_periods = parse_lookback(kv.value());
    else if (key == "full") o.full = parse_full(kv.value());
    else throw ConfigError("unknown nightly option '" + key + "' (known: as_of, granularities, lookback_periods, full)");
  }
  o.as_of = resolve_as_of(settings, o.as_of);
  if (o.granularities.empty()) o.granularities.push_back(settings.granularity);
  return o;
}

}  // namespace cskpi
