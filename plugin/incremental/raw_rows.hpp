// The raw rows of one change-captured source, as the loader's normalising
// SELECT delivered them (wire values, before any row handler ran), kept
// between nightly runs so that a run can bring them up to date with the day's
// changes instead of reading the source in full (docs/nightly.md
// "Incremental runs").
//
// Rows are grouped by document (the source's document key, its first
// column: canonical.cpp) in a canonical order: documents sorted by the bytes
// of their key, rows with a null key first, and the rows of one document in
// the order the database sent them. The same rows therefore always replay in
// the same order, whatever history of full reads and applied changes built
// them, so a Dataset built from them never depends on how the run read.
//
// Columnar and compact: per column one null byte per row plus a 4-byte
// dictionary code (text, each distinct text kept once in the column's
// Dictionary), an int64 (integers, days, seconds) or a double; no per-row
// heap object.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/dictionary.hpp"
#include "source/backend.hpp"

namespace cskpi::incremental {

using source_detail::Chunk;
using source_detail::Wire;

struct RawColumn {
  Wire wire = Wire::text;
  std::vector<std::uint8_t> null;    // 1: the value is null
  std::vector<std::uint32_t> codes;  // text: entries of dict
  Dictionary dict;                   // text: every value once
  std::vector<long long> ints;       // int64, iso_days, iso_seconds
  std::vector<double> reals;         // real

  std::size_t size() const { return null.size(); }
  // Bytes held, dictionary included (docs/performance.md, the model's size).
  std::size_t bytes() const;
};

class RawRows {
 public:
  RawRows() = default;
  // Columns of these wires; the first is the document key (text).
  explicit RawRows(const std::vector<Wire> &wires);

  std::size_t rows() const { return cols_.empty() ? 0 : cols_[0].size(); }
  std::vector<RawColumn> &columns() { return cols_; }
  const std::vector<RawColumn> &columns() const { return cols_; }
  std::size_t bytes() const;

  // Appends every row of c, its first columns().size() columns (in the
  // order received: call sort_documents() once the read is complete).
  void append(const Chunk &c);
  // Puts the rows in the canonical order (see above).
  void sort_documents();

  // Fills `chunk` (columns of the same wires, at least columns().size())
  // with the rows in order, kChunkRows at a time, and calls sink for each
  // chunk: what the database's read would have delivered.
  void replay(Chunk &chunk, const std::function<void(Chunk &)> &sink) const;

  // The documents SELECT's keys, marked on a vector indexed by key code
  // (ids not in these rows are ignored: nothing to remove).
  std::vector<std::uint8_t> no_documents() const { return std::vector<std::uint8_t>(key_dict().size(), 0); }
  void mark_document(std::vector<std::uint8_t> &exists, std::string_view id) const;

  // Applies one run's changes (docs/nightly.md "Incremental runs"): every
  // document named in `changes` (these columns plus `live`, an int64, last)
  // is removed and its rows with live = 1 added; every document not marked in
  // `exists` is removed (a hard delete). Rows whose key is null stay as the
  // last full read left them (no change can name them).
  void apply(RawRows changes, const std::vector<std::uint8_t> &exists);

 private:
  const Dictionary &key_dict() const { return cols_[0].dict; }
  // Rows in `order` (old row indexes) become the rows.
  void permute(const std::vector<std::uint32_t> &order);

  std::vector<RawColumn> cols_;
};

}  // namespace cskpi::incremental
