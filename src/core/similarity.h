// Similarity measures and number formatting shared by learning, retrieval
// and the engine, written once here:
//  - Jaccard: |A ∩ B| / |A ∪ B| of two word sets (0 when both are empty).
//  - CosineSimilarity: <a, b> / (|a| |b|) of two dense vectors of the same
//    length, accumulated in double (0 when the lengths differ, a vector is
//    empty or has norm 0). For vectors already of unit length the index's
//    dispatched InnerProduct (engram/vector_index.h) is the fast path.
//  - Fixed: a number with a fixed count of decimals ("0.43"), the form
//    reasons and explanations quote scores in.
//
// Ownership: pure functions; nothing is retained.
// Thread safety: safe to call from any thread.
#pragma once

#include <set>
#include <span>
#include <string>

namespace engram {

double Jaccard(const std::set<std::string>& a, const std::set<std::string>& b);

double CosineSimilarity(std::span<const float> a, std::span<const float> b);

// `decimals` in [0, 9]; values outside are clamped.
std::string Fixed(double value, int decimals);

}  // namespace engram
