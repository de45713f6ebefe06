// The report page: one self-contained HTML document (inline CSS and SVG, no
// script, no font or image fetched; a Content-Security-Policy of
// default-src 'none' makes sure of it), light and dark through
// prefers-color-scheme, printable. Sections in sections.cpp.
#pragma once

#include <string>

#include "report/model.hpp"
#include "report/options.hpp"
#include "report/svg.hpp"

namespace cskpi::report {

// What every section reads: the segment's view, the options and the period
// axis of the window.
struct Page {
  const SegmentView &view;
  const ReportOptions &options;
  Lang lang;
  Granularity granularity;
  PeriodAxis axis;
  const char *t(std::string_view key) const { return tr(lang, key); }
  std::string period(int p) const;  // period_name of grid period p ("—" for -1)
  std::string iso(int p) const;     // its first day
};

std::string render_html(const ReportData &data, const ReportOptions &options);

// Sections (sections.cpp): each returns one <section>, or "" when it has
// nothing to show (clv without a clv table).
std::string headline_section(const Page &page);
std::string flow_section(const Page &page);
std::string revenue_section(const Page &page);
std::string cohorts_section(const Page &page);
std::string support_section(const Page &page);
std::string voice_section(const Page &page);
std::string health_section(const Page &page);
std::string clv_section(const Page &page);
std::string quality_section(const Page &page);

// Shared pieces.
std::string section_open(const Page &page, const char *id, const char *title_key);
std::string unavailable(const Page &page, const char *id, const char *title_key, const char *reason_key);
std::string table_html(const std::vector<std::string> &head, const std::vector<std::vector<std::string>> &rows,
                       const std::string &empty_text);

}  // namespace cskpi::report
