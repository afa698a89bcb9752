// Reward scoring and reflection for completed episodes.
//
// ComputeReward turns an episode (steps + outcome + timestamps) into a
// RewardBreakdown whose components explain the score; Reflect produces a
// deterministic, rule-based Reflection. Both are pure functions of their
// input: the same episode always yields the same result. The formula and
// every constant are documented in docs/REWARD.md.
//
// Thread safety: pure functions.
#pragma once

#include "engram/episode.h"

namespace engram {

struct RewardOptions {
  // Weights of the components added to the outcome base. Defaults documented
  // in docs/REWARD.md.
  double efficiency_weight = 0.15;
  double complexity_weight = 0.05;
  double quality_weight = 0.10;
  double learning_weight = 0.05;
  // A task's expected size by complexity (steps, minutes); beyond these the
  // efficiency component decreases.
  int expected_steps_simple = 5;
  int expected_steps_moderate = 15;
  int expected_steps_complex = 40;
  double expected_minutes_simple = 5;
  double expected_minutes_moderate = 20;
  double expected_minutes_complex = 60;
};

// REQUIRES: episode.outcome is set and episode.ended_at is set.
RewardBreakdown ComputeReward(const Episode& episode, const RewardOptions& options = {});

// REQUIRES: episode.outcome is set.
Reflection Reflect(const Episode& episode);

}  // namespace engram
