#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engram/reward.h"
#include "reward_test_util.h"

namespace engram {
namespace {

using testing::AddStep;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeEpisode;
using ::testing::Not;

TEST(Reflect, CleanSuccessListsVerdictArtifactsAndAllStepsSucceeded) {
  Episode e = MakeEpisode(SuccessOutcome{"bug fixed", {"a.cc", "PR #7"}});
  AddStep(e, "editor", "edit a.cc", StepStatus::kSuccess);
  AddStep(e, "bash", "ctest", StepStatus::kSuccess);
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.successes,
              ElementsAre("Task succeeded: bug fixed", "Produced 2 artifact(s): a.cc, PR #7",
                          "All 2 steps succeeded", "Tests passed (step 2)"));
  EXPECT_THAT(r.failures, IsEmpty());
  EXPECT_THAT(r.improvements, IsEmpty());
}

TEST(Reflect, RecoveryIsASuccess) {
  Episode e = MakeEpisode(SuccessOutcome{});
  AddStep(e, "bash", "make", StepStatus::kError, "undefined reference to foo");
  AddStep(e, "bash", "make -j2", StepStatus::kError, "still broken");
  AddStep(e, "editor", "add foo.cc", StepStatus::kSuccess);
  AddStep(e, "bash", "make", StepStatus::kSuccess);
  const Reflection r = Reflect(e);
  EXPECT_THAT(
      r.successes,
      Contains("Recovered from error in `bash` after 2 failed attempts (step 1 -> step 4)"));
  EXPECT_THAT(r.failures, ElementsAre("Step 1 (`bash`) failed: undefined reference to foo",
                                      "Step 2 (`bash`) failed: still broken"));
}

TEST(Reflect, RepeatedIdenticalFailuresSuggestChangingApproach) {
  Episode e = MakeEpisode(FailureOutcome{"could not build", "linker error\nmore"});
  for (int i = 0; i < 3; ++i) AddStep(e, "bash", "make all", StepStatus::kError, "ld: error");
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.failures, Contains("Task failed: could not build"));
  EXPECT_THAT(r.failures, Contains("Details: linker error"));
  EXPECT_THAT(r.failures, Contains("`bash` was still failing at its last use"));
  EXPECT_THAT(r.improvements,
              Contains("Avoid repeating `make all` in `bash`: it failed 3 times unchanged; change "
                       "the approach after a failure"));
  EXPECT_THAT(r.improvements, Contains("Check preconditions before acting: 100% of steps failed"));
  EXPECT_THAT(r.insights, Contains("3 of 3 steps failed (100%)"));
}

TEST(Reflect, TimeoutsAreReportedWithDuration) {
  Episode e = MakeEpisode(PartialOutcome{{"parser"}, {"codegen"}});
  AddStep(e, "bash", "cargo build", StepStatus::kTimeout, "", 30'000);
  AddStep(e, "bash", "cargo build --lib", StepStatus::kSuccess, "", 10'000);
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.failures, Contains("Step 1 (`bash`) timed out after 30.0 s"));
  EXPECT_THAT(r.failures, Contains("Not completed: codegen"));
  EXPECT_THAT(r.successes, Contains("Completed 1 of 2: parser"));
  EXPECT_THAT(r.improvements,
              Contains("Use shorter-running commands or a larger timeout (1 step timed out)"));
  EXPECT_THAT(r.insights,
              Contains("Slowest step: 1 (`bash` `cargo build`) took 30.0 s, 75% of step time"));
}

TEST(Reflect, FailingLastTestRunAndMissingTestsAreImprovements) {
  Episode e = MakeEpisode(SuccessOutcome{});
  AddStep(e, "bash", "pytest", StepStatus::kError, "1 failed");
  EXPECT_THAT(Reflect(e).improvements,
              Contains("Get the tests passing before finishing (the last test run, step 1, "
                       "failed)"));
  Episode no_tests = MakeEpisode(SuccessOutcome{});
  AddStep(no_tests, "editor", "edit x", StepStatus::kSuccess);
  EXPECT_THAT(Reflect(no_tests).improvements,
              Contains("Run the tests to verify the change (no test run was logged)"));
  no_tests.task_type = TaskType::kDocumentation;  // docs need no test run
  EXPECT_THAT(Reflect(no_tests).improvements, IsEmpty());
}

TEST(Reflect, TooManyStepsSuggestPlanning) {
  Episode e = MakeEpisode(SuccessOutcome{}, 5, Complexity::kSimple);
  for (int i = 0; i < 7; ++i) AddStep(e, "bash", "ctest", StepStatus::kSuccess);
  EXPECT_THAT(Reflect(e).improvements,
              Contains("Plan before acting: 7 steps against a budget of 5 for a simple task"));
  EXPECT_THAT(Reflect(e).insights, Contains("Most used tool: `bash` (7 of 7 steps)"));
}

TEST(Reflect, ManyFailedStepsAreSummarised) {
  Episode e = MakeEpisode(FailureOutcome{});
  for (int i = 0; i < 8; ++i) AddStep(e, "bash", "try " + std::to_string(i), StepStatus::kError);
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.failures, Contains("... and 3 more failed steps"));
  EXPECT_THAT(r.failures, Not(Contains(HasSubstr("Step 6 "))));
}

TEST(Reflect, AbstainedAndEmptyEpisodes) {
  Episode e = MakeEpisode(AbstainedOutcome{"needs credentials", 0});
  const Reflection r = Reflect(e);
  EXPECT_THAT(r.failures, ElementsAre("Abstained at step 0: needs credentials"));
  EXPECT_THAT(r.improvements,
              ElementsAre("Resolve what blocked the task before retrying (needs credentials)",
                          "Log each step so the episode can be analysed"));
  EXPECT_THAT(r.insights,
              ElementsAre("No steps were logged", "Duration: 5.0 min for a moderate task"));
}

TEST(Reflect, IsDeterministicAndToleratesMissingOutcome) {
  Episode e = MakeEpisode(SuccessOutcome{"ok", {}});
  AddStep(e, "bash", "make", StepStatus::kError, "x");
  AddStep(e, "bash", "make", StepStatus::kSuccess);
  EXPECT_EQ(ToJson(Reflect(e)), ToJson(Reflect(e)));
  e.outcome.reset();
  EXPECT_THAT(Reflect(e).insights, ElementsAre("The episode has no outcome yet"));
}

}  // namespace
}  // namespace engram
