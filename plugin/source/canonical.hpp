// The canonical sources of docs/kpis.md §1, each declared once (canonical.cpp):
// its columns with their logical types and nullability, the column that
// dates its rows, which connection reads it in the two-connection load,
// where the model records its presence and keeps its rows, and its row
// handler. Profiles are checked against it (file names, result columns), the
// loader builds its SELECT wrappers from it and reads each row through its
// handler, the two-connection load merges by it and the profile check
// describes by it: adding a source is one declaration and one row handler
// (source_rows.cpp), and nothing else branches on a source's name.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/dataset.hpp"

namespace cskpi {

namespace source_detail {
class RowReader;
struct Chunk;
}  // namespace source_detail

// Logical type of a canonical column (docs/kpis.md §1 "type").
enum class ColumnKind { text, date, timestamp, real, integer };

const char *column_kind_name(ColumnKind k);

struct CanonicalColumn {
  std::string_view name;
  ColumnKind kind;
  bool nullable;  // false: a null value skips the row (null_mandatory_field)
  bool loaded;    // false: only checked to exist, never fetched (Dataset has no place for it)
};

// Which connection reads a source when two share one snapshot (loader.hpp,
// LoadHooks::second_session): order_lines and invoices dominate the
// server's work, so they go to different ones.
enum class ReadOn : std::uint8_t { caller, worker };

// A source's kept rows in the model: the customer of each (null when the
// source names none) and the day that dates it.
struct SourceRows {
  std::vector<std::uint32_t> *customer;  // kNoCustomer for a row without one
  std::vector<Day> *day;
};

struct CanonicalSource {
  using RowHandler = void (*)(source_detail::RowReader &, const source_detail::Chunk &, std::size_t row);

  std::string_view name;
  bool mandatory;  // customers and order_lines; every other source is optional
  // Loaded columns first, in the order the row handler indexes them.
  std::span<const CanonicalColumn> columns;
  std::string_view date_column;  // dates a row (the profile check's coverage and null rate)
  // The column that names the document a row belongs to (an order, an
  // invoice...): the unit change capture replaces (docs/nightly.md
  // "Incremental runs"). Always the first column; "" when the source has
  // none (retention_costs: read in full every run).
  std::string_view document_key;
  // The customers themselves: the source other sources' customer_id refer
  // to (read first); its rows are never left out for their date.
  bool defines_customers;
  // Its customer_id refers to a customer of the customers source (the
  // customers source itself and retention_costs: false).
  bool refers_to_customers;
  ReadOn read_on;
  bool SourcePresence::*present;  // where the model says it was read; nullptr: mandatory, always
  RowHandler row;
  // The model's part of this source: its rows (customer, day) and what a
  // load that read only some sources moves into the full model
  // (shared_snapshot_load.cpp), after its customer references are remapped.
  SourceRows (*rows)(Dataset &);
  void (*move_into)(Dataset &into, Dataset &part);
  // Called once its last row is read (the loader drops lookups it no longer needs); may be nullptr.
  void (*finish)(Dataset &);
  // What bad_value means for this source, in plain words (profile check).
  std::string_view bad_value_words;

  std::size_t loaded_count() const;
};

// The seven sources, in load order: customers first (other sources resolve
// customer ids against it), tickets before feedback (feedback.ticket_id).
std::span<const CanonicalSource> canonical_sources();
// nullptr when name is not a canonical source.
const CanonicalSource *find_canonical_source(std::string_view name);

}  // namespace cskpi
