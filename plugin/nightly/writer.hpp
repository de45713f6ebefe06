// Writes engine tables into the snapshot tables of the target database, in
// bulk: the caller holds the transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/table.hpp"
#include "nightly/target.hpp"

namespace cskpi {

// Rows per bulk statement: big enough that round trips stop mattering, small
// enough that a chunk's buffers stay a few megabytes.
inline constexpr std::size_t kWriteChunkRows = 5000;

class SnapshotWriter {
 public:
  SnapshotWriter(Target &db, Day as_of, std::int64_t run_id);

  // Deletes the rows of this as_of from `target` (a cskpi_* table).
  void delete_as_of(const std::string &target);

  // Inserts every row of `table` into `target`, whose columns are the
  // table's columns, plus `granularity` when it is not empty (for tables
  // computed per granularity that do not carry it), plus as_of and run_id.
  // after_chunk(rows) is called after each chunk with that chunk's row count.
  void insert(const std::string &target, const Table &table, const std::string &granularity,
              const std::function<void(std::size_t rows)> &after_chunk);

 private:
  Target &db_;
  std::string as_of_;
  long long run_id_;
};

}  // namespace cskpi
