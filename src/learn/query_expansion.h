// Query expansion learned from the store (docs/LEARNING.md, "Query
// expansion"): a query term that is a known topic or tag brings in the keys
// that co-occur with it on lessons, and a query term in a cluster's label
// brings in the label's other terms.
//
//   keys of a lesson      = words of its topic and of its tags
//   co-occurrence(a, b)   = lessons whose keys hold both a and b
//   tag/topic strength    = co-occurrence(q, b) / lessons holding q, kept when
//                           co-occurrence >= min_cooccurrence and strength
//                           >= min_strength
//   cluster strength      = cluster_strength (label terms of clusters with at
//                           least two members)
//
// Terms already in the query are never added; the strongest max_terms are
// kept (ties: alphabetical). Deterministic.
//
// Thread safety: an ExpansionModel is immutable after Build; share freely.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engram/search.h"

namespace engram::learn {

struct ExpansionOptions {
  int max_terms = 5;
  int min_cooccurrence = 2;
  double min_strength = 0.25;
  double cluster_strength = 0.5;
};

// The topic and tags of `lessons` lessons (one distinct combination).
struct LessonKeys {
  std::string topic;
  std::vector<std::string> tags;
  std::int64_t lessons = 1;
};

class ExpansionModel {
 public:
  // `cluster_labels`: the label terms of each cluster with >= 2 members.
  static ExpansionModel Build(const std::vector<LessonKeys>& lessons,
                              const std::vector<std::vector<std::string>>& cluster_labels);

  std::vector<QueryExpansion> Expand(const std::string& query,
                                     const ExpansionOptions& options = {}) const;

  std::size_t vocabulary() const { return df_.size(); }

 private:
  std::map<std::string, std::int64_t> df_;  // lessons holding a key
  std::map<std::pair<std::string, std::string>, std::int64_t> pairs_;
  std::set<std::string> topics_;  // keys that come from a topic
  std::vector<std::vector<std::string>> clusters_;
};

}  // namespace engram::learn
