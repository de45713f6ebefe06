// Customer lifetime value from the probabilistic models of docs/kpis.md §13:
// the per-customer summary (x, t_x, T, monetary), the BG/NBD and Gamma-Gamma
// fits on it, the scores per customer, the holdout check and, in
// subscriptions mode, the sBG cohort forecast.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dataset.hpp"
#include "core/settings.hpp"
#include "core/table.hpp"
#include "kpi/activity.hpp"
#include "kpi/clv_models.hpp"

namespace cskpi {

// One customer with at least one order day on or before `end` (§13.1): x =
// distinct order days - 1, t_x = last - first, T = end - first (days), the
// mean day total of the repeat days (NaN when x = 0), and the order days in
// (end, as_of] (the holdout of clv_validation).
struct RfmRow {
  std::uint32_t customer;
  std::int32_t x, t_x_days, T_days;
  double monetary;
  std::int32_t later_days;
};
std::vector<RfmRow> rfm_summary(const Dataset &data, Day end);

// The fits of one group of customers: all of them ("all") or one segment.
struct ClvFits {
  std::string segment;
  clv::Fit bgnbd, gamma_gamma;
};

// Every customer of rfm_summary(data, as_of) scored; NaN where a fit did not
// converge (the tables write null).
struct ClvScores {
  std::vector<RfmRow> rows;
  std::vector<std::uint32_t> fit;  // per row: index into fits
  std::vector<double> p_alive, expected_purchases, expected_order_value, clv;
  std::vector<ClvFits> fits;
};
ClvScores score_clv(const Dataset &data, const Settings &s);
// P(alive) per customer (NaN without orders or a converged fit), for the
// health score's p_alive component.
std::vector<double> p_alive_by_customer(const Dataset &data, const Settings &s);

// Table "clv", one row per customer with an order, in customer order (§13.7).
inline constexpr ColumnSpec kClvColumns[] = {
    {"customer_id", ColumnType::text, false},
    {"segment", ColumnType::text, false},
    {"x", ColumnType::int64, false},
    {"t_x", ColumnType::real, false},
    {"T", ColumnType::real, false},
    {"monetary", ColumnType::real, true},
    {"p_alive", ColumnType::real, true},
    {"expected_purchases", ColumnType::real, true},
    {"expected_order_value", ColumnType::real, true},
    {"clv", ColumnType::real, true},
    {"model", ColumnType::text, false}};
inline constexpr TableSchema kClvTable{"clv", kClvColumns};
Table clv_table(const Dataset &data, const Settings &s);

// Table "clv_model", two rows (bgnbd, gamma_gamma) per fit (§13.8).
inline constexpr ColumnSpec kClvModelColumns[] = {
    {"model", ColumnType::text, false},
    {"segment", ColumnType::text, false},
    {"r", ColumnType::real, true},
    {"alpha", ColumnType::real, true},
    {"a", ColumnType::real, true},
    {"b", ColumnType::real, true},
    {"p", ColumnType::real, true},
    {"q", ColumnType::real, true},
    {"gamma", ColumnType::real, true},
    {"log_likelihood", ColumnType::real, true},
    {"customers", ColumnType::int64, false},
    {"iterations", ColumnType::int64, false},
    {"converged", ColumnType::boolean, false},
    {"reason", ColumnType::text, true},
    {"time_unit", ColumnType::text, false}};
inline constexpr TableSchema kClvModelTable{"clv_model", kClvModelColumns};
Table clv_model_table(const Dataset &data, const Settings &s);

// Table "clv_validation" (§13.10): the fits on the history up to
// calibration_end = as_of - clv.holdout_days, their expected purchase days in
// the holdout (calibration_end, as_of] against the actual ones, per
// calibration frequency x ("0" .. "6", "7+") and "all".
inline constexpr ColumnSpec kClvValidationColumns[] = {
    {"calibration_end", ColumnType::date, false},
    {"frequency", ColumnType::text, false},
    {"customers", ColumnType::int64, false},
    {"predicted", ColumnType::real, true},
    {"actual", ColumnType::real, false},
    {"ratio", ColumnType::real, true},
    {"converged", ColumnType::boolean, false}};
inline constexpr TableSchema kClvValidationTable{"clv_validation", kClvValidationColumns};
Table clv_validation_table(const Dataset &data, const Settings &s);

// Table "cohort_forecast" (§13.11), subscriptions mode: per cohort of the
// grid (the period of the first spell's start), the observed share whose
// first spell still runs after j periods and the sBG projection S(j), for the
// observed offsets and clv.forecast_periods more. No rows in orders mode.
inline constexpr ColumnSpec kCohortForecastColumns[] = {
    {"cohort_start", ColumnType::date, false},
    {"period_offset", ColumnType::int64, false},
    {"period_start", ColumnType::date, false},
    {"size", ColumnType::int64, false},
    {"observed_retention", ColumnType::real, true},
    {"projected_retention", ColumnType::real, true},
    {"alpha", ColumnType::real, true},
    {"beta", ColumnType::real, true},
    {"converged", ColumnType::boolean, false},
    {"reason", ColumnType::text, true}};
inline constexpr TableSchema kCohortForecastTable{"cohort_forecast", kCohortForecastColumns};
Table cohort_forecast_table(const KpiContext &ctx);

// The report's "alive but slipping" list (docs/kpis.md §13.12): the rows of
// a clv table whose P(alive) is below at_risk_below, the highest repeat
// revenue (x · monetary) first, ties by customer_id.
Table alive_but_slipping(const Table &clv, double at_risk_below);

// The data-quality row of §13.6: order_lines / too_few_repeat_buyers when a
// fit was refused for thin data (rows: the repeat buyers it had).
void append_clv_quality(Table &data_quality, const Dataset &data, const Settings &s);

}  // namespace cskpi
