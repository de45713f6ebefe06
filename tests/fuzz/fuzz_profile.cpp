// Fuzz target: profile text (plugin/source/profile.cpp): {{name}}
// placeholders, "-- cskpi:default" and "-- cskpi:requires" directives, dialect
// overrides. The input is split at NUL bytes into customers.sql,
// order_lines.sql, postgresql/tickets.sql and "name=value" parameters (one
// per line), written as a profile directory and loaded. It loads or throws
// ProfileError / ConfigError, nothing else; a loaded profile has no
// placeholder left. Regression inputs live in corpus/profile/.
#include <unistd.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "fuzz_support.hpp"
#include "source/profile.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path &profile_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("cskpi-fuzz-profile-" + std::to_string(getpid()));
    fs::create_directories(d / "postgresql");
    return d;
  }();
  return dir;
}

void write(const fs::path &p, const std::string &text, bool present) {
  if (!present) {
    fs::remove(p);
    return;
  }
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && parts.size() < 4) parts.emplace_back();
    else parts.back().push_back(static_cast<char>(data[i]));
  }
  const fs::path &dir = profile_dir();
  write(dir / "customers.sql", parts[0], true);
  write(dir / "order_lines.sql", parts.size() > 1 ? parts[1] : "SELECT 1", true);
  write(dir / "postgresql" / "tickets.sql", parts.size() > 2 ? parts[2] : "", parts.size() > 2);
  cskpi::ProfileOptions options;
  if (parts.size() > 3) {
    std::size_t begin = 0;
    while (begin <= parts[3].size()) {
      std::size_t end = parts[3].find('\n', begin);
      if (end == std::string::npos) end = parts[3].size();
      std::string line = parts[3].substr(begin, end - begin);
      if (auto eq = line.find('='); eq != std::string::npos) options.parameters[line.substr(0, eq)] = line.substr(eq + 1);
      begin = end + 1;
    }
  }
  cskpi::fuzz::only_profile_or_config_errors([&] {
    cskpi::Profile p = cskpi::load_profile(dir.string(), "postgresql", options);
    for (const auto &[source, sql] : p.sql)
      if (sql.find("{{") != std::string::npos && sql.find("}}", sql.find("{{")) != std::string::npos) {
        // A placeholder-shaped leftover is fine only when it is not a
        // placeholder (not a word between the braces).
        std::size_t open = sql.find("{{"), close = sql.find("}}", open);
        std::string inner = sql.substr(open + 2, close - open - 2);
        // (a placeholder name starts with a letter or _, as in profile.cpp)
        bool word = !inner.empty() && !std::isdigit(static_cast<unsigned char>(inner[0]));
        for (char c : inner) word = word && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
        if (word) cskpi::fuzz::fail("a placeholder survived in " + source);
      }
  });
  return 0;
}
