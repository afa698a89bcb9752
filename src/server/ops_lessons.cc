// Lesson operations of the dispatch table: add, get, list, update,
// deprecate, delete, history.
#include "engram/enum_names.h"
#include "engram/lesson_dedupe.h"
#include "engram/lesson_record.h"
#include "engram/project_scope.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/lesson_args.h"
#include "server/model_schemas.h"
#include "server/operation.h"
#include "server/project_args.h"

namespace engram::server {
namespace {

Json LessonIdArgs(bool with_reason) {
  std::vector<std::pair<std::string, Json>> props = {{"lesson_id", js::Str("The lesson's id.")}};
  if (with_reason) props.emplace_back("reason", js::Str("Why (kept in the lesson's history)."));
  return js::Object(props, {"lesson_id"});
}

// Lesson fields shared by add and update.
std::vector<std::pair<std::string, Json>> LessonFieldSchemas() {
  return {{"type", js::Enum(LessonTypeNames(), "Kind of knowledge.")},
          {"topic", js::Str("Subject area, e.g. react, testing, xstate.")},
          {"title", js::Str("One-line summary.")},
          {"content", js::Str("The lesson itself: what to do or avoid, and why.")},
          {"confidence", js::Num("How sure we are, 0..1 (default 0.5).", 0.0, 1.0)},
          {"scope", js::Enum(LessonScopeNames(), "global, or only one project.")},
          {"project", js::Str("Project id; required when scope is project.")},
          {"source", js::Enum(LessonSourceNames(), "Where it came from (default manual).")},
          {"tags", js::Array(js::Str("tag"), "Tags, lower-case.")},
          {"situations",
           js::Array(js::Str("situation"),
                     "Situations it applies to, told as the symptom someone would see (an "
                     "error, a failing test, an incident); searched with the lesson, at most 8. "
                     "Update replaces the list.")}};
}

}  // namespace

std::vector<std::pair<std::string, Json>> NewLessonSchemas() {
  auto fields = LessonFieldSchemas();
  fields[1].second = js::Str(
      "Subject area, e.g. react, testing, xstate (default: metadata.topic, "
      "else general).");
  fields[2].second =
      js::Str("One-line summary (default: metadata.title, else the content's first sentence).");
  fields.insert(fields.begin(),
                {"id", js::Str("Your own id for the lesson (default: a new one). An id already "
                               "stored replaces that lesson; its previous version stays in "
                               "history.")});
  fields.emplace_back(
      "metadata",
      js::AnyObject("Your own keys, returned with the lesson. type, topic, title, confidence, "
                    "project and tags (a list or a comma-separated string) fill the lesson "
                    "fields not given as arguments; the rest is kept as metadata."));
  fields.emplace_back(
      "on_duplicate",
      js::Enum({"merge", "reject", "allow"},
               "If it nearly duplicates a stored lesson: merge into it (default; tags and "
               "content combined, confidence reinforced), reject (error naming the existing "
               "lesson), or allow the duplicate. A lesson with your own id is never merged "
               "away: it is added and the duplicate reported."));
  return fields;
}

Json AddOutcomeSchema() {
  Json out = LessonSchema();
  out["properties"]["dedupe"] = js::Object(
      {{"merged", js::Bool("The lesson was merged into an existing one (the one returned).")},
       {"duplicate", js::Object({{"lesson_id", js::Str("The existing lesson.")},
                                 {"overlap", js::Num("Token overlap (Jaccard).", 0.0, 1.0)},
                                 {"cosine", js::Num("Embedding cosine, when both are embedded.")},
                                 {"reason", js::Str("Why it counts as a duplicate.")}},
                                {"lesson_id", "overlap", "reason"})}},
      {"merged", "duplicate"}, "Present when a near-duplicate was found.");
  out["properties"]["replaced"] =
      js::Bool("Present and true when your id was stored: that lesson was replaced.");
  return out;
}

Json AddOutcomeJson(const LessonAddOutcome& outcome) {
  Json out = ToJson(outcome.lesson);
  if (outcome.duplicate) {
    Json d = ToJson(outcome);
    d.erase("lesson");
    d.erase("replaced");
    out["dedupe"] = std::move(d);
  }
  if (outcome.replaced) out["replaced"] = true;
  return out;
}

Result<NewLesson> NewLessonFromArgs(const Json& args, const Limits& limits) {
  const std::string content = StringArg(args, "content");
  if (content.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
    return Status::InvalidArgument("content is required and must not be empty");
  }
  // The record rules (lesson_record.h) fill from metadata what the
  // arguments leave out; an argument given wins.
  ENGRAM_ASSIGN_OR_RETURN(MappedRecord record, LessonFromRecord(StringArg(args, "id"), content,
                                                                ObjectArg(args, "metadata"),
                                                                LessonRecordOptions{}, limits));
  NewLesson l = std::move(record.lesson);
  if (auto t = OptStringArg(args, "type")) {
    ENGRAM_ASSIGN_OR_RETURN(l.type, ParseLessonType(*t));
  }
  if (auto topic = OptStringArg(args, "topic")) l.topic = *topic;
  if (auto title = OptStringArg(args, "title")) l.title = *title;
  if (auto c = OptNumberArg(args, "confidence")) l.confidence = *c;
  if (auto s = OptStringArg(args, "scope")) {
    ENGRAM_ASSIGN_OR_RETURN(l.scope, ParseLessonScope(*s));
    if (l.scope == LessonScope::kGlobal) l.project.clear();
  }
  if (auto project = OptStringArg(args, "project")) l.project = *project;
  ENGRAM_ASSIGN_OR_RETURN(l.source, ParseLessonSource(StringArg(args, "source", "manual")));
  if (args.contains("tags")) l.tags = StringListArg(args, "tags");
  if (args.contains("situations")) l.situations = StringListArg(args, "situations");
  ENGRAM_ASSIGN_OR_RETURN(l.on_duplicate,
                          ParseDuplicatePolicy(StringArg(args, "on_duplicate", "merge")));
  return l;
}

namespace {

Result<Json> AddLesson(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(NewLesson l, NewLessonFromArgs(args, engine.limits()));
  ENGRAM_ASSIGN_OR_RETURN(LessonAddOutcome outcome, engine.dedupe().Add(l));
  return AddOutcomeJson(outcome);
}

Result<Json> GetLesson(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "lesson_id");
  ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine.GetLesson(id));
  ENGRAM_RETURN_IF_ERROR(
      RequireVisible(ProjectOf(lesson), OptStringArg(args, "project"), "lesson", id));
  return ToJson(lesson);
}

Result<Json> ListLessons(Engine& engine, const Json& args) {
  LessonFilter f;
  if (auto t = OptStringArg(args, "type")) {
    ENGRAM_ASSIGN_OR_RETURN(f.type, ParseLessonType(*t));
  }
  f.topic = OptStringArg(args, "topic");
  if (auto s = OptStringArg(args, "scope")) {
    ENGRAM_ASSIGN_OR_RETURN(f.scope, ParseLessonScope(*s));
  }
  f.project = OptStringArg(args, "project");
  f.tags = StringListArg(args, "tags");
  f.min_confidence = OptNumberArg(args, "min_confidence");
  f.include_deprecated = BoolArg(args, "include_deprecated");
  f.limit = static_cast<int>(IntArg(args, "limit", 20));
  f.offset = static_cast<int>(IntArg(args, "offset", 0));
  ENGRAM_ASSIGN_OR_RETURN(auto lessons, engine.ListLessons(f));
  Json items = Json::array();
  for (const auto& l : lessons) items.push_back(ToJson(l));
  return ListResult("lessons", std::move(items));
}

Result<Json> UpdateLesson(Engine& engine, const Json& args) {
  LessonPatch p;
  if (auto t = OptStringArg(args, "type")) {
    ENGRAM_ASSIGN_OR_RETURN(p.type, ParseLessonType(*t));
  }
  p.topic = OptStringArg(args, "topic");
  p.title = OptStringArg(args, "title");
  p.content = OptStringArg(args, "content");
  p.confidence = OptNumberArg(args, "confidence");
  if (auto s = OptStringArg(args, "scope")) {
    ENGRAM_ASSIGN_OR_RETURN(p.scope, ParseLessonScope(*s));
  }
  p.project = OptStringArg(args, "project");
  if (auto s = OptStringArg(args, "source")) {
    ENGRAM_ASSIGN_OR_RETURN(p.source, ParseLessonSource(*s));
  }
  if (args.contains("tags")) p.tags = StringListArg(args, "tags");
  if (args.contains("situations")) p.situations = StringListArg(args, "situations");
  if (args.contains("metadata")) p.metadata = ObjectArg(args, "metadata");
  ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine.UpdateLesson(StringArg(args, "lesson_id"), p,
                                                             StringArg(args, "reason", "update")));
  return ToJson(lesson);
}

Result<Json> DeprecateLesson(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(Lesson lesson,
                          engine.DeprecateLesson(StringArg(args, "lesson_id"),
                                                 StringArg(args, "reason", "deprecated")));
  return ToJson(lesson);
}

Result<Json> DeleteLesson(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "lesson_id");
  ENGRAM_RETURN_IF_ERROR(engine.DeleteLesson(id));
  return Json{{"deleted", true}, {"lesson_id", id}};
}

Result<Json> LessonHistory(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "lesson_id");
  const std::optional<std::string> project = OptStringArg(args, "project");
  if (project) {
    ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine.GetLesson(id));
    ENGRAM_RETURN_IF_ERROR(RequireVisible(ProjectOf(lesson), project, "lesson", id));
  }
  ENGRAM_ASSIGN_OR_RETURN(auto versions, engine.LessonHistory(id));
  if (project) {  // a version from before a promotion out of another project stays hidden
    std::erase_if(versions, [&](const LessonVersion& v) {
      return !VisibleToProject(ProjectOf(v.lesson), *project);
    });
  }
  Json items = Json::array();
  for (const auto& v : versions) items.push_back(ToJson(v));
  return ListResult("versions", std::move(items));
}

}  // namespace

void AddLessonOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "add_lesson",
      {"add"},
      "Remember a lesson",
      "Store a piece of curated knowledge: a best practice, an anti-pattern to avoid, a gotcha, "
      "a heuristic or an example, with its topic and confidence. A near-duplicate of a stored "
      "lesson on the same topic is merged into it by default (see on_duplicate and the "
      "dedupe field of the result). To add many at once, use add_lessons.",
      js::Object(NewLessonSchemas(), {"content"}),
      AddOutcomeSchema(),
      false,
      false,
      AddLesson});
  ops.push_back(AddLessonsOperation());
  ops.push_back(Operation{"get_lesson",
                          {},
                          "Get a lesson",
                          "Fetch one lesson by id.",
                          WithReadProject(LessonIdArgs(false)),
                          LessonSchema(),
                          true,
                          false,
                          GetLesson});
  ops.push_back(
      Operation{"list_lessons",
                {},
                "List lessons",
                "List lessons by metadata (type, topic, scope, project, tags, confidence), most "
                "recently updated first. With a project, returns global lessons plus that "
                "project's own. To find lessons by meaning, use search_lessons.",
                js::Object({{"type", js::Enum(LessonTypeNames(), "Only this kind.")},
                            {"topic", js::Str("Only this topic.")},
                            {"scope", js::Enum(LessonScopeNames(), "Only this scope.")},
                            {"project", js::Str("Global lessons plus this project's.")},
                            {"tags", js::Array(js::Str("tag"), "Lessons carrying all these tags.")},
                            {"min_confidence", js::Num("Minimum confidence.", 0.0, 1.0)},
                            {"include_deprecated", js::Bool("Include deprecated lessons.")},
                            {"limit", js::Int("Maximum results (default 20).", 1, 10000)},
                            {"offset", js::Int("Results to skip.", 0, kMaxCount)}},
                           {}),
                js::Object({{"lessons", js::Array(LessonSchema(), "Matching lessons.")},
                            {"count", js::Int("Number returned.")}},
                           {"lessons", "count"}),
                true,
                false,
                ListLessons});
  auto update_fields = LessonFieldSchemas();
  update_fields.insert(update_fields.begin(), {"lesson_id", js::Str("The lesson's id.")});
  update_fields.emplace_back("metadata",
                             js::AnyObject("Your own keys: replaces the lesson's metadata."));
  update_fields.emplace_back("reason", js::Str("Why it changed (kept in history)."));
  ops.push_back(Operation{"update_lesson",
                          {},
                          "Update a lesson",
                          "Change fields of a lesson. The previous version is kept in its history.",
                          js::Object(update_fields, {"lesson_id"}),
                          LessonSchema(),
                          false,
                          false,
                          UpdateLesson});
  ops.push_back(
      Operation{"deprecate_lesson",
                {},
                "Deprecate a lesson",
                "Mark a lesson as no longer valid (kept, with history, but excluded from results).",
                LessonIdArgs(true),
                LessonSchema(),
                false,
                false,
                DeprecateLesson});
  ops.push_back(Operation{
      "delete_lesson",
      {},
      "Delete a lesson",
      "Permanently delete a lesson with its history. Prefer deprecate_lesson.",
      LessonIdArgs(false),
      js::Object({{"deleted", js::Bool("Always true.")}, {"lesson_id", js::Str("The deleted id.")}},
                 {"deleted", "lesson_id"}),
      false,
      true,
      DeleteLesson});
  ops.push_back(Operation{
      "lesson_history",
      {},
      "Lesson history",
      "Previous versions of a lesson, oldest first, with when and why each was superseded.",
      WithReadProject(LessonIdArgs(false)),
      js::Object({{"versions", js::Array(LessonVersionSchema(), "Superseded versions.")},
                  {"count", js::Int("Number returned.")}},
                 {"versions", "count"}),
      true,
      false,
      LessonHistory});
}

}  // namespace engram::server
