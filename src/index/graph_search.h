// Filtered k-NN search over an hnswlib 0.6.2 graph.
//
// hnswlib 0.6.2 (Debian 12) has no filter argument in searchKnn (0.7.0 added
// one). FilteredGraphSearch is the same algorithm written against the
// graph's public members: a greedy descent through the upper layers, then a
// best-first walk of the base layer in which only accepted items enter the
// result set, so the walk keeps going until it holds `ef` accepted items (or
// runs out of reachable nodes) and rejected nodes still serve as bridges.
// It returns fewer than k items only when fewer than k accepted items are
// reachable; the caller then falls back to an exact scan.
//
// Thread safety: reads the graph only; safe alongside other searches, not
// alongside writes (the owner's shared_mutex ensures that).
#pragma once

#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "index/exact_scan.h"
#include "index/hnswlib_include.h"

namespace engram::index_internal {

// `query` is in the graph's element format (a VectorRecord); distances are
// the graph's own. `accept(label)` decides whether a node may be returned.
template <typename Accept>
std::vector<Scored> FilteredGraphSearch(const Hnsw& g, const void* query, std::size_t ef,
                                        std::size_t k, Accept accept) {
  using hnswlib::tableint;
  if (g.cur_element_count == 0 || k == 0) return {};
  ef = std::max(ef, k);
  const auto distance = [&](tableint id) {
    return g.fstdistfunc_(query, g.getDataByInternalId(id), g.dist_func_param_);
  };
  const auto neighbours = [&](const unsigned int* list) {
    return std::pair<const tableint*, std::size_t>(reinterpret_cast<const tableint*>(list + 1),
                                                   g.getListCount(const_cast<unsigned int*>(list)));
  };

  tableint current = g.enterpoint_node_;
  float current_distance = distance(current);
  for (int level = g.maxlevel_; level > 0; --level) {
    for (bool changed = true; changed;) {
      changed = false;
      const auto [ids, count] = neighbours(g.get_linklist(current, level));
      for (std::size_t i = 0; i < count; ++i) {
        const float d = distance(ids[i]);
        if (d < current_distance) {
          current_distance = d;
          current = ids[i];
          changed = true;
        }
      }
    }
  }

  hnswlib::VisitedList* visited = g.visited_list_pool_->getFreeVisitedList();
  const hnswlib::vl_type tag = visited->curV;
  using Candidate = std::pair<float, tableint>;
  std::priority_queue<Candidate> results;  // accepted only; the worst on top
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> frontier;  // best on top
  float bound = std::numeric_limits<float>::max();  // distance of the worst result once full
  const auto consider = [&](float d, tableint id) {
    frontier.emplace(d, id);
    if (!accept(static_cast<Label>(g.getExternalLabel(id)))) return;
    results.emplace(d, id);
    if (results.size() > ef) results.pop();
    if (results.size() == ef) bound = results.top().first;
  };
  visited->mass[current] = tag;
  consider(current_distance, current);
  while (!frontier.empty()) {
    const auto [d, id] = frontier.top();
    if (d > bound) break;  // bound is finite only once ef results are held
    frontier.pop();
    const auto [ids, count] = neighbours(g.get_linklist0(id));
    for (std::size_t i = 0; i < count; ++i) {
      const tableint next = ids[i];
      if (visited->mass[next] == tag) continue;
      visited->mass[next] = tag;
      const float nd = distance(next);
      if (results.size() < ef || nd < bound) consider(nd, next);
    }
  }
  g.visited_list_pool_->releaseVisitedList(visited);

  while (results.size() > k) results.pop();
  std::vector<Scored> out(results.size());
  for (std::size_t i = out.size(); i-- > 0; results.pop()) {
    out[i] = {results.top().first, static_cast<Label>(g.getExternalLabel(results.top().second))};
  }
  return out;
}

}  // namespace engram::index_internal
