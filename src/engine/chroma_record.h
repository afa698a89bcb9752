// Mapping one Chroma record (document + metadata) onto a NewLesson, for
// ImportChromaDump (include/engram/chroma_import.h). Split out so the rules
// (type synonyms, title extraction, tag normalisation) sit in one place.
//
// Ownership: pure functions. Thread safety: safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/limits.h"
#include "engram/status.h"

namespace engram::chroma {

// A lesson built from a record, and how many metadata entries could not
// become tags.
struct MappedRecord {
  NewLesson lesson;
  std::size_t tags_skipped = 0;
};

// REQUIRES: `metadata` is an object or null. Builds the lesson with topic
// `topic`; InvalidArgument (without a record prefix) for an empty document.
Result<MappedRecord> MapRecord(std::string_view topic, const std::string& document,
                               const Json& metadata, const Limits& limits);

// Sets `type` from a Chroma type name ("pitfall" -> gotcha, "tips" ->
// heuristic; case, spaces, dashes and a plural "s" ignored). False, leaving
// `type` unchanged, for an unknown name.
bool LessonTypeFromChroma(std::string_view name, LessonType& type);

// The first line of `document`, cut after its first sentence and to
// `max_bytes` (on a UTF-8 boundary, "..." marking a cut).
std::string TitleFromDocument(std::string_view document, std::size_t max_bytes);

// "key:value" in the tag format, or "" if it cannot be expressed.
std::string MetadataTag(std::string_view key, std::string_view value, const Limits& limits);

}  // namespace engram::chroma
