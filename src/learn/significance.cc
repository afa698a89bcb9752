#include "learn/significance.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace engram::learn {
namespace {

double LogChoose(std::int64_t n, std::int64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

struct Margins {
  std::int64_t a, row, col, n;  // a, |with|, successes, total
};

Margins Of(const TwoByTwo& t) {
  const std::int64_t a = std::max<std::int64_t>(0, t.a), b = std::max<std::int64_t>(0, t.b);
  const std::int64_t c = std::max<std::int64_t>(0, t.c), d = std::max<std::int64_t>(0, t.d);
  return {a, a + b, a + c, a + b + c + d};
}

// P(A = k) for the hypergeometric with the table's margins.
double Pmf(const Margins& m, std::int64_t k) {
  return std::exp(LogChoose(m.row, k) + LogChoose(m.n - m.row, m.col - k) - LogChoose(m.n, m.col));
}

// Sum of P(A = k) for k in [from, to] (clipped to the support).
double Sum(const Margins& m, std::int64_t from, std::int64_t to) {
  const std::int64_t lo = std::max<std::int64_t>(0, m.col - (m.n - m.row));
  const std::int64_t hi = std::min(m.row, m.col);
  double p = 0;
  for (std::int64_t k = std::max(from, lo); k <= std::min(to, hi); ++k) p += Pmf(m, k);
  return std::clamp(p, 0.0, 1.0);
}

}  // namespace

double FisherGreater(const TwoByTwo& t) {
  const Margins m = Of(t);
  if (m.n == 0) return 1.0;
  return Sum(m, m.a, m.row);
}

double FisherLess(const TwoByTwo& t) {
  const Margins m = Of(t);
  if (m.n == 0) return 1.0;
  return Sum(m, 0, m.a);
}

double FisherMinGreater(const TwoByTwo& t) {
  const Margins m = Of(t);
  if (m.n == 0) return 1.0;
  const std::int64_t hi = std::min(m.row, m.col);
  return Sum(m, hi, hi);
}

double FisherMinLess(const TwoByTwo& t) {
  const Margins m = Of(t);
  if (m.n == 0) return 1.0;
  const std::int64_t lo = std::max<std::int64_t>(0, m.col - (m.n - m.row));
  return Sum(m, lo, lo);
}

double TaroneThreshold(const std::vector<double>& min_p_values, double alpha) {
  std::vector<double> sorted = min_p_values;
  std::sort(sorted.begin(), sorted.end());
  // count(K) = #{p <= alpha / K} falls as K grows; the first K with
  // count(K) <= K exists (K = number of hypotheses at most).
  for (std::size_t k = 1; k <= std::max<std::size_t>(1, sorted.size()); ++k) {
    const double threshold = alpha / static_cast<double>(k);
    const auto count = static_cast<std::size_t>(
        std::upper_bound(sorted.begin(), sorted.end(), threshold) - sorted.begin());
    if (count <= k) return threshold;
  }
  return alpha / static_cast<double>(std::max<std::size_t>(1, sorted.size()));
}

std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values, std::size_t m) {
  const std::size_t n = p_values.size();
  m = std::max(m, n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return p_values[x] < p_values[y]; });
  std::vector<double> q(n, 1.0);
  double running = 1.0;
  for (std::size_t r = n; r-- > 0;) {
    const double adjusted =
        p_values[order[r]] * static_cast<double>(m) / static_cast<double>(r + 1);
    running = std::min(running, adjusted);
    q[order[r]] = std::min(1.0, running);
  }
  return q;
}

double OddsRatio(const TwoByTwo& t) {
  return ((static_cast<double>(t.a) + 0.5) * (static_cast<double>(t.d) + 0.5)) /
         ((static_cast<double>(t.b) + 0.5) * (static_cast<double>(t.c) + 0.5));
}

PatternEvidence PatternSignificance(std::int64_t support, std::int64_t successes,
                                    std::int64_t total, std::int64_t total_successes) {
  support = std::max<std::int64_t>(0, support);
  successes = std::clamp<std::int64_t>(successes, 0, support);
  total = std::max(total, support);
  total_successes =
      std::clamp<std::int64_t>(total_successes, successes, successes + (total - support));
  const TwoByTwo t{successes, support - successes, total_successes - successes,
                   (total - support) - (total_successes - successes)};
  PatternEvidence ev;
  const double with = support > 0 ? static_cast<double>(t.a) / static_cast<double>(support) : 0;
  const std::int64_t rest = total - support;
  const double without = rest > 0 ? static_cast<double>(t.c) / static_cast<double>(rest) : 0;
  ev.lift = support > 0 && rest > 0 ? with - without : 0;
  ev.p_value = FisherGreater(t);
  return ev;
}

}  // namespace engram::learn
