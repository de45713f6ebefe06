#include "result_view.hpp"

#include <fstream>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace cli {

EnginePtr open_engine(const std::string &config_json) {
  cskpi_engine *e = nullptr;
  cskpi_status st = cskpi_engine_open(config_json.c_str(), &e);
  if (st != CSKPI_OK) throw AbiFailure(st, cskpi_last_error());
  return EnginePtr(e);
}

ResultPtr compute(cskpi_engine *engine, const std::string &request_json) {
  cskpi_result *r = nullptr;
  cskpi_status st = cskpi_compute(engine, request_json.c_str(), &r);
  if (st != CSKPI_OK) throw AbiFailure(st, cskpi_engine_error(engine));
  return ResultPtr(r);
}

std::string report_html(cskpi_engine *engine, const std::string &options_json) {
  cskpi_result *r = nullptr;
  cskpi_status st = cskpi_report(engine, options_json.c_str(), &r);
  if (st != CSKPI_OK) throw AbiFailure(st, cskpi_engine_error(engine));
  ResultPtr owned(r);
  return cskpi_result_text(r, 0, 0);
}

void write_text(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

int column(const cskpi_result *r, const std::string &name) {
  for (int32_t c = 0; c < cskpi_result_column_count(r); ++c)
    if (name == cskpi_result_column_name(r, c)) return c;
  throw std::runtime_error("result " + std::string(cskpi_result_name(r)) + " has no column " + name);
}

std::string text(const cskpi_result *r, std::int64_t row, int col) {
  if (cskpi_result_is_null(r, row, col)) return "";
  switch (cskpi_result_column_type(r, col)) {
    case CSKPI_TYPE_TEXT:
    case CSKPI_TYPE_DATE: return cskpi_result_text(r, row, col);
    case CSKPI_TYPE_INT64: return std::to_string(cskpi_result_int64(r, row, col));
    case CSKPI_TYPE_BOOL: return cskpi_result_int64(r, row, col) ? "true" : "false";
    case CSKPI_TYPE_DOUBLE: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.4g", cskpi_result_double(r, row, col));
      return buf;
    }
  }
  return "";
}

std::optional<double> number(const cskpi_result *r, std::int64_t row, int col) {
  if (cskpi_result_is_null(r, row, col)) return std::nullopt;
  return cskpi_result_double(r, row, col);
}

std::string render_table(const cskpi_result *r, std::int64_t max_rows) {
  int32_t cols = cskpi_result_column_count(r);
  std::int64_t rows = cskpi_result_row_count(r);
  if (max_rows >= 0) rows = std::min(rows, max_rows);
  std::vector<std::vector<std::string>> cells(static_cast<std::size_t>(rows) + 1);
  std::vector<std::size_t> width(static_cast<std::size_t>(cols), 0);
  for (int32_t c = 0; c < cols; ++c) cells[0].push_back(cskpi_result_column_name(r, c));
  for (std::int64_t i = 0; i < rows; ++i)
    for (int32_t c = 0; c < cols; ++c) cells[static_cast<std::size_t>(i) + 1].push_back(text(r, i, c));
  for (const auto &row : cells)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    for (std::size_t c = 0; c < cells[i].size(); ++c) {
      out += cells[i][c];
      if (c + 1 < cells[i].size()) out += std::string(width[c] - cells[i][c].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

std::string format_value(const std::string &kpi, std::optional<double> v) {
  if (!v) return "-";
  char buf[64];
  bool is_rate = kpi.find("rate") != std::string::npos || kpi == "nrr" || kpi == "grr" || kpi == "active_ratio";
  bool is_count = kpi.rfind("customers_", 0) == 0 || kpi == "orders" || kpi == "buyers" || kpi.rfind("tickets_", 0) == 0 ||
                  kpi == "backlog_end" || kpi.rfind("nps_", 0) == 0 || kpi.find("_answers") != std::string::npos;
  if (kpi == "tickets_per_100_active") is_count = false;
  if (is_rate)
    std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100);
  else if (is_count)
    std::snprintf(buf, sizeof buf, "%.0f", *v);
  else
    std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
}

}  // namespace cli
