// Episode model: a task an agent performed, its steps, outcome, reward and
// reflection.
//
// An episode is started (description + context), grows by appended steps
// (each step is its own stored row: logging a step never rewrites the
// episode), and is completed once with an Outcome; completion computes the
// Reward and the Reflection. Plain value types; no behaviour beyond the
// string conversions declared here.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class TaskType {
  kCodeGeneration,
  kDebugging,
  kRefactoring,
  kTesting,
  kAnalysis,
  kDocumentation,
  kOther,
};
std::string_view ToString(TaskType t);  // "code_generation", ...
Result<TaskType> ParseTaskType(std::string_view s);

enum class Complexity { kSimple, kModerate, kComplex };
std::string_view ToString(Complexity c);  // "simple", "moderate", "complex"
Result<Complexity> ParseComplexity(std::string_view s);

struct TaskContext {
  std::string language;   // e.g. "typescript"; empty = unknown
  std::string framework;  // e.g. "react"
  std::string domain;     // e.g. "web", "embedded"
  std::string project;    // project id; empty = none
  std::vector<std::string> tags;
  Complexity complexity = Complexity::kModerate;
};

// What a step produced: exactly one of success output, error, or timeout.
enum class StepStatus { kSuccess, kError, kTimeout };
std::string_view ToString(StepStatus s);  // "success", "error", "timeout"
Result<StepStatus> ParseStepStatus(std::string_view s);

struct StepResult {
  StepStatus status = StepStatus::kSuccess;
  std::string output;  // success: the output; error: the error message; timeout: optional detail
};

struct Step {
  int number = 0;      // 1-based, assigned by the store in append order
  std::string tool;    // "bash", "editor", "grep", ...
  std::string action;  // what the agent did, in words or a command line
  Json parameters = Json::object();
  StepResult result;
  std::int64_t latency_ms = 0;
  std::int64_t tokens = 0;
  std::string observation;  // what the agent concluded from the result
  Timestamp timestamp = 0;
};

// Outcome variants.
struct SuccessOutcome {
  std::string verdict;
  std::vector<std::string> artifacts;  // files, PRs, commits produced
};
struct PartialOutcome {
  std::vector<std::string> completed;
  std::vector<std::string> failed;
};
struct FailureOutcome {
  std::string reason;
  std::string details;
};
struct AbstainedOutcome {
  std::string reason;
  int stopped_at_step = 0;
};
using Outcome = std::variant<SuccessOutcome, PartialOutcome, FailureOutcome, AbstainedOutcome>;
std::string_view OutcomeKind(const Outcome& o);  // "success", "partial", "failure", "abstained"

// Reward components; each is kept so a score can be explained. The formula
// and every constant are documented in docs/REWARD.md.
struct RewardBreakdown {
  double base = 0;                 // from the outcome kind
  double efficiency = 0;           // duration and step count
  double complexity = 0;           // bonus for harder tasks
  double quality = 0;              // error rate, tests
  double learning = 0;             // recovery after failed steps
  double total = 0;                // clamped to [0, 1]
  std::vector<std::string> notes;  // one line per component: why it has its value
};

// Deterministic, rule-based reflection (docs/REWARD.md, "Reflection").
struct Reflection {
  std::vector<std::string> successes;     // what worked
  std::vector<std::string> failures;      // what failed
  std::vector<std::string> improvements;  // what to try next time
  std::vector<std::string> insights;      // observations across the steps
};

struct Episode {
  std::string id;
  TaskType task_type = TaskType::kOther;
  std::string description;
  TaskContext context;
  std::vector<Step> steps;         // ordered by number
  std::optional<Outcome> outcome;  // set at completion
  std::optional<RewardBreakdown> reward;
  std::optional<Reflection> reflection;
  Timestamp started_at = 0;
  std::optional<Timestamp> ended_at;
  Json metadata = Json::object();

  bool completed() const { return outcome.has_value(); }
};

// What an agent sends to start an episode (Engine::StartEpisode).
struct StartEpisodeRequest {
  TaskType task_type = TaskType::kOther;
  std::string description;  // required, non-empty
  TaskContext context;
  Json metadata = Json::object();
};

// A step as logged by an agent; number and (unless set) timestamp are
// assigned by engram.
struct StepInput {
  std::string tool;    // required
  std::string action;  // required
  Json parameters = Json::object();
  StepResult result;
  std::int64_t latency_ms = 0;  // >= 0
  std::int64_t tokens = 0;      // >= 0
  std::string observation;
  std::optional<Timestamp> timestamp;
};

// An episode without its steps, for listings.
struct EpisodeSummary {
  std::string id;
  TaskType task_type = TaskType::kOther;
  std::string description;
  TaskContext context;
  std::optional<std::string> outcome_kind;
  std::optional<double> reward_total;
  int step_count = 0;
  Timestamp started_at = 0;
  std::optional<Timestamp> ended_at;
};
Json ToJson(const EpisodeSummary& s);

// Which episodes a listing returns (Engine::ListEpisodes).
struct EpisodeFilter {
  std::optional<TaskType> task_type;
  std::optional<std::string> project;  // exactly this project ("" = episodes without one)
  // Episodes without a project plus this project's (never another
  // project's); "" = episodes without a project only. The read rule of
  // retrieve_context (docs/RETRIEVAL.md, "Projects").
  std::optional<std::string> visible_to;
  std::optional<std::string> domain;
  std::optional<std::string> language;
  std::optional<bool> completed;  // unset: both
  int limit = 100;                // 1..10000, newest first by started_at
  int offset = 0;
};

// JSON forms (used by the CLI --json output, the servers and export).
// FromJson validates types and names the offending field in its error.
Json ToJson(const TaskContext& c);
Result<TaskContext> TaskContextFromJson(const Json& j);
Json ToJson(const Step& s);
Result<Step> StepFromJson(const Json& j);
Json ToJson(const Outcome& o);  // {"kind": "success", "verdict": ..., "artifacts": [...]}
Result<Outcome> OutcomeFromJson(const Json& j);
Json ToJson(const RewardBreakdown& r);
Result<RewardBreakdown> RewardFromJson(const Json& j);
Json ToJson(const Reflection& r);
Result<Reflection> ReflectionFromJson(const Json& j);
Json ToJson(const Episode& e);
Result<Episode> EpisodeFromJson(const Json& j);

}  // namespace engram
