// Exact (brute-force) top-k selection and the vector checks shared by every
// index: the search kernel of ExactIndex, of HnswIndex's selective-filter
// path and of the benchmark baseline.
//
// Distances are hnswlib's inner-product distance, 1 - <a, b> (smaller is
// closer), computed by hnswlib's SIMD kernel so exact and graph search score
// items identically; SearchHit::score is 1 - distance.
//
// Thread safety: plain functions and values.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "engram/status.h"
#include "engram/vector_index.h"
#include "index/label_table.h"

namespace engram::index_internal {

struct Scored {
  float distance = 0.0f;
  Label label = 0;
};

// Keeps the k smallest distances seen (ties: the first pushed wins).
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) { heap_.reserve(k); }
  void Push(float distance, Label label) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push_back({distance, label});
      std::push_heap(heap_.begin(), heap_.end(), Worse);
    } else if (distance < heap_.front().distance) {
      std::pop_heap(heap_.begin(), heap_.end(), Worse);
      heap_.back() = {distance, label};
      std::push_heap(heap_.begin(), heap_.end(), Worse);
    }
  }
  // Ascending distance; leaves the TopK empty.
  std::vector<Scored> Take() {
    std::sort_heap(heap_.begin(), heap_.end(), Worse);
    return std::move(heap_);
  }

 private:
  static bool Worse(const Scored& a, const Scored& b) { return a.distance < b.distance; }
  std::size_t k_;
  std::vector<Scored> heap_;  // max-heap on distance: the worst kept item on top
};

// Scans slots [0, n): `label_at(i)` names slot i's label, `vector_at(i)` its
// vector; slots whose label `accept` rejects are skipped (no distance
// computed). `distance(query, vector)` returns 1 - <query, vector>.
template <typename Distance, typename LabelAt, typename VectorAt, typename Accept>
std::vector<Scored> ExactScan(std::size_t n, std::size_t k, const float* query,
                              const Distance& distance, LabelAt label_at, VectorAt vector_at,
                              Accept accept) {
  TopK top(k);
  for (std::size_t i = 0; i < n; ++i) {
    const Label label = label_at(i);
    if (!accept(label)) continue;
    top.Push(distance(query, vector_at(i)), label);
  }
  return top.Take();
}

// Checks `vector` (dimension, finite entries, non-zero) and writes its
// L2-normalised copy to `unit`. InvalidArgument names `what` on failure.
Status NormalizeInto(std::span<const float> vector, std::size_t dimension, std::string_view what,
                     std::vector<float>* unit);

// Hits for `scored` (ascending distance) with ids from `table`.
std::vector<SearchHit> ToHits(const std::vector<Scored>& scored, const LabelTable& table);

}  // namespace engram::index_internal
