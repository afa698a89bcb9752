// HnswIndexImpl: the HnswIndex behind HnswIndex::Create / Load.
//
// Labels of the LabelTable are hnswlib labels. Invariants (checked on Load):
// every live label is in the graph and not marked deleted; every graph
// element carries a distinct label < table size; elements whose label is not
// live are marked deleted (removed items wait there for reuse: re-adding a
// label makes hnswlib unmark it and re-link it with the new vector).
// hnsw_index.cc: writes and search; hnsw_file.cc: Save / Load.
//
// Thread safety: see LabelledIndex (one shared_mutex).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engram/vector_index.h"
#include "index/hnsw_graph.h"
#include "index/labelled_index.h"

namespace engram::index_internal {

// The index file format Save writes (docs/INDEX.md); Load also reads 1 and 2
// (float-only graph elements, converted to VectorRecords while loading).
inline constexpr std::uint32_t kIndexFormatVersion = HnswIndex::kFormatVersion;
inline constexpr std::uint32_t kFirstRecordFormatVersion = 3;
inline constexpr std::uint32_t kOldestIndexFormatVersion = 1;

class HnswIndexImpl final : public LabelledIndex<HnswIndex> {
 public:
  HnswIndexImpl(const HnswOptions& options, std::unique_ptr<HnswGraph> graph, LabelTable table,
                std::string fingerprint, std::uint32_t loaded_version = kIndexFormatVersion);

  Status Save(const std::string& path, std::string_view source_fingerprint) const override;
  const std::string& source_fingerprint() const override { return fingerprint_; }
  const std::string& model_id() const override { return options_.model_id; }
  std::uint32_t loaded_format_version() const override { return loaded_version_; }
  Status AddBatch(std::span<const ItemView> items, int threads) override;
  void SetEfSearch(std::size_t ef) override;
  std::size_t capacity() const override;
  Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k,
                                        const SearchFilter& filter,
                                        SearchInfo* info) const override {
    return SearchWith(query, k, filter, info);
  }

 private:
  Status PutVector(Label label, const float* unit) override;
  Status DropVector(Label label) override;
  const float* UnitVector(Label label) const override { return graph_->VectorOf(label); }
  Result<std::vector<Scored>> SearchUnit(const float* unit_query, std::size_t k,
                                         const SearchFilter& filter,
                                         SearchInfo* info) const override;

  // Inserts items[i] (already bound to labels[i]) for i in `order`, on
  // `threads` threads; done[i] = 1 for each success. REQUIRES: exclusive lock.
  Status InsertAll(std::span<const ItemView> items, const std::vector<Label>& labels,
                   const std::vector<std::size_t>& order, int threads,
                   std::vector<std::uint8_t>* done);
  // Matching live items, counted exactly on small tables, sampled otherwise.
  std::size_t EstimateMatches(const SearchFilter& filter, bool* exact) const;

  HnswOptions options_;
  std::unique_ptr<HnswGraph> graph_;
  std::string fingerprint_;
  std::uint32_t loaded_version_;
};

// Checks `options` for Create / Load.
Status CheckHnswOptions(const HnswOptions& options);

}  // namespace engram::index_internal
