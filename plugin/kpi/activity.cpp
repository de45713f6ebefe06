#include "kpi/activity.hpp"

#include <algorithm>

namespace cskpi {
namespace {

// Groups (customer, [begin, end)) intervals per customer and merges the ones
// that overlap or touch into maximal spells.
Activity merge_intervals(std::size_t customers, const std::vector<std::uint32_t> &who,
                         const std::vector<Day> &begin, const std::vector<Day> &end) {
  std::vector<std::uint32_t> order(who.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return who[a] != who[b] ? who[a] < who[b] : begin[a] < begin[b];
  });

  Activity act;
  act.offset.assign(customers + 1, 0);
  std::size_t i = 0;
  for (std::uint32_t c = 0; c < customers; ++c) {
    act.offset[c] = static_cast<std::uint32_t>(act.start.size());
    for (; i < order.size() && who[order[i]] == c; ++i) {
      Day b = begin[order[i]], e = end[order[i]];
      if (e <= b) continue;  // empty interval
      if (!act.start.empty() && act.offset[c] < act.start.size() && b <= act.end.back()) {
        act.end.back() = std::max(act.end.back(), e);
      } else {
        act.start.push_back(b);
        act.end.push_back(e);
      }
    }
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

Activity Activity::from_orders(const Dataset &data, int window_days) {
  const auto &ol = data.order_lines;
  std::vector<Day> until(ol.size());
  for (std::size_t i = 0; i < ol.size(); ++i) until[i] = ol.day[i] + window_days;
  return merge_intervals(data.customer_count(), ol.customer, ol.day, until);
}

Activity Activity::from_subscriptions(const Dataset &data) {
  const auto &s = data.subscriptions;
  std::vector<Day> until(s.size());
  // An open subscription runs past any as_of: one day after it is far enough.
  for (std::size_t i = 0; i < s.size(); ++i) until[i] = s.end[i] == kNoDay ? std::max(data.as_of, s.start[i]) + 1 : s.end[i];
  return merge_intervals(data.customer_count(), s.customer, s.start, until);
}

}  // namespace cskpi
