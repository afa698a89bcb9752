// HnswGraph: engram's only doorway to hnswlib.
//
// hnswlib 0.6.2 is header-only and its headers define non-inline globals
// (cpuid helpers, SIMD function pointers), so they can be included by one
// translation unit only: hnsw_graph.cc. Everything else talks to this class,
// which also turns hnswlib's exceptions into Status values. Items are
// addressed by LabelTable labels.
//
// Elements are VectorRecords (vector_record.h): int8 codes, then the float
// vector. Inserts and graph walks use the code distance; every search
// re-ranks its walk's candidates on the float vectors, so returned
// distances are exact (1 - <query, vector>).
//
// Ownership: owns the hnswlib graph and its distance space.
// Thread safety: const methods may run concurrently with each other;
// non-const methods need exclusive access (HnswIndexImpl's shared_mutex).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engram/status.h"
#include "index/exact_scan.h"
#include "index/ip_kernel.h"
#include "index/label_table.h"

namespace engram::index_internal {

// A non-owning reference to a callable, cheaper than std::function in loops.
// REQUIRES: the callable outlives the FunctionRef (pass it as an argument).
template <typename Sig>
class FunctionRef;
template <typename R, typename... A>
class FunctionRef<R(A...)> {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor)
      : obj_(const_cast<void*>(static_cast<const void*>(&f))), call_([](void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(o))(a...);
        }) {}
  R operator()(A... a) const { return call_(obj_, a...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

using AcceptFn = FunctionRef<bool(Label)>;

class HnswGraph {
 public:
  struct Params {
    std::size_t dimension = 0;
    std::size_t M = 16;
    std::size_t ef_construction = 200;
    std::size_t capacity = 1024;
    std::size_t random_seed = 100;
  };
  static Result<std::unique_ptr<HnswGraph>> Create(const Params& params);
  // Loads what SaveTo wrote at `path` and checks it against `table`
  // (hnsw_index_impl.h invariants). REQUIRES: the bytes passed
  // CheckGraphBytes (hnsw_file.cc). params.M / ef_construction are ignored.
  static Result<std::unique_ptr<HnswGraph>> LoadFrom(const std::string& path, const Params& params,
                                                     const LabelTable& table);
  ~HnswGraph();

  std::size_t capacity() const;
  std::size_t element_count() const;
  std::size_t M() const;
  std::size_t ef_construction() const;
  std::size_t ef() const;
  void SetEf(std::size_t ef);

  // Makes room for `extra` more new elements, growing by at least `growth`x,
  // and for labels below `label_bound`.
  Status Reserve(std::size_t extra, double growth, std::size_t label_bound);
  // Inserts `label`, or replaces its vector and re-links it when the label is
  // already in the graph (removed labels are un-deleted). Safe to call from
  // several threads at once for distinct new labels (AddBatch).
  // REQUIRES: Reserve made room for a new label and for `label`.
  Status Put(Label label, const float* unit);
  Status MarkDeleted(Label label);
  // The stored vector of `label` (REQUIRES: label is in the graph).
  const float* VectorOf(Label label) const;
  // Best k by hnswlib's own walk (no filter) over max(ef, k) candidates,
  // re-ranked exactly; ascending distance.
  Result<std::vector<Scored>> Search(const float* query, std::size_t k) const;
  // Best k among accepted labels by a filtered walk (graph_search.h) over
  // max(ef, k) accepted candidates, re-ranked exactly.
  Result<std::vector<Scored>> FilteredSearch(const float* query, std::size_t ef, std::size_t k,
                                             AcceptFn accept) const;
  // Exact best k among accepted labels below `label_count` (accepted labels
  // must be in the graph: live ones are); only their vectors are read.
  std::vector<Scored> ExactSearch(const float* query, std::size_t k, std::size_t label_count,
                                  AcceptFn accept) const;

  // hnswlib's saveIndex to `path`; IOError unless it wrote every byte.
  Status SaveTo(const std::string& path) const;

 private:
  struct Impl;
  explicit HnswGraph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The inner-product distance (1 - <a, b>) with the float kernel the graph
// re-ranks with (ip_kernel.h), for indexes that hold their own vectors (ExactIndex).
class InnerProductDistance {
 public:
  explicit InnerProductDistance(std::size_t dimension)
      : dimension_(dimension), fn_(BestIpKernel().distance) {}
  float operator()(const float* a, const float* b) const { return fn_(a, b, &dimension_); }

 private:
  std::size_t dimension_;
  DistanceFn fn_;
};

}  // namespace engram::index_internal
