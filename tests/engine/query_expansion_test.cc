// Query expansion: co-occurring tags and topics, cluster neighbours, limits,
// and its merge into lesson search (weighted below the original terms,
// listed in the explanation, disabled by expand=false).
#include "learn/query_expansion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "engine/query_expansion.h"
#include "learning_engine_fixture.h"

namespace engram {
namespace {

using learn::ExpansionModel;
using learn::LessonKeys;
using testing::LearningEngineTest;

std::vector<std::string> Terms(const std::vector<QueryExpansion>& xs) {
  std::vector<std::string> out;
  out.reserve(xs.size());
  for (const auto& x : xs) out.push_back(x.term);
  return out;
}

TEST(QueryExpansionTest, CoOccurringTagsAndTopicsExpandAKnownTerm) {
  ExpansionModel m = ExpansionModel::Build(
      {LessonKeys{"xstate", {"actors", "state-machines"}}, LessonKeys{"xstate", {"actors"}},
       LessonKeys{"xstate", {"context"}}, LessonKeys{"react", {"hooks"}}},
      {});
  auto xs = m.Expand("my XState machine is a mess");
  // actors: 2 of 3 xstate lessons (0.67); context and machines: once only.
  ASSERT_EQ(Terms(xs), std::vector<std::string>{"actors"});
  EXPECT_EQ(xs[0].source, "tag");
  EXPECT_EQ(xs[0].from, "xstate");
  EXPECT_NEAR(xs[0].strength, 2.0 / 3.0, 1e-9);
  // From a tag to its topic.
  auto back = m.Expand("actors");
  ASSERT_EQ(Terms(back), std::vector<std::string>{"xstate"});
  EXPECT_EQ(back[0].source, "topic");
  EXPECT_NEAR(back[0].strength, 1.0, 1e-9);
  EXPECT_TRUE(m.Expand("unrelated words").empty());
  EXPECT_TRUE(m.Expand("xstate actors").empty());  // already in the query
}

TEST(QueryExpansionTest, ThresholdsAndLimit) {
  ExpansionModel m = ExpansionModel::Build(
      {LessonKeys{"go", {"errors", "context"}}, LessonKeys{"go", {"errors", "context"}}}, {});
  learn::ExpansionOptions o;
  EXPECT_EQ(Terms(m.Expand("go", o)), (std::vector<std::string>{"context", "errors"}));
  o.max_terms = 1;
  EXPECT_EQ(Terms(m.Expand("go", o)), std::vector<std::string>{"context"});  // ties: a-z
  o = {};
  o.min_cooccurrence = 3;
  EXPECT_TRUE(m.Expand("go", o).empty());
}

TEST(QueryExpansionTest, ClusterNeighboursComeFromLabelsWithTwoOrMoreTerms) {
  ExpansionModel m = ExpansionModel::Build({}, {{"xstate", "actors", "bloat"}, {"postgres"}});
  auto xs = m.Expand("xstate machine");
  EXPECT_EQ(Terms(xs), (std::vector<std::string>{"actors", "bloat"}));
  EXPECT_EQ(xs[0].source, "cluster");
  EXPECT_DOUBLE_EQ(xs[0].strength, 0.5);
  EXPECT_TRUE(m.Expand("postgres").empty());
}

class ExpansionSearchTest : public LearningEngineTest {};

TEST_F(ExpansionSearchTest, ExpandedHitsRankBelowOriginalHitsAndAreExplained) {
  Lesson direct = Add("XState machine structure", "Keep each XState machine small.", "xstate",
                      LessonType::kBestPractice, 0.5, "", {"actors"});
  Add("Spawn children", "Spawned actors own their state.", "xstate", LessonType::kBestPractice, 0.5,
      "", {"actors"});
  Lesson indirect = Add("Actor mailboxes", "Actors process one message at a time.", "concurrency",
                        LessonType::kBestPractice, 0.5, "", {"actors"});
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "my xstate machine is a mess";
  r.expand = false;
  auto plain = engine_->SearchLessons(r);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_FALSE(plain->expanded);
  EXPECT_TRUE(plain->expansions.empty());
  for (const auto& x : plain->results) EXPECT_NE(x.lesson.id, indirect.id);

  r.expand = true;
  auto expanded = engine_->SearchLessons(r);
  ASSERT_TRUE(expanded.ok()) << expanded.status().ToString();
  EXPECT_TRUE(expanded->expanded);
  ASSERT_FALSE(expanded->expansions.empty());
  EXPECT_EQ(expanded->expansions[0].term, "actors");
  ASSERT_GE(expanded->results.size(), 3u);
  EXPECT_EQ(expanded->results[0].lesson.id, direct.id);
  const LessonResult* via = nullptr;
  for (const auto& x : expanded->results) {
    if (x.lesson.id == indirect.id) via = &x;
  }
  ASSERT_NE(via, nullptr) << "the expansion term did not bring the related lesson in";
  EXPECT_GT(via->explanation.expansion, 0);
  EXPECT_LE(via->explanation.lexical, 0.5 + 1e-9);
  EXPECT_LT(via->score, expanded->results[0].score);
  EXPECT_EQ(expanded->results[0].explanation.expansion, 0);
  Json j = ToJson(*expanded);
  EXPECT_EQ(j["expansion"]["terms"][0]["term"], "actors");
  EXPECT_EQ(j["expansion"]["enabled"], true);
}

TEST_F(ExpansionSearchTest, AnExpansionTermInTooManyLessonsIsNotSearched) {
  // As in the test above, but "actors" is in 1,100 more lessons: over 1 % of
  // the store and over 1,000 rows (kExpansionMaxWordShare), so the
  // expansion search leaves it out, though it is still listed as a term.
  Add("XState machine structure", "Keep each XState machine small.", "xstate",
      LessonType::kBestPractice, 0.5, "", {"actors"});
  Add("Spawn children", "Spawned actors own their state.", "xstate", LessonType::kBestPractice, 0.5,
      "", {"actors"});
  Lesson indirect = Add("Actor mailboxes", "Actors process one message at a time.", "concurrency",
                        LessonType::kBestPractice, 0.5, "", {"actors"});
  ASSERT_TRUE(engine_->store()
                  .RunInTransaction([&]() -> Status {
                    for (int i = 0; i < 1100; ++i) {
                      Lesson l;
                      l.id = "filler-" + std::to_string(i);
                      l.topic = "filler";
                      l.title = "Filler " + std::to_string(i);
                      l.content = "actors appear in filler text number " + std::to_string(i);
                      l.created_at = l.updated_at = clock_.now;
                      ENGRAM_RETURN_IF_ERROR(engine_->store().InsertLesson(l));
                    }
                    return Status::Ok();
                  })
                  .ok());
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "my xstate machine is a mess";
  auto got = engine_->SearchLessons(r);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_FALSE(got->expansions.empty());
  EXPECT_EQ(got->expansions[0].term, "actors");
  ASSERT_FALSE(got->results.empty());
  // (Other expansion terms, such as a cluster neighbour, still count.)
  for (const auto& x : got->results) EXPECT_NE(x.lesson.id, indirect.id);
}

TEST_F(ExpansionSearchTest, ModelFollowsTheStore) {
  Add("Go errors", "Wrap errors with context.", "go", LessonType::kBestPractice, 0.5, "",
      {"errors"});
  SearchRequest r;
  r.min_relevance = 0.0;  // every result: not a relevance test
  r.query = "go";
  auto before = engine_->SearchLessons(r);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->expansions.empty());  // one co-occurrence is not enough
  clock_.now += 1000;
  Add("Go error wrapping", "Use %w.", "go", LessonType::kBestPractice, 0.5, "", {"errors"});
  auto after = engine_->SearchLessons(r);
  ASSERT_TRUE(after.ok());
  ASSERT_FALSE(after->expansions.empty());
  EXPECT_EQ(after->expansions[0].term, "errors");
}

// Issue 20 §5: on a store of some size the model is not relearned after
// every write (each search beside a writer paid for it), only once enough
// lessons changed.
TEST_F(ExpansionSearchTest, ALargerStoreRelearnsAfterEnoughChanges) {
  // Straight into the store (as an import would): no dedupe merges them.
  int next = 0;
  auto filler = [&](int n) {
    for (int i = 0; i < n; ++i, ++next) {
      Lesson l;
      l.id = "filler-" + std::to_string(next);
      l.type = LessonType::kExample;
      l.topic = "topic" + std::to_string(next);
      l.title = "Filler " + std::to_string(next);
      l.content = "Body " + std::to_string(next);
      l.tags = {"tag" + std::to_string(next)};
      l.source = LessonSource::kManual;
      l.created_at = l.updated_at = clock_.now;
      ASSERT_TRUE(engine_->store().InsertLesson(l).ok());
    }
  };
  const int floor = static_cast<int>(kExpansionRelearnFloor);
  filler(floor);
  SearchRequest r;
  r.min_relevance = 0.0;
  r.query = "go";
  auto expansions = [&] {
    auto got = engine_->SearchLessons(r);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? Terms(got->expansions) : std::vector<std::string>{};
  };
  EXPECT_TRUE(expansions().empty());  // learned here
  Add("Go errors", "Wrap errors with context.", "go", LessonType::kBestPractice, 0.5, "",
      {"errors"});
  Add("Go error wrapping", "Use %w.", "go", LessonType::kBestPractice, 0.5, "", {"errors"});
  EXPECT_TRUE(expansions().empty());  // two changes: the model is kept
  filler(static_cast<int>(std::max<std::int64_t>(
      kExpansionRelearnMin, static_cast<std::int64_t>(kExpansionRelearnShare * floor))));
  const std::vector<std::string> relearned = expansions();
  ASSERT_FALSE(relearned.empty());
  EXPECT_EQ(relearned[0], "errors");
}

// Issue 20 §6: a server's searches (LessonIndexOptions::background) never
// learn the model themselves (it counts every lesson's topic and tags, a
// second at 1M): they use the model held, even an older one, and the
// learner thread relearns it; a warm-up learns it there before any search.
TEST_F(ExpansionSearchTest, ServersLearnTheModelOffTheRequestPath) {
  EngineOptions o;
  o.lesson_index.background = true;
  Open(false, o);
  Add("Go errors", "Wrap errors with context.", "go", LessonType::kBestPractice, 0.5, "",
      {"errors"});
  Add("Go error wrapping", "Use %w.", "go", LessonType::kBestPractice, 0.5, "", {"errors"});
  SearchRequest r;
  r.min_relevance = 0.0;
  r.query = "go";
  auto terms = [&] {
    auto got = engine_->SearchLessons(r);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? Terms(got->expansions) : std::vector<std::string>{};
  };
  // Until the learner is done (bounded: it learns from four lessons).
  auto eventually = [&](const std::string& term) {
    for (int i = 0; i < 500; ++i) {
      const std::vector<std::string> t = terms();
      if (std::find(t.begin(), t.end(), term) != t.end()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  };
  EXPECT_TRUE(terms().empty()) << "no model yet: none learned on the request path";
  ASSERT_TRUE(eventually("errors"));
  // A write makes the model older than the lessons: the next search still
  // has it (not none), and the relearned one follows.
  Add("Go panics", "Recover only at the top.", "go", LessonType::kBestPractice, 0.5, "",
      {"panics"});
  Add("Go panic handling", "Do not panic in libraries.", "go", LessonType::kBestPractice, 0.5, "",
      {"panics"});
  const std::vector<std::string> held = terms();
  EXPECT_NE(std::find(held.begin(), held.end(), "errors"), held.end());
  EXPECT_TRUE(eventually("panics"));

  // A fresh server's warm-up learns it before the first search.
  Open(false, o);
  auto warm = engine_->Warm();
  ASSERT_TRUE(warm.ok()) << warm.status().ToString();
  EXPECT_TRUE(warm->expansion_model);
  const std::vector<std::string> first = terms();
  EXPECT_NE(std::find(first.begin(), first.end(), "panics"), first.end());
}

}  // namespace
}  // namespace engram
