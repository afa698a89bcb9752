// LessonUseRecorder (engine/lesson_use_recorder.h) with a fake write:
// batching and merging, kBusy kept for the next batch, other failures
// dropped, the pending bound, and the last batch written at destruction.
#include "engine/lesson_use_recorder.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace engram {
namespace {

struct FakeWrite {
  std::vector<std::vector<LessonUse>> batches;  // successful writes
  std::vector<std::vector<LessonUse>> seen;     // all writes, as written
  Status next = Status::Ok();                   // what the next write returns
};

LessonUseOptions Manual() {
  LessonUseOptions o;
  o.flush_items = 1'000'000;
  o.flush_ms = 3'600'000;
  return o;
}

std::unique_ptr<LessonUseRecorder> Make(FakeWrite& w, LessonUseOptions o = Manual(),
                                        int* written_calls = nullptr) {
  return std::make_unique<LessonUseRecorder>(
      o,
      [&w](const std::vector<LessonUse>& b) {
        w.seen.push_back(b);
        Status st = w.next;
        if (st.ok()) w.batches.push_back(b);
        return st;
      },
      [written_calls](const std::vector<LessonUse>&) {
        if (written_calls) ++*written_calls;
      });
}

TEST(LessonUseRecorderTest, MergesUsesOfOneLessonIntoOneRow) {
  FakeWrite w;
  int written = 0;
  auto r = Make(w, Manual(), &written);
  r->Note({"b", "a"}, 100);
  r->Note({"a"}, 300);
  r->Note({"a"}, 200);
  EXPECT_TRUE(w.seen.empty());  // nothing written until asked
  ASSERT_TRUE(r->Flush().ok());
  ASSERT_EQ(w.batches.size(), 1u);
  const std::vector<LessonUse>& b = w.batches[0];
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].lesson_id, "a");
  EXPECT_EQ(b[0].count, 3);
  EXPECT_EQ(b[0].used_at, 300);  // the latest, whatever the order
  EXPECT_EQ(b[1].lesson_id, "b");
  EXPECT_EQ(b[1].count, 1);
  EXPECT_EQ(written, 1);
  EXPECT_EQ(r->stats().written, 2);
  ASSERT_TRUE(r->Flush().ok());  // nothing waits: no write
  EXPECT_EQ(w.seen.size(), 1u);
}

TEST(LessonUseRecorderTest, ABusyBatchIsKeptAndMergedWithNewerUses) {
  FakeWrite w;
  int written = 0;
  auto r = Make(w, Manual(), &written);
  r->Note({"a"}, 100);
  w.next = Status::Busy("locked");
  EXPECT_EQ(r->Flush().code(), ErrorCode::kBusy);
  EXPECT_EQ(written, 0);
  EXPECT_EQ(r->stats().pending, 1);
  EXPECT_EQ(r->stats().failed_writes, 1);
  EXPECT_EQ(r->stats().dropped, 0);
  r->Note({"a"}, 200);
  w.next = Status::Ok();
  ASSERT_TRUE(r->Flush().ok());
  ASSERT_EQ(w.batches.size(), 1u);
  EXPECT_EQ(w.batches[0][0].count, 2);
  EXPECT_EQ(w.batches[0][0].used_at, 200);
}

TEST(LessonUseRecorderTest, OtherFailuresDropTheBatch) {
  FakeWrite w;
  auto r = Make(w);
  r->Note({"a", "b"}, 100);
  w.next = Status::FailedPrecondition("read-only");
  EXPECT_EQ(r->Flush().code(), ErrorCode::kFailedPrecondition);
  LessonUseStats s = r->stats();
  EXPECT_EQ(s.pending, 0);
  EXPECT_EQ(s.dropped, 2);
  EXPECT_NE(s.last_error.find("read-only"), std::string::npos);
}

TEST(LessonUseRecorderTest, AtMostMaxPendingLessonsWait) {
  FakeWrite w;
  LessonUseOptions o = Manual();
  o.max_pending = 2;
  auto r = Make(w, o);
  r->Note({"a", "b", "c"}, 100);
  r->Note({"a"}, 100);  // a waiting lesson still counts
  EXPECT_EQ(r->stats().pending, 2);
  EXPECT_EQ(r->stats().dropped, 1);
  ASSERT_TRUE(r->Flush().ok());
  EXPECT_EQ(w.batches[0][0].count, 2);
}

TEST(LessonUseRecorderTest, DestructionWritesTheLastBatch) {
  FakeWrite w;
  {
    auto r = Make(w);
    r->Note({"a"}, 100);
  }
  ASSERT_EQ(w.batches.size(), 1u);
  EXPECT_EQ(w.batches[0][0].lesson_id, "a");
}

TEST(LessonUseRecorderTest, ValidateNamesTheBadOption) {
  LessonUseOptions o;
  o.flush_items = 0;
  EXPECT_NE(LessonUseRecorder::Validate(o).message().find("flush_items"), std::string::npos);
  o = LessonUseOptions{};
  o.max_pending = 0;
  EXPECT_NE(LessonUseRecorder::Validate(o).message().find("max_pending"), std::string::npos);
  EXPECT_TRUE(LessonUseRecorder::Validate(LessonUseOptions{}).ok());
}

}  // namespace
}  // namespace engram
