// The full-text rows' check at open runs once per store (store_flags
// 'full_text_complete'): it scans every lesson and episode, 0.8 s at 100k
// lessons on a cold cache, and used to run at every open (issue 20 §5/§6).
#include <gtest/gtest.h>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using FullTextBackfillTest = StoreTest;

std::vector<std::string> Hits(Store& store, const std::string& query) {
  auto hits = store.fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  EXPECT_TRUE(hits.ok()) << hits.status().ToString();
  std::vector<std::string> ids;
  for (const TextHit& h : hits.ok() ? *hits : std::vector<TextHit>{}) ids.push_back(h.id);
  return ids;
}

TEST_F(FullTextBackfillTest, AMissingRowIsBackfilledUntilTheStoreIsMarkedComplete) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-a")).ok());
  store_.reset();
  // As a store from before the full-text tables: a lesson without its row
  // and no mark yet.
  RawSql(db_path(), "DELETE FROM lesson_text WHERE lesson_id = 'l-a'");
  RawSql(db_path(), "DELETE FROM store_flags");
  store_ = Open();
  EXPECT_EQ(Hits(*store_, "shm"), (std::vector<std::string>{"l-a"}));  // backfilled
  store_.reset();
  // Marked now: the scan is not repeated (a row removed by hand stays removed).
  RawSql(db_path(), "DELETE FROM lesson_text WHERE lesson_id = 'l-a'");
  store_ = Open();
  EXPECT_TRUE(Hits(*store_, "shm").empty());
}

}  // namespace
}  // namespace engram::store_test
