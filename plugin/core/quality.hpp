// Data-quality findings (docs/kpis.md §11): per source and reason, how many rows
// were skipped or flagged. Bad rows never abort a run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace cskpi {

namespace reason {
inline constexpr const char *null_mandatory = "null_mandatory_field";
inline constexpr const char *unknown_customer = "unknown_customer";
inline constexpr const char *negative_duration = "negative_duration";
inline constexpr const char *score_out_of_scale = "score_out_of_scale";
inline constexpr const char *after_as_of = "dated_after_as_of";
inline constexpr const char *duplicate_id = "duplicate_id";
inline constexpr const char *too_few_repeat_buyers = "too_few_repeat_buyers";  // no CLV fit (docs/kpis.md §13.6)
inline constexpr const char *bad_value = "bad_value";  // unparseable or unknown enum value (e.g. kind)
inline constexpr const char *end_not_after_start = "end_not_after_start";    // subscriptions: end_date <= start_date
inline constexpr const char *mixed_customer_order = "mixed_customer_order";  // order lines: another customer than the order's first line
inline constexpr const char *invalid_text = "invalid_text";  // invalid UTF-8 (replaced by U+FFFD) or a NUL (removed)
inline constexpr const char *long_text = "long_text";        // text over kMaxTextBytes, truncated (core/text.hpp)
}  // namespace reason

struct QualityFinding {
  std::int64_t rows = 0;
  bool skipped = false;  // true: rows left out of every KPI; false: kept but flagged
};

class DataQuality {
 public:
  void add(const std::string &source, const std::string &why, bool skipped, std::int64_t rows = 1);
  const std::map<std::pair<std::string, std::string>, QualityFinding> &findings() const { return findings_; }
  std::int64_t count(const std::string &source, const std::string &why) const;

 private:
  std::map<std::pair<std::string, std::string>, QualityFinding> findings_;
};

}  // namespace cskpi
