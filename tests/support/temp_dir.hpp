// Small helpers the source-layer tests share: a scratch directory for
// profile files, the message of an expected error and a substring check for
// its words.
#pragma once

#include <catch2/catch.hpp>

#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <fstream>
#include <string>

namespace cskpi::test {

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cskpi_test_XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  // Writes text to path/rel, creating the directories on the way.
  void write(const std::string &rel, const std::string &text) const {
    std::filesystem::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
};

inline bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// The message of the E that f() throws. When it throws none, the check fails
// and the message is "(no error)".
template <class E, class F>
std::string message_of(F &&f) {
  try {
    f();
  } catch (const E &e) {
    return e.what();
  }
  FAIL_CHECK("no error of the expected kind was thrown");
  return "(no error)";
}

}  // namespace cskpi::test
