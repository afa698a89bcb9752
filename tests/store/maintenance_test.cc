// Stats, Verify (SQLite checks and engram invariants), Backup and Restore.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

class MaintenanceTest : public StoreTest {
 protected:
  void Populate() {
    ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->AppendStep("ep-1", MakeStep("s"), 10).ok());
    ASSERT_TRUE(
        store_->CompleteEpisode("ep-1", MakeSuccess(), MakeReward(), MakeReflection(), 9).ok());
    ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-2")).ok());
    Lesson l = MakeLesson("l-1");
    ASSERT_TRUE(store_->InsertLesson(l).ok());
    l.version = 2;
    l.deprecated = true;
    ASSERT_TRUE(store_->UpdateLesson(l, "deprecate").ok());
    ASSERT_TRUE(store_->PutEmbedding({"l-1", "m", {1, 2, 3}, 1}).ok());
    ASSERT_TRUE(store_->KvPut("ns", "k", 1, {}, 1).ok());
  }

  // Fingerprint of the whole content, to compare before/after.
  std::string Dump(Store& s) {
    std::string out;
    EXPECT_TRUE(s.ForEachEpisode([&](const Episode& e) {
                   out += ToJson(e).dump() + "\n";
                   return Status::Ok();
                 }).ok());
    EXPECT_TRUE(s.ForEachLesson([&](const Lesson& l, const std::vector<LessonVersion>& h) {
                   out += ToJson(l).dump() + std::to_string(h.size()) + "\n";
                   return Status::Ok();
                 }).ok());
    EXPECT_TRUE(s.ForEachKv([&](const KvEntry& e) {
                   out += ToJson(e).dump() + "\n";
                   return Status::Ok();
                 }).ok());
    return out;
  }
};

TEST_F(MaintenanceTest, StatsCountEverything) {
  Populate();
  auto s = store_->Stats();
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->episodes, 2);
  EXPECT_EQ(s->completed_episodes, 1);
  EXPECT_EQ(s->steps, 3);
  EXPECT_EQ(s->lessons, 1);
  EXPECT_EQ(s->deprecated_lessons, 1);
  EXPECT_EQ(s->lesson_versions, 1);
  EXPECT_EQ(s->embeddings, 1);
  EXPECT_EQ(s->kv_entries, 1);
  EXPECT_EQ(s->journal_mode, "wal");
}

TEST_F(MaintenanceTest, ChangeTokenMovesOnOwnAndOtherConnectionsWrites) {
  auto t0 = store_->ChangeToken();
  ASSERT_TRUE(t0.ok()) << t0.status().ToString();
  ASSERT_FALSE(t0->empty());
  ASSERT_TRUE(store_->GetEpisode("missing").status().IsNotFound());  // a read
  EXPECT_EQ(*store_->ChangeToken(), *t0);

  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  auto t1 = store_->ChangeToken();
  ASSERT_TRUE(t1.ok());
  EXPECT_NE(*t1, *t0);

  {  // another connection (as another process would) commits a write
    std::unique_ptr<Store> other = Open();
    ASSERT_NE(other, nullptr);
    ASSERT_TRUE(other->InsertLesson(MakeLesson("l-2")).ok());
  }
  auto t2 = store_->ChangeToken();
  ASSERT_TRUE(t2.ok());
  EXPECT_NE(*t2, *t1);
  EXPECT_EQ(*store_->ChangeToken(), *t2);
}

// Another connection's commit moves the token only when it changed what
// the token guards: lessons (the change log) or an indexed text. Uses
// recorded by the Engine's recorder connection do not, so the searches'
// caches survive them (bench/README.md, "contra").
TEST_F(MaintenanceTest, AnotherConnectionsUsesKeepTheTokenItsTextWritesMoveIt) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  auto t0 = store_->ChangeToken();
  ASSERT_TRUE(t0.ok());
  ASSERT_TRUE(other->RecordLessonUses({{"l-1", 5000, 3}}).ok());
  ASSERT_TRUE(other->TouchLesson("l-1", 6000).ok());
  ASSERT_TRUE(other->KvPut("ns", "k", 1, {}, 1).ok());
  EXPECT_EQ(*store_->ChangeToken(), *t0) << "uses and kv change nothing the token guards";
  auto l = store_->GetLesson("l-1");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->use_count, 3) << "the write itself is visible";

  Lesson updated = *l;
  updated.version = 2;
  updated.content = "changed text";
  ASSERT_TRUE(other->UpdateLesson(updated, "edit").ok());
  auto t1 = store_->ChangeToken();
  EXPECT_NE(*t1, *t0) << "a lesson update moves it";
  ASSERT_TRUE(other->CreateEpisode(MakeEpisode("ep-1")).ok());
  auto t2 = store_->ChangeToken();
  EXPECT_NE(*t2, *t1) << "an episode's indexed text moves it";
  ASSERT_TRUE(other->DeleteLesson("l-1").ok());
  EXPECT_NE(*store_->ChangeToken(), *t2) << "a delete moves it";
}

struct Damage {
  const char* name;
  const char* sql;
  const char* expect;  // substring of the Verify message
};

class VerifyDamageTest : public MaintenanceTest, public ::testing::WithParamInterface<Damage> {};

TEST_P(VerifyDamageTest, DetectsBrokenInvariant) {
  Populate();
  ASSERT_TRUE(store_->Verify().ok());
  store_.reset();
  RawSql(db_path(), GetParam().sql);
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  Status st = store_->Verify();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption);
  EXPECT_NE(st.message().find(GetParam().expect), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(db_path()), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Invariants, VerifyDamageTest,
    ::testing::Values(
        Damage{"StepGap", "DELETE FROM steps WHERE number = 2", "steps numbered 1..3 but 2"},
        Damage{"LessonVersion", "UPDATE lessons SET version = 5", "is at version 5"},
        Damage{"BadJson", "PRAGMA ignore_check_constraints = 1; UPDATE kv SET value = '{oops'",
               "CHECK constraint failed in kv"},
        // Invariants that no CHECK constraint covers: engram's own queries.
        Damage{"OutcomeKind", "UPDATE episodes SET outcome_kind = 'failure' WHERE id = 'ep-1'",
               "does not match"},
        Damage{"Confidence",
               "PRAGMA ignore_check_constraints = 1; UPDATE lessons SET confidence = 2",
               "CHECK constraint failed in lessons"},
        Damage{"ForeignKey",
               "PRAGMA foreign_keys = OFF; INSERT INTO steps VALUES ('ghost', 1, 't', 'a', "
               "'{}', 'success', '', 0, 0, '', 0)",
               "references a missing episodes"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(MaintenanceTest, BackupIsAConsistentVerifiedCopy) {
  Populate();
  std::string dest = dir_.File("backups/copy.db");
  ASSERT_TRUE(store_->Backup(dest).ok());
  EXPECT_FALSE(std::filesystem::exists(dest + ".partial"));
  auto copy = Open("backups/copy.db");
  ASSERT_NE(copy, nullptr);
  EXPECT_TRUE(copy->Verify().ok());
  EXPECT_EQ(Dump(*copy), Dump(*store_));
  EXPECT_EQ(copy->Stats()->journal_mode, "wal");
}

TEST_F(MaintenanceTest, BackupRefusesToOverwriteAFileButTakesAnEmptyOne) {
  Populate();
  std::string dest = dir_.File("copy.db");
  ASSERT_TRUE(store_->Backup(dest).ok());
  EXPECT_EQ(store_->Backup(dest).code(), ErrorCode::kAlreadyExists);
  std::string empty = dir_.File("empty.db");
  std::ofstream(empty).close();
  EXPECT_TRUE(store_->Backup(empty).ok());
  EXPECT_TRUE(Open("empty.db")->GetEpisode("ep-1").ok());
  Status nested = store_->RunInTransaction([&] { return store_->Backup(dir_.File("in-tx.db")); });
  EXPECT_EQ(nested.code(), ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("in-tx.db")));
}

TEST_F(MaintenanceTest, RestoreReplacesTheWholeContent) {
  Populate();
  std::string backup = dir_.File("copy.db");
  ASSERT_TRUE(store_->Backup(backup).ok());
  const std::string before = Dump(*store_);
  ASSERT_TRUE(store_->DeleteEpisode("ep-1").ok());
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("later")).ok());
  ASSERT_TRUE(store_->KvPut("ns", "k", 99, {}, 2).ok());
  ASSERT_NE(Dump(*store_), before);

  ASSERT_TRUE(store_->Restore(backup).ok());
  EXPECT_EQ(Dump(*store_), before);
  EXPECT_TRUE(store_->GetEpisode("later").status().IsNotFound());
  EXPECT_TRUE(store_->Verify().ok());
  // Another connection to the same file sees the restored content too.
  EXPECT_EQ(Dump(*Open()), before);
  // And the store keeps working after a restore.
  EXPECT_EQ(*store_->AppendStep("ep-2", MakeStep("after"), 10), 1);
}

TEST_F(MaintenanceTest, RestoreFromABadSourceLeavesTheLiveDatabaseUntouched) {
  Populate();
  const std::string before = Dump(*store_);

  std::string garbage = dir_.File("garbage.db");
  {
    std::ofstream out(garbage, std::ios::binary);
    out << std::string(8192, 'x');
  }
  EXPECT_EQ(store_->Restore(garbage).code(), ErrorCode::kCorruption);

  std::string foreign = dir_.File("foreign.db");
  RawSql(foreign, "CREATE TABLE t (x)");
  EXPECT_EQ(store_->Restore(foreign).code(), ErrorCode::kCorruption);

  std::string empty = dir_.File("empty.db");
  std::ofstream(empty).close();
  EXPECT_EQ(store_->Restore(empty).code(), ErrorCode::kCorruption);

  std::string broken = dir_.File("broken.db");
  ASSERT_TRUE(store_->Backup(broken).ok());
  RawSql(broken, "DELETE FROM steps WHERE number = 1");
  Status st = store_->Restore(broken);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption);
  EXPECT_NE(st.message().find("steps numbered"), std::string::npos) << st.message();

  EXPECT_TRUE(store_->Restore(dir_.File("missing.db")).IsNotFound());
  Status nested = store_->RunInTransaction([&] { return store_->Restore(broken); });
  EXPECT_EQ(nested.code(), ErrorCode::kFailedPrecondition);

  EXPECT_EQ(Dump(*store_), before);
  EXPECT_TRUE(store_->Verify().ok());
}

}  // namespace
}  // namespace engram::store_test
