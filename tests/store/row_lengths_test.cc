// RowLengths (the BM25 scorer's in-memory row lengths) stays exact: after
// writes through the same connection, inside and after a rolled-back
// transaction, and after other connections' writes; Bm25TopK's answers
// keep equalling FTS5's own bm25() throughout.
#include "store/sqlite/row_lengths.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "bm25_test_util.h"

namespace engram::sqlite {
namespace {

using bm25_test::Bm25TopKTest;
using bm25_test::Hit;
using bm25_test::Top;
using bm25_test::Word;

// Deterministic padding words, none of them a query word.
std::string Padding(int words) {
  std::string out;
  for (int i = 0; i < words; ++i) out += "filler" + std::to_string(i % 7) + " ";
  return out;
}

class RowLengthsTest : public Bm25TopKTest {
 protected:
  void SetUp() override {
    Bm25TopKTest::SetUp();
    AddLessons(1500);
    auto conn = Connection::Open(db_path(), /*read_only=*/false, 1000);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(*conn);
    topk_ = std::make_unique<Bm25TopK>(*conn_);
  }

  // Searches through `topk` (topk_ by default) and checks the answer against FTS5's on conn_.
  void ExpectExact(const std::string& what, Bm25TopK* topk = nullptr) {
    if (!topk) topk = topk_.get();
    auto got = topk->Search(LessonFtsTable(), words_, Top(10), "token-" + what, nullptr);
    ASSERT_TRUE(got.ok()) << what << ": " << got.status().ToString();
    ExpectSame(*got, Reference(words_, 10, conn_->handle()), what);
  }

  void Exec(const std::string& sql) { ASSERT_TRUE(conn_->Exec(sql).ok()) << sql; }

  // The best row's id for the query, as FTS5 ranks it on conn_.
  std::string Best() {
    const std::vector<Hit> want = Reference(words_, 10, conn_->handle());
    return want.empty() ? "" : want.front().id;
  }

  // Makes `id`'s row `extra` tokens longer (its score falls).
  void Lengthen(const std::string& id, int extra) {
    Exec("UPDATE lesson_text SET content = content || ' " + Padding(extra) +
         "' WHERE lesson_id = '" + id + "'");
  }

  // The same through the store (another connection than conn_).
  void LengthenThroughStore(const std::string& id, int extra) {
    Lesson l = store_->GetLesson(id).value();
    l.content += " " + Padding(extra);
    l.version += 1;
    l.updated_at += 1;
    ASSERT_TRUE(store_->UpdateLesson(l, "test").ok()) << id;
  }

  const std::vector<std::string> words_ = {Word(350), Word(5), Word(390)};
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Bm25TopK> topk_;
};

TEST_F(RowLengthsTest, FollowsThisConnectionsWritesAndRollbacks) {
  ExpectExact("first");
  EXPECT_EQ(topk_->row_length_stats().loads, 1);

  // A committed update on this connection: the best row gets long and
  // drops; its length is re-read, not the whole table.
  const std::string best = Best();
  Lengthen(best, 300);
  ASSERT_NE(Best(), best) << "lengthening the best row did not change the ranking";
  ExpectExact("after update");
  EXPECT_EQ(topk_->row_length_stats().loads, 1);
  EXPECT_GE(topk_->row_length_stats().reread, 1);

  // A delete on this connection.
  const std::string second = Best();
  Exec("DELETE FROM lesson_text WHERE lesson_id = '" + second + "'");
  ExpectExact("after delete");

  // Inside a write transaction the uncommitted rows are scored from FTS5's
  // own lengths; after the rollback the held lengths are still right.
  const int skipped = topk_->row_length_stats().skipped;
  Exec("BEGIN IMMEDIATE");
  const std::string third = Best();
  Lengthen(third, 300);
  ASSERT_NE(Best(), third);
  ExpectExact("inside the transaction");
  EXPECT_EQ(topk_->row_length_stats().skipped, skipped + 1);
  Exec("ROLLBACK");
  ASSERT_EQ(Best(), third) << "the rollback did not restore the ranking";
  ExpectExact("after rollback");
  EXPECT_EQ(topk_->row_length_stats().loads, 1);
}

TEST_F(RowLengthsTest, OtherConnectionsWritesReloadOnlyWhenTheIndexChanged) {
  ExpectExact("first");
  ASSERT_EQ(topk_->row_length_stats().loads, 1);

  // Another connection writes elsewhere (no lesson text): nothing reloads.
  ASSERT_TRUE(store_->CreateEpisode(store_test::MakeEpisode("ep-1")).ok());
  ExpectExact("after a foreign episode write");
  EXPECT_EQ(topk_->row_length_stats().loads, 1);

  // Another connection changes a row's length: the table reloads.
  const std::string best = Best();
  LengthenThroughStore(best, 300);
  ASSERT_NE(Best(), best);
  ExpectExact("after a foreign update");
  EXPECT_EQ(topk_->row_length_stats().loads, 2);
}

TEST_F(RowLengthsTest, ThroughTheStoreAfterItsOwnWrites) {
  // The store's SearchText runs inside its read transaction: the re-read
  // (and its TEMP table delete) must work there too. The store's connection
  // wrote its 1,500 lessons before the TEMP triggers existed: FTS5's cached
  // docsize statements must fire them all the same.
  const std::string query = words_[0] + " " + words_[1] + " " + words_[2];
  auto before = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ExpectSame(*before, Reference(words_, 10), "before");
  for (int round = 0; round < 3; ++round) {
    LengthenThroughStore(before->front().id, 200);
    auto after = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
    ASSERT_TRUE(after.ok()) << after.status().ToString();
    ExpectSame(*after, Reference(words_, 10), "after update " + std::to_string(round));
    before = std::move(after);
  }
}

TEST_F(RowLengthsTest, StoreSearchIsExactAfterRestore) {
  // Restore replaces the database under the store's scorer: its lengths
  // (and TEMP triggers) must not describe the replaced content.
  const std::string query = words_[0] + " " + words_[1] + " " + words_[2];
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(store_->Backup(backup).ok());
  const std::string best = Best();
  auto before = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  LengthenThroughStore(best, 300);
  ASSERT_NE(Best(), best);
  auto changed = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  ExpectSame(*changed, Reference(words_, 10), "before restore");

  ASSERT_TRUE(store_->Restore(backup).ok());
  ASSERT_EQ(Best(), best) << "the restore did not bring the old ranking back";
  auto restored = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  ExpectSame(*restored, Reference(words_, 10), "after restore");
  // And the scorer follows the store's writes after the restore.
  LengthenThroughStore(best, 300);
  auto after = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ExpectSame(*after, Reference(words_, 10), "a write after restore");
}

TEST_F(RowLengthsTest, TwoOnOneConnectionAreIndependent) {
  // Each keeps its own TEMP table: one consuming its notes of a write, or
  // going away, leaves the other's intact.
  auto other = std::make_unique<Bm25TopK>(*conn_);
  ExpectExact("first");
  ExpectExact("other first", other.get());
  Lengthen(Best(), 300);
  ExpectExact("after update");
  ExpectExact("other after update", other.get());
  EXPECT_EQ(other->row_length_stats().loads, 1);
  other.reset();
  Lengthen(Best(), 300);
  ExpectExact("after the other is gone");
  EXPECT_EQ(topk_->row_length_stats().loads, 1);
}

TEST_F(RowLengthsTest, HoldsEachRowsTotalAndRefusesSparseRowids) {
  RowLengths lengths(*conn_);
  auto got = lengths.Get("lesson_fts");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_NE(*got, nullptr);
  // The held lengths add up to FTS5's own token total (its averages
  // record: the row count, then each column's token total, as varints).
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(conn_->handle(), "SELECT block FROM lesson_fts_data WHERE id = 1",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  std::string record(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                     static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
  sqlite3_finalize(st);
  std::string_view rec = record;
  std::uint64_t rows = 0, tokens = 0, column = 0;
  ASSERT_TRUE(GetVarint(rec, rows));
  for (int c = 0; c < 5; ++c) {
    ASSERT_TRUE(GetVarint(rec, column));
    tokens += column;
  }
  std::uint64_t held_rows = 0, held_tokens = 0;
  for (std::uint32_t v : **got) {
    if (v == RowLengths::kUnknown) continue;
    ++held_rows;
    held_tokens += v;
  }
  EXPECT_EQ(held_rows, rows);
  EXPECT_EQ(held_tokens, tokens);
  EXPECT_GT(tokens, rows);

  // A lesson row with a rowid far beyond the others: not indexed by rowid.
  Exec("PRAGMA foreign_keys = OFF");
  Exec(
      "INSERT INTO lesson_text (doc, lesson_id, title, content, topic, tags, expanded) "
      "VALUES (50000000, 'far', 'far', '" +
      words_[0] + "', 't', '', '')");
  auto sparse = lengths.Get("lesson_fts");
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  EXPECT_EQ(*sparse, nullptr);
  ExpectExact("sparse rowids");

  EXPECT_TRUE(lengths.Get("no such'table").status().IsInvalidArgument());
}

// A table larger than inline_length_rows is scored by FTS5's rounds, with
// nothing read ahead, until its inline_length_searches-th search loads the
// lengths; every answer is exact throughout.
TEST_F(RowLengthsTest, ALargeTableLoadsItsLengthsOnlyAtTheNthSearch) {
  Bm25TopKOptions o;
  o.inline_length_rows = 1000;  // the table has 1,500
  o.inline_length_searches = 3;
  Bm25TopK topk(*conn_, o);
  for (int i = 1; i <= 2; ++i) {
    Bm25TopKStats stats;
    auto got = topk.Search(LessonFtsTable(), words_, Top(10), "t", &stats);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectSame(*got, Reference(words_, 10, conn_->handle()), "search " + std::to_string(i));
    EXPECT_FALSE(stats.in_memory) << i;
    EXPECT_EQ(topk.row_length_stats().loads, 0) << i;
  }
  Bm25TopKStats stats;
  auto got = topk.Search(LessonFtsTable(), words_, Top(10), "t", &stats);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSame(*got, Reference(words_, 10, conn_->handle()), "third search");
  EXPECT_TRUE(stats.in_memory);
  EXPECT_EQ(topk.row_length_stats().loads, 1);

  // At or under the threshold the first search loads them, unless a
  // warm-up is reading them (AwaitLengths).
  o.inline_length_rows = 1500;
  Bm25TopK small(*conn_, o);
  small.AwaitLengths("lesson_fts", true);
  for (int i = 0; i < 10; ++i) ExpectExact("awaited " + std::to_string(i), &small);
  EXPECT_EQ(small.row_length_stats().loads, 0);
  small.AwaitLengths("lesson_fts", false);
  ExpectExact("small table", &small);
  EXPECT_EQ(small.row_length_stats().loads, 1);
}

// Row lengths read on another connection are taken as they are while the
// index is unchanged, and refused once it changed (or when some are held).
TEST_F(RowLengthsTest, AdoptsASnapshotReadElsewhereOnlyWhileTheIndexIsUnchanged) {
  auto reader = Connection::Open(db_path(), /*read_only=*/true, 1000);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto snapshot = [&]() -> RowLengths::Snapshot {
    EXPECT_TRUE((*reader)->Exec("BEGIN").ok());
    auto got = RowLengths::ReadSnapshot(**reader, "lesson_fts");
    EXPECT_TRUE((*reader)->Exec("COMMIT").ok());
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? std::move(*got) : RowLengths::Snapshot{};
  };
  Bm25TopKOptions o;
  o.inline_length_rows = 0;  // never loads on a search before the 8th
  Bm25TopK topk(*conn_, o);
  auto adopt = [&](Bm25TopK& into, RowLengths::Snapshot s) {
    EXPECT_TRUE(conn_->Exec("BEGIN").ok());
    auto taken = into.AdoptLengths(LessonFtsTable(), std::move(s));
    EXPECT_TRUE(conn_->Exec("COMMIT").ok());
    EXPECT_TRUE(taken.ok()) << taken.status().ToString();
    return taken.ok() && *taken;
  };
  RowLengths::Snapshot current = snapshot();
  ASSERT_TRUE(current.usable);
  EXPECT_TRUE(adopt(topk, current));
  EXPECT_EQ(topk.row_length_stats().adopted, 1);
  Bm25TopKStats stats;
  auto got = topk.Search(LessonFtsTable(), words_, Top(10), "t", &stats);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSame(*got, Reference(words_, 10, conn_->handle()), "adopted");
  EXPECT_TRUE(stats.in_memory);
  EXPECT_EQ(topk.row_length_stats().loads, 0);
  EXPECT_FALSE(adopt(topk, current)) << "some are held already";

  // Writes after the snapshot, through this connection or another: refused,
  // and the searches stay exact (through FTS5, then loading them).
  Bm25TopK later(*conn_, o);
  RowLengths::Snapshot stale = snapshot();
  Lengthen(Best(), 300);
  EXPECT_FALSE(adopt(later, stale));
  ExpectExact("this connection wrote", &later);
  Bm25TopK third(*conn_, o);
  stale = snapshot();
  LengthenThroughStore(Best(), 300);
  EXPECT_FALSE(adopt(third, stale));
  ExpectExact("another connection wrote", &third);
  EXPECT_EQ(third.row_length_stats().adopted, 0);
  // The adopted copy follows the writes like a loaded one.
  ExpectExact("adopted, after writes", &topk);
}

}  // namespace
}  // namespace engram::sqlite
