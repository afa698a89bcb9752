// HnswIndex: creation, writes and the choice of search path. See
// hnsw_index_impl.h; hnswlib itself is behind HnswGraph (hnsw_graph.h).
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "index/hnsw_index_impl.h"

namespace engram {
namespace index_internal {
namespace {

constexpr std::size_t kEstimateSamples = 512;

}  // namespace

Status CheckHnswOptions(const HnswOptions& o) {
  if (o.dimension == 0 || o.dimension > 65536) {
    return Status::InvalidArgument("vector index dimension must be 1..65536");
  }
  if (o.model_id.empty() || o.model_id.size() > 255) {
    return Status::InvalidArgument("vector index model_id must have 1..255 bytes");
  }
  if (o.M < 2 || o.M > 1024) return Status::InvalidArgument("HNSW M must be 2..1024");
  if (o.ef_construction == 0 || o.ef_search == 0) {
    return Status::InvalidArgument("HNSW ef_construction and ef_search must be >= 1");
  }
  if (o.initial_capacity == 0) return Status::InvalidArgument("initial_capacity must be >= 1");
  if (!(o.growth_factor > 1.0) || !std::isfinite(o.growth_factor)) {
    return Status::InvalidArgument("growth_factor must be a finite number > 1");
  }
  if (!(o.exact_scan_factor >= 0.0) || !std::isfinite(o.exact_scan_factor)) {
    return Status::InvalidArgument("exact_scan_factor must be a finite number >= 0");
  }
  if (!(o.post_filter_share >= 0.0)) {  // NaN too; > 1 (infinity included) disables it
    return Status::InvalidArgument("post_filter_share must be a number >= 0");
  }
  return Status::Ok();
}

HnswIndexImpl::HnswIndexImpl(const HnswOptions& options, std::unique_ptr<HnswGraph> graph,
                             LabelTable table, std::string fingerprint,
                             std::uint32_t loaded_version)
    : LabelledIndex(options.dimension),
      options_(options),
      graph_(std::move(graph)),
      fingerprint_(std::move(fingerprint)),
      loaded_version_(loaded_version) {
  table_ = std::move(table);
  graph_->SetEf(options.ef_search);
}

void HnswIndexImpl::SetEfSearch(std::size_t ef) {
  std::unique_lock lock(mu_);
  graph_->SetEf(ef);
}

std::size_t HnswIndexImpl::capacity() const {
  std::shared_lock lock(mu_);
  return graph_->capacity();
}

Status HnswIndexImpl::PutVector(Label label, const float* unit) {
  ENGRAM_RETURN_IF_ERROR(graph_->Reserve(1, options_.growth_factor, label + std::size_t{1}));
  return graph_->Put(label, unit);
}

Status HnswIndexImpl::DropVector(Label label) { return graph_->MarkDeleted(label); }

Status HnswIndexImpl::AddBatch(std::span<const ItemView> items, int threads) {
  std::vector<float> scratch;
  std::unordered_set<std::string_view> seen;
  for (const ItemView& item : items) {
    ENGRAM_RETURN_IF_ERROR(CheckId(item.id));
    ENGRAM_RETURN_IF_ERROR(NormalizeInto(item.vector, dimension_, "vector", &scratch));
    if (!seen.insert(item.id).second) {
      return Status::InvalidArgument("batch holds '" + std::string(item.id) + "' twice");
    }
  }
  std::unique_lock lock(mu_);
  for (const ItemView& item : items) {
    if (table_.Find(item.id)) {
      return Status::AlreadyExists("vector index already holds '" + std::string(item.id) + "'");
    }
  }
  std::vector<Label> labels(items.size());
  std::vector<std::size_t> reused, fresh;
  for (std::size_t i = 0; i < items.size(); ++i) {
    (table_.NextIsNew() ? fresh : reused).push_back(i);
    labels[i] = table_.Acquire(items[i].id, items[i].meta);
  }
  std::vector<std::uint8_t> done(items.size(), 0);
  Status st = graph_->Reserve(fresh.size(), options_.growth_factor, table_.size());
  // Reused labels re-link existing elements: one at a time; new ones in parallel.
  if (st.ok()) st = InsertAll(items, labels, reused, 1, &done);
  if (st.ok()) st = InsertAll(items, labels, fresh, threads, &done);
  if (st.ok()) return st;
  std::size_t added = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (done[i]) {
      ++added;
    } else {
      table_.Release(labels[i]);
      (void)graph_->MarkDeleted(labels[i]);  // fails when the label never reached the graph
    }
  }
  return Status(st.code(), st.message() + " (" + std::to_string(added) + " of " +
                               std::to_string(items.size()) + " items were added)");
}

Status HnswIndexImpl::InsertAll(std::span<const ItemView> items, const std::vector<Label>& labels,
                                const std::vector<std::size_t>& order, int threads,
                                std::vector<std::uint8_t>* done) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status error;
  const auto work = [&] {
    std::vector<float> unit;
    while (!failed) {
      const std::size_t j = next++;
      if (j >= order.size()) break;
      const std::size_t i = order[j];
      (void)NormalizeInto(items[i].vector, dimension_, "vector", &unit);  // checked before
      Status st = graph_->Put(labels[i], unit.data());
      if (st.ok()) {
        (*done)[i] = 1;
        continue;
      }
      std::lock_guard guard(error_mu);
      if (error.ok()) error = std::move(st);
      failed = true;
    }
  };
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n = std::max(1, std::min<int>(threads, static_cast<int>(order.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return error;
}

std::size_t HnswIndexImpl::EstimateMatches(const SearchFilter& filter, bool* exact) const {
  const std::size_t n = table_.size();
  const std::size_t samples = std::min(n, kEstimateSamples);
  *exact = samples == n;
  std::size_t hits = 0;
  for (std::size_t j = 0; j < samples; ++j) {
    // Stratified: the middle label of each of `samples` equal runs.
    const auto label = static_cast<Label>((2 * j + 1) * n / (2 * samples));
    if (table_.Accepts(label, filter)) ++hits;
  }
  return *exact ? hits : (hits * n + samples / 2) / samples;
}

Result<std::vector<Scored>> HnswIndexImpl::SearchUnit(const float* q, std::size_t k,
                                                      const SearchFilter& filter,
                                                      SearchInfo* info) const {
  SearchInfo local;
  SearchInfo& out = info ? *info : local;
  const std::size_t live = table_.live_count();
  const std::size_t ef = std::max(graph_->ef(), k);
  const auto accept = [&](Label label) { return table_.Accepts(label, filter); };
  Result<std::vector<Scored>> result = std::vector<Scored>{};
  if (!filter) {
    out = {SearchPath::kGraph, live};
    result = graph_->Search(q, k);
  } else {
    bool exact_count = false;
    out.estimated_matches = EstimateMatches(filter, &exact_count);
    if (exact_count && out.estimated_matches == 0) return std::vector<Scored>{};
    const double m = static_cast<double>(out.estimated_matches);
    if (m * m <= options_.exact_scan_factor * static_cast<double>(ef) * static_cast<double>(live)) {
      out.path = SearchPath::kExactScan;
      return graph_->ExactSearch(q, k, table_.size(), accept);
    }
    if (m >= options_.post_filter_share * static_cast<double>(live)) {
      Result<std::vector<Scored>> walk = graph_->Search(q, ef);
      if (!walk.ok()) return walk;
      std::vector<Scored> kept;
      for (const Scored& s : *walk) {
        if (kept.size() == k) break;
        if (accept(s.label)) kept.push_back(s);
      }
      if (kept.size() >= std::min(k, live)) {
        out.path = SearchPath::kGraphThenFilter;
        return kept;
      }
    }
    out.path = SearchPath::kFilteredGraph;
    result = graph_->FilteredSearch(q, ef, k, accept);
  }
  if (!result.ok()) return result;
  // Fewer than k reachable (deletions can cut the graph, a filter can leave
  // few matches): the exact scan returns every accepted item there is.
  if (result->size() < std::min(k, live)) {
    out.path = SearchPath::kExactScan;
    return graph_->ExactSearch(q, k, table_.size(), accept);
  }
  return result;
}

}  // namespace index_internal

Result<std::unique_ptr<HnswIndex>> HnswIndex::Create(const HnswOptions& options) {
  ENGRAM_RETURN_IF_ERROR(index_internal::CheckHnswOptions(options));
  ENGRAM_ASSIGN_OR_RETURN(auto graph, index_internal::HnswGraph::Create(
                                          {options.dimension, options.M, options.ef_construction,
                                           options.initial_capacity, options.random_seed}));
  return std::unique_ptr<HnswIndex>(std::make_unique<index_internal::HnswIndexImpl>(
      options, std::move(graph), index_internal::LabelTable{}, std::string()));
}

}  // namespace engram
