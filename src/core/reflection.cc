// Reflect (reward.h): deterministic, rule-based reflection. Each rule below
// is listed in docs/REWARD.md ("Reflection"); keep the two in sync.
#include <string>
#include <type_traits>
#include <variant>

#include "core/similarity.h"
#include "core/step_analysis.h"
#include "engram/reward.h"

namespace engram {
namespace {

constexpr std::size_t kMaxListed = 5;           // items named per list before "and N more"
constexpr double kHighFailureRate = 0.30;       // above this, suggest checking preconditions
constexpr std::size_t kMaxFailedStepLines = 5;  // failed steps described one by one

std::string Code(std::string_view s) { return "`" + Shorten(s, 60) + "`"; }

// "a, b, c and 2 more"
std::string JoinListed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    out += Shorten(items[i], 60);
  }
  if (items.size() > kMaxListed)
    out += " and " + std::to_string(items.size() - kMaxListed) + " more";
  return out;
}

std::string Percent(int part, int whole) {
  return std::to_string(whole == 0 ? 0 : (part * 100 + whole / 2) / whole) + "%";
}

bool ExpectsTests(TaskType t) {
  return t == TaskType::kCodeGeneration || t == TaskType::kDebugging ||
         t == TaskType::kRefactoring || t == TaskType::kTesting;
}

void OutcomeRules(const Outcome& outcome, Reflection& r) {
  std::visit(
      [&r](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          r.successes.push_back(o.verdict.empty() ? "Task succeeded"
                                                  : "Task succeeded: " + Shorten(o.verdict, 200));
          if (!o.artifacts.empty()) {
            r.successes.emplace_back("Produced " + std::to_string(o.artifacts.size()) +
                                     " artifact(s): " + JoinListed(o.artifacts));
          }
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          const std::size_t all = o.completed.size() + o.failed.size();
          if (!o.completed.empty()) {
            r.successes.emplace_back("Completed " + std::to_string(o.completed.size()) + " of " +
                                     std::to_string(all) + ": " + JoinListed(o.completed));
          }
          if (!o.failed.empty()) {
            r.failures.emplace_back("Not completed: " + JoinListed(o.failed));
            r.improvements.emplace_back("Follow up on the unfinished items: " +
                                        JoinListed(o.failed));
          }
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          r.failures.push_back(o.reason.empty() ? "Task failed"
                                                : "Task failed: " + Shorten(o.reason, 200));
          if (!o.details.empty()) r.failures.emplace_back("Details: " + Shorten(o.details, 200));
        } else {
          r.failures.emplace_back("Abstained at step " + std::to_string(o.stopped_at_step) +
                                  (o.reason.empty() ? "" : ": " + Shorten(o.reason, 200)));
          r.improvements.emplace_back(
              "Resolve what blocked the task before retrying" +
              (o.reason.empty() ? "" : " (" + Shorten(o.reason, 120) + ")"));
        }
      },
      outcome);
}

void StepRules(const Episode& e, const StepAnalysis& a, Reflection& r) {
  const std::vector<Step>& steps = e.steps;
  if (a.total > 0 && a.failed() == 0) {
    r.successes.emplace_back("All " + std::to_string(a.total) + " steps succeeded");
  }
  for (const Recovery& rec : a.recoveries) {
    r.successes.emplace_back("Recovered from error in " + Code(rec.tool) + " after " +
                             std::to_string(rec.failed_attempts) + " failed attempt" +
                             (rec.failed_attempts == 1 ? "" : "s") + " (step " +
                             std::to_string(rec.first_failed_step) + " -> step " +
                             std::to_string(rec.recovered_at_step) + ")");
  }
  if (a.last_test_step && a.last_test_passed) {
    r.successes.emplace_back("Tests passed (step " + std::to_string(*a.last_test_step) + ")");
  }

  std::size_t described = 0;
  for (const Step& s : steps) {
    if (s.result.status == StepStatus::kSuccess) continue;
    if (described++ == kMaxFailedStepLines) break;
    const std::string head = "Step " + std::to_string(s.number) + " (" + Code(s.tool) + ") ";
    if (s.result.status == StepStatus::kTimeout) {
      r.failures.push_back(head + "timed out after " + Fixed(s.latency_ms / 1000.0, 1) + " s");
    } else {
      const std::string detail = Shorten(s.result.output, 120);
      r.failures.push_back(head + "failed" + (detail.empty() ? "" : ": " + detail));
    }
  }
  if (described > kMaxFailedStepLines) {
    r.failures.emplace_back("... and " + std::to_string(a.failed() - kMaxFailedStepLines) +
                            " more failed steps");
  }
  for (const std::string& tool : a.still_failing_tools) {
    r.failures.push_back(Code(tool) + " was still failing at its last use");
  }

  for (const RepeatedFailure& rep : a.repeated_failures) {
    r.improvements.emplace_back("Avoid repeating " + Code(rep.action) + " in " + Code(rep.tool) +
                                ": it failed " + std::to_string(rep.times) +
                                " times unchanged; change the approach after a failure");
  }
  if (a.timeouts > 0) {
    r.improvements.emplace_back("Use shorter-running commands or a larger timeout (" +
                                std::to_string(a.timeouts) + " step" +
                                (a.timeouts == 1 ? "" : "s") + " timed out)");
  }
  if (a.total > 0 && static_cast<double>(a.failed()) / a.total > kHighFailureRate) {
    r.improvements.emplace_back(
        "Check preconditions before acting: " + Percent(a.failed(), a.total) + " of steps failed");
  }
  if (a.last_test_step && !a.last_test_passed) {
    r.improvements.emplace_back("Get the tests passing before finishing (the last test run, step " +
                                std::to_string(*a.last_test_step) + ", failed)");
  }
  const bool worked = std::holds_alternative<SuccessOutcome>(*e.outcome) ||
                      std::holds_alternative<PartialOutcome>(*e.outcome);
  if (!a.last_test_step && worked && ExpectsTests(e.task_type) && a.total > 0) {
    r.improvements.emplace_back("Run the tests to verify the change (no test run was logged)");
  }
  const ExpectedSize expected = ExpectedSizeFor(e.context.complexity, RewardOptions{});
  if (a.total > expected.steps) {
    r.improvements.emplace_back("Plan before acting: " + std::to_string(a.total) +
                                " steps against a budget of " + std::to_string(expected.steps) +
                                " for a " + std::string(ToString(e.context.complexity)) + " task");
  }
  if (a.total == 0) {
    r.improvements.emplace_back("Log each step so the episode can be analysed");
  }
}

void InsightRules(const Episode& e, const StepAnalysis& a, Reflection& r) {
  if (a.total == 0) {
    r.insights.emplace_back("No steps were logged");
  } else {
    r.insights.push_back(std::to_string(a.failed()) + " of " + std::to_string(a.total) +
                         " steps failed (" + Percent(a.failed(), a.total) + ")");
  }
  if (a.slowest_index) {
    const Step& s = e.steps[*a.slowest_index];
    r.insights.push_back(
        "Slowest step: " + std::to_string(s.number) + " (" + Code(s.tool) + " " + Code(s.action) +
        ") took " + Fixed(s.latency_ms / 1000.0, 1) + " s, " +
        Fixed(100.0 * static_cast<double>(s.latency_ms) / static_cast<double>(a.total_latency_ms),
              0) +
        "% of step time");
  }
  if (a.total >= 3) {
    r.insights.emplace_back("Most used tool: " + Code(a.most_used_tool) + " (" +
                            std::to_string(a.most_used_count) + " of " + std::to_string(a.total) +
                            " steps)");
  }
  if (a.total_tokens > 0) {
    r.insights.emplace_back("Tokens used: " + std::to_string(a.total_tokens));
  }
  const EpisodeDuration d = DurationOf(e, a.total_latency_ms);
  const std::string task = " for a " + std::string(ToString(e.context.complexity)) + " task";
  if (d.source == EpisodeDuration::Source::kWall) {
    r.insights.emplace_back("Duration: " + Fixed(d.minutes, 1) + " min" + task);
  } else if (d.source == EpisodeDuration::Source::kSteps) {
    r.insights.emplace_back("Duration: " + Fixed(d.minutes, 1) + " min of step time" + task + " (" +
                            (d.has_wall ? "the steps were logged within " +
                                              Fixed(d.wall_minutes, 1) + " min of wall time"
                                        : std::string("no wall time")) +
                            ")");
  }
}

}  // namespace

Reflection Reflect(const Episode& episode) {
  Reflection r;
  if (!episode.outcome) {  // contract violation: describe, do not crash
    r.insights.emplace_back("The episode has no outcome yet");
    return r;
  }
  const StepAnalysis a = AnalyzeSteps(episode.steps);
  OutcomeRules(*episode.outcome, r);
  StepRules(episode, a, r);
  InsightRules(episode, a, r);
  return r;
}

}  // namespace engram
