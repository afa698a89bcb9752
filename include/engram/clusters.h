// LessonClusterer: groups lessons into emergent themes by the similarity of
// their embeddings and labels each theme by its most distinctive terms
// (docs/LEARNING.md, "Clusters"; the algorithm is src/learn/clustering.h).
//
// Vectors: the stored embeddings of the Engine's embedder model (a lesson
// whose embedding is missing or older than the lesson is embedded in memory,
// nothing is written). Without an embedder, TF-IDF vectors of the lesson
// text are used instead and the report says so (`vectors` = "text", the
// note giving the Engine's no_embedder_reason); `text_vectors` asks for
// them even with an embedder.
//
// Flags per cluster: a single member whose confidence is below
// low_confidence; open contradictions between members, when the store keeps
// contradictions (else the report says they are not available).
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it. Thread safety: as
// safe as the Store; the clusterer itself holds no state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

class Embedder;
class Store;

struct ClusterRequest {
  // Global lessons plus this project's; unset: every lesson (as list_lessons).
  std::optional<std::string> project;
  bool include_deprecated = false;
  // TF-IDF text vectors even when the Engine has an embedder (no embedding
  // is read or computed); the report then carries no "why text" note.
  bool text_vectors = false;
  // Average-link merge threshold; unset: 0.5 for embeddings, 0.2 for text
  // vectors (TF-IDF cosines are lower for the same relatedness).
  std::optional<double> min_similarity;
  int max_lessons = 2000;       // the newest lessons are clustered, 1..5000
  int label_terms = 3;          // 1..10
  double low_confidence = 0.4;  // a single member below this is flagged
};

struct ClusterMember {
  std::string id;
  std::string title;
  std::string topic;
  LessonType type = LessonType::kBestPractice;
  double confidence = 0;
  std::string scope_project;  // "" = global
};

struct LessonCluster {
  int id = 0;  // 1-based, largest cluster first
  std::vector<std::string> label;
  std::vector<ClusterMember> members;
  double cohesion = 1;  // mean pairwise similarity
  double mean_confidence = 0;
  bool single_low_confidence = false;
  // Open contradictions between two members; unset when not available.
  std::optional<int> open_contradictions;
  std::vector<std::string> flags;  // "single_low_confidence", "contradiction"
};

struct ClusterReport {
  std::string vectors;   // "embedding" or "text"
  std::string model_id;  // embedder model when vectors == "embedding"
  std::string note;      // why text vectors, or what is not available
  double min_similarity = 0;
  int lessons = 0;         // clustered
  bool truncated = false;  // more lessons than max_lessons
  bool contradictions_available = false;
  std::vector<LessonCluster> clusters;
};
Json ToJson(const ClusterReport& r);

class LessonClusterer {
 public:
  // Reads `store`; `embedder` may be null (text vectors, with
  // `no_embedder_reason` in the report's note).
  LessonClusterer(Store& store, const Embedder* embedder, const Clock& clock,
                  std::string no_embedder_reason)
      : store_(store),
        embedder_(embedder),
        clock_(clock),
        no_embedder_reason_(std::move(no_embedder_reason)) {}
  Result<ClusterReport> Cluster(const ClusterRequest& request);

 private:
  Store& store_;
  const Embedder* embedder_;
  const Clock& clock_;
  std::string no_embedder_reason_;
};

}  // namespace engram
