// Store::OptimizeFullText: FTS5 segments merged into one, search results
// (FTS5 and the in-memory postings of a live connection) unchanged, later
// writes still found; bulk imports merge by themselves.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sstream>
#include <string>
#include <vector>

#include "engram/export.h"
#include "engram/fulltext.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

// Distinct FTS5 segments of lesson_fts, read through a connection of its own.
int Segments(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(db, "SELECT count(DISTINCT segid) FROM lesson_fts_idx", -1, &st, nullptr),
      SQLITE_OK);
  int n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

Lesson Numbered(int i) {
  Lesson l = MakeLesson("l-" + std::to_string(i), 1'000 + i);
  const char* words[] = {"alpha", "beta", "gamma", "delta", "omega"};
  l.title = std::string(words[i % 5]) + " lesson " + std::to_string(i);
  l.content = std::string(words[(i * 3) % 5]) + " and " + words[(i + 1) % 5] + " " +
              (i % 7 == 0 ? "alpha alpha" : "plain");
  return l;
}

std::vector<std::pair<std::string, double>> Hits(Store& s, const std::string& query) {
  std::vector<std::pair<std::string, double>> out;
  auto r = s.fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (r.ok()) {
    for (const TextHit& h : *r) out.emplace_back(h.id, h.bm25);
  }
  return out;
}

class OptimizeFullTextTest : public StoreTest {};

TEST_F(OptimizeFullTextTest, MergesSegmentsAndKeepsEveryAnswer) {
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(store_->InsertLesson(Numbered(i)).ok());
  ASSERT_GT(Segments(db_path()), 1);  // one write transaction per lesson
  const auto alpha = Hits(*store_, "alpha gamma");
  const auto omega = Hits(*store_, "omega plain");
  ASSERT_EQ(alpha.size(), 10u);

  ASSERT_TRUE(store_->OptimizeFullText().ok());
  EXPECT_EQ(Segments(db_path()), 1);
  // This connection's in-memory postings and a fresh connection agree.
  EXPECT_EQ(Hits(*store_, "alpha gamma"), alpha);
  EXPECT_EQ(Hits(*store_, "omega plain"), omega);
  auto fresh = Open();
  EXPECT_EQ(Hits(*fresh, "alpha gamma"), alpha);
  EXPECT_EQ(Hits(*fresh, "omega plain"), omega);

  // A later write is found by both; merging again is harmless.
  Lesson extra = Numbered(100);
  extra.title = "zeta alpha alpha alpha";
  ASSERT_TRUE(store_->InsertLesson(extra).ok());
  const auto after = Hits(*store_, "alpha gamma");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.front().first, "l-100");
  EXPECT_EQ(Hits(*fresh, "alpha gamma"), after);
  ASSERT_TRUE(store_->OptimizeFullText().ok());
  EXPECT_EQ(Segments(db_path()), 1);
  EXPECT_EQ(Hits(*store_, "alpha gamma"), after);
  // Inside the caller's transaction it runs as part of it.
  ASSERT_TRUE(store_->RunInTransaction([&] { return store_->OptimizeFullText(); }).ok());
  EXPECT_EQ(Hits(*fresh, "alpha gamma"), after);
}

TEST_F(OptimizeFullTextTest, BulkImportEndsMerged) {
  // The source: kOptimizeAfterRecords lessons in one export.
  auto source = Open("source.db");
  ASSERT_TRUE(source
                  ->RunInTransaction([&]() -> Status {
                    for (int i = 0; i < kOptimizeAfterRecords; ++i) {
                      ENGRAM_RETURN_IF_ERROR(source->InsertLesson(Numbered(i)));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::stringstream dump;
  ASSERT_TRUE(ExportJsonl(*source, dump).ok());
  // The target already has segments of its own writes.
  for (int i = 5000; i < 5030; ++i) ASSERT_TRUE(store_->InsertLesson(Numbered(i)).ok());
  ASSERT_GT(Segments(db_path()), 1);
  auto stats = ImportJsonl(*store_, dump);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->lessons, kOptimizeAfterRecords);
  EXPECT_EQ(Segments(db_path()), 1);
  auto fresh = Open();
  EXPECT_EQ(Hits(*fresh, "alpha gamma"), Hits(*store_, "alpha gamma"));
}

}  // namespace
}  // namespace engram::store_test
