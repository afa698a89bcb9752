// Bm25TopKTest: a store of Zipfian lessons and FTS5's own bm25() answer to
// compare Bm25TopK with (shared by bm25_topk_test.cc and row_lengths_test.cc).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/code_tokens.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/fulltext.h"
#include "store_test_util.h"

namespace engram::sqlite::bm25_test {

using store_test::MakeLesson;

constexpr int kVocabulary = 400;

// Letters only, so QueryTerms keeps each word whole: rank 0 -> "zaa".
inline std::string Word(int rank) {
  return std::string("z") + static_cast<char>('a' + rank % 26) +
         static_cast<char>('a' + rank / 26 % 26);
}

// Zipf(s = 1) ranks over kVocabulary words.
class Zipf {
 public:
  explicit Zipf(unsigned seed) : rng_(seed) {
    double sum = 0;
    for (int r = 1; r <= kVocabulary; ++r) cdf_.push_back(sum += 1.0 / r);
    for (double& c : cdf_) c /= sum;
  }
  int Next() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return static_cast<int>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937 rng_;
  std::vector<double> cdf_;
};

inline TextQueryOptions Top(int limit, double max_word_share = 1.0) {
  TextQueryOptions o;
  o.limit = limit;
  o.max_word_share = max_word_share;
  return o;
}

struct Hit {
  std::string id;
  double score;
};

class Bm25TopKTest : public store_test::StoreTest {
 protected:
  // Adds `n` lessons of Zipfian words; `extra` is appended to every content.
  void AddLessons(int n, const std::string& extra = "") {
    ASSERT_TRUE(store_
                    ->RunInTransaction([&]() -> Status {
                      for (int i = 0; i < n; ++i) {
                        Lesson l = MakeLesson("lesson-" + std::to_string(next_++));
                        l.title = Word(zipf_.Next()) + " " + Word(zipf_.Next());
                        l.content.clear();
                        for (int w = zipf_.Uniform(4, 24); w > 0; --w) {
                          l.content += Word(zipf_.Next()) + " ";
                        }
                        l.content += extra;
                        l.topic = "topic" + std::to_string(i % 5);
                        ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  // FTS5's own answer: bm25() over the OR of the words, best first, on
  // `on` (what that connection sees) or else a fresh read-only connection.
  std::vector<Hit> Reference(const std::vector<std::string>& words, int limit,
                             sqlite3* on = nullptr) {
    sqlite3* db = on;
    if (!db) {
      EXPECT_EQ(sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    }
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT t.lesson_id, -bm25(lesson_fts, 2.0, 1.0, 1.5, 1.5, 1.0) "
                                 "AS s FROM lesson_fts JOIN lesson_text t ON t.doc = "
                                 "lesson_fts.rowid WHERE lesson_fts MATCH ?1 ORDER BY s DESC "
                                 "LIMIT ?2",
                                 -1, &st, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    const std::string match = FtsOrOfPhrases(words);
    sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit);
    std::vector<Hit> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                     sqlite3_column_double(st, 1)});
    }
    sqlite3_finalize(st);
    if (!on) sqlite3_close_v2(db);
    return out;
  }

  // Same scores rank by rank; same ids wherever the score is not tied.
  static void ExpectSame(const std::vector<TextHit>& got, const std::vector<Hit>& want,
                         const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    std::map<std::string, double> want_score;
    for (const Hit& h : want) want_score[h.id] = h.score;
    const double last = want.empty() ? 0 : want.back().score;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const double tol = 1e-9 * std::max(1.0, std::abs(want[i].score));
      EXPECT_NEAR(got[i].bm25, want[i].score, tol) << what << " rank " << i;
      auto it = want_score.find(got[i].id);
      if (it != want_score.end()) {
        EXPECT_NEAR(got[i].bm25, it->second, tol) << what << " id " << got[i].id;
      } else {  // only a row tied with the reference's last may differ
        EXPECT_NEAR(got[i].bm25, last, tol) << what << " unexpected id " << got[i].id;
      }
    }
  }

  // `n` Zipfian words of rank 100 and beyond (none of the frequent ones).
  std::string Filler(int n) {
    std::string out;
    for (int w = 0; w < n; ++w) out += Word(zipf_.Uniform(100, kVocabulary - 1)) + " ";
    return out;
  }

  std::vector<std::string> RandomQuery() {
    std::vector<std::string> words;
    words.push_back(Word(zipf_.Uniform(60, kVocabulary - 1)));  // one rarer word
    for (int n = zipf_.Uniform(1, 3); n > 0; --n) words.push_back(Word(zipf_.Next()));
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
  }

  Zipf zipf_{7};
  int next_ = 0;
};

}  // namespace engram::sqlite::bm25_test
