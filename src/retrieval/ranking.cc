#include "retrieval/ranking.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/code_tokens.h"
#include "core/similarity.h"

namespace engram::retrieval {

double TypeWeight(LessonType type, const RankingOptions& o) {
  switch (type) {
    case LessonType::kGotcha:
      return o.weight_gotcha;
    case LessonType::kAntiPattern:
      return o.weight_anti_pattern;
    case LessonType::kBestPractice:
      return o.weight_best_practice;
    case LessonType::kHeuristic:
      return o.weight_heuristic;
    case LessonType::kExample:
      return o.weight_example;
  }
  return 1.0;
}

RankFactors FactorsFor(const RankInputs& l, Timestamp now, const RankingOptions& o) {
  constexpr double kDayMs = 24.0 * 3600 * 1000;
  RankFactors f;
  f.confidence_factor = 1 - o.confidence_weight + o.confidence_weight * l.confidence;
  // The later of last use and last write: `engram learn decay` writes the
  // decayed confidence (moving updated_at), so decay is never counted twice.
  Timestamp last = std::max(l.last_used_at.value_or(l.updated_at), l.updated_at);
  f.months_unused = std::max(0.0, double(now - last) / (30 * kDayMs));
  f.decay = std::pow(o.decay_per_month, f.months_unused);
  f.type_weight = TypeWeight(l.type, o);
  double age_days = std::max(0.0, double(now - l.updated_at) / kDayMs);
  f.recency = o.recency_days > 0 ? std::exp(-age_days / o.recency_days) : 0.0;
  f.multiplier = f.confidence_factor * f.decay * f.type_weight * (1 + o.recency_weight * f.recency);
  return f;
}

std::set<std::string> WordSet(const std::string& text) {
  auto terms = QueryTerms(text);
  return std::set<std::string>(terms.begin(), terms.end());
}

double WordJaccard(const std::string& a, const std::string& b) {
  return Jaccard(WordSet(a), WordSet(b));
}

int EstimateTokens(const std::string& text, int chars_per_token) {
  int cpt = std::max(1, chars_per_token);
  return static_cast<int>((text.size() + cpt - 1) / cpt);
}

std::vector<std::size_t> PackBudget(const std::vector<int>& tokens, int budget) {
  std::vector<std::size_t> out;
  int used = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (used + tokens[i] <= budget) {
      used += tokens[i];
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace engram::retrieval
