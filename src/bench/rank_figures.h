// Rank figures of a retrieval benchmark with one expected item per query:
// R@1, R@5 and MRR over the queries (engram-bench abstain and lessons).
//
// Ownership: plain values. Thread safety: none needed.
#pragma once

#include <string>
#include <vector>

#include "engram/json.h"

namespace engram::bench {

struct RankFigures {
  int queries = 0;
  double r1 = 0, r5 = 0;  // percent (after FinishFigures)
  double mrr = 0;
  int empty = 0;  // queries answered with no result
};

// Adds one query: `ranked` holds the returned ids best first.
void CountRank(RankFigures& f, const std::vector<std::string>& ranked, const std::string& expected);
// Adds one query by the 1-based rank of its expected item (0: not found).
void CountRankOf(RankFigures& f, int rank);
// Turns the counts into percentages and the mean reciprocal rank.
void FinishFigures(RankFigures& f);
Json FiguresJson(const RankFigures& f);

}  // namespace engram::bench
