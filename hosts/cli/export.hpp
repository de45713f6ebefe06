// Tables out of the cskpi command for spreadsheets: CSV (RFC 4180) and XLSX
// (one sheet per table, Debian's libxlsxwriter).
#pragma once

#include <string>
#include <vector>

#include "cskpi.h"

namespace cli {

// RFC 4180: a header row, CRLF line ends, fields with a comma, quote, CR or
// LF quoted with quotes doubled; null cells empty; reals in the shortest
// text that reads back to the same double.
std::string to_csv(const cskpi_result *r);

// The library's tables in its own order, as its unknown-table error lists
// them (abi/cskpi.h: cskpi_compute), so the command never keeps a copy.
std::vector<std::string> table_names(cskpi_engine *engine);

// Writes one worksheet per result, named after it; dates as Excel dates.
void write_xlsx(const std::string &path, const std::vector<const cskpi_result *> &results);

}  // namespace cli
