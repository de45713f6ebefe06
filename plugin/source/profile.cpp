#include "source/profile.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/errors.hpp"
#include "source/canonical.hpp"
#include "source/embedded_profiles.hpp"

namespace cskpi {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDialects[] = {"sqlite3", "postgresql"};

bool is_dialect(std::string_view d) {
  for (auto k : kDialects)
    if (d == k) return true;
  return false;
}

struct ProfileText {
  std::string path;  // relative to the profile directory, '/'-separated
  std::string text;
};

std::string source_list() {
  std::string out;
  for (const auto &s : canonical_sources()) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

// The SELECT is wrapped as a subquery later: a trailing ';' (and the blank
// lines editors leave after it) would make that a syntax error.
std::string strip_sql(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && (is_space(text.back()) || text.back() == ';')) text.remove_suffix(1);
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return std::string(text);
}

// Editor leftovers (.#customers.sql, .customers.sql.swp) and non-SQL files
// (a README) live happily next to a profile's files.
bool is_profile_file(std::string_view file_name) {
  return !file_name.empty() && file_name.front() != '.' && file_name.size() > 4 &&
         file_name.substr(file_name.size() - 4) == ".sql";
}

Profile assemble(const std::string &name, const std::vector<ProfileText> &files, const std::string &dialect) {
  std::map<std::string, std::string> generic, overrides;
  for (const auto &f : files) {
    std::string_view path = f.path;
    auto slash = path.find('/');
    std::string_view dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
    std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (!is_profile_file(file)) continue;
    if (file.find('/') != std::string_view::npos)
      throw ProfileError("profile '" + name + "': unexpected file '" + f.path +
                         "' (expected <source>.sql or <dialect>/<source>.sql)");
    if (!dir.empty() && !is_dialect(dir))
      throw ProfileError("profile '" + name + "': directory '" + std::string(dir) +
                         "' is not a SQL dialect (expected sqlite3 or postgresql)");
    std::string source(file.substr(0, file.size() - 4));
    if (!find_canonical_source(source))
      throw ProfileError("profile '" + name + "': file '" + f.path + "' is not named after a source (sources: " +
                         source_list() + ")");
    std::string sql = strip_sql(f.text);
    if (sql.empty()) throw ProfileError("profile '" + name + "': file '" + f.path + "' holds no SELECT");
    if (dir.empty())
      generic[source] = std::move(sql);
    else if (dir == dialect)
      overrides[source] = std::move(sql);
  }
  Profile p{name, std::move(generic)};
  for (auto &[source, sql] : overrides) p.sql[source] = std::move(sql);
  for (const auto &s : canonical_sources())
    if (s.mandatory && !p.sql.count(std::string(s.name)))
      throw ProfileError("profile '" + name + "' has no " + std::string(s.name) + ".sql (" + std::string(s.name) +
                         " is mandatory)");
  return p;
}

std::string read_file(const fs::path &p, const std::string &profile) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ProfileError("profile '" + profile + "': cannot read " + p.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The .sql files of a profile directory and of its immediate subdirectories
// (dialect overrides); deeper levels are not part of the layout.
std::vector<ProfileText> read_directory(const fs::path &root, const std::string &profile) {
  std::vector<ProfileText> files;
  try {
    for (const auto &e : fs::directory_iterator(root)) {
      std::string entry = e.path().filename().string();
      if (e.is_regular_file()) {
        if (is_profile_file(entry)) files.push_back({entry, read_file(e.path(), profile)});
      } else if (e.is_directory() && entry.front() != '.') {
        for (const auto &sub : fs::directory_iterator(e.path())) {
          std::string file = sub.path().filename().string();
          if (sub.is_regular_file() && is_profile_file(file))
            files.push_back({entry + "/" + file, read_file(sub.path(), profile)});
        }
      }
    }
  } catch (const fs::filesystem_error &e) {
    throw ProfileError("profile '" + profile + "': " + e.what());
  }
  return files;
}

}  // namespace

std::vector<std::string> builtin_profile_names() {
  std::vector<std::string> names;
  for (const auto &f : embedded::profile_files())
    if (names.empty() || names.back() != f.profile) names.emplace_back(f.profile);
  return names;
}

Profile load_profile(const std::string &name_or_path, const std::string &dialect) {
  if (!is_dialect(dialect))
    throw ConfigError("unknown SQL dialect '" + dialect + "' (expected sqlite3 or postgresql)");

  // A bare name is looked up among the built-in profiles first, so a stray
  // directory named "canonical" in the working directory cannot shadow it.
  if (name_or_path.find('/') == std::string::npos) {
    std::vector<ProfileText> files;
    for (const auto &f : embedded::profile_files())
      if (name_or_path == f.profile) files.push_back({f.path, std::string(f.text, f.size)});
    if (!files.empty()) return assemble(name_or_path, files, dialect);
  }

  std::error_code ec;
  if (!name_or_path.empty() && fs::is_directory(name_or_path, ec))
    return assemble(name_or_path, read_directory(name_or_path, name_or_path), dialect);

  std::string names;
  for (const auto &n : builtin_profile_names()) names += (names.empty() ? "" : ", ") + n;
  throw ProfileError("unknown profile '" + name_or_path + "': neither a built-in profile (" +
                     (names.empty() ? std::string("none built in") : names) + ") nor a directory");
}

}  // namespace cskpi
