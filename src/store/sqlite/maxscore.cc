#include "store/sqlite/maxscore.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

#include "store/sqlite/row_lengths.h"

namespace engram::sqlite {
namespace {

// The first position at or after `from` whose row is >= `row` (galloping:
// candidates are near the cursor more often than not).
std::size_t Advance(const std::vector<Posting>& p, std::size_t from, std::uint32_t row) {
  if (from >= p.size() || p[from].row >= row) return from;
  std::size_t step = 1;
  std::size_t lo = from;
  while (lo + step < p.size() && p[lo + step].row < row) {
    lo += step;
    step *= 2;
  }
  const std::size_t hi = std::min(p.size(), lo + step + 1);
  return static_cast<std::size_t>(
      std::lower_bound(p.begin() + static_cast<long>(lo), p.begin() + static_cast<long>(hi), row,
                       [](const Posting& a, std::uint32_t r) { return a.row < r; }) -
      p.begin());
}

struct Entry {
  double score;
  std::uint32_t row;
};
// Worst on top: the lower score, or the higher row among equal scores.
struct Worse {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  }
};

}  // namespace

double MaxTermFactor(const std::vector<Posting>& postings,
                     const std::vector<std::uint32_t>& lengths, double avgdl) {
  double best = 0;
  for (const Posting& p : postings) {
    // A row without a length counts as empty: the largest factor it could have.
    const std::uint32_t len =
        p.row < lengths.size() && lengths[p.row] != RowLengths::kUnknown ? lengths[p.row] : 0;
    best = std::max(best, Bm25Factor(p.weight, Bm25Norm(len, avgdl)));
  }
  return best;
}

void RefreshBound(TermPostings::List& list, const std::vector<std::uint32_t>& lengths,
                  double avgdl) {
  if (list.bound_avgdl == avgdl) return;
  list.bound_factor = MaxTermFactor(list.postings, lengths, avgdl);
  list.bound_avgdl = avgdl;
}

std::optional<std::vector<std::pair<std::int64_t, double>>> MaxScoreTopK(
    std::vector<ScoredWord> words, const std::vector<std::uint32_t>& lengths, double avgdl, int k,
    MaxScoreStats* stats) {
  MaxScoreStats local;
  MaxScoreStats& st = stats ? *stats : local;
  st = MaxScoreStats{};
  std::vector<std::pair<std::int64_t, double>> out;
  std::erase_if(words, [](const ScoredWord& w) { return !w.postings || w.postings->empty(); });
  if (k < 1 || words.empty()) return out;
  // Smallest bound first; upto[i]: the most words 0..i add together.
  std::sort(words.begin(), words.end(),
            [](const ScoredWord& a, const ScoredWord& b) { return a.bound < b.bound; });
  const std::size_t m = words.size();
  std::vector<double> upto(m);
  for (std::size_t i = 0; i < m; ++i) upto[i] = words[i].bound + (i > 0 ? upto[i - 1] : 0);
  std::vector<std::size_t> pos(m, 0);
  std::priority_queue<Entry, std::vector<Entry>, Worse> top;
  const auto limit = static_cast<std::size_t>(k);
  double theta = -1;      // the k-th score once k rows are held
  std::size_t first = 0;  // words [0, first) cannot make a row alone
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  while (first < m) {
    std::uint32_t row = kNone;
    for (std::size_t i = first; i < m; ++i) {
      const auto& p = *words[i].postings;
      if (pos[i] < p.size()) row = std::min(row, p[pos[i]].row);
    }
    if (row == kNone) break;
    if (row >= lengths.size() || lengths[row] == RowLengths::kUnknown) return std::nullopt;
    const double norm = Bm25Norm(lengths[row], avgdl);
    double score = 0;
    for (std::size_t i = first; i < m; ++i) {
      const auto& p = *words[i].postings;
      if (pos[i] < p.size() && p[pos[i]].row == row) {
        score += words[i].idf * Bm25Factor(p[pos[i]].weight, norm);
        ++pos[i];
      }
    }
    // The words that cannot make a row alone, largest bound first, while
    // they could still lift this row above the k-th.
    for (std::size_t i = first; i-- > 0;) {
      if (top.size() == limit && score + upto[i] <= theta) break;
      const auto& p = *words[i].postings;
      pos[i] = Advance(p, pos[i], row);
      if (pos[i] < p.size() && p[pos[i]].row == row) {
        score += words[i].idf * Bm25Factor(p[pos[i]].weight, norm);
      }
    }
    ++st.rows_scored;
    if (top.size() < limit) {
      top.push({score, row});
    } else if (score > theta) {
      top.pop();
      top.push({score, row});
    } else {
      continue;
    }
    if (top.size() == limit) {
      theta = top.top().score;
      while (first < m && upto[first] <= theta) ++first;
      st.pruned = st.pruned || first > 0;
    }
  }
  out.reserve(top.size());
  while (!top.empty()) {
    out.emplace_back(top.top().row, top.top().score);
    top.pop();
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace engram::sqlite
