// Promotion of a project lesson to a global one (docs/LEARNING.md,
// "Project scope and promotion").
//
// A project lesson is only ever returned for its own project (search,
// context retrieval and listings filter on the stored lesson). Promotion is
// the one explicit way to share it: the lesson becomes global in one
// update, so the project-scoped version stays in its history with the
// reason "promote from project '<p>': <reason>".
//
// Thread safety: as safe as the Store and the LessonWriter (the update is
// one transaction with an optimistic version check).
#pragma once

#include <string>

#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

class LessonWriter;
class Store;

// Reads the lesson from `store`, writes through `lessons`
// (Engine::PromoteLesson passes its own). NotFound for an unknown id;
// FailedPrecondition if the lesson is already global or deprecated.
Result<Lesson> PromoteLesson(Store& store, LessonWriter& lessons, const std::string& lesson_id,
                             const std::string& reason);

}  // namespace engram
