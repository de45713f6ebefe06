#include "source/profile.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>

#include "core/dialect.hpp"
#include "core/errors.hpp"
#include "source/canonical.hpp"
#include "source/embedded_profiles.hpp"

namespace cskpi {
namespace {

namespace fs = std::filesystem;

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

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_word_char(c)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Calls f(keyword, rest) for every "-- cskpi:<keyword> <rest>" line of text.
template <class F>
void for_each_directive(std::string_view text, F &&f) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.substr(0, 2) != "--") continue;
    line = trim(line.substr(2));
    if (line.substr(0, 6) != "cskpi:") continue;
    line.remove_prefix(6);
    std::size_t k = 0;
    while (k < line.size() && line[k] != ' ' && line[k] != '\t') ++k;
    f(line.substr(0, k), trim(line.substr(k)));
  }
}

// A {{name}} placeholder starting at text[pos] ("{{" then a letter or _, then
// word characters, then "}}"); its length, or 0. PostgreSQL array literals
// such as '{{1,2},{3,4}}' never match.
std::size_t placeholder_at(std::string_view text, std::size_t pos, std::string_view &name) {
  if (text.substr(pos, 2) != "{{") return 0;
  std::size_t b = pos + 2, e = b;
  if (e >= text.size() || !(is_word_char(text[e]) && !(text[e] >= '0' && text[e] <= '9'))) return 0;
  while (e < text.size() && is_word_char(text[e])) ++e;
  if (text.substr(e, 2) != "}}") return 0;
  name = text.substr(b, e - b);
  return e + 2 - pos;
}

constexpr std::string_view kChangesSuffix = ".changes", kDocumentsSuffix = ".documents";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Change capture is both SELECTs of a source that has its own (docs/profiles/README.md).
void check_change_capture(const Profile &p) {
  auto check = [&](const std::map<std::string, std::string> &have, const std::map<std::string, std::string> &other,
                   const char *file, const char *other_file) {
    for (const auto &[source, sql] : have) {
      if (!p.sql.count(source))
        throw ProfileError("profile '" + p.name + "': " + source + file + " without " + source +
                           ".sql (change capture is for a source the profile reads)");
      if (!other.count(source))
        throw ProfileError("profile '" + p.name + "': " + source + file + " without " + source + other_file +
                           " (change capture needs both)");
    }
  };
  check(p.changes, p.documents, ".changes.sql", ".documents.sql");
  check(p.documents, p.changes, ".documents.sql", ".changes.sql");
}

Profile assemble(const std::string &name, const std::vector<ProfileText> &files, const std::string &dialect,
                 const ProfileOptions &options) {
  struct Entry {
    const ProfileText *file;
    std::string stem;  // "<source>", "<source>.changes" or "<source>.documents"
    std::string dir;
  };
  std::vector<Entry> entries;
  for (const auto &f : files) {
    std::string_view path = f.path;
    auto slash = path.find('/');
    std::string_view dir = slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
    std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (!is_profile_file(file)) continue;
    if (file.find('/') != std::string_view::npos)
      throw ProfileError("profile '" + name + "': unexpected file '" + f.path +
                         "' (expected <source>.sql or <dialect>/<source>.sql)");
    if (!dir.empty() && !find_dialect(dir))
      throw ProfileError("profile '" + name + "': directory '" + std::string(dir) + "' is not a SQL dialect (expected " +
                         dialect_choices() + ")");
    // "<source>.sql", or a change-capture file "<source>.changes.sql" /
    // "<source>.documents.sql": the stem names the entry.
    std::string stem(file.substr(0, file.size() - 4));
    std::string source = stem;
    for (std::string_view suffix : {kChangesSuffix, kDocumentsSuffix})
      if (ends_with(source, suffix)) source.resize(source.size() - suffix.size());
    const CanonicalSource *canonical = find_canonical_source(source);
    if (!canonical)
      throw ProfileError("profile '" + name + "': file '" + f.path + "' is not named after a source (sources: " +
                         source_list() + "; change capture: <source>.changes.sql, <source>.documents.sql)");
    if (stem != source && canonical->document_key.empty())
      throw ProfileError("profile '" + name + "': file '" + f.path + "': source '" + source +
                         "' has no document key, so it has no change capture (it is read in full every run)");
    entries.push_back({&f, std::move(stem), std::string(dir)});
  }

  // Placeholder defaults ("-- cskpi:default name=value") from every file, and
  // the names the files use; then the configured values on top.
  std::map<std::string, std::string> values;
  std::map<std::string, std::string> default_from;  // name -> file that set it
  std::map<std::string, bool> used;
  for (const auto &e : entries) {
    for_each_directive(e.file->text, [&](std::string_view keyword, std::string_view rest) {
      if (keyword == "requires") return;
      if (keyword != "default")
        throw ProfileError("profile '" + name + "', file '" + e.file->path + "': unknown directive 'cskpi:" +
                           std::string(keyword) + "' (known: cskpi:default, cskpi:requires)");
      auto eq = rest.find('=');
      std::string_view key = trim(rest.substr(0, eq)), value = eq == std::string_view::npos ? "" : trim(rest.substr(eq + 1));
      if (!is_word(key) || !is_word(value))
        throw ProfileError("profile '" + name + "', file '" + e.file->path + "': bad directive 'cskpi:default " +
                           std::string(rest) + "' (expected cskpi:default name=value, letters, digits and _ only)");
      auto [it, added] = values.emplace(std::string(key), std::string(value));
      if (!added && it->second != value)
        throw ProfileError("profile '" + name + "': files '" + default_from[it->first] + "' and '" + e.file->path +
                           "' give placeholder {{" + it->first + "}} different defaults");
      default_from.emplace(std::string(key), e.file->path);
    });
    std::string_view text = e.file->text, ph;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (std::size_t n = placeholder_at(text, i, ph)) {
        used[std::string(ph)] = true;
        i += n - 1;
      }
  }
  for (const auto &[key, value] : options.parameters) {
    if (!used.count(key)) {
      std::string list;
      for (const auto &u : used) list += (list.empty() ? "" : ", ") + u.first;
      throw ConfigError("configuration key 'source.parameters." + key + "': profile '" + name +
                        "' has no placeholder {{" + key + "}} (" +
                        (list.empty() ? std::string("it uses none") : "it uses: " + list) + ")");
    }
    if (!is_word(key) || !is_word(value))
      throw ConfigError("configuration key 'source.parameters." + key +
                        "': names and values may only hold letters, digits and _");
    values[key] = value;
  }

  std::map<std::string, std::string> generic, overrides;
  std::map<std::string, std::vector<std::string>> generic_requires, override_requires;
  for (const auto &e : entries) {
    std::string_view text = e.file->text, ph;
    std::string filled;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (std::size_t n = placeholder_at(text, i, ph)) {
        // '{{{{x}}}}' would become '{{value}}': a placeholder made by the
        // substitution, which nobody wrote. Braces glued to a placeholder
        // are refused instead of guessed at.
        if ((i > 0 && text[i - 1] == '{') || (i + n < text.size() && text[i + n] == '}'))
          throw ProfileError("profile '" + name + "', file '" + e.file->path + "': placeholder {{" + std::string(ph) +
                             "}} touches another brace; put a space or a quote between them");
        auto v = values.find(std::string(ph));
        if (v == values.end())
          throw ProfileError("profile '" + name + "', file '" + e.file->path + "': placeholder {{" + std::string(ph) +
                             "}} has no value: set \"source\": {\"parameters\": {\"" + std::string(ph) +
                             "\": ...}} in the configuration, or add a line '-- cskpi:default " + std::string(ph) +
                             "=<value>' to the profile");
        filled += v->second;
        i += n - 1;
      } else {
        filled += text[i];
      }
    }
    std::vector<std::string> needs;
    for_each_directive(filled, [&](std::string_view keyword, std::string_view rest) {
      if (keyword != "requires") return;
      std::string token;
      auto flush = [&] {
        if (!token.empty()) needs.push_back(std::move(token));
        token.clear();
      };
      for (char c : rest) {
        if (c == ',' || c == ' ' || c == '\t') {
          flush();
        } else if (is_word_char(c) || c == '.' || c == '-' || c == '"' || c == '$') {
          token += c;
        } else {
          throw ProfileError("profile '" + name + "', file '" + e.file->path + "': bad directive 'cskpi:requires " +
                             std::string(rest) + "' (expected table or view names separated by commas)");
        }
      }
      flush();
    });
    std::string sql = strip_sql(filled);
    if (sql.empty()) throw ProfileError("profile '" + name + "': file '" + e.file->path + "' holds no SELECT");
    if (e.dir.empty()) {
      generic[e.stem] = std::move(sql);
      generic_requires[e.stem] = std::move(needs);
    } else if (e.dir == dialect) {
      overrides[e.stem] = std::move(sql);
      override_requires[e.stem] = std::move(needs);
    }
  }
  for (auto &[stem, sql] : overrides) {
    generic[stem] = std::move(sql);
    generic_requires[stem] = std::move(override_requires[stem]);
  }
  Profile p{name, {}, {}, {}, {}};
  for (auto &[stem, sql] : generic) {
    if (ends_with(stem, kChangesSuffix)) p.changes[stem.substr(0, stem.size() - kChangesSuffix.size())] = std::move(sql);
    else if (ends_with(stem, kDocumentsSuffix))
      p.documents[stem.substr(0, stem.size() - kDocumentsSuffix.size())] = std::move(sql);
    else p.sql[stem] = std::move(sql);
  }
  // Only a source's own SELECT says which relations it needs.
  for (auto &[stem, needs] : generic_requires)
    if (p.sql.count(stem) && !needs.empty()) p.requires_relations[stem] = std::move(needs);
  check_change_capture(p);
  if (!options.allow_missing_mandatory)
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

Profile load_profile(const std::string &name_or_path, const std::string &dialect, const ProfileOptions &options) {
  parse_dialect(dialect, "SQL dialect");

  // A bare name is looked up among the built-in profiles first, so a stray
  // directory named "canonical" in the working directory cannot shadow it.
  if (name_or_path.find('/') == std::string::npos) {
    std::vector<ProfileText> files;
    for (const auto &f : embedded::profile_files())
      if (name_or_path == f.profile) files.push_back({f.path, std::string(f.text, f.size)});
    if (!files.empty()) return assemble(name_or_path, files, dialect, options);
  }

  std::error_code ec;
  if (!name_or_path.empty() && fs::is_directory(name_or_path, ec))
    return assemble(name_or_path, read_directory(name_or_path, name_or_path), dialect, options);

  std::string names;
  for (const auto &n : builtin_profile_names()) names += (names.empty() ? "" : ", ") + n;
  throw ProfileError("unknown profile '" + name_or_path + "': neither a built-in profile (" +
                     (names.empty() ? std::string("none built in") : names) + ") nor a directory");
}

}  // namespace cskpi
