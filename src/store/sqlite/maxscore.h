// MaxScoreTopK: the exact top k of BM25 over in-memory postings
// (TermPostings), document at a time with MaxScore pruning (Turtle and
// Flood, 1995): the words are ordered by their score bound; once the k-th
// score found reaches the sum of the smallest bounds, rows holding only
// those words cannot enter the top k, so only the other words' lists are
// walked and the smaller ones are probed for the candidates found.
//
// Scores are FTS5's bm25() with column weights, as engram_bm25
// (bm25_topk.cc) computes them: for each word, idf * f * (k1 + 1) /
// (f + k1 * (1 - b + b * length / avgdl)), f the posting's weight.
//
// Thread safety: a pure function over the caller's data.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "store/sqlite/term_postings.h"

namespace engram::sqlite {

// FTS5's bm25() constants (fts5_aux.c).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

// BM25's length normalisation of a row: k1 * (1 - b + b * length / avgdl).
inline double Bm25Norm(double length, double avgdl) {
  return kBm25K1 * (1 - kBm25B + kBm25B * length / avgdl);
}
// The term factor (score / idf) of weighted count `f` in a row of `norm`.
inline double Bm25Factor(double f, double norm) { return f * (kBm25K1 + 1) / (f + norm); }

// One query word: its postings (by row), idf, and the most it adds to any
// row's score (idf * MaxTermFactor, or any larger value).
struct ScoredWord {
  const std::vector<Posting>* postings = nullptr;
  double idf = 0;
  double bound = 0;
};

struct MaxScoreStats {
  std::int64_t rows_scored = 0;  // candidate rows scored
  bool pruned = false;           // some rows were never scored
};

// The largest BM25 term factor (score / idf) of any posting in `postings`.
double MaxTermFactor(const std::vector<Posting>& postings,
                     const std::vector<std::uint32_t>& lengths, double avgdl);
// Sets `list`'s memoised bound (TermPostings::List::bound_factor) to
// MaxTermFactor at `avgdl`, unless it is already computed for it.
void RefreshBound(TermPostings::List& list, const std::vector<std::uint32_t>& lengths,
                  double avgdl);

// The top `k` (row, score) of the OR of `words`, best first (ties by row).
// nullopt when a posting's row has no length in `lengths` (indexed by row,
// RowLengths::kUnknown where none): the two disagree, so the caller must
// score another way.
std::optional<std::vector<std::pair<std::int64_t, double>>> MaxScoreTopK(
    std::vector<ScoredWord> words, const std::vector<std::uint32_t>& lengths, double avgdl, int k,
    MaxScoreStats* stats);

}  // namespace engram::sqlite
