// Interns text values (ids, segment and category names) into dense integers,
// so the model holds small integers instead of strings per row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cskpi {

class Dictionary {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  // Dense index of text, adding it when new.
  std::uint32_t intern(std::string_view text);
  // Dense index of text, or npos when absent.
  std::uint32_t find(std::string_view text) const;
  const std::string &name(std::uint32_t index) const { return names_[index]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string> &names() const { return names_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
};

}  // namespace cskpi
