#include "core/dataset.hpp"

namespace cskpi {

std::uint32_t Dataset::customer_for(std::string_view text_id, bool *implied) {
  std::uint32_t c = customers.ids.find(text_id);
  if (c != Dictionary::npos) {
    if (implied) *implied = customers.known[c] == 0;
    return c;
  }
  c = customers.ids.intern(text_id);
  customers.segment.push_back(segments.intern("unassigned"));
  customers.created_on.push_back(kNoDay);
  customers.known.push_back(0);
  if (implied) *implied = true;
  return c;
}

}  // namespace cskpi
