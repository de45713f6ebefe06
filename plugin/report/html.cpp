#include "report/html.hpp"

#include "core/errors.hpp"

namespace cskpi::report {
namespace {

// Light by default, dark when the reader's system asks for it, light again
// on paper. Series colours c1..c6 keep their order in both schemes.
constexpr const char *kCss = R"css(
:root{--bg:#ffffff;--fg:#1c2430;--muted:#5a6472;--line:#dfe3e8;--card:#f5f7fa;--good:#13754a;--bad:#b42318;
--c1:#2563c9;--c2:#0f9d8a;--c3:#7c4dcc;--c4:#c98a00;--c5:#e0661b;--c6:#c8283a;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#12161c;--fg:#e5e9ef;--muted:#9aa4b1;--line:#2b323c;--card:#1b2028;
--good:#46c28a;--bad:#ff6b5e;--c1:#6a9dff;--c2:#39cdb7;--c3:#b08cff;--c4:#f2bf3a;--c5:#ff9354;--c6:#ff6478}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#ccc;--card:#f3f3f3;--good:#0b6b3a;--bad:#a1140a;
--c1:#2563c9;--c2:#0f9d8a;--c3:#7c4dcc;--c4:#c98a00;--c5:#e0661b;--c6:#c8283a}section,figure,.card{break-inside:avoid}
body{max-width:none}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1280px;padding:20px 28px;background:var(--bg);color:var(--fg);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:16px 0 6px}.sub,.note{color:var(--muted)}.note{font-size:12.5px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
.card{background:var(--card);border-radius:8px;padding:10px 12px}.card .k{font-size:12.5px;color:var(--muted)}
.card .v{font-size:24px;font-weight:650;margin:2px 0}.card .d{font-size:12.5px}.card .when{font-size:11.5px;color:var(--muted)}
.good{color:var(--good)}.bad{color:var(--bad)}.flat{color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:14px 22px}
figure{margin:0}figcaption{font-weight:600;font-size:13.5px;margin-bottom:2px}svg{width:100%;height:auto;display:block}
svg text{fill:var(--fg);font-size:11px}svg .tick,svg .unit{fill:var(--muted)}svg .unit{font-size:10.5px;font-style:italic}
svg .grid{stroke:var(--line);stroke-width:1}svg .zero{stroke:var(--muted);stroke-width:1}
svg .line{fill:none;stroke-width:2}
.c1{fill:var(--c1);stroke:var(--c1)}.c2{fill:var(--c2);stroke:var(--c2)}.c3{fill:var(--c3);stroke:var(--c3)}
.c4{fill:var(--c4);stroke:var(--c4)}.c5{fill:var(--c5);stroke:var(--c5)}.c6{fill:var(--c6);stroke:var(--c6)}
path.line{fill:none}rect.mark{stroke:none}circle.mark{stroke:var(--bg);stroke-width:1}
rect.heat{fill:var(--c1)}svg text.cell{font-size:10px}svg text.cell.on{fill:#fff}
svg.share{max-width:640px;margin:4px 0 8px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 10px}th,td{padding:3px 10px 3px 0;text-align:left;
border-bottom:1px solid var(--line)}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td b{color:var(--bad)}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:10px 28px}
footer{margin-top:30px;padding-top:8px;border-top:1px solid var(--line);color:var(--muted);font-size:12px}
)css";

std::string head(const Page &page) {
  const std::string title = std::string(page.t("title")) + " — " + page.period(static_cast<int>(page.view.current()));
  return "<!DOCTYPE html>\n<html lang=\"" + std::string(page.lang == Lang::en ? "en" : "pt-BR") +
         "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
         "<meta name=\"color-scheme\" content=\"light dark\"><title>" +
         escape(title) + "</title><style>" + kCss + "</style></head><body>";
}

std::string heading(const Page &page) {
  const SegmentView &v = page.view;
  const std::string segment = v.segment() == "all" ? page.t("all") : v.segment();
  std::string out = "<header><h1>" + escape(page.t("title")) + "</h1><div class=\"sub\">" + escape(page.t("segment")) +
                    ": <b>" + escape(segment) + "</b> · " + escape(page.t("latest_complete")) + ": <b>" +
                    escape(page.period(static_cast<int>(v.current()))) + "</b> · " + escape(page.t("as_of")) + " " +
                    escape(day_name(v.data().as_of, page.lang)) + "</div>";
  if (v.has_partial()) out += "<div class=\"note\">" + escape(page.t("partial_note")) + "</div>";
  return out + "</header>";
}

std::string footer(const Page &page) {
  const ReportData &d = page.view.data();
  const std::string run = page.options.run_id ? std::to_string(*page.options.run_id) : page.t("footer_run_none");
  return "<footer>" + escape(page.t("footer_source")) + ": " + escape(d.backend) + " · " +
         escape(page.t("footer_profile")) + ": " + escape(d.profile) + " · as_of " + format_day(d.as_of) + " · " +
         escape(page.t("granularity")) + ": " + granularity_name(page.granularity) + " · " +
         escape(page.t("footer_run")) + ": " + escape(run) + " · cskpi " + CSKPI_VERSION_STRING + "</footer>";
}

PeriodAxis axis_of(const SegmentView &v, Granularity g, Lang lang) {
  PeriodAxis a;
  const PeriodGrid &grid = v.data().kpis.grid();
  for (std::size_t p : v.window()) {
    a.iso.push_back(format_day(grid[p].start));
    a.label.push_back(period_short(g, grid[p].start, lang));
    a.name.push_back(period_name(g, grid[p].start, lang));
  }
  return a;
}

std::string section(const Page &page, Section s) {
  switch (s) {
    case Section::headline: return headline_section(page);
    case Section::flow: return flow_section(page);
    case Section::revenue: return revenue_section(page);
    case Section::cohorts: return cohorts_section(page);
    case Section::support: return support_section(page);
    case Section::voice: return voice_section(page);
    case Section::health: return health_section(page);
    case Section::clv: return clv_section(page);
    case Section::quality: return quality_section(page);
  }
  return "";
}

}  // namespace

std::string Page::period(int p) const {
  if (p < 0) return "—";
  return period_name(granularity, view.data().kpis.grid()[static_cast<std::size_t>(p)].start, lang);
}

std::string Page::iso(int p) const {
  return p < 0 ? std::string() : format_day(view.data().kpis.grid()[static_cast<std::size_t>(p)].start);
}

std::string section_open(const Page &page, const char *id, const char *title_key) {
  return "<section id=\"" + std::string(id) + "\"><h2>" + escape(page.t(title_key)) + "</h2>";
}

std::string unavailable(const Page &page, const char *id, const char *title_key, const char *reason_key) {
  return section_open(page, id, title_key) + "<p class=\"note unavailable\">" + escape(page.t(reason_key)) +
         "</p></section>";
}

std::string table_html(const std::vector<std::string> &head, const std::vector<std::vector<std::string>> &rows,
                       const std::string &empty_text) {
  if (rows.empty()) return "<p class=\"note\">" + escape(empty_text) + "</p>";
  // A header starting with '#' is a numeric column (right-aligned); cells
  // are already escaped HTML (they may hold <b>).
  std::string out = "<table><thead><tr>";
  for (const auto &h : head)
    out += h.rfind('#', 0) == 0 ? "<th class=\"n\">" + escape(h.substr(1)) + "</th>" : "<th>" + escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto &row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (head[i].rfind('#', 0) == 0 ? "<td class=\"n\">" : "<td>") + row[i] + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string render_html(const ReportData &data, const ReportOptions &options) {
  const SegmentView view(data, options.segment);
  const Granularity g = data.kpis.grid().granularity();
  const Page page{view, options, options.lang, g, axis_of(view, g, options.lang)};
  std::string out = head(page) + heading(page);
  for (Section s : options.sections) out += section(page, s);
  return out + footer(page) + "</body></html>\n";
}

}  // namespace cskpi::report
