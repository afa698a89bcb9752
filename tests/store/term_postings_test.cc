// Bm25TopK's in-memory way (TermPostings + MaxScoreTopK) returns what
// FTS5's own bm25() query returns, prunes, and stays exact as the table
// changes: this connection's writes patch the cached lists (no reload),
// a write transaction and phrase words fall back to FTS5, another
// connection's write drops the lists, and the memory budget evicts them.
#include "store/sqlite/term_postings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bm25_test_util.h"
#include "store/sqlite/maxscore.h"

namespace engram::sqlite {
namespace {

using bm25_test::Bm25TopKTest;
using bm25_test::Hit;
using bm25_test::Top;
using bm25_test::Word;

class TermPostingsTest : public Bm25TopKTest {
 protected:
  void Open(int lessons, Bm25TopKOptions options = {}) {
    AddLessons(lessons);
    auto conn = Connection::Open(db_path(), /*read_only=*/false, 1000);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(*conn);
    topk_ = std::make_unique<Bm25TopK>(*conn_, options);
  }

  // Searches `words` and checks the answer against FTS5's on conn_.
  Bm25TopKStats ExpectExact(const std::vector<std::string>& words, const std::string& what,
                            int limit = 10) {
    Bm25TopKStats stats;
    auto got = topk_->Search(LessonFtsTable(), words, Top(limit), "token-" + what, &stats);
    EXPECT_TRUE(got.ok()) << what << ": " << got.status().ToString();
    if (got.ok()) ExpectSame(*got, Reference(words, limit, conn_->handle()), what);
    return stats;
  }

  void Exec(const std::string& sql) { ASSERT_TRUE(conn_->Exec(sql).ok()) << sql; }

  std::string Best(const std::vector<std::string>& words) {
    const std::vector<Hit> want = Reference(words, 10, conn_->handle());
    return want.empty() ? "" : want.front().id;
  }

  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Bm25TopK> topk_;
};

TEST_F(TermPostingsTest, MatchesFts5AndPrunes) {
  Open(3000);
  int pruned = 0;
  for (int q = 0; q < 150; ++q) {
    const std::vector<std::string> words = RandomQuery();
    for (int limit : {1, 10, 60}) {
      std::string what = "query";
      for (const std::string& w : words) what += " " + w;
      what += " limit " + std::to_string(limit);
      const Bm25TopKStats stats = ExpectExact(words, what, limit);
      EXPECT_TRUE(stats.in_memory) << what;
      if (stats.pruned) {
        ++pruned;
        EXPECT_LT(stats.rows_scored, 3000) << what;
      }
    }
  }
  EXPECT_GT(pruned, 225) << "pruned " << pruned << " of 450";
  // Each word's list was read once, however many queries used it.
  EXPECT_LE(topk_->postings_stats().lists_loaded, bm25_test::kVocabulary);
  EXPECT_EQ(topk_->postings_stats().tables_dropped, 0);
}

TEST_F(TermPostingsTest, ThisConnectionsWritesPatchTheListsWithoutReloading) {
  Open(1500);
  const std::vector<std::string> words = {Word(350), Word(5), Word(390)};
  ExpectExact(words, "first");
  const std::int64_t loaded = topk_->postings_stats().lists_loaded;
  ASSERT_EQ(loaded, 3);

  // A row gains a query word (in the title, weight 2).
  Exec("UPDATE lesson_text SET title = '" + Word(350) + " " + Word(350) + " " + Word(350) +
       "', content = 'short' WHERE lesson_id = 'lesson-7'");
  ASSERT_EQ(Best(words), "lesson-7") << "the update did not make the row win";
  ExpectExact(words, "after a row gains a word");
  // The best row loses every query word.
  const std::string best = Best(words);
  Exec(
      "UPDATE lesson_text SET title = 'plain', content = 'nothing here', topic = 'none' "
      "WHERE lesson_id = '" +
      best + "'");
  ASSERT_NE(Best(words), best);
  ExpectExact(words, "after a row loses its words");
  // A row is deleted, and its text comes back under a new rowid.
  const std::string next = Best(words);
  Exec("DELETE FROM lesson_text WHERE lesson_id = '" + next + "'");
  ExpectExact(words, "after a delete");
  Exec("INSERT INTO lesson_text (lesson_id, title, content, topic, tags, expanded) VALUES ('" +
       next + "', '" + Word(390) + " " + Word(390) + " " + Word(390) + "', '" + Word(5) +
       "', 't', '', '')");
  ASSERT_EQ(Best(words), next);
  ExpectExact(words, "after an insert");
  EXPECT_EQ(topk_->postings_stats().lists_loaded, loaded) << "a list was read again";
  EXPECT_EQ(topk_->postings_stats().tables_dropped, 0);
  EXPECT_EQ(topk_->postings_stats().rows_patched, 4);
}

TEST_F(TermPostingsTest, WriteTransactionsFallBackAndRollbacksLeaveTheListsRight) {
  Open(1500);
  const std::vector<std::string> words = {Word(350), Word(5), Word(390)};
  EXPECT_TRUE(ExpectExact(words, "first").in_memory);
  Exec("BEGIN IMMEDIATE");
  const std::string best = Best(words);
  Exec("UPDATE lesson_text SET title = 'plain', content = 'gone' WHERE lesson_id = '" + best + "'");
  ASSERT_NE(Best(words), best);
  EXPECT_FALSE(ExpectExact(words, "inside the transaction").in_memory);
  Exec("ROLLBACK");
  ASSERT_EQ(Best(words), best);
  EXPECT_TRUE(ExpectExact(words, "after the rollback").in_memory);
  EXPECT_EQ(topk_->postings_stats().rows_patched, 0);
  EXPECT_EQ(topk_->postings_stats().lists_loaded, 3);
}

TEST_F(TermPostingsTest, AnotherConnectionsWriteDropsTheLists) {
  Open(1500);
  const std::vector<std::string> words = {Word(350), Word(5), Word(390)};
  ExpectExact(words, "first");
  Lesson l = store_->GetLesson("lesson-11").value();
  l.title = Word(390) + " " + Word(390) + " " + Word(390);
  l.version += 1;
  l.updated_at += 1;
  ASSERT_TRUE(store_->UpdateLesson(l, "test").ok());
  ASSERT_EQ(Best(words), "lesson-11");
  EXPECT_TRUE(ExpectExact(words, "after a foreign update").in_memory);
  EXPECT_EQ(topk_->postings_stats().tables_dropped, 1);
  EXPECT_EQ(topk_->postings_stats().lists_loaded, 6);
}

TEST_F(TermPostingsTest, ManyChangedRowsDropTheListsInsteadOfPatching) {
  Bm25TopKOptions options;
  options.postings.max_patched_rows = 2;
  Open(1500, options);
  const std::vector<std::string> words = {Word(350), Word(5), Word(390)};
  ExpectExact(words, "first");
  Exec("UPDATE lesson_text SET title = title || ' " + Word(5) +
       "' WHERE lesson_id IN ('lesson-1', 'lesson-2', 'lesson-3')");
  ExpectExact(words, "after three updates");
  EXPECT_EQ(topk_->postings_stats().rows_patched, 0);
  EXPECT_EQ(topk_->postings_stats().tables_dropped, 1);
  EXPECT_EQ(topk_->postings_stats().lists_loaded, 6);
}

TEST_F(TermPostingsTest, TheBudgetEvictsTheLeastRecentlyUsedLists) {
  Bm25TopKOptions options;
  options.postings.max_postings = 3000;
  Open(2000, options);
  for (int q = 0; q < 40; ++q) {
    const std::vector<std::string> words = RandomQuery();
    EXPECT_TRUE(ExpectExact(words, "query " + std::to_string(q)).in_memory);
  }
  EXPECT_GT(topk_->postings_stats().lists_evicted, 0);
  // What is held after a search: at most the budget plus that search's lists.
  ExpectExact({Word(200), Word(201)}, "small");
  ExpectExact({Word(202)}, "smaller");
  EXPECT_LE(topk_->postings_held(), 3000u + 2000u);
}

TEST_F(TermPostingsTest, PhraseWordsAndStopListedWordsFollowFts5) {
  Open(1500);
  // FTS5 splits "zab-zac" into a phrase of two tokens: FTS5 answers.
  const std::vector<std::string> phrase = {Word(1) + "-" + Word(2), Word(300)};
  EXPECT_FALSE(ExpectExact(phrase, "phrase").in_memory);
  // A single word is answered in memory too.
  EXPECT_TRUE(ExpectExact({Word(3)}, "one word").in_memory);
  // Unknown words hold no rows.
  EXPECT_TRUE(ExpectExact({"nosuchword", "othermissing"}, "unknown words").in_memory);
  // The stop list: Word(0) is in most rows.
  Bm25TopKStats stats;
  auto got = topk_->Search(LessonFtsTable(), {Word(0), Word(200)}, Top(10, 0.05), "t", &stats);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(stats.in_memory);
  ExpectSame(*got, Reference({Word(200)}, 10, conn_->handle()), "stop-listed word");
}

// MaxScoreTopK against scoring every row, on random lists with repeated
// words, ties (equal weights and lengths) and k beyond the rows.
TEST(MaxScoreTopKTest, EqualsScoringEveryRow) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = std::uniform_int_distribution<int>(1, 400)(rng);
    std::vector<std::uint32_t> lengths(static_cast<std::size_t>(rows));
    for (auto& len : lengths) len = std::uniform_int_distribution<std::uint32_t>(1, 12)(rng);
    const double avgdl = 6.5;
    const int nwords = std::uniform_int_distribution<int>(1, 5)(rng);
    std::vector<std::vector<Posting>> lists(static_cast<std::size_t>(nwords));
    std::vector<ScoredWord> words;
    for (auto& list : lists) {
      const double share = std::uniform_real_distribution<double>(0.01, 0.9)(rng);
      for (int r = 0; r < rows; ++r) {
        if (std::uniform_real_distribution<double>(0, 1)(rng) < share) {
          list.push_back(
              {static_cast<std::uint32_t>(r),
               static_cast<float>(std::uniform_int_distribution<int>(1, 3)(rng)) * 0.5f});
        }
      }
    }
    for (auto& list : lists) {
      const double idf = std::uniform_real_distribution<double>(0.1, 4)(rng);
      words.push_back({&list, idf, idf * MaxTermFactor(list, lengths, avgdl)});
    }
    if (trial % 5 == 0) words.push_back(words.front());  // a word given twice
    std::vector<double> score(static_cast<std::size_t>(rows), 0);
    std::vector<bool> hit(static_cast<std::size_t>(rows), false);
    for (const ScoredWord& w : words) {
      for (const Posting& p : *w.postings) {
        const double norm = kBm25K1 * (1 - kBm25B + kBm25B * lengths[p.row] / avgdl);
        score[p.row] += w.idf * p.weight * (kBm25K1 + 1) / (p.weight + norm);
        hit[p.row] = true;
      }
    }
    std::vector<double> want;
    for (int r = 0; r < rows; ++r) {
      if (hit[static_cast<std::size_t>(r)]) want.push_back(score[static_cast<std::size_t>(r)]);
    }
    std::sort(want.rbegin(), want.rend());
    const int k = std::uniform_int_distribution<int>(1, 30)(rng);
    if (want.size() > static_cast<std::size_t>(k)) want.resize(static_cast<std::size_t>(k));
    MaxScoreStats stats;
    auto got = MaxScoreTopK(words, lengths, avgdl, k, &stats);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(got->size(), want.size()) << "trial " << trial;
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_NEAR((*got)[i].second, want[i], 1e-9) << "trial " << trial << " rank " << i;
      EXPECT_NEAR(score[static_cast<std::size_t>((*got)[i].first)], (*got)[i].second, 1e-9)
          << "trial " << trial << " row " << (*got)[i].first;
    }
  }
  // A posting whose row has no length: the caller must score another way.
  std::vector<Posting> list = {{0, 1}, {5, 1}};
  std::vector<std::uint32_t> lengths = {3, 3};
  EXPECT_FALSE(MaxScoreTopK({{&list, 1, 10}}, lengths, 3, 5, nullptr).has_value());
}

}  // namespace
}  // namespace engram::sqlite
