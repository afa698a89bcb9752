// Score fusion for hybrid retrieval: min-max normalisation and the weighted
// sum of a lexical (BM25) and a dense (cosine) score per candidate.
//
// fused_i = (1 - w) * maxnorm(lexical)_i + w * minmax(dense)_i
// maxnorm divides by the largest value (BM25 >= 0, so "no term matched"
// stays 0 and the weakest match keeps a share); minmax maps the smallest
// value to 0 and the largest to 1 (cosines have no natural zero); a
// constant vector maps to 1 where positive, else 0.
//
// Thread safety: pure functions.
#pragma once

#include <span>
#include <vector>

namespace engram::retrieval {

std::vector<double> MinMax(std::span<const double> xs);
// xs / max(xs) for non-negative scores; all zeros stay zeros.
std::vector<double> MaxNorm(std::span<const double> xs);

// REQUIRES: dense is empty or as long as lexical (empty = lexical only,
// scaled by 1 - dense_weight).
std::vector<double> Fuse(std::span<const double> lexical, std::span<const double> dense,
                         double dense_weight);

}  // namespace engram::retrieval
