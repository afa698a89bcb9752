// Significance tests behind heuristics and "worth applying" patterns
// (docs/LEARNING.md, "Evidence"): Fisher's exact test on a 2x2 table and
// the Benjamini-Hochberg false discovery rate adjustment.
//
// The table, for a feature f (a step, a pattern) over a group of episodes:
//                 success   failure
//   with f           a         b
//   without f        c         d
// With the margins fixed, a follows the hypergeometric distribution
// P(a = k) = C(a+b, k) C(c+d, a+c-k) / C(n, a+c), n = a+b+c+d.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

namespace engram::learn {

struct TwoByTwo {
  std::int64_t a = 0;  // with, success
  std::int64_t b = 0;  // with, failure
  std::int64_t c = 0;  // without, success
  std::int64_t d = 0;  // without, failure
};

// One-sided p-value that episodes with f succeed MORE often than those
// without: P(A >= a) under the hypergeometric null. 1 for an empty table;
// negative counts are treated as 0.
double FisherGreater(const TwoByTwo& t);

// One-sided p-value that episodes with f succeed LESS often: P(A <= a).
double FisherLess(const TwoByTwo& t);

// The smallest p-value FisherGreater / FisherLess could give with the
// table's margins (a at its largest / smallest possible value). A test
// whose minimum is above the threshold can never be significant.
double FisherMinGreater(const TwoByTwo& t);
double FisherMinLess(const TwoByTwo& t);

// Tarone's screening of discrete tests (Tarone 1990; for the false
// discovery rate, Gilbert 2005): the smallest K >= 1 such that at most K of
// the hypotheses have a minimum attainable p-value <= alpha / K. Only those
// hypotheses are counted when adjusting; the others cannot be significant
// at any rank and would only dilute the correction. Returns alpha / K.
double TaroneThreshold(const std::vector<double>& min_p_values, double alpha);

// Benjamini-Hochberg adjusted p-values (q-values), in the input order:
// sorted ascending, q(i) = min over j >= i of p(j) * m / j, capped at 1.
// A hypothesis is rejected at false discovery rate alpha when q <= alpha.
// `m` is the number of hypotheses tested (at least p_values.size(); larger
// when some tests were run but not listed).
std::vector<double> BenjaminiHochberg(const std::vector<double>& p_values, std::size_t m = 0);

// Odds ratio (a d) / (b c) with the Haldane-Anscombe correction (0.5 added
// to every cell), so it is finite for tables with a zero.
double OddsRatio(const TwoByTwo& t);

// A pattern seen in `support` episodes (`successes` of them successful)
// against all `total` episodes (`total_successes` successful): lift =
// its success rate - the rate of the episodes without it; p_value =
// FisherGreater of that table. Counts are clamped to a consistent table.
struct PatternEvidence {
  double lift = 0;
  double p_value = 1;
};
PatternEvidence PatternSignificance(std::int64_t support, std::int64_t successes,
                                    std::int64_t total, std::int64_t total_successes);

}  // namespace engram::learn
