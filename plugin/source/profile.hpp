// SQL profiles: one SELECT per canonical source (kpi-spec §1), mapping an ERP's
// tables onto the canonical columns. A profile is either built in (embedded
// from sql/profiles/<name>/ at build time) or a directory given by path:
//
//   <dir>/<source>.sql             the generic SELECT of a source
//   <dir>/<dialect>/<source>.sql   overrides it for one backend
//                                  (dialect: sqlite3 | postgresql)
//
// customers and order_lines are mandatory, the other sources optional. A .sql
// file that is not named after a canonical source is an error, so a typo never
// silently turns a source off.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cskpi {

struct Profile {
  std::string name;                      // built-in name or the path given
  std::map<std::string, std::string> sql;  // source name -> SELECT text (no trailing ';')
};

// Loads a built-in profile by name, or else the profile directory at that path,
// with the overrides of `dialect` applied. Throws ProfileError (unknown name,
// unknown or empty file, missing mandatory source) and ConfigError (dialect).
Profile load_profile(const std::string &name_or_path, const std::string &dialect);

// Names of the built-in profiles, sorted.
std::vector<std::string> builtin_profile_names();

}  // namespace cskpi
