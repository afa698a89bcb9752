// Helpers shared by the Engine's translation units (src/engine/*.cc).
//
// (Secret redaction is RedactingStore's, src/store/redacting_store.h; the
// Engine calls RedactRecord, src/core/redact_records.h, only on a record it
// needs in its stored form before the write.)
//
// Ownership: internal to src/engine/. Thread safety: pure functions.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engram/engine.h"
#include "engram/episode.h"
#include "engram/lesson.h"
#include "engram/store.h"

namespace engram::engine_internal {

// Checks a listing's page: limit in 1..10000, offset >= 0. InvalidArgument
// names `what` ("episode list", ...) otherwise.
Status ValidatePage(int limit, int offset, std::string_view what);

// Every lesson `filter` matches, read page by page (its limit and offset
// are overwritten).
Result<std::vector<Lesson>> ListAllLessons(Store& store, LessonFilter filter);

// The Engine's LessonWriter (src/engine/services.cc), handed to its services.
std::unique_ptr<LessonWriter> NewLessonWriter(Engine& engine);

// Checks the free-text reason of a lesson update or deprecation: at most
// limits.max_title_bytes.
Status ValidateReason(std::string_view reason, const Limits& limits);

}  // namespace engram::engine_internal
