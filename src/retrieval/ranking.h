// Ranking of retrieved lessons: folds relevance together with confidence,
// decay since last use, lesson type and recency; MMR for diversity; packing
// into a token budget. Formulas and defaults: docs/RETRIEVAL.md.
//
//   final = relevance * (1 - cw + cw * confidence) * decay * type_weight
//           * (1 + rw * recency)
//   decay   = decay_per_month ^ (months since the later of last use and update)
//   recency = exp(-days since update / recency_days)
//
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engram/lesson.h"
#include "engram/time.h"

namespace engram::retrieval {

struct RankingOptions {
  double dense_weight = 0.4;  // semantic share of relevance (hybrid mode)
  // A candidate found only by the vector index needs at least this cosine.
  double min_cosine = 0.3;
  double confidence_weight = 0.5;  // cw: 0 ignores confidence, 1 multiplies by it
  double decay_per_month = 0.98;   // per 30 days without use
  double recency_weight = 0.1;     // rw
  double recency_days = 90;        // e-folding time of recency
  // Type weights: gotchas and anti-patterns are what agents most need.
  double weight_gotcha = 1.10;
  double weight_anti_pattern = 1.05;
  double weight_best_practice = 1.00;
  double weight_heuristic = 0.95;
  double weight_example = 0.90;
  double mmr_lambda = 0.7;  // 1 = no diversity
  int chars_per_token = 4;
};

struct RankFactors {
  double confidence_factor = 1;
  double decay = 1;
  double months_unused = 0;
  double type_weight = 1;
  double recency = 0;
  double multiplier = 1;  // product of the factors above
};

// What ranking reads of a lesson: from the stored lesson, or from the vector
// index's ItemMeta (which mirrors these fields) before the lesson is loaded.
struct RankInputs {
  double confidence = 0;
  LessonType type = LessonType::kBestPractice;
  Timestamp updated_at = 0;
  std::optional<Timestamp> last_used_at;

  static RankInputs Of(const Lesson& lesson) {
    return {lesson.confidence, lesson.type, lesson.updated_at, lesson.last_used_at};
  }
};

RankFactors FactorsFor(const RankInputs& in, Timestamp now, const RankingOptions& o);
inline RankFactors FactorsFor(const Lesson& lesson, Timestamp now, const RankingOptions& o) {
  return FactorsFor(RankInputs::Of(lesson), now, o);
}
double TypeWeight(LessonType type, const RankingOptions& o);

// Greedy maximal marginal relevance: picks up to k of `scores` (higher is
// better), each time maximising lambda * score - (1 - lambda) * max
// similarity to those already picked. `similarity(i, j)` in [0, 1].
// Returns the picked indexes in order and, per pick, the penalty applied.
template <typename Sim>
std::vector<std::pair<std::size_t, double>> Mmr(const std::vector<double>& scores, std::size_t k,
                                                double lambda, Sim similarity) {
  std::vector<std::pair<std::size_t, double>> picked;
  std::vector<bool> used(scores.size(), false);
  while (picked.size() < k && picked.size() < scores.size()) {
    double best = -1e300, best_pen = 0;
    std::size_t best_i = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      if (used[i]) continue;
      double max_sim = 0;
      for (const auto& [j, unused] : picked) max_sim = std::max(max_sim, similarity(i, j));
      double pen = (1 - lambda) * max_sim;
      double v = lambda * scores[i] - pen;
      if (v > best) {
        best = v;
        best_i = i;
        best_pen = pen;
      }
    }
    used[best_i] = true;
    picked.emplace_back(best_i, best_pen);
  }
  return picked;
}

// Jaccard similarity of the word sets (QueryTerms) of two texts, for MMR
// without vectors.
std::set<std::string> WordSet(const std::string& text);
double WordJaccard(const std::string& a, const std::string& b);

// Estimated tokens of a text: ceil(bytes / chars_per_token).
int EstimateTokens(const std::string& text, int chars_per_token);

// Indexes of `tokens` (in rank order) packed greedily into `budget`: an item
// that does not fit is skipped and later, smaller ones may still fit.
std::vector<std::size_t> PackBudget(const std::vector<int>& tokens, int budget);

}  // namespace engram::retrieval
