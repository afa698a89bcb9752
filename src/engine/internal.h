// Helpers shared by the Engine's translation units (src/engine/*.cc).
//
// RedactInPlace: secret redaction of whole model values, applied by the
// Engine before it stores anything (docs/ARCHITECTURE.md). Each overload
// runs RedactSecrets (include/engram/redact.h) over every free-text and JSON
// field of its value, in place. Identifier-like fields (ids, tool names,
// languages, tags) are left alone.
//
// Ownership: internal to src/engine/. Thread safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "engram/engine.h"
#include "engram/episode.h"
#include "engram/lesson.h"
#include "engram/store.h"

namespace engram::engine_internal {

void RedactInPlace(Episode& episode);  // description, metadata
void RedactInPlace(Step& step);        // action, parameters, output, observation
void RedactInPlace(Outcome& outcome);  // verdict, reason, details, list items
void RedactInPlace(Lesson& lesson);    // title, content

// Checks a listing's page: limit in 1..10000, offset >= 0. InvalidArgument
// names `what` ("episode list", ...) otherwise.
Status ValidatePage(int limit, int offset, std::string_view what);

// Every lesson `filter` matches, read page by page (its limit and offset
// are overwritten).
Result<std::vector<Lesson>> ListAllLessons(Store& store, LessonFilter filter);

// Checks the free-text reason of a lesson update or deprecation: at most
// limits.max_title_bytes.
Status ValidateReason(std::string_view reason, const Limits& limits);

}  // namespace engram::engine_internal
