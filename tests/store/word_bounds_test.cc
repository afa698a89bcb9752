// Word bounds (word_bounds.h) against FTS5's own index: for every indexed
// token, the stored bound holds the largest column-weighted count and the
// shortest row among the rows holding it (exactly after inserts, as an upper
// bound after updates and deletes), and FtsTokenizer maps query words to
// the tokens FTS5 indexes.
#include "store/sqlite/word_bounds.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/fts_tokenizer.h"
#include "store/sqlite/fulltext.h"
#include "store_test_util.h"

namespace engram::sqlite {
namespace {

using store_test::MakeLesson;
using WordBoundsTest = store_test::StoreTest;

// The bounds FTS5's index implies: per token, max weighted count and min
// row length over the rows holding it (fts5vocab's instance table).
std::map<std::string, WordBound> FromFts5(Connection& conn) {
  std::map<std::string, WordBound> out;
  EXPECT_TRUE(conn.Exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.inst USING "
                        "fts5vocab(main, lesson_fts, instance)")
                  .ok());
  const std::vector<double>& w = LessonFtsTable().weights;
  auto st = conn.Query(
      "WITH len AS (SELECT doc, count(*) AS n FROM temp.inst GROUP BY doc), per AS (SELECT term, "
      "doc, sum(CASE col WHEN 'title' THEN ?1 WHEN 'content' THEN ?2 WHEN 'topic' THEN ?3 WHEN "
      "'tags' THEN ?4 ELSE ?5 END) AS tf FROM temp.inst GROUP BY term, doc) SELECT term, "
      "max(tf), min(n) FROM per JOIN len USING (doc) GROUP BY term",
      w[0], w[1], w[2], w[3], w[4]);
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  for (;;) {
    auto row = st->Step();
    EXPECT_TRUE(row.ok());
    if (!row.ok() || !*row) break;
    out[st->Text(0)] = WordBound{st->Double(1), st->Int(2)};
  }
  return out;
}

TEST_F(WordBoundsTest, HoldTheLargestCountAndShortestRowOfEveryToken) {
  std::mt19937 rng(3);
  const std::vector<std::string> words = {"running", "runs",  "cache",  "cached",    "lock",
                                          "Mutex",   "mutex", "deploy", "useEffect", "snake_case"};
  auto text = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += words[rng() % words.size()] + " ";
    return out;
  };
  for (int i = 0; i < 60; ++i) {
    Lesson l = MakeLesson("l-" + std::to_string(i));
    l.title = text(1 + static_cast<int>(rng() % 3));
    l.content = text(static_cast<int>(rng() % 12));
    l.tags = {"tag" + std::to_string(i % 4)};
    ASSERT_TRUE(store_->InsertLesson(l).ok());
  }
  auto conn = Connection::Open(db_path(), false, 1000);
  ASSERT_TRUE(conn.ok());
  const std::map<std::string, WordBound> want = FromFts5(**conn);
  ASSERT_GT(want.size(), 8u);
  EXPECT_TRUE(WordBoundsBuilt(**conn, LessonFtsTable()).value());
  for (const auto& [token, b] : want) {
    auto got = GetWordBound(**conn, LessonFtsTable(), token);
    ASSERT_TRUE(got.ok() && got->has_value()) << token;
    EXPECT_DOUBLE_EQ((*got)->max_tf, b.max_tf) << token;
    EXPECT_EQ((*got)->min_len, b.min_len) << token;
  }
  EXPECT_FALSE(GetWordBound(**conn, LessonFtsTable(), "absent").value().has_value());

  // Updates and deletes: the bounds stay at or above what the rows imply.
  for (int i = 0; i < 60; i += 3) {
    Lesson l = store_->GetLesson("l-" + std::to_string(i)).value();
    l.content = text(static_cast<int>(rng() % 20));
    l.version += 1;
    l.updated_at += 1;
    ASSERT_TRUE(store_->UpdateLesson(l, "test").ok());
    ASSERT_TRUE(store_->DeleteLesson("l-" + std::to_string(i + 1)).ok());
  }
  for (const auto& [token, b] : FromFts5(**conn)) {
    auto got = GetWordBound(**conn, LessonFtsTable(), token);
    ASSERT_TRUE(got.ok() && got->has_value()) << token;
    EXPECT_GE((*got)->max_tf, b.max_tf) << token;
    EXPECT_LE((*got)->min_len, b.min_len) << token;
  }

  // A rebuild from the rows gives the exact bounds again.
  ASSERT_TRUE((*conn)->Exec("DELETE FROM fts_word_bounds; DELETE FROM fts_word_bounds_built").ok());
  store_.reset();
  store_ = Open();
  for (const auto& [token, b] : FromFts5(**conn)) {
    auto got = GetWordBound(**conn, LessonFtsTable(), token);
    ASSERT_TRUE(got.ok() && got->has_value()) << token;
    EXPECT_DOUBLE_EQ((*got)->max_tf, b.max_tf) << token;
    EXPECT_EQ((*got)->min_len, b.min_len) << token;
  }
}

TEST_F(WordBoundsTest, QueryWordsMapToTheIndexedTokens) {
  auto conn = Connection::Open(db_path(), true, 1000);
  ASSERT_TRUE(conn.ok());
  auto tok = FtsTokenizer::Create(**conn, LessonFtsTable().tokenizer);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->Query("running").value(), std::vector<std::string>{"run"});
  EXPECT_EQ((*tok)->Query("Mutexes").value(), std::vector<std::string>{"mutex"});
  EXPECT_EQ((*tok)->Query("snake_case").value(), (std::vector<std::string>{"snake", "case"}));
  EXPECT_TRUE(FtsTokenizer::Create(**conn, {"no_such_tokenizer"}).status().code() ==
              ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace engram::sqlite
