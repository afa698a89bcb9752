// Human rendering of episodes, steps, outcomes, rewards and reflections.
#include <cstdio>
#include <ostream>
#include <string>
#include <type_traits>
#include <variant>

#include "cli/output.h"
#include "core/similarity.h"

namespace engram::cli {
namespace {

constexpr std::size_t kPreviewChars = 160;

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string FormatScore(double value) { return Fixed(value, 3); }

std::string DescribeContext(const TaskContext& c) {
  std::string out;
  auto add = [&out](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += "  ";
    out.append(key).append("=").append(value);
  };
  add("language", c.language);
  add("framework", c.framework);
  add("domain", c.domain);
  add("project", c.project);
  add("complexity", std::string(ToString(c.complexity)));
  add("tags", Join(c.tags, ","));
  return out;
}

void PrintList(std::ostream& os, std::string_view title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  os << "  " << title << ":\n";
  for (const std::string& item : items) os << "    - " << item << "\n";
}

void PrintOutcome(std::ostream& os, const Outcome& outcome) {
  PrintField(os, "outcome", OutcomeKind(outcome));
  std::visit(
      [&os](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          if (!o.verdict.empty()) PrintField(os, "verdict", o.verdict, 2);
          if (!o.artifacts.empty()) PrintField(os, "artifacts", Join(o.artifacts, ", "), 2);
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          if (!o.completed.empty()) PrintField(os, "completed", Join(o.completed, ", "), 2);
          if (!o.failed.empty()) PrintField(os, "failed", Join(o.failed, ", "), 2);
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          if (!o.reason.empty()) PrintField(os, "reason", o.reason, 2);
          if (!o.details.empty()) PrintField(os, "details", Preview(o.details, kPreviewChars), 2);
        } else {
          if (!o.reason.empty()) PrintField(os, "reason", o.reason, 2);
          PrintField(os, "stopped at", "step " + std::to_string(o.stopped_at_step), 2);
        }
      },
      outcome);
}

void PrintReward(std::ostream& os, const RewardBreakdown& r) {
  PrintField(os, "reward", FormatScore(r.total));
  // The notes explain each component with its value (docs/REWARD.md); a
  // reward without notes still shows its components.
  if (!r.notes.empty()) {
    for (const std::string& note : r.notes) os << "  " << note << "\n";
    return;
  }
  Table table({"  component", "score"});
  for (const auto& [name, value] : {std::pair<const char*, double>{"base", r.base},
                                    {"efficiency", r.efficiency},
                                    {"complexity", r.complexity},
                                    {"quality", r.quality},
                                    {"learning", r.learning}}) {
    table.Add({std::string("  ") + name, FormatScore(value)});
  }
  table.Print(os);
}

void PrintReflection(std::ostream& os, const Reflection& r) {
  os << "reflection\n";
  PrintList(os, "successes", r.successes);
  PrintList(os, "failures", r.failures);
  PrintList(os, "improvements", r.improvements);
  PrintList(os, "insights", r.insights);
}

}  // namespace

void PrintStep(std::ostream& os, const Step& s) {
  os << "#" << s.number << "  " << s.tool << "  " << ToString(s.result.status) << "  "
     << FormatDuration(s.latency_ms);
  if (s.tokens > 0) os << "  " << s.tokens << " tokens";
  os << "  " << FormatTime(s.timestamp) << "\n";
  PrintField(os, "action", Preview(s.action, kPreviewChars), 4);
  if (!s.parameters.empty()) {
    PrintField(os, "parameters", Preview(JsonText(s.parameters), kPreviewChars), 4);
  }
  if (!s.result.output.empty())
    PrintField(os, "output", Preview(s.result.output, kPreviewChars), 4);
  if (!s.observation.empty()) {
    PrintField(os, "observation", Preview(s.observation, kPreviewChars), 4);
  }
}

void PrintCompletion(std::ostream& os, const Episode& e) {
  if (!e.outcome) {
    PrintField(os, "outcome", "- (episode still open)");
    return;
  }
  PrintOutcome(os, *e.outcome);
  if (e.reward) PrintReward(os, *e.reward);
  if (e.reflection) PrintReflection(os, *e.reflection);
}

void PrintEpisode(std::ostream& os, const Episode& e) {
  PrintField(os, "episode", e.id);
  PrintField(os, "task", ToString(e.task_type));
  PrintField(os, "description", Preview(e.description, kPreviewChars * 2));
  PrintField(os, "context", DescribeContext(e.context));
  PrintField(os, "started", FormatTime(e.started_at));
  if (e.ended_at) {
    PrintField(os, "ended",
               FormatTime(e.ended_at) + " (" + FormatDuration(*e.ended_at - e.started_at) + ")");
  }
  if (!e.metadata.empty()) PrintField(os, "metadata", Preview(JsonText(e.metadata), kPreviewChars));
  PrintField(os, "steps", std::to_string(e.steps.size()));
  for (const Step& s : e.steps) {
    os << "  ";
    PrintStep(os, s);
  }
  PrintCompletion(os, e);
}

void PrintEpisodeList(std::ostream& os, const std::vector<EpisodeSummary>& episodes) {
  if (episodes.empty()) {
    os << "no episodes\n";
    return;
  }
  Table table({"ID", "TASK", "OUTCOME", "REWARD", "STEPS", "STARTED", "DESCRIPTION"});
  for (const EpisodeSummary& e : episodes) {
    table.Add({e.id, std::string(ToString(e.task_type)), e.outcome_kind.value_or("open"),
               e.reward_total ? FormatScore(*e.reward_total) : "-", std::to_string(e.step_count),
               FormatTime(e.started_at), Preview(e.description, 60)});
  }
  table.Print(os);
}

}  // namespace engram::cli
