// The table registry (how to add a table: table_registry.hpp).
#include "engine/table_registry.hpp"

#include <string>

#include "core/errors.hpp"
#include "engine/engine.hpp"
#include "kpi/activity.hpp"
#include "kpi/clv.hpp"
#include "kpi/cohorts.hpp"
#include "kpi/health.hpp"
#include "kpi/movements.hpp"
#include "kpi/support.hpp"
#include "kpi/voice.hpp"

namespace cskpi {
namespace {

using enum TableScope;
using enum TableInput;

constexpr TableDecl kTables[] = {
    {&kKpisTable, per_granularity, kpi_results, "cskpi_kpi_value", "§2.2",
     [](const TableCall &c) { return kpi_long_table(*c.kpis, c.from, c.to); }},
    {&kCohortRetentionTable, per_granularity, kpi_context, "cskpi_cohort_retention", "§9.1",
     [](const TableCall &c) { return cohort_retention_table(*c.ctx); }},
    {&kCohortRevenueTable, per_granularity, kpi_context, "cskpi_cohort_revenue", "§9.2",
     [](const TableCall &c) { return cohort_revenue_table(*c.ctx); }},
    {&kCustomerMovementsTable, per_granularity, kpi_context, "cskpi_customer_movement", "§4.6",
     [](const TableCall &c) { return customer_movements_table(*c.ctx); }},
    {&kTicketBreakdownTable, per_granularity, kpi_context, "cskpi_ticket_breakdown", "§6.5",
     [](const TableCall &c) { return ticket_breakdown_table(*c.ctx); }},
    {&kHealthTable, as_of, kpi_context, "cskpi_health", "§10.1",
     [](const TableCall &c) { return health_table(*c.ctx); }},
    {&kDetractorFollowupsTable, per_granularity, kpi_context, "cskpi_detractor_followup", "§7.3",
     [](const TableCall &c) { return detractor_followups_table(*c.ctx); }},
    {&kDataQualityTable, as_of, dataset, "cskpi_data_quality", "§11.1",
     [](const TableCall &c) {
       Table t = data_quality_table(*c.data);
       append_clv_quality(t, *c.data, c.settings);  // docs/kpis.md §13.6
       return t;
     }},
    {&kSourcesTable, as_of, dataset, nullptr, "§11.2", [](const TableCall &c) { return sources_table(*c.data); }},
    {&kClvTable, as_of, dataset, "cskpi_clv", "§13.7", [](const TableCall &c) { return clv_table(*c.data, c.settings); }},
    {&kClvModelTable, as_of, dataset, "cskpi_clv_model", "§13.8",
     [](const TableCall &c) { return clv_model_table(*c.data, c.settings); }},
    {&kClvValidationTable, as_of, dataset, "cskpi_clv_validation", "§13.10",
     [](const TableCall &c) { return clv_validation_table(*c.data, c.settings); }},
    {&kCohortForecastTable, per_granularity, kpi_context, "cskpi_cohort_forecast", "§13.11",
     [](const TableCall &c) { return cohort_forecast_table(*c.ctx); }},
    // Reads each source on its own (at most `limit` rows), not the model.
    {&kProfileCheckTable, as_of, source, nullptr, "cli.md",
     [](const TableCall &c) { return profile_check_table(c.settings, c.limit, c.as_of); }},
};

}  // namespace

std::span<const TableDecl> table_registry() { return kTables; }

const TableDecl *find_table(std::string_view name) {
  for (const TableDecl &t : kTables)
    if (t.name() == name) return &t;
  return nullptr;
}

const TableDecl &require_table(std::string_view name) {
  if (const TableDecl *t = find_table(name)) return *t;
  std::string list;
  for (const TableDecl &t : kTables) list += (list.empty() ? "" : ", ") + std::string(t.name());
  throw NotFoundError("unknown table '" + std::string(name) + "' (tables: " + list + ")");
}

}  // namespace cskpi
