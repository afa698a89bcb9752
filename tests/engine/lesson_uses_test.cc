// Use recording (docs/RETRIEVAL.md, "Use recording"): a lesson a search or
// context retrieval returns gets use_count + 1 and a new last_used_at once
// the batch is written - never on the search's own path - and audits and
// decay read them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "engram/audit.h"
#include "engram/engine.h"
#include "forwarding_store.h"
#include "learning_engine_fixture.h"

namespace engram {
namespace {

class LessonUsesTest : public testing::LearningEngineTest {
 protected:
  // Writes only when asked (FlushLessonUses) or at shutdown, unless the
  // test sets other options.
  void OpenWith(bool with_embedder, LessonUseOptions uses = Manual()) {
    EngineOptions o;
    o.lesson_uses = uses;
    Open(with_embedder, o);
  }
  static LessonUseOptions Manual() {
    LessonUseOptions u;
    u.flush_items = 1'000'000;
    u.flush_ms = 3'600'000;
    return u;
  }
  SearchResponse Search(const std::string& query) {
    SearchRequest q;
    q.query = query;
    auto r = engine_->SearchLessons(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResponse{};
  }
  Lesson Get(const std::string& id) {
    auto l = engine_->store().GetLesson(id);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return l.ok() ? *l : Lesson{};
  }
};

TEST_F(LessonUsesTest, AReturnedLessonCountsOneUseAfterTheBatchIsWritten) {
  OpenWith(false);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  Lesson other = Add("Database migrations", "Never edit an applied migration.", "db");
  clock_.now += 10 * kDayMs;
  SearchResponse r = Search("fake timers setTimeout");
  ASSERT_EQ(r.results.size(), 1u);
  // Not written on the search's path.
  EXPECT_EQ(Get(x.id).use_count, 0);
  EXPECT_FALSE(Get(x.id).last_used_at.has_value());
  EXPECT_EQ(engine_->lesson_use_stats().pending, 1);
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  Lesson used = Get(x.id);
  EXPECT_EQ(used.use_count, 1);
  EXPECT_EQ(used.last_used_at, clock_.now);
  EXPECT_EQ(used.version, x.version);  // not a new version
  EXPECT_EQ(Get(other.id).use_count, 0);
  EXPECT_EQ(engine_->lesson_use_stats().written, 1);
  EXPECT_EQ(engine_->lesson_use_stats().pending, 0);
  // Context retrieval counts too; two uses in one batch add up.
  ContextRequest c;
  c.description = "fake timers setTimeout";
  ASSERT_TRUE(engine_->RetrieveContext(c).ok());
  clock_.now += 1000;
  Search("fake timers");
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  EXPECT_EQ(Get(x.id).use_count, 3);
  EXPECT_EQ(Get(x.id).last_used_at, clock_.now);
  EXPECT_EQ(ToJson(Get(x.id))["use_count"], 3);
}

TEST_F(LessonUsesTest, AuditMostUsedAndDecayReadTheUses) {
  OpenWith(false);
  Lesson a = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  Lesson b = Add("Retry flaky network calls", "Retry with backoff.", "network");
  clock_.now += 90 * kDayMs;
  // Before any use, decay counts from the update.
  SearchResponse first = Search("fake timers");
  ASSERT_EQ(first.results.size(), 1u);
  EXPECT_NEAR(first.results[0].explanation.months_unused, 3, 1e-6);
  Search("fake timers setTimeout");
  Search("retry backoff");
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  // The clock of decay restarted at the last use.
  SearchResponse again = Search("fake timers");
  EXPECT_DOUBLE_EQ(again.results[0].explanation.months_unused, 0);
  EXPECT_DOUBLE_EQ(again.results[0].explanation.decay, 1);
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  Auditor auditor = engine_->auditor();
  auto report = auditor.Run({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->most_used.size(), 2u);
  EXPECT_EQ(report->most_used[0].id, a.id);
  EXPECT_EQ(report->most_used[0].retrievals, 3);
  EXPECT_EQ(report->most_used[1].id, b.id);
  EXPECT_EQ(report->most_used[1].retrievals, 1);
  EXPECT_DOUBLE_EQ(report->most_used[0].days_idle, 0);
}

TEST_F(LessonUsesTest, ALockedStoreNeitherFailsNorDelaysASearch) {
  OpenWith(false);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  // The write does not wait out the store's 5 s busy timeout: kBusy at
  // once, the use kept for the next batch.
  const auto start = std::chrono::steady_clock::now();
  Status st = engine_->FlushLessonUses();
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(st.code(), ErrorCode::kBusy) << st.ToString();
  EXPECT_LT(waited, std::chrono::seconds(2));
  EXPECT_EQ(engine_->lesson_use_stats().pending, 1);
  EXPECT_EQ(engine_->lesson_use_stats().failed_writes, 1);
  EXPECT_NE(engine_->lesson_use_stats().last_error, "");
  // Searches go on meanwhile and their uses join the kept one.
  ASSERT_EQ(Search("fake timers setTimeout").results.size(), 1u);
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  EXPECT_EQ(Get(x.id).use_count, 2);
}

TEST_F(LessonUsesTest, ShutdownWritesWhatWaits) {
  OpenWith(false);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  OpenWith(false);  // destroys the first Engine
  EXPECT_EQ(Get(x.id).use_count, 1);
  EXPECT_EQ(Get(x.id).last_used_at, clock_.now);
}

TEST_F(LessonUsesTest, TheBackgroundThreadWritesAFullBatch) {
  LessonUseOptions u = Manual();
  u.flush_items = 1;
  OpenWith(false, u);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  for (int i = 0; i < 500 && engine_->lesson_use_stats().written == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(engine_->lesson_use_stats().written, 1);
  EXPECT_EQ(Get(x.id).use_count, 1);
}

TEST_F(LessonUsesTest, RecordingOffRecordsNothing) {
  LessonUseOptions u;
  u.record = false;
  OpenWith(false, u);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  EXPECT_EQ(Get(x.id).use_count, 0);
}

TEST_F(LessonUsesTest, InvalidOptionsAreRefused) {
  EngineOptions o;
  o.lesson_uses.flush_ms = 0;
  auto e = Engine::OpenSqlite(db(), o);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("flush_ms"), std::string::npos);
}

// After a batch the index's copy of the use time follows, so the next
// search still ranks from the index (docs/RETRIEVAL.md).
TEST_F(LessonUsesTest, TheIndexWayOfRankingSurvivesAWrittenBatch) {
  OpenWith(true);
  Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  Add("Retry flaky network calls", "Retry with backoff.", "network");
  clock_.now += 30 * kDayMs;
  SearchResponse first = Search("fake timers");
  EXPECT_TRUE(first.ranked_from_index);
  ASSERT_TRUE(engine_->FlushLessonUses().ok());
  SearchResponse second = Search("fake timers");
  EXPECT_TRUE(second.ranked_from_index);
  ASSERT_FALSE(second.results.empty());
  EXPECT_EQ(second.results[0].lesson.last_used_at, clock_.now);
}

// A store whose use writes fail with an I/O error.
class FailingUses : public testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status RecordLessonUses(const std::vector<LessonUse>&) override {
    return Status::IOError("disk full");
  }
};

TEST_F(LessonUsesTest, AFailedWriteIsNotFatal) {
  engine_.reset();
  SqliteOptions so;
  so.path = (dir_ / "f.db").string();
  auto inner = OpenSqliteStore(so);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  EngineOptions o;
  o.clock = &clock_;
  o.lesson_uses = Manual();
  engine_ = std::make_unique<Engine>(std::make_unique<FailingUses>(**inner), o);
  Lesson x = Add("Mock the clock in timer tests", "Use fake timers for setTimeout.", "testing");
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  Status st = engine_->FlushLessonUses();
  EXPECT_EQ(st.code(), ErrorCode::kIOError);
  LessonUseStats s = engine_->lesson_use_stats();
  EXPECT_EQ(s.failed_writes, 1);
  EXPECT_EQ(s.dropped, 1);  // not a lock: given up, not retried forever
  EXPECT_EQ(s.pending, 0);
  EXPECT_NE(s.last_error.find("disk full"), std::string::npos);
  // Searching goes on.
  ASSERT_EQ(Search("fake timers").results.size(), 1u);
  engine_.reset();  // the shutdown write fails too, quietly
  EXPECT_EQ((*inner)->GetLesson(x.id)->use_count, 0);
}

}  // namespace
}  // namespace engram
