#include "report/options.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"

namespace cskpi::report {
namespace json = boost::json;

const char *section_name(Section s) {
  switch (s) {
    case Section::headline: return "headline";
    case Section::flow: return "flow";
    case Section::revenue: return "revenue";
    case Section::cohorts: return "cohorts";
    case Section::support: return "support";
    case Section::voice: return "voice";
    case Section::health: return "health";
    case Section::clv: return "clv";
    case Section::quality: return "quality";
  }
  return "?";
}

namespace {

std::string known_sections() {
  std::string list;
  for (Section s : kAllSections) list += (list.empty() ? "" : ", ") + std::string(section_name(s));
  return list;
}

std::string text_of(const json::value &v, const std::string &key) {
  if (!v.is_string()) throw ConfigError("report option '" + key + "' must be a string");
  return std::string(v.get_string());
}

Lang parse_lang(const std::string &v) {
  if (v == "en") return Lang::en;
  if (v == "pt-BR" || v == "pt_BR" || v == "pt") return Lang::pt_br;
  throw ConfigError("report option 'lang': unknown language '" + v + "' (known: en, pt-BR)");
}

std::vector<Section> parse_sections(const json::value &v) {
  if (!v.is_array()) throw ConfigError("report option 'sections' must be an array of section names");
  std::vector<Section> out;
  for (const json::value &item : v.get_array()) {
    const std::string name = text_of(item, "sections");
    bool found = false;
    for (Section s : kAllSections)
      if (name == section_name(s)) out.push_back(s), found = true;
    if (!found)
      throw ConfigError("report option 'sections': unknown section '" + name + "' (known: " + known_sections() + ")");
  }
  return out;
}

}  // namespace

ReportOptions parse_report_options(const std::string &json_text) {
  ReportOptions o;
  if (json_text.empty()) return o;
  json::value root;
  try {
    root = json::parse(json_text);
  } catch (const std::exception &e) {
    throw ConfigError(std::string("report options are not valid JSON: ") + e.what());
  }
  if (!root.is_object()) throw ConfigError("report options must be a JSON object");
  for (const auto &kv : root.get_object()) {
    const std::string key(kv.key());
    const json::value &v = kv.value();
    if (key == "as_of") {
      try {
        o.as_of = parse_day(text_of(v, key));
      } catch (const std::invalid_argument &e) {
        throw ConfigError("report option 'as_of': " + std::string(e.what()));
      }
    } else if (key == "granularity") {
      o.granularity = parse_granularity(text_of(v, key));
    } else if (key == "segment") {
      o.segment = text_of(v, key);
    } else if (key == "lang") {
      o.lang = parse_lang(text_of(v, key));
    } else if (key == "sections") {
      o.sections = parse_sections(v);
    } else if (key == "run_id") {
      if (!v.is_int64()) throw ConfigError("report option 'run_id' must be a whole number");
      o.run_id = v.get_int64();
    } else {
      throw ConfigError("unknown report option '" + key + "' (known: as_of, granularity, segment, lang, sections, run_id)");
    }
  }
  return o;
}

}  // namespace cskpi::report
