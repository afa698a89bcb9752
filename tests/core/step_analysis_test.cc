#include "core/step_analysis.h"

#include <gtest/gtest.h>

#include "reward_test_util.h"

namespace engram {
namespace {

using testing::MakeStep;

TEST(IsTestStep, RecognisesTestRunnersAndTestSubcommands) {
  for (auto [tool, action] :
       std::vector<std::pair<const char*, const char*>>{{"bash", "pytest -q tests/"},
                                                        {"bash", "ctest --output-on-failure"},
                                                        {"bash", "npx jest src"},
                                                        {"bash", "go test ./..."},
                                                        {"bash", "npm run test"},
                                                        {"run_tests", "all"},
                                                        {"test", "unit"}}) {
    EXPECT_TRUE(IsTestStep(MakeStep(1, tool, action, StepStatus::kSuccess))) << action;
  }
}

TEST(IsTestStep, IgnoresMentionsThatAreNotTestRuns) {
  for (auto [tool, action] : std::vector<std::pair<const char*, const char*>>{
           {"editor", "edit src/foo/bar/baz_test.cc"},
           {"editor", "update the jest test for login"},
           {"apply_patch", "npm test"},
           {"write_file", "tests/test_login.py"},
           {"bash", "pip install latest"},
           {"bash", "git log --grep=contest"},
           {"grep", "grep -r attestation"}}) {
    EXPECT_FALSE(IsTestStep(MakeStep(1, tool, action, StepStatus::kSuccess))) << action;
  }
}

TEST(IsEditorTool, EditorsByNameOrFamily) {
  for (const char* tool : {"editor", "Edit", "apply_patch", "str_replace_based_edit_tool",
                           "write_file", "MultiEdit", "notebook_edit"}) {
    EXPECT_TRUE(IsEditorTool(tool)) << tool;
  }
  for (const char* tool : {"bash", "grep", "read_file", "git", "test", ""}) {
    EXPECT_FALSE(IsEditorTool(tool)) << tool;
  }
}

TEST(AnalyzeSteps, CountsFailuresRecoveriesAndRepeats) {
  const std::vector<Step> steps = {
      MakeStep(1, "bash", "make", StepStatus::kError, "", 10),
      MakeStep(2, "bash", "make", StepStatus::kError, "", 10),
      MakeStep(3, "editor", "fix x.cc", StepStatus::kSuccess, "", 10),
      MakeStep(4, "bash", "make", StepStatus::kSuccess, "", 900),
      MakeStep(5, "grep", "grep foo", StepStatus::kTimeout, "", 30),
  };
  const StepAnalysis a = AnalyzeSteps(steps);
  EXPECT_EQ(a.total, 5);
  EXPECT_EQ(a.errors, 2);
  EXPECT_EQ(a.timeouts, 1);
  EXPECT_EQ(a.recovered_failures, 2);
  ASSERT_EQ(a.recoveries.size(), 1u);
  EXPECT_EQ(a.recoveries[0].tool, "bash");
  EXPECT_EQ(a.recoveries[0].failed_attempts, 2);
  EXPECT_EQ(a.recoveries[0].first_failed_step, 1);
  EXPECT_EQ(a.recoveries[0].recovered_at_step, 4);
  ASSERT_EQ(a.repeated_failures.size(), 1u);
  EXPECT_EQ(a.repeated_failures[0].times, 2);
  EXPECT_EQ(a.still_failing_tools, std::vector<std::string>{"grep"});
  EXPECT_EQ(a.slowest_index, 3u);
  EXPECT_EQ(a.most_used_tool, "bash");
  EXPECT_EQ(a.most_used_count, 3);
}

TEST(AnalyzeSteps, LastTestRunDecidesWhetherTestsPass) {
  StepAnalysis a = AnalyzeSteps({MakeStep(1, "bash", "ctest", StepStatus::kSuccess),
                                 MakeStep(2, "bash", "ctest", StepStatus::kError)});
  EXPECT_EQ(a.last_test_step, 2);
  EXPECT_FALSE(a.last_test_passed);
  a = AnalyzeSteps({MakeStep(1, "bash", "ctest", StepStatus::kError),
                    MakeStep(2, "bash", "ctest", StepStatus::kSuccess)});
  EXPECT_TRUE(a.last_test_passed);
}

TEST(AnalyzeSteps, HugeLatenciesSaturateInsteadOfOverflowing) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 1;
  const StepAnalysis a = AnalyzeSteps({MakeStep(1, "a", "x", StepStatus::kSuccess, "", big),
                                       MakeStep(2, "a", "y", StepStatus::kSuccess, "", big)});
  EXPECT_EQ(a.total_latency_ms, std::numeric_limits<std::int64_t>::max());
}

TEST(Shorten, KeepsFirstLineAndCutsOnUtf8Boundary) {
  EXPECT_EQ(Shorten("  first line  \nsecond"), "first line");
  EXPECT_EQ(Shorten("abcdef", 4), "abcd...");
  // "é" is two bytes; a cut at byte 2 would split it.
  EXPECT_EQ(Shorten("a\xc3\xa9z", 2), "a...");
}

}  // namespace
}  // namespace engram
