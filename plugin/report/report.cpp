#include "report/report.hpp"

#include "engine/engine.hpp"
#include "report/html.hpp"

namespace cskpi::report {

std::string render_report(Engine &engine, const std::string &options_json) {
  const ReportOptions options = parse_report_options(options_json);
  const Day as_of = options.as_of != kNoDay ? options.as_of : resolve_as_of(engine.settings());
  const Granularity g = options.granularity.value_or(engine.settings().granularity);
  engine.progress("report", 0, 1);
  const ReportData data = collect_report_data(engine, as_of, g);
  std::string html = render_html(data, options);
  engine.progress("report", 1, 1);
  return html;
}

}  // namespace cskpi::report
