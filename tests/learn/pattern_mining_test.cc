#include "learn/pattern_mining.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "learn/action_normalizer.h"

namespace engram::learn {
namespace {

Step MakeStep(const std::string& tool, const std::string& action, std::int64_t latency,
              StepStatus status = StepStatus::kSuccess, const std::string& output = "") {
  Step s;
  s.tool = tool;
  s.action = action;
  s.latency_ms = latency;
  s.result.status = status;
  s.result.output = output;
  return s;
}

const PatternOccurrence* Find(const std::vector<PatternOccurrence>& v, PatternKind kind,
                              const std::string& signature) {
  auto it = std::find_if(v.begin(), v.end(), [&](const PatternOccurrence& o) {
    return o.kind == kind && o.signature == signature;
  });
  return it == v.end() ? nullptr : &*it;
}

int CountKind(const std::vector<PatternOccurrence>& v, PatternKind kind) {
  return static_cast<int>(
      std::count_if(v.begin(), v.end(), [&](const auto& o) { return o.kind == kind; }));
}

// The normaliser itself is tested in action_normalizer_test.cc.

Episode RecoveredEpisode() {
  Episode e;
  e.id = "e1";
  e.task_type = TaskType::kDebugging;
  e.context.language = "TypeScript";
  e.context.framework = "jest";
  e.steps = {MakeStep("bash", "npm test -- a.spec.ts", 5000, StepStatus::kError,
                      "Timeout in a.spec.ts\nstack"),
             MakeStep("editor", "await the promise in a.spec.ts", 900),
             MakeStep("bash", "npm test -- a.spec.ts", 4000),
             MakeStep("git", "git commit -am 'x'", 100)};
  e.outcome = SuccessOutcome{"ok", {}};
  return e;
}

TEST(MinePatternsTest, SequencesOfTwoAndThreeWithSummedLatency) {
  const auto occ = MinePatterns(RecoveredEpisode());
  EXPECT_EQ(CountKind(occ, PatternKind::kSequence), 3 + 2);
  const auto* s = Find(occ, PatternKind::kSequence, "editor:await promise -> bash:npm test");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->latency_ms, 4900);
  EXPECT_EQ(s->occurrences, 1);
  EXPECT_EQ(s->context["language"], "typescript");
  EXPECT_EQ(s->context["task_type"], "debugging");
}

TEST(MinePatternsTest, RepeatedSequenceCountsOccurrencesAndMeansLatency) {
  Episode e;
  e.steps = {MakeStep("bash", "make", 100), MakeStep("bash", "make test", 300),
             MakeStep("bash", "make", 200), MakeStep("bash", "make test", 500)};
  const auto occ = MinePatterns(e);
  const auto* s = Find(occ, PatternKind::kSequence, "bash:make -> bash:make test");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->occurrences, 2);
  EXPECT_EQ(s->latency_ms, (400 + 700) / 2);
}

TEST(MinePatternsTest, ErrorRecoveryNamesErrorAndFix) {
  const auto occ = MinePatterns(RecoveredEpisode());
  ASSERT_EQ(CountKind(occ, PatternKind::kErrorRecovery), 1);
  const auto* r =
      Find(occ, PatternKind::kErrorRecovery, "bash:npm test [error] -> editor:await promise");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->latency_ms, 4900);
  // The error's class is described, not part of the identity.
  EXPECT_NE(r->description.find("(error 'timeout')"), std::string::npos) << r->description;
}

TEST(MinePatternsTest, NoRecoveryWhenRetryNeverSucceeds) {
  Episode e;
  e.steps = {MakeStep("bash", "npm test", 10, StepStatus::kError, "Timeout"),
             MakeStep("bash", "npm test", 10, StepStatus::kError, "Timeout")};
  EXPECT_EQ(CountKind(MinePatterns(e), PatternKind::kErrorRecovery), 0);
}

TEST(MinePatternsTest, PlainRetryIsARecoveryFromTheLastFailure) {
  Episode e;
  e.steps = {MakeStep("bash", "npm test", 10, StepStatus::kTimeout),
             MakeStep("bash", "npm test", 10, StepStatus::kTimeout),
             MakeStep("bash", "npm test", 20)};
  const auto occ = MinePatterns(e);
  ASSERT_EQ(CountKind(occ, PatternKind::kErrorRecovery), 1);
  EXPECT_NE(Find(occ, PatternKind::kErrorRecovery, "bash:npm test [timeout] -> retry"), nullptr);
}

TEST(MinePatternsTest, ReadOnlyStepsAreNotPartOfTheFix) {
  Episode e;
  e.steps = {MakeStep("bash", "npm test -- a.spec.ts", 10, StepStatus::kError, "Timeout"),
             MakeStep("bash", "git status", 1),
             MakeStep("read_file", "open src/a.ts", 1),
             MakeStep("edit", "Await the login promise in a.spec.ts", 5),
             MakeStep("bash", "cat src/a.ts", 1),
             MakeStep("bash", "yarn test a.spec.ts", 10)};
  const auto occ = MinePatterns(e);
  EXPECT_NE(Find(occ, PatternKind::kErrorRecovery, "bash:npm test [error] -> editor:await promise"),
            nullptr);
  EXPECT_EQ(CountKind(occ, PatternKind::kErrorRecovery), 1);
}

TEST(MinePatternsTest, RecoveryOutsideWindowIsIgnored) {
  Episode e;
  e.steps = {MakeStep("bash", "npm test", 10, StepStatus::kError, "x"),
             MakeStep("editor", "a", 1),
             MakeStep("editor", "b", 1),
             MakeStep("editor", "c", 1),
             MakeStep("editor", "d", 1),
             MakeStep("bash", "npm test", 10)};
  EXPECT_EQ(CountKind(MinePatterns(e), PatternKind::kErrorRecovery), 0);
  EXPECT_EQ(CountKind(MinePatterns(e,
                                   [] {
                                     MiningOptions o;
                                     o.max_fix_steps = 4;
                                     return o;
                                   }()),
                      PatternKind::kErrorRecovery),
            1);
}

TEST(MinePatternsTest, DecisionPointsRecordTheBranch) {
  const auto occ = MinePatterns(RecoveredEpisode());
  EXPECT_NE(
      Find(occ, PatternKind::kDecisionPoint, "check:bash:npm test | fails -> editor:await promise"),
      nullptr);
  EXPECT_NE(Find(occ, PatternKind::kDecisionPoint, "check:bash:npm test | ok -> git:git commit"),
            nullptr);
  EXPECT_EQ(CountKind(occ, PatternKind::kDecisionPoint), 2);
}

TEST(MinePatternsTest, ContextPatternListsDistinctStepsInOrder) {
  const auto occ = MinePatterns(RecoveredEpisode());
  ASSERT_EQ(CountKind(occ, PatternKind::kContext), 1);
  EXPECT_NE(Find(occ, PatternKind::kContext,
                 "task_type=debugging;language=typescript;framework=jest => bash:npm test > "
                 "editor:await promise > git:git commit"),
            nullptr);
}

TEST(MinePatternsTest, EmptyEpisodeHasNoPatterns) { EXPECT_TRUE(MinePatterns(Episode{}).empty()); }

TEST(MinePatternsTest, Deterministic) {
  const auto a = MinePatterns(RecoveredEpisode());
  const auto b = MinePatterns(RecoveredEpisode());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].signature, b[i].signature);
}

}  // namespace
}  // namespace engram::learn
