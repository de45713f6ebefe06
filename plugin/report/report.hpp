// cskpi_report (abi/cskpi.h): the customer-success report of one segment as
// one self-contained HTML document (docs/report.md).
#pragma once

#include <string>

namespace cskpi {
class Engine;
}

namespace cskpi::report {

// Parses the options (throws ConfigError naming a bad key or value), reads
// or reuses the engine's model for as_of and renders the page.
std::string render_report(Engine &engine, const std::string &options_json);

}  // namespace cskpi::report
