// The probabilistic customer-base models of docs/kpis.md §13: BG/NBD
// (Fader, Hardie & Lee 2005, "Counting your customers the easy way"),
// Gamma-Gamma spend (Fader, Hardie & Lee 2005, "RFM and CLV") and the
// shifted-Beta-Geometric contract model (Fader & Hardie 2007). Every formula
// works in logs so that large frequencies and ages neither overflow nor lose
// precision (§13.6); the fits are maximum likelihood with NLopt's L-BFGS on
// log-parameters, analytic gradients and several starts (§13.5).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace cskpi::clv {

// Runs body(begin, end, slot) over [0, n) split into at most `threads`
// ranges, one thread each (slot 0 on the caller's): the likelihoods and the
// scoring use every core (docs/kpis.md §13.4). Small n stays on one thread.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t, std::size_t, int)> &body);

// One fitted model: parameters in the model's order, maximised
// log-likelihood, and whether the optimum can be trusted (reason when not).
struct Fit {
  std::vector<double> params;
  double log_likelihood = 0;
  std::int64_t customers = 0;  // observations behind the fit
  int iterations = 0;          // likelihood evaluations over all starts
  bool converged = false;
  std::string reason;          // empty when converged
};

// ---- BG/NBD: purchases at rate λ ~ Gamma(r, α) while alive, dropout after
// each repeat purchase with probability p ~ Beta(a, b).
struct BgNbd {
  double r, alpha, a, b;
};
// Customers sharing one (x, t_x, T), in the time unit (§13.1); weight is how
// many customers have it.
struct RfmGroup {
  double x, t_x, T;
  double weight;
};
// Log-likelihood of one customer (FHL 2005 eq. 6).
double bgnbd_log_likelihood(const BgNbd &m, double x, double t_x, double T);
// log of the odds against being alive: P(alive) = 1 / (1 + exp(s)); -inf for x = 0.
double bgnbd_dead_log_odds(const BgNbd &m, double x, double t_x, double T);
double bgnbd_p_alive(const BgNbd &m, double x, double t_x, double T);
// Expected purchases in (T, T + t] of a customer known to be alive at T with
// x repeat purchases: (a+b+x-1)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x;
// a+b+x-1; t/(α+T+t))]. Times P(alive) it is FHL 2005 eq. 10.
double bgnbd_expected_if_alive(const BgNbd &m, double x, double T, double t);
double bgnbd_conditional_expected(const BgNbd &m, double x, double t_x, double T, double t);
// The maximum-likelihood fit on grouped customers, evaluated on `threads` threads.
Fit fit_bgnbd(std::span<const RfmGroup> groups, int threads);

// ---- Gamma-Gamma: a customer's order values ~ Gamma(p, ν), ν ~ Gamma(q, γ).
struct GammaGamma {
  double p, q, gamma;
};
// A repeat buyer: x repeat order days of mean value m > 0.
struct Spend {
  double x, m;
};
// Log density of the mean m of x values (FHL "RFM and CLV" eq. 3 in m).
double gg_log_likelihood(const GammaGamma &m, double x, double mean);
// E[Z | x, m] = p (γ + x m) / (p x + q - 1); the population mean p γ / (q - 1) at x = 0.
double gg_expected_value(const GammaGamma &m, double x, double mean);
Fit fit_gamma_gamma(std::span<const Spend> spend, int threads);

// ---- shifted-Beta-Geometric: each period a customer renews with probability
// 1 - θ, θ ~ Beta(α, β); period 1 is the first renewal decision.
struct Sbg {
  double alpha, beta;
};
// S(t) = B(α, β + t) / B(α, β): the share still a customer after t periods.
double sbg_survival(const Sbg &m, double t);
// P(T = t) = B(α + 1, β + t - 1) / B(α, β): the share lost in period t >= 1.
double sbg_churn_probability(const Sbg &m, double t);
// One cohort's survivors: alive[0] = size, alive[j] = still customers after j
// periods (non-increasing); the last entry is censored.
using Survivors = std::vector<std::int64_t>;
// One (α, β) for all the given cohorts (one cohort: that cohort's own fit).
Fit fit_sbg(std::span<const Survivors> cohorts);

}  // namespace cskpi::clv
