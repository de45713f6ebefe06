#include "export.hpp"

#include <charconv>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <xlsxwriter.h>

#include "result_view.hpp"

namespace cli {
namespace {

std::string shortest(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string field(const cskpi_result *r, std::int64_t row, int col) {
  if (cskpi_result_is_null(r, row, col)) return "";
  switch (cskpi_result_column_type(r, col)) {
    case CSKPI_TYPE_DOUBLE: return shortest(cskpi_result_double(r, row, col));
    case CSKPI_TYPE_INT64:
    case CSKPI_TYPE_BOOL: return std::to_string(cskpi_result_int64(r, row, col));
    default: return cskpi_result_text(r, row, col);
  }
}

std::string quoted(const std::string &s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct WorkbookCloser {
  void operator()(lxw_workbook *wb) const { workbook_close(wb); }
};

void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const cskpi_result *r, std::int64_t i, int c,
                lxw_format *date_format) {
  if (cskpi_result_is_null(r, i, c)) return;
  switch (cskpi_result_column_type(r, c)) {
    case CSKPI_TYPE_DOUBLE: worksheet_write_number(ws, row, col, cskpi_result_double(r, i, c), nullptr); break;
    case CSKPI_TYPE_INT64:
      worksheet_write_number(ws, row, col, static_cast<double>(cskpi_result_int64(r, i, c)), nullptr);
      break;
    case CSKPI_TYPE_BOOL: worksheet_write_boolean(ws, row, col, static_cast<int>(cskpi_result_int64(r, i, c)), nullptr); break;
    case CSKPI_TYPE_DATE: {
      int y = 0, m = 0, d = 0;
      std::sscanf(cskpi_result_text(r, i, c), "%d-%d-%d", &y, &m, &d);
      lxw_datetime dt{y, m, d, 0, 0, 0};
      worksheet_write_datetime(ws, row, col, &dt, date_format);
      break;
    }
    default: worksheet_write_string(ws, row, col, cskpi_result_text(r, i, c), nullptr);
  }
}

}  // namespace

std::string to_csv(const cskpi_result *r) {
  std::string out;
  const int cols = cskpi_result_column_count(r);
  for (int c = 0; c < cols; ++c) out += (c ? "," : "") + quoted(cskpi_result_column_name(r, c));
  out += "\r\n";
  for (std::int64_t i = 0; i < cskpi_result_row_count(r); ++i) {
    for (int c = 0; c < cols; ++c) out += (c ? "," : "") + quoted(field(r, i, c));
    out += "\r\n";
  }
  return out;
}

std::vector<std::string> table_names(cskpi_engine *engine) {
  cskpi_result *r = nullptr;
  // No table has an empty name: the answer is CSKPI_NOT_FOUND listing them all.
  if (cskpi_compute(engine, R"({"table":""})", &r) != CSKPI_NOT_FOUND) {
    cskpi_result_free(r);
    throw std::runtime_error("the library did not list its tables");
  }
  const std::string message = cskpi_engine_error(engine), marker = "(tables: ";
  const std::size_t from = message.find(marker), to = message.rfind(')');
  if (from == std::string::npos || to == std::string::npos || to < from)
    throw std::runtime_error("cannot read the table list from: " + message);
  std::vector<std::string> names;
  std::string list = message.substr(from + marker.size(), to - from - marker.size()) + ", ";
  for (std::size_t at = 0, comma; (comma = list.find(", ", at)) != std::string::npos; at = comma + 2)
    names.push_back(list.substr(at, comma - at));
  return names;
}

void write_xlsx(const std::string &path, const std::vector<const cskpi_result *> &results) {
  std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(path.c_str()));
  if (!wb) throw std::runtime_error("cannot create " + path);
  lxw_format *bold = workbook_add_format(wb.get());
  format_set_bold(bold);
  lxw_format *date_format = workbook_add_format(wb.get());
  format_set_num_format(date_format, "yyyy-mm-dd");
  for (const cskpi_result *r : results) {
    lxw_worksheet *ws = workbook_add_worksheet(wb.get(), cskpi_result_name(r));
    if (!ws) throw std::runtime_error(std::string("cannot add sheet ") + cskpi_result_name(r));
    const int cols = cskpi_result_column_count(r);
    for (int c = 0; c < cols; ++c)
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cskpi_result_column_name(r, c), bold);
    for (std::int64_t i = 0; i < cskpi_result_row_count(r); ++i)
      for (int c = 0; c < cols; ++c)
        write_cell(ws, static_cast<lxw_row_t>(i + 1), static_cast<lxw_col_t>(c), r, i, c, date_format);
    worksheet_freeze_panes(ws, 1, 0);
  }
  lxw_error err = workbook_close(wb.release());
  if (err != LXW_NO_ERROR) throw std::runtime_error("cannot write " + path + ": " + lxw_strerror(err));
}

}  // namespace cli
