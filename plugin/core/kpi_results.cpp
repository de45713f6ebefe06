#include "core/kpi_results.hpp"

namespace cskpi {

KpiResults::KpiResults(const PeriodGrid &grid, std::vector<std::string> slot_names)
    : grid_(grid), slot_names_(std::move(slot_names)) {}

KpiMatrix &KpiResults::add(const std::string &name) {
  kpis_.push_back(KpiMatrix{name, std::vector<double>(grid_.size() * slots(), kNull)});
  return kpis_.back();
}

const KpiMatrix *KpiResults::find(const std::string &name) const {
  for (const auto &m : kpis_)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace cskpi
