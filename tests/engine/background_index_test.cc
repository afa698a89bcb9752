// Searches that do not wait for the lesson index (LessonIndexOptions::
// background, issue 20 §4 and §6): while the model loads, a big index file
// loads or an imported backlog is embedded, a search answers at once from
// BM25 and says so; the index comes in when the builder is done.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engram/embedder.h"
#include "engram/engine.h"
#include "server/operation.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

// The hashing embedder behind a gate: while closed, embedding and loading
// the model wait (so a test can look at the Engine mid-build).
class GatedEmbedder final : public Embedder {
 public:
  explicit GatedEmbedder(std::unique_ptr<Embedder> inner) : inner_(std::move(inner)) {}
  const std::string& model_id() const override { return inner_->model_id(); }
  int dimension() const override { return inner_->dimension(); }
  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    Pass();
    return inner_->EmbedBatch(texts);
  }
  Status Prepare() const override {
    Pass();
    return inner_->Prepare();
  }
  void Close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  void Pass() const {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  std::unique_ptr<Embedder> inner_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool open_ = true;
};

class BackgroundIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("engram-bg-index-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto inner = OpenHashingEmbedder();
    ASSERT_TRUE(inner.ok());
    gate_ = std::make_shared<GatedEmbedder>(std::move(*inner));
  }
  void TearDown() override {
    gate_->Open();  // never leave a builder waiting behind the gate
    engine_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<Engine> Open(bool background, LessonIndexOptions li = {}) {
    EngineOptions o;
    o.embedder = gate_;
    li.background = background;
    o.lesson_index = li;
    auto engine = Engine::OpenSqlite((dir_ / "t.db").string(), o);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return std::move(*engine);
  }
  // Lessons written straight to the store, as `db import` or another
  // process would: no embeddings.
  static void Import(Engine& engine, int n, const std::string& prefix = "l") {
    for (int i = 0; i < n; ++i) {
      Lesson l;
      l.id = prefix + "-" + std::to_string(i);
      l.type = LessonType::kBestPractice;
      l.topic = "networking";
      l.title = "Retry rule " + std::to_string(i);
      l.content = i == 7 ? "retry flaky uploads with exponential backoff"
                         : "lesson body number " + std::to_string(i);
      l.confidence = 0.7;
      l.source = LessonSource::kManual;
      l.created_at = l.updated_at = 1'000 + i;
      ASSERT_TRUE(engine.store().InsertLesson(l).ok());
    }
  }
  static SearchResponse Search(Engine& engine, const std::string& query) {
    SearchRequest q;
    q.query = query;
    q.limit = 5;
    auto r = engine.SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResponse{};
  }
  static bool Has(const SearchResponse& r, const std::string& id) {
    for (const auto& x : r.results) {
      if (x.lesson.id == id) return true;
    }
    return false;
  }

  // Waits (at most 20 s) until the builder reports `phase`.
  static bool WaitForPhase(Engine& engine, const std::string& phase) {
    for (int i = 0; i < 2000; ++i) {
      if (engine.lesson_index_status().building == phase) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  fs::path dir_;
  std::shared_ptr<GatedEmbedder> gate_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(BackgroundIndexTest, WhileTheModelLoadsSearchesAnswerFromBm25AndSaySo) {
  engine_ = Open(true);
  Import(*engine_, 20);
  gate_->Close();  // the model takes its time
  const SearchResponse first = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(first.mode, "bm25");
  EXPECT_NE(first.note.find("in the background"), std::string::npos) << first.note;
  EXPECT_NE(first.note.find("BM25 alone"), std::string::npos) << first.note;
  EXPECT_TRUE(Has(first, "l-7"));
  LessonIndexStatus s = engine_->lesson_index_status();
  EXPECT_FALSE(s.loaded);
  EXPECT_EQ(s.building, "loading the model");
  // The health check of a server says the same.
  server::OperationTable ops(*engine_);
  auto health = ops.Call("health_check", Json::object());
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ((*health)["lesson_index"]["building"], "loading the model");
  EXPECT_EQ((*health)["status"], "ok");

  gate_->Open();
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());
  s = engine_->lesson_index_status();
  EXPECT_TRUE(s.loaded);
  EXPECT_EQ(s.items, 20u);
  EXPECT_EQ(s.building, "");
  EXPECT_EQ(s.build_error, "");
  const SearchResponse later = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(later.mode, "hybrid");
  EXPECT_EQ(later.note, "");
  EXPECT_TRUE(Has(later, "l-7"));
}

TEST_F(BackgroundIndexTest, AnImportedBacklogIsEmbeddedInTheBackground) {
  LessonIndexOptions li;
  li.inline_embeds = 0;  // every embedding goes to the builder
  engine_ = Open(true, li);
  Search(*engine_, "warm up");  // loads the model and builds the (empty) index
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());
  ASSERT_TRUE(engine_->lesson_index_status().loaded);

  gate_->Close();
  Import(*engine_, 40);
  const SearchResponse during = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(during.mode, "bm25");  // the index holds none of them yet
  EXPECT_TRUE(Has(during, "l-7"));
  ASSERT_TRUE(WaitForPhase(*engine_, "embedding"));  // after the builder's scan of the store
  LessonIndexStatus s = engine_->lesson_index_status();
  EXPECT_EQ(s.build_total, 40);
  EXPECT_EQ(s.build_done, 0);
  const SearchResponse again = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_NE(again.note.find("embedding (0 of 40 lessons) in the background"), std::string::npos)
      << again.note;

  gate_->Open();
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());
  s = engine_->lesson_index_status();
  EXPECT_EQ(s.items, 40u);
  EXPECT_EQ(s.building, "");
  const SearchResponse after = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(after.mode, "hybrid");
  EXPECT_EQ(after.note, "");
  EXPECT_TRUE(Has(after, "l-7"));
  EXPECT_TRUE(engine_->store().GetEmbedding("l-7", gate_->model_id()).ok());
}

TEST_F(BackgroundIndexTest, ABigIndexFileLoadsInTheBackgroundWithoutARebuild) {
  {
    auto writer = Open(false);
    Import(*writer, 30);
    Search(*writer, "retry");                      // builds the index (waiting) ...
    ASSERT_TRUE(writer->FlushLessonIndex().ok());  // ... and saves it
  }
  LessonIndexOptions li;
  li.inline_file_bytes = 1;  // any file is "big"
  engine_ = Open(true, li);
  const SearchResponse first = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(first.mode, "bm25");
  EXPECT_TRUE(Has(first, "l-7"));
  ASSERT_TRUE(engine_->FlushLessonIndex().ok());
  const LessonIndexStatus s = engine_->lesson_index_status();
  EXPECT_EQ(s.rebuilds, 0);  // loaded from the file
  EXPECT_EQ(s.items, 30u);
  EXPECT_EQ(Search(*engine_, "retry flaky uploads backoff").mode, "hybrid");
}

TEST_F(BackgroundIndexTest, AWaitingEngineBuildsBeforeItAnswers) {
  engine_ = Open(false);
  Import(*engine_, 12);
  const SearchResponse r = Search(*engine_, "retry flaky uploads backoff");
  EXPECT_EQ(r.mode, "hybrid");
  EXPECT_EQ(r.note, "");
  EXPECT_EQ(engine_->lesson_index_status().items, 12u);
  EXPECT_EQ(engine_->lesson_index_status().building, "");
}

}  // namespace
}  // namespace engram
