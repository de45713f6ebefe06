// The built-in SQL profiles, compiled into the engine at build time from
// sql/profiles/<profile>/[<dialect>/]<source>.sql (plugin/CMakeLists.txt runs
// embed_profiles.cmake), so the plugin needs no SQL files at runtime.
#pragma once

#include <cstddef>
#include <span>

namespace cskpi::embedded {

struct ProfileFile {
  const char *profile;  // directory under sql/profiles
  const char *path;     // relative to the profile directory, '/'-separated
  const char *text;     // file content (not NUL-terminated: use size)
  std::size_t size;
};

// Every embedded file, sorted by profile then path.
std::span<const ProfileFile> profile_files();

}  // namespace cskpi::embedded
