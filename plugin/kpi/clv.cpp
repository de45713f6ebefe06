#include "kpi/clv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/quality.hpp"

namespace cskpi {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double finite_or_null(double v) { return std::isfinite(v) ? v : kNaN; }

// Order lines grouped by customer (a counting sort, as in kpi/activity.cpp):
// customer c owns line indices [start[c], start[c + 1]) of `line`.
struct LinesByCustomer {
  std::vector<std::uint32_t> start, line;
};

LinesByCustomer lines_by_customer(const Dataset &data) {
  const auto &ol = data.order_lines;
  const std::size_t n = data.customer_count();
  LinesByCustomer g;
  g.start.assign(n + 1, 0);
  for (std::size_t i = 0; i < ol.size(); ++i)
    if (ol.customer[i] < n) ++g.start[ol.customer[i] + 1];
  for (std::size_t c = 0; c < n; ++c) g.start[c + 1] += g.start[c];
  g.line.resize(g.start[n]);
  std::vector<std::uint32_t> fill(g.start.begin(), g.start.end() - 1);
  for (std::size_t i = 0; i < ol.size(); ++i)
    if (ol.customer[i] < n) g.line[fill[ol.customer[i]]++] = static_cast<std::uint32_t>(i);
  return g;
}

// §13.1 for one customer whose (day, amount) lines are in `lines` (sorted
// here): false when no order day is on or before end.
bool summarize(std::vector<std::pair<Day, double>> &lines, Day end, RfmRow &row) {
  std::sort(lines.begin(), lines.end());
  Day first = kNoDay, last = kNoDay, day = kNoDay;
  std::int32_t days = 0, later = 0;
  double repeat_total = 0;
  for (const auto &[d, amount] : lines) {
    if (d > end) {
      if (d != day) ++later;
      day = d;
      continue;
    }
    if (first == kNoDay) first = d;
    if (d != day) ++days, last = d;
    if (d != first) repeat_total += amount;
    day = d;
  }
  if (first == kNoDay) return false;
  row.x = days - 1;
  row.t_x_days = last - first;
  row.T_days = end - first;
  row.monetary = row.x > 0 ? repeat_total / row.x : kNaN;
  row.later_days = later;
  return true;
}

// The customers scored by each fit: all of them, or one segment each.
struct FitPlan {
  std::vector<std::string> names;
  std::vector<std::uint32_t> fit_of_row;
};

FitPlan plan_fits(const Dataset &data, const Settings &s, const std::vector<RfmRow> &rows) {
  FitPlan p;
  if (!s.clv.by_segment) {
    p.names = {"all"};
    p.fit_of_row.assign(rows.size(), 0);
    return p;
  }
  std::vector<int> slot(data.segments.size(), -1);
  for (const RfmRow &r : rows) {
    const std::uint32_t seg = data.customers.segment[r.customer];
    if (slot[seg] < 0) slot[seg] = 0;
  }
  for (std::uint32_t seg = 0; seg < slot.size(); ++seg)
    if (slot[seg] == 0) {
      slot[seg] = static_cast<int>(p.names.size());
      p.names.emplace_back(data.segments.name(seg));
    }
  for (const RfmRow &r : rows) p.fit_of_row.push_back(static_cast<std::uint32_t>(slot[data.customers.segment[r.customer]]));
  return p;
}

// A fit refused before it started.
clv::Fit refused(std::int64_t customers, std::string reason) {
  clv::Fit f;
  f.customers = customers;
  f.reason = std::move(reason);
  return f;
}

std::string thin_reason(std::int64_t have, const char *what, int min) {
  return std::to_string(have) + " " + what + ", fewer than clv.min_customers (" + std::to_string(min) + ")";
}

// The BG/NBD and Gamma-Gamma fits of the rows `members` (§13.2, §13.3):
// customers sharing (x, t_x, T) are one group of the likelihood.
ClvFits fit_members(const std::vector<RfmRow> &rows, const std::vector<std::uint32_t> &members, const Settings &s,
                    int threads) {
  ClvFits f;
  const double unit = s.clv.days_per_unit;
  std::vector<std::uint64_t> keys;
  std::vector<clv::Spend> spend;
  std::int64_t repeat = 0;
  for (std::uint32_t i : members) {
    const RfmRow &r = rows[i];
    keys.push_back(static_cast<std::uint64_t>(r.x) << 42 | static_cast<std::uint64_t>(r.t_x_days) << 21 |
                   static_cast<std::uint64_t>(r.T_days));
    if (r.x > 0) ++repeat;
    if (r.x > 0 && r.monetary > 0) spend.push_back({static_cast<double>(r.x), r.monetary});
  }
  const int min = s.clv.min_customers;
  if (repeat < min) {
    f.bgnbd = refused(static_cast<std::int64_t>(members.size()), thin_reason(repeat, "repeat buyers", min));
  } else {
    std::sort(keys.begin(), keys.end());
    std::vector<clv::RfmGroup> groups;
    const std::uint64_t mask = (1u << 21) - 1;
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t j = i;
      while (j < keys.size() && keys[j] == keys[i]) ++j;
      groups.push_back({static_cast<double>(keys[i] >> 42), static_cast<double>(keys[i] >> 21 & mask) / unit,
                        static_cast<double>(keys[i] & mask) / unit, static_cast<double>(j - i)});
      i = j;
    }
    f.bgnbd = clv::fit_bgnbd(groups, threads);
  }
  const auto with_spend = static_cast<std::int64_t>(spend.size());
  f.gamma_gamma = with_spend < min ? refused(with_spend, thin_reason(with_spend, "repeat buyers with a positive order value", min))
                                   : clv::fit_gamma_gamma(spend, threads);
  return f;
}

int threads() { return std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8); }

struct Fitted {
  std::vector<RfmRow> rows;
  FitPlan plan;
  std::vector<ClvFits> fits;
};

Fitted fit_all(const Dataset &data, const Settings &s, Day end) {
  Fitted out{rfm_summary(data, end), {}, {}};
  out.plan = plan_fits(data, s, out.rows);
  std::vector<std::vector<std::uint32_t>> members(out.plan.names.size());
  for (std::uint32_t i = 0; i < out.rows.size(); ++i) members[out.plan.fit_of_row[i]].push_back(i);
  for (std::size_t k = 0; k < members.size(); ++k) {
    out.fits.push_back(fit_members(out.rows, members[k], s, threads()));
    out.fits.back().segment = out.plan.names[k];
  }
  return out;
}

// Per distinct (x, T): E[purchases in the horizon | alive] and the
// discounted sum of lifetimes' customer_lifetime_value (§13.3): months of
// `factor` time units (lifetimes' 4.345 weeks or 30 days), month i's
// expected purchases discounted by (1 + d)^i.
struct AliveValues {
  std::vector<std::uint64_t> key;  // x << 32 | T_days, sorted
  std::vector<double> horizon, discounted;

  static std::uint64_t key_of(const RfmRow &r) {
    return static_cast<std::uint64_t>(r.x) << 32 | static_cast<std::uint32_t>(r.T_days);
  }
  // (horizon, discounted) of row r's (x, T).
  std::pair<double, double> at(const RfmRow &r) const {
    const auto i = static_cast<std::size_t>(std::lower_bound(key.begin(), key.end(), key_of(r)) - key.begin());
    return {horizon[i], discounted[i]};
  }
};

// Months of `factor` time units; months = 0 computes the horizon only.
AliveValues alive_values(const std::vector<RfmRow> &rows, const std::vector<std::uint32_t> &members,
                         const clv::BgNbd &m, double t_h, int months, double factor, double d, double unit) {
  AliveValues v;
  for (std::uint32_t i : members) v.key.push_back(AliveValues::key_of(rows[i]));
  std::sort(v.key.begin(), v.key.end());
  v.key.erase(std::unique(v.key.begin(), v.key.end()), v.key.end());
  v.horizon.resize(v.key.size());
  v.discounted.resize(v.key.size());
  clv::parallel_for(v.key.size(), threads(), [&](std::size_t from, std::size_t to, int) {
    for (std::size_t k = from; k < to; ++k) {
      const double x = static_cast<double>(v.key[k] >> 32), T = static_cast<double>(v.key[k] & 0xffffffffu) / unit;
      v.horizon[k] = clv::bgnbd_expected_if_alive(m, x, T, t_h);
      double sum = 0, prev = 0;
      for (int i = 1; i <= months; ++i) {
        const double g = clv::bgnbd_expected_if_alive(m, x, T, i * factor);
        sum += (g - prev) / std::pow(1 + d, i);
        prev = g;
      }
      v.discounted[k] = sum;
    }
  });
  return v;
}

void score_members(const Fitted &f, std::size_t k, const std::vector<std::uint32_t> &members, const Settings &s,
                   ClvScores &out) {
  const ClvFits &fit = f.fits[k];
  const double unit = s.clv.days_per_unit;
  if (fit.bgnbd.converged) {
    const auto &p = fit.bgnbd.params;
    const clv::BgNbd m{p[0], p[1], p[2], p[3]};
    // lifetimes' months: 4.345 weeks, or 30 days.
    const double factor = s.clv.days_per_unit == 7 ? 4.345 : 30.0;
    AliveValues v = alive_values(f.rows, members, m, s.clv.horizon_days / unit, s.clv.months, factor,
                                 s.clv.discount_rate, unit);
    for (std::uint32_t i : members) {
      const RfmRow &r = f.rows[i];
      const auto [horizon, discounted] = v.at(r);
      const double pa = clv::bgnbd_p_alive(m, r.x, r.t_x_days / unit, r.T_days / unit);
      out.p_alive[i] = finite_or_null(pa);
      out.expected_purchases[i] = finite_or_null(pa * horizon);
      out.clv[i] = pa * discounted;  // times the order value below
    }
  }
  for (std::uint32_t i : members) {
    const RfmRow &r = f.rows[i];
    double value = kNaN;
    if (fit.gamma_gamma.converged) {
      const auto &p = fit.gamma_gamma.params;
      const clv::GammaGamma g{p[0], p[1], p[2]};
      // Without a repeat day the population mean; a non-positive mean spend
      // (returns) has no Gamma-Gamma value (§13.3).
      if (r.x == 0) value = clv::gg_expected_value(g, 0, 0);
      else if (r.monetary > 0) value = clv::gg_expected_value(g, r.x, r.monetary);
    }
    out.expected_order_value[i] = finite_or_null(value);
    out.clv[i] = finite_or_null(out.clv[i] * value);
  }
}

const char *unit_name(const Settings &s) { return s.clv.days_per_unit == 7 ? "week" : "day"; }

}  // namespace

std::vector<RfmRow> rfm_summary(const Dataset &data, Day end) {
  const auto &ol = data.order_lines;
  const LinesByCustomer g = lines_by_customer(data);
  const std::size_t n = data.customer_count();
  const int k = threads();
  std::vector<std::vector<RfmRow>> part(static_cast<std::size_t>(k));
  clv::parallel_for(n, k, [&](std::size_t from, std::size_t to, int slot) {
    std::vector<std::pair<Day, double>> lines;
    auto &rows = part[static_cast<std::size_t>(slot)];
    for (std::size_t c = from; c < to; ++c) {
      lines.clear();
      for (std::uint32_t j = g.start[c]; j < g.start[c + 1]; ++j) lines.emplace_back(ol.day[g.line[j]], ol.amount[g.line[j]]);
      RfmRow row{static_cast<std::uint32_t>(c), 0, 0, 0, kNaN, 0};
      if (!lines.empty() && summarize(lines, end, row)) rows.push_back(row);
    }
  });
  std::vector<RfmRow> rows;
  for (auto &p : part) rows.insert(rows.end(), p.begin(), p.end());
  return rows;
}

ClvScores score_clv(const Dataset &data, const Settings &s) {
  Fitted f = fit_all(data, s, data.as_of);
  ClvScores out;
  const std::size_t n = f.rows.size();
  out.p_alive.assign(n, kNaN);
  out.expected_purchases.assign(n, kNaN);
  out.expected_order_value.assign(n, kNaN);
  out.clv.assign(n, kNaN);
  std::vector<std::vector<std::uint32_t>> members(f.fits.size());
  for (std::uint32_t i = 0; i < n; ++i) members[f.plan.fit_of_row[i]].push_back(i);
  for (std::size_t k = 0; k < f.fits.size(); ++k) score_members(f, k, members[k], s, out);
  out.rows = std::move(f.rows);
  out.fit = std::move(f.plan.fit_of_row);
  out.fits = std::move(f.fits);
  return out;
}

std::vector<double> p_alive_by_customer(const Dataset &data, const Settings &s) {
  Fitted f = fit_all(data, s, data.as_of);
  std::vector<double> out(data.customer_count(), kNaN);
  const double unit = s.clv.days_per_unit;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const clv::Fit &fit = f.fits[f.plan.fit_of_row[i]].bgnbd;
    if (!fit.converged) continue;
    const RfmRow &r = f.rows[i];
    const clv::BgNbd m{fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
    out[r.customer] = finite_or_null(clv::bgnbd_p_alive(m, r.x, r.t_x_days / unit, r.T_days / unit));
  }
  return out;
}

Table clv_table(const Dataset &data, const Settings &s) {
  ClvScores sc = score_clv(data, s);
  Table t(kClvTable);
  const auto c_id = t.column_index("customer_id"), c_seg = t.column_index("segment"), c_x = t.column_index("x"),
             c_tx = t.column_index("t_x"), c_T = t.column_index("T"), c_m = t.column_index("monetary"),
             c_pa = t.column_index("p_alive"), c_e = t.column_index("expected_purchases"),
             c_v = t.column_index("expected_order_value"), c_clv = t.column_index("clv"), c_model = t.column_index("model");
  const double unit = s.clv.days_per_unit;
  for (std::size_t i = 0; i < sc.rows.size(); ++i) {
    const RfmRow &r = sc.rows[i];
    t.push_text(c_id, data.customers.ids.name(r.customer));
    t.push_text(c_seg, data.segments.name(data.customers.segment[r.customer]));
    t.push_int(c_x, r.x);
    t.push_real(c_tx, r.t_x_days / unit);
    t.push_real(c_T, r.T_days / unit);
    t.push_real(c_m, finite_or_null(r.monetary));
    t.push_real(c_pa, sc.p_alive[i]);
    t.push_real(c_e, sc.expected_purchases[i]);
    t.push_real(c_v, sc.expected_order_value[i]);
    t.push_real(c_clv, sc.clv[i]);
    t.push_text(c_model, sc.fits[sc.fit[i]].segment);
  }
  return t;
}

Table clv_model_table(const Dataset &data, const Settings &s) {
  Fitted f = fit_all(data, s, data.as_of);
  Table t(kClvModelTable);
  const auto c_model = t.column_index("model"), c_seg = t.column_index("segment"), c_ll = t.column_index("log_likelihood"),
             c_n = t.column_index("customers"), c_it = t.column_index("iterations"), c_ok = t.column_index("converged"),
             c_why = t.column_index("reason"), c_unit = t.column_index("time_unit");
  static const char *const names[] = {"r", "alpha", "a", "b", "p", "q", "gamma"};
  auto row = [&](const char *model, const std::string &segment, const clv::Fit &fit, std::size_t first) {
    t.push_text(c_model, model);
    t.push_text(c_seg, segment);
    // A fit that did not converge shows no parameters (§13.7).
    for (std::size_t j = 0; j < 7; ++j) {
      const bool mine = j >= first && j - first < fit.params.size();
      t.push_real(t.column_index(names[j]), fit.converged && mine ? fit.params[j - first] : kNaN);
    }
    t.push_real(c_ll, fit.converged ? finite_or_null(fit.log_likelihood) : kNaN);
    t.push_int(c_n, fit.customers);
    t.push_int(c_it, fit.iterations);
    t.push_bool(c_ok, fit.converged);
    if (fit.converged) t.push_null(c_why);
    else t.push_text(c_why, fit.reason);
    t.push_text(c_unit, unit_name(s));
  };
  for (const ClvFits &fit : f.fits) {
    row("bgnbd", fit.segment, fit.bgnbd, 0);
    row("gamma_gamma", fit.segment, fit.gamma_gamma, 4);
  }
  return t;
}

Table clv_validation_table(const Dataset &data, const Settings &s) {
  Table t(kClvValidationTable);
  const Day end = data.as_of - s.clv.holdout_days;
  Fitted f = fit_all(data, s, end);
  if (f.rows.empty()) return t;
  const double unit = s.clv.days_per_unit, horizon = s.clv.holdout_days / unit;
  // Buckets 0..6, 7 = "7+", 8 = all: customers, predicted and actual sums.
  constexpr int kBuckets = 9;
  std::vector<double> n(kBuckets, 0), predicted(kBuckets, 0), actual(kBuckets, 0);
  std::vector<std::vector<std::uint32_t>> members(f.fits.size());
  for (std::uint32_t i = 0; i < f.rows.size(); ++i) members[f.plan.fit_of_row[i]].push_back(i);
  bool converged = true;
  for (std::size_t k = 0; k < f.fits.size(); ++k) {
    const clv::Fit &fit = f.fits[k].bgnbd;
    converged = converged && fit.converged;
    AliveValues v;
    clv::BgNbd m{};
    if (fit.converged) {
      m = {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
      v = alive_values(f.rows, members[k], m, horizon, 0, 1, 0, unit);
    }
    for (std::uint32_t i : members[k]) {
      const RfmRow &r = f.rows[i];
      const double e = fit.converged ? clv::bgnbd_p_alive(m, r.x, r.t_x_days / unit, r.T_days / unit) * v.at(r).first : 0;
      for (int b : {std::min(r.x, 7), 8}) {
        n[static_cast<std::size_t>(b)] += 1;
        predicted[static_cast<std::size_t>(b)] += e;
        actual[static_cast<std::size_t>(b)] += r.later_days;
      }
    }
  }
  const auto c_end = t.column_index("calibration_end"), c_f = t.column_index("frequency"), c_n = t.column_index("customers"),
             c_p = t.column_index("predicted"), c_a = t.column_index("actual"), c_r = t.column_index("ratio"),
             c_ok = t.column_index("converged");
  for (std::size_t b = 0; b < kBuckets; ++b) {
    if (n[b] == 0) continue;
    t.push_date(c_end, end);
    t.push_text(c_f, b == 8 ? "all" : b == 7 ? "7+" : std::to_string(b));
    t.push_int(c_n, static_cast<std::int64_t>(n[b]));
    t.push_real(c_p, converged ? finite_or_null(predicted[b] / n[b]) : kNaN);
    t.push_real(c_a, actual[b] / n[b]);
    t.push_real(c_r, converged && actual[b] > 0 ? finite_or_null(predicted[b] / actual[b]) : kNaN);
    t.push_bool(c_ok, converged);
  }
  return t;
}

namespace {

// Survivors of each cohort k of the grid (§13.11): alive[j] = members whose
// first spell still runs at the end of period k + j (t1, at most as_of).
std::vector<clv::Survivors> cohort_survivors(const KpiContext &ctx) {
  const PeriodGrid &grid = ctx.grid;
  std::vector<clv::Survivors> out(grid.size());
  for (std::size_t k = 0; k < grid.size(); ++k) out[k].assign(grid.size() - k, 0);
  const Activity &act = ctx.activity;
  for (std::uint32_t c = 0; c < ctx.data.customer_count(); ++c) {
    if (!act.has_spells(c)) continue;
    const int k = grid.index_of(act.first_start(c));
    if (k < 0) continue;
    auto &alive = out[static_cast<std::size_t>(k)];
    const Day end = act.end[act.offset[c]];
    ++alive[0];
    for (std::size_t j = 1; j < alive.size() && end > grid.t1(static_cast<std::size_t>(k) + j); ++j) ++alive[j];
  }
  return out;
}

}  // namespace

Table cohort_forecast_table(const KpiContext &ctx) {
  Table t(kCohortForecastTable);
  if (ctx.settings.activity_mode != ActivityMode::subscriptions) return t;
  const PeriodGrid &grid = ctx.grid;
  std::vector<clv::Survivors> cohorts = cohort_survivors(ctx);
  std::vector<clv::Survivors> nonempty;
  for (const auto &c : cohorts)
    if (c[0] > 0) nonempty.push_back(c);
  const clv::Fit pooled = ctx.settings.clv.sbg_pooled ? clv::fit_sbg(nonempty) : clv::Fit{};
  const auto c_start = t.column_index("cohort_start"), c_off = t.column_index("period_offset"),
             c_pstart = t.column_index("period_start"), c_size = t.column_index("size"),
             c_obs = t.column_index("observed_retention"), c_proj = t.column_index("projected_retention"),
             c_al = t.column_index("alpha"), c_be = t.column_index("beta"), c_ok = t.column_index("converged"),
             c_why = t.column_index("reason");
  for (std::size_t k = 0; k < cohorts.size(); ++k) {
    const clv::Survivors &alive = cohorts[k];
    if (alive[0] == 0) continue;
    const clv::Fit fit = ctx.settings.clv.sbg_pooled ? pooled : clv::fit_sbg(std::span(&alive, 1));
    const clv::Sbg m = fit.converged ? clv::Sbg{fit.params[0], fit.params[1]} : clv::Sbg{};
    Day start = grid[k].start;
    const std::size_t last = alive.size() - 1 + static_cast<std::size_t>(ctx.settings.clv.forecast_periods);
    for (std::size_t j = 0; j <= last; ++j, start = period_next(grid.granularity(), start)) {
      t.push_date(c_start, grid[k].start);
      t.push_int(c_off, static_cast<std::int64_t>(j));
      t.push_date(c_pstart, start);
      t.push_int(c_size, alive[0]);
      t.push_real(c_obs, j < alive.size() ? static_cast<double>(alive[j]) / static_cast<double>(alive[0]) : kNaN);
      t.push_real(c_proj, fit.converged ? finite_or_null(clv::sbg_survival(m, static_cast<double>(j))) : kNaN);
      t.push_real(c_al, fit.converged ? m.alpha : kNaN);
      t.push_real(c_be, fit.converged ? m.beta : kNaN);
      t.push_bool(c_ok, fit.converged);
      if (fit.converged) t.push_null(c_why);
      else t.push_text(c_why, fit.reason);
    }
  }
  return t;
}

Table alive_but_slipping(const Table &clv, double at_risk_below) {
  const Column &pa = clv.column(clv.column_index("p_alive")), &x = clv.column(clv.column_index("x")),
               &m = clv.column(clv.column_index("monetary")), &id = clv.column(clv.column_index("customer_id"));
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < clv.row_count(); ++r)
    if (!pa.null[r] && pa.reals[r] < at_risk_below) rows.push_back(r);
  // x = 0 has P(alive) = 1, so every listed row has a monetary value.
  auto revenue = [&](std::size_t r) { return m.null[r] ? 0.0 : static_cast<double>(x.ints[r]) * m.reals[r]; };
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    const double ra = revenue(a), rb = revenue(b);
    return ra != rb ? ra > rb : id.text[a] < id.text[b];
  });
  Table out(kClvTable);
  for (std::size_t c = 0; c < clv.column_count(); ++c) {
    const Column &from = clv.column(c);
    for (std::size_t r : rows) {
      if (from.null[r]) out.push_null(c);
      else if (from.type == ColumnType::real) out.push_real(c, from.reals[r]);
      else if (from.type == ColumnType::int64) out.push_int(c, from.ints[r]);
      else out.push_text(c, from.text[r]);
    }
  }
  return out;
}

void append_clv_quality(Table &dq, const Dataset &data, const Settings &s) {
  std::vector<RfmRow> rows = rfm_summary(data, data.as_of);
  if (rows.empty()) return;
  FitPlan plan = plan_fits(data, s, rows);
  std::vector<std::int64_t> repeat(plan.names.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].x > 0) ++repeat[plan.fit_of_row[i]];
  std::int64_t thin = 0;
  bool any = false;
  for (std::int64_t r : repeat)
    if (r < s.clv.min_customers) thin += r, any = true;
  if (!any) return;
  dq.push_text(dq.column_index("source"), "order_lines");
  dq.push_text(dq.column_index("reason"), reason::too_few_repeat_buyers);
  dq.push_int(dq.column_index("rows"), thin);
  dq.push_text(dq.column_index("action"), "flagged");
}

}  // namespace cskpi
