#include "source/row_reader.hpp"

#include <utility>

#include "core/text.hpp"

namespace cskpi::source_detail {
namespace {

constexpr std::array<const char *, static_cast<std::size_t>(Why::count)> kWhyNames = {
    reason::null_mandatory,   reason::unknown_customer, reason::negative_duration, reason::score_out_of_scale,
    reason::after_as_of,      reason::duplicate_id,     reason::bad_value,         reason::end_not_after_start,
    reason::mixed_customer_order, reason::invalid_text, reason::long_text};

}  // namespace

RowReader::RowReader(const Settings &s, Day as_of, bool flag_unknown_customers)
    : zone_(s.timezone),
      timestamps_local_(s.timestamps_local),
      as_of_(as_of),
      csat_scale_(s.csat_scale),
      ces_scale_(s.ces_scale),
      flag_unknown_customers_(flag_unknown_customers) {
  data_.as_of = as_of;
}

void RowReader::begin_source(std::vector<Meaning> meanings) {
  meaning_ = std::move(meanings);
  skipped_.fill(0);
  flagged_.fill(0);
}

void RowReader::end_source(std::string_view source) {
  const std::string name(source);
  for (std::size_t w = 0; w < kWhyNames.size(); ++w) {
    if (skipped_[w]) data_.quality.add(name, kWhyNames[w], true, skipped_[w]);
    if (flagged_[w]) data_.quality.add(name, kWhyNames[w], false, flagged_[w]);
  }
  // Ids kept only to find duplicates go before the next source grows the model.
  seen_ids_ = IdIndex();
  std::vector<std::uint32_t>().swap(order_customer_);
}

void RowReader::repair_text(Chunk &c) {
  for (std::size_t r = 0; r < c.rows; ++r) {
    unsigned what = kTextOk;  // once per row and kind of repair
    for (std::size_t col = 0; col < c.cols.size(); ++col) {
      if (c.cols[col].wire != Wire::text || c.null(col, r) || text_is_clean(c.text(col, r))) continue;
      std::string &cell = c.cols[col].text[r];
      what |= cskpi::repair_text(cell, repaired_);
      cell.swap(repaired_);
    }
    if (what & kTextInvalid) flag(Why::invalid_text);
    if (what & kTextTruncated) flag(Why::long_text);
  }
}

}  // namespace cskpi::source_detail
