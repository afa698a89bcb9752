// Rank figures (bench/rank_figures.h).
#include "bench/rank_figures.h"

namespace engram::bench {

void CountRankOf(RankFigures& f, int rank) {
  ++f.queries;
  if (rank <= 0) return;
  if (rank <= 1) f.r1 += 1;
  if (rank <= 5) f.r5 += 1;
  f.mrr += 1.0 / rank;
}

void CountRank(RankFigures& f, const std::vector<std::string>& ranked,
               const std::string& expected) {
  if (ranked.empty()) ++f.empty;
  int rank = 0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (ranked[i] == expected) {
      rank = static_cast<int>(i) + 1;
      break;
    }
  }
  CountRankOf(f, rank);
}

void FinishFigures(RankFigures& f) {
  if (f.queries == 0) return;
  f.r1 = 100 * f.r1 / f.queries;
  f.r5 = 100 * f.r5 / f.queries;
  f.mrr /= f.queries;
}

Json FiguresJson(const RankFigures& f) {
  return Json{
      {"queries", f.queries}, {"r1", f.r1}, {"r5", f.r5}, {"mrr", f.mrr}, {"empty", f.empty}};
}

}  // namespace engram::bench
