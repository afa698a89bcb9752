#include "learn/significance.h"

#include <gtest/gtest.h>

#include <vector>

namespace engram::learn {
namespace {

// Reference values: exact fractions from the hypergeometric sums, computed
// independently (Python fractions over math.comb); the first is Fisher's
// tea-tasting table (Fisher 1935, p = 17/70 = 0.2429, also R's
// fisher.test(matrix(c(3, 1, 1, 3), 2), alternative = "greater")).
TEST(FisherExactTest, MatchesIndependentlyComputedValues) {
  EXPECT_NEAR(FisherGreater({3, 1, 1, 3}), 17.0 / 70, 1e-12);
  EXPECT_NEAR(FisherLess({3, 1, 1, 3}), 69.0 / 70, 1e-12);
  EXPECT_NEAR(FisherGreater({8, 2, 3, 9}), 881.0 / 58786, 1e-12);
  EXPECT_NEAR(FisherLess({8, 2, 3, 9}), 4195.0 / 4199, 1e-12);
  EXPECT_NEAR(FisherLess({1, 9, 11, 3}), 41.0 / 29716, 1e-12);
  EXPECT_NEAR(FisherGreater({12, 0, 8, 10}), 34.0 / 23345, 1e-12);
  // 3 failures with a step, 2 successes without: p = 1 / C(5, 2) = 0.1.
  EXPECT_NEAR(FisherLess({0, 3, 2, 0}), 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(FisherGreater({0, 3, 2, 0}), 1.0);
}

TEST(FisherExactTest, EdgeCases) {
  EXPECT_DOUBLE_EQ(FisherGreater({0, 0, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(FisherLess({0, 0, 0, 0}), 1.0);
  EXPECT_NEAR(FisherGreater({5, 0, 0, 0}), 1.0, 1e-12);  // one column: no information
  EXPECT_DOUBLE_EQ(FisherGreater({-1, 2, 3, 4}), FisherGreater({0, 2, 3, 4}));
  for (const TwoByTwo t : {TwoByTwo{3, 1, 1, 3}, TwoByTwo{8, 2, 3, 9}, TwoByTwo{40, 60, 55, 45}}) {
    const double g = FisherGreater(t), l = FisherLess(t);
    EXPECT_GE(g, 0.0);
    EXPECT_LE(g, 1.0);
    // P(A >= a) + P(A <= a) = 1 + P(A = a) > 1.
    EXPECT_GT(g + l, 1.0);
  }
}

TEST(FisherExactTest, MinimumAttainable) {
  // Margins of {3, 1, 1, 3}: a at most 4 -> P = 1/70; at least 0 -> 1/70.
  EXPECT_NEAR(FisherMinGreater({3, 1, 1, 3}), 1.0 / 70, 1e-12);
  EXPECT_NEAR(FisherMinLess({3, 1, 1, 3}), 1.0 / 70, 1e-12);
  EXPECT_LE(FisherMinGreater({8, 2, 3, 9}), FisherGreater({8, 2, 3, 9}));
  // 3 episodes with a step among 20 of which 19 succeeded: never below 0.15.
  EXPECT_NEAR(FisherMinLess({2, 1, 17, 0}), 3.0 / 20, 1e-12);  // C(3,2) C(17,17) / C(20,19)
}

TEST(BenjaminiHochbergTest, AdjustsInInputOrder) {
  // Sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.02, 0.04, 0.04.
  const std::vector<double> q = BenjaminiHochberg({0.01, 0.04, 0.03, 0.005});
  ASSERT_EQ(q.size(), 4u);
  EXPECT_NEAR(q[0], 0.02, 1e-12);
  EXPECT_NEAR(q[1], 0.04, 1e-12);
  EXPECT_NEAR(q[2], 0.04, 1e-12);
  EXPECT_NEAR(q[3], 0.02, 1e-12);
  // Counting more hypotheses than listed scales up; capped at 1.
  const std::vector<double> q8 = BenjaminiHochberg({0.01, 0.04, 0.03, 0.005}, 8);
  EXPECT_NEAR(q8[0], 0.04, 1e-12);
  EXPECT_NEAR(q8[1], 0.08, 1e-12);
  EXPECT_DOUBLE_EQ(BenjaminiHochberg({0.6}, 10)[0], 1.0);
  EXPECT_TRUE(BenjaminiHochberg({}).empty());
}

TEST(TaroneTest, DropsTestsThatCannotReachSignificance) {
  // K = 1: 2 minima <= 0.05 (too many); K = 2: 2 minima <= 0.025.
  EXPECT_NEAR(TaroneThreshold({0.001, 0.01, 0.2, 0.5}, 0.05), 0.025, 1e-12);
  EXPECT_NEAR(TaroneThreshold({0.3, 0.5}, 0.05), 0.05, 1e-12);
  EXPECT_NEAR(TaroneThreshold({}, 0.05), 0.05, 1e-12);
}

TEST(PatternSignificanceTest, AgainstAllEpisodes) {
  // 12/12 with the pattern, 8/18 without (30 episodes, 20 successes).
  const PatternEvidence ev = PatternSignificance(12, 12, 30, 20);
  EXPECT_NEAR(ev.lift, 1.0 - 8.0 / 18, 1e-12);
  EXPECT_NEAR(ev.p_value, 34.0 / 23345, 1e-12);
  // Seen everywhere: no contrast.
  EXPECT_DOUBLE_EQ(PatternSignificance(10, 5, 10, 5).lift, 0.0);
  EXPECT_NEAR(PatternSignificance(10, 5, 10, 5).p_value, 1.0, 1e-12);
  // Inconsistent counts are clamped, never out of [0, 1].
  const PatternEvidence odd = PatternSignificance(5, 9, 3, 100);
  EXPECT_GE(odd.p_value, 0.0);
  EXPECT_LE(odd.p_value, 1.0);
}

}  // namespace
}  // namespace engram::learn
