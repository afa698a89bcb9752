// The lesson a NewLesson describes, written once for the engine's writers
// (insert, dedupe, batch embedding).
//
// Thread safety: a pure function.
#pragma once

#include "engram/lesson.h"

namespace engram {

// Its id (empty when it brings none), type, topic, title, content,
// confidence, scope, project, source, tags and metadata as given; no
// timestamps, version 1.
Lesson LessonFrom(const NewLesson& n);

}  // namespace engram
