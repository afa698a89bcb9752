// `engram pattern ...` and `engram heuristic list` against the real binary.
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class PatternCliTest : public CliTest {
 protected:
  std::string Episode(bool fixed, int i) {
    Json started = EngramJson({"episode", "start", "Fix flaky test " + std::to_string(i),
                               "--task-type", "debugging", "--language", "typescript"});
    std::string id = started.value("id", "");
    const std::string spec = "src/m" + std::to_string(i) + ".spec.ts";
    EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test -- " + spec,
                "--status", "error", "--output", "Timeout"});
    if (fixed) {
      EngramJson({"episode", "log-step", id, "--tool", "editor", "--action",
                  "await the promise in " + spec});
      EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test -- " + spec});
      EngramJson({"episode", "complete", id, "--outcome", "success", "--verdict", "stable"});
    } else {
      EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test -- " + spec,
                  "--status", "error", "--output", "Timeout"});
      EngramJson({"episode", "complete", id, "--outcome", "failure", "--reason", "timeout"});
    }
    return id;
  }
};

TEST_F(PatternCliTest, ListAnalyzeShowFeedbackAndHeuristics) {
  for (int i = 0; i < 6; ++i) Episode(true, i);
  for (int i = 6; i < 10; ++i) Episode(false, i);

  Json recoveries = EngramJson({"pattern", "list", "--kind", "error_recovery"});
  ASSERT_EQ(recoveries.size(), 1u) << recoveries.dump(2);
  EXPECT_EQ(recoveries[0]["support"], 6);
  EXPECT_EQ(recoveries[0]["successes"], 6);
  EXPECT_GT(recoveries[0]["lift"].get<double>(), 0.9);
  EXPECT_LT(recoveries[0]["p_value"].get<double>(), 0.01);
  const std::string id = recoveries[0]["id"];

  Json analysis = EngramJson({"pattern", "analyze", "--language", "typescript"});
  EXPECT_EQ(analysis["episodes_analyzed"], 10);
  bool found_avoid = false;
  for (const auto& h : analysis["heuristics"]) {
    if (h["action"] == "avoid: retry unchanged: bash:npm test") {
      found_avoid = true;
      EXPECT_EQ(h["sample_size"], 4);
      // 4 of 4 failed with it, 6 of 6 succeeded without: 1 / C(10, 4).
      EXPECT_NEAR(h["p_value"].get<double>(), 1.0 / 210, 1e-9);
      EXPECT_LE(h["q_value"].get<double>(), 0.05);
    }
  }
  EXPECT_TRUE(found_avoid) << analysis.dump(2);
  EXPECT_FALSE(EngramJson({"heuristic", "list"}).empty());

  Json shown = EngramJson({"pattern", "show", id});
  EXPECT_EQ(shown["episode_ids"].size(), 6u);
  Json fb = EngramJson({"pattern", "feedback", id, "hindered", "--note", "did not apply"});
  EXPECT_LT(fb["effectiveness_after"], fb["effectiveness_before"]);
  Json eff = EngramJson({"pattern", "effectiveness", id});
  EXPECT_EQ(eff["feedback"]["hindered"], 1);

  RunResult human = Engram({"pattern", "list"});
  EXPECT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_NE(human.out.find("error_recovery"), std::string::npos) << human.out;

  EXPECT_EQ(Engram({"pattern", "show", "pat-0000000000000000"}).exit_code, kExitNotFound);
  EXPECT_EQ(Engram({"pattern", "list", "--kind", "nope"}).exit_code, kExitInvalidArgument);
  EXPECT_EQ(Engram({"pattern", "feedback", id, "maybe"}).exit_code, kExitInvalidArgument);
}

TEST_F(PatternCliTest, AnalyzeLeavesOutPatternsBelowMinSuccessRate) {
  for (int i = 0; i < 3; ++i) Episode(true, i);
  for (int i = 3; i < 5; ++i) Episode(false, i);
  // Every episode runs `npm test` (3 of 5 succeeded); only the fixed ones
  // hold the recovery (3 of 3).
  Json all = EngramJson({"pattern", "analyze", "--no-learn", "--limit", "100"});
  bool below = false;
  for (const auto& p : all["patterns"]) below |= p["success_rate"].get<double>() < 0.9;
  ASSERT_TRUE(below) << all.dump(2);

  Json kept = EngramJson(
      {"pattern", "analyze", "--no-learn", "--limit", "100", "--min-success-rate", "0.9"});
  ASSERT_FALSE(kept["patterns"].empty()) << kept.dump(2);
  for (const auto& p : kept["patterns"]) {
    EXPECT_GE(p["success_rate"].get<double>(), 0.9) << p.dump();
  }
  bool recovery = false;
  for (const auto& p : kept["patterns"]) recovery |= p["kind"] == "error_recovery";
  EXPECT_TRUE(recovery) << kept.dump(2);

  EXPECT_EQ(Engram({"pattern", "analyze", "--min-success-rate", "1.5"}).exit_code, kExitUsage);
}

}  // namespace
}  // namespace engram::testing
