#include "retrieval/fusion.h"

#include <algorithm>

namespace engram::retrieval {

std::vector<double> MinMax(std::span<const double> xs) {
  std::vector<double> out(xs.begin(), xs.end());
  if (out.empty()) return out;
  auto [lo, hi] = std::minmax_element(out.begin(), out.end());
  double min = *lo, range = *hi - *lo;
  for (double& x : out) x = range > 1e-12 ? (x - min) / range : (x > 0 ? 1.0 : 0.0);
  return out;
}

std::vector<double> MaxNorm(std::span<const double> xs) {
  std::vector<double> out(xs.begin(), xs.end());
  double hi = 0;
  for (double x : out) hi = std::max(hi, x);
  for (double& x : out) x = hi > 0 ? std::max(0.0, x) / hi : 0.0;
  return out;
}

std::vector<double> Fuse(std::span<const double> lexical, std::span<const double> dense,
                         double dense_weight) {
  std::vector<double> l = MaxNorm(lexical), d = MinMax(dense);
  std::vector<double> out(l.size());
  for (std::size_t i = 0; i < l.size(); ++i) {
    out[i] = (1 - dense_weight) * l[i] + dense_weight * (i < d.size() ? d[i] : 0.0);
  }
  return out;
}

}  // namespace engram::retrieval
