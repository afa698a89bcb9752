#include "learn/reinforcement.h"

#include <gtest/gtest.h>

#include <cmath>

namespace engram::learn {
namespace {

TEST(ReinforcementTest, PositiveSignalsMoveTowardOne) {
  Reinforcement r = Reinforce(0.5, FeedbackSignal::kHelped);
  EXPECT_DOUBLE_EQ(r.before, 0.5);
  EXPECT_DOUBLE_EQ(r.after, 0.55);  // 0.5 + 0.10 * 0.5
  EXPECT_EQ(r.rule, "helped: c + 0.10 * (1 - c)");
  EXPECT_DOUBLE_EQ(Reinforce(0.5, FeedbackSignal::kTestsPassed).after, 0.575);
  EXPECT_DOUBLE_EQ(Reinforce(0.5, FeedbackSignal::kAccepted).after, 0.55);
}

TEST(ReinforcementTest, NegativeSignalsMoveTowardZeroHarmfulStrongest) {
  EXPECT_DOUBLE_EQ(Reinforce(0.5, FeedbackSignal::kHindered).after, 0.425);
  EXPECT_DOUBLE_EQ(Reinforce(0.5, FeedbackSignal::kRejected).after, 0.4);
  Reinforcement harmful = Reinforce(0.5, FeedbackSignal::kHarmful);
  EXPECT_DOUBLE_EQ(harmful.after, 0.3);
  EXPECT_EQ(harmful.rule, "harmful: c - 0.40 * c");
  EXPECT_DOUBLE_EQ(Reinforce(0.5, FeedbackSignal::kNoEffect).after, 0.49);
  for (FeedbackSignal s :
       {FeedbackSignal::kNoEffect, FeedbackSignal::kHindered, FeedbackSignal::kRejected}) {
    EXPECT_GT(Reinforce(0.5, s).after, harmful.after) << ToString(s);
  }
}

TEST(ReinforcementTest, StaysInBoundsUnderRepeatedSignals) {
  double up = 0.9, down = 0.1;
  for (int i = 0; i < 200; ++i) {
    up = Reinforce(up, FeedbackSignal::kTestsPassed).after;
    down = Reinforce(down, FeedbackSignal::kHarmful).after;
    ASSERT_LE(up, 1.0);
    ASSERT_GE(down, 0.0);
  }
  EXPECT_GT(up, 0.999);
  EXPECT_LT(down, 1e-6);
  EXPECT_DOUBLE_EQ(Reinforce(1.0, FeedbackSignal::kHelped).after, 1.0);
  EXPECT_DOUBLE_EQ(Reinforce(0.0, FeedbackSignal::kHarmful).after, 0.0);
}

TEST(ReinforcementTest, ClampsBadInputAndOptions) {
  EXPECT_DOUBLE_EQ(Reinforce(std::nan(""), FeedbackSignal::kHelped).before, 0.0);
  EXPECT_DOUBLE_EQ(Reinforce(7.0, FeedbackSignal::kHelped).after, 1.0);
  ReinforcementOptions o;
  o.harmful = 3.0;  // clamped to 1: straight to 0, never negative
  EXPECT_DOUBLE_EQ(Reinforce(0.8, FeedbackSignal::kHarmful, o).after, 0.0);
  o.helped = -1.0;  // clamped to 0: no move
  EXPECT_DOUBLE_EQ(Reinforce(0.8, FeedbackSignal::kHelped, o).after, 0.8);
}

TEST(ReinforcementTest, UseAndDirection) {
  EXPECT_TRUE(CountsAsUse(FeedbackSignal::kHelped));
  EXPECT_TRUE(CountsAsUse(FeedbackSignal::kHarmful));
  EXPECT_FALSE(CountsAsUse(FeedbackSignal::kAccepted));
  EXPECT_FALSE(CountsAsUse(FeedbackSignal::kRejected));
  EXPECT_EQ(Direction(FeedbackSignal::kAccepted), 1);
  EXPECT_EQ(Direction(FeedbackSignal::kNoEffect), -1);
}

}  // namespace
}  // namespace engram::learn
