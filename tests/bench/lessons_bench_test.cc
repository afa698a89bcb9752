// `engram-bench lessons` (src/bench/lessons_bench.h): the engine, BM25-only,
// dense-only and best-of-two figures of one run.
#include "bench/lessons_bench.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engram/embedder.h"

namespace engram::bench {
namespace {

namespace fs = std::filesystem;

class LessonsBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("engram-lessons-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "t-lessons.jsonl")
        << "{\"id\": \"t-1\", \"topic\": \"testing\", \"title\": \"Use fake timers in jest\", "
           "\"content\": \"Replace setTimeout with jest fake timers.\"}\n"
           "{\"id\": \"t-2\", \"topic\": \"testing\", \"title\": \"Await async setup\", "
           "\"content\": \"Unawaited promises in beforeEach make tests flaky.\"}\n"
           "{\"id\": \"t-3\", \"title\": \"Avoid global fixtures\", "
           "\"content\": \"Each test builds the data it needs.\"}\n";
    // 1: both find it first. 2: words of t-2 only. 3: nothing matches.
    std::ofstream(dir_ / "t-queries.jsonl")
        << "{\"query\": \"jest fake timers setTimeout\", \"expected\": \"t-1\"}\n"
           "{\"query\": \"unawaited promises beforeEach\", \"expected\": \"t-2\"}\n"
           "{\"query\": \"volcano eruption lava\", \"expected\": \"t-3\"}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<Engine> Open(const std::string& name, bool embed) {
    EngineOptions o;
    if (embed) {
      auto h = OpenHashingEmbedder({});
      EXPECT_TRUE(h.ok());
      o.embedder = std::shared_ptr<const Embedder>(std::move(*h));
    }
    auto e = Engine::OpenSqlite((dir_ / name).string(), o);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(*e) : nullptr;
  }
  fs::path dir_;
};

TEST_F(LessonsBenchTest, ReportsEngineBm25DenseAndBestOfTwo) {
  auto d = LoadAbstainData(dir_.string(), "t", "", 0);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto engine = Open("h.db", true);
  auto keyword = Open("k.db", false);
  ASSERT_TRUE(engine && keyword);
  auto r = RunLessons(*engine, *keyword, *d, LessonsOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mode, "hybrid");
  EXPECT_EQ(r->model, "hashing-v1-512");
  EXPECT_EQ(r->lessons, 3);
  for (const RankFigures* f : {&r->engine, &r->bm25, &r->dense, &r->best_of_two}) {
    EXPECT_EQ(f->queries, 3);
  }
  // BM25: the first two are found first, the third not at all.
  EXPECT_NEAR(r->bm25.r1, 200.0 / 3, 1e-9);
  EXPECT_NEAR(r->bm25.mrr, 2.0 / 3, 1e-9);
  EXPECT_EQ(r->bm25.empty, 1);
  // The hashing embedder ranks every lesson: the third query's lesson is
  // somewhere in the top 3, so dense R@5 counts all three.
  EXPECT_NEAR(r->dense.r5, 100.0, 1e-9);
  EXPECT_GE(r->dense.r1, 200.0 / 3 - 1e-9);
  // Best of two is never worse than either.
  EXPECT_GE(r->best_of_two.mrr, r->bm25.mrr - 1e-12);
  EXPECT_GE(r->best_of_two.mrr, r->dense.mrr - 1e-12);
  const Json j = ToJson(*r);
  EXPECT_EQ(j["bm25"]["queries"], 3);
  EXPECT_TRUE(j.contains("dense"));
  EXPECT_NE(FormatReport(*r).find("dense only"), std::string::npos);
}

TEST_F(LessonsBenchTest, SituationsRunAgainOnceTheLessonsCarryThem) {
  // t-3's situation holds the words of its query: BM25 then finds it.
  std::ofstream(dir_ / "t-situations.jsonl")
      << "{\"id\": \"t-3\", \"situation\": \"after the volcano eruption the lava map test "
         "broke\"}\n"
         "{\"id\": \"t-3\", \"situation\": \"a second one\"}\n";
  auto d = LoadAbstainData(dir_.string(), "t", "", 0);
  ASSERT_TRUE(d.ok());
  auto s = LoadSituations(dir_.string(), "t");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ(s->at("t-3").size(), 2u);
  auto engine = Open("h.db", false);
  auto keyword = Open("k.db", false);
  LessonsOptions o;
  o.situations = *s;
  auto r = RunLessons(*engine, *keyword, *d, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->situations, 2);
  EXPECT_NEAR(r->bm25.r1, 200.0 / 3, 1e-9);
  EXPECT_NEAR(r->bm25_situations.r1, 100.0, 1e-9);
  EXPECT_NEAR(r->engine_situations.r1, 100.0, 1e-9);
  EXPECT_TRUE(ToJson(*r).contains("engine_with_situations"));
  // No file: no situations; a bad line is named.
  auto none = LoadSituations(dir_.string(), "missing");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  std::ofstream(dir_ / "bad-situations.jsonl") << "{\"id\": \"x\"}\n";
  auto bad = LoadSituations(dir_.string(), "bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad-situations.jsonl:1"), std::string::npos);
}

TEST_F(LessonsBenchTest, KeywordOnlyRunHasNoDenseRowAndRefusesAnEmbeddingBaseline) {
  auto d = LoadAbstainData(dir_.string(), "t", "", 0);
  ASSERT_TRUE(d.ok());
  auto engine = Open("h.db", false);
  auto keyword = Open("k.db", false);
  auto r = RunLessons(*engine, *keyword, *d, LessonsOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mode, "bm25");
  EXPECT_EQ(r->dense.queries, 0);
  EXPECT_FALSE(ToJson(*r).contains("dense"));
  EXPECT_DOUBLE_EQ(r->engine.r1, r->bm25.r1);
  auto with_embedder = Open("e.db", true);
  auto bad = RunLessons(*engine, *with_embedder, *d, LessonsOptions{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no embedder"), std::string::npos);
}

}  // namespace
}  // namespace engram::bench
