#include "kpi/clv_models.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <nlopt.h>

namespace cskpi::clv {
namespace {

using boost::math::digamma;
using boost::math::lgamma;

double lbeta(double x, double y) { return lgamma(x) + lgamma(y) - lgamma(x + y); }

// log(e^u + e^v) without overflow.
double log_add_exp(double u, double v) {
  double m = std::max(u, v);
  return m + std::log1p(std::exp(-std::fabs(u - v)));
}

// log(1 + e^s), exact for large |s|.
double softplus(double s) { return s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s)); }


// ---- The optimiser: NLopt's L-BFGS on log-parameters, bounded, several
// starts, the best converged optimum kept (§13.5).

// Mean negative log-likelihood and its gradient in the log-parameters.
using Objective = std::function<double(const double *logp, double *grad)>;

struct Problem {
  Objective f;
  int evaluations = 0;
};

double nlopt_trampoline(unsigned n, const double *x, double *grad, void *data) {
  auto *p = static_cast<Problem *>(data);
  ++p->evaluations;
  std::vector<double> g(n);
  double v = p->f(x, g.data());
  if (!std::isfinite(v)) return std::numeric_limits<double>::max();
  if (grad)
    for (unsigned i = 0; i < n; ++i) grad[i] = std::isfinite(g[i]) ? g[i] : 0;
  return v;
}

// Log-parameters are bounded to [-kLogBound, kLogBound] around their scale
// (a factor 1e6 either way): beyond that a parameter is not identified.
constexpr double kLogBound = 13.8;

struct Optimum {
  std::vector<double> logp;
  double value = std::numeric_limits<double>::infinity();
  bool converged = false;
  std::string reason;
};

// Whether the Hessian of the objective at x (central differences of the
// analytic gradient) is positive definite: a flat direction means a
// parameter the data say nothing about, whatever value the optimiser left
// it at (e.g. the dropout parameters when nobody bought twice).
bool identified(const Objective &f, const std::vector<double> &x) {
  const std::size_t n = x.size();
  const double h = 1e-4;
  std::vector<double> H(n * n), gp(n), gm(n);
  for (std::size_t j = 0; j < n; ++j) {
    auto xp = x, xm = x;
    xp[j] += h, xm[j] -= h;
    f(xp.data(), gp.data());
    f(xm.data(), gm.data());
    for (std::size_t i = 0; i < n; ++i) H[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  double scale = 0;
  for (std::size_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(H[i * n + i]));
  if (!(scale > 0)) return false;
  // Cholesky of the symmetrised matrix; a pivot below 1e-9 of the largest
  // curvature is a flat direction.
  std::vector<double> L(n * n, 0);
  for (std::size_t j = 0; j < n; ++j) {
    double d = 0.5 * (H[j * n + j] + H[j * n + j]);
    for (std::size_t k = 0; k < j; ++k) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 1e-9 * scale)) return false;
    L[j * n + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double v = 0.5 * (H[i * n + j] + H[j * n + i]);
      for (std::size_t k = 0; k < j; ++k) v -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = v / L[j * n + j];
    }
  }
  return true;
}

Optimum minimise_from(Problem &problem, std::vector<double> x, const std::vector<const char *> &names) {
  const unsigned n = static_cast<unsigned>(x.size());
  nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, n);
  std::vector<double> lo(n, -kLogBound), hi(n, kLogBound);
  nlopt_set_lower_bounds(opt, lo.data());
  nlopt_set_upper_bounds(opt, hi.data());
  nlopt_set_min_objective(opt, nlopt_trampoline, &problem);
  nlopt_set_ftol_rel(opt, 1e-13);
  nlopt_set_xtol_rel(opt, 1e-10);
  nlopt_set_maxeval(opt, 400);
  double value = 0;
  nlopt_result rc = nlopt_optimize(opt, x.data(), &value);
  nlopt_destroy(opt);

  Optimum o;
  o.logp = x;
  std::vector<double> g(n);
  o.value = problem.f(x.data(), g.data());
  double gmax = 0;
  for (double v : g) gmax = std::max(gmax, std::fabs(v));
  if (!std::isfinite(o.value)) {
    o.reason = "the likelihood is not finite at the optimum";
    return o;
  }
  for (unsigned i = 0; i < n; ++i)
    if (std::fabs(x[i]) > kLogBound - 1e-3) {
      o.reason = std::string("parameter ") + names[i] + " reached its bound (the data do not identify it)";
      return o;
    }
  // L-BFGS often stops "roundoff limited" at the optimum itself: the
  // gradient decides (the objective is a mean, so 1e-4 is scale-free).
  bool stopped = rc == NLOPT_SUCCESS || rc == NLOPT_FTOL_REACHED || rc == NLOPT_XTOL_REACHED ||
                 rc == NLOPT_ROUNDOFF_LIMITED;
  if (!stopped) {
    o.reason = rc == NLOPT_MAXEVAL_REACHED ? "no convergence within 400 likelihood evaluations"
                                           : "the optimiser failed (NLopt code " + std::to_string(rc) + ")";
    return o;
  }
  if (gmax > 1e-4) {
    o.reason = "the gradient is not zero at the stopping point (max |g| = " + std::to_string(gmax) + ")";
    return o;
  }
  o.converged = true;
  return o;
}

// The best optimum over the starts: a converged one if any.
Fit minimise(Objective f, const std::vector<std::vector<double>> &starts, const std::vector<const char *> &names,
             std::int64_t customers) {
  Problem problem{std::move(f)};
  Optimum best;
  int agreeing = 0;  // converged starts that ended at the best value
  for (const auto &s : starts) {
    Optimum o = minimise_from(problem, s, names);
    const bool same = o.converged && best.converged && std::fabs(o.value - best.value) <= 1e-9 * std::max(1.0, std::fabs(best.value));
    const bool better = (o.converged && !best.converged) || (o.converged == best.converged && o.value < best.value);
    if (better || best.logp.empty()) best = o;
    agreeing = same ? agreeing + 1 : (better && o.converged ? 1 : agreeing);
    // Two starts at the same optimum: a third would find it again (and
    // costs a tenth of a second per start at a million customers).
    if (agreeing >= 2) break;
  }
  // The curvature check costs 2n evaluations: only for the optimum kept.
  if (best.converged && !identified(problem.f, best.logp)) {
    best.converged = false;
    best.reason = "the likelihood is flat at the optimum (the data do not identify the parameters)";
  }
  Fit fit;
  for (double v : best.logp) fit.params.push_back(std::exp(v));
  fit.log_likelihood = -best.value * static_cast<double>(customers);
  fit.customers = customers;
  fit.iterations = problem.evaluations;
  fit.converged = best.converged;
  fit.reason = best.reason;
  return fit;
}

// Sorted distinct values of v, and each element's index among them.
std::vector<double> distinct(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}
std::uint32_t index_of(const std::vector<double> &values, double v) {
  return static_cast<std::uint32_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin());
}

// ---- BG/NBD grouped likelihood (§13.2). The lgamma/digamma terms depend on
// x only, the logs of α + T and α + t_x on T and t_x only: they are computed
// once per distinct value, and each group costs one exp and one log1p.
struct BgData {
  std::vector<double> xs, txs, Ts;    // distinct values
  std::vector<double> x_weight;       // customers per distinct x
  std::vector<std::uint32_t> gx, gtx, gT;
  std::vector<double> w;
  double total = 0;
};

BgData prepare(std::span<const RfmGroup> groups) {
  BgData d;
  std::vector<double> xs, txs, Ts;
  for (const auto &g : groups) {
    xs.push_back(g.x);
    txs.push_back(g.t_x);
    Ts.push_back(g.T);
  }
  d.xs = distinct(xs), d.txs = distinct(txs), d.Ts = distinct(Ts);
  d.x_weight.assign(d.xs.size(), 0);
  for (const auto &g : groups) {
    d.gx.push_back(index_of(d.xs, g.x));
    d.gtx.push_back(index_of(d.txs, g.t_x));
    d.gT.push_back(index_of(d.Ts, g.T));
    d.w.push_back(g.weight);
    d.x_weight[d.gx.back()] += g.weight;
    d.total += g.weight;
  }
  return d;
}

// Log-likelihood of the grouped customers and its gradient in (r, α, a, b).
double bgnbd_grouped(const BgData &d, const BgNbd &m, std::array<double, 4> &grad, int threads) {
  const double r = m.r, al = m.alpha, a = m.a, b = m.b;
  const std::size_t nx = d.xs.size();
  std::vector<double> lb1(nx), ib1(nx);
  double ll = 0;
  grad = {0, 0, 0, 0};
  // Terms of x alone: A1 - r log α and A2 of FHL 2005 eq. 6, weighted by how many have that x.
  for (std::size_t k = 0; k < nx; ++k) {
    const double x = d.xs[k], w = d.x_weight[k];
    ll += w * (lgamma(r + x) - lgamma(r) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x));
    grad[0] += w * (digamma(r + x) - digamma(r));
    grad[2] += w * (digamma(a + b) - digamma(a + b + x));
    grad[3] += w * (digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x));
    if (x > 0) lb1[k] = std::log(b + x - 1), ib1[k] = 1 / (b + x - 1);
  }
  ll += d.total * r * std::log(al);
  grad[0] += d.total * std::log(al);
  grad[1] += d.total * r / al;
  std::vector<double> LT(d.Ts.size()), IT(d.Ts.size()), Lt(d.txs.size()), It(d.txs.size());
  for (std::size_t i = 0; i < d.Ts.size(); ++i) LT[i] = std::log(al + d.Ts[i]), IT[i] = 1 / (al + d.Ts[i]);
  for (std::size_t i = 0; i < d.txs.size(); ++i) Lt[i] = std::log(al + d.txs[i]), It[i] = 1 / (al + d.txs[i]);
  const double la = std::log(a);

  // Per group: log(e^A3 + δ e^A4) and its weights.
  std::vector<std::array<double, 5>> part(static_cast<std::size_t>(std::max(threads, 1)), {0, 0, 0, 0, 0});
  parallel_for(d.w.size(), threads, [&](std::size_t from, std::size_t to, int slot) {
    double s_ll = 0, s_r = 0, s_al = 0, s_a = 0, s_b = 0;
    for (std::size_t g = from; g < to; ++g) {
      const std::uint32_t k = d.gx[g], iT = d.gT[g];
      const double x = d.xs[k], w = d.w[g], rx = r + x;
      const double A3 = -rx * LT[iT];
      if (x == 0) {
        s_ll += w * A3;
        s_r -= w * LT[iT];
        s_al -= w * rx * IT[iT];
        continue;
      }
      const std::uint32_t it = d.gtx[g];
      const double A4 = la - lb1[k] - rx * Lt[it];
      const double diff = A4 - A3, e = std::exp(-std::fabs(diff));
      const double w4 = diff > 0 ? 1 / (1 + e) : e / (1 + e), w3 = 1 - w4;
      s_ll += w * (std::max(A3, A4) + std::log1p(e));
      s_r -= w * (w3 * LT[iT] + w4 * Lt[it]);
      s_al -= w * rx * (w3 * IT[iT] + w4 * It[it]);
      s_a += w * w4 / a;
      s_b -= w * w4 * ib1[k];
    }
    part[static_cast<std::size_t>(slot)] = {s_ll, s_r, s_al, s_a, s_b};
  });
  for (const auto &p : part) {
    ll += p[0];
    for (int i = 0; i < 4; ++i) grad[static_cast<std::size_t>(i)] += p[static_cast<std::size_t>(i) + 1];
  }
  return ll;
}

// The bracket of bgnbd_expected_if_alive divided by (a - 1), through Euler's
// transformation 2F1(A, B; C; z) = (1 - z)^(C-A-B) 2F1(C-A, C-B; C; z):
// (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z),
// whose series has small numerators and a denominator growing with x, so it
// converges fast and stays near 1 however large x and T are (§13.6).
double bracket_over_a1(double r, double a, double b, double x, double z) {
  const double c = a + b + x - 1;
  const double f = boost::math::hypergeometric_pFq({a + b - 1 - r, a - 1}, {c}, z);
  // With c < 0 (x = 0 and a + b < 1) the series may be negative, and so is
  // the factor c the caller multiplies by: no logarithm then.
  if (f <= 0) return (1 - std::pow(1 - z, a - 1) * f) / (a - 1);
  const double u = (a - 1) * std::log1p(-z) + std::log(f);
  return -std::expm1(u) / (a - 1);
}

}  // namespace

void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t, std::size_t, int)> &body) {
  const auto k = static_cast<std::size_t>(std::max(1, std::min<int>(threads, static_cast<int>(n / 4096) + 1)));
  if (k == 1) return body(0, n, 0);
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < k; ++i) pool.emplace_back(body, n * i / k, n * (i + 1) / k, static_cast<int>(i));
  body(0, n / k, 0);
  for (auto &t : pool) t.join();
}

double bgnbd_log_likelihood(const BgNbd &m, double x, double t_x, double T) {
  const double r = m.r, al = m.alpha, a = m.a, b = m.b;
  const double A1 = lgamma(r + x) - lgamma(r) + r * std::log(al);
  const double A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const double A3 = -(r + x) * std::log(al + T);
  if (x == 0) return A1 + A2 + A3;
  const double A4 = std::log(a) - std::log(b + x - 1) - (r + x) * std::log(al + t_x);
  return A1 + A2 + log_add_exp(A3, A4);
}

double bgnbd_dead_log_odds(const BgNbd &m, double x, double t_x, double T) {
  if (x == 0) return -std::numeric_limits<double>::infinity();
  return std::log(m.a) - std::log(m.b + x - 1) + (m.r + x) * (std::log(m.alpha + T) - std::log(m.alpha + t_x));
}

double bgnbd_p_alive(const BgNbd &m, double x, double t_x, double T) {
  return std::exp(-softplus(bgnbd_dead_log_odds(m, x, t_x, T)));
}

double bgnbd_expected_if_alive(const BgNbd &m, double x, double T, double t) {
  if (t <= 0) return 0;
  const double z = t / (m.alpha + T + t);
  double ratio;
  // At a = 1 the factor 1 / (a - 1) is 0/0: the two-sided mean is the limit.
  if (std::fabs(m.a - 1) < 1e-7)
    ratio = 0.5 * (bracket_over_a1(m.r, 1 - 1e-7, m.b, x, z) + bracket_over_a1(m.r, 1 + 1e-7, m.b, x, z));
  else
    ratio = bracket_over_a1(m.r, m.a, m.b, x, z);
  return (m.a + m.b + x - 1) * ratio;
}

double bgnbd_conditional_expected(const BgNbd &m, double x, double t_x, double T, double t) {
  return bgnbd_p_alive(m, x, t_x, T) * bgnbd_expected_if_alive(m, x, T, t);
}

Fit fit_bgnbd(std::span<const RfmGroup> groups, int threads) {
  BgData d = prepare(groups);
  if (d.total <= 0) return Fit{{}, 0, 0, 0, false, "no customers"};
  // α in units of the mean age, so the bounds and the starts are scale-free.
  double mean_T = 0, mean_x = 0;
  for (std::size_t g = 0; g < d.w.size(); ++g)
    mean_T += d.w[g] * d.Ts[d.gT[g]], mean_x += d.w[g] * d.xs[d.gx[g]];
  mean_T = std::max(mean_T / d.total, 1e-9), mean_x /= d.total;
  const double scale = mean_T;
  Objective f = [&](const double *lp, double *grad) {
    BgNbd m{std::exp(lp[0]), std::exp(lp[1]) * scale, std::exp(lp[2]), std::exp(lp[3])};
    std::array<double, 4> g;
    double ll = bgnbd_grouped(d, m, g, threads);
    const double p[4] = {m.r, m.alpha, m.a, m.b};
    for (int i = 0; i < 4; ++i) grad[i] = -g[static_cast<std::size_t>(i)] * p[i] / d.total;
    return -ll / d.total;
  };
  // Starts: purchase rate r/α near the observed x/T, and dropout weak, even, strong.
  const double rate_alpha = std::log(1 / std::max(mean_x, 0.05));
  std::vector<std::vector<double>> starts = {{0, rate_alpha, 0, 0},
                                             {std::log(0.3), rate_alpha + std::log(0.3), std::log(0.5), std::log(4.0)},
                                             {std::log(3.0), rate_alpha + std::log(3.0), std::log(3.0), std::log(0.7)}};
  Fit fit = minimise(f, starts, {"r", "alpha", "a", "b"}, static_cast<std::int64_t>(std::llround(d.total)));
  if (!fit.params.empty()) fit.params[1] *= scale;
  return fit;
}

// ---- Gamma-Gamma (§13.3)

double gg_log_likelihood(const GammaGamma &m, double x, double mean) {
  const double px = m.p * x;
  return lgamma(px + m.q) - lgamma(m.q) - lgamma(px) + m.q * std::log(m.gamma) + (px - 1) * std::log(mean) +
         px * std::log(x) - (px + m.q) * std::log(m.gamma + mean * x);
}

double gg_expected_value(const GammaGamma &m, double x, double mean) {
  return m.p * (m.gamma + x * mean) / (m.p * x + m.q - 1);
}

Fit fit_gamma_gamma(std::span<const Spend> spend, int threads) {
  const double n = static_cast<double>(spend.size());
  if (spend.empty()) return Fit{{}, 0, 0, 0, false, "no repeat buyers with a positive order value"};
  // Sums that do not depend on the parameters, and customers per distinct x.
  double s_xlogm = 0, s_logm = 0, s_xlogx = 0, mean_m = 0;
  std::vector<double> xs;
  for (const auto &s : spend) {
    s_xlogm += s.x * std::log(s.m), s_logm += std::log(s.m), s_xlogx += s.x * std::log(s.x), mean_m += s.m;
    xs.push_back(s.x);
  }
  mean_m /= n;
  std::vector<double> ux = distinct(xs), nx(ux.size(), 0);
  for (double x : xs) nx[index_of(ux, x)] += 1;
  const double scale = mean_m;  // γ in units of the mean order value
  Objective f = [&](const double *lp, double *grad) {
    const double p = std::exp(lp[0]), q = std::exp(lp[1]), ga = std::exp(lp[2]) * scale;
    double ll = -n * lgamma(q) + n * q * std::log(ga) + p * s_xlogm - s_logm + p * s_xlogx;
    double dp = s_xlogm + s_xlogx, dq = -n * digamma(q) + n * std::log(ga), dg = n * q / ga;
    for (std::size_t k = 0; k < ux.size(); ++k) {
      const double x = ux[k];
      ll += nx[k] * (lgamma(p * x + q) - lgamma(p * x));
      dp += nx[k] * x * (digamma(p * x + q) - digamma(p * x));
      dq += nx[k] * digamma(p * x + q);
    }
    // Σ log(γ + m x) and Σ 1/(γ + m x), with and without the factor x.
    std::vector<std::array<double, 4>> part(static_cast<std::size_t>(std::max(threads, 1)), {0, 0, 0, 0});
    parallel_for(spend.size(), threads, [&](std::size_t from, std::size_t to, int slot) {
      double xl = 0, l = 0, xi = 0, i = 0;
      for (std::size_t j = from; j < to; ++j) {
        const double v = ga + spend[j].m * spend[j].x, lv = std::log(v);
        xl += spend[j].x * lv, l += lv, xi += spend[j].x / v, i += 1 / v;
      }
      part[static_cast<std::size_t>(slot)] = {xl, l, xi, i};
    });
    for (const auto &s : part) {
      ll -= p * s[0] + q * s[1];
      dp -= s[0], dq -= s[1], dg -= p * s[2] + q * s[3];
    }
    grad[0] = -dp * p / n, grad[1] = -dq * q / n, grad[2] = -dg * ga / n;
    return -ll / n;
  };
  std::vector<std::vector<double>> starts = {{0, std::log(2.0), 0},
                                             {std::log(5.0), std::log(4.0), std::log(3.0 / 5)},
                                             {std::log(0.5), std::log(1.5), 0}};
  Fit fit = minimise(f, starts, {"p", "q", "gamma"}, static_cast<std::int64_t>(spend.size()));
  fit.params[2] *= scale;
  if (fit.converged && fit.params[1] <= 1) {
    fit.converged = false;
    fit.reason = "q <= 1: the population's mean order value is unbounded";
  }
  return fit;
}

// ---- shifted-Beta-Geometric (§13.4)

double sbg_survival(const Sbg &m, double t) { return std::exp(lbeta(m.alpha, m.beta + t) - lbeta(m.alpha, m.beta)); }

double sbg_churn_probability(const Sbg &m, double t) {
  return std::exp(lbeta(m.alpha + 1, m.beta + t - 1) - lbeta(m.alpha, m.beta));
}

Fit fit_sbg(std::span<const Survivors> cohorts) {
  // Customers lost in period t and customers still there after t periods
  // (censored), summed over the cohorts: the likelihood depends on nothing else.
  std::vector<double> lost, kept;
  double n = 0;
  for (const auto &c : cohorts) {
    if (c.empty() || c[0] <= 0) continue;
    n += static_cast<double>(c[0]);
    if (lost.size() < c.size()) lost.resize(c.size(), 0), kept.resize(c.size(), 0);
    for (std::size_t t = 1; t < c.size(); ++t) lost[t] += static_cast<double>(c[t - 1] - c[t]);
    kept[c.size() - 1] += static_cast<double>(c.back());
  }
  if (n <= 0) return Fit{{}, 0, 0, 0, false, "no cohort with customers"};
  if (lost.size() < 2) return Fit{{}, 0, 0, 0, false, "no renewal observed yet"};
  double lost_total = 0;
  for (double l : lost) lost_total += l;
  // Without a single loss the likelihood rises towards θ = 0 forever.
  if (lost_total == 0) return Fit{{}, 0, 0, 0, false, "no customer lost yet: the churn rate is not identified"};
  Objective f = [&](const double *lp, double *grad) {
    const double al = std::exp(lp[0]), be = std::exp(lp[1]);
    const double l0 = lbeta(al, be), da0 = digamma(al) - digamma(al + be), db0 = digamma(be) - digamma(al + be);
    double ll = 0, da = 0, db = 0;
    for (std::size_t t = 1; t < lost.size(); ++t) {
      const double tt = static_cast<double>(t), s = digamma(al + be + tt);
      if (lost[t] > 0) {
        ll += lost[t] * (lbeta(al + 1, be + tt - 1) - l0);
        da += lost[t] * (digamma(al + 1) - s - da0);
        db += lost[t] * (digamma(be + tt - 1) - s - db0);
      }
      if (kept[t] > 0) {
        ll += kept[t] * (lbeta(al, be + tt) - l0);
        da += kept[t] * (digamma(al) - s - da0);
        db += kept[t] * (digamma(be + tt) - s - db0);
      }
    }
    // Cohorts seen only at offset 0 carry no information (S(0) = 1).
    grad[0] = -da * al / n, grad[1] = -db * be / n;
    return -ll / n;
  };
  std::vector<std::vector<double>> starts = {{0, 0}, {std::log(0.5), std::log(3.0)}, {std::log(3.0), std::log(0.5)}};
  return minimise(f, starts, {"alpha", "beta"}, static_cast<std::int64_t>(n));
}

}  // namespace cskpi::clv
