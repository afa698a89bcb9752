// Regression tests for reflection accuracy (issue 19 §4): a failure re-run
// after an edit is not "failed N times unchanged", and the duration comes
// from the step times when the wall time is missing or shorter than the
// steps.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/step_analysis.h"
#include "engram/reward.h"
#include "reward_test_util.h"

namespace engram {
namespace {

using testing::AddStep;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::MakeEpisode;
using ::testing::Not;

TEST(ReflectAccuracy, FailuresWithAnEditBetweenAreNotRepeatedUnchanged) {
  Episode e = MakeEpisode(SuccessOutcome{"test stable", {}});
  for (int i = 0; i < 4; ++i) {
    AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout in login.spec.ts");
    AddStep(e, "editor", "try fix " + std::to_string(i), StepStatus::kSuccess);
  }
  AddStep(e, "bash", "npm test", StepStatus::kSuccess);
  const StepAnalysis a = AnalyzeSteps(e.steps);
  EXPECT_TRUE(a.repeated_failures.empty());
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.improvements, Not(Contains(HasSubstr("unchanged"))));
  EXPECT_THAT(r.improvements, Not(Contains(HasSubstr("Avoid repeating"))));
}

TEST(ReflectAccuracy, OnlyBackToBackFailuresCountAsUnchangedAndTheLongestRunIsNamed) {
  Episode e = MakeEpisode(FailureOutcome{"still flaky", ""});
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout");
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout");
  AddStep(e, "editor", "await the session promise", StepStatus::kSuccess);
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout");
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout");
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout");
  const StepAnalysis a = AnalyzeSteps(e.steps);
  ASSERT_EQ(a.repeated_failures.size(), 1u);
  EXPECT_EQ(a.repeated_failures[0].times, 3);
  EXPECT_THAT(Reflect(e).improvements,
              Contains("Avoid repeating `npm test` in `bash`: it failed 3 times unchanged; change "
                       "the approach after a failure"));
}

TEST(ReflectAccuracy, AnotherFailingStepBetweenBreaksTheRun) {
  Episode e = MakeEpisode(FailureOutcome{});
  AddStep(e, "bash", "make", StepStatus::kError, "x");
  AddStep(e, "bash", "make clean", StepStatus::kError, "y");
  AddStep(e, "bash", "make", StepStatus::kError, "x");
  EXPECT_TRUE(AnalyzeSteps(e.steps).repeated_failures.empty());
}

TEST(ReflectAccuracy, StepTimeReplacesAMissingWallTime) {
  Episode e = MakeEpisode(SuccessOutcome{});
  e.ended_at.reset();
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout", 5300);
  AddStep(e, "editor", "await the session promise", StepStatus::kSuccess, "", 900);
  AddStep(e, "bash", "npm test", StepStatus::kSuccess, "", 4100);
  EXPECT_THAT(Reflect(e).insights,
              Contains("Duration: 0.2 min of step time for a moderate task (no wall time)"));
  e.ended_at = e.started_at;  // ended when it started: no wall time either
  EXPECT_THAT(Reflect(e).insights,
              Contains("Duration: 0.2 min of step time for a moderate task (no wall time)"));
}

TEST(ReflectAccuracy, StepsLoggedAfterTheFactUseTheStepTime) {
  // The quick start: three steps totalling 10.3 s logged within 0.6 s.
  Episode e = MakeEpisode(SuccessOutcome{}, 0.01);
  AddStep(e, "bash", "npm test", StepStatus::kError, "Timeout", 5300);
  AddStep(e, "editor", "await the session promise", StepStatus::kSuccess, "", 900);
  AddStep(e, "bash", "npm test", StepStatus::kSuccess, "", 4100);
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.insights, Contains("Duration: 0.2 min of step time for a moderate task (the steps "
                                   "were logged within 0.0 min of wall time)"));
  EXPECT_THAT(r.insights, Not(Contains(HasSubstr("Duration: 0.0 min"))));
}

TEST(ReflectAccuracy, WallTimeStaysWhenItCoversTheSteps) {
  Episode e = MakeEpisode(SuccessOutcome{}, 12.5);
  AddStep(e, "bash", "npm test", StepStatus::kSuccess, "", 60'000);
  EXPECT_THAT(Reflect(e).insights, Contains("Duration: 12.5 min for a moderate task"));
}

TEST(ReflectAccuracy, StepTimestampsServeWhenNoLatencyWasLogged) {
  Episode e = MakeEpisode(SuccessOutcome{});
  e.ended_at.reset();
  AddStep(e, "bash", "npm test", StepStatus::kSuccess, "", 0);
  e.steps.back().timestamp = e.started_at + 3 * 60'000;
  const EpisodeDuration d = DurationOf(e, 0);
  EXPECT_EQ(d.source, EpisodeDuration::Source::kSteps);
  EXPECT_DOUBLE_EQ(d.minutes, 3.0);
  e.steps.back().timestamp = e.started_at;  // nothing known: no duration line
  EXPECT_EQ(DurationOf(e, 0).source, EpisodeDuration::Source::kNone);
  EXPECT_THAT(Reflect(e).insights, Not(Contains(HasSubstr("Duration"))));
}

}  // namespace
}  // namespace engram
