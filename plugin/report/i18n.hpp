// The report's two languages (English, Brazilian Portuguese; the product's
// sources are Portuguese, docs/report.md): labels, month names and number
// formats — "1,234.56" / "1.234,56", "12.5%" / "12,5 %".
#pragma once

#include <string>
#include <string_view>

#include "core/calendar.hpp"

namespace cskpi::report {

enum class Lang { en, pt_br };

// The label `key` in lang; throws std::logic_error for a key without one
// (a label used by the layout but missing from the table in i18n.cpp).
const char *tr(Lang lang, std::string_view key);

// v with `decimals` decimals and thousands grouping; a typographic minus.
std::string format_number(double v, int decimals, Lang lang);
// A fraction as a percentage: 0.125 -> "12.5%" / "12,5 %".
std::string format_percent(double fraction, int decimals, Lang lang);
// Signed change: "+1.2" / "−1,2" (decimals), with a unit suffix appended by the caller.
std::string format_signed(double v, int decimals, Lang lang);
// Short axis numbers: 1234 -> "1.2k" / "1,2 mil", 2.5e6 -> "2.5M" / "2,5 mi".
std::string format_compact(double v, Lang lang);

// A period's name: "March 2024" / "março de 2024", "Q1 2024" / "1º tri. 2024",
// "week of 4 Mar 2024" / "semana de 4 mar. 2024", "2024", "4 Mar 2024".
std::string period_name(Granularity g, Day start, Lang lang);
// The same, short enough for an axis: "Mar 24" / "mar 24", "Q1 24" / "T1 24",
// "4 Mar" / "4 mar", "2024".
std::string period_short(Granularity g, Day start, Lang lang);
// "4 Mar 2024" / "4 mar. 2024".
std::string day_name(Day d, Lang lang);

// Text made safe for HTML element content and attribute values.
std::string escape(std::string_view text);

}  // namespace cskpi::report
