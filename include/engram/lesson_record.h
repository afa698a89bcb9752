// Lesson records: a lesson in the shape document stores use, an id, a
// document and a flat metadata object (Chroma's collection.get(), the
// NDJSON memory service engram replaces: docs/FORMATS.md, "Lesson
// records"). One set of rules maps such a record onto a NewLesson, for the
// Chroma import and for add_lesson's metadata, and one maps a lesson back.
//
// Record -> lesson (LessonFromRecord):
//  - id: the record's id, kept as the lesson's (NewLesson::id);
//  - content: the document;
//  - metadata.topic (a non-empty string) -> topic, else the default topic;
//  - metadata.type -> type, with synonyms ("pitfall" -> gotcha, "tips" ->
//    heuristic; case, spaces, dashes and a plural "s" ignored); missing or
//    unknown -> the default type;
//  - metadata.title -> title, else the document's first sentence;
//  - metadata.confidence (a number) -> confidence;
//  - metadata.project (a non-empty string) -> scope project, that project;
//  - metadata.tags: a comma-separated string or an array of strings;
//  - every other entry (and one of the above whose value could not be
//    used) is kept in the lesson's metadata; with metadata_tags, each such
//    scalar entry is also a "key:value" tag (the Chroma import's rule).
// Lesson -> record metadata (RecordMetadata): the lesson's metadata with
// type, topic, title, confidence, tags (an array) and project (when
// project-scoped) written over it.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/limits.h"
#include "engram/status.h"

namespace engram {

struct LessonRecordOptions {
  // Topic when the metadata names none. Default "general".
  std::string default_topic = "general";
  // Type when the metadata names none or an unknown one. Default
  // best_practice (the Chroma import passes heuristic).
  LessonType default_type = LessonType::kBestPractice;
  // Also turn each other scalar entry into a "key:value" tag (and an unknown
  // type into "type:<value>"). Default false.
  bool metadata_tags = false;
};

// A lesson built from a record, and how many metadata entries could not
// become tags (only counted with metadata_tags, or for metadata.tags).
struct MappedRecord {
  NewLesson lesson;
  std::size_t tags_skipped = 0;
};

// REQUIRES: `metadata` is an object or null. InvalidArgument for an empty
// document. The lesson is not validated (ValidateNewLesson does that).
Result<MappedRecord> LessonFromRecord(const std::string& id, const std::string& document,
                                      const Json& metadata, const LessonRecordOptions& options,
                                      const Limits& limits);

// The record metadata of `lesson` (see above).
Json RecordMetadata(const Lesson& lesson);

// Sets `type` from a type name or synonym. False, leaving `type` unchanged,
// for an unknown name.
bool LessonTypeFromName(std::string_view name, LessonType& type);

// The first line of `document`, cut after its first sentence and to
// `max_bytes` (on a UTF-8 boundary, "..." marking a cut).
std::string TitleFromDocument(std::string_view document, std::size_t max_bytes);

}  // namespace engram
