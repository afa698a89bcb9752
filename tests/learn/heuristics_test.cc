#include "learn/heuristics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace engram::learn {
namespace {

EpisodeFeatures Ep(const std::string& id, const std::string& language, bool success,
                   std::vector<std::string> features) {
  EpisodeFeatures e;
  e.episode_id = id;
  e.context = Json{{"task_type", "debugging"}, {"language", language}};
  e.success = success;
  std::sort(features.begin(), features.end());
  e.features = std::move(features);
  return e;
}

const Heuristic* FindAction(const std::vector<Heuristic>& hs, const std::string& action) {
  auto it =
      std::find_if(hs.begin(), hs.end(), [&](const Heuristic& h) { return h.action == action; });
  return it == hs.end() ? nullptr : &*it;
}

HeuristicOptions With(int min_group, int min_support) {
  HeuristicOptions o;
  o.min_group = min_group;
  o.min_support = min_support;
  return o;
}

// 6 go episodes: 4 with "editor:add context" all succeed, 2 without fail;
// "bash:go test" is in all of them (no contrast).
std::vector<EpisodeFeatures> GoEpisodes() {
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 4; ++i)
    v.push_back(Ep("s" + std::to_string(i), "go", true, {"bash:go test", "editor:add context"}));
  for (int i = 0; i < 2; ++i)
    v.push_back(Ep("f" + std::to_string(i), "go", false, {"bash:go test"}));
  return v;
}

TEST(LearnHeuristicsTest, ContrastFindsTheDifferenceWithEvidence) {
  const auto hs = LearnHeuristics(GoEpisodes(), {}, 42);
  const Heuristic* h = FindAction(hs, "do: editor:add context");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->sample_size, 4);
  EXPECT_EQ(h->successes, 4);
  EXPECT_NEAR(h->confidence, WilsonLowerBound(std::int64_t{4}, std::int64_t{4}), 1e-12);
  EXPECT_EQ(h->updated_at, 42);
  EXPECT_EQ(h->evidence["with"]["episodes"], 4);
  EXPECT_EQ(h->evidence["without"]["episodes"], 2);
  EXPECT_EQ(h->evidence["without"]["successes"], 0);
  EXPECT_DOUBLE_EQ(h->evidence["lift"].get<double>(), 1.0);
  EXPECT_EQ(h->evidence["with"]["episode_ids"].size(), 4u);
  // The most general condition with the same evidence wins.
  EXPECT_EQ(h->condition.size(), 1u);
  EXPECT_EQ(h->id, HeuristicId(h->condition, h->action));
  // A feature every episode has gives no contrast.
  EXPECT_EQ(FindAction(hs, "do: bash:go test"), nullptr);
  EXPECT_EQ(FindAction(hs, "avoid: bash:go test"), nullptr);
}

TEST(LearnHeuristicsTest, AvoidRuleForFeatureOfFailures) {
  std::vector<EpisodeFeatures> v = GoEpisodes();
  for (int i = 0; i < 3; ++i)
    v.push_back(Ep("r" + std::to_string(i), "go", false,
                   {"bash:go test", "retry unchanged: bash:go test"}));
  const auto hs = LearnHeuristics(v, {}, 0);
  const Heuristic* h = FindAction(hs, "avoid: retry unchanged: bash:go test");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->sample_size, 3);
  EXPECT_EQ(h->successes, 3);  // failures it predicted
  EXPECT_GT(h->confidence, 0.0);
  EXPECT_LE(h->confidence, 1.0);
}

TEST(LearnHeuristicsTest, RespectsMinSupportAndMinGroup) {
  EXPECT_TRUE(LearnHeuristics(GoEpisodes(), With(5, 5), 0).empty());
  EXPECT_TRUE(LearnHeuristics(GoEpisodes(), With(7, 3), 0).empty());
}

TEST(LearnHeuristicsTest, WeakLiftIsIgnored) {
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 4; ++i) v.push_back(Ep("a" + std::to_string(i), "go", i < 2, {"x"}));
  for (int i = 0; i < 4; ++i) v.push_back(Ep("b" + std::to_string(i), "go", i < 2, {}));
  EXPECT_TRUE(LearnHeuristics(v, With(1, 3), 0).empty());
}

TEST(LearnHeuristicsTest, ContextsDoNotMix) {
  std::vector<EpisodeFeatures> v = GoEpisodes();
  // Rust episodes where "editor:add context" is the mark of failure.
  for (int i = 0; i < 3; ++i)
    v.push_back(Ep("rs" + std::to_string(i), "rust", false, {"editor:add context"}));
  for (int i = 0; i < 3; ++i) v.push_back(Ep("rk" + std::to_string(i), "rust", true, {"cargo"}));
  const auto hs = LearnHeuristics(v, {}, 0);
  const Heuristic* good = FindAction(hs, "do: editor:add context");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->condition["language"], "go");
  const Heuristic* bad = FindAction(hs, "avoid: editor:add context");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->condition["language"], "rust");
}

TEST(ExtractFeaturesTest, StepsAndUnchangedRetries) {
  Episode e;
  e.id = "e";
  Step a;
  a.tool = "bash";
  a.action = "npm test -- a.ts";
  a.result.status = StepStatus::kError;
  Step b = a;
  b.result.status = StepStatus::kSuccess;
  e.steps = {a, b};
  e.outcome = SuccessOutcome{};
  const EpisodeFeatures f = ExtractFeatures(e);
  EXPECT_TRUE(f.success);
  EXPECT_EQ(f.features, (std::vector<std::string>{"bash:npm test <path>",
                                                  "retry unchanged: bash:npm test <path>"}));
}

}  // namespace
}  // namespace engram::learn
