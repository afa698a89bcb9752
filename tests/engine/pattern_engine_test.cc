// Mining through the Engine: paraphrased fixes logged as episodes become one
// pattern and one significance-tested heuristic (docs/LEARNING.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engram/engine.h"
#include "engram/pattern_learning.h"
#include "scenario.h"

namespace engram::testing {
namespace {

using PatternEngineTest = ScenarioEngineTest;

TEST_F(PatternEngineTest, ParaphrasedFixesAreOnePatternAndOneRule) {
  using scenario_internal::Complete;
  using scenario_internal::StartOrDie;
  using scenario_internal::Step;
  const std::vector<std::string> fixes = {
      "await the login promise", "Await the Session promise in src/session.spec.ts",
      "make sure the cart promise is awaited", "awaited the LedgerClient.connect() promise",
      "await the profile promises"};
  const std::vector<std::string> checks = {"npm test -- src/a.spec.ts", "yarn test b",
                                           "npm run test", "npm test"};
  for (int i = 0; i < 10; ++i) {
    const std::string id =
        StartOrDie(*engine_, TaskType::kDebugging, "flaky test", "typescript", "jest", "web");
    const std::string check = checks[static_cast<std::size_t>(i) % checks.size()];
    Step(*engine_, clock_, id, "bash", check, 100, StepStatus::kError, "Timeout");
    Step(*engine_, clock_, id, i % 2 == 0 ? "editor" : "apply_patch",
         fixes[static_cast<std::size_t>(i) % fixes.size()], 50);
    Step(*engine_, clock_, id, "bash", check, 100);
    Complete(*engine_, clock_, id, SuccessOutcome{"stable", {}});
  }
  for (int i = 0; i < 6; ++i) {
    const std::string id =
        StartOrDie(*engine_, TaskType::kDebugging, "flaky test", "typescript", "jest", "web");
    Step(*engine_, clock_, id, "bash", checks[static_cast<std::size_t>(i) % checks.size()], 100,
         StepStatus::kError, "Timeout");
    Step(*engine_, clock_, id, "editor", "add debug logging to the " + std::to_string(i) + " spec",
         50);
    Step(*engine_, clock_, id, "bash", "npm test", 100, StepStatus::kError, "Timeout");
    Complete(*engine_, clock_, id, FailureOutcome{"still flaky", ""});
  }

  PatternLearning learning = engine_->patterns();
  PatternFilter filter;
  filter.kind = PatternKind::kErrorRecovery;
  auto recoveries = learning.ListPatterns(filter);
  ASSERT_TRUE(recoveries.ok()) << recoveries.status().ToString();
  ASSERT_EQ(recoveries->size(), 1u);
  const Pattern& p = recoveries->front();
  EXPECT_EQ(p.signature, "bash:npm test [error] -> editor:await promise");
  EXPECT_EQ(p.support, 10);
  EXPECT_EQ(p.successes, 10);
  auto j = learning.Explain(p);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_DOUBLE_EQ((*j)["lift"].get<double>(), 1.0);
  EXPECT_NEAR((*j)["p_value"].get<double>(), 1.0 / 8008, 1e-12);  // 1 / C(16, 10)

  PatternAnalysisRequest req;
  auto analysis = learning.Analyze(req);
  ASSERT_TRUE(analysis.ok()) << analysis.status().ToString();
  EXPECT_EQ(analysis->episodes_analyzed, 16);
  const Heuristic* rule = nullptr;
  for (const auto& h : analysis->heuristics) {
    EXPECT_EQ(h.action.find("npm test"), std::string::npos) << h.action;  // ran everywhere
    if (h.action == "do: editor:await promise") rule = &h;
  }
  ASSERT_NE(rule, nullptr) << ToJson(*analysis).dump(2);
  EXPECT_EQ(rule->sample_size, 10);
  EXPECT_NEAR(rule->evidence.value("p_value", 1.0), 1.0 / 8008, 1e-12);
  EXPECT_LE(rule->evidence.value("q_value", 1.0), 0.05);
  // Read back from the store: the figures survive in the evidence.
  auto stored = learning.ListHeuristics(100);
  ASSERT_TRUE(stored.ok());
  bool found = false;
  for (const auto& h : *stored) {
    if (h.id != rule->id) continue;
    found = true;
    EXPECT_DOUBLE_EQ(h.evidence.value("p_value", 1.0), rule->evidence.value("p_value", 1.0));
    EXPECT_DOUBLE_EQ(h.evidence.value("q_value", 1.0), rule->evidence.value("q_value", 1.0));
    EXPECT_DOUBLE_EQ(ToJson(h)["lift"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(ToJson(h)["p_value"].get<double>(), 1.0 / 8008);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace engram::testing
