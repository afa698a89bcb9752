// PromoteLesson: project -> global through Engine::UpdateLesson, so the
// project version is kept in the lesson's history (include/engram/promotion.h).
#include "engram/promotion.h"

#include "engram/engine.h"

namespace engram {

Result<Lesson> PromoteLesson(Engine& engine, const std::string& lesson_id,
                             const std::string& reason) {
  ENGRAM_ASSIGN_OR_RETURN(Lesson current, engine.GetLesson(lesson_id));
  if (current.scope == LessonScope::kGlobal) {
    return Status::FailedPrecondition("lesson '" + lesson_id + "' is already global");
  }
  if (current.deprecated) {
    return Status::FailedPrecondition("lesson '" + lesson_id +
                                      "' is deprecated: update or replace it before promoting");
  }
  LessonPatch patch;
  patch.scope = LessonScope::kGlobal;
  patch.project = std::string();
  std::string why = "promote from project '" + current.project + "'";
  if (!reason.empty()) why += ": " + reason;
  return engine.UpdateLesson(lesson_id, patch, why);
}

}  // namespace engram
