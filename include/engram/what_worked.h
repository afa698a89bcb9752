// What fixed similar tasks: the part of a retrieve_context answer that tells
// an agent what to do, not only what happened (docs/RETRIEVAL.md, "What
// worked").
//
// Per returned episode, WhatWorked names its recoveries as actual actions
// (the failing step and its error, the steps that fixed it, the run that
// then passed) and its final working approach. Across the response,
// ContextHeuristic lists the learned heuristics that apply to the task and
// ContextWarning the things to avoid: anti-pattern heuristics, gotcha and
// anti-pattern lessons, similar tasks that failed, errors never fixed and
// fix attempts that did not help. learn::ExtractWhatWorked
// (src/learn/what_worked.h) builds the per-episode part; the engine
// (src/engine/context_advice.h) the rest.
//
// Thread safety: plain values.
#pragma once

#include <string>
#include <vector>

#include "engram/json.h"

namespace engram {

// One failure and how it was fixed, steps named as "<tool>: <action>".
struct WorkedRecovery {
  std::string failed;              // "bash: npm test failed: Timeout in login.spec.ts"
  int failed_step = 0;             // number of the first failed run
  int attempts = 1;                // failed runs of the step before it passed
  std::vector<std::string> tried;  // steps after which it failed again
  std::vector<std::string> fix;    // steps between its last failure and the passing run
  std::string verified;            // "bash: npm test passed"
  int verified_step = 0;
  std::string text;  // failed -> fix... -> verified, on one line
};

struct WhatWorked {
  bool worked = false;  // the outcome is success or partial
  std::vector<WorkedRecovery> recovery;
  // Final working approach: successful steps in order, minus fix attempts
  // that did not help, one per distinct step (its last run); empty unless
  // worked.
  std::vector<std::string> approach;
  std::vector<std::string> unresolved;  // failures never followed by a passing run
};
Json ToJson(const WorkedRecovery& r);
Json ToJson(const WhatWorked& w);

// A learned heuristic (list_heuristics) that applies to the task.
struct ContextHeuristic {
  std::string id;
  std::string action;       // "do: editor:await the session promise"
  std::string description;  // the rule in words, with its counts
  double confidence = 0;
  double effectiveness = 0;
  // Why it applies: "context" (its condition matches the task's context and
  // type) and/or "episodes" (a returned episode is its evidence).
  std::vector<std::string> matched_by;
  std::vector<std::string> episode_ids;  // returned episodes among its evidence
};
Json ToJson(const ContextHeuristic& h);

struct ContextWarning {
  // "avoid_heuristic", "anti_pattern", "gotcha", "failed_episode",
  // "unresolved_error" or "did_not_help".
  std::string kind;
  std::string source_id;  // heuristic, lesson or episode id
  std::string text;
};
Json ToJson(const ContextWarning& w);

}  // namespace engram
