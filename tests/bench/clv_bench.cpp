// cskpi-clv-bench: what the customer-base models of docs/kpis.md §13 add to
// a compute, on customers simulated from the BG/NBD and Gamma-Gamma
// processes (tests/support/clv_simulation.hpp). Prints wall-clock seconds of
// the summary alone, of the clv table (summary, both fits, scoring), of
// clv_model and of clv_validation (docs/performance.md).
//   cskpi-clv-bench [--customers N (1000000)] [--seed S (1)] [--segments K (1)]
//                   [--alpha A (6): the purchase-rate scale; 1.2 gives ~30 order days a customer]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "kpi/clv.hpp"
#include "support/clv_simulation.hpp"

using namespace cskpi;

namespace {

template <class F>
double seconds(F &&f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char **argv) {
  std::size_t customers = 1000000;
  std::uint64_t seed = 1;
  int segments = 1;
  test::ClvTruth truth;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--customers")) customers = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--segments")) segments = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--alpha")) truth.alpha = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: cskpi-clv-bench [--customers N] [--seed S] [--segments K] [--alpha A]\n");
      return 2;
    }
  }
  Dataset data;
  double gen = seconds([&] { data = test::simulate_clv_dataset(customers, truth, seed, "2024-06-30", 728, segments); });
  std::printf("customers %zu, order lines %zu (simulated in %.1f s), %u hardware threads\n", customers,
              data.order_lines.size(), gen, std::thread::hardware_concurrency());
  Settings s;
  std::size_t rows = 0;
  Table clv("clv"), model("clv_model"), validation("clv_validation");
  // One measurement per statement: printf's arguments have no evaluation order.
  const double t_summary = seconds([&] { rows = rfm_summary(data, data.as_of).size(); });
  const double t_clv = seconds([&] { clv = clv_table(data, s); });
  const double t_model = seconds([&] { model = clv_model_table(data, s); });
  const double t_validation = seconds([&] { validation = clv_validation_table(data, s); });
  std::printf("summary         %.3f s\n", t_summary);
  std::printf("clv table       %.3f s  (summary + BG/NBD + Gamma-Gamma fits + scoring; %zu rows)\n", t_clv,
              clv.row_count());
  std::printf("clv_model       %.3f s\n", t_model);
  std::printf("clv_validation  %.3f s\n", t_validation);
  const Column &ok = model.column(static_cast<std::size_t>(model.find_column("converged")));
  const Column &it = model.column(static_cast<std::size_t>(model.find_column("iterations")));
  for (std::size_t r = 0; r < model.row_count(); ++r)
    std::printf("fit %s: converged %s, %lld likelihood evaluations\n", model.column(0).text[r].c_str(),
                ok.ints[r] ? "yes" : "no", static_cast<long long>(it.ints[r]));
  return rows == clv.row_count() ? 0 : 1;
}
