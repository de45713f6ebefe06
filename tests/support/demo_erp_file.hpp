// A demo ERP in an SQLite file of its own, for the tests that read a whole
// generated ERP (hosts/demo/demo_erp.hpp).
#pragma once

#include <string>

#include "demo_erp.hpp"

namespace cskpi::test {

// Generates the demo ERP into "<stem>-<pid>.sqlite" (ctest runs each test
// case as its own process, in parallel: one file each) and removes the file
// when destroyed. Hold it in a function-local static to generate it once per
// process.
class DemoErpFile {
 public:
  DemoErpFile(const std::string &stem, const demo::DemoOptions &options);
  ~DemoErpFile();
  DemoErpFile(const DemoErpFile &) = delete;
  DemoErpFile &operator=(const DemoErpFile &) = delete;
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace cskpi::test
