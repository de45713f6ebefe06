// Event-counting helpers shared by the flow and revenue modules: totals per
// output slot, fed one event at a time, so no module loops customers x periods.
// Slot 0 ("all") receives every addition; slot 1 + s only its segment's.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/calendar.hpp"

namespace cskpi {

// A [period x slot] matrix of totals; add() counts an event of a customer in
// slot `slot` both there and in slot 0.
template <typename T>
class PeriodSlots {
 public:
  PeriodSlots() = default;
  PeriodSlots(std::size_t periods, std::size_t slots) : slots_(slots), v_(periods * slots, T{}) {}

  void add(std::size_t period, std::size_t slot, T x) {
    v_[period * slots_] += x;
    if (slot != 0) v_[period * slots_ + slot] += x;
  }
  // Writes one cell, slot 0 untouched (for totals computed per slot).
  void set(std::size_t period, std::size_t slot, T x) { v_[period * slots_ + slot] = x; }
  T operator()(std::size_t period, std::size_t slot) const { return v_[period * slots_ + slot]; }

 private:
  std::size_t slots_ = 0;
  std::vector<T> v_;
};

// A per-slot quantity that changes on given days (a difference array over the
// days [base, last]): add() records a change on day d, and after accumulate()
// at(t) is the sum of every change dated on or before t. Changes before base
// fold into base (they are all "before" any day asked for); changes after last
// are dropped (nothing after as_of is ever asked for).
template <typename T>
class DaySeries {
 public:
  DaySeries(Day base, Day last, std::size_t slots)
      : base_(base), last_(last), slots_(slots),
        v_(last >= base ? static_cast<std::size_t>(last - base + 1) * slots : 0, T{}) {}

  void add(Day d, std::size_t slot, T delta) {
    if (d > last_) return;
    std::size_t row = static_cast<std::size_t>(std::max(d, base_) - base_) * slots_;
    v_[row] += delta;
    if (slot != 0) v_[row + slot] += delta;
  }
  // Turns the changes into running totals; call once, after the last add().
  void accumulate() {
    for (std::size_t i = slots_; i < v_.size(); ++i) v_[i] += v_[i - slots_];
  }
  // Total on day t, base <= t <= last.
  T at(Day t, std::size_t slot) const { return v_[static_cast<std::size_t>(t - base_) * slots_ + slot]; }

 private:
  Day base_, last_;
  std::size_t slots_;
  std::vector<T> v_;
};

}  // namespace cskpi
