// LessonClusterer (include/engram/clusters.h): loads the lessons, their
// vectors (embeddings or TF-IDF text vectors), clusters them with
// learn::AverageLinkClusters and labels them with learn::LabelClusters.
#include "engram/clusters.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/internal.h"
#include "engine/search_state.h"
#include "engram/contradictions.h"
#include "engram/store.h"
#include "learn/clustering.h"

namespace engram {
namespace {

constexpr double kEmbeddingThreshold = 0.5;
constexpr double kTextThreshold = 0.2;
constexpr int kMaxContradictions = 10000;

double R4(double x) { return std::round(x * 10000) / 10000; }

std::string ClusterText(const Lesson& l) {
  std::string text = l.title + "\n" + l.content + "\n" + l.topic;
  for (const std::string& t : l.tags) text += " " + t;
  return text;
}

Status Validate(const ClusterRequest& r) {
  if (r.max_lessons < 1 || r.max_lessons > 5000) {
    return Status::InvalidArgument("max_lessons must be in 1..5000");
  }
  if (r.label_terms < 1 || r.label_terms > 10) {
    return Status::InvalidArgument("label_terms must be in 1..10");
  }
  if (r.min_similarity && (*r.min_similarity < -1 || *r.min_similarity > 1)) {
    return Status::InvalidArgument("min_similarity must be in [-1, 1]");
  }
  if (r.low_confidence < 0 || r.low_confidence > 1) {
    return Status::InvalidArgument("low_confidence must be in [0, 1]");
  }
  return Status::Ok();
}

}  // namespace

Result<ClusterReport> LessonClusterer::Cluster(const ClusterRequest& request) {
  ENGRAM_RETURN_IF_ERROR(Validate(request));
  LessonFilter filter;
  filter.project = request.project;
  filter.include_deprecated = request.include_deprecated;
  filter.limit = request.max_lessons + 1;
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidatePage(filter.limit, 0, "lesson list"));
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> lessons, store_.ListLessons(filter));
  ClusterReport report;
  if (lessons.size() > static_cast<std::size_t>(request.max_lessons)) {
    report.truncated = true;
    lessons.resize(request.max_lessons);
  }
  // Input order decides ties: sort by id (UUIDv7, creation order).
  std::sort(lessons.begin(), lessons.end(),
            [](const Lesson& a, const Lesson& b) { return a.id < b.id; });
  report.lessons = static_cast<int>(lessons.size());
  std::vector<std::string> texts;
  texts.reserve(lessons.size());
  for (const Lesson& l : lessons) texts.push_back(ClusterText(l));

  learn::SimilarityMatrix sim;
  const Embedder* embedder = request.text_vectors ? nullptr : embedder_;
  if (embedder != nullptr) {
    report.vectors = "embedding";
    report.model_id = embedder->model_id();
    report.min_similarity = request.min_similarity.value_or(kEmbeddingThreshold);
    std::vector<std::vector<float>> vectors;
    vectors.reserve(lessons.size());
    for (const Lesson& l : lessons) {
      auto stored = store_.GetEmbedding(l.id, embedder->model_id());
      if (stored.ok() && stored->created_at >= l.updated_at) {
        vectors.push_back(std::move(stored->vector));
        continue;
      }
      if (!stored.ok() && !stored.status().IsNotFound()) return stored.status();
      ENGRAM_ASSIGN_OR_RETURN(Embedding fresh, EmbedLesson(*embedder, l, clock_.NowMs()));
      vectors.push_back(std::move(fresh.vector));
    }
    sim = learn::CosineMatrix(vectors);
  } else {
    report.vectors = "text";
    if (!request.text_vectors) {
      report.note = no_embedder_reason_ + ": clustered by TF-IDF text vectors";
    }
    report.min_similarity = request.min_similarity.value_or(kTextThreshold);
    sim = learn::SparseCosineMatrix(learn::TextVectors(texts));
  }
  std::vector<std::vector<std::size_t>> groups =
      learn::AverageLinkClusters(sim, report.min_similarity);
  std::vector<std::vector<std::string>> labels =
      learn::LabelClusters(texts, groups, static_cast<std::size_t>(request.label_terms));
  // Open contradictions whose two lessons fall in one cluster.
  std::vector<int> open(groups.size(), 0);
  if (ContradictionStore* cs = store_.contradictions()) {
    report.contradictions_available = true;
    std::map<std::string, std::size_t> cluster_of;
    for (std::size_t c = 0; c < groups.size(); ++c) {
      for (std::size_t i : groups[c]) cluster_of[lessons[i].id] = c;
    }
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Contradiction> listed,
                            cs->ListContradictions(ContradictionStatus::kOpen, kMaxContradictions));
    for (const Contradiction& x : listed) {
      auto a = cluster_of.find(x.lesson_a);
      auto b = cluster_of.find(x.lesson_b);
      if (a != cluster_of.end() && b != cluster_of.end() && a->second == b->second) {
        ++open[a->second];
      }
    }
  } else {
    std::string missing = "open contradictions: not available (this store keeps no contradictions)";
    report.note = report.note.empty() ? missing : report.note + "; " + missing;
  }
  for (std::size_t c = 0; c < groups.size(); ++c) {
    LessonCluster cluster;
    cluster.id = static_cast<int>(c + 1);
    cluster.label = labels[c];
    cluster.cohesion = learn::Cohesion(sim, groups[c]);
    double sum = 0;
    for (std::size_t i : groups[c]) {
      const Lesson& l = lessons[i];
      cluster.members.push_back(
          ClusterMember{l.id, l.title, l.topic, l.type, l.confidence,
                        l.scope == LessonScope::kProject ? l.project : std::string()});
      sum += l.confidence;
    }
    cluster.mean_confidence = sum / double(groups[c].size());
    cluster.single_low_confidence =
        groups[c].size() == 1 && lessons[groups[c].front()].confidence < request.low_confidence;
    if (cluster.single_low_confidence) cluster.flags.emplace_back("single_low_confidence");
    if (report.contradictions_available) {
      cluster.open_contradictions = open[c];
      if (open[c] > 0) cluster.flags.emplace_back("contradiction");
    }
    report.clusters.push_back(std::move(cluster));
  }
  return report;
}

Json ToJson(const ClusterReport& r) {
  Json clusters = Json::array();
  for (const LessonCluster& c : r.clusters) {
    Json members = Json::array();
    for (const ClusterMember& m : c.members) {
      members.push_back(
          Json{{"id", m.id},
               {"title", m.title},
               {"topic", m.topic},
               {"type", std::string(ToString(m.type))},
               {"confidence", m.confidence},
               {"project", m.scope_project.empty() ? Json(nullptr) : Json(m.scope_project)}});
    }
    clusters.push_back(Json{{"id", c.id},
                            {"label", c.label},
                            {"size", c.members.size()},
                            {"members", members},
                            {"cohesion", R4(c.cohesion)},
                            {"mean_confidence", R4(c.mean_confidence)},
                            {"single_low_confidence", c.single_low_confidence},
                            {"open_contradictions",
                             c.open_contradictions ? Json(*c.open_contradictions) : Json(nullptr)},
                            {"flags", c.flags}});
  }
  Json j{{"vectors", r.vectors},
         {"min_similarity", r.min_similarity},
         {"lessons", r.lessons},
         {"truncated", r.truncated},
         {"contradictions_available", r.contradictions_available},
         {"clusters", clusters}};
  if (!r.model_id.empty()) j["model_id"] = r.model_id;
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

}  // namespace engram
