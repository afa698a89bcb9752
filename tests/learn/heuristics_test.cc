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

// 14 go episodes: 8 with "editor:add context" all succeed, 6 without fail;
// "bash:go test" is in all of them (no contrast).
std::vector<EpisodeFeatures> GoEpisodes() {
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 8; ++i)
    v.push_back(Ep("s" + std::to_string(i), "go", true, {"bash:go test", "editor:add context"}));
  for (int i = 0; i < 6; ++i)
    v.push_back(Ep("f" + std::to_string(i), "go", false, {"bash:go test"}));
  return v;
}

int CountAction(const std::vector<Heuristic>& hs, const std::string& action) {
  return static_cast<int>(
      std::count_if(hs.begin(), hs.end(), [&](const Heuristic& h) { return h.action == action; }));
}

TEST(LearnHeuristicsTest, ContrastFindsTheDifferenceWithEvidence) {
  const auto hs = LearnHeuristics(GoEpisodes(), {}, 42);
  const Heuristic* h = FindAction(hs, "do: editor:add context");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->sample_size, 8);
  EXPECT_EQ(h->successes, 8);
  EXPECT_NEAR(h->confidence, WilsonLowerBound(std::int64_t{8}, std::int64_t{8}), 1e-12);
  EXPECT_EQ(h->updated_at, 42);
  EXPECT_EQ(h->evidence["with"]["episodes"], 8);
  EXPECT_EQ(h->evidence["without"]["episodes"], 6);
  EXPECT_EQ(h->evidence["without"]["successes"], 0);
  EXPECT_DOUBLE_EQ(h->evidence["lift"].get<double>(), 1.0);
  EXPECT_EQ(h->evidence["with"]["episode_ids"].size(), 8u);
  // Fisher, one-sided: 8/8 with vs 0/6 without, p = 1 / C(14, 8).
  EXPECT_NEAR(h->evidence.value("p_value", 1.0), 1.0 / 3003, 1e-12);
  EXPECT_EQ(ToJson(*h)["p_value"], h->evidence["p_value"]);
  EXPECT_EQ(ToJson(*h)["q_value"], h->evidence["q_value"]);
  EXPECT_GE(h->evidence.value("q_value", 1.0), h->evidence.value("p_value", 1.0));
  EXPECT_LE(h->evidence.value("q_value", 1.0), 0.05);
  EXPECT_EQ(h->evidence["test"]["name"], "fisher_exact");
  EXPECT_EQ(h->evidence["test"]["alternative"], "greater");
  EXPECT_EQ(h->evidence["test"]["correction"], "benjamini_hochberg");
  EXPECT_GT(h->evidence["odds_ratio"].get<double>(), 1.0);
  EXPECT_NE(h->description.find("p = 3.3e-04"), std::string::npos) << h->description;
  // The most general condition with the same evidence wins, once.
  EXPECT_EQ(h->condition.size(), 1u);
  EXPECT_EQ(CountAction(hs, "do: editor:add context"), 1);
  EXPECT_EQ(h->id, HeuristicId(h->condition, h->action));
  // A feature every episode has gives no contrast.
  EXPECT_EQ(FindAction(hs, "do: bash:go test"), nullptr);
  EXPECT_EQ(FindAction(hs, "avoid: bash:go test"), nullptr);
}

TEST(LearnHeuristicsTest, AvoidRuleForFeatureOfFailures) {
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 8; ++i)
    v.push_back(Ep("s" + std::to_string(i), "go", true, {"bash:go test"}));
  for (int i = 0; i < 6; ++i)
    v.push_back(Ep("r" + std::to_string(i), "go", false,
                   {"bash:go test", "retry unchanged: bash:go test"}));
  const auto hs = LearnHeuristics(v, {}, 0);
  const Heuristic* h = FindAction(hs, "avoid: retry unchanged: bash:go test");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->sample_size, 6);
  EXPECT_EQ(h->successes, 6);  // failures it predicted
  EXPECT_NEAR(h->evidence.value("p_value", 1.0), 1.0 / 3003, 1e-12);
  EXPECT_EQ(h->evidence["test"]["alternative"], "less");
  EXPECT_DOUBLE_EQ(h->evidence.value("lift", 0.0), -1.0);
  EXPECT_GT(h->confidence, 0.0);
  EXPECT_LE(h->confidence, 1.0);
}

// The case: "avoid: npm test" learned from 3 failures although npm
// test ran in the successes too, spelled differently.
std::vector<EpisodeFeatures> NpmTestEpisodes(const NormalizeOptions& normalize) {
  std::vector<EpisodeFeatures> v;
  auto make = [&](const std::string& id, const std::string& action, bool ok) {
    Episode e;
    e.id = id;
    e.task_type = TaskType::kDebugging;
    e.context.language = "typescript";
    Step edit;
    edit.tool = "editor";
    edit.action = "update the " + id + " handler";
    Step test;
    test.tool = "bash";
    test.action = action;
    test.result.status = ok ? StepStatus::kSuccess : StepStatus::kError;
    e.steps = {edit, test};
    e.outcome = ok ? Outcome{SuccessOutcome{}} : Outcome{FailureOutcome{}};
    v.push_back(ExtractFeatures(e, normalize));
  };
  for (int i = 0; i < 3; ++i) make("f" + std::to_string(i), "npm test", false);
  make("s0", "npm test -- src/a.spec.ts", true);
  make("s1", "npm run test -- b.spec.ts", true);
  make("s2", "yarn test cart", true);
  make("s3", "npm test -- src/c/c.spec.ts", true);
  make("s4", "npm test -- --runInBand", true);
  return v;
}

TEST(LearnHeuristicsTest, NoAvoidNpmTestFromThreeFailures) {
  HeuristicOptions lenient = With(1, 3);
  for (const auto& h : LearnHeuristics(NpmTestEpisodes({}), lenient, 0)) {
    EXPECT_EQ(h.action.find("npm test"), std::string::npos) << h.action;
  }
  // The previous rules (first 4 tokens, lift only) learned it.
  HeuristicOptions previous = lenient;
  previous.alpha = 1.0;
  previous.min_lift = 0.3;
  EXPECT_NE(FindAction(LearnHeuristics(NpmTestEpisodes({.by_meaning = false}), previous, 0),
                       "avoid: bash:npm test"),
            nullptr);
}

TEST(LearnHeuristicsTest, SignificanceBlocksSmallSamples) {
  // 3 failures with a step, 2 successes without: one-sided p = 0.1.
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 3; ++i) v.push_back(Ep("f" + std::to_string(i), "go", false, {"x"}));
  for (int i = 0; i < 2; ++i) v.push_back(Ep("s" + std::to_string(i), "go", true, {}));
  EXPECT_TRUE(LearnHeuristics(v, With(1, 3), 0).empty());
  HeuristicOptions no_test = With(1, 3);
  no_test.alpha = 1.0;
  EXPECT_NE(FindAction(LearnHeuristics(v, no_test, 0), "avoid: x"), nullptr);
}

TEST(LearnHeuristicsTest, RespectsMinSupportAndMinGroup) {
  EXPECT_TRUE(LearnHeuristics(GoEpisodes(), With(5, 9), 0).empty());
  EXPECT_TRUE(LearnHeuristics(GoEpisodes(), With(15, 3), 0).empty());
  // 3 failures with a step among 20 successes without: p = 1 / C(23, 3),
  // significant, but under the default minimum support of 4.
  std::vector<EpisodeFeatures> v;
  for (int i = 0; i < 3; ++i) v.push_back(Ep("f" + std::to_string(i), "go", false, {"x"}));
  for (int i = 0; i < 20; ++i) v.push_back(Ep("s" + std::to_string(i), "go", true, {}));
  EXPECT_EQ(HeuristicOptions{}.min_support, 4);
  EXPECT_EQ(FindAction(LearnHeuristics(v, {}, 0), "avoid: x"), nullptr);
  const std::vector<Heuristic> lenient = LearnHeuristics(v, With(8, 3), 0);
  const Heuristic* h = FindAction(lenient, "avoid: x");
  ASSERT_NE(h, nullptr);
  EXPECT_NEAR(h->evidence.value("p_value", 1.0), 1.0 / 1771, 1e-12);
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
  for (int i = 0; i < 6; ++i)
    v.push_back(Ep("rs" + std::to_string(i), "rust", false, {"editor:add context"}));
  for (int i = 0; i < 6; ++i) v.push_back(Ep("rk" + std::to_string(i), "rust", true, {"cargo"}));
  const auto hs = LearnHeuristics(v, {}, 0);
  const Heuristic* good = FindAction(hs, "do: editor:add context");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->condition["language"], "go");
  const Heuristic* bad = FindAction(hs, "avoid: editor:add context");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->condition["language"], "rust");
}

TEST(LearnHeuristicsTest, DisjointConditionsKeepTheirOwnRule) {
  // The same fix works in go and in python: one rule per language.
  std::vector<EpisodeFeatures> v = GoEpisodes();
  for (const auto& e : GoEpisodes()) {
    EpisodeFeatures p = e;
    p.episode_id = "py-" + e.episode_id;
    p.context["language"] = "python";
    v.push_back(p);
  }
  const auto hs = LearnHeuristics(v, {}, 0);
  int go = 0, python = 0, general = 0;
  for (const auto& h : hs) {
    if (h.action != "do: editor:add context") continue;
    if (!h.condition.contains("language")) {
      ++general;
    } else {
      (h.condition["language"] == "go" ? go : python)++;
    }
  }
  // Either the general rule (task_type=debugging covers both) or one per
  // language, never both kinds at once.
  EXPECT_TRUE((general == 1 && go == 0 && python == 0) || (general == 0 && go == 1 && python == 1))
      << general << " " << go << " " << python;
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
  EXPECT_EQ(f.features,
            (std::vector<std::string>{"bash:npm test", "retry unchanged: bash:npm test"}));
}

TEST(ExtractFeaturesTest, StepsAfterTheLastCheckAreLeftOut) {
  Episode e;
  e.id = "e";
  Step test;
  test.tool = "bash";
  test.action = "npm test";
  test.result.status = StepStatus::kError;
  Step fix;
  fix.tool = "edit";
  fix.action = "await the login promise";
  Step pass = test;
  pass.result.status = StepStatus::kSuccess;
  Step commit;
  commit.tool = "git";
  commit.action = "git commit -am 'fix'";
  e.steps = {test, fix, pass, commit};
  e.outcome = SuccessOutcome{};
  EXPECT_EQ(ExtractFeatures(e).features,
            (std::vector<std::string>{"bash:npm test", "editor:await promise"}));
  // With no check at all every step counts.
  e.steps = {fix, commit};
  EXPECT_EQ(ExtractFeatures(e).features,
            (std::vector<std::string>{"editor:await promise", "git:git commit"}));
}

}  // namespace
}  // namespace engram::learn
