// HnswGraph over hnswlib 0.6.2: the only translation unit that includes
// hnswlib (see hnsw_graph.h for why).
#include "index/hnsw_graph.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "index/code_kernel.h"
#include "index/graph_search.h"
#include "index/hnswlib_include.h"
#include "index/vector_record.h"

namespace engram::index_internal {
namespace {

Status HnswlibError(const char* op, const std::exception& e) {
  return Status::Internal(std::string("hnswlib ") + op + ": " + e.what());
}

// Structure of a loaded graph against the id table (hnsw_index_impl.h invariants).
std::string CheckLoadedGraph(const Hnsw& g, const LabelTable& table) {
  const std::size_t n = g.cur_element_count;
  if (n > 0 && g.element_levels_[g.enterpoint_node_] != g.maxlevel_) return "bad graph entry point";
  std::vector<std::uint8_t> seen(table.size(), 0);
  std::size_t live = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = static_cast<hnswlib::tableint>(i);
    const hnswlib::labeltype label = g.getExternalLabel(id);
    if (label >= table.size() || seen[label]) return "bad or duplicate graph label";
    seen[label] = 1;
    const bool is_live = table.live(static_cast<Label>(label));
    if (is_live == g.isMarkedDeleted(id)) return "graph deletion marks disagree with the id table";
    live += is_live ? 1 : 0;
    const int levels = g.element_levels_[i];
    if (levels > g.maxlevel_) return "element above the top level";
    for (int l = 0; l <= levels; ++l) {
      unsigned int* list = g.get_linklist_at_level(id, l);
      const std::size_t count = g.getListCount(list);
      if (count > (l == 0 ? g.maxM0_ : g.maxM_)) return "link list too long";
      const auto* ids = reinterpret_cast<const hnswlib::tableint*>(list + 1);
      if (std::any_of(ids, ids + count, [n](hnswlib::tableint x) { return x >= n; })) {
        return "link to a missing element";
      }
    }
  }
  if (live != table.live_count()) return "live items missing from the graph";
  return {};
}

// Bytes saveIndex writes for `g`: 96 header bytes, the element block, then
// per element a u32 size and its upper-layer link lists.
std::uint64_t ExpectedSaveBytes(const Hnsw& g) {
  std::uint64_t bytes = 96 + g.cur_element_count * g.size_data_per_element_;
  for (std::size_t i = 0; i < g.cur_element_count; ++i) {
    bytes += 4 + static_cast<std::uint64_t>(g.element_levels_[i]) * g.size_links_per_element_;
  }
  return bytes;
}

// hnswlib's space over VectorRecords (vector_record.h): elements are
// records and hnswlib's distance is the code distance (code_kernel.h), so
// builds and hnswlib's own walks read the codes only. hnswlib never saves the
// distance function, so files are the same whichever kernel wrote them.
class RecordSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit RecordSpace(std::size_t dimension) : layout_(RecordLayout::For(dimension)) {}
  std::size_t get_data_size() override { return layout_.bytes; }
  hnswlib::DISTFUNC<float> get_dist_func() override { return BestCodeKernel().distance; }
  void* get_dist_func_param() override { return &layout_; }
  const RecordLayout& layout() const { return layout_; }

 private:
  RecordLayout layout_;
};

}  // namespace

struct HnswGraph::Impl {
  explicit Impl(std::size_t dimension)
      : space(std::make_unique<RecordSpace>(dimension)),
        layout(space->layout()),
        exact_distance(dimension) {}

  std::vector<char> Encode(const float* unit) const {
    std::vector<char> record(layout.bytes);
    EncodeRecord(unit, layout, record.data());
    return record;
  }
  const float* Vector(hnswlib::tableint id) const {
    return RecordVector(graph->getDataByInternalId(id), layout);
  }
  // The walk's candidates (code distances) with their exact float
  // distances, best k first.
  std::vector<Scored> Rerank(const float* query, std::vector<Scored> candidates,
                             std::size_t k) const {
    for (Scored& c : candidates) c.distance = exact_distance(query, Vector(element_of[c.label]));
    k = std::min(k, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(k),
                      candidates.end(), [](const Scored& a, const Scored& b) {
                        return a.distance < b.distance ||
                               (a.distance == b.distance && a.label < b.label);
                      });
    candidates.resize(k);
    return candidates;
  }

  std::unique_ptr<RecordSpace> space;   // outlives graph
  const RecordLayout& layout;           // space's
  InnerProductDistance exact_distance;  // on the float vectors
  std::unique_ptr<Hnsw> graph;
  // Label -> hnswlib internal id, so scans over labels never walk the graph
  // memory of items they skip. Entries of labels not in the graph are unused.
  std::vector<hnswlib::tableint> element_of;
};

HnswGraph::HnswGraph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HnswGraph::~HnswGraph() = default;

Result<std::unique_ptr<HnswGraph>> HnswGraph::Create(const Params& p) {
  auto impl = std::make_unique<Impl>(p.dimension);
  try {
    impl->graph = std::make_unique<Hnsw>(impl->space.get(), p.capacity, p.M, p.ef_construction,
                                         p.random_seed);
  } catch (const std::exception& e) {
    return HnswlibError("create", e);
  }
  return std::unique_ptr<HnswGraph>(new HnswGraph(std::move(impl)));
}

Result<std::unique_ptr<HnswGraph>> HnswGraph::LoadFrom(const std::string& path, const Params& p,
                                                       const LabelTable& table) {
  auto impl = std::make_unique<Impl>(p.dimension);
  impl->graph = std::make_unique<Hnsw>(impl->space.get());  // loadIndex sets up the rest...
  Hnsw& g = *impl->graph;
  g.num_deleted_ = 0;  // ...except this counter (hnswlib 0.6.2)
  try {
    g.loadIndex(path, impl->space.get(), std::max(p.capacity, table.size()));
  } catch (const std::exception& e) {
    // Only allocation failures get here (CheckGraphBytes ran first). A
    // half-loaded hnswlib graph cannot be destroyed safely: leak it.
    (void)impl->graph.release();
    return HnswlibError("loadIndex", e);
  }
  if (std::string why = CheckLoadedGraph(g, table); !why.empty()) return Status::Corruption(why);
  impl->element_of.resize(table.size());
  for (std::size_t i = 0; i < g.cur_element_count; ++i) {
    impl->element_of[g.getExternalLabel(static_cast<hnswlib::tableint>(i))] =
        static_cast<hnswlib::tableint>(i);
  }
  g.level_generator_.seed(p.random_seed + table.size());
  g.update_probability_generator_.seed(p.random_seed + table.size() + 1);
  return std::unique_ptr<HnswGraph>(new HnswGraph(std::move(impl)));
}

std::size_t HnswGraph::capacity() const { return impl_->graph->max_elements_; }
std::size_t HnswGraph::element_count() const { return impl_->graph->cur_element_count; }
std::size_t HnswGraph::M() const { return impl_->graph->M_; }
std::size_t HnswGraph::ef_construction() const { return impl_->graph->ef_construction_; }
std::size_t HnswGraph::ef() const { return impl_->graph->ef_; }
void HnswGraph::SetEf(std::size_t ef) { impl_->graph->setEf(std::max<std::size_t>(ef, 1)); }

Status HnswGraph::Reserve(std::size_t extra, double growth, std::size_t label_bound) {
  Hnsw& g = *impl_->graph;
  if (impl_->element_of.size() < label_bound) impl_->element_of.resize(label_bound);
  const std::size_t need = g.cur_element_count + extra;
  if (need <= g.max_elements_) return Status::Ok();
  const auto grown =
      static_cast<std::size_t>(std::ceil(static_cast<double>(g.max_elements_) * growth));
  try {
    g.resizeIndex(std::max(need, grown));
  } catch (const std::exception& e) {
    return HnswlibError("resizeIndex", e);
  }
  return Status::Ok();
}

Status HnswGraph::Put(Label label, const float* unit) {
  try {
    // A known label is un-deleted and re-linked in place (same internal id).
    const std::vector<char> record = impl_->Encode(unit);
    impl_->element_of[label] = impl_->graph->addPoint(record.data(), label, -1);
  } catch (const std::exception& e) {
    return HnswlibError("addPoint", e);
  }
  return Status::Ok();
}

Status HnswGraph::MarkDeleted(Label label) {
  try {
    impl_->graph->markDelete(label);
  } catch (const std::exception& e) {
    return HnswlibError("markDelete", e);
  }
  return Status::Ok();
}

Result<std::vector<Scored>> HnswGraph::Search(const float* query, std::size_t k) const {
  const std::vector<char> record = impl_->Encode(query);
  std::vector<Scored> walk;
  try {
    // ef candidates by code distance (searchKnn walks max(ef, k) anyway).
    auto heap = impl_->graph->searchKnn(record.data(), std::max(impl_->graph->ef_, k));
    walk.reserve(heap.size());
    for (; !heap.empty(); heap.pop()) {
      walk.push_back({heap.top().first, static_cast<Label>(heap.top().second)});
    }
  } catch (const std::exception& e) {
    return HnswlibError("searchKnn", e);
  }
  return impl_->Rerank(query, std::move(walk), k);
}

Result<std::vector<Scored>> HnswGraph::FilteredSearch(const float* query, std::size_t ef,
                                                      std::size_t k, AcceptFn accept) const {
  const std::vector<char> record = impl_->Encode(query);
  try {
    ef = std::max(ef, k);
    return impl_->Rerank(query, FilteredGraphSearch(*impl_->graph, record.data(), ef, ef, accept),
                         k);
  } catch (const std::exception& e) {  // the visited-list pool may allocate
    return HnswlibError("filtered search", e);
  }
}

const float* HnswGraph::VectorOf(Label label) const {
  return impl_->Vector(impl_->element_of[label]);
}

std::vector<Scored> HnswGraph::ExactSearch(const float* query, std::size_t k,
                                           std::size_t label_count, AcceptFn accept) const {
  const Impl& impl = *impl_;
  return ExactScan(
      label_count, k, query, impl.exact_distance,
      [](std::size_t i) { return static_cast<Label>(i); },
      [&](std::size_t i) { return impl.Vector(impl.element_of[i]); }, accept);
}

Status HnswGraph::SaveTo(const std::string& path) const {
  try {
    impl_->graph->saveIndex(path);
  } catch (const std::exception& e) {
    return Status::IOError(std::string("hnswlib saveIndex: ") + e.what());
  }
  std::ifstream written(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(written.tellg());
  const std::uint64_t want = ExpectedSaveBytes(*impl_->graph);
  if (!written || size != want) {  // saveIndex does not check its writes
    return Status::IOError("hnswlib saveIndex wrote " + std::to_string(size) + " bytes, expected " +
                           std::to_string(want));
  }
  return Status::Ok();
}

}  // namespace engram::index_internal
