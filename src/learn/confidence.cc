#include "learn/confidence.h"

#include <algorithm>
#include <cmath>

namespace engram::learn {

double Clamp01(double x) {
  if (std::isnan(x)) return 0.0;
  return std::clamp(x, 0.0, 1.0);
}

double WilsonLowerBound(double successes, double trials, WilsonOptions options) {
  if (!(trials > 0) || std::isnan(successes)) return 0.0;
  const double n = trials;
  const double s = std::clamp(successes, 0.0, n);
  const double z = std::isfinite(options.z) ? std::abs(options.z) : 1.96;
  const double p = s / n;
  const double z2 = z * z;
  const double centre = p + z2 / (2 * n);
  const double margin = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return Clamp01((centre - margin) / (1 + z2 / n));
}

double WilsonLowerBound(std::int64_t successes, std::int64_t trials, WilsonOptions options) {
  return WilsonLowerBound(static_cast<double>(successes), static_cast<double>(trials), options);
}

double BetaPosteriorMean(double successes, double trials, BetaPrior prior) {
  const double a = prior.a > 0 && std::isfinite(prior.a) ? prior.a : 1.0;
  const double b = prior.b > 0 && std::isfinite(prior.b) ? prior.b : 1.0;
  const double n = trials > 0 && std::isfinite(trials) ? trials : 0.0;
  const double s = std::isnan(successes) ? 0.0 : std::clamp(successes, 0.0, n);
  return Clamp01((s + a) / (n + a + b));
}

}  // namespace engram::learn
