// Interns text values (ids, segment and category names) into dense integers,
// so the model holds small integers instead of strings per row.
//
// Memory is what matters here: a large ERP has millions of customer, ticket
// and order ids. A Dictionary keeps every text once in one character arena
// plus a 4-byte end offset, and finds it through an open-addressing table of
// 4-byte indexes with a 1-byte hash tag per slot: about 12-20 bytes per
// entry besides the text itself (std::string + unordered_map: 70-100).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cskpi {

// The text of a dictionary entry: a string_view into the dictionary, which
// also converts to std::string wherever one is expected (map keys, vectors of
// names), as the entries themselves used to be strings.
struct TextRef : std::string_view {
  using std::string_view::string_view;
  constexpr TextRef(std::string_view v) : std::string_view(v) {}
  operator std::string() const { return std::string(data(), size()); }
};

// Hash of a text (64 bits, well mixed): the Dictionary's hash table.
std::uint64_t hash_text(std::string_view text);

// ERP ids are mostly primary keys written as text. A canonical decimal
// number ("0", "17"; never "017", "+17" or "1e3") is found through a direct
// array, number -> index + 1: one memory access, no hashing, no text
// comparison. The array may hold up to 4 slots per entry (or 2^22 slots);
// numbers beyond that bound when they are added go the general way.
class NumberSlots {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;
  // The number a canonical decimal text of at most 10 digits stands for.
  static bool parse(std::string_view text, std::uint64_t &n) {
    if (text.empty() || text.size() > 10 || (text[0] == '0' && text.size() > 1)) return false;
    std::uint64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    n = v;
    return true;
  }
  std::uint32_t find(std::uint64_t n) const { return n < slot_.size() && slot_[n] != 0 ? slot_[n] - 1 : npos; }
  // Records n -> index if n is within the bound for `entries` entries.
  bool add(std::uint64_t n, std::uint32_t index, std::size_t entries);
  void clear() { std::vector<std::uint32_t>().swap(slot_); }

 private:
  std::vector<std::uint32_t> slot_;
};

class Dictionary {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  // Dense index of text, adding it when new.
  std::uint32_t intern(std::string_view text);
  // Dense index of text, or npos when absent.
  std::uint32_t find(std::string_view text) const;
  // The text of an index. The view stays valid until the next intern().
  TextRef name(std::uint32_t index) const {
    const std::uint32_t begin = index == 0 ? 0 : end_[index - 1];
    return std::string_view(chars_.data() + begin, end_[index] - begin);
  }
  std::size_t size() const { return end_.size(); }
  // Every text, in index order: a copy, meant for small dictionaries
  // (segments, categories).
  std::vector<std::string> names() const;

 private:
  std::uint32_t find_hashed(std::string_view text, std::uint64_t hash, std::size_t &slot) const;
  bool in_numbers(std::uint32_t index) const;
  void grow();

  std::vector<char> chars_;          // every text, back to back
  std::vector<std::uint32_t> end_;   // end of text i in chars_ (its begin: end_[i - 1], or 0)
  NumberSlots numbers_;              // the texts that are numbers in its range
  // Every other text: open addressing, linear probing, power-of-two
  // capacity, at most 3/4 full. tag_ 0: empty slot; else 0x80 | 7 high bits
  // of the hash, so that most probes are rejected without touching the text.
  std::size_t hashed_ = 0;           // texts in the table
  std::vector<std::uint32_t> slot_;  // index of the text in the slot
  std::vector<std::uint8_t> tag_;
};

// Maps ids whose text the model does not keep (order ids, or ids seen only
// to detect duplicates) to dense indexes 0..size()-1 in insertion order:
// numbers through NumberSlots with no text kept (4-16 bytes per id), any
// other id (text, uuid, a number out of range) through a Dictionary.
class IdIndex {
 public:
  static constexpr std::uint32_t npos = Dictionary::npos;

  // Dense index of id, adding it when new.
  std::uint32_t intern(std::string_view id);
  // Dense index of id, or npos when absent.
  std::uint32_t find(std::string_view id) const;
  std::size_t size() const { return size_; }
  // Frees the lookup structures once no more ids will be looked up; only
  // size() is meaningful afterwards.
  void release();

 private:
  std::uint32_t size_ = 0;
  NumberSlots numbers_;
  Dictionary other_;                         // every other id
  std::vector<std::uint32_t> other_index_;  // other_ index -> index
};

}  // namespace cskpi
