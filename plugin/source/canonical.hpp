// The canonical sources of kpi-spec §1 as data: source names, column names,
// their logical types and nullability. Profiles are checked against it (file
// names, result columns) and the loader builds its SELECT wrappers from it, so
// the table below is the single place that spells the canonical schema.
#pragma once

#include <span>
#include <string_view>

namespace cskpi {

// Logical type of a canonical column (kpi-spec §1 "type").
enum class ColumnKind { text, date, timestamp, real, integer };

const char *column_kind_name(ColumnKind k);

struct CanonicalColumn {
  std::string_view name;
  ColumnKind kind;
  bool nullable;  // false: a null value skips the row (null_mandatory_field)
  bool loaded;    // false: only checked to exist, never fetched (Dataset has no place for it)
};

struct CanonicalSource {
  std::string_view name;
  bool mandatory;  // customers and order_lines; every other source is optional
  // Loaded columns first, in the order the loader's row handlers index them.
  std::span<const CanonicalColumn> columns;

  std::size_t loaded_count() const;
};

// The seven sources, in load order: customers first (other sources resolve
// customer ids against it), tickets before feedback (feedback.ticket_id).
std::span<const CanonicalSource> canonical_sources();
// nullptr when name is not a canonical source.
const CanonicalSource *find_canonical_source(std::string_view name);

}  // namespace cskpi
