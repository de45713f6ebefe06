// Internal to plugin/source: what a canonical source's row handler
// (source_rows.cpp, named by its declaration in canonical.cpp) works with
// while the loader streams that source's rows: the model being built, the
// run's settings, cell readers that apply the calendar and time-zone rules of
// docs/kpis.md §1, and the per-source counts of skipped and flagged rows (§11).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/amounts.hpp"
#include "core/dataset.hpp"
#include "core/settings.hpp"
#include "core/timezone.hpp"
#include "source/backend.hpp"

namespace cskpi::source_detail {

// Data-quality reasons, counted per row in plain arrays while a source is
// read and handed to DataQuality once per source (no string work per row).
enum class Why : std::uint8_t {
  null_mandatory,
  unknown_customer,
  negative_duration,
  score_out_of_scale,
  after_as_of,
  duplicate_id,
  bad_value,
  end_not_after_start,
  mixed_customer_order,
  invalid_text,
  long_text,
  count
};

// Plausible calendar range, years 1..9999: anything outside is a typo or a
// sentinel the database produced for an unconvertible value (kBadValue).
inline constexpr long long kMinDay = -719162;  // 0001-01-01
inline constexpr long long kMaxDay = 2932896;  // 9999-12-31
inline constexpr long long kMinEpoch = kMinDay * 86400;
inline constexpr long long kMaxEpoch = (kMaxDay + 1) * 86400 - 1;

inline Day floor_day(Seconds s) {
  Seconds d = s / 86400;
  if (s % 86400 < 0) --d;
  return static_cast<Day>(d);
}

// What a date or timestamp cell held.
enum class Cell : std::uint8_t { ok, null, bad };

class RowReader {
 public:
  RowReader(const Settings &s, Day as_of, bool flag_unknown_customers);

  // ---- the loader's side ----
  // Before a source's first chunk: what each loaded column means.
  void begin_source(std::vector<Meaning> meanings);
  // After its last: its counts into the model's data quality; ids kept only
  // to find duplicates are dropped.
  void end_source(std::string_view source);
  Dataset take() { return std::move(data_); }

  // ---- the row handlers' side ----
  Dataset &data() { return data_; }
  Day as_of() const { return as_of_; }
  long long csat_scale() const { return csat_scale_; }
  long long ces_scale() const { return ces_scale_; }

  void skip(Why w) { ++skipped_[static_cast<std::size_t>(w)]; }
  void flag(Why w) { ++flagged_[static_cast<std::size_t>(w)]; }
  // A kept row's day: the model's first day is the earliest.
  void see(Day d) {
    if (data_.first_day == kNoDay || d < data_.first_day) data_.first_day = d;
  }

  // A date column as a local Day.
  Cell day_at(const Chunk &c, std::size_t col, std::size_t r, Day &out) const;
  // A timestamp column as a UTC instant and its local Day.
  Cell instant_at(const Chunk &c, std::size_t col, std::size_t r, Seconds &utc, Day &local) const;
  // An amount or mrr cell: a number (not a strict-read failure, NaN) within
  // ±kMaxAmount (core/amounts.hpp).
  static bool good_amount(const Chunk &c, std::size_t col, std::size_t r) { return plausible_amount(c.real(col, r)); }

  // The dense customer of a row of another source, implying unknown ones
  // (flagged unknown_customer when the load reads customers).
  std::uint32_t customer_ref(std::string_view id);
  // The same for a nullable customer column (kNoCustomer for null).
  std::uint32_t optional_customer(const Chunk &c, std::size_t col, std::size_t r) {
    return c.null(col, r) ? kNoCustomer : customer_ref(c.text(col, r));
  }
  // The dense order id of an order line (consecutive lines share one).
  std::uint32_t order_ref(std::string_view id);
  // Flags a line (mixed_customer_order) whose customer is not the one of
  // its order's first line (which the purchase KPIs give the order to).
  void check_order_customer(std::uint32_t order, std::uint32_t customer);
  // Repairs the text cells of a chunk in place (core/text.hpp), flagging
  // each row with repaired text once per kind of repair.
  void repair_text(Chunk &c);
  // Adds id to the current source's ids seen; false when it was there
  // already (a duplicate). For sources whose ids the model does not keep.
  bool first_sight(std::string_view id);
  // The entry of a nullable name column, "unknown" for null.
  static std::uint32_t name_or_unknown(Dictionary &dict, const Chunk &c, std::size_t col, std::size_t r) {
    return dict.intern(c.null(col, r) ? std::string_view("unknown") : c.text(col, r));
  }

 private:
  TimeZone zone_;
  bool timestamps_local_;
  Day as_of_;
  long long csat_scale_, ces_scale_;
  bool flag_unknown_customers_;
  Dataset data_;

  std::vector<Meaning> meaning_;  // per loaded column of the current source
  std::array<std::int64_t, static_cast<std::size_t>(Why::count)> skipped_{}, flagged_{};
  IdIndex seen_ids_;  // the current source's ids, for first_sight
  std::uint32_t last_customer_ = kNoCustomer;
  bool last_customer_implied_ = false;
  std::string last_customer_text_;
  std::uint32_t last_order_ = IdIndex::npos;
  std::string last_order_text_;
  std::vector<std::uint32_t> order_customer_;  // per dense order id: its first line's customer
  std::string repaired_;                       // scratch for repair_text
};

// The cell readers and lookups every row calls, inline in the handlers.

inline Cell RowReader::day_at(const Chunk &c, std::size_t col, std::size_t r, Day &out) const {
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

inline Cell RowReader::instant_at(const Chunk &c, std::size_t col, std::size_t r, Seconds &utc, Day &local) const {
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
inline std::uint32_t RowReader::customer_ref(std::string_view id) {
  if (last_customer_ == kNoCustomer || id != last_customer_text_) {
    bool implied = false;
    last_customer_ = data_.customer_for(id, &implied);
    last_customer_implied_ = implied;
    last_customer_text_.assign(id);
  }
  if (last_customer_implied_ && flag_unknown_customers_) flag(Why::unknown_customer);
  return last_customer_;
}

inline std::uint32_t RowReader::order_ref(std::string_view id) {
  if (last_order_ == IdIndex::npos || id != last_order_text_) {
    last_order_ = data_.order_lines.orders.intern(id);
    last_order_text_.assign(id);
  }
  return last_order_;
}

inline void RowReader::check_order_customer(std::uint32_t order, std::uint32_t customer) {
  if (order == order_customer_.size()) order_customer_.push_back(customer);
  else if (order_customer_[order] != customer) flag(Why::mixed_customer_order);
}

inline bool RowReader::first_sight(std::string_view id) {
  const std::size_t before = seen_ids_.size();
  seen_ids_.intern(id);
  return seen_ids_.size() != before;
}

// The row handlers of the canonical sources (source_rows.cpp): each reads row
// r of a chunk whose columns are its source's loaded columns in declaration
// order (canonical.cpp) into the model, or counts why it skips it.
void customer_row(RowReader &in, const Chunk &c, std::size_t r);
void order_line_row(RowReader &in, const Chunk &c, std::size_t r);
void invoice_row(RowReader &in, const Chunk &c, std::size_t r);
void ticket_row(RowReader &in, const Chunk &c, std::size_t r);
void feedback_row(RowReader &in, const Chunk &c, std::size_t r);
void subscription_row(RowReader &in, const Chunk &c, std::size_t r);
void retention_cost_row(RowReader &in, const Chunk &c, std::size_t r);

}  // namespace cskpi::source_detail
