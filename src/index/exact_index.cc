// ExactIndex: NewExactIndex(), brute force over a flat array of unit vectors
// indexed by label. See engram/vector_index.h.
#include <algorithm>
#include <vector>

#include "index/exact_scan.h"
#include "index/hnsw_graph.h"
#include "index/labelled_index.h"

namespace engram {
namespace {

using index_internal::Label;
using index_internal::Scored;

class ExactIndex final : public index_internal::LabelledIndex<VectorIndex> {
 public:
  explicit ExactIndex(std::size_t dimension) : LabelledIndex(dimension), distance_(dimension) {}

  Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k,
                                        const SearchFilter& filter) const override {
    return SearchWith(query, k, filter, nullptr);
  }

 private:
  Status PutVector(Label label, const float* unit) override {
    const std::size_t need = (static_cast<std::size_t>(label) + 1) * dimension_;
    if (vectors_.size() < need) vectors_.resize(need);
    std::copy(unit, unit + dimension_,
              vectors_.begin() + static_cast<std::ptrdiff_t>(label * dimension_));
    return Status::Ok();
  }
  Status DropVector(Label) override { return Status::Ok(); }  // the slot is overwritten on reuse
  const float* UnitVector(Label label) const override {
    return vectors_.data() + static_cast<std::size_t>(label) * dimension_;
  }

  Result<std::vector<Scored>> SearchUnit(const float* unit_query, std::size_t k,
                                         const SearchFilter& filter,
                                         SearchInfo* info) const override {
    if (info) *info = {SearchPath::kExactScan, 0};
    return index_internal::ExactScan(
        table_.size(), k, unit_query, distance_,
        [](std::size_t i) { return static_cast<Label>(i); },
        [this](std::size_t i) { return vectors_.data() + i * dimension_; },
        [&](Label label) { return table_.Accepts(label, filter); });
  }

  index_internal::InnerProductDistance distance_;
  std::vector<float> vectors_;  // label-major, dimension_ floats per label
};

}  // namespace

std::unique_ptr<VectorIndex> NewExactIndex(std::size_t dimension) {
  return std::make_unique<ExactIndex>(dimension);
}

}  // namespace engram
