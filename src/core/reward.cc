// ComputeReward (reward.h). The formula and every constant are documented in
// docs/REWARD.md; keep the two in sync.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "core/similarity.h"
#include "core/step_analysis.h"
#include "engram/reward.h"

namespace engram {
namespace {

// Outcome base values.
constexpr double kSuccessBase = 0.70;
constexpr double kPartialBaseMin = 0.10;    // nothing completed
constexpr double kPartialBaseRange = 0.40;  // scaled by completed / (completed + failed)
constexpr double kPartialUnknownRatio = 0.5;
constexpr double kFailureBase = 0.0;
constexpr double kAbstainedBase = 0.10;

// Share of the bonus components an outcome earns: how a task was done only
// counts as far as it was done.
constexpr double kSuccessGate = 1.0;
constexpr double kPartialGate = 0.5;
constexpr double kAbstainedGate = 0.25;
constexpr double kFailureGate = 0.0;

// Neutral raw score when there is nothing to measure (no steps logged).
constexpr double kNeutral = 0.5;
// Quality = kErrorShare * (1 - failure rate) + kTestShare * tests.
constexpr double kErrorShare = 0.8;
constexpr double kTestShare = 0.2;
constexpr double kTestsUnknown = 0.5;  // no test run logged

struct Base {
  double value = 0;
  double gate = 0;
  std::string note;
};

Base OutcomeBase(const Outcome& outcome) {
  return std::visit(
      [](const auto& o) -> Base {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          return {kSuccessBase, kSuccessGate, "base " + Fixed(kSuccessBase, 2) + ": success"};
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          const std::size_t done = o.completed.size();
          const std::size_t all = done + o.failed.size();
          const double ratio = all == 0 ? kPartialUnknownRatio
                                        : static_cast<double>(done) / static_cast<double>(all);
          const double value = kPartialBaseMin + kPartialBaseRange * ratio;
          const std::string detail =
              all == 0 ? "no completed/failed items listed, ratio taken as 0.50"
                       : std::to_string(done) + " of " + std::to_string(all) + " items completed";
          return {value, kPartialGate,
                  "base " + Fixed(value, 2) + ": partial, " + detail + " (" +
                      Fixed(kPartialBaseMin, 2) + " + " + Fixed(kPartialBaseRange, 2) + " x " +
                      Fixed(ratio, 2) + ")"};
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          return {kFailureBase, kFailureGate, "base " + Fixed(kFailureBase, 2) + ": failure"};
        } else {
          return {kAbstainedBase, kAbstainedGate,
                  "base " + Fixed(kAbstainedBase, 2) + ": abstained (a deliberate stop)"};
        }
      },
      outcome);
}

// Within budget scores 1; beyond it, budget / actual.
double BudgetScore(double actual, double budget) {
  if (budget <= 0 || actual <= budget) return 1.0;
  return budget / actual;
}

// "+0.120 = 0.15 x 0.80 x gate 1.00"
std::string Contribution(double value, double weight, double raw, double gate) {
  return "+" + Fixed(value, 3) + " = " + Fixed(weight, 2) + " x " + Fixed(raw, 2) + " x gate " +
         Fixed(gate, 2);
}

}  // namespace

RewardBreakdown ComputeReward(const Episode& episode, const RewardOptions& options) {
  RewardBreakdown r;
  if (!episode.outcome) {  // contract violation: score nothing rather than crash
    r.notes.emplace_back("no outcome: the episode is not completed, reward 0");
    return r;
  }
  const StepAnalysis a = AnalyzeSteps(episode.steps);
  const Complexity complexity = episode.context.complexity;
  const ExpectedSize expected = ExpectedSizeFor(complexity, options);
  const std::string complexity_name(ToString(complexity));

  const Base base = OutcomeBase(*episode.outcome);
  r.base = base.value;
  r.notes.push_back(base.note);

  // Efficiency: mean of the step-count and duration budget scores.
  {
    const double minutes = DurationMinutes(episode);
    const double step_score = a.total == 0 ? kNeutral : BudgetScore(a.total, expected.steps);
    const double time_score = episode.ended_at ? BudgetScore(minutes, expected.minutes) : kNeutral;
    const double raw = (step_score + time_score) / 2;
    r.efficiency = options.efficiency_weight * raw * base.gate;
    const std::string steps_part = a.total == 0 ? "no steps logged -> " + Fixed(kNeutral, 2)
                                                : std::to_string(a.total) + " steps (budget " +
                                                      std::to_string(expected.steps) + ") -> " +
                                                      Fixed(step_score, 2);
    const std::string time_part = episode.ended_at ? Fixed(minutes, 1) + " min (budget " +
                                                         Fixed(expected.minutes, 0) + ") -> " +
                                                         Fixed(time_score, 2)
                                                   : "no end time -> " + Fixed(kNeutral, 2);
    r.notes.emplace_back(
        "efficiency " + Contribution(r.efficiency, options.efficiency_weight, raw, base.gate) +
        ": " + steps_part + "; " + time_part + " for a " + complexity_name + " task");
  }

  // Complexity: harder tasks earn more.
  {
    const double raw = complexity == Complexity::kComplex    ? 1.0
                       : complexity == Complexity::kModerate ? 0.5
                                                             : 0.0;
    r.complexity = options.complexity_weight * raw * base.gate;
    r.notes.emplace_back("complexity " +
                         Contribution(r.complexity, options.complexity_weight, raw, base.gate) +
                         ": " + complexity_name + " task");
  }

  // Quality: share of steps that did not fail, plus whether tests pass.
  {
    const double ok_rate =
        a.total == 0 ? kNeutral : 1.0 - static_cast<double>(a.failed()) / a.total;
    const double tests = !a.last_test_step ? kTestsUnknown : a.last_test_passed ? 1.0 : 0.0;
    const double raw = kErrorShare * ok_rate + kTestShare * tests;
    r.quality = options.quality_weight * raw * base.gate;
    const std::string steps_part = a.total == 0 ? "no steps logged"
                                                : std::to_string(a.failed()) + " of " +
                                                      std::to_string(a.total) + " steps failed";
    const std::string tests_part =
        !a.last_test_step ? "no test run logged"
        : a.last_test_passed
            ? "tests passed (last test run: step " + std::to_string(*a.last_test_step) + ")"
            : "tests failing (last test run: step " + std::to_string(*a.last_test_step) + ")";
    r.notes.emplace_back("quality " +
                         Contribution(r.quality, options.quality_weight, raw, base.gate) + ": " +
                         steps_part + "; " + tests_part);
  }

  // Learning: share of failed steps that a later success of the same tool
  // recovered. No failures means nothing needed recovering: full score, so a
  // flawless run never scores below one that stumbled.
  {
    const double raw =
        a.failed() == 0 ? 1.0 : static_cast<double>(a.recovered_failures) / a.failed();
    r.learning = options.learning_weight * raw * base.gate;
    const std::string detail = a.failed() == 0
                                   ? "no failed steps to recover from"
                                   : "recovered " + std::to_string(a.recovered_failures) + " of " +
                                         std::to_string(a.failed()) + " failed steps";
    r.notes.emplace_back("learning " +
                         Contribution(r.learning, options.learning_weight, raw, base.gate) + ": " +
                         detail);
  }

  const double sum = r.base + r.efficiency + r.complexity + r.quality + r.learning;
  r.total = std::isfinite(sum) ? std::clamp(sum, 0.0, 1.0) : 0.0;  // NaN weights score 0
  r.notes.emplace_back("total " + Fixed(r.total, 3) +
                       (r.total != sum ? " (clamped from " + Fixed(sum, 3) + ")" : ""));
  return r;
}

}  // namespace engram
