// Auditor: a health report of the lesson store (docs/LEARNING.md, "Audits"):
// most-used lessons, low-confidence ones, stale ones, topics with few or
// weak lessons, open contradictions, duplicate candidates and per-project
// versus global counts. Read-only.
//
// Sections whose data the store does not keep (contradictions, duplicate
// detection) say so with available = false and a note; they are never
// guessed.
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it. Thread safety: as
// safe as the Store; the Auditor holds no state.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

class Embedder;
class Store;

struct AuditOptions {
  // Global lessons plus this project's; unset: every lesson.
  std::optional<std::string> project;
  int top = 10;                        // entries per list, 1..1000
  double low_confidence = 0.3;         // confidence below this is low
  int stale_days = 90;                 // not used (else not updated) for this many days
  int thin_topic_lessons = 1;          // a topic with at most this many lessons is thin
  double weak_topic_confidence = 0.4;  // a topic whose mean confidence is below this is weak
};

struct AuditLesson {
  std::string id;
  std::string title;
  std::string topic;
  double confidence = 0;
  std::string project;  // "" = global
  std::optional<Timestamp> last_used_at;
  Timestamp updated_at = 0;
  std::int64_t retrievals = 0;  // times a search returned it (Lesson::use_count)
  std::int64_t uses = 0;        // feedback events that report an application
  std::int64_t positive = 0;    // helped + accepted + tests_passed
  std::int64_t negative = 0;    // hindered + rejected + harmful
  double days_idle = 0;         // since last use, else since update
};

struct AuditTopic {
  std::string topic;
  int lessons = 0;
  double mean_confidence = 0;
  std::vector<std::string> reasons;  // "thin", "weak"
};

struct AuditSection {
  bool available = true;
  std::string note;
  Json items = Json::array();
};

struct AuditReport {
  Timestamp generated_at = 0;
  AuditOptions options;
  int lessons = 0;  // audited (not deprecated)
  int deprecated = 0;
  int global = 0;
  std::map<std::string, int> per_project;
  bool feedback_available = false;
  std::vector<AuditLesson> most_used;
  std::vector<AuditLesson> low_confidence;
  std::vector<AuditLesson> stale;
  std::vector<AuditTopic> weak_topics;
  AuditSection open_contradictions;
  AuditSection duplicate_candidates;
};
Json ToJson(const AuditReport& r);

class Auditor {
 public:
  // Reads `store` (its lessons, feedback, contradictions and, with an
  // embedder, embeddings); `embedder` may be null.
  Auditor(Store& store, const Embedder* embedder, const Clock& clock)
      : store_(store), embedder_(embedder), clock_(clock) {}
  Result<AuditReport> Run(const AuditOptions& options);

 private:
  Status FindDuplicates(const std::vector<Lesson>& live, std::size_t top, AuditSection& out);

  Store& store_;
  const Embedder* embedder_;
  const Clock& clock_;
};

}  // namespace engram
