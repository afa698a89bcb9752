// Lesson::situations through the Engine: searched with the lesson's text,
// replaced by update (history keeps the old list), kept on reopen, united
// by a dedupe merge, learned from the episode a candidate came from and
// from "helped" feedback, never across a project boundary.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/candidate_queue.h"
#include "engram/lesson_dedupe.h"
#include "engram/lesson_feedback.h"

namespace engram::testing {
namespace {

constexpr const char* kSymptom =
    "Exceeded timeout of 5000 ms for a hook while LedgerClient connects";

class SituationsTest : public EngineTest {
 protected:
  Lesson Add(const std::string& title, std::vector<std::string> situations,
             const std::string& project = "") {
    NewLesson l;
    l.topic = "testing";
    l.title = title;
    l.content = "Return or await the promise so the runner waits for it.";
    l.situations = std::move(situations);
    if (!project.empty()) {
      l.scope = LessonScope::kProject;
      l.project = project;
    }
    l.on_duplicate = DuplicatePolicy::kAllow;
    auto added = engine_->AddLesson(l);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : Lesson{};
  }
  std::vector<std::string> Found(const std::string& query) {
    SearchRequest r;
    r.query = query;
    r.min_relevance = 0.0;
    auto resp = engine_->SearchLessons(r);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    std::vector<std::string> ids;
    if (resp.ok()) {
      for (const LessonResult& x : resp->results) ids.push_back(x.lesson.id);
    }
    return ids;
  }
  Episode FailedEpisode(const std::string& project) {
    StartEpisodeRequest req;
    req.description = project.empty() ? "Ledger tests hang in CI" : "Invoice tests hang in CI";
    req.context.project = project;
    auto ep = engine_->StartEpisode(req);
    EXPECT_TRUE(ep.ok());
    StepInput s;
    s.tool = "bash";
    s.action = "npm test";
    s.result = {StepStatus::kError, "Exceeded timeout of 5000 ms for a hook"};
    EXPECT_TRUE(engine_->LogStep(ep->id, s).ok());
    auto got = engine_->GetEpisode(ep->id);
    EXPECT_TRUE(got.ok());
    return got.ok() ? *got : Episode{};
  }
};

TEST_F(SituationsTest, ASymptomFindsTheLessonThroughItsSituation) {
  Lesson with = Add("Await async setup in beforeEach", {kSymptom});
  Lesson without = Add("Await async setup in beforeAll", {});
  EXPECT_EQ(with.situations, (std::vector<std::string>{kSymptom}));
  // Only the situation holds these words.
  EXPECT_EQ(Found("LedgerClient exceeded hook timeout"), (std::vector<std::string>{with.id}));
  auto stored = engine_->GetLesson(with.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->situations, with.situations);
  // Kept on reopen.
  engine_.reset();
  engine_ = Open(EngineOptions{});
  auto reopened = engine_->GetLesson(with.id);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->situations, with.situations);
  EXPECT_EQ(Found("LedgerClient"), (std::vector<std::string>{with.id}));
  (void)without;
}

TEST_F(SituationsTest, UpdateReplacesTheListAndTheIndexAndHistoryKeepsTheOld) {
  Lesson l = Add("Await async setup in beforeEach", {kSymptom});
  LessonPatch p;
  p.situations = std::vector<std::string>{"Jest did not exit one second after the test run"};
  auto updated = engine_->UpdateLesson(l.id, p, "better symptom");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->situations, *p.situations);
  EXPECT_TRUE(Found("LedgerClient").empty()) << "the old situation left the index";
  EXPECT_EQ(Found("jest did not exit"), (std::vector<std::string>{l.id}));
  auto history = engine_->LessonHistory(l.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].lesson.situations, (std::vector<std::string>{kSymptom}));
  p.situations = std::vector<std::string>(engine_->limits().max_situations + 1, "x");
  EXPECT_ERROR(engine_->UpdateLesson(l.id, p, ""), ErrorCode::kInvalidArgument, "situations");
  NewLesson bad;
  bad.topic = "t";
  bad.title = "t";
  bad.content = "c";
  bad.situations = {"ok", ""};
  EXPECT_ERROR(engine_->AddLesson(bad), ErrorCode::kInvalidArgument, "situations[1]");
}

TEST_F(SituationsTest, ADedupeMergeUnitesTheSituations) {
  NewLesson first;
  first.topic = "testing";
  first.title = "Await async setup in beforeEach";
  first.content = "Unawaited promises in beforeEach make jest tests flaky. Await the promise.";
  first.situations = {"flaky ledger test"};
  auto a = engine_->dedupe().Add(first);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  NewLesson again = first;
  again.situations = {"flaky ledger test", "cart test times out in beforeEach"};
  auto b = engine_->dedupe().Add(again);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(b->merged);
  EXPECT_EQ(b->lesson.id, a->lesson.id);
  EXPECT_EQ(b->lesson.situations,
            (std::vector<std::string>{"flaky ledger test", "cart test times out in beforeEach"}));
}

TEST_F(SituationsTest, HelpedFeedbackAddsTheEpisodeOfTheSameProjectOnly) {
  Lesson global = Add("Await async setup in beforeEach", {});
  Lesson billing = Add("Await LedgerClient.connect in beforeEach", {}, "billing");
  Episode none = FailedEpisode("");
  Episode in_billing = FailedEpisode("billing");
  LessonFeedback fb = engine_->feedback();
  // no_effect teaches nothing.
  auto r = fb.Report({global.id, FeedbackSignal::kNoEffect, none.id, "", ""});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->lesson.situations.empty());
  r = fb.Report({global.id, FeedbackSignal::kHelped, none.id, "", ""});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lesson.situations,
            (std::vector<std::string>{
                "Ledger tests hang in CI (error: Exceeded timeout of 5000 ms for a hook)"}));
  auto history = engine_->LessonHistory(global.id);
  ASSERT_TRUE(history.ok());
  auto current = engine_->GetLesson(global.id);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->situations, r->lesson.situations);
  // Helped again by the same episode: nothing repeated.
  r = fb.Report({global.id, FeedbackSignal::kTestsPassed, none.id, "", ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lesson.situations.size(), 1u);
  // billing's episode never reaches the global lesson; it does reach billing's.
  Lesson before = *engine_->GetLesson(global.id);
  r = fb.Report({global.id, FeedbackSignal::kHelped, in_billing.id, "", ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lesson.situations, before.situations);
  r = fb.Report({billing.id, FeedbackSignal::kHelped, in_billing.id, "", ""});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->lesson.situations.size(), 1u);
  EXPECT_NE(r->lesson.situations[0].find("Invoice tests hang"), std::string::npos);
}

}  // namespace
}  // namespace engram::testing
