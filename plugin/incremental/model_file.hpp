// The saved model of the incremental nightly run: one file beside the
// target (docs/nightly.md "Incremental runs", "The model file").
//
//   "CSKPIMDL"  u32 format version  u32 header length  header  u32 CRC-32 of the header
//   payload (every source's raw rows)                   u32 CRC-32 of the payload
//
// The header holds the library version, the profile's name, a hash of its
// SQL and parameters, a hash of the settings that shape the rows read, when
// the last full read was, and per source its row count and watermark. Numbers are little-endian. Every
// count read is checked against the bytes left before anything is
// allocated, so a truncated, corrupt or foreign file is a ModelFileError
// (never a crash, never a wrong model).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "core/settings.hpp"
#include "incremental/raw_rows.hpp"
#include "source/profile.hpp"

namespace cskpi::incremental {

inline constexpr std::uint32_t kModelFormatVersion = 1;

// What a model must have been built with to be used.
struct ModelIdentity {
  std::string library_version;  // CSKPI_VERSION_STRING
  std::string profile;          // the profile's name (or path)
  std::uint64_t profile_hash = 0;
  std::uint64_t settings_hash = 0;

  bool operator==(const ModelIdentity &) const = default;
};

// The identity of the model a run with profile p and settings s builds: the
// profile's SQL texts (S.sql, S.changes.sql, S.documents.sql) and parameters;
// the source's backend and connection (passwords masked), time zone and
// timestamps mode.
ModelIdentity model_identity(const Profile &p, const Settings &s);

struct SourceModel {
  RawRows rows;
  std::string watermark;  // the source's UTC clock when it was read: 'YYYY-MM-DD HH:MM:SS'
};

struct Model {
  ModelIdentity identity;
  // The watermark of the last run that read every source in full
  // (nightly.full_every_days counts from its day).
  std::string full_read_at;
  std::map<std::string, SourceModel> sources;  // the change-captured sources
  std::size_t bytes() const;
};

// Why a file is not a usable model: reason is a short word of the run log's
// fallback (model_corrupt, model_version, library_changed, profile_changed,
// settings_changed), what() says more.
struct ModelFileError : std::runtime_error {
  ModelFileError(std::string why, const std::string &detail)
      : std::runtime_error(detail), reason(std::move(why)) {}
  std::string reason;
};

// Writes the model to `path` and fsyncs it; returns its digest ("crc32:"
// header CRC, payload CRC, size), the value cskpi_run.model_digest records.
// Throws std::runtime_error when the file cannot be written.
std::string write_model(const Model &m, const std::string &path);

// Reads the model at `path`, which must have been built with `expect`.
// Sets digest (as write_model returned it). Throws ModelFileError.
Model read_model(const std::string &path, const ModelIdentity &expect, std::string &digest);

// A fault-injection point for the tests of the save protocol (nightly.cpp):
// when set, called with the step about to happen ("rename"); throwing
// there simulates a process killed at that step.
extern void (*model_save_fault)(const char *step);

}  // namespace cskpi::incremental
