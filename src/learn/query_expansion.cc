#include "learn/query_expansion.h"

#include <algorithm>

#include "learn/clustering.h"

namespace engram::learn {
namespace {

std::vector<std::string> KeyWords(const std::string& key) { return TextTerms(key); }

}  // namespace

ExpansionModel ExpansionModel::Build(const std::vector<LessonKeys>& lessons,
                                     const std::vector<std::vector<std::string>>& cluster_labels) {
  ExpansionModel m;
  for (const LessonKeys& l : lessons) {
    std::set<std::string> keys;
    for (std::string& w : KeyWords(l.topic)) {
      m.topics_.insert(w);
      keys.insert(std::move(w));
    }
    for (const std::string& t : l.tags) {
      for (std::string& w : KeyWords(t)) keys.insert(std::move(w));
    }
    for (const std::string& a : keys) {
      m.df_[a] += l.lessons;
      for (const std::string& b : keys) {
        if (a != b) m.pairs_[{a, b}] += l.lessons;
      }
    }
  }
  for (const auto& label : cluster_labels) {
    if (label.size() >= 2) m.clusters_.push_back(label);
  }
  return m;
}

std::vector<QueryExpansion> ExpansionModel::Expand(const std::string& query,
                                                   const ExpansionOptions& o) const {
  std::vector<std::string> words = TextTerms(query);
  std::set<std::string> in_query(words.begin(), words.end());
  std::map<std::string, QueryExpansion> best;  // term -> strongest expansion
  auto offer = [&](QueryExpansion e) {
    if (in_query.count(e.term)) return;
    auto it = best.find(e.term);
    if (it == best.end() || e.strength > it->second.strength) best[e.term] = std::move(e);
  };
  for (const std::string& q : in_query) {
    auto df = df_.find(q);
    if (df != df_.end()) {
      for (auto it = pairs_.lower_bound({q, ""}); it != pairs_.end() && it->first.first == q;
           ++it) {
        double strength = double(it->second) / double(df->second);
        if (it->second < o.min_cooccurrence || strength < o.min_strength) continue;
        const std::string& b = it->first.second;
        offer({b, topics_.count(b) ? "topic" : "tag", q, strength});
      }
    }
    for (const auto& label : clusters_) {
      if (std::find(label.begin(), label.end(), q) == label.end()) continue;
      for (const std::string& t : label) offer({t, "cluster", q, o.cluster_strength});
    }
  }
  std::vector<QueryExpansion> out;
  out.reserve(best.size());
  for (auto& [term, e] : best) out.push_back(std::move(e));
  std::stable_sort(out.begin(), out.end(), [](const QueryExpansion& a, const QueryExpansion& b) {
    if (a.strength != b.strength) return a.strength > b.strength;
    return a.term < b.term;
  });
  if (out.size() > static_cast<std::size_t>(std::max(0, o.max_terms))) out.resize(o.max_terms);
  return out;
}

}  // namespace engram::learn
