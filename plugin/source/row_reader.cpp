#include "source/row_reader.hpp"

#include <utility>

namespace cskpi::source_detail {
namespace {

constexpr std::array<const char *, static_cast<std::size_t>(Why::count)> kWhyNames = {
    reason::null_mandatory,   reason::unknown_customer, reason::negative_duration, reason::score_out_of_scale,
    reason::after_as_of,      reason::duplicate_id,     reason::bad_value};

// Plausible calendar range, years 1..9999: anything outside is a typo or a
// sentinel the database produced for an unconvertible value (kBadValue).
constexpr long long kMinDay = -719162;  // 0001-01-01
constexpr long long kMaxDay = 2932896;  // 9999-12-31
constexpr long long kMinEpoch = kMinDay * 86400;
constexpr long long kMaxEpoch = (kMaxDay + 1) * 86400 - 1;

Day floor_day(Seconds s) {
  Seconds d = s / 86400;
  if (s % 86400 < 0) --d;
  return static_cast<Day>(d);
}

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

Cell RowReader::day_at(const Chunk &c, std::size_t col, std::size_t r, Day &out) const {
  if (c.null(col, r)) return Cell::null;
  long long v = c.integer(col, r);
  switch (meaning_[col]) {
    case Meaning::days:
      if (v < kMinDay || v > kMaxDay) return Cell::bad;
      out = static_cast<Day>(v);
      return Cell::ok;
    case Meaning::epoch_utc:
      if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
      out = zone_.local_day(v);
      return Cell::ok;
    default:
      if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
      out = floor_day(v);
      return Cell::ok;
  }
}

Cell RowReader::instant_at(const Chunk &c, std::size_t col, std::size_t r, Seconds &utc, Day &local) const {
  if (c.null(col, r)) return Cell::null;
  long long v = c.integer(col, r);
  if (meaning_[col] == Meaning::days) {
    if (v < kMinDay || v > kMaxDay) return Cell::bad;
    v *= 86400;  // a date where a timestamp is expected: its midnight, as wall-clock time
  }
  if (v < kMinEpoch || v > kMaxEpoch) return Cell::bad;
  if (meaning_[col] != Meaning::epoch_utc && timestamps_local_) {
    // The stored wall-clock time is already local: its date is the local day.
    utc = zone_.to_utc(v);
    local = floor_day(v);
  } else {
    utc = v;
    local = zone_.local_day(v);
  }
  return Cell::ok;
}

// Consecutive rows often share a customer (lines of one order): the last
// lookup is kept.
std::uint32_t RowReader::customer_ref(std::string_view id) {
  if (last_customer_ == kNoCustomer || id != last_customer_text_) {
    bool implied = false;
    last_customer_ = data_.customer_for(id, &implied);
    last_customer_implied_ = implied;
    last_customer_text_.assign(id);
  }
  if (last_customer_implied_ && flag_unknown_customers_) flag(Why::unknown_customer);
  return last_customer_;
}

std::uint32_t RowReader::order_ref(std::string_view id) {
  if (last_order_ == IdIndex::npos || id != last_order_text_) {
    last_order_ = data_.order_lines.orders.intern(id);
    last_order_text_.assign(id);
  }
  return last_order_;
}

bool RowReader::first_sight(std::string_view id) {
  const std::size_t before = seen_ids_.size();
  seen_ids_.intern(id);
  return seen_ids_.size() != before;
}

}  // namespace cskpi::source_detail
