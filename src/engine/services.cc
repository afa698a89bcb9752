// Engine: composition of its learning services. Each service is handed
// only what it uses (the store, limits, clock, embedder and the Engine's
// LessonWriter), never the Engine (docs/ARCHITECTURE.md, "Services").
#include <memory>
#include <string>
#include <vector>

#include "engine/internal.h"
#include "engram/audit.h"
#include "engram/candidate_queue.h"
#include "engram/clusters.h"
#include "engram/contradiction_checker.h"
#include "engram/engine.h"
#include "engram/lesson_decay.h"
#include "engram/lesson_dedupe.h"
#include "engram/lesson_feedback.h"
#include "engram/opinion_profile.h"
#include "engram/pattern_learning.h"
#include "engram/promotion.h"

namespace engram {

// The Engine's lesson writes, as its services see them.
class EngineLessonWriter final : public LessonWriter {
 public:
  explicit EngineLessonWriter(Engine& engine) : engine_(engine) {}

  Result<Lesson> AddLesson(const NewLesson& lesson) override { return engine_.AddLesson(lesson); }
  Result<Lesson> InsertLesson(const NewLesson& lesson, const std::vector<float>* vector) override {
    if (vector != nullptr) return engine_.AddLessonEmbedded(lesson, *vector);
    return engine_.InsertLesson(lesson, nullptr);
  }
  Result<Lesson> UpdateLesson(const std::string& lesson_id, const LessonPatch& patch,
                              const std::string& reason) override {
    return engine_.UpdateLesson(lesson_id, patch, reason);
  }
  Status RunInLessonTransaction(const std::function<Status()>& fn) override {
    return engine_.RunInLessonTransaction(fn);
  }

 private:
  Engine& engine_;
};

namespace engine_internal {

std::unique_ptr<LessonWriter> NewLessonWriter(Engine& engine) {
  return std::make_unique<EngineLessonWriter>(engine);
}

}  // namespace engine_internal

LessonDedupe Engine::dedupe() {
  return LessonDedupe(*store_, options_.limits, embedder(), *clock_, options_.redact_secrets,
                      *writer_);
}

ContradictionChecker Engine::contradictions() {
  return ContradictionChecker(*store_, embedder(), *clock_);
}

CandidateQueue Engine::candidates() {
  return CandidateQueue(*store_, options_.limits, *clock_, options_.redact_secrets, *writer_);
}

LessonFeedback Engine::feedback() {
  return LessonFeedback(*store_, options_.limits, *clock_, options_.redact_secrets);
}

LessonDecay Engine::decay() { return LessonDecay(*store_, *clock_); }

PatternLearning Engine::patterns() { return PatternLearning(*store_, *clock_); }

LessonClusterer Engine::clusterer() {
  return LessonClusterer(*store_, embedder(), *clock_, options_.no_embedder_reason);
}

Auditor Engine::auditor() { return Auditor(*store_, embedder(), *clock_); }

Result<OpinionProfile> Engine::ResolveOpinionProfile(std::string_view name) {
  return engram::ResolveOpinionProfile(*store_, options_.limits, Now(), name);
}

Result<std::vector<OpinionProfile>> Engine::ListOpinionProfiles() {
  return engram::ListOpinionProfiles(*store_, Now());
}

Result<Lesson> Engine::PromoteLesson(const std::string& lesson_id, const std::string& reason) {
  return engram::PromoteLesson(*store_, *writer_, lesson_id, reason);
}

}  // namespace engram
