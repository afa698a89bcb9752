// The lesson change log (migration 8, Store::LessonChangeMarkNow and
// LessonChangesSince): every write of a lesson moves it, by whatever path,
// and recording uses does not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using LessonChangesTest = StoreTest;

LessonChangeMark MarkOf(Store& store) {
  auto m = store.LessonChangeMarkNow();
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : LessonChangeMark{};
}

LessonChanges ChangesSince(Store& store, std::int64_t seq, int limit = 100) {
  auto c = store.LessonChangesSince(seq, limit);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : LessonChanges{};
}

TEST_F(LessonChangesTest, EveryLessonWriteTakesOneStepAndUsesTakeNone) {
  const LessonChangeMark empty = MarkOf(*store_);
  EXPECT_EQ(empty.seq, 0);
  EXPECT_EQ(empty.lessons, 0);
  EXPECT_EQ(empty.lineage.size(), 16u);

  Lesson a = MakeLesson("l-a");
  ASSERT_TRUE(store_->InsertLesson(a).ok());
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-b")).ok());
  LessonChangeMark m = MarkOf(*store_);
  EXPECT_EQ(m.seq, 2);
  EXPECT_EQ(m.lessons, 2);
  EXPECT_EQ(m.lineage, empty.lineage);
  EXPECT_EQ(ChangesSince(*store_, 0).changed, (std::vector<std::string>{"l-a", "l-b"}));
  EXPECT_EQ(ChangesSince(*store_, 1).changed, (std::vector<std::string>{"l-b"}));

  // Uses and touches change nothing an index holds.
  ASSERT_TRUE(store_->RecordLessonUses({{"l-a", 5'000, 3}}).ok());
  ASSERT_TRUE(store_->TouchLesson("l-a", 6'000).ok());
  ASSERT_TRUE(store_->PutEmbedding(Embedding{"l-a", "m", {1, 0}, 7'000}).ok());
  EXPECT_EQ(MarkOf(*store_).seq, 2);

  // An update is one step, and moves the lesson to the end of the log.
  Lesson a2 = a;
  a2.title = "second";
  a2.version = 2;
  a2.updated_at = 8'000;
  ASSERT_TRUE(store_->UpdateLesson(a2, "update").ok());
  m = MarkOf(*store_);
  EXPECT_EQ(m.seq, 3);
  EXPECT_EQ(ChangesSince(*store_, 2).changed, (std::vector<std::string>{"l-a"}));
  // It changed the text: the embedding made from the old one is gone.
  EXPECT_TRUE(store_->GetEmbedding("l-a", "m").status().IsNotFound());
  // A change of anything but the text keeps it.
  ASSERT_TRUE(store_->PutEmbedding(Embedding{"l-a", "m", {1, 0}, 9'000}).ok());
  Lesson a3 = a2;
  a3.confidence = 0.5;
  a3.version = 3;
  a3.updated_at = 10'000;
  ASSERT_TRUE(store_->UpdateLesson(a3, "confidence").ok());
  EXPECT_TRUE(store_->GetEmbedding("l-a", "m").ok());
  EXPECT_EQ(MarkOf(*store_).seq, 4);

  // A delete is one step, with a tombstone.
  ASSERT_TRUE(store_->DeleteLesson("l-b").ok());
  m = MarkOf(*store_);
  EXPECT_EQ(m.seq, 5);
  EXPECT_EQ(m.lessons, 1);
  LessonChanges c = ChangesSince(*store_, 4);
  EXPECT_TRUE(c.changed.empty());
  EXPECT_EQ(c.deleted, (std::vector<std::string>{"l-b"}));
  EXPECT_EQ(c.mark.seq, 5);
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(LessonChangesTest, AnImportWithAnOlderTimestampStillMovesTheLog) {
  // The case a fingerprint of counts and update times missed (issue 20 §4).
  Lesson a = MakeLesson("l-a", 5'000);
  ASSERT_TRUE(store_->InsertLesson(a).ok());
  const LessonChangeMark before = MarkOf(*store_);
  Lesson old = a;
  old.content = "replaced by an import";
  old.updated_at = 1'000;
  old.created_at = 1'000;
  ASSERT_TRUE(store_->ImportLesson(old, {}).ok());
  const LessonChangeMark after = MarkOf(*store_);
  EXPECT_EQ(after.seq, before.seq + 1);
  EXPECT_EQ(after.lessons, 1);
  EXPECT_EQ(ChangesSince(*store_, before.seq).changed, (std::vector<std::string>{"l-a"}));
}

TEST_F(LessonChangesTest, ALimitTruncatesAndAnotherDatabaseHasAnotherLineage) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-" + std::to_string(i))).ok());
  }
  LessonChanges c = ChangesSince(*store_, 0, 3);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.changed.size(), 3u);
  EXPECT_FALSE(ChangesSince(*store_, 0, 5).truncated);
  EXPECT_FALSE(store_->LessonChangesSince(0, -1).ok());

  std::unique_ptr<Store> other = Open("other.db");
  EXPECT_NE(MarkOf(*other).lineage, MarkOf(*store_).lineage);
}

TEST_F(LessonChangesTest, AnotherConnectionsWritesMoveTheLogAndVerifyChecksItsCount) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-a")).ok());
  const LessonChangeMark before = MarkOf(*store_);
  // A raw write (another process, an older tool): the triggers see it.
  RawSql(db_path(), "UPDATE lessons SET content = 'edited by hand' WHERE id = 'l-a'");
  EXPECT_EQ(MarkOf(*store_).seq, before.seq + 1);
  EXPECT_TRUE(store_->Verify().ok());
  // A log whose count disagrees with the table is reported.
  RawSql(db_path(), "UPDATE lesson_change_log SET lessons = 7");
  Status st = store_->Verify();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find("counts 7 lessons, the store holds 1"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace engram::store_test
