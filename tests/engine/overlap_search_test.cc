// EngineOptions::overlap_search: the query is embedded and the index walked
// on the SideWorker while BM25 runs on the caller; results equal those of the
// sequential way, errors of either side are returned, concurrent searches
// agree.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "engram/embedder.h"
#include "engram/engine.h"
#include "learning_engine_fixture.h"
#include "store/sqlite/checksum_vfs.h"

namespace engram {
namespace {

// The hashing embedder, noting the threads it embedded on; fails every
// single-text call while `fail` is set (lesson embedding is batched).
class WatchedEmbedder final : public Embedder {
 public:
  WatchedEmbedder() : inner_(OpenHashingEmbedder().value()) {}
  const std::string& model_id() const override { return inner_->model_id(); }
  int dimension() const override { return inner_->dimension(); }
  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    {
      std::lock_guard lock(mu_);
      threads_.insert(std::this_thread::get_id());
    }
    if (fail.load() && texts.size() == 1) return Status::Unavailable("embedder offline (test)");
    return inner_->EmbedBatch(texts);
  }
  std::set<std::thread::id> threads() const {
    std::lock_guard lock(mu_);
    return threads_;
  }
  void ClearThreads() {
    std::lock_guard lock(mu_);
    threads_.clear();
  }
  std::atomic<bool> fail{false};

 private:
  std::unique_ptr<Embedder> inner_;
  mutable std::mutex mu_;
  mutable std::set<std::thread::id> threads_;
};

class OverlapSearchTest : public testing::LearningEngineTest {
 protected:
  std::unique_ptr<Engine> OpenWith(bool overlap) {
    EngineOptions o;
    o.clock = &clock_;
    o.embedder = embedder_;
    o.overlap_search = overlap;
    auto e = Engine::OpenSqlite(db(), o);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? std::move(*e) : nullptr;
  }
  void AddLessons() {
    const char* texts[][2] = {
        {"Retry network calls", "Use exponential backoff with jitter for flaky HTTP calls."},
        {"Circuit breaker", "Stop calling a failing service; probe it after a cool-down."},
        {"Cache invalidation", "Version cache keys so a deploy never reads stale entries."},
        {"Timeouts everywhere", "Every network call needs a deadline, retries included."},
        {"Idempotent writes", "Retried POSTs need an idempotency key on the server."},
        {"Mock the clock", "Fake timers make retry and backoff tests fast and exact."},
    };
    for (const auto& t : texts) Add(t[0], t[1], "net");
  }
  static std::vector<std::string> Ids(const SearchResponse& r) {
    std::vector<std::string> ids;
    for (const auto& x : r.results) ids.push_back(x.lesson.id);
    return ids;
  }
  std::shared_ptr<WatchedEmbedder> embedder_ = std::make_shared<WatchedEmbedder>();
};

TEST_F(OverlapSearchTest, SameResultsAsSequentialWithTheQueryEmbeddedOnTheWorker) {
  engine_ = OpenWith(true);
  ASSERT_TRUE(engine_);
  AddLessons();
  auto sequential = OpenWith(false);
  ASSERT_TRUE(sequential);
  for (const char* query : {"retry network calls", "backoff jitter", "stale cache", "deadline"}) {
    SearchRequest q;
    q.min_relevance = 0.0;  // every result: not a relevance test
    q.query = query;
    q.limit = 4;
    embedder_->ClearThreads();
    auto a = engine_->SearchLessons(q);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    const std::set<std::thread::id> used = embedder_->threads();
    ASSERT_EQ(used.size(), 1u) << query;
    EXPECT_NE(*used.begin(), std::this_thread::get_id()) << query;
    embedder_->ClearThreads();
    auto b = sequential->SearchLessons(q);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(embedder_->threads(), std::set<std::thread::id>{std::this_thread::get_id()});
    ASSERT_FALSE(a->results.empty()) << query;
    EXPECT_EQ(Ids(*a), Ids(*b)) << query;
    EXPECT_EQ(a->candidates, b->candidates) << query;
    for (std::size_t i = 0; i < a->results.size(); ++i) {
      EXPECT_DOUBLE_EQ(a->results[i].explanation.score, b->results[i].explanation.score);
      EXPECT_DOUBLE_EQ(a->results[i].explanation.cosine, b->results[i].explanation.cosine);
      EXPECT_DOUBLE_EQ(a->results[i].explanation.bm25, b->results[i].explanation.bm25);
    }
  }
}

TEST_F(OverlapSearchTest, ErrorsOfEitherSideAreReturned) {
  engine_ = OpenWith(true);
  ASSERT_TRUE(engine_);
  AddLessons();
  SearchRequest q;
  q.min_relevance = 0.0;  // every result: not a relevance test
  q.query = "retry network calls";
  ASSERT_TRUE(engine_->SearchLessons(q).ok());
  // The worker's side fails: the search says why.
  embedder_->fail = true;
  auto failed = engine_->SearchLessons(q);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(failed.status().message().find("embedder offline"), std::string::npos);
  embedder_->fail = false;
  // BM25's side fails: another connection drops the full-text table.
  ASSERT_TRUE(engine_->SearchLessons(q).ok());
  sqlite3* other = nullptr;
  // Through engram's checksum VFS: a plain connection would write pages
  // without their checksums, which the next read reports as corruption.
  Result<const char*> vfs = sqlite::ChecksumVfsName();
  ASSERT_TRUE(vfs.ok()) << vfs.status().ToString();
  ASSERT_EQ(sqlite3_open_v2(db().c_str(), &other, SQLITE_OPEN_READWRITE, *vfs), SQLITE_OK);
  const int dropped = sqlite3_exec(other, "DROP TABLE lesson_fts", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_EQ(dropped, SQLITE_OK);
  auto no_fts = engine_->SearchLessons(q);
  ASSERT_FALSE(no_fts.ok());
  EXPECT_NE(no_fts.status().message().find("lesson_fts"), std::string::npos)
      << no_fts.status().ToString();
}

TEST_F(OverlapSearchTest, ConcurrentSearchesAgreeWithOneAtATime) {
  engine_ = OpenWith(true);
  ASSERT_TRUE(engine_);
  AddLessons();
  const std::vector<std::string> queries = {"retry", "circuit breaker", "cache keys", "timers"};
  std::vector<std::vector<std::string>> expected;
  for (const std::string& text : queries) {
    SearchRequest q;
    q.min_relevance = 0.0;  // every result: not a relevance test
    q.query = text;
    auto r = engine_->SearchLessons(q);
    ASSERT_TRUE(r.ok());
    expected.push_back(Ids(*r));
  }
  std::atomic<int> mismatches{0}, errors{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::size_t k = static_cast<std::size_t>(t + i) % queries.size();
        SearchRequest q;
        q.min_relevance = 0.0;  // every result: not a relevance test
        q.query = queries[k];
        auto r = engine_->SearchLessons(q);
        if (!r.ok()) {
          ++errors;
        } else if (Ids(*r) != expected[k]) {
          ++mismatches;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace engram
