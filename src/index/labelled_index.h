// LabelledIndex<Interface>: the part of every VectorIndex that is not about
// the search structure. It validates and normalises vectors, keeps the
// LabelTable (string id <-> dense label, metadata, free list), takes the
// locks, and calls three hooks a backend implements on labels:
//   PutVector  - store or replace the unit vector of a label,
//   DropVector - forget a label's vector (the label may be reused later),
//   UnitVector - read a live label's vector,
//   SearchUnit - top-k over accepted labels for a unit query.
// ExactIndex derives from LabelledIndex<VectorIndex>, HnswIndexImpl from
// LabelledIndex<HnswIndex>.
//
// Thread safety: one writer-first shared mutex; hooks that read run under
// the shared lock, hooks that write under the exclusive lock.
#pragma once

#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "engram/vector_index.h"
#include "index/exact_scan.h"
#include "index/label_table.h"
#include "index/shared_mutex.h"

namespace engram::index_internal {

template <typename Interface>
class LabelledIndex : public Interface {
 public:
  explicit LabelledIndex(std::size_t dimension) : dimension_(dimension) {}

  std::size_t dimension() const final { return dimension_; }
  std::size_t size() const final {
    std::shared_lock lock(mu_);
    return table_.live_count();
  }
  bool Contains(std::string_view id) const final {
    std::shared_lock lock(mu_);
    return table_.Find(id).has_value();
  }
  Result<ItemMeta> GetMeta(std::string_view id) const final {
    std::shared_lock lock(mu_);
    const auto label = table_.Find(id);
    if (!label) return NotFoundError(id);
    return table_.meta(*label);
  }

  Result<std::vector<float>> GetVector(std::string_view id) const final {
    std::shared_lock lock(mu_);
    const auto label = table_.Find(id);
    if (!label) return NotFoundError(id);
    const float* unit = UnitVector(*label);
    return std::vector<float>(unit, unit + dimension_);
  }

  Status Add(std::string_view id, std::span<const float> vector, const ItemMeta& meta) final {
    ENGRAM_RETURN_IF_ERROR(CheckId(id));
    std::vector<float> unit;
    ENGRAM_RETURN_IF_ERROR(NormalizeInto(vector, dimension_, "vector", &unit));
    std::unique_lock lock(mu_);
    if (table_.Find(id))
      return Status::AlreadyExists("vector index already holds '" + std::string(id) + "'");
    const bool is_new = table_.NextIsNew();
    const Label label = table_.Acquire(id, meta);
    Status st = PutVector(label, unit.data());
    if (!st.ok()) table_.UndoAcquire(label, is_new);
    return st;
  }

  Status Update(std::string_view id, std::span<const float> vector, const ItemMeta& meta) final {
    std::vector<float> unit;
    ENGRAM_RETURN_IF_ERROR(NormalizeInto(vector, dimension_, "vector", &unit));
    std::unique_lock lock(mu_);
    const auto label = table_.Find(id);
    if (!label) return NotFoundError(id);
    ENGRAM_RETURN_IF_ERROR(PutVector(*label, unit.data()));
    table_.SetMeta(*label, meta);
    return Status::Ok();
  }

  Status SetMeta(std::string_view id, const ItemMeta& meta) final {
    std::unique_lock lock(mu_);
    const auto label = table_.Find(id);
    if (!label) return NotFoundError(id);
    table_.SetMeta(*label, meta);
    return Status::Ok();
  }

  Status Remove(std::string_view id) final {
    std::unique_lock lock(mu_);
    const auto label = table_.Find(id);
    if (!label) return NotFoundError(id);
    ENGRAM_RETURN_IF_ERROR(DropVector(*label));
    table_.Release(*label);
    return Status::Ok();
  }

 protected:
  // REQUIRES for the hooks: the exclusive lock (Put/Drop) or a shared lock (SearchUnit).
  // `unit` has dimension() entries and norm 1. On error nothing changed.
  virtual Status PutVector(Label label, const float* unit) = 0;
  virtual Status DropVector(Label label) = 0;
  // The unit vector of a live label (dimension() floats, valid while the lock is held).
  virtual const float* UnitVector(Label label) const = 0;
  // Up to k accepted labels, ascending distance.
  virtual Result<std::vector<Scored>> SearchUnit(const float* unit_query, std::size_t k,
                                                 const SearchFilter& filter,
                                                 SearchInfo* info) const = 0;

  // The common front of Search: checks and normalises the query, takes the
  // shared lock, runs SearchUnit and maps labels back to ids.
  Result<std::vector<SearchHit>> SearchWith(std::span<const float> query, std::size_t k,
                                            const SearchFilter& filter, SearchInfo* info) const {
    std::vector<float> unit;
    ENGRAM_RETURN_IF_ERROR(NormalizeInto(query, dimension_, "query", &unit));
    std::shared_lock lock(mu_);
    if (k == 0 || table_.live_count() == 0) return std::vector<SearchHit>{};
    ENGRAM_ASSIGN_OR_RETURN(const std::vector<Scored> scored,
                            SearchUnit(unit.data(), k, filter, info));
    return ToHits(scored, table_);
  }

  static Status CheckId(std::string_view id) {
    if (id.empty() || id.size() > kMaxIdBytes) {
      return Status::InvalidArgument("vector index ids must have 1.." +
                                     std::to_string(kMaxIdBytes) + " bytes");
    }
    return Status::Ok();
  }
  static Status NotFoundError(std::string_view id) {
    return Status::NotFound("vector index holds no item '" + std::string(id) + "'");
  }

  const std::size_t dimension_;
  mutable WriterFirstSharedMutex mu_;
  LabelTable table_;  // guarded by mu_
};

}  // namespace engram::index_internal
