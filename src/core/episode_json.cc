// JSON forms of the episode model (episode.h). Field names are the struct
// field names; timestamps are integer milliseconds; std::optional fields are
// omitted when unset; enums are their string names. Required when reading:
// episode.id and outcome.kind; every other field defaults when missing.
#include <string>
#include <type_traits>
#include <variant>

#include "core/json_read.h"
#include "engram/episode.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

namespace {

Result<TaskContext> TaskContextAt(const Json& j, std::string_view path) {
  TaskContext c;
  FieldReader r(j, std::string(path));
  r.String("language", c.language);
  r.String("framework", c.framework);
  r.String("domain", c.domain);
  r.String("project", c.project);
  r.StringList("tags", c.tags);
  r.Enum("complexity", c.complexity, &ParseComplexity);
  if (!r.ok()) return r.status();
  return c;
}

Result<StepResult> StepResultAt(const Json& j, std::string_view path) {
  StepResult res;
  FieldReader r(j, std::string(path));
  r.Enum("status", res.status, &ParseStepStatus);
  r.String("output", res.output);
  if (!r.ok()) return r.status();
  return res;
}

Result<Step> StepAt(const Json& j, std::string_view path) {
  Step s;
  FieldReader r(j, std::string(path));
  r.Int("number", s.number);
  r.String("tool", s.tool);
  r.String("action", s.action);
  r.Object("parameters", s.parameters);
  r.Nested("result", s.result, &StepResultAt);
  r.Int("latency_ms", s.latency_ms);
  r.Int("tokens", s.tokens);
  r.String("observation", s.observation);
  r.Int("timestamp", s.timestamp);
  if (!r.ok()) return r.status();
  return s;
}

Result<Outcome> OutcomeAt(const Json& j, std::string_view path) {
  FieldReader r(j, std::string(path));
  std::string kind;
  r.String("kind", kind, Presence::kRequired);
  if (!r.ok()) return r.status();
  Outcome out;
  if (kind == "success") {
    SuccessOutcome o;
    r.String("verdict", o.verdict);
    r.StringList("artifacts", o.artifacts);
    out = std::move(o);
  } else if (kind == "partial") {
    PartialOutcome o;
    r.StringList("completed", o.completed);
    r.StringList("failed", o.failed);
    out = std::move(o);
  } else if (kind == "failure") {
    FailureOutcome o;
    r.String("reason", o.reason);
    r.String("details", o.details);
    out = std::move(o);
  } else if (kind == "abstained") {
    AbstainedOutcome o;
    r.String("reason", o.reason);
    r.Int("stopped_at_step", o.stopped_at_step);
    out = std::move(o);
  } else {
    r.Fail(r.FieldPath("kind") + ": unknown outcome kind '" + kind +
           "'; expected one of: success, partial, failure, abstained");
  }
  if (!r.ok()) return r.status();
  return out;
}

Result<RewardBreakdown> RewardAt(const Json& j, std::string_view path) {
  RewardBreakdown b;
  FieldReader r(j, std::string(path));
  r.Double("base", b.base);
  r.Double("efficiency", b.efficiency);
  r.Double("complexity", b.complexity);
  r.Double("quality", b.quality);
  r.Double("learning", b.learning);
  r.Double("total", b.total);
  r.StringList("notes", b.notes);
  if (!r.ok()) return r.status();
  return b;
}

Result<Reflection> ReflectionAt(const Json& j, std::string_view path) {
  Reflection x;
  FieldReader r(j, std::string(path));
  r.StringList("successes", x.successes);
  r.StringList("failures", x.failures);
  r.StringList("improvements", x.improvements);
  r.StringList("insights", x.insights);
  if (!r.ok()) return r.status();
  return x;
}

Result<Episode> EpisodeAt(const Json& j, std::string_view path) {
  Episode e;
  FieldReader r(j, std::string(path));
  r.String("id", e.id, Presence::kRequired);
  r.Enum("task_type", e.task_type, &ParseTaskType);
  r.String("description", e.description);
  r.Nested("context", e.context, &TaskContextAt);
  r.List("steps", e.steps, &StepAt);
  r.NestedOptional("outcome", e.outcome, &OutcomeAt);
  r.NestedOptional("reward", e.reward, &RewardAt);
  r.NestedOptional("reflection", e.reflection, &ReflectionAt);
  r.Int("started_at", e.started_at);
  r.OptionalInt("ended_at", e.ended_at);
  r.Object("metadata", e.metadata);
  if (!r.ok()) return r.status();
  return e;
}

}  // namespace

Json ToJson(const TaskContext& c) {
  return Json{{"language", c.language}, {"framework", c.framework},
              {"domain", c.domain},     {"project", c.project},
              {"tags", c.tags},         {"complexity", ToString(c.complexity)}};
}

Json ToJson(const Step& s) {
  return Json{{"number", s.number},
              {"tool", s.tool},
              {"action", s.action},
              {"parameters", s.parameters},
              {"result", {{"status", ToString(s.result.status)}, {"output", s.result.output}}},
              {"latency_ms", s.latency_ms},
              {"tokens", s.tokens},
              {"observation", s.observation},
              {"timestamp", s.timestamp}};
}

Json ToJson(const Outcome& o) {
  Json j{{"kind", OutcomeKind(o)}};
  std::visit(
      [&j](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          j["verdict"] = v.verdict;
          j["artifacts"] = v.artifacts;
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          j["completed"] = v.completed;
          j["failed"] = v.failed;
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          j["reason"] = v.reason;
          j["details"] = v.details;
        } else {
          static_assert(std::is_same_v<T, AbstainedOutcome>);
          j["reason"] = v.reason;
          j["stopped_at_step"] = v.stopped_at_step;
        }
      },
      o);
  return j;
}

Json ToJson(const RewardBreakdown& r) {
  return Json{{"base", r.base},       {"efficiency", r.efficiency}, {"complexity", r.complexity},
              {"quality", r.quality}, {"learning", r.learning},     {"total", r.total},
              {"notes", r.notes}};
}

Json ToJson(const Reflection& r) {
  return Json{{"successes", r.successes},
              {"failures", r.failures},
              {"improvements", r.improvements},
              {"insights", r.insights}};
}

Json ToJson(const Episode& e) {
  Json steps = Json::array();
  for (const Step& s : e.steps) steps.push_back(ToJson(s));
  Json j{{"id", e.id},
         {"task_type", ToString(e.task_type)},
         {"description", e.description},
         {"context", ToJson(e.context)},
         {"steps", std::move(steps)},
         {"started_at", e.started_at},
         {"metadata", e.metadata}};
  if (e.outcome) j["outcome"] = ToJson(*e.outcome);
  if (e.reward) j["reward"] = ToJson(*e.reward);
  if (e.reflection) j["reflection"] = ToJson(*e.reflection);
  if (e.ended_at) j["ended_at"] = *e.ended_at;
  return j;
}

Result<TaskContext> TaskContextFromJson(const Json& j) {
  return NoThrow<TaskContext>("context", [&] { return TaskContextAt(j, "context"); });
}
Result<Step> StepFromJson(const Json& j) {
  return NoThrow<Step>("step", [&] { return StepAt(j, "step"); });
}
Result<Outcome> OutcomeFromJson(const Json& j) {
  return NoThrow<Outcome>("outcome", [&] { return OutcomeAt(j, "outcome"); });
}
Result<RewardBreakdown> RewardFromJson(const Json& j) {
  return NoThrow<RewardBreakdown>("reward", [&] { return RewardAt(j, "reward"); });
}
Result<Reflection> ReflectionFromJson(const Json& j) {
  return NoThrow<Reflection>("reflection", [&] { return ReflectionAt(j, "reflection"); });
}
Result<Episode> EpisodeFromJson(const Json& j) {
  return NoThrow<Episode>("episode", [&] { return EpisodeAt(j, "episode"); });
}

}  // namespace engram
