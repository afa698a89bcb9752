// What worked in one episode (include/engram/what_worked.h): its
// recoveries as actual actions and its final working approach, for
// retrieve_context (docs/RETRIEVAL.md, "What worked"). Pure: no store, no
// engine.
//
// Steps are the same step when their StepSignature (tool + normalised
// action, src/learn/action_normalizer.h) is equal. A recovery starts at a
// failed step (error or timeout) and ends at the next successful run of the
// same step; failed runs of it in between are further attempts. Its fix is
// the successful steps between the last failed run and the passing run
// that are not check steps (IsCheckStep); its "tried" list is the
// successful non-check steps between the first and the last failed run
// (they were followed by the same failure). A failed step with no later
// successful run is unresolved.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/episode.h"
#include "engram/what_worked.h"

namespace engram::learn {

struct WhatWorkedOptions {
  int max_recoveries = 5;            // recoveries listed per episode (first ones)
  int max_fix_steps = 5;             // fix steps per recovery (the last ones)
  int max_tried_steps = 3;           // tried steps per recovery (the last ones)
  int max_approach_steps = 8;        // approach steps (the last ones)
  int max_unresolved = 3;            // unresolved failures listed (first ones)
  std::size_t max_text_bytes = 100;  // per action or error, cut on a UTF-8 boundary
};

// "<tool>: <action>", the action's first line cut to max_text_bytes.
std::string StepText(const Step& step, std::size_t max_text_bytes = 100);

// StepText plus " failed: <first line of the error>" or " timed out".
std::string FailedStepText(const Step& step, std::size_t max_text_bytes = 100);

// `parts` joined by `sep`.
std::string JoinTexts(const std::vector<std::string>& parts, std::string_view sep);

// What worked in `episode` (any state; approach only when its outcome is
// success or partial).
WhatWorked ExtractWhatWorked(const Episode& episode, const WhatWorkedOptions& options = {});

}  // namespace engram::learn
