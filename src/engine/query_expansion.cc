#include "engine/query_expansion.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "engram/clusters.h"
#include "engram/engine.h"
#include "learn/query_expansion.h"

namespace engram {

namespace {

// The model held and whether it serves the lessons as they are now: learned
// from them, or (with a change log, on a larger store) from lessons that
// changed too little since to move it.
struct HeldModel {
  std::shared_ptr<const learn::ExpansionModel> model;
  bool current = false;
  StoreFingerprint fp;
};

Result<HeldModel> Held(Engine& engine, SearchState& state) {
  const std::string model = engine.embedder() ? engine.embedder()->model_id() : "text";
  HeldModel out;
  ENGRAM_ASSIGN_OR_RETURN(out.fp, ReadStoreFingerprint(engine.store(), model, &state.counts));
  const StoreFingerprint& fp = out.fp;
  std::lock_guard lock(state.mu);
  out.model = state.expansion;
  if (!out.model) return out;
  if (state.expansion_fingerprint == fp.text) {
    out.current = true;
    return out;
  }
  // A few lessons more or less hardly move the topics, tags and clusters
  // the model is learned from, and relearning it (clustering up to 500
  // lessons) after every write made each search beside a writer pay for
  // it (issue 20 §5): with a change log the model is kept until
  // kExpansionRelearnShare of the lessons (at least kExpansionRelearnMin
  // changes) changed since it was learned.
  const auto& built = state.expansion_mark;
  out.current =
      fp.mark && built && built->lineage == fp.mark->lineage &&
      built->lessons >= kExpansionRelearnFloor && fp.mark->seq >= built->seq &&
      fp.mark->seq - built->seq <
          std::max<std::int64_t>(kExpansionRelearnMin,
                                 static_cast<std::int64_t>(kExpansionRelearnShare *
                                                           static_cast<double>(built->lessons)));
  return out;
}

}  // namespace

Result<std::shared_ptr<const learn::ExpansionModel>> LessonExpansionModel(Engine& engine,
                                                                          SearchState& state) {
  ENGRAM_ASSIGN_OR_RETURN(HeldModel held, Held(engine, state));
  std::shared_ptr<const learn::ExpansionModel> m = held.current ? held.model : nullptr;
  const std::string& fingerprint = held.fp.text;
  const StoreFingerprint& fp = held.fp;
  if (!m) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonKeyCount> counted, engine.store().CountLessonKeys());
    std::vector<learn::LessonKeys> keys;
    keys.reserve(counted.size());
    for (LessonKeyCount& k : counted)
      keys.push_back({std::move(k.topic), std::move(k.tags), k.lessons});
    ClusterRequest cr;
    cr.max_lessons = kExpansionClusterLessons;
    cr.project = "";  // global lessons only: the model serves every project's searches
    ENGRAM_ASSIGN_OR_RETURN(ClusterReport clusters, engine.clusterer().Cluster(cr));
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
                                                      const std::string& query,
                                                      ExpansionBuild build) {
  std::shared_ptr<const learn::ExpansionModel> m;
  switch (build) {
    case ExpansionBuild::kInline: {
      ENGRAM_ASSIGN_OR_RETURN(m, LessonExpansionModel(engine, state));
      break;
    }
    case ExpansionBuild::kBackground: {
      ENGRAM_ASSIGN_OR_RETURN(HeldModel held, Held(engine, state));
      if (!held.current) {
        // Coalesced: one learning at a time, each for the lessons as they
        // are when it starts.
        state.learner.Request([&engine, &state] { (void)LessonExpansionModel(engine, state); });
      }
      m = std::move(held.model);
      break;
    }
    case ExpansionBuild::kHeld: {
      std::lock_guard lock(state.mu);
      m = state.expansion;
      break;
    }
  }
  if (!m) return std::vector<QueryExpansion>{};
  return m->Expand(query);
}

}  // namespace engram
