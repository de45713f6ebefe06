// cskpi check-profile: the first command an integrator runs against a new
// configuration. It asks the plugin for the "profile_check" table (every
// source of the profile read on its own, at most --limit rows) and prints it
// for a person: a summary table, then the findings of each source in words.
// Exit code 3 when a mandatory source (customers, order_lines) is broken or
// missing, so scripts can stop there; 0 otherwise (docs/cli.md).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "commands.hpp"
#include "result_view.hpp"

namespace cli {
namespace json = boost::json;

namespace {

void warnings_to_stderr(void *, int level, const char *message) {
  if (level >= CSKPI_LOG_WARNING) std::fprintf(stderr, "cskpi: %s\n", message);
}

// "profile 'odoo' on postgresql", from the configuration text (best effort:
// the plugin has already accepted the configuration when this runs).
std::string describe_source(const std::string &config) {
  std::string profile = "canonical", backend = "sqlite3";
  try {
    auto v = json::parse(config);
    if (auto *src = v.as_object().if_contains("source"); src && src->is_object()) {
      if (auto *p = src->as_object().if_contains("profile"); p && p->is_string()) profile = std::string(p->as_string());
      if (auto *b = src->as_object().if_contains("backend"); b && b->is_string()) backend = std::string(b->as_string());
    }
  } catch (const std::exception &) {
  }
  return "profile '" + profile + "' on " + backend;
}

std::string percent(const cskpi_result *r, std::int64_t row, int col) {
  auto v = number(r, row, col);
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, *v > 0 && *v < 0.001 ? "%.2f%%" : "%.1f%%", *v * 100);
  return buf;
}

// Text wrapped at `width` columns, continuation lines indented by `indent`.
std::string wrap(const std::string &text, std::size_t indent, std::size_t width) {
  std::string out, line;
  std::size_t pos = 0;
  auto flush = [&] {
    if (!out.empty()) out += "\n" + std::string(indent, ' ');
    out += line;
    line.clear();
  };
  while (pos < text.size()) {
    auto space = text.find(' ', pos);
    std::string word = text.substr(pos, space == std::string::npos ? std::string::npos : space - pos);
    pos = space == std::string::npos ? text.size() : space + 1;
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) flush();
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) flush();
  return out;
}

}  // namespace

int cmd_check_profile(const std::vector<std::string> &args) {
  auto o = parse_options(args, {"config", "limit", "as-of"}, {"json"});
  if (!o.has("config")) throw UsageError("check-profile needs --config FILE");
  long long limit = 1000;
  if (o.has("limit")) {
    try {
      std::size_t used = 0;
      limit = std::stoll(o.get("limit"), &used);
      if (used != o.get("limit").size() || limit < 1) throw std::invalid_argument("limit");
    } catch (const std::exception &) {
      throw UsageError("--limit needs a whole number of rows >= 1");
    }
  }
  std::string config = read_file(o.get("config"));
  auto engine = open_engine(config);
  cskpi_engine_set_log(engine.get(), warnings_to_stderr, nullptr);
  json::object request{{"table", "profile_check"}, {"limit", limit}};
  if (o.has("as-of")) request["as_of"] = o.get("as-of");
  auto result = compute(engine.get(), json::serialize(request));
  const cskpi_result *r = result.get();

  int c_source = column(r, "source"), c_status = column(r, "status"), c_mandatory = column(r, "mandatory");
  int c_rows = column(r, "rows"), c_cnull = column(r, "customer_id_null_rate"), c_dnull = column(r, "date_null_rate");
  int c_min = column(r, "min_date"), c_max = column(r, "max_date"), c_findings = column(r, "findings");
  std::int64_t n = cskpi_result_row_count(r);

  std::vector<std::string> blocking;
  for (std::int64_t i = 0; i < n; ++i)
    if (text(r, i, c_mandatory) == "true" && text(r, i, c_status) != "ok") blocking.push_back(text(r, i, c_source));
  int code = blocking.empty() ? 0 : 3;

  if (o.has("json")) {
    std::printf("%s\n", cskpi_result_json(result.get()));
    return code;
  }

  std::vector<std::vector<std::string>> cells{
      {"source", "status", "mandatory", "rows", "customer_id null", "date null", "dates"}};
  for (std::int64_t i = 0; i < n; ++i) {
    std::string dates = text(r, i, c_min).empty() ? "-" : text(r, i, c_min) + " .. " + text(r, i, c_max);
    std::string rows = text(r, i, c_rows);
    cells.push_back({text(r, i, c_source), text(r, i, c_status), text(r, i, c_mandatory) == "true" ? "yes" : "no",
                     rows.empty() ? "-" : rows, percent(r, i, c_cnull), percent(r, i, c_dnull), dates});
  }
  std::vector<std::size_t> width(cells[0].size(), 0);
  for (const auto &row : cells)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());

  std::printf("%s, first %lld rows of each source\n\n", describe_source(config).c_str(), limit);
  for (const auto &row : cells) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      bool right = c == 3 || c == 4 || c == 5;
      std::string pad(width[c] - row[c].size(), ' ');
      line += right ? pad + row[c] : row[c] + (c + 1 < row.size() ? pad : "");
      if (c + 1 < row.size()) line += "  ";
    }
    std::printf("%s\n", line.c_str());
  }
  std::printf("\n");
  for (std::int64_t i = 0; i < n; ++i) {
    std::string head = text(r, i, c_source) + ": ";
    std::printf("%s\n", wrap(head + text(r, i, c_findings), 2, 100).c_str());
  }
  std::printf("\n");
  if (blocking.empty()) {
    std::printf("The mandatory sources can be read: `cskpi compute --config %s` will run.\n", o.get("config").c_str());
  } else {
    std::string list;
    for (const auto &b : blocking) list += (list.empty() ? "" : " and ") + b;
    std::printf("%s %s mandatory and cannot be read: a run would fail. Fix %s and check again.\n", list.c_str(),
                blocking.size() == 1 ? "is" : "are", blocking.size() == 1 ? "it" : "them");
  }
  return code;
}

}  // namespace cli
