#include "incremental/raw_rows.hpp"

#include <algorithm>
#include <numeric>

namespace cskpi::incremental {
namespace {

template <class T>
void permute_vector(std::vector<T> &v, const std::vector<std::uint32_t> &order) {
  if (v.empty()) return;
  std::vector<T> out(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) out[i] = v[order[i]];
  v.swap(out);
}

// Appends one value to `to`; only the getter of its wire is called (the
// other columns of a chunk have no buffer of that kind).
template <class Text, class Real, class Integer>
void push_value(RawColumn &to, bool null, Text text, Real real, Integer integer) {
  to.null.push_back(null ? 1 : 0);
  switch (to.wire) {
    case Wire::text: to.codes.push_back(null ? 0 : to.dict.intern(text())); break;
    case Wire::real: to.reals.push_back(real()); break;
    default: to.ints.push_back(integer()); break;
  }
}

// Appends row r of column `from` (of another RawRows) to `to`, re-coding text.
void append_value(RawColumn &to, const RawColumn &from, std::size_t r) {
  push_value(
      to, from.null[r] != 0, [&] { return from.dict.name(from.codes[r]); }, [&] { return from.reals[r]; },
      [&] { return from.ints[r]; });
}

}  // namespace

std::size_t RawColumn::bytes() const {
  std::size_t b = null.capacity() + codes.capacity() * 4 + ints.capacity() * 8 + reals.capacity() * 8;
  for (std::uint32_t i = 0; i < dict.size(); ++i) b += dict.name(i).size() + 16;  // text, end offset, hash slots
  return b;
}

RawRows::RawRows(const std::vector<Wire> &wires) {
  for (Wire w : wires) cols_.emplace_back().wire = w;
}

std::size_t RawRows::bytes() const {
  std::size_t b = 0;
  for (const auto &c : cols_) b += c.bytes();
  return b;
}

void RawRows::append(const Chunk &c) {
  for (std::size_t col = 0; col < cols_.size(); ++col)
    for (std::size_t r = 0; r < c.rows; ++r)
      push_value(
          cols_[col], c.null(col, r), [&] { return c.text(col, r); }, [&] { return c.real(col, r); },
          [&] { return c.integer(col, r); });
}

void RawRows::permute(const std::vector<std::uint32_t> &order) {
  for (auto &c : cols_) {
    permute_vector(c.null, order);
    permute_vector(c.codes, order);
    permute_vector(c.ints, order);
    permute_vector(c.reals, order);
  }
}

// A counting sort of the rows by the rank of their key's bytes: stable, so
// the rows of a document keep the database's order.
void RawRows::sort_documents() {
  if (rows() == 0) return;
  const RawColumn &key = cols_[0];
  std::vector<std::uint32_t> by_text(key.dict.size());
  std::iota(by_text.begin(), by_text.end(), 0u);
  std::sort(by_text.begin(), by_text.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key.dict.name(a) < key.dict.name(b); });
  std::vector<std::uint32_t> bucket_of(key.dict.size());  // code -> bucket (0: null keys)
  for (std::uint32_t i = 0; i < by_text.size(); ++i) bucket_of[by_text[i]] = i + 1;
  std::vector<std::uint32_t> start(key.dict.size() + 2, 0);
  auto bucket = [&](std::size_t r) { return key.null[r] ? 0u : bucket_of[key.codes[r]]; };
  for (std::size_t r = 0; r < rows(); ++r) ++start[bucket(r) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> order(rows());
  for (std::size_t r = 0; r < rows(); ++r) order[start[bucket(r)]++] = static_cast<std::uint32_t>(r);
  permute(order);
}

void RawRows::replay(Chunk &chunk, const std::function<void(Chunk &)> &sink) const {
  chunk.reserve_rows();
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows(); ++r) {
    for (std::size_t c = 0; c < cols_.size(); ++c) {
      const RawColumn &from = cols_[c];
      auto &to = chunk.cols[c];
      if (from.null[r]) {
        to.ind[n] = soci::i_null;
        continue;
      }
      to.ind[n] = soci::i_ok;
      switch (from.wire) {
        case Wire::text: to.text[n].assign(from.dict.name(from.codes[r])); break;
        case Wire::real: to.reals[n] = from.reals[r]; break;
        default: to.ints[n] = from.ints[r]; break;
      }
    }
    if (++n == source_detail::kChunkRows || r + 1 == rows()) {
      chunk.rows = n;
      sink(chunk);
      n = 0;
    }
  }
}

void RawRows::mark_document(std::vector<std::uint8_t> &exists, std::string_view id) const {
  const std::uint32_t code = key_dict().find(id);
  if (code != Dictionary::npos && code < exists.size()) exists[code] = 1;
}

void RawRows::apply(RawRows changes, const std::vector<std::uint8_t> &exists) {
  changes.sort_documents();
  const RawColumn &ckey = changes.cols_[0], &live = changes.cols_.back();
  const std::size_t old_rows = rows();
  // Every document the changes name leaves, whatever its live flags.
  std::vector<std::uint8_t> changed(key_dict().size(), 0);
  for (std::size_t r = 0; r < changes.rows(); ++r)
    if (!ckey.null[r]) mark_document(changed, ckey.dict.name(ckey.codes[r]));
  std::vector<std::uint32_t> kept;
  for (std::size_t r = 0; r < old_rows; ++r) {
    const std::uint32_t code = cols_[0].codes[r];
    if (cols_[0].null[r] || (code < exists.size() && exists[code] && !changed[code]))
      kept.push_back(static_cast<std::uint32_t>(r));
  }
  // The live rows come after the old ones (text re-coded into these
  // dictionaries), already in canonical order among themselves.
  for (std::size_t r = 0; r < changes.rows(); ++r) {
    if (ckey.null[r] || live.null[r] || live.ints[r] != 1) continue;
    for (std::size_t c = 0; c < cols_.size(); ++c) append_value(cols_[c], changes.cols_[c], r);
  }
  // Merged by document: the two sets share no key.
  const RawColumn &key = cols_[0];
  auto text = [&](std::uint32_t r) { return key.dict.name(key.codes[r]); };
  std::vector<std::uint32_t> order;
  order.reserve(kept.size() + rows() - old_rows);
  std::size_t a = 0;
  auto b = static_cast<std::uint32_t>(old_rows);
  const auto end = static_cast<std::uint32_t>(rows());
  while (a < kept.size() || b < end) {
    const bool take_old = b == end || (a < kept.size() && (key.null[kept[a]] || text(kept[a]) < text(b)));
    if (take_old) {
      const std::uint32_t first = kept[a];
      do order.push_back(kept[a++]);
      while (a < kept.size() && !key.null[first] && !key.null[kept[a]] && key.codes[kept[a]] == key.codes[first]);
    } else {
      const std::uint32_t first = b;
      do order.push_back(b++);
      while (b < end && key.codes[b] == key.codes[first]);
    }
  }
  permute(order);
}

}  // namespace cskpi::incremental
