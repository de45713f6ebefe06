#include "core/settings.hpp"

#include <chrono>
#include <cstdio>
#include <set>

#include <boost/json.hpp>

#include "core/dialect.hpp"
#include "core/errors.hpp"
#include "core/timezone.hpp"

namespace cskpi {
namespace json = boost::json;

namespace {

// Rejects keys the configuration does not know: a typo must not silently
// fall back to a default.
void check_keys(const json::object &o, const std::set<std::string> &allowed, const std::string &where) {
  for (const auto &kv : o) {
    std::string key(kv.key());
    if (!allowed.count(key)) {
      std::string list;
      for (const auto &a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw ConfigError("unknown configuration key '" + where + key + "' (known here: " + list + ")");
    }
  }
}

const json::object &as_object(const json::value &v, const std::string &key) {
  if (!v.is_object()) throw ConfigError("configuration key '" + key + "' must be an object");
  return v.get_object();
}

std::string as_string(const json::value &v, const std::string &key) {
  if (!v.is_string()) throw ConfigError("configuration key '" + key + "' must be a string");
  return std::string(v.get_string());
}

double as_number(const json::value &v, const std::string &key) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  throw ConfigError("configuration key '" + key + "' must be a number");
}

int as_int(const json::value &v, const std::string &key, int min, int max) {
  if (!v.is_int64()) throw ConfigError("configuration key '" + key + "' must be an integer");
  auto n = v.get_int64();
  if (n < min || n > max)
    throw ConfigError("configuration key '" + key + "' must be between " + std::to_string(min) + " and " +
                      std::to_string(max) + " (got " + std::to_string(n) + ")");
  return static_cast<int>(n);
}

Day as_day(const json::value &v, const std::string &key) {
  std::string text = as_string(v, key);
  try {
    return parse_day(text);
  } catch (const std::invalid_argument &e) {
    throw ConfigError("configuration key '" + key + "': " + e.what());
  }
}

bool is_word(const std::string &s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// "source.parameters": {"name": "value", ...}, both matching ^[A-Za-z0-9_]+$.
std::map<std::string, std::string> parse_parameters(const json::value &v) {
  std::map<std::string, std::string> out;
  for (const auto &kv : as_object(v, "source.parameters")) {
    std::string name(kv.key()), key = "source.parameters." + name;
    if (!is_word(name))
      throw ConfigError("configuration key '" + key + "': a parameter name may only hold letters, digits and _");
    std::string value = as_string(kv.value(), key);
    if (!is_word(value))
      throw ConfigError("configuration key '" + key + "': a parameter value may only hold letters, digits and _ (got '" +
                        value + "')");
    out[name] = value;
  }
  return out;
}

SourceSettings parse_source(const json::object &o, const std::string &where) {
  check_keys(o, {"backend", "connection", "profile", "parameters", "parallel_reads", "connect_timeout", "lock_timeout"},
             where);
  for (const char *key : {"parameters", "parallel_reads"})
    if (o.if_contains(key) && where != "source.")
      throw ConfigError("configuration key '" + where + key + "' is only meaningful under 'source'");
  SourceSettings s;
  if (auto *v = o.if_contains("backend")) s.backend = as_string(*v, where + "backend");
  if (!find_dialect(s.backend))
    throw ConfigError("configuration key '" + where + "backend' must be " + dialect_choices() + " (got '" + s.backend +
                      "')");
  if (auto *v = o.if_contains("connection")) s.connection = as_string(*v, where + "connection");
  if (auto *v = o.if_contains("profile")) s.profile = as_string(*v, where + "profile");
  if (auto *v = o.if_contains("connect_timeout")) s.connect_timeout = as_int(*v, where + "connect_timeout", 1, 3600);
  if (auto *v = o.if_contains("lock_timeout")) s.lock_timeout = as_int(*v, where + "lock_timeout", 1, 3600);
  return s;
}

// Strict "HH:MM" (two digits each, 00:00..23:59, "24:00" allowed as an
// end) -> minutes after midnight. Signs, spaces and one-digit hours are
// refused: the value must mean exactly one thing.
int parse_clock(const std::string &text, const std::string &key) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    throw ConfigError("configuration key '" + key + "': time must be HH:MM (got '" + text + "')");
  int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0))
    throw ConfigError("configuration key '" + key + "': bad time '" + text + "' (00:00 to 23:59, or 24:00 as an end)");
  return h * 60 + m;
}

void default_week(WorkCalendar &c) {
  for (int d = 1; d <= 5; ++d) c.week[d] = {{8 * 60, 18 * 60}};
}

void parse_week(const json::object &o, WorkCalendar &c) {
  static const char *names[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::set<std::string> allowed(names + 1, names + 8);
  check_keys(o, allowed, "calendar.week.");
  for (auto &d : c.week) d.clear();
  for (int d = 1; d <= 7; ++d) {
    auto *v = o.if_contains(names[d]);
    if (!v) continue;
    std::string key = std::string("calendar.week.") + names[d];
    if (!v->is_array()) throw ConfigError("configuration key '" + key + "' must be an array of [\"HH:MM\", \"HH:MM\"]");
    for (const auto &iv : v->get_array()) {
      if (!iv.is_array() || iv.get_array().size() != 2)
        throw ConfigError("configuration key '" + key + "' must be an array of [\"HH:MM\", \"HH:MM\"]");
      int b = parse_clock(as_string(iv.get_array()[0], key), key);
      int e = parse_clock(as_string(iv.get_array()[1], key), key);
      if (e <= b) throw ConfigError("configuration key '" + key + "': an interval must end after it begins");
      c.week[d].push_back({b, e});
    }
  }
  // A week without one working minute would make every business-hours
  // duration undefined; "the default" must be asked for by leaving 'week' out.
  bool any = false;
  for (int d = 1; d <= 7; ++d) any = any || !c.week[d].empty();
  if (!any)
    throw ConfigError("configuration key 'calendar.week' gives no working hours; list at least one day's intervals, "
                      "or leave 'week' out for the default Monday-Friday 08:00-18:00");
}

void parse_calendar(const json::object &o, WorkCalendar &c) {
  check_keys(o, {"week", "holidays", "holiday_sets"}, "calendar.");
  if (auto *v = o.if_contains("week")) parse_week(as_object(*v, "calendar.week"), c);
  if (auto *v = o.if_contains("holidays")) {
    if (!v->is_array()) throw ConfigError("configuration key 'calendar.holidays' must be an array of dates");
    for (const auto &h : v->get_array()) c.holidays.push_back(as_day(h, "calendar.holidays"));
  }
  if (auto *v = o.if_contains("holiday_sets")) {
    if (!v->is_array()) throw ConfigError("configuration key 'calendar.holiday_sets' must be an array");
    for (const auto &h : v->get_array()) {
      std::string name = as_string(h, "calendar.holiday_sets");
      if (name != "BR") throw ConfigError("unknown holiday set '" + name + "' (built in: BR)");
      c.brazil_holidays = true;
    }
  }
}

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// A number within [min, max] (finite by construction: JSON has no inf/nan,
// but 1e400 parses as one).
double as_number_in(const json::value &v, const std::string &key, double min, double max) {
  double x = as_number(v, key);
  if (!(x >= min && x <= max))
    throw ConfigError("configuration key '" + key + "' must be between " + number_text(min) + " and " +
                      number_text(max) + " (got " + number_text(x) + ")");
  return x;
}

// Component scores and bands are on docs/kpis.md §10's 0..100 scale; weights are
// shares, renormalised over the components present, so 0..1 each.
void parse_health(const json::object &o, HealthSettings &h) {
  check_keys(o, {"weights", "healthy_min", "attention_min", "support_divisor", "voice_none", "voice_passive"}, "health.");
  if (auto *v = o.if_contains("weights")) {
    const auto &w = as_object(*v, "health.weights");
    check_keys(w, {"recency", "frequency", "monetary", "support", "voice", "payment", "p_alive"}, "health.weights.");
    auto weight = [&](const char *name, double &out) {
      if (auto *x = w.if_contains(name)) out = as_number_in(*x, std::string("health.weights.") + name, 0, 1);
    };
    weight("recency", h.w_recency);
    weight("frequency", h.w_frequency);
    weight("monetary", h.w_monetary);
    weight("support", h.w_support);
    weight("voice", h.w_voice);
    weight("payment", h.w_payment);
    weight("p_alive", h.w_p_alive);
  }
  if (auto *v = o.if_contains("healthy_min")) h.healthy_min = as_number_in(*v, "health.healthy_min", 0, 100);
  if (auto *v = o.if_contains("attention_min")) h.attention_min = as_number_in(*v, "health.attention_min", 0, 100);
  if (auto *v = o.if_contains("support_divisor")) h.support_divisor = as_int(*v, "health.support_divisor", 1, 1000000);
  if (auto *v = o.if_contains("voice_none")) h.voice_none = as_number_in(*v, "health.voice_none", 0, 100);
  if (auto *v = o.if_contains("voice_passive")) h.voice_passive = as_number_in(*v, "health.voice_passive", 0, 100);
  if (h.attention_min > h.healthy_min) throw ConfigError("health.attention_min must not exceed health.healthy_min");
}

// One of two words: returns whether it is `second`.
bool choice(const json::value &v, const std::string &key, const char *first, const char *second) {
  std::string word = as_string(v, key);
  if (word != first && word != second)
    throw ConfigError("configuration key '" + key + "' must be " + first + " or " + second + " (got '" + word + "')");
  return word == second;
}

// docs/kpis.md §13 and docs/configuration.md "clv".
void parse_clv(const json::object &o, ClvSettings &c) {
  check_keys(o, {"time_unit", "horizon_days", "months", "discount_rate", "holdout_days", "forecast_periods",
                 "min_customers", "at_risk_below", "fit", "cohorts"},
             "clv.");
  if (auto *v = o.if_contains("time_unit")) c.days_per_unit = choice(*v, "clv.time_unit", "week", "day") ? 1 : 7;
  if (auto *v = o.if_contains("horizon_days")) c.horizon_days = as_int(*v, "clv.horizon_days", 1, 3650);
  if (auto *v = o.if_contains("months")) c.months = as_int(*v, "clv.months", 1, 120);
  if (auto *v = o.if_contains("discount_rate")) c.discount_rate = as_number_in(*v, "clv.discount_rate", 0, 1);
  if (auto *v = o.if_contains("holdout_days")) c.holdout_days = as_int(*v, "clv.holdout_days", 1, 3650);
  if (auto *v = o.if_contains("forecast_periods")) c.forecast_periods = as_int(*v, "clv.forecast_periods", 1, 120);
  if (auto *v = o.if_contains("min_customers")) c.min_customers = as_int(*v, "clv.min_customers", 2, 100000000);
  if (auto *v = o.if_contains("at_risk_below")) c.at_risk_below = as_number_in(*v, "clv.at_risk_below", 0, 1);
  if (auto *v = o.if_contains("fit")) c.by_segment = choice(*v, "clv.fit", "overall", "segment");
  if (auto *v = o.if_contains("cohorts")) c.sbg_pooled = choice(*v, "clv.cohorts", "each", "pooled");
}

// docs/configuration.md "nightly" and docs/nightly.md "Incremental runs".
void parse_nightly(const json::object &o, NightlySettings &n) {
  check_keys(o, {"full_every_days", "change_overlap_minutes", "model_path"}, "nightly.");
  if (auto *v = o.if_contains("full_every_days")) n.full_every_days = as_int(*v, "nightly.full_every_days", 1, 3650);
  if (auto *v = o.if_contains("change_overlap_minutes"))
    n.change_overlap_minutes = as_int(*v, "nightly.change_overlap_minutes", 0, 10080);
  if (auto *v = o.if_contains("model_path")) {
    n.model_path = as_string(*v, "nightly.model_path");
    if (n.model_path.empty()) throw ConfigError("configuration key 'nightly.model_path' must not be empty");
  }
}

void parse_mode(const json::object &root, const char *key, bool &subscriptions, const char *other) {
  auto *v = root.if_contains(key);
  if (!v) return;
  const auto &o = as_object(*v, key);
  check_keys(o, {"mode"}, std::string(key) + ".");
  if (auto *m = o.if_contains("mode")) {
    std::string mode = as_string(*m, std::string(key) + ".mode");
    if (mode != other && mode != "subscriptions")
      throw ConfigError(std::string("configuration key '") + key + ".mode' must be " + other + " or subscriptions");
    subscriptions = mode == "subscriptions";
  }
}

}  // namespace

Settings parse_settings(const std::string &json_text) {
  json::value root;
  try {
    root = json::parse(json_text.empty() ? std::string("{}") : json_text);
  } catch (const std::exception &e) {
    throw ConfigError(std::string("configuration is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw ConfigError("configuration must be a JSON object");
  const auto &o = root.get_object();
  check_keys(o,
             {"source", "target", "timezone", "timestamps", "as_of", "granularity", "inactivity_days",
              "activation_days", "upsell_threshold", "csat_scale", "ces_scale", "activity", "revenue", "sla_hours",
              "calendar", "health", "clv", "nightly"},
             "");
  Settings s;
  default_week(s.calendar);
  if (auto *v = o.if_contains("source")) {
    s.source = parse_source(as_object(*v, "source"), "source.");
    if (auto *p = v->get_object().if_contains("parameters")) s.source_parameters = parse_parameters(*p);
    if (auto *p = v->get_object().if_contains("parallel_reads"))
      s.source_parallel_reads = as_int(*p, "source.parallel_reads", 1, 2);
  }
  s.target = s.source;
  if (auto *v = o.if_contains("target")) {
    s.target = parse_source(as_object(*v, "target"), "target.");
    s.target_given = true;
  }
  if (auto *v = o.if_contains("timezone")) s.timezone = as_string(*v, "timezone");
  TimeZone check_zone(s.timezone);  // unknown zones fail here, at open time
  if (auto *v = o.if_contains("timestamps")) {
    std::string t = as_string(*v, "timestamps");
    if (t != "utc" && t != "local") throw ConfigError("configuration key 'timestamps' must be utc or local");
    s.timestamps_local = t == "local";
  }
  if (auto *v = o.if_contains("as_of")) s.as_of = as_day(*v, "as_of");
  if (auto *v = o.if_contains("granularity")) s.granularity = parse_granularity(as_string(*v, "granularity"));
  if (auto *v = o.if_contains("inactivity_days")) s.inactivity_days = as_int(*v, "inactivity_days", 1, 3650);
  if (auto *v = o.if_contains("activation_days")) s.activation_days = as_int(*v, "activation_days", 0, 3650);
  if (auto *v = o.if_contains("upsell_threshold")) {
    s.upsell_threshold = as_number(*v, "upsell_threshold");
    if (s.upsell_threshold < 0) throw ConfigError("configuration key 'upsell_threshold' must be >= 0");
  }
  if (auto *v = o.if_contains("csat_scale")) {
    s.csat_scale = as_int(*v, "csat_scale", 5, 7);
    if (s.csat_scale == 6) throw ConfigError("configuration key 'csat_scale' must be 5 or 7");
  }
  if (auto *v = o.if_contains("ces_scale")) s.ces_scale = as_int(*v, "ces_scale", 2, 100);
  bool subs = false;
  parse_mode(o, "activity", subs, "orders");
  s.activity_mode = subs ? ActivityMode::subscriptions : ActivityMode::orders;
  subs = false;
  parse_mode(o, "revenue", subs, "invoices");
  s.revenue_mode = subs ? RevenueMode::subscriptions : RevenueMode::invoices;
  if (auto *v = o.if_contains("sla_hours")) {
    for (const auto &kv : as_object(*v, "sla_hours")) {
      std::string key = "sla_hours." + std::string(kv.key());
      double h = as_number(kv.value(), key);
      if (h <= 0) throw ConfigError("configuration key '" + key + "' must be > 0 hours");
      s.sla_hours[std::string(kv.key())] = h;
    }
  }
  if (auto *v = o.if_contains("calendar")) parse_calendar(as_object(*v, "calendar"), s.calendar);
  if (auto *v = o.if_contains("health")) parse_health(as_object(*v, "health"), s.health);
  if (auto *v = o.if_contains("clv")) parse_clv(as_object(*v, "clv"), s.clv);
  if (auto *v = o.if_contains("nightly")) parse_nightly(as_object(*v, "nightly"), s.nightly);
  return s;
}

Day resolve_as_of(const Settings &s, Day requested) {
  if (requested != kNoDay) return requested;
  if (s.as_of != kNoDay) return s.as_of;
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  TimeZone zone(s.timezone);
  return zone.local_day(now.time_since_epoch().count()) - 1;
}

}  // namespace cskpi
