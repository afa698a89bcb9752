// JSON forms of lessons and their versions (lesson.h). Field names are the
// struct field names; timestamps are integer milliseconds; last_used_at and
// superseded_by are omitted when unset, situations and metadata when empty; enums are their string
// names. Required when reading: lesson.id and lesson_version.lesson; every other field defaults.
#include <string>

#include "core/json_read.h"
#include "engram/lesson.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

namespace {

Result<Lesson> LessonAt(const Json& j, std::string_view path) {
  Lesson l;
  FieldReader r(j, std::string(path));
  r.String("id", l.id, Presence::kRequired);
  r.Enum("type", l.type, &ParseLessonType);
  r.String("topic", l.topic);
  r.String("title", l.title);
  r.String("content", l.content);
  r.Double("confidence", l.confidence);
  r.Enum("scope", l.scope, &ParseLessonScope);
  r.String("project", l.project);
  r.Enum("source", l.source, &ParseLessonSource);
  r.StringList("tags", l.tags);
  r.StringList("situations", l.situations);
  r.Int("created_at", l.created_at);
  r.Int("updated_at", l.updated_at);
  r.OptionalInt("last_used_at", l.last_used_at);
  r.Int("use_count", l.use_count);
  r.Bool("deprecated", l.deprecated);
  r.Int("version", l.version);
  r.OptionalString("superseded_by", l.superseded_by);
  r.Object("metadata", l.metadata);
  if (!r.ok()) return r.status();
  return l;
}

Result<LessonVersion> LessonVersionAt(const Json& j, std::string_view path) {
  LessonVersion v;
  FieldReader r(j, std::string(path));
  r.Nested("lesson", v.lesson, &LessonAt, Presence::kRequired);
  r.Int("superseded_at", v.superseded_at);
  r.String("reason", v.reason);
  if (!r.ok()) return r.status();
  return v;
}

}  // namespace

Json ToJson(const Lesson& l) {
  Json j{{"id", l.id},
         {"type", ToString(l.type)},
         {"topic", l.topic},
         {"title", l.title},
         {"content", l.content},
         {"confidence", l.confidence},
         {"scope", ToString(l.scope)},
         {"project", l.project},
         {"source", ToString(l.source)},
         {"tags", l.tags},
         {"created_at", l.created_at},
         {"updated_at", l.updated_at},
         {"deprecated", l.deprecated},
         {"version", l.version},
         {"use_count", l.use_count}};
  if (l.last_used_at) j["last_used_at"] = *l.last_used_at;
  if (l.superseded_by) j["superseded_by"] = *l.superseded_by;
  if (!l.situations.empty()) j["situations"] = l.situations;
  if (!l.metadata.empty()) j["metadata"] = l.metadata;
  return j;
}

Json ToJson(const LessonVersion& v) {
  return Json{
      {"lesson", ToJson(v.lesson)}, {"superseded_at", v.superseded_at}, {"reason", v.reason}};
}

Result<Lesson> LessonFromJson(const Json& j) {
  return NoThrow<Lesson>("lesson", [&] { return LessonAt(j, "lesson"); });
}

Result<LessonVersion> LessonVersionFromJson(const Json& j) {
  return NoThrow<LessonVersion>("lesson_version",
                                [&] { return LessonVersionAt(j, "lesson_version"); });
}

}  // namespace engram
