// The scripted coding scenario (scenario.h) and what engram learns from it.
#include "scenario.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "engram/engine.h"
#include "engram/pattern_learning.h"
#include "learn/confidence.h"

namespace engram::testing {
namespace {

using ScenarioTest = ScenarioEngineTest;

TEST_F(ScenarioTest, LogsThirtyCompletedEpisodes) {
  const ScenarioResult r = RunCodingScenario(*engine_, clock_);
  EXPECT_EQ(r.recovered.size(), 12u);
  EXPECT_EQ(r.failed_same.size(), 8u);
  EXPECT_EQ(r.cli_success.size(), 8u);
  EXPECT_EQ(r.cli_failed.size(), 2u);
  EpisodeFilter filter;
  filter.completed = true;
  auto listed = engine_->ListEpisodes(filter);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 30u);
  int successes = 0;
  for (const auto& s : *listed) successes += s.outcome_kind == "success" ? 1 : 0;
  EXPECT_EQ(successes, 20);
}

const Pattern* Find(const std::vector<Pattern>& v, PatternKind kind, const std::string& sig) {
  for (const auto& p : v) {
    if (p.kind == kind && p.signature == sig) return &p;
  }
  return nullptr;
}

const Heuristic* FindAction(const std::vector<Heuristic>& v, const std::string& action) {
  for (const auto& h : v) {
    if (h.action == action) return &h;
  }
  return nullptr;
}

std::vector<Pattern> AllPatterns(Engine& engine) {
  PatternFilter filter;
  filter.limit = 10000;
  auto all = engine.patterns().ListPatterns(filter);
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  return all.ok() ? *all : std::vector<Pattern>{};
}

TEST_F(ScenarioTest, MinesTheExpectedPatternsWithCounts) {
  RunCodingScenario(*engine_, clock_);
  const std::vector<Pattern> all = AllPatterns(*engine_);

  const Pattern* recovery =
      Find(all, PatternKind::kErrorRecovery, "bash:npm test [error] -> editor:await promise");
  ASSERT_NE(recovery, nullptr);
  EXPECT_EQ(recovery->support, 12);
  EXPECT_EQ(recovery->successes, 12);
  EXPECT_DOUBLE_EQ(recovery->success_rate, 1.0);
  EXPECT_NEAR(recovery->wilson_lower, learn::WilsonLowerBound(std::int64_t{12}, std::int64_t{12}),
              1e-12);
  EXPECT_EQ(recovery->context["language"], "typescript");
  EXPECT_NE(recovery->description.find("async callback timeout"), std::string::npos)
      << recovery->description;
  // Evidence against all 30 episodes (20 succeeded): 12/12 with it, 8/18
  // without; one-sided Fisher p = C(18, 8) / C(30, 20).
  auto stats = engine_->patterns().Stats(*recovery);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_NEAR(stats->lift, 1.0 - 8.0 / 18, 1e-12);
  EXPECT_NEAR(stats->p_value, 43758.0 / 30045015.0, 1e-12);

  // Shared by the recovered and the failed jest episodes.
  const Pattern* open = Find(all, PatternKind::kSequence, "grep:grep -> editor:read");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->support, 20);
  EXPECT_EQ(open->successes, 12);
  EXPECT_DOUBLE_EQ(open->mean_latency_ms, (12 * 420 + 8 * 390) / 20.0);

  // Decision points: the same check, two branches, different fates.
  const Pattern* rerun =
      Find(all, PatternKind::kDecisionPoint, "check:bash:npm test | fails -> bash:npm test");
  ASSERT_NE(rerun, nullptr);
  EXPECT_EQ(rerun->support, 8);
  EXPECT_EQ(rerun->successes, 0);
  EXPECT_EQ(rerun->occurrences, 8);
  const Pattern* fix =
      Find(all, PatternKind::kDecisionPoint, "check:bash:npm test | fails -> editor:await promise");
  ASSERT_NE(fix, nullptr);
  EXPECT_EQ(fix->support, 12);
  const Pattern* commit =
      Find(all, PatternKind::kDecisionPoint, "check:bash:pytest | ok -> git:git commit");
  ASSERT_NE(commit, nullptr);
  EXPECT_EQ(commit->support, 8);
  EXPECT_EQ(commit->successes, 8);

  const Pattern* approach =
      Find(all, PatternKind::kContext,
           "task_type=debugging;language=typescript;framework=jest;domain=web => "
           "grep:grep > editor:read > bash:npm test > editor:await promise > git:git commit");
  ASSERT_NE(approach, nullptr);
  EXPECT_EQ(approach->support, 12);
  EXPECT_EQ(approach->successes, 12);

  // Ranking: by effectiveness, never above 1.
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_LE(all[i].effectiveness, 1.0);
    EXPECT_GE(all[i].effectiveness, 0.0);
    if (i > 0) {
      EXPECT_GE(all[i - 1].effectiveness, all[i].effectiveness);
    }
  }
}

TEST_F(ScenarioTest, LearnsHeuristicsByContrast) {
  const ScenarioResult r = RunCodingScenario(*engine_, clock_);
  PatternLearning learning = engine_->patterns();
  auto used = learning.LearnHeuristics();
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_EQ(*used, 30);
  auto hs = learning.ListHeuristics(100);
  ASSERT_TRUE(hs.ok());

  const Heuristic* await = FindAction(*hs, "do: editor:await promise");
  ASSERT_NE(await, nullptr);
  EXPECT_EQ(await->sample_size, 12);
  EXPECT_EQ(await->successes, 12);
  EXPECT_EQ(await->evidence["without"]["episodes"], 8);
  EXPECT_EQ(await->evidence["without"]["successes"], 0);
  EXPECT_NEAR(await->confidence, learn::WilsonLowerBound(std::int64_t{12}, std::int64_t{12}),
              1e-12);
  EXPECT_EQ(await->condition.size(), 1u);
  // 12/12 with it, 0/8 without (the typescript group): p = 1 / C(20, 12).
  EXPECT_NEAR(await->evidence.value("p_value", 1.0), 1.0 / 125970, 1e-12);
  EXPECT_LE(await->evidence.value("q_value", 1.0), 0.05);
  EXPECT_GE(await->evidence.value("q_value", 1.0), await->evidence.value("p_value", 1.0));
  EXPECT_DOUBLE_EQ(await->evidence.value("lift", 0.0), 1.0);
  EXPECT_EQ(await->evidence["test"]["name"], "fisher_exact");
  EXPECT_EQ(await->evidence["test"]["alternative"], "greater");
  EXPECT_NE(await->description.find("p = "), std::string::npos) << await->description;
  // npm test ran in every typescript episode, failed and succeeded alike:
  // no rule about it either way.
  EXPECT_EQ(FindAction(*hs, "avoid: bash:npm test"), nullptr);
  EXPECT_EQ(FindAction(*hs, "do: bash:npm test"), nullptr);
  // The commit follows the passing check; it did not cause it.
  EXPECT_EQ(FindAction(*hs, "do: git:git commit"), nullptr);
  for (const auto& id : await->evidence["with"]["episode_ids"]) {
    EXPECT_NE(std::find(r.recovered.begin(), r.recovered.end(), id.get<std::string>()),
              r.recovered.end());
  }

  const Heuristic* retry = FindAction(*hs, "avoid: retry unchanged: bash:npm test");
  ASSERT_NE(retry, nullptr);
  EXPECT_EQ(retry->sample_size, 8);
  EXPECT_EQ(retry->successes, 8);  // failures it predicts

  // Too little evidence: only 2 episodes fixed the import.
  EXPECT_EQ(FindAction(*hs, "avoid: editor:fix import"), nullptr);
  for (const auto& h : *hs) {
    EXPECT_LE(h.confidence, 1.0);
    EXPECT_LE(h.evidence.value("q_value", 1.0), 0.05) << h.action;
  }

  // Learning again replaces the set with the same (deterministic) ids.
  ASSERT_TRUE(learning.LearnHeuristics().ok());
  auto again = learning.ListHeuristics(100);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), hs->size());
  for (std::size_t i = 0; i < hs->size(); ++i) EXPECT_EQ((*again)[i].id, (*hs)[i].id);
}

TEST_F(ScenarioTest, RecordingIsIdempotentAndDeletionRemovesLinks) {
  const ScenarioResult r = RunCodingScenario(*engine_, clock_);
  const std::string sig = "grep:grep -> editor:read";
  const std::vector<Pattern> all = AllPatterns(*engine_);
  const Pattern* before = Find(all, PatternKind::kSequence, sig);
  ASSERT_NE(before, nullptr);
  const std::string id = before->id;
  EXPECT_EQ(id, PatternId(PatternKind::kSequence, sig));

  // Recording a completed episode again changes nothing.
  auto episode = engine_->GetEpisode(r.recovered[0]);
  ASSERT_TRUE(episode.ok());
  ASSERT_TRUE(RecordEpisodePatterns(engine_->store(), *episode, clock_.NowMs()).ok());
  PatternLearning learning = engine_->patterns();
  auto again = learning.GetPattern(id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->support, 20);
  EXPECT_EQ(again->occurrences, 20);

  // Deleting an episode removes its links: support means what it says.
  ASSERT_TRUE(engine_->DeleteEpisode(r.failed_same[0]).ok());
  auto after = learning.GetPattern(id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->support, 19);
  EXPECT_EQ(after->successes, 12);
  auto eps = learning.PatternEpisodes(id, 100);
  ASSERT_TRUE(eps.ok());
  EXPECT_EQ(eps->size(), 19u);
}

TEST_F(ScenarioTest, FeedbackMovesEffectivenessAndRanking) {
  RunCodingScenario(*engine_, clock_);
  PatternLearning learning = engine_->patterns();
  const std::string sig = "check:bash:pytest | ok -> git:git commit";
  const std::string id = PatternId(PatternKind::kDecisionPoint, sig);
  auto before = learning.GetPattern(id);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_DOUBLE_EQ(before->effectiveness, before->wilson_lower);

  PatternFeedbackRequest req;
  req.target = FeedbackTarget::kPattern;
  req.target_id = id;
  req.signal = FeedbackSignal::kHindered;
  req.actor = "agent:test";
  for (int i = 0; i < 3; ++i) {
    auto fb = learning.RecordFeedback(req);
    ASSERT_TRUE(fb.ok()) << fb.status().ToString();
    EXPECT_LT(fb->after, fb->before);
  }
  auto after = learning.GetPattern(id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->feedback.hindered, 3);
  // w = 3/8, score = Beta(0 + 1, 3 + 1) mean = 0.2
  EXPECT_NEAR(after->effectiveness, 5.0 / 8 * before->wilson_lower + 3.0 / 8 * 0.2, 1e-12);

  req.signal = FeedbackSignal::kHelped;
  auto helped = learning.RecordFeedback(req);
  ASSERT_TRUE(helped.ok());
  EXPECT_GT(helped->after, helped->before);

  // Bad input: unknown target, lesson target, review signal. Nothing stored.
  req.target_id = "pat-0000000000000000";
  EXPECT_EQ(learning.RecordFeedback(req).status().code(), ErrorCode::kNotFound);
  req.target_id = id;
  req.signal = FeedbackSignal::kAccepted;
  EXPECT_EQ(learning.RecordFeedback(req).status().code(), ErrorCode::kInvalidArgument);
  req.signal = FeedbackSignal::kHelped;
  req.target = FeedbackTarget::kLesson;
  EXPECT_EQ(learning.RecordFeedback(req).status().code(), ErrorCode::kInvalidArgument);
  auto final_state = learning.GetPattern(id);
  ASSERT_TRUE(final_state.ok());
  EXPECT_EQ(final_state->feedback.total(), 4);
}

TEST_F(ScenarioTest, AnalyzeFiltersByContextAndLearns) {
  RunCodingScenario(*engine_, clock_);
  PatternAnalysisRequest req;
  req.language = "python";
  req.min_support = 3;
  auto a = engine_->patterns().Analyze(req);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->heuristics_learned);
  EXPECT_EQ(a->episodes_analyzed, 30);
  ASSERT_FALSE(a->patterns.empty());
  for (const auto& p : a->patterns) {
    EXPECT_EQ(p.context["language"], "python");
    EXPECT_GE(p.support, 3);
  }
  for (const auto& h : a->heuristics) {
    if (h.condition.contains("language")) {
      EXPECT_EQ(h.condition["language"], "python");
    }
  }
  req.limit = 0;
  EXPECT_EQ(engine_->patterns().Analyze(req).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace engram::testing
