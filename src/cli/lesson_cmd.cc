// `engram lesson add|get|list|update|deprecate|delete|history`.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/context.h"
#include "cli/lesson_fields.h"
#include "cli/output.h"
#include "engram/lesson_dedupe.h"

namespace engram::cli {
namespace {

// The lesson fields `add` and `update` share, and whether each was given.
struct LessonFields {
  LessonTextFields text;
  std::string scope = "global", project, source = "manual";
  std::vector<std::string> situations;
  CLI::Option* situations_opt = nullptr;
  CLI::Option* scope_opt = nullptr;
  CLI::Option* project_opt = nullptr;
  CLI::Option* source_opt = nullptr;
};

void BindLessonFields(CLI::App* cmd, LessonFields& f) {
  f.text.Bind(cmd, "A tag (repeatable)");
  f.scope_opt = cmd->add_option("--scope", f.scope, "global or project");
  f.project_opt = cmd->add_option("--project", f.project, "Project id (scope project)");
  f.source_opt = cmd->add_option("--source", f.source, "manual, review, incident, episode or diff");
  f.situations_opt = cmd->add_option(
      "--situation", f.situations,
      "A situation it applies to, told as the symptom (repeatable; update replaces the list)");
}

// Only the fields given on the command line.
Result<LessonPatch> BuildPatch(const LessonFields& f, Context& ctx) {
  LessonPatch p;
  ENGRAM_RETURN_IF_ERROR(f.text.Fill(ctx, p));
  if (f.scope_opt->count() > 0) {
    ENGRAM_ASSIGN_OR_RETURN(p.scope,
                            ParseEnumArg<LessonScope>(ParseLessonScope, f.scope, "--scope"));
  }
  if (f.source_opt->count() > 0) {
    ENGRAM_ASSIGN_OR_RETURN(p.source,
                            ParseEnumArg<LessonSource>(ParseLessonSource, f.source, "--source"));
  }
  p.project = IfGiven(f.project_opt, f.project);
  p.situations = IfGiven(f.situations_opt, f.situations);
  return p;
}

void AddAdd(CLI::App& parent, Context& ctx) {
  auto f = std::make_shared<LessonFields>();
  auto on_duplicate = std::make_shared<std::string>("merge");
  auto id = std::make_shared<std::string>();
  auto metadata = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand("add", "Add a lesson; prints its id");
  BindLessonFields(cmd, *f);
  cmd->add_option("--id", *id,
                  "Your own id for the lesson (default: a new one); a stored id is replaced, "
                  "its previous version kept in history");
  cmd->add_option("--metadata", *metadata, "Your own keys, a JSON object kept with the lesson");
  cmd->add_option("--on-duplicate", *on_duplicate,
                  "merge, reject or allow a near-duplicate of a stored lesson")
      ->capture_default_str();
  f->text.topic_opt->required();
  f->text.title_opt->required();
  f->text.content_opt->required();
  for (CLI::Option* o : {f->text.type_opt, f->scope_opt, f->source_opt, f->text.confidence_opt}) {
    o->capture_default_str();
  }
  OnRun(cmd, ctx, [f, on_duplicate, id, metadata](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(LessonPatch p, BuildPatch(*f, c));
    NewLesson lesson;
    lesson.id = *id;
    if (!metadata->empty()) {
      ENGRAM_ASSIGN_OR_RETURN(lesson.metadata, ParseJson(*metadata, "--metadata"));
    }
    ENGRAM_ASSIGN_OR_RETURN(
        lesson.on_duplicate,
        ParseEnumArg<DuplicatePolicy>(ParseDuplicatePolicy, *on_duplicate, "--on-duplicate"));
    lesson.type = p.type.value_or(lesson.type);
    lesson.topic = *p.topic;
    lesson.title = *p.title;
    lesson.content = *p.content;
    lesson.confidence = p.confidence.value_or(lesson.confidence);
    // A project without an explicit scope means a project lesson.
    lesson.scope = p.scope.value_or(p.project ? LessonScope::kProject : LessonScope::kGlobal);
    lesson.project = p.project.value_or("");
    lesson.source = p.source.value_or(lesson.source);
    lesson.tags = p.tags.value_or(std::vector<std::string>{});
    lesson.situations = p.situations.value_or(std::vector<std::string>{});
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(LessonAddOutcome outcome, engine->dedupe().Add(lesson));
    const Lesson& added = outcome.lesson;
    Json out = ToJson(added);
    if (outcome.duplicate) {
      Json d = ToJson(outcome);
      d.erase("lesson");
      d.erase("replaced");
      out["dedupe"] = std::move(d);
    }
    if (outcome.replaced) out["replaced"] = true;
    c.Emit(out, [&](std::ostream& os) {
      os << added.id << "\n";
      if (outcome.replaced) {
        os << "replaced lesson " << added.id << " (version " << added.version
           << "; the previous one is in its history)\n";
      }
      if (outcome.merged) {
        os << "merged into existing lesson " << added.id << ": " << outcome.duplicate->reason
           << "\n";
      }
    });
    return Status::Ok();
  });
}

void AddUpdate(CLI::App& parent, Context& ctx) {
  struct Args {
    LessonFields fields;
    std::string id, reason;
    bool clear_tags = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "update", "Change a lesson's fields; the previous version is kept in its history");
  cmd->add_option("id", a->id, "Lesson id")->required();
  BindLessonFields(cmd, a->fields);
  cmd->add_flag("--clear-tags", a->clear_tags, "Remove every tag")
      ->excludes(a->fields.text.tags_opt);
  cmd->add_option("--reason", a->reason, "Why it changed (kept in the history)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(LessonPatch patch, BuildPatch(a->fields, c));
    if (a->clear_tags) patch.tags = std::vector<std::string>{};
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine->UpdateLesson(a->id, patch, a->reason));
    c.Emit(ToJson(lesson), [&](std::ostream& os) {
      os << "updated lesson " << lesson.id << " to version " << lesson.version << "\n";
    });
    return Status::Ok();
  });
}

void AddDeprecate(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, reason;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd =
      parent.add_subcommand("deprecate", "Mark a lesson deprecated (kept, hidden from lists)");
  cmd->add_option("id", a->id, "Lesson id")->required();
  cmd->add_option("--reason", a->reason, "Why (kept in the history)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine->DeprecateLesson(a->id, a->reason));
    c.Emit(ToJson(lesson), [&](std::ostream& os) {
      os << "deprecated lesson " << lesson.id << " (version " << lesson.version << ")\n";
    });
    return Status::Ok();
  });
}

void AddList(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string type, topic, scope, project;
    std::vector<std::string> tags;
    double min_confidence = 0;
    bool include_deprecated = false;
    int limit = 100, offset = 0;
    CLI::Option* min_confidence_opt = nullptr;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("list", "List lessons");
  cmd->add_option("--type", a->type, "Only this type");
  cmd->add_option("--topic", a->topic, "Only this topic");
  cmd->add_option("--scope", a->scope, "Only this scope: global or project");
  cmd->add_option("--project", a->project, "Global lessons plus this project's");
  cmd->add_option("--tag", a->tags, "Only lessons with this tag (repeatable: all of them)");
  a->min_confidence_opt =
      cmd->add_option("--min-confidence", a->min_confidence, "Only at least this confident");
  cmd->add_flag("--include-deprecated", a->include_deprecated, "Include deprecated lessons");
  cmd->add_option("--limit", a->limit, "At most this many (1..10000)")->capture_default_str();
  cmd->add_option("--offset", a->offset, "Skip this many")->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    LessonFilter filter;
    if (!a->type.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(filter.type,
                              ParseEnumArg<LessonType>(ParseLessonType, a->type, "--type"));
    }
    if (!a->scope.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(filter.scope,
                              ParseEnumArg<LessonScope>(ParseLessonScope, a->scope, "--scope"));
    }
    if (!a->topic.empty()) filter.topic = a->topic;
    if (!a->project.empty()) filter.project = a->project;
    filter.tags = a->tags;
    filter.min_confidence = IfGiven(a->min_confidence_opt, a->min_confidence);
    filter.include_deprecated = a->include_deprecated;
    filter.limit = a->limit;
    filter.offset = a->offset;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> lessons, engine->ListLessons(filter));
    c.Emit(JsonArray(lessons), [&](std::ostream& os) { PrintLessonList(os, lessons); });
    return Status::Ok();
  });
}

}  // namespace

void AddLessonCommands(CLI::App& app, Context& ctx) {
  CLI::App* lesson = app.add_subcommand("lesson", "Curated knowledge with version history");
  lesson->require_subcommand(1);
  AddAdd(*lesson, ctx);
  AddIdCommand(*lesson, ctx, "get", "Show a lesson",
               [](Context& c, Engine& engine, const std::string& id) -> Status {
                 ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine.GetLesson(id));
                 c.Emit(ToJson(lesson), [&](std::ostream& os) { PrintLesson(os, lesson); });
                 return Status::Ok();
               });
  AddList(*lesson, ctx);
  AddUpdate(*lesson, ctx);
  AddDeprecate(*lesson, ctx);
  AddIdCommand(*lesson, ctx, "delete", "Delete a lesson with its history",
               [](Context& c, Engine& engine, const std::string& id) -> Status {
                 ENGRAM_RETURN_IF_ERROR(engine.DeleteLesson(id));
                 EmitDeleted(c, "lesson", id);
                 return Status::Ok();
               });
  AddIdCommand(
      *lesson, ctx, "history", "Show a lesson's earlier versions, oldest first",
      [](Context& c, Engine& engine, const std::string& id) -> Status {
        ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonVersion> history, engine.LessonHistory(id));
        c.Emit(JsonArray(history), [&](std::ostream& os) { PrintLessonHistory(os, history); });
        return Status::Ok();
      });
}

}  // namespace engram::cli
