#include "report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/kpi_results.hpp"

namespace cskpi::report {
namespace {

// Geometry of a period chart, in viewBox units (the SVG scales to its box).
constexpr double kW = 640, kH = 250, kLeft = 60, kRight = 14, kTop = 44, kBottom = 30;
constexpr double kPlotW = kW - kLeft - kRight, kPlotH = kH - kTop - kBottom;
constexpr double kCharW = 6.0;  // average width of an 11px label character

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
std::string exact(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// "Nice" tick step for a range (1, 2 or 5 times a power of ten).
double nice_step(double range, int ticks) {
  if (range <= 0) return 1;
  const double raw = range / ticks, mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

struct Scale {
  double lo, hi, step;
  double y(double v) const { return kTop + kPlotH * (hi - v) / (hi - lo); }
};

Scale make_scale(double lo, double hi, Unit unit) {
  if (!(hi > lo)) hi = lo + (unit == Unit::fraction ? 0.1 : 1);
  const double step = nice_step(hi - lo, 4);
  Scale s{std::floor(lo / step) * step, std::ceil(hi / step) * step, step};
  if (unit == Unit::count && s.step < 1) s = {std::floor(lo), std::floor(lo) + 4, 1};
  return s;
}

std::string tick_text(double v, const Scale &s, Unit unit, Lang lang) {
  if (unit == Unit::fraction) return format_percent(v, s.step * 100 >= 1 ? 0 : 1, lang);
  if (s.step < 1) return format_number(v, s.step >= 0.1 ? 1 : 2, lang);  // 0.5, 1.0, 1.5: one precision per axis
  return format_compact(v, lang);
}

std::string open_svg(const std::string &id, const std::string &title, double height) {
  return "<figure class=\"chart\" id=\"" + escape(id) + "\"><figcaption>" + escape(title) +
         "</figcaption><svg viewBox=\"0 0 " + num(kW) + " " + num(height) +
         "\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"><title>" + escape(title) + "</title>";
}

// The legend on top, wrapping to a second row when it is too wide.
std::string legend(const Chart &c) {
  std::string out;
  double x = kLeft, y = 14;
  for (const Series &s : c.series) {
    const double w = 18 + kCharW * static_cast<double>(s.label.size()) + 14;
    if (x + w > kW - kRight && x > kLeft) x = kLeft, y += 16;
    out += "<rect class=\"sw c" + std::to_string(s.color) + "\" x=\"" + num(x) + "\" y=\"" + num(y - 9) +
           "\" width=\"12\" height=\"10\" rx=\"2\"/><text class=\"lg\" x=\"" + num(x + 16) + "\" y=\"" + num(y) +
           "\">" + escape(s.label) + "</text>";
    x += w;
  }
  return out;
}

// The grid, the y tick labels and unit, and every k-th period label (the
// last period always labelled), k chosen so labels never overlap.
std::string axes(const Chart &c, const Scale &s, Lang lang) {
  std::string out = "<text class=\"unit\" x=\"4\" y=\"" + num(kTop - 8) + "\">" + escape(c.unit_label) + "</text>";
  for (double v = s.lo; v <= s.hi + s.step / 2; v += s.step) {
    const double y = s.y(v);
    out += "<line class=\"" + std::string(std::abs(v) < s.step / 2 ? "zero" : "grid") + "\" x1=\"" + num(kLeft) +
           "\" x2=\"" + num(kW - kRight) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\"/>";
    out += "<text class=\"tick\" x=\"" + num(kLeft - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
           escape(tick_text(std::abs(v) < s.step / 2 ? 0 : v, s, c.unit, lang)) + "</text>";
  }
  const std::size_t n = c.axis->iso.size();
  if (n == 0) return out;
  const double slot = kPlotW / static_cast<double>(n);
  std::size_t widest = 1;
  for (const auto &l : c.axis->label) widest = std::max(widest, l.size());
  const auto every = static_cast<std::size_t>(std::ceil((kCharW * static_cast<double>(widest) + 10) / slot));
  for (std::size_t i = 0; i < n; ++i) {
    if ((n - 1 - i) % std::max<std::size_t>(every, 1) != 0) continue;
    out += "<text class=\"tick\" x=\"" + num(kLeft + slot * (static_cast<double>(i) + 0.5)) + "\" y=\"" +
           num(kH - kBottom + 16) + "\" text-anchor=\"middle\">" + escape(c.axis->label[i]) + "</text>";
  }
  return out;
}

std::string mark_attrs(const Series &s, const PeriodAxis &a, std::size_t i) {
  return " data-kpi=\"" + escape(s.kpi) + "\" data-period=\"" + a.iso[i] + "\" data-value=\"" + exact(s.values[i]) +
         "\"";
}

std::string tooltip(const Series &s, const PeriodAxis &a, std::size_t i, Unit unit, Lang lang) {
  return "<title>" + escape(s.label) + " · " + escape(a.name[i]) + ": " + escape(format_value(s.values[i], unit, lang)) +
         "</title>";
}

// Value range of a stacked bar chart: gains stacked up, losses down.
std::pair<double, double> stacked_range(const Chart &c) {
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < c.axis->iso.size(); ++i) {
    double up = 0, down = 0;
    for (const Series &s : c.series)
      if (!is_null(s.values[i])) (s.down ? down : up) += std::abs(s.values[i]);
    hi = std::max(hi, up);
    lo = std::min(lo, -down);
  }
  return {lo, hi};
}

}  // namespace

std::string format_value(double v, Unit unit, Lang lang) {
  if (is_null(v)) return "—";
  switch (unit) {
    case Unit::count: return format_number(v, v == std::floor(v) ? 0 : 1, lang);
    case Unit::fraction: return format_percent(v, 1, lang);
    case Unit::amount: return format_number(v, 2, lang);
    case Unit::hours: return format_number(v, 1, lang) + " h";
    case Unit::score: return format_number(v, 1, lang);
    case Unit::ratio: return format_number(v, 2, lang);
  }
  return format_number(v, 2, lang);
}

std::string bar_chart(const Chart &c, Lang lang) {
  const auto [lo, hi] = stacked_range(c);
  const Scale s = make_scale(lo, hi, c.unit);
  std::string out = open_svg(c.id, c.title, kH) + legend(c) + axes(c, s, lang);
  const std::size_t n = c.axis->iso.size();
  const double slot = kPlotW / static_cast<double>(std::max<std::size_t>(n, 1)), bar = slot * 0.7;
  for (std::size_t i = 0; i < n; ++i) {
    double up = 0, down = 0;
    const double x = kLeft + slot * static_cast<double>(i) + (slot - bar) / 2;
    for (const Series &ser : c.series) {
      const double v = ser.values[i];
      if (is_null(v)) continue;
      double &base = ser.down ? down : up;
      const double from = ser.down ? -base : base, to = ser.down ? -(base + std::abs(v)) : base + std::abs(v);
      base += std::abs(v);
      const double y0 = s.y(std::max(from, to)), y1 = s.y(std::min(from, to));
      out += "<rect class=\"mark c" + std::to_string(ser.color) + "\"" + mark_attrs(ser, *c.axis, i) + " x=\"" +
             num(x) + "\" y=\"" + num(y0) + "\" width=\"" + num(bar) + "\" height=\"" + num(y1 - y0) + "\">" +
             tooltip(ser, *c.axis, i, c.unit, lang) + "</rect>";
    }
  }
  return out + "</svg></figure>";
}

std::string line_chart(const Chart &c, Lang lang) {
  double lo = INFINITY, hi = -INFINITY;
  for (const Series &ser : c.series)
    for (double v : ser.values)
      if (!is_null(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo == INFINITY) lo = 0, hi = 1;
  if (c.unit != Unit::score) lo = std::min(lo, 0.0);  // amounts, rates, hours from zero
  const Scale s = make_scale(lo, hi, c.unit);
  std::string out = open_svg(c.id, c.title, kH) + legend(c) + axes(c, s, lang);
  const std::size_t n = c.axis->iso.size();
  const double slot = kPlotW / static_cast<double>(std::max<std::size_t>(n, 1));
  auto x_of = [&](std::size_t i) { return kLeft + slot * (static_cast<double>(i) + 0.5); };
  for (const Series &ser : c.series) {
    std::string path;
    bool pen = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (is_null(ser.values[i])) {
        pen = false;
        continue;
      }
      path += (pen ? "L" : "M") + num(x_of(i)) + " " + num(s.y(ser.values[i]));
      pen = true;
    }
    out += "<path class=\"line c" + std::to_string(ser.color) + "\" d=\"" + path + "\"/>";
    for (std::size_t i = 0; i < n; ++i)
      if (!is_null(ser.values[i]))
        out += "<circle class=\"mark c" + std::to_string(ser.color) + "\"" + mark_attrs(ser, *c.axis, i) +
               " cx=\"" + num(x_of(i)) + "\" cy=\"" + num(s.y(ser.values[i])) + "\" r=\"3\">" +
               tooltip(ser, *c.axis, i, c.unit, lang) + "</circle>";
  }
  return out + "</svg></figure>";
}

std::string heatmap(const Heatmap &h, Lang lang) {
  constexpr double left = 84, top = 44, cell_h = 20;
  const double cell_w = (kW - left - kRight) / static_cast<double>(std::max<std::size_t>(h.cols, 1));
  const std::size_t rows = h.row_iso.size();
  const double height = top + cell_h * static_cast<double>(rows) + 10;
  double top_value = 0;
  for (double v : h.cells)
    if (!is_null(v)) top_value = std::max(top_value, v);
  const double full = h.unit == Unit::fraction ? 1.0 : std::max(top_value, 1e-9);
  std::string out = open_svg(h.id, h.title, height);
  out += "<text class=\"unit\" x=\"4\" y=\"16\">" + escape(h.row_title) + "</text>";
  out += "<text class=\"unit\" x=\"" + num(left) + "\" y=\"16\">" + escape(h.col_title) + "</text>";
  for (std::size_t j = 0; j < h.cols; ++j)
    out += "<text class=\"tick\" x=\"" + num(left + cell_w * (static_cast<double>(j) + 0.5)) + "\" y=\"" +
           num(top - 8) + "\" text-anchor=\"middle\">" + std::to_string(j) + "</text>";
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    out += "<text class=\"tick\" x=\"" + num(left - 6) + "\" y=\"" + num(y + 14) + "\" text-anchor=\"end\">" +
           escape(h.row_label[r]) + "</text>";
    for (std::size_t j = 0; j < h.cols; ++j) {
      const double v = h.cells[r * h.cols + j];
      if (is_null(v)) continue;
      const double strength = std::clamp(v / full, 0.0, 1.0);
      const double x = left + cell_w * static_cast<double>(j);
      out += "<g><rect class=\"mark heat\" data-kpi=\"" + escape(h.kpi) + "\" data-period=\"" + h.row_iso[r] +
             "\" data-offset=\"" + std::to_string(j) + "\" data-value=\"" + exact(v) + "\" x=\"" + num(x + 1) +
             "\" y=\"" + num(y + 1) + "\" width=\"" + num(cell_w - 2) + "\" height=\"" + num(cell_h - 2) +
             "\" fill-opacity=\"" + num(0.08 + 0.86 * strength) + "\"><title>" + escape(h.row_title) + " " +
             escape(h.row_label[r]) + ", +" + std::to_string(j) + ": " + escape(format_value(v, h.unit, lang)) +
             "</title></rect><text class=\"cell" + std::string(strength > 0.55 ? " on" : "") + "\" x=\"" +
             num(x + cell_w / 2) + "\" y=\"" + num(y + 14) + "\" text-anchor=\"middle\">" +
             escape(h.unit == Unit::fraction ? format_percent(v, 0, lang) : format_number(v, 2, lang)) + "</text></g>";
    }
  }
  return out + "</svg></figure>";
}

std::string share_bar(const std::string &id, const std::vector<Part> &parts, Lang lang) {
  double total = 0;
  for (const Part &p : parts) total += p.count;
  std::string out = "<svg class=\"share\" id=\"" + escape(id) + "\" viewBox=\"0 0 640 46\" role=\"img\">";
  double x = 0, lx = 0;
  for (const Part &p : parts) {
    const double w = total > 0 ? 640 * p.count / total : 0;
    const std::string share = total > 0 ? format_percent(p.count / total, 0, lang) : "—";
    out += "<rect class=\"mark c" + std::to_string(p.color) + "\" data-kpi=\"" + escape(p.kpi) + "\" data-value=\"" +
           exact(p.count) + "\" x=\"" + num(x) + "\" y=\"0\" width=\"" + num(w) + "\" height=\"18\"><title>" +
           escape(p.label) + ": " + format_number(p.count, 0, lang) + " (" + share + ")</title></rect>";
    out += "<rect class=\"sw c" + std::to_string(p.color) + "\" x=\"" + num(lx) +
           "\" y=\"28\" width=\"12\" height=\"10\" rx=\"2\"/><text class=\"lg\" x=\"" + num(lx + 16) +
           "\" y=\"37\">" + escape(p.label) + " " + format_number(p.count, 0, lang) + " (" + share + ")</text>";
    x += w;
    lx += 16 + kCharW * static_cast<double>(p.label.size() + 14) + 12;
  }
  return out + "</svg>";
}

}  // namespace cskpi::report
