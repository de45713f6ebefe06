#include "source/row_reader.hpp"

#include <utility>

namespace cskpi::source_detail {
namespace {

constexpr std::array<const char *, static_cast<std::size_t>(Why::count)> kWhyNames = {
    reason::null_mandatory,   reason::unknown_customer, reason::negative_duration, reason::score_out_of_scale,
    reason::after_as_of,      reason::duplicate_id,     reason::bad_value};

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
}

}  // namespace cskpi::source_detail
