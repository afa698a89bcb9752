// Context advice: the "what worked" part of a retrieve_context answer
// (docs/RETRIEVAL.md, "What worked"). Engine::RetrieveContext calls
// AddContextAdvice once the episodes and lessons are chosen; it fills each
// episode's what_worked (learn::ExtractWhatWorked over the stored steps)
// and the response's heuristics, warnings and summary.
//
// Heuristics (the stored ones, list_heuristics) apply to a task when no
// condition field contradicts the task's context and either
//  - "context": every condition field (task_type, language, framework,
//    domain) is given by the request and equal (case-insensitive); only
//    when the request names no project, since heuristics are learned across
//    projects, or
//  - "episodes": a returned episode is among its evidence (the episodes
//    with its action).
// "do:" heuristics are listed (by effectiveness); "avoid:" ones become
// warnings.
//
// Ownership: functions; AddContextAdvice borrows the Engine for the call.
// Thread safety: as safe as the Engine; the pure functions are pure.
#pragma once

#include <string>
#include <vector>

#include "engram/engine.h"
#include "engram/patterns.h"
#include "engram/search.h"

namespace engram {

struct ContextAdviceOptions {
  int max_heuristics = 5;                // "do:" heuristics listed
  int max_warnings = 8;                  // warnings listed, in kind order
  std::size_t max_summary_bytes = 1500;  // summary cut at a line boundary
};

// Heuristics that apply to `request` given the returned `episode_ids`
// (rules above), best effectiveness first; "avoid:" ones go to `avoid`.
std::vector<ContextHeuristic> MatchHeuristics(const std::vector<Heuristic>& heuristics,
                                              const ContextRequest& request,
                                              const std::vector<std::string>& episode_ids,
                                              std::vector<ContextHeuristic>& avoid);

// Warnings in this order, duplicates (same text) dropped, at most
// max_warnings: avoid heuristics, anti_pattern and gotcha lessons of the
// response, similar episodes that failed or abstained, errors an episode
// never fixed, fix attempts that did not help.
std::vector<ContextWarning> CollectWarnings(const ContextResponse& response,
                                            const std::vector<ContextHeuristic>& avoid,
                                            const ContextAdviceOptions& options = {});

// A few lines an agent can paste: per episode its recoveries (or approach,
// or how it failed), then "Apply:" heuristics and "Avoid:" warnings. "" when
// the response holds none of these.
std::string ContextSummary(const ContextResponse& response,
                           const ContextAdviceOptions& options = {});

// Fills what_worked, heuristics, warnings and summary of `response`.
Status AddContextAdvice(Engine& engine, const ContextRequest& request, ContextResponse& response,
                        const ContextAdviceOptions& options = {});

}  // namespace engram
