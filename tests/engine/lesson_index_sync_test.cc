// The lesson index follows the Engine's own lesson writes in place
// (src/engine/lesson_index_sync.h) and falls back to a rebuild when the store
// was changed by someone else.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engram/embedder.h"
#include "engram/engine.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

class LessonIndexSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("engram-index-sync-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Engine> Open() {
    EngineOptions o;
    auto e = OpenHashingEmbedder();
    EXPECT_TRUE(e.ok());
    o.embedder = std::shared_ptr<const Embedder>(std::move(*e));
    auto engine = Engine::OpenSqlite((dir_ / "t.db").string(), o);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return std::move(*engine);
  }
  static Lesson Add(Engine& engine, const std::string& title, const std::string& content) {
    NewLesson l;
    l.type = LessonType::kBestPractice;
    l.topic = "testing";
    l.title = title;
    l.content = content;
    l.on_duplicate = DuplicatePolicy::kAllow;  // similar test lessons must not merge
    auto r = engine.AddLesson(l);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  static std::vector<std::string> Search(Engine& engine, const std::string& query,
                                         bool include_deprecated = false) {
    SearchRequest q;
    q.min_relevance = 0.0;  // every result: not a relevance test
    q.query = query;
    q.limit = 20;
    q.include_deprecated = include_deprecated;
    auto r = engine.SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& x : r->results) ids.push_back(x.lesson.id);
    }
    return ids;
  }
  static bool Has(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  fs::path dir_;
};

TEST_F(LessonIndexSyncTest, AddingALessonAfterASearchDoesNotRebuild) {
  auto engine = Open();
  Add(*engine, "Use structured logging", "json logs everywhere");
  EXPECT_FALSE(engine->lesson_index_status().loaded);  // no search yet: nothing to follow
  Search(*engine, "logging");
  LessonIndexStatus s = engine->lesson_index_status();
  ASSERT_TRUE(s.loaded);
  EXPECT_EQ(s.rebuilds, 1);
  EXPECT_EQ(s.last_rebuild_reason, "no index file");
  ASSERT_TRUE(engine->FlushLessonIndex().ok());  // the rebuilt index, saved in the background

  Lesson b = Add(*engine, "Log levels", "logging levels matter in production");
  s = engine->lesson_index_status();
  EXPECT_EQ(s.incremental_updates, 1);
  EXPECT_EQ(s.items, 2u);
  EXPECT_EQ(s.unsaved_changes, 1);
  EXPECT_FALSE(s.stale);

  EXPECT_TRUE(Has(Search(*engine, "logging levels"), b.id));
  s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 1);  // the search used the updated index as it was
}

TEST_F(LessonIndexSyncTest, UpdateDeprecateDeleteKeepResultsRight) {
  auto engine = Open();
  Lesson a = Add(*engine, "Retry flaky network calls", "use exponential backoff on retries");
  Lesson b = Add(*engine, "Cache database lookups", "memoise hot queries");
  Lesson c = Add(*engine, "Retry uploads in chunks", "retry each chunk separately");
  Search(*engine, "retry");
  ASSERT_EQ(engine->lesson_index_status().rebuilds, 1);

  LessonPatch patch;
  patch.content = "retry idempotent database writes with backoff";
  ASSERT_TRUE(engine->UpdateLesson(b.id, patch, "broaden").ok());
  ASSERT_TRUE(engine->DeprecateLesson(c.id, "superseded").ok());
  ASSERT_TRUE(engine->DeleteLesson(a.id).ok());
  LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.incremental_updates, 3);
  EXPECT_EQ(s.items, 2u);  // a removed; c kept (deprecated lessons are filtered, not dropped)
  EXPECT_FALSE(s.stale);

  const std::vector<std::string> live = Search(*engine, "retry backoff");
  EXPECT_TRUE(Has(live, b.id));
  EXPECT_FALSE(Has(live, a.id));
  EXPECT_FALSE(Has(live, c.id));
  const std::vector<std::string> all = Search(*engine, "retry backoff", true);
  EXPECT_TRUE(Has(all, c.id));
  EXPECT_FALSE(Has(all, a.id));
  EXPECT_EQ(engine->lesson_index_status().rebuilds, 1);

  // A rebuild from the store gives the same answers as the index that followed the writes.
  ASSERT_TRUE(engine->ReindexLessons().ok());
  EXPECT_EQ(engine->lesson_index_status().rebuilds, 2);
  EXPECT_EQ(Search(*engine, "retry backoff"), live);
  EXPECT_EQ(Search(*engine, "retry backoff", true), all);
}

TEST_F(LessonIndexSyncTest, AWriteByAnotherProcessIsCaughtUpWithoutARebuild) {
  auto engine = Open();
  Add(*engine, "Pin dependency versions", "lock files matter");
  Search(*engine, "dependency");
  auto other = Open();  // another process: its own connection, no shared state
  Lesson x = Add(*other, "Audit dependency licenses", "check licenses before adding");
  // The store no longer matches the index, so the index must not follow this write.
  Lesson y = Add(*engine, "Update dependencies weekly", "small dependency bumps are safer");
  LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.incremental_updates, 0);
  EXPECT_EQ(s.items, 1u);

  // The next search applies exactly the two lessons the store's change log
  // names (issue 20 §4): no rebuild.
  const std::vector<std::string> ids = Search(*engine, "dependency");
  EXPECT_TRUE(Has(ids, x.id));
  EXPECT_TRUE(Has(ids, y.id));
  s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 1);
  EXPECT_EQ(s.caught_up, 2);
  EXPECT_EQ(s.items, 3u);
  // And a delete by the other process leaves it too.
  ASSERT_TRUE(other->DeleteLesson(x.id).ok());
  EXPECT_FALSE(Has(Search(*engine, "dependency"), x.id));
  s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 1);
  EXPECT_EQ(s.caught_up, 3);
  EXPECT_EQ(s.items, 2u);
}

TEST_F(LessonIndexSyncTest, TheFileKeepsWritesAppliedInPlace) {
  {
    auto engine = Open();
    Add(*engine, "Use feature flags", "ship dark, enable later");
    Search(*engine, "feature");
    ASSERT_TRUE(engine->FlushLessonIndex().ok());  // the rebuilt index, saved in the background
    Add(*engine, "Remove stale feature flags", "flags are debt");
    ASSERT_EQ(engine->lesson_index_status().unsaved_changes, 1);
  }  // the Engine saves the index on the way out
  auto engine = Open();
  EXPECT_EQ(Search(*engine, "feature flags").size(), 2u);
  const LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);  // loaded from the file: its fingerprint matched the store
  EXPECT_EQ(s.last_rebuild_reason, "");
  EXPECT_EQ(s.items, 2u);
}

TEST_F(LessonIndexSyncTest, AFileSavedAfterAnotherProcessWroteIsCaughtUp) {
  Lesson late;
  {
    auto engine = Open();
    Add(*engine, "Profile before optimising", "measure first");
    Search(*engine, "profile");
    Add(*engine, "Profile memory too", "allocation profiles");
    auto other = Open();
    late = Add(*other, "Profile in production", "sampling profilers are cheap");
  }  // saves an index of two lessons, fingerprinted as such; the store has three
  auto engine = Open();
  EXPECT_TRUE(Has(Search(*engine, "profile"), late.id));
  const LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);  // loaded, then the one lesson it missed applied
  EXPECT_EQ(s.caught_up, 1);
  EXPECT_EQ(s.items, 3u);
}

TEST_F(LessonIndexSyncTest, TheFileIsRewrittenEverySoManyWrites) {
  auto engine = Open();
  Add(*engine, "Seed lesson", "first");
  Search(*engine, "seed");
  for (int i = 0; i < 64; ++i) {
    Add(*engine, "Lesson number " + std::to_string(i), "content " + std::to_string(i));
  }
  // The 64th write asked for a save in the background; wait for it.
  ASSERT_TRUE(engine->FlushLessonIndex().ok());
  LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.incremental_updates, 64);
  EXPECT_EQ(s.unsaved_changes, 0);
  // A second Engine (the first still open) loads that file without rebuilding.
  auto second = Open();
  Search(*second, "lesson number");
  s = second->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);
  EXPECT_EQ(s.items, 65u);
}

// Issue 20 §4: an import that replaces a lesson's text and embedding with an
// older timestamp moves neither the lesson count nor the latest update
// time; the store's change log still names it, so the index follows.
TEST_F(LessonIndexSyncTest, AnImportWithAnOlderTimestampReachesTheIndex) {
  auto engine = Open();
  Lesson a = Add(*engine, "Retry flaky network calls", "use exponential backoff on retries");
  Add(*engine, "Cache database lookups", "memoise hot queries");
  const std::string query = "zebra giraffe savanna migration";
  auto cosine_of = [&](Engine& e) {
    SearchRequest q;
    q.min_relevance = 0.0;
    q.query = query;
    q.limit = 5;
    auto r = e.SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& x : r.ok() ? r->results : std::vector<LessonResult>{}) {
      if (x.lesson.id == a.id) return x.explanation.cosine;
    }
    return -2.0;
  };
  const double before = cosine_of(*engine);
  ASSERT_TRUE(engine->FlushLessonIndex().ok());

  // Another process imports an older version with other text, and its embedding.
  Lesson old = a;
  old.content = query;
  old.created_at = old.updated_at = a.created_at - 60'000;
  {
    auto other = Open();
    ASSERT_TRUE(other->store().ImportLesson(old, {}).ok());
    auto v = other->embedder()->Embed(old.title + "\n" + old.content + "\n" + old.topic);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(
        other->store()
            .PutEmbedding(Embedding{a.id, other->embedder()->model_id(), *v, old.updated_at})
            .ok());
  }
  const double caught_up = cosine_of(*engine);
  EXPECT_GT(caught_up, before + 0.2);
  LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 1);
  EXPECT_EQ(s.caught_up, 1);
  // Exactly what a rebuild from the store gives.
  ASSERT_TRUE(engine->ReindexLessons().ok());
  EXPECT_NEAR(cosine_of(*engine), caught_up, 1e-5);

  // The same after a restart: the saved file is loaded and caught up.
  ASSERT_TRUE(engine->FlushLessonIndex().ok());
  engine.reset();
  Lesson older = old;
  older.content = "kangaroo wombat outback";
  older.updated_at -= 1'000;
  {
    auto other = Open();
    ASSERT_TRUE(other->store().ImportLesson(older, {}).ok());  // no embedding: embedded anew
  }
  engine = Open();
  const double reloaded = cosine_of(*engine);
  s = engine->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);
  EXPECT_EQ(s.caught_up, 1);
  auto fresh = Open();
  ASSERT_TRUE(fresh->ReindexLessons().ok());
  EXPECT_NEAR(reloaded, cosine_of(*fresh), 1e-5);
}

}  // namespace
}  // namespace engram
