// Host-side helpers over the C ABI: an owning wrapper for cskpi_result and
// small readers. Only abi/cskpi.h is used here.
#pragma once

#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "cskpi.h"

namespace cli {

// A failed ABI call: the status decides the exit code.
struct AbiFailure : std::runtime_error {
  cskpi_status status;
  AbiFailure(cskpi_status s, const std::string &message) : std::runtime_error(message), status(s) {}
};

struct ResultDeleter {
  void operator()(cskpi_result *r) const { cskpi_result_free(r); }
};
using ResultPtr = std::unique_ptr<cskpi_result, ResultDeleter>;

struct EngineDeleter {
  void operator()(cskpi_engine *e) const { cskpi_engine_close(e); }
};
using EnginePtr = std::unique_ptr<cskpi_engine, EngineDeleter>;

EnginePtr open_engine(const std::string &config_json);
ResultPtr compute(cskpi_engine *engine, const std::string &request_json);
// The HTML of cskpi_report for the options JSON.
std::string report_html(cskpi_engine *engine, const std::string &options_json);
// Writes text to path; throws std::runtime_error when it cannot.
void write_text(const std::string &path, const std::string &text);

// Column index by name; throws when the table has no such column.
int column(const cskpi_result *r, const std::string &name);
std::string text(const cskpi_result *r, std::int64_t row, int col);
std::optional<double> number(const cskpi_result *r, std::int64_t row, int col);

// Renders a result as an aligned text table (every column).
std::string render_table(const cskpi_result *r, std::int64_t max_rows = -1);
// A number as a person reads it: rates as %, counts without decimals.
std::string format_value(const std::string &kpi, std::optional<double> v);

}  // namespace cli
