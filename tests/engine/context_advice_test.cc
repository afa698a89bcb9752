// retrieve_context says what worked (issue 19 §4): per episode the
// recovery as actual actions and the approach; across the response the
// heuristics that apply, the warnings and a pasteable summary.
#include "engine/context_advice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_fixture.h"
#include "engram/pattern_learning.h"

namespace engram::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct StepSpec {
  StepSpec(std::string t, std::string a, StepStatus s = StepStatus::kSuccess, std::string o = "")
      : tool(std::move(t)), action(std::move(a)), status(s), output(std::move(o)) {}
  std::string tool, action;
  StepStatus status;
  std::string output;
};

class ContextAdviceTest : public EngineTest {
 protected:
  std::string Run(const std::string& description, const std::vector<StepSpec>& steps,
                  Outcome outcome, const std::string& project = "") {
    StartEpisodeRequest s;
    s.description = description;
    s.task_type = TaskType::kDebugging;
    s.context.language = "typescript";
    s.context.framework = "jest";
    s.context.project = project;
    auto e = engine_->StartEpisode(s);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    for (const StepSpec& spec : steps) {
      StepInput in;
      in.tool = spec.tool;
      in.action = spec.action;
      in.result = {spec.status, spec.output};
      in.latency_ms = 1000;
      EXPECT_TRUE(engine_->LogStep(e->id, in).ok());
    }
    auto done = engine_->CompleteEpisode(e->id, outcome);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return e->id;
  }

  // The README quick start: a flaky login test fixed by awaiting the session promise.
  std::string QuickStart(const std::string& what = "login") {
    return Run("Fix flaky " + what + " test",
               {{"bash", "npm test", StepStatus::kError, "Timeout in " + what + ".spec.ts"},
                {"editor", "await the session promise"},
                {"bash", "npm test"}},
               SuccessOutcome{"test stable", {}});
  }

  ContextRequest Task(const std::string& description) {
    ContextRequest r;
    r.description = description;
    r.task_type = TaskType::kDebugging;
    r.context.language = "typescript";
    r.context.framework = "jest";
    r.min_relevance = 0.0;  // every episode: not a relevance test
    return r;
  }
};

TEST_F(ContextAdviceTest, ANewSimilarTaskGetsTheFixThatWorked) {
  const std::string fixed = QuickStart();
  const std::string failed = Run("Fix flaky signup test",
                                 {{"bash", "npm test", StepStatus::kError, "Timeout in signup"},
                                  {"bash", "npm test", StepStatus::kError, "Timeout in signup"}},
                                 FailureOutcome{"still flaky", ""});
  NewLesson gotcha;
  gotcha.type = LessonType::kGotcha;
  gotcha.topic = "jest";
  gotcha.title = "Await async setup in jest";
  gotcha.content = "Unawaited promises in beforeEach make flaky tests.";
  ASSERT_TRUE(engine_->AddLesson(gotcha).ok());

  auto r = engine_->RetrieveContext(Task("Fix flaky checkout test"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->episodes.size(), 2u);
  auto it = std::find_if(r->episodes.begin(), r->episodes.end(),
                         [&](const EpisodeResult& e) { return e.id == fixed; });
  ASSERT_NE(it, r->episodes.end());
  const WhatWorked& w = it->what_worked;
  EXPECT_TRUE(w.worked);
  ASSERT_EQ(w.recovery.size(), 1u);
  EXPECT_EQ(w.recovery[0].failed, "bash: npm test failed: Timeout in login.spec.ts");
  EXPECT_THAT(w.recovery[0].fix, ElementsAre("editor: await the session promise"));
  EXPECT_EQ(w.recovery[0].verified, "bash: npm test passed");
  EXPECT_THAT(w.approach, ElementsAre("editor: await the session promise", "bash: npm test"));

  EXPECT_THAT(r->warnings, Contains(::testing::Field(&ContextWarning::kind, "gotcha")));
  EXPECT_THAT(r->warnings,
              Contains(::testing::AllOf(::testing::Field(&ContextWarning::kind, "failed_episode"),
                                        ::testing::Field(&ContextWarning::source_id, failed))));
  EXPECT_THAT(r->warnings, Contains(::testing::Field(&ContextWarning::kind, "unresolved_error")));
  EXPECT_THAT(r->summary, HasSubstr("bash: npm test failed: Timeout in login.spec.ts -> editor: "
                                    "await the session promise -> bash: npm test passed"));
  EXPECT_THAT(r->summary, HasSubstr("Avoid: Await async setup in jest"));

  const Json j = ToJson(*r);
  EXPECT_TRUE(j.contains("heuristics") && j.contains("warnings") && j.contains("summary"));
  for (const Json& e : j["episodes"]) EXPECT_TRUE(e.contains("what_worked")) << e.dump();
}

TEST_F(ContextAdviceTest, LearnedHeuristicsThatApplyAreListedAndAvoidOnesWarn) {
  // Ten episodes fixed by awaiting the promise, ten that only retried and
  // failed: enough for the significance test and minimum group of heuristic
  // learning (docs/LEARNING.md, "Evidence").
  for (const char* what : {"login", "logout", "signup", "profile", "cart", "search", "settings",
                           "billing", "orders", "inbox"}) {
    QuickStart(what);
    Run(std::string("Fix flaky ") + what + " page test",
        {{"bash", "npx jest", StepStatus::kError, "Timeout"},
         {"bash", "npx jest", StepStatus::kError, "Timeout"}},
        FailureOutcome{"gave up", ""});
  }
  PatternLearning learning = engine_->patterns();
  ASSERT_TRUE(learning.LearnHeuristics().ok());
  auto stored = learning.ListHeuristics(100);
  ASSERT_TRUE(stored.ok());
  ASSERT_FALSE(stored->empty()) << "the planted contrast yields heuristics";

  auto r = engine_->RetrieveContext(Task("Fix flaky checkout test"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->heuristics.empty());
  const bool await_listed =
      std::any_of(r->heuristics.begin(), r->heuristics.end(), [](const ContextHeuristic& h) {
        return h.action.find("await") != std::string::npos &&
               std::find(h.matched_by.begin(), h.matched_by.end(), "context") != h.matched_by.end();
      });
  EXPECT_TRUE(await_listed);
  for (const ContextHeuristic& h : r->heuristics)
    EXPECT_EQ(h.action.rfind("do", 0), 0u) << h.action;
  EXPECT_THAT(r->summary, HasSubstr("Apply: "));

  // A task in another language and of another type contradicts every
  // learned condition: no heuristic applies, even through the returned
  // (typescript) episodes.
  ContextRequest other = Task("Fix flaky checkout test");
  other.task_type = TaskType::kDocumentation;
  other.context.language = "go";
  other.context.framework = "vitest";
  auto o = engine_->RetrieveContext(other);
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->episodes.empty());
  EXPECT_THAT(o->heuristics, IsEmpty());
}

TEST(MatchHeuristics, ConditionAndEvidenceDecideAndProjectsDisableTheContextRoute) {
  Heuristic doit;
  doit.id = "heu-do";
  doit.condition = Json{{"language", "typescript"}, {"task_type", "debugging"}};
  doit.action = "do: editor:await the session promise";
  doit.evidence = Json{{"polarity", "do"}, {"with", {{"episode_ids", {"e1", "e2"}}}}};
  doit.effectiveness = 0.6;
  Heuristic avoid = doit;
  avoid.id = "heu-avoid";
  avoid.action = "avoid: retry unchanged: bash:npm test";
  avoid.evidence = Json{{"polarity", "avoid"}, {"with", {{"episode_ids", {"e9"}}}}};
  Heuristic go = doit;
  go.id = "heu-go";
  go.condition = Json{{"language", "go"}};
  go.evidence = Json{{"polarity", "do"}, {"with", {{"episode_ids", {"e1"}}}}};

  ContextRequest r;
  r.description = "x";
  r.task_type = TaskType::kDebugging;
  r.context.language = "TypeScript";
  std::vector<ContextHeuristic> avoids;
  auto out = MatchHeuristics({doit, avoid, go}, r, {"e2"}, avoids);
  ASSERT_EQ(out.size(), 1u);  // go contradicts the language
  EXPECT_EQ(out[0].id, "heu-do");
  EXPECT_THAT(out[0].matched_by, ElementsAre("context", "episodes"));
  EXPECT_THAT(out[0].episode_ids, ElementsAre("e2"));
  ASSERT_EQ(avoids.size(), 1u);
  EXPECT_THAT(avoids[0].matched_by, ElementsAre("context"));

  // A condition field the request does not give: only the episodes route.
  r.task_type.reset();
  avoids.clear();
  out = MatchHeuristics({doit, avoid}, r, {"e2"}, avoids);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_THAT(out[0].matched_by, ElementsAre("episodes"));
  EXPECT_THAT(avoids, IsEmpty());

  // A project: heuristics are learned across projects, so only the episodes route.
  r.task_type = TaskType::kDebugging;
  r.context.project = "billing";
  avoids.clear();
  out = MatchHeuristics({doit, avoid}, r, {}, avoids);
  EXPECT_THAT(out, IsEmpty());
  EXPECT_THAT(avoids, IsEmpty());
}

TEST(CollectWarnings, KindsComeInOrderDuplicatesDropAndTheCapHolds) {
  ContextResponse resp;
  LessonResult l;
  l.lesson.id = "l1";
  l.lesson.type = LessonType::kAntiPattern;
  l.lesson.title = "Sleeping in tests";
  l.lesson.content = "A sleep hides the race.";
  resp.lessons.push_back(l);
  l.lesson.id = "l2";
  l.lesson.type = LessonType::kBestPractice;  // not a warning
  resp.lessons.push_back(l);
  EpisodeResult e;
  e.id = "e1";
  e.description = "Fix flaky signup test";
  e.outcome_kind = "failure";
  e.reflection = Reflection{{}, {"Task failed: still flaky"}, {}, {}};
  e.what_worked.unresolved = {"bash: npm test failed: Timeout", "bash: npm test failed: Timeout"};
  resp.episodes.push_back(e);
  ContextHeuristic avoid;
  avoid.id = "heu-a";
  avoid.description = "When language=typescript: avoid: retry unchanged: bash:npm test";
  auto w = CollectWarnings(resp, {avoid});
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].kind, "avoid_heuristic");
  EXPECT_EQ(w[1].kind, "anti_pattern");
  EXPECT_EQ(w[1].text, "Sleeping in tests: A sleep hides the race.");
  EXPECT_EQ(w[2].kind, "failed_episode");
  EXPECT_EQ(w[2].text, "A similar task failed (Fix flaky signup test): Task failed: still flaky");
  EXPECT_EQ(w[3].kind, "unresolved_error");  // the duplicate was dropped
  ContextAdviceOptions capped;
  capped.max_warnings = 2;
  EXPECT_EQ(CollectWarnings(resp, {avoid}, capped).size(), 2u);
}

TEST(ContextSummary, EmptyWhenThereIsNothingToSay) {
  EXPECT_EQ(ContextSummary(ContextResponse{}), "");
}

}  // namespace
}  // namespace engram::testing
