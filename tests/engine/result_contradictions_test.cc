// Contradicting lessons in one search response (engine/result_contradictions.h):
// flagged on both sides, the less trusted one demoted; recorded
// contradictions and the stance rule; unrelated or one-sided results not
// flagged; retrieve_context's lessons the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engram/contradictions.h"
#include "engram/engine.h"
#include "engram/feedback.h"
#include "engram/ids.h"
#include "learning_engine_fixture.h"

namespace engram {
namespace {

class ResultContradictionsTest : public testing::LearningEngineTest {
 protected:
  SearchResponse Search(const std::string& query, int limit = 10) {
    SearchRequest q;
    q.query = query;
    q.limit = limit;
    q.expand = false;       // only the words asked for
    q.min_relevance = 0.0;  // every result: not a relevance test
    auto r = engine_->SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResponse{};
  }
  static const LessonResult* Find(const std::vector<LessonResult>& v, const std::string& id) {
    for (const LessonResult& x : v) {
      if (x.lesson.id == id) return &x;
    }
    return nullptr;
  }
  static std::size_t Rank(const std::vector<LessonResult>& v, const std::string& id) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i].lesson.id == id) return i;
    }
    return v.size();
  }
  // Stored directly: no contradiction is recorded, only the rule can flag it.
  Lesson Insert(const std::string& id, const std::string& title, const std::string& content,
                const std::string& topic, double confidence = 0.5) {
    Lesson l;
    l.id = id;
    l.topic = topic;
    l.title = title;
    l.content = content;
    l.confidence = confidence;
    l.created_at = l.updated_at = clock_.now;
    EXPECT_TRUE(engine_->store().InsertLesson(l).ok());
    return l;
  }
  std::vector<Contradiction> Recorded() {
    auto all = engine_->store().contradictions()->ListContradictions(std::nullopt, 100);
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<Contradiction>{};
  }
};

// The case: "Use XState actions..." and "Avoid XState actions..."
// came back as #1 and #2 with no flag.
TEST_F(ResultContradictionsTest, XStatePairIsFlaggedAndTheLessTrustedOneDemoted) {
  Lesson use = Add("Use XState actions for side effects",
                   "Use XState actions to run side effects declaratively; XState actions are "
                   "declarative side effects of a transition.",
                   "xstate");
  clock_.now += kDayMs;  // the newer one is trusted more at equal confidence
  Lesson avoid = Add("Avoid XState actions for side effects",
                     "Avoid XState actions for async side effects; invoke a service.", "xstate");
  ASSERT_EQ(Recorded().size(), 1u);  // recorded when added
  SearchResponse r = Search("XState actions declarative side effects");
  ASSERT_EQ(r.results.size(), 2u);
  const LessonResult* u = Find(r.results, use.id);
  const LessonResult* a = Find(r.results, avoid.id);
  ASSERT_TRUE(u && a);
  EXPECT_EQ(u->contradicts, std::vector<std::string>{avoid.id});
  EXPECT_EQ(a->contradicts, std::vector<std::string>{use.id});
  // "Use" matched the query better: without the demotion it would be #1.
  EXPECT_GT(u->explanation.score / u->explanation.contradiction_factor, a->explanation.score);
  EXPECT_EQ(Rank(r.results, avoid.id), 0u);
  EXPECT_EQ(Rank(r.results, use.id), 1u);
  EXPECT_DOUBLE_EQ(u->explanation.contradiction_factor, 0.5);
  EXPECT_DOUBLE_EQ(a->explanation.contradiction_factor, 1);
  EXPECT_DOUBLE_EQ(u->score, u->explanation.score);
  EXPECT_NE(u->warning.find("rank 1 -> 2"), std::string::npos) << u->warning;
  EXPECT_NE(u->warning.find("updated more recently"), std::string::npos) << u->warning;
  EXPECT_NE(a->warning.find("the other was demoted"), std::string::npos) << a->warning;
  // The JSON form carries both fields and the factor.
  Json j = ToJson(r);
  EXPECT_EQ(j["results"][1]["contradicts"], Json::array({avoid.id}));
  EXPECT_TRUE(j["results"][1].contains("warning"));
  EXPECT_EQ(j["results"][1]["explanation"]["contradiction_factor"], 0.5);
  EXPECT_FALSE(j["results"][0]["explanation"].contains("contradiction_factor"));
}

TEST_F(ResultContradictionsTest, TheStanceRuleFlagsAPairNobodyRecorded) {
  Insert("l-a", "Always mock the network in unit tests",
         "Mock the network in unit tests so they stay fast.", "testing");
  Insert("l-b", "Never mock the network in unit tests",
         "Mocking the network in unit tests hides real failures.", "testing");
  ASSERT_TRUE(Recorded().empty());
  SearchResponse r = Search("mock network unit tests");
  ASSERT_EQ(r.results.size(), 2u);
  for (const LessonResult& x : r.results) {
    ASSERT_EQ(x.contradicts.size(), 1u) << x.lesson.id;
    EXPECT_NE(x.warning.find("opposite stance"), std::string::npos) << x.warning;
  }
  // Equal trust everywhere: the smaller id is kept on top.
  EXPECT_EQ(r.results[0].lesson.id, "l-a");
  EXPECT_NE(r.results[1].warning.find("equal trust"), std::string::npos);
}

TEST_F(ResultContradictionsTest, ARecordedContradictionIsFlaggedWithoutOppositeStances) {
  // Same stance, different topics: the rule alone would say nothing.
  Lesson a = Insert("l-a", "Use the legacy router for the admin app",
                    "The admin app runs the legacy router.", "routing");
  Lesson b = Insert("l-b", "Use the file router for the admin app",
                    "The admin app moved to the file router.", "frontend");
  EXPECT_TRUE(Search("admin app router").results[0].contradicts.empty());
  Contradiction c;
  c.id = NewId(clock_.now);
  c.lesson_a = a.id;
  c.lesson_b = b.id;
  c.reason = "a reviewer says so";
  c.created_at = clock_.now;
  ASSERT_TRUE(engine_->store().contradictions()->RecordContradiction(c).ok());
  SearchResponse r = Search("admin app router");
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].contradicts.size(), 1u);
  EXPECT_EQ(r.results[1].contradicts.size(), 1u);
  EXPECT_NE(r.results[0].warning.find("recorded contradiction '" + c.id + "': a reviewer says so"),
            std::string::npos)
      << r.results[0].warning;
}

TEST_F(ResultContradictionsTest, ADismissedContradictionIsNotFlagged) {
  Lesson use = Add("Use XState actions for side effects", "Use XState actions to run side effects.",
                   "xstate");
  Add("Avoid XState actions for side effects", "Avoid XState actions for side effects.", "xstate");
  std::vector<Contradiction> rec = Recorded();
  ASSERT_EQ(rec.size(), 1u);
  ASSERT_TRUE(
      engine_->store()
          .contradictions()
          ->CloseContradiction(rec[0].id, ContradictionStatus::kDismissed, std::nullopt, clock_.now)
          .ok());
  SearchResponse r = Search("XState actions side effects");
  ASSERT_EQ(r.results.size(), 2u);
  for (const LessonResult& x : r.results) {
    EXPECT_TRUE(x.contradicts.empty());
    EXPECT_TRUE(x.warning.empty());
    EXPECT_DOUBLE_EQ(x.explanation.contradiction_factor, 1);
  }
  (void)use;
}

TEST_F(ResultContradictionsTest, AnUnrelatedPairIsNotFlagged) {
  // Opposite stances on one topic, but different subjects.
  Insert("l-a", "Use fake timers for setTimeout in tests",
         "Fake timers make setTimeout tests instant.", "testing");
  Insert("l-b", "Avoid snapshot files for large API responses in tests",
         "Large snapshots of API responses hide regressions.", "testing");
  SearchResponse r = Search("tests");
  ASSERT_EQ(r.results.size(), 2u);
  for (const LessonResult& x : r.results) {
    EXPECT_TRUE(x.contradicts.empty()) << x.warning;
    EXPECT_TRUE(x.warning.empty());
  }
}

TEST_F(ResultContradictionsTest, TrustOrdersByConfidenceThenPositiveFeedback) {
  // Higher confidence wins even when it matched worse.
  Insert("l-low", "Always mock the network in unit tests",
         "Mock the network in unit tests; network mocks keep unit tests fast and network free.",
         "testing", 0.4);
  Insert("l-high", "Never mock the network in unit tests",
         "Mocked network calls hide real failures.", "testing", 0.9);
  SearchResponse r = Search("mock network unit tests fast");
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].lesson.id, "l-high");
  EXPECT_NE(r.results[1].warning.find("confidence 0.90 vs 0.40"), std::string::npos)
      << r.results[1].warning;

  // Equal confidence and age: positive feedback decides.
  Insert("m-a", "Always pin exact dependency versions in the lockfile",
         "Pin exact dependency versions in the lockfile.", "deps");
  Insert("m-b", "Never pin exact dependency versions in the lockfile",
         "Pinning exact dependency versions in the lockfile blocks fixes.", "deps");
  FeedbackEvent e;
  e.id = NewId(clock_.now);
  e.target_id = "m-b";
  e.signal = FeedbackSignal::kHelped;
  e.created_at = clock_.now;
  ASSERT_TRUE(engine_->store().feedback()->RecordFeedback(e).ok());
  SearchResponse d = Search("pin exact dependency versions lockfile");
  ASSERT_EQ(d.results.size(), 2u);
  EXPECT_EQ(d.results[0].lesson.id, "m-b");
  EXPECT_DOUBLE_EQ(d.results[1].explanation.contradiction_factor, 0.5);
  EXPECT_NE(d.results[1].warning.find("positive feedback 1 vs 0"), std::string::npos)
      << d.results[1].warning;
}

TEST_F(ResultContradictionsTest, NoFlagWhenOnlyOneSideIsReturned) {
  Lesson use = Add("Use XState actions for side effects", "Use XState actions to run side effects.",
                   "xstate");
  Add("Avoid XState actions for side effects", "Avoid XState actions for side effects.", "xstate");
  SearchResponse r = Search("XState actions side effects", /*limit=*/1);
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_TRUE(r.results[0].contradicts.empty());
  EXPECT_TRUE(r.results[0].warning.empty());
  EXPECT_DOUBLE_EQ(r.results[0].explanation.contradiction_factor, 1);
  (void)use;
}

TEST_F(ResultContradictionsTest, ContextLessonsAreFlaggedToo) {
  Add("Use XState actions for side effects", "Use XState actions to run side effects.", "xstate");
  Add("Avoid XState actions for side effects", "Avoid XState actions for side effects.", "xstate");
  ContextRequest q;
  q.description = "XState actions side effects";
  auto r = engine_->RetrieveContext(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->lessons.size(), 2u);
  EXPECT_EQ(r->lessons[0].contradicts.size(), 1u);
  EXPECT_EQ(r->lessons[1].contradicts.size(), 1u);
  EXPECT_FALSE(r->lessons[1].warning.empty());
}

}  // namespace
}  // namespace engram
