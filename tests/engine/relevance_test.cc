// Absolute relevance (docs/RETRIEVAL.md, "Absolute relevance"): query
// coverage from the full-text index, the calibrated map, the threshold, and
// no_relevant_memory with the near miss in lesson search and
// retrieve_context.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/relevance.h"
#include "engram/engine.h"
#include "learning_engine_fixture.h"

namespace engram {
namespace {

class RelevanceTest : public testing::LearningEngineTest {
 protected:
  Lesson Add(const std::string& title, const std::string& content) {
    return LearningEngineTest::Add(title, content, "testing");
  }
  std::vector<TermCoverage> Coverage(std::string_view query, const std::vector<std::string>& ids) {
    auto c = engine_->store().fulltext()->QueryCoverage(TextCorpus::kLessons, query, ids);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : std::vector<TermCoverage>{};
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
  EXPECT_DOUBLE_EQ(Coverage("jest timer", {timers_.id})[0].share, 1.0);
  // idf = log(1 + (N - n + 0.5) / (n + 0.5)), N = 5 rows + 100 background
  // rows; a word no lesson holds weighs the most, log(2N + 2).
  const double jest = std::log1p((105 - 1 + 0.5) / (1 + 0.5));
  const double unseen = std::log(212.0);
  const TermCoverage k = Coverage("jest kubernetes", {timers_.id})[0];
  EXPECT_NEAR(k.share, jest / (jest + unseen), 1e-9);
  EXPECT_NEAR(k.matched, jest / unseen, 1e-9);
  // A word another lesson holds is not credited to this one ("flaky").
  const TermCoverage t = Coverage("flaky", {timers_.id})[0];
  EXPECT_DOUBLE_EQ(t.share, 0.0);  // the timers lesson does not hold it
  // Unknown ids and queries without words cover nothing.
  std::vector<TermCoverage> u = Coverage("jest", {"no-such-lesson", timers_.id});
  ASSERT_EQ(u.size(), 2u);
  EXPECT_DOUBLE_EQ(u[0].share, 0.0);
  EXPECT_DOUBLE_EQ(u[0].matched, 0.0);
  EXPECT_DOUBLE_EQ(u[1].share, 1.0);
  EXPECT_DOUBLE_EQ(Coverage("the and of", {timers_.id})[0].matched, 0.0);
}

TEST(AbsoluteRelevance, IsAProbabilityRisingWithCoverageAndCosine) {
  for (bool hybrid : {false, true}) {
    double last = -1;
    for (double c = 0; c <= 3.0001; c += 0.25) {
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
  EXPECT_GE(AbsoluteRelevance(2.0, 0.0, false), DefaultMinRelevance(false));
  EXPECT_LT(AbsoluteRelevance(0.0, 0.0, false), DefaultMinRelevance(false));
  EXPECT_GE(AbsoluteRelevance(0.0, 0.6, true), DefaultMinRelevance(true));
  EXPECT_LT(AbsoluteRelevance(0.0, 0.0, true), DefaultMinRelevance(true));
}

TEST(AbsoluteRelevance, ThresholdOutsideTheUnitIntervalIsRejected) {
  EXPECT_DOUBLE_EQ(*ResolveMinRelevance(std::nullopt, true), DefaultMinRelevance(true));
  EXPECT_DOUBLE_EQ(*ResolveMinRelevance(std::nullopt, false), DefaultMinRelevance(false));
  EXPECT_DOUBLE_EQ(*ResolveMinRelevance(0.0, false), 0.0);
  EXPECT_EQ(ResolveMinRelevance(-0.1, false).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveMinRelevance(1.5, true).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveMinRelevance(std::nan(""), false).status().code(), ErrorCode::kInvalidArgument);
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
  EXPECT_DOUBLE_EQ(r->min_relevance, DefaultMinRelevance(false));
  ASSERT_TRUE(r->near_miss);  // "tests" matched something
  EXPECT_LT(r->near_miss->explanation.absolute_relevance, DefaultMinRelevance(false));
  EXPECT_GT(r->near_miss->explanation.matched_idf, 0);
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
  EXPECT_GT(r->results[0].explanation.matched_idf, 2.0);
  for (const LessonResult& x : r->results) {
    EXPECT_GE(x.explanation.absolute_relevance, DefaultMinRelevance(false));
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
  EXPECT_LT(off->episode_near_miss->explanation.absolute_relevance, DefaultMinRelevance(false));
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
  EXPECT_GE(on->episodes[0].explanation.absolute_relevance, DefaultMinRelevance(false));
}

}  // namespace
}  // namespace engram
