// Issue 20 §4: a search never depends on writing the lesson index file.
// The file is written off the request path (src/engine/index_worker.h); when
// it cannot be written (a full disk, here a path whose parent is a regular
// file: ENOTDIR, which root cannot bypass) the index serves from memory
// and health_check says degraded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engram/embedder.h"
#include "engram/engine.h"
#include "server/operation.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

class IndexSaveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("engram-index-save-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Engine> Open(const std::string& index_path) {
    EngineOptions o;
    auto e = OpenHashingEmbedder();
    EXPECT_TRUE(e.ok());
    o.embedder = std::shared_ptr<const Embedder>(std::move(*e));
    o.lesson_index_path = index_path;
    auto engine = Engine::OpenSqlite((dir_ / "t.db").string(), o);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return std::move(*engine);
  }
  static void Add(Engine& engine, const std::string& title) {
    NewLesson l;
    l.type = LessonType::kBestPractice;
    l.topic = "testing";
    l.title = title;
    l.content = title + " in every test file";
    l.on_duplicate = DuplicatePolicy::kAllow;
    ASSERT_TRUE(engine.AddLesson(l).ok());
  }
  static std::size_t Search(Engine& engine, const std::string& query) {
    SearchRequest q;
    q.min_relevance = 0.0;
    q.query = query;
    auto r = engine.SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->results.size() : 0;
  }

  fs::path dir_;
};

TEST_F(IndexSaveTest, SearchesServeFromMemoryWhenTheFileCannotBeWritten) {
  std::ofstream(dir_ / "blocker") << "a file where a directory should be";
  const std::string unwritable = (dir_ / "blocker" / "t.db.lessons.hnsw").string();
  auto engine = Open(unwritable);
  Add(*engine, "Mock the clock");
  Add(*engine, "Await the promise");
  // The first search builds the index and asks for a save; it succeeds.
  EXPECT_EQ(Search(*engine, "every test file"), 2u);
  Status flushed = engine->FlushLessonIndex();
  EXPECT_FALSE(flushed.ok());
  const LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_TRUE(s.loaded);
  EXPECT_FALSE(s.save_error.empty());
  EXPECT_GT(s.unsaved_changes, 0);  // nothing was lost track of
  // More writes and searches keep working from memory.
  for (int i = 0; i < 70; ++i) Add(*engine, "Lesson " + std::to_string(i));
  EXPECT_GE(Search(*engine, "lesson"), 10u);
  EXPECT_EQ(engine->lesson_index_status().rebuilds, 1);

  server::OperationTable table(*engine);
  Result<Json> health = table.Call("health_check", Json::object());
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ((*health)["status"], "degraded") << health->dump();
  ASSERT_EQ((*health)["problems"].size(), 1u);
  EXPECT_NE((*health)["problems"][0].get<std::string>().find("lesson index"), std::string::npos);
}

TEST_F(IndexSaveTest, TheFileIsWrittenInTheBackgroundAndHealthIsOk) {
  const std::string path = (dir_ / "t.db.lessons.hnsw").string();
  auto engine = Open(path);
  Add(*engine, "Mock the clock");
  EXPECT_EQ(Search(*engine, "clock"), 1u);
  ASSERT_TRUE(engine->FlushLessonIndex().ok());
  EXPECT_TRUE(fs::exists(path));
  const LessonIndexStatus s = engine->lesson_index_status();
  EXPECT_EQ(s.unsaved_changes, 0);
  EXPECT_TRUE(s.save_error.empty());
  server::OperationTable table(*engine);
  Result<Json> health = table.Call("health_check", Json::object());
  ASSERT_TRUE(health.ok());
  EXPECT_EQ((*health)["status"], "ok");
  EXPECT_FALSE(health->contains("problems"));
  // A second Engine loads the file instead of rebuilding.
  engine.reset();
  auto second = Open(path);
  EXPECT_EQ(Search(*second, "clock"), 1u);
  EXPECT_EQ(second->lesson_index_status().rebuilds, 0);
}

}  // namespace
}  // namespace engram
