#include "kpi/families.hpp"

#include <stdexcept>
#include <string>

#include "kpi/cost.hpp"
#include "kpi/flow.hpp"
#include "kpi/purchase.hpp"
#include "kpi/revenue.hpp"
#include "kpi/support.hpp"
#include "kpi/voice.hpp"

namespace cskpi {
namespace {

constexpr std::string_view kFlowAdds[] = {
    "customers_active_start", "customers_active_end", "customers_new",      "customers_reactivated",
    "customers_churned",      "retention_rate",       "churn_rate",         "churn_to_new_ratio",
    "active_ratio",           "activation_rate"};
// Subscriptions revenue mode reports the book of §4 as the MRR at the period end.
#define CSKPI_REVENUE_MOVEMENTS                                                                                    \
  "new_revenue", "reactivation_revenue", "expansion_revenue", "contraction_revenue", "churned_revenue", "nrr", "grr", \
      "expansion_rate", "quick_ratio"
constexpr std::string_view kRevenueAdds[] = {"revenue", CSKPI_REVENUE_MOVEMENTS};
constexpr std::string_view kRevenueSubscriptionAdds[] = {"mrr_end", CSKPI_REVENUE_MOVEMENTS};
#undef CSKPI_REVENUE_MOVEMENTS
constexpr std::string_view kPurchaseAdds[] = {
    "orders",  "buyers",          "aov",        "purchase_frequency", "repeat_purchase_rate", "interpurchase_days_mean",
    "interpurchase_days_median", "cross_sell_rate", "cross_sell_revenue", "up_sell_rate"};
constexpr std::string_view kSupportReads[] = {"customers_active_end"};  // tickets_per_100_active, §6.2
constexpr std::string_view kSupportAdds[] = {
    "tickets_opened",        "tickets_resolved",        "backlog_end",
    "ttr_hours_mean",        "ttr_hours_median",        "ttr_hours_p90",
    "ttr_business_hours_mean", "ttr_business_hours_median", "ttr_business_hours_p90",
    "frt_hours_median",      "frt_hours_p90",           "frt_business_hours_median",
    "frt_business_hours_p90", "reopen_rate",            "sla_breach_rate",
    "tickets_per_100_active"};
constexpr std::string_view kVoiceAdds[] = {"nps",  "nps_answers", "nps_promoters", "nps_passives", "nps_detractors",
                                           "csat", "csat_answers", "ces", "ces_answers"};
constexpr std::string_view kCostAdds[] = {"retention_cost", "crc"};

constexpr KpiFamily kFamilies[] = {
    {"flow", "§3", {}, kFlowAdds, {}, compute_flow},
    {"revenue", "§4", {}, kRevenueAdds, kRevenueSubscriptionAdds, compute_revenue},
    {"purchase", "§5", {}, kPurchaseAdds, {}, compute_purchase},
    {"support", "§6", kSupportReads, kSupportAdds, {}, compute_support},
    {"voice", "§7", {}, kVoiceAdds, {}, compute_voice},
    {"cost", "§8", {}, kCostAdds, {}, compute_cost},
};

const KpiFamily *family_adding(std::string_view kpi) {
  for (const auto &f : kFamilies)
    for (auto name : f.adds)
      if (name == kpi) return &f;
  return nullptr;
}

// Depth-first: a family after everything it reads; declaration order
// otherwise.
void place(const KpiFamily &f, std::vector<const KpiFamily *> &order, std::vector<const KpiFamily *> &visiting) {
  for (auto *done : order)
    if (done == &f) return;
  for (auto *open : visiting)
    if (open == &f) throw std::logic_error("KPI families read each other in a cycle at " + std::string(f.name));
  visiting.push_back(&f);
  for (auto kpi : f.reads) {
    const KpiFamily *from = family_adding(kpi);
    if (!from) throw std::logic_error("KPI family " + std::string(f.name) + " reads " + std::string(kpi) + ", which no family adds");
    if (from != &f) place(*from, order, visiting);
  }
  visiting.pop_back();
  order.push_back(&f);
}

}  // namespace

std::span<const KpiFamily> kpi_families() { return kFamilies; }

const std::vector<const KpiFamily *> &kpi_family_order() {
  static const std::vector<const KpiFamily *> order = [] {
    std::vector<const KpiFamily *> out, visiting;
    for (const auto &f : kFamilies) place(f, out, visiting);
    return out;
  }();
  return order;
}

void run_kpi_families(const KpiContext &ctx, KpiResults &out) {
  for (const KpiFamily *f : kpi_family_order()) {
    const std::size_t before = out.kpis().size();
    f->compute(ctx, out);
    const auto adds = f->adds_in(ctx.settings);
    bool as_declared = out.kpis().size() - before == adds.size();
    for (std::size_t i = 0; as_declared && i < adds.size(); ++i) as_declared = out.kpis()[before + i].name == adds[i];
    if (!as_declared) throw std::logic_error("KPI family " + std::string(f->name) + " added other KPIs than it declares");
  }
}

}  // namespace cskpi
