// add_lessons: many lessons in one call (LessonDedupe::AddBatch).
#include <vector>

#include "engram/lesson_dedupe.h"
#include "server/json_schema.h"
#include "server/lesson_args.h"
#include "server/operation.h"

namespace engram::server {
namespace {

// Lessons per call; a bigger load is several calls (or `engram import`).
constexpr int kMaxBatch = 1000;

Result<Json> AddLessons(Engine& engine, const Json& args) {
  std::vector<NewLesson> lessons;
  const Json& items = args.at("lessons");
  lessons.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Result<NewLesson> lesson = NewLessonFromArgs(items[i], engine.limits());
    if (!lesson.ok()) {
      return Status(lesson.status().code(),
                    "lessons[" + std::to_string(i) + "]: " + lesson.status().message());
    }
    lessons.push_back(std::move(lesson).value());
  }
  ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonAddOutcome> outcomes,
                          engine.dedupe().AddBatch(lessons));
  Json out = Json::array();
  for (const LessonAddOutcome& o : outcomes) out.push_back(AddOutcomeJson(o));
  return Json{{"lessons", std::move(out)}, {"count", outcomes.size()}};
}

}  // namespace

Operation AddLessonsOperation() {
  Json items = js::Array(js::Object(NewLessonSchemas(), {"content"}),
                         "The lessons, each as add_lesson takes one.");
  items["minItems"] = 1;
  items["maxItems"] = kMaxBatch;
  return Operation{
      "add_lessons",
      {},
      "Remember many lessons",
      "Store up to 1000 lessons in one call, each as add_lesson would (dedupe, your own ids, "
      "metadata), embedded in batches and written in one transaction: all are stored, or none "
      "when one fails (the error names lessons[i]). Much faster than one add_lesson per "
      "lesson.",
      js::Object({{"lessons", items}}, {"lessons"}),
      js::Object({{"lessons", js::Array(AddOutcomeSchema(), "Each lesson as stored, in order.")},
                  {"count", js::Int("Number stored.")}},
                 {"lessons", "count"}),
      false,
      false,
      AddLessons};
}

}  // namespace engram::server
