// PromoteLesson: project -> global through the LessonWriter (the Engine's
// UpdateLesson), so the project version is kept in the lesson's history
// (include/engram/promotion.h).
#include "engram/promotion.h"

#include "engram/lesson_writer.h"
#include "engram/store.h"

namespace engram {

Result<Lesson> PromoteLesson(Store& store, LessonWriter& lessons, const std::string& lesson_id,
                             const std::string& reason) {
  ENGRAM_ASSIGN_OR_RETURN(Lesson current, store.GetLesson(lesson_id));
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
  return lessons.UpdateLesson(lesson_id, patch, why);
}

}  // namespace engram
