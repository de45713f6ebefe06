// The subcommands of the cskpi command. Each returns the process exit code
// (docs/cli.md): 0 ok, 1 internal error, 2 usage or configuration,
// 3 profile, 4 database, 5 busy (another nightly run), 6 cancelled.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

// Parsed "--name value" options and "--flag"s of one subcommand.
struct Options {
  std::map<std::string, std::string> values;
  bool has(const std::string &k) const { return values.count(k) > 0; }
  std::string get(const std::string &k, const std::string &fallback = "") const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
};

// Throws UsageError for an unknown option or a missing value.
Options parse_options(const std::vector<std::string> &args, const std::vector<std::string> &with_value,
                      const std::vector<std::string> &flags);

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int cmd_demo(const std::vector<std::string> &args);
int cmd_compute(const std::vector<std::string> &args);
int cmd_nightly(const std::vector<std::string> &args);
int cmd_report(const std::vector<std::string> &args);
int cmd_check_profile(const std::vector<std::string> &args);  // check_profile.cpp

std::string read_file(const std::string &path);
// Exit code for an ABI status.
int exit_code(int status);

}  // namespace cli
