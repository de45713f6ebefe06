// SQL profiles: one SELECT per canonical source (docs/kpis.md §1), mapping an ERP's
// tables onto the canonical columns. A profile is either built in (embedded
// from sql/profiles/<name>/ at build time) or a directory given by path:
//
//   <dir>/<source>.sql             the generic SELECT of a source
//   <dir>/<dialect>/<source>.sql   overrides it for one backend
//                                  (dialect: sqlite3 | postgresql | mysql)
//
// customers and order_lines are mandatory, the other sources optional. A .sql
// file that is not named after a canonical source is an error, so a typo never
// silently turns a source off.
//
// A source with a document key (canonical.cpp) may also declare change
// capture for the incremental nightly run (docs/nightly.md "Incremental
// runs", docs/profiles/README.md), with the same dialect overrides:
//   <source>.changes.sql     the rows of every document changed since :since,
//                            with the source's columns plus `live`
//   <source>.documents.sql   `document_id` of every document that exists
//
// Two small additions keep one profile usable across installations
// (docs/profiles/README.md):
//   {{name}}                           a placeholder, replaced by the value of
//                                      source.parameters.name (configuration)
//                                      or the profile's default; names and
//                                      values match ^[A-Za-z0-9_]+$ (e.g. a
//                                      Protheus table suffix: SA1{{suffix}})
//   -- cskpi:default name=value        the default of a placeholder (any file
//                                      of the profile; one value per name)
//   -- cskpi:requires rel[, rel...]    tables or views an optional source needs:
//                                      when one does not exist (the ERP module
//                                      is not installed) the source is absent
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cskpi {

struct Profile {
  std::string name;                      // built-in name or the path given
  std::map<std::string, std::string> sql;  // source name -> SELECT text (no trailing ';')
  // Change capture (both or neither per source): source name -> SELECT text.
  std::map<std::string, std::string> changes;
  std::map<std::string, std::string> documents;
  // source name -> relations named by its "-- cskpi:requires" lines.
  std::map<std::string, std::vector<std::string>> requires_relations;
};

struct ProfileOptions {
  // Values of the {{name}} placeholders (Settings::source_parameters); they
  // win over the profile's defaults. A value no file uses is a ConfigError
  // (a misspelt parameter name must not silently fall back to the default).
  std::map<std::string, std::string> parameters;
  // For the profile check: a profile without a mandatory source loads (the
  // check reports the source as missing) instead of throwing.
  bool allow_missing_mandatory = false;
};

// Loads a built-in profile by name, or else the profile directory at that path,
// with the overrides of `dialect` applied and the placeholders filled. Throws
// ProfileError (unknown name, unknown or empty file, missing mandatory source,
// a placeholder without value, a bad directive) and ConfigError (dialect, an
// unused or malformed parameter).
Profile load_profile(const std::string &name_or_path, const std::string &dialect, const ProfileOptions &options = {});

// Names of the built-in profiles, sorted.
std::vector<std::string> builtin_profile_names();

}  // namespace cskpi
