#include "core/dictionary.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace cskpi {
namespace {

constexpr std::uint64_t kMul1 = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kMul2 = 0xbf58476d1ce4e5b9ull;
constexpr std::uint64_t kMul3 = 0x94d049bb133111ebull;

std::uint64_t load64(const char *p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

std::uint8_t tag_of(std::uint64_t hash) { return static_cast<std::uint8_t>(0x80u | (hash >> 57)); }

constexpr std::size_t kMinCapacity = 16;
constexpr std::size_t kMaxEntries = UINT32_MAX - 1;  // npos is no index

}  // namespace

// Eight bytes at a time, each word folded in with a multiply and a shift,
// then the splitmix64 finaliser: ids that differ in one digit land far apart
// in both the low bits (the slot) and the high bits (the tag).
std::uint64_t hash_text(std::string_view text) {
  const char *p = text.data();
  std::size_t n = text.size();
  std::uint64_t h = kMul1 ^ (n * kMul2);
  for (; n >= 8; p += 8, n -= 8) {
    h = (h ^ load64(p)) * kMul2;
    h ^= h >> 29;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul3;
    h ^= h >> 32;
  }
  h ^= h >> 30;
  h *= kMul2;
  h ^= h >> 27;
  h *= kMul3;
  h ^= h >> 31;
  return h;
}

// ---- NumberSlots ------------------------------------------------------------

bool NumberSlots::add(std::uint64_t n, std::uint32_t index, std::size_t entries) {
  constexpr std::uint64_t kFloor = std::uint64_t{1} << 22;  // 16 MB of slots whatever the density
  const std::uint64_t bound = std::min<std::uint64_t>(std::max<std::uint64_t>(kFloor, 4 * std::uint64_t{entries}), kMaxEntries);
  if (n >= bound) return false;
  if (n >= slot_.size()) {
    const std::uint64_t want = std::max<std::uint64_t>(n + 1, slot_.size() + slot_.size() / 2);
    slot_.resize(static_cast<std::size_t>(std::min(want, bound)), 0);
  }
  slot_[n] = index + 1;
  return true;
}

// ---- Dictionary -------------------------------------------------------------

std::uint32_t Dictionary::find_hashed(std::string_view text, std::uint64_t hash, std::size_t &slot) const {
  const std::size_t mask = slot_.size() - 1;
  const std::uint8_t tag = tag_of(hash);
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint8_t t = tag_[s];
    if (t == 0) {
      slot = s;
      return npos;
    }
    if (t == tag && name(slot_[s]) == text) {
      slot = s;
      return slot_[s];
    }
  }
}

std::uint32_t Dictionary::find(std::string_view text) const {
  std::uint64_t n;
  if (NumberSlots::parse(text, n))
    if (std::uint32_t i = numbers_.find(n); i != npos) return i;
  // Texts that are no numbers, and numbers out of range when they were added.
  if (hashed_ == 0) return npos;
  std::size_t slot;
  return find_hashed(text, hash_text(text), slot);
}

std::uint32_t Dictionary::intern(std::string_view text) {
  std::uint64_t n;
  const bool number = NumberSlots::parse(text, n);
  if (number)
    if (std::uint32_t i = numbers_.find(n); i != npos) return i;
  std::uint64_t hash = 0;
  std::size_t slot = 0;
  if (hashed_ > 0 || !number) {
    // Grow first, so that the slot found below is the one to fill.
    if ((hashed_ + 1) * 4 > slot_.size() * 3) grow();
    hash = hash_text(text);
    if (std::uint32_t found = find_hashed(text, hash, slot); found != npos) return found;
  }
  if (size() >= kMaxEntries || chars_.size() + text.size() > UINT32_MAX)
    throw std::length_error("dictionary: more than 4 GiB of text or 2^32 entries");
  const auto index = static_cast<std::uint32_t>(size());
  chars_.insert(chars_.end(), text.begin(), text.end());
  end_.push_back(static_cast<std::uint32_t>(chars_.size()));
  if (number && numbers_.add(n, index, size())) return index;
  if (slot_.empty() || (hashed_ + 1) * 4 > slot_.size() * 3) {
    grow();
    hash = hash_text(text);
    find_hashed(text, hash, slot);  // misses: gives the free slot
  }
  slot_[slot] = index;
  tag_[slot] = tag_of(hash);
  ++hashed_;
  return index;
}

bool Dictionary::in_numbers(std::uint32_t index) const {
  std::uint64_t n;
  return NumberSlots::parse(name(index), n) && numbers_.find(n) == index;
}

void Dictionary::grow() {
  const std::size_t capacity = slot_.empty() ? kMinCapacity : slot_.size() * 2;
  // Free the old table before the new one is filled: rehashing reads only
  // the texts, so peak memory holds one table, not two.
  std::vector<std::uint32_t>().swap(slot_);
  std::vector<std::uint8_t>().swap(tag_);
  slot_.resize(capacity);
  tag_.resize(capacity, 0);
  const std::size_t mask = capacity - 1;
  for (std::uint32_t i = 0; i < size(); ++i) {
    if (in_numbers(i)) continue;
    const std::uint64_t hash = hash_text(name(i));
    std::size_t s = hash & mask;
    while (tag_[s] != 0) s = (s + 1) & mask;
    slot_[s] = i;
    tag_[s] = tag_of(hash);
  }
}

std::vector<std::string> Dictionary::names() const {
  std::vector<std::string> out;
  out.reserve(size());
  for (std::uint32_t i = 0; i < size(); ++i) out.emplace_back(name(i));
  return out;
}

// ---- IdIndex ----------------------------------------------------------------

std::uint32_t IdIndex::find(std::string_view id) const {
  std::uint64_t n;
  if (NumberSlots::parse(id, n))
    if (std::uint32_t i = numbers_.find(n); i != npos) return i;
  // Not a number, or a number beyond the direct range when it was added.
  if (other_.size() == 0) return npos;
  std::uint32_t o = other_.find(id);
  return o == Dictionary::npos ? npos : other_index_[o];
}

std::uint32_t IdIndex::intern(std::string_view id) {
  if (std::uint32_t found = find(id); found != npos) return found;
  if (size_ >= kMaxEntries) throw std::length_error("id index: 2^32 entries");
  const std::uint32_t index = size_++;
  std::uint64_t n;
  if (NumberSlots::parse(id, n) && numbers_.add(n, index, size_)) return index;
  other_.intern(id);
  other_index_.push_back(index);
  return index;
}

void IdIndex::release() {
  numbers_.clear();
  other_ = Dictionary{};
  std::vector<std::uint32_t>().swap(other_index_);
}

}  // namespace cskpi
