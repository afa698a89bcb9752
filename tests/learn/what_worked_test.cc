#include "learn/what_worked.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace engram::learn {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Episode MakeEpisode(Outcome outcome) {
  Episode e;
  e.id = "e1";
  e.task_type = TaskType::kDebugging;
  e.description = "Fix flaky login test";
  e.outcome = std::move(outcome);
  return e;
}

void Add(Episode& e, const std::string& tool, const std::string& action,
         StepStatus status = StepStatus::kSuccess, const std::string& output = "") {
  Step s;
  s.number = static_cast<int>(e.steps.size()) + 1;
  s.tool = tool;
  s.action = action;
  s.result = {status, output};
  e.steps.push_back(std::move(s));
}

TEST(WhatWorked, QuickStartNamesTheFailureTheFixAndTheVerifyingRun) {
  Episode e = MakeEpisode(SuccessOutcome{"test stable", {}});
  Add(e, "bash", "npm test", StepStatus::kError, "Timeout in login.spec.ts\nat line 42");
  Add(e, "editor", "await the session promise");
  Add(e, "bash", "npm test");
  const WhatWorked w = ExtractWhatWorked(e);
  EXPECT_TRUE(w.worked);
  ASSERT_EQ(w.recovery.size(), 1u);
  const WorkedRecovery& r = w.recovery[0];
  EXPECT_EQ(r.failed, "bash: npm test failed: Timeout in login.spec.ts");
  EXPECT_EQ(r.failed_step, 1);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_THAT(r.fix, ElementsAre("editor: await the session promise"));
  EXPECT_THAT(r.tried, IsEmpty());
  EXPECT_EQ(r.verified, "bash: npm test passed");
  EXPECT_EQ(r.verified_step, 3);
  EXPECT_EQ(r.text,
            "bash: npm test failed: Timeout in login.spec.ts -> editor: await the session "
            "promise -> bash: npm test passed");
  EXPECT_THAT(w.approach, ElementsAre("editor: await the session promise", "bash: npm test"));
  EXPECT_THAT(w.unresolved, IsEmpty());
}

TEST(WhatWorked, AttemptsThatDidNotHelpAreTriedNotFixAndLeaveTheApproach) {
  Episode e = MakeEpisode(SuccessOutcome{});
  Add(e, "bash", "npm test", StepStatus::kError, "Timeout in login.spec.ts");
  Add(e, "editor", "raise the jest timeout to 30s");
  Add(e, "bash", "npm test", StepStatus::kError, "Timeout in login.spec.ts");
  Add(e, "editor", "await the session promise");
  Add(e, "bash", "npm test");
  const WhatWorked w = ExtractWhatWorked(e);
  ASSERT_EQ(w.recovery.size(), 1u);
  EXPECT_EQ(w.recovery[0].attempts, 2);
  EXPECT_THAT(w.recovery[0].tried, ElementsAre("editor: raise the jest timeout to 30s"));
  EXPECT_THAT(w.recovery[0].fix, ElementsAre("editor: await the session promise"));
  EXPECT_EQ(w.recovery[0].text,
            "bash: npm test failed: Timeout in login.spec.ts (2 runs) -> editor: await the "
            "session promise -> bash: npm test passed (did not help: editor: raise the jest "
            "timeout to 30s)");
  EXPECT_THAT(w.approach, ElementsAre("editor: await the session promise", "bash: npm test"));
}

TEST(WhatWorked, APlainRetryIsSaidAndChecksAreNotFixes) {
  Episode e = MakeEpisode(SuccessOutcome{});
  Add(e, "bash", "npm install", StepStatus::kTimeout);
  Add(e, "bash", "git status");
  Add(e, "bash", "npm install");
  const WhatWorked w = ExtractWhatWorked(e);
  ASSERT_EQ(w.recovery.size(), 1u);
  EXPECT_THAT(w.recovery[0].fix, IsEmpty());
  EXPECT_EQ(w.recovery[0].text,
            "bash: npm install timed out -> retried -> bash: npm install passed");
}

TEST(WhatWorked, FailuresNeverFixedAreUnresolvedAndAFailedTaskHasNoApproach) {
  Episode e = MakeEpisode(FailureOutcome{"build broken", ""});
  Add(e, "bash", "make", StepStatus::kError, "ld: undefined reference to foo");
  Add(e, "editor", "add foo.cc");
  Add(e, "bash", "make", StepStatus::kError, "ld: undefined reference to foo");
  const WhatWorked w = ExtractWhatWorked(e);
  EXPECT_FALSE(w.worked);
  EXPECT_THAT(w.recovery, IsEmpty());
  EXPECT_THAT(w.unresolved,
              ElementsAre("bash: make failed: ld: undefined reference to foo (2 runs)"));
  EXPECT_THAT(w.approach, IsEmpty());
}

TEST(WhatWorked, EachFailureAndRecoveryIsListedInStepOrder) {
  Episode e = MakeEpisode(SuccessOutcome{});
  Add(e, "bash", "npm test", StepStatus::kError, "TypeError: x is undefined");
  Add(e, "editor", "initialise x in setup");
  Add(e, "bash", "tsc", StepStatus::kError, "TS2322");
  Add(e, "editor", "type x as string");
  Add(e, "bash", "tsc");
  Add(e, "bash", "npm test");
  const WhatWorked w = ExtractWhatWorked(e);
  ASSERT_EQ(w.recovery.size(), 2u);
  // tsc is a check (IsCheckStep): it verifies, it does not fix.
  EXPECT_THAT(w.recovery[0].fix,
              ElementsAre("editor: initialise x in setup", "editor: type x as string"));
  EXPECT_EQ(w.recovery[1].failed, "bash: tsc failed: TS2322");
  EXPECT_THAT(w.recovery[1].fix, ElementsAre("editor: type x as string"));
}

TEST(WhatWorked, ListsAreCappedByTheOptions) {
  Episode e = MakeEpisode(SuccessOutcome{});
  for (const char* action : {"compile", "package", "deploy", "migrate"}) {
    Add(e, "bash", action, StepStatus::kError, "e");
    Add(e, "bash", action);
  }
  WhatWorkedOptions o;
  o.max_recoveries = 2;
  o.max_approach_steps = 3;
  const WhatWorked w = ExtractWhatWorked(e, o);
  EXPECT_EQ(w.recovery.size(), 2u);
  EXPECT_THAT(w.approach, ElementsAre("bash: package", "bash: deploy", "bash: migrate"));
}

}  // namespace
}  // namespace engram::learn
