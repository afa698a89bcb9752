// Episode operations of the dispatch table: start, log_step, complete, get,
// list, delete.
#include "engram/enum_names.h"
#include "engram/project_scope.h"
#include "server/args.h"
#include "server/json_schema.h"
#include "server/model_schemas.h"
#include "server/operation.h"
#include "server/project_args.h"

namespace engram::server {
namespace {

Json EpisodeIdArg() {
  return js::Object({{"episode_id", js::Str("Id returned by start_episode.")}}, {"episode_id"});
}

Result<Json> StartEpisode(Engine& engine, const Json& args) {
  StartEpisodeRequest req;
  ENGRAM_ASSIGN_OR_RETURN(req.task_type, ParseTaskType(StringArg(args, "task_type", "other")));
  req.description = StringArg(args, "description");
  ENGRAM_ASSIGN_OR_RETURN(req.context, TaskContextFromJson(ObjectArg(args, "context")));
  req.metadata = ObjectArg(args, "metadata");
  ENGRAM_ASSIGN_OR_RETURN(Episode episode, engine.StartEpisode(req));
  return ToJson(episode);
}

Result<Json> LogStep(Engine& engine, const Json& args) {
  StepInput step;
  step.tool = StringArg(args, "tool");
  step.action = StringArg(args, "action");
  step.parameters = ObjectArg(args, "parameters");
  ENGRAM_ASSIGN_OR_RETURN(step.result.status,
                          ParseStepStatus(StringArg(args, "status", "success")));
  step.result.output = StringArg(args, "output");
  step.latency_ms = IntArg(args, "latency_ms");
  step.tokens = IntArg(args, "tokens");
  step.observation = StringArg(args, "observation");
  step.timestamp = OptIntArg(args, "timestamp");
  ENGRAM_ASSIGN_OR_RETURN(Step stored, engine.LogStep(StringArg(args, "episode_id"), step));
  return ToJson(stored);
}

Result<Json> CompleteEpisode(Engine& engine, const Json& args) {
  ENGRAM_ASSIGN_OR_RETURN(Outcome outcome, OutcomeFromJson(ObjectArg(args, "outcome")));
  ENGRAM_ASSIGN_OR_RETURN(Episode episode,
                          engine.CompleteEpisode(StringArg(args, "episode_id"), outcome));
  return ToJson(episode);
}

Result<Json> GetEpisode(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "episode_id");
  ENGRAM_ASSIGN_OR_RETURN(Episode episode, engine.GetEpisode(id));
  ENGRAM_RETURN_IF_ERROR(
      RequireVisible(episode.context.project, OptStringArg(args, "project"), "episode", id));
  return ToJson(episode);
}

Result<Json> ListEpisodes(Engine& engine, const Json& args) {
  EpisodeFilter filter;
  if (auto t = OptStringArg(args, "task_type")) {
    ENGRAM_ASSIGN_OR_RETURN(filter.task_type, ParseTaskType(*t));
  }
  filter.project = OptStringArg(args, "project");
  filter.domain = OptStringArg(args, "domain");
  filter.language = OptStringArg(args, "language");
  filter.completed = OptBoolArg(args, "completed");
  filter.limit = static_cast<int>(IntArg(args, "limit", 20));
  filter.offset = static_cast<int>(IntArg(args, "offset", 0));
  ENGRAM_ASSIGN_OR_RETURN(auto summaries, engine.ListEpisodes(filter));
  Json items = Json::array();
  for (const auto& s : summaries) items.push_back(ToJson(s));
  return ListResult("episodes", std::move(items));
}

Result<Json> DeleteEpisode(Engine& engine, const Json& args) {
  const std::string id = StringArg(args, "episode_id");
  ENGRAM_RETURN_IF_ERROR(engine.DeleteEpisode(id));
  return Json{{"deleted", true}, {"episode_id", id}};
}

Json OutcomeInputSchema() {
  return js::Object(
      {{"kind", js::Enum(OutcomeKindNames(), "How the task ended.")},
       {"verdict", js::Str("success: one line on what was achieved.")},
       {"artifacts", js::Array(js::Str("file, commit or PR"), "success: what was produced.")},
       {"completed", js::Array(js::Str("sub-goal"), "partial: sub-goals done.")},
       {"failed", js::Array(js::Str("sub-goal"), "partial: sub-goals not done.")},
       {"reason", js::Str("failure/abstained: why.")},
       {"details", js::Str("failure: error output or analysis.")},
       {"stopped_at_step", js::Int("abstained: last step number reached.", 0, kMaxCount)}},
      {"kind"}, "The outcome; fields beyond kind depend on it.");
}

}  // namespace

void AddEpisodeOperations(std::vector<Operation>& ops) {
  ops.push_back(Operation{
      "start_episode",
      {"create_episode"},
      "Start an episode",
      "Start recording a task you are about to work on. Returns the episode with its id; pass "
      "the id to log_step for each action you take and to complete_episode at the end.",
      js::Object({{"description", js::Str("What the task is, in one or two sentences.")},
                  {"task_type", js::Enum(TaskTypeNames(), "Kind of task (default other).")},
                  {"context",
                   js::Object({{"language", js::Str("Programming language, e.g. typescript.")},
                               {"framework", js::Str("Framework or library, e.g. react.")},
                               {"domain", js::Str("Area, e.g. web, cli, embedded.")},
                               {"project", js::Str("Project id, to scope memories.")},
                               {"tags", js::Array(js::Str("tag"), "Free tags, lower-case.")},
                               {"complexity", js::Enum(ComplexityNames(),
                                                       "Expected difficulty (default moderate).")}},
                              {}, "Where the task happens.")},
                  {"metadata", js::AnyObject("Any extra JSON to keep with the episode.")}},
                 {"description"}),
      EpisodeSchema(),
      false,
      false,
      StartEpisode});
  ops.push_back(Operation{
      "log_step",
      {},
      "Log a step",
      "Record one action taken during an episode (a tool call, an edit, a command) and its "
      "result. Steps are numbered in the order they are logged.",
      js::Object({{"episode_id", js::Str("Id returned by start_episode.")},
                  {"tool", js::Str("Tool used, e.g. bash, editor, grep.")},
                  {"action", js::Str("What was done: the command line or a short description.")},
                  {"parameters", js::AnyObject("Tool parameters as JSON.")},
                  {"status", js::Enum(StepStatusNames(), "Result (default success).")},
                  {"output", js::Str("Output on success, the error message on error.")},
                  {"latency_ms", js::Int("Duration in milliseconds.", 0, kMaxStepLatencyMs)},
                  {"tokens", js::Int("Tokens spent on the step.", 0, kMaxStepTokens)},
                  {"observation", js::Str("What you concluded from the result.")},
                  {"timestamp",
                   js::Int("When it happened (ms since epoch); default now.", 0, kMaxTimestampMs)}},
                 {"episode_id", "tool", "action"}),
      StepSchema(),
      false,
      false,
      LogStep});
  ops.push_back(Operation{
      "complete_episode",
      {},
      "Complete an episode",
      "Finish an episode with its outcome. engram scores a reward (each component explained) "
      "and writes a reflection: what worked, what failed, what to try next.",
      js::Object({{"episode_id", js::Str("Id returned by start_episode.")},
                  {"outcome", OutcomeInputSchema()}},
                 {"episode_id", "outcome"}),
      EpisodeSchema(),
      false,
      false,
      CompleteEpisode});
  ops.push_back(Operation{"get_episode",
                          {},
                          "Get an episode",
                          "Fetch one episode with its steps, outcome, reward and reflection.",
                          WithReadProject(EpisodeIdArg()),
                          EpisodeSchema(),
                          true,
                          false,
                          GetEpisode});
  ops.push_back(Operation{
      "list_episodes",
      {},
      "List episodes",
      "List recent episodes (newest first) without their steps, optionally filtered.",
      js::Object({{"task_type", js::Enum(TaskTypeNames(), "Only this kind of task.")},
                  {"project", js::Str("Only this project's episodes (never another's); "
                                      "default: every episode.")},
                  {"domain", js::Str("Only this domain.")},
                  {"language", js::Str("Only this language.")},
                  {"completed", js::Bool("Only completed (true) or open (false) episodes.")},
                  {"limit", js::Int("Maximum results (default 20).", 1, 10000)},
                  {"offset", js::Int("Results to skip.", 0, kMaxCount)}},
                 {}),
      js::Object({{"episodes", js::Array(EpisodeSummarySchema(), "Matching episodes.")},
                  {"count", js::Int("Number returned.")}},
                 {"episodes", "count"}),
      true,
      false,
      ListEpisodes});
  ops.push_back(Operation{"delete_episode",
                          {},
                          "Delete an episode",
                          "Permanently delete an episode and its steps.",
                          EpisodeIdArg(),
                          js::Object({{"deleted", js::Bool("Always true.")},
                                      {"episode_id", js::Str("The deleted id.")}},
                                     {"deleted", "episode_id"}),
                          false,
                          true,
                          DeleteEpisode});
}

}  // namespace engram::server
