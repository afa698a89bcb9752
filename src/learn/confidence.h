// Success estimates that respect sample size (docs/LEARNING.md, "Patterns
// and heuristics"): the Wilson score lower bound and the Beta posterior
// mean. A rate seen on 2 of 2 episodes must not outrank one seen on 95 of
// 100; both estimates shrink small samples and never leave [0, 1].
//
// Used by pattern mining, heuristics, feedback and candidates alike.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

namespace engram::learn {

struct WilsonOptions {
  // Normal quantile of the interval; 1.96 = 95% two-sided.
  double z = 1.96;
};

// Lower bound of the Wilson score interval for `successes` out of `trials`:
//   p = s/n;  (p + z²/2n - z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
// 0 when trials <= 0. Inputs are clamped (successes to [0, trials]); the
// result is always in [0, 1].
double WilsonLowerBound(std::int64_t successes, std::int64_t trials, WilsonOptions options = {});

// Same with fractional counts (e.g. feedback weighted by signal).
double WilsonLowerBound(double successes, double trials, WilsonOptions options = {});

struct BetaPrior {
  // Beta(a, b) prior; a = b = 1 is uniform (Laplace's rule of succession).
  double a = 1.0;
  double b = 1.0;
};

// Posterior mean of a Bernoulli rate under a Beta(a, b) prior:
//   (s + a) / (n + a + b)
// Counts are clamped to 0 <= s <= n; non-positive prior parameters are
// replaced by the defaults. Always in [0, 1]; 0.5 with no data and a
// symmetric prior.
double BetaPosteriorMean(double successes, double trials, BetaPrior prior = {});

// Clamps `x` to [0, 1]; NaN becomes 0.
double Clamp01(double x);

}  // namespace engram::learn
