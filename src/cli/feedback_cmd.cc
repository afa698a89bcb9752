// `engram feedback lesson ID --signal S` and `engram feedback list ID`:
// applied-lesson feedback (include/engram/lesson_feedback.h).
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/context.h"
#include "engram/lesson_feedback.h"

namespace engram::cli {
namespace {

void AddLessonFeedback(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, signal, episode, actor, note;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "lesson", "Report how an applied lesson worked; reinforces its confidence");
  cmd->add_option("id", a->id, "Lesson id")->required();
  cmd->add_option("--signal", a->signal,
                  "helped, no_effect, hindered, accepted, tests_passed, rejected or harmful")
      ->required();
  cmd->add_option("--episode", a->episode, "The episode it was applied in");
  cmd->add_option("--actor", a->actor, "Who reports it, e.g. agent:claude");
  cmd->add_option("--note", a->note, "Why");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    LessonFeedbackRequest r;
    r.lesson_id = a->id;
    ENGRAM_ASSIGN_OR_RETURN(
        r.signal, ParseEnumArg<FeedbackSignal>(ParseFeedbackSignal, a->signal, "--signal"));
    r.episode_id = a->episode;
    r.actor = a->actor;
    r.note = a->note;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(LessonFeedbackResult result, engine->feedback().Report(r));
    c.Emit(ToJson(result), [&](std::ostream& os) {
      os << "lesson " << result.lesson.id << ": " << ToString(r.signal) << ", confidence "
         << *result.event.before << " -> " << *result.event.after << " (" << result.rule << ")\n";
    });
    return Status::Ok();
  });
}

void AddFeedbackList(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id;
    int limit = 50;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("list", "A lesson's feedback events, newest first");
  cmd->add_option("id", a->id, "Lesson id")->required();
  cmd->add_option("--limit", a->limit, "At most this many events")->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    LessonFeedback fb = engine->feedback();
    ENGRAM_ASSIGN_OR_RETURN(auto events, fb.List(a->id, a->limit));
    ENGRAM_ASSIGN_OR_RETURN(FeedbackCounts counts, fb.Counts(a->id));
    Json items = Json::array();
    for (const auto& e : events) items.push_back(ToJson(e));
    Json out{{"events", items}, {"count", events.size()}, {"total", counts.total()}};
    c.Emit(out, [&](std::ostream& os) {
      for (const auto& e : events) {
        os << e.id << "  " << ToString(e.signal);
        if (e.before && e.after) os << "  " << *e.before << " -> " << *e.after;
        if (!e.actor.empty()) os << "  by " << e.actor;
        if (!e.note.empty()) os << "  " << e.note;
        os << "\n";
      }
      os << counts.total() << " event(s)\n";
    });
    return Status::Ok();
  });
}

}  // namespace

void AddFeedbackCommands(CLI::App& app, Context& ctx) {
  CLI::App* fb = app.add_subcommand("feedback", "Report and list feedback on lessons");
  fb->require_subcommand(1);
  AddLessonFeedback(*fb, ctx);
  AddFeedbackList(*fb, ctx);
}

}  // namespace engram::cli
