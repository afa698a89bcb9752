// Pattern mining over one completed episode (docs/LEARNING.md, "Patterns
// and heuristics"). Pure: no store, no engine. The Engine records the
// returned occurrences at completion; merging across episodes happens in
// the PatternStore (one record per kind + signature).
//
// Kinds mined:
//  - sequence: every run of min_ngram..max_ngram consecutive steps, as
//    step signatures (tool:normalised action) joined by " -> ".
//  - error_recovery: a step that failed (error/timeout), the fix steps, and
//    the same step signature succeeding after at most max_fix_steps steps
//    that are not read-only (IsReadOnlyStep); those steps are the fix,
//    "retry" when none are; signature "<step> [<status>] -> <fix>", the
//    error class (NormalizeError) in the description.
//  - decision_point: a check step (IsCheckStep), whether it passed, and the
//    step taken next ("check:bash:pytest <path> | ok -> git:git commit").
//  - context: the episode's context (task type, language, framework,
//    domain) -> its approach (distinct step signatures in first-use order,
//    at most max_approach_steps).
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "engram/episode.h"
#include "engram/patterns.h"
#include "learn/action_normalizer.h"

namespace engram::learn {

struct MiningOptions {
  int min_ngram = 2;           // shortest mined sequence
  int max_ngram = 3;           // longest mined sequence
  int max_fix_steps = 3;       // non-read-only steps allowed between a failure and its retry
  int max_approach_steps = 6;  // distinct steps kept in a context pattern's approach
  NormalizeOptions normalize;  // action normalisation
};

// The task context as the JSON stored with a pattern:
// {"task_type", "language", "framework", "domain"}, values lower-cased
// (empty fields omitted, task_type always present).
Json ContextJson(const Episode& episode);

// Occurrences found in `episode`, one per distinct (kind, signature), in
// a deterministic order (kind, then first position). Needs no outcome.
std::vector<PatternOccurrence> MinePatterns(const Episode& episode,
                                            const MiningOptions& options = {});

}  // namespace engram::learn
