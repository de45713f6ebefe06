// The demo command's pieces: the demo ERP file, its configuration, the
// printed KPI summary and the Markdown report.
#pragma once

#include <cstdint>
#include <string>

#include "cskpi.h"

namespace cli {

struct DemoRun {
  std::string db_path;
  std::string report_path;  // Markdown
  std::string html_path;    // the HTML report (cskpi_report)
  std::string lang = "en";  // of the HTML report
  std::int64_t run_id = 0;  // the nightly run the report shows
  std::string as_of;        // YYYY-MM-DD
  std::string granularity;  // month by default
  int customers = 2000;
  std::uint64_t seed = 42;
};

// Generates the demo ERP into db_path unless the file exists; false when it
// existed already.
bool ensure_demo_erp(const DemoRun &run);
// One day of activity (hosts/demo apply_demo_day) dated as_of, stamped now:
// what the next nightly run picks up incrementally (docs/nightly.md
// "Incremental runs").
void apply_demo_day(const DemoRun &run);
// Prints how nightly run run_id read the source: full or incremental (and
// why it fell back to full), and the rows read per source.
void print_run_mode(const DemoRun &run);
// Engine configuration JSON for the demo ERP (profile "demo").
std::string demo_config(const DemoRun &run);
// Prints the latest complete period next to the one before, the health and
// ticket summaries, and writes the Markdown and HTML reports.
void print_demo(cskpi_engine *engine, const DemoRun &run);

}  // namespace cli
