// Seeded clustered test vectors and exact ground truth for tests/index.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "engram/vector_index.h"

namespace engram::testing_vectors {

// n vectors of dimension d, L2-normalised: one of `clusters` random centres
// plus a rank-8 per-cluster variation plus a little isotropic noise (so
// neighbours inside a cluster are meaningful, as with real embeddings).
inline std::vector<std::vector<float>> Clustered(std::size_t n, std::size_t d, std::size_t clusters,
                                                 unsigned seed) {
  constexpr std::size_t kRank = 8;
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<std::vector<float>> centres(clusters * (kRank + 1), std::vector<float>(d));
  for (auto& c : centres)
    for (auto& x : c) x = gauss(rng);
  std::vector<std::vector<float>> out(n, std::vector<float>(d));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = (rng() % clusters) * (kRank + 1);
    float coef[kRank];
    for (float& a : coef) a = 0.5f * gauss(rng);
    float norm = 0;
    for (std::size_t j = 0; j < d; ++j) {
      float x = centres[c][j] + 0.05f * gauss(rng);
      for (std::size_t r = 0; r < kRank; ++r) x += coef[r] * centres[c + 1 + r][j];
      out[i][j] = x;
      norm += x * x;
    }
    for (auto& x : out[i]) x /= std::sqrt(norm);
  }
  return out;
}

inline std::string IdOf(std::size_t i) { return "item-" + std::to_string(i); }

// Fraction of `truth` ids found in `got`.
inline double Overlap(const std::vector<SearchHit>& got, const std::vector<SearchHit>& truth) {
  if (truth.empty()) return 1.0;
  std::unordered_set<std::string> t;
  for (const auto& h : truth) t.insert(h.id);
  std::size_t hit = 0;
  for (const auto& h : got) hit += t.count(h.id);
  return static_cast<double>(hit) / static_cast<double>(truth.size());
}

}  // namespace engram::testing_vectors
