// Absolute relevance (docs/RETRIEVAL.md, "Absolute relevance"): query
// coverage from the full-text index, the calibrated map, the threshold, and
// no_relevant_memory with the near miss in lesson search and
// retrieve_context.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../learn/learning_engine_fixture.h"
#include "engine/relevance.h"
#include "engram/engine.h"

namespace engram {
namespace {

class RelevanceTest : public testing::LearningEngineTest {
 protected:
  Lesson Add(const std::string& title, const std::string& content) {
    return LearningEngineTest::Add(title, content, "testing");
  }
  std::vector<double> Coverage(std::string_view query, const std::vector<std::string>& ids) {
    auto c = engine_->store().fulltext()->QueryCoverage(TextCorpus::kLessons, query, ids);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : std::vector<double>{};
  }
  // A small corpus on one subject, so that "jest" and "timers" are rare.
  void AddCorpus() {
    timers_ = Add("Use fake timers in jest", "Replace setTimeout with jest fake timers.");
    Add("Await async setup", "Unawaited promises in beforeEach make tests flaky.");
    Add("Name tests by behaviour", "A test name says what the unit does and expects.");
    Add("Avoid global fixtures", "Each test builds the data it needs.");
    Add("Run tests in parallel", "Independent tests can run on every core.");
  }
  Lesson timers_;
};

TEST_F(RelevanceTest, CoverageIsTheShareOfTheQueryIdfMassTheTextHolds) {
  AddCorpus();
  // Every word held (stemmed as FTS5 stems them: "timer" finds "timers").
  EXPECT_DOUBLE_EQ(Coverage("jest timer", {timers_.id})[0], 1.0);
  // A word no lesson holds weighs the most: log(2N + 1) with N = 5 rows.
  const double jest = std::log((5 - 1 + 0.5) / (1 + 0.5));
  const double unseen = std::log(11.0);
  EXPECT_NEAR(Coverage("jest kubernetes", {timers_.id})[0], jest / (jest + unseen), 1e-9);
  // Unknown ids and queries without words cover nothing.
  EXPECT_EQ(Coverage("jest", {"no-such-lesson", timers_.id}), (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(Coverage("the and of", {timers_.id}), (std::vector<double>{0.0}));
}

TEST(AbsoluteRelevance, IsAProbabilityRisingWithCoverageAndCosine) {
  for (bool hybrid : {false, true}) {
    double last = -1;
    for (double c = 0; c <= 1.0001; c += 0.1) {
      const double p = AbsoluteRelevance(c, 0.2, hybrid);
      EXPECT_GT(p, last);
      EXPECT_GE(p, 0);
      EXPECT_LE(p, 1);
      last = p;
    }
  }
  EXPECT_GT(AbsoluteRelevance(0.2, 0.6, true), AbsoluteRelevance(0.2, 0.1, true));
  // BM25 only: the cosine is not an input.
  EXPECT_DOUBLE_EQ(AbsoluteRelevance(0.2, 0.9, false), AbsoluteRelevance(0.2, 0.0, false));
  // The default threshold is reachable in both modes and not reached by
  // a result that shares no word and no meaning with the query.
  EXPECT_GE(AbsoluteRelevance(1.0, 0.0, false), DefaultMinRelevance());
  EXPECT_LT(AbsoluteRelevance(0.0, 0.0, false), DefaultMinRelevance());
  EXPECT_LT(AbsoluteRelevance(0.0, 0.0, true), DefaultMinRelevance());
}

TEST(AbsoluteRelevance, ThresholdOutsideTheUnitIntervalIsRejected) {
  EXPECT_DOUBLE_EQ(*ResolveMinRelevance(std::nullopt), DefaultMinRelevance());
  EXPECT_DOUBLE_EQ(*ResolveMinRelevance(0.0), 0.0);
  EXPECT_EQ(ResolveMinRelevance(-0.1).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveMinRelevance(1.5).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveMinRelevance(std::nan("")).status().code(), ErrorCode::kInvalidArgument);
}

TEST(AbsoluteRelevance, DropIrrelevantKeepsOrderAndReturnsTheBestDropped) {
  auto result = [](const std::string& id, double a) {
    EpisodeResult r;
    r.id = id;
    r.explanation.absolute_relevance = a;
    return r;
  };
  std::vector<EpisodeResult> v = {result("a", 0.9), result("b", 0.1), result("c", 0.5),
                                  result("d", 0.3)};
  std::optional<EpisodeResult> miss = DropIrrelevant(v, 0.5);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].id, "a");
  EXPECT_EQ(v[1].id, "c");  // exactly at the threshold: kept
  ASSERT_TRUE(miss);
  EXPECT_EQ(miss->id, "d");
}

TEST_F(RelevanceTest, OffTopicSearchSaysNoRelevantMemoryWithTheNearMiss) {
  AddCorpus();
  SearchRequest q;
  q.query = "When did Caroline go to the support group in Boston tests";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->results.empty());
  EXPECT_TRUE(r->no_relevant_memory);
  EXPECT_DOUBLE_EQ(r->min_relevance, DefaultMinRelevance());
  ASSERT_TRUE(r->near_miss);  // "tests" matched something
  EXPECT_LT(r->near_miss->explanation.absolute_relevance, DefaultMinRelevance());
  EXPECT_GT(r->near_miss->explanation.coverage, 0);
  const Json j = ToJson(*r);
  EXPECT_EQ(j["no_relevant_memory"], true);
  EXPECT_TRUE(j["near_miss"]["explanation"].contains("absolute_relevance"));

  // Threshold 0: every result comes back, with the same absolute relevance.
  q.min_relevance = 0.0;
  auto all = engine_->SearchLessons(q);
  ASSERT_TRUE(all.ok());
  ASSERT_FALSE(all->results.empty());
  EXPECT_FALSE(all->no_relevant_memory);
  EXPECT_FALSE(all->near_miss);
  double best = 0;
  for (const LessonResult& x : all->results)
    best = std::max(best, x.explanation.absolute_relevance);
  EXPECT_DOUBLE_EQ(best, r->near_miss->explanation.absolute_relevance);

  q.min_relevance = 2.0;
  EXPECT_EQ(engine_->SearchLessons(q).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(RelevanceTest, OnTopicSearchKeepsTheLessonAndDropsTheRest) {
  AddCorpus();
  SearchRequest q;
  q.query = "jest fake timers for setTimeout";
  auto r = engine_->SearchLessons(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->results.empty());
  EXPECT_FALSE(r->no_relevant_memory);
  EXPECT_FALSE(r->near_miss);
  EXPECT_EQ(r->results[0].lesson.id, timers_.id);
  EXPECT_DOUBLE_EQ(r->results[0].explanation.coverage, 1.0);
  for (const LessonResult& x : r->results) {
    EXPECT_GE(x.explanation.absolute_relevance, DefaultMinRelevance());
  }
}

TEST_F(RelevanceTest, RetrieveContextDropsUnrelatedEpisodesAndLessons) {
  AddCorpus();
  StartEpisodeRequest s;
  s.description = "Fix flaky jest tests caused by real timers";
  auto e = engine_->StartEpisode(s);
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(engine_->CompleteEpisode(e->id, SuccessOutcome{}).ok());

  ContextRequest c;
  c.description = "Deploy the web service with Docker compose tests";
  auto off = engine_->RetrieveContext(c);
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_TRUE(off->episodes.empty());
  EXPECT_TRUE(off->lessons.empty());
  EXPECT_TRUE(off->no_relevant_memory);
  ASSERT_TRUE(off->episode_near_miss);  // shares "tests"
  EXPECT_EQ(off->episode_near_miss->id, e->id);
  EXPECT_LT(off->episode_near_miss->explanation.absolute_relevance, DefaultMinRelevance());
  ASSERT_TRUE(off->lesson_near_miss);
  const Json j = ToJson(*off);
  EXPECT_EQ(j["near_miss"]["episode"]["id"], e->id);
  EXPECT_TRUE(j["near_miss"].contains("lesson"));

  c.description = "flaky jest tests with real timers";
  auto on = engine_->RetrieveContext(c);
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  ASSERT_EQ(on->episodes.size(), 1u);
  EXPECT_EQ(on->episodes[0].id, e->id);
  EXPECT_FALSE(on->no_relevant_memory);
  EXPECT_FALSE(on->episode_near_miss);
  EXPECT_GE(on->episodes[0].explanation.absolute_relevance, DefaultMinRelevance());
}

}  // namespace
}  // namespace engram
