#include "engram/reward.h"

#include <gtest/gtest.h>

#include "reward_test_util.h"

namespace engram {
namespace {

using testing::AddStep;
using testing::MakeEpisode;

// A clean success: 4 steps in 5 minutes, tests passed.
Episode CleanSuccess(Complexity c = Complexity::kModerate) {
  Episode e = MakeEpisode(SuccessOutcome{"fixed", {}}, 5, c);
  AddStep(e, "grep", "grep -r bug", StepStatus::kSuccess);
  AddStep(e, "editor", "edit a.cc", StepStatus::kSuccess);
  AddStep(e, "bash", "make", StepStatus::kSuccess);
  AddStep(e, "bash", "ctest", StepStatus::kSuccess);
  return e;
}

TEST(ComputeReward, CleanModerateSuccessEarnsEveryComponent) {
  const RewardBreakdown r = ComputeReward(CleanSuccess());
  EXPECT_DOUBLE_EQ(r.base, 0.70);
  EXPECT_DOUBLE_EQ(r.efficiency, 0.15);   // within both budgets
  EXPECT_DOUBLE_EQ(r.complexity, 0.025);  // moderate = 0.5
  EXPECT_DOUBLE_EQ(r.quality, 0.10);      // no failures, tests passed
  EXPECT_DOUBLE_EQ(r.learning, 0.05);     // nothing to recover from
  EXPECT_DOUBLE_EQ(r.total, 1.0);         // 1.025 clamped
  ASSERT_EQ(r.notes.size(), 6u);
  EXPECT_EQ(r.notes[0], "base 0.70: success");
  EXPECT_EQ(r.notes[5], "total 1.000 (clamped from 1.025)");
}

TEST(ComputeReward, NotesExplainEachComponent) {
  const RewardBreakdown r = ComputeReward(CleanSuccess());
  EXPECT_EQ(r.notes[1],
            "efficiency +0.150 = 0.15 x 1.00 x gate 1.00: 4 steps (budget 15) -> 1.00; 5.0 min "
            "(budget 20) -> 1.00 for a moderate task");
  EXPECT_EQ(r.notes[2], "complexity +0.025 = 0.05 x 0.50 x gate 1.00: moderate task");
  EXPECT_EQ(r.notes[3],
            "quality +0.100 = 0.10 x 1.00 x gate 1.00: 0 of 4 steps failed; tests passed (last "
            "test run: step 4)");
  EXPECT_EQ(r.notes[4],
            "learning +0.050 = 0.05 x 1.00 x gate 1.00: no failed steps to recover from");
}

TEST(ComputeReward, EfficiencyFallsWhenOverBudget) {
  Episode e = MakeEpisode(SuccessOutcome{}, 40);  // 2x the 20 min budget
  for (int i = 0; i < 30; ++i) AddStep(e, "bash", "ls", StepStatus::kSuccess);  // 2x 15
  const RewardBreakdown r = ComputeReward(e);
  EXPECT_DOUBLE_EQ(r.efficiency, 0.15 * 0.5);
}

TEST(ComputeReward, PartialBaseScalesWithCompletedShare) {
  EXPECT_DOUBLE_EQ(ComputeReward(MakeEpisode(PartialOutcome{{"a", "b", "c"}, {"d"}})).base,
                   0.10 + 0.40 * 0.75);
  EXPECT_DOUBLE_EQ(ComputeReward(MakeEpisode(PartialOutcome{})).base, 0.30);  // unknown ratio
  EXPECT_DOUBLE_EQ(ComputeReward(MakeEpisode(PartialOutcome{{}, {"x"}})).base, 0.10);
}

TEST(ComputeReward, FailureScoresZeroWhateverTheSteps) {
  Episode e = CleanSuccess(Complexity::kComplex);
  e.outcome = FailureOutcome{"gave up", ""};
  const RewardBreakdown r = ComputeReward(e);
  EXPECT_DOUBLE_EQ(r.total, 0.0);
  EXPECT_DOUBLE_EQ(r.efficiency, 0.0);
}

TEST(ComputeReward, AbstainedEarnsSmallBaseAndQuarterBonuses) {
  Episode e = CleanSuccess();
  e.outcome = AbstainedOutcome{"unsafe", 4};
  const RewardBreakdown r = ComputeReward(e);
  EXPECT_DOUBLE_EQ(r.base, 0.10);
  EXPECT_DOUBLE_EQ(r.efficiency, 0.15 * 0.25);
  EXPECT_NEAR(r.total, 0.10 + 0.325 * 0.25, 1e-12);
}

TEST(ComputeReward, AnySuccessOutranksTheBestPartial) {
  Episode worst_success = MakeEpisode(SuccessOutcome{}, 600, Complexity::kSimple);
  for (int i = 0; i < 50; ++i) AddStep(worst_success, "bash", "make", StepStatus::kError);
  Episode best_partial = CleanSuccess(Complexity::kComplex);
  best_partial.outcome = PartialOutcome{{"a", "b"}, {}};
  EXPECT_GT(ComputeReward(worst_success).total, ComputeReward(best_partial).total);
}

TEST(ComputeReward, QualityCountsFailedStepsAndFailingTests) {
  Episode e = MakeEpisode(SuccessOutcome{});
  AddStep(e, "bash", "make", StepStatus::kError);
  AddStep(e, "bash", "make", StepStatus::kSuccess);
  AddStep(e, "bash", "ctest", StepStatus::kSuccess);
  AddStep(e, "bash", "ctest", StepStatus::kTimeout);
  // ok rate 2/4, tests failing (last run timed out): 0.8 * 0.5 + 0.2 * 0.
  EXPECT_DOUBLE_EQ(ComputeReward(e).quality, 0.10 * 0.4);
}

TEST(ComputeReward, NoTestRunCountsHalfForTests) {
  Episode e = MakeEpisode(SuccessOutcome{});
  AddStep(e, "editor", "edit", StepStatus::kSuccess);
  EXPECT_DOUBLE_EQ(ComputeReward(e).quality, 0.10 * (0.8 + 0.2 * 0.5));
}

TEST(ComputeReward, LearningIsTheShareOfRecoveredFailures) {
  Episode e = MakeEpisode(SuccessOutcome{});
  AddStep(e, "bash", "make", StepStatus::kError);
  AddStep(e, "bash", "make", StepStatus::kSuccess);  // recovers step 1
  AddStep(e, "grep", "grep x", StepStatus::kError);  // never recovered
  const RewardBreakdown r = ComputeReward(e);
  EXPECT_DOUBLE_EQ(r.learning, 0.05 * 0.5);
  EXPECT_EQ(r.notes[4], "learning +0.025 = 0.05 x 0.50 x gate 1.00: recovered 1 of 2 failed steps");
}

TEST(ComputeReward, FlawlessRunNeverScoresBelowARecoveredOne) {
  Episode recovered = CleanSuccess();
  recovered.steps.insert(recovered.steps.begin(),
                         testing::MakeStep(0, "bash", "make", StepStatus::kError));
  const RewardBreakdown flawless = ComputeReward(CleanSuccess());
  const RewardBreakdown stumbled = ComputeReward(recovered);
  EXPECT_DOUBLE_EQ(stumbled.learning, flawless.learning);  // full recovery = no failures
  EXPECT_LT(stumbled.quality, flawless.quality);
  EXPECT_LT(stumbled.base + stumbled.efficiency + stumbled.complexity + stumbled.quality +
                stumbled.learning,
            flawless.base + flawless.efficiency + flawless.complexity + flawless.quality +
                flawless.learning);
}

TEST(ComputeReward, ComplexTasksEarnTheFullComplexityBonus) {
  EXPECT_DOUBLE_EQ(ComputeReward(CleanSuccess(Complexity::kComplex)).complexity, 0.05);
  EXPECT_DOUBLE_EQ(ComputeReward(CleanSuccess(Complexity::kSimple)).complexity, 0.0);
}

TEST(ComputeReward, NoStepsUsesNeutralScores) {
  const RewardBreakdown r = ComputeReward(MakeEpisode(SuccessOutcome{}, 1));
  EXPECT_DOUBLE_EQ(r.efficiency, 0.15 * 0.75);  // steps neutral 0.5, time 1.0
  EXPECT_DOUBLE_EQ(r.quality, 0.10 * 0.5);
}

TEST(ComputeReward, CustomWeightsAreApplied) {
  RewardOptions o;
  o.efficiency_weight = 0;
  o.quality_weight = 0.2;
  const RewardBreakdown r = ComputeReward(CleanSuccess(), o);
  EXPECT_DOUBLE_EQ(r.efficiency, 0.0);
  EXPECT_DOUBLE_EQ(r.quality, 0.2);
}

TEST(ComputeReward, TotalIsClampedToUnitInterval) {
  RewardOptions o;
  o.efficiency_weight = -5;
  EXPECT_DOUBLE_EQ(ComputeReward(CleanSuccess(), o).total, 0.0);
}

TEST(ComputeReward, IsDeterministic) {
  const Episode e = CleanSuccess();
  EXPECT_EQ(ToJson(ComputeReward(e)), ToJson(ComputeReward(e)));
}

TEST(ComputeReward, MissingOutcomeScoresZeroWithoutCrashing) {
  Episode e = CleanSuccess();
  e.outcome.reset();
  const RewardBreakdown r = ComputeReward(e);
  EXPECT_DOUBLE_EQ(r.total, 0.0);
  ASSERT_EQ(r.notes.size(), 1u);
}

}  // namespace
}  // namespace engram
