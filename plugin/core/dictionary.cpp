#include "core/dictionary.hpp"

namespace cskpi {

std::uint32_t Dictionary::intern(std::string_view text) {
  if (auto it = index_.find(text); it != index_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(text);
  index_.emplace(names_.back(), id);
  return id;
}

std::uint32_t Dictionary::find(std::string_view text) const {
  auto it = index_.find(text);
  return it == index_.end() ? npos : it->second;
}

}  // namespace cskpi
