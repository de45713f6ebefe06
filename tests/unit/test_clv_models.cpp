// The CLV models of docs/kpis.md §13: formulas against 60-digit values of
// tests/data/clv_reference.py (the papers' formulas, written independently
// of the library's log-space forms), and maximum-likelihood recovery of
// simulated parameters within four standard errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kpi/clv_models.hpp"

using namespace cskpi::clv;

namespace {

// The rows of tests/data/clv_reference.txt whose first word is kind.
std::vector<std::vector<double>> reference_rows(const std::string &kind) {
  std::ifstream in(CSKPI_TEST_DATA_DIR "/clv_reference.txt");
  REQUIRE(in);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string head;
    words >> head;
    if (head != kind) continue;
    std::vector<double> row;
    for (double v; words >> v;) row.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

// Relative agreement to 1e-9 (absolute near 0).
bool close(double got, double want, double rel = 1e-9) {
  return std::fabs(got - want) <= rel * std::max(1.0, std::fabs(want));
}

// Standard errors from the observed information: the inverse of minus the
// Hessian of ll at theta (central differences), up to 4 parameters.
std::vector<double> standard_errors(const std::function<double(const std::vector<double> &)> &ll,
                                    const std::vector<double> &theta) {
  const std::size_t n = theta.size();
  std::vector<std::vector<double>> h(n, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      const double di = 1e-4 * theta[i], dj = 1e-4 * theta[j];
      auto at = [&](double si, double sj) {
        auto p = theta;
        p[i] += si * di;
        p[j] += sj * dj;
        return ll(p);
      };
      h[i][j] = h[j][i] = -(at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * di * dj);
    }
  // Gauss-Jordan inverse of the (positive definite) information matrix.
  std::vector<std::vector<double>> inv(n, std::vector<double>(n, 0));
  for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1;
  for (std::size_t c = 0; c < n; ++c) {
    const double pivot = h[c][c];
    REQUIRE(pivot > 0);
    for (std::size_t k = 0; k < n; ++k) h[c][k] /= pivot, inv[c][k] /= pivot;
    for (std::size_t r = 0; r < n; ++r)
      if (r != c) {
        const double f = h[r][c];
        for (std::size_t k = 0; k < n; ++k) h[r][k] -= f * h[c][k], inv[r][k] -= f * inv[c][k];
      }
  }
  std::vector<double> se(n);
  for (std::size_t i = 0; i < n; ++i) se[i] = std::sqrt(inv[i][i]);
  return se;
}

// Each estimate within 4 standard errors of the truth (a false failure has
// probability about 6e-5 per parameter), and the standard error small enough
// (under 15% of the value) for that to say something.
void check_recovered(const std::vector<double> &fit, const std::vector<double> &truth, const std::vector<double> &se) {
  for (std::size_t i = 0; i < truth.size(); ++i) {
    INFO("parameter " << i << ": fitted " << fit[i] << ", true " << truth[i] << ", se " << se[i]);
    CHECK(se[i] < 0.15 * truth[i]);
    CHECK(std::fabs(fit[i] - truth[i]) < 4 * se[i]);
  }
}

// One BG/NBD customer observed for T: purchases at rate λ, after each repeat
// purchase gone with probability p.
RfmGroup simulate_customer(std::mt19937_64 &rng, double lambda, double p, double T) {
  std::exponential_distribution<double> gap(lambda);
  std::bernoulli_distribution drop(p);
  double t = 0, x = 0, t_x = 0;
  while (true) {
    t += gap(rng);
    if (t > T) break;
    x += 1, t_x = t;
    if (drop(rng)) break;
  }
  return {x, t_x, T, 1};
}

double beta_draw(std::mt19937_64 &rng, double a, double b) {
  double u = std::gamma_distribution<double>(a, 1)(rng), v = std::gamma_distribution<double>(b, 1)(rng);
  return u / (u + v);
}

}  // namespace

TEST_CASE("BG/NBD likelihood, P(alive) and expected purchases match the 60-digit reference") {
  auto rows = reference_rows("bgnbd");
  REQUIRE(rows.size() >= 150);
  for (const auto &v : rows) {
    BgNbd m{v[0], v[1], v[2], v[3]};
    const double x = v[4], t_x = v[5], T = v[6], t = v[7];
    INFO("r " << v[0] << " alpha " << v[1] << " a " << v[2] << " b " << v[3] << " x " << x << " t_x " << t_x << " T "
              << T << " t " << t);
    CHECK(close(bgnbd_log_likelihood(m, x, t_x, T), v[8]));
    CHECK(close(bgnbd_p_alive(m, x, t_x, T), v[9]));
    CHECK(close(bgnbd_conditional_expected(m, x, t_x, T, t), v[10], 1e-8));
  }
}

TEST_CASE("Gamma-Gamma likelihood and expected order value match the reference") {
  auto rows = reference_rows("gg");
  REQUIRE(rows.size() >= 20);
  for (const auto &v : rows) {
    GammaGamma m{v[0], v[1], v[2]};
    INFO("p " << v[0] << " q " << v[1] << " gamma " << v[2] << " x " << v[3] << " m " << v[4]);
    CHECK(close(gg_log_likelihood(m, v[3], v[4]), v[5]));
    CHECK(close(gg_expected_value(m, v[3], v[4]), v[6]));
  }
}

TEST_CASE("sBG survival and churn probabilities match the reference") {
  auto rows = reference_rows("sbg");
  REQUIRE(rows.size() >= 20);
  for (const auto &v : rows) {
    Sbg m{v[0], v[1]};
    INFO("alpha " << v[0] << " beta " << v[1] << " t " << v[2]);
    CHECK(close(sbg_survival(m, v[2]), v[3]));
    CHECK(close(sbg_churn_probability(m, v[2]), v[4]));
  }
}

TEST_CASE("BG/NBD spec identities: P(alive) is 1 without repeats, expected purchases grow with the horizon") {
  BgNbd m{0.5, 5, 0.8, 2.5};
  CHECK(bgnbd_p_alive(m, 0, 0, 1e6) == 1.0);
  // Bought at T itself: no time to have dropped out unseen.
  CHECK(bgnbd_p_alive(m, 4, 20, 20) == Approx(1 / (1 + m.a / (m.b + 3))));
  double prev = 0;
  for (double t : {1.0, 10.0, 100.0, 1000.0}) {
    double e = bgnbd_conditional_expected(m, 3, 10, 20, t);
    CHECK(e > prev);
    prev = e;
  }
  // a = 1 is a removable singularity of (a+b+x-1)/(a-1) [...]: continuous through it.
  BgNbd lo{0.5, 5, 1 - 1e-5, 2.5}, one{0.5, 5, 1, 2.5}, hi{0.5, 5, 1 + 1e-5, 2.5};
  double e_lo = bgnbd_expected_if_alive(lo, 3, 20, 12), e_hi = bgnbd_expected_if_alive(hi, 3, 20, 12);
  CHECK(bgnbd_expected_if_alive(one, 3, 20, 12) == Approx(0.5 * (e_lo + e_hi)).epsilon(1e-6));
}

TEST_CASE("BG/NBD fit recovers simulated parameters within 4 standard errors") {
  const BgNbd truth{0.8, 6.0, 0.9, 3.0};
  std::mt19937_64 rng(20240531);
  std::gamma_distribution<double> lambda(truth.r, 1 / truth.alpha);
  std::uniform_int_distribution<int> age(26, 104);  // weeks observed
  std::vector<RfmGroup> customers;
  for (int i = 0; i < 30000; ++i)
    customers.push_back(simulate_customer(rng, lambda(rng), beta_draw(rng, truth.a, truth.b), age(rng)));
  Fit fit = fit_bgnbd(customers, 2);
  INFO(fit.reason);
  REQUIRE(fit.converged);
  REQUIRE(fit.params.size() == 4);
  CHECK(fit.customers == 30000);
  auto ll = [&](const std::vector<double> &p) {
    double s = 0;
    for (const auto &c : customers) s += bgnbd_log_likelihood({p[0], p[1], p[2], p[3]}, c.x, c.t_x, c.T);
    return s;
  };
  CHECK(fit.log_likelihood == Approx(ll(fit.params)).epsilon(1e-9));
  // The maximum: no nearby point is better.
  for (std::size_t i = 0; i < 4; ++i)
    for (double f : {0.99, 1.01}) {
      auto p = fit.params;
      p[i] *= f;
      CHECK(ll(p) < fit.log_likelihood);
    }
  check_recovered(fit.params, {truth.r, truth.alpha, truth.a, truth.b}, standard_errors(ll, fit.params));
}

TEST_CASE("BG/NBD fit: one and two threads give the same optimum") {
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> lambda(1.5, 1 / 10.0);
  std::vector<RfmGroup> customers;
  for (int i = 0; i < 20000; ++i) customers.push_back(simulate_customer(rng, lambda(rng), beta_draw(rng, 1, 4), 52));
  Fit one = fit_bgnbd(customers, 1), two = fit_bgnbd(customers, 2);
  REQUIRE(one.converged);
  REQUIRE(two.converged);
  for (std::size_t i = 0; i < 4; ++i) CHECK(one.params[i] == Approx(two.params[i]).epsilon(1e-6));
}

TEST_CASE("Gamma-Gamma fit recovers simulated parameters within 4 standard errors") {
  const GammaGamma truth{6.0, 4.0, 15.0};
  std::mt19937_64 rng(99);
  std::gamma_distribution<double> nu(truth.q, 1 / truth.gamma);
  std::uniform_int_distribution<int> repeats(1, 8);
  std::vector<Spend> spend;
  for (int i = 0; i < 20000; ++i) {
    const int x = repeats(rng);
    std::gamma_distribution<double> value(truth.p, 1 / nu(rng));
    double sum = 0;
    for (int k = 0; k < x; ++k) sum += value(rng);
    spend.push_back({static_cast<double>(x), sum / x});
  }
  Fit fit = fit_gamma_gamma(spend, 2);
  INFO(fit.reason);
  REQUIRE(fit.converged);
  auto ll = [&](const std::vector<double> &p) {
    double s = 0;
    for (const auto &c : spend) s += gg_log_likelihood({p[0], p[1], p[2]}, c.x, c.m);
    return s;
  };
  CHECK(fit.log_likelihood == Approx(ll(fit.params)).epsilon(1e-9));
  check_recovered(fit.params, {truth.p, truth.q, truth.gamma}, standard_errors(ll, fit.params));
}

TEST_CASE("sBG fit recovers simulated cohort parameters within 4 standard errors") {
  const Sbg truth{0.7, 2.5};
  std::mt19937_64 rng(4242);
  std::vector<Survivors> cohorts;
  // Twelve cohorts of 3,000, observed for 1..12 periods (the youngest is the newest).
  for (int age = 1; age <= 12; ++age) {
    Survivors alive(static_cast<std::size_t>(age) + 1, 0);
    for (int i = 0; i < 3000; ++i) {
      const double theta = beta_draw(rng, truth.alpha, truth.beta);
      std::bernoulli_distribution leaves(theta);
      int t = 0;
      alive[0]++;
      while (t < age && !leaves(rng)) alive[static_cast<std::size_t>(++t)]++;
    }
    cohorts.push_back(alive);
  }
  Fit fit = fit_sbg(cohorts);
  INFO(fit.reason);
  REQUIRE(fit.converged);
  auto ll = [&](const std::vector<double> &p) {
    Sbg m{p[0], p[1]};
    double s = 0;
    for (const auto &c : cohorts) {
      for (std::size_t t = 1; t < c.size(); ++t)
        s += static_cast<double>(c[t - 1] - c[t]) * std::log(sbg_churn_probability(m, static_cast<double>(t)));
      s += static_cast<double>(c.back()) * std::log(sbg_survival(m, static_cast<double>(c.size() - 1)));
    }
    return s;
  };
  CHECK(fit.log_likelihood == Approx(ll(fit.params)).epsilon(1e-9));
  check_recovered(fit.params, {truth.alpha, truth.beta}, standard_errors(ll, fit.params));
}

TEST_CASE("Fits on degenerate data end with a reason or a finite fit, never NaN") {
  auto finite = [](const Fit &f) {
    bool ok = std::isfinite(f.log_likelihood);
    for (double p : f.params) ok = ok && std::isfinite(p) && p > 0;
    return ok;
  };
  SECTION("all one-time buyers: dropout is not identified") {
    std::vector<RfmGroup> g = {{0, 0, 10, 400}, {0, 0, 30, 300}, {0, 0, 52, 300}};
    Fit f = fit_bgnbd(g, 2);
    CHECK(finite(f));
    CHECK(!f.converged);  // a and b do not enter the likelihood at x = 0
    CHECK(!f.reason.empty());
  }
  SECTION("all customers identical") {
    std::vector<RfmGroup> g = {{3, 20, 40, 1000}};
    Fit f = fit_bgnbd(g, 2);
    CHECK(finite(f));
    if (!f.converged) CHECK(!f.reason.empty());
    std::vector<Spend> s(1000, Spend{3, 25});
    Fit gg = fit_gamma_gamma(s, 2);
    CHECK(finite(gg));
    CHECK(!gg.converged);  // no spread between customers: q and γ run off
    CHECK(!gg.reason.empty());
  }
  SECTION("five customers, one with 10,000 purchase days") {
    std::vector<RfmGroup> g = {{0, 0, 50, 1}, {2, 10, 50, 1}, {1, 3, 40, 1}, {10000, 1428, 1428.5, 1}, {5, 30, 45, 1}};
    Fit f = fit_bgnbd(g, 2);
    CHECK(finite(f));
    if (!f.converged) CHECK(!f.reason.empty());
  }
  SECTION("no data") {
    CHECK(!fit_bgnbd({}, 2).converged);
    CHECK(!fit_gamma_gamma({}, 2).converged);
    CHECK(!fit_sbg({}).converged);
  }
  SECTION("sBG: no customer ever lost") {
    std::vector<Survivors> c = {{100, 100, 100}, {50, 50}};
    Fit f = fit_sbg(c);
    CHECK(!f.converged);
    CHECK(!f.reason.empty());
  }
}
