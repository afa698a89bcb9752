#include "engine/query_expansion.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "engram/clusters.h"
#include "engram/engine.h"
#include "learn/query_expansion.h"

namespace engram {

Result<std::shared_ptr<const learn::ExpansionModel>> LessonExpansionModel(Engine& engine,
                                                                          SearchState& state) {
  const std::string model = engine.embedder() ? engine.embedder()->model_id() : "text";
  ENGRAM_ASSIGN_OR_RETURN(StoreFingerprint fp,
                          ReadStoreFingerprint(engine.store(), model, &state.counts));
  std::string& fingerprint = fp.text;
  std::shared_ptr<const learn::ExpansionModel> m;
  {
    std::lock_guard lock(state.mu);
    if (state.expansion && state.expansion_fingerprint == fingerprint) m = state.expansion;
    // A few lessons more or less hardly move the topics, tags and clusters
    // the model is learned from, and relearning it (clustering up to 500
    // lessons) after every write made each search beside a writer pay for
    // it (issue 20 §5): with a change log the model is kept until
    // kExpansionRelearnShare of the lessons (at least kExpansionRelearnMin
    // changes) changed since it was learned.
    const auto& built = state.expansion_mark;
    if (!m && state.expansion && fp.mark && built && built->lineage == fp.mark->lineage &&
        built->lessons >= kExpansionRelearnFloor && fp.mark->seq >= built->seq &&
        fp.mark->seq - built->seq <
            std::max<std::int64_t>(
                kExpansionRelearnMin,
                static_cast<std::int64_t>(kExpansionRelearnShare *
                                          static_cast<double>(built->lessons)))) {
      m = state.expansion;
    }
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
    state.expansion_mark = fp.mark;
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
