// Builders for reward and reflection tests: episodes with steps in a line.
#pragma once

#include <string>

#include "engram/episode.h"

namespace engram::testing {

inline Step MakeStep(int number, std::string tool, std::string action, StepStatus status,
                     std::string output = "", std::int64_t latency_ms = 100) {
  Step s;
  s.number = number;
  s.tool = std::move(tool);
  s.action = std::move(action);
  s.result = {status, std::move(output)};
  s.latency_ms = latency_ms;
  s.timestamp = 1'000'000 + number;
  return s;
}

// A moderate episode that ran `minutes` and ended with `outcome`.
inline Episode MakeEpisode(Outcome outcome, double minutes = 5,
                           Complexity complexity = Complexity::kModerate) {
  Episode e;
  e.id = "e";
  e.task_type = TaskType::kDebugging;
  e.context.complexity = complexity;
  e.started_at = 1'000'000;
  e.ended_at = e.started_at + static_cast<Timestamp>(minutes * 60'000);
  e.outcome = std::move(outcome);
  return e;
}

inline void AddStep(Episode& e, std::string tool, std::string action, StepStatus status,
                    std::string output = "", std::int64_t latency_ms = 100) {
  e.steps.push_back(MakeStep(static_cast<int>(e.steps.size()) + 1, std::move(tool),
                             std::move(action), status, std::move(output), latency_ms));
}

}  // namespace engram::testing
