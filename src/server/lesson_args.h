// Lesson arguments shared by add_lesson and add_lessons (ops_lessons.cc,
// ops_lesson_batch.cc): the schema of a lesson's fields, reading a
// NewLesson from validated arguments, and the JSON of an add's outcome.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/lesson_dedupe.h"
#include "engram/limits.h"
#include "engram/status.h"
#include "server/operation.h"

namespace engram::server {

// Properties of one lesson to add: the lesson fields, id, metadata and
// on_duplicate. Only content is required.
std::vector<std::pair<std::string, Json>> NewLessonSchemas();
// The output schema of one add (a lesson, with dedupe and replaced).
Json AddOutcomeSchema();

// A NewLesson from arguments that passed NewLessonSchemas(): metadata
// filled by the record rules (include/engram/lesson_record.h), arguments
// given win. InvalidArgument for blank content or a bad enum name.
Result<NewLesson> NewLessonFromArgs(const Json& args, const Limits& limits);
// The lesson, with "dedupe" when a near-duplicate was found and
// "replaced": true when the caller's id replaced a stored lesson.
Json AddOutcomeJson(const LessonAddOutcome& outcome);

// The add_lessons operation (ops_lesson_batch.cc).
Operation AddLessonsOperation();

}  // namespace engram::server
