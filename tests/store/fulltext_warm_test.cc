// FullTextIndex::Warm (SqliteStore, fulltext_warm.cc) and Bm25TopK::Warm:
// the lists of the words held by the most rows are loaded ahead of the
// queries, within the budget, in steps, skipping tokens no query word
// reaches; the searches after a warm-up stay exact and read no list again.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "bm25_test_util.h"
#include "engram/fulltext.h"

namespace engram::sqlite {
namespace {

using bm25_test::Bm25TopKTest;
using bm25_test::Top;
using bm25_test::Word;

class FullTextWarmTest : public Bm25TopKTest {
 protected:
  // 1,500 Zipfian lessons, and 60 more whose content says "agreed": the
  // porter stemmer indexes that as "agre", which it stems again to "agr",
  // so no query word reaches the token "agre".
  void SetUp() override {
    Bm25TopKTest::SetUp();
    AddLessons(1500);
    AddLessons(60, "agreed");
  }

  // Tokens of the lesson index held by >= min_rows rows, by FTS5's
  // vocabulary, most rows first (ties by token), as (token, rows).
  std::vector<std::pair<std::string, std::int64_t>> Vocabulary(std::int64_t min_rows) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_path().c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, lesson_fts, row)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(
                  db, "SELECT term, doc FROM temp.v WHERE doc >= ?1 ORDER BY doc DESC, term", -1,
                  &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, min_rows);
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                       sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  // Whether FTS5 finds `rows` rows for the token used as a query word (so a
  // query reaches the token's list through it).
  bool Reachable(const std::string& token, std::int64_t rows) {
    return static_cast<std::int64_t>(Reference({token}, 100000).size()) == rows;
  }

  // What Warm should load: the reachable tokens with >= min_rows rows,
  // greedily within `budget` postings.
  FullTextWarmStats Expected(std::int64_t min_rows, std::size_t budget) {
    FullTextWarmStats want;
    for (const auto& [token, rows] : Vocabulary(min_rows)) {
      if (static_cast<std::size_t>(rows) > budget) {
        ++want.words_skipped;
        continue;
      }
      budget -= static_cast<std::size_t>(rows);
      if (!Reachable(token, rows)) continue;
      ++want.words;
      want.postings += rows;
    }
    return want;
  }

  FullTextIndex& fts() { return *store_->fulltext(); }
};

TEST_F(FullTextWarmTest, LoadsTheFrequentWordsAndSearchesStayExact) {
  // The stemmed token is in the index, and a query cannot reach it.
  bool agre = false;
  for (const auto& [token, rows] : Vocabulary(60)) agre = agre || token == "agre";
  ASSERT_TRUE(agre) << "the corpus lost its unreachable token";
  ASSERT_FALSE(Reachable("agre", 60));

  FullTextWarmOptions o;
  o.min_rows = 50;
  const FullTextWarmStats want = Expected(o.min_rows, o.max_postings);
  ASSERT_GT(want.words, 10);
  auto got = fts().Warm(TextCorpus::kLessons, o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->words, want.words);
  EXPECT_EQ(got->postings, want.postings);
  EXPECT_EQ(got->words_skipped, 0);
  EXPECT_FALSE(got->stopped);

  // The warmed store answers exactly as FTS5 does, words warmed or not.
  for (int q = 0; q < 60; ++q) {
    std::vector<std::string> words = RandomQuery();
    if (q % 10 == 0) words.push_back("agreed");
    std::string query, what = "query";
    for (const std::string& w : words) query += w + " ", what += " " + w;
    auto hits = fts().SearchText(TextCorpus::kLessons, query, 20);
    ASSERT_TRUE(hits.ok()) << what << ": " << hits.status().ToString();
    ExpectSame(*hits, Reference(words, 20), what);
  }
  // Warming again holds the same lists (nothing new to load).
  auto again = fts().Warm(TextCorpus::kLessons, o);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->words, want.words);
  EXPECT_EQ(again->postings, want.postings);
}

TEST_F(FullTextWarmTest, TheBudgetSkipsTheWordsThatDoNotFit) {
  const auto vocabulary = Vocabulary(20);
  ASSERT_GE(vocabulary.size(), 3u);
  FullTextWarmOptions o;
  o.min_rows = 20;
  // The most frequent word does not fit; the next ones share what is left.
  o.max_postings = static_cast<std::size_t>(vocabulary[0].second - 1);
  const FullTextWarmStats want = Expected(o.min_rows, o.max_postings);
  auto got = fts().Warm(TextCorpus::kLessons, o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_GE(got->words_skipped, 1);
  EXPECT_EQ(got->words_skipped, want.words_skipped);
  EXPECT_EQ(got->words, want.words);
  EXPECT_EQ(got->postings, want.postings);
  EXPECT_GT(got->words, 0);
  EXPECT_LE(static_cast<std::size_t>(got->postings), o.max_postings);
}

TEST_F(FullTextWarmTest, OneWordPerStepLoadsTheSame) {
  FullTextWarmOptions whole;
  whole.min_rows = 30;
  FullTextWarmOptions steps = whole;
  steps.step_postings = 1;
  auto a = fts().Warm(TextCorpus::kLessons, steps);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const FullTextWarmStats want = Expected(whole.min_rows, whole.max_postings);
  EXPECT_EQ(a->words, want.words);
  EXPECT_EQ(a->postings, want.postings);
}

TEST_F(FullTextWarmTest, StopsWhenAskedAndChecksItsOptions) {
  std::stop_source stop;
  stop.request_stop();
  FullTextWarmOptions o;
  o.min_rows = 10;
  o.stop = stop.get_token();
  auto stopped = fts().Warm(TextCorpus::kLessons, o);
  ASSERT_TRUE(stopped.ok()) << stopped.status().ToString();
  EXPECT_TRUE(stopped->stopped);
  EXPECT_EQ(stopped->words, 0);
  EXPECT_EQ(stopped->postings, 0);

  FullTextWarmOptions bad;
  bad.min_rows = 0;
  auto r = fts().Warm(TextCorpus::kLessons, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("min_rows"), std::string::npos);
  bad = FullTextWarmOptions{};
  bad.step_postings = 0;
  r = fts().Warm(TextCorpus::kLessons, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("step_postings"), std::string::npos);

  // No episodes: nothing to load, no error.
  auto episodes = fts().Warm(TextCorpus::kEpisodes, FullTextWarmOptions{});
  ASSERT_TRUE(episodes.ok()) << episodes.status().ToString();
  EXPECT_EQ(episodes->words, 0);
}

TEST_F(FullTextWarmTest, AWarmedListIsNotReadAgainByQueries) {
  auto conn = Connection::Open(db_path(), /*read_only=*/false, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  Bm25TopK topk(**conn);
  const auto vocabulary = Vocabulary(1);
  std::map<std::string, std::int64_t> rows(vocabulary.begin(), vocabulary.end());
  const std::vector<std::string> tokens = {Word(0), Word(1), Word(7), "agre"};
  auto warmed = topk.Warm(LessonFtsTable(), tokens, "t1");
  ASSERT_TRUE(warmed.ok()) << warmed.status().ToString();
  EXPECT_EQ(warmed->lists, 3);  // "agre" is skipped
  EXPECT_EQ(warmed->postings, rows[Word(0)] + rows[Word(1)] + rows[Word(7)]);
  EXPECT_EQ(topk.postings_stats().lists_loaded, 3);
  EXPECT_EQ(topk.postings_held(), static_cast<std::size_t>(warmed->postings));

  const std::vector<std::string> words = {Word(0), Word(7)};
  Bm25TopKStats stats;
  auto hits = topk.Search(LessonFtsTable(), words, Top(10), "t1", &stats);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_TRUE(stats.in_memory);
  ExpectSame(*hits, Reference(words, 10), "warmed words");
  EXPECT_EQ(topk.postings_stats().lists_loaded, 3) << "a warmed list was read again";
  // A word not warmed loads on first use, as before.
  hits = topk.Search(LessonFtsTable(), {"agreed", Word(1)}, Top(10), "t1", &stats);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ExpectSame(*hits, Reference({"agreed", Word(1)}, 10), "agreed");
  EXPECT_EQ(topk.postings_stats().lists_loaded, 4);
}

}  // namespace
}  // namespace engram::sqlite
