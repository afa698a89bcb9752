#include "engine/query_expansion.h"

#include <memory>
#include <mutex>

#include "engram/clusters.h"
#include "engram/engine.h"
#include "learn/query_expansion.h"

namespace engram {

Result<std::shared_ptr<const learn::ExpansionModel>> LessonExpansionModel(Engine& engine,
                                                                          SearchState& state) {
  const std::string model = engine.embedder() ? engine.embedder()->model_id() : "text";
  ENGRAM_ASSIGN_OR_RETURN(std::string fingerprint,
                          LessonFingerprint(engine.store(), model, &state.counts));
  std::shared_ptr<const learn::ExpansionModel> m;
  {
    std::lock_guard lock(state.mu);
    if (state.expansion && state.expansion_fingerprint == fingerprint) m = state.expansion;
  }
  if (!m) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonKeyCount> counted, engine.store().CountLessonKeys());
    std::vector<learn::LessonKeys> keys;
    keys.reserve(counted.size());
    for (LessonKeyCount& k : counted)
      keys.push_back({std::move(k.topic), std::move(k.tags), k.lessons});
    ClusterRequest cr;
    cr.max_lessons = kExpansionClusterLessons;
    cr.project = "";  // global lessons only: the model serves every project's searches
    ENGRAM_ASSIGN_OR_RETURN(ClusterReport clusters, LessonClusterer(engine).Cluster(cr));
    std::vector<std::vector<std::string>> labels;
    for (const LessonCluster& c : clusters.clusters) {
      if (c.members.size() >= 2) labels.push_back(c.label);
    }
    m = std::make_shared<const learn::ExpansionModel>(learn::ExpansionModel::Build(keys, labels));
    std::lock_guard lock(state.mu);
    state.expansion = m;
    state.expansion_fingerprint = fingerprint;
  }
  return m;
}

Result<std::vector<QueryExpansion>> ExpandLessonQuery(Engine& engine, SearchState& state,
                                                      const std::string& query, bool build) {
  if (!build) {
    std::shared_ptr<const learn::ExpansionModel> held;
    {
      std::lock_guard lock(state.mu);
      held = state.expansion;
    }
    if (!held) return std::vector<QueryExpansion>{};
    return held->Expand(query);
  }
  ENGRAM_ASSIGN_OR_RETURN(std::shared_ptr<const learn::ExpansionModel> m,
                          LessonExpansionModel(engine, state));
  return m->Expand(query);
}

}  // namespace engram
