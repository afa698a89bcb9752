// Deterministic clustering of lessons into themes (docs/LEARNING.md,
// "Clusters").
//
//  - AverageLinkClusters: agglomerative clustering with average linkage.
//    Repeatedly merges the two clusters whose mean pairwise similarity is
//    highest, while it is >= min_similarity. Ties go to the lowest indexes,
//    so the result depends only on the input order.
//  - CosineMatrix: cosine similarities of dense vectors (embeddings).
//  - TextVectors / SparseCosineMatrix: the documented fallback without an
//    embedder: TF-IDF vectors of the lesson text, weight
//    (1 + ln tf) * (ln((1 + N) / (1 + df)) + 1).
//  - LabelClusters: the top distinctive terms of each cluster: score of a
//    term = (its count in the cluster / all term counts of the cluster)
//    * (ln((1 + N) / (1 + df)) + 1), N lessons, df lessons holding it;
//    stop words are never terms. Ties break alphabetically.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace engram::learn {

// Row-major n x n symmetric matrix.
struct SimilarityMatrix {
  std::size_t n = 0;
  std::vector<float> values;
  float at(std::size_t i, std::size_t j) const { return values[i * n + j]; }
};

SimilarityMatrix CosineMatrix(const std::vector<std::vector<float>>& vectors);

using SparseVector = std::map<std::string, double>;
// Terms of a text: lower-case words (runs of ASCII letters and digits or
// non-ASCII bytes) of two or more characters, stop words removed, in order
// and with repetitions. Identifiers stay whole ("xstate", "useeffect").
std::vector<std::string> TextTerms(const std::string& text);
std::vector<SparseVector> TextVectors(const std::vector<std::string>& texts);
SimilarityMatrix SparseCosineMatrix(const std::vector<SparseVector>& vectors);

// Clusters of item indexes: members ascending; clusters by size
// (largest first), then by their first member.
std::vector<std::vector<std::size_t>> AverageLinkClusters(const SimilarityMatrix& sim,
                                                          double min_similarity);

// Mean pairwise similarity of the members (1 for a single member).
double Cohesion(const SimilarityMatrix& sim, const std::vector<std::size_t>& members);

// Up to `k` label terms per cluster (see above); `texts` are all items'.
std::vector<std::vector<std::string>> LabelClusters(
    const std::vector<std::string>& texts, const std::vector<std::vector<std::size_t>>& clusters,
    std::size_t k);

}  // namespace engram::learn
