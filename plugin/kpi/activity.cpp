#include "kpi/activity.hpp"

#include <algorithm>
#include <utility>

namespace cskpi {
namespace {

// Adds [b, e) to customer c's spells, whose intervals arrive sorted by start
// (c's spells are the last ones in act): merged into the last spell when it
// overlaps or touches it. An empty interval adds nothing.
void append_interval(Activity &act, std::size_t c, Day b, Day e) {
  if (e <= b) return;
  if (act.offset[c] < act.start.size() && b <= act.end.back()) {
    act.end.back() = std::max(act.end.back(), e);
  } else {
    act.start.push_back(b);
    act.end.push_back(e);
  }
}

// Groups (customer, [begin, end)) intervals per customer and merges the ones
// that overlap or touch into maximal spells. The grouping is a counting sort
// by customer (linear; an indirect sort of 10M order lines was the slowest
// step of a run), after which each customer's few intervals sort in cache.
Activity merge_intervals(std::size_t customers, const std::vector<std::uint32_t> &who,
                         const std::vector<Day> &begin, const std::vector<Day> &end) {
  std::vector<std::uint32_t> first(customers + 1, 0);
  for (std::uint32_t c : who)
    if (c < customers) ++first[c + 1];
  for (std::size_t c = 0; c < customers; ++c) first[c + 1] += first[c];
  std::vector<std::pair<Day, Day>> interval(who.size());
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  for (std::size_t i = 0; i < who.size(); ++i)
    if (who[i] < customers) interval[fill[who[i]]++] = {begin[i], end[i]};
  interval.resize(first[customers]);

  Activity act;
  act.offset.assign(customers + 1, 0);
  for (std::size_t c = 0; c < customers; ++c) {
    act.offset[c] = static_cast<std::uint32_t>(act.start.size());
    auto from = interval.begin() + first[c], to = interval.begin() + first[c + 1];
    std::sort(from, to);
    for (auto it = from; it != to; ++it) append_interval(act, c, it->first, it->second);
  }
  act.offset[customers] = static_cast<std::uint32_t>(act.start.size());
  return act;
}

}  // namespace

bool Activity::active_on(std::uint32_t c, Day t) const {
  // Spells are few per customer: a binary search on start is enough.
  auto first = start.begin() + offset[c], last = start.begin() + offset[c + 1];
  auto it = std::upper_bound(first, last, t);
  if (it == first) return false;
  return t < end[static_cast<std::size_t>(it - start.begin()) - 1];
}

// Orders mode: each order day d gives the interval [d, d + window). All
// intervals have the same length, so a customer's sorted distinct days are
// its intervals in order. The days are grouped per customer with a counting
// sort into one array of 4 bytes per entry (no interval pairs, no window
// ends), and a line repeating the previous line's customer and day (the
// lines of one order) adds no entry.
Activity Activity::from_orders(const Dataset &data, int window_days) {
  const auto &ol = data.order_lines;
  const std::size_t customers = data.customer_count(), n = ol.size();
  auto repeats = [&](std::size_t i) { return i > 0 && ol.customer[i] == ol.customer[i - 1] && ol.day[i] == ol.day[i - 1]; };
  // pos[c + 1]: entries of customers <= c; after the fill, pos[c] is where c's start.
  std::vector<std::uint32_t> pos(customers + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (ol.customer[i] < customers && !repeats(i)) ++pos[ol.customer[i] + 1];
  for (std::size_t c = 0; c < customers; ++c) pos[c + 1] += pos[c];
  std::vector<Day> days(pos[customers]);
  for (std::size_t i = n; i-- > 0;)
    if (ol.customer[i] < customers && !repeats(i)) days[--pos[ol.customer[i] + 1]] = ol.day[i];
  // Now pos[c + 1] is the start of customer c's days, pos[0] is 0.

  Activity act;
  act.offset.assign(customers + 1, 0);
  for (std::size_t c = 0; c < customers; ++c) {
    act.offset[c] = static_cast<std::uint32_t>(act.start.size());
    const auto from = days.begin() + pos[c + 1], to = c + 1 < customers ? days.begin() + pos[c + 2] : days.end();
    std::sort(from, to);
    for (auto it = from; it != to; ++it) append_interval(act, c, *it, *it + window_days);
  }
  act.offset[customers] = static_cast<std::uint32_t>(act.start.size());
  return act;
}

Activity Activity::from_subscriptions(const Dataset &data) {
  const auto &s = data.subscriptions;
  std::vector<Day> until(s.size());
  // An open subscription runs past any as_of: one day after it is far enough.
  for (std::size_t i = 0; i < s.size(); ++i) until[i] = s.end[i] == kNoDay ? std::max(data.as_of, s.start[i]) + 1 : s.end[i];
  return merge_intervals(data.customer_count(), s.customer, s.start, until);
}

}  // namespace cskpi
