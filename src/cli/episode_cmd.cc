// `engram episode start|log-step|complete|get|list|delete`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "cli/args.h"
#include "cli/context.h"
#include "cli/output.h"

namespace engram::cli {
namespace {

void AddStart(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string task_type = "other", description, language, framework, domain, project;
    std::string complexity = "moderate", metadata;
    std::vector<std::string> tags;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("start", "Start an episode; prints its id");
  cmd->add_option("description,--description", a->description, "What the task is")->required();
  cmd->add_option("--task-type", a->task_type,
                  "code_generation, debugging, refactoring, testing, analysis, documentation "
                  "or other")
      ->capture_default_str();
  cmd->add_option("--language", a->language, "Programming language, e.g. typescript");
  cmd->add_option("--framework", a->framework, "Framework, e.g. react");
  cmd->add_option("--domain", a->domain, "Domain, e.g. web, embedded");
  cmd->add_option("--project", a->project, "Project id");
  cmd->add_option("--tag", a->tags, "A tag (repeatable)");
  cmd->add_option("--complexity", a->complexity, "simple, moderate or complex")
      ->capture_default_str();
  cmd->add_option("--metadata", a->metadata, "Free-form JSON object");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    StartEpisodeRequest req;
    ENGRAM_ASSIGN_OR_RETURN(req.task_type,
                            ParseEnumArg<TaskType>(ParseTaskType, a->task_type, "--task-type"));
    ENGRAM_ASSIGN_OR_RETURN(
        req.context.complexity,
        ParseEnumArg<Complexity>(ParseComplexity, a->complexity, "--complexity"));
    if (!a->metadata.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(req.metadata, ParseJson(a->metadata, "--metadata"));
    }
    req.description = a->description;
    req.context.language = a->language;
    req.context.framework = a->framework;
    req.context.domain = a->domain;
    req.context.project = a->project;
    req.context.tags = a->tags;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Episode episode, engine->StartEpisode(req));
    c.Emit(ToJson(episode), [&](std::ostream& os) { os << episode.id << "\n"; });
    return Status::Ok();
  });
}

void AddLogStep(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, tool, action, params, status = "success", output, observation;
    std::int64_t latency_ms = 0, tokens = 0;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("log-step", "Append a step to an open episode");
  cmd->add_option("episode-id", a->id, "Episode id")->required();
  cmd->add_option("--tool", a->tool, "Tool used: bash, editor, grep, ...")->required();
  cmd->add_option("--action", a->action, "What the agent did")->required();
  cmd->add_option("--params", a->params, "Tool parameters as a JSON object");
  cmd->add_option("--status", a->status, "success, error or timeout")->capture_default_str();
  cmd->add_option("--output", a->output, "Output, or the error message; - reads stdin");
  cmd->add_option("--latency-ms", a->latency_ms, "How long the step took");
  cmd->add_option("--tokens", a->tokens, "Tokens the step used");
  cmd->add_option("--observation", a->observation, "What the agent concluded");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    StepInput step;
    step.tool = a->tool;
    step.action = a->action;
    if (!a->params.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(step.parameters, ParseJson(a->params, "--params"));
    }
    ENGRAM_ASSIGN_OR_RETURN(step.result.status,
                            ParseEnumArg<StepStatus>(ParseStepStatus, a->status, "--status"));
    ENGRAM_ASSIGN_OR_RETURN(step.result.output, ReadTextArg(a->output, c.in(), "--output"));
    step.latency_ms = a->latency_ms;
    step.tokens = a->tokens;
    step.observation = a->observation;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Step logged, engine->LogStep(a->id, step));
    Json json = ToJson(logged);
    json["episode_id"] = a->id;
    c.Emit(json, [&](std::ostream& os) {
      os << "logged step " << logged.number << " to episode " << a->id << "\n";
    });
    return Status::Ok();
  });
}

struct CompleteArgs {
  std::string id, outcome, verdict, reason, details;
  std::vector<std::string> artifacts, completed, failed;
  int stopped_at_step = 0;
  // Options that only fit some outcome kinds, with the kinds they fit.
  std::vector<std::pair<const CLI::Option*, std::vector<std::string_view>>> kind_options;
};

Result<Outcome> BuildOutcome(const CompleteArgs& a) {
  for (const auto& [option, kinds] : a.kind_options) {
    if (option->count() == 0) continue;
    if (std::find(kinds.begin(), kinds.end(), a.outcome) == kinds.end()) {
      std::string fits;
      for (std::string_view k : kinds) fits += (fits.empty() ? "" : " or ") + std::string(k);
      return Status::InvalidArgument(option->get_name() + " applies only to --outcome " + fits);
    }
  }
  if (a.outcome == "success") return Outcome{SuccessOutcome{a.verdict, a.artifacts}};
  if (a.outcome == "partial") return Outcome{PartialOutcome{a.completed, a.failed}};
  if (a.outcome == "failure") return Outcome{FailureOutcome{a.reason, a.details}};
  if (a.outcome == "abstained") return Outcome{AbstainedOutcome{a.reason, a.stopped_at_step}};
  return Status::InvalidArgument(
      "--outcome: expected success, partial, failure or abstained, got '" + a.outcome + "'");
}

void AddComplete(CLI::App& parent, Context& ctx) {
  auto a = std::make_shared<CompleteArgs>();
  CLI::App* cmd =
      parent.add_subcommand("complete", "Complete an episode; scores reward and reflection");
  cmd->add_option("episode-id", a->id, "Episode id")->required();
  cmd->add_option("--outcome", a->outcome, "success, partial, failure or abstained")->required();
  a->kind_options = {
      {cmd->add_option("--verdict", a->verdict, "success: the verdict"), {"success"}},
      {cmd->add_option("--artifact", a->artifacts, "success: a file, PR or commit (repeatable)"),
       {"success"}},
      {cmd->add_option("--completed", a->completed, "partial: a part that was done (repeatable)"),
       {"partial"}},
      {cmd->add_option("--failed", a->failed, "partial: a part that failed (repeatable)"),
       {"partial"}},
      {cmd->add_option("--reason", a->reason, "failure/abstained: why"), {"failure", "abstained"}},
      {cmd->add_option("--details", a->details, "failure: details"), {"failure"}},
      {cmd->add_option("--stopped-at-step", a->stopped_at_step, "abstained: last step taken"),
       {"abstained"}},
  };
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Outcome outcome, BuildOutcome(*a));
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(Episode episode, engine->CompleteEpisode(a->id, outcome));
    c.Emit(ToJson(episode), [&](std::ostream& os) {
      os << "completed episode " << episode.id << "\n";
      PrintCompletion(os, episode);
    });
    return Status::Ok();
  });
}

void AddList(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string task_type, project, domain, language;
    bool open = false, completed = false;
    int limit = 100, offset = 0;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("list", "List episodes, newest first");
  cmd->add_option("--task-type", a->task_type, "Only this task type");
  cmd->add_option("--project", a->project, "Only this project");
  cmd->add_option("--domain", a->domain, "Only this domain");
  cmd->add_option("--language", a->language, "Only this language");
  CLI::Option* open = cmd->add_flag("--open", a->open, "Only episodes not yet completed");
  cmd->add_flag("--completed", a->completed, "Only completed episodes")->excludes(open);
  cmd->add_option("--limit", a->limit, "At most this many (1..10000)")->capture_default_str();
  cmd->add_option("--offset", a->offset, "Skip this many")->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    EpisodeFilter filter;
    if (!a->task_type.empty()) {
      ENGRAM_ASSIGN_OR_RETURN(filter.task_type,
                              ParseEnumArg<TaskType>(ParseTaskType, a->task_type, "--task-type"));
    }
    if (!a->project.empty()) filter.project = a->project;
    if (!a->domain.empty()) filter.domain = a->domain;
    if (!a->language.empty()) filter.language = a->language;
    if (a->open || a->completed) filter.completed = a->completed;
    filter.limit = a->limit;
    filter.offset = a->offset;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine());
    ENGRAM_ASSIGN_OR_RETURN(std::vector<EpisodeSummary> episodes, engine->ListEpisodes(filter));
    c.Emit(JsonArray(episodes), [&](std::ostream& os) { PrintEpisodeList(os, episodes); });
    return Status::Ok();
  });
}

}  // namespace

void AddEpisodeCommands(CLI::App& app, Context& ctx) {
  CLI::App* episode = app.add_subcommand("episode", "Record tasks: start, log steps, complete");
  episode->require_subcommand(1);
  AddStart(*episode, ctx);
  AddLogStep(*episode, ctx);
  AddComplete(*episode, ctx);
  AddIdCommand(*episode, ctx, "get", "Show an episode: steps, outcome, reward and reflection",
               [](Context& c, Engine& engine, const std::string& id) -> Status {
                 ENGRAM_ASSIGN_OR_RETURN(Episode episode, engine.GetEpisode(id));
                 c.Emit(ToJson(episode), [&](std::ostream& os) { PrintEpisode(os, episode); });
                 return Status::Ok();
               });
  AddList(*episode, ctx);
  AddIdCommand(*episode, ctx, "delete", "Delete an episode and its steps",
               [](Context& c, Engine& engine, const std::string& id) -> Status {
                 ENGRAM_RETURN_IF_ERROR(engine.DeleteEpisode(id));
                 EmitDeleted(c, "episode", id);
                 return Status::Ok();
               });
}

}  // namespace engram::cli
