// Feedback operations of the dispatch table: lesson_feedback (report an
// applied lesson's outcome; reinforces its confidence) and
// list_lesson_feedback.
#include "engram/lesson_feedback.h"
#include "engram/project_scope.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"
#include "server/project_args.h"

namespace engram::server {
namespace {

const std::vector<std::string> kSignals = {"helped",       "no_effect", "hindered", "accepted",
                                           "tests_passed", "rejected",  "harmful"};

Json FeedbackEventSchema() {
  return js::Object(
      {{"id", js::Str("Event id.")},
       {"target", js::Enum({"lesson", "pattern", "heuristic"}, "What the feedback is about.")},
       {"target_id", js::Str("Id of the lesson, pattern or heuristic.")},
       {"signal", js::Enum(kSignals, "What was reported.")},
       {"episode_id", js::Str("Episode it was applied in ('' if none).")},
       {"actor", js::Str("Who reported it.")},
       {"note", js::Str("Free-text note.")},
       {"before", js::Num("Confidence before.", 0.0, 1.0)},
       {"after", js::Num("Confidence after.", 0.0, 1.0)},
       {"created_at", js::Int("When, ms since the epoch.", 0)}},
      {"id", "target", "target_id", "signal", "episode_id", "actor", "note", "created_at"});
}

Result<Json> ReportLessonFeedback(Engine& engine, const Json& args) {
  LessonFeedbackRequest r;
  r.lesson_id = StringArg(args, "lesson_id");
  ENGRAM_ASSIGN_OR_RETURN(r.signal, ParseFeedbackSignal(StringArg(args, "signal")));
  r.episode_id = StringArg(args, "episode_id");
  r.actor = StringArg(args, "actor");
  r.note = StringArg(args, "note");
  ENGRAM_ASSIGN_OR_RETURN(LessonFeedbackResult result, engine.feedback().Report(r));
  return ToJson(result);
}

Result<Json> ListLessonFeedback(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "lesson_id");
  const std::optional<std::string> project = OptStringArg(args, "project");
  LessonFeedback fb = engine.feedback();
  if (project) {
    ENGRAM_ASSIGN_OR_RETURN(Lesson lesson, engine.GetLesson(id));
    ENGRAM_RETURN_IF_ERROR(RequireVisible(ProjectOf(lesson), project, "lesson", id));
  }
  ENGRAM_ASSIGN_OR_RETURN(auto events, fb.List(id, static_cast<int>(IntArg(args, "limit", 50))));
  if (project) {  // feedback given in another project's episode stays there
    std::vector<FeedbackEvent> kept;
    for (auto& e : events) {
      if (!e.episode_id.empty()) {
        Result<Episode> ep = engine.GetEpisode(e.episode_id);
        if (ep.ok() && !VisibleToProject(ep->context.project, *project)) continue;
        if (!ep.ok() && !ep.status().IsNotFound()) return ep.status();
      }
      kept.push_back(std::move(e));
    }
    events = std::move(kept);
  }
  ENGRAM_ASSIGN_OR_RETURN(FeedbackCounts c, fb.Counts(id));
  Json items = Json::array();
  for (const auto& e : events) items.push_back(ToJson(e));
  Json out = ListResult("events", std::move(items));
  out["counts"] = Json{{"helped", c.helped},
                       {"no_effect", c.no_effect},
                       {"hindered", c.hindered},
                       {"accepted", c.accepted},
                       {"tests_passed", c.tests_passed},
                       {"rejected", c.rejected},
                       {"harmful", c.harmful},
                       {"total", c.total()}};
  return out;
}

Json CountsSchema() {
  std::vector<std::pair<std::string, Json>> props;
  std::vector<std::string> required;
  for (const std::string& s : kSignals) {
    props.emplace_back(s, js::Int("Events with this signal.", 0));
    required.push_back(s);
  }
  props.emplace_back("total", js::Int("All events.", 0));
  required.emplace_back("total");
  return js::Object(props, required);
}

}  // namespace

void AddFeedbackOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "lesson_feedback",
      {},
      "Report how a lesson worked",
      "After applying a lesson, report whether it helped, had no effect or hindered (or a "
      "review verdict: accepted, tests_passed, rejected, harmful). The lesson's confidence "
      "moves by a documented rule (helped/accepted/tests_passed raise it, the others lower it, "
      "harmful most); the event and the lesson's previous version are kept. Returns the event "
      "with confidence before/after and the rule applied.",
      js::Object({{"lesson_id", js::Str("The lesson's id.")},
                  {"signal", js::Enum(kSignals, "What happened when the lesson was applied.")},
                  {"episode_id", js::Str("The episode it was applied in, if any.")},
                  {"actor", js::Str("Who reports it, e.g. agent:claude or user:ana.")},
                  {"note", js::Str("Optional note: why.")}},
                 {"lesson_id", "signal"}),
      js::Object({{"event", FeedbackEventSchema()},
                  {"lesson", LessonSchema()},
                  {"rule", js::Str("The reinforcement rule applied.")}},
                 {"event", "lesson", "rule"}),
      false,
      false,
      ReportLessonFeedback});
  ops.push_back(
      Operation{"list_lesson_feedback",
                {},
                "List a lesson's feedback",
                "The feedback events reported for one lesson, newest first, with counts by signal.",
                WithReadProject(js::Object(
                    {{"lesson_id", js::Str("The lesson's id.")},
                     {"limit", js::Int("At most this many events (default 50).", 1, 10000)}},
                    {"lesson_id"})),
                js::Object({{"events", js::Array(FeedbackEventSchema(), "Events, newest first.")},
                            {"count", js::Int("Number of events returned.", 0)},
                            {"counts", CountsSchema()}},
                           {"events", "count", "counts"}),
                true,
                false,
                ListLessonFeedback});
}

}  // namespace engram::server
