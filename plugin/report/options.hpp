// The options JSON of cskpi_report (abi/cskpi.h, docs/report.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "report/i18n.hpp"

namespace cskpi::report {

// The report's sections, in page order. clv renders only when the library
// has a `clv` table (sections.cpp's clv_section).
enum class Section { headline, flow, revenue, cohorts, support, voice, health, clv, quality };
inline constexpr Section kAllSections[] = {Section::headline, Section::flow,   Section::revenue,
                                           Section::cohorts,  Section::support, Section::voice,
                                           Section::health,   Section::clv,     Section::quality};
const char *section_name(Section s);

struct ReportOptions {
  Day as_of = kNoDay;                      // kNoDay: the configured one (or yesterday)
  std::optional<Granularity> granularity;  // default: the configured one
  std::string segment = "all";             // "all" or one customer segment
  Lang lang = Lang::en;
  std::vector<Section> sections{std::begin(kAllSections), std::end(kAllSections)};
  std::optional<std::int64_t> run_id;      // shown in the footer (the nightly run the numbers belong to)
};

// Throws ConfigError naming the key (and the value) of anything it cannot use.
ReportOptions parse_report_options(const std::string &json_text);

}  // namespace cskpi::report
