#include "support/demo_erp_file.hpp"

#include <unistd.h>

#include <cstdio>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace cskpi::test {

DemoErpFile::DemoErpFile(const std::string &stem, const demo::DemoOptions &options)
    : path_(stem + "-" + std::to_string(getpid()) + ".sqlite") {
  std::remove(path_.c_str());
  soci::session db(soci::sqlite3, "db=" + path_);
  demo::generate_demo_erp(db, "sqlite3", options);
}

DemoErpFile::~DemoErpFile() { std::remove(path_.c_str()); }

}  // namespace cskpi::test
