#include "learn/confidence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace engram::learn {
namespace {

TEST(WilsonLowerBoundTest, NoTrialsIsZero) {
  EXPECT_EQ(WilsonLowerBound(std::int64_t{0}, std::int64_t{0}), 0.0);
  EXPECT_EQ(WilsonLowerBound(3.0, -1.0), 0.0);
}

TEST(WilsonLowerBoundTest, MatchesKnownValues) {
  // Reference values computed from the closed form with z = 1.96.
  EXPECT_NEAR(WilsonLowerBound(std::int64_t{1}, std::int64_t{1}), 0.2065, 1e-4);
  EXPECT_NEAR(WilsonLowerBound(std::int64_t{5}, std::int64_t{10}), 0.2366, 1e-4);
  EXPECT_NEAR(WilsonLowerBound(std::int64_t{95}, std::int64_t{100}), 0.8883, 1e-4);
  EXPECT_NEAR(WilsonLowerBound(std::int64_t{0}, std::int64_t{10}), 0.0, 1e-12);
}

TEST(WilsonLowerBoundTest, SmallPerfectSampleRanksBelowLargeGoodSample) {
  EXPECT_LT(WilsonLowerBound(std::int64_t{2}, std::int64_t{2}),
            WilsonLowerBound(std::int64_t{95}, std::int64_t{100}));
}

TEST(WilsonLowerBoundTest, GrowsWithSampleAtSameRate) {
  EXPECT_LT(WilsonLowerBound(std::int64_t{4}, std::int64_t{5}),
            WilsonLowerBound(std::int64_t{40}, std::int64_t{50}));
}

TEST(WilsonLowerBoundTest, ClampsImpossibleCountsIntoUnitInterval) {
  const double v = WilsonLowerBound(std::int64_t{50}, std::int64_t{10});  // s > n
  EXPECT_GE(v, 0.0);
  EXPECT_LE(v, 1.0);
  EXPECT_DOUBLE_EQ(v, WilsonLowerBound(std::int64_t{10}, std::int64_t{10}));
  EXPECT_EQ(WilsonLowerBound(-5.0, 10.0), 0.0);
}

TEST(WilsonLowerBoundTest, LargerZIsMoreCautious) {
  EXPECT_LT(WilsonLowerBound(std::int64_t{8}, std::int64_t{10}, {.z = 2.58}),
            WilsonLowerBound(std::int64_t{8}, std::int64_t{10}, {.z = 1.0}));
}

TEST(BetaPosteriorMeanTest, UniformPriorIsLaplace) {
  EXPECT_DOUBLE_EQ(BetaPosteriorMean(0, 0), 0.5);
  EXPECT_DOUBLE_EQ(BetaPosteriorMean(3, 4), 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(BetaPosteriorMean(10, 10), 11.0 / 12.0);
}

TEST(BetaPosteriorMeanTest, CustomPriorAndBadPrior) {
  EXPECT_DOUBLE_EQ(BetaPosteriorMean(2, 2, {.a = 2, .b = 8}), 4.0 / 12.0);
  EXPECT_DOUBLE_EQ(BetaPosteriorMean(2, 2, {.a = -1, .b = 0}), 3.0 / 4.0);
}

TEST(BetaPosteriorMeanTest, NeverLeavesUnitInterval) {
  const double inf = std::numeric_limits<double>::infinity();
  for (double s : {-10.0, 0.0, 5.0, 1e9, inf}) {
    for (double n : {-1.0, 0.0, 5.0, 1e9}) {
      const double v = BetaPosteriorMean(s, n);
      EXPECT_GE(v, 0.0) << s << "/" << n;
      EXPECT_LE(v, 1.0) << s << "/" << n;
    }
  }
}

TEST(Clamp01Test, ClampsAndRejectsNaN) {
  EXPECT_EQ(Clamp01(-0.5), 0.0);
  EXPECT_EQ(Clamp01(1.5), 1.0);
  EXPECT_EQ(Clamp01(0.25), 0.25);
  EXPECT_EQ(Clamp01(std::nan("")), 0.0);
}

}  // namespace
}  // namespace engram::learn
