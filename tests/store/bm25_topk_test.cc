// Bm25TopK's FTS5 rounds (MaxScore over FTS5, what answers when the
// in-memory postings cannot) return what FTS5's own bm25() query returns,
// on a Zipfian corpus where many queries hold frequent words, and they
// prune: most such queries are answered without the full query. The tests
// that look at the rounds turn the in-memory postings off (Fts5Rounds);
// term_postings_test.cc checks the in-memory way.
#include "store/sqlite/bm25_topk.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bm25_test_util.h"

namespace engram::sqlite {
namespace {

using bm25_test::Bm25TopKTest;
using bm25_test::Hit;
using bm25_test::Top;
using bm25_test::Word;
using store_test::MakeLesson;

// Options that make every search take the FTS5 rounds.
Bm25TopKOptions Fts5Rounds(std::int64_t first_round_rows = 1024) {
  Bm25TopKOptions o;
  o.first_round_rows = first_round_rows;
  o.in_memory_postings = false;
  return o;
}

TEST_F(Bm25TopKTest, MatchesFts5AndPrunesFrequentWords) {
  AddLessons(3000);
  auto conn = Connection::Open(db_path(), /*read_only=*/true, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  Bm25TopK topk(**conn, Fts5Rounds());
  Bm25TopK rarest_first(**conn, Fts5Rounds(0));
  int pruned = 0, full = 0;
  for (int q = 0; q < 150; ++q) {
    const std::vector<std::string> words = RandomQuery();
    for (int limit : {1, 10, 60}) {
      Bm25TopKStats stats;
      auto got = (q % 2 ? topk : rarest_first)
                     .Search(LessonFtsTable(), words, Top(limit), "token-1", &stats);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      std::string what = "query";
      for (const std::string& w : words) what += " " + w;
      what += " limit " + std::to_string(limit);
      ExpectSame(*got, Reference(words, limit), what);
      (stats.pruned ? pruned : full) += 1;
      if (stats.pruned) {
        EXPECT_LT(stats.rows_scored, 3000) << what;
      }
    }
  }
  // Both paths were compared, and pruning is the common case.
  EXPECT_GT(pruned, 225) << "pruned " << pruned << " of 450";
  EXPECT_GT(full, 0);
}

TEST_F(Bm25TopKTest, RowsHoldingOnlyFrequentWordsStillWin) {
  // A rare word in 20 rows, and 150 short rows repeating two frequent
  // words, which outscore the rare word's rows: the bounds must send the
  // search past the rare word's rows.
  AddLessons(3000);
  ASSERT_TRUE(store_
                  ->RunInTransaction([&]() -> Status {
                    for (int i = 0; i < 170; ++i) {
                      Lesson l = MakeLesson("special-" + std::to_string(i));
                      l.title = "special";
                      l.topic = "topic";
                      l.content = i < 20 ? "zrare " + Word(zipf_.Next()) + " " + Word(zipf_.Next())
                                         : "zmida zmida zmida zmidb zmidb zmidb";
                      ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                    }
                    return Status::Ok();
                  })
                  .ok());
  const std::vector<std::string> words = {"zrare", "zmida", "zmidb"};
  const std::vector<Hit> want = Reference(words, 10);
  ASSERT_EQ(want.size(), 10u);
  int frequent_only = 0;
  for (const Hit& h : want) frequent_only += h.id >= "special-20" ? 1 : 0;
  ASSERT_GT(frequent_only, 0) << "the corpus does not make frequent-only rows win";
  auto conn = Connection::Open(db_path(), true, 1000);
  ASSERT_TRUE(conn.ok());
  Bm25TopK topk(**conn, Fts5Rounds(0));  // rarest word alone first
  Bm25TopKStats stats;
  auto got = topk.Search(LessonFtsTable(), words, Top(10), "t", &stats);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSame(*got, want, "zrare zmida zmidb");
  EXPECT_GE(stats.rounds, 2);
}

TEST_F(Bm25TopKTest, SingleWordsUnknownWordsAndStopWordsOnlyQueries) {
  AddLessons(500);
  auto conn = Connection::Open(db_path(), true, 1000);
  ASSERT_TRUE(conn.ok());
  Bm25TopK topk(**conn);
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{Word(3)},
                                             {Word(3), "nosuchword"},
                                             {"nosuchword", "othermissing"},
                                             {Word(1), Word(2), Word(300), "nosuchword"}}) {
    auto got = topk.Search(LessonFtsTable(), words, Top(10), "t", nullptr);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectSame(*got, Reference(words, 10), words.front());
  }
  auto none = topk.Search(LessonFtsTable(), {}, Top(10), "t", nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(Bm25TopKTest, MaxWordShareLeavesFrequentWordsOut) {
  AddLessons(2000);
  auto conn = Connection::Open(db_path(), true, 1000);
  ASSERT_TRUE(conn.ok());
  Bm25TopK topk(**conn);
  // Word(0) is in most rows, Word(1) in many (both > 1,000), Word(200) in few.
  const std::vector<Hit> rare_only = Reference({Word(200)}, 20);
  ASSERT_FALSE(rare_only.empty());
  auto got = topk.Search(LessonFtsTable(), {Word(0), Word(1), Word(200)}, Top(20, 0.05), "t");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSame(*got, rare_only, "share 0.05");
  // Every word frequent: nothing is searched.
  auto all = topk.Search(LessonFtsTable(), {Word(0), Word(1)}, Top(20, 0.05), "t");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  // A word in at most 1,000 rows is never left out, whatever its share.
  const std::size_t rows5 = Reference({Word(5)}, 10000).size();
  ASSERT_GT(rows5, 100u);  // over 5% of 2,000
  ASSERT_LE(rows5, 1000u);
  auto kept = topk.Search(LessonFtsTable(), {Word(5), Word(200)}, Top(20, 0.05), "t");
  ASSERT_TRUE(kept.ok());
  ExpectSame(*kept, Reference({Word(5), Word(200)}, 20), "share 0.05, 1,000 rows or fewer");
  // Through the store: out-of-range shares are refused.
  TextQueryOptions bad = Top(10, 0.0);
  EXPECT_TRUE(store_->fulltext()
                  ->SearchText(TextCorpus::kLessons, Word(3), bad)
                  .status()
                  .IsInvalidArgument());
}

TEST_F(Bm25TopKTest, StoreSearchFollowsItsOwnWrites) {
  // The row counts behind the bounds are cached per change token: after a
  // write through the same store, a word that was rare is frequent, and the
  // answer must follow.
  AddLessons(1500);
  const std::vector<std::string> words = {Word(350), Word(5), Word(390)};
  const std::string query = words[0] + " " + words[1] + " " + words[2];
  auto first = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ExpectSame(*first, Reference(words, 10), "before");
  AddLessons(800, Word(350) + " " + Word(350));
  auto second = store_->fulltext()->SearchText(TextCorpus::kLessons, query, 10);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ExpectSame(*second, Reference(words, 10), "after");
}

TEST_F(Bm25TopKTest, WordBoundsPruneWhereTheLooseBoundCannotAndFollowUpdates) {
  // "zfreq" once in each of 150 long rows: its loose bound idf * (k1 + 1)
  // is above the rare word's rows' scores, its word bound (count 1, long
  // rows) below them.
  AddLessons(2000);
  ASSERT_TRUE(store_
                  ->RunInTransaction([&]() -> Status {
                    for (int i = 0; i < 190; ++i) {
                      Lesson l = MakeLesson("bound-" + std::to_string(1000 + i));
                      l.title = "plain";
                      l.topic = "topic";
                      l.content =
                          (i < 40 ? "zrare " + Filler(8) : Filler(12) + "zfreq ") + Filler(12);
                      ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                    }
                    return Status::Ok();
                  })
                  .ok());
  const std::vector<std::string> words = {"zrare", "zfreq"};
  auto search = [&](Bm25TopKStats* stats, const std::string& token) {
    auto conn = Connection::Open(db_path(), true, 1000);
    EXPECT_TRUE(conn.ok());
    Bm25TopK topk(**conn, Fts5Rounds(0));
    auto got = topk.Search(LessonFtsTable(), words, Top(10), token, stats);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<TextHit>{};
  };
  Bm25TopKStats stats;
  ExpectSame(search(&stats, "a"), Reference(words, 10), "word bounds");
  EXPECT_TRUE(stats.pruned);
  EXPECT_EQ(stats.rounds, 1);

  // Without built bounds (as before the backfill): still exact, not pruned.
  {
    auto rw = Connection::Open(db_path(), false, 1000);
    ASSERT_TRUE(rw.ok());
    ASSERT_TRUE((*rw)->Exec("DELETE FROM fts_word_bounds_built").ok());
  }
  ExpectSame(search(&stats, "b"), Reference(words, 10), "loose bounds");
  EXPECT_FALSE(stats.pruned);
  store_.reset();
  store_ = Open();  // opening rebuilds them
  ExpectSame(search(&stats, "c"), Reference(words, 10), "rebuilt bounds");
  EXPECT_TRUE(stats.pruned);

  // An update that makes a short row repeat "zfreq" raises its bound: the
  // row now wins, and the search must find it.
  Lesson l = store_->GetLesson("bound-1100").value();
  l.title = "zfreq zfreq zfreq";
  l.content = "zfreq";
  l.version += 1;
  l.updated_at += 1;
  ASSERT_TRUE(store_->UpdateLesson(l, "test").ok());
  const std::vector<Hit> want = Reference(words, 10);
  ASSERT_FALSE(want.empty());
  ASSERT_EQ(want.front().id, "bound-1100") << "the updated row does not win";
  ExpectSame(search(&stats, "d"), want, "after update");
}

TEST_F(Bm25TopKTest, FewerThanKRareRowsAddOnlyTheNextWord) {
  // "zrare" holds 5 rows, fewer than k = 10. The next round adds only
  // "zmid" (short rows repeating it, high scores), whose k-th score is above
  // the bound of "zfreq" (once in each of 1,500 long rows): answered
  // without scoring zfreq's rows.
  AddLessons(2000);
  ASSERT_TRUE(store_
                  ->RunInTransaction([&]() -> Status {
                    for (int i = 0; i < 1605; ++i) {
                      Lesson l = MakeLesson("few-" + std::to_string(10000 + i));
                      l.title = "plain";
                      l.topic = "topic";
                      l.content = i < 5     ? "zrare " + Filler(8)
                                  : i < 105 ? "zmid zmid " + Filler(4)
                                            : Filler(12) + "zfreq " + Filler(12);
                      ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                    }
                    return Status::Ok();
                  })
                  .ok());
  const std::vector<std::string> words = {"zrare", "zmid", "zfreq"};
  auto conn = Connection::Open(db_path(), true, 1000);
  ASSERT_TRUE(conn.ok());
  Bm25TopK topk(**conn, Fts5Rounds(0));  // "zrare" alone first
  Bm25TopKStats stats;
  auto got = topk.Search(LessonFtsTable(), words, Top(10), "t", &stats);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ExpectSame(*got, Reference(words, 10), "zrare zmid zfreq");
  EXPECT_TRUE(stats.pruned);
  EXPECT_EQ(stats.rounds, 2);
}

}  // namespace
}  // namespace engram::sqlite
