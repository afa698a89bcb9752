// Engine::Warm: loads the lesson vector index from its file (never
// rebuilds it), the frequent words' postings of lessons and episodes within
// one budget, reports where it got to (warm_status), stops when asked, and
// leaves search results as they were.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "engram/candidate_queue.h"
#include "engram/engine.h"
#include "learning_engine_fixture.h"

namespace engram {
namespace {

class WarmTest : public testing::LearningEngineTest {
 protected:
  // 30 lessons that all say "logging" (title) and "testing" (topic).
  // (near-duplicates allowed: they would otherwise merge).
  void AddLessons() {
    for (int i = 0; i < 30; ++i) {
      NewLesson l;
      l.topic = "testing";
      l.title = "Logging rule " + std::to_string(i);
      l.content = "Structured logging with field " + std::to_string(i) + " and level " +
                  std::to_string(i % 3);
      l.on_duplicate = DuplicatePolicy::kAllow;
      ASSERT_TRUE(engine_->AddLesson(l).ok());
    }
  }
  std::vector<std::string> Search(const std::string& query) {
    SearchRequest q;
    q.min_relevance = 0.0;  // every result: not a relevance test
    q.query = query;
    auto r = engine_->SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& x : r->results) ids.push_back(x.lesson.id);
    }
    return ids;
  }
  static WarmOptions Options() {
    WarmOptions o;
    o.fulltext.min_rows = 2;
    return o;
  }
};

TEST_F(WarmTest, LoadsTheIndexFileAndTheFrequentWordsWithoutARebuild) {
  Open(true);
  AddLessons();
  const std::vector<std::string> before = Search("structured logging level");
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(engine_->warm_status().state, WarmState::kNotRun);

  Open(true);  // a new Engine: nothing in memory, the index file is current
  auto warmed = engine_->Warm(Options());
  ASSERT_TRUE(warmed.ok()) << warmed.status().ToString();
  EXPECT_TRUE(warmed->vector_index_loaded);
  EXPECT_EQ(warmed->vector_items, 30u);
  EXPECT_TRUE(warmed->expansion_model);
  // "logging", "testing", "structured", "rule", ... are in every lesson.
  EXPECT_GE(warmed->lessons.words, 4);
  EXPECT_GE(warmed->lessons.postings, 4 * 30);
  EXPECT_FALSE(warmed->stopped);
  LessonIndexStatus index = engine_->lesson_index_status();
  EXPECT_TRUE(index.loaded);
  EXPECT_EQ(index.rebuilds, 0);

  const WarmStatus status = engine_->warm_status();
  EXPECT_EQ(status.state, WarmState::kDone);
  EXPECT_EQ(status.stats.lessons.words, warmed->lessons.words);
  EXPECT_STREQ(WarmStateName(status.state), "done");

  EXPECT_EQ(Search("structured logging level"), before);
  EXPECT_EQ(engine_->lesson_index_status().rebuilds, 0);
}

TEST_F(WarmTest, AnIndexFileBehindTheStoreIsLoadedAndCaughtUp) {
  Open(true);
  AddLessons();
  ASSERT_FALSE(Search("logging").empty());  // builds and saves the index file
  Open(true);
  Add("Log rotation", "Rotate logging files daily", "testing");  // the file is now behind
  Open(true);
  auto warmed = engine_->Warm(Options());
  ASSERT_TRUE(warmed.ok()) << warmed.status().ToString();
  // The one lesson it misses comes from the store's change log: no rebuild.
  EXPECT_TRUE(warmed->vector_index_loaded);
  LessonIndexStatus s = engine_->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);
  EXPECT_EQ(s.caught_up, 1);
  EXPECT_GT(warmed->lessons.words, 0);
  EXPECT_EQ(Search("rotate logging files").size(), 10u);  // the default limit
  EXPECT_EQ(engine_->lesson_index_status().rebuilds, 0);
}

TEST_F(WarmTest, EpisodesShareTheBudgetAndNoEmbedderMeansNoIndex) {
  Open(false);
  AddLessons();
  for (int i = 0; i < 5; ++i) {
    StartEpisodeRequest r;
    r.description = "Fix the flaky upload test " + std::to_string(i);
    ASSERT_TRUE(engine_->StartEpisode(r).ok());
  }
  auto all = engine_->Warm(Options());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_FALSE(all->vector_index_loaded);
  EXPECT_GT(all->lessons.postings, 0);
  EXPECT_GE(all->episodes.words, 4);  // fix, flaki, upload, test
  EXPECT_GE(all->episodes.postings, 4 * 5);

  // A budget of exactly what the lessons took leaves nothing for episodes.
  Open(false);
  WarmOptions tight = Options();
  tight.fulltext.max_postings = static_cast<std::size_t>(all->lessons.postings);
  auto got = engine_->Warm(tight);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->lessons.postings, all->lessons.postings);
  EXPECT_EQ(got->episodes.postings, 0);
  EXPECT_GT(got->episodes.words_skipped, 0);
}

TEST_F(WarmTest, AStopRequestedBeforehandLoadsNothing) {
  Open(true);
  AddLessons();
  ASSERT_FALSE(Search("logging").empty());
  Open(true);
  std::stop_source stop;
  stop.request_stop();
  WarmOptions o = Options();
  o.stop = stop.get_token();
  auto got = engine_->Warm(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->stopped);
  EXPECT_FALSE(got->vector_index_loaded);
  EXPECT_EQ(got->lessons.words, 0);
  EXPECT_EQ(got->pages.bytes, 0);
  EXPECT_EQ(engine_->warm_status().state, WarmState::kStopped);
  EXPECT_FALSE(engine_->lesson_index_status().loaded);
}

TEST_F(WarmTest, AFailureIsReportedInTheStatus) {
  Open(false);
  AddLessons();
  WarmOptions bad;
  bad.fulltext.min_rows = 0;
  auto got = engine_->Warm(bad);
  ASSERT_FALSE(got.ok());
  const WarmStatus status = engine_->warm_status();
  EXPECT_EQ(status.state, WarmState::kFailed);
  EXPECT_NE(status.error.find("min_rows"), std::string::npos) << status.error;
}

// A server warms up on a second thread while it serves: lesson writes made
// inside a transaction (approving a candidate) and the warm-up's index load
// take the same two locks, and must take them in one order.
TEST_F(WarmTest, WarmingUpBesideApprovalsNeverDeadlocks) {
  Open(true);
  AddLessons();
  ASSERT_FALSE(Search("logging").empty());  // the index is built and saved
  CandidateQueue queue = engine_->candidates();
  int approvals = 0;
  auto both = std::async(std::launch::async, [&] {
    std::thread warm([&] {
      for (int i = 0; i < 40; ++i) EXPECT_TRUE(engine_->Warm(Options()).ok());
    });
    for (int i = 0; i < 40; ++i) {
      CandidateProposal p;
      p.topic = "testing";
      p.title = "Approved rule " + std::to_string(i);
      p.content = "Rotate credentials number " + std::to_string(i) + " every quarter.";
      p.key = "rule-" + std::to_string(i);
      auto proposed = queue.Propose(CandidateOrigin::kTranscript, "chat-" + std::to_string(i), {p});
      EXPECT_TRUE(proposed.ok()) << proposed.status().ToString();
      if (!proposed.ok() || proposed->empty()) continue;
      auto approved = queue.Approve((*proposed)[0].candidate.id, {}, "ok");
      EXPECT_TRUE(approved.ok()) << approved.status().ToString();
      approvals += approved.ok() ? 1 : 0;
    }
    warm.join();
  });
  if (both.wait_for(std::chrono::seconds(60)) == std::future_status::timeout) {
    ADD_FAILURE() << "Warm and Approve deadlocked";
    std::fflush(stdout);
    std::_Exit(1);  // the threads cannot be joined
  }
  EXPECT_EQ(approvals, 40);
}

}  // namespace
}  // namespace engram
