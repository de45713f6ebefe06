// cskpi: the command-line host of libcskpi (docs/cli.md).
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "cskpi.h"
#include "result_view.hpp"

namespace {

const char *kUsage =
    "usage: cskpi <command> [options]\n"
    "\n"
    "commands:\n"
    "  demo      generate the demo ERP (SQLite) if missing, else add a day of activity\n"
    "            to it, run the nightly job on it, print the KPIs and write a report\n"
    "            (Markdown and HTML)\n"
    "              [--db FILE] [--customers N] [--seed N] [--as-of DATE] [--report FILE]\n"
    "              [--html FILE] [--lang en|pt-BR] [--no-activity]\n"
    "  compute   compute KPIs or one table and print them\n"
    "              --config FILE [--as-of DATE] [--granularity day|week|month|quarter|year]\n"
    "              [--table NAME] [--from DATE] [--to DATE] [--json | --csv | --xlsx FILE]\n"
    "            (--csv: RFC 4180; --xlsx: every table, or --table, one sheet each)\n"
    "            (tables: docs/kpis.md section 12.2; an unknown NAME lists them)\n"
    "  report    write the customer-success report of one segment as one HTML file\n"
    "              --config FILE --out FILE [--as-of DATE] [--granularity G] [--segment S]\n"
    "              [--lang en|pt-BR] [--run-id N]\n"
    "  nightly   write the KPI snapshot of as_of into the target database\n"
    "              --config FILE [--as-of DATE] [--granularities month,week] [--lookback N] [--full]\n"
    "  check-profile  read every source of the profile (at most N rows each) and say what\n"
    "            works and what to fix; exit 3 when customers or order_lines cannot be read\n"
    "              --config FILE [--limit N] [--as-of DATE] [--json]\n"
    "  version   print the library and ABI versions\n"
    "\n"
    "exit codes: 0 ok, 1 internal error, 2 usage/configuration, 3 profile, 4 database,\n"
    "            5 busy (another nightly run), 6 cancelled\n";

}  // namespace

int main(int argc, char **argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "demo") return cli::cmd_demo(args);
    if (command == "compute") return cli::cmd_compute(args);
    if (command == "nightly") return cli::cmd_nightly(args);
    if (command == "report") return cli::cmd_report(args);
    if (command == "check-profile") return cli::cmd_check_profile(args);
    if (command == "version") {
      std::printf("cskpi %s (ABI %d)\n", cskpi_version(), cskpi_abi_version());
      return 0;
    }
    std::fprintf(stderr, "cskpi: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const cli::UsageError &e) {
    std::fprintf(stderr, "cskpi %s: %s\n\n%s", command.c_str(), e.what(), kUsage);
    return 2;
  } catch (const cli::AbiFailure &e) {
    std::fprintf(stderr, "cskpi %s: %s: %s\n", command.c_str(), cskpi_status_name(e.status), e.what());
    return cli::exit_code(e.status);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "cskpi %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
